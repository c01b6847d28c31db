/* glint-image-text.c: what the two text formats share: splitting lines in
 * place and decoding hex digits through a table. */
#define G_LOG_DOMAIN "glint-image"

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

gboolean
glint_image_foreach_line(const guint8 *data, gsize len, GlintImageLineFunc func, gpointer user_data,
			 guint *n_lines, GError **error)
{
	const char *p = (const char *)data;
	const char *end = p + len;
	guint number = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *line_end = nl != NULL ? nl : end;
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
		p = nl != NULL ? nl + 1 : end;
	}
	if (n_lines != NULL)
		*n_lines = number;
	return TRUE;
}
