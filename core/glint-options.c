/* glint-options.c: option bytes read and edited through a family's layout. */
#define G_LOG_DOMAIN "glint-options"

#include "glint-i18n.h"
#include "glint-options.h"

#include <string.h>

#include "glint-error.h"

/* Layout lookups ------------------------------------------------------------ */

const GlintOptionField *
glint_option_layout_find_field(const GlintOptionLayout *layout, const char *name)
{
	for (guint i = 0; i < layout->n_fields; i++) {
		if (g_ascii_strcasecmp(layout->fields[i].name, name) == 0)
			return &layout->fields[i];
	}
	return NULL;
}

const GlintProtectionArea *
glint_option_layout_find_area(const GlintOptionLayout *layout, const char *name)
{
	for (guint i = 0; i < layout->n_areas; i++) {
		if (g_ascii_strcasecmp(layout->areas[i].name, name) == 0)
			return &layout->areas[i];
	}
	return NULL;
}

gint
glint_option_layout_find_register(const GlintOptionLayout *layout, const char *name)
{
	for (guint i = 0; i < layout->n_regs; i++) {
		if (g_ascii_strcasecmp(layout->regs[i].edit_name, name) == 0 ||
		    g_ascii_strcasecmp(layout->regs[i].name, name) == 0)
			return (gint)i;
	}
	return -1;
}

GStrv
glint_option_layout_edit_names(const GlintOptionLayout *layout)
{
	g_autoptr(GStrvBuilder) names = g_strv_builder_new();
	g_strv_builder_add(names, "RDP");
	for (guint i = 0; i < layout->n_fields; i++)
		g_strv_builder_add(names, layout->fields[i].name);
	for (guint i = 0; i < layout->n_areas; i++)
		g_strv_builder_add(names, layout->areas[i].name);
	for (guint i = 0; i < layout->n_regs; i++)
		g_strv_builder_add(names, layout->regs[i].edit_name);
	return g_strv_builder_end(names);
}

/* Values --------------------------------------------------------------------- */

static guint32
bits_mask(guint8 shift, guint8 width)
{
	return (width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1)) << shift;
}

static guint32
get_bits(const GlintOptionBytes *ob, guint8 reg, guint8 shift, guint8 width)
{
	return (ob->regs[reg] & bits_mask(shift, width)) >> shift;
}

static void
set_bits(GlintOptionBytes *ob, guint8 reg, guint8 shift, guint8 width, guint32 value)
{
	guint32 mask = bits_mask(shift, width);
	ob->regs[reg] = (ob->regs[reg] & ~mask) | ((value << shift) & mask);
}

void
glint_option_bytes_init_factory(GlintOptionBytes *ob, const GlintOptionLayout *layout)
{
	memset(ob, 0, sizeof(*ob));
	ob->layout = layout;
	for (guint i = 0; i < layout->n_regs && i < GLINT_OPTION_MAX_REGS; i++)
		ob->regs[i] = layout->regs[i].factory;
}

gboolean
glint_option_bytes_equal(const GlintOptionBytes *a, const GlintOptionBytes *b)
{
	if (a->layout != b->layout)
		return FALSE;
	return memcmp(a->regs, b->regs, a->layout->n_regs * sizeof(guint32)) == 0;
}

guint8
glint_option_bytes_rdp_raw(const GlintOptionBytes *ob)
{
	return (guint8)get_bits(ob, ob->layout->rdp.reg, ob->layout->rdp.shift, 8);
}

/* Whether the raw byte of level 0.5 means level 0.5 in @ob (its gate set) */
static gboolean
rdp_half_gate_open(const GlintOptionBytes *ob)
{
	const GlintRdpSpec *rdp = &ob->layout->rdp;
	return rdp->level_half != 0 && get_bits(ob, rdp->half_gate_reg, rdp->half_gate_shift, 1);
}

GlintRdpRank
glint_option_bytes_rdp_rank(const GlintOptionBytes *ob)
{
	const GlintRdpSpec *rdp = &ob->layout->rdp;
	guint8 raw = glint_option_bytes_rdp_raw(ob);
	if (raw == rdp->level0)
		return GLINT_RDP_LEVEL_0;
	if (rdp->level2 != 0 && raw == rdp->level2)
		return GLINT_RDP_LEVEL_2;
	if (raw == rdp->level_half && rdp_half_gate_open(ob))
		return GLINT_RDP_LEVEL_0_5;
	return GLINT_RDP_LEVEL_1;
}

const char *
glint_rdp_rank_name(GlintRdpRank rank)
{
	static const char *const names[] = {"0", "0.5", "1", "2"};
	return rank <= GLINT_RDP_LEVEL_2 ? names[rank] : "?";
}

guint
glint_option_bytes_rdp_level(const GlintOptionBytes *ob)
{
	switch (glint_option_bytes_rdp_rank(ob)) {
	case GLINT_RDP_LEVEL_0:
	case GLINT_RDP_LEVEL_0_5:
		return 0;
	case GLINT_RDP_LEVEL_2:
		return 2;
	default:
		return 1;
	}
}

void
glint_option_bytes_set_rdp_level(GlintOptionBytes *ob, guint level)
{
	const GlintRdpSpec *rdp = &ob->layout->rdp;
	guint8 raw = level == 0 ? rdp->level0 : level == 2 ? rdp->level2 : rdp->level1;
	set_bits(ob, rdp->reg, rdp->shift, 8, raw);
}

void
glint_option_bytes_set_rdp_half(GlintOptionBytes *ob)
{
	const GlintRdpSpec *rdp = &ob->layout->rdp;
	g_return_if_fail(rdp->level_half != 0);
	set_bits(ob, rdp->reg, rdp->shift, 8, rdp->level_half);
}

guint32
glint_option_bytes_get_field(const GlintOptionBytes *ob, const GlintOptionField *field)
{
	return get_bits(ob, field->reg, field->shift, field->width);
}

void
glint_option_bytes_set_field(GlintOptionBytes *ob, const GlintOptionField *field, guint32 value)
{
	set_bits(ob, field->reg, field->shift, field->width, value);
}

gboolean
glint_option_bytes_get_named(const GlintOptionBytes *ob, const char *name, guint32 *value)
{
	const GlintOptionField *field = glint_option_layout_find_field(ob->layout, name);
	if (field == NULL)
		return FALSE;
	*value = glint_option_bytes_get_field(ob, field);
	return TRUE;
}

/* Protection areas ------------------------------------------------------------ */

static guint
field_max(guint8 width)
{
	return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1;
}

/* The geometry's bank that @area protects, or NULL when the part does not
 * have it (single-bank mode). */
static const GlintFlashBank *
area_bank(const GlintProtectionArea *area, const GlintFlashGeometry *geometry,
	  GlintFlashBank *whole)
{
	gint bank;
	if (area->flags & GLINT_AREA_ACROSS_BANKS) {
		/* the whole flash, numbered as one run of units */
		*whole = geometry->banks[0];
		whole->size = geometry->size;
		whole->n_units = geometry->n_units;
		return whole;
	}
	bank = glint_geometry_bank_of_physical(geometry, area->bank);
	return bank < 0 ? NULL : &geometry->banks[bank];
}

static void
append_range(GArray *ranges, guint32 first, guint32 last)
{
	if (ranges->len > 0) {
		GlintRange *prev = &g_array_index(ranges, GlintRange, ranges->len - 1);
		if (prev->last + 1 == first) {
			prev->last = last;
			return;
		}
	}
	g_array_append_val(ranges, ((GlintRange){first, last}));
}

/* In-bank units that mask bit @bit covers, clipped to @n_units. FALSE when
 * it covers none. */
static gboolean
mask_bit_units(const GlintProtectionArea *area, guint bit, guint n_units, guint *first, guint *last)
{
	guint k = MAX(area->units_per_bit, 1);
	guint a = area->first_unit + bit * k;
	guint b = (area->last_bit_rest && bit == area->mask_bits - 1u) ? G_MAXUINT : a + k - 1;
	if (a >= n_units)
		return FALSE;
	*first = a;
	*last = MIN(b, n_units - 1);
	return TRUE;
}

static gboolean
mask_bit_protects(const GlintOptionBytes *ob, const GlintProtectionArea *area, guint bit)
{
	gboolean set = (ob->regs[area->mask_reg] >> (area->mask_shift + bit)) & 1u;
	return area->protect_when_set ? set : !set;
}

static void
set_mask_bit(GlintOptionBytes *ob, const GlintProtectionArea *area, guint bit, gboolean protect)
{
	guint32 b = 1u << (area->mask_shift + bit);
	gboolean set = area->protect_when_set ? protect : !protect;
	ob->regs[area->mask_reg] =
	    set ? ob->regs[area->mask_reg] | b : ob->regs[area->mask_reg] & ~b;
}

/* Sets the field named @name (an area's own enable bit) */
static void
set_named(GlintOptionBytes *ob, const char *name, guint32 value)
{
	const GlintOptionField *field = glint_option_layout_find_field(ob->layout, name);
	g_return_if_fail(field != NULL);
	glint_option_bytes_set_field(ob, field, value);
}

gboolean
glint_option_bytes_area_in_use(const GlintOptionBytes *ob, const GlintProtectionArea *area)
{
	const GlintOptionField *field;
	if (area->when_field == NULL)
		return TRUE;
	field = glint_option_layout_find_field(ob->layout, area->when_field);
	return field != NULL && glint_option_bytes_get_field(ob, field) == area->when_value;
}

/* "not in use (SPRMOD=1)": why an area of shared bits means nothing now. */
static gchar *
describe_not_in_use(const GlintOptionBytes *ob, const GlintProtectionArea *area)
{
	guint32 now = 0;
	glint_option_bytes_get_named(ob, area->when_field, &now);
	return g_strdup_printf(_("not in use (%s=%u)"), area->when_field, now);
}

gboolean
glint_option_bytes_area_active(const GlintOptionBytes *ob, const GlintProtectionArea *area)
{
	if (!glint_option_bytes_area_in_use(ob, area))
		return FALSE;
	/* its end is the bank's: whether it reaches into the bank is the
	 * geometry's (glint_option_bytes_get_area) */
	if (area->encoding == GLINT_AREA_RANGE && (area->flags & GLINT_AREA_TO_BANK_END))
		return TRUE;
	if (area->encoding == GLINT_AREA_RANGE)
		return get_bits(ob, area->start_reg, area->start_shift, area->start_width) <=
		       get_bits(ob, area->end_reg, area->end_shift, area->end_width);
	for (guint bit = 0; bit < area->mask_bits; bit++) {
		if (mask_bit_protects(ob, area, bit))
			return TRUE;
	}
	return FALSE;
}

GArray *
glint_option_bytes_get_area(const GlintOptionBytes *ob, const GlintProtectionArea *area,
			    const GlintFlashGeometry *geometry)
{
	GArray *ranges = g_array_new(FALSE, FALSE, sizeof(GlintRange));
	GlintFlashBank whole;
	const GlintFlashBank *bank = area_bank(area, geometry, &whole);

	if (!glint_option_bytes_area_in_use(ob, area))
		return ranges;
	if (area->encoding == GLINT_AREA_RANGE) {
		guint32 start = get_bits(ob, area->start_reg, area->start_shift, area->start_width);
		guint32 end = get_bits(ob, area->end_reg, area->end_shift, area->end_width);
		guint32 base = bank != NULL ? bank->base : 0;
		if (area->flags & GLINT_AREA_TO_BANK_END)
			end = bank != NULL ? bank->n_units - 1 : field_max(area->start_width);
		if (start > end)
			return ranges;
		if (area->granule == 0)
			append_range(ranges, (bank != NULL ? bank->first_number : 0) + start,
				     (bank != NULL ? bank->first_number : 0) + end);
		else
			append_range(ranges, base + start * area->granule,
				     base + end * area->granule + area->granule - 1);
		return ranges;
	}
	for (guint bit = 0; bit < area->mask_bits; bit++) {
		guint first, last;
		guint n_units = bank != NULL
				    ? bank->n_units
				    : area->first_unit + area->mask_bits * area->units_per_bit;
		if (!mask_bit_protects(ob, area, bit) ||
		    !mask_bit_units(area, bit, n_units, &first, &last))
			continue;
		append_range(ranges, (bank != NULL ? bank->first_number : 0) + first,
			     (bank != NULL ? bank->first_number : 0) + last);
	}
	return ranges;
}

void
glint_option_bytes_clear_area(GlintOptionBytes *ob, const GlintProtectionArea *area)
{
	/* an area with its own enable bit goes off with it; its bounds may
	 * be shared with another area and stay */
	if (area->flags & GLINT_AREA_WHEN_OWNED) {
		set_named(ob, area->when_field, area->when_value ? 0 : 1);
		return;
	}
	/* the bits belong to the area in use now: "off" for this one could
	 * mean "everything" for the other; another core's area is not the
	 * debugger's to clear */
	if (!glint_option_bytes_area_in_use(ob, area) || (area->flags & GLINT_AREA_FIXED))
		return;
	if (area->encoding == GLINT_AREA_RANGE) {
		/* start > end: the factory way of saying "no area" */
		set_bits(ob, area->start_reg, area->start_shift, area->start_width,
			 field_max(area->start_width));
		set_bits(ob, area->end_reg, area->end_shift, area->end_width, 0);
		return;
	}
	for (guint bit = 0; bit < area->mask_bits; bit++)
		set_mask_bit(ob, area, bit, FALSE);
}

static gboolean
ranges_cover(const GlintRange *ranges, guint n_ranges, guint32 first, guint32 last)
{
	for (guint32 u = first; u <= last; u++) {
		gboolean in = FALSE;
		for (guint i = 0; i < n_ranges && !in; i++)
			in = u >= ranges[i].first && u <= ranges[i].last;
		if (!in)
			return FALSE;
		if (u == G_MAXUINT32)
			break;
	}
	return TRUE;
}

static gboolean
ranges_touch(const GlintRange *ranges, guint n_ranges, guint32 first, guint32 last)
{
	for (guint i = 0; i < n_ranges; i++) {
		if (ranges[i].first <= last && ranges[i].last >= first)
			return TRUE;
	}
	return FALSE;
}

static void
fixed_area_error(const GlintProtectionArea *area, GError **error)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    "%s cannot be changed by a debugger: %s. Nothing was changed", area->name,
		    area->consequence != NULL ? area->consequence : "other firmware owns it");
}

static gboolean
set_range_area(GlintOptionBytes *ob, const GlintProtectionArea *area, const GlintFlashBank *bank,
	       const GlintFlashGeometry *geometry, const GlintRange *r, GError **error)
{
	guint32 start, end;

	if (area->granule == 0) {
		if (r->first < bank->first_number ||
		    r->last >= bank->first_number + bank->n_units) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%u-%u: the range reaches beyond the bank: bank %u has %s "
				      "%u-%u"),
				    area->name, r->first, r->last, area->bank + 1,
				    glint_geometry_unit_noun(geometry, 2), bank->first_number,
				    bank->first_number + bank->n_units - 1);
			return FALSE;
		}
		start = r->first - bank->first_number;
		end = r->last - bank->first_number;
	} else {
		if (r->first < bank->base || (guint64)r->last >= (guint64)bank->base + bank->size ||
		    (r->first - bank->base) % area->granule != 0 ||
		    (r->last + 1 - bank->base) % area->granule != 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=0x%08X-0x%08X: give addresses inside bank %u "
				      "(0x%08X-0x%08X) on %u-byte boundaries (the last address "
				      "ends a %u-byte step)"),
				    area->name, r->first, r->last, area->bank + 1, bank->base,
				    bank->base + bank->size - 1, area->granule, area->granule);
			return FALSE;
		}
		start = (r->first - bank->base) / area->granule;
		end = (r->last - bank->base) / area->granule;
	}
	if (start > field_max(area->start_width) || end > field_max(area->end_width)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s cannot reach that far: its start and end fields hold %u bits"),
			    area->name, area->end_width);
		return FALSE;
	}
	set_bits(ob, area->start_reg, area->start_shift, area->start_width, start);
	set_bits(ob, area->end_reg, area->end_shift, area->end_width, end);
	return TRUE;
}

/* A mask area covers only the units its bits reach (from first_unit): a
 * range elsewhere in the bank belongs to another area, and would silently
 * set no bit. */
static gboolean
ranges_in_mask(const GlintProtectionArea *area, const GlintFlashBank *bank,
	       const GlintFlashGeometry *geometry, const GlintRange *ranges, guint n_ranges,
	       GError **error)
{
	guint lo = G_MAXUINT, hi = 0;

	for (guint bit = 0; bit < area->mask_bits; bit++) {
		guint first, last;
		if (!mask_bit_units(area, bit, bank->n_units, &first, &last))
			continue;
		lo = MIN(lo, first);
		hi = MAX(hi, last);
	}
	for (guint i = 0; i < n_ranges; i++) {
		if (lo != G_MAXUINT && ranges[i].first >= bank->first_number + lo &&
		    ranges[i].last <= bank->first_number + hi)
			continue;
		if (lo == G_MAXUINT)
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s covers no %s of this part"), area->name,
				    glint_geometry_unit_noun(geometry, 1));
		else
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%u-%u: %s covers %s %u-%u only; another area protects "
				      "the rest"),
				    area->name, ranges[i].first, ranges[i].last, area->name,
				    glint_geometry_unit_noun(geometry, 2), bank->first_number + lo,
				    bank->first_number + hi);
		return FALSE;
	}
	return TRUE;
}

static gboolean
set_mask_area(GlintOptionBytes *ob, const GlintProtectionArea *area, const GlintFlashBank *bank,
	      const GlintFlashGeometry *geometry, const GlintRange *ranges, guint n_ranges,
	      GError **error)
{
	guint n = bank->first_number;

	for (guint i = 0; i < n_ranges; i++) {
		if (ranges[i].first < n || ranges[i].last >= n + bank->n_units) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%u-%u: the range reaches beyond the bank: bank %u has %s "
				      "%u-%u"),
				    area->name, ranges[i].first, ranges[i].last, area->bank + 1,
				    glint_geometry_unit_noun(geometry, 2), n,
				    n + bank->n_units - 1);
			return FALSE;
		}
	}
	if (!ranges_in_mask(area, bank, geometry, ranges, n_ranges, error))
		return FALSE;
	for (guint bit = 0; bit < area->mask_bits; bit++) {
		guint first, last;
		gboolean full, some;
		if (!mask_bit_units(area, bit, bank->n_units, &first, &last)) {
			set_mask_bit(ob, area, bit, FALSE);
			continue;
		}
		full = ranges_cover(ranges, n_ranges, n + first, n + last);
		some = ranges_touch(ranges, n_ranges, n + first, n + last);
		if (some && !full) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s protects %s in groups: one bit covers %s %u-%u, so a "
				      "range must cover whole groups (use %u-%u for this group)"),
				    area->name, glint_geometry_unit_noun(geometry, 2),
				    glint_geometry_unit_noun(geometry, 2), n + first, n + last,
				    n + first, n + last);
			return FALSE;
		}
		set_mask_bit(ob, area, bit, full);
	}
	return TRUE;
}

/* An area with its own enable bit (GLINT_AREA_WHEN_OWNED) comes on with its
 * bounds */
static void
switch_on_owned(GlintOptionBytes *ob, const GlintProtectionArea *area)
{
	if (area->flags & GLINT_AREA_WHEN_OWNED)
		set_named(ob, area->when_field, area->when_value);
}

gboolean
glint_option_bytes_set_area(GlintOptionBytes *ob, const GlintProtectionArea *area,
			    const GlintFlashGeometry *geometry, const GlintRange *ranges,
			    guint n_ranges, GError **error)
{
	GlintFlashBank whole;
	const GlintFlashBank *bank = area_bank(area, geometry, &whole);
	GlintOptionBytes scratch;
	gboolean owned = (area->flags & GLINT_AREA_WHEN_OWNED) != 0;

	if (area->flags & GLINT_AREA_FIXED) {
		fixed_area_error(area, error);
		return FALSE;
	}
	/* "off" for an area not in use is already true: its bits stay as the
	 * area in use now has them */
	if (n_ranges == 0 && !glint_option_bytes_area_in_use(ob, area))
		return TRUE;
	if (!owned && !glint_option_bytes_area_in_use(ob, area)) {
		g_autofree gchar *why = describe_not_in_use(ob, area);
		if (area->when_text != NULL)
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    /* TRANSLATORS: the second %s says when the area exists, in words */
			    _("%s exists only while %s; set %s=%u first (in the same "
			      "command, before %s), knowing what it does"),
			    area->name, glint_tr(area->when_text), area->when_field,
			    area->when_value, area->name);
		else
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s is %s: its bits mean something else now; set %s=%u first "
				      "(in the same command, before %s)"),
				    area->name, why, area->when_field, area->when_value,
				    area->name);
		return FALSE;
	}
	if (n_ranges == 0) {
		glint_option_bytes_clear_area(ob, area);
		return TRUE;
	}
	if (bank == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s protects bank %u, but the flash of this part is a single bank; "
			      "use an area of bank 1"),
			    area->name, area->bank + 1);
		return FALSE;
	}
	for (guint i = 0; i < n_ranges; i++) {
		if (ranges[i].first > ranges[i].last) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s: the range %u-%u is reversed"), area->name,
				    ranges[i].first, ranges[i].last);
			return FALSE;
		}
	}
	if (area->encoding == GLINT_AREA_RANGE) {
		if (n_ranges > 1) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s holds one range (FIRST-LAST); give the others to another "
				      "area"),
				    area->name);
			return FALSE;
		}
		if (!set_range_area(ob, area, bank, geometry, &ranges[0], error))
			return FALSE;
		switch_on_owned(ob, area);
		return TRUE;
	}
	/* bit by bit on a copy: a refusal half-way must leave @ob as it was */
	scratch = *ob;
	if (!set_mask_area(&scratch, area, bank, geometry, ranges, n_ranges, error))
		return FALSE;
	*ob = scratch;
	switch_on_owned(ob, area);
	return TRUE;
}

/* Whether any range of @ranges overlaps [@first, @last]. */
static gboolean
area_hits(const GlintOptionBytes *ob, const GlintProtectionArea *area,
	  const GlintFlashGeometry *geometry, guint32 first, guint32 last)
{
	g_autoptr(GArray) ranges = glint_option_bytes_get_area(ob, area, geometry);
	return ranges_touch((const GlintRange *)(gpointer)ranges->data, ranges->len, first, last);
}

const GlintProtectionArea *
glint_option_bytes_protecting(const GlintOptionBytes *ob, const GlintFlashGeometry *geometry,
			      const GlintFlashUnit *unit, gint type)
{
	const GlintOptionLayout *layout = ob->layout;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		if ((type >= 0 && area->type != (GlintProtectionType)type) ||
		    (area->bank != unit->physical && !(area->flags & GLINT_AREA_ACROSS_BANKS)) ||
		    !glint_option_bytes_area_active(ob, area))
			continue;
		if (area->granule == 0 ? area_hits(ob, area, geometry, unit->number, unit->number)
				       : area_hits(ob, area, geometry, unit->address,
						   unit->address + unit->size - 1))
			return area;
	}
	return NULL;
}

const GlintProtectionArea *
glint_option_bytes_protecting_range(const GlintOptionBytes *ob, const GlintFlashGeometry *geometry,
				    guint32 addr, guint32 len, gint type)
{
	GlintFlashUnit unit;
	guint64 end = (guint64)addr + len;

	for (guint64 a = addr; a < end; a = (guint64)unit.address + unit.size) {
		const GlintProtectionArea *area;
		if (!glint_geometry_unit_at(geometry, (guint32)a, &unit))
			return NULL;
		area = glint_option_bytes_protecting(ob, geometry, &unit, type);
		if (area != NULL)
			return area;
	}
	return NULL;
}

/* Edits ------------------------------------------------------------------------ */

/* Decimal, or hexadecimal with 0x: never octal, never two prefixes. */
static gboolean
parse_number(const char *text, guint64 max, guint32 *out)
{
	gboolean hex = g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X");
	const char *digits = hex ? text + 2 : text;
	gchar *end = NULL;
	guint64 v;

	if (*digits == '\0')
		return FALSE;
	for (const char *p = digits; *p != '\0'; p++) {
		if (hex ? !g_ascii_isxdigit(*p) : !g_ascii_isdigit(*p))
			return FALSE;
	}
	v = g_ascii_strtoull(digits, &end, hex ? 16 : 10);
	if (*end != '\0' || v > max)
		return FALSE;
	*out = (guint32)v;
	return TRUE;
}

/* Unit numbers are decimal only: "010" is ten, as everywhere in the CLI. */
static gboolean
parse_decimal(const char *text, guint32 *out)
{
	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X"))
		return FALSE;
	return parse_number(text, G_MAXUINT32, out);
}

static gboolean
apply_rdp(GlintOptionBytes *ob, const char *value, GError **error)
{
	const GlintRdpSpec *rdp = &ob->layout->rdp;
	guint32 raw;

	if (g_strcmp0(value, "0") == 0 || g_strcmp0(value, "1") == 0) {
		glint_option_bytes_set_rdp_level(ob, value[0] - '0');
		return TRUE;
	}
	if (g_strcmp0(value, "0.5") == 0) {
		if (rdp->level_half == 0) {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("RDP=0.5: this chip has no read protection level 0.5"));
			return FALSE;
		}
		glint_option_bytes_set_rdp_half(ob);
		return TRUE;
	}
	if (g_strcmp0(value, "2") == 0) {
		if (rdp->level2 == 0) {
			g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("RDP=2: this chip has no read protection level 2"));
			return FALSE;
		}
		glint_option_bytes_set_rdp_level(ob, 2);
		return TRUE;
	}
	if ((g_str_has_prefix(value, "0x") || g_str_has_prefix(value, "0X")) &&
	    parse_number(value, 0xFF, &raw)) {
		set_bits(ob, rdp->reg, rdp->shift, 8, raw);
		return TRUE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("RDP=%s: use 0,%s 1%s or a raw byte such as 0x%02X"), value,
		    rdp->level_half != 0 ? " 0.5," : "", rdp->level2 != 0 ? ", 2" : "",
		    rdp->level1);
	return FALSE;
}

static gboolean
parse_area_ranges(const GlintProtectionArea *area, const char *value, GArray *ranges,
		  GError **error)
{
	g_auto(GStrv) parts = g_strsplit(value, ",", -1);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_auto(GStrv) ends = g_strsplit(g_strstrip(parts[i]), "-", 2);
		GlintRange r;
		gboolean ok;
		if (area->granule == 0)
			ok = ends[0] != NULL && parse_decimal(ends[0], &r.first) &&
			     (ends[1] == NULL ? (r.last = r.first, TRUE)
					      : parse_decimal(ends[1], &r.last));
		else
			ok = ends[0] != NULL && ends[1] != NULL &&
			     parse_number(ends[0], G_MAXUINT32, &r.first) &&
			     parse_number(ends[1], G_MAXUINT32, &r.last);
		if (!ok) {
			if (area->granule == 0)
				g_set_error(
				    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%s: expected decimal unit numbers FIRST-LAST (e.g. "
				      "%s=0-15), a single one (%s=5), a list (%s=0-3,8) or "
				      "'off'"),
				    area->name, value, area->name, area->name, area->name);
			else
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("%s=%s: expected an address range FIRST-LAST (e.g. "
					      "%s=0x08000000-0x08000FFF) or 'off'"),
					    area->name, value, area->name);
			return FALSE;
		}
		g_array_append_val(ranges, r);
	}
	return TRUE;
}

static gboolean
apply_area(GlintOptionBytes *ob, const GlintOptionContext *ctx, const GlintProtectionArea *area,
	   const char *value, GError **error)
{
	g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(GlintRange));

	if (area->flags & GLINT_AREA_FIXED) {
		fixed_area_error(area, error);
		return FALSE;
	}
	if (g_ascii_strcasecmp(value, "off") == 0 || g_ascii_strcasecmp(value, "none") == 0) {
		/* a no-op for an area not in use (see clear_area) */
		glint_option_bytes_clear_area(ob, area);
		return TRUE;
	}
	if (!parse_area_ranges(area, value, ranges, error))
		return FALSE;
	return glint_option_bytes_set_area(ob, area, ctx->geometry,
					   (const GlintRange *)(gpointer)ranges->data, ranges->len,
					   error);
}

static gboolean
apply_field(GlintOptionBytes *ob, const GlintOptionField *field, const char *value, GError **error)
{
	guint32 max = field->max != 0 ? field->max : field_max(field->width);
	guint32 number;

	if (!parse_number(value, G_MAXUINT32, &number)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s=%s: expected a number (decimal, or hexadecimal with 0x)"),
			    field->name, value);
		return FALSE;
	}
	/* BOOT_ADD takes an address as readily as the register value. */
	if (field->address_scale != 0 && number > max && number % field->address_scale == 0 &&
	    number / field->address_scale <= max)
		number /= field->address_scale;
	if (number > max) {
		if (field->address_scale != 0)
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%s: give an address that is a multiple of 0x%X, up to "
				      "0x%08X"),
				    field->name, value, field->address_scale,
				    max * field->address_scale);
		else
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%s: %s takes values 0-%u"), field->name, value,
				    field->name, max);
		return FALSE;
	}
	glint_option_bytes_set_field(ob, field, number);
	return TRUE;
}

/* The area named @name, preferring one in use when two share a name. */
static const GlintProtectionArea *
find_area_in_use(const GlintOptionBytes *ob, const char *name)
{
	const GlintOptionLayout *layout = ob->layout;
	for (guint i = 0; i < layout->n_areas; i++) {
		if (g_ascii_strcasecmp(layout->areas[i].name, name) == 0 &&
		    glint_option_bytes_area_in_use(ob, &layout->areas[i]))
			return &layout->areas[i];
	}
	return glint_option_layout_find_area(layout, name);
}

static void
unknown_name_error(const GlintOptionLayout *layout, const char *name, GError **error)
{
	g_auto(GStrv) names = glint_option_layout_edit_names(layout);
	g_autofree gchar *known = g_strjoinv(", ", names);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("unknown option '%s'; this chip has: %s"), name, known);
}

gboolean
glint_option_bytes_apply_edit(GlintOptionBytes *ob, const GlintOptionContext *ctx, const char *edit,
			      GError **error)
{
	const GlintOptionLayout *layout = ob->layout;
	g_autofree gchar *name = NULL;
	const char *eq = edit != NULL ? strchr(edit, '=') : NULL;
	const char *value;
	const GlintOptionField *field;
	const GlintProtectionArea *area;
	gint reg;
	guint32 number;

	if (eq == NULL || eq == edit || eq[1] == '\0') {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("'%s': expected NAME=VALUE, e.g. RDP=0 or %s=0-1"),
			    edit != NULL ? edit : "",
			    layout->n_areas > 0 ? layout->areas[0].name : "WRP");
		return FALSE;
	}
	name = g_strndup(edit, eq - edit);
	value = eq + 1;

	if (g_ascii_strcasecmp(name, "RDP") == 0)
		return apply_rdp(ob, value, error);
	area = find_area_in_use(ob, name);
	if (area != NULL)
		return apply_area(ob, ctx, area, value, error);
	field = glint_option_layout_find_field(layout, name);
	if (field != NULL)
		return apply_field(ob, field, value, error);
	reg = glint_option_layout_find_register(layout, name);
	if (reg >= 0) {
		if (!parse_number(value, 0xFFFFFFFFu, &number)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s=%s: expected a register value such as 0x%08X"), name,
				    value, ob->regs[reg]);
			return FALSE;
		}
		ob->regs[reg] = number;
		return TRUE;
	}
	unknown_name_error(layout, name, error);
	return FALSE;
}

/* An area the chip only lets grow (PCROP) must keep what it covers. */
static gboolean
check_grow_only(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		const GlintOptionBytes *new_ob, GError **error)
{
	const GlintOptionLayout *layout = old->layout;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		g_autoptr(GArray) before = NULL;
		g_autoptr(GArray) after = NULL;
		if (!(area->flags & GLINT_AREA_GROW_ONLY))
			continue;
		before = glint_option_bytes_get_area(old, area, ctx->geometry);
		after = glint_option_bytes_get_area(new_ob, area, ctx->geometry);
		for (guint r = 0; r < before->len; r++) {
			GlintRange *b = &g_array_index(before, GlintRange, r);
			if (ranges_cover((const GlintRange *)(gpointer)after->data, after->len,
					 b->first, b->last))
				continue;
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s cannot be reduced or removed by writing the option bytes: "
			      "the chip keeps it as it is. It goes away only with a read "
			      "protection regression from level 1 to 0 where the chip allows "
			      "it (with PCROP_RDP set, on chips that have that bit), which "
			      "erases the chip. Nothing was changed"),
			    area->name);
			return FALSE;
		}
	}
	return TRUE;
}

/* A range area that changes must lie inside its bank: the option registers
 * take any value, so raw edits could name units that do not exist on this
 * part. Areas left as they are pass, whatever they hold, so that a chip set
 * up by another tool can still be repaired. */
static gboolean
area_inside_bank(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		 const GlintOptionBytes *new_ob, const GlintProtectionArea *area, GError **error)
{
	GlintFlashBank whole;
	const GlintFlashBank *bank = area_bank(area, ctx->geometry, &whole);
	g_autoptr(GArray) before = NULL;
	g_autoptr(GArray) after = NULL;
	const GlintRange *r;

	if (area->encoding != GLINT_AREA_RANGE || area->granule != 0 || bank == NULL ||
	    (area->flags & GLINT_AREA_TO_BANK_END))
		return TRUE;
	after = glint_option_bytes_get_area(new_ob, area, ctx->geometry);
	if (after->len == 0)
		return TRUE;
	before = glint_option_bytes_get_area(old, area, ctx->geometry);
	r = &g_array_index(after, GlintRange, 0);
	if (before->len == 1 && g_array_index(before, GlintRange, 0).first == r->first &&
	    g_array_index(before, GlintRange, 0).last == r->last)
		return TRUE;
	if (r->last < bank->first_number + bank->n_units)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%s would protect %s %u-%u, but bank %u of this %u KB %s has %s %u-%u; give "
		      "a range inside the bank. Nothing was changed on the chip"),
		    area->name, glint_geometry_unit_noun(ctx->geometry, 2), r->first, r->last,
		    area->bank + 1, ctx->geometry->size / 1024, ctx->chip_name,
		    glint_geometry_unit_noun(ctx->geometry, 2), bank->first_number,
		    bank->first_number + bank->n_units - 1);
	return FALSE;
}

/* Whether going from @old to @new_ob regresses read protection to level 0
 * (from 1, or from 0.5), which erases the flash on the chip itself */
static gboolean
rdp_regresses_to_0(const GlintOptionBytes *old, const GlintOptionBytes *new_ob)
{
	GlintRdpRank from = glint_option_bytes_rdp_rank(old);
	return (from == GLINT_RDP_LEVEL_1 || from == GLINT_RDP_LEVEL_0_5) &&
	       glint_option_bytes_rdp_rank(new_ob) == GLINT_RDP_LEVEL_0;
}

/* The byte of level 0.5 without its gate is level 1: refuse rather than
 * close the chip by surprise. */
static gboolean
check_rdp_half(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, GError **error)
{
	const GlintOptionLayout *layout = new_ob->layout;
	const GlintRdpSpec *rdp = &layout->rdp;
	const char *gate = _("its enable bit");

	if (rdp->level_half == 0 || glint_option_bytes_rdp_raw(new_ob) != rdp->level_half ||
	    rdp_half_gate_open(new_ob) || glint_option_bytes_rdp_raw(old) == rdp->level_half)
		return TRUE;
	for (guint i = 0; i < layout->n_fields; i++) {
		if (layout->fields[i].reg == rdp->half_gate_reg &&
		    layout->fields[i].shift == rdp->half_gate_shift)
			gate = layout->fields[i].name;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("RDP=0.5 (0x%02X) is level 0.5 only while %s = 1; with %s = 0 the chip "
		      "reads that byte as level 1. Set %s=1 as well, or ask for RDP=1. Nothing was "
		      "changed"),
		    rdp->level_half, gate, gate, gate);
	return FALSE;
}

gboolean
glint_option_bytes_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
			 const GlintOptionBytes *new_ob, GError **error)
{
	const GlintOptionLayout *layout = old->layout;

	/* An RDP regression to level 0 removes grow-only areas on the chip itself. */
	if (!rdp_regresses_to_0(old, new_ob) && !check_grow_only(ctx, old, new_ob, error))
		return FALSE;
	if (!check_rdp_half(old, new_ob, error))
		return FALSE;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		if (!area_inside_bank(ctx, old, new_ob, area, error))
			return FALSE;
		GlintFlashBank whole;
		if (area_bank(area, ctx->geometry, &whole) != NULL ||
		    !glint_option_bytes_area_active(new_ob, area) ||
		    glint_option_bytes_area_active(old, area))
			continue;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s protects bank %u, but the flash of this %s is a single bank; "
			      "nothing was changed"),
			    area->name, area->bank + 1, ctx->chip_name);
		return FALSE;
	}
	if (layout->check != NULL)
		return layout->check(ctx, old, new_ob, error);
	return TRUE;
}

/* Descriptions ------------------------------------------------------------------ */

gchar *
glint_option_bytes_describe_rdp(const GlintOptionBytes *ob)
{
	return g_strdup_printf(_("level %s (0x%02X)"),
			       glint_rdp_rank_name(glint_option_bytes_rdp_rank(ob)),
			       glint_option_bytes_rdp_raw(ob));
}

gchar *
glint_option_bytes_describe_field(const GlintOptionBytes *ob, const GlintOptionField *field)
{
	guint32 v = glint_option_bytes_get_field(ob, field);
	if (field->address_scale != 0)
		return g_strdup_printf("0x%08X", v * field->address_scale);
	for (const GlintOptionChoice *c = field->choices; c != NULL && c->label != NULL; c++) {
		if (c->value == v)
			return g_strdup_printf("%u (%s)", v, glint_tr(c->label));
	}
	return g_strdup_printf("%u", v);
}

static void
append_ranges(GString *s, GArray *ranges, gboolean addresses)
{
	for (guint i = 0; i < ranges->len; i++) {
		const GlintRange *r = &g_array_index(ranges, GlintRange, i);
		if (i > 0)
			g_string_append_c(s, ',');
		if (addresses)
			g_string_append_printf(s, "0x%08X-0x%08X", r->first, r->last);
		else if (r->first == r->last)
			g_string_append_printf(s, "%u", r->first);
		else
			g_string_append_printf(s, "%u-%u", r->first, r->last);
	}
}

gchar *
glint_option_bytes_area_edit_value(const GlintOptionBytes *ob, const GlintProtectionArea *area,
				   const GlintFlashGeometry *geometry)
{
	g_autoptr(GArray) ranges = glint_option_bytes_get_area(ob, area, geometry);
	GString *s = g_string_new(NULL);
	if (ranges->len == 0)
		g_string_append(s, "off");
	append_ranges(s, ranges, area->granule != 0);
	return g_string_free(s, FALSE);
}

gboolean
glint_option_bytes_area_is_empty(const GlintOptionBytes *ob, const GlintProtectionArea *area,
				 const GlintFlashGeometry *geometry)
{
	g_autoptr(GArray) ranges = glint_option_bytes_get_area(ob, area, geometry);
	return ranges->len == 0;
}

gchar *
glint_option_bytes_describe_area(const GlintOptionBytes *ob, const GlintProtectionArea *area,
				 const GlintFlashGeometry *geometry)
{
	g_autoptr(GArray) ranges = glint_option_bytes_get_area(ob, area, geometry);
	GlintFlashBank whole;
	GString *s;

	if (!glint_option_bytes_area_in_use(ob, area))
		return describe_not_in_use(ob, area);
	if (ranges->len == 0)
		return g_strdup(_("off"));
	s = g_string_new(NULL);
	if (area_bank(area, geometry, &whole) == NULL) {
		g_string_append_printf(s, "%s ", glint_geometry_unit_noun(geometry, 2));
		append_ranges(s, ranges, area->granule != 0);
		g_string_append_printf(s, _(" (bank %u absent in single-bank mode)"),
				       area->bank + 1);
		return g_string_free(s, FALSE);
	}
	if (area->granule != 0) {
		append_ranges(s, ranges, TRUE);
		return g_string_free(s, FALSE);
	}
	for (guint i = 0; i < ranges->len; i++) {
		const GlintRange *r = &g_array_index(ranges, GlintRange, i);
		/* a range across banks is told bank by bank */
		for (guint b = 0; b < geometry->n_banks; b++) {
			const GlintFlashBank *fb = &geometry->banks[b];
			guint32 lo = MAX(r->first, fb->first_number);
			guint32 hi = MIN(r->last, fb->first_number + fb->n_units - 1);
			g_autofree gchar *d = NULL;
			if (lo > hi || (!(area->flags & GLINT_AREA_ACROSS_BANKS) &&
					fb->physical != area->bank))
				continue;
			d = glint_geometry_describe_units(geometry, fb->physical, lo, hi);
			if (s->len > 0)
				g_string_append(s, ", ");
			g_string_append(s, d);
		}
	}
	return g_string_free(s, FALSE);
}

/* Changes ------------------------------------------------------------------------ */

void
glint_option_change_free(GlintOptionChange *change)
{
	if (change == NULL)
		return;
	g_free(change->name);
	g_free(change->old_value);
	g_free(change->new_value);
	g_free(change->consequence);
	g_free(change);
}

static GlintOptionChange *
add_change(GPtrArray *changes, const char *name, gchar *old_value, gchar *new_value,
	   const char *consequence, GlintOptionRisk risk)
{
	GlintOptionChange *c = g_new0(GlintOptionChange, 1);
	c->name = g_strdup(name);
	c->old_value = old_value;
	c->new_value = new_value;
	c->consequence = g_strdup(consequence);
	c->risk = risk;
	g_ptr_array_add(changes, c);
	return c;
}

static void explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		    const GlintOptionBytes *new_ob, GlintOptionChange *change);

static void
diff_rdp(GPtrArray *changes, const GlintOptionContext *ctx, const GlintOptionBytes *old,
	 const GlintOptionBytes *new_ob)
{
	GlintRdpRank from = glint_option_bytes_rdp_rank(old);
	GlintRdpRank to = glint_option_bytes_rdp_rank(new_ob);
	const char *consequence = NULL;
	GlintOptionRisk risk = GLINT_OPTION_RISK_NONE;

	if (glint_option_bytes_rdp_raw(old) == glint_option_bytes_rdp_raw(new_ob) && from == to)
		return;
	if (to == GLINT_RDP_LEVEL_2) {
		consequence = _("Level 2 disables the debug port for ever: the chip can never be "
				"read, erased or reprogrammed through SWD again");
		risk = GLINT_OPTION_RISK_PERMANENT;
	} else if (from > GLINT_RDP_LEVEL_0 && to == GLINT_RDP_LEVEL_0) {
		consequence = _("Going back to level 0 makes the chip mass-erase its whole flash "
				"before debug access returns");
		risk = GLINT_OPTION_RISK_MASS_ERASE;
	} else if (from == GLINT_RDP_LEVEL_1 && to == GLINT_RDP_LEVEL_0_5) {
		consequence =
		    _("Going back from level 1 to 0.5 makes the chip erase its non-secure "
		      "flash before debug access returns; the secure side stays");
		risk = GLINT_OPTION_RISK_MASS_ERASE;
	} else if (from == GLINT_RDP_LEVEL_0 && to == GLINT_RDP_LEVEL_0_5) {
		consequence =
		    _("Level 0.5 closes the secure side to the debugger: it then reaches "
		      "only non-secure code, memory and flash; undoing it erases the flash");
		risk = GLINT_OPTION_RISK_LOCKOUT;
	} else if (from < GLINT_RDP_LEVEL_1 && to == GLINT_RDP_LEVEL_1) {
		consequence = _("Level 1 blocks debug reads and writes of flash; undoing it later "
				"erases the whole flash");
		risk = GLINT_OPTION_RISK_MASS_ERASE;
	}
	explain(ctx, old, new_ob,
		add_change(changes, "RDP", glint_option_bytes_describe_rdp(old),
			   glint_option_bytes_describe_rdp(new_ob), consequence, risk));
}

static const char *
risk_consequence(GlintOptionRisk risk)
{
	if (risk & GLINT_OPTION_RISK_PERMANENT)
		return _("This cannot be undone");
	if (risk & GLINT_OPTION_RISK_MASS_ERASE)
		return _("The chip erases its whole flash");
	if (risk & GLINT_OPTION_RISK_GEOMETRY)
		return _("The bank layout changes: addresses of pages change");
	if (risk & GLINT_OPTION_RISK_LOCKOUT)
		return _("The debugger or the code may be locked out");
	if (risk & GLINT_OPTION_RISK_BOOT)
		return _("Changes where the chip boots from");
	return NULL;
}

static void
explain(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	GlintOptionChange *change)
{
	if (old->layout->explain != NULL)
		old->layout->explain(ctx, old, new_ob, change);
}

static void
diff_fields(GPtrArray *changes, const GlintOptionContext *ctx, const GlintOptionBytes *old,
	    const GlintOptionBytes *new_ob)
{
	const GlintOptionLayout *layout = old->layout;
	for (guint i = 0; i < layout->n_fields; i++) {
		const GlintOptionField *field = &layout->fields[i];
		GlintOptionChange *c;
		if (glint_option_bytes_get_field(old, field) ==
		    glint_option_bytes_get_field(new_ob, field))
			continue;
		c = add_change(changes, field->name, glint_option_bytes_describe_field(old, field),
			       glint_option_bytes_describe_field(new_ob, field),
			       field->consequence != NULL ? glint_tr(field->consequence)
							  : risk_consequence(field->risk),
			       field->risk);
		c->field = field;
		explain(ctx, old, new_ob, c);
	}
}

/* Whether @area now covers the first unit of the flash, where the vector
 * table the chip boots from lives. */
static gboolean
covers_boot_unit(const GlintOptionBytes *ob, const GlintProtectionArea *area,
		 const GlintFlashGeometry *geometry)
{
	GlintFlashUnit first;
	if (!glint_geometry_get_unit(geometry, 0, &first) || area->bank != first.physical)
		return FALSE;
	return glint_option_bytes_protecting(ob, geometry, &first, area->type) == area;
}

static void
diff_areas(GPtrArray *changes, const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob)
{
	const GlintOptionLayout *layout = old->layout;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		g_autofree gchar *before =
		    glint_option_bytes_area_edit_value(old, area, ctx->geometry);
		g_autofree gchar *after =
		    glint_option_bytes_area_edit_value(new_ob, area, ctx->geometry);
		gboolean active = glint_option_bytes_area_active(new_ob, area);
		const char *consequence = glint_tr(area->consequence);
		GlintOptionRisk risk = active ? area->risk : GLINT_OPTION_RISK_NONE;
		GlintOptionChange *c;

		if (g_strcmp0(before, after) == 0)
			continue;
		if (active && area->type == GLINT_PROTECT_WRP &&
		    covers_boot_unit(new_ob, area, ctx->geometry)) {
			consequence =
			    _("Protects the boot area (the unit with the vector table): "
			      "firmware updates will fail until the protection is removed");
			risk |= GLINT_OPTION_RISK_BOOT;
		} else if (active && consequence == NULL) {
			consequence = _("Erasing or programming this area will fail until the "
					"protection is removed");
		} else if (!active) {
			consequence = NULL;
		}
		c = add_change(changes, area->name,
			       glint_option_bytes_describe_area(old, area, ctx->geometry),
			       glint_option_bytes_describe_area(new_ob, area, ctx->geometry),
			       consequence, risk);
		c->area = area;
		explain(ctx, old, new_ob, c);
	}
}

/* Bits that no field, area or RDP describes (raw edits of reserved bits). */
static guint32
covered_bits(const GlintOptionLayout *layout, guint reg)
{
	guint32 mask = layout->rdp.reg == reg ? bits_mask(layout->rdp.shift, 8) : 0;
	for (guint i = 0; i < layout->n_fields; i++) {
		if (layout->fields[i].reg == reg)
			mask |= bits_mask(layout->fields[i].shift, layout->fields[i].width);
	}
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *a = &layout->areas[i];
		if (a->encoding == GLINT_AREA_RANGE) {
			if (a->start_reg == reg)
				mask |= bits_mask(a->start_shift, a->start_width);
			if (a->end_reg == reg)
				mask |= bits_mask(a->end_shift, a->end_width);
		} else if (a->mask_reg == reg) {
			mask |= bits_mask(a->mask_shift, a->mask_bits);
		}
	}
	return mask;
}

static void
diff_other_bits(GPtrArray *changes, const GlintOptionBytes *old, const GlintOptionBytes *new_ob)
{
	const GlintOptionLayout *layout = old->layout;
	for (guint r = 0; r < layout->n_regs; r++) {
		guint32 other = (old->regs[r] ^ new_ob->regs[r]) & ~covered_bits(layout, r);
		g_autofree gchar *name = NULL;
		if (other == 0)
			continue;
		name = g_strdup_printf(_("%s (bits 0x%08X)"), layout->regs[r].name, other);
		add_change(changes, name, g_strdup_printf("0x%08X", old->regs[r] & other),
			   g_strdup_printf("0x%08X", new_ob->regs[r] & other),
			   _("Changes bits the reference manual reserves"), GLINT_OPTION_RISK_NONE);
	}
}

GPtrArray *
glint_option_bytes_diff(const GlintOptionContext *ctx, const GlintOptionBytes *old,
			const GlintOptionBytes *new_ob)
{
	GPtrArray *changes =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_option_change_free);

	diff_rdp(changes, ctx, old, new_ob);
	diff_fields(changes, ctx, old, new_ob);
	diff_areas(changes, ctx, old, new_ob);
	diff_other_bits(changes, old, new_ob);
	return changes;
}

GlintOptionRisk
glint_option_changes_risk(GPtrArray *changes)
{
	GlintOptionRisk risk = GLINT_OPTION_RISK_NONE;
	for (guint i = 0; i < changes->len; i++) {
		const GlintOptionChange *c = g_ptr_array_index(changes, i);
		risk |= c->risk;
	}
	return risk;
}
