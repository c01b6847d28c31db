/* glint-image-ihex.c: Intel HEX (record types 00-05) reader and writer.
 *
 * A record is ":LLAAAATT<LL data bytes>CC" where CC makes the byte sum zero.
 * Type 02 sets a segment base (value * 16, offsets wrap at 64 KiB inside the
 * segment), type 04 the upper 16 bits of a linear address, 03 and 05 give a
 * start address, 01 ends the file. */
#define G_LOG_DOMAIN "glint-image"

#include "glint-i18n.h"
#include "glint-image-private.h"

#include <string.h>

#define IHEX_DATA 0x00
#define IHEX_END_OF_FILE 0x01
#define IHEX_EXT_SEGMENT 0x02
#define IHEX_START_SEGMENT 0x03
#define IHEX_EXT_LINEAR 0x04
#define IHEX_START_LINEAR 0x05
/* Byte count, two address bytes, type and checksum around the data. */
#define IHEX_OVERHEAD 5
#define IHEX_MAX_DATA 255
/* Bytes per data record we write, as objcopy does. */
#define IHEX_WRITE_DATA 16
#define IHEX_SEGMENT_SIZE 0x10000u

typedef struct {
	GlintImage *image;
	const char *name;
	guint32 base;	    /* from the last 02 or 04 record */
	gboolean segmented; /* the base came from 02: offsets wrap at 64 KiB */
	guint end_line;	    /* line of the 01 record, 0 before it */
} IhexParser;

static gboolean
ihex_data(IhexParser *p, guint line, guint16 offset, const guint8 *data, guint len, GError **error)
{
	/* In a segment (type 02) the offset wraps inside the 64 KiB window;
	 * a linear base (type 04) is simply added. */
	if (p->segmented && (guint32)offset + len > IHEX_SEGMENT_SIZE) {
		guint first = IHEX_SEGMENT_SIZE - offset;
		if (!glint_image_add_piece(p->image, p->base + offset, data, first, line, error))
			return FALSE;
		return glint_image_add_piece(p->image, p->base, data + first, len - first, line,
					     error);
	}
	return glint_image_add_piece(p->image, p->base + offset, data, len, line, error);
}

static gboolean
ihex_expect_len(IhexParser *p, guint line, guint type, guint len, guint want, GError **error)
{
	if (len == want)
		return TRUE;
	glint_image_set_line_error(error, p->name, line,
				   _("record type %02X needs %u data bytes, the record has %u"),
				   type, want, len);
	return FALSE;
}

static guint32
be16(const guint8 *b)
{
	return ((guint32)b[0] << 8) | b[1];
}

static guint32
be32(const guint8 *b)
{
	return ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
}

static gboolean
ihex_record(IhexParser *p, guint line, const guint8 *rec, guint n_data, GError **error)
{
	guint type = rec[3];
	const guint8 *data = rec + 4;
	switch (type) {
	case IHEX_DATA:
		return ihex_data(p, line, (guint16)be16(rec + 1), data, n_data, error);
	case IHEX_END_OF_FILE:
		if (!ihex_expect_len(p, line, type, n_data, 0, error))
			return FALSE;
		p->end_line = line;
		return TRUE;
	case IHEX_EXT_SEGMENT:
		if (!ihex_expect_len(p, line, type, n_data, 2, error))
			return FALSE;
		p->base = be16(data) << 4;
		p->segmented = TRUE;
		return TRUE;
	case IHEX_EXT_LINEAR:
		if (!ihex_expect_len(p, line, type, n_data, 2, error))
			return FALSE;
		p->base = be16(data) << 16;
		p->segmented = FALSE;
		return TRUE;
	case IHEX_START_SEGMENT:
		/* CS:IP, as a linear address the way objcopy reads it. */
		if (!ihex_expect_len(p, line, type, n_data, 4, error))
			return FALSE;
		return glint_image_set_start_from(p->image, (be16(data) << 4) + be16(data + 2),
						  line, error);
	case IHEX_START_LINEAR:
		if (!ihex_expect_len(p, line, type, n_data, 4, error))
			return FALSE;
		return glint_image_set_start_from(p->image, be32(data), line, error);
	default:
		break;
	}
	glint_image_set_line_error(error, p->name, line,
				   _("unknown record type %02X (Intel HEX has types 00-05)"), type);
	return FALSE;
}

static gboolean
ihex_line(const GlintImageLine *l, gpointer user_data, GError **error)
{
	const char *text = l->text;
	gsize len = l->len;
	guint line = l->number;
	IhexParser *p = user_data;
	guint8 rec[IHEX_OVERHEAD + IHEX_MAX_DATA];
	char what[8];

	if (len == 0)
		return TRUE;
	if (p->end_line != 0) {
		glint_image_set_line_error(error, p->name, line,
					   _("data after the end-of-file record of line %u; the "
					     "file may be two files joined"),
					   p->end_line);
		return FALSE;
	}
	if (text[0] != ':') {
		glint_image_describe_char(text[0], what);
		glint_image_set_line_error(error, p->name, line,
					   _("column %u: a record starts with ':', not %s"),
					   l->indent + 1, what);
		return FALSE;
	}
	/* Decode at most what the longest record can hold; the byte count
	 * check below catches longer lines. */
	gsize n_chars = MIN(len - 1, (gsize)2 * sizeof rec);
	gssize bad = glint_image_decode_hex(text + 1, n_chars, rec);
	if (bad >= 0) {
		glint_image_describe_char(text[1 + bad], what);
		glint_image_set_line_error(error, p->name, line,
					   _("column %u: %s is not a hex digit"),
					   l->indent + (guint)bad + 2, what);
		return FALSE;
	}
	gsize n_digits = len - 1;
	if (n_digits < 2 * IHEX_OVERHEAD) {
		glint_image_set_line_error(error, p->name, line,
					   _("record too short (%"
					     "zu"
					     " hex digits, at least %u needed)"),
					   n_digits, 2 * IHEX_OVERHEAD);
		return FALSE;
	}
	if (n_digits % 2 != 0) {
		glint_image_set_line_error(error, p->name, line,
					   _("odd number of hex digits (%"
					     "zu"
					     "); the last byte is cut in half"),
					   n_digits);
		return FALSE;
	}
	guint count = rec[0];
	if (n_digits != 2 * ((gsize)count + IHEX_OVERHEAD)) {
		glint_image_set_line_error(error, p->name, line,
					   _("the record says %u data bytes but holds %"
					     "zu"),
					   count, n_digits / 2 - IHEX_OVERHEAD);
		return FALSE;
	}
	guint8 sum = 0;
	for (guint i = 0; i < count + IHEX_OVERHEAD - 1; i++)
		sum += rec[i];
	guint8 want = (guint8)(0x100 - sum);
	guint8 have = rec[count + IHEX_OVERHEAD - 1];
	if (want != have) {
		glint_image_set_line_error(error, p->name, line,
					   _("checksum is 0x%02X, the record says 0x%02X"), want,
					   have);
		return FALSE;
	}
	return ihex_record(p, line, rec, count, error);
}

gboolean
glint_image_parse_ihex(GlintImage *image, const guint8 *data, gsize len, const char *name,
		       GError **error)
{
	IhexParser p = {.image = image, .name = name};
	guint n_lines = 0;
	if (!glint_image_foreach_line(data, len, ihex_line, &p, &n_lines, error))
		return FALSE;
	if (p.end_line == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s:%u: the file ends without an end-of-file record (:00000001FF); "
			      "it looks truncated"),
			    name, n_lines);
		return FALSE;
	}
	return TRUE;
}

/* ---- writer ---- */

static const char hex_upper[] = "0123456789ABCDEF";

/* Appends one record; @data may be NULL when @len is 0. */
static void
ihex_put(GString *out, guint type, guint16 offset, const guint8 *data, guint len)
{
	char line[1 + 2 * (IHEX_OVERHEAD + IHEX_MAX_DATA) + 1];
	guint8 head[4] = {(guint8)len, (guint8)(offset >> 8), (guint8)offset, (guint8)type};
	guint8 sum = 0;
	gsize n = 0;
	line[n++] = ':';
	for (guint i = 0; i < 4; i++) {
		line[n++] = hex_upper[head[i] >> 4];
		line[n++] = hex_upper[head[i] & 0xF];
		sum += head[i];
	}
	for (guint i = 0; i < len; i++) {
		line[n++] = hex_upper[data[i] >> 4];
		line[n++] = hex_upper[data[i] & 0xF];
		sum += data[i];
	}
	sum = (guint8)(0x100 - sum);
	line[n++] = hex_upper[sum >> 4];
	line[n++] = hex_upper[sum & 0xF];
	line[n++] = '\n';
	g_string_append_len(out, line, n);
}

void
glint_image_write_ihex(GlintImage *image, GString *out)
{
	guint32 upper = 0;
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(seg->data, &len);
		gsize pos = 0;
		while (pos < len) {
			guint32 addr = seg->address + (guint32)pos;
			if ((addr >> 16) != upper) {
				guint8 ext[2] = {(guint8)(addr >> 24), (guint8)(addr >> 16)};
				upper = addr >> 16;
				ihex_put(out, IHEX_EXT_LINEAR, 0, ext, 2);
			}
			/* A record never crosses a 64 KiB boundary: its
			 * offset is only 16 bits. */
			gsize n = MIN((gsize)IHEX_WRITE_DATA, len - pos);
			n = MIN(n, (gsize)(IHEX_SEGMENT_SIZE - (addr & 0xFFFF)));
			ihex_put(out, IHEX_DATA, (guint16)addr, data + pos, (guint)n);
			pos += n;
		}
	}
	guint32 start = 0;
	if (glint_image_get_start_address(image, &start)) {
		guint8 b[4] = {(guint8)(start >> 24), (guint8)(start >> 16), (guint8)(start >> 8),
			       (guint8)start};
		ihex_put(out, IHEX_START_LINEAR, 0, b, 4);
	}
	ihex_put(out, IHEX_END_OF_FILE, 0, NULL, 0);
}
