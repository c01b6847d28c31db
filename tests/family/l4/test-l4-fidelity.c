/* The emulated STM32L476 against RM0351 and AN2606 where a tester found it
 * too kind (Glint issue 17, the L4 items; issue 16.2 for PCROP): each test
 * pins one behaviour of silicon that lets a test pass here only if the chip
 * would pass too.
 *
 *   RDP level 1 stops the core too: code run from SRAM by the debugger
 *   cannot read or program flash (bus error, WRPERR), and a debugger write
 *   with PG set raises WRPERR (RM0351 3.5.1, 3.3.8);
 *   `reset halt` on RDP 1 fetches no vectors from flash, and the firmware
 *   stays stopped until a power-on reset without the debugger;
 *   BFB2: the system bootloader's dual-bank boot (AN2606), FB_MODE reset to 0
 *   and set by software only;
 *   fast programming's timing (RM0351 3.3.7): BSY from the first double
 *   word, MISERR when the next one is late, FASTERR after 7 ms, HCLK >= 8 MHz;
 *   PCROP can only grow, PCROP_RDP only be set, and PCROP goes only with an
 *   RDP 1 -> 0 regression when PCROP_RDP is set (RM0351 3.5.2, 3.7.10).
 *
 * argv[1]: l4-snippets.bin, linked at 0x20000000. */
#include <stdio.h>

#include "sim-test.h"

#define SRAM_BASE 0x20000000u
#define DATA_ADDR 0x20004000u
#define BANK2_BASE 0x08080000u
#define FLASH_PCROP1SR (FLASH_R + 0x24u)
#define FLASH_PCROP1ER (FLASH_R + 0x28u)
#define SYSCFG_MEMRMP 0x40010000u
#define MEMRMP_FB_MODE (1u << 8)
#define RCC_CR 0x40021000u
#define RCC_APB2ENR 0x40021060u
#define RCC_APB2ENR_SYSCFGEN (1u << 0)
#define RCC_CFGR 0x40021008u
#define RCC_CR_HSION (1u << 8)
#define CFSR 0xE000ED28u
#define BFAR 0xE000ED38u
#define CFSR_IACCVIOL (1u << 0)
#define CFSR_IBUSERR (1u << 8)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)
#define SR_RDERR (1u << 14)
#define PCROP_RDP (1u << 31)
#define OPTR_BFB2 (1u << 20)
#define OPTR_FACTORY 0xFFEFF8AAu

#define DBGKEY 0xA05F0000u
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define S_HALT (1u << 17)
#define S_SLEEP (1u << 18)
#define S_LOCKUP (1u << 19)
#define VC_CORERESET (1u << 0)
#define XPSR_T (1u << 24)
#define REG_PC 15u
#define REG_XPSR 16u
#define REG_MSP 17u

enum { SNIP_READ_WORD, SNIP_PROGRAM_DWORD, SNIP_FAST_ROW, SNIP_FAST_FIRST_DWORD };

static const char *snippets_path;

static void
load_snippets(GlintSim *sim)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_msg(g_file_get_contents(snippets_path, &data, &len, &error), "%s",
		      error != NULL ? error->message : "?");
	ck_assert(glint_sim_poke(sim, SRAM_BASE, (const guint8 *)data, len));
}

static guint32
snippet(GlintSim *sim, guint idx)
{
	return glint_sim_peek32(sim, SRAM_BASE + 4 * idx) & ~1u;
}

static void
st_write_reg(GlintSim *sim, guint idx, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x34, (guint8)idx};
	guint8 r[2] = {0};
	st_put32(cmd + 3, v);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x80);
}

static guint32
st_read_reg(GlintSim *sim, guint idx)
{
	guint8 cmd[16] = {0xF2, 0x33, (guint8)idx};
	guint8 r[8] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	ck_assert_msg(r[0] == 0x80, "READREG %u: status 0x%02x", idx, r[0]);
	return st_get32(r + 4);
}

static void
st_run(GlintSim *sim)
{
	guint8 cmd[16] = {0xF2, 0x09};
	guint8 r[2] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x80);
}

static guint32
dhcsr(GlintSim *sim)
{
	guint32 v = 0;
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	return v;
}

/* A board in debug mode, core halted, the snippets in SRAM1 */
static GlintSim *
board_halted(const char *spec)
{
	GlintSim *sim = sim_new_ok(spec);
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	ck_assert(dhcsr(sim) & S_HALT);
	load_snippets(sim);
	return sim;
}

/* Runs snippet @idx with r1..r3 set, until it halts or locks up; returns
 * DHCSR */
static guint32
run_snippet(GlintSim *sim, guint idx, guint32 r1, guint32 r2, guint32 r3)
{
	st_write_reg(sim, 1, r1);
	st_write_reg(sim, 2, r2);
	st_write_reg(sim, 3, r3);
	st_write_reg(sim, REG_PC, snippet(sim, idx));
	st_write_reg(sim, REG_XPSR, XPSR_T);
	st_write_reg(sim, REG_MSP, SRAM_BASE + 0x8000u);
	st_run(sim);
	for (guint i = 0; i < 100000; i++) {
		guint32 v = dhcsr(sim);
		if (v & (S_HALT | S_LOCKUP))
			return v;
	}
	ck_abort_msg("the snippet neither halted nor locked up");
	return 0;
}

static void
use_hsi16(GlintSim *sim)
{
	ck_assert_uint_eq(st_write32(sim, RCC_CR, glint_sim_peek32(sim, RCC_CR) | RCC_CR_HSION),
			  0x80);
	ck_assert_uint_eq(st_write32(sim, RCC_CFGR, 1u), 0x80);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 16000000u);
}

static void
debug_unlock(GlintSim *sim)
{
	ck_assert_uint_eq(st_write32(sim, FLASH_KEYR, 0x45670123u), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_KEYR, 0xCDEF89ABu), 0x80);
}

static guint32
debug_sr(GlintSim *sim)
{
	guint32 v = 0;
	ck_assert_uint_eq(st_read32(sim, FLASH_SR, &v), 0x80);
	return v;
}

/* ---- RDP level 1 stops the core (RM0351 3.5.1) ------------------------- */

/* Level 0: the same snippet reads flash (the test would pass for a wrong
 * reason if it could not) */
START_TEST(test_level0_code_reads_flash)
{
	g_autoptr(GlintSim) sim = board_halted("wrp");
	guint32 v = run_snippet(sim, SNIP_READ_WORD, FLASH_BASE + 4, 0, 0);
	ck_assert_msg(v & S_HALT, "DHCSR 0x%08x", v);
	ck_assert_uint_eq(st_read_reg(sim, 0), glint_sim_peek32(sim, FLASH_BASE + 4));
}
END_TEST

START_TEST(test_rdp1_code_cannot_read_flash)
{
	g_autoptr(GlintSim) sim = board_halted("rdp1");
	guint32 v = run_snippet(sim, SNIP_READ_WORD, FLASH_BASE + 4, 0, 0);
	guint32 cfsr = glint_sim_peek32(sim, CFSR);
	/* "a read or write access to the flash generates a bus error" */
	ck_assert_msg(v & S_LOCKUP, "the read from SRAM passed: DHCSR 0x%08x", v);
	ck_assert_uint_eq(cfsr & (CFSR_PRECISERR | CFSR_BFARVALID),
			  CFSR_PRECISERR | CFSR_BFARVALID);
	ck_assert_uint_eq(glint_sim_peek32(sim, BFAR), FLASH_BASE + 4);
}
END_TEST

START_TEST(test_rdp1_code_cannot_program_flash)
{
	g_autoptr(GlintSim) sim = board_halted("rdp1");
	guint32 addr = FLASH_BASE + 0x10000u; /* erased, outside the firmware */
	guint32 v;
	debug_unlock(sim);
	v = run_snippet(sim, SNIP_PROGRAM_DWORD, addr, 0x12345678u, 0x9ABCDEF0u);
	ck_assert_msg(v & S_LOCKUP, "the store from SRAM passed: DHCSR 0x%08x", v);
	/* the controller saw a programming attempt it refuses */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_SR) & SR_WRPERR, SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, addr), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_rdp1_debugger_write_raises_wrperr)
{
	g_autoptr(GlintSim) sim = board_halted("rdp1");
	guint32 addr = FLASH_BASE + 0x10000u;
	debug_unlock(sim);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_PG), 0x80);
	/* a bus error for the probe, and WRPERR as on silicon */
	ck_assert_uint_ne(st_write32(sim, addr, 0x12345678u), 0x80);
	ck_assert_uint_eq(debug_sr(sim) & SR_WRPERR, SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, addr), 0xFFFFFFFFu);
	/* without PG the refused write flags nothing */
	ck_assert_uint_eq(st_write32(sim, FLASH_SR, SR_ALL_ERRORS), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, 0), 0x80);
	ck_assert_uint_ne(st_write32(sim, addr, 0x12345678u), 0x80);
	ck_assert_uint_eq(debug_sr(sim) & SR_ALL_ERRORS, 0);
}
END_TEST

/* A firmware already running from flash when the debugger connects: its
 * next fetch from flash faults */
START_TEST(test_rdp1_connect_stops_running_firmware)
{
	g_autoptr(GlintSim) sim = sim_new_ok("rdp1");
	/* SP, reset vector, then "1: nop; b 1b": it keeps fetching */
	static const guint8 loop[] = {0x00, 0x80, 0x01, 0x20, 0x09, 0x00,
				      0x00, 0x08, 0x00, 0xBF, 0xFD, 0xE7};
	guint32 v;
	ck_assert(glint_sim_poke(sim, FLASH_BASE, loop, sizeof(loop)));
	glint_sim_power_cycle(sim);
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(glint_sim_peek32(sim, DHCSR) & (S_LOCKUP | S_SLEEP), 0);
	st_enter_swd(sim);
	/* the debugger's first access: the chip is in debug mode from now */
	ck_assert_uint_eq(st_read32(sim, 0xE0042000u, &v), 0x80);
	glint_sim_advance_time(sim, 1000000);
	ck_assert_msg(dhcsr(sim) & S_LOCKUP, "the firmware ran on with a debugger attached");
	ck_assert(glint_sim_peek32(sim, CFSR) & CFSR_IBUSERR);
}
END_TEST

/* ---- reset halt on RDP 1 ------------------------------------------------ */

START_TEST(test_rdp1_reset_halt_fetches_no_vectors)
{
	g_autoptr(GlintSim) sim = sim_new_ok("rdp1");
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	ck_assert_uint_eq(st_write32(sim, DEMCR, VC_CORERESET), 0x80);
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	ck_assert(dhcsr(sim) & S_HALT);
	/* the vector fetch was refused: all ones, not the firmware's vectors */
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), 0xFFFFFFFEu);
	ck_assert_uint_eq(st_read_reg(sim, REG_MSP), 0xFFFFFFFCu);
	ck_assert_uint_ne(glint_sim_peek32(sim, FLASH_BASE + 4) & ~1u, 0xFFFFFFFEu);
	/* released, the core faults on its first fetch: 0xFFFFFFFE is in the
	 * execute-never system region, a MemManage IACCVIOL (ARMv7-M B3.1),
	 * escalated to HardFault, whose vector is refused too: lockup */
	ck_assert_uint_eq(st_write32(sim, DEMCR, 0), 0x80);
	st_run(sim);
	glint_sim_advance_time(sim, 100000);
	ck_assert(dhcsr(sim) & S_LOCKUP);
	ck_assert(glint_sim_peek32(sim, CFSR) & CFSR_IACCVIOL);
}
END_TEST

/* The chip remembers the debugger until a power-on reset: leaving debug
 * mode and resetting by NRST does not bring the firmware back; a power
 * cycle without the debugger does (RM0351 3.5.1: POR after setting RDP) */
START_TEST(test_rdp1_firmware_waits_for_power_on_reset)
{
	g_autoptr(GlintSim) sim = sim_new_ok("rdp1");
	guint8 exit_debug[16] = {0xF2, 0x21};
	guint32 v;
	st_enter_swd(sim);
	ck_assert_uint_eq(st_read32(sim, 0xE0042000u, &v), 0x80);
	/* the debugger clears C_DEBUGEN and leaves */
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY), 0x80);
	st_xfer(sim, exit_debug, NULL, 0, NULL, 0);
	/* a system reset (as the reset button) */
	ck_assert(glint_sim_bus_write(sim, AIRCR, 4, 0x05FA0004u));
	glint_sim_advance_time(sim, 1000000);
	ck_assert_msg(glint_sim_peek32(sim, DHCSR) & S_LOCKUP,
		      "the firmware ran after a reset with a debugger seen since power-on");
	/* power-on reset, no debugger: the firmware runs (idles in WFI) */
	glint_sim_power_cycle(sim);
	glint_sim_advance_time(sim, 1000000);
	v = glint_sim_peek32(sim, DHCSR);
	ck_assert_msg(!(v & S_LOCKUP) && (v & S_SLEEP), "DHCSR 0x%08x after power-on", v);
}
END_TEST

/* ---- BFB2: the bootloader's dual-bank boot (AN2606) --------------------- */

/* Both banks valid: FB_MODE is 0 right after reset, the bootloader sets it
 * and starts bank 2 (its reset handler at 0x08000000 + offset) */
START_TEST(test_bfb2_bootloader_starts_bank2)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg:bfb2-bank2");
	guint32 entry;
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	ck_assert_uint_eq(st_write32(sim, DEMCR, VC_CORERESET), 0x80);
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	/* reset: system memory at 0, FB_MODE = 0, the core in the bootloader */
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP), 0x1u);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC) & 0xFFFF0000u, 0x1FFF0000u);
	entry = glint_sim_peek32(sim, BANK2_BASE + 4) & ~1u;
	/* the bootloader runs: bank 2 is valid */
	ck_assert_uint_eq(st_write32(sim, DEMCR, 0), 0x80);
	st_run(sim);
	glint_sim_advance_time(sim, 100000);
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP), MEMRMP_FB_MODE);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	/* in bank 2's firmware, which now answers at 0x08000000 */
	ck_assert_uint_eq(st_read_reg(sim, REG_PC) & 0xFFF00000u, 0x08000000u);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 4) & ~1u, entry);
}
END_TEST

/* Bank 2 empty: the bootloader falls back to bank 1 (FB_MODE stays 0) */
START_TEST(test_bfb2_empty_bank2_starts_bank1)
{
	g_autoptr(GlintSim) sim = sim_new_ok("bfb2-empty");
	guint32 v;
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP), 0);
	/* bank 1's idle firmware sleeps (the bootloader would idle too: its PC
	 * tells them apart) */
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	v = st_read_reg(sim, REG_PC);
	ck_assert_msg((v & 0xFFF00000u) == 0x08000000u, "PC 0x%08x", v);
}
END_TEST

/* Both banks empty: it stays in the bootloader */
START_TEST(test_bfb2_no_image_stays_in_bootloader)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 v;
	debug_unlock(sim);
	ck_assert_uint_eq(st_write32(sim, FLASH_OPTKEYR, 0x08192A3Bu), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_OPTKEYR, 0x4C5D6E7Fu), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_OPTR, OPTR_FACTORY | OPTR_BFB2), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_OPTSTRT), 0x80);
	ck_assert_uint_eq(debug_sr(sim) & SR_ALL_ERRORS, 0);
	(void)st_write32(sim, FLASH_CR, CR_OBL_LAUNCH);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), 0x80);
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	v = st_read_reg(sim, REG_PC);
	ck_assert_msg((v & 0xFFFF0000u) == 0x1FFF0000u, "PC 0x%08x", v);
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP) & MEMRMP_FB_MODE, 0);
}
END_TEST

/* FB_MODE is software's: a debugger (or firmware) may set and clear it,
 * and the map follows at once */
START_TEST(test_fb_mode_set_by_software)
{
	g_autoptr(GlintSim) sim = board_halted("wrp");
	guint32 bank1 = glint_sim_peek32(sim, FLASH_BASE);
	ck_assert_uint_eq(glint_sim_peek32(sim, SYSCFG_MEMRMP), 0);
	/* SYSCFG is not clocked after reset: a write would be lost */
	ck_assert_uint_eq(st_write32(sim, SYSCFG_MEMRMP, MEMRMP_FB_MODE), 0x80);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), bank1);
	ck_assert_uint_eq(st_write32(sim, RCC_APB2ENR, RCC_APB2ENR_SYSCFGEN), 0x80);
	ck_assert_uint_eq(st_write32(sim, SYSCFG_MEMRMP, MEMRMP_FB_MODE), 0x80);
	ck_assert_uint_eq(glint_sim_peek32(sim, BANK2_BASE), bank1);
	ck_assert_uint_eq(st_write32(sim, SYSCFG_MEMRMP, 0), 0x80);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), bank1);
}
END_TEST

/* ---- Fast programming timing (RM0351 3.3.7) ----------------------------- */

static void
mass_erase_bank1(GlintSim *sim)
{
	debug_unlock(sim);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_MER1), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_MER1 | CR_STRT), 0x80);
	for (guint i = 0; i < 1000 && (debug_sr(sim) & SR_BSY); i++)
		;
	ck_assert_uint_eq(debug_sr(sim) & (SR_BSY | SR_ALL_ERRORS), 0);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, 0), 0x80);
}

static void
put_row_data(GlintSim *sim)
{
	guint8 row[256];
	for (guint i = 0; i < sizeof(row); i++)
		row[i] = (guint8)(i * 7 + 1);
	ck_assert(glint_sim_poke(sim, DATA_ADDR, row, sizeof(row)));
}

/* A loader at 16 MHz feeding the row back to back: it works, in the row
 * time (so the failures below are the rules, not the snippet) */
START_TEST(test_fast_row_in_time)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 v;
	mass_erase_bank1(sim);
	use_hsi16(sim);
	put_row_data(sim);
	v = run_snippet(sim, SNIP_FAST_ROW, FLASH_BASE, DATA_ADDR, 0);
	ck_assert(v & S_HALT);
	ck_assert_uint_eq(st_read_reg(sim, 0) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 252),
			  glint_sim_peek32(sim, DATA_ADDR + 252));
}
END_TEST

/* Too slow between double words: MISERR and FASTERR, the row stops */
START_TEST(test_fast_row_late_double_word_miserr)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 v;
	mass_erase_bank1(sim);
	use_hsi16(sim);
	put_row_data(sim);
	/* 400 passes of 3 instructions at 16 MHz: 75 us, more than a double
	 * word's share of the row (1.91 ms / 32) */
	v = run_snippet(sim, SNIP_FAST_ROW, FLASH_BASE, DATA_ADDR, 400);
	ck_assert(v & S_HALT);
	ck_assert_uint_eq(st_read_reg(sim, 0) & (SR_MISERR | SR_FASTERR), SR_MISERR | SR_FASTERR);
	/* the first double word was programmed, the last not */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), glint_sim_peek32(sim, DATA_ADDR));
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 248), 0xFFFFFFFFu);
}
END_TEST

/* HCLK below 8 MHz (MSI 4 MHz after reset): the 7 ms counter stops the row */
START_TEST(test_fast_row_slow_clock_fasterr)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	gint64 t0;
	guint32 v;
	mass_erase_bank1(sim);
	put_row_data(sim);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 4000000u);
	t0 = glint_sim_get_time_ns(sim);
	v = run_snippet(sim, SNIP_FAST_ROW, FLASH_BASE, DATA_ADDR, 0);
	ck_assert(v & S_HALT);
	ck_assert_uint_eq(st_read_reg(sim, 0) & (SR_FASTERR | SR_MISERR), SR_FASTERR);
	ck_assert_int_ge(glint_sim_get_time_ns(sim) - t0, 7000000);
}
END_TEST

/* BSY from the first double word of a row (not only once the row is
 * complete); a row left at one double word ends in MISERR */
START_TEST(test_fast_row_bsy_from_first_dword)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 v;
	mass_erase_bank1(sim);
	use_hsi16(sim);
	v = run_snippet(sim, SNIP_FAST_FIRST_DWORD, FLASH_BASE, 0x11111111u, 0x22222222u);
	ck_assert(v & S_HALT);
	ck_assert_uint_eq(st_read_reg(sim, 0) & (SR_BSY | SR_ALL_ERRORS), SR_BSY);
	ck_assert_uint_eq(st_read_reg(sim, 1) & (SR_MISERR | SR_FASTERR), SR_MISERR | SR_FASTERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 4), 0x22222222u);
}
END_TEST

/* Through the probe the next double word comes a USB round trip later,
 * long after the previous one was programmed: MISERR (a debugger cannot
 * fast-program an L4) */
START_TEST(test_fast_row_probe_miserr)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	mass_erase_bank1(sim);
	use_hsi16(sim);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_FSTPG), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_BASE, 0x11111111u), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_BASE + 4, 0x22222222u), 0x80);
	ck_assert_uint_eq(st_write32(sim, FLASH_BASE + 8, 0x33333333u), 0x80);
	ck_assert_uint_eq(debug_sr(sim) & (SR_MISERR | SR_FASTERR | SR_BSY),
			  SR_MISERR | SR_FASTERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 4), 0x22222222u);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 8), 0xFFFFFFFFu);
}
END_TEST

/* ---- PCROP: grow only (RM0351 3.5.2), PCROP_RDP set only (3.7.10) ------- */

static void
write_options(GlintSim *sim, guint32 sr, guint32 er)
{
	guint32 v = 0;
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_PCROP1SR, sr);
	bus_w32(sim, FLASH_PCROP1ER, er);
	bus_w32(sim, FLASH_CR, CR_OPTSTRT);
	ck_assert_uint_eq(flash_wait(sim) & SR_ALL_ERRORS & ~SR_OPTVERR, 0);
	/* OBL_LAUNCH: the new values load (a reset) */
	(void)glint_sim_bus_write(sim, FLASH_CR, 4, CR_OBL_LAUNCH);
	ck_assert(glint_sim_bus_read(sim, FLASH_CR, 4, &v));
}

START_TEST(test_pcrop_grows_but_never_shrinks)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	/* double words 0x100-0x1FF of bank 1 (0x08000800-0x08000FFF) */
	write_options(sim, 0xFFFF0100u, PCROP_RDP | 0x01FFu);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1SR) & 0xFFFF, 0x0100);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1ER) & 0xFFFF, 0x01FF);
	/* cleared: kept */
	write_options(sim, 0xFFFFFFFFu, PCROP_RDP | 0x0000u);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1SR) & 0xFFFF, 0x0100);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1ER) & 0xFFFF, 0x01FF);
	/* shrunk: kept */
	write_options(sim, 0xFFFF0180u, PCROP_RDP | 0x01FFu);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1SR) & 0xFFFF, 0x0100);
	/* grown: taken */
	write_options(sim, 0xFFFF0080u, PCROP_RDP | 0x027Fu);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1SR) & 0xFFFF, 0x0080);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1ER) & 0xFFFF, 0x027F);
}
END_TEST

START_TEST(test_pcrop_rdp_can_only_be_set)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	write_options(sim, 0xFFFFFFFFu, 0x00000000u);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1ER) & PCROP_RDP, PCROP_RDP);
}
END_TEST

static void
set_rdp(GlintSim *sim, guint8 rdp)
{
	guint32 v = 0;
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_OPTR, (OPTR_FACTORY & ~0xFFu) | rdp);
	bus_w32(sim, FLASH_CR, CR_OPTSTRT);
	(void)flash_wait(sim);
	(void)glint_sim_bus_write(sim, FLASH_CR, 4, CR_OBL_LAUNCH);
	ck_assert(glint_sim_bus_read(sim, FLASH_CR, 4, &v));
}

static void
fill(GlintSim *sim, guint32 addr, gsize len, guint8 value)
{
	g_autofree guint8 *buf = g_malloc(len);
	memset(buf, value, len);
	ck_assert(glint_sim_poke(sim, addr, buf, len));
}

/* PCROP_RDP = 1: the regression takes everything, PCROP goes */
START_TEST(test_pcrop_goes_with_regression_when_pcrop_rdp)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	write_options(sim, 0xFFFF0100u, PCROP_RDP | 0x01FFu);
	fill(sim, FLASH_BASE, 0x2000, 0x5A);
	set_rdp(sim, 0xBB);
	set_rdp(sim, 0xAA);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x800), 0xFFFFFFFFu);
	ck_assert_uint_gt(bus_r32(sim, FLASH_PCROP1SR) & 0xFFFF,
			  bus_r32(sim, FLASH_PCROP1ER) & 0xFFFF);
}
END_TEST

/* PCROP_RDP = 0: the pages holding PCROP code stay, and PCROP with them */
START_TEST(test_pcrop_survives_regression_without_pcrop_rdp)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	/* PCROP_RDP is 1 as shipped and cannot be cleared: start from a chip
	 * whose option bytes were made with it at 0 */
	glint_sim_poke(sim, 0x1FFF7810u, (const guint8 *)"\x00\x00\x00\x00\xFF\xFF\xFF\xFF", 8);
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1ER) & PCROP_RDP, 0);
	write_options(sim, 0xFFFF0100u, 0x01FFu);
	fill(sim, FLASH_BASE, 0x2000, 0x5A);
	set_rdp(sim, 0xBB);
	set_rdp(sim, 0xAA);
	/* page 1 (0x08000800) holds the area and stays; pages 0 and 2 go */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x800), 0x5A5A5A5Au);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x1000), 0xFFFFFFFFu);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1SR) & 0xFFFF, 0x0100);
	ck_assert_uint_eq(bus_r32(sim, FLASH_PCROP1ER) & 0xFFFF, 0x01FF);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("l4-fidelity");
	TCase *rdp = tcase_create("rdp1");
	TCase *boot = tcase_create("bfb2");
	TCase *fast = tcase_create("fast");
	TCase *pcrop = tcase_create("pcrop");

	if (argc != 2) {
		fprintf(stderr, "usage: %s l4-snippets.bin\n", argv[0]);
		return 2;
	}
	snippets_path = argv[1];
	tcase_add_test(rdp, test_level0_code_reads_flash);
	tcase_add_test(rdp, test_rdp1_code_cannot_read_flash);
	tcase_add_test(rdp, test_rdp1_code_cannot_program_flash);
	tcase_add_test(rdp, test_rdp1_debugger_write_raises_wrperr);
	tcase_add_test(rdp, test_rdp1_connect_stops_running_firmware);
	tcase_add_test(rdp, test_rdp1_reset_halt_fetches_no_vectors);
	tcase_add_test(rdp, test_rdp1_firmware_waits_for_power_on_reset);
	tcase_add_test(boot, test_bfb2_bootloader_starts_bank2);
	tcase_add_test(boot, test_bfb2_empty_bank2_starts_bank1);
	tcase_add_test(boot, test_bfb2_no_image_stays_in_bootloader);
	tcase_add_test(boot, test_fb_mode_set_by_software);
	tcase_add_test(fast, test_fast_row_in_time);
	tcase_add_test(fast, test_fast_row_late_double_word_miserr);
	tcase_add_test(fast, test_fast_row_slow_clock_fasterr);
	tcase_add_test(fast, test_fast_row_bsy_from_first_dword);
	tcase_add_test(fast, test_fast_row_probe_miserr);
	tcase_add_test(pcrop, test_pcrop_grows_but_never_shrinks);
	tcase_add_test(pcrop, test_pcrop_rdp_can_only_be_set);
	tcase_add_test(pcrop, test_pcrop_goes_with_regression_when_pcrop_rdp);
	tcase_add_test(pcrop, test_pcrop_survives_regression_without_pcrop_rdp);
	suite_add_tcase(s, rdp);
	suite_add_tcase(s, boot);
	suite_add_tcase(s, fast);
	suite_add_tcase(s, pcrop);
	return run_suite(s);
}
