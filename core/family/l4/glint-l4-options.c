/* glint-l4-options.c: the STM32L47x/L48x option bytes (RM0351 3.4 and
 * 3.7.8-3.7.15): FLASH_OPTR fields, WRP areas, PCROP areas, and the family's
 * rules about changing them. */
#define G_LOG_DOMAIN "glint-l4"

#include "glint-error.h"
#include "glint-i18n.h"
#include "glint-l4-regs.h"
#include "glint-l4.h"

#define FLASH_OPTR_FACTORY 0xFFEFF8AAu
#define FLASH_PCROPSR_FACTORY 0xFFFFFFFFu
#define FLASH_PCROPER_FACTORY 0xFFFF0000u
/* WRPxyR: STRT [7:0] > END [23:16] means "no area"; reserved bits read 1. */
#define FLASH_WRPR_FACTORY 0xFF00FFFFu

static const GlintOptionRegister l47x_registers[L4_OB_N_REGS] = {
    [L4_OB_OPTR] = {"FLASH_OPTR", "OPTR", FLASH_OPTR_FACTORY, 32, 0},
    [L4_OB_PCROP1SR] = {"FLASH_PCROP1SR", "PCROP1SR", FLASH_PCROPSR_FACTORY, 32, 0},
    [L4_OB_PCROP1ER] = {"FLASH_PCROP1ER", "PCROP1ER", FLASH_PCROPER_FACTORY, 32, 0},
    [L4_OB_WRP1AR] = {"FLASH_WRP1AR", "WRP1AR", FLASH_WRPR_FACTORY, 32, 0},
    [L4_OB_WRP1BR] = {"FLASH_WRP1BR", "WRP1BR", FLASH_WRPR_FACTORY, 32, 0},
    [L4_OB_PCROP2SR] = {"FLASH_PCROP2SR", "PCROP2SR", FLASH_PCROPSR_FACTORY, 32, 0},
    [L4_OB_PCROP2ER] = {"FLASH_PCROP2ER", "PCROP2ER", FLASH_PCROPER_FACTORY, 32, 0},
    [L4_OB_WRP2AR] = {"FLASH_WRP2AR", "WRP2AR", FLASH_WRPR_FACTORY, 32, 0},
    [L4_OB_WRP2BR] = {"FLASH_WRP2BR", "WRP2BR", FLASH_WRPR_FACTORY, 32, 0},
};

/* RM0351 3.4.1 (BOR_LEV) and DS10198 table 25 (rising-edge thresholds). */
static const GlintOptionChoice bor_levels[] = {
    {0, N_("1.7 V")}, {1, N_("2.0 V")}, {2, N_("2.2 V")},
    {3, N_("2.5 V")}, {4, N_("2.8 V")}, {0, NULL},
};

#define OPTR_FIELD(name, shift, width, factory, meaning, risk)                                     \
	{                                                                                          \
		name, L4_OB_OPTR, shift, width, factory, meaning, risk, 0, NULL, NULL, 0           \
	}

/* The FLASH_OPTR fields every RM0351/RM0394 part has */
#define L4_OPTR_FIELDS_LOW                                                                         \
	{"BOR_LEV", L4_OB_OPTR, 8,	    3,	  0, N_("Brown-out reset threshold (level 0-4)"),  \
	 0,	    4,		bor_levels, NULL, 0},                                              \
	    OPTR_FIELD("nRST_STOP", 12, 1, 1, N_("0: reset generated when entering Stop mode"),    \
		       0),                                                                         \
	    OPTR_FIELD("nRST_STDBY", 13, 1, 1,                                                     \
		       N_("0: reset generated when entering Standby mode"), 0),                    \
	    OPTR_FIELD("nRST_SHDW", 14, 1, 1,                                                      \
		       N_("0: reset generated when entering Shutdown mode"), 0),                   \
	    OPTR_FIELD("IWDG_SW", 16, 1, 1,                                                        \
		       N_("1: independent watchdog started by software, 0: by hardware"), 0),      \
	    OPTR_FIELD("IWDG_STOP", 17, 1, 1, N_("0: independent watchdog frozen in Stop mode"),   \
		       0),                                                                         \
	    OPTR_FIELD("IWDG_STDBY", 18, 1, 1,                                                     \
		       N_("0: independent watchdog frozen in Standby mode"), 0),                   \
	    OPTR_FIELD("WWDG_SW", 19, 1, 1,                                                        \
		       N_("1: window watchdog started by software, 0: by hardware"), 0)
#define L4_OPTR_FIELDS_HIGH                                                                        \
	OPTR_FIELD("nBOOT1", 23, 1, 1,                                                             \
		   N_("With BOOT0 high: 1 boots system memory, 0 boots SRAM1"),                    \
		   GLINT_OPTION_RISK_BOOT),                                                        \
	    OPTR_FIELD("SRAM2_PE", 24, 1, 1, N_("0: SRAM2 parity check enabled"), 0),              \
	    OPTR_FIELD("SRAM2_RST", 25, 1, 1, N_("0: SRAM2 erased on system reset"), 0),           \
	    OPTR_FIELD("nSWBOOT0", 26, 1, 1, N_("0: BOOT0 taken from nBOOT0 instead of the pin"),  \
		       GLINT_OPTION_RISK_BOOT),                                                    \
	    OPTR_FIELD("nBOOT0", 27, 1, 1, N_("BOOT0 value when nSWBOOT0 is 0"),                   \
		       GLINT_OPTION_RISK_BOOT),                                                    \
	{                                                                                          \
		"PCROP_RDP", L4_OB_PCROP1ER, 31, 1, 1,                                             \
		    N_("1: PCROP areas are erased by an RDP 1->0 regression; 0: they stay for "    \
		       "ever "                                                                     \
		       "(can "                                                                     \
		       "only be set)"),                                                            \
		    GLINT_OPTION_RISK_NONE, 0, NULL, NULL, 0                                       \
	}

static const GlintOptionField l47x_fields[] = {
    L4_OPTR_FIELDS_LOW,
    OPTR_FIELD("BFB2", 20, 1, 0,
	       N_("1: boot from bank 2 when it holds a valid image (via the system bootloader)"),
	       GLINT_OPTION_RISK_BOOT),
    OPTR_FIELD("DUALBANK", 21, 1, 1, N_("1: flash split in two banks (256/512 KB parts only)"),
	       GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    L4_OPTR_FIELDS_HIGH,
};

/* RM0394 3.7.8: bits 20-22 are reserved on the single-bank L43x/L45x/L41x */
static const GlintOptionField l43x_fields[] = {
    L4_OPTR_FIELDS_LOW,
    L4_OPTR_FIELDS_HIGH,
};

#define WRP_AREA(name, bank, reg)                                                                  \
	{                                                                                          \
		name, GLINT_PROTECT_WRP, GLINT_AREA_RANGE, bank, reg, 0, 8, reg, 16, 8, 0, 0, 0,   \
		    0, 0, FALSE, FALSE, 0, GLINT_OPTION_RISK_NONE, NULL                            \
	}

/* RM0351 3.6.2: PCROPxSR/ER hold double-word offsets from the bank's start;
 * the area can only grow; it goes with an RDP 1 -> 0 regression when
 * PCROP_RDP is set. */
#define PCROP_CONSEQUENCE                                                                          \
	N_("That range becomes execute-only: a debugger and other code can no longer read, erase " \
	   "or "                                                                                   \
	   "program it")
#define PCROP_AREA(name, bank, sr, er)                                                             \
	{                                                                                          \
		name, GLINT_PROTECT_PCROP, GLINT_AREA_RANGE, bank, sr, 0, 16, er, 0, 16, 8, 0, 0,  \
		    0, 0, FALSE, FALSE, GLINT_AREA_GROW_ONLY, GLINT_OPTION_RISK_LOCKOUT,           \
		    PCROP_CONSEQUENCE                                                              \
	}

static const GlintProtectionArea l47x_areas[] = {
    WRP_AREA("WRP1A", 0, L4_OB_WRP1AR),
    WRP_AREA("WRP1B", 0, L4_OB_WRP1BR),
    WRP_AREA("WRP2A", 1, L4_OB_WRP2AR),
    WRP_AREA("WRP2B", 1, L4_OB_WRP2BR),
    PCROP_AREA("PCROP1", 0, L4_OB_PCROP1SR, L4_OB_PCROP1ER),
    PCROP_AREA("PCROP2", 1, L4_OB_PCROP2SR, L4_OB_PCROP2ER),
};

static gboolean
optr_bit(const GlintOptionBytes *ob, guint32 bit)
{
	return (ob->regs[L4_OB_OPTR] & bit) != 0;
}

static gboolean
pcrop_rdp_check(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, GError **error)
{
	/* RM0351 3.7.10: PCROP_RDP is set only; an RDP regression clears it. */
	if ((old->regs[L4_OB_PCROP1ER] & FLASH_PCROP1ER_PCROP_RDP) &&
	    !(new_ob->regs[L4_OB_PCROP1ER] & FLASH_PCROP1ER_PCROP_RDP) &&
	    !(glint_option_bytes_rdp_level(old) == 1 &&
	      glint_option_bytes_rdp_level(new_ob) == 0)) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("PCROP_RDP can only be set: the chip keeps it at 1 until an RDP "
		      "1 -> 0 regression erases the flash (RM0351 3.7.10). Nothing was "
		      "changed"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
l47x_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GError **error)
{
	if (optr_bit(old, FLASH_OPTR_DUALBANK) != optr_bit(new_ob, FLASH_OPTR_DUALBANK) &&
	    !ctx->geometry->bank_mode_configurable) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("DUALBANK has no effect on this %u KB %s: the largest part is always "
			      "dual bank (RM0351 3.2). Nothing was changed"),
			    ctx->geometry->size / 1024, ctx->chip_name);
		return FALSE;
	}
	return pcrop_rdp_check(old, new_ob, error);
}

static gboolean
l43x_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GError **error)
{
	return pcrop_rdp_check(old, new_ob, error);
}

static void
explain_pcrop(const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (!glint_option_bytes_area_active(new_ob, change->area))
		return;
	if (new_ob->regs[L4_OB_PCROP1ER] & FLASH_PCROP1ER_PCROP_RDP) {
		g_free(change->consequence);
		change->consequence = g_strdup_printf(
		    /* TRANSLATORS: %s is "That range becomes execute-only: ..." */
		    _("%s. It goes away only through an RDP level 1 -> 0 regression, which erases "
		      "the whole flash (PCROP_RDP = 1)"),
		    glint_tr(PCROP_CONSEQUENCE));
		return;
	}
	g_free(change->consequence);
	change->consequence = g_strdup_printf(
	    _("%s, for ever: with PCROP_RDP = 0 not even an RDP regression removes it"),
	    glint_tr(PCROP_CONSEQUENCE));
	change->risk |= GLINT_OPTION_RISK_PERMANENT;
}

static void
explain_bfb2(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
	     GlintOptionChange *change)
{
	g_free(change->consequence);
	if (!optr_bit(new_ob, FLASH_OPTR_BFB2)) {
		change->consequence = g_strdup(_("The chip will boot from bank 1 directly"));
		change->risk &= ~GLINT_OPTION_RISK_BOOT;
		return;
	}
	if (ctx->geometry->n_banks < 2 && !optr_bit(new_ob, FLASH_OPTR_DUALBANK)) {
		change->consequence = g_strdup(_("No effect while the flash is a single bank: the "
						 "chip boots the flash directly"));
		return;
	}
	if (!ctx->bank2_empty) {
		/* AN2606: the bootloader sets FB_MODE and starts bank 2 */
		change->consequence =
		    g_strdup(_("The chip will boot from bank 2: at reset the system bootloader "
			       "maps bank 2 at 0x08000000 (FB_MODE) and starts it; bank 1 then "
			       "answers at the upper half of the flash"));
		change->risk &= ~GLINT_OPTION_RISK_BOOT;
		return;
	}
	/* AN2606 (STM32L47x/L48x dual-bank boot): bank 2 without a valid
	 * stack pointer makes the bootloader try bank 1, then itself. */
	change->consequence = g_strdup(_(
	    "Bank 2 holds no valid image: at reset the system bootloader checks bank 2, finds "
	    "nothing and jumps to bank 1 instead (AN2606), so the firmware of bank 1 runs; if bank "
	    "1 is empty too the chip stays in the bootloader"));
}

static void
l47x_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	     const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (change->area != NULL && change->area->type == GLINT_PROTECT_PCROP) {
		explain_pcrop(new_ob, change);
	} else if (change->field != NULL && g_strcmp0(change->field->name, "BFB2") == 0) {
		explain_bfb2(ctx, new_ob, change);
	} else if (change->field != NULL && g_strcmp0(change->field->name, "DUALBANK") == 0) {
		g_free(change->consequence);
		change->consequence = g_strdup(
		    optr_bit(new_ob, FLASH_OPTR_DUALBANK)
			? _("The flash becomes two banks: addresses of pages change; Glint "
			    "mass-erases the flash first")
			: _("The flash becomes one bank: bank 2 disappears; Glint "
			    "mass-erases the flash first"));
	}
}

const GlintOptionLayout glint_l47x_options = {
    .regs = l47x_registers,
    .n_regs = L4_OB_N_REGS,
    .fields = l47x_fields,
    .n_fields = G_N_ELEMENTS(l47x_fields),
    .areas = l47x_areas,
    .n_areas = G_N_ELEMENTS(l47x_areas),
    /* RM0351 3.7.8 FLASH_OPTR.RDP [7:0]: 0xAA level 0, 0xCC level 2. */
    .rdp = {L4_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = l47x_check,
    .explain = l47x_explain,
};

static void
l43x_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	     const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (change->area != NULL && change->area->type == GLINT_PROTECT_PCROP)
		explain_pcrop(new_ob, change);
}

/* RM0394 3.4.1: one option area: OPTR, PCROP1SR/ER, WRP1AR/BR */
#define L43X_N_REGS (L4_OB_WRP1BR + 1)

static const GlintProtectionArea l43x_areas[] = {
    WRP_AREA("WRP1A", 0, L4_OB_WRP1AR),
    WRP_AREA("WRP1B", 0, L4_OB_WRP1BR),
    PCROP_AREA("PCROP1", 0, L4_OB_PCROP1SR, L4_OB_PCROP1ER),
};

const GlintOptionLayout glint_l43x_options = {
    .regs = l47x_registers,
    .n_regs = L43X_N_REGS,
    .fields = l43x_fields,
    .n_fields = G_N_ELEMENTS(l43x_fields),
    .areas = l43x_areas,
    .n_areas = G_N_ELEMENTS(l43x_areas),
    /* RM0394 3.7.8 FLASH_OPTR.RDP [7:0]: 0xAA level 0, 0xCC level 2. */
    .rdp = {L4_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = l43x_check,
    .explain = l43x_explain,
};

/* STM32L4R/L4S, L4P/L4Q (RM0432 3.4.1): the L47x's registers; DBANK (the
 * largest parts) and DB1M/DB512K (the others) choose two banks of 4 KB pages
 * instead of one bank of 8 KB pages; PCROP offsets have 17 bits */
#define FLASH_OPTR_DB1M (1u << 21)

static const GlintOptionField l4p_fields[] = {
    L4_OPTR_FIELDS_LOW,
    OPTR_FIELD("BFB2", 20, 1, 0,
	       N_("1: boot from bank 2 when it holds a valid image (via the system bootloader)"),
	       GLINT_OPTION_RISK_BOOT),
    OPTR_FIELD(
	"DB1M", 21, 1, 1,
	N_("1: a 1 MB (L4R/L4S) or 512 KB (L4P/L4Q, DB512K) part is two banks of 4 KB pages"),
	GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    OPTR_FIELD("DBANK", 22, 1, 1,
	       N_("1: the largest part is two banks of 4 KB pages, 0: one bank of 8 KB pages"),
	       GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    L4_OPTR_FIELDS_HIGH,
};

#define L4P_PCROP_AREA(name, bank, sr, er)                                                         \
	{                                                                                          \
		name, GLINT_PROTECT_PCROP, GLINT_AREA_RANGE, bank, sr, 0, 17, er, 0, 17, 8, 0, 0,  \
		    0, 0, FALSE, FALSE, GLINT_AREA_GROW_ONLY, GLINT_OPTION_RISK_LOCKOUT,           \
		    PCROP_CONSEQUENCE                                                              \
	}

static const GlintProtectionArea l4p_areas[] = {
    WRP_AREA("WRP1A", 0, L4_OB_WRP1AR),
    WRP_AREA("WRP1B", 0, L4_OB_WRP1BR),
    WRP_AREA("WRP2A", 1, L4_OB_WRP2AR),
    WRP_AREA("WRP2B", 1, L4_OB_WRP2BR),
    L4P_PCROP_AREA("PCROP1", 0, L4_OB_PCROP1SR, L4_OB_PCROP1ER),
    L4P_PCROP_AREA("PCROP2", 1, L4_OB_PCROP2SR, L4_OB_PCROP2ER),
};

static gboolean
l4p_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	  const GlintOptionBytes *new_ob, GError **error)
{
	/* One bank of 8 KB pages: the four WRP areas cover the whole flash and
	 * PCROP counts 16-byte granules (RM0432 3.5); Glint edits them in
	 * dual-bank mode only rather than misplace a range */
	if (ctx->geometry->n_banks < 2) {
		for (guint i = 0; i < ctx->layout->n_areas; i++) {
			const GlintProtectionArea *a = &ctx->layout->areas[i];
			if (old->regs[a->start_reg] != new_ob->regs[a->start_reg] ||
			    old->regs[a->end_reg] != new_ob->regs[a->end_reg]) {
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
					    _("%s in single-bank mode (8 KB pages) counts in units "
					      "Glint does not edit yet (RM0432 3.5), its registers "
					      "included. Set DBANK=1 first. Nothing was changed"),
					    a->name);
				return FALSE;
			}
		}
	}
	return pcrop_rdp_check(old, new_ob, error);
}

static void
l4p_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	    const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (change->area != NULL && change->area->type == GLINT_PROTECT_PCROP) {
		explain_pcrop(new_ob, change);
	} else if (change->field != NULL && g_strcmp0(change->field->name, "BFB2") == 0) {
		explain_bfb2(ctx, new_ob, change);
	} else if (change->field != NULL && (g_strcmp0(change->field->name, "DBANK") == 0 ||
					     g_strcmp0(change->field->name, "DB1M") == 0)) {
		gboolean dual = glint_option_bytes_get_field(new_ob, change->field) != 0;
		g_free(change->consequence);
		change->consequence = g_strdup(
		    dual ? _("Where this bit selects the bank mode (DBANK on the largest "
			     "part, DB1M on the others), the flash becomes two banks of 4 KB "
			     "pages; Glint mass-erases the flash first")
			 : _("Where this bit selects the bank mode, the flash becomes one bank "
			     "of 8 KB pages; Glint mass-erases the flash first"));
	}
}

const GlintOptionLayout glint_l4p_options = {
    .regs = l47x_registers,
    .n_regs = L4_OB_N_REGS,
    .fields = l4p_fields,
    .n_fields = G_N_ELEMENTS(l4p_fields),
    .areas = l4p_areas,
    .n_areas = G_N_ELEMENTS(l4p_areas),
    /* RM0432 3.7.8 FLASH_OPTR.RDP [7:0] */
    .rdp = {L4_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = l4p_check,
    .explain = l4p_explain,
};
