/* glint-job.h: what a user asks Glint to do, as blocking calls meant for a
 * worker thread: connect, erase, program, verify, read, option bytes, reset,
 * diagnose and the fixes diagnosis offers.
 *
 * A GlintSession is one probe (a GlintTransport) and, once connected, the
 * chip behind it. One job at a time per session; several sessions run jobs
 * in parallel on their own threads. Every job reports progress through an
 * optional GlintProgress, checks its GCancellable at safe points only (never
 * inside a double-word or an option-byte write), and fails with a GError in
 * GLINT_ERROR whose message names the cause and the fix. */
#pragma once

#include <gio/gio.h>

#include "glint-family.h"
#include "glint-error.h"
#include "glint-image.h"
#include "glint-options.h"
#include "glint-progress.h"
#include "glint-transport.h"

G_BEGIN_DECLS

typedef struct _GlintSession GlintSession;

typedef enum {
	GLINT_RESET_AUTO,     /* NRST, falling back to AIRCR if NRST is not wired */
	GLINT_RESET_SOFTWARE, /* AIRCR.SYSRESETREQ */
	GLINT_RESET_HARDWARE, /* NRST pulse */
} GlintResetMode;

typedef struct {
	guint swd_khz;	      /* 0: the probe's fastest up to 24000 kHz */
	gboolean under_reset; /* hold NRST while attaching (SWD pins disabled by firmware) */
	GlintResetMode reset_mode;
	/* Appended for the core view (issue 19): attach without halting the
	 * core, so that its state (running, sleeping, locked up) is seen as it
	 * is and a live watch does not disturb it. The first job that needs the
	 * core halted (flash, options) halts it. */
	gboolean no_halt;
} GlintConnectOptions;

/* What Glint knows about the connected chip; valid until the next job. */
typedef struct {
	const GlintChip *chip;
	guint16 dev_id;
	guint16 rev_id;
	const char *rev_name;
	guint32 cpuid;
	guint32 flash_kb;
	GlintFlashGeometry geometry;
	GlintOptionBytes options; /* as loaded (the family's option registers) */
	guint rdp_level;
	gchar uid[25]; /* 96-bit unique id as 24 hex digits */
	gdouble voltage;
	gchar *probe_version; /* "V2J37S7" */
	guint32 flash_sr;     /* the flash status register as found at connect */
	gboolean bank2_empty; /* bank 2 holds no valid vector table (dual bank only) */
} GlintTargetInfo;

/* Takes a reference on @transport. */
GlintSession *glint_session_new(GlintTransport *transport);
GlintSession *glint_session_ref(GlintSession *self);
void glint_session_unref(GlintSession *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSession, glint_session_unref)

GlintTransport *glint_session_get_transport(GlintSession *self);
gboolean glint_session_is_connected(GlintSession *self);
/* NULL when not connected. The result points into the session and changes
 * when a job runs: read it only while no job runs on this session (e.g. on a
 * GUI's main thread between a job's completion and the next start). */
const GlintTargetInfo *glint_session_get_target_info(GlintSession *self);
/* What option edits and diffs need to know about the connected chip. */
void glint_target_info_option_context(const GlintTargetInfo *info, GlintOptionContext *ctx);
/* glint_option_bytes_apply_edit() for the connected chip. */
gboolean glint_target_info_apply_option_edit(const GlintTargetInfo *info, GlintOptionBytes *ob,
					     const char *edit, GError **error);

typedef struct {
	guint64 bytes; /* bytes programmed, verified or read */
	guint pages_erased;
	guint pages_skipped; /* smart re-flash: pages already identical */
	guint32 stale_flags; /* FLASH_SR error flags found set and cleared */
	gdouble host_seconds;
	gdouble device_seconds; /* modelled device time, < 0 on real hardware */
	gchar *summary;		/* one line for the log: what, bytes, pages, duration, KB/s */
	/* Appended for the flash loader (issue 6): */
	gboolean loader_used;	  /* the on-target loader did the work (no fallback) */
	gboolean fast_programmed; /* at least one bank used fast (row) programming */
	guint pages_programmed;
} GlintJobResult;

void glint_job_result_clear(GlintJobResult *result);

/* Confirmations for operations that erase everything or cannot be undone. */
typedef enum {
	GLINT_CONFIRM_NONE = 0,
	GLINT_CONFIRM_RISKY = 1 << 0,	       /* mass erase, RDP 1->0, DUALBANK, BFB2 */
	GLINT_CONFIRM_PERMANENT_LOCK = 1 << 1, /* RDP level 2 */
} GlintConfirm;

gboolean glint_job_connect(GlintSession *self, const GlintConnectOptions *options,
			   GlintProgress *progress, GCancellable *cancellable, GError **error);
void glint_job_disconnect(GlintSession *self);

/* Mass erase needs GLINT_CONFIRM_RISKY. */
gboolean glint_job_erase_mass(GlintSession *self, GlintConfirm confirm, GlintProgress *progress,
			      GCancellable *cancellable, GlintJobResult *result, GError **error);
/* Erases the units (pages or sectors) covering @address .. @address+@size;
 * or that range of a memory the flash driver programs besides main flash
 * (data EEPROM). */
gboolean glint_job_erase_range(GlintSession *self, guint32 address, guint32 size,
			       GlintProgress *progress, GCancellable *cancellable,
			       GlintJobResult *result, GError **error);
/* Erases the units with global indices @indices (increasing; see
 * glint_geometry_get_unit()). */
gboolean glint_job_erase_units(GlintSession *self, const guint *indices, guint n_indices,
			       GlintProgress *progress, GCancellable *cancellable,
			       GlintJobResult *result, GError **error);
/* Erases physical bank @physical (0 or 1); needs GLINT_CONFIRM_RISKY. */
gboolean glint_job_erase_bank(GlintSession *self, guint physical, GlintConfirm confirm,
			      GlintProgress *progress, GCancellable *cancellable,
			      GlintJobResult *result, GError **error);

typedef struct {
	gboolean verify;    /* check flash against the image after programming */
	gboolean no_erase;  /* pages are known erased */
	gboolean reset_run; /* reset and run the new firmware at the end */
	/* Appended for the flash loader (issue 6): */
	gboolean smart; /* compare per-page CRCs on the target; rewrite only pages that differ */
	gboolean readback_verify; /* verify by reading back instead of an on-target CRC-32 */
	gboolean no_loader;	  /* program directly over SWD, without the on-target loader */
	/* Erase units the image covers only in part without keeping their other
	 * bytes (by default those are read first and written back). */
	gboolean no_preserve;
} GlintProgramOptions;

/* Segments in main flash are erased and programmed by erase unit; segments
 * in a memory the flash driver programs besides it (data EEPROM at
 * 0x08080000 on an STM32L0/L1) are written after it, only where they
 * differ, and read back with --verify. */
gboolean glint_job_program(GlintSession *self, GlintImage *image,
			   const GlintProgramOptions *options, GlintProgress *progress,
			   GCancellable *cancellable, GlintJobResult *result, GError **error);
/* Fails with GLINT_ERROR_VERIFY_MISMATCH naming the first differing address,
 * expected and actual bytes, and the number of differing bytes. */
gboolean glint_job_verify(GlintSession *self, GlintImage *image, GlintProgress *progress,
			  GCancellable *cancellable, GlintJobResult *result, GError **error);
GBytes *glint_job_read(GlintSession *self, guint32 address, guint32 size, GlintProgress *progress,
		       GCancellable *cancellable, GlintJobResult *result, GError **error);

/* Re-reads the option bytes from the chip into the target info. */
gboolean glint_job_read_options(GlintSession *self, GlintOptionBytes *options, GError **error);
/* Programs @options (OPTSTRT), reloads them (OBL_LAUNCH), reconnects and
 * confirms the chip now holds them. Changes with a risk need @confirm. */
gboolean glint_job_write_options(GlintSession *self, const GlintOptionBytes *options,
				 GlintConfirm confirm, GlintProgress *progress,
				 GCancellable *cancellable, GlintJobResult *result, GError **error);

gboolean glint_job_reset(GlintSession *self, GlintResetMode mode, gboolean halt,
			 GCancellable *cancellable, GError **error);

/* Diagnosis. */
typedef enum {
	GLINT_SEVERITY_INFO,
	GLINT_SEVERITY_WARNING,
	GLINT_SEVERITY_ERROR,
} GlintSeverity;

typedef enum {
	GLINT_FIX_NONE,
	GLINT_FIX_REMOVE_WRP,	       /* "Remove write protection" */
	GLINT_FIX_CLEAR_FLAGS,	       /* "Clear error flags" */
	GLINT_FIX_REGRESS_RDP,	       /* "Remove read protection (erases the chip)" */
	GLINT_FIX_CONNECT_UNDER_RESET, /* "Connect under reset" */
	GLINT_FIX_CLEAR_BFB2,	       /* "Boot from bank 1 (clear BFB2)" */
	GLINT_FIX_RESTORE_OPTIONS,     /* "Restore factory option bytes" */
} GlintFixKind;

typedef struct {
	GlintSeverity severity;
	gchar *id;     /* stable: "rdp-level1", "wrp-active", "stale-flags", "optverr",
			  "bfb2-empty-bank2", "dualbank" */
	gchar *title;  /* "Pages 0-15 of bank 1 are write-protected by WRP1A" */
	gchar *impact; /* what it means for erase/program */
	gchar *fix;    /* what to do, in words; NULL if nothing to do */
	GlintFixKind fix_kind;
} GlintFinding;

void glint_finding_free(GlintFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintFinding, glint_finding_free)
const char *glint_severity_to_string(GlintSeverity severity);

/* Inspects the connected chip (element-type GlintFinding*); empty when healthy. */
GPtrArray *glint_job_diagnose(GlintSession *self, GCancellable *cancellable, GError **error);

/* The fix a failed job's error points at (GLINT_FIX_NONE if none). */
GlintFixKind glint_fix_for_error(const GError *error);
/* Button text: "Remove write protection". */
const char *glint_fix_label(GlintFixKind kind);
/* Whether applying @kind needs GLINT_CONFIRM_RISKY (it erases or changes boot). */
gboolean glint_fix_is_risky(GlintFixKind kind);
gboolean glint_job_apply_fix(GlintSession *self, GlintFixKind kind, GlintConfirm confirm,
			     GlintProgress *progress, GCancellable *cancellable,
			     GlintJobResult *result, GError **error);

/* Memory edits (issue 15): RAM and peripherals are written directly; flash
 * through the family's flash driver, which can only write a programming
 * unit (a double word on the L4) that is erased. */
typedef enum {
	/* Refuse when a programming unit that would change is not erased
	 * (GLINT_ERROR_NOT_ERASED names it): nothing is touched. */
	GLINT_FLASH_WRITE_REFUSE_UNERASED,
	/* Erase the units that must be, keeping every byte of them that is not
	 * written (read first, written back). */
	GLINT_FLASH_WRITE_ERASE_UNIT,
} GlintFlashWritePolicy;

/* Writes @data at @address: in SRAM or a peripheral region of the chip
 * (GlintChip.regions) directly (a 32-bit access for an aligned word, byte
 * accesses otherwise), in main flash as @policy says, or in data EEPROM
 * through the flash driver (any byte, whatever it held). Refuses OTP (see
 * glint_job_program_otp), option bytes (the option editor writes them),
 * read-only regions and addresses in no region, naming them. */
gboolean glint_job_write_memory(GlintSession *self, guint32 address, GBytes *data,
				GlintFlashWritePolicy policy, GlintProgress *progress,
				GCancellable *cancellable, GlintJobResult *result, GError **error);
/* Fills @size bytes at @address with @value repeated, @width bytes (1, 2 or
 * 4, little endian) at a time; @size a multiple of @width. As
 * glint_job_write_memory() otherwise. */
gboolean glint_job_fill_memory(GlintSession *self, guint32 address, guint32 size, guint32 value,
			       guint width, GlintFlashWritePolicy policy, GlintProgress *progress,
			       GCancellable *cancellable, GlintJobResult *result, GError **error);
/* Whether every byte of the flash programming units that [@address, +@size)
 * touches is erased: what glint_job_write_memory() with
 * GLINT_FLASH_WRITE_REFUSE_UNERASED needs (reads the chip). */
gboolean glint_job_flash_is_writable(GlintSession *self, guint32 address, guint32 size,
				     gboolean *writable, GError **error);

/* The OTP region of the connected chip's family, or NULL with
 * GLINT_ERROR_UNSUPPORTED saying the chip has none. */
const GlintMemoryRegion *glint_target_info_otp_region(const GlintTargetInfo *info, GError **error);
/* The bytes that programming @size bytes at @address in OTP makes permanent:
 * whole programming units ([*@start, *@start + *@length)); unwritten bytes in
 * them stay at the erased value for ever. FALSE outside the OTP. */
gboolean glint_target_info_otp_span(const GlintTargetInfo *info, guint32 address, guint32 size,
				    guint32 *start, guint32 *length, GError **error);
/* Programs @data into the OTP at @address through the family's flash
 * driver (RM0351 3.3.1: double words, as main flash). It can never be undone:
 * needs GLINT_CONFIRM_PERMANENT_LOCK. Refuses a programming unit that was
 * already written (GLINT_ERROR_NOT_ERASED), a chip without OTP
 * (GLINT_ERROR_UNSUPPORTED) and a range leaving the OTP. */
gboolean glint_job_program_otp(GlintSession *self, guint32 address, GBytes *data,
			       GlintConfirm confirm, GlintProgress *progress,
			       GCancellable *cancellable, GlintJobResult *result, GError **error);

/* Blank check for the erase dialog: one gint8 per erase unit of the
 * geometry (global index): 1 erased, 0 holds data, -1 unknown (a PCROP
 * area hides it). Fails on a read-protected chip. */
GArray *glint_job_blank_check(GlintSession *self, GlintProgress *progress,
			      GCancellable *cancellable, GError **error);

G_END_DECLS
