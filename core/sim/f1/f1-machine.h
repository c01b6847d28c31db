/* f1-machine.h: the STM32F0/F1/F3 machines' pieces, shared by the files of
 * core/sim/f1/ and by nothing else. One machine per chip (the region
 * table holds its SRAM and system memory sizes, the core type is per
 * machine); they share one flash controller model configured by F1SimChip. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "f1-regs.h"
#include "f1-timing.h"

/* The regions of every F1 machine's table, in table order (F3: CCM last) */
enum {
	F1_REGION_FLASH,
	F1_REGION_SRAM,
	F1_REGION_SYSMEM,
	F1_REGION_INFO,
	F1_REGION_OPTIONS,
	F1_REGION_CCM,
};

#define F1_MEM(sim, region) ((sim)->mem[(region)])

typedef enum {
	F1_SIM_LINE_F1,
	F1_SIM_LINE_F0,
	F1_SIM_LINE_F3,
} F1SimLine;

/* When the option bytes load */
typedef enum {
	F1_LOAD_AT_RESET,    /* every system reset (PM0075 2.5, RM0316 5) */
	F1_LOAD_AT_POWER_ON, /* power-on or OBL_LAUNCH only (RM0091 4; F103 clones) */
} F1SimOptionLoad;

/* What differs from chip to chip */
typedef struct {
	F1SimLine line;
	guint32 page_size;
	guint wrp_pages_per_bit;
	guint n_option_bytes; /* 8, or 6 without WRP2/WRP3 */
	F1SimOptionLoad option_load;
	gboolean has_obl_launch;
	/* RDP level 1 also write-protects the first 4 KB (PM0075 2.4.1), and
	 * lets a debugger mass-erase */
	gboolean rdp_first_4k;
	/* a flash write while BSY is dropped instead of held (clones) */
	gboolean drops_busy_writes;
	gint64 halfword_ns, page_erase_ns, mass_erase_ns;
	guint32 max_hclk_hz; /* the datasheet's highest HCLK */
	guint32 info_base, info_flashsize, info_uid;
} F1SimChip;

typedef struct {
	SimMachine base; /* first: sim->machine points here */
	const F1SimChip *chip;
} F1SimMachine;

static inline const F1SimChip *
f1_chip(GlintSim *sim)
{
	return ((const F1SimMachine *)sim->machine)->chip;
}

/* The flash controller (PM0075 3) */
typedef struct {
	guint32 acr, sr, cr, ar;
	guint key_stage, optkey_stage;
	gboolean key_fault, optkey_fault; /* wrong key: locked until reset */
	/* the operation in progress (sim->flash_op): what it is, where */
	guint32 op_cr;
	guint32 op_addr;
} F1Flash;

/* What the option bytes said at the last load */
typedef struct {
	guint8 bytes[OPT_N_BYTES]; /* RDP, USER, Data0, Data1, WRP0-3; 0xFF when bad */
	gboolean opterr;
	guint rdp_level;
} F1Options;

typedef struct {
	F1Flash fl;
	F1Options ob;
	guint32 rcc_cr;
} F1State;

static inline F1State *
f1_state(GlintSim *sim)
{
	return sim->machine_state;
}

/* f1-machine.c: the machines */
extern const F1SimMachine sim_f103md_machine;
extern const F1SimMachine sim_f103hd_machine;
extern const F1SimMachine sim_cks32f103_machine;
extern const F1SimMachine sim_f072_machine;
extern const F1SimMachine sim_f303xe_machine;
gpointer f1_state_new(GlintSim *sim);
void f1_power_on(GlintSim *sim);
void f1_system_reset(GlintSim *sim);

/* f1-flash.c: the flash controller */
guint32 f1_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean f1_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void f1_flash_reset(GlintSim *sim, const SimPeriph *p);
gboolean f1_flash_is_w1c(guint32 offset);
gboolean f1_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);
void f1_flash_stall(GlintSim *sim);
void f1_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value);
gboolean f1_flash_mem_write_faults(GlintSim *sim, guint32 addr, guint size);
GlintSimCut f1_flash_power_fail(GlintSim *sim);
/* The benchmark's bound (SimMachineOps.flash_limit) */
void f1_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);
/* Main flash erased at once (RDP regression) */
void f1_flash_erase_all(GlintSim *sim);

/* f1-options.c: option bytes */
void f1_options_load(GlintSim *sim);
void f1_options_store(GlintSim *sim, guint offset, guint8 value);
guint32 f1_options_obr(GlintSim *sim);
guint32 f1_options_wrpr(GlintSim *sim);
guint8 f1_options_level0(GlintSim *sim);
/* Whether page @page of main flash is write-protected by WRP or, for the
 * debugger or always in the first 4 KB, by read protection */
gboolean f1_options_page_protected(GlintSim *sim, guint page);
gboolean f1_options_any_wrp(GlintSim *sim);

/* f1-boards.c: scenario hooks */
void f1_scenario_factory(GlintSim *sim);
void f1_scenario_protect_first_unit(GlintSim *sim);
void f1_scenario_set_rdp_level1(GlintSim *sim);
void f1_scenario_leave_stale_flags(GlintSim *sim);
extern const SimScenario f1_scenario_texts[];
