/* sim-exc.c: the exceptions the core model takes: SysTick (ARMv7-M B3.3)
 * and the entry to and return from its handler, done on the host around
 * Unicorn (which has no NVIC): stack the 8-word frame, IPSR = 15, LR =
 * EXC_RETURN, PC = the vector; the handler's return comes back as
 * Unicorn's exception-exit event and the frame is unstacked.
 *
 * One exception at a time, no priorities beyond PRIMASK, FAULTMASK,
 * BASEPRI against SHPR3 and DHCSR.C_MASKINTS; no FP context stacking (a
 * handler using the FPU clobbers the thread's S0-S15). Faults are not
 * taken: they lock the core up (sim-cpu.c). A WFI wakes at the next tick. */
#define G_LOG_DOMAIN "glint-sim"

#include <unicorn/unicorn.h>

#include "sim-private.h"

#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SYST_CALIB 0xE000E01Cu
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)
#define SYST_RVR_MASK 0x00FFFFFFu
/* NOREF = 0, SKEW = 1, TENMS: not given (RM0351 leaves it to software) */
#define SYST_CALIB_VALUE 0x40000000u
#define SHPR3_ADDR 0xE000ED20u
#define EXC_SYSTICK 15u
#define EXC_RETURN_THREAD_MSP 0xFFFFFFF9u
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu
#define XPSR_STKALIGN (1u << 9)
#define CONTROL_SPSEL (1u << 1)
#define FRAME_WORDS 8u

gboolean
sim_systick_owns(guint32 addr)
{
	return addr >= SYST_CSR && addr <= SYST_CALIB;
}

void
sim_systick_reset(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	cpu->syst_csr = 0;
	cpu->syst_rvr = 0;
	cpu->syst_cvr = 0;
	cpu->syst_countflag = FALSE;
	cpu->syst_pending = FALSE;
	cpu->in_handler = FALSE;
}

static guint64
sim_systick_hz(GlintSim *sim)
{
	guint64 hclk = sim->machine->ops->hclk_hz(sim);
	/* the external reference is a fixed division of HCLK on STM32 */
	return (sim->cpu.syst_csr & SYST_CSR_CLKSOURCE)
		   ? hclk
		   : hclk / MAX(sim->machine->systick_ext_div, 1u);
}

static gint64
sim_systick_ticks_ns(GlintSim *sim, guint64 ticks)
{
	return (gint64)(ticks * G_GUINT64_CONSTANT(1000000000) / sim_systick_hz(sim));
}

static gboolean
sim_systick_running(GlintSim *sim)
{
	return (sim->cpu.syst_csr & SYST_CSR_ENABLE) && sim->cpu.syst_rvr != 0;
}

gboolean
sim_systick_advance(GlintSim *sim, gint64 t)
{
	SimCpu *cpu = &sim->cpu;
	gint64 period, n;
	if (!sim_systick_running(sim) || t < cpu->syst_next_ns)
		return cpu->syst_pending;
	period = MAX(sim_systick_ticks_ns(sim, (guint64)cpu->syst_rvr + 1), 1);
	/* every wrap that happened by @t, at once */
	n = (t - cpu->syst_next_ns) / period + 1;
	cpu->syst_next_ns += n * period;
	cpu->syst_countflag = TRUE;
	if (cpu->syst_csr & SYST_CSR_TICKINT)
		cpu->syst_pending = TRUE;
	return cpu->syst_pending;
}

guint32
sim_systick_read(GlintSim *sim, guint32 addr)
{
	SimCpu *cpu = &sim->cpu;
	gint64 left;
	(void)sim_systick_advance(sim, sim->now_ns);
	switch (addr) {
	case SYST_CSR: {
		guint32 v = cpu->syst_csr | (cpu->syst_countflag ? SYST_CSR_COUNTFLAG : 0);
		if (!sim->peeking)
			cpu->syst_countflag = FALSE; /* clears on read */
		return v;
	}
	case SYST_RVR:
		return cpu->syst_rvr;
	case SYST_CVR:
		if (!sim_systick_running(sim))
			return cpu->syst_cvr;
		left = cpu->syst_next_ns - sim->now_ns;
		return (guint32)MIN((guint64)left * sim_systick_hz(sim) / 1000000000u,
				    (guint64)cpu->syst_rvr);
	default:
		return SYST_CALIB_VALUE;
	}
}

void
sim_systick_write(GlintSim *sim, guint32 addr, guint32 value)
{
	SimCpu *cpu = &sim->cpu;
	gboolean was_running;
	(void)sim_systick_advance(sim, sim->now_ns);
	was_running = sim_systick_running(sim);
	switch (addr) {
	case SYST_CSR:
		cpu->syst_csr = value & (SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE);
		if (!(cpu->syst_csr & SYST_CSR_TICKINT))
			cpu->syst_pending = FALSE;
		break;
	case SYST_RVR:
		cpu->syst_rvr = value & SYST_RVR_MASK;
		break;
	case SYST_CVR:
		/* any write clears the counter and COUNTFLAG; the next tick reloads */
		cpu->syst_cvr = 0;
		cpu->syst_countflag = FALSE;
		if (was_running)
			cpu->syst_next_ns =
			    sim->now_ns + sim_systick_ticks_ns(sim, (guint64)cpu->syst_rvr + 1);
		return;
	default:
		return;
	}
	if (!was_running && sim_systick_running(sim)) {
		/* counting starts from CVR; from 0 the first tick reloads RVR */
		guint64 first = cpu->syst_cvr != 0 ? cpu->syst_cvr : (guint64)cpu->syst_rvr + 1;
		cpu->syst_next_ns = sim->now_ns + sim_systick_ticks_ns(sim, first);
	} else if (was_running && !sim_systick_running(sim)) {
		cpu->syst_cvr = 0;
	}
}

static guint32
sim_exc_reg(uc_engine *uc, int reg)
{
	guint32 v = 0;
	uc_reg_read(uc, reg, &v);
	return v;
}

gboolean
sim_exc_can_take(GlintSim *sim)
{
	uc_engine *uc = sim->cpu.uc;
	guint32 basepri, prio = 0;
	if (!sim->cpu.syst_pending || sim->cpu.in_handler)
		return FALSE;
	/* debuggers mask interrupts while their algorithms run */
	if ((sim->core.dhcsr_c & (DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS)) ==
	    (DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS))
		return FALSE;
	if (sim_exc_reg(uc, UC_ARM_REG_PRIMASK) & 1u || sim_exc_reg(uc, UC_ARM_REG_FAULTMASK) & 1u)
		return FALSE;
	basepri = sim_exc_reg(uc, UC_ARM_REG_BASEPRI) & 0xFFu;
	(void)sim_ppb_read(sim, SHPR3_ADDR, &prio);
	/* 4 priority bits on the STM32L4: only [7:4] count */
	return basepri == 0 || ((prio >> 24) & 0xF0u) < (basepri & 0xF0u);
}

gboolean
sim_exc_enter(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	uc_engine *uc = cpu->uc;
	guint32 frame[FRAME_WORDS];
	guint32 control = sim_exc_reg(uc, UC_ARM_REG_CONTROL);
	gboolean psp = (control & CONTROL_SPSEL) != 0;
	guint32 sp = sim_exc_reg(uc, psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
	guint32 xpsr = sim_exc_reg(uc, UC_ARM_REG_XPSR);
	guint32 vtor = 0, vector = 0, v;
	static const int stacked[] = {UC_ARM_REG_R0, UC_ARM_REG_R1,  UC_ARM_REG_R2,
				      UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR};
	(void)sim_ppb_read(sim, VTOR_ADDR, &vtor);
	if (sim_bus_read(sim, SIM_ACCESS_AHB, (vtor & ~0x7Fu) + 4 * EXC_SYSTICK, 4, &vector) !=
		SIM_BUS_OK ||
	    !(vector & 1u))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(stacked); i++)
		frame[i] = sim_exc_reg(uc, stacked[i]);
	frame[6] = sim_exc_reg(uc, UC_ARM_REG_PC) & ~1u;
	/* the frame is 8-byte aligned; xPSR bit 9 records the padding */
	frame[7] = (xpsr & ~XPSR_STKALIGN) | ((sp & 4u) ? XPSR_STKALIGN : 0);
	sp = (sp & ~7u) - FRAME_WORDS * 4;
	if (uc_mem_write(uc, sp, frame, sizeof(frame)) != UC_ERR_OK)
		return FALSE;
	uc_reg_write(uc, psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, &sp);
	if (psp) {
		/* handlers run on MSP */
		v = control & ~CONTROL_SPSEL;
		uc_reg_write(uc, UC_ARM_REG_CONTROL, &v);
	}
	cpu->exc_return = psp ? EXC_RETURN_THREAD_PSP : EXC_RETURN_THREAD_MSP;
	uc_reg_write(uc, UC_ARM_REG_LR, &cpu->exc_return);
	v = EXC_SYSTICK;
	uc_reg_write(uc, UC_ARM_REG_IPSR, &v);
	uc_reg_write(uc, UC_ARM_REG_PC, &vector);
	cpu->syst_pending = FALSE;
	cpu->in_handler = TRUE;
	return TRUE;
}

gboolean
sim_exc_return(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	uc_engine *uc = cpu->uc;
	gboolean psp = cpu->exc_return == EXC_RETURN_THREAD_PSP;
	guint32 frame[FRAME_WORDS];
	guint32 sp = sim_exc_reg(uc, psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
	guint32 v;
	static const int stacked[] = {UC_ARM_REG_R0, UC_ARM_REG_R1,  UC_ARM_REG_R2,
				      UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR};
	cpu->in_handler = FALSE;
	if (uc_mem_read(uc, sp, frame, sizeof(frame)) != UC_ERR_OK)
		return FALSE;
	v = 0;
	uc_reg_write(uc, UC_ARM_REG_IPSR, &v);
	if (psp) {
		v = sim_exc_reg(uc, UC_ARM_REG_CONTROL) | CONTROL_SPSEL;
		uc_reg_write(uc, UC_ARM_REG_CONTROL, &v);
	}
	for (guint i = 0; i < G_N_ELEMENTS(stacked); i++)
		uc_reg_write(uc, stacked[i], &frame[i]);
	sp += FRAME_WORDS * 4 + ((frame[7] & XPSR_STKALIGN) ? 4u : 0u);
	uc_reg_write(uc, psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, &sp);
	v = frame[7] & ~(XPSR_STKALIGN | 0x1FFu);
	uc_reg_write(uc, UC_ARM_REG_XPSR, &v);
	v = frame[6] | 1u;
	uc_reg_write(uc, UC_ARM_REG_PC, &v);
	return TRUE;
}
