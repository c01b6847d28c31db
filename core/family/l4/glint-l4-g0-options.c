/* glint-l4-g0-options.c: the STM32G0 option bytes (RM0444 3.4.1, 3.7.8-3.7.21):
 * FLASH_OPTR with its own boot selection (nBOOT_SEL, nBOOT0, nBOOT1), the
 * reset pad mode (NRST_MODE) and, on the G0B1, the bank bits (DUAL_BANK,
 * nSWAP_BANK); two WRP and two PCROP areas per bank; FLASH_SECR with the
 * securable area and BOOT_LOCK. */
#define G_LOG_DOMAIN "glint-l4"

#include "glint-error.h"
#include "glint-l4-regs.h"
#include "glint-l4.h"

/* RM0444 3.4.1: ST production values; "no area" is start above end, the
 * reserved bits reading 1 */
#define G0_OPTR_FACTORY 0xFFFFFEAAu
#define G0_PCROPSR_FACTORY 0xFFFFFFFFu
#define G0_PCROPER_FACTORY 0x00000000u
#define G0_WRPR_FACTORY 0xFF80FFFFu
#define G0_SECR_FACTORY 0x00000000u

/* Registers in layout order: bank 1's, FLASH_SECR, then the G0B1's bank 2 */
enum {
	G0_OB_OPTR = L4_OB_OPTR,
	G0_OB_PCROP1ASR,
	G0_OB_PCROP1AER,
	G0_OB_WRP1AR,
	G0_OB_WRP1BR,
	G0_OB_PCROP1BSR,
	G0_OB_PCROP1BER,
	G0_OB_SECR,
	G0_SINGLE_N_REGS,
	G0_OB_PCROP2ASR = G0_SINGLE_N_REGS,
	G0_OB_PCROP2AER,
	G0_OB_WRP2AR,
	G0_OB_WRP2BR,
	G0_OB_PCROP2BSR,
	G0_OB_PCROP2BER,
	G0_DUAL_N_REGS,
};

/* FLASH register offsets in layout order (RM0444 3.7.21, register map) */
const guint32 glint_g0_option_offsets[G0_DUAL_N_REGS] = {
    FLASH_L4_OPTR,	FLASH_L4_PCROP1SR,  FLASH_L4_PCROP1ER,	FLASH_L4_WRP1AR,
    FLASH_L4_WRP1BR,	FLASH_L4_PCROP1BSR, FLASH_L4_PCROP1BER, FLASH_G0_SECR,
    FLASH_L4_PCROP2SR,	FLASH_L4_PCROP2ER,  FLASH_L4_WRP2AR,	FLASH_L4_WRP2BR,
    FLASH_L4_PCROP2BSR, FLASH_L4_PCROP2BER,
};

static const GlintOptionRegister g0_registers[G0_DUAL_N_REGS] = {
    [G0_OB_OPTR] = {"FLASH_OPTR", "OPTR", G0_OPTR_FACTORY, 32, 0},
    [G0_OB_PCROP1ASR] = {"FLASH_PCROP1ASR", "PCROP1ASR", G0_PCROPSR_FACTORY, 32, 0},
    [G0_OB_PCROP1AER] = {"FLASH_PCROP1AER", "PCROP1AER", G0_PCROPER_FACTORY, 32, 0},
    [G0_OB_WRP1AR] = {"FLASH_WRP1AR", "WRP1AR", G0_WRPR_FACTORY, 32, 0},
    [G0_OB_WRP1BR] = {"FLASH_WRP1BR", "WRP1BR", G0_WRPR_FACTORY, 32, 0},
    [G0_OB_PCROP1BSR] = {"FLASH_PCROP1BSR", "PCROP1BSR", G0_PCROPSR_FACTORY, 32, 0},
    [G0_OB_PCROP1BER] = {"FLASH_PCROP1BER", "PCROP1BER", G0_PCROPER_FACTORY, 32, 0},
    [G0_OB_SECR] = {"FLASH_SECR", "SECR", G0_SECR_FACTORY, 32, 0},
    [G0_OB_PCROP2ASR] = {"FLASH_PCROP2ASR", "PCROP2ASR", G0_PCROPSR_FACTORY, 32, 0},
    [G0_OB_PCROP2AER] = {"FLASH_PCROP2AER", "PCROP2AER", G0_PCROPER_FACTORY, 32, 0},
    [G0_OB_WRP2AR] = {"FLASH_WRP2AR", "WRP2AR", G0_WRPR_FACTORY, 32, 0},
    [G0_OB_WRP2BR] = {"FLASH_WRP2BR", "WRP2BR", G0_WRPR_FACTORY, 32, 0},
    [G0_OB_PCROP2BSR] = {"FLASH_PCROP2BSR", "PCROP2BSR", G0_PCROPSR_FACTORY, 32, 0},
    [G0_OB_PCROP2BER] = {"FLASH_PCROP2BER", "PCROP2BER", G0_PCROPER_FACTORY, 32, 0},
};

/* DS12232 (STM32G071x8/xB), "BOR thresholds": falling and rising edges */
static const GlintOptionChoice g0_borf_levels[] = {
    {0, "2.0 V"}, {1, "2.2 V"}, {2, "2.5 V"}, {3, "2.8 V"}, {0, NULL},
};
static const GlintOptionChoice g0_borr_levels[] = {
    {0, "2.1 V"}, {1, "2.3 V"}, {2, "2.6 V"}, {3, "2.9 V"}, {0, NULL},
};

/* RM0444 3.4.1 NRST_MODE: what the PF2-NRST pad is */
static const GlintOptionChoice g0_nrst_modes[] = {
    {1, "reset input only"},
    {2, "GPIO (no reset pin)"},
    {3, "reset input/output"},
    {0, NULL},
};

#define G0_NRST_SHIFT 27
#define G0_NRST_GPIO 2u

#define G0_FIELD(name, reg, shift, width, factory, meaning, risk)                                  \
	{                                                                                          \
		name, reg, shift, width, factory, meaning, risk, 0, NULL, NULL, 0                  \
	}
#define G0_OPTR(name, shift, factory, meaning, risk)                                               \
	G0_FIELD(name, G0_OB_OPTR, shift, 1, factory, meaning, risk)

#define G0_OPTR_FIELDS_LOW                                                                         \
	G0_OPTR("BOR_EN", 8, 0, "1: brown-out reset at BORF_LEV/BORR_LEV, 0: power-on reset only", \
		0),                                                                                \
	    {"BORR_LEV", G0_OB_OPTR,	 9,    2, 3, "Brown-out threshold, rising supply", 0,      \
	     3,		 g0_borr_levels, NULL, 0},                                                 \
	    {"BORF_LEV", G0_OB_OPTR,	 11,   2, 3, "Brown-out threshold, falling supply", 0,     \
	     3,		 g0_borf_levels, NULL, 0},                                                 \
	    G0_OPTR("nRST_STOP", 13, 1, "0: reset generated when entering Stop mode", 0),          \
	    G0_OPTR("nRST_STDBY", 14, 1, "0: reset generated when entering Standby mode", 0),      \
	    G0_OPTR("nRST_SHDW", 15, 1, "0: reset generated when entering Shutdown mode", 0),      \
	    G0_OPTR("IWDG_SW", 16, 1, "1: independent watchdog started by software", 0),           \
	    G0_OPTR("IWDG_STOP", 17, 1, "0: independent watchdog frozen in Stop mode", 0),         \
	    G0_OPTR("IWDG_STDBY", 18, 1, "0: independent watchdog frozen in Standby mode", 0),     \
	    G0_OPTR("WWDG_SW", 19, 1, "1: window watchdog started by software", 0)

#define G0_OPTR_FIELDS_HIGH                                                                        \
	G0_OPTR("RAM_PARITY_CHECK", 22, 1, "0: SRAM parity check enabled", 0),                     \
	    G0_OPTR("nBOOT_SEL", 24, 1, "1: BOOT0 taken from nBOOT0, 0: from the PA14-BOOT0 pin",  \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    G0_OPTR("nBOOT1", 25, 1, "With BOOT0 high: 1 boots system memory, 0 boots SRAM",       \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    G0_OPTR("nBOOT0", 26, 1, "BOOT0 value when nBOOT_SEL is 1 (0: boot as BOOT0 high)",    \
		    GLINT_OPTION_RISK_BOOT),                                                       \
	    {"NRST_MODE",                                                                          \
	     G0_OB_OPTR,                                                                           \
	     G0_NRST_SHIFT,                                                                        \
	     2,                                                                                    \
	     3,                                                                                    \
	     "PF2-NRST pad: 1 reset input only, 2 GPIO (no reset pin), 3 reset input/output",      \
	     GLINT_OPTION_RISK_LOCKOUT,                                                            \
	     3,                                                                                    \
	     g0_nrst_modes,                                                                        \
	     NULL,                                                                                 \
	     0},                                                                                   \
	    G0_OPTR("IRHEN", 29, 1, "1: internal reset holder on NRST enabled", 0),                \
	    G0_FIELD("PCROP_RDP", G0_OB_PCROP1AER, 31, 1, 0,                                       \
		     "1: PCROP areas are erased by an RDP 1->0 regression (can only be set)", 0),  \
	    G0_FIELD("BOOT_LOCK", G0_OB_SECR, 16, 1, 0,                                            \
		     "1: boot forced from main flash; cleared only by an RDP 1->0 regression",     \
		     GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_LOCKOUT |                          \
			 GLINT_OPTION_RISK_PERMANENT),                                             \
	    G0_FIELD("SEC_SIZE", G0_OB_SECR, 0, 8, 0,                                              \
		     "Pages of bank 1, from its start, that the firmware can hide (securable "     \
		     "area, SEC_PROT)",                                                            \
		     GLINT_OPTION_RISK_LOCKOUT)

static const GlintOptionField g0_single_fields[] = {
    G0_OPTR_FIELDS_LOW,
    G0_OPTR_FIELDS_HIGH,
};

static const GlintOptionField g0_dual_fields[] = {
    G0_OPTR_FIELDS_LOW,
    G0_OPTR("nSWAP_BANK", 20, 1, "0: bank 2 is mapped at 0x08000000 and bank 1 after it",
	    GLINT_OPTION_RISK_BOOT),
    G0_OPTR("DUAL_BANK", 21, 1, "1: two banks of 2 KB pages, 0: one bank (256/512 KB parts)",
	    GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE),
    G0_OPTR_FIELDS_HIGH,
    G0_FIELD("SEC_SIZE2", G0_OB_SECR, 20, 8, 0,
	     "Pages of bank 2, from its start, that the firmware can hide (SEC_PROT2)",
	     GLINT_OPTION_RISK_LOCKOUT),
};

/* RM0444 3.4.1: WRPxy_STRT [6:0] and _END [22:16], pages of the bank */
#define G0_WRP_AREA(name, bank, reg)                                                               \
	{                                                                                          \
		name, GLINT_PROTECT_WRP, GLINT_AREA_RANGE, bank, reg, 0, 7, reg, 16, 7, 0, 0, 0,   \
		    0, 0, FALSE, FALSE, 0, GLINT_OPTION_RISK_NONE, NULL                            \
	}

/* RM0444 3.5.2: PCROPxy_STRT/END [8:0] count 512-byte blocks from the
 * bank's start; grow only */
#define G0_PCROP_CONSEQUENCE                                                                       \
	"That range becomes execute-only: a debugger and other code can no longer read, erase or " \
	"program it"
#define G0_PCROP_AREA(name, bank, sr, er)                                                          \
	{                                                                                          \
		name, GLINT_PROTECT_PCROP, GLINT_AREA_RANGE, bank, sr, 0, 9, er, 0, 9, 512, 0, 0,  \
		    0, 0, FALSE, FALSE, GLINT_AREA_GROW_ONLY, GLINT_OPTION_RISK_LOCKOUT,           \
		    G0_PCROP_CONSEQUENCE                                                           \
	}

#define G0_BANK1_AREAS                                                                             \
	G0_WRP_AREA("WRP1A", 0, G0_OB_WRP1AR), G0_WRP_AREA("WRP1B", 0, G0_OB_WRP1BR),              \
	    G0_PCROP_AREA("PCROP1A", 0, G0_OB_PCROP1ASR, G0_OB_PCROP1AER),                         \
	    G0_PCROP_AREA("PCROP1B", 0, G0_OB_PCROP1BSR, G0_OB_PCROP1BER)

static const GlintProtectionArea g0_single_areas[] = {
    G0_BANK1_AREAS,
};

static const GlintProtectionArea g0_dual_areas[] = {
    G0_BANK1_AREAS,
    G0_WRP_AREA("WRP2A", 1, G0_OB_WRP2AR),
    G0_WRP_AREA("WRP2B", 1, G0_OB_WRP2BR),
    G0_PCROP_AREA("PCROP2A", 1, G0_OB_PCROP2ASR, G0_OB_PCROP2AER),
    G0_PCROP_AREA("PCROP2B", 1, G0_OB_PCROP2BSR, G0_OB_PCROP2BER),
};

static gboolean
g0_field_changes(const GlintOptionBytes *old, const GlintOptionBytes *new_ob, const char *name,
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
g0_check(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	gboolean regression =
	    glint_option_bytes_rdp_level(old) == 1 && glint_option_bytes_rdp_level(new_ob) == 0;
	guint32 v = 0;
	/* RM0444 3.4.1: PCROP_RDP "is set only"; an RDP regression resets it */
	if (g0_field_changes(old, new_ob, "PCROP_RDP", &v) && v == 0 && !regression) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "PCROP_RDP can only be set: the chip keeps it at 1 until an "
				    "RDP 1 -> 0 regression erases the flash (RM0444 3.4.1). "
				    "Nothing was changed");
		return FALSE;
	}
	/* BOOT_LOCK goes only with a regression (RM0444 3.4.1, FLASH_SECR) */
	if (g0_field_changes(old, new_ob, "BOOT_LOCK", &v) && v == 0 && !regression) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "BOOT_LOCK cannot be cleared on its own: the chip clears it "
				    "only with an RDP level 1 -> 0 regression, which erases the "
				    "flash (RM0444 3.4.1). Set RDP=1, then RDP=0 with BOOT_LOCK=0. "
				    "Nothing was changed");
		return FALSE;
	}
	if (g0_field_changes(old, new_ob, "NRST_MODE", &v) && v == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "NRST_MODE=0 is reserved (RM0444 3.4.1): use 1 (reset input), "
				    "2 (GPIO) or 3 (reset input/output). Nothing was changed");
		return FALSE;
	}
	return TRUE;
}

static gboolean
field_is(const GlintOptionChange *change, const char *name)
{
	return change->field != NULL && g_strcmp0(change->field->name, name) == 0;
}

static void
replace_consequence(GlintOptionChange *change, const char *text)
{
	g_free(change->consequence);
	change->consequence = g_strdup(text);
}

static void
g0_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	guint32 v = change->field != NULL ? glint_option_bytes_get_field(new_ob, change->field) : 0;
	if (field_is(change, "NRST_MODE")) {
		if (v == G0_NRST_GPIO) {
			replace_consequence(
			    change, "PF2-NRST becomes a GPIO: the reset pin no longer resets the "
				    "chip and connect under reset no longer works; firmware that "
				    "turns SWD off then locks the debugger out until the option "
				    "bytes change back");
		} else {
			replace_consequence(change, "PF2-NRST is the reset pin again");
			change->risk &= ~GLINT_OPTION_RISK_LOCKOUT;
		}
	} else if (field_is(change, "BOOT_LOCK")) {
		if (v != 0) {
			replace_consequence(
			    change, "The chip always boots its main flash: nBOOT_SEL, BOOT0, "
				    "nBOOT1 and the empty check no longer take effect, and only an "
				    "RDP 1 -> 0 regression (which erases the flash) clears it");
		} else {
			replace_consequence(change, "Boot follows nBOOT_SEL/BOOT0/nBOOT1 again");
			change->risk &= ~(GLINT_OPTION_RISK_PERMANENT | GLINT_OPTION_RISK_LOCKOUT);
		}
	} else if (field_is(change, "nBOOT_SEL") || field_is(change, "nBOOT0")) {
		guint32 sel = 1, boot0 = 1;
		glint_option_bytes_get_named(new_ob, "nBOOT_SEL", &sel);
		glint_option_bytes_get_named(new_ob, "nBOOT0", &boot0);
		replace_consequence(
		    change, sel != 0 && boot0 == 0
				? "BOOT0 comes from nBOOT0 = 0: every reset starts the system "
				  "bootloader (or SRAM with nBOOT1 = 0), not the firmware"
			    : sel != 0 ? "BOOT0 comes from nBOOT0 = 1: the chip boots main flash"
				       : "BOOT0 comes from the PA14-BOOT0 pin (SWCLK): low on a "
					 "NUCLEO, so the chip boots main flash");
	} else if (field_is(change, "DUAL_BANK")) {
		replace_consequence(change,
				    v != 0 ? "The flash becomes two banks of 2 KB pages (bank 2 "
					     "pages numbered from 256); Glint mass-erases the "
					     "flash first"
					   : "The flash becomes one bank of 2 KB pages; Glint "
					     "mass-erases the flash first");
	} else if (field_is(change, "nSWAP_BANK")) {
		replace_consequence(
		    change, v == 0 ? "From the next option load bank 2 answers at 0x08000000 "
				     "and the chip boots the firmware of bank 2"
				   : "Bank 1 answers at 0x08000000 again");
	} else if (change->area != NULL && change->area->type == GLINT_PROTECT_PCROP &&
		   glint_option_bytes_area_active(new_ob, change->area)) {
		guint32 rdp = 0;
		glint_option_bytes_get_named(new_ob, "PCROP_RDP", &rdp);
		if (rdp == 0) {
			replace_consequence(change, G0_PCROP_CONSEQUENCE
					    ", for ever: with PCROP_RDP = 0 not "
					    "even an RDP regression removes it");
			change->risk |= GLINT_OPTION_RISK_PERMANENT;
		}
	}
}

/* RM0444 3.7.8 FLASH_OPTR.RDP [7:0]: 0xAA level 0, 0xCC level 2 */
const GlintOptionLayout glint_g0_single_options = {
    .regs = g0_registers,
    .n_regs = G0_SINGLE_N_REGS,
    .fields = g0_single_fields,
    .n_fields = G_N_ELEMENTS(g0_single_fields),
    .areas = g0_single_areas,
    .n_areas = G_N_ELEMENTS(g0_single_areas),
    .rdp = {G0_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = g0_check,
    .explain = g0_explain,
};

const GlintOptionLayout glint_g0_dual_options = {
    .regs = g0_registers,
    .n_regs = G0_DUAL_N_REGS,
    .fields = g0_dual_fields,
    .n_fields = G_N_ELEMENTS(g0_dual_fields),
    .areas = g0_dual_areas,
    .n_areas = G_N_ELEMENTS(g0_dual_areas),
    .rdp = {G0_OB_OPTR, 0, 0xAA, 0xCC, 0xBB},
    .check = g0_check,
    .explain = g0_explain,
};
