/* glint-l4.h: what the STM32L4 family's files share (family-internal):
 * per-chip facts, the option layout, the flash driver and the loader. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

/* How the flash splits into banks. */
typedef enum {
	/* One bank (L43x, L45x, L41x: RM0394 3.3.1). */
	GLINT_L4_BANKS_SINGLE,
	/* RM0351 3.2: the largest size is always dual bank; smaller sizes
	 * follow an option bit (FLASH_OPTR.DUALBANK); pages keep their size. */
	GLINT_L4_BANKS_DUALBANK_BIT,
	/* Two banks when an option bit says so, with smaller pages (G47x
	 * DBANK: RM0440 3.3.1; L4+ DBANK/DB1M: RM0432 3.3.1). */
	GLINT_L4_BANKS_DBANK,
} GlintL4BankRule;

/* Facts of one L4-style chip that only the family reads (GlintChip.data). */
/* A datasheet's typical erase times ("Flash memory characteristics"):
 * one page (of either size: the time does not depend on it), and a mass
 * erase of one bank or of both at once (MER1 with MER2). */
typedef struct _GlintL4EraseTimes {
	const char *datasheet; /* "DS10198" */
	gint64 page_ns;
	gint64 mass_ns;
} GlintL4EraseTimes;

typedef struct {
	guint32 flash_regs;  /* flash interface base */
	guint32 option_base; /* option bytes as stored (bank 1) */
	guint32 page_size;   /* single-bank mode, or the only size */
	guint32 dual_page_size;
	GlintL4BankRule bank_rule;
	guint32 dual_mask;	   /* the FLASH_OPTR bit selecting two banks */
	const char *dual_bit_name; /* its reference-manual name: "DUALBANK" */
	/* the bit on the parts below the largest size, when it is another
	 * (L4+: DB1M, DB512K); 0: dual_mask */
	guint32 dual_mask_small;
	const char *dual_bit_name_small;
	guint32 bank2_fixed; /* bank 2's offset in dual mode when fixed; 0: half */
	/* bytes of a fast-programming row in single-bank mode when not 256
	 * (the loader's): then the loader programs double words only */
	guint32 single_bank_row;
	/* FLASH register offset of each option register, in layout order */
	const guint32 *option_offsets;
	/* layout registers (bits by index) CPU1 cannot write: never written
	 * (the WB/WL's FLASH_SFR and FLASH_SRRVR) */
	guint readonly_regs;
	/* FLASH_OPTR.BFB2: the bootloader's dual-bank boot (L47x, L49x, G47x,
	 * L4+) */
	gboolean bfb2;
	/* The controller where it differs from the L4's (0: the L4's): BKER
	 * (bit 13 on the G0B1), the PNB field, the PNB of bank 2's first page
	 * (G0B1: 256, RM0444 3.3.1), the busy bits to wait for (BSY2, CFGBSY),
	 * the FLASH_CR bits of a mass erase (MER1 alone where there is one
	 * bank) */
	guint32 cr_bker;
	guint32 cr_pnb_mask;
	guint32 bank2_pnb_base;
	guint32 sr_busy;
	guint32 cr_mass_erase;
	/* CPU1 (and so the debugger) may not mass erase (WB, RM0434 3.3.7) */
	gboolean no_mass_erase;
	/* the FLASH_OPTR bit whose 0 maps bank 2 at 0x08000000 (G0B1
	 * nSWAP_BANK); 0: SYSCFG_MEMRMP.FB_MODE says it (bootloader's BFB2) */
	guint32 swap_clear_bit;
	/* the watchdog freeze register (0: DBGMCU_APB1FZR1 at 0xE0042008) and
	 * a clock to switch on before it (G0: RCC_APBENR1.DBGEN) */
	guint32 dbgmcu_freeze;
	guint32 dbg_clock_reg, dbg_clock_bit;
	/* FLASH_ACR.EMPTY sends a flash boot to the bootloader (G0) */
	gboolean empty_check;
	/* the on-target loader (NULL: the L4's), and its flavour without fast
	 * programming */
	const GlintLoaderDesc *loader;
	/* The datasheet's typical erase times; NULL: none known */
	const struct _GlintL4EraseTimes *erase_times;
} GlintL4Chip;

/* FLASH_CR/FLASH_SR facts of @t's chip (its own, or the L4's) */
guint32 glint_l4_cr_bker(const GlintL4Chip *data);
guint32 glint_l4_cr_pnb_mask(const GlintL4Chip *data);
guint32 glint_l4_sr_busy(const GlintL4Chip *data);
guint32 glint_l4_cr_mass_erase(const GlintL4Chip *data);
/* FLASH_CR for a page erase of @unit (PER, PNB as the manual numbers the
 * page, BKER) */
guint32 glint_l4_page_erase_cr(GlintTarget *t, const GlintFlashUnit *unit);

const GlintL4Chip *glint_l4_chip(const GlintTarget *t);
/* The FLASH_OPTR bit (and its name) that makes a part of @flash_kb two banks */
guint32 glint_l4_dual_mask(const GlintChip *chip, guint32 flash_kb);
const char *glint_l4_dual_bit_name(const GlintChip *chip, guint32 flash_kb);
guint32 glint_l4_reg(const GlintTarget *t, guint32 offset);

extern const GlintOptionLayout glint_l47x_options;
/* RM0394 (L43x/L44x, L45x/L46x, L41x/L42x): one bank, no BFB2/DUALBANK */
extern const GlintOptionLayout glint_l43x_options;
/* Offsets of the layouts' registers (glint-l4-flash.c) */
extern const guint32 glint_l4_option_offsets[];
/* RM0432 (L4R/L4S, L4P/L4Q): BFB2, DBANK and DB1M */
extern const GlintOptionLayout glint_l4p_options;
/* RM0440 (glint-l4-g4-options.c): the G47x's two banks, and the single-bank
 * G43x/G44x and G49x/G4Ax */
extern const GlintOptionLayout glint_g4_dual_options;
extern const GlintOptionLayout glint_g4_single_options;
extern const guint32 glint_g4_dual_option_offsets[];
extern const guint32 glint_g4_single_option_offsets[];
/* RM0444 (glint-l4-g0-options.c): the G0's one bank and the G0B1's two */
extern const GlintOptionLayout glint_g0_single_options;
extern const GlintOptionLayout glint_g0_dual_options;
extern const guint32 glint_g0_option_offsets[];
/* RM0434, RM0453 (glint-l4-wx-options.c): the WB's and the WL's; FLASH_SFR
 * and FLASH_SRRVR are CPU2's */
extern const GlintOptionLayout glint_wb_options;
extern const GlintOptionLayout glint_wl_options;
extern const guint32 glint_wx_option_offsets[];
/* Their layout indices, for GlintL4Chip.readonly_regs */
#define GLINT_WX_OB_SFR 8
#define GLINT_WX_OB_SRRVR 9
extern const GlintFlashOps glint_l4_flash_ops;
/* The WB's: no mass erase from CPU1 */
extern const GlintFlashOps glint_l4_no_mass_erase_flash_ops;
extern const GlintLoaderDesc glint_l4_loader;
/* The G0's Thumb-1 loader, and the L4 loader built for the flash interface
 * at 0x58004000 and the WB's and WL's clocks (WB: without fast rows; WL:
 * with) */
extern const GlintLoaderDesc glint_g0_loader;
extern const GlintLoaderDesc glint_wb_loader;
extern const GlintLoaderDesc glint_wl_loader;
const GlintLoaderDesc *glint_l4_loader_for(GlintTarget *t);

/* The family's code (glint-l4.c); its chips and the family itself are in
 * glint-l4-chips.c */
extern const GlintFamilyOps glint_l4_ops;
extern const GlintFamily glint_family_l4;

/* The geometry of an L4 part from its size and FLASH_OPTR. */
void glint_l4_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

G_END_DECLS
