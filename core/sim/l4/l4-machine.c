/* l4-machine.c: the STM32L4 machine (RM0351): its memory regions and
 * peripherals, the windows that depend on the option bytes (boot alias,
 * swapped banks), and the operations the framework calls. The flash
 * controller is l4-flash.c, the option bytes l4-options.c, the clock tree
 * l4-rcc.c, what a power cut leaves l4-faults.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l4-machine.h"

L4Geometry
l4_geometry(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	guint32 mask = sim->flash_kb != cfg->max_kb && cfg->dual_mask_small != 0
			   ? cfg->dual_mask_small
			   : cfg->dual_mask;
	gboolean bit = (l4_ob(sim, FLASH_OPTR) & mask) != 0;
	L4Geometry g;
	g.size = sim->flash_kb * 1024u;
	switch (cfg->bank_rule) {
	case L4_BANKS_DUALBANK:
		/* the largest part is always dual bank (RM0351 3.2) */
		g.dual = sim->flash_kb == cfg->max_kb || bit;
		g.page_size = cfg->page_size;
		break;
	case L4_BANKS_DBANK:
		g.dual = bit;
		g.page_size = bit ? cfg->dual_page_size : cfg->page_size;
		break;
	default:
		g.dual = FALSE;
		g.page_size = cfg->page_size;
		break;
	}
	if (g.dual) {
		g.bank2_offset = g.size / 2;
		g.bank2_bus = cfg->bank2_fixed != 0 ? cfg->bank2_fixed : g.size / 2;
		g.pages_per_bank = (g.size / 2) / g.page_size;
	} else {
		g.bank2_offset = g.bank2_bus = g.size;
		g.pages_per_bank = g.size / g.page_size;
	}
	return g;
}

/* G0 boot (RM0444 2.5, table 5): BOOT0 from the nBOOT0 option bit when
 * nBOOT_SEL = 1 (as shipped), else from the PA14-BOOT0 pin (low on a
 * NUCLEO: SWCLK idles low); main flash read as erased at the option load
 * (EMPTY) sends a main-flash boot to system memory */
static L4BootSource
l4_g0_boot_source(GlintSim *sim)
{
	guint32 optr = l4_ob(sim, FLASH_OPTR);
	gboolean boot0 = (optr & G0_OPTR_nBOOT_SEL) ? !(optr & G0_OPTR_nBOOT0) : FALSE;
	if (!boot0)
		return l4_state(sim)->empty ? L4_BOOT_SYSMEM : L4_BOOT_FLASH;
	return (optr & G0_OPTR_nBOOT1) ? L4_BOOT_SYSMEM : L4_BOOT_SRAM;
}

L4BootSource
l4_boot_source(GlintSim *sim)
{
	guint32 optr = l4_ob(sim, FLASH_OPTR);
	gboolean boot0;
	/* level 2 boots main flash only (RM0351 3.5.1); so does BOOT_LOCK
	 * (RM0440 3.4.1, RM0444 3.4.1) */
	if (l4_options_rdp(sim) == OPTR_RDP_LEVEL2 || l4_options_boot_lock(sim))
		return L4_BOOT_FLASH;
	if (l4_cfg(sim)->g0_boot)
		return l4_g0_boot_source(sim);
	/* BOOT0 from the pin (low on the boards modelled) unless nSWBOOT0 = 0
	 * takes it from nBOOT0 */
	boot0 = !(optr & FLASH_OPTR_nSWBOOT0) && !(optr & FLASH_OPTR_nBOOT0);
	if (!boot0)
		return L4_BOOT_FLASH;
	return (optr & FLASH_OPTR_nBOOT1) ? L4_BOOT_SYSMEM : L4_BOOT_SRAM;
}

gboolean
l4_boots_from_sysmem(GlintSim *sim)
{
	/* BFB2 boots the system bootloader, which picks a bank (RM0351 2.6.1) */
	L4BootSource source = l4_boot_source(sim);
	/* BOOT_LOCK: main flash, whatever BFB2 says (RM0440 3.4.1) */
	if (l4_options_boot_lock(sim))
		return FALSE;
	return source == L4_BOOT_SYSMEM ||
	       (source == L4_BOOT_FLASH && l4_cfg(sim)->bfb2 &&
		(l4_ob(sim, FLASH_OPTR) & FLASH_OPTR_BFB2) != 0 && l4_geometry(sim).dual);
}

gboolean
l4_flash_locked(GlintSim *sim)
{
	guint8 rdp = l4_options_rdp(sim);
	/* level 1 only: level 2 has no debug port, boots only flash. A boot
	 * through BFB2 is a flash boot: the bootloader may read the banks */
	if (rdp == OPTR_RDP_LEVEL0 || rdp == OPTR_RDP_LEVEL2)
		return FALSE;
	/* a debugger connected since power-on counts until the next power-on
	 * reset (RM0351 3.5.1: "apply a POR instead of a system reset") */
	return sim_debugger_seen(sim) || l4_boot_source(sim) != L4_BOOT_FLASH;
}

static guint32
l4_map_key(GlintSim *sim)
{
	/* the layout (DUALBANK, DBANK, the G0B1's nSWAP_BANK), what
	 * SYSCFG_MEMRMP maps, where CPU2's secure flash starts, and whether
	 * read protection keeps flash from the core */
	return (l4_ob(sim, FLASH_OPTR) & (FLASH_OPTR_DUALBANK | FLASH_OPTR_DBANK | (1u << 20))) |
	       (l4_state(sim)->memrmp & SYSCFG_MEMRMP_RW) |
	       ((l4_options_secure_start(sim) & 0x1FFu) << 9) |
	       (l4_flash_locked(sim) ? 1u << 31 : 0);
}

/* Whether bank 2 is mapped first: FB_MODE (set by the bootloader's
 * dual-bank boot) or, on a G0B1, nSWAP_BANK = 0 at the option load
 * (RM0444 3.3.2) */
static gboolean
l4_banks_swapped(GlintSim *sim)
{
	if (l4_state(sim)->memrmp & SYSCFG_MEMRMP_FB_MODE)
		return TRUE;
	return l4_cfg(sim)->swap_option && !(l4_ob(sim, FLASH_OPTR) & G0_OPTR_nSWAP_BANK);
}

/* Main flash at 0x08000000, its two banks swapped with FB_MODE, and the boot
 * alias at 0 as SYSCFG_MEMRMP.MEM_MODE says: main flash as the bus shows it
 * at 0x08000000, system memory or SRAM1 (RM0351 2.6, 9.2.1). CPU2's secure
 * flash (WB, WL) reads as zero for CPU1 and the debugger and takes no
 * stores (the ST community's word for STM32CubeProgrammer: "it only
 * returns 0"): a window onto the zeros of the "secure" region. */
static void
l4_map_windows(GlintSim *sim, SimMap *map)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Geometry g = l4_geometry(sim);
	guint32 memrmp = l4_state(sim)->memrmp;
	guint32 half = g.size / 2;
	if (g.dual) {
		/* swapped, the banks trade places (with a hole between them, bank
		 * 2 moves down to 0x08000000 and bank 1 up to where bank 2 was) */
		gboolean swap = l4_banks_swapped(sim);
		sim_map_add(map, L4_FLASH_BASE, half, L4_REGION_FLASH, swap ? half : 0);
		sim_map_add(map, L4_FLASH_BASE + g.bank2_bus, half, L4_REGION_FLASH,
			    swap ? 0 : half);
	} else {
		guint32 open = l4_options_secure_start(sim) * g.page_size;
		sim_map_add(map, L4_FLASH_BASE, open, L4_REGION_FLASH, 0);
		if (open < g.size)
			sim_map_add(map, L4_FLASH_BASE + open, g.size - open, L4_REGION_SECURE,
				    open);
	}
	switch (memrmp & SYSCFG_MEMRMP_MEM_MODE_MASK) {
	case SYSCFG_MEM_MODE_SYSFLASH:
		sim_map_forward(map, 0, cfg->sysmem_size, cfg->sysmem_base);
		break;
	case SYSCFG_MEM_MODE_SRAM1:
		sim_map_forward(map, 0, cfg->sram1_size, cfg->sram1_base);
		break;
	default:
		/* FMC and QUADSPI banks are not modelled: main flash stays; the
		 * alias ends where the first bank does when a hole follows it */
		sim_map_forward(map, 0, g.dual ? g.bank2_bus + half : g.size, L4_FLASH_BASE);
		break;
	}
}

/* SYSCFG_MEMRMP is the machine's: MEM_MODE and FB_MODE decide the map */
guint32
l4_syscfg_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	if (offset == SYSCFG_MEMRMP)
		return l4_state(sim)->memrmp;
	return sim_plain_read(sim, p, who, offset);
}

gboolean
l4_syscfg_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		guint32 value)
{
	if (offset != SYSCFG_MEMRMP)
		return sim_plain_write(sim, p, who, offset, size, value);
	l4_state(sim)->memrmp = value & SYSCFG_MEMRMP_RW;
	/* code that remaps runs on with the new map from its next instruction
	 * block (a DSB/ISB after the write, as the reference manual asks) */
	if (who == SIM_ACCESS_CORE)
		sim_cpu_map_changed(sim);
	return TRUE;
}

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

/* SYSCFG_MEMRMP resets to what the boot selects: MEM_MODE from the boot
 * mode, FB_MODE = 0. Only the bootloader (software) sets FB_MODE; with
 * BFB2 the core starts in system memory, whose dual-bank boot
 * (l4-bootloader.S) does that (AN2606). */
static void
l4_system_reset(GlintSim *sim)
{
	guint32 mode = SYSCFG_MEM_MODE_FLASH;
	if (l4_boots_from_sysmem(sim))
		mode = SYSCFG_MEM_MODE_SYSFLASH;
	else if (l4_boot_source(sim) == L4_BOOT_SRAM)
		mode = SYSCFG_MEM_MODE_SRAM1;
	l4_state(sim)->memrmp = mode;
}

static guint32
l4_boot_address(GlintSim *sim)
{
	/* the vectors at 0, as SYSCFG_MEMRMP maps them after the reset */
	return 0;
}

/* RDP level 1 with a debugger: main flash (also through the boot alias)
 * refuses debug accesses (RM0351 3.5.1) */
static gboolean
l4_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && l4_options_rdp_protected(sim);
}

/* ... and the code's too, in debug, boot RAM or bootloader mode: "a read or
 * write access to the flash generates a bus error" */
static gboolean
l4_core_blocked(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && l4_flash_locked(sim);
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
	const L4Config *cfg = l4_cfg(sim);
	guint8 *info = L4_MEM(sim, L4_REGION_INFO);
	memset(info, 0xFF, cfg->info_size);
	sim_unique_id(sim, info + (cfg->uid_addr - cfg->info_base));
	l4_store16(info + (cfg->package_addr - cfg->info_base), cfg->package);
	l4_store16(info + (cfg->flashsize_addr - cfg->info_base), (guint16)sim->flash_kb);
}

const SimMachineOps sim_l4_ops = {
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
    .core_blocked = l4_core_blocked,
    .refused_write = l4_flash_refused_write,
    .power_fail = l4_flash_power_fail,
    .flash_limit = l4_flash_limit,
    .factory = l4_scenario_factory,
    .protect_first_unit = l4_scenario_protect_first_unit,
    .set_rdp_level1 = l4_scenario_set_rdp_level1,
    .leave_stale_flags = l4_scenario_leave_stale_flags,
};
