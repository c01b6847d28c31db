/* glint-log-view.h: the log panel. Owns every line a job or the window logs
 * (timestamp, level, text), shows them coloured and filtered by level and
 * search text, and copies, saves or clears them. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GLINT_TYPE_LOG_VIEW (glint_log_view_get_type())
G_DECLARE_FINAL_TYPE(GlintLogView, glint_log_view, GLINT, LOG_VIEW, GtkBox)

GtkWidget *glint_log_view_new(void);
/* Appends one line stamped with the current local time. Main thread only. */
void glint_log_view_append(GlintLogView *self, GLogLevelFlags level, const char *message);
/* Every line (unfiltered) as "HH:MM:SS.mmm LEVEL text\n". */
gchar *glint_log_view_get_text(GlintLogView *self);
/* The lines the filter currently shows, as in the text view. */
gchar *glint_log_view_get_shown_text(GlintLogView *self);
guint glint_log_view_get_n_lines(GlintLogView *self);
void glint_log_view_clear(GlintLogView *self);
gboolean glint_log_view_save(GlintLogView *self, const char *path, GError **error);
/* Shows only lines at @level or more severe (G_LOG_LEVEL_DEBUG: all). */
void glint_log_view_set_min_level(GlintLogView *self, GLogLevelFlags level);
void glint_log_view_set_search(GlintLogView *self, const char *text);
/* Lines a saved log starts with, after "# Glint VERSION log, saved DATE":
 * probe and chip (NULL: "Not connected"). Saved lines carry their date. */
void glint_log_view_set_header(GlintLogView *self, const char *header);
/* The text of the line on the first visible row (NULL when the view follows
 * the end), and scrolling so the line @index (or the next shown) is on top. */
gchar *glint_log_view_get_top_line(GlintLogView *self);
void glint_log_view_scroll_to_line(GlintLogView *self, guint index);

/* "ERROR", "WARNING", "INFO", "DEBUG". */
const char *glint_log_level_name(GLogLevelFlags level);

G_END_DECLS
