/* The emulated Cortex-M4 core: code built from tests/sim/firmware/ with
 * arm-none-eabi-gcc runs on the emulator in virtual time. A GPIO-toggling
 * firmware started by a reset runs at the rate HCLK allows; BKPT, FPB
 * comparators, WFI and faults stop the core as DHCSR/DFSR/CFSR say; core
 * registers round-trip through the ST-LINK commands and reach the code; a
 * BSY-polling flash loop programs correctly in the datasheet time; the CRC
 * unit gives the catalogue check values in every configuration.
 *
 * argv[1]: blinky.bin (linked at 0x08000000); argv[2]: snippets.bin (linked
 * at 0x20000000, position independent apart from its entry table);
 * argv[3]: systick.bin (linked at 0x08000000). */
#include <math.h>
#include <stdio.h>

#include "sim-test.h"

#define SRAM_BASE 0x20000000u
#define SRAM2_BASE 0x10000000u
#define DATA_ADDR 0x20004000u
#define RCC_CR 0x40021000u
#define RCC_CFGR 0x40021008u
#define RCC_PLLCFGR 0x4002100Cu
#define RCC_AHB1ENR 0x40021048u
#define RCC_AHB1ENR_CRCEN (1u << 12)
#define CRC_R 0x40023000u
#define CRC_INIT (CRC_R + 0x10u)
#define CRC_POL (CRC_R + 0x14u)
#define ICSR 0xE000ED04u
#define ICSR_VECTACTIVE 0x1FFu
#define CFSR 0xE000ED28u
#define HFSR 0xE000ED2Cu
#define FP_CTRL 0xE0002000u
#define FP_COMP0 0xE0002008u

#define DBGKEY 0xA05F0000u
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define S_HALT (1u << 17)
#define S_SLEEP (1u << 18)
#define S_LOCKUP (1u << 19)
#define S_RESET_ST (1u << 25)
#define DFSR_HALTED (1u << 0)
#define DFSR_BKPT (1u << 1)
#define CFSR_UNDEFINSTR (1u << 16)
#define HFSR_FORCED (1u << 30)
#define XPSR_T (1u << 24)

/* ST-LINK register indices (READREG/WRITEREG) */
#define REG_R0 0u
#define REG_SP 13u
#define REG_LR 14u
#define REG_PC 15u
#define REG_XPSR 16u
#define REG_MSP 17u
#define REG_PSP 18u
#define REG_SPECIAL 20u /* CONTROL, FAULTMASK, BASEPRI, PRIMASK */
#define REG_FPSCR 0x21u
#define REG_S0 0x40u

/* Entry points in the table at the start of snippets.bin */
enum {
	SNIP_BKPT,
	SNIP_REGS,
	SNIP_FLASH_PROGRAM,
	SNIP_CRC_FEED,
	SNIP_FPB,
	SNIP_FPB_HERE,
	SNIP_WFI,
	SNIP_UDF,
	SNIP_COUNT_LOOP,
	SNIP_SELF_RESET,
};

#define FLASH_DOUBLE_WORD_NS 81690 /* DS10198 typical, as the emulator models it */

static const char *blinky_path;
static const char *snippets_path;
static const char *systick_path;

static GBytes *
load_file(const char *path)
{
	gchar *data = NULL;
	gsize len = 0;
	GError *error = NULL;
	ck_assert_msg(g_file_get_contents(path, &data, &len, &error), "%s: %s", path,
		      error != NULL ? error->message : "?");
	return g_bytes_new_take(data, len);
}

/* Copy a firmware file to @addr through the back door */
static void
load_at(GlintSim *sim, const char *path, guint32 addr)
{
	g_autoptr(GBytes) bytes = load_file(path);
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(bytes, &len);
	ck_assert(glint_sim_poke(sim, addr, p, len));
}

/* Address of snippet @idx when the snippets are loaded at @base */
static guint32
snippet(GlintSim *sim, guint idx, guint32 base)
{
	guint32 linked = glint_sim_peek32(sim, base + 4 * idx) & ~1u;
	return linked - SRAM_BASE + base;
}

static guint8
st_write_reg(GlintSim *sim, guint idx, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x34, (guint8)idx};
	guint8 r[2] = {0};
	st_put32(cmd + 3, v);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	return r[0];
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
st_simple(GlintSim *sim, guint8 sub)
{
	guint8 cmd[16] = {0xF2, sub};
	guint8 r[2] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x80);
}

static void
st_halt(GlintSim *sim)
{
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
}

static guint32
dhcsr(GlintSim *sim)
{
	return glint_sim_peek32(sim, DHCSR);
}

/* A board in debug mode with the core halted and DFSR clear */
static GlintSim *
board_halted(const char *scenario)
{
	GlintSim *sim = sim_new_ok(scenario);
	st_enter_swd(sim);
	st_halt(sim);
	ck_assert(dhcsr(sim) & S_HALT);
	ck_assert_uint_eq(st_write32(sim, DFSR, 0x1F), 0x80);
	return sim;
}

/* PC at @pc in Thumb state, then RUNCORE; returns the device time at which
 * the core started */
static gint64
run_from(GlintSim *sim, guint32 pc)
{
	gint64 t;
	ck_assert_uint_eq(st_write_reg(sim, REG_PC, pc), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_XPSR, XPSR_T), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_MSP, SRAM_BASE + 0x8000u), 0x80);
	t = glint_sim_get_time_ns(sim);
	st_simple(sim, 0x09);
	return t;
}

/* Poll DHCSR through the probe (each poll is virtual time) until halted */
static void
wait_halted(GlintSim *sim)
{
	guint32 v = 0;
	for (guint i = 0; i < 10000; i++) {
		ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
		if (v & S_HALT)
			return;
	}
	ck_abort_msg("core never halted (DHCSR 0x%08x, PC unknown)", v);
}

/* A firmware started by a reset toggles its LED at the rate HCLK gives */
START_TEST(test_blinky_runs_after_reset)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	guint64 t1, t2, t3;
	load_at(sim, blinky_path, FLASH_BASE);
	st_enter_swd(sim);
	/* reset and run: no halt requested, the core starts from the vectors */
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 4000000u);
	ck_assert_uint_eq(glint_sim_get_gpio_toggles(sim, 0, 5), 0);
	glint_sim_advance_time(sim, 10 * 1000000);
	t1 = glint_sim_get_gpio_toggles(sim, 0, 5);
	/* about 1000 cycles per level at 4 MHz: ~40 toggles in 10 ms */
	ck_assert_msg(t1 >= 36 && t1 <= 44, "%" G_GUINT64_FORMAT " toggles in 10 ms", t1);
	glint_sim_advance_time(sim, 10 * 1000000);
	t2 = glint_sim_get_gpio_toggles(sim, 0, 5);
	ck_assert_msg(t2 - t1 >= 36 && t2 - t1 <= 44,
		      "%" G_GUINT64_FORMAT " then %" G_GUINT64_FORMAT, t1, t2);
	/* MSI range 8 (16 MHz): four times the rate */
	bus_w32(sim, RCC_CR, 0x00000089u);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 16000000u);
	glint_sim_advance_time(sim, 10 * 1000000);
	t3 = glint_sim_get_gpio_toggles(sim, 0, 5);
	ck_assert_msg(t3 - t2 >= 150 && t3 - t2 <= 170, "%" G_GUINT64_FORMAT " at 16 MHz", t3 - t2);
	/* the probe polling also moves time, and the core with it */
	for (guint i = 0; i < 20; i++)
		(void)st_read32(sim, DHCSR, NULL);
	ck_assert(glint_sim_get_gpio_toggles(sim, 0, 5) > t3);
	ck_assert(!(dhcsr(sim) & (S_HALT | S_LOCKUP)));
}
END_TEST

/* A firmware paced by the SysTick interrupt, sleeping in WFI between
 * ticks: the handler runs once per millisecond and returns to the loop */
START_TEST(test_systick_interrupt_firmware)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	guint64 t1, t2;
	guint32 ticks, v = 0;
	load_at(sim, systick_path, FLASH_BASE);
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	glint_sim_advance_time(sim, 100 * 1000000);
	t1 = glint_sim_get_gpio_toggles(sim, 0, 5);
	ticks = glint_sim_peek32(sim, SRAM_BASE);
	/* 1 ms ticks from the first instructions on, a toggle every 10 */
	ck_assert_msg(ticks >= 99 && ticks <= 100, "%u ticks in 100 ms", ticks);
	ck_assert_msg(t1 >= 9 && t1 <= 10, "%" G_GUINT64_FORMAT " toggles in 100 ms", t1);
	glint_sim_advance_time(sim, 100 * 1000000);
	t2 = glint_sim_get_gpio_toggles(sim, 0, 5);
	ck_assert_uint_eq(t2 - t1, 10);
	/* it sleeps between ticks, and the handler returned each time */
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_msg(v & S_SLEEP, "DHCSR 0x%08x", v);
	/* asleep in thread mode: no exception active */
	ck_assert_uint_eq(st_read32(sim, ICSR, &v), 0x80);
	ck_assert_uint_eq(v & ICSR_VECTACTIVE, 0);
	st_halt(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_XPSR) & 0x1FFu, 0); /* thread mode */
	ck_assert_uint_eq(st_read_reg(sim, REG_MSP), SRAM_BASE + 0x18000u);
	/* masked while a debugger's algorithm runs (C_MASKINTS): no ticks */
	ticks = glint_sim_peek32(sim, SRAM_BASE);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | (1u << 3)), 0x80);
	glint_sim_advance_time(sim, 20 * 1000000);
	ck_assert_uint_eq(glint_sim_peek32(sim, SRAM_BASE), ticks);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), 0x80);
	glint_sim_advance_time(sim, 20 * 1000000);
	ck_assert(glint_sim_peek32(sim, SRAM_BASE) >= ticks + 19);
}
END_TEST

/* HCLK follows MSI ranges, HSI16, the PLL and the AHB prescaler */
START_TEST(test_rcc_hclk)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 4000000u);
	/* HSI16 on, then SYSCLK = HSI16: SWS follows */
	bus_w32(sim, RCC_CR, bus_r32(sim, RCC_CR) | (1u << 8));
	ck_assert(bus_r32(sim, RCC_CR) & (1u << 10));
	bus_w32(sim, RCC_CFGR, 1u);
	ck_assert_uint_eq((bus_r32(sim, RCC_CFGR) >> 2) & 3u, 1u);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 16000000u);
	/* PLL from HSI16: /1 * 10 / 2 = 80 MHz, as HAL sets it */
	bus_w32(sim, RCC_PLLCFGR, 2u | (10u << 8) | (1u << 24));
	bus_w32(sim, RCC_CR, bus_r32(sim, RCC_CR) | (1u << 24));
	ck_assert(bus_r32(sim, RCC_CR) & (1u << 25));
	bus_w32(sim, RCC_CFGR, 3u);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 80000000u);
	/* AHB prescaler /2 */
	bus_w32(sim, RCC_CFGR, 3u | (8u << 4));
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 40000000u);
	/* a reset goes back to MSI 4 MHz */
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 4000000u);
}
END_TEST

/* Instructions per virtual second follow HCLK */
START_TEST(test_speed_follows_hclk)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 entry;
	gint64 t0, t1;
	guint32 n1, n2;
	double expect;
	load_at(sim, snippets_path, SRAM_BASE);
	entry = snippet(sim, SNIP_COUNT_LOOP, SRAM_BASE);
	t0 = run_from(sim, entry);
	glint_sim_advance_time(sim, 1000000);
	t1 = glint_sim_get_time_ns(sim);
	st_halt(sim);
	n1 = st_read_reg(sim, REG_R0);
	/* two instructions per pass, one cycle each, at 4 MHz */
	expect = (double)(t1 - t0) * 4e6 / 2e9;
	ck_assert_msg(fabs(n1 - expect) < expect * 0.02, "%u passes, expected %.0f", n1, expect);
	bus_w32(sim, RCC_CR, 0x00000089u);
	t0 = glint_sim_get_time_ns(sim);
	st_simple(sim, 0x09);
	glint_sim_advance_time(sim, 1000000);
	t1 = glint_sim_get_time_ns(sim);
	st_halt(sim);
	n2 = st_read_reg(sim, REG_R0) - n1;
	expect = (double)(t1 - t0) * 16e6 / 2e9;
	ck_assert_msg(fabs(n2 - expect) < expect * 0.02, "%u passes at 16 MHz, expected %.0f", n2,
		      expect);
}
END_TEST

/* BKPT halts with the PC on it and DFSR.BKPT; a step onto it too */
START_TEST(test_bkpt_halts)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 entry;
	guint32 dfsr = 0;
	guint8 cmd[16] = {0xF2, 0x01};
	guint8 r[2] = {0};
	load_at(sim, snippets_path, SRAM_BASE);
	entry = snippet(sim, SNIP_BKPT, SRAM_BASE);
	run_from(sim, entry);
	/* GETSTATUS says "running" before the first poll lets the core run */
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	wait_halted(sim);
	ck_assert_uint_eq(st_read32(sim, DFSR, &dfsr), 0x80);
	ck_assert_uint_eq(dfsr & (DFSR_BKPT | DFSR_HALTED), DFSR_BKPT);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 4);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 42);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x81);
	/* resuming on the BKPT stops there again, as on silicon */
	st_simple(sim, 0x09);
	wait_halted(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 4);

	/* STEPCORE: one instruction each */
	ck_assert_uint_eq(st_write32(sim, DFSR, 0x1F), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_PC, entry), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_R0, 0), 0x80);
	st_simple(sim, 0x0A);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 2);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 42);
	ck_assert(dhcsr(sim) & S_HALT);
	/* and C_STEP through DHCSR */
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | (1u << 2)), 0x80);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 4);
	ck_assert(dhcsr(sim) & S_HALT);
	ck_assert_uint_eq(st_read32(sim, DFSR, &dfsr), 0x80);
	ck_assert(dfsr & DFSR_HALTED);
}
END_TEST

static guint32
f32_bits(float f)
{
	guint32 v;
	memcpy(&v, &f, sizeof(v));
	return v;
}

/* Registers written through WRITEREG reach the code; what it leaves comes
 * back through READREG and READALLREGS */
START_TEST(test_registers_round_trip)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 entry;
	/* CONTROL = FPCA | SPSEL (with FPCA clear the first VFP instruction
	 * would load FPSCR from FPDSCR), BASEPRI 0x40, PRIMASK */
	guint32 special = (6u << 24) | (0x40u << 8) | 1u;
	guint8 cmd[16] = {0xF2, 0x3A};
	guint8 all[88] = {0};
	load_at(sim, snippets_path, SRAM_BASE);
	entry = snippet(sim, SNIP_REGS, SRAM_BASE);
	for (guint i = 0; i <= 12; i++)
		ck_assert_uint_eq(st_write_reg(sim, i, 0x1000u * (i + 1) + i), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_LR, 0x0800ABCDu), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_MSP, 0x20017F00u), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_PSP, 0x20016F00u), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_SPECIAL, special), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_FPSCR, 0x03000000u), 0x80);
	for (guint i = 0; i < 32; i++)
		ck_assert_uint_eq(st_write_reg(sim, REG_S0 + i, f32_bits(0.25f * (float)i)), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_S0, f32_bits(1.5f)), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_S0 + 1, f32_bits(2.25f)), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_PC, entry), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, REG_XPSR, XPSR_T), 0x80);
	/* storage while halted */
	ck_assert_uint_eq(st_read_reg(sim, 7), 0x8007u);
	ck_assert_uint_eq(st_read_reg(sim, REG_SP), 0x20016F00u); /* SPSEL: PSP */
	ck_assert_uint_eq(st_read_reg(sim, REG_FPSCR), 0x03000000u);
	st_simple(sim, 0x09);
	wait_halted(sim);

	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 0x1000u + 0x2001u);
	for (guint i = 1; i <= 11; i++)
		ck_assert_uint_eq(st_read_reg(sim, i), 0x1000u * (i + 1) + i);
	ck_assert_uint_eq(st_read_reg(sim, 12), 1u); /* MRS r12, PRIMASK */
	ck_assert_uint_eq(st_read_reg(sim, REG_LR), 0x0800ABCDu);
	ck_assert_uint_eq(st_read_reg(sim, REG_MSP), 0x20017F00u);
	ck_assert_uint_eq(st_read_reg(sim, REG_PSP), 0x20016F00u);
	ck_assert_uint_eq(st_read_reg(sim, REG_SP), 0x20016F00u);
	ck_assert_uint_eq(st_read_reg(sim, REG_SPECIAL), special);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 10);
	ck_assert(st_read_reg(sim, REG_XPSR) & XPSR_T);
	ck_assert_uint_eq(st_read_reg(sim, REG_S0 + 2), f32_bits(3.75f));
	ck_assert_uint_eq(st_read_reg(sim, REG_S0 + 1), f32_bits(2.25f));
	ck_assert_uint_eq(st_read_reg(sim, REG_S0 + 31), f32_bits(7.75f));
	/* READALLREGS: status word, then R0..R15, xPSR, MSP, PSP, ... */
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, all, sizeof(all)), 88);
	ck_assert_uint_eq(all[0], 0x80);
	ck_assert_uint_eq(st_get32(all + 4), 0x3001u);
	ck_assert_uint_eq(st_get32(all + 4 + 4 * 15), entry + 10);
	ck_assert_uint_eq(st_get32(all + 4 + 4 * 17), 0x20017F00u);

	/* DCRSR/DCRDR reach the same registers */
	ck_assert_uint_eq(st_write32(sim, 0xE000EDF8u, 0xCAFEF00Du), 0x80);
	ck_assert_uint_eq(st_write32(sim, 0xE000EDF4u, (1u << 16) | 5u), 0x80);
	ck_assert_uint_eq(st_read_reg(sim, 5), 0xCAFEF00Du);
}
END_TEST

/* The core programs flash from SRAM, polling BSY: correct contents, in the
 * datasheet time, visibly progressing to a host polling meanwhile */
START_TEST(test_flash_loop_datasheet_time)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	enum { N = 64 };
	guint8 data[N * 8];
	guint8 back[N * 8];
	GlintSimStats st0, st1;
	guint32 entry;
	gint64 t0, elapsed;
	guint64 mid;
	const guint32 dst = FLASH_BASE + 0x10000u;
	for (guint i = 0; i < sizeof(data); i++)
		data[i] = (guint8)(i * 7 + 3);
	load_at(sim, snippets_path, SRAM_BASE);
	ck_assert(glint_sim_poke(sim, DATA_ADDR, data, sizeof(data)));
	entry = snippet(sim, SNIP_FLASH_PROGRAM, SRAM_BASE);
	flash_unlock(sim);
	ck_assert_uint_eq(st_write_reg(sim, 0, DATA_ADDR), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 1, dst), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 2, N), 0x80);
	glint_sim_get_stats(sim, &st0);
	t0 = run_from(sim, entry);
	/* half way through, about half of it is in flash */
	glint_sim_advance_time(sim, t0 + N / 2 * FLASH_DOUBLE_WORD_NS - glint_sim_get_time_ns(sim));
	glint_sim_get_stats(sim, &st1);
	mid = st1.double_words_programmed - st0.double_words_programmed;
	ck_assert_msg(mid >= N / 2 - 4 && mid <= N / 2 + 1, "%" G_GUINT64_FORMAT " of %d half way",
		      mid, N);
	while (!(dhcsr(sim) & S_HALT)) {
		ck_assert(glint_sim_get_time_ns(sim) - t0 < 10 * N * FLASH_DOUBLE_WORD_NS);
		glint_sim_advance_time(sim, 5000);
	}
	elapsed = glint_sim_get_time_ns(sim) - t0;
	/* datasheet time plus the loop's own instructions (~4%) */
	ck_assert_msg(elapsed >= N * FLASH_DOUBLE_WORD_NS &&
			  elapsed <= N * FLASH_DOUBLE_WORD_NS * 106 / 100 + 10000,
		      "%d double words took %" G_GINT64_FORMAT " ns", N, elapsed);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 0); /* no SR error */
	ck_assert(glint_sim_peek(sim, dst, back, sizeof(back)));
	ck_assert_int_eq(memcmp(back, data, sizeof(data)), 0);
	glint_sim_get_stats(sim, &st1);
	ck_assert_uint_eq(st1.double_words_programmed - st0.double_words_programmed, N);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR) & CR_PG, 0);

	/* again over the programmed range: PROGERR reported, flash unchanged */
	ck_assert_uint_eq(st_write_reg(sim, 0, DATA_ADDR + 8), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 1, dst), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 2, 1), 0x80);
	run_from(sim, entry);
	wait_halted(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), SR_PROGERR);
	ck_assert(glint_sim_peek(sim, dst, back, sizeof(back)));
	ck_assert_int_eq(memcmp(back, data, sizeof(data)), 0);
}
END_TEST

/* Host-side references, written independently of the emulator's shift
 * register: CRC-32 in its reflected (LSB-first) form, CRC-32/MPEG-2 MSB-first */
static guint32
host_crc32(const guint8 *p, gsize len)
{
	guint32 crc = 0xFFFFFFFFu;
	for (gsize i = 0; i < len; i++) {
		crc ^= p[i];
		for (guint b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static guint32
host_crc32_mpeg2(const guint8 *p, gsize len)
{
	guint32 crc = 0xFFFFFFFFu;
	for (gsize i = 0; i < len; i++) {
		crc ^= (guint32)p[i] << 24;
		for (guint b = 0; b < 8; b++)
			crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
	}
	return crc;
}

/* Runs crc_feed on @data with CR bits @cr, POL @pol, INIT @init, writing
 * @unit bytes at a time; returns DR */
static guint32
target_crc(GlintSim *sim, guint32 cr, guint32 pol, guint32 init, const char *data, guint unit)
{
	gsize len = strlen(data);
	guint32 ahb1enr = 0;
	ck_assert(glint_sim_poke(sim, DATA_ADDR, (const guint8 *)data, len));
	/* the CRC unit's clock (RCC_AHB1ENR.CRCEN): off, it reads 0 */
	ck_assert_uint_eq(st_read32(sim, RCC_AHB1ENR, &ahb1enr), 0x80);
	ck_assert_uint_eq(st_write32(sim, RCC_AHB1ENR, ahb1enr | RCC_AHB1ENR_CRCEN), 0x80);
	ck_assert_uint_eq(st_write32(sim, CRC_POL, pol), 0x80);
	ck_assert_uint_eq(st_write32(sim, CRC_INIT, init), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 0, cr), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 1, DATA_ADDR), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 2, (guint32)len), 0x80);
	ck_assert_uint_eq(st_write_reg(sim, 3, unit), 0x80);
	run_from(sim, snippet(sim, SNIP_CRC_FEED, SRAM_BASE));
	wait_halted(sim);
	return st_read_reg(sim, REG_R0);
}

#define POLY32 (0u << 3)
#define POLY16 (1u << 3)
#define POLY8 (2u << 3)
#define POLY7 (3u << 3)
#define REV_IN_BYTE (1u << 5)
#define REV_IN_HALF (2u << 5)
#define REV_IN_WORD (3u << 5)
#define REV_OUT (1u << 7)

START_TEST(test_crc_unit)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	const char *check = "123456789";
	const char *eight = "12345678";
	const guint8 swapped[] = {'4', '3', '2', '1', '8', '7', '6', '5'};
	load_at(sim, snippets_path, SRAM_BASE);
	/* catalogue check values over "123456789", byte writes */
	ck_assert_uint_eq(target_crc(sim, POLY32, 0x04C11DB7u, ~0u, check, 1), 0x0376E6E7u);
	ck_assert_uint_eq(
	    ~target_crc(sim, POLY32 | REV_IN_BYTE | REV_OUT, 0x04C11DB7u, ~0u, check, 1),
	    0xCBF43926u);
	ck_assert_uint_eq(target_crc(sim, POLY16, 0x1021u, 0xFFFFu, check, 1), 0x29B1u);
	ck_assert_uint_eq(target_crc(sim, POLY16 | REV_IN_BYTE | REV_OUT, 0x8005u, 0, check, 1),
			  0xBB3Du);
	ck_assert_uint_eq(target_crc(sim, POLY8, 0x07u, 0, check, 1), 0xF4u);
	ck_assert_uint_eq(target_crc(sim, POLY7, 0x09u, 0, check, 1), 0x75u);
	/* wider writes: REV_IN by word or half-word keeps memory order */
	ck_assert_uint_eq(~target_crc(sim, REV_IN_WORD | REV_OUT, 0x04C11DB7u, ~0u, eight, 4),
			  host_crc32((const guint8 *)eight, 8));
	ck_assert_uint_eq(~target_crc(sim, REV_IN_HALF | REV_OUT, 0x04C11DB7u, ~0u, eight, 2),
			  host_crc32((const guint8 *)eight, 8));
	/* REV_IN by byte on words, or none: the word enters MSB first */
	ck_assert_uint_eq(~target_crc(sim, REV_IN_BYTE | REV_OUT, 0x04C11DB7u, ~0u, eight, 4),
			  host_crc32(swapped, 8));
	ck_assert_uint_eq(target_crc(sim, POLY32, 0x04C11DB7u, ~0u, eight, 4),
			  host_crc32_mpeg2(swapped, 8));
	ck_assert_uint_eq(target_crc(sim, POLY32, 0x04C11DB7u, ~0u, check, 1),
			  host_crc32_mpeg2((const guint8 *)check, 9));
}
END_TEST

/* An FPB comparator in the code region halts before the instruction */
START_TEST(test_fpb_breakpoint)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 entry, here;
	guint32 dfsr = 0;
	/* FPB compares code-region addresses: run from SRAM2 at 0x10000000 */
	load_at(sim, snippets_path, SRAM2_BASE);
	entry = snippet(sim, SNIP_FPB, SRAM2_BASE);
	here = snippet(sim, SNIP_FPB_HERE, SRAM2_BASE);
	ck_assert_uint_eq(
	    st_write32(sim, FP_COMP0,
		       (here & 0x1FFFFFFCu) | ((here & 2u) ? 2u << 30 : 1u << 30) | 1u),
	    0x80);
	ck_assert_uint_eq(st_write32(sim, FP_CTRL, 3u), 0x80);
	run_from(sim, entry);
	wait_halted(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), here);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 2);
	ck_assert_uint_eq(st_read32(sim, DFSR, &dfsr), 0x80);
	ck_assert(dfsr & DFSR_BKPT);
	/* comparators off: the code runs on to its BKPT */
	ck_assert_uint_eq(st_write32(sim, FP_CTRL, 2u), 0x80);
	st_simple(sim, 0x09);
	wait_halted(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 4);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), here + 4);
}
END_TEST

/* WFI: sleeping (S_SLEEP) until halted; the PC is after the WFI */
START_TEST(test_wfi_sleeps)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 entry;
	guint32 v = 0;
	load_at(sim, snippets_path, SRAM_BASE);
	entry = snippet(sim, SNIP_WFI, SRAM_BASE);
	run_from(sim, entry);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_msg((v & (S_SLEEP | S_HALT)) == S_SLEEP, "DHCSR 0x%08x", v);
	glint_sim_advance_time(sim, 1000000);
	ck_assert(dhcsr(sim) & S_SLEEP);
	st_halt(sim);
	ck_assert_uint_eq(dhcsr(sim) & (S_SLEEP | S_HALT), S_HALT);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 4);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 5);
	/* resumed, it goes on after the WFI to its BKPT */
	st_simple(sim, 0x09);
	wait_halted(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_R0), 6);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), entry + 6);
}
END_TEST

/* A fault with no handler to take it (erased vectors): escalation to
 * HardFault, whose vector is all ones, then lockup; visible in
 * DHCSR/CFSR/HFSR, and in the registers once halted */
START_TEST(test_fault_locks_up)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	guint32 entry;
	guint32 v = 0;
	load_at(sim, snippets_path, SRAM_BASE);
	entry = snippet(sim, SNIP_UDF, SRAM_BASE);
	run_from(sim, entry);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_msg((v & (S_LOCKUP | S_HALT)) == S_LOCKUP, "DHCSR 0x%08x", v);
	ck_assert_uint_eq(st_read32(sim, CFSR, &v), 0x80);
	ck_assert(v & CFSR_UNDEFINSTR);
	ck_assert_uint_eq(st_read32(sim, HFSR, &v), 0x80);
	ck_assert(v & HFSR_FORCED);
	/* ICSR.VECTACTIVE tells a debugger the core is in the HardFault
	 * handler without halting it */
	ck_assert_uint_eq(st_read32(sim, ICSR, &v), 0x80);
	ck_assert_uint_eq(v & ICSR_VECTACTIVE, 3);
	/* a halt gets the debugger in: the lockup address, in the HardFault
	 * handler, the faulting instruction stacked below the thread's SP */
	st_halt(sim);
	ck_assert_uint_eq(dhcsr(sim) & (S_LOCKUP | S_HALT), S_HALT);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), 0xFFFFFFFEu);
	ck_assert_uint_eq(st_read_reg(sim, REG_XPSR) & 0x1FFu, 3);
	ck_assert_uint_eq(st_read_reg(sim, REG_MSP), SRAM_BASE + 0x8000u - 32);
	ck_assert_uint_eq(glint_sim_peek32(sim, SRAM_BASE + 0x8000u - 32 + 24), entry);
	/* an erased board's core locks up at reset (vectors all ones) */
	{
		g_autoptr(GlintSim) fresh = sim_new_ok("fresh");
		st_enter_swd(fresh);
		ck_assert_uint_eq(st_read32(fresh, DHCSR, &v), 0x80);
		ck_assert(v & S_LOCKUP);
	}
}
END_TEST

/* Code asking for a reset (AIRCR.SYSRESETREQ) gets it: the firmware in
 * flash starts from its vectors */
START_TEST(test_code_requests_reset)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	load_at(sim, blinky_path, FLASH_BASE);
	load_at(sim, snippets_path, SRAM_BASE);
	/* no halt at reset: drop C_DEBUGEN's halt, keep debugging enabled */
	run_from(sim, snippet(sim, SNIP_SELF_RESET, SRAM_BASE));
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), 0x80);
	glint_sim_advance_time(sim, 5 * 1000000);
	ck_assert(dhcsr(sim) & S_RESET_ST);
	ck_assert(glint_sim_get_gpio_toggles(sim, 0, 5) >= 15);
	st_halt(sim);
	ck_assert(st_read_reg(sim, REG_PC) >= FLASH_BASE);
	ck_assert(st_read_reg(sim, REG_PC) < FLASH_BASE + 0x100u);
}
END_TEST

/* Random bytes as firmware: whatever they do (fault, loop, poke registers,
 * write flash), the emulator keeps answering and time keeps its pace */
START_TEST(test_random_code_never_hangs)
{
	/* seeds 40 and 52 loop for the whole time, the others fault early */
	for (guint seed = 1; seed <= 60; seed++) {
		g_autoptr(GlintSim) sim = sim_new_ok("fresh");
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		guint8 code[16384];
		guint32 v = 0;
		gint64 t0;
		for (guint i = 0; i < sizeof(code); i++)
			code[i] = (guint8)g_rand_int(rand);
		/* a vector table that enters the noise */
		st_put32(code, SRAM_BASE + 0x18000u);
		st_put32(code + 4, (FLASH_BASE + 0x100u) | 1u);
		ck_assert(glint_sim_poke(sim, FLASH_BASE, code, sizeof(code)));
		ck_assert(glint_sim_poke(sim, SRAM_BASE, code, 4096));
		st_enter_swd(sim);
		ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
		t0 = glint_sim_get_time_ns(sim);
		glint_sim_advance_time(sim, 5 * 1000000);
		ck_assert_uint_eq(glint_sim_get_time_ns(sim) - t0, 5 * 1000000);
		ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
		st_halt(sim);
		ck_assert_msg(dhcsr(sim) & S_HALT, "seed %u: no halt (DHCSR 0x%08x)", seed,
			      dhcsr(sim));
	}
}
END_TEST

/* "b ." idles the time away: the instructions are accounted, the core
 * stays on it, and a SysTick due meanwhile still comes (systick test) */
START_TEST(test_branch_to_self)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	const guint8 b_self[] = {0xFE, 0xE7};
	GlintSimStats s0, s1;
	guint64 n;
	ck_assert(glint_sim_poke(sim, SRAM_BASE + 0x100u, b_self, sizeof(b_self)));
	run_from(sim, SRAM_BASE + 0x100u);
	glint_sim_get_stats(sim, &s0);
	glint_sim_advance_time(sim, 1000 * 1000000);
	glint_sim_get_stats(sim, &s1);
	n = s1.instructions - s0.instructions;
	/* one second at 4 MHz, one cycle per instruction */
	ck_assert_msg(n >= 3990000 && n <= 4010000, "%" G_GUINT64_FORMAT " instructions", n);
	ck_assert(!(dhcsr(sim) & (S_HALT | S_SLEEP | S_LOCKUP)));
	st_halt(sim);
	ck_assert_uint_eq(st_read_reg(sim, REG_PC), SRAM_BASE + 0x100u);
}
END_TEST

/* A routine returning to the reset value of LR: lockup, no hang */
START_TEST(test_return_to_nowhere)
{
	g_autoptr(GlintSim) sim = board_halted("fresh");
	const guint8 bx_lr[] = {0x70, 0x47};
	guint32 v = 0;
	ck_assert(glint_sim_poke(sim, SRAM_BASE + 0x100u, bx_lr, sizeof(bx_lr)));
	ck_assert_uint_eq(st_write_reg(sim, REG_LR, 0xFFFFFFFFu), 0x80);
	run_from(sim, SRAM_BASE + 0x100u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert_msg(v & S_LOCKUP, "DHCSR 0x%08x", v);
}
END_TEST

/* The generated firmware of the scenario boards idles in WFI */
START_TEST(test_scenario_firmware_idles)
{
	g_autoptr(GlintSim) sim = sim_new_ok("wrp");
	GlintSimStats st;
	st_enter_swd(sim);
	for (guint i = 0; i < 10; i++)
		(void)st_read32(sim, DHCSR, NULL);
	ck_assert(dhcsr(sim) & S_SLEEP);
	glint_sim_get_stats(sim, &st);
	ck_assert(st.instructions > 0 && st.instructions < 10);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("sim-cpu");
	TCase *tc = tcase_create("cpu");
	if (argc < 4) {
		fprintf(stderr, "usage: %s blinky.bin snippets.bin systick.bin\n", argv[0]);
		return 2;
	}
	blinky_path = argv[1];
	snippets_path = argv[2];
	systick_path = argv[3];
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_blinky_runs_after_reset);
	tcase_add_test(tc, test_rcc_hclk);
	tcase_add_test(tc, test_systick_interrupt_firmware);
	tcase_add_test(tc, test_speed_follows_hclk);
	tcase_add_test(tc, test_bkpt_halts);
	tcase_add_test(tc, test_registers_round_trip);
	tcase_add_test(tc, test_flash_loop_datasheet_time);
	tcase_add_test(tc, test_crc_unit);
	tcase_add_test(tc, test_fpb_breakpoint);
	tcase_add_test(tc, test_wfi_sleeps);
	tcase_add_test(tc, test_fault_locks_up);
	tcase_add_test(tc, test_code_requests_reset);
	tcase_add_test(tc, test_scenario_firmware_idles);
	tcase_add_test(tc, test_random_code_never_hangs);
	tcase_add_test(tc, test_return_to_nowhere);
	tcase_add_test(tc, test_branch_to_self);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
