/* l4-boards.c: the STM32L4 boards, and what their scenarios put in the
 * chip: the factory option bytes, write protection, read protection, the
 * stale flags, and the L4's own trouble (a dual-bank boot with bank 2
 * empty). */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

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

/* RM0351 3.4.1: option bytes as shipped, bootloader in system memory */
void
l4_scenario_factory(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	l4_options_write_area(sim, 0, L4_OPT_OPTR, FLASH_OPTR_FACTORY);
	for (guint b = 0; b < 2; b++) {
		l4_options_write_area(sim, b, L4_OPT_PCROPSR, FLASH_PCROPSR_NONE);
		l4_options_write_area(sim, b, L4_OPT_PCROPER, cfg->pcroper_factory);
		l4_options_write_area(sim, b, L4_OPT_WRPAR, FLASH_WRP_NONE);
		l4_options_write_area(sim, b, L4_OPT_WRPBR, FLASH_WRP_NONE);
		if (cfg->has_secr)
			l4_options_write_area(sim, b, L4_OPT_SECR, FLASH_SECR_FACTORY);
	}
	l4_install_bootloader(sim);
}

/* WRP1A_STRT = 0, WRP1A_END = 15: the first 32 KB of bank 1, which holds
 * the firmware (it locked itself) */
void
l4_scenario_protect_first_unit(GlintSim *sim)
{
	l4_options_write_area(sim, 0, L4_OPT_WRPAR, 0x000F0000u);
}

/* RDP 0xBB: any value but 0xAA and 0xCC is level 1 (RM0351 3.5.1) */
void
l4_scenario_set_rdp_level1(GlintSim *sim)
{
	l4_options_write_area(sim, 0, L4_OPT_OPTR,
			      (FLASH_OPTR_FACTORY & ~FLASH_OPTR_RDP_MASK) | 0xBBu);
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
	l4_options_write_area(sim, 0, L4_OPT_OPTR, FLASH_OPTR_FACTORY | FLASH_OPTR_BFB2);
}

/* BFB2 set with a firmware in each bank: at every reset the bootloader
 * finds bank 2 valid, maps it at 0x08000000 (FB_MODE) and starts it */
static void
l4_setup_bfb2_bank2(GlintSim *sim)
{
	L4Geometry g;
	sim_scenario_write_firmware(sim);
	l4_options_write_area(sim, 0, L4_OPT_OPTR, FLASH_OPTR_FACTORY | FLASH_OPTR_BFB2);
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
    {"wrp", "firmware in bank 1 with WRP1A over pages 0-15 (it locked itself)"},
    {"rdp1", "firmware present, read protection level 1 (RDP 0xBB)"},
    {"stale-errors", "flash SR has PGSERR and OPTVERR left set at start"},
    {NULL},
};

static const SimScenario l476_scenarios[] = {
    {"bfb2-empty", "dual-bank boot (BFB2) set, firmware in bank 1, bank 2 erased",
     l4_setup_bfb2_empty},
    {"swd-disabled", "firmware turns SWD off: only connect-under-reset works",
     sim_scenario_swd_disabled},
    {"bfb2-bank2",
     "dual-bank boot (BFB2) with a firmware in each bank: the bootloader maps "
     "bank 2 at 0x08000000 (FB_MODE) and starts it",
     l4_setup_bfb2_bank2},
};

/* The single-bank parts' own trouble: none but the SWD pins */
static const SimScenario l4_single_bank_scenarios[] = {
    {"swd-disabled", "firmware turns SWD off: only connect-under-reset works",
     sim_scenario_swd_disabled},
};

/* A G47x switched to one bank of 4 KB pages (DBANK = 0), a firmware in it */
static void
l4_setup_single_bank(GlintSim *sim)
{
	l4_options_write_area(sim, 0, L4_OPT_OPTR, FLASH_OPTR_FACTORY & ~FLASH_OPTR_DBANK);
	sim_scenario_write_firmware(sim);
}

static const SimScenario g474_scenarios[] = {
    {"g474-single-bank",
     "DBANK = 0: one bank of 128 pages of 4 KB (64-double-word rows), a firmware",
     l4_setup_single_bank},
    {"bfb2-empty", "dual-bank boot (BFB2) set, firmware in bank 1, bank 2 erased",
     l4_setup_bfb2_empty},
    {"bfb2-bank2",
     "dual-bank boot (BFB2) with a firmware in each bank: the bootloader maps "
     "bank 2 at 0x08000000 (FB_MODE) and starts it",
     l4_setup_bfb2_bank2},
    {"swd-disabled", "firmware turns SWD off: only connect-under-reset works",
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

static const SimBoard l4_boards[] = {
    {"nucleo-l476rg", "NUCLEO-L476RG", "STM32L476RG", &sim_l47x_machine.machine, 1024, L476_IDCODE,
     "ST's Nucleo-64 board (UM1724): 1 MB of flash in two banks, 128 KB SRAM", l476_scenarios,
     G_N_ELEMENTS(l476_scenarios)},
    {"stm32l476re", "STM32L476RE", "STM32L476RE", &sim_l47x_machine.machine, 512, L476_IDCODE,
     "the 512 KB part on a board of one's own; DUALBANK set (can be toggled)", l476_scenarios,
     G_N_ELEMENTS(l476_scenarios)},
    {"stm32l476rc", "STM32L476RC", "STM32L476RC", &sim_l47x_machine.machine, 256, L476_IDCODE,
     "the 256 KB part on a board of one's own; DUALBANK set (can be toggled)", l476_scenarios,
     G_N_ELEMENTS(l476_scenarios)},
    {"nucleo-l496zg", "NUCLEO-L496ZG", "STM32L496ZG", &sim_l49x_machine.machine, 1024, L496_IDCODE,
     "ST's Nucleo-144 board (UM2179): 1 MB of flash in two banks, 320 KB SRAM", l476_scenarios,
     G_N_ELEMENTS(l476_scenarios), SIM_LED('C', 7) /* LD1 (UM2179) */},
    {"nucleo-l432kc", "NUCLEO-L432KC", "STM32L432KC", &sim_l43x_machine.machine, 256, L432_IDCODE,
     "ST's Nucleo-32 board (UM1956): 256 KB of flash in one bank, 64 KB SRAM",
     l4_single_bank_scenarios, G_N_ELEMENTS(l4_single_bank_scenarios),
     SIM_LED('B', 3) /* LD3 (UM1956) */},
    {"nucleo-l452re", "NUCLEO-L452RE", "STM32L452RE", &sim_l45x_machine.machine, 512, L452_IDCODE,
     "ST's Nucleo-64 board (UM1724): 512 KB of flash in one bank, 160 KB SRAM",
     l4_single_bank_scenarios, G_N_ELEMENTS(l4_single_bank_scenarios)},
    {"nucleo-g474re", "NUCLEO-G474RE", "STM32G474RE", &sim_g47x_machine.machine, 512, G474_IDCODE,
     "ST's Nucleo-64 board (UM2505): 512 KB of flash, two banks of 2 KB pages (DBANK) as shipped",
     g474_scenarios, G_N_ELEMENTS(g474_scenarios)},
    {"nucleo-l4r5zi", "NUCLEO-L4R5ZI", "STM32L4R5ZI", &sim_l4r_machine.machine, 2048, L4R5_IDCODE,
     "ST's Nucleo-144 board (UM2179): 2 MB of flash, two banks of 4 KB pages (DBANK) as "
     "shipped, 640 KB SRAM",
     l476_scenarios, G_N_ELEMENTS(l476_scenarios), SIM_LED('C', 7) /* LD1 (UM2179) */},
    {"nucleo-g431rb", "NUCLEO-G431RB", "STM32G431RB", &sim_g43x_machine.machine, 128, G431_IDCODE,
     "ST's Nucleo-64 board (UM2505): 128 KB of flash in one bank, 32 KB SRAM",
     l4_single_bank_scenarios, G_N_ELEMENTS(l4_single_bank_scenarios)},
};

const SimBoardTable sim_l4_boards = {l4_boards, G_N_ELEMENTS(l4_boards)};
