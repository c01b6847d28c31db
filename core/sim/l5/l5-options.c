/* l5-options.c: the STM32L5/U5 option bytes (RM0438 6.4-6.6, RM0456 7.4-
 * 7.6).
 *
 * The option area stores each register as a value and its complement.
 * OPTSTRT stores the live registers after the checks the chip makes (it
 * refuses with OPTWERR what TrustZone, BOOT_LOCK and the U5's locked WRP
 * areas forbid) and the erases an RDP regression makes; only an option
 * load (OBL_LAUNCH or power-on) makes them effective. A load that finds a
 * value and its complement disagreeing applies a safe default (and sets
 * OPTVERR on the L5). */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l5-machine.h"

static guint32
l5_load32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static void
l5_store32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

void
l5_options_factory(GlintSim *sim, guint32 set[L5_OPT_COUNT])
{
	set[L5_OPT_OPTR] = l5_cfg(sim)->optr_factory;
	set[L5_OPT_NSBOOTADD0R] = NSBOOTADD0R_FACTORY;
	set[L5_OPT_NSBOOTADD1R] = NSBOOTADD1R_FACTORY;
	set[L5_OPT_SECBOOTADD0R] = SECBOOTADD0R_FACTORY;
	set[L5_OPT_SECWM1R1] = SECWMR1_FACTORY;
	set[L5_OPT_SECWM1R2] = SECWMR2_FACTORY;
	set[L5_OPT_SECWM2R1] = SECWMR1_FACTORY;
	set[L5_OPT_SECWM2R2] = SECWMR2_FACTORY;
	set[L5_OPT_WRP1AR] = WRPR_FACTORY;
	set[L5_OPT_WRP1BR] = WRPR_FACTORY;
	set[L5_OPT_WRP2AR] = WRPR_FACTORY;
	set[L5_OPT_WRP2BR] = WRPR_FACTORY;
}

void
l5_options_store(GlintSim *sim, const guint32 set[L5_OPT_COUNT])
{
	guint8 *area = L5_MEM(sim, L5_REGION_OPTSTORE);
	for (guint i = 0; i < L5_OPT_COUNT; i++) {
		l5_store32(area + 8 * i, set[i]);
		l5_store32(area + 8 * i + 4, ~set[i]);
	}
}

void
l5_options_stored(GlintSim *sim, guint32 set[L5_OPT_COUNT])
{
	const guint8 *area = L5_MEM(sim, L5_REGION_OPTSTORE);
	for (guint i = 0; i < L5_OPT_COUNT; i++)
		set[i] = l5_load32(area + 8 * i);
}

/* What a register falls back to when its pair disagrees */
static guint32
l5_options_safe(GlintSim *sim, guint reg)
{
	guint32 factory[L5_OPT_COUNT];
	switch (reg) {
	case L5_OPT_OPTR:
		/* read protection level 1, TrustZone as shipped */
		return (l5_cfg(sim)->optr_factory & ~FLASH_OPTR_RDP_MASK) | OPTR_RDP_SAFE;
	case L5_OPT_WRP1AR:
	case L5_OPT_WRP1BR:
	case L5_OPT_WRP2AR:
	case L5_OPT_WRP2BR:
		return WRPR_SAFE;
	default:
		l5_options_factory(sim, factory);
		return factory[reg];
	}
}

void
l5_options_load(GlintSim *sim)
{
	L5State *st = l5_state(sim);
	const guint8 *area = L5_MEM(sim, L5_REGION_OPTSTORE);
	gboolean bad = FALSE;

	for (guint i = 0; i < L5_OPT_COUNT; i++) {
		guint32 v = l5_load32(area + 8 * i);
		guint32 c = l5_load32(area + 8 * i + 4);
		if (v == ~c) {
			st->ob[i] = v;
			continue;
		}
		g_debug("option register %u: 0x%08x / complement 0x%08x disagree", i, v, c);
		st->ob[i] = l5_options_safe(sim, i);
		bad = TRUE;
	}
	/* RM0438 6.9.6: OPTVERR is set again after each reset while so (the
	 * U5 has no such flag) */
	st->invalid = bad;
	if (l5_cfg(sim)->has_optverr) {
		if (bad)
			st->fl.dom[L5_NS].sr |= FLASH_SR_OPTVERR;
		else
			st->fl.dom[L5_NS].sr &= ~FLASH_SR_OPTVERR;
	}
}

/* Areas ------------------------------------------------------------------------------ */

static gboolean
l5_area_covers(guint32 start, guint32 end, guint page)
{
	return start <= end && page >= start && page <= end;
}

/* The registers of bank @bank's areas: in single-bank mode only bank 1's
 * count (RM0438 6.6.1) */
static gboolean
l5_bank_has_areas(GlintSim *sim, guint bank)
{
	return bank == 0 || l5_geometry(sim).dual;
}

gboolean
l5_options_page_wrp(GlintSim *sim, guint bank, guint page)
{
	const guint32 *ob = l5_state(sim)->ob;
	guint32 a = ob[bank == 0 ? L5_OPT_WRP1AR : L5_OPT_WRP2AR];
	guint32 b = ob[bank == 0 ? L5_OPT_WRP1BR : L5_OPT_WRP2BR];
	if (!l5_bank_has_areas(sim, bank))
		return FALSE;
	return l5_area_covers(FLASH_AREA_START(a), FLASH_AREA_END(a), page) ||
	       l5_area_covers(FLASH_AREA_START(b), FLASH_AREA_END(b), page);
}

gboolean
l5_options_bank_wrp(GlintSim *sim, guint bank)
{
	const guint32 *ob = l5_state(sim)->ob;
	guint32 a = ob[bank == 0 ? L5_OPT_WRP1AR : L5_OPT_WRP2AR];
	guint32 b = ob[bank == 0 ? L5_OPT_WRP1BR : L5_OPT_WRP2BR];
	if (!l5_bank_has_areas(sim, bank))
		return FALSE;
	return FLASH_AREA_START(a) <= FLASH_AREA_END(a) || FLASH_AREA_START(b) <= FLASH_AREA_END(b);
}

gboolean
l5_options_page_secwm(GlintSim *sim, guint bank, guint page)
{
	guint32 r1 = l5_state(sim)->ob[bank == 0 ? L5_OPT_SECWM1R1 : L5_OPT_SECWM2R1];
	return l5_bank_has_areas(sim, bank) &&
	       l5_area_covers(FLASH_AREA_START(r1), FLASH_AREA_END(r1), page);
}

/* RM0438 6.6.3: the hide-protected area starts at the secure area's first
 * page and ends at HDPx_PEND, when HDPxEN */
gboolean
l5_options_page_hdp(GlintSim *sim, guint bank, guint page)
{
	const guint32 *ob = l5_state(sim)->ob;
	guint32 r1 = ob[bank == 0 ? L5_OPT_SECWM1R1 : L5_OPT_SECWM2R1];
	guint32 r2 = ob[bank == 0 ? L5_OPT_SECWM1R2 : L5_OPT_SECWM2R2];
	return l5_bank_has_areas(sim, bank) && (r2 & FLASH_SECWMR2_HDPEN) &&
	       l5_area_covers(FLASH_AREA_START(r1), FLASH_AREA_END(r2), page);
}

/* Programming ------------------------------------------------------------------------- */

static guint
l5_rank_of(guint32 optr)
{
	guint8 rdp = (guint8)(optr & FLASH_OPTR_RDP_MASK);
	if (rdp == OPTR_RDP_LEVEL0)
		return L5_RANK_0;
	if (rdp == OPTR_RDP_LEVEL2)
		return L5_RANK_2;
	return rdp == OPTR_RDP_HALF && (optr & FLASH_OPTR_TZEN) ? L5_RANK_HALF : L5_RANK_1;
}

/* The rules the chip checks at OPTSTRT (RM0438 6.4.2 OPTWERR, 6.5.1;
 * AN5347): TrustZone goes on at level 0 only and off only with a
 * regression to level 0; the U5 has no regression from 0.5 to 0; while
 * BOOT_LOCK holds, SECBOOTADD0 cannot move and BOOT_LOCK cannot go (never
 * on the L5, at level 0 only on the U5); a U5 WRP area whose UNLOCK is 0
 * cannot change. Returns TRUE when the set may be stored. */
static gboolean
l5_options_allowed(GlintSim *sim, const guint32 *old, const guint32 *set)
{
	const L5Config *cfg = l5_cfg(sim);
	gboolean tz_old = (old[L5_OPT_OPTR] & FLASH_OPTR_TZEN) != 0;
	gboolean tz_new = (set[L5_OPT_OPTR] & FLASH_OPTR_TZEN) != 0;
	guint from = l5_rank_of(old[L5_OPT_OPTR]);
	guint to = l5_rank_of(set[L5_OPT_OPTR]);
	gboolean regression = from != L5_RANK_0 && to == L5_RANK_0;
	static const guint wrp[] = {L5_OPT_WRP1AR, L5_OPT_WRP1BR, L5_OPT_WRP2AR, L5_OPT_WRP2BR};

	if (!tz_old && tz_new && from != L5_RANK_0)
		return FALSE;
	if (tz_old && !tz_new && !(regression && (from == L5_RANK_1 || cfg->half_regresses_to_0)))
		return FALSE;
	if (from == L5_RANK_HALF && to == L5_RANK_0 && !cfg->half_regresses_to_0)
		return FALSE;
	if (tz_old && tz_new && (old[L5_OPT_SECBOOTADD0R] & FLASH_SECBOOTADD0R_BOOT_LOCK)) {
		if ((old[L5_OPT_SECBOOTADD0R] ^ set[L5_OPT_SECBOOTADD0R]) & FLASH_BOOTADD_MASK)
			return FALSE;
		if (!(set[L5_OPT_SECBOOTADD0R] & FLASH_SECBOOTADD0R_BOOT_LOCK) &&
		    (cfg->boot_lock_permanent || from != L5_RANK_0))
			return FALSE;
	}
	for (guint i = 0; cfg->wrp_unlock && i < G_N_ELEMENTS(wrp); i++) {
		guint32 r = wrp[i];
		if (!(old[r] & FLASH_WRPR_UNLOCK) &&
		    ((old[r] ^ set[r]) & (FLASH_AREA_FIELDS | FLASH_WRPR_UNLOCK)))
			return FALSE;
	}
	return TRUE;
}

guint32
l5_options_program(GlintSim *sim, gint64 *ns)
{
	L5State *st = l5_state(sim);
	const L5Config *cfg = l5_cfg(sim);
	guint32 set[L5_OPT_COUNT];
	guint from = l5_rdp_rank(sim);
	guint to;

	memcpy(set, st->fl.opt, sizeof(set));
	to = l5_rank_of(set[L5_OPT_OPTR]);
	*ns = cfg->option_ns;
	/* level 2 is final: the option bytes can no longer change */
	if (from == L5_RANK_2)
		return FLASH_SR_WRPERR;
	if (!l5_options_allowed(sim, st->ob, set)) {
		g_debug("option bytes refused: OPTWERR (OPTR 0x%08x -> 0x%08x)",
			st->ob[L5_OPT_OPTR], set[L5_OPT_OPTR]);
		return FLASH_SR_OPTWERR;
	}
	if (from != L5_RANK_0 && to == L5_RANK_0) {
		/* AN5347: the regression erases the whole flash, SRAM2 too */
		l5_flash_erase_bank_pages(sim, 0, FALSE);
		if (l5_geometry(sim).dual)
			l5_flash_erase_bank_pages(sim, 1, FALSE);
		memset(L5_MEM(sim, L5_REGION_SRAM) + L5_SRAM2_OFFSET, 0, L5_SRAM2_SIZE);
		sim->stats.mass_erases++;
		*ns += cfg->mass_erase_ns;
		/* TrustZone off: the secure option bytes as shipped */
		if ((st->ob[L5_OPT_OPTR] & FLASH_OPTR_TZEN) &&
		    !(set[L5_OPT_OPTR] & FLASH_OPTR_TZEN)) {
			guint32 factory[L5_OPT_COUNT];
			l5_options_factory(sim, factory);
			for (guint r = L5_OPT_SECBOOTADD0R; r <= L5_OPT_SECWM1R2; r++)
				set[r] = factory[r];
			set[L5_OPT_SECWM2R1] = factory[L5_OPT_SECWM2R1];
			set[L5_OPT_SECWM2R2] = factory[L5_OPT_SECWM2R2];
		}
	} else if (from == L5_RANK_1 && to == L5_RANK_HALF) {
		/* AN5347: 1 -> 0.5 erases the non-secure pages only */
		l5_flash_erase_bank_pages(sim, 0, TRUE);
		if (l5_geometry(sim).dual)
			l5_flash_erase_bank_pages(sim, 1, TRUE);
		sim->stats.mass_erases++;
		*ns += cfg->mass_erase_ns;
	}
	if (to == L5_RANK_2)
		g_warning("simulated board %s: RDP level 2 programmed; after the next option "
			  "load its debug port is disabled for good",
			  sim->serial);
	l5_options_store(sim, set);
	sim->stats.option_writes++;
	return 0;
}
