/* glint-production-window.c: the Production mode (see the header): the
 * recipe, Start/Stop, a tile per probe, counters and the last records, the
 * station on a worker thread with its events brought to the main loop. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-production-window.h"

#include <cairo.h>
#include <string.h>

#include "glint-confirm.h"
#include "glint-station-counter.h"
#include "glint-station.h"
#include "glint-usb.h"
#include "glint-window-private.h"

/* What unlocks RDP level 2 for every board: typed, never clicked by chance. */
#define PRODUCTION_PERMANENT_PHRASE N_("lock every board forever")
/* Records the window lists (the file keeps them all). */
#define PRODUCTION_RECORDS_SHOWN 100

enum {
	COL_TIME,
	COL_PROBE,
	COL_BOARD,
	COL_RESULT,
	COL_SERIAL,
	COL_UID,
	COL_FAILED,
	COL_COLOUR,
};

struct _GlintProductionWindow {
	GtkApplicationWindow parent_instance;
	GtkHeaderBar *header_bar;
	GtkWidget *open_button;
	GtkWidget *edit_button;
	GtkWidget *back_button;
	GtkWidget *sim_badge;
	GtkWidget *start_button;
	GtkWidget *stop_button;
	GtkInfoBar *info_bar;
	GtkLabel *info_label;
	GtkLabel *recipe_label;
	GtkLabel *recipe_detail;
	GtkFlowBox *tiles;
	GtkLabel *done_label;
	GtkLabel *passed_label;
	GtkLabel *failed_label;
	GtkLabel *rate_label;
	GtkLabel *rate_caption;
	GtkListStore *records_store;

	/* what it was opened with */
	gchar *sim_board;
	gchar *sim_fixture;
	gchar *sim_state_path;
	guint poll_ms;
	GlintWindow *main_window; /* weak: shown again when this one goes */
	gboolean releasing;	  /* the programmer's session is being let go */

	GlintRecipe *recipe;
	gchar *recipe_path;
	gboolean loading;
	GlintSimFixture *fixture;
	GPtrArray *tile_list; /* GlintStationTile*, by probe index */

	GlintStation *station; /* while it runs */
	GCancellable *cancellable;
	GThread *thread;
	gboolean stopping;
	gint64 started_us;
	guint done, passed, failed;
	gdouble device_seconds; /* the boards' modelled time (simulated probes) */
	GtkDialog *confirm_dialog;
	GlintRecipeEditor *editor;
	gboolean disposed;
};

G_DEFINE_TYPE(GlintProductionWindow, glint_production_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- what the operator sees ---------------------------------------------------- */

static void
show_message(GlintProductionWindow *self, GtkMessageType type, const char *text)
{
	gtk_label_set_text(self->info_label, text);
	gtk_info_bar_set_message_type(self->info_bar, type);
	gtk_widget_show(GTK_WIDGET(self->info_bar));
}

static void
hide_message(GlintProductionWindow *self)
{
	gtk_widget_hide(GTK_WIDGET(self->info_bar));
	gtk_label_set_text(self->info_label, "");
}

static void
on_info_bar_response(GtkInfoBar *bar, gint response, GlintProductionWindow *self)
{
	hide_message(self);
}

static void
update_buttons(GlintProductionWindow *self)
{
	gboolean running = self->thread != NULL;
	gboolean ready = self->recipe != NULL && !self->loading && !self->releasing;

	gtk_widget_set_sensitive(self->start_button, ready && !running);
	gtk_widget_set_sensitive(self->stop_button, running);
	/* the recipe cannot change while boards are made with it */
	gtk_widget_set_sensitive(self->open_button, !running && !self->loading);
	gtk_widget_set_sensitive(self->edit_button, !running && !self->loading);
	gtk_widget_set_sensitive(self->back_button, !running);
	gtk_button_set_label(GTK_BUTTON(self->stop_button),
			     self->stopping ? _("Stop _Now") : _("S_top"));
	atk_object_set_name(gtk_widget_get_accessible(self->stop_button),
			    self->stopping ? _("Stop now") : _("Stop"));
}

static void
update_counts(GlintProductionWindow *self)
{
	g_autofree gchar *done = g_strdup_printf("%u", self->done);
	g_autofree gchar *passed = g_strdup_printf("%u", self->passed);
	g_autofree gchar *failed = g_strdup_printf("%u", self->failed);
	gdouble hours = (g_get_monotonic_time() - self->started_us) / 3.6e9;

	gtk_label_set_text(self->done_label, done);
	gtk_label_set_text(self->passed_label, passed);
	gtk_label_set_text(self->failed_label, failed);
	/* a simulated fixture runs faster than any clock on the wall: its rate
	 * is the emulator's modelled time */
	if (self->sim_board != NULL && self->done > 0 && self->device_seconds > 0) {
		g_autofree gchar *rate =
		    g_strdup_printf("%.0f", self->done * 3600.0 / self->device_seconds);
		gtk_label_set_text(self->rate_label, rate);
		gtk_label_set_text(self->rate_caption, _("per hour (modelled)"));
	} else if (self->done > 0 && hours > 0) {
		g_autofree gchar *rate = g_strdup_printf("%.0f", self->done / hours);
		gtk_label_set_text(self->rate_label, rate);
	}
}

static void
show_recipe(GlintProductionWindow *self)
{
	const GlintRecipeSettings *s;
	g_autoptr(GString) detail = g_string_new(NULL);
	g_autofree gchar *title = NULL;

	if (self->recipe == NULL) {
		gtk_label_set_text(self->recipe_label, _("Open a recipe to start"));
		gtk_label_set_text(self->recipe_detail, "");
		gtk_header_bar_set_subtitle(self->header_bar, _("No recipe"));
		return;
	}
	s = glint_recipe_get_settings(self->recipe);
	title = g_strdup_printf("%s — %s", glint_recipe_get_name(self->recipe), s->chip);
	gtk_label_set_text(self->recipe_label, title);
	gtk_header_bar_set_subtitle(self->header_bar, self->recipe_path);
	g_string_append_printf(detail, "%s, CRC-32 0x%08X",
			       glint_recipe_get_image_path(self->recipe), s->image_crc);
	if (s->serial_format != GLINT_SERIAL_NONE) {
		g_autoptr(GlintStationCounter) counter =
		    glint_station_counter_open(self->recipe_path, NULL);
		guint64 next = s->serial_first;
		if (counter != NULL)
			glint_station_counter_peek(counter, GLINT_STATION_COUNTER_SERIAL,
						   s->serial_first, &next, NULL);
		{
			g_autofree gchar *text = glint_recipe_serial_text(self->recipe, next);
			g_string_append_printf(detail, _(" · next serial number %s"), text);
		}
	}
	if (s->rdp_level > 0)
		g_string_append_printf(detail, _(" · read protection level %u"), s->rdp_level);
	if (self->sim_board != NULL && g_ascii_isdigit(self->sim_fixture[0]))
		g_string_append_printf(detail, _(" · a simulated fixture of %s %s boards"),
				       self->sim_fixture, self->sim_board);
	else if (self->sim_board != NULL)
		g_string_append_printf(detail, _(" · a simulated fixture of %s boards (%s)"),
				       self->sim_board, self->sim_fixture);
	gtk_label_set_text(self->recipe_detail, detail->str);
}

/* ---- loading a recipe ------------------------------------------------------------ */

static void
load_recipe_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	GError *error = NULL;
	GlintRecipe *recipe = glint_recipe_load(data, cancellable, &error);
	if (recipe == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, recipe, (GDestroyNotify)glint_recipe_unref);
}

static void
on_recipe_loaded(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GlintProductionWindow *self = GLINT_PRODUCTION_WINDOW(source);
	g_autoptr(GError) error = NULL;
	GlintRecipe *recipe = g_task_propagate_pointer(G_TASK(res), &error);
	const char *path = g_task_get_task_data(G_TASK(res));

	self->loading = FALSE;
	if (self->disposed) {
		g_clear_pointer(&recipe, glint_recipe_unref);
		return;
	}
	if (recipe == NULL) {
		show_message(self, GTK_MESSAGE_ERROR, error->message);
	} else {
		g_clear_pointer(&self->recipe, glint_recipe_unref);
		self->recipe = recipe;
		g_free(self->recipe_path);
		self->recipe_path = g_strdup(path);
		hide_message(self);
	}
	show_recipe(self);
	update_buttons(self);
}

void
glint_production_window_open_recipe(GlintProductionWindow *self, const char *path)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, on_recipe_loaded, NULL);
	self->loading = TRUE;
	update_buttons(self);
	g_task_set_task_data(task, g_strdup(path), g_free);
	g_task_run_in_thread(task, load_recipe_thread);
}

static void
on_open_button_clicked(GtkButton *button, GlintProductionWindow *self)
{
	g_autoptr(GtkFileChooserNative) chooser =
	    gtk_file_chooser_native_new(_("Open a Production Recipe"), GTK_WINDOW(self),
					GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
	GtkFileFilter *filter = gtk_file_filter_new();
	g_autofree gchar *path = NULL;

	gtk_file_filter_set_name(filter, _("Production recipes"));
	gtk_file_filter_add_pattern(filter, "*" GLINT_RECIPE_EXTENSION);
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(chooser), filter);
	if (gtk_native_dialog_run(GTK_NATIVE_DIALOG(chooser)) != GTK_RESPONSE_ACCEPT)
		return;
	path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(chooser));
	if (path != NULL)
		glint_production_window_open_recipe(self, path);
}

static void
on_editor_response(GtkDialog *dialog, gint response, GlintProductionWindow *self)
{
	g_autofree gchar *path = NULL;
	if (response == GTK_RESPONSE_APPLY)
		return; /* Save: the editor answers ACCEPT once it has written the file */
	if (response == GTK_RESPONSE_ACCEPT)
		path = g_strdup(glint_recipe_editor_get_path(GLINT_RECIPE_EDITOR(dialog)));
	self->editor = NULL;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (path != NULL)
		glint_production_window_open_recipe(self, path);
}

static void
on_edit_button_clicked(GtkButton *button, GlintProductionWindow *self)
{
	if (self->editor != NULL) {
		gtk_window_present(GTK_WINDOW(self->editor));
		return;
	}
	self->editor = glint_recipe_editor_new(GTK_WINDOW(self), self->recipe_path);
	g_signal_connect(self->editor, "response", G_CALLBACK(on_editor_response), self);
	gtk_widget_show(GTK_WIDGET(self->editor));
}

/* ---- the station's events on the main loop ----------------------------------------- */

typedef struct {
	GlintProductionWindow *self; /* a reference */
	GlintStationEventKind kind;
	guint probe;
	guint board;
	GlintStationStep step;
	gdouble fraction;
	gdouble volts;
	gchar *message;
	GlintStationRecord record;
} UiEvent;

static void
ui_event_free(UiEvent *e)
{
	g_object_unref(e->self);
	g_free(e->message);
	glint_station_record_clear(&e->record);
	g_free(e);
}

static void
add_record_row(GlintProductionWindow *self, const UiEvent *e)
{
	const GlintStationRecord *r = &e->record;
	g_autofree gchar *probe = g_strdup_printf("%u", e->probe + 1);
	g_autofree gchar *board = g_strdup_printf("%u", e->board);
	const char *time = r->time != NULL && strlen(r->time) >= 19 ? r->time + 11 : r->time;
	g_autofree gchar *clock = g_strndup(time != NULL ? time : "", 8);
	GtkTreeIter iter;
	gint rows;

	gtk_list_store_insert_with_values(
	    self->records_store, &iter, 0, COL_TIME, clock, COL_PROBE, probe, COL_BOARD, board,
	    COL_RESULT, r->passed ? C_("station state", "PASS") : C_("station state", "FAIL"),
	    COL_SERIAL, r->serial != NULL ? r->serial : "", COL_UID, r->uid != NULL ? r->uid : "",
	    COL_FAILED, r->passed ? "" : r->error, COL_COLOUR, r->passed ? "#26a269" : "#c01c28",
	    -1);
	rows = gtk_tree_model_iter_n_children(GTK_TREE_MODEL(self->records_store), NULL);
	if (rows > PRODUCTION_RECORDS_SHOWN &&
	    gtk_tree_model_iter_nth_child(GTK_TREE_MODEL(self->records_store), &iter, NULL,
					  rows - 1))
		gtk_list_store_remove(self->records_store, &iter);
}

static gboolean
apply_event(gpointer data)
{
	UiEvent *e = data;
	GlintProductionWindow *self = e->self;
	GlintStationTile *tile;

	if (self->disposed || self->tile_list == NULL || e->probe >= self->tile_list->len)
		return G_SOURCE_REMOVE;
	tile = g_ptr_array_index(self->tile_list, e->probe);
	switch (e->kind) {
	case GLINT_STATION_EVENT_WAITING:
		glint_station_tile_set_waiting(tile, e->message, e->volts);
		break;
	case GLINT_STATION_EVENT_BOARD:
		glint_station_tile_set_board(tile, e->board);
		break;
	case GLINT_STATION_EVENT_STEP:
	case GLINT_STATION_EVENT_PROGRESS:
		glint_station_tile_set_progress(tile, glint_station_step_title(e->step),
						e->fraction);
		break;
	case GLINT_STATION_EVENT_DONE:
		self->done++;
		if (e->record.device_seconds > 0)
			self->device_seconds += e->record.device_seconds;
		if (e->record.passed)
			self->passed++;
		else
			self->failed++;
		glint_station_tile_set_result(tile, &e->record);
		add_record_row(self, e);
		update_counts(self);
		show_recipe(self); /* the next serial number */
		break;
	case GLINT_STATION_EVENT_REMOVE:
		glint_station_tile_set_remove(tile);
		break;
	case GLINT_STATION_EVENT_PROBE_LOST:
		glint_station_tile_set_lost(tile, e->message);
		break;
	case GLINT_STATION_EVENT_STOPPED:
		glint_station_tile_set_stopped(tile);
		break;
	case GLINT_STATION_EVENT_LOG:
	case GLINT_STATION_EVENT_SERIAL_TAKEN:
		break;
	}
	return G_SOURCE_REMOVE;
}

/* On a probe's thread. */
static void
on_station_event(const GlintStationEvent *event, gpointer user_data)
{
	GlintProductionWindow *self = user_data;
	UiEvent *e;

	if (event->kind == GLINT_STATION_EVENT_LOG ||
	    event->kind == GLINT_STATION_EVENT_SERIAL_TAKEN)
		return;
	e = g_new0(UiEvent, 1);
	e->self = g_object_ref(self);
	e->kind = event->kind;
	e->probe = event->probe;
	e->board = event->board;
	e->step = event->step;
	e->fraction = event->fraction;
	e->volts = event->volts;
	e->message = g_strdup(event->message);
	glint_station_record_init(&e->record);
	if (event->record != NULL)
		glint_station_record_copy(&e->record, event->record);
	/* Not g_main_context_invoke(): while the main loop is idle it runs the
	 * callback here, on the probe's thread, and GTK is not thread-safe. An
	 * idle source of one priority keeps the events in order. */
	g_idle_add_full(G_PRIORITY_DEFAULT, apply_event, e, (GDestroyNotify)ui_event_free);
}

/* ---- running the station ------------------------------------------------------------- */

typedef struct {
	GlintProductionWindow *self; /* a reference */
	GlintStation *station;
	GError *error;
} RunData;

static gboolean
on_station_finished(gpointer data)
{
	RunData *run = data;
	GlintProductionWindow *self = run->self;

	g_thread_join(self->thread);
	self->thread = NULL;
	self->stopping = FALSE;
	g_clear_pointer(&self->station, glint_station_free);
	g_clear_object(&self->cancellable);
	if (!self->disposed) {
		if (run->error != NULL && !glint_error_is_cancelled(run->error))
			show_message(self, GTK_MESSAGE_ERROR, run->error->message);
		else if (run->error != NULL)
			show_message(self, GTK_MESSAGE_WARNING,
				     _("Stopped at once: the board on the probe was not finished; "
				       "program it again"));
		for (guint i = 0; self->tile_list != NULL && i < self->tile_list->len; i++)
			glint_station_tile_set_stopped(g_ptr_array_index(self->tile_list, i));
		update_buttons(self);
		show_recipe(self);
	}
	g_clear_error(&run->error);
	g_object_unref(self);
	g_free(run);
	return G_SOURCE_REMOVE;
}

static gpointer
station_thread(gpointer data)
{
	RunData *run = data;

	glint_station_run(run->station, run->self->cancellable, &run->error);
	g_idle_add(on_station_finished, run);
	return NULL;
}

static void
add_tile(GlintProductionWindow *self, const GlintProbeInfo *info)
{
	GtkWidget *tile = glint_station_tile_new(self->tile_list->len, info->serial);
	g_ptr_array_add(self->tile_list, tile);
	gtk_flow_box_insert(self->tiles, tile, -1);
}

static void
clear_tiles(GlintProductionWindow *self)
{
	for (guint i = 0; i < self->tile_list->len; i++) {
		GtkWidget *tile = g_ptr_array_index(self->tile_list, i);
		gtk_widget_destroy(gtk_widget_get_parent(tile));
	}
	g_ptr_array_set_size(self->tile_list, 0);
}

/* The probes: the simulated fixture (made once, kept between starts), or
 * every supported USB probe present. */
static gboolean
add_probes(GlintProductionWindow *self, GlintStation *station, GError **error)
{
	if (self->sim_board != NULL) {
		g_autoptr(GlintTransport) transport = NULL;
		if (self->fixture == NULL) {
			self->fixture = glint_sim_fixture_new(self->sim_board, self->sim_fixture,
							      self->sim_state_path, 0, error);
			if (self->fixture == NULL)
				return FALSE;
		}
		transport = glint_sim_fixture_transport_new(self->fixture);
		glint_station_add_probe(station, transport);
		add_tile(self, glint_transport_get_info(transport));
		return TRUE;
	}
	{
		g_autoptr(GPtrArray) probes = glint_usb_list_probes(error);
		if (probes == NULL)
			return FALSE;
		for (guint i = 0; i < probes->len; i++) {
			const GlintProbeInfo *info = g_ptr_array_index(probes, i);
			g_autoptr(GlintTransport) transport = NULL;
			if (info->kind == GLINT_PROBE_KIND_V1)
				continue;
			transport = glint_usb_open(info->serial, error);
			if (transport == NULL)
				return FALSE;
			glint_station_add_probe(station, transport);
			add_tile(self, info);
		}
	}
	if (self->tile_list->len == 0) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
		    _("No ST-LINK probe is plugged in: plug one in per board socket, "
		      "then press Start"));
		return FALSE;
	}
	return TRUE;
}

static GlintTransport *
reopen_usb(const char *serial, gpointer user_data, GError **error)
{
	return glint_usb_open(serial, error);
}

static gchar *
record_path(const char *recipe)
{
	g_autofree gchar *stem = g_strdup(recipe);
	if (g_str_has_suffix(stem, GLINT_RECIPE_EXTENSION))
		stem[strlen(stem) - strlen(GLINT_RECIPE_EXTENSION)] = '\0';
	return g_strconcat(stem, "-records.csv", NULL);
}

static void
start_station(GlintProductionWindow *self, GlintConfirm confirm)
{
	GlintStationOptions options = {
	    .confirm = confirm,
	    .connect = {.reset_mode = GLINT_RESET_AUTO},
	    .poll_ms = self->poll_ms,
	};
	g_autoptr(GlintStation) station = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *records = record_path(self->recipe_path);
	GlintRecordFile *file;
	RunData *run;

	hide_message(self);
	clear_tiles(self);
	station = glint_station_new(self->recipe, &options, &error);
	if (station == NULL) {
		show_message(self, GTK_MESSAGE_ERROR, error->message);
		return;
	}
	file = glint_record_file_open(records, &error);
	if (file == NULL) {
		show_message(self, GTK_MESSAGE_ERROR, error->message);
		return;
	}
	glint_station_add_record_file(station, file);
	if (!add_probes(self, station, &error)) {
		show_message(self, GTK_MESSAGE_ERROR, error->message);
		clear_tiles(self);
		return;
	}
	if (self->sim_board == NULL)
		glint_station_set_reopen_func(station, reopen_usb, NULL);
	glint_station_set_event_func(station, on_station_event, self);
	self->station = g_steal_pointer(&station);
	self->cancellable = g_cancellable_new();
	self->stopping = FALSE;
	self->done = self->passed = self->failed = 0;
	self->device_seconds = 0;
	self->started_us = g_get_monotonic_time();
	gtk_label_set_text(self->rate_label, "–");
	update_counts(self);
	run = g_new0(RunData, 1);
	run->self = g_object_ref(self);
	run->station = self->station;
	self->thread = g_thread_new("glint-production", station_thread, run);
	update_buttons(self);
}

static void
on_start_confirm_response(GtkDialog *dialog, gint response, GlintProductionWindow *self)
{
	GlintConfirm confirm = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(dialog), "confirm"));
	gboolean yes = glint_confirm_dialog_is_confirmed(dialog, response);

	self->confirm_dialog = NULL;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (yes)
		start_station(self, confirm);
}

static void
on_start_button_clicked(GtkButton *button, GlintProductionWindow *self)
{
	g_autofree gchar *why = NULL;
	GlintConfirm needs;
	g_autofree gchar *body = NULL;
	GtkDialog *dialog;

	if (self->recipe == NULL || self->thread != NULL)
		return;
	needs = glint_recipe_needs_confirm(self->recipe, &why);
	if (needs == GLINT_CONFIRM_NONE) {
		start_station(self, GLINT_CONFIRM_NONE);
		return;
	}
	/* once per start: the operator is told what every board will go through */
	body = g_strdup_printf(_("Every board this station programs will go through this:\n\n%s"),
			       why);
	dialog = glint_confirm_dialog_new(
	    GTK_WINDOW(self),
	    (needs & GLINT_CONFIRM_PERMANENT_LOCK)
		? _("Lock Every Board for Ever?")
		: _("Start a Station That Changes Boards for Good?"),
	    body, _("_Start the Station"),
	    (needs & GLINT_CONFIRM_PERMANENT_LOCK) ? _(PRODUCTION_PERMANENT_PHRASE) : NULL);
	g_object_set_data(G_OBJECT(dialog), "confirm", GUINT_TO_POINTER(needs));
	g_signal_connect(dialog, "response", G_CALLBACK(on_start_confirm_response), self);
	self->confirm_dialog = dialog;
	gtk_widget_show(GTK_WIDGET(dialog));
}

static void
on_stop_button_clicked(GtkButton *button, GlintProductionWindow *self)
{
	if (self->station == NULL)
		return;
	if (!self->stopping) {
		self->stopping = TRUE;
		glint_station_stop(self->station);
		show_message(self, GTK_MESSAGE_INFO,
			     _("Stopping once the boards on the probes are done. Press Stop Now to "
			       "stop at once (those boards must then be programmed again)."));
	} else {
		g_cancellable_cancel(self->cancellable);
	}
	update_buttons(self);
}

/* ---- the window ---------------------------------------------------------------------- */

static void
on_back_button_clicked(GtkButton *button, GlintProductionWindow *self)
{
	gtk_window_close(GTK_WINDOW(self));
}

static gboolean
on_delete_event(GtkWidget *widget, GdkEvent *event, GlintProductionWindow *self)
{
	if (self->thread == NULL)
		return FALSE;
	/* never leave a board half programmed behind the operator's back */
	show_message(self, GTK_MESSAGE_WARNING,
		     _("The station is running: press Stop and wait for the boards in progress, "
		       "then close the window."));
	return TRUE;
}

gboolean
glint_production_window_save_screenshot(GlintProductionWindow *self, const char *path,
					GError **error)
{
	GtkWidget *widget = GTK_WIDGET(self);
	cairo_surface_t *surface;
	cairo_t *cr;
	cairo_status_t status;
	gint width, height;

	gtk_container_check_resize(GTK_CONTAINER(self));
	width = gtk_widget_get_allocated_width(widget);
	height = gtk_widget_get_allocated_height(widget);
	if (width <= 1 || height <= 1) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("The window is not shown yet: nothing to capture into %s"), path);
		return FALSE;
	}
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

gboolean
glint_production_window_is_loading(GlintProductionWindow *self)
{
	return self->loading;
}

GlintRecipe *
glint_production_window_get_recipe(GlintProductionWindow *self)
{
	return self->recipe;
}

gboolean
glint_production_window_is_running(GlintProductionWindow *self)
{
	return self->thread != NULL;
}

const char *
glint_production_window_get_message(GlintProductionWindow *self)
{
	const char *text = gtk_label_get_text(self->info_label);
	return gtk_widget_get_visible(GTK_WIDGET(self->info_bar)) && *text != '\0' ? text : NULL;
}

guint
glint_production_window_get_n_tiles(GlintProductionWindow *self)
{
	return self->tile_list->len;
}

GlintStationTile *
glint_production_window_get_tile(GlintProductionWindow *self, guint index)
{
	return index < self->tile_list->len ? g_ptr_array_index(self->tile_list, index) : NULL;
}

void
glint_production_window_get_counts(GlintProductionWindow *self, guint *done, guint *passed,
				   guint *failed)
{
	*done = self->done;
	*passed = self->passed;
	*failed = self->failed;
}

GlintSimFixture *
glint_production_window_get_fixture(GlintProductionWindow *self)
{
	return self->fixture;
}

GtkDialog *
glint_production_window_get_confirm_dialog(GlintProductionWindow *self)
{
	return self->confirm_dialog;
}

GlintRecipeEditor *
glint_production_window_get_editor(GlintProductionWindow *self)
{
	return self->editor;
}

GlintProductionWindow *
glint_production_window_new(GtkApplication *app, const GlintProductionOptions *options)
{
	GlintProductionWindow *self =
	    g_object_new(GLINT_TYPE_PRODUCTION_WINDOW, "application", app, NULL);

	if (options != NULL) {
		self->sim_board = g_strdup(options->sim_board);
		self->sim_fixture =
		    g_strdup(options->sim_fixture != NULL ? options->sim_fixture
							  : GLINT_PRODUCTION_SIM_BOARDS);
		self->sim_state_path = g_strdup(options->sim_state_path);
		self->poll_ms = options->poll_ms;
	}
	gtk_widget_set_visible(self->sim_badge, self->sim_board != NULL);
	show_recipe(self);
	update_buttons(self);
	if (options != NULL && options->recipe_path != NULL)
		glint_production_window_open_recipe(self, options->recipe_path);
	return self;
}

static void
release_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	GlintSession *session = data;
	if (glint_session_is_connected(session))
		glint_job_disconnect(session);
	g_task_return_boolean(task, TRUE);
}

static void
on_released(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GlintProductionWindow *self = GLINT_PRODUCTION_WINDOW(source);
	self->releasing = FALSE;
	if (!self->disposed)
		update_buttons(self);
}

/* The programmer's session leaves debug mode on a worker (probe I/O), then
 * goes with the task: its probe is free for the station. */
static void
release_session(GlintProductionWindow *self, GlintSession *session)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, on_released, NULL);
	self->releasing = TRUE;
	update_buttons(self);
	g_task_set_task_data(task, glint_session_ref(session), (GDestroyNotify)glint_session_unref);
	g_task_run_in_thread(task, release_thread);
}

static void
on_production_destroyed(GtkWidget *widget, gpointer main_window)
{
	gtk_window_present(GTK_WINDOW(main_window));
}

GlintProductionWindow *
glint_production_window_open(GlintWindow *main, const char *recipe_path)
{
	GtkApplication *app = gtk_window_get_application(GTK_WINDOW(main));
	GlintDevicePanel *panel = glint_window_get_device_panel(main);
	gboolean sim = glint_device_panel_is_sim_selected(panel);
	GlintProductionOptions options = {
	    .recipe_path = recipe_path,
	    .sim_board = sim ? glint_device_panel_get_scenario(panel) : NULL,
	    /* what the command line said (glint-app.c) */
	    .sim_fixture = g_object_get_data(G_OBJECT(main), GLINT_PRODUCTION_FIXTURE_KEY),
	    .sim_state_path =
		sim ? g_object_get_data(G_OBJECT(main), GLINT_PRODUCTION_STATE_KEY) : NULL,
	};
	GlintProductionWindow *self = glint_production_window_new(app, &options);
	GlintSession *session = glint_window_get_session(main);

	/* the programmer lets go of its probe: the station takes them all */
	if (session != NULL)
		release_session(self, session);
	glint_window_release_session(main);
	glint_window_show_target(main, TRUE);
	glint_window_update_actions(main);
	self->main_window = main;
	g_object_add_weak_pointer(G_OBJECT(main), (gpointer *)&self->main_window);
	g_signal_connect_object(self, "destroy", G_CALLBACK(on_production_destroyed), main, 0);
	gtk_window_set_default_size(GTK_WINDOW(self), 1100, 720);
	gtk_widget_hide(GTK_WIDGET(main));
	gtk_window_present(GTK_WINDOW(self));
	return self;
}

static void
glint_production_window_dispose(GObject *object)
{
	GlintProductionWindow *self = GLINT_PRODUCTION_WINDOW(object);
	self->disposed = TRUE;
	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	if (self->station != NULL)
		glint_station_stop(self->station);
	if (self->confirm_dialog != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->confirm_dialog));
		self->confirm_dialog = NULL;
	}
	if (self->editor != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->editor));
		self->editor = NULL;
	}
	if (self->main_window != NULL) {
		g_object_remove_weak_pointer(G_OBJECT(self->main_window),
					     (gpointer *)&self->main_window);
		self->main_window = NULL;
	}
	G_OBJECT_CLASS(glint_production_window_parent_class)->dispose(object);
}

static void
glint_production_window_finalize(GObject *object)
{
	GlintProductionWindow *self = GLINT_PRODUCTION_WINDOW(object);
	g_clear_pointer(&self->recipe, glint_recipe_unref);
	g_clear_pointer(&self->fixture, glint_sim_fixture_unref);
	g_clear_pointer(&self->tile_list, g_ptr_array_unref);
	g_free(self->recipe_path);
	g_free(self->sim_board);
	g_free(self->sim_fixture);
	g_free(self->sim_state_path);
	G_OBJECT_CLASS(glint_production_window_parent_class)->finalize(object);
}

/* Glint's styles (glint.css: the Production mode may be the only window,
 * glint --production) and the Production mode's own (production.css, kept
 * apart so the programmer window parses none of them), once per screen. */
static void
load_css(void)
{
	static const char *const sheets[] = {"/org/glint/Glint/glint.css",
					     "/org/glint/Glint/production.css"};
	GdkScreen *screen = gdk_screen_get_default();

	if (screen == NULL || g_object_get_data(G_OBJECT(screen), "glint-production-css") != NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(sheets); i++) {
		g_autoptr(GtkCssProvider) provider = gtk_css_provider_new();
		gtk_css_provider_load_from_resource(provider, sheets[i]);
		gtk_style_context_add_provider_for_screen(screen, GTK_STYLE_PROVIDER(provider),
							  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
	}
	g_object_set_data(G_OBJECT(screen), "glint-production-css", GINT_TO_POINTER(1));
}

static void
glint_production_window_init(GlintProductionWindow *self)
{
	load_css();
	gtk_widget_init_template(GTK_WIDGET(self));
	self->tile_list = g_ptr_array_new();
	g_signal_connect(self, "delete-event", G_CALLBACK(on_delete_event), self);
}

static void
glint_production_window_class_init(GlintProductionWindowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = glint_production_window_dispose;
	object_class->finalize = glint_production_window_finalize;
	gtk_widget_class_set_template_from_resource(
	    widget_class, "/org/glint/Glint/ui/glint-production-window.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, header_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, open_button);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, edit_button);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, back_button);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, sim_badge);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, start_button);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, stop_button);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, info_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, info_label);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, recipe_label);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, recipe_detail);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, tiles);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, done_label);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, passed_label);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, failed_label);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, rate_label);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, rate_caption);
	gtk_widget_class_bind_template_child(widget_class, GlintProductionWindow, records_store);
	gtk_widget_class_bind_template_callback(widget_class, on_open_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_edit_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_back_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_start_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_stop_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_info_bar_response);
}
