/* test-h7-sim.c: the emulated STM32H7 flash controller on its own (RM0433
 * chapter 4): every error flag raised by the misuse that raises it, the
 * write buffer and force write, ECC after a second write, erase timing per
 * the datasheet, keys, option changes the chip refuses, SWAP_BANK mapping
 * and register sets, option bytes kept with complements, state files. */
#include "h7-test.h"

#include <glib/gstdio.h>

#define KEYR1 (FLASH_R + 0x04u)
#define KEYR2 (FLASH_R + 0x104u)
#define OPTKEYR (FLASH_R + 0x08u)
#define CR2 (FLASH_R + 0x10Cu)
#define OPTSR_PRG (FLASH_R + 0x20u)
#define OPTCCR (FLASH_R + 0x24u)
#define PRAR_PRG1 (FLASH_R + 0x2Cu)
#define PRAR_CUR1 (FLASH_R + 0x28u)
#define CR_PG (1u << 1)
#define CR_SER (1u << 2)
#define SR_BUSY 0x5u
#define SR_WRPERR (1u << 17)
#define OPTSR_OPTCHANGEERR (1u << 30)
#define OPTSR_SECURITY (1u << 21)

static GlintSim *
sim_new(const char *spec)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new(spec, &error);
	ck_assert_msg(sim != NULL, "%s", error ? error->message : "");
	return sim;
}

static guint32
r32(GlintSim *sim, guint32 addr)
{
	guint32 v = 0;
	ck_assert(glint_sim_bus_read(sim, addr, 4, &v));
	return v;
}

static void
w32(GlintSim *sim, guint32 addr, guint32 v)
{
	ck_assert_msg(glint_sim_bus_write(sim, addr, 4, v), "bus error writing 0x%08x", addr);
}

static void
unlock(GlintSim *sim, guint32 keyr)
{
	w32(sim, keyr, 0x45670123u);
	w32(sim, keyr, 0xCDEF89ABu);
}

/* H743: 32-byte words, START bit 7 */
static void
write_word(GlintSim *sim, guint32 addr, guint32 seed, guint n_words32)
{
	for (guint i = 0; i < n_words32; i++)
		w32(sim, addr + 4 * i, seed + i);
}

static void
wait_idle(GlintSim *sim, guint32 sr)
{
	for (guint i = 0; i < 100 && (r32(sim, sr) & SR_BUSY); i++)
		glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(r32(sim, sr) & SR_BUSY, 0);
}

START_TEST(test_write_without_pg)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	unlock(sim, KEYR1);
	w32(sim, FLASH_BASE, 0x12345678u);
	/* RM0433 4.3.9: PGSERR, nothing written */
	ck_assert(r32(sim, FLASH_SR1) & SR_PGSERR);
	ck_assert_uint_eq(r32(sim, FLASH_BASE), 0xFFFFFFFFu);
	/* FLASH_CCR1 clears it */
	w32(sim, FLASH_CCR1, SR_PGSERR);
	ck_assert_uint_eq(r32(sim, FLASH_SR1) & SR_PGSERR, 0);
}
END_TEST

START_TEST(test_word_buffer_and_force_write)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	unlock(sim, KEYR1);
	w32(sim, FLASH_CR1, CR_PG);
	/* 7 of 8 words: still in the buffer (WBNE), not in the array */
	write_word(sim, FLASH_BASE, 0x100, 7);
	ck_assert(r32(sim, FLASH_SR1) & (1u << 1));
	ck_assert_uint_eq(r32(sim, FLASH_BASE), 0xFFFFFFFFu);
	/* the eighth completes the word */
	w32(sim, FLASH_BASE + 28, 0x107);
	wait_idle(sim, FLASH_SR1);
	ck_assert_uint_eq(r32(sim, FLASH_BASE), 0x100);
	ck_assert_uint_eq(r32(sim, FLASH_BASE + 28), 0x107);
	/* FW: two words of the next flash word, the rest programmed as ones */
	write_word(sim, FLASH_BASE + 32, 0x200, 2);
	w32(sim, FLASH_CR1, CR_PG | (1u << 6));
	wait_idle(sim, FLASH_SR1);
	ck_assert_uint_eq(r32(sim, FLASH_BASE + 36), 0x201);
	ck_assert_uint_eq(r32(sim, FLASH_BASE + 40), 0xFFFFFFFFu);
	ck_assert_uint_eq(r32(sim, FLASH_SR1) & 0x1FFF0000u, 0);
}
END_TEST

START_TEST(test_incerr_and_strberr)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	unlock(sim, KEYR1);
	w32(sim, FLASH_CR1, CR_PG);
	/* a byte of the buffer written twice */
	w32(sim, FLASH_BASE, 1);
	w32(sim, FLASH_BASE, 2);
	ck_assert(r32(sim, FLASH_SR1) & SR_STRBERR);
	/* another word begun while this one is incomplete */
	w32(sim, FLASH_BASE + 0x40, 3);
	ck_assert(r32(sim, FLASH_SR1) & SR_INCERR);
	ck_assert_uint_eq(r32(sim, FLASH_BASE), 0xFFFFFFFFu);
	/* an erase started with a word pending: PGSERR, nothing erased */
	w32(sim, FLASH_CCR1, 0x1FFF0000u);
	w32(sim, FLASH_CR1, CR_SER | (1u << 7));
	ck_assert(r32(sim, FLASH_SR1) & SR_PGSERR);
}
END_TEST

START_TEST(test_second_write_breaks_ecc)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	g_autoptr(GlintSim) again = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("h7-sim-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);
	unlock(sim, KEYR1);
	w32(sim, FLASH_CR1, CR_PG);
	write_word(sim, FLASH_BASE + 0x80, 0xF0F0F0F0u, 8);
	wait_idle(sim, FLASH_SR1);
	write_word(sim, FLASH_BASE + 0x80, 0x0F0F0F0Fu, 8);
	wait_idle(sim, FLASH_SR1);
	/* the chip does not refuse it: no flag, cells are the AND of both */
	ck_assert_uint_eq(r32(sim, FLASH_SR1) & 0x1FFF0000u, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x80), 0xF0F0F0F0u & 0x0F0F0F0Fu);
	/* the broken ECC outlives a power cycle (state file) */
	ck_assert(glint_sim_save_state(sim, path, NULL));
	again = glint_sim_new_from_state(path, NULL);
	ck_assert_ptr_nonnull(again);
	{
		/* a debugger read faults: a job's read names the word */
		Board *b = board_new_for_sim(&h7_boards[0], again);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) back =
		    glint_job_read(b->session, FLASH_BASE, 0x100, NULL, NULL, NULL, &error);
		ck_assert_ptr_null(back);
		ck_assert_ptr_nonnull(strstr(error->message, "0x08000080"));
		ck_assert(glint_sim_peek32(again, FLASH_SR1) & SR_DBECCERR);
		ck_assert_uint_eq(glint_sim_peek32(again, FLASH_ECC_FA1), 0x80 / 32);
		board_free(b);
	}
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* DS12110: a 128 KB sector erase holds BSY for its typical time */
START_TEST(test_sector_erase_time)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	guint8 z = 0;
	gint64 t0;
	ck_assert(glint_sim_poke(sim, FLASH_BASE + 0x20000u, &z, 1));
	unlock(sim, KEYR1);
	w32(sim, FLASH_CR1, CR_SER | (1u << 8));
	t0 = glint_sim_advance_time(sim, 0);
	w32(sim, FLASH_CR1, CR_SER | (1u << 8) | (1u << 7));
	ck_assert(r32(sim, FLASH_SR1) & SR_BUSY);
	glint_sim_advance_time(sim, 990000000);
	ck_assert(r32(sim, FLASH_SR1) & SR_BUSY);
	glint_sim_advance_time(sim, 20000000);
	ck_assert_uint_eq(r32(sim, FLASH_SR1) & SR_BUSY, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x20000u), 0xFFFFFFFFu);
	ck_assert(glint_sim_advance_time(sim, 0) - t0 >= 1000000000);
}
END_TEST

START_TEST(test_wrong_key_locks_until_reset)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	ck_assert(!glint_sim_bus_write(sim, KEYR1, 4, 0x11111111u));
	/* even the right sequence is refused now */
	ck_assert(!glint_sim_bus_write(sim, KEYR1, 4, 0x45670123u));
	ck_assert(r32(sim, FLASH_CR1) & 1u);
	/* bank 2 has its own key register, unaffected */
	unlock(sim, KEYR2);
	ck_assert_uint_eq(r32(sim, CR2) & 1u, 0);
	glint_sim_power_cycle(sim);
	unlock(sim, KEYR1);
	ck_assert_uint_eq(r32(sim, FLASH_CR1) & 1u, 0);
}
END_TEST

static void
option_start(GlintSim *sim)
{
	w32(sim, OPTKEYR, 0x08192A3Bu);
	w32(sim, OPTKEYR, 0x4C5D6E7Fu);
}

START_TEST(test_option_changes_refused)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	guint32 optsr = r32(sim, FLASH_OPTSR_CUR) & ~1u;
	option_start(sim);
	/* SECURITY on, then off: OPTCHANGEERR and SECURITY stays */
	w32(sim, OPTSR_PRG, optsr | OPTSR_SECURITY);
	w32(sim, FLASH_OPTCR, 1u << 1);
	glint_sim_advance_time(sim, 10000000);
	ck_assert(r32(sim, FLASH_OPTSR_CUR) & OPTSR_SECURITY);
	w32(sim, OPTSR_PRG, optsr & ~OPTSR_SECURITY);
	w32(sim, FLASH_OPTCR, 1u << 1);
	ck_assert(r32(sim, FLASH_OPTSR_CUR) & OPTSR_OPTCHANGEERR);
	ck_assert(r32(sim, FLASH_OPTSR_CUR) & OPTSR_SECURITY);
	w32(sim, OPTCCR, OPTSR_OPTCHANGEERR);
	ck_assert_uint_eq(r32(sim, FLASH_OPTSR_CUR) & OPTSR_OPTCHANGEERR, 0);
	/* a PCROP area over 256-byte blocks 0-3, then shrunk: refused */
	w32(sim, OPTSR_PRG, optsr | OPTSR_SECURITY);
	w32(sim, PRAR_PRG1, 0x00030000u);
	w32(sim, FLASH_OPTCR, 1u << 1);
	glint_sim_advance_time(sim, 10000000);
	ck_assert_uint_eq(r32(sim, PRAR_CUR1), 0x00030000u);
	w32(sim, PRAR_PRG1, 0x00010000u);
	w32(sim, FLASH_OPTCR, 1u << 1);
	ck_assert(r32(sim, FLASH_OPTSR_CUR) & OPTSR_OPTCHANGEERR);
	ck_assert_uint_eq(r32(sim, PRAR_CUR1), 0x00030000u);
	/* programming into it: WRPERR */
	unlock(sim, KEYR1);
	w32(sim, FLASH_CR1, CR_PG);
	write_word(sim, FLASH_BASE + 0x100, 1, 8);
	ck_assert(r32(sim, FLASH_SR1) & SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x100), 0xFFFFFFFFu);
}
END_TEST

/* SWAP_BANK_OPT takes effect at the next reset; then FLASH_CR2 controls
 * what is at 0x08000000 */
START_TEST(test_swap_at_reset)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	guint32 optsr = r32(sim, FLASH_OPTSR_CUR) & ~1u;
	option_start(sim);
	w32(sim, OPTSR_PRG, optsr | OPTSR_SWAP_BANK_OPT);
	w32(sim, FLASH_OPTCR, 1u << 1);
	glint_sim_advance_time(sim, 10000000);
	ck_assert(r32(sim, FLASH_OPTSR_CUR) & OPTSR_SWAP_BANK_OPT);
	ck_assert_uint_eq(r32(sim, FLASH_OPTCR) & OPTCR_SWAP_BANK, 0);
	glint_sim_power_cycle(sim);
	ck_assert(r32(sim, FLASH_OPTCR) & OPTCR_SWAP_BANK);
	/* program 0x08000000 through bank 2's registers */
	unlock(sim, KEYR2);
	w32(sim, CR2, CR_PG);
	write_word(sim, FLASH_BASE, 0xA0, 8);
	wait_idle(sim, FLASH_SR2);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xA0);
	/* bank 1's registers refuse it: PG is not set there */
	unlock(sim, KEYR1);
	w32(sim, FLASH_BASE + 0x100000u, 0x1);
	ck_assert(r32(sim, FLASH_SR1) & SR_PGSERR);
}
END_TEST

/* A value and its complement that disagree at power-on: safe defaults
 * (RDP level 1, every sector protected) and OPTCHANGEERR */
START_TEST(test_option_load_mismatch)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h723zg:fresh");
	GlintSimCut cut;
	guint32 optsr = r32(sim, FLASH_OPTSR_CUR) & ~1u;
	option_start(sim);
	w32(sim, OPTSR_PRG, (optsr & ~0xFF00u) | (0xAAu << 8) | (3u << 2));
	w32(sim, FLASH_OPTCR, 1u << 1);
	cut = glint_sim_power_fail(sim);
	ck_assert_int_eq(cut, GLINT_SIM_CUT_OPTIONS);
	glint_sim_set_target_voltage_mv(sim, 3300);
	glint_sim_power_cycle(sim);
	ck_assert(r32(sim, FLASH_OPTSR_CUR) & OPTSR_OPTCHANGEERR);
	ck_assert_uint_ne((r32(sim, FLASH_OPTSR_CUR) >> 8) & 0xFF, 0xAA);
	ck_assert_uint_eq(r32(sim, FLASH_WPSN_CUR1) & 0xFF, 0);
}
END_TEST

/* H7A3: 16-byte words, START bit 5, sector number from bit 6 */
START_TEST(test_h7a3_encoding)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h7a3zi-q:fresh");
	guint8 z = 0;
	unlock(sim, KEYR1);
	w32(sim, FLASH_CR1, CR_PG);
	write_word(sim, FLASH_BASE, 0x33, 4);
	wait_idle(sim, FLASH_SR1);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 12), 0x36);
	ck_assert(glint_sim_poke(sim, FLASH_BASE + 5 * 8192, &z, 1));
	w32(sim, FLASH_CR1, CR_SER | (5u << 6));
	w32(sim, FLASH_CR1, CR_SER | (5u << 6) | (1u << 5));
	wait_idle(sim, FLASH_SR1);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 5 * 8192), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x33);
}
END_TEST

/* The banks work independently: bank 2 starts its erase while bank 1 is
 * still erasing, and both are done after one sector-erase time */
START_TEST(test_banks_erase_in_parallel)
{
	g_autoptr(GlintSim) sim = sim_new("nucleo-h743zi:fresh");
	guint8 z = 0;
	gint64 t0;
	ck_assert(glint_sim_poke(sim, FLASH_BASE, &z, 1));
	ck_assert(glint_sim_poke(sim, BANK2_BASE, &z, 1));
	unlock(sim, KEYR1);
	unlock(sim, KEYR2);
	t0 = glint_sim_advance_time(sim, 0);
	w32(sim, FLASH_CR1, CR_SER);
	w32(sim, FLASH_CR1, CR_SER | (1u << 7));
	w32(sim, CR2, CR_SER);
	w32(sim, CR2, CR_SER | (1u << 7));
	/* starting bank 2 did not wait for bank 1 */
	ck_assert_int_lt(glint_sim_advance_time(sim, 0) - t0, 1000000);
	ck_assert(r32(sim, FLASH_SR1) & SR_BUSY);
	ck_assert(r32(sim, FLASH_SR2) & SR_BUSY);
	glint_sim_advance_time(sim, 1001000000);
	ck_assert_uint_eq(r32(sim, FLASH_SR1) & SR_BUSY, 0);
	ck_assert_uint_eq(r32(sim, FLASH_SR2) & SR_BUSY, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, BANK2_BASE), 0xFFFFFFFFu);
}
END_TEST

/* The H7's debug port and core, and the DBGMCU freeze register at 0x54 */
START_TEST(test_identity)
{
	Board *b = board_new(&h7_boards[0], "fresh");
	ck_assert_uint_eq(board_info(b)->cpuid, 0x411FC271u);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x5C001000u), 0x20036450u);
	w32(b->sim, 0x5C001054u, 1u << 18);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x5C001054u), 1u << 18);
	board_free(b);
}
END_TEST

static Suite *
h7_sim_suite(void)
{
	Suite *s = suite_create("h7-sim");
	TCase *tc = tcase_create("flash");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_write_without_pg);
	tcase_add_test(tc, test_word_buffer_and_force_write);
	tcase_add_test(tc, test_incerr_and_strberr);
	tcase_add_test(tc, test_second_write_breaks_ecc);
	tcase_add_test(tc, test_sector_erase_time);
	tcase_add_test(tc, test_wrong_key_locks_until_reset);
	tcase_add_test(tc, test_option_changes_refused);
	tcase_add_test(tc, test_swap_at_reset);
	tcase_add_test(tc, test_option_load_mismatch);
	tcase_add_test(tc, test_h7a3_encoding);
	tcase_add_test(tc, test_banks_erase_in_parallel);
	tcase_add_test(tc, test_identity);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(h7_sim_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
