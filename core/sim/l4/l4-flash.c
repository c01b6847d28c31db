/* l4-flash.c: the STM32L4 flash controller (RM0351 3.3, reference 4.2-4.10).
 *
 * Lock/key sequences, standard double-word and fast row programming, page
 * and mass erase, every SR flag raised by the misuse that raises it on
 * silicon, and BSY held for the datasheet time on the virtual clock. Option
 * bytes are in l4-options.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l4-machine.h"

void
l4_flash_reset_state(GlintSim *sim)
{
	L4Flash *fl = &l4_state(sim)->fl;
	const L4Options *ob = &l4_state(sim)->ob;
	/* a reset aborts nothing that matters here: operations complete at once
	 * in the arrays; BSY is only a time window */
	fl->acr = FLASH_ACR_RESET;
	/* error flags clear; OPTVERR comes back while the loaded options are invalid */
	fl->sr = ob->invalid || l4_cfg(sim)->optverr_after_reset ? FLASH_SR_OPTVERR : 0;
	fl->cr = FLASH_CR_RESET;
	fl->eccr = 0;
	fl->key_stage = 0;
	fl->optkey_stage = 0;
	fl->key_fault = FALSE;
	fl->optkey_fault = FALSE;
	fl->pending_valid = FALSE;
	fl->row_active = FALSE;
	fl->row_low_word = FALSE;
	fl->row_fail_at = 0;
	sim->flash_op.active = FALSE;
	sim->flash_op.until = 0;
	fl->op_banks = 0;
	/* the live option registers show what was loaded */
	memcpy(fl->opt, ob->regs, sizeof(fl->opt));
}

static void l4_flash_error(GlintSim *sim, guint32 flags);

/* A fast-programming row: 32 double words, 64 in a G47x's single-bank mode
 * (RM0440 3.3.1: 4 KB pages of 8 rows); each double word takes 1/32 of the
 * datasheet's 32-double-word row time */
static guint32
l4_flash_row_bytes(GlintSim *sim)
{
	return (l4_geometry(sim).dual ? 32u : l4_cfg(sim)->fast_row_dwords_single) * 8u;
}

/* A fast-programming row stops: its high voltage goes off (BSY clears at
 * @when), the double words programmed so far stay, the rest stay erased,
 * and no EOP (RM0351 3.3.7) */
static void
l4_flash_row_stop(GlintSim *sim, gint64 when, guint32 flags)
{
	L4Flash *fl = &l4_state(sim)->fl;
	fl->row_active = FALSE;
	fl->row_low_word = FALSE;
	fl->op_eop = FALSE;
	if (sim->flash_op.active)
		sim->flash_op.until = MIN(sim->flash_op.until, when);
	l4_flash_error(sim, flags);
}

/* The row's timers, as time passes: the next double word missed its slot
 * (MISERR), or the 7 ms high-voltage counter ran out (FASTERR) */
static void
l4_flash_row_tick(GlintSim *sim)
{
	L4Flash *fl = &l4_state(sim)->fl;
	if (fl->row_fail_at != 0 && sim->now_ns >= fl->row_fail_at) {
		gint64 when = fl->row_fail_at;
		fl->row_fail_at = 0;
		l4_flash_row_stop(sim, when, FLASH_SR_FASTERR);
		return;
	}
	/* the double word in hand is programmed and no next one is there */
	if (fl->row_active && fl->row_fail_at == 0 &&
	    fl->row_next != fl->row_end - l4_flash_row_bytes(sim) &&
	    sim->now_ns >= fl->row_busy_until)
		l4_flash_row_stop(sim, fl->row_busy_until, FLASH_SR_MISERR | FLASH_SR_FASTERR);
}

void
l4_flash_tick(GlintSim *sim)
{
	L4Flash *fl = &l4_state(sim)->fl;
	l4_flash_row_tick(sim);
	if (!sim_flash_op_ended(sim))
		return;
	/* STRT and OPTSTRT clear when BSY clears */
	fl->cr &= ~(FLASH_CR_STRT | FLASH_CR_OPTSTRT);
	if (fl->op_eop && (fl->cr & FLASH_CR_EOPIE))
		fl->sr |= FLASH_SR_EOP;
}

void
l4_flash_stall(GlintSim *sim)
{
	/* a bus access to a busy flash waits (AHB wait states), it never fails */
	sim_flash_op_wait(sim);
	l4_flash_tick(sim);
}

/* An operation on the banks in @banks (bit 0 bank 1, bit 1 bank 2: what
 * BSY1 and BSY2 show on a G0B1) takes @ns */
static void
l4_flash_begin(GlintSim *sim, guint banks, gint64 ns)
{
	l4_state(sim)->fl.op_eop = TRUE;
	l4_state(sim)->fl.op_banks = banks;
	sim_flash_op_begin(sim, ns);
}

static void
l4_flash_error(GlintSim *sim, guint32 flags)
{
	L4Flash *fl = &l4_state(sim)->fl;
	fl->sr |= flags;
	/* OPERR is only reported when the error interrupt is enabled */
	if (fl->cr & FLASH_CR_ERRIE)
		fl->sr |= FLASH_SR_OPERR;
	g_debug("flash error SR |= 0x%08x (CR 0x%08x)", flags, fl->cr);
}

void
l4_flash_erase_bank(GlintSim *sim, guint bank)
{
	L4Geometry g = l4_geometry(sim);
	if (!g.dual) {
		memset(L4_MEM(sim, L4_REGION_FLASH), 0xFF, g.size);
		l4_state(sim)->fl.fast_ok[0] = TRUE;
		return;
	}
	memset(L4_MEM(sim, L4_REGION_FLASH) + (bank ? g.bank2_offset : 0), 0xFF, g.size / 2);
	l4_state(sim)->fl.fast_ok[bank ? 1 : 0] = TRUE;
}

/* Physical bank and page of a flash bus address (BKER/PNB terms). */
static void
l4_flash_locate(GlintSim *sim, guint32 addr, guint *bank, guint *page)
{
	L4Geometry g = l4_geometry(sim);
	guint32 off = (guint32)(sim_flash_ptr(sim, addr, 1) - L4_MEM(sim, L4_REGION_FLASH));
	*bank = off >= g.bank2_offset ? 1 : 0;
	*page = (off - (*bank ? g.bank2_offset : 0)) / g.page_size;
}

/* PCROP areas are offsets inside a bank: double words on the L4 (RM0351
 * 3.5.2), 512-byte blocks on the G0 (RM0444 3.5.2) */
static gboolean
l4_flash_pcrop_hit(GlintSim *sim, guint bank, guint32 bank_off)
{
	return l4_options_pcrop_hit(sim, bank, bank_off);
}

static gboolean
l4_flash_page_protected(GlintSim *sim, guint bank, guint page)
{
	L4Geometry g = l4_geometry(sim);
	guint32 first = page * g.page_size;
	if (l4_options_page_wrp(sim, bank, page))
		return TRUE;
	for (guint32 off = first; off < first + g.page_size; off += l4_cfg(sim)->pcrop_granule) {
		if (l4_flash_pcrop_hit(sim, bank, off))
			return TRUE;
	}
	return FALSE;
}

static gboolean
l4_flash_rdp_refuses(GlintSim *sim)
{
	/* RDP level 1 in debug, boot RAM or bootloader mode: no program/erase
	 * of main flash (RM0351 3.3.8 WRPERR, 3.5.1) */
	return l4_flash_locked(sim);
}

guint
l4_flash_cr_page(GlintSim *sim, guint32 cr, guint *bank)
{
	const L4Config *cfg = l4_cfg(sim);
	guint page = (cr & cfg->pnb_mask) >> FLASH_CR_PNB_SHIFT;
	*bank = (cr & cfg->bker) ? 1 : 0;
	/* RM0444 3.3.1 numbers the G0B1's bank-2 pages from 256; ST's HAL
	 * counts them from 0 with BKER, and the ST community reports both
	 * erase the same page (estimate: the bank's page is PNB[7:0]) */
	if (*bank == 1 && cfg->bank2_first_page != 0 && page >= cfg->bank2_first_page)
		page -= cfg->bank2_first_page;
	return page;
}

/* Returns FALSE for a bus error: CPU1 asked to erase CPU2's secure flash
 * (RM0453 4.3.7 table 13: the erase is aborted; RM0434 alike) */
static gboolean
l4_flash_page_erase(GlintSim *sim, guint32 cr)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Geometry g = l4_geometry(sim);
	guint bank;
	guint page = l4_flash_cr_page(sim, cr, &bank);
	if ((bank == 1 && !g.dual) || page >= g.pages_per_bank) {
		/* PNB beyond the bank: no such page */
		l4_flash_error(sim, FLASH_SR_PGSERR);
		return TRUE;
	}
	if (bank == 0 && page >= l4_options_secure_start(sim)) {
		g_debug("page %u is CPU2's secure flash: erase refused", page);
		return FALSE;
	}
	if (l4_flash_rdp_refuses(sim) || l4_flash_page_protected(sim, bank, page)) {
		l4_flash_error(sim, FLASH_SR_WRPERR);
		return TRUE;
	}
	memset(L4_MEM(sim, L4_REGION_FLASH) + (bank ? g.bank2_offset : 0) + page * g.page_size,
	       0xFF, g.page_size);
	sim->stats.pages_erased++;
	l4_state(sim)->fl.cr |= FLASH_CR_STRT;
	l4_flash_begin(sim, bank ? 2u : 1u, cfg->page_erase_ns);
	return TRUE;
}

/* FALSE for a bus error: a WB's CPU1 may not mass erase (RM0434 3.3.7) */
static gboolean
l4_flash_mass_erase(GlintSim *sim, guint32 cr)
{
	L4Geometry g = l4_geometry(sim);
	gboolean b1 = (cr & FLASH_CR_MER1) != 0;
	gboolean b2 = (cr & FLASH_CR_MER2) != 0;
	if (l4_cfg(sim)->mass_erase_bus_error) {
		g_debug("mass erase requested by CPU1: ignored, bus error");
		return FALSE;
	}
	/* a flash with CPU2's secure part: CPU1 may erase only the rest, page
	 * by page (RM0453 4.3.7; estimate: the mass erase is aborted like a
	 * secure page erase, with a bus error) */
	if (l4_options_secure_start(sim) < g.pages_per_bank) {
		g_debug("mass erase requested by CPU1 with a secure area: aborted, bus error");
		return FALSE;
	}
	if (!g.dual) {
		/* single bank: either bit erases the whole array (RM0351); a G47x
		 * in single-bank mode wants both (RM0440 3.3.6) */
		if (l4_cfg(sim)->single_bank_strict && !(b1 && b2)) {
			l4_flash_error(sim, FLASH_SR_PGSERR);
			return TRUE;
		}
		b1 = TRUE;
		b2 = FALSE;
	}
	/* refused outright if any WRP area of a bank it covers is active */
	if (l4_flash_rdp_refuses(sim) || (b1 && l4_options_bank_wrp(sim, 0)) ||
	    (b2 && l4_options_bank_wrp(sim, 1))) {
		l4_flash_error(sim, FLASH_SR_WRPERR);
		return TRUE;
	}
	if (b1)
		l4_flash_erase_bank(sim, 0);
	if (b2)
		l4_flash_erase_bank(sim, 1);
	sim->stats.mass_erases++;
	l4_state(sim)->fl.cr |= FLASH_CR_STRT;
	l4_flash_begin(sim, (b1 ? 1u : 0u) | (b2 ? 2u : 0u), l4_cfg(sim)->mass_erase_ns);
	return TRUE;
}

static gboolean
l4_flash_start_erase(GlintSim *sim)
{
	guint32 cr = l4_state(sim)->fl.cr;
	gboolean per = (cr & FLASH_CR_PER) != 0;
	gboolean mer = (cr & (FLASH_CR_MER1 | FLASH_CR_MER2)) != 0;
	if (l4_state(sim)->fl.sr & FLASH_SR_STALE) {
		l4_flash_error(sim, FLASH_SR_PGSERR);
		return TRUE;
	}
	/* exactly one kind of erase, and no programming mode, with STRT */
	if ((cr & (FLASH_CR_PG | FLASH_CR_FSTPG)) || per == mer) {
		l4_flash_error(sim, FLASH_SR_PGSERR);
		return TRUE;
	}
	if (per)
		return l4_flash_page_erase(sim, cr);
	return l4_flash_mass_erase(sim, cr);
}

static void
l4_flash_obl_launch(GlintSim *sim)
{
	/* reload the option bytes and reset the system; the debug link sees the
	 * reset as a DP error on the access that caused it */
	l4_options_load(sim);
	sim_system_reset(sim);
	sim_clock_advance(sim, SIM_OBL_RESET_NS);
	/* the core starts once the reset is over */
	sim->cpu.ns = MAX(sim->cpu.ns, sim->now_ns);
	sim->dp_error_pending = TRUE;
}

/* FALSE: the write is a bus error (an erase CPU1 may not start) */
static gboolean
l4_flash_cr_write(GlintSim *sim, guint32 value)
{
	L4Flash *fl = &l4_state(sim)->fl;
	l4_flash_stall(sim);
	if (fl->cr & FLASH_CR_LOCK) {
		/* locked: only setting OPTLOCK has an effect */
		fl->cr |= value & FLASH_CR_OPTLOCK;
		return TRUE;
	}
	fl->cr = (fl->cr & ~FLASH_CR_RW) | (value & FLASH_CR_RW);
	/* LOCK and OPTLOCK are set by writing 1, cleared only by the keys */
	fl->cr |= value & (FLASH_CR_LOCK | FLASH_CR_OPTLOCK);
	if (!(fl->cr & FLASH_CR_PG))
		fl->pending_valid = FALSE;
	if (!(fl->cr & FLASH_CR_FSTPG)) {
		fl->row_active = FALSE;
		fl->row_low_word = FALSE;
	}
	if (value & FLASH_CR_LOCK)
		return TRUE;
	if (value & FLASH_CR_OBL_LAUNCH) {
		if (!(fl->cr & FLASH_CR_OPTLOCK))
			l4_flash_obl_launch(sim);
		return TRUE;
	}
	if ((value & FLASH_CR_OPTSTRT) && !(fl->cr & FLASH_CR_OPTLOCK)) {
		l4_options_program(sim);
		return TRUE;
	}
	if (value & FLASH_CR_STRT)
		return l4_flash_start_erase(sim);
	return TRUE;
}

/* Key register writes: KEY1 then KEY2 unlock; anything else, or any key
 * while already unlocked, locks the register until the next reset and is a
 * bus error (RM0351 3.3.5). */
static gboolean
l4_flash_keyr_write(GlintSim *sim, guint32 value)
{
	L4Flash *fl = &l4_state(sim)->fl;
	if (!fl->key_fault && (fl->cr & FLASH_CR_LOCK)) {
		if (fl->key_stage == 0 && value == FLASH_KEY1) {
			fl->key_stage = 1;
			return TRUE;
		}
		if (fl->key_stage == 1 && value == FLASH_KEY2) {
			fl->key_stage = 0;
			fl->cr &= ~FLASH_CR_LOCK;
			return TRUE;
		}
	}
	fl->key_fault = TRUE;
	fl->key_stage = 0;
	fl->cr |= FLASH_CR_LOCK;
	g_debug("wrong flash key 0x%08x: FLASH_CR locked until reset", value);
	return FALSE;
}

static gboolean
l4_flash_optkeyr_write(GlintSim *sim, guint32 value)
{
	L4Flash *fl = &l4_state(sim)->fl;
	/* OPTLOCK can only be cleared once FLASH_CR itself is unlocked */
	if (!fl->optkey_fault && !(fl->cr & FLASH_CR_LOCK) && (fl->cr & FLASH_CR_OPTLOCK)) {
		if (fl->optkey_stage == 0 && value == FLASH_OPTKEY1) {
			fl->optkey_stage = 1;
			return TRUE;
		}
		if (fl->optkey_stage == 1 && value == FLASH_OPTKEY2) {
			fl->optkey_stage = 0;
			fl->cr &= ~FLASH_CR_OPTLOCK;
			return TRUE;
		}
	}
	fl->optkey_fault = TRUE;
	fl->optkey_stage = 0;
	fl->cr |= FLASH_CR_OPTLOCK;
	g_debug("wrong option key 0x%08x: OPTLOCK set until reset", value);
	return FALSE;
}

/* FLASH_SR as read: BSY (BSY1 and BSY2 on a G0B1, by bank) while an
 * operation runs, CFGBSY (G0, WB, WL) from the first word of a double word
 * until it is programmed and while an erase runs (RM0444 3.7.5) */
static guint32
l4_flash_sr_value(GlintSim *sim)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Flash *fl = &l4_state(sim)->fl;
	guint32 v = fl->sr;
	if (sim->flash_op.active) {
		if (cfg->bsy2)
			v |= ((fl->op_banks & 1u) ? FLASH_SR_BSY : 0) |
			     ((fl->op_banks & 2u) ? FLASH_SR_BSY2 : 0);
		else
			v |= FLASH_SR_BSY;
	}
	if (cfg->cfgbsy && (sim->flash_op.active || fl->pending_valid || fl->row_active))
		v |= FLASH_SR_CFGBSY;
	return v;
}

/* FLASH_ACR: the G0 adds EMPTY (bit 16), set by the option load when main
 * flash reads as erased, and writable (RM0444 3.7.1) */
#define FLASH_ACR_EMPTY (1u << 16)

static guint32
l4_flash_reg_value(GlintSim *sim, guint32 offset)
{
	L4Flash *fl = &l4_state(sim)->fl;
	if (offset >= FLASH_OPTR && offset <= FLASH_OPT_LAST)
		return l4_opt_word(sim, offset) != NULL ? fl->opt[L4_OPT_SLOT(offset)] : 0;
	switch (offset) {
	case FLASH_ACR:
		return fl->acr | (l4_state(sim)->empty ? FLASH_ACR_EMPTY : 0);
	case FLASH_SR:
		return l4_flash_sr_value(sim);
	case FLASH_CR:
		return fl->cr;
	case FLASH_ECCR:
		return fl->eccr;
	default:
		return 0; /* key registers are write-only; reserved reads as 0 */
	}
}

guint32
l4_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 v;
	l4_flash_tick(sim);
	v = l4_flash_reg_value(sim, offset);
	/* a core polling BSY waits until the operation ends: what its loop
	 * amounts to, without executing it */
	if (who == SIM_ACCESS_CORE && offset == FLASH_SR &&
	    (v & (FLASH_SR_BSY | FLASH_SR_BSY2 | FLASH_SR_CFGBSY)) && sim->flash_op.active)
		l4_flash_stall(sim);
	return v;
}

gboolean
l4_flash_is_w1c(guint32 offset)
{
	return offset == FLASH_SR;
}

/* Tests leave stale flags by setting raw SR bits */
gboolean
l4_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value)
{
	guint shift = (offset & 3u) * 8;
	if ((offset & ~3u) != FLASH_SR)
		return sim_bus_write(sim, SIM_ACCESS_AHB, p->base + offset, 1, value) == SIM_BUS_OK;
	l4_state(sim)->fl.sr =
	    (l4_state(sim)->fl.sr & ~(0xFFu << shift)) | ((guint32)value << shift);
	return TRUE;
}

void
l4_flash_reset(GlintSim *sim, const SimPeriph *p)
{
	l4_flash_reset_state(sim);
}

gboolean
l4_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	L4Flash *fl = &l4_state(sim)->fl;
	const L4OptWord *w;
	l4_flash_tick(sim);
	switch (offset) {
	case FLASH_ACR:
		fl->acr = value & 0x7F07u;
		if (l4_cfg(sim)->g0_boot)
			l4_state(sim)->empty = (value & FLASH_ACR_EMPTY) != 0;
		return TRUE;
	case FLASH_PDKEYR:
		return TRUE;
	case FLASH_KEYR:
		return l4_flash_keyr_write(sim, value);
	case FLASH_OPTKEYR:
		return l4_flash_optkeyr_write(sim, value);
	case FLASH_SR:
		fl->sr &= ~(value & FLASH_SR_W1C);
		return TRUE;
	case FLASH_CR:
		return l4_flash_cr_write(sim, value);
	case FLASH_ECCR:
		/* ECCC/ECCD write-1-to-clear, ECCIE read/write */
		fl->eccr = (fl->eccr & ~(value & 0xC0000000u) & ~(1u << 24)) | (value & (1u << 24));
		return TRUE;
	default:
		break;
	}
	w = offset >= FLASH_OPTR && offset <= FLASH_OPT_LAST ? l4_opt_word(sim, offset) : NULL;
	/* option registers change only with OPTLOCK clear, and not in the bits
	 * only CPU2 may change */
	if (w != NULL && !(fl->cr & FLASH_CR_OPTLOCK)) {
		guint32 *opt = &fl->opt[L4_OPT_SLOT(offset)];
		l4_flash_stall(sim);
		*opt = (*opt & w->readonly) | (value & ~w->readonly);
	}
	return TRUE;
}

/* Storage for a double word at @addr: main flash or OTP. */
static guint8 *
l4_flash_cell(GlintSim *sim, guint32 addr, gboolean *is_main)
{
	*is_main = sim_in_main_flash(sim, addr);
	if (*is_main)
		return sim_flash_ptr(sim, addr, 8);
	if (addr >= l4_cfg(sim)->otp_base &&
	    addr - l4_cfg(sim)->otp_base + 8 <= l4_cfg(sim)->otp_size)
		return L4_MEM(sim, L4_REGION_OTP) + (addr - l4_cfg(sim)->otp_base);
	return NULL;
}

static gboolean
l4_flash_is_erased(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static gboolean
l4_flash_write_protected(GlintSim *sim, guint32 addr)
{
	guint bank, page;
	L4Geometry g = l4_geometry(sim);
	guint32 off;
	l4_flash_locate(sim, addr, &bank, &page);
	off = (guint32)(sim_flash_ptr(sim, addr, 1) - L4_MEM(sim, L4_REGION_FLASH)) -
	      (bank ? g.bank2_offset : 0);
	return l4_options_page_wrp(sim, bank, page) || l4_flash_pcrop_hit(sim, bank, off);
}

gboolean
l4_flash_pcrop_read_blocked(GlintSim *sim, guint32 addr)
{
	guint bank, page;
	L4Geometry g = l4_geometry(sim);
	guint32 off;
	if (!sim_in_main_flash(sim, addr))
		return FALSE;
	l4_flash_locate(sim, addr, &bank, &page);
	off = (guint32)(sim_flash_ptr(sim, addr, 1) - L4_MEM(sim, L4_REGION_FLASH)) -
	      (bank ? g.bank2_offset : 0);
	if (!l4_flash_pcrop_hit(sim, bank, off))
		return FALSE;
	/* PCROP code is execute-only: a data read is refused and flagged */
	l4_state(sim)->fl.sr |= FLASH_SR_RDERR;
	return TRUE;
}

static void
l4_store32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

static void
l4_flash_program_dword(GlintSim *sim, guint32 addr, guint32 lo, guint32 hi)
{
	gboolean is_main;
	guint8 *p = l4_flash_cell(sim, addr, &is_main);
	if (p == NULL) {
		l4_flash_error(sim, FLASH_SR_PGAERR);
		return;
	}
	if (is_main && (l4_flash_rdp_refuses(sim) || l4_flash_write_protected(sim, addr))) {
		l4_flash_error(sim, FLASH_SR_WRPERR);
		return;
	}
	/* ECC: a double word is written once after erase; only all-zeros may
	 * overwrite programmed data (RM0351 3.3.7) */
	if (!l4_flash_is_erased(p, 8) && (lo != 0 || hi != 0)) {
		l4_flash_error(sim, FLASH_SR_PROGERR);
		return;
	}
	l4_store32(p, lo);
	l4_store32(p + 4, hi);
	if (is_main) {
		guint bank, page;
		l4_flash_locate(sim, addr, &bank, &page);
		l4_state(sim)->fl.fast_ok[bank] = FALSE;
	}
	sim->stats.double_words_programmed++;
	{
		guint bank = 0, page;
		if (is_main)
			l4_flash_locate(sim, addr, &bank, &page);
		l4_flash_begin(sim, bank ? 2u : 1u, l4_cfg(sim)->dword_ns);
	}
	sim_faults_unit_started(sim, addr, 8);
}

static void
l4_flash_fast_abort(GlintSim *sim, guint32 flags)
{
	L4Flash *fl = &l4_state(sim)->fl;
	if (fl->row_active)
		l4_flash_row_stop(sim, sim->now_ns, flags | FLASH_SR_FASTERR);
	else
		l4_flash_error(sim, flags | FLASH_SR_FASTERR);
}

/* The first double word of a row: the high voltage goes on (BSY) */
static gboolean
l4_flash_row_open(GlintSim *sim, guint32 addr, guint bank)
{
	L4Flash *fl = &l4_state(sim)->fl;
	if (addr % l4_flash_row_bytes(sim) != 0) {
		l4_flash_fast_abort(sim, FLASH_SR_PGAERR);
		return FALSE;
	}
	if (!fl->fast_ok[bank]) {
		/* the bank was not mass-erased before FSTPG */
		l4_flash_error(sim, FLASH_SR_PGSERR);
		return FALSE;
	}
	if (l4_flash_rdp_refuses(sim) || l4_flash_write_protected(sim, addr)) {
		l4_flash_fast_abort(sim, FLASH_SR_WRPERR);
		return FALSE;
	}
	fl->row_active = TRUE;
	fl->row_next = addr;
	fl->row_end = addr + l4_flash_row_bytes(sim);
	fl->row_low_word = FALSE;
	return TRUE;
}

/* A complete double word of the row arrived at now: it is programmed after
 * the previous one, which it must not have missed */
static void
l4_flash_row_dword(GlintSim *sim, guint32 addr, guint32 lo, guint32 hi)
{
	L4Flash *fl = &l4_state(sim)->fl;
	guint8 *p = sim_flash_ptr(sim, addr, 8);
	guint32 row = l4_flash_row_bytes(sim);
	gboolean first = addr == fl->row_end - row;
	if (first) {
		/* RM0351 3.3.7: HCLK of at least 8 MHz keeps a row within the
		 * 8 ms the cells allow; slower, the 7 ms counter stops it */
		fl->row_start_ns = sim->now_ns;
		fl->row_busy_until = sim->now_ns;
		fl->row_fail_at = 0;
		if (sim->machine->ops->hclk_hz(sim) < FLASH_FAST_MIN_HCLK_HZ)
			fl->row_fail_at = sim->now_ns + FLASH_FAST_TIMEOUT_NS;
		fl->op_eop = TRUE;
		fl->op_banks = sim_flash_ptr(sim, addr, 1) - L4_MEM(sim, L4_REGION_FLASH) >=
				       l4_geometry(sim).bank2_offset
				   ? 2u
				   : 1u;
		sim_flash_op_begin(sim, fl->row_fail_at != 0 ? FLASH_FAST_TIMEOUT_NS : 0);
	}
	if (!l4_flash_is_erased(p, 8)) {
		l4_flash_fast_abort(sim, FLASH_SR_PROGERR);
		return;
	}
	l4_store32(p, lo);
	l4_store32(p + 4, hi);
	/* none arrived late (that is MISERR), so the double words follow each
	 * other from the row's start: the k-th ends at k/32 of the row time */
	fl->row_busy_until = fl->row_start_ns + l4_cfg(sim)->fast_row_ns * ((addr % row) / 8 + 1) /
						    FLASH_FAST_ROW_DWORDS;
	if (fl->row_fail_at == 0)
		sim->flash_op.until = fl->row_busy_until;
	fl->row_next = addr + 8;
	if (fl->row_next != fl->row_end)
		return;
	fl->row_active = FALSE;
	sim->stats.double_words_programmed += row / 8;
	sim_faults_row_started(sim, fl->row_end - row, row, 8);
}

/* Fast programming (RM0351 3.3.7): the 32 double words of a row written
 * one after the other into a bank that was mass-erased. BSY is set from the
 * first double word; each double word takes its share of the row time and
 * the next one must have arrived when it ends, or MISERR (and FASTERR) stop
 * the row. */
static void
l4_flash_fast_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	L4Flash *fl = &l4_state(sim)->fl;
	guint bank, page;
	if (fl->cr & (FLASH_CR_PG | FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_MER2) ||
	    (fl->sr & FLASH_SR_STALE) || !sim_in_main_flash(sim, addr)) {
		if (fl->row_active)
			l4_flash_row_stop(sim, sim->now_ns, FLASH_SR_PGSERR);
		else
			l4_flash_error(sim, FLASH_SR_PGSERR);
		return;
	}
	if (size != 4) {
		l4_flash_fast_abort(sim, FLASH_SR_SIZERR);
		return;
	}
	l4_flash_locate(sim, addr, &bank, &page);
	if (!fl->row_active && !l4_flash_row_open(sim, addr, bank))
		return;
	if (addr != fl->row_next + (fl->row_low_word ? 4u : 0u)) {
		/* outside the row or backwards: PGAERR; a double word skipped:
		 * the one expected missed its slot */
		gboolean in_row = addr > fl->row_next && addr < fl->row_end;
		l4_flash_fast_abort(sim, in_row ? FLASH_SR_MISERR : FLASH_SR_PGAERR);
		return;
	}
	if (!fl->row_low_word) {
		fl->row_low_word = TRUE;
		fl->pending_value = value;
		return;
	}
	fl->row_low_word = FALSE;
	l4_flash_row_dword(sim, fl->row_next, fl->pending_value, value);
}

/* A store into main flash that read protection refused (bus error): with a
 * programming mode set the controller flags it (RM0351 3.3.8 WRPERR) */
void
l4_flash_refused_write(GlintSim *sim, const SimHit *hit)
{
	L4Flash *fl = &l4_state(sim)->fl;
	if (hit->info->kind != SIM_REGION_FLASH)
		return;
	l4_flash_tick(sim);
	fl->pending_valid = FALSE;
	if (fl->cr & FLASH_CR_FSTPG)
		l4_flash_fast_abort(sim, FLASH_SR_WRPERR);
	else if (fl->cr & FLASH_CR_PG)
		l4_flash_error(sim, FLASH_SR_WRPERR);
}

void
l4_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	L4Flash *fl = &l4_state(sim)->fl;
	l4_flash_tick(sim);
	/* a row being programmed takes its next double word at once; any
	 * other write waits for the operation in progress */
	if (!((fl->cr & FLASH_CR_FSTPG) && fl->row_active))
		l4_flash_stall(sim);
	if (fl->cr & FLASH_CR_FSTPG) {
		l4_flash_fast_write(sim, addr, size, value);
		return;
	}
	/* a write to flash outside a programming sequence is ignored */
	if (!(fl->cr & FLASH_CR_PG) || (fl->cr & (FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_MER2))) {
		fl->pending_valid = FALSE;
		l4_flash_error(sim, FLASH_SR_PGSERR);
		return;
	}
	if (size != 4) {
		fl->pending_valid = FALSE;
		l4_flash_error(sim, FLASH_SR_SIZERR);
		return;
	}
	if (fl->sr & FLASH_SR_STALE) {
		fl->pending_valid = FALSE;
		l4_flash_error(sim, FLASH_SR_PGSERR);
		return;
	}
	if (!fl->pending_valid) {
		/* the low word opens a double word: it must be 8-byte aligned */
		if (addr % 8 != 0) {
			l4_flash_error(sim, FLASH_SR_PGAERR);
			return;
		}
		fl->pending_valid = TRUE;
		fl->pending_addr = addr;
		fl->pending_value = value;
		return;
	}
	fl->pending_valid = FALSE;
	if (addr != fl->pending_addr + 4) {
		l4_flash_error(sim, FLASH_SR_PGAERR);
		return;
	}
	l4_flash_program_dword(sim, fl->pending_addr, fl->pending_value, value);
}

/* The benchmark's bound (SimMachineOps.flash_limit), from the chip's
 * datasheet times (L4Config, l4-timing.h). Per bank, either its pages are
 * erased one by one and its double words programmed (RM0351 3.3.6), or its
 * rows are fast-programmed, which needs the bank mass-erased first (3.3.7);
 * one mass erase (MER1 and MER2 together) serves every bank that takes the
 * fast path. One operation at a time: the banks do not overlap. Where CPU1
 * may not mass erase (a WB: RM0434 3.3.7; a WB or WL with CPU2's secure
 * flash: RM0453 4.3.7) there is no fast path: pages and double words. */
void
l4_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit)
{
	const L4Config *cfg = l4_cfg(sim);
	L4Geometry g = l4_geometry(sim);
	guint32 row = l4_flash_row_bytes(sim);
	gint64 row_ns = cfg->fast_row_ns * (row / 8u) / FLASH_FAST_ROW_DWORDS;
	guint n_banks = g.dual ? 2 : 1;
	guint64 pages[2] = {0}, dwords[2] = {0}, rows[2] = {0};
	gboolean fast[2] = {FALSE, FALSE};
	gint64 standard = 0, mixed = cfg->mass_erase_ns;
	guint64 n_pages = 0, n_dwords = 0, n_rows = 0;
	g_autofree gchar *pe = sim_limit_format_ns(cfg->page_erase_ns);
	g_autofree gchar *me = sim_limit_format_ns(cfg->mass_erase_ns);
	g_autofree gchar *dw = sim_limit_format_ns(cfg->dword_ns);
	g_autofree gchar *rw = sim_limit_format_ns(row_ns);
	gboolean any_fast = FALSE;
	gboolean can_mass_erase =
	    !cfg->mass_erase_bus_error && l4_options_secure_start(sim) >= g.pages_per_bank;

	for (guint b = 0; b < n_banks; b++) {
		guint32 from = b == 0 ? 0 : g.bank2_offset;
		guint32 to = b == 0 && g.dual ? g.bank2_offset : g.size;
		gint64 by_pages, by_rows;
		pages[b] = sim_limit_units_touched(image, from, to, g.page_size);
		dwords[b] = sim_limit_units_written(image, from, to, 8);
		rows[b] = sim_limit_units_written(image, from, to, row);
		by_pages =
		    (gint64)pages[b] * cfg->page_erase_ns + (gint64)dwords[b] * cfg->dword_ns;
		by_rows = (gint64)rows[b] * row_ns;
		standard += by_pages;
		fast[b] = can_mass_erase && pages[b] > 0 && by_rows < by_pages;
		mixed += fast[b] ? by_rows : by_pages;
		any_fast = any_fast || fast[b];
	}
	if (!any_fast || mixed >= standard)
		fast[0] = fast[1] = FALSE;
	else
		limit->erase_ns = cfg->mass_erase_ns;
	for (guint b = 0; b < n_banks; b++) {
		if (fast[b]) {
			n_rows += rows[b];
			limit->program_ns += (gint64)rows[b] * row_ns;
			continue;
		}
		n_pages += pages[b];
		n_dwords += dwords[b];
		limit->erase_ns += (gint64)pages[b] * cfg->page_erase_ns;
		limit->program_ns += (gint64)dwords[b] * cfg->dword_ns;
	}
	limit->max_hclk_hz = cfg->max_hclk_hz;
	if (fast[0] || fast[1])
		g_string_append_printf(limit->how,
				       "1 mass erase (%s) + %" G_GUINT64_FORMAT
				       " fast-programming rows of %u B x %s",
				       me, n_rows, row, rw);
	if (n_pages > 0)
		g_string_append_printf(
		    limit->how,
		    "%s%" G_GUINT64_FORMAT " page erases of %u B x %s + %" G_GUINT64_FORMAT
		    " double words x %s",
		    limit->how->len > 0 ? "; " : "", n_pages, g.page_size, pe, n_dwords, dw);
	if (!can_mass_erase)
		g_string_append(limit->how, ", no fast programming: CPU1 may not mass erase");
	g_string_append_printf(limit->how, " (%s datasheet typical, docs/timing/l4.md)", cfg->chip);
}
