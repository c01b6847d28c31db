/* h7-machine.h: the STM32H7 machines' pieces, shared by the files of
 * core/sim/h7/ and by nothing else. Three machines (H74x/H75x, H7A3/H7B0/
 * H7B3, H72x/H73x) share one model and differ by their H7Config. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "h7-regs.h"
#include "h7-timing.h"

/* The regions every H7 machine's table starts with, in this order */
enum {
	H7_REGION_FLASH,
	H7_REGION_DTCM,
	H7_REGION_AXI,
	H7_REGION_ITCM,
	H7_REGION_SYSMEM,
	H7_REGION_INFO,
	H7_REGION_OPTSTORE,
	H7_REGION_ECCMAP,
	H7_REGION_AHB_SRAM,
	H7_REGION_SRD_SRAM,
	H7_REGION_COUNT,
};

#define H7_MEM(sim, region) ((sim)->mem[(region)])

/* What differs between the H7 lines (RM0433 / RM0455 / RM0468) */
typedef struct {
	guint32 sector_size; /* 128 KB, 8 KB on the H7A3 */
	guint32 word_size;   /* flash word: 32 bytes, 16 on the H7A3 */
	guint32 cr_fw, cr_start;
	guint cr_snb_shift;
	guint32 cr_snb_mask;
	guint32 cr_psize_mask; /* PSIZE bits; 0: none */
	guint32 sr_errors;     /* flags this line has */
	guint32 ecc_fa_mask;
	gboolean always_single; /* H72x: one bank */
	guint wpsn_bits;	/* 8, or 32 groups of 4 sectors */
	guint sectors_per_wpsn_bit;
	gboolean has_optsr2;
	guint32 optsr_factory;
	guint32 uid_addr, flashsize_addr, info_base;
	gint64 word_ns, sector_erase_ns, bank_erase_ns;
	guint32 max_hclk_hz; /* the datasheet's highest HCLK */
} H7Config;

/* One bank's controller */
typedef struct {
	guint32 cr;
	guint32 sr; /* flags 28:16 */
	guint32 ecc_fa;
	guint key_stage;
	gboolean key_fault;
	/* the write buffer: one flash word being gathered */
	gboolean wb_active;
	guint32 wb_addr; /* bus address of the word */
	guint8 wb[32];
	guint32 wb_filled; /* one bit per byte written */
	gint64 busy_until; /* BSY/QW until this virtual time */
	gboolean op_erase; /* what the operation in progress is (power cuts) */
	guint32 op_offset, op_len;
} H7Bank;

/* Option bytes: *_PRG as written, *_CUR as in effect */
typedef struct {
	guint32 optsr, boot, optsr2;
	guint32 wpsn[2], prar[2], scar[2];
} H7OptionSet;

typedef struct {
	H7Bank bank[2];
	guint32 acr;
	guint32 optcr;
	guint optkey_stage;
	gboolean optkey_fault;
	gboolean opt_changeerr;
	gint64 opt_busy_until;
	gboolean opt_cut_pending; /* an option change in progress (power cuts) */
	H7OptionSet prg;
	H7OptionSet cur;
	gboolean swap; /* FLASH_OPTCR.SWAP_BANK: the mapping in effect */
} H7State;

static inline H7State *
h7_state(GlintSim *sim)
{
	return sim->machine_state;
}

const H7Config *h7_config(GlintSim *sim);
/* Whether the board's flash is two banks */
gboolean h7_dual(GlintSim *sim);
/* Bytes per bank */
guint32 h7_bank_size(GlintSim *sim);
/* The physical bank and its offset for a flash bus address (after the swap) */
gboolean h7_locate(GlintSim *sim, guint32 addr, guint *bank, guint32 *offset);
/* Byte offset in the flash region of physical bank @bank */
guint32 h7_bank_offset(GlintSim *sim, guint bank);

extern const SimMachine sim_h74x_machine;
extern const SimMachine sim_h7ax_machine;
extern const SimMachine sim_h72x_machine;

/* h7-flash.c: the flash controller */
guint32 h7_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean h7_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void h7_flash_reset(GlintSim *sim, const SimPeriph *p);
gboolean h7_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);
void h7_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value);
void h7_flash_stall(GlintSim *sim);
gboolean h7_flash_debug_read_refused(GlintSim *sim, const SimHit *hit);
GlintSimCut h7_flash_power_fail(GlintSim *sim);
/* The benchmark's bound (SimMachineOps.flash_limit) */
void h7_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);
/* ECC map: the flash word at byte @offset of the flash region */
gboolean h7_ecc_bad(GlintSim *sim, guint32 offset);
void h7_ecc_mark(GlintSim *sim, guint32 offset, gboolean bad);
/* A read of a word with a broken ECC: DBECCERR and FLASH_ECC_FAxR */
void h7_ecc_report(GlintSim *sim, guint bank, guint32 bank_offset);

/* h7-options.c: option bytes */
void h7_options_load(GlintSim *sim);
void h7_options_store(GlintSim *sim, const H7OptionSet *set);
void h7_options_start(GlintSim *sim);
void h7_options_factory(GlintSim *sim, H7OptionSet *set);
guint8 h7_options_rdp(GlintSim *sim);
gboolean h7_options_rdp_protected(GlintSim *sim);
/* Whether sector @sector of physical bank @bank is write-protected */
gboolean h7_options_sector_wrp(GlintSim *sim, guint bank, guint sector);
/* Whether [@offset, +@len) of bank @bank touches a PCROP (or active secure) area */
gboolean h7_options_area_hit(GlintSim *sim, guint bank, guint32 offset, guint32 len,
			     gboolean *secure);

/* h7-boards.c */
void h7_scenario_factory(GlintSim *sim);
void h7_scenario_protect_first_unit(GlintSim *sim);
void h7_scenario_set_rdp_level1(GlintSim *sim);
void h7_scenario_leave_stale_flags(GlintSim *sim);
extern const SimScenario h7_scenario_texts[];
