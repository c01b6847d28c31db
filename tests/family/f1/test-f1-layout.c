/* test-f1-layout.c: the F0/F1/F3 family as data, through the public API:
 * every device id of issue 11 identified (ST's parts and the F103 clones
 * by their core revision), page sizes and banks, the option layouts by
 * reference-manual name, and WRP groups as pages (a one-group area is
 * active, the last bit covers the rest, edits must cover whole groups). */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family.h"

#define CPUID_M0 0x410CC200u
#define CPUID_M3_R1P1 0x411FC231u
#define CPUID_M3_R2P1 0x412FC231u
#define CPUID_M4 0x410FC241u

/* Device id, page size, pages per WRP bit (PM0075 2.5, RM0091 3.2.1,
 * RM0316 4.2.1; 0x428 as OpenOCD 0.12 protects it), core */
static const struct {
	guint16 dev_id;
	guint32 page;
	guint ppb;
	guint32 cpuid;
} ids[] = {
    {0x412, 1024, 4, CPUID_M3_R1P1}, {0x410, 1024, 4, CPUID_M3_R1P1},
    {0x414, 2048, 2, CPUID_M3_R1P1}, {0x430, 2048, 2, CPUID_M3_R1P1},
    {0x418, 2048, 2, CPUID_M3_R1P1}, {0x420, 1024, 4, CPUID_M3_R1P1},
    {0x428, 2048, 4, CPUID_M3_R1P1}, {0x444, 1024, 4, CPUID_M0},
    {0x445, 1024, 4, CPUID_M0},	     {0x440, 1024, 4, CPUID_M0},
    {0x448, 2048, 2, CPUID_M0},	     {0x442, 2048, 2, CPUID_M0},
    {0x422, 2048, 2, CPUID_M4},	     {0x432, 2048, 2, CPUID_M4},
    {0x438, 2048, 2, CPUID_M4},	     {0x439, 2048, 2, CPUID_M4},
    {0x446, 2048, 2, CPUID_M4},
};

START_TEST(test_every_id)
{
	const GlintChip *chip = glint_chip_identify(ids[_i].dev_id, ids[_i].cpuid);
	GlintFlashGeometry g;
	const GlintProtectionArea *wrp;

	ck_assert_msg(chip != NULL, "0x%03X not identified", ids[_i].dev_id);
	ck_assert_str_eq(chip->family->id, "f1");
	ck_assert_uint_eq(chip->dev_id, ids[_i].dev_id);
	ck_assert_msg(strstr(chip->name, "clone") == NULL, "%s", chip->name);
	glint_chip_default_geometry(chip, 0, NULL, &g);
	ck_assert_uint_eq(g.banks[0].runs[0].size, ids[_i].page);
	ck_assert_uint_eq(g.program_unit, 2);
	ck_assert_uint_eq(g.erased_value, 0xFF);
	wrp = glint_option_layout_find_area(chip->options, "WRP");
	ck_assert_ptr_nonnull(wrp);
	ck_assert_uint_eq(wrp->units_per_bit, ids[_i].ppb);
	ck_assert(!wrp->protect_when_set);
	ck_assert(wrp->last_bit_rest);
	/* the loader's buffers fit the SRAM the least of these parts has */
	ck_assert_uint_le(chip->sram_size, chip->regions[0].size);
}
END_TEST

/* ST's F103 is a Cortex-M3 r1p1; the same ids on an r2p1 core are a clone */
START_TEST(test_clones)
{
	const GlintChip *st = glint_chip_identify(0x410, CPUID_M3_R1P1);
	const GlintChip *clone = glint_chip_identify(0x410, CPUID_M3_R2P1);
	const GlintChip *hd = glint_chip_identify(0x414, CPUID_M3_R2P1);
	const GlintChip *xl = glint_chip_identify(0x430, CPUID_M3_R2P1);
	GlintFlashGeometry g;

	ck_assert_str_eq(st->name, "STM32F10x medium density");
	ck_assert_ptr_nonnull(strstr(clone->name, "CKS32F103"));
	ck_assert_ptr_nonnull(strstr(clone->name, "clone"));
	ck_assert_ptr_nonnull(strstr(hd->name, "GD32F103"));
	/* without a core to look at: ST's part */
	ck_assert_ptr_eq(glint_chip_identify(0x410, 0), st);
	ck_assert_ptr_eq(glint_chip_lookup(0x410), st);
	/* GD32F103 XL: bank 2 is in 4 KB pages */
	glint_chip_default_geometry(xl, 1024, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].runs[0].size, 4096);
	ck_assert_uint_eq(g.banks[1].n_units, 128);
}
END_TEST

/* PM0068 1.2: two banks, bank 2 at 0x08080000 with pages 256-511, its
 * own registers; the 768 KB part has a short bank 2 */
START_TEST(test_xl_banks)
{
	const GlintChip *chip = glint_chip_identify(0x430, CPUID_M3_R1P1);
	GlintFlashGeometry g;
	GlintFlashUnit unit;

	glint_chip_default_geometry(chip, 1024, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].base, 0x08080000u);
	ck_assert_uint_eq(g.banks[1].physical, 1);
	ck_assert_uint_eq(g.banks[1].first_number, 256);
	ck_assert(glint_geometry_unit_at(&g, 0x08080800u, &unit));
	ck_assert_uint_eq(unit.number, 257);
	ck_assert_uint_eq(unit.physical, 1);
	ck_assert_uint_eq(unit.in_bank, 1);
	glint_chip_default_geometry(chip, 768, NULL, &g);
	ck_assert_uint_eq(g.banks[1].n_units, 128);
	/* the 512 KB part of the same id is one bank */
	glint_chip_default_geometry(chip, 512, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 1);
}
END_TEST

static GlintOptionContext
context(const GlintChip *chip, GlintFlashGeometry *g)
{
	GlintOptionContext ctx = {chip->options, g, chip->name, FALSE, chip};
	glint_chip_default_geometry(chip, 0, NULL, g);
	return ctx;
}

static guint
n_ranges(const GlintOptionBytes *ob, const GlintProtectionArea *area, const GlintFlashGeometry *g,
	 GlintRange *first)
{
	g_autoptr(GArray) r = glint_option_bytes_get_area(ob, area, g);
	if (r->len > 0)
		*first = g_array_index(r, GlintRange, 0);
	return r->len;
}

/* One cleared WRP bit is an active area covering its group; bit 31 covers
 * everything from group 31 on (PM0075 2.5: pages 62-255 on high density) */
START_TEST(test_wrp_groups)
{
	const GlintChip *md = glint_chip_lookup(0x410);
	const GlintChip *hd = glint_chip_lookup(0x414);
	GlintFlashGeometry g;
	GlintOptionContext ctx = context(md, &g);
	const GlintProtectionArea *wrp = glint_option_layout_find_area(md->options, "WRP");
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;
	GlintRange r = {0};

	glint_option_bytes_init_factory(&ob, md->options);
	ck_assert(!glint_option_bytes_area_active(&ob, wrp));
	ob.regs[3] = 0xFFFFFFFEu;
	ck_assert(glint_option_bytes_area_active(&ob, wrp));
	ck_assert_uint_eq(n_ranges(&ob, wrp, &g, &r), 1);
	ck_assert_uint_eq(r.first, 0);
	ck_assert_uint_eq(r.last, 3);
	/* an edit must cover whole groups, and names the group */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=0-1", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "0-3"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=4-11", &error));
	ck_assert_uint_eq(ob.regs[3], 0xFFFFFFF9u);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=off", &error));
	ck_assert_uint_eq(ob.regs[3], 0xFFFFFFFFu);

	ctx = context(hd, &g);
	wrp = glint_option_layout_find_area(hd->options, "WRP");
	glint_option_bytes_init_factory(&ob, hd->options);
	ob.regs[3] = 0x7FFFFFFFu;
	ck_assert_uint_eq(n_ranges(&ob, wrp, &g, &r), 1);
	ck_assert_uint_eq(r.first, 62);
	ck_assert_uint_eq(r.last, 255);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=0-1,62-255", &error));
	ck_assert_uint_eq(ob.regs[3], 0x7FFFFFFEu);
}
END_TEST

/* XL: bit 31 also protects bank 2, shown as an area of its own */
START_TEST(test_xl_wrp)
{
	const GlintChip *xl = glint_chip_identify(0x430, CPUID_M3_R1P1);
	const GlintProtectionArea *b2 = glint_option_layout_find_area(xl->options, "WRP_B2");
	GlintFlashGeometry g;
	GlintOptionContext ctx = context(xl, &g);
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) changes = NULL;
	GlintRange r = {0};

	ck_assert_ptr_nonnull(b2);
	glint_option_bytes_init_factory(&ob, xl->options);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP_B2=256-511", &error));
	ck_assert_uint_eq(ob.regs[3], 0x7FFFFFFFu);
	ck_assert_uint_eq(n_ranges(&ob, b2, &g, &r), 1);
	ck_assert_uint_eq(r.first, 256);
	ck_assert_uint_eq(r.last, 511);
	{
		GlintOptionBytes factory;
		glint_option_bytes_init_factory(&factory, xl->options);
		changes = glint_option_bytes_diff(&ctx, &factory, &ob);
	}
	/* both areas change, each saying that one bit covers both banks */
	ck_assert_uint_eq(changes->len, 2);
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		ck_assert_ptr_nonnull(strstr(c->consequence, "bank 2"));
	}
	ck_assert_ptr_nonnull(glint_option_layout_find_field(xl->options, "BFB2"));
}
END_TEST

/* Fields by reference-manual name, per line; RDP codes */
START_TEST(test_fields_and_rdp)
{
	const char *f1_names[] = {"WDG_SW", "nRST_STOP", "nRST_STDBY", "Data0", "Data1", NULL};
	const char *f0_names[] = {"nBOOT1", "VDDA_MONITOR", "RAM_PARITY_CHECK", NULL};
	const GlintChip *f103 = glint_chip_lookup(0x410);
	const GlintChip *f072 = glint_chip_lookup(0x448);
	const GlintChip *f091 = glint_chip_lookup(0x442);
	const GlintChip *f303 = glint_chip_lookup(0x446);
	const GlintChip *f334 = glint_chip_lookup(0x438);
	GlintFlashGeometry g;
	GlintOptionContext ctx = context(f334, &g);
	GlintOptionBytes ob, old;
	g_autoptr(GError) error = NULL;

	for (guint i = 0; f1_names[i] != NULL; i++) {
		ck_assert_ptr_nonnull(glint_option_layout_find_field(f103->options, f1_names[i]));
		ck_assert_ptr_nonnull(glint_option_layout_find_field(f072->options, f1_names[i]));
	}
	for (guint i = 0; f0_names[i] != NULL; i++)
		ck_assert_ptr_nonnull(glint_option_layout_find_field(f072->options, f0_names[i]));
	ck_assert_ptr_null(glint_option_layout_find_field(f072->options, "BOOT_SEL"));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(f091->options, "BOOT_SEL"));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(f091->options, "nBOOT0"));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(f303->options, "SRAM_PE"));
	ck_assert_ptr_null(glint_option_layout_find_field(f103->options, "nBOOT1"));
	ck_assert_uint_eq(f103->options->rdp.level0, 0xA5);
	ck_assert_uint_eq(f103->options->rdp.level2, 0);
	ck_assert_uint_eq(f072->options->rdp.level0, 0xAA);
	ck_assert_uint_eq(f072->options->rdp.level2, 0xCC);
	{
		GlintFlashGeometry g103;
		GlintOptionContext c103 = context(f103, &g103);
		glint_option_bytes_init_factory(&ob, f103->options);
		ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 0);
		ck_assert(!glint_option_bytes_apply_edit(&ob, &c103, "RDP=2", &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
		g_clear_error(&error);
	}
	/* six option bytes: WRP2/WRP3 must stay erased */
	glint_option_bytes_init_factory(&old, f334->options);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRPR=0x0000FFFF", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP2/WRP3"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("f1-layout");
	TCase *tc = tcase_create("layout");
	SRunner *sr;
	int failed;
	tcase_add_loop_test(tc, test_every_id, 0, G_N_ELEMENTS(ids));
	tcase_add_test(tc, test_clones);
	tcase_add_test(tc, test_xl_banks);
	tcase_add_test(tc, test_wrp_groups);
	tcase_add_test(tc, test_xl_wrp);
	tcase_add_test(tc, test_fields_and_rdp);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
