/* glint-image-private.h: what the format parsers and writers share with the
 * image type, not part of the public API.
 *
 * A parser feeds "pieces" (address, bytes, origin) into an image under
 * construction; glint_image_finish() sorts them once, checks overlaps and
 * builds the merged segments. Pieces stay in the image afterwards so that a
 * later message can name the exact line (or ELF section) of any byte. */
#pragma once

#include "glint-error.h"
#include "glint-image.h"

G_BEGIN_DECLS

/* How a piece's origin number reads: a line of a text file, an index into
 * the image's labels ("section .text"), or an offset into a raw binary. */
typedef enum {
	GLINT_IMAGE_ORIGIN_NONE,
	GLINT_IMAGE_ORIGIN_LINE,
	GLINT_IMAGE_ORIGIN_LABEL,
	GLINT_IMAGE_ORIGIN_OFFSET,
} GlintImageOriginKind;

/* Starts filling an empty image from the file @name in @format. */
void glint_image_begin(GlintImage *image, const char *name, GlintImageFormat format,
		       GlintImageOriginKind kind);
/* Registers a label for LABEL origins; returns its index. */
guint glint_image_add_label(GlintImage *image, const char *label);
/* Queues @len bytes at @address from @origin (line, label index or file
 * offset); fails when they run past 0xFFFFFFFF. */
gboolean glint_image_add_piece(GlintImage *image, guint32 address, const guint8 *data, gsize len,
			       guint32 origin, GError **error);
/* Sorts and merges the queued pieces into segments; fails on disagreeing
 * overlaps and on an empty image. */
gboolean glint_image_finish(GlintImage *image, GError **error);
/* "fw.hex:12", "fw.elf section .data", "fw.bin offset 0x100". */
gchar *glint_image_format_origin(GlintImage *image, guint32 origin);

/* Records the start address given at @origin; a second, different one is an
 * error naming both. */
gboolean glint_image_set_start_from(GlintImage *image, guint32 address, guint32 origin,
				    GError **error);

/* Sets a GLINT_ERROR_BAD_IMAGE "name:line: message" error. */
void glint_image_set_line_error(GError **error, const char *name, guint line, const char *format,
				...) G_GNUC_PRINTF(4, 5);

/* The format parsers (each fills a fresh image begun by itself). */
gboolean glint_image_parse_ihex(GlintImage *image, const guint8 *data, gsize len, const char *name,
				GError **error);
gboolean glint_image_parse_srec(GlintImage *image, const guint8 *data, gsize len, const char *name,
				GError **error);
gboolean glint_image_parse_elf(GlintImage *image, const guint8 *data, gsize len, const char *name,
			       GError **error);

/* The text writers append the whole image to @out. */
void glint_image_write_ihex(GlintImage *image, GString *out);
void glint_image_write_srec(GlintImage *image, GString *out);

/* Value of an ASCII hex digit plus one, 0 for anything else (so that a
 * zero-initialised table marks every other byte invalid). */
extern const guint8 glint_image_hex_digit[256];

/* Decodes @n_chars hex digits at @text into @out; returns the index of the
 * first bad character, or -1 when all are hex. */
gssize glint_image_decode_hex(const char *text, gsize n_chars, guint8 *out);

/* A printable rendering of one character for messages: 'G' or \x00. */
void glint_image_describe_char(char c, char out[8]);

/* The records of a text file without what editors and old tools leave
 * around them: a UTF-8 byte-order mark in front; line ends, blanks, NUL
 * bytes and a DOS end-of-file (Ctrl-Z) after the last record. */
void glint_image_text_trim(const guint8 *data, gsize len, gsize *start, gsize *text_len);
/* The same, refusing with a message naming the cause what cannot be read as
 * text: UTF-16, a NUL byte between records, nothing but padding. */
gboolean glint_image_text_prepare(const guint8 *data, gsize len, const char *name,
				  const guint8 **text, gsize *text_len, GError **error);

/* One line of a text format, without its line ending and surrounding
 * blanks; @indent counts the blanks cut from the front (for columns). */
typedef struct {
	const char *text;
	gsize len;
	guint number; /* 1-based */
	guint indent;
} GlintImageLine;

/* Splits @data into lines (ended by LF, CR LF or a lone CR, as editors
 * count them) in place and calls @func with each; stops when
 * @func returns FALSE. @n_lines gets the number of lines seen. */
typedef gboolean (*GlintImageLineFunc)(const GlintImageLine *line, gpointer user_data,
				       GError **error);
gboolean glint_image_foreach_line(const guint8 *data, gsize len, GlintImageLineFunc func,
				  gpointer user_data, guint *n_lines, GError **error);

G_END_DECLS
