/* glint-window.c: the main window: session, jobs and their progress, info bar,
 * confirmations, target display, settings. Its actions are in
 * glint-window-actions.c. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-window.h"
#include "glint-window-private.h"

#include <cairo.h>
#include <string.h>

#include "glint-confirm.h"
#include "glint-erase-dialog.h"
#include "glint-settings.h"
#include "glint-ui-job.h"
#include "glint-usb.h"

G_DEFINE_TYPE(GlintWindow, glint_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_title(GlintWindow *self);

/* While the window waits to quit after a job, its log view is about to
 * go: what the job left on the chip also goes to stderr (the journal). */
static void
log_line(GlintWindow *self, GLogLevelFlags level, const char *message)
{
	glint_log_view_append(self->log_view, level, message);
	if (self->close_after_job && level <= G_LOG_LEVEL_WARNING)
		g_message("%s", message);
}

void
glint_window_log(GlintWindow *self, GLogLevelFlags level, const char *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	log_line(self, level, message);
}

gchar *
glint_window_default_sim_state_path(const char *scenario)
{
	g_autofree gchar *name = g_strdup_printf("sim-%s.state", scenario);
	return g_build_filename(g_get_user_data_dir(), "glint", name, NULL);
}

/* ---- state ------------------------------------------------------------ */

gboolean
glint_window_is_connected(GlintWindow *self)
{
	return self->session != NULL && glint_session_is_connected(self->session);
}

gboolean
glint_window_is_busy(GlintWindow *self)
{
	return self->busy;
}

GlintSession *
glint_window_get_session(GlintWindow *self)
{
	return self->session;
}

GlintSim *
glint_window_get_sim(GlintWindow *self)
{
	return self->sim;
}

GtkDialog *
glint_window_get_confirm_dialog(GlintWindow *self)
{
	return self->confirm_dialog;
}

GtkDialog *
glint_window_get_erase_dialog(GlintWindow *self)
{
	return self->erase_dialog;
}

GlintDevicePanel *
glint_window_get_device_panel(GlintWindow *self)
{
	return self->device_panel;
}

GlintFilePanel *
glint_window_get_file_panel(GlintWindow *self)
{
	return self->file_panel;
}

GlintOptionsPanel *
glint_window_get_options_panel(GlintWindow *self)
{
	return self->options_panel;
}

GlintMemoryView *
glint_window_get_memory_view(GlintWindow *self)
{
	return self->memory_view;
}

GlintLogView *
glint_window_get_log_view(GlintWindow *self)
{
	return self->log_view;
}

GlintTargetView *
glint_window_get_target_view(GlintWindow *self)
{
	return self->target_view;
}

void
glint_window_show_page(GlintWindow *self, const char *page)
{
	gtk_stack_set_visible_child_name(self->stack, page);
}

gchar *
glint_window_sim_state_path(GlintWindow *self, const char *scenario)
{
	if (self->sim_state_override != NULL)
		return g_strdup(self->sim_state_override);
	return glint_window_default_sim_state_path(scenario);
}

/* Forgets the session with the previous probe (it is not connected). */
void
glint_window_release_session(GlintWindow *self)
{
	g_clear_pointer(&self->session, glint_session_unref);
	g_clear_pointer(&self->sim, glint_sim_unref);
	g_clear_pointer(&self->session_key, g_free);
	self->release_after_job = FALSE;
}

/* ---- target display ------------------------------------------------- */

/* The chip on the simulated board, before connecting: its DBGMCU_IDCODE
 * is read through the emulator's back door at the addresses Cortex-M STM32s
 * use (as glint-target.c tries them). NULL for a real probe. */
static const GlintChip *
simulated_chip(GlintWindow *self)
{
	static const guint32 idcode_addresses[] = {0xE0042000u, 0x40015800u, 0xE0044000u,
						   0x5C001000u};
	g_autoptr(GlintSim) board = NULL;

	if (!glint_device_panel_is_sim_selected(self->device_panel))
		return NULL;
	board = self->sim != NULL
		    ? glint_sim_ref(self->sim)
		    : glint_sim_new(glint_device_panel_get_scenario(self->device_panel), NULL);
	for (guint i = 0; board != NULL && i < G_N_ELEMENTS(idcode_addresses); i++) {
		guint16 dev = glint_sim_peek32(board, idcode_addresses[i]) & 0xFFF;
		if (dev != 0 && dev != 0xFFF)
			return glint_chip_lookup(dev);
	}
	return NULL;
}

/* What a saved log says about the probe and chip it talks of. */
static void
update_log_header(GlintWindow *self, const GlintTargetInfo *info)
{
	g_autofree gchar *header = NULL;
	gboolean sim = glint_device_panel_is_sim_selected(self->device_panel);
	if (info == NULL) {
		glint_log_view_set_header(self->log_view, NULL);
		return;
	}
	header = g_strdup_printf(
	    _("# Probe: %s%s, serial %s, firmware %s, target at %.2f V\n"
	      "# Chip: %s (device 0x%03X, revision %s), %u KB flash, RDP level %u\n"
	      "# UID: %s\n"),
	    sim ? _("simulated ST-LINK") : "ST-LINK", sim ? _(" (Glint's emulator)") : "",
	    sim && self->sim != NULL ? _("as simulated")
				     : glint_device_panel_get_serial(self->device_panel),
	    info->probe_version != NULL ? info->probe_version : _("unknown"), info->voltage,
	    info->chip != NULL ? info->chip->name : _("unknown"), info->dev_id,
	    info->rev_name != NULL ? info->rev_name : _("unknown"), info->flash_kb, info->rdp_level,
	    info->uid);
	glint_log_view_set_header(self->log_view, header);
}

void
glint_window_show_target(GlintWindow *self, gboolean options_too)
{
	const GlintTargetInfo *info = NULL;
	if (glint_window_is_connected(self))
		info = glint_session_get_target_info(self->session);
	glint_target_view_set_session(self->target_view, info != NULL ? self->session : NULL);
	update_log_header(self, info);
	glint_device_panel_set_target(self->device_panel, info);
	if (info == NULL) {
		glint_options_panel_set_target(self->options_panel, NULL, NULL, NULL, FALSE);
		glint_memory_view_set_target(self->memory_view, NULL, NULL);
		/* Range warnings for files before connecting: the simulated
		 * board's chip is known. */
		glint_file_panel_set_target(self->file_panel, simulated_chip(self), NULL);
		return;
	}
	if (options_too) {
		glint_options_panel_set_target(self->options_panel, info->chip, &info->geometry,
					       &info->options, info->bank2_empty);
		glint_memory_view_set_target(self->memory_view, info->chip, &info->geometry);
	}
	glint_file_panel_set_target(self->file_panel, info->chip, &info->geometry);
}

static void
update_title(GlintWindow *self)
{
	gboolean sim = glint_device_panel_is_sim_selected(self->device_panel);
	g_autofree gchar *subtitle = NULL;
	const char *where = glint_window_is_connected(self) ? _("connected") : _("not connected");

	if (sim) {
		g_autofree gchar *board = glint_device_panel_get_board_title(self->device_panel);
		subtitle =
		    g_strdup_printf(_("Simulated %s (%s) · %s"), board,
				    glint_device_panel_get_scenario(self->device_panel), where);
	} else
		subtitle = g_strdup_printf(
		    _("ST-LINK %s · %s"), glint_device_panel_get_serial(self->device_panel), where);
	gtk_header_bar_set_subtitle(self->header_bar, subtitle);
	/* The title (header bar, window list, screen readers) says which kind
	 * of probe: a simulation is never mistaken for hardware. */
	{
		g_autofree gchar *title =
		    sim ? g_strdup(_("Glint — Simulated board"))
			: g_strdup_printf(_("Glint — ST-LINK %s"),
					  glint_device_panel_get_serial(self->device_panel));
		gtk_window_set_title(GTK_WINDOW(self), title);
	}
	gtk_widget_set_visible(self->sim_badge, sim);
	gtk_button_set_label(GTK_BUTTON(self->connect_button),
			     glint_window_is_connected(self) ? _("_Disconnect") : _("_Connect"));
	atk_object_set_name(gtk_widget_get_accessible(self->connect_button),
			    glint_window_is_connected(self) ? _("Disconnect") : _("Connect"));
}

static void
set_action_enabled(GlintWindow *self, const char *name, gboolean enabled)
{
	GAction *action = g_action_map_lookup_action(G_ACTION_MAP(self), name);
	if (action != NULL)
		g_simple_action_set_enabled(G_SIMPLE_ACTION(action), enabled);
}

void
glint_window_update_actions(GlintWindow *self)
{
	gboolean connected = glint_window_is_connected(self);
	gboolean idle = !self->busy;
	gboolean image = glint_file_panel_get_image(self->file_panel) != NULL;
	const char *problem = glint_file_panel_get_program_problem(self->file_panel);

	set_action_enabled(self, "connect", idle);
	set_action_enabled(self, "erase", idle && connected);
	set_action_enabled(self, "program", idle && connected && image && problem == NULL);
	/* Say why Program is off when the file is the reason. */
	gtk_widget_set_tooltip_text(
	    self->program_button,
	    connected && image && problem != NULL
		? problem
		: _("Erases what the file covers, programs and verifies it. A bank or the whole "
		    "chip is erased at once only where that loses nothing: when everything "
		    "beyond the file is blank (the log says so)"));
	set_action_enabled(self, "verify", idle && connected && image);
	set_action_enabled(self, "reset", idle && connected);
	set_action_enabled(self, "diagnose", idle && connected);
	set_action_enabled(self, "export-memory", idle && connected);
	set_action_enabled(self, "refresh-memory", idle && connected);
	set_action_enabled(self, "edit-memory", idle && connected);
	set_action_enabled(self, "read-options", idle && connected);
	set_action_enabled(self, "apply-options",
			   idle && connected &&
			       glint_options_panel_has_target(self->options_panel));
	set_action_enabled(self, "cancel", self->busy);
	gtk_widget_set_sensitive(self->info_fix_button, idle);
	glint_device_panel_set_busy(self->device_panel, self->busy);
	update_title(self);
	glint_window_update_target_view(self);
}

void
glint_window_update_target_view(GlintWindow *self)
{
	gboolean shown = g_strcmp0(gtk_stack_get_visible_child_name(self->stack), "target") == 0;
	glint_target_view_set_active(
	    self->target_view, shown && !self->disposed && !self->busy && !self->close_after_job &&
				   !self->close_after_target && glint_window_is_connected(self));
}

/* ---- info bar ------------------------------------------------------- */

/* One message at a time: @fix (GLINT_FIX_NONE for none) becomes its button. */
static void
show_message(GlintWindow *self, GtkMessageType type, const char *text, GlintFixKind fix,
	     gboolean show_diff)
{
	self->info_fix = fix;
	gtk_label_set_text(self->info_label, text);
	gtk_info_bar_set_message_type(self->info_bar, type);
	if (fix != GLINT_FIX_NONE) {
		gtk_button_set_label(GTK_BUTTON(self->info_fix_button), glint_fix_label(fix));
		gtk_widget_show(self->info_fix_button);
	} else {
		gtk_widget_hide(self->info_fix_button);
	}
	gtk_widget_set_visible(self->info_diff_button, show_diff);
	gtk_widget_show(GTK_WIDGET(self->info_bar));
}

/* "Verify failed: 3 bytes differ", never "Verify failed: Verify failed: …":
 * a message that already says what failed keeps its own words. */
static gchar *
failure_text(const char *what, const char *message)
{
	g_autofree gchar *prefix = g_strdup_printf(_("%s failed"), what);
	if (g_ascii_strncasecmp(message, prefix, strlen(prefix)) == 0)
		return g_strdup(message);
	return g_strdup_printf("%s: %s", prefix, message);
}

static void
show_error(GlintWindow *self, const char *what, const GError *error)
{
	g_autofree gchar *text = failure_text(what, error->message);
	show_message(self, GTK_MESSAGE_ERROR, text, glint_fix_for_error(error),
		     g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH));
}

/* The most severe finding that needs action (a warning or an error with a
 * fix), or NULL. */
static const GlintFinding *
finding_needing_action(GPtrArray *findings, guint *n_needing)
{
	const GlintFinding *worst = NULL;
	*n_needing = 0;
	for (guint i = 0; findings != NULL && i < findings->len; i++) {
		const GlintFinding *f = g_ptr_array_index(findings, i);
		if (f->severity == GLINT_SEVERITY_INFO || f->fix_kind == GLINT_FIX_NONE)
			continue;
		(*n_needing)++;
		if (worst == NULL || f->severity > worst->severity)
			worst = f;
	}
	return worst;
}

/* What needs the user after a connect goes in the info bar, not only below
 * the fold of the device panel: a note from the job (a damaged board state
 * set aside) and the worst finding with its fix. */
static void
show_connect_notices(GlintWindow *self, const GlintUiJob *job)
{
	guint n = 0;
	const GlintFinding *finding = finding_needing_action(job->findings, &n);
	g_autoptr(GString) text = g_string_new(job->notice);

	if (job->notice == NULL && finding == NULL)
		return;
	if (finding != NULL) {
		if (text->len > 0)
			g_string_append_c(text, '\n');
		g_string_append(text, finding->title);
		if (finding->impact != NULL)
			g_string_append_printf(text, ". %s", finding->impact);
		if (n > 1)
			g_string_append_printf(
			    text,
			    g_dngettext(GETTEXT_PACKAGE, " (%u more finding in the device panel)",
					" (%u more findings in the device panel)", n - 1),
			    n - 1);
	}
	show_message(self,
		     finding != NULL && finding->severity == GLINT_SEVERITY_ERROR
			 ? GTK_MESSAGE_ERROR
			 : GTK_MESSAGE_WARNING,
		     text->str, finding != NULL ? finding->fix_kind : GLINT_FIX_NONE, FALSE);
}

static void
hide_error(GlintWindow *self)
{
	gtk_widget_hide(GTK_WIDGET(self->info_bar));
	self->info_fix = GLINT_FIX_NONE;
}

/* ---- confirmations -------------------------------------------------- */

typedef struct {
	GlintWindowConfirmFunc func;
	GlintWindowConfirmFunc reject;
	gpointer data;
	GDestroyNotify destroy;
} ConfirmData;

static void
confirm_data_free(ConfirmData *cd)
{
	if (cd->destroy != NULL)
		cd->destroy(cd->data);
	g_free(cd);
}

static void
on_confirm_dialog_response(GtkDialog *dialog, gint response, GlintWindow *self)
{
	ConfirmData *cd = g_object_get_data(G_OBJECT(dialog), "confirm-data");

	self->confirm_dialog = NULL;
	if (glint_confirm_dialog_is_confirmed(dialog, response))
		cd->func(self, cd->data);
	else if (cd->reject != NULL)
		cd->reject(self, cd->data);
	else
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Not done: %s was not confirmed."),
				 gtk_window_get_title(GTK_WINDOW(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}

/* Asks before something that erases or changes the chip; @func runs on
 * "accept". With @phrase, the accept button stays off until it is typed. */
void
glint_window_confirm(GlintWindow *self, const char *title, const char *body,
		     const char *accept_label, const char *phrase, GlintWindowConfirmFunc func,
		     gpointer data, GDestroyNotify destroy)
{
	glint_window_confirm_full(self, title, body, accept_label, phrase, func, NULL, data,
				  destroy);
}

void
glint_window_confirm_full(GlintWindow *self, const char *title, const char *body,
			  const char *accept_label, const char *phrase, GlintWindowConfirmFunc func,
			  GlintWindowConfirmFunc reject, gpointer data, GDestroyNotify destroy)
{
	GtkDialog *dialog;
	ConfirmData *cd = g_new0(ConfirmData, 1);

	if (self->confirm_dialog != NULL)
		gtk_widget_destroy(GTK_WIDGET(self->confirm_dialog));
	cd->func = func;
	cd->reject = reject;
	cd->data = data;
	cd->destroy = destroy;
	dialog = glint_confirm_dialog_new(GTK_WINDOW(self), title, body, accept_label, phrase);
	g_object_set_data_full(G_OBJECT(dialog), "confirm-data", cd,
			       (GDestroyNotify)confirm_data_free);
	g_signal_connect(dialog, "response", G_CALLBACK(on_confirm_dialog_response), self);
	self->confirm_dialog = dialog;
	gtk_widget_show(GTK_WIDGET(dialog));
}

/* ---- jobs ----------------------------------------------------------- */

static void
on_job_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (!self->disposed)
		log_line(self, level, message);
}

static void
on_job_progress(const GlintProgressUpdate *update, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GString *text;
	gdouble fraction = CLAMP(update->fraction, 0.0, 1.0);

	/* The core reports its final 100 % whatever the outcome; the result
	 * decides what the bar shows at the end (a cancelled job stays where it
	 * stopped). */
	if (fraction >= 1.0 || self->disposed)
		return;
	text = g_string_new(update->phase != NULL ? update->phase : _("Working"));

	g_string_append_printf(text, " %.0f %%", fraction * 100.0);
	if (update->bytes_total > 0) {
		g_autofree gchar *done = g_format_size(update->bytes_done);
		g_autofree gchar *total = g_format_size(update->bytes_total);
		g_string_append_printf(text, _(" — %s of %s"), done, total);
	}
	if (update->rate > 0)
		g_string_append_printf(text, " — %.1f KiB/s", update->rate / 1024.0);
	if (update->remaining >= 0)
		g_string_append_printf(text, _(" — %.0f s left"), update->remaining);
	gtk_progress_bar_set_fraction(self->progress_bar, fraction);
	gtk_progress_bar_set_text(self->progress_bar, text->str);
	g_string_free(text, TRUE);
}

static void
adopt_session(GlintWindow *self, GlintUiJob *job)
{
	if (self->session != NULL || job->session == NULL)
		return;
	self->session = glint_session_ref(job->session);
	if (job->sim != NULL)
		self->sim = glint_sim_ref(job->sim);
	if (self->sim != NULL && self->sim_state_override != NULL)
		glint_window_follow_state_file(self, glint_sim_get_spec(self->sim));
	g_free(self->session_key);
	self->session_key = glint_window_selection_key(self);
	if (self->sim != NULL) {
		g_autoptr(GlintProbeInfo) info = glint_sim_get_probe_info(self->sim);
		glint_device_panel_set_sim_probe(self->device_panel, info);
	}
}

static void
job_succeeded(GlintWindow *self, GlintUiJob *job)
{
	g_autofree gchar *summary = glint_ui_job_summary(job);
	const GlintTargetInfo *info = NULL;

	switch (job->kind) {
	case GLINT_UI_JOB_CONNECT:
		info = glint_session_get_target_info(self->session);
		if (info != NULL)
			glint_device_panel_set_probe_status(
			    self->device_panel,
			    self->sim != NULL ? NULL
					      : glint_device_panel_get_serial(self->device_panel),
			    info->probe_version, info->voltage);
		glint_window_log(
		    self, G_LOG_LEVEL_INFO, _("Connect: %s, %u KB flash, RDP level %u, in %.2f s"),
		    info != NULL && info->chip != NULL ? info->chip->name : _("an unknown chip"),
		    info != NULL ? info->flash_kb : 0, info != NULL ? info->rdp_level : 0,
		    job->seconds);
		break;
	case GLINT_UI_JOB_DISCONNECT:
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Disconnected"));
		break;
	case GLINT_UI_JOB_RESET:
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Target reset and running (%.2f s)"),
				 job->seconds);
		break;
	case GLINT_UI_JOB_DIAGNOSE:
	case GLINT_UI_JOB_READ_OPTIONS: {
		guint n = job->findings != NULL ? job->findings->len : 0;
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 g_dngettext(GETTEXT_PACKAGE, "%s: %u finding (%.2f s)",
					     "%s: %u findings (%.2f s)", n),
				 glint_ui_job_kind_title(job->kind), n, job->seconds);
	} break;
	case GLINT_UI_JOB_READ:
		glint_memory_view_set_data(self->memory_view, job->address, job->bytes);
		if (!job->quiet)
			glint_window_log(self, G_LOG_LEVEL_INFO, "%s", summary);
		break;
	case GLINT_UI_JOB_VERIFY:
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("Verify passed: the chip matches %s. %s"),
				 job->image != NULL && glint_image_get_name(job->image) != NULL
				     ? glint_image_get_name(job->image)
				     : _("the file"),
				 summary);
		break;
	case GLINT_UI_JOB_EXPORT:
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Saved 0x%08X-0x%08X to %s. %s"),
				 job->address, job->address + job->size - 1, job->path, summary);
		break;
	default:
		glint_window_log(self, G_LOG_LEVEL_INFO, "%s", summary);
		break;
	}
	gtk_progress_bar_set_fraction(self->progress_bar, 1.0);
	{
		g_autofree gchar *text = g_strdup_printf(
		    _("%s done in %.2f s"), glint_ui_job_kind_title(job->kind), job->seconds);
		gtk_progress_bar_set_text(self->progress_bar, text);
	}
}

static void
job_failed(GlintWindow *self, GlintUiJob *job, const GError *error)
{
	const char *title = glint_ui_job_kind_title(job->kind);
	if (glint_error_is_cancelled(error)) {
		/* The message says what the chip was left with; the bar keeps
		 * it in view where the job stopped. */
		glint_window_log(self, G_LOG_LEVEL_WARNING, _("%s: %s (%.2f s)"), title,
				 error->message, job->seconds);
		gtk_progress_bar_set_text(self->progress_bar, error->message);
		return;
	}
	{
		g_autofree gchar *text = failure_text(title, error->message);
		glint_window_log(self, G_LOG_LEVEL_CRITICAL, _("%s (after %.2f s)"), text,
				 job->seconds);
	}
	gtk_progress_bar_set_text(self->progress_bar, _("Failed"));
	show_error(self, title, error);
	/* A probe that vanished is gone for good: the next Connect starts a new session. */
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED))
		self->release_after_job = TRUE;
}

/* The memory view shows what the chip holds: after the flash changed, the
 * region on display is read again. */
static void
refresh_memory_after(GlintWindow *self, const GlintUiJob *job, gboolean ok)
{
	guint32 size = glint_memory_view_get_size(self->memory_view);
	if (!ok || size == 0 || !glint_window_is_connected(self))
		return;
	/* An RDP regression erases the flash as it goes. */
	if (!glint_ui_job_changes_memory(job->kind) &&
	    !(job->kind == GLINT_UI_JOB_APPLY_FIX && job->fix == GLINT_FIX_REGRESS_RDP))
		return;
	glint_window_read_memory(self, glint_memory_view_get_base(self->memory_view), size);
}

static void
on_job_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(source);
	GlintUiJob *job = glint_ui_job_from_result(res);
	g_autoptr(GError) error = NULL;
	gboolean ok = glint_ui_job_finish(res, &error);
	gboolean options_too;

	self->busy = FALSE;
	g_clear_object(&self->cancellable);
	if (self->disposed)
		return;
	if (job->kind == GLINT_UI_JOB_CONNECT)
		adopt_session(self, job);
	/* The job reloaded the file it was given; unless another was opened since. */
	if (job->reloaded_file != NULL && glint_file_panel_get_file(self->file_panel) == job->file)
		glint_file_panel_adopt(self->file_panel, job->reloaded_file);
	if (ok)
		job_succeeded(self, job);
	else
		job_failed(self, job, error);
	options_too =
	    job->kind == GLINT_UI_JOB_CONNECT || job->kind == GLINT_UI_JOB_DISCONNECT ||
	    job->kind == GLINT_UI_JOB_WRITE_OPTIONS || job->kind == GLINT_UI_JOB_APPLY_FIX ||
	    job->kind == GLINT_UI_JOB_READ_OPTIONS || job->kind == GLINT_UI_JOB_ERASE_MASS ||
	    job->kind == GLINT_UI_JOB_ERASE_BANK || job->kind == GLINT_UI_JOB_ERASE_UNITS;
	glint_window_show_target(self, options_too);
	if (job->findings != NULL)
		glint_device_panel_set_findings(self->device_panel, job->findings);
	if (ok && job->kind == GLINT_UI_JOB_CONNECT)
		show_connect_notices(self, job);
	if (job->kind == GLINT_UI_JOB_BLANK_CHECK && self->erase_dialog != NULL)
		glint_erase_dialog_set_blank(self->erase_dialog, job->blank,
					     error != NULL ? error->message : NULL);
	if (self->release_after_job) {
		glint_window_release_session(self);
		glint_window_show_target(self, TRUE);
	}
	glint_window_update_actions(self);
	if (self->close_after_job) {
		self->close_after_job = FALSE;
		gtk_window_close(GTK_WINDOW(self));
		return;
	}
	refresh_memory_after(self, job, ok);
}

static void
run_job(GlintWindow *self, GlintUiJob *job)
{
	glint_ui_job_run(job, G_OBJECT(self), self->cancellable, on_job_progress, on_job_log,
			 on_job_done, NULL);
}

/* Runs @job (ownership taken) unless one is running already. While the
 * Target tab's worker holds the probe the job waits for it to let go. */
gboolean
glint_window_start_job(GlintWindow *self, GlintUiJob *job)
{
	g_autofree gchar *text = NULL;
	if (self->busy) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("%s not started: another job is running (Cancel it first)."),
				 glint_ui_job_kind_title(job->kind));
		glint_ui_job_free(job);
		return FALSE;
	}
	if (self->sim != NULL && job->sim == NULL) {
		job->sim = glint_sim_ref(self->sim);
		job->sim_state_path =
		    glint_window_sim_state_path(self, glint_sim_get_spec(self->sim));
	}
	self->busy = TRUE;
	self->cancellable = g_cancellable_new();
	hide_error(self);
	text = g_strdup_printf("%s…", glint_ui_job_kind_title(job->kind));
	gtk_progress_bar_set_fraction(self->progress_bar, 0.0);
	gtk_progress_bar_set_text(self->progress_bar, text);
	glint_window_log(self, G_LOG_LEVEL_DEBUG, _("%s started"),
			 glint_ui_job_kind_title(job->kind));
	/* busy: the Target tab's worker is asked to stop */
	glint_window_update_actions(self);
	if (glint_target_view_is_running(self->target_view)) {
		self->pending_job = job;
		return TRUE;
	}
	run_job(self, job);
	return TRUE;
}

/* The Target tab's worker let go of the probe: the job waiting for it
 * runs, a window waiting to close closes, a probe that vanished is let go */
static void
on_target_view_stopped(GlintTargetView *view, const GError *error, GlintWindow *self)
{
	GlintUiJob *job = g_steal_pointer(&self->pending_job);

	if (self->disposed) {
		glint_ui_job_free(job);
		return;
	}
	if (error != NULL && g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED)) {
		show_error(self, C_("target command", "Target"), error);
		if (job == NULL) {
			glint_window_release_session(self);
			glint_window_show_target(self, TRUE);
			glint_window_update_actions(self);
		} else {
			self->release_after_job = TRUE;
		}
	}
	if (job != NULL) {
		if (g_cancellable_is_cancelled(self->cancellable)) {
			glint_window_log(self, G_LOG_LEVEL_WARNING, _("%s not started: cancelled"),
					 glint_ui_job_kind_title(job->kind));
			glint_ui_job_free(job);
			self->busy = FALSE;
			g_clear_object(&self->cancellable);
			gtk_progress_bar_set_text(self->progress_bar, _("Cancelled"));
			/* "Stop and Quit" while the job waited */
			if (self->close_after_job) {
				self->close_after_job = FALSE;
				gtk_window_close(GTK_WINDOW(self));
				return;
			}
			glint_window_update_actions(self);
		} else {
			run_job(self, job);
		}
	}
	if (self->close_after_target && !self->busy) {
		self->close_after_target = FALSE;
		gtk_window_close(GTK_WINDOW(self));
	}
}

static void
on_target_view_log(GlintTargetView *view, guint level, const char *message, GlintWindow *self)
{
	log_line(self, (GLogLevelFlags)level, message);
}

static void
on_stack_page_changed(GtkStack *stack, GParamSpec *pspec, GlintWindow *self)
{
	glint_window_update_target_view(self);
}

GlintUiJob *
glint_window_new_job(GlintWindow *self, GlintUiJobKind kind)
{
	return glint_ui_job_new(kind, self->session);
}

void
glint_window_start_connect(GlintWindow *self)
{
	GlintUiJob *job;
	g_autofree gchar *key = glint_window_selection_key(self);

	/* A session with another probe or scenario is dropped first. */
	if (self->session != NULL && g_strcmp0(key, self->session_key) != 0)
		glint_window_release_session(self);
	job = glint_window_new_job(self, GLINT_UI_JOB_CONNECT);
	glint_device_panel_get_connect_options(self->device_panel, &job->connect_options);
	if (self->session == NULL) {
		if (glint_device_panel_is_sim_selected(self->device_panel)) {
			const char *scenario = glint_device_panel_get_scenario(self->device_panel);
			job->sim_scenario = g_strdup(scenario);
			job->sim_state_path = glint_window_sim_state_path(self, scenario);
			job->sim_state_reset = g_strcmp0(self->state_reset_to, scenario) == 0;
		} else {
			job->usb_serial =
			    g_strdup(glint_device_panel_get_serial(self->device_panel));
		}
	}
	glint_window_start_job(self, job);
}

/* ---- template callbacks ---------------------------------------------- */

static void
on_memory_view_read_requested(GlintMemoryView *view, guint address, guint size, GlintWindow *self)
{
	glint_window_read_memory(self, address, size);
}

/* After a verify mismatch: the flash, read again, against the file. */
static void
show_differences(GlintWindow *self)
{
	GlintImage *image = glint_file_panel_get_image(self->file_panel);
	guint32 lowest = 0, end = 0;
	if (image == NULL)
		return;
	glint_image_get_bounds(image, &lowest, &end);
	glint_window_show_page(self, "memory");
	glint_memory_view_set_compare(self->memory_view, TRUE);
	glint_memory_view_show_first_difference(self->memory_view);
	/* Always a fresh read: the view may hold what the chip had before. */
	if (glint_memory_view_get_size(self->memory_view) > 0 &&
	    lowest >= glint_memory_view_get_base(self->memory_view) &&
	    lowest < glint_memory_view_get_base(self->memory_view) +
			 glint_memory_view_get_size(self->memory_view))
		glint_window_read_memory(self, glint_memory_view_get_base(self->memory_view),
					 glint_memory_view_get_size(self->memory_view));
	else
		glint_memory_view_goto(self->memory_view, lowest);
}

static void
on_info_bar_response(GtkInfoBar *bar, gint response, GlintWindow *self)
{
	GlintFixKind kind = self->info_fix;
	hide_error(self);
	if (response == 1)
		glint_window_request_fix(self, kind);
	else if (response == 2)
		show_differences(self);
}

static void
on_device_panel_fix_requested(GlintDevicePanel *panel, guint kind, GlintWindow *self)
{
	glint_window_request_fix(self, (GlintFixKind)kind);
}

static void
on_device_panel_selection_changed(GlintDevicePanel *panel, GlintWindow *self)
{
	glint_window_on_selection_changed(self);
}

/* Oldest first, so that the file panel's table ends with the latest. */
static void
restore_bin_bases(GlintWindow *self)
{
	guint n = g_strv_length(self->settings->bin_bases);
	for (guint i = n; i-- > 0;) {
		g_auto(GStrv) parts = g_strsplit(self->settings->bin_bases[i], " ", 2);
		guint32 base = 0;
		if (parts[0] != NULL && parts[1] != NULL &&
		    glint_settings_get_bin_base(self->settings, parts[1], &base))
			glint_file_panel_remember_base(self->file_panel, parts[1], base);
	}
}

static void
on_file_panel_image_loaded(GlintFilePanel *panel, const char *path, GlintWindow *self)
{
	GlintFirmwareFile *file = glint_file_panel_get_file(panel);
	const GlintImageLoadOptions *options =
	    file != NULL ? glint_firmware_file_get_options(file) : NULL;

	/* A raw binary does not say where it goes: the next open (or Recent)
	 * puts it where the user put it this time. */
	if (options != NULL && options->format == GLINT_IMAGE_FORMAT_BIN)
		glint_settings_set_bin_base(self->settings, path, options->bin_base);
	glint_settings_add_recent(self->settings, path);
	glint_file_panel_set_recent(self->file_panel, (const char *const *)self->settings->recent);
	glint_memory_view_set_image(self->memory_view, glint_file_panel_get_image(panel));
	glint_window_update_actions(self);
}

static void
on_file_panel_log(GlintFilePanel *panel, guint level, const char *message, GlintWindow *self)
{
	glint_log_view_append(self->log_view, (GLogLevelFlags)level, message);
}

/* On a 1024x600 screen the pages need the width: the side panel can go. */
static void
on_side_panel_toggled(GtkToggleButton *button, GlintWindow *self)
{
	gtk_widget_set_visible(self->side_panel, gtk_toggle_button_get_active(button));
}

void
glint_window_set_side_panel_visible(GlintWindow *self, gboolean visible)
{
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->side_panel_toggle), visible);
}

/* ---- drag and drop, hot-plug, settings --------------------------------- */

gboolean
glint_window_open_uris(GlintWindow *self, const char *const *uris)
{
	g_autofree gchar *path = NULL;
	if (uris == NULL || uris[0] == NULL)
		return FALSE;
	path = g_filename_from_uri(uris[0], NULL, NULL);
	if (path == NULL) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Dropped item %s is not a local file: save it to disk first."),
				 uris[0]);
		return FALSE;
	}
	if (uris[1] != NULL)
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("Several files dropped: opening only %s"), path);
	glint_file_panel_open(self->file_panel, path);
	return TRUE;
}

static void
on_window_drag_data_received(GtkWidget *widget, GdkDragContext *context, gint x, gint y,
			     GtkSelectionData *data, guint info, guint time, GlintWindow *self)
{
	g_auto(GStrv) uris = gtk_selection_data_get_uris(data);
	gboolean ok = glint_window_open_uris(self, (const char *const *)uris);
	gtk_drag_finish(context, ok, FALSE, time);
}

static void
apply_settings(GlintWindow *self)
{
	GlintConnectOptions connect = {
	    .swd_khz = self->settings->swd_khz,
	    .under_reset = self->settings->under_reset,
	    .reset_mode = (GlintResetMode)self->settings->reset_mode,
	};
	GlintProgramOptions program = {
	    .verify = self->settings->verify,
	    .reset_run = self->settings->reset_run,
	    .smart = self->settings->smart,
	};
	gtk_window_set_default_size(GTK_WINDOW(self), self->settings->width,
				    self->settings->height);
	glint_device_panel_set_connect_options(self->device_panel, &connect);
	glint_file_panel_set_program_options(self->file_panel, &program);
	glint_file_panel_set_recent(self->file_panel, (const char *const *)self->settings->recent);
	restore_bin_bases(self);
}

static void
store_settings(GlintWindow *self)
{
	GlintConnectOptions connect;
	GlintProgramOptions program;
	g_autoptr(GError) error = NULL;
	gint width = 0, height = 0;

	if (self->settings == NULL)
		return;
	if (!gtk_window_is_maximized(GTK_WINDOW(self))) {
		gtk_window_get_size(GTK_WINDOW(self), &width, &height);
		if (width > 0 && height > 0) {
			self->settings->width = width;
			self->settings->height = height;
		}
	}
	glint_device_panel_get_connect_options(self->device_panel, &connect);
	glint_file_panel_get_program_options(self->file_panel, &program);
	self->settings->swd_khz = connect.swd_khz;
	self->settings->under_reset = connect.under_reset;
	self->settings->reset_mode = connect.reset_mode;
	self->settings->verify = program.verify;
	self->settings->reset_run = program.reset_run;
	self->settings->smart = program.smart;
	g_free(self->settings->scenario);
	self->settings->scenario = g_strdup(glint_device_panel_get_scenario(self->device_panel));
	if (!glint_settings_save(self->settings, &error))
		g_warning("%s", error->message);
}

static void
on_quit_dialog_response(GtkDialog *dialog, gint response, GlintWindow *self)
{
	self->confirm_dialog = NULL;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (response != GTK_RESPONSE_ACCEPT) {
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Not quitting: the job keeps running."));
		return;
	}
	if (!self->busy) { /* it ended while the question was up */
		gtk_window_close(GTK_WINDOW(self));
		return;
	}
	/* Never leave a probe mid-write: stop at the next safe point, then close. */
	self->close_after_job = TRUE;
	g_cancellable_cancel(self->cancellable);
	glint_window_log(self, G_LOG_LEVEL_WARNING,
			 _("Quitting once the running job has stopped at a safe point…"));
}

/* Closing (the window's close button, Ctrl+Q) while a job runs asks first:
 * stopping may leave the chip half written, and the user decides. */
static void
ask_quit_during_job(GlintWindow *self)
{
	GtkDialog *dialog;
	GtkWidget *detail;
	GtkWidget *keep;

	if (self->confirm_dialog != NULL &&
	    g_object_get_data(G_OBJECT(self->confirm_dialog), "quit-question") != NULL) {
		gtk_window_present(GTK_WINDOW(self->confirm_dialog));
		return;
	}
	if (self->confirm_dialog != NULL)
		gtk_widget_destroy(GTK_WIDGET(self->confirm_dialog));
	dialog = glint_confirm_dialog_new(GTK_WINDOW(self), _("Quit While a Job Runs?"),
					  _("A job is running: stop it at a safe point and quit?"),
					  _("_Stop and Quit"), NULL);
	detail = gtk_label_new(_("Stopping leaves the chip as far as the job got (the log, and the "
				 "terminal once the window is gone, say what it holds). Keep "
				 "running to let the job finish."));
	gtk_label_set_xalign(GTK_LABEL(detail), 0);
	gtk_label_set_line_wrap(GTK_LABEL(detail), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(detail), 60);
	gtk_style_context_add_class(gtk_widget_get_style_context(detail), "dim-label");
	gtk_container_add(GTK_CONTAINER(gtk_dialog_get_content_area(dialog)), detail);
	gtk_widget_show(detail);
	keep = gtk_dialog_get_widget_for_response(dialog, GTK_RESPONSE_CANCEL);
	gtk_button_set_label(GTK_BUTTON(keep), _("_Keep Running"));
	gtk_widget_set_name(keep, "confirm-cancel");
	g_object_set_data(G_OBJECT(dialog), "quit-question", GINT_TO_POINTER(1));
	g_signal_connect(dialog, "response", G_CALLBACK(on_quit_dialog_response), self);
	self->confirm_dialog = dialog;
	gtk_widget_show(GTK_WIDGET(dialog));
}

static gboolean
on_window_delete_event(GtkWidget *widget, GdkEvent *event, GlintWindow *self)
{
	store_settings(self);
	if (self->close_after_job || self->close_after_target)
		return TRUE; /* already stopping; closes when the job has */
	if (self->busy) {
		ask_quit_during_job(self);
		return TRUE;
	}
	/* the Target tab's worker lets go of the probe first (SWO receiver
	 * stopped), then the window closes */
	if (glint_target_view_is_running(self->target_view)) {
		self->close_after_target = TRUE;
		glint_window_update_target_view(self);
		return TRUE;
	}
	return FALSE;
}

gboolean
glint_window_save_screenshot(GlintWindow *self, const char *path, GError **error)
{
	GtkWidget *widget = GTK_WIDGET(self);
	gint width = gtk_widget_get_allocated_width(widget);
	gint height = gtk_widget_get_allocated_height(widget);
	cairo_surface_t *surface;
	cairo_t *cr;
	cairo_status_t status;

	if (width <= 1 || height <= 1) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("The window is not shown yet: nothing to capture into %s"), path);
		return FALSE;
	}
	/* Lay out whatever changed since the last frame before painting. */
	gtk_container_check_resize(GTK_CONTAINER(self));
	width = gtk_widget_get_allocated_width(widget);
	height = gtk_widget_get_allocated_height(widget);
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	cr = cairo_create(surface);
	gtk_widget_draw(widget, cr);
	cairo_destroy(cr);
	status = cairo_surface_write_to_png(surface, path);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Could not write %s: %s"), path,
			    cairo_status_to_string(status));
		return FALSE;
	}
	return TRUE;
}

static void
load_css(void)
{
	static gboolean loaded = FALSE;
	g_autoptr(GtkCssProvider) provider = NULL;
	GdkScreen *screen = gdk_screen_get_default();
	if (loaded || screen == NULL)
		return;
	loaded = TRUE;
	provider = gtk_css_provider_new();
	gtk_css_provider_load_from_resource(provider, "/org/glint/Glint/glint.css");
	gtk_style_context_add_provider_for_screen(screen, GTK_STYLE_PROVIDER(provider),
						  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
glint_window_dispose(GObject *object)
{
	GlintWindow *self = GLINT_WINDOW(object);
	/* A job still running holds a reference; its callbacks must not touch
	 * the panels from here on. */
	self->disposed = TRUE;
	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	g_clear_pointer(&self->pending_job, glint_ui_job_free);
	g_clear_pointer(&self->usb_monitor, glint_usb_monitor_free);
	if (self->confirm_dialog != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->confirm_dialog));
		self->confirm_dialog = NULL;
	}
	if (self->erase_dialog != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->erase_dialog));
		self->erase_dialog = NULL;
	}
	if (self->edit_dialog != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->edit_dialog));
		self->edit_dialog = NULL;
	}
	G_OBJECT_CLASS(glint_window_parent_class)->dispose(object);
}

static void
glint_window_finalize(GObject *object)
{
	GlintWindow *self = GLINT_WINDOW(object);
	g_clear_pointer(&self->session, glint_session_unref);
	g_clear_pointer(&self->sim, glint_sim_unref);
	g_clear_object(&self->cancellable);
	g_free(self->session_key);
	g_free(self->sim_state_override);
	g_free(self->state_scenario);
	g_free(self->state_reset_to);
	glint_settings_free(self->settings);
	G_OBJECT_CLASS(glint_window_parent_class)->finalize(object);
}

static void
name_unnamed_buttons(GtkWidget *widget, gpointer name)
{
	if (GTK_IS_BUTTON(widget)) {
		AtkObject *a11y = gtk_widget_get_accessible(widget);
		const char *current = atk_object_get_name(a11y);
		if (current == NULL || current[0] == '\0')
			atk_object_set_name(a11y, name);
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), name_unnamed_buttons, name);
}

static void
glint_window_init(GlintWindow *self)
{
	load_css();
	gtk_widget_init_template(GTK_WIDGET(self));
	glint_window_add_actions(self);
	glint_window_add_memory_actions(self);
	glint_window_add_production_action(self);
	self->settings = glint_settings_load();
	apply_settings(self);
	gtk_drag_dest_set(GTK_WIDGET(self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
	gtk_drag_dest_add_uri_targets(GTK_WIDGET(self));
	g_signal_connect(self, "drag-data-received", G_CALLBACK(on_window_drag_data_received),
			 self);
	g_signal_connect(self, "delete-event", G_CALLBACK(on_window_delete_event), self);
	/* The info bar's own close button comes without a name. */
	name_unnamed_buttons(GTK_WIDGET(self->info_bar), _("Close message"));
}

static void
glint_window_class_init(GlintWindowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = glint_window_dispose;
	object_class->finalize = glint_window_finalize;
	g_type_ensure(GLINT_TYPE_DEVICE_PANEL);
	g_type_ensure(GLINT_TYPE_FILE_PANEL);
	g_type_ensure(GLINT_TYPE_OPTIONS_PANEL);
	g_type_ensure(GLINT_TYPE_MEMORY_VIEW);
	g_type_ensure(GLINT_TYPE_TARGET_VIEW);
	g_type_ensure(GLINT_TYPE_LOG_VIEW);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-window.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, header_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, connect_button);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, program_button);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, sim_badge);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_label);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_fix_button);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_diff_button);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, device_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, side_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, side_panel_toggle);
	gtk_widget_class_bind_template_callback(widget_class, on_side_panel_toggled);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, stack);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, file_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, options_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, memory_view);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, target_view);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, log_view);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, progress_bar);
	gtk_widget_class_bind_template_callback(widget_class, on_info_bar_response);
	gtk_widget_class_bind_template_callback(widget_class, on_device_panel_selection_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_device_panel_fix_requested);
	gtk_widget_class_bind_template_callback(widget_class, on_file_panel_image_loaded);
	gtk_widget_class_bind_template_callback(widget_class, on_file_panel_log);
	gtk_widget_class_bind_template_callback(widget_class, on_memory_view_read_requested);
	gtk_widget_class_bind_template_callback(widget_class, on_target_view_stopped);
	gtk_widget_class_bind_template_callback(widget_class, on_target_view_log);
	gtk_widget_class_bind_template_callback(widget_class, on_stack_page_changed);
}

GlintWindow *
glint_window_new(GtkApplication *app, const GlintWindowOptions *options)
{
	GlintWindow *self = g_object_new(GLINT_TYPE_WINDOW, "application", app, NULL);
	const char *scenario = NULL;
	g_autofree gchar *board = NULL;

	if (options != NULL) {
		self->no_usb = options->no_usb;
		self->sim_state_override = g_strdup(options->sim_state_path);
		scenario = options->sim_scenario;
	}
	self->sim_requested = scenario != NULL;
	if (scenario == NULL)
		scenario = self->settings->scenario;
	glint_device_panel_select_sim(self->device_panel, scenario);
	if (self->sim_state_override != NULL)
		glint_window_show_state_file_board(self);
	if (!self->no_usb)
		glint_window_watch_usb(self);
	board = glint_device_panel_get_board_title(self->device_panel);
	if (glint_device_panel_is_sim_selected(self->device_panel))
		glint_window_log(
		    self, G_LOG_LEVEL_INFO,
		    _("Glint ready. The simulated %s (scenario “%s”) is selected: press "
		      "Connect to try every action without hardware."),
		    board, glint_device_panel_get_scenario(self->device_panel));
	else
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Glint ready."));
	glint_window_show_target(self, TRUE);
	glint_window_update_actions(self);
	if (self->settings->load_problem != NULL) {
		show_message(self, GTK_MESSAGE_WARNING, self->settings->load_problem,
			     GLINT_FIX_NONE, FALSE);
		glint_window_log(self, G_LOG_LEVEL_WARNING, "%s", self->settings->load_problem);
	}
	if (options != NULL && options->file_path != NULL)
		glint_file_panel_open(self->file_panel, options->file_path);
	return self;
}
