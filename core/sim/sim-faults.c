/* sim-faults.c: what a failing supply does to an STM32L4 board.
 *
 * Power failing in the middle of a flash operation leaves what silicon
 * would: an erase cut short leaves its pages partly erased (bits that had
 * not yet reached 1 scattered through them), a double-word program cut short
 * leaves some of the word's 0 bits still at 1, and an option-byte program cut
 * short leaves an option word that disagrees with its complement, so the
 * next load reports OPTVERR and falls back to the safe defaults.
 *
 * Between two probe commands no double word is ever in flight (each
 * programs in 82 us inside the command that wrote it), so a cut "after N
 * double words" strikes from inside the flash controller instead: during the
 * memory write that streams the data (programming directly) or during the
 * store instruction of the loader running on the core. The ECC of a double
 * word cut that way is not valid either; the model does not raise ECC
 * errors, so reading it back gives the half-programmed bits as they are
 * (image bits that should be 0 still 1 in places): a verify names it. A supply
 * below the brown-out threshold holds the chip in reset: nothing answers on
 * SWD until it rises again, which is a power-on reset. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-faults.h"

#include "l4/l4-machine.h"

/* RM0351 3.4.1 FLASH_OPTR.BOR_LEV and DS10198 table 25 (falling edge). */
#define OPTR_BOR_LEV_SHIFT 8
#define OPTR_BOR_LEV_MASK (7u << OPTR_BOR_LEV_SHIFT)
static const guint bor_threshold_mv[] = {1700, 2000, 2200, 2500, 2800};

guint
sim_faults_bor_mv(GlintSim *sim)
{
	guint level = (sim->ob.optr & OPTR_BOR_LEV_MASK) >> OPTR_BOR_LEV_SHIFT;
	return bor_threshold_mv[MIN(level, G_N_ELEMENTS(bor_threshold_mv) - 1)];
}

guint
glint_sim_get_bor_threshold_mv(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, 0);
	return sim_faults_bor_mv(sim);
}

/* An erase cut short: the cells have not all reached 1 yet. Deterministic
 * per board time, so a test run can be repeated. */
static void
sim_faults_scatter_zeros(GlintSim *sim, guint8 *p, gsize len)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)sim->now_ns ^ (guint32)len);
	for (gsize i = 0; i < len; i += 8) {
		/* about one double word in four still has 0 bits */
		if (g_rand_int_range(rand, 0, 4) == 0)
			p[i + g_rand_int_range(rand, 0, 8)] &= (guint8)g_rand_int(rand);
	}
	/* at least one bit, so that the page cannot pass for erased */
	p[0] &= 0x7Fu;
}

static GlintSimCut
sim_faults_cut_erase(GlintSim *sim)
{
	SimFlash *fl = &sim->fl;
	SimGeometry g = sim_geometry(sim);

	if (fl->cr & FLASH_CR_PER) {
		guint bank = (fl->cr & FLASH_CR_BKER) ? 1 : 0;
		guint page = (fl->cr & FLASH_CR_PNB_MASK) >> FLASH_CR_PNB_SHIFT;
		gsize off = (bank ? g.bank2_offset : 0) + (gsize)page * L4_FLASH_PAGE_SIZE;
		if (off + L4_FLASH_PAGE_SIZE <= g.size)
			sim_faults_scatter_zeros(sim, L4_MEM(sim, L4_REGION_FLASH) + off,
						 L4_FLASH_PAGE_SIZE);
		return GLINT_SIM_CUT_ERASE;
	}
	if (!g.dual) {
		sim_faults_scatter_zeros(sim, L4_MEM(sim, L4_REGION_FLASH), g.size);
		return GLINT_SIM_CUT_ERASE;
	}
	if (fl->cr & FLASH_CR_MER1)
		sim_faults_scatter_zeros(sim, L4_MEM(sim, L4_REGION_FLASH), g.size / 2);
	if (fl->cr & FLASH_CR_MER2)
		sim_faults_scatter_zeros(sim, L4_MEM(sim, L4_REGION_FLASH) + g.bank2_offset,
					 g.size / 2);
	return GLINT_SIM_CUT_ERASE;
}

/* A double word cut short: some of its 0 bits are still 1. */
static GlintSimCut
sim_faults_cut_dword(GlintSim *sim, guint32 addr)
{
	guint8 *p = sim_flash_ptr(sim, addr, 8);
	g_autoptr(GRand) rand = NULL;

	if (p == NULL)
		return GLINT_SIM_CUT_NONE;
	rand = g_rand_new_with_seed((guint32)sim->now_ns ^ addr);
	for (guint i = 0; i < 8; i++)
		p[i] |= (guint8)g_rand_int(rand);
	return GLINT_SIM_CUT_PROGRAM;
}

static GlintSimCut
sim_faults_cut_program(GlintSim *sim)
{
	return sim_faults_cut_dword(sim, sim->fl.pending_addr);
}

void
glint_sim_set_power_fail_after_double_words(GlintSim *sim, guint64 count)
{
	g_return_if_fail(sim != NULL);
	sim->dword_cut_armed = TRUE;
	sim->dword_cut_left = count;
	sim->dword_cut_done = FALSE;
}

gboolean
glint_sim_get_power_cut_address(GlintSim *sim, guint32 *addr)
{
	g_return_val_if_fail(sim != NULL, FALSE);
	if (!sim->dword_cut_done)
		return FALSE;
	if (addr != NULL)
		*addr = sim->dword_cut_addr;
	return TRUE;
}

/* Power fails during the double word at @addr, whose program has begun. */
static void
sim_faults_cut_now(GlintSim *sim, guint32 addr)
{
	sim->dword_cut_armed = FALSE;
	/* the cut word must be damaged for certain: a random image can have a
	 * double word whose random 1 bits happen to cover the lot; then the
	 * cut lands between the words and nothing is left half done */
	if (sim_faults_cut_dword(sim, addr) != GLINT_SIM_CUT_NONE) {
		sim->dword_cut_done = TRUE;
		sim->dword_cut_addr = addr;
	}
	sim->fl.op_active = FALSE;
	sim->target_mv = 0;
	/* code on the core stops here, not at the end of its time slice */
	sim_cpu_stop_now(sim);
	g_debug("simulated board %s: power failed while programming the double word at "
		"0x%08X",
		sim->serial, addr);
}

void
sim_faults_dword_started(GlintSim *sim, guint32 addr)
{
	if (!sim->dword_cut_armed)
		return;
	if (sim->dword_cut_left > 0) {
		sim->dword_cut_left--;
		return;
	}
	sim_faults_cut_now(sim, addr);
}

void
sim_faults_row_started(GlintSim *sim, guint32 row, guint32 len)
{
	guint32 cut;
	guint8 *p;

	if (!sim->dword_cut_armed)
		return;
	if (sim->dword_cut_left >= len / 8) {
		sim->dword_cut_left -= len / 8;
		return;
	}
	/* the row programs in address order: the words after the cut one
	 * never started and stay erased */
	cut = row + (guint32)sim->dword_cut_left * 8;
	p = sim_flash_ptr(sim, cut + 8, row + len - cut - 8);
	if (p != NULL)
		memset(p, 0xFF, row + len - cut - 8);
	sim_faults_cut_now(sim, cut);
}

/* An option program cut short: OPTR's complement is only partly written, so
 * the pair disagrees at the next load (OPTVERR, safe defaults). */
static GlintSimCut
sim_faults_cut_options(GlintSim *sim)
{
	guint8 *complement = L4_MEM(sim, L4_REGION_OPT1) + L4_OPT_OPTR + 4;
	complement[2] ^= 0x0Fu;
	return GLINT_SIM_CUT_OPTIONS;
}

GlintSimCut
glint_sim_power_fail(GlintSim *sim)
{
	SimFlash *fl;
	GlintSimCut cut = GLINT_SIM_CUT_NONE;

	g_return_val_if_fail(sim != NULL, GLINT_SIM_CUT_NONE);
	fl = &sim->fl;
	/* up to now everything happened: code on the core ran, and an
	 * operation whose time is up has finished */
	sim_cpu_catch_up(sim);
	sim_flash_tick(sim);
	if (fl->op_active) {
		if (fl->cr & FLASH_CR_OPTSTRT)
			cut = sim_faults_cut_options(sim);
		else if (fl->cr & (FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_MER2))
			cut = sim_faults_cut_erase(sim);
		else if (fl->cr & FLASH_CR_PG)
			cut = sim_faults_cut_program(sim);
		fl->op_active = FALSE;
		g_debug("simulated board %s: power failed, %s cut short", sim->serial,
			glint_sim_cut_to_string(cut));
	}
	sim->target_mv = 0;
	return cut;
}

const char *
glint_sim_cut_to_string(GlintSimCut cut)
{
	switch (cut) {
	case GLINT_SIM_CUT_ERASE:
		return "an erase";
	case GLINT_SIM_CUT_PROGRAM:
		return "a double-word program";
	case GLINT_SIM_CUT_OPTIONS:
		return "an option-byte program";
	default:
		return "nothing";
	}
}
