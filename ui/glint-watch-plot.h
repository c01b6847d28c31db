/* glint-watch-plot.h: the live watch's numbers over time, drawn with cairo.
 * Owns one series of (time, value) points per watched item (the newest
 * GLINT_WATCH_PLOT_MAX_POINTS kept), their colours, and the drawing: the
 * last GLINT_WATCH_PLOT_WINDOW_S seconds, the value axis scaled to what is
 * shown, a legend, each series a line in its colour. Items that are not
 * numbers have a series that stays empty. No GTK widget: the view draws it
 * into its GtkDrawingArea. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GLINT_WATCH_PLOT_MAX_POINTS 4096u
#define GLINT_WATCH_PLOT_WINDOW_S 30.0

typedef struct _GlintWatchPlot GlintWatchPlot;

GlintWatchPlot *glint_watch_plot_new(void);
void glint_watch_plot_free(GlintWatchPlot *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintWatchPlot, glint_watch_plot_free)

/* A series at the end for @name; its index */
guint glint_watch_plot_add_series(GlintWatchPlot *self, const char *name);
void glint_watch_plot_remove_series(GlintWatchPlot *self, guint index);
/* Forgets every point (a new target); the series stay */
void glint_watch_plot_clear_points(GlintWatchPlot *self);
guint glint_watch_plot_get_n_series(GlintWatchPlot *self);
void glint_watch_plot_add_point(GlintWatchPlot *self, guint index, gdouble time_s, gdouble value);
guint glint_watch_plot_get_n_points(GlintWatchPlot *self, guint index);
/* "#3465a4": the series' colour, for the list's swatch */
const char *glint_watch_plot_get_color(GlintWatchPlot *self, guint index);

void glint_watch_plot_draw(GlintWatchPlot *self, GtkStyleContext *style, cairo_t *cr, gint width,
			   gint height);

G_END_DECLS
