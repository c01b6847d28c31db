/* f1-flash.c: the flash program/erase controller of the STM32F0/F1/F3
 * (PM0075 2-3, RM0091 3, RM0316 4).
 *
 * Keys and locks (FLASH_CR.LOCK; OPTWRE, an enable bit set by the same keys
 * in OPTKEYR), half-word programming (PG), page erase (PER + AR), mass
 * erase (MER), option-byte erase (OPTER) and programming (OPTPG), reload
 * (OBL_LAUNCH on F0/F3). PGERR for a half-word that is not erased (0x0000
 * always goes through), WRPRTERR for a protected page or option block; a
 * write of any other size while programming is a bus error. BSY lasts the
 * datasheet time on the virtual clock and EOP is set when an operation
 * ends. Writes while BSY hold the bus on ST's parts and are lost on the
 * clones. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "f1-machine.h"

static F1Flash *
fl_of(GlintSim *sim)
{
	return &f1_state(sim)->fl;
}

static void
f1_flash_tick(GlintSim *sim)
{
	F1Flash *fl = fl_of(sim);
	if (!sim_flash_op_ended(sim))
		return;
	/* PM0075 3.4.4-3.4.5: STRT clears with BSY; EOP marks every end */
	fl->cr &= ~CR_STRT;
	fl->sr |= SR_EOP;
	fl->op_cr = 0;
}

void
f1_flash_stall(GlintSim *sim)
{
	/* a bus access to a busy flash waits (AHB wait states), it never fails */
	sim_flash_op_wait(sim);
	f1_flash_tick(sim);
}

static void
f1_flash_begin(GlintSim *sim, guint32 kind, guint32 addr, gint64 ns)
{
	F1Flash *fl = fl_of(sim);
	fl->op_cr = kind;
	fl->op_addr = addr;
	sim_flash_op_begin(sim, ns);
}

static void
f1_flash_error(GlintSim *sim, guint32 flags)
{
	fl_of(sim)->sr |= flags;
	g_debug("flash error SR |= 0x%02x (CR 0x%08x)", flags, fl_of(sim)->cr);
}

void
f1_flash_erase_all(GlintSim *sim)
{
	memset(F1_MEM(sim, F1_REGION_FLASH), 0xFF, sim->flash_kb * 1024u);
}

static guint32
f1_flash_offset(GlintSim *sim, guint32 addr)
{
	return (guint32)(sim_flash_ptr(sim, addr, 1) - F1_MEM(sim, F1_REGION_FLASH));
}

static void
f1_flash_page_erase(GlintSim *sim)
{
	F1Flash *fl = fl_of(sim);
	guint32 page_size = f1_chip(sim)->page_size;
	guint page;

	/* AR outside main flash: no page to erase */
	if (!sim_in_main_flash(sim, fl->ar)) {
		g_debug("page erase at 0x%08x: not main flash", fl->ar);
		return;
	}
	page = f1_flash_offset(sim, fl->ar) / page_size;
	if (f1_options_page_protected(sim, page)) {
		f1_flash_error(sim, SR_WRPRTERR);
		return;
	}
	memset(F1_MEM(sim, F1_REGION_FLASH) + page * page_size, 0xFF, page_size);
	sim->stats.pages_erased++;
	fl->cr |= CR_STRT;
	f1_flash_begin(sim, CR_PER, F1_FLASH_BASE + page * page_size, f1_chip(sim)->page_erase_ns);
}

static void
f1_flash_mass_erase(GlintSim *sim)
{
	const F1Options *ob = &f1_state(sim)->ob;
	/* PM0075 2.4.1: read protection keeps a debugger from erasing pages but
	 * not from a mass erase on the F1; RM0091 3.3.1: no erase at all on the
	 * F0/F3. Any active WRP group refuses it. */
	gboolean rdp_refuses =
	    ob->rdp_level > 0 && !f1_chip(sim)->rdp_first_4k && sim_debugger_attached(sim);
	if (rdp_refuses || f1_options_any_wrp(sim)) {
		f1_flash_error(sim, SR_WRPRTERR);
		return;
	}
	f1_flash_erase_all(sim);
	sim->stats.mass_erases++;
	fl_of(sim)->cr |= CR_STRT;
	f1_flash_begin(sim, CR_MER, F1_FLASH_BASE, f1_chip(sim)->mass_erase_ns);
}

static void
f1_flash_option_erase(GlintSim *sim)
{
	/* level 2 is final: the option bytes can no longer change */
	if (f1_state(sim)->ob.rdp_level == 2) {
		f1_flash_error(sim, SR_WRPRTERR);
		return;
	}
	memset(F1_MEM(sim, F1_REGION_OPTIONS), 0xFF, F1_OPT_SIZE);
	fl_of(sim)->cr |= CR_STRT;
	f1_flash_begin(sim, CR_OPTER, F1_OPT_BASE, f1_chip(sim)->page_erase_ns);
}

static void
f1_flash_start(GlintSim *sim)
{
	guint32 cr = fl_of(sim)->cr;
	guint kinds = !!(cr & CR_PER) + !!(cr & CR_MER) + !!(cr & CR_OPTER);

	/* exactly one erase, no programming mode: otherwise STRT does nothing */
	if (kinds != 1 || (cr & (CR_PG | CR_OPTPG))) {
		g_debug("STRT with FLASH_CR 0x%08x: no operation", cr);
		return;
	}
	if (cr & CR_PER)
		f1_flash_page_erase(sim);
	else if (cr & CR_MER)
		f1_flash_mass_erase(sim);
	else if (cr & CR_OPTWRE)
		f1_flash_option_erase(sim);
}

/* OBL_LAUNCH (F0/F3): reload the option bytes and reset; the debug link
 * sees the reset as a DP error on the access that caused it */
static void
f1_flash_obl_launch(GlintSim *sim)
{
	f1_options_load(sim);
	sim_system_reset(sim);
	sim_clock_advance(sim, SIM_OBL_RESET_NS);
	sim->cpu.ns = MAX(sim->cpu.ns, sim->now_ns);
	sim->dp_error_pending = TRUE;
}

static void
f1_flash_cr_write(GlintSim *sim, guint32 value)
{
	F1Flash *fl = fl_of(sim);
	f1_flash_stall(sim);
	/* PM0075 3.4.5: FLASH_CR cannot be written while LOCK is set */
	if (fl->cr & CR_LOCK)
		return;
	fl->cr = (fl->cr & ~CR_RW) | (value & CR_RW);
	/* OPTWRE is set by the keys only, cleared by writing 0 */
	if (!(value & CR_OPTWRE))
		fl->cr &= ~CR_OPTWRE;
	if (value & CR_LOCK) {
		fl->cr = (fl->cr | CR_LOCK) & ~CR_OPTWRE;
		return;
	}
	if ((value & CR_OBL_LAUNCH) && f1_chip(sim)->has_obl_launch) {
		f1_flash_obl_launch(sim);
		return;
	}
	if (value & CR_STRT)
		f1_flash_start(sim);
}

/* KEY1 then KEY2 unlock; a wrong value locks the controller until the next
 * reset and is a bus error (PM0075 2.3.1). The right sequence written again
 * to an unlocked controller changes nothing: OpenOCD 0.12 does that before
 * every option write, and it works on silicon. */
static gboolean
f1_key_sequence(guint *stage, gboolean *fault, guint32 value)
{
	if (!*fault && *stage == 0 && value == KEY1) {
		*stage = 1;
		return TRUE;
	}
	if (!*fault && *stage == 1 && value == KEY2) {
		*stage = 0;
		return TRUE;
	}
	*fault = TRUE;
	*stage = 0;
	return FALSE;
}

static gboolean
f1_flash_keyr_write(GlintSim *sim, guint32 value)
{
	F1Flash *fl = fl_of(sim);
	guint stage = fl->key_stage;
	if (f1_key_sequence(&fl->key_stage, &fl->key_fault, value)) {
		if (stage == 1)
			fl->cr &= ~CR_LOCK;
		return TRUE;
	}
	fl->cr = (fl->cr | CR_LOCK) & ~CR_OPTWRE;
	g_debug("wrong flash key 0x%08x: FLASH_CR locked until reset", value);
	return FALSE;
}

/* The same keys in OPTKEYR set OPTWRE, once FLASH_CR is unlocked (PM0075
 * 2.4.3) */
static gboolean
f1_flash_optkeyr_write(GlintSim *sim, guint32 value)
{
	F1Flash *fl = fl_of(sim);
	guint stage = fl->optkey_stage;
	if (!(fl->cr & CR_LOCK) && f1_key_sequence(&fl->optkey_stage, &fl->optkey_fault, value)) {
		if (stage == 1)
			fl->cr |= CR_OPTWRE;
		return TRUE;
	}
	fl->optkey_fault = TRUE;
	fl->optkey_stage = 0;
	fl->cr &= ~CR_OPTWRE;
	g_debug("wrong option key 0x%08x: option bytes locked until reset", value);
	return FALSE;
}

guint32
f1_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	F1Flash *fl = fl_of(sim);
	guint32 v;
	f1_flash_tick(sim);
	switch (offset) {
	case FLASH_ACR:
		return fl->acr;
	case FLASH_SR:
		v = fl->sr | (sim->flash_op.active ? SR_BSY : 0);
		/* a core polling BSY waits until the operation ends: what its
		 * loop amounts to, without executing it */
		if (who == SIM_ACCESS_CORE && (v & SR_BSY)) {
			f1_flash_stall(sim);
			v = fl->sr;
		}
		return v;
	case FLASH_CR:
		return fl->cr;
	case FLASH_AR:
		return fl->ar;
	case FLASH_OBR:
		return f1_options_obr(sim);
	case FLASH_WRPR:
		return f1_options_wrpr(sim);
	default:
		return 0; /* key registers are write-only; reserved reads as 0 */
	}
}

gboolean
f1_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	F1Flash *fl = fl_of(sim);
	f1_flash_tick(sim);
	switch (offset) {
	case FLASH_ACR:
		fl->acr = value & FLASH_ACR_MASK;
		return TRUE;
	case FLASH_KEYR:
		return f1_flash_keyr_write(sim, value);
	case FLASH_OPTKEYR:
		return f1_flash_optkeyr_write(sim, value);
	case FLASH_SR:
		fl->sr &= ~(value & SR_W1C);
		return TRUE;
	case FLASH_CR:
		f1_flash_cr_write(sim, value);
		return TRUE;
	case FLASH_AR:
		/* PM0075 3.4.6: written by software, not while busy */
		if (!sim->flash_op.active)
			fl->ar = value;
		return TRUE;
	default:
		return TRUE; /* read-only and reserved registers ignore writes */
	}
}

void
f1_flash_reset(GlintSim *sim, const SimPeriph *p)
{
	F1Flash *fl = fl_of(sim);
	fl->acr = FLASH_ACR_RESET;
	fl->sr = 0;
	fl->cr = CR_RESET;
	fl->ar = 0;
	fl->key_stage = fl->optkey_stage = 0;
	fl->key_fault = fl->optkey_fault = FALSE;
	fl->op_cr = 0;
	sim->flash_op.active = FALSE;
	sim->flash_op.until = 0;
}

gboolean
f1_flash_is_w1c(guint32 offset)
{
	return offset == FLASH_SR;
}

/* Tests leave stale flags by setting raw SR bits */
gboolean
f1_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value)
{
	guint shift = (offset & 3u) * 8;
	F1Flash *fl = fl_of(sim);
	if ((offset & ~3u) != FLASH_SR)
		return sim_bus_write(sim, SIM_ACCESS_AHB, p->base + offset, 1, value) == SIM_BUS_OK;
	fl->sr = (fl->sr & ~(0xFFu << shift)) | ((guint32)value << shift);
	return TRUE;
}

static gboolean
f1_flash_in_options(guint32 addr)
{
	return addr >= F1_OPT_BASE && addr < F1_OPT_BASE + F1_OPT_SIZE;
}

gboolean
f1_flash_mem_write_faults(GlintSim *sim, guint32 addr, guint size)
{
	guint32 cr = fl_of(sim)->cr;
	/* PM0075 2.3.3: any write that is not a half-word while programming is
	 * a bus error from the FPEC */
	if (size == 2)
		return FALSE;
	if (f1_flash_in_options(addr))
		return (cr & CR_OPTPG) != 0;
	return (cr & CR_PG) != 0;
}

static void
f1_flash_program_halfword(GlintSim *sim, guint32 addr, guint16 value)
{
	guint8 *p = sim_flash_ptr(sim, addr, 2);
	guint16 old;

	if (p == NULL)
		return;
	if (f1_options_page_protected(sim, f1_flash_offset(sim, addr) / f1_chip(sim)->page_size)) {
		f1_flash_error(sim, SR_WRPRTERR);
		return;
	}
	/* PM0075 2.3.3: the half-word must be erased; 0x0000 is always taken */
	old = (guint16)(p[0] | p[1] << 8);
	if (old != 0xFFFF && value != 0) {
		f1_flash_error(sim, SR_PGERR);
		return;
	}
	p[0] = (guint8)value;
	p[1] = (guint8)(value >> 8);
	sim->stats.double_words_programmed++; /* programming units: half-words here */
	f1_flash_begin(sim, CR_PG, addr, f1_chip(sim)->halfword_ns);
	sim_faults_unit_started(sim, addr, 2);
}

/* OPTPG: the low byte is stored and its complement computed (RM0091 4:
 * the high byte written is not used) */
static void
f1_flash_program_option(GlintSim *sim, guint offset, guint16 value)
{
	guint8 *p = F1_MEM(sim, F1_REGION_OPTIONS) + offset;
	const F1Options *ob = &f1_state(sim)->ob;
	gint64 ns = f1_chip(sim)->halfword_ns;
	guint8 v = (guint8)value;

	if (ob->rdp_level == 2) {
		f1_flash_error(sim, SR_WRPRTERR);
		return;
	}
	if (p[0] != 0xFF || p[1] != 0xFF) {
		f1_flash_error(sim, SR_PGERR);
		return;
	}
	/* PM0075 2.4.1: programming the level-0 code while protected first
	 * forces a mass erase of main flash */
	if (offset == OPT_RDP && v == f1_options_level0(sim) && ob->rdp_level > 0) {
		f1_flash_erase_all(sim);
		sim->stats.mass_erases++;
		ns += f1_chip(sim)->mass_erase_ns;
		g_debug("RDP regression: main flash mass-erased");
	}
	if (offset == OPT_RDP && v == RDP_LEVEL2 && f1_chip(sim)->line != F1_SIM_LINE_F1)
		g_warning("simulated board %s: RDP level 2 programmed; after the next option "
			  "load its debug port is disabled for good",
			  sim->serial);
	f1_options_store(sim, offset, v);
	if (offset == OPT_RDP)
		sim->stats.option_writes++;
	f1_flash_begin(sim, CR_OPTPG, F1_OPT_BASE + offset, ns);
}

void
f1_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	F1Flash *fl = fl_of(sim);

	f1_flash_tick(sim);
	if (sim->flash_op.active) {
		if (f1_chip(sim)->drops_busy_writes) {
			g_debug("write to flash at 0x%08x while busy: lost", addr);
			return;
		}
		f1_flash_stall(sim);
	}
	if (f1_flash_in_options(addr)) {
		if ((fl->cr & CR_OPTPG) && (fl->cr & CR_OPTWRE) && (addr & 1u) == 0)
			f1_flash_program_option(sim, addr - F1_OPT_BASE, (guint16)value);
		return;
	}
	/* a write to flash outside a programming sequence is ignored */
	if (!(fl->cr & CR_PG) || (addr & 1u) != 0)
		return;
	f1_flash_program_halfword(sim, addr, (guint16)value);
}

/* What a power cut leaves of the operation in progress */
GlintSimCut
f1_flash_power_fail(GlintSim *sim)
{
	F1Flash *fl = fl_of(sim);
	GlintSimCut cut = GLINT_SIM_CUT_NONE;
	guint8 *opt = F1_MEM(sim, F1_REGION_OPTIONS);

	f1_flash_tick(sim);
	if (!sim->flash_op.active)
		return GLINT_SIM_CUT_NONE;
	switch (fl->op_cr) {
	case CR_PER:
		sim_faults_cut_erase(sim, sim_flash_ptr(sim, fl->op_addr, 1),
				     f1_chip(sim)->page_size);
		cut = GLINT_SIM_CUT_ERASE;
		break;
	case CR_MER:
		sim_faults_cut_erase(sim, F1_MEM(sim, F1_REGION_FLASH), sim->flash_kb * 1024u);
		cut = GLINT_SIM_CUT_ERASE;
		break;
	case CR_PG:
		cut = sim_faults_cut_program(sim, fl->op_addr, 2) ? GLINT_SIM_CUT_PROGRAM
								  : GLINT_SIM_CUT_NONE;
		break;
	case CR_OPTER:
		/* the block half erased: pairs that no longer match */
		sim_faults_cut_erase(sim, opt, F1_OPT_SIZE);
		cut = GLINT_SIM_CUT_OPTIONS;
		break;
	case CR_OPTPG: {
		/* programming was still clearing bits: one that should be 0 is
		 * still 1, in the complement or (for 0x00/0xFF) the byte */
		guint8 *pair = opt + (fl->op_addr - F1_OPT_BASE);
		guint8 *cell = pair[1] != 0xFF ? &pair[1] : &pair[0];
		guint8 zeros = (guint8) ~*cell;
		*cell |= (guint8)(zeros & -zeros);
		cut = GLINT_SIM_CUT_OPTIONS;
		break;
	}
	default:
		break;
	}
	sim->flash_op.active = FALSE;
	fl->op_cr = 0;
	return cut;
}

/* The benchmark's bound (SimMachineOps.flash_limit), from the chip's
 * datasheet times (F1SimChip, f1-timing.h): the pages the image touches
 * erased one by one or the whole flash by one mass erase, whichever is
 * shorter, then its half-words programmed one by one, the only unit the
 * FPEC has (PM0075, "Main Flash memory programming"). */
void
f1_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit)
{
	const F1SimChip *chip = f1_chip(sim);
	guint32 size = sim->flash_kb * 1024u;
	guint64 pages = sim_limit_units_touched(image, 0, size, chip->page_size);
	guint64 halfwords = sim_limit_units_written(image, 0, size, 2);
	gint64 by_pages = (gint64)pages * chip->page_erase_ns;
	g_autofree gchar *pe = sim_limit_format_ns(chip->page_erase_ns);
	g_autofree gchar *me = sim_limit_format_ns(chip->mass_erase_ns);
	g_autofree gchar *hw = sim_limit_format_ns(chip->halfword_ns);

	if (pages > 0 && chip->mass_erase_ns < by_pages) {
		limit->erase_ns = chip->mass_erase_ns;
		g_string_append_printf(limit->how, "1 mass erase (%s)", me);
	} else {
		limit->erase_ns = by_pages;
		g_string_append_printf(limit->how, "%" G_GUINT64_FORMAT " page erases of %u B x %s",
				       pages, chip->page_size, pe);
	}
	limit->program_ns = (gint64)halfwords * chip->halfword_ns;
	limit->max_hclk_hz = chip->max_hclk_hz;
	g_string_append_printf(limit->how,
			       " + %" G_GUINT64_FORMAT " half-words x %s (%s datasheet: the "
			       "erase at its minimum, it gives no typical; docs/timing/f1.md)",
			       halfwords, hw, sim->board->chip);
}
