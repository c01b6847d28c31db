/* glint-image-text.c: what the two text formats share: splitting lines in
 * place and decoding hex digits through a table. */
#define G_LOG_DOMAIN "glint-image"

#include "glint-i18n.h"
#include "glint-image-private.h"

#include <string.h>

const guint8 glint_image_hex_digit[256] = {
    ['0'] = 1,	['1'] = 2,  ['2'] = 3,	['3'] = 4,  ['4'] = 5,	['5'] = 6,  ['6'] = 7,	['7'] = 8,
    ['8'] = 9,	['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

gssize
glint_image_decode_hex(const char *text, gsize n_chars, guint8 *out)
{
	const guint8 *t = (const guint8 *)text;
	for (gsize i = 0; i + 1 < n_chars; i += 2) {
		guint8 hi = glint_image_hex_digit[t[i]];
		guint8 lo = glint_image_hex_digit[t[i + 1]];
		if (hi == 0 || lo == 0)
			return hi == 0 ? (gssize)i : (gssize)i + 1;
		out[i / 2] = (guint8)(((hi - 1) << 4) | (lo - 1));
	}
	if (n_chars % 2 != 0 && glint_image_hex_digit[t[n_chars - 1]] == 0)
		return (gssize)n_chars - 1;
	return -1;
}

void
glint_image_describe_char(char c, char out[8])
{
	guint8 u = (guint8)c;
	if (u >= 0x20 && u < 0x7F)
		g_snprintf(out, 8, "'%c'", c);
	else
		g_snprintf(out, 8, "\\x%02X", u);
}

static gboolean
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The UTF-8 encoding of U+FEFF, which some Windows editors put in front of
 * every file they save. */
static const guint8 utf8_bom[3] = {0xEF, 0xBB, 0xBF};
/* DOS tools ended text files with Ctrl-Z (SUB). */
#define TEXT_DOS_EOF 0x1A

/* What can follow the last record without meaning anything: line ends,
 * blanks, NUL bytes (a buffer written out whole) and a DOS end-of-file. */
static gboolean
is_padding(guint8 c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == TEXT_DOS_EOF;
}

void
glint_image_text_trim(const guint8 *data, gsize len, gsize *start, gsize *text_len)
{
	gsize s = 0, e = len;
	if (len >= sizeof utf8_bom && memcmp(data, utf8_bom, sizeof utf8_bom) == 0)
		s = sizeof utf8_bom;
	while (e > s && is_padding(data[e - 1]))
		e--;
	*start = s;
	*text_len = e - s;
}

/* Line and column (1-based, lines ended by LF, CR LF or a lone CR) of
 * byte @pos of @text. */
static void
text_position(const guint8 *text, gsize pos, guint *line, guint *column)
{
	gsize line_start = 0;
	*line = 1;
	for (gsize i = 0; i < pos; i++) {
		if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n')) {
			(*line)++;
			line_start = i + 1;
		}
	}
	*column = (guint)(pos - line_start + 1);
}

static const char *
padding_description(const guint8 *data, gsize len)
{
	gboolean nul = memchr(data, '\0', len) != NULL;
	gboolean blank = FALSE;
	for (gsize i = 0; i < len && !blank; i++)
		blank = data[i] != '\0' && data[i] != TEXT_DOS_EOF;
	if (nul && blank)
		return _("the file holds only NUL bytes and blank lines");
	if (nul)
		return _("the file holds only NUL bytes");
	if (blank)
		return _("the file holds only blank lines");
	return _("the file holds no records");
}

gboolean
glint_image_text_prepare(const guint8 *data, gsize len, const char *name, const guint8 **text,
			 gsize *text_len, GError **error)
{
	gsize start = 0, n = 0;
	const guint8 *nul;

	/* UTF-16 (Windows "Unicode"): every other byte is NUL. Reading it
	 * as ASCII could only blame the first record. */
	if (len >= 2 &&
	    ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: the file is UTF-16 text (byte-order mark %02X %02X); save it as "
			      "plain ASCII (or UTF-8) and try again"),
			    name, data[0], data[1]);
		return FALSE;
	}
	glint_image_text_trim(data, len, &start, &n);
	if (n == 0) {
		const char *what = len == sizeof utf8_bom && start == sizeof utf8_bom
				       ? _("the file holds only a UTF-8 byte-order mark")
				       : padding_description(data + start, len - start);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: nothing to program: %s"), name, what);
		return FALSE;
	}
	nul = memchr(data + start, '\0', n);
	if (nul != NULL) {
		guint line, column;
		text_position(data + start, (gsize)(nul - (data + start)), &line, &column);
		glint_image_set_line_error(
		    error, name, line,
		    _("column %u: a NUL byte in the middle of the text; the "
		      "file is damaged or not a text file (NUL bytes are only "
		      "accepted as padding after the last record)"),
		    column);
		return FALSE;
	}
	*text = data + start;
	*text_len = n;
	return TRUE;
}

gboolean
glint_image_foreach_line(const guint8 *data, gsize len, GlintImageLineFunc func, gpointer user_data,
			 guint *n_lines, GError **error)
{
	const char *p = (const char *)data;
	const char *end = p + len;
	/* The next LF and CR at or after p, found once each rather than per
	 * line: a file with CR-only line ends has no LF at all. */
	const char *next_lf = NULL, *next_cr = NULL;
	guint number = 0;
	while (p < end) {
		if (next_lf == NULL || next_lf < p) {
			next_lf = memchr(p, '\n', end - p);
			if (next_lf == NULL)
				next_lf = end;
		}
		if (next_cr == NULL || next_cr < p) {
			next_cr = memchr(p, '\r', end - p);
			if (next_cr == NULL)
				next_cr = end;
		}
		const char *line_end = next_lf;
		const char *next = next_lf < end ? next_lf + 1 : end;
		/* A CR not followed by LF ends a line too (old Mac files). */
		if (next_cr < next_lf && next_cr + 1 < next_lf) {
			line_end = next_cr;
			next = next_cr + 1;
		}
		const char *s = p, *e = line_end;
		number++;
		/* Blanks around a record (CR of CRLF, stray spaces) carry no
		 * meaning in either format. */
		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		GlintImageLine line = {.text = s,
				       .len = e - s,
				       .number = number,
				       .indent = (guint)MIN(s - p, (gssize)G_MAXUINT)};
		if (!func(&line, user_data, error)) {
			if (n_lines != NULL)
				*n_lines = number;
			return FALSE;
		}
		p = next;
	}
	if (n_lines != NULL)
		*n_lines = number;
	return TRUE;
}
