/* glint-station.c: the production station: a loop per probe (wait for a
 * board, run the recipe, record, release, wait for the removal), the steps
 * of one board, and the words an operator needs when a board fails. */
#define G_LOG_DOMAIN "glint-station"

#include "glint-i18n.h"
#include "glint-station.h"

#include <string.h>

#include "glint-station-counter.h"
#include "glint-stlink.h"

/* How long a lost probe is left alone before it is looked for again. */
#define STATION_REOPEN_MS 500

typedef struct _StationProbe StationProbe;

struct _GlintStation {
	GlintRecipe *recipe;
	GlintStationOptions options;
	GlintStationCounter *counter;
	GPtrArray *probes;  /* StationProbe* */
	GPtrArray *records; /* GlintRecordFile* */
	GlintStationEventFunc event_func;
	gpointer event_data;
	GlintStationReopenFunc reopen_func;
	gpointer reopen_data;

	GMutex lock; /* guards what follows */
	GCond wake;  /* stop, cancel or a fatal fault: sleepers wake */
	gboolean stop;
	GError *fatal; /* going on is unsafe: every probe ends */
	GCancellable *cancellable;
	guint claimed; /* boards started */
	guint done, passed, failed;
};

struct _StationProbe {
	GlintStation *station;
	guint index;
	gchar *serial;
	GlintTransport *transport;
	GlintStlink *waiter; /* reads the voltage between boards */
	GlintSession *session;
	guint poll_ms;
	gboolean lost; /* ended because it was lost for good */
};

/* One board's run. */
typedef struct {
	StationProbe *probe;
	guint number;
	GlintStationStep step;
	gdouble volts;	     /* as the probe read it when the board settled */
	guint weight_done;   /* of the steps finished */
	gboolean fatal;	     /* the station cannot go on after this board */
	gboolean wrong_chip; /* the recipe is for another chip */
	gboolean rdp_level2; /* diagnosis found the debug port closed for good */
	gboolean serial_taken;
	guint64 serial;
	gint64 host_start;
	gint64 device_start;
	GlintStationRecord record;
} StationBoard;

/* Each step's share of a board's progress bar. */
static const guint step_weights[] = {
    [GLINT_STATION_STEP_CONNECT] = 3, [GLINT_STATION_STEP_CHECK] = 2,
    [GLINT_STATION_STEP_ERASE] = 10,  [GLINT_STATION_STEP_PROGRAM] = 65,
    [GLINT_STATION_STEP_SERIAL] = 6,  [GLINT_STATION_STEP_OPTIONS] = 6,
    [GLINT_STATION_STEP_PROTECT] = 5, [GLINT_STATION_STEP_RESET] = 2,
    [GLINT_STATION_STEP_RECORD] = 1,
};
#define STEP_WEIGHT_TOTAL 100u

const char *
glint_station_step_to_string(GlintStationStep step)
{
	static const char *const names[] = {
	    [GLINT_STATION_STEP_WAIT] = "wait",	      [GLINT_STATION_STEP_CONNECT] = "connect",
	    [GLINT_STATION_STEP_CHECK] = "check",     [GLINT_STATION_STEP_ERASE] = "erase",
	    [GLINT_STATION_STEP_PROGRAM] = "program", [GLINT_STATION_STEP_SERIAL] = "serial",
	    [GLINT_STATION_STEP_OPTIONS] = "options", [GLINT_STATION_STEP_PROTECT] = "protect",
	    [GLINT_STATION_STEP_RESET] = "reset",     [GLINT_STATION_STEP_RECORD] = "record",
	    [GLINT_STATION_STEP_REMOVE] = "remove",
	};
	return (guint)step < G_N_ELEMENTS(names) ? names[step] : "unknown";
}

const char *
glint_station_step_title(GlintStationStep step)
{
	static const char *const titles[] = {
	    [GLINT_STATION_STEP_WAIT] = N_("Waiting for a board"),
	    [GLINT_STATION_STEP_CONNECT] = N_("Connecting"),
	    [GLINT_STATION_STEP_CHECK] = N_("Checking the chip"),
	    [GLINT_STATION_STEP_ERASE] = N_("Erasing"),
	    [GLINT_STATION_STEP_PROGRAM] = N_("Programming"),
	    [GLINT_STATION_STEP_SERIAL] = N_("Writing the serial number"),
	    [GLINT_STATION_STEP_OPTIONS] = N_("Writing option bytes"),
	    [GLINT_STATION_STEP_PROTECT] = N_("Protecting"),
	    [GLINT_STATION_STEP_RESET] = N_("Starting the firmware"),
	    [GLINT_STATION_STEP_RECORD] = N_("Writing the record"),
	    [GLINT_STATION_STEP_REMOVE] = N_("Remove the board"),
	};
	return (guint)step < G_N_ELEMENTS(titles) ? glint_tr(titles[step]) : _("Working");
}

/* ---- the station ---------------------------------------------------------- */

static void
station_probe_free(StationProbe *p)
{
	g_clear_pointer(&p->session, glint_session_unref);
	g_clear_pointer(&p->waiter, glint_stlink_free);
	g_clear_pointer(&p->transport, glint_transport_unref);
	g_free(p->serial);
	g_free(p);
}

static gboolean
check_confirmations(GlintRecipe *recipe, GlintConfirm given, GError **error)
{
	g_autofree gchar *why = NULL;
	GlintConfirm needs = glint_recipe_needs_confirm(recipe, &why);

	if ((needs & GLINT_CONFIRM_PERMANENT_LOCK) && !(given & GLINT_CONFIRM_PERMANENT_LOCK)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("The recipe %s locks every board for ever; it runs only with the "
			      "permanent-lock confirmation (--confirm-permanent-lock):\n%s"),
			    glint_recipe_get_path(recipe), why);
		return FALSE;
	}
	if ((needs & GLINT_CONFIRM_RISKY) &&
	    !(given & (GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK))) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("The recipe %s erases or changes every board in ways that need a "
			      "confirmation (--confirm):\n%s"),
			    glint_recipe_get_path(recipe), why);
		return FALSE;
	}
	return TRUE;
}

GlintStation *
glint_station_new(GlintRecipe *recipe, const GlintStationOptions *options, GError **error)
{
	g_autoptr(GlintStation) self = g_new0(GlintStation, 1);

	g_mutex_init(&self->lock);
	g_cond_init(&self->wake);
	self->recipe = glint_recipe_ref(recipe);
	if (options != NULL)
		self->options = *options;
	self->probes = g_ptr_array_new_with_free_func((GDestroyNotify)station_probe_free);
	self->records = g_ptr_array_new_with_free_func((GDestroyNotify)glint_record_file_close);
	if (!check_confirmations(recipe, self->options.confirm, error))
		return NULL;
	/* the risky steps the recipe has were confirmed: the jobs hear it */
	if (self->options.confirm & GLINT_CONFIRM_PERMANENT_LOCK)
		self->options.confirm |= GLINT_CONFIRM_RISKY;
	self->counter = glint_station_counter_open(glint_recipe_get_path(recipe), error);
	if (self->counter == NULL)
		return NULL;
	return g_steal_pointer(&self);
}

void
glint_station_free(GlintStation *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->probes, g_ptr_array_unref);
	g_clear_pointer(&self->records, g_ptr_array_unref);
	g_clear_pointer(&self->counter, glint_station_counter_free);
	g_clear_pointer(&self->recipe, glint_recipe_unref);
	g_clear_object(&self->cancellable);
	g_clear_error(&self->fatal);
	g_mutex_clear(&self->lock);
	g_cond_clear(&self->wake);
	g_free(self);
}

void
glint_station_add_probe(GlintStation *self, GlintTransport *transport)
{
	StationProbe *p = g_new0(StationProbe, 1);
	const GlintProbeInfo *info = glint_transport_get_info(transport);

	p->station = self;
	p->index = self->probes->len;
	p->transport = glint_transport_ref(transport);
	p->serial = g_strdup(info->serial != NULL ? info->serial : "unknown");
	p->poll_ms = self->options.poll_ms != 0 ? self->options.poll_ms
		     : info->simulated		? GLINT_STATION_POLL_MS_SIMULATED
						: GLINT_STATION_POLL_MS;
	g_ptr_array_add(self->probes, p);
}

void
glint_station_add_record_file(GlintStation *self, GlintRecordFile *file)
{
	g_ptr_array_add(self->records, file);
}

void
glint_station_set_event_func(GlintStation *self, GlintStationEventFunc func, gpointer user_data)
{
	self->event_func = func;
	self->event_data = user_data;
}

void
glint_station_set_reopen_func(GlintStation *self, GlintStationReopenFunc func, gpointer user_data)
{
	self->reopen_func = func;
	self->reopen_data = user_data;
}

void
glint_station_stop(GlintStation *self)
{
	g_mutex_lock(&self->lock);
	self->stop = TRUE;
	g_cond_broadcast(&self->wake);
	g_mutex_unlock(&self->lock);
}

gboolean
glint_station_is_stopping(GlintStation *self)
{
	gboolean stop;
	g_mutex_lock(&self->lock);
	stop = self->stop || self->fatal != NULL;
	g_mutex_unlock(&self->lock);
	return stop;
}

void
glint_station_get_counts(GlintStation *self, guint *done, guint *passed, guint *failed)
{
	g_mutex_lock(&self->lock);
	if (done != NULL)
		*done = self->done;
	if (passed != NULL)
		*passed = self->passed;
	if (failed != NULL)
		*failed = self->failed;
	g_mutex_unlock(&self->lock);
}

const char *
glint_station_get_counter_path(GlintStation *self)
{
	return glint_station_counter_get_path(self->counter);
}

gboolean
glint_station_peek_serial(GlintStation *self, guint64 *next, GError **error)
{
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);
	if (s->serial_format == GLINT_SERIAL_NONE) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("The recipe gives no serial numbers"));
		return FALSE;
	}
	return glint_station_counter_peek(self->counter, GLINT_STATION_COUNTER_SERIAL,
					  s->serial_first, next, error);
}

/* Whether another board can get a serial number and a row of unique data:
 * a station that has run out stops before it touches the next board. The
 * take itself decides (another station may take the last one meanwhile). */
static gboolean
station_check_supplies(GlintStation *self, GError **error)
{
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);
	guint64 next = 0;

	if (s->serial_format != GLINT_SERIAL_NONE) {
		g_autoptr(GBytes) bytes = NULL;
		if (!glint_station_counter_peek(self->counter, GLINT_STATION_COUNTER_SERIAL,
						s->serial_first, &next, error))
			return FALSE;
		bytes = glint_recipe_serial_bytes(self->recipe, next, error);
		if (bytes == NULL)
			return FALSE;
	}
	if (s->unique_encoding != GLINT_UNIQUE_NONE) {
		guint rows = glint_recipe_get_unique_rows(self->recipe);
		if (!glint_station_counter_peek(self->counter, GLINT_STATION_COUNTER_UNIQUE_ROW, 0,
						&next, error))
			return FALSE;
		if (next >= rows) {
			g_autoptr(GBytes) none =
			    glint_recipe_unique_bytes(self->recipe, rows, error);
			return FALSE;
		}
	}
	return TRUE;
}

/* Locked. */
static gboolean
station_ending_locked(GlintStation *self)
{
	return self->stop || self->fatal != NULL || g_cancellable_is_cancelled(self->cancellable) ||
	       (self->options.boards > 0 && self->claimed >= self->options.boards);
}

/* Whether a probe should give up waiting (for a board or its removal). */
static gboolean
station_ending(GlintStation *self)
{
	gboolean ending;
	g_mutex_lock(&self->lock);
	ending = station_ending_locked(self);
	g_mutex_unlock(&self->lock);
	return ending;
}

/* A board number for a board that is in; FALSE once no more may start. */
static gboolean
station_claim(GlintStation *self, guint *number)
{
	gboolean ok;
	g_mutex_lock(&self->lock);
	ok = !station_ending_locked(self);
	if (ok)
		*number = ++self->claimed;
	g_mutex_unlock(&self->lock);
	return ok;
}

static void
station_set_fatal(GlintStation *self, const GError *error)
{
	g_mutex_lock(&self->lock);
	if (self->fatal == NULL)
		self->fatal = g_error_copy(error);
	g_cond_broadcast(&self->wake);
	g_mutex_unlock(&self->lock);
}

/* Waits @ms, or less when the station is told to end. */
static void
station_sleep(GlintStation *self, guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * G_TIME_SPAN_MILLISECOND;
	g_mutex_lock(&self->lock);
	while (!self->stop && self->fatal == NULL && !g_cancellable_is_cancelled(self->cancellable))
		if (!g_cond_wait_until(&self->wake, &self->lock, end))
			break;
	g_mutex_unlock(&self->lock);
}

static void
on_station_cancelled(GCancellable *cancellable, gpointer user_data)
{
	GlintStation *self = user_data;
	g_mutex_lock(&self->lock);
	g_cond_broadcast(&self->wake);
	g_mutex_unlock(&self->lock);
}

/* ---- events ------------------------------------------------------------------ */

static void
emit(StationProbe *p, GlintStationEvent *event)
{
	GlintStation *self = p->station;
	event->probe = p->index;
	event->probe_serial = p->serial;
	if (self->event_func != NULL)
		self->event_func(event, self->event_data);
}

static void
emit_simple(StationProbe *p, GlintStationEventKind kind, guint board, const char *message)
{
	GlintStationEvent event = {.kind = kind, .board = board, .message = message};
	emit(p, &event);
}

static void
board_emit_progress(StationBoard *b, gdouble step_fraction)
{
	GlintStationEvent event = {.kind = GLINT_STATION_EVENT_PROGRESS, .board = b->number};
	guint weight = (guint)b->step < G_N_ELEMENTS(step_weights) ? step_weights[b->step] : 0;
	event.step = b->step;
	event.fraction = MIN(1.0, (b->weight_done + weight * CLAMP(step_fraction, 0.0, 1.0)) /
				      STEP_WEIGHT_TOTAL);
	emit(b->probe, &event);
}

static void
board_step(StationBoard *b, GlintStationStep step)
{
	GlintStationEvent event = {.kind = GLINT_STATION_EVENT_STEP, .board = b->number};
	if ((guint)b->step < G_N_ELEMENTS(step_weights) && b->step != GLINT_STATION_STEP_WAIT)
		b->weight_done += step_weights[b->step];
	b->step = step;
	event.step = step;
	event.message = glint_station_step_title(step);
	emit(b->probe, &event);
	board_emit_progress(b, 0);
}

static void G_GNUC_PRINTF(3, 4)
    board_log(StationBoard *b, GLogLevelFlags level, const char *format, ...)
{
	GlintStationEvent event = {.kind = GLINT_STATION_EVENT_LOG, .board = b->number};
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	event.level = level;
	event.message = message;
	event.step = b->step;
	emit(b->probe, &event);
}

static void
on_job_progress(const GlintProgressUpdate *update, gpointer user_data)
{
	board_emit_progress(user_data, update->fraction);
}

static void
on_job_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	board_log(user_data, level, "%s", message);
}

static GlintProgress *
board_progress(StationBoard *b)
{
	return glint_progress_new(on_job_progress, on_job_log, b);
}

/* ---- one board: the steps ------------------------------------------------------- */

static GlintSession *
board_session(StationBoard *b)
{
	return b->probe->session;
}

static GCancellable *
board_cancellable(StationBoard *b)
{
	return b->probe->station->cancellable;
}

static gboolean
board_connect(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	g_autoptr(GlintProgress) progress = board_progress(b);
	const GlintTargetInfo *info;

	board_step(b, GLINT_STATION_STEP_CONNECT);
	if (!glint_job_connect(board_session(b), &self->options.connect, progress,
			       board_cancellable(b), error))
		return FALSE;
	info = glint_session_get_target_info(board_session(b));
	b->record.chip = g_strdup(info->chip->name);
	b->record.flash_kb = info->flash_kb;
	b->record.uid = g_strdup(info->uid);
	if (info->voltage >= 0)
		b->volts = info->voltage;
	board_log(b, G_LOG_LEVEL_INFO, _("Board %u: %s, %u KiB, UID %s, %.2f V"), b->number,
		  info->chip->name, info->flash_kb, info->uid, info->voltage);
	return TRUE;
}

/* The error a diagnosis finding that stops production stands for. */
static void
finding_error(StationBoard *b, const GlintFinding *f, GError **error)
{
	GlintErrorCode code = GLINT_ERROR_FAILED;
	if (g_str_has_prefix(f->id, "rdp-"))
		code = GLINT_ERROR_READ_PROTECTED;
	else if (g_strcmp0(f->id, "optverr") == 0)
		code = GLINT_ERROR_OPTIONS_INCOHERENT;
	b->rdp_level2 = g_strcmp0(f->id, "rdp-level2") == 0;
	g_set_error(error, GLINT_ERROR, code, "%s%s%s", f->title, f->impact != NULL ? ". " : "",
		    f->impact != NULL ? f->impact : "");
}

static gboolean
board_check(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintTargetInfo *info = glint_session_get_target_info(board_session(b));
	g_autofree gchar *why = NULL;
	g_autoptr(GPtrArray) findings = NULL;

	board_step(b, GLINT_STATION_STEP_CHECK);
	if (!glint_recipe_chip_matches(self->recipe, info, &why)) {
		b->wrong_chip = TRUE;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED, _("Wrong chip: %s"), why);
		return FALSE;
	}
	findings = glint_job_diagnose(board_session(b), board_cancellable(b), error);
	if (findings == NULL)
		return FALSE;
	for (guint i = 0; i < findings->len; i++) {
		const GlintFinding *f = g_ptr_array_index(findings, i);
		if (f->severity == GLINT_SEVERITY_ERROR) {
			finding_error(b, f, error);
			return FALSE;
		}
		if (f->severity == GLINT_SEVERITY_WARNING)
			board_log(b, G_LOG_LEVEL_WARNING, "%s", f->title);
	}
	return TRUE;
}

/* Marks the erase units [@address, +@len) touches. */
static void
mark_units(const GlintFlashGeometry *g, guint32 address, guint64 len, gboolean *marks)
{
	guint64 end = (guint64)address + len;
	guint64 at = address;

	while (at < end) {
		GlintFlashUnit unit;
		if (!glint_geometry_unit_at(g, (guint32)at, &unit))
			break;
		marks[unit.index] = TRUE;
		at = (guint64)unit.address + unit.size;
	}
}

static gboolean
board_erase(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);
	const GlintTargetInfo *info = glint_session_get_target_info(board_session(b));
	const GlintFlashGeometry *g = &info->geometry;
	GlintImage *image = glint_recipe_get_image(self->recipe);
	g_autoptr(GlintProgress) progress = board_progress(b);
	g_autofree gboolean *marks = NULL;
	g_autoptr(GArray) indices = g_array_new(FALSE, FALSE, sizeof(guint));

	board_step(b, GLINT_STATION_STEP_ERASE);
	if (s->erase == GLINT_RECIPE_ERASE_ALL)
		return glint_job_erase_mass(board_session(b), self->options.confirm, progress,
					    board_cancellable(b), NULL, error);
	marks = g_new0(gboolean, g->n_units);
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		mark_units(g, seg->address, g_bytes_get_size(seg->data), marks);
	}
	if (s->serial_format != GLINT_SERIAL_NONE)
		mark_units(g, s->serial_address, glint_recipe_get_serial_span(self->recipe), marks);
	if (s->unique_encoding != GLINT_UNIQUE_NONE)
		mark_units(g, s->unique_address, glint_recipe_get_unique_span(self->recipe), marks);
	for (guint i = 0; i < g->n_units; i++) {
		if (marks[i])
			g_array_append_val(indices, i);
	}
	return glint_job_erase_units(board_session(b), (const guint *)(gpointer)indices->data,
				     indices->len, progress, board_cancellable(b), NULL, error);
}

static gboolean
board_program(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	GlintProgramOptions options = {.verify = TRUE, .no_erase = TRUE};
	g_autoptr(GlintProgress) progress = board_progress(b);
	GlintJobResult result = {0};
	gboolean ok;

	board_step(b, GLINT_STATION_STEP_PROGRAM);
	ok = glint_job_program(board_session(b), glint_recipe_get_image(self->recipe), &options,
			       progress, board_cancellable(b), &result, error);
	if (ok && result.summary != NULL)
		board_log(b, G_LOG_LEVEL_INFO, "%s", result.summary);
	glint_job_result_clear(&result);
	return ok;
}

/* Writes @data at @address (erased by the erase step) and reads it back. */
static gboolean
board_write_checked(StationBoard *b, guint32 address, GBytes *data, const char *what,
		    GError **error)
{
	g_autoptr(GlintProgress) progress = board_progress(b);
	g_autoptr(GBytes) back = NULL;
	gsize len = 0;
	const guint8 *want = g_bytes_get_data(data, &len);
	const guint8 *got;

	if (!glint_job_write_memory(board_session(b), address, data,
				    GLINT_FLASH_WRITE_REFUSE_UNERASED, progress,
				    board_cancellable(b), NULL, error))
		return FALSE;
	back = glint_job_read(board_session(b), address, (guint32)len, NULL, board_cancellable(b),
			      NULL, error);
	if (back == NULL)
		return FALSE;
	got = g_bytes_get_data(back, NULL);
	for (gsize i = 0; i < len; i++) {
		if (got[i] == want[i])
			continue;
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH,
		    _("The %s at 0x%08X does not read back as written: 0x%08X holds 0x%02X, "
		      "0x%02X was written"),
		    what, address, address + (guint32)i, got[i], want[i]);
		return FALSE;
	}
	return TRUE;
}

static gboolean
board_take(StationBoard *b, const char *counter, guint64 first, guint64 step, guint64 *value,
	   GError **error)
{
	GlintStation *self = b->probe->station;
	if (glint_station_counter_take(self->counter, counter, first, step, value, error))
		return TRUE;
	/* without a durable counter no number may be given */
	b->fatal = TRUE;
	return FALSE;
}

static gboolean
board_unique(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);
	guint64 row = 0;
	g_autoptr(GBytes) data = NULL;

	if (!board_take(b, GLINT_STATION_COUNTER_UNIQUE_ROW, 0, 1, &row, error))
		return FALSE;
	data = glint_recipe_unique_bytes(self->recipe, (guint)MIN(row, G_MAXUINT), error);
	if (data == NULL) {
		b->fatal = TRUE; /* every row is used */
		return FALSE;
	}
	b->record.unique_row = glint_recipe_unique_row_line(self->recipe, (guint)row);
	return board_write_checked(b, s->unique_address, data, _("unique data"), error);
}

static gboolean
board_serial(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);
	g_autoptr(GBytes) bytes = NULL;

	if (s->serial_format == GLINT_SERIAL_NONE && s->unique_encoding == GLINT_UNIQUE_NONE)
		return TRUE;
	board_step(b, GLINT_STATION_STEP_SERIAL);
	/* the row first: of the two, rows run out (a serial number is only
	 * taken once the board has its row) */
	if (s->unique_encoding != GLINT_UNIQUE_NONE && !board_unique(b, error))
		return FALSE;
	if (s->serial_format != GLINT_SERIAL_NONE) {
		GlintStationEvent event = {.kind = GLINT_STATION_EVENT_SERIAL_TAKEN,
					   .board = b->number};
		if (!board_take(b, GLINT_STATION_COUNTER_SERIAL, s->serial_first, s->serial_step,
				&b->serial, error))
			return FALSE;
		b->serial_taken = TRUE;
		event.serial = b->serial;
		event.step = b->step;
		emit(b->probe, &event);
		bytes = glint_recipe_serial_bytes(self->recipe, b->serial, error);
		if (bytes == NULL) {
			b->fatal = TRUE; /* the recipe's range is used up */
			return FALSE;
		}
		if (!board_write_checked(b, s->serial_address, bytes, _("serial number"), error))
			return FALSE;
	}
	return TRUE;
}

/* Applies @edits ("NAME=VALUE") to the chip's option bytes and writes
 * them when they change anything. */
static gboolean
board_write_option_edits(StationBoard *b, const char *const *edits, GError **error)
{
	GlintStation *self = b->probe->station;
	g_autoptr(GlintProgress) progress = board_progress(b);
	const GlintTargetInfo *info;
	GlintOptionBytes current, wanted;

	if (!glint_job_read_options(board_session(b), &current, error))
		return FALSE;
	info = glint_session_get_target_info(board_session(b));
	wanted = current;
	for (guint i = 0; edits[i] != NULL; i++) {
		if (!glint_target_info_apply_option_edit(info, &wanted, edits[i], error))
			return FALSE;
	}
	if (glint_option_bytes_equal(&current, &wanted))
		return TRUE;
	return glint_job_write_options(board_session(b), &wanted, self->options.confirm, progress,
				       board_cancellable(b), NULL, error);
}

static gboolean
board_options(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);

	if (s->options == NULL || s->options[0] == NULL)
		return TRUE;
	board_step(b, GLINT_STATION_STEP_OPTIONS);
	return board_write_option_edits(b, (const char *const *)s->options, error);
}

static gboolean
board_protect(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);
	g_autofree gchar *edit = NULL;
	const char *edits[2] = {NULL, NULL};

	if (s->rdp_level == 0)
		return TRUE;
	board_step(b, GLINT_STATION_STEP_PROTECT);
	edit = g_strdup_printf("RDP=%u", s->rdp_level);
	edits[0] = edit;
	return board_write_option_edits(b, edits, error);
}

static gboolean
board_reset(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	const GlintRecipeSettings *s = glint_recipe_get_settings(self->recipe);

	if (!s->reset_run)
		return TRUE;
	/* level 2 closed the debug port; the option reload has reset the chip
	 * into its firmware already */
	if (s->rdp_level == 2) {
		board_log(b, G_LOG_LEVEL_INFO,
			  _("No reset through the debug port: RDP level 2 "
			    "closed it, and the option reload started the "
			    "firmware"));
		return TRUE;
	}
	board_step(b, GLINT_STATION_STEP_RESET);
	return glint_job_reset(board_session(b), self->options.connect.reset_mode, FALSE,
			       board_cancellable(b), error);
}

static gboolean
board_run(StationBoard *b, GError **error)
{
	return board_connect(b, error) && board_check(b, error) && board_erase(b, error) &&
	       board_program(b, error) && board_serial(b, error) && board_options(b, error) &&
	       board_protect(b, error) && board_reset(b, error);
}

/* ---- what the operator is told -------------------------------------------------- */

static gchar *
board_verdict(StationBoard *b, const GError *error)
{
	const char *step = glint_station_step_to_string(b->step);
	const GlintTargetInfo *info = glint_session_get_target_info(board_session(b));

	if (b->fatal && !g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION))
		return g_strdup(_("the station cannot go on (see the cause): station stopped"));
	if (error->domain != GLINT_ERROR)
		return g_strdup_printf(_("failed at %s: see the log; program the board again"),
				       step);
	switch ((GlintErrorCode)error->code) {
	case GLINT_ERROR_NO_TARGET:
		if (b->volts >= GLINT_STATION_PRESENT_VOLTS &&
		    b->volts < GLINT_STATION_POWERED_VOLTS)
			return g_strdup_printf(_("bad contact: target voltage %.2f V: reseat the "
						 "board"),
					       b->volts);
		if (b->volts >= GLINT_STATION_POWERED_VOLTS)
			return g_strdup_printf(_("low supply: target voltage %.2f V: check the "
						 "board's power"),
					       b->volts);
		return g_strdup_printf(_("no power: target voltage %.2f V: check the board's "
					 "power and the cable"),
				       MAX(b->volts, 0.0));
	case GLINT_ERROR_TARGET_NOT_RESPONDING:
		return g_strdup(_("no answer on SWD: reseat the board and check the connector"));
	case GLINT_ERROR_READ_PROTECTED:
		/* the verdict follows the chip, not the wording of the message */
		if (b->rdp_level2 || (info != NULL && info->rdp_level == 2))
			return g_strdup(_("locked for ever (RDP level 2): remove from line"));
		return g_strdup(_("read protected (RDP level 1): remove from line"));
	case GLINT_ERROR_WRITE_PROTECTED:
		return g_strdup(_("write protected (WRP): remove from line"));
	case GLINT_ERROR_CODE_PROTECTED:
		return g_strdup(_("code protected (PCROP): remove from line"));
	case GLINT_ERROR_OPTIONS_INCOHERENT:
		return g_strdup(_("option bytes damaged: remove from line"));
	case GLINT_ERROR_VERIFY_MISMATCH:
		return g_strdup_printf(_("verify failed at %s (flash defect?): remove from line"),
				       step);
	case GLINT_ERROR_FLASH:
	case GLINT_ERROR_NOT_ERASED:
		return g_strdup_printf(_("flash error at %s: program the board again; if it fails "
					 "again, remove from line"),
				       step);
	case GLINT_ERROR_UNSUPPORTED:
		if (b->wrong_chip)
			return g_strdup(_("wrong chip: remove from line"));
		return g_strdup(_("unknown chip: remove from line"));
	case GLINT_ERROR_DISCONNECTED:
		return g_strdup(_("probe disconnected: reconnect the probe, then program the board "
				  "again"));
	case GLINT_ERROR_TIMEOUT:
	case GLINT_ERROR_PROBE:
		return g_strdup_printf(_("probe error at %s: program the board again"), step);
	case GLINT_ERROR_CANCELLED:
		return g_strdup(_("stopped by the operator: program the board again"));
	case GLINT_ERROR_NEEDS_CONFIRMATION:
		return g_strdup(
		    _("the recipe needs a confirmation for this board: station stopped"));
	default:
		return g_strdup_printf(_("failed at %s: program the board again; see the log"),
				       step);
	}
}

/* ---- one board: from insertion to record ------------------------------------------ */

static gchar *
now_iso8601(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
board_finish_record(StationBoard *b, gboolean ok, const GError *error)
{
	GlintStation *self = b->probe->station;
	GlintStationRecord *r = &b->record;
	gint64 device_now = glint_transport_get_device_time_ns(b->probe->transport);

	r->time = now_iso8601();
	r->passed = ok;
	r->seconds = (g_get_monotonic_time() - b->host_start) / 1e6;
	r->device_seconds =
	    b->device_start >= 0 && device_now >= 0 ? (device_now - b->device_start) / 1e9 : -1;
	if (ok) {
		if (b->serial_taken)
			r->serial = glint_recipe_serial_text(self->recipe, b->serial);
		return;
	}
	r->step = g_strdup(glint_station_step_to_string(b->step));
	r->error = board_verdict(b, error);
	r->error_code = g_strdup(error->domain == GLINT_ERROR
				     ? glint_error_code_to_string((GlintErrorCode)error->code)
				     : "failed");
	if (b->serial_taken) {
		g_autofree gchar *text = glint_recipe_serial_text(self->recipe, b->serial);
		/* the number may be in its flash: it is never given again */
		r->cause = g_strdup_printf(_("%s (serial number %s was taken for this board and is "
					     "not given again)"),
					   error->message, text);
	} else {
		r->cause = g_strdup(error->message);
	}
}

static void
board_write_record(StationBoard *b, GError **error)
{
	GlintStation *self = b->probe->station;
	for (guint i = 0; i < self->records->len; i++) {
		if (!glint_record_file_append(g_ptr_array_index(self->records, i), &b->record,
					      error))
			return;
	}
}

/* The probe leaves debug mode: the firmware runs and the operator may pull
 * the board. Without a connection, the probe is told directly. */
static void
probe_release(StationProbe *p)
{
	if (glint_session_is_connected(p->session))
		glint_job_disconnect(p->session);
	else if (p->waiter != NULL)
		glint_stlink_exit_debug(p->waiter, NULL);
}

static void
probe_board(StationProbe *p, guint number, gdouble volts)
{
	GlintStation *self = p->station;
	StationBoard b = {.probe = p, .number = number, .volts = volts};
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) record_error = NULL;
	GlintStationEvent done = {.kind = GLINT_STATION_EVENT_DONE, .board = number};
	gboolean ok;

	if (!station_check_supplies(self, &error)) {
		g_prefix_error(&error, _("The station stopped before board %u: "), number);
		station_set_fatal(self, error);
		probe_release(p);
		return;
	}
	glint_station_record_init(&b.record);
	b.record.probe = g_strdup(p->serial);
	b.record.image_crc = glint_recipe_get_settings(self->recipe)->image_crc;
	b.host_start = g_get_monotonic_time();
	b.device_start = glint_transport_get_device_time_ns(p->transport);
	emit_simple(p, GLINT_STATION_EVENT_BOARD, number, NULL);
	ok = board_run(&b, &error);
	if (!ok)
		board_log(&b, G_LOG_LEVEL_INFO, _("Board %u failed at %s: %s"), number,
			  glint_station_step_to_string(b.step), error->message);
	board_finish_record(&b, ok, error);
	board_step(&b, GLINT_STATION_STEP_RECORD);
	board_write_record(&b, &record_error);
	probe_release(p);

	g_mutex_lock(&self->lock);
	self->done++;
	if (ok)
		self->passed++;
	else
		self->failed++;
	g_mutex_unlock(&self->lock);
	done.record = &b.record;
	done.step = b.step;
	done.fraction = 1.0;
	emit(p, &done);
	if (record_error != NULL) {
		g_prefix_error(&record_error,
			       _("The station stopped: the record of board %u could "
				 "not be written: "),
			       number);
		station_set_fatal(self, record_error);
	} else if (b.fatal || g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION)) {
		station_set_fatal(self, error);
	}
	glint_station_record_clear(&b.record);
}

/* ---- one probe: waiting ---------------------------------------------------------- */

typedef enum {
	SOCKET_EMPTY,
	SOCKET_LOW,	/* something barely touches */
	SOCKET_POWERED, /* a board with its supply */
} SocketReading;

static SocketReading
classify_volts(gdouble volts)
{
	if (volts < GLINT_STATION_PRESENT_VOLTS)
		return SOCKET_EMPTY;
	if (volts < GLINT_STATION_POWERED_VOLTS)
		return SOCKET_LOW;
	return SOCKET_POWERED;
}

static gboolean
probe_open(StationProbe *p, GError **error)
{
	g_clear_pointer(&p->session, glint_session_unref);
	g_clear_pointer(&p->waiter, glint_stlink_free);
	p->waiter = glint_stlink_new(p->transport);
	if (!glint_stlink_open(p->waiter, error))
		return FALSE;
	p->session = glint_session_new(p->transport);
	return TRUE;
}

/* The probe stopped answering: it is looked for again (by its serial) until
 * it is back or the station ends. FALSE when it is gone for good. */
static gboolean
probe_recover(StationProbe *p, const GError *cause)
{
	GlintStation *self = p->station;
	g_autofree gchar *message = g_strdup_printf(
	    _("Probe %s stopped answering (%s): reconnect it"), p->serial, cause->message);

	emit_simple(p, GLINT_STATION_EVENT_PROBE_LOST, 0, message);
	if (self->reopen_func == NULL) {
		p->lost = TRUE;
		return FALSE;
	}
	while (!station_ending(self)) {
		g_autoptr(GError) error = NULL;
		GlintTransport *transport;
		station_sleep(self, STATION_REOPEN_MS);
		if (station_ending(self))
			break;
		transport = self->reopen_func(p->serial, self->reopen_data, &error);
		if (transport == NULL)
			continue;
		g_clear_pointer(&p->transport, glint_transport_unref);
		p->transport = transport;
		if (probe_open(p, &error))
			return TRUE;
	}
	return FALSE;
}

/* Reads the target voltage; a probe that does not answer is recovered
 * (@recovered set) or lost (FALSE). */
static gboolean
probe_read_volts(StationProbe *p, gdouble *volts, gboolean *recovered)
{
	g_autoptr(GError) error = NULL;

	*recovered = FALSE;
	if (p->waiter != NULL && glint_stlink_get_target_voltage(p->waiter, volts, &error))
		return TRUE;
	if (error == NULL)
		g_set_error_literal(&error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED, "not open");
	if (!probe_recover(p, error))
		return FALSE;
	*recovered = TRUE;
	*volts = 0;
	return TRUE;
}

static void
emit_waiting(StationProbe *p, gdouble volts, SocketReading reading)
{
	GlintStationEvent event = {.kind = GLINT_STATION_EVENT_WAITING, .volts = volts};
	event.step = GLINT_STATION_STEP_WAIT;
	event.message = reading == SOCKET_LOW	    ? _("Bad contact? Seat the board firmly")
			: reading == SOCKET_POWERED ? _("Board in: checking that it sits still")
						    : _("Insert a board");
	emit(p, &event);
}

/* Until a board is in and holds still; FALSE when the station ends. */
static gboolean
probe_wait_board(StationProbe *p, gdouble *volts)
{
	GlintStation *self = p->station;
	SocketReading last = SOCKET_EMPTY;
	guint same = 0;
	gboolean first = TRUE;

	while (!station_ending(self)) {
		gboolean recovered = FALSE;
		SocketReading reading;
		if (!probe_read_volts(p, volts, &recovered))
			return FALSE;
		reading = classify_volts(*volts);
		same = reading == last ? same + 1 : 1;
		if (first || reading != last)
			emit_waiting(p, *volts, reading);
		first = FALSE;
		last = reading;
		if ((reading == SOCKET_POWERED && same >= GLINT_STATION_SETTLE_READS) ||
		    (reading == SOCKET_LOW && same >= GLINT_STATION_SETTLE_READS_LOW))
			return TRUE;
		station_sleep(self, p->poll_ms);
	}
	return FALSE;
}

/* Until the board is out (its supply gone, or the probe unplugged); FALSE
 * when the station ends first. */
static gboolean
probe_wait_removal(StationProbe *p)
{
	GlintStation *self = p->station;
	guint empty = 0;

	emit_simple(p, GLINT_STATION_EVENT_REMOVE, 0, _("Remove the board"));
	while (!station_ending(self)) {
		gboolean recovered = FALSE;
		gdouble volts = 0;
		if (!probe_read_volts(p, &volts, &recovered))
			return FALSE;
		if (recovered)
			return TRUE; /* unplugged with it: it is out */
		empty = classify_volts(volts) == SOCKET_EMPTY ? empty + 1 : 0;
		if (empty >= GLINT_STATION_SETTLE_READS)
			return TRUE;
		station_sleep(self, p->poll_ms);
	}
	return FALSE;
}

static gpointer
probe_thread(gpointer user_data)
{
	StationProbe *p = user_data;
	GlintStation *self = p->station;
	g_autoptr(GError) error = NULL;
	const char *why = _("stopped");

	if (!probe_open(p, &error) && !probe_recover(p, error)) {
		why = _("the probe is lost");
		goto out;
	}
	for (;;) {
		gdouble volts = 0;
		guint number = 0;
		if (!probe_wait_board(p, &volts) || !station_claim(self, &number))
			break;
		probe_board(p, number, volts);
		/* the last board, or a stop: no need to wait for the removal */
		if (station_ending(self) || !probe_wait_removal(p))
			break;
	}
	if (p->lost)
		why = _("the probe is lost");
out:
	emit_simple(p, GLINT_STATION_EVENT_STOPPED, 0, why);
	return NULL;
}

gboolean
glint_station_run(GlintStation *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GPtrArray) threads = g_ptr_array_new();
	gulong handler = 0;
	guint lost = 0;

	if (self->probes->len == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
				    _("The station has no probe: plug in an ST-LINK"));
		return FALSE;
	}
	if (!station_check_supplies(self, error))
		return FALSE;
	self->cancellable = cancellable != NULL ? g_object_ref(cancellable) : g_cancellable_new();
	handler =
	    g_cancellable_connect(self->cancellable, G_CALLBACK(on_station_cancelled), self, NULL);
	for (guint i = 0; i < self->probes->len; i++) {
		StationProbe *p = g_ptr_array_index(self->probes, i);
		g_autofree gchar *name = g_strdup_printf("glint-station-%u", i);
		g_ptr_array_add(threads, g_thread_new(name, probe_thread, p));
	}
	for (guint i = 0; i < threads->len; i++)
		g_thread_join(g_ptr_array_index(threads, i));
	g_cancellable_disconnect(self->cancellable, handler);
	for (guint i = 0; i < self->probes->len; i++) {
		StationProbe *p = g_ptr_array_index(self->probes, i);
		if (p->lost)
			lost++;
	}
	if (self->fatal != NULL) {
		g_propagate_error(error, g_error_copy(self->fatal));
		return FALSE;
	}
	if (g_cancellable_is_cancelled(self->cancellable)) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_CANCELLED,
				    _("The station was stopped at once (cancelled)"));
		return FALSE;
	}
	if (lost == self->probes->len && !self->stop &&
	    !(self->options.boards > 0 && self->done >= self->options.boards)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("Every probe of the station was lost (%u); reconnect them and start "
			      "again"),
			    lost);
		return FALSE;
	}
	return TRUE;
}
