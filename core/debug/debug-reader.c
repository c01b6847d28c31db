/* debug-reader.c: bounded little-endian reads over one section's bytes. A
 * read past the end never touches memory beyond it: it marks the reader bad
 * and yields zeros, so a parser checks once per record rather than per
 * field. */
#include "debug-private.h"

#include <string.h>

/* A ULEB128 of more than this many bytes does not fit 64 bits */
#define LEB128_MAX_BYTES 10

void
debug_reader_init(DebugReader *r, const guint8 *data, gsize len, gsize pos)
{
	r->data = data;
	r->len = len;
	r->pos = pos;
	r->bad = pos > len;
}

static gboolean
debug_reader_take(DebugReader *r, gsize n)
{
	if (r->bad || n > r->len - r->pos) {
		r->bad = TRUE;
		r->pos = r->len;
		return FALSE;
	}
	return TRUE;
}

guint8
debug_read_u8(DebugReader *r)
{
	if (!debug_reader_take(r, 1))
		return 0;
	return r->data[r->pos++];
}

guint64
debug_read_sized(DebugReader *r, guint size)
{
	guint64 v = 0;
	if (!debug_reader_take(r, size))
		return 0;
	for (guint i = 0; i < size; i++)
		v |= (guint64)r->data[r->pos + i] << (8 * i);
	r->pos += size;
	return v;
}

guint16
debug_read_u16(DebugReader *r)
{
	return (guint16)debug_read_sized(r, 2);
}

guint32
debug_read_u32(DebugReader *r)
{
	return (guint32)debug_read_sized(r, 4);
}

guint64
debug_read_u64(DebugReader *r)
{
	return debug_read_sized(r, 8);
}

guint64
debug_read_uleb(DebugReader *r)
{
	guint64 v = 0;
	for (guint i = 0; i < LEB128_MAX_BYTES; i++) {
		guint8 b = debug_read_u8(r);
		if (r->bad)
			return 0;
		/* bits beyond 64 are dropped */
		v |= (guint64)(b & 0x7F) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	r->bad = TRUE;
	return 0;
}

gint64
debug_read_sleb(DebugReader *r)
{
	guint64 v = 0;
	guint shift = 0;
	guint8 b = 0;
	for (guint i = 0; i < LEB128_MAX_BYTES; i++) {
		b = debug_read_u8(r);
		if (r->bad)
			return 0;
		if (shift < 64)
			v |= (guint64)(b & 0x7F) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= ~G_GUINT64_CONSTANT(0) << shift;
			return (gint64)v;
		}
	}
	r->bad = TRUE;
	return 0;
}

const char *
debug_string_at(const guint8 *data, gsize len, guint64 offset)
{
	const guint8 *nul;
	if (data == NULL || offset >= len)
		return NULL;
	nul = memchr(data + offset, '\0', len - (gsize)offset);
	return nul != NULL ? (const char *)data + offset : NULL;
}

const char *
debug_read_cstr(DebugReader *r)
{
	const char *s;
	if (r->bad)
		return NULL;
	s = debug_string_at(r->data, r->len, r->pos);
	if (s == NULL) {
		r->bad = TRUE;
		r->pos = r->len;
		return NULL;
	}
	r->pos += strlen(s) + 1;
	return s;
}

void
debug_skip(DebugReader *r, guint64 n)
{
	if (r->bad || n > r->len - r->pos) {
		r->bad = TRUE;
		r->pos = r->len;
		return;
	}
	r->pos += (gsize)n;
}

gboolean
debug_reader_at_end(const DebugReader *r)
{
	return r->bad || r->pos >= r->len;
}
