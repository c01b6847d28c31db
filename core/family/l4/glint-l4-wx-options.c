/* glint-l4-wx-options.c: the option bytes of the dual-core STM32WB
 * (RM0434 3.4.1, 3.10.8-3.10.17) and STM32WL (RM0453 4.4.1, 4.10.8-4.10.17):
 * FLASH_OPTR, two WRP and two PCROP areas, the IPCC buffer, and CPU2's
 * secure flash (FLASH_SFR) and boot vector (FLASH_SRRVR). Only CPU2's
 * firmware writes the last two (the WB's FUS, a WL's secure firmware), so
 * Glint shows them and refuses to change them. */
#define G_LOG_DOMAIN "glint-l4"

#include "glint-error.h"
#include "glint-l4-regs.h"
#include "glint-l4.h"

enum {
	WX_OB_OPTR = L4_OB_OPTR,
	WX_OB_PCROP1ASR,
	WX_OB_PCROP1AER,
	WX_OB_WRP1AR,
	WX_OB_WRP1BR,
	WX_OB_PCROP1BSR,
	WX_OB_PCROP1BER,
	WX_OB_IPCCBR,
	WX_OB_SFR,
	WX_OB_SRRVR,
	WX_N_REGS,
};

/* FLASH register offsets in layout order */
const guint32 glint_wx_option_offsets[WX_N_REGS] = {
    FLASH_L4_OPTR,	FLASH_L4_PCROP1SR,  FLASH_L4_PCROP1ER, FLASH_L4_WRP1AR, FLASH_L4_WRP1BR,
    FLASH_L4_PCROP1BSR, FLASH_L4_PCROP1BER, FLASH_WX_IPCCBR,   FLASH_WX_SFR,	FLASH_WX_SRRVR,
};

G_STATIC_ASSERT(WX_OB_SFR == GLINT_WX_OB_SFR && WX_OB_SRRVR == GLINT_WX_OB_SRRVR);

/* As ST ships them. The WB55 arrives with the FUS in its top pages (SFSA
 * 0xF4, ESE set: AN5185); the WL55 without security (ESE = 0, FSD = 1).
 * "No area" is start above end, reserved bits reading 1. */
#define WB_OPTR_FACTORY 0x1FFFF1AAu
#define WL_OPTR_FACTORY 0x3FFFF0AAu
#define WX_PCROPSR_FACTORY 0xFFFFFFFFu
#define WB_PCROPER_FACTORY 0xFFFFFE00u
#define WL_PCROPER_FACTORY 0xFFFFFF00u
#define WB_WRPR_FACTORY 0xFF00FFFFu
#define WL_WRPR_FACTORY 0xFF80FFFFu
#define WB_IPCCBR_FACTORY 0xFFFFC000u
#define WL_IPCCBR_FACTORY 0xFFFFFFFFu
#define WB_SFR_FACTORY 0xFFFFEEF4u
#define WB_SRRVR_FACTORY 0x8003D000u
#define WL_SFR_FACTORY 0xFFFFEFFFu
#define WL_SRRVR_FACTORY 0xFFFF8000u

#define WX_REGISTERS(optr, pcroper, wrpr, ipccbr, sfr, srrvr)                                      \
	{                                                                                          \
		[WX_OB_OPTR] = {"FLASH_OPTR", "OPTR", optr, 32, 0},                                \
		[WX_OB_PCROP1ASR] = {"FLASH_PCROP1ASR", "PCROP1ASR", WX_PCROPSR_FACTORY, 32, 0},   \
		[WX_OB_PCROP1AER] = {"FLASH_PCROP1AER", "PCROP1AER", pcroper, 32, 0},              \
		[WX_OB_WRP1AR] = {"FLASH_WRP1AR", "WRP1AR", wrpr, 32, 0},                          \
		[WX_OB_WRP1BR] = {"FLASH_WRP1BR", "WRP1BR", wrpr, 32, 0},                          \
		[WX_OB_PCROP1BSR] = {"FLASH_PCROP1BSR", "PCROP1BSR", WX_PCROPSR_FACTORY, 32, 0},   \
		[WX_OB_PCROP1BER] = {"FLASH_PCROP1BER", "PCROP1BER", pcroper, 32, 0},              \
		[WX_OB_IPCCBR] = {"FLASH_IPCCBR", "IPCCBR", ipccbr, 32, 0},                        \
		[WX_OB_SFR] = {"FLASH_SFR", "SFR", sfr, 32, 0},                                    \
		[WX_OB_SRRVR] = {"FLASH_SRRVR", "SRRVR", srrvr, 32, 0},                            \
	}

static const GlintOptionRegister wb_registers[WX_N_REGS] =
    WX_REGISTERS(WB_OPTR_FACTORY, WB_PCROPER_FACTORY, WB_WRPR_FACTORY, WB_IPCCBR_FACTORY,
		 WB_SFR_FACTORY, WB_SRRVR_FACTORY);
static const GlintOptionRegister wl_registers[WX_N_REGS] =
    WX_REGISTERS(WL_OPTR_FACTORY, WL_PCROPER_FACTORY, WL_WRPR_FACTORY, WL_IPCCBR_FACTORY,
		 WL_SFR_FACTORY, WL_SRRVR_FACTORY);

/* RM0434 3.10.8, RM0453 4.10.8 BOR_LEV; DS11929 and DS13293 thresholds */
static const GlintOptionChoice wx_bor_levels[] = {
    {0, "1.7 V"}, {1, "2.0 V"}, {2, "2.2 V"}, {3, "2.5 V"}, {4, "2.8 V"}, {0, NULL},
};

#define WX_FIELD(name, reg, shift, width, factory, meaning, risk)                                  \
	{                                                                                          \
		name, reg, shift, width, factory, meaning, risk, 0, NULL, NULL, 0                  \
	}
#define WX_OPTR(name, shift, factory, meaning, risk)                                               \
	WX_FIELD(name, WX_OB_OPTR, shift, 1, factory, meaning, risk)

/* Why SFR and SRRVR are not the debugger's (RM0434 3.10.16-17, RM0453
 * 4.10.16-17: written by CPU2 only) */
#define WX_CPU2_OWNED                                                                              \
	"set by CPU2's firmware only (the WB's FUS when it installs the wireless stack, a "        \
	"WL's secure firmware); CPU1 and the debugger cannot change it"

#define WX_OPTR_FIELDS(ese_factory, ipccdba_factory)                                               \
	WX_OPTR(                                                                                   \
	    "ESE", 8, ese_factory,                                                                 \
	    "1: system security enabled (CPU2's secure flash and SRAM in force); " WX_CPU2_OWNED,  \
	    GLINT_OPTION_RISK_PERMANENT),                                                          \
	    {"BOR_LEV", WX_OB_OPTR,    9,    3, 0, "Brown-out reset threshold (level 0-4)", 0,     \
	     4,		wx_bor_levels, NULL, 0},                                                   \
	    WX_OPTR("nRST_STOP", 12, 1, "0: reset generated when entering Stop mode", 0),          \
	    WX_OPTR("nRST_STDBY", 13, 1, "0: reset generated when entering Standby mode", 0),      \
	    WX_OPTR("nRST_SHDW", 14, 1, "0: reset generated when entering Shutdown mode", 0),      \
	    WX_OPTR("IWDG_SW", 16, 1, "1: independent watchdog started by software", 0),           \
	    WX_OPTR("IWDG_STOP", 17, 1, "0: independent watchdog frozen in Stop mode", 0),         \
	    WX_OPTR("IWDG_STDBY", 18, 1, "0: independent watchdog frozen in Standby mode", 0),     \
	    WX_OPTR("WWDG_SW", 19, 1, "1: window watchdog started by software", 0),                \
	    WX_OPTR("nBOOT1", 23, 1, "With BOOT0 high: 1 boots system memory, 0 boots SRAM1",      \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    WX_OPTR("SRAM2_PE", 24, 1, "0: SRAM2 parity check enabled", 0),                        \
	    WX_OPTR("SRAM2_RST", 25, 1, "0: SRAM2 erased on system reset", 0),                     \
	    WX_OPTR("nSWBOOT0", 26, 1, "0: BOOT0 taken from nBOOT0 instead of the PH3-BOOT0 pin",  \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    WX_OPTR("nBOOT0", 27, 1, "BOOT0 value when nSWBOOT0 is 0", GLINT_OPTION_RISK_BOOT),    \
	    WX_FIELD("PCROP_RDP", WX_OB_PCROP1AER, 31, 1, 1,                                       \
		     "1: PCROP areas are erased by an RDP 1->0 regression (can only be set)", 0),  \
	    WX_FIELD("IPCCDBA", WX_OB_IPCCBR, 0, 14, ipccdba_factory,                              \
		     "IPCC mailbox buffer, in double words from SRAM2a (for CPU2's stack)", 0),    \
	    WX_FIELD("DDS", WX_OB_SFR, 12, 1, 0, "1: CPU2's debug access disabled", 0),            \
	    WX_FIELD("C2OPT", WX_OB_SRRVR, 31, 1, 1, "CPU2 boots from 1: flash (SBRV), 0: SRAM",   \
		     0)

static const GlintOptionField wb_fields[] = {
    /* IPCCDBA as in WB_IPCCBR_FACTORY */
    WX_OPTR_FIELDS(1, 0),
    WX_FIELD("FSD", WX_OB_SFR, 8, 1, 0,
	     "1: no secure flash for CPU2 (flash security disabled); " WX_CPU2_OWNED, 0),
    WX_FIELD("AGC_TRIM", WX_OB_OPTR, 29, 3, 0, "Radio automatic gain control trimming", 0),
    WX_FIELD("SBRV", WX_OB_SRRVR, 0, 18, 0x3D000,
	     "CPU2's boot vector, in words from 0x08000000 (flash) or 0x20000000 (SRAM)", 0),
    WX_FIELD("SBRSA", WX_OB_SRRVR, 18, 5, 0, "CPU2's secure backup SRAM2a start, 1 KB steps", 0),
    WX_FIELD("BRSD", WX_OB_SRRVR, 23, 1, 0, "1: backup SRAM2a not secure", 0),
    WX_FIELD("SNBRSA", WX_OB_SRRVR, 25, 5, 0, "CPU2's secure non-backup SRAM2b start, 1 KB steps",
	     0),
    WX_FIELD("NBRSD", WX_OB_SRRVR, 30, 1, 0, "1: non-backup SRAM2b not secure", 0),
};

/* the SRRVR fields' factory values as in WL_SRRVR_FACTORY */
static const GlintOptionField wl_fields[] = {
    /* IPCCDBA as in WL_IPCCBR_FACTORY */
    WX_OPTR_FIELDS(0, 0x3FFF),
    WX_FIELD("FSD", WX_OB_SFR, 7, 1, 1,
	     "1: no secure flash for CPU2 (flash security disabled); " WX_CPU2_OWNED, 0),
    WX_OPTR("BOOT_LOCK", 30, 0,
	    "1: CPU1 boots main flash only (BOOT0, nBOOT1 and the bootloader ignored)",
	    GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_LOCKOUT | GLINT_OPTION_RISK_PERMANENT),
    WX_OPTR("C2BOOT_LOCK", 31, 0, "1: CPU2 boots main flash only",
	    GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_PERMANENT),
    WX_FIELD("HDPSA", WX_OB_SFR, 16, 7, 0x7F, "First page of CPU2's hide-protected area", 0),
    WX_FIELD("HDPAD", WX_OB_SFR, 23, 1, 1, "1: no hide-protected area", 0),
    WX_FIELD("SUBGHZSPISD", WX_OB_SFR, 31, 1, 1, "1: the sub-GHz radio SPI is not secure", 0),
    WX_FIELD("SBRV", WX_OB_SRRVR, 0, 16, 0x8000, "CPU2's boot vector, in words from 0x08000000", 0),
    WX_FIELD("SBRSA", WX_OB_SRRVR, 18, 5, 0x1F, "CPU2's secure backup SRAM2 start, 1 KB steps", 0),
    WX_FIELD("BRSD", WX_OB_SRRVR, 23, 1, 1, "1: backup SRAM2 not secure", 0),
    WX_FIELD("SNBRSA", WX_OB_SRRVR, 25, 5, 0x1F, "CPU2's secure non-backup SRAM1 start, 1 KB steps",
	     0),
    WX_FIELD("NBRSD", WX_OB_SRRVR, 30, 1, 1, "1: non-backup SRAM1 not secure", 0),
};

#define WX_WRP_AREA(name, reg, width)                                                              \
	{                                                                                          \
		name, GLINT_PROTECT_WRP, GLINT_AREA_RANGE, 0, reg, 0, width, reg, 16, width, 0, 0, \
		    0, 0, 0, FALSE, FALSE, 0, GLINT_OPTION_RISK_NONE, NULL                         \
	}

#define WX_PCROP_CONSEQUENCE                                                                       \
	"That range becomes execute-only: a debugger and other code can no longer read, erase or " \
	"program it"
#define WX_PCROP_AREA(name, sr, er, width, granule)                                                \
	{                                                                                          \
		name, GLINT_PROTECT_PCROP, GLINT_AREA_RANGE, 0, sr, 0, width, er, 0, width,        \
		    granule, 0, 0, 0, 0, FALSE, FALSE, GLINT_AREA_GROW_ONLY,                       \
		    GLINT_OPTION_RISK_LOCKOUT, WX_PCROP_CONSEQUENCE                                \
	}

/* CPU2's secure flash: from SFSA to the end, unless FSD (RM0434 3.3.2,
 * RM0453 4.3.2). Why a debugger cannot touch it: */
#define WB_SECURE_CONSEQUENCE                                                                      \
	"CPU2's secure flash holds the wireless stack and the FUS that installed it: CPU1 and "    \
	"the "                                                                                     \
	"debugger read it as zeros and cannot erase or program it, and a mass erase from CPU1 is " \
	"refused; only the FUS moves SFSA (when it installs or deletes a stack: "                  \
	"STM32CubeProgrammer's -fwdelete/-fwupgrade)"
#define WL_SECURE_CONSEQUENCE                                                                      \
	"CPU2's secure flash (ESE = 1, SFSA) belongs to the secure firmware of CPU2: CPU1 and "    \
	"the debugger cannot read, erase or program it, and a mass erase from CPU1 is refused; "   \
	"only that firmware, or an RDP 1 -> 0 regression that also clears ESE, gives it back"
/* in use while FSD = 0 */
#define WX_SECURE_AREA(sfsa_width, why)                                                            \
	{                                                                                          \
		.name = "SECURE", .type = GLINT_PROTECT_SECURE, .encoding = GLINT_AREA_RANGE,      \
		.start_reg = WX_OB_SFR, .start_width = sfsa_width,                                 \
		.flags = GLINT_AREA_TO_BANK_END | GLINT_AREA_FIXED,                                \
		.risk = GLINT_OPTION_RISK_PERMANENT, .consequence = why, .when_field = "FSD",      \
		.when_value = 0, .way_out = WX_SECURE_WAY_OUT                                      \
	}
/* what moves it (said where a read, erase or program is refused) */
#define WX_SECURE_WAY_OUT                                                                          \
	"Only CPU2's firmware moves it: on a WB the FUS, when it installs or deletes a wireless "  \
	"stack"

/* RM0434: 8-bit WRP offsets in 4 KB pages; 9-bit PCROP offsets of 2 KB */
static const GlintProtectionArea wb_areas[] = {
    WX_WRP_AREA("WRP1A", WX_OB_WRP1AR, 8),
    WX_WRP_AREA("WRP1B", WX_OB_WRP1BR, 8),
    WX_PCROP_AREA("PCROP1A", WX_OB_PCROP1ASR, WX_OB_PCROP1AER, 9, 2048),
    WX_PCROP_AREA("PCROP1B", WX_OB_PCROP1BSR, WX_OB_PCROP1BER, 9, 2048),
    WX_SECURE_AREA(8, WB_SECURE_CONSEQUENCE),
};

/* RM0453: 7-bit WRP offsets in 2 KB pages; 8-bit PCROP offsets of 1 KB */
static const GlintProtectionArea wl_areas[] = {
    WX_WRP_AREA("WRP1A", WX_OB_WRP1AR, 7),
    WX_WRP_AREA("WRP1B", WX_OB_WRP1BR, 7),
    WX_PCROP_AREA("PCROP1A", WX_OB_PCROP1ASR, WX_OB_PCROP1AER, 8, 1024),
    WX_PCROP_AREA("PCROP1B", WX_OB_PCROP1BSR, WX_OB_PCROP1BER, 8, 1024),
    WX_SECURE_AREA(7, WL_SECURE_CONSEQUENCE),
};

static gboolean
wx_field_changes(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, const char *name,
		 guint32 *new_value)
{
	guint32 a = 0, b = 0;
	if (!glint_option_bytes_get_named(old, name, &a) ||
	    !glint_option_bytes_get_named(new_ob, name, &b))
		return FALSE;
	*new_value = b;
	return a != b;
}

static gboolean
wx_check(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	gboolean regression =
	    glint_option_bytes_rdp_level(old) == 1 && glint_option_bytes_rdp_level(new_ob) == 0;
	guint32 v = 0;
	/* CPU2's registers and ESE: refused by name */
	if (old->regs[WX_OB_SFR] != new_ob->regs[WX_OB_SFR] ||
	    old->regs[WX_OB_SRRVR] != new_ob->regs[WX_OB_SRRVR] ||
	    wx_field_changes(old, new_ob, "ESE", &v)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "ESE, FLASH_SFR and FLASH_SRRVR are %s (%s). Nothing was changed",
			    WX_CPU2_OWNED,
			    ctx->layout->regs == wb_registers ? "RM0434 3.10.16"
							      : "RM0453 4.10.16");
		return FALSE;
	}
	if (wx_field_changes(old, new_ob, "PCROP_RDP", &v) && v == 0 && !regression) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "PCROP_RDP can only be set: the chip keeps it at 1 until an "
				    "RDP 1 -> 0 regression erases the flash. Nothing was changed");
		return FALSE;
	}
	return TRUE;
}

static void
wx_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	guint32 v = change->field != NULL ? glint_option_bytes_get_field(new_ob, change->field) : 0;
	if (change->field != NULL && g_strcmp0(change->field->name, "BOOT_LOCK") == 0) {
		g_free(change->consequence);
		if (v != 0) {
			change->consequence = g_strdup(
			    "CPU1 always boots its main flash: BOOT0, nBOOT1 and the system "
			    "bootloader no longer take effect");
		} else {
			change->consequence = g_strdup("Boot follows BOOT0/nBOOT1 again");
			change->risk &= ~(GLINT_OPTION_RISK_PERMANENT | GLINT_OPTION_RISK_LOCKOUT);
		}
	} else if (change->area != NULL && change->area->type == GLINT_PROTECT_PCROP &&
		   glint_option_bytes_area_active(new_ob, change->area) &&
		   !(new_ob->regs[WX_OB_PCROP1AER] & FLASH_PCROP1ER_PCROP_RDP)) {
		g_free(change->consequence);
		change->consequence =
		    g_strdup(WX_PCROP_CONSEQUENCE ", for ever: with PCROP_RDP = 0 not even an RDP "
						  "regression removes it");
		change->risk |= GLINT_OPTION_RISK_PERMANENT;
	}
}

/* RM0434 3.10.8, RM0453 4.10.8 FLASH_OPTR.RDP [7:0]: 0xAA level 0, 0xCC 2 */
const GlintOptionLayout glint_wb_options = {
    .regs = wb_registers,
    .n_regs = WX_N_REGS,
    .fields = wb_fields,
    .n_fields = G_N_ELEMENTS(wb_fields),
    .areas = wb_areas,
    .n_areas = G_N_ELEMENTS(wb_areas),
    .rdp = {WX_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = wx_check,
    .explain = wx_explain,
};

const GlintOptionLayout glint_wl_options = {
    .regs = wl_registers,
    .n_regs = WX_N_REGS,
    .fields = wl_fields,
    .n_fields = G_N_ELEMENTS(wl_fields),
    .areas = wl_areas,
    .n_areas = G_N_ELEMENTS(wl_areas),
    .rdp = {WX_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = wx_check,
    .explain = wx_explain,
};
