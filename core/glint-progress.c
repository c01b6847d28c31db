/* glint-progress.c: weighted steps, rate and time left, coalesced updates. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-i18n.h"
#include "glint-progress.h"

#include <stdarg.h>

/* At most ~30 updates per second reach the front end. */
#define PROGRESS_MIN_INTERVAL_US (G_USEC_PER_SEC / 30)

typedef struct {
	gchar *phase;
	guint weight;
} Step;

struct _GlintProgress {
	GlintProgressFunc progress_func;
	GlintLogFunc log_func;
	gpointer user_data;
	GArray *steps; /* of Step */
	gint current;  /* index of the running step, -1 before the first */
	guint64 bytes_done;
	guint64 bytes_total;
	gint64 job_start_us;
	gint64 step_start_us;
	gint64 last_emit_us;
	gdouble last_fraction;
};

static void
step_clear(Step *step)
{
	g_free(step->phase);
}

GlintProgress *
glint_progress_new(GlintProgressFunc progress_func, GlintLogFunc log_func, gpointer user_data)
{
	GlintProgress *self = g_new0(GlintProgress, 1);
	self->progress_func = progress_func;
	self->log_func = log_func;
	self->user_data = user_data;
	self->steps = g_array_new(FALSE, TRUE, sizeof(Step));
	g_array_set_clear_func(self->steps, (GDestroyNotify)step_clear);
	self->current = -1;
	self->job_start_us = g_get_monotonic_time();
	return self;
}

void
glint_progress_free(GlintProgress *self)
{
	if (self == NULL)
		return;
	g_array_unref(self->steps);
	g_free(self);
}

void
glint_progress_add_step(GlintProgress *self, const char *phase, guint weight)
{
	Step step = {NULL, weight};
	if (self == NULL)
		return;
	step.phase = g_strdup(phase);
	if (self->steps->len == 0)
		self->job_start_us = g_get_monotonic_time();
	g_array_append_val(self->steps, step);
}

static guint
total_weight(GlintProgress *self)
{
	guint total = 0;
	for (guint i = 0; i < self->steps->len; i++)
		total += g_array_index(self->steps, Step, i).weight;
	return total;
}

gdouble
glint_progress_get_fraction(GlintProgress *self)
{
	guint total, before = 0;
	gdouble within;
	Step *step;

	if (self == NULL || self->current < 0)
		return 0.0;
	total = total_weight(self);
	if (total == 0)
		return 0.0;
	for (gint i = 0; i < self->current; i++)
		before += g_array_index(self->steps, Step, i).weight;
	step = &g_array_index(self->steps, Step, self->current);
	within =
	    self->bytes_total > 0 ? (gdouble)self->bytes_done / (gdouble)self->bytes_total : 0.0;
	return MIN(1.0, (before + within * step->weight) / total);
}

static void
emit(GlintProgress *self, gboolean force)
{
	GlintProgressUpdate u = {0};
	gint64 now = g_get_monotonic_time();
	gdouble step_elapsed;

	if (self->progress_func == NULL)
		return;
	if (!force && now - self->last_emit_us < PROGRESS_MIN_INTERVAL_US)
		return;
	self->last_emit_us = now;

	u.fraction = glint_progress_get_fraction(self);
	/* Never let the bar go backwards, even if a step is re-sized. */
	if (u.fraction < self->last_fraction)
		u.fraction = self->last_fraction;
	self->last_fraction = u.fraction;
	u.phase = self->current >= 0 ? g_array_index(self->steps, Step, self->current).phase : "";
	u.bytes_done = self->bytes_done;
	u.bytes_total = self->bytes_total;
	u.elapsed = (now - self->job_start_us) / (gdouble)G_USEC_PER_SEC;
	step_elapsed = (now - self->step_start_us) / (gdouble)G_USEC_PER_SEC;
	u.rate = step_elapsed > 0.05 ? self->bytes_done / step_elapsed : 0.0;
	u.remaining = -1.0;
	if (u.fraction > 0.02 && u.elapsed > 0.2)
		u.remaining = u.elapsed * (1.0 - u.fraction) / u.fraction;
	self->progress_func(&u, self->user_data);
}

void
glint_progress_begin_step(GlintProgress *self, guint64 bytes_total)
{
	if (self == NULL)
		return;
	if ((guint)(self->current + 1) >= self->steps->len) {
		/* A job that did not declare this step: add it with no weight so
		 * the phase text still shows. */
		Step step = {g_strdup(""), 0};
		g_array_append_val(self->steps, step);
	}
	self->current++;
	self->bytes_done = 0;
	self->bytes_total = bytes_total;
	self->step_start_us = g_get_monotonic_time();
	emit(self, TRUE);
}

void
glint_progress_update(GlintProgress *self, guint64 bytes_done)
{
	if (self == NULL)
		return;
	self->bytes_done = MIN(bytes_done, self->bytes_total);
	emit(self, self->bytes_done == self->bytes_total);
}

void
glint_progress_finish(GlintProgress *self)
{
	if (self == NULL)
		return;
	self->current = self->steps->len > 0 ? (gint)self->steps->len - 1 : -1;
	self->bytes_done = self->bytes_total = 1;
	if (self->current < 0) {
		Step step = {g_strdup(_("Done")), 1};
		g_array_append_val(self->steps, step);
		self->current = 0;
	}
	emit(self, TRUE);
}

void
glint_progress_log(GlintProgress *self, GLogLevelFlags level, const char *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);

	/* The job's own sink shows it to the user; the structured log keeps a
	 * debug copy (G_MESSAGES_DEBUG) without printing warnings twice. */
	g_debug("%s", message);
	if (self != NULL && self->log_func != NULL)
		self->log_func(level, message, self->user_data);
}
