/* l4-faults.c: what a failing supply leaves in an STM32L4's flash.
 *
 * Power failing in the middle of a flash operation leaves what silicon
 * would: an erase cut short leaves its pages partly erased, a double-word
 * program cut short leaves some of the word's 0 bits still at 1, and an
 * option-byte program cut short leaves an option word that disagrees with
 * its complement, so the next load reports OPTVERR and falls back to the
 * safe defaults (RDP level 1). The framework (sim-faults.c) decides when. */
#define G_LOG_DOMAIN "glint-sim"

#include "l4-machine.h"

/* RM0351 3.4.1 FLASH_OPTR.BOR_LEV and DS10198 table 25 (falling edge);
 * the WB and WL keep BOR_LEV in [11:9] (RM0434 3.10.8, RM0453 4.10.8);
 * the G0 has BOREN and BORF_LEV [12:11] (falling edge) for 2.0-2.8 V, and without BOREN
 * only its power-on reset, taken here at 1.7 V (RM0444 3.7.8; DS12232) */
#define OPTR_BOR_LEV_SHIFT 8
static const guint l4_bor_levels_mv[] = {1700, 2000, 2200, 2500, 2800};

guint
l4_bor_threshold_mv(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	guint32 optr = l4_ob(sim, FLASH_OPTR);
	guint level;
	if (cfg->g0_boot) {
		if (!(optr & G0_OPTR_BOREN))
			return l4_bor_levels_mv[0];
		return l4_bor_levels_mv[1 + ((optr >> G0_OPTR_BORF_LEV_SHIFT) & 3u)];
	}
	level = (optr >> (cfg->sfsa_mask != 0 ? WX_OPTR_BOR_LEV_SHIFT : OPTR_BOR_LEV_SHIFT)) & 7u;
	return l4_bor_levels_mv[MIN(level, G_N_ELEMENTS(l4_bor_levels_mv) - 1)];
}

static GlintSimCut
l4_faults_cut_erase(GlintSim *sim)
{
	L4Flash *fl = &l4_state(sim)->fl;
	L4Geometry g = l4_geometry(sim);
	guint8 *flash = L4_MEM(sim, L4_REGION_FLASH);

	if (fl->cr & FLASH_CR_PER) {
		guint bank;
		guint page = l4_flash_cr_page(sim, fl->cr, &bank);
		gsize off = (bank ? g.bank2_offset : 0) + (gsize)page * g.page_size;
		if (off + g.page_size <= g.size)
			sim_faults_cut_erase(sim, flash + off, g.page_size);
		return GLINT_SIM_CUT_ERASE;
	}
	if (!g.dual) {
		sim_faults_cut_erase(sim, flash, g.size);
		return GLINT_SIM_CUT_ERASE;
	}
	if (fl->cr & FLASH_CR_MER1)
		sim_faults_cut_erase(sim, flash, g.size / 2);
	if (fl->cr & FLASH_CR_MER2)
		sim_faults_cut_erase(sim, flash + g.bank2_offset, g.size / 2);
	return GLINT_SIM_CUT_ERASE;
}

/* An option program cut short: OPTR's complement is only partly written, so
 * the pair disagrees at the next load (OPTVERR, safe defaults). */
static GlintSimCut
l4_faults_cut_options(GlintSim *sim)
{
	const L4OptWord *w = l4_opt_word(sim, FLASH_OPTR);
	guint8 *complement = L4_MEM(sim, L4_REGION_OPT1) + w->offset + 4;
	complement[2] ^= 0x0Fu;
	return GLINT_SIM_CUT_OPTIONS;
}

GlintSimCut
l4_flash_power_fail(GlintSim *sim)
{
	L4Flash *fl = &l4_state(sim)->fl;
	GlintSimCut cut = GLINT_SIM_CUT_NONE;
	/* an operation whose time is up has finished */
	l4_flash_tick(sim);
	if (!sim->flash_op.active)
		return GLINT_SIM_CUT_NONE;
	if (fl->cr & FLASH_CR_OPTSTRT)
		cut = l4_faults_cut_options(sim);
	else if (fl->cr & (FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_MER2))
		cut = l4_faults_cut_erase(sim);
	else if (fl->cr & FLASH_CR_PG)
		cut = sim_faults_cut_program(sim, fl->pending_addr, 8) ? GLINT_SIM_CUT_PROGRAM
								       : GLINT_SIM_CUT_NONE;
	sim->flash_op.active = FALSE;
	return cut;
}
