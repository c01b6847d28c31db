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
/* Typical erase times, "Flash memory characteristics" (recalled; the
 * emulator's core/sim/l4/l4-timing.h holds the same figures and
 * tests/family/l4 checks that they agree): tERASE 22.02 ms a page, tME
 * 22.13 ms a mass erase in DS10198 (STM32L47x), and the same cells in the
 * other L4, L4+, G4, WB and WL datasheets; the G0's 22 and 22.1 ms
 * (DS12232) */
#define L4_ERASE_TIMES(name, ds) static const GlintL4EraseTimes name = {ds, 22020000, 22130000}
L4_ERASE_TIMES(l47x_erase, "DS10198");
L4_ERASE_TIMES(rm0394_erase, "DS11451");
L4_ERASE_TIMES(g47x_erase, "DS12288");
L4_ERASE_TIMES(g4_single_erase, "DS12589");
L4_ERASE_TIMES(l4p_erase, "DS12023");
L4_ERASE_TIMES(wb_erase, "DS11929");
L4_ERASE_TIMES(wl_erase, "DS13293");
static const GlintL4EraseTimes g0_erase = {"DS12232", 22000000, 22100000};

static const GlintL4Chip l47x_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = L4_OPTIONS,
    .page_size = 2048,
    .dual_page_size = 2048,
    .bank_rule = GLINT_L4_BANKS_DUALBANK_BIT,
    .dual_mask = FLASH_OPTR_DUALBANK,
    .dual_bit_name = "DUALBANK",
    .option_offsets = glint_l4_option_offsets,
    .bfb2 = TRUE,
    .erase_times = &l47x_erase,
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
    .erase_times = &rm0394_erase,
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
    .bfb2 = TRUE,
    .erase_times = &g47x_erase,
};

static const GlintL4Chip g4_single_data = {
    .flash_regs = L4_FLASH_REGS,
    .option_base = L4_OPTIONS,
    .page_size = 2048,
    .dual_page_size = 2048,
    .bank_rule = GLINT_L4_BANKS_SINGLE,
    .option_offsets = glint_g4_single_option_offsets,
    .erase_times = &g4_single_erase,
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
    .bfb2 = TRUE,
    .erase_times = &l4p_erase,
};

/* STM32G0 (RM0444): a Cortex-M0+; one SRAM; 2 KB pages; the option bytes
 * at 0x1FFF7800 (128 bytes, FLASH_SECR's word at its end); the DBGMCU on
 * the APB (0x40015800) ------------------------------------------------------ */

#define G0_COMMON_REGIONS(sram_kb, sysmem_kb)                                                      \
	{"SRAM", GLINT_REGION_SRAM, 0x20000000, (sram_kb)*1024},                                   \
	    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, (sysmem_kb)*1024},              \
	    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},                                           \
	    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100},     \
	    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x80},                          \
	    {N_("Peripherals (APB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x16000},              \
	    {N_("Peripherals (AHB)"), GLINT_REGION_PERIPHERALS, 0x40020000, 0x6400},               \
	{                                                                                          \
		N_("Peripherals (IOPORT)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x1C00           \
	}

/* RM0444 3.3.1 (system memory sizes recalled: 8 KB on the G03x/G04x,
 * 28 KB on the others) */
static const GlintMemoryRegion g03x_regions[] = {G0_COMMON_REGIONS(8, 8)};
static const GlintMemoryRegion g05x_regions[] = {G0_COMMON_REGIONS(18, 8)};
static const GlintMemoryRegion g07x_regions[] = {G0_COMMON_REGIONS(36, 28)};
static const GlintMemoryRegion g0bx_regions[] = {G0_COMMON_REGIONS(144, 28)};

/* OpenOCD's names */
static const GlintChipRevision g03x_revisions[] = {
    {0x1000, "A"},
    {0x1001, "Z"},
    {0x2000, "B"},
};
static const GlintChipRevision g05x_revisions[] = {
    {0x1000, "A"},
};
static const GlintChipRevision g07x_revisions[] = {
    {0x1000, "A/Z"},
    {0x2000, "B"},
};
static const GlintChipRevision g0bx_revisions[] = {
    {0x1000, "A"},
};

static const guint32 g03x_flash_kb[] = {64, 32, 16, 0};
static const guint32 g05x_flash_kb[] = {64, 32, 0};
static const guint32 g07x_flash_kb[] = {128, 64, 0};
static const guint32 g0bx_flash_kb[] = {512, 256, 128, 0};

/* What the G0 lines share: 10-bit PNB; CFGBSY and BSY(2) to wait for; the
 * watchdogs frozen through DBG_APB_FZ1 once the debug unit is clocked; the
 * empty check; the Thumb-1 loader */
#define G0_DATA_COMMON                                                                             \
	.flash_regs = L4_FLASH_REGS, .option_base = L4_OPTIONS, .page_size = 2048,                 \
	.dual_page_size = 2048, .cr_pnb_mask = FLASH_CR_PNB_MASK_G0,                               \
	.sr_busy = FLASH_SR_BSY | FLASH_SR_BSY2 | FLASH_SR_CFGBSY,                                 \
	.dbgmcu_freeze = DBGMCU_G0_APB_FZ1, .dbg_clock_reg = RCC_G0_APBENR1,                       \
	.dbg_clock_bit = RCC_G0_APBENR1_DBGEN, .empty_check = TRUE, .loader = &glint_g0_loader,    \
	.option_offsets = glint_g0_option_offsets

static const GlintL4Chip g0_single_data = {
    G0_DATA_COMMON,
    .bank_rule = GLINT_L4_BANKS_SINGLE,
    .cr_mass_erase = FLASH_CR_MER1,
    .erase_times = &g0_erase,
};

/* RM0444 3.3.1: the G0B1 is two banks of 2 KB pages with DUAL_BANK (as
 * shipped), bank 2's pages numbered from 256 and erased with BKER in bit
 * 13; nSWAP_BANK = 0 maps bank 2 first */
static const GlintL4Chip g0_dual_data = {
    G0_DATA_COMMON,
    .bank_rule = GLINT_L4_BANKS_DBANK,
    .dual_mask = FLASH_OPTR_G0_DUAL_BANK,
    .dual_bit_name = "DUAL_BANK",
    .cr_bker = FLASH_CR_BKER_G0,
    .bank2_pnb_base = 256,
    .cr_mass_erase = FLASH_CR_MER1 | FLASH_CR_MER2,
    .swap_clear_bit = FLASH_OPTR_G0_nSWAP_BANK,
    .erase_times = &g0_erase,
};

/* STM32WB and STM32WL (RM0434, RM0453): CPU1 a Cortex-M4 with the flash
 * interface at 0x58004000; CPU2's secure flash from FLASH_SFR.SFSA -------- */

#define WX_FLASH_REGS 0x58004000u

#define WX_PERIPHERAL_REGIONS                                                                      \
	{N_("Peripherals (APB1, APB2, AHB1)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x24400},     \
	    {N_("Peripherals (AHB2: GPIO)"), GLINT_REGION_PERIPHERALS, 0x48000000, 0x2000},        \
	{                                                                                          \
		N_("Peripherals (AHB3: RCC, PWR, FLASH, IPCC, HSEM)"), GLINT_REGION_PERIPHERALS,   \
		    0x58000000, 0x8000                                                             \
	}

/* RM0434 2.2.2: SRAM1, SRAM2a and SRAM2b (CPU2 may keep parts secure);
 * option bytes at 0x1FFF8000 */
static const GlintMemoryRegion wb5x_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 192 * 1024},
    {N_("SRAM2a + SRAM2b"), GLINT_REGION_SRAM, 0x20030000, 64 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 28 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF8000, 0x80},
    WX_PERIPHERAL_REGIONS,
};
/* RM0471 / RM0473 (WB3x, WB1x): the WB5x's map with less SRAM (recalled: no
 * board of them here) */
static const GlintMemoryRegion wb3x_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 64 * 1024},
    {N_("SRAM2a + SRAM2b"), GLINT_REGION_SRAM, 0x20030000, 32 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 28 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF8000, 0x80},
    WX_PERIPHERAL_REGIONS,
};
static const GlintMemoryRegion wb1x_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 12 * 1024},
    {N_("SRAM2a + SRAM2b"), GLINT_REGION_SRAM, 0x20030000, 36 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 28 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF8000, 0x80},
    WX_PERIPHERAL_REGIONS,
};
/* RM0453 2.2.2: SRAM1 and SRAM2 back to back; option bytes at 0x1FFF7800 */
static const GlintMemoryRegion wl5x_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 32 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x20008000, 32 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 16 * 1024},
    {"OTP", GLINT_REGION_OTP, 0x1FFF7000, 1024},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7500, 0x100},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF7800, 0x80},
    WX_PERIPHERAL_REGIONS,
};

/* OpenOCD's names */
static const GlintChipRevision wb5x_revisions[] = {
    {0x2001, "2.1"},
};
static const GlintChipRevision wb3x_revisions[] = {
    {0x1000, "A"},
};
static const GlintChipRevision wb1x_revisions[] = {
    {0x1000, "A"},
    {0x2000, "B"},
};
static const GlintChipRevision wl5x_revisions[] = {
    {0x1000, "1.0"},
};

static const guint32 wb5x_flash_kb[] = {1024, 512, 256, 0};
static const guint32 wb3x_flash_kb[] = {512, 0};
static const guint32 wb1x_flash_kb[] = {320, 0};
static const guint32 wl5x_flash_kb[] = {256, 128, 64, 0};

#define WX_DATA_COMMON                                                                             \
	.flash_regs = WX_FLASH_REGS, .bank_rule = GLINT_L4_BANKS_SINGLE,                           \
	.sr_busy = FLASH_SR_BSY | FLASH_SR_CFGBSY, .dbgmcu_freeze = DBGMCU_WX_APB1FZR1,            \
	.option_offsets = glint_wx_option_offsets,                                                 \
	.readonly_regs = (1u << GLINT_WX_OB_SFR) | (1u << GLINT_WX_OB_SRRVR)

/* RM0434 3.3.1: 4 KB pages (2 KB on the WB1x); "a mass erase by the CPU1
 * is ignored and a bus error is generated" (3.3.7) */
static const GlintL4Chip wb_data = {
    WX_DATA_COMMON,	      .option_base = 0x1FFF8000, .page_size = 4096,
    .dual_page_size = 4096,   .no_mass_erase = TRUE,	 .loader = &glint_wb_loader,
    .erase_times = &wb_erase,
};
static const GlintL4Chip wb1x_data = {
    WX_DATA_COMMON,	      .option_base = 0x1FFF8000, .page_size = 2048,
    .dual_page_size = 2048,   .no_mass_erase = TRUE,	 .loader = &glint_wb_loader,
    .erase_times = &wb_erase,
};

/* RM0453 4.3.1: 2 KB pages, 7-bit PNB, one MER bit */
static const GlintL4Chip wl_data = {
    WX_DATA_COMMON,
    .option_base = L4_OPTIONS,
    .page_size = 2048,
    .dual_page_size = 2048,
    .cr_pnb_mask = FLASH_CR_PNB_MASK_WL,
    .cr_mass_erase = FLASH_CR_MER1,
    .loader = &glint_wl_loader,
    .erase_times = &wl_erase,
};

/* What every row of this family shares, and the core most have */
#define L4_CHIP_BASE                                                                               \
	.family = &glint_family_l4, .flash_base = 0x08000000, .flash_size_reg = 0x1FFF75E0,        \
	.uid_addr = 0x1FFF7590, .package_addr = 0x1FFF7500, .sram_base = 0x20000000
#define L4_CHIP_COMMON L4_CHIP_BASE, .core = "Cortex-M4"
#define G0_CHIP_COMMON L4_CHIP_BASE, .core = "Cortex-M0+"

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
    {
	G0_CHIP_COMMON,
	.dev_id = 0x466,
	.name = "STM32G03x/G04x",
	.parts = "STM32G030, G031, G041",
	.flash_kb_max = 64,
	.flash_kb_variants = g03x_flash_kb,
	.regions = g03x_regions,
	.n_regions = G_N_ELEMENTS(g03x_regions),
	.sram_size = 8 * 1024,
	/* DS12992 (STM32G031x4/x6/x8): VDD 1.7-3.6 V, flash programmable over it */
	.min_program_mv = 1700,
	.options = &glint_g0_single_options,
	.revisions = g03x_revisions,
	.n_revisions = G_N_ELEMENTS(g03x_revisions),
	.data = &g0_single_data,
    },
    {
	G0_CHIP_COMMON,
	.dev_id = 0x456,
	.name = "STM32G05x/G06x",
	.parts = "STM32G050, G051, G061",
	.flash_kb_max = 64,
	.flash_kb_variants = g05x_flash_kb,
	.regions = g05x_regions,
	.n_regions = G_N_ELEMENTS(g05x_regions),
	.sram_size = 18 * 1024,
	/* DS13560 (STM32G051x6/x8): 1.7 V (recalled) */
	.min_program_mv = 1700,
	.options = &glint_g0_single_options,
	.revisions = g05x_revisions,
	.n_revisions = G_N_ELEMENTS(g05x_revisions),
	.data = &g0_single_data,
    },
    {
	G0_CHIP_COMMON,
	.dev_id = 0x460,
	.name = "STM32G07x/G08x",
	.parts = "STM32G070, G071, G081",
	.flash_kb_max = 128,
	.flash_kb_variants = g07x_flash_kb,
	.regions = g07x_regions,
	.n_regions = G_N_ELEMENTS(g07x_regions),
	.sram_size = 36 * 1024,
	/* DS12232 (STM32G071x8/xB): 1.7 V */
	.min_program_mv = 1700,
	.options = &glint_g0_single_options,
	.revisions = g07x_revisions,
	.n_revisions = G_N_ELEMENTS(g07x_revisions),
	.data = &g0_single_data,
    },
    {
	G0_CHIP_COMMON,
	.dev_id = 0x467,
	.name = "STM32G0Bx/G0Cx",
	.parts = "STM32G0B0, G0B1, G0C1",
	.flash_kb_max = 512,
	.flash_kb_variants = g0bx_flash_kb,
	.regions = g0bx_regions,
	.n_regions = G_N_ELEMENTS(g0bx_regions),
	.sram_size = 144 * 1024,
	/* DS13560 (STM32G0B1xB/xC/xE): 1.7 V (recalled) */
	.min_program_mv = 1700,
	.options = &glint_g0_dual_options,
	.revisions = g0bx_revisions,
	.n_revisions = G_N_ELEMENTS(g0bx_revisions),
	.data = &g0_dual_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x495,
	.name = "STM32WB5x",
	.parts = "STM32WB55, WB35",
	.flash_kb_max = 1024,
	.flash_kb_variants = wb5x_flash_kb,
	.regions = wb5x_regions,
	.n_regions = G_N_ELEMENTS(wb5x_regions),
	.sram_size = 192 * 1024,
	/* DS11929 (STM32WB55xx): VDD 1.71-3.6 V */
	.min_program_mv = 1710,
	.options = &glint_wb_options,
	.revisions = wb5x_revisions,
	.n_revisions = G_N_ELEMENTS(wb5x_revisions),
	.data = &wb_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x496,
	.name = "STM32WB3x",
	.parts = "STM32WB30, WB50",
	.flash_kb_max = 512,
	.flash_kb_variants = wb3x_flash_kb,
	.regions = wb3x_regions,
	.n_regions = G_N_ELEMENTS(wb3x_regions),
	.sram_size = 64 * 1024,
	/* DS13252 (STM32WB30CE): 1.71 V (recalled) */
	.min_program_mv = 1710,
	.options = &glint_wb_options,
	.revisions = wb3x_revisions,
	.n_revisions = G_N_ELEMENTS(wb3x_revisions),
	.data = &wb_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x494,
	.name = "STM32WB1x",
	.parts = "STM32WB10, WB15",
	.flash_kb_max = 320,
	.flash_kb_variants = wb1x_flash_kb,
	.regions = wb1x_regions,
	.n_regions = G_N_ELEMENTS(wb1x_regions),
	.sram_size = 12 * 1024,
	/* DS13258 (STM32WB15CC): 1.71 V (recalled) */
	.min_program_mv = 1710,
	.options = &glint_wb_options,
	.revisions = wb1x_revisions,
	.n_revisions = G_N_ELEMENTS(wb1x_revisions),
	.data = &wb1x_data,
    },
    {
	L4_CHIP_COMMON,
	.dev_id = 0x497,
	.name = "STM32WL5x/WLEx",
	.parts = "STM32WL54, WL55, WLE4, WLE5",
	.flash_kb_max = 256,
	.flash_kb_variants = wl5x_flash_kb,
	.regions = wl5x_regions,
	.n_regions = G_N_ELEMENTS(wl5x_regions),
	.sram_size = 32 * 1024,
	/* DS13293 (STM32WL55xx): VDD 1.8-3.6 V */
	.min_program_mv = 1800,
	.options = &glint_wl_options,
	.revisions = wl5x_revisions,
	.n_revisions = G_N_ELEMENTS(wl5x_revisions),
	.data = &wl_data,
    },
};

static const GlintRegEdit l4_swo_steps[] = {
    {"DBGMCU_CR", DBGMCU_L4_CR, DBGMCU_CR_TRACE_IOEN, DBGMCU_CR_TRACE_MODE},
};
static const GlintSwoRoute l4_swo = {l4_swo_steps, G_N_ELEMENTS(l4_swo_steps), 0, FALSE};

const GlintFamily glint_family_l4 = {
    .id = "l4",
    .name = "STM32L4",
    .chips = l4_chips,
    .n_chips = G_N_ELEMENTS(l4_chips),
    .ops = &glint_l4_ops,
    .swo = &l4_swo,
};
