/* glint-f1.c: the STM32F0/F1/F3 family (PM0075, PM0068, RM0008, RM0091,
 * RM0316): its chips and their clones, identification, geometry, debug
 * set-up and the diagnosis rules only this family needs (option bytes that
 * failed their complement check or wait for a reload, what read protection
 * means on the F1, clones). */
#define G_LOG_DOMAIN "glint-f1"

#include "glint-f1.h"
#include "glint-i18n.h"

#include <string.h>

#include "glint-f1-regs.h"
#include "glint-job.h"

extern const GlintFamily glint_family_f1;

const GlintF1Chip *
glint_f1_chip(const GlintTarget *t)
{
	return t->chip->data;
}

guint32
glint_f1_reg(guint bank, guint32 offset)
{
	return FLASH_R_BASE + offset + (bank > 0 ? FLASH_F1_BANK2_OFFSET : 0);
}

/* Memory maps ------------------------------------------------------------------ */

#define PERIPHERALS                                                                                \
	{                                                                                          \
		N_("Peripherals (APB1, APB2, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x24000 \
	}
#define OPTION_BYTES                                                                               \
	{                                                                                          \
		N_("Option bytes"), GLINT_REGION_OPTIONS, OB_BASE, OB_SIZE                         \
	}
/* F1: the flash size register and the unique ID end system memory (RM0008
 * 30.1-30.2); F0/F3: at 0x1FFFF7AC-0x1FFFF7CD (RM0091 33.1, RM0316 34.1) */
#define F1_INFO                                                                                    \
	{                                                                                          \
		N_("Unique ID and flash size"), GLINT_REGION_INFO, 0x1FFFF7E0, 0x14                \
	}
#define F0_INFO                                                                                    \
	{                                                                                          \
		N_("Unique ID and flash size"), GLINT_REGION_INFO, 0x1FFFF7AC, 0x22                \
	}
#define SRAM(kb)                                                                                   \
	{                                                                                          \
		"SRAM", GLINT_REGION_SRAM, 0x20000000, (kb)*1024                                   \
	}
#define CCM(kb)                                                                                    \
	{                                                                                          \
		N_("CCM SRAM"), GLINT_REGION_SRAM, 0x10000000, (kb)*1024                           \
	}
#define SYSMEM(base, end)                                                                          \
	{                                                                                          \
		N_("System memory"), GLINT_REGION_SYSTEM, base, (end) - (base)                     \
	}

/* RM0008 3.3: system memory 0x1FFFF000 (2 KB); XL 0x1FFFE000 (6 KB);
 * connectivity line 0x1FFFB000 (18 KB) */
static const GlintMemoryRegion f1_ld_regions[] = {
    SRAM(10), SYSMEM(0x1FFFF000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};
static const GlintMemoryRegion f1_md_regions[] = {
    SRAM(20), SYSMEM(0x1FFFF000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};
static const GlintMemoryRegion f1_hd_regions[] = {
    SRAM(64), SYSMEM(0x1FFFF000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};
static const GlintMemoryRegion f1_xl_regions[] = {
    SRAM(96), SYSMEM(0x1FFFE000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};
static const GlintMemoryRegion f1_cl_regions[] = {
    SRAM(64), SYSMEM(0x1FFFB000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};
static const GlintMemoryRegion f100_md_regions[] = {
    SRAM(8), SYSMEM(0x1FFFF000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};
static const GlintMemoryRegion f100_hd_regions[] = {
    SRAM(32), SYSMEM(0x1FFFF000, 0x1FFFF7E0), F1_INFO, OPTION_BYTES, PERIPHERALS,
};

/* RM0091 2.2: system memory 0x1FFFEC00 (3 KB) on F03x/F04x/F05x, 0x1FFFC800
 * (12 KB) on F07x, 0x1FFFD800 (8 KB) on F09x; GPIO on the AHB2 at 0x48000000 */
#define F0_GPIO                                                                                    \
	{                                                                                          \
		N_("Peripherals (AHB2: GPIO)"), GLINT_REGION_PERIPHERALS, 0x48000000, 0x1800       \
	}
static const GlintMemoryRegion f03x_regions[] = {
    SRAM(4), SYSMEM(0x1FFFEC00, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f04x_regions[] = {
    SRAM(6), SYSMEM(0x1FFFEC00, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f05x_regions[] = {
    SRAM(8), SYSMEM(0x1FFFEC00, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f07x_regions[] = {
    SRAM(16), SYSMEM(0x1FFFC800, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f09x_regions[] = {
    SRAM(32), SYSMEM(0x1FFFD800, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};

/* RM0316 3.2: CCM SRAM at 0x10000000 on the F303; system memory 0x1FFFD800
 * (8 KB), 0x1FFFF000 (2 KB) on the F302/F303xB/C and F37x */
static const GlintMemoryRegion f303xc_regions[] = {
    SRAM(40), CCM(8), SYSMEM(0x1FFFF000, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f37x_regions[] = {
    SRAM(32), SYSMEM(0x1FFFF000, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f334_regions[] = {
    SRAM(12), CCM(4), SYSMEM(0x1FFFD800, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f301_regions[] = {
    SRAM(16), SYSMEM(0x1FFFD800, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};
static const GlintMemoryRegion f303xe_regions[] = {
    SRAM(64), CCM(16), SYSMEM(0x1FFFD800, 0x1FFFF7AC), F0_INFO, OPTION_BYTES, PERIPHERALS, F0_GPIO,
};

/* Facts per chip ---------------------------------------------------------------- */

/* Erase times: the datasheets give a page or mass erase 20 ms minimum, 40
 * ms maximum and no typical figure (DS5319 table 28, DS5792, DS9826,
 * DS9118 "Flash memory characteristics"): the minimum, as the emulator's
 * core/sim/f1/f1-timing.h takes it (tests/family/f1 checks they agree).
 * The clones have none: their times are not ST's. */

#define F1_DATA(page, load, first4k)                                                               \
	{                                                                                          \
		.line = GLINT_F1_LINE_F1, .page_size = page, .n_option_bytes = 8,                  \
		.option_load = load, .rdp_protects_first_4k = first4k,                             \
		.write_stalls_while_busy = TRUE, .erase_ns = 20000000, .datasheet = "DS5319",      \
	}

static const GlintF1Chip f1_1k_data = F1_DATA(1024, GLINT_F1_OBL_SYSTEM_RESET, TRUE);
static const GlintF1Chip f1_2k_data = F1_DATA(2048, GLINT_F1_OBL_SYSTEM_RESET, TRUE);
/* PM0068 1.2: two banks of 512 KB max, 2 KB pages each */
static const GlintF1Chip f1_xl_data = {
    .line = GLINT_F1_LINE_F1,
    .page_size = 2048,
    .bank1_size = 512 * 1024,
    .bank2_page_size = 2048,
    .n_option_bytes = 8,
    .option_load = GLINT_F1_OBL_SYSTEM_RESET,
    .rdp_protects_first_4k = TRUE,
    .write_stalls_while_busy = TRUE,
    .erase_ns = 20000000,
    .datasheet = "DS5792",
};

/* RM0091 4: option bytes load at power-on or OBL_LAUNCH only */
#define F0_DATA(page)                                                                              \
	{                                                                                          \
		.line = GLINT_F1_LINE_F0, .page_size = page, .n_option_bytes = 8,                  \
		.option_load = GLINT_F1_OBL_LAUNCH, .has_obl_launch = TRUE,                        \
		.write_stalls_while_busy = TRUE, .erase_ns = 20000000, .datasheet = "DS9826",      \
	}
static const GlintF1Chip f0_1k_data = F0_DATA(1024);
static const GlintF1Chip f0_2k_data = F0_DATA(2048);

/* RM0316 5: loaded at every system reset, and OBL_LAUNCH exists */
#define F3_DATA(n_bytes)                                                                           \
	{                                                                                          \
		.line = GLINT_F1_LINE_F3, .page_size = 2048, .n_option_bytes = n_bytes,            \
		.option_load = GLINT_F1_OBL_SYSTEM_RESET, .has_obl_launch = TRUE,                  \
		.write_stalls_while_busy = TRUE, .erase_ns = 20000000, .datasheet = "DS9118",      \
	}
static const GlintF1Chip f3_data = F3_DATA(8);
static const GlintF1Chip f3_six_bytes_data = F3_DATA(6);

/* Clones of the STM32F103: the same ids and FPEC, a Cortex-M3 r2p1 core */
#define CLONE_DIFFERENCES                                                                          \
	N_("Its core is a Cortex-M3 r2p1 (an STM32F103 has r1p1); it loads new option bytes only " \
	   "at power-on, not at a system reset; its flash timings differ; a write to flash while " \
	   "it is busy is dropped rather than held, so Glint waits for BSY after every half-word")
static const GlintF1Chip cks32_data = {
    .line = GLINT_F1_LINE_F1,
    .page_size = 1024,
    .n_option_bytes = 8,
    .option_load = GLINT_F1_OBL_POWER_ON,
    .rdp_protects_first_4k = TRUE,
    .write_stalls_while_busy = FALSE,
    .clone_of = "STM32F103",
    .clone_differences = CLONE_DIFFERENCES,
};
#define GD32_DIFFERENCES                                                                           \
	N_("Its core is a Cortex-M3 r2p1 (an STM32F103 has r1p1); it loads new option bytes only " \
	   "at power-on, not at a system reset; its flash timings differ; a write to flash while " \
	   "it is busy is dropped rather than held, so Glint waits for BSY after every "           \
	   "half-word. "                                                                           \
	   "Only the first 256 KB run without wait states; the flash-size word also holds the "    \
	   "SRAM "                                                                                 \
	   "size")
static const GlintF1Chip gd32_md_data = {
    .line = GLINT_F1_LINE_F1,
    .page_size = 1024,
    .n_option_bytes = 8,
    .option_load = GLINT_F1_OBL_POWER_ON,
    .rdp_protects_first_4k = TRUE,
    .clone_of = "STM32F103",
    .clone_differences = GD32_DIFFERENCES,
};
static const GlintF1Chip gd32_hd_data = {
    .line = GLINT_F1_LINE_F1,
    .page_size = 2048,
    .n_option_bytes = 8,
    .option_load = GLINT_F1_OBL_POWER_ON,
    .rdp_protects_first_4k = TRUE,
    .clone_of = "STM32F103",
    .clone_differences = GD32_DIFFERENCES,
};
/* GD32F10x XD: bank 0 holds the first 512 KB in 2 KB pages, bank 1 the rest
 * in 4 KB pages (GD32F10x user manual, FMC) */
static const GlintF1Chip gd32_xl_data = {
    .line = GLINT_F1_LINE_F1,
    .page_size = 2048,
    .bank1_size = 512 * 1024,
    .bank2_page_size = 4096,
    .n_option_bytes = 8,
    .option_load = GLINT_F1_OBL_POWER_ON,
    .rdp_protects_first_4k = TRUE,
    .clone_of = "STM32F103",
    .clone_differences = GD32_DIFFERENCES,
};

/* Revisions as OpenOCD 0.12 names them (REV_ID of DBGMCU_IDCODE) */
static const GlintChipRevision f1_ld_revisions[] = {{0x1000, "A"}};
static const GlintChipRevision f1_md_revisions[] = {
    {0x0000, "A"}, {0x2000, "B"}, {0x2001, "Z"}, {0x2003, "Y"}};
static const GlintChipRevision f1_hd_revisions[] = {{0x1000, "A"}, {0x1001, "Z"}, {0x1003, "Y"}};
static const GlintChipRevision f1_cl_revisions[] = {{0x1000, "A"}, {0x1001, "Z"}};
static const GlintChipRevision f0_revisions[] = {{0x1000, "1.0"}, {0x2000, "2.0"}};
static const GlintChipRevision f3_revisions[] = {{0x1000, "A"}, {0x1001, "Z"}, {0x1003, "Y"}};

static const guint32 kb_32[] = {32, 16, 0};
static const guint32 kb_64[] = {64, 32, 16, 0};
static const guint32 kb_128[] = {128, 64, 32, 16, 0};
static const guint32 kb_256[] = {256, 128, 64, 0};
static const guint32 kb_512[] = {512, 384, 256, 0};
static const guint32 kb_1024[] = {1024, 768, 0};

#define F1_FLASH_SIZE_REG 0x1FFFF7E0u
#define F1_UID 0x1FFFF7E8u
#define F0_FLASH_SIZE_REG 0x1FFFF7CCu
#define F0_UID 0x1FFFF7ACu

/* DS5319 5.1: VDD 2.0-3.6 V (F1); DS9773 / DS9118: 1.8 V parts exist in
 * the F0 and F3 lines (F0x8, F3x8) */
#define F1_MIN_MV 2000
#define F0_F3_MIN_MV 1800

#define CHIP(id, chip_name, chip_parts, chip_core, kb, variants, size_reg, uid, regs,              \
	     loader_sram_kb, min_mv, layout, revs, chip_data)                                      \
	{                                                                                          \
		.dev_id = id, .name = chip_name, .parts = chip_parts, .family = &glint_family_f1,  \
		.core = chip_core, .flash_base = 0x08000000, .flash_kb_max = kb,                   \
		.flash_kb_variants = variants, .flash_size_reg = size_reg, .uid_addr = uid,        \
		.regions = regs, .n_regions = G_N_ELEMENTS(regs), .sram_base = 0x20000000,         \
		.sram_size = (loader_sram_kb)*1024, .min_program_mv = min_mv, .options = &layout,  \
		.revisions = revs, .n_revisions = G_N_ELEMENTS(revs), .data = &chip_data,          \
	}

/* The SRAM given to the loader is the least any part with that id has (an
 * STM32F101x8 has 10 KB where an F103x8 has 20 KB); below 5 KB Glint
 * programs directly. */
static const GlintChip f1_chips[] = {
    CHIP(0x412, "STM32F10x low density", "STM32F101x4/6, F102x4/6, F103x4/6", "Cortex-M3", 32,
	 kb_32, F1_FLASH_SIZE_REG, F1_UID, f1_ld_regions, 4, F1_MIN_MV, glint_f1_options_4,
	 f1_ld_revisions, f1_1k_data),
    CHIP(0x410, "STM32F10x medium density", "STM32F101x8/B, F102x8/B, F103x8/B", "Cortex-M3", 128,
	 kb_128, F1_FLASH_SIZE_REG, F1_UID, f1_md_regions, 10, F1_MIN_MV, glint_f1_options_4,
	 f1_md_revisions, f1_1k_data),
    CHIP(0x414, "STM32F10x high density", "STM32F101xC/D/E, F103xC/D/E", "Cortex-M3", 512, kb_512,
	 F1_FLASH_SIZE_REG, F1_UID, f1_hd_regions, 32, F1_MIN_MV, glint_f1_options_2,
	 f1_hd_revisions, f1_2k_data),
    CHIP(0x430, "STM32F10x XL density", "STM32F101xF/G, F103xF/G", "Cortex-M3", 1024, kb_1024,
	 F1_FLASH_SIZE_REG, F1_UID, f1_xl_regions, 80, F1_MIN_MV, glint_f1_xl_options,
	 f1_ld_revisions, f1_xl_data),
    CHIP(0x418, "STM32F105/F107 connectivity line", "STM32F105, F107", "Cortex-M3", 256, kb_256,
	 F1_FLASH_SIZE_REG, F1_UID, f1_cl_regions, 64, F1_MIN_MV, glint_f1_options_2,
	 f1_cl_revisions, f1_2k_data),
    CHIP(0x420, "STM32F100 value line low/medium density", "STM32F100x4/6/8/B", "Cortex-M3", 128,
	 kb_128, F1_FLASH_SIZE_REG, F1_UID, f100_md_regions, 4, F1_MIN_MV, glint_f1_options_4,
	 f1_cl_revisions, f1_1k_data),
    /* OpenOCD 0.12 protects 4 pages per WRP bit on the F100 high density */
    CHIP(0x428, "STM32F100 value line high density", "STM32F100xC/D/E", "Cortex-M3", 512, kb_512,
	 F1_FLASH_SIZE_REG, F1_UID, f100_hd_regions, 24, F1_MIN_MV, glint_f1_options_4,
	 f1_cl_revisions, f1_2k_data),
    CHIP(0x444, "STM32F03x", "STM32F030x4/6, F031, F038", "Cortex-M0", 32, kb_32, F0_FLASH_SIZE_REG,
	 F0_UID, f03x_regions, 4, F0_F3_MIN_MV, glint_f0_options_4, f0_revisions, f0_1k_data),
    CHIP(0x445, "STM32F04x", "STM32F042, F048, F070x6", "Cortex-M0", 32, kb_32, F0_FLASH_SIZE_REG,
	 F0_UID, f04x_regions, 6, F0_F3_MIN_MV, glint_f04x_options, f0_revisions, f0_1k_data),
    CHIP(0x440, "STM32F05x", "STM32F051, F058, F030x8", "Cortex-M0", 64, kb_64, F0_FLASH_SIZE_REG,
	 F0_UID, f05x_regions, 8, F0_F3_MIN_MV, glint_f0_options_4, f0_revisions, f0_1k_data),
    /* RM0091 3.2.1: 2 KB pages, 4 KB (two pages) per WRP bit */
    CHIP(0x448, "STM32F07x", "STM32F071, F072, F078, F070xB", "Cortex-M0", 128, kb_128,
	 F0_FLASH_SIZE_REG, F0_UID, f07x_regions, 16, F0_F3_MIN_MV, glint_f0_options_2,
	 f0_revisions, f0_2k_data),
    CHIP(0x442, "STM32F09x", "STM32F091, F098, F030xC", "Cortex-M0", 256, kb_256, F0_FLASH_SIZE_REG,
	 F0_UID, f09x_regions, 32, F0_F3_MIN_MV, glint_f09x_options, f0_revisions, f0_2k_data),
    CHIP(0x422, "STM32F302xB/C, F303xB/C, F358", "STM32F302xB/C, F303xB/C, F358", "Cortex-M4", 256,
	 kb_256, F0_FLASH_SIZE_REG, F0_UID, f303xc_regions, 32, F0_F3_MIN_MV, glint_f3_options,
	 f3_revisions, f3_data),
    CHIP(0x432, "STM32F37x", "STM32F373, F378", "Cortex-M4", 256, kb_256, F0_FLASH_SIZE_REG, F0_UID,
	 f37x_regions, 16, F0_F3_MIN_MV, glint_f37x_options, f3_revisions, f3_data),
    CHIP(0x438, "STM32F303x6/8, F328, F334", "STM32F303x6/8, F328, F334", "Cortex-M4", 64, kb_64,
	 F0_FLASH_SIZE_REG, F0_UID, f334_regions, 12, F0_F3_MIN_MV, glint_f3_options, f3_revisions,
	 f3_six_bytes_data),
    CHIP(0x439, "STM32F301x6/8, F302x6/8, F318", "STM32F301x6/8, F302x6/8, F318", "Cortex-M4", 64,
	 kb_64, F0_FLASH_SIZE_REG, F0_UID, f301_regions, 16, F0_F3_MIN_MV, glint_f3_options,
	 f3_revisions, f3_six_bytes_data),
    CHIP(0x446, "STM32F302xD/E, F303xD/E, F398", "STM32F302xD/E, F303xD/E, F398", "Cortex-M4", 512,
	 kb_512, F0_FLASH_SIZE_REG, F0_UID, f303xe_regions, 64, F0_F3_MIN_MV, glint_f3_options,
	 f3_revisions, f3_data),
    /* Clones: chosen by f1_identify from the CPUID, after ST's own rows */
    CHIP(0x410, "CKS32F103 or APM32F103 (an STM32F103 clone)", "CKS32F103x8/B, APM32F103x8/B",
	 "Cortex-M3 r2p1", 128, kb_128, F1_FLASH_SIZE_REG, F1_UID, f1_md_regions, 10, F1_MIN_MV,
	 glint_f1_options_4, f1_md_revisions, cks32_data),
    CHIP(0x410, "GD32F103 (an STM32F103 clone)", "GD32F103x8/B", "Cortex-M3 r2p1", 128, kb_128,
	 F1_FLASH_SIZE_REG, F1_UID, f1_md_regions, 10, F1_MIN_MV, glint_f1_options_4,
	 f1_md_revisions, gd32_md_data),
    CHIP(0x414, "GD32F103 high density (an STM32F103 clone)", "GD32F103xC/D/E", "Cortex-M3 r2p1",
	 512, kb_512, F1_FLASH_SIZE_REG, F1_UID, f1_hd_regions, 32, F1_MIN_MV, glint_f1_options_2,
	 f1_hd_revisions, gd32_hd_data),
    CHIP(0x430, "GD32F103 XL density (an STM32F103 clone)", "GD32F103xF/G/I/K", "Cortex-M3 r2p1",
	 1024, kb_1024, F1_FLASH_SIZE_REG, F1_UID, f1_xl_regions, 80, F1_MIN_MV,
	 glint_f1_xl_options, f1_ld_revisions, gd32_xl_data),
};

/* Identification --------------------------------------------------------------- */

#define CPUID_PARTNO(cpuid) (((cpuid) >> 4) & 0xFFFu)
#define CPUID_VARIANT(cpuid) (((cpuid) >> 20) & 0xFu)
/* RM0008 31.2: the STM32F10x core is a Cortex-M3 r1p1 */
#define F1_CORTEX_M3_VARIANT 1u

static gboolean
core_matches(const GlintChip *chip, guint partno)
{
	if (g_str_has_prefix(chip->core, "Cortex-M0"))
		return partno == CM_PARTNO_M0;
	if (g_str_has_prefix(chip->core, "Cortex-M3"))
		return partno == CM_PARTNO_M3;
	return partno == CM_PARTNO_M4;
}

/* ST's STM32F103 and its clones answer with the same DBGMCU_IDCODE; the
 * clones' Cortex-M3 is r2p1 where ST's is r1p1. A core of another type
 * than the id's chip has (a GD32F303's Cortex-M4 behind 0x410) is not one
 * of these chips. */
static const GlintChip *
f1_identify(const GlintFamily *family, guint16 dev_id, guint32 cpuid)
{
	guint partno = CPUID_PARTNO(cpuid);
	gboolean clone = partno == CM_PARTNO_M3 && CPUID_VARIANT(cpuid) != F1_CORTEX_M3_VARIANT;

	if (cpuid == 0)
		return NULL;
	for (guint i = 0; i < family->n_chips; i++) {
		const GlintChip *chip = &family->chips[i];
		const GlintF1Chip *data = chip->data;
		if (chip->dev_id == dev_id && core_matches(chip, partno) &&
		    (data->clone_of != NULL) == clone)
			return chip;
	}
	return NULL;
}

/* A GD32's flash-size word also holds its SRAM size in KB in the upper
 * half (GD32F10x user manual, "Memory density information"), where an
 * STM32F1 reads 0xFFFF. */
static void
refine_clone(GlintTarget *t)
{
	g_autoptr(GError) error_local = NULL;
	guint32 word = 0;
	guint sram_kb;

	if (glint_f1_chip(t)->clone_of == NULL || t->chip->dev_id != 0x410)
		return;
	if (!glint_target_read32(t, F1_FLASH_SIZE_REG, &word, &error_local))
		return;
	sram_kb = word >> 16;
	if (sram_kb == 0 || sram_kb == 0xFFFF || sram_kb > 128)
		return;
	for (guint i = 0; i < glint_family_f1.n_chips; i++) {
		const GlintChip *chip = &glint_family_f1.chips[i];
		if (chip->data == &gd32_md_data) {
			t->chip = chip;
			t->info.chip = chip;
			t->info.rev_name = glint_chip_revision_name(chip, t->info.rev_id);
			return;
		}
	}
}

/* Geometry ------------------------------------------------------------------------ */

void
glint_f1_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		  gdouble volts, GlintFlashGeometry *geometry)
{
	const GlintF1Chip *data = chip->data;
	guint32 size = flash_kb * 1024;

	/* PM0075 2.3.3: half-words; pages of 1 or 2 KB */
	glint_geometry_init(geometry, chip->flash_base, 0xFF, 2, "page");
	if (data->bank1_size != 0 && size > data->bank1_size) {
		/* PM0068 1.2: bank 2 at 0x08080000, its pages numbered on from
		 * bank 1's (256-511) */
		GlintUnitRun bank1 = {data->page_size, data->bank1_size / data->page_size};
		GlintUnitRun bank2 = {data->bank2_page_size,
				      (size - data->bank1_size) / data->bank2_page_size};
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, &bank1, 1);
		glint_geometry_add_bank(geometry, chip->flash_base + data->bank1_size, 1,
					bank1.count, &bank2, 1);
		return;
	}
	glint_geometry_add_uniform_banks(geometry, 1, size / data->page_size, data->page_size);
}

/* Debug set-up -------------------------------------------------------------------- */

static gboolean
set_bits(GlintTarget *t, guint32 addr, guint32 bits, GError **error)
{
	guint32 v = 0;
	return glint_target_read32(t, addr, &v, error) &&
	       glint_target_write32(t, addr, v | bits, error);
}

static gboolean
f1_debug_setup(GlintTarget *t, GError **error)
{
	refine_clone(t);
	/* Watchdogs keep counting while the core is halted unless frozen, and
	 * would reset the chip in the middle of a flash job. */
	switch (glint_f1_chip(t)->line) {
	case GLINT_F1_LINE_F1:
		return set_bits(t, DBGMCU_F1_CR, DBGMCU_F1_CR_IWDG_STOP | DBGMCU_F1_CR_WWDG_STOP,
				error);
	case GLINT_F1_LINE_F0:
		return set_bits(t, DBGMCU_F0_APB1_FZ,
				DBGMCU_APB1_FZ_IWDG_STOP | DBGMCU_APB1_FZ_WWDG_STOP, error);
	default:
		return set_bits(t, DBGMCU_F3_APB1_FZ,
				DBGMCU_APB1_FZ_IWDG_STOP | DBGMCU_APB1_FZ_WWDG_STOP, error);
	}
}

/* Diagnosis ------------------------------------------------------------------------ */

static void
add_finding(GPtrArray *findings, GlintSeverity severity, const char *id, gchar *title,
	    gchar *impact, gchar *fix, GlintFixKind fix_kind)
{
	GlintFinding *f = g_new0(GlintFinding, 1);
	f->severity = severity;
	f->id = g_strdup(id);
	f->title = title;
	f->impact = impact;
	f->fix = fix;
	f->fix_kind = fix_kind;
	g_ptr_array_add(findings, f);
}

static void
diagnose_clone(GlintTarget *t, GPtrArray *findings)
{
	const GlintF1Chip *data = glint_f1_chip(t);
	g_autofree gchar *name = NULL;

	if (data->clone_of == NULL)
		return;
	name = g_strndup(t->chip->name, strcspn(t->chip->name, "("));
	g_strchomp(name);
	add_finding(findings, GLINT_SEVERITY_WARNING, "clone",
		    g_strdup_printf(_("This looks like a %s, not an %s: it answers with the %s's "
				      "device id 0x%03X but its CPUID is 0x%08X"),
				    name, data->clone_of, data->clone_of, t->info.dev_id,
				    t->info.cpuid),
		    g_strdup_printf(_("%s. Glint programs it the safe way; timings, option-byte "
				      "behaviour and undocumented features may still differ from "
				      "the %s's reference manual"),
				    glint_tr(data->clone_differences), data->clone_of),
		    NULL, GLINT_FIX_NONE);
}

static void
diagnose_opterr(GlintTarget *t, GPtrArray *findings)
{
	if (!(t->info.flash_sr & F1_STATUS_OPTERR))
		return;
	add_finding(
	    findings, GLINT_SEVERITY_ERROR, "optverr",
	    g_strdup_printf(_("The option bytes failed to load (FLASH_OBR.OPTERR): a stored byte "
			      "disagrees with its complement and was loaded as 0xFF; RDP level %u "
			      "is in force"),
			    t->info.rdp_level),
	    g_strdup(_("An option-byte write was cut short (power lost or the probe pulled "
		       "between erasing the option block and programming it again). A read "
		       "protection byte loaded as 0xFF means level 1: the flash is locked until "
		       "the option bytes are written again")),
	    g_strdup(_("Restore the factory option bytes (leaving read protection erases the "
		       "flash)")),
	    GLINT_FIX_RESTORE_OPTIONS);
}

static const char *
reload_way(const GlintF1Chip *data)
{
	if (data->has_obl_launch)
		return _("the next power-on or OBL_LAUNCH (Glint sets it when it writes them)");
	if (data->option_load == GLINT_F1_OBL_SYSTEM_RESET)
		return _("the next reset");
	return _("the next power-on (power-cycle the board)");
}

/* Option bytes written (by another tool) but not loaded yet. */
static void
diagnose_pending(GlintTarget *t, GPtrArray *findings)
{
	g_autoptr(GError) error_local = NULL;
	guint8 stored[OB_SIZE];

	if (t->info.flash_sr & F1_STATUS_OPTERR)
		return;
	if (!glint_target_read(t, OB_BASE, stored, sizeof(stored), &error_local)) {
		g_debug("option bytes not readable: %s", error_local->message);
		return;
	}
	for (guint i = 0; i < glint_f1_chip(t)->n_option_bytes; i++) {
		if ((stored[2 * i] ^ stored[2 * i + 1]) != 0xFF &&
		    (stored[2 * i] != 0xFF || stored[2 * i + 1] != 0xFF))
			return; /* a broken pair: OPTERR at the next load, said elsewhere */
	}
	if (glint_f1_options_stored_equal(t->chip, stored, &t->info.options))
		return;
	add_finding(findings, GLINT_SEVERITY_WARNING, "options-pending",
		    g_strdup(_("The option bytes stored at 0x1FFFF800 differ from those in force "
			       "(FLASH_OBR, FLASH_WRPR)")),
		    g_strdup_printf(_("They were written without being loaded; they take effect at "
				      "%s. Until then the chip works with the ones shown"),
				    reload_way(glint_f1_chip(t))),
		    NULL, GLINT_FIX_NONE);
}

static void
diagnose_f1_rdp(GlintTarget *t, GPtrArray *findings)
{
	const GlintF1Chip *data = glint_f1_chip(t);
	if (t->info.rdp_level != 1 || !data->rdp_protects_first_4k)
		return;
	add_finding(findings, GLINT_SEVERITY_INFO, "rdp-first-4k",
		    g_strdup(_("On this chip read protection also write-protects the first 4 KB "
			       "of flash, for the firmware itself too")),
		    g_strdup(_("A debugger can neither read, erase pages nor program, but it may "
			       "still mass-erase; bootloaders that update themselves in place fail "
			       "in the first 4 KB (PM0075 2.4.1)")),
		    NULL, GLINT_FIX_NONE);
}

static void
f1_diagnose(GlintTarget *t, GPtrArray *findings)
{
	diagnose_clone(t, findings);
	diagnose_opterr(t, findings);
	diagnose_pending(t, findings);
	diagnose_f1_rdp(t, findings);
}

static const GlintFamilyOps f1_ops = {
    .identify = f1_identify,
    .geometry = glint_f1_geometry,
    .debug_setup = f1_debug_setup,
    .flash = &glint_f1_flash_ops,
    .diagnose = f1_diagnose,
    .loader = &glint_f1_loader,
};

/* SWO on the F1 and F3 (the F0's Cortex-M0 has no ITM) */
static const GlintRegEdit f1_swo_steps[] = {
    {"DBGMCU_CR", DBGMCU_F1_CR, DBGMCU_F1_CR_TRACE_IOEN, DBGMCU_F1_CR_TRACE_MODE},
};
static const GlintSwoRoute f1_swo = {f1_swo_steps, G_N_ELEMENTS(f1_swo_steps), 0, FALSE};

const GlintFamily glint_family_f1 = {
    .id = "f1",
    .name = "STM32F0/F1/F3",
    .chips = f1_chips,
    .n_chips = G_N_ELEMENTS(f1_chips),
    .ops = &f1_ops,
    .swo = &f1_swo,
};
