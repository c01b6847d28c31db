/* glint-l4-chips.c: the chips of the L4-style family as data: device id,
 * memories, flash sizes and bank rule, flash register base, option layout,
 * revisions (OpenOCD's names), each from the chip's reference manual. */
#define G_LOG_DOMAIN "glint-l4"

#include "glint-i18n.h"
#include "glint-l4-regs.h"
#include "glint-l4.h"

#define L4_FLASH_REGS 0x40022000u
#define L4_OPTIONS 0x1FFF7800u

/* The memories an STM32L4 shows besides main flash (RM0351 2.2.2, RM0394
 * 2.2.2): SRAM1, SRAM2 at 0x10000000, system memory, OTP, engineering
 * bytes, option bytes, peripherals */
#define L4_COMMON_REGIONS(sram1_kb, sram2_kb)                                                      \
	{"SRAM1", GLINT_REGION_SRAM, 0x20000000, (sram1_kb)*1024},                                 \
	    {"SRAM2", GLINT_REGION_SRAM, 0x10000000, (sram2_kb)*1024},                             \
	    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 28 * 1024},                     \
	    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},                                           \
	{                                                                                          \
		N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100    \
	}
#define L4_PERIPHERAL_REGIONS                                                                      \
	{N_("Peripherals (APB1, APB2, AHB1)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x24400},     \
	{                                                                                          \
		N_("Peripherals (AHB2)"), GLINT_REGION_PERIPHERALS, 0x48000000, 0x8060C00          \
	}

/* STM32L47x/L48x, RM0351 ---------------------------------------------------- */

static const GlintMemoryRegion l47x_regions[] = {
    L4_COMMON_REGIONS(96, 32),
    {N_("Option bytes (bank 1)"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x28},
    {N_("Option bytes (bank 2)"), GLINT_REGION_OPTIONS, 0x1FFFF800, 0x28},
    L4_PERIPHERAL_REGIONS,
};

static const GlintChipRevision l47x_revisions[] = {
    {0x1000, "1"},
    {0x1001, "2"},
    {0x1003, "3"},
    {0x1007, "4"},
};

static const guint32 l47x_flash_kb[] = {1024, 512, 256, 0};

/* RM0351 3.2: 2 KB pages; the 1 MB parts are always dual bank, the 512 and
 * 256 KB parts follow FLASH_OPTR.DUALBANK */
static const GlintL4Chip l47x_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = L4_OPTIONS,
    .page_size = 2048,
    .dual_page_size = 2048,
    .bank_rule = GLINT_L4_BANKS_DUALBANK_BIT,
    .dual_mask = FLASH_OPTR_DUALBANK,
    .dual_bit_name = "DUALBANK",
    .option_offsets = glint_l4_option_offsets,
};

/* STM32L49x/L4Ax, RM0351: as the L47x with 320 KB of SRAM --------------------- */

static const GlintMemoryRegion l49x_regions[] = {
    L4_COMMON_REGIONS(256, 64),
    {N_("Option bytes (bank 1)"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x28},
    {N_("Option bytes (bank 2)"), GLINT_REGION_OPTIONS, 0x1FFFF800, 0x28},
    L4_PERIPHERAL_REGIONS,
};

static const GlintChipRevision l49x_revisions[] = {
    {0x1000, "A"},
    {0x2000, "B"},
};

/* STM32L43x/L44x, L45x/L46x, L41x/L42x, RM0394: one bank of 2 KB pages, one
 * option area (no bank-2 registers, no BFB2, no DUALBANK) ---------------------- */

static const GlintMemoryRegion l43x_regions[] = {
    L4_COMMON_REGIONS(48, 16),
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x28},
    L4_PERIPHERAL_REGIONS,
};

static const GlintMemoryRegion l45x_regions[] = {
    L4_COMMON_REGIONS(128, 32),
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x28},
    L4_PERIPHERAL_REGIONS,
};

static const GlintMemoryRegion l41x_regions[] = {
    L4_COMMON_REGIONS(32, 8),
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x28},
    L4_PERIPHERAL_REGIONS,
};

/* OpenOCD's names, the same for the three RM0394 lines */
static const GlintChipRevision rm0394_revisions[] = {
    {0x1000, "A"},
    {0x1001, "Z"},
    {0x2001, "Y"},
};

static const guint32 l43x_flash_kb[] = {256, 128, 64, 0};
static const guint32 l45x_flash_kb[] = {512, 256, 0};
static const guint32 l41x_flash_kb[] = {128, 64, 32, 0};

static const GlintL4Chip rm0394_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = L4_OPTIONS,
    .page_size = 2048,
    .dual_page_size = 2048,
    .bank_rule = GLINT_L4_BANKS_SINGLE,
    .option_offsets = glint_l4_option_offsets,
};

/* STM32G4, RM0440: SRAM1 and SRAM2 back to back, CCM SRAM at 0x10000000 --- */

#define G4_COMMON_REGIONS(sram_kb, ccm_kb)                                                         \
	{N_("SRAM1 + SRAM2"), GLINT_REGION_SRAM, 0x20000000, (sram_kb)*1024},                      \
	    {N_("CCM SRAM"), GLINT_REGION_SRAM, 0x10000000, (ccm_kb)*1024},                        \
	    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 28 * 1024},                     \
	    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},                                           \
	{                                                                                          \
		N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100    \
	}

/* RM0440 3.3.1 (category 3): two banks of 2 KB pages with DBANK (bank 2 at
 * 0x08040000 whatever the size), else one bank of 4 KB pages */
static const GlintMemoryRegion g47x_regions[] = {
    G4_COMMON_REGIONS(96, 32),
    {N_("Option bytes (bank 1)"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x30},
    {N_("Option bytes (bank 2)"), GLINT_REGION_OPTIONS, 0x1FFFF800, 0x30},
    L4_PERIPHERAL_REGIONS,
};

static const GlintMemoryRegion g43x_regions[] = {
    G4_COMMON_REGIONS(22, 10),
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x30},
    L4_PERIPHERAL_REGIONS,
};

static const GlintMemoryRegion g49x_regions[] = {
    G4_COMMON_REGIONS(96, 16),
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x30},
    L4_PERIPHERAL_REGIONS,
};

/* OpenOCD's names */
static const GlintChipRevision g4_revisions[] = {
    {0x1000, "A"},
    {0x2000, "B"},
    {0x2001, "Z"},
};
static const GlintChipRevision g49x_revisions[] = {
    {0x1000, "A"},
};

static const guint32 g47x_flash_kb[] = {512, 256, 128, 0};
static const guint32 g43x_flash_kb[] = {128, 64, 32, 0};
static const guint32 g49x_flash_kb[] = {512, 256, 0};

static const GlintL4Chip g47x_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = L4_OPTIONS,
    .page_size = 4096,
    .dual_page_size = 2048,
    .bank_rule = GLINT_L4_BANKS_DBANK,
    .dual_mask = FLASH_OPTR_DBANK,
    .dual_bit_name = "DBANK",
    .bank2_fixed = 256 * 1024,
    /* RM0440 3.3.1: a 4 KB page is 8 rows of 512 bytes */
    .single_bank_row = 512,
    .option_offsets = glint_g4_dual_option_offsets,
};

static const GlintL4Chip g4_single_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = L4_OPTIONS,
    .page_size = 2048,
    .dual_page_size = 2048,
    .bank_rule = GLINT_L4_BANKS_SINGLE,
    .option_offsets = glint_g4_single_option_offsets,
};

/* STM32L4R/L4S, L4P/L4Q, RM0432: up to 2 MB, one bank of 8 KB pages or two
 * of 4 KB (DBANK on the largest part, DB1M/DB512K on the others); option
 * bytes at 0x1FF00000; SRAM1, SRAM2 and the 384 KB SRAM3 ------------------ */

static const GlintMemoryRegion l4r_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 192 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x10000000, 64 * 1024},
    {"SRAM3", GLINT_REGION_SRAM, 0x20040000, 384 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 28 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100},
    {N_("Option bytes (bank 1)"), GLINT_REGION_OPTIONS, 0x1FF00000, 0x28},
    {N_("Option bytes (bank 2)"), GLINT_REGION_OPTIONS, 0x1FF01000, 0x28},
    L4_PERIPHERAL_REGIONS,
};

static const GlintChipRevision l4r_revisions[] = {
    {0x1000, "A"},
    {0x1001, "Z"},
    {0x1003, "Y"},
    {0x100F, "W"},
};
static const GlintChipRevision l4p_revisions[] = {
    {0x1001, "Z"},
};

static const guint32 l4r_flash_kb[] = {2048, 1024, 0};
static const guint32 l4p_flash_kb[] = {1024, 512, 0};

static const GlintL4Chip l4p_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = 0x1FF00000,
    .page_size = 8192,
    .dual_page_size = 4096,
    .bank_rule = GLINT_L4_BANKS_DBANK,
    .dual_mask = FLASH_OPTR_DBANK,
    .dual_bit_name = "DBANK",
    .dual_mask_small = FLASH_OPTR_DUALBANK,
    .dual_bit_name_small = "DB1M",
    /* an 8 KB page of 8 rows: rows of 1 KB are not the loader's (estimate) */
    .single_bank_row = 1024,
    .option_offsets = glint_l4_option_offsets,
};

/* What every row of this family shares */
#define L4_CHIP_COMMON                                                                             \
	.family = &glint_family_l4, .core = "Cortex-M4", .flash_base = 0x08000000,                 \
	.flash_size_reg = 0x1FFF75E0, .uid_addr = 0x1FFF7590, .package_addr = 0x1FFF7500,          \
	.sram_base = 0x20000000

static const GlintChip l4_chips[] = {
    {
	L4_CHIP_COMMON,
	.dev_id = 0x415,
	.name = "STM32L47x/L48x",
	.parts = "STM32L471, L475, L476, L486",
	.flash_kb_max = 1024,
	.flash_kb_variants = l47x_flash_kb,
	.regions = l47x_regions,
	.n_regions = G_N_ELEMENTS(l47x_regions),
	.sram_size = 96 * 1024,
	/* DS10198 6.3.10: program/erase down to 1.71 V. */
	.min_program_mv = 1710,
	.options = &glint_l47x_options,
	.revisions = l47x_revisions,
	.n_revisions = G_N_ELEMENTS(l47x_revisions),
	.data = &l47x_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x461,
	.name = "STM32L49x/L4Ax",
	.parts = "STM32L496, L4A6",
	.flash_kb_max = 1024,
	.flash_kb_variants = l47x_flash_kb,
	.regions = l49x_regions,
	.n_regions = G_N_ELEMENTS(l49x_regions),
	.sram_size = 256 * 1024,
	/* DS11585 (STM32L496xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l47x_options,
	.revisions = l49x_revisions,
	.n_revisions = G_N_ELEMENTS(l49x_revisions),
	.data = &l47x_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x435,
	.name = "STM32L43x/L44x",
	.parts = "STM32L431, L432, L433, L442, L443",
	.flash_kb_max = 256,
	.flash_kb_variants = l43x_flash_kb,
	.regions = l43x_regions,
	.n_regions = G_N_ELEMENTS(l43x_regions),
	.sram_size = 48 * 1024,
	/* DS11451 (STM32L432xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l43x_options,
	.revisions = rm0394_revisions,
	.n_revisions = G_N_ELEMENTS(rm0394_revisions),
	.data = &rm0394_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x462,
	.name = "STM32L45x/L46x",
	.parts = "STM32L451, L452, L462",
	.flash_kb_max = 512,
	.flash_kb_variants = l45x_flash_kb,
	.regions = l45x_regions,
	.n_regions = G_N_ELEMENTS(l45x_regions),
	.sram_size = 128 * 1024,
	/* DS11912 (STM32L452xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l43x_options,
	.revisions = rm0394_revisions,
	.n_revisions = G_N_ELEMENTS(rm0394_revisions),
	.data = &rm0394_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x464,
	.name = "STM32L41x/L42x",
	.parts = "STM32L412, L422",
	.flash_kb_max = 128,
	.flash_kb_variants = l41x_flash_kb,
	.regions = l41x_regions,
	.n_regions = G_N_ELEMENTS(l41x_regions),
	.sram_size = 32 * 1024,
	/* DS12469 (STM32L412xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l43x_options,
	.revisions = rm0394_revisions,
	.n_revisions = G_N_ELEMENTS(rm0394_revisions),
	.data = &rm0394_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x469,
	.name = "STM32G47x/G48x",
	.parts = "STM32G471, G473, G474, G483, G484",
	.flash_kb_max = 512,
	.flash_kb_variants = g47x_flash_kb,
	.regions = g47x_regions,
	.n_regions = G_N_ELEMENTS(g47x_regions),
	.sram_size = 96 * 1024,
	/* DS12288 (STM32G474xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_g4_dual_options,
	.revisions = g4_revisions,
	.n_revisions = G_N_ELEMENTS(g4_revisions),
	.data = &g47x_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x468,
	.name = "STM32G43x/G44x",
	.parts = "STM32G431, G441",
	.flash_kb_max = 128,
	.flash_kb_variants = g43x_flash_kb,
	.regions = g43x_regions,
	.n_regions = G_N_ELEMENTS(g43x_regions),
	.sram_size = 22 * 1024,
	/* DS12589 (STM32G431xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_g4_single_options,
	.revisions = g4_revisions,
	.n_revisions = G_N_ELEMENTS(g4_revisions),
	.data = &g4_single_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x479,
	.name = "STM32G49x/G4Ax",
	.parts = "STM32G491, G4A1",
	.flash_kb_max = 512,
	.flash_kb_variants = g49x_flash_kb,
	.regions = g49x_regions,
	.n_regions = G_N_ELEMENTS(g49x_regions),
	.sram_size = 96 * 1024,
	/* DS13122 (STM32G491xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_g4_single_options,
	.revisions = g49x_revisions,
	.n_revisions = G_N_ELEMENTS(g49x_revisions),
	.data = &g4_single_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x470,
	.name = "STM32L4R/L4S",
	.parts = "STM32L4R5, L4R7, L4R9, L4S5, L4S7, L4S9",
	.flash_kb_max = 2048,
	.flash_kb_variants = l4r_flash_kb,
	.regions = l4r_regions,
	.n_regions = G_N_ELEMENTS(l4r_regions),
	.sram_size = 192 * 1024,
	/* DS12023 (STM32L4R5xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l4p_options,
	.revisions = l4r_revisions,
	.n_revisions = G_N_ELEMENTS(l4r_revisions),
	.data = &l4p_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x471,
	.name = "STM32L4P/L4Q",
	.parts = "STM32L4P5, L4Q5",
	.flash_kb_max = 1024,
	.flash_kb_variants = l4p_flash_kb,
	/* the L4R's map (recalled for the L4P: no board of it here, DS12902
	 * not checked for its SRAM sizes) */
	.regions = l4r_regions,
	.n_regions = G_N_ELEMENTS(l4r_regions),
	.sram_size = 192 * 1024,
	/* DS12902 (STM32L4P5xx): program/erase down to 1.71 V */
	.min_program_mv = 1710,
	.options = &glint_l4p_options,
	.revisions = l4p_revisions,
	.n_revisions = G_N_ELEMENTS(l4p_revisions),
	.data = &l4p_data,
    },
};

const GlintFamily glint_family_l4 = {
    .id = "l4",
    .name = "STM32L4",
    .chips = l4_chips,
    .n_chips = G_N_ELEMENTS(l4_chips),
    .ops = &glint_l4_ops,
};
