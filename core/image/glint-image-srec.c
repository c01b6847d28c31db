/* glint-image-srec.c: Motorola S-record reader and writer.
 *
 * A record is "S<type><count><address><data><checksum>": count covers the
 * address, data and checksum bytes; the checksum is the ones' complement of
 * the low byte of the sum of count, address and data. S0 is a header, S1-S3
 * carry data with 16/24/32-bit addresses, S5/S6 count the data records so
 * far, S7-S9 give the start address and end the file. */
#define G_LOG_DOMAIN "glint-image"

#include "glint-i18n.h"
#include "glint-image-private.h"

#include <string.h>

/* The count byte plus at most 255 bytes it covers. */
#define SREC_MAX_BYTES 256
/* Bytes per data record we write (objcopy's default). */
#define SREC_WRITE_DATA 16
#define SREC_S5_MAX 0xFFFFu
#define SREC_S6_MAX 0xFFFFFFu

typedef struct {
	GlintImage *image;
	const char *name;
	guint n_data;	/* S1/S2/S3 records seen */
	guint end_line; /* line of the S7/S8/S9 record, 0 before it */
} SrecParser;

/* Address field width in bytes per record type; 0 for the unused S4. */
static const guint srec_addr_len[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

static guint32
be_n(const guint8 *b, guint n)
{
	guint32 v = 0;
	for (guint i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

static gboolean
srec_record(SrecParser *p, guint line, guint type, const guint8 *rec, guint count, GError **error)
{
	guint alen = srec_addr_len[type];
	guint32 addr = be_n(rec + 1, alen);
	const guint8 *data = rec + 1 + alen;
	guint n_data = count - alen - 1;

	switch (type) {
	case 0:
		/* Header: free text, nothing to program. */
		return TRUE;
	case 1:
	case 2:
	case 3:
		p->n_data++;
		return glint_image_add_piece(p->image, addr, data, n_data, line, error);
	case 5:
	case 6:
		if (n_data != 0) {
			glint_image_set_line_error(
			    error, p->name, line,
			    _("an S%u count record carries no data, this one "
			      "has %u bytes"),
			    type, n_data);
			return FALSE;
		}
		/* The S6 count is 24-bit, so compare modulo its width too. */
		if (addr != (p->n_data & (type == 5 ? SREC_S5_MAX : SREC_S6_MAX))) {
			glint_image_set_line_error(error, p->name, line,
						   _("the S%u record counts %u data records, the "
						     "file has %u before it; records are missing "
						     "or duplicated"),
						   type, addr, p->n_data);
			return FALSE;
		}
		return TRUE;
	default:
		break;
	}
	/* S7, S8, S9: start address, end of file. */
	if (n_data != 0) {
		glint_image_set_line_error(error, p->name, line,
					   _("an S%u end record carries no data, this one has %u "
					     "bytes"),
					   type, n_data);
		return FALSE;
	}
	p->end_line = line;
	return glint_image_set_start_from(p->image, addr, line, error);
}

static gboolean
srec_line(const GlintImageLine *l, gpointer user_data, GError **error)
{
	const char *text = l->text;
	gsize len = l->len;
	guint line = l->number;
	SrecParser *p = user_data;
	guint8 rec[SREC_MAX_BYTES];
	char what[8];

	if (len == 0)
		return TRUE;
	if (p->end_line != 0) {
		glint_image_set_line_error(
		    error, p->name, line,
		    _("data after the end record of line %u; the file may be "
		      "two files joined"),
		    p->end_line);
		return FALSE;
	}
	if (text[0] != 'S') {
		glint_image_describe_char(text[0], what);
		glint_image_set_line_error(error, p->name, line,
					   _("column %u: a record starts with 'S', not %s"),
					   l->indent + 1, what);
		return FALSE;
	}
	if (len < 2 || !g_ascii_isdigit(text[1]) || text[1] == '4') {
		if (len < 2)
			g_strlcpy(what, _("nothing"), sizeof what);
		else
			glint_image_describe_char(text[1], what);
		glint_image_set_line_error(
		    error, p->name, line, _("unknown record type %s (S-records have S0-S3, S5-S9)"),
		    what);
		return FALSE;
	}
	guint type = (guint)(text[1] - '0');
	gsize n_digits = len - 2;
	gssize bad = glint_image_decode_hex(text + 2, MIN(n_digits, (gsize)2 * sizeof rec), rec);
	if (bad >= 0) {
		glint_image_describe_char(text[2 + bad], what);
		glint_image_set_line_error(error, p->name, line,
					   _("column %u: %s is not a hex digit"),
					   l->indent + (guint)bad + 3, what);
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
	if (n_digits < 2) {
		glint_image_set_line_error(error, p->name, line, _("the record has no byte count"));
		return FALSE;
	}
	guint count = rec[0];
	if (n_digits / 2 != (gsize)count + 1) {
		glint_image_set_line_error(
		    error, p->name, line, _("the record says %u bytes follow the count but %zu do"),
		    count, n_digits / 2 - 1);
		return FALSE;
	}
	guint alen = srec_addr_len[type];
	if (count < alen + 1) {
		glint_image_set_line_error(
		    error, p->name, line,
		    _("an S%u record needs at least %u bytes after the count "
		      "(%u-byte address and checksum), this one has %u"),
		    type, alen + 1, alen, count);
		return FALSE;
	}
	guint8 sum = 0;
	for (guint i = 0; i < count; i++)
		sum += rec[i];
	guint8 want = (guint8)~sum;
	guint8 have = rec[count];
	if (want != have) {
		glint_image_set_line_error(error, p->name, line,
					   _("checksum is 0x%02X, the record says 0x%02X"), want,
					   have);
		return FALSE;
	}
	return srec_record(p, line, type, rec, count, error);
}

gboolean
glint_image_parse_srec(GlintImage *image, const guint8 *data, gsize len, const char *name,
		       GError **error)
{
	SrecParser p = {.image = image, .name = name};
	guint n_lines = 0;
	if (!glint_image_foreach_line(data, len, srec_line, &p, &n_lines, error))
		return FALSE;
	if (p.end_line == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s:%u: the file ends without an S7, S8 or S9 end record; it looks "
			      "truncated"),
			    name, n_lines);
		return FALSE;
	}
	return TRUE;
}

/* ---- writer ---- */

static const char hex_upper[] = "0123456789ABCDEF";

static void
srec_put(GString *out, guint type, guint32 addr, const guint8 *data, guint len)
{
	char line[4 + 2 * SREC_MAX_BYTES + 1];
	guint alen = srec_addr_len[type];
	guint8 head[5];
	guint8 sum = 0;
	gsize n = 0;
	head[0] = (guint8)(alen + len + 1);
	for (guint i = 0; i < alen; i++)
		head[1 + i] = (guint8)(addr >> (8 * (alen - 1 - i)));
	line[n++] = 'S';
	line[n++] = (char)('0' + type);
	for (guint i = 0; i < 1 + alen; i++) {
		line[n++] = hex_upper[head[i] >> 4];
		line[n++] = hex_upper[head[i] & 0xF];
		sum += head[i];
	}
	for (guint i = 0; i < len; i++) {
		line[n++] = hex_upper[data[i] >> 4];
		line[n++] = hex_upper[data[i] & 0xF];
		sum += data[i];
	}
	sum = (guint8)~sum;
	line[n++] = hex_upper[sum >> 4];
	line[n++] = hex_upper[sum & 0xF];
	line[n++] = '\n';
	g_string_append_len(out, line, n);
}

void
glint_image_write_srec(GlintImage *image, GString *out)
{
	static const guint8 header[] = "glint";
	guint32 end = 0, start = 0;
	guint n_records = 0;

	/* The narrowest address field that fits every record, as objcopy
	 * chooses. */
	glint_image_get_bounds(image, NULL, &end);
	glint_image_get_start_address(image, &start);
	guint32 highest = MAX(end > 0 ? end - 1 : 0, start);
	guint data_type = highest <= 0xFFFFu ? 1 : (highest <= 0xFFFFFFu ? 2 : 3);
	srec_put(out, 0, 0, header, sizeof header - 1);
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(seg->data, &len);
		for (gsize pos = 0; pos < len; pos += SREC_WRITE_DATA) {
			guint n = (guint)MIN((gsize)SREC_WRITE_DATA, len - pos);
			srec_put(out, data_type, seg->address + (guint32)pos, data + pos, n);
			n_records++;
		}
	}
	if (n_records <= SREC_S5_MAX)
		srec_put(out, 5, n_records, NULL, 0);
	else if (n_records <= SREC_S6_MAX)
		srec_put(out, 6, n_records, NULL, 0);
	/* S3 pairs with S7, S2 with S8, S1 with S9. */
	srec_put(out, 10 - data_type, start, NULL, 0);
}
