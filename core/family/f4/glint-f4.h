/* glint-f4.h: what the F2/F4/F7 family's files share (family-internal):
 * per-chip facts, the option layouts, the flash driver, the diagnosis
 * rules and the loader. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

/* How the flash splits into banks. */
typedef enum {
	/* one bank: the chip's sectors cut to the part's size */
	GLINT_F4_BANKS_SINGLE,
	/* F42x/F43x (RM0090 3.4): 2 MB parts are dual bank; 1 MB parts follow
	 * OPTCR.DB1M; smaller ones are a single bank */
	GLINT_F4_BANKS_DB1M,
	/* F76x/F77x (RM0410 3.3.2): OPTCR.nDBANK = 1 one bank of 32/128/256 KB
	 * sectors, 0 two banks of 16/64/128 KB sectors */
	GLINT_F4_BANKS_NDBANK,
} GlintF4BankRule;

/* A stored option-byte word: the value in bits 15:0, its complement in
 * 31:16 (diagnosis compares them). */
typedef struct {
	guint32 addr;
	const char *what; /* "RDP and user option bytes" */
} GlintF4StoredOption;

/* A datasheet's typical erase times ("Flash memory programming" table), by
 * parallelism: index 0 x8, 1 x16, 2 x32 (x64 as x32). Sectors come in three
 * classes: the bank's first size (16 KB; 32 KB on an F7 in single-bank
 * mode), four times it and eight times it, and the F7's take the times of
 * the F4's of the same class. */
typedef struct {
	const char *datasheet; /* "DS11532" */
	gint64 small_ms[3];    /* tERASE16KB */
	gint64 medium_ms[3];   /* tERASE64KB */
	gint64 large_ms[3];    /* tERASE128KB */
	gint64 mb_ms[3];       /* tME per MB of bank: a bank erase in proportion */
} GlintF4EraseTimes;

/* Facts of one F2/F4/F7 chip that only the family reads (GlintChip.data). */
typedef struct {
	guint32 flash_regs; /* 0x40023C00 on every part */
	GlintF4BankRule bank_rule;
	/* sectors of one bank (of the single bank, or of each bank in dual-bank
	 * mode), as the largest part has them; a smaller part has the first
	 * ones up to its size */
	const GlintUnitRun *single_runs;
	guint n_single_runs;
	const GlintUnitRun *dual_runs; /* NULL: never dual bank */
	guint n_dual_runs;
	const GlintF4StoredOption *stored_options; /* where the option bytes are kept */
	guint n_stored_options;
	guint32 crc_base; /* the CRC unit: 0x40023000 */
	gboolean has_rderr;
	gboolean f7_names;  /* FLASH_SR bit 7 is ERSERR (RM0410) */
	gboolean boot_add;  /* BOOT_ADD0/BOOT_ADD1 in OPTCR1 (F7) */
	const char *manual; /* "RM0090": cited in messages */
	const GlintF4EraseTimes *erase_times;
} GlintF4Chip;

const GlintF4Chip *glint_f4_chip(const GlintTarget *t);
guint32 glint_f4_reg(const GlintTarget *t, guint32 offset);

/* The programming unit (PSIZE) a supply allows (RM0090 3.6.2, table 13):
 * x32 from 2.7 V, x16 from 2.1 V, x8 below; x64 needs an external VPP the
 * probe cannot see and is never chosen. 0 when @volts is unknown (< 0). */
guint glint_f4_program_unit_for(gdouble volts);
/* FLASH_CR.PSIZE bits for a programming unit of @unit bytes. */
guint32 glint_f4_psize_bits(guint unit);
/* The unit FLASH_CR.PSIZE selects. */
guint glint_f4_psize_unit(guint32 cr);

extern const GlintOptionLayout glint_f2_options;
extern const GlintOptionLayout glint_f40x_options;
extern const GlintOptionLayout glint_f401_options;
extern const GlintOptionLayout glint_f42x_options;
extern const GlintOptionLayout glint_f74x_options;
extern const GlintOptionLayout glint_f76x_options;
extern const GlintOptionLayout glint_f72x_options;
extern const GlintFlashOps glint_f4_flash_ops;
extern const GlintLoaderDesc glint_f4_loader;

/* The geometry of a part from its size, its option bytes and the supply. */
void glint_f4_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);
/* FLASH_CR bits that erase @unit: SER, its SNB (bank 2 as 0x10 | n), PSIZE. */
guint32 glint_f4_sector_erase_bits(GlintTarget *t, const GlintFlashUnit *unit);
/* FLASH_CR bits that erase physical bank @physical (the whole flash when
 * single bank), with PSIZE. */
guint32 glint_f4_bank_erase_bits(GlintTarget *t, guint physical);

/* glint-f4-diagnose.c */
void glint_f4_diagnose(GlintTarget *t, GPtrArray *findings);
gboolean glint_f4_before_option_write(GlintTarget *t, const GlintOptionBytes *new_ob,
				      GlintProgress *progress, GError **error);

G_END_DECLS
