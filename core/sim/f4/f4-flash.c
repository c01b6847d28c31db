/* f4-flash.c: the STM32F2/F4/F7 flash controller (RM0090 3.5-3.9, RM0410
 * 3.3-3.7).
 *
 * Key sequences and their locks, sector erase by SNB (bank 2 as 0x10 | n),
 * bank and mass erase (MER, MER1/MER2), programming at the parallelism
 * PSIZE selects with every write of exactly that width, and every FLASH_SR
 * flag raised by the misuse that raises it on silicon; BSY held for the
 * datasheet time on the virtual clock. A parallelism wider than the supply
 * allows (RM0090 table 13) gives "unpredicted results": here, cells that do
 * not all take the new value. Option bytes are f4-options.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "f4-machine.h"

void
f4_flash_reset_state(GlintSim *sim)
{
	F4Flash *fl = &f4_state(sim)->fl;
	fl->acr = 0;
	fl->sr = 0;
	fl->cr = FLASH_CR_RESET;
	fl->optcr2 = 0;
	fl->key_stage = 0;
	fl->optkey_stage = 0;
	fl->key_fault = FALSE;
	fl->optkey_fault = FALSE;
	fl->op_options = FALSE;
	fl->op_sectors = 0;
	fl->op_prog_size = 0;
	sim->flash_op.active = FALSE;
	sim->flash_op.until = 0;
	/* OPTCR and OPTCR1 show the option bytes as loaded */
	fl->optcr = f4_state(sim)->ob.optcr | FLASH_OPTCR_OPTLOCK;
	fl->optcr1 = f4_state(sim)->ob.optcr1;
}

void
f4_flash_tick(GlintSim *sim)
{
	F4Flash *fl = &f4_state(sim)->fl;
	if (!sim_flash_op_ended(sim))
		return;
	/* STRT and OPTSTRT clear when BSY clears */
	fl->cr &= ~FLASH_CR_STRT;
	fl->optcr &= ~FLASH_OPTCR_OPTSTRT;
	fl->op_options = FALSE;
	fl->op_sectors = 0;
	fl->op_prog_size = 0;
	if (fl->op_eop && (fl->cr & FLASH_CR_EOPIE))
		fl->sr |= FLASH_SR_EOP;
}

void
f4_flash_stall(GlintSim *sim)
{
	/* a bus access to a busy flash waits (AHB wait states), it never fails */
	sim_flash_op_wait(sim);
	f4_flash_tick(sim);
}

static void
f4_flash_error(GlintSim *sim, guint32 flags)
{
	F4Flash *fl = &f4_state(sim)->fl;
	fl->sr |= flags;
	/* OPERR only with the error interrupt enabled (RM0090 3.9.5) */
	if (fl->cr & FLASH_CR_ERRIE)
		fl->sr |= FLASH_SR_OPERR;
	g_debug("flash error SR |= 0x%08x (CR 0x%08x)", flags, fl->cr);
}

guint
f4_flash_supply_unit(GlintSim *sim)
{
	if (sim->target_mv >= 2700)
		return 4;
	return sim->target_mv >= 2100 ? 2 : 1;
}

/* PSIZE 0-3 -> 1, 2, 4, 8 bytes */
static guint
f4_flash_psize_unit(GlintSim *sim)
{
	return 1u << ((f4_state(sim)->fl.cr & FLASH_CR_PSIZE_MASK) >> FLASH_CR_PSIZE_SHIFT);
}

/* Whether the operation starting now runs at a parallelism the supply
 * cannot carry (x64 always: there is no VPP on these boards) */
static gboolean
f4_flash_overdriven(GlintSim *sim)
{
	return f4_flash_psize_unit(sim) > f4_flash_supply_unit(sim);
}

/* Erase timing index: x8, x16, x32 (x64 as x32) */
static guint
f4_flash_psize_index(GlintSim *sim)
{
	return MIN((f4_state(sim)->fl.cr & FLASH_CR_PSIZE_MASK) >> FLASH_CR_PSIZE_SHIFT, 2u);
}

/* A sector of @size erased at parallelism index @k */
static gint64
f4_flash_sector_erase_ns_at(GlintSim *sim, guint32 size, guint k)
{
	/* the F7's single-bank sectors are twice as large in each class */
	guint32 small = f4_cfg(sim)->f7 && !f4_dual_bank(sim) ? 32768 : 16384;
	const gint64 *table = size <= small	  ? sim_f4_erase_small_ms
			      : size <= small * 4 ? sim_f4_erase_medium_ms
						  : sim_f4_erase_large_ms;
	return table[k] * G_GINT64_CONSTANT(1000000);
}

static gint64
f4_flash_sector_erase_ns(GlintSim *sim, guint32 size)
{
	return f4_flash_sector_erase_ns_at(sim, size, f4_flash_psize_index(sim));
}

/* @banks banks mass-erased at parallelism index @k */
static gint64
f4_flash_bank_erase_ns_at(GlintSim *sim, guint banks, guint k)
{
	return (gint64)banks * sim_f4_erase_1mb_ms[k] * G_GINT64_CONSTANT(1000000) *
	       f4_bank_size(sim) / (1024 * 1024);
}

static gint64
f4_flash_bank_erase_ns(GlintSim *sim, guint banks)
{
	return f4_flash_bank_erase_ns_at(sim, banks, f4_flash_psize_index(sim));
}

static gboolean
f4_flash_rdp_refuses(GlintSim *sim)
{
	/* RDP level 1 with a debugger connected: no program or erase of
	 * flash, even of sectors nWRP leaves open (RM0090 3.7.4 note) */
	return f4_options_rdp_protected(sim) && sim_debugger_attached(sim);
}

void
f4_flash_erase_sectors(GlintSim *sim, guint first, guint count)
{
	guint8 *flash = F4_MEM(sim, F4_REGION_FLASH);
	gboolean overdriven = f4_flash_overdriven(sim);
	for (guint i = first; i < first + count; i++) {
		SimF4Sector s;
		if (!f4_sector_nth(sim, i, &s))
			break;
		memset(flash + s.offset, 0xFF, s.size);
		/* erased at a parallelism the supply cannot carry: not all of it */
		if (overdriven)
			sim_faults_cut_erase(sim, flash + s.offset, s.size);
	}
}

static void
f4_flash_begin_erase(GlintSim *sim, guint first, guint count, gint64 ns)
{
	F4Flash *fl = &f4_state(sim)->fl;
	f4_flash_erase_sectors(sim, first, count);
	fl->op_first_sector = first;
	fl->op_sectors = count;
	fl->op_eop = TRUE;
	fl->cr |= FLASH_CR_STRT;
	sim_flash_op_begin(sim, ns);
}

static guint
f4_flash_sector_index(GlintSim *sim, const SimF4Sector *s)
{
	return s->bank ? f4_sectors_per_bank(sim) + s->number - 12 : s->number;
}

static void
f4_flash_sector_erase(GlintSim *sim, guint32 cr)
{
	const SimF4Config *cfg = f4_cfg(sim);
	guint32 snb_mask = cfg->snb_bits == 5 ? FLASH_CR_SNB5_MASK : FLASH_CR_SNB4_MASK;
	guint snb = (cr & snb_mask) >> FLASH_CR_SNB_SHIFT;
	SimF4Sector s;

	/* RM0090 3.7.4: an SNB that names no sector of the part (on a 1 MB
	 * dual-bank F42x sector 8 instead of 12) is a protection error */
	if (!f4_sector_by_snb(sim, snb, &s) || f4_flash_rdp_refuses(sim) ||
	    f4_options_sector_wrp(sim, &s)) {
		f4_flash_error(sim, FLASH_SR_WRPERR);
		return;
	}
	sim->stats.pages_erased++;
	f4_flash_begin_erase(sim, f4_flash_sector_index(sim, &s), 1,
			     f4_flash_sector_erase_ns(sim, s.size));
}

/* Whether any sector of @bank is write-protected (a mass erase is refused
 * then, RM0090 3.7.4) */
static gboolean
f4_flash_bank_protected(GlintSim *sim, guint bank)
{
	guint per_bank = f4_sectors_per_bank(sim);
	for (guint i = bank * per_bank; i < (bank + 1) * per_bank; i++) {
		SimF4Sector s;
		if (f4_sector_nth(sim, i, &s) && f4_options_sector_wrp(sim, &s))
			return TRUE;
	}
	return FALSE;
}

static void
f4_flash_mass_erase(GlintSim *sim, guint32 cr)
{
	guint per_bank = f4_sectors_per_bank(sim);
	gboolean b1 = (cr & FLASH_CR_MER) != 0;
	gboolean b2 = f4_cfg(sim)->has_mer_bank2 && (cr & FLASH_CR_MER1) != 0;

	if (!f4_dual_bank(sim)) {
		/* one bank: MER (or MER1/MER2) erases it all */
		b1 = TRUE;
		b2 = FALSE;
	}
	if (f4_flash_rdp_refuses(sim) || (b1 && f4_flash_bank_protected(sim, 0)) ||
	    (b2 && f4_flash_bank_protected(sim, 1))) {
		f4_flash_error(sim, FLASH_SR_WRPERR);
		return;
	}
	sim->stats.mass_erases++;
	f4_flash_begin_erase(sim, b1 ? 0 : per_bank, (b1 && b2) ? 2 * per_bank : per_bank,
			     f4_flash_bank_erase_ns(sim, (b1 && b2) ? 2 : 1));
}

static void
f4_flash_start_erase(GlintSim *sim)
{
	guint32 cr = f4_state(sim)->fl.cr;
	gboolean ser = (cr & FLASH_CR_SER) != 0;
	gboolean mer =
	    (cr & (FLASH_CR_MER | (f4_cfg(sim)->has_mer_bank2 ? FLASH_CR_MER1 : 0))) != 0;

	/* RM0090 3.7.4: SER with MER is a protection error; neither is
	 * "unpredictable" (3.6.3) and here does nothing */
	if (ser && mer) {
		f4_flash_error(sim, FLASH_SR_WRPERR);
		return;
	}
	if (ser)
		f4_flash_sector_erase(sim, cr);
	else if (mer)
		f4_flash_mass_erase(sim, cr);
}

static guint32
f4_flash_cr_rw(GlintSim *sim)
{
	const SimF4Config *cfg = f4_cfg(sim);
	guint32 rw = FLASH_CR_PG | FLASH_CR_SER | FLASH_CR_MER | FLASH_CR_PSIZE_MASK |
		     FLASH_CR_EOPIE | FLASH_CR_ERRIE;
	rw |= cfg->snb_bits == 5 ? FLASH_CR_SNB5_MASK : FLASH_CR_SNB4_MASK;
	if (cfg->has_mer_bank2)
		rw |= FLASH_CR_MER1;
	return rw;
}

static void
f4_flash_cr_write(GlintSim *sim, guint32 value)
{
	F4Flash *fl = &f4_state(sim)->fl;
	/* FLASH_CR written while BSY stalls the bus until BSY clears (RM0090
	 * 3.6.1 note) */
	f4_flash_stall(sim);
	if (fl->cr & FLASH_CR_LOCK)
		return;
	fl->cr = (fl->cr & ~f4_flash_cr_rw(sim)) | (value & f4_flash_cr_rw(sim));
	if (value & FLASH_CR_LOCK) {
		fl->cr |= FLASH_CR_LOCK;
		return;
	}
	if (value & FLASH_CR_STRT)
		f4_flash_start_erase(sim);
}

/* KEY1 then KEY2 unlocks; anything else, or a key while unlocked, is a bus
 * error and locks the register until the next reset (RM0090 3.6.1) */
static gboolean
f4_flash_key(GlintSim *sim, guint32 value, guint *stage, gboolean *fault, guint32 *reg,
	     guint32 lock_bit, guint32 key1, guint32 key2)
{
	if (!*fault && (*reg & lock_bit)) {
		if (*stage == 0 && value == key1) {
			*stage = 1;
			return TRUE;
		}
		if (*stage == 1 && value == key2) {
			*stage = 0;
			*reg &= ~lock_bit;
			return TRUE;
		}
	}
	*fault = TRUE;
	*stage = 0;
	*reg |= lock_bit;
	g_debug("wrong key 0x%08x: locked until reset", value);
	return FALSE;
}

static void
f4_flash_optcr_write(GlintSim *sim, guint32 value)
{
	F4Flash *fl = &f4_state(sim)->fl;
	const SimF4Config *cfg = f4_cfg(sim);
	f4_flash_stall(sim);
	if (fl->optcr & FLASH_OPTCR_OPTLOCK)
		return;
	fl->optcr = (value & cfg->optcr_mask) | (value & FLASH_OPTCR_OPTLOCK);
	if (value & FLASH_OPTCR_OPTLOCK)
		return;
	if (value & FLASH_OPTCR_OPTSTRT)
		f4_options_program(sim);
}

static guint32
f4_flash_reg_value(GlintSim *sim, guint32 offset)
{
	F4Flash *fl = &f4_state(sim)->fl;
	const SimF4Config *cfg = f4_cfg(sim);
	switch (offset) {
	case FLASH_ACR:
		return fl->acr;
	case FLASH_SR:
		return fl->sr | (sim->flash_op.active ? FLASH_SR_BSY : 0);
	case FLASH_CR:
		return fl->cr;
	case FLASH_OPTCR:
		return fl->optcr;
	case FLASH_OPTCR1:
		return cfg->has_optcr1 ? fl->optcr1 : 0;
	default:
		return 0; /* key registers are write-only; reserved reads as 0 */
	}
}

guint32
f4_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 v;
	f4_flash_tick(sim);
	v = f4_flash_reg_value(sim, offset);
	/* a core polling BSY waits until the operation ends: what its loop
	 * amounts to, without executing it */
	if (who == SIM_ACCESS_CORE && offset == FLASH_SR && (v & FLASH_SR_BSY)) {
		f4_flash_stall(sim);
		v = f4_flash_reg_value(sim, offset);
	}
	return v;
}

gboolean
f4_flash_is_w1c(guint32 offset)
{
	return offset == FLASH_SR;
}

/* Tests leave stale flags by setting raw SR bits */
gboolean
f4_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value)
{
	F4Flash *fl = &f4_state(sim)->fl;
	guint shift = (offset & 3u) * 8;
	if ((offset & ~3u) == FLASH_SR) {
		fl->sr = (fl->sr & ~(0xFFu << shift)) | ((guint32)value << shift);
		return TRUE;
	}
	if ((offset & ~3u) == FLASH_CR) {
		fl->cr = (fl->cr & ~(0xFFu << shift)) | ((guint32)value << shift);
		return TRUE;
	}
	return sim_bus_write(sim, SIM_ACCESS_AHB, p->base + offset, 1, value) == SIM_BUS_OK;
}

void
f4_flash_reset(GlintSim *sim, const SimPeriph *p)
{
	f4_flash_reset_state(sim);
}

gboolean
f4_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	F4Flash *fl = &f4_state(sim)->fl;
	const SimF4Config *cfg = f4_cfg(sim);
	f4_flash_tick(sim);
	switch (offset) {
	case FLASH_ACR:
		fl->acr = value & 0x1F0Fu;
		return TRUE;
	case FLASH_KEYR:
		return f4_flash_key(sim, value, &fl->key_stage, &fl->key_fault, &fl->cr,
				    FLASH_CR_LOCK, FLASH_KEY1, FLASH_KEY2);
	case FLASH_OPTKEYR:
		return f4_flash_key(sim, value, &fl->optkey_stage, &fl->optkey_fault, &fl->optcr,
				    FLASH_OPTCR_OPTLOCK, FLASH_OPTKEY1, FLASH_OPTKEY2);
	case FLASH_SR:
		fl->sr &= ~(value & FLASH_SR_W1C);
		return TRUE;
	case FLASH_CR:
		f4_flash_cr_write(sim, value);
		return TRUE;
	case FLASH_OPTCR:
		f4_flash_optcr_write(sim, value);
		return TRUE;
	case FLASH_OPTCR1:
		if (cfg->has_optcr1 && !(fl->optcr & FLASH_OPTCR_OPTLOCK)) {
			f4_flash_stall(sim);
			fl->optcr1 = value & cfg->optcr1_mask;
		}
		return TRUE;
	default:
		return TRUE;
	}
}

/* Storage for @size bytes at @addr (a bus address in its own window): main
 * flash or OTP; *@lock_block the OTP block a lock byte write concerns */
static guint8 *
f4_flash_cell(GlintSim *sim, guint32 addr, guint size, gboolean *is_main, gint *otp_block,
	      gboolean *locked)
{
	const SimF4Config *cfg = f4_cfg(sim);
	guint32 off;
	*is_main = sim_in_main_flash(sim, addr);
	*otp_block = -1;
	*locked = FALSE;
	if (*is_main)
		return sim_flash_ptr(sim, addr, size);
	if (addr < cfg->otp_base || addr - cfg->otp_base + size > cfg->otp_data_size + 16)
		return NULL;
	off = addr - cfg->otp_base;
	if (off < cfg->otp_data_size) {
		/* RM0090 3.8: a block programs until its lock byte reads 0x00 */
		guint block = off / (cfg->otp_data_size / F4_OTP_BLOCKS);
		*otp_block = (gint)block;
		*locked = F4_MEM(sim, F4_REGION_OTP)[cfg->otp_data_size + block] == 0x00;
	}
	return F4_MEM(sim, F4_REGION_OTP) + off;
}

static gboolean
f4_flash_write_protected(GlintSim *sim, guint32 addr)
{
	SimF4Sector s;
	guint32 off = (guint32)(sim_flash_ptr(sim, addr, 1) - F4_MEM(sim, F4_REGION_FLASH));
	return f4_sector_at(sim, off, &s) && f4_options_sector_wrp(sim, &s);
}

gboolean
f4_flash_pcrop_read_blocked(GlintSim *sim, guint32 addr)
{
	SimF4Sector s;
	guint32 off;
	if (!sim_in_main_flash(sim, addr))
		return FALSE;
	off = (guint32)(sim_flash_ptr(sim, addr, 1) - F4_MEM(sim, F4_REGION_FLASH));
	if (!f4_sector_at(sim, off, &s) || !f4_options_sector_pcrop(sim, &s))
		return FALSE;
	/* a D-bus read of a PCROP sector is refused and flagged (RM0090 3.7.5) */
	f4_state(sim)->fl.sr |= FLASH_SR_RDERR;
	return TRUE;
}

void
f4_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	F4Flash *fl = &f4_state(sim)->fl;
	gboolean is_main, locked;
	gint otp_block;
	guint8 *p;

	f4_flash_stall(sim);
	/* RM0090 3.6.4: a write without PG is a sequence error */
	if (!(fl->cr & FLASH_CR_PG)) {
		f4_flash_error(sim, FLASH_SR_PGSERR);
		return;
	}
	/* the access must be as wide as PSIZE (there are no 64-bit bus
	 * accesses here: x64 always fails) */
	if (size != f4_flash_psize_unit(sim)) {
		f4_flash_error(sim, FLASH_SR_PGPERR);
		return;
	}
	/* an unaligned access would cross a 128-bit row */
	if (addr % size != 0) {
		f4_flash_error(sim, FLASH_SR_PGAERR);
		return;
	}
	p = f4_flash_cell(sim, addr, size, &is_main, &otp_block, &locked);
	/* system memory, the option bytes, a locked OTP block or a protected
	 * sector: RM0090 3.7.4 */
	if (p == NULL || locked ||
	    (is_main && (f4_flash_rdp_refuses(sim) || f4_flash_write_protected(sim, addr)))) {
		f4_flash_error(sim, FLASH_SR_WRPERR);
		return;
	}
	/* programming only clears bits; writing 1 needs an erase (3.6.4) */
	for (guint i = 0; i < size; i++)
		p[i] &= (guint8)(value >> (8 * i));
	if (is_main && f4_flash_overdriven(sim))
		sim_faults_cut_program(sim, addr, size);
	sim->stats.double_words_programmed++;
	fl->op_eop = TRUE;
	fl->op_prog_addr = addr;
	fl->op_prog_size = size;
	sim_flash_op_begin(sim, SIM_F4_PROGRAM_NS);
	if (is_main)
		sim_faults_unit_started(sim, addr, size);
}

/* The benchmark's bound (SimMachineOps.flash_limit), from the datasheet
 * times (f4-timing.h) at the widest parallelism the supply allows (x32 at
 * 2.7-3.6 V; x64 needs VPP, which these boards do not have: RM0090 3.5.2):
 * per bank, the sectors the image touches erased one by one or the bank by
 * one mass erase, whichever is shorter (a mass erase of both banks takes
 * them one after the other), then every access-sized unit that holds data
 * programmed (tprog each). */
void
f4_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit)
{
	guint unit = f4_flash_supply_unit(sim);
	guint k = unit >= 4 ? 2 : unit == 2 ? 1 : 0;
	guint n_banks = f4_dual_bank(sim) ? 2 : 1;
	gint64 bank_ns = f4_flash_bank_erase_ns_at(sim, 1, k);
	guint64 units = sim_limit_units_written(image, 0, n_banks * f4_bank_size(sim), unit);
	guint n_sectors = 0, n_bank_erases = 0;
	g_autofree gchar *be = sim_limit_format_ns(bank_ns);
	g_autofree gchar *tp = sim_limit_format_ns(SIM_F4_PROGRAM_NS);

	for (guint b = 0; b < n_banks; b++) {
		gint64 by_sectors = 0;
		guint count = 0;
		for (guint i = 0; i < f4_sector_count(sim); i++) {
			SimF4Sector s;
			if (!f4_sector_nth(sim, i, &s) || s.bank != b ||
			    sim_limit_units_touched(image, s.offset, s.offset + s.size, s.size) ==
				0)
				continue;
			by_sectors += f4_flash_sector_erase_ns_at(sim, s.size, k);
			count++;
		}
		if (count > 0 && bank_ns < by_sectors) {
			limit->erase_ns += bank_ns;
			n_bank_erases++;
		} else {
			limit->erase_ns += by_sectors;
			n_sectors += count;
		}
	}
	limit->program_ns = (gint64)units * SIM_F4_PROGRAM_NS;
	limit->max_hclk_hz = f4_cfg(sim)->max_hclk_hz;
	if (n_bank_erases > 0)
		g_string_append_printf(limit->how, "%u bank mass erase%s of %u KB x %s + ",
				       n_bank_erases, n_bank_erases > 1 ? "s" : "",
				       f4_bank_size(sim) / 1024, be);
	if (n_sectors > 0 || n_bank_erases == 0)
		g_string_append_printf(limit->how, "%u sector erases + ", n_sectors);
	g_string_append_printf(limit->how,
			       "%" G_GUINT64_FORMAT " x%u programs x %s (%s at %u mV, datasheet "
			       "typical, docs/timing/f4.md)",
			       units, unit * 8, tp, sim->board->chip, sim->target_mv);
}
