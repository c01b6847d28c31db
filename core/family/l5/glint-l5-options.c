/* glint-l5-options.c: the STM32L5/U5 option bytes (RM0438 6.4 and 6.9.11-
 * 6.9.19, RM0456 7.4 and 7.9.12-7.9.20): FLASH_OPTR with TZEN, the boot
 * addresses and BOOT_LOCK, the secure watermarks and the hide-protected
 * areas inside them, the WRP areas (with UNLOCK on the U5), RDP level 0.5,
 * and the family's rules about changing them: what the chip refuses, what
 * cannot be undone, what an RDP regression erases with TrustZone on. */
#define G_LOG_DOMAIN "glint-l5"

#include "glint-error.h"
#include "glint-i18n.h"
#include "glint-l5-regs.h"
#include "glint-l5.h"

/* Factory values (RM0438 6.4.1, RM0456 7.4.1; as a new NUCLEO reads them:
 * TZEN = 0, RDP 0xAA, BOR off, watchdogs by software, two banks), with the
 * reserved bits reading 1 as the U5's do (recalled for the L5) */
#define L5_OPTR_FACTORY 0x7FEFF8AAu
#define U5_OPTR_FACTORY 0x1FEFF8AAu
#define NSBOOTADD0R_FACTORY 0x0800007Fu /* main flash */
#define NSBOOTADD1R_FACTORY 0x0BF9007Fu /* system memory: the bootloader */
#define SECBOOTADD0R_FACTORY 0x0C00007Cu
/* The secure watermarks of a virgin chip cover every page of their bank
 * (pages 0-127): switching TrustZone on makes the whole flash secure until
 * they are moved; HDP off */
#define SECWMR1_FACTORY 0xFFFFFF80u
#define SECWMR2_FACTORY 0x7F807F80u
/* start 0x7F > end 0: no area; UNLOCK (bit 31) set on the U5 */
#define WRPR_FACTORY 0xFF80FFFFu

#define REG(name, edit, factory)                                                                   \
	{                                                                                          \
		name, edit, factory, 32, 0                                                         \
	}

static const GlintOptionRegister l5_registers[L5_OB_N_REGS] = {
    [L5_OB_OPTR] = REG("FLASH_OPTR", "OPTR", L5_OPTR_FACTORY),
    [L5_OB_NSBOOTADD0R] = REG("FLASH_NSBOOTADD0R", "NSBOOTADD0R", NSBOOTADD0R_FACTORY),
    [L5_OB_NSBOOTADD1R] = REG("FLASH_NSBOOTADD1R", "NSBOOTADD1R", NSBOOTADD1R_FACTORY),
    [L5_OB_SECBOOTADD0R] = REG("FLASH_SECBOOTADD0R", "SECBOOTADD0R", SECBOOTADD0R_FACTORY),
    [L5_OB_SECWM1R1] = REG("FLASH_SECWM1R1", "SECWM1R1", SECWMR1_FACTORY),
    [L5_OB_SECWM1R2] = REG("FLASH_SECWM1R2", "SECWM1R2", SECWMR2_FACTORY),
    [L5_OB_WRP1AR] = REG("FLASH_WRP1AR", "WRP1AR", WRPR_FACTORY),
    [L5_OB_WRP1BR] = REG("FLASH_WRP1BR", "WRP1BR", WRPR_FACTORY),
    [L5_OB_SECWM2R1] = REG("FLASH_SECWM2R1", "SECWM2R1", SECWMR1_FACTORY),
    [L5_OB_SECWM2R2] = REG("FLASH_SECWM2R2", "SECWM2R2", SECWMR2_FACTORY),
    [L5_OB_WRP2AR] = REG("FLASH_WRP2AR", "WRP2AR", WRPR_FACTORY),
    [L5_OB_WRP2BR] = REG("FLASH_WRP2BR", "WRP2BR", WRPR_FACTORY),
};

static const GlintOptionRegister u5_registers[L5_OB_N_REGS] = {
    [L5_OB_OPTR] = REG("FLASH_OPTR", "OPTR", U5_OPTR_FACTORY),
    [L5_OB_NSBOOTADD0R] = REG("FLASH_NSBOOTADD0R", "NSBOOTADD0R", NSBOOTADD0R_FACTORY),
    [L5_OB_NSBOOTADD1R] = REG("FLASH_NSBOOTADD1R", "NSBOOTADD1R", NSBOOTADD1R_FACTORY),
    [L5_OB_SECBOOTADD0R] = REG("FLASH_SECBOOTADD0R", "SECBOOTADD0R", SECBOOTADD0R_FACTORY),
    [L5_OB_SECWM1R1] = REG("FLASH_SECWM1R1", "SECWM1R1", SECWMR1_FACTORY),
    [L5_OB_SECWM1R2] = REG("FLASH_SECWM1R2", "SECWM1R2", SECWMR2_FACTORY),
    [L5_OB_WRP1AR] = REG("FLASH_WRP1AR", "WRP1AR", WRPR_FACTORY),
    [L5_OB_WRP1BR] = REG("FLASH_WRP1BR", "WRP1BR", WRPR_FACTORY),
    [L5_OB_SECWM2R1] = REG("FLASH_SECWM2R1", "SECWM2R1", SECWMR1_FACTORY),
    [L5_OB_SECWM2R2] = REG("FLASH_SECWM2R2", "SECWM2R2", SECWMR2_FACTORY),
    [L5_OB_WRP2AR] = REG("FLASH_WRP2AR", "WRP2AR", WRPR_FACTORY),
    [L5_OB_WRP2BR] = REG("FLASH_WRP2BR", "WRP2BR", WRPR_FACTORY),
};

/* DS12736 / DS13737 (BOR thresholds, rising edge) */
static const GlintOptionChoice bor_levels[] = {
    {0, N_("1.7 V")}, {1, N_("2.0 V")}, {2, N_("2.2 V")},
    {3, N_("2.5 V")}, {4, N_("2.8 V")}, {0, NULL},
};

#define OPTR_FIELD(name, shift, factory, meaning, risk)                                            \
	{                                                                                          \
		name, L5_OB_OPTR, shift, 1, factory, meaning, risk, 0, NULL, NULL, 0               \
	}
#define ADDRESS_FIELD(name, reg, factory, meaning)                                                 \
	{                                                                                          \
		name, reg, 7, 25, (factory) >> 7, meaning, GLINT_OPTION_RISK_BOOT, 0, NULL, NULL,  \
		    128                                                                            \
	}

#define TZEN_MEANING                                                                               \
	N_("1: TrustZone on: secure and non-secure worlds, secure watermarks, RDP level 0.5; "     \
	   "clearing it again takes an RDP regression that erases the flash")
#define TZEN_RISK (GLINT_OPTION_RISK_PERMANENT | GLINT_OPTION_RISK_LOCKOUT)
#define BOOT_LOCK_MEANING N_("1: the chip always boots from SECBOOTADD0, whatever BOOT0 says")
#define BOOT_LOCK_RISK                                                                             \
	(GLINT_OPTION_RISK_PERMANENT | GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_LOCKOUT)

/* What both lines share at the low end of FLASH_OPTR */
#define OPTR_FIELDS_LOW                                                                            \
	{"BOR_LEV", L5_OB_OPTR, 8,	    3,	  0, N_("Brown-out reset threshold (level 0-4)"),  \
	 0,	    4,		bor_levels, NULL, 0},                                              \
	    OPTR_FIELD("nRST_STOP", 12, 1, N_("0: reset generated when entering Stop mode"), 0),   \
	    OPTR_FIELD("nRST_STDBY", 13, 1, N_("0: reset generated when entering Standby mode"),   \
		       0),                                                                         \
	    OPTR_FIELD("nRST_SHDW", 14, 1, N_("0: reset generated when entering Shutdown mode"),   \
		       0)
#define OPTR_FIELDS_WATCHDOGS                                                                      \
	OPTR_FIELD("IWDG_SW", 16, 1,                                                               \
		   N_("1: independent watchdog started by software, 0: by hardware"), 0),          \
	    OPTR_FIELD("IWDG_STOP", 17, 1, N_("0: independent watchdog frozen in Stop mode"), 0),  \
	    OPTR_FIELD("IWDG_STDBY", 18, 1, N_("0: independent watchdog frozen in Standby mode"),  \
		       0),                                                                         \
	    OPTR_FIELD("WWDG_SW", 19, 1,                                                           \
		       N_("1: window watchdog started by software, 0: by hardware"), 0),           \
	    OPTR_FIELD("SWAP_BANK", 20, 0,                                                         \
		       N_("1: bank 2 at 0x08000000 and bank 1 above it (two-bank mode only)"),     \
		       GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_GEOMETRY)
#define BOOT_FIELDS                                                                                \
	OPTR_FIELD("nSWBOOT0", 26, 1, N_("0: BOOT0 taken from nBOOT0 instead of the pin"),         \
		   GLINT_OPTION_RISK_BOOT),                                                        \
	    OPTR_FIELD("nBOOT0", 27, 1, N_("BOOT0 value when nSWBOOT0 is 0"),                      \
		       GLINT_OPTION_RISK_BOOT),                                                    \
	    OPTR_FIELD("PA15_PUPEN", 28, 1, N_("1: pull-up on PA15 (JTDI) at reset"), 0)
#define ADDRESS_FIELDS                                                                             \
	ADDRESS_FIELD("NSBOOTADD0", L5_OB_NSBOOTADD0R, NSBOOTADD0R_FACTORY,                        \
		      N_("Non-secure boot address with BOOT0 = 0 (TZEN = 0)")),                    \
	    ADDRESS_FIELD("NSBOOTADD1", L5_OB_NSBOOTADD1R, NSBOOTADD1R_FACTORY,                    \
			  N_("Non-secure boot address with BOOT0 = 1 (TZEN = 0)")),                \
	    ADDRESS_FIELD("SECBOOTADD0", L5_OB_SECBOOTADD0R, SECBOOTADD0R_FACTORY,                 \
			  N_("Secure boot address (TZEN = 1)")),                                   \
	{                                                                                          \
		"BOOT_LOCK", L5_OB_SECBOOTADD0R, 0, 1, 0, BOOT_LOCK_MEANING, BOOT_LOCK_RISK, 0,    \
		    NULL, NULL, 0                                                                  \
	}

/* SECWMxR2.HDPxEN: the hide-protected area's own enable (the HDP areas
 * below switch it with their bounds) */
#define HDP_FIELDS                                                                                 \
	{"HDP1EN",                                                                                 \
	 L5_OB_SECWM1R2,                                                                           \
	 31,                                                                                       \
	 1,                                                                                        \
	 0,                                                                                        \
	 N_("1: the hide-protected area HDP1 is on (pages from SECWM1's first to HDP1's last)"),   \
	 GLINT_OPTION_RISK_LOCKOUT,                                                                \
	 0,                                                                                        \
	 NULL,                                                                                     \
	 NULL,                                                                                     \
	 0},                                                                                       \
	{                                                                                          \
		"HDP2EN", L5_OB_SECWM2R2, 31, 1, 0,                                                \
		    N_("1: the hide-protected area HDP2 is on (pages from SECWM2's first to "      \
		       "HDP2's "                                                                   \
		       "last)"),                                                                   \
		    GLINT_OPTION_RISK_LOCKOUT, 0, NULL, NULL, 0                                    \
	}

/* RM0438 6.9.11 */
static const GlintOptionField l5_fields[] = {
    OPTR_FIELDS_LOW,
    OPTR_FIELDS_WATCHDOGS,
    OPTR_FIELD("DB256K", 21, 1, N_("1: a 256 KB part is two banks of 2 KB pages"),
	       GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    OPTR_FIELD("DBANK", 22, 1,
	       N_("1: a 512 KB part is two banks of 2 KB pages, 0: one bank of 4 KB pages"),
	       GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    OPTR_FIELD("SRAM2_PE", 24, 1, N_("0: SRAM2 parity check enabled"), 0),
    OPTR_FIELD("SRAM2_RST", 25, 1, N_("0: SRAM2 erased on system reset"), 0),
    BOOT_FIELDS,
    OPTR_FIELD("TZEN", FLASH_OPTR_TZEN_SHIFT, 0, TZEN_MEANING, TZEN_RISK),
    ADDRESS_FIELDS,
    HDP_FIELDS,
};

#define UNLOCK_FIELD(name, reg)                                                                    \
	{                                                                                          \
		name, reg, FLASH_WRPR_UNLOCK_SHIFT, 1, 1,                                          \
		    N_("0: this WRP area stays as it is for ever (it can no longer be changed or " \
		       "removed)"),                                                                \
		    GLINT_OPTION_RISK_PERMANENT, 0, NULL, NULL, 0                                  \
	}

/* RM0456 7.9.12 */
static const GlintOptionField u5_fields[] = {
    OPTR_FIELDS_LOW,
    OPTR_FIELD("SRAM1345_RST", 15, 1, N_("0: SRAM1, SRAM3 and SRAM4 erased on system reset"), 0),
    OPTR_FIELDS_WATCHDOGS,
    OPTR_FIELD("DUALBANK", 21, 1, N_("1: a 1 MB part is two banks (the 2 MB parts always are)"),
	       GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    OPTR_FIELD("BKPRAM_ECC", 22, 1, N_("0: backup RAM ECC enabled"), 0),
    OPTR_FIELD("SRAM3_ECC", 23, 1, N_("0: SRAM3 ECC enabled"), 0),
    OPTR_FIELD("SRAM2_ECC", 24, 1, N_("0: SRAM2 ECC enabled"), 0),
    OPTR_FIELD("SRAM2_RST", 25, 1, N_("0: SRAM2 erased on system reset"), 0),
    BOOT_FIELDS,
    OPTR_FIELD("IO_VDD_HSLV", 29, 0, N_("1: fast I/O at low VDD (only with VDD below 2.5 V)"), 0),
    OPTR_FIELD("IO_VDDIO2_HSLV", 30, 0, N_("1: fast I/O at low VDDIO2 (only below 2.5 V)"), 0),
    OPTR_FIELD("TZEN", FLASH_OPTR_TZEN_SHIFT, 0, TZEN_MEANING, TZEN_RISK),
    ADDRESS_FIELDS,
    HDP_FIELDS,
    UNLOCK_FIELD("WRP1A_UNLOCK", L5_OB_WRP1AR),
    UNLOCK_FIELD("WRP1B_UNLOCK", L5_OB_WRP1BR),
    UNLOCK_FIELD("WRP2A_UNLOCK", L5_OB_WRP2AR),
    UNLOCK_FIELD("WRP2B_UNLOCK", L5_OB_WRP2BR),
};

/* WRPxyR: first page [6:0], last page [22:16] of the bank; off when the
 * first is above the last (RM0438 6.6.2) */
#define WRP_AREA(name_, bank_, reg)                                                                \
	{                                                                                          \
		.name = name_, .type = GLINT_PROTECT_WRP, .encoding = GLINT_AREA_RANGE,            \
		.bank = bank_, .start_reg = reg, .start_shift = 0, .start_width = 7,               \
		.end_reg = reg, .end_shift = 16, .end_width = 7                                    \
	}

#define SECWM_CONSEQUENCE                                                                          \
	N_("Those pages become secure while TZEN = 1: only secure code reaches them; a debugger "  \
	   "on "                                                                                   \
	   "the non-secure side (and Glint) can no longer read, erase or program them")
#define SECWM1_WAY_OUT                                                                             \
	N_("Program them from the secure firmware, or give them to the non-secure side by moving " \
	   "the watermark (glint-cli options set SECWM1=...) while RDP is level 0; at level 0 "    \
	   "a debugger reads them at the secure alias, 0x04000000 higher (0x0C000000...)")
#define SECWM2_WAY_OUT                                                                             \
	N_("Program them from the secure firmware, or give them to the non-secure side by moving " \
	   "the watermark (glint-cli options set SECWM2=...) while RDP is level 0; at level 0 "    \
	   "a debugger reads them at the secure alias, 0x04000000 higher (0x0C000000...)")
/* SECWMxR1: the secure pages of bank x, while TZEN = 1 (RM0438 6.5.1) */
#define SECWM_AREA(name_, bank_, reg, way_out_)                                                    \
	{                                                                                          \
		.name = name_, .type = GLINT_PROTECT_SECURE, .encoding = GLINT_AREA_RANGE,         \
		.bank = bank_, .start_reg = reg, .start_shift = 0, .start_width = 7,               \
		.end_reg = reg, .end_shift = 16, .end_width = 7,                                   \
		.risk = GLINT_OPTION_RISK_LOCKOUT, .consequence = SECWM_CONSEQUENCE,               \
		.when_field = "TZEN", .when_value = 1,                                             \
		.when_text = N_("TrustZone is on (TZEN = 1)"), .way_out = way_out_                 \
	}
/* The hide-protected area starts at the secure area's first page and ends
 * at HDPx_PEND; HDPxEN switches it on (RM0438 6.6.3) */
#define HDP_AREA(name_, bank_, r1, r2, enable_, consequence_)                                      \
	{                                                                                          \
		.name = name_, .type = GLINT_PROTECT_SECURE, .encoding = GLINT_AREA_RANGE,         \
		.bank = bank_, .start_reg = r1, .start_shift = 0, .start_width = 7, .end_reg = r2, \
		.end_shift = 16, .end_width = 7, .flags = GLINT_AREA_WHEN_OWNED,                   \
		.risk = GLINT_OPTION_RISK_LOCKOUT, .consequence = consequence_,                    \
		.when_field = enable_, .when_value = 1,                                            \
		.way_out =                                                                         \
		    N_("The secure firmware hides it at every boot; only an RDP regression "       \
		       "that turns TrustZone off removes it")                                      \
	}

static const GlintProtectionArea l5_areas[] = {
    WRP_AREA("WRP1A", 0, L5_OB_WRP1AR),
    WRP_AREA("WRP1B", 0, L5_OB_WRP1BR),
    WRP_AREA("WRP2A", 1, L5_OB_WRP2AR),
    WRP_AREA("WRP2B", 1, L5_OB_WRP2BR),
    SECWM_AREA("SECWM1", 0, L5_OB_SECWM1R1, SECWM1_WAY_OUT),
    SECWM_AREA("SECWM2", 1, L5_OB_SECWM2R1, SECWM2_WAY_OUT),
    HDP_AREA("HDP1", 0, L5_OB_SECWM1R1, L5_OB_SECWM1R2, "HDP1EN",
	     N_("Once the secure firmware sets HDP1_ACCDIS at boot, those pages read as zeros and "
		"cannot be erased or programmed by anyone until the next reset")),
    HDP_AREA("HDP2", 1, L5_OB_SECWM2R1, L5_OB_SECWM2R2, "HDP2EN",
	     N_("Once the secure firmware sets HDP2_ACCDIS at boot, those pages read as zeros and "
		"cannot be erased or programmed by anyone until the next reset")),
};

/* Helpers ------------------------------------------------------------------------- */

gboolean
glint_l5_tzen(const GlintOptionBytes *ob)
{
	return (ob->regs[L5_OB_OPTR] & FLASH_OPTR_TZEN) != 0;
}

static const GlintL5Chip *
ctx_chip(const GlintOptionContext *ctx)
{
	const GlintChip *chip = ctx->chip;
	return chip != NULL ? chip->data : NULL;
}

static const char *
ctx_rm(const GlintOptionContext *ctx)
{
	return ctx_chip(ctx) != NULL ? ctx_chip(ctx)->rm : "RM0438";
}

static gboolean
field_changed(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, const char *name)
{
	guint32 a = 0, b = 0;
	if (!glint_option_bytes_get_named(old, name, &a) ||
	    !glint_option_bytes_get_named(new_ob, name, &b))
		return FALSE;
	return a != b;
}

static guint32
named(const GlintOptionBytes *ob, const char *name)
{
	guint32 v = 0;
	glint_option_bytes_get_named(ob, name, &v);
	return v;
}

static gboolean
area_changed(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	     const GlintOptionBytes *new_ob, const GlintProtectionArea *area)
{
	const GlintProtectionArea *a = glint_option_layout_find_area(ctx->layout, area->name);
	guint32 mask_s = ((1u << a->start_width) - 1) << a->start_shift;
	guint32 mask_e = ((1u << a->end_width) - 1) << a->end_shift;
	gboolean gate_changed = (a->flags & GLINT_AREA_WHEN_OWNED) &&
				named(old, a->when_field) != named(new_ob, a->when_field);
	return ((old->regs[a->start_reg] ^ new_ob->regs[a->start_reg]) & mask_s) ||
	       ((old->regs[a->end_reg] ^ new_ob->regs[a->end_reg]) & mask_e) || gate_changed;
}

/* Rules the chip enforces at OPTSTRT (it refuses with OPTWERR) ----------------- */

static gboolean
check_tzen(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GError **error)
{
	const GlintL5Chip *data = ctx_chip(ctx);
	GlintRdpRank from = glint_option_bytes_rdp_rank(old);
	GlintRdpRank to = glint_option_bytes_rdp_rank(new_ob);
	gboolean half_ok = data == NULL || data->half_regresses_to_0;

	if (!glint_l5_tzen(old) && glint_l5_tzen(new_ob) && from != GLINT_RDP_LEVEL_0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("TZEN can be set only while RDP is level 0 (%s 6.4.3); the chip is "
			      "at level %s. Nothing was changed"),
			    ctx_rm(ctx), glint_rdp_rank_name(from));
		return FALSE;
	}
	if (glint_l5_tzen(old) && !glint_l5_tzen(new_ob) &&
	    !(to == GLINT_RDP_LEVEL_0 &&
	      (from == GLINT_RDP_LEVEL_1 || (from == GLINT_RDP_LEVEL_0_5 && half_ok)))) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("TZEN can be cleared only together with an RDP regression to level "
		      "0 (from level 1%s), which erases the whole flash (%s 6.4.3, AN5347). "
		      "Set RDP=1 first, then RDP=0 TZEN=0 in one write. Nothing was "
		      "changed"),
		    half_ok ? _(" or 0.5") : "", ctx_rm(ctx));
		return FALSE;
	}
	if (from == GLINT_RDP_LEVEL_0_5 && to == GLINT_RDP_LEVEL_0 && !half_ok) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("This chip has no regression from RDP level 0.5 to 0 (AN5347): go to "
			      "level 1 first (RDP=1), then to 0, which erases the whole flash. "
			      "Nothing was changed"));
		return FALSE;
	}
	return TRUE;
}

/* The secure option bytes mean something only with TrustZone on */
static gboolean
check_secure_options(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		     const GlintOptionBytes *new_ob, GError **error)
{
	static const char *const fields[] = {"SECBOOTADD0", "BOOT_LOCK"};
	static const char *const areas[] = {"SECWM1", "SECWM2", "HDP1", "HDP2"};
	const char *what = NULL;

	/* a regression that turns TrustZone off puts them back itself */
	if (glint_l5_tzen(new_ob) || glint_l5_tzen(old))
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(fields) && what == NULL; i++) {
		if (field_changed(old, new_ob, fields[i]))
			what = fields[i];
	}
	for (guint i = 0; i < G_N_ELEMENTS(areas) && what == NULL; i++) {
		if (area_changed(ctx, old, new_ob,
				 glint_option_layout_find_area(ctx->layout, areas[i])))
			what = areas[i];
	}
	if (what == NULL)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%s belongs to TrustZone and takes effect only with TZEN = 1 (%s 6.4.1); "
		      "set TZEN=1 in the same write, knowing what it does. Nothing was changed"),
		    what, ctx_rm(ctx));
	return FALSE;
}

static gboolean
check_boot_lock(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		const GlintOptionBytes *new_ob, GError **error)
{
	const GlintL5Chip *data = ctx_chip(ctx);
	gboolean locked = named(old, "BOOT_LOCK") != 0;

	if (!locked)
		return TRUE;
	if (field_changed(old, new_ob, "SECBOOTADD0") && glint_l5_tzen(new_ob)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("SECBOOTADD0 cannot change while BOOT_LOCK is set (%s 6.4.2). "
			      "Nothing was changed"),
			    ctx_rm(ctx));
		return FALSE;
	}
	if (named(new_ob, "BOOT_LOCK") != 0 || !glint_l5_tzen(new_ob))
		return TRUE;
	if (data != NULL && data->boot_lock_permanent) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("BOOT_LOCK can never be cleared on this chip once set (AN5347). "
			      "Nothing was changed"));
		return FALSE;
	}
	if (glint_option_bytes_rdp_rank(old) != GLINT_RDP_LEVEL_0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("BOOT_LOCK can be cleared only while RDP is level 0 (%s 7.9.14); the "
			      "chip is at level %s. Nothing was changed"),
			    ctx_rm(ctx), glint_rdp_rank_name(glint_option_bytes_rdp_rank(old)));
		return FALSE;
	}
	return TRUE;
}

/* U5: an area whose UNLOCK is 0 stays as it is for ever (RM0456 7.9.17) */
static gboolean
check_wrp_unlock(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		 const GlintOptionBytes *new_ob, GError **error)
{
	static const char *const areas[] = {"WRP1A", "WRP1B", "WRP2A", "WRP2B"};
	const GlintL5Chip *data = ctx_chip(ctx);

	if (data != NULL && !data->wrp_unlock)
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(areas); i++) {
		const GlintProtectionArea *area =
		    glint_option_layout_find_area(ctx->layout, areas[i]);
		gboolean was_locked = !(old->regs[area->start_reg] & FLASH_WRPR_UNLOCK);
		gboolean still_locked = !(new_ob->regs[area->start_reg] & FLASH_WRPR_UNLOCK);
		if (!was_locked || (still_locked && !area_changed(ctx, old, new_ob, area)))
			continue;
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%s is locked (%s_UNLOCK = 0, RM0456 7.9.17): the chip keeps it as it "
		      "is for ever, pages and all. Nothing was changed"),
		    areas[i], areas[i]);
		return FALSE;
	}
	return TRUE;
}

/* The hide-protected area is the start of the secure area (RM0438 6.6.3) */
static gboolean
check_hdp(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob, GError **error)
{
	for (guint b = 0; b < 2; b++) {
		guint r2 = b == 0 ? L5_OB_SECWM1R2 : L5_OB_SECWM2R2;
		guint r1 = b == 0 ? L5_OB_SECWM1R1 : L5_OB_SECWM2R1;
		guint32 hdp_end = (new_ob->regs[r2] >> 16) & 0x7F;
		guint32 sec_start = new_ob->regs[r1] & 0x7F;
		guint32 sec_end = (new_ob->regs[r1] >> 16) & 0x7F;
		if (!(new_ob->regs[r2] & FLASH_SECWMR2_HDPEN))
			continue;
		if (sec_start <= sec_end && hdp_end <= sec_end && hdp_end >= sec_start)
			continue;
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("HDP%u must lie inside SECWM%u: it starts at the secure area's first "
		      "page and ends at or before its last (%s 6.6.3). Nothing was changed"),
		    b + 1, b + 1, ctx_rm(ctx));
		return FALSE;
	}
	return TRUE;
}

static gboolean
check_bank_bits(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		const GlintOptionBytes *new_ob, GError **error)
{
	const GlintChip *chip = ctx->chip;
	const GlintL5Chip *data = ctx_chip(ctx);
	guint32 kb = ctx->geometry->size / 1024;

	if (chip == NULL || kb != chip->flash_kb_max || !data->max_always_dual ||
	    !((old->regs[L5_OB_OPTR] ^ new_ob->regs[L5_OB_OPTR]) & FLASH_OPTR_DUALBANK))
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("DUALBANK has no effect on this %u KB %s: the largest part is always two "
		      "banks (%s 7.3.1). Nothing was changed"),
		    kb, ctx->chip_name, ctx_rm(ctx));
	return FALSE;
}

static gboolean
l5_check(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	return check_tzen(ctx, old, new_ob, error) &&
	       check_secure_options(ctx, old, new_ob, error) &&
	       check_boot_lock(ctx, old, new_ob, error) &&
	       check_wrp_unlock(ctx, old, new_ob, error) && check_hdp(ctx, new_ob, error) &&
	       check_bank_bits(ctx, old, new_ob, error);
}

/* What changes really do --------------------------------------------------------- */

static void
replace(GlintOptionChange *change, gchar *consequence)
{
	g_free(change->consequence);
	change->consequence = consequence;
}

/* "SECWM1 pages 0-15, SECWM2 off": what would be secure with TZEN = 1 */
static gchar *
describe_secure(const GlintOptionContext *ctx, const GlintOptionBytes *ob)
{
	GString *s = g_string_new(NULL);
	GlintOptionBytes on = *ob;
	on.regs[L5_OB_OPTR] |= FLASH_OPTR_TZEN;
	for (guint i = 0; i < ctx->layout->n_areas; i++) {
		const GlintProtectionArea *a = &ctx->layout->areas[i];
		g_autofree gchar *covers = NULL;
		if (a->type != GLINT_PROTECT_SECURE || (a->flags & GLINT_AREA_WHEN_OWNED) ||
		    glint_geometry_bank_of_physical(ctx->geometry, a->bank) < 0)
			continue;
		covers = glint_option_bytes_describe_area(&on, a, ctx->geometry);
		g_string_append_printf(s, "%s%s %s", s->len > 0 ? ", " : "", a->name, covers);
	}
	return g_string_free(s, FALSE);
}

static void
explain_tzen(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
	     GlintOptionChange *change)
{
	g_autofree gchar *secure = NULL;
	if (!glint_l5_tzen(new_ob)) {
		replace(
		    change,
		    g_strdup(_("TrustZone off, together with the RDP regression: the chip erases "
			       "its whole flash and puts the secure option bytes (watermarks, "
			       "HDP, SECBOOTADD0) back as shipped")));
		change->risk = GLINT_OPTION_RISK_MASS_ERASE;
		return;
	}
	secure = describe_secure(ctx, new_ob);
	replace(change,
		g_strdup_printf(
		    _("TrustZone on: the chip then boots secure code from SECBOOTADD0 "
		      "and these pages become secure: %s. Glint (on the non-secure side) "
		      "can no longer erase, program or read them through 0x08000000, and "
		      "it programs the rest without its loader. Turning TrustZone off again "
		      "takes an RDP regression that erases the whole flash"),
		    secure));
}

static void
explain_rdp(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	    const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	GlintRdpRank from = glint_option_bytes_rdp_rank(old);
	GlintRdpRank to = glint_option_bytes_rdp_rank(new_ob);

	if (!glint_l5_tzen(old))
		return;
	if (to == GLINT_RDP_LEVEL_0 && from != GLINT_RDP_LEVEL_0) {
		/* AN5347 (RDP): 1 -> 0 erases the whole embedded flash; OTP stays */
		replace(change,
			g_strdup_printf(
			    _("With TrustZone on, going back to level 0 makes the chip erase "
			      "its whole flash, secure and non-secure pages alike, with SRAM2 "
			      "and the backup registers; the OTP area stays%s"),
			    glint_l5_tzen(new_ob) ? "" : _(", and TrustZone goes off")));
	} else if (to == GLINT_RDP_LEVEL_0_5 && from == GLINT_RDP_LEVEL_1) {
		/* AN5347: only the non-secure embedded flash is erased */
		replace(change,
			g_strdup(_("Going back to level 0.5 makes the chip erase its "
				   "non-secure pages only: the secure firmware (secure boot, "
				   "secure update) stays; the OTP area stays")));
	} else if (to == GLINT_RDP_LEVEL_1 && from < GLINT_RDP_LEVEL_1) {
		/* AN5347 7.1: connecting needs the CPU in non-secure state */
		replace(change,
			g_strdup(
			    _("Level 1 with TrustZone on: a debugger connects only while the CPU "
			      "runs non-secure code. If the secure firmware never hands over to "
			      "non-secure code, the chip stays out of reach but through the "
			      "system bootloader (BOOT0 pin, or nBOOT0 with nSWBOOT0 = 0); undoing "
			      "level 1 erases the flash")));
		change->risk |= GLINT_OPTION_RISK_LOCKOUT;
	}
}

static void
explain_boot_lock(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
		  GlintOptionChange *change)
{
	const GlintL5Chip *data = ctx_chip(ctx);
	guint32 addr = named(new_ob, "SECBOOTADD0") << 7;

	if (named(new_ob, "BOOT_LOCK") == 0) {
		replace(change, g_strdup(_("The boot follows BOOT0 and the boot addresses again")));
		change->risk = GLINT_OPTION_RISK_BOOT;
		return;
	}
	replace(change,
		g_strdup_printf(
		    _("The chip will always boot from SECBOOTADD0 = 0x%08X, whatever BOOT0 "
		      "and nSWBOOT0 say, and SECBOOTADD0 can no longer change; %s"),
		    addr,
		    data != NULL && data->boot_lock_permanent
			? _("BOOT_LOCK can never be cleared again on this chip")
			: _("BOOT_LOCK can be cleared only at RDP level 0: with RDP raised, "
			    "it stays for good")));
}

static void
explain_dual(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
	     GlintOptionChange *change)
{
	gboolean dual = glint_option_bytes_get_field(new_ob, change->field) != 0;
	replace(change, g_strdup(dual ? _("Where this bit selects the bank mode, the flash becomes "
					  "two banks (pages of the dual-bank size); Glint "
					  "mass-erases the flash first")
				      : _("Where this bit selects the bank mode, the flash becomes "
					  "one bank; Glint mass-erases the flash first")));
}

/* Whether @area now covers no page it did not cover before (it goes, or
 * gives pages back to the non-secure side) */
static gboolean
secure_area_shrinks(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		    const GlintOptionBytes *new_ob, const GlintProtectionArea *area)
{
	g_autoptr(GArray) before = NULL;
	g_autoptr(GArray) after = NULL;
	if (!glint_option_bytes_area_active(new_ob, area))
		return TRUE;
	if (!glint_option_bytes_area_active(old, area))
		return FALSE;
	before = glint_option_bytes_get_area(old, area, ctx->geometry);
	after = glint_option_bytes_get_area(new_ob, area, ctx->geometry);
	/* range areas: one range each */
	return before->len == 1 && after->len == 1 &&
	       g_array_index(after, GlintRange, 0).first >=
		   g_array_index(before, GlintRange, 0).first &&
	       g_array_index(after, GlintRange, 0).last <=
		   g_array_index(before, GlintRange, 0).last;
}

static void
l5_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	const char *name = change->field != NULL ? change->field->name : NULL;

	if (change->field == NULL && change->area == NULL) {
		explain_rdp(ctx, old, new_ob, change);
	} else if (g_strcmp0(name, "TZEN") == 0) {
		explain_tzen(ctx, new_ob, change);
	} else if (g_strcmp0(name, "BOOT_LOCK") == 0) {
		explain_boot_lock(ctx, new_ob, change);
	} else if (g_strcmp0(name, "DBANK") == 0 || g_strcmp0(name, "DB256K") == 0 ||
		   g_strcmp0(name, "DUALBANK") == 0) {
		explain_dual(ctx, new_ob, change);
	} else if (name != NULL && g_str_has_suffix(name, "_UNLOCK") &&
		   glint_option_bytes_get_field(new_ob, change->field) != 0) {
		change->risk = GLINT_OPTION_RISK_NONE;
	} else if (change->area != NULL && change->area->type == GLINT_PROTECT_SECURE &&
		   secure_area_shrinks(ctx, old, new_ob, change->area)) {
		replace(change,
			g_strdup(_("Those pages leave the secure side: non-secure code and "
				   "the debugger reach them, with whatever secure code left "
				   "there")));
		change->risk = GLINT_OPTION_RISK_NONE;
	}
}

/* AN5347 (TrustZone deactivation): the regression that turns TZEN off
 * puts the secure option bytes back as shipped */
static void
l5_chip_effects(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		GlintOptionBytes *new_ob)
{
	static const guint secure_regs[] = {L5_OB_SECBOOTADD0R, L5_OB_SECWM1R1, L5_OB_SECWM1R2,
					    L5_OB_SECWM2R1, L5_OB_SECWM2R2};
	if (!glint_l5_tzen(old) || glint_l5_tzen(new_ob))
		return;
	for (guint i = 0; i < G_N_ELEMENTS(secure_regs); i++)
		new_ob->regs[secure_regs[i]] = ctx->layout->regs[secure_regs[i]].factory;
}

/* RM0438 6.9.11 / RM0456 7.9.12 FLASH_OPTR.RDP [7:0]: 0xAA level 0, 0xCC
 * level 2, 0x55 level 0.5 while TZEN = 1 */
#define L5_RDP_SPEC                                                                                \
	{                                                                                          \
		L5_OB_OPTR, 0, 0xAA, 0xCC, 0xBB, 0x55, L5_OB_OPTR, FLASH_OPTR_TZEN_SHIFT           \
	}

const GlintOptionLayout glint_l5_options = {
    .regs = l5_registers,
    .n_regs = L5_OB_N_REGS,
    .fields = l5_fields,
    .n_fields = G_N_ELEMENTS(l5_fields),
    .areas = l5_areas,
    .n_areas = G_N_ELEMENTS(l5_areas),
    .rdp = L5_RDP_SPEC,
    .check = l5_check,
    .explain = l5_explain,
    .chip_effects = l5_chip_effects,
};

const GlintOptionLayout glint_u5_options = {
    .regs = u5_registers,
    .n_regs = L5_OB_N_REGS,
    .fields = u5_fields,
    .n_fields = G_N_ELEMENTS(u5_fields),
    .areas = l5_areas,
    .n_areas = G_N_ELEMENTS(l5_areas),
    .rdp = L5_RDP_SPEC,
    .check = l5_check,
    .explain = l5_explain,
    .chip_effects = l5_chip_effects,
};
