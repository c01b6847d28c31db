/* glint-station-tile.c: one probe of the Production window (see the
 * header): a frame with the probe's name, a large status word, a progress
 * bar, the line that says what to do, and the last board's serial and UID. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-station-tile.h"

#include <string.h>

struct _GlintStationTile {
	GtkFrame parent_instance;
	guint index;
	GlintTileState state;
	GtkWidget *status;   /* GtkLabel, large */
	GtkWidget *progress; /* GtkProgressBar */
	GtkWidget *detail;   /* GtkLabel: the step, the serial number, or why it failed */
	GtkWidget *board;    /* GtkLabel: board number, UID */
	GtkWidget *hint;     /* GtkLabel: what the operator does now */
	guint number;	     /* the board on the probe */
	gboolean has_result;
};

G_DEFINE_TYPE(GlintStationTile, glint_station_tile, GTK_TYPE_FRAME)

static const char *const state_classes[] = {
    [GLINT_TILE_IDLE] = "glint-tile-idle",	 [GLINT_TILE_WAITING] = "glint-tile-waiting",
    [GLINT_TILE_WORKING] = "glint-tile-working", [GLINT_TILE_PASS] = "glint-tile-pass",
    [GLINT_TILE_FAIL] = "glint-tile-fail",	 [GLINT_TILE_LOST] = "glint-tile-fail",
};

static void
tile_set_state(GlintStationTile *self, GlintTileState state, const char *status)
{
	GtkStyleContext *style = gtk_widget_get_style_context(GTK_WIDGET(self));
	for (guint i = 0; i < G_N_ELEMENTS(state_classes); i++)
		gtk_style_context_remove_class(style, state_classes[i]);
	gtk_style_context_add_class(style, state_classes[state]);
	self->state = state;
	gtk_label_set_text(GTK_LABEL(self->status), status);
}

static void
tile_set_detail(GlintStationTile *self, const char *detail)
{
	gtk_label_set_text(GTK_LABEL(self->detail), detail != NULL ? detail : "");
}

static GtkWidget *
named_label(guint index, const char *what, const char *a11y, const char *css)
{
	GtkWidget *label = gtk_label_new(NULL);
	g_autofree gchar *name = g_strdup_printf("tile-%u-%s", index + 1, what);
	g_autofree gchar *spoken = g_strdup_printf(_("Probe %u %s"), index + 1, a11y);

	gtk_widget_set_name(label, name);
	atk_object_set_name(gtk_widget_get_accessible(label), spoken);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_justify(GTK_LABEL(label), GTK_JUSTIFY_CENTER);
	gtk_label_set_max_width_chars(GTK_LABEL(label), 40);
	if (css != NULL)
		gtk_style_context_add_class(gtk_widget_get_style_context(label), css);
	return label;
}

GtkWidget *
glint_station_tile_new(guint index, const char *serial)
{
	GlintStationTile *self = g_object_new(GLINT_TYPE_STATION_TILE, NULL);
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 8);
	gsize len = serial != NULL ? strlen(serial) : 0;
	g_autofree gchar *title = g_strdup_printf(
	    _("Probe %u · …%s"), index + 1, len > 8 ? serial + len - 8 : (serial ? serial : "?"));
	g_autofree gchar *progress_name = g_strdup_printf("tile-%u-progress", index + 1);
	g_autofree gchar *progress_spoken = g_strdup_printf(_("Probe %u progress"), index + 1);

	self->index = index;
	gtk_frame_set_label(GTK_FRAME(self), title);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self), serial);
	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	self->status = named_label(index, "status", _("status"), "glint-tile-status");
	self->progress = gtk_progress_bar_new();
	gtk_widget_set_name(self->progress, progress_name);
	atk_object_set_name(gtk_widget_get_accessible(self->progress), progress_spoken);
	self->detail = named_label(index, "detail", _("details"), "glint-tile-detail");
	self->board = named_label(index, "board", _("board"), "glint-mono");
	self->hint = named_label(index, "hint", _("instruction"), "glint-tile-hint");
	gtk_box_pack_start(GTK_BOX(box), self->status, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), self->progress, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), self->detail, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), self->board, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(box), self->hint, FALSE, FALSE, 0);
	gtk_container_add(GTK_CONTAINER(self), box);
	gtk_widget_set_size_request(GTK_WIDGET(self), 440, -1);
	tile_set_state(self, GLINT_TILE_IDLE, C_("station state", "READY"));
	tile_set_detail(self, "");
	gtk_label_set_text(GTK_LABEL(self->hint), _("Press Start"));
	gtk_widget_show_all(GTK_WIDGET(self));
	return GTK_WIDGET(self);
}

void
glint_station_tile_set_waiting(GlintStationTile *self, const char *message, gdouble volts)
{
	g_autofree gchar *hint = g_strdup_printf(_("%s (%.2f V at the probe)"), message, volts);

	gtk_label_set_text(GTK_LABEL(self->hint), hint);
	/* the last result stays up, large, until the next board is in */
	if (self->has_result && self->state != GLINT_TILE_LOST)
		return;
	tile_set_state(self, GLINT_TILE_WAITING, C_("station state", "WAITING"));
	tile_set_detail(self, _("No board on the probe"));
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress), 0);
	gtk_label_set_text(GTK_LABEL(self->board), "");
}

void
glint_station_tile_set_board(GlintStationTile *self, guint board)
{
	g_autofree gchar *text = g_strdup_printf(_("Board %u"), board);
	self->has_result = FALSE;
	self->number = board;
	tile_set_state(self, GLINT_TILE_WORKING, C_("station state", "PROGRAMMING"));
	tile_set_detail(self, _("Connecting"));
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress), 0);
	gtk_label_set_text(GTK_LABEL(self->board), text);
	gtk_label_set_text(GTK_LABEL(self->hint), _("Do not touch the board"));
}

void
glint_station_tile_set_progress(GlintStationTile *self, const char *step_title, gdouble fraction)
{
	g_autofree gchar *status = NULL;
	if (self->state != GLINT_TILE_WORKING)
		return;
	status = g_strdup_printf(_("PROGRAMMING %.0f %%"), 100.0 * CLAMP(fraction, 0.0, 1.0));
	gtk_label_set_text(GTK_LABEL(self->status), status);
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress), CLAMP(fraction, 0.0, 1.0));
	if (step_title != NULL)
		tile_set_detail(self, step_title);
}

void
glint_station_tile_set_result(GlintStationTile *self, const GlintStationRecord *r)
{
	g_autofree gchar *board = g_strdup_printf(_("Board %u · UID %s"), self->number,
						  r->uid != NULL ? r->uid : _("not read"));

	self->has_result = TRUE;
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress), r->passed ? 1.0 : 0.0);
	if (r->passed) {
		g_autofree gchar *serial =
		    r->serial != NULL ? g_strdup_printf(_("Serial %s"), r->serial) : NULL;
		tile_set_state(self, GLINT_TILE_PASS, C_("station state", "PASS"));
		tile_set_detail(self, serial != NULL ? serial : _("Programmed and checked"));
	} else {
		g_autofree gchar *step = g_strdup_printf(_("%s · failed at %s"), board, r->step);
		tile_set_state(self, GLINT_TILE_FAIL, C_("station state", "FAIL"));
		tile_set_detail(self, r->error);
		g_free(board);
		board = g_steal_pointer(&step);
	}
	gtk_widget_set_tooltip_text(self->detail, r->cause);
	gtk_label_set_text(GTK_LABEL(self->board), board);
	gtk_label_set_text(GTK_LABEL(self->hint), _("Remove the board"));
}

void
glint_station_tile_set_remove(GlintStationTile *self)
{
	gtk_label_set_text(GTK_LABEL(self->hint), _("Remove the board"));
}

void
glint_station_tile_set_lost(GlintStationTile *self, const char *message)
{
	self->has_result = FALSE;
	tile_set_state(self, GLINT_TILE_LOST, C_("station state", "PROBE LOST"));
	tile_set_detail(self, message);
	gtk_label_set_text(GTK_LABEL(self->hint), _("Reconnect the probe"));
}

void
glint_station_tile_set_stopped(GlintStationTile *self)
{
	gtk_label_set_text(GTK_LABEL(self->hint), _("The station is stopped: press Start"));
	if (self->state == GLINT_TILE_WAITING || self->state == GLINT_TILE_IDLE) {
		tile_set_state(self, GLINT_TILE_IDLE, "STOPPED");
		tile_set_detail(self, _("No board on the probe"));
	}
}

GlintTileState
glint_station_tile_get_state(GlintStationTile *self)
{
	return self->state;
}

const char *
glint_station_tile_get_status(GlintStationTile *self)
{
	return gtk_label_get_text(GTK_LABEL(self->status));
}

const char *
glint_station_tile_get_detail(GlintStationTile *self)
{
	return gtk_label_get_text(GTK_LABEL(self->detail));
}

static void
glint_station_tile_class_init(GlintStationTileClass *klass)
{
}

static void
glint_station_tile_init(GlintStationTile *self)
{
	gtk_style_context_add_class(gtk_widget_get_style_context(GTK_WIDGET(self)),
				    "glint-station-tile");
}
