/* glint-geometry.c: flash geometry as banks of erase-unit runs. */
#define G_LOG_DOMAIN "glint-geometry"

#include "glint-geometry.h"
#include "glint-i18n.h"

#include <string.h>

void
glint_geometry_init(GlintFlashGeometry *g, guint32 base, guint8 erased_value, guint32 program_unit,
		    const char *unit_name)
{
	memset(g, 0, sizeof(*g));
	g->base = base;
	g->erased_value = erased_value;
	g->program_unit = program_unit;
	g->unit_name = unit_name;
}

void
glint_geometry_add_bank(GlintFlashGeometry *g, guint32 base, guint physical, guint first_number,
			const GlintUnitRun *runs, guint n_runs)
{
	GlintFlashBank *b;

	g_return_if_fail(g->n_banks < GLINT_GEOMETRY_MAX_BANKS);
	g_return_if_fail(n_runs <= GLINT_GEOMETRY_MAX_RUNS);
	b = &g->banks[g->n_banks++];
	memset(b, 0, sizeof(*b));
	b->base = base;
	b->physical = physical;
	b->first_number = first_number;
	b->first_index = g->n_units;
	b->n_runs = n_runs;
	for (guint r = 0; r < n_runs; r++) {
		b->runs[r] = runs[r];
		b->n_units += runs[r].count;
		b->size += runs[r].size * runs[r].count;
		g->largest_unit = MAX(g->largest_unit, runs[r].size);
	}
	g->n_units += b->n_units;
	g->size += b->size;
}

void
glint_geometry_add_uniform_banks(GlintFlashGeometry *g, guint n_banks, guint units_per_bank,
				 guint32 unit_size)
{
	GlintUnitRun run = {unit_size, units_per_bank};
	for (guint b = 0; b < n_banks; b++)
		glint_geometry_add_bank(g, g->base + b * units_per_bank * unit_size, b, 0, &run, 1);
}

/* Fills @unit for the @in_bank-th unit of bank @bank. */
static gboolean
unit_in_bank(const GlintFlashGeometry *g, guint bank, guint in_bank, GlintFlashUnit *unit)
{
	const GlintFlashBank *b = &g->banks[bank];
	guint32 address = b->base;
	guint skipped = 0;

	if (in_bank >= b->n_units)
		return FALSE;
	for (guint r = 0; r < b->n_runs; r++) {
		const GlintUnitRun *run = &b->runs[r];
		if (in_bank < skipped + run->count) {
			guint k = in_bank - skipped;
			if (unit != NULL) {
				unit->index = b->first_index + in_bank;
				unit->bank = bank;
				unit->physical = b->physical;
				unit->number = b->first_number + in_bank;
				unit->in_bank = in_bank;
				unit->address = address + k * run->size;
				unit->size = run->size;
			}
			return TRUE;
		}
		skipped += run->count;
		address += run->count * run->size;
	}
	return FALSE;
}

gboolean
glint_geometry_get_unit(const GlintFlashGeometry *g, guint index, GlintFlashUnit *unit)
{
	for (guint bank = 0; bank < g->n_banks; bank++) {
		const GlintFlashBank *b = &g->banks[bank];
		if (index >= b->first_index && index < b->first_index + b->n_units)
			return unit_in_bank(g, bank, index - b->first_index, unit);
	}
	return FALSE;
}

gboolean
glint_geometry_unit_at(const GlintFlashGeometry *g, guint32 addr, GlintFlashUnit *unit)
{
	for (guint bank = 0; bank < g->n_banks; bank++) {
		const GlintFlashBank *b = &g->banks[bank];
		guint32 offset, start = 0;
		guint in_bank = 0;

		if (addr < b->base || addr - b->base >= b->size)
			continue;
		offset = addr - b->base;
		for (guint r = 0; r < b->n_runs; r++) {
			guint32 run_bytes = b->runs[r].size * b->runs[r].count;
			if (offset < start + run_bytes) {
				in_bank += (offset - start) / b->runs[r].size;
				return unit_in_bank(g, bank, in_bank, unit);
			}
			start += run_bytes;
			in_bank += b->runs[r].count;
		}
	}
	return FALSE;
}

gint
glint_geometry_bank_of_physical(const GlintFlashGeometry *g, guint physical)
{
	for (guint bank = 0; bank < g->n_banks; bank++) {
		if (g->banks[bank].physical == physical)
			return (gint)bank;
	}
	return -1;
}

gboolean
glint_geometry_unit_by_number(const GlintFlashGeometry *g, guint physical, guint number,
			      GlintFlashUnit *unit)
{
	gint bank = glint_geometry_bank_of_physical(g, physical);
	if (bank < 0 || number < g->banks[bank].first_number)
		return FALSE;
	return unit_in_bank(g, (guint)bank, number - g->banks[bank].first_number, unit);
}

gboolean
glint_geometry_contains(const GlintFlashGeometry *g, guint32 addr, guint64 len)
{
	guint64 end = (guint64)addr + len;

	if (len == 0)
		return FALSE;
	/* Walk bank by bank: a range may span adjacent banks but not a hole. */
	while (addr < end) {
		gboolean found = FALSE;
		for (guint bank = 0; bank < g->n_banks; bank++) {
			const GlintFlashBank *b = &g->banks[bank];
			guint64 bank_end = (guint64)b->base + b->size;
			if (addr >= b->base && addr < bank_end) {
				if (end <= bank_end)
					return TRUE;
				addr = (guint32)bank_end;
				found = TRUE;
				break;
			}
		}
		if (!found)
			return FALSE;
	}
	return TRUE;
}

gboolean
glint_geometry_is_uniform(const GlintFlashGeometry *g, guint32 *size)
{
	guint32 seen = 0;
	for (guint bank = 0; bank < g->n_banks; bank++) {
		for (guint r = 0; r < g->banks[bank].n_runs; r++) {
			guint32 s = g->banks[bank].runs[r].size;
			if (seen != 0 && s != seen)
				return FALSE;
			seen = s;
		}
	}
	if (size != NULL)
		*size = seen;
	return seen != 0;
}

guint32
glint_geometry_end(const GlintFlashGeometry *g)
{
	const GlintFlashBank *last;
	if (g->n_banks == 0)
		return g->base;
	last = &g->banks[g->n_banks - 1];
	return last->base + last->size;
}

/* Banks get named when there are two: "of bank 2". */
static void
append_bank(GString *s, const GlintFlashGeometry *g, guint physical)
{
	if (g->n_banks > 1)
		g_string_append_printf(s, _(" of bank %u"), physical + 1);
}

const char *
glint_geometry_unit_noun(const GlintFlashGeometry *g, gulong n)
{
	if (g_strcmp0(g->unit_name, "sector") == 0)
		return g_dngettext(GETTEXT_PACKAGE, "sector", "sectors", n);
	return g_dngettext(GETTEXT_PACKAGE, "page", "pages", n);
}

gchar *
glint_geometry_describe_unit(const GlintFlashGeometry *g, const GlintFlashUnit *unit)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "%s %u", glint_geometry_unit_noun(g, 1), unit->number);
	append_bank(s, g, unit->physical);
	g_string_append_printf(s, " (0x%08X-0x%08X)", unit->address,
			       unit->address + unit->size - 1);
	return g_string_free(s, FALSE);
}

gchar *
glint_geometry_describe_units(const GlintFlashGeometry *g, guint physical, guint first, guint last)
{
	GlintFlashUnit a, b;
	GString *s = g_string_new(NULL);

	if (first == last)
		g_string_append_printf(s, "%s %u", glint_geometry_unit_noun(g, 1), first);
	else
		g_string_append_printf(s, "%s %u-%u", glint_geometry_unit_noun(g, 2), first, last);
	append_bank(s, g, physical);
	if (glint_geometry_unit_by_number(g, physical, first, &a) &&
	    glint_geometry_unit_by_number(g, physical, last, &b))
		g_string_append_printf(s, " (0x%08X-0x%08X)", a.address, b.address + b.size - 1);
	return g_string_free(s, FALSE);
}

static void
append_size(GString *s, guint32 bytes)
{
	if (bytes >= 1024 && bytes % 1024 == 0)
		g_string_append_printf(s, "%u KiB", bytes / 1024);
	else
		g_string_append_printf(
		    s, g_dngettext(GETTEXT_PACKAGE, "%u byte", "%u bytes", bytes), bytes);
}

gchar *
glint_geometry_describe(const GlintFlashGeometry *g)
{
	GString *s = g_string_new(NULL);
	const GlintFlashBank *b = &g->banks[0];
	guint32 size;

	if (g->n_banks == 0)
		return g_string_free(s, FALSE);
	g_string_append_printf(
	    /* TRANSLATORS: "2 banks of 256 pages" */
	    s, g_dngettext(GETTEXT_PACKAGE, "%u bank of %u %s", "%u banks of %u %s", g->n_banks),
	    g->n_banks, b->n_units, glint_geometry_unit_noun(g, b->n_units));
	if (glint_geometry_is_uniform(g, &size)) {
		g_string_append(s, " x ");
		append_size(s, size);
	} else {
		g_string_append(s, " (");
		for (guint r = 0; r < b->n_runs; r++) {
			g_string_append_printf(s, "%s%u x ", r > 0 ? ", " : "", b->runs[r].count);
			append_size(s, b->runs[r].size);
		}
		g_string_append(s, g->n_banks > 1 ? _(" each)") : ")");
	}
	/* which bank answers at the first address is not always bank 1 */
	if (g->banks_swapped && g->n_banks > 1)
		g_string_append_printf(s,
				       _("; banks swapped: bank %u at 0x%08X, bank %u at 0x%08X"),
				       g->banks[0].physical + 1, g->banks[0].base,
				       g->banks[1].physical + 1, g->banks[1].base);
	return g_string_free(s, FALSE);
}
