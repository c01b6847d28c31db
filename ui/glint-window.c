/* glint-window.c: the main window, its actions and the job runner's front end. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-window.h"

#include <cairo.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "glint-confirm.h"
#include "glint-settings.h"
#include "glint-ui-job.h"
#include "glint-usb.h"

struct _GlintWindow {
	GtkApplicationWindow parent_instance;
	GtkHeaderBar *header_bar;
	GtkWidget *connect_button;
	GtkWidget *sim_badge;
	GtkInfoBar *info_bar;
	GtkLabel *info_label;
	GtkWidget *info_fix_button;
	GlintDevicePanel *device_panel;
	GtkStack *stack;
	GlintFilePanel *file_panel;
	GlintOptionsPanel *options_panel;
	GlintMemoryView *memory_view;
	GlintLogView *log_view;
	GtkProgressBar *progress_bar;

	GlintSettings *settings;
	gchar *sim_state_override;
	gboolean no_usb;
	GlintUsbMonitor *usb_monitor;

	GlintSession *session;
	GlintSim *sim;
	gchar *session_key; /* "sim:<scenario>" or "usb:<serial>" */

	gboolean busy;
	GCancellable *cancellable;
	gboolean release_after_job;
	gboolean close_after_job; /* the user closed the window while a job ran */
	gboolean disposed;
	GlintFixKind info_fix;
	GtkDialog *confirm_dialog;
};

G_DEFINE_TYPE(GlintWindow, glint_window, GTK_TYPE_APPLICATION_WINDOW)

typedef void (*ConfirmFunc)(GlintWindow *self, gpointer data);

static void update_actions(GlintWindow *self);
static void update_title(GlintWindow *self);
static void start_connect(GlintWindow *self);

static void log_line(GlintWindow *self, GLogLevelFlags level, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static void
log_line(GlintWindow *self, GLogLevelFlags level, const char *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	glint_log_view_append(self->log_view, level, message);
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

void
glint_window_show_page(GlintWindow *self, const char *page)
{
	gtk_stack_set_visible_child_name(self->stack, page);
}

static gchar *
selection_key(GlintWindow *self)
{
	if (glint_device_panel_is_sim_selected(self->device_panel))
		return g_strdup_printf("sim:%s",
				       glint_device_panel_get_scenario(self->device_panel));
	return g_strdup_printf("usb:%s", glint_device_panel_get_serial(self->device_panel));
}

static gchar *
sim_state_path(GlintWindow *self, const char *scenario)
{
	if (self->sim_state_override != NULL)
		return g_strdup(self->sim_state_override);
	return glint_window_default_sim_state_path(scenario);
}

/* Forgets the session with the previous probe (it is not connected). */
static void
release_session(GlintWindow *self)
{
	g_clear_pointer(&self->session, glint_session_unref);
	g_clear_pointer(&self->sim, glint_sim_unref);
	g_clear_pointer(&self->session_key, g_free);
	self->release_after_job = FALSE;
}

/* ---- target display ------------------------------------------------- */

static void
show_target(GlintWindow *self, gboolean options_too)
{
	const GlintTargetInfo *info = NULL;
	if (glint_window_is_connected(self))
		info = glint_session_get_target_info(self->session);
	glint_device_panel_set_target(self->device_panel, info);
	if (info == NULL) {
		glint_options_panel_set_target(self->options_panel, NULL, NULL, NULL, FALSE);
		glint_memory_view_set_target(self->memory_view, NULL, NULL);
		glint_file_panel_set_target(self->file_panel, NULL, NULL);
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
	const char *where = glint_window_is_connected(self) ? "connected" : "not connected";

	if (sim)
		subtitle =
		    g_strdup_printf("Simulated NUCLEO-L476RG (%s) · %s",
				    glint_device_panel_get_scenario(self->device_panel), where);
	else
		subtitle = g_strdup_printf(
		    "ST-LINK %s · %s", glint_device_panel_get_serial(self->device_panel), where);
	gtk_header_bar_set_subtitle(self->header_bar, subtitle);
	gtk_widget_set_visible(self->sim_badge, sim);
	gtk_button_set_label(GTK_BUTTON(self->connect_button),
			     glint_window_is_connected(self) ? "_Disconnect" : "_Connect");
	atk_object_set_name(gtk_widget_get_accessible(self->connect_button),
			    glint_window_is_connected(self) ? "Disconnect" : "Connect");
}

static void
set_action_enabled(GlintWindow *self, const char *name, gboolean enabled)
{
	GAction *action = g_action_map_lookup_action(G_ACTION_MAP(self), name);
	if (action != NULL)
		g_simple_action_set_enabled(G_SIMPLE_ACTION(action), enabled);
}

static void
update_actions(GlintWindow *self)
{
	gboolean connected = glint_window_is_connected(self);
	gboolean idle = !self->busy;
	gboolean image = glint_file_panel_get_image(self->file_panel) != NULL;

	set_action_enabled(self, "connect", idle);
	set_action_enabled(self, "erase", idle && connected);
	set_action_enabled(self, "program", idle && connected && image);
	set_action_enabled(self, "verify", idle && connected && image);
	set_action_enabled(self, "reset", idle && connected);
	set_action_enabled(self, "diagnose", idle && connected);
	set_action_enabled(self, "export-memory", idle && connected);
	set_action_enabled(self, "refresh-memory", idle && connected);
	set_action_enabled(self, "read-options", idle && connected);
	set_action_enabled(self, "apply-options",
			   idle && connected &&
			       glint_options_panel_has_target(self->options_panel));
	set_action_enabled(self, "cancel", self->busy);
	gtk_widget_set_sensitive(self->info_fix_button, idle);
	glint_device_panel_set_busy(self->device_panel, self->busy);
	update_title(self);
}

/* ---- info bar ------------------------------------------------------- */

static void
show_error(GlintWindow *self, const char *what, const GError *error)
{
	g_autofree gchar *text = g_strdup_printf("%s failed: %s", what, error->message);
	self->info_fix = glint_fix_for_error(error);
	gtk_label_set_text(self->info_label, text);
	gtk_info_bar_set_message_type(self->info_bar, GTK_MESSAGE_ERROR);
	if (self->info_fix != GLINT_FIX_NONE) {
		gtk_button_set_label(GTK_BUTTON(self->info_fix_button),
				     glint_fix_label(self->info_fix));
		gtk_widget_show(self->info_fix_button);
	} else {
		gtk_widget_hide(self->info_fix_button);
	}
	gtk_widget_show(GTK_WIDGET(self->info_bar));
}

static void
hide_error(GlintWindow *self)
{
	gtk_widget_hide(GTK_WIDGET(self->info_bar));
	self->info_fix = GLINT_FIX_NONE;
}

/* ---- confirmations -------------------------------------------------- */

typedef struct {
	ConfirmFunc func;
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
	else
		log_line(self, G_LOG_LEVEL_INFO, "Not done: %s was not confirmed.",
			 gtk_window_get_title(GTK_WINDOW(dialog)));
	gtk_widget_destroy(GTK_WIDGET(dialog));
}

/* Asks before something that erases or changes the chip; @func runs on
 * "accept". With @phrase, the accept button stays off until it is typed. */
static void
confirm(GlintWindow *self, const char *title, const char *body, const char *accept_label,
	const char *phrase, ConfirmFunc func, gpointer data, GDestroyNotify destroy)
{
	GtkDialog *dialog;
	ConfirmData *cd = g_new0(ConfirmData, 1);

	if (self->confirm_dialog != NULL)
		gtk_widget_destroy(GTK_WIDGET(self->confirm_dialog));
	cd->func = func;
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
		glint_log_view_append(self->log_view, level, message);
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
	text = g_string_new(update->phase != NULL ? update->phase : "Working");

	g_string_append_printf(text, " %.0f %%", fraction * 100.0);
	if (update->bytes_total > 0) {
		g_autofree gchar *done = g_format_size(update->bytes_done);
		g_autofree gchar *total = g_format_size(update->bytes_total);
		g_string_append_printf(text, " — %s of %s", done, total);
	}
	if (update->rate > 0)
		g_string_append_printf(text, " — %.1f KB/s", update->rate / 1024.0);
	if (update->remaining >= 0)
		g_string_append_printf(text, " — %.0f s left", update->remaining);
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
	g_free(self->session_key);
	self->session_key = selection_key(self);
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
		log_line(self, G_LOG_LEVEL_INFO,
			 "Connect: %s, %u KB flash, RDP level %u, in %.2f s",
			 info != NULL && info->chip != NULL ? info->chip->name : "an unknown chip",
			 info != NULL ? info->flash_kb : 0, info != NULL ? info->rdp_level : 0,
			 job->seconds);
		break;
	case GLINT_UI_JOB_DISCONNECT:
		log_line(self, G_LOG_LEVEL_INFO, "Disconnected");
		break;
	case GLINT_UI_JOB_RESET:
		log_line(self, G_LOG_LEVEL_INFO, "Target reset and running (%.2f s)", job->seconds);
		break;
	case GLINT_UI_JOB_DIAGNOSE:
	case GLINT_UI_JOB_READ_OPTIONS:
		log_line(self, G_LOG_LEVEL_INFO, "%s: %u finding%s (%.2f s)",
			 glint_ui_job_kind_title(job->kind),
			 job->findings != NULL ? job->findings->len : 0,
			 job->findings != NULL && job->findings->len == 1 ? "" : "s", job->seconds);
		break;
	case GLINT_UI_JOB_READ:
		glint_memory_view_set_data(self->memory_view, job->address, job->bytes);
		log_line(self, G_LOG_LEVEL_INFO, "%s", summary);
		break;
	case GLINT_UI_JOB_EXPORT:
		log_line(self, G_LOG_LEVEL_INFO, "Saved 0x%08X-0x%08X to %s. %s", job->address,
			 job->address + job->size - 1, job->path, summary);
		break;
	default:
		log_line(self, G_LOG_LEVEL_INFO, "%s", summary);
		break;
	}
	gtk_progress_bar_set_fraction(self->progress_bar, 1.0);
	{
		g_autofree gchar *text = g_strdup_printf(
		    "%s done in %.2f s", glint_ui_job_kind_title(job->kind), job->seconds);
		gtk_progress_bar_set_text(self->progress_bar, text);
	}
}

static void
job_failed(GlintWindow *self, GlintUiJob *job, const GError *error)
{
	const char *title = glint_ui_job_kind_title(job->kind);
	if (glint_error_is_cancelled(error)) {
		log_line(self, G_LOG_LEVEL_WARNING, "%s cancelled after %.2f s: %s", title,
			 job->seconds, error->message);
		gtk_progress_bar_set_text(self->progress_bar, "Cancelled");
		return;
	}
	log_line(self, G_LOG_LEVEL_CRITICAL, "%s failed after %.2f s: %s", title, job->seconds,
		 error->message);
	gtk_progress_bar_set_text(self->progress_bar, "Failed");
	show_error(self, title, error);
	/* A probe that vanished is gone for good: the next Connect starts a new session. */
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED))
		self->release_after_job = TRUE;
}

static void read_memory(GlintWindow *self, guint32 address, guint32 size);

/* The memory view shows what the chip holds: after the flash changed, the
 * region on display is read again. */
static void
refresh_memory_after(GlintWindow *self, const GlintUiJob *job, gboolean ok)
{
	guint32 size = glint_memory_view_get_size(self->memory_view);
	if (!ok || size == 0 || !glint_window_is_connected(self))
		return;
	if (job->kind != GLINT_UI_JOB_PROGRAM && job->kind != GLINT_UI_JOB_ERASE_MASS)
		return;
	read_memory(self, glint_memory_view_get_base(self->memory_view), size);
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
	if (ok)
		job_succeeded(self, job);
	else
		job_failed(self, job, error);
	options_too =
	    job->kind == GLINT_UI_JOB_CONNECT || job->kind == GLINT_UI_JOB_DISCONNECT ||
	    job->kind == GLINT_UI_JOB_WRITE_OPTIONS || job->kind == GLINT_UI_JOB_APPLY_FIX ||
	    job->kind == GLINT_UI_JOB_READ_OPTIONS || job->kind == GLINT_UI_JOB_ERASE_MASS;
	show_target(self, options_too);
	if (job->findings != NULL)
		glint_device_panel_set_findings(self->device_panel, job->findings);
	if (self->release_after_job) {
		release_session(self);
		show_target(self, TRUE);
	}
	update_actions(self);
	if (self->close_after_job) {
		gtk_window_close(GTK_WINDOW(self));
		return;
	}
	refresh_memory_after(self, job, ok);
}

/* Runs @job (ownership taken) unless one is running already. */
static gboolean
start_job(GlintWindow *self, GlintUiJob *job)
{
	g_autofree gchar *text = NULL;
	if (self->busy) {
		log_line(self, G_LOG_LEVEL_WARNING,
			 "%s not started: another job is running (Cancel it first).",
			 glint_ui_job_kind_title(job->kind));
		glint_ui_job_free(job);
		return FALSE;
	}
	if (self->sim != NULL && job->sim == NULL) {
		job->sim = glint_sim_ref(self->sim);
		job->sim_state_path = sim_state_path(self, glint_sim_get_scenario(self->sim));
	}
	self->busy = TRUE;
	self->cancellable = g_cancellable_new();
	hide_error(self);
	text = g_strdup_printf("%s…", glint_ui_job_kind_title(job->kind));
	gtk_progress_bar_set_fraction(self->progress_bar, 0.0);
	gtk_progress_bar_set_text(self->progress_bar, text);
	log_line(self, G_LOG_LEVEL_DEBUG, "%s started", glint_ui_job_kind_title(job->kind));
	update_actions(self);
	glint_ui_job_run(job, G_OBJECT(self), self->cancellable, on_job_progress, on_job_log,
			 on_job_done, NULL);
	return TRUE;
}

static GlintUiJob *
new_job(GlintWindow *self, GlintUiJobKind kind)
{
	return glint_ui_job_new(kind, self->session);
}

static void
start_connect(GlintWindow *self)
{
	GlintUiJob *job;
	g_autofree gchar *key = selection_key(self);

	/* A session with another probe or scenario is dropped first. */
	if (self->session != NULL && g_strcmp0(key, self->session_key) != 0)
		release_session(self);
	job = new_job(self, GLINT_UI_JOB_CONNECT);
	glint_device_panel_get_connect_options(self->device_panel, &job->connect_options);
	if (self->session == NULL) {
		if (glint_device_panel_is_sim_selected(self->device_panel)) {
			const char *scenario = glint_device_panel_get_scenario(self->device_panel);
			job->sim_scenario = g_strdup(scenario);
			job->sim_state_path = sim_state_path(self, scenario);
		} else {
			job->usb_serial =
			    g_strdup(glint_device_panel_get_serial(self->device_panel));
		}
	}
	start_job(self, job);
}

/* ---- actions -------------------------------------------------------- */

static void
action_connect(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (glint_window_is_connected(self)) {
		start_job(self, new_job(self, GLINT_UI_JOB_DISCONNECT));
		return;
	}
	start_connect(self);
}

static void
do_erase(GlintWindow *self, gpointer data)
{
	GlintUiJob *job = new_job(self, GLINT_UI_JOB_ERASE_MASS);
	job->confirm = GLINT_CONFIRM_RISKY;
	start_job(self, job);
}

static void
action_erase(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	confirm(self, "Erase the Whole Flash?",
		"A mass erase sets every byte of both flash banks to 0xFF. The firmware on the "
		"chip is gone afterwards; this cannot be undone.",
		"_Erase Everything", NULL, do_erase, NULL, NULL);
}

static void
action_program(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GlintImage *image = glint_file_panel_get_image(self->file_panel);
	GlintUiJob *job;
	if (image == NULL) {
		log_line(self, G_LOG_LEVEL_WARNING, "Open a firmware file first (Ctrl+O).");
		return;
	}
	job = new_job(self, GLINT_UI_JOB_PROGRAM);
	job->image = glint_image_ref(image);
	glint_file_panel_get_program_options(self->file_panel, &job->program_options);
	start_job(self, job);
}

static void
action_verify(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GlintImage *image = glint_file_panel_get_image(self->file_panel);
	GlintUiJob *job;
	if (image == NULL) {
		log_line(self, G_LOG_LEVEL_WARNING, "Open a firmware file first (Ctrl+O).");
		return;
	}
	job = new_job(self, GLINT_UI_JOB_VERIFY);
	job->image = glint_image_ref(image);
	start_job(self, job);
}

static void
action_reset(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GlintUiJob *job = new_job(self, GLINT_UI_JOB_RESET);
	GlintConnectOptions options;
	glint_device_panel_get_connect_options(self->device_panel, &options);
	job->reset_mode = options.reset_mode;
	start_job(self, job);
}

static void
action_diagnose(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	start_job(self, new_job(self, GLINT_UI_JOB_DIAGNOSE));
}

static void
action_read_options(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	start_job(self, new_job(self, GLINT_UI_JOB_READ_OPTIONS));
}

static void
action_cancel(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (self->cancellable == NULL)
		return;
	log_line(self, G_LOG_LEVEL_INFO, "Cancelling at the next safe point…");
	g_cancellable_cancel(self->cancellable);
}

static void
read_memory(GlintWindow *self, guint32 address, guint32 size)
{
	GlintUiJob *job;
	if (!glint_window_is_connected(self)) {
		log_line(self, G_LOG_LEVEL_WARNING, "Connect to a target to read its memory.");
		return;
	}
	job = new_job(self, GLINT_UI_JOB_READ);
	job->address = address;
	job->size = size;
	start_job(self, job);
}

static void
action_refresh_memory(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	guint32 address = 0, size = 0;
	glint_memory_view_get_request(self->memory_view, &address, &size);
	if (size == 0) {
		const GlintTargetInfo *info = glint_session_get_target_info(self->session);
		if (info == NULL)
			return;
		address = info->geometry.base;
		size = info->geometry.size;
	}
	read_memory(self, address, size);
}

static void
on_memory_view_read_requested(GlintMemoryView *view, guint address, guint size, GlintWindow *self)
{
	read_memory(self, address, size);
}

static gboolean
parse_number(const char *text, guint32 *value)
{
	guint64 v = 0;
	const char *p = text;
	while (g_ascii_isspace(*p))
		p++;
	if (g_str_has_prefix(p, "0x") || g_str_has_prefix(p, "0X")) {
		if (!g_ascii_string_to_unsigned(p + 2, 16, 0, G_MAXUINT32, &v, NULL))
			return FALSE;
	} else if (!g_ascii_string_to_unsigned(p, 10, 0, G_MAXUINT32, &v, NULL)) {
		return FALSE;
	}
	*value = (guint32)v;
	return TRUE;
}

static void
on_export_dialog_response(GtkDialog *dialog, gint response, GlintWindow *self)
{
	GtkEntry *start_entry = g_object_get_data(G_OBJECT(dialog), "start");
	GtkEntry *length_entry = g_object_get_data(G_OBJECT(dialog), "length");
	g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
	guint32 start = 0, length = 0;

	if (response != GTK_RESPONSE_ACCEPT || path == NULL) {
		gtk_widget_destroy(GTK_WIDGET(dialog));
		return;
	}
	if (!parse_number(gtk_entry_get_text(start_entry), &start) ||
	    !parse_number(gtk_entry_get_text(length_entry), &length) || length == 0) {
		log_line(self, G_LOG_LEVEL_WARNING,
			 "Export: start “%s” and length “%s” must be numbers (0x… for hex) and "
			 "the length above 0.",
			 gtk_entry_get_text(start_entry), gtk_entry_get_text(length_entry));
		return; /* keep the dialog for a correction */
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
	glint_window_export_memory(self, start, length, path);
}

gboolean
glint_window_export_memory(GlintWindow *self, guint32 address, guint32 size, const char *path)
{
	GlintUiJob *job;
	if (!glint_window_is_connected(self)) {
		log_line(self, G_LOG_LEVEL_WARNING, "Connect to a target to read its memory.");
		return FALSE;
	}
	job = new_job(self, GLINT_UI_JOB_EXPORT);
	job->address = address;
	job->size = size;
	job->path = g_strdup(path);
	job->format = GLINT_IMAGE_FORMAT_AUTO;
	return start_job(self, job);
}

static void
action_export_memory(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	GtkWidget *dialog = gtk_file_chooser_dialog_new(
	    "Read Memory to File", GTK_WINDOW(self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Cancel",
	    GTK_RESPONSE_CANCEL, "_Read and Save", GTK_RESPONSE_ACCEPT, NULL);
	GtkWidget *grid = gtk_grid_new();
	GtkWidget *start = gtk_entry_new();
	GtkWidget *length = gtk_entry_new();
	guint32 base = glint_memory_view_get_size(self->memory_view) > 0
			   ? glint_memory_view_get_base(self->memory_view)
			   : (info != NULL ? info->geometry.base : 0x08000000);
	guint32 size = glint_memory_view_get_size(self->memory_view) > 0
			   ? glint_memory_view_get_size(self->memory_view)
			   : (info != NULL ? info->geometry.size : 0);
	g_autofree gchar *base_text = g_strdup_printf("0x%08X", base);
	g_autofree gchar *size_text = g_strdup_printf("0x%X", size);

	gtk_grid_set_column_spacing(GTK_GRID(grid), 8);
	gtk_grid_set_row_spacing(GTK_GRID(grid), 4);
	gtk_grid_attach(GTK_GRID(grid), gtk_label_new("Start address"), 0, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), start, 1, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), gtk_label_new("Length (bytes)"), 0, 1, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), length, 1, 1, 1, 1);
	gtk_grid_attach(GTK_GRID(grid),
			gtk_label_new("The format follows the extension: .bin, .hex or .srec"), 2,
			0, 1, 2);
	gtk_entry_set_text(GTK_ENTRY(start), base_text);
	gtk_entry_set_text(GTK_ENTRY(length), size_text);
	gtk_widget_set_name(start, "export-start");
	gtk_widget_set_name(length, "export-length");
	atk_object_set_name(gtk_widget_get_accessible(start), "Export start address");
	atk_object_set_name(gtk_widget_get_accessible(length), "Export length");
	gtk_widget_show_all(grid);
	gtk_file_chooser_set_extra_widget(GTK_FILE_CHOOSER(dialog), grid);
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(dialog), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dialog), "flash.hex");
	g_object_set_data(G_OBJECT(dialog), "start", start);
	g_object_set_data(G_OBJECT(dialog), "length", length);
	g_signal_connect(dialog, "response", G_CALLBACK(on_export_dialog_response), self);
	gtk_widget_show(dialog);
}

typedef struct {
	GlintOptionBytes options;
	GlintConfirm confirm;
} ApplyData;

static void
do_apply_options(GlintWindow *self, gpointer data)
{
	ApplyData *ad = data;
	GlintUiJob *job = new_job(self, GLINT_UI_JOB_WRITE_OPTIONS);
	job->options = ad->options;
	job->confirm = ad->confirm;
	start_job(self, job);
}

/* The phrase that unlocks RDP level 2: long enough not to be typed by accident. */
#define GLINT_PERMANENT_PHRASE "lock this chip forever"

static void
action_apply_options(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	g_autoptr(GPtrArray) changes = glint_options_panel_get_changes(self->options_panel);
	GString *body = g_string_new(NULL);
	GlintOptionRisk risk;
	ApplyData *ad;

	if (changes->len == 0) {
		log_line(self, G_LOG_LEVEL_INFO, "No option byte was edited: nothing to apply.");
		g_string_free(body, TRUE);
		return;
	}
	risk = glint_option_changes_risk(changes);
	ad = g_new0(ApplyData, 1);
	glint_options_panel_get_edited(self->options_panel, &ad->options);
	ad->confirm = risk != GLINT_OPTION_RISK_NONE ? GLINT_CONFIRM_RISKY : GLINT_CONFIRM_NONE;
	if (risk & GLINT_OPTION_RISK_PERMANENT)
		ad->confirm |= GLINT_CONFIRM_PERMANENT_LOCK;
	g_string_append(body, "These option bytes will be written:\n\n");
	for (guint i = 0; i < changes->len; i++) {
		const GlintOptionChange *c = g_ptr_array_index(changes, i);
		g_string_append_printf(body, "• %s: %s → %s\n", c->name, c->old_value,
				       c->new_value);
		if (c->consequence != NULL)
			g_string_append_printf(body, "    %s\n", c->consequence);
	}
	g_string_append(body, "\nThe chip then reloads its option bytes (a reset); Glint "
			      "reconnects and reads them back.");
	confirm(self, "Write Option Bytes?", body->str, "_Write Option Bytes",
		(risk & GLINT_OPTION_RISK_PERMANENT) ? GLINT_PERMANENT_PHRASE : NULL,
		do_apply_options, ad, g_free);
	g_string_free(body, TRUE);
}

static void
do_apply_fix(GlintWindow *self, gpointer data)
{
	GlintFixKind kind = GPOINTER_TO_UINT(data);
	GlintUiJob *job = new_job(self, GLINT_UI_JOB_APPLY_FIX);
	job->fix = kind;
	job->confirm = glint_fix_is_risky(kind) ? GLINT_CONFIRM_RISKY : GLINT_CONFIRM_NONE;
	start_job(self, job);
}

static const char *
fix_explanation(GlintFixKind kind)
{
	switch (kind) {
	case GLINT_FIX_REMOVE_WRP:
		return "Turns every WRP area off so all pages can be erased and programmed. "
		       "The chip reloads its option bytes (a reset); the flash contents stay.";
	case GLINT_FIX_REGRESS_RDP:
		return "Sets read protection back to level 0. The chip erases ALL of its flash "
		       "as it does so: the firmware on it is gone.";
	case GLINT_FIX_CLEAR_BFB2:
		return "Clears BFB2 so the chip boots from bank 1 again. The chip reloads its "
		       "option bytes (a reset).";
	case GLINT_FIX_RESTORE_OPTIONS:
		return "Writes the factory values of every option byte. The chip reloads them "
		       "(a reset); WRP and PCROP areas are removed.";
	case GLINT_FIX_CLEAR_FLAGS:
		return "Clears the error flags left set in FLASH_SR so programming can start.";
	default:
		return "Applies the fix.";
	}
}

static void
request_fix(GlintWindow *self, GlintFixKind kind)
{
	if (kind == GLINT_FIX_NONE || self->busy)
		return;
	if (kind == GLINT_FIX_CONNECT_UNDER_RESET) {
		GlintConnectOptions options;
		glint_device_panel_get_connect_options(self->device_panel, &options);
		options.under_reset = TRUE;
		glint_device_panel_set_connect_options(self->device_panel, &options);
		log_line(self, G_LOG_LEVEL_INFO,
			 "Connecting under reset (NRST held while attaching)");
		start_connect(self);
		return;
	}
	if (!glint_window_is_connected(self)) {
		log_line(self, G_LOG_LEVEL_WARNING, "Connect first: “%s” needs the target.",
			 glint_fix_label(kind));
		return;
	}
	if (kind == GLINT_FIX_CLEAR_FLAGS) {
		do_apply_fix(self, GUINT_TO_POINTER(kind));
		return;
	}
	confirm(self, glint_fix_label(kind), fix_explanation(kind), glint_fix_label(kind), NULL,
		do_apply_fix, GUINT_TO_POINTER(kind), NULL);
}

static void
on_info_bar_response(GtkInfoBar *bar, gint response, GlintWindow *self)
{
	GlintFixKind kind = self->info_fix;
	hide_error(self);
	if (response == 1)
		request_fix(self, kind);
}

static void
on_device_panel_fix_requested(GlintDevicePanel *panel, guint kind, GlintWindow *self)
{
	request_fix(self, (GlintFixKind)kind);
}

static void
on_device_panel_selection_changed(GlintDevicePanel *panel, GlintWindow *self)
{
	g_autofree gchar *key = selection_key(self);
	if (self->session_key != NULL && g_strcmp0(key, self->session_key) != 0) {
		if (glint_window_is_connected(self) && !self->busy) {
			self->release_after_job = TRUE;
			start_job(self, new_job(self, GLINT_UI_JOB_DISCONNECT));
		} else if (!self->busy) {
			release_session(self);
			show_target(self, TRUE);
		}
	}
	update_actions(self);
}

static void action_open(GSimpleAction *action, GVariant *param, gpointer user_data);

static void
action_open_recent(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	glint_file_panel_open(self->file_panel, g_variant_get_string(param, NULL));
}

static void
on_file_panel_image_loaded(GlintFilePanel *panel, const char *path, GlintWindow *self)
{
	glint_settings_add_recent(self->settings, path);
	glint_file_panel_set_recent(self->file_panel, (const char *const *)self->settings->recent);
	glint_memory_view_set_image(self->memory_view, glint_file_panel_get_image(panel));
	update_actions(self);
}

static void
on_file_panel_log(GlintFilePanel *panel, guint level, const char *message, GlintWindow *self)
{
	glint_log_view_append(self->log_view, (GLogLevelFlags)level, message);
}

static void
on_open_dialog_response(GtkNativeDialog *dialog, gint response, GlintWindow *self)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
		if (path != NULL)
			glint_file_panel_open(self->file_panel, path);
	}
	g_object_unref(dialog);
}

static void
add_filter(GtkFileChooser *chooser, const char *name, const char *const *patterns)
{
	GtkFileFilter *filter = gtk_file_filter_new();
	gtk_file_filter_set_name(filter, name);
	for (guint i = 0; patterns[i] != NULL; i++)
		gtk_file_filter_add_pattern(filter, patterns[i]);
	gtk_file_chooser_add_filter(chooser, filter);
}

static void
action_open(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GtkFileChooserNative *dialog = gtk_file_chooser_native_new(
	    "Open Firmware", GTK_WINDOW(self), GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
	const char *const all[] = {"*.bin", "*.hex", "*.ihex", "*.srec", "*.s19", "*.s28",
				   "*.s37", "*.mot", "*.elf",  "*.axf",	 NULL};
	const char *const bin[] = {"*.bin", NULL};
	const char *const hex[] = {"*.hex", "*.ihex", NULL};
	const char *const srec[] = {"*.srec", "*.s19", "*.s28", "*.s37", "*.mot", NULL};
	const char *const elf[] = {"*.elf", "*.axf", NULL};
	const char *const any[] = {"*", NULL};

	add_filter(GTK_FILE_CHOOSER(dialog), "Firmware files", all);
	add_filter(GTK_FILE_CHOOSER(dialog), "Raw binary (.bin)", bin);
	add_filter(GTK_FILE_CHOOSER(dialog), "Intel HEX (.hex)", hex);
	add_filter(GTK_FILE_CHOOSER(dialog), "Motorola S-record (.srec)", srec);
	add_filter(GTK_FILE_CHOOSER(dialog), "ELF (.elf)", elf);
	add_filter(GTK_FILE_CHOOSER(dialog), "All files", any);
	g_signal_connect(dialog, "response", G_CALLBACK(on_open_dialog_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

static void
action_show_page(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	glint_window_show_page(GLINT_WINDOW(user_data), g_variant_get_string(param, NULL));
}

static void
on_forget_sim_clicked(GtkButton *button, GlintWindow *self)
{
	const char *scenario = glint_device_panel_get_scenario(self->device_panel);
	g_autofree gchar *path = sim_state_path(self, scenario);
	if (self->busy || glint_window_is_connected(self)) {
		log_line(self, G_LOG_LEVEL_WARNING,
			 "Disconnect before resetting the simulated board.");
		return;
	}
	release_session(self);
	if (g_unlink(path) == 0 || errno == ENOENT)
		log_line(self, G_LOG_LEVEL_INFO,
			 "The simulated board (%s) starts afresh at the next connect.", scenario);
	else
		log_line(self, G_LOG_LEVEL_WARNING, "Could not remove %s: %s", path,
			 g_strerror(errno));
}

static void
action_preferences(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GtkWidget *dialog = gtk_dialog_new_with_buttons("Preferences", GTK_WINDOW(self),
							GTK_DIALOG_DESTROY_WITH_PARENT, "_Close",
							GTK_RESPONSE_CLOSE, NULL);
	GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(dialog));
	g_autofree gchar *settings_path = glint_settings_get_path();
	g_autofree gchar *text =
	    g_strdup_printf("Connection settings and program options are remembered in\n%s\n\n"
			    "The simulated board keeps its flash and option bytes in\n%s",
			    settings_path, g_get_user_data_dir());
	GtkWidget *label = gtk_label_new(text);
	GtkWidget *forget = gtk_button_new_with_mnemonic("_Reset Simulated Board to Its Scenario");

	gtk_container_set_border_width(GTK_CONTAINER(area), 12);
	gtk_box_set_spacing(GTK_BOX(area), 8);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_widget_set_name(forget, "forget-sim");
	gtk_container_add(GTK_CONTAINER(area), label);
	gtk_container_add(GTK_CONTAINER(area), forget);
	g_signal_connect(forget, "clicked", G_CALLBACK(on_forget_sim_clicked), self);
	g_signal_connect(dialog, "response", G_CALLBACK(gtk_widget_destroy), NULL);
	gtk_widget_show_all(dialog);
}

static void
action_about(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	const char *authors[] = {"The Glint developers", NULL};
	gtk_show_about_dialog(GTK_WINDOW(user_data), "program-name", "Glint", "version", "0.1.0",
			      "comments",
			      "Program, verify and inspect STM32 microcontrollers through ST-LINK "
			      "probes, or a simulated NUCLEO-L476RG board.",
			      "license-type", GTK_LICENSE_GPL_2_0, "logo-icon-name",
			      "org.glint.Glint", "authors", authors, NULL);
}

static const GActionEntry win_actions[] = {
    {"open", action_open, NULL, NULL, NULL, {0}},
    {"open-recent", action_open_recent, "s", NULL, NULL, {0}},
    {"connect", action_connect, NULL, NULL, NULL, {0}},
    {"erase", action_erase, NULL, NULL, NULL, {0}},
    {"program", action_program, NULL, NULL, NULL, {0}},
    {"verify", action_verify, NULL, NULL, NULL, {0}},
    {"reset", action_reset, NULL, NULL, NULL, {0}},
    {"diagnose", action_diagnose, NULL, NULL, NULL, {0}},
    {"export-memory", action_export_memory, NULL, NULL, NULL, {0}},
    {"refresh-memory", action_refresh_memory, NULL, NULL, NULL, {0}},
    {"read-options", action_read_options, NULL, NULL, NULL, {0}},
    {"apply-options", action_apply_options, NULL, NULL, NULL, {0}},
    {"cancel", action_cancel, NULL, NULL, NULL, {0}},
    {"show-page", action_show_page, "s", NULL, NULL, {0}},
    {"preferences", action_preferences, NULL, NULL, NULL, {0}},
    {"about", action_about, NULL, NULL, NULL, {0}},
};

/* ---- drag and drop, hot-plug, settings --------------------------------- */

gboolean
glint_window_open_uris(GlintWindow *self, const char *const *uris)
{
	g_autofree gchar *path = NULL;
	if (uris == NULL || uris[0] == NULL)
		return FALSE;
	path = g_filename_from_uri(uris[0], NULL, NULL);
	if (path == NULL) {
		log_line(self, G_LOG_LEVEL_WARNING,
			 "Dropped item %s is not a local file: save it to disk first.", uris[0]);
		return FALSE;
	}
	if (uris[1] != NULL)
		log_line(self, G_LOG_LEVEL_INFO, "Several files dropped: opening only %s", path);
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
on_usb_probe_changed(const GlintProbeInfo *info, gboolean arrived, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (arrived) {
		glint_device_panel_add_probe(self->device_panel, info);
		log_line(self, G_LOG_LEVEL_INFO, "Probe plugged in: %s (%s)",
			 glint_probe_kind_to_string(info->kind), info->serial);
		return;
	}
	log_line(self, G_LOG_LEVEL_WARNING, "Probe unplugged: %s (%s)",
		 glint_probe_kind_to_string(info->kind), info->serial);
	if (self->session != NULL && self->sim == NULL) {
		g_autofree gchar *key = g_strdup_printf("usb:%s", info->serial);
		if (g_strcmp0(key, self->session_key) == 0) {
			if (self->busy) {
				self->release_after_job = TRUE;
			} else {
				release_session(self);
				show_target(self, TRUE);
			}
		}
	}
	glint_device_panel_remove_probe(self->device_panel, info->serial);
}

static void
watch_usb(GlintWindow *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) probes = glint_usb_list_probes(&error);
	if (probes == NULL) {
		log_line(self, G_LOG_LEVEL_WARNING,
			 "USB probes cannot be listed (%s); the simulated board still works.",
			 error->message);
		return;
	}
	for (guint i = 0; i < probes->len; i++)
		glint_device_panel_add_probe(self->device_panel, g_ptr_array_index(probes, i));
	self->usb_monitor = glint_usb_monitor_new(on_usb_probe_changed, self, &error);
	if (self->usb_monitor == NULL)
		log_line(self, G_LOG_LEVEL_WARNING, "Hot-plug is not available: %s",
			 error->message);
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

static gboolean
on_window_delete_event(GtkWidget *widget, GdkEvent *event, GlintWindow *self)
{
	store_settings(self);
	if (self->busy) {
		/* Never leave a probe mid-write: stop at the next safe point, then close. */
		self->close_after_job = TRUE;
		g_cancellable_cancel(self->cancellable);
		log_line(self, G_LOG_LEVEL_WARNING,
			 "Closing once the running job has stopped at a safe point…");
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
			    "The window is not shown yet: nothing to capture into %s", path);
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
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, "Could not write %s: %s", path,
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
	g_clear_pointer(&self->usb_monitor, glint_usb_monitor_free);
	if (self->confirm_dialog != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->confirm_dialog));
		self->confirm_dialog = NULL;
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
	g_action_map_add_action_entries(G_ACTION_MAP(self), win_actions, G_N_ELEMENTS(win_actions),
					self);
	self->settings = glint_settings_load();
	apply_settings(self);
	gtk_drag_dest_set(GTK_WIDGET(self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
	gtk_drag_dest_add_uri_targets(GTK_WIDGET(self));
	g_signal_connect(self, "drag-data-received", G_CALLBACK(on_window_drag_data_received),
			 self);
	g_signal_connect(self, "delete-event", G_CALLBACK(on_window_delete_event), self);
	atk_object_set_name(gtk_widget_get_accessible(GTK_WIDGET(self->info_fix_button)), "Fix");
	/* The info bar's own close button comes without a name. */
	name_unnamed_buttons(GTK_WIDGET(self->info_bar), "Close message");
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
	g_type_ensure(GLINT_TYPE_LOG_VIEW);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-window.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, header_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, connect_button);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, sim_badge);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_label);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, info_fix_button);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, device_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, stack);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, file_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, options_panel);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, memory_view);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, log_view);
	gtk_widget_class_bind_template_child(widget_class, GlintWindow, progress_bar);
	gtk_widget_class_bind_template_callback(widget_class, on_info_bar_response);
	gtk_widget_class_bind_template_callback(widget_class, on_device_panel_selection_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_device_panel_fix_requested);
	gtk_widget_class_bind_template_callback(widget_class, on_file_panel_image_loaded);
	gtk_widget_class_bind_template_callback(widget_class, on_file_panel_log);
	gtk_widget_class_bind_template_callback(widget_class, on_memory_view_read_requested);
}

GlintWindow *
glint_window_new(GtkApplication *app, const GlintWindowOptions *options)
{
	GlintWindow *self = g_object_new(GLINT_TYPE_WINDOW, "application", app, NULL);
	const char *scenario = NULL;

	if (options != NULL) {
		self->no_usb = options->no_usb;
		self->sim_state_override = g_strdup(options->sim_state_path);
		scenario = options->sim_scenario;
	}
	if (scenario == NULL)
		scenario = self->settings->scenario;
	glint_device_panel_select_sim(self->device_panel, scenario);
	if (!self->no_usb)
		watch_usb(self);
	log_line(self, G_LOG_LEVEL_INFO,
		 "Glint ready. The simulated NUCLEO-L476RG (scenario “%s”) is selected: press "
		 "Connect to try every action without hardware.",
		 glint_device_panel_get_scenario(self->device_panel));
	show_target(self, TRUE);
	update_actions(self);
	return self;
}
