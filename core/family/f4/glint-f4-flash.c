/* glint-f4-flash.c: the F2/F4/F7 flash controller driver (RM0090 3.6-3.7,
 * RM0410 3.3-3.4 and their siblings).
 *
 * The programming parallelism (FLASH_CR.PSIZE) is chosen from the supply
 * the probe measures before every job (x32 from 2.7 V, x16 from 2.1 V, x8
 * below); when the probe cannot measure it Glint refuses rather than guess.
 * Sector erase with the bank-2 SNB encoding, bank and mass erase (MER, MER1
 * or MER2), programming at PSIZE with accesses of exactly that size, option
 * bytes through OPTCR/OPTCR1/OPTCR2 with OPTSTRT and a system reset that
 * reloads them. Each failure is decoded from FLASH_SR into a cause and a way
 * out. */
#define G_LOG_DOMAIN "glint-f4"

#include "glint-error.h"
#include "glint-f4-regs.h"
#include "glint-f4.h"
#include "glint-flash-common.h"
#include "glint-i18n.h"

/* Datasheet maxima (docs/timing/f4.md): a 128/256 KB sector erase at x8
 * 4 s, a bank erase at x8 32 s (both banks of a 2 MB part one after the
 * other: 64 s), an option write with an RDP regression includes a mass
 * erase. Host time gets a margin; the poll bound only ends a wait on a dead
 * chip (each poll is a USB round trip of at least 0.1 ms). */
#define SECTOR_ERASE_MAX_US (4 * G_USEC_PER_SEC)
#define MASS_ERASE_MAX_US (64 * G_USEC_PER_SEC)
#define PROGRAM_MAX_US (G_USEC_PER_SEC)
#define BSY_MAX_POLLS 2000000u

static const GlintBitName sr_names[] = {
    {FLASH_SR_EOP, "EOP"},	 {FLASH_SR_OPERR, "OPERR"},   {FLASH_SR_WRPERR, "WRPERR"},
    {FLASH_SR_PGAERR, "PGAERR"}, {FLASH_SR_PGPERR, "PGPERR"}, {FLASH_SR_PGSERR, "PGSERR"},
    {FLASH_SR_RDERR, "RDERR"},	 {FLASH_SR_BSY, "BSY"},
};

static gchar *
f4_describe_sr(guint32 sr)
{
	return glint_flash_describe_bits(sr_names, G_N_ELEMENTS(sr_names), sr);
}

static gboolean
read_sr(GlintTarget *t, guint32 *sr, GError **error)
{
	return glint_target_read32(t, glint_f4_reg(t, FLASH_F4_SR), sr, error);
}

static gboolean
write_cr(GlintTarget *t, guint32 cr, GError **error)
{
	return glint_target_write32(t, glint_f4_reg(t, FLASH_F4_CR), cr, error);
}

static gboolean
wait_not_busy(GlintTarget *t, gint64 timeout_us, guint32 *sr, GError **error)
{
	return glint_flash_wait_clear(t, glint_f4_reg(t, FLASH_F4_SR), FLASH_SR_BSY, BSY_MAX_POLLS,
				      timeout_us * 3 / 2, "FLASH_SR.BSY", sr, error);
}

static guint32
psize_bits(GlintTarget *t)
{
	return glint_f4_psize_bits(t->info.geometry.program_unit);
}

static gboolean
f4_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	guint32 sr, flags;
	if (!read_sr(t, &sr, error))
		return FALSE;
	flags = sr & (FLASH_SR_ERRORS | FLASH_SR_EOP);
	if (cleared != NULL)
		*cleared = sr & FLASH_SR_ERRORS;
	if (flags == 0)
		return TRUE;
	return glint_target_write32(t, glint_f4_reg(t, FLASH_F4_SR), flags, error);
}

/* The parallelism the supply allows now, into the geometry every job reads
 * (RM0090 3.6.2, table 13). A probe that cannot measure is refused: a
 * guessed x8 (what stlink does) is 4 times slower, a guessed x32 below
 * 2.7 V writes values that may not stay. */
static gboolean
choose_parallelism(GlintTarget *t, GlintProgress *progress, GError **error)
{
	guint unit;

	if (!glint_flash_check_supply(t, error))
		return FALSE;
	unit = glint_f4_program_unit_for(t->info.voltage);
	if (unit == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("This ST-LINK cannot measure the target supply, and the %s programs "
			      "at a parallelism (FLASH_CR.PSIZE) that depends on it: x32 needs "
			      "2.7-3.6 V, x16 2.1-2.7 V, x8 1.8-2.1 V (%s 3.6.2). Glint does not "
			      "guess. Nothing was changed on the chip; use a probe whose firmware "
			      "reports the target voltage (ST-LINK/V2 or newer) with its VAPP/VDD "
			      "pin wired to the target supply"),
			    t->chip->name, glint_f4_chip(t)->manual);
		return FALSE;
	}
	if (unit != t->info.geometry.program_unit)
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("Target supply %.2f V: programming at x%u (PSIZE) instead of "
				     "x%u"),
				   t->info.voltage, unit * 8, t->info.geometry.program_unit * 8);
	else
		glint_progress_log(progress, G_LOG_LEVEL_DEBUG,
				   _("Target supply %.2f V: programming at x%u"), t->info.voltage,
				   unit * 8);
	t->info.geometry.program_unit = unit;
	return TRUE;
}

static gboolean
unlock(GlintTarget *t, gboolean options, GlintProgress *progress, GError **error)
{
	/* RM0090 3.6.1 and 3.7.2: KEYR unlocks FLASH_CR, OPTKEYR FLASH_OPTCR;
	 * the two are independent */
	const GlintUnlockKey keys[] = {
	    {"FLASH_KEYR", glint_f4_reg(t, FLASH_F4_KEYR), FLASH_KEY1, FLASH_KEY2,
	     glint_f4_reg(t, FLASH_F4_CR), FLASH_CR_LOCK, TRUE},
	    {"FLASH_OPTKEYR", glint_f4_reg(t, FLASH_F4_OPTKEYR), FLASH_OPTKEY1, FLASH_OPTKEY2,
	     glint_f4_reg(t, FLASH_F4_OPTCR), FLASH_OPTCR_OPTLOCK, TRUE},
	};
	return glint_flash_unlock(t, options ? &keys[1] : &keys[0], 1, progress, error);
}

static gboolean
f4_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	if (!choose_parallelism(t, progress, error))
		return FALSE;
	if (!wait_not_busy(t, MASS_ERASE_MAX_US, &sr, error))
		return FALSE;
	/* Flags an earlier tool left would be read as this job's failure. */
	if (!f4_clear_flags(t, &cleared, error))
		return FALSE;
	if (cleared != 0) {
		g_autofree gchar *names = f4_describe_sr(cleared);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("Cleared stale FLASH_SR error flags left by an earlier "
				     "operation: %s"),
				   names);
	}
	if (stale != NULL)
		*stale = cleared;
	if (!unlock(t, FALSE, progress, error))
		return FALSE;
	/* PSIZE stays in FLASH_CR for everything that follows, the on-target
	 * loader included */
	return write_cr(t, psize_bits(t), error);
}

static void
f4_finish(GlintTarget *t)
{
	g_autoptr(GError) error_local = NULL;
	/* PG or SER left set would turn the next write into an operation */
	if (!write_cr(t, FLASH_CR_LOCK, &error_local))
		g_debug("could not lock the flash: %s", error_local->message);
}

static const char *
sequence_flag_name(GlintTarget *t)
{
	return glint_f4_chip(t)->f7_names ? "FLASH_SR.ERSERR (PGSERR)" : "FLASH_SR.PGSERR";
}

static void
f4_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what, GError **error)
{
	g_autofree gchar *names = f4_describe_sr(flags & FLASH_SR_ERRORS);
	guint unit = t->info.geometry.program_unit;

	if (flags & FLASH_SR_WRPERR) {
		glint_flash_protection_error(t, addr, what, "FLASH_SR.WRPERR", error);
	} else if (flags & FLASH_SR_RDERR) {
		glint_flash_protection_error(t, addr, what, "FLASH_SR.RDERR", error);
	} else if (flags & FLASH_SR_PGPERR) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: the write was not %u bits wide as FLASH_CR.PSIZE "
		      "(x%u) requires (FLASH_SR.PGPERR). The flags are cleared; program "
		      "again, and if it persists reset the target"),
		    what, addr, unit * 8, unit * 8);
	} else if (flags & FLASH_SR_PGAERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the write crossed a 128-bit flash row "
			      "(FLASH_SR.PGAERR). The flags are cleared; program again"),
			    what, addr);
	} else if (flags & FLASH_SR_PGSERR) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: the flash controller refused the sequence (%s: a "
		      "write without FLASH_CR.PG, or an erase with a sector number the part "
		      "does not have). The flags are cleared; retry, and if it persists "
		      "reset the target"),
		    what, addr, sequence_flag_name(t));
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller reported %s (FLASH_SR = "
			      "0x%08X). The flags are cleared; retry, and if it persists reset the "
			      "target"),
			    what, addr, names[0] != '\0' ? names : _("an error"), flags);
	}
}

static gboolean
check_errors(GlintTarget *t, guint32 sr, guint32 addr, const char *what, GError **error)
{
	guint32 errors = sr & FLASH_SR_ERRORS;
	if (errors == 0)
		return TRUE;
	/* leave the controller clean for the next attempt */
	glint_target_write32(t, glint_f4_reg(t, FLASH_F4_SR), errors, NULL);
	f4_decode_error(t, errors, addr, what, error);
	return FALSE;
}

/* Writes @cr, then @cr with STRT, waits, puts PSIZE back and checks. */
static gboolean
start_and_wait(GlintTarget *t, guint32 cr, gint64 timeout_us, guint32 addr, const char *what,
	       GError **error)
{
	guint32 sr;

	if (!write_cr(t, cr, error) || !write_cr(t, cr | FLASH_CR_STRT, error))
		return FALSE;
	if (!wait_not_busy(t, timeout_us, &sr, error))
		return FALSE;
	if (!write_cr(t, psize_bits(t), error))
		return FALSE;
	return check_errors(t, sr, addr, what, error);
}

static gboolean
f4_erase_unit(GlintTarget *t, const GlintFlashUnit *unit, GError **error)
{
	/* RM0090 3.6.3: SER, SNB (bank 2 sectors as 0x10 | n), STRT */
	return start_and_wait(t, glint_f4_sector_erase_bits(t, unit), SECTOR_ERASE_MAX_US,
			      unit->address, _("Sector erase"), error);
}

static gboolean
f4_erase_bank(GlintTarget *t, guint physical, GError **error)
{
	gint bank = glint_geometry_bank_of_physical(&t->info.geometry, physical);
	guint32 addr = bank >= 0 ? t->info.geometry.banks[bank].base : t->info.geometry.base;
	return start_and_wait(t, glint_f4_bank_erase_bits(t, physical), MASS_ERASE_MAX_US, addr,
			      _("Bank erase"), error);
}

static guint32
mass_erase_bits(GlintTarget *t)
{
	/* RM0090 3.6.3: MER and MER1 together on a dual-bank part; MER alone
	 * leaves bank 2 as it was */
	guint32 bits = glint_f4_bank_erase_bits(t, 0);
	if (t->info.geometry.n_banks > 1)
		bits |= FLASH_CR_MER_BANK2;
	return bits;
}

static gboolean
f4_mass_erase(GlintTarget *t, GError **error)
{
	return start_and_wait(t, mass_erase_bits(t), MASS_ERASE_MAX_US, t->info.geometry.base,
			      _("Mass erase"), error);
}

/* Writes with accesses of the PSIZE unit; a probe without 16-bit
 * transfers gets x8 instead for the rest of the job (it fits any supply). */
static gboolean
write_at_psize(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint unit = t->info.geometry.program_unit;

	if (glint_target_write_units(t, addr, data, len, unit, &error_local))
		return TRUE;
	if (unit != 2 || !g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_message(_("%s; programming at x8"), error_local->message);
	t->info.geometry.program_unit = 1;
	return write_cr(t, FLASH_CR_PG | psize_bits(t), error) &&
	       glint_target_write_units(t, addr, data, len, 1, error);
}

static gboolean
f4_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	guint32 sr;

	g_return_val_if_fail(addr % t->info.geometry.program_unit == 0 &&
				 len % t->info.geometry.program_unit == 0,
			     FALSE);
	/* RM0090 3.6.4: PG, then writes of exactly the PSIZE width; a write
	 * while BSY stalls the bus, so a block streams in one transfer */
	if (!write_cr(t, FLASH_CR_PG | psize_bits(t), error))
		return FALSE;
	if (!write_at_psize(t, addr, data, len, error))
		return FALSE;
	if (!wait_not_busy(t, PROGRAM_MAX_US, &sr, error))
		return FALSE;
	if (!write_cr(t, psize_bits(t), error))
		return FALSE;
	return check_errors(t, sr, addr, _("Programming"), error);
}

/* Option registers in layout order. */
static const guint32 option_offsets[F4_OB_MAX_REGS] = {
    [F4_OB_OPTCR] = FLASH_F4_OPTCR,
    [F4_OB_OPTCR1] = FLASH_F4_OPTCR1,
    [F4_OB_OPTCR2] = FLASH_F4_OPTCR2,
};

static gboolean
f4_read_options(GlintTarget *t, GlintOptionBytes *ob, GError **error)
{
	glint_option_bytes_init_factory(ob, t->chip->options);
	for (guint i = 0; i < t->chip->options->n_regs; i++) {
		if (!glint_target_read32(t, glint_f4_reg(t, option_offsets[i]), &ob->regs[i],
					 error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
f4_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GlintOptionsApplied *applied, GError **error)
{
	guint32 sr, optcr = ob->regs[F4_OB_OPTCR] & ~FLASH_OPTCR_CONTROL;

	if (!wait_not_busy(t, MASS_ERASE_MAX_US, &sr, error) || !f4_clear_flags(t, NULL, error) ||
	    !unlock(t, TRUE, progress, error))
		return FALSE;
	/* RM0090 3.7.2: OPTCR1 (and OPTCR2) first, then OPTCR, then OPTSTRT;
	 * the chip erases the user configuration sector and writes them all */
	for (guint i = t->chip->options->n_regs; i-- > 1;) {
		if (!glint_target_write32(t, glint_f4_reg(t, option_offsets[i]), ob->regs[i],
					  error))
			return FALSE;
	}
	if (!glint_target_write32(t, glint_f4_reg(t, FLASH_F4_OPTCR), optcr, error) ||
	    !glint_target_write32(t, glint_f4_reg(t, FLASH_F4_OPTCR), optcr | FLASH_OPTCR_OPTSTRT,
				  error))
		return FALSE;
	/* an RDP 1 -> 0 regression mass-erases the flash inside this wait */
	if (!wait_not_busy(t, MASS_ERASE_MAX_US, &sr, error))
		return FALSE;
	glint_target_write32(t, glint_f4_reg(t, FLASH_F4_OPTCR), optcr | FLASH_OPTCR_OPTLOCK, NULL);
	if (sr & FLASH_SR_WRPERR) {
		/* RM0090 3.7.5: a PCROP sector or SPRMOD removed without the RDP
		 * regression, or any change at RDP level 2 */
		glint_target_write32(t, glint_f4_reg(t, FLASH_F4_SR), sr & FLASH_SR_ERRORS, NULL);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
			    _("The %s cancelled the option-byte write (FLASH_SR.WRPERR): PCROP "
			      "sectors and SPRMOD can be removed only together with an RDP level 1 "
			      "-> 0 regression, and at RDP level 2 the option bytes are frozen (%s "
			      "3.7). Nothing was changed"),
			    t->chip->name, glint_f4_chip(t)->manual);
		return FALSE;
	}
	if (!check_errors(t, sr, glint_f4_chip(t)->stored_options[0].addr,
			  _("Option-byte programming"), error))
		return FALSE;
	/* The option bytes are loaded at reset release (RM0090 3.9.9): a
	 * system reset with the core held makes them, and a new bank layout,
	 * take effect. */
	glint_progress_log(progress, G_LOG_LEVEL_INFO,
			   _("Option bytes programmed; resetting the chip to load them"));
	if (!glint_target_reset(t, GLINT_RESET_SOFTWARE, TRUE, error))
		return FALSE;
	*applied = GLINT_OPTIONS_RELOADED;
	return TRUE;
}

/* The datasheet's erase times at the parallelism prepare() chose: the
 * bank's first sector size and four and eight times it are the three
 * classes of the table (GlintF4EraseTimes) */
static gboolean
f4_erase_times(GlintTarget *t, GlintEraseTimes *times)
{
	const GlintF4EraseTimes *ds = glint_f4_chip(t)->erase_times;
	const GlintFlashGeometry *g = &t->info.geometry;
	guint unit = g->program_unit;
	guint k = unit >= 4 ? 2 : unit == 2 ? 1 : 0;
	guint32 small = g->banks[0].runs[0].size;
	const gint64 *classes[] = {ds->small_ms, ds->medium_ms, ds->large_ms};
	const guint32 sizes[] = {small, small * 4, small * 8};

	*times = (GlintEraseTimes){.source = ds->datasheet};
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
		times->units[i] = (GlintUnitEraseTime){sizes[i], classes[i][k] * 1000000};
	times->n_units = G_N_ELEMENTS(sizes);
	times->bank_ns = ds->mb_ms[k] * 1000000 * (gint64)g->banks[0].size / (1024 * 1024);
	/* MER with MER1 erases one bank after the other (estimate) */
	times->chip_ns = times->bank_ns * g->n_banks;
	return TRUE;
}

const GlintFlashOps glint_f4_flash_ops = {
    .status_name = "FLASH_SR",
    .error_flags = FLASH_SR_ERRORS,
    .optverr_flag = 0,
    .prepare = f4_prepare,
    .finish = f4_finish,
    .erase_unit = f4_erase_unit,
    .erase_bank = f4_erase_bank,
    .mass_erase = f4_mass_erase,
    .erase_times = f4_erase_times,
    .program = f4_program,
    .read_options = f4_read_options,
    .read_status = read_sr,
    .write_options = f4_write_options,
    .clear_flags = f4_clear_flags,
    .describe_status = f4_describe_sr,
    .decode_error = f4_decode_error,
};

/* The loader's ERASE descriptors carry FLASH_CR values, PSIZE included. */
static guint32
loader_erase_all(GlintTarget *t)
{
	return mass_erase_bits(t);
}

#include "loader/f4-loader-blob.h"

const GlintLoaderDesc glint_f4_loader = {
    .code = glint_f4_loader_blob,
    .code_size = sizeof(glint_f4_loader_blob),
    .erase_unit_arg = glint_f4_sector_erase_bits,
    .erase_bank_arg = glint_f4_bank_erase_bits,
    .erase_all_arg = loader_erase_all,
    .fast_row = 0,
    /* both banks of a 2 MB part at x8, one after the other (docs/timing/f4.md) */
    .longest_op_ms = 64000,
};
