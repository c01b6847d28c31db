/* f4-options.c: the F2/F4/F7 option bytes (RM0090 3.7, RM0410 3.4).
 *
 * The user configuration sector keeps each option half-word with its
 * complement in the upper half of the word (RM0090 table 15 calls those
 * bits reserved; silicon dumps show the complement there, recalled). They
 * are loaded into FLASH_OPTCR/OPTCR1 at every reset release. OPTSTRT erases
 * the sector and writes what the registers hold; write protection, PCROP
 * and read protection take effect at once, the bank layout (DB1M, nDBANK)
 * and the F7's boot addresses at the next load. A pair that disagrees
 * loads as a safe default (read protection level 1; every sector
 * write-protected; the F7 boots its system memory): an estimate, the
 * manuals say nothing. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "f4-machine.h"

static guint8 *
f4_options_area(GlintSim *sim, gboolean bank2)
{
	return F4_MEM(sim, bank2 ? F4_REGION_OPT2 : F4_REGION_OPT);
}

void
f4_options_store(GlintSim *sim, gboolean bank2, guint offset, guint16 value)
{
	f4_store32(f4_options_area(sim, bank2) + offset, value | (guint32)(guint16)~value << 16);
}

/* One stored half-word; @safe when it disagrees with its complement */
static guint16
f4_options_load_word(GlintSim *sim, gboolean bank2, guint offset, guint16 safe)
{
	guint32 w = f4_load32(f4_options_area(sim, bank2) + offset);
	if (((w ^ (w >> 16)) & 0xFFFFu) == 0xFFFFu)
		return (guint16)w;
	g_debug("option bytes at 0x%08x: 0x%04x / complement 0x%04x disagree",
		(bank2 ? F4_OPT2_BASE : f4_cfg(sim)->opt_base) + offset, w & 0xFFFFu, w >> 16);
	return safe;
}

/* The stored form of OPTCR (and OPTCR1) */
void
f4_options_store_optcr(GlintSim *sim, guint32 optcr, guint32 optcr1)
{
	const SimF4Config *cfg = f4_cfg(sim);
	f4_options_store(sim, FALSE, F4_OPT_USER_RDP, (guint16)(optcr & 0xFFFCu));
	f4_options_store(sim, FALSE, F4_OPT_NWRP, (guint16)(optcr >> 16));
	if (cfg->f7) {
		f4_options_store(sim, FALSE, F7_OPT_BOOT_ADD0, (guint16)optcr1);
		f4_options_store(sim, FALSE, F7_OPT_BOOT_ADD1, (guint16)(optcr1 >> 16));
	} else if (cfg->has_optcr1) {
		f4_options_store(sim, TRUE, F4_OPT_USER_RDP, 0xFFFFu);
		f4_options_store(sim, TRUE, F4_OPT_NWRP, (guint16)(optcr1 >> 16));
	}
}

void
f4_options_load(GlintSim *sim)
{
	const SimF4Config *cfg = f4_cfg(sim);
	F4Options *ob = &f4_state(sim)->ob;
	guint32 user = f4_options_load_word(sim, FALSE, F4_OPT_USER_RDP, 0xFFFCu);
	guint32 nwrp = f4_options_load_word(sim, FALSE, F4_OPT_NWRP, 0x0000u);

	ob->optcr = ((nwrp << 16) | user) & cfg->optcr_mask;
	ob->optcr1 = 0;
	if (cfg->f7)
		ob->optcr1 = f4_options_load_word(sim, FALSE, F7_OPT_BOOT_ADD0, 0x0040u) |
			     (guint32)f4_options_load_word(sim, FALSE, F7_OPT_BOOT_ADD1, 0x0040u)
				 << 16;
	else if (cfg->has_optcr1)
		ob->optcr1 =
		    ((guint32)f4_options_load_word(sim, TRUE, F4_OPT_NWRP, 0x0000u) << 16) &
		    cfg->optcr1_mask;
	/* the registers show what was loaded, locked */
	f4_state(sim)->fl.optcr = ob->optcr | FLASH_OPTCR_OPTLOCK;
	f4_state(sim)->fl.optcr1 = ob->optcr1;
}

guint8
f4_options_rdp(GlintSim *sim)
{
	return (guint8)((f4_state(sim)->ob.optcr & FLASH_OPTCR_RDP_MASK) >> FLASH_OPTCR_RDP_SHIFT);
}

gboolean
f4_options_rdp_protected(GlintSim *sim)
{
	return f4_options_rdp(sim) != OPTCR_RDP_LEVEL0;
}

static gboolean
f4_options_sprmod(GlintSim *sim)
{
	return f4_cfg(sim)->has_sprmod && (f4_state(sim)->ob.optcr & FLASH_OPTCR_SPRMOD) != 0;
}

/* The nWRP bit of sector @s: bank 2's from OPTCR1 on the F42x; on a
 * dual-bank F76x one bit per two sectors, bank 2 from bit 6 (RM0410
 * 3.7.7) */
static gboolean
f4_options_nwrp_bit(GlintSim *sim, const SimF4Sector *s)
{
	const SimF4Config *cfg = f4_cfg(sim);
	const F4Options *ob = &f4_state(sim)->ob;
	guint in_bank = s->bank ? s->number - 12 : s->number;
	guint bit;
	if (cfg->f7 && f4_dual_bank(sim))
		bit = (s->bank ? 6 : 0) + in_bank / 2;
	else
		bit = in_bank;
	if (bit >= cfg->nwrp_bits)
		return TRUE;
	if (s->bank && !cfg->f7)
		return (ob->optcr1 >> (FLASH_OPTCR_NWRP_SHIFT + bit)) & 1u;
	return (ob->optcr >> (FLASH_OPTCR_NWRP_SHIFT + bit)) & 1u;
}

gboolean
f4_options_sector_pcrop(GlintSim *sim, const SimF4Sector *s)
{
	/* RM0090 3.7.5: with SPRMOD = 1 a 1 bit makes the sector PCROP */
	return f4_options_sprmod(sim) && f4_options_nwrp_bit(sim, s);
}

gboolean
f4_options_sector_wrp(GlintSim *sim, const SimF4Sector *s)
{
	/* a PCROP sector is write-protected too (RM0090 3.7.4) */
	if (f4_options_sprmod(sim))
		return f4_options_nwrp_bit(sim, s);
	return !f4_options_nwrp_bit(sim, s);
}

/* RM0090 3.7.5: PCROP is only removed (SPRMOD cleared, or a PCROP sector's
 * bit cleared) together with an RDP 1 -> 0 regression */
static gboolean
f4_options_pcrop_shrinks(GlintSim *sim, guint32 optcr, guint32 optcr1)
{
	const F4Options *ob = &f4_state(sim)->ob;
	guint32 mask = ((1u << f4_cfg(sim)->nwrp_bits) - 1u) << FLASH_OPTCR_NWRP_SHIFT;
	if (!f4_options_sprmod(sim))
		return FALSE;
	if (!(optcr & FLASH_OPTCR_SPRMOD))
		return TRUE;
	return ((ob->optcr & ~optcr) & mask) != 0 || ((ob->optcr1 & ~optcr1) & mask) != 0;
}

static gint64
f4_options_time_ns(GlintSim *sim)
{
	guint psize = (f4_state(sim)->fl.cr & FLASH_CR_PSIZE_MASK) >> FLASH_CR_PSIZE_SHIFT;
	return sim_f4_erase_small_ms[MIN(psize, 2u)] * G_GINT64_CONSTANT(1000000);
}

/* OPTSTRT: erase the user configuration sector and write OPTCR (and
 * OPTCR1) into it (RM0090 3.7.2) */
void
f4_options_program(GlintSim *sim)
{
	F4State *st = f4_state(sim);
	const SimF4Config *cfg = st->cfg;
	guint32 optcr = st->fl.optcr & cfg->optcr_mask;
	guint32 optcr1 = st->fl.optcr1 & cfg->optcr1_mask;
	guint8 new_rdp = (guint8)((optcr & FLASH_OPTCR_RDP_MASK) >> FLASH_OPTCR_RDP_SHIFT);
	gboolean regress = f4_options_rdp_protected(sim) && new_rdp == OPTCR_RDP_LEVEL0;
	gint64 ns = f4_options_time_ns(sim);

	/* level 2 freezes the option bytes (RM0090 3.7.3); PCROP shrinks only
	 * with a regression, else the write is cancelled (3.7.5) */
	if (f4_options_rdp(sim) == OPTCR_RDP_LEVEL2 ||
	    (!regress && f4_options_pcrop_shrinks(sim, optcr, optcr1))) {
		st->fl.sr |= FLASH_SR_WRPERR;
		if (st->fl.cr & FLASH_CR_ERRIE)
			st->fl.sr |= FLASH_SR_OPERR;
		return;
	}
	/* a regression from level 1 mass-erases the flash first (and the
	 * backup SRAM, which is plain storage here) */
	if (regress) {
		memset(F4_MEM(sim, F4_REGION_FLASH), 0xFF, sim->flash_kb * 1024u);
		sim->stats.mass_erases++;
		ns += (gint64)(f4_dual_bank(sim) ? 2 : 1) * sim_f4_erase_1mb_ms[2] *
		      G_GINT64_CONSTANT(1000000) * f4_bank_size(sim) / (1024 * 1024);
	}
	if (new_rdp == OPTCR_RDP_LEVEL2)
		g_warning("simulated board %s: RDP level 2 programmed; after the next option "
			  "load its debug port is disabled for good",
			  sim->serial);
	f4_options_store_optcr(sim, optcr, optcr1);
	/* protection applies at once; the bank layout and boot addresses wait
	 * for the next load */
	st->ob.optcr = (optcr & ~cfg->optcr_at_load) | (st->ob.optcr & cfg->optcr_at_load);
	if (!cfg->f7)
		st->ob.optcr1 = optcr1;
	sim->stats.option_writes++;
	st->fl.op_eop = TRUE;
	st->fl.op_options = TRUE;
	st->fl.optcr |= FLASH_OPTCR_OPTSTRT;
	sim_flash_op_begin(sim, ns);
}
