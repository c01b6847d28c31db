/* f4-faults.c: what a failing supply leaves in an F2/F4/F7's flash.
 *
 * An erase cut short leaves its sectors partly erased, a program cut short
 * leaves some of the unit's 0 bits at 1, and an option write cut short
 * leaves the RDP/user word disagreeing with its complement, so the next
 * load falls back to read protection level 1. The framework (sim-faults.c)
 * decides when. */
#define G_LOG_DOMAIN "glint-sim"

#include "f4-machine.h"

/* BOR_LEV (RM0090 3.9.9): 0 level 3, 1 level 2, 2 level 1, 3 off (the
 * POR/PDR threshold); falling thresholds DS8626 table 21 (typical) */
static const guint f4_bor_levels_mv[] = {2800, 2500, 2190, 1700};

guint
f4_bor_threshold_mv(GlintSim *sim)
{
	guint level = (f4_state(sim)->ob.optcr >> FLASH_OPTCR_BOR_SHIFT) & 0x3u;
	return f4_bor_levels_mv[level];
}

static GlintSimCut
f4_faults_cut_erase(GlintSim *sim)
{
	F4Flash *fl = &f4_state(sim)->fl;
	for (guint i = fl->op_first_sector; i < fl->op_first_sector + fl->op_sectors; i++) {
		SimF4Sector s;
		if (f4_sector_nth(sim, i, &s))
			sim_faults_cut_erase(sim, F4_MEM(sim, F4_REGION_FLASH) + s.offset, s.size);
	}
	return GLINT_SIM_CUT_ERASE;
}

/* The configuration sector was erased, not yet all written: the RDP/user
 * word's complement is not what it should be */
static GlintSimCut
f4_faults_cut_options(GlintSim *sim)
{
	guint8 *word = F4_MEM(sim, F4_REGION_OPT) + F4_OPT_USER_RDP;
	word[3] ^= 0x5Au;
	return GLINT_SIM_CUT_OPTIONS;
}

GlintSimCut
f4_flash_power_fail(GlintSim *sim)
{
	F4Flash *fl = &f4_state(sim)->fl;
	GlintSimCut cut = GLINT_SIM_CUT_NONE;
	/* an operation whose time is up has finished */
	f4_flash_tick(sim);
	if (!sim->flash_op.active)
		return GLINT_SIM_CUT_NONE;
	if (fl->op_options)
		cut = f4_faults_cut_options(sim);
	else if (fl->op_sectors > 0)
		cut = f4_faults_cut_erase(sim);
	else if (fl->op_prog_size > 0)
		cut = sim_faults_cut_program(sim, fl->op_prog_addr, fl->op_prog_size)
			  ? GLINT_SIM_CUT_PROGRAM
			  : GLINT_SIM_CUT_NONE;
	sim->flash_op.active = FALSE;
	return cut;
}
