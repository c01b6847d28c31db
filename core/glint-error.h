/* glint-error.h: the project's single GError domain and the causes it names.
 *
 * Every failure in Glint is a GError in GLINT_ERROR. The code names the cause
 * (so the UI can offer the matching fix); the message says what happened,
 * where (address, register, file and line) and what to do about it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GLINT_ERROR (glint_error_quark())

typedef enum {
	GLINT_ERROR_FAILED,		   /* anything not named below */
	GLINT_ERROR_NO_PROBE,		   /* no ST-LINK found, or the named serial is absent */
	GLINT_ERROR_NO_TARGET,		   /* probe present, target voltage ~0 V */
	GLINT_ERROR_TARGET_NOT_RESPONDING, /* SWD does not answer (try connect under reset) */
	GLINT_ERROR_READ_PROTECTED,	   /* RDP level 1/2 blocks debug access to flash */
	GLINT_ERROR_WRITE_PROTECTED,	   /* WRP/PCROP area covers the pages touched */
	GLINT_ERROR_OPTIONS_INCOHERENT,	   /* option bytes invalid (OPTVERR) or contradictory */
	GLINT_ERROR_VERIFY_MISMATCH,	   /* flash differs from the image after programming */
	GLINT_ERROR_DISCONNECTED,	   /* the probe vanished mid-transfer */
	GLINT_ERROR_TIMEOUT,		   /* a bounded wait ran out (USB, BSY, reset) */
	GLINT_ERROR_CANCELLED,		   /* the user cancelled at a safe point */
	GLINT_ERROR_BAD_IMAGE,		   /* a firmware file that cannot be used as it is */
	GLINT_ERROR_INVALID_ARGUMENT,	   /* a request refused before touching the chip */
	GLINT_ERROR_NEEDS_CONFIRMATION,	   /* risky operation asked for without its confirmation */
	GLINT_ERROR_FLASH,	       /* flash controller error not covered above (PGSERR...) */
	GLINT_ERROR_PROBE,	       /* the probe answered with an error status or garbage */
	GLINT_ERROR_UNSUPPORTED,       /* chip, probe or command not supported */
	GLINT_ERROR_FIRMWARE_TOO_OLD,  /* probe firmware lacks the command needed */
	GLINT_ERROR_PERMISSION_DENIED, /* USB device not accessible (udev rules) */
	GLINT_ERROR_BUSY,	       /* probe claimed by another program */
	GLINT_ERROR_IO,		       /* file read/write failed */
	GLINT_ERROR_MEMORY_FAULT,      /* a bus fault at a target address */
	GLINT_ERROR_CODE_PROTECTED,    /* a PCROP or secure area covers the flash touched */
	GLINT_ERROR_NOT_ERASED,	       /* flash or OTP to be written holds data already */
	GLINT_ERROR_NOT_FOUND,	       /* what was looked for on the target is not there (RTT) */
	GLINT_ERROR_CORRUPT,	       /* target data that does not hold together (RTT block) */
	GLINT_ERROR_NOT_HALTED,	       /* the core runs; what was asked needs it halted */
} GlintErrorCode;

GQuark glint_error_quark(void);

/* A short stable name for a code ("write-protected"), for logs and tests. */
const char *glint_error_code_to_string(GlintErrorCode code);

/* Whether @error is a GLINT_ERROR_CANCELLED or G_IO_ERROR_CANCELLED. */
gboolean glint_error_is_cancelled(const GError *error);

G_END_DECLS
