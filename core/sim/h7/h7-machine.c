/* h7-machine.c: the STM32H7 machines (RM0433, RM0455, RM0468): their
 * memory regions and peripherals, the flash windows that SWAP_BANK
 * exchanges, the boot address from BOOT_ADD0, and the operations the
 * framework calls. The flash controller is h7-flash.c, the option bytes
 * h7-options.c, the boards and scenarios h7-boards.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "h7-machine.h"

/* RM0433 4.9.4/4.9.5: FW 6, START 7, SNB [10:8], PSIZE [5:4] */
static const H7Config h74x_config = {
    .sector_size = 128u * 1024u,
    .word_size = 32,
    .cr_fw = 1u << 6,
    .cr_start = 1u << 7,
    .cr_snb_shift = 8,
    .cr_snb_mask = 0x7u << 8,
    .cr_psize_mask = 3u << 4,
    .sr_errors = FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | FLASH_SR_INCERR |
		 FLASH_SR_OPERR | FLASH_SR_RDPERR | FLASH_SR_RDSERR | FLASH_SR_SNECCERR |
		 FLASH_SR_DBECCERR,
    .ecc_fa_mask = 0x7FFF,
    .wpsn_bits = 8,
    .sectors_per_wpsn_bit = 1,
    .optsr_factory = H74X_OPTSR_FACTORY,
    .uid_addr = H7_UID_ADDR,
    .flashsize_addr = H7_FLASHSIZE_ADDR,
    .info_base = H7_INFO_BASE,
    .word_ns = H74X_WORD_NS,
    .sector_erase_ns = H74X_SECTOR_ERASE_NS,
    .bank_erase_ns = H74X_BANK_ERASE_NS,
    .max_hclk_hz = H74X_MAX_HCLK_HZ,
};

/* RM0455 4.9.4/4.9.5: FW 4, START 5, SSN [12:6], no PSIZE, no OPERR */
static const H7Config h7ax_config = {
    .sector_size = 8u * 1024u,
    .word_size = 16,
    .cr_fw = 1u << 4,
    .cr_start = 1u << 5,
    .cr_snb_shift = 6,
    .cr_snb_mask = 0x7Fu << 6,
    .cr_psize_mask = 0,
    .sr_errors = FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | FLASH_SR_INCERR |
		 FLASH_SR_RDPERR | FLASH_SR_RDSERR | FLASH_SR_SNECCERR | FLASH_SR_DBECCERR |
		 FLASH_SR_CRCRDERR,
    .ecc_fa_mask = 0xFFFF,
    .wpsn_bits = 32,
    .sectors_per_wpsn_bit = 4,
    .optsr_factory = H7AX_OPTSR_FACTORY,
    .uid_addr = H7AX_UID_ADDR,
    .flashsize_addr = H7AX_FLASHSIZE_ADDR,
    .info_base = H7AX_INFO_BASE,
    .word_ns = H7AX_WORD_NS,
    .sector_erase_ns = H7AX_SECTOR_ERASE_NS,
    .bank_erase_ns = H7AX_BANK_ERASE_NS,
    .max_hclk_hz = H7AX_MAX_HCLK_HZ,
};

/* RM0468: as the H74x, one bank, OPTSR2 */
static const H7Config h72x_config = {
    .sector_size = 128u * 1024u,
    .word_size = 32,
    .cr_fw = 1u << 6,
    .cr_start = 1u << 7,
    .cr_snb_shift = 8,
    .cr_snb_mask = 0x7u << 8,
    .cr_psize_mask = 3u << 4,
    .sr_errors = FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | FLASH_SR_INCERR |
		 FLASH_SR_OPERR | FLASH_SR_RDPERR | FLASH_SR_RDSERR | FLASH_SR_SNECCERR |
		 FLASH_SR_DBECCERR | FLASH_SR_CRCRDERR,
    .ecc_fa_mask = 0x7FFF,
    .always_single = TRUE,
    .wpsn_bits = 8,
    .sectors_per_wpsn_bit = 1,
    .has_optsr2 = TRUE,
    .optsr_factory = H72X_OPTSR_FACTORY,
    .uid_addr = H7_UID_ADDR,
    .flashsize_addr = H7_FLASHSIZE_ADDR,
    .info_base = H7_INFO_BASE,
    .word_ns = H74X_WORD_NS,
    .sector_erase_ns = H74X_SECTOR_ERASE_NS,
    .bank_erase_ns = H74X_BANK_ERASE_NS,
    .max_hclk_hz = H72X_MAX_HCLK_HZ,
};

const H7Config *
h7_config(GlintSim *sim)
{
	if (sim->machine == &sim_h7ax_machine)
		return &h7ax_config;
	if (sim->machine == &sim_h72x_machine)
		return &h72x_config;
	return &h74x_config;
}

gboolean
h7_dual(GlintSim *sim)
{
	/* RM0433 4.3.1: 128 KB parts (H750, H7B0) and the H72x are one bank */
	return !h7_config(sim)->always_single && sim->flash_kb > 128;
}

guint32
h7_bank_size(GlintSim *sim)
{
	return h7_dual(sim) ? sim->flash_kb * 512u : sim->flash_kb * 1024u;
}

guint32
h7_bank_offset(GlintSim *sim, guint bank)
{
	return bank > 0 ? h7_bank_size(sim) : 0;
}

gboolean
h7_locate(GlintSim *sim, guint32 addr, guint *bank, guint32 *offset)
{
	guint8 *p = sim_flash_ptr(sim, addr, 1);
	guint32 off;
	if (p == NULL)
		return FALSE;
	off = (guint32)(p - H7_MEM(sim, H7_REGION_FLASH));
	*bank = off >= h7_bank_size(sim) ? 1 : 0;
	*offset = off - h7_bank_offset(sim, *bank);
	return TRUE;
}

#define FLASH_FLAGS                                                                                \
	(SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY | SIM_REGION_NONVOLATILE |                  \
	 SIM_REGION_EXEC | SIM_REGION_MACHINE_MAPPED)
#define RAM_FLAGS (SIM_REGION_WRITABLE | SIM_REGION_EXEC)
#define OFF_BUS_FLAGS (SIM_REGION_NONVOLATILE | SIM_REGION_MACHINE_MAPPED)

/* Memory maps: the DTCM first (generated firmware puts its stack at the
 * top of the first SRAM region, as the H7 linker scripts do) */
static const SimRegion h74x_regions[] = {
    [H7_REGION_FLASH] = {"flash", SIM_REGION_FLASH, H7_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},
    [H7_REGION_DTCM] = {"dtcm", SIM_REGION_SRAM, H7_DTCM_BASE, H7_DTCM_SIZE, RAM_FLAGS, 0},
    [H7_REGION_AXI] = {"axi-sram", SIM_REGION_SRAM, H7_AXI_BASE, 512u * 1024u, RAM_FLAGS, 0},
    [H7_REGION_ITCM] = {"itcm", SIM_REGION_SRAM, H7_ITCM_BASE, H7_ITCM_SIZE, RAM_FLAGS, 0},
    [H7_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, H7_SYSMEM_BASE, 0x1E000u, SIM_REGION_EXEC,
			  0xFF},
    [H7_REGION_INFO] = {"info", SIM_REGION_INFO, H7_INFO_BASE, H7_INFO_SIZE, 0, 0xFF},
    [H7_REGION_OPTSTORE] = {"options", SIM_REGION_OPTIONS, H7_OPTSTORE_BASE, H7_OPTSTORE_SIZE,
			    OFF_BUS_FLAGS, 0xFF},
    [H7_REGION_ECCMAP] = {"ecc", SIM_REGION_OPTIONS, H7_ECCMAP_BASE, H7_ECCMAP_SIZE, OFF_BUS_FLAGS,
			  0x00},
    [H7_REGION_AHB_SRAM] = {"sram1-3", SIM_REGION_SRAM, H7_AHB_SRAM_BASE, 288u * 1024u, RAM_FLAGS,
			    0},
    [H7_REGION_SRD_SRAM] = {"sram4", SIM_REGION_SRAM, H7_SRD_SRAM_BASE, 64u * 1024u,
			    SIM_REGION_WRITABLE, 0},
};

static const SimRegion h7ax_regions[] = {
    [H7_REGION_FLASH] = {"flash", SIM_REGION_FLASH, H7_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},
    [H7_REGION_DTCM] = {"dtcm", SIM_REGION_SRAM, H7_DTCM_BASE, H7_DTCM_SIZE, RAM_FLAGS, 0},
    [H7_REGION_AXI] = {"axi-sram", SIM_REGION_SRAM, H7_AXI_BASE, 1024u * 1024u, RAM_FLAGS, 0},
    [H7_REGION_ITCM] = {"itcm", SIM_REGION_SRAM, H7_ITCM_BASE, H7_ITCM_SIZE, RAM_FLAGS, 0},
    [H7_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, H7_SYSMEM_BASE, 0x10000u, SIM_REGION_EXEC,
			  0xFF},
    [H7_REGION_INFO] = {"info", SIM_REGION_INFO, H7AX_INFO_BASE, H7AX_INFO_SIZE, 0, 0xFF},
    [H7_REGION_OPTSTORE] = {"options", SIM_REGION_OPTIONS, H7_OPTSTORE_BASE, H7_OPTSTORE_SIZE,
			    OFF_BUS_FLAGS, 0xFF},
    [H7_REGION_ECCMAP] = {"ecc", SIM_REGION_OPTIONS, H7_ECCMAP_BASE, H7_ECCMAP_SIZE, OFF_BUS_FLAGS,
			  0x00},
    [H7_REGION_AHB_SRAM] = {"ahb-sram", SIM_REGION_SRAM, H7_AHB_SRAM_BASE, 128u * 1024u, RAM_FLAGS,
			    0},
    [H7_REGION_SRD_SRAM] = {"srd-sram", SIM_REGION_SRAM, H7_SRD_SRAM_BASE, 32u * 1024u,
			    SIM_REGION_WRITABLE, 0},
};

static const SimRegion h72x_regions[] = {
    [H7_REGION_FLASH] = {"flash", SIM_REGION_FLASH, H7_FLASH_BASE, 0, FLASH_FLAGS, 0xFF},
    [H7_REGION_DTCM] = {"dtcm", SIM_REGION_SRAM, H7_DTCM_BASE, H7_DTCM_SIZE, RAM_FLAGS, 0},
    [H7_REGION_AXI] = {"axi-sram", SIM_REGION_SRAM, H7_AXI_BASE, 320u * 1024u, RAM_FLAGS, 0},
    [H7_REGION_ITCM] = {"itcm", SIM_REGION_SRAM, H7_ITCM_BASE, H7_ITCM_SIZE, RAM_FLAGS, 0},
    [H7_REGION_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, H7_SYSMEM_BASE, 0x1E000u, SIM_REGION_EXEC,
			  0xFF},
    [H7_REGION_INFO] = {"info", SIM_REGION_INFO, H7_INFO_BASE, H7_INFO_SIZE, 0, 0xFF},
    [H7_REGION_OPTSTORE] = {"options", SIM_REGION_OPTIONS, H7_OPTSTORE_BASE, H7_OPTSTORE_SIZE,
			    OFF_BUS_FLAGS, 0xFF},
    [H7_REGION_ECCMAP] = {"ecc", SIM_REGION_OPTIONS, H7_ECCMAP_BASE, H7_ECCMAP_SIZE, OFF_BUS_FLAGS,
			  0x00},
    [H7_REGION_AHB_SRAM] = {"sram1-2", SIM_REGION_SRAM, H7_AHB_SRAM_BASE, 32u * 1024u, RAM_FLAGS,
			    0},
    [H7_REGION_SRD_SRAM] = {"sram4", SIM_REGION_SRAM, H7_SRD_SRAM_BASE, 16u * 1024u,
			    SIM_REGION_WRITABLE, 0},
};

static guint32
h7_map_key(GlintSim *sim)
{
	return h7_state(sim)->swap ? 1u : 0u;
}

/* RM0433 4.3.13: SWAP_BANK exchanges the two 1 MB windows; there is no
 * boot alias at 0 (the ITCM is there, the core boots from BOOT_ADD0) */
static void
h7_map_windows(GlintSim *sim, SimMap *map)
{
	guint32 half = h7_bank_size(sim);
	if (!h7_dual(sim)) {
		sim_map_add(map, H7_FLASH_BASE, sim->flash_kb * 1024u, H7_REGION_FLASH, 0);
		return;
	}
	sim_map_add(map, H7_FLASH_BASE, half, H7_REGION_FLASH, h7_state(sim)->swap ? half : 0);
	sim_map_add(map, H7_BANK2_BASE, half, H7_REGION_FLASH, h7_state(sim)->swap ? 0 : half);
}

static guint32
h7_boot_address(GlintSim *sim)
{
	/* BOOT0 pin low on a NUCLEO: BOOT_ADD0 holds address bits 31:16 */
	return (h7_state(sim)->cur.boot & 0xFFFFu) << 16;
}

static guint32
h7_hclk_hz(GlintSim *sim)
{
	return H7_HSI_HZ;
}

/* RM0433 6.6.2 (BOR_LEV thresholds, falling edge; level 0 is VBOR0) */
static guint
h7_bor_threshold_mv(GlintSim *sim)
{
	static const guint levels[] = {1620, 2030, 2330, 2630};
	guint lev =
	    (h7_state(sim)->cur.optsr & FLASH_OPTSR_BOR_LEV_MASK) >> FLASH_OPTSR_BOR_LEV_SHIFT;
	return levels[lev & 3u];
}

static gpointer
h7_state_new(GlintSim *sim)
{
	return g_new0(H7State, 1);
}

static void
h7_power_on(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	for (guint b = 0; b < 2; b++) {
		st->bank[b].sr = 0;
		st->bank[b].ecc_fa = 0;
		st->bank[b].busy_until = 0;
	}
	st->opt_busy_until = 0;
	h7_options_load(sim);
}

/* What the boot loads at every system reset: the bank mapping (RM0433
 * 4.3.13: SWAP_BANK follows SWAP_BANK_OPT only from the next reset) */
static void
h7_system_reset(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	st->swap = h7_dual(sim) && (st->cur.optsr & FLASH_OPTSR_SWAP_BANK_OPT) != 0;
}

static gboolean
h7_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	/* RM0433 4.5.2: RDP level 1 with a debugger: no flash access */
	return hit->info->kind == SIM_REGION_FLASH && h7_options_rdp_protected(sim);
}

static gboolean
h7_debug_port_locked(GlintSim *sim)
{
	return h7_options_rdp(sim) == OPTSR_RDP_LEVEL2;
}

static void
h7_store16(guint8 *p, guint16 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
}

static void
h7_fill_info(GlintSim *sim)
{
	const H7Config *cfg = h7_config(sim);
	guint8 *info = H7_MEM(sim, H7_REGION_INFO);
	memset(info, 0xFF, sim->mem_size[H7_REGION_INFO]);
	sim_unique_id(sim, info + (cfg->uid_addr - cfg->info_base));
	h7_store16(info + (cfg->flashsize_addr - cfg->info_base), (guint16)sim->flash_kb);
}

static const SimGpioConfig h7_gpio = {
    .n_ports = H7_GPIO_PORTS,
    .moder_reset = {0xABFFFFFFu, 0xFFFFFEBFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
		    0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu},
    .pupdr_reset = {0x64000000u, 0x00000100u},
};

static const guint32 h7_dbgmcu_registers[] = {DBGMCU_CR, DBGMCU_APB3FZ1, DBGMCU_APB1LFZ1,
					      DBGMCU_APB2FZ1, DBGMCU_APB4FZ1};
static const SimDbgmcuConfig h7_dbgmcu = {h7_dbgmcu_registers, G_N_ELEMENTS(h7_dbgmcu_registers)};

#define H7_PLAIN(name, base, size)                                                                 \
	{                                                                                          \
		name, base, size, 0, sim_plain_read, sim_plain_write                               \
	}

/* What answers on the bus besides memory */
static const SimPeriph h7_periphs[] = {
    {"FLASH", H7_FLASH_R_BASE, H7_FLASH_R_SIZE, 0, h7_flash_read, h7_flash_write, h7_flash_reset,
     NULL, NULL, h7_flash_poke},
    {"CRC", H7_CRC_BASE, H7_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES, sim_crc_read, sim_crc_write,
     sim_crc_reset},
    {"GPIO", H7_GPIO_BASE, H7_GPIO_PORTS *GPIO_PORT_STRIDE, 0, sim_gpio_read, sim_gpio_write,
     sim_gpio_reset, .config = &h7_gpio},
    H7_PLAIN("RCC", H7_RCC_BASE, H7_PERIPH_BLOCK),
    H7_PLAIN("PWR", H7_PWR_BASE, H7_PERIPH_BLOCK),
    H7_PLAIN("SYSCFG", H7_SYSCFG_BASE, H7_PERIPH_BLOCK),
    H7_PLAIN("IWDG1", H7_IWDG1_BASE, H7_PERIPH_BLOCK),
    {"DBGMCU", H7_DBGMCU_BASE, H7_DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,
     sim_dbgmcu_power_on, .config = &h7_dbgmcu},
    {"SWO", H7_SWO_BASE, 0x1000u, 0, sim_swo_unit_read, sim_swo_unit_write},
    {"SWTF", H7_SWTF_BASE, 0x1000u, 0, sim_swo_funnel_read, sim_swo_funnel_write},
};

static const SimMachineOps h7_ops = {
    .state_new = h7_state_new,
    .state_free = g_free,
    .map_key = h7_map_key,
    .map_windows = h7_map_windows,
    .power_on = h7_power_on,
    .system_reset = h7_system_reset,
    .boot_address = h7_boot_address,
    .hclk_hz = h7_hclk_hz,
    .bor_threshold_mv = h7_bor_threshold_mv,
    .fill_info = h7_fill_info,
    .mem_write = h7_flash_mem_write,
    .wait_busy = h7_flash_stall,
    .debug_blocked = h7_debug_blocked,
    .debug_read_refused = h7_flash_debug_read_refused,
    .debug_port_locked = h7_debug_port_locked,
    .power_fail = h7_flash_power_fail,
    .flash_limit = h7_flash_limit,
    .factory = h7_scenario_factory,
    .protect_first_unit = h7_scenario_protect_first_unit,
    .set_rdp_level1 = h7_scenario_set_rdp_level1,
    .leave_stale_flags = h7_scenario_leave_stale_flags,
};

/* SysTick's external clock is HCLK / 8 (RM0433 8.5.6) */
#define H7_SYSTICK_EXT_DIV 8u

/* RM0433 60.4.1: the H7's SW-DP (DPv2) answers 0x6BA02477, which
 * OpenOCD's stm32h7x.cfg expects; CPUID: Cortex-M7 r1p1 on the H743 rev V,
 * r1p2 on the H7A3 and H723 */
#define H7_DP_IDCODE 0x6BA02477u

/* The SWO pin (PB3, AF0 at reset) carries what the debug domain's SWO unit
 * makes of what the SWTF funnel passes (RM0433 60.2): the trace clock and
 * the D1/D3 debug clocks on, the funnel's ITM port enabled, the SWO unit's
 * own prescaler and protocol (the core's TPIU at 0xE0040000 feeds no pin) */
static const SimSwoPin h7_swo_pin = {
    H7_DBGMCU_BASE + DBGMCU_CR, DBGMCU_CR_TRACECLKEN | DBGMCU_CR_D1DBGCKEN | DBGMCU_CR_D3DBGCKEN, 0,
    SIM_LED('B', 3)};
static const SimSwoUnit h7_swo_unit = {H7_SWO_BASE, H7_SWTF_BASE, SWTF_CTRL_ENS0};

/* The GPIO ports, for the demo scenario's LED */
static const SimGpioPorts h7_gpio_ports = {H7_GPIO_BASE, H7_RCC_BASE + H7_RCC_AHB4ENR, 0,
					   SIM_GPIO_STYLE_MODER};

#define H7_MACHINE(var, name_, family_, regions_, vectors, cpuid_)                                 \
	const SimMachine var = {                                                                   \
	    .name = name_,                                                                         \
	    .family = family_,                                                                     \
	    .core = SIM_CORE_CORTEX_M7,                                                            \
	    .dp_idcode = H7_DP_IDCODE,                                                             \
	    .cpuid = cpuid_,                                                                       \
	    .regions = regions_,                                                                   \
	    .n_regions = G_N_ELEMENTS(regions_),                                                   \
	    .periphs = h7_periphs,                                                                 \
	    .n_periphs = G_N_ELEMENTS(h7_periphs),                                                 \
	    .systick_ext_div = H7_SYSTICK_EXT_DIV,                                                 \
	    .vector_count = vectors,                                                               \
	    .scenario_texts = h7_scenario_texts,                                                   \
	    .ops = &h7_ops,                                                                        \
	    .swo_pin = &h7_swo_pin,                                                                \
	    .swo_unit = &h7_swo_unit,                                                              \
	    .gpio_ports = &h7_gpio_ports,                                                          \
	}

/* Vector tables: 16 system entries + 150 (H743), 155 (H7A3), 163 (H723)
 * interrupts */
H7_MACHINE(sim_h74x_machine, "h7", "STM32H74x/H75x", h74x_regions, 166, 0x411FC271u);
H7_MACHINE(sim_h7ax_machine, "h7", "STM32H7A3/H7B3/H7B0", h7ax_regions, 171, 0x411FC272u);
H7_MACHINE(sim_h72x_machine, "h7", "STM32H72x/H73x", h72x_regions, 179, 0x411FC272u);
