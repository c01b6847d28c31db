/* sim-faults.c: what a failing supply does to a board.
 *
 * The machine says what its flash operation in progress leaves when power
 * fails (SimMachineOps.power_fail: pages partly erased, a word half
 * programmed, option bytes that disagree with their complements); this
 * file decides when power fails and provides the damage itself, in the
 * direction of the region's erased value.
 *
 * Between two probe commands no programming unit is ever in flight (each
 * programs in tens of microseconds inside the command that wrote it), so a
 * cut "after N units" strikes from inside the flash model instead: during
 * the memory write that streams the data (programming directly) or during
 * the store instruction of a loader running on the core. The ECC of a unit
 * cut that way is not valid either; the model does not raise ECC errors, so
 * reading it back gives the half-programmed bits as they are: a verify
 * names it. A supply below the brown-out threshold holds the chip in reset:
 * nothing answers on SWD until it rises again, which is a power-on reset. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-faults.h"

#include "sim-private.h"

/* A machine without a BOR model: the lowest STM32 BOR level (estimate) */
#define SIM_BOR_DEFAULT_MV 1700u

guint
sim_faults_bor_mv(GlintSim *sim)
{
	const SimMachineOps *ops = sim->machine->ops;
	return ops->bor_threshold_mv != NULL ? ops->bor_threshold_mv(sim) : SIM_BOR_DEFAULT_MV;
}

guint
glint_sim_get_bor_threshold_mv(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, 0);
	return sim_faults_bor_mv(sim);
}

/* The erased value of main flash */
static guint8
sim_faults_erased(GlintSim *sim)
{
	gint flash = sim_region_find(sim, SIM_REGION_FLASH);
	return flash >= 0 ? sim->machine->regions[flash].erased : 0xFF;
}

/* An erase cut short: the cells have not all reached the erased value yet.
 * Deterministic per board time, so a test run can be repeated. */
void
sim_faults_cut_erase(GlintSim *sim, guint8 *p, gsize len)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)sim->now_ns ^ (guint32)len);
	gboolean to_ones = sim_faults_erased(sim) == 0xFF;
	for (gsize i = 0; i < len; i += 8) {
		/* about one double word in four is not erased yet */
		if (g_rand_int_range(rand, 0, 4) != 0)
			continue;
		if (to_ones)
			p[i + g_rand_int_range(rand, 0, 8)] &= (guint8)g_rand_int(rand);
		else
			p[i + g_rand_int_range(rand, 0, 8)] |= (guint8)~g_rand_int(rand);
	}
	/* at least one bit, so that the area cannot pass for erased */
	if (to_ones)
		p[0] &= 0x7Fu;
	else
		p[0] |= 0x80u;
}

gboolean
sim_faults_cut_program(GlintSim *sim, guint32 addr, guint len)
{
	guint8 *p = sim_flash_ptr(sim, addr, len);
	gboolean to_ones = sim_faults_erased(sim) == 0xFF;
	g_autoptr(GRand) rand = NULL;

	if (p == NULL)
		return FALSE;
	rand = g_rand_new_with_seed((guint32)sim->now_ns ^ addr);
	/* some of the bits that were to leave the erased state have not */
	for (guint i = 0; i < len; i++) {
		guint8 r = (guint8)g_rand_int(rand);
		p[i] = to_ones ? (guint8)(p[i] | r) : (guint8)(p[i] & ~r);
	}
	return TRUE;
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

/* Power fails during the unit at @addr, whose program has begun. */
static void
sim_faults_cut_now(GlintSim *sim, guint32 addr, guint unit)
{
	sim->dword_cut_armed = FALSE;
	/* the cut unit must be damaged for certain: a random image can have a
	 * unit whose random bits happen to cover the lot; then the cut lands
	 * between the units and nothing is left half done */
	if (sim_faults_cut_program(sim, addr, unit)) {
		sim->dword_cut_done = TRUE;
		sim->dword_cut_addr = addr;
	}
	sim->flash_op.active = FALSE;
	sim->target_mv = 0;
	/* code on the core stops here, not at the end of its time slice */
	sim_cpu_stop_now(sim);
	g_debug("simulated board %s: power failed while programming the unit at 0x%08X",
		sim->serial, addr);
}

void
sim_faults_unit_started(GlintSim *sim, guint32 addr, guint unit)
{
	if (!sim->dword_cut_armed)
		return;
	if (sim->dword_cut_left > 0) {
		sim->dword_cut_left--;
		return;
	}
	sim_faults_cut_now(sim, addr, unit);
}

void
sim_faults_row_started(GlintSim *sim, guint32 row, guint32 len, guint unit)
{
	guint32 cut;
	guint8 *p;

	if (!sim->dword_cut_armed)
		return;
	if (sim->dword_cut_left >= len / unit) {
		sim->dword_cut_left -= len / unit;
		return;
	}
	/* the row programs in address order: the units after the cut one
	 * never started and stay erased */
	cut = row + (guint32)sim->dword_cut_left * unit;
	p = sim_flash_ptr(sim, cut + unit, row + len - cut - unit);
	if (p != NULL)
		memset(p, sim_faults_erased(sim), row + len - cut - unit);
	sim_faults_cut_now(sim, cut, unit);
}

GlintSimCut
glint_sim_power_fail(GlintSim *sim)
{
	const SimMachineOps *ops;
	GlintSimCut cut = GLINT_SIM_CUT_NONE;

	g_return_val_if_fail(sim != NULL, GLINT_SIM_CUT_NONE);
	ops = sim->machine->ops;
	/* up to now everything happened: code on the core ran */
	sim_cpu_catch_up(sim);
	if (ops->power_fail != NULL)
		cut = ops->power_fail(sim);
	if (cut != GLINT_SIM_CUT_NONE)
		g_debug("simulated board %s: power failed, %s cut short", sim->serial,
			glint_sim_cut_to_string(cut));
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
