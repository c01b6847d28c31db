/* glint-chips.h: the chip table. Everything Glint knows about a part family
 * is data here (device id, memory map, flash geometry rules, option-byte
 * layout with the reference manual's field names); drivers stay small. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	GLINT_FAMILY_L4,
} GlintFamily;

/* How the flash splits into banks. */
typedef enum {
	GLINT_BANKS_SINGLE,
	/* RM0351: the largest size is always dual bank; smaller sizes follow
	 * OPTR.DUALBANK (bit 21). */
	GLINT_BANKS_L4_DUALBANK_BIT,
} GlintBankRule;

/* What changing an option field risks, for confirmations. */
typedef enum {
	GLINT_OPTION_RISK_NONE = 0,
	GLINT_OPTION_RISK_MASS_ERASE = 1 << 0, /* the chip erases all flash */
	GLINT_OPTION_RISK_PERMANENT = 1 << 1,  /* cannot be undone (RDP level 2) */
	GLINT_OPTION_RISK_BOOT = 1 << 2,       /* changes what the chip boots */
	GLINT_OPTION_RISK_GEOMETRY = 1 << 3,   /* changes bank layout */
} GlintOptionRisk;

typedef struct {
	const char *name;    /* reference-manual name: "nRST_STOP" */
	guint8 shift;	     /* bit position in OPTR */
	guint8 width;	     /* bits */
	guint32 factory;     /* factory value of the field */
	const char *meaning; /* one line, for the editor and `options show` */
	GlintOptionRisk risk;
} GlintOptionField;

typedef struct {
	guint16 rev_id;
	const char *name;
} GlintChipRevision;

typedef struct {
	guint16 dev_id;
	const char *name; /* "STM32L47x/L48x" */
	const char *parts;
	GlintFamily family;
	const char *core; /* "Cortex-M4" */
	guint32 idcode_addr;
	guint32 flash_size_reg;
	guint32 uid_addr;
	guint32 package_addr;
	guint32 flash_base;
	guint32 flash_kb_max;		  /* also the size assumed when the register is blank */
	const guint32 *flash_kb_variants; /* 0-terminated */
	guint32 page_size;
	guint32 flash_regs; /* flash controller base */
	GlintBankRule bank_rule;
	guint32 sram1_base, sram1_size;
	guint32 sram2_base, sram2_size;
	guint32 sysmem_base, sysmem_size;
	guint32 otp_base, otp_size;
	guint32 option_base, option_size;
	guint min_program_mv; /* below this, programming is refused */
	const GlintOptionField *optr_fields;
	guint n_optr_fields;
	const GlintChipRevision *revisions;
	guint n_revisions;
} GlintChip;

const GlintChip *glint_chip_lookup(guint16 dev_id);
const char *glint_chip_revision_name(const GlintChip *chip, guint16 rev_id);
const GlintOptionField *glint_chip_find_option_field(const GlintChip *chip, const char *name);
/* Every chip Glint knows (for `probes`/help), NULL-terminated. */
const GlintChip *const *glint_chip_all(void);

/* Flash layout of one connected part. */
typedef struct {
	guint32 base;
	guint32 size;
	guint32 page_size;
	guint n_banks;
	guint32 bank_size;
	guint pages_per_bank;
	gboolean dualbank_configurable; /* DUALBANK bit matters on this size */
} GlintFlashGeometry;

/* Geometry from the flash size (KB) and the loaded OPTR value. */
void glint_chip_get_geometry(const GlintChip *chip, guint32 flash_kb, guint32 optr,
			     GlintFlashGeometry *geometry);
/* Bank (0-based) and bank-relative page of @addr; FALSE outside the flash. */
gboolean glint_geometry_locate(const GlintFlashGeometry *geometry, guint32 addr, guint *bank,
			       guint *page);
guint32 glint_geometry_page_address(const GlintFlashGeometry *geometry, guint bank, guint page);

G_END_DECLS
