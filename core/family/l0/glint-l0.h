/* glint-l0.h: what the STM32L0/L1 family's files share (family-internal):
 * per-chip facts, the option layouts, the flash driver and the loader.
 *
 * One family, two cores: the L0 (Cortex-M0+, RM0367/RM0376/RM0377) and the
 * L1 (Cortex-M3, RM0038) share the PECR-based NVM interface, erased flash
 * reading 0x00, data EEPROM at 0x08080000 and option bytes stored as
 * value/complement words at 0x1FF80000. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

typedef enum {
	GLINT_LX_L0,
	GLINT_LX_L1,
} GlintLxKind;

/* How the flash splits into banks (both number pages on across them). */
typedef enum {
	GLINT_LX_BANKS_ONE,
	/* two halves on parts of at least @dual_from_kb (L0 category 5: 128
	 * and 192 KB; L1 categories 4-6: 384 and 512 KB) */
	GLINT_LX_BANKS_HALVES,
} GlintLxBankRule;

/* Where a layout register lives: its FLASH register, and the option words
 * holding its low and high half-words (LX_OB_NONE: no such half). */
typedef struct {
	guint32 flash_offset;
	guint16 ob_low;
	guint16 ob_high;
} GlintLxOptionReg;

/* Facts of one chip that only the family reads (GlintChip.data). */
typedef struct {
	GlintLxKind kind;
	guint32 flash_regs; /* NVM interface base */
	guint32 dbgmcu;	    /* DBGMCU base (freeze register at +8) */
	guint32 page_size;  /* erase unit: 128 B (L0), 256 B (L1) */
	guint32 half_page;  /* the loader's programming unit */
	guint32 sr_errors;  /* FLASH_SR flags a failed operation leaves */
	GlintLxBankRule bank_rule;
	guint32 dual_from_kb;
	const GlintLxOptionReg *option_regs; /* in layout order */
	const char *manual;		     /* "RM0367" */
	/* The datasheet's typical tprog ("Flash memory and data EEPROM
	 * characteristics"): one page erase, half-page or word write */
	gint64 tprog_ns;
	const char *datasheet; /* "DS10152" */
} GlintL0Chip;

const GlintL0Chip *glint_l0_chip(const GlintTarget *t);
guint32 glint_l0_reg(const GlintTarget *t, guint32 offset);

/* Option layouts (glint-l0-options.c), by category. */
extern const GlintOptionLayout glint_l0_cat1_options;
extern const GlintOptionLayout glint_l0_cat2_options;
extern const GlintOptionLayout glint_l0_cat3_options;
extern const GlintOptionLayout glint_l0_cat5_options;
extern const GlintOptionLayout glint_l1_cat12_options;
extern const GlintOptionLayout glint_l1_cat3_options;
extern const GlintOptionLayout glint_l1_cat4_options;
extern const GlintOptionLayout glint_l1_cat5_options;

/* Where a layout's registers live, matching the layouts above. */
extern const GlintLxOptionReg glint_l0_option_regs[];
extern const GlintLxOptionReg glint_l1_option_regs[];

extern const GlintFlashOps glint_l0_flash_ops;
extern const GlintLoaderDesc glint_l0_loader;

void glint_l0_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

/* Reloads the option bytes (FLASH_PECR.OBL_LAUNCH, which resets the chip)
 * and halts the core again at its reset vector: what the RDP 1 -> 0 mass
 * erase needs twice without a reconnect. */
gboolean glint_l0_obl_launch_and_halt(GlintTarget *t, GError **error);

G_END_DECLS
