/* glint-options.h: option bytes as values (STM32L4: FLASH_OPTR, WRP1A/B,
 * WRP2A/B, PCROP1/2), their fields by reference-manual name, WRP areas as
 * page ranges, RDP levels, parsing of `NAME=VALUE` edits and the list of
 * consequences a change has (for confirmations). Pure data: no probe I/O. */
#pragma once

#include <glib.h>

#include "glint-chips.h"

G_BEGIN_DECLS

typedef struct {
	guint32 optr;
	guint32 pcrop1sr;
	guint32 pcrop1er;
	guint32 wrp1ar;
	guint32 wrp1br;
	guint32 pcrop2sr;
	guint32 pcrop2er;
	guint32 wrp2ar;
	guint32 wrp2br;
} GlintOptionBytes;

/* RM0351 FLASH_OPTR.RDP encodings. */
#define GLINT_RDP_LEVEL0 0xAA
#define GLINT_RDP_LEVEL2 0xCC

typedef enum {
	GLINT_WRP_1A,
	GLINT_WRP_1B,
	GLINT_WRP_2A,
	GLINT_WRP_2B,
	GLINT_WRP_N_AREAS,
} GlintWrpArea;

const char *glint_wrp_area_name(GlintWrpArea area); /* "WRP1A" */
guint glint_wrp_area_bank(GlintWrpArea area);	    /* 0 or 1 */

/* Factory values of every register. */
void glint_option_bytes_init_factory(GlintOptionBytes *ob);

guint glint_option_bytes_rdp_level(const GlintOptionBytes *ob); /* 0, 1, 2 */
guint32 glint_option_bytes_get_field(const GlintOptionBytes *ob, const GlintOptionField *field);
void glint_option_bytes_set_field(GlintOptionBytes *ob, const GlintOptionField *field,
				  guint32 value);

/* Whether @area is active, and the pages it covers (bank-relative). */
gboolean glint_option_bytes_get_wrp(const GlintOptionBytes *ob, GlintWrpArea area, guint *first,
				    guint *last);
void glint_option_bytes_set_wrp(GlintOptionBytes *ob, GlintWrpArea area, gboolean active,
				guint first, guint last);
/* The WRP area that protects page @page of bank @bank, or -1. */
gint glint_option_bytes_wrp_covering(const GlintOptionBytes *ob, guint bank, guint page);

/* Applies one edit "NAME=VALUE" (RDP as 0/1/2 or raw hex, WRP1A=FIRST-LAST
 * or WRP1A=off, any OPTR field by its name with a number). Refuses unknown
 * names, values that do not fit, reversed WRP ranges and pages beyond the
 * bank, and DUALBANK on parts where it has no effect. */
gboolean glint_option_bytes_apply_edit(GlintOptionBytes *ob, const GlintChip *chip,
				       const GlintFlashGeometry *geometry, const char *edit,
				       GError **error);

typedef struct {
	gchar *name;	  /* "BFB2", "WRP1A", "RDP" */
	gchar *old_value; /* as shown to users */
	gchar *new_value;
	gchar *consequence; /* plain words; NULL if none worth saying */
	GlintOptionRisk risk;
} GlintOptionChange;

void glint_option_change_free(GlintOptionChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintOptionChange, glint_option_change_free)

/* Changes from @old to @new, with consequences (element-type GlintOptionChange*).
 * @bank2_empty tells whether bank 2 holds no valid vector table (for BFB2). */
GPtrArray *glint_option_bytes_diff(const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
				   const GlintChip *chip, const GlintFlashGeometry *geometry,
				   gboolean bank2_empty);
/* Union of the risks in a diff. */
GlintOptionRisk glint_option_changes_risk(GPtrArray *changes);

/* Human-readable value of a field ("1", "level 1 (0xBB)", "pages 0-15 (0x08000000-0x08007FFF)"). */
gchar *glint_option_bytes_describe_wrp(const GlintOptionBytes *ob, GlintWrpArea area,
				       const GlintFlashGeometry *geometry);
gchar *glint_option_bytes_describe_rdp(const GlintOptionBytes *ob);

G_END_DECLS
