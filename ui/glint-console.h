/* glint-console.h: what the firmware prints (SWO, RTT) in a text
 * view. Owns the text buffer's contents: the main stream (ITM port 0, RTT
 * channel 0) as text as it comes, other ports and channels as tagged lines
 * ("[port 2] 0x12345678", "[channel 1] text") that never land in the
 * middle of a main-stream line, bytes that are not UTF-8 shown as U+FFFD,
 * CR LF as one line end, a bound on what is kept (the oldest lines go
 * first, and the console says so), following the end unless the user has
 * scrolled up, and saving to a file without overwriting one unasked. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _GlintConsole GlintConsole;

/* @view is not referenced: the console lives as long as its view. */
GlintConsole *glint_console_new(GtkTextView *view, gsize max_chars);
void glint_console_free(GlintConsole *self);

/* The main stream's bytes */
void glint_console_append_text(GlintConsole *self, const guint8 *data, gsize len);
/* A tagged line ("[port 3] 0x5A"), on a line of its own */
void glint_console_append_tagged(GlintConsole *self, const char *line);
/* Bytes of a secondary stream @tag ("channel 1"): a tagged line per line,
 * the unfinished end kept until its newline (or _flush) */
void glint_console_append_stream(GlintConsole *self, guint stream, const char *tag,
				 const guint8 *data, gsize len);
/* The unfinished lines of the secondary streams, as they are */
void glint_console_flush(GlintConsole *self);
void glint_console_clear(GlintConsole *self);

gchar *glint_console_get_text(GlintConsole *self);
/* Characters of output dropped to keep within the bound */
guint64 glint_console_get_dropped(GlintConsole *self);
/* Writes the text to @path: a new file, or with @replace whatever is there
 * (the file chooser asked first). GLINT_ERROR_IO naming the file. */
gboolean glint_console_save(GlintConsole *self, const char *path, gboolean replace, GError **error);

G_END_DECLS
