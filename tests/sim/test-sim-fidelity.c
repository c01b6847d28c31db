/* test-sim-fidelity.c: what the emulated probe and chip show a debugger
 * where a real probe and a real chip show it too (issue 17, items 6-8),
 * through the ST-LINK commands a host sends:
 *
 * - the probe's answers when the target does not answer (no power, SWD
 *   taken by the firmware, under reset): ENTER fails with
 *   JTAG_GET_IDCODE_ERROR, every target command with the DP's error, the
 *   probe's own commands (NRST, voltage, clock) still work;
 * - faults as ARMv7-M/ARMv6-M take them: a blank chip escalates to
 *   HardFault and locks up with xPSR 0x01000003, PC 0xFFFFFFFE, MSP
 *   0xFFFFFFD8; a firmware's handlers run (HardFault, UsageFault, SVCall);
 *   halting, resuming, vector catch and reset from lockup;
 * - the rest of the chip: documented reset values, reset flags per reset
 *   source, unmodelled peripherals read 0 without a fault, a peripheral
 *   whose clock is off reads 0 and ignores writes; and the same mechanisms
 *   from another machine's data (a Cortex-M0 defined here).
 *
 * Code is hand-assembled Thumb, so no cross compiler is needed. */
#include "sim-test.h"

#include "sim-private.h"

#define STATUS_OK 0x80u
#define STATUS_IDCODE_ERROR 0x09u
#define STATUS_AP_FAULT 0x11u
#define STATUS_DP_ERROR 0x16u

#define SRAM_BASE 0x20000000u
#define CODE_AT 0x20001000u
#define STACK_TOP 0x20008000u
#define VTOR 0xE000ED08u
#define SHCSR 0xE000ED24u
#define CFSR 0xE000ED28u
#define HFSR 0xE000ED2Cu
#define CPUID 0xE000ED00u

#define DBGKEY 0xA05F0000u
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define S_HALT (1u << 17)
#define S_LOCKUP (1u << 19)
#define DFSR_VCATCH (1u << 3)
#define DEMCR_VC_CORERESET (1u << 0)
#define DEMCR_VC_HARDERR (1u << 10)
#define SHCSR_USGFAULTENA (1u << 18)
#define CFSR_IACCVIOL (1u << 0)
#define CFSR_STKERR (1u << 12)
#define CFSR_UNDEFINSTR (1u << 16)
#define HFSR_FORCED (1u << 30)

/* ST-LINK register indices */
#define REG_R0 0u
#define REG_LR 14u
#define REG_PC 15u
#define REG_XPSR 16u
#define REG_MSP 17u

/* RM0351 registers the cases read */
#define RCC_AHB1ENR 0x40021048u
#define RCC_AHB2ENR 0x4002104Cu
#define RCC_APB1ENR1 0x40021058u
#define RCC_APB1SMENR1 0x40021078u
#define RCC_CSR 0x40021094u
#define RCC_CSR_RMVF (1u << 23)
#define RCC_CSR_OBLRSTF (1u << 25)
#define RCC_CSR_PINRSTF (1u << 26)
#define RCC_CSR_BORRSTF (1u << 27)
#define RCC_CSR_SFTRSTF (1u << 28)
#define RCC_CSR_IWDGRSTF (1u << 29)
#define RCC_CSR_WWDGRSTF (1u << 30)
#define RCC_CSR_LPWRRSTF (1u << 31)
#define RCC_CSR_MSISRANGE_4MHZ 0x00000600u
#define PWR_CR1 0x40007000u
#define PWR_CR3 0x40007008u
#define SYSCFG_CFGR1 0x40010004u
#define FLASH_ACR 0x40022000u
#define GPIOA_MODER 0x48000000u
#define GPIOA_ODR 0x48000014u
#define CRC_INIT_ADDR 0x40023010u
#define TIM2 0x40000000u
#define OTG_FS 0x50000000u
#define RESERVED 0x40030000u /* between TSC and GPIOA */

/* ---- ST-LINK helpers -------------------------------------------------- */

static guint8
st_status2(GlintSim *sim, const guint8 *cmd)
{
	guint8 block[16] = {0}, r[2] = {0};
	memcpy(block, cmd, 3);
	ck_assert_uint_eq(st_xfer(sim, block, NULL, 0, r, sizeof(r)), 2);
	return r[0];
}

static guint8
st_read_reg_status(GlintSim *sim, guint idx, guint32 *v)
{
	guint8 cmd[16] = {0xF2, 0x33, (guint8)idx};
	guint8 r[8] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	if (v != NULL)
		*v = st_get32(r + 4);
	return r[0];
}

static guint32
st_reg(GlintSim *sim, guint idx)
{
	guint32 v = 0;
	ck_assert_uint_eq(st_read_reg_status(sim, idx, &v), STATUS_OK);
	return v;
}

static void
st_set_reg(GlintSim *sim, guint idx, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x34, (guint8)idx};
	guint8 r[2] = {0};
	st_put32(cmd + 3, v);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], STATUS_OK);
}

static guint32
rd(GlintSim *sim, guint32 addr)
{
	guint32 v = 0xDEADBEEFu;
	guint8 status = st_read32(sim, addr, &v);
	ck_assert_msg(status == STATUS_OK, "read 0x%08x: status 0x%02x", addr, status);
	return v;
}

static void
wr(GlintSim *sim, guint32 addr, guint32 v)
{
	guint8 status = st_write32(sim, addr, v);
	ck_assert_msg(status == STATUS_OK, "write 0x%08x: status 0x%02x", addr, status);
}

static void
halt(GlintSim *sim)
{
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT);
	ck_assert(rd(sim, DHCSR) & S_HALT);
}

/* ---- 6: the probe when the target does not answer --------------------- */

/* Every command a host may send with nothing answering on SWD: the
 * target's fail as the DP does, the probe's own work */
static void
check_probe_without_target(GlintSim *sim, guint expect_mv)
{
	const guint8 mode[16] = {0xF5};
	const guint8 idcodes[16] = {0xF2, 0x31};
	const guint8 voltage[16] = {0xF7};
	const guint8 init_ap[3] = {0xF2, 0x4B, 0x00};
	const guint8 halt_v1[3] = {0xF2, 0x02};
	const guint8 resetsys[3] = {0xF2, 0x32};
	const guint8 nrst_pulse[3] = {0xF2, 0x3C, 0x02};
	const guint8 swd_freq[3] = {0xF2, 0x43, 0x01};
	guint8 write_dap[16] = {0xF2, 0x46, 0xFF, 0xFF, 0x08};
	guint8 cmd[16], r[12], data[16];
	guint32 fault_addr = 0;
	/* ENTER reads the IDCODE: it fails, the probe is in debug mode anyway */
	ck_assert_uint_eq(st_enter_swd_status(sim), STATUS_IDCODE_ERROR);
	ck_assert_uint_eq(st_xfer(sim, mode, NULL, 0, r, 2), 2);
	ck_assert_uint_eq(r[0], 0x02);
	ck_assert_uint_eq(st_xfer(sim, idcodes, NULL, 0, r, sizeof(r)), 12);
	ck_assert_uint_eq(r[0], STATUS_IDCODE_ERROR);
	ck_assert_uint_eq(st_get32(r + 4), 0);
	/* target accesses: the DP does not acknowledge */
	ck_assert_uint_eq(st_read32(sim, CPUID, NULL), STATUS_DP_ERROR);
	ck_assert_uint_eq(st_write32(sim, SRAM_BASE, 1), STATUS_DP_ERROR);
	ck_assert_uint_eq(st_read_reg_status(sim, REG_PC, NULL), STATUS_DP_ERROR);
	ck_assert_uint_eq(st_status2(sim, init_ap), STATUS_DP_ERROR);
	ck_assert_uint_eq(st_xfer(sim, write_dap, NULL, 0, r, 2), 2);
	ck_assert_uint_eq(r[0], STATUS_DP_ERROR);
	ck_assert_uint_eq(st_status2(sim, halt_v1), STATUS_DP_ERROR);
	ck_assert_uint_eq(st_status2(sim, resetsys), STATUS_DP_ERROR);
	/* a memory read still sends its data phase; the status comes after */
	st_mem_cmd(cmd, 0x07, SRAM_BASE, sizeof(data));
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, data, sizeof(data)), sizeof(data));
	ck_assert_uint_eq(st_last_status(sim, &fault_addr), STATUS_DP_ERROR);
	/* the probe's own pins and clock */
	ck_assert_uint_eq(st_status2(sim, nrst_pulse), STATUS_OK);
	ck_assert_uint_eq(st_status2(sim, swd_freq), STATUS_OK);
	ck_assert_uint_eq(st_xfer(sim, voltage, NULL, 0, r, 8), 8);
	ck_assert_uint_eq(2400u * st_get32(r + 4) / st_get32(r) / 100u, expect_mv / 100u);
}

START_TEST(test_probe_no_target)
{
	g_autoptr(GlintSim) sim = sim_new_ok("no-target");
	check_probe_without_target(sim, 0);
	/* powered up, the same probe connects */
	glint_sim_set_target_voltage_mv(sim, 3300);
	st_enter_swd(sim);
	ck_assert_uint_eq(rd(sim, CPUID), 0x410FC241u);
}
END_TEST

START_TEST(test_probe_swd_disabled)
{
	g_autoptr(GlintSim) sim = sim_new_ok("swd-disabled");
	const guint8 nrst_low[3] = {0xF2, 0x3C, 0x00};
	const guint8 nrst_high[3] = {0xF2, 0x3C, 0x01};
	const guint8 idcodes[16] = {0xF2, 0x31};
	guint8 r[12];
	check_probe_without_target(sim, 3300);
	/* under reset the debug port answers: ENTER, IDCODE, the core */
	ck_assert_uint_eq(st_status2(sim, nrst_low), STATUS_OK);
	ck_assert_uint_eq(st_enter_swd_status(sim), STATUS_OK);
	ck_assert_uint_eq(st_xfer(sim, idcodes, NULL, 0, r, sizeof(r)), 12);
	ck_assert_uint_eq(r[0], STATUS_OK);
	ck_assert_uint_eq(st_get32(r + 4), 0x2BA01477u);
	ck_assert(rd(sim, DHCSR) & (1u << 25)); /* S_RESET_ST */
	/* a halt requested under reset stops the core at its reset vector */
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT);
	ck_assert_uint_eq(st_status2(sim, nrst_high), STATUS_OK);
	ck_assert(rd(sim, DHCSR) & S_HALT);
}
END_TEST

/* ---- 7: faults, HardFault and lockup ----------------------------------- */

/* A blank chip: the reset vector 0xFFFFFFFF sends the core to 0xFFFFFFFE,
 * an execute-never address (MemManage, escalated: HardFault), whose
 * vector is all ones too: lockup. What OpenOCD prints after "halt" on a
 * blank STM32: "Handler HardFault, xPSR: 0x01000003 pc: 0xfffffffe msp:
 * 0xffffffd8" (8-byte aligned frame below 0xFFFFFFFC). */
START_TEST(test_blank_chip_locks_up)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	st_enter_swd(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_LOCKUP);
	halt(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & S_LOCKUP, 0);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR), 0x01000003u);
	ck_assert_uint_eq(st_reg(sim, REG_PC), 0xFFFFFFFEu);
	ck_assert_uint_eq(st_reg(sim, REG_MSP), 0xFFFFFFD8u);
	ck_assert_uint_eq(st_reg(sim, REG_LR), 0xFFFFFFF9u);
	/* the fetch from the execute-never address, the stacking onto nothing */
	ck_assert_uint_eq(rd(sim, CFSR), CFSR_IACCVIOL | CFSR_STKERR);
	ck_assert_uint_eq(rd(sim, HFSR), HFSR_FORCED);
}
END_TEST

/* Halting ends lockup; resuming at 0xFFFFFFFE in HardFault locks up
 * again; a reset with VC_CORERESET halts on the reset vector (Thread mode,
 * nothing stacked); VC_HARDERR halts on the HardFault entry instead of
 * locking up; NRST restarts the chip into lockup */
START_TEST(test_lockup_halt_resume_reset)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	const guint8 nrst_pulse[3] = {0xF2, 0x3C, 0x02};
	st_enter_swd(sim);
	halt(sim);
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_LOCKUP);
	/* reset halt, as OpenOCD and st-flash do it */
	wr(sim, DEMCR, DEMCR_VC_CORERESET);
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT);
	wr(sim, AIRCR, 0x05FA0004u);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_HALT);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR), 0x01000000u);
	ck_assert_uint_eq(st_reg(sim, REG_PC), 0xFFFFFFFEu);
	ck_assert_uint_eq(st_reg(sim, REG_MSP), 0xFFFFFFFCu);
	/* the vector catch on HardFault: halted at the handler's address */
	wr(sim, DEMCR, DEMCR_VC_HARDERR);
	wr(sim, DFSR, 0x1F);
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_HALT);
	ck_assert(rd(sim, DFSR) & DFSR_VCATCH);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR), 0x01000003u);
	ck_assert_uint_eq(st_reg(sim, REG_PC), 0xFFFFFFFEu);
	/* a pin reset without vector catch: lockup again */
	wr(sim, DEMCR, 0);
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN);
	ck_assert_uint_eq(st_status2(sim, nrst_pulse), STATUS_OK);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_LOCKUP);
}
END_TEST

/* Thumb for the firmware of the handler cases */
#define T_SVC0 0xDF00u
#define T_UDF0 0xDE00u
#define T_BKPT(n) (0xBE00u | (n))
#define T_MOVS_R0(n) (0x2000u | (n))
#define T_MOVS_R4(n) (0x2400u | (n))
#define T_BX_LR 0x4770u
#define T_NOP 0xBF00u

#define HARDFAULT_AT 0x20001200u
#define USAGEFAULT_AT 0x20001300u
#define SVCALL_AT 0x20001100u

static void
put16(GlintSim *sim, guint32 addr, guint16 v)
{
	const guint8 b[2] = {(guint8)v, (guint8)(v >> 8)};
	ck_assert(glint_sim_poke(sim, addr, b, 2));
}

static void
put32(GlintSim *sim, guint32 addr, guint32 v)
{
	guint8 b[4];
	st_put32(b, v);
	ck_assert(glint_sim_poke(sim, addr, b, 4));
}

/* A firmware in SRAM: a vector table at SRAM_BASE (VTOR) with HardFault,
 * UsageFault and SVCall handlers that stop on a BKPT of their number
 * (SVCall returns with r4 = 42 instead: r0-r3 come back from the frame);
 * @code at CODE_AT, run from a halt; the fault status the blank chip's
 * lockup left is cleared */
static GlintSim *
run_firmware(const guint16 *code, guint n, guint16 hardfault_insn)
{
	GlintSim *sim = sim_new_ok("fresh");
	st_enter_swd(sim);
	halt(sim);
	put32(sim, SRAM_BASE + 4 * 3, HARDFAULT_AT | 1u);
	put32(sim, SRAM_BASE + 4 * 6, USAGEFAULT_AT | 1u);
	put32(sim, SRAM_BASE + 4 * 11, SVCALL_AT | 1u);
	put16(sim, HARDFAULT_AT, hardfault_insn);
	put16(sim, USAGEFAULT_AT, T_BKPT(6));
	put16(sim, SVCALL_AT, T_MOVS_R4(42));
	put16(sim, SVCALL_AT + 2, T_BX_LR);
	for (guint i = 0; i < n; i++)
		put16(sim, CODE_AT + 2 * i, code[i]);
	wr(sim, VTOR, SRAM_BASE);
	wr(sim, CFSR, 0xFFFFFFFFu);
	wr(sim, HFSR, 0xFFFFFFFFu);
	st_set_reg(sim, REG_PC, CODE_AT);
	st_set_reg(sim, REG_XPSR, 1u << 24);
	st_set_reg(sim, REG_MSP, STACK_TOP);
	return sim;
}

static void
go(GlintSim *sim)
{
	wr(sim, DHCSR, DBGKEY | C_DEBUGEN);
	glint_sim_advance_time(sim, 100000);
}

/* An undefined instruction with no UsageFault handler enabled: the
 * firmware's HardFault handler runs, with the fault stacked */
START_TEST(test_hardfault_handler_runs)
{
	const guint16 code[] = {T_NOP, T_UDF0};
	g_autoptr(GlintSim) sim = run_firmware(code, G_N_ELEMENTS(code), T_BKPT(3));
	go(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_HALT);
	ck_assert_uint_eq(st_reg(sim, REG_PC), HARDFAULT_AT);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR) & 0x1FFu, 3);
	ck_assert_uint_eq(st_reg(sim, REG_LR), 0xFFFFFFF9u);
	ck_assert_uint_eq(st_reg(sim, REG_MSP), STACK_TOP - 32);
	ck_assert_uint_eq(glint_sim_peek32(sim, STACK_TOP - 32 + 24), CODE_AT + 2);
	ck_assert(rd(sim, CFSR) & CFSR_UNDEFINSTR);
	ck_assert_uint_eq(rd(sim, HFSR), HFSR_FORCED);
}
END_TEST

/* Enabled in SHCSR, the UsageFault handler takes it; no escalation */
START_TEST(test_usagefault_handler_runs)
{
	const guint16 code[] = {T_UDF0};
	g_autoptr(GlintSim) sim = run_firmware(code, G_N_ELEMENTS(code), T_BKPT(3));
	wr(sim, SHCSR, SHCSR_USGFAULTENA);
	go(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & S_HALT, S_HALT);
	ck_assert_uint_eq(st_reg(sim, REG_PC), USAGEFAULT_AT);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR) & 0x1FFu, 6);
	ck_assert_uint_eq(rd(sim, HFSR), 0);
}
END_TEST

/* SVC enters the SVCall handler, which returns past the SVC */
START_TEST(test_svc_handler_returns)
{
	const guint16 code[] = {T_MOVS_R0(1), T_MOVS_R4(1), T_SVC0, T_BKPT(1)};
	g_autoptr(GlintSim) sim = run_firmware(code, G_N_ELEMENTS(code), T_BKPT(3));
	go(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & S_HALT, S_HALT);
	ck_assert_uint_eq(st_reg(sim, REG_PC), CODE_AT + 6);
	ck_assert_uint_eq(st_reg(sim, 4), 42);
	ck_assert_uint_eq(st_reg(sim, REG_R0), 1);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR) & 0x1FFu, 0);
	ck_assert_uint_eq(st_reg(sim, REG_MSP), STACK_TOP);
}
END_TEST

/* A fault inside the HardFault handler: lockup at 0xFFFFFFFE, IPSR 3 */
START_TEST(test_fault_in_hardfault_locks_up)
{
	const guint16 code[] = {T_UDF0};
	g_autoptr(GlintSim) sim = run_firmware(code, G_N_ELEMENTS(code), T_UDF0);
	go(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & (S_LOCKUP | S_HALT), S_LOCKUP);
	halt(sim);
	ck_assert_uint_eq(st_reg(sim, REG_PC), 0xFFFFFFFEu);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR) & 0x1FFu, 3);
}
END_TEST

/* ---- 8: the rest of the chip ------------------------------------------ */

/* Turn the clock of the block holding @addr on (TRUE) or back off */
static guint32
clock_on(GlintSim *sim, guint32 addr)
{
	const SimBusBlock *b = sim_bus_block_find(sim, addr);
	guint32 before;
	if (b == NULL || b->enable_reg == 0)
		return 0;
	before = rd(sim, b->enable_reg);
	wr(sim, b->enable_reg, before | b->enable_mask);
	return before;
}

static void
clock_restore(GlintSim *sim, guint32 addr, guint32 before)
{
	const SimBusBlock *b = sim_bus_block_find(sim, addr);
	if (b != NULL && b->enable_reg != 0)
		wr(sim, b->enable_reg, before);
}

/* RM0351's reset values, read through the probe after power-on: first a
 * list written from the manual here, then every row of the machine's
 * table (so a modelled register and the table cannot disagree) */
START_TEST(test_reset_values)
{
	static const struct {
		guint32 addr, value;
	} rm0351[] = {
	    {0x40021000u, 0x00000063u}, /* RCC_CR */
	    {0x4002100Cu, 0x00001000u}, /* RCC_PLLCFGR */
	    {0x40021010u, 0x00001000u}, /* RCC_PLLSAI1CFGR */
	    {RCC_AHB1ENR, 0x00000100u}, {RCC_APB1SMENR1, 0xF2FECA3Fu},
	    {0x40021080u, 0x01677C01u}, /* RCC_APB2SMENR */
	    {RCC_CSR, 0x0C000600u},	{PWR_CR1, 0x00000200u},
	    {PWR_CR3, 0x00008000u},	{SYSCFG_CFGR1, 0x7C000001u},
	    {FLASH_ACR, 0x00000600u},	{0x40022014u, 0xC0000000u}, /* FLASH_CR */
	    {0xE0042004u, 0x00000000u},				    /* DBGMCU_CR */
	};
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	const SimPeriphMap *map = sim->machine->periph_map;
	st_enter_swd(sim);
	halt(sim);
	for (guint i = 0; i < G_N_ELEMENTS(rm0351); i++) {
		guint32 before = clock_on(sim, rm0351[i].addr);
		guint32 v = rd(sim, rm0351[i].addr);
		ck_assert_msg(v == rm0351[i].value, "0x%08x reads 0x%08x, RM0351 says 0x%08x",
			      rm0351[i].addr, v, rm0351[i].value);
		clock_restore(sim, rm0351[i].addr, before);
	}
	ck_assert_ptr_nonnull(map);
	for (guint i = 0; i < map->n_registers; i++) {
		const SimRegReset *r = &map->registers[i];
		guint32 before = clock_on(sim, r->addr);
		guint32 v = rd(sim, r->addr);
		ck_assert_msg(v == r->reset, "0x%08x reads 0x%08x, reset value 0x%08x", r->addr, v,
			      r->reset);
		clock_restore(sim, r->addr, before);
	}
}
END_TEST

/* RMVF as firmware sets it (read-modify-write: MSISRANGE kept) */
static void
remove_flags(GlintSim *sim)
{
	wr(sim, RCC_CSR, rd(sim, RCC_CSR) | RCC_CSR_RMVF);
}

static guint32
reset_flags(GlintSim *sim)
{
	guint32 v = rd(sim, RCC_CSR);
	ck_assert_uint_eq(v & 0x00FFFFFFu, RCC_CSR_MSISRANGE_4MHZ);
	return v & 0xFF000000u;
}

/* RCC_CSR: each reset source sets its flag (and PINRSTF: the reset pulse
 * drives NRST); flags stay until RMVF or the power goes */
START_TEST(test_reset_flags)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	const guint8 nrst_pulse[3] = {0xF2, 0x3C, 0x02};
	const guint8 resetsys[3] = {0xF2, 0x32};
	static const struct {
		SimResetSource source;
		guint32 flag;
	} unmodelled[] = {
	    {SIM_RESET_IWDG, RCC_CSR_IWDGRSTF},
	    {SIM_RESET_WWDG, RCC_CSR_WWDGRSTF},
	    {SIM_RESET_LOW_POWER, RCC_CSR_LPWRRSTF},
	};
	st_enter_swd(sim);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_BORRSTF | RCC_CSR_PINRSTF);
	remove_flags(sim);
	ck_assert_uint_eq(reset_flags(sim), 0);
	/* software reset; the flags add up until removed */
	wr(sim, AIRCR, 0x05FA0004u);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF);
	ck_assert_uint_eq(st_status2(sim, nrst_pulse), STATUS_OK);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF);
	remove_flags(sim);
	ck_assert_uint_eq(st_status2(sim, nrst_pulse), STATUS_OK);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_PINRSTF);
	/* the probe's RESETSYS is a software reset */
	remove_flags(sim);
	ck_assert_uint_eq(st_status2(sim, resetsys), STATUS_OK);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF);
	/* option-byte load */
	remove_flags(sim);
	flash_opt_unlock(sim);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_OBL_LAUNCH), STATUS_DP_ERROR);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_OBLRSTF | RCC_CSR_PINRSTF);
	/* the sources the emulator has no event for yet (watchdogs, low-power
	 * modes) record their flags from the same table */
	for (guint i = 0; i < G_N_ELEMENTS(unmodelled); i++) {
		remove_flags(sim);
		sim_system_reset_from(sim, unmodelled[i].source);
		ck_assert_uint_eq(reset_flags(sim), unmodelled[i].flag | RCC_CSR_PINRSTF);
	}
	/* a write without RMVF keeps them */
	wr(sim, RCC_CSR, rd(sim, RCC_CSR) & ~RCC_CSR_RMVF);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_LPWRRSTF | RCC_CSR_PINRSTF);
	/* power-on: only its own */
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq(reset_flags(sim), RCC_CSR_BORRSTF | RCC_CSR_PINRSTF);
}
END_TEST

/* Every peripheral block of the memory map answers the debugger (an IDE
 * reads them all); one the emulator does not model reads 0 and ignores
 * writes; a reserved address still faults */
START_TEST(test_unmodelled_peripherals_read_zero)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	const SimPeriphMap *map = sim->machine->periph_map;
	guint8 cmd[16], data[64];
	guint32 fault_addr = 0;
	st_enter_swd(sim);
	halt(sim);
	for (guint i = 0; i < map->n_blocks; i++) {
		const SimBusBlock *b = &map->blocks[i];
		guint32 v = 0;
		guint8 status = st_read32(sim, b->base, &v);
		ck_assert_msg(status == STATUS_OK, "%s at 0x%08x: status 0x%02x", b->name, b->base,
			      status);
	}
	wr(sim, RCC_APB1ENR1, 1u); /* TIM2EN */
	wr(sim, TIM2, 0x81u);
	st_mem_cmd(cmd, 0x07, TIM2, sizeof(data));
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, data, sizeof(data)), sizeof(data));
	ck_assert_uint_eq(st_last_status(sim, NULL), STATUS_OK);
	for (guint i = 0; i < sizeof(data); i++)
		ck_assert_uint_eq(data[i], 0);
	ck_assert_uint_eq(rd(sim, OTG_FS), 0);
	ck_assert_uint_eq(st_read32(sim, RESERVED, NULL), STATUS_AP_FAULT);
	st_mem_cmd(cmd, 0x07, RESERVED, 8);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, data, 8), 8);
	ck_assert_uint_eq(st_last_status(sim, &fault_addr), STATUS_AP_FAULT);
	ck_assert_uint_eq(fault_addr, RESERVED);
}
END_TEST

/* With its clock off a peripheral reads 0 and ignores writes, modelled or
 * not; on, it shows its reset values and what was written since */
START_TEST(test_clock_off_reads_zero)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	st_enter_swd(sim);
	halt(sim);
	/* GPIOA (modelled) */
	ck_assert_uint_eq(rd(sim, RCC_AHB2ENR), 0);
	ck_assert_uint_eq(rd(sim, GPIOA_MODER), 0);
	wr(sim, GPIOA_ODR, 0x20u);
	wr(sim, RCC_AHB2ENR, 1u);
	ck_assert_uint_eq(rd(sim, GPIOA_MODER), 0xABFFFFFFu);
	ck_assert_uint_eq(rd(sim, GPIOA_ODR), 0);
	wr(sim, GPIOA_ODR, 0x20u);
	ck_assert_uint_eq(rd(sim, GPIOA_ODR), 0x20u);
	/* off again: its registers keep their value, hidden */
	wr(sim, RCC_AHB2ENR, 0);
	ck_assert_uint_eq(rd(sim, GPIOA_ODR), 0);
	wr(sim, RCC_AHB2ENR, 1u);
	ck_assert_uint_eq(rd(sim, GPIOA_ODR), 0x20u);
	/* CRC (modelled), PWR (plain storage with reset values) */
	ck_assert_uint_eq(rd(sim, CRC_INIT_ADDR), 0);
	wr(sim, RCC_AHB1ENR, rd(sim, RCC_AHB1ENR) | (1u << 12));
	ck_assert_uint_eq(rd(sim, CRC_INIT_ADDR), 0xFFFFFFFFu);
	ck_assert_uint_eq(rd(sim, PWR_CR1), 0);
	wr(sim, PWR_CR1, 0x400u);
	wr(sim, RCC_APB1ENR1, 1u << 28);
	ck_assert_uint_eq(rd(sim, PWR_CR1), 0x200u);
	/* the code sees the same */
	ck_assert_uint_eq(rd(sim, RCC_AHB2ENR), 1u);
}
END_TEST

/* ---- another machine: the mechanisms come from its data --------------- */

/* A Cortex-M0 (ARMv6-M) with 8 KB of SRAM at 0x20000000, flash at
 * 0x08000000, one peripheral block gated by bit 0 of a clock register and
 * its reset flags in a register of its own */
enum { M0_FLASH, M0_SRAM };
#define M0_CLOCK_REG 0x40021034u
#define M0_GATED_BLOCK 0x40013000u
#define M0_FLAGS_REG 0x40021024u
#define M0_FLAG_REMOVE (1u << 23)
#define M0_FLAG_POR (1u << 27)
#define M0_FLAG_PIN (1u << 26)
#define M0_FLAG_SOFT (1u << 28)

static const SimRegion m0_regions[] = {
    [M0_FLASH] = {"flash", SIM_REGION_FLASH, 0x08000000u, 0,
		  SIM_REGION_PROGRAMMED | SIM_REGION_NONVOLATILE | SIM_REGION_EXEC, 0xFF},
    [M0_SRAM] = {"sram", SIM_REGION_SRAM, 0x20000000u, 8 * 1024,
		 SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
};

static const SimBusBlock m0_blocks[] = {
    {"RCC", 0x40021000u, 0x400, 0, 0},
    {"SPI1", M0_GATED_BLOCK, 0x400, M0_CLOCK_REG, 1u << 0},
};

static const SimRegReset m0_registers[] = {
    {M0_GATED_BLOCK + 0x04u, 0x00000700u, 0, 0},
    {M0_CLOCK_REG, 0, 0, 0},
};

static const SimPeriphMap m0_map = {
    .blocks = m0_blocks,
    .n_blocks = G_N_ELEMENTS(m0_blocks),
    .registers = m0_registers,
    .n_registers = G_N_ELEMENTS(m0_registers),
    .reset_flags = {.reg = M0_FLAGS_REG,
		    .mask = 0xFF000000u,
		    .remove = M0_FLAG_REMOVE,
		    .set = {[SIM_RESET_POWER_ON] = M0_FLAG_POR | M0_FLAG_PIN,
			    [SIM_RESET_PIN] = M0_FLAG_PIN,
			    [SIM_RESET_SOFTWARE] = M0_FLAG_SOFT | M0_FLAG_PIN}},
};

static const SimPeriph m0_periphs[] = {
    {"RCC", 0x40021000u, 0x400, 0, sim_plain_read, sim_plain_write},
};

static guint32
m0_hclk(GlintSim *sim)
{
	return 8000000u;
}

static void
m0_map_windows(GlintSim *sim, SimMap *map)
{
	sim_map_forward(map, 0, sim->mem_size[M0_FLASH], 0x08000000u);
}

static void
m0_nothing(GlintSim *sim)
{
}

static void
m0_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
}

static const SimMachineOps m0_ops = {
    .map_windows = m0_map_windows,
    .hclk_hz = m0_hclk,
    .mem_write = m0_mem_write,
    .protect_first_unit = m0_nothing,
    .set_rdp_level1 = m0_nothing,
    .leave_stale_flags = m0_nothing,
};

static const SimMachine m0_machine = {
    .name = "m0",
    .family = "STM32M0TEST",
    .core = SIM_CORE_CORTEX_M0,
    .regions = m0_regions,
    .n_regions = G_N_ELEMENTS(m0_regions),
    .periphs = m0_periphs,
    .n_periphs = G_N_ELEMENTS(m0_periphs),
    .systick_ext_div = 8,
    .vector_count = 48,
    .ops = &m0_ops,
    .periph_map = &m0_map,
};

static const SimBoard m0_board = {
    "m0-board", "M0-BOARD", "STM32M0TEST", &m0_machine, 16, 0x10006440u, "a machine of the tests",
};

/* Its blank chip locks up as ARMv6-M says (no fault status registers:
 * every fault is a HardFault), its reset flags, reset values and gate are
 * its own table's */
START_TEST(test_other_machine_from_data)
{
	const SimScenario *fresh = sim_scenario_find(&m0_board, "fresh");
	g_autoptr(GlintSim) sim = sim_new_internal(&m0_board, fresh, NULL);
	const guint8 nrst_pulse[3] = {0xF2, 0x3C, 0x02};
	st_enter_swd(sim);
	ck_assert_uint_eq(rd(sim, DHCSR) & S_LOCKUP, S_LOCKUP);
	halt(sim);
	ck_assert_uint_eq(st_reg(sim, REG_XPSR), 0x01000003u);
	ck_assert_uint_eq(st_reg(sim, REG_PC), 0xFFFFFFFEu);
	ck_assert_uint_eq(st_reg(sim, REG_MSP), 0xFFFFFFD8u);
	ck_assert_uint_eq(rd(sim, M0_FLAGS_REG) & 0xFF000000u, M0_FLAG_POR | M0_FLAG_PIN);
	wr(sim, M0_FLAGS_REG, M0_FLAG_REMOVE);
	ck_assert_uint_eq(st_status2(sim, nrst_pulse), STATUS_OK);
	ck_assert_uint_eq(rd(sim, M0_FLAGS_REG) & 0xFF000000u, M0_FLAG_PIN);
	ck_assert_uint_eq(rd(sim, M0_GATED_BLOCK + 0x04u), 0);
	wr(sim, M0_CLOCK_REG, 1u);
	ck_assert_uint_eq(rd(sim, M0_GATED_BLOCK + 0x04u), 0x700u);
	ck_assert_uint_eq(st_read32(sim, 0x40030000u, NULL), STATUS_AP_FAULT);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-fidelity");
	TCase *probe = tcase_create("probe");
	TCase *core = tcase_create("core");
	TCase *chip = tcase_create("chip");
	tcase_add_test(probe, test_probe_no_target);
	tcase_add_test(probe, test_probe_swd_disabled);
	tcase_add_test(core, test_blank_chip_locks_up);
	tcase_add_test(core, test_lockup_halt_resume_reset);
	tcase_add_test(core, test_hardfault_handler_runs);
	tcase_add_test(core, test_usagefault_handler_runs);
	tcase_add_test(core, test_svc_handler_returns);
	tcase_add_test(core, test_fault_in_hardfault_locks_up);
	tcase_add_test(chip, test_reset_values);
	tcase_add_test(chip, test_reset_flags);
	tcase_add_test(chip, test_unmodelled_peripherals_read_zero);
	tcase_add_test(chip, test_clock_off_reads_zero);
	tcase_add_test(chip, test_other_machine_from_data);
	suite_add_tcase(s, probe);
	suite_add_tcase(s, core);
	suite_add_tcase(s, chip);
	return run_suite(s);
}
