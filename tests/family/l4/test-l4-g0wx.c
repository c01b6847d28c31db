/* The emulated STM32G0, STM32WB and STM32WL against their reference
 * manuals (RM0444, RM0434, RM0453), and Glint on them: what a debugger sees
 * of the G0's Cortex-M0+ (Thumb-1 only), the G0B1's bank bit and page
 * numbers, BSY2 and CFGBSY, the G0's boot selection, empty check and
 * BOOT_LOCK; the WB's CPU1 that may not mass erase and CPU2's secure flash
 * from SFSA; the WL's BOOT_LOCK in FLASH_OPTR and its secure CPU2. Then
 * the driver's side of each: EMPTY cleared after programming, BOOT_LOCK
 * and NRST_MODE behind confirmations, the secure flash refused with its
 * reason. */
#include "sim-test.h"

#include "l4-board.h"

/* Raw debugger accesses (READDEBUGREG/WRITEDEBUGREG through the probe) */
static guint32
dbg_r32(GlintSim *sim, guint32 addr)
{
	guint32 v = 0;
	ck_assert_uint_eq(st_read32(sim, addr, &v), 0x80);
	return v;
}

#define CPUID 0xE000ED00u
#define DWT_CTRL 0xE0001000u
#define FP_CTRL 0xE0002000u
#define FP_COMP0 0xE0002008u
#define DBGKEY 0xA05F0000u
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define S_HALT (1u << 17)
#define S_LOCKUP (1u << 19)

#define SRAM 0x20000000u
#define CODE_AT 0x20001400u
#define DATA_AT 0x20001800u

/* RM0444 3.7: the G0's own bits; RM0434/RM0453: the WB/WL's flash
 * interface */
#define G0_BKER (1u << 13)
#define SR_BSY2 (1u << 17)
#define SR_CFGBSY (1u << 18)
#define FLASH_ACR_R (FLASH_R + 0x00u)
#define ACR_EMPTY (1u << 16)
#define G0_SECR (FLASH_R + 0x80u)
#define SECR_BOOT_LOCK (1u << 16)
#define G0_SYSCFG_CFGR1 0x40010000u
#define MEM_MODE_MASK 0x3u
#define MEM_MODE_SYSFLASH 0x1u
#define WX_R 0x58004000u
#define WX_KEYR (WX_R + 0x08u)
#define WX_OPTKEYR (WX_R + 0x0Cu)
#define WX_SR (WX_R + 0x10u)
#define WX_CR (WX_R + 0x14u)
#define WX_OPTR (WX_R + 0x20u)
#define WX_SFR (WX_R + 0x80u)
#define WL_OPTR_BOOT_LOCK (1u << 30)
#define OPTR_nBOOT1 (1u << 23)
#define OPTR_nSWBOOT0 (1u << 26)
#define OPTR_nBOOT0 (1u << 27)
#define WL_SYSCFG_MEMRMP 0x40010000u

/* READREG / WRITEREG */
static guint32
st_read_reg(GlintSim *sim, guint idx)
{
	guint8 cmd[16] = {0xF2, 0x33, (guint8)idx};
	guint8 r[8] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	ck_assert_uint_eq(r[0], 0x80);
	return st_get32(r + 4);
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

/* Runs the Thumb half-words @code from CODE_AT with r2 = DATA_AT until it
 * halts or locks up; returns DHCSR */
static guint32
run_code(GlintSim *sim, const guint16 *code, guint n)
{
	for (guint i = 0; i < n; i += 2) {
		guint32 w = code[i] | (i + 1 < n ? (guint32)code[i + 1] << 16 : 0xBF00u << 16);
		ck_assert_uint_eq(st_write32(sim, CODE_AT + 2 * i, w), 0x80);
	}
	ck_assert_uint_eq(st_write32(sim, DATA_AT, 0x11223344u), 0x80);
	ck_assert_uint_eq(st_write32(sim, DATA_AT + 4, 0x55667788u), 0x80);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	st_write_reg(sim, 15, CODE_AT);
	st_write_reg(sim, 16, 1u << 24);
	st_write_reg(sim, 13, SRAM + 0x1000u);
	st_write_reg(sim, 2, DATA_AT);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), 0x80);
	glint_sim_advance_time(sim, 1000000);
	return dbg_r32(sim, DHCSR);
}

/* The G0's core is a Cortex-M0+ r0p1 behind a SW-DP 0x0BC11477, with a BPU
 * of 4 comparators and a DWT of 2 (Cortex-M0+ TRM; RM0444 40.5): what
 * OpenOCD reads to count breakpoints and watchpoints */
START_TEST(test_g0_core_is_m0plus)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g071rb");
	guint8 cmd[16] = {0xF2, 0x31};
	guint8 r[12] = {0};
	st_enter_swd(sim);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 12);
	ck_assert_uint_eq(st_get32(r + 4), 0x0BC11477u);
	ck_assert_uint_eq(dbg_r32(sim, CPUID), 0x410CC601u);
	ck_assert_uint_eq((dbg_r32(sim, FP_CTRL) >> 4) & 0xFu, 4);
	ck_assert_uint_eq(dbg_r32(sim, DWT_CTRL) >> 28, 2);
	/* the DBGMCU answers on the APB, not at the Cortex-M4's address */
	ck_assert_uint_eq(dbg_r32(sim, 0x40015800u) & 0xFFFu, 0x460);
}
END_TEST

/* ARMv6-M is Thumb-1 plus a few 32-bit instructions: MULS and REV run, but
 * LDRD (Thumb-2) is undefined and faults the M0+ (the blank chip then
 * locks up), while the L4's Cortex-M4 runs it */
static const guint16 thumb1_code[] = {
    0x2005, /* movs r0, #5 */
    0x4340, /* muls r0, r0 */
    0xBA01, /* rev r1, r0 */
    0xBE00, /* bkpt #0 */
};
static const guint16 thumb2_code[] = {
    0xE9D2, 0x0100, /* ldrd r0, r1, [r2] */
    0xBE00,	    /* bkpt #0 */
};

/* ... the same further into a block: what comes before it runs */
static const guint16 thumb2_later_code[] = {
    0x2001,	    /* movs r0, #1 */
    0xE9D2, 0x0100, /* ldrd r0, r1, [r2] */
    0xBE00,	    /* bkpt #0 */
};

START_TEST(test_g0_runs_thumb1_only)
{
	g_autoptr(GlintSim) g0 = sim_new_ok("nucleo-g031k8");
	g_autoptr(GlintSim) l4 = sim_new_ok("nucleo-l476rg");
	guint32 dhcsr;
	st_enter_swd(g0);
	st_enter_swd(l4);
	dhcsr = run_code(g0, thumb1_code, G_N_ELEMENTS(thumb1_code));
	ck_assert_msg(dhcsr & S_HALT, "DHCSR 0x%08x", dhcsr);
	ck_assert_uint_eq(st_read_reg(g0, 0), 25);
	ck_assert_uint_eq(st_read_reg(g0, 1), 0x19000000u);
	dhcsr = run_code(g0, thumb2_code, G_N_ELEMENTS(thumb2_code));
	ck_assert_msg(dhcsr & S_LOCKUP, "the M0+ ran a Thumb-2 LDRD (DHCSR 0x%08x)", dhcsr);
	dhcsr = run_code(g0, thumb2_later_code, G_N_ELEMENTS(thumb2_later_code));
	ck_assert_msg(dhcsr & S_LOCKUP, "the M0+ ran a Thumb-2 LDRD (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(st_write32(g0, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	ck_assert_uint_eq(st_read_reg(g0, 0), 1);
	dhcsr = run_code(l4, thumb2_code, G_N_ELEMENTS(thumb2_code));
	ck_assert_msg(dhcsr & S_HALT, "DHCSR 0x%08x", dhcsr);
	ck_assert_uint_eq(st_read_reg(l4, 0), 0x11223344u);
	ck_assert_uint_eq(st_read_reg(l4, 1), 0x55667788u);
}
END_TEST

/* An L4's core stays the Cortex-M4 of 6 + 2 FPB and 4 DWT comparators */
START_TEST(test_l4_core_unchanged)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg");
	st_enter_swd(sim);
	ck_assert_uint_eq(dbg_r32(sim, FP_CTRL) & 0xFF0u, 0x260u);
	ck_assert_uint_eq(dbg_r32(sim, DWT_CTRL) >> 28, 4);
}
END_TEST

/* Waits for BSY, BSY2 and CFGBSY; returns SR */
static guint32
g0_wait(GlintSim *sim, guint32 sr_addr)
{
	for (int i = 0; i < 100000; i++) {
		guint32 sr = bus_r32(sim, sr_addr);
		if (!(sr & (SR_BSY | SR_BSY2 | SR_CFGBSY)))
			return sr;
		glint_sim_advance_time(sim, 100000);
	}
	ck_abort_msg("the flash stayed busy");
	return 0;
}

static void
mark(GlintSim *sim, guint32 addr)
{
	static const guint8 zero[8] = {0};
	ck_assert(glint_sim_poke(sim, addr, zero, sizeof(zero)));
}

static void
g0_erase(GlintSim *sim, guint32 cr)
{
	bus_w32(sim, FLASH_CR, cr);
	bus_w32(sim, FLASH_CR, cr | CR_STRT);
}

/* RM0444 3.3.1 numbers the G0B1's bank-2 pages from 256 and BKER (bit 13)
 * picks the bank; ST's HAL counts them from 0 with BKER, which silicon
 * takes too. Bank 2's erase shows BSY2, not BSY (RM0444 3.7.5). */
START_TEST(test_g0b1_bank2_pages)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g0b1re");
	guint32 b1p3 = FLASH_BASE + 3 * 2048, b2p3 = FLASH_BASE + 0x40000 + 3 * 2048;
	guint32 sr;
	mark(sim, b1p3);
	mark(sim, b2p3);
	flash_unlock(sim);
	g0_erase(sim, CR_PER | CR_PNB(256 + 3) | G0_BKER);
	sr = bus_r32(sim, FLASH_SR);
	ck_assert_msg((sr & SR_BSY2) && !(sr & SR_BSY), "SR 0x%08x", sr);
	ck_assert_uint_eq(g0_wait(sim, FLASH_SR) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, b2p3), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, b1p3), 0);
	/* the HAL's numbering */
	mark(sim, b2p3);
	g0_erase(sim, CR_PER | CR_PNB(3) | G0_BKER);
	ck_assert_uint_eq(g0_wait(sim, FLASH_SR) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, b2p3), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, b1p3), 0);
	/* without BKER: bank 1, with BSY */
	g0_erase(sim, CR_PER | CR_PNB(3));
	ck_assert(bus_r32(sim, FLASH_SR) & SR_BSY);
	ck_assert_uint_eq(g0_wait(sim, FLASH_SR) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, b1p3), 0xFFFFFFFFu);
	/* a page past bank 2: PGSERR, nothing erased */
	g0_erase(sim, CR_PER | CR_PNB(256 + 128) | G0_BKER);
	ck_assert(g0_wait(sim, FLASH_SR) & SR_PGSERR);
}
END_TEST

/* RM0444 3.7.5: CFGBSY from the first word of a double word until it is
 * programmed */
START_TEST(test_g0_cfgbsy)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g071rb");
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	bus_w32(sim, FLASH_BASE, 0x12345678u);
	ck_assert(bus_r32(sim, FLASH_SR) & SR_CFGBSY);
	bus_w32(sim, FLASH_BASE + 4, 0x9ABCDEF0u);
	ck_assert_uint_eq(g0_wait(sim, FLASH_SR) & SR_ALL_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 4), 0x9ABCDEF0u);
}
END_TEST

/* RM0444 2.5: main flash read as erased at the option load (EMPTY) sends
 * a main-flash boot to the bootloader; the bit stays until written 0 (or
 * the next load) */
START_TEST(test_g0_empty_check_boot)
{
	g_autoptr(GlintSim) fresh = sim_new_ok("nucleo-g071rb");
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g071rb:empty-after-program");
	ck_assert(bus_r32(fresh, FLASH_ACR_R) & ACR_EMPTY);
	ck_assert_uint_eq(bus_r32(fresh, G0_SYSCFG_CFGR1) & MEM_MODE_MASK, MEM_MODE_SYSFLASH);
	/* a firmware written, EMPTY still set: the reset still starts the
	 * bootloader */
	ck_assert_uint_ne(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
	ck_assert(bus_r32(sim, FLASH_ACR_R) & ACR_EMPTY);
	ck_assert_uint_eq(bus_r32(sim, G0_SYSCFG_CFGR1) & MEM_MODE_MASK, MEM_MODE_SYSFLASH);
	bus_w32(sim, FLASH_ACR_R, bus_r32(sim, FLASH_ACR_R) & ~ACR_EMPTY);
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	ck_assert_uint_eq(bus_r32(sim, G0_SYSCFG_CFGR1) & MEM_MODE_MASK, 0);
	/* a power cycle loads the options again: flash holds data, EMPTY 0 */
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq(bus_r32(sim, FLASH_ACR_R) & ACR_EMPTY, 0);
}
END_TEST

/* OPTSTRT, then OBL_LAUNCH, on the flash interface at @regs */
static void
option_load(GlintSim *sim, guint32 regs)
{
	bus_w32(sim, regs + 0x14u, CR_OPTSTRT);
	ck_assert_uint_eq(g0_wait(sim, regs + 0x10u) & SR_ALL_ERRORS, 0);
	(void)glint_sim_bus_write(sim, regs + 0x14u, 4, CR_OBL_LAUNCH);
}

/* RM0444 3.4.1 (FLASH_SECR): BOOT_LOCK stays set through an option write
 * that clears it, and goes with an RDP 1 -> 0 regression (recalled) */
START_TEST(test_g0_boot_lock_sticks)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-g071rb:boot-lock");
	ck_assert(bus_r32(sim, G0_SECR) & SECR_BOOT_LOCK);
	flash_opt_unlock(sim);
	bus_w32(sim, G0_SECR, 0);
	option_load(sim, FLASH_R);
	ck_assert(bus_r32(sim, G0_SECR) & SECR_BOOT_LOCK);
	/* level 1, then back to 0 with BOOT_LOCK clear */
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_OPTR, (bus_r32(sim, FLASH_OPTR) & ~0xFFu) | 0xBBu);
	option_load(sim, FLASH_R);
	flash_opt_unlock(sim);
	bus_w32(sim, G0_SECR, 0);
	bus_w32(sim, FLASH_OPTR, (bus_r32(sim, FLASH_OPTR) & ~0xFFu) | 0xAAu);
	option_load(sim, FLASH_R);
	ck_assert_uint_eq(bus_r32(sim, G0_SECR) & SECR_BOOT_LOCK, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
}
END_TEST

/* RM0434 3.3.7: "a flash memory mass erase by the CPU1 is ignored and a
 * bus error is generated" */
START_TEST(test_wb_mass_erase_bus_error)
{
	g_autoptr(GlintSim) sim = sim_new_ok("p-nucleo-wb55");
	GlintSimStats stats;
	mark(sim, FLASH_BASE);
	bus_w32(sim, WX_KEYR, 0x45670123u);
	bus_w32(sim, WX_KEYR, 0xCDEF89ABu);
	bus_w32(sim, WX_CR, CR_MER1);
	ck_assert(!glint_sim_bus_write(sim, WX_CR, 4, CR_MER1 | CR_STRT));
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0);
	glint_sim_get_stats(sim, &stats);
	ck_assert_uint_eq(stats.mass_erases, 0);
}
END_TEST

/* ES0394 2.2.9: the WB55 sets OPTVERR after every reset, its option
 * bytes fine; Glint programs anyway and calls it a leftover, not a failed
 * load */
START_TEST(test_wb_optverr_after_reset)
{
	Board *b = board_new("p-nucleo-wb55");
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GBytes) data = random_bytes(4096, 15);
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GError) error = NULL;
	GlintFinding *f;
	ck_assert(bus_r32(b->sim, WX_SR) & SR_OPTVERR);
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "optverr");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, GLINT_SEVERITY_WARNING);
	image = image_at(FLASH_BASE, data);
	ck_assert_msg(board_program(b, image, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(st_write32(b->sim, AIRCR, 0x05FA0004u), 0x80);
	ck_assert(bus_r32(b->sim, WX_SR) & SR_OPTVERR);
	board_free(b);
}
END_TEST

/* RM0434 3.3.2: CPU2's secure flash from SFSA (0xF4 with the FUS alone;
 * 0xCB with a BLE stack) reads as zeros to CPU1 and the debugger, and a
 * page erase of it from CPU1 is a bus error that erases nothing */
START_TEST(test_wb_secure_flash)
{
	g_autoptr(GlintSim) sim = sim_new_ok("p-nucleo-wb55:wb55-with-stack");
	GlintSimStats stats;
	ck_assert_uint_eq(bus_r32(sim, WX_SFR) & 0x1FFu, 0xCB);
	ck_assert_uint_eq(bus_r32(sim, FLASH_BASE + 0xCB * 4096), 0);
	ck_assert_uint_eq(bus_r32(sim, FLASH_BASE + 0xFF * 4096 + 16), 0);
	ck_assert_uint_ne(bus_r32(sim, FLASH_BASE), 0);
	bus_w32(sim, WX_KEYR, 0x45670123u);
	bus_w32(sim, WX_KEYR, 0xCDEF89ABu);
	bus_w32(sim, WX_CR, CR_PER | CR_PNB(0xCB));
	ck_assert(!glint_sim_bus_write(sim, WX_CR, 4, CR_PER | CR_PNB(0xCB) | CR_STRT));
	/* the page below it erases */
	bus_w32(sim, WX_CR, CR_PER | CR_PNB(0xCA));
	bus_w32(sim, WX_CR, CR_PER | CR_PNB(0xCA) | CR_STRT);
	/* (OPTVERR is the WB's reset leftover, ES0394 2.2.9) */
	ck_assert_uint_eq(g0_wait(sim, WX_SR) & SR_ALL_ERRORS & ~SR_OPTVERR, 0);
	glint_sim_get_stats(sim, &stats);
	ck_assert_uint_eq(stats.pages_erased, 1);
	/* CPU1's writes to FLASH_SFR are ignored (CPU2's register) */
	bus_w32(sim, WX_OPTKEYR, 0x08192A3Bu);
	bus_w32(sim, WX_OPTKEYR, 0x4C5D6E7Fu);
	bus_w32(sim, WX_SFR, 0xFFFFFFFFu);
	ck_assert_uint_eq(bus_r32(sim, WX_SFR) & 0x1FFu, 0xCB);
}
END_TEST

/* RM0453 4.10.8: BOOT_LOCK (FLASH_OPTR bit 30) makes CPU1 boot main flash
 * whatever BOOT0 says: with BOOT0 high by option (nSWBOOT0 = 0, nBOOT0 =
 * 0) the WL starts its bootloader, with BOOT_LOCK its flash */
START_TEST(test_wl_boot_lock)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-wl55jc");
	guint32 optr = bus_r32(sim, WX_OPTR);
	bus_w32(sim, WX_KEYR, 0x45670123u);
	bus_w32(sim, WX_KEYR, 0xCDEF89ABu);
	bus_w32(sim, WX_OPTKEYR, 0x08192A3Bu);
	bus_w32(sim, WX_OPTKEYR, 0x4C5D6E7Fu);
	optr = (optr & ~(OPTR_nSWBOOT0 | OPTR_nBOOT0)) | OPTR_nBOOT1;
	bus_w32(sim, WX_OPTR, optr);
	option_load(sim, WX_R);
	ck_assert_uint_eq(bus_r32(sim, WL_SYSCFG_MEMRMP) & 0x7u, 1);
	bus_w32(sim, WX_KEYR, 0x45670123u);
	bus_w32(sim, WX_KEYR, 0xCDEF89ABu);
	bus_w32(sim, WX_OPTKEYR, 0x08192A3Bu);
	bus_w32(sim, WX_OPTKEYR, 0x4C5D6E7Fu);
	bus_w32(sim, WX_OPTR, optr | WL_OPTR_BOOT_LOCK);
	option_load(sim, WX_R);
	ck_assert_uint_eq(bus_r32(sim, WL_SYSCFG_MEMRMP) & 0x7u, 0);
}
END_TEST

/* Glint's side ------------------------------------------------------------ */

static GlintImage *
small_image(void)
{
	g_autoptr(GBytes) data = random_bytes(4096, 11);
	return image_at(FLASH_BASE, data);
}

/* A fresh G0 found its flash erased at power-on (EMPTY): after Glint
 * programs it, EMPTY is clear and a reset starts the firmware, not the
 * bootloader */
START_TEST(test_g0_program_clears_empty)
{
	Board *b = board_new("nucleo-g071rb");
	g_autoptr(GlintImage) image = small_image();
	g_autoptr(GError) error = NULL;
	ck_assert(bus_r32(b->sim, FLASH_ACR_R) & ACR_EMPTY);
	ck_assert_msg(board_program(b, image, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(bus_r32(b->sim, FLASH_ACR_R) & ACR_EMPTY, 0);
	ck_assert_uint_eq(st_write32(b->sim, AIRCR, 0x05FA0004u), 0x80);
	ck_assert_uint_eq(bus_r32(b->sim, G0_SYSCFG_CFGR1) & MEM_MODE_MASK, 0);
	board_free(b);
}
END_TEST

START_TEST(test_g0_empty_diagnosed_and_fixed)
{
	Board *b = board_new("nucleo-g071rb:empty-after-program");
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GError) error = NULL;
	GlintFinding *f;
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(findings);
	f = find_finding(findings, "flash-empty-flag");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_CLEAR_FLAGS);
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_CLEAR_FLAGS, GLINT_CONFIRM_NONE,
					  NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(bus_r32(b->sim, FLASH_ACR_R) & ACR_EMPTY, 0);
	g_ptr_array_unref(findings);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_null(find_finding(findings, "flash-empty-flag"));
	board_free(b);
}
END_TEST

/* BOOT_LOCK is permanent in all but an RDP regression: setting it needs
 * the permanent-lock confirmation, clearing it alone is refused by name */
START_TEST(test_g0_boot_lock_confirmations)
{
	Board *b = board_new("nucleo-g031k8");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	ck_assert(!board_write_options(b, "BOOT_LOCK=1", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(board_write_options(b, "BOOT_LOCK=1", GLINT_CONFIRM_PERMANENT_LOCK, &error),
		      "%s", error ? error->message : "");
	ck_assert(bus_r32(b->sim, G0_SECR) & SECR_BOOT_LOCK);
	ck_assert(!board_write_options(b, "BOOT_LOCK=0", GLINT_CONFIRM_PERMANENT_LOCK, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_ptr_nonnull(strstr(error->message, "RDP"));
	g_clear_error(&error);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "boot-lock"));
	board_free(b);
}
END_TEST

/* NRST_MODE = GPIO can lock the debugger out: a risky change, then a
 * finding */
START_TEST(test_g0_nrst_gpio)
{
	Board *b = board_new("nucleo-g071rb");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	ck_assert(!board_write_options(b, "NRST_MODE=2", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(!board_write_options(b, "NRST_MODE=0", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	g_clear_error(&error);
	ck_assert_msg(board_write_options(b, "NRST_MODE=2", GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "nrst-gpio"));
	board_free(b);
}
END_TEST

/* The G0B1 with nSWAP_BANK = 0: bank 2 first, said so; erasing bank 1 by
 * its physical number leaves what answers at 0x08000000 */
START_TEST(test_g0b1_swapped_banks)
{
	Board *b = board_new("nucleo-g0b1re:g0b1-swap-bank");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GlintProgress) p = board_progress(b);
	GlintFinding *f;
	ck_assert(g->banks_swapped);
	ck_assert_uint_eq(g->banks[0].physical, 1);
	ck_assert_uint_eq(g->banks[0].first_number, 256);
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "banks-swapped");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "nSWAP_BANK"));
	ck_assert_uint_ne(glint_sim_peek32(b->sim, FLASH_BASE), 0xFFFFFFFFu);
	ck_assert_msg(
	    glint_job_erase_bank(b->session, 0, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error), "%s",
	    error ? error->message : "");
	ck_assert_uint_ne(glint_sim_peek32(b->sim, FLASH_BASE), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_BASE + 0x40000), 0xFFFFFFFFu);
	board_free(b);
}
END_TEST

/* The WB with a BLE stack: programming its pages is refused before the
 * chip is touched, naming CPU2; FLASH_SFR cannot be edited; the rest of the
 * options can, and SFR stays */
START_TEST(test_wb_stack_refused_with_reason)
{
	Board *b = board_new("p-nucleo-wb55:wb55-with-stack");
	g_autoptr(GBytes) data = random_bytes(4096, 12);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0xCB * 4096, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintSimStats before, after;
	guint32 sfsa = 0;
	glint_sim_get_stats(b->sim, &before);
	ck_assert(!board_program(b, image, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "CPU2"));
	ck_assert_ptr_nonnull(strstr(error->message, "0x080CB000"));
	g_clear_error(&error);
	glint_sim_get_stats(b->sim, &after);
	ck_assert_uint_eq(after.pages_erased, before.pages_erased);
	ck_assert(!board_write_options(b, "SECURE=off", GLINT_CONFIRM_PERMANENT_LOCK, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "FUS"));
	g_clear_error(&error);
	ck_assert(!board_write_options(b, "SFR=0xFFFFFFFF", GLINT_CONFIRM_PERMANENT_LOCK, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "CPU2"));
	g_clear_error(&error);
	ck_assert_msg(board_write_options(b, "BOR_LEV=1", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_option_bytes_get_named(&board_info(b)->options, "FSD", &sfsa));
	ck_assert_uint_eq(sfsa, 0);
	ck_assert_uint_eq(board_info(b)->options.regs[8] & 0xFFu, 0xCB);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "secure-area"));
	board_free(b);
}
END_TEST

/* The WL with a secure CPU2: no mass erase from CPU1 while the area is
 * there (the driver says why before the chip refuses), its pages refused */
START_TEST(test_wl_secure_cpu2)
{
	Board *b = board_new("nucleo-wl55jc:wl55-secure-cpu2");
	g_autoptr(GlintProgress) p = board_progress(b);
	g_autoptr(GError) error = NULL;
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "0x08038000"));
	ck_assert_uint_ne(glint_sim_peek32(b->sim, FLASH_BASE), 0xFFFFFFFFu);
	g_clear_error(&error);
	ck_assert(!glint_job_erase_range(b->session, 0x08038000u, 2048, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	board_free(b);
}
END_TEST

/* The G0's Thumb-1 loader: a whole G031 goes in 256-byte fast rows after a
 * mass erase; a double word programmed over data (--no-erase) fails in the
 * loader with PROGERR, which reaches the user as "not erased" at its
 * address, and the job does not fall back to direct programming */
START_TEST(test_g0_loader_rows_and_errors)
{
	Board *b = board_new("nucleo-g031k8");
	g_autoptr(GBytes) whole = random_bytes(64 * 1024, 13);
	g_autoptr(GBytes) other = random_bytes(4096, 14);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, whole);
	g_autoptr(GlintImage) again = image_at(FLASH_BASE + 8192, other);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions no_erase = {.no_erase = TRUE};
	GlintJobResult result = {0};
	ck_assert_msg(board_program(b, image, NULL, &result, &error), "%s",
		      error ? error->message : "");
	ck_assert(result.loader_used);
	ck_assert(result.fast_programmed);
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, whole));
	glint_job_result_clear(&result);
	ck_assert(!board_program(b, again, &no_erase, &result, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "PROGERR"));
	ck_assert_ptr_nonnull(strstr(error->message, "0x08002000"));
	ck_assert(!board_log_contains(b, "programming directly"));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* Notes the highest MSI range seen between probe commands */
static gboolean
note_msi_range(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	guint *max = user_data;
	guint range = (glint_sim_peek32(sim, 0x58000000u) >> 4) & 0xFu;
	*max = MAX(*max, range);
	return TRUE;
}

/* The WB's and WL's loader raises MSI to 16 MHz (two wait states first)
 * for long CRCs and fast rows, and puts both back: the WL programs a whole
 * chip in fast rows; the WB (no fast rows for CPU1) only verifies faster */
START_TEST(test_wx_loader_clock)
{
	const char *boards[] = {"p-nucleo-wb55", "nucleo-wl55jc"};
	for (guint i = 0; i < G_N_ELEMENTS(boards); i++) {
		Board *b = board_new(boards[i]);
		gboolean wl = i == 1;
		g_autoptr(GBytes) data = random_bytes(wl ? 256 * 1024 : 128 * 1024, 16);
		g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
		g_autoptr(GError) error = NULL;
		GlintJobResult result = {0};
		guint max_range = 0;
		glint_sim_set_command_hook(b->sim, note_msi_range, &max_range);
		ck_assert_msg(board_program(b, image, NULL, &result, &error), "%s: %s", boards[i],
			      error ? error->message : "");
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		ck_assert(result.loader_used);
		ck_assert_int_eq(result.fast_programmed, wl);
		ck_assert_uint_eq(max_range, 8);
		/* MSI range 6 (4 MHz) and no wait state again */
		ck_assert_uint_eq((bus_r32(b->sim, 0x58000000u) >> 4) & 0xFu, 6);
		ck_assert_uint_eq(bus_r32(b->sim, WX_R) & 0x7u, 0);
		glint_job_result_clear(&result);
		board_free(b);
	}
}
END_TEST

typedef struct {
	guint32 max_hclk;
	guint32 latency_at_max;
} G0ClockSeen;

static gboolean
note_g0_clock(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	G0ClockSeen *seen = user_data;
	guint32 hclk = glint_sim_get_hclk_hz(sim);
	(void)cmd;
	if (hclk > seen->max_hclk) {
		seen->max_hclk = hclk;
		seen->latency_at_max = bus_r32(sim, 0x40022000u) & 0x7u;
	}
	return TRUE;
}

/* The G0's loader runs from the PLL at 64 MHz while it works (two wait
 * states set first) and leaves HSI16, RCC_PLLCFGR and FLASH_ACR as it
 * found them; with the regulator in range 2 it leaves the clock alone */
START_TEST(test_g0_loader_clock)
{
	for (guint range2 = 0; range2 < 2; range2++) {
		Board *b = board_new("nucleo-g031k8");
		g_autoptr(GBytes) data = random_bytes(16 * 1024, 17);
		g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
		g_autoptr(GError) error = NULL;
		GlintJobResult result = {0};
		G0ClockSeen seen = {0};
		guint32 pllcfgr = bus_r32(b->sim, 0x4002100Cu);
		guint32 acr = bus_r32(b->sim, 0x40022000u);
		if (range2)
			ck_assert(glint_sim_bus_write(b->sim, 0x40007000u, 4, 0x00000408u));
		ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), 16000000u);
		glint_sim_set_command_hook(b->sim, note_g0_clock, &seen);
		ck_assert_msg(board_program(b, image, NULL, &result, &error), "%s",
			      error ? error->message : "");
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		ck_assert(result.loader_used);
		ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
		ck_assert_uint_eq(seen.max_hclk, (range2 ? 16000000u : 64000000u));
		if (!range2)
			ck_assert_uint_eq(seen.latency_at_max, 2);
		ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), 16000000u);
		ck_assert_uint_eq(bus_r32(b->sim, 0x4002100Cu), pllcfgr);
		ck_assert_uint_eq(bus_r32(b->sim, 0x40021000u) & (1u << 24), 0); /* PLLON */
		ck_assert_uint_eq(bus_r32(b->sim, 0x40022000u) & 0x7u, acr & 0x7u);
		glint_job_result_clear(&result);
		board_free(b);
	}
}
END_TEST

/* Counts one-word debug reads (READDEBUG32) of FLASH_OPTR..FLASH_WRP1BR */
static gboolean
count_option_word_reads(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	guint *n = user_data;
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	(void)sim;
	if (cmd[0] == 0xF2 && cmd[1] == 0x36 && addr >= 0x40022020u && addr <= 0x40022038u)
		(*n)++;
	return TRUE;
}

/* Connecting reads the adjacent option registers in one memory read, not
 * word by word (four probe commands fewer on a G0, 2 ms at full speed),
 * and still gets their values */
START_TEST(test_options_read_in_one_go)
{
	g_autoptr(GError) error = NULL;
	GlintOptionBytes ob;
	Board *b = board_new_unconnected("nucleo-g031k8");
	guint word_reads = 0;
	glint_sim_set_command_hook(b->sim, count_option_word_reads, &word_reads);
	ck_assert_msg(board_connect(b, FALSE, &error), "%s", error ? error->message : "");
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert_uint_eq(word_reads, 0);
	ck_assert_msg(glint_job_read_options(b->session, &ob, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(ob.regs[0], bus_r32(b->sim, 0x40022020u));
	ck_assert_uint_eq(ob.regs[3], bus_r32(b->sim, 0x4002202Cu));
	board_free(b);
}
END_TEST

/* The chips of the family that no emulated board carries: each identified
 * by its device id with its core, largest flash and pages (RM0444 3.3.1:
 * 2 KB; RM0434 3.3.1: 4 KB on the WB5x/WB3x; RM0473 3.3.1: 2 KB on the
 * WB1x; RM0453 3.3.1: 2 KB on the WL) and its own option fields */
START_TEST(test_chips_without_a_board)
{
	static const struct {
		guint16 dev_id;
		const char *name;
		const char *core;
		guint32 flash_kb;
		guint32 page_size;
		guint n_banks;
		const char *own_field;
		const char *absent_field;
	} chips[] = {
	    {0x466, "STM32G03x/G04x", "Cortex-M0+", 64, 2048, 1, "nBOOT_SEL", "DUAL_BANK"},
	    {0x456, "STM32G05x/G06x", "Cortex-M0+", 64, 2048, 1, "NRST_MODE", "nSWAP_BANK"},
	    {0x460, "STM32G07x/G08x", "Cortex-M0+", 128, 2048, 1, "BORF_LEV", "DUAL_BANK"},
	    {0x467, "STM32G0Bx/G0Cx", "Cortex-M0+", 512, 2048, 2, "nSWAP_BANK", "BFB2"},
	    {0x495, "STM32WB5x", "Cortex-M4", 1024, 4096, 1, "SBRV", "BOOT_LOCK"},
	    {0x496, "STM32WB3x", "Cortex-M4", 512, 4096, 1, "SNBRSA", "BOOT_LOCK"},
	    {0x494, "STM32WB1x", "Cortex-M4", 320, 2048, 1, "IPCCDBA", "BOOT_LOCK"},
	    {0x497, "STM32WL5x/WLEx", "Cortex-M4", 256, 2048, 1, "C2BOOT_LOCK", "AGC_TRIM"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(chips); i++) {
		const GlintChip *chip = glint_chip_lookup(chips[i].dev_id);
		GlintFlashGeometry g;
		ck_assert_msg(chip != NULL, "0x%03x not identified", chips[i].dev_id);
		ck_assert_str_eq(chip->name, chips[i].name);
		ck_assert_str_eq(chip->family->id, "l4");
		ck_assert_str_eq(chip->core, chips[i].core);
		ck_assert_uint_eq(chip->flash_kb_max, chips[i].flash_kb);
		glint_chip_default_geometry(chip, 0, NULL, &g);
		ck_assert_uint_eq(g.size, chips[i].flash_kb * 1024u);
		ck_assert_uint_eq(g.n_banks, chips[i].n_banks);
		ck_assert_msg(g.banks[0].runs[0].size == chips[i].page_size, "%s: %u-byte pages",
			      chip->name, g.banks[0].runs[0].size);
		ck_assert_uint_eq(g.n_units, chips[i].flash_kb * 1024u / chips[i].page_size);
		ck_assert_uint_eq(g.program_unit, 8);
		ck_assert_ptr_nonnull(
		    glint_option_layout_find_field(chip->options, chips[i].own_field));
		ck_assert_ptr_null(
		    glint_option_layout_find_field(chip->options, chips[i].absent_field));
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l4-g0wx");
	TCase *tc = tcase_create("emulator");
	TCase *glint = tcase_create("glint");
	tcase_add_test(tc, test_g0_core_is_m0plus);
	tcase_add_test(tc, test_g0_runs_thumb1_only);
	tcase_add_test(tc, test_l4_core_unchanged);
	tcase_add_test(tc, test_g0b1_bank2_pages);
	tcase_add_test(tc, test_g0_cfgbsy);
	tcase_add_test(tc, test_g0_empty_check_boot);
	tcase_add_test(tc, test_g0_boot_lock_sticks);
	tcase_add_test(tc, test_wb_mass_erase_bus_error);
	tcase_add_test(tc, test_wb_secure_flash);
	tcase_add_test(tc, test_wl_boot_lock);
	suite_add_tcase(s, tc);
	tcase_add_test(glint, test_chips_without_a_board);
	tcase_add_test(glint, test_g0_loader_rows_and_errors);
	tcase_add_test(glint, test_g0_loader_clock);
	tcase_add_test(glint, test_options_read_in_one_go);
	tcase_add_test(glint, test_g0_program_clears_empty);
	tcase_add_test(glint, test_g0_empty_diagnosed_and_fixed);
	tcase_add_test(glint, test_g0_boot_lock_confirmations);
	tcase_add_test(glint, test_g0_nrst_gpio);
	tcase_add_test(glint, test_g0b1_swapped_banks);
	tcase_add_test(glint, test_wb_stack_refused_with_reason);
	tcase_add_test(glint, test_wb_optverr_after_reset);
	tcase_add_test(glint, test_wx_loader_clock);
	tcase_add_test(glint, test_wl_secure_cpu2);
	suite_add_tcase(s, glint);
	return run_suite(s);
}
