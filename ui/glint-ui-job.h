/* glint-ui-job.h: runs one core job (connect, erase, program, verify, read,
 * export, option bytes, reset, fix, diagnose) on a GTask worker thread and
 * relays its progress and log lines to the main loop, coalesced, so the
 * window only renders. Owns nothing of GTK. */
#pragma once

#include <gio/gio.h>

#include "glint-firmware-file.h"
#include "glint-job.h"
#include "glint-sim.h"

G_BEGIN_DECLS

typedef enum {
	GLINT_UI_JOB_CONNECT,
	GLINT_UI_JOB_DISCONNECT,
	GLINT_UI_JOB_ERASE_MASS,
	GLINT_UI_JOB_PROGRAM,
	GLINT_UI_JOB_VERIFY,
	GLINT_UI_JOB_READ,
	GLINT_UI_JOB_EXPORT,
	GLINT_UI_JOB_WRITE_OPTIONS,
	GLINT_UI_JOB_RESET,
	GLINT_UI_JOB_APPLY_FIX,
	GLINT_UI_JOB_DIAGNOSE,
	GLINT_UI_JOB_READ_OPTIONS,
	/* issue 15: the erase dialog and the memory editor */
	GLINT_UI_JOB_ERASE_BANK,
	GLINT_UI_JOB_ERASE_UNITS,
	GLINT_UI_JOB_BLANK_CHECK,
	GLINT_UI_JOB_WRITE_MEMORY,
	GLINT_UI_JOB_FILL_MEMORY,
	GLINT_UI_JOB_PROGRAM_OTP,
} GlintUiJobKind;

typedef struct {
	GlintUiJobKind kind;
	/* inputs */
	GlintSession *session;	  /* NULL for a connect that creates its session */
	gchar *usb_serial;	  /* connect: open this real probe (NULL: the only one) */
	gchar *sim_scenario;	  /* connect: create a simulated board in this scenario */
	GlintSim *sim;		  /* the simulated board behind @session, if any */
	gchar *sim_state_path;	  /* where the simulated board's state lives */
	gboolean sim_state_reset; /* connect: a new board replaces the state it holds */
	GlintConnectOptions connect_options;
	GlintImage *image;
	/* PROGRAM, VERIFY: where @image came from; checked against the disk
	 * first, and reloaded when it changed there */
	GlintFirmwareFile *file;
	GlintProgramOptions program_options;
	guint32 address;
	guint32 size;
	gchar *path; /* export destination */
	GlintImageFormat format;
	GlintOptionBytes options;
	GlintConfirm confirm;
	GlintFixKind fix;
	GlintResetMode reset_mode;
	guint bank;	    /* ERASE_BANK: the physical bank */
	GArray *units;	    /* ERASE_UNITS: global unit indices, increasing (guint) */
	GBytes *data;	    /* WRITE_MEMORY, PROGRAM_OTP */
	guint32 fill_value; /* FILL_MEMORY, @fill_width bytes wide */
	guint fill_width;
	GlintFlashWritePolicy write_policy;
	gboolean quiet; /* READ for the live refresh: no log line per read */
	/* outputs, valid when the job has finished */
	GlintJobResult result;
	GBytes *bytes;	     /* READ */
	GArray *blank;	     /* BLANK_CHECK: gint8 per unit (glint_job_blank_check) */
	GPtrArray *findings; /* CONNECT, APPLY_FIX, DIAGNOSE (element-type GlintFinding*) */
	gdouble seconds;     /* host time the job took */
	gchar *notice;	     /* something the user must see although the job succeeded */
	GlintFirmwareFile *reloaded_file; /* @file as reloaded from disk, if it changed */
} GlintUiJob;

GlintUiJob *glint_ui_job_new(GlintUiJobKind kind, GlintSession *session);
void glint_ui_job_free(GlintUiJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintUiJob, glint_ui_job_free)

/* "Program", "Mass erase", ... */
const char *glint_ui_job_kind_title(GlintUiJobKind kind);
/* Whether a job of @kind changes memory contents (the memory view re-reads). */
gboolean glint_ui_job_changes_memory(GlintUiJobKind kind);
/* One summary line for the log: the core's summary, or one built from the
 * result (what, bytes, pages erased, duration, KB/s). */
gchar *glint_ui_job_summary(const GlintUiJob *job);

/* Called on the main context of the caller of glint_ui_job_run(). */
typedef void (*GlintUiJobProgressFunc)(const GlintProgressUpdate *update, gpointer user_data);

/* Runs @job (ownership taken) on a worker thread. @owner is kept alive until
 * @callback has run; progress and log lines reach @progress_func/@log_func on
 * the caller's main context, all of them before @callback. */
void glint_ui_job_run(GlintUiJob *job, GObject *owner, GCancellable *cancellable,
		      GlintUiJobProgressFunc progress_func, GlintLogFunc log_func,
		      GAsyncReadyCallback callback, gpointer user_data);
/* The job handed to glint_ui_job_run (owned by @res). */
GlintUiJob *glint_ui_job_from_result(GAsyncResult *res);
gboolean glint_ui_job_finish(GAsyncResult *res, GError **error);

G_END_DECLS
