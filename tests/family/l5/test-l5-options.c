/* test-l5-options.c: the STM32L5/U5 option layouts and geometry as data,
 * with no chip: the fields by their RM0438/RM0456 names, factory values,
 * one-page WRP areas, watermarks that count only with TZEN, HDP with its
 * own enable bit, the rules the chip enforces (refused before anything is
 * written), the risks that need confirmations, what a regression does, and
 * the bank layout each size and bit gives. */
#include <check.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family.h"
#include "glint-options.h"

#define L5_ID 0x472
#define U5_ID 0x482

static const GlintChip *
chip(guint16 dev_id)
{
	const GlintChip *c = glint_chip_lookup(dev_id);
	ck_assert_ptr_nonnull(c);
	return c;
}

typedef struct {
	const GlintChip *chip;
	GlintFlashGeometry g;
	GlintOptionContext ctx;
	GlintOptionBytes ob;
} Fixture;

static void
fixture(Fixture *f, guint16 dev_id, guint32 flash_kb)
{
	memset(f, 0, sizeof(*f));
	f->chip = chip(dev_id);
	glint_option_bytes_init_factory(&f->ob, f->chip->options);
	glint_chip_default_geometry(f->chip, flash_kb, &f->ob, &f->g);
	f->ctx.layout = f->chip->options;
	f->ctx.geometry = &f->g;
	f->ctx.chip_name = f->chip->name;
	f->ctx.chip = f->chip;
}

static void
edit(Fixture *f, GlintOptionBytes *ob, const char *text)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_option_bytes_apply_edit(ob, &f->ctx, text, &error), "%s: %s", text,
		      error ? error->message : "");
}

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

/* The fields carry the reference manuals' names; nothing is protected or
 * secure as shipped */
START_TEST(test_names_and_factory)
{
	static const char *const l5_names[] = {
	    "BOR_LEV", "nRST_STOP",  "IWDG_SW",	   "SWAP_BANK",	  "DB256K",
	    "DBANK",   "SRAM2_PE",   "nSWBOOT0",   "nBOOT0",	  "PA15_PUPEN",
	    "TZEN",    "NSBOOTADD0", "NSBOOTADD1", "SECBOOTADD0", "BOOT_LOCK"};
	static const char *const u5_names[] = {
	    "SRAM1345_RST", "DUALBANK",	 "BKPRAM_ECC",	 "SRAM3_ECC",	 "IO_VDD_HSLV",
	    "TZEN",	    "BOOT_LOCK", "WRP1A_UNLOCK", "WRP2B_UNLOCK", "IO_VDDIO2_HSLV"};
	static const char *const areas[] = {"WRP1A",  "WRP1B",	"WRP2A", "WRP2B",
					    "SECWM1", "SECWM2", "HDP1",	 "HDP2"};
	static const guint16 ids[] = {L5_ID, U5_ID};
	for (guint i = 0; i < G_N_ELEMENTS(l5_names); i++)
		ck_assert_msg(glint_option_layout_find_field(chip(L5_ID)->options, l5_names[i]),
			      "L5 has no %s", l5_names[i]);
	for (guint i = 0; i < G_N_ELEMENTS(u5_names); i++)
		ck_assert_msg(glint_option_layout_find_field(chip(U5_ID)->options, u5_names[i]),
			      "U5 has no %s", u5_names[i]);
	/* the U5 has no DBANK, the L5 no UNLOCK */
	ck_assert_ptr_null(glint_option_layout_find_field(chip(U5_ID)->options, "DBANK"));
	ck_assert_ptr_null(glint_option_layout_find_field(chip(L5_ID)->options, "WRP1A_UNLOCK"));
	for (guint c = 0; c < G_N_ELEMENTS(ids); c++) {
		const GlintOptionLayout *layout = chip(ids[c])->options;
		GlintOptionBytes ob;
		glint_option_bytes_init_factory(&ob, layout);
		ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 0);
		for (guint a = 0; a < G_N_ELEMENTS(areas); a++) {
			const GlintProtectionArea *area =
			    glint_option_layout_find_area(layout, areas[a]);
			ck_assert_ptr_nonnull(area);
			ck_assert_msg(!glint_option_bytes_area_active(&ob, area), "%s active",
				      areas[a]);
		}
		for (guint i = 0; i < layout->n_fields; i++)
			ck_assert_msg(glint_option_bytes_get_field(&ob, &layout->fields[i]) ==
					  layout->fields[i].factory,
				      "%s: %s", chip(ids[c])->name, layout->fields[i].name);
	}
}
END_TEST

/* A one-page WRP area (0-0) is active and covers exactly page 0 of its
 * bank; WRP2A is bank 2's */
START_TEST(test_wrp_one_page)
{
	Fixture f;
	const GlintProtectionArea *wrp1a, *wrp2a;
	g_autoptr(GArray) ranges = NULL;
	GlintFlashUnit unit;

	fixture(&f, _i ? U5_ID : L5_ID, 0);
	wrp1a = glint_option_layout_find_area(f.chip->options, "WRP1A");
	wrp2a = glint_option_layout_find_area(f.chip->options, "WRP2A");
	edit(&f, &f.ob, "WRP2A=0");
	ck_assert(glint_option_bytes_area_active(&f.ob, wrp2a));
	ck_assert(!glint_option_bytes_area_active(&f.ob, wrp1a));
	ranges = glint_option_bytes_get_area(&f.ob, wrp2a, &f.g);
	ck_assert_uint_eq(ranges->len, 1);
	ck_assert_uint_eq(g_array_index(ranges, GlintRange, 0).first, 0);
	ck_assert_uint_eq(g_array_index(ranges, GlintRange, 0).last, 0);
	/* the first page of bank 2, not of bank 1 */
	ck_assert(glint_geometry_get_unit(&f.g, f.g.banks[1].first_index, &unit));
	ck_assert_ptr_eq(glint_option_bytes_protecting(&f.ob, &f.g, &unit, -1), wrp2a);
	ck_assert(glint_geometry_get_unit(&f.g, 0, &unit));
	ck_assert_ptr_null(glint_option_bytes_protecting(&f.ob, &f.g, &unit, -1));
}
END_TEST

/* Watermarks count only with TZEN; HDP comes on and off with HDPxEN and
 * leaves the watermark's start alone */
START_TEST(test_secure_areas)
{
	Fixture f;
	GlintOptionBytes tz;
	const GlintProtectionArea *secwm1, *hdp1;
	g_autoptr(GError) error = NULL;

	fixture(&f, _i ? U5_ID : L5_ID, 0);
	secwm1 = glint_option_layout_find_area(f.chip->options, "SECWM1");
	hdp1 = glint_option_layout_find_area(f.chip->options, "HDP1");
	/* factory watermarks cover every page, but TZEN is off */
	ck_assert(!glint_option_bytes_area_active(&f.ob, secwm1));
	tz = f.ob;
	ck_assert(!glint_option_bytes_apply_edit(&tz, &f.ctx, "SECWM1=0-3", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "TZEN = 1"));
	g_clear_error(&error);
	edit(&f, &tz, "TZEN=1");
	ck_assert(glint_option_bytes_area_active(&tz, secwm1));
	edit(&f, &tz, "SECWM1=0-7");
	edit(&f, &tz, "HDP1=0-2");
	ck_assert(glint_option_bytes_area_active(&tz, hdp1));
	ck_assert(tz.regs[hdp1->end_reg] & (1u << 31)); /* HDP1EN */
	ck_assert(glint_option_bytes_check(&f.ctx, &f.ob, &tz, &error));
	/* HDP beyond the secure area: refused */
	edit(&f, &tz, "HDP1=0-9");
	ck_assert(!glint_option_bytes_check(&f.ctx, &f.ob, &tz, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "inside SECWM1"));
	g_clear_error(&error);
	edit(&f, &tz, "HDP1=off");
	ck_assert(!(tz.regs[hdp1->end_reg] & (1u << 31)));
	ck_assert(glint_option_bytes_area_active(&tz, secwm1));
}
END_TEST

/* The chip's rules, refused before anything is written */
START_TEST(test_rules)
{
	Fixture f;
	GlintOptionBytes one, tz, half, next;
	g_autoptr(GError) error = NULL;
	gboolean u5 = _i;

	fixture(&f, u5 ? U5_ID : L5_ID, 0);
	/* TZEN only at level 0 */
	one = f.ob;
	edit(&f, &one, "RDP=1");
	next = one;
	edit(&f, &next, "TZEN=1");
	ck_assert(!glint_option_bytes_check(&f.ctx, &one, &next, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "only while RDP is level 0"));
	g_clear_error(&error);
	/* TZEN off only with a regression */
	tz = f.ob;
	edit(&f, &tz, "TZEN=1");
	next = tz;
	edit(&f, &next, "TZEN=0");
	ck_assert(!glint_option_bytes_check(&f.ctx, &tz, &next, &error));
	g_clear_error(&error);
	one = tz;
	edit(&f, &one, "RDP=1");
	next = one;
	edit(&f, &next, "RDP=0");
	edit(&f, &next, "TZEN=0");
	ck_assert_msg(glint_option_bytes_check(&f.ctx, &one, &next, &error), "%s",
		      error ? error->message : "");
	/* 0.5 -> 0: the L5 has it, the U5 not */
	half = tz;
	edit(&f, &half, "RDP=0.5");
	next = half;
	edit(&f, &next, "RDP=0");
	ck_assert(glint_option_bytes_check(&f.ctx, &half, &next, &error) == !u5);
	g_clear_error(&error);
	/* secure option bytes without TrustZone */
	next = f.ob;
	edit(&f, &next, "SECBOOTADD0=0x0C010000");
	ck_assert(!glint_option_bytes_check(&f.ctx, &f.ob, &next, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "TZEN"));
}
END_TEST

/* BOOT_LOCK: the L5 never clears it, the U5 at level 0 only; SECBOOTADD0
 * cannot move while it holds */
START_TEST(test_boot_lock_rules)
{
	Fixture f;
	GlintOptionBytes locked, next, one;
	g_autoptr(GError) error = NULL;
	gboolean u5 = _i;

	fixture(&f, u5 ? U5_ID : L5_ID, 0);
	locked = f.ob;
	edit(&f, &locked, "TZEN=1");
	edit(&f, &locked, "BOOT_LOCK=1");
	next = locked;
	edit(&f, &next, "SECBOOTADD0=0x0C004000");
	ck_assert(!glint_option_bytes_check(&f.ctx, &locked, &next, &error));
	g_clear_error(&error);
	next = locked;
	edit(&f, &next, "BOOT_LOCK=0");
	ck_assert(glint_option_bytes_check(&f.ctx, &locked, &next, &error) == u5);
	g_clear_error(&error);
	one = locked;
	edit(&f, &one, "RDP=1");
	next = one;
	edit(&f, &next, "BOOT_LOCK=0");
	ck_assert(!glint_option_bytes_check(&f.ctx, &one, &next, &error));
}
END_TEST

/* U5: an area whose UNLOCK is 0 cannot change; clearing UNLOCK is
 * permanent */
START_TEST(test_wrp_unlock)
{
	Fixture f;
	GlintOptionBytes locked, next;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) changes = NULL;

	fixture(&f, U5_ID, 0);
	locked = f.ob;
	edit(&f, &locked, "WRP1A=0-1");
	edit(&f, &locked, "WRP1A_UNLOCK=0");
	changes = glint_option_bytes_diff(&f.ctx, &f.ob, &locked);
	ck_assert(find_change(changes, "WRP1A_UNLOCK")->risk & GLINT_OPTION_RISK_PERMANENT);
	next = locked;
	edit(&f, &next, "WRP1A=off");
	ck_assert(!glint_option_bytes_check(&f.ctx, &locked, &next, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "locked"));
	g_clear_error(&error);
	/* another area is free */
	next = locked;
	edit(&f, &next, "WRP1B=4-5");
	ck_assert(glint_option_bytes_check(&f.ctx, &locked, &next, &error));
}
END_TEST

/* Risks: TZEN and BOOT_LOCK are permanent, RDP 0 -> 1 with TrustZone
 * locks out, leaving level 1 or 0.5 erases */
START_TEST(test_risks)
{
	Fixture f;
	GlintOptionBytes tz, next;
	g_autoptr(GPtrArray) changes = NULL;
	GlintOptionChange *c;

	fixture(&f, _i ? U5_ID : L5_ID, 0);
	tz = f.ob;
	edit(&f, &tz, "TZEN=1");
	changes = glint_option_bytes_diff(&f.ctx, &f.ob, &tz);
	c = find_change(changes, "TZEN");
	ck_assert(c->risk & GLINT_OPTION_RISK_PERMANENT);
	ck_assert_ptr_nonnull(strstr(c->consequence, "SECWM1 pages 0-127"));
	g_clear_pointer(&changes, g_ptr_array_unref);
	next = tz;
	edit(&f, &next, "BOOT_LOCK=1");
	changes = glint_option_bytes_diff(&f.ctx, &tz, &next);
	ck_assert(find_change(changes, "BOOT_LOCK")->risk & GLINT_OPTION_RISK_PERMANENT);
	g_clear_pointer(&changes, g_ptr_array_unref);
	next = tz;
	edit(&f, &next, "RDP=1");
	changes = glint_option_bytes_diff(&f.ctx, &tz, &next);
	ck_assert(find_change(changes, "RDP")->risk & GLINT_OPTION_RISK_LOCKOUT);
	g_clear_pointer(&changes, g_ptr_array_unref);
	/* a watermark that grows takes pages from the debugger: confirmed;
	 * one that shrinks gives them back: no risk */
	{
		GlintOptionBytes small = tz, big = tz;
		edit(&f, &small, "SECWM1=0-7");
		edit(&f, &big, "SECWM1=0-15");
		changes = glint_option_bytes_diff(&f.ctx, &small, &big);
		ck_assert(find_change(changes, "SECWM1")->risk & GLINT_OPTION_RISK_LOCKOUT);
		g_clear_pointer(&changes, g_ptr_array_unref);
		changes = glint_option_bytes_diff(&f.ctx, &big, &small);
		ck_assert_uint_eq(find_change(changes, "SECWM1")->risk, GLINT_OPTION_RISK_NONE);
		ck_assert_ptr_nonnull(
		    strstr(find_change(changes, "SECWM1")->consequence, "leave the secure side"));
		g_clear_pointer(&changes, g_ptr_array_unref);
	}
	/* 1 -> 0.5: the non-secure pages are erased */
	{
		GlintOptionBytes half = tz;
		edit(&f, &half, "RDP=0.5");
		changes = glint_option_bytes_diff(&f.ctx, &next, &half);
		c = find_change(changes, "RDP");
		ck_assert(c->risk & GLINT_OPTION_RISK_MASS_ERASE);
		ck_assert_ptr_nonnull(strstr(c->consequence, "non-secure pages only"));
	}
}
END_TEST

/* TZEN off with a regression: the chip puts the secure option bytes back
 * as shipped, and the layout says so (chip_effects) */
START_TEST(test_tzen_off_resets_secure_options)
{
	Fixture f;
	GlintOptionBytes one, next;
	const GlintOptionLayout *layout;

	fixture(&f, _i ? U5_ID : L5_ID, 0);
	layout = f.chip->options;
	one = f.ob;
	edit(&f, &one, "TZEN=1");
	edit(&f, &one, "SECWM1=0-3");
	edit(&f, &one, "RDP=1");
	next = one;
	edit(&f, &next, "RDP=0");
	edit(&f, &next, "TZEN=0");
	ck_assert_ptr_nonnull(layout->chip_effects);
	layout->chip_effects(&f.ctx, &one, &next);
	for (guint r = 0; r < layout->n_regs; r++) {
		if (g_str_has_prefix(layout->regs[r].name, "FLASH_SECWM"))
			ck_assert_uint_eq(next.regs[r], layout->regs[r].factory);
	}
}
END_TEST

/* Banks and pages: the L5's DBANK (512 KB) and DB256K (256 KB), the U5's
 * 2 MB (always two banks) and 1 MB (DUALBANK) */
START_TEST(test_geometry)
{
	struct {
		guint16 id;
		guint32 kb;
		const char *edit;
		guint banks;
		guint32 page;
	} rows[] = {
	    {L5_ID, 512, NULL, 2, 2048},	  {L5_ID, 512, "DBANK=0", 1, 4096},
	    {L5_ID, 256, NULL, 2, 2048},	  {L5_ID, 256, "DB256K=0", 1, 4096},
	    {U5_ID, 2048, NULL, 2, 8192},	  {U5_ID, 1024, NULL, 2, 8192},
	    {U5_ID, 1024, "DUALBANK=0", 1, 8192},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		Fixture f;
		GlintFlashGeometry g;
		fixture(&f, rows[i].id, rows[i].kb);
		if (rows[i].edit != NULL)
			edit(&f, &f.ob, rows[i].edit);
		glint_chip_default_geometry(f.chip, rows[i].kb, &f.ob, &g);
		ck_assert_msg(g.n_banks == rows[i].banks, "row %u: %u banks", i, g.n_banks);
		ck_assert_uint_eq(g.largest_unit, rows[i].page);
		ck_assert_uint_eq(g.size, rows[i].kb * 1024);
		ck_assert_uint_eq(g.program_unit, rows[i].id == U5_ID ? 16 : 8);
		if (g.n_banks == 2)
			ck_assert_uint_eq(g.banks[1].base, 0x08000000u + g.size / 2);
	}
	/* DUALBANK does nothing on the 2 MB part: refused */
	{
		Fixture f;
		GlintOptionBytes next;
		g_autoptr(GError) error = NULL;
		fixture(&f, U5_ID, 2048);
		next = f.ob;
		edit(&f, &next, "DUALBANK=0");
		ck_assert(!glint_option_bytes_check(&f.ctx, &f.ob, &next, &error));
		ck_assert_ptr_nonnull(strstr(error->message, "always two banks"));
	}
}
END_TEST

/* RDP 0x55 is level 0.5 only with TZEN; without it, level 1 */
START_TEST(test_rdp_half_needs_tzen)
{
	Fixture f;
	GlintOptionBytes ob;
	fixture(&f, _i ? U5_ID : L5_ID, 0);
	ob = f.ob;
	ob.regs[0] = (ob.regs[0] & ~0xFFu) | 0x55u;
	ck_assert_int_eq(glint_option_bytes_rdp_rank(&ob), GLINT_RDP_LEVEL_1);
	edit(&f, &ob, "TZEN=1");
	ck_assert_int_eq(glint_option_bytes_rdp_rank(&ob), GLINT_RDP_LEVEL_0_5);
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l5-options");
	TCase *tc = tcase_create("layout");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_names_and_factory);
	tcase_add_loop_test(tc, test_wrp_one_page, 0, 2);
	tcase_add_loop_test(tc, test_secure_areas, 0, 2);
	tcase_add_loop_test(tc, test_rules, 0, 2);
	tcase_add_loop_test(tc, test_boot_lock_rules, 0, 2);
	tcase_add_test(tc, test_wrp_unlock);
	tcase_add_loop_test(tc, test_risks, 0, 2);
	tcase_add_loop_test(tc, test_tzen_off_resets_secure_options, 0, 2);
	tcase_add_test(tc, test_geometry);
	tcase_add_loop_test(tc, test_rdp_half_needs_tzen, 0, 2);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
