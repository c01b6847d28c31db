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
} GlintL4Chip;

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
extern const GlintFlashOps glint_l4_flash_ops;
extern const GlintLoaderDesc glint_l4_loader;
const GlintLoaderDesc *glint_l4_loader_for(GlintTarget *t);

/* The family's code (glint-l4.c); its chips and the family itself are in
 * glint-l4-chips.c */
extern const GlintFamilyOps glint_l4_ops;
extern const GlintFamily glint_family_l4;

/* The geometry of an L4 part from its size and FLASH_OPTR. */
void glint_l4_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

G_END_DECLS
