/* sim-limit.c: the bounds a benchmark measures tools against
 * (glint_sim_get_flash_limit, docs/timing-model.md "The bounds"). The image's
 * bytes in main flash go to the board's machine as spans of the flash
 * region, and the machine, which knows its erase and programming units and
 * its datasheet's times, says what its flash needs; this file adds what
 * connecting and verifying cost at least, and what moving the image through
 * the probe would cost for comparison. Nothing here knows a family. */
#define G_LOG_DOMAIN "glint-sim"

#include "sim-private.h"

guint64
sim_limit_units_touched(const SimImageSpans *image, guint32 from, guint32 to, guint32 unit)
{
	guint64 n = 0;
	gint64 last = -1; /* the last unit counted: spans are sorted */
	g_return_val_if_fail(unit > 0, 0);
	for (guint i = 0; i < image->n_spans; i++) {
		const SimSpan *s = &image->spans[i];
		guint32 lo = MAX(s->offset, from);
		guint32 hi = MIN(s->offset + s->len, to);
		gint64 first, end;
		if (lo >= hi)
			continue;
		first = (lo - from) / unit;
		end = (hi - 1 - from) / unit;
		first = MAX(first, last + 1);
		if (first > end)
			continue;
		n += (guint64)(end - first + 1);
		last = end;
	}
	return n;
}

static gboolean
sim_limit_all_erased(const guint8 *p, gsize len, guint8 erased)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != erased)
			return FALSE;
	}
	return TRUE;
}

guint64
sim_limit_units_written(const SimImageSpans *image, guint32 from, guint32 to, guint32 unit)
{
	guint64 n = 0;
	gint64 last = -1;
	g_return_val_if_fail(unit > 0, 0);
	for (guint i = 0; i < image->n_spans; i++) {
		const SimSpan *s = &image->spans[i];
		guint32 lo = MAX(s->offset, from);
		guint32 hi = MIN(s->offset + s->len, to);
		for (guint32 off = lo; off < hi;) {
			gint64 u = (off - from) / unit;
			guint32 unit_end = MIN(from + (guint32)(u + 1) * unit, hi);
			/* a unit two spans share is counted once, when the first
			 * part of it that holds data is seen */
			if (u > last && !sim_limit_all_erased(s->data + (off - s->offset),
							      unit_end - off, image->erased)) {
				n++;
				last = u;
			}
			off = unit_end;
		}
	}
	return n;
}

gchar *
sim_limit_format_ns(gint64 ns)
{
	if (ns >= G_GINT64_CONSTANT(1000000000))
		return g_strdup_printf("%g s", ns / 1e9);
	if (ns >= G_GINT64_CONSTANT(1000000))
		return g_strdup_printf("%g ms", ns / 1e6);
	return g_strdup_printf("%g us", ns / 1e3);
}

static gint
sim_span_compare(gconstpointer a, gconstpointer b)
{
	const SimSpan *x = a, *y = b;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* @image's bytes as spans of the main flash region, or an error naming the
 * first address outside it */
static GArray *
sim_limit_spans(GlintSim *sim, GlintImage *image, GError **error)
{
	gint flash = sim_region_find(sim, SIM_REGION_FLASH);
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(SimSpan));

	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize left = 0;
		const guint8 *data = g_bytes_get_data(seg->data, &left);
		guint32 addr = seg->address;
		while (left > 0) {
			SimHit hit;
			SimSpan span;
			if (flash < 0 || !sim_map_resolve(sim, addr, 1, TRUE, &hit) ||
			    hit.info->kind != SIM_REGION_FLASH) {
				g_set_error(
				    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "the image has data at 0x%08x, outside the main flash of "
				    "the emulated %s: the bound covers main flash only",
				    addr, sim->board->chip);
				return NULL;
			}
			span.offset = (guint32)(hit.mem - sim->mem[flash]);
			span.len = (guint32)MIN(left, (gsize)hit.avail);
			span.data = data;
			g_array_append_val(spans, span);
			addr += span.len;
			data += span.len;
			left -= span.len;
		}
	}
	if (spans->len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "the image is empty: there is nothing to bound");
		return NULL;
	}
	g_array_sort(spans, sim_span_compare);
	return g_steal_pointer(&spans);
}

void
glint_sim_flash_limit_clear(GlintSimFlashLimit *limit)
{
	if (limit == NULL)
		return;
	g_clear_pointer(&limit->how, g_free);
	*limit = (GlintSimFlashLimit){0};
}

gboolean
glint_sim_get_flash_limit(GlintSim *sim, GlintImage *image, GlintSimFlashLimit *limit,
			  GError **error)
{
	g_autoptr(GArray) spans = NULL;
	SimFlashLimit m = {0};
	SimImageSpans img;
	guint64 bytes = 0;
	gint64 crc_ns;
	gint flash;

	g_return_val_if_fail(sim != NULL && image != NULL && limit != NULL, FALSE);
	*limit = (GlintSimFlashLimit){0};
	if (sim->machine->ops->flash_limit == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    "the emulated %s (machine %s) has no flash bound: its folder "
			    "core/sim/%s/ gives no flash_limit",
			    sim->board->chip, sim->machine->name, sim->machine->name);
		return FALSE;
	}
	spans = sim_limit_spans(sim, image, error);
	if (spans == NULL)
		return FALSE;
	flash = sim_region_find(sim, SIM_REGION_FLASH);
	img.spans = &g_array_index(spans, SimSpan, 0);
	img.n_spans = spans->len;
	img.erased = sim->machine->regions[flash].erased;
	for (guint i = 0; i < spans->len; i++)
		bytes += g_array_index(spans, SimSpan, i).len;

	m.how = g_string_new(NULL);
	sim->machine->ops->flash_limit(sim, &img, &m);
	g_return_val_if_fail(m.max_hclk_hz > 0, FALSE);

	limit->erase_ns = m.erase_ns;
	limit->program_ns = m.program_ns;
	limit->limit_ns = m.limit_ns > 0 ? m.limit_ns : m.erase_ns + m.program_ns;
	limit->max_hclk_hz = m.max_hclk_hz;
	/* the CRC unit over every byte at the highest HCLK */
	crc_ns = (gint64)(bytes * SIM_CRC_CYCLES_PER_BYTE * G_GUINT64_CONSTANT(1000000000) /
			  m.max_hclk_hz);
	limit->connect_verify_ns =
	    (GLINT_SIM_CONNECT_MIN_COMMANDS + GLINT_SIM_VERIFY_MIN_COMMANDS) *
		sim_clock_usb_round_trip_ns(sim) +
	    crc_ns;
	limit->link_ns = sim_clock_usb_data_ns(sim, bytes) +
			 sim_clock_swd_ns((bytes + 3) / 4, sim_probe_max_swd_khz(sim));
	limit->how = g_string_free(m.how, FALSE);
	return TRUE;
}

guint32
glint_sim_get_writable_flash_size(GlintSim *sim)
{
	gint flash;
	guint32 addr, size = 0;
	SimHit hit;

	g_return_val_if_fail(sim != NULL, 0);
	flash = sim_region_find(sim, SIM_REGION_FLASH);
	if (flash < 0)
		return 0;
	/* the windows the map shows as main flash from its start, up to
	 * the first that is something else (a WB's or WL's secure part of
	 * CPU2, mapped as zeros) */
	addr = sim->machine->regions[flash].base;
	while (sim_map_resolve(sim, addr, 1, TRUE, &hit) && hit.info->kind == SIM_REGION_FLASH) {
		size += hit.avail;
		addr += hit.avail;
	}
	return size;
}

gint64
glint_sim_flash_limit_ns(GlintSim *sim, GlintImage *image, GError **error)
{
	GlintSimFlashLimit limit;
	gint64 ns;
	if (!glint_sim_get_flash_limit(sim, image, &limit, error))
		return -1;
	ns = limit.limit_ns;
	glint_sim_flash_limit_clear(&limit);
	return ns;
}
