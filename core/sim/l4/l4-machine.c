/* l4-machine.c: the STM32L4 machine (RM0351): its memory regions, the
 * windows that depend on the option bytes (boot alias, swapped banks) and
 * the operations the framework calls. */
#define G_LOG_DOMAIN "glint-sim"

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

static gboolean
l4_boots_from_sysmem(GlintSim *sim)
{
	/* BFB2 boots the system bootloader, which picks a bank (RM0351 2.6.1) */
	return (sim->ob.optr & FLASH_OPTR_BFB2) != 0 && sim_geometry(sim).dual;
}

static guint32
l4_map_key(GlintSim *sim)
{
	return (sim->ob.optr & (FLASH_OPTR_BFB2 | FLASH_OPTR_DUALBANK)) |
	       (sim->ob.fb_mode ? 1u : 0);
}

/* Main flash at 0x08000000, its two banks swapped with FB_MODE, and the boot
 * alias at 0: system memory when BFB2 boots the bootloader, else flash as
 * the bus shows it at 0x08000000 (RM0351 2.6, SYSCFG_MEMRMP) */
static void
l4_map_windows(GlintSim *sim, SimMap *map)
{
	SimGeometry g = sim_geometry(sim);
	if (g.dual && sim->ob.fb_mode) {
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
		return v | (sim->ob.fb_mode ? SYSCFG_MEMRMP_FB_MODE : 0);
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

static const SimMachineOps l4_ops = {
    .map_key = l4_map_key,
    .map_windows = l4_map_windows,
};

const SimMachine sim_l4_machine = {
    .name = "l4",
    .regions = l4_regions,
    .n_regions = G_N_ELEMENTS(l4_regions),
    .aliases = l4_aliases,
    .n_aliases = G_N_ELEMENTS(l4_aliases),
    .periphs = l4_periphs,
    .n_periphs = G_N_ELEMENTS(l4_periphs),
    .ops = &l4_ops,
};
