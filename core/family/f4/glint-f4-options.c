/* glint-f4-options.c: the F2/F4/F7 option bytes as their reference
 * manuals name them (RM0033 2.5, RM0090 3.7 and 3.9.9-3.9.11, RM0368 3.5,
 * RM0390 3.6, RM0410 3.4 and 3.7.7-3.7.8, RM0431 3.4): FLASH_OPTCR and
 * FLASH_OPTCR1/OPTCR2, the write protection (nWRP, a 0 bit protects a
 * sector), PCROP (SPRMOD, or OPTCR2 on the F72x), the bank switches (DB1M,
 * nDBANK) and the boot options (BFB2, nDBOOT, BOOT_ADD0/1), and the
 * family's rules about changing them. */
#define G_LOG_DOMAIN "glint-f4"

#include "glint-error.h"
#include "glint-f4-regs.h"
#include "glint-f4.h"
#include "glint-i18n.h"

/* Reset values (RM0090 3.9.9-3.9.11, RM0410 3.7.7-3.7.9): every sector
 * unprotected, RDP level 0, BOR off, software watchdog, no reset on
 * Stop/Standby; the F7 boots the ITCM flash (BOOT_ADD0 0x0080) or, with
 * BOOT0 high, system memory (BOOT_ADD1 0x0040). */
#define F4_OPTCR_FACTORY 0x0FFFAAEDu
#define F4_OPTCR1_FACTORY 0x0FFF0000u
#define F74X_OPTCR_FACTORY 0xC0FFAAFDu
#define F76X_OPTCR_FACTORY 0xFFFFAAFDu
#define F72X_OPTCR_FACTORY 0xC0FFAAFDu
#define F7_OPTCR1_FACTORY 0x00400080u
#define F72X_OPTCR2_FACTORY 0x00000000u

/* OPTLOCK and OPTSTRT are control bits: never compared after a write */
static const GlintOptionRegister f4_registers[] = {
    {"FLASH_OPTCR", "OPTCR", F4_OPTCR_FACTORY, 32, 0x0FFFFFECu},
};
static const GlintOptionRegister f401_registers[] = {
    {"FLASH_OPTCR", "OPTCR", F4_OPTCR_FACTORY, 32, 0x8FFFFFECu},
};
static const GlintOptionRegister f42x_registers[] = {
    {"FLASH_OPTCR", "OPTCR", F4_OPTCR_FACTORY, 32, 0xCFFFFFFCu},
    {"FLASH_OPTCR1", "OPTCR1", F4_OPTCR1_FACTORY, 32, 0x0FFF0000u},
};
static const GlintOptionRegister f74x_registers[] = {
    {"FLASH_OPTCR", "OPTCR", F74X_OPTCR_FACTORY, 32, 0xC0FFFFFCu},
    {"FLASH_OPTCR1", "OPTCR1", F7_OPTCR1_FACTORY, 32, 0},
};
static const GlintOptionRegister f76x_registers[] = {
    {"FLASH_OPTCR", "OPTCR", F76X_OPTCR_FACTORY, 32, 0xFFFFFFFCu},
    {"FLASH_OPTCR1", "OPTCR1", F7_OPTCR1_FACTORY, 32, 0},
};
static const GlintOptionRegister f72x_registers[] = {
    {"FLASH_OPTCR", "OPTCR", F72X_OPTCR_FACTORY, 32, 0xC0FFFFFCu},
    {"FLASH_OPTCR1", "OPTCR1", F7_OPTCR1_FACTORY, 32, 0},
    {"FLASH_OPTCR2", "OPTCR2", F72X_OPTCR2_FACTORY, 32, 0x800000FFu},
};

/* RM0090 3.9.9 BOR_LEV, thresholds from the datasheets (DS8626 table 21:
 * VBOR1 about 2.2 V, VBOR2 2.5 V, VBOR3 2.8 V) */
static const GlintOptionChoice bor_levels[] = {
    {0, N_("level 3, 2.7-3.6 V")},
    {1, N_("level 2, 2.4-2.7 V")},
    {2, N_("level 1, 2.1-2.4 V")},
    {3, N_("off")},
    {0, NULL},
};

#define BIT_FIELD(name, reg, shift, factory, meaning, risk)                                        \
	{                                                                                          \
		name, reg, shift, 1, factory, meaning, risk, 0, NULL, NULL, 0                      \
	}

#define FIELD_BOR_LEV                                                                              \
	{                                                                                          \
		"BOR_LEV", F4_OB_OPTCR, 2, 2, 3,                                                   \
		    N_("Brown-out reset threshold (the chip is held in reset below it)"),          \
		    GLINT_OPTION_RISK_NONE, 3, bor_levels, NULL, 0                                 \
	}
#define FIELD_WDG_SW                                                                               \
	BIT_FIELD("WDG_SW", F4_OB_OPTCR, 5, 1,                                                     \
		  N_("1: independent watchdog started by software, 0: by hardware at reset"), 0)
#define FIELD_NRST_STOP                                                                            \
	BIT_FIELD("nRST_STOP", F4_OB_OPTCR, 6, 1,                                                  \
		  N_("0: reset generated when entering Stop mode"), 0)
#define FIELD_NRST_STDBY                                                                           \
	BIT_FIELD("nRST_STDBY", F4_OB_OPTCR, 7, 1,                                                 \
		  N_("0: reset generated when entering Standby mode"), 0)

#define SPRMOD_CONSEQUENCE                                                                         \
	N_("The nWRP bits then select PCROP sectors (a 1 bit protects): every sector whose bit "   \
	   "is 1 "                                                                                 \
	   "becomes execute-only. Only an RDP level 1 -> 0 regression, which erases the whole "    \
	   "flash, "                                                                               \
	   "turns it off again")

static const GlintOptionField f2_fields[] = {
    FIELD_BOR_LEV,
    FIELD_WDG_SW,
    FIELD_NRST_STOP,
    FIELD_NRST_STDBY,
};

static const GlintOptionField f401_fields[] = {
    FIELD_BOR_LEV,
    FIELD_WDG_SW,
    FIELD_NRST_STOP,
    FIELD_NRST_STDBY,
    {"SPRMOD", F4_OB_OPTCR, 31, 1, 0, N_("1: the nWRP bits select PCROP (execute-only) sectors"),
     GLINT_OPTION_RISK_LOCKOUT | GLINT_OPTION_RISK_PERMANENT, 0, NULL, SPRMOD_CONSEQUENCE, 0},
};

static const GlintOptionField f42x_fields[] = {
    FIELD_BOR_LEV,
    BIT_FIELD("BFB2", F4_OB_OPTCR, 4, 0,
	      N_("1: boot from system memory, whose bootloader starts bank 2 or bank 1 (dual-bank "
		 "boot)"),
	      GLINT_OPTION_RISK_BOOT),
    FIELD_WDG_SW,
    FIELD_NRST_STOP,
    FIELD_NRST_STDBY,
    BIT_FIELD("DB1M", F4_OB_OPTCR, 30, 0,
	      N_("1: a 1 MB part is two banks of 512 KB (sectors 0-7 and 12-19)"),
	      GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    {"SPRMOD", F4_OB_OPTCR, 31, 1, 0, N_("1: the nWRP bits select PCROP (execute-only) sectors"),
     GLINT_OPTION_RISK_LOCKOUT | GLINT_OPTION_RISK_PERMANENT, 0, NULL, SPRMOD_CONSEQUENCE, 0},
};

/* RM0410 3.7.7/3.7.8 */
#define F7_USER_FIELDS                                                                             \
	FIELD_BOR_LEV,                                                                             \
	    BIT_FIELD("WWDG_SW", F4_OB_OPTCR, 4, 1,                                                \
		      N_("1: window watchdog started by software, 0: by hardware"), 0),            \
	    BIT_FIELD("IWDG_SW", F4_OB_OPTCR, 5, 1,                                                \
		      N_("1: independent watchdog started by software, 0: by hardware"), 0),       \
	    FIELD_NRST_STOP, FIELD_NRST_STDBY,                                                     \
	    BIT_FIELD("IWDG_STDBY", F4_OB_OPTCR, 30, 1,                                            \
		      N_("0: independent watchdog frozen in Standby mode"), 0),                    \
	    BIT_FIELD("IWDG_STOP", F4_OB_OPTCR, 31, 1,                                             \
		      N_("0: independent watchdog frozen in Stop mode"), 0),                       \
	    {"BOOT_ADD0",                                                                          \
	     F4_OB_OPTCR1,                                                                         \
	     0,                                                                                    \
	     16,                                                                                   \
	     0x0080,                                                                               \
	     N_("Where the chip boots with BOOT0 low (address / 16 KB)"),                          \
	     GLINT_OPTION_RISK_BOOT,                                                               \
	     0,                                                                                    \
	     NULL,                                                                                 \
	     NULL,                                                                                 \
	     F7_BOOT_ADD_SCALE},                                                                   \
	{                                                                                          \
		"BOOT_ADD1", F4_OB_OPTCR1, 16, 16, 0x0040,                                         \
		    N_("Where the chip boots with BOOT0 high (address / 16 KB)"),                  \
		    GLINT_OPTION_RISK_BOOT, 0, NULL, NULL, F7_BOOT_ADD_SCALE                       \
	}

static const GlintOptionField f74x_fields[] = {
    F7_USER_FIELDS,
};

static const GlintOptionField f76x_fields[] = {
    F7_USER_FIELDS,
    BIT_FIELD("nDBOOT", F4_OB_OPTCR, 28, 1,
	      N_("0: dual boot: the chip starts the other bank when the one BOOT_ADDx names holds "
		 "no valid image"),
	      GLINT_OPTION_RISK_BOOT),
    BIT_FIELD("nDBANK", F4_OB_OPTCR, 29, 1,
	      N_("1: one bank of 32/128/256 KB sectors; 0: two banks of 16/64/128 KB sectors"),
	      GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
};

static const GlintOptionField f72x_fields[] = {
    F7_USER_FIELDS,
    BIT_FIELD("PCROP_RDP", F4_OB_OPTCR2, 31, 0,
	      N_("1: PCROP sectors are erased by an RDP 1->0 regression; 0: they stay for ever"),
	      GLINT_OPTION_RISK_NONE),
};

/* Write protection: one nWRP bit per sector, a 0 bit protects (RM0090
 * 3.7.4). A single sector is an area like any other. */
#define WRP_MASK(area_name, area_bank, reg, shift, n_bits, per_bit, field, value)                  \
	{                                                                                          \
		.name = area_name, .type = GLINT_PROTECT_WRP, .encoding = GLINT_AREA_MASK,         \
		.bank = area_bank, .mask_reg = reg, .mask_shift = shift, .mask_bits = n_bits,      \
		.units_per_bit = per_bit, .protect_when_set = FALSE, .when_field = field,          \
		.when_value = value,                                                               \
	}

#define PCROP_CONSEQUENCE                                                                          \
	N_("Those sectors become execute-only: a debugger (and code reading data there) can no "   \
	   "longer read them, and nobody can erase or program them. Firmware with literal pools "  \
	   "there stops working. Only an RDP level 1 -> 0 regression, which erases the whole "     \
	   "flash, "                                                                               \
	   "removes it")

/* PCROP: with SPRMOD = 1 the same bits select execute-only sectors, a 1 bit
 * protects (RM0090 3.7.5); it only grows until an RDP 1 -> 0 regression. */
#define PCROP_MASK(area_name, area_bank, reg, shift, n_bits, field, value)                         \
	{                                                                                          \
		.name = area_name, .type = GLINT_PROTECT_PCROP, .encoding = GLINT_AREA_MASK,       \
		.bank = area_bank, .mask_reg = reg, .mask_shift = shift, .mask_bits = n_bits,      \
		.units_per_bit = 1, .protect_when_set = TRUE, .flags = GLINT_AREA_GROW_ONLY,       \
		.risk = GLINT_OPTION_RISK_LOCKOUT | GLINT_OPTION_RISK_PERMANENT,                   \
		.consequence = PCROP_CONSEQUENCE, .when_field = field, .when_value = value,        \
	}

static const GlintProtectionArea f40x_areas[] = {
    WRP_MASK("WRP", 0, F4_OB_OPTCR, 16, 12, 1, NULL, 0),
};

static const GlintProtectionArea f401_areas[] = {
    WRP_MASK("WRP", 0, F4_OB_OPTCR, 16, 8, 1, "SPRMOD", 0),
    PCROP_MASK("PCROP", 0, F4_OB_OPTCR, 16, 8, "SPRMOD", 1),
};

/* RM0090 3.9.10/3.9.11: OPTCR for bank 1, OPTCR1 for bank 2 */
static const GlintProtectionArea f42x_areas[] = {
    WRP_MASK("WRP", 0, F4_OB_OPTCR, 16, 12, 1, "SPRMOD", 0),
    WRP_MASK("WRP2", 1, F4_OB_OPTCR1, 16, 12, 1, "SPRMOD", 0),
    PCROP_MASK("PCROP", 0, F4_OB_OPTCR, 16, 12, "SPRMOD", 1),
    PCROP_MASK("PCROP2", 1, F4_OB_OPTCR1, 16, 12, "SPRMOD", 1),
};

static const GlintProtectionArea f74x_areas[] = {
    WRP_MASK("WRP", 0, F4_OB_OPTCR, 16, 8, 1, NULL, 0),
};

/* RM0410 3.7.7: in dual-bank mode each nWRP bit protects two sectors, bits
 * 0-5 bank 1 and bits 6-11 bank 2 (sectors 12-23) */
static const GlintProtectionArea f76x_areas[] = {
    WRP_MASK("WRP", 0, F4_OB_OPTCR, 16, 12, 1, "nDBANK", 1),
    WRP_MASK("WRP1", 0, F4_OB_OPTCR, 16, 6, 2, "nDBANK", 0),
    WRP_MASK("WRP2", 1, F4_OB_OPTCR, 22, 6, 2, "nDBANK", 0),
};

/* RM0431 3.7.9: OPTCR2.PCROPi, a 1 bit protects */
static const GlintProtectionArea f72x_areas[] = {
    WRP_MASK("WRP", 0, F4_OB_OPTCR, 16, 8, 1, NULL, 0),
    PCROP_MASK("PCROP", 0, F4_OB_OPTCR2, 0, 8, NULL, 0),
};

/* RDP in OPTCR[15:8]: 0xAA level 0, 0xCC level 2, anything else level 1;
 * Glint writes 0x55 for level 1 as ST's HAL does. */
#define F4_RDP                                                                                     \
	{                                                                                          \
		F4_OB_OPTCR, FLASH_OPTCR_RDP_SHIFT, 0xAA, 0xCC, 0x55                               \
	}

/* Rules ------------------------------------------------------------------------------ */

static gboolean
field_changes(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, const char *name,
	      guint32 *to)
{
	guint32 a = 0, b = 0;
	if (!glint_option_bytes_get_named(old, name, &a) ||
	    !glint_option_bytes_get_named(new_ob, name, &b))
		return FALSE;
	*to = b;
	return a != b;
}

static guint32
field_value(const GlintOptionBytes *ob, const char *name)
{
	guint32 v = 0;
	glint_option_bytes_get_named(ob, name, &v);
	return v;
}

static gboolean
rdp_regresses(const GlintOptionBytes *old, const GlintOptionBytes *new_ob)
{
	return glint_option_bytes_rdp_level(old) == 1 && glint_option_bytes_rdp_level(new_ob) == 0;
}

/* RM0090 3.7.5: SPRMOD goes back to 0 only together with an RDP 1 -> 0
 * regression; otherwise the chip cancels the write (WRPERR). */
static gboolean
check_sprmod(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	     const GlintOptionBytes *new_ob, GError **error)
{
	guint32 to;
	if (!field_changes(old, new_ob, "SPRMOD", &to) || to != 0 || rdp_regresses(old, new_ob))
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("SPRMOD can go back to 0 only while read protection regresses from level 1 "
		      "to 0, which erases the flash (RM0090 3.7.5); the %s would cancel the write. "
		      "Nothing was changed"),
		    ctx->chip_name);
	return FALSE;
}

/* RM0090 3.9.10: DB1M matters on 1 MB parts only, and BFB2 needs two banks */
static gboolean
check_f42x(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GError **error)
{
	guint32 size_kb = ctx->geometry->size / 1024, to;

	if (field_changes(old, new_ob, "DB1M", &to) && size_kb != 1024) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("DB1M has no effect on this %u KB %s: only 1 MB parts switch between "
			      "one bank and two (RM0090 3.4); a 2 MB part is always dual bank. "
			      "Nothing was changed"),
			    size_kb, ctx->chip_name);
		return FALSE;
	}
	if (field_value(new_ob, "BFB2") != 0 && field_value(old, "BFB2") == 0 &&
	    (size_kb < 1024 || (size_kb == 1024 && field_value(new_ob, "DB1M") == 0))) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    size_kb == 1024
			? _("BFB2 needs two banks: on this %u KB %s it must stay 0 while DB1M "
			    "is 0 (set DB1M=1 BFB2=1 together) (RM0090 3.9.10). Nothing was "
			    "changed")
			: _("BFB2 needs two banks: on this %u KB %s it must stay 0 (RM0090 "
			    "3.9.10). Nothing was changed"),
		    size_kb, ctx->chip_name);
		return FALSE;
	}
	return check_sprmod(ctx, old, new_ob, error);
}

/* Whether @boot (an address) is where a memory of the F7 starts code:
 * ITCM RAM, system memory, flash on the ITCM or AXIM bus, DTCM/SRAM
 * (RM0410 2.6, table 3). */
static gboolean
f7_boot_address_valid(const GlintOptionContext *ctx, guint32 boot)
{
	const GlintFlashGeometry *g = ctx->geometry;
	guint32 flash_end = glint_geometry_end(g);
	return boot < 0x00004000u || boot == 0x00100000u ||
	       (boot >= 0x00200000u && boot < 0x00200000u + (flash_end - g->base)) ||
	       (boot >= g->base && boot < flash_end) || (boot >= 0x20000000u && boot < 0x20080000u);
}

static gboolean
check_f7(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	static const char *const names[] = {"BOOT_ADD0", "BOOT_ADD1"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		guint32 to, boot;
		if (!field_changes(old, new_ob, names[i], &to))
			continue;
		boot = to * F7_BOOT_ADD_SCALE;
		if (f7_boot_address_valid(ctx, boot))
			continue;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s=0x%08X: no memory of the %s starts code there (ITCM RAM "
			      "0x00000000, system memory 0x00100000, flash at 0x00200000 or "
			      "0x%08X, SRAM at 0x20000000; RM0410 2.6): the chip would boot into "
			      "nothing. Nothing was changed"),
			    names[i], boot, ctx->chip_name, ctx->geometry->base);
		return FALSE;
	}
	return TRUE;
}

static gboolean
check_f401(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GError **error)
{
	return check_sprmod(ctx, old, new_ob, error);
}

/* Explanations ----------------------------------------------------------------------- */

static void
replace_consequence(GlintOptionChange *change, gchar *text)
{
	g_free(change->consequence);
	change->consequence = text;
}

static void
explain_bank_switch(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
		    GlintOptionChange *change)
{
	gboolean dual = g_strcmp0(change->field->name, "DB1M") == 0
			    ? field_value(new_ob, "DB1M") != 0
			    : field_value(new_ob, "nDBANK") == 0;
	replace_consequence(
	    change,
	    g_strdup(dual ? _("The flash becomes two banks: sector sizes and numbers change "
			      "(bank 2 sectors are numbered from 12); Glint mass-erases the "
			      "flash first and reads the layout again after the reload")
			  : _("The flash becomes one bank: sector sizes and numbers change; "
			      "Glint mass-erases the flash first and reads the layout again "
			      "after the reload")));
}

static void
explain_bfb2(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
	     GlintOptionChange *change)
{
	if (field_value(new_ob, "BFB2") == 0) {
		replace_consequence(
		    change, g_strdup(_("The chip boots from bank 1 (or as BOOT0 says) again")));
		change->risk &= ~GLINT_OPTION_RISK_BOOT;
		return;
	}
	if (!ctx->bank2_empty) {
		replace_consequence(change,
				    g_strdup(_("The chip always starts its system bootloader, "
					       "which jumps to the image in bank 2")));
		return;
	}
	/* AN2606 (STM32F42x/F43x dual-bank boot): bank 2 checked first */
	replace_consequence(
	    change,
	    g_strdup(
		_("Bank 2 holds no valid image: at reset the system bootloader finds none there "
		  "and starts bank 1 instead (AN2606), later than without BFB2; with bank 1 "
		  "empty too the chip stays in the bootloader")));
}

static void
explain_boot_add(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
		 GlintOptionChange *change)
{
	guint32 boot = glint_option_bytes_get_field(new_ob, change->field) * F7_BOOT_ADD_SCALE;
	replace_consequence(
	    change, g_strdup_printf(g_strcmp0(change->field->name, "BOOT_ADD0") == 0
					? _("With BOOT0 low the chip starts the vector table at "
					    "0x%08X: make sure an image is there")
					: _("With BOOT0 high the chip starts the vector table at "
					    "0x%08X: make sure an image is there"),
				    boot));
}

static void
f4_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	const char *name = change->field != NULL ? change->field->name : NULL;
	if (g_strcmp0(name, "DB1M") == 0 || g_strcmp0(name, "nDBANK") == 0)
		explain_bank_switch(ctx, new_ob, change);
	else if (g_strcmp0(name, "BFB2") == 0)
		explain_bfb2(ctx, new_ob, change);
	else if (g_strcmp0(name, "BOOT_ADD0") == 0 || g_strcmp0(name, "BOOT_ADD1") == 0)
		explain_boot_add(ctx, new_ob, change);
	else if (g_strcmp0(name, "SPRMOD") == 0 && field_value(new_ob, "SPRMOD") == 0) {
		/* back to write protection: the regression that allows it erases */
		replace_consequence(change, g_strdup(_("The nWRP bits select write-protected "
						       "sectors again (with the RDP regression)")));
		change->risk = GLINT_OPTION_RISK_NONE;
	}
}

/* Layouts ---------------------------------------------------------------------------- */

#define F4_LAYOUT(layout_name, reg_table, field_table, area_table, check_fn)                       \
	const GlintOptionLayout layout_name = {                                                    \
	    .regs = reg_table,                                                                     \
	    .n_regs = G_N_ELEMENTS(reg_table),                                                     \
	    .fields = field_table,                                                                 \
	    .n_fields = G_N_ELEMENTS(field_table),                                                 \
	    .areas = area_table,                                                                   \
	    .n_areas = G_N_ELEMENTS(area_table),                                                   \
	    .rdp = F4_RDP,                                                                         \
	    .check = check_fn,                                                                     \
	    .explain = f4_explain,                                                                 \
	}

F4_LAYOUT(glint_f2_options, f4_registers, f2_fields, f40x_areas, NULL);
F4_LAYOUT(glint_f40x_options, f4_registers, f2_fields, f40x_areas, NULL);
F4_LAYOUT(glint_f401_options, f401_registers, f401_fields, f401_areas, check_f401);
F4_LAYOUT(glint_f42x_options, f42x_registers, f42x_fields, f42x_areas, check_f42x);
F4_LAYOUT(glint_f74x_options, f74x_registers, f74x_fields, f74x_areas, check_f7);
F4_LAYOUT(glint_f76x_options, f76x_registers, f76x_fields, f76x_areas, check_f7);
F4_LAYOUT(glint_f72x_options, f72x_registers, f72x_fields, f72x_areas, check_f7);
