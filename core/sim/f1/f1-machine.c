/* f1-machine.c: the STM32F0/F1/F3 machines (RM0008, RM0091, RM0316): their
 * memory regions and peripherals, and the operations the framework calls.
 * One machine per chip, since the region table holds the SRAM and system
 * memory sizes and the core type is the machine's; the flash controller
 * (f1-flash.c) and option bytes (f1-options.c) are shared and configured
 * by F1SimChip. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "f1-machine.h"

/* After reset every line runs from the 8 MHz HSI (RM0008 7.2, RM0091 6.2,
 * RM0316 9.2); the PLL is not modelled */
#define F1_HSI_HZ 8000000u
/* SysTick's external reference is HCLK / 8 (RM0008 7.2) */
#define F1_SYSTICK_EXT_DIV 8u

#define FLASH_FLAGS                                                                                \
	(SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE | SIM_REGION_EXEC)
#define OPTION_FLAGS (SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE)

#define F1_REGIONS(sram_kb)                                                                        \
	[F1_REGION_FLASH] = {"flash", SIM_REGION_FLASH, F1_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},      \
	[F1_REGION_SRAM] = {"sram",                                                                \
			    SIM_REGION_SRAM,                                                       \
			    F1_SRAM_BASE,                                                          \
			    (sram_kb)*1024u,                                                       \
			    SIM_REGION_WRITABLE | SIM_REGION_EXEC,                                 \
			    0x00},                                                                 \
	[F1_REGION_SYSMEM] = {"sysmem",	   SIM_REGION_SYSMEM,                                      \
			      0x1FFFF000u, F1_INFO_BASE - 0x1FFFF000u,                             \
			      0,	   0xFF},                                                  \
	[F1_REGION_INFO] = {"info", SIM_REGION_INFO, F1_INFO_BASE, F1_INFO_SIZE, 0, 0xFF},         \
	[F1_REGION_OPTIONS] = {"options",   SIM_REGION_OPTIONS, F1_OPT_BASE,                       \
			       F1_OPT_SIZE, OPTION_FLAGS,	0xFF}

/* RM0008 3.3: SRAM 20 KB (F103x8/B), 64 KB (F103xC/D/E); system memory
 * 0x1FFFF000-0x1FFFF7FF with the engineering bytes at its end */
static const SimRegion f103md_regions[] = {F1_REGIONS(20)};
static const SimRegion f103hd_regions[] = {F1_REGIONS(64)};

/* RM0091 2.2: F07x SRAM 16 KB, system memory from 0x1FFFC800, UID and
 * flash size at 0x1FFFF7AC-0x1FFFF7CD */
static const SimRegion f072_regions[] = {
    [F1_REGION_FLASH] = {"flash", SIM_REGION_FLASH, F1_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},
    [F1_REGION_SRAM] = {"sram", SIM_REGION_SRAM, F1_SRAM_BASE, 16 * 1024u,
			SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [F1_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, 0x1FFFC800u, F0_INFO_BASE - 0x1FFFC800u, 0,
			  0xFF},
    [F1_REGION_INFO] = {"info", SIM_REGION_INFO, F0_INFO_BASE, F0_INFO_SIZE, 0, 0xFF},
    [F1_REGION_OPTIONS] = {"options", SIM_REGION_OPTIONS, F1_OPT_BASE, F1_OPT_SIZE, OPTION_FLAGS,
			   0xFF},
};

/* RM0316 3.3: F303xE SRAM 64 KB, CCM SRAM 16 KB at 0x10000000, system
 * memory from 0x1FFFD800 */
static const SimRegion f303xe_regions[] = {
    [F1_REGION_FLASH] = {"flash", SIM_REGION_FLASH, F1_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},
    [F1_REGION_SRAM] = {"sram", SIM_REGION_SRAM, F1_SRAM_BASE, 64 * 1024u,
			SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [F1_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, 0x1FFFD800u, F0_INFO_BASE - 0x1FFFD800u, 0,
			  0xFF},
    [F1_REGION_INFO] = {"info", SIM_REGION_INFO, F0_INFO_BASE, F0_INFO_SIZE, 0, 0xFF},
    [F1_REGION_OPTIONS] = {"options", SIM_REGION_OPTIONS, F1_OPT_BASE, F1_OPT_SIZE, OPTION_FLAGS,
			   0xFF},
    [F1_REGION_CCM] = {"ccm", SIM_REGION_SRAM, F1_CCM_BASE, 16 * 1024u,
		       SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
};

/* Main flash (at 0x08000000, from the region table) shown at 0 too: BOOT0
 * low boots from flash (RM0008 3.4) */
static void
f1_map_windows(GlintSim *sim, SimMap *map)
{
	sim_map_forward(map, 0, sim->flash_kb * 1024u, F1_FLASH_BASE);
}

/* RCC_CR: each ready flag (HSI, HSE, PLL) follows its enable at once;
 * RCC_CFGR: SWS follows SW when that source runs. The rest of RCC is
 * storage, with its reset values. */
static guint32
f1_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	if (offset == RCC_CR)
		return f1_state(sim)->rcc_cr;
	return sim_plain_read(sim, p, who, offset);
}

static gboolean
f1_rcc_source_on(guint32 cr, guint32 sw)
{
	static const guint32 on[] = {RCC_CR_HSION, RCC_CR_HSEON, RCC_CR_PLLON, 0};
	return (cr & on[sw & RCC_CFGR_SW_MASK]) != 0;
}

static gboolean
f1_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	if (offset == RCC_CR) {
		value &= ~(RCC_CR_HSIRDY | RCC_CR_HSERDY | RCC_CR_PLLRDY);
		if (value & RCC_CR_HSION)
			value |= RCC_CR_HSIRDY;
		if (value & RCC_CR_HSEON)
			value |= RCC_CR_HSERDY;
		if (value & RCC_CR_PLLON)
			value |= RCC_CR_PLLRDY;
		f1_state(sim)->rcc_cr = value;
		sim_cpu_clock_changed(sim);
		return TRUE;
	}
	if (offset == RCC_CFGR) {
		guint32 old = sim_plain_read(sim, p, who, offset);
		guint32 sws = (old >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
		if (f1_rcc_source_on(f1_state(sim)->rcc_cr, value))
			sws = value & RCC_CFGR_SW_MASK;
		value = (value & ~(RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT)) |
			(sws << RCC_CFGR_SWS_SHIFT);
		sim_plain_write(sim, p, who, offset, 4, value);
		sim_cpu_clock_changed(sim);
		return TRUE;
	}
	return sim_plain_write(sim, p, who, offset, size, value);
}

static void
f1_rcc_reset(GlintSim *sim, const SimPeriph *p)
{
	f1_state(sim)->rcc_cr = RCC_CR_HSITRIM_RESET | RCC_CR_HSION | RCC_CR_HSIRDY;
	sim_plain_write(sim, p, SIM_ACCESS_AHB, RCC_AHBENR, 4, RCC_AHBENR_RESET);
}

/* The F1's CRC unit (RM0008 4.4) has DR, IDR and CR.RESET only: no
 * reversal, no programmable seed or polynomial. The shared model with the
 * rest masked away is that unit. */
static guint32
f1_crc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	if (offset > CRC_CR)
		return 0;
	return sim_crc_read(sim, p, who, offset);
}

static gboolean
f1_crc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	if (offset > CRC_CR)
		return TRUE;
	if (offset == CRC_CR)
		value &= CRC_CR_RESET;
	else if (offset == CRC_DR && size != 4)
		return TRUE; /* the F1's DR takes words */
	return sim_crc_write(sim, p, who, offset, size, value);
}

static const guint32 f1_dbgmcu_registers[] = {DBGMCU_CR};
static const SimDbgmcuConfig f1_dbgmcu = {f1_dbgmcu_registers, G_N_ELEMENTS(f1_dbgmcu_registers)};
static const guint32 f0_dbgmcu_registers[] = {DBGMCU_CR, DBGMCU_APB1_FZ, DBGMCU_APB2_FZ};
static const SimDbgmcuConfig f0_dbgmcu = {f0_dbgmcu_registers, G_N_ELEMENTS(f0_dbgmcu_registers)};

#define PLAIN(name, base, size)                                                                    \
	{                                                                                          \
		name, base, size, 0, sim_plain_read, sim_plain_write                               \
	}
#define FLASH_PERIPH                                                                               \
	{                                                                                          \
		"FLASH", FPEC_BASE, FPEC_SIZE, 0, f1_flash_read, f1_flash_write, f1_flash_reset,   \
		    NULL, f1_flash_is_w1c, f1_flash_poke                                           \
	}
#define RCC_PERIPH                                                                                 \
	{                                                                                          \
		"RCC", RCC_BASE, PERIPH_BLOCK, 0, f1_rcc_read, f1_rcc_write, f1_rcc_reset          \
	}
#define COMMON_PLAIN                                                                               \
	PLAIN("TIM2", TIM2_BASE, PERIPH_BLOCK), PLAIN("WWDG", WWDG_BASE, PERIPH_BLOCK),            \
	    PLAIN("IWDG", IWDG_BASE, PERIPH_BLOCK), PLAIN("USART2", USART2_BASE, PERIPH_BLOCK),    \
	    PLAIN("PWR", PWR_BASE, PERIPH_BLOCK), PLAIN("EXTI", EXTI_BASE, PERIPH_BLOCK),          \
	    PLAIN("USART1", USART1_BASE, PERIPH_BLOCK), PLAIN("DMA1", DMA1_BASE, PERIPH_BLOCK)

/* What answers on the bus besides memory (RM0008 3.3): the modelled
 * peripherals, and plain storage for those firmware touches in passing */
static const SimPeriph f1_periphs[] = {
    FLASH_PERIPH,
    RCC_PERIPH,
    {"CRC", CRC_BASE, PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, f1_crc_read, f1_crc_write,
     sim_crc_reset},
    PLAIN("AFIO", AFIO_BASE, PERIPH_BLOCK),
    PLAIN("GPIO", F1_GPIO_BASE, F1_GPIO_SIZE),
    COMMON_PLAIN,
    {"DBGMCU", DBGMCU_F1_BASE, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &f1_dbgmcu},
};

/* F0/F3: CRC with reversal and a seed (RM0091 12, RM0316 7), SYSCFG where
 * the F1 has AFIO, GPIO on the AHB2; the F0's DBGMCU is on the APB */
#define F0_F3_PERIPHS(dbgmcu_base)                                                                 \
	FLASH_PERIPH, RCC_PERIPH,                                                                  \
	    {"CRC",	   CRC_BASE,	  PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES,                     \
	     sim_crc_read, sim_crc_write, sim_crc_reset},                                          \
	    PLAIN("SYSCFG", AFIO_BASE, PERIPH_BLOCK), PLAIN("GPIO", F0_GPIO_BASE, F0_GPIO_SIZE),   \
	    COMMON_PLAIN,                                                                          \
	{                                                                                          \
		"DBGMCU", dbgmcu_base, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,    \
		    sim_dbgmcu_power_on, .config = &f0_dbgmcu                                      \
	}
static const SimPeriph f0_periphs[] = {F0_F3_PERIPHS(DBGMCU_F0_BASE)};
static const SimPeriph f3_periphs[] = {F0_F3_PERIPHS(DBGMCU_F1_BASE)};

gpointer
f1_state_new(GlintSim *sim)
{
	return g_new0(F1State, 1);
}

void
f1_power_on(GlintSim *sim)
{
	f1_state(sim)->fl.sr = 0;
	f1_options_load(sim);
}

/* F1 and F3 load their option bytes at every system reset (PM0075 2.5,
 * RM0316 5); the F0 and the clones only at power-on and OBL_LAUNCH */
void
f1_system_reset(GlintSim *sim)
{
	if (f1_chip(sim)->option_load == F1_LOAD_AT_RESET)
		f1_options_load(sim);
}

/* HCLK from the system clock switch: HSI 8 MHz, the PLL on HSI / 2 times
 * PLLMUL, and the AHB prescaler. HSE (and a PLL fed by it or by the F0's
 * HSI48) is taken to be 8 MHz, a Blue Pill's crystal: not modelled further. */
static guint32
f1_hclk_hz(GlintSim *sim)
{
	static const guint hpre_div[] = {2, 4, 8, 16, 64, 128, 256, 512};
	guint32 cfgr = sim_plain_value(sim, RCC_BASE + RCC_CFGR);
	guint32 sws = (cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
	guint32 hpre = (cfgr >> RCC_CFGR_HPRE_SHIFT) & 0xFu;
	guint32 hz = F1_HSI_HZ;
	if (sws == RCC_CFGR_SW_PLL) {
		guint32 mul = MIN(((cfgr >> RCC_CFGR_PLLMUL_SHIFT) & 0xFu) + 2u, 16u);
		hz = ((cfgr & RCC_CFGR_PLLSRC_MASK) ? F1_HSI_HZ : F1_HSI_HZ / 2u) * mul;
	}
	return (hpre & 8u) ? hz / hpre_div[hpre & 7u] : hz;
}

/* RDP level 1: the debugger cannot touch main flash (nor its alias at 0) */
static gboolean
f1_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && f1_state(sim)->ob.rdp_level > 0;
}

/* RDP level 2 (F0/F3): the debug port is gone for good */
static gboolean
f1_debug_port_locked(GlintSim *sim)
{
	return f1_state(sim)->ob.rdp_level == 2;
}

static void
f1_store16(guint8 *p, guint16 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
}

/* Unique ID and the flash size in KB; the half-word after the flash size
 * is reserved and reads 0xFFFF on ST's parts */
static void
f1_fill_info(GlintSim *sim)
{
	const F1SimChip *chip = f1_chip(sim);
	guint8 *info = F1_MEM(sim, F1_REGION_INFO);
	memset(info, 0xFF, sim->mem_size[F1_REGION_INFO]);
	sim_unique_id(sim, info + chip->info_uid);
	f1_store16(info + chip->info_flashsize, (guint16)sim->flash_kb);
}

static void
f1_wait_busy(GlintSim *sim)
{
	f1_flash_stall(sim);
}

static const SimMachineOps f1_ops = {
    .state_new = f1_state_new,
    .state_free = g_free,
    .map_windows = f1_map_windows,
    .power_on = f1_power_on,
    .system_reset = f1_system_reset,
    .hclk_hz = f1_hclk_hz,
    .fill_info = f1_fill_info,
    .mem_write = f1_flash_mem_write,
    .mem_write_faults = f1_flash_mem_write_faults,
    .wait_busy = f1_wait_busy,
    .debug_blocked = f1_debug_blocked,
    .debug_port_locked = f1_debug_port_locked,
    .power_fail = f1_flash_power_fail,
    .flash_limit = f1_flash_limit,
    .factory = f1_scenario_factory,
    .protect_first_unit = f1_scenario_protect_first_unit,
    .set_rdp_level1 = f1_scenario_set_rdp_level1,
    .leave_stale_flags = f1_scenario_leave_stale_flags,
};

/* The chips */

static const F1SimChip f103md_chip = {
    .line = F1_SIM_LINE_F1,
    .page_size = 1024,
    .wrp_pages_per_bit = 4,
    .n_option_bytes = 8,
    .option_load = F1_LOAD_AT_RESET,
    .rdp_first_4k = TRUE,
    .halfword_ns = F1_HALFWORD_NS,
    .page_erase_ns = F1_PAGE_ERASE_NS,
    .mass_erase_ns = F1_MASS_ERASE_NS,
    .max_hclk_hz = F1_MAX_HCLK_HZ,
    .info_base = F1_INFO_BASE,
    .info_flashsize = F1_INFO_FLASHSIZE,
    .info_uid = F1_INFO_UID,
};

static const F1SimChip f103hd_chip = {
    .line = F1_SIM_LINE_F1,
    .page_size = 2048,
    .wrp_pages_per_bit = 2,
    .n_option_bytes = 8,
    .option_load = F1_LOAD_AT_RESET,
    .rdp_first_4k = TRUE,
    .halfword_ns = F1_HALFWORD_NS,
    .page_erase_ns = F1_PAGE_ERASE_NS,
    .mass_erase_ns = F1_MASS_ERASE_NS,
    .max_hclk_hz = F1_MAX_HCLK_HZ,
    .info_base = F1_INFO_BASE,
    .info_flashsize = F1_INFO_FLASHSIZE,
    .info_uid = F1_INFO_UID,
};

/* A CKS32F103: an F103 medium density to the debugger, but its option
 * bytes load only at power-on, a write while BSY is lost (embassy's
 * f1f3.rs notes this of the APM32F103) and its timings differ */
static const F1SimChip cks32f103_chip = {
    .line = F1_SIM_LINE_F1,
    .page_size = 1024,
    .wrp_pages_per_bit = 4,
    .n_option_bytes = 8,
    .option_load = F1_LOAD_AT_POWER_ON,
    .rdp_first_4k = TRUE,
    .drops_busy_writes = TRUE,
    .halfword_ns = CLONE_HALFWORD_NS,
    .page_erase_ns = CLONE_PAGE_ERASE_NS,
    .mass_erase_ns = CLONE_MASS_ERASE_NS,
    .max_hclk_hz = CLONE_MAX_HCLK_HZ,
    .info_base = F1_INFO_BASE,
    .info_flashsize = F1_INFO_FLASHSIZE,
    .info_uid = F1_INFO_UID,
};

/* RM0091: 2 KB pages, 4 KB (two pages) per WRP bit, option bytes loaded at
 * power-on or OBL_LAUNCH */
static const F1SimChip f072_chip = {
    .line = F1_SIM_LINE_F0,
    .page_size = 2048,
    .wrp_pages_per_bit = 2,
    .n_option_bytes = 8,
    .option_load = F1_LOAD_AT_POWER_ON,
    .has_obl_launch = TRUE,
    .halfword_ns = F0_HALFWORD_NS,
    .page_erase_ns = F0_PAGE_ERASE_NS,
    .mass_erase_ns = F0_MASS_ERASE_NS,
    .max_hclk_hz = F0_MAX_HCLK_HZ,
    .info_base = F0_INFO_BASE,
    .info_flashsize = F0_INFO_FLASHSIZE,
    .info_uid = F0_INFO_UID,
};

/* RM0316: 2 KB pages, two per WRP bit; loaded at reset and by OBL_LAUNCH */
static const F1SimChip f303xe_chip = {
    .line = F1_SIM_LINE_F3,
    .page_size = 2048,
    .wrp_pages_per_bit = 2,
    .n_option_bytes = 8,
    .option_load = F1_LOAD_AT_RESET,
    .has_obl_launch = TRUE,
    .halfword_ns = F0_HALFWORD_NS,
    .page_erase_ns = F0_PAGE_ERASE_NS,
    .mass_erase_ns = F0_MASS_ERASE_NS,
    .max_hclk_hz = F3_MAX_HCLK_HZ,
    .info_base = F0_INFO_BASE,
    .info_flashsize = F0_INFO_FLASHSIZE,
    .info_uid = F0_INFO_UID,
};

/* The GPIO ports, for the demo scenario's LED: the F1's CRL/CRH ports on
 * the APB2, the F0/F3's on the AHB */
static const SimGpioPorts f1_gpio_ports = {F1_GPIO_BASE, RCC_BASE + RCC_APB2ENR,
					   RCC_APB2ENR_IOPAEN_BIT, SIM_GPIO_STYLE_CRL_CRH};
static const SimGpioPorts f0_gpio_ports = {F0_GPIO_BASE, RCC_BASE + RCC_AHBENR,
					   RCC_AHBENR_IOPAEN_BIT, SIM_GPIO_STYLE_MODER};

/* The F1's and F3's SWO pin (the F0's Cortex-M0 has no ITM and no SWO) */
static const SimSwoPin f1_swo_pin = {DBGMCU_F1_BASE + DBGMCU_CR, DBGMCU_CR_TRACE_IOEN,
				     DBGMCU_CR_TRACE_MODE};

#define F1_MACHINE(chip_row, family_name, core_type, region_table, periph_table, vectors, gpio,    \
		   swo)                                                                            \
	{                                                                                          \
		.base =                                                                            \
		    {                                                                              \
			.name = "f1",                                                              \
			.family = family_name,                                                     \
			.core = core_type,                                                         \
			.regions = region_table,                                                   \
			.n_regions = G_N_ELEMENTS(region_table),                                   \
			.periphs = periph_table,                                                   \
			.n_periphs = G_N_ELEMENTS(periph_table),                                   \
			.systick_ext_div = F1_SYSTICK_EXT_DIV,                                     \
			.vector_count = vectors,                                                   \
			.scenario_texts = f1_scenario_texts,                                       \
			.ops = &f1_ops,                                                            \
			.gpio_ports = (gpio),                                                      \
			.swo_pin = (swo),                                                          \
		    },                                                                             \
		.chip = &chip_row,                                                                 \
	}

/* Vector table entries: 16 system + 43 interrupts (F103x8/B), 60
 * (F103xC/D/E), 32 (F072), 85 (F303xE) (RM0008 10.1.2, RM0091 11.1.3,
 * RM0316 14.1.3) */
const F1SimMachine sim_f103md_machine =
    F1_MACHINE(f103md_chip, "STM32F1", SIM_CORE_CORTEX_M3, f103md_regions, f1_periphs, 16 + 43,
	       &f1_gpio_ports, &f1_swo_pin);
const F1SimMachine sim_f103hd_machine =
    F1_MACHINE(f103hd_chip, "STM32F1", SIM_CORE_CORTEX_M3, f103hd_regions, f1_periphs, 16 + 60,
	       &f1_gpio_ports, &f1_swo_pin);
const F1SimMachine sim_cks32f103_machine =
    F1_MACHINE(cks32f103_chip, "STM32F1 (clone)", SIM_CORE_CORTEX_M3_R2P1, f103md_regions,
	       f1_periphs, 16 + 43, &f1_gpio_ports, &f1_swo_pin);
const F1SimMachine sim_f072_machine =
    F1_MACHINE(f072_chip, "STM32F0", SIM_CORE_CORTEX_M0, f072_regions, f0_periphs, 16 + 32,
	       &f0_gpio_ports, NULL);
const F1SimMachine sim_f303xe_machine =
    F1_MACHINE(f303xe_chip, "STM32F3", SIM_CORE_CORTEX_M4, f303xe_regions, f3_periphs, 16 + 85,
	       &f0_gpio_ports, &f1_swo_pin);
