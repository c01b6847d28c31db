/* f4-boards.c: the STM32F2/F4/F7 boards, and what their scenarios put in
 * the chip: the factory option bytes, write protection, read protection,
 * the stale flags, and the family's own trouble (a supply too low for x32
 * with PSIZE left at x32, option bytes that disagree with their
 * complements, PCROP, dual-bank boot with bank 2 empty, the F76x's
 * dual-bank mode and a boot address into an empty bank). */
#define G_LOG_DOMAIN "glint-sim"

#include "f4-machine.h"
#include "glint-i18n.h"

/* As shipped: option bytes at their reset values, the bootloader in system
 * memory (RM0090 3.9.9-3.9.11, RM0410 3.7.7-3.7.8) */
void
f4_scenario_factory(GlintSim *sim)
{
	const SimF4Config *cfg = f4_cfg(sim);
	guint8 *sysmem = F4_MEM(sim, F4_REGION_SYSMEM);
	guint32 stack = F4_SRAM_BASE + 0x3000u;

	f4_options_store_optcr(sim, cfg->optcr_factory, cfg->optcr1_factory);
	/* the ST bootloader: a vector table into system memory, its stack in
	 * the first SRAM (AN2606) */
	sim_firmware_generate(sim, sysmem, cfg->sysmem_base, sim->mem_size[F4_REGION_SYSMEM],
			      0xB007u);
	f4_store32(sysmem, stack);
}

static void
f4_store_optcr(GlintSim *sim, guint32 set, guint32 clear)
{
	const SimF4Config *cfg = f4_cfg(sim);
	guint32 optcr = (cfg->optcr_factory & ~clear) | set;
	f4_options_store_optcr(sim, optcr, cfg->optcr1_factory);
}

/* nWRP0 = 0: sector 0, where the firmware's vector table is, protected
 * (the firmware locked itself) */
void
f4_scenario_protect_first_unit(GlintSim *sim)
{
	f4_store_optcr(sim, 0, 1u << FLASH_OPTCR_NWRP_SHIFT);
}

/* RDP 0x55: any value but 0xAA and 0xCC is level 1 (RM0090 3.7.3) */
void
f4_scenario_set_rdp_level1(GlintSim *sim)
{
	f4_store_optcr(sim, 0x55u << FLASH_OPTCR_RDP_SHIFT, FLASH_OPTCR_RDP_MASK);
}

/* What an earlier tool's misuse leaves: a write without PG (PGSERR), at the
 * wrong width (PGPERR), across a row (PGAERR), into a protected sector
 * (WRPERR) with the error interrupt on (OPERR), and a D-bus read of a PCROP
 * sector (RDERR) where the line has it */
void
f4_scenario_leave_stale_flags(GlintSim *sim)
{
	F4Flash *fl = &f4_state(sim)->fl;
	fl->sr |=
	    FLASH_SR_PGSERR | FLASH_SR_PGPERR | FLASH_SR_PGAERR | FLASH_SR_WRPERR | FLASH_SR_OPERR;
	if (f4_cfg(sim)->has_rderr)
		fl->sr |= FLASH_SR_RDERR;
}

/* Own scenarios ------------------------------------------------------------------------ */

/* 2.4 V: x16 at most (RM0090 table 13) */
static void
f4_setup_low_voltage(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	sim->target_mv = 2400;
}

/* and the firmware left FLASH_CR.PSIZE at x32, as HAL code written for
 * 3.3 V does */
static void
f4_low_voltage_first_boot(GlintSim *sim)
{
	F4Flash *fl = &f4_state(sim)->fl;
	fl->cr = (fl->cr & ~FLASH_CR_PSIZE_MASK) | (2u << FLASH_CR_PSIZE_SHIFT);
}

/* An option write cut short: the RDP/user word's complement is off */
static void
f4_setup_options_incoherent(GlintSim *sim)
{
	guint8 *word = F4_MEM(sim, F4_REGION_OPT) + F4_OPT_USER_RDP;
	sim_scenario_write_firmware(sim);
	word[3] ^= 0x5Au;
}

/* SPRMOD = 1 with sector 1 execute-only (nWRP1 = 1, the others 0) */
static void
f4_setup_pcrop(GlintSim *sim)
{
	guint32 nwrp = ((1u << f4_cfg(sim)->nwrp_bits) - 1u) << FLASH_OPTCR_NWRP_SHIFT;
	sim_scenario_write_firmware(sim);
	f4_store_optcr(sim, FLASH_OPTCR_SPRMOD | (2u << FLASH_OPTCR_NWRP_SHIFT), nwrp);
}

/* BFB2 with the firmware in bank 1 only: the bootloader finds nothing in
 * bank 2 and starts bank 1 (AN2606) */
static void
f4_setup_bfb2_empty(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	f4_store_optcr(sim, FLASH_OPTCR_BFB2, 0);
}

/* nDBANK = 0: two banks of 16/64/128 KB sectors, firmware in bank 1 */
static void
f4_setup_dual_bank(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	f4_store_optcr(sim, 0, FLASH_OPTCR_NDBANK);
}

/* dual bank, BOOT_ADD0 = 0x2040 (0x08100000, bank 2), which is empty: the
 * firmware of bank 1 never starts */
static void
f4_setup_boot_bank2_empty(GlintSim *sim)
{
	const SimF4Config *cfg = f4_cfg(sim);
	sim_scenario_write_firmware(sim);
	f4_options_store_optcr(sim, cfg->optcr_factory & ~FLASH_OPTCR_NDBANK,
			       (cfg->optcr1_factory & 0xFFFF0000u) | 0x2040u);
}

/* How the F2/F4/F7 do the generic scenarios */
const SimScenario f4_scenario_texts[] = {
    {"wrp", N_("firmware present, sector 0 write-protected (nWRP0 = 0: it locked itself)")},
    {"rdp1", N_("firmware present, read protection level 1 (RDP 0x55)")},
    {"stale-errors",
     N_("FLASH_SR has PGSERR, PGPERR, PGAERR, WRPERR and OPERR (and RDERR) left set")},
    {NULL},
};

#define SCENARIO_LOW_VOLTAGE                                                                       \
	{                                                                                          \
		"low-voltage", N_("supply at 2.4 V (x16 at most) and FLASH_CR.PSIZE left at x32"), \
		    f4_setup_low_voltage, f4_low_voltage_first_boot                                \
	}
#define SCENARIO_OPTIONS_INCOHERENT                                                                \
	{                                                                                          \
		"torn-options",                                                                    \
		    N_("an option write was cut short: the RDP/user word disagrees with its "      \
		       "complement"),                                                              \
		    f4_setup_options_incoherent                                                    \
	}
#define SCENARIO_PCROP                                                                             \
	{                                                                                          \
		"pcrop", N_("SPRMOD = 1, sector 1 execute-only (PCROP)"), f4_setup_pcrop           \
	}

static const SimScenario f401_scenarios[] = {
    SCENARIO_LOW_VOLTAGE,
    SCENARIO_OPTIONS_INCOHERENT,
    SCENARIO_PCROP,
};
static const SimScenario f429_scenarios[] = {
    SCENARIO_LOW_VOLTAGE,
    SCENARIO_OPTIONS_INCOHERENT,
    SCENARIO_PCROP,
    {"bfb2-empty", N_("dual-bank boot (BFB2) set, firmware in bank 1, bank 2 erased"),
     f4_setup_bfb2_empty},
};
static const SimScenario f767_scenarios[] = {
    SCENARIO_LOW_VOLTAGE,
    SCENARIO_OPTIONS_INCOHERENT,
    {"dual-bank", N_("nDBANK = 0: two banks of 16/64/128 KB sectors, firmware in bank 1"),
     f4_setup_dual_bank},
    {"boot-bank2", N_("dual bank, BOOT_ADD0 = 0x08100000 (bank 2), which is erased"),
     f4_setup_boot_bank2_empty},
};
static const SimScenario f207_scenarios[] = {
    SCENARIO_LOW_VOLTAGE,
    SCENARIO_OPTIONS_INCOHERENT,
};

/* DBGMCU_IDCODE: REV_ID [31:16], DEV_ID [11:0] (RM0090 38.6.1); revisions
 * as the boards' chips are sold (Z, A, A, 3, Z, X; recalled) */
static const SimBoard f4_boards[] = {
    {"nucleo-f401re", "NUCLEO-F401RE", "STM32F401RE", &sim_f401_machine, 512, 0x10010433u,
     N_("ST's Nucleo-64 board (UM1724): STM32F401RE, 512 KB in 8 sectors, 96 KB SRAM"),
     f401_scenarios, G_N_ELEMENTS(f401_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"nucleo-f411re", "NUCLEO-F411RE", "STM32F411RE", &sim_f411_machine, 512, 0x10000431u,
     N_("ST's Nucleo-64 board (UM1724): STM32F411RE, 512 KB in 8 sectors, 128 KB SRAM"),
     f401_scenarios, G_N_ELEMENTS(f401_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"nucleo-f446re", "NUCLEO-F446RE", "STM32F446RE", &sim_f446_machine, 512, 0x10000421u,
     N_("ST's Nucleo-64 board (UM1724): STM32F446RE, 512 KB in 8 sectors, 128 KB SRAM"),
     f401_scenarios, G_N_ELEMENTS(f401_scenarios),
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1724) */},
    {"stm32f429i-disc1", "STM32F429I-DISC1", "STM32F429ZI", &sim_f429_machine, 2048, 0x20010419u,
     N_("ST's Discovery kit (UM1670): STM32F429ZI, 2 MB in two banks of 12 sectors, 256 KB SRAM"),
     f429_scenarios, G_N_ELEMENTS(f429_scenarios), SIM_LED('G', 13) /* LD3 (UM1670) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-B (UM1670): a V2-1 to the host */},
    {"nucleo-f767zi", "NUCLEO-F767ZI", "STM32F767ZI", &sim_f767_machine, 2048, 0x10010451u,
     N_("ST's Nucleo-144 board (UM1974): STM32F767ZI, 2 MB, one bank of 32/128/256 KB sectors "
	"(nDBANK = 1) or two, 512 KB SRAM"),
     f767_scenarios, G_N_ELEMENTS(f767_scenarios), SIM_LED('B', 0) /* LD1 (UM1974) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1974, MB1137) */},
    {"nucleo-f207zg", "NUCLEO-F207ZG", "STM32F207ZG", &sim_f207_machine, 1024, 0x20030411u,
     N_("ST's Nucleo-144 board (UM1974): STM32F207ZG, 1 MB in 12 sectors, 128 KB SRAM"),
     f207_scenarios, G_N_ELEMENTS(f207_scenarios), SIM_LED('B', 0) /* LD1 (UM1974) */,
     .probe = GLINT_PROBE_KIND_V2_1 /* ST-LINK/V2-1 (UM1974, MB1137) */},
};

const SimBoardTable sim_f4_boards = {f4_boards, G_N_ELEMENTS(f4_boards)};
