/* glint-watch-plot.c: the live watch's numbers over time (see the header). */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-watch-plot.h"

#include <math.h>

#include "glint-i18n.h"

/* The Tango palette's darker tones: told apart on light and dark themes */
static const char *const series_colors[] = {"#3465a4", "#cc0000", "#4e9a06", "#f57900",
					    "#75507b", "#c4a000", "#06989a", "#8f5902"};

#define MARGIN_LEFT 64.0
#define MARGIN_RIGHT 8.0
#define MARGIN_TOP 8.0
#define MARGIN_BOTTOM 18.0

typedef struct {
	gdouble t;
	gdouble v;
} PlotPoint;

typedef struct {
	gchar *name;
	guint color;
	GArray *points; /* PlotPoint, oldest first */
} PlotSeries;

struct _GlintWatchPlot {
	GPtrArray *series; /* PlotSeries* */
	guint next_color;
};

static void
series_free(PlotSeries *s)
{
	g_free(s->name);
	g_array_unref(s->points);
	g_free(s);
}

GlintWatchPlot *
glint_watch_plot_new(void)
{
	GlintWatchPlot *self = g_new0(GlintWatchPlot, 1);
	self->series = g_ptr_array_new_with_free_func((GDestroyNotify)series_free);
	return self;
}

void
glint_watch_plot_free(GlintWatchPlot *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->series);
	g_free(self);
}

guint
glint_watch_plot_add_series(GlintWatchPlot *self, const char *name)
{
	PlotSeries *s = g_new0(PlotSeries, 1);
	s->name = g_strdup(name);
	s->color = self->next_color++ % G_N_ELEMENTS(series_colors);
	s->points = g_array_new(FALSE, FALSE, sizeof(PlotPoint));
	g_ptr_array_add(self->series, s);
	return self->series->len - 1;
}

void
glint_watch_plot_remove_series(GlintWatchPlot *self, guint index)
{
	if (index < self->series->len)
		g_ptr_array_remove_index(self->series, index);
}

void
glint_watch_plot_clear_points(GlintWatchPlot *self)
{
	for (guint i = 0; i < self->series->len; i++) {
		PlotSeries *s = g_ptr_array_index(self->series, i);
		g_array_set_size(s->points, 0);
	}
}

guint
glint_watch_plot_get_n_series(GlintWatchPlot *self)
{
	return self->series->len;
}

void
glint_watch_plot_add_point(GlintWatchPlot *self, guint index, gdouble time_s, gdouble value)
{
	PlotSeries *s;
	PlotPoint p = {time_s, value};
	if (index >= self->series->len || !isfinite(value) || !isfinite(time_s))
		return;
	s = g_ptr_array_index(self->series, index);
	/* the oldest eighth goes at once, so that dropping is rare */
	if (s->points->len >= GLINT_WATCH_PLOT_MAX_POINTS)
		g_array_remove_range(s->points, 0, GLINT_WATCH_PLOT_MAX_POINTS / 8);
	g_array_append_val(s->points, p);
}

guint
glint_watch_plot_get_n_points(GlintWatchPlot *self, guint index)
{
	if (index >= self->series->len)
		return 0;
	return ((PlotSeries *)g_ptr_array_index(self->series, index))->points->len;
}

const char *
glint_watch_plot_get_color(GlintWatchPlot *self, guint index)
{
	if (index >= self->series->len)
		return NULL;
	return series_colors[((PlotSeries *)g_ptr_array_index(self->series, index))->color];
}

/* The time shown: from the first point, or the last window up to the
 * newest point once there is more; a second at least */
static gboolean
plot_time_range(GlintWatchPlot *self, gdouble *t0, gdouble *t1)
{
	gboolean any = FALSE;
	gdouble first = 0, newest = 0;
	for (guint i = 0; i < self->series->len; i++) {
		PlotSeries *s = g_ptr_array_index(self->series, i);
		gdouble a, b;
		if (s->points->len == 0)
			continue;
		a = g_array_index(s->points, PlotPoint, 0).t;
		b = g_array_index(s->points, PlotPoint, s->points->len - 1).t;
		first = any ? MIN(first, a) : a;
		newest = any ? MAX(newest, b) : b;
		any = TRUE;
	}
	*t0 = MAX(newest - GLINT_WATCH_PLOT_WINDOW_S, first);
	*t1 = MAX(newest, *t0 + 1.0);
	return any;
}

/* The values of the points shown, with a margin; a flat line in the middle */
static void
plot_value_range(GlintWatchPlot *self, gdouble t0, gdouble *lo, gdouble *hi)
{
	gboolean any = FALSE;
	for (guint i = 0; i < self->series->len; i++) {
		PlotSeries *s = g_ptr_array_index(self->series, i);
		for (guint k = 0; k < s->points->len; k++) {
			const PlotPoint *p = &g_array_index(s->points, PlotPoint, k);
			if (p->t < t0)
				continue;
			*lo = any ? MIN(*lo, p->v) : p->v;
			*hi = any ? MAX(*hi, p->v) : p->v;
			any = TRUE;
		}
	}
	if (!any) {
		*lo = 0;
		*hi = 1;
	} else if (*hi - *lo < 1e-12) {
		gdouble pad = MAX(fabs(*lo) * 0.1, 1.0);
		*lo -= pad;
		*hi += pad;
	} else {
		gdouble pad = (*hi - *lo) * 0.05;
		*lo -= pad;
		*hi += pad;
	}
}

static void
set_color(cairo_t *cr, const char *spec, gdouble alpha)
{
	GdkRGBA rgba;
	gdk_rgba_parse(&rgba, spec);
	cairo_set_source_rgba(cr, rgba.red, rgba.green, rgba.blue, alpha);
}

static void
plot_text(cairo_t *cr, GtkStyleContext *style, gdouble x, gdouble y, const char *text,
	  gboolean right)
{
	cairo_text_extents_t ext;
	GdkRGBA fg;
	gtk_style_context_get_color(style, gtk_style_context_get_state(style), &fg);
	cairo_set_source_rgba(cr, fg.red, fg.green, fg.blue, 0.8);
	cairo_text_extents(cr, text, &ext);
	cairo_move_to(cr, right ? x - ext.x_advance : x, y);
	cairo_show_text(cr, text);
}

static void
plot_axes(GlintWatchPlot *self, GtkStyleContext *style, cairo_t *cr, gdouble w, gdouble h,
	  gdouble t0, gdouble t1, gdouble lo, gdouble hi)
{
	gchar buf[64];
	GdkRGBA fg;
	gtk_style_context_get_color(style, gtk_style_context_get_state(style), &fg);
	cairo_set_source_rgba(cr, fg.red, fg.green, fg.blue, 0.35);
	cairo_set_line_width(cr, 1.0);
	cairo_rectangle(cr, MARGIN_LEFT + 0.5, MARGIN_TOP + 0.5, w - MARGIN_LEFT - MARGIN_RIGHT,
			h - MARGIN_TOP - MARGIN_BOTTOM);
	cairo_stroke(cr);
	cairo_set_font_size(cr, 10.0);
	g_snprintf(buf, sizeof(buf), "%.6g", hi);
	plot_text(cr, style, MARGIN_LEFT - 4, MARGIN_TOP + 10, buf, TRUE);
	g_snprintf(buf, sizeof(buf), "%.6g", lo);
	plot_text(cr, style, MARGIN_LEFT - 4, h - MARGIN_BOTTOM, buf, TRUE);
	g_snprintf(buf, sizeof(buf), "%.1f s", t0);
	plot_text(cr, style, MARGIN_LEFT, h - 4, buf, FALSE);
	g_snprintf(buf, sizeof(buf), "%.1f s", t1);
	plot_text(cr, style, w - MARGIN_RIGHT, h - 4, buf, TRUE);
}

static void
plot_series(PlotSeries *s, cairo_t *cr, gdouble w, gdouble h, gdouble t0, gdouble t1, gdouble lo,
	    gdouble hi)
{
	gdouble pw = w - MARGIN_LEFT - MARGIN_RIGHT, ph = h - MARGIN_TOP - MARGIN_BOTTOM;
	gboolean started = FALSE;
	set_color(cr, series_colors[s->color], 1.0);
	cairo_set_line_width(cr, 1.5);
	for (guint k = 0; k < s->points->len; k++) {
		const PlotPoint *p = &g_array_index(s->points, PlotPoint, k);
		gdouble x, y;
		if (p->t < t0)
			continue;
		x = MARGIN_LEFT + (p->t - t0) / (t1 - t0) * pw;
		y = MARGIN_TOP + (1.0 - (p->v - lo) / (hi - lo)) * ph;
		if (!started)
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
		started = TRUE;
	}
	if (started)
		cairo_stroke(cr);
}

static void
plot_legend(GlintWatchPlot *self, GtkStyleContext *style, cairo_t *cr)
{
	gdouble x = MARGIN_LEFT + 8, y = MARGIN_TOP + 14;
	for (guint i = 0; i < self->series->len; i++) {
		PlotSeries *s = g_ptr_array_index(self->series, i);
		cairo_text_extents_t ext;
		if (s->points->len == 0)
			continue;
		set_color(cr, series_colors[s->color], 1.0);
		cairo_rectangle(cr, x, y - 8, 8, 8);
		cairo_fill(cr);
		plot_text(cr, style, x + 11, y, s->name, FALSE);
		cairo_text_extents(cr, s->name, &ext);
		x += ext.x_advance + 24;
	}
}

void
glint_watch_plot_draw(GlintWatchPlot *self, GtkStyleContext *style, cairo_t *cr, gint width,
		      gint height)
{
	gdouble t0, t1, lo = 0, hi = 1;
	gboolean any = plot_time_range(self, &t0, &t1);

	if (width < MARGIN_LEFT + MARGIN_RIGHT + 10 || height < MARGIN_TOP + MARGIN_BOTTOM + 10)
		return;
	plot_value_range(self, t0, &lo, &hi);
	plot_axes(self, style, cr, width, height, t0, t1, lo, hi);
	if (!any) {
		cairo_set_font_size(cr, 12.0);
		plot_text(cr, style, MARGIN_LEFT + 8, MARGIN_TOP + 20,
			  _("Numbers in the watch list are plotted here over time"), FALSE);
		return;
	}
	cairo_save(cr);
	cairo_rectangle(cr, MARGIN_LEFT, MARGIN_TOP, width - MARGIN_LEFT - MARGIN_RIGHT,
			height - MARGIN_TOP - MARGIN_BOTTOM);
	cairo_clip(cr);
	for (guint i = 0; i < self->series->len; i++)
		plot_series(g_ptr_array_index(self->series, i), cr, width, height, t0, t1, lo, hi);
	cairo_restore(cr);
	plot_legend(self, style, cr);
}
