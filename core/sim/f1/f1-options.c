/* f1-options.c: the F0/F1/F3 option bytes (PM0075 2.5, RM0091 4, RM0316 5).
 *
 * Eight bytes stored at 0x1FFFF800, each followed by its complement. The
 * option byte loader copies them into FLASH_OBR and FLASH_WRPR: at every
 * system reset on the F1 and F3, at power-on or OBL_LAUNCH only on the F0
 * (and the F103 clones). A byte that disagrees with its complement sets
 * OPTERR and is loaded as 0xFF; both erased (0xFF/0xFF) is no error (RM0091
 * 4). An RDP byte loaded as 0xFF is read protection level 1. */
#define G_LOG_DOMAIN "glint-sim"

#include "f1-machine.h"

guint8
f1_options_level0(GlintSim *sim)
{
	return f1_chip(sim)->line == F1_SIM_LINE_F1 ? RDP_F1_LEVEL0 : RDP_F0_LEVEL0;
}

void
f1_options_store(GlintSim *sim, guint offset, guint8 value)
{
	guint8 *p = F1_MEM(sim, F1_REGION_OPTIONS) + offset;
	p[0] = value;
	p[1] = (guint8)~value;
}

void
f1_options_load(GlintSim *sim)
{
	F1Options *ob = &f1_state(sim)->ob;
	const guint8 *stored = F1_MEM(sim, F1_REGION_OPTIONS);
	guint8 rdp;

	ob->opterr = FALSE;
	for (guint i = 0; i < OPT_N_BYTES; i++) {
		guint8 v = stored[2 * i], c = stored[2 * i + 1];
		if ((guint8)(v ^ c) == 0xFF || (v == 0xFF && c == 0xFF)) {
			ob->bytes[i] = v;
			continue;
		}
		g_debug("option byte %u at 0x%08x: 0x%02x / complement 0x%02x disagree", i,
			F1_OPT_BASE + 2 * i, v, c);
		ob->bytes[i] = 0xFF;
		ob->opterr = TRUE;
	}
	/* six option bytes: WRP2/WRP3 do not exist and read as not protecting */
	for (guint i = 4 + 2; i < OPT_N_BYTES && f1_chip(sim)->n_option_bytes < OPT_N_BYTES; i++)
		ob->bytes[i] = 0xFF;
	rdp = ob->bytes[0];
	if (rdp == f1_options_level0(sim))
		ob->rdp_level = 0;
	else if (f1_chip(sim)->line != F1_SIM_LINE_F1 && rdp == RDP_LEVEL2)
		ob->rdp_level = 2;
	else
		ob->rdp_level = 1;
}

guint32
f1_options_obr(GlintSim *sim)
{
	const F1Options *ob = &f1_state(sim)->ob;
	guint32 v = ob->opterr ? OBR_OPTERR : 0;

	if (f1_chip(sim)->line == F1_SIM_LINE_F1) {
		if (ob->rdp_level > 0)
			v |= OBR_F1_RDPRT;
		return v | (guint32)ob->bytes[1] << OBR_F1_USER_SHIFT |
		       (guint32)ob->bytes[2] << OBR_F1_DATA0_SHIFT |
		       (guint32)ob->bytes[3] << OBR_F1_DATA1_SHIFT;
	}
	if (ob->rdp_level > 0)
		v |= (ob->rdp_level == 2 ? OBR_F0_LEVEL2 : OBR_F0_LEVEL1) << OBR_F0_RDPRT_SHIFT;
	return v | (guint32)ob->bytes[1] << OBR_F0_USER_SHIFT |
	       (guint32)ob->bytes[2] << OBR_F0_DATA0_SHIFT |
	       (guint32)ob->bytes[3] << OBR_F0_DATA1_SHIFT;
}

guint32
f1_options_wrpr(GlintSim *sim)
{
	const F1Options *ob = &f1_state(sim)->ob;
	return ob->bytes[4] | (guint32)ob->bytes[5] << 8 | (guint32)ob->bytes[6] << 16 |
	       (guint32)ob->bytes[7] << 24;
}

gboolean
f1_options_any_wrp(GlintSim *sim)
{
	guint32 pages = sim->flash_kb * 1024u / f1_chip(sim)->page_size;
	guint32 groups =
	    (pages + f1_chip(sim)->wrp_pages_per_bit - 1) / f1_chip(sim)->wrp_pages_per_bit;
	guint32 wrpr = f1_options_wrpr(sim);
	for (guint bit = 0; bit < 32 && bit < groups; bit++) {
		if (!(wrpr & (1u << bit)))
			return TRUE;
	}
	return FALSE;
}

/* WRPR bit i protects pages i * k .. i * k + k - 1 when 0; bit 31 every
 * page from 31 * k on (PM0075 2.5) */
static gboolean
f1_options_wrp_page(GlintSim *sim, guint page)
{
	guint bit = MIN(page / f1_chip(sim)->wrp_pages_per_bit, 31u);
	return !(f1_options_wrpr(sim) & (1u << bit));
}

gboolean
f1_options_page_protected(GlintSim *sim, guint page)
{
	const F1Options *ob = &f1_state(sim)->ob;
	if (f1_options_wrp_page(sim, page))
		return TRUE;
	if (ob->rdp_level == 0)
		return FALSE;
	/* PM0075 2.4.1: level 1 write-protects the first 4 KB for everyone,
	 * and the rest for a debugger (RM0091 3.3.1: all of it on F0/F3) */
	if (f1_chip(sim)->rdp_first_4k && page * f1_chip(sim)->page_size < 4096u)
		return TRUE;
	return sim_debugger_attached(sim);
}
