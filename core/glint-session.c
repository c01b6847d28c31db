/* glint-session.c: sessions (one probe and the chip behind it), what every
 * job shares (lock, clock, summary), and the small jobs: connect,
 * disconnect, reset, read option bytes, clear flags. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-i18n.h"
#include "glint-job-private.h"

#include <string.h>

GlintSession *
glint_session_new(GlintTransport *transport)
{
	GlintSession *self = g_new0(GlintSession, 1);
	self->ref_count = 1;
	g_mutex_init(&self->job_lock);
	self->transport = glint_transport_ref(transport);
	return self;
}

GlintSession *
glint_session_ref(GlintSession *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
glint_session_unref(GlintSession *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test(&self->ref_count))
		return;
	g_clear_pointer(&self->target, glint_target_free);
	g_clear_pointer(&self->stlink, glint_stlink_free);
	glint_transport_unref(self->transport);
	g_mutex_clear(&self->job_lock);
	g_free(self);
}

GlintTransport *
glint_session_get_transport(GlintSession *self)
{
	return self->transport;
}

GlintTarget *
glint_session_get_target(GlintSession *self)
{
	return self->target;
}

/* The window asks this on the main thread while a worker may be connecting
 * or disconnecting the session, so the target pointer is published and
 * detached atomically (see session_detach_target). */
gboolean
glint_session_is_connected(GlintSession *self)
{
	return g_atomic_pointer_get(&self->target) != NULL;
}

const GlintTargetInfo *
glint_session_get_target_info(GlintSession *self)
{
	return self->target != NULL ? &self->target->info : NULL;
}

void
glint_target_info_option_context(const GlintTargetInfo *info, GlintOptionContext *ctx)
{
	ctx->layout = info->chip->options;
	ctx->geometry = &info->geometry;
	ctx->chip_name = info->chip->name;
	ctx->bank2_empty = info->bank2_empty;
	ctx->chip = info->chip;
}

gboolean
glint_target_info_apply_option_edit(const GlintTargetInfo *info, GlintOptionBytes *ob,
				    const char *edit, GError **error)
{
	GlintOptionContext ctx;
	glint_target_info_option_context(info, &ctx);
	return glint_option_bytes_apply_edit(ob, &ctx, edit, error);
}

void
glint_job_result_clear(GlintJobResult *result)
{
	if (result == NULL)
		return;
	g_clear_pointer(&result->summary, g_free);
	memset(result, 0, sizeof(*result));
}

gboolean
glint_job_begin(GlintSession *self, GlintJobClock *clock, gboolean need_target, GError **error)
{
	if (!g_mutex_trylock(&self->job_lock)) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_BUSY,
				    _("Another job is running on this probe; wait for it to finish "
				      "or cancel it"));
		return FALSE;
	}
	if (need_target && self->target == NULL) {
		g_mutex_unlock(&self->job_lock);
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Not connected to a target; connect first"));
		return FALSE;
	}
	clock->session = self;
	clock->host_start = g_get_monotonic_time();
	clock->device_start = glint_transport_get_device_time_ns(self->transport);
	return TRUE;
}

void
glint_job_end(GlintJobClock *clock)
{
	g_mutex_unlock(&clock->session->job_lock);
}

static void
format_rate(GString *s, guint64 bytes, gdouble seconds)
{
	if (bytes == 0 || seconds <= 0)
		return;
	g_string_append_printf(s, _(", %.1f KiB/s"), bytes / 1024.0 / seconds);
}

/* Fills @result with durations and a one-line summary of what was done. */
void
glint_job_summarize(GlintJobClock *clock, GlintJobResult *result, const char *what)
{
	gint64 device_now = glint_transport_get_device_time_ns(clock->session->transport);
	g_autoptr(GString) s = g_string_new(what);

	if (result == NULL)
		return;
	result->host_seconds = (g_get_monotonic_time() - clock->host_start) / 1e6;
	result->device_seconds = -1;
	if (clock->device_start >= 0 && device_now >= 0)
		result->device_seconds = (device_now - clock->device_start) / 1e9;

	if (result->bytes > 0)
		g_string_append_printf(s,
				       g_dngettext(GETTEXT_PACKAGE, ": %" PRIu64 " byte",
						   ": %" PRIu64 " bytes", (gulong)result->bytes),
				       result->bytes);
	if (result->pages_erased > 0)
		g_string_append_printf(s,
				       /* TRANSLATORS: "page" is any erase unit here, sectors too */
				       g_dngettext(GETTEXT_PACKAGE, ", %u page erased",
						   ", %u pages erased", result->pages_erased),
				       result->pages_erased);
	if (result->pages_skipped > 0)
		g_string_append_printf(s,
				       g_dngettext(GETTEXT_PACKAGE, ", %u page skipped",
						   ", %u pages skipped", result->pages_skipped),
				       result->pages_skipped);
	if (result->device_seconds >= 0) {
		g_string_append_printf(s, _(" in %.3f s modelled device time"),
				       result->device_seconds);
		format_rate(s, result->bytes, result->device_seconds);
		g_string_append_printf(s, _(" (%.3f s host)"), result->host_seconds);
	} else {
		g_string_append_printf(s, _(" in %.3f s"), result->host_seconds);
		format_rate(s, result->bytes, result->host_seconds);
	}
	g_free(result->summary);
	result->summary = g_string_free(g_steal_pointer(&s), FALSE);
}

gboolean
glint_job_cancelled_after(GCancellable *cancellable, GError **error, const char *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	if (!g_cancellable_is_cancelled(cancellable))
		return FALSE;
	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_CANCELLED, what);
	return TRUE;
}

/* Connect ------------------------------------------------------------------ */

/* Job lock held. */
static void
session_detach_target(GlintSession *self)
{
	GlintTarget *target = g_atomic_pointer_exchange(&self->target, NULL);
	if (target != NULL)
		glint_target_free(target);
}

static gboolean
open_probe(GlintSession *self, GError **error)
{
	session_detach_target(self);
	g_clear_pointer(&self->stlink, glint_stlink_free);
	self->stlink = glint_stlink_new(self->transport);
	return glint_stlink_open(self->stlink, error);
}

static void
log_connected(GlintTarget *t, GlintProgress *progress)
{
	const GlintTargetInfo *i = &t->info;
	glint_progress_log(
	    progress, G_LOG_LEVEL_MESSAGE,
	    g_dngettext(GETTEXT_PACKAGE,
			"Connected to %s (device id 0x%03X, revision %s), %u KiB flash "
			"in %u bank, RDP level %u, via ST-LINK %s at %.2f V",
			"Connected to %s (device id 0x%03X, revision %s), %u KiB flash "
			"in %u banks, RDP level %u, via ST-LINK %s at %.2f V",
			i->geometry.n_banks),
	    i->chip->name, i->dev_id, i->rev_name, i->flash_kb, i->geometry.n_banks, i->rdp_level,
	    i->probe_version, i->voltage);
	if (i->rdp_level > 0)
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    _("The chip is read-protected (RDP level %u): its flash cannot be "
		      "read or written until RDP is set back to level 0"),
		    i->rdp_level);
	if (i->flash_sr & t->flash->error_flags) {
		g_autofree gchar *names =
		    t->flash->describe_status(i->flash_sr & t->flash->error_flags);
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("%s has %s set from an earlier operation; Glint clears "
				     "them before erasing or programming"),
				   t->flash->status_name, names);
	}
}

gboolean
glint_session_connect_locked(GlintSession *self, const GlintConnectOptions *options,
			     GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	GlintTarget *target;

	if (!open_probe(self, error))
		return FALSE;
	target = glint_target_attach(self->stlink, options, progress, cancellable, error);
	if (target == NULL)
		return FALSE;
	target->info.probe_version =
	    glint_stlink_version_to_string(glint_stlink_get_version(self->stlink));
	g_atomic_pointer_set(&self->target, target);
	return TRUE;
}

gboolean
glint_job_connect(GlintSession *self, const GlintConnectOptions *options, GlintProgress *progress,
		  GCancellable *cancellable, GError **error)
{
	GlintConnectOptions defaults = {0};
	GlintJobClock clock;
	gboolean ok;

	if (!glint_job_begin(self, &clock, FALSE, error))
		return FALSE;
	glint_progress_add_step(progress, _("Connecting"), 1);
	glint_progress_begin_step(progress, 0);
	ok = glint_session_connect_locked(self, options != NULL ? options : &defaults, progress,
					  cancellable, error);
	if (ok)
		log_connected(self->target, progress);
	if (ok)
		glint_progress_finish(progress);
	glint_job_end(&clock);
	return ok;
}

void
glint_job_disconnect(GlintSession *self)
{
	g_mutex_lock(&self->job_lock);
	if (self->target != NULL) {
		/* Let the firmware run again (unless it was halted on purpose)
		 * and leave debug mode politely. */
		if (!self->target->leave_halted)
			glint_target_run(self->target, NULL);
		glint_stlink_exit_debug(self->stlink, NULL);
	}
	session_detach_target(self);
	g_clear_pointer(&self->stlink, glint_stlink_free);
	g_mutex_unlock(&self->job_lock);
}

gboolean
glint_job_read_options(GlintSession *self, GlintOptionBytes *options, GError **error)
{
	GlintJobClock clock;
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	ok = glint_target_refresh(self->target, error);
	if (ok && options != NULL)
		*options = self->target->info.options;
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_reset(GlintSession *self, GlintResetMode mode, gboolean halt, GCancellable *cancellable,
		GError **error)
{
	GlintJobClock clock;
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	ok = glint_target_reset(self->target, mode, halt, error);
	/* "reset --halt" means halted afterwards, also once disconnected */
	if (ok)
		self->target->leave_halted = halt;
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_session_clear_flags(GlintSession *self, GlintProgress *progress, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	guint32 cleared = 0;
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = self->target;
	ok = t->flash->clear_flags(t, &cleared, error);
	if (ok) {
		g_autofree gchar *names = t->flash->describe_status(cleared);
		if (cleared != 0)
			glint_progress_log(progress, G_LOG_LEVEL_MESSAGE, _("Cleared %s flags: %s"),
					   t->flash->status_name, names);
		else
			glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
					   _("%s had no error flags set"), t->flash->status_name);
		ok = glint_target_refresh(t, error);
	}
	glint_job_end(&clock);
	return ok;
}
