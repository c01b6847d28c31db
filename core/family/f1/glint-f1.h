/* glint-f1.h: what the STM32F0/F1/F3 family's files share (family-internal):
 * per-chip facts, the option layouts, the flash driver and the loader. The
 * three lines share one flash controller design (the FPEC of PM0075); they
 * differ in their option bytes, their debug MCU and how the option bytes
 * are loaded. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

typedef enum {
	GLINT_F1_LINE_F1, /* PM0075 / PM0068 (XL), Cortex-M3 */
	GLINT_F1_LINE_F0, /* RM0091, Cortex-M0 */
	GLINT_F1_LINE_F3, /* RM0316 / RM0313 / RM0364 / RM0365 / RM0366, Cortex-M4 */
} GlintF1Line;

/* How the chip loads new option bytes. */
typedef enum {
	/* at every system reset (PM0075 2.5 note, RM0316 5): Glint resets it */
	GLINT_F1_OBL_SYSTEM_RESET,
	/* at power-on or OBL_LAUNCH only (RM0091 4): Glint sets OBL_LAUNCH */
	GLINT_F1_OBL_LAUNCH,
	/* at power-on only: the user must power-cycle (F103 clones) */
	GLINT_F1_OBL_POWER_ON,
} GlintF1OptionLoad;

/* Facts of one chip that only the family reads (GlintChip.data). */
typedef struct {
	GlintF1Line line;
	guint32 page_size;	 /* bytes, bank 1 */
	guint32 bank1_size;	 /* dual bank (XL): bytes of bank 1; 0: single bank */
	guint32 bank2_page_size; /* dual bank: pages of bank 2 (4 KB on GD32 XL) */
	guint n_option_bytes;	 /* 8, or 6 where WRP2/WRP3 do not exist */
	GlintF1OptionLoad option_load;
	/* The chip also accepts OBL_LAUNCH (F0, F3) */
	gboolean has_obl_launch;
	/* RDP level 1 write-protects the first 4 KB even for the chip's own
	 * code, and a debugger may still mass-erase (PM0075 2.4.1): F1 */
	gboolean rdp_protects_first_4k;
	/* A write to flash while BSY waits for the operation before it (the bus
	 * stalls, PM0075 2.3.3). FALSE on clones that drop it: every half-word
	 * must wait for BSY on its own. */
	gboolean write_stalls_while_busy;
	/* Clones answer with an STM32's ids: what they are a copy of (NULL for
	 * ST's parts) and what differs, for the diagnosis. */
	const char *clone_of;
	const char *clone_differences;
	/* The datasheet's erase times ("Flash memory characteristics": it
	 * gives only 20 ms minimum and 40 ms maximum for a page or a mass
	 * erase; the minimum is taken); 0: none known (the clones) */
	gint64 erase_ns;
	const char *datasheet;
} GlintF1Chip;

const GlintF1Chip *glint_f1_chip(const GlintTarget *t);
/* FPEC register at @offset for physical bank @bank (bank 2 of an XL part
 * has its own KEYR/SR/CR/AR at +0x40) */
guint32 glint_f1_reg(guint bank, guint32 offset);

/* Option layouts (glint-f1-options.c) */
extern const GlintOptionLayout glint_f1_options_4;  /* 4 pages per WRP bit */
extern const GlintOptionLayout glint_f1_options_2;  /* 2 pages per WRP bit */
extern const GlintOptionLayout glint_f1_xl_options; /* + BFB2, WRP of bank 2 */
extern const GlintOptionLayout glint_f0_options_4;  /* F03x/F05x */
extern const GlintOptionLayout glint_f04x_options;  /* + nBOOT0, BOOT_SEL */
extern const GlintOptionLayout glint_f0_options_2;  /* F07x */
extern const GlintOptionLayout glint_f09x_options;  /* + nBOOT0, BOOT_SEL */
extern const GlintOptionLayout glint_f3_options;    /* F30x, F3x8 */
extern const GlintOptionLayout glint_f37x_options;  /* + SDADC12_VDD_MONITOR */

extern const GlintFlashOps glint_f1_flash_ops;
extern const GlintLoaderDesc glint_f1_loader;

/* The RDP byte of level 0 on this line (0xA5 on F1, 0xAA on F0/F3). */
guint8 glint_f1_rdp_level0(const GlintChip *chip);
/* The option registers (layout order) from the 16 stored bytes at
 * 0x1FFFF800, FLASH_OBR and FLASH_WRPR: what is in effect. */
void glint_f1_options_from_registers(const GlintChip *chip, const guint8 *stored, guint32 obr,
				     guint32 wrpr, GlintOptionBytes *ob);
/* The eight half-words (value and complement) that store @ob. */
void glint_f1_options_to_halfwords(const GlintChip *chip, const GlintOptionBytes *ob,
				   guint16 halfwords[8]);
/* Whether the 16 stored bytes hold @ob (every pair coherent and equal). */
gboolean glint_f1_options_stored_equal(const GlintChip *chip, const guint8 *stored,
				       const GlintOptionBytes *ob);

void glint_f1_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

G_END_DECLS
