/* l4-machine.c: the STM32L4 machine (RM0351): its memory regions and
 * peripherals, the windows that depend on the option bytes (boot alias,
 * swapped banks), and the operations the framework calls. The flash
 * controller is l4-flash.c, the option bytes l4-options.c, the clock tree
 * l4-rcc.c, what a power cut leaves l4-faults.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l4-machine.h"

/* Memory map (RM0351 2.2, reference 3.2) */
static const SimRegion l4_regions[] = {
    [L4_REGION_FLASH] = {"flash", SIM_REGION_FLASH, L4_FLASH_BASE, 0,
			 SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE |
			     SIM_REGION_EXEC | SIM_REGION_MACHINE_MAPPED,
			 0xFF},
    [L4_REGION_SRAM1] = {"sram1", SIM_REGION_SRAM, L4_SRAM1_BASE, L4_SRAM1_SIZE,
			 SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [L4_REGION_SRAM2] = {"sram2", SIM_REGION_SRAM, L4_SRAM2_BASE, L4_SRAM2_SIZE,
			 SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [L4_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, L4_SYSMEM_BASE, L4_SYSMEM_SIZE,
			  SIM_REGION_EXEC, 0xFF},
    [L4_REGION_OTP] = {"otp", SIM_REGION_OTP, L4_OTP_BASE, L4_OTP_SIZE,
		       SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE,
		       0xFF},
    [L4_REGION_INFO] = {"info", SIM_REGION_INFO, L4_INFO_BASE, L4_INFO_SIZE, 0, 0xFF},
    [L4_REGION_OPT1] = {"options1", SIM_REGION_OPTIONS, L4_OPT1_BASE, L4_OPT_AREA_SIZE,
			SIM_REGION_NONVOLATILE, 0xFF},
    [L4_REGION_OPT2] = {"options2", SIM_REGION_OPTIONS, L4_OPT2_BASE, L4_OPT_AREA_SIZE,
			SIM_REGION_NONVOLATILE, 0xFF},
};

/* SRAM2 also follows SRAM1 at 0x20018000 (RM0351 2.4.2) */
static const SimAlias l4_aliases[] = {
    {L4_SRAM2_ALIAS, L4_SRAM2_SIZE, L4_SRAM2_BASE},
};

L4Geometry
l4_geometry(GlintSim *sim)
{
	L4Geometry g;
	g.size = sim->flash_kb * 1024u;
	/* the 1 MB part is always dual bank; smaller ones follow DUALBANK as loaded */
	g.dual = sim->flash_kb == 1024 || (l4_state(sim)->ob.optr & FLASH_OPTR_DUALBANK) != 0;
	g.pages_per_bank = g.dual ? g.size / 2 / L4_FLASH_PAGE_SIZE : g.size / L4_FLASH_PAGE_SIZE;
	g.bank2_offset = g.dual ? g.size / 2 : g.size;
	return g;
}

gboolean
l4_boots_from_sysmem(GlintSim *sim)
{
	/* BFB2 boots the system bootloader, which picks a bank (RM0351 2.6.1) */
	return (l4_state(sim)->ob.optr & FLASH_OPTR_BFB2) != 0 && l4_geometry(sim).dual;
}

static guint32
l4_map_key(GlintSim *sim)
{
	return (l4_state(sim)->ob.optr & (FLASH_OPTR_BFB2 | FLASH_OPTR_DUALBANK)) |
	       (l4_state(sim)->ob.fb_mode ? 1u : 0);
}

/* Main flash at 0x08000000, its two banks swapped with FB_MODE, and the boot
 * alias at 0: system memory when BFB2 boots the bootloader, else flash as
 * the bus shows it at 0x08000000 (RM0351 2.6, SYSCFG_MEMRMP) */
static void
l4_map_windows(GlintSim *sim, SimMap *map)
{
	L4Geometry g = l4_geometry(sim);
	if (g.dual && l4_state(sim)->ob.fb_mode) {
		sim_map_add(map, L4_FLASH_BASE, g.bank2_offset, L4_REGION_FLASH, g.bank2_offset);
		sim_map_add(map, L4_FLASH_BASE + g.bank2_offset, g.size - g.bank2_offset,
			    L4_REGION_FLASH, 0);
	} else {
		sim_map_add(map, L4_FLASH_BASE, g.size, L4_REGION_FLASH, 0);
	}
	if (l4_boots_from_sysmem(sim))
		sim_map_forward(map, 0, L4_SYSMEM_SIZE, L4_SYSMEM_BASE);
	else
		sim_map_forward(map, 0, g.size, L4_FLASH_BASE);
}

/* SYSCFG_MEMRMP shows what the boot chose; the rest of SYSCFG is storage */
static guint32
l4_syscfg_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	if (offset == SYSCFG_MEMRMP) {
		guint32 v = l4_boots_from_sysmem(sim) ? SYSCFG_MEMRMP_SYSFLASH : 0;
		return v | (l4_state(sim)->ob.fb_mode ? SYSCFG_MEMRMP_FB_MODE : 0);
	}
	return sim_plain_read(sim, p, who, offset);
}

static gboolean
l4_syscfg_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		guint32 value)
{
	if (offset == SYSCFG_MEMRMP)
		return TRUE; /* the boot mapping is not software's to change here */
	return sim_plain_write(sim, p, who, offset, size, value);
}

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

/* What answers on the bus besides memory (RM0351 2.2.2): the modelled
 * peripherals, and plain storage for those a programmer or firmware
 * touches in passing (DMA gating, watchdog reloads, ...). Other addresses
 * fault for the debugger and read as 0 for the code. */
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

static gpointer
l4_state_new(GlintSim *sim)
{
	return g_new0(L4State, 1);
}

static void
l4_power_on(GlintSim *sim)
{
	l4_state(sim)->fl.sr = 0;
	l4_options_load(sim);
}

/* FB_MODE: the bootloader maps bank 2 at 0 when BFB2 is set and bank 2
 * starts with a stack pointer inside SRAM (AN2606, reference 4.8) */
static void
l4_system_reset(GlintSim *sim)
{
	L4Options *ob = &l4_state(sim)->ob;
	ob->fb_mode = FALSE;
	if (l4_boots_from_sysmem(sim)) {
		L4Geometry g = l4_geometry(sim);
		const guint8 *p = L4_MEM(sim, L4_REGION_FLASH) + g.bank2_offset;
		guint32 sp = p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
		ob->fb_mode = (sp >= L4_SRAM1_BASE && sp <= L4_SRAM1_BASE + 0x20000u) ||
			      (sp >= L4_SRAM2_BASE && sp <= L4_SRAM2_BASE + L4_SRAM2_SIZE);
	}
}

static guint32
l4_boot_address(GlintSim *sim)
{
	/* BFB2 boots the system bootloader, which picks a bank (RM0351 2.6.1) */
	return l4_boots_from_sysmem(sim) ? L4_SYSMEM_BASE : L4_FLASH_BASE;
}

/* RDP level 1 with a debugger: main flash (also through the boot alias)
 * refuses debug accesses (RM0351 3.5.1) */
static gboolean
l4_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && l4_options_rdp_protected(sim);
}

static gboolean
l4_debug_read_refused(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && l4_flash_pcrop_read_blocked(sim, hit->addr);
}

static gboolean
l4_debug_port_locked(GlintSim *sim)
{
	return l4_options_rdp(sim) == OPTR_RDP_LEVEL2;
}

static void
l4_store16(guint8 *p, guint16 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
}

/* Engineering bytes: unique ID, package and flash size (RM0351 48.1-48.2) */
static void
l4_fill_info(GlintSim *sim)
{
	guint8 *info = L4_MEM(sim, L4_REGION_INFO);
	memset(info, 0xFF, L4_INFO_SIZE);
	sim_unique_id(sim, info + (L4_UID_ADDR - L4_INFO_BASE));
	/* PKG[4:0] = 0b00011: LQFP64, as on a NUCLEO-L476RG (RM0351 48.2) */
	l4_store16(info + (L4_PACKAGE_ADDR - L4_INFO_BASE), 0x0003);
	l4_store16(info + (L4_FLASHSIZE_ADDR - L4_INFO_BASE), (guint16)sim->flash_kb);
}

/* l4-resets.c: the memory map, reset values, clock gates, reset flags */
extern const SimPeriphMap l4_periph_map;

static const SimMachineOps l4_ops = {
    .state_new = l4_state_new,
    .state_free = g_free,
    .map_key = l4_map_key,
    .map_windows = l4_map_windows,
    .power_on = l4_power_on,
    .system_reset = l4_system_reset,
    .boot_address = l4_boot_address,
    .hclk_hz = l4_rcc_hclk_hz,
    .bor_threshold_mv = l4_bor_threshold_mv,
    .fill_info = l4_fill_info,
    .mem_write = l4_flash_mem_write,
    .wait_busy = l4_flash_stall,
    .debug_blocked = l4_debug_blocked,
    .debug_read_refused = l4_debug_read_refused,
    .debug_port_locked = l4_debug_port_locked,
    .power_fail = l4_flash_power_fail,
    .factory = l4_scenario_factory,
    .protect_first_unit = l4_scenario_protect_first_unit,
    .set_rdp_level1 = l4_scenario_set_rdp_level1,
    .leave_stale_flags = l4_scenario_leave_stale_flags,
};

/* State files of version 1: both option areas, then OTP (sim-state.c) */
static const char *const l4_legacy_state_regions[] = {"options1", "options2", "otp", NULL};

/* Vector table entries of an STM32L476: 16 system + 82 interrupts */
#define L4_VECTOR_COUNT 98u
/* The external SysTick reference is HCLK / 8 (RM0351 6.2) */
#define L4_SYSTICK_EXT_DIV 8u

/* RM0351 48.6.3 DBGMCU_CR: TRACE_IOEN assigns the trace pins, TRACE_MODE
 * 00 is asynchronous (SWO on PB3) */
static const SimSwoPin l4_swo_pin = {DBGMCU_BASE + DBGMCU_CR, DBGMCU_CR_TRACE_IOEN,
				     DBGMCU_CR_TRACE_MODE};

const SimMachine sim_l4_machine = {
    .name = "l4",
    .family = "STM32L4",
    .core = SIM_CORE_CORTEX_M4,
    .regions = l4_regions,
    .n_regions = G_N_ELEMENTS(l4_regions),
    .aliases = l4_aliases,
    .n_aliases = G_N_ELEMENTS(l4_aliases),
    .periphs = l4_periphs,
    .n_periphs = G_N_ELEMENTS(l4_periphs),
    .systick_ext_div = L4_SYSTICK_EXT_DIV,
    .vector_count = L4_VECTOR_COUNT,
    .scenario_texts = l4_scenario_texts,
    .legacy_state_regions = l4_legacy_state_regions,
    .legacy_state_page = L4_FLASH_PAGE_SIZE,
    .ops = &l4_ops,
    .periph_map = &l4_periph_map,
    .swo_pin = &l4_swo_pin,
};
