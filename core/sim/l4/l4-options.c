/* l4-options.c: the option bytes of the L4-style chips (RM0351 3.4,
 * RM0440 3.4, RM0444 3.4, RM0434 3.4, RM0453 4.4; reference 4.4-4.5).
 *
 * The option area stores each register as a double word: the value, then
 * its complement; where each register lives is the chip's table
 * (L4Config.opt_words). OPTSTRT copies the live registers into the area;
 * only an option load (OBL_LAUNCH or power-on) makes them effective. A load
 * that finds a value and its complement disagreeing sets OPTVERR and
 * applies that register's safe default. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l4-machine.h"

const L4OptWord *
l4_opt_word(GlintSim *sim, guint32 reg)
{
	const L4Config *cfg = l4_cfg(sim);
	for (guint i = 0; i < cfg->n_opt_words; i++) {
		if (cfg->opt_words[i].reg == reg)
			return &cfg->opt_words[i];
	}
	return NULL;
}

guint32
l4_ob(GlintSim *sim, guint32 reg)
{
	if (l4_opt_word(sim, reg) == NULL)
		return 0;
	return l4_state(sim)->ob.regs[L4_OPT_SLOT(reg)];
}

static guint8 *
l4_options_cell(GlintSim *sim, const L4OptWord *w)
{
	return L4_MEM(sim, w->area == 0 ? L4_REGION_OPT1 : L4_REGION_OPT2) + w->offset;
}

static guint32
l4_get32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static void
l4_put32(guint8 *p, guint32 value)
{
	p[0] = (guint8)value;
	p[1] = (guint8)(value >> 8);
	p[2] = (guint8)(value >> 16);
	p[3] = (guint8)(value >> 24);
}

void
l4_options_store(GlintSim *sim, guint32 reg, guint32 value)
{
	const L4OptWord *w = l4_opt_word(sim, reg);
	g_return_if_fail(w != NULL);
	l4_put32(l4_options_cell(sim, w), value);
	l4_put32(l4_options_cell(sim, w) + 4, ~value);
}

guint32
l4_options_stored(GlintSim *sim, guint32 reg)
{
	const L4OptWord *w = l4_opt_word(sim, reg);
	g_return_val_if_fail(w != NULL, 0);
	return l4_get32(l4_options_cell(sim, w));
}

void
l4_options_store_factory(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	for (guint i = 0; i < cfg->n_opt_words; i++)
		l4_options_store(sim, cfg->opt_words[i].reg, cfg->opt_words[i].factory);
}

/* One value/complement pair; on mismatch report it and return the safe value */
static guint32
l4_options_load_word(GlintSim *sim, const L4OptWord *w, gboolean *bad)
{
	const guint8 *p = l4_options_cell(sim, w);
	guint32 v = l4_get32(p), c = l4_get32(p + 4);
	if (v == ~c)
		return v;
	g_debug("option bytes at 0x%08x: 0x%08x / complement 0x%08x disagree",
		(w->area == 0 ? l4_cfg(sim)->opt1_base : l4_cfg(sim)->opt2_base) + w->offset, v, c);
	*bad = TRUE;
	return w->safe;
}

void
l4_options_load(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Options *ob = &l4_state(sim)->ob;
	gboolean bad = FALSE;
	memset(ob->regs, 0, sizeof(ob->regs));
	for (guint i = 0; i < cfg->n_opt_words; i++)
		ob->regs[L4_OPT_SLOT(cfg->opt_words[i].reg)] =
		    l4_options_load_word(sim, &cfg->opt_words[i], &bad);
	/* RM0351 3.7.5: if the options were not loaded properly, OPTVERR is
	 * set again after each system reset (l4_flash_reset_state) */
	ob->invalid = bad;
	if (bad || cfg->optverr_after_reset)
		l4_state(sim)->fl.sr |= FLASH_SR_OPTVERR;
	else
		l4_state(sim)->fl.sr &= ~FLASH_SR_OPTVERR;
	/* RM0444 3.7.1 FLASH_ACR.EMPTY: the loader reads the first word of
	 * main flash; erased, the boot goes to system memory (G0) */
	l4_state(sim)->empty =
	    cfg->g0_boot && l4_get32(L4_MEM(sim, L4_REGION_FLASH)) == 0xFFFFFFFFu;
}

guint8
l4_options_rdp(GlintSim *sim)
{
	return (guint8)(l4_ob(sim, FLASH_OPTR) & FLASH_OPTR_RDP_MASK);
}

gboolean
l4_options_rdp_protected(GlintSim *sim)
{
	return l4_options_rdp(sim) != OPTR_RDP_LEVEL0;
}

gboolean
l4_options_boot_lock(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	if (cfg->optr_boot_lock != 0)
		return (l4_ob(sim, FLASH_OPTR) & cfg->optr_boot_lock) != 0;
	return cfg->secr_reg != 0 && (l4_ob(sim, cfg->secr_reg) & FLASH_SECR_BOOT_LOCK) != 0;
}

guint
l4_options_secure_start(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	guint pages = l4_geometry(sim).pages_per_bank;
	guint32 sfr;
	if (cfg->sfsa_mask == 0)
		return pages;
	sfr = l4_ob(sim, FLASH_SFR);
	/* FSD = 1: the flash has no secure part (RM0434 3.10.16) */
	if (sfr & cfg->fsd_bit)
		return pages;
	return MIN(sfr & cfg->sfsa_mask, pages);
}

/* A WRP area protects pages STRT..END of its bank when STRT <= END */
static gboolean
l4_options_wrp_covers(GlintSim *sim, guint32 wrp, guint page, gboolean *active)
{
	guint32 mask = l4_cfg(sim)->wrp_mask;
	guint strt = wrp & mask;
	guint end = (wrp >> 16) & mask;
	if (strt > end)
		return FALSE;
	*active = TRUE;
	return page >= strt && page <= end;
}

static void
l4_options_add_wrp(GlintSim *sim, guint32 reg, guint32 areas[4], guint *n)
{
	if (l4_opt_word(sim, reg) != NULL)
		areas[(*n)++] = l4_ob(sim, reg);
}

/* The areas that cover bank @bank: its own two, or all four on a G47x in
 * single-bank mode (RM0440 3.5.3: "four areas for the whole memory") */
static guint
l4_options_wrp_areas(GlintSim *sim, guint bank, guint32 areas[4])
{
	guint n = 0;
	gboolean both = l4_cfg(sim)->single_bank_all_wrp && !l4_geometry(sim).dual;
	if (bank == 0 || both) {
		l4_options_add_wrp(sim, FLASH_WRP1AR, areas, &n);
		l4_options_add_wrp(sim, FLASH_WRP1BR, areas, &n);
	}
	if (bank != 0 || both) {
		l4_options_add_wrp(sim, FLASH_WRP2AR, areas, &n);
		l4_options_add_wrp(sim, FLASH_WRP2BR, areas, &n);
	}
	return n;
}

gboolean
l4_options_page_wrp(GlintSim *sim, guint bank, guint page)
{
	gboolean active = FALSE;
	guint32 areas[4];
	guint n = l4_options_wrp_areas(sim, bank, areas);
	for (guint i = 0; i < n; i++) {
		if (l4_options_wrp_covers(sim, areas[i], page, &active))
			return TRUE;
	}
	return FALSE;
}

gboolean
l4_options_bank_wrp(GlintSim *sim, guint bank)
{
	gboolean active = FALSE;
	guint32 areas[4];
	guint n = l4_options_wrp_areas(sim, bank, areas);
	for (guint i = 0; i < n; i++)
		(void)l4_options_wrp_covers(sim, areas[i], 0, &active);
	return active;
}

/* PCROP ---------------------------------------------------------------------- */

static gboolean
l4_pcrop_active(GlintSim *sim, guint32 sr, guint32 er)
{
	guint32 mask = l4_cfg(sim)->pcrop_mask;
	return (sr & mask) <= (er & mask);
}

gboolean
l4_options_pcrop_hit(GlintSim *sim, guint bank, guint32 bank_off)
{
	const L4Config *cfg = l4_cfg(sim);
	guint32 unit = bank_off / cfg->pcrop_granule;
	for (guint i = 0; i < cfg->n_pcrop; i++) {
		guint32 sr = l4_ob(sim, cfg->pcrop[bank][i].start) & cfg->pcrop_mask;
		guint32 er = l4_ob(sim, cfg->pcrop[bank][i].end) & cfg->pcrop_mask;
		if (l4_opt_word(sim, cfg->pcrop[bank][i].start) != NULL && sr <= er && unit >= sr &&
		    unit <= er)
			return TRUE;
	}
	return FALSE;
}

/* RM0351 3.5.2 and 3.7.10 (and the same rule on the G0, WB, WL): a PCROP
 * area can grow but not shrink or go; an option write that clears or
 * shrinks it is carried out with the area left as it was. PCROP_RDP can
 * only be set. */
static void
l4_options_pcrop_rule(GlintSim *sim, const L4PcropArea *a, guint32 *sr, guint32 *er)
{
	guint32 mask = l4_cfg(sim)->pcrop_mask;
	guint32 old_sr = l4_options_stored(sim, a->start);
	guint32 old_er = l4_options_stored(sim, a->end);
	if (a->end == FLASH_PCROP1ER)
		*er |= old_er & FLASH_PCROP1ER_PCROP_RDP;
	if (!l4_pcrop_active(sim, old_sr, old_er))
		return;
	if (l4_pcrop_active(sim, *sr, *er) && (*sr & mask) <= (old_sr & mask) &&
	    (*er & mask) >= (old_er & mask))
		return;
	g_debug("option write would shrink or clear the PCROP area at 0x%02x: kept", a->start);
	*sr = old_sr;
	*er = (*er & FLASH_PCROP1ER_PCROP_RDP) | (old_er & ~FLASH_PCROP1ER_PCROP_RDP);
}

/* Whether page @page of @bank holds part of an active PCROP area (as stored) */
static gboolean
l4_options_page_pcrop(GlintSim *sim, guint bank, guint page)
{
	const L4Config *cfg = l4_cfg(sim);
	guint32 page_size = l4_geometry(sim).page_size;
	guint32 first = page * page_size / cfg->pcrop_granule;
	guint32 last = ((page + 1) * page_size - 1) / cfg->pcrop_granule;
	for (guint i = 0; i < cfg->n_pcrop; i++) {
		const L4PcropArea *a = &cfg->pcrop[bank][i];
		guint32 sr, er;
		if (l4_opt_word(sim, a->start) == NULL)
			continue;
		sr = l4_options_stored(sim, a->start) & cfg->pcrop_mask;
		er = l4_options_stored(sim, a->end) & cfg->pcrop_mask;
		if (sr <= er && sr <= last && er >= first)
			return TRUE;
	}
	return FALSE;
}

/* RDP 1 -> 0 (RM0351 3.5.1): with PCROP_RDP set a mass erase takes
 * everything and PCROP goes; with it clear the pages holding PCROP code
 * stay (and so does PCROP), every other page is erased. CPU2's secure
 * flash (WB, WL) is never erased by it (RM0434 3.5.1: the mass erase
 * covers the non-secure user flash). @opt holds the new values. */
static void
l4_options_regression_erase(GlintSim *sim, guint32 *opt)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Geometry g = l4_geometry(sim);
	guint8 *flash = L4_MEM(sim, L4_REGION_FLASH);
	gboolean all = (l4_options_stored(sim, FLASH_PCROP1ER) & FLASH_PCROP1ER_PCROP_RDP) != 0;
	guint secure = l4_options_secure_start(sim);
	if (sim->machine->n_regions > L4_REGION_SRAM2)
		memset(L4_MEM(sim, L4_REGION_SRAM2), 0, cfg->sram2_size);
	for (guint b = 0; b < (g.dual ? 2u : 1u); b++) {
		guint32 base = b ? g.bank2_offset : 0;
		for (guint page = 0; page < g.pages_per_bank; page++) {
			if (b == 0 && page >= secure)
				break;
			if (all || !l4_options_page_pcrop(sim, b, page))
				memset(flash + base + page * g.page_size, 0xFF, g.page_size);
		}
		for (guint i = 0; i < cfg->n_pcrop; i++) {
			const L4PcropArea *a = &cfg->pcrop[b][i];
			if (l4_opt_word(sim, a->start) == NULL)
				continue;
			/* PCROP disabled (PCROP_RDP as shipped), or kept as stored */
			opt[L4_OPT_SLOT(a->start)] = all ? l4_opt_word(sim, a->start)->factory
							 : l4_options_stored(sim, a->start);
			opt[L4_OPT_SLOT(a->end)] = all ? l4_opt_word(sim, a->end)->factory
						       : l4_options_stored(sim, a->end);
		}
	}
	if (all)
		l4_state(sim)->fl.fast_ok[0] = l4_state(sim)->fl.fast_ok[1] = TRUE;
}

void
l4_options_program(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Flash *fl = &l4_state(sim)->fl;
	gint64 ns = cfg->page_erase_ns;
	guint32 opt[L4_OPT_SLOTS];
	guint8 new_rdp;
	gboolean regression;

	if (fl->sr & FLASH_SR_STALE) {
		fl->sr |= FLASH_SR_PGSERR;
		if (fl->cr & FLASH_CR_ERRIE)
			fl->sr |= FLASH_SR_OPERR;
		return;
	}
	/* level 2 is final: the option bytes can no longer change */
	if (l4_options_rdp(sim) == OPTR_RDP_LEVEL2) {
		fl->sr |= FLASH_SR_WRPERR;
		return;
	}
	/* what is written: the live registers, but for the bits CPU1 cannot
	 * change (CPU2's secure options), which keep what is stored */
	memcpy(opt, fl->opt, sizeof(opt));
	for (guint i = 0; i < cfg->n_opt_words; i++) {
		const L4OptWord *w = &cfg->opt_words[i];
		guint s = L4_OPT_SLOT(w->reg);
		opt[s] = (opt[s] & ~w->readonly) | (l4_options_stored(sim, w->reg) & w->readonly);
	}
	new_rdp = (guint8)(opt[L4_OPT_SLOT(FLASH_OPTR)] & FLASH_OPTR_RDP_MASK);
	regression = l4_options_rdp_protected(sim) && new_rdp == OPTR_RDP_LEVEL0;
	if (regression) {
		/* regression from level 1 to 0 erases the main flash first */
		l4_options_regression_erase(sim, opt);
		sim->stats.mass_erases++;
		ns += cfg->mass_erase_ns;
	} else {
		for (guint b = 0; b < 2; b++) {
			for (guint i = 0; i < cfg->n_pcrop; i++) {
				const L4PcropArea *a = &cfg->pcrop[b][i];
				if (l4_opt_word(sim, a->start) != NULL)
					l4_options_pcrop_rule(sim, a, &opt[L4_OPT_SLOT(a->start)],
							      &opt[L4_OPT_SLOT(a->end)]);
			}
		}
		/* the G0's BOOT_LOCK goes only with a regression to level 0
		 * (RM0444 3.7.21, FLASH_SECR; recalled) */
		if (cfg->g0_boot && cfg->secr_reg != 0 &&
		    (l4_options_stored(sim, cfg->secr_reg) & FLASH_SECR_BOOT_LOCK))
			opt[L4_OPT_SLOT(cfg->secr_reg)] |= FLASH_SECR_BOOT_LOCK;
	}
	if (new_rdp == OPTR_RDP_LEVEL2)
		g_warning("simulated board %s: RDP level 2 programmed; after the next option "
			  "load its debug port is disabled for good",
			  sim->serial);
	for (guint i = 0; i < cfg->n_opt_words; i++)
		l4_options_store(sim, cfg->opt_words[i].reg,
				 opt[L4_OPT_SLOT(cfg->opt_words[i].reg)]);
	sim->stats.option_writes++;
	fl->cr |= FLASH_CR_OPTSTRT;
	fl->op_eop = TRUE;
	fl->op_banks = 1u;
	sim_flash_op_begin(sim, ns);
}
