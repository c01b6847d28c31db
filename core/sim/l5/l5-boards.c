/* l5-boards.c: the STM32L5/U5 boards (NUCLEO-L552ZE-Q, NUCLEO-U575ZI-Q)
 * and what their scenarios put in the chip: the factory option bytes,
 * write protection, read protection, stale flags, and the family's own
 * trouble: TrustZone on with a secure firmware, every page secure, RDP
 * level 0.5, BOOT_LOCK, a U5 WRP area locked for good, the L5 in
 * single-bank mode. */
#define G_LOG_DOMAIN "glint-sim"

#include "glint-i18n.h"
#include "l5-machine.h"

/* RM0438 6.4.1 / RM0456 7.4.1: option bytes as shipped, the bootloader in
 * system memory */
void
l5_scenario_factory(GlintSim *sim)
{
	guint32 set[L5_OPT_COUNT];
	l5_options_factory(sim, set);
	l5_options_store(sim, set);
	sim_firmware_generate(sim, L5_MEM(sim, L5_REGION_SYSMEM), L5_SYSMEM_BASE,
			      sim->mem_size[L5_REGION_SYSMEM], 0xB007u);
}

/* Edit the option bytes as stored (the factory hook ran first) */
static void
l5_scenario_edit(GlintSim *sim, void (*edit)(guint32 *set))
{
	guint32 set[L5_OPT_COUNT];
	l5_options_stored(sim, set);
	edit(set);
	l5_options_store(sim, set);
}

static void
l5_set_area(guint32 *reg, guint first, guint last)
{
	*reg = (*reg & ~FLASH_AREA_FIELDS) | first | (last << 16);
}

static void
wrp_page0(guint32 *set)
{
	l5_set_area(&set[L5_OPT_WRP1AR], 0, 0);
}

/* The firmware locked its first page: WRP1A over page 0 of bank 1 */
void
l5_scenario_protect_first_unit(GlintSim *sim)
{
	l5_scenario_edit(sim, wrp_page0);
}

static void
rdp_level1(guint32 *set)
{
	set[L5_OPT_OPTR] = (set[L5_OPT_OPTR] & ~FLASH_OPTR_RDP_MASK) | 0xBBu;
}

/* RDP 0xBB: any value but 0xAA, 0xCC (and 0x55 with TZEN) is level 1 */
void
l5_scenario_set_rdp_level1(GlintSim *sim)
{
	l5_scenario_edit(sim, rdp_level1);
}

/* An earlier tool's program error and the sequence error that followed */
void
l5_scenario_leave_stale_flags(GlintSim *sim)
{
	l5_state(sim)->fl.dom[L5_NS].sr |= FLASH_SR_PROGERR | FLASH_SR_PGSERR;
}

/* The family's own scenarios ------------------------------------------------------------ */

/* The pages of bank 1 the secure firmware keeps: the first 32 KB on the L5
 * (2 KB pages), 128 KB on the U5 */
#define L5_SECURE_PAGES 16u

static void
trustzone_on(guint32 *set)
{
	set[L5_OPT_OPTR] |= FLASH_OPTR_TZEN;
	l5_set_area(&set[L5_OPT_SECWM1R1], 0, L5_SECURE_PAGES - 1);
	/* bank 2 all non-secure: start above end */
	l5_set_area(&set[L5_OPT_SECWM2R1], 0x7F, 0);
}

/* A secure firmware in the first pages of bank 1, linked at the secure
 * alias where SECBOOTADD0 points */
static void
l5_setup_trustzone(GlintSim *sim)
{
	sim_firmware_generate(sim, L5_MEM(sim, L5_REGION_FLASH), L5_FLASH_S_BASE, 24u * 1024u,
			      0x7217u);
	l5_scenario_edit(sim, trustzone_on);
}

static void
trustzone_alone(guint32 *set)
{
	set[L5_OPT_OPTR] |= FLASH_OPTR_TZEN;
}

/* TZEN set and nothing else: the factory watermarks make every page secure */
static void
l5_setup_all_secure(GlintSim *sim)
{
	sim_firmware_generate(sim, L5_MEM(sim, L5_REGION_FLASH), L5_FLASH_S_BASE, 24u * 1024u,
			      0x7218u);
	l5_scenario_edit(sim, trustzone_alone);
}

static void
rdp_half(guint32 *set)
{
	set[L5_OPT_OPTR] = (set[L5_OPT_OPTR] & ~FLASH_OPTR_RDP_MASK) | OPTR_RDP_HALF;
}

/* TrustZone with the secure firmware, read protection level 0.5 */
static void
l5_setup_rdp_half(GlintSim *sim)
{
	l5_setup_trustzone(sim);
	l5_scenario_edit(sim, rdp_half);
}

static void
boot_lock(guint32 *set)
{
	set[L5_OPT_SECBOOTADD0R] |= FLASH_SECBOOTADD0R_BOOT_LOCK;
}

/* TrustZone with the secure firmware, BOOT_LOCK set */
static void
l5_setup_boot_lock(GlintSim *sim)
{
	l5_setup_trustzone(sim);
	l5_scenario_edit(sim, boot_lock);
}

static void
wrp_locked(guint32 *set)
{
	l5_set_area(&set[L5_OPT_WRP1AR], 0, 1);
	set[L5_OPT_WRP1AR] &= ~FLASH_WRPR_UNLOCK;
}

/* What OpenOCD 0.12's `flash protect` leaves on a U5: WRP1A over pages 0-1
 * with UNLOCK = 0, locked for good */
static void
l5_setup_wrp_locked(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	l5_scenario_edit(sim, wrp_locked);
}

static void
single_bank(guint32 *set)
{
	set[L5_OPT_OPTR] &= ~FLASH_OPTR_DBANK;
}

/* A 512 KB L5 with DBANK = 0: one bank of 128 pages of 4 KB */
static void
l5_setup_single_bank(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	l5_scenario_edit(sim, single_bank);
}

/* How the family does the generic scenarios */
const SimScenario l5_scenario_texts[] = {
    {"wrp", N_("firmware present, WRP1A protects page 0 of bank 1 (it locked itself)")},
    {"rdp1", N_("firmware present, read protection level 1 (RDP 0xBB)")},
    {"stale-errors", N_("FLASH_NSSR has PROGERR and PGSERR left set by an earlier tool")},
    {NULL},
};

#define TRUSTZONE_SCENARIOS                                                                        \
	{"trustzone",                                                                              \
	 N_("TrustZone on (TZEN = 1): a secure firmware in pages 0-15 of bank 1 (SECWM1), the "    \
	    "rest "                                                                                \
	    "non-secure"),                                                                         \
	 l5_setup_trustzone},                                                                      \
	    {"all-secure",                                                                         \
	     N_("TZEN = 1 set alone: the factory watermarks make every page secure"),              \
	     l5_setup_all_secure},                                                                 \
	    {"rdp0.5",                                                                             \
	     N_("TrustZone on with its secure firmware, read protection level 0.5 (0x55)"),        \
	     l5_setup_rdp_half},                                                                   \
	{                                                                                          \
		"boot-lock", N_("TrustZone on with its secure firmware, BOOT_LOCK set"),           \
		    l5_setup_boot_lock                                                             \
	}

static const SimScenario l552_scenarios[] = {
    TRUSTZONE_SCENARIOS,
    {"single-bank", N_("firmware present, DBANK = 0: one bank of 128 pages of 4 KB"),
     l5_setup_single_bank},
};

static const SimScenario u575_scenarios[] = {
    TRUSTZONE_SCENARIOS,
    {"wrp-locked",
     N_("firmware present, WRP1A over pages 0-1 with UNLOCK = 0 (as OpenOCD 0.12's flash protect "
	"leaves it): locked for good"),
     l5_setup_wrp_locked},
};

/* DBGMCU_IDCODE: REV_ID [31:16], DEV_ID [11:0]; revision B (0x2000) of
 * both, a revision OpenOCD 0.12 names too; bits 15:12 read 0 (recalled) */
#define L552_IDCODE 0x20000472u
#define U575_IDCODE 0x20000482u

static const SimBoard l5_boards[] = {
    {"nucleo-l552ze-q", "NUCLEO-L552ZE-Q", "STM32L552ZET6Q", &sim_l552_machine.machine, 512,
     L552_IDCODE,
     N_("ST's Nucleo-144 board (UM2581): a Cortex-M33 with TrustZone, 512 KB of flash in two "
	"banks of 2 KB pages, double-word programming"),
     l552_scenarios, G_N_ELEMENTS(l552_scenarios), SIM_LED('C', 7) /* LD1 (UM2581) */,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2581, MB1361) */},
    {"nucleo-u575zi-q", "NUCLEO-U575ZI-Q", "STM32U575ZIT6Q", &sim_u575_machine.machine, 2048,
     U575_IDCODE,
     N_("ST's Nucleo-144 board (UM2861): a Cortex-M33 with TrustZone, 2 MB of flash in two banks "
	"of 8 KB pages, quad-word programming"),
     u575_scenarios, G_N_ELEMENTS(u575_scenarios), SIM_LED('C', 7) /* LD1 (UM2861) */,
     .probe = GLINT_PROBE_KIND_V3 /* STLINK-V3E (UM2861, MB1549) */},
};

const SimBoardTable sim_l5_boards = {l5_boards, G_N_ELEMENTS(l5_boards)};
