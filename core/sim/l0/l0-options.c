/* l0-options.c: the STM32L0/L1 option bytes (RM0367 and RM0038, "Option
 * bytes").
 *
 * Stored as 32-bit words from 0x1FF80000, a half-word value and its
 * complement each; software programs them like data EEPROM words (the
 * flash model, l0-flash.c). Only an option load (OBL_LAUNCH or power-on)
 * makes them effective: FLASH_OPTR/OBR gets the RDP and USER words,
 * FLASH_WRPRx the write-protection words. A word that disagrees with its
 * complement sets OPTVERR and loads a safe default. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l0-machine.h"

/* The write-protection words in order: WRP01 (sectors 0-15), WRP23, ... */
static const guint32 wrp_words[] = {OB_WRP01, OB_WRP23,	  OB_WRP45,   OB_WRP67,
				    OB_WRP89, OB_WRP1011, OB_WRP1213, OB_WRP1415};

/* BOR_LEV 8-12 (falling thresholds, DS10152/DS8890 typical; recalled);
 * below 8 the BOR is off and the power-down reset (about 1.5 V) holds the
 * chip */
static const guint l0_bor_levels_mv[] = {1690, 1940, 2300, 2550, 2800};
#define LX_PDR_MV 1500u

guint32
l0_options_read_word(GlintSim *sim, guint32 offset)
{
	const guint8 *p = LX_MEM(sim, LX_REGION_OPTIONS) + offset;
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

void
l0_options_write_word(GlintSim *sim, guint32 offset, guint32 word)
{
	guint8 *p = LX_MEM(sim, LX_REGION_OPTIONS) + offset;
	p[0] = (guint8)word;
	p[1] = (guint8)(word >> 8);
	p[2] = (guint8)(word >> 16);
	p[3] = (guint8)(word >> 24);
}

void
l0_options_write_value(GlintSim *sim, guint32 offset, guint16 value)
{
	l0_options_write_word(sim, offset, (guint32)value | ((guint32)(guint16)~value << 16));
}

/* The words this chip has: 1 (16 sectors), 3 (48) or 8 (128) WRP words */
static guint
n_wrp_words(GlintSim *sim)
{
	guint32 sectors = l0_flash_size(sim) / 4096;
	return MIN((sectors + 15) / 16, l0_cfg(sim)->n_wrp_regs * 2);
}

/* One value/complement pair: the value, or @bad set. */
static guint16
load_pair(GlintSim *sim, guint32 offset, gboolean *bad)
{
	guint32 w = l0_options_read_word(sim, offset);
	guint32 value = w & 0xFFFFu, complement = w >> 16;
	if ((value ^ complement) == 0xFFFFu)
		return (guint16)value;
	g_debug("option word at 0x%08x is 0x%08x: value and complement disagree",
		LX_OPTIONS_BASE + offset, w);
	*bad = TRUE;
	return 0;
}

void
l0_options_load(GlintSim *sim)
{
	L0Options *ob = &l0_state(sim)->ob;
	const L0Config *cfg = l0_cfg(sim);
	gboolean bad = FALSE, user_bad = FALSE;
	guint16 rdp, user;

	rdp = load_pair(sim, OB_RDP, &bad);
	if (bad)
		rdp = OPTR_SAFE_RDP;
	user = load_pair(sim, OB_USER, &user_bad);
	if (user_bad)
		user = (guint16)cfg->ob_user_factory;
	ob->optr = (guint32)user << 16 | rdp;
	memset(ob->wrp, 0, sizeof(ob->wrp));
	for (guint i = 0; i < n_wrp_words(sim); i++) {
		gboolean word_bad = FALSE;
		guint16 v = load_pair(sim, wrp_words[i], &word_bad);
		if (word_bad) {
			v = WRP_SAFE;
			bad = TRUE;
		}
		ob->wrp[i / 2] |= (guint32)v << (16 * (i % 2));
	}
	/* OPTVERR comes back at every reset while they stay so
	 * (l0_flash_reset_state) */
	ob->invalid = bad;
	ob->user_invalid = user_bad;
	l0_state(sim)->fl.sr &= ~(SR_OPTVERR | SR_OPTVERRUSR);
	if (bad || (user_bad && !cfg->l1))
		l0_state(sim)->fl.sr |= SR_OPTVERR;
	if (user_bad && cfg->l1)
		l0_state(sim)->fl.sr |= SR_OPTVERRUSR;
}

guint8
l0_options_rdp(GlintSim *sim)
{
	return (guint8)(l0_state(sim)->ob.optr & OPTR_RDP_MASK);
}

gboolean
l0_options_rdp_protected(GlintSim *sim)
{
	return l0_options_rdp(sim) != RDP_LEVEL0;
}

gboolean
l0_options_sector_protected(GlintSim *sim, guint sector)
{
	if (sector >= 128)
		return FALSE;
	return (l0_state(sim)->ob.wrp[sector / 32] >> (sector % 32)) & 1u;
}

gboolean
l0_options_pcrop(GlintSim *sim)
{
	return !l0_cfg(sim)->l1 && (l0_state(sim)->ob.optr & OPTR_WPRMOD) != 0;
}

guint
l0_bor_threshold_mv(GlintSim *sim)
{
	guint level = (l0_state(sim)->ob.optr & OPTR_BOR_LEV_MASK) >> OPTR_BOR_LEV_SHIFT;
	if (level < 8)
		return LX_PDR_MV;
	return l0_bor_levels_mv[MIN(level - 8, G_N_ELEMENTS(l0_bor_levels_mv) - 1)];
}
