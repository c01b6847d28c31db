/* test-l5-jobs.c: every job on both STM32L5/U5 boards, against the
 * emulator: connect, program (loader and direct, whole units, the partial
 * last unit), verify, read, smart re-flash, erase by page/bank/mass, each
 * generic scenario with its diagnosis and fix, TrustZone (what Glint can
 * and cannot touch with TZEN = 1, and why), RDP level 0.5, BOOT_LOCK, the
 * U5's locked WRP area, the L5's single-bank mode, options by name, and
 * power cuts that a re-run repairs. Loop tests run each case on both
 * boards (_i = 0: NUCLEO-L552ZE-Q, 1: NUCLEO-U575ZI-Q). */
#include "l5-test.h"

START_TEST(test_connect)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	const GlintTargetInfo *info = board_info(b);

	ck_assert_str_eq(info->chip->name, lb->chip);
	ck_assert_str_eq(info->chip->core, "Cortex-M33");
	ck_assert_uint_eq(info->flash_kb, lb->flash_kb);
	ck_assert_uint_eq(info->geometry.n_banks, 2);
	ck_assert_uint_eq(info->geometry.program_unit, lb->unit);
	ck_assert_uint_eq(info->geometry.largest_unit, lb->page);
	ck_assert_str_eq(info->geometry.unit_name, "page");
	ck_assert_uint_eq(info->geometry.banks[1].base, bank2_base(lb));
	ck_assert_uint_eq(info->geometry.banks[1].physical, 1);
	ck_assert_uint_eq(info->rdp_level, 0);
	/* the debug set-up froze the watchdogs: DBGMCU_APB1FZR1 IWDG/WWDG */
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0xE0044008u) & 0x1800u, 0x1800u);
	ck_assert(log_contains(b, "Connected to"));
	board_free(b);
}
END_TEST

/* Loader and direct path, an image that crosses into bank 2 and ends
 * inside a programming unit (the rest of the unit stays erased) */
static void
program_verify_read(const L5Board *lb, gboolean no_loader)
{
	Board *b = board_new(lb, "fresh");
	guint32 address = bank2_base(lb) - lb->page / 2;
	g_autoptr(GBytes) data = random_bytes(lb->page + 5, 11 + no_loader);
	g_autoptr(GlintImage) image = image_at(address, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	GlintJobResult result = {0};

	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s %s", lb->name,
		      error ? error->message : "");
	ck_assert(result.loader_used == !no_loader);
	ck_assert(flash_equals(b, address, data));
	ck_assert(flash_erased(b, address + g_bytes_get_size(data), lb->unit - 5));
	back =
	    glint_job_read(b->session, address, g_bytes_get_size(data), NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	ck_assert(g_bytes_equal(back, data));
	ck_assert_msg(glint_job_verify(b->session, image, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	glint_job_result_clear(&result);
	board_free(b);
}

START_TEST(test_program_loader)
{
	program_verify_read(&l5_boards[_i], FALSE);
}
END_TEST

START_TEST(test_program_direct)
{
	program_verify_read(&l5_boards[_i], TRUE);
}
END_TEST

/* The loader's clock (l5-loader.S): MSI raised to 24 MHz while it
 * programs, three flash wait states set before the clock rises, both put
 * back at exit. Sampled at every probe command of the job. */
#define RCC_L5_CR 0x40021000u
#define RCC_U5_ICSCR1 0x46020C08u
#define FLASH_ACR FLASH_R
#define MSI_4MHZ 4000000u

typedef struct {
	guint32 max_hclk;
	guint32 latency_at_max; /* FLASH_ACR.LATENCY while HCLK was highest */
} ClockSeen;

static gboolean
clock_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	ClockSeen *seen = user_data;
	guint32 hclk = glint_sim_get_hclk_hz(sim);
	(void)cmd;
	if (hclk > seen->max_hclk) {
		seen->max_hclk = hclk;
		seen->latency_at_max = ahb_read(sim, FLASH_ACR) & 0xFu;
	}
	return TRUE;
}

START_TEST(test_loader_clock)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	guint32 range_reg = lb->is_u5 ? RCC_U5_ICSCR1 : RCC_L5_CR;
	guint32 range_before = ahb_read(b->sim, range_reg);
	guint32 acr_before = ahb_read(b->sim, FLASH_ACR);
	g_autoptr(GBytes) data = random_bytes(4 * lb->page, 21);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	ClockSeen seen = {0};

	ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), MSI_4MHZ);
	glint_sim_set_command_hook(b->sim, clock_hook, &seen);
	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s %s", lb->name,
		      error ? error->message : "");
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert(result.loader_used);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	/* raised while programming, with the wait states already set */
	ck_assert_uint_eq(seen.max_hclk, 24000000u);
	ck_assert_uint_ge(seen.latency_at_max, 2);
	/* and put back: the range in force, the wait states, HCLK */
	ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), MSI_4MHZ);
	ck_assert_uint_eq(ahb_read(b->sim, FLASH_ACR) & 0xFu, acr_before & 0xFu);
	if (lb->is_u5)
		ck_assert_uint_eq(ahb_read(b->sim, range_reg) >> 28, range_before >> 28);
	else
		ck_assert_uint_eq((ahb_read(b->sim, range_reg) >> 4) & 0xFu,
				  (range_before >> 4) & 0xFu);
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* A unit is written once per erase: programming over data without an
 * erase is refused before anything reaches the chip, on both paths */
START_TEST(test_no_second_write)
{
	const L5Board *lb = &l5_boards[_i / 2];
	gboolean no_loader = _i % 2;
	Board *b = board_new(lb, "fresh");
	g_autoptr(GBytes) first = random_bytes(256, 21);
	g_autoptr(GBytes) second = random_bytes(256, 22);
	g_autoptr(GlintImage) image1 = image_at(FLASH_BASE, first);
	g_autoptr(GlintImage) image2 = image_at(FLASH_BASE, second);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions plain = {.no_loader = no_loader};
	GlintProgramOptions again = {.no_erase = TRUE, .no_loader = no_loader};

	ck_assert(program_with(b, image1, &plain, NULL, &error));
	ck_assert(!program_with(b, image2, &again, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED), "%s: %s",
		      lb->name, error->message);
	ck_assert_ptr_nonnull(strstr(error->message, "0x08000000"));
	ck_assert_ptr_nonnull(strstr(error->message, "page 0"));
	ck_assert(flash_equals(b, FLASH_BASE, first));
	board_free(b);
}
END_TEST

/* Smart re-flash compares page CRCs on the target: one changed page is the
 * only one erased again */
START_TEST(test_smart_reflash)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	gsize len = 3 * lb->page;
	g_autoptr(GBytes) data = random_bytes(len, 31);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autofree guint8 *changed = g_memdup2(g_bytes_get_data(data, NULL), len);
	g_autoptr(GBytes) data2 = NULL;
	g_autoptr(GlintImage) image2 = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions smart = {.verify = TRUE, .smart = TRUE};
	GlintJobResult result = {0};

	ck_assert(program_with(b, image, &smart, NULL, &error));
	changed[lb->page + 100] ^= 0x5A;
	data2 = g_bytes_new(changed, len);
	image2 = image_at(FLASH_BASE, data2);
	ck_assert_msg(program_with(b, image2, &smart, &result, &error), "%s", error->message);
	ck_assert_uint_eq(result.pages_skipped, 2);
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(result.loader_used);
	ck_assert(flash_equals(b, FLASH_BASE, data2));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* Bank 2's erase must erase bank 2 and nothing of bank 1 (BKER for a page
 * of bank 2, MER2 for the bank): a driver that swaps them fails here */
START_TEST(test_erase_units_and_banks)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	g_autoptr(GError) error = NULL;
	guint last = g->n_units - 1;
	guint first2 = g->banks[0].n_units;
	guint32 last_addr;
	GlintFlashUnit unit;

	ck_assert(glint_geometry_get_unit(g, last, &unit));
	last_addr = unit.address;
	fill_flash(b, FLASH_BASE, 2 * lb->page, 0x11);
	fill_flash(b, bank2_base(lb), 2 * lb->page, 0x22);
	fill_flash(b, last_addr - lb->page, 2 * lb->page, 0x33);
	ck_assert_msg(glint_job_erase_units(b->session, &last, 1, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(flash_erased(b, last_addr, lb->page));
	ck_assert(!flash_erased(b, last_addr - lb->page, 1));
	/* the page of bank 1 with the same PNB */
	fill_flash(b, FLASH_BASE + lb->page * (last - first2), lb->page, 0x44);
	/* page 0 of bank 2: BKER, not page 0 of bank 1 */
	ck_assert(glint_job_erase_units(b->session, &first2, 1, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, bank2_base(lb), lb->page));
	ck_assert(!flash_erased(b, FLASH_BASE, 1));
	/* a range erase of page 1 */
	ck_assert(
	    glint_job_erase_range(b->session, FLASH_BASE + lb->page, 1, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, FLASH_BASE + lb->page, lb->page));
	ck_assert(!flash_erased(b, FLASH_BASE, 1));
	/* bank 2 (MER2) needs confirming and leaves bank 1 */
	ck_assert(
	    !glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_NONE, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(
	    glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, last_addr - lb->page, lb->page));
	ck_assert(!flash_erased(b, FLASH_BASE, 1));
	ck_assert(glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, FLASH_BASE, lb->flash_kb * 1024));
	board_free(b);
}
END_TEST

/* wrp: WRP1A over page 0, a one-page area, is active; the job refuses
 * naming the area and the page, mass erase is refused, the page after it
 * is free, the fix removes it */
START_TEST(test_wrp)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "wrp");
	g_autoptr(GBytes) data = random_bytes(1024, 41);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	const GlintProtectionArea *area =
	    glint_option_layout_find_area(board_info(b)->chip->options, "WRP1A");
	GlintFinding *f;
	guint page1 = 1;

	ck_assert(glint_option_bytes_area_active(&board_info(b)->options, area));
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP1A"));
	ck_assert_ptr_nonnull(strstr(error->message, "page 0"));
	g_clear_error(&error);
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	g_clear_error(&error);
	ck_assert(glint_job_erase_units(b->session, &page1, 1, NULL, NULL, NULL, &error));
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "wrp-active");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "WRP1A"));
	ck_assert_msg(glint_job_apply_fix(b->session, f->fix_kind, GLINT_CONFIRM_NONE, NULL, NULL,
					  NULL, &error),
		      "%s", error ? error->message : "");
	/* start above end again in the register the chip loaded */
	ck_assert_uint_gt(glint_sim_peek32(b->sim, FLASH_WRP1AR) & 0x7Fu,
			  (glint_sim_peek32(b->sim, FLASH_WRP1AR) >> 16) & 0x7Fu);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

START_TEST(test_rdp1_regress)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "rdp1");
	g_autoptr(GBytes) data = random_bytes(512, 51);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {0};

	ck_assert_uint_eq(board_info(b)->rdp_level, 1);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);
	ck_assert(!write_edit(b, "RDP=0", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "RDP=0", GLINT_CONFIRM_RISKY, &error), "%s", error->message);
	ck_assert_uint_eq(board_info(b)->rdp_level, 0);
	/* the regression erased the firmware */
	ck_assert(flash_erased(b, FLASH_BASE, 24 * 1024));
	ck_assert(program_with(b, image, &options, NULL, &error));
	board_free(b);
}
END_TEST

START_TEST(test_stale_errors)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "stale-errors");
	g_autoptr(GBytes) data = random_bytes(512, 61);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_preserve = TRUE};
	GlintJobResult result = {0};

	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "stale-flags"));
	ck_assert(program_with(b, image, &options, &result, &error));
	ck_assert(result.stale_flags != 0);
	ck_assert(log_contains(b, "PROGERR"));
	ck_assert(log_contains(b, "PGSERR"));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_NSSR) & (SR_PGSERR | SR_PROGERR), 0);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* TrustZone on: the secure firmware's pages (SECWM1 0-15) are refused for
 * program, erase and read, naming the area and why; the non-secure pages
 * are programmed through FLASH_NSCR without the loader; the secure
 * firmware is left as it was. A level-0 debugger reads it at 0x0C000000. */
START_TEST(test_trustzone)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "trustzone");
	guint32 ns_addr = FLASH_BASE + 16 * lb->page;
	g_autoptr(GBytes) firmware = NULL;
	g_autoptr(GBytes) data = random_bytes(2 * lb->page, 71);
	g_autoptr(GlintImage) secure = image_at(FLASH_BASE, data);
	g_autoptr(GlintImage) image = image_at(ns_addr, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GBytes) back = NULL;
	g_autofree guint8 *raw = g_malloc(4096);
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	GlintFinding *f;
	guint unit0 = 0;
	GArray *blank;

	ck_assert(glint_sim_peek(b->sim, FLASH_BASE, raw, 4096));
	firmware = g_bytes_new(raw, 4096);
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "trustzone");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "TZEN = 1"));
	ck_assert_ptr_nonnull(strstr(f->title, "SECWM1 pages 0-15 of bank 1"));
	ck_assert_ptr_nonnull(strstr(f->impact, "without its on-target loader"));

	/* the secure pages: refused before anything reaches the chip */
	ck_assert(!program_with(b, secure, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "SECWM1"));
	ck_assert_ptr_nonnull(strstr(error->message, "non-secure side"));
	g_clear_error(&error);
	ck_assert(!glint_job_erase_units(b->session, &unit0, 1, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	g_clear_error(&error);
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	g_clear_error(&error);
	/* a read would give zeros: refused, naming the area */
	back = glint_job_read(b->session, FLASH_BASE, 256, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "SECWM1"));
	ck_assert_ptr_nonnull(strstr(error->message, "zeros"));
	g_clear_error(&error);
	/* ... and the blank check does not call those pages empty */
	blank = glint_job_blank_check(b->session, NULL, NULL, &error);
	ck_assert_ptr_nonnull(blank);
	ck_assert_int_eq(g_array_index(blank, gint8, 0), -1);
	ck_assert_int_eq(g_array_index(blank, gint8, 16), 1);
	g_array_unref(blank);
	/* the secure alias answers a level-0 (secure) debugger */
	back = glint_job_read(b->session, FLASH_S_BASE, 4096, NULL, NULL, NULL, &error);
	ck_assert_msg(back != NULL, "%s", error ? error->message : "");
	ck_assert(g_bytes_equal(back, firmware));
	g_clear_pointer(&back, g_bytes_unref);

	/* the non-secure pages, directly */
	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s", error->message);
	ck_assert(!result.loader_used);
	ck_assert(flash_equals(b, ns_addr, data));
	ck_assert(flash_equals(b, FLASH_BASE, firmware));
	/* bank 2 is all non-secure */
	ck_assert(
	    glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(flash_equals(b, FLASH_BASE, firmware));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* TZEN set alone: every page secure; diagnosis says so and how to give
 * the non-secure side its pages; moving the watermark does */
START_TEST(test_all_secure)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "all-secure");
	g_autoptr(GBytes) data = random_bytes(1024, 72);
	g_autoptr(GlintImage) image = image_at(bank2_base(lb), data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintFinding *f;

	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "all-secure");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->fix, "SECWM"));
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "SECWM2"));
	g_clear_error(&error);
	/* give bank 2 to the non-secure side: no risk in taking pages from
	 * the secure side, so no confirmation */
	ck_assert_msg(write_edit(b, "SECWM2=off", GLINT_CONFIRM_NONE, &error), "%s",
		      error->message);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_equals(b, bank2_base(lb), data));
	board_free(b);
}
END_TEST

/* RDP 0.5: the debugger reaches the non-secure side only; it programs the
 * non-secure pages. Back to 0: the L5 erases everything; the U5 has no
 * such regression and Glint says the way (1, then 0 with TZEN = 0). */
START_TEST(test_rdp_half)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "rdp0.5");
	g_autoptr(GBytes) data = random_bytes(1024, 73);
	g_autoptr(GlintImage) image = image_at(bank2_base(lb), data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintFinding *f;
	guint32 v = 0;

	ck_assert_int_eq(glint_option_bytes_rdp_rank(&board_info(b)->options), GLINT_RDP_LEVEL_0_5);
	ck_assert_uint_eq(board_info(b)->rdp_level, 0);
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "rdp-level0.5");
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	/* the secure alias is closed at this level: it reads as zeros */
	back = glint_job_read(b->session, FLASH_S_BASE, 16, NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(((const guint8 *)g_bytes_get_data(back, NULL))[0], 0);
	ck_assert(!flash_erased(b, FLASH_BASE, 16));

	if (!lb->is_u5) {
		ck_assert_int_eq(f->fix_kind, GLINT_FIX_REGRESS_RDP);
		ck_assert(!write_edit(b, "RDP=0", GLINT_CONFIRM_NONE, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
		g_clear_error(&error);
		/* the finding's one-click fix does it */
		ck_assert_msg(glint_job_apply_fix(b->session, f->fix_kind, GLINT_CONFIRM_RISKY,
						  NULL, NULL, NULL, &error),
			      "%s", error ? error->message : "");
		/* the secure firmware went with it */
		ck_assert(flash_erased(b, FLASH_BASE, lb->flash_kb * 1024));
		ck_assert_int_eq(glint_option_bytes_rdp_rank(&board_info(b)->options),
				 GLINT_RDP_LEVEL_0);
	} else {
		ck_assert_int_eq(f->fix_kind, GLINT_FIX_NONE);
		ck_assert(!write_edit(b, "RDP=0", GLINT_CONFIRM_RISKY, &error));
		ck_assert_ptr_nonnull(strstr(error->message, "no regression from RDP level 0.5"));
		g_clear_error(&error);
		ck_assert_msg(write_edit(b, "RDP=1", GLINT_CONFIRM_RISKY, &error), "%s",
			      error->message);
		ck_assert_uint_eq(board_info(b)->rdp_level, 1);
		ck_assert_msg(write_edit(b, "RDP=0 TZEN=0", GLINT_CONFIRM_RISKY, &error), "%s",
			      error->message);
		ck_assert(flash_erased(b, FLASH_BASE, lb->flash_kb * 1024));
	}
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(glint_option_bytes_get_named(&board_info(b)->options, "TZEN", &v));
	ck_assert_uint_eq(v, lb->is_u5 ? 0 : 1);
	board_free(b);
}
END_TEST

/* TZEN = 1 needs the permanent-lock confirmation and makes every page
 * secure; TZEN = 0 is refused alone and goes with a regression, which
 * erases the flash */
START_TEST(test_tzen_on_and_off)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	g_autoptr(GBytes) data = random_bytes(1024, 74);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 8 * lb->page, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintProgramOptions options = {.verify = TRUE};

	ck_assert(!write_edit(b, "TZEN=1", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(glint_sim_peek32(b->sim, FLASH_OPTR) & OPTR_TZEN ? FALSE : TRUE);
	ck_assert_msg(
	    write_edit(b, "TZEN=1", GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK, &error),
	    "%s", error->message);
	ck_assert(glint_sim_peek32(b->sim, FLASH_OPTR) & OPTR_TZEN);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "all-secure"));
	ck_assert(!program_with(b, image, &options, NULL, &error));
	g_clear_error(&error);
	/* the first 8 pages stay secure, the rest of bank 1 and bank 2 go to
	 * the non-secure side */
	ck_assert_msg(write_edit(b, "SECWM1=0-7 SECWM2=off", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	/* TZEN=0 alone: refused with the way out */
	ck_assert(
	    !write_edit(b, "TZEN=0", GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "RDP regression"));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "RDP=1", GLINT_CONFIRM_RISKY, &error), "%s", error->message);
	ck_assert_msg(write_edit(b, "RDP=0 TZEN=0", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	ck_assert(!(glint_sim_peek32(b->sim, FLASH_OPTR) & OPTR_TZEN));
	ck_assert(flash_erased(b, FLASH_BASE, lb->flash_kb * 1024));
	/* the watermarks are back as shipped */
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_SECWM1R1), 0xFFFFFF80u);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	board_free(b);
}
END_TEST

/* BOOT_LOCK: diagnosed; on the L5 it never goes, on the U5 it goes at
 * level 0 */
START_TEST(test_boot_lock)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "boot-lock");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintFinding *f;

	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "boot-lock");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "0x0C000000"));
	ck_assert(!write_edit(b, "SECBOOTADD0=0x0C002000",
			      GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "BOOT_LOCK"));
	g_clear_error(&error);
	if (!lb->is_u5) {
		ck_assert_ptr_nonnull(strstr(f->fix, "never"));
		ck_assert(!write_edit(b, "BOOT_LOCK=0",
				      GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK, &error));
		ck_assert_ptr_nonnull(strstr(error->message, "never"));
	} else {
		ck_assert_msg(write_edit(b, "BOOT_LOCK=0", GLINT_CONFIRM_RISKY, &error), "%s",
			      error->message);
		ck_assert(!(glint_sim_peek32(b->sim, FLASH_SECBOOTADD0R) & 1u));
	}
	board_free(b);
}
END_TEST

/* Setting BOOT_LOCK is permanent on the L5: the permanent-lock
 * confirmation, not the risky one */
START_TEST(test_boot_lock_needs_permanent_confirmation)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "trustzone");
	g_autoptr(GError) error = NULL;

	ck_assert(!write_edit(b, "BOOT_LOCK=1", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "BOOT_LOCK=1",
				 GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK, &error),
		      "%s", error->message);
	ck_assert(glint_sim_peek32(b->sim, FLASH_SECBOOTADD0R) & 1u);
	board_free(b);
}
END_TEST

/* U5: a WRP area with UNLOCK = 0 (what OpenOCD 0.12's flash protect
 * writes) is diagnosed as permanent, cannot be removed, and protects */
START_TEST(test_wrp_locked)
{
	Board *b = board_new(&l5_boards[1], "wrp-locked");
	g_autoptr(GBytes) data = random_bytes(1024, 75);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintProgramOptions options = {0};
	GlintFinding *f;

	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "wrp-locked");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, GLINT_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(strstr(f->title, "WRP1A"));
	ck_assert_ptr_nonnull(strstr(f->title, "pages 0-1"));
	ck_assert(!write_edit(b, "WRP1A=off", GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK,
			      &error));
	ck_assert_ptr_nonnull(strstr(error->message, "locked"));
	g_clear_error(&error);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	board_free(b);
}
END_TEST

/* U5: writing a WRP area with its UNLOCK bit clear is permanent and needs
 * the permanent-lock confirmation */
START_TEST(test_wrp_unlock_permanent)
{
	Board *b = board_new(&l5_boards[1], "fresh");
	g_autoptr(GError) error = NULL;

	ck_assert_msg(write_edit(b, "WRP1B=2-3", GLINT_CONFIRM_NONE, &error), "%s", error->message);
	ck_assert(glint_sim_peek32(b->sim, FLASH_WRP1AR + 4) & WRPR_UNLOCK);
	ck_assert(!write_edit(b, "WRP1B_UNLOCK=0", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	board_free(b);
}
END_TEST

/* L5 single-bank mode: one bank of 4 KB pages; DBANK = 1 gives two banks
 * of 2 KB pages again, Glint mass-erasing first */
START_TEST(test_single_bank)
{
	const L5Board *lb = &l5_boards[0];
	Board *b = board_new(lb, "single-bank");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	g_autoptr(GBytes) data = random_bytes(6000, 76);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x3F000, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	guint unit64 = 64;

	ck_assert_uint_eq(g->n_banks, 1);
	ck_assert_uint_eq(g->largest_unit, 4096);
	ck_assert_uint_eq(g->n_units, 128);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	/* page 64 is 0x08040000 here: the same PNB as page 0 of bank 2 in
	 * dual-bank mode, but no BKER */
	fill_flash(b, FLASH_BASE + 0x40000 + 0x2000, 16, 0x44);
	ck_assert(glint_job_erase_units(b->session, &unit64, 1, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, FLASH_BASE + 0x40000, 4096));
	ck_assert(!flash_erased(b, FLASH_BASE + 0x42000, 1));
	ck_assert(!write_edit(b, "DBANK=1", GLINT_CONFIRM_NONE, &error));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "DBANK=1", GLINT_CONFIRM_RISKY, &error), "%s", error->message);
	ck_assert(log_contains(b, "mass-erasing"));
	g = &board_info(b)->geometry;
	ck_assert_uint_eq(g->n_banks, 2);
	ck_assert_uint_eq(g->largest_unit, 2048);
	ck_assert(flash_erased(b, FLASH_BASE, 512 * 1024));
	board_free(b);
}
END_TEST

/* SWAP_BANK: bank 2 at 0x08000000; erasing the page there erases physical
 * bank 2's page 0 (BKER), and WRP2A protects it */
START_TEST(test_swap_bank)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	const GlintFlashGeometry *g;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(1024, 77);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE};
	guint unit0 = 0;

	ck_assert_msg(write_edit(b, "SWAP_BANK=1", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	g = &board_info(b)->geometry;
	ck_assert(g->banks_swapped);
	ck_assert_uint_eq(g->banks[0].physical, 1);
	ck_assert(glint_sim_peek32(b->sim, FLASH_OPTR) & OPTR_SWAP_BANK);
	fill_flash(b, bank2_base(lb), lb->page, 0x55); /* physical bank 1 now */
	fill_flash(b, FLASH_BASE, lb->page, 0x66);     /* physical bank 2 */
	ck_assert(glint_job_erase_units(b->session, &unit0, 1, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, FLASH_BASE, lb->page));
	ck_assert(!flash_erased(b, bank2_base(lb), 1));
	ck_assert_msg(write_edit(b, "WRP2A=0-0", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP2A"));
	board_free(b);
}
END_TEST

/* Options by name, reloaded with OBL_LAUNCH; a boot change needs
 * confirming */
START_TEST(test_options)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	g_autoptr(GError) error = NULL;
	guint32 v = 0;

	ck_assert_msg(write_edit(b, "BOR_LEV=2 nRST_STOP=0", GLINT_CONFIRM_NONE, &error), "%s",
		      error->message);
	ck_assert(glint_option_bytes_get_named(&board_info(b)->options, "BOR_LEV", &v));
	ck_assert_uint_eq(v, 2);
	ck_assert_uint_eq((glint_sim_peek32(b->sim, FLASH_OPTR) >> 8) & 7u, 2);
	ck_assert_uint_eq((glint_sim_peek32(b->sim, FLASH_OPTR) >> 12) & 1u, 0);
	ck_assert(!write_edit(b, "nSWBOOT0=0", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "NSBOOTADD0=0x08010000", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_R + 0x44u) & 0xFFFFFF80u, 0x08010000u);
	/* secure option bytes mean something only with TrustZone on */
	ck_assert(!write_edit(b, "SECBOOTADD0=0x0C004000", GLINT_CONFIRM_RISKY, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "TZEN"));
	board_free(b);
}
END_TEST

/* Power fails mid-program (both paths): the unit in flight is damaged,
 * and a re-run repairs it */
START_TEST(test_power_cut_program)
{
	const L5Board *lb = &l5_boards[_i / 2];
	gboolean no_loader = _i % 2;
	Board *b = board_new(lb, "fresh");
	g_autoptr(GBytes) data = random_bytes(2048, 91);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	guint32 cut = 0;

	glint_sim_set_power_fail_after_double_words(b->sim, 10);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert_msg(glint_sim_get_power_cut_address(b->sim, &cut), "no cut: %s", error->message);
	ck_assert_uint_eq(cut, FLASH_BASE + 10 * lb->unit);
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	board_reconnect(b);
	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	g_clear_error(&error);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "re-run: %s", error->message);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

/* A page erase started by other code, cut: the page is half erased; the
 * program job erases it again */
START_TEST(test_power_cut_erase)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	g_autoptr(GBytes) data = random_bytes(1024, 92);
	guint32 addr = FLASH_BASE + 3 * lb->page;
	g_autoptr(GlintImage) image = image_at(addr, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_preserve = TRUE};

	fill_flash(b, addr, lb->page, 0x33);
	ahb_write(b->sim, FLASH_NSKEYR, KEY1);
	ahb_write(b->sim, FLASH_NSKEYR, KEY2);
	ahb_write(b->sim, FLASH_NSCR, CR_PER | (3u << CR_PNB_SHIFT));
	ahb_write(b->sim, FLASH_NSCR, CR_PER | (3u << CR_PNB_SHIFT) | CR_STRT);
	ck_assert_int_eq(glint_sim_power_fail(b->sim), GLINT_SIM_CUT_ERASE);
	ck_assert(!flash_erased(b, addr, lb->page));
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	board_reconnect(b);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "re-run: %s", error->message);
	ck_assert(flash_equals(b, addr, data));
	board_free(b);
}
END_TEST

/* An option write cut short: the pair of FLASH_OPTR disagrees; the L5
 * loads RDP level 1 with OPTVERR (the U5 has no such flag), and Glint's
 * diagnosis and a regression bring it back */
START_TEST(test_power_cut_options)
{
	const L5Board *lb = &l5_boards[_i];
	Board *b = board_new(lb, "fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;

	ahb_write(b->sim, FLASH_NSKEYR, KEY1);
	ahb_write(b->sim, FLASH_NSKEYR, KEY2);
	ahb_write(b->sim, FLASH_OPTKEYR, OPTKEY1);
	ahb_write(b->sim, FLASH_OPTKEYR, OPTKEY2);
	ahb_write(b->sim, FLASH_NSCR, CR_OPTSTRT);
	ck_assert_int_eq(glint_sim_power_fail(b->sim), GLINT_SIM_CUT_OPTIONS);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	board_reconnect(b);
	ck_assert_uint_eq(board_info(b)->rdp_level, 1);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_OPTR) & 0xFFu, 0xFF);
	if (!lb->is_u5)
		ck_assert(glint_sim_peek32(b->sim, FLASH_NSSR) & SR_OPTVERR);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(findings);
	if (!lb->is_u5) {
		/* the L5 says why: OPTVERR, safe defaults */
		GlintFinding *f = find_finding(findings, "optverr");
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(f->severity, GLINT_SEVERITY_ERROR);
		ck_assert_int_eq(f->fix_kind, GLINT_FIX_RESTORE_OPTIONS);
	}
	ck_assert_msg(write_edit(b, "RDP=0", GLINT_CONFIRM_RISKY, &error), "%s", error->message);
	ck_assert_uint_eq(board_info(b)->rdp_level, 0);
	ck_assert(!(glint_sim_peek32(b->sim, FLASH_NSSR) & SR_OPTVERR));
	board_free(b);
}
END_TEST

static Suite *
l5_suite(void)
{
	Suite *s = suite_create("l5-jobs");
	struct {
		const char *name;
		const TTest *test;
		gint n;
	} cases[] = {
	    {"connect", test_connect, 2},
	    {"program-loader", test_program_loader, 2},
	    {"program-direct", test_program_direct, 2},
	    {"loader-clock", test_loader_clock, 2},
	    {"no-second-write", test_no_second_write, 4},
	    {"smart-reflash", test_smart_reflash, 2},
	    {"erase", test_erase_units_and_banks, 2},
	    {"wrp", test_wrp, 2},
	    {"rdp1", test_rdp1_regress, 2},
	    {"stale-errors", test_stale_errors, 2},
	    {"trustzone", test_trustzone, 2},
	    {"all-secure", test_all_secure, 2},
	    {"rdp0.5", test_rdp_half, 2},
	    {"tzen-on-off", test_tzen_on_and_off, 2},
	    {"boot-lock", test_boot_lock, 2},
	    {"boot-lock-confirm", test_boot_lock_needs_permanent_confirmation, 1},
	    {"wrp-locked", test_wrp_locked, 1},
	    {"wrp-unlock", test_wrp_unlock_permanent, 1},
	    {"single-bank", test_single_bank, 1},
	    {"swap-bank", test_swap_bank, 2},
	    {"options", test_options, 2},
	    {"power-cut-program", test_power_cut_program, 4},
	    {"power-cut-erase", test_power_cut_erase, 2},
	    {"power-cut-options", test_power_cut_options, 2},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 60);
		tcase_add_loop_test(tc, cases[i].test, 0, cases[i].n);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(l5_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
