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
#define L4_ROW_FLASH                                                                               \
	{                                                                                          \
		"flash", SIM_REGION_FLASH, L4_FLASH_BASE, 0,                                       \
		    SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE |       \
			SIM_REGION_EXEC | SIM_REGION_MACHINE_MAPPED,                               \
		    0xFF                                                                           \
	}
#define L4_ROW_SRAM(name, base, size)                                                              \
	{                                                                                          \
		name, SIM_REGION_SRAM, base, size, SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00     \
	}
#define L4_ROW_SYSMEM(size)                                                                        \
	{                                                                                          \
		"sysmem", SIM_REGION_SYSMEM, L4_SYSMEM_BASE, size, SIM_REGION_EXEC, 0xFF           \
	}
#define L4_ROW_OTP                                                                                 \
	{                                                                                          \
		"otp", SIM_REGION_OTP, L4_OTP_BASE, L4_OTP_SIZE,                                   \
		    SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE, 0xFF   \
	}
#define L4_ROW_INFO                                                                                \
	{                                                                                          \
		"info", SIM_REGION_INFO, L4_INFO_BASE, L4_INFO_SIZE, 0, 0xFF                       \
	}
#define L4_ROW_OPTIONS(name, base, size)                                                           \
	{                                                                                          \
		name, SIM_REGION_OPTIONS, base, size, SIM_REGION_NONVOLATILE, 0xFF                 \
	}
/* CPU2's secure flash as CPU1 sees it: zeros (the machine maps it) */
#define L4_ROW_SECURE                                                                              \
	{                                                                                          \
		"secure-view", SIM_REGION_INFO, L4_FLASH_BASE, 0, SIM_REGION_MACHINE_MAPPED, 0x00  \
	}

#define L4_REGIONS(sram1_size, ram2_name, sram2_base, sram2_size, sysmem_size, opt_size,           \
		   opt2_base)                                                                      \
	{                                                                                          \
		[L4_REGION_FLASH] = L4_ROW_FLASH,                                                  \
		[L4_REGION_SRAM1] = L4_ROW_SRAM("sram1", L4_SRAM1_BASE, (sram1_size)),             \
		[L4_REGION_SYSMEM] = L4_ROW_SYSMEM(sysmem_size), [L4_REGION_OTP] = L4_ROW_OTP,     \
		[L4_REGION_INFO] = L4_ROW_INFO,                                                    \
		[L4_REGION_OPT1] = L4_ROW_OPTIONS("options1", L4_OPT1_BASE, (opt_size)),           \
		[L4_REGION_SRAM2] = L4_ROW_SRAM((ram2_name), (sram2_base), (sram2_size)),          \
		[L4_REGION_OPT2] = L4_ROW_OPTIONS("options2", (opt2_base), (opt_size)),            \
	}

/* Option words ------------------------------------------------------------- */

#define L4_WORD(reg, area, offset, factory, safe)                                                  \
	{                                                                                          \
		reg, area, offset, factory, safe, 0                                                \
	}

/* RM0351 3.4.1: each area holds OPTR (bank 1 only), PCROPxSR, PCROPxER,
 * WRPxAR, WRPxBR as double words from its start; a load that finds a pair
 * incoherent applies level 1 and "whole bank" write protection (estimate) */
#define L4_WORDS_BANK1(optr, pcroper)                                                              \
	L4_WORD(FLASH_OPTR, 0, 0x00, optr, FLASH_OPTR_SAFE),                                       \
	    L4_WORD(FLASH_PCROP1SR, 0, 0x08, FLASH_PCROPSR_NONE, FLASH_PCROPSR_NONE),              \
	    L4_WORD(FLASH_PCROP1ER, 0, 0x10, pcroper, FLASH_PCROPER_NONE),                         \
	    L4_WORD(FLASH_WRP1AR, 0, 0x18, FLASH_WRP_NONE, FLASH_WRP_SAFE),                        \
	    L4_WORD(FLASH_WRP1BR, 0, 0x20, FLASH_WRP_NONE, FLASH_WRP_SAFE)
#define L4_WORDS_BANK2(pcroper)                                                                    \
	L4_WORD(FLASH_PCROP2SR, 1, 0x08, FLASH_PCROPSR_NONE, FLASH_PCROPSR_NONE),                  \
	    L4_WORD(FLASH_PCROP2ER, 1, 0x10, pcroper, FLASH_PCROPER_NONE),                         \
	    L4_WORD(FLASH_WRP2AR, 1, 0x18, FLASH_WRP_NONE, FLASH_WRP_SAFE),                        \
	    L4_WORD(FLASH_WRP2BR, 1, 0x20, FLASH_WRP_NONE, FLASH_WRP_SAFE)

static const L4OptWord l4_dual_words[] = {
    L4_WORDS_BANK1(FLASH_OPTR_FACTORY, FLASH_PCROPER_NONE),
    L4_WORDS_BANK2(FLASH_PCROPER_NONE),
};
static const L4OptWord l4_single_words[] = {
    L4_WORDS_BANK1(FLASH_OPTR_FACTORY, FLASH_PCROPER_NONE),
};
/* RM0440 3.4.1: the G4's sixth double word, the securable area and
 * BOOT_LOCK; PCROPxER as shipped 0x00FF0000 (PCROP_RDP clear) */
#define G4_PCROPER_FACTORY 0x00FF0000u
static const L4OptWord g4_dual_words[] = {
    L4_WORDS_BANK1(FLASH_OPTR_FACTORY, G4_PCROPER_FACTORY),
    L4_WORDS_BANK2(G4_PCROPER_FACTORY),
    L4_WORD(FLASH_SEC1R, 0, 0x28, FLASH_SECR_FACTORY, FLASH_SECR_FACTORY),
    L4_WORD(FLASH_SEC2R, 1, 0x28, FLASH_SECR_FACTORY, FLASH_SECR_FACTORY),
};
static const L4OptWord g4_single_words[] = {
    L4_WORDS_BANK1(FLASH_OPTR_FACTORY, G4_PCROPER_FACTORY),
    L4_WORD(FLASH_SEC1R, 0, 0x28, FLASH_SECR_FACTORY, FLASH_SECR_FACTORY),
};

/* The L4's single PCROP area per bank, in double words (RM0351 3.5.2) */
#define L4_PCROP                                                                                   \
	.pcrop = {{{FLASH_PCROP1SR, FLASH_PCROP1ER}}, {{FLASH_PCROP2SR, FLASH_PCROP2ER}}},         \
	.n_pcrop = 1, .pcrop_granule = 8, .pcrop_mask = 0xFFFFu

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
    .bker = FLASH_CR_BKER,
    .bfb2 = TRUE,
    .opt_words = l4_dual_words,
    .n_opt_words = G_N_ELEMENTS(l4_dual_words),
    .opt_area_size = L4_OPT_AREA_SIZE,
    .wrp_mask = 0xFF,
    L4_PCROP,
    .fast_row_dwords_single = 32,
    .rcc = L4_RCC_MSI,
    .hse_hz = RCC_HSE_HZ,
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
 * and RM0440; the WB's DBGMCU_CR has TRACE_IOEN at bit 5 and no TRACE_MODE,
 * RM0434 DBGMCU_CR; the WL's is taken to match, recalled for RM0453);
 * PB3 carries it only in AF0, its reset function (GPIOB_MODER reset
 * 0xFFFFFEBF, AFRL 0: RM0351 8.5.1, 8.5.9) */
static const SimSwoPin l4_swo_pin = {DBGMCU_BASE + DBGMCU_CR, DBGMCU_CR_TRACE_IOEN,
				     DBGMCU_CR_TRACE_MODE, SIM_LED('B', 3)};

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
	.dual_page_size = 2048, .pnb_mask = FLASH_CR_PNB_MASK, .bker = FLASH_CR_BKER,              \
	.opt_area_size = L4_OPT_AREA_SIZE, .wrp_mask = 0xFF, L4_PCROP,                             \
	.fast_row_dwords_single = 32, .rcc = L4_RCC_MSI, .hse_hz = RCC_HSE_HZ,                     \
	.dword_ns = SIM_FLASH_DOUBLE_WORD_NS, .fast_row_ns = SIM_FLASH_FAST_ROW_NS,                \
	.page_erase_ns = SIM_FLASH_PAGE_ERASE_NS, .mass_erase_ns = SIM_FLASH_MASS_ERASE_NS,        \
	.max_hclk_hz = SIM_L4_MAX_HCLK_HZ

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
    .opt_words = l4_dual_words,
    .n_opt_words = G_N_ELEMENTS(l4_dual_words),
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
    .opt_words = l4_single_words,
    .n_opt_words = G_N_ELEMENTS(l4_single_words),
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
    .opt_words = l4_single_words,
    .n_opt_words = G_N_ELEMENTS(l4_single_words),
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
	.pnb_mask = (0x7Fu << FLASH_CR_PNB_SHIFT), .bker = FLASH_CR_BKER,                          \
	.opt_area_size = L4_OPT_AREA_SIZE_MAX, .secr_reg = FLASH_SEC1R, .wrp_mask = 0x7F,          \
	L4_PCROP, .rcc = L4_RCC_HSI16, .hse_hz = RCC_HSE_HZ, .dword_ns = SIM_FLASH_DOUBLE_WORD_NS, \
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
    .opt_words = g4_dual_words,
    .n_opt_words = G_N_ELEMENTS(g4_dual_words),
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
    .opt_words = g4_single_words,
    .n_opt_words = G_N_ELEMENTS(g4_single_words),
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
    .bker = FLASH_CR_BKER,
    .bfb2 = TRUE,
    .opt_words = l4_dual_words,
    .n_opt_words = G_N_ELEMENTS(l4_dual_words),
    .opt_area_size = L4_OPT_AREA_SIZE,
    .wrp_mask = 0xFF,
    L4_PCROP,
    .single_bank_all_wrp = TRUE,
    /* an 8 KB page of 8 rows of 1 KB (estimate, as the G47x's 4 KB pages) */
    .fast_row_dwords_single = 128,
    .rcc = L4_RCC_MSI,
    .hse_hz = RCC_HSE_HZ,
    .dword_ns = SIM_FLASH_DOUBLE_WORD_NS,
    .fast_row_ns = SIM_FLASH_FAST_ROW_NS,
    .page_erase_ns = SIM_FLASH_PAGE_ERASE_NS,
    .mass_erase_ns = SIM_FLASH_MASS_ERASE_NS,
    .max_hclk_hz = SIM_L4P_MAX_HCLK_HZ,
};

static const SimRegion l4r_regions[] = {
    [L4_REGION_FLASH] = L4_ROW_FLASH,
    [L4_REGION_SRAM1] = L4_ROW_SRAM("sram1", L4_SRAM1_BASE, 192u * 1024u),
    [L4_REGION_SYSMEM] = L4_ROW_SYSMEM(28u * 1024u),
    [L4_REGION_OTP] = L4_ROW_OTP,
    [L4_REGION_INFO] = L4_ROW_INFO,
    [L4_REGION_OPT1] = L4_ROW_OPTIONS("options1", L4P_OPT1_BASE, L4_OPT_AREA_SIZE),
    [L4_REGION_SRAM2] = L4_ROW_SRAM("sram2", L4_SRAM2_BASE, 64u * 1024u),
    [L4_REGION_OPT2] = L4_ROW_OPTIONS("options2", L4P_OPT2_BASE, L4_OPT_AREA_SIZE),
    [L4_REGION_SRAM3] = L4_ROW_SRAM("sram3", 0x20040000u, 384u * 1024u),
};
static const SimAlias l4r_aliases[] = {
    {L4_SRAM1_BASE + 192u * 1024u, 64u * 1024u, L4_SRAM2_BASE},
};

/* STM32L4R5: 95 interrupts (RM0432, recalled) */
const L4Machine sim_l4r_machine =
    L4_MACHINE(l4r_regions, G_N_ELEMENTS(l4r_regions), l4r_aliases, 95u, &l4r_config);

/* STM32G0 (RM0444, DS12992/DS12232/DS13560): a Cortex-M0+; one SRAM, no
 * SRAM2; 2 KB pages of 8 rows of 256 bytes; its own RCC (HSI16 at reset)
 * and boot selection (nBOOT_SEL, nBOOT0, nBOOT1, EMPTY); the DBGMCU on the
 * APB at 0x40015800; GPIO on the IOPORT bus at 0x50000000 ------------------ */

/* RM0444 2.2.2, table 6 */
#define G0_GPIO_BASE 0x50000000u
#define G0_DBGMCU_BASE 0x40015800u
#define G0_DBGMCU_SIZE 0x400u
/* RM0444 7.4.1: PA13 (SWDIO) and PA14 (SWCLK-BOOT0) in alternate function,
 * SWDIO pulled up, SWCLK pulled down */
#define G0_GPIOA_MODER_RESET 0xEBFFFFFFu
#define G0_GPIOA_PUPDR_RESET 0x24000000u

static const SimGpioConfig g0_gpio = {
    .n_ports = 6,
    .moder_reset = {G0_GPIOA_MODER_RESET, GPIO_MODER_RESET, GPIO_MODER_RESET, GPIO_MODER_RESET,
		    GPIO_MODER_RESET, GPIO_MODER_RESET},
    .pupdr_reset = {G0_GPIOA_PUPDR_RESET},
};

/* RM0444 40.9: DBG_CR, DBG_APB_FZ1, DBG_APB_FZ2 */
static const guint32 g0_dbgmcu_registers[] = {0x04u, 0x08u, 0x0Cu};
static const SimDbgmcuConfig g0_dbgmcu = {g0_dbgmcu_registers, G_N_ELEMENTS(g0_dbgmcu_registers)};

static const SimPeriph g0_periphs[] = {
    {"FLASH", FLASH_R_BASE, FLASH_R_SIZE, 0, l4_flash_read, l4_flash_write, l4_flash_reset, NULL,
     l4_flash_is_w1c, l4_flash_poke},
    {"RCC", RCC_BASE, L4_PERIPH_BLOCK, 0, l4_rcc_read, l4_rcc_write, l4_rcc_reset},
    {"CRC", CRC_BASE, L4_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, sim_crc_read, sim_crc_write,
     sim_crc_reset},
    {"GPIO", G0_GPIO_BASE, 6 * GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write, sim_gpio_reset,
     .config = &g0_gpio},
    /* SYSCFG_CFGR1.MEM_MODE [1:0] is the L4's MEMRMP.MEM_MODE (RM0444 9.1.1) */
    {"SYSCFG", SYSCFG_BASE, L4_PERIPH_BLOCK, 0, l4_syscfg_read, l4_syscfg_write},
    L4_PLAIN("WWDG", WWDG_BASE),
    L4_PLAIN("IWDG", IWDG_BASE),
    L4_PLAIN("USART2", USART2_BASE),
    L4_PLAIN("PWR", PWR_BASE),
    L4_PLAIN("DMA1", DMA1_BASE),
    {"DBGMCU", G0_DBGMCU_BASE, G0_DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &g0_dbgmcu},
};

/* RM0444 3.4.1 (option bytes organisation): one area of 128 bytes at
 * 0x1FFF7800; FLASH_SECR's word at 0x1FFF7870 (stlink issue 1192). The
 * G0B1's bank-2 words are placed after PCROP1B (estimate: RM0444's table of
 * the dual-bank option area not checked). PCROPxx_STRT > _END and WRPxx
 * STRT > END mean "no area"; PCROP_RDP clear as shipped. */
#define G0_PCROP_SR_NONE 0xFFFFFFFFu
#define G0_PCROP_ER_NONE 0x00000000u
#define G0_WRP_NONE 0xFF80FFFFu
#define G0_WORDS_BANK1                                                                             \
	L4_WORD(FLASH_OPTR, 0, 0x00, G0_OPTR_FACTORY, G0_OPTR_SAFE),                               \
	    L4_WORD(FLASH_PCROP1SR, 0, 0x08, G0_PCROP_SR_NONE, G0_PCROP_SR_NONE),                  \
	    L4_WORD(FLASH_PCROP1ER, 0, 0x10, G0_PCROP_ER_NONE, G0_PCROP_ER_NONE),                  \
	    L4_WORD(FLASH_WRP1AR, 0, 0x18, G0_WRP_NONE, FLASH_WRP_SAFE),                           \
	    L4_WORD(FLASH_WRP1BR, 0, 0x20, G0_WRP_NONE, FLASH_WRP_SAFE),                           \
	    L4_WORD(FLASH_PCROP1BSR, 0, 0x28, G0_PCROP_SR_NONE, G0_PCROP_SR_NONE),                 \
	    L4_WORD(FLASH_PCROP1BER, 0, 0x30, G0_PCROP_ER_NONE, G0_PCROP_ER_NONE),                 \
	    L4_WORD(FLASH_SECR, 0, 0x70, 0, 0)

static const L4OptWord g0_words[] = {
    G0_WORDS_BANK1,
};
static const L4OptWord g0b_words[] = {
    G0_WORDS_BANK1,
    L4_WORD(FLASH_PCROP2SR, 0, 0x38, G0_PCROP_SR_NONE, G0_PCROP_SR_NONE),
    L4_WORD(FLASH_PCROP2ER, 0, 0x40, G0_PCROP_ER_NONE, G0_PCROP_ER_NONE),
    L4_WORD(FLASH_WRP2AR, 0, 0x48, G0_WRP_NONE, FLASH_WRP_SAFE),
    L4_WORD(FLASH_WRP2BR, 0, 0x50, G0_WRP_NONE, FLASH_WRP_SAFE),
    L4_WORD(FLASH_PCROP2BSR, 0, 0x58, G0_PCROP_SR_NONE, G0_PCROP_SR_NONE),
    L4_WORD(FLASH_PCROP2BER, 0, 0x60, G0_PCROP_ER_NONE, G0_PCROP_ER_NONE),
};

#define G0_OPT_AREA_SIZE 0x80u

/* What the G0 lines share (RM0444 3.3, 3.7; DS12232 flash timings) */
#define G0_CONFIG_COMMON                                                                           \
	.sram1_base = L4_SRAM1_BASE, .sysmem_base = L4_SYSMEM_BASE, .otp_base = L4_OTP_BASE,       \
	.otp_size = L4_OTP_SIZE, .info_base = L4_INFO_BASE, .info_size = L4_INFO_SIZE,             \
	.uid_addr = L4_UID_ADDR, .package_addr = L4_PACKAGE_ADDR,                                  \
	.flashsize_addr = L4_FLASHSIZE_ADDR, .opt1_base = L4_OPT1_BASE,                            \
	.flash_regs = FLASH_R_BASE, .page_size = 2048, .dual_page_size = 2048,                     \
	.pnb_mask = FLASH_CR_PNB_MASK_G0, .bker = FLASH_CR_BKER_G0, .cfgbsy = TRUE,                \
	.g0_boot = TRUE, .opt_area_size = G0_OPT_AREA_SIZE, .wrp_mask = 0x7F,                      \
	.pcrop = {{{FLASH_PCROP1SR, FLASH_PCROP1ER}, {FLASH_PCROP1BSR, FLASH_PCROP1BER}},          \
		  {{FLASH_PCROP2SR, FLASH_PCROP2ER}, {FLASH_PCROP2BSR, FLASH_PCROP2BER}}},         \
	.n_pcrop = 2, .pcrop_granule = 512, .pcrop_mask = 0x1FFu, .secr_reg = FLASH_SECR,          \
	.fast_row_dwords_single = 32, .rcc = L4_RCC_G0, .hse_hz = RCC_HSE_HZ,                      \
	.dword_ns = G0_FLASH_DOUBLE_WORD_NS, .fast_row_ns = G0_FLASH_FAST_ROW_NS,                  \
	.page_erase_ns = G0_FLASH_PAGE_ERASE_NS, .mass_erase_ns = G0_FLASH_MASS_ERASE_NS,          \
	.max_hclk_hz = G0_MAX_HCLK_HZ

#define G0_REGIONS(sram_size, sysmem_size)                                                         \
	{                                                                                          \
		[L4_REGION_FLASH] = L4_ROW_FLASH,                                                  \
		[L4_REGION_SRAM1] = L4_ROW_SRAM("sram", L4_SRAM1_BASE, (sram_size)),               \
		[L4_REGION_SYSMEM] = L4_ROW_SYSMEM(sysmem_size), [L4_REGION_OTP] = L4_ROW_OTP,     \
		[L4_REGION_INFO] = L4_ROW_INFO,                                                    \
		[L4_REGION_OPT1] = L4_ROW_OPTIONS("options", L4_OPT1_BASE, G0_OPT_AREA_SIZE),      \
	}

/* The GPIO ports, for the demo scenario's LED: the G0's on the IOPORT bus,
 * clocked by RCC_IOPENR (RM0444 5.4.13); the WB's and WL's on AHB2, by
 * RCC_AHB2ENR (RM0434 6.4.25, RM0453 6.4.27). No SWO pin is modelled: the
 * G0's M0+ has none, and the WB/WL's trace pin routing is not entered */
static const SimGpioPorts g0_gpio_ports = {G0_GPIO_BASE, RCC_BASE + 0x34u, 0, SIM_GPIO_STYLE_MODER};
#define WX_RCC_AHB2ENR 0x5800004Cu
static const SimGpioPorts wx_gpio_ports = {GPIO_BASE, WX_RCC_AHB2ENR, 0, SIM_GPIO_STYLE_MODER};

/* l4-resets.c: the G0's and the WB/WL's memory maps and RCC_CSR flags */
extern const SimPeriphMap g0_periph_map;
extern const SimPeriphMap wx_periph_map;

/* The G0 machines: no SRAM2, one option area; 32 interrupts (RM0444 12.1) */
#define G0_MACHINE(region_table, config)                                                           \
	{                                                                                          \
		{                                                                                  \
		    .name = "l4",                                                                  \
		    .family = "STM32G0",                                                           \
		    .core = SIM_CORE_CORTEX_M0PLUS,                                                \
		    .regions = (region_table),                                                     \
		    .n_regions = L4_REGION_SRAM2,                                                  \
		    .periphs = g0_periphs,                                                         \
		    .n_periphs = G_N_ELEMENTS(g0_periphs),                                         \
		    .systick_ext_div = L4_SYSTICK_EXT_DIV,                                         \
		    .vector_count = L4_VECTORS(32u),                                               \
		    .scenario_texts = l4_scenario_texts,                                           \
		    .ops = &sim_l4_ops,                                                            \
		    .periph_map = &g0_periph_map,                                                  \
		    .gpio_ports = &g0_gpio_ports,                                                  \
		    .armv6m_strict = TRUE,                                                         \
		},                                                                                 \
		    (config)                                                                       \
	}

/* G03x/G04x: 64 KB, 8 KB SRAM, 8 KB system memory (RM0444 3.3.1) */
static const L4Config g03x_config = {
    G0_CONFIG_COMMON,
    .chip = "STM32G03x/G04x",
    .sram1_size = 8u * 1024u,
    .sysmem_size = 8u * 1024u,
    /* PKG: LQFP32 on a NUCLEO-G031K8 (RM0444 38.2; value recalled) */
    .package = 0x0001,
    .bank_rule = L4_BANKS_SINGLE,
    .max_kb = 64,
    .opt_words = g0_words,
    .n_opt_words = G_N_ELEMENTS(g0_words),
};
static const SimRegion g03x_regions[] = G0_REGIONS(8u * 1024u, 8u * 1024u);
const L4Machine sim_g03x_machine = G0_MACHINE(g03x_regions, &g03x_config);

/* G07x/G08x: 128 KB, 36 KB SRAM */
static const L4Config g07x_config = {
    G0_CONFIG_COMMON,
    .chip = "STM32G07x/G08x",
    .sram1_size = 36u * 1024u,
    /* RM0444 3.3.1 table 9: 0x1FFF0000-0x1FFF6FFF on 128 KB parts */
    .sysmem_size = 28u * 1024u,
    /* PKG: LQFP64 on a NUCLEO-G071RB (value recalled) */
    .package = 0x0007,
    .bank_rule = L4_BANKS_SINGLE,
    .max_kb = 128,
    .opt_words = g0_words,
    .n_opt_words = G_N_ELEMENTS(g0_words),
};
static const SimRegion g07x_regions[] = G0_REGIONS(36u * 1024u, 28u * 1024u);
const L4Machine sim_g07x_machine = G0_MACHINE(g07x_regions, &g07x_config);

/* G0Bx/G0Cx: 512 KB in two banks of 2 KB pages (DUAL_BANK, as shipped;
 * bank 2 at 0x08040000, its pages numbered from 256, erased with BKER in
 * bit 13; BSY2; nSWAP_BANK maps bank 2 first), 144 KB SRAM, 28 KB system
 * memory (RM0444 3.3.1; sizes recalled) */
static const L4Config g0bx_config = {
    G0_CONFIG_COMMON,
    .chip = "STM32G0Bx/G0Cx",
    .sram1_size = 144u * 1024u,
    .sysmem_size = 28u * 1024u,
    /* PKG: LQFP64 on a NUCLEO-G0B1RE (value recalled) */
    .package = 0x0007,
    .bank_rule = L4_BANKS_DUALBANK,
    .max_kb = 512,
    .dual_mask = G0_OPTR_DUAL_BANK,
    .bank2_first_page = 256,
    .bsy2 = TRUE,
    .swap_option = TRUE,
    .opt_words = g0b_words,
    .n_opt_words = G_N_ELEMENTS(g0b_words),
};
static const SimRegion g0bx_regions[] = G0_REGIONS(144u * 1024u, 28u * 1024u);
const L4Machine sim_g0bx_machine = G0_MACHINE(g0bx_regions, &g0bx_config);

/* STM32WB and STM32WL (RM0434, RM0453): the flash interface at 0x58004000,
 * RCC at 0x58000000, the DBGMCU's freeze registers for both CPUs; CPU1 (a
 * Cortex-M4) behind the debugger's AP 0 with the SW-DP of a dual-core
 * chip (0x6BA02477, OpenOCD's stm32wbx.cfg and stm32wlx.cfg); CPU2 (the
 * wireless stack's Cortex-M0+) is not modelled: it stays in reset, its AP
 * is absent, its flash registers (C2SR, C2CR) read 0; its secure flash
 * from SFSA reads as zeros to CPU1 and the debugger ------------------------ */

#define WX_FLASH_REGS 0x58004000u
#define WX_RCC_BASE 0x58000000u
#define WX_PWR_BASE 0x58000400u
#define WX_IPCC_BASE 0x58000C00u
#define WX_HSEM_BASE 0x58001400u
#define WX_DP_IDCODE 0x6BA02477u

/* RM0434 38.10, RM0453 38.10: DBGMCU_CR, then APB1FZR1, C2APB1FZR1,
 * APB1FZR2, C2APB1FZR2, APB2FZR, C2APB2FZR */
static const guint32 wx_dbgmcu_registers[] = {0x04u, 0x3Cu, 0x40u, 0x44u, 0x48u, 0x4Cu, 0x50u};
static const SimDbgmcuConfig wx_dbgmcu = {wx_dbgmcu_registers, G_N_ELEMENTS(wx_dbgmcu_registers)};

static const SimPeriph wx_periphs[] = {
    {"FLASH", WX_FLASH_REGS, FLASH_R_SIZE, 0, l4_flash_read, l4_flash_write, l4_flash_reset, NULL,
     l4_flash_is_w1c, l4_flash_poke},
    {"RCC", WX_RCC_BASE, L4_PERIPH_BLOCK, 0, l4_rcc_read, l4_rcc_write, l4_rcc_reset},
    {"CRC", CRC_BASE, L4_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, sim_crc_read, sim_crc_write,
     sim_crc_reset},
    {"GPIO", GPIO_BASE, GPIO_PORT_COUNT *GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write,
     sim_gpio_reset, .config = &l4_gpio},
    {"SYSCFG", SYSCFG_BASE, L4_PERIPH_BLOCK, 0, l4_syscfg_read, l4_syscfg_write},
    L4_PLAIN("WWDG", WWDG_BASE),
    L4_PLAIN("IWDG", IWDG_BASE),
    L4_PLAIN("PWR", WX_PWR_BASE),
    L4_PLAIN("IPCC", WX_IPCC_BASE),
    L4_PLAIN("HSEM", WX_HSEM_BASE),
    L4_PLAIN("DMA1", DMA1_BASE),
    L4_PLAIN("DMA2", DMA2_BASE),
    {"DBGMCU", DBGMCU_BASE, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &wx_dbgmcu},
};

/* RM0434 3.4.1, RM0453 4.4.1: one option area: OPTR, PCROP1A, WRP1A,
 * WRP1B, PCROP1B from its start, then IPCCBR (0x68: estimate), SFR (0x70)
 * and SRRVR (0x78), the last two CPU2's to write */
#define WX_WORDS(optr_factory, pcrop_er_none, wrp_none, ipccbr, sfr_factory, srrvr_factory)        \
	L4_WORD(FLASH_OPTR, 0, 0x00, optr_factory, WX_OPTR_SAFE(optr_factory)),                    \
	    L4_WORD(FLASH_PCROP1SR, 0, 0x08, WX_PCROP_SR_NONE, WX_PCROP_SR_NONE),                  \
	    L4_WORD(FLASH_PCROP1ER, 0, 0x10, pcrop_er_none, pcrop_er_none),                        \
	    L4_WORD(FLASH_WRP1AR, 0, 0x18, wrp_none, FLASH_WRP_SAFE),                              \
	    L4_WORD(FLASH_WRP1BR, 0, 0x20, wrp_none, FLASH_WRP_SAFE),                              \
	    L4_WORD(FLASH_PCROP1BSR, 0, 0x28, WX_PCROP_SR_NONE, WX_PCROP_SR_NONE),                 \
	    L4_WORD(FLASH_PCROP1BER, 0, 0x30, pcrop_er_none, pcrop_er_none),                       \
	    L4_WORD(FLASH_IPCCBR, 0, 0x68, ipccbr, ipccbr),                                        \
	    {FLASH_SFR, 0, 0x70, sfr_factory, sfr_factory, 0xFFFFFFFFu},                           \
	{                                                                                          \
		FLASH_SRRVR, 0, 0x78, srrvr_factory, srrvr_factory, 0xFFFFFFFFu                    \
	}

/* A WB55 as ST ships it: the FUS alone in the top pages, SFSA = 0xF4, its
 * reset vector there (SBRV: word offset 0x3D000); estimate of a FUS v1.2
 * layout */
#define WB_SFR_FUS 0xFFFFEEF4u
#define WB_SRRVR_FUS 0x8003D000u
/* A WL55 as shipped: no security (ESE = 0, FSD = 1), CPU2 boot vector at
 * the start of flash */
#define WL_SFR_FACTORY 0xFFFFEFFFu
#define WL_SRRVR_FACTORY 0xFFFF8000u

/* "No PCROP area": start above end; the reserved bits read 1 (RM0434
 * 3.10.9-10, RM0453 4.10.9-10: 9-bit offsets of 2 KB on the WB, 8-bit of
 * 1 KB on the WL); "no WRP area" with 8-bit (WB) and 7-bit (WL) fields */
#define WX_PCROP_SR_NONE 0xFFFFFFFFu
#define WB_PCROP_ER_NONE 0xFFFFFE00u
#define WL_PCROP_ER_NONE 0xFFFFFF00u
#define WL_WRP_NONE 0xFF80FFFFu

static const L4OptWord wb_words[] = {
    WX_WORDS(WB_OPTR_FACTORY, WB_PCROP_ER_NONE, FLASH_WRP_NONE, 0xFFFFC000u, WB_SFR_FUS,
	     WB_SRRVR_FUS),
};
static const L4OptWord wl_words[] = {
    WX_WORDS(WL_OPTR_FACTORY, WL_PCROP_ER_NONE, WL_WRP_NONE, 0xFFFFFFFFu, WL_SFR_FACTORY,
	     WL_SRRVR_FACTORY),
};

#define WX_OPT_AREA_SIZE 0x80u
#define WB_OPT_BASE 0x1FFF8000u

#define WX_CONFIG_COMMON                                                                           \
	.sram1_base = L4_SRAM1_BASE, .sysmem_base = L4_SYSMEM_BASE, .otp_base = L4_OTP_BASE,       \
	.otp_size = L4_OTP_SIZE, .info_base = L4_INFO_BASE, .info_size = L4_INFO_SIZE,             \
	.uid_addr = L4_UID_ADDR, .package_addr = L4_PACKAGE_ADDR,                                  \
	.flashsize_addr = L4_FLASHSIZE_ADDR, .flash_regs = WX_FLASH_REGS,                          \
	.bank_rule = L4_BANKS_SINGLE, .pnb_mask = FLASH_CR_PNB_MASK, .bker = FLASH_CR_BKER,        \
	.cfgbsy = TRUE, .opt_area_size = WX_OPT_AREA_SIZE,                                         \
	.pcrop = {{{FLASH_PCROP1SR, FLASH_PCROP1ER}, {FLASH_PCROP1BSR, FLASH_PCROP1BER}}},         \
	.n_pcrop = 2, .dword_ns = SIM_FLASH_DOUBLE_WORD_NS, .fast_row_ns = SIM_FLASH_FAST_ROW_NS,  \
	.page_erase_ns = SIM_FLASH_PAGE_ERASE_NS, .mass_erase_ns = SIM_FLASH_MASS_ERASE_NS

#define WX_REGIONS(sram1_size, sram2_base, sram2_size, sysmem_size, opt_base)                      \
	{                                                                                          \
		[L4_REGION_FLASH] = L4_ROW_FLASH,                                                  \
		[L4_REGION_SRAM1] = L4_ROW_SRAM("sram1", L4_SRAM1_BASE, (sram1_size)),             \
		[L4_REGION_SYSMEM] = L4_ROW_SYSMEM(sysmem_size), [L4_REGION_OTP] = L4_ROW_OTP,     \
		[L4_REGION_INFO] = L4_ROW_INFO,                                                    \
		[L4_REGION_OPT1] = L4_ROW_OPTIONS("options", (opt_base), WX_OPT_AREA_SIZE),        \
		[L4_REGION_SRAM2] = L4_ROW_SRAM("sram2", (sram2_base), (sram2_size)),              \
		[L4_REGION_SECURE] = L4_ROW_SECURE,                                                \
	}

#define WX_MACHINE(family_name, region_table, irqs, config)                                        \
	{                                                                                          \
		{                                                                                  \
		    .name = "l4",                                                                  \
		    .family = (family_name),                                                       \
		    .core = SIM_CORE_CORTEX_M4,                                                    \
		    .dp_idcode = WX_DP_IDCODE,                                                     \
		    .regions = (region_table),                                                     \
		    .n_regions = G_N_ELEMENTS(region_table),                                       \
		    .periphs = wx_periphs,                                                         \
		    .n_periphs = G_N_ELEMENTS(wx_periphs),                                         \
		    .systick_ext_div = L4_SYSTICK_EXT_DIV,                                         \
		    .vector_count = L4_VECTORS(irqs),                                              \
		    .scenario_texts = l4_scenario_texts,                                           \
		    .ops = &sim_l4_ops,                                                            \
		    .periph_map = &wx_periph_map,                                                  \
		    .swo_pin = &l4_swo_pin,                                                        \
		    .gpio_ports = &wx_gpio_ports,                                                  \
		},                                                                                 \
		    (config)                                                                       \
	}

/* STM32WB55 (RM0434, DS11929): 1 MB in 256 pages of 4 KB, each of 8 rows of
 * 64 double words (RM0434 3.3.1); SRAM1 192 KB, SRAM2a/SRAM2b 64 KB at
 * 0x20030000; option bytes at 0x1FFF8000; CPU1 may not mass erase; MSI
 * range from RCC_CR alone, HSE 32 MHz */
static const L4Config wb5x_config = {
    WX_CONFIG_COMMON,
    .chip = "STM32WB5x",
    .sram1_size = 192u * 1024u,
    .sram2_base = 0x20030000u,
    .sram2_size = 64u * 1024u,
    .sysmem_size = 28u * 1024u,
    /* PKG: VFQFPN68 on a P-NUCLEO-WB55 (value recalled) */
    .package = 0x0013,
    .opt1_base = WB_OPT_BASE,
    .page_size = 4096,
    .dual_page_size = 4096,
    .max_kb = 1024,
    .mass_erase_bus_error = TRUE,
    /* ES0394 2.2.9: OPTVERR always set after a reset */
    .optverr_after_reset = TRUE,
    .wrp_mask = 0xFF,
    .pcrop_granule = 2048,
    .pcrop_mask = 0x1FFu,
    .opt_words = wb_words,
    .n_opt_words = G_N_ELEMENTS(wb_words),
    .sfsa_mask = WB_SFR_SFSA_MASK,
    .fsd_bit = WB_SFR_FSD,
    .fast_row_dwords_single = 64,
    .rcc = L4_RCC_MSI_WB,
    .hse_hz = 32000000u,
    .max_hclk_hz = WB_MAX_HCLK_HZ,
};
static const SimRegion wb5x_regions[] =
    WX_REGIONS(192u * 1024u, 0x20030000u, 64u * 1024u, 28u * 1024u, WB_OPT_BASE);
/* STM32WB55: 63 interrupts (RM0434 table 83, recalled) */
const L4Machine sim_wb5x_machine = WX_MACHINE("STM32WB", wb5x_regions, 63u, &wb5x_config);

/* STM32WL55 (RM0453, DS13293): 256 KB in 128 pages of 2 KB, SRAM1 and
 * SRAM2 of 32 KB back to back, option bytes at 0x1FFF7800, BOOT_LOCK in
 * FLASH_OPTR; security (ESE) off as shipped */
static const L4Config wl5x_config = {
    WX_CONFIG_COMMON,
    .chip = "STM32WL5x",
    .sram1_size = 32u * 1024u,
    .sram2_base = 0x20008000u,
    .sram2_size = 32u * 1024u,
    .sysmem_size = 16u * 1024u,
    /* PKG: UFBGA73 on a NUCLEO-WL55JC (value recalled) */
    .package = 0x000A,
    .opt1_base = L4_OPT1_BASE,
    .page_size = 2048,
    .dual_page_size = 2048,
    .max_kb = 256,
    .wrp_mask = 0x7F,
    .pcrop_granule = 1024,
    .pcrop_mask = 0xFFu,
    .opt_words = wl_words,
    .n_opt_words = G_N_ELEMENTS(wl_words),
    .sfsa_mask = WL_SFR_SFSA_MASK,
    .fsd_bit = WL_SFR_FSD,
    .optr_boot_lock = WL_OPTR_BOOT_LOCK,
    .fast_row_dwords_single = 32,
    .rcc = L4_RCC_MSI,
    .hse_hz = 32000000u,
    .max_hclk_hz = WL_MAX_HCLK_HZ,
};
static const SimRegion wl5x_regions[] =
    WX_REGIONS(32u * 1024u, 0x20008000u, 32u * 1024u, 16u * 1024u, L4_OPT1_BASE);
/* STM32WL55, CPU1: 62 interrupts (RM0453 table 93, recalled) */
const L4Machine sim_wl5x_machine = WX_MACHINE("STM32WL", wl5x_regions, 62u, &wl5x_config);
