/* glint-chips.c: the chip table (data) and geometry rules. */
#define G_LOG_DOMAIN "glint-chips"

#include "glint-chips.h"

#include <string.h>

/* RM0351 FLASH_OPTR (STM32L47x/L48x). Reserved bits read as 1 and are kept. */
static const GlintOptionField l47x_optr_fields[] = {
    {"RDP", 0, 8, 0xAA, "Read protection: 0xAA level 0, 0xCC level 2 (permanent), other level 1",
     GLINT_OPTION_RISK_MASS_ERASE | GLINT_OPTION_RISK_PERMANENT},
    {"BOR_LEV", 8, 3, 0, "Brown-out reset threshold level 0-4 (1.7 V to 2.8 V)", 0},
    {"nRST_STOP", 12, 1, 1, "0: reset generated when entering Stop mode", 0},
    {"nRST_STDBY", 13, 1, 1, "0: reset generated when entering Standby mode", 0},
    {"nRST_SHDW", 14, 1, 1, "0: reset generated when entering Shutdown mode", 0},
    {"IWDG_SW", 16, 1, 1, "1: independent watchdog started by software, 0: by hardware", 0},
    {"IWDG_STOP", 17, 1, 1, "0: independent watchdog frozen in Stop mode", 0},
    {"IWDG_STDBY", 18, 1, 1, "0: independent watchdog frozen in Standby mode", 0},
    {"WWDG_SW", 19, 1, 1, "1: window watchdog started by software, 0: by hardware", 0},
    {"BFB2", 20, 1, 0,
     "1: boot from bank 2 when it holds a valid image (via the system bootloader)",
     GLINT_OPTION_RISK_BOOT},
    {"DUALBANK", 21, 1, 1, "1: flash split in two banks (256/512 KB parts only)",
     GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE},
    {"nBOOT1", 23, 1, 1, "With BOOT0 high: 1 boots system memory, 0 boots SRAM1",
     GLINT_OPTION_RISK_BOOT},
    {"SRAM2_PE", 24, 1, 1, "0: SRAM2 parity check enabled", 0},
    {"SRAM2_RST", 25, 1, 1, "0: SRAM2 erased on system reset", 0},
    {"nSWBOOT0", 26, 1, 1, "0: BOOT0 taken from nBOOT0 instead of the pin", GLINT_OPTION_RISK_BOOT},
    {"nBOOT0", 27, 1, 1, "BOOT0 value when nSWBOOT0 is 0", GLINT_OPTION_RISK_BOOT},
};

/* OpenOCD's revision names for DEV_ID 0x415. */
static const GlintChipRevision l47x_revisions[] = {
    {0x1000, "1"},
    {0x1001, "2"},
    {0x1003, "3"},
    {0x1007, "4"},
};

static const guint32 l47x_flash_kb[] = {1024, 512, 256, 0};

static const GlintChip chip_table[] = {
    {
	.dev_id = 0x415,
	.name = "STM32L47x/L48x",
	.parts = "STM32L471, L475, L476, L486",
	.family = GLINT_FAMILY_L4,
	.core = "Cortex-M4",
	.idcode_addr = 0xE0042000,
	.flash_size_reg = 0x1FFF75E0,
	.uid_addr = 0x1FFF7590,
	.package_addr = 0x1FFF7500,
	.flash_base = 0x08000000,
	.flash_kb_max = 1024,
	.flash_kb_variants = l47x_flash_kb,
	.page_size = 2048,
	.flash_regs = 0x40022000,
	.bank_rule = GLINT_BANKS_L4_DUALBANK_BIT,
	.sram1_base = 0x20000000,
	.sram1_size = 96 * 1024,
	.sram2_base = 0x10000000,
	.sram2_size = 32 * 1024,
	.sysmem_base = 0x1FFF0000,
	.sysmem_size = 28 * 1024,
	.otp_base = 0x1FFF7000,
	.otp_size = 1024,
	.option_base = 0x1FFF7800,
	.option_size = 0x28,
	/* stlink-org refuses L4 flash writes below 1.71 V. */
	.min_program_mv = 1710,
	.optr_fields = l47x_optr_fields,
	.n_optr_fields = G_N_ELEMENTS(l47x_optr_fields),
	.revisions = l47x_revisions,
	.n_revisions = G_N_ELEMENTS(l47x_revisions),
    },
};

static const GlintChip *const chip_list[] = {&chip_table[0], NULL};

const GlintChip *const *
glint_chip_all(void)
{
	return chip_list;
}

const GlintChip *
glint_chip_lookup(guint16 dev_id)
{
	for (guint i = 0; i < G_N_ELEMENTS(chip_table); i++) {
		if (chip_table[i].dev_id == dev_id)
			return &chip_table[i];
	}
	return NULL;
}

const char *
glint_chip_revision_name(const GlintChip *chip, guint16 rev_id)
{
	for (guint i = 0; i < chip->n_revisions; i++) {
		if (chip->revisions[i].rev_id == rev_id)
			return chip->revisions[i].name;
	}
	return "unknown";
}

const GlintOptionField *
glint_chip_find_option_field(const GlintChip *chip, const char *name)
{
	for (guint i = 0; i < chip->n_optr_fields; i++) {
		if (g_ascii_strcasecmp(chip->optr_fields[i].name, name) == 0)
			return &chip->optr_fields[i];
	}
	return NULL;
}

#define FLASH_OPTR_DUALBANK (1u << 21)

void
glint_chip_get_geometry(const GlintChip *chip, guint32 flash_kb, guint32 optr,
			GlintFlashGeometry *geometry)
{
	/* A blank or absurd flash-size register means "assume the family max"
	 * (OpenOCD does the same). */
	if (flash_kb == 0 || flash_kb == 0xFFFF || flash_kb > chip->flash_kb_max)
		flash_kb = chip->flash_kb_max;

	memset(geometry, 0, sizeof(*geometry));
	geometry->base = chip->flash_base;
	geometry->size = flash_kb * 1024;
	geometry->page_size = chip->page_size;
	geometry->n_banks = 1;

	if (chip->bank_rule == GLINT_BANKS_L4_DUALBANK_BIT) {
		/* RM0351 3.2: the 1 MB part is always dual bank; on the smaller
		 * parts the DUALBANK option bit chooses. */
		gboolean is_max = flash_kb == chip->flash_kb_max;
		geometry->dualbank_configurable = !is_max;
		if (is_max || (optr & FLASH_OPTR_DUALBANK) != 0)
			geometry->n_banks = 2;
	}
	geometry->bank_size = geometry->size / geometry->n_banks;
	geometry->pages_per_bank = geometry->bank_size / geometry->page_size;
}

gboolean
glint_geometry_locate(const GlintFlashGeometry *geometry, guint32 addr, guint *bank, guint *page)
{
	guint32 offset;

	if (addr < geometry->base || addr - geometry->base >= geometry->size)
		return FALSE;
	offset = addr - geometry->base;
	if (bank != NULL)
		*bank = offset / geometry->bank_size;
	if (page != NULL)
		*page = (offset % geometry->bank_size) / geometry->page_size;
	return TRUE;
}

guint32
glint_geometry_page_address(const GlintFlashGeometry *geometry, guint bank, guint page)
{
	return geometry->base + bank * geometry->bank_size + page * geometry->page_size;
}
