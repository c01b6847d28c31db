/* glint-error.c: the GLINT_ERROR domain. */
#include "glint-error.h"

#include <gio/gio.h>

/* Not G_DEFINE_QUARK: its cached value is a plain static that jobs on
 * several threads race to fill (ThreadSanitizer reports it). The quark is
 * the same whoever computes it, so an atomic load and store suffice. */
GQuark
glint_error_quark(void)
{
	static gint quark = 0;
	GQuark q = (GQuark)g_atomic_int_get(&quark);
	if (G_UNLIKELY(q == 0)) {
		q = g_quark_from_static_string("glint-error-quark");
		g_atomic_int_set(&quark, (gint)q);
	}
	return q;
}

const char *
glint_error_code_to_string(GlintErrorCode code)
{
	static const char *const names[] = {
	    [GLINT_ERROR_FAILED] = "failed",
	    [GLINT_ERROR_NO_PROBE] = "no-probe",
	    [GLINT_ERROR_NO_TARGET] = "no-target",
	    [GLINT_ERROR_TARGET_NOT_RESPONDING] = "target-not-responding",
	    [GLINT_ERROR_READ_PROTECTED] = "read-protected",
	    [GLINT_ERROR_WRITE_PROTECTED] = "write-protected",
	    [GLINT_ERROR_OPTIONS_INCOHERENT] = "options-incoherent",
	    [GLINT_ERROR_VERIFY_MISMATCH] = "verify-mismatch",
	    [GLINT_ERROR_DISCONNECTED] = "disconnected",
	    [GLINT_ERROR_TIMEOUT] = "timeout",
	    [GLINT_ERROR_CANCELLED] = "cancelled",
	    [GLINT_ERROR_BAD_IMAGE] = "bad-image",
	    [GLINT_ERROR_INVALID_ARGUMENT] = "invalid-argument",
	    [GLINT_ERROR_NEEDS_CONFIRMATION] = "needs-confirmation",
	    [GLINT_ERROR_FLASH] = "flash-error",
	    [GLINT_ERROR_PROBE] = "probe-error",
	    [GLINT_ERROR_UNSUPPORTED] = "unsupported",
	    [GLINT_ERROR_FIRMWARE_TOO_OLD] = "firmware-too-old",
	    [GLINT_ERROR_PERMISSION_DENIED] = "permission-denied",
	    [GLINT_ERROR_BUSY] = "busy",
	    [GLINT_ERROR_IO] = "io",
	    [GLINT_ERROR_MEMORY_FAULT] = "memory-fault",
	    [GLINT_ERROR_CODE_PROTECTED] = "code-protected",
	    [GLINT_ERROR_NOT_ERASED] = "not-erased",
	    [GLINT_ERROR_NOT_FOUND] = "not-found",
	    [GLINT_ERROR_CORRUPT] = "corrupt",
	    [GLINT_ERROR_NOT_HALTED] = "not-halted",
	};
	if ((guint)code >= G_N_ELEMENTS(names) || names[code] == NULL)
		return "unknown";
	return names[code];
}

gboolean
glint_error_is_cancelled(const GError *error)
{
	if (error == NULL)
		return FALSE;
	return g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CANCELLED) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
