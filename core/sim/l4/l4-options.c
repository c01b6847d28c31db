/* l4-options.c: the L4 option bytes (RM0351 3.4, reference 4.4-4.5).
 *
 * The option area stores each register as a double word: the value, then
 * its complement. OPTSTRT copies the live registers into the area; only an
 * option load (OBL_LAUNCH or power-on) makes them effective. A load that
 * finds a value and its complement disagreeing sets OPTVERR and applies a
 * safe default. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l4-machine.h"

static guint8 *
l4_options_area(GlintSim *sim, guint bank)
{
	/* a single-bank chip has no second area: its bank-2 values live in
	 * a scratch copy that always reads "no protection" (factory) */
	if (bank != 0 && l4_cfg(sim)->opt2_base == 0)
		return l4_state(sim)->opt2_scratch;
	return L4_MEM(sim, bank == 0 ? L4_REGION_OPT1 : L4_REGION_OPT2);
}

guint32
l4_options_read_area(GlintSim *sim, guint bank, guint offset)
{
	const guint8 *p = l4_options_area(sim, bank) + offset;
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static void
l4_options_store_word(GlintSim *sim, guint bank, guint offset, guint32 value)
{
	guint8 *p = l4_options_area(sim, bank) + offset;
	p[0] = (guint8)value;
	p[1] = (guint8)(value >> 8);
	p[2] = (guint8)(value >> 16);
	p[3] = (guint8)(value >> 24);
}

void
l4_options_write_area(GlintSim *sim, guint bank, guint offset, guint32 value)
{
	l4_options_store_word(sim, bank, offset, value);
	l4_options_store_word(sim, bank, offset + 4, ~value);
}

/* One value/complement pair; on mismatch report and return @safe. */
static guint32
l4_options_load_pair(GlintSim *sim, guint bank, guint offset, guint32 safe, gboolean *bad)
{
	guint32 v = l4_options_read_area(sim, bank, offset);
	guint32 c = l4_options_read_area(sim, bank, offset + 4);
	if (v == ~c)
		return v;
	g_debug("option bytes at 0x%08x: 0x%08x / complement 0x%08x disagree",
		(bank == 0 ? l4_cfg(sim)->opt1_base : l4_cfg(sim)->opt2_base) + offset, v, c);
	*bad = TRUE;
	return safe;
}

void
l4_options_load(GlintSim *sim)
{
	L4Options *ob = &l4_state(sim)->ob;
	gboolean bad = FALSE;
	ob->optr = l4_options_load_pair(sim, 0, L4_OPT_OPTR, FLASH_OPTR_SAFE, &bad);
	for (guint b = 0; b < 2; b++) {
		ob->pcropsr[b] =
		    l4_options_load_pair(sim, b, L4_OPT_PCROPSR, FLASH_PCROPSR_NONE, &bad);
		ob->pcroper[b] =
		    l4_options_load_pair(sim, b, L4_OPT_PCROPER, FLASH_PCROPER_NONE, &bad);
		ob->wrpar[b] = l4_options_load_pair(sim, b, L4_OPT_WRPAR, FLASH_WRP_SAFE, &bad);
		ob->wrpbr[b] = l4_options_load_pair(sim, b, L4_OPT_WRPBR, FLASH_WRP_SAFE, &bad);
		/* RM0440 3.4.1: a securable area of 0 pages, no BOOT_LOCK */
		ob->secr[b] = l4_cfg(sim)->has_secr ? l4_options_load_pair(sim, b, L4_OPT_SECR,
									   FLASH_SECR_FACTORY, &bad)
						    : FLASH_SECR_FACTORY;
	}
	/* RM0351 3.7.5: if the options were not loaded properly, OPTVERR is
	 * set again after each system reset (l4_flash_reset_state) */
	ob->invalid = bad;
	if (bad)
		l4_state(sim)->fl.sr |= FLASH_SR_OPTVERR;
	else
		l4_state(sim)->fl.sr &= ~FLASH_SR_OPTVERR;
}

guint8
l4_options_rdp(GlintSim *sim)
{
	return (guint8)(l4_state(sim)->ob.optr & FLASH_OPTR_RDP_MASK);
}

gboolean
l4_options_rdp_protected(GlintSim *sim)
{
	return l4_options_rdp(sim) != OPTR_RDP_LEVEL0;
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

/* The areas that cover bank @bank: its own two, or all four on a G47x in
 * single-bank mode (RM0440 3.5.3: "four areas for the whole memory") */
static guint
l4_options_wrp_areas(GlintSim *sim, guint bank, guint32 areas[4])
{
	const L4Options *ob = &l4_state(sim)->ob;
	guint n = 0;
	bank = bank ? 1 : 0;
	areas[n++] = ob->wrpar[bank];
	areas[n++] = ob->wrpbr[bank];
	if (l4_cfg(sim)->single_bank_all_wrp && !l4_geometry(sim).dual) {
		areas[n++] = ob->wrpar[1];
		areas[n++] = ob->wrpbr[1];
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

static gboolean
l4_pcrop_active(guint32 sr, guint32 er)
{
	return (sr & 0xFFFFu) <= (er & 0xFFFFu);
}

/* RM0351 3.5.2 and 3.7.10: a PCROP area can grow but not shrink or go;
 * an option write that clears or shrinks it is carried out with the area
 * left as it was. PCROP_RDP can only be set. */
static void
l4_options_pcrop_rule(GlintSim *sim, guint bank, guint32 *sr, guint32 *er)
{
	guint32 old_sr = l4_options_read_area(sim, bank, L4_OPT_PCROPSR);
	guint32 old_er = l4_options_read_area(sim, bank, L4_OPT_PCROPER);
	if (bank == 0)
		*er |= old_er & FLASH_PCROP1ER_PCROP_RDP;
	if (!l4_pcrop_active(old_sr, old_er))
		return;
	if (l4_pcrop_active(*sr, *er) && (*sr & 0xFFFFu) <= (old_sr & 0xFFFFu) &&
	    (*er & 0xFFFFu) >= (old_er & 0xFFFFu))
		return;
	g_debug("option write would shrink or clear PCROP%u: kept", bank + 1);
	*sr = old_sr;
	*er = (*er & FLASH_PCROP1ER_PCROP_RDP) | (old_er & ~FLASH_PCROP1ER_PCROP_RDP);
}

/* Whether page @page of @bank holds a double word of its active PCROP area */
static gboolean
l4_options_page_pcrop(GlintSim *sim, guint bank, guint page)
{
	guint32 sr = l4_options_read_area(sim, bank, L4_OPT_PCROPSR);
	guint32 er = l4_options_read_area(sim, bank, L4_OPT_PCROPER);
	guint32 page_size = l4_geometry(sim).page_size;
	guint32 first = page * (page_size / 8), last = first + page_size / 8 - 1;
	return l4_pcrop_active(sr, er) && (sr & 0xFFFFu) <= last && (er & 0xFFFFu) >= first;
}

/* RDP 1 -> 0 (RM0351 3.5.1): with PCROP_RDP set a mass erase takes
 * everything and PCROP goes; with it clear the pages holding PCROP code
 * stay (and so does PCROP), every other page is erased */
static void
l4_options_regression_erase(GlintSim *sim, guint32 *pcropsr, guint32 *pcroper)
{
	L4Geometry g = l4_geometry(sim);
	guint8 *flash = L4_MEM(sim, L4_REGION_FLASH);
	guint32 stored_er = l4_options_read_area(sim, 0, L4_OPT_PCROPER);
	memset(L4_MEM(sim, L4_REGION_SRAM2), 0, l4_cfg(sim)->sram2_size);
	if (stored_er & FLASH_PCROP1ER_PCROP_RDP) {
		memset(flash, 0xFF, g.size);
		/* PCROP disabled, PCROP_RDP as shipped */
		for (guint b = 0; b < 2; b++) {
			pcropsr[b] = FLASH_PCROPSR_NONE;
			pcroper[b] = FLASH_PCROPER_NONE;
		}
		l4_state(sim)->fl.fast_ok[0] = l4_state(sim)->fl.fast_ok[1] = TRUE;
		return;
	}
	for (guint b = 0; b < (g.dual ? 2u : 1u); b++) {
		guint32 base = b ? g.bank2_offset : 0;
		for (guint page = 0; page < g.pages_per_bank; page++) {
			if (!l4_options_page_pcrop(sim, b, page))
				memset(flash + base + page * g.page_size, 0xFF, g.page_size);
		}
		pcropsr[b] = l4_options_read_area(sim, b, L4_OPT_PCROPSR);
		pcroper[b] = l4_options_read_area(sim, b, L4_OPT_PCROPER);
	}
}

void
l4_options_program(GlintSim *sim)
{
	L4Flash *fl = &l4_state(sim)->fl;
	gint64 ns = l4_cfg(sim)->page_erase_ns;
	guint8 new_rdp = (guint8)(fl->optr & FLASH_OPTR_RDP_MASK);
	guint32 pcropsr[2] = {fl->pcrop1sr, fl->pcrop2sr};
	guint32 pcroper[2] = {fl->pcrop1er, fl->pcrop2er};
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
	if (l4_options_rdp_protected(sim) && new_rdp == OPTR_RDP_LEVEL0) {
		/* regression from level 1 to 0 erases the main flash first */
		l4_options_regression_erase(sim, pcropsr, pcroper);
		sim->stats.mass_erases++;
		ns += l4_cfg(sim)->mass_erase_ns;
	} else {
		for (guint b = 0; b < 2; b++)
			l4_options_pcrop_rule(sim, b, &pcropsr[b], &pcroper[b]);
	}
	if (new_rdp == OPTR_RDP_LEVEL2)
		g_warning("simulated board %s: RDP level 2 programmed; after the next option "
			  "load its debug port is disabled for good",
			  sim->serial);
	l4_options_write_area(sim, 0, L4_OPT_OPTR, fl->optr);
	l4_options_write_area(sim, 0, L4_OPT_PCROPSR, pcropsr[0]);
	l4_options_write_area(sim, 0, L4_OPT_PCROPER, pcroper[0]);
	l4_options_write_area(sim, 0, L4_OPT_WRPAR, fl->wrp1ar);
	l4_options_write_area(sim, 0, L4_OPT_WRPBR, fl->wrp1br);
	l4_options_write_area(sim, 1, L4_OPT_PCROPSR, pcropsr[1]);
	l4_options_write_area(sim, 1, L4_OPT_PCROPER, pcroper[1]);
	l4_options_write_area(sim, 1, L4_OPT_WRPAR, fl->wrp2ar);
	l4_options_write_area(sim, 1, L4_OPT_WRPBR, fl->wrp2br);
	if (l4_cfg(sim)->has_secr) {
		l4_options_write_area(sim, 0, L4_OPT_SECR, fl->sec1r);
		l4_options_write_area(sim, 1, L4_OPT_SECR, fl->sec2r);
	}
	sim->stats.option_writes++;
	fl->cr |= FLASH_CR_OPTSTRT;
	fl->op_eop = TRUE;
	sim_flash_op_begin(sim, ns);
}
