/* l0-flash.c: the STM32L0/L1 NVM interface (RM0367 and RM0038, FLASH chapter).
 *
 * Three unlock stages (PEKEYR, PRGKEYR, OPTKEYR) whose wrong keys lock
 * them until reset with a bus error; program memory written by word or by
 * half-page (FPRG|PROG, the words one after the other with no flash access
 * in between: a fetch from flash aborts it), erased by page (ERASE|PROG and
 * a word written into the page); data EEPROM by byte, half-word or word,
 * erased word by word (ERASE|DATA); option bytes programmed as words like
 * data EEPROM, an RDP 1 -> 0 regression erasing flash and data EEPROM.
 * Erased reads 0x00. Every SR flag is raised by the misuse that raises it
 * on silicon; BSY lasts the datasheet time on the virtual clock. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l0-machine.h"

static L0Flash *
fl_of(GlintSim *sim)
{
	return &l0_state(sim)->fl;
}

void
l0_flash_reset_state(GlintSim *sim)
{
	L0Flash *fl = fl_of(sim);
	const L0Options *ob = &l0_state(sim)->ob;

	fl->acr = 0;
	fl->pecr = PECR_RESET;
	/* error flags clear; OPTVERR comes back while the loaded options are
	 * invalid */
	fl->sr = 0;
	if (ob->invalid || (ob->user_invalid && !l0_cfg(sim)->l1))
		fl->sr |= SR_OPTVERR;
	if (ob->user_invalid && l0_cfg(sim)->l1)
		fl->sr |= SR_OPTVERRUSR;
	fl->pe_stage = fl->prg_stage = fl->opt_stage = 0;
	fl->pe_fault = fl->prg_fault = fl->opt_fault = FALSE;
	fl->hp_active = FALSE;
	fl->op = LX_OP_NONE;
	sim->flash_op.active = FALSE;
	sim->flash_op.until = 0;
}

void
l0_flash_tick(GlintSim *sim)
{
	L0Flash *fl = fl_of(sim);
	if (!sim_flash_op_ended(sim))
		return;
	fl->op = LX_OP_NONE;
	if (fl->op_eop)
		fl->sr |= SR_EOP;
	fl->op_eop = FALSE;
}

void
l0_flash_stall(GlintSim *sim)
{
	/* an access to a busy NVM waits; it never fails */
	sim_flash_op_wait(sim);
	l0_flash_tick(sim);
}

static void
l0_flash_error(GlintSim *sim, guint32 flags)
{
	fl_of(sim)->sr |= flags;
	g_debug("NVM error: SR |= 0x%08x (PECR 0x%08x)", flags, fl_of(sim)->pecr);
}

/* An operation starts now and keeps BSY for @tprogs datasheet times; what
 * it overwrites at @addr is kept, should a fetch abort it. */
static void
l0_flash_begin(GlintSim *sim, L0Op op, guint32 addr, const guint8 *cells, guint32 len, guint tprogs)
{
	L0Flash *fl = fl_of(sim);
	fl->op = op;
	fl->op_addr = addr;
	fl->op_len = MIN(len, (guint32)sizeof(fl->op_backup));
	if (cells != NULL)
		memcpy(fl->op_backup, cells, fl->op_len);
	fl->op_eop = TRUE;
	sim_flash_op_begin(sim, l0_cfg(sim)->tprog_ns * tprogs);
}

static gboolean
is_zero(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0)
			return FALSE;
	}
	return TRUE;
}

static void
store32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

/* RDP level 1 with a debugger attached (or booting from SRAM or system
 * memory, not modelled): program memory, data EEPROM and the writes to
 * them are refused (RM0367 "Read protection") */
static gboolean
l0_flash_rdp_refuses(GlintSim *sim)
{
	return l0_options_rdp_protected(sim) && sim_debugger_attached(sim);
}

/* Program memory ------------------------------------------------------------ */

static guint8 *
flash_cells(GlintSim *sim, guint32 addr, guint32 len)
{
	return sim_flash_ptr(sim, addr, len);
}

static guint32
flash_offset(GlintSim *sim, guint32 addr)
{
	return (guint32)(sim_flash_ptr(sim, addr, 1) - LX_MEM(sim, LX_REGION_FLASH));
}

static gboolean
sector_protected(GlintSim *sim, guint32 addr)
{
	return l0_options_sector_protected(sim, flash_offset(sim, addr) / 4096);
}

/* Refuses a program or erase at @addr: locks, read protection, WRP/PCROP */
static gboolean
program_refused(GlintSim *sim, guint32 addr)
{
	guint32 pecr = fl_of(sim)->pecr;
	if ((pecr & (PECR_PELOCK | PECR_PRGLOCK)) || l0_flash_rdp_refuses(sim) ||
	    sector_protected(sim, addr)) {
		l0_flash_error(sim, SR_WRPERR);
		return TRUE;
	}
	return FALSE;
}

static void
page_erase(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	guint32 page = l0_cfg(sim)->page_size;
	guint32 base = addr - flash_offset(sim, addr) % page;
	guint8 *cells;

	/* the erase starts with a 32-bit write into the page */
	if (size != 4) {
		l0_flash_error(sim, SR_SIZERR);
		return;
	}
	if (program_refused(sim, addr))
		return;
	cells = flash_cells(sim, base, page);
	l0_flash_begin(sim, LX_OP_PAGE_ERASE, base, cells, page, 1);
	memset(cells, 0, page);
	sim->stats.pages_erased++;
}

/* One word: ECC covers 32 bits, so a word is written once after an erase.
 * The L0 refuses a word that is not zero (NOTZEROERR); the L1 has no such
 * check and the cells take the OR of old and new (recalled). */
static void
program_word(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	guint8 *cell;
	guint32 old;

	if (size != 4) {
		l0_flash_error(sim, SR_SIZERR);
		return;
	}
	if (program_refused(sim, addr))
		return;
	cell = flash_cells(sim, addr, 4);
	old = cell[0] | (guint32)cell[1] << 8 | (guint32)cell[2] << 16 | (guint32)cell[3] << 24;
	if (old != 0 && !l0_cfg(sim)->l1) {
		l0_flash_error(sim, SR_NOTZEROERR);
		return;
	}
	l0_flash_begin(sim, LX_OP_WORD, addr, cell, 4, 1);
	store32(cell, old | value);
	sim->stats.double_words_programmed++;
	sim_faults_unit_started(sim, addr, 4);
}

static void
half_page_abort(GlintSim *sim, guint32 flags)
{
	fl_of(sim)->hp_active = FALSE;
	l0_flash_error(sim, flags);
}

/* The last word of a half-page arrived: the whole of it programs at once. */
static void
half_page_program(GlintSim *sim)
{
	L0Flash *fl = fl_of(sim);
	guint32 half = l0_cfg(sim)->half_page;
	guint8 *cells = flash_cells(sim, fl->hp_base, half);

	fl->hp_active = FALSE;
	if (program_refused(sim, fl->hp_base))
		return;
	if (!is_zero(cells, half) && !l0_cfg(sim)->l1) {
		l0_flash_error(sim, SR_NOTZEROERR);
		return;
	}
	l0_flash_begin(sim, LX_OP_HALF_PAGE, fl->hp_base, cells, half, 1);
	for (guint32 i = 0; i < half; i++)
		cells[i] |= fl->hp_buf[i];
	sim->stats.double_words_programmed += half / 8;
	sim_faults_row_started(sim, fl->hp_base, half, 4);
}

/* Half-page programming (RM0367 "Half-page programming"): words of one
 * half-page, each once; anything else aborts it with PGAERR. */
static void
half_page_word(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	L0Flash *fl = fl_of(sim);
	guint32 half = l0_cfg(sim)->half_page;
	guint word;

	if (size != 4) {
		half_page_abort(sim, SR_SIZERR);
		return;
	}
	if (!fl->hp_active) {
		fl->hp_active = TRUE;
		fl->hp_base = addr - flash_offset(sim, addr) % half;
		fl->hp_count = 0;
		fl->hp_written = 0;
		memset(fl->hp_buf, 0, sizeof(fl->hp_buf));
	}
	word = (addr - fl->hp_base) / 4;
	if (addr < fl->hp_base || addr - fl->hp_base >= half || (fl->hp_written >> word) & 1u) {
		half_page_abort(sim, SR_PGAERR);
		return;
	}
	fl->hp_written |= 1u << word;
	store32(fl->hp_buf + (addr - fl->hp_base), value);
	if (++fl->hp_count == half / 4)
		half_page_program(sim);
}

static void
flash_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	guint32 mode = fl_of(sim)->pecr & (PECR_PROG | PECR_ERASE | PECR_FPRG | PECR_DATA);

	if (mode == (PECR_PROG | PECR_ERASE))
		page_erase(sim, addr, size, value);
	else if (mode == (PECR_PROG | PECR_FPRG))
		half_page_word(sim, addr, size, value);
	else if (mode == 0)
		program_word(sim, addr, size, value);
	else
		/* a mode for data EEPROM, or none that exists */
		l0_flash_error(sim, SR_PGAERR);
}

/* Data EEPROM ------------------------------------------------------------- */

static guint8 *
eeprom_cells(GlintSim *sim, guint32 addr)
{
	return LX_MEM(sim, LX_REGION_EEPROM) + (addr - LX_EEPROM_BASE);
}

/* Bytes, half-words or words; the word they fall in is erased first when
 * it has to be (or always with FIX), which costs a second tprog (RM0367
 * "Data EEPROM"). ERASE|DATA and a zero word erase one word. */
static void
eeprom_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	L0Flash *fl = fl_of(sim);
	guint32 word_addr = addr & ~3u;
	guint8 *word = eeprom_cells(sim, word_addr);
	guint8 next[4];
	gboolean erase;

	if ((fl->pecr & PECR_PELOCK) || l0_flash_rdp_refuses(sim)) {
		l0_flash_error(sim, SR_WRPERR);
		return;
	}
	if ((fl->pecr & (PECR_ERASE | PECR_DATA)) == (PECR_ERASE | PECR_DATA)) {
		if (size != 4) {
			l0_flash_error(sim, SR_SIZERR);
			return;
		}
		l0_flash_begin(sim, LX_OP_EEPROM, word_addr, word, 4, 1);
		memset(word, 0, 4);
		return;
	}
	if (fl->pecr & (PECR_ERASE | PECR_FPRG | PECR_PROG)) {
		l0_flash_error(sim, SR_PGAERR);
		return;
	}
	memcpy(next, word, 4);
	for (guint i = 0; i < size; i++)
		next[(addr & 3u) + i] = (guint8)(value >> (8 * i));
	erase = (fl->pecr & PECR_FIX) || !is_zero(word, 4);
	l0_flash_begin(sim, LX_OP_EEPROM, word_addr, word, 4, erase ? 2 : 1);
	memcpy(word, next, 4);
	sim_faults_unit_started(sim, word_addr, 4);
}

/* Option bytes ------------------------------------------------------------- */

/* A word written like data EEPROM, with OPTLOCK clear. Writing RDP level 0
 * while level 1 is loaded erases program memory and data EEPROM first
 * (RM0367 "Read protection": the regression). Level 2 is final. */
static void
option_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	L0Flash *fl = fl_of(sim);
	guint32 offset = addr - LX_OPTIONS_BASE;
	guint tprogs = 2;
	L0Op op = LX_OP_OPTION;

	if ((fl->pecr & (PECR_PELOCK | PECR_OPTLOCK)) || l0_options_rdp(sim) == RDP_LEVEL2) {
		l0_flash_error(sim, SR_WRPERR);
		return;
	}
	if (size != 4) {
		l0_flash_error(sim, SR_SIZERR);
		return;
	}
	if (offset == OB_RDP && l0_options_rdp_protected(sim) &&
	    (value & OPTR_RDP_MASK) == RDP_LEVEL0) {
		memset(LX_MEM(sim, LX_REGION_FLASH), 0, sim->mem_size[LX_REGION_FLASH]);
		memset(LX_MEM(sim, LX_REGION_EEPROM), 0, sim->mem_size[LX_REGION_EEPROM]);
		sim->stats.mass_erases++;
		tprogs += SIM_LX_REGRESSION_TPROGS;
		op = LX_OP_REGRESSION;
	}
	if (offset == OB_RDP && (value & OPTR_RDP_MASK) == RDP_LEVEL2 &&
	    ((value ^ (value >> 16)) & 0xFFFFu) == 0xFFFFu)
		g_warning("simulated board %s: RDP level 2 programmed; after the next option "
			  "load its debug port is disabled for good",
			  sim->serial);
	l0_flash_begin(sim, op, addr, LX_MEM(sim, LX_REGION_OPTIONS) + offset, 4, tprogs);
	l0_options_write_word(sim, offset, value);
	sim->stats.option_writes++;
}

void
l0_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	SimHit hit;

	l0_flash_stall(sim);
	if (!sim_map_resolve(sim, addr, size, TRUE, &hit))
		return;
	/* a half-page is written word after word with nothing else between */
	if (fl_of(sim)->hp_active && hit.region != LX_REGION_FLASH) {
		half_page_abort(sim, SR_PGAERR);
		return;
	}
	switch (hit.region) {
	case LX_REGION_FLASH:
		flash_write(sim, addr, size, value);
		break;
	case LX_REGION_EEPROM:
		eeprom_write(sim, addr, size, value);
		break;
	case LX_REGION_OPTIONS:
		option_write(sim, addr, size, value);
		break;
	default:
		break;
	}
}

/* A fetch from flash: ends a half-page being written (the words must come
 * back to back, which is why the writer runs from SRAM); on the L0 it also
 * aborts a program or erase of that bank (FWWERR), where the L1 stalls it
 * (RM0367 FLASH_SR.FWWERR). */
void
l0_flash_core_fetch(GlintSim *sim, guint32 addr)
{
	L0Flash *fl = fl_of(sim);
	gboolean l1 = l0_cfg(sim)->l1;
	guint32 fetch_off;

	if (!sim_in_main_flash(sim, addr))
		return;
	l0_flash_tick(sim);
	if (fl->hp_active) {
		half_page_abort(sim, l1 ? SR_PGAERR : SR_FWWERR);
		return;
	}
	if (l1 || !sim->flash_op.active ||
	    (fl->op != LX_OP_WORD && fl->op != LX_OP_HALF_PAGE && fl->op != LX_OP_PAGE_ERASE))
		return;
	fetch_off = flash_offset(sim, addr);
	if (l0_bank_of(sim, fetch_off) != l0_bank_of(sim, flash_offset(sim, fl->op_addr)))
		return; /* read while write: the other bank */
	memcpy(flash_cells(sim, fl->op_addr, fl->op_len), fl->op_backup, fl->op_len);
	fl->op = LX_OP_NONE;
	fl->op_eop = FALSE;
	sim->flash_op.active = FALSE;
	l0_flash_error(sim, SR_FWWERR);
}

/* PCROP sectors (WPRMOD = 1) are execute-only: a debugger data read is
 * refused and flagged */
gboolean
l0_flash_pcrop_read_blocked(GlintSim *sim, guint32 addr)
{
	if (!l0_options_pcrop(sim) || !sim_in_main_flash(sim, addr) || !sector_protected(sim, addr))
		return FALSE;
	fl_of(sim)->sr |= SR_RDERR;
	return TRUE;
}

/* Registers ----------------------------------------------------------------- */

static void
obl_launch(GlintSim *sim)
{
	/* reload the option bytes and reset the system; the debug link sees
	 * the reset as a DP error on the access that caused it */
	l0_options_load(sim);
	sim_system_reset(sim);
	sim_clock_advance(sim, SIM_OBL_RESET_NS);
	sim->cpu.ns = MAX(sim->cpu.ns, sim->now_ns);
	sim->dp_error_pending = TRUE;
}

static void
pecr_write(GlintSim *sim, guint32 value)
{
	L0Flash *fl = fl_of(sim);

	l0_flash_stall(sim);
	/* FLASH_PECR is write-protected while PELOCK is set */
	if (fl->pecr & PECR_PELOCK)
		return;
	if (fl->hp_active && (value & (PECR_FPRG | PECR_PROG)) != (PECR_FPRG | PECR_PROG))
		half_page_abort(sim, SR_PGAERR);
	fl->pecr = (fl->pecr & ~PECR_RW) | (value & PECR_RW);
	/* the lock bits are set by writing 1 and cleared only by keys;
	 * PELOCK takes the two others with it and clears the operation bits
	 * (recalled: OpenOCD's stm32lx leaves ERASE|PROG set after an erase,
	 * locks, and writes half-pages next, which works on silicon) */
	fl->pecr |= value & PECR_LOCKS;
	if (value & PECR_PELOCK)
		fl->pecr = PECR_LOCKS;
	if ((value & PECR_OBL_LAUNCH) && !(fl->pecr & PECR_OPTLOCK))
		obl_launch(sim);
}

/* One unlock stage: @key1 then @key2 clear @lock_bit. A wrong key, or a
 * key for a stage whose previous one is still locked, locks it until the
 * next reset and is a bus error; a key for a stage already open changes
 * nothing. */
static gboolean
key_write(GlintSim *sim, guint32 value, guint32 key1, guint32 key2, guint32 lock_bit,
	  gboolean prerequisite, guint *stage, gboolean *fault, const char *name)
{
	L0Flash *fl = fl_of(sim);
	if (!(fl->pecr & lock_bit) && !*fault)
		return TRUE;
	if (!*fault && prerequisite) {
		if (*stage == 0 && value == key1) {
			*stage = 1;
			return TRUE;
		}
		if (*stage == 1 && value == key2) {
			*stage = 0;
			fl->pecr &= ~lock_bit;
			return TRUE;
		}
	}
	*fault = TRUE;
	*stage = 0;
	g_debug("wrong %s key 0x%08x: locked until reset", name, value);
	return FALSE;
}

static guint32
reg_value(GlintSim *sim, guint32 offset)
{
	L0Flash *fl = fl_of(sim);
	const L0Options *ob = &l0_state(sim)->ob;
	guint n = l0_cfg(sim)->n_wrp_regs;

	switch (offset) {
	case FLASH_ACR:
		return fl->acr;
	case FLASH_PECR:
		return fl->pecr;
	case FLASH_SR:
		return fl->sr | (sim->flash_op.active ? SR_BSY : SR_READY | SR_ENDHV);
	case FLASH_OPTR:
		return ob->optr;
	case FLASH_WRPR1:
		return ob->wrp[0];
	case FLASH_WRPR2:
		return n > 1 ? ob->wrp[1] : 0;
	case FLASH_WRPR3:
		return n > 2 ? ob->wrp[2] : 0;
	case FLASH_WRPR4:
		return n > 3 ? ob->wrp[3] : 0;
	default:
		return 0; /* key registers are write-only */
	}
}

/* What a write of @value leaves in FLASH_ACR. On the L1 (RM0038, FLASH_ACR)
 * LATENCY and PRFTEN can be set or cleared only while ACC64 is set, and
 * ACC64 cannot be written at the same time as they are: a write that
 * changes ACC64 changes nothing else, and ACC64 stays set while LATENCY
 * or PRFTEN is (32-bit access only at 0 wait states, prefetch off). */
static guint32
acr_next(GlintSim *sim, guint32 value)
{
	const guint32 acr = fl_of(sim)->acr;
	const guint32 needs_acc64 = ACR_LATENCY | ACR_PRFTEN;

	if (!l0_cfg(sim)->l1)
		return value;
	if ((value ^ acr) & ACR_ACC64) {
		value = (value & ~needs_acc64) | (acr & needs_acc64);
		if (acr & needs_acc64)
			value |= ACR_ACC64;
		return value;
	}
	if (!(acr & ACR_ACC64))
		value = (value & ~needs_acc64) | (acr & needs_acc64);
	return value;
}

guint32
l0_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 v;
	l0_flash_tick(sim);
	v = reg_value(sim, offset);
	/* a core polling BSY waits until the operation ends: what its loop
	 * amounts to, without executing it */
	if (who == SIM_ACCESS_CORE && offset == FLASH_SR && (v & SR_BSY)) {
		l0_flash_stall(sim);
		v = reg_value(sim, offset);
	}
	return v;
}

gboolean
l0_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	L0Flash *fl = fl_of(sim);
	l0_flash_tick(sim);
	switch (offset) {
	case FLASH_ACR:
		fl->acr = acr_next(sim, value & 0x7Fu);
		return TRUE;
	case FLASH_PECR:
		pecr_write(sim, value);
		return TRUE;
	case FLASH_PEKEYR:
		return key_write(sim, value, PEKEY1, PEKEY2, PECR_PELOCK, TRUE, &fl->pe_stage,
				 &fl->pe_fault, "PEKEYR");
	case FLASH_PRGKEYR:
		return key_write(sim, value, PRGKEY1, PRGKEY2, PECR_PRGLOCK,
				 !(fl->pecr & PECR_PELOCK), &fl->prg_stage, &fl->prg_fault,
				 "PRGKEYR");
	case FLASH_OPTKEYR:
		return key_write(sim, value, OPTKEY1, OPTKEY2, PECR_OPTLOCK,
				 !(fl->pecr & PECR_PELOCK), &fl->opt_stage, &fl->opt_fault,
				 "OPTKEYR");
	case FLASH_SR:
		fl->sr &= ~(value & SR_W1C);
		return TRUE;
	default:
		return TRUE; /* PDKEYR (power-down) and read-only registers */
	}
}

gboolean
l0_flash_is_w1c(guint32 offset)
{
	return offset == FLASH_SR;
}

/* Tests leave stale flags by setting raw SR bits */
gboolean
l0_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value)
{
	guint shift = (offset & 3u) * 8;
	if ((offset & ~3u) != FLASH_SR)
		return sim_bus_write(sim, SIM_ACCESS_AHB, p->base + offset, 1, value) == SIM_BUS_OK;
	fl_of(sim)->sr = (fl_of(sim)->sr & ~(0xFFu << shift)) | ((guint32)value << shift);
	return TRUE;
}

void
l0_flash_reset(GlintSim *sim, const SimPeriph *p)
{
	l0_flash_reset_state(sim);
}

void
l0_flash_fault_pekey(GlintSim *sim)
{
	fl_of(sim)->pe_fault = TRUE;
}

/* Power cuts ------------------------------------------------------------------ */

/* An option word cut short: its complement only partly written, so the
 * pair disagrees at the next load (OPTVERR, safe defaults). */
static GlintSimCut
cut_option(GlintSim *sim, guint32 addr)
{
	guint8 *word = LX_MEM(sim, LX_REGION_OPTIONS) + (addr - LX_OPTIONS_BASE);
	word[3] ^= 0x0Fu;
	return GLINT_SIM_CUT_OPTIONS;
}

GlintSimCut
l0_flash_power_fail(GlintSim *sim)
{
	L0Flash *fl = fl_of(sim);
	GlintSimCut cut = GLINT_SIM_CUT_NONE;

	l0_flash_tick(sim);
	fl->hp_active = FALSE;
	if (!sim->flash_op.active)
		return GLINT_SIM_CUT_NONE;
	switch (fl->op) {
	case LX_OP_PAGE_ERASE:
		sim_faults_cut_erase(sim, flash_cells(sim, fl->op_addr, fl->op_len), fl->op_len);
		cut = GLINT_SIM_CUT_ERASE;
		break;
	case LX_OP_REGRESSION:
		sim_faults_cut_erase(sim, LX_MEM(sim, LX_REGION_FLASH),
				     sim->mem_size[LX_REGION_FLASH]);
		cut = cut_option(sim, fl->op_addr);
		break;
	case LX_OP_WORD:
	case LX_OP_HALF_PAGE:
		cut = sim_faults_cut_program(sim, fl->op_addr, fl->op_len) ? GLINT_SIM_CUT_PROGRAM
									   : GLINT_SIM_CUT_NONE;
		break;
	case LX_OP_OPTION:
		cut = cut_option(sim, fl->op_addr);
		break;
	default:
		break;
	}
	fl->op = LX_OP_NONE;
	sim->flash_op.active = FALSE;
	return cut;
}

/* The limit ----------------------------------------------------------------- */

/* The benchmark's bound (SimMachineOps.flash_limit): one tprog per page
 * erase and per half-page that holds data (RM0367 "Half-page programming";
 * a word at a time is 16 or 32 times slower), the pages the image touches
 * erased one by one, or the whole of program memory (and the data EEPROM)
 * by the read-protection regression when that is shorter, which the model
 * times from estimates (l0-timing.h). Zero half-pages are left alone:
 * erased flash reads 0x00 here. */
void
l0_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit)
{
	const L0Config *cfg = l0_cfg(sim);
	guint32 size = l0_flash_size(sim);
	guint64 pages = sim_limit_units_touched(image, 0, size, cfg->page_size);
	guint64 half_pages = sim_limit_units_written(image, 0, size, cfg->half_page);
	gint64 by_pages = (gint64)pages * cfg->tprog_ns;
	gint64 by_regression =
	    SIM_LX_MASS_ERASE_TPROGS * cfg->tprog_ns + SIM_LX_MASS_ERASE_RESETS * SIM_OBL_RESET_NS;
	g_autofree gchar *tp = sim_limit_format_ns(cfg->tprog_ns);
	g_autofree gchar *rg = sim_limit_format_ns(by_regression);
	g_autofree gchar *pg = sim_limit_format_ns(by_pages);

	if (pages > 0 && by_regression < by_pages) {
		limit->erase_ns = by_regression;
		g_string_append_printf(
		    limit->how,
		    "RDP 1 -> 0 regression erasing everything (%s: %u tprog + %u "
		    "option loads, estimate; %" G_GUINT64_FORMAT " page erases would take %s)",
		    rg, SIM_LX_MASS_ERASE_TPROGS, SIM_LX_MASS_ERASE_RESETS, pages, pg);
	} else {
		limit->erase_ns = by_pages;
		g_string_append_printf(limit->how, "%" G_GUINT64_FORMAT " page erases of %u B x %s",
				       pages, cfg->page_size, tp);
	}
	limit->program_ns = (gint64)half_pages * cfg->tprog_ns;
	limit->max_hclk_hz = cfg->max_hclk_hz;
	g_string_append_printf(limit->how,
			       " + %" G_GUINT64_FORMAT
			       " half-pages of %u B x %s (%s datasheet typical, docs/timing/l0.md)",
			       half_pages, cfg->half_page, tp, sim->board->chip);
}
