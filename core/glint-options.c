/* glint-options.c: option-byte values, edits and their consequences. */
#define G_LOG_DOMAIN "glint-options"

#include "glint-options.h"

#include <stdlib.h>
#include <string.h>

#include "glint-error.h"

/* RM0351 3.7.8: WRPxyR.WRPxy_STRT [7:0], WRPxy_END [23:16]; other bits
 * reserved (read as 1). An area with STRT > END protects nothing. */
#define FLASH_WRPR_STRT_MASK 0x000000FFu
#define FLASH_WRPR_END_SHIFT 16
#define FLASH_WRPR_END_MASK 0x00FF0000u
#define FLASH_WRPR_RESERVED 0xFF00FF00u
#define FLASH_WRPR_FACTORY 0xFF00FFFFu

#define FLASH_OPTR_FACTORY 0xFFEFF8AAu
#define FLASH_PCROPSR_FACTORY 0xFFFFFFFFu
#define FLASH_PCROPER_FACTORY 0xFFFF0000u
#define FLASH_OPTR_RDP_MASK 0xFFu

/* The RDP value Glint writes for "level 1" (any value but 0xAA/0xCC). */
#define GLINT_RDP_LEVEL1 0xBB

static const char *const wrp_names[GLINT_WRP_N_AREAS] = {"WRP1A", "WRP1B", "WRP2A", "WRP2B"};

const char *
glint_wrp_area_name(GlintWrpArea area)
{
	g_return_val_if_fail(area < GLINT_WRP_N_AREAS, "?");
	return wrp_names[area];
}

guint
glint_wrp_area_bank(GlintWrpArea area)
{
	return area >= GLINT_WRP_2A ? 1 : 0;
}

static guint32 *
wrp_register(GlintOptionBytes *ob, GlintWrpArea area)
{
	switch (area) {
	case GLINT_WRP_1A:
		return &ob->wrp1ar;
	case GLINT_WRP_1B:
		return &ob->wrp1br;
	case GLINT_WRP_2A:
		return &ob->wrp2ar;
	default:
		return &ob->wrp2br;
	}
}

static guint32
wrp_value(const GlintOptionBytes *ob, GlintWrpArea area)
{
	return *wrp_register((GlintOptionBytes *)ob, area);
}

void
glint_option_bytes_init_factory(GlintOptionBytes *ob)
{
	ob->optr = FLASH_OPTR_FACTORY;
	ob->pcrop1sr = FLASH_PCROPSR_FACTORY;
	ob->pcrop1er = FLASH_PCROPER_FACTORY;
	ob->pcrop2sr = FLASH_PCROPSR_FACTORY;
	ob->pcrop2er = FLASH_PCROPER_FACTORY;
	ob->wrp1ar = FLASH_WRPR_FACTORY;
	ob->wrp1br = FLASH_WRPR_FACTORY;
	ob->wrp2ar = FLASH_WRPR_FACTORY;
	ob->wrp2br = FLASH_WRPR_FACTORY;
}

guint
glint_option_bytes_rdp_level(const GlintOptionBytes *ob)
{
	guint8 rdp = ob->optr & FLASH_OPTR_RDP_MASK;
	if (rdp == GLINT_RDP_LEVEL0)
		return 0;
	if (rdp == GLINT_RDP_LEVEL2)
		return 2;
	return 1;
}

static guint32
field_mask(const GlintOptionField *field)
{
	return (field->width >= 32 ? 0xFFFFFFFFu : ((1u << field->width) - 1)) << field->shift;
}

guint32
glint_option_bytes_get_field(const GlintOptionBytes *ob, const GlintOptionField *field)
{
	return (ob->optr & field_mask(field)) >> field->shift;
}

void
glint_option_bytes_set_field(GlintOptionBytes *ob, const GlintOptionField *field, guint32 value)
{
	guint32 mask = field_mask(field);
	ob->optr = (ob->optr & ~mask) | ((value << field->shift) & mask);
}

gboolean
glint_option_bytes_get_wrp(const GlintOptionBytes *ob, GlintWrpArea area, guint *first, guint *last)
{
	guint32 v = wrp_value(ob, area);
	guint start = v & FLASH_WRPR_STRT_MASK;
	guint end = (v & FLASH_WRPR_END_MASK) >> FLASH_WRPR_END_SHIFT;
	if (first != NULL)
		*first = start;
	if (last != NULL)
		*last = end;
	return start <= end;
}

void
glint_option_bytes_set_wrp(GlintOptionBytes *ob, GlintWrpArea area, gboolean active, guint first,
			   guint last)
{
	guint32 *reg = wrp_register(ob, area);
	if (!active) {
		*reg = FLASH_WRPR_FACTORY;
		return;
	}
	*reg = FLASH_WRPR_RESERVED | ((last & 0xFF) << FLASH_WRPR_END_SHIFT) | (first & 0xFF);
}

gint
glint_option_bytes_wrp_covering(const GlintOptionBytes *ob, guint bank, guint page)
{
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++) {
		guint first, last;
		if (glint_wrp_area_bank(a) != bank)
			continue;
		if (glint_option_bytes_get_wrp(ob, a, &first, &last) && page >= first &&
		    page <= last)
			return (gint)a;
	}
	return -1;
}

static gboolean
parse_number(const char *text, guint64 max, guint32 *out)
{
	gchar *end = NULL;
	guint64 v;

	if (text == NULL || *text == '\0' || *text == '-' || *text == '+')
		return FALSE;
	v = g_ascii_strtoull(text, &end, 0);
	if (end == text || *end != '\0' || v > max)
		return FALSE;
	*out = (guint32)v;
	return TRUE;
}

static gboolean
apply_rdp(GlintOptionBytes *ob, const char *value, GError **error)
{
	guint32 raw;

	if (g_strcmp0(value, "0") == 0)
		raw = GLINT_RDP_LEVEL0;
	else if (g_strcmp0(value, "1") == 0)
		raw = GLINT_RDP_LEVEL1;
	else if (g_strcmp0(value, "2") == 0)
		raw = GLINT_RDP_LEVEL2;
	else if (g_str_has_prefix(value, "0x") || g_str_has_prefix(value, "0X")) {
		if (!parse_number(value, 0xFF, &raw)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "RDP=%s: a raw RDP value is one byte (0x00-0xFF)", value);
			return FALSE;
		}
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "RDP=%s: use 0, 1, 2 or a raw byte such as 0xBB", value);
		return FALSE;
	}
	ob->optr = (ob->optr & ~FLASH_OPTR_RDP_MASK) | raw;
	return TRUE;
}

static gboolean
apply_wrp(GlintOptionBytes *ob, GlintWrpArea area, const GlintFlashGeometry *geometry,
	  const char *value, GError **error)
{
	g_auto(GStrv) parts = NULL;
	guint32 first, last;
	const char *name = glint_wrp_area_name(area);

	if (g_ascii_strcasecmp(value, "off") == 0 || g_ascii_strcasecmp(value, "none") == 0) {
		glint_option_bytes_set_wrp(ob, area, FALSE, 0, 0);
		return TRUE;
	}
	if (glint_wrp_area_bank(area) >= geometry->n_banks) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "%s protects bank 2, but the flash is configured as a single bank; "
			    "use WRP1A/WRP1B",
			    name);
		return FALSE;
	}
	parts = g_strsplit(value, "-", 2);
	if (g_strv_length(parts) != 2 || !parse_number(parts[0], 0xFFFF, &first) ||
	    !parse_number(parts[1], 0xFFFF, &last)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "%s=%s: expected FIRST-LAST page numbers (e.g. %s=0-15) or 'off'", name,
			    value, name);
		return FALSE;
	}
	if (first > last) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "%s=%s: the range is reversed (first page %u is after last page %u)",
			    name, value, first, last);
		return FALSE;
	}
	if (last >= geometry->pages_per_bank) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "%s=%s: page %u is beyond the bank, which has pages 0-%u", name, value,
			    last, geometry->pages_per_bank - 1);
		return FALSE;
	}
	glint_option_bytes_set_wrp(ob, area, TRUE, first, last);
	return TRUE;
}

static guint32 *
raw_register(GlintOptionBytes *ob, const char *name)
{
	struct {
		const char *name;
		gsize offset;
	} regs[] = {
	    {"OPTR", G_STRUCT_OFFSET(GlintOptionBytes, optr)},
	    {"PCROP1SR", G_STRUCT_OFFSET(GlintOptionBytes, pcrop1sr)},
	    {"PCROP1ER", G_STRUCT_OFFSET(GlintOptionBytes, pcrop1er)},
	    {"WRP1AR", G_STRUCT_OFFSET(GlintOptionBytes, wrp1ar)},
	    {"WRP1BR", G_STRUCT_OFFSET(GlintOptionBytes, wrp1br)},
	    {"PCROP2SR", G_STRUCT_OFFSET(GlintOptionBytes, pcrop2sr)},
	    {"PCROP2ER", G_STRUCT_OFFSET(GlintOptionBytes, pcrop2er)},
	    {"WRP2AR", G_STRUCT_OFFSET(GlintOptionBytes, wrp2ar)},
	    {"WRP2BR", G_STRUCT_OFFSET(GlintOptionBytes, wrp2br)},
	};
	for (guint i = 0; i < G_N_ELEMENTS(regs); i++) {
		if (g_ascii_strcasecmp(regs[i].name, name) == 0)
			return G_STRUCT_MEMBER_P(ob, regs[i].offset);
	}
	return NULL;
}

gboolean
glint_option_bytes_apply_edit(GlintOptionBytes *ob, const GlintChip *chip,
			      const GlintFlashGeometry *geometry, const char *edit, GError **error)
{
	g_autofree gchar *name = NULL;
	const char *eq = edit != NULL ? strchr(edit, '=') : NULL;
	const char *value;
	const GlintOptionField *field;
	guint32 *reg;
	guint32 number;

	if (eq == NULL || eq == edit || eq[1] == '\0') {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "'%s': expected NAME=VALUE, e.g. BFB2=1, RDP=0 or WRP1A=0-15",
			    edit != NULL ? edit : "");
		return FALSE;
	}
	name = g_strndup(edit, eq - edit);
	value = eq + 1;

	if (g_ascii_strcasecmp(name, "RDP") == 0)
		return apply_rdp(ob, value, error);
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++) {
		if (g_ascii_strcasecmp(name, wrp_names[a]) == 0)
			return apply_wrp(ob, a, geometry, value, error);
	}
	if (g_ascii_strcasecmp(name, "DUALBANK") == 0 && !geometry->dualbank_configurable) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "DUALBANK has no effect on this %u KB %s: the largest part is always "
			    "dual bank (RM0351 3.2)",
			    geometry->size / 1024, chip->name);
		return FALSE;
	}
	field = glint_chip_find_option_field(chip, name);
	if (field != NULL) {
		guint64 max = (1ull << field->width) - 1;
		if (!parse_number(value, max, &number)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "%s=%s: %s is a %u-bit field, values 0-%" G_GUINT64_FORMAT,
				    field->name, value, field->name, field->width, max);
			return FALSE;
		}
		glint_option_bytes_set_field(ob, field, number);
		return TRUE;
	}
	reg = raw_register(ob, name);
	if (reg != NULL) {
		if (!parse_number(value, 0xFFFFFFFFu, &number)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "%s=%s: expected a 32-bit register value such as 0x%08X", name,
				    value, *reg);
			return FALSE;
		}
		*reg = number;
		return TRUE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    "unknown option '%s'; known: RDP, WRP1A, WRP1B, WRP2A, WRP2B, the FLASH_OPTR "
		    "fields (BOR_LEV, nRST_STOP, BFB2, DUALBANK, nBOOT1, SRAM2_PE, ...) and raw "
		    "registers (OPTR, WRP1AR, PCROP1SR, ...)",
		    name);
	return FALSE;
}

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

gchar *
glint_option_bytes_describe_rdp(const GlintOptionBytes *ob)
{
	return g_strdup_printf("level %u (0x%02X)", glint_option_bytes_rdp_level(ob),
			       ob->optr & FLASH_OPTR_RDP_MASK);
}

gchar *
glint_option_bytes_describe_wrp(const GlintOptionBytes *ob, GlintWrpArea area,
				const GlintFlashGeometry *geometry)
{
	guint first, last;
	guint bank = glint_wrp_area_bank(area);

	if (!glint_option_bytes_get_wrp(ob, area, &first, &last))
		return g_strdup("off");
	if (bank >= geometry->n_banks)
		return g_strdup_printf("pages %u-%u (bank 2 absent in single-bank mode)", first,
				       last);
	return g_strdup_printf("pages %u-%u (0x%08X-0x%08X)", first, last,
			       glint_geometry_page_address(geometry, bank, first),
			       glint_geometry_page_address(geometry, bank, last) +
				   geometry->page_size - 1);
}

static void
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
}

static void
diff_rdp(GPtrArray *changes, const GlintOptionBytes *old, const GlintOptionBytes *new_ob)
{
	guint from = glint_option_bytes_rdp_level(old);
	guint to = glint_option_bytes_rdp_level(new_ob);
	const char *consequence = NULL;
	GlintOptionRisk risk = GLINT_OPTION_RISK_NONE;

	if ((old->optr & FLASH_OPTR_RDP_MASK) == (new_ob->optr & FLASH_OPTR_RDP_MASK))
		return;
	if (to == 2) {
		consequence = "Level 2 disables the debug port for ever: the chip can never be "
			      "read, erased or reprogrammed through SWD again";
		risk = GLINT_OPTION_RISK_PERMANENT;
	} else if (from >= 1 && to == 0) {
		consequence = "Going back to level 0 makes the chip mass-erase its whole flash "
			      "(both banks) before debug access returns";
		risk = GLINT_OPTION_RISK_MASS_ERASE;
	} else if (from == 0 && to == 1) {
		consequence = "Level 1 blocks debug reads and writes of flash; undoing it later "
			      "erases the whole flash";
		risk = GLINT_OPTION_RISK_MASS_ERASE;
	}
	add_change(changes, "RDP", glint_option_bytes_describe_rdp(old),
		   glint_option_bytes_describe_rdp(new_ob), consequence, risk);
}

static void
diff_field(GPtrArray *changes, const GlintOptionField *field, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, const GlintFlashGeometry *geometry, gboolean bank2_empty)
{
	guint32 from = glint_option_bytes_get_field(old, field);
	guint32 to = glint_option_bytes_get_field(new_ob, field);
	const char *consequence = NULL;
	GlintOptionRisk risk = field->risk;

	if (from == to)
		return;
	if (g_strcmp0(field->name, "BFB2") == 0) {
		if (to == 1 && bank2_empty) {
			consequence =
			    "The chip will start in the system bootloader, which finds no "
			    "valid image in bank 2: program bank 2 first, or the board may "
			    "not run your firmware";
		} else {
			consequence = to == 1 ? "The chip will boot from bank 2 (through the "
						"system bootloader)"
					      : "The chip will boot from bank 1";
			risk &= ~GLINT_OPTION_RISK_BOOT;
		}
	} else if (g_strcmp0(field->name, "DUALBANK") == 0) {
		consequence = to == 1 ? "The flash becomes two banks: addresses of pages change; "
					"Glint mass-erases the flash first"
				      : "The flash becomes one bank: bank 2 disappears; Glint "
					"mass-erases the flash first";
	} else if (field->risk & GLINT_OPTION_RISK_BOOT) {
		consequence = "Changes where the chip boots from";
	}
	(void)geometry;
	add_change(changes, field->name, g_strdup_printf("%u", from), g_strdup_printf("%u", to),
		   consequence, risk);
}

static void
diff_wrp(GPtrArray *changes, GlintWrpArea area, const GlintOptionBytes *old,
	 const GlintOptionBytes *new_ob, const GlintFlashGeometry *geometry)
{
	guint first = 0, last = 0;
	const char *consequence = NULL;
	GlintOptionRisk risk = GLINT_OPTION_RISK_NONE;
	gboolean active;

	if (wrp_value(old, area) == wrp_value(new_ob, area))
		return;
	active = glint_option_bytes_get_wrp(new_ob, area, &first, &last);
	if (active && glint_wrp_area_bank(area) == 0 && first == 0) {
		consequence = "Protects the boot area (page 0 with the vector table): firmware "
			      "updates will fail until the protection is removed";
		risk = GLINT_OPTION_RISK_BOOT;
	} else if (active) {
		consequence = "Erasing or programming these pages will fail until the protection "
			      "is removed";
	}
	add_change(changes, glint_wrp_area_name(area),
		   glint_option_bytes_describe_wrp(old, area, geometry),
		   glint_option_bytes_describe_wrp(new_ob, area, geometry), consequence, risk);
}

static void
diff_raw(GPtrArray *changes, const char *name, guint32 from, guint32 to)
{
	if (from == to)
		return;
	add_change(changes, name, g_strdup_printf("0x%08X", from), g_strdup_printf("0x%08X", to),
		   "Changes proprietary code read protection (PCROP)", GLINT_OPTION_RISK_NONE);
}

GPtrArray *
glint_option_bytes_diff(const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
			const GlintChip *chip, const GlintFlashGeometry *geometry,
			gboolean bank2_empty)
{
	GPtrArray *changes =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_option_change_free);

	diff_rdp(changes, old, new_ob);
	for (guint i = 0; i < chip->n_optr_fields; i++) {
		if (g_strcmp0(chip->optr_fields[i].name, "RDP") == 0)
			continue;
		diff_field(changes, &chip->optr_fields[i], old, new_ob, geometry, bank2_empty);
	}
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++)
		diff_wrp(changes, a, old, new_ob, geometry);
	diff_raw(changes, "PCROP1SR", old->pcrop1sr, new_ob->pcrop1sr);
	diff_raw(changes, "PCROP1ER", old->pcrop1er, new_ob->pcrop1er);
	diff_raw(changes, "PCROP2SR", old->pcrop2sr, new_ob->pcrop2sr);
	diff_raw(changes, "PCROP2ER", old->pcrop2er, new_ob->pcrop2er);
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
