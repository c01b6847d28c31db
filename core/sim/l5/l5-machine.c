/* l5-machine.c: the STM32L5/U5 machines (RM0438, RM0456): their memory
 * regions with the secure aliases, their peripherals (the flash interface
 * at both its non-secure and its secure address), the bank windows that
 * DBANK and SWAP_BANK decide, the boot address TrustZone chooses, read
 * protection for the debugger and the core, and the operations the
 * framework calls. The flash controller is l5-flash.c, the option bytes
 * l5-options.c, the boards and scenarios l5-boards.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l5-machine.h"

/* The chips ------------------------------------------------------------------ */

/* STM32L552/L562 (RM0438, DS12736): 256 KB of SRAM, 512 KB of flash in two
 * banks of 2 KB pages (DBANK, as shipped) or one of 4 KB pages */
static const L5Config l552_config = {
    .chip = "STM32L552",
    .sram_size = 256u * 1024u,
    .sysmem_size = 32u * 1024u,
    .uid_addr = L5_UID_ADDR,
    .flashsize_addr = L5_FLASHSIZE_ADDR,
    /* PKG: LQFP144 on a NUCLEO-L552ZE-Q (value recalled) */
    .package = 0x0002,
    .rcc_csr = L5_RCC_CSR,
    .unit = 8,
    .page_size = 4096,
    .dual_page_size = 2048,
    .max_kb = 512,
    .dual_mask = FLASH_OPTR_DBANK,
    .dual_mask_small = FLASH_OPTR_DB256K,
    .has_optverr = TRUE,
    .boot_lock_permanent = TRUE,
    .half_regresses_to_0 = TRUE,
    .optr_factory = L5_OPTR_FACTORY,
    .unit_ns = L552_DOUBLE_WORD_NS,
    .page_erase_ns = L552_PAGE_ERASE_NS,
    .mass_erase_ns = L552_MASS_ERASE_NS,
    .option_ns = L552_OPTION_NS,
    .max_hclk_hz = L552_MAX_HCLK_HZ,
};

/* STM32U575/U585 (RM0456, DS13737): 768 KB of SRAM1-3 and SRAM4, 2 MB of
 * flash always in two banks of 8 KB pages, quad-word programming */
static const L5Config u575_config = {
    .chip = "STM32U575",
    .sram_size = 768u * 1024u,
    .sysmem_size = 64u * 1024u,
    .uid_addr = U5_UID_ADDR,
    .flashsize_addr = U5_FLASHSIZE_ADDR,
    /* PKG: LQFP144 on a NUCLEO-U575ZI-Q (value recalled) */
    .package = 0x0002,
    .rcc_csr = U5_RCC_CSR,
    .unit = 16,
    .page_size = 8192,
    .dual_page_size = 8192,
    .max_kb = 2048,
    .max_always_dual = TRUE,
    .dual_mask = 0,
    .dual_mask_small = FLASH_OPTR_DUALBANK,
    .wrp_unlock = TRUE,
    .optr_factory = U5_OPTR_FACTORY,
    .unit_ns = U575_QUAD_WORD_NS,
    .page_erase_ns = U575_PAGE_ERASE_NS,
    .mass_erase_ns = U575_MASS_ERASE_NS,
    .option_ns = U575_OPTION_NS,
    .max_hclk_hz = U575_MAX_HCLK_HZ,
};

/* State ----------------------------------------------------------------------- */

L5Geometry
l5_geometry(GlintSim *sim)
{
	const L5Config *cfg = l5_cfg(sim);
	guint32 optr = l5_state(sim)->ob[L5_OPT_OPTR];
	gboolean max = sim->flash_kb == cfg->max_kb;
	L5Geometry g;

	g.size = sim->flash_kb * 1024u;
	if (max && cfg->max_always_dual)
		g.dual = TRUE;
	else
		g.dual = (optr & (max ? cfg->dual_mask : cfg->dual_mask_small)) != 0;
	g.page_size = g.dual ? cfg->dual_page_size : cfg->page_size;
	g.bank_size = g.dual ? g.size / 2 : g.size;
	g.pages_per_bank = g.bank_size / g.page_size;
	/* RM0438 6.3.1: SWAP_BANK maps bank 2 first, in two-bank mode only */
	g.swapped = g.dual && (optr & FLASH_OPTR_SWAP_BANK) != 0;
	return g;
}

guint8
l5_rdp(GlintSim *sim)
{
	return (guint8)(l5_state(sim)->ob[L5_OPT_OPTR] & FLASH_OPTR_RDP_MASK);
}

gboolean
l5_tzen(GlintSim *sim)
{
	return (l5_state(sim)->ob[L5_OPT_OPTR] & FLASH_OPTR_TZEN) != 0;
}

guint
l5_rdp_rank(GlintSim *sim)
{
	guint8 rdp = l5_rdp(sim);
	if (rdp == OPTR_RDP_LEVEL0)
		return L5_RANK_0;
	if (rdp == OPTR_RDP_LEVEL2)
		return L5_RANK_2;
	/* AN5347: 0x55 is level 0.5 only with TrustZone on */
	if (rdp == OPTR_RDP_HALF && l5_tzen(sim))
		return L5_RANK_HALF;
	return L5_RANK_1;
}

gboolean
l5_debug_secure(GlintSim *sim)
{
	/* AN5347 (RDP): level 0 debugs secure and non-secure, level 0.5 and 1
	 * non-secure only */
	return l5_tzen(sim) && l5_rdp_rank(sim) == L5_RANK_0;
}

gboolean
l5_access_secure(GlintSim *sim, SimAccess who)
{
	switch (who) {
	case SIM_ACCESS_DEBUG:
		return l5_debug_secure(sim);
	case SIM_ACCESS_CORE:
		/* with TrustZone on the core boots secure and the emulated
		 * firmware stays so (modelling choice) */
		return l5_tzen(sim);
	default:
		return TRUE;
	}
}

/* Where the chip boots (RM0438 2.6, table 5): with TrustZone off BOOT0
 * (the NUCLEO's pin is low, or nBOOT0 with nSWBOOT0 = 0) chooses between
 * NSBOOTADD0 and NSBOOTADD1; with it on, SECBOOTADD0 or the RSS in system
 * memory; BOOT_LOCK forces SECBOOTADD0 */
static gboolean
l5_boot0(GlintSim *sim)
{
	guint32 optr = l5_state(sim)->ob[L5_OPT_OPTR];
	return !(optr & FLASH_OPTR_nSWBOOT0) && !(optr & FLASH_OPTR_nBOOT0);
}

static guint32
l5_boot_address(GlintSim *sim)
{
	const guint32 *ob = l5_state(sim)->ob;
	if (!l5_tzen(sim))
		return (l5_boot0(sim) ? ob[L5_OPT_NSBOOTADD1R] : ob[L5_OPT_NSBOOTADD0R]) &
		       FLASH_BOOTADD_MASK;
	if ((ob[L5_OPT_SECBOOTADD0R] & FLASH_SECBOOTADD0R_BOOT_LOCK) || !l5_boot0(sim))
		return ob[L5_OPT_SECBOOTADD0R] & FLASH_BOOTADD_MASK;
	return L5_SYSMEM_BASE;
}

static gboolean
l5_boots_from_flash(GlintSim *sim)
{
	guint32 boot = l5_boot_address(sim);
	return (boot >= L5_FLASH_BASE && boot < L5_FLASH_BASE + 0x04000000u) ||
	       (boot >= L5_FLASH_S_BASE && boot < L5_FLASH_S_BASE + 0x04000000u);
}

gboolean
l5_flash_locked(GlintSim *sim)
{
	/* level 1 only: level 2 has no debug port; a debugger connected since
	 * power-on counts until the next power-on reset (RM0438 6.5.1) */
	if (l5_rdp_rank(sim) != L5_RANK_1)
		return FALSE;
	return sim_debugger_seen(sim) || !l5_boots_from_flash(sim);
}

/* The map ---------------------------------------------------------------------- */

static guint32
l5_map_key(GlintSim *sim)
{
	L5Geometry g = l5_geometry(sim);
	return (g.dual ? 1u : 0u) | (g.swapped ? 2u : 0u) | (l5_flash_locked(sim) ? 4u : 0u);
}

/* Main flash at 0x08000000, bank 2 first with SWAP_BANK, and the whole of
 * it again at the secure alias 0x0C000000 (RM0438 2.3): a window of its
 * own, so that the controller tells the two apart */
static void
l5_map_windows(GlintSim *sim, SimMap *map)
{
	static const guint32 bases[] = {L5_FLASH_BASE, L5_FLASH_S_BASE};
	L5Geometry g = l5_geometry(sim);
	for (guint i = 0; i < G_N_ELEMENTS(bases); i++) {
		if (g.swapped) {
			sim_map_add(map, bases[i], g.bank_size, L5_REGION_FLASH, g.bank_size);
			sim_map_add(map, bases[i] + g.bank_size, g.bank_size, L5_REGION_FLASH, 0);
		} else {
			sim_map_add(map, bases[i], g.size, L5_REGION_FLASH, 0);
		}
	}
}

/* Read protection and TrustZone for the debugger ----------------------------------- */

/* The page of a flash hit, in physical terms */
static void
l5_hit_page(GlintSim *sim, const SimHit *hit, guint *bank, guint *page)
{
	l5_flash_locate(sim, l5_flash_offset(sim, hit->addr), bank, page);
}

/* The secure aliases (0x0C000000 for flash, 0x30000000 for SRAM) */
static gboolean
l5_hit_secure_alias(const SimHit *hit)
{
	if (hit->info->kind == SIM_REGION_FLASH)
		return l5_flash_secure_alias(hit->addr);
	return hit->info->kind == SIM_REGION_SRAM && hit->forwarded;
}

/* Faults: read protection level 1 with a debugger closes all of main flash
 * (RM0438 6.5.1); with TrustZone off the secure aliases lead nowhere
 * (modelling choice) */
static gboolean
l5_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	if (l5_hit_secure_alias(hit) && !l5_tzen(sim))
		return TRUE;
	return hit->info->kind == SIM_REGION_FLASH && l5_rdp_rank(sim) == L5_RANK_1;
}

/* RAZ/WI (RM0438 6.5.4, 4.x GTZC): a non-secure access to a secure alias
 * or to a secure page through 0x08000000; anyone's access to a page HDP
 * hides this boot */
static gboolean
l5_debug_access_ignored(GlintSim *sim, const SimHit *hit)
{
	guint bank, page;
	if (!l5_tzen(sim))
		return FALSE;
	if (l5_hit_secure_alias(hit) && !l5_debug_secure(sim))
		return TRUE;
	if (hit->info->kind != SIM_REGION_FLASH)
		return FALSE;
	l5_hit_page(sim, hit, &bank, &page);
	if (l5_page_hidden(sim, bank, page))
		return TRUE;
	return !l5_flash_secure_alias(hit->addr) && l5_page_secure(sim, bank, page);
}

/* ... and for the code, in debug, boot RAM or bootloader mode */
static gboolean
l5_core_blocked(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && l5_flash_locked(sim);
}

static gboolean
l5_debug_port_locked(GlintSim *sim)
{
	return l5_rdp_rank(sim) == L5_RANK_2;
}

/* Power, resets, clocks ------------------------------------------------------------ */

static gpointer
l5_state_new(GlintSim *sim)
{
	return g_new0(L5State, 1);
}

static void
l5_power_on(GlintSim *sim)
{
	L5State *st = l5_state(sim);
	st->fl.dom[L5_NS].sr = 0;
	st->fl.dom[L5_SEC].sr = 0;
	l5_options_load(sim);
}

/* MSI frequencies by range: the L5's MSIRANGE counts up from 100 kHz
 * (RM0438 9.8.1), the U5's MSISRANGE down from 48 MHz (RM0456 11.4.4) */
static const guint32 l5_msi_hz[16] = {
    100000u,   200000u,	  400000u,   800000u,	1000000u, 2000000u, 4000000u, 8000000u,
    16000000u, 24000000u, 32000000u, 48000000u, 4000000u, 4000000u, 4000000u, 4000000u,
};
static const guint32 u5_msis_hz[16] = {
    48000000u, 24000000u, 16000000u, 12000000u, 4000000u, 2000000u, 1330000u, 1000000u,
    3072000u,  1536000u,  1024000u,  768000u,	400000u,  200000u,  133000u,  100000u,
};

/* AHB prescaler by HPRE when its top bit is set (RM0438 9.8.3) */
static guint
l5_hpre_div(guint32 hpre)
{
	static const guint div[] = {2, 4, 8, 16, 64, 128, 256, 512};
	return (hpre & 8u) ? div[hpre & 7u] : 1u;
}

static gboolean
l5_is_u5(GlintSim *sim)
{
	return l5_cfg(sim)->rcc_csr == U5_RCC_CSR;
}

/* HCLK from the MSI range in force (the range register when MSIRGSEL is
 * set, the one kept over standby otherwise) and the AHB prescaler. The
 * other system clocks (HSI16, HSE, PLL) are not modelled: a switch to one
 * of them keeps the reset clock, MSI 4 MHz. */
static guint32
l5_hclk_hz(GlintSim *sim)
{
	guint32 range, hpre;
	if (l5_is_u5(sim)) {
		guint32 icscr1 = sim_plain_value(sim, U5_RCC_ICSCR1);
		if ((sim_plain_value(sim, U5_RCC_CFGR1) & RCC_CFGR_SW_MASK) != 0)
			return L5_MSI_RESET_HZ;
		range = (icscr1 & U5_RCC_ICSCR1_MSIRGSEL)
			    ? icscr1 >> U5_RCC_ICSCR1_MSISRANGE_SHIFT
			    : sim_plain_value(sim, U5_RCC_CSR) >> U5_RCC_CSR_MSISSRANGE_SHIFT;
		hpre = sim_plain_value(sim, U5_RCC_CFGR2) & 0xFu;
		return u5_msis_hz[range & 0xFu] / l5_hpre_div(hpre);
	} else {
		guint32 cr = sim_plain_value(sim, L5_RCC_CR);
		guint32 cfgr = sim_plain_value(sim, L5_RCC_CFGR);
		if ((cfgr & RCC_CFGR_SW_MASK) != 0)
			return L5_MSI_RESET_HZ;
		range = (cr & L5_RCC_CR_MSIRGSEL)
			    ? cr >> L5_RCC_CR_MSIRANGE_SHIFT
			    : sim_plain_value(sim, L5_RCC_CSR) >> L5_RCC_CSR_MSISRANGE_SHIFT;
		hpre = (cfgr >> L5_RCC_CFGR_HPRE_SHIFT) & 0xFu;
		return l5_msi_hz[range & 0xFu] / l5_hpre_div(hpre);
	}
}

/* RCC: plain storage, except that each oscillator's ready flag follows its
 * enable at once (the microseconds MSI takes to settle are below what a
 * host observes) and that the core's clock follows every write. */
static gboolean
l5_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	gboolean ok;
	if (offset == 0 && size == 4) {
		if (p->base == U5_RCC_BASE) {
			value &= ~(U5_RCC_CR_MSISRDY | U5_RCC_CR_MSIKRDY);
			if (value & U5_RCC_CR_MSISON)
				value |= U5_RCC_CR_MSISRDY;
			if (value & U5_RCC_CR_MSIKON)
				value |= U5_RCC_CR_MSIKRDY;
		} else {
			value &= ~L5_RCC_CR_MSIRDY;
			if (value & L5_RCC_CR_MSION)
				value |= L5_RCC_CR_MSIRDY;
		}
	}
	ok = sim_plain_write(sim, p, who, offset, size, value);
	sim_cpu_clock_changed(sim);
	return ok;
}

/* DS12736 / DS13737 (BOR thresholds, falling edge) */
static guint
l5_bor_threshold_mv(GlintSim *sim)
{
	static const guint levels[] = {1700, 2000, 2200, 2500, 2800};
	guint lev = (l5_state(sim)->ob[L5_OPT_OPTR] >> FLASH_OPTR_BOR_LEV_SHIFT) & 7u;
	return levels[MIN(lev, G_N_ELEMENTS(levels) - 1)];
}

static void
l5_store16(guint8 *p, guint16 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
}

/* Engineering bytes: unique ID, package and flash size (RM0438 48.1-48.3) */
static void
l5_fill_info(GlintSim *sim)
{
	const L5Config *cfg = l5_cfg(sim);
	guint8 *info = L5_MEM(sim, L5_REGION_INFO);
	memset(info, 0xFF, L5_INFO_SIZE);
	sim_unique_id(sim, info + (cfg->uid_addr - L5_INFO_BASE));
	l5_store16(info + (L5_PACKAGE_ADDR - L5_INFO_BASE), cfg->package);
	l5_store16(info + (cfg->flashsize_addr - L5_INFO_BASE), (guint16)sim->flash_kb);
}

/* Tables ------------------------------------------------------------------------- */

#define FLASH_FLAGS                                                                                \
	(SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE |                  \
	 SIM_REGION_EXEC | SIM_REGION_MACHINE_MAPPED)
#define RAM_FLAGS (SIM_REGION_WRITABLE | SIM_REGION_EXEC)
#define OTP_FLAGS (SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE)
#define OFF_BUS_FLAGS (SIM_REGION_NONVOLATILE | SIM_REGION_MACHINE_MAPPED)

#define L5_COMMON_REGIONS(sram_size, sysmem_size)                                                  \
	[L5_REGION_FLASH] = {"flash", SIM_REGION_FLASH, L5_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},      \
	[L5_REGION_SRAM] = {"sram", SIM_REGION_SRAM, L5_SRAM_BASE, (sram_size), RAM_FLAGS, 0},     \
	[L5_REGION_SYSMEM] = {"sysmem",	     SIM_REGION_SYSMEM, L5_SYSMEM_BASE,                    \
			      (sysmem_size), SIM_REGION_EXEC,	0xFF},                             \
	[L5_REGION_OTP] = {"otp", SIM_REGION_OTP, L5_OTP_BASE, L5_OTP_SIZE, OTP_FLAGS, 0xFF},      \
	[L5_REGION_INFO] = {"info", SIM_REGION_INFO, L5_INFO_BASE, L5_INFO_SIZE, 0, 0xFF},         \
	[L5_REGION_OPTSTORE] = {"options",	  SIM_REGION_OPTIONS, L5_OPTSTORE_BASE,            \
				L5_OPTSTORE_SIZE, OFF_BUS_FLAGS,      0xFF}

static const SimRegion l552_regions[] = {
    L5_COMMON_REGIONS(256u * 1024u, 32u * 1024u),
};

static const SimRegion u575_regions[] = {
    L5_COMMON_REGIONS(768u * 1024u, 64u * 1024u),
    [L5_REGION_SRAM4] = {"sram4", SIM_REGION_SRAM, U5_SRAM4_BASE, U5_SRAM4_SIZE, RAM_FLAGS, 0},
};

/* The secure alias of the SRAM (RM0438 2.3) */
static const SimAlias l552_aliases[] = {
    {L5_SRAM_S_BASE, 256u * 1024u, L5_SRAM_BASE},
};
static const SimAlias u575_aliases[] = {
    {L5_SRAM_S_BASE, 768u * 1024u, L5_SRAM_BASE},
};

/* The flash interface answers at both addresses: the config says which */
static const gboolean l5_flash_ns_side = FALSE;
static const gboolean l5_flash_s_side = TRUE;

static const guint32 l5_dbgmcu_registers[] = {DBGMCU_CR, DBGMCU_APB1FZR1, DBGMCU_APB1FZR2,
					      DBGMCU_APB2FZR};
static const SimDbgmcuConfig l5_dbgmcu = {l5_dbgmcu_registers, G_N_ELEMENTS(l5_dbgmcu_registers)};

/* PA13/PA14 (and PA15, PB3, PB4) belong to the debug port at reset
 * (RM0438 8.4.1) */
static const SimGpioConfig l552_gpio = {
    .n_ports = 8,
    .moder_reset = {0xABFFFFFFu, 0xFFFFFEBFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
		    0xFFFFFFFFu, 0xFFFFFFFFu},
    .pupdr_reset = {0x64000000u, 0x00000100u},
};
static const SimGpioConfig u575_gpio = {
    .n_ports = 9,
    .moder_reset = {0xABFFFFFFu, 0xFFFFFEBFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
		    0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu},
    .pupdr_reset = {0x64000000u, 0x00000100u},
};

#define PLAIN(name, base)                                                                          \
	{                                                                                          \
		name, base, L5_PERIPH_BLOCK, 0, sim_plain_read, sim_plain_write                    \
	}
#define L5_FLASH_PERIPHS                                                                           \
	{"FLASH",	  L5_FLASH_R_BASE, L5_FLASH_R_SIZE,  0,                                    \
	 l5_flash_read,	  l5_flash_write,  l5_flash_reset,   NULL,                                 \
	 l5_flash_is_w1c, l5_flash_poke,   &l5_flash_ns_side},                                     \
	{                                                                                          \
		"FLASH (secure)", L5_FLASH_R_BASE + L5_PERIPH_S_OFFSET, L5_FLASH_R_SIZE, 0,        \
		    l5_flash_read, l5_flash_write, NULL, NULL, l5_flash_is_w1c, NULL,              \
		    &l5_flash_s_side                                                               \
	}
#define L5_COMMON_PERIPHS                                                                          \
	{"CRC",	       L5_CRC_BASE,   L5_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES,                      \
	 sim_crc_read, sim_crc_write, sim_crc_reset},                                              \
	    PLAIN("WWDG", L5_WWDG_BASE), PLAIN("IWDG", L5_IWDG_BASE),                              \
	{                                                                                          \
		"DBGMCU", L5_DBGMCU_BASE, L5_DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write,    \
		    NULL, sim_dbgmcu_power_on, .config = &l5_dbgmcu                                \
	}

static const SimPeriph l552_periphs[] = {
    L5_FLASH_PERIPHS,
    L5_COMMON_PERIPHS,
    {"RCC", L5_RCC_BASE, L5_PERIPH_BLOCK, 0, sim_plain_read, l5_rcc_write},
    PLAIN("PWR", L5_PWR_BASE),
    {"GPIO", L5_GPIO_BASE, 8 * GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write, sim_gpio_reset,
     .config = &l552_gpio},
};

static const SimPeriph u575_periphs[] = {
    L5_FLASH_PERIPHS,
    L5_COMMON_PERIPHS,
    {"RCC", U5_RCC_BASE, L5_PERIPH_BLOCK, 0, sim_plain_read, l5_rcc_write},
    PLAIN("PWR", U5_PWR_BASE),
    {"GPIO", L5_GPIO_BASE, 9 * GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write, sim_gpio_reset,
     .config = &u575_gpio},
};

/* The rest of the chip as a debugger sees it (RM0438 2.3 table 4, RM0456
 * 2.3 table 3): the blocks the emulator models, with the RCC bits that
 * clock the CRC unit and the GPIO ports, and the rest of each bus as
 * blocks that read their reset values (0) and ignore writes. Both the
 * non-secure and the secure address of each. */
#define KB 1024u
#define CLOCKED(name, base, size)                                                                  \
	{                                                                                          \
		name, base, size, 0, 0                                                             \
	}
#define GATED(name, base, size, reg, bit)                                                          \
	{                                                                                          \
		name, base, size, reg, 1u << (bit)                                                 \
	}
#define L5_BLOCKS(S, rcc_ahb1enr, rcc_ahb2enr1, n_gpio)                                            \
	CLOCKED("APB1, APB2, AHB1 (not modelled)", 0x40000000u + (S), 0x23000u),                   \
	    GATED("CRC", L5_CRC_BASE + (S), KB, rcc_ahb1enr, RCC_AHB1ENR_CRCEN_BIT),               \
	    CLOCKED("AHB1 (not modelled)", 0x40023400u + (S), L5_GPIO_BASE - 0x40023400u),         \
	    GATED("GPIOA", L5_GPIO_BASE + (S), KB, rcc_ahb2enr1, 0),                               \
	    GATED("GPIOB", L5_GPIO_BASE + 0x400u + (S), KB, rcc_ahb2enr1, 1),                      \
	    GATED("GPIOC", L5_GPIO_BASE + 0x800u + (S), KB, rcc_ahb2enr1, 2),                      \
	    GATED("GPIOD", L5_GPIO_BASE + 0xC00u + (S), KB, rcc_ahb2enr1, 3),                      \
	    GATED("GPIOE", L5_GPIO_BASE + 0x1000u + (S), KB, rcc_ahb2enr1, 4),                     \
	    GATED("GPIOF", L5_GPIO_BASE + 0x1400u + (S), KB, rcc_ahb2enr1, 5),                     \
	    GATED("GPIOG", L5_GPIO_BASE + 0x1800u + (S), KB, rcc_ahb2enr1, 6),                     \
	    GATED("GPIOH", L5_GPIO_BASE + 0x1C00u + (S), KB, rcc_ahb2enr1, 7),                     \
	    CLOCKED("AHB2, AHB3 (not modelled)", L5_GPIO_BASE + (n_gpio)*KB + (S),                 \
		    0x50000000u - (L5_GPIO_BASE + (n_gpio)*KB))

static const SimBusBlock l552_blocks[] = {
    L5_BLOCKS(0, L5_RCC_AHB1ENR, L5_RCC_AHB2ENR1, 8),
    L5_BLOCKS(L5_PERIPH_S_OFFSET, L5_RCC_AHB1ENR, L5_RCC_AHB2ENR1, 8),
};

static const SimBusBlock u575_blocks[] = {
    L5_BLOCKS(0, U5_RCC_AHB1ENR, U5_RCC_AHB2ENR1, 9),
    GATED("GPIOI", L5_GPIO_BASE + 0x2000u, KB, U5_RCC_AHB2ENR1, 8),
    L5_BLOCKS(L5_PERIPH_S_OFFSET, U5_RCC_AHB1ENR, U5_RCC_AHB2ENR1, 9),
    GATED("GPIOI", L5_GPIO_BASE + 0x2000u + L5_PERIPH_S_OFFSET, KB, U5_RCC_AHB2ENR1, 8),
};

#define RESET(addr, value)                                                                         \
	{                                                                                          \
		addr, value, 0, 0                                                                  \
	}
#define WRITE_ONLY(addr)                                                                           \
	{                                                                                          \
		addr, 0, 0, SIM_REG_WRITE_ONLY                                                     \
	}
#define STATUS(addr, value)                                                                        \
	{                                                                                          \
		addr, value, 0xFFFFFFFFu, 0                                                        \
	}

/* The registers a programmer touches: the RCC enables, the reset status
 * register after a power-on (BORRSTF, PINRSTF), the flash interface's
 * reset values, the DBGMCU's */
static const SimRegReset l552_registers[] = {
    RESET(L5_RCC_AHB1ENR, 0x00000100u), /* FLASHEN */
    RESET(L5_RCC_AHB2ENR1, 0x00000000u),
    RESET(L5_RCC_CSR, 0x0C000600u),
    RESET(L5_RCC_CR, L5_RCC_CR_RESET),
    RESET(L5_FLASH_R_BASE + FLASH_ACR, 0x00000000u),
    WRITE_ONLY(L5_FLASH_R_BASE + FLASH_NSKEYR),
    WRITE_ONLY(L5_FLASH_R_BASE + FLASH_SECKEYR),
    WRITE_ONLY(L5_FLASH_R_BASE + FLASH_OPTKEYR),
    STATUS(L5_FLASH_R_BASE + FLASH_NSSR, 0x00000000u),
    RESET(L5_FLASH_R_BASE + FLASH_NSCR, FLASH_NSCR_RESET),
    RESET(L5_FLASH_R_BASE + FLASH_OPTR, L5_OPTR_FACTORY),
    {L5_DBGMCU_BASE + DBGMCU_CR, 0, 0, SIM_REG_KEPT_OVER_RESET},
    {L5_DBGMCU_BASE + DBGMCU_APB1FZR1, 0, 0, SIM_REG_KEPT_OVER_RESET},
};

static const SimRegReset u575_registers[] = {
    RESET(U5_RCC_AHB1ENR, 0xD0000100u), /* SRAM1EN, DCACHE1EN, FLASHEN */
    RESET(U5_RCC_AHB2ENR1, 0x00000000u),
    RESET(U5_RCC_CSR, 0x0C004400u),
    RESET(U5_RCC_CR, U5_RCC_CR_RESET),
    RESET(U5_RCC_ICSCR1, U5_RCC_ICSCR1_RESET),
    RESET(L5_FLASH_R_BASE + FLASH_ACR, 0x00000000u),
    WRITE_ONLY(L5_FLASH_R_BASE + FLASH_NSKEYR),
    WRITE_ONLY(L5_FLASH_R_BASE + FLASH_SECKEYR),
    WRITE_ONLY(L5_FLASH_R_BASE + FLASH_OPTKEYR),
    STATUS(L5_FLASH_R_BASE + FLASH_NSSR, 0x00000000u),
    RESET(L5_FLASH_R_BASE + FLASH_NSCR, FLASH_NSCR_RESET),
    RESET(L5_FLASH_R_BASE + FLASH_OPTR, U5_OPTR_FACTORY),
    {L5_DBGMCU_BASE + DBGMCU_CR, 0, 0, SIM_REG_KEPT_OVER_RESET},
    {L5_DBGMCU_BASE + DBGMCU_APB1FZR1, 0, 0, SIM_REG_KEPT_OVER_RESET},
};

/* Every system reset drives NRST low (RM0438 9.3.2): PINRSTF comes with
 * each source's own flag */
#define L5_RESET_FLAGS(csr)                                                                        \
	{                                                                                          \
		.reg = (csr), .mask = RCC_CSR_FLAGS, .remove = RCC_CSR_RMVF,                       \
		.set = {                                                                           \
		    [SIM_RESET_POWER_ON] = RCC_CSR_BORRSTF | RCC_CSR_PINRSTF,                      \
		    [SIM_RESET_PIN] = RCC_CSR_PINRSTF,                                             \
		    [SIM_RESET_SOFTWARE] = RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF,                      \
		    [SIM_RESET_IWDG] = RCC_CSR_IWDGRSTF | RCC_CSR_PINRSTF,                         \
		    [SIM_RESET_WWDG] = RCC_CSR_WWDGRSTF | RCC_CSR_PINRSTF,                         \
		    [SIM_RESET_OPTION_LOAD] = RCC_CSR_OBLRSTF | RCC_CSR_PINRSTF,                   \
		    [SIM_RESET_LOW_POWER] = RCC_CSR_LPWRRSTF | RCC_CSR_PINRSTF,                    \
		},                                                                                 \
	}

static const SimPeriphMap l552_periph_map = {
    .blocks = l552_blocks,
    .n_blocks = G_N_ELEMENTS(l552_blocks),
    .registers = l552_registers,
    .n_registers = G_N_ELEMENTS(l552_registers),
    .reset_flags = L5_RESET_FLAGS(L5_RCC_CSR),
};

static const SimPeriphMap u575_periph_map = {
    .blocks = u575_blocks,
    .n_blocks = G_N_ELEMENTS(u575_blocks),
    .registers = u575_registers,
    .n_registers = G_N_ELEMENTS(u575_registers),
    .reset_flags = L5_RESET_FLAGS(U5_RCC_CSR),
};

static const SimMachineOps l5_ops = {
    .state_new = l5_state_new,
    .state_free = g_free,
    .map_key = l5_map_key,
    .map_windows = l5_map_windows,
    .power_on = l5_power_on,
    .boot_address = l5_boot_address,
    .hclk_hz = l5_hclk_hz,
    .bor_threshold_mv = l5_bor_threshold_mv,
    .fill_info = l5_fill_info,
    .mem_write = l5_flash_mem_write,
    .wait_busy = l5_flash_stall,
    .debug_blocked = l5_debug_blocked,
    .debug_access_ignored = l5_debug_access_ignored,
    .debug_port_locked = l5_debug_port_locked,
    .core_blocked = l5_core_blocked,
    .refused_write = l5_flash_refused_write,
    .power_fail = l5_flash_power_fail,
    .flash_limit = l5_flash_limit,
    .factory = l5_scenario_factory,
    .protect_first_unit = l5_scenario_protect_first_unit,
    .set_rdp_level1 = l5_scenario_set_rdp_level1,
    .leave_stale_flags = l5_scenario_leave_stale_flags,
};

/* SysTick's external clock is HCLK / 8 (RM0438 9.2) */
#define L5_SYSTICK_EXT_DIV 8u

/* The SWO pin: PB3 in AF0 (its reset state), given to the TPIU by
 * DBGMCU_CR with TRACE_IOEN and TRACE_EN set and TRACE_MODE 00 */
static const SimSwoPin l5_swo_pin = {L5_DBGMCU_BASE + DBGMCU_CR,
				     DBGMCU_CR_TRACE_IOEN | DBGMCU_CR_TRACE_EN,
				     DBGMCU_CR_TRACE_MODE, SIM_LED('B', 3)};

/* The demo scenario's LED ports: GPIOA at 0x42020000 on both, clocked from
 * RCC_AHB2ENR(1) bit N for port N (RM0438 9.8.16, RM0456 11.8.31) */
static const SimGpioPorts l552_gpio_ports = {L5_GPIO_BASE, L5_RCC_AHB2ENR1, 0,
					     SIM_GPIO_STYLE_MODER};
static const SimGpioPorts u575_gpio_ports = {L5_GPIO_BASE, U5_RCC_AHB2ENR1, 0,
					     SIM_GPIO_STYLE_MODER};

#define L5_MACHINE(var, family_, regions_, n_regions_, aliases_, periphs_, map_, irqs, config_,    \
		   gpio_)                                                                          \
	const L5Machine var = {                                                                    \
	    {                                                                                      \
		.name = "l5",                                                                      \
		.family = family_,                                                                 \
		.core = SIM_CORE_CORTEX_M33,                                                       \
		.regions = regions_,                                                               \
		.n_regions = n_regions_,                                                           \
		.aliases = aliases_,                                                               \
		.n_aliases = G_N_ELEMENTS(aliases_),                                               \
		.periphs = periphs_,                                                               \
		.n_periphs = G_N_ELEMENTS(periphs_),                                               \
		.systick_ext_div = L5_SYSTICK_EXT_DIV,                                             \
		.vector_count = 16u + (irqs),                                                      \
		.scenario_texts = l5_scenario_texts,                                               \
		.ops = &l5_ops,                                                                    \
		.periph_map = &map_,                                                               \
		.swo_pin = &l5_swo_pin,                                                            \
		.gpio_ports = &gpio_,                                                              \
	    },                                                                                     \
	    &config_,                                                                              \
	}

/* Vector tables: 16 system entries + 109 (STM32L552, RM0438 table 57) or
 * 141 (STM32U575, RM0456 table 161) interrupts (recalled) */
L5_MACHINE(sim_l552_machine, "STM32L552/L562", l552_regions, L5_REGION_SRAM4, l552_aliases,
	   l552_periphs, l552_periph_map, 109u, l552_config, l552_gpio_ports);
L5_MACHINE(sim_u575_machine, "STM32U575/U585", u575_regions, G_N_ELEMENTS(u575_regions),
	   u575_aliases, u575_periphs, u575_periph_map, 141u, u575_config, u575_gpio_ports);
