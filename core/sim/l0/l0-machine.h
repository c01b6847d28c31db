/* l0-machine.h: the STM32L0/L1 machines' pieces, shared by the files of
 * core/sim/l0/ and by nothing else. Three machines (the STM32L053, L073
 * and L152 memory maps) share one NVM model, told apart by a config. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "l0-regs.h"
#include "l0-timing.h"

/* The regions of every machine's table, in table order */
enum {
	LX_REGION_SRAM,
	LX_REGION_FLASH,
	LX_REGION_EEPROM,
	LX_REGION_SYSMEM,
	LX_REGION_OPTIONS,
	LX_REGION_INFO,
	LX_REGION_COUNT,
};

#define LX_MEM(sim, region) ((sim)->mem[(region)])

/* What differs between the machines */
typedef struct {
	gboolean l1;	      /* the L1's interface: no NOTZEROERR/FWWERR, OPTVERRUSR */
	guint32 flash_regs;   /* NVM interface base */
	guint32 page_size;    /* 128 or 256 */
	guint32 half_page;    /* 64 or 128 */
	guint n_wrp_regs;     /* write-protection registers: 1, 2 or 4 */
	guint32 dual_from_kb; /* 0: single bank */
	guint32 options_size; /* bytes of option words */
	guint32 rcc_base, rcc_cfgr;
	guint32 rcc_hsirdy;
	guint32 fsize_addr, uid_addr, info_base;
	guint32 ob_rdp_factory, ob_user_factory;
	gint64 tprog_ns;
	guint32 max_hclk_hz; /* the datasheet's highest HCLK */
} L0Config;

/* The operation in progress (BSY), for power cuts and aborts */
typedef enum {
	LX_OP_NONE,
	LX_OP_PAGE_ERASE,
	LX_OP_WORD,
	LX_OP_HALF_PAGE,
	LX_OP_EEPROM,
	LX_OP_OPTION,
	LX_OP_REGRESSION,
} L0Op;

/* The NVM interface's state */
typedef struct {
	guint32 acr, pecr, sr;
	/* key sequences: 0 waiting for key 1, 1 for key 2 */
	guint pe_stage, prg_stage, opt_stage;
	/* a wrong key locked this stage until the next reset */
	gboolean pe_fault, prg_fault, opt_fault;
	/* half-page being written: its words so far */
	gboolean hp_active;
	guint32 hp_base;
	guint hp_count;
	guint32 hp_written; /* one bit per word of the half-page */
	guint8 hp_buf[128];
	/* the operation in progress, and what it overwrote (to abort it) */
	L0Op op;
	guint32 op_addr;
	guint32 op_len;
	guint8 op_backup[256];
	gboolean op_eop;
} L0Flash;

/* What the option bytes said at the last load (OBL or power-on) */
typedef struct {
	guint32 optr;
	guint32 wrp[4];
	gboolean invalid;      /* a value/complement pair disagreed */
	gboolean user_invalid; /* the USER word's did (OPTVERRUSR on the L1) */
} L0Options;

typedef struct {
	guint32 cr, icscr, cfgr;
} L0Rcc;

typedef struct {
	const L0Config *cfg;
	L0Flash fl;
	L0Options ob;
	L0Rcc rcc;
} L0State;

static inline L0State *
l0_state(GlintSim *sim)
{
	return sim->machine_state;
}

static inline const L0Config *
l0_cfg(GlintSim *sim)
{
	return l0_state(sim)->cfg;
}

extern const SimMachine sim_l053_machine;
extern const SimMachine sim_l073_machine;
extern const SimMachine sim_l152_machine;

/* l0-machine.c */
guint32 l0_flash_size(GlintSim *sim);
/* The bank (0 or 1) holding @offset bytes into main flash */
guint l0_bank_of(GlintSim *sim, guint32 offset);
gboolean l0_boots_from_sysmem(GlintSim *sim);

/* l0-boards.c: the boards and the scenario hooks */
void l0_scenario_factory(GlintSim *sim);
void l0_scenario_protect_first_unit(GlintSim *sim);
void l0_scenario_set_rdp_level1(GlintSim *sim);
void l0_scenario_leave_stale_flags(GlintSim *sim);
extern const SimScenario l0_scenario_texts[];

/* l0-flash.c: the NVM interface */
void l0_flash_reset_state(GlintSim *sim);
void l0_flash_tick(GlintSim *sim);
void l0_flash_stall(GlintSim *sim);
void l0_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value);
void l0_flash_core_fetch(GlintSim *sim, guint32 addr);
gboolean l0_flash_pcrop_read_blocked(GlintSim *sim, guint32 addr);
GlintSimCut l0_flash_power_fail(GlintSim *sim);
/* The benchmark's bound (SimMachineOps.flash_limit) */
void l0_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);
guint32 l0_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l0_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void l0_flash_reset(GlintSim *sim, const SimPeriph *p);
gboolean l0_flash_is_w1c(guint32 offset);
gboolean l0_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);
/* An earlier tool wrote a wrong PEKEYR key: locked until reset */
void l0_flash_fault_pekey(GlintSim *sim);

/* l0-options.c: option bytes */
void l0_options_load(GlintSim *sim);
guint32 l0_options_read_word(GlintSim *sim, guint32 offset);
void l0_options_write_word(GlintSim *sim, guint32 offset, guint32 word);
/* A half-word value stored with its complement */
void l0_options_write_value(GlintSim *sim, guint32 offset, guint16 value);
guint8 l0_options_rdp(GlintSim *sim);
gboolean l0_options_rdp_protected(GlintSim *sim);
/* Whether sector @sector (4 KB, counted across both banks) is write- or
 * PCROP-protected, as loaded */
gboolean l0_options_sector_protected(GlintSim *sim, guint sector);
gboolean l0_options_pcrop(GlintSim *sim);
guint l0_bor_threshold_mv(GlintSim *sim);

/* l0-rcc.c: the RCC */
guint32 l0_rcc_hclk_hz(GlintSim *sim);
guint32 l0_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l0_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		      guint32 value);
void l0_rcc_reset(GlintSim *sim, const SimPeriph *p);
