/* Unit tests: the family registry, flash geometry (uniform pages and mixed
 * sectors), option-byte layouts, edits and diffs, progress. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family.h"
#include "glint-options.h"
#include "glint-progress.h"

static const GlintChip *
l47x(void)
{
	const GlintChip *chip = glint_chip_lookup(0x415);
	ck_assert_ptr_nonnull(chip);
	return chip;
}

/* The L47x option bytes with FLASH_OPTR (register 0) set to @optr. */
static GlintOptionBytes
l47x_options(guint32 optr)
{
	GlintOptionBytes ob;
	glint_option_bytes_init_factory(&ob, l47x()->options);
	ob.regs[0] = optr;
	return ob;
}

static GlintFlashGeometry
l47x_geometry(guint kb, guint32 optr)
{
	GlintFlashGeometry g;
	GlintOptionBytes ob = l47x_options(optr);
	glint_chip_default_geometry(l47x(), kb, &ob, &g);
	return g;
}

static GlintOptionContext
context(const GlintFlashGeometry *g, gboolean bank2_empty)
{
	GlintOptionContext ctx = {l47x()->options, g, l47x()->name, bank2_empty, l47x()};
	return ctx;
}

START_TEST(test_registry)
{
	const GlintFamily *const *families = glint_family_all();
	g_autofree gchar *supported = glint_chip_describe_supported();

	ck_assert_ptr_nonnull(families[0]);
	ck_assert_ptr_nonnull(glint_family_lookup("l4"));
	ck_assert_ptr_null(glint_family_lookup("nope"));
	ck_assert_str_eq(l47x()->name, "STM32L47x/L48x");
	ck_assert_ptr_eq(l47x()->family, glint_family_lookup("l4"));
	ck_assert_ptr_eq(glint_chip_identify(0x415, 0x410FC241), l47x());
	ck_assert_ptr_null(glint_chip_lookup(0x999));
	ck_assert_ptr_null(glint_chip_identify(0x999, 0));
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1007), "4");
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x4242), "unknown");
	ck_assert_ptr_nonnull(strstr(supported, "STM32L47x/L48x (0x415)"));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(l47x()->options, "nRST_STOP"));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(l47x()->options, "bfb2"));
	ck_assert_ptr_null(glint_option_layout_find_field(l47x()->options, "NOPE"));
	ck_assert_ptr_nonnull(glint_option_layout_find_area(l47x()->options, "wrp2b"));
	ck_assert_str_eq(glint_chip_status_name(l47x()), "FLASH_SR");
	{
		g_autofree gchar *none = glint_chip_describe_status(l47x(), 0);
		g_autofree gchar *two = glint_chip_describe_status(l47x(), (1u << 7) | (1u << 15));
		ck_assert_str_eq(none, "none");
		ck_assert_str_eq(two, "PGSERR, OPTVERR");
	}
}
END_TEST

START_TEST(test_geometry_1m_always_dual)
{
	/* DUALBANK cleared: the 1 MB part is dual bank all the same. */
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFCFF8AA);
	GlintFlashUnit u;
	g_autofree gchar *shape = glint_geometry_describe(&g);

	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].base, 0x08080000);
	ck_assert_uint_eq(g.banks[0].n_units, 256);
	ck_assert_uint_eq(g.n_units, 512);
	ck_assert_uint_eq(g.program_unit, 8);
	ck_assert_uint_eq(g.erased_value, 0xFF);
	ck_assert(!g.bank_mode_configurable);
	ck_assert_str_eq(shape, "2 banks of 256 pages x 2 KiB");
	ck_assert(glint_geometry_unit_at(&g, 0x08080000, &u));
	ck_assert_uint_eq(u.physical, 1);
	ck_assert_uint_eq(u.number, 0);
	ck_assert_uint_eq(u.index, 256);
	ck_assert(glint_geometry_unit_at(&g, 0x080FFFFF, &u));
	ck_assert_uint_eq(u.physical, 1);
	ck_assert_uint_eq(u.number, 255);
	ck_assert(!glint_geometry_unit_at(&g, 0x08100000, NULL));
	ck_assert(!glint_geometry_unit_at(&g, 0x07FFFFFF, NULL));
	ck_assert(glint_geometry_unit_by_number(&g, 1, 3, &u));
	ck_assert_uint_eq(u.address, 0x08081800);
	ck_assert(glint_geometry_contains(&g, 0x08000000, 1024 * 1024));
	ck_assert(!glint_geometry_contains(&g, 0x08000000, 1024 * 1024 + 1));
}
END_TEST

START_TEST(test_geometry_512k_follows_dualbank)
{
	GlintFlashGeometry g = l47x_geometry(512, 0xFFEFF8AA);
	GlintFlashUnit u;

	ck_assert(g.bank_mode_configurable);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[0].n_units, 128);
	ck_assert(glint_geometry_unit_at(&g, 0x08040000, &u));
	ck_assert_uint_eq(u.physical, 1);
	ck_assert_uint_eq(u.number, 0);
	g = l47x_geometry(512, 0xFFCFF8AA);
	ck_assert_uint_eq(g.n_banks, 1);
	ck_assert_uint_eq(g.banks[0].n_units, 256);
	ck_assert(glint_geometry_unit_at(&g, 0x08040000, &u));
	ck_assert_uint_eq(u.physical, 0);
	ck_assert_uint_eq(u.number, 128);
	g = l47x_geometry(256, 0xFFEFF8AA);
	ck_assert_uint_eq(g.banks[0].n_units, 64);
	ck_assert_uint_eq(g.n_banks, 2);
}
END_TEST

/* Every chip of every family: `options show` marks a field "changed from
 * factory" by the field's factory value, so each must be what the factory
 * registers hold in its bits (a field moved, widened or given the wrong
 * factory value says "changed" on a new chip). */
START_TEST(test_field_factory_values_agree)
{
	guint checked = 0;

	for (const GlintFamily *const *f = glint_family_all(); *f != NULL; f++) {
		for (guint c = 0; c < (*f)->n_chips; c++) {
			const GlintChip *chip = &(*f)->chips[c];
			const GlintOptionLayout *layout = chip->options;
			GlintOptionBytes factory;

			glint_option_bytes_init_factory(&factory, layout);
			for (guint i = 0; i < layout->n_fields; i++) {
				const GlintOptionField *field = &layout->fields[i];
				ck_assert_msg(glint_option_bytes_get_field(&factory, field) ==
						  field->factory,
					      "%s %s: factory %u, the factory registers hold %u",
					      chip->name, field->name, field->factory,
					      glint_option_bytes_get_field(&factory, field));
				checked++;
			}
		}
	}
	ck_assert_uint_gt(checked, 100);
}
END_TEST

/* Areas of one bit per group of units (STM32F1 WRP, STM32H7 WPSN): a range
 * beyond the bank is refused naming the bank and its units. */
START_TEST(test_mask_area_beyond_its_bank)
{
	static const struct {
		guint16 dev_id;
		guint32 flash_kb;
		const char *edit, *says;
	} cases[] = {
	    {0x410, 64, "WRP=0-64",
	     "WRP=0-64: the range reaches beyond the bank: bank 1 has "
	     "pages 0-63"},
	    {0x450, 2048, "WPSN2=0-9",
	     "WPSN2=0-9: the range reaches beyond the bank: bank 2 has "
	     "sectors 0-7"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const GlintChip *chip = glint_chip_lookup(cases[i].dev_id);
		GlintOptionBytes ob;
		GlintFlashGeometry g;
		GlintOptionContext ctx;
		g_autoptr(GError) error = NULL;

		ck_assert_ptr_nonnull(chip);
		glint_option_bytes_init_factory(&ob, chip->options);
		glint_chip_default_geometry(chip, cases[i].flash_kb, &ob, &g);
		ctx = (GlintOptionContext){chip->options, &g, chip->name, FALSE, chip};
		ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, cases[i].edit, &error));
		ck_assert_msg(g_strcmp0(error->message, cases[i].says) == 0, "%s", error->message);
	}
}
END_TEST

/* An area whose bits run on across both banks (STM32L07x WRPROT, RM0367
 * 3.4.1) is told bank by bank. */
START_TEST(test_area_across_banks_told_bank_by_bank)
{
	const GlintChip *chip = glint_chip_lookup(0x447);
	GlintOptionBytes ob;
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	g_autofree gchar *covers = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert_ptr_nonnull(chip);
	glint_option_bytes_init_factory(&ob, chip->options);
	glint_chip_default_geometry(chip, 192, &ob, &g);
	ctx = (GlintOptionContext){chip->options, &g, chip->name, FALSE, chip};
	ck_assert_msg(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=704-831", &error), "%s",
		      error ? error->message : "");
	covers = glint_option_bytes_describe_area(
	    &ob, glint_option_layout_find_area(chip->options, "WRP1"), &g);
	ck_assert_str_eq(covers, "pages 704-767 of bank 1 (0x08016000-0x08017FFF), pages 768-831 "
				 "of bank 2 (0x08018000-0x08019FFF)");
}
END_TEST

/* An F4-like sector map with a second bank numbered from 12, to pin the
 * generic lookups on mixed unit sizes. */
static GlintFlashGeometry
sectors_geometry(void)
{
	static const GlintUnitRun runs[] = {{16 * 1024, 4}, {64 * 1024, 1}, {128 * 1024, 7}};
	GlintFlashGeometry g;
	glint_geometry_init(&g, 0x08000000, 0xFF, 4, "sector");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, runs, 3);
	glint_geometry_add_bank(&g, 0x08100000, 1, 12, runs, 3);
	return g;
}

START_TEST(test_geometry_mixed_sectors)
{
	GlintFlashGeometry g = sectors_geometry();
	GlintFlashUnit u;
	g_autofree gchar *shape = glint_geometry_describe(&g);
	g_autofree gchar *one = NULL;
	guint32 size = 0;

	ck_assert_uint_eq(g.size, 2 * 1024 * 1024);
	ck_assert_uint_eq(g.n_units, 24);
	ck_assert_uint_eq(g.largest_unit, 128 * 1024);
	ck_assert(!glint_geometry_is_uniform(&g, &size));
	ck_assert_str_eq(shape, "2 banks of 12 sectors (4 x 16 KiB, 1 x 64 KiB, 7 x 128 KiB each)");
	ck_assert(glint_geometry_unit_at(&g, 0x0800C000, &u));
	ck_assert_uint_eq(u.number, 3);
	ck_assert_uint_eq(u.size, 16 * 1024);
	ck_assert(glint_geometry_unit_at(&g, 0x08010000, &u));
	ck_assert_uint_eq(u.number, 4);
	ck_assert_uint_eq(u.size, 64 * 1024);
	ck_assert(glint_geometry_unit_at(&g, 0x080FFFFF, &u));
	ck_assert_uint_eq(u.number, 11);
	ck_assert_uint_eq(u.address, 0x080E0000);
	ck_assert(glint_geometry_unit_at(&g, 0x08104000, &u));
	ck_assert_uint_eq(u.number, 13);
	ck_assert_uint_eq(u.physical, 1);
	ck_assert_uint_eq(u.index, 13);
	ck_assert_uint_eq(u.in_bank, 1);
	ck_assert(glint_geometry_get_unit(&g, 23, &u));
	ck_assert_uint_eq(u.address, 0x081E0000);
	ck_assert(!glint_geometry_get_unit(&g, 24, &u));
	ck_assert(glint_geometry_unit_by_number(&g, 1, 16, &u));
	ck_assert_uint_eq(u.address, 0x08110000);
	ck_assert_uint_eq(u.size, 64 * 1024);
	ck_assert(!glint_geometry_unit_by_number(&g, 1, 11, &u));
	one = glint_geometry_describe_unit(&g, &u);
	ck_assert_str_eq(one, "sector 16 of bank 2 (0x08110000-0x0811FFFF)");
}
END_TEST

/* One bank of mixed sectors (an F401-like part): the shape names no
 * banks, and "each" only says something when there are two. */
START_TEST(test_geometry_single_bank_sectors)
{
	static const GlintUnitRun runs[] = {{16 * 1024, 4}, {64 * 1024, 1}, {128 * 1024, 3}};
	GlintFlashGeometry g;
	GlintFlashUnit u;
	g_autofree gchar *shape = NULL;
	g_autofree gchar *one = NULL;

	glint_geometry_init(&g, 0x08000000, 0xFF, 4, "sector");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, runs, 3);
	shape = glint_geometry_describe(&g);
	ck_assert_str_eq(shape, "1 bank of 8 sectors (4 x 16 KiB, 1 x 64 KiB, 3 x 128 KiB)");
	ck_assert(glint_geometry_unit_at(&g, 0x08020000, &u));
	one = glint_geometry_describe_unit(&g, &u);
	ck_assert_str_eq(one, "sector 5 (0x08020000-0x0803FFFF)");
}
END_TEST

START_TEST(test_geometry_hole_between_banks)
{
	GlintUnitRun run = {2048, 64};
	GlintFlashGeometry g;
	glint_geometry_init(&g, 0x08000000, 0x00, 4, "page");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, &run, 1);
	glint_geometry_add_bank(&g, 0x08040000, 1, 0, &run, 1);
	ck_assert_uint_eq(g.erased_value, 0x00);
	ck_assert(glint_geometry_contains(&g, 0x0801F000, 0x1000));
	ck_assert(!glint_geometry_contains(&g, 0x0801F000, 0x1001));
	ck_assert(!glint_geometry_unit_at(&g, 0x08020000, NULL));
	ck_assert(glint_geometry_contains(&g, 0x08040000, 0x20000));
	ck_assert_uint_eq(glint_geometry_end(&g), 0x08060000);
}
END_TEST

START_TEST(test_rdp_edits)
{
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFEFF8AA);
	GlintOptionContext ctx = context(&g, FALSE);
	GlintOptionBytes ob = l47x_options(0xFFEFF8AA);
	g_autoptr(GError) error = NULL;

	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 0);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "RDP=1", &error));
	ck_assert_uint_eq(ob.regs[0] & 0xFF, 0xBB);
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 1);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "RDP=2", &error));
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 2);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "RDP=0x55", &error));
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 1);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "rdp=0", &error));
	ck_assert_uint_eq(ob.regs[0], 0xFFEFF8AA);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "RDP=3", &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "RDP=0x100", &error));
	ck_assert_uint_eq(ob.regs[0], 0xFFEFF8AA);
}
END_TEST

START_TEST(test_wrp_edits)
{
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFEFF8AA);
	GlintOptionContext ctx = context(&g, FALSE);
	GlintOptionBytes ob = l47x_options(0xFFEFF8AA);
	const GlintOptionLayout *layout = l47x()->options;
	const GlintProtectionArea *wrp1a = glint_option_layout_find_area(layout, "WRP1A");
	const GlintProtectionArea *wrp2b = glint_option_layout_find_area(layout, "WRP2B");
	g_autoptr(GError) error = NULL;
	GlintFlashUnit u15, u16, b2u3, b2u11;
	g_autofree gchar *value = NULL;

	glint_geometry_unit_by_number(&g, 0, 15, &u15);
	glint_geometry_unit_by_number(&g, 0, 16, &u16);
	glint_geometry_unit_by_number(&g, 1, 3, &b2u3);
	glint_geometry_unit_by_number(&g, 1, 11, &b2u11);
	ck_assert(!glint_option_bytes_area_active(&ob, wrp1a));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=0-15", &error));
	ck_assert_uint_eq(ob.regs[3], 0xFF0FFF00);
	ck_assert(glint_option_bytes_area_active(&ob, wrp1a));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u15, GLINT_PROTECT_WRP), wrp1a);
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u16, -1));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &b2u3, -1));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2B=10-12", &error));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &b2u11, -1), wrp2b);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=off", &error));
	ck_assert_uint_eq(ob.regs[3], 0xFF00FFFF);

	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=7-3", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "reversed"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1B=0-256", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "pages 0-255"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=250-255x", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=-1-3", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=0x2-0x4", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=1-2,5-6", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "one range"));
	g_clear_error(&error);

	/* Unit numbers are decimal: "010" is ten, not eight (issue 16.7). */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1B=010-012", &error));
	value = glint_option_bytes_area_edit_value(
	    &ob, glint_option_layout_find_area(layout, "WRP1B"), &g);
	ck_assert_str_eq(value, "10-12");
}
END_TEST

/* A one-page area is an area: STRT == END protects that page. */
START_TEST(test_wrp_single_unit)
{
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFEFF8AA);
	GlintOptionContext ctx = context(&g, FALSE);
	GlintOptionBytes ob = l47x_options(0xFFEFF8AA);
	const GlintProtectionArea *wrp1a = glint_option_layout_find_area(l47x()->options, "WRP1A");
	GlintFlashUnit u4, u5, u6;
	g_autofree gchar *value = NULL;
	g_autofree gchar *covers = NULL;

	glint_geometry_unit_by_number(&g, 0, 4, &u4);
	glint_geometry_unit_by_number(&g, 0, 5, &u5);
	glint_geometry_unit_by_number(&g, 0, 6, &u6);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=5-5", NULL));
	ck_assert_uint_eq(ob.regs[3], 0xFF05FF05);
	ck_assert(glint_option_bytes_area_active(&ob, wrp1a));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u5, -1), wrp1a);
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u4, -1));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u6, -1));
	value = glint_option_bytes_area_edit_value(&ob, wrp1a, &g);
	ck_assert_str_eq(value, "5");
	covers = glint_option_bytes_describe_area(&ob, wrp1a, &g);
	ck_assert_str_eq(covers, "page 5 of bank 1 (0x08002800-0x08002FFF)");
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1A=6", NULL));
	ck_assert_uint_eq(ob.regs[3], 0xFF06FF06);
}
END_TEST

START_TEST(test_wrp_bank_missing)
{
	/* Bank 2 areas make no sense on a single-bank 512 KB configuration,
	 * and the refusal names the missing bank, not pages. */
	GlintFlashGeometry single = l47x_geometry(512, 0xFFCFF8AA);
	GlintOptionContext ctx = context(&single, FALSE);
	GlintOptionBytes ob = l47x_options(0xFFCFF8AA);
	g_autoptr(GError) error = NULL;

	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP2A=0-1", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "single bank"));
	ck_assert_ptr_null(strstr(error->message, "pages"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1B=200-255", &error));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2A=off", &error));
}
END_TEST

START_TEST(test_field_edits)
{
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFEFF8AA);
	GlintFlashGeometry g512 = l47x_geometry(512, 0xFFEFF8AA);
	GlintOptionContext ctx = context(&g, FALSE);
	GlintOptionContext ctx512 = context(&g512, FALSE);
	GlintOptionBytes factory = l47x_options(0xFFEFF8AA);
	GlintOptionBytes ob = factory;
	g_autoptr(GError) error = NULL;

	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BFB2=1", &error));
	ck_assert_uint_eq(ob.regs[0], 0xFFFFF8AA);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BOR_LEV=4", &error));
	ck_assert_uint_eq((ob.regs[0] >> 8) & 7, 4);
	/* RM0351: BOR_LEV 101-111 are not levels (issue 16.12). */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "BOR_LEV=5", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "0-4"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "BOR_LEV=8", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "BFB2=2", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "BFB2=0x0x1", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "FOO=1", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "unknown option"));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP1A"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "BFB2", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "=1", &error));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP1SR=0x10", &error));
	ck_assert_uint_eq(ob.regs[1], 0x10);

	/* DUALBANK has no effect on the 1 MB part: refused by name or raw. */
	ob = factory;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "DUALBANK=0", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &factory, &ob, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "always dual bank"));
	g_clear_error(&error);
	ob = factory;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "OPTR=0xFFCFF8AA", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &factory, &ob, &error));
	g_clear_error(&error);
	ob = factory;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx512, "DUALBANK=0", &error));
	ck_assert(glint_option_bytes_check(&ctx512, &factory, &ob, &error));
	ck_assert_uint_eq(ob.regs[0] & (1u << 21), 0);
}
END_TEST

static GlintOptionChange *
find_change(GPtrArray *changes, const char *name)
{
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		if (g_strcmp0(c->name, name) == 0)
			return c;
	}
	return NULL;
}

START_TEST(test_diff_risks)
{
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFEFF8AA);
	GlintOptionContext empty = context(&g, TRUE);
	GlintOptionContext full = context(&g, FALSE);
	GlintOptionBytes old = l47x_options(0xFFEFF8AA), want = old;
	g_autoptr(GPtrArray) none = NULL;
	g_autoptr(GPtrArray) bfb2_empty = NULL;
	g_autoptr(GPtrArray) bfb2_full = NULL;
	g_autoptr(GPtrArray) rdp2 = NULL;
	g_autoptr(GPtrArray) regress = NULL;
	g_autoptr(GPtrArray) wrp = NULL;
	g_autoptr(GPtrArray) reserved = NULL;

	none = glint_option_bytes_diff(&empty, &old, &want);
	ck_assert_uint_eq(none->len, 0);

	ck_assert(glint_option_bytes_apply_edit(&want, &empty, "BFB2=1", NULL));
	bfb2_empty = glint_option_bytes_diff(&empty, &old, &want);
	ck_assert_uint_eq(bfb2_empty->len, 1);
	ck_assert(glint_option_changes_risk(bfb2_empty) & GLINT_OPTION_RISK_BOOT);
	/* AN2606: with bank 2 empty the bootloader falls back to bank 1. */
	ck_assert_ptr_nonnull(strstr(find_change(bfb2_empty, "BFB2")->consequence, "bank 1"));
	bfb2_full = glint_option_bytes_diff(&full, &old, &want);
	ck_assert_uint_eq(glint_option_changes_risk(bfb2_full), GLINT_OPTION_RISK_NONE);

	want = old;
	ck_assert(glint_option_bytes_apply_edit(&want, &full, "RDP=2", NULL));
	rdp2 = glint_option_bytes_diff(&full, &old, &want);
	ck_assert(glint_option_changes_risk(rdp2) & GLINT_OPTION_RISK_PERMANENT);

	ck_assert(glint_option_bytes_apply_edit(&old, &full, "RDP=1", NULL));
	want = old;
	ck_assert(glint_option_bytes_apply_edit(&want, &full, "RDP=0", NULL));
	regress = glint_option_bytes_diff(&full, &old, &want);
	ck_assert(glint_option_changes_risk(regress) & GLINT_OPTION_RISK_MASS_ERASE);
	ck_assert_str_eq(find_change(regress, "RDP")->old_value, "level 1 (0xBB)");

	old = l47x_options(0xFFEFF8AA);
	want = old;
	ck_assert(glint_option_bytes_apply_edit(&want, &full, "WRP1A=0-3", NULL));
	wrp = glint_option_bytes_diff(&full, &old, &want);
	ck_assert(glint_option_changes_risk(wrp) & GLINT_OPTION_RISK_BOOT);
	ck_assert_str_eq(find_change(wrp, "WRP1A")->new_value,
			 "pages 0-3 of bank 1 (0x08000000-0x08001FFF)");

	/* Reserved bits written raw are named, not silently taken. */
	want = old;
	want.regs[0] &= ~(1u << 31);
	reserved = glint_option_bytes_diff(&full, &old, &want);
	ck_assert_uint_eq(reserved->len, 1);
	ck_assert_ptr_nonnull(
	    strstr(((GlintOptionChange *)g_ptr_array_index(reserved, 0))->name, "FLASH_OPTR"));
}
END_TEST

/* PCROP (issue 16.2): setting it is risky; with PCROP_RDP = 0 permanent;
 * the chip never lets it shrink, nor PCROP_RDP go back to 0, except by an
 * RDP regression. */
START_TEST(test_pcrop_rules)
{
	GlintFlashGeometry g = l47x_geometry(1024, 0xFFEFF8AA);
	GlintOptionContext ctx = context(&g, FALSE);
	GlintOptionBytes factory = l47x_options(0xFFEFF8AA), want, keep;
	g_autoptr(GPtrArray) set = NULL;
	g_autoptr(GPtrArray) forever = NULL;
	g_autoptr(GError) error = NULL;
	const GlintProtectionArea *pcrop1 =
	    glint_option_layout_find_area(l47x()->options, "PCROP1");
	GlintFlashUnit u0;

	want = factory;
	ck_assert(glint_option_bytes_apply_edit(&want, &ctx, "PCROP1=0x08000000-0x080007FF", NULL));
	ck_assert_uint_eq(want.regs[1] & 0xFFFF, 0);
	ck_assert_uint_eq(want.regs[2] & 0xFFFF, 0xFF);
	ck_assert(glint_option_bytes_area_active(&want, pcrop1));
	glint_geometry_get_unit(&g, 0, &u0);
	ck_assert_ptr_eq(glint_option_bytes_protecting(&want, &g, &u0, GLINT_PROTECT_PCROP),
			 pcrop1);
	set = glint_option_bytes_diff(&ctx, &factory, &want);
	ck_assert(glint_option_changes_risk(set) & GLINT_OPTION_RISK_LOCKOUT);
	ck_assert(!(glint_option_changes_risk(set) & GLINT_OPTION_RISK_PERMANENT));
	ck_assert(glint_option_bytes_check(&ctx, &factory, &want, NULL));

	/* PCROP_RDP = 0 on the chip: the same area is for ever. */
	keep = factory;
	keep.regs[2] &= ~(1u << 31);
	want = keep;
	ck_assert(glint_option_bytes_apply_edit(&want, &ctx, "PCROP1=0x08000000-0x080007FF", NULL));
	forever = glint_option_bytes_diff(&ctx, &keep, &want);
	ck_assert(glint_option_changes_risk(forever) & GLINT_OPTION_RISK_PERMANENT);

	/* Raw registers that clear PCROP_RDP are refused (set only). */
	want = factory;
	ck_assert(glint_option_bytes_apply_edit(&want, &ctx, "PCROP1SR=0", NULL));
	ck_assert(glint_option_bytes_apply_edit(&want, &ctx, "PCROP1ER=0xFF", NULL));
	ck_assert(!glint_option_bytes_check(&ctx, &factory, &want, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "PCROP_RDP"));
	g_clear_error(&error);

	/* An active area cannot be removed by an option write. */
	keep = factory;
	ck_assert(glint_option_bytes_apply_edit(&keep, &ctx, "PCROP1=0x08000000-0x080007FF", NULL));
	want = keep;
	ck_assert(glint_option_bytes_apply_edit(&want, &ctx, "PCROP1=off", NULL));
	ck_assert(!glint_option_bytes_check(&ctx, &keep, &want, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "cannot be reduced or removed"));
	g_clear_error(&error);
	/* ... but it may grow. */
	want = keep;
	ck_assert(glint_option_bytes_apply_edit(&want, &ctx, "PCROP1=0x08000000-0x08000FFF", NULL));
	ck_assert(glint_option_bytes_check(&ctx, &keep, &want, NULL));
	/* Misaligned addresses are refused. */
	ck_assert(
	    !glint_option_bytes_apply_edit(&want, &ctx, "PCROP1=0x08000001-0x08000FFF", &error));
	g_clear_error(&error);
}
END_TEST

/* A mask layout as F1/F4 families use (one bit per group of units, a 0 bit
 * protecting), to pin the generic code that no L4 area exercises. */
static const GlintOptionRegister mask_regs[] = {{"WRPR", "WRPR", 0xFFFFFFFF, 32, 0}};
static const GlintProtectionArea mask_areas[] = {
    {"WRP",
     GLINT_PROTECT_WRP,
     GLINT_AREA_MASK,
     0,
     0,
     0,
     0,
     0,
     0,
     0,
     0,
     0,
     0,
     8,
     4,
     FALSE,
     TRUE,
     0,
     GLINT_OPTION_RISK_NONE,
     NULL},
};
static const GlintOptionLayout mask_layout = {
    mask_regs, 1, NULL, 0, mask_areas, 1, {0, 0, 0xA5, 0, 0x00}, NULL, NULL,
};

START_TEST(test_mask_area)
{
	GlintUnitRun run = {1024, 64};
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&mask_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *value = NULL;
	GlintFlashUnit u;

	glint_geometry_init(&g, 0x08000000, 0xFF, 2, "page");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, &run, 1);
	glint_option_bytes_init_factory(&ob, &mask_layout);
	ck_assert(!glint_option_bytes_area_active(&ob, &mask_areas[0]));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=0-3,8-11", &error));
	ck_assert_uint_eq(ob.regs[0], 0xFFFFFFFA);
	value = glint_option_bytes_area_edit_value(&ob, &mask_areas[0], &g);
	ck_assert_str_eq(value, "0-3,8-11");
	ck_assert(glint_geometry_unit_by_number(&g, 0, 9, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &mask_areas[0]);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 4, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* Groups must be whole; the refusal says which group. */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=5-6", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "4-7"));
	g_clear_error(&error);
	/* The last bit covers every remaining page (28-63). */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=28-63", &error));
	ck_assert_uint_eq(ob.regs[0], 0xFFFFFF7F);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=28-31", &error));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=off", &error));
	ck_assert_uint_eq(ob.regs[0], 0xFFFFFFFF);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "RDP=2", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "no read protection level 2"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "RDP=0", &error));
	ck_assert_uint_eq(glint_option_bytes_rdp_raw(&ob), 0xA5);
}
END_TEST

/* A TrustZone-style layout (as the L5/U5 have): RDP level 0.5 behind a
 * TZEN bit, a secure area that counts only with TZEN, an area with its own
 * enable bit sharing its start with the secure area, and a grow-only
 * area. It pins the generic code on its own. */
enum { TZ_OPTR, TZ_SECWM, TZ_HDP, TZ_PCROP, TZ_N_REGS };
static const GlintOptionRegister tz_regs[TZ_N_REGS] = {
    {"OPTR", "OPTR", 0x7FFFF8AAu, 32, 0},
    {"SECWM", "SECWM", 0xFF7FFF00u, 32, 0},
    {"HDP", "HDP", 0x0000FFFFu, 32, 0},
    {"PCROP", "PCROP", 0x0000FFFFu, 32, 0},
};
static const GlintOptionField tz_fields[] = {
    {"TZEN", TZ_OPTR, 31, 1, 0, "TrustZone", GLINT_OPTION_RISK_LOCKOUT, 0, NULL, NULL, 0},
    {"HDPEN", TZ_HDP, 31, 1, 0, "HDP on", GLINT_OPTION_RISK_LOCKOUT, 0, NULL, NULL, 0},
};
static const GlintProtectionArea tz_areas[] = {
    {.name = "SECWM",
     .type = GLINT_PROTECT_SECURE,
     .encoding = GLINT_AREA_RANGE,
     .start_reg = TZ_SECWM,
     .start_width = 7,
     .end_reg = TZ_SECWM,
     .end_shift = 16,
     .end_width = 7,
     .risk = GLINT_OPTION_RISK_LOCKOUT,
     .when_field = "TZEN",
     .when_value = 1,
     .when_text = "TrustZone is on (TZEN = 1)",
     .way_out = "Change SECWM"},
    {.name = "HDP",
     .type = GLINT_PROTECT_SECURE,
     .encoding = GLINT_AREA_RANGE,
     .start_reg = TZ_SECWM,
     .start_width = 7,
     .end_reg = TZ_HDP,
     .end_shift = 16,
     .end_width = 7,
     .flags = GLINT_AREA_WHEN_OWNED,
     .risk = GLINT_OPTION_RISK_LOCKOUT,
     .when_field = "HDPEN",
     .when_value = 1},
    {.name = "PCROP",
     .type = GLINT_PROTECT_PCROP,
     .encoding = GLINT_AREA_RANGE,
     .start_reg = TZ_PCROP,
     .start_width = 7,
     .end_reg = TZ_PCROP,
     .end_shift = 16,
     .end_width = 7,
     .flags = GLINT_AREA_GROW_ONLY,
     .risk = GLINT_OPTION_RISK_LOCKOUT},
};

static guint tz_explained_rdp;

static void
tz_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (change->field == NULL && change->area == NULL && g_strcmp0(change->name, "RDP") == 0)
		tz_explained_rdp++;
}

static const GlintOptionLayout tz_layout = {
    tz_regs,
    TZ_N_REGS,
    tz_fields,
    G_N_ELEMENTS(tz_fields),
    tz_areas,
    G_N_ELEMENTS(tz_areas),
    {TZ_OPTR, 0, 0xAA, 0xCC, 0xBB, 0x55, TZ_OPTR, 31},
    NULL,
    tz_explain,
};

static void
tz_geometry(GlintFlashGeometry *g)
{
	GlintUnitRun run = {2048, 128};
	glint_geometry_init(g, 0x08000000, 0xFF, 8, "page");
	glint_geometry_add_bank(g, 0x08000000, 0, 0, &run, 1);
}

START_TEST(test_rdp_half)
{
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&tz_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob, tz, half, one;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *described = NULL;
	g_autoptr(GPtrArray) changes = NULL;
	GlintOptionChange *c;

	tz_geometry(&g);
	glint_option_bytes_init_factory(&ob, &tz_layout);
	/* 0x55 without TZEN is level 1, like any other byte */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "RDP=0x55", &error));
	ck_assert_int_eq(glint_option_bytes_rdp_rank(&ob), GLINT_RDP_LEVEL_1);
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 1);
	/* ... and asking for 0.5 without TZEN is refused, naming it */
	glint_option_bytes_init_factory(&ob, &tz_layout);
	half = ob;
	ck_assert(glint_option_bytes_apply_edit(&half, &ctx, "RDP=0.5", &error));
	ck_assert_uint_eq(glint_option_bytes_rdp_raw(&half), 0x55);
	ck_assert(!glint_option_bytes_check(&ctx, &ob, &half, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "TZEN = 1"));
	g_clear_error(&error);
	/* with TZEN it is level 0.5: open to the debugger (level 0 for jobs) */
	tz = ob;
	ck_assert(glint_option_bytes_apply_edit(&tz, &ctx, "TZEN=1", &error));
	half = tz;
	ck_assert(glint_option_bytes_apply_edit(&half, &ctx, "RDP=0.5", &error));
	ck_assert(glint_option_bytes_check(&ctx, &tz, &half, &error));
	ck_assert_int_eq(glint_option_bytes_rdp_rank(&half), GLINT_RDP_LEVEL_0_5);
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&half), 0);
	described = glint_option_bytes_describe_rdp(&half);
	ck_assert_str_eq(described, "level 0.5 (0x55)");
	ck_assert_str_eq(glint_rdp_rank_name(GLINT_RDP_LEVEL_0_5), "0.5");

	/* 0 -> 0.5 locks the secure side out; the family explains each RDP change */
	tz_explained_rdp = 0;
	changes = glint_option_bytes_diff(&ctx, &tz, &half);
	c = find_change(changes, "RDP");
	ck_assert_ptr_nonnull(c);
	ck_assert(c->risk & GLINT_OPTION_RISK_LOCKOUT);
	ck_assert_uint_eq(tz_explained_rdp, 1);
	g_clear_pointer(&changes, g_ptr_array_unref);
	/* 1 -> 0.5 erases the non-secure flash */
	one = tz;
	glint_option_bytes_set_rdp_level(&one, 1);
	changes = glint_option_bytes_diff(&ctx, &one, &half);
	c = find_change(changes, "RDP");
	ck_assert(c->risk & GLINT_OPTION_RISK_MASS_ERASE);
	ck_assert_ptr_nonnull(strstr(c->consequence, "non-secure"));
	g_clear_pointer(&changes, g_ptr_array_unref);
	/* 0.5 -> 0 erases everything */
	changes = glint_option_bytes_diff(&ctx, &half, &tz);
	c = find_change(changes, "RDP");
	ck_assert(c->risk & GLINT_OPTION_RISK_MASS_ERASE);
	ck_assert_ptr_nonnull(strstr(c->consequence, "mass-erase"));
	g_clear_pointer(&changes, g_ptr_array_unref);
	/* TZEN going off turns the same byte into level 1: the RDP change shows */
	one = half;
	ck_assert(glint_option_bytes_apply_edit(&one, &ctx, "TZEN=0", &error));
	changes = glint_option_bytes_diff(&ctx, &half, &one);
	c = find_change(changes, "RDP");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->new_value, "level 1 (0x55)");
	g_clear_pointer(&changes, g_ptr_array_unref);
	/* a layout without level 0.5 refuses it */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "RDP=0.5", &error) ||
		  tz_layout.rdp.level_half != 0);
}
END_TEST

START_TEST(test_gated_areas)
{
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&tz_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob, before;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *value = NULL;
	g_autoptr(GPtrArray) changes = NULL;
	g_autoptr(GArray) ranges = NULL;
	GlintFlashUnit u;

	tz_geometry(&g);
	glint_option_bytes_init_factory(&ob, &tz_layout);
	/* factory SECWM covers pages 0-127, but TZEN is off: nothing is secure */
	ck_assert(!glint_option_bytes_area_active(&ob, &tz_areas[0]));
	ranges = glint_option_bytes_get_area(&ob, &tz_areas[0], &g);
	ck_assert_uint_eq(ranges->len, 0);
	ck_assert(glint_geometry_get_unit(&g, 5, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* ... and it cannot be set without TZEN, the refusal saying why */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "SECWM=0-15", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "TrustZone is on (TZEN = 1)"));
	g_clear_error(&error);
	/* switching it off with TZEN off leaves its bits alone */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SECWM=off", &error));
	ck_assert_uint_eq(ob.regs[TZ_SECWM], tz_regs[TZ_SECWM].factory);
	/* TZEN on: the whole bank becomes secure, and the diff says so */
	before = ob;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "TZEN=1", &error));
	ck_assert(glint_option_bytes_area_active(&ob, &tz_areas[0]));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &tz_areas[0]);
	changes = glint_option_bytes_diff(&ctx, &before, &ob);
	ck_assert_ptr_nonnull(find_change(changes, "SECWM"));
	ck_assert_str_eq(find_change(changes, "SECWM")->old_value, "not in use (TZEN=0)");
	g_clear_pointer(&changes, g_ptr_array_unref);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SECWM=0-15", &error));
	/* clearing a gated area does not clear its gate (TZEN stays) */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SECWM=off", &error));
	ck_assert(ob.regs[TZ_OPTR] & (1u << 31));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SECWM=0-15", &error));

	/* an area with its own enable bit: setting it sets the bit ... */
	ck_assert(!glint_option_bytes_area_active(&ob, &tz_areas[1]));
	before = ob;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "HDP=0-3", &error));
	ck_assert(ob.regs[TZ_HDP] & (1u << 31));
	value = glint_option_bytes_area_edit_value(&ob, &tz_areas[1], &g);
	ck_assert_str_eq(value, "0-3");
	/* ... which is the area's: no "reserved bits" change in the diff */
	changes = glint_option_bytes_diff(&ctx, &before, &ob);
	ck_assert_ptr_nonnull(find_change(changes, "HDP"));
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		ck_assert_msg(strstr(c->name, "bits") == NULL, "%s", c->name);
	}
	g_clear_pointer(&changes, g_ptr_array_unref);
	/* clearing it clears the bit only: the shared start (SECWM's) stays */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "HDP=off", &error));
	ck_assert(!(ob.regs[TZ_HDP] & (1u << 31)));
	ck_assert(!glint_option_bytes_area_active(&ob, &tz_areas[1]));
	g_free(value);
	value = glint_option_bytes_area_edit_value(&ob, &tz_areas[0], &g);
	ck_assert_str_eq(value, "0-15");
}
END_TEST

/* A grow-only area goes with a regression to level 0, from 0.5 too */
START_TEST(test_grow_only_regression_from_half)
{
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&tz_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob, shrunk;
	g_autoptr(GError) error = NULL;

	tz_geometry(&g);
	glint_option_bytes_init_factory(&ob, &tz_layout);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "TZEN=1", &error));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=2-5", &error));
	shrunk = ob;
	ck_assert(glint_option_bytes_apply_edit(&shrunk, &ctx, "PCROP=off", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &ob, &shrunk, &error));
	g_clear_error(&error);
	glint_option_bytes_set_rdp_half(&ob);
	glint_option_bytes_set_rdp_level(&shrunk, 0);
	ck_assert_msg(glint_option_bytes_check(&ctx, &ob, &shrunk, &error), "%s",
		      error ? error->message : "");
}
END_TEST

/* Two registers of one bit per sector continuing each other (the second
 * starts at unit 32 of the bank), and a second meaning of the first
 * register's bits that an option bit selects (read protection instead of
 * write protection): the STM32L0/L1 way, pinned on a toy layout. */
static const GlintOptionRegister shared_regs[] = {
    {"OPTR", "OPTR", 0x000000AA, 32, 0},
    {"WRP1", "WRP1", 0, 32, 0},
    {"WRP2", "WRP2", 0, 32, 0},
};
static const GlintProtectionArea shared_areas[] = {
    {.name = "WRP1",
     .type = GLINT_PROTECT_WRP,
     .encoding = GLINT_AREA_MASK,
     .mask_reg = 1,
     .mask_bits = 32,
     .units_per_bit = 2,
     .protect_when_set = TRUE,
     .when_field = "PROTMOD",
     .when_value = 0},
    {.name = "WRP2",
     .type = GLINT_PROTECT_WRP,
     .encoding = GLINT_AREA_MASK,
     .mask_reg = 2,
     .mask_bits = 8,
     .units_per_bit = 2,
     .protect_when_set = TRUE,
     .first_unit = 64},
    {.name = "PCROP",
     .type = GLINT_PROTECT_PCROP,
     .encoding = GLINT_AREA_MASK,
     .mask_reg = 1,
     .mask_bits = 32,
     .units_per_bit = 2,
     .protect_when_set = TRUE,
     .when_field = "PROTMOD",
     .when_value = 1},
};
static const GlintOptionField shared_fields[] = {
    {"PROTMOD", 0, 8, 1, 0, "1: WRP1 bits are PCROP", 0, 0, NULL, NULL, 0},
};
static const GlintOptionLayout shared_layout = {
    shared_regs, 3, shared_fields, 1, shared_areas, 3, {0, 0, 0xAA, 0xCC, 0xBB}, NULL, NULL,
};

START_TEST(test_mask_area_offset_and_mode)
{
	GlintUnitRun run = {128, 80};
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&shared_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *wrp2 = NULL;
	GlintFlashUnit u;

	glint_geometry_init(&g, 0x08000000, 0x00, 4, "page");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, &run, 1);
	glint_option_bytes_init_factory(&ob, &shared_layout);
	/* bit 0 of the second register protects units 64-65, not 0-1 */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=64-65,78-79", &error));
	ck_assert_uint_eq(ob.regs[2], 0x81);
	wrp2 = glint_option_bytes_area_edit_value(&ob, &shared_areas[1], &g);
	ck_assert_str_eq(wrp2, "64-65,78-79");
	ck_assert(glint_geometry_unit_by_number(&g, 0, 65, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &shared_areas[1]);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 1, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* units the other register covers are refused, not silently dropped */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=0-1", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "64-79"));
	g_clear_error(&error);
	/* WRP1 bits: write protection until PROTMOD makes them PCROP */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=0-3", &error));
	ck_assert_uint_eq(ob.regs[1], 0x3);
	ck_assert(glint_option_bytes_area_active(&ob, &shared_areas[0]));
	ck_assert(!glint_option_bytes_area_active(&ob, &shared_areas[2]));
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=4-5", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "first"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PROTMOD=1", &error));
	ck_assert(!glint_option_bytes_area_active(&ob, &shared_areas[0]));
	ck_assert(glint_option_bytes_area_active(&ob, &shared_areas[2]));
	ck_assert(glint_geometry_unit_by_number(&g, 0, 2, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &shared_areas[2]);
	/* turning the write protection off cannot touch the PCROP bits */
	glint_option_bytes_clear_area(&ob, &shared_areas[0]);
	ck_assert_uint_eq(ob.regs[1], 0x3);
}
END_TEST

/* One set of bits with two meanings, as the F4's nWRP bits: write
 * protection (a 0 bit protects) while SPRMOD = 0, PCROP (a 1 bit protects)
 * while SPRMOD = 1. Each area is in use only under its value of SPRMOD. */
static const GlintOptionRegister sprmod_regs[] = {{"OPTCR", "OPTCR", 0x0FFFAAEDu, 32, 0}};
static const GlintOptionField sprmod_fields[] = {
    {"SPRMOD", 0, 31, 1, 0, "1: nWRP bits select PCROP sectors", GLINT_OPTION_RISK_LOCKOUT, 0, NULL,
     NULL, 0},
};
static const GlintProtectionArea sprmod_areas[] = {
    {.name = "WRP",
     .type = GLINT_PROTECT_WRP,
     .encoding = GLINT_AREA_MASK,
     .mask_shift = 16,
     .mask_bits = 12,
     .units_per_bit = 1,
     .when_field = "SPRMOD",
     .when_value = 0},
    {.name = "PCROP",
     .type = GLINT_PROTECT_PCROP,
     .encoding = GLINT_AREA_MASK,
     .mask_shift = 16,
     .mask_bits = 12,
     .units_per_bit = 1,
     .protect_when_set = TRUE,
     .flags = GLINT_AREA_GROW_ONLY,
     .when_field = "SPRMOD",
     .when_value = 1},
};
static const GlintOptionLayout sprmod_layout = {
    sprmod_regs, 1, sprmod_fields, 1, sprmod_areas, 2, {0, 8, 0xAA, 0xCC, 0x55}, NULL, NULL,
};

START_TEST(test_area_in_use)
{
	GlintUnitRun runs[] = {{16384, 4}, {65536, 1}, {131072, 7}};
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&sprmod_layout, &g, "test chip", FALSE, NULL};
	const GlintProtectionArea *wrp = &sprmod_areas[0], *pcrop = &sprmod_areas[1];
	GlintOptionBytes ob, before;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *described = NULL;
	g_autofree gchar *value = NULL;
	GlintFlashUnit u;

	glint_geometry_init(&g, 0x08000000, 0xFF, 4, "sector");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, runs, G_N_ELEMENTS(runs));
	glint_option_bytes_init_factory(&ob, &sprmod_layout);
	/* factory: every nWRP bit 1, SPRMOD 0: nothing protected, PCROP unused */
	ck_assert(!glint_option_bytes_area_active(&ob, wrp));
	ck_assert(!glint_option_bytes_area_active(&ob, pcrop));
	ck_assert(!glint_option_bytes_area_in_use(&ob, pcrop));
	/* a one-sector area is an area */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=5-5", &error));
	ck_assert_uint_eq(ob.regs[0], 0x0FDFAAEDu);
	ck_assert(glint_option_bytes_area_active(&ob, wrp));
	ck_assert(glint_geometry_unit_by_number(&g, 0, 5, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), wrp);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 4, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* PCROP is not in use while SPRMOD = 0: refused, bits untouched */
	before = ob;
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=3", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "SPRMOD=1"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_equal(&ob, &before));
	/* SPRMOD = 1 turns the same bits into PCROP sectors */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SPRMOD=1", &error));
	ck_assert(!glint_option_bytes_area_active(&ob, wrp));
	described = glint_option_bytes_describe_area(&ob, wrp, &g);
	ck_assert_str_eq(described, "not in use (SPRMOD=1)");
	/* "off" for the unused WRP is already true; clearing its bits would
	 * PCROP every sector: a no-op (an editor that shows "off" for it
	 * applies cleanly) */
	before = ob;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=off", &error));
	ck_assert(glint_option_bytes_equal(&ob, &before));
	ck_assert(glint_option_bytes_set_area(&ob, wrp, &g, NULL, 0, &error));
	ck_assert(glint_option_bytes_equal(&ob, &before));
	glint_option_bytes_clear_area(&ob, wrp);
	ck_assert(glint_option_bytes_equal(&ob, &before));
	/* a range for it is refused, with the reason */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=2", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "SPRMOD=0"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_equal(&ob, &before));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=3", &error));
	ck_assert_uint_eq(ob.regs[0] & 0x0FFF0000u, 0x00080000u);
	value = glint_option_bytes_area_edit_value(&ob, pcrop, &g);
	ck_assert_str_eq(value, "3");
	ck_assert(glint_geometry_unit_by_number(&g, 0, 3, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), pcrop);
}
END_TEST

/* One bit per sector numbered across two banks (bank 2 numbers its pages
 * on from bank 1's): a sector of bank 2 is protected by the bit its
 * global number gives, and descriptions name the bank. */
static const GlintOptionRegister across_regs[] = {{"WRPR", "WRPR", 0, 32, 0}};
static const GlintProtectionArea across_areas[] = {
    {.name = "WRP",
     .type = GLINT_PROTECT_WRP,
     .encoding = GLINT_AREA_MASK,
     .mask_bits = 32,
     .units_per_bit = 4,
     .protect_when_set = TRUE,
     .flags = GLINT_AREA_ACROSS_BANKS},
};
static const GlintOptionLayout across_layout = {
    across_regs, 1, NULL, 0, across_areas, 1, {0, 0, 0xAA, 0xCC, 0xBB}, NULL, NULL,
};

START_TEST(test_mask_area_across_banks)
{
	GlintUnitRun run = {128, 24};
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&across_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *covers = NULL;
	GlintFlashUnit u;

	/* two banks of 6 sectors (24 pages), bank 2 numbered on from 24 */
	glint_geometry_init(&g, 0x08000000, 0x00, 4, "page");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, &run, 1);
	glint_geometry_add_bank(&g, 0x08000C00, 1, 24, &run, 1);
	glint_option_bytes_init_factory(&ob, &across_layout);
	/* sectors 5 and 6: the last of bank 1 and the first of bank 2 */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=20-27", &error));
	ck_assert_uint_eq(ob.regs[0], 0x60);
	ck_assert(glint_geometry_unit_by_number(&g, 1, 25, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &across_areas[0]);
	ck_assert(glint_geometry_unit_by_number(&g, 1, 28, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	covers = glint_option_bytes_describe_area(&ob, &across_areas[0], &g);
	ck_assert_ptr_nonnull(strstr(covers, "of bank 1"));
	ck_assert_ptr_nonnull(strstr(covers, "of bank 2"));
	/* bits past the last sector protect nothing and cannot be asked for */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=48-51", &error));
	g_clear_error(&error);
}
END_TEST

/* A secure area another core sets (the STM32WB's SFSA): from its start
 * field to the end of the bank, only while its disable bit (bit 8) is
 * clear; a debugger edit of it is refused, naming why */
static const GlintOptionRegister fixed_regs[] = {{"SFR", "SFR", 0xFFFFFEF4, 32, 0}};
static const GlintProtectionArea fixed_areas[] = {
    {.name = "SECURE",
     .type = GLINT_PROTECT_SECURE,
     .encoding = GLINT_AREA_RANGE,
     .start_width = 8,
     .flags = GLINT_AREA_TO_BANK_END | GLINT_AREA_FIXED,
     .consequence = "CPU2's firmware owns it",
     .when_field = "FSD",
     .when_value = 0},
};
static const GlintOptionField fixed_fields[] = {
    {"FSD", 0, 8, 1, 0, "1: no secure area", 0, 0, NULL, NULL, 0},
};
static const GlintOptionLayout fixed_layout = {
    fixed_regs, 1, fixed_fields, 1, fixed_areas, 1, {0, 0, 0xAA, 0xCC, 0xBB}, NULL, NULL,
};

START_TEST(test_area_to_bank_end_fixed)
{
	GlintUnitRun run = {4096, 256};
	GlintFlashGeometry g;
	GlintOptionContext ctx = {&fixed_layout, &g, "test chip", FALSE, NULL};
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *edit = NULL;
	GlintFlashUnit u;

	glint_geometry_init(&g, 0x08000000, 0xFF, 8, "page");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, &run, 1);
	glint_option_bytes_init_factory(&ob, &fixed_layout);
	/* pages 0xF4-0xFF: the first and the last are in, the one below is not */
	ck_assert(glint_geometry_unit_by_number(&g, 0, 0xF4, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &fixed_areas[0]);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 0xFF, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), &fixed_areas[0]);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 0xF3, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	edit = glint_option_bytes_area_edit_value(&ob, &fixed_areas[0], &g);
	ck_assert_str_eq(edit, "244-255");
	ck_assert(!glint_option_bytes_area_is_empty(&ob, &fixed_areas[0], &g));
	/* edits, "off" included, are refused with the reason; clearing keeps it */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "SECURE=off", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "CPU2's firmware owns it"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "SECURE=200-255", &error));
	g_clear_error(&error);
	glint_option_bytes_clear_area(&ob, &fixed_areas[0]);
	ck_assert_uint_eq(ob.regs[0], 0xFFFFFEF4);
	/* its disable bit set: no area at all */
	ob.regs[0] |= 1u << 8;
	ck_assert(glint_geometry_unit_by_number(&g, 0, 0xFF, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* a start past the last page of a smaller part covers nothing */
	ob.regs[0] = 0xFFFFFEFFu;
	run.count = 128;
	glint_geometry_init(&g, 0x08000000, 0xFF, 8, "page");
	glint_geometry_add_bank(&g, 0x08000000, 0, 0, &run, 1);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 127, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	g_free(edit);
	edit = glint_option_bytes_area_edit_value(&ob, &fixed_areas[0], &g);
	ck_assert_str_eq(edit, "off");
	/* asked without words: a translated "off" ("aus") is no test of it */
	ck_assert(glint_option_bytes_area_is_empty(&ob, &fixed_areas[0], &g));
}
END_TEST

typedef struct {
	GArray *fractions;
	GPtrArray *lines;
} ProgressLog;

static void
on_progress(const GlintProgressUpdate *u, gpointer user_data)
{
	ProgressLog *log = user_data;
	g_array_append_val(log->fractions, u->fraction);
}

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	ProgressLog *log = user_data;
	g_ptr_array_add(log->lines, g_strdup(message));
}

START_TEST(test_progress_weights)
{
	ProgressLog log = {g_array_new(FALSE, FALSE, sizeof(gdouble)),
			   g_ptr_array_new_with_free_func(g_free)};
	g_autoptr(GlintProgress) p = glint_progress_new(on_progress, on_log, &log);

	glint_progress_add_step(p, "Erasing", 20);
	glint_progress_add_step(p, "Programming", 70);
	glint_progress_add_step(p, "Verifying", 10);
	glint_progress_begin_step(p, 100);
	glint_progress_update(p, 50);
	ck_assert_double_eq_tol(glint_progress_get_fraction(p), 0.10, 1e-9);
	glint_progress_begin_step(p, 1000);
	glint_progress_update(p, 1000);
	ck_assert_double_eq_tol(glint_progress_get_fraction(p), 0.90, 1e-9);
	glint_progress_begin_step(p, 10);
	glint_progress_update(p, 20); /* clamped to the step's total */
	ck_assert_double_eq_tol(glint_progress_get_fraction(p), 1.0, 1e-9);
	glint_progress_finish(p);
	glint_progress_log(p, G_LOG_LEVEL_MESSAGE, "done %d", 42);

	ck_assert_uint_ge(log.fractions->len, 4);
	for (guint i = 1; i < log.fractions->len; i++)
		ck_assert(g_array_index(log.fractions, gdouble, i) >=
			  g_array_index(log.fractions, gdouble, i - 1));
	ck_assert_double_eq_tol(g_array_index(log.fractions, gdouble, log.fractions->len - 1), 1.0,
				1e-9);
	ck_assert_uint_eq(log.lines->len, 1);
	ck_assert_str_eq(g_ptr_array_index(log.lines, 0), "done 42");
	/* A NULL progress is accepted everywhere. */
	glint_progress_add_step(NULL, "x", 1);
	glint_progress_update(NULL, 1);
	glint_progress_log(NULL, G_LOG_LEVEL_INFO, "ignored");
	g_array_unref(log.fractions);
	g_ptr_array_unref(log.lines);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("unit");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_geometry_1m_always_dual);
	tcase_add_test(tc, test_geometry_512k_follows_dualbank);
	tcase_add_test(tc, test_field_factory_values_agree);
	tcase_add_test(tc, test_mask_area_beyond_its_bank);
	tcase_add_test(tc, test_area_across_banks_told_bank_by_bank);
	tcase_add_test(tc, test_geometry_mixed_sectors);
	tcase_add_test(tc, test_geometry_single_bank_sectors);
	tcase_add_test(tc, test_geometry_hole_between_banks);
	tcase_add_test(tc, test_rdp_edits);
	tcase_add_test(tc, test_wrp_edits);
	tcase_add_test(tc, test_wrp_single_unit);
	tcase_add_test(tc, test_wrp_bank_missing);
	tcase_add_test(tc, test_field_edits);
	tcase_add_test(tc, test_diff_risks);
	tcase_add_test(tc, test_pcrop_rules);
	tcase_add_test(tc, test_mask_area);
	tcase_add_test(tc, test_rdp_half);
	tcase_add_test(tc, test_gated_areas);
	tcase_add_test(tc, test_grow_only_regression_from_half);
	tcase_add_test(tc, test_mask_area_offset_and_mode);
	tcase_add_test(tc, test_area_in_use);
	tcase_add_test(tc, test_mask_area_across_banks);
	tcase_add_test(tc, test_area_to_bank_end_fixed);
	tcase_add_test(tc, test_progress_weights);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
