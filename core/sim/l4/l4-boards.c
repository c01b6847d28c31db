/* l4-boards.c: the STM32L4 boards, and what their scenarios put in the
 * chip: the factory option bytes, write protection, read protection, the
 * stale flags, and the L4's own trouble (a dual-bank boot with bank 2
 * empty). */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "l4-machine.h"

#include "l4-bootloader-blob.h"

static void
l4_put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

static guint32
l4_get32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* The offsets of the bootloader's parameter block (l4-bootloader.S) */
enum {
	L4_BL_OPTR = 0,
	L4_BL_BFB2 = 4,
	L4_BL_DUAL_MASK = 8,
	L4_BL_BANK2 = 12,
	L4_BL_RAM_A = 16,
	L4_BL_RAM_A_SIZE = 20,
	L4_BL_RAM_B = 24,
	L4_BL_RAM_B_SIZE = 28,
	L4_BL_MEMRMP = 32,
	L4_BL_SYSCFG_EN = 36,
	L4_BL_SYSCFG_EN_BIT = 40,
};

/* System memory as ST ships it: its dual-bank boot, with what it knows of
 * this chip (AN2606: the bank is valid when its stack pointer lies in
 * SRAM1 or SRAM2; its own stack in the first 12 KB of SRAM1) */
static void
l4_install_bootloader(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Geometry g;
	guint8 *sysmem = L4_MEM(sim, L4_REGION_SYSMEM);
	guint32 params;
	g_assert(sizeof(sim_l4_bootloader_blob) <= cfg->sysmem_size);
	/* the rest of the ROM: plausible code, never executed */
	sim_firmware_generate(sim, sysmem, cfg->sysmem_base, cfg->sysmem_size, 0xB007u);
	memcpy(sysmem, sim_l4_bootloader_blob, sizeof(sim_l4_bootloader_blob));
	l4_put32(sysmem, L4_BOOTLOADER_SP);
	l4_put32(sysmem + 4, cfg->sysmem_base + l4_get32(sysmem + 4));
	params = l4_get32(sysmem + 8);
	l4_put32(sysmem + params + L4_BL_OPTR, cfg->flash_regs + FLASH_OPTR);
	/* a chip without dual-bank boot: a BFB2 no OPTR bit can match */
	l4_put32(sysmem + params + L4_BL_BFB2, cfg->bfb2 ? FLASH_OPTR_BFB2 : 0);
	/* the largest L47x is always dual bank, the others follow their bit */
	l4_put32(sysmem + params + L4_BL_DUAL_MASK,
		 cfg->bank_rule == L4_BANKS_DUALBANK && sim->flash_kb == cfg->max_kb ? 0
		 : sim->flash_kb != cfg->max_kb && cfg->dual_mask_small != 0 ? cfg->dual_mask_small
									     : cfg->dual_mask);
	g.size = sim->flash_kb * 1024u;
	l4_put32(sysmem + params + L4_BL_BANK2,
		 L4_FLASH_BASE + (cfg->bank2_fixed != 0 ? cfg->bank2_fixed : g.size / 2));
	l4_put32(sysmem + params + L4_BL_RAM_A, cfg->sram1_base);
	l4_put32(sysmem + params + L4_BL_RAM_A_SIZE, cfg->sram1_size + cfg->sram2_size);
	l4_put32(sysmem + params + L4_BL_RAM_B, cfg->sram2_base);
	l4_put32(sysmem + params + L4_BL_RAM_B_SIZE, cfg->sram2_size);
	l4_put32(sysmem + params + L4_BL_MEMRMP, SYSCFG_BASE + SYSCFG_MEMRMP);
	l4_put32(sysmem + params + L4_BL_SYSCFG_EN, RCC_BASE + RCC_APB2ENR);
	l4_put32(sysmem + params + L4_BL_SYSCFG_EN_BIT, RCC_APB2ENR_SYSCFGEN);
}

/* Fills pages @first.. of main flash with code linked there (CPU2's) */
static void
l4_fill_pages(GlintSim *sim, guint first, guint last, guint32 seed)
{
	guint32 page = l4_cfg(sim)->page_size;
	guint8 *flash = L4_MEM(sim, L4_REGION_FLASH);
	sim_firmware_generate(sim, flash + first * page, L4_FLASH_BASE + first * page,
			      (last - first + 1) * page, seed);
}

/* CPU2's secure flash as ST ships it (WB): the FUS in the pages from SFSA.
 * The bytes are the emulator's (CPU2 does not run); what matters is that
 * they stay whatever CPU1 and the debugger do */
static void
l4_install_secure_code(GlintSim *sim)
{
	const L4OptWord *sfr = l4_opt_word(sim, FLASH_SFR);
	guint pages = sim->flash_kb * 1024u / l4_cfg(sim)->page_size;
	guint32 v;
	/* FLASH_SFR shares its offset with the G0's FLASH_SECR */
	if (l4_cfg(sim)->sfsa_mask == 0 || (sfr->factory & l4_cfg(sim)->fsd_bit))
		return;
	v = sfr->factory & l4_cfg(sim)->sfsa_mask;
	if (v < pages)
		l4_fill_pages(sim, v, pages - 1, 0xF05u);
}

/* RM0351 3.4.1: option bytes as shipped, bootloader in system memory */
void
l4_scenario_factory(GlintSim *sim)
{
	l4_options_store_factory(sim);
	l4_install_bootloader(sim);
	l4_install_secure_code(sim);
}

/* WRP1A_STRT = 0, WRP1A_END = 15: the first 32 KB of bank 1 (64 KB with the
 * WB's 4 KB pages), which holds the firmware (it locked itself) */
void
l4_scenario_protect_first_unit(GlintSim *sim)
{
	l4_options_store(sim, FLASH_WRP1AR, 0x000F0000u);
}

/* FLASH_OPTR as shipped with @set bits set and @clear bits clear */
static void
l4_store_optr(GlintSim *sim, guint32 set, guint32 clear)
{
	guint32 factory = l4_opt_word(sim, FLASH_OPTR)->factory;
	l4_options_store(sim, FLASH_OPTR, (factory & ~clear) | set);
}

/* RDP 0xBB: any value but 0xAA and 0xCC is level 1 (RM0351 3.5.1) */
void
l4_scenario_set_rdp_level1(GlintSim *sim)
{
	l4_store_optr(sim, 0xBBu, FLASH_OPTR_RDP_MASK);
}

/* An earlier tool's program error, and an option load that did not match */
void
l4_scenario_leave_stale_flags(GlintSim *sim)
{
	l4_state(sim)->fl.sr |= FLASH_SR_PGSERR | FLASH_SR_OPTVERR;
}

/* BFB2 set with the firmware in bank 1 only: the bootloader finds no valid
 * stack pointer in bank 2 and boots bank 1 (AN2606) */
static void
l4_setup_bfb2_empty(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	l4_store_optr(sim, FLASH_OPTR_BFB2, 0);
}

/* BFB2 set with a firmware in each bank: at every reset the bootloader
 * finds bank 2 valid, maps it at 0x08000000 (FB_MODE) and starts it */
static void
l4_setup_bfb2_bank2(GlintSim *sim)
{
	L4Geometry g;
	sim_scenario_write_firmware(sim);
	l4_store_optr(sim, FLASH_OPTR_BFB2, 0);
	/* the loaded geometry is not there yet: bank 2 of the option bytes
	 * just written (DUALBANK set on every L476 as shipped) */
	g.size = sim->flash_kb * 1024u;
	g.bank2_offset = g.size / 2;
	/* linked where it runs: at 0x08000000, once mapped there */
	sim_firmware_generate(sim, L4_MEM(sim, L4_REGION_FLASH) + g.bank2_offset, L4_FLASH_BASE,
			      24u * 1024u, 0xB2B2u);
}

/* How the L4 does the generic scenarios */
const SimScenario l4_scenario_texts[] = {
    {"wrp", N_("firmware in bank 1 with WRP1A over pages 0-15 (it locked itself)")},
    {"rdp1", N_("firmware present, read protection level 1 (RDP 0xBB)")},
    {"stale-errors", N_("flash SR has PGSERR and OPTVERR left set at start")},
    {NULL},
};

static const SimScenario l476_scenarios[] = {
    {"bfb2-empty", N_("dual-bank boot (BFB2) set, firmware in bank 1, bank 2 erased"),
     l4_setup_bfb2_empty},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
    {"bfb2-bank2",
     N_("dual-bank boot (BFB2) with a firmware in each bank: the bootloader maps "
	"bank 2 at 0x08000000 (FB_MODE) and starts it"),
     l4_setup_bfb2_bank2},
};

/* The single-bank parts' own trouble: none but the SWD pins */
static const SimScenario l4_single_bank_scenarios[] = {
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

/* A G47x switched to one bank of 4 KB pages (DBANK = 0), a firmware in it */
static void
l4_setup_single_bank(GlintSim *sim)
{
	l4_store_optr(sim, 0, FLASH_OPTR_DBANK);
	sim_scenario_write_firmware(sim);
}

static const SimScenario g474_scenarios[] = {
    {"g474-single-bank",
     N_("DBANK = 0: one bank of 128 pages of 4 KB (64-double-word rows), a firmware"),
     l4_setup_single_bank},
    {"bfb2-empty", N_("dual-bank boot (BFB2) set, firmware in bank 1, bank 2 erased"),
     l4_setup_bfb2_empty},
    {"bfb2-bank2",
     N_("dual-bank boot (BFB2) with a firmware in each bank: the bootloader maps "
	"bank 2 at 0x08000000 (FB_MODE) and starts it"),
     l4_setup_bfb2_bank2},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

/* REV_ID 0x1007 (rev 4), DEV_ID 0x415, bits 15:12 read 6 (reference 3.3;
 * RM0351 48.6.1) */
#define L476_IDCODE 0x10076415u
/* DBGMCU_IDCODE: REV_ID [31:16], DEV_ID [11:0] (RM0351 48.6.1, RM0394
 * 46.6.1); revisions as OpenOCD names them: L496 rev B, L432/L452 rev Z */
#define L496_IDCODE 0x20006461u
#define L432_IDCODE 0x10016435u
#define L452_IDCODE 0x10016462u
/* RM0440 46.6.1: G474 and G431 rev Z (0x2001) */
#define G474_IDCODE 0x20016469u
#define G431_IDCODE 0x20016468u
/* RM0432 57.6.1: L4R5 rev Z */
#define L4R5_IDCODE 0x10016470u

/* RM0444 40.10.1 (DBG_IDCODE): G031 rev Z, G071 rev B, G0B1 rev A as
 * OpenOCD names them; RM0434 38.10.1 WB55 rev 2.1; RM0453 38.10.1 WL55
 * rev 1.0 (values recalled) */
#define G031_IDCODE 0x10016466u
#define G071_IDCODE 0x20006460u
#define G0B1_IDCODE 0x10006467u
#define WB55_IDCODE 0x20016495u
#define WL55_IDCODE 0x10006497u

/* BOOT_LOCK set with a firmware in flash: the chip always boots it */
static void
l4_setup_boot_lock(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	l4_options_store(sim, l4_cfg(sim)->secr_reg, FLASH_SECR_BOOT_LOCK);
}

/* A firmware written after the power-on found flash erased, by a tool that
 * left FLASH_ACR.EMPTY set: the next reset starts the bootloader */
static void
l4_first_boot_empty(GlintSim *sim)
{
	l4_state(sim)->empty = TRUE;
	sim_system_reset(sim);
}

/* G0B1 with nSWAP_BANK = 0 and a firmware in each bank: bank 2 answers at
 * 0x08000000 from the option load on (RM0444 3.3.2) */
static void
l4_setup_g0_swapped(GlintSim *sim)
{
	guint32 half = sim->flash_kb * 1024u / 2u;
	sim_scenario_write_firmware(sim);
	sim_firmware_generate(sim, L4_MEM(sim, L4_REGION_FLASH) + half, L4_FLASH_BASE, 24u * 1024u,
			      0xB2B2u);
	l4_store_optr(sim, 0, G0_OPTR_nSWAP_BANK);
}

static const SimScenario g0_scenarios[] = {
    {"boot-lock",
     N_("firmware present, BOOT_LOCK set: the chip always boots main flash; only an RDP "
	"regression clears it"),
     l4_setup_boot_lock},
    {"empty-after-program",
     N_("firmware written without clearing FLASH_ACR.EMPTY: the next reset starts the bootloader"),
     sim_scenario_write_firmware, l4_first_boot_empty},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

static const SimScenario g0b1_scenarios[] = {
    {"boot-lock",
     N_("firmware present, BOOT_LOCK set: the chip always boots main flash; only an RDP "
	"regression clears it"),
     l4_setup_boot_lock},
    {"empty-after-program",
     N_("firmware written without clearing FLASH_ACR.EMPTY: the next reset starts the bootloader"),
     sim_scenario_write_firmware, l4_first_boot_empty},
    {"g0b1-swap-bank",
     N_("nSWAP_BANK = 0 with a firmware in each bank: bank 2 answers at 0x08000000"),
     l4_setup_g0_swapped},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

/* A BLE stack installed by the FUS (AN5185): SFSA lowered to page 0xCB, CPU2
 * boots it (SBRV), pages 0xCB-0xF3 hold it and the FUS keeps 0xF4-0xFF;
 * CPU2's secure SRAM2 starts at SRAM2a + 0x... (SBRSA, SNBRSA: estimate of
 * a BLE full-stack's values) */
#define WB_STACK_SFSA 0xCBu
#define WB_FUS_SFSA 0xF4u
static void
l4_setup_wb_stack(GlintSim *sim)
{
	guint32 sfr = l4_opt_word(sim, FLASH_SFR)->factory;
	sim_scenario_write_firmware(sim);
	l4_fill_pages(sim, WB_STACK_SFSA, WB_FUS_SFSA - 1, 0xB1Eu);
	l4_options_store(sim, FLASH_SFR, (sfr & ~WB_SFR_SFSA_MASK) | WB_STACK_SFSA);
	l4_options_store(sim, FLASH_SRRVR,
			 0x80000000u | (0x18u << 25) | (0x12u << 18) |
			     (WB_STACK_SFSA * 4096u / 4u));
}

static const SimScenario wb55_scenarios[] = {
    {"wb55-with-stack",
     N_("a BLE stack installed by the FUS: CPU2's secure flash from SFSA = 0xCB (0x080CB000) to "
	"the end; CPU1 and the debugger read it as zeros and cannot erase or program it"),
     l4_setup_wb_stack},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

/* A WL55 whose CPU2 runs a secure application (ESE = 1, FSD = 0): its
 * flash from SFSA = 0x70 (0x08038000) is CPU2's */
#define WL_SECURE_SFSA 0x70u
static void
l4_setup_wl_secure(GlintSim *sim)
{
	guint32 sfr = l4_opt_word(sim, FLASH_SFR)->factory;
	guint pages = sim->flash_kb * 1024u / l4_cfg(sim)->page_size;
	sim_scenario_write_firmware(sim);
	l4_fill_pages(sim, WL_SECURE_SFSA, pages - 1, 0xC2C2u);
	l4_options_store(sim, FLASH_SFR, (sfr & ~(WL_SFR_SFSA_MASK | WL_SFR_FSD)) | WL_SECURE_SFSA);
	l4_options_store(sim, FLASH_SRRVR, 0x80000000u | (WL_SECURE_SFSA * 2048u / 4u));
	l4_store_optr(sim, WX_OPTR_ESE, 0);
}

static const SimScenario wl55_scenarios[] = {
    {"wl55-secure-cpu2",
     N_("security enabled (ESE) and CPU2's secure flash from SFSA = 0x70 (0x08038000) to the end"),
     l4_setup_wl_secure},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

static const SimBoard l4_boards[] = {
    {"nucleo-l476rg", "NUCLEO-L476RG", "STM32L476RG", &sim_l47x_machine.machine, 1024, L476_IDCODE,
     N_("ST's Nucleo-64 board (UM1724): 1 MB of flash in two banks, 128 KB SRAM"), l476_scenarios,
     G_N_ELEMENTS(l476_scenarios), .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"stm32l476re", "STM32L476RE", "STM32L476RE", &sim_l47x_machine.machine, 512, L476_IDCODE,
     N_("the 512 KB part on a board of one's own; DUALBANK set (can be toggled)"), l476_scenarios,
     G_N_ELEMENTS(l476_scenarios)},
    {"stm32l476rc", "STM32L476RC", "STM32L476RC", &sim_l47x_machine.machine, 256, L476_IDCODE,
     N_("the 256 KB part on a board of one's own; DUALBANK set (can be toggled)"), l476_scenarios,
     G_N_ELEMENTS(l476_scenarios)},
    {"nucleo-l496zg", "NUCLEO-L496ZG", "STM32L496ZG", &sim_l49x_machine.machine, 1024, L496_IDCODE,
     N_("ST's Nucleo-144 board (UM2179): 1 MB of flash in two banks, 320 KB SRAM"), l476_scenarios,
     G_N_ELEMENTS(l476_scenarios), SIM_LED('C', 7) /* LD1 (UM2179) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM2179, MB1312) */},
    {"nucleo-l432kc", "NUCLEO-L432KC", "STM32L432KC", &sim_l43x_machine.machine, 256, L432_IDCODE,
     N_("ST's Nucleo-32 board (UM1956): 256 KB of flash in one bank, 64 KB SRAM"),
     l4_single_bank_scenarios, G_N_ELEMENTS(l4_single_bank_scenarios),
     SIM_LED('B', 3) /* LD3 (UM1956) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1956) */},
    {"nucleo-l452re", "NUCLEO-L452RE", "STM32L452RE", &sim_l45x_machine.machine, 512, L452_IDCODE,
     N_("ST's Nucleo-64 board (UM1724): 512 KB of flash in one bank, 160 KB SRAM"),
     l4_single_bank_scenarios, G_N_ELEMENTS(l4_single_bank_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"nucleo-g474re", "NUCLEO-G474RE", "STM32G474RE", &sim_g47x_machine.machine, 512, G474_IDCODE,
     N_("ST's Nucleo-64 board (UM2505): 512 KB of flash, two banks of 2 KB pages (DBANK) as "
	"shipped"),
     g474_scenarios, G_N_ELEMENTS(g474_scenarios),
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2505, MB1367) */},
    {"nucleo-l4r5zi", "NUCLEO-L4R5ZI", "STM32L4R5ZI", &sim_l4r_machine.machine, 2048, L4R5_IDCODE,
     N_("ST's Nucleo-144 board (UM2179): 2 MB of flash, two banks of 4 KB pages (DBANK) as "
	"shipped, 640 KB SRAM"),
     l476_scenarios, G_N_ELEMENTS(l476_scenarios), SIM_LED('C', 7) /* LD1 (UM2179) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM2179, MB1312) */},
    {"nucleo-g431rb", "NUCLEO-G431RB", "STM32G431RB", &sim_g43x_machine.machine, 128, G431_IDCODE,
     N_("ST's Nucleo-64 board (UM2505): 128 KB of flash in one bank, 32 KB SRAM"),
     l4_single_bank_scenarios, G_N_ELEMENTS(l4_single_bank_scenarios),
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2505, MB1367) */},
    {"nucleo-g031k8", "NUCLEO-G031K8", "STM32G031K8", &sim_g03x_machine.machine, 64, G031_IDCODE,
     N_("ST's Nucleo-32 board (UM2591): a Cortex-M0+, 64 KB of flash, 8 KB SRAM"), g0_scenarios,
     G_N_ELEMENTS(g0_scenarios), SIM_LED('C', 6) /* LD3 (UM2591) */,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2591, MB1455) */},
    {"nucleo-g071rb", "NUCLEO-G071RB", "STM32G071RB", &sim_g07x_machine.machine, 128, G071_IDCODE,
     N_("ST's Nucleo-64 board (UM2324): a Cortex-M0+, 128 KB of flash, 36 KB SRAM"), g0_scenarios,
     G_N_ELEMENTS(g0_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM2324, MB1360) */},
    {"nucleo-g0b1re", "NUCLEO-G0B1RE", "STM32G0B1RE", &sim_g0bx_machine.machine, 512, G0B1_IDCODE,
     N_("ST's Nucleo-64 board (UM2324): a Cortex-M0+, 512 KB of flash in two banks, 144 KB SRAM"),
     g0b1_scenarios, G_N_ELEMENTS(g0b1_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM2324, MB1360) */},
    {"p-nucleo-wb55", "P-NUCLEO-WB55", "STM32WB55RG", &sim_wb5x_machine.machine, 1024, WB55_IDCODE,
     N_("ST's pack of a Nucleo-68 board (MB1355, UM2435) and a USB dongle: CPU1 a "
	"Cortex-M4, 1 MB of flash of which the FUS keeps pages 0xF4-0xFF (SFSA), 256 KB SRAM"),
     wb55_scenarios, G_N_ELEMENTS(wb55_scenarios), SIM_LED('B', 5) /* LD1 (UM2435) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM2435, MB1355) */},
    {"nucleo-wl55jc", "NUCLEO-WL55JC", "STM32WL55JC", &sim_wl5x_machine.machine, 256, WL55_IDCODE,
     N_("ST's Nucleo-64 board (UM2592): CPU1 a Cortex-M4 (CPU2 held in reset), 256 KB of flash, "
	"64 KB SRAM"),
     wl55_scenarios, G_N_ELEMENTS(wl55_scenarios), SIM_LED('B', 15) /* LD1 (UM2592) */,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2592, MB1389) */},
};

const SimBoardTable sim_l4_boards = {l4_boards, G_N_ELEMENTS(l4_boards)};
