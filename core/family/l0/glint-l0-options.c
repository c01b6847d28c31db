/* glint-l0-options.c: the STM32L0/L1 option bytes as Glint edits them.
 *
 * The layout's registers are the NVM interface's loaded copies: FLASH_OPTR
 * (FLASH_OBR on the L1) with the RDP word in bits 15:0 and the USER word in
 * bits 31:16, then the write-protection registers, one bit per 4 KB sector
 * numbered across the whole flash. The driver stores each half-word with
 * its complement at 0x1FF80000 (glint-l0-flash.c). RM0367/RM0376/RM0377
 * and RM0038, "Option bytes" and "Memory protection". */
#define G_LOG_DOMAIN "glint-l0"

#include "glint-error.h"
#include "glint-i18n.h"
#include "glint-l0-regs.h"
#include "glint-l0.h"

/* Factory values (recalled, as OpenOCD's stm32lx reads a new part): RDP
 * 0xAA, BOR off on the L0 and level 1 on the L1, software watchdog, no
 * reset on Stop/Standby, nBOOT1 = 1 on the L0, boot from bank 1. */
#define L0_OPTR_FACTORY 0x807000AAu
#define L1_OBR_FACTORY 0x00F800AAu

/* Layout register indices: OPTR, then the WRP registers in order. */
enum {
	LX_REG_OPTR,
	LX_REG_WRP1,
	LX_REG_WRP2,
	LX_REG_WRP3,
	LX_REG_WRP4,
};

const GlintLxOptionReg glint_l0_option_regs[] = {
    [LX_REG_OPTR] = {FLASH_LX_OPTR, LX_OB_RDP, LX_OB_USER},
    [LX_REG_WRP1] = {FLASH_LX_WRPR1, LX_OB_WRP01, LX_OB_WRP23},
    [LX_REG_WRP2] = {FLASH_LX_WRPR2, LX_OB_WRP45, LX_OB_NONE},
};

const GlintLxOptionReg glint_l1_option_regs[] = {
    [LX_REG_OPTR] = {FLASH_LX_OPTR, LX_OB_RDP, LX_OB_USER},
    [LX_REG_WRP1] = {FLASH_LX_WRPR1, LX_OB_WRP01, LX_OB_WRP23},
    [LX_REG_WRP2] = {FLASH_LX_WRPR2, LX_OB_WRP45, LX_OB_WRP67},
    [LX_REG_WRP3] = {FLASH_LX_WRPR3, LX_OB_WRP89, LX_OB_WRP1011},
    [LX_REG_WRP4] = {FLASH_LX_WRPR4, LX_OB_WRP1213, LX_OB_WRP1415},
};

static const GlintOptionRegister l0_registers[] = {
    [LX_REG_OPTR] = {"FLASH_OPTR", "OPTR", L0_OPTR_FACTORY, 32, 0},
    [LX_REG_WRP1] = {"FLASH_WRPROT1", "WRPROT1", 0, 32, 0},
    [LX_REG_WRP2] = {"FLASH_WRPROT2", "WRPROT2", 0, 16, 0},
};

static const GlintOptionRegister l1_registers[] = {
    [LX_REG_OPTR] = {"FLASH_OBR", "OBR", L1_OBR_FACTORY, 32, 0},
    [LX_REG_WRP1] = {"FLASH_WRPR1", "WRPR1", 0, 32, 0},
    [LX_REG_WRP2] = {"FLASH_WRPR2", "WRPR2", 0, 32, 0},
    [LX_REG_WRP3] = {"FLASH_WRPR3", "WRPR3", 0, 32, 0},
    [LX_REG_WRP4] = {"FLASH_WRPR4", "WRPR4", 0, 32, 0},
};

/* BOR_LEV[3:0]: 0-7 keep BOR off (the reset follows the power-down
 * reset), 8-12 the five levels (DS10152 / DS8890 rising thresholds,
 * typical; recalled). */
static const GlintOptionChoice bor_levels[] = {
    {0, N_("off")},
    {8, N_("level 1, 1.8 V")},
    {9, N_("level 2, 2.1 V")},
    {10, N_("level 3, 2.4 V")},
    {11, N_("level 4, 2.7 V")},
    {12, N_("level 5, 3.0 V")},
    {0, NULL},
};

#define BIT_FIELD(nm, shift, factory, meaning, risk)                                               \
	{                                                                                          \
		nm, LX_REG_OPTR, shift, 1, factory, meaning, risk, 0, NULL, NULL, 0                \
	}

/* @factory as in the factory register: BOR off (0) on the L0, level 1 (8)
 * on the L1 */
#define BOR_FIELD(factory)                                                                         \
	{                                                                                          \
		"BOR_LEV", LX_REG_OPTR, 16, 4, factory,                                            \
		    N_("Brown-out reset threshold (0: off, 8-12: levels 1-5)"),                    \
		    GLINT_OPTION_RISK_NONE, 12, bor_levels, NULL, 0                                \
	}

#define WPRMOD_CONSEQUENCE                                                                         \
	N_("The WRPROT bits become PCROP: the sectors they mark can be executed but no longer "    \
	   "read, "                                                                                \
	   "erased or programmed, by the debugger either; PCROP goes only with an RDP 1 -> 0 "     \
	   "regression")

static const GlintOptionField l0_fields[] = {
    {"WPRMOD", LX_REG_OPTR, 8, 1, 0,
     N_("1: the WRPROT bits are PCROP (execute-only sectors) instead of write protection"),
     GLINT_OPTION_RISK_LOCKOUT, 0, NULL, WPRMOD_CONSEQUENCE, 0},
    {"BOR_LEV", LX_REG_OPTR, 16, 4, 0, N_("Brown-out reset threshold (0: off, 8-12: levels 1-5)"),
     GLINT_OPTION_RISK_NONE, 12, bor_levels, NULL, 0},
    BIT_FIELD("WDG_SW", 20, 1, N_("1: independent watchdog started by software, 0: by hardware"),
	      0),
    BIT_FIELD("nRST_STOP", 21, 1, N_("0: reset generated when entering Stop mode"), 0),
    BIT_FIELD("nRST_STDBY", 22, 1, N_("0: reset generated when entering Standby mode"), 0),
    BIT_FIELD("nBOOT1", 31, 1, N_("With BOOT0 high: 1 boots system memory, 0 boots SRAM"),
	      GLINT_OPTION_RISK_BOOT),
};

static const GlintOptionField l0_cat5_fields[] = {
    {"WPRMOD", LX_REG_OPTR, 8, 1, 0,
     N_("1: the WRPROT bits are PCROP (execute-only sectors) instead of write protection"),
     GLINT_OPTION_RISK_LOCKOUT, 0, NULL, WPRMOD_CONSEQUENCE, 0},
    BOR_FIELD(0),
    BIT_FIELD("WDG_SW", 20, 1, N_("1: independent watchdog started by software, 0: by hardware"),
	      0),
    BIT_FIELD("nRST_STOP", 21, 1, N_("0: reset generated when entering Stop mode"), 0),
    BIT_FIELD("nRST_STDBY", 22, 1, N_("0: reset generated when entering Standby mode"), 0),
    BIT_FIELD("BFB2", 23, 0,
	      N_("1: boot from bank 2 when it holds a valid image (through the system bootloader)"),
	      GLINT_OPTION_RISK_BOOT),
    BIT_FIELD("nBOOT1", 31, 1, N_("With BOOT0 high: 1 boots system memory, 0 boots SRAM"),
	      GLINT_OPTION_RISK_BOOT),
};

static const GlintOptionField l1_fields[] = {
    BOR_FIELD(8),
    BIT_FIELD("IWDG_SW", 20, 1, N_("1: independent watchdog started by software, 0: by hardware"),
	      0),
    BIT_FIELD("nRST_STOP", 21, 1, N_("0: reset generated when entering Stop mode"), 0),
    BIT_FIELD("nRST_STDBY", 22, 1, N_("0: reset generated when entering Standby mode"), 0),
};

/* RM0038: on the dual-bank L1 bit 23 is BFB2 with 1 booting bank 1 (the
 * factory value) and 0 booting bank 2 when it holds a valid image. */
static const GlintOptionField l1_dual_fields[] = {
    BOR_FIELD(8),
    BIT_FIELD("IWDG_SW", 20, 1, N_("1: independent watchdog started by software, 0: by hardware"),
	      0),
    BIT_FIELD("nRST_STOP", 21, 1, N_("0: reset generated when entering Stop mode"), 0),
    BIT_FIELD("nRST_STDBY", 22, 1, N_("0: reset generated when entering Standby mode"), 0),
    BIT_FIELD("BFB2", 23, 1,
	      N_("0: boot from bank 2 when it holds a valid image; 1: from bank 1 (note the "
		 "polarity: the L0's is the other way round)"),
	      GLINT_OPTION_RISK_BOOT),
};

/* One bit per 4 KB sector (32 pages of 128 B on the L0, 16 of 256 B on
 * the L1), counted across both banks; a set bit protects (RM0367 and
 * RM0038, write protection). On the L0 WPRMOD chooses what the bits mean. */
#define WRP_BITS(nm, rg, nbits, upb, first, wfield, wvalue)                                        \
	{                                                                                          \
		.name = nm, .type = GLINT_PROTECT_WRP, .encoding = GLINT_AREA_MASK,                \
		.mask_reg = rg, .mask_bits = nbits, .units_per_bit = upb,                          \
		.protect_when_set = TRUE, .flags = GLINT_AREA_ACROSS_BANKS, .first_unit = first,   \
		.when_field = wfield, .when_value = wvalue                                         \
	}

#define PCROP_CONSEQUENCE                                                                          \
	N_("Those sectors become execute-only: no debugger read, erase or program; only an RDP 1 " \
	   "-> "                                                                                   \
	   "0 regression (which erases the chip) removes it")

#define PCROP_BITS(nm, rg, nbits, first)                                                           \
	{                                                                                          \
		.name = nm, .type = GLINT_PROTECT_PCROP, .encoding = GLINT_AREA_MASK,              \
		.mask_reg = rg, .mask_bits = nbits, .units_per_bit = 32, .protect_when_set = TRUE, \
		.flags = GLINT_AREA_ACROSS_BANKS | GLINT_AREA_GROW_ONLY,                           \
		.risk = GLINT_OPTION_RISK_LOCKOUT, .consequence = PCROP_CONSEQUENCE,               \
		.first_unit = first, .when_field = "WPRMOD", .when_value = 1                       \
	}

static const GlintProtectionArea l0_cat1_areas[] = {
    WRP_BITS("WRP", LX_REG_WRP1, 4, 32, 0, "WPRMOD", 0),
    PCROP_BITS("PCROP", LX_REG_WRP1, 4, 0),
};

static const GlintProtectionArea l0_cat2_areas[] = {
    WRP_BITS("WRP", LX_REG_WRP1, 8, 32, 0, "WPRMOD", 0),
    PCROP_BITS("PCROP", LX_REG_WRP1, 8, 0),
};

static const GlintProtectionArea l0_cat3_areas[] = {
    WRP_BITS("WRP", LX_REG_WRP1, 16, 32, 0, "WPRMOD", 0),
    PCROP_BITS("PCROP", LX_REG_WRP1, 16, 0),
};

/* 192 KB: WRPROT1 for sectors 0-31, WRPROT2 for 32-47 */
static const GlintProtectionArea l0_cat5_areas[] = {
    WRP_BITS("WRP1", LX_REG_WRP1, 32, 32, 0, "WPRMOD", 0),
    WRP_BITS("WRP2", LX_REG_WRP2, 16, 32, 32 * 32, "WPRMOD", 0),
    PCROP_BITS("PCROP1", LX_REG_WRP1, 32, 0),
    PCROP_BITS("PCROP2", LX_REG_WRP2, 16, 32 * 32),
};

/* The L1: 16 pages of 256 B per bit, 32 bits per register. */
static const GlintProtectionArea l1_cat12_areas[] = {
    WRP_BITS("WRP1", LX_REG_WRP1, 32, 16, 0, NULL, 0),
};

static const GlintProtectionArea l1_cat3_areas[] = {
    WRP_BITS("WRP1", LX_REG_WRP1, 32, 16, 0, NULL, 0),
    WRP_BITS("WRP2", LX_REG_WRP2, 32, 16, 32 * 16, NULL, 0),
};

static const GlintProtectionArea l1_cat4_areas[] = {
    WRP_BITS("WRP1", LX_REG_WRP1, 32, 16, 0, NULL, 0),
    WRP_BITS("WRP2", LX_REG_WRP2, 32, 16, 32 * 16, NULL, 0),
    WRP_BITS("WRP3", LX_REG_WRP3, 32, 16, 64 * 16, NULL, 0),
};

static const GlintProtectionArea l1_cat5_areas[] = {
    WRP_BITS("WRP1", LX_REG_WRP1, 32, 16, 0, NULL, 0),
    WRP_BITS("WRP2", LX_REG_WRP2, 32, 16, 32 * 16, NULL, 0),
    WRP_BITS("WRP3", LX_REG_WRP3, 32, 16, 64 * 16, NULL, 0),
    WRP_BITS("WRP4", LX_REG_WRP4, 32, 16, 96 * 16, NULL, 0),
};

static gboolean
wprmod(const GlintOptionBytes *ob)
{
	return (ob->regs[LX_REG_OPTR] & FLASH_OPTR_WPRMOD) != 0;
}

static gboolean
rdp_regression(const GlintOptionBytes *old, const GlintOptionBytes *new_ob)
{
	return glint_option_bytes_rdp_level(old) == 1 && glint_option_bytes_rdp_level(new_ob) == 0;
}

/* PCROP is undone only by the RDP 1 -> 0 regression (recalled from
 * RM0367, PCROP: deactivation only when the RDP level goes from 1 to 0);
 * the generic grow-only rule covers its sectors, this the mode bit. */
static gboolean
l0_check(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	if (wprmod(old) && !wprmod(new_ob) && !rdp_regression(old, new_ob)) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("WPRMOD can go back to 0 (PCROP off) only together with an RDP level "
		      "1 -> 0 regression, which erases the flash and data EEPROM of the %s. "
		      "Nothing was changed"),
		    ctx->chip_name);
		return FALSE;
	}
	return TRUE;
}

static void
l0_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (change->field != NULL && g_strcmp0(change->field->name, "WPRMOD") == 0 &&
	    !wprmod(new_ob)) {
		g_free(change->consequence);
		change->consequence = g_strdup(_("The WRPROT bits are write protection again"));
		change->risk = GLINT_OPTION_RISK_NONE;
	} else if (change->field != NULL && g_strcmp0(change->field->name, "BFB2") == 0) {
		g_free(change->consequence);
		change->consequence =
		    g_strdup((new_ob->regs[LX_REG_OPTR] & FLASH_OPTR_BFB2)
				 ? (ctx->bank2_empty
					? _("Bank 2 holds no valid image: at reset the system "
					    "bootloader finds none there and starts bank 1")
					: _("The chip will boot from bank 2 (through the system "
					    "bootloader)"))
				 : _("The chip will boot from bank 1 directly"));
	}
}

static void
l1_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	if (change->field == NULL || g_strcmp0(change->field->name, "BFB2") != 0)
		return;
	g_free(change->consequence);
	change->consequence =
	    g_strdup((new_ob->regs[LX_REG_OPTR] & FLASH_OPTR_BFB2)
			 ? _("The chip will boot from bank 1")
			 : (ctx->bank2_empty
				? _("Bank 2 holds no valid image: at reset the system "
				    "bootloader finds none there and starts bank 1")
				: _("The chip will boot from bank 2 (BFB2 = 0 on the STM32L1)")));
}

/* RDP: 0xAA level 0, 0xCC level 2, anything else level 1; Glint writes
 * 0xBB for level 1 (RM0367 and RM0038, read protection). */
#define LX_RDP                                                                                     \
	{                                                                                          \
		LX_REG_OPTR, 0, 0xAA, 0xCC, 0xBB                                                   \
	}

const GlintOptionLayout glint_l0_cat1_options = {
    l0_registers,  2,
    l0_fields,	   G_N_ELEMENTS(l0_fields),
    l0_cat1_areas, G_N_ELEMENTS(l0_cat1_areas),
    LX_RDP,	   l0_check,
    l0_explain,
};
const GlintOptionLayout glint_l0_cat2_options = {
    l0_registers,  2,
    l0_fields,	   G_N_ELEMENTS(l0_fields),
    l0_cat2_areas, G_N_ELEMENTS(l0_cat2_areas),
    LX_RDP,	   l0_check,
    l0_explain,
};
const GlintOptionLayout glint_l0_cat3_options = {
    l0_registers,  2,
    l0_fields,	   G_N_ELEMENTS(l0_fields),
    l0_cat3_areas, G_N_ELEMENTS(l0_cat3_areas),
    LX_RDP,	   l0_check,
    l0_explain,
};
const GlintOptionLayout glint_l0_cat5_options = {
    l0_registers,   3,
    l0_cat5_fields, G_N_ELEMENTS(l0_cat5_fields),
    l0_cat5_areas,  G_N_ELEMENTS(l0_cat5_areas),
    LX_RDP,	    l0_check,
    l0_explain,
};
const GlintOptionLayout glint_l1_cat12_options = {
    l1_registers,   2,
    l1_fields,	    G_N_ELEMENTS(l1_fields),
    l1_cat12_areas, G_N_ELEMENTS(l1_cat12_areas),
    LX_RDP,	    NULL,
    NULL,
};
const GlintOptionLayout glint_l1_cat3_options = {
    l1_registers,  3,
    l1_fields,	   G_N_ELEMENTS(l1_fields),
    l1_cat3_areas, G_N_ELEMENTS(l1_cat3_areas),
    LX_RDP,	   NULL,
    NULL,
};
const GlintOptionLayout glint_l1_cat4_options = {
    l1_registers,   4,
    l1_dual_fields, G_N_ELEMENTS(l1_dual_fields),
    l1_cat4_areas,  G_N_ELEMENTS(l1_cat4_areas),
    LX_RDP,	    NULL,
    l1_explain,
};
const GlintOptionLayout glint_l1_cat5_options = {
    l1_registers,   5,
    l1_dual_fields, G_N_ELEMENTS(l1_dual_fields),
    l1_cat5_areas,  G_N_ELEMENTS(l1_cat5_areas),
    LX_RDP,	    NULL,
    l1_explain,
};
