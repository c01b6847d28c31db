/* test-l0-options.c: the STM32L0/L1 family as data, without a board: every
 * chip identified, the flash-size codes, the geometry of each size
 * (banks numbered on, erased 0x00), and the option layouts: one sector is
 * enough to make WRP active, sector bits counted across banks (the split
 * depends on the part's size), registers continuing each other (the L1's
 * WRPR2 starts at sector 32), PCROP taking the WRPROT bits under WPRMOD
 * and not giving them back without an RDP regression, the L1's BFB2 the
 * other way round. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family-private.h"
#include "glint-family.h"
#include "glint-options.h"

static const GlintChip *
chip(guint16 dev_id)
{
	const GlintChip *c = glint_chip_lookup(dev_id);
	ck_assert_msg(c != NULL, "no chip 0x%03x", dev_id);
	return c;
}

static void
geometry(guint16 dev_id, guint32 kb, const GlintOptionBytes *ob, GlintFlashGeometry *g)
{
	glint_chip_default_geometry(chip(dev_id), kb, ob, g);
}

static GlintOptionContext
context(guint16 dev_id, const GlintFlashGeometry *g)
{
	GlintOptionContext ctx = {chip(dev_id)->options, g, chip(dev_id)->name, FALSE,
				  chip(dev_id)};
	return ctx;
}

START_TEST(test_chips)
{
	static const struct {
		guint16 dev_id;
		const char *core;
		guint32 max_kb;
		guint32 page;
	} rows[] = {
	    {0x457, "Cortex-M0+", 16, 128}, {0x425, "Cortex-M0+", 32, 128},
	    {0x417, "Cortex-M0+", 64, 128}, {0x447, "Cortex-M0+", 192, 128},
	    {0x416, "Cortex-M3", 128, 256}, {0x429, "Cortex-M3", 128, 256},
	    {0x427, "Cortex-M3", 256, 256}, {0x436, "Cortex-M3", 384, 256},
	    {0x437, "Cortex-M3", 512, 256},
	};
	g_autofree gchar *supported = glint_chip_describe_supported();
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		const GlintChip *c = chip(rows[i].dev_id);
		GlintFlashGeometry g;
		ck_assert_str_eq(c->family->id, "l0");
		ck_assert_str_eq(c->core, rows[i].core);
		ck_assert_uint_eq(c->flash_kb_max, rows[i].max_kb);
		ck_assert_ptr_eq(glint_chip_identify(rows[i].dev_id, 0), c);
		ck_assert_uint_eq(c->uid_word_offsets[2], 0x14);
		geometry(rows[i].dev_id, rows[i].max_kb, NULL, &g);
		ck_assert_uint_eq(g.erased_value, 0x00);
		ck_assert_uint_eq(g.largest_unit, rows[i].page);
		ck_assert_uint_eq(g.size, rows[i].max_kb * 1024);
		ck_assert_ptr_nonnull(strstr(supported, c->name));
	}
	ck_assert_str_eq(glint_chip_status_name(chip(0x417)), "FLASH_SR");
	{
		g_autofree gchar *names =
		    glint_chip_describe_status(chip(0x417), (1u << 16) | (1u << 17));
		ck_assert_str_eq(names, "NOTZEROERR, FWWERR");
	}
}
END_TEST

/* RM0038: 0x436 says 0 for 384 KB and 1 for 256 KB; 0x429's size is its
 * low byte */
START_TEST(test_flash_size_codes)
{
	const GlintChip *cat4 = chip(0x436), *cat2 = chip(0x429), *cat3 = chip(0x417);
	ck_assert_uint_eq(cat4->family->ops->decode_flash_kb(cat4, 0), 384);
	ck_assert_uint_eq(cat4->family->ops->decode_flash_kb(cat4, 1), 256);
	ck_assert_uint_eq(cat2->family->ops->decode_flash_kb(cat2, 0xFF80), 0x80);
	ck_assert_uint_eq(cat3->family->ops->decode_flash_kb(cat3, 64), 64);
}
END_TEST

/* Two banks only where the part has them, bank 2 numbered on */
START_TEST(test_banks)
{
	GlintFlashGeometry g;
	geometry(0x447, 192, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].base, 0x08018000u);
	ck_assert_uint_eq(g.banks[1].first_number, 768);
	geometry(0x447, 128, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].base, 0x08010000u);
	geometry(0x447, 64, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	geometry(0x436, 384, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.banks[1].base, 0x08030000u);
	geometry(0x436, 256, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	geometry(0x437, 512, NULL, &g);
	ck_assert_uint_eq(g.banks[1].base, 0x08040000u);
	ck_assert_uint_eq(g.banks[1].first_number, 1024);
	geometry(0x417, 64, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	ck_assert_uint_eq(g.n_units, 512);
}
END_TEST

/* One bit, one sector: enough to be active, and it covers its 32 (L0) or
 * 16 (L1) pages and no more */
START_TEST(test_wrp_one_sector)
{
	GlintFlashGeometry g;
	GlintOptionBytes ob;
	GlintFlashUnit u;
	const GlintProtectionArea *wrp;

	geometry(0x417, 64, NULL, &g);
	glint_option_bytes_init_factory(&ob, chip(0x417)->options);
	wrp = glint_option_layout_find_area(ob.layout, "WRP");
	ck_assert(!glint_option_bytes_area_active(&ob, wrp));
	ob.regs[1] = 1u << 15;
	ck_assert(glint_option_bytes_area_active(&ob, wrp));
	ck_assert(glint_geometry_unit_by_number(&g, 0, 15 * 32, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, -1), wrp);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 15 * 32 - 1, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));

	geometry(0x437, 512, NULL, &g);
	glint_option_bytes_init_factory(&ob, chip(0x437)->options);
	ob.regs[1] = 1u;
	ck_assert(glint_geometry_unit_by_number(&g, 0, 15, &u));
	ck_assert_ptr_nonnull(glint_option_bytes_protecting(&ob, &g, &u, -1));
	ck_assert(glint_geometry_unit_by_number(&g, 0, 16, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
}
END_TEST

/* WRPROT1 bit 24 of a 192 KB STM32L073 is the first sector of bank 2; on
 * the 128 KB part bit 16 is; an edit by page numbers sets the right bit */
START_TEST(test_wrp_across_banks)
{
	GlintFlashGeometry g;
	GlintOptionBytes ob;
	GlintOptionContext ctx;
	GlintFlashUnit u;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *covers = NULL;

	geometry(0x447, 192, NULL, &g);
	ctx = context(0x447, &g);
	glint_option_bytes_init_factory(&ob, chip(0x447)->options);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=768-799", &error));
	ck_assert_uint_eq(ob.regs[1], 1u << 24);
	ck_assert(glint_geometry_unit_at(&g, 0x08018000u, &u));
	ck_assert_uint_eq(u.physical, 1);
	ck_assert_ptr_nonnull(glint_option_bytes_protecting(&ob, &g, &u, -1));
	covers = glint_option_bytes_describe_area(
	    &ob, glint_option_layout_find_area(ob.layout, "WRP1"), &g);
	ck_assert_ptr_nonnull(strstr(covers, "bank 2"));
	/* sectors 32-47 are WRPROT2's */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=1024-1055", &error));
	ck_assert_uint_eq(ob.regs[2], 1u);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=1024-1055", &error));
	g_clear_error(&error);

	geometry(0x447, 128, NULL, &g);
	ctx = context(0x447, &g);
	glint_option_bytes_init_factory(&ob, chip(0x447)->options);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=512-543", &error));
	ck_assert_uint_eq(ob.regs[1], 1u << 16);
	ck_assert(glint_geometry_unit_at(&g, 0x08010000u, &u));
	ck_assert_uint_eq(u.physical, 1);
	ck_assert_ptr_nonnull(glint_option_bytes_protecting(&ob, &g, &u, -1));
}
END_TEST

/* The L1's registers continue each other: WRPR2 bit 0 is sector 32 (page
 * 512), WRPR3 bit 0 sector 64, the first of bank 2 on the 512 KB part */
START_TEST(test_wrp_l1_registers)
{
	GlintFlashGeometry g;
	GlintOptionBytes ob;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;

	geometry(0x437, 512, NULL, &g);
	ctx = context(0x437, &g);
	glint_option_bytes_init_factory(&ob, chip(0x437)->options);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=512-527", &error));
	ck_assert_uint_eq(ob.regs[2], 1u);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP3=1024-1039", &error));
	ck_assert_uint_eq(ob.regs[3], 1u);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP4=2032-2047", &error));
	ck_assert_uint_eq(ob.regs[4], 1u << 31);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=0-15", &error));
	g_clear_error(&error);
}
END_TEST

/* WPRMOD makes the WRPROT bits PCROP (the WRP area goes off, PCROP on);
 * PCROP cannot shrink nor WPRMOD go back without an RDP 1 -> 0 regression */
START_TEST(test_pcrop)
{
	GlintFlashGeometry g;
	GlintOptionBytes old, ob;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) changes = NULL;
	const GlintProtectionArea *wrp, *pcrop;

	geometry(0x417, 64, NULL, &g);
	ctx = context(0x417, &g);
	glint_option_bytes_init_factory(&ob, chip(0x417)->options);
	wrp = glint_option_layout_find_area(ob.layout, "WRP");
	pcrop = glint_option_layout_find_area(ob.layout, "PCROP");
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=0-31", &error));
	g_clear_error(&error);
	old = ob;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WPRMOD=1", &error));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=0-31", &error));
	ck_assert(glint_option_bytes_area_active(&ob, pcrop));
	ck_assert(!glint_option_bytes_area_active(&ob, wrp));
	changes = glint_option_bytes_diff(&ctx, &old, &ob);
	ck_assert(glint_option_changes_risk(changes) & GLINT_OPTION_RISK_LOCKOUT);
	/* from there: no way back but the regression */
	old = ob;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WPRMOD=0", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "RDP"));
	g_clear_error(&error);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=off", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	g_clear_error(&error);
	glint_option_bytes_set_rdp_level(&old, 1);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WPRMOD=0", &error));
	glint_option_bytes_set_rdp_level(&ob, 0);
	ck_assert_msg(glint_option_bytes_check(&ctx, &old, &ob, &error), "%s",
		      error ? error->message : "");
}
END_TEST

/* BFB2: 1 boots bank 2 on the L0, 0 does on the L1, and the diff says so */
START_TEST(test_bfb2_polarity)
{
	GlintFlashGeometry g;
	GlintOptionBytes old, ob;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) l0 = NULL;
	g_autoptr(GPtrArray) l1 = NULL;
	GlintOptionChange *c;

	geometry(0x447, 192, NULL, &g);
	ctx = context(0x447, &g);
	glint_option_bytes_init_factory(&old, chip(0x447)->options);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BFB2=1", &error));
	l0 = glint_option_bytes_diff(&ctx, &old, &ob);
	c = g_ptr_array_index(l0, 0);
	ck_assert_ptr_nonnull(strstr(c->consequence, "bank 2"));

	geometry(0x437, 512, NULL, &g);
	ctx = context(0x437, &g);
	glint_option_bytes_init_factory(&old, chip(0x437)->options);
	ck_assert_uint_eq(glint_option_layout_find_field(old.layout, "BFB2")->factory, 1);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BFB2=0", &error));
	l1 = glint_option_bytes_diff(&ctx, &old, &ob);
	c = g_ptr_array_index(l1, 0);
	ck_assert_ptr_nonnull(strstr(c->consequence, "bank 2"));
	ck_assert(c->risk & GLINT_OPTION_RISK_BOOT);
}
END_TEST

static Suite *
l0_options_suite(void)
{
	Suite *s = suite_create("l0-options");
	TCase *tc = tcase_create("options");
	tcase_add_test(tc, test_chips);
	tcase_add_test(tc, test_flash_size_codes);
	tcase_add_test(tc, test_banks);
	tcase_add_test(tc, test_wrp_one_sector);
	tcase_add_test(tc, test_wrp_across_banks);
	tcase_add_test(tc, test_wrp_l1_registers);
	tcase_add_test(tc, test_pcrop);
	tcase_add_test(tc, test_bfb2_polarity);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(l0_options_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
