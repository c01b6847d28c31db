/* glint-ui-job.c: one core job on a GTask thread, progress relayed to the main loop. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-ui-job.h"

#include <glib/gstdio.h>

#include "glint-board-state.h"
#include "glint-programmed.h"
#include "glint-usb.h"

GlintUiJob *
glint_ui_job_new(GlintUiJobKind kind, GlintSession *session)
{
	GlintUiJob *job = g_new0(GlintUiJob, 1);
	job->kind = kind;
	if (session != NULL)
		job->session = glint_session_ref(session);
	job->program_options.verify = TRUE;
	return job;
}

void
glint_ui_job_free(GlintUiJob *job)
{
	if (job == NULL)
		return;
	g_clear_pointer(&job->session, glint_session_unref);
	g_clear_pointer(&job->image, glint_image_unref);
	g_clear_pointer(&job->file, glint_firmware_file_unref);
	g_clear_pointer(&job->reloaded_file, glint_firmware_file_unref);
	g_clear_pointer(&job->bytes, g_bytes_unref);
	g_clear_pointer(&job->data, g_bytes_unref);
	g_clear_pointer(&job->units, g_array_unref);
	g_clear_pointer(&job->blank, g_array_unref);
	g_clear_pointer(&job->findings, g_ptr_array_unref);
	g_clear_pointer(&job->sim, glint_sim_unref);
	g_free(job->usb_serial);
	g_free(job->sim_scenario);
	g_free(job->sim_state_path);
	g_free(job->path);
	g_free(job->notice);
	glint_job_result_clear(&job->result);
	g_free(job);
}

const char *
glint_ui_job_kind_title(GlintUiJobKind kind)
{
	switch (kind) {
	case GLINT_UI_JOB_CONNECT:
		return C_("job", "Connect");
	case GLINT_UI_JOB_DISCONNECT:
		return C_("job", "Disconnect");
	case GLINT_UI_JOB_ERASE_MASS:
		return C_("job", "Mass erase");
	case GLINT_UI_JOB_PROGRAM:
		return C_("job", "Program");
	case GLINT_UI_JOB_VERIFY:
		return C_("job", "Verify");
	case GLINT_UI_JOB_READ:
		return C_("job", "Read memory");
	case GLINT_UI_JOB_EXPORT:
		return C_("job", "Export memory");
	case GLINT_UI_JOB_WRITE_OPTIONS:
		return C_("job", "Write option bytes");
	case GLINT_UI_JOB_RESET:
		return C_("job", "Reset");
	case GLINT_UI_JOB_APPLY_FIX:
		return C_("job", "Fix");
	case GLINT_UI_JOB_DIAGNOSE:
		return C_("job", "Diagnose");
	case GLINT_UI_JOB_READ_OPTIONS:
		return C_("job", "Read option bytes");
	case GLINT_UI_JOB_ERASE_BANK:
		return C_("job", "Bank erase");
	case GLINT_UI_JOB_ERASE_UNITS:
		return C_("job", "Erase");
	case GLINT_UI_JOB_BLANK_CHECK:
		return C_("job", "Blank check");
	case GLINT_UI_JOB_WRITE_MEMORY:
		return C_("job", "Write memory");
	case GLINT_UI_JOB_FILL_MEMORY:
		return C_("job", "Fill memory");
	case GLINT_UI_JOB_PROGRAM_OTP:
		return C_("job", "Program OTP");
	}
	return C_("job", "Job");
}

gboolean
glint_ui_job_changes_memory(GlintUiJobKind kind)
{
	switch (kind) {
	case GLINT_UI_JOB_PROGRAM:
	case GLINT_UI_JOB_ERASE_MASS:
	case GLINT_UI_JOB_ERASE_BANK:
	case GLINT_UI_JOB_ERASE_UNITS:
	case GLINT_UI_JOB_WRITE_MEMORY:
	case GLINT_UI_JOB_FILL_MEMORY:
	case GLINT_UI_JOB_PROGRAM_OTP:
		return TRUE;
	default:
		return FALSE;
	}
}

gchar *
glint_ui_job_summary(const GlintUiJob *job)
{
	gdouble kbps = 0;
	if (job->result.summary != NULL && job->result.summary[0] != '\0')
		return g_strdup(job->result.summary);
	if (job->seconds > 0)
		kbps = (gdouble)job->result.bytes / 1024.0 / job->seconds;
	return g_strdup_printf(_("%s done: %" PRIu64 " bytes, %u pages erased, %.2f s, "
				 "%.1f KiB/s"),
			       glint_ui_job_kind_title(job->kind), job->result.bytes,
			       job->result.pages_erased, job->seconds, kbps);
}

/* The relay between the worker's callbacks and the main loop. Updates are
 * coalesced: the worker overwrites the latest progress and queues log lines;
 * at most one idle is pending at a time and delivers everything queued. */
typedef struct {
	gint ref_count;
	GMutex mutex;
	GMainContext *context;
	GObject *owner;
	GlintUiJobProgressFunc progress_func;
	GlintLogFunc log_func;
	gboolean have_update;
	GlintProgressUpdate update;
	gchar *phase;
	GQueue lines; /* element-type RelayLine* */
	gboolean idle_pending;
} Relay;

typedef struct {
	GLogLevelFlags level;
	gchar *message;
} RelayLine;

static Relay *
relay_ref(Relay *relay)
{
	g_atomic_int_inc(&relay->ref_count);
	return relay;
}

static void
relay_line_free(RelayLine *line)
{
	g_free(line->message);
	g_free(line);
}

static void
relay_unref(Relay *relay)
{
	if (!g_atomic_int_dec_and_test(&relay->ref_count))
		return;
	g_queue_clear_full(&relay->lines, (GDestroyNotify)relay_line_free);
	g_free(relay->phase);
	g_main_context_unref(relay->context);
	g_object_unref(relay->owner);
	g_mutex_clear(&relay->mutex);
	g_free(relay);
}

/* Main thread: hands over everything queued so far. */
static void
relay_deliver(Relay *relay)
{
	GQueue lines = G_QUEUE_INIT;
	GlintProgressUpdate update = {0};
	g_autofree gchar *phase = NULL;
	gboolean have_update;

	g_mutex_lock(&relay->mutex);
	lines = relay->lines;
	g_queue_init(&relay->lines);
	have_update = relay->have_update;
	update = relay->update;
	phase = g_steal_pointer(&relay->phase);
	relay->have_update = FALSE;
	relay->idle_pending = FALSE;
	g_mutex_unlock(&relay->mutex);

	for (GList *l = lines.head; l != NULL; l = l->next) {
		RelayLine *line = l->data;
		if (relay->log_func != NULL)
			relay->log_func(line->level, line->message, relay->owner);
	}
	g_queue_clear_full(&lines, (GDestroyNotify)relay_line_free);
	if (have_update && relay->progress_func != NULL) {
		update.phase = phase;
		relay->progress_func(&update, relay->owner);
	}
}

static gboolean
relay_idle_cb(gpointer user_data)
{
	relay_deliver(user_data);
	return G_SOURCE_REMOVE;
}

/* Worker thread, mutex held. */
static void
relay_schedule_locked(Relay *relay)
{
	GSource *source;
	if (relay->idle_pending)
		return;
	relay->idle_pending = TRUE;
	/* Not g_main_context_invoke(): it runs the callback right here, on the
	 * worker, whenever the main context happens to be free. */
	source = g_idle_source_new();
	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(source, relay_idle_cb, relay_ref(relay), (GDestroyNotify)relay_unref);
	g_source_attach(source, relay->context);
	g_source_unref(source);
}

static void
relay_progress_cb(const GlintProgressUpdate *update, gpointer user_data)
{
	Relay *relay = user_data;
	g_mutex_lock(&relay->mutex);
	relay->update = *update;
	relay->update.phase = NULL;
	g_free(relay->phase);
	relay->phase = g_strdup(update->phase);
	relay->have_update = TRUE;
	relay_schedule_locked(relay);
	g_mutex_unlock(&relay->mutex);
}

static void
relay_log_cb(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Relay *relay = user_data;
	RelayLine *line = g_new0(RelayLine, 1);
	line->level = level;
	line->message = g_strdup(message);
	g_mutex_lock(&relay->mutex);
	g_queue_push_tail(&relay->lines, line);
	relay_schedule_locked(relay);
	g_mutex_unlock(&relay->mutex);
}

typedef struct {
	GlintUiJob *job;
	Relay *relay;
	GAsyncReadyCallback callback;
	gpointer user_data;
} JobTaskData;

static void
job_task_data_free(JobTaskData *data)
{
	glint_ui_job_free(data->job);
	relay_unref(data->relay);
	g_free(data);
}

static gboolean
session_open(GlintUiJob *job, GlintProgress *progress, GError **error)
{
	g_autoptr(GlintTransport) transport = NULL;
	if (job->sim_scenario != NULL) {
		job->sim = job->sim_state_path == NULL
			       ? glint_sim_new(job->sim_scenario, error)
			       : glint_board_state_open(job->sim_state_path, job->sim_scenario,
							job->sim_state_reset, progress,
							&job->notice, error);
		if (job->sim == NULL)
			return FALSE;
		transport = glint_sim_transport_new(job->sim);
	} else {
		transport = glint_usb_open(job->usb_serial, error);
		if (transport == NULL)
			return FALSE;
	}
	job->session = glint_session_new(transport);
	return TRUE;
}

/* Worker: the board keeps its flash between runs, like real hardware. */
static void
sim_save(GlintUiJob *job, GlintProgress *progress)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	if (job->sim == NULL || job->sim_state_path == NULL)
		return;
	/* Reads change nothing worth a 1 MB write. */
	if (job->kind == GLINT_UI_JOB_READ || job->kind == GLINT_UI_JOB_EXPORT ||
	    job->kind == GLINT_UI_JOB_VERIFY || job->kind == GLINT_UI_JOB_DIAGNOSE ||
	    job->kind == GLINT_UI_JOB_READ_OPTIONS)
		return;
	dir = g_path_get_dirname(job->sim_state_path);
	g_mkdir_with_parents(dir, 0700);
	/* The file may have been replaced since the board was loaded from it. */
	if (!glint_board_state_may_replace(job->sim_state_path, &error) ||
	    !glint_sim_save_state(job->sim, job->sim_state_path, &error))
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   _("The simulated board's state was not saved: %s"),
				   error->message);
}

static gboolean
job_connect(GlintUiJob *job, GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	g_autoptr(GError) error_diag = NULL;
	if (job->session == NULL && !session_open(job, progress, error))
		return FALSE;
	if (!glint_job_connect(job->session, &job->connect_options, progress, cancellable, error))
		return FALSE;
	job->findings = glint_job_diagnose(job->session, cancellable, &error_diag);
	if (job->findings == NULL)
		glint_progress_log(progress, G_LOG_LEVEL_WARNING, _("Diagnosis failed: %s"),
				   error_diag->message);
	return TRUE;
}

static gboolean
job_export(GlintUiJob *job, GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	gsize len = 0;
	const guint8 *data;
	job->bytes = glint_job_read(job->session, job->address, job->size, progress, cancellable,
				    &job->result, error);
	if (job->bytes == NULL)
		return FALSE;
	data = g_bytes_get_data(job->bytes, &len);
	return glint_image_write_file(job->path, job->format, job->address, data, len, error);
}

/* Worker: Program and Verify use what the disk holds now, never a copy
 * kept in memory since the file was loaded. */
static gboolean
use_file_on_disk(GlintUiJob *job, GlintProgress *progress, GError **error)
{
	g_autoptr(GlintFirmwareFile) now = NULL;
	gboolean reloaded = FALSE;
	const char *path;

	if (job->file == NULL)
		return TRUE;
	path = glint_firmware_file_get_path(job->file);
	now = glint_firmware_file_refresh(job->file, &reloaded, error);
	if (now == NULL) {
		if (reloaded)
			g_prefix_error(
			    error,
			    _("%s changed on disk since it was loaded and cannot be used "
			      "now: "),
			    path);
		return FALSE;
	}
	if (reloaded) {
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   _("%s changed on disk since it was loaded; reloaded (CRC-32 "
				     "0x%08X)"),
				   path, glint_firmware_file_get_crc32(now));
		job->reloaded_file = glint_firmware_file_ref(now);
	}
	g_clear_pointer(&job->image, glint_image_unref);
	job->image = glint_image_ref(glint_firmware_file_get_image(now));
	return TRUE;
}

/* Worker: a job that erased or programmed may have cleared stale FLASH_SR
 * flags first (or left new ones on failure): the findings shown follow. */
static void
refresh_findings(GlintUiJob *job, GlintProgress *progress, const GError *job_error)
{
	g_autoptr(GError) error = NULL;
	if (job_error != NULL && g_error_matches(job_error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED))
		return;
	if (job->session == NULL || !glint_session_is_connected(job->session))
		return;
	g_clear_pointer(&job->findings, g_ptr_array_unref);
	/* Not the job's cancellable: a cancelled job still shows what it left. */
	job->findings = glint_job_diagnose(job->session, NULL, &error);
	if (job->findings == NULL)
		glint_progress_log(progress, G_LOG_LEVEL_DEBUG, _("Diagnosis not refreshed: %s"),
				   error->message);
}

/* Worker: the Target tab's fault report and watch (and glint-cli's) find
 * the symbols of what the chip now runs: the ELF just programmed, or none
 * after any other image. */
static void
remember_programmed(GlintUiJob *job, GlintProgress *progress)
{
	GlintTransport *transport = glint_session_get_transport(job->session);
	const char *serial = glint_transport_get_info(transport)->serial;
	gboolean is_elf = glint_image_get_format(job->image) == GLINT_IMAGE_FORMAT_ELF;
	g_autoptr(GError) error = NULL;

	if (job->file == NULL)
		return;
	if (!glint_programmed_remember(serial, glint_firmware_file_get_path(job->file), is_elf,
				       &error))
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    /* TRANSLATORS: %s is why the programmed file could not be
		     * remembered; "ELF…" is the Target tab's button */
		    _("%s; the Target tab needs the ELF chosen with its ELF… button"),
		    error->message);
}

static gboolean
job_dispatch(GlintUiJob *job, GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	g_autoptr(GError) error_diag = NULL;

	if (job->session == NULL && job->kind != GLINT_UI_JOB_CONNECT) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
			    _("No probe selected: choose one in the device panel and connect."));
		return FALSE;
	}
	switch (job->kind) {
	case GLINT_UI_JOB_CONNECT:
		return job_connect(job, progress, cancellable, error);
	case GLINT_UI_JOB_DISCONNECT:
		glint_job_disconnect(job->session);
		return TRUE;
	case GLINT_UI_JOB_ERASE_MASS:
		return glint_job_erase_mass(job->session, job->confirm, progress, cancellable,
					    &job->result, error);
	case GLINT_UI_JOB_PROGRAM:
		if (!use_file_on_disk(job, progress, error))
			return FALSE;
		if (!glint_job_program(job->session, job->image, &job->program_options, progress,
				       cancellable, &job->result, error))
			return FALSE;
		remember_programmed(job, progress);
		return TRUE;
	case GLINT_UI_JOB_VERIFY:
		if (!use_file_on_disk(job, progress, error))
			return FALSE;
		return glint_job_verify(job->session, job->image, progress, cancellable,
					&job->result, error);
	case GLINT_UI_JOB_READ:
		job->bytes = glint_job_read(job->session, job->address, job->size, progress,
					    cancellable, &job->result, error);
		return job->bytes != NULL;
	case GLINT_UI_JOB_EXPORT:
		return job_export(job, progress, cancellable, error);
	case GLINT_UI_JOB_WRITE_OPTIONS:
		if (!glint_job_write_options(job->session, &job->options, job->confirm, progress,
					     cancellable, &job->result, error))
			return FALSE;
		job->findings = glint_job_diagnose(job->session, cancellable, &error_diag);
		return TRUE;
	case GLINT_UI_JOB_RESET:
		return glint_job_reset(job->session, job->reset_mode, FALSE, cancellable, error);
	case GLINT_UI_JOB_APPLY_FIX:
		if (!glint_job_apply_fix(job->session, job->fix, job->confirm, progress,
					 cancellable, &job->result, error))
			return FALSE;
		job->findings = glint_job_diagnose(job->session, cancellable, &error_diag);
		return TRUE;
	case GLINT_UI_JOB_DIAGNOSE:
		job->findings = glint_job_diagnose(job->session, cancellable, error);
		return job->findings != NULL;
	case GLINT_UI_JOB_READ_OPTIONS:
		if (!glint_job_read_options(job->session, &job->options, error))
			return FALSE;
		job->findings = glint_job_diagnose(job->session, cancellable, &error_diag);
		return TRUE;
	case GLINT_UI_JOB_ERASE_BANK:
		return glint_job_erase_bank(job->session, job->bank, job->confirm, progress,
					    cancellable, &job->result, error);
	case GLINT_UI_JOB_ERASE_UNITS:
		return glint_job_erase_units(job->session, &g_array_index(job->units, guint, 0),
					     job->units->len, progress, cancellable, &job->result,
					     error);
	case GLINT_UI_JOB_BLANK_CHECK:
		job->blank = glint_job_blank_check(job->session, progress, cancellable, error);
		return job->blank != NULL;
	case GLINT_UI_JOB_WRITE_MEMORY:
		return glint_job_write_memory(job->session, job->address, job->data,
					      job->write_policy, progress, cancellable,
					      &job->result, error);
	case GLINT_UI_JOB_FILL_MEMORY:
		return glint_job_fill_memory(job->session, job->address, job->size, job->fill_value,
					     job->fill_width, job->write_policy, progress,
					     cancellable, &job->result, error);
	case GLINT_UI_JOB_PROGRAM_OTP:
		return glint_job_program_otp(job->session, job->address, job->data, job->confirm,
					     progress, cancellable, &job->result, error);
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, _("Unknown job kind %d"),
		    job->kind);
	return FALSE;
}

static void
job_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	JobTaskData *data = task_data;
	g_autoptr(GlintProgress) progress =
	    glint_progress_new(relay_progress_cb, relay_log_cb, data->relay);
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();
	gboolean ok = job_dispatch(data->job, progress, cancellable, &error);

	data->job->seconds = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	if (data->job->kind == GLINT_UI_JOB_PROGRAM || data->job->kind == GLINT_UI_JOB_ERASE_MASS)
		refresh_findings(data->job, progress, error);
	sim_save(data->job, progress);
	if (!ok) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
job_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	JobTaskData *data = g_task_get_task_data(G_TASK(res));
	/* Everything the worker queued lands before the result does. */
	relay_deliver(data->relay);
	data->callback(source, res, data->user_data);
}

void
glint_ui_job_run(GlintUiJob *job, GObject *owner, GCancellable *cancellable,
		 GlintUiJobProgressFunc progress_func, GlintLogFunc log_func,
		 GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(owner, cancellable, job_done_cb, NULL);
	JobTaskData *data = g_new0(JobTaskData, 1);
	Relay *relay = g_new0(Relay, 1);

	relay->ref_count = 1;
	g_mutex_init(&relay->mutex);
	g_queue_init(&relay->lines);
	relay->context = g_main_context_ref_thread_default();
	relay->owner = g_object_ref(owner);
	relay->progress_func = progress_func;
	relay->log_func = log_func;

	data->job = job;
	data->relay = relay;
	data->callback = callback;
	data->user_data = user_data;
	g_task_set_task_data(task, data, (GDestroyNotify)job_task_data_free);
	/* Cancellation is the job's business (safe points only): keep the result. */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_return_on_cancel(task, FALSE);
	g_task_run_in_thread(task, job_thread);
}

GlintUiJob *
glint_ui_job_from_result(GAsyncResult *res)
{
	JobTaskData *data = g_task_get_task_data(G_TASK(res));
	return data->job;
}

gboolean
glint_ui_job_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}
