/* The emulated STM32G0, STM32WB and STM32WL against their reference
 * manuals (RM0444, RM0434, RM0453): what a debugger sees of the G0's
 * Cortex-M0+, the G0's boot selection and EMPTY check, the G0B1's bank bit
 * and page numbers, CFGBSY and BSY2, BOOT_LOCK; the WB's CPU1 that may not
 * mass erase and CPU2's secure flash from SFSA; the WL's secure flash and
 * BOOT_LOCK in FLASH_OPTR. */
#include "sim-test.h"

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
	/* a fifth comparator is not there: its address keeps nothing */
	ck_assert_uint_eq(st_write32(sim, FP_COMP0 + 3 * 4, 0x08000101u), 0x80);
	ck_assert_uint_eq(dbg_r32(sim, FP_COMP0 + 3 * 4), 0x08000101u);
	(void)st_write32(sim, FP_COMP0 + 4 * 4, 0x08000201u);
	ck_assert_uint_eq(dbg_r32(sim, FP_COMP0 + 4 * 4), 0);
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

int
main(void)
{
	Suite *s = suite_create("l4-g0wx");
	TCase *tc = tcase_create("cores");
	tcase_add_test(tc, test_g0_core_is_m0plus);
	tcase_add_test(tc, test_l4_core_unchanged);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
