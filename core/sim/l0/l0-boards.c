/* l0-boards.c: the STM32L0/L1 boards, and what their scenarios put in the
 * chip: factory option bytes, write protection of sector 0, read
 * protection, stale NVM flags, and this family's own trouble: data in the
 * EEPROM, flash "erased" to 0xFF by a tool that got it wrong, a stuck
 * unlock stage, a torn option word, a dual-bank boot with bank 2 empty. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "l0-machine.h"

#define WRP_WORDS_MAX 8

/* RM0367 / RM0038: option words as shipped, the bootloader in system
 * memory (a vector table into code that idles, its stack low in SRAM). */
void
l0_scenario_factory(GlintSim *sim)
{
	const L0Config *cfg = l0_cfg(sim);
	static const guint32 wrp_words[WRP_WORDS_MAX] = {
	    OB_WRP01, OB_WRP23, OB_WRP45, OB_WRP67, OB_WRP89, OB_WRP1011, OB_WRP1213, OB_WRP1415};
	guint8 *sysmem = LX_MEM(sim, LX_REGION_SYSMEM);

	l0_options_write_word(sim, OB_RDP, cfg->ob_rdp_factory);
	l0_options_write_word(sim, OB_USER, cfg->ob_user_factory);
	for (guint i = 0; i < MIN(cfg->n_wrp_regs * 2, WRP_WORDS_MAX); i++) {
		if (wrp_words[i] + 4 <= sim->mem_size[LX_REGION_OPTIONS])
			l0_options_write_value(sim, wrp_words[i], 0);
	}
	sim_firmware_generate(sim, sysmem, LX_SYSMEM_BASE, sim->mem_size[LX_REGION_SYSMEM],
			      0xB007u);
	sysmem[0] = (guint8)(LX_SRAM_BASE + 0x1000u);
	sysmem[1] = (guint8)((LX_SRAM_BASE + 0x1000u) >> 8);
	sysmem[2] = (guint8)((LX_SRAM_BASE + 0x1000u) >> 16);
	sysmem[3] = (guint8)((LX_SRAM_BASE + 0x1000u) >> 24);
}

/* WRPROT1/WRPR1 bit 0: sector 0 (the first 4 KB), where the firmware
 * locked itself */
void
l0_scenario_protect_first_unit(GlintSim *sim)
{
	l0_options_write_value(sim, OB_WRP01, 0x0001);
}

/* RDP 0xBB: any value but 0xAA and 0xCC is level 1; WPRMOD as shipped */
void
l0_scenario_set_rdp_level1(GlintSim *sim)
{
	l0_options_write_value(sim, OB_RDP, 0x00BB);
}

/* An earlier tool's misaligned half-page (PGAERR) and, on the L0, a word
 * written over data (NOTZEROERR); on the L1 a byte written to program
 * memory (SIZERR) */
void
l0_scenario_leave_stale_flags(GlintSim *sim)
{
	l0_state(sim)->fl.sr |=
	    SR_PGAERR | (l0_cfg(sim)->l1 ? SR_SIZERR : SR_NOTZEROERR | SR_FWWERR);
}

/* Firmware, and calibration data the firmware keeps in the data EEPROM */
static void
l0_setup_eeprom_data(GlintSim *sim)
{
	guint8 *eeprom = LX_MEM(sim, LX_REGION_EEPROM);
	sim_scenario_write_firmware(sim);
	for (guint i = 0; i < 256; i++)
		eeprom[i] = (guint8)(0xC0u ^ (i * 7u));
}

/* A tool that took 0xFF for "erased" filled the whole flash with it: on
 * this chip that is data, and the vector table reads 0xFFFFFFFF */
static void
l0_setup_ff_filled(GlintSim *sim)
{
	memset(LX_MEM(sim, LX_REGION_FLASH), 0xFF, sim->mem_size[LX_REGION_FLASH]);
}

/* Firmware that wrote a wrong key to PEKEYR: the first unlock stage is
 * locked until the next reset */
static void
l0_setup_unlock_stuck(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
}

static void
l0_first_boot_unlock_stuck(GlintSim *sim)
{
	l0_flash_fault_pekey(sim);
}

/* An option write cut by a power loss: the RDP word's complement does not
 * match, so the load sets OPTVERR and falls back to the safe default,
 * read protection level 1 */
static void
l0_setup_options_torn(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	l0_options_write_word(sim, OB_RDP, l0_options_read_word(sim, OB_RDP) ^ 0x00F00000u);
}

/* BFB2 boots bank 2 (L0: set; L1: clear), the firmware in bank 1 only */
static void
l0_setup_bfb2_empty(GlintSim *sim)
{
	guint32 user = l0_options_read_word(sim, OB_USER) & 0xFFFFu;
	sim_scenario_write_firmware(sim);
	user = l0_cfg(sim)->l1 ? user & ~(OPTR_BFB2 >> 16) : user | (OPTR_BFB2 >> 16);
	l0_options_write_value(sim, OB_USER, (guint16)user);
}

/* How this family does the generic scenarios */
const SimScenario l0_scenario_texts[] = {
    {"fresh", N_("as shipped: factory option bytes, flash and data EEPROM erased (to 0x00)")},
    {"wrp", N_("firmware present, sector 0 (the first 4 KB) write-protected (WRPROT bit 0)")},
    {"rdp1", N_("firmware present, read protection level 1 (RDP 0xBB)")},
    {"stale-errors", N_("firmware present, NVM error flags left set (PGAERR and more)")},
    {NULL},
};

#define LX_OWN_SCENARIOS                                                                           \
	{"eeprom-data", N_("firmware present, calibration data in the data EEPROM"),               \
	 l0_setup_eeprom_data},                                                                    \
	    {"ff-filled",                                                                          \
	     N_("flash filled with 0xFF by a tool that took it for erased (erased reads 0x00)"),   \
	     l0_setup_ff_filled},                                                                  \
	    {"unlock-stuck",                                                                       \
	     N_("firmware wrote a wrong PEKEYR key: the unlock stages are locked until reset"),    \
	     l0_setup_unlock_stuck, l0_first_boot_unlock_stuck},                                   \
	{                                                                                          \
		"options-torn",                                                                    \
		    N_("an option write was cut: the RDP word disagrees with its complement "      \
		       "(OPTVERR)"),                                                               \
		    l0_setup_options_torn                                                          \
	}

static const SimScenario l053_scenarios[] = {
    LX_OWN_SCENARIOS,
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

static const SimScenario dual_bank_scenarios[] = {
    LX_OWN_SCENARIOS,
    {"bfb2-empty", N_("dual-bank boot (BFB2) chosen, firmware in bank 1, bank 2 erased"),
     l0_setup_bfb2_empty},
    {"swd-disabled", N_("firmware turns SWD off: only connect-under-reset works"),
     sim_scenario_swd_disabled},
};

/* DBGMCU_IDCODE: REV_ID [31:16], DEV_ID [11:0] (RM0367, RM0038 "MCU
 * device ID code"); the revisions of parts on sale */
#define L053_IDCODE 0x10086417u	  /* rev Z */
#define L073_IDCODE 0x20086447u	  /* rev Z */
#define L152RE_IDCODE 0x10006437u /* rev A */

static const SimBoard l0_boards[] = {
    {"nucleo-l053r8", "NUCLEO-L053R8", "STM32L053R8", &sim_l053_machine, 64, L053_IDCODE,
     N_("ST's Nucleo-64 board (UM1724): Cortex-M0+, 64 KB flash, 8 KB SRAM, 2 KB data EEPROM"),
     l053_scenarios, G_N_ELEMENTS(l053_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"nucleo-l073rz", "NUCLEO-L073RZ", "STM32L073RZ", &sim_l073_machine, 192, L073_IDCODE,
     N_("ST's Nucleo-64 board (UM1724): Cortex-M0+, 192 KB flash in two banks, 20 KB SRAM, 6 KB "
	"data EEPROM"),
     dual_bank_scenarios, G_N_ELEMENTS(dual_bank_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"nucleo-l152re", "NUCLEO-L152RE", "STM32L152RE", &sim_l152_machine, 512, L152RE_IDCODE,
     N_("ST's Nucleo-64 board (UM1724): Cortex-M3, 512 KB flash in two banks, 80 KB SRAM, 16 KB "
	"data EEPROM"),
     dual_bank_scenarios, G_N_ELEMENTS(dual_bank_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
};

const SimBoardTable sim_l0_boards = {l0_boards, G_N_ELEMENTS(l0_boards)};
