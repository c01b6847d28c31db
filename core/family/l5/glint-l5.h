/* glint-l5.h: what the STM32L5/U5 family's files share (family-internal):
 * per-chip facts, the option layouts, the flash driver, the loader and the
 * TrustZone state every part of the family asks about. */
#pragma once

#include "glint-family-private.h"
#include "glint-target.h"

G_BEGIN_DECLS

/* Facts of one TrustZone chip line that only the family reads (GlintChip.data) */
typedef struct {
	const char *rm;		  /* "RM0438": cited in messages */
	guint32 program_unit;	  /* 8 (L5: double word), 16 (U5: quad word) */
	guint32 page_size;	  /* in single-bank mode */
	guint32 dual_page_size;	  /* in dual-bank mode */
	gboolean max_always_dual; /* the largest part is two banks whatever the bit (U5) */
	guint32 dual_mask;	  /* the FLASH_OPTR bit of two banks on the largest part */
	const char *dual_bit_name;
	guint32 dual_mask_small; /* ... on the smaller parts */
	const char *dual_bit_name_small;
	gboolean boot_lock_permanent; /* L5: BOOT_LOCK can never be cleared (AN5347) */
	gboolean wrp_unlock;	      /* U5: WRPxyR.UNLOCK, 0 makes an area permanent */
	gboolean half_regresses_to_0; /* L5: RDP 0.5 -> 0 exists (AN5347: not on the U5) */
	guint32 sysmem_base;	      /* system memory (the bootloader, RSS) */
	guint32 sysmem_size;
} GlintL5Chip;

const GlintL5Chip *glint_l5_chip(const GlintTarget *t);
guint32 glint_l5_reg(guint32 offset);
/* The FLASH_OPTR bit (and its name) that makes a part of @flash_kb two
 * banks; 0 when the part is always two banks */
guint32 glint_l5_dual_mask(const GlintChip *chip, guint32 flash_kb);
const char *glint_l5_dual_bit_name(const GlintChip *chip, guint32 flash_kb);

/* TrustZone as the option bytes say (glint-l5-options.c) */
gboolean glint_l5_tzen(const GlintOptionBytes *ob);
/* Whether [@addr, @addr + @len) touches a page the non-secure side may not
 * touch (a secure watermark area or a hide-protected area, with TZEN = 1);
 * the area's name in *@area when so */
gboolean glint_l5_secure_range(const GlintTarget *t, guint32 addr, guint32 len,
			       const GlintProtectionArea **area);

extern const GlintOptionLayout glint_l5_options;
extern const GlintOptionLayout glint_u5_options;
extern const GlintFlashOps glint_l5_flash_ops;
extern const GlintLoaderDesc glint_l5_loader;
const GlintLoaderDesc *glint_l5_loader_for(GlintTarget *t);

extern const GlintFamilyOps glint_l5_ops;
extern const GlintFamily glint_family_l5;

void glint_l5_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		       gdouble volts, GlintFlashGeometry *geometry);

G_END_DECLS
