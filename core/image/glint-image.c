/* glint-image.c: the memory image type (segments, origins, start address),
 * loading dispatch, range checks, CRC-32 and saving. */
#define G_LOG_DOMAIN "glint-image"

#include "glint-i18n.h"
#include "glint-image-private.h"

#include "glint-file.h"

#include <pthread.h>
#include <string.h>

/* A .bin spanning more than this is almost certainly two far-apart areas
 * (flash and RAM, say); refuse rather than write gigabytes of 0xFF. */
#define GLINT_IMAGE_BIN_MAX_SPAN (256u * 1024u * 1024u)
/* Files larger than this are not firmware (the biggest STM32 flash is a few
 * MiB, about three times that as text). */
#define GLINT_IMAGE_MAX_FILE (256u * 1024u * 1024u)
/* Flash reads back 0xFF where nothing was programmed. */
#define GLINT_IMAGE_ERASED_BYTE 0xFF
/* Merged origins longer than this stop growing ("a, b, ..."). */
#define GLINT_IMAGE_ORIGIN_MAX 160
/* How many distinct labels a segment origin lists before "and N more". */
#define GLINT_IMAGE_ORIGIN_MAX_LABELS 4

typedef struct {
	guint32 address;
	guint32 len;
	guint32 origin; /* line, label index or file offset */
	guint32 seq;	/* order in the file, for stable sorting */
	gsize offset;	/* into the pool while building */
} GlintImagePiece;

typedef struct {
	GlintImageSegment pub; /* never changed in place: readers may share it */
	const guint8 *bytes;   /* pub.data's contents, for the hot paths */
	gsize len;
} GlintImageSeg;

struct _GlintImage {
	gint ref_count;
	gchar *name;
	GlintImageFormat format;
	GlintImageOriginKind kind;
	GArray *segs;	   /* GlintImageSeg, sorted, disjoint, non-adjacent */
	GArray *pieces;	   /* GlintImagePiece, sorted by address after finish */
	GByteArray *pool;  /* piece bytes until finish */
	GPtrArray *labels; /* gchar* */
	gboolean unsorted; /* pieces arrived out of address order */
	gboolean has_start;
	guint32 start;
	gboolean start_has_origin;
	guint32 start_origin;
};

static void
glint_image_seg_clear(gpointer data)
{
	GlintImageSeg *seg = data;
	g_clear_pointer(&seg->pub.data, g_bytes_unref);
	g_clear_pointer(&seg->pub.origin, g_free);
}

GlintImage *
glint_image_new(void)
{
	GlintImage *image = g_new0(GlintImage, 1);
	image->ref_count = 1;
	image->segs = g_array_new(FALSE, TRUE, sizeof(GlintImageSeg));
	g_array_set_clear_func(image->segs, glint_image_seg_clear);
	image->labels = g_ptr_array_new_with_free_func(g_free);
	return image;
}

GlintImage *
glint_image_ref(GlintImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	g_atomic_int_inc(&image->ref_count);
	return image;
}

void
glint_image_unref(GlintImage *image)
{
	if (image == NULL || !g_atomic_int_dec_and_test(&image->ref_count))
		return;
	g_array_unref(image->segs);
	if (image->pieces != NULL)
		g_array_unref(image->pieces);
	if (image->pool != NULL)
		g_byte_array_unref(image->pool);
	g_ptr_array_unref(image->labels);
	g_free(image->name);
	g_free(image);
}

static GlintImageSeg *
seg_at(GlintImage *image, guint i)
{
	return &g_array_index(image->segs, GlintImageSeg, i);
}

static guint64
seg_end(const GlintImageSeg *seg)
{
	return (guint64)seg->pub.address + seg->len;
}

/* Gives the segment new bytes (taking @data). Images are read from several
 * threads (UI, job), so getters never build anything lazily. */
static void
seg_set_data(GlintImageSeg *seg, GBytes *data)
{
	g_clear_pointer(&seg->pub.data, g_bytes_unref);
	seg->pub.data = data;
	seg->bytes = g_bytes_get_data(data, &seg->len);
}

/* "a" + "b" -> "a, b", bounded so that thousands of merges stay readable. */
static gchar *
origin_join(const char *a, const char *b)
{
	if (g_strcmp0(a, b) == 0 || b == NULL)
		return g_strdup(a);
	if (a == NULL)
		return g_strdup(b);
	if (g_str_has_suffix(a, ", ..."))
		return g_strdup(a);
	if (strlen(a) + strlen(b) > GLINT_IMAGE_ORIGIN_MAX)
		return g_strdup_printf("%s, ...", a);
	return g_strdup_printf("%s, %s", a, b);
}

/* Index of the first segment that ends at or after @address (adjacent
 * segments count, so that they merge). */
static guint
seg_find(GlintImage *image, guint64 address)
{
	guint lo = 0, hi = image->segs->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (seg_end(seg_at(image, mid)) < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static gboolean
check_overlap(GlintImageSeg *seg, guint32 address, const guint8 *data, gsize len,
	      const char *origin, GError **error)
{
	guint64 lo = MAX((guint64)address, seg->pub.address);
	guint64 hi = MIN((guint64)address + len, seg_end(seg));
	for (guint64 a = lo; a < hi; a++) {
		guint8 old = seg->bytes[a - seg->pub.address];
		guint8 new = data[a - address];
		if (old != new) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("%s: byte at 0x%08X is 0x%02X here but 0x%02X in %s; "
				      "overlapping data must agree"),
				    origin, (guint)a, new, old, seg->pub.origin);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
glint_image_add(GlintImage *image, guint32 address, const guint8 *data, gsize len,
		const char *origin, GError **error)
{
	g_return_val_if_fail(image != NULL, FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	if (origin == NULL)
		origin = _("data");
	guint64 end = (guint64)address + len;
	if (end > G_GUINT64_CONSTANT(0x100000000)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: %zu bytes at 0x%08X run past the end of the "
			      "32-bit address space"),
			    origin, len, address);
		return FALSE;
	}

	/* Segments [lo, hi) touch or overlap the new bytes. */
	guint lo = seg_find(image, address);
	guint hi = lo;
	while (hi < image->segs->len && seg_at(image, hi)->pub.address <= end) {
		if (!check_overlap(seg_at(image, hi), address, data, len, origin, error))
			return FALSE;
		hi++;
	}

	if (lo == hi) {
		GlintImageSeg seg = {0};
		seg.pub.address = address;
		seg.pub.origin = g_strdup(origin);
		seg_set_data(&seg, g_bytes_new(data, len));
		g_array_insert_val(image->segs, lo, seg);
		return TRUE;
	}

	GlintImageSeg *first = seg_at(image, lo);
	guint64 new_start = MIN((guint64)address, first->pub.address);
	guint64 new_end = MAX(end, seg_end(seg_at(image, hi - 1)));
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(new_end - new_start);
	g_byte_array_set_size(buf, new_end - new_start);
	/* Origins listed in address order. */
	g_autofree gchar *merged = NULL;
	gboolean listed = FALSE;
	for (guint i = lo; i <= hi; i++) {
		GlintImageSeg *seg = i < hi ? seg_at(image, i) : NULL;
		if (!listed && (seg == NULL || address < seg->pub.address)) {
			gchar *tmp = origin_join(merged, origin);
			g_free(merged);
			merged = tmp;
			listed = TRUE;
		}
		if (seg == NULL)
			break;
		gchar *tmp = origin_join(merged, seg->pub.origin);
		g_free(merged);
		merged = tmp;
		memcpy(buf->data + (seg->pub.address - new_start), seg->bytes, seg->len);
	}
	memcpy(buf->data + (address - new_start), data, len);

	if (hi - lo > 1)
		g_array_remove_range(image->segs, lo + 1, hi - lo - 1);
	first = seg_at(image, lo);
	seg_set_data(first, g_byte_array_free_to_bytes(g_steal_pointer(&buf)));
	first->pub.address = new_start;
	g_free(first->pub.origin);
	first->pub.origin = g_steal_pointer(&merged);
	return TRUE;
}

guint
glint_image_get_n_segments(GlintImage *image)
{
	g_return_val_if_fail(image != NULL, 0);
	return image->segs->len;
}

const GlintImageSegment *
glint_image_get_segment(GlintImage *image, guint index)
{
	g_return_val_if_fail(image != NULL, NULL);
	g_return_val_if_fail(index < image->segs->len, NULL);
	return &seg_at(image, index)->pub;
}

gsize
glint_image_get_size(GlintImage *image)
{
	gsize total = 0;
	g_return_val_if_fail(image != NULL, 0);
	for (guint i = 0; i < image->segs->len; i++)
		total += seg_at(image, i)->len;
	return total;
}

void
glint_image_get_bounds(GlintImage *image, guint32 *lowest, guint32 *end)
{
	guint32 lo = 0, hi = 0;
	g_return_if_fail(image != NULL);
	if (image->segs->len > 0) {
		lo = seg_at(image, 0)->pub.address;
		/* An image reaching 0xFFFFFFFF has no "one past" in 32 bits;
		 * it saturates, which only overstates by one byte. */
		hi = (guint32)MIN(seg_end(seg_at(image, image->segs->len - 1)), G_MAXUINT32);
	}
	if (lowest != NULL)
		*lowest = lo;
	if (end != NULL)
		*end = hi;
}

gboolean
glint_image_get_start_address(GlintImage *image, guint32 *address)
{
	g_return_val_if_fail(image != NULL, FALSE);
	if (image->has_start && address != NULL)
		*address = image->start;
	return image->has_start;
}

void
glint_image_set_start_address(GlintImage *image, guint32 address)
{
	g_return_if_fail(image != NULL);
	image->has_start = TRUE;
	image->start = address;
	image->start_has_origin = FALSE;
}

GlintImageFormat
glint_image_get_format(GlintImage *image)
{
	g_return_val_if_fail(image != NULL, GLINT_IMAGE_FORMAT_AUTO);
	return image->format;
}

const char *
glint_image_get_name(GlintImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	return image->name;
}

const char *
glint_image_format_to_string(GlintImageFormat format)
{
	switch (format) {
	case GLINT_IMAGE_FORMAT_AUTO:
		return _("auto");
	case GLINT_IMAGE_FORMAT_BIN:
		return _("raw binary");
	case GLINT_IMAGE_FORMAT_IHEX:
		return _("Intel HEX");
	case GLINT_IMAGE_FORMAT_SREC:
		return _("Motorola S-record");
	case GLINT_IMAGE_FORMAT_ELF:
		return "ELF";
	}
	return _("unknown");
}

gsize
glint_image_fill(GlintImage *image, guint32 address, guint8 *buf, gsize len)
{
	gsize set = 0;
	guint64 end = (guint64)address + len;
	g_return_val_if_fail(image != NULL, 0);
	for (guint i = seg_find(image, (guint64)address + 1); i < image->segs->len; i++) {
		GlintImageSeg *seg = seg_at(image, i);
		if (seg->pub.address >= end)
			break;
		guint64 lo = MAX((guint64)address, seg->pub.address);
		guint64 hi = MIN(end, seg_end(seg));
		if (lo >= hi)
			continue;
		memcpy(buf + (lo - address), seg->bytes + (lo - seg->pub.address), hi - lo);
		set += hi - lo;
	}
	return set;
}

/* ---- building from pieces ---- */

void
glint_image_begin(GlintImage *image, const char *name, GlintImageFormat format,
		  GlintImageOriginKind kind)
{
	g_free(image->name);
	image->name = g_strdup(name);
	image->format = format;
	image->kind = kind;
	image->unsorted = FALSE;
	if (image->pieces == NULL)
		image->pieces = g_array_new(FALSE, FALSE, sizeof(GlintImagePiece));
	if (image->pool == NULL)
		image->pool = g_byte_array_new();
}

guint
glint_image_add_label(GlintImage *image, const char *label)
{
	g_ptr_array_add(image->labels, g_strdup(label));
	return image->labels->len - 1;
}

gchar *
glint_image_format_origin(GlintImage *image, guint32 origin)
{
	const char *name = image->name != NULL ? image->name : _("image");
	switch (image->kind) {
	case GLINT_IMAGE_ORIGIN_LINE:
		return g_strdup_printf("%s:%u", name, origin);
	case GLINT_IMAGE_ORIGIN_LABEL:
		if (origin < image->labels->len)
			return g_strdup_printf(
			    "%s %s", name, (const char *)g_ptr_array_index(image->labels, origin));
		return g_strdup(name);
	case GLINT_IMAGE_ORIGIN_OFFSET:
		return g_strdup_printf(_("%s offset 0x%X"), name, origin);
	case GLINT_IMAGE_ORIGIN_NONE:
		break;
	}
	return g_strdup(name);
}

gboolean
glint_image_add_piece(GlintImage *image, guint32 address, const guint8 *data, gsize len,
		      guint32 origin, GError **error)
{
	if (len == 0)
		return TRUE;
	if ((guint64)address + len > G_GUINT64_CONSTANT(0x100000000)) {
		g_autofree gchar *where = glint_image_format_origin(image, origin);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: %zu bytes at 0x%08X run past the end of the "
			      "32-bit address space (0xFFFFFFFF)"),
			    where, len, address);
		return FALSE;
	}
	GlintImagePiece piece = {
	    .address = address,
	    .len = (guint32)len,
	    .origin = origin,
	    .seq = image->pieces->len,
	    .offset = image->pool->len,
	};
	if (image->pieces->len > 0) {
		const GlintImagePiece *last =
		    &g_array_index(image->pieces, GlintImagePiece, image->pieces->len - 1);
		if (address < last->address)
			image->unsorted = TRUE;
	}
	g_array_append_val(image->pieces, piece);
	g_byte_array_append(image->pool, data, len);
	return TRUE;
}

static gint
piece_cmp(gconstpointer a, gconstpointer b)
{
	const GlintImagePiece *pa = a, *pb = b;
	if (pa->address != pb->address)
		return pa->address < pb->address ? -1 : 1;
	return pa->seq < pb->seq ? -1 : (pa->seq > pb->seq ? 1 : 0);
}

/* The piece (sorted before index @before) that set the byte at @address. */
static const GlintImagePiece *
piece_covering(GlintImage *image, guint before, guint32 address)
{
	for (guint i = before; i-- > 0;) {
		const GlintImagePiece *p = &g_array_index(image->pieces, GlintImagePiece, i);
		if (p->address <= address && (guint64)address < (guint64)p->address + p->len)
			return p;
	}
	return NULL;
}

/* Another place in the same file, for a message already naming the file:
 * "at line 12", "in section .text", "at offset 0x40". */
static gchar *
origin_within(GlintImage *image, guint32 origin)
{
	switch (image->kind) {
	case GLINT_IMAGE_ORIGIN_LINE:
		return g_strdup_printf(_("at line %u"), origin);
	case GLINT_IMAGE_ORIGIN_LABEL:
		if (origin < image->labels->len)
			return g_strdup_printf(
			    _("in %s"), (const char *)g_ptr_array_index(image->labels, origin));
		break;
	case GLINT_IMAGE_ORIGIN_OFFSET:
		return g_strdup_printf(_("at offset 0x%X"), origin);
	case GLINT_IMAGE_ORIGIN_NONE:
		break;
	}
	return g_strdup(_("earlier in the file"));
}

static gboolean
overlap_error(GlintImage *image, guint index, guint32 address, guint8 new_byte, guint8 old_byte,
	      GError **error)
{
	const GlintImagePiece *p = &g_array_index(image->pieces, GlintImagePiece, index);
	const GlintImagePiece *q = piece_covering(image, index, address);
	g_autofree gchar *here = NULL;
	g_autofree gchar *there = NULL;
	guint8 here_byte = new_byte, there_byte = old_byte;
	/* Report at the later of the two places in the file; it is the one
	 * that contradicts what came before. */
	if (q != NULL && q->seq > p->seq) {
		const GlintImagePiece *t = p;
		p = q;
		q = t;
		here_byte = old_byte;
		there_byte = new_byte;
	}
	here = glint_image_format_origin(image, p->origin);
	there = q != NULL ? origin_within(image, q->origin) : g_strdup(_("earlier in the file"));
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
		    _("%s: byte at 0x%08X is 0x%02X here but 0x%02X %s; overlapping data must "
		      "agree"),
		    here, address, here_byte, there_byte, there);
	return FALSE;
}

/* The origin text of a segment built from pieces [first, last]. */
static gchar *
run_origin(GlintImage *image, guint first, guint last)
{
	const char *name = image->name != NULL ? image->name : _("image");
	GlintImagePiece *pieces = &g_array_index(image->pieces, GlintImagePiece, 0);
	if (image->kind == GLINT_IMAGE_ORIGIN_LINE) {
		guint32 lo = G_MAXUINT32, hi = 0;
		for (guint i = first; i <= last; i++) {
			lo = MIN(lo, pieces[i].origin);
			hi = MAX(hi, pieces[i].origin);
		}
		if (lo == hi)
			return g_strdup_printf("%s:%u", name, lo);
		return g_strdup_printf("%s:%u-%u", name, lo, hi);
	}
	if (image->kind == GLINT_IMAGE_ORIGIN_LABEL) {
		g_autoptr(GString) str = g_string_new(name);
		g_autoptr(GPtrArray) seen = g_ptr_array_new();
		guint more = 0;
		for (guint i = first; i <= last; i++) {
			if (pieces[i].origin >= image->labels->len)
				continue;
			const char *label = g_ptr_array_index(image->labels, pieces[i].origin);
			gboolean dup = FALSE;
			for (guint j = 0; j < seen->len && !dup; j++)
				dup = g_strcmp0(g_ptr_array_index(seen, j), label) == 0;
			if (dup)
				continue;
			if (seen->len >= GLINT_IMAGE_ORIGIN_MAX_LABELS) {
				more++;
				continue;
			}
			g_string_append(str, seen->len == 0 ? " " : ", ");
			g_string_append(str, label);
			g_ptr_array_add(seen, (gpointer)label);
		}
		if (more > 0)
			g_string_append_printf(str, _(" and %u more"), more);
		return g_string_free(g_steal_pointer(&str), FALSE);
	}
	return g_strdup(name);
}

static void
append_run(GlintImage *image, GByteArray *buf, guint32 address, guint first, guint last)
{
	GlintImageSeg seg = {0};
	seg.pub.address = address;
	seg.pub.origin = run_origin(image, first, last);
	seg_set_data(&seg, g_byte_array_free_to_bytes(buf));
	g_array_append_val(image->segs, seg);
}

static const char *
empty_hint(GlintImageFormat format)
{
	switch (format) {
	case GLINT_IMAGE_FORMAT_IHEX:
		return _("it has no data records");
	case GLINT_IMAGE_FORMAT_SREC:
		return _("it has no S1/S2/S3 data records");
	case GLINT_IMAGE_FORMAT_ELF:
		return _("it has no PT_LOAD segment with bytes in the file");
	case GLINT_IMAGE_FORMAT_BIN:
		return _("the file is empty");
	default:
		break;
	}
	return _("it defines no bytes");
}

gboolean
glint_image_finish(GlintImage *image, GError **error)
{
	GArray *pieces = image->pieces;
	if (pieces == NULL || pieces->len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: nothing to program: %s"), image->name ? image->name : _("image"),
			    empty_hint(image->format));
		return FALSE;
	}
	/* Files written in address order (nearly all) skip the sort. */
	if (image->unsorted)
		g_array_sort(pieces, piece_cmp);

	const guint8 *pool = image->pool->data;
	GByteArray *buf = NULL;
	guint32 run_start = 0;
	guint64 run_end = 0;
	guint run_first = 0;
	for (guint i = 0; i < pieces->len; i++) {
		const GlintImagePiece *p = &g_array_index(pieces, GlintImagePiece, i);
		const guint8 *bytes = pool + p->offset;
		guint64 p_end = (guint64)p->address + p->len;
		if (buf != NULL && p->address > run_end) {
			append_run(image, buf, run_start, run_first, i - 1);
			buf = NULL;
		}
		if (buf == NULL) {
			buf = g_byte_array_new();
			run_start = p->address;
			run_end = p->address;
			run_first = i;
		}
		/* Bytes already in the run must agree; the rest extends it. */
		guint64 overlap_end = MIN(p_end, run_end);
		if (overlap_end > p->address) {
			const guint8 *old = buf->data + (p->address - run_start);
			gsize n = overlap_end - p->address;
			if (memcmp(old, bytes, n) != 0) {
				gsize k = 0;
				while (old[k] == bytes[k])
					k++;
				guint8 old_byte = old[k], new_byte = bytes[k];
				g_byte_array_unref(buf);
				return overlap_error(image, i, p->address + (guint32)k, new_byte,
						     old_byte, error);
			}
		}
		if (p_end > run_end) {
			gsize skip = run_end - p->address;
			g_byte_array_append(buf, bytes + skip, p_end - run_end);
			run_end = p_end;
		}
	}
	append_run(image, buf, run_start, run_first, pieces->len - 1);
	g_clear_pointer(&image->pool, g_byte_array_unref);
	return TRUE;
}

gboolean
glint_image_set_start_from(GlintImage *image, guint32 address, guint32 origin, GError **error)
{
	if (image->has_start && image->start != address) {
		g_autofree gchar *here = glint_image_format_origin(image, origin);
		g_autofree gchar *there = image->start_has_origin
					      ? origin_within(image, image->start_origin)
					      : g_strdup(_("earlier in the file"));
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: start address 0x%08X contradicts 0x%08X given %s"), here,
			    address, image->start, there);
		return FALSE;
	}
	image->has_start = TRUE;
	image->start = address;
	image->start_has_origin = TRUE;
	image->start_origin = origin;
	return TRUE;
}

void
glint_image_set_line_error(GError **error, const char *name, guint line, const char *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE, "%s:%u: %s", name, line, msg);
}

gchar *
glint_image_get_origin_at(GlintImage *image, guint32 address)
{
	g_return_val_if_fail(image != NULL, NULL);
	/* The first place in the file that set the byte; linear, but only
	 * used for messages. */
	if (image->pieces != NULL) {
		const GlintImagePiece *best = NULL;
		for (guint i = 0; i < image->pieces->len; i++) {
			const GlintImagePiece *p =
			    &g_array_index(image->pieces, GlintImagePiece, i);
			if (p->address <= address &&
			    (guint64)address < (guint64)p->address + p->len &&
			    (best == NULL || p->seq < best->seq))
				best = p;
		}
		if (best != NULL) {
			guint32 origin = best->origin;
			if (image->kind == GLINT_IMAGE_ORIGIN_OFFSET)
				origin += address - best->address;
			return glint_image_format_origin(image, origin);
		}
	}
	guint i = seg_find(image, (guint64)address + 1);
	if (i < image->segs->len && seg_at(image, i)->pub.address <= address)
		return g_strdup(seg_at(image, i)->pub.origin);
	return NULL;
}

gboolean
glint_image_check_range(GlintImage *image, guint32 base, guint32 size, const char *what,
			GError **error)
{
	g_return_val_if_fail(image != NULL, FALSE);
	guint64 limit = (guint64)base + size;
	if (image->segs->len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: the image is empty; there is nothing to program"),
			    image->name ? image->name : _("image"));
		return FALSE;
	}
	for (guint i = 0; i < image->segs->len; i++) {
		GlintImageSeg *seg = seg_at(image, i);
		guint64 bad;
		if (seg->pub.address < base)
			bad = seg->pub.address;
		else if (seg_end(seg) > limit)
			bad = MAX((guint64)seg->pub.address, limit);
		else
			continue;
		g_autofree gchar *where = glint_image_get_origin_at(image, (guint32)bad);
		const char *hint = image->format == GLINT_IMAGE_FORMAT_BIN
				       ? _("give the binary a base address inside it")
				       : _("was the file linked for another chip?");
		if (size == 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("%s: address 0x%08X is outside %s (which is empty)"), where,
				    (guint)bad, what);
		} else {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("%s: address 0x%08X is outside %s (0x%08X-0x%08X); %s"),
				    where, (guint)bad, what, base, (guint)(limit - 1), hint);
		}
		return FALSE;
	}
	return TRUE;
}

/* ---- CRC-32 ---- */

/* Reflected IEEE 802.3 polynomial, as in zlib. */
#define GLINT_CRC32_POLY 0xEDB88320u

static guint32 crc32_table_data[256];

static void
crc32_table_init(void)
{
	for (guint32 n = 0; n < 256; n++) {
		guint32 c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? GLINT_CRC32_POLY ^ (c >> 1) : c >> 1;
		crc32_table_data[n] = c;
	}
}

/* pthread_once rather than g_once_init_enter: jobs on several threads
 * compute CRCs at once, and ThreadSanitizer sees pthread_once's ordering
 * but not GLib's (uninstrumented) one. */
static const guint32 *
crc32_table(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, crc32_table_init);
	return crc32_table_data;
}

guint32
glint_crc32(guint32 crc, const guint8 *data, gsize len)
{
	const guint32 *table = crc32_table();
	crc = ~crc;
	for (gsize i = 0; i < len; i++)
		crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

guint32
glint_image_segment_crc32(const GlintImageSegment *segment)
{
	gsize len = 0;
	g_return_val_if_fail(segment != NULL, 0);
	const guint8 *data = g_bytes_get_data(segment->data, &len);
	return glint_crc32(0, data, len);
}

gchar *
glint_image_describe(GlintImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	GString *str = g_string_new(NULL);
	guint n = image->segs->len;
	g_string_append_printf(str,
			       g_dngettext(GETTEXT_PACKAGE, "%s: %s, %u segment, %zu bytes",
					   "%s: %s, %u segments, %zu bytes", n),
			       image->name ? image->name : _("image"),
			       glint_image_format_to_string(image->format), n,
			       glint_image_get_size(image));
	if (image->has_start)
		g_string_append_printf(str, _(", start address 0x%08X"), image->start);
	g_string_append_c(str, '\n');
	for (guint i = 0; i < n; i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		g_string_append_printf(str, _("  0x%08X-0x%08X  %8zu bytes  CRC-32 0x%08X  %s\n"),
				       seg->address, (guint)(seg->address + len - 1), len,
				       glint_image_segment_crc32(seg), seg->origin);
	}
	return g_string_free(str, FALSE);
}

/* ---- formats: detection, loading, saving ---- */

static gboolean
has_suffix_ci(const char *name, const char *const *suffixes)
{
	g_autofree gchar *lower = g_ascii_strdown(name, -1);
	for (guint i = 0; suffixes[i] != NULL; i++) {
		if (g_str_has_suffix(lower, suffixes[i]))
			return TRUE;
	}
	return FALSE;
}

GlintImageFormat
glint_image_format_from_extension(const char *path)
{
	static const char *const ihex[] = {".hex", ".ihex", ".ihx", NULL};
	static const char *const srec[] = {".srec", ".s19",	".s28", ".s37",
					   ".mot",  ".srecord", NULL};
	static const char *const elf[] = {".elf", ".axf", ".out", NULL};
	if (path == NULL)
		return GLINT_IMAGE_FORMAT_BIN;
	if (has_suffix_ci(path, ihex))
		return GLINT_IMAGE_FORMAT_IHEX;
	if (has_suffix_ci(path, srec))
		return GLINT_IMAGE_FORMAT_SREC;
	if (has_suffix_ci(path, elf))
		return GLINT_IMAGE_FORMAT_ELF;
	return GLINT_IMAGE_FORMAT_BIN;
}

/* ELF magic: 0x7F 'E' 'L' 'F' (e_ident[EI_MAG0..3]). */
static const guint8 elf_magic[4] = {0x7F, 'E', 'L', 'F'};
/* How far into a file detection looks for text. */
#define GLINT_IMAGE_DETECT_WINDOW 64

static gboolean
looks_like_text(const guint8 *data, gsize len)
{
	for (gsize i = 0; i < MIN(len, GLINT_IMAGE_DETECT_WINDOW); i++) {
		guint8 c = data[i];
		if (c != '\n' && c != '\r' && c != '\t' && (c < 0x20 || c > 0x7E))
			return FALSE;
	}
	return TRUE;
}

GlintImageFormat
glint_image_detect_format(const guint8 *data, gsize len, const char *name)
{
	if (len >= sizeof elf_magic && memcmp(data, elf_magic, sizeof elf_magic) == 0)
		return GLINT_IMAGE_FORMAT_ELF;
	/* Text is judged without a byte-order mark in front or padding after
	 * the last record. */
	gsize start = 0, text_len = 0;
	glint_image_text_trim(data, len, &start, &text_len);
	data += start;
	len = text_len;
	gsize i = 0;
	while (i < len && i < GLINT_IMAGE_DETECT_WINDOW && g_ascii_isspace(data[i]))
		i++;
	if (i + 1 < len && looks_like_text(data + i, len - i)) {
		if (data[i] == ':' && glint_image_hex_digit[data[i + 1]] != 0)
			return GLINT_IMAGE_FORMAT_IHEX;
		if (data[i] == 'S' && g_ascii_isdigit(data[i + 1]))
			return GLINT_IMAGE_FORMAT_SREC;
	}
	/* Content did not decide: trust the extension for the structured
	 * formats so that their parser names what is wrong. */
	GlintImageFormat ext = glint_image_format_from_extension(name);
	return ext;
}

static gboolean
parse_bin(GlintImage *image, const guint8 *data, gsize len, guint32 base, GError **error)
{
	return glint_image_add_piece(image, base, data, len, 0, error);
}

static GlintImageOriginKind
origin_kind(GlintImageFormat format)
{
	switch (format) {
	case GLINT_IMAGE_FORMAT_IHEX:
	case GLINT_IMAGE_FORMAT_SREC:
		return GLINT_IMAGE_ORIGIN_LINE;
	case GLINT_IMAGE_FORMAT_ELF:
		return GLINT_IMAGE_ORIGIN_LABEL;
	default:
		break;
	}
	return GLINT_IMAGE_ORIGIN_OFFSET;
}

GlintImage *
glint_image_load_bytes(GBytes *bytes, const char *name, const GlintImageLoadOptions *options,
		       GError **error)
{
	gsize len = 0;
	g_return_val_if_fail(bytes != NULL, NULL);
	const guint8 *data = g_bytes_get_data(bytes, &len);
	if (name == NULL)
		name = _("image");
	GlintImageFormat format = options != NULL ? options->format : GLINT_IMAGE_FORMAT_AUTO;
	guint32 base = options != NULL ? options->bin_base : GLINT_IMAGE_DEFAULT_BIN_BASE;
	if (format == GLINT_IMAGE_FORMAT_AUTO)
		format = glint_image_detect_format(data, len, name);

	if (len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: nothing to program: the file is empty"), name);
		return NULL;
	}

	g_autoptr(GlintImage) image = glint_image_new();
	glint_image_begin(image, name, format, origin_kind(format));
	gboolean ok = FALSE;
	const guint8 *text = NULL;
	gsize text_len = 0;
	switch (format) {
	case GLINT_IMAGE_FORMAT_IHEX:
		ok = glint_image_text_prepare(data, len, name, &text, &text_len, error) &&
		     glint_image_parse_ihex(image, text, text_len, name, error);
		break;
	case GLINT_IMAGE_FORMAT_SREC:
		ok = glint_image_text_prepare(data, len, name, &text, &text_len, error) &&
		     glint_image_parse_srec(image, text, text_len, name, error);
		break;
	case GLINT_IMAGE_FORMAT_ELF:
		ok = glint_image_parse_elf(image, data, len, name, error);
		break;
	case GLINT_IMAGE_FORMAT_BIN:
	case GLINT_IMAGE_FORMAT_AUTO:
		ok = parse_bin(image, data, len, base, error);
		break;
	}
	if (!ok || !glint_image_finish(image, error))
		return NULL;
	return g_steal_pointer(&image);
}

GlintImage *
glint_image_load_file(const char *path, const GlintImageLoadOptions *options,
		      GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	/* Only a regular file, its size checked before reading: a FIFO or a
	 * device picked by mistake is refused by name, a disk image by size. */
	g_autoptr(GBytes) bytes =
	    glint_file_read(path, _("firmware image"), GLINT_IMAGE_MAX_FILE, cancellable, error);
	if (bytes == NULL)
		return NULL;
	return glint_image_load_bytes(bytes, path, options, error);
}

GlintImage *
glint_image_load(const char *path, const GlintImageLoadOptions *options, GError **error)
{
	return glint_image_load_file(path, options, NULL, error);
}

static GBytes *
to_bin(GlintImage *image, GError **error)
{
	guint32 lo = 0;
	if (image->segs->len == 0)
		return g_bytes_new(NULL, 0);
	glint_image_get_bounds(image, &lo, NULL);
	guint64 span = seg_end(seg_at(image, image->segs->len - 1)) - lo;
	if (span > GLINT_IMAGE_BIN_MAX_SPAN) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("a raw binary of this image would span %" PRIu64
			      " bytes from 0x%08X; save it as .hex or .srec instead"),
			    span, lo);
		return NULL;
	}
	guint8 *buf = g_malloc(span);
	memset(buf, GLINT_IMAGE_ERASED_BYTE, span);
	glint_image_fill(image, lo, buf, span);
	return g_bytes_new_take(buf, span);
}

GBytes *
glint_image_to_bytes(GlintImage *image, GlintImageFormat format, GError **error)
{
	g_return_val_if_fail(image != NULL, NULL);
	switch (format) {
	case GLINT_IMAGE_FORMAT_BIN:
		return to_bin(image, error);
	case GLINT_IMAGE_FORMAT_IHEX:
	case GLINT_IMAGE_FORMAT_SREC: {
		/* About 2.8 characters per byte in either text format. */
		GString *out = g_string_sized_new(glint_image_get_size(image) * 3 + 64);
		if (format == GLINT_IMAGE_FORMAT_IHEX)
			glint_image_write_ihex(image, out);
		else
			glint_image_write_srec(image, out);
		gsize len = out->len;
		return g_bytes_new_take(g_string_free(out, FALSE), len);
	}
	case GLINT_IMAGE_FORMAT_ELF:
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
				    _("Glint does not write ELF files; use .bin, .hex or .srec"));
		return NULL;
	case GLINT_IMAGE_FORMAT_AUTO:
		break;
	}
	g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("no output format given"));
	return NULL;
}

gboolean
glint_image_save(GlintImage *image, const char *path, GlintImageFormat format, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_return_val_if_fail(image != NULL, FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	if (format == GLINT_IMAGE_FORMAT_AUTO)
		format = glint_image_format_from_extension(path);
	g_autoptr(GBytes) bytes = glint_image_to_bytes(image, format, error);
	if (bytes == NULL) {
		g_prefix_error(error, _("cannot write %s: "), path);
		return FALSE;
	}
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);
	if (!g_file_set_contents(path, data != NULL ? data : "", len, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("cannot write %s: %s"), path,
			    local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_image_write_file(const char *path, GlintImageFormat format, guint32 address,
		       const guint8 *data, gsize len, GError **error)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_return_val_if_fail(path != NULL, FALSE);
	if (!glint_image_add(image, address, data, len, path, error))
		return FALSE;
	return glint_image_save(image, path, format, error);
}
