/* glint-f1-options.c: the option bytes of the STM32F0, F1 and F3 (PM0075
 * 2.5, PM0068 2.5, RM0091 4, RM0316 5): eight bytes stored with their
 * complements at 0x1FFFF800 and loaded into FLASH_OBR and FLASH_WRPR. The
 * layouts name RDP, the USER bits, Data0/Data1 and WRP (one bit per group of
 * pages, a 0 bit protects) as the manuals do; this file also turns the
 * registers into the layout's values and back into the stored half-words. */
#define G_LOG_DOMAIN "glint-f1"

#include "glint-error.h"
#include "glint-f1-regs.h"
#include "glint-f1.h"
#include "glint-i18n.h"

#define OB_FACTORY_USER 0xFFu
#define OB_FACTORY_DATA 0xFFFFu
#define OB_FACTORY_WRP 0xFFFFFFFFu

#define OB_REGISTERS(rdp_factory)                                                                  \
	{                                                                                          \
		[F1_OB_RDP] = {"RDP", "RDP", rdp_factory, 8, 0},                                   \
		[F1_OB_USER] = {"USER", "USER", OB_FACTORY_USER, 8, 0},                            \
		[F1_OB_DATA] = {"DATA", "DATA", OB_FACTORY_DATA, 16, 0},                           \
		[F1_OB_WRP] = {"FLASH_WRPR", "WRPR", OB_FACTORY_WRP, 32, 0},                       \
	}

/* PM0075 2.5: RDP 0xA5 unprotects; as shipped 0x5AA5 */
static const GlintOptionRegister f1_registers[F1_OB_N_REGS] = OB_REGISTERS(OB_RDP_F1_LEVEL0);
/* RM0091 4.1.1: ST production value 0x00FF55AA */
static const GlintOptionRegister f0_registers[F1_OB_N_REGS] = OB_REGISTERS(OB_RDP_F0_LEVEL0);

#define USER_BIT(name, bit, factory, meaning, risk)                                                \
	{                                                                                          \
		name, F1_OB_USER, bit, 1, factory, meaning, risk, 0, NULL, NULL, 0                 \
	}
#define DATA_BYTE(name, shift)                                                                     \
	{                                                                                          \
		name, F1_OB_DATA, shift, 8, 0xFF,                                                  \
		    N_("User data byte, kept for the firmware (the chip does not use it)"), 0, 0,  \
		    NULL, NULL, 0                                                                  \
	}

#define WDG_SW                                                                                     \
	USER_BIT("WDG_SW", 0, 1, N_("1: watchdog started by software, 0: by hardware at reset"), 0)
#define NRST_STOP USER_BIT("nRST_STOP", 1, 1, N_("0: reset generated when entering Stop mode"), 0)
#define NRST_STDBY                                                                                 \
	USER_BIT("nRST_STDBY", 2, 1, N_("0: reset generated when entering Standby mode"), 0)

/* PM0075 2.5 USER: WDG_SW, nRST_STOP, nRST_STDBY; bits 3-7 unused */
static const GlintOptionField f1_fields[] = {
    WDG_SW, NRST_STOP, NRST_STDBY, DATA_BYTE("Data0", 0), DATA_BYTE("Data1", 8),
};

/* PM0068 2.5: BFB2 (bit 3) on XL parts */
static const GlintOptionField f1_xl_fields[] = {
    WDG_SW,
    NRST_STOP,
    NRST_STDBY,
    USER_BIT("BFB2", 3, 1,
	     N_("0: boot from bank 2 when it holds a valid image (via the system bootloader), "
		"1: from bank 1"),
	     GLINT_OPTION_RISK_BOOT),
    DATA_BYTE("Data0", 0),
    DATA_BYTE("Data1", 8),
};

#define NBOOT1                                                                                     \
	USER_BIT("nBOOT1", 4, 1, N_("With BOOT0 high: 1 boots system memory, 0 boots SRAM"),       \
		 GLINT_OPTION_RISK_BOOT)
#define VDDA_MONITOR                                                                               \
	USER_BIT("VDDA_MONITOR", 5, 1, N_("1: the VDDA supply supervisor is on, 0: off"), 0)

/* RM0091 4.1.1: nBOOT0 and BOOT_SEL exist on the F04x and F09x only */
static const GlintOptionField f0_fields[] = {
    WDG_SW,
    NRST_STOP,
    NRST_STDBY,
    NBOOT1,
    VDDA_MONITOR,
    USER_BIT("RAM_PARITY_CHECK", 6, 1, N_("0: SRAM parity check enabled"), 0),
    DATA_BYTE("Data0", 0),
    DATA_BYTE("Data1", 8),
};

static const GlintOptionField f0_boot_fields[] = {
    WDG_SW,
    NRST_STOP,
    NRST_STDBY,
    USER_BIT("nBOOT0", 3, 1, N_("BOOT0 value when BOOT_SEL is 0"), GLINT_OPTION_RISK_BOOT),
    NBOOT1,
    VDDA_MONITOR,
    USER_BIT("RAM_PARITY_CHECK", 6, 1, N_("0: SRAM parity check enabled"), 0),
    USER_BIT("BOOT_SEL", 7, 1, N_("1: BOOT0 is the pin, 0: BOOT0 is taken from nBOOT0"),
	     GLINT_OPTION_RISK_BOOT),
    DATA_BYTE("Data0", 0),
    DATA_BYTE("Data1", 8),
};

/* RM0316 5.1 / RM0365 5 / RM0364 4: bit 3 reserved, SRAM_PE at bit 6 */
static const GlintOptionField f3_fields[] = {
    WDG_SW,
    NRST_STOP,
    NRST_STDBY,
    NBOOT1,
    VDDA_MONITOR,
    USER_BIT("SRAM_PE", 6, 1, N_("0: SRAM parity check enabled"), 0),
    DATA_BYTE("Data0", 0),
    DATA_BYTE("Data1", 8),
};

/* RM0313 4: the F37x adds the SDADC supply supervisor */
static const GlintOptionField f37x_fields[] = {
    WDG_SW,
    NRST_STOP,
    NRST_STDBY,
    NBOOT1,
    VDDA_MONITOR,
    USER_BIT("SRAM_PE", 6, 1, N_("0: SRAM parity check enabled"), 0),
    USER_BIT("SDADC12_VDD_MONITOR", 7, 1, N_("1: the SDADC12 supply supervisor is on, 0: off"), 0),
    DATA_BYTE("Data0", 0),
    DATA_BYTE("Data1", 8),
};

/* FLASH_WRPR: bit i protects pages i * k .. i * k + k - 1 when it is 0; the
 * last bit covers every page after (PM0075 2.5 WRPx; RM0091 4.1.3: one 4 KB
 * sector per bit; RM0316 5.1: two pages per bit) */
#define WRP_AREA(pages_per_bit)                                                                    \
	{                                                                                          \
		.name = "WRP", .type = GLINT_PROTECT_WRP, .encoding = GLINT_AREA_MASK, .bank = 0,  \
		.mask_reg = F1_OB_WRP, .mask_shift = 0, .mask_bits = 32,                           \
		.units_per_bit = pages_per_bit, .protect_when_set = FALSE, .last_bit_rest = TRUE,  \
	}

static const GlintProtectionArea wrp_4[] = {WRP_AREA(4)};
static const GlintProtectionArea wrp_2[] = {WRP_AREA(2)};

/* PM0068 2.5: on XL parts WRP bit 31 protects pages 62-511, the rest of bank
 * 1 and all of bank 2; bank 2 shows it as an area of its own */
#define WRP31_BOTH_BANKS                                                                           \
	N_("WRP bit 31 protects the end of bank 1 (from page 62) and the whole of bank 2 at once")
static const GlintProtectionArea wrp_xl[] = {
    WRP_AREA(2),
    {
	.name = "WRP_B2",
	.type = GLINT_PROTECT_WRP,
	.encoding = GLINT_AREA_MASK,
	.bank = 1,
	.mask_reg = F1_OB_WRP,
	.mask_shift = 31,
	.mask_bits = 1,
	.units_per_bit = 1,
	.protect_when_set = FALSE,
	.last_bit_rest = TRUE,
	.consequence = WRP31_BOTH_BANKS,
    },
};

static const GlintF1Chip *
context_chip(const GlintOptionContext *ctx)
{
	const GlintChip *chip = ctx->chip;
	return chip != NULL ? chip->data : NULL;
}

/* Six option bytes (F301/F302x6/8, F303x6/8, F334): WRP2 and WRP3 do not
 * exist and stay erased (RM0366 4, RM0364 4). */
static gboolean
f1_check(const GlintOptionContext *ctx, const GlintOptionBytes *old, const GlintOptionBytes *new_ob,
	 GError **error)
{
	const GlintF1Chip *data = context_chip(ctx);

	if (data != NULL && data->n_option_bytes < 8 &&
	    (new_ob->regs[F1_OB_WRP] & 0xFFFF0000u) != 0xFFFF0000u) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("The %s has no WRP2/WRP3 option bytes: FLASH_WRPR bits 31:16 must "
			      "stay 1 (RM0366 4). Nothing was changed"),
			    ctx->chip_name);
		return FALSE;
	}
	return TRUE;
}

static void
f1_explain(const GlintOptionContext *ctx, const GlintOptionBytes *old,
	   const GlintOptionBytes *new_ob, GlintOptionChange *change)
{
	guint32 bit31 = 1u << 31;
	gboolean xl = ctx->geometry != NULL && ctx->geometry->n_banks > 1;

	if (change->area == NULL || !xl ||
	    !((old->regs[F1_OB_WRP] ^ new_ob->regs[F1_OB_WRP]) & bit31))
		return;
	g_free(change->consequence);
	change->consequence = g_strdup(glint_tr(WRP31_BOTH_BANKS));
}

#define F1_LAYOUT(reg_table, field_table, area_table, level0, level2)                              \
	{                                                                                          \
		.regs = reg_table, .n_regs = F1_OB_N_REGS, .fields = field_table,                  \
		.n_fields = G_N_ELEMENTS(field_table), .areas = area_table,                        \
		.n_areas = G_N_ELEMENTS(area_table), .rdp = {F1_OB_RDP, 0, level0, level2, 0x00},  \
		.check = f1_check, .explain = f1_explain,                                          \
	}

/* F1: no level 2 (PM0075 2.4.1) */
const GlintOptionLayout glint_f1_options_4 =
    F1_LAYOUT(f1_registers, f1_fields, wrp_4, OB_RDP_F1_LEVEL0, 0);
const GlintOptionLayout glint_f1_options_2 =
    F1_LAYOUT(f1_registers, f1_fields, wrp_2, OB_RDP_F1_LEVEL0, 0);
const GlintOptionLayout glint_f1_xl_options =
    F1_LAYOUT(f1_registers, f1_xl_fields, wrp_xl, OB_RDP_F1_LEVEL0, 0);
/* F0 and F3: 0xCC is level 2, for ever (RM0091 3.3.1, RM0316 4.3.1) */
const GlintOptionLayout glint_f0_options_4 =
    F1_LAYOUT(f0_registers, f0_fields, wrp_4, OB_RDP_F0_LEVEL0, OB_RDP_LEVEL2);
const GlintOptionLayout glint_f04x_options =
    F1_LAYOUT(f0_registers, f0_boot_fields, wrp_4, OB_RDP_F0_LEVEL0, OB_RDP_LEVEL2);
const GlintOptionLayout glint_f0_options_2 =
    F1_LAYOUT(f0_registers, f0_fields, wrp_2, OB_RDP_F0_LEVEL0, OB_RDP_LEVEL2);
const GlintOptionLayout glint_f09x_options =
    F1_LAYOUT(f0_registers, f0_boot_fields, wrp_2, OB_RDP_F0_LEVEL0, OB_RDP_LEVEL2);
const GlintOptionLayout glint_f3_options =
    F1_LAYOUT(f0_registers, f3_fields, wrp_2, OB_RDP_F0_LEVEL0, OB_RDP_LEVEL2);
const GlintOptionLayout glint_f37x_options =
    F1_LAYOUT(f0_registers, f37x_fields, wrp_2, OB_RDP_F0_LEVEL0, OB_RDP_LEVEL2);

guint8
glint_f1_rdp_level0(const GlintChip *chip)
{
	return chip->options->rdp.level0;
}

static guint
rdp_level_of(const GlintChip *chip, guint8 raw)
{
	if (raw == chip->options->rdp.level0)
		return 0;
	if (chip->options->rdp.level2 != 0 && raw == chip->options->rdp.level2)
		return 2;
	return 1;
}

/* The level FLASH_OBR reports as loaded. */
static guint
loaded_rdp_level(const GlintF1Chip *data, guint32 obr)
{
	guint32 rdprt;
	if (data->line == GLINT_F1_LINE_F1)
		return (obr & FLASH_OBR_F1_RDPRT) ? 1 : 0;
	rdprt = obr & FLASH_OBR_F0_RDPRT_MASK;
	if (rdprt == 0)
		return 0;
	return rdprt == FLASH_OBR_F0_RDPRT_LEVEL2 ? 2 : 1;
}

void
glint_f1_options_from_registers(const GlintChip *chip, const guint8 *stored, guint32 obr,
				guint32 wrpr, GlintOptionBytes *ob)
{
	const GlintF1Chip *data = chip->data;
	guint level = loaded_rdp_level(data, obr);
	gboolean coherent = (stored[OB_RDP] ^ stored[OB_RDP + 1]) == 0xFF;
	guint8 rdp;

	glint_option_bytes_init_factory(ob, chip->options);
	/* FLASH_OBR holds the level, not the byte: the stored byte tells which
	 * level-1 value it is, when it is what was loaded. A byte that failed
	 * its complement check was loaded as 0xFF (RM0091 4). */
	if (coherent && rdp_level_of(chip, stored[OB_RDP]) == level)
		rdp = stored[OB_RDP];
	else if (level == 0)
		rdp = chip->options->rdp.level0;
	else if (level == 2)
		rdp = OB_RDP_LEVEL2;
	else
		rdp = 0xFF;
	ob->regs[F1_OB_RDP] = rdp;
	if (data->line == GLINT_F1_LINE_F1) {
		ob->regs[F1_OB_USER] = (obr >> FLASH_OBR_F1_USER_SHIFT) & 0xFFu;
		ob->regs[F1_OB_DATA] = ((obr >> FLASH_OBR_F1_DATA0_SHIFT) & 0xFFu) |
				       ((obr >> FLASH_OBR_F1_DATA1_SHIFT) & 0xFFu) << 8;
	} else {
		ob->regs[F1_OB_USER] = (obr >> FLASH_OBR_F0_USER_SHIFT) & 0xFFu;
		ob->regs[F1_OB_DATA] = ((obr >> FLASH_OBR_F0_DATA0_SHIFT) & 0xFFu) |
				       ((obr >> FLASH_OBR_F0_DATA1_SHIFT) & 0xFFu) << 8;
	}
	ob->regs[F1_OB_WRP] = wrpr;
}

static guint16
with_complement(guint8 value)
{
	return (guint16)(value | (guint16)(guint8)~value << 8);
}

void
glint_f1_options_to_halfwords(const GlintChip *chip, const GlintOptionBytes *ob,
			      guint16 halfwords[8])
{
	const GlintF1Chip *data = chip->data;
	guint32 wrp = ob->regs[F1_OB_WRP];

	halfwords[0] = with_complement((guint8)ob->regs[F1_OB_RDP]);
	halfwords[1] = with_complement((guint8)ob->regs[F1_OB_USER]);
	halfwords[2] = with_complement((guint8)ob->regs[F1_OB_DATA]);
	halfwords[3] = with_complement((guint8)(ob->regs[F1_OB_DATA] >> 8));
	for (guint i = 0; i < 4; i++)
		halfwords[4 + i] = with_complement((guint8)(wrp >> (8 * i)));
	/* option bytes the chip does not have stay erased */
	for (guint i = data->n_option_bytes; i < 8; i++)
		halfwords[i] = 0xFFFF;
}

gboolean
glint_f1_options_stored_equal(const GlintChip *chip, const guint8 *stored,
			      const GlintOptionBytes *ob)
{
	guint16 want[8];
	glint_f1_options_to_halfwords(chip, ob, want);
	for (guint i = 0; i < 8; i++) {
		guint16 got = (guint16)(stored[2 * i] | stored[2 * i + 1] << 8);
		if (got != want[i])
			return FALSE;
	}
	return TRUE;
}
