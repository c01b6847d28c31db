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
    .ops = &l4_ops,
};
