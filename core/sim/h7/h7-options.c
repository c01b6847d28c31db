/* h7-options.c: the STM32H7 option bytes (RM0433 4.4).
 *
 * The chip keeps its option bytes in a flash area of its own; the model
 * stores each register as a value and its complement (a change cut short
 * leaves a pair that disagrees). Software writes the *_PRG registers with
 * OPTLOCK clear and sets OPTSTART: the change is checked (an area that may
 * only grow, SECURITY that may only be set, RDP level 2 final), an RDP
 * 1 -> 0 regression erases the flash, and the *_CUR registers show the new
 * values as soon as OPT_BUSY clears. SWAP_BANK_OPT takes effect at the next
 * reset (h7-machine.c). Power-on loads the area. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "h7-machine.h"

static guint32
h7_load32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static void
h7_put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

static void
h7_options_put(GlintSim *sim, guint index, guint32 value)
{
	guint8 *p = H7_MEM(sim, H7_REGION_OPTSTORE) + index * 8u;
	h7_put32(p, value);
	h7_put32(p + 4, ~value);
}

/* One value/complement pair; on disagreement @safe and *@bad */
static guint32
h7_options_get(GlintSim *sim, guint index, guint32 safe, gboolean *bad)
{
	const guint8 *p = H7_MEM(sim, H7_REGION_OPTSTORE) + index * 8u;
	guint32 v = h7_load32(p), c = h7_load32(p + 4);
	if (v == ~c)
		return v;
	g_debug("H7 option word %u: 0x%08x / complement 0x%08x disagree", index, v, c);
	*bad = TRUE;
	return safe;
}

void
h7_options_factory(GlintSim *sim, H7OptionSet *set)
{
	const H7Config *cfg = h7_config(sim);
	guint32 wpsn = cfg->wpsn_bits == 32 ? WPSN_FACTORY_32 : WPSN_FACTORY_8;
	set->optsr = cfg->optsr_factory;
	set->boot = BOOT_FACTORY;
	set->optsr2 = 0;
	for (guint b = 0; b < 2; b++) {
		set->wpsn[b] = wpsn;
		set->prar[b] = PRAR_FACTORY;
		set->scar[b] = SCAR_FACTORY;
	}
}

void
h7_options_store(GlintSim *sim, const H7OptionSet *set)
{
	h7_options_put(sim, H7_OPT_OPTSR, set->optsr & ~FLASH_OPTSR_STATUS);
	h7_options_put(sim, H7_OPT_BOOT, set->boot);
	h7_options_put(sim, H7_OPT_OPTSR2, set->optsr2);
	for (guint b = 0; b < 2; b++) {
		h7_options_put(sim, H7_OPT_WPSN1 + 3 * b, set->wpsn[b]);
		h7_options_put(sim, H7_OPT_PRAR1 + 3 * b, set->prar[b]);
		h7_options_put(sim, H7_OPT_SCAR1 + 3 * b, set->scar[b]);
	}
}

void
h7_options_load(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	H7OptionSet factory;
	gboolean bad = FALSE;

	h7_options_factory(sim, &factory);
	st->cur.optsr = h7_options_get(sim, H7_OPT_OPTSR, OPTSR_SAFE(factory.optsr), &bad);
	st->cur.boot = h7_options_get(sim, H7_OPT_BOOT, factory.boot, &bad);
	st->cur.optsr2 = h7_options_get(sim, H7_OPT_OPTSR2, 0, &bad);
	for (guint b = 0; b < 2; b++) {
		st->cur.wpsn[b] = h7_options_get(sim, H7_OPT_WPSN1 + 3 * b, WPSN_SAFE, &bad);
		st->cur.prar[b] = h7_options_get(sim, H7_OPT_PRAR1 + 3 * b, factory.prar[b], &bad);
		st->cur.scar[b] = h7_options_get(sim, H7_OPT_SCAR1 + 3 * b, factory.scar[b], &bad);
	}
	/* a failed load keeps the chip safe: level 1, every sector protected;
	 * OPTCHANGEERR tells software (modelling choice, see README) */
	if (bad) {
		st->cur.optsr = OPTSR_SAFE(st->cur.optsr);
		st->cur.wpsn[0] = st->cur.wpsn[1] = WPSN_SAFE;
	}
	st->opt_changeerr = bad;
	st->prg = st->cur;
}

guint8
h7_options_rdp(GlintSim *sim)
{
	return (guint8)((h7_state(sim)->cur.optsr & FLASH_OPTSR_RDP_MASK) >> FLASH_OPTSR_RDP_SHIFT);
}

gboolean
h7_options_rdp_protected(GlintSim *sim)
{
	return h7_options_rdp(sim) != OPTSR_RDP_LEVEL0;
}

gboolean
h7_options_sector_wrp(GlintSim *sim, guint bank, guint sector)
{
	const H7Config *cfg = h7_config(sim);
	guint bit = sector / cfg->sectors_per_wpsn_bit;
	/* RM0433 4.9.21: WRPSn = 0 protects sector n */
	return bit < cfg->wpsn_bits && !(h7_state(sim)->cur.wpsn[bank ? 1 : 0] & (1u << bit));
}

/* [start, end] of an area register, in bytes from the bank's start; FALSE
 * when the area is off (start > end) */
static gboolean
h7_area_range(guint32 reg, guint32 *first, guint32 *last)
{
	guint32 s = reg & 0xFFFu, e = (reg >> 16) & 0xFFFu;
	if (s > e)
		return FALSE;
	*first = s * FLASH_AREA_STEP;
	*last = e * FLASH_AREA_STEP + FLASH_AREA_STEP - 1;
	return TRUE;
}

gboolean
h7_options_area_hit(GlintSim *sim, guint bank, guint32 offset, guint32 len, gboolean *secure)
{
	const H7OptionSet *cur = &h7_state(sim)->cur;
	guint32 first, last;
	bank = bank ? 1 : 0;
	*secure = FALSE;
	if (h7_area_range(cur->prar[bank], &first, &last) && offset <= last &&
	    offset + len - 1 >= first)
		return TRUE;
	/* secure-only areas count only in secure access mode */
	if ((cur->optsr & FLASH_OPTSR_SECURITY) && h7_area_range(cur->scar[bank], &first, &last) &&
	    offset <= last && offset + len - 1 >= first) {
		*secure = TRUE;
		return TRUE;
	}
	return FALSE;
}

/* An area that may only grow (RM0433 4.5.3): the new one must hold the old */
static gboolean
h7_area_shrinks(guint32 old, guint32 new_reg)
{
	guint32 of, ol, nf, nl;
	if (!h7_area_range(old, &of, &ol))
		return FALSE;
	if (!h7_area_range(new_reg, &nf, &nl))
		return TRUE;
	return nf > of || nl < ol;
}

static gboolean
h7_options_change_refused(GlintSim *sim, const H7OptionSet *cur, const H7OptionSet *prg,
			  gboolean regression)
{
	if (h7_options_rdp(sim) == OPTSR_RDP_LEVEL2)
		return TRUE;
	if ((cur->optsr & FLASH_OPTSR_SECURITY) && !(prg->optsr & FLASH_OPTSR_SECURITY))
		return TRUE;
	for (guint b = 0; b < 2 && !regression; b++) {
		if (h7_area_shrinks(cur->prar[b], prg->prar[b]) ||
		    h7_area_shrinks(cur->scar[b], prg->scar[b]))
			return TRUE;
	}
	return FALSE;
}

/* RDP 1 -> 0: both banks erased, and with them PCROP/secure areas whose
 * DMEP/DMES is set (RM0433 4.5.2); areas without it survive */
static void
h7_options_regress(GlintSim *sim, H7OptionSet *prg)
{
	H7State *st = h7_state(sim);
	guint32 size = sim->flash_kb * 1024u;
	memset(H7_MEM(sim, H7_REGION_FLASH), 0xFF, size);
	memset(H7_MEM(sim, H7_REGION_ECCMAP), 0, H7_ECCMAP_SIZE);
	for (guint b = 0; b < 2; b++) {
		if (st->cur.prar[b] & FLASH_PRAR_DMEP)
			prg->prar[b] = PRAR_FACTORY | FLASH_PRAR_DMEP;
		if (st->cur.scar[b] & FLASH_SCAR_DMES)
			prg->scar[b] = SCAR_FACTORY;
	}
	sim->stats.mass_erases++;
}

void
h7_options_start(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	const H7Config *cfg = h7_config(sim);
	H7OptionSet prg = st->prg;
	guint8 new_rdp = (guint8)((prg.optsr & FLASH_OPTSR_RDP_MASK) >> FLASH_OPTSR_RDP_SHIFT);
	gboolean regression = h7_options_rdp_protected(sim) && new_rdp == OPTSR_RDP_LEVEL0;
	gint64 ns = H7_OPTION_CHANGE_NS;

	if (h7_options_change_refused(sim, &st->cur, &prg, regression)) {
		st->opt_changeerr = TRUE;
		g_debug("H7 option change refused (OPTCHANGEERR)");
		return;
	}
	if (!h7_dual(sim))
		prg.optsr &= ~FLASH_OPTSR_SWAP_BANK_OPT;
	if (!cfg->has_optsr2)
		prg.optsr2 = 0;
	if (regression) {
		h7_options_regress(sim, &prg);
		ns += cfg->bank_erase_ns;
	}
	if (new_rdp == OPTSR_RDP_LEVEL2)
		g_warning("simulated board %s: RDP level 2 programmed; its debug port is "
			  "disabled for good",
			  sim->serial);
	h7_options_store(sim, &prg);
	prg.optsr &= ~FLASH_OPTSR_STATUS;
	st->cur = prg;
	st->prg = prg;
	sim->stats.option_writes++;
	st->opt_busy_until = sim->now_ns + ns;
	st->opt_cut_pending = TRUE;
	sim_flash_op_begin(sim, ns);
}
