/* test-f4-options.c: the F2/F4/F7 family as data, without a board: chips
 * and the rev-A quirk, sector maps (DB1M, nDBANK), the parallelism each
 * supply allows, the erase encodings (bank 2 as SNB 0x10 | n, MER and
 * MER1), and the option layouts: one-sector WRP areas, the F76x's two
 * sectors per bit in dual-bank mode, SPRMOD turning the same bits into
 * PCROP, and the rules the chips enforce. */
#include <check.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family.h"
#include "glint-target.h"
#include "f4/glint-f4-regs.h"
#include "f4/glint-f4.h"

#define CPUID_M3 0x412FC230u
#define CPUID_M4 0x410FC241u

static const GlintChip *
chip(guint16 dev_id)
{
	const GlintChip *c = glint_chip_identify(dev_id, 0);
	ck_assert_msg(c != NULL, "no chip 0x%03X", dev_id);
	ck_assert_str_eq(c->family->id, "f4");
	return c;
}

static void
geometry(const GlintChip *c, guint32 kb, const GlintOptionBytes *ob, GlintFlashGeometry *g)
{
	GlintOptionBytes factory;
	if (ob == NULL) {
		glint_option_bytes_init_factory(&factory, c->options);
		ob = &factory;
	}
	c->family->ops->geometry(c, kb, ob, 3.3, g);
}

START_TEST(test_chips)
{
	static const struct {
		guint16 dev_id;
		const char *name;
		guint32 kb;
		guint32 size_reg;
	} rows[] = {
	    {0x411, "STM32F20x/F21x", 1024, 0x1FFF7A22},
	    {0x413, "STM32F40x/F41x", 1024, 0x1FFF7A22},
	    {0x419, "STM32F42x/F43x", 2048, 0x1FFF7A22},
	    {0x423, "STM32F401xB/C", 256, 0x1FFF7A22},
	    {0x433, "STM32F401xD/E", 512, 0x1FFF7A22},
	    {0x431, "STM32F411xC/E", 512, 0x1FFF7A22},
	    {0x421, "STM32F446xx", 512, 0x1FFF7A22},
	    {0x449, "STM32F74x/F75x", 1024, 0x1FF0F442},
	    {0x451, "STM32F76x/F77x", 2048, 0x1FF0F442},
	    {0x452, "STM32F72x/F73x", 512, 0x1FF07A22},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		const GlintChip *c = chip(rows[i].dev_id);
		ck_assert_str_eq(c->name, rows[i].name);
		ck_assert_uint_eq(c->flash_kb_max, rows[i].kb);
		ck_assert_uint_eq(c->flash_size_reg, rows[i].size_reg);
		ck_assert_uint_eq(c->flash_base, 0x08000000u);
	}
	/* RM0090 errata of revision A: an F40x answering the F2's id; the
	 * core tells them apart */
	ck_assert_str_eq(glint_chip_identify(0x411, CPUID_M4)->name, "STM32F40x/F41x");
	ck_assert_str_eq(glint_chip_identify(0x411, CPUID_M3)->name, "STM32F20x/F21x");
}
END_TEST

START_TEST(test_parallelism_follows_supply)
{
	/* RM0090 table 13 */
	ck_assert_uint_eq(glint_f4_program_unit_for(3.3), 4);
	ck_assert_uint_eq(glint_f4_program_unit_for(2.7), 4);
	ck_assert_uint_eq(glint_f4_program_unit_for(2.69), 2);
	ck_assert_uint_eq(glint_f4_program_unit_for(2.1), 2);
	ck_assert_uint_eq(glint_f4_program_unit_for(2.09), 1);
	ck_assert_uint_eq(glint_f4_program_unit_for(1.8), 1);
	/* unknown: no guess */
	ck_assert_uint_eq(glint_f4_program_unit_for(-1), 0);
	ck_assert_uint_eq(glint_f4_psize_bits(4), FLASH_CR_PSIZE_X32);
	ck_assert_uint_eq(glint_f4_psize_bits(2), FLASH_CR_PSIZE_X16);
	ck_assert_uint_eq(glint_f4_psize_bits(1), FLASH_CR_PSIZE_X8);
	ck_assert_uint_eq(glint_f4_psize_unit(FLASH_CR_PSIZE_X64), 8);
}
END_TEST

START_TEST(test_sector_maps)
{
	GlintFlashGeometry g;
	GlintOptionBytes ob;
	GlintFlashUnit u;
	g_autofree gchar *shape = NULL;

	/* F401xB/C 256 KB: 4 x 16, 1 x 64, 1 x 128 */
	geometry(chip(0x423), 256, NULL, &g);
	ck_assert_uint_eq(g.n_units, 6);
	ck_assert_uint_eq(g.program_unit, 4);
	/* F429 2 MB: two banks, bank 2 numbered 12-23 at 0x08100000 */
	geometry(chip(0x419), 2048, NULL, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert(glint_geometry_unit_by_number(&g, 1, 12, &u));
	ck_assert_uint_eq(u.address, 0x08100000u);
	ck_assert_uint_eq(u.in_bank, 0);
	ck_assert(!g.bank_mode_configurable);
	/* F42x 1 MB: one bank of 12 sectors, or with DB1M two of 8, bank 2
	 * sectors 12-19 at 0x08080000 (RM0090 table 9) */
	glint_option_bytes_init_factory(&ob, chip(0x419)->options);
	geometry(chip(0x419), 1024, &ob, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	ck_assert_uint_eq(g.n_units, 12);
	ck_assert(g.bank_mode_configurable);
	ob.regs[F4_OB_OPTCR] |= FLASH_OPTCR_DB1M;
	geometry(chip(0x419), 1024, &ob, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.n_units, 16);
	ck_assert(glint_geometry_unit_by_number(&g, 1, 19, &u));
	ck_assert_uint_eq(u.address, 0x080E0000u);
	ck_assert(!glint_geometry_unit_by_number(&g, 1, 20, &u));
	ck_assert(!glint_geometry_unit_by_number(&g, 0, 8, &u));
	/* F76x: nDBANK = 1 one bank of 32/128/256 KB, 0 two banks of 16/64/128 */
	glint_option_bytes_init_factory(&ob, chip(0x451)->options);
	geometry(chip(0x451), 2048, &ob, &g);
	shape = glint_geometry_describe(&g);
	ck_assert_str_eq(shape, "1 bank of 12 sectors (4 x 32 KiB, 1 x 128 KiB, 7 x 256 KiB)");
	ob.regs[F4_OB_OPTCR] &= ~FLASH_OPTCR_NDBANK;
	geometry(chip(0x451), 2048, &ob, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.largest_unit, 131072);
	ck_assert(glint_geometry_unit_by_number(&g, 1, 12, &u));
	ck_assert_uint_eq(u.address, 0x08100000u);
}
END_TEST

/* A GlintTarget just complete enough for the erase encoders */
static void
fake_target(GlintTarget *t, const GlintChip *c, guint32 kb)
{
	memset(t, 0, sizeof(*t));
	t->chip = c;
	t->ops = c->family->ops;
	t->flash = t->ops->flash;
	glint_option_bytes_init_factory(&t->info.options, c->options);
	geometry(c, kb, &t->info.options, &t->info.geometry);
}

/* Bank 1 and bank 2 cannot be swapped unnoticed: sector 12 is SNB 0x10,
 * bank 2's mass erase is MER1 (bit 15), bank 1's MER (bit 2) */
START_TEST(test_erase_encoding)
{
	GlintTarget t;
	GlintFlashUnit u;

	fake_target(&t, chip(0x419), 2048);
	ck_assert(glint_geometry_unit_by_number(&t.info.geometry, 1, 12, &u));
	ck_assert_uint_eq(glint_f4_sector_erase_bits(&t, &u),
			  FLASH_CR_SER | (0x10u << FLASH_CR_SNB_SHIFT) | FLASH_CR_PSIZE_X32);
	ck_assert(glint_geometry_unit_by_number(&t.info.geometry, 1, 23, &u));
	ck_assert_uint_eq(glint_f4_sector_erase_bits(&t, &u),
			  FLASH_CR_SER | (0x1Bu << FLASH_CR_SNB_SHIFT) | FLASH_CR_PSIZE_X32);
	ck_assert(glint_geometry_unit_by_number(&t.info.geometry, 0, 11, &u));
	ck_assert_uint_eq(glint_f4_sector_erase_bits(&t, &u),
			  FLASH_CR_SER | (11u << FLASH_CR_SNB_SHIFT) | FLASH_CR_PSIZE_X32);
	ck_assert_uint_eq(glint_f4_bank_erase_bits(&t, 0), FLASH_CR_MER | FLASH_CR_PSIZE_X32);
	ck_assert_uint_eq(glint_f4_bank_erase_bits(&t, 1), FLASH_CR_MER_BANK2 | FLASH_CR_PSIZE_X32);
	/* the loader erases both banks with both bits */
	ck_assert_uint_eq(glint_f4_loader.erase_all_arg(&t),
			  FLASH_CR_MER | FLASH_CR_MER_BANK2 | FLASH_CR_PSIZE_X32);
	/* a single bank: MER alone, at the parallelism of the moment */
	fake_target(&t, chip(0x433), 512);
	t.info.geometry.program_unit = 2;
	ck_assert_uint_eq(glint_f4_bank_erase_bits(&t, 0), FLASH_CR_MER | FLASH_CR_PSIZE_X16);
}
END_TEST

static GlintOptionContext
context(const GlintChip *c, const GlintFlashGeometry *g)
{
	GlintOptionContext ctx = {c->options, g, c->name, FALSE, c};
	return ctx;
}

/* WRP=5-5: a one-sector area is an area; reading it back as "off" would
 * leave a protected sector unreported */
START_TEST(test_wrp_one_sector)
{
	const GlintChip *c = chip(0x433);
	const GlintProtectionArea *wrp = glint_option_layout_find_area(c->options, "WRP");
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob;
	GlintFlashUnit u;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *value = NULL;

	geometry(c, 512, NULL, &g);
	ctx = context(c, &g);
	glint_option_bytes_init_factory(&ob, c->options);
	ck_assert(!glint_option_bytes_area_active(&ob, wrp));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=5-5", &error));
	/* nWRP5 (OPTCR bit 21) cleared, nothing else */
	ck_assert_uint_eq(ob.regs[F4_OB_OPTCR], 0x0FDFAAEDu);
	ck_assert(glint_option_bytes_area_active(&ob, wrp));
	value = glint_option_bytes_area_edit_value(&ob, wrp, &g);
	ck_assert_str_eq(value, "5");
	ck_assert(glint_geometry_unit_by_number(&g, 0, 5, &u));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&ob, &g, &u, GLINT_PROTECT_WRP), wrp);
	ck_assert(glint_geometry_unit_by_number(&g, 0, 6, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* beyond the part's 8 sectors */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=8", &error));
	g_clear_error(&error);
}
END_TEST

/* F42x bank 2: WRP2 in OPTCR1, sectors 12-23 */
START_TEST(test_wrp_bank2)
{
	const GlintChip *c = chip(0x419);
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob;
	GlintFlashUnit u;
	g_autoptr(GError) error = NULL;

	geometry(c, 2048, NULL, &g);
	ctx = context(c, &g);
	glint_option_bytes_init_factory(&ob, c->options);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=13", &error));
	ck_assert_uint_eq(ob.regs[F4_OB_OPTCR1], 0x0FFD0000u);
	ck_assert_uint_eq(ob.regs[F4_OB_OPTCR], 0x0FFFAAEDu);
	ck_assert(glint_geometry_unit_by_number(&g, 1, 13, &u));
	ck_assert_ptr_nonnull(glint_option_bytes_protecting(&ob, &g, &u, GLINT_PROTECT_WRP));
	ck_assert(glint_geometry_unit_by_number(&g, 0, 1, &u));
	ck_assert_ptr_null(glint_option_bytes_protecting(&ob, &g, &u, -1));
	/* bank 1's area cannot name bank 2's sectors */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=13", &error));
	g_clear_error(&error);
}
END_TEST

/* F76x: one bit per sector in single-bank mode, per two sectors in
 * dual-bank mode (bank 2 from bit 6, RM0410 3.7.7) */
START_TEST(test_f76x_wrp_follows_ndbank)
{
	const GlintChip *c = chip(0x451);
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;

	glint_option_bytes_init_factory(&ob, c->options);
	geometry(c, 2048, &ob, &g);
	ctx = context(c, &g);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP=3", &error));
	ck_assert_uint_eq(ob.regs[F4_OB_OPTCR] & 0x0FFF0000u, 0x0FF70000u);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=2-3", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "nDBANK"));
	g_clear_error(&error);

	glint_option_bytes_init_factory(&ob, c->options);
	ob.regs[F4_OB_OPTCR] &= ~FLASH_OPTCR_NDBANK;
	geometry(c, 2048, &ob, &g);
	ctx = context(c, &g);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=2-3", &error));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "WRP2=12-13", &error));
	ck_assert_uint_eq(ob.regs[F4_OB_OPTCR] & 0x0FFF0000u, 0x0FBD0000u);
	/* a group is two sectors: one alone cannot be expressed */
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP1=2", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "2-3"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "WRP=3", &error));
	g_clear_error(&error);
}
END_TEST

/* SPRMOD = 1: the same bits select PCROP sectors, a 1 bit protecting */
START_TEST(test_sprmod_pcrop)
{
	const GlintChip *c = chip(0x433);
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob, old;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) changes = NULL;

	geometry(c, 512, NULL, &g);
	ctx = context(c, &g);
	glint_option_bytes_init_factory(&ob, c->options);
	old = ob;
	ck_assert(!glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=1", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "SPRMOD=1"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SPRMOD=1", &error));
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "PCROP=1", &error));
	ck_assert_uint_eq(ob.regs[F4_OB_OPTCR] & 0x80FF0000u, 0x80020000u);
	/* execute-only code can brick the firmware: the permanent confirmation */
	changes = glint_option_bytes_diff(&ctx, &old, &ob);
	ck_assert(glint_option_changes_risk(changes) & GLINT_OPTION_RISK_PERMANENT);
	/* SPRMOD back to 0 only with an RDP 1 -> 0 regression (RM0090 3.7.5) */
	old = ob;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "SPRMOD=0", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	g_clear_error(&error);
	glint_option_bytes_set_rdp_level(&old, 1);
	glint_option_bytes_set_rdp_level(&ob, 0);
	ck_assert(glint_option_bytes_check(&ctx, &old, &ob, &error));
}
END_TEST

START_TEST(test_f42x_rules)
{
	const GlintChip *c = chip(0x419);
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob, old;
	g_autoptr(GError) error = NULL;

	/* DB1M does nothing on a 2 MB part */
	geometry(c, 2048, NULL, &g);
	ctx = context(c, &g);
	glint_option_bytes_init_factory(&old, c->options);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "DB1M=1", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "DB1M"));
	g_clear_error(&error);
	/* BFB2 needs two banks: a 1 MB part needs DB1M with it */
	geometry(c, 1024, NULL, &g);
	ctx = context(c, &g);
	ob = old;
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BFB2=1", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "DB1M=1", &error));
	ck_assert(glint_option_bytes_check(&ctx, &old, &ob, &error));
}
END_TEST

START_TEST(test_f7_boot_addresses)
{
	const GlintChip *c = chip(0x451);
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob, old;
	g_autoptr(GError) error = NULL;
	const GlintOptionField *boot0 = glint_option_layout_find_field(c->options, "BOOT_ADD0");

	geometry(c, 2048, NULL, &g);
	ctx = context(c, &g);
	glint_option_bytes_init_factory(&old, c->options);
	ob = old;
	ck_assert_uint_eq(glint_option_bytes_get_field(&ob, boot0), 0x0080);
	/* an address is taken as readily as the register value */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BOOT_ADD0=0x08100000", &error));
	ck_assert_uint_eq(glint_option_bytes_get_field(&ob, boot0), 0x2040);
	ck_assert(glint_option_bytes_check(&ctx, &old, &ob, &error));
	/* nothing to boot at 0x30000000 */
	ck_assert(glint_option_bytes_apply_edit(&ob, &ctx, "BOOT_ADD0=0x30000000", &error));
	ck_assert(!glint_option_bytes_check(&ctx, &old, &ob, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "0x30000000"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("f4-options");
	TCase *tc = tcase_create("layout");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_chips);
	tcase_add_test(tc, test_parallelism_follows_supply);
	tcase_add_test(tc, test_sector_maps);
	tcase_add_test(tc, test_erase_encoding);
	tcase_add_test(tc, test_wrp_one_sector);
	tcase_add_test(tc, test_wrp_bank2);
	tcase_add_test(tc, test_f76x_wrp_follows_ndbank);
	tcase_add_test(tc, test_sprmod_pcrop);
	tcase_add_test(tc, test_f42x_rules);
	tcase_add_test(tc, test_f7_boot_addresses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
