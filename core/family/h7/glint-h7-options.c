/* glint-h7-options.c: the STM32H7 option bytes (RM0433 4.4 and 4.9.8-
 * 4.9.26, RM0455 4.4, RM0468 4.4): FLASH_OPTSR fields, the boot addresses,
 * sector write protection (WPSN, one bit per sector; WPSGN on the H7A3,
 * one bit per 4 sectors), PCROP (PRAR) and secure-only (SCAR) areas per
 * bank, and the family's rules about changing them. Values are the *_CUR
 * registers; Glint writes the *_PRG ones. */
#define G_LOG_DOMAIN "glint-h7"

#include "glint-error.h"
#include "glint-h7-regs.h"
#include "glint-h7.h"
#include "glint-i18n.h"

/* Factory values (RM0433 4.4.1 "option bytes as shipped", as a new
 * NUCLEO-H743ZI reads them: BOR off, watchdogs by software, no reset on
 * Stop/Standby, RDP 0xAA, IWDG frozen in Stop/Standby, no SWAP). */
#define H74X_OPTSR_FACTORY 0x01C6AAF0u
#define H7AX_OPTSR_FACTORY 0x0006AAF0u
#define H72X_OPTSR_FACTORY 0x0006AAF0u
#define H72X_OPTSR2_FACTORY 0x00000000u
/* BOOT_ADD0 = 0x0800 (flash), BOOT_ADD1 = 0x1FF0 (system memory) */
#define BOOT_FACTORY 0x1FF00800u
/* PRAR/SCAR: start 0x0FF > end 0x000, so no area; DMES set */
#define PRAR_FACTORY 0x000000FFu
#define SCAR_FACTORY 0x800000FFu
#define WPSN_FACTORY 0x000000FFu  /* 8 sectors, none protected (0 protects) */
#define WPSGN_FACTORY 0xFFFFFFFFu /* 32 groups of 4 sectors */

/* What reads back after a write: OPT_BUSY and OPTCHANGEERR are status. */
#define OPTSR_VERIFY (~FLASH_OPTSR_STATUS)

static const GlintOptionRegister h74x_registers[H7_OB_N_DUAL] = {
    [H7_OB_OPTSR] = {"FLASH_OPTSR_CUR", "OPTSR", H74X_OPTSR_FACTORY, 32, OPTSR_VERIFY},
    [H7_OB_BOOT] = {"FLASH_BOOT_CUR", "BOOT", BOOT_FACTORY, 32, 0},
    [H7_OB_WPSN1] = {"FLASH_WPSN_CUR1R", "WPSN1R", WPSN_FACTORY, 8, 0},
    [H7_OB_PRAR1] = {"FLASH_PRAR_CUR1", "PRAR1", PRAR_FACTORY, 32, 0},
    [H7_OB_SCAR1] = {"FLASH_SCAR_CUR1", "SCAR1", SCAR_FACTORY, 32, 0},
    [H7_OB_WPSN2] = {"FLASH_WPSN_CUR2R", "WPSN2R", WPSN_FACTORY, 8, 0},
    [H7_OB_PRAR2] = {"FLASH_PRAR_CUR2", "PRAR2", PRAR_FACTORY, 32, 0},
    [H7_OB_SCAR2] = {"FLASH_SCAR_CUR2", "SCAR2", SCAR_FACTORY, 32, 0},
};

static const GlintOptionRegister h7ax_registers[H7_OB_N_DUAL] = {
    [H7_OB_OPTSR] = {"FLASH_OPTSR_CUR", "OPTSR", H7AX_OPTSR_FACTORY, 32, OPTSR_VERIFY},
    [H7_OB_BOOT] = {"FLASH_BOOT_CUR", "BOOT", BOOT_FACTORY, 32, 0},
    [H7_OB_WPSN1] = {"FLASH_WPSGN_CUR1R", "WPSGN1R", WPSGN_FACTORY, 32, 0},
    [H7_OB_PRAR1] = {"FLASH_PRAR_CUR1", "PRAR1", PRAR_FACTORY, 32, 0},
    [H7_OB_SCAR1] = {"FLASH_SCAR_CUR1", "SCAR1", SCAR_FACTORY, 32, 0},
    [H7_OB_WPSN2] = {"FLASH_WPSGN_CUR2R", "WPSGN2R", WPSGN_FACTORY, 32, 0},
    [H7_OB_PRAR2] = {"FLASH_PRAR_CUR2", "PRAR2", PRAR_FACTORY, 32, 0},
    [H7_OB_SCAR2] = {"FLASH_SCAR_CUR2", "SCAR2", SCAR_FACTORY, 32, 0},
};

static const GlintOptionRegister h72x_registers[H7_OB_N_SINGLE] = {
    [H7_OB_OPTSR] = {"FLASH_OPTSR_CUR", "OPTSR", H72X_OPTSR_FACTORY, 32, OPTSR_VERIFY},
    [H7_OB_BOOT] = {"FLASH_BOOT_CUR", "BOOT", BOOT_FACTORY, 32, 0},
    [H7_OB_WPSN1] = {"FLASH_WPSN_CUR1R", "WPSN1R", WPSN_FACTORY, 8, 0},
    [H7_OB_PRAR1] = {"FLASH_PRAR_CUR", "PRAR", PRAR_FACTORY, 32, 0},
    [H7_OB_SCAR1] = {"FLASH_SCAR_CUR", "SCAR", SCAR_FACTORY, 32, 0},
    [H7_OB_OPTSR2] = {"FLASH_OPTSR2_CUR", "OPTSR2", H72X_OPTSR2_FACTORY, 32, 0},
};

/* DS12110 table 27 (BOR thresholds, rising edge) */
static const GlintOptionChoice bor_levels[] = {
    {0, N_("off (VBOR0, 1.67 V)")}, {1, N_("2.1 V")}, {2, N_("2.4 V")}, {3, N_("2.7 V")}, {0, NULL},
};

#define OPTSR_FIELD(name, shift, width, factory, meaning, risk)                                    \
	{                                                                                          \
		name, H7_OB_OPTSR, shift, width, factory, meaning, risk, 0, NULL, NULL, 0          \
	}

#define SWAP_MEANING N_("1: bank 2 is mapped at 0x08000000 and boots, bank 1 at 0x08100000")
#define SECURITY_MEANING                                                                           \
	N_("1: secure access mode (secure-only areas, root secure services); can only be set")
#define SECURITY_RISK (GLINT_OPTION_RISK_PERMANENT | GLINT_OPTION_RISK_LOCKOUT)
#define BOOT_FIELD(name, shift, factory, meaning)                                                  \
	{                                                                                          \
		name, H7_OB_BOOT, shift, 16, factory, meaning, GLINT_OPTION_RISK_BOOT, 0, NULL,    \
		    NULL, FLASH_BOOT_ADD_SCALE                                                     \
	}
#define AREA_BIT(name, reg, meaning, risk)                                                         \
	{                                                                                          \
		name, reg, 31, 1, 0, meaning, risk, 0, NULL, NULL, 0                               \
	}
/* the same, set at the factory (DMES) */
#define AREA_BIT_SET(name, reg, meaning, risk)                                                     \
	{                                                                                          \
		name, reg, 31, 1, 1, meaning, risk, 0, NULL, NULL, 0                               \
	}
#define DMEP_MEANING N_("1: the PCROP area is erased by an RDP 1 -> 0 regression; 0: it stays")
#define DMES_MEANING N_("1: the secure area is erased by an RDP 1 -> 0 regression; 0: it stays")

/* RM0433 4.9.9 FLASH_OPTSR_PRG, 4.9.24 FLASH_BOOT_PRGR */
static const GlintOptionField h74x_fields[] = {
    {"BOR_LEV", H7_OB_OPTSR, 2, 2, 0, N_("Brown-out reset threshold (level 0-3)"), 0, 3, bor_levels,
     NULL, 0},
    OPTSR_FIELD("IWDG1_SW", 4, 1, 1, N_("1: IWDG1 started by software, 0: by hardware"), 0),
    OPTSR_FIELD("NRST_STOP_D1", 6, 1, 1, N_("0: reset generated when D1 enters Stop"), 0),
    OPTSR_FIELD("NRST_STBY_D1", 7, 1, 1, N_("0: reset generated when D1 enters Standby"), 0),
    OPTSR_FIELD("FZ_IWDG_STOP", 17, 1, 1, N_("0: IWDG frozen in Stop mode"), 0),
    OPTSR_FIELD("FZ_IWDG_SDBY", 18, 1, 1, N_("0: IWDG frozen in Standby mode"), 0),
    OPTSR_FIELD("SECURITY", 21, 1, 0, SECURITY_MEANING, SECURITY_RISK),
    OPTSR_FIELD("IO_HSLV", 29, 1, 0, N_("1: fast I/O at low voltage (only below 2.7 V supplies)"),
		0),
    OPTSR_FIELD("SWAP_BANK_OPT", 31, 1, 0, SWAP_MEANING,
		GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_GEOMETRY),
    BOOT_FIELD("BOOT_ADD0", 0, 0x0800, N_("Boot address with the BOOT0 pin low")),
    BOOT_FIELD("BOOT_ADD1", 16, 0x1FF0, N_("Boot address with the BOOT0 pin high")),
    AREA_BIT("DMEP1", H7_OB_PRAR1, DMEP_MEANING, 0),
    AREA_BIT_SET("DMES1", H7_OB_SCAR1, DMES_MEANING, 0),
    AREA_BIT("DMEP2", H7_OB_PRAR2, DMEP_MEANING, 0),
    AREA_BIT_SET("DMES2", H7_OB_SCAR2, DMES_MEANING, 0),
};

/* RM0455 4.9.9: no D1/D2 naming, VDDMMC_HSLV */
static const GlintOptionField h7ax_fields[] = {
    {"BOR_LEV", H7_OB_OPTSR, 2, 2, 0, N_("Brown-out reset threshold (level 0-3)"), 0, 3, bor_levels,
     NULL, 0},
    OPTSR_FIELD("IWDG_SW", 4, 1, 1, N_("1: IWDG started by software, 0: by hardware"), 0),
    OPTSR_FIELD("NRST_STOP", 6, 1, 1, N_("0: reset generated when entering Stop"), 0),
    OPTSR_FIELD("NRST_STBY", 7, 1, 1, N_("0: reset generated when entering Standby"), 0),
    OPTSR_FIELD("VDDMMC_HSLV", 16, 1, 0, N_("1: fast VDDMMC I/O at low voltage (below 2.7 V)"), 0),
    OPTSR_FIELD("FZ_IWDG_STOP", 17, 1, 1, N_("0: IWDG frozen in Stop mode"), 0),
    OPTSR_FIELD("FZ_IWDG_SDBY", 18, 1, 1, N_("0: IWDG frozen in Standby mode"), 0),
    OPTSR_FIELD("SECURITY", 21, 1, 0, SECURITY_MEANING, SECURITY_RISK),
    OPTSR_FIELD("IO_HSLV", 29, 1, 0, N_("1: fast I/O at low voltage (only below 2.7 V supplies)"),
		0),
    OPTSR_FIELD("SWAP_BANK_OPT", 31, 1, 0, SWAP_MEANING,
		GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_GEOMETRY),
    BOOT_FIELD("BOOT_ADD0", 0, 0x0800, N_("Boot address with the BOOT0 pin low")),
    BOOT_FIELD("BOOT_ADD1", 16, 0x1FF0, N_("Boot address with the BOOT0 pin high")),
    AREA_BIT("DMEP1", H7_OB_PRAR1, DMEP_MEANING, 0),
    AREA_BIT_SET("DMES1", H7_OB_SCAR1, DMES_MEANING, 0),
    AREA_BIT("DMEP2", H7_OB_PRAR2, DMEP_MEANING, 0),
    AREA_BIT_SET("DMES2", H7_OB_SCAR2, DMES_MEANING, 0),
};

/* RM0468 4.9.9 and 4.9.30 (OPTSR2: TCM/AXI split, CPU frequency boost) */
static const GlintOptionChoice tcm_axi_shared[] = {
    {0, N_("ITCM 64 KB, AXI 320 KB")},
    {1, N_("ITCM 128 KB, AXI 256 KB")},
    {2, N_("ITCM 192 KB, AXI 192 KB")},
    {3, N_("ITCM 256 KB, AXI 128 KB")},
    {0, NULL},
};

static const GlintOptionField h72x_fields[] = {
    {"BOR_LEV", H7_OB_OPTSR, 2, 2, 0, N_("Brown-out reset threshold (level 0-3)"), 0, 3, bor_levels,
     NULL, 0},
    OPTSR_FIELD("IWDG_SW", 4, 1, 1, N_("1: IWDG started by software, 0: by hardware"), 0),
    OPTSR_FIELD("NRST_STOP_D1", 6, 1, 1, N_("0: reset generated when D1 enters Stop"), 0),
    OPTSR_FIELD("NRST_STBY_D1", 7, 1, 1, N_("0: reset generated when D1 enters Standby"), 0),
    OPTSR_FIELD("VDDIO_HSLV", 16, 1, 0, N_("1: fast VDDIO I/O at low voltage (below 2.7 V)"), 0),
    OPTSR_FIELD("FZ_IWDG_STOP", 17, 1, 1, N_("0: IWDG frozen in Stop mode"), 0),
    OPTSR_FIELD("FZ_IWDG_SDBY", 18, 1, 1, N_("0: IWDG frozen in Standby mode"), 0),
    OPTSR_FIELD("SECURITY", 21, 1, 0, SECURITY_MEANING, SECURITY_RISK),
    OPTSR_FIELD("IO_HSLV", 29, 1, 0, N_("1: fast I/O at low voltage (only below 2.7 V supplies)"),
		0),
    BOOT_FIELD("BOOT_ADD0", 0, 0x0800, N_("Boot address with the BOOT0 pin low")),
    BOOT_FIELD("BOOT_ADD1", 16, 0x1FF0, N_("Boot address with the BOOT0 pin high")),
    AREA_BIT("DMEP", H7_OB_PRAR1, DMEP_MEANING, 0),
    AREA_BIT_SET("DMES", H7_OB_SCAR1, DMES_MEANING, 0),
    {"TCM_AXI_SHARED", H7_OB_OPTSR2, 0, 2, 0, N_("ITCM/AXI SRAM split"), 0, 3, tcm_axi_shared, NULL,
     0},
    {"CPUFREQ_BOOST", H7_OB_OPTSR2, 2, 1, 0, N_("1: CPU may run at 550 MHz (H72x/H73x grade)"), 0,
     0, NULL, NULL, 0},
};

/* WPSN: one bit per sector of the bank, 0 protects (RM0433 4.5.4) */
#define WPSN_AREA(name, bank, reg, bits, per_bit)                                                  \
	{                                                                                          \
		name, GLINT_PROTECT_WRP, GLINT_AREA_MASK, bank, 0, 0, 0, 0, 0, 0, 0, reg, 0, bits, \
		    per_bit, FALSE, FALSE, 0, GLINT_OPTION_RISK_NONE, NULL                         \
	}

/* PRAR/SCAR: start [11:0] and end [27:16] in 256-byte steps from the bank's
 * start, both inclusive (RM0433 4.5.3 and 4.5.5). */
#define PCROP_CONSEQUENCE                                                                          \
	N_("That range becomes execute-only: a debugger and other code can no longer read, erase " \
	   "or "                                                                                   \
	   "program it")
#define SECURE_CONSEQUENCE                                                                         \
	N_("That range becomes secure-only once SECURITY is set: only secure code reaches it")
#define RANGE_AREA(name, type, bank, reg, consequence)                                             \
	{                                                                                          \
		name, type, GLINT_AREA_RANGE, bank, reg, 0, 12, reg, 16, 12, FLASH_AREA_GRANULE,   \
		    0, 0, 0, 0, FALSE, FALSE, GLINT_AREA_GROW_ONLY, GLINT_OPTION_RISK_LOCKOUT,     \
		    consequence                                                                    \
	}

static const GlintProtectionArea h74x_areas[] = {
    WPSN_AREA("WPSN1", 0, H7_OB_WPSN1, 8, 1),
    WPSN_AREA("WPSN2", 1, H7_OB_WPSN2, 8, 1),
    RANGE_AREA("PCROP1", GLINT_PROTECT_PCROP, 0, H7_OB_PRAR1, PCROP_CONSEQUENCE),
    RANGE_AREA("PCROP2", GLINT_PROTECT_PCROP, 1, H7_OB_PRAR2, PCROP_CONSEQUENCE),
    RANGE_AREA("SECURE1", GLINT_PROTECT_SECURE, 0, H7_OB_SCAR1, SECURE_CONSEQUENCE),
    RANGE_AREA("SECURE2", GLINT_PROTECT_SECURE, 1, H7_OB_SCAR2, SECURE_CONSEQUENCE),
};

/* RM0455 4.5.4: WPSGN, one bit per group of 4 sectors of 8 KB */
static const GlintProtectionArea h7ax_areas[] = {
    WPSN_AREA("WPSGN1", 0, H7_OB_WPSN1, 32, 4),
    WPSN_AREA("WPSGN2", 1, H7_OB_WPSN2, 32, 4),
    RANGE_AREA("PCROP1", GLINT_PROTECT_PCROP, 0, H7_OB_PRAR1, PCROP_CONSEQUENCE),
    RANGE_AREA("PCROP2", GLINT_PROTECT_PCROP, 1, H7_OB_PRAR2, PCROP_CONSEQUENCE),
    RANGE_AREA("SECURE1", GLINT_PROTECT_SECURE, 0, H7_OB_SCAR1, SECURE_CONSEQUENCE),
    RANGE_AREA("SECURE2", GLINT_PROTECT_SECURE, 1, H7_OB_SCAR2, SECURE_CONSEQUENCE),
};

static const GlintProtectionArea h72x_areas[] = {
    WPSN_AREA("WPSN", 0, H7_OB_WPSN1, 8, 1),
    RANGE_AREA("PCROP", GLINT_PROTECT_PCROP, 0, H7_OB_PRAR1, PCROP_CONSEQUENCE),
    RANGE_AREA("SECURE", GLINT_PROTECT_SECURE, 0, H7_OB_SCAR1, SECURE_CONSEQUENCE),
};

static gboolean
optsr_bit(const GlintOptionBytes *ob, guint32 bit)
{
	return (ob->regs[H7_OB_OPTSR] & bit) != 0;
}

static gboolean
h7_check(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	/* RM0433 4.9.9: SECURITY can be set, never cleared */
	if (optsr_bit(old, FLASH_OPTSR_SECURITY) && !optsr_bit(new_ob, FLASH_OPTSR_SECURITY)) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("SECURITY can only be set: once on, the chip keeps it for ever "
		      "(RM0433 4.9.9). Nothing was changed"));
		return FALSE;
	}
	if (ctx->geometry->n_banks < 2 && optsr_bit(old, FLASH_OPTSR_SWAP_BANK_OPT) !=
					      optsr_bit(new_ob, FLASH_OPTSR_SWAP_BANK_OPT)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("SWAP_BANK_OPT has no effect on this %u KB %s: its flash is a single "
			      "bank (RM0433 4.3.13). Nothing was changed"),
			    ctx->geometry->size / 1024, ctx->chip_name);
		return FALSE;
	}
	return TRUE;
}

static void
replace(GlintOptionChange *change, gchar *consequence)
{
	g_free(change->consequence);
	change->consequence = consequence;
}

static void
explain_swap(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
	     GlintOptionChange *change)
{
	const GlintFlashGeometry *g = ctx->geometry;
	gboolean on = optsr_bit(new_ob, FLASH_OPTSR_SWAP_BANK_OPT);
	/* the bank that will be at 0x08000000 is the one at 0x08100000 now */
	gboolean empty = ctx->bank2_empty;

	if (g->n_banks < 2)
		return;
	replace(change,
		g_strdup_printf(_("Glint resets the chip after writing, and then physical bank %u "
				  "(now at 0x%08X) is at 0x%08X and boots; %s"),
				on ? 2 : 1, g->banks[1].base, g->base,
				empty ? _("it holds no valid image, so the chip will not start "
					  "its firmware")
				      : _("it holds an image, which will run")));
	if (!empty)
		change->risk &= ~GLINT_OPTION_RISK_BOOT;
}

/* Whether @addr is memory of the chip (flash or a RAM or ROM region). */
static gboolean
boot_target_exists(const GlintOptionContext *ctx, guint32 addr)
{
	const GlintChip *chip = ctx->chip;
	if (glint_geometry_contains(ctx->geometry, addr, 8))
		return TRUE;
	for (guint i = 0; chip != NULL && i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if ((r->kind == GLINT_REGION_SRAM || r->kind == GLINT_REGION_SYSTEM) &&
		    addr >= r->base && addr - r->base < r->size)
			return TRUE;
	}
	return FALSE;
}

static void
explain_boot(const GlintOptionContext *ctx, const GlintOptionBytes *new_ob,
	     GlintOptionChange *change)
{
	guint32 v = glint_option_bytes_get_field(new_ob, change->field);
	guint32 addr = v * FLASH_BOOT_ADD_SCALE;
	const char *pin =
	    change->field->shift == 0 ? C_("BOOT0 pin", "low") : C_("BOOT0 pin", "high");

	if (boot_target_exists(ctx, addr)) {
		replace(change, g_strdup_printf(_("With the BOOT0 pin %s the core will boot from "
						  "0x%08X"),
						pin, addr));
		return;
	}
	replace(change, g_strdup_printf(
			    _("0x%08X is no memory of this chip: with the BOOT0 pin %s the core "
			      "would boot nowhere, and only a debugger connected under reset "
			      "could reach it again"),
			    addr, pin));
	change->risk |= GLINT_OPTION_RISK_LOCKOUT;
}

static void
explain_area(const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	const GlintProtectionArea *area = change->area;
	/* the DMEP/DMES bit shares the area's register (bit 31) */
	gboolean erased_by_regression = (new_ob->regs[area->start_reg] & (1u << 31)) != 0;

	if (!glint_option_bytes_area_active(new_ob, area))
		return;
	if (erased_by_regression) {
		replace(change,
			g_strdup_printf(_("%s. It goes away only through an RDP level 1 "
					  "-> 0 regression, which erases it (%s = 1)"),
					change->consequence,
					area->type == GLINT_PROTECT_PCROP ? "DMEP" : "DMES"));
		return;
	}
	replace(change, g_strdup_printf(_("%s, for ever: with %s = 0 not even an RDP regression "
					  "removes it"),
					change->consequence,
					area->type == GLINT_PROTECT_PCROP ? "DMEP" : "DMES"));
	change->risk |= GLINT_OPTION_RISK_PERMANENT;
}

static void
h7_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	const char *name = change->field != NULL ? change->field->name : NULL;

	if (change->area != NULL && change->area->type != GLINT_PROTECT_WRP) {
		explain_area(new_ob, change);
	} else if (g_strcmp0(name, "SWAP_BANK_OPT") == 0) {
		explain_swap(ctx, new_ob, change);
	} else if (g_strcmp0(name, "BOOT_ADD0") == 0 || g_strcmp0(name, "BOOT_ADD1") == 0) {
		explain_boot(ctx, new_ob, change);
	} else if (g_strcmp0(name, "SECURITY") == 0 && optsr_bit(new_ob, FLASH_OPTSR_SECURITY)) {
		replace(change,
			g_strdup(_("Secure access mode for good: the chip runs its root "
				   "secure services at every boot and the secure-only areas "
				   "take effect; SECURITY cannot be cleared again")));
	}
}

/* RM0433 4.9.8 FLASH_OPTSR.RDP [15:8]: 0xAA level 0, 0xCC level 2. */
#define H7_RDP_SPEC                                                                                \
	{                                                                                          \
		H7_OB_OPTSR, FLASH_OPTSR_RDP_SHIFT, 0xAA, 0xCC, 0xBB                               \
	}

const GlintOptionLayout glint_h74x_options = {
    .regs = h74x_registers,
    .n_regs = H7_OB_N_DUAL,
    .fields = h74x_fields,
    .n_fields = G_N_ELEMENTS(h74x_fields),
    .areas = h74x_areas,
    .n_areas = G_N_ELEMENTS(h74x_areas),
    .rdp = H7_RDP_SPEC,
    .check = h7_check,
    .explain = h7_explain,
};

const GlintOptionLayout glint_h7ax_options = {
    .regs = h7ax_registers,
    .n_regs = H7_OB_N_DUAL,
    .fields = h7ax_fields,
    .n_fields = G_N_ELEMENTS(h7ax_fields),
    .areas = h7ax_areas,
    .n_areas = G_N_ELEMENTS(h7ax_areas),
    .rdp = H7_RDP_SPEC,
    .check = h7_check,
    .explain = h7_explain,
};

const GlintOptionLayout glint_h72x_options = {
    .regs = h72x_registers,
    .n_regs = H7_OB_N_SINGLE,
    .fields = h72x_fields,
    .n_fields = G_N_ELEMENTS(h72x_fields),
    .areas = h72x_areas,
    .n_areas = G_N_ELEMENTS(h72x_areas),
    .rdp = H7_RDP_SPEC,
    .check = h7_check,
    .explain = h7_explain,
};
