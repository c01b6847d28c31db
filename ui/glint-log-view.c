/* glint-log-view.c: the log panel (timestamped, coloured, filterable lines). */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-log-view.h"

#include <glib/gstdio.h>

#include "glint-error.h"

typedef struct {
	gchar *date;  /* "YYYY-MM-DD" local date, for saved logs */
	gchar *stamp; /* "HH:MM:SS.mmm" local time */
	GLogLevelFlags level;
	gchar *text;
} GlintLogLine;

struct _GlintLogView {
	GtkBox parent_instance;
	GtkComboBoxText *level_combo;
	GtkSearchEntry *search_entry;
	GtkTextView *text_view;
	GPtrArray *lines; /* element-type GlintLogLine* */
	guint min_rank;	  /* lines with a rank above this are hidden */
	gchar *search;	  /* casefolded, NULL for none */
	gchar *header;	  /* what a saved log starts with (probe, chip), or NULL */
	GArray *shown;	  /* guint: the line index behind each buffer line */
};

G_DEFINE_TYPE(GlintLogView, glint_log_view, GTK_TYPE_BOX)

static void
glint_log_line_free(GlintLogLine *line)
{
	g_free(line->date);
	g_free(line->stamp);
	g_free(line->text);
	g_free(line);
}

/* Severity rank: 0 error, 1 warning, 2 info, 3 debug (GLib's flags are bits). */
static guint
level_rank(GLogLevelFlags level)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		return 0;
	if (level & G_LOG_LEVEL_WARNING)
		return 1;
	if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
		return 2;
	return 3;
}

const char *
glint_log_level_name(GLogLevelFlags level)
{
	static const char *const names[] = {"ERROR", "WARNING", "INFO", "DEBUG"};
	return names[level_rank(level)];
}

static const char *
level_tag_name(GLogLevelFlags level)
{
	static const char *const tags[] = {"level-error", "level-warning", "level-info",
					   "level-debug"};
	return tags[level_rank(level)];
}

static gboolean
line_is_shown(GlintLogView *self, const GlintLogLine *line)
{
	g_autofree gchar *folded = NULL;
	if (level_rank(line->level) > self->min_rank)
		return FALSE;
	if (self->search == NULL)
		return TRUE;
	folded = g_utf8_casefold(line->text, -1);
	return strstr(folded, self->search) != NULL;
}

static void
insert_line(GlintLogView *self, const GlintLogLine *line)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->text_view);
	GtkTextIter end;
	g_autofree gchar *head =
	    g_strdup_printf("%s %-7s ", line->stamp, glint_log_level_name(line->level));

	gtk_text_buffer_get_end_iter(buffer, &end);
	gtk_text_buffer_insert_with_tags_by_name(buffer, &end, head, -1, "stamp", NULL);
	gtk_text_buffer_insert_with_tags_by_name(buffer, &end, line->text, -1,
						 level_tag_name(line->level), NULL);
	gtk_text_buffer_insert(buffer, &end, "\n", -1);
}

/* The index of the line on the first visible row, or -1 at the end. */
static gint
top_line_index(GlintLogView *self)
{
	GdkRectangle visible;
	GtkTextIter iter;
	GtkAdjustment *adj = gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(self->text_view));
	gint row;
	if (adj == NULL || gtk_adjustment_get_value(adj) + gtk_adjustment_get_page_size(adj) >=
			       gtk_adjustment_get_upper(adj) - 1)
		return -1; /* following the end */
	gtk_text_view_get_visible_rect(self->text_view, &visible);
	gtk_text_view_get_line_at_y(self->text_view, &iter, visible.y, NULL);
	row = gtk_text_iter_get_line(&iter);
	if (row < 0 || (guint)row >= self->shown->len)
		return -1;
	return (gint)g_array_index(self->shown, guint, row);
}

static void
scroll_to_end(GlintLogView *self)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->text_view);
	GtkTextMark *mark = gtk_text_buffer_get_insert(buffer);
	GtkTextIter end;
	gtk_text_buffer_get_end_iter(buffer, &end);
	gtk_text_buffer_place_cursor(buffer, &end);
	gtk_text_view_scroll_mark_onscreen(self->text_view, mark);
}

/* Shows the lines the filter lets through, keeping the place: the line that
 * was on top (or the next one shown) stays on top; a view that followed the
 * end keeps following it. */
static void
rebuild(GlintLogView *self)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->text_view);
	gint top = top_line_index(self);
	gint top_row = -1;
	gtk_text_buffer_set_text(buffer, "", 0);
	g_array_set_size(self->shown, 0);
	for (guint i = 0; i < self->lines->len; i++) {
		const GlintLogLine *line = g_ptr_array_index(self->lines, i);
		if (!line_is_shown(self, line))
			continue;
		if (top >= 0 && top_row < 0 && i >= (guint)top)
			top_row = (gint)self->shown->len;
		insert_line(self, line);
		g_array_append_val(self->shown, i);
	}
	if (top_row < 0) {
		scroll_to_end(self);
		return;
	}
	{
		GtkTextIter iter;
		GtkTextMark *mark;
		gtk_text_buffer_get_iter_at_line(buffer, &iter, top_row);
		gtk_text_buffer_place_cursor(buffer, &iter);
		mark = gtk_text_buffer_create_mark(buffer, NULL, &iter, TRUE);
		gtk_text_view_scroll_to_mark(self->text_view, mark, 0, TRUE, 0, 0);
		gtk_text_buffer_delete_mark(buffer, mark);
	}
}

gchar *
glint_log_view_get_top_line(GlintLogView *self)
{
	gint top = top_line_index(self);
	const GlintLogLine *line;
	if (top < 0)
		return NULL;
	line = g_ptr_array_index(self->lines, top);
	return g_strdup(line->text);
}

void
glint_log_view_scroll_to_line(GlintLogView *self, guint index)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->text_view);
	for (guint row = 0; row < self->shown->len; row++) {
		if (g_array_index(self->shown, guint, row) >= index) {
			GtkTextIter iter;
			GtkTextMark *mark;
			gtk_text_buffer_get_iter_at_line(buffer, &iter, row);
			mark = gtk_text_buffer_create_mark(buffer, NULL, &iter, TRUE);
			gtk_text_view_scroll_to_mark(self->text_view, mark, 0, TRUE, 0, 0);
			gtk_text_buffer_delete_mark(buffer, mark);
			return;
		}
	}
}

void
glint_log_view_set_header(GlintLogView *self, const char *header)
{
	g_free(self->header);
	self->header = g_strdup(header);
}

void
glint_log_view_append(GlintLogView *self, GLogLevelFlags level, const char *message)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *hms = g_date_time_format(now, "%H:%M:%S");
	GlintLogLine *line;

	g_return_if_fail(GLINT_IS_LOG_VIEW(self));
	line = g_new0(GlintLogLine, 1);
	line->stamp = g_strdup_printf("%s.%03d", hms, g_date_time_get_microsecond(now) / 1000);
	line->date = g_date_time_format(now, "%Y-%m-%d");
	line->level = level;
	/* A line must stay valid UTF-8 in a GtkTextBuffer whatever a probe sent. */
	line->text = g_utf8_make_valid(message != NULL ? message : "", -1);
	g_ptr_array_add(self->lines, line);
	if (line_is_shown(self, line)) {
		guint index = self->lines->len - 1;
		insert_line(self, line);
		g_array_append_val(self->shown, index);
		scroll_to_end(self);
	}
}

static gchar *
format_lines(GlintLogView *self, gboolean shown_only, gboolean dated)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < self->lines->len; i++) {
		const GlintLogLine *line = g_ptr_array_index(self->lines, i);
		if (shown_only && !line_is_shown(self, line))
			continue;
		if (dated)
			g_string_append_printf(out, "%s ", line->date);
		g_string_append_printf(out, "%s %-7s %s\n", line->stamp,
				       glint_log_level_name(line->level), line->text);
	}
	return g_string_free(out, FALSE);
}

gchar *
glint_log_view_get_text(GlintLogView *self)
{
	g_return_val_if_fail(GLINT_IS_LOG_VIEW(self), NULL);
	return format_lines(self, FALSE, FALSE);
}

gchar *
glint_log_view_get_shown_text(GlintLogView *self)
{
	g_return_val_if_fail(GLINT_IS_LOG_VIEW(self), NULL);
	return format_lines(self, TRUE, FALSE);
}

guint
glint_log_view_get_n_lines(GlintLogView *self)
{
	return self->lines->len;
}

void
glint_log_view_clear(GlintLogView *self)
{
	g_ptr_array_set_size(self->lines, 0);
	rebuild(self);
}

gboolean
glint_log_view_save(GlintLogView *self, const char *path, GError **error)
{
	g_autofree gchar *lines = format_lines(self, FALSE, TRUE);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *when = g_date_time_format(now, "%Y-%m-%d %H:%M:%S %z");
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error_local = NULL;
	/* Someone reading the file later needs what the window showed around it. */
	text = g_strdup_printf(
	    _("# Glint %s log, saved %s\n%s%s\n%s"), GLINT_VERSION, when,
	    self->header != NULL ? self->header : _("# Not connected\n"),
	    self->header != NULL && !g_str_has_suffix(self->header, "\n") ? "\n" : "", lines);
	if (!g_file_set_contents(path, text, -1, &error_local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("Could not save the log to %s: %s. Choose a writable folder."), path,
			    error_local->message);
		return FALSE;
	}
	return TRUE;
}

void
glint_log_view_set_min_level(GlintLogView *self, GLogLevelFlags level)
{
	self->min_rank = level_rank(level);
	rebuild(self);
}

void
glint_log_view_set_search(GlintLogView *self, const char *text)
{
	g_clear_pointer(&self->search, g_free);
	if (text != NULL && text[0] != '\0')
		self->search = g_utf8_casefold(text, -1);
	rebuild(self);
}

static void
on_level_combo_changed(GtkComboBox *combo, GlintLogView *self)
{
	const char *id = gtk_combo_box_get_active_id(combo);
	GLogLevelFlags level = G_LOG_LEVEL_DEBUG;
	if (g_strcmp0(id, "info") == 0)
		level = G_LOG_LEVEL_INFO;
	else if (g_strcmp0(id, "warning") == 0)
		level = G_LOG_LEVEL_WARNING;
	else if (g_strcmp0(id, "error") == 0)
		level = G_LOG_LEVEL_CRITICAL;
	glint_log_view_set_min_level(self, level);
}

static void
on_search_entry_search_changed(GtkSearchEntry *entry, GlintLogView *self)
{
	glint_log_view_set_search(self, gtk_entry_get_text(GTK_ENTRY(entry)));
}

static void
on_copy_button_clicked(GtkButton *button, GlintLogView *self)
{
	g_autofree gchar *text = format_lines(self, TRUE, FALSE);
	GtkClipboard *clipboard =
	    gtk_widget_get_clipboard(GTK_WIDGET(self), GDK_SELECTION_CLIPBOARD);
	gtk_clipboard_set_text(clipboard, text, -1);
}

static void
on_save_dialog_response(GtkNativeDialog *dialog, gint response, GlintLogView *self)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
		g_autoptr(GError) error = NULL;
		if (!glint_log_view_save(self, path, &error))
			glint_log_view_append(self, G_LOG_LEVEL_WARNING, error->message);
		else {
			g_autofree gchar *msg = g_strdup_printf(_("Log saved to %s"), path);
			glint_log_view_append(self, G_LOG_LEVEL_INFO, msg);
		}
	}
	g_object_unref(dialog);
}

static void
on_save_button_clicked(GtkButton *button, GlintLogView *self)
{
	GtkWidget *toplevel = gtk_widget_get_toplevel(GTK_WIDGET(self));
	GtkFileChooserNative *dialog = gtk_file_chooser_native_new(
	    _("Save Log"), GTK_IS_WINDOW(toplevel) ? GTK_WINDOW(toplevel) : NULL,
	    GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(dialog), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dialog), "glint.log");
	g_signal_connect(dialog, "response", G_CALLBACK(on_save_dialog_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

static void
on_clear_button_clicked(GtkButton *button, GlintLogView *self)
{
	glint_log_view_clear(self);
}

static void
glint_log_view_finalize(GObject *object)
{
	GlintLogView *self = GLINT_LOG_VIEW(object);
	g_ptr_array_unref(self->lines);
	g_array_unref(self->shown);
	g_free(self->search);
	g_free(self->header);
	G_OBJECT_CLASS(glint_log_view_parent_class)->finalize(object);
}

static void
glint_log_view_init(GlintLogView *self)
{
	GtkTextBuffer *buffer;

	gtk_widget_init_template(GTK_WIDGET(self));
	self->lines = g_ptr_array_new_with_free_func((GDestroyNotify)glint_log_line_free);
	self->shown = g_array_new(FALSE, FALSE, sizeof(guint));
	self->min_rank = level_rank(G_LOG_LEVEL_DEBUG);
	buffer = gtk_text_view_get_buffer(self->text_view);
	gtk_text_buffer_create_tag(buffer, "stamp", "foreground", "#888a85", NULL);
	gtk_text_buffer_create_tag(buffer, "level-error", "foreground", "#cc0000", "weight",
				   PANGO_WEIGHT_BOLD, NULL);
	gtk_text_buffer_create_tag(buffer, "level-warning", "foreground", "#c4a000", NULL);
	gtk_text_buffer_create_tag(buffer, "level-info", NULL);
	gtk_text_buffer_create_tag(buffer, "level-debug", "foreground", "#75507b", NULL);
}

static void
glint_log_view_class_init(GlintLogViewClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = glint_log_view_finalize;
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-log-view.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintLogView, level_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintLogView, search_entry);
	gtk_widget_class_bind_template_child(widget_class, GlintLogView, text_view);
	gtk_widget_class_bind_template_callback(widget_class, on_level_combo_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_search_entry_search_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_copy_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_save_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_clear_button_clicked);
}

GtkWidget *
glint_log_view_new(void)
{
	return g_object_new(GLINT_TYPE_LOG_VIEW, NULL);
}
