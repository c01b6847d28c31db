/* sim-debug.c: the Cortex-M4 debug registers, core registers and resets.
 *
 * Code executes in sim-cpu.c; this file decides when the core halts, runs,
 * steps or resets. Core registers are reachable through DCRSR/DCRDR while
 * halted (sim-cpu.c keeps them in Unicorn while code runs). A system reset
 * keeps the debug registers (DHCSR.C_DEBUGEN, DEMCR survive); a power cycle
 * clears them (ARMv7-M C1.4). */
#define G_LOG_DOMAIN "glint-sim"

#include <unicorn/unicorn.h>

#include "sim-faults.h"
#include "sim-private.h"

/* The cores a machine can have: what Unicorn runs and what the debugger
 * reads to identify it. The M4 (L4, F3), M3 (F1), M0 (F0) and M7 (H7) rows
 * are exercised by machines; the others are recalled from the cores'
 * technical reference manuals: check them before a machine relies on them.
 * The SW-DP belongs to the chip rather than the core (an H7's is
 * 0x6BA02477, an F7's 0x5BA02477) and cores come in revisions: a machine
 * states its own (SimMachine.dp_idcode, .cpuid) where they differ. */
static const SimCoreModel sim_core_models[] = {
    /* r0p0, SW-DP 0x0BB11477 (RM0091 32.5.3; OpenOCD's stm32f0x.cfg).
     * ARMv6-M: a BPU of 4 comparators, a DWT of 2 (Cortex-M0 and M0+
     * TRMs; the STM32G0's M0+ r0p1 has both, RM0444 40.5) */
    {SIM_CORE_CORTEX_M0, "Cortex-M0", UC_CPU_ARM_CORTEX_M0, 0x410CC200u, 0x0BB11477u, 0x04770021u,
     FP_CTRL_ARMV6M_RESET, DWT_CTRL_ARMV6M_RESET},
    /* Unicorn 2.0.1 has no M0+: the M0 model runs ARMv6-M the same */
    {SIM_CORE_CORTEX_M0PLUS, "Cortex-M0+", UC_CPU_ARM_CORTEX_M0, 0x410CC601u, 0x0BC11477u,
     0x04770031u, FP_CTRL_ARMV6M_RESET, DWT_CTRL_ARMV6M_RESET},
    /* r1p1, the STM32F10x's (RM0008 31.2), SW-DP 0x1BA01477 (RM0008 31.8.3;
     * OpenOCD's stm32f1x.cfg), AHB-AP revision 1 */
    {SIM_CORE_CORTEX_M3, "Cortex-M3", UC_CPU_ARM_CORTEX_M3, 0x411FC231u, 0x1BA01477u, 0x14770011u,
     FP_CTRL_RESET, DWT_CTRL_RESET},
    /* r0p1, SW-DP v1, AHB-AP (reference 3.5; checked against the L476) */
    {SIM_CORE_CORTEX_M4, "Cortex-M4", UC_CPU_ARM_CORTEX_M4, CPUID_CORTEX_M4_R0P1, 0x2BA01477u,
     0x24770011u, FP_CTRL_RESET, DWT_CTRL_RESET},
    {SIM_CORE_CORTEX_M7, "Cortex-M7", UC_CPU_ARM_CORTEX_M7, 0x411FC272u, 0x5BA02477u, 0x74770001u,
     FP_CTRL_RESET, DWT_CTRL_RESET},
    {SIM_CORE_CORTEX_M33, "Cortex-M33", UC_CPU_ARM_CORTEX_M33, 0x411FD210u, 0x0BE12477u,
     0x84770001u, FP_CTRL_RESET, DWT_CTRL_RESET},
    /* r2p1: SW-DP 0x2BA01477 as CKS32F103 and APM32F103 answer (stlink-org
     * #805, Geehy's apm32f1x.cfg), AHB-AP revision 2 */
    {SIM_CORE_CORTEX_M3_R2P1, "Cortex-M3 r2p1", UC_CPU_ARM_CORTEX_M3, 0x412FC231u, 0x2BA01477u,
     0x24770011u, FP_CTRL_RESET, DWT_CTRL_RESET},
};

guint32
sim_core_mvfr(GlintSim *sim, guint index)
{
	/* Cortex-M4F (PM0214 4.6.5): single precision; Cortex-M7 (recalled:
	 * check against PM0253 before a machine relies on it) double; the
	 * Cortex-M33 as the M4F. M0/M0+/M3 have no FPU: the registers read 0. */
	switch (sim->machine->core) {
	case SIM_CORE_CORTEX_M4:
	case SIM_CORE_CORTEX_M33:
		return index == 0 ? 0x10110021u : 0x11000011u;
	case SIM_CORE_CORTEX_M7:
		return index == 0 ? 0x10110221u : 0x12000011u;
	default:
		return 0;
	}
}

gboolean
sim_core_is_armv6m(GlintSim *sim)
{
	return sim->machine->core == SIM_CORE_CORTEX_M0 ||
	       sim->machine->core == SIM_CORE_CORTEX_M0PLUS;
}

const SimCoreModel *
sim_core_model(GlintSim *sim)
{
	for (guint i = 0; i < G_N_ELEMENTS(sim_core_models); i++) {
		if (sim_core_models[i].type == sim->machine->core)
			return &sim_core_models[i];
	}
	g_return_val_if_reached(&sim_core_models[0]);
}

guint32
sim_dp_idcode(GlintSim *sim)
{
	return sim->machine->dp_idcode != 0 ? sim->machine->dp_idcode
					    : sim_core_model(sim)->dp_idcode;
}

guint32
sim_cpuid(GlintSim *sim)
{
	return sim->machine->cpuid != 0 ? sim->machine->cpuid : sim_core_model(sim)->cpuid;
}

/* CoreSight identification registers of the components the ROM table lists */
typedef struct {
	guint32 addr;
	guint32 value;
} SimPpbInit;

static const SimPpbInit sim_ppb_init[] = {
    /* ROM table: SCS, DWT, FPB, ITM, TPIU, ETM (ETM not present), end */
    {ROMTABLE_BASE + 0x000, 0xFFF0F003u},
    {ROMTABLE_BASE + 0x004, 0xFFF02003u},
    {ROMTABLE_BASE + 0x008, 0xFFF03003u},
    {ROMTABLE_BASE + 0x00C, 0xFFF01003u},
    {ROMTABLE_BASE + 0x010, 0xFFF41003u},
    {ROMTABLE_BASE + 0x014, 0xFFF42002u},
    {ROMTABLE_BASE + 0xFCC, 0x00000001u},
    /* ROM table PIDR: ST (JEP106 0x20), the part number is the DEV_ID
     * (sim_ppb_defaults); CIDR class 1 */
    {ROMTABLE_BASE + 0xFD0, 0x00u},
    {ROMTABLE_BASE + 0xFE8, 0x0Au},
    {ROMTABLE_BASE + 0xFF0, 0x0Du},
    {ROMTABLE_BASE + 0xFF4, 0x10u},
    {ROMTABLE_BASE + 0xFF8, 0x05u},
    {ROMTABLE_BASE + 0xFFC, 0xB1u},
    /* SCS, DWT, FPB, ITM, TPIU: ARM PIDR0..2 and PIDR4, CIDR class 0xE */
    {SCS_BASE + 0xFD0, 0x04u},
    {SCS_BASE + 0xFE0, 0x0Cu},
    {SCS_BASE + 0xFE4, 0xB0u},
    {SCS_BASE + 0xFE8, 0x0Bu},
    {DWT_BASE + 0xFD0, 0x04u},
    {DWT_BASE + 0xFE0, 0x02u},
    {DWT_BASE + 0xFE4, 0xB0u},
    {DWT_BASE + 0xFE8, 0x3Bu},
    {FPB_BASE + 0xFD0, 0x04u},
    {FPB_BASE + 0xFE0, 0x03u},
    {FPB_BASE + 0xFE4, 0xB0u},
    {FPB_BASE + 0xFE8, 0x2Bu},
    {ITM_BASE + 0xFD0, 0x04u},
    {ITM_BASE + 0xFE0, 0x01u},
    {ITM_BASE + 0xFE4, 0xB0u},
    {ITM_BASE + 0xFE8, 0x3Bu},
    {TPIU_BASE + 0xFD0, 0x04u},
    {TPIU_BASE + 0xFE0, 0xA1u},
    {TPIU_BASE + 0xFE4, 0xB9u},
    {TPIU_BASE + 0xFE8, 0x0Bu},
};

static const guint32 sim_component_bases[] = {SCS_BASE, DWT_BASE, FPB_BASE, ITM_BASE, TPIU_BASE};

/* The 4 KB component blocks that exist on the private peripheral bus */
static gboolean
sim_ppb_mapped(guint32 addr)
{
	static const guint32 blocks[] = {ITM_BASE,  DWT_BASE, FPB_BASE,	    SCS_BASE,
					 TPIU_BASE, ETM_BASE, ROMTABLE_BASE};
	for (guint i = 0; i < G_N_ELEMENTS(blocks); i++) {
		if (addr >= blocks[i] && addr - blocks[i] < 0x1000u)
			return TRUE;
	}
	return FALSE;
}

static void
sim_ppb_set(GlintSim *sim, guint32 addr, guint32 value)
{
	g_hash_table_insert(sim->core.ppb, GUINT_TO_POINTER(addr), GUINT_TO_POINTER(value));
}

static void
sim_ppb_defaults(GlintSim *sim)
{
	g_hash_table_remove_all(sim->core.ppb);
	for (guint i = 0; i < G_N_ELEMENTS(sim_ppb_init); i++)
		sim_ppb_set(sim, sim_ppb_init[i].addr, sim_ppb_init[i].value);
	for (guint i = 0; i < G_N_ELEMENTS(sim_component_bases); i++) {
		static const guint8 cid[] = {0x0D, 0xE0, 0x05, 0xB1};
		for (guint j = 0; j < 4; j++)
			sim_ppb_set(sim, sim_component_bases[i] + 0xFF0 + 4 * j, cid[j]);
	}
	/* PIDR0/PIDR1 [3:0]: the part number, ST's DEV_ID (reference 3.5) */
	sim_ppb_set(sim, ROMTABLE_BASE + 0xFE0, sim->dbgmcu_idcode & 0xFFu);
	sim_ppb_set(sim, ROMTABLE_BASE + 0xFE4, (sim->dbgmcu_idcode >> 8) & 0xFu);
	sim_ppb_set(sim, DWT_CTRL_ADDR, sim_core_model(sim)->dwt_ctrl);
	sim->core.fp_ctrl = sim_core_model(sim)->fp_ctrl;
}

guint
sim_fpb_comparators(GlintSim *sim)
{
	/* NUM_CODE [7:4]; the cores modelled have fewer than 16 */
	return MIN((sim_core_model(sim)->fp_ctrl >> 4) & 0xFu, FP_COMP_COUNT);
}

void
sim_core_init(GlintSim *sim)
{
	sim->core.ppb = g_hash_table_new(g_direct_hash, g_direct_equal);
	sim_ppb_defaults(sim);
}

void
sim_core_clear(GlintSim *sim)
{
	sim_cpu_clear(sim);
	g_clear_pointer(&sim->core.ppb, g_hash_table_unref);
}

static guint
sim_regsel_resolve(GlintSim *sim, guint regsel)
{
	/* SP is MSP or PSP by CONTROL.SPSEL (CONTROL is bits [25:24] of sel 20) */
	if (regsel == REGSEL_SP)
		return (sim->core.regs[REGSEL_CONTROL] & (2u << 24)) ? REGSEL_PSP : REGSEL_MSP;
	return regsel;
}

static gboolean
sim_regsel_valid(guint regsel)
{
	return regsel <= REGSEL_CONTROL || regsel == REGSEL_FPSCR ||
	       (regsel >= REGSEL_S0 && regsel < REGSEL_COUNT);
}

guint32
sim_core_reg_get(GlintSim *sim, guint regsel)
{
	if (!sim_regsel_valid(regsel))
		return 0;
	sim_cpu_pull_regs(sim);
	return sim->core.regs[sim_regsel_resolve(sim, regsel)];
}

void
sim_core_reg_set(GlintSim *sim, guint regsel, guint32 value)
{
	if (!sim_regsel_valid(regsel) || regsel == 19)
		return;
	sim_cpu_pull_regs(sim);
	sim->core.regs[sim_regsel_resolve(sim, regsel)] = value;
}

void
sim_core_halt(GlintSim *sim)
{
	sim->core.dhcsr_c |= DHCSR_C_DEBUGEN | DHCSR_C_HALT;
	if (sim->core.nrst_low)
		return; /* takes effect when reset is released */
	if (!sim->core.halted)
		sim->core.dfsr |= DFSR_HALTED;
	sim->core.halted = TRUE;
	sim->core.regrdy = TRUE;
	/* Debug state ends sleep and lockup (ARMv7-M C1.6.2 S_LOCKUP) */
	sim->cpu.sleeping = FALSE;
	sim->cpu.lockup = FALSE;
}

void
sim_core_step(GlintSim *sim)
{
	/* one instruction, then halted again */
	if (!sim->core.halted)
		return;
	sim_cpu_step(sim);
}

void
sim_core_run(GlintSim *sim)
{
	sim->core.dhcsr_c &= ~(DHCSR_C_HALT | DHCSR_C_STEP);
	if (sim->core.nrst_low)
		return;
	if (!sim->core.halted)
		return;
	sim->core.halted = FALSE;
	sim->core.regrdy = FALSE;
	sim_cpu_started(sim);
}

/* What the core does when it leaves reset: vector catch or a pending halt
 * request stops it before the first instruction. */
static void
sim_core_leave_reset(GlintSim *sim)
{
	SimCore *c = &sim->core;
	gboolean debugen = (c->dhcsr_c & DHCSR_C_DEBUGEN) != 0;
	if (debugen && (c->demcr & DEMCR_VC_CORERESET)) {
		c->halted = TRUE;
		c->dhcsr_c |= DHCSR_C_HALT;
		c->dfsr |= DFSR_VCATCH;
	} else if (debugen && (c->dhcsr_c & DHCSR_C_HALT)) {
		c->halted = TRUE;
		c->dfsr |= DFSR_HALTED;
	} else {
		c->halted = FALSE;
	}
	c->regrdy = c->halted;
	if (!c->halted)
		sim_cpu_started(sim);
}

static guint32
sim_boot_vector_base(GlintSim *sim)
{
	const SimMachineOps *ops = sim->machine->ops;
	/* the vector table the boot mode selects; 0 is the boot alias */
	return ops->boot_address != NULL ? ops->boot_address(sim) : 0;
}

void
sim_core_reset(GlintSim *sim)
{
	SimCore *c = &sim->core;
	guint32 base = sim_boot_vector_base(sim);
	guint32 sp = 0xFFFFFFFFu, pc = 0xFFFFFFFFu;
	/* requested by the code itself: done once its run stops */
	if (sim_cpu_defer_reset(sim, FALSE, SIM_RESET_SOFTWARE))
		return;
	sim_cpu_reset_state(sim);
	/* VTOR resets to where the vectors were fetched: 0 on the cores with a
	 * boot alias (ARMv7-M B3.2.5); the H7's Cortex-M7 takes the boot
	 * address (BOOT_ADD0/1) as its initial VTOR, or its faults would take
	 * their vectors from the ITCM at 0 */
	sim_ppb_set(sim, VTOR_ADDR, base & VTOR_TBLOFF_MASK);
	/* the core fetches its vectors itself: read protection may refuse them
	 * (RDP level 1 with a debugger); a refused fetch leaves all ones, so
	 * the core sits at 0xFFFFFFFE and locks up when it runs */
	if (sim_bus_read(sim, SIM_ACCESS_CORE, base, 4, &sp) != SIM_BUS_OK)
		sp = 0xFFFFFFFFu;
	if (sim_bus_read(sim, SIM_ACCESS_CORE, base + 4, 4, &pc) != SIM_BUS_OK)
		pc = 0xFFFFFFFFu;
	c->regs[REGSEL_MSP] = sp & ~3u;
	c->regs[REGSEL_PSP] = 0;
	c->regs[REGSEL_PC] = pc & ~1u;
	c->regs[REGSEL_LR] = 0xFFFFFFFFu;
	c->regs[REGSEL_XPSR] = (pc & 1u) ? XPSR_THUMB : 0;
	c->regs[REGSEL_CONTROL] = 0;
	c->regs[REGSEL_FPSCR] = 0;
	c->reset_st = TRUE;
	if (c->nrst_low) {
		c->halted = FALSE;
		return;
	}
	sim_core_leave_reset(sim);
}

void
sim_system_reset_from(GlintSim *sim, SimResetSource source)
{
	if (sim_cpu_defer_reset(sim, TRUE, source))
		return;
	sim_reset_flags_record(sim, source);
	/* what the boot decides (the L4's bank swap) comes first */
	if (sim->machine->ops->system_reset != NULL)
		sim->machine->ops->system_reset(sim);
	/* plain registers forget what was written (those of the backup domain
	 * only at power-on); modelled peripherals reset */
	sim_plain_reset(sim, source == SIM_RESET_POWER_ON);
	for (guint i = 0; i < sim->machine->n_periphs; i++) {
		const SimPeriph *p = &sim->machine->periphs[i];
		if (p->reset != NULL)
			p->reset(sim, p);
	}
	sim_cpu_clock_changed(sim);
	sim->core.cfsr = 0;
	sim->core.hfsr = 0;
	sim->core.aircr_prigroup = 0;
	sim_core_reset(sim);
}

void
sim_system_reset(GlintSim *sim)
{
	sim_system_reset_from(sim, SIM_RESET_OPTION_LOAD);
}

void
sim_core_power_on(GlintSim *sim)
{
	SimCore *c = &sim->core;
	c->dhcsr_c = 0;
	c->demcr = 0;
	c->dfsr = 0;
	c->dcrdr = 0;
	c->retire_st = FALSE;
	/* debug registers outside the core (DBGMCU) keep their value until now */
	for (guint i = 0; i < sim->machine->n_periphs; i++) {
		const SimPeriph *p = &sim->machine->periphs[i];
		if (p->power_on != NULL)
			p->power_on(sim, p);
	}
	/* the registers Unicorn holds go too */
	sim_cpu_reset_state(sim);
	for (guint i = 0; i < REGSEL_COUNT; i++)
		c->regs[i] = 0;
	sim_ppb_defaults(sim);
	sim_trace_power_on(sim);
	sim_system_reset_from(sim, SIM_RESET_POWER_ON);
}

void
sim_set_nrst(GlintSim *sim, gboolean low)
{
	/* an unpowered chip is held in reset by its supply monitor: the pin
	 * changes nothing on it (power-on honours a pin still held low) */
	gboolean powered = sim->target_mv >= sim_faults_bor_mv(sim);
	if (low) {
		sim->core.nrst_low = TRUE;
		if (powered) {
			sim->core.halted = FALSE;
			sim->core.reset_st = TRUE;
		}
		return;
	}
	if (!sim->core.nrst_low)
		return;
	sim->core.nrst_low = FALSE;
	if (powered)
		sim_system_reset_from(sim, SIM_RESET_PIN);
}

static guint32
sim_dhcsr_read(GlintSim *sim)
{
	SimCore *c = &sim->core;
	gboolean running = sim_cpu_executing(sim);
	guint32 v = c->dhcsr_c;
	if (c->regrdy)
		v |= DHCSR_S_REGRDY;
	if (c->halted)
		v |= DHCSR_S_HALT;
	if (c->reset_st || c->nrst_low)
		v |= DHCSR_S_RESET_ST;
	if (sim->cpu.sleeping && !c->halted)
		v |= DHCSR_S_SLEEP;
	if (sim->cpu.lockup && !c->halted)
		v |= DHCSR_S_LOCKUP;
	/* a running core retires instructions between any two reads */
	if (c->retire_st || running)
		v |= DHCSR_S_RETIRE_ST;
	if (!sim->peeking) {
		/* sticky bits clear on read (ARMv7-M C1.6.2) */
		c->reset_st = FALSE;
		c->retire_st = FALSE;
	}
	return v;
}

static void
sim_dhcsr_write(GlintSim *sim, guint32 value)
{
	SimCore *c = &sim->core;
	guint32 ctl = value & DHCSR_C_MASK;
	/* writes without the debug key are ignored */
	if ((value >> 16) != DHCSR_DBGKEY)
		return;
	if (!(ctl & DHCSR_C_DEBUGEN)) {
		c->dhcsr_c = 0;
		if (c->halted)
			sim_core_run(sim);
		return;
	}
	c->dhcsr_c = ctl;
	if (c->nrst_low)
		return; /* a halt request during reset is honoured at release */
	if (ctl & DHCSR_C_HALT) {
		sim_core_halt(sim);
	} else if (c->halted && (ctl & DHCSR_C_STEP)) {
		sim_core_step(sim);
	} else if (c->halted) {
		sim_core_run(sim);
	}
}

static void
sim_dcrsr_write(GlintSim *sim, guint32 value)
{
	guint regsel = value & DCRSR_REGSEL_MASK;
	/* core registers are only reachable in Debug state */
	if (!sim->core.halted)
		return;
	if (value & DCRSR_REGWNR)
		sim_core_reg_set(sim, regsel, sim->core.dcrdr);
	else
		sim->core.dcrdr = sim_core_reg_get(sim, regsel);
	sim->core.regrdy = TRUE;
}

static void
sim_aircr_write(GlintSim *sim, guint32 value)
{
	if ((value >> 16) != AIRCR_VECTKEY)
		return;
	sim->core.aircr_prigroup = value & AIRCR_PRIGROUP_MASK;
	if (value & AIRCR_SYSRESETREQ)
		sim_system_reset_from(sim, SIM_RESET_SOFTWARE);
	else if ((value & AIRCR_VECTRESET) && !sim_core_is_armv6m(sim))
		sim_core_reset(sim);
}

gboolean
sim_ppb_read(GlintSim *sim, guint32 addr, guint32 *value)
{
	SimCore *c = &sim->core;
	if (!sim_ppb_mapped(addr))
		return FALSE;
	if (sim_systick_owns(addr)) {
		*value = sim_systick_read(sim, addr);
		return TRUE;
	}

	switch (addr) {
	case CPUID_ADDR:
		*value = sim_cpuid(sim);
		return TRUE;
	case ICSR_ADDR:
		/* VECTACTIVE only: no NVIC, so nothing is ever pending here */
		*value = sim_core_reg_get(sim, REGSEL_XPSR) & ICSR_VECTACTIVE_MASK;
		return TRUE;
	case AIRCR_ADDR:
		*value = ((guint32)AIRCR_VECTKEYSTAT << 16) | c->aircr_prigroup;
		return TRUE;
	case CFSR_ADDR:
		*value = c->cfsr;
		return TRUE;
	case HFSR_ADDR:
		*value = c->hfsr;
		return TRUE;
	case DFSR_ADDR:
		*value = c->dfsr;
		return TRUE;
	case DHCSR_ADDR:
		*value = sim_dhcsr_read(sim);
		return TRUE;
	case DCRSR_ADDR:
		*value = 0; /* write-only */
		return TRUE;
	case DCRDR_ADDR:
		*value = c->dcrdr;
		return TRUE;
	case DEMCR_ADDR:
		*value = c->demcr;
		return TRUE;
	case FP_CTRL_ADDR:
		*value = c->fp_ctrl;
		return TRUE;
	case MVFR0_ADDR:
	case MVFR1_ADDR:
		*value = sim_core_mvfr(sim, addr == MVFR0_ADDR ? 0 : 1);
		return TRUE;
	default:
		break;
	}
	/* the rest: plain storage, reads as zero until written */
	*value = GPOINTER_TO_UINT(g_hash_table_lookup(c->ppb, GUINT_TO_POINTER(addr)));
	return TRUE;
}

gboolean
sim_ppb_write(GlintSim *sim, guint32 addr, guint32 value)
{
	SimCore *c = &sim->core;
	if (!sim_ppb_mapped(addr))
		return FALSE;
	/* identification registers and the ROM table are read-only */
	if (addr >= ROMTABLE_BASE || (addr & 0xFFFu) >= 0xFD0u)
		return TRUE;
	if (sim_systick_owns(addr)) {
		sim_systick_write(sim, addr, value);
		return TRUE;
	}
	switch (addr) {
	case CPUID_ADDR:
	case MVFR0_ADDR:
	case MVFR1_ADDR:
		return TRUE;
	case CCR_ADDR: {
		guint32 old = GPOINTER_TO_UINT(g_hash_table_lookup(c->ppb, GUINT_TO_POINTER(addr)));
		sim_ppb_set(sim, addr, value);
		if ((old ^ value) & CCR_DIV_0_TRP)
			sim_cpu_ccr_changed(sim);
		return TRUE;
	}
	case AIRCR_ADDR:
		sim_aircr_write(sim, value);
		return TRUE;
	case CFSR_ADDR:
		c->cfsr &= ~value;
		return TRUE;
	case HFSR_ADDR:
		c->hfsr &= ~value;
		return TRUE;
	case DFSR_ADDR:
		c->dfsr &= ~value;
		return TRUE;
	case DHCSR_ADDR:
		sim_dhcsr_write(sim, value);
		return TRUE;
	case DCRSR_ADDR:
		sim_dcrsr_write(sim, value);
		return TRUE;
	case DCRDR_ADDR:
		c->dcrdr = value;
		return TRUE;
	case DEMCR_ADDR:
		c->demcr = value & DEMCR_MASK;
		sim_trace_counter_gate_changed(sim);
		return TRUE;
	case FP_CTRL_ADDR:
		/* ENABLE changes only when KEY is written as 1 */
		if (value & FP_CTRL_KEY)
			c->fp_ctrl = (c->fp_ctrl & ~FP_CTRL_ENABLE) | (value & FP_CTRL_ENABLE);
		sim_cpu_fpb_changed(sim);
		return TRUE;
	case DWT_CTRL_ADDR:
		/* NUMCOMP and the NO* feature bits are read-only */
		sim_ppb_set(sim, addr, sim_core_model(sim)->dwt_ctrl | (value & 0x0FFFFFFFu));
		sim_trace_counter_gate_changed(sim);
		return TRUE;
	default:
		break;
	}
	if (addr >= FP_COMP0_ADDR && addr < FP_COMP0_ADDR + 4 * sim_fpb_comparators(sim))
		sim_cpu_fpb_changed(sim);
	/* comparators the core does not have are reserved: writes are lost */
	else if (addr >= FP_COMP0_ADDR && addr < FP_COMP0_ADDR + 4 * FP_COMP_COUNT)
		return TRUE;
	sim_ppb_set(sim, addr, value);
	return TRUE;
}
