/* test-sim-flash.c: the emulated L4 flash controller and option bytes,
 * checked against the statements of RM0351 (reference sections 4.2-4.10),
 * driven through the target bus. */
#include "sim-test.h"

static const guint32 PAGE = 2048;

static void
program_dword(GlintSim *sim, guint32 addr, guint32 lo, guint32 hi)
{
	bus_w32(sim, addr, lo);
	bus_w32(sim, addr + 4, hi);
}

static guint32
cr_start(GlintSim *sim, guint32 cr)
{
	bus_w32(sim, FLASH_CR, cr);
	return flash_wait(sim);
}

START_TEST(test_unlock_and_wrong_key)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR), CR_LOCK | CR_OPTLOCK);
	/* CR writes are ignored while locked */
	bus_w32(sim, FLASH_CR, CR_PG);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR), CR_LOCK | CR_OPTLOCK);
	flash_unlock(sim);
	/* a key while unlocked: bus error, locked until reset */
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0x45670123u));
	ck_assert(bus_r32(sim, FLASH_CR) & CR_LOCK);
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0x45670123u));
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0xCDEF89ABu));
	ck_assert(bus_r32(sim, FLASH_CR) & CR_LOCK);
	/* a system reset ends the punishment */
	bus_w32(sim, AIRCR, 0x05FA0004u);
	flash_unlock(sim);
	/* a wrong second key also locks */
	bus_w32(sim, FLASH_CR, CR_LOCK);
	bus_w32(sim, FLASH_KEYR, 0x45670123u);
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0x11111111u));
	ck_assert(bus_r32(sim, FLASH_CR) & CR_LOCK);
}
END_TEST

START_TEST(test_program_double_word)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	GlintSimStats st;
	guint32 sr;
	gint64 t0;
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	bus_w32(sim, FLASH_BASE + 0x100, 0x11223344u);
	/* programming starts with the high word */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x100), 0xFFFFFFFFu);
	t0 = glint_sim_get_time_ns(sim);
	bus_w32(sim, FLASH_BASE + 0x104, 0x55667788u);
	ck_assert(bus_r32(sim, FLASH_SR) & SR_BSY);
	sr = flash_wait(sim);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, 81690);
	/* EOP is only raised with EOPIE */
	ck_assert_uint_eq(sr, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x100), 0x11223344u);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x104), 0x55667788u);
	bus_w32(sim, FLASH_CR, CR_PG | CR_EOPIE);
	program_dword(sim, FLASH_BASE + 0x108, 1, 2);
	ck_assert_uint_eq(flash_wait(sim), SR_EOP);
	glint_sim_get_stats(sim, &st);
	ck_assert_uint_eq(st.double_words_programmed, 2);
}
END_TEST

START_TEST(test_progerr_leaves_flash)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	program_dword(sim, FLASH_BASE, 0x12345678u, 0x9ABCDEF0u);
	flash_wait(sim);
	program_dword(sim, FLASH_BASE, 0x00000001u, 0x9ABCDEF0u);
	ck_assert_uint_eq(flash_wait(sim), SR_PROGERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x12345678u);
	/* with PROGERR still set the next program is a sequence error */
	program_dword(sim, FLASH_BASE + 8, 1, 2);
	ck_assert(flash_wait(sim) & SR_PGSERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 8), 0xFFFFFFFFu);
	/* cleared, all-zeros may overwrite programmed data */
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	program_dword(sim, FLASH_BASE, 0, 0);
	ck_assert_uint_eq(flash_wait(sim), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0);
}
END_TEST

START_TEST(test_pgaerr_sizerr_pgserr)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	flash_unlock(sim);
	/* no PG: PGSERR, nothing written */
	bus_w32(sim, FLASH_BASE, 0);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGSERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	bus_w32(sim, FLASH_CR, CR_PG);
	/* first word at an odd word address */
	bus_w32(sim, FLASH_BASE + 4, 0);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGAERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* second word not in the same double word */
	bus_w32(sim, FLASH_BASE, 0);
	bus_w32(sim, FLASH_BASE + 12, 0);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGAERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* half-word write while PG */
	ck_assert(glint_sim_bus_write(sim, FLASH_BASE, 2, 0));
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_SIZERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* OPERR only with ERRIE */
	bus_w32(sim, FLASH_CR, CR_PG | CR_ERRIE);
	ck_assert(glint_sim_bus_write(sim, FLASH_BASE, 1, 0));
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_SIZERR | SR_OPERR);
}
END_TEST

START_TEST(test_page_erase_and_stale_pgserr)
{
	g_autoptr(GlintSim) sim = sim_new_ok("stale-errors");
	guint32 sr = bus_r32(sim, FLASH_SR);
	ck_assert_uint_eq(sr, SR_PGSERR | SR_OPTVERR);
	/* a byte store to SR clears only what it writes */
	ck_assert(glint_sim_bus_write(sim, FLASH_SR, 1, 0x00));
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGSERR | SR_OPTVERR);
	ck_assert(glint_sim_bus_write(sim, FLASH_SR + 1, 1, 0x00));
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGSERR | SR_OPTVERR);
	flash_unlock(sim);
	/* page 0 holds firmware; an erase with a stale PGSERR fails */
	ck_assert(cr_start(sim, CR_PER | CR_PNB(0) | CR_STRT) & SR_PGSERR);
	ck_assert_uint_ne(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	/* OPTVERR alone does not block */
	bus_w32(sim, FLASH_SR, SR_PGSERR);
	ck_assert_uint_eq(cr_start(sim, CR_PER | CR_PNB(0) | CR_STRT), SR_OPTVERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	ck_assert_uint_ne(glint_sim_peek32(sim, FLASH_BASE + PAGE), 0xFFFFFFFFu);
	/* STRT clears with BSY */
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR) & CR_STRT, 0);
}
END_TEST

START_TEST(test_page_erase_timing_and_bank2)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	gint64 t0;
	glint_sim_poke(sim, 0x08080000u, data, 8);
	glint_sim_poke(sim, 0x08000000u, data, 8);
	flash_unlock(sim);
	t0 = glint_sim_get_time_ns(sim);
	bus_w32(sim, FLASH_CR, CR_PER | CR_BKER | CR_PNB(0) | CR_STRT);
	ck_assert(bus_r32(sim, FLASH_SR) & SR_BSY);
	flash_wait(sim);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, 22020000);
	/* BKER selects bank 2: its first page is at 0x08080000 */
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08080000u), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08000000u), 0x04030201u);
	/* PER with MER1: wrong combination */
	ck_assert(cr_start(sim, CR_PER | CR_MER1 | CR_STRT) & SR_PGSERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08000000u), 0x04030201u);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* PER with PG set (left over from programming): sequence error */
	ck_assert(cr_start(sim, CR_PG | CR_PER | CR_STRT) & SR_PGSERR);
}
END_TEST

START_TEST(test_write_while_busy_stalls)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	gint64 t0;
	flash_unlock(sim);
	t0 = glint_sim_get_time_ns(sim);
	bus_w32(sim, FLASH_CR, CR_PER | CR_PNB(3) | CR_STRT);
	/* the CR write waits for BSY instead of failing */
	bus_w32(sim, FLASH_CR, CR_PG);
	ck_assert_int_ge(glint_sim_get_time_ns(sim) - t0, 22020000);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR), CR_PG | CR_OPTLOCK);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), 0);
}
END_TEST

START_TEST(test_mass_erase)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 data[4] = {0};
	glint_sim_poke(sim, 0x08000000u, data, 4);
	glint_sim_poke(sim, 0x080FFFFCu, data, 4);
	flash_unlock(sim);
	/* MER1 alone erases bank 1 only */
	ck_assert_uint_eq(cr_start(sim, CR_MER1 | CR_STRT), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08000000u), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x080FFFFCu), 0);
	ck_assert_uint_eq(cr_start(sim, CR_MER1 | CR_MER2 | CR_STRT), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x080FFFFCu), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_wrp_scenario)
{
	g_autoptr(GlintSim) sim = sim_new_ok("wrp");
	guint32 first = glint_sim_peek32(sim, FLASH_BASE);
	ck_assert_uint_eq(bus_r32(sim, FLASH_WRP1AR), 0x000F0000u);
	flash_unlock(sim);
	ck_assert_uint_eq(cr_start(sim, CR_PER | CR_PNB(15) | CR_STRT), SR_WRPERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	ck_assert_uint_eq(cr_start(sim, CR_PER | CR_PNB(16) | CR_STRT), 0);
	/* mass erase refused while any WRP area of the bank is active */
	ck_assert_uint_eq(cr_start(sim, CR_MER1 | CR_MER2 | CR_STRT), SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), first);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* bank 2 alone has no WRP area: allowed */
	ck_assert_uint_eq(cr_start(sim, CR_MER2 | CR_STRT), 0);
	bus_w32(sim, FLASH_CR, CR_PG);
	program_dword(sim, FLASH_BASE + 15 * PAGE, 0, 0);
	ck_assert_uint_eq(flash_wait(sim), SR_WRPERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	program_dword(sim, FLASH_BASE + 16 * PAGE, 7, 8);
	ck_assert_uint_eq(flash_wait(sim), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 16 * PAGE), 7);
}
END_TEST

static void
fast_row(GlintSim *sim, guint32 addr, guint skip_at)
{
	for (guint i = 0; i < 64; i++) {
		if (i == skip_at)
			continue;
		bus_w32(sim, addr + 4 * i, 0xA5000000u | i);
	}
}

START_TEST(test_fast_programming)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	gint64 t0;
	GlintSimStats st;
	/* fast programming needs HCLK >= 8 MHz (RM0351 3.3.7): HSI16 */
	bus_w32(sim, 0x40021000u, bus_r32(sim, 0x40021000u) | (1u << 8));
	bus_w32(sim, 0x40021008u, 1u);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 16000000u);
	flash_unlock(sim);
	/* without a mass erase first: PGSERR */
	bus_w32(sim, FLASH_CR, CR_FSTPG);
	bus_w32(sim, FLASH_BASE, 0);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGSERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	ck_assert_uint_eq(cr_start(sim, CR_MER1 | CR_STRT), 0);
	bus_w32(sim, FLASH_CR, CR_FSTPG);
	t0 = glint_sim_get_time_ns(sim);
	fast_row(sim, FLASH_BASE, 99);
	ck_assert_uint_eq(flash_wait(sim), 0);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, 1910000);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 252), 0xA500003Fu);
	glint_sim_get_stats(sim, &st);
	ck_assert_uint_eq(st.double_words_programmed, 32);
	/* a gap in the row: MISERR + FASTERR */
	fast_row(sim, FLASH_BASE + 256, 10);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR) & (SR_MISERR | SR_FASTERR),
			  SR_MISERR | SR_FASTERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* a row must start on a row boundary */
	bus_w32(sim, FLASH_BASE + 0x408, 0);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_PGAERR | SR_FASTERR);
}
END_TEST

START_TEST(test_option_bytes_program_and_load)
{
	g_autoptr(GlintSim) sim = sim_new_ok("l476re");
	guint32 optr = 0xFFEFF8AAu & ~(1u << 21);
	/* writes to OPTR are ignored while OPTLOCK */
	flash_unlock(sim);
	bus_w32(sim, FLASH_OPTR, optr);
	ck_assert_uint_eq(bus_r32(sim, FLASH_OPTR), 0xFFEFF8AAu);
	/* OPTKEYR with LOCK set: wrong sequence, bus error */
	bus_w32(sim, FLASH_CR, CR_LOCK);
	ck_assert(!glint_sim_bus_write(sim, FLASH_OPTKEYR, 4, 0x08192A3Bu));
	bus_w32(sim, AIRCR, 0x05FA0004u);
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_OPTR, optr);
	ck_assert_uint_eq(bus_r32(sim, FLASH_OPTR), optr);
	/* geometry still dual bank: page 200 does not exist in a 128-page bank */
	ck_assert(cr_start(sim, CR_PER | CR_PNB(200) | CR_STRT) & SR_PGSERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	ck_assert_uint_eq(cr_start(sim, CR_OPTSTRT), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x1FFF7800u), optr);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x1FFF7804u), ~optr);
	/* not effective before the option load */
	ck_assert(cr_start(sim, CR_PER | CR_PNB(200) | CR_STRT) & SR_PGSERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* OBL_LAUNCH: reload + reset; now one bank of 256 pages */
	bus_w32(sim, FLASH_CR, CR_OBL_LAUNCH);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR), CR_LOCK | CR_OPTLOCK);
	ck_assert_uint_eq(bus_r32(sim, FLASH_OPTR), optr);
	flash_unlock(sim);
	{
		const guint8 z[4] = {0};
		glint_sim_poke(sim, FLASH_BASE + 200 * PAGE, z, 4);
	}
	ck_assert_uint_eq(cr_start(sim, CR_PER | CR_PNB(200) | CR_STRT), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 200 * PAGE), 0xFFFFFFFFu);
	/* and BKER is now out of range */
	ck_assert(cr_start(sim, CR_PER | CR_BKER | CR_PNB(0) | CR_STRT) & SR_PGSERR);
}
END_TEST

START_TEST(test_option_complement_mismatch)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 bad[4] = {0x00, 0x00, 0x00, 0x00};
	guint8 cmd[16];
	guint8 r[8];
	/* corrupt the OPTR complement, then power-cycle: OPTVERR, level 1 */
	glint_sim_poke(sim, 0x1FFF7804u, bad, 4);
	glint_sim_power_cycle(sim);
	ck_assert(bus_r32(sim, FLASH_SR) & SR_OPTVERR);
	ck_assert_uint_ne(bus_r32(sim, FLASH_OPTR) & 0xFF, 0xAA);
	/* cleared, it comes back at every system reset while the options are bad */
	bus_w32(sim, FLASH_SR, SR_OPTVERR);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), 0);
	bus_w32(sim, AIRCR, 0x05FA0004u);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), SR_OPTVERR);
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x07, FLASH_BASE, 8);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x11);
}
END_TEST

START_TEST(test_rdp_regression_mass_erases)
{
	g_autoptr(GlintSim) sim = sim_new_ok("rdp1");
	GlintSimStats st;
	gint64 t0;
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_OPTR, (bus_r32(sim, FLASH_OPTR) & ~0xFFu) | 0xAAu);
	t0 = glint_sim_get_time_ns(sim);
	ck_assert_uint_eq(cr_start(sim, CR_OPTSTRT), 0);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, 22020000 + 22130000);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	glint_sim_get_stats(sim, &st);
	ck_assert_uint_eq(st.mass_erases, 1);
	ck_assert_uint_eq(st.option_writes, 1);
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq(bus_r32(sim, FLASH_OPTR) & 0xFF, 0xAA);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), 0);
}
END_TEST

START_TEST(test_bfb2_empty_boot)
{
	g_autoptr(GlintSim) sim = sim_new_ok("bfb2-empty");
	ck_assert(bus_r32(sim, FLASH_OPTR) & (1u << 20));
	/* bank 2 is empty: no swap, bank 1 stays at 0x08000000 */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x20018000u);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08080000u), 0xFFFFFFFFu);
	/* with a valid image in bank 2, the next reset maps it at 0x08000000 */
	{
		guint8 vt[8];
		st_put32(vt, 0x20010000u);
		st_put32(vt + 4, 0x08080201u);
		glint_sim_poke(sim, 0x08080000u, vt, 8);
	}
	bus_w32(sim, AIRCR, 0x05FA0004u);
	/* the system bootloader decides (AN2606): FB_MODE is 0 at reset ... */
	ck_assert_uint_eq(bus_r32(sim, 0x40010000u) & (1u << 8), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x20018000u);
	/* ... and set by its code once it has found the stack pointer */
	glint_sim_advance_time(sim, 100000);
	ck_assert_uint_eq(bus_r32(sim, 0x40010000u) & (1u << 8), 1u << 8);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x20010000u);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08080000u), 0x20018000u);
}
END_TEST

START_TEST(test_otp_programming)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	program_dword(sim, 0x1FFF7008u, 0x0000CAFEu, 0x0000BEEFu);
	ck_assert_uint_eq(flash_wait(sim), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x1FFF7008u), 0x0000CAFEu);
	/* one time: a second program of the same double word is PROGERR */
	program_dword(sim, 0x1FFF7008u, 1, 1);
	ck_assert_uint_eq(flash_wait(sim), SR_PROGERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x1FFF7008u), 0x0000CAFEu);
}
END_TEST

START_TEST(test_pcrop_area_refuses_program)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	flash_opt_unlock(sim);
	/* PCROP1 over double words 0x100..0x1FF of bank 1 (0x08000800..0x08000FFF) */
	bus_w32(sim, FLASH_R + 0x24u, 0x00000100u);
	bus_w32(sim, FLASH_R + 0x28u, 0x000001FFu);
	ck_assert_uint_eq(cr_start(sim, CR_OPTSTRT), 0);
	bus_w32(sim, FLASH_CR, CR_OBL_LAUNCH);
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	program_dword(sim, 0x08000800u, 0, 0);
	ck_assert_uint_eq(flash_wait(sim), SR_WRPERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	program_dword(sim, 0x08001000u, 0, 0);
	ck_assert_uint_eq(flash_wait(sim), 0);
	bus_w32(sim, FLASH_CR, 0);
	ck_assert_uint_eq(cr_start(sim, CR_PER | CR_PNB(1) | CR_STRT), SR_WRPERR);
	bus_w32(sim, FLASH_SR, SR_ALL_ERRORS);
	/* the debugger cannot read PCROP data: bus error and RDERR */
	st_enter_swd(sim);
	ck_assert_uint_eq(st_read32(sim, 0x08000FF8u, NULL), 0x11);
	ck_assert(bus_r32(sim, FLASH_SR) & (1u << 14));
	ck_assert_uint_eq(st_read32(sim, 0x08001000u, NULL), 0x80);
}
END_TEST

START_TEST(test_rdp_level2_kills_debug)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_OPTR, (bus_r32(sim, FLASH_OPTR) & ~0xFFu) | 0xCCu);
	ck_assert_uint_eq(cr_start(sim, CR_OPTSTRT), 0);
	glint_sim_power_cycle(sim);
	/* the probe cannot connect: no IDCODE from a fused debug port */
	ck_assert_uint_eq(st_enter_swd_status(sim), 0x09);
	ck_assert_uint_eq(st_read32(sim, 0x20000000u, NULL), 0x16);
	/* and the option bytes can no longer change */
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_OPTR, 0xFFEFF8AAu);
	ck_assert(cr_start(sim, CR_OPTSTRT) & SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x1FFF7800u) & 0xFF, 0xCC);
}
END_TEST

START_TEST(test_option_writes_need_optlock_clear)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	flash_unlock(sim);
	/* OPTSTRT and OBL_LAUNCH do nothing while OPTLOCK is set */
	bus_w32(sim, FLASH_CR, CR_OPTSTRT);
	ck_assert_uint_eq(bus_r32(sim, FLASH_SR), 0);
	bus_w32(sim, FLASH_CR, CR_OBL_LAUNCH);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR) & CR_LOCK, 0);
	/* a wrong option key: bus error, OPTLOCK stays until reset */
	ck_assert(!glint_sim_bus_write(sim, FLASH_OPTKEYR, 4, 0x1u));
	ck_assert(!glint_sim_bus_write(sim, FLASH_OPTKEYR, 4, 0x08192A3Bu));
	ck_assert(bus_r32(sim, FLASH_CR) & CR_OPTLOCK);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-flash");
	TCase *tc = tcase_create("flash");
	TCase *to = tcase_create("options");
	tcase_add_test(tc, test_unlock_and_wrong_key);
	tcase_add_test(tc, test_program_double_word);
	tcase_add_test(tc, test_progerr_leaves_flash);
	tcase_add_test(tc, test_pgaerr_sizerr_pgserr);
	tcase_add_test(tc, test_page_erase_and_stale_pgserr);
	tcase_add_test(tc, test_page_erase_timing_and_bank2);
	tcase_add_test(tc, test_write_while_busy_stalls);
	tcase_add_test(tc, test_mass_erase);
	tcase_add_test(tc, test_wrp_scenario);
	tcase_add_test(tc, test_fast_programming);
	tcase_add_test(to, test_option_bytes_program_and_load);
	tcase_add_test(to, test_option_complement_mismatch);
	tcase_add_test(to, test_rdp_regression_mass_erases);
	tcase_add_test(to, test_bfb2_empty_boot);
	tcase_add_test(tc, test_otp_programming);
	tcase_add_test(to, test_pcrop_area_refuses_program);
	tcase_add_test(to, test_rdp_level2_kills_debug);
	tcase_add_test(to, test_option_writes_need_optlock_clear);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, to);
	return run_suite(s);
}
