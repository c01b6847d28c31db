/* f1-boards.c: the STM32F0/F1/F3 boards (a Blue Pill, its CKS32 clone,
 * three Nucleo boards, a high-density F103 of one's own), and what their
 * scenarios put in the chip: the factory option bytes, write protection,
 * read protection, stale flags, and the family's own trouble (an option
 * block whose bytes disagree with their complements). */
#define G_LOG_DOMAIN "glint-sim"

#include "f1-machine.h"
#include "glint-i18n.h"

/* The option bytes as shipped (PM0075 2.5: RDP 0xA5; RM0091 4.1.1: ST
 * production value 0x00FF55AA), the bootloader in system memory */
void
f1_scenario_factory(GlintSim *sim)
{
	gint sysmem = F1_REGION_SYSMEM;
	f1_options_store(sim, OPT_RDP, f1_options_level0(sim));
	for (guint i = 1; i < f1_chip(sim)->n_option_bytes; i++)
		f1_options_store(sim, 2 * i, 0xFF);
	sim_firmware_generate(sim, F1_MEM(sim, sysmem), sim->machine->regions[sysmem].base,
			      sim->mem_size[sysmem], 0xB007u);
}

/* WRP0 bit 0 cleared: the first group of pages (4 KB) protects the
 * firmware's vector table (it locked itself) */
void
f1_scenario_protect_first_unit(GlintSim *sim)
{
	f1_options_store(sim, OPT_WRP0, 0xFE);
}

/* RDP 0x00: anything but the level-0 code (and 0xCC) is level 1 */
void
f1_scenario_set_rdp_level1(GlintSim *sim)
{
	f1_options_store(sim, OPT_RDP, 0x00);
}

/* An earlier tool's program error on a protected page */
void
f1_scenario_leave_stale_flags(GlintSim *sim)
{
	f1_state(sim)->fl.sr |= SR_PGERR | SR_WRPRTERR;
}

/* An option write cut between OPTER and OPTPG of the RDP half-word: the
 * level-0 code is there but its complement is not. The loader sets OPTERR
 * and loads RDP as 0xFF: read protection level 1 (RM0091 4) */
static void
f1_setup_locked_options(GlintSim *sim)
{
	guint8 *opt = F1_MEM(sim, F1_REGION_OPTIONS);
	sim_scenario_write_firmware(sim);
	opt[OPT_RDP] = f1_options_level0(sim);
	opt[OPT_RDP + 1] = 0x00;
}

/* How this family does the generic scenarios */
const SimScenario f1_scenario_texts[] = {
    {"wrp", N_("firmware present, WRP0 bit 0 protects the first 4 KB (it locked itself)")},
    {"rdp1", N_("firmware present, read protection level 1 (RDP 0x00)")},
    {"stale-errors", N_("FLASH_SR has PGERR and WRPRTERR left set at start")},
    {NULL},
};

static const SimScenario f1_scenarios[] = {
    {"locked-options",
     N_("firmware present, the RDP option byte disagrees with its complement: OPTERR, loaded as "
	"read protection level 1"),
     f1_setup_locked_options},
};

/* DBGMCU_IDCODE: REV_ID [31:16], bits 15:12 read 6, DEV_ID [11:0] (RM0008
 * 31.16.1; a CKS32F103 reads 0x20036410 as well, stlink-org #805) */
#define F103_MD_IDCODE 0x20036410u
#define F103_HD_IDCODE 0x10036414u
#define F072_IDCODE 0x20006448u
#define F303XE_IDCODE 0x10016446u

#define BOARD_LED(name, title, chip, machine, kb, idcode, text, led)                               \
	{                                                                                          \
		name, title, chip, &machine.base, kb, idcode, text, f1_scenarios,                  \
		    G_N_ELEMENTS(f1_scenarios), led                                                \
	}
/* A Nucleo-64 (UM1724): its ST-LINK/V2-1 on board */
#define BOARD(name, title, chip, machine, kb, idcode, text)                                        \
	{                                                                                          \
		name, title, chip, &machine.base, kb, idcode, text, f1_scenarios,                  \
		    G_N_ELEMENTS(f1_scenarios), 0, GLINT_PROBE_KIND_V2_1                           \
	}
/* A board of one's own: no probe on it, a plain ST-LINK/V2 */
#define BOARD_BARE(name, title, chip, machine, kb, idcode, text)                                   \
	BOARD_LED(name, title, chip, machine, kb, idcode, text, 0)
/* A Blue Pill's LED is on PC13 */
#define BLUEPILL_LED SIM_LED('C', 13)

static const SimBoard f1_boards[] = {
    BOARD_LED("bluepill-f103c8", "Blue Pill (STM32F103C8T6)", "STM32F103C8", sim_f103md_machine, 64,
	      F103_MD_IDCODE, N_("the hobbyist's board: 64 KB of flash in 1 KB pages, 20 KB SRAM"),
	      BLUEPILL_LED),
    BOARD("nucleo-f103rb", "NUCLEO-F103RB", "STM32F103RB", sim_f103md_machine, 128, F103_MD_IDCODE,
	  N_("ST's Nucleo-64 board (UM1724): 128 KB of flash in 1 KB pages")),
    BOARD_BARE(
	"stm32f103ze", "STM32F103ZE", "STM32F103ZE", sim_f103hd_machine, 512, F103_HD_IDCODE,
	N_("the high-density part on a board of one's own: 512 KB in 2 KB pages, 64 KB SRAM")),
    BOARD("nucleo-f072rb", "NUCLEO-F072RB", "STM32F072RB", sim_f072_machine, 128, F072_IDCODE,
	  N_("ST's Nucleo-64 board: a Cortex-M0 with 128 KB of flash in 2 KB pages, 16 KB SRAM")),
    BOARD("nucleo-f303re", "NUCLEO-F303RE", "STM32F303RE", sim_f303xe_machine, 512, F303XE_IDCODE,
	  N_("ST's Nucleo-64 board: a Cortex-M4 with 512 KB of flash in 2 KB pages")),
    BOARD_LED("bluepill-cks32f103c8", "Blue Pill (CKS32F103C8T6)", "CKS32F103C8",
	      sim_cks32f103_machine, 64, F103_MD_IDCODE,
	      N_("a Blue Pill with the CKS32 clone: an F103's ids on a Cortex-M3 r2p1"),
	      BLUEPILL_LED),
};

const SimBoardTable sim_f1_boards = {f1_boards, G_N_ELEMENTS(f1_boards)};
