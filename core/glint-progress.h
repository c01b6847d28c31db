/* glint-progress.h: a job's progress as weighted steps, plus its log.
 *
 * A job declares its steps with weights (erase 10, program 80, verify 10);
 * each step reports bytes done of bytes total; the overall fraction, rate and
 * time left are derived here, so front ends only render. Updates are
 * coalesced to at most ~30 per second (the first and last always pass).
 * Callbacks run on the job's thread: a GUI marshals them to its main loop.
 * Every function accepts a NULL progress and then does nothing. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	gdouble fraction;    /* 0..1 over the whole job */
	const char *phase;   /* "Erasing", "Programming", "Verifying" */
	guint64 bytes_done;  /* within the current step */
	guint64 bytes_total; /* within the current step (0: not byte-based) */
	gdouble elapsed;     /* host seconds since the job started */
	gdouble rate;	     /* bytes per second in the current step, 0 if unknown */
	gdouble remaining;   /* estimated seconds left in the job, < 0 if unknown */
} GlintProgressUpdate;

typedef void (*GlintProgressFunc)(const GlintProgressUpdate *update, gpointer user_data);
/* A job's log line: what it did, what it cleared, what failed and why. */
typedef void (*GlintLogFunc)(GLogLevelFlags level, const char *message, gpointer user_data);

typedef struct _GlintProgress GlintProgress;

GlintProgress *glint_progress_new(GlintProgressFunc progress_func, GlintLogFunc log_func,
				  gpointer user_data);
void glint_progress_free(GlintProgress *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintProgress, glint_progress_free)

/* For jobs. */
void glint_progress_add_step(GlintProgress *self, const char *phase, guint weight);
void glint_progress_begin_step(GlintProgress *self, guint64 bytes_total);
void glint_progress_update(GlintProgress *self, guint64 bytes_done);
void glint_progress_finish(GlintProgress *self);
void glint_progress_log(GlintProgress *self, GLogLevelFlags level, const char *format, ...)
    G_GNUC_PRINTF(3, 4);
gdouble glint_progress_get_fraction(GlintProgress *self);

G_END_DECLS
