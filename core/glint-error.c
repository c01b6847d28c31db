/* glint-error.c: the GLINT_ERROR domain. */
#include "glint-error.h"

#include <gio/gio.h>

G_DEFINE_QUARK(glint-error-quark, glint_error)

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
