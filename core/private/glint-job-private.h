/* glint-job-private.h: what the job files share (core-internal): the
 * session's fields and the begin/end/summary of every job. */
#pragma once

#include "glint-job.h"
#include "glint-stlink.h"
#include "glint-target.h"

struct _GlintSession {
	gint ref_count;
	GMutex job_lock;
	GlintTransport *transport;
	GlintStlink *stlink;
	GlintTarget *target; /* published and detached atomically */
};

/* A running job: which session it holds, and when it started (host and
 * modelled device time). */
typedef struct {
	GlintSession *session;
	gint64 host_start;
	gint64 device_start;
} GlintJobClock;

/* Takes the session's job lock (GLINT_ERROR_BUSY if another job holds it)
 * and, with @need_target, insists on a connected chip. */
gboolean glint_job_begin(GlintSession *self, GlintJobClock *clock, gboolean need_target,
			 GError **error);
void glint_job_end(GlintJobClock *clock);
/* Fills @result with durations and a one-line summary of what was done. */
void glint_job_summarize(GlintJobClock *clock, GlintJobResult *result, const char *what);
/* TRUE (with GLINT_ERROR_CANCELLED) when the user asked to stop, with what the job had done by then
 * (@format) as the error's message: the window's progress line, its log and the command line's last
 * line then tell the user what the chip was left with. */
gboolean glint_job_cancelled_after(GCancellable *cancellable, GError **error, const char *format,
				   ...) G_GNUC_PRINTF(3, 4);
/* Opens the probe and attaches the target; job lock held. */
gboolean glint_session_connect_locked(GlintSession *self, const GlintConnectOptions *options,
				      GlintProgress *progress, GCancellable *cancellable,
				      GError **error);

/* Refuses (read protection) before flash is touched on an RDP 1/2 chip. */
gboolean glint_job_check_writable(GlintTarget *t, GError **error);
/* Refuses before touching anything if a protection area covers one of
 * @units (global indices); @what: "erase", "program". */
gboolean glint_job_check_protection(GlintTarget *t, GArray *units, const char *what,
				    GError **error);
