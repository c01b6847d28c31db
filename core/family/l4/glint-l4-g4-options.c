/* glint-l4-g4-options.c: the STM32G4 option bytes (RM0440 3.4.1 for the
 * category 3 devices G47x/G48x, 4.4.1 and 5.4.1 for the single-bank
 * categories 4 and 2): FLASH_OPTR with DBANK or PB4_PUPEN and NRST_MODE,
 * WRP and PCROP areas per bank, the securable areas and BOOT_LOCK. */
#define G_LOG_DOMAIN "glint-l4"

#include "glint-error.h"
#include "glint-i18n.h"
#include "glint-l4-regs.h"
#include "glint-l4.h"

/* RM0440 3.4.1: ST production values */
#define G4_OPTR_FACTORY 0xFFEFF8AAu
#define G4_PCROPSR_FACTORY 0xFFFFFFFFu
#define G4_PCROPER_FACTORY 0x00FF0000u
#define G4_WRPR_FACTORY 0xFF00FFFFu
#define G4_SECR_FACTORY 0xFF00FF00u

/* Registers: the dual-bank layout of the G47x, then the single-bank one */
enum {
	G4_OB_SEC1R = L4_OB_N_REGS, /* after the nine RM0351-like ones */
	G4_OB_SEC2R,
	G4_DUAL_N_REGS,
};
enum {
	G4S_OB_SEC1R = L4_OB_WRP1BR + 1,
	G4S_N_REGS,
};

/* FLASH register offsets in layout order (RM0440 3.7.17) */
const guint32 glint_g4_dual_option_offsets[G4_DUAL_N_REGS] = {
    0x20, 0x24, 0x28, 0x2C, 0x30, 0x44, 0x48, 0x4C, 0x50, 0x70, 0x74,
};
const guint32 glint_g4_single_option_offsets[G4S_N_REGS] = {
    0x20, 0x24, 0x28, 0x2C, 0x30, 0x70,
};

static const GlintOptionRegister g4_dual_registers[G4_DUAL_N_REGS] = {
    [L4_OB_OPTR] = {"FLASH_OPTR", "OPTR", G4_OPTR_FACTORY, 32, 0},
    [L4_OB_PCROP1SR] = {"FLASH_PCROP1SR", "PCROP1SR", G4_PCROPSR_FACTORY, 32, 0},
    [L4_OB_PCROP1ER] = {"FLASH_PCROP1ER", "PCROP1ER", G4_PCROPER_FACTORY, 32, 0},
    [L4_OB_WRP1AR] = {"FLASH_WRP1AR", "WRP1AR", G4_WRPR_FACTORY, 32, 0},
    [L4_OB_WRP1BR] = {"FLASH_WRP1BR", "WRP1BR", G4_WRPR_FACTORY, 32, 0},
    [L4_OB_PCROP2SR] = {"FLASH_PCROP2SR", "PCROP2SR", G4_PCROPSR_FACTORY, 32, 0},
    [L4_OB_PCROP2ER] = {"FLASH_PCROP2ER", "PCROP2ER", G4_PCROPER_FACTORY, 32, 0},
    [L4_OB_WRP2AR] = {"FLASH_WRP2AR", "WRP2AR", G4_WRPR_FACTORY, 32, 0},
    [L4_OB_WRP2BR] = {"FLASH_WRP2BR", "WRP2BR", G4_WRPR_FACTORY, 32, 0},
    [G4_OB_SEC1R] = {"FLASH_SEC1R", "SEC1R", G4_SECR_FACTORY, 32, 0},
    [G4_OB_SEC2R] = {"FLASH_SEC2R", "SEC2R", G4_SECR_FACTORY, 32, 0},
};

static const GlintOptionRegister g4_single_registers[G4S_N_REGS] = {
    [L4_OB_OPTR] = {"FLASH_OPTR", "OPTR", G4_OPTR_FACTORY, 32, 0},
    [L4_OB_PCROP1SR] = {"FLASH_PCROP1SR", "PCROP1SR", G4_PCROPSR_FACTORY, 32, 0},
    [L4_OB_PCROP1ER] = {"FLASH_PCROP1ER", "PCROP1ER", G4_PCROPER_FACTORY, 32, 0},
    [L4_OB_WRP1AR] = {"FLASH_WRP1AR", "WRP1AR", G4_WRPR_FACTORY, 32, 0},
    [L4_OB_WRP1BR] = {"FLASH_WRP1BR", "WRP1BR", G4_WRPR_FACTORY, 32, 0},
    [G4S_OB_SEC1R] = {"FLASH_SEC1R", "SEC1R", G4_SECR_FACTORY, 32, 0},
};

static const GlintOptionChoice g4_bor_levels[] = {
    {0, N_("1.7 V")}, {1, N_("2.0 V")}, {2, N_("2.2 V")},
    {3, N_("2.5 V")}, {4, N_("2.8 V")}, {0, NULL},
};

/* RM0440 3.4.1 NRST_MODE: what the PG10 pad is */
static const GlintOptionChoice g4_nrst_modes[] = {
    {1, N_("reset input only")},
    {2, N_("GPIO (no reset pin)")},
    {3, N_("reset input/output")},
    {0, NULL},
};

#define G4_NRST_GPIO 2u

#define G4_FIELD(name, reg, shift, width, factory, meaning, risk)                                  \
	{                                                                                          \
		name, reg, shift, width, factory, meaning, risk, 0, NULL, NULL, 0                  \
	}
#define G4_OPTR(name, shift, factory, meaning, risk)                                               \
	G4_FIELD(name, L4_OB_OPTR, shift, 1, factory, meaning, risk)

#define G4_OPTR_FIELDS_LOW                                                                         \
	{"BOR_LEV", L4_OB_OPTR,	   8,	 3, 0, N_("Brown-out reset threshold (level 0-4)"), 0,     \
	 4,	    g4_bor_levels, NULL, 0},                                                       \
	    G4_OPTR("nRST_STOP", 12, 1, N_("0: reset generated when entering Stop mode"), 0),      \
	    G4_OPTR("nRST_STDBY", 13, 1, N_("0: reset generated when entering Standby mode"), 0),  \
	    G4_OPTR("nRST_SHDW", 14, 1, N_("0: reset generated when entering Shutdown mode"), 0),  \
	    G4_OPTR("IWDG_SW", 16, 1, N_("1: independent watchdog started by software"), 0),       \
	    G4_OPTR("IWDG_STOP", 17, 1, N_("0: independent watchdog frozen in Stop mode"), 0),     \
	    G4_OPTR("IWDG_STDBY", 18, 1, N_("0: independent watchdog frozen in Standby mode"), 0), \
	    G4_OPTR("WWDG_SW", 19, 1, N_("1: window watchdog started by software"), 0)
#define G4_OPTR_FIELDS_HIGH                                                                        \
	G4_OPTR("nBOOT1", 23, 1, N_("With BOOT0 high: 1 boots system memory, 0 boots SRAM1"),      \
		GLINT_OPTION_RISK_BOOT),                                                           \
	    G4_OPTR("SRAM_PE", 24, 1, N_("0: SRAM1 and CCM SRAM parity check enabled"), 0),        \
	    G4_OPTR("CCMSRAM_RST", 25, 1, N_("0: CCM SRAM erased on system reset"), 0),            \
	    G4_OPTR("nSWBOOT0", 26, 1, N_("0: BOOT0 taken from nBOOT0 instead of the PB8 pin"),    \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    G4_OPTR("nBOOT0", 27, 1, N_("BOOT0 value when nSWBOOT0 is 0"),                         \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    {"NRST_MODE",                                                                          \
	     L4_OB_OPTR,                                                                           \
	     28,                                                                                   \
	     2,                                                                                    \
	     3,                                                                                    \
	     N_("PG10 pad: 1 reset input only, 2 GPIO (no reset pin), 3 reset input/output"),      \
	     GLINT_OPTION_RISK_LOCKOUT,                                                            \
	     3,                                                                                    \
	     g4_nrst_modes,                                                                        \
	     NULL,                                                                                 \
	     0},                                                                                   \
	    G4_OPTR("IRHEN", 30, 1, N_("1: internal reset holder on NRST enabled"), 0),            \
	    G4_FIELD("PCROP_RDP", L4_OB_PCROP1ER, 31, 1, 0,                                        \
		     N_("1: PCROP areas are erased by an RDP 1->0 regression (can only be set)"),  \
		     0)

#define G4_SEC_FIELDS(secr)                                                                        \
	G4_FIELD(                                                                                  \
	    "BOOT_LOCK", secr, 16, 1, 0,                                                           \
	    N_("1: boot forced from main flash (BOOT0, nBOOT1 and the bootloader are ignored)"),   \
	    GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_LOCKOUT),                                   \
	    G4_FIELD("SEC_SIZE1", secr, 0, 8, 0,                                                   \
		     N_("Pages of bank 1, from its start, that the firmware can make unreadable "  \
			"(securable area)"),                                                       \
		     GLINT_OPTION_RISK_LOCKOUT)

static const GlintOptionField g4_dual_fields[] = {
    G4_OPTR_FIELDS_LOW,
    G4_OPTR("BFB2", 20, 0,
	    N_("1: boot from bank 2 when it holds a valid image (via the bootloader)"),
	    GLINT_OPTION_RISK_BOOT),
    G4_OPTR(
	"DBANK", 22, 1,
	N_("1: two banks of 2 KB pages (64-bit reads), 0: one bank of 4 KB pages (128-bit reads)"),
	GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    G4_OPTR_FIELDS_HIGH,
    G4_SEC_FIELDS(G4_OB_SEC1R),
    G4_FIELD("SEC_SIZE2", G4_OB_SEC2R, 0, 8, 0,
	     N_("Pages of bank 2, from its start, that the firmware can make unreadable"),
	     GLINT_OPTION_RISK_LOCKOUT),
};

static const GlintOptionField g4_single_fields[] = {
    G4_OPTR_FIELDS_LOW,
    G4_OPTR("PB4_PUPEN", 22, 1, N_("1: pull-up on PB4 (TDI) enabled, 0: USB PD dead battery"), 0),
    G4_OPTR_FIELDS_HIGH,
    G4_SEC_FIELDS(G4S_OB_SEC1R),
};

/* RM0440 3.4.1: WRPxy_STRT [6:0] and _END [22:16] in pages of the bank */
#define G4_WRP_AREA(name, bank, reg)                                                               \
	{                                                                                          \
		name, GLINT_PROTECT_WRP, GLINT_AREA_RANGE, bank, reg, 0, 7, reg, 16, 7, 0, 0, 0,   \
		    0, 0, FALSE, FALSE, 0, GLINT_OPTION_RISK_NONE, NULL                            \
	}

/* RM0440 3.5.2: PCROPx_STRT/END [14:0], double-word offsets from the bank
 * base in dual-bank mode; grow only */
#define G4_PCROP_CONSEQUENCE                                                                       \
	N_("That range becomes execute-only: a debugger and other code can no longer read, erase " \
	   "or "                                                                                   \
	   "program it")
#define G4_PCROP_AREA(name, bank, sr, er)                                                          \
	{                                                                                          \
		name, GLINT_PROTECT_PCROP, GLINT_AREA_RANGE, bank, sr, 0, 15, er, 0, 15, 8, 0, 0,  \
		    0, 0, FALSE, FALSE, GLINT_AREA_GROW_ONLY, GLINT_OPTION_RISK_LOCKOUT,           \
		    G4_PCROP_CONSEQUENCE                                                           \
	}

static const GlintProtectionArea g4_dual_areas[] = {
    G4_WRP_AREA("WRP1A", 0, L4_OB_WRP1AR),
    G4_WRP_AREA("WRP1B", 0, L4_OB_WRP1BR),
    G4_WRP_AREA("WRP2A", 1, L4_OB_WRP2AR),
    G4_WRP_AREA("WRP2B", 1, L4_OB_WRP2BR),
    G4_PCROP_AREA("PCROP1", 0, L4_OB_PCROP1SR, L4_OB_PCROP1ER),
    G4_PCROP_AREA("PCROP2", 1, L4_OB_PCROP2SR, L4_OB_PCROP2ER),
};

static const GlintProtectionArea g4_single_areas[] = {
    G4_WRP_AREA("WRP1A", 0, L4_OB_WRP1AR),
    G4_WRP_AREA("WRP1B", 0, L4_OB_WRP1BR),
    G4_PCROP_AREA("PCROP1", 0, L4_OB_PCROP1SR, L4_OB_PCROP1ER),
};

static gboolean
g4_pcrop_rdp_check(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, GError **error)
{
	/* RM0440 3.4.1: PCROP_RDP "is set only. It is reset after a full mass
	 * erase due to a change of RDP from Level 1 to Level 0" */
	if ((old->regs[L4_OB_PCROP1ER] & FLASH_PCROP1ER_PCROP_RDP) &&
	    !(new_ob->regs[L4_OB_PCROP1ER] & FLASH_PCROP1ER_PCROP_RDP) &&
	    !(glint_option_bytes_rdp_level(old) == 1 &&
	      glint_option_bytes_rdp_level(new_ob) == 0)) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("PCROP_RDP can only be set: the chip keeps it at 1 until an "
				      "RDP 1 -> 0 regression erases the flash (RM0440 3.4.1). "
				      "Nothing was changed"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
g4_dual_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	      const GlintOptionBytes *new_ob, GError **error)
{
	gboolean dbank_changes =
	    ((old->regs[L4_OB_OPTR] ^ new_ob->regs[L4_OB_OPTR]) & FLASH_OPTR_DBANK) != 0;
	/* RM0440 3.4.1: "DBANK can be written only when PCROP1/2 is disabled" */
	if (dbank_changes) {
		for (guint i = 0; i < ctx->layout->n_areas; i++) {
			const GlintProtectionArea *a = &ctx->layout->areas[i];
			if (a->type == GLINT_PROTECT_PCROP &&
			    glint_option_bytes_area_active(old, a)) {
				g_set_error(
				    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("DBANK can be changed only while no PCROP area is "
				      "active, and %s is (RM0440 3.4.1). Nothing was changed"),
				    a->name);
				return FALSE;
			}
		}
	}
	/* In single-bank mode the PCROP offsets count 16-byte granules and the
	 * WRP areas cover the whole memory: Glint edits them in dual-bank mode
	 * only, rather than misplace a protected range */
	if (ctx->geometry->n_banks < 2) {
		for (guint i = 0; i < ctx->layout->n_areas; i++) {
			const GlintProtectionArea *a = &ctx->layout->areas[i];
			if (glint_option_bytes_area_active(old, a) !=
				glint_option_bytes_area_active(new_ob, a) ||
			    old->regs[a->start_reg] != new_ob->regs[a->start_reg] ||
			    old->regs[a->end_reg] != new_ob->regs[a->end_reg]) {
				g_set_error(
				    error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
				    _("%s in single-bank mode (DBANK = 0) counts in units "
				      "Glint does not edit yet (RM0440 3.5: 4 KB pages, "
				      "16-byte PCROP granules, four WRP areas for the whole "
				      "flash), its registers included. Set DBANK=1 first. "
				      "Nothing was changed"),
				    a->name);
				return FALSE;
			}
		}
	}
	return g4_pcrop_rdp_check(old, new_ob, error);
}

static gboolean
g4_single_check(const GlintOptionContext *ctx, const GlintOptionBytes *old,
		const GlintOptionBytes *new_ob, GError **error)
{
	return g4_pcrop_rdp_check(old, new_ob, error);
}

static gboolean
field_is(const GlintOptionChange *change, const char *name)
{
	return change->field != NULL && g_strcmp0(change->field->name, name) == 0;
}

static void
g4_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	guint32 optr = new_ob->regs[L4_OB_OPTR];
	if (field_is(change, "NRST_MODE")) {
		g_free(change->consequence);
		if (((optr >> 28) & 3u) == G4_NRST_GPIO) {
			change->consequence = g_strdup(_(
			    "PG10 becomes a GPIO: the reset pin no longer resets the chip, and "
			    "connect under reset no longer works; firmware that turns SWD off then "
			    "locks the debugger out until the option bytes change back"));
		} else {
			change->consequence = g_strdup(_("PG10 is the reset pin again"));
			change->risk &= ~GLINT_OPTION_RISK_LOCKOUT;
		}
	} else if (field_is(change, "BOOT_LOCK")) {
		g_free(change->consequence);
		change->consequence = g_strdup(
		    glint_option_bytes_get_field(new_ob, change->field) != 0
			? _("The chip always boots its main flash: BOOT0, nBOOT1, BFB2 and "
			    "the system bootloader no longer take effect")
			: _("Boot follows BOOT0/nBOOT1 again"));
	} else if (field_is(change, "DBANK")) {
		g_free(change->consequence);
		change->consequence = g_strdup(
		    (optr & FLASH_OPTR_DBANK)
			? _("The flash becomes two banks of 2 KB pages (bank 2 at "
			    "0x08040000): page numbers and sizes change; Glint mass-erases "
			    "the flash first")
			: _("The flash becomes one bank of 4 KB pages: bank 2 disappears; "
			    "Glint mass-erases the flash first"));
	} else if (field_is(change, "BFB2")) {
		g_free(change->consequence);
		change->consequence = g_strdup(
		    !(optr & FLASH_OPTR_BFB2) ? _("The chip will boot from bank 1 directly")
		    : ctx->bank2_empty
			? _("Bank 2 holds no valid image: at reset the system bootloader finds "
			    "nothing there and starts bank 1 instead (AN2606)")
			: _("At reset the system bootloader maps bank 2 at 0x08000000 (FB_MODE) "
			    "and starts it (AN2606)"));
	}
}

const GlintOptionLayout glint_g4_dual_options = {
    .regs = g4_dual_registers,
    .n_regs = G4_DUAL_N_REGS,
    .fields = g4_dual_fields,
    .n_fields = G_N_ELEMENTS(g4_dual_fields),
    .areas = g4_dual_areas,
    .n_areas = G_N_ELEMENTS(g4_dual_areas),
    /* RM0440 3.4.1 RDP [7:0]: 0xAA level 0, 0xCC level 2 */
    .rdp = {L4_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = g4_dual_check,
    .explain = g4_explain,
};

const GlintOptionLayout glint_g4_single_options = {
    .regs = g4_single_registers,
    .n_regs = G4S_N_REGS,
    .fields = g4_single_fields,
    .n_fields = G_N_ELEMENTS(g4_single_fields),
    .areas = g4_single_areas,
    .n_areas = G_N_ELEMENTS(g4_single_areas),
    .rdp = {L4_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = g4_single_check,
    .explain = g4_explain,
};
