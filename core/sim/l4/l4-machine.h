/* l4-machine.h: the STM32L4 machine's pieces, shared by the files of
 * core/sim/l4/ and by nothing else. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "l4-regs.h"
#include "l4-timing.h"

/* The regions of the machine's table, in table order. Chips without a
 * region leave it out: tables stop early (a G0 has neither SRAM2 nor a
 * second option area; an L43x has no second option area). */
enum {
	L4_REGION_FLASH,
	L4_REGION_SRAM1,
	L4_REGION_SYSMEM,
	L4_REGION_OTP,
	L4_REGION_INFO,
	L4_REGION_OPT1,
	L4_REGION_SRAM2, /* left out by the G0 */
	L4_REGION_OPT2,	 /* left out by chips with one option area */
	L4_REGION_SRAM3, /* the L4+ only */
	L4_REGION_COUNT,
};
/* The zeros CPU2's secure flash shows CPU1 and the debugger (WB, WL): in
 * the second option area's place, which these chips do not have */
#define L4_REGION_SECURE L4_REGION_OPT2

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

/* Where a chip keeps one option register: its FLASH offset, the option
 * area (0: the first, 1: bank 2's on chips with two) and the double word
 * there (the value, then its complement), what it holds as shipped and
 * what a load that finds the pair incoherent applies. @readonly: the bits
 * CPU1 and the debugger cannot change (the WB's SFR and SRRVR belong to
 * CPU2's firmware: CPU1's writes are ignored, RM0434 3.10.16). */
typedef struct {
	guint32 reg;
	guint8 area;
	guint8 offset;
	guint32 factory;
	guint32 safe;
	guint32 readonly;
} L4OptWord;

/* A PCROP area: its start and end registers (FLASH offsets) */
typedef struct {
	guint32 start, end;
} L4PcropArea;

/* How the core's clock is made */
typedef enum {
	L4_RCC_MSI,    /* MSI 4 MHz at reset, MSIRANGE from RCC_CR with MSIRGSEL (L4, WL) */
	L4_RCC_HSI16,  /* HSI16 at reset, the L4's RCC otherwise (G4) */
	L4_RCC_MSI_WB, /* MSI, its range always from RCC_CR; PLLR in [31:29] (WB) */
	L4_RCC_G0,     /* HSISYS = HSI16 / HSIDIV at reset (RM0444 5.4) */
} L4RccKind;

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
	guint32 bker;	     /* FLASH_CR.BKER: bit 11, bit 13 on the G0B1 */
	/* the page number bank 2's first page has in PNB (G0B1: 256, as
	 * RM0444 numbers them); 0: PNB counts from each bank's start */
	guint32 bank2_first_page;
	gboolean bsy2;	      /* bank 2's operations show BSY2 (G0B1) */
	gboolean cfgbsy;      /* FLASH_SR.CFGBSY (G0, WB, WL) */
	gboolean swap_option; /* nSWAP_BANK maps bank 2 first at load (G0B1) */
	/* CPU1 may not mass erase: a bus error, nothing erased (WB, RM0434 3.3.7) */
	gboolean mass_erase_bus_error;
	/* OPTVERR is set after every reset whatever the option bytes hold (WB,
	 * ES0394 2.2.9) */
	gboolean optverr_after_reset;
	gboolean bfb2; /* dual-bank boot through the bootloader */
	/* boot from the G0's option bits (nBOOT_SEL, nBOOT0, nBOOT1) and its
	 * EMPTY check (RM0444 2.5); else the L4's (nSWBOOT0, nBOOT0, nBOOT1) */
	gboolean g0_boot;
	/* option bytes */
	const L4OptWord *opt_words;
	guint n_opt_words;
	guint32 opt_area_size; /* bytes of each option region */
	guint32 wrp_mask;      /* WRPxyR start/end width: 0xFF, 0x7F on the G4 */
	/* PCROP areas per bank, their offset unit (a double word on the L4,
	 * 512 bytes on the G0) and width */
	L4PcropArea pcrop[2][2];
	guint n_pcrop; /* areas per bank */
	guint32 pcrop_granule;
	guint32 pcrop_mask;
	/* FLASH_SECxR (G4: SEC1R, SEC2R) or FLASH_SECR (G0): BOOT_LOCK in bit
	 * 16 of the first; 0: none */
	guint32 secr_reg;
	/* BOOT_LOCK in FLASH_OPTR instead (WL: bit 30); 0: none */
	guint32 optr_boot_lock;
	/* the secure flash of CPU2 (WB, WL): FLASH_SFR.SFSA and the bit that
	 * turns it off (FSD); 0: none */
	guint32 sfsa_mask;
	guint32 fsd_bit;
	/* single-bank mode of a DBANK part: a mass erase needs MER1 and MER2
	 * (G47x, RM0440 3.3.6), the four WRP areas cover the one bank (G47x,
	 * L4+) */
	gboolean single_bank_strict;
	gboolean single_bank_all_wrp;
	guint fast_row_dwords_single; /* a row in single-bank mode (32, or 64) */
	L4RccKind rcc;
	guint32 hse_hz; /* the board's HSE (8 MHz ST-LINK MCO; 32 MHz on a WB) */
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

/* Option registers by FLASH offset, FLASH_OPTR to FLASH_SRRVR */
#define L4_OPT_SLOTS ((FLASH_OPT_LAST - FLASH_OPTR) / 4u + 1u)
#define L4_OPT_SLOT(reg) (((reg)-FLASH_OPTR) / 4u)

/* The flash controller's state (reference 4.10) */
typedef struct {
	guint32 acr;
	guint32 sr;
	guint32 cr;
	guint32 eccr;
	/* Live option registers by FLASH offset (L4_OPT_SLOT): what was last
	 * written (or loaded) */
	guint32 opt[L4_OPT_SLOTS];
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
	guint op_banks; /* the banks it works on: bit 0 bank 1, bit 1 bank 2 */
} L4Flash;

/* What the option bytes said at the last load (OBL or power-on) */
typedef struct {
	guint32 regs[L4_OPT_SLOTS]; /* by FLASH offset (L4_OPT_SLOT) */
	gboolean invalid;	    /* a value/complement pair disagreed at the last load */
} L4Options;

/* Where the chip boots from (RM0351 2.6, table 7) */
typedef enum {
	L4_BOOT_FLASH,	/* BOOT0 = 0 (the NUCLEO's pin is pulled low) */
	L4_BOOT_SYSMEM, /* BOOT0 = 1, nBOOT1 = 1: the system bootloader */
	L4_BOOT_SRAM,	/* BOOT0 = 1, nBOOT1 = 0: SRAM1 */
} L4BootSource;

/* RCC registers that decide HCLK (l4/l4-rcc.c); the G0 keeps its CSR at
 * another offset */
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
	/* FLASH_ACR.EMPTY: main flash read as erased at the last option load
	 * (G0: the boot goes to system memory, RM0444 2.5) */
	gboolean empty;
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
extern const L4Machine sim_g03x_machine;
extern const L4Machine sim_g07x_machine;
extern const L4Machine sim_g0bx_machine;
extern const L4Machine sim_wb5x_machine;
extern const L4Machine sim_wl5x_machine;

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
/* The page FLASH_CR value @cr names (PNB, BKER) and its bank (0/1) */
guint l4_flash_cr_page(GlintSim *sim, guint32 cr, guint *bank);
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
/* The chip's option word for FLASH register @reg, or NULL */
const L4OptWord *l4_opt_word(GlintSim *sim, guint32 reg);
/* Option register @reg as loaded (0 on a chip without it) */
guint32 l4_ob(GlintSim *sim, guint32 reg);
/* Whether BOOT_LOCK is set (G4, G0): the boot goes to main flash */
gboolean l4_options_boot_lock(GlintSim *sim);
/* The first page of CPU2's secure flash (WB, WL), or the page count when
 * there is none */
guint l4_options_secure_start(GlintSim *sim);
void l4_options_load(GlintSim *sim);
void l4_options_program(GlintSim *sim);
/* The stored option register @reg: its value and complement written */
void l4_options_store(GlintSim *sim, guint32 reg, guint32 value);
guint32 l4_options_stored(GlintSim *sim, guint32 reg);
/* Every option register at its factory value */
void l4_options_store_factory(GlintSim *sim);
/* Effective RDP byte (as loaded) */
guint8 l4_options_rdp(GlintSim *sim);
gboolean l4_options_rdp_protected(GlintSim *sim);
/* Whether offset @bank_off of bank @bank lies in an active PCROP area */
gboolean l4_options_pcrop_hit(GlintSim *sim, guint bank, guint32 bank_off);
/* Whether page @page of @bank (0/1) lies in an active WRP area */
gboolean l4_options_page_wrp(GlintSim *sim, guint bank, guint page);
gboolean l4_options_bank_wrp(GlintSim *sim, guint bank);

/* l4-rcc.c: the RCC peripheral */
guint32 l4_rcc_hclk_hz(GlintSim *sim);
guint32 l4_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l4_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		      guint32 value);
void l4_rcc_reset(GlintSim *sim, const SimPeriph *p);
