/* f4-machine.h: the STM32F2/F4/F7 machines' pieces, shared by the files of
 * core/sim/f4/ and by nothing else. One model serves every line; what
 * differs (memories, sector maps, option bits) is the line's SimF4Config,
 * which the machine's flash interface carries as its config. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "f4-regs.h"
#include "f4-timing.h"

/* The regions every F4 machine's table starts with, in this order; a line's
 * extra memories (CCM, backup SRAM, ITCM RAM, bank 2's option bytes)
 * follow. */
enum {
	F4_REGION_FLASH,
	F4_REGION_SRAM,
	F4_REGION_SYSMEM,
	F4_REGION_OTP,
	F4_REGION_INFO,
	F4_REGION_OPT,
	F4_REGION_COMMON_COUNT,
};
/* bank 2's option bytes on the F42x/F43x */
#define F4_REGION_OPT2 F4_REGION_COMMON_COUNT

#define F4_MEM(sim, region) ((sim)->mem[(region)])

typedef enum {
	SIM_F4_SINGLE, /* one bank */
	SIM_F4_DB1M,   /* F42x/F43x: 2 MB dual, 1 MB per DB1M (RM0090 3.4) */
	SIM_F4_NDBANK, /* F76x/F77x: per nDBANK (RM0410 3.3.2) */
} SimF4BankRule;

typedef struct {
	guint32 size;
	guint count;
} SimF4Run;

/* What one line of the family is */
typedef struct {
	const char *line; /* "STM32F401": messages */
	gboolean f7;	  /* RM0410 meanings: OPTCR1 = BOOT_ADD, ITCM flash, IWDG bits */
	SimF4BankRule banks;
	const SimF4Run *single_runs; /* the largest single-bank layout */
	guint n_single_runs;
	const SimF4Run *dual_runs; /* one bank in dual-bank mode */
	guint n_dual_runs;
	guint snb_bits; /* 4, or 5 with bank-2 sector numbers */
	guint nwrp_bits;
	gboolean has_sprmod; /* SPRMOD and PCROP (F401, F411, F446, F42x) */
	gboolean has_optcr1; /* F42x nWRP of bank 2, F7 boot addresses */
	gboolean has_rderr;  /* FLASH_SR.RDERR */
	gboolean has_mer_bank2;
	gboolean crc_programmable; /* the F7's CRC unit has INIT/POL/REV bits */
	guint32 optcr_factory, optcr1_factory;
	/* OPTCR bits software changes and the chip stores (OPTLOCK/OPTSTRT apart) */
	guint32 optcr_mask, optcr1_mask;
	/* OPTCR bits the chip applies only at the next option load */
	guint32 optcr_at_load;
	guint32 otp_base, otp_data_size;
	guint32 info_base, flashsize_offset;
	guint32 opt_base, sysmem_base;
	guint32 max_hclk_hz; /* the datasheet's highest HCLK */
} SimF4Config;

/* One sector of the flash as the chip has it now */
typedef struct {
	guint bank;	/* 0 or 1 */
	guint number;	/* as the reference manual numbers it (bank 2 from 12) */
	guint32 offset; /* into the flash region (physical: bank 1 first) */
	guint32 size;
} SimF4Sector;

/* The flash controller (RM0090 3.9) */
typedef struct {
	guint32 acr, sr, cr;
	guint32 optcr, optcr1, optcr2; /* the registers as written */
	guint key_stage, optkey_stage;
	gboolean key_fault, optkey_fault;
	/* the operation in progress (sim->flash_op), for EOP and a power cut */
	gboolean op_eop;
	gboolean op_options;
	guint op_first_sector, op_sectors; /* an erase: global sector indices */
	guint32 op_prog_addr, op_prog_size;
} F4Flash;

/* What the option bytes said at the last load, and what is in force */
typedef struct {
	guint32 optcr, optcr1, optcr2;
	gboolean ufb_mode; /* F42x: bank 2 mapped at 0x08000000 (the BFB2 boot chose it) */
} F4Options;

typedef struct {
	guint32 cr, pllcfgr, cfgr;
} F4Rcc;

typedef struct {
	const SimF4Config *cfg;
	F4Flash fl;
	F4Options ob;
	F4Rcc rcc;
} F4State;

static inline F4State *
f4_state(GlintSim *sim)
{
	return sim->machine_state;
}

static inline const SimF4Config *
f4_cfg(GlintSim *sim)
{
	return f4_state(sim)->cfg;
}

static inline guint32
f4_load32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static inline void
f4_store32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

/* f4-machine.c: the sector map the loaded option bytes give */
gboolean f4_dual_bank(GlintSim *sim);
guint32 f4_bank_size(GlintSim *sim);
guint f4_sectors_per_bank(GlintSim *sim);
guint f4_sector_count(GlintSim *sim);
gboolean f4_sector_nth(GlintSim *sim, guint index, SimF4Sector *s);
gboolean f4_sector_at(GlintSim *sim, guint32 offset, SimF4Sector *s);
/* The sector FLASH_CR.SNB names, FALSE when the part has none such */
gboolean f4_sector_by_snb(GlintSim *sim, guint snb, SimF4Sector *s);
gboolean f4_boots_from_sysmem(GlintSim *sim);

extern const SimMachine sim_f401_machine, sim_f411_machine, sim_f446_machine, sim_f429_machine,
    sim_f767_machine, sim_f207_machine;

/* f4-boards.c: the scenario hooks */
void f4_scenario_factory(GlintSim *sim);
void f4_scenario_protect_first_unit(GlintSim *sim);
void f4_scenario_set_rdp_level1(GlintSim *sim);
void f4_scenario_leave_stale_flags(GlintSim *sim);
extern const SimScenario f4_scenario_texts[];

/* f4-flash.c: the flash controller */
void f4_flash_reset_state(GlintSim *sim);
void f4_flash_tick(GlintSim *sim);
void f4_flash_stall(GlintSim *sim);
void f4_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value);
void f4_flash_erase_sectors(GlintSim *sim, guint first, guint count);
gboolean f4_flash_pcrop_read_blocked(GlintSim *sim, guint32 addr);
/* the widest access the supply allows (RM0090 table 13): 4, 2 or 1 */
guint f4_flash_supply_unit(GlintSim *sim);
/* The benchmark's bound (SimMachineOps.flash_limit) */
void f4_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);
guint32 f4_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean f4_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void f4_flash_reset(GlintSim *sim, const SimPeriph *p);
gboolean f4_flash_is_w1c(guint32 offset);
gboolean f4_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);

/* f4-options.c: option bytes */
void f4_options_load(GlintSim *sim);
void f4_options_program(GlintSim *sim);
/* the stored word at @offset of the option area (bank 2's with @bank2) */
void f4_options_store(GlintSim *sim, gboolean bank2, guint offset, guint16 value);
void f4_options_store_optcr(GlintSim *sim, guint32 optcr, guint32 optcr1);
guint8 f4_options_rdp(GlintSim *sim);
gboolean f4_options_rdp_protected(GlintSim *sim);
/* Whether sector @s is write-protected (nWRP, or PCROP which implies it),
 * and whether it is PCROP */
gboolean f4_options_sector_wrp(GlintSim *sim, const SimF4Sector *s);
gboolean f4_options_sector_pcrop(GlintSim *sim, const SimF4Sector *s);

/* f4-rcc.c: the RCC peripheral */
guint32 f4_rcc_hclk_hz(GlintSim *sim);
guint32 f4_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean f4_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		      guint32 value);
void f4_rcc_reset(GlintSim *sim, const SimPeriph *p);

/* f4-faults.c */
GlintSimCut f4_flash_power_fail(GlintSim *sim);
guint f4_bor_threshold_mv(GlintSim *sim);
