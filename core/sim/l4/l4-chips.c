/* l4-chips.c: the machines of the L4-style family, one per chip line: its
 * memory map (regions, the SRAM2 alias), its peripherals and the facts of
 * its reference manual and datasheet (L4Config). The model's code is the
 * same for all (l4-machine.c, l4-flash.c, l4-options.c). */
#define G_LOG_DOMAIN "glint-sim"

#include "l4-machine.h"

/* Peripherals ------------------------------------------------------------- */

static const SimGpioConfig l4_gpio = {
    .n_ports = GPIO_PORT_COUNT,
    .moder_reset = {GPIOA_MODER_RESET, GPIOB_MODER_RESET, GPIO_MODER_RESET, GPIO_MODER_RESET,
		    GPIO_MODER_RESET, GPIO_MODER_RESET, GPIO_MODER_RESET, GPIO_MODER_RESET},
    .pupdr_reset = {GPIOA_PUPDR_RESET, GPIOB_PUPDR_RESET},
};

static const guint32 l4_dbgmcu_registers[] = {DBGMCU_CR, DBGMCU_APB1FZR1, DBGMCU_APB1FZR2,
					      DBGMCU_APB2FZR};
static const SimDbgmcuConfig l4_dbgmcu = {l4_dbgmcu_registers, G_N_ELEMENTS(l4_dbgmcu_registers)};

#define L4_PLAIN(name, base)                                                                       \
	{                                                                                          \
		name, base, L4_PERIPH_BLOCK, 0, sim_plain_read, sim_plain_write                    \
	}

/* What answers on the bus besides memory, at the same addresses on the
 * L4, L4+ and G4 (RM0351 2.2.2, RM0432 2.2.2, RM0440 2.2.2): the modelled
 * peripherals, and plain storage for those a programmer or firmware touches
 * in passing (DMA gating, watchdog reloads, ...). Other addresses fault for
 * the debugger and read as 0 for the code. */
static const SimPeriph l4_periphs[] = {
    {"FLASH", FLASH_R_BASE, FLASH_R_SIZE, 0, l4_flash_read, l4_flash_write, l4_flash_reset, NULL,
     l4_flash_is_w1c, l4_flash_poke},
    {"RCC", RCC_BASE, L4_PERIPH_BLOCK, 0, l4_rcc_read, l4_rcc_write, l4_rcc_reset},
    {"CRC", CRC_BASE, L4_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, sim_crc_read, sim_crc_write,
     sim_crc_reset},
    {"GPIO", GPIO_BASE, GPIO_PORT_COUNT *GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write,
     sim_gpio_reset, .config = &l4_gpio},
    {"SYSCFG", SYSCFG_BASE, L4_PERIPH_BLOCK, 0, l4_syscfg_read, l4_syscfg_write},
    L4_PLAIN("WWDG", WWDG_BASE),
    L4_PLAIN("IWDG", IWDG_BASE),
    L4_PLAIN("USART2", USART2_BASE),
    L4_PLAIN("PWR", PWR_BASE),
    L4_PLAIN("DMA1", DMA1_BASE),
    L4_PLAIN("DMA2", DMA2_BASE),
    {"DBGMCU", DBGMCU_BASE, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &l4_dbgmcu},
};

/* Memory ------------------------------------------------------------------ */

/* One region table row per memory of a chip, from its L4Config's facts
 * (written out per chip: static initialisers cannot read a struct) */
#define L4_REGIONS(sram1_size, ram2_name, sram2_base, sram2_size, sysmem_size, opt_size,           \
		   opt2_base)                                                                      \
	{                                                                                          \
		[L4_REGION_FLASH] = {"flash",                                                      \
				     SIM_REGION_FLASH,                                             \
				     L4_FLASH_BASE,                                                \
				     0,                                                            \
				     SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY |               \
					 SIM_REGION_NONVOLATILE | SIM_REGION_EXEC |                \
					 SIM_REGION_MACHINE_MAPPED,                                \
				     0xFF},                                                        \
		[L4_REGION_SRAM1] = {"sram1",                                                      \
				     SIM_REGION_SRAM,                                              \
				     L4_SRAM1_BASE,                                                \
				     (sram1_size),                                                 \
				     SIM_REGION_WRITABLE | SIM_REGION_EXEC,                        \
				     0x00},                                                        \
		[L4_REGION_SRAM2] = {(ram2_name),                                                  \
				     SIM_REGION_SRAM,                                              \
				     (sram2_base),                                                 \
				     (sram2_size),                                                 \
				     SIM_REGION_WRITABLE | SIM_REGION_EXEC,                        \
				     0x00},                                                        \
		[L4_REGION_SYSMEM] = {"sysmem",	     SIM_REGION_SYSMEM, L4_SYSMEM_BASE,            \
				      (sysmem_size), SIM_REGION_EXEC,	0xFF},                     \
		[L4_REGION_OTP] = {"otp",                                                          \
				   SIM_REGION_OTP,                                                 \
				   L4_OTP_BASE,                                                    \
				   L4_OTP_SIZE,                                                    \
				   SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY |                 \
				       SIM_REGION_NONVOLATILE,                                     \
				   0xFF},                                                          \
		[L4_REGION_INFO] = {"info", SIM_REGION_INFO, L4_INFO_BASE, L4_INFO_SIZE, 0, 0xFF}, \
		[L4_REGION_OPT1] = {"options1", SIM_REGION_OPTIONS,	L4_OPT1_BASE,              \
				    (opt_size), SIM_REGION_NONVOLATILE, 0xFF},                     \
		[L4_REGION_OPT2] = {"options2", SIM_REGION_OPTIONS,	(opt2_base),               \
				    (opt_size), SIM_REGION_NONVOLATILE, 0xFF},                     \
	}

/* Vector table entries of generated firmware: 16 system + the interrupts */
#define L4_VECTORS(irqs) (16u + (irqs))
/* The external SysTick reference is HCLK / 8 (RM0351 6.2) */
#define L4_SYSTICK_EXT_DIV 8u

/* State files of version 1 (an STM32L476 only): both option areas, then
 * OTP (sim-state.c) */
static const char *const l4_legacy_state_regions[] = {"options1", "options2", "otp", NULL};

/* STM32L47x/L48x (RM0351, DS10198) ---------------------------------------- */

static const L4Config l47x_config = {
    .chip = "STM32L47x/L48x",
    .sram1_base = L4_SRAM1_BASE,
    .sram1_size = 96u * 1024u,
    .sram2_base = L4_SRAM2_BASE,
    .sram2_size = 32u * 1024u,
    .sysmem_base = L4_SYSMEM_BASE,
    .sysmem_size = 28u * 1024u,
    .otp_base = L4_OTP_BASE,
    .otp_size = L4_OTP_SIZE,
    .info_base = L4_INFO_BASE,
    .info_size = L4_INFO_SIZE,
    .uid_addr = L4_UID_ADDR,
    .package_addr = L4_PACKAGE_ADDR,
    .flashsize_addr = L4_FLASHSIZE_ADDR,
    /* PKG[4:0] = 0b00011: LQFP64, as on a NUCLEO-L476RG (RM0351 48.2) */
    .package = 0x0003,
    .opt1_base = L4_OPT1_BASE,
    .opt2_base = L4_OPT2_BASE,
    .flash_regs = FLASH_R_BASE,
    .page_size = 2048,
    .dual_page_size = 2048,
    .bank_rule = L4_BANKS_DUALBANK,
    .max_kb = 1024,
    .dual_mask = FLASH_OPTR_DUALBANK,
    .pnb_mask = FLASH_CR_PNB_MASK,
    .bfb2 = TRUE,
    .opt_area_size = L4_OPT_AREA_SIZE,
    .wrp_mask = 0xFF,
    .pcroper_factory = FLASH_PCROPER_NONE,
    .fast_row_dwords_single = 32,
    .ram2_name = "sram2",
    .dword_ns = SIM_FLASH_DOUBLE_WORD_NS,
    .fast_row_ns = SIM_FLASH_FAST_ROW_NS,
    .page_erase_ns = SIM_FLASH_PAGE_ERASE_NS,
    .mass_erase_ns = SIM_FLASH_MASS_ERASE_NS,
    .max_hclk_hz = SIM_L4_MAX_HCLK_HZ,
};

static const SimRegion l47x_regions[] = L4_REGIONS(96u * 1024u, "sram2", L4_SRAM2_BASE, 32u * 1024u,
						   28u * 1024u, L4_OPT_AREA_SIZE, L4_OPT2_BASE);

/* SRAM2 also follows SRAM1 (RM0351 2.4.2) */
static const SimAlias l47x_aliases[] = {
    {L4_SRAM1_BASE + 96u * 1024u, 32u * 1024u, L4_SRAM2_BASE},
};

/* DBGMCU_CR: TRACE_IOEN assigns the trace pins, TRACE_MODE 00 is
 * asynchronous, SWO on PB3 (RM0351 48.6.3; the same bits in RM0394, RM0432
 * and RM0440) */
static const SimSwoPin l4_swo_pin = {DBGMCU_BASE + DBGMCU_CR, DBGMCU_CR_TRACE_IOEN,
				     DBGMCU_CR_TRACE_MODE};

/* The GPIO ports, for the demo scenario's LED */
static const SimGpioPorts l4_gpio_ports = {GPIO_BASE, RCC_BASE + RCC_AHB2ENR, 0,
					   SIM_GPIO_STYLE_MODER};

/* l4-resets.c: the RM0351 memory map with its clock gates, reset values
 * and RCC_CSR flags (written for the L47x; the other chip lines keep the
 * framework's plain behaviour until their maps are entered) */
extern const SimPeriphMap l4_periph_map;

const L4Machine sim_l47x_machine = {
    {
	.name = "l4",
	.family = "STM32L4",
	.core = SIM_CORE_CORTEX_M4,
	.regions = l47x_regions,
	.n_regions = G_N_ELEMENTS(l47x_regions),
	.aliases = l47x_aliases,
	.n_aliases = G_N_ELEMENTS(l47x_aliases),
	.periphs = l4_periphs,
	.n_periphs = G_N_ELEMENTS(l4_periphs),
	.systick_ext_div = L4_SYSTICK_EXT_DIV,
	/* STM32L476: 82 interrupts */
	.vector_count = L4_VECTORS(82u),
	.scenario_texts = l4_scenario_texts,
	.legacy_state_regions = l4_legacy_state_regions,
	.legacy_state_page = 2048,
	.ops = &sim_l4_ops,
	.periph_map = &l4_periph_map,
	.swo_pin = &l4_swo_pin,
	.gpio_ports = &l4_gpio_ports,
    },
    &l47x_config,
};

/* The L4 machines share everything but their table and facts */
#define L4_MACHINE(region_table, n, alias_table, irqs, config)                                     \
	{                                                                                          \
		{                                                                                  \
		    .name = "l4",                                                                  \
		    .family = "STM32L4",                                                           \
		    .core = SIM_CORE_CORTEX_M4,                                                    \
		    .regions = (region_table),                                                     \
		    .n_regions = (n),                                                              \
		    .aliases = (alias_table),                                                      \
		    .n_aliases = G_N_ELEMENTS(alias_table),                                        \
		    .periphs = l4_periphs,                                                         \
		    .n_periphs = G_N_ELEMENTS(l4_periphs),                                         \
		    .systick_ext_div = L4_SYSTICK_EXT_DIV,                                         \
		    .vector_count = L4_VECTORS(irqs),                                              \
		    .scenario_texts = l4_scenario_texts,                                           \
		    .ops = &sim_l4_ops,                                                            \
		    .swo_pin = &l4_swo_pin,                                                        \
		    .gpio_ports = &l4_gpio_ports,                                                  \
		},                                                                                 \
		    (config)                                                                       \
	}

/* What the RM0351/RM0394 chips share: addresses, 2 KB pages, the L47x's
 * flash cell timings (DS10198; the L43x/L45x/L49x datasheets give the same
 * figures, docs/timing/l4.md) */
#define L4_CONFIG_COMMON                                                                           \
	.sram1_base = L4_SRAM1_BASE, .sram2_base = L4_SRAM2_BASE, .sysmem_base = L4_SYSMEM_BASE,   \
	.sysmem_size = 28u * 1024u, .otp_base = L4_OTP_BASE, .otp_size = L4_OTP_SIZE,              \
	.info_base = L4_INFO_BASE, .info_size = L4_INFO_SIZE, .uid_addr = L4_UID_ADDR,             \
	.package_addr = L4_PACKAGE_ADDR, .flashsize_addr = L4_FLASHSIZE_ADDR,                      \
	.opt1_base = L4_OPT1_BASE, .flash_regs = FLASH_R_BASE, .page_size = 2048,                  \
	.dual_page_size = 2048, .pnb_mask = FLASH_CR_PNB_MASK, .opt_area_size = L4_OPT_AREA_SIZE,  \
	.wrp_mask = 0xFF, .pcroper_factory = FLASH_PCROPER_NONE, .fast_row_dwords_single = 32,     \
	.ram2_name = "sram2", .dword_ns = SIM_FLASH_DOUBLE_WORD_NS,                                \
	.fast_row_ns = SIM_FLASH_FAST_ROW_NS, .page_erase_ns = SIM_FLASH_PAGE_ERASE_NS,            \
	.mass_erase_ns = SIM_FLASH_MASS_ERASE_NS, .max_hclk_hz = SIM_L4_MAX_HCLK_HZ

/* STM32L49x/L4Ax (RM0351, DS11585): the L47x's flash, 256 + 64 KB SRAM ---- */

static const L4Config l49x_config = {
    L4_CONFIG_COMMON,
    .chip = "STM32L49x/L4Ax",
    .sram1_size = 256u * 1024u,
    .sram2_size = 64u * 1024u,
    /* PKG: LQFP144 on a NUCLEO-L496ZG (RM0351 48.2; value recalled) */
    .package = 0x0002,
    .opt2_base = L4_OPT2_BASE,
    .bank_rule = L4_BANKS_DUALBANK,
    .max_kb = 1024,
    .dual_mask = FLASH_OPTR_DUALBANK,
    .bfb2 = TRUE,
};

static const SimRegion l49x_regions[] = L4_REGIONS(
    256u * 1024u, "sram2", L4_SRAM2_BASE, 64u * 1024u, 28u * 1024u, L4_OPT_AREA_SIZE, L4_OPT2_BASE);
static const SimAlias l49x_aliases[] = {
    {L4_SRAM1_BASE + 256u * 1024u, 64u * 1024u, L4_SRAM2_BASE},
};

/* STM32L496: 91 interrupts (RM0351 table 58, recalled) */
const L4Machine sim_l49x_machine =
    L4_MACHINE(l49x_regions, G_N_ELEMENTS(l49x_regions), l49x_aliases, 91u, &l49x_config);

/* STM32L43x/L44x (RM0394, DS11451): one bank, one option area ------------ */

static const L4Config l43x_config = {
    L4_CONFIG_COMMON,
    .chip = "STM32L43x/L44x",
    .sram1_size = 48u * 1024u,
    .sram2_size = 16u * 1024u,
    /* PKG: UFQFPN32 on a NUCLEO-L432KC (RM0394 47.2; value recalled) */
    .package = 0x0000,
    .bank_rule = L4_BANKS_SINGLE,
    .max_kb = 256,
};

static const SimRegion l43x_regions[] =
    L4_REGIONS(48u * 1024u, "sram2", L4_SRAM2_BASE, 16u * 1024u, 28u * 1024u, L4_OPT_AREA_SIZE, 0);
static const SimAlias l43x_aliases[] = {
    {L4_SRAM1_BASE + 48u * 1024u, 16u * 1024u, L4_SRAM2_BASE},
};

/* No second option area: the table stops before "options2"; STM32L432: 83
 * interrupts (RM0394 table 45, recalled) */
const L4Machine sim_l43x_machine =
    L4_MACHINE(l43x_regions, L4_REGION_OPT2, l43x_aliases, 83u, &l43x_config);

/* STM32L45x/L46x (RM0394, DS11912): one bank of 512 KB ------------------- */

static const L4Config l45x_config = {
    L4_CONFIG_COMMON,
    .chip = "STM32L45x/L46x",
    .sram1_size = 128u * 1024u,
    .sram2_size = 32u * 1024u,
    /* PKG: LQFP64 on a NUCLEO-L452RE (RM0394 47.2; value recalled) */
    .package = 0x0003,
    .bank_rule = L4_BANKS_SINGLE,
    .max_kb = 512,
};

static const SimRegion l45x_regions[] =
    L4_REGIONS(128u * 1024u, "sram2", L4_SRAM2_BASE, 32u * 1024u, 28u * 1024u, L4_OPT_AREA_SIZE, 0);
static const SimAlias l45x_aliases[] = {
    {L4_SRAM1_BASE + 128u * 1024u, 32u * 1024u, L4_SRAM2_BASE},
};

const L4Machine sim_l45x_machine =
    L4_MACHINE(l45x_regions, L4_REGION_OPT2, l45x_aliases, 83u, &l45x_config);

/* STM32G4 (RM0440, DS12288/DS12589): SRAM1 and SRAM2 back to back, CCM SRAM
 * at 0x10000000 and right after them; HSI16 at reset; the securable area
 * and BOOT_LOCK in a sixth option word; 7-bit WRP offsets ---------------- */

#define G4_CONFIG_COMMON                                                                           \
	.sram1_base = L4_SRAM1_BASE, .sram2_base = L4_SRAM2_BASE, .sysmem_base = L4_SYSMEM_BASE,   \
	.sysmem_size = 28u * 1024u, .otp_base = L4_OTP_BASE, .otp_size = L4_OTP_SIZE,              \
	.info_base = L4_INFO_BASE, .info_size = L4_INFO_SIZE, .uid_addr = L4_UID_ADDR,             \
	.package_addr = L4_PACKAGE_ADDR, .flashsize_addr = L4_FLASHSIZE_ADDR,                      \
	.opt1_base = L4_OPT1_BASE, .flash_regs = FLASH_R_BASE, .dual_page_size = 2048,             \
	.pnb_mask = (0x7Fu << FLASH_CR_PNB_SHIFT), .opt_area_size = L4_OPT_AREA_SIZE_MAX,          \
	.has_secr = TRUE, .wrp_mask = 0x7F, .pcroper_factory = 0x00FF0000u,                        \
	.ram2_name = "ccmsram", .hsi16_at_reset = TRUE, .dword_ns = SIM_FLASH_DOUBLE_WORD_NS,      \
	.fast_row_ns = SIM_FLASH_FAST_ROW_NS, .page_erase_ns = SIM_FLASH_PAGE_ERASE_NS,            \
	.mass_erase_ns = SIM_FLASH_MASS_ERASE_NS, .max_hclk_hz = SIM_G4_MAX_HCLK_HZ

/* G47x/G48x (category 3): DBANK = 1 (as shipped) two banks of 2 KB pages,
 * bank 2 at 0x08040000 whatever the size; DBANK = 0 one bank of 4 KB pages
 * whose rows are 64 double words (RM0440 3.3.1) */
static const L4Config g47x_config = {
    G4_CONFIG_COMMON,
    .chip = "STM32G47x/G48x",
    .sram1_size = 96u * 1024u,
    .sram2_size = 32u * 1024u,
    /* PKG: LQFP64 on a NUCLEO-G474RE (value recalled) */
    .package = 0x0003,
    .opt2_base = L4_OPT2_BASE,
    .page_size = 4096,
    .bank_rule = L4_BANKS_DBANK,
    .max_kb = 512,
    .dual_mask = FLASH_OPTR_DBANK,
    .bank2_fixed = 256u * 1024u,
    .bfb2 = TRUE,
    .single_bank_strict = TRUE,
    .single_bank_all_wrp = TRUE,
    .fast_row_dwords_single = 64,
};

static const SimRegion g47x_regions[] =
    L4_REGIONS(96u * 1024u, "ccmsram", L4_SRAM2_BASE, 32u * 1024u, 28u * 1024u,
	       L4_OPT_AREA_SIZE_MAX, L4_OPT2_BASE);
static const SimAlias g47x_aliases[] = {
    {L4_SRAM1_BASE + 96u * 1024u, 32u * 1024u, L4_SRAM2_BASE},
};

/* STM32G474: 102 interrupts (RM0440 table 97, recalled) */
const L4Machine sim_g47x_machine =
    L4_MACHINE(g47x_regions, G_N_ELEMENTS(g47x_regions), g47x_aliases, 102u, &g47x_config);

/* G43x/G44x (category 2): one bank of 2 KB pages, 16 + 6 KB SRAM, 10 KB CCM */
static const L4Config g43x_config = {
    G4_CONFIG_COMMON,
    .chip = "STM32G43x/G44x",
    .sram1_size = 22u * 1024u,
    .sram2_size = 10u * 1024u,
    /* PKG: LQFP64 on a NUCLEO-G431RB (value recalled) */
    .package = 0x0003,
    .page_size = 2048,
    .bank_rule = L4_BANKS_SINGLE,
    .max_kb = 128,
    .fast_row_dwords_single = 32,
};

static const SimRegion g43x_regions[] = L4_REGIONS(
    22u * 1024u, "ccmsram", L4_SRAM2_BASE, 10u * 1024u, 28u * 1024u, L4_OPT_AREA_SIZE_MAX, 0);
static const SimAlias g43x_aliases[] = {
    {L4_SRAM1_BASE + 22u * 1024u, 10u * 1024u, L4_SRAM2_BASE},
};

/* STM32G431: 102 interrupts (recalled); one option area */
const L4Machine sim_g43x_machine =
    L4_MACHINE(g43x_regions, L4_REGION_OPT2, g43x_aliases, 102u, &g43x_config);

/* STM32L4R/L4S (RM0432, DS12023): 2 MB in one bank of 8 KB pages or, with
 * DBANK (as shipped), two banks of 4 KB pages; the 1 MB parts use DB1M;
 * SRAM1 192 KB, SRAM2 64 KB (0x10000000, also after SRAM1), SRAM3 384 KB
 * at 0x20040000; option bytes at 0x1FF00000 and 0x1FF01000 ------------- */

static const L4Config l4r_config = {
    .chip = "STM32L4R/L4S",
    .sram1_base = L4_SRAM1_BASE,
    .sram1_size = 192u * 1024u,
    .sram2_base = L4_SRAM2_BASE,
    .sram2_size = 64u * 1024u,
    .sysmem_base = L4_SYSMEM_BASE,
    .sysmem_size = 28u * 1024u,
    .otp_base = L4_OTP_BASE,
    .otp_size = L4_OTP_SIZE,
    .info_base = L4_INFO_BASE,
    .info_size = L4_INFO_SIZE,
    .uid_addr = L4_UID_ADDR,
    .package_addr = L4_PACKAGE_ADDR,
    .flashsize_addr = L4_FLASHSIZE_ADDR,
    /* PKG: LQFP144 on a NUCLEO-L4R5ZI (value recalled) */
    .package = 0x0002,
    .opt1_base = L4P_OPT1_BASE,
    .opt2_base = L4P_OPT2_BASE,
    .flash_regs = FLASH_R_BASE,
    .page_size = 8192,
    .dual_page_size = 4096,
    .bank_rule = L4_BANKS_DBANK,
    .max_kb = 2048,
    .dual_mask = FLASH_OPTR_DBANK,
    .dual_mask_small = FLASH_OPTR_DUALBANK,
    .pnb_mask = FLASH_CR_PNB_MASK,
    .bfb2 = TRUE,
    .opt_area_size = L4_OPT_AREA_SIZE,
    .wrp_mask = 0xFF,
    .pcroper_factory = FLASH_PCROPER_NONE,
    .single_bank_all_wrp = TRUE,
    /* an 8 KB page of 8 rows of 1 KB (estimate, as the G47x's 4 KB pages) */
    .fast_row_dwords_single = 128,
    .ram2_name = "sram2",
    .dword_ns = SIM_FLASH_DOUBLE_WORD_NS,
    .fast_row_ns = SIM_FLASH_FAST_ROW_NS,
    .page_erase_ns = SIM_FLASH_PAGE_ERASE_NS,
    .mass_erase_ns = SIM_FLASH_MASS_ERASE_NS,
    .max_hclk_hz = SIM_L4P_MAX_HCLK_HZ,
};

static const SimRegion l4r_regions[] = {
    [L4_REGION_FLASH] = {"flash", SIM_REGION_FLASH, L4_FLASH_BASE, 0,
			 SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE |
			     SIM_REGION_EXEC | SIM_REGION_MACHINE_MAPPED,
			 0xFF},
    [L4_REGION_SRAM1] = {"sram1", SIM_REGION_SRAM, L4_SRAM1_BASE, 192u * 1024u,
			 SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [L4_REGION_SRAM2] = {"sram2", SIM_REGION_SRAM, L4_SRAM2_BASE, 64u * 1024u,
			 SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [L4_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, L4_SYSMEM_BASE, 28u * 1024u, SIM_REGION_EXEC,
			  0xFF},
    [L4_REGION_OTP] = {"otp", SIM_REGION_OTP, L4_OTP_BASE, L4_OTP_SIZE,
		       SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE,
		       0xFF},
    [L4_REGION_INFO] = {"info", SIM_REGION_INFO, L4_INFO_BASE, L4_INFO_SIZE, 0, 0xFF},
    [L4_REGION_OPT1] = {"options1", SIM_REGION_OPTIONS, L4P_OPT1_BASE, L4_OPT_AREA_SIZE,
			SIM_REGION_NONVOLATILE, 0xFF},
    [L4_REGION_OPT2] = {"options2", SIM_REGION_OPTIONS, L4P_OPT2_BASE, L4_OPT_AREA_SIZE,
			SIM_REGION_NONVOLATILE, 0xFF},
    [L4_REGION_SRAM3] = {"sram3", SIM_REGION_SRAM, 0x20040000u, 384u * 1024u,
			 SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
};
static const SimAlias l4r_aliases[] = {
    {L4_SRAM1_BASE + 192u * 1024u, 64u * 1024u, L4_SRAM2_BASE},
};

/* STM32L4R5: 95 interrupts (RM0432, recalled) */
const L4Machine sim_l4r_machine =
    L4_MACHINE(l4r_regions, G_N_ELEMENTS(l4r_regions), l4r_aliases, 95u, &l4r_config);
