/* sim-exc.c: the exceptions the core model takes, done on the host around
 * Unicorn (which has no NVIC), on the registers in core.regs: SysTick
 * (ARMv7-M B3.3), SVCall, and the faults, with the architecture's
 * escalation (ARMv7-M B1.5.8, ARMv6-M B1.5.8): a MemManage, BusFault or
 * UsageFault that is disabled in SHCSR, or whose priority is not above the
 * current execution priority, becomes a HardFault (HFSR.FORCED); ARMv6-M
 * takes every fault as a HardFault; a fault at priority -1 or above (in
 * the HardFault handler, with FAULTMASK set) locks the core up with the PC
 * at 0xFFFFFFFE (ARMv7-M B1.5.15, PM0214 2.4.4). Entry stacks the 8-word
 * frame (8-byte aligned, xPSR bit 9 for the padding), sets IPSR, LR =
 * EXC_RETURN and the PC from the vector table; a handler's return comes
 * back as Unicorn's exception-exit event with the EXC_RETURN value and the
 * frame is unstacked. So a blank chip (vectors all ones) faults fetching
 * at 0xFFFFFFFE (an execute-never address: MemManage IACCVIOL), escalates
 * to HardFault, stacks below 0xFFFFFFFC, fetches the HardFault vector
 * 0xFFFFFFFF and locks up: xPSR 0x01000003, PC 0xFFFFFFFE, MSP 0xFFFFFFD8.
 *
 * Data bus errors: a load's is precise (PRECISERR, BFAR); a store goes
 * through the write buffer of the ARMv7-M cores (Cortex-M3/M4 TRM "write
 * buffer"; Cortex-M7: "bus faults triggered by stores are asynchronous"),
 * so its error is imprecise (IMPRECISERR, BFAR not written, the stacked PC
 * past the store) unless ACTLR.DISDEFWBUF turns the buffer off; an
 * imprecise fault never locks the core up. SDIV/UDIV by zero with
 * CCR.DIV_0_TRP is a UsageFault (DIVBYZERO).
 *
 * Not modelled: NMI, PendSV, peripheral interrupts (no NVIC), the SHCSR
 * active and pending bits, FP context stacking (a handler using the FPU
 * clobbers the thread's S0-S15), late arrival and tail-chaining timing,
 * an imprecise fault waiting as pending while the execution priority is
 * too high for it (it is recorded in CFSR and not taken). A WFI wakes at
 * the next tick. */
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
#define EXC_RETURN_HANDLER 0xFFFFFFF1u
#define EXC_RETURN_THREAD_MSP 0xFFFFFFF9u
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu
#define EXC_RETURN_THREAD (1u << 3)
#define EXC_RETURN_PSP (1u << 2)
/* CONTROL as core.regs packs it: bits [26:24] of the special registers */
#define SPECIAL_CONTROL_SPSEL (2u << 24)
#define SPECIAL_PRIMASK (1u << 0)
#define SPECIAL_FAULTMASK (1u << 16)
#define SPECIAL_BASEPRI_SHIFT 8
#define XPSR_IT_MASK 0x0600FC00u
#define FRAME_WORDS 8u
/* The execution priority of thread mode without masks (above every
 * configurable priority) */
#define PRIORITY_THREAD 256
/* A chain of faults (fault, its handler unfit, ...) ends in lockup long
 * before this */
#define FAULT_CHAIN_MAX 4u

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

/* Priorities ----------------------------------------------------------- */

/* The priority bits that take part in preemption: those ST implements
 * (4 on the ARMv7-M cores of every STM32, PM0214 4.3.7; 2 on the
 * Cortex-M0/M0+, PM0223 4.2.7), narrowed to the group priority by
 * AIRCR.PRIGROUP (ARMv7-M B1.5.4) */
static guint32
sim_exc_group_mask(GlintSim *sim)
{
	guint prigroup;
	if (sim_core_is_armv6m(sim))
		return 0xC0u;
	prigroup = (sim->core.aircr_prigroup & AIRCR_PRIGROUP_MASK) >> 8;
	return 0xF0u & (0xFFu << (prigroup + 1));
}

/* The priority of exception @exc: fixed for HardFault, from SHPR1-3 for
 * the configurable system handlers; peripheral interrupts are not
 * modelled */
static gint
sim_exc_priority(GlintSim *sim, guint exc)
{
	guint32 shpr = 0, addr;
	if (exc == EXC_HARDFAULT)
		return -1;
	if (exc < EXC_HARDFAULT)
		return -2; /* NMI (and reset) */
	if (exc > EXC_SYSTICK)
		return 0;
	/* SHPR1 holds 4-7, SHPR2 8-11, SHPR3 12-15, a byte each */
	addr = SHPR1_ADDR + 4 * ((exc - 4) / 4);
	(void)sim_ppb_read(sim, addr, &shpr);
	return (gint)((shpr >> (8 * (exc % 4))) & sim_exc_group_mask(sim));
}

/* The execution priority (ARMv7-M B1.5.4): the active exception's, raised
 * by PRIMASK (0), FAULTMASK (-1) and BASEPRI. @special: CONTROL,
 * FAULTMASK, BASEPRI and PRIMASK packed as core.regs holds them. */
static gint
sim_exc_execution_priority(GlintSim *sim, guint32 ipsr, guint32 special)
{
	gint prio = ipsr == 0 ? PRIORITY_THREAD : sim_exc_priority(sim, ipsr);
	guint32 basepri = (special >> SPECIAL_BASEPRI_SHIFT) & sim_exc_group_mask(sim);
	if (basepri != 0)
		prio = MIN(prio, (gint)basepri);
	if (special & SPECIAL_PRIMASK)
		prio = MIN(prio, 0);
	if (special & SPECIAL_FAULTMASK)
		prio = MIN(prio, -1);
	return prio;
}

static guint32
sim_exc_reg(uc_engine *uc, int reg)
{
	guint32 v = 0;
	uc_reg_read(uc, reg, &v);
	return v;
}

/* Called from the block hook, with the registers in Unicorn */
gboolean
sim_exc_can_take(GlintSim *sim)
{
	uc_engine *uc = sim->cpu.uc;
	guint32 special;
	if (!sim->cpu.syst_pending)
		return FALSE;
	/* debuggers mask interrupts while their algorithms run */
	if ((sim->core.dhcsr_c & (DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS)) ==
	    (DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS))
		return FALSE;
	special = (sim_exc_reg(uc, UC_ARM_REG_PRIMASK) & 1u) |
		  (sim_exc_reg(uc, UC_ARM_REG_BASEPRI) & 0xFFu) << SPECIAL_BASEPRI_SHIFT |
		  (sim_exc_reg(uc, UC_ARM_REG_FAULTMASK) & 1u) << 16;
	return sim_exc_priority(sim, EXC_SYSTICK) <
	       sim_exc_execution_priority(sim, sim_exc_reg(uc, UC_ARM_REG_IPSR) & XPSR_IPSR_MASK,
					  special);
}

/* Entry and return, on core.regs ---------------------------------------- */

static gboolean
sim_exc_v7m(GlintSim *sim)
{
	return !sim_core_is_armv6m(sim);
}

static void
sim_exc_lockup(GlintSim *sim)
{
	guint32 *r = sim->core.regs;
	g_debug("core locked up (PC was 0x%08x, IPSR %u, CFSR 0x%08x)", r[REGSEL_PC],
		r[REGSEL_XPSR] & XPSR_IPSR_MASK, sim->core.cfsr);
	sim->cpu.lockup = TRUE;
	r[REGSEL_PC] = LOCKUP_PC;
}

/* The fault a fetch at @pc raises, if any: an execute-never address of
 * the default memory map (ARMv7-M B3.1: Peripheral, Device and System
 * regions) is a MemManage fault even without an MPU (PM0214 2.4.1); an
 * address nothing executable answers at is a BusFault; a clear T bit is a
 * UsageFault */
static gboolean
sim_exc_fetch_fault(GlintSim *sim, guint *exc, guint32 *cfsr)
{
	guint32 pc = sim->core.regs[REGSEL_PC];
	if (!(sim->core.regs[REGSEL_XPSR] & XPSR_THUMB)) {
		*exc = EXC_USAGEFAULT;
		*cfsr = CFSR_INVSTATE;
		return TRUE;
	}
	if (sim_cpu_can_fetch(sim, pc))
		return FALSE;
	sim_exc_classify_fetch(pc, exc, cfsr);
	return TRUE;
}

void
sim_exc_classify_fetch(guint32 addr, guint *exc, guint32 *cfsr)
{
	gboolean xn = (addr >= 0x40000000u && addr < 0x60000000u) || addr >= 0xA0000000u;
	*exc = xn ? EXC_MEMMANAGE : EXC_BUSFAULT;
	*cfsr = xn ? CFSR_IACCVIOL : CFSR_IBUSERR;
}

void
sim_exc_classify_data(GlintSim *sim, gboolean write, guint *exc, guint32 *cfsr)
{
	guint32 actlr = 0;
	*exc = EXC_BUSFAULT;
	(void)sim_ppb_read(sim, ACTLR_ADDR, &actlr);
	if (write && sim_exc_v7m(sim) && !(actlr & ACTLR_DISDEFWBUF))
		*cfsr = CFSR_IMPRECISERR;
	else
		*cfsr = CFSR_PRECISERR | CFSR_BFARVALID;
}

gboolean
sim_exc_divide_traps(GlintSim *sim)
{
	guint32 ccr = 0;
	(void)sim_ppb_read(sim, CCR_ADDR, &ccr);
	return sim_exc_v7m(sim) && (ccr & CCR_DIV_0_TRP) != 0;
}

gboolean
sim_exc_is_divide(guint16 hw1, guint16 hw2, guint *rm)
{
	/* SDIV T1: 1111 1011 1001 Rn | 1111 Rd 1111 Rm; UDIV T1: ...1011 Rn
	 * (ARMv7-M A7.7.127, A7.7.195) */
	if ((hw1 & 0xFFF0u) != 0xFB90u && (hw1 & 0xFFF0u) != 0xFBB0u)
		return FALSE;
	if ((hw2 & 0xF0F0u) != 0xF0F0u)
		return FALSE;
	*rm = hw2 & 0xFu;
	return TRUE;
}

static gboolean sim_exc_fault_enabled(GlintSim *sim, guint exc);

/* Finding the access that faulted -------------------------------------- */

/* Instructions of one translated block searched for the faulting access */
#define LOCATE_MAX_INSNS 64u

typedef struct {
	guint32 first; /* lowest address accessed */
	guint32 size;  /* bytes from there; 0: not computable */
	gboolean write;
	gboolean is_access;
} SimAccessRange;

/* SP as the code sees it: core.regs keeps MSP and PSP, CONTROL.SPSEL
 * picks one */
static guint32
sim_exc_sp(GlintSim *sim)
{
	const guint32 *r = sim->core.regs;
	return (r[REGSEL_CONTROL] & SPECIAL_CONTROL_SPSEL) ? r[REGSEL_PSP] : r[REGSEL_MSP];
}

static guint32
sim_exc_reg_value(GlintSim *sim, guint32 pc, guint n)
{
	/* the PC reads as the instruction's address + 4, word-aligned for
	 * literal loads (callers align) */
	if (n == 15)
		return pc + 4;
	return n == 13 ? sim_exc_sp(sim) : sim->core.regs[n];
}

static guint
sim_exc_popcount16(guint32 v)
{
	guint n = 0;
	for (v &= 0xFFFFu; v != 0; v &= v - 1)
		n++;
	return n;
}

/* The memory a 16-bit Thumb load or store at @pc touches (ARMv7-M A5.2.4,
 * A5.2.5, A6.7: LDR/STR immediate, register, SP-relative and literal,
 * LDM/STM, PUSH/POP) */
static void
sim_exc_access16(GlintSim *sim, guint32 pc, guint16 hw, SimAccessRange *a)
{
	guint rn = (hw >> 3) & 7u, rm = (hw >> 6) & 7u, imm5 = (hw >> 6) & 0x1Fu;
	guint32 sp = sim_exc_sp(sim);
	a->is_access = TRUE;
	if ((hw & 0xF800u) == 0x4800u) { /* LDR literal */
		a->first = ((pc + 4) & ~3u) + (hw & 0xFFu) * 4;
		a->size = 4;
	} else if ((hw & 0xF000u) == 0x5000u) { /* register offset */
		static const guint8 sizes[] = {4, 2, 1, 1, 4, 2, 1, 2};
		guint op = (hw >> 9) & 7u;
		a->first = sim_exc_reg_value(sim, pc, rn) + sim_exc_reg_value(sim, pc, rm);
		a->size = sizes[op];
		a->write = op < 3;
	} else if ((hw & 0xE000u) == 0x6000u) { /* word or byte, imm5 */
		gboolean byte = (hw & 0x1000u) != 0;
		a->first = sim->core.regs[rn] + (byte ? imm5 : imm5 * 4);
		a->size = byte ? 1 : 4;
		a->write = !(hw & 0x0800u);
	} else if ((hw & 0xF000u) == 0x8000u) { /* halfword, imm5 */
		a->first = sim->core.regs[rn] + imm5 * 2;
		a->size = 2;
		a->write = !(hw & 0x0800u);
	} else if ((hw & 0xF000u) == 0x9000u) { /* SP-relative */
		a->first = sp + (hw & 0xFFu) * 4;
		a->size = 4;
		a->write = !(hw & 0x0800u);
	} else if ((hw & 0xF000u) == 0xC000u) { /* LDM/STM */
		a->first = sim->core.regs[(hw >> 8) & 7u];
		a->size = 4 * sim_exc_popcount16(hw & 0xFFu);
		a->write = !(hw & 0x0800u);
	} else if ((hw & 0xFE00u) == 0xB400u) { /* PUSH */
		guint n = sim_exc_popcount16(hw & 0xFFu) + ((hw >> 8) & 1u);
		a->first = sp - 4 * n;
		a->size = 4 * n;
		a->write = TRUE;
	} else if ((hw & 0xFE00u) == 0xBC00u) { /* POP */
		a->first = sp;
		a->size = 4 * (sim_exc_popcount16(hw & 0xFFu) + ((hw >> 8) & 1u));
	} else {
		a->is_access = FALSE;
	}
}

/* The same for 32-bit encodings (A5.3.5 load/store multiple, A5.3.6 dual
 * and exclusive, A5.3.7-A5.3.10 single data items, A6.4 VLDR/VSTR);
 * forms not covered count as accesses of unknown range */
static void
sim_exc_access32(GlintSim *sim, guint32 pc, guint16 hw1, guint16 hw2, SimAccessRange *a)
{
	guint rn = hw1 & 0xFu;
	guint32 base = sim_exc_reg_value(sim, pc, rn);
	a->is_access = TRUE;
	a->write = !(hw1 & 0x10u);
	if ((hw1 & 0xFE40u) == 0xE800u) { /* LDM/STM (IA), LDMDB/STMDB */
		guint n = sim_exc_popcount16(hw2);
		a->size = 4 * n;
		a->first = ((hw1 >> 7) & 3u) == 2u ? base - 4 * n : base;
	} else if ((hw1 & 0xFE40u) == 0xE840u && (hw1 & 0x0120u)) { /* LDRD/STRD */
		guint32 off = (hw2 & 0xFFu) * 4;
		gboolean p = (hw1 & 0x0100u) != 0, u = (hw1 & 0x0080u) != 0;
		a->first = p ? (u ? base + off : base - off) : base;
		a->size = 8;
	} else if ((hw1 & 0xFFE0u) == 0xE840u) { /* LDREX/STREX */
		a->first = base + (hw2 & 0xFFu) * 4;
		a->size = 4;
	} else if ((hw1 & 0xFE00u) == 0xF800u) { /* single data item */
		static const guint8 sizes[] = {1, 2, 4, 4};
		a->size = sizes[(hw1 >> 5) & 3u];
		if (rn == 15) {
			guint32 off = hw2 & 0xFFFu;
			a->first = (hw1 & 0x80u) ? ((pc + 4) & ~3u) + off : ((pc + 4) & ~3u) - off;
		} else if (hw1 & 0x80u) {
			a->first = base + (hw2 & 0xFFFu);
		} else if (hw2 & 0x800u) {
			guint32 off = hw2 & 0xFFu;
			gboolean p = (hw2 & 0x400u) != 0, u = (hw2 & 0x200u) != 0;
			a->first = p ? (u ? base + off : base - off) : base;
		} else {
			a->first =
			    base + (sim_exc_reg_value(sim, pc, hw2 & 0xFu) << ((hw2 >> 4) & 3u));
		}
	} else if ((hw1 & 0xFF20u) == 0xED00u) { /* VLDR/VSTR */
		guint32 off = (hw2 & 0xFFu) * 4;
		if (rn == 15)
			base = (pc + 4) & ~3u;
		a->first = (hw1 & 0x80u) ? base + off : base - off;
		a->size = (hw2 & 0x100u) ? 8 : 4;
	} else if ((hw1 & 0xFE00u) == 0xE800u || (hw1 & 0xEE00u) == 0xEC00u) {
		a->size = 0; /* TBB/TBH, exclusives of bytes, VLDM/VSTM: range unknown */
	} else {
		a->is_access = FALSE;
	}
}

guint32
sim_exc_locate_access(GlintSim *sim, guint32 block_pc, guint32 addr, gboolean write)
{
	guint32 pc = block_pc, fallback = block_pc;
	gboolean have_fallback = FALSE;
	for (guint i = 0; i < LOCATE_MAX_INSNS; i++) {
		guint32 hw1 = 0, hw2 = 0;
		SimAccessRange a = {0};
		gboolean wide;
		if (sim_bus_read(sim, SIM_ACCESS_AHB, pc, 2, &hw1) != SIM_BUS_OK)
			break;
		wide = (hw1 >> 11) >= 0x1Du;
		if (wide && sim_bus_read(sim, SIM_ACCESS_AHB, pc + 2, 2, &hw2) != SIM_BUS_OK)
			break;
		if (wide)
			sim_exc_access32(sim, pc, (guint16)hw1, (guint16)hw2, &a);
		else
			sim_exc_access16(sim, pc, (guint16)hw1, &a);
		if (a.is_access && a.write == write) {
			if (a.size > 0 && addr - a.first < a.size)
				return pc;
			if (!have_fallback) {
				fallback = pc;
				have_fallback = TRUE;
			}
		}
		pc += wide ? 4 : 2;
	}
	return fallback;
}

/* An imprecise BusFault is raised once the store has left the core: the
 * return address is the next instruction. TRUE when it is taken now;
 * FALSE when the execution priority holds it off (never a lockup: an
 * asynchronous fault waits, Cortex-M7 TRM 2.4.3), left recorded in CFSR */
static gboolean
sim_exc_imprecise_due(GlintSim *sim)
{
	guint32 *r = sim->core.regs;
	guint32 hw = 0;
	gint prio;
	guint target;
	if (sim_bus_read(sim, SIM_ACCESS_AHB, r[REGSEL_PC], 2, &hw) == SIM_BUS_OK)
		r[REGSEL_PC] += (hw >> 11) >= 0x1Du ? 4u : 2u;
	prio = sim_exc_execution_priority(sim, r[REGSEL_XPSR] & XPSR_IPSR_MASK, r[REGSEL_CONTROL]);
	target = sim_exc_fault_enabled(sim, EXC_BUSFAULT) ? EXC_BUSFAULT : EXC_HARDFAULT;
	if (sim_exc_priority(sim, target) < prio)
		return TRUE;
	sim->core.cfsr |= CFSR_IMPRECISERR;
	return FALSE;
}

/* Stack the frame and enter @exc. FALSE: its vector could not be read. */
static gboolean
sim_exc_push(GlintSim *sim, guint exc)
{
	guint32 *r = sim->core.regs;
	guint32 ipsr = r[REGSEL_XPSR] & XPSR_IPSR_MASK;
	gboolean psp = ipsr == 0 && (r[REGSEL_CONTROL] & SPECIAL_CONTROL_SPSEL);
	guint sp_reg = psp ? REGSEL_PSP : REGSEL_MSP;
	guint32 sp = r[sp_reg];
	guint32 vtor = 0, vector = 0;
	guint32 frame[FRAME_WORDS] = {r[0], r[1], r[2], r[3], r[12], r[REGSEL_LR], r[REGSEL_PC], 0};
	gboolean stacked = TRUE;
	/* 8-byte aligned frames (CCR.STKALIGN is 1 on these cores); xPSR bit 9
	 * records the padding */
	frame[7] = (r[REGSEL_XPSR] & ~XPSR_STKALIGN) | ((sp & 4u) ? XPSR_STKALIGN : 0);
	sp = (sp & ~7u) - FRAME_WORDS * 4;
	for (guint i = 0; i < FRAME_WORDS; i++) {
		if (sim_bus_write(sim, SIM_ACCESS_AHB, sp + 4 * i, 4, frame[i]) != SIM_BUS_OK)
			stacked = FALSE;
	}
	/* a bus error while stacking (a blank chip's SP is 0xFFFFFFFC): the
	 * exception is still entered, the BusFault it derives is recorded */
	if (!stacked && sim_exc_v7m(sim))
		sim->core.cfsr |= CFSR_STKERR;
	r[sp_reg] = sp;
	r[REGSEL_LR] = ipsr != 0 ? EXC_RETURN_HANDLER
		       : psp	 ? EXC_RETURN_THREAD_PSP
				 : EXC_RETURN_THREAD_MSP;
	/* handlers run on MSP */
	r[REGSEL_CONTROL] &= ~SPECIAL_CONTROL_SPSEL;
	(void)sim_ppb_read(sim, VTOR_ADDR, &vtor);
	if (sim_bus_read(sim, SIM_ACCESS_AHB, (vtor & ~0x7Fu) + 4 * exc, 4, &vector) != SIM_BUS_OK)
		return FALSE;
	r[REGSEL_XPSR] = (r[REGSEL_XPSR] & ~(XPSR_IPSR_MASK | XPSR_IT_MASK | XPSR_THUMB)) | exc |
			 ((vector & 1u) ? XPSR_THUMB : 0);
	r[REGSEL_PC] = vector & ~1u;
	return TRUE;
}

/* A halting debugger catches the exception on entry (DEMCR.VC_*) */
static gboolean
sim_exc_vector_catch(GlintSim *sim, guint exc, guint32 cfsr)
{
	SimCore *c = &sim->core;
	guint32 vc = 0;
	if (!(c->dhcsr_c & DHCSR_C_DEBUGEN))
		return FALSE;
	switch (exc) {
	case EXC_HARDFAULT:
		vc = DEMCR_VC_HARDERR;
		break;
	case EXC_MEMMANAGE:
		vc = DEMCR_VC_MMERR;
		break;
	case EXC_BUSFAULT:
		vc = DEMCR_VC_BUSERR;
		break;
	case EXC_USAGEFAULT:
		vc = (cfsr & (CFSR_UNDEFINSTR | CFSR_INVSTATE | CFSR_INVPC)) ? DEMCR_VC_STATERR : 0;
		break;
	default:
		break;
	}
	if (!(c->demcr & vc))
		return FALSE;
	c->halted = TRUE;
	c->regrdy = TRUE;
	c->dhcsr_c |= DHCSR_C_HALT;
	c->dfsr |= DFSR_VCATCH;
	return TRUE;
}

/* Whether the configurable fault @exc is enabled in SHCSR */
static gboolean
sim_exc_fault_enabled(GlintSim *sim, guint exc)
{
	guint32 shcsr = 0;
	if (exc == EXC_DEBUGMONITOR)
		return (sim->core.demcr & DEMCR_MON_EN) != 0;
	if (exc == EXC_SVCALL)
		return TRUE;
	(void)sim_ppb_read(sim, SHCSR_ADDR, &shcsr);
	switch (exc) {
	case EXC_MEMMANAGE:
		return (shcsr & SHCSR_MEMFAULTENA) != 0;
	case EXC_BUSFAULT:
		return (shcsr & SHCSR_BUSFAULTENA) != 0;
	case EXC_USAGEFAULT:
		return (shcsr & SHCSR_USGFAULTENA) != 0;
	default:
		return FALSE;
	}
}

void
sim_exc_synchronous(GlintSim *sim, guint exc, guint32 cfsr)
{
	SimCore *c = &sim->core;
	guint32 *r = c->regs;
	if ((cfsr & CFSR_IMPRECISERR) && !sim_exc_imprecise_due(sim))
		return;
	for (guint chain = 0; chain < FAULT_CHAIN_MAX; chain++) {
		gint prio = sim_exc_execution_priority(sim, r[REGSEL_XPSR] & XPSR_IPSR_MASK,
						       r[REGSEL_CONTROL]);
		guint target = exc;
		/* at priority -1 or above nothing can be taken: lockup */
		if (prio < 0) {
			sim_exc_lockup(sim);
			return;
		}
		if (sim_exc_v7m(sim))
			c->cfsr |= cfsr;
		if (exc != EXC_HARDFAULT &&
		    (sim_core_is_armv6m(sim) || !sim_exc_fault_enabled(sim, exc) ||
		     sim_exc_priority(sim, exc) >= prio)) {
			target = EXC_HARDFAULT;
			if (sim_exc_v7m(sim))
				c->hfsr |= exc == EXC_DEBUGMONITOR ? HFSR_DEBUGEVT : HFSR_FORCED;
		}
		if (!sim_exc_push(sim, target)) {
			/* no vector: a HardFault (VECTTBL), or lockup when that was it */
			if (sim_exc_v7m(sim))
				c->hfsr |= HFSR_VECTTBL;
			if (target == EXC_HARDFAULT) {
				sim_exc_lockup(sim);
				return;
			}
			exc = EXC_HARDFAULT;
			cfsr = 0;
			continue;
		}
		sim->cpu.exception_taken = TRUE;
		if (sim_exc_vector_catch(sim, target, cfsr))
			return;
		/* the handler's first instruction must be fetchable too */
		if (!sim_exc_fetch_fault(sim, &exc, &cfsr))
			return;
	}
	sim_exc_lockup(sim);
}

void
sim_exc_take_systick(GlintSim *sim)
{
	guint exc;
	guint32 cfsr;
	sim->cpu.syst_pending = FALSE;
	if (!sim_exc_push(sim, EXC_SYSTICK)) {
		if (sim_exc_v7m(sim))
			sim->core.hfsr |= HFSR_VECTTBL;
		sim_exc_synchronous(sim, EXC_HARDFAULT, 0);
		return;
	}
	sim->cpu.exception_taken = TRUE;
	if (sim_exc_fetch_fault(sim, &exc, &cfsr))
		sim_exc_synchronous(sim, exc, cfsr);
}

gboolean
sim_exc_start(GlintSim *sim)
{
	guint exc;
	guint32 cfsr;
	if (!sim_exc_fetch_fault(sim, &exc, &cfsr))
		return TRUE;
	sim_exc_synchronous(sim, exc, cfsr);
	return FALSE;
}

/* EXC_RETURN values a basic frame returns through (ARMv7-M B1.5.8) */
static gboolean
sim_exc_return_valid(guint32 exc_return)
{
	return exc_return == EXC_RETURN_HANDLER || exc_return == EXC_RETURN_THREAD_MSP ||
	       exc_return == EXC_RETURN_THREAD_PSP;
}

void
sim_exc_return(GlintSim *sim, guint32 exc_return)
{
	guint32 *r = sim->core.regs;
	gboolean thread = (exc_return & EXC_RETURN_THREAD) != 0;
	gboolean psp = thread && (exc_return & EXC_RETURN_PSP);
	guint sp_reg = psp ? REGSEL_PSP : REGSEL_MSP;
	guint32 frame[FRAME_WORDS];
	guint32 sp = r[sp_reg];
	if ((r[REGSEL_XPSR] & XPSR_IPSR_MASK) == 0 || !sim_exc_return_valid(exc_return)) {
		sim_exc_synchronous(sim, EXC_USAGEFAULT, CFSR_INVPC);
		return;
	}
	for (guint i = 0; i < FRAME_WORDS; i++) {
		if (sim_bus_read(sim, SIM_ACCESS_AHB, sp + 4 * i, 4, &frame[i]) != SIM_BUS_OK) {
			sim_exc_synchronous(sim, EXC_BUSFAULT, CFSR_UNSTKERR);
			return;
		}
	}
	for (guint i = 0; i < 4; i++)
		r[i] = frame[i];
	r[12] = frame[4];
	r[REGSEL_LR] = frame[5];
	r[REGSEL_PC] = frame[6] & ~1u;
	r[sp_reg] = sp + FRAME_WORDS * 4 + ((frame[7] & XPSR_STKALIGN) ? 4u : 0u);
	r[REGSEL_XPSR] = frame[7] & ~XPSR_STKALIGN;
	if (thread)
		r[REGSEL_XPSR] &= ~XPSR_IPSR_MASK;
	if (psp)
		r[REGSEL_CONTROL] |= SPECIAL_CONTROL_SPSEL;
	(void)sim_exc_start(sim);
}
