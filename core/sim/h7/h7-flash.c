/* h7-flash.c: the STM32H7 flash controller (RM0433 4.3-4.9, RM0455 and
 * RM0468 chapter 4).
 *
 * Two banks, each with its own key, control and status registers; the
 * common registers (ACR, OPTKEYR, OPTCR, OPTSR, OPTCCR, BOOT) answer in
 * both register sets. Programming gathers a flash word (32 bytes, 16 on
 * the H7A3) in the bank's write buffer and programs it when the buffer is
 * full, or partly filled with FW (the rest as ones). Every error flag is
 * raised by the misuse that raises it on silicon: PGSERR for a write
 * without PG or an erase with PG or a word pending, INCERR for a word left
 * incomplete when another begins, STRBERR for a byte written twice into the
 * buffer, WRPERR for a protected sector (or PCROP/secure area), RDPERR/
 * RDSERR and DBECCERR for debugger reads of execute-only areas and of words
 * whose ECC no longer matches. A word programmed twice without an erase
 * gets such an ECC (the chip does not refuse it). BSY/QW last the
 * datasheet time on the virtual clock, per bank. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "h7-machine.h"

/* Which bank register set an offset addresses, and the offset in it */
static guint
h7_reg_bank(guint32 offset, guint32 *reg)
{
	*reg = offset % H7_BANK_REGS;
	return offset >= H7_BANK_REGS ? 1 : 0;
}

static gboolean
h7_busy(GlintSim *sim, guint bank)
{
	return sim->now_ns < h7_state(sim)->bank[bank].busy_until;
}

static gboolean
h7_opt_busy(GlintSim *sim)
{
	return sim->now_ns < h7_state(sim)->opt_busy_until;
}

/* The operation in progress on @bank lasts @ns from now; bus accesses to
 * flash wait for the longest one (sim_flash_op) */
static void
h7_begin(GlintSim *sim, guint bank, gint64 ns)
{
	H7State *st = h7_state(sim);
	gint64 until;
	st->bank[bank].busy_until = sim->now_ns + ns;
	until = MAX(st->bank[0].busy_until, st->bank[1].busy_until);
	until = MAX(until, st->opt_busy_until);
	sim_flash_op_begin(sim, until - sim->now_ns);
	if (st->bank[bank].cr & FLASH_CR_EOPIE)
		st->bank[bank].sr |= FLASH_SR_EOP;
}

/* An access to one bank waits for that bank only: the banks program and
 * erase independently (RM0433 4.3.2, read-while-write) */
static void
h7_bank_stall(GlintSim *sim, guint bank)
{
	sim_clock_advance_to(sim, h7_state(sim)->bank[bank].busy_until);
	sim_flash_op_ended(sim);
}

void
h7_flash_stall(GlintSim *sim)
{
	/* a bus access to a busy flash waits (AXI wait states), it never fails */
	sim_flash_op_wait(sim);
	sim_flash_op_ended(sim);
}

static void
h7_error(GlintSim *sim, guint bank, guint32 flags)
{
	H7Bank *b = &h7_state(sim)->bank[bank];
	b->sr |= flags & (h7_config(sim)->sr_errors | FLASH_SR_EOP);
	g_debug("H7 bank %u: SR |= 0x%08x (CR 0x%08x)", bank + 1, flags, b->cr);
}

/* ECC map ----------------------------------------------------------------------- */

gboolean
h7_ecc_bad(GlintSim *sim, guint32 offset)
{
	guint32 word = offset / h7_config(sim)->word_size;
	return (H7_MEM(sim, H7_REGION_ECCMAP)[word / 8] >> (word % 8)) & 1u;
}

void
h7_ecc_mark(GlintSim *sim, guint32 offset, gboolean bad)
{
	guint32 word = offset / h7_config(sim)->word_size;
	guint8 *p = &H7_MEM(sim, H7_REGION_ECCMAP)[word / 8];
	*p = bad ? (guint8)(*p | (1u << (word % 8))) : (guint8)(*p & ~(1u << (word % 8)));
}

static void
h7_ecc_clear(GlintSim *sim, guint32 offset, guint32 len)
{
	for (guint32 o = offset; o < offset + len; o += h7_config(sim)->word_size)
		h7_ecc_mark(sim, o, FALSE);
}

void
h7_ecc_report(GlintSim *sim, guint bank, guint32 bank_offset)
{
	const H7Config *cfg = h7_config(sim);
	H7Bank *b = &h7_state(sim)->bank[bank];
	/* RM0433 4.7: DBECCERR and the failing word's index in the bank */
	b->sr |= FLASH_SR_DBECCERR;
	b->ecc_fa = (bank_offset / cfg->word_size) & cfg->ecc_fa_mask;
}

/* Reads the debugger may not make (after the wait for BSY) */
gboolean
h7_flash_debug_read_refused(GlintSim *sim, const SimHit *hit)
{
	guint bank;
	guint32 off, region_off;
	gboolean secure;
	if (hit->info->kind != SIM_REGION_FLASH || !h7_locate(sim, hit->addr, &bank, &off))
		return FALSE;
	if (h7_options_area_hit(sim, bank, off, 1, &secure)) {
		h7_state(sim)->bank[bank].sr |= secure ? FLASH_SR_RDSERR : FLASH_SR_RDPERR;
		return TRUE;
	}
	region_off = h7_bank_offset(sim, bank) + off;
	if (h7_ecc_bad(sim, region_off)) {
		h7_ecc_report(sim, bank, off);
		return TRUE;
	}
	return FALSE;
}

/* Erase ----------------------------------------------------------------------------- */

static gboolean
h7_rdp_refuses(GlintSim *sim)
{
	/* RDP level 1 with a debugger attached: no program/erase of flash */
	return h7_options_rdp_protected(sim) && sim_debugger_attached(sim);
}

static gboolean
h7_sector_protected(GlintSim *sim, guint bank, guint sector)
{
	gboolean secure;
	guint32 size = h7_config(sim)->sector_size;
	return h7_options_sector_wrp(sim, bank, sector) ||
	       h7_options_area_hit(sim, bank, sector * size, size, &secure);
}

static void
h7_erase_range(GlintSim *sim, guint bank, guint32 offset, guint32 len)
{
	H7Bank *b = &h7_state(sim)->bank[bank];
	guint32 base = h7_bank_offset(sim, bank) + offset;
	memset(H7_MEM(sim, H7_REGION_FLASH) + base, 0xFF, len);
	h7_ecc_clear(sim, base, len);
	b->op_erase = TRUE;
	b->op_offset = base;
	b->op_len = len;
}

static void
h7_sector_erase(GlintSim *sim, guint bank)
{
	const H7Config *cfg = h7_config(sim);
	H7Bank *b = &h7_state(sim)->bank[bank];
	guint sector = (b->cr & cfg->cr_snb_mask) >> cfg->cr_snb_shift;
	guint n = h7_bank_size(sim) / cfg->sector_size;

	if (sector >= n || (bank == 1 && !h7_dual(sim))) {
		/* no such sector: the operation is not started */
		h7_error(sim, bank, FLASH_SR_PGSERR);
		return;
	}
	if (h7_rdp_refuses(sim) || h7_sector_protected(sim, bank, sector)) {
		h7_error(sim, bank, FLASH_SR_WRPERR);
		return;
	}
	h7_erase_range(sim, bank, sector * cfg->sector_size, cfg->sector_size);
	sim->stats.pages_erased++;
	h7_begin(sim, bank, cfg->sector_erase_ns);
}

static gboolean
h7_bank_protected(GlintSim *sim, guint bank)
{
	guint n = h7_bank_size(sim) / h7_config(sim)->sector_size;
	for (guint s = 0; s < n; s++) {
		if (h7_sector_protected(sim, bank, s))
			return TRUE;
	}
	return FALSE;
}

static void
h7_bank_erase(GlintSim *sim, guint bank)
{
	if (bank == 1 && !h7_dual(sim)) {
		h7_error(sim, bank, FLASH_SR_PGSERR);
		return;
	}
	/* RM0433 4.3.10: refused whole when any sector of the bank is protected */
	if (h7_rdp_refuses(sim) || h7_bank_protected(sim, bank)) {
		h7_error(sim, bank, FLASH_SR_WRPERR);
		return;
	}
	h7_erase_range(sim, bank, 0, h7_bank_size(sim));
	sim->stats.mass_erases++;
	h7_begin(sim, bank, h7_config(sim)->bank_erase_ns);
}

/* FLASH_OPTCR.MER: both banks at once; needs OPTCR and both FLASH_CRx
 * unlocked, refused when a sector of either is protected */
static void
h7_mass_erase(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	guint n = h7_dual(sim) ? 2 : 1;
	gboolean refused = h7_rdp_refuses(sim);
	for (guint b = 0; b < n; b++) {
		if ((st->bank[b].cr & FLASH_CR_LOCK) || st->bank[b].wb_active) {
			h7_error(sim, b, FLASH_SR_PGSERR);
			return;
		}
		refused = refused || h7_bank_protected(sim, b);
	}
	if (refused) {
		for (guint b = 0; b < n; b++)
			h7_error(sim, b, FLASH_SR_WRPERR);
		return;
	}
	for (guint b = 0; b < n; b++) {
		h7_erase_range(sim, b, 0, h7_bank_size(sim));
		h7_begin(sim, b, h7_config(sim)->bank_erase_ns);
	}
	sim->stats.mass_erases++;
}

static void
h7_start(GlintSim *sim, guint bank)
{
	H7Bank *b = &h7_state(sim)->bank[bank];
	gboolean ser = (b->cr & FLASH_CR_SER) != 0;
	gboolean ber = (b->cr & FLASH_CR_BER) != 0;
	/* RM0433 4.3.10: exactly one kind of erase, no PG, nothing waiting in
	 * the write buffer; otherwise PGSERR and nothing starts */
	if ((b->cr & FLASH_CR_PG) || ser == ber || b->wb_active) {
		h7_error(sim, bank, FLASH_SR_PGSERR);
		return;
	}
	if (ser)
		h7_sector_erase(sim, bank);
	else
		h7_bank_erase(sim, bank);
}

/* Programming ----------------------------------------------------------------------- */

static void
h7_wb_reset(H7Bank *b)
{
	b->wb_active = FALSE;
	b->wb_filled = 0;
	memset(b->wb, 0xFF, sizeof(b->wb));
}

static gboolean
h7_is_erased(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/* The write buffer goes to the array: the word's ECC is computed from the
 * data; over a word already programmed the cells end up as the AND of both
 * and the ECC matches neither (RM0433 4.3.9, 4.7) */
static void
h7_program_word(GlintSim *sim, guint bank)
{
	const H7Config *cfg = h7_config(sim);
	H7Bank *b = &h7_state(sim)->bank[bank];
	guint32 off, addr;
	gboolean cut_before;
	guint b2;
	guint8 *cell;
	gboolean secure;

	if (!h7_locate(sim, b->wb_addr, &b2, &off)) {
		h7_wb_reset(b);
		return;
	}
	if (h7_rdp_refuses(sim) || h7_options_sector_wrp(sim, bank, off / cfg->sector_size) ||
	    h7_options_area_hit(sim, bank, off, cfg->word_size, &secure)) {
		h7_error(sim, bank, FLASH_SR_WRPERR);
		h7_wb_reset(b);
		return;
	}
	cell = H7_MEM(sim, H7_REGION_FLASH) + h7_bank_offset(sim, bank) + off;
	if (!h7_is_erased(cell, cfg->word_size)) {
		for (guint i = 0; i < cfg->word_size; i++)
			cell[i] &= b->wb[i];
		h7_ecc_mark(sim, h7_bank_offset(sim, bank) + off, TRUE);
		g_debug("H7 bank %u: word at 0x%08x programmed twice: ECC broken", bank + 1,
			b->wb_addr);
	} else {
		memcpy(cell, b->wb, cfg->word_size);
	}
	b->op_erase = FALSE;
	b->op_offset = h7_bank_offset(sim, bank) + off;
	b->op_len = cfg->word_size;
	sim->stats.double_words_programmed += cfg->word_size / 8;
	if (h7_busy(sim, 1 - bank) && !h7_state(sim)->bank[1 - bank].op_erase)
		sim->stats.units_programmed_in_parallel++;
	addr = b->wb_addr;
	h7_wb_reset(b);
	h7_begin(sim, bank, cfg->word_ns);
	cut_before = sim->dword_cut_done;
	sim_faults_unit_started(sim, addr, cfg->word_size);
	/* a word cut short has some bits still erased and an ECC that matches
	 * neither what was meant nor what is there */
	if (!cut_before && sim->dword_cut_done)
		h7_ecc_mark(sim, b->op_offset, TRUE);
}

void
h7_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	const H7Config *cfg = h7_config(sim);
	guint32 word = cfg->word_size;
	guint32 full = word >= 32 ? 0xFFFFFFFFu : (1u << word) - 1u;
	guint bank;
	guint32 off, lane;
	H7Bank *b;

	if (!h7_locate(sim, addr, &bank, &off))
		return;
	h7_bank_stall(sim, bank);
	b = &h7_state(sim)->bank[bank];
	/* RM0433 4.3.9: a write with PG clear, or during an erase request */
	if (!(b->cr & FLASH_CR_PG) || (b->cr & (FLASH_CR_SER | FLASH_CR_BER))) {
		h7_error(sim, bank, FLASH_SR_PGSERR);
		return;
	}
	if (b->wb_active && (addr & ~(word - 1)) != b->wb_addr) {
		/* the previous word was left incomplete: it is dropped */
		h7_error(sim, bank, FLASH_SR_INCERR);
		h7_wb_reset(b);
	}
	if (!b->wb_active) {
		h7_wb_reset(b);
		b->wb_active = TRUE;
		b->wb_addr = addr & ~(word - 1);
	}
	lane = addr - b->wb_addr;
	for (guint i = 0; i < size; i++) {
		if (b->wb_filled & (1u << (lane + i))) {
			/* the same byte of the buffer written twice */
			h7_error(sim, bank, FLASH_SR_STRBERR);
			return;
		}
	}
	for (guint i = 0; i < size; i++) {
		b->wb[lane + i] = (guint8)(value >> (8 * i));
		b->wb_filled |= 1u << (lane + i);
	}
	if (b->wb_filled == full)
		h7_program_word(sim, bank);
}

/* Registers ---------------------------------------------------------------------------- */

static void
h7_cr_write(GlintSim *sim, guint bank, guint32 value)
{
	const H7Config *cfg = h7_config(sim);
	H7Bank *b = &h7_state(sim)->bank[bank];

	h7_bank_stall(sim, bank);
	if (b->cr & FLASH_CR_LOCK)
		return; /* locked: nothing changes (RM0433 4.9.4) */
	/* an erase requested while a word waits in the buffer (RM0433 4.3.10) */
	if ((value & cfg->cr_start) && b->wb_active) {
		h7_error(sim, bank, FLASH_SR_PGSERR);
		return;
	}
	/* LOCK is set by writing 1, cleared only by the keys; START and FW
	 * are commands */
	b->cr = value & ~(cfg->cr_start | cfg->cr_fw);
	if (value & FLASH_CR_LOCK)
		return;
	if ((value & cfg->cr_fw) && b->wb_active && (b->cr & FLASH_CR_PG)) {
		/* force write: the bytes not written are programmed as ones */
		h7_program_word(sim, bank);
		return;
	}
	if (!(b->cr & FLASH_CR_PG) && b->wb_active) {
		/* PG cleared with a word pending: it is lost, incomplete */
		h7_error(sim, bank, FLASH_SR_INCERR);
		h7_wb_reset(b);
	}
	if (value & cfg->cr_start)
		h7_start(sim, bank);
}

static gboolean
h7_keyr_write(GlintSim *sim, guint bank, guint32 value)
{
	H7Bank *b = &h7_state(sim)->bank[bank];
	if (!b->key_fault && (b->cr & FLASH_CR_LOCK)) {
		if (b->key_stage == 0 && value == FLASH_KEY1) {
			b->key_stage = 1;
			return TRUE;
		}
		if (b->key_stage == 1 && value == FLASH_KEY2) {
			b->key_stage = 0;
			b->cr &= ~FLASH_CR_LOCK;
			return TRUE;
		}
	}
	/* RM0433 4.5.1: a wrong sequence, or keys while unlocked: bus error,
	 * locked until the next reset */
	b->key_fault = TRUE;
	b->key_stage = 0;
	b->cr |= FLASH_CR_LOCK;
	return FALSE;
}

static gboolean
h7_optkeyr_write(GlintSim *sim, guint32 value)
{
	H7State *st = h7_state(sim);
	if (!st->optkey_fault && (st->optcr & FLASH_OPTCR_OPTLOCK)) {
		if (st->optkey_stage == 0 && value == FLASH_OPTKEY1) {
			st->optkey_stage = 1;
			return TRUE;
		}
		if (st->optkey_stage == 1 && value == FLASH_OPTKEY2) {
			st->optkey_stage = 0;
			st->optcr &= ~FLASH_OPTCR_OPTLOCK;
			return TRUE;
		}
	}
	st->optkey_fault = TRUE;
	st->optkey_stage = 0;
	st->optcr |= FLASH_OPTCR_OPTLOCK;
	return FALSE;
}

static void
h7_optcr_write(GlintSim *sim, guint32 value)
{
	H7State *st = h7_state(sim);
	if (st->optcr & FLASH_OPTCR_OPTLOCK)
		return;
	st->optcr = (value & ~(FLASH_OPTCR_OPTSTART | FLASH_OPTCR_MER | FLASH_OPTCR_SWAP_BANK));
	if (value & FLASH_OPTCR_OPTLOCK)
		return;
	if (value & FLASH_OPTCR_MER) {
		h7_flash_stall(sim);
		h7_mass_erase(sim);
		return;
	}
	if ((value & FLASH_OPTCR_OPTSTART) && !h7_opt_busy(sim)) {
		h7_flash_stall(sim);
		h7_options_start(sim);
	}
}

static guint32 *
h7_prg_reg(GlintSim *sim, guint bank, guint32 reg)
{
	H7OptionSet *prg = &h7_state(sim)->prg;
	switch (reg) {
	case FLASH_OPTSR_PRG:
		return &prg->optsr;
	case FLASH_BOOT_PRG:
		return &prg->boot;
	case FLASH_OPTSR2_PRG:
		return h7_config(sim)->has_optsr2 ? &prg->optsr2 : NULL;
	case FLASH_WPSN_PRG:
		return &prg->wpsn[bank];
	case FLASH_PRAR_PRG:
		return &prg->prar[bank];
	case FLASH_SCAR_PRG:
		return &prg->scar[bank];
	default:
		return NULL;
	}
}

static guint32
h7_reg_value(GlintSim *sim, guint bank, guint32 reg)
{
	H7State *st = h7_state(sim);
	H7Bank *b = &st->bank[bank];
	const H7OptionSet *cur = &st->cur;
	guint32 *prg;

	switch (reg) {
	case FLASH_ACR:
		return st->acr;
	case FLASH_CR:
		return b->cr;
	case FLASH_SR:
		return b->sr | (h7_busy(sim, bank) ? FLASH_SR_BSY | FLASH_SR_QW : 0) |
		       (b->wb_active ? FLASH_SR_WBNE : 0);
	case FLASH_OPTCR:
		return st->optcr | (st->swap ? FLASH_OPTCR_SWAP_BANK : 0);
	case FLASH_OPTSR_CUR:
		return cur->optsr | (h7_opt_busy(sim) ? FLASH_OPTSR_OPT_BUSY : 0) |
		       (st->opt_changeerr ? FLASH_OPTSR_OPTCHANGEERR : 0);
	case FLASH_BOOT_CUR:
		return cur->boot;
	case FLASH_OPTSR2_CUR:
		return h7_config(sim)->has_optsr2 ? cur->optsr2 : 0;
	case FLASH_WPSN_CUR:
		return cur->wpsn[bank];
	case FLASH_PRAR_CUR:
		return cur->prar[bank];
	case FLASH_SCAR_CUR:
		return cur->scar[bank];
	case FLASH_ECC_FA:
		return b->ecc_fa;
	default:
		prg = h7_prg_reg(sim, bank, reg);
		return prg != NULL ? *prg : 0; /* key registers and reserved read 0 */
	}
}

guint32
h7_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 reg;
	guint bank = h7_reg_bank(offset, &reg);
	guint32 v;
	if (offset >= 2 * H7_BANK_REGS)
		return 0;
	sim_flash_op_ended(sim);
	v = h7_reg_value(sim, bank, reg);
	/* a core polling QW/BSY waits until the operation ends: what its loop
	 * amounts to, without executing it */
	if (who == SIM_ACCESS_CORE && reg == FLASH_SR && (v & (FLASH_SR_BSY | FLASH_SR_QW))) {
		h7_bank_stall(sim, bank);
		v = h7_reg_value(sim, bank, reg);
	}
	if (who == SIM_ACCESS_CORE && reg == FLASH_OPTSR_CUR && (v & FLASH_OPTSR_OPT_BUSY)) {
		h7_flash_stall(sim);
		v = h7_reg_value(sim, bank, reg);
	}
	return v;
}

gboolean
h7_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	H7State *st = h7_state(sim);
	guint32 reg;
	guint bank = h7_reg_bank(offset, &reg);
	guint32 *prg;

	if (offset >= 2 * H7_BANK_REGS)
		return TRUE;
	sim_flash_op_ended(sim);
	if (bank == 1 && !h7_dual(sim) && h7_config(sim)->always_single &&
	    (reg == FLASH_KEYR || reg == FLASH_CR))
		return TRUE; /* RM0468: no bank 2 register set */
	switch (reg) {
	case FLASH_ACR:
		st->acr = value & 0x3Fu;
		return TRUE;
	case FLASH_KEYR:
		return h7_keyr_write(sim, bank, value);
	case FLASH_OPTKEYR:
		return h7_optkeyr_write(sim, value);
	case FLASH_CR:
		h7_cr_write(sim, bank, value);
		return TRUE;
	case FLASH_CCR:
		st->bank[bank].sr &= ~(value & FLASH_SR_FLAGS);
		return TRUE;
	case FLASH_OPTCR:
		h7_optcr_write(sim, value);
		return TRUE;
	case FLASH_OPTCCR:
		if (value & FLASH_OPTCCR_CLR_OPTCHANGEERR)
			st->opt_changeerr = FALSE;
		return TRUE;
	default:
		break;
	}
	prg = h7_prg_reg(sim, bank, reg);
	/* RM0433 4.4.3: *_PRG registers change only with OPTLOCK clear */
	if (prg != NULL && !(st->optcr & FLASH_OPTCR_OPTLOCK))
		*prg = value;
	return TRUE;
}

void
h7_flash_reset(GlintSim *sim, const SimPeriph *p)
{
	H7State *st = h7_state(sim);
	for (guint b = 0; b < 2; b++) {
		H7Bank *bank = &st->bank[b];
		/* flags survive a system reset; the controller locks again */
		bank->cr = FLASH_CR_LOCK;
		bank->key_stage = 0;
		bank->key_fault = FALSE;
		h7_wb_reset(bank);
	}
	st->acr = FLASH_ACR_RESET;
	st->optcr = FLASH_OPTCR_RESET;
	st->optkey_stage = 0;
	st->optkey_fault = FALSE;
	st->prg = st->cur;
}

/* Tests and scenarios leave flags by setting raw SR bytes */
gboolean
h7_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value)
{
	guint32 reg;
	guint bank = h7_reg_bank(offset, &reg);
	guint shift = (reg & 3u) * 8;
	H7Bank *b;
	if ((reg & ~3u) != FLASH_SR && (reg & ~3u) != FLASH_ECC_FA)
		return sim_bus_write(sim, SIM_ACCESS_AHB, p->base + offset, 1, value) == SIM_BUS_OK;
	b = &h7_state(sim)->bank[bank];
	if ((reg & ~3u) == FLASH_ECC_FA)
		b->ecc_fa = (b->ecc_fa & ~(0xFFu << shift)) | ((guint32)value << shift);
	else
		b->sr = (b->sr & ~(0xFFu << shift)) | (((guint32)value << shift) & FLASH_SR_FLAGS);
	return TRUE;
}

/* Power cuts ------------------------------------------------------------------------------ */

GlintSimCut
h7_flash_power_fail(GlintSim *sim)
{
	H7State *st = h7_state(sim);
	GlintSimCut cut = GLINT_SIM_CUT_NONE;
	if (h7_opt_busy(sim) && st->opt_cut_pending) {
		/* the option area is left with a pair that disagrees: the next
		 * load falls back to the safe defaults */
		H7_MEM(sim, H7_REGION_OPTSTORE)[H7_OPT_OPTSR * 8 + 6] ^= 0x0Fu;
		cut = GLINT_SIM_CUT_OPTIONS;
	}
	for (guint b = 0; b < 2 && cut == GLINT_SIM_CUT_NONE; b++) {
		H7Bank *bank = &st->bank[b];
		if (!h7_busy(sim, b))
			continue;
		if (bank->op_erase) {
			sim_faults_cut_erase(sim, H7_MEM(sim, H7_REGION_FLASH) + bank->op_offset,
					     bank->op_len);
			cut = GLINT_SIM_CUT_ERASE;
		} else {
			guint8 *cell = H7_MEM(sim, H7_REGION_FLASH) + bank->op_offset;
			/* a word cut short: some bits still erased, and an ECC
			 * that matches nothing */
			sim_faults_cut_erase(sim, cell, bank->op_len);
			h7_ecc_mark(sim, bank->op_offset, TRUE);
			cut = GLINT_SIM_CUT_PROGRAM;
		}
	}
	for (guint b = 0; b < 2; b++)
		st->bank[b].busy_until = 0;
	st->opt_busy_until = 0;
	st->opt_cut_pending = FALSE;
	sim->flash_op.active = FALSE;
	return cut;
}

/* The limit ------------------------------------------------------------------------- */

/* The benchmark's bound (SimMachineOps.flash_limit), from the datasheet
 * times at x64 (H7Config, h7-timing.h): per bank, the sectors the image
 * touches erased one by one or the bank at once, whichever is shorter, then
 * every flash word that holds data programmed. The two banks of a dual-bank
 * part work in parallel (RM0433 4.3.2): the limit is the longer bank's
 * time. */
void
h7_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit)
{
	const H7Config *cfg = h7_config(sim);
	guint n_banks = h7_dual(sim) ? 2 : 1;
	guint32 size = h7_bank_size(sim);
	g_autofree gchar *se = sim_limit_format_ns(cfg->sector_erase_ns);
	g_autofree gchar *be = sim_limit_format_ns(cfg->bank_erase_ns);
	g_autofree gchar *wn = sim_limit_format_ns(cfg->word_ns);

	for (guint b = 0; b < n_banks; b++) {
		guint32 from = h7_bank_offset(sim, b);
		guint64 sectors =
		    sim_limit_units_touched(image, from, from + size, cfg->sector_size);
		guint64 words = sim_limit_units_written(image, from, from + size, cfg->word_size);
		gint64 by_sectors = (gint64)sectors * cfg->sector_erase_ns;
		gboolean whole = sectors > 0 && cfg->bank_erase_ns < by_sectors;
		gint64 erase = whole ? cfg->bank_erase_ns : by_sectors;
		gint64 program = (gint64)words * cfg->word_ns;

		limit->erase_ns += erase;
		limit->program_ns += program;
		limit->limit_ns = MAX(limit->limit_ns, erase + program);
		if (sectors == 0)
			continue;
		if (limit->how->len > 0)
			g_string_append(limit->how, "; in parallel, ");
		g_string_append_printf(limit->how, "bank %u: ", b + 1);
		if (whole)
			g_string_append_printf(limit->how, "1 bank erase (%s)", be);
		else
			g_string_append_printf(limit->how,
					       "%" G_GUINT64_FORMAT " sector erases of %u KB x %s",
					       sectors, cfg->sector_size / 1024, se);
		g_string_append_printf(limit->how,
				       " + %" G_GUINT64_FORMAT " flash words of %u B x %s", words,
				       cfg->word_size, wn);
	}
	limit->max_hclk_hz = cfg->max_hclk_hz;
	g_string_append_printf(limit->how, " (%s datasheet typical at x64, docs/timing/h7.md)",
			       sim->board->chip);
}
