/* glint-l5-chips.c: the TrustZone chips of the family as data: device id,
 * memories (with their secure aliases), flash sizes and bank rule, option
 * layout, revisions (OpenOCD's names), each from the chip's reference
 * manual: RM0438 (STM32L552/L562), RM0456 (STM32U575/U585). */
#define G_LOG_DOMAIN "glint-l5"

#include "glint-i18n.h"
#include "glint-l5-regs.h"
#include "glint-l5.h"

/* STM32L552/L562, RM0438 2.3 (memory map): SRAM1 192 KB then SRAM2 64 KB,
 * each memory also at its secure alias (+0x04000000 for flash, +0x10000000
 * for SRAM and peripherals); system memory, OTP and the engineering bytes
 * in the information block at 0x0BF90000 ---------------------------------- */

static const GlintMemoryRegion l552_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 192 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x20030000, 64 * 1024},
    {N_("SRAM1 + SRAM2 (secure alias)"), GLINT_REGION_SRAM, 0x30000000, 256 * 1024},
    {N_("Main flash (secure alias)"), GLINT_REGION_FLASH, 0x0C000000, 512 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x0BF90000, 32 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x0BFA0000, 512},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x0BFA0500, 0x100},
    {N_("Peripherals (non-secure)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x10000000},
    {N_("Peripherals (secure alias)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x10000000},
};

/* OpenOCD 0.12 names A and B; Z from later tables (recalled) */
static const GlintChipRevision l552_revisions[] = {
    {0x1000, "A"},
    {0x2000, "B"},
    {0x2001, "Z"},
};

static const guint32 l552_flash_kb[] = {512, 256, 0};

/* RM0438 6.3.1: 512 KB parts are two banks of 128 pages of 2 KB with DBANK
 * (as shipped) or one bank of 128 pages of 4 KB; the 256 KB parts follow
 * DB256K the same way. Programming is by double word (6.3.7). */
static const GlintL5Chip l552_data = {
    .rm = "RM0438",
    .program_unit = 8,
    .page_size = 4096,
    .dual_page_size = 2048,
    .dual_mask = FLASH_OPTR_DBANK,
    .dual_bit_name = "DBANK",
    .dual_mask_small = FLASH_OPTR_DB256K,
    .dual_bit_name_small = "DB256K",
    .boot_lock_permanent = TRUE,
    .half_regresses_to_0 = TRUE,
    .sysmem_base = 0x0BF90000,
    .sysmem_size = 32 * 1024,
};

/* STM32U575/U585, RM0456 2.3: SRAM1, SRAM2 and SRAM3 back to back (768 KB),
 * SRAM4 in the SmartRun domain; the information block as the L5's ------- */

static const GlintMemoryRegion u575_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 192 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x20030000, 64 * 1024},
    {"SRAM3", GLINT_REGION_SRAM, 0x20040000, 512 * 1024},
    {"SRAM4", GLINT_REGION_SRAM, 0x28000000, 16 * 1024},
    {N_("SRAM1-3 (secure alias)"), GLINT_REGION_SRAM, 0x30000000, 768 * 1024},
    {N_("Main flash (secure alias)"), GLINT_REGION_FLASH, 0x0C000000, 2048 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x0BF90000, 64 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x0BFA0000, 512},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x0BFA0500, 0x300},
    {N_("Peripherals (non-secure)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x10000000},
    {N_("Peripherals (secure alias)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x10000000},
};

/* OpenOCD 0.12 names A, Z, Y and B; the others from later tables
 * (recalled) */
static const GlintChipRevision u575_revisions[] = {
    {0x1000, "A"}, {0x1001, "Z"}, {0x1003, "Y"}, {0x2000, "B"},
    {0x2001, "X"}, {0x3000, "C"}, {0x3001, "W"}, {0x3007, "U"},
};

static const guint32 u575_flash_kb[] = {2048, 1024, 0};

/* RM0456 7.3.1: 8 KB pages; the 2 MB parts are always two banks of 128
 * pages, the 1 MB parts two banks with DUALBANK; quad-word programming
 * (7.3.7) */
static const GlintL5Chip u575_data = {
    .rm = "RM0456",
    .program_unit = 16,
    .page_size = 8192,
    .dual_page_size = 8192,
    .max_always_dual = TRUE,
    .dual_mask = 0,
    .dual_bit_name = "DUALBANK",
    .dual_mask_small = FLASH_OPTR_DUALBANK,
    .dual_bit_name_small = "DUALBANK",
    .wrp_unlock = TRUE,
    .sysmem_base = 0x0BF90000,
    .sysmem_size = 64 * 1024,
};

static const GlintChip l5_chips[] = {
    {
	.dev_id = 0x472,
	.name = "STM32L552/L562",
	.parts = "STM32L552, L562",
	.family = &glint_family_l5,
	.core = "Cortex-M33",
	.flash_base = 0x08000000,
	.flash_kb_max = 512,
	.flash_kb_variants = l552_flash_kb,
	.flash_size_reg = 0x0BFA05E0,
	.uid_addr = 0x0BFA0590,
	.package_addr = 0x0BFA0500,
	.regions = l552_regions,
	.n_regions = G_N_ELEMENTS(l552_regions),
	.sram_base = 0x20000000,
	.sram_size = 192 * 1024,
	/* DS12736 (STM32L552xx) 6.3.10: program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l5_options,
	.revisions = l552_revisions,
	.n_revisions = G_N_ELEMENTS(l552_revisions),
	.data = &l552_data,
    },
    {
	.dev_id = 0x482,
	.name = "STM32U575/U585",
	.parts = "STM32U575, U585",
	.family = &glint_family_l5,
	.core = "Cortex-M33",
	.flash_base = 0x08000000,
	.flash_kb_max = 2048,
	.flash_kb_variants = u575_flash_kb,
	.flash_size_reg = 0x0BFA07A0,
	.uid_addr = 0x0BFA0700,
	.package_addr = 0x0BFA0500,
	.regions = u575_regions,
	.n_regions = G_N_ELEMENTS(u575_regions),
	.sram_base = 0x20000000,
	.sram_size = 192 * 1024,
	/* DS13737 (STM32U575xx) 6.3.10: program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_u5_options,
	.revisions = u575_revisions,
	.n_revisions = G_N_ELEMENTS(u575_revisions),
	.data = &u575_data,
    },
};

static const GlintRegEdit l5_swo_steps[] = {
    {"DBGMCU_CR", DBGMCU_L5_CR, DBGMCU_L5_CR_TRACE_IOEN | DBGMCU_L5_CR_TRACE_EN,
     DBGMCU_L5_CR_TRACE_MODE},
};
static const GlintSwoRoute l5_swo = {l5_swo_steps, G_N_ELEMENTS(l5_swo_steps), 0, FALSE};

const GlintFamily glint_family_l5 = {
    .id = "l5",
    .name = "STM32L5/U5",
    .chips = l5_chips,
    .n_chips = G_N_ELEMENTS(l5_chips),
    .ops = &glint_l5_ops,
    .swo = &l5_swo,
};
