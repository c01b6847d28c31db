/* glint-console.c: what the firmware prints, in a text view (see the header). */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-console.h"

#include <string.h>

#include "glint-error.h"
#include "glint-file.h"
#include "glint-i18n.h"

#define CONSOLE_STREAMS 32u
/* U+FFFD REPLACEMENT CHARACTER, for bytes that are not UTF-8 */
#define REPLACEMENT "\xEF\xBF\xBD"
/* A UTF-8 sequence is at most this long: a shorter unfinished one at the
 * end of a chunk waits for the next */
#define UTF8_MAX_LEN 4

struct _GlintConsole {
	GtkTextView *view;
	GtkTextBuffer *buffer;
	GtkTextMark *end_mark;
	gsize max_chars;
	gboolean mid_line; /* the last character shown is not a line end */
	guint8 carry[UTF8_MAX_LEN];
	gsize carry_len;
	GString *pending[CONSOLE_STREAMS]; /* a secondary stream's unfinished line */
	gchar *pending_tag[CONSOLE_STREAMS];
	guint64 dropped;
};

GlintConsole *
glint_console_new(GtkTextView *view, gsize max_chars)
{
	GlintConsole *self = g_new0(GlintConsole, 1);
	GtkTextIter end;
	self->view = view;
	self->buffer = gtk_text_view_get_buffer(view);
	self->max_chars = MAX(max_chars, 1024);
	gtk_text_buffer_get_end_iter(self->buffer, &end);
	self->end_mark = gtk_text_buffer_create_mark(self->buffer, NULL, &end, FALSE);
	gtk_text_buffer_create_tag(self->buffer, "tagged", "foreground", "#3465a4", NULL);
	return self;
}

void
glint_console_free(GlintConsole *self)
{
	if (self == NULL)
		return;
	for (guint i = 0; i < CONSOLE_STREAMS; i++) {
		if (self->pending[i] != NULL)
			g_string_free(self->pending[i], TRUE);
		g_free(self->pending_tag[i]);
	}
	g_free(self);
}

/* Whether the user looks at the end (then the end stays in view) */
static gboolean
console_at_end(GlintConsole *self)
{
	GtkAdjustment *adj = gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(self->view));
	if (adj == NULL)
		return TRUE;
	return gtk_adjustment_get_value(adj) + gtk_adjustment_get_page_size(adj) >=
	       gtk_adjustment_get_upper(adj) - 2;
}

/* The oldest lines go once the bound is passed: a quarter of it at a time,
 * so that trimming is rare */
static void
console_trim(GlintConsole *self)
{
	gint count = gtk_text_buffer_get_char_count(self->buffer);
	GtkTextIter start, cut;
	if ((gsize)count <= self->max_chars)
		return;
	gtk_text_buffer_get_start_iter(self->buffer, &start);
	gtk_text_buffer_get_iter_at_offset(self->buffer, &cut,
					   count - (gint)(self->max_chars / 4 * 3));
	if (!gtk_text_iter_starts_line(&cut))
		gtk_text_iter_forward_line(&cut);
	self->dropped += (guint64)gtk_text_iter_get_offset(&cut);
	gtk_text_buffer_delete(self->buffer, &start, &cut);
}

/* @text (valid UTF-8) at the end, tagged or not */
static void
console_insert(GlintConsole *self, const char *text, gsize len, gboolean tagged)
{
	gboolean follow = console_at_end(self);
	GtkTextIter end;
	if (len == 0)
		return;
	gtk_text_buffer_get_end_iter(self->buffer, &end);
	if (tagged)
		gtk_text_buffer_insert_with_tags_by_name(self->buffer, &end, text, (gint)len,
							 "tagged", NULL);
	else
		gtk_text_buffer_insert(self->buffer, &end, text, (gint)len);
	self->mid_line = text[len - 1] != '\n';
	console_trim(self);
	if (follow)
		gtk_text_view_scroll_mark_onscreen(self->view, self->end_mark);
}

/* Bytes as text: CR dropped (CR LF is a line end), what is not UTF-8 shown
 * as U+FFFD, an unfinished sequence at the end kept for the next bytes */
static GString *
console_decode(GlintConsole *self, const guint8 *data, gsize len)
{
	g_autoptr(GByteArray) bytes = g_byte_array_sized_new((guint)(self->carry_len + len));
	GString *text = g_string_sized_new(len + 8);
	const gchar *p, *end;

	g_byte_array_append(bytes, self->carry, (guint)self->carry_len);
	self->carry_len = 0;
	for (gsize i = 0; i < len; i++) {
		if (data[i] != '\r')
			g_byte_array_append(bytes, &data[i], 1);
	}
	p = (const gchar *)bytes->data;
	end = p + bytes->len;
	while (p < end) {
		const gchar *valid_end = NULL;
		gunichar c;
		g_utf8_validate_len(p, (gsize)(end - p), &valid_end);
		g_string_append_len(text, p, valid_end - p);
		p = valid_end;
		if (p >= end)
			break;
		c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-2 && end - p < UTF8_MAX_LEN) {
			memcpy(self->carry, p, (gsize)(end - p));
			self->carry_len = (gsize)(end - p);
			break;
		}
		g_string_append(text, REPLACEMENT);
		p++;
	}
	return text;
}

void
glint_console_append_text(GlintConsole *self, const guint8 *data, gsize len)
{
	g_autoptr(GString) text = console_decode(self, data, len);
	console_insert(self, text->str, text->len, FALSE);
}

void
glint_console_append_tagged(GlintConsole *self, const char *line)
{
	g_autofree gchar *text = g_strconcat(line, "\n", NULL);
	/* never in the middle of the main stream's line */
	if (self->mid_line)
		console_insert(self, "\n", 1, FALSE);
	console_insert(self, text, strlen(text), TRUE);
}

/* A secondary stream's line, as a tagged line */
static void
console_stream_line(GlintConsole *self, guint stream)
{
	GString *pending = self->pending[stream];
	g_autofree gchar *valid = NULL;
	g_autofree gchar *line = NULL;
	g_strdelimit(pending->str, "\r", ' ');
	valid = g_utf8_make_valid(pending->str, (gssize)pending->len);
	line = g_strdup_printf("[%s] %s", self->pending_tag[stream], valid);
	glint_console_append_tagged(self, line);
	g_string_truncate(pending, 0);
}

void
glint_console_append_stream(GlintConsole *self, guint stream, const char *tag, const guint8 *data,
			    gsize len)
{
	if (stream >= CONSOLE_STREAMS)
		return;
	if (self->pending[stream] == NULL)
		self->pending[stream] = g_string_new(NULL);
	if (g_strcmp0(self->pending_tag[stream], tag) != 0) {
		g_free(self->pending_tag[stream]);
		self->pending_tag[stream] = g_strdup(tag);
	}
	for (gsize i = 0; i < len; i++) {
		if (data[i] == '\n')
			console_stream_line(self, stream);
		else if (data[i] != '\r')
			g_string_append_c(self->pending[stream], (gchar)data[i]);
	}
}

void
glint_console_flush(GlintConsole *self)
{
	for (guint i = 0; i < CONSOLE_STREAMS; i++) {
		if (self->pending[i] != NULL && self->pending[i]->len > 0)
			console_stream_line(self, i);
	}
}

void
glint_console_clear(GlintConsole *self)
{
	gtk_text_buffer_set_text(self->buffer, "", 0);
	self->mid_line = FALSE;
	self->carry_len = 0;
	self->dropped = 0;
	for (guint i = 0; i < CONSOLE_STREAMS; i++) {
		if (self->pending[i] != NULL)
			g_string_truncate(self->pending[i], 0);
	}
}

gchar *
glint_console_get_text(GlintConsole *self)
{
	GtkTextIter start, end;
	gtk_text_buffer_get_bounds(self->buffer, &start, &end);
	return gtk_text_buffer_get_text(self->buffer, &start, &end, FALSE);
}

guint64
glint_console_get_dropped(GlintConsole *self)
{
	return self->dropped;
}

gboolean
glint_console_save(GlintConsole *self, const char *path, gboolean replace, GError **error)
{
	g_autofree gchar *text = glint_console_get_text(self);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GError) local = NULL;
	gboolean exists = FALSE;

	/* a FIFO or a device would block or swallow the output */
	if (!glint_file_check_regular(path, _("console output"), &exists, error))
		return FALSE;
	if (replace) {
		if (g_file_replace_contents(file, text, strlen(text), NULL, FALSE,
					    G_FILE_CREATE_NONE, NULL, NULL, &local))
			return TRUE;
	} else {
		g_autoptr(GFileOutputStream) out =
		    g_file_create(file, G_FILE_CREATE_NONE, NULL, &local);
		if (out != NULL &&
		    g_output_stream_write_all(G_OUTPUT_STREAM(out), text, strlen(text), NULL, NULL,
					      &local) &&
		    g_output_stream_close(G_OUTPUT_STREAM(out), NULL, &local))
			return TRUE;
		/* no half-written file of ours is left behind */
		if (out != NULL)
			g_file_delete(file, NULL, NULL);
		if (g_error_matches(local, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
				    _("%s exists: not replaced (choose another name, or confirm "
				      "replacing it in Save…)"),
				    path);
			return FALSE;
		}
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Could not save to %s: %s"), path,
		    local->message);
	return FALSE;
}
