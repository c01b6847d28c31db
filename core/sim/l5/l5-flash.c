/* l5-flash.c: the STM32L5/U5 flash controller (RM0438 6.3 and 6.9, RM0456
 * 7.3 and 7.9).
 *
 * Two security domains share the arrays: the non-secure key, status and
 * control registers (FLASH_NSKEYR, NSSR, NSCR) and the secure ones
 * (SECKEYR, SECSR, SECCR), which answer only a secure access with
 * TrustZone on. Each domain erases and programs only the pages it owns:
 * with TZEN = 1 a page is secure when a watermark area (SECWMx) or its
 * SECBB bit says so; a request from the other domain is turned away
 * without an error flag (silicon raises a flash illegal access event in
 * GTZC, which is not modelled; the model counts it). Data writes through
 * 0x08000000 program with NSCR.PG, through the secure alias 0x0C000000
 * with SECCR.PG.
 *
 * Programming gathers a unit of words (a double word on the L5, a quad
 * word on the U5) and programs it when its last word arrives; every SR
 * flag is raised by the misuse that raises it on silicon, BSY lasts the
 * datasheet time on the virtual clock. Option bytes are l5-options.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l5-machine.h"

static L5Flash *
fl_of(GlintSim *sim)
{
	return &l5_state(sim)->fl;
}

/* Time ---------------------------------------------------------------------- */

void
l5_flash_tick(GlintSim *sim)
{
	L5Flash *fl = fl_of(sim);
	L5Domain *d;
	if (!sim_flash_op_ended(sim))
		return;
	/* STRT and OPTSTRT clear with BSY; EOP only with EOPIE (RM0438 6.9.6) */
	d = &fl->dom[fl->op_dom];
	d->cr &= ~(FLASH_CR_STRT | FLASH_CR_OPTSTRT);
	if (fl->op_eop && (d->cr & FLASH_CR_EOPIE))
		d->sr |= FLASH_SR_EOP;
	fl->op_kind = L5_OP_NONE;
}

void
l5_flash_stall(GlintSim *sim)
{
	/* a bus access to a busy flash waits (AHB wait states), it never fails */
	sim_flash_op_wait(sim);
	l5_flash_tick(sim);
}

static void
l5_flash_begin(GlintSim *sim, guint dom, L5OpKind kind, gint64 ns)
{
	L5Flash *fl = fl_of(sim);
	fl->op_eop = TRUE;
	fl->op_dom = dom;
	fl->op_kind = kind;
	sim_flash_op_begin(sim, ns);
}

static void
l5_flash_error(GlintSim *sim, guint dom, guint32 flags)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	d->sr |= flags;
	/* OPERR is reported only with the error interrupt enabled */
	if (d->cr & FLASH_CR_ERRIE)
		d->sr |= FLASH_SR_OPERR;
	g_debug("flash error %s |= 0x%08x (CR 0x%08x)", dom == L5_NS ? "NSSR" : "SECSR", flags,
		d->cr);
}

/* A request from the domain that does not own the page: nothing happens on
 * the array, no SR flag (RM0438 6.3.7: "illegal access event") */
static void
l5_flash_illegal(GlintSim *sim, const char *what, guint bank, guint page)
{
	l5_state(sim)->illegal_accesses++;
	g_debug("%s of page %u of bank %u from the other security domain: ignored", what, page,
		bank + 1);
}

/* Geometry and attribution ----------------------------------------------------- */

gboolean
l5_flash_secure_alias(guint32 addr)
{
	return addr >= L5_FLASH_S_BASE && addr < L5_FLASH_S_BASE + 0x04000000u;
}

guint32
l5_flash_offset(GlintSim *sim, guint32 addr)
{
	return (guint32)(sim_flash_ptr(sim, addr, 1) - L5_MEM(sim, L5_REGION_FLASH));
}

void
l5_flash_locate(GlintSim *sim, guint32 offset, guint *bank, guint *page)
{
	L5Geometry g = l5_geometry(sim);
	*bank = offset / g.bank_size;
	*page = (offset % g.bank_size) / g.page_size;
}

static guint32
l5_page_offset(GlintSim *sim, guint bank, guint page)
{
	L5Geometry g = l5_geometry(sim);
	return bank * g.bank_size + page * g.page_size;
}

gboolean
l5_page_secure(GlintSim *sim, guint bank, guint page)
{
	const L5Flash *fl = fl_of(sim);
	if (!l5_tzen(sim))
		return FALSE;
	if (l5_options_page_secwm(sim, bank, page))
		return TRUE;
	return page < 128 && (fl->secbb[bank & 1][page / 32] & (1u << (page % 32))) != 0;
}

gboolean
l5_page_hidden(GlintSim *sim, guint bank, guint page)
{
	guint32 accdis = bank == 0 ? FLASH_SECHDPCR_HDP1_ACCDIS : FLASH_SECHDPCR_HDP2_ACCDIS;
	return l5_tzen(sim) && (fl_of(sim)->sechdpcr & accdis) &&
	       l5_options_page_hdp(sim, bank, page);
}

/* Whether domain @dom owns the page (with TrustZone off everything is the
 * non-secure domain's) */
static gboolean
l5_page_owned(GlintSim *sim, guint dom, guint bank, guint page)
{
	return l5_page_secure(sim, bank, page) == (dom == L5_SEC);
}

void
l5_flash_erase_bank_pages(GlintSim *sim, guint bank, gboolean non_secure_only)
{
	L5Geometry g = l5_geometry(sim);
	guint8 *flash = L5_MEM(sim, L5_REGION_FLASH);
	for (guint page = 0; page < g.pages_per_bank; page++) {
		if (non_secure_only && l5_page_secure(sim, bank, page))
			continue;
		memset(flash + l5_page_offset(sim, bank, page), 0xFF, g.page_size);
	}
}

/* Erase ---------------------------------------------------------------------- */

static void
l5_flash_page_erase(GlintSim *sim, guint dom)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	L5Geometry g = l5_geometry(sim);
	guint bank = (d->cr & FLASH_CR_BKER) ? 1 : 0;
	guint page = (d->cr & FLASH_CR_PNB_MASK) >> FLASH_CR_PNB_SHIFT;
	L5Flash *fl = fl_of(sim);

	/* BKER in single-bank mode, or PNB beyond the bank: no such page */
	if ((bank == 1 && !g.dual) || page >= g.pages_per_bank) {
		l5_flash_error(sim, dom, FLASH_SR_PGSERR);
		return;
	}
	if (!l5_page_owned(sim, dom, bank, page)) {
		l5_flash_illegal(sim, "page erase", bank, page);
		return;
	}
	/* RM0438 6.5: read protection in debug mode, a WRP area, a hidden
	 * area: WRPERR and nothing erased */
	if (l5_flash_locked(sim) || l5_options_page_wrp(sim, bank, page) ||
	    l5_page_hidden(sim, bank, page)) {
		l5_flash_error(sim, dom, FLASH_SR_WRPERR);
		return;
	}
	memset(L5_MEM(sim, L5_REGION_FLASH) + l5_page_offset(sim, bank, page), 0xFF, g.page_size);
	sim->stats.pages_erased++;
	d->cr |= FLASH_CR_STRT;
	fl->op_offset = l5_page_offset(sim, bank, page);
	fl->op_len = g.page_size;
	l5_flash_begin(sim, dom, L5_OP_ERASE, l5_cfg(sim)->page_erase_ns);
}

/* Whether every page of @bank belongs to domain @dom */
static gboolean
l5_bank_owned(GlintSim *sim, guint dom, guint bank)
{
	L5Geometry g = l5_geometry(sim);
	for (guint page = 0; page < g.pages_per_bank; page++) {
		if (!l5_page_owned(sim, dom, bank, page))
			return FALSE;
	}
	return TRUE;
}

static void
l5_flash_mass_erase(GlintSim *sim, guint dom)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	L5Flash *fl = fl_of(sim);
	L5Geometry g = l5_geometry(sim);
	gboolean b1 = (d->cr & FLASH_CR_MER1) != 0;
	gboolean b2 = (d->cr & FLASH_CR_MER2) != 0;

	if (!g.dual) {
		/* one bank: either bit erases all of it (RM0438 6.3.7) */
		b1 = TRUE;
		b2 = FALSE;
	}
	/* a bank holding pages of the other domain is not erased (the secure
	 * firmware, or OpenOCD, first makes every page its own) */
	if ((b1 && !l5_bank_owned(sim, dom, 0)) || (b2 && !l5_bank_owned(sim, dom, 1))) {
		l5_flash_illegal(sim, "bank erase", b1 ? 0 : 1, 0);
		return;
	}
	/* refused outright with read protection in debug mode or any WRP
	 * area in a bank it covers (RM0438 6.5.2) */
	if (l5_flash_locked(sim) || (b1 && l5_options_bank_wrp(sim, 0)) ||
	    (b2 && l5_options_bank_wrp(sim, 1))) {
		l5_flash_error(sim, dom, FLASH_SR_WRPERR);
		return;
	}
	if (b1)
		l5_flash_erase_bank_pages(sim, 0, FALSE);
	if (b2)
		l5_flash_erase_bank_pages(sim, 1, FALSE);
	sim->stats.mass_erases++;
	d->cr |= FLASH_CR_STRT;
	fl->op_offset = b1 ? 0 : g.bank_size;
	fl->op_len = (b1 && b2) ? g.size : g.bank_size;
	l5_flash_begin(sim, dom, L5_OP_ERASE, l5_cfg(sim)->mass_erase_ns);
}

static void
l5_flash_start(GlintSim *sim, guint dom)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	gboolean per = (d->cr & FLASH_CR_PER) != 0;
	gboolean mer = (d->cr & (FLASH_CR_MER1 | FLASH_CR_MER2)) != 0;

	/* RM0438 6.3.7: flags an earlier operation left refuse the next one */
	if (d->sr & FLASH_SR_STALE) {
		l5_flash_error(sim, dom, FLASH_SR_PGSERR);
		return;
	}
	/* exactly one kind of erase and no programming mode with STRT */
	if ((d->cr & FLASH_CR_PG) || per == mer) {
		l5_flash_error(sim, dom, FLASH_SR_PGSERR);
		return;
	}
	if (per)
		l5_flash_page_erase(sim, dom);
	else
		l5_flash_mass_erase(sim, dom);
}

/* Option bytes ---------------------------------------------------------------- */

static void
l5_flash_options_start(GlintSim *sim)
{
	L5Flash *fl = fl_of(sim);
	gint64 ns = 0;
	guint32 refused;

	if (fl->dom[L5_NS].sr & FLASH_SR_STALE) {
		l5_flash_error(sim, L5_NS, FLASH_SR_PGSERR);
		return;
	}
	refused = l5_options_program(sim, &ns);
	if (refused != 0) {
		l5_flash_error(sim, L5_NS, refused);
		return;
	}
	fl->dom[L5_NS].cr |= FLASH_CR_OPTSTRT;
	l5_flash_begin(sim, L5_NS, L5_OP_OPTIONS, ns);
}

static void
l5_flash_obl_launch(GlintSim *sim)
{
	/* reload the option bytes and reset the system; the debug link sees
	 * the reset as a DP error on the access that caused it */
	l5_options_load(sim);
	sim_system_reset(sim);
	sim_clock_advance(sim, SIM_OBL_RESET_NS);
	sim->cpu.ns = MAX(sim->cpu.ns, sim->now_ns);
	sim->dp_error_pending = TRUE;
}

/* Registers -------------------------------------------------------------------- */

static void
l5_flash_cr_write(GlintSim *sim, guint dom, guint32 value)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	guint32 rw = FLASH_CR_RW;

	l5_flash_stall(sim);
	if (d->cr & FLASH_CR_LOCK) {
		/* locked: only setting OPTLOCK has an effect */
		if (dom == L5_NS)
			d->cr |= value & FLASH_CR_OPTLOCK;
		return;
	}
	d->cr = (d->cr & ~rw) | (value & rw);
	/* LOCK and OPTLOCK are set by writing 1, cleared only by the keys */
	d->cr |= value & (dom == L5_NS ? FLASH_CR_LOCK | FLASH_CR_OPTLOCK : FLASH_CR_LOCK);
	if (!(d->cr & FLASH_CR_PG))
		d->unit_open = FALSE;
	if (value & FLASH_CR_LOCK)
		return;
	if (dom == L5_NS && (value & FLASH_CR_OBL_LAUNCH)) {
		if (!(d->cr & FLASH_CR_OPTLOCK))
			l5_flash_obl_launch(sim);
		return;
	}
	if (dom == L5_NS && (value & FLASH_CR_OPTSTRT)) {
		if (!(d->cr & FLASH_CR_OPTLOCK))
			l5_flash_options_start(sim);
		return;
	}
	if (value & FLASH_CR_STRT)
		l5_flash_start(sim, dom);
}

/* Key registers: KEY1 then KEY2 unlock; anything else, or a key while
 * unlocked, locks the register until the next reset and is a bus error
 * (RM0438 6.3.5) */
static gboolean
l5_flash_keyr_write(GlintSim *sim, guint dom, guint32 value)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	if (!d->key_fault && (d->cr & FLASH_CR_LOCK)) {
		if (d->key_stage == 0 && value == FLASH_KEY1) {
			d->key_stage = 1;
			return TRUE;
		}
		if (d->key_stage == 1 && value == FLASH_KEY2) {
			d->key_stage = 0;
			d->cr &= ~FLASH_CR_LOCK;
			return TRUE;
		}
	}
	d->key_fault = TRUE;
	d->key_stage = 0;
	d->cr |= FLASH_CR_LOCK;
	g_debug("wrong flash key 0x%08x: %s locked until reset", value,
		dom == L5_NS ? "FLASH_NSCR" : "FLASH_SECCR");
	return FALSE;
}

/* OPTKEYR clears NSCR.OPTLOCK once NSCR itself is unlocked (RM0438 6.4.2) */
static gboolean
l5_flash_optkeyr_write(GlintSim *sim, guint32 value)
{
	L5Flash *fl = fl_of(sim);
	L5Domain *d = &fl->dom[L5_NS];
	if (!fl->optkey_fault && !(d->cr & FLASH_CR_LOCK) && (d->cr & FLASH_CR_OPTLOCK)) {
		if (fl->optkey_stage == 0 && value == FLASH_OPTKEY1) {
			fl->optkey_stage = 1;
			return TRUE;
		}
		if (fl->optkey_stage == 1 && value == FLASH_OPTKEY2) {
			fl->optkey_stage = 0;
			d->cr &= ~FLASH_CR_OPTLOCK;
			return TRUE;
		}
	}
	fl->optkey_fault = TRUE;
	fl->optkey_stage = 0;
	d->cr |= FLASH_CR_OPTLOCK;
	g_debug("wrong option key 0x%08x: OPTLOCK set until reset", value);
	return FALSE;
}

/* The option register at @offset (live, as written), or NULL */
static guint32 *
l5_flash_option_reg(GlintSim *sim, guint32 offset)
{
	static const guint32 offsets[L5_OPT_COUNT] = {
	    [L5_OPT_OPTR] = FLASH_OPTR,
	    [L5_OPT_NSBOOTADD0R] = FLASH_NSBOOTADD0R,
	    [L5_OPT_NSBOOTADD1R] = FLASH_NSBOOTADD1R,
	    [L5_OPT_SECBOOTADD0R] = FLASH_SECBOOTADD0R,
	    [L5_OPT_SECWM1R1] = FLASH_SECWM1R1,
	    [L5_OPT_SECWM1R2] = FLASH_SECWM1R2,
	    [L5_OPT_WRP1AR] = FLASH_WRP1AR,
	    [L5_OPT_WRP1BR] = FLASH_WRP1BR,
	    [L5_OPT_SECWM2R1] = FLASH_SECWM2R1,
	    [L5_OPT_SECWM2R2] = FLASH_SECWM2R2,
	    [L5_OPT_WRP2AR] = FLASH_WRP2AR,
	    [L5_OPT_WRP2BR] = FLASH_WRP2BR,
	};
	for (guint i = 0; i < L5_OPT_COUNT; i++) {
		if (offsets[i] == offset)
			return &fl_of(sim)->opt[i];
	}
	return NULL;
}

/* Registers only a secure access with TrustZone on reaches: the secure
 * key, status and control registers, and (for writes) the attribution
 * and hide-protection registers; read-as-zero, write-ignored otherwise
 * (RM0438 6.9) */
static gboolean
l5_flash_secure_only(guint32 offset, gboolean writing)
{
	switch (offset) {
	case FLASH_SECKEYR:
	case FLASH_SECSR:
	case FLASH_SECCR:
		return TRUE;
	case FLASH_SECHDPCR:
		return writing;
	default:
		return writing && offset >= FLASH_SECBB1R1 && offset < FLASH_SECBB2R1 + 0x10u;
	}
}

/* Whether this access goes through: the secure alias of the block and the
 * secure-only registers need a secure transfer with TrustZone on */
static gboolean
l5_flash_reachable(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
		   gboolean writing)
{
	gboolean secure_side = *(const gboolean *)p->config;
	gboolean secure = l5_tzen(sim) && l5_access_secure(sim, who);
	if (secure_side && !secure)
		return FALSE;
	return !l5_flash_secure_only(offset, writing) || secure;
}

static guint32 *
l5_flash_secbb(GlintSim *sim, guint32 offset)
{
	L5Flash *fl = fl_of(sim);
	if (offset >= FLASH_SECBB1R1 && offset < FLASH_SECBB1R1 + 0x10u)
		return &fl->secbb[0][(offset - FLASH_SECBB1R1) / 4];
	if (offset >= FLASH_SECBB2R1 && offset < FLASH_SECBB2R1 + 0x10u)
		return &fl->secbb[1][(offset - FLASH_SECBB2R1) / 4];
	return NULL;
}

static guint32
l5_flash_sr_value(GlintSim *sim, guint dom)
{
	const L5Domain *d = &fl_of(sim)->dom[dom];
	guint32 v = d->sr;
	if (sim->flash_op.active)
		v |= FLASH_SR_BSY;
	/* RM0456 7.9.7: WDW while a quad word is being gathered */
	if (l5_cfg(sim)->unit == 16 && d->unit_open)
		v |= FLASH_SR_WDW;
	return v;
}

static guint32
l5_flash_reg_value(GlintSim *sim, guint32 offset)
{
	L5Flash *fl = fl_of(sim);
	guint32 *reg;
	switch (offset) {
	case FLASH_ACR:
		return fl->acr;
	case FLASH_NSSR:
		return l5_flash_sr_value(sim, L5_NS);
	case FLASH_SECSR:
		return l5_flash_sr_value(sim, L5_SEC);
	case FLASH_NSCR:
		return fl->dom[L5_NS].cr;
	case FLASH_SECCR:
		return fl->dom[L5_SEC].cr;
	case FLASH_ECCR:
		return fl->eccr;
	case FLASH_SECHDPCR:
		return fl->sechdpcr;
	case FLASH_PRIVCFGR:
		return fl->privcfgr;
	default:
		break;
	}
	reg = l5_flash_option_reg(sim, offset);
	if (reg == NULL)
		reg = l5_flash_secbb(sim, offset);
	/* key registers are write-only; reserved reads as 0 */
	return reg != NULL ? *reg : 0;
}

guint32
l5_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 v;
	l5_flash_tick(sim);
	if (!l5_flash_reachable(sim, p, who, offset, FALSE))
		return 0;
	v = l5_flash_reg_value(sim, offset);
	/* a core polling BSY waits until the operation ends: what its loop
	 * amounts to, without executing it */
	if (who == SIM_ACCESS_CORE && (offset == FLASH_NSSR || offset == FLASH_SECSR) &&
	    (v & FLASH_SR_BSY))
		l5_flash_stall(sim);
	return v;
}

gboolean
l5_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	L5Flash *fl = fl_of(sim);
	guint32 *reg;
	l5_flash_tick(sim);
	if (!l5_flash_reachable(sim, p, who, offset, TRUE))
		return TRUE;
	switch (offset) {
	case FLASH_ACR:
		fl->acr = value & 0x0000600Fu;
		return TRUE;
	case FLASH_NSKEYR:
		return l5_flash_keyr_write(sim, L5_NS, value);
	case FLASH_SECKEYR:
		return l5_flash_keyr_write(sim, L5_SEC, value);
	case FLASH_OPTKEYR:
		return l5_flash_optkeyr_write(sim, value);
	case FLASH_NSSR:
		fl->dom[L5_NS].sr &= ~(value & FLASH_SR_W1C);
		return TRUE;
	case FLASH_SECSR:
		fl->dom[L5_SEC].sr &= ~(value & FLASH_SR_W1C);
		return TRUE;
	case FLASH_NSCR:
		l5_flash_cr_write(sim, L5_NS, value);
		return TRUE;
	case FLASH_SECCR:
		l5_flash_cr_write(sim, L5_SEC, value);
		return TRUE;
	case FLASH_ECCR:
		/* ECCC/ECCD write-1-to-clear, ECCIE read/write */
		fl->eccr = (fl->eccr & ~(value & 0xC0000000u) & ~(1u << 24)) | (value & (1u << 24));
		return TRUE;
	case FLASH_SECHDPCR:
		/* HDPx_ACCDIS: set by secure code, cleared only by a reset */
		fl->sechdpcr |= value & (FLASH_SECHDPCR_HDP1_ACCDIS | FLASH_SECHDPCR_HDP2_ACCDIS);
		return TRUE;
	case FLASH_PRIVCFGR:
		fl->privcfgr = value & 0x3u;
		return TRUE;
	default:
		break;
	}
	reg = l5_flash_secbb(sim, offset);
	if (reg != NULL) {
		*reg = value;
		return TRUE;
	}
	/* option registers change only with OPTLOCK clear */
	reg = l5_flash_option_reg(sim, offset);
	if (reg != NULL && !(fl->dom[L5_NS].cr & FLASH_CR_OPTLOCK)) {
		l5_flash_stall(sim);
		*reg = value;
	}
	return TRUE;
}

gboolean
l5_flash_is_w1c(guint32 offset)
{
	return offset == FLASH_NSSR || offset == FLASH_SECSR;
}

/* Tests leave stale flags by setting raw NSSR bits */
gboolean
l5_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value)
{
	guint shift = (offset & 3u) * 8;
	L5Domain *d = &fl_of(sim)->dom[L5_NS];
	if ((offset & ~3u) != FLASH_NSSR)
		return sim_bus_write(sim, SIM_ACCESS_AHB, p->base + offset, 1, value) == SIM_BUS_OK;
	d->sr = (d->sr & ~(0xFFu << shift)) | ((guint32)value << shift);
	return TRUE;
}

void
l5_flash_reset(GlintSim *sim, const SimPeriph *p)
{
	L5State *st = l5_state(sim);
	L5Flash *fl = &st->fl;
	/* operations complete at once in the arrays; BSY is only a time window */
	memset(fl->dom, 0, sizeof(fl->dom));
	fl->dom[L5_NS].cr = FLASH_NSCR_RESET;
	fl->dom[L5_SEC].cr = FLASH_SECCR_RESET;
	/* error flags clear; OPTVERR comes back while the loaded options are
	 * invalid (L5) */
	if (st->invalid && l5_cfg(sim)->has_optverr)
		fl->dom[L5_NS].sr = FLASH_SR_OPTVERR;
	fl->acr = 0;
	fl->eccr = 0;
	fl->optkey_stage = 0;
	fl->optkey_fault = FALSE;
	/* the attribution set by secure code is volatile (RM0438 6.5.4) */
	memset(fl->secbb, 0, sizeof(fl->secbb));
	fl->sechdpcr = 0;
	fl->privcfgr = 0;
	fl->op_kind = L5_OP_NONE;
	sim->flash_op.active = FALSE;
	sim->flash_op.until = 0;
	/* the live option registers show what was loaded */
	memcpy(fl->opt, st->ob, sizeof(fl->opt));
}

/* Programming ------------------------------------------------------------------- */

static gboolean
l5_flash_is_erased(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static gboolean
l5_flash_all_zero(const guint32 *words, guint n)
{
	for (guint i = 0; i < n; i++) {
		if (words[i] != 0)
			return FALSE;
	}
	return TRUE;
}

/* Storage for the unit at bus address @addr: main flash (either alias) or
 * OTP; NULL when neither */
static guint8 *
l5_flash_cell(GlintSim *sim, guint32 addr, guint unit, gboolean *is_main)
{
	*is_main = sim_in_main_flash(sim, addr);
	if (*is_main)
		return sim_flash_ptr(sim, addr, unit);
	if (addr >= L5_OTP_BASE && addr - L5_OTP_BASE + unit <= L5_OTP_SIZE)
		return L5_MEM(sim, L5_REGION_OTP) + (addr - L5_OTP_BASE);
	return NULL;
}

static void
l5_flash_program_unit(GlintSim *sim, guint dom)
{
	L5Domain *d = &fl_of(sim)->dom[dom];
	guint unit = l5_cfg(sim)->unit;
	gboolean is_main;
	guint8 *p = l5_flash_cell(sim, d->unit_addr, unit, &is_main);

	if (p == NULL) {
		l5_flash_error(sim, dom, FLASH_SR_PGAERR);
		return;
	}
	if (is_main) {
		guint bank, page;
		l5_flash_locate(sim, l5_flash_offset(sim, d->unit_addr), &bank, &page);
		if (!l5_page_owned(sim, dom, bank, page)) {
			l5_flash_illegal(sim, "programming", bank, page);
			return;
		}
		if (l5_flash_locked(sim) || l5_options_page_wrp(sim, bank, page) ||
		    l5_page_hidden(sim, bank, page)) {
			l5_flash_error(sim, dom, FLASH_SR_WRPERR);
			return;
		}
	} else if (dom != L5_NS && l5_tzen(sim)) {
		/* OTP belongs to the non-secure side (modelling choice) */
		l5_flash_illegal(sim, "OTP programming", 0, 0);
		return;
	}
	/* ECC: a unit is written once after erase; only all zeros may
	 * overwrite it (RM0438 6.3.7 PROGERR) */
	if (!l5_flash_is_erased(p, unit) && !l5_flash_all_zero(d->unit_data, unit / 4)) {
		l5_flash_error(sim, dom, FLASH_SR_PROGERR);
		return;
	}
	for (guint i = 0; i < unit / 4; i++) {
		p[4 * i] = (guint8)d->unit_data[i];
		p[4 * i + 1] = (guint8)(d->unit_data[i] >> 8);
		p[4 * i + 2] = (guint8)(d->unit_data[i] >> 16);
		p[4 * i + 3] = (guint8)(d->unit_data[i] >> 24);
	}
	/* the statistic counts programming units (quad words on the U5) */
	sim->stats.double_words_programmed++;
	fl_of(sim)->op_addr = d->unit_addr;
	l5_flash_begin(sim, dom, L5_OP_PROGRAM, l5_cfg(sim)->unit_ns);
	sim_faults_unit_started(sim, d->unit_addr, unit);
}

/* A store into main flash or OTP: the word joins the unit its domain is
 * gathering (RM0438 6.3.7: double words, RM0456 7.3.7: quad words, words
 * in address order) */
void
l5_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	guint dom = l5_flash_secure_alias(addr) ? L5_SEC : L5_NS;
	L5Domain *d = &fl_of(sim)->dom[dom];
	guint unit = l5_cfg(sim)->unit;

	l5_flash_tick(sim);
	l5_flash_stall(sim);
	/* a write outside a programming sequence */
	if (!(d->cr & FLASH_CR_PG) || (d->cr & (FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_MER2))) {
		d->unit_open = FALSE;
		l5_flash_error(sim, dom, FLASH_SR_PGSERR);
		return;
	}
	if (size != 4) {
		d->unit_open = FALSE;
		l5_flash_error(sim, dom, FLASH_SR_SIZERR);
		return;
	}
	if (d->sr & FLASH_SR_STALE) {
		d->unit_open = FALSE;
		l5_flash_error(sim, dom, FLASH_SR_PGSERR);
		return;
	}
	if (!d->unit_open) {
		/* the first word opens a unit: it must be aligned to it */
		if (addr % unit != 0) {
			l5_flash_error(sim, dom, FLASH_SR_PGAERR);
			return;
		}
		d->unit_open = TRUE;
		d->unit_addr = addr;
		d->unit_words = 0;
	} else if (addr != d->unit_addr + 4 * d->unit_words) {
		/* the next word of the unit, and no other */
		d->unit_open = FALSE;
		l5_flash_error(sim, dom, FLASH_SR_PGAERR);
		return;
	}
	d->unit_data[d->unit_words++] = value;
	if (d->unit_words < unit / 4)
		return;
	d->unit_open = FALSE;
	l5_flash_program_unit(sim, dom);
}

/* A store into main flash that read protection refused (bus error): with
 * PG set the controller flags it (RM0438 6.9.6 WRPERR) */
void
l5_flash_refused_write(GlintSim *sim, const SimHit *hit)
{
	guint dom;
	L5Domain *d;
	if (hit->info->kind != SIM_REGION_FLASH)
		return;
	l5_flash_tick(sim);
	dom = l5_flash_secure_alias(hit->addr) ? L5_SEC : L5_NS;
	d = &fl_of(sim)->dom[dom];
	d->unit_open = FALSE;
	if (d->cr & FLASH_CR_PG)
		l5_flash_error(sim, dom, FLASH_SR_WRPERR);
}

/* Power ---------------------------------------------------------------------------- */

/* An option program cut short: OPTR's complement is only partly written,
 * so the pair disagrees at the next load (OPTVERR on the L5, the safe
 * default: RDP level 1) */
static void
l5_flash_cut_options(GlintSim *sim)
{
	guint8 *complement = L5_MEM(sim, L5_REGION_OPTSTORE) + L5_OPT_OPTR * 8u + 4u;
	complement[2] ^= 0x0Fu;
}

GlintSimCut
l5_flash_power_fail(GlintSim *sim)
{
	L5Flash *fl = fl_of(sim);
	GlintSimCut cut = GLINT_SIM_CUT_NONE;

	/* an operation whose time is up has finished */
	l5_flash_tick(sim);
	if (!sim->flash_op.active)
		return GLINT_SIM_CUT_NONE;
	switch (fl->op_kind) {
	case L5_OP_ERASE:
		sim_faults_cut_erase(sim, L5_MEM(sim, L5_REGION_FLASH) + fl->op_offset, fl->op_len);
		cut = GLINT_SIM_CUT_ERASE;
		break;
	case L5_OP_PROGRAM:
		cut = sim_faults_cut_program(sim, fl->op_addr, l5_cfg(sim)->unit)
			  ? GLINT_SIM_CUT_PROGRAM
			  : GLINT_SIM_CUT_NONE;
		break;
	case L5_OP_OPTIONS:
		l5_flash_cut_options(sim);
		cut = GLINT_SIM_CUT_OPTIONS;
		break;
	default:
		break;
	}
	sim->flash_op.active = FALSE;
	fl->op_kind = L5_OP_NONE;
	return cut;
}

/* The benchmark's bound (SimMachineOps.flash_limit), from the datasheet
 * times (L5Config, l5-timing.h): the pages the image touches erased one by
 * one, or every bank by one mass erase (MER1 and MER2 together are one
 * operation, RM0438 6.3.6 and RM0456 7.3.6), whichever is shorter, then
 * its programming units (double words on the L5, quad words on the U5)
 * one by one: neither line has row programming, and the U5's burst
 * programming is not modelled (docs/timing/l5.md). */
void
l5_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit)
{
	const L5Config *cfg = l5_cfg(sim);
	L5Geometry g = l5_geometry(sim);
	guint64 pages = sim_limit_units_touched(image, 0, g.size, g.page_size);
	guint64 units = sim_limit_units_written(image, 0, g.size, cfg->unit);
	gint64 by_pages = (gint64)pages * cfg->page_erase_ns;
	g_autofree gchar *pe = sim_limit_format_ns(cfg->page_erase_ns);
	g_autofree gchar *me = sim_limit_format_ns(cfg->mass_erase_ns);
	g_autofree gchar *un = sim_limit_format_ns(cfg->unit_ns);

	if (pages > 0 && cfg->mass_erase_ns < by_pages) {
		limit->erase_ns = cfg->mass_erase_ns;
		g_string_append_printf(limit->how, "1 mass erase (%s)", me);
	} else {
		limit->erase_ns = by_pages;
		g_string_append_printf(limit->how, "%" G_GUINT64_FORMAT " page erases of %u B x %s",
				       pages, g.page_size, pe);
	}
	limit->program_ns = (gint64)units * cfg->unit_ns;
	limit->max_hclk_hz = cfg->max_hclk_hz;
	g_string_append_printf(limit->how,
			       " + %" G_GUINT64_FORMAT " %s x %s (%s datasheet typical, recalled; "
			       "docs/timing/l5.md)",
			       units, cfg->unit == 16 ? "quad words" : "double words", un,
			       cfg->chip);
}
