/* glint-options.h: option bytes as a family describes them, and as values.
 *
 * A family gives a GlintOptionLayout: its option registers (reference-manual
 * names, factory values), the fields inside them (name, bits, meaning,
 * risk, allowed values), where RDP lives and how its levels are encoded, and
 * the protection areas (WRP, PCROP, secure areas) either as start/end ranges
 * or as one bit per group of erase units. GlintOptionBytes holds one chip's
 * register values. This module reads and edits fields and areas by name
 * (`BFB2=1`, `WRP1A=0-15`, `WRP=2-3`, `WRP=off`), tells what a change
 * means and what it risks (for confirmations), and describes values for
 * people. Pure data: no probe I/O. */
#pragma once

#include <glib.h>

#include "glint-geometry.h"

G_BEGIN_DECLS

#define GLINT_OPTION_MAX_REGS 24

/* What changing an option risks, for confirmations. */
typedef enum {
	GLINT_OPTION_RISK_NONE = 0,
	GLINT_OPTION_RISK_MASS_ERASE = 1 << 0, /* the chip erases all flash */
	GLINT_OPTION_RISK_PERMANENT = 1
				      << 1,  /* cannot be undone (RDP 2, PCROP without PCROP_RDP) */
	GLINT_OPTION_RISK_BOOT = 1 << 2,     /* changes what the chip boots */
	GLINT_OPTION_RISK_GEOMETRY = 1 << 3, /* changes the bank layout */
	GLINT_OPTION_RISK_LOCKOUT = 1 << 4,  /* code or the debugger may be locked out */
} GlintOptionRisk;

typedef struct {
	const char *name;      /* as the reference manual names it: "FLASH_OPTR" */
	const char *edit_name; /* for raw edits: "OPTR" */
	guint32 factory;
	guint8 bits;	     /* 8, 16 or 32: how many are shown */
	guint32 verify_mask; /* bits that must read back as written; 0 means all */
} GlintOptionRegister;

typedef struct {
	guint32 value;
	const char *label; /* NULL ends the list */
} GlintOptionChoice;

typedef struct {
	const char *name; /* reference-manual name: "nRST_STOP" */
	guint8 reg;	  /* index into the layout's registers */
	guint8 shift;
	guint8 width;
	guint32 factory;
	const char *meaning; /* one line, for the editor and `options show` */
	GlintOptionRisk risk;
	guint32 max;			  /* largest value accepted; 0: any value of the width */
	const GlintOptionChoice *choices; /* named values, or NULL */
	/* Said when the field changes (overrides the generic text of the risk). */
	const char *consequence;
	guint32 address_scale; /* shown as the address value * scale (BOOT_ADD); 0: a number */
} GlintOptionField;

/* Read protection: one byte somewhere in the registers. */
typedef struct {
	guint8 reg;
	guint8 shift;
	guint8 level0; /* 0xAA (0xA5 on F1) */
	guint8 level2; /* 0xCC; 0 when the chip has no level 2 */
	guint8 level1; /* what Glint writes for level 1 (any value but the other two) */
	/* Level 0.5 of TrustZone parts: the byte that means it (0x55; 0: the
	 * chip has no such level), only while bit @half_gate_shift of
	 * register @half_gate_reg is set (TZEN); otherwise that byte is
	 * level 1 like any other */
	guint8 level_half;
	guint8 half_gate_reg;
	guint8 half_gate_shift;
} GlintRdpSpec;

/* Read-protection levels in the order they close the chip: 0, 0.5 (the
 * debugger reaches the non-secure side only), 1, 2. */
typedef enum {
	GLINT_RDP_LEVEL_0,
	GLINT_RDP_LEVEL_0_5,
	GLINT_RDP_LEVEL_1,
	GLINT_RDP_LEVEL_2,
} GlintRdpRank;

typedef enum {
	GLINT_PROTECT_WRP,    /* write protection: no erase, no program */
	GLINT_PROTECT_PCROP,  /* execute-only code: no read, no erase, no program */
	GLINT_PROTECT_SECURE, /* secure/hidden area owned by trusted code */
} GlintProtectionType;

typedef enum {
	GLINT_AREA_RANGE, /* a start and an end field: active when start <= end */
	GLINT_AREA_MASK,  /* one bit per group of erase units */
} GlintAreaEncoding;

typedef enum {
	GLINT_AREA_GROW_ONLY = 1 << 0, /* an option write cannot shrink or remove it (PCROP) */
	/* GLINT_AREA_MASK: its bits count units across the whole flash, from
	 * bank to bank, as the reference manual numbers them (STM32L0/L1
	 * WRPROT: sector i at 4 KB * i, whichever bank holds it); @bank is
	 * then 0. The geometry must number units on from one bank to the next. */
	GLINT_AREA_ACROSS_BANKS = 1 << 1,
	/* @when_field is the area's own enable bit (HDPxEN): setting the area
	 * sets it to @when_value, switching the area off clears it and leaves
	 * the bounds, which the area may share with another one (the
	 * hide-protected area starts where the secure area does) */
	GLINT_AREA_WHEN_OWNED = 1 << 2,
	/* GLINT_AREA_RANGE without an end field (end_width 0): the area runs
	 * from its start to the last unit of its bank (the STM32WB's secure
	 * flash, from FLASH_SFR.SFSA to the end) */
	GLINT_AREA_TO_BANK_END = 1 << 3,
	/* Set by other firmware (the STM32WB's CPU2 and its FUS): a debugger can
	 * neither change nor remove it. Edits are refused, and jobs, diagnosis
	 * and the editor give @consequence as the reason */
	GLINT_AREA_FIXED = 1 << 4,
} GlintAreaFlags;

typedef struct {
	const char *name; /* "WRP1A", "WRP", "PCROP1" */
	GlintProtectionType type;
	GlintAreaEncoding encoding;
	guint bank; /* the physical bank it protects (0 or 1) */
	/* GLINT_AREA_RANGE: start and end in erase-unit numbers relative to the
	 * bank (@granule 0) or in @granule-byte steps from the bank's base. */
	guint8 start_reg, start_shift, start_width;
	guint8 end_reg, end_shift, end_width;
	guint32 granule;
	/* GLINT_AREA_MASK: bit i protects units i * @units_per_bit .. of the bank */
	guint8 mask_reg, mask_shift, mask_bits;
	guint8 units_per_bit;
	gboolean protect_when_set; /* FALSE: a 0 bit protects (nWRP) */
	gboolean last_bit_rest;	   /* the last bit covers every remaining unit */
	GlintAreaFlags flags;
	GlintOptionRisk risk;	 /* of setting or changing it */
	const char *consequence; /* said when it becomes active or changes */
	/* GLINT_AREA_MASK: the unit of the bank that bit 0 protects, counted
	 * from the bank's first (a register that continues another one: the
	 * STM32L1's FLASH_WRPR2 starts at sector 32); 0: the first */
	guint first_unit;
	/* The area exists only while the field named @when_field holds
	 * @when_value (NULL: always): one set of bits with two meanings, such
	 * as the F4 nWRP bits (write protection with SPRMOD = 0, PCROP with
	 * SPRMOD = 1) or the F76x nWRP bits (one sector each in single-bank
	 * mode, two in dual-bank mode), an area only TrustZone makes (a secure
	 * watermark needs TZEN = 1), or the area's own enable bit
	 * (GLINT_AREA_WHEN_OWNED). An area not in use protects nothing and
	 * cannot be set (an owned one switches itself on). */
	const char *when_field;
	guint32 when_value;
	/* That condition in words ("TrustZone is on (TZEN = 1)") for the
	 * refusal to set the area while it does not hold; NULL: the field */
	const char *when_text;
	/* What removes it, said when an erase or a program hits it (secure
	 * areas); NULL: the generic words of its type */
	const char *way_out;
} GlintProtectionArea;

typedef struct _GlintOptionLayout GlintOptionLayout;
typedef struct _GlintOptionBytes GlintOptionBytes;
typedef struct _GlintOptionContext GlintOptionContext;
typedef struct _GlintOptionChange GlintOptionChange;

/* What edits and diffs need to know about the chip. */
struct _GlintOptionContext {
	const GlintOptionLayout *layout;
	const GlintFlashGeometry *geometry;
	const char *chip_name;
	gboolean bank2_empty; /* the second bank holds no valid vector table */
	gconstpointer chip;   /* the family's chip row, for its hooks */
};

struct _GlintOptionLayout {
	const GlintOptionRegister *regs;
	guint n_regs;
	const GlintOptionField *fields;
	guint n_fields;
	const GlintProtectionArea *areas;
	guint n_areas;
	GlintRdpSpec rdp;
	/* Family rules on a whole edited set, after the generic checks (a bit
	 * that has no effect on this part, a combination the chip refuses).
	 * NULL: none. */
	gboolean (*check)(const GlintOptionContext *ctx, const GlintOptionBytes *old,
			  const GlintOptionBytes *new_ob, GError **error);
	/* Family knowledge about a change: adjust @change's consequence and
	 * risk (BFB2 with an empty bank 2; what an RDP regression erases: the
	 * RDP change has neither field nor area). NULL: none. */
	void (*explain)(const GlintOptionContext *ctx, const GlintOptionBytes *old,
			const GlintOptionBytes *new_ob, GlintOptionChange *change);
	/* What the chip changes by itself when it takes @new_ob over @old (a
	 * TrustZone part puts its secure option bytes back as shipped when a
	 * regression turns TZEN off): applied to @new_ob, the set the write is
	 * then checked against. NULL: the chip keeps what was written. */
	void (*chip_effects)(const GlintOptionContext *ctx, const GlintOptionBytes *old,
			     GlintOptionBytes *new_ob);
};

struct _GlintOptionBytes {
	const GlintOptionLayout *layout;
	guint32 regs[GLINT_OPTION_MAX_REGS];
};

typedef struct {
	guint32 first, last; /* unit numbers, or addresses for areas with a granule */
} GlintRange;

/* Layout lookups (names compare without case). */
const GlintOptionField *glint_option_layout_find_field(const GlintOptionLayout *layout,
						       const char *name);
const GlintProtectionArea *glint_option_layout_find_area(const GlintOptionLayout *layout,
							 const char *name);
gint glint_option_layout_find_register(const GlintOptionLayout *layout, const char *name);
/* Every name `options set` accepts, one per entry (NULL-terminated). */
GStrv glint_option_layout_edit_names(const GlintOptionLayout *layout);

void glint_option_bytes_init_factory(GlintOptionBytes *ob, const GlintOptionLayout *layout);
gboolean glint_option_bytes_equal(const GlintOptionBytes *a, const GlintOptionBytes *b);

/* 0, 1, 2; level 0.5 counts as 0 here: the debugger reaches the flash
 * (its non-secure side), as jobs need to know */
guint glint_option_bytes_rdp_level(const GlintOptionBytes *ob);
GlintRdpRank glint_option_bytes_rdp_rank(const GlintOptionBytes *ob);
/* "0", "0.5", "1", "2" */
const char *glint_rdp_rank_name(GlintRdpRank rank);
guint8 glint_option_bytes_rdp_raw(const GlintOptionBytes *ob);
void glint_option_bytes_set_rdp_level(GlintOptionBytes *ob, guint level);
/* Level 0.5 (the layout must have it) */
void glint_option_bytes_set_rdp_half(GlintOptionBytes *ob);
guint32 glint_option_bytes_get_field(const GlintOptionBytes *ob, const GlintOptionField *field);
void glint_option_bytes_set_field(GlintOptionBytes *ob, const GlintOptionField *field,
				  guint32 value);
/* By name; FALSE if the layout has no such field. */
gboolean glint_option_bytes_get_named(const GlintOptionBytes *ob, const char *name, guint32 *value);

/* The ranges @area protects, in order (element-type GlintRange); empty when off. */
GArray *glint_option_bytes_get_area(const GlintOptionBytes *ob, const GlintProtectionArea *area,
				    const GlintFlashGeometry *geometry);
/* TRUE when @area covers no unit of @geometry (its range is empty, or it
 * starts past the end of its bank): what describe_area() calls "off". */
gboolean glint_option_bytes_area_is_empty(const GlintOptionBytes *ob,
					  const GlintProtectionArea *area,
					  const GlintFlashGeometry *geometry);
gboolean glint_option_bytes_area_active(const GlintOptionBytes *ob,
					const GlintProtectionArea *area);
/* Whether @area is in use with the values of @ob (its when_field holds its
 * when_value); areas without a condition always are. */
gboolean glint_option_bytes_area_in_use(const GlintOptionBytes *ob,
					const GlintProtectionArea *area);
/* Sets @area to protect exactly @ranges (none: off). Fails when the area
 * cannot express them (two ranges in a range area; a range that does not
 * fall on a mask area's groups), they lie outside the bank, or the area is
 * not in use (off for an area not in use: nothing to do). */
gboolean glint_option_bytes_set_area(GlintOptionBytes *ob, const GlintProtectionArea *area,
				     const GlintFlashGeometry *geometry, const GlintRange *ranges,
				     guint n_ranges, GError **error);
void glint_option_bytes_clear_area(GlintOptionBytes *ob, const GlintProtectionArea *area);
/* The first active area of @type (any type with -1) covering @unit, or NULL. */
const GlintProtectionArea *glint_option_bytes_protecting(const GlintOptionBytes *ob,
							 const GlintFlashGeometry *geometry,
							 const GlintFlashUnit *unit, gint type);
/* Whether any active area of @type covers part of [@addr, @addr + @len). */
const GlintProtectionArea *glint_option_bytes_protecting_range(const GlintOptionBytes *ob,
							       const GlintFlashGeometry *geometry,
							       guint32 addr, guint32 len,
							       gint type);

/* Applies one edit "NAME=VALUE": RDP=0/0.5/1/2 (or a raw byte 0xBB), a field
 * by name with a number (decimal, or hex with 0x), an area by name
 * (`WRP1A=0-15`, `WRP=2-3,8`, `WRP=5`, `WRP1A=off`; decimal unit numbers, or
 * addresses for byte-granular areas such as PCROP), or a raw register by
 * its edit name (`OPTR=0xFFEFF8AA`). Refuses unknown names, values that do
 * not fit, reversed or out-of-bank ranges and areas of a bank the part does
 * not have, naming the reason. */
gboolean glint_option_bytes_apply_edit(GlintOptionBytes *ob, const GlintOptionContext *ctx,
				       const char *edit, GError **error);
/* The family's rules on @new_ob against @old (NULL layout hook: TRUE). */
gboolean glint_option_bytes_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
				  const GlintOptionBytes *new_ob, GError **error);

struct _GlintOptionChange {
	gchar *name;	  /* "BFB2", "WRP1A", "RDP" */
	gchar *old_value; /* as shown to users */
	gchar *new_value;
	gchar *consequence; /* plain words; NULL if none worth saying */
	GlintOptionRisk risk;
	const GlintOptionField *field;	 /* when the change is a field */
	const GlintProtectionArea *area; /* when the change is an area */
};

void glint_option_change_free(GlintOptionChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintOptionChange, glint_option_change_free)

/* Changes from @old to @new_ob with consequences (element-type GlintOptionChange*). */
GPtrArray *glint_option_bytes_diff(const GlintOptionContext *ctx, const GlintOptionBytes *old,
				   const GlintOptionBytes *new_ob);
/* Union of the risks in a diff. */
GlintOptionRisk glint_option_changes_risk(GPtrArray *changes);

/* For people: "level 1 (0xBB)", "level 0.5 (0x55)"; "pages 0-15 (0x08000000-0x08007FFF)" or "off";
 * a field's value ("1", "3 (2.2 V)", "0x08000000"). */
gchar *glint_option_bytes_describe_rdp(const GlintOptionBytes *ob);
gchar *glint_option_bytes_describe_area(const GlintOptionBytes *ob, const GlintProtectionArea *area,
					const GlintFlashGeometry *geometry);
gchar *glint_option_bytes_describe_field(const GlintOptionBytes *ob, const GlintOptionField *field);
/* The friendly edit value of an area: "0-15", "2-3,8", "off". */
gchar *glint_option_bytes_area_edit_value(const GlintOptionBytes *ob,
					  const GlintProtectionArea *area,
					  const GlintFlashGeometry *geometry);

G_END_DECLS
