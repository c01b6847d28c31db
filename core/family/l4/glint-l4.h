/* glint-l4.h: what the STM32L4 family's files share (family-internal):
 * per-chip facts, the option layout, the flash driver and the loader. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

/* How the flash splits into banks. */
typedef enum {
	/* RM0351 3.2: the largest size is always dual bank; smaller sizes
	 * follow FLASH_OPTR.DUALBANK. */
	GLINT_L4_BANKS_DUALBANK_BIT,
} GlintL4BankRule;

/* Facts of one L4 chip that only the family reads (GlintChip.data). */
typedef struct {
	guint32 flash_regs;  /* flash interface base */
	guint32 option_base; /* option bytes as stored (bank 1) */
	guint32 page_size;
	GlintL4BankRule bank_rule;
} GlintL4Chip;

const GlintL4Chip *glint_l4_chip(const GlintTarget *t);
guint32 glint_l4_reg(const GlintTarget *t, guint32 offset);

extern const GlintOptionLayout glint_l47x_options;
extern const GlintFlashOps glint_l4_flash_ops;
extern const GlintLoaderDesc glint_l4_loader;

/* The geometry of an L4 part from its size and FLASH_OPTR. */
void glint_l4_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

G_END_DECLS
