/* h7-boards.c: the STM32H7 boards, and what their scenarios put in the
 * chip: the factory option bytes, write protection, read protection, the
 * stale flags, and the H7's own trouble (banks swapped; a flash word an
 * older tool programmed twice, whose ECC no longer matches). */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "h7-machine.h"

static void
h7_put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

/* RM0433 4.4.1: option bytes as shipped, the bootloader in system memory */
void
h7_scenario_factory(GlintSim *sim)
{
	H7OptionSet set;
	guint8 *sysmem = H7_MEM(sim, H7_REGION_SYSMEM);
	h7_options_factory(sim, &set);
	h7_options_store(sim, &set);
	/* AN2606: the bootloader's stack in the DTCM */
	sim_firmware_generate(sim, sysmem, H7_SYSMEM_BASE, sim->mem_size[H7_REGION_SYSMEM],
			      0xB007u);
	h7_put32(sysmem, H7_DTCM_BASE + 0x4000u);
}

static void
h7_scenario_edit(GlintSim *sim, void (*edit)(GlintSim *sim, H7OptionSet *set))
{
	H7OptionSet set;
	gboolean bad = FALSE;
	/* the options as stored (the factory hook ran first) */
	h7_options_factory(sim, &set);
	h7_options_load(sim);
	set = h7_state(sim)->cur;
	(void)bad;
	edit(sim, &set);
	h7_options_store(sim, &set);
}

static void
protect_sector0(GlintSim *sim, H7OptionSet *set)
{
	/* WRPSn = 0 protects: sector 0 of bank 1 (sectors 0-3 on the H7A3) */
	set->wpsn[0] &= ~1u;
}

/* The firmware locked its first sector (or group of sectors) */
void
h7_scenario_protect_first_unit(GlintSim *sim)
{
	h7_scenario_edit(sim, protect_sector0);
}

static void
rdp_level1(GlintSim *sim, H7OptionSet *set)
{
	set->optsr = (set->optsr & ~FLASH_OPTSR_RDP_MASK) | (0xBBu << FLASH_OPTSR_RDP_SHIFT);
}

/* RDP 0xBB: any value but 0xAA and 0xCC is level 1 (RM0433 4.5.2) */
void
h7_scenario_set_rdp_level1(GlintSim *sim)
{
	h7_scenario_edit(sim, rdp_level1);
}

/* An earlier tool's sequence errors: a word left incomplete and a write
 * without PG in bank 1, a byte strobed twice in bank 2 */
void
h7_scenario_leave_stale_flags(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	st->bank[0].sr |= FLASH_SR_PGSERR | FLASH_SR_INCERR;
	if (h7_dual(sim))
		st->bank[1].sr |= FLASH_SR_STRBERR;
}

static void
swap_on(GlintSim *sim, H7OptionSet *set)
{
	set->optsr |= FLASH_OPTSR_SWAP_BANK_OPT;
}

/* Two firmwares, one per physical bank, both linked at 0x08000000 (the
 * bank swapped in runs there); SWAP_BANK_OPT set: bank 2 boots */
static void
h7_setup_swapped(GlintSim *sim)
{
	guint32 half = h7_bank_size(sim);
	guint8 *flash = H7_MEM(sim, H7_REGION_FLASH);
	sim_firmware_generate(sim, flash, H7_FLASH_BASE, 24u * 1024u, 0x5A01u);
	sim_firmware_generate(sim, flash + half, H7_FLASH_BASE, 24u * 1024u, 0x5A02u);
	h7_scenario_edit(sim, swap_on);
}

/* Where the ecc-error scenario's broken word lies: inside the firmware,
 * in sector 0 of bank 1 */
#define H7_ECC_WORD_OFFSET 0x1000u

/* An older tool programmed one flash word of the firmware a second time
 * without erasing: the cells hold the AND of both and the ECC matches
 * neither (RM0433 4.7) */
static void
h7_setup_ecc_error(GlintSim *sim)
{
	const H7Config *cfg = h7_config(sim);
	guint8 *word = H7_MEM(sim, H7_REGION_FLASH) + H7_ECC_WORD_OFFSET;
	sim_scenario_write_firmware(sim);
	for (guint i = 0; i < cfg->word_size; i++)
		word[i] &= (guint8)(0x5Au + 3 * i);
	h7_ecc_mark(sim, H7_ECC_WORD_OFFSET, TRUE);
}

/* The firmware's start-up checksum read that word: DBECCERR1 and its
 * address in FLASH_ECC_FA1R (and a bus fault the firmware survived) */
static void
h7_boot_ecc_error(GlintSim *sim)
{
	h7_ecc_report(sim, 0, H7_ECC_WORD_OFFSET);
}

/* How the H7 does the generic scenarios */
const SimScenario h7_scenario_texts[] = {
    {"wrp", N_("firmware in bank 1 with sector 0 write-protected (WPSN1 bit 0 clear)")},
    {"rdp1", N_("firmware present, read protection level 1 (RDP 0xBB)")},
    {"stale-errors", N_("PGSERR1 and INCERR1 (and STRBERR2) left set by an earlier tool")},
    {NULL},
};

#define SWAPPED_SCENARIO                                                                           \
	{                                                                                          \
		"swapped", N_("SWAP_BANK_OPT set: bank 2 (its own firmware) boots at 0x08000000"), \
		    h7_setup_swapped                                                               \
	}
#define ECC_SCENARIO                                                                               \
	{                                                                                          \
		"ecc-error",                                                                       \
		    N_("firmware with one flash word (0x08001000) programmed twice by an older "   \
		       "tool: reading it is a double ECC error"),                                  \
		    h7_setup_ecc_error, h7_boot_ecc_error                                          \
	}

static const SimScenario h7_dual_scenarios[] = {SWAPPED_SCENARIO, ECC_SCENARIO};
static const SimScenario h7_single_scenarios[] = {ECC_SCENARIO};

/* DBGMCU_IDCODE: REV_ID [31:16], DEV_ID [11:0], bits 15:12 as the parts
 * read (RM0433 60.5.8: rev V 0x2003; RM0455: rev A; RM0468: rev Z) */
#define H743_IDCODE 0x20036450u
#define H7A3_IDCODE 0x10006480u
#define H723_IDCODE 0x10016483u

/* The Nucleo-144 boards' green LD1 (UM2407, UM2408) */
#define H7_NUCLEO_LD1 SIM_LED('B', 0)

static const SimBoard h7_boards[] = {
    {"nucleo-h743zi", "NUCLEO-H743ZI", "STM32H743ZI", &sim_h74x_machine, 2048, H743_IDCODE,
     N_("ST's Nucleo-144 board (UM2407): 2 MB of flash in two banks of 8 x 128 KB sectors, "
	"256-bit flash words, Cortex-M7"),
     h7_dual_scenarios, G_N_ELEMENTS(h7_dual_scenarios), H7_NUCLEO_LD1,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2407, MB1364) */},
    {"nucleo-h7a3zi-q", "NUCLEO-H7A3ZI-Q", "STM32H7A3ZIT6Q", &sim_h7ax_machine, 2048, H7A3_IDCODE,
     N_("ST's Nucleo-144 board (UM2408): 2 MB of flash in two banks of 128 x 8 KB sectors, "
	"128-bit flash words, Cortex-M7"),
     h7_dual_scenarios, G_N_ELEMENTS(h7_dual_scenarios), H7_NUCLEO_LD1,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2408, MB1363) */},
    {"nucleo-h723zg", "NUCLEO-H723ZG", "STM32H723ZGT6", &sim_h72x_machine, 1024, H723_IDCODE,
     N_("ST's Nucleo-144 board (UM2407): 1 MB of flash in one bank of 8 x 128 KB sectors, "
	"256-bit flash words, Cortex-M7"),
     h7_single_scenarios, G_N_ELEMENTS(h7_single_scenarios), H7_NUCLEO_LD1,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2407, MB1364) */},
};

const SimBoardTable sim_h7_boards = {h7_boards, G_N_ELEMENTS(h7_boards)};
