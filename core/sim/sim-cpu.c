/* sim-cpu.c: the Cortex-M core of the board, executing code on Unicorn
 * (Thumb, M-class, the CPU model the machine's core type names) in the
 * emulator's virtual time.
 *
 * The core runs lazily: before each probe command, sim_cpu_catch_up()
 * executes as many instructions as fit in the virtual time since the last
 * one at the HCLK the machine's clock model reports, so a host that starts
 * code and polls it sees it make progress as on silicon. A run stops at
 * BKPT or an FPB comparator (-> halted, DFSR.BKPT), WFI (-> sleeping until a
 * halt), a fault or SVC (its exception is taken on the host, sim-exc.c:
 * the handler runs, or the core locks up), SysTick, a handler's return, or
 * a reset the code requests. A flash model may hold the core
 * while it polls a busy status (the L4's FLASH_SR.BSY), which is what a
 * polling loop amounts to.
 *
 * Memory: the windows of the bus map (sim-map.c). Page-aligned regions are
 * the emulator's own host buffers mapped into Unicorn, so debug accesses
 * and code see the same bytes; stores into programmed regions (flash) go
 * through the machine's flash model (Unicorn also stores the raw value
 * after the hook; the model's result is put back at the next callback).
 * Small regions (OTP, option bytes), the peripherals and the private
 * peripheral bus are callbacks onto sim-bus.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>
#include <unicorn/unicorn.h>

#include "sim-private.h"
#include "sim-faults.h"

/* Estimate: one HCLK cycle per instruction. Most Thumb-2 data processing
 * instructions take one cycle on a Cortex-M4, loads/stores two and taken
 * branches two to four; flash wait states are hidden by the ART
 * accelerator for loops. Slightly optimistic for load-heavy code. */
#define SIM_CPU_CYCLES_PER_INSN 1u
#define SIM_NS_PER_S G_GUINT64_CONSTANT(1000000000)

/* The ARMv7-M system address map's register regions (B3.1): the core
 * reaches them through callbacks onto the bus */
#define SIM_CPU_PERIPH_BASE 0x40000000u
#define SIM_CPU_PERIPH_SIZE 0x20000000u
#define SIM_CPU_PAGE SIM_PAGE_SIZE
/* emu_start's "until": never reached (EXC_RETURN values lie above it) */
#define SIM_CPU_NO_UNTIL 0xFFFFFFFEu

/* Unicorn's exception numbers as reported to UC_HOOK_INTR (QEMU's EXCP_*) */
#define SIM_EXCP_UDEF 1u
#define SIM_EXCP_SWI 2u
#define SIM_EXCP_PREFETCH_ABORT 3u
#define SIM_EXCP_DATA_ABORT 4u
#define SIM_EXCP_BKPT 7u
#define SIM_EXCP_EXCEPTION_EXIT 8u
#define SIM_EXCP_INVSTATE 18u

static const int sim_cpu_gp_regs[] = {
    UC_ARM_REG_R0,  UC_ARM_REG_R1,  UC_ARM_REG_R2,  UC_ARM_REG_R3, UC_ARM_REG_R4,
    UC_ARM_REG_R5,  UC_ARM_REG_R6,  UC_ARM_REG_R7,  UC_ARM_REG_R8, UC_ARM_REG_R9,
    UC_ARM_REG_R10, UC_ARM_REG_R11, UC_ARM_REG_R12,
};

gboolean
sim_cpu_executing(GlintSim *sim)
{
	/* Below the brown-out threshold the chip is held in reset. */
	return sim->target_mv >= MAX(1000u, sim_faults_bor_mv(sim)) && !sim->core.halted &&
	       !sim->core.nrst_low && !sim->cpu.sleeping && !sim->cpu.lockup;
}

/* Host pointer to @len bytes of code memory at @addr, or NULL */
static const guint8 *
sim_cpu_code_ptr(GlintSim *sim, guint32 addr, guint32 len)
{
	SimHit hit;
	if (!sim_map_resolve(sim, addr, len, FALSE, &hit) || !(hit.info->flags & SIM_REGION_EXEC))
		return NULL;
	return hit.mem;
}

gboolean
sim_cpu_can_fetch(GlintSim *sim, guint32 pc)
{
	return sim_cpu_code_ptr(sim, pc, 2) != NULL;
}

/* Thumb instructions in a block: a first halfword 0b11101/0b11110/0b11111
 * starts a 32-bit encoding */
static guint
sim_cpu_count_insns(GlintSim *sim, guint32 addr, guint32 size)
{
	const guint8 *p = sim_cpu_code_ptr(sim, addr, size);
	guint n = 0;
	if (p == NULL)
		return MAX(size / 3, 1u);
	for (guint32 i = 0; i + 1 < size; n++) {
		guint16 hw = (guint16)(p[i] | p[i + 1] << 8);
		i += (hw >> 11) >= 0x1Du ? 4 : 2;
	}
	return MAX(n, 1u);
}

/* ARMv6-M (Cortex-M0/M0+) has Thumb-1 and, of the 32-bit encodings, only
 * BL, MSR, MRS, DMB, DSB and ISB (ARMv6-M ARM A5.2, A5.6); the rest are
 * undefined and fault. Unicorn 2.0.1's Cortex-M0 runs Thumb-2 anyway. */
static gboolean
sim_cpu_v6m_undefined(guint16 hw1, guint16 hw2)
{
	if ((hw1 & 0xF800u) == 0xF000u && (hw2 & 0xD000u) == 0xD000u)
		return FALSE; /* BL */
	if ((hw1 & 0xFFF0u) == 0xF380u && (hw2 & 0xFF00u) == 0x8800u)
		return FALSE; /* MSR */
	if (hw1 == 0xF3EFu && (hw2 & 0xF000u) == 0x8000u)
		return FALSE; /* MRS */
	if (hw1 == 0xF3BFu && (hw2 & 0xFFF0u) >= 0x8F40u && (hw2 & 0xFFF0u) <= 0x8F60u)
		return FALSE; /* DSB, DMB, ISB */
	return TRUE;
}

/* The first instruction of the block at @addr an ARMv6-M core does not
 * have, or 0 */
static guint32
sim_cpu_v6m_first_undefined(GlintSim *sim, guint32 addr, guint32 size)
{
	const guint8 *p = sim_cpu_code_ptr(sim, addr, size);
	if (p == NULL)
		return 0;
	for (guint32 i = 0; i + 1 < size;) {
		guint16 hw = (guint16)(p[i] | p[i + 1] << 8);
		if ((hw >> 11) < 0x1Du) {
			i += 2;
			continue;
		}
		if (i + 3 >= size || sim_cpu_v6m_undefined(hw, (guint16)(p[i + 2] | p[i + 3] << 8)))
			return addr + i;
		i += 4;
	}
	return 0;
}

void
sim_cpu_clock_changed(GlintSim *sim)
{
	sim->cpu.hclk = sim->machine->ops->hclk_hz(sim);
}

/* Advance the core's time by @cycles of HCLK */
static void
sim_cpu_charge(GlintSim *sim, guint64 cycles)
{
	SimCpu *cpu = &sim->cpu;
	guint64 total;
	if (cpu->hclk == 0)
		sim_cpu_clock_changed(sim);
	cpu->cycles += cycles;
	total = cycles * SIM_NS_PER_S + cpu->rem;
	cpu->ns += (gint64)(total / cpu->hclk);
	cpu->rem = total % cpu->hclk;
}

void
sim_cpu_stall_cycles(GlintSim *sim, guint cycles)
{
	if (sim->cpu.in_emu)
		sim_cpu_charge(sim, cycles);
}

/* Put back what the flash controller left where Unicorn stored a raw value */
static void
sim_cpu_fix_flash(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	if (cpu->fix_ptr == NULL)
		return;
	memcpy(cpu->fix_ptr, cpu->fix_bytes, cpu->fix_len);
	cpu->fix_ptr = NULL;
}

/* Bus callbacks see the core's time as the device time */
static void
sim_cpu_bus_enter(GlintSim *sim)
{
	sim_cpu_fix_flash(sim);
	sim->now_ns = sim->cpu.ns;
}

static void
sim_cpu_bus_leave(GlintSim *sim)
{
	/* a stalled access (busy flash) holds the core */
	sim->cpu.ns = MAX(sim->cpu.ns, sim->now_ns);
}

static gboolean sim_cpu_after_wfi(GlintSim *sim, guint32 pc);

/* "b ." (a halt loop, e.g. after main returns): nothing changes until the
 * deadline but time, so the time passes at once */
static gboolean
sim_cpu_branch_to_self(GlintSim *sim, guint32 addr)
{
	const guint8 *p = sim_cpu_code_ptr(sim, addr, 2);
	return p != NULL && (guint16)(p[0] | p[1] << 8) == THUMB_B_SELF;
}

static void
sim_cpu_idle_to_deadline(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	gint64 until = cpu->deadline;
	/* a SysTick interrupt due meanwhile ends the idling at its time */
	if ((cpu->syst_csr & 3u) == 3u && cpu->syst_next_ns < until)
		until = MAX(cpu->syst_next_ns, cpu->ns);
	if (until > cpu->ns) {
		guint64 cycles = (guint64)(until - cpu->ns) * cpu->hclk / SIM_NS_PER_S + 1;
		sim->stats.instructions += cycles / SIM_CPU_CYCLES_PER_INSN;
		sim_cpu_charge(sim, cycles);
	}
	cpu->stop = SIM_STOP_BUDGET;
}

static void sim_cpu_fault(GlintSim *sim, guint exc, guint32 cfsr);

/* Reached an instruction the ARMv6-M core does not have: UNDEFINSTR, as
 * the architecture takes it (HardFault) before it executes. The hook may
 * outlive the code it was set for (SRAM rewritten): look again. */
static void
sim_cpu_v6m_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
	GlintSim *sim = user_data;
	(void)size;
	if (sim_cpu_v6m_first_undefined(sim, (guint32)address, 4) != (guint32)address)
		return;
	sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_UNDEFINSTR);
	uc_emu_stop(uc);
}

/* Whether the block at @address may run on an ARMv6-M core: its first
 * instruction undefined faults now; one further in gets a code hook and
 * the block is translated again with it (FALSE: stop and run it again) */
static gboolean
sim_cpu_v6m_check_block(GlintSim *sim, guint32 address, guint32 size)
{
	SimCpu *cpu = &sim->cpu;
	guint32 bad = sim_cpu_v6m_first_undefined(sim, address, size);
	guint slot;
	uc_hook h;
	if (bad == 0)
		return TRUE;
	if (bad == address) {
		sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_UNDEFINSTR);
		return FALSE;
	}
	for (guint i = 0; i < cpu->n_v6m_hooks; i++) {
		if (cpu->v6m_hook_addr[i] == bad)
			return TRUE;
	}
	if (cpu->n_v6m_hooks < SIM_CPU_V6M_HOOKS) {
		slot = cpu->n_v6m_hooks++;
	} else {
		(void)uc_hook_del(cpu->uc, cpu->v6m_hooks[0]);
		memmove(cpu->v6m_hooks, cpu->v6m_hooks + 1,
			sizeof(cpu->v6m_hooks[0]) * (SIM_CPU_V6M_HOOKS - 1));
		memmove(cpu->v6m_hook_addr, cpu->v6m_hook_addr + 1,
			sizeof(cpu->v6m_hook_addr[0]) * (SIM_CPU_V6M_HOOKS - 1));
		slot = SIM_CPU_V6M_HOOKS - 1;
	}
	if (uc_hook_add(cpu->uc, &h, UC_HOOK_CODE, sim_cpu_v6m_hook, sim, bad, bad) != UC_ERR_OK) {
		cpu->n_v6m_hooks = slot;
		return TRUE;
	}
	cpu->v6m_hooks[slot] = h;
	cpu->v6m_hook_addr[slot] = bad;
	uc_ctl_remove_cache(cpu->uc, address, (guint64)address + size);
	cpu->stop = SIM_STOP_BUDGET;
	return FALSE;
}

static void
sim_cpu_block_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
	GlintSim *sim = user_data;
	SimCpu *cpu = &sim->cpu;
	guint n;
	sim_cpu_fix_flash(sim);
	if (sim->machine->ops->core_fetch != NULL) {
		sim_cpu_bus_enter(sim);
		sim->machine->ops->core_fetch(sim, (guint32)address);
		sim_cpu_bus_leave(sim);
	}
	if (sim->machine->armv6m_strict && sim_core_is_armv6m(sim) &&
	    !sim_cpu_v6m_check_block(sim, (guint32)address, size)) {
		uc_emu_stop(uc);
		return;
	}
	if (cpu->stepping)
		return;
	/* the code changed the bus map (a remap register): this block runs
	 * only once the core has the new map */
	if (cpu->ns >= cpu->deadline || cpu->remap_pending) {
		cpu->remap_pending = FALSE;
		cpu->stop = SIM_STOP_BUDGET;
		uc_emu_stop(uc);
		return;
	}
	/* a block right after a WFI: Unicorn does not always stop there (not
	 * after an exception return), so the sleep is caught here */
	if ((guint32)address == cpu->last_block_end && sim_cpu_after_wfi(sim, (guint32)address)) {
		cpu->last_block_end = 0;
		cpu->stop = SIM_STOP_SLEEP;
		uc_emu_stop(uc);
		return;
	}
	/* SysTick: a wrap pends its exception, taken before this block */
	if ((cpu->syst_pending || ((cpu->syst_csr & 1u) && cpu->ns >= cpu->syst_next_ns)) &&
	    sim_systick_advance(sim, cpu->ns) && sim_exc_can_take(sim)) {
		cpu->stop = SIM_STOP_IRQ;
		uc_emu_stop(uc);
		return;
	}
	if (size == 2 && sim_cpu_branch_to_self(sim, (guint32)address)) {
		sim_cpu_idle_to_deadline(sim);
		uc_emu_stop(uc);
		return;
	}
	n = sim_cpu_count_insns(sim, (guint32)address, size);
	sim->stats.instructions += n;
	sim_cpu_charge(sim, sim_clock_cpu_cycles((guint64)n * SIM_CPU_CYCLES_PER_INSN));
	cpu->last_block_end = (guint32)address + size;
	cpu->blocks_run++;
}

static uint64_t
sim_cpu_mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user_data)
{
	SimCpuMmio *m = user_data;
	GlintSim *sim = m->sim;
	guint32 addr = m->base + (guint32)offset;
	guint32 v = 0;
	(void)uc;
	sim_cpu_bus_enter(sim);
	/* peripherals the model does not have read as zero rather than fault:
	 * firmware touches many of them in passing */
	if (sim_bus_read(sim, SIM_ACCESS_CORE, addr, size, &v) != SIM_BUS_OK)
		v = 0;
	sim_cpu_bus_leave(sim);
	return v;
}

static void
sim_cpu_mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user_data)
{
	SimCpuMmio *m = user_data;
	GlintSim *sim = m->sim;
	guint32 addr = m->base + (guint32)offset;
	(void)uc;
	/* halting and core register transfer belong to the debugger */
	if (addr == DHCSR_ADDR || addr == DCRSR_ADDR)
		return;
	sim_cpu_bus_enter(sim);
	(void)sim_bus_write(sim, SIM_ACCESS_CORE, addr, size, (guint32)value);
	sim_cpu_bus_leave(sim);
}

/* A store into flash (or any region the flash model programs), also
 * through an alias: the model decides what the cells keep */
static void
sim_cpu_flash_store(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
		    void *user_data)
{
	GlintSim *sim = user_data;
	SimCpu *cpu = &sim->cpu;
	SimHit hit;
	(void)uc;
	(void)type;
	sim_cpu_fix_flash(sim);
	if (size <= 0 || size > (int)sizeof(cpu->fix_bytes))
		return;
	if (!sim_map_resolve(sim, (guint32)address, (guint32)size, FALSE, &hit) ||
	    !(hit.info->flags & SIM_REGION_PROGRAMMED))
		return;
	sim_cpu_bus_enter(sim);
	(void)sim_bus_write(sim, SIM_ACCESS_CORE, hit.addr, (guint)size, (guint32)value);
	sim_cpu_bus_leave(sim);
	cpu->fix_ptr = hit.mem;
	cpu->fix_len = (guint)size;
	memcpy(cpu->fix_bytes, hit.mem, (gsize)size);
}

/* A fault stops the run; its exception is taken once it has stopped */
static void
sim_cpu_fault(GlintSim *sim, guint exc, guint32 cfsr)
{
	sim->cpu.stop = SIM_STOP_FAULT;
	sim->cpu.fault_exc = exc;
	sim->cpu.fault_cfsr = cfsr;
	sim->cpu.fault_data = FALSE;
	if ((cfsr & CFSR_BFARVALID) && !sim_core_is_armv6m(sim))
		sim_ppb_write(sim, BFAR_ADDR, sim->cpu.fault_addr);
}

static void
sim_cpu_intr_hook(uc_engine *uc, uint32_t intno, void *user_data)
{
	GlintSim *sim = user_data;
	switch (intno) {
	case SIM_EXCP_BKPT:
		sim->cpu.stop = SIM_STOP_BKPT;
		break;
	case SIM_EXCP_UDEF:
		sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_UNDEFINSTR);
		break;
	case SIM_EXCP_PREFETCH_ABORT: {
		guint32 pc = 0;
		guint exc;
		guint32 cfsr;
		uc_reg_read(uc, UC_ARM_REG_PC, &pc);
		sim_exc_classify_fetch(pc, &exc, &cfsr);
		sim_cpu_fault(sim, exc, cfsr);
		break;
	}
	case SIM_EXCP_DATA_ABORT:
		sim_cpu_fault(sim, EXC_BUSFAULT, CFSR_PRECISERR | CFSR_BFARVALID);
		break;
	case SIM_EXCP_SWI:
		sim->cpu.stop = SIM_STOP_SVC;
		break;
	case SIM_EXCP_EXCEPTION_EXIT: {
		/* a handler returning: the PC holds the EXC_RETURN value */
		guint32 pc = 0, ipsr = 0;
		uc_reg_read(uc, UC_ARM_REG_PC, &pc);
		uc_reg_read(uc, UC_ARM_REG_IPSR, &ipsr);
		sim->cpu.exc_return_value = pc | 1u;
		if ((ipsr & XPSR_IPSR_MASK) != 0)
			sim->cpu.stop = SIM_STOP_EXC_RETURN;
		else
			sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_INVPC);
		break;
	}
	case SIM_EXCP_INVSTATE:
		sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_INVSTATE);
		break;
	default:
		/* what else QEMU raises (coprocessor, unaligned): a UsageFault
		 * without its cause bit (estimate) */
		g_debug("exception %u taken as a UsageFault", intno);
		sim_cpu_fault(sim, EXC_USAGEFAULT, 0);
		break;
	}
	uc_emu_stop(uc);
}

static bool
sim_cpu_invalid_hook(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
		     void *user_data)
{
	GlintSim *sim = user_data;
	gboolean fetch = type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT;
	gboolean write = type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT;
	guint exc;
	guint32 cfsr;
	(void)uc;
	/* a store into memory read protection keeps from the core: the flash
	 * model still sees it (WRPERR), then the bus faults */
	if (type == UC_MEM_WRITE_UNMAPPED && size > 0 && size <= 4) {
		sim_cpu_bus_enter(sim);
		(void)sim_bus_write(sim, SIM_ACCESS_CORE, (guint32)address, (guint)size,
				    (guint32)value);
		sim_cpu_bus_leave(sim);
	}
	sim->cpu.fault_addr = (guint32)address;
	if (fetch)
		sim_exc_classify_fetch((guint32)address, &exc, &cfsr);
	else
		sim_exc_classify_data(sim, write, &exc, &cfsr);
	sim_cpu_fault(sim, exc, cfsr);
	/* the PC Unicorn leaves is the block's start: found after the run */
	sim->cpu.fault_data = !fetch;
	sim->cpu.fault_write = write;
	return false;
}

static void
sim_cpu_fpb_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
	GlintSim *sim = user_data;
	(void)address;
	(void)size;
	sim->cpu.stop = SIM_STOP_FPB;
	uc_emu_stop(uc);
}

/* SDIV/UDIV about to run with CCR.DIV_0_TRP set: a zero divisor faults
 * before the instruction executes (Unicorn 2.0.1 divides by zero to 0) */
static void
sim_cpu_div_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
{
	GlintSim *sim = user_data;
	const guint8 *p = sim_cpu_code_ptr(sim, (guint32)address, 4);
	guint rm;
	guint32 divisor = 1;
	(void)size;
	if (p == NULL ||
	    !sim_exc_is_divide((guint16)(p[0] | p[1] << 8), (guint16)(p[2] | p[3] << 8), &rm) ||
	    rm >= G_N_ELEMENTS(sim_cpu_gp_regs))
		return;
	uc_reg_read(uc, sim_cpu_gp_regs[rm], &divisor);
	if (divisor != 0)
		return;
	sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_DIVBYZERO);
	uc_emu_stop(uc);
}

static gboolean
sim_cpu_map_mmio(GlintSim *sim, guint32 base, guint32 size)
{
	SimCpuMmio *m = g_new0(SimCpuMmio, 1);
	m->sim = sim;
	m->base = base;
	g_ptr_array_add(sim->cpu.mmio, m);
	return uc_mmio_map(sim->cpu.uc, base, size, sim_cpu_mmio_read, m, sim_cpu_mmio_write, m) ==
	       UC_ERR_OK;
}

static gboolean
sim_cpu_open(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	uc_engine *uc = NULL;
	uc_hook h;
	gboolean ok;
	if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &uc) != UC_ERR_OK) {
		g_warning("Unicorn cannot create an ARM M-class core: code does not run");
		return FALSE;
	}
	cpu->uc = uc;
	cpu->ranges = g_array_new(FALSE, FALSE, sizeof(SimCpuRange));
	cpu->mmio = g_ptr_array_new_with_free_func(g_free);
	cpu->div_hooks = g_array_new(FALSE, FALSE, sizeof(uc_hook));
	ok = uc_ctl_set_cpu_model(uc, sim_core_model(sim)->uc_model) == UC_ERR_OK &&
	     sim_cpu_map_mmio(sim, SIM_CPU_PERIPH_BASE, SIM_CPU_PERIPH_SIZE) &&
	     sim_cpu_map_mmio(sim, PPB_BASE, PPB_SIZE) &&
	     uc_hook_add(uc, &h, UC_HOOK_BLOCK, sim_cpu_block_hook, sim, 1, 0) == UC_ERR_OK &&
	     uc_hook_add(uc, &h, UC_HOOK_INTR, sim_cpu_intr_hook, sim, 1, 0) == UC_ERR_OK &&
	     uc_hook_add(uc, &h, UC_HOOK_MEM_INVALID, sim_cpu_invalid_hook, sim, 1, 0) == UC_ERR_OK;
	if (!ok) {
		g_warning("Unicorn refused the core's register windows: code does not run");
		sim_cpu_clear(sim);
		return FALSE;
	}
	/* the register windows stay; the bus map's windows follow the map */
	cpu->n_fixed_mmio = cpu->mmio->len;
	cpu->mapped = FALSE;
	cpu->n_fpb_hooks = 0;
	cpu->n_v6m_hooks = 0;
	cpu->regs_in_uc = FALSE;
	cpu->fpb_dirty = TRUE;
	cpu->div_dirty = TRUE;
	return TRUE;
}

void
sim_cpu_clear(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	if (cpu->uc != NULL)
		uc_close(cpu->uc);
	cpu->uc = NULL;
	cpu->mapped = FALSE;
	g_clear_pointer(&cpu->ranges, g_array_unref);
	g_clear_pointer(&cpu->mmio, g_ptr_array_unref);
	g_clear_pointer(&cpu->div_hooks, g_array_unref);
}

static gboolean
sim_cpu_page_aligned(guint32 base, guint32 size)
{
	return (base % SIM_CPU_PAGE) == 0 && (size % SIM_CPU_PAGE) == 0;
}

/* Memory the core reaches directly: the region's own bytes, so the debugger
 * and the code see the same. Stores into a programmed region are hooked
 * and handed to the flash model. */
static void
sim_cpu_map_memory(GlintSim *sim, guint32 base, guint32 size, guint8 *mem, const SimRegion *r)
{
	SimCpu *cpu = &sim->cpu;
	SimCpuRange range = {base, size, FALSE, (r->flags & SIM_REGION_EXEC) != 0, FALSE, 0};
	guint32 prot = UC_PROT_READ;
	if (r->flags & SIM_REGION_EXEC)
		prot |= UC_PROT_EXEC;
	if (r->flags & (SIM_REGION_WRITABLE | SIM_REGION_PROGRAMMED))
		prot |= UC_PROT_WRITE;
	if (uc_mem_map_ptr(cpu->uc, base, size, prot, mem) != UC_ERR_OK) {
		g_warning("cannot map %s at 0x%08x+0x%x for the core", r->name, base, size);
		return;
	}
	if ((r->flags & SIM_REGION_PROGRAMMED) &&
	    uc_hook_add(cpu->uc, &range.store_hook, UC_HOOK_MEM_WRITE, sim_cpu_flash_store, sim,
			base, base + size - 1) == UC_ERR_OK)
		range.hooked = TRUE;
	g_array_append_val(cpu->ranges, range);
}

static gboolean
sim_cpu_page_mapped(GlintSim *sim, guint32 page)
{
	SimCpu *cpu = &sim->cpu;
	for (guint i = 0; i < cpu->ranges->len; i++) {
		const SimCpuRange *r = &g_array_index(cpu->ranges, SimCpuRange, i);
		if (page >= r->base && page - r->base < r->size)
			return TRUE;
	}
	return FALSE;
}

/* Regions too small for Unicorn's pages (OTP, option bytes): their pages
 * become callbacks onto the bus; what else the page holds reads as 0 */
static void
sim_cpu_map_pages(GlintSim *sim, guint32 base, guint32 size)
{
	SimCpu *cpu = &sim->cpu;
	guint32 last = (base + (size - 1)) & ~(SIM_CPU_PAGE - 1);
	for (guint32 page = base & ~(SIM_CPU_PAGE - 1);; page += SIM_CPU_PAGE) {
		if (!sim_cpu_page_mapped(sim, page)) {
			SimCpuRange range = {page, SIM_CPU_PAGE, TRUE, FALSE, FALSE, 0};
			if (sim_cpu_map_mmio(sim, page, SIM_CPU_PAGE))
				g_array_append_val(cpu->ranges, range);
			else
				g_warning("cannot map the page at 0x%08x for the core", page);
		}
		if (page == last)
			break;
	}
}

/* Code runs from a region whose size is no multiple of a page (6 KB of
 * SRAM on an F04x): its last page is completed from the region's padding
 * when nothing else lives in that page. Code sees zeros past the end there
 * instead of a bus fault. */
static guint32
sim_cpu_pad_to_page(GlintSim *sim, const SimWindow *w, const SimRegion *r)
{
	guint32 padded = (w->size + SIM_CPU_PAGE - 1) & ~(SIM_CPU_PAGE - 1);
	if (padded == w->size || (w->base % SIM_CPU_PAGE) != 0 || !(r->flags & SIM_REGION_EXEC) ||
	    w->offset + padded > sim_region_capacity(sim, (guint)w->region) ||
	    sim_map_overlaps(sim_map_get(sim), w->base + w->size, padded - w->size))
		return w->size;
	return padded;
}

/* Read protection may keep a window from the code (an STM32's flash at RDP
 * level 1 with a debugger attached): left unmapped, its loads, stores and
 * fetches fault as on silicon */
static gboolean
sim_cpu_window_blocked(GlintSim *sim, guint32 base)
{
	const SimMachineOps *ops = sim->machine->ops;
	SimHit hit;
	return ops->core_blocked != NULL && sim_map_resolve(sim, base, 1, FALSE, &hit) &&
	       ops->core_blocked(sim, &hit);
}

/* One window of the bus map; a forward maps the memory it shows, window
 * by window of its target (banks may be swapped behind it). Pages that
 * cannot be memory are left to the second pass (@pages). */
static void
sim_cpu_map_window(GlintSim *sim, const SimWindow *w, GArray *pages)
{
	guint32 off = 0;
	while (off < w->size) {
		guint32 base = w->base + off;
		guint32 piece;
		guint8 *mem;
		const SimRegion *r;
		if (w->region == SIM_WINDOW_FORWARD) {
			SimHit hit;
			if (!sim_map_resolve(sim, w->offset + off, 1, FALSE, &hit))
				return;
			piece = MIN(w->size - off, hit.avail);
			mem = hit.mem;
			r = hit.info;
		} else {
			piece = w->size;
			mem = sim->mem[w->region] + w->offset;
			r = &sim->machine->regions[w->region];
			piece = sim_cpu_pad_to_page(sim, w, r);
		}
		if (sim_cpu_window_blocked(sim, base)) {
			off += piece;
			continue;
		}
		if (sim_cpu_page_aligned(base, piece)) {
			sim_cpu_map_memory(sim, base, piece, mem, r);
		} else if (base % SIM_CPU_PAGE == 0 && piece > SIM_CPU_PAGE) {
			/* SRAM of 22 KB followed by another window in its last page
			 * (a G431's SRAM2, then its CCM SRAM alias): the whole pages
			 * are memory, code runs there; the last one is callbacks */
			guint32 head = piece & ~(SIM_CPU_PAGE - 1);
			SimWindow rest = {base + head, piece - head, 0, 0};
			sim_cpu_map_memory(sim, base, head, mem, r);
			g_array_append_val(pages, rest);
		} else {
			SimWindow rest = {base, piece, 0, 0};
			g_array_append_val(pages, rest);
		}
		off += piece;
	}
}

static void
sim_cpu_unmap(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	for (guint i = 0; i < cpu->ranges->len; i++) {
		const SimCpuRange *r = &g_array_index(cpu->ranges, SimCpuRange, i);
		if (r->hooked)
			(void)uc_hook_del(cpu->uc, r->store_hook);
		(void)uc_mem_unmap(cpu->uc, r->base, r->size);
	}
	g_array_set_size(cpu->ranges, 0);
	g_ptr_array_set_size(cpu->mmio, (gint)cpu->n_fixed_mmio);
}

/* The bus map changes with the option bytes and the boot mode (option
 * load, reset): the core maps it again when it did */
static void
sim_cpu_update_map(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	const SimMap *map = sim_map_get(sim);
	g_autoptr(GArray) pages = NULL;
	if (cpu->mapped && cpu->map_generation == map->generation)
		return;
	sim_cpu_unmap(sim);
	pages = g_array_new(FALSE, FALSE, sizeof(SimWindow));
	for (guint i = 0; i < map->n_windows; i++)
		sim_cpu_map_window(sim, &map->windows[i], pages);
	for (guint i = 0; i < pages->len; i++) {
		const SimWindow *w = &g_array_index(pages, SimWindow, i);
		sim_cpu_map_pages(sim, w->base, w->size);
	}
	cpu->mapped = TRUE;
	cpu->map_generation = map->generation;
	cpu->flush_pending = TRUE;
}

/* FPB comparators become code hooks on the addresses they match */
static void
sim_cpu_set_fpb_hooks(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	for (guint i = 0; i < cpu->n_fpb_hooks; i++)
		(void)uc_hook_del(cpu->uc, cpu->fpb_hooks[i]);
	cpu->n_fpb_hooks = 0;
	if (!(sim->core.fp_ctrl & FP_CTRL_ENABLE))
		return;
	for (guint i = 0; i < sim_fpb_comparators(sim); i++) {
		guint32 comp = 0;
		guint replace;
		guint32 addr;
		uc_hook h;
		(void)sim_ppb_read(sim, FP_COMP0_ADDR + 4 * i, &comp);
		replace = comp >> FP_COMP_REPLACE_SHIFT;
		/* REPLACE 0 remaps code instead of breaking: not modelled */
		if (!(comp & FP_COMP_ENABLE) || replace == 0)
			continue;
		/* REPLACE 3 (both halfwords) breaks on the lower one first */
		addr = (comp & FP_COMP_ADDR_MASK) + (replace == FP_REPLACE_UPPER ? 2u : 0u);
		if (uc_hook_add(cpu->uc, &h, UC_HOOK_CODE, sim_cpu_fpb_hook, sim, addr, addr) ==
		    UC_ERR_OK)
			cpu->fpb_hooks[cpu->n_fpb_hooks++] = h;
	}
}

void
sim_cpu_fpb_changed(GlintSim *sim)
{
	sim->cpu.fpb_dirty = TRUE;
}

/* Past this many divide instructions one hook checks every instruction of
 * the code memory instead (slower, the same outcome) */
#define SIM_CPU_MAX_DIV_HOOKS 1024u

static void
sim_cpu_add_div_hook(GlintSim *sim, guint32 begin, guint32 end)
{
	uc_hook h;
	if (uc_hook_add(sim->cpu.uc, &h, UC_HOOK_CODE, sim_cpu_div_hook, sim, begin, end) ==
	    UC_ERR_OK)
		g_array_append_val(sim->cpu.div_hooks, h);
}

/* With CCR.DIV_0_TRP set, every SDIV/UDIV in code memory gets a code hook
 * (hooks apply when code is translated: done before the code cache is
 * dropped). Code the host or the core writes later is scanned at the next
 * start. */
static void
sim_cpu_set_div_hooks(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	for (guint i = 0; i < cpu->div_hooks->len; i++)
		(void)uc_hook_del(cpu->uc, g_array_index(cpu->div_hooks, uc_hook, i));
	g_array_set_size(cpu->div_hooks, 0);
	if (!sim_exc_divide_traps(sim))
		return;
	for (guint i = 0; i < cpu->ranges->len; i++) {
		const SimCpuRange *r = &g_array_index(cpu->ranges, SimCpuRange, i);
		const guint8 *p =
		    r->exec && !r->mmio ? sim_cpu_code_ptr(sim, r->base, r->size) : NULL;
		guint rm;
		for (guint32 off = 0; p != NULL && off + 4 <= r->size; off += 2) {
			if (!sim_exc_is_divide((guint16)(p[off] | p[off + 1] << 8),
					       (guint16)(p[off + 2] | p[off + 3] << 8), &rm))
				continue;
			if (cpu->div_hooks->len >= SIM_CPU_MAX_DIV_HOOKS) {
				sim_cpu_add_div_hook(sim, r->base, r->base + r->size - 1);
				break;
			}
			sim_cpu_add_div_hook(sim, r->base + off, r->base + off);
		}
	}
}

void
sim_cpu_ccr_changed(GlintSim *sim)
{
	sim->cpu.div_dirty = TRUE;
	/* the code that set it goes on with the hooks in place */
	if (sim->cpu.in_emu && sim->cpu.stop == SIM_STOP_NONE) {
		sim->cpu.stop = SIM_STOP_BUDGET;
		uc_emu_stop(sim->cpu.uc);
	}
}

static void
sim_cpu_push_regs(GlintSim *sim)
{
	uc_engine *uc = sim->cpu.uc;
	const guint32 *r = sim->core.regs;
	guint32 special = r[REGSEL_CONTROL];
	guint32 v;
	/* CONTROL first: SPSEL decides which stack pointer SP is */
	v = (special >> 24) & 0x7u;
	uc_reg_write(uc, UC_ARM_REG_CONTROL, &v);
	uc_reg_write(uc, UC_ARM_REG_MSP, &r[REGSEL_MSP]);
	uc_reg_write(uc, UC_ARM_REG_PSP, &r[REGSEL_PSP]);
	for (guint i = 0; i < G_N_ELEMENTS(sim_cpu_gp_regs); i++)
		uc_reg_write(uc, sim_cpu_gp_regs[i], &r[i]);
	uc_reg_write(uc, UC_ARM_REG_LR, &r[REGSEL_LR]);
	v = r[REGSEL_PC] | 1u;
	uc_reg_write(uc, UC_ARM_REG_PC, &v);
	uc_reg_write(uc, UC_ARM_REG_XPSR, &r[REGSEL_XPSR]);
	v = special & 0x1u;
	uc_reg_write(uc, UC_ARM_REG_PRIMASK, &v);
	v = (special >> 8) & 0xFFu;
	uc_reg_write(uc, UC_ARM_REG_BASEPRI, &v);
	v = (special >> 16) & 0x1u;
	uc_reg_write(uc, UC_ARM_REG_FAULTMASK, &v);
	for (guint i = 0; i < 32; i++)
		uc_reg_write(uc, UC_ARM_REG_S0 + (int)i, &r[REGSEL_S0 + i]);
	uc_reg_write(uc, UC_ARM_REG_FPSCR, &r[REGSEL_FPSCR]);
}

void
sim_cpu_pull_regs(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	guint32 *r = sim->core.regs;
	guint32 control = 0, primask = 0, basepri = 0, faultmask = 0;
	if (cpu->uc == NULL || !cpu->regs_in_uc)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(sim_cpu_gp_regs); i++)
		uc_reg_read(cpu->uc, sim_cpu_gp_regs[i], &r[i]);
	uc_reg_read(cpu->uc, UC_ARM_REG_LR, &r[REGSEL_LR]);
	uc_reg_read(cpu->uc, UC_ARM_REG_PC, &r[REGSEL_PC]);
	r[REGSEL_PC] &= ~1u;
	uc_reg_read(cpu->uc, UC_ARM_REG_XPSR, &r[REGSEL_XPSR]);
	uc_reg_read(cpu->uc, UC_ARM_REG_MSP, &r[REGSEL_MSP]);
	uc_reg_read(cpu->uc, UC_ARM_REG_PSP, &r[REGSEL_PSP]);
	uc_reg_read(cpu->uc, UC_ARM_REG_CONTROL, &control);
	uc_reg_read(cpu->uc, UC_ARM_REG_PRIMASK, &primask);
	uc_reg_read(cpu->uc, UC_ARM_REG_BASEPRI, &basepri);
	uc_reg_read(cpu->uc, UC_ARM_REG_FAULTMASK, &faultmask);
	r[REGSEL_CONTROL] = (control & 0x7u) << 24 | (faultmask & 1u) << 16 |
			    (basepri & 0xFFu) << 8 | (primask & 1u);
	for (guint i = 0; i < 32; i++)
		uc_reg_read(cpu->uc, UC_ARM_REG_S0 + (int)i, &r[REGSEL_S0 + i]);
	uc_reg_read(cpu->uc, UC_ARM_REG_FPSCR, &r[REGSEL_FPSCR]);
	cpu->regs_in_uc = FALSE;
}

/* Forget translated code of every memory code can run from: the host may
 * have rewritten it (uc_ctl_flush_tlb would do it too, but costs hundreds
 * of milliseconds in Unicorn 2.0.1; this costs a fraction of one) */
static void
sim_cpu_drop_code(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	for (guint i = 0; i < cpu->ranges->len; i++) {
		const SimCpuRange *r = &g_array_index(cpu->ranges, SimCpuRange, i);
		if (r->exec)
			uc_ctl_remove_cache(cpu->uc, r->base, (guint64)r->base + r->size);
	}
}

/* Unicorn ready to run: created, memory map current, stale code dropped,
 * registers loaded */
static gboolean
sim_cpu_prepare(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	if (cpu->uc == NULL && !sim_cpu_open(sim))
		return FALSE;
	sim_cpu_update_map(sim);
	if (cpu->fpb_dirty) {
		sim_cpu_set_fpb_hooks(sim);
		cpu->fpb_dirty = FALSE;
		cpu->flush_pending = TRUE;
	}
	/* rewritten code may hold other divisions */
	if (cpu->div_dirty || (cpu->flush_pending && cpu->div_hooks->len > 0) ||
	    (cpu->flush_pending && sim_exc_divide_traps(sim))) {
		sim_cpu_set_div_hooks(sim);
		cpu->div_dirty = FALSE;
		cpu->flush_pending = TRUE;
	}
	if (cpu->flush_pending) {
		/* the host may have rewritten code, and hooks apply at translation */
		sim_cpu_drop_code(sim);
		cpu->flush_pending = FALSE;
	}
	if (!cpu->regs_in_uc) {
		sim_cpu_push_regs(sim);
		cpu->regs_in_uc = TRUE;
	}
	return TRUE;
}

/* Unicorn cannot run the core (it refused its memory map): the core
 * stays where it is, as stuck as a locked-up one */
static void
sim_cpu_cannot_run(GlintSim *sim)
{
	sim->cpu.lockup = TRUE;
	g_warning("the emulated core cannot run: it stays stopped");
}

/* A debug event (BKPT, FPB match) halts the core when halting debug is
 * enabled; without it the DebugMonitor exception takes it, or it
 * escalates to HardFault (HFSR.DEBUGEVT) */
static void
sim_cpu_debug_event(GlintSim *sim)
{
	SimCore *c = &sim->core;
	c->dfsr |= DFSR_BKPT;
	if (!(c->dhcsr_c & DHCSR_C_DEBUGEN)) {
		sim_cpu_pull_regs(sim);
		sim_exc_synchronous(sim, EXC_DEBUGMONITOR, 0);
		return;
	}
	c->halted = TRUE;
	c->regrdy = TRUE;
	c->dhcsr_c |= DHCSR_C_HALT;
}

/* Whether the instruction just before @pc is a WFI (Unicorn returns from
 * emu_start after one, as from the end of a slice) */
static gboolean
sim_cpu_after_wfi(GlintSim *sim, guint32 pc)
{
	const guint8 *p = pc >= 2 ? sim_cpu_code_ptr(sim, pc - 2, 2) : NULL;
	return p != NULL && (guint16)(p[0] | p[1] << 8) == THUMB_WFI;
}

static void
sim_cpu_after_run(GlintSim *sim, uc_err err)
{
	SimCpu *cpu = &sim->cpu;
	guint32 pc = 0;
	uc_reg_read(cpu->uc, UC_ARM_REG_PC, &pc);
	if (err != UC_ERR_OK && cpu->stop != SIM_STOP_FAULT && cpu->stop != SIM_STOP_RESET) {
		/* an error no hook explained: treat it as the fault it names */
		if (err == UC_ERR_INSN_INVALID)
			sim_cpu_fault(sim, EXC_USAGEFAULT, CFSR_UNDEFINSTR);
		else
			sim_cpu_fault(sim, EXC_BUSFAULT, CFSR_IBUSERR);
	}
	switch (cpu->stop) {
	case SIM_STOP_BKPT:
	case SIM_STOP_FPB:
		sim_cpu_debug_event(sim);
		break;
	case SIM_STOP_FAULT:
		sim_cpu_pull_regs(sim);
		if (cpu->fault_data)
			sim->core.regs[REGSEL_PC] = sim_exc_locate_access(
			    sim, sim->core.regs[REGSEL_PC], cpu->fault_addr, cpu->fault_write);
		sim_exc_synchronous(sim, cpu->fault_exc, cpu->fault_cfsr);
		break;
	case SIM_STOP_SVC:
		sim_cpu_pull_regs(sim);
		sim_exc_synchronous(sim, EXC_SVCALL, 0);
		break;
	case SIM_STOP_RESET:
		break;
	case SIM_STOP_IRQ:
		sim_cpu_pull_regs(sim);
		sim_exc_take_systick(sim);
		break;
	case SIM_STOP_EXC_RETURN:
		sim_cpu_pull_regs(sim);
		sim_exc_return(sim, cpu->exc_return_value);
		break;
	case SIM_STOP_SLEEP:
		cpu->sleeping = TRUE;
		break;
	default:
		/* something ran (a loop may come back to the same PC) */
		if (cpu->blocks_run > 0 && sim_cpu_after_wfi(sim, pc)) {
			cpu->sleeping = TRUE;
			cpu->stop = SIM_STOP_SLEEP;
		}
		break;
	}
	if (cpu->pending_reset != 0) {
		gboolean system = cpu->pending_reset == 1;
		cpu->pending_reset = 0;
		if (system)
			sim_system_reset_from(sim, cpu->pending_source);
		else
			sim_core_reset(sim);
	}
}

/* One uc_emu_start: until @deadline, or @count instructions if not 0 */
static void
sim_cpu_run_once(GlintSim *sim, gint64 deadline, guint64 count)
{
	SimCpu *cpu = &sim->cpu;
	guint32 pc = 0;
	uc_err err;
	uc_reg_read(cpu->uc, UC_ARM_REG_PC, &pc);
	cpu->deadline = deadline;
	cpu->remap_pending = FALSE;
	cpu->stop = SIM_STOP_NONE;
	cpu->last_block_end = 0;
	cpu->blocks_run = 0;
	cpu->in_emu = TRUE;
	cpu->in_run = TRUE;
	sim->now_ns = cpu->ns;
	err = uc_emu_start(cpu->uc, pc | 1u, SIM_CPU_NO_UNTIL, 0, count);
	cpu->in_emu = FALSE;
	sim_cpu_fix_flash(sim);
	sim_cpu_after_run(sim, err);
	cpu->in_run = FALSE;
}

void
sim_cpu_catch_up(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	gint64 now = sim->now_ns;
	while (cpu->ns < now) {
		gint64 before = cpu->ns;
		/* a SysTick wrap ends a WFI (even when masked) */
		if (cpu->sleeping && !sim->core.halted && !sim->core.nrst_low &&
		    (cpu->syst_csr & 1u) && cpu->syst_next_ns <= now) {
			cpu->ns = MAX(cpu->ns, cpu->syst_next_ns);
			if (sim_systick_advance(sim, cpu->ns))
				cpu->sleeping = FALSE;
		}
		if (!sim_cpu_executing(sim))
			break;
		/* again after a reset the code asked for: new registers, new map */
		if (!sim_cpu_prepare(sim)) {
			sim_cpu_cannot_run(sim);
			break;
		}
		sim_cpu_run_once(sim, now, 0);
		/* a run that retired nothing still costs a cycle: no endless loop */
		if (cpu->ns == before)
			sim_cpu_charge(sim, SIM_CPU_CYCLES_PER_INSN);
	}
	/* the probe's clock is not held back by the core: it only got ahead */
	sim->now_ns = now;
}

void
sim_cpu_step(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	SimCore *c = &sim->core;
	gint64 now = sim->now_ns;
	c->halted = FALSE;
	cpu->exception_taken = FALSE;
	sim_cpu_started(sim);
	if (!sim_cpu_executing(sim))
		return;
	/* a fault fetching the instruction was taken: the step ends on the
	 * handler's first instruction */
	if (!cpu->exception_taken) {
		if (!sim_cpu_prepare(sim)) {
			sim_cpu_cannot_run(sim);
			return;
		}
		/* the block hook must not end the step early */
		cpu->stepping = TRUE;
		sim_cpu_run_once(sim, G_MAXINT64, 1);
		cpu->stepping = FALSE;
		sim_cpu_charge(sim, SIM_CPU_CYCLES_PER_INSN);
	}
	sim->now_ns = now;
	c->retire_st = TRUE;
	if (cpu->lockup || c->halted || c->nrst_low)
		return;
	/* a step ends in Debug state, also after a WFI */
	cpu->sleeping = FALSE;
	c->halted = TRUE;
	c->regrdy = TRUE;
	c->dfsr |= DFSR_HALTED;
}

void
sim_cpu_started(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	cpu->ns = sim->now_ns;
	cpu->rem = 0;
	cpu->sleeping = FALSE;
	cpu->lockup = FALSE;
	cpu->flush_pending = TRUE;
	sim_cpu_clock_changed(sim);
	sim_cpu_pull_regs(sim);
	/* checked here so an erased board faults and locks up without
	 * starting Unicorn */
	(void)sim_exc_start(sim);
}

void
sim_cpu_map_changed(GlintSim *sim)
{
	/* stopping inside a store would resume at the start of its block (and
	 * repeat it): the block hook stops before the next block instead */
	if (sim->cpu.in_emu)
		sim->cpu.remap_pending = TRUE;
}

void
sim_cpu_stop_now(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	if (!cpu->in_emu)
		return;
	cpu->stop = SIM_STOP_BUDGET;
	uc_emu_stop(cpu->uc);
}

gboolean
sim_cpu_defer_reset(GlintSim *sim, gboolean system, SimResetSource source)
{
	SimCpu *cpu = &sim->cpu;
	if (!cpu->in_emu)
		return FALSE;
	if (system || cpu->pending_reset == 0)
		cpu->pending_reset = system ? 1 : 2;
	if (system)
		cpu->pending_source = source;
	cpu->stop = SIM_STOP_RESET;
	uc_emu_stop(cpu->uc);
	return TRUE;
}

void
sim_cpu_reset_state(GlintSim *sim)
{
	SimCpu *cpu = &sim->cpu;
	/* the registers the reset writes into core.regs are the ones to use */
	sim_cpu_pull_regs(sim);
	cpu->regs_in_uc = FALSE;
	cpu->sleeping = FALSE;
	cpu->lockup = FALSE;
	cpu->flush_pending = TRUE;
	sim_systick_reset(sim);
}

gint64
glint_sim_advance_time(GlintSim *sim, gint64 ns)
{
	g_return_val_if_fail(sim != NULL, 0);
	sim_clock_advance(sim, ns);
	sim_cpu_catch_up(sim);
	return sim->now_ns;
}

guint32
glint_sim_get_hclk_hz(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, 0);
	return sim->machine->ops->hclk_hz(sim);
}
