/* l0-machine.c: the STM32L0/L1 machines: the STM32L053 and STM32L073
 * (Cortex-M0+, RM0367) and the STM32L152RE (Cortex-M3, RM0038): memory
 * regions (flash and data EEPROM erased to 0x00), peripherals, the boot
 * alias and the operations the framework calls. One NVM model serves the
 * three (l0-flash.c, l0-options.c), told apart by their L0Config. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l0-machine.h"

/* Configurations ------------------------------------------------------------ */

#define L0_CONFIG(wrp_regs, dual_kb)                                                               \
	{                                                                                          \
		.l1 = FALSE, .flash_regs = L0_FLASH_R_BASE, .page_size = 128, .half_page = 64,     \
		.n_wrp_regs = wrp_regs, .dual_from_kb = dual_kb, .options_size = L0_OPTIONS_SIZE,  \
		.rcc_base = L0_RCC_BASE, .rcc_cfgr = L0_RCC_CFGR, .rcc_hsirdy = L0_RCC_CR_HSIRDY,  \
		.fsize_addr = L0_FLASHSIZE_ADDR, .uid_addr = L0_UID_ADDR,                          \
		.info_base = L0_INFO_BASE, .ob_rdp_factory = L0_OB_RDP_FACTORY,                    \
		.ob_user_factory = L0_OB_USER_FACTORY, .tprog_ns = SIM_L0_TPROG_NS,                \
		.max_hclk_hz = SIM_LX_MAX_HCLK_HZ                                                  \
	}

/* RM0367/RM0377 NVM organization: 64 KB single bank (WRPROT1 bits 0-15); 192 KB in two
 * banks (WRPROT1 and WRPROT2 bits 0-15) */
static const L0Config l053_config = L0_CONFIG(1, 0);
static const L0Config l073_config = L0_CONFIG(2, 128);
/* RM0038 NVM organization: 512 KB in two banks of 256 KB, FLASH_WRPR1-4 */
static const L0Config l152_config = {
    .l1 = TRUE,
    .flash_regs = L1_FLASH_R_BASE,
    .page_size = 256,
    .half_page = 128,
    .n_wrp_regs = 4,
    .dual_from_kb = 384,
    .options_size = L1_OPTIONS_SIZE,
    .rcc_base = L1_RCC_BASE,
    .rcc_cfgr = L1_RCC_CFGR,
    .rcc_hsirdy = L1_RCC_CR_HSIRDY,
    .fsize_addr = L1_FLASHSIZE_ADDR,
    .uid_addr = L1_UID_ADDR,
    .info_base = L1_INFO_BASE,
    .ob_rdp_factory = L1_OB_RDP_FACTORY,
    .ob_user_factory = L1_OB_USER_FACTORY,
    .tprog_ns = SIM_L1_TPROG_NS,
    .max_hclk_hz = SIM_LX_MAX_HCLK_HZ,
};

guint32
l0_flash_size(GlintSim *sim)
{
	return sim->flash_kb * 1024u;
}

guint
l0_bank_of(GlintSim *sim, guint32 offset)
{
	const L0Config *cfg = l0_cfg(sim);
	if (cfg->dual_from_kb == 0 || sim->flash_kb < cfg->dual_from_kb)
		return 0;
	return offset >= l0_flash_size(sim) / 2 ? 1 : 0;
}

/* BFB2 boots the system bootloader, which starts bank 2 when it holds a
 * valid image (RM0367 "Boot configuration"; the L1's BFB2 boots bank 2
 * when clear, RM0038) */
gboolean
l0_boots_from_sysmem(GlintSim *sim)
{
	const L0Config *cfg = l0_cfg(sim);
	guint32 optr = l0_state(sim)->ob.optr;
	if (cfg->dual_from_kb == 0 || sim->flash_kb < cfg->dual_from_kb)
		return FALSE;
	return cfg->l1 ? (optr & OPTR_BFB2) == 0 : (optr & OPTR_BFB2) != 0;
}

/* Regions (memory maps of RM0367 and RM0038; sizes from the datasheets) */
#define LX_REGION_TABLE(sram_size, eeprom_size, sysmem_size, info_base, info_size, ob_size)        \
	{                                                                                          \
		[LX_REGION_SRAM] = {"sram",                                                        \
				    SIM_REGION_SRAM,                                               \
				    LX_SRAM_BASE,                                                  \
				    sram_size,                                                     \
				    SIM_REGION_WRITABLE | SIM_REGION_EXEC,                         \
				    0x00},                                                         \
		[LX_REGION_FLASH] = {"flash",                                                      \
				     SIM_REGION_FLASH,                                             \
				     LX_FLASH_BASE,                                                \
				     0,                                                            \
				     SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY |               \
					 SIM_REGION_NONVOLATILE | SIM_REGION_EXEC,                 \
				     0x00},                                                        \
		[LX_REGION_EEPROM] = {"eeprom",                                                    \
				      SIM_REGION_EEPROM,                                           \
				      LX_EEPROM_BASE,                                              \
				      eeprom_size,                                                 \
				      SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY |              \
					  SIM_REGION_NONVOLATILE,                                  \
				      0x00},                                                       \
		[LX_REGION_SYSMEM] = {"sysmem",	   SIM_REGION_SYSMEM, LX_SYSMEM_BASE,              \
				      sysmem_size, SIM_REGION_EXEC,   0x00},                       \
		[LX_REGION_OPTIONS] = {"options",                                                  \
				       SIM_REGION_OPTIONS,                                         \
				       LX_OPTIONS_BASE,                                            \
				       ob_size,                                                    \
				       SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY |             \
					   SIM_REGION_NONVOLATILE,                                 \
				       0x00},                                                      \
		[LX_REGION_INFO] = {"info", SIM_REGION_INFO, info_base, info_size, 0, 0x00},       \
	}

static const SimRegion l053_regions[] =
    LX_REGION_TABLE(8 * 1024, 2048, 4 * 1024, L0_INFO_BASE, L0_INFO_SIZE, L0_OPTIONS_SIZE);
static const SimRegion l073_regions[] =
    LX_REGION_TABLE(20 * 1024, 6144, 8 * 1024, L0_INFO_BASE, L0_INFO_SIZE, L0_OPTIONS_SIZE);
static const SimRegion l152_regions[] =
    LX_REGION_TABLE(80 * 1024, 16384, 8 * 1024, L1_INFO_BASE, L1_INFO_SIZE, L1_OPTIONS_SIZE);

static guint32
l0_map_key(GlintSim *sim)
{
	return l0_boots_from_sysmem(sim) ? 1u : 0u;
}

/* The boot alias at 0: flash, or system memory when BFB2 boots the
 * bootloader */
static void
l0_map_windows(GlintSim *sim, SimMap *map)
{
	if (l0_boots_from_sysmem(sim))
		sim_map_forward(map, 0, sim->mem_size[LX_REGION_SYSMEM], LX_SYSMEM_BASE);
	else
		sim_map_forward(map, 0, l0_flash_size(sim), LX_FLASH_BASE);
}

static guint32
l0_boot_address(GlintSim *sim)
{
	return l0_boots_from_sysmem(sim) ? LX_SYSMEM_BASE : LX_FLASH_BASE;
}

/* Peripherals --------------------------------------------------------------- */

static const SimGpioConfig l0_gpio = {
    .n_ports = 8,
    .moder_reset = {L0_GPIOA_MODER_RESET, L0_GPIO_MODER_RESET, L0_GPIO_MODER_RESET,
		    L0_GPIO_MODER_RESET, L0_GPIO_MODER_RESET, L0_GPIO_MODER_RESET,
		    L0_GPIO_MODER_RESET, L0_GPIO_MODER_RESET},
    .pupdr_reset = {L0_GPIOA_PUPDR_RESET},
};

static const SimGpioConfig l1_gpio = {
    .n_ports = 8,
    .moder_reset = {L1_GPIOA_MODER_RESET, L1_GPIOB_MODER_RESET},
    .pupdr_reset = {L1_GPIOA_PUPDR_RESET, L1_GPIOB_PUPDR_RESET},
};

static const guint32 lx_dbgmcu_registers[] = {DBGMCU_CR, DBGMCU_APB1_FZ, DBGMCU_APB2_FZ};
static const SimDbgmcuConfig lx_dbgmcu = {lx_dbgmcu_registers, G_N_ELEMENTS(lx_dbgmcu_registers)};

#define LX_PLAIN(name, base)                                                                       \
	{                                                                                          \
		name, base, LX_PERIPH_BLOCK, 0, sim_plain_read, sim_plain_write                    \
	}

/* What answers on the bus besides memory; other addresses fault for the
 * debugger and read as 0 for the code. */
static const SimPeriph l0_periphs[] = {
    {"FLASH", L0_FLASH_R_BASE, FLASH_R_SIZE, 0, l0_flash_read, l0_flash_write, l0_flash_reset, NULL,
     l0_flash_is_w1c, l0_flash_poke},
    {"RCC", L0_RCC_BASE, LX_PERIPH_BLOCK, 0, l0_rcc_read, l0_rcc_write, l0_rcc_reset},
    {"CRC", LX_CRC_BASE, LX_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, sim_crc_read, sim_crc_write,
     sim_crc_reset},
    {"GPIO", L0_GPIO_BASE, 8 * GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write, sim_gpio_reset,
     .config = &l0_gpio},
    {"DBGMCU", L0_DBGMCU_BASE, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &lx_dbgmcu},
    LX_PLAIN("SYSCFG", LX_SYSCFG_BASE),
    LX_PLAIN("WWDG", LX_WWDG_BASE),
    LX_PLAIN("IWDG", LX_IWDG_BASE),
    LX_PLAIN("PWR", LX_PWR_BASE),
    LX_PLAIN("DMA1", L0_DMA1_BASE),
};

/* The L1's CRC unit has only DR, IDR and CR.RESET (RM0038, CRC chapter): the
 * shared model (which also has RM0367's REV_IN/REV_OUT/POL) with those at
 * their reset values computes what it computes. */
static const SimPeriph l1_periphs[] = {
    {"FLASH", L1_FLASH_R_BASE, FLASH_R_SIZE, 0, l0_flash_read, l0_flash_write, l0_flash_reset, NULL,
     l0_flash_is_w1c, l0_flash_poke},
    {"RCC", L1_RCC_BASE, LX_PERIPH_BLOCK, 0, l0_rcc_read, l0_rcc_write, l0_rcc_reset},
    {"CRC", LX_CRC_BASE, LX_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, sim_crc_read, sim_crc_write,
     sim_crc_reset},
    {"GPIO", L1_GPIO_BASE, 8 * GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write, sim_gpio_reset,
     .config = &l1_gpio},
    {"DBGMCU", L1_DBGMCU_BASE, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &lx_dbgmcu},
    LX_PLAIN("SYSCFG", LX_SYSCFG_BASE),
    LX_PLAIN("WWDG", LX_WWDG_BASE),
    LX_PLAIN("IWDG", LX_IWDG_BASE),
    LX_PLAIN("PWR", LX_PWR_BASE),
    LX_PLAIN("DMA1", L1_DMA1_BASE),
};

/* Documented reset values of plain registers: PWR_CR with the regulator in
 * range 2, VOS = 10 (RM0367 and RM0038, PWR_CR: reset value 0x0000 1000) */
static const SimRegReset lx_registers[] = {
    {LX_PWR_BASE + PWR_CR, PWR_CR_RESET, 0, 0},
};

static const SimPeriphMap lx_periph_map = {
    .registers = lx_registers,
    .n_registers = G_N_ELEMENTS(lx_registers),
};

/* Operations ------------------------------------------------------------------ */

static gpointer
l0_state_new(GlintSim *sim)
{
	L0State *s = g_new0(L0State, 1);
	if (sim->machine == &sim_l073_machine)
		s->cfg = &l073_config;
	else if (sim->machine == &sim_l152_machine)
		s->cfg = &l152_config;
	else
		s->cfg = &l053_config;
	return s;
}

static void
l0_power_on(GlintSim *sim)
{
	l0_state(sim)->fl.sr = 0;
	l0_options_load(sim);
}

/* RDP level 1 with a debugger: program memory and data EEPROM (also
 * through the boot alias) refuse debug accesses (RM0367 "Read protection") */
static gboolean
l0_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	return (hit->info->kind == SIM_REGION_FLASH || hit->info->kind == SIM_REGION_EEPROM) &&
	       l0_options_rdp_protected(sim);
}

static gboolean
l0_debug_read_refused(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && l0_flash_pcrop_read_blocked(sim, hit->addr);
}

static gboolean
l0_debug_port_locked(GlintSim *sim)
{
	return l0_options_rdp(sim) == RDP_LEVEL2;
}

/* A read of flash or data EEPROM: it waits for BSY, and ends a half-page
 * being written (nothing may come between its words) */
static void
l0_wait_busy(GlintSim *sim)
{
	L0Flash *fl = &l0_state(sim)->fl;
	if (fl->hp_active) {
		fl->hp_active = FALSE;
		fl->sr |= SR_PGAERR;
	}
	l0_flash_stall(sim);
}

static void
put16(guint8 *p, guint16 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
}

/* The factory bytes: unique ID (three words, the third at +0x14) and the
 * flash size (RM0367 and RM0038, "Device electronic signature") */
static void
l0_fill_info(GlintSim *sim)
{
	const L0Config *cfg = l0_cfg(sim);
	guint8 *info = LX_MEM(sim, LX_REGION_INFO);
	guint8 uid[12];

	memset(info, 0, sim->mem_size[LX_REGION_INFO]);
	sim_unique_id(sim, uid);
	memcpy(info + (cfg->uid_addr - cfg->info_base), uid, 8);
	memcpy(info + (cfg->uid_addr + LX_UID_WORD2_OFFSET - cfg->info_base), uid + 8, 4);
	put16(info + (cfg->fsize_addr - cfg->info_base), (guint16)sim->flash_kb);
}

static const SimMachineOps l0_ops = {
    .state_new = l0_state_new,
    .state_free = g_free,
    .map_key = l0_map_key,
    .map_windows = l0_map_windows,
    .power_on = l0_power_on,
    .boot_address = l0_boot_address,
    .hclk_hz = l0_rcc_hclk_hz,
    .bor_threshold_mv = l0_bor_threshold_mv,
    .fill_info = l0_fill_info,
    .mem_write = l0_flash_mem_write,
    .wait_busy = l0_wait_busy,
    .debug_blocked = l0_debug_blocked,
    .debug_read_refused = l0_debug_read_refused,
    .debug_port_locked = l0_debug_port_locked,
    .power_fail = l0_flash_power_fail,
    .flash_limit = l0_flash_limit,
    .core_fetch = l0_flash_core_fetch,
    .factory = l0_scenario_factory,
    .protect_first_unit = l0_scenario_protect_first_unit,
    .set_rdp_level1 = l0_scenario_set_rdp_level1,
    .leave_stale_flags = l0_scenario_leave_stale_flags,
};

/* Vector tables: 16 system entries and 32 interrupts on the STM32L0x3
 * (RM0367 vector table), 57 on the STM32L152xE (RM0038 vector table); SysTick's
 * external clock is HCLK / 8 on both */
#define L0_VECTOR_COUNT 48u
#define L1_VECTOR_COUNT 73u

/* The GPIO ports, for the demo scenario's LED */
static const SimGpioPorts l0_gpio_ports = {L0_GPIO_BASE, L0_RCC_BASE + L0_RCC_IOPENR, 0,
					   SIM_GPIO_STYLE_MODER};
static const SimGpioPorts l1_gpio_ports = {L1_GPIO_BASE, L1_RCC_BASE + L1_RCC_AHBENR, 0,
					   SIM_GPIO_STYLE_MODER};

/* The L1's SWO pin, PB3 in AF0 as at reset (GPIOB_MODER reset 0x00000280:
 * RM0038 7.4.1); the L0's Cortex-M0+ has no ITM and no SWO */
static const SimSwoPin l1_swo_pin = {L1_DBGMCU_BASE + DBGMCU_CR, DBGMCU_CR_TRACE_IOEN,
				     DBGMCU_CR_TRACE_MODE, SIM_LED('B', 3)};

const SimMachine sim_l053_machine = {
    .name = "l0",
    .family = "STM32L0",
    .core = SIM_CORE_CORTEX_M0PLUS,
    .regions = l053_regions,
    .n_regions = LX_REGION_COUNT,
    .periphs = l0_periphs,
    .n_periphs = G_N_ELEMENTS(l0_periphs),
    .periph_map = &lx_periph_map,
    .systick_ext_div = 8,
    .vector_count = L0_VECTOR_COUNT,
    .scenario_texts = l0_scenario_texts,
    .ops = &l0_ops,
    .gpio_ports = &l0_gpio_ports,
};

const SimMachine sim_l073_machine = {
    .name = "l0",
    .family = "STM32L0",
    .core = SIM_CORE_CORTEX_M0PLUS,
    .regions = l073_regions,
    .n_regions = LX_REGION_COUNT,
    .periphs = l0_periphs,
    .n_periphs = G_N_ELEMENTS(l0_periphs),
    .periph_map = &lx_periph_map,
    .systick_ext_div = 8,
    .vector_count = L0_VECTOR_COUNT,
    .scenario_texts = l0_scenario_texts,
    .ops = &l0_ops,
    .gpio_ports = &l0_gpio_ports,
};

const SimMachine sim_l152_machine = {
    .name = "l0",
    .family = "STM32L1",
    .core = SIM_CORE_CORTEX_M3,
    /* r2p0 (RM0038, debug chapter), with the SW-DP IDCODE OpenOCD's
     * target/stm32l1.cfg expects; the core table's M3 may be another
     * revision */
    .cpuid = 0x412FC230u,
    .dp_idcode = 0x2BA01477u,
    .regions = l152_regions,
    .n_regions = LX_REGION_COUNT,
    .periphs = l1_periphs,
    .n_periphs = G_N_ELEMENTS(l1_periphs),
    .periph_map = &lx_periph_map,
    .systick_ext_div = 8,
    .vector_count = L1_VECTOR_COUNT,
    .scenario_texts = l0_scenario_texts,
    .ops = &l0_ops,
    .swo_pin = &l1_swo_pin,
    .gpio_ports = &l1_gpio_ports,
};
