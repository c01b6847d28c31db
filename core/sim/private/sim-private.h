/* sim-private.h: the state of one emulated probe + board, shared by the
 * framework's files (probe firmware, debug logic, bus, core, scenarios,
 * state file) and the machines (core/sim/<family>/), which use the
 * functions it declares. Nothing outside core/sim sees it (the emulator's
 * own tests aside). */
#pragma once

#include "glint-error.h"
#include "glint-sim.h"
#include "sim-clock.h"
#include "sim-machine.h"
#include "sim-armv7m.h"
#include "periph/sim-periph.h"

/* ST-LINK status codes (reference 2.10) */
#define STLINK_OK 0x80u
#define STLINK_FAULT 0x81u
#define STLINK_CMD_ERROR 0x08u
#define STLINK_GET_IDCODE_ERROR 0x09u
#define STLINK_ALIGNMENT_ERROR 0x0Au
#define STLINK_SWD_AP_FAULT 0x11u
#define STLINK_SWD_DP_ERROR 0x16u
#define STLINK_BAD_AP 0x1Du
#define STLINK_UNKNOWN_CMD 0x42u

/* Probe modes (reference 2.5) */
#define STLINK_MODE_DFU 0x00u
#define STLINK_MODE_MASS 0x01u
#define STLINK_MODE_DEBUG 0x02u

/* Result of one bus access */
typedef enum {
	SIM_BUS_OK,
	SIM_BUS_FAULT, /* AP fault (bus error) */
} SimBusResult;

/* The flash model's operation in progress (BSY), on the virtual clock:
 * bus accesses to busy flash wait until it ends (sim_flash_op_wait) */
typedef struct {
	gboolean active;
	gint64 until;
} SimFlashOp;

/* Cortex-M debug and system state */
typedef struct {
	guint32 regs[REGSEL_COUNT];
	guint32 dhcsr_c; /* C_* control bits */
	gboolean halted;
	gboolean reset_st; /* sticky S_RESET_ST */
	gboolean retire_st;
	gboolean regrdy;
	guint32 dcrdr;
	guint32 demcr;
	guint32 dfsr;
	guint32 cfsr, hfsr;
	guint32 aircr_prigroup;
	guint32 fp_ctrl;
	gboolean nrst_low;
	/* Plain storage for the rest of the private peripheral bus */
	GHashTable *ppb; /* address -> value */
} SimCore;

/* CRC unit (periph/sim-crc.c) */
typedef struct {
	guint32 dr; /* the CRC register, before REV_OUT */
	guint32 idr, cr, init, pol;
	/* byte-at-a-time table for the polynomial in use (host speed only) */
	guint32 table[256];
	guint32 table_pol;
	guint table_width; /* 0: not built */
} SimCrc;

/* One GPIO port (periph/sim-gpio.c) */
typedef struct {
	guint32 moder, otyper, ospeedr, pupdr, odr, lckr, afrl, afrh;
	guint64 toggles[16]; /* level changes of each output pin since power-on */
} SimGpio;

/* Why the core stopped inside one run of the emulator (sim-cpu.c) */
typedef enum {
	SIM_STOP_NONE,
	SIM_STOP_BUDGET,     /* the virtual time of this catch-up is used up */
	SIM_STOP_BKPT,	     /* BKPT instruction */
	SIM_STOP_FPB,	     /* FPB comparator match */
	SIM_STOP_FAULT,	     /* a fault: its exception is taken (sim-exc.c) */
	SIM_STOP_SVC,	     /* SVC: the SVCall exception */
	SIM_STOP_RESET,	     /* the code asked for a reset (AIRCR, OBL_LAUNCH) */
	SIM_STOP_SLEEP,	     /* WFI */
	SIM_STOP_IRQ,	     /* SysTick pending and not masked: take it */
	SIM_STOP_EXC_RETURN, /* the handler returned (EXC_RETURN) */
} SimStop;

/* A bus window the core reaches through callbacks */
typedef struct {
	GlintSim *sim;
	guint32 base;
} SimCpuMmio;

/* A window of the bus map as the core has it mapped */
typedef struct {
	guint32 base;
	guint32 size;
	gboolean mmio;	 /* through callbacks (registers, small regions) */
	gboolean exec;	 /* code may run from it: its translations are dropped */
	gboolean hooked; /* stores reach the flash model (store_hook) */
	gsize store_hook;
} SimCpuRange;

#define SIM_CPU_V6M_HOOKS 8

/* The Cortex-M4 core executing code (sim-cpu.c). Unicorn holds the
 * registers while the core executes; core.regs holds them otherwise. */
typedef struct {
	struct uc_struct *uc; /* created the first time code runs */
	gboolean sleeping;    /* WFI: waits for an event (only a halt ends it) */
	gboolean lockup;      /* a fault at priority -1 or above: PC 0xFFFFFFFE */
	gboolean regs_in_uc;
	gboolean in_emu; /* inside uc_emu_start */
	/* inside a run of the core (exception entry after it included): the
	 * sim's clock is the core's, ahead of or behind the probe's */
	gboolean in_run;
	gboolean stepping;	/* one instruction: time is charged apart */
	gboolean flush_pending; /* translated code may be stale */
	gboolean remap_pending; /* the map changed under running code: stop before the next block */
	gboolean fpb_dirty;	/* comparators changed since the hooks were set */
	gboolean div_dirty;	/* CCR.DIV_0_TRP or code changed: divide hooks redone */
	gint64 ns;		/* virtual time the core has reached */
	guint64 rem;		/* fraction of a ns carried between charges */
	gint64 deadline;	/* end of the current catch-up */
	guint32 hclk;		/* cached SimMachineOps.hclk_hz() */
	SimStop stop;
	guint pending_reset; /* 1 system, 2 core: requested by code, done after the run */
	SimResetSource pending_source;
	guint32 fault_addr;
	/* the fault that stopped the run: its exception and CFSR bits */
	guint fault_exc;
	guint32 fault_cfsr;
	gboolean fault_data;  /* a data access the bus refused: its PC is found after the run */
	gboolean fault_write; /* ... and it was a store */
	/* the EXC_RETURN value a handler returned through */
	guint32 exc_return_value;
	/* an exception was entered since this was cleared (a step halts on
	 * the handler's first instruction) */
	gboolean exception_taken;
	guint32 last_block_end; /* where the previous block falls through to */
	guint64 blocks_run;	/* in the current uc_emu_start */
	guint64 cycles;		/* HCLK cycles executed since power-on (DWT_CYCCNT) */
	/* the bus map as mapped into Unicorn, redone when the map changes */
	gboolean mapped;
	guint map_generation;
	GArray *ranges;	    /* SimCpuRange */
	GPtrArray *mmio;    /* SimCpuMmio, one per callback window */
	guint n_fixed_mmio; /* the register windows, mapped once */
	gsize fpb_hooks[FP_COMP_COUNT];
	guint n_fpb_hooks;
	/* ARMv6-M: code hooks on 32-bit instructions the core does not have
	 * (they fault when reached), the oldest replaced first */
	gsize v6m_hooks[SIM_CPU_V6M_HOOKS];
	guint32 v6m_hook_addr[SIM_CPU_V6M_HOOKS];
	guint n_v6m_hooks;
	GArray *div_hooks; /* uc_hook: SDIV/UDIV checked for a zero divisor */
	/* a core store into flash: Unicorn writes the raw value after the
	 * flash controller has decided; these bytes undo that at the next
	 * callback */
	guint8 *fix_ptr;
	guint fix_len;
	guint8 fix_bytes[8];
	/* SysTick (sim-exc.c) */
	guint32 syst_csr;
	guint32 syst_rvr;
	guint32 syst_cvr;    /* while disabled */
	gint64 syst_next_ns; /* next wrap to 0 while enabled */
	gboolean syst_countflag;
	gboolean syst_pending;
} SimCpu;

/* One byte on the SWO pin (sim-trace.c): when its stop bit ends, at what
 * rate it went out, and whether a UART at the other end can read it */
typedef struct {
	gint64 done_ns;
	guint32 line_hz;
	guint8 value;
	gboolean readable; /* NRZ, formatter bypassed, pin driven */
} SimSwoByte;

/* ITM, DWT cycle counter, TPIU and the probe's trace receiver (sim-trace.c) */
typedef struct {
	/* ITM (debug domain: reset at power-on only) */
	guint32 itm_ter, itm_tpr, itm_tcr;
	gboolean itm_unlocked; /* LAR written with the key (the core's accesses) */
	gboolean itm_overflow; /* a stimulus write was lost: an Overflow packet is due */
	guint64 lts_cycles;    /* core cycles at the last local timestamp */
	guint32 sync_period;   /* CYCCNT at the last synchronization packet check */
	/* DWT_CYCCNT: its value at @cyccnt_cycles, counting while @cyccnt_on */
	guint32 cyccnt;
	guint64 cyccnt_cycles;
	gboolean cyccnt_on;
	/* TPIU */
	guint32 tpiu_cspsr, tpiu_acpr, tpiu_sppr, tpiu_ffcr;
	/* a chip's own SWO unit and trace funnel (SimMachine.swo_unit) */
	guint32 swo_codr, swo_sppr, swo_ffcr, funnel_ctrl;
	gboolean swo_unlocked, funnel_unlocked;
	/* the SWO pin: bytes not yet out or not yet handed to the probe */
	GArray *line; /* SimSwoByte */
	gint64 line_free_ns;
	/* the probe's receiver (START_TRACE_RX): its UART rate and buffer;
	 * the trace endpoint gives at most what GET_TRACE_NB announced */
	gboolean rx_on;
	guint32 rx_hz;
	guint rx_capacity;
	GByteArray *rx;
	guint rx_announced;
} SimTrace;

struct _GlintSim {
	gint ref_count;
	/* the board, its scenario, and the shortest name for both ("fresh",
	 * "stm32l476re:wrp") */
	const SimBoard *board;
	gchar *scenario;
	gchar *spec;
	gchar *serial;
	gboolean binary_serial;
	GlintProbeKind kind;
	guint jtag_version;
	guint swim_version;
	guint target_mv;
	/* sim-faults.c: power fails during a double word programmed later */
	gboolean dword_cut_armed;
	guint64 dword_cut_left; /* double words still to complete before it */
	gboolean dword_cut_done;
	guint32 dword_cut_addr; /* the double word it left half programmed */

	/* Scenario traits */
	gboolean fw_disables_swd; /* firmware turns SWD pins into GPIO */

	/* Probe firmware */
	guint8 mode;
	guint swd_khz;
	gboolean unplugged;
	guint64 unplug_at; /* command count at which to vanish; 0 = never */
	GlintSimCommandHook hook;
	gpointer hook_data;
	guint64 command_count;
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	gsize cmd_len;
	/* A write command waiting for its data-out phase */
	gboolean data_wait;
	guint8 data_cmd[GLINT_STLINK_CMD_SIZE];
	guint8 *data_buf;
	gsize data_len;
	gsize data_got;
	/* Pending reply (IN endpoint) */
	guint8 *reply;
	gsize reply_len;
	gsize reply_pos;
	guint8 last_status;
	guint32 last_fault_addr;
	/* Set by a bus write that resets the target (OBL_LAUNCH): the ST-LINK
	 * command performing it reports SWD_DP_ERROR. */
	gboolean dp_error_pending;
	/* Fault injection: status for the next target commands */
	guint8 inject_status;
	guint inject_count;
	gboolean nrst_unwired;
	/* Inside glint_sim_peek(): reads must not clear sticky bits */
	gboolean peeking;
	/* The debugger has accessed the chip since power-on (an STM32 keeps
	 * read protection in "debug mode" until a power-on reset) */
	gboolean debug_seen;

	/* Clock */
	gint64 now_ns;
	gboolean count_host_idle; /* glint_sim_set_count_host_idle() */
	gint64 host_last_wall_ns; /* monotonic time of the last transfer */

	/* The chip: its machine, memories (one buffer per region of the
	 * machine's table) and the bus map over them */
	const SimMachine *machine;
	guint32 flash_kb;
	guint8 **mem;
	guint32 *mem_size;
	SimMap map;
	/* Plain peripheral registers (RCC, IWDG, SYSCFG, ...) */
	GHashTable *periph; /* address -> value */
	/* The machine's SimPeriphMap: its registers by address, the block the
	 * last lookup found, the reset flags set since they were removed */
	GHashTable *reg_resets; /* address -> const SimRegReset * */
	guint bus_block_last;
	guint32 reset_flags;

	/* the machine's own state (SimMachineOps.state_new): its flash
	 * controller, option-byte model, clock tree */
	gpointer machine_state;
	SimFlashOp flash_op;
	SimCore core;
	SimCrc crc;
	SimGpio gpio[SIM_GPIO_MAX_PORTS];
	/* DBGMCU registers (periph/sim-periph.c), kept over system resets */
	guint32 dbgmcu[SIM_DBGMCU_WORDS];
	guint32 dbgmcu_idcode;
	SimCpu cpu;
	SimTrace trace;
	GlintSimStats stats;
};

/* sim-map.c: the regions' bytes and the bus map */
/* Unicorn maps memory in pages of this size */
#define SIM_PAGE_SIZE 0x1000u
void sim_regions_alloc(GlintSim *sim);
void sim_regions_free(GlintSim *sim);
/* The bytes allocated for a region: its size rounded up to a page */
guint32 sim_region_capacity(GlintSim *sim, guint region);
const SimMap *sim_map_get(GlintSim *sim);
/* Whether any window of @map covers part of @len bytes at @base */
gboolean sim_map_overlaps(const SimMap *map, guint32 base, guint32 len);

/* glint-sim.c */
gboolean sim_debugger_attached(GlintSim *sim);
/* Whether the debugger has accessed the chip since the last power-on */
gboolean sim_debugger_seen(GlintSim *sim);
void sim_board_power_on(GlintSim *sim);
/* A board in a scenario; @serial NULL means the scenario's default */
GlintSim *sim_new_internal(const SimBoard *board, const SimScenario *scenario, const char *serial);

/* sim-bus.c: the memory map */
SimBusResult sim_bus_read(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 *value);
SimBusResult sim_bus_write(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 value);
/* Debug port state: STLINK_OK or the status every target access gets now. */
guint8 sim_dp_status(GlintSim *sim);
/* Pointer to @len bytes of main flash at bus address @addr (after bank
 * swapping; not through aliases), or NULL if not entirely inside one
 * window of it. */
guint8 *sim_flash_ptr(GlintSim *sim, guint32 addr, gsize len);
gboolean sim_in_main_flash(GlintSim *sim, guint32 addr);
/* The engineering bytes (SimMachineOps.fill_info) */
void sim_fill_info(GlintSim *sim);
/* 12 bytes of unique ID, derived from the probe serial */
void sim_unique_id(GlintSim *sim, guint8 uid[12]);

/* sim-periph-map.c: the rest of the chip (SimPeriphMap) */
void sim_periph_map_init(GlintSim *sim);
void sim_periph_map_clear(GlintSim *sim);
const SimRegReset *sim_reg_reset_find(GlintSim *sim, guint32 addr);
/* The documented reset value of the register at @addr (0 if not listed) */
guint32 sim_reg_reset_value(GlintSim *sim, guint32 addr);
/* The peripheral block of the memory map holding @addr, or NULL */
const SimBusBlock *sim_bus_block_find(GlintSim *sim, guint32 addr);
/* Whether @block's clock is off (its registers read 0, writes are lost) */
gboolean sim_bus_block_gated(GlintSim *sim, const SimBusBlock *block);
/* Plain storage: what a register holds (written, else its reset value);
 * a write (read-only bits and write-only registers respected); a system
 * reset (@power_on: also the registers kept over system resets) */
guint32 sim_plain_value(GlintSim *sim, guint32 addr);
void sim_plain_store(GlintSim *sim, guint32 addr, guint32 value);
void sim_plain_reset(GlintSim *sim, gboolean power_on);
/* The reset status register: the flags a reset from @source leaves, the
 * flags a read shows in @word, and a write that may remove them */
void sim_reset_flags_record(GlintSim *sim, SimResetSource source);
guint32 sim_reset_flags_overlay(GlintSim *sim, guint32 addr, guint32 word);
void sim_reset_flags_written(GlintSim *sim, guint32 addr, guint32 word);

/* sim-debug.c: Cortex-M debug registers, core registers and resets */
typedef struct {
	SimCoreType type;
	const char *name;
	int uc_model;	   /* Unicorn's UC_CPU_ARM_CORTEX_* */
	guint32 cpuid;	   /* SCB CPUID */
	guint32 dp_idcode; /* SW-DP IDCODE */
	guint32 ap_idr;	   /* the MEM-AP's IDR */
	guint32 fp_ctrl;   /* FP_CTRL at reset: its comparators (NUM_CODE, NUM_LIT) */
	guint32 dwt_ctrl;  /* DWT_CTRL at reset: its comparators (NUMCOMP) */
} SimCoreModel;
const SimCoreModel *sim_core_model(GlintSim *sim);
/* The breakpoint comparators the core's FPB (BPU on ARMv6-M) has */
guint sim_fpb_comparators(GlintSim *sim);
/* MVFR0 (@index 0) and MVFR1 of the core's FPU; 0 without one */
guint32 sim_core_mvfr(GlintSim *sim, guint index);
/* The SW-DP IDCODE and CPUID of the board's chip (the machine's, or its
 * core's) */
guint32 sim_dp_idcode(GlintSim *sim);
guint32 sim_cpuid(GlintSim *sim);
void sim_core_init(GlintSim *sim);
void sim_core_clear(GlintSim *sim);
void sim_core_power_on(GlintSim *sim);
gboolean sim_ppb_read(GlintSim *sim, guint32 addr, guint32 *value);
gboolean sim_ppb_write(GlintSim *sim, guint32 addr, guint32 value);
/* System reset from @source: peripherals + core; its flag is recorded */
void sim_system_reset_from(GlintSim *sim, SimResetSource source);
/* The reset a machine causes: an option-byte reload (OBL_LAUNCH) */
void sim_system_reset(GlintSim *sim);
/* ARMv6-M (Cortex-M0/M0+): no configurable faults, no fault status
 * registers, no VECTRESET */
gboolean sim_core_is_armv6m(GlintSim *sim);
/* Core-only reset (VECTRESET) */
void sim_core_reset(GlintSim *sim);
void sim_set_nrst(GlintSim *sim, gboolean low);
void sim_core_halt(GlintSim *sim);
void sim_core_run(GlintSim *sim);
void sim_core_step(GlintSim *sim);
guint32 sim_core_reg_get(GlintSim *sim, guint regsel);
void sim_core_reg_set(GlintSim *sim, guint regsel, guint32 value);

/* sim-cpu.c: code execution on Unicorn in virtual time */
void sim_cpu_clear(GlintSim *sim);
/* Run the core up to the current virtual time (before each probe command) */
void sim_cpu_catch_up(GlintSim *sim);
/* Ends the code's run at the current instruction (power has gone). */
void sim_cpu_stop_now(GlintSim *sim);
/* The code changed the bus map (a remap register): the core takes the new
 * map before its next instruction block */
void sim_cpu_map_changed(GlintSim *sim);
/* The core starts executing (run, step, or leaving reset) at the current time */
void sim_cpu_started(GlintSim *sim);
/* One instruction of a halted core */
void sim_cpu_step(GlintSim *sim);
/* Core registers: copy them out of Unicorn before the host reads or writes them */
void sim_cpu_pull_regs(GlintSim *sim);
/* A reset requested while code executes is done once the run stops: TRUE if deferred */
gboolean sim_cpu_defer_reset(GlintSim *sim, gboolean system, SimResetSource source);
void sim_cpu_reset_state(GlintSim *sim);
void sim_cpu_clock_changed(GlintSim *sim);
void sim_cpu_fpb_changed(GlintSim *sim);
/* CCR changed: whether divisions by zero trap may have too */
void sim_cpu_ccr_changed(GlintSim *sim);
/* Extra HCLK cycles a peripheral holds the core for (CRC unit) */
void sim_cpu_stall_cycles(GlintSim *sim, guint cycles);
gboolean sim_cpu_executing(GlintSim *sim);
/* Whether the core can fetch an instruction at @pc (code memory) */
gboolean sim_cpu_can_fetch(GlintSim *sim, guint32 pc);

/* sim-exc.c: SysTick and the entry/return of its handler */
gboolean sim_systick_owns(guint32 addr);
guint32 sim_systick_read(GlintSim *sim, guint32 addr);
void sim_systick_write(GlintSim *sim, guint32 addr, guint32 value);
void sim_systick_reset(GlintSim *sim);
/* Wraps up to @t: COUNTFLAG, pending. TRUE if the exception is pending */
gboolean sim_systick_advance(GlintSim *sim, gint64 t);
/* Whether the core may take the pending SysTick now (its priority against
 * the execution priority; DHCSR.C_MASKINTS); the registers in Unicorn */
gboolean sim_exc_can_take(GlintSim *sim);
/* The rest works on core.regs (sim_cpu_pull_regs first). Take SysTick. */
void sim_exc_take_systick(GlintSim *sim);
/* A synchronous exception at the current instruction: a fault (@exc
 * MemManage, BusFault, UsageFault with its CFSR bits; DebugMonitor for a
 * debug event without halting debug) or SVCall; escalation and lockup as
 * the architecture says */
void sim_exc_synchronous(GlintSim *sim, guint exc, guint32 cfsr);
/* The handler returned through @exc_return: unstack */
void sim_exc_return(GlintSim *sim, guint32 exc_return);
/* The core starts at its PC: FALSE if fetching there faulted (the fault
 * is taken) */
gboolean sim_exc_start(GlintSim *sim);
/* The fault an instruction fetch from @addr raises */
void sim_exc_classify_fetch(guint32 addr, guint *exc, guint32 *cfsr);
/* The fault a data access the bus refuses raises (a load's is precise, a
 * buffered store's imprecise) */
void sim_exc_classify_data(GlintSim *sim, gboolean write, guint *exc, guint32 *cfsr);
/* Whether SDIV/UDIV by zero is a UsageFault (CCR.DIV_0_TRP), and whether
 * the Thumb-2 instruction @hw1:@hw2 is one (its divisor register in @rm) */
gboolean sim_exc_divide_traps(GlintSim *sim);
/* The instruction of the block starting at @block_pc that accessed @addr
 * (a load, or a store when @write): Unicorn 2.0.1 leaves the PC at the
 * block's start after a data abort (only code hooks keep it exact), the
 * registers as the faulting instruction found them */
guint32 sim_exc_locate_access(GlintSim *sim, guint32 block_pc, guint32 addr, gboolean write);
gboolean sim_exc_is_divide(guint16 hw1, guint16 hw2, guint *rm);

/* sim-trace.c: ITM, DWT_CYCCNT, TPIU, the SWO pin and the probe's trace
 * receiver (ARMv7-M only: an ARMv6-M core has none of them) */
void sim_trace_init(GlintSim *sim);
void sim_trace_clear(GlintSim *sim);
void sim_trace_power_on(GlintSim *sim);
/* Whether the trace model answers for the PPB register at @addr */
gboolean sim_trace_owns(GlintSim *sim, guint32 addr);
guint32 sim_trace_read(GlintSim *sim, SimAccess who, guint32 addr);
void sim_trace_write(GlintSim *sim, SimAccess who, guint32 addr, guint32 value);
/* A store of @size bytes into a stimulus port (the access size makes the
 * packet); FALSE when @addr is no stimulus port */
gboolean sim_trace_stim_write(GlintSim *sim, SimAccess who, guint32 addr, guint size,
			      guint32 value);
/* DWT_CTRL or DEMCR was written: CYCCNT counts while CYCCNTENA and
 * TRCENA are both set */
void sim_trace_counter_gate_changed(GlintSim *sim);
/* The probe's trace commands (reference 2.6: 0x40-0x42) */
guint8 sim_trace_rx_start(GlintSim *sim, guint buffer_size, guint32 baud);
void sim_trace_rx_stop(GlintSim *sim);
guint16 sim_trace_rx_count(GlintSim *sim);
/* A chip's own SWO unit and trace funnel (SimMachine.swo_unit), as
 * peripherals */
guint32 sim_swo_unit_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean sim_swo_unit_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			    guint size, guint32 value);
guint32 sim_swo_funnel_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean sim_swo_funnel_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			      guint size, guint32 value);

/* sim-scenario.c: the generic scenarios, then the board's own */
guint sim_scenario_count(const SimBoard *board);
const SimScenario *sim_scenario_nth(const SimBoard *board, guint index);
const SimScenario *sim_scenario_find(const SimBoard *board, const char *name);
const char *sim_scenario_describe(const SimBoard *board, const SimScenario *scenario);
/* Factory state, then the scenario's setup; after the first power-on its
 * first-boot hook */
void sim_scenario_apply(GlintSim *sim, const SimScenario *scenario);
void sim_scenario_first_boot(GlintSim *sim, const SimScenario *scenario);
void sim_scenario_default_serial(const char *spec, gchar *out, gsize out_size);

/* sim-boards.c: the registry */
guint sim_board_count(void);
const SimBoard *sim_board_nth(guint index);
/* By name (case does not matter), or NULL */
const SimBoard *sim_board_find(const char *name);
/* "BOARD", "BOARD:SCENARIO" or a short name ("fresh", "l476re"); NULL or
 * "" mean "fresh". GLINT_ERROR_INVALID_ARGUMENT names the choices. */
gboolean sim_spec_resolve(const char *spec, const SimBoard **board, const SimScenario **scenario,
			  GError **error);
/* The short name of @board in @scenario if it has one, else BOARD:SCENARIO */
gchar *sim_spec_short(const SimBoard *board, const char *scenario);

/* sim-probe.c: the ST-LINK firmware */
void sim_probe_init(GlintSim *sim);
void sim_probe_clear(GlintSim *sim);
gsize sim_probe_pending_reply(GlintSim *sim);
/* USB product ID of a probe generation (reference 1.1) */
guint16 sim_probe_pid(GlintProbeKind kind);
/* The fastest SWD clock @sim's probe offers (kHz): 4000 on a V2, 24000 on a V3 */
guint sim_probe_max_swd_khz(GlintSim *sim);
