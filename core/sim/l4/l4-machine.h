/* l4-machine.h: the STM32L4 machine's pieces, shared by the files of
 * core/sim/l4/ and by nothing else. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "l4-regs.h"
#include "l4-timing.h"

/* The regions of the machine's table, in table order */
enum {
	L4_REGION_FLASH,
	L4_REGION_SRAM1,
	L4_REGION_SRAM2,
	L4_REGION_SYSMEM,
	L4_REGION_OTP,
	L4_REGION_INFO,
	L4_REGION_OPT1,
	L4_REGION_OPT2,	 /* left out by chips with one option area */
	L4_REGION_SRAM3, /* the L4+ only */
	L4_REGION_COUNT,
};

/* The bytes of a region */
#define L4_MEM(sim, region) ((sim)->mem[(region)])

/* How a chip's flash splits into banks */
typedef enum {
	L4_BANKS_SINGLE,   /* one bank (L43x, L45x, G431, ...) */
	L4_BANKS_DUALBANK, /* two when the part is the largest or the option bit
			    * is set; the page size stays (L47x, L49x: RM0351 3.2) */
	L4_BANKS_DBANK,	   /* two when the option bit is set, with smaller pages
			    * (G47x: RM0440 3.3.1; L4+: RM0432 3.3.1) */
} L4BankRule;

/* What differs between the chips the L4-style machine models: each row
 * from the chip's reference manual and datasheet */
typedef struct {
	const char *chip; /* "STM32L476" for messages */
	/* memory map */
	guint32 sram1_base, sram1_size;
	guint32 sram2_base, sram2_size; /* also right after SRAM1 (its alias) */
	guint32 sysmem_base, sysmem_size;
	guint32 otp_base, otp_size;
	guint32 info_base, info_size;
	guint32 uid_addr, package_addr, flashsize_addr;
	guint16 package;	      /* what the package register reads on the board */
	guint32 opt1_base, opt2_base; /* option bytes; opt2_base 0: one area */
	/* flash */
	guint32 flash_regs; /* the flash interface */
	guint32 page_size;  /* single-bank mode, or the only */
	guint32 dual_page_size;
	L4BankRule bank_rule;
	guint32 max_kb;	   /* the largest part: always dual under L4_BANKS_DUALBANK */
	guint32 dual_mask; /* FLASH_OPTR bit that selects two banks */
	/* the bit on the parts below max_kb when another (L4+: DB1M); 0: none */
	guint32 dual_mask_small;
	guint32 bank2_fixed; /* offset of bank 2 in dual mode when fixed (G47x); 0: half */
	guint32 pnb_mask;    /* FLASH_CR.PNB */
	gboolean bfb2;	     /* dual-bank boot through the bootloader */
	/* option bytes */
	guint32 opt_area_size; /* 0x28; 0x30 with a securable-area word (G4) */
	gboolean has_secr;     /* FLASH_SECxR: securable area, BOOT_LOCK (G4) */
	guint32 wrp_mask;      /* WRPxyR start/end width: 0xFF, 0x7F on the G4 */
	guint32 pcroper_factory;
	/* single-bank mode of a DBANK part: a mass erase needs MER1 and MER2
	 * (G47x, RM0440 3.3.6), the four WRP areas cover the one bank (G47x,
	 * L4+) */
	gboolean single_bank_strict;
	gboolean single_bank_all_wrp;
	guint fast_row_dwords_single; /* a row in single-bank mode (32, or 64) */
	const char *ram2_name;	      /* "sram2", "ccmsram" */
	gboolean hsi16_at_reset;      /* HCLK from HSI16 at reset (G4), else MSI 4 MHz */
	/* datasheet timings (typical), docs/timing/l4.md */
	gint64 dword_ns, fast_row_ns, page_erase_ns, mass_erase_ns;
	guint32 max_hclk_hz; /* the datasheet's highest HCLK */
} L4Config;

/* A machine of the family: the framework's table and the chip's facts */
typedef struct {
	SimMachine machine;
	const L4Config *cfg;
} L4Machine;

static inline const L4Config *
l4_cfg(GlintSim *sim)
{
	/* every machine of this folder is an L4Machine (l4-chips.c) */
	return ((const L4Machine *)sim->machine)->cfg;
}

/* The flash geometry the loaded option bytes give */
typedef struct {
	guint32 size;	   /* bytes */
	gboolean dual;	   /* two banks */
	guint32 page_size; /* in the bank mode in force */
	guint pages_per_bank;
	/* where bank 2 starts in the flash region's bytes (half of them);
	 * == size when single bank */
	guint32 bank2_offset;
	/* where it starts on the bus, from L4_FLASH_BASE (the same, but for a
	 * G47x below 512 KB: a hole up to 0x08040000) */
	guint32 bank2_bus;
} L4Geometry;

/* The flash controller's state (reference 4.10) */
typedef struct {
	guint32 acr;
	guint32 sr;
	guint32 cr;
	guint32 eccr;
	/* Live option registers: what was last written (or loaded) */
	guint32 optr;
	guint32 pcrop1sr, pcrop1er, wrp1ar, wrp1br;
	guint32 pcrop2sr, pcrop2er, wrp2ar, wrp2br;
	guint32 sec1r, sec2r;
	/* KEYR/OPTKEYR sequences */
	guint key_stage;
	guint optkey_stage;
	gboolean key_fault; /* wrong key: locked until reset */
	gboolean optkey_fault;
	/* Standard programming: the low word waiting for its high word */
	gboolean pending_valid;
	guint32 pending_addr;
	guint32 pending_value;
	/* Fast programming: the row being written. The row's high voltage is
	 * on from its first double word (BSY); each double word is programmed
	 * in turn and the next must have arrived when the previous one ends. */
	gboolean row_active;
	guint32 row_next; /* next expected address */
	guint32 row_end;
	gboolean row_low_word; /* the first word of a double word has arrived */
	gint64 row_start_ns;   /* first double word: high voltage on */
	gint64 row_busy_until; /* when the double words received so far are programmed */
	gint64 row_fail_at;    /* HCLK < 8 MHz at its start: the 7 ms counter stops it then */
	gboolean fast_ok[2];   /* bank mass-erased and not touched by PG since */
	/* the operation in progress (sim->flash_op) raises EOP when it ends */
	gboolean op_eop;
} L4Flash;

/* What the option bytes said at the last load (OBL or power-on) */
typedef struct {
	guint32 optr;
	guint32 pcropsr[2], pcroper[2], wrpar[2], wrpbr[2], secr[2];
	gboolean invalid; /* a value/complement pair disagreed at the last load */
} L4Options;

/* Where the chip boots from (RM0351 2.6, table 7) */
typedef enum {
	L4_BOOT_FLASH,	/* BOOT0 = 0 (the NUCLEO's pin is pulled low) */
	L4_BOOT_SYSMEM, /* BOOT0 = 1, nBOOT1 = 1: the system bootloader */
	L4_BOOT_SRAM,	/* BOOT0 = 1, nBOOT1 = 0: SRAM1 */
} L4BootSource;

/* RCC registers that decide HCLK (l4/l4-rcc.c) */
typedef struct {
	guint32 cr, icscr, cfgr, pllcfgr, csr;
} L4Rcc;

/* The machine's own state (SimMachineOps.state_new) */
typedef struct {
	L4Flash fl;
	L4Options ob;
	L4Rcc rcc;
	/* SYSCFG_MEMRMP: what address 0 shows, and FB_MODE (bank swap) */
	guint32 memrmp;
	/* the bank-2 option values of a chip with one option area */
	guint8 opt2_scratch[L4_OPT_AREA_SIZE_MAX];
} L4State;

static inline L4State *
l4_state(GlintSim *sim)
{
	return sim->machine_state;
}

/* The geometry the loaded option bytes give (DUALBANK) */
L4Geometry l4_geometry(GlintSim *sim);
/* The boot mode the pins and option bytes select at reset */
L4BootSource l4_boot_source(GlintSim *sim);
/* BFB2 with two banks, or BOOT0: the core starts in the system bootloader */
gboolean l4_boots_from_sysmem(GlintSim *sim);
/* Read protection level 1 in "debug, boot RAM or bootloader" mode: main
 * flash is totally inaccessible (RM0351 3.5.1) */
gboolean l4_flash_locked(GlintSim *sim);

/* l4-chips.c: the machines, one per chip line */
extern const L4Machine sim_l47x_machine;
extern const L4Machine sim_l49x_machine;
extern const L4Machine sim_l43x_machine;
extern const L4Machine sim_l45x_machine;
extern const L4Machine sim_g47x_machine;
extern const L4Machine sim_g43x_machine;
extern const L4Machine sim_l4r_machine;

/* l4-machine.c: what every machine of the family shares */
extern const SimMachineOps sim_l4_ops;
/* SYSCFG: MEMRMP is the machine's (boot mapping, bank swap), the rest storage */
guint32 l4_syscfg_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l4_syscfg_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			 guint size, guint32 value);

/* l4-boards.c: the boards and the scenario hooks */
void l4_scenario_factory(GlintSim *sim);
void l4_scenario_protect_first_unit(GlintSim *sim);
void l4_scenario_set_rdp_level1(GlintSim *sim);
void l4_scenario_leave_stale_flags(GlintSim *sim);
extern const SimScenario l4_scenario_texts[];

/* l4-flash.c: the flash controller */
void l4_flash_reset_state(GlintSim *sim);
void l4_flash_tick(GlintSim *sim);
void l4_flash_stall(GlintSim *sim);
/* A write to flash memory (or OTP) while the controller decides what it means */
void l4_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value);
void l4_flash_erase_bank(GlintSim *sim, guint bank);
/* A store read protection refused: WRPERR when programming */
void l4_flash_refused_write(GlintSim *sim, const SimHit *hit);
/* A debugger data read inside an active PCROP area: sets RDERR, TRUE if refused */
gboolean l4_flash_pcrop_read_blocked(GlintSim *sim, guint32 addr);
/* Power failed during what the controller runs: what it leaves (l4-faults.c) */
GlintSimCut l4_flash_power_fail(GlintSim *sim);
/* The benchmark's bound (SimMachineOps.flash_limit) */
void l4_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);
guint l4_bor_threshold_mv(GlintSim *sim);
guint32 l4_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l4_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void l4_flash_reset(GlintSim *sim, const SimPeriph *p);
gboolean l4_flash_is_w1c(guint32 offset);
gboolean l4_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);

/* l4-options.c: option bytes */
void l4_options_load(GlintSim *sim);
void l4_options_program(GlintSim *sim);
void l4_options_write_area(GlintSim *sim, guint bank, guint offset, guint32 value);
guint32 l4_options_read_area(GlintSim *sim, guint bank, guint offset);
/* Effective RDP byte (as loaded) */
guint8 l4_options_rdp(GlintSim *sim);
gboolean l4_options_rdp_protected(GlintSim *sim);
/* Whether page @page of @bank (0/1) lies in an active WRP area */
gboolean l4_options_page_wrp(GlintSim *sim, guint bank, guint page);
gboolean l4_options_bank_wrp(GlintSim *sim, guint bank);

/* l4-rcc.c: the RCC peripheral */
guint32 l4_rcc_hclk_hz(GlintSim *sim);
guint32 l4_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l4_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		      guint32 value);
void l4_rcc_reset(GlintSim *sim, const SimPeriph *p);
