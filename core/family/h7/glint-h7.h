/* glint-h7.h: what the STM32H7 family's files share (family-internal):
 * per-chip facts, the option layouts, the flash driver and the loader. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

/* Where an option register lives: its *_CUR offset in a bank's register
 * set (the *_PRG register follows it). */
typedef struct {
	guint32 cur;
	guint bank; /* 0 or 1: the register set (+0x100 for bank 2) */
} GlintH7OptionReg;

/* Facts of one H7 chip that only the family reads (GlintChip.data). */
typedef struct {
	guint32 regs;	     /* bank 1 register set; bank 2 at +0x100 */
	guint32 bank2_base;  /* bus address of bank 2 (0x08100000 whatever the size) */
	guint32 sector_size; /* 128 KB, or 8 KB on the H7A3/H7B0/H7B3 */
	guint32 word_size;   /* flash word: 32 bytes, or 16 on the H7A3/H7B0/H7B3 */
	/* FLASH_CRx bits that move between RM0433/RM0468 and RM0455 */
	guint32 cr_fw;
	guint32 cr_start;
	guint cr_snb_shift;
	guint32 cr_snb_mask;
	guint32 cr_psize;	/* PSIZE for 64-bit parallelism; 0: the chip has none */
	guint32 sr_errors;	/* the FLASH_SRx error flags this chip has */
	guint32 ecc_fa_mask;	/* FAIL_ECC_ADDR bits of FLASH_ECC_FAxR (in flash words) */
	guint32 single_bank_kb; /* parts of this size or less have one bank */
	gboolean always_single; /* one bank whatever the size (H72x/H73x) */
	const GlintH7OptionReg *option_regs; /* in layout order */
} GlintH7Chip;

const GlintH7Chip *glint_h7_chip(const GlintTarget *t);
/* The address of register @offset of bank register set @physical. */
guint32 glint_h7_reg(const GlintTarget *t, guint physical, guint32 offset);
/* Whether the part has a second bank (register set and flash). */
gboolean glint_h7_dual(const GlintTarget *t);

extern const GlintOptionLayout glint_h74x_options;
extern const GlintOptionLayout glint_h7ax_options;
extern const GlintOptionLayout glint_h72x_options;
extern const GlintFlashOps glint_h7_flash_ops;
extern const GlintLoaderDesc glint_h7_loader;

/* The geometry of an H7 part from its size and the bank mapping in effect. */
void glint_h7_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

/* The flash word whose ECC failed in physical bank @physical, from its
 * FLASH_ECC_FAxR (what the chip recorded at the last ECC error). */
gboolean glint_h7_ecc_fail_address(GlintTarget *t, guint physical, guint32 *addr, GError **error);

G_END_DECLS
