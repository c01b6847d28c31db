/* test-h7-options.c: the STM32H7 option layouts and geometry as data, with
 * no chip: factory values, WPSN (one bit per sector) and WPSGN (one bit per
 * four sectors) areas, boot addresses shown and edited as addresses, the
 * risks of SECURITY, PCROP without DMEP and SWAP_BANK_OPT, and the bank
 * layout for each size and mapping. */
#include <check.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family.h"
#include "glint-options.h"

static const GlintChip *
chip(guint16 dev_id)
{
	const GlintChip *c = glint_chip_lookup(dev_id);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void
context(const GlintChip *c, const GlintFlashGeometry *g, GlintOptionContext *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->layout = c->options;
	ctx->geometry = g;
	ctx->chip_name = c->name;
	ctx->chip = c;
}

START_TEST(test_factory_nothing_protected)
{
	static const guint16 ids[] = {0x450, 0x480, 0x483};
	for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
		const GlintChip *c = chip(ids[i]);
		GlintOptionBytes ob;
		glint_option_bytes_init_factory(&ob, c->options);
		ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 0);
		for (guint a = 0; a < c->options->n_areas; a++)
			ck_assert_msg(!glint_option_bytes_area_active(&ob, &c->options->areas[a]),
				      "%s: %s active at the factory", c->name,
				      c->options->areas[a].name);
		for (guint f = 0; f < c->options->n_fields; f++) {
			const GlintOptionField *field = &c->options->fields[f];
			ck_assert_msg(glint_option_bytes_get_field(&ob, field) == field->factory,
				      "%s: %s is not its factory value", c->name, field->name);
		}
	}
}
END_TEST

/* one bit clear = one sector protected: an area of one unit is active */
START_TEST(test_wpsn_one_sector)
{
	const GlintChip *c = chip(0x450);
	const GlintProtectionArea *area = glint_option_layout_find_area(c->options, "WPSN2");
	GlintFlashGeometry g;
	GlintOptionBytes ob;
	g_autoptr(GArray) ranges = NULL;

	glint_chip_default_geometry(c, 0, NULL, &g);
	glint_option_bytes_init_factory(&ob, c->options);
	ob.regs[area->mask_reg] &= ~(1u << 7);
	ck_assert(glint_option_bytes_area_active(&ob, area));
	ranges = glint_option_bytes_get_area(&ob, area, &g);
	ck_assert_uint_eq(ranges->len, 1);
	ck_assert_uint_eq(g_array_index(ranges, GlintRange, 0).first, 7);
	ck_assert_uint_eq(g_array_index(ranges, GlintRange, 0).last, 7);
	/* bank 2's area, not bank 1's */
	ck_assert(!glint_option_bytes_area_active(
	    &ob, glint_option_layout_find_area(c->options, "WPSN1")));
}
END_TEST

/* WPSGN: a bit per 4 sectors of 8 KB; edits must cover whole groups */
START_TEST(test_wpsgn_groups)
{
	const GlintChip *c = chip(0x480);
	GlintFlashGeometry g;
	GlintOptionBytes ob;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;

	glint_chip_default_geometry(c, 0, NULL, &g);
	context(c, &g, &ctx);
	glint_option_bytes_init_factory(&ob, c->options);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WPSGN1=4-7", &error));
	ck_assert_uint_eq(ob.regs[glint_option_layout_find_register(c->options, "WPSGN1R")],
			  0xFFFFFFFDu);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WPSGN1=5", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "4-7"));
}
END_TEST

START_TEST(test_boot_address)
{
	const GlintChip *c = chip(0x483);
	const GlintOptionField *f = glint_option_layout_find_field(c->options, "BOOT_ADD0");
	GlintFlashGeometry g;
	GlintOptionBytes ob, old;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diff = NULL;
	g_autofree gchar *shown = NULL;
	GlintOptionChange *change;

	glint_chip_default_geometry(c, 0, NULL, &g);
	context(c, &g, &ctx);
	glint_option_bytes_init_factory(&old, c->options);
	ob = old;
	shown = glint_option_bytes_describe_field(&ob, f);
	ck_assert_str_eq(shown, "0x08000000");
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BOOT_ADD0=0x24000000", &error));
	ck_assert_uint_eq(glint_option_bytes_get_field(&ob, f), 0x2400);
	/* the field holds address bits 31:16 */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "BOOT_ADD0=0x24001000", &error));
	g_clear_error(&error);
	diff = glint_option_bytes_diff(&ctx, &old, &ob);
	change = g_ptr_array_index(diff, 0);
	ck_assert(change->risk & GLINT_OPTION_RISK_BOOT);
	ck_assert(!(change->risk & GLINT_OPTION_RISK_LOCKOUT));
	ck_assert_ptr_nonnull(strstr(change->consequence, "0x24000000"));
	/* nowhere: a lockout, and said so */
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BOOT_ADD0=0x60000000", &error));
	g_ptr_array_unref(g_steal_pointer(&diff));
	diff = glint_option_bytes_diff(&ctx, &old, &ob);
	change = g_ptr_array_index(diff, 0);
	ck_assert(change->risk & GLINT_OPTION_RISK_LOCKOUT);
	ck_assert_ptr_nonnull(strstr(change->consequence, "boot nowhere"));
}
END_TEST

/* SECURITY and a PCROP area without DMEP are for ever */
START_TEST(test_permanent_risks)
{
	const GlintChip *c = chip(0x450);
	GlintFlashGeometry g;
	GlintOptionBytes ob, old;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diff = NULL;

	glint_chip_default_geometry(c, 0, NULL, &g);
	context(c, &g, &ctx);
	glint_option_bytes_init_factory(&old, c->options);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SECURITY=1", &error));
	diff = glint_option_bytes_diff(&ctx, &old, &ob);
	ck_assert(glint_option_changes_risk(diff) & GLINT_OPTION_RISK_PERMANENT);
	ck_assert(!glint_option_bytes_check(&ctx, &ob, &old, &error));
	g_clear_error(&error);

	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP1=0x08000000-0x080003FF", &error));
	g_ptr_array_unref(g_steal_pointer(&diff));
	diff = glint_option_bytes_diff(&ctx, &old, &ob);
	ck_assert(glint_option_changes_risk(diff) & GLINT_OPTION_RISK_PERMANENT);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "DMEP1=1", &error));
	g_ptr_array_unref(g_steal_pointer(&diff));
	diff = glint_option_bytes_diff(&ctx, &old, &ob);
	ck_assert(!(glint_option_changes_risk(diff) & GLINT_OPTION_RISK_PERMANENT));
}
END_TEST

START_TEST(test_swap_consequence)
{
	const GlintChip *c = chip(0x450);
	GlintFlashGeometry g;
	GlintOptionBytes ob, old;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diff = NULL;
	GlintOptionChange *change;

	glint_chip_default_geometry(c, 0, NULL, &g);
	context(c, &g, &ctx);
	ctx.bank2_empty = TRUE;
	glint_option_bytes_init_factory(&old, c->options);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SWAP_BANK_OPT=1", &error));
	diff = glint_option_bytes_diff(&ctx, &old, &ob);
	change = g_ptr_array_index(diff, 0);
	ck_assert(change->risk & GLINT_OPTION_RISK_BOOT);
	ck_assert_ptr_nonnull(strstr(change->consequence, "physical bank 2"));
	ck_assert_ptr_nonnull(strstr(change->consequence, "no valid image"));
}
END_TEST

/* Bank 2 at 0x08100000 on every dual-bank size; swapped: physical bank 2
 * first; 128 KB parts and the H72x are one bank */
START_TEST(test_geometry)
{
	const GlintChip *h74 = chip(0x450);
	GlintFlashGeometry g;
	GlintOptionBytes ob;

	glint_chip_default_geometry(h74, 1024, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].base, 0x08100000u);
	ck_assert_uint_eq(g.banks[0].size, 512 * 1024);
	ck_assert(!glint_geometry_contains(&g, 0x08080000u, 4));
	glint_chip_default_geometry(h74, 128, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	glint_chip_default_geometry(chip(0x483), 0, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	ck_assert_uint_eq(g.program_unit, 32);
	glint_chip_default_geometry(chip(0x480), 0, NULL, &g);
	ck_assert_uint_eq(g.program_unit, 16);
	ck_assert_uint_eq(g.banks[0].n_units, 128);

	glint_option_bytes_init_factory(&ob, h74->options);
	ob.regs[GLINT_OPTION_MAX_REGS - 1] = 1; /* FLASH_OPTCR.SWAP_BANK as read */
	glint_chip_default_geometry(h74, 0, &ob, &g);
	ck_assert(g.banks_swapped);
	ck_assert_uint_eq(g.banks[0].physical, 1);
	ck_assert_uint_eq(g.banks[0].base, 0x08000000u);
	ck_assert_uint_eq(g.banks[1].physical, 0);
	{
		GlintFlashUnit u;
		ck_assert(glint_geometry_unit_at(&g, 0x08000000u, &u));
		ck_assert_uint_eq(u.physical, 1);
		ck_assert_uint_eq(u.number, 0);
	}
}
END_TEST

static Suite *
h7_options_suite(void)
{
	Suite *s = suite_create("h7-options");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, test_factory_nothing_protected);
	tcase_add_test(tc, test_wpsn_one_sector);
	tcase_add_test(tc, test_wpsgn_groups);
	tcase_add_test(tc, test_boot_address);
	tcase_add_test(tc, test_permanent_risks);
	tcase_add_test(tc, test_swap_consequence);
	tcase_add_test(tc, test_geometry);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(h7_options_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
