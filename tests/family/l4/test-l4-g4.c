/* The STM32G4's differences from the L4 (RM0440), in the emulator and in
 * Glint: DBANK changes the page size and moves bank 2 to 0x08040000; in
 * single-bank mode a mass erase needs MER1 and MER2 and a fast-programming
 * row is 64 double words; BOOT_LOCK forces the boot from flash; DBANK can
 * change only with PCROP off; NRST_MODE = GPIO and BOOT_LOCK are risky and
 * need a confirmation; a one-page WRP area is seen as active. */
#include "l4-board.h"
#include "sim-test.h"

#define SYSCFG_MEMRMP 0x40010000u
#define FLASH_SEC1R (FLASH_R + 0x70u)
#define OPTR_DBANK (1u << 22)
#define OPTR_BFB2 (1u << 20)

/* RM0440 3.3.6: "When DBANK = 0, if only the MER1 or the MER2 bit is set,
 * PGSERR is set and no erase operation is performed" */
START_TEST(test_single_bank_mass_erase_needs_both)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g474re:g474-single-bank");
	guint32 fw = glint_sim_peek32(sim, FLASH_BASE);
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_MER1);
	bus_w32(sim, FLASH_CR, CR_MER1 | CR_STRT);
	ck_assert_uint_eq(flash_wait(sim) & SR_ALL_ERRORS, SR_PGSERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), fw);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	bus_w32(sim, FLASH_CR, CR_MER1 | CR_MER2);
	bus_w32(sim, FLASH_CR, CR_MER1 | CR_MER2 | CR_STRT);
	ck_assert_uint_eq(flash_wait(sim) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
}
END_TEST

/* Dual-bank mode: 2 KB pages, bank 2 (BKER) at 0x08040000 */
START_TEST(test_dbank_pages_and_bank2)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g474re");
	guint8 zero[8] = {0};
	ck_assert(glint_sim_poke(sim, 0x08040800u, zero, 8));
	ck_assert(glint_sim_poke(sim, 0x08040000u, zero, 8));
	flash_unlock(sim);
	/* page 1 of bank 2: 0x08040800-0x08040FFF only */
	bus_w32(sim, FLASH_CR, CR_PER | CR_PNB(1) | CR_BKER);
	bus_w32(sim, FLASH_CR, CR_PER | CR_PNB(1) | CR_BKER | CR_STRT);
	ck_assert_uint_eq(flash_wait(sim) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08040800u), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08040000u), 0);
}
END_TEST

/* Single-bank mode: one page is 4 KB */
START_TEST(test_single_bank_4k_pages)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g474re:g474-single-bank");
	guint8 zero[8] = {0};
	ck_assert(glint_sim_poke(sim, 0x08001800u, zero, 8));
	ck_assert(glint_sim_poke(sim, 0x08002000u, zero, 8));
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PER | CR_PNB(1));
	bus_w32(sim, FLASH_CR, CR_PER | CR_PNB(1) | CR_STRT);
	ck_assert_uint_eq(flash_wait(sim) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08001800u), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08002000u), 0);
}
END_TEST

/* BOOT_LOCK: the BFB2 boot through the bootloader no longer happens */
START_TEST(test_boot_lock_forces_flash_boot)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g474re:bfb2-bank2");
	guint32 v = 0;
	glint_sim_advance_time(sim, 100000);
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP) & (1u << 8), 1u << 8);
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_SEC1R, bus_r32(sim, FLASH_SEC1R) | (1u << 16));
	bus_w32(sim, FLASH_CR, CR_OPTSTRT);
	ck_assert_uint_eq(flash_wait(sim) & SR_ALL_ERRORS, 0);
	(void)glint_sim_bus_write(sim, FLASH_CR, 4, CR_OBL_LAUNCH);
	ck_assert(glint_sim_bus_read(sim, FLASH_CR, 4, &v));
	glint_sim_advance_time(sim, 100000);
	/* no bootloader ran: main flash at 0, no swap */
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP), 0);
	ck_assert(bus_r32(sim, FLASH_OPTR) & OPTR_BFB2);
}
END_TEST

/* Glint: the geometry follows DBANK, and bank 2's pages are named by
 * physical bank at 0x08040000 */
START_TEST(test_glint_geometry)
{
	Board *b = board_new("nucleo-g474re");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	GlintFlashUnit unit;
	ck_assert_uint_eq(g->n_banks, 2);
	ck_assert_uint_eq(g->banks[1].base, 0x08040000u);
	ck_assert(glint_geometry_unit_at(g, 0x08040800u, &unit));
	ck_assert_uint_eq(unit.physical, 1);
	ck_assert_uint_eq(unit.number, 1);
	board_free(b);
	b = board_new("nucleo-g474re:g474-single-bank");
	g = &board_info(b)->geometry;
	ck_assert_uint_eq(g->n_banks, 1);
	ck_assert_uint_eq(g->banks[0].runs[0].size, 4096);
	board_free(b);
}
END_TEST

/* DBANK changes the page size: Glint erases first and reconnects on the
 * new geometry; a program then lands as written */
START_TEST(test_glint_dbank_switch)
{
	Board *b = board_new("nucleo-g474re");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(10000, 31);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	ck_assert(!board_write_options(b, "DBANK=0", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(board_write_options(b, "DBANK=0", GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(board_info(b)->geometry.n_banks, 1);
	ck_assert_uint_eq(board_info(b)->geometry.banks[0].runs[0].size, 4096);
	ck_assert_msg(board_program(b, image, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
	board_free(b);
}
END_TEST

/* RM0440 3.4.1: DBANK can be written only when PCROP is disabled */
START_TEST(test_glint_dbank_refused_with_pcrop)
{
	Board *b = board_new("nucleo-g474re");
	g_autoptr(GError) error = NULL;
	ck_assert_msg(
	    board_write_options(b, "PCROP1=0x08000800-0x08000FFF", GLINT_CONFIRM_RISKY, &error),
	    "%s", error ? error->message : "");
	ck_assert(!board_write_options(b, "DBANK=0", GLINT_CONFIRM_RISKY, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "PCROP1"));
	board_free(b);
}
END_TEST

/* NRST_MODE = GPIO and BOOT_LOCK lock people out: a confirmation */
START_TEST(test_glint_lockout_options_confirmed)
{
	Board *b = board_new("nucleo-g431rb");
	g_autoptr(GError) error = NULL;
	ck_assert(!board_write_options(b, "NRST_MODE=2", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(!board_write_options(b, "BOOT_LOCK=1", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	/* the reset pin back as it was is no risk */
	ck_assert_msg(board_write_options(b, "NRST_MODE=3", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	board_free(b);
}
END_TEST

/* A WRP area of one page is active and refuses that page */
START_TEST(test_one_page_wrp_area)
{
	Board *b = board_new("nucleo-g431rb");
	const GlintOptionLayout *layout = board_info(b)->chip->options;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(64, 32);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 5 * 2048, data);
	ck_assert_msg(board_write_options(b, "WRP1A=5-5", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_option_bytes_area_active(&board_info(b)->options,
						 glint_option_layout_find_area(layout, "WRP1A")));
	ck_assert(!board_program(b, image, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	board_free(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l4-g4");
	TCase *tc = tcase_create("g4");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_single_bank_mass_erase_needs_both);
	tcase_add_test(tc, test_dbank_pages_and_bank2);
	tcase_add_test(tc, test_single_bank_4k_pages);
	tcase_add_test(tc, test_boot_lock_forces_flash_boot);
	tcase_add_test(tc, test_glint_geometry);
	tcase_add_test(tc, test_glint_dbank_switch);
	tcase_add_test(tc, test_glint_dbank_refused_with_pcrop);
	tcase_add_test(tc, test_glint_lockout_options_confirmed);
	tcase_add_test(tc, test_one_page_wrp_area);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
