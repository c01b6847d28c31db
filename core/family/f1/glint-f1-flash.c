/* glint-f1-flash.c: the STM32F0/F1/F3 flash controller driver (PM0075 2,
 * PM0068 2 for the XL's second bank, RM0091 3, RM0316 4).
 *
 * Unlock/lock of each bank and of the option bytes (OPTWRE, an enable bit),
 * stale-flag clearing, page erase (PER + AR), bank and mass erase (MER),
 * half-word programming, and option bytes: erase the whole block (OPTER),
 * program every half-word again (OPTPG) and reload them. Each failure is
 * decoded from FLASH_SR into a cause and a way out. */
#define G_LOG_DOMAIN "glint-f1"

#include <string.h>

#include "glint-error.h"
#include "glint-f1-regs.h"
#include "glint-f1.h"
#include "glint-flash-common.h"
#include "glint-i18n.h"

/* Bounds on BSY polls: each poll is a USB round trip of at least 0.1 ms,
 * so these allow far more than the datasheet maxima (page and mass erase
 * 40 ms, DS5319 table 28; an RDP regression adds a mass erase to an option
 * write) while still ending a wait on a dead chip. */
#define BSY_POLLS_PAGE 20000
#define BSY_POLLS_MASS 60000
#define BSY_HOST_TIMEOUT_US (10 * G_USEC_PER_SEC)
/* HSIRDY follows HSION within 2 us (DS5319 table 25): a few polls */
#define HSI_POLLS 100

static const GlintBitName sr_names[] = {
    {FLASH_SR_BSY, "BSY"},
    {FLASH_SR_PGERR, "PGERR"},
    {FLASH_SR_WRPRTERR, "WRPRTERR"},
    {FLASH_SR_EOP, "EOP"},
    {F1_STATUS_OPTERR, "OPTERR (FLASH_OBR)"},
};

static gchar *
f1_describe_sr(guint32 sr)
{
	return glint_flash_describe_bits(sr_names, G_N_ELEMENTS(sr_names), sr);
}

static guint
n_register_banks(GlintTarget *t)
{
	return t->info.geometry.n_banks;
}

/* The bank whose registers run the operation at @addr */
static guint
bank_of(GlintTarget *t, guint32 addr)
{
	GlintFlashUnit unit;
	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		return unit.physical;
	return 0;
}

static gboolean
read_sr(GlintTarget *t, guint bank, guint32 *sr, GError **error)
{
	return glint_target_read32(t, glint_f1_reg(bank, FLASH_F1_SR), sr, error);
}

static gboolean
wait_not_busy(GlintTarget *t, guint bank, guint max_polls, guint32 *sr, GError **error)
{
	return glint_flash_wait_clear(t, glint_f1_reg(bank, FLASH_F1_SR), FLASH_SR_BSY, max_polls,
				      BSY_HOST_TIMEOUT_US,
				      bank > 0 ? "FLASH_SR2.BSY" : "FLASH_SR.BSY", sr, error);
}

static gboolean
write_cr(GlintTarget *t, guint bank, guint32 value, GError **error)
{
	return glint_target_write32(t, glint_f1_reg(bank, FLASH_F1_CR), value, error);
}

static gboolean
f1_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	if (cleared != NULL)
		*cleared = 0;
	for (guint b = 0; b < n_register_banks(t); b++) {
		guint32 sr;
		if (!read_sr(t, b, &sr, error))
			return FALSE;
		if (cleared != NULL)
			*cleared |= sr & FLASH_SR_ERRORS;
		if ((sr & (FLASH_SR_ERRORS | FLASH_SR_EOP)) != 0 &&
		    !glint_target_write32(t, glint_f1_reg(b, FLASH_F1_SR),
					  sr & (FLASH_SR_ERRORS | FLASH_SR_EOP), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
unlock(GlintTarget *t, gboolean options, GlintProgress *progress, GError **error)
{
	/* PM0075 2.3.1: KEYR unlocks FLASH_CR; the same keys in OPTKEYR set
	 * OPTWRE, an enable bit (PM0075 2.4.3); PM0068 2.3.1: bank 2 of an XL
	 * part has its own KEYR2 */
	GlintUnlockKey keys[2] = {
	    {"FLASH_KEYR", glint_f1_reg(0, FLASH_F1_KEYR), FLASH_KEY1, FLASH_KEY2,
	     glint_f1_reg(0, FLASH_F1_CR), FLASH_CR_LOCK, TRUE},
	};
	if (options)
		keys[1] = (GlintUnlockKey){"FLASH_OPTKEYR",
					   glint_f1_reg(0, FLASH_F1_OPTKEYR),
					   FLASH_KEY1,
					   FLASH_KEY2,
					   glint_f1_reg(0, FLASH_F1_CR),
					   FLASH_CR_OPTWRE,
					   FALSE};
	else
		keys[1] =
		    (GlintUnlockKey){"FLASH_KEYR2", glint_f1_reg(1, FLASH_F1_KEYR), FLASH_KEY1,
				     FLASH_KEY2,    glint_f1_reg(1, FLASH_F1_CR),   FLASH_CR_LOCK,
				     TRUE};
	return glint_flash_unlock(t, keys, options || n_register_banks(t) > 1 ? 2 : 1, progress,
				  error);
}

/* PM0075 2.3: the FPEC runs on the HSI; firmware that switched it off
 * would make every erase and program hang. */
static gboolean
ensure_hsi(GlintTarget *t, GlintProgress *progress, GError **error)
{
	guint32 cr = 0;
	if (!glint_target_read32(t, RCC_CR_ADDR, &cr, error))
		return FALSE;
	if (cr & RCC_CR_HSIRDY)
		return TRUE;
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("The HSI oscillator was off; turning it on for the flash controller"));
	if (!glint_target_write32(t, RCC_CR_ADDR, cr | RCC_CR_HSION, error))
		return FALSE;
	for (guint i = 0; i < HSI_POLLS; i++) {
		if (!glint_target_read32(t, RCC_CR_ADDR, &cr, error))
			return FALSE;
		if (cr & RCC_CR_HSIRDY)
			return TRUE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
		    _("The HSI oscillator the flash controller needs did not start (RCC_CR = "
		      "0x%08X); reset the target and retry"),
		    cr);
	return FALSE;
}

static gboolean
f1_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	if (!glint_flash_check_supply(t, error))
		return FALSE;
	if (!ensure_hsi(t, progress, error))
		return FALSE;
	for (guint b = 0; b < n_register_banks(t); b++) {
		if (!wait_not_busy(t, b, BSY_POLLS_MASS, &sr, error))
			return FALSE;
	}
	/* PGERR and WRPRTERR stay set until written 1; a tool that checks them
	 * after its own operation would blame it for an earlier one. */
	if (!f1_clear_flags(t, &cleared, error))
		return FALSE;
	if (cleared != 0) {
		g_autofree gchar *names = f1_describe_sr(cleared);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("Cleared stale FLASH_SR error flags left by an earlier "
				     "operation: %s"),
				   names);
	}
	if (stale != NULL)
		*stale = cleared;
	return unlock(t, FALSE, progress, error);
}

static void
f1_finish(GlintTarget *t)
{
	/* Clear PG/PER/MER/OPTPG/OPTER/OPTWRE and lock: blackmagic found that
	 * a PG left set makes the next erase fail. */
	for (guint b = 0; b < n_register_banks(t); b++) {
		g_autoptr(GError) error_local = NULL;
		if (!write_cr(t, b, FLASH_CR_LOCK, &error_local))
			g_debug("could not lock the flash: %s", error_local->message);
	}
}

static void
f1_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what, GError **error)
{
	GlintFlashUnit unit = {0};
	g_autofree gchar *where = NULL;
	g_autofree gchar *names = f1_describe_sr(flags);

	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		where = glint_geometry_describe_unit(&t->info.geometry, &unit);
	if (flags & FLASH_SR_WRPRTERR) {
		glint_flash_protection_error(t, addr, what, "FLASH_SR.WRPRTERR", error);
	} else if (flags & FLASH_SR_PGERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the half-word there was not erased "
			      "(FLASH_SR.PGERR); erase %s first (program without --no-erase)"),
			    what, addr, where != NULL ? where : _("its page"));
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller reported %s (FLASH_SR = "
			      "0x%08X). The flags are cleared; retry, and if it persists reset the "
			      "target"),
			    what, addr, names[0] != '\0' ? names : _("an error"), flags);
	}
}

/* Turns FLASH_SR error flags after an operation on @addr into a GError,
 * leaving the controller clean for the next attempt. */
static gboolean
check_errors(GlintTarget *t, guint bank, guint32 sr, guint32 addr, const char *what, GError **error)
{
	guint32 errors = sr & FLASH_SR_ERRORS;

	if (sr & (FLASH_SR_ERRORS | FLASH_SR_EOP))
		glint_target_write32(t, glint_f1_reg(bank, FLASH_F1_SR),
				     sr & (FLASH_SR_ERRORS | FLASH_SR_EOP), NULL);
	if (errors == 0)
		return TRUE;
	f1_decode_error(t, errors, addr, what, error);
	return FALSE;
}

/* Writes @cr (and AR for a page erase), then @cr with STRT, waits and
 * checks (PM0075 2.3.4-2.3.5). FLASH_CR is left with @cr's OPTWRE: writing
 * it 0 would lock the option bytes again until the next key sequence. */
static gboolean
start_and_wait(GlintTarget *t, guint bank, guint32 cr, guint32 addr, guint max_polls,
	       const char *what, GError **error)
{
	guint32 sr;

	if (!write_cr(t, bank, cr, error))
		return FALSE;
	if ((cr & FLASH_CR_PER) &&
	    !glint_target_write32(t, glint_f1_reg(bank, FLASH_F1_AR), addr, error))
		return FALSE;
	if (!write_cr(t, bank, cr | FLASH_CR_STRT, error))
		return FALSE;
	if (!wait_not_busy(t, bank, max_polls, &sr, error))
		return FALSE;
	if (!write_cr(t, bank, cr & FLASH_CR_OPTWRE, error))
		return FALSE;
	return check_errors(t, bank, sr, addr, what, error);
}

static gboolean
f1_erase_unit(GlintTarget *t, const GlintFlashUnit *unit, GError **error)
{
	return start_and_wait(t, unit->physical, FLASH_CR_PER, unit->address, BSY_POLLS_PAGE,
			      _("Page erase"), error);
}

static gboolean
f1_erase_bank(GlintTarget *t, guint physical, GError **error)
{
	gint bank = glint_geometry_bank_of_physical(&t->info.geometry, physical);
	guint32 addr = bank >= 0 ? t->info.geometry.banks[bank].base : t->info.geometry.base;
	return start_and_wait(t, physical, FLASH_CR_MER, addr, BSY_POLLS_MASS, _("Bank erase"),
			      error);
}

static gboolean
f1_mass_erase(GlintTarget *t, GError **error)
{
	guint32 sr;

	/* PM0068 2.3.6: MER on both banks; started together, they take the
	 * time of one */
	for (guint b = 0; b < n_register_banks(t); b++) {
		if (!write_cr(t, b, FLASH_CR_MER, error) ||
		    !write_cr(t, b, FLASH_CR_MER | FLASH_CR_STRT, error))
			return FALSE;
	}
	for (guint b = 0; b < n_register_banks(t); b++) {
		if (!wait_not_busy(t, b, BSY_POLLS_MASS, &sr, error) || !write_cr(t, b, 0, error) ||
		    !check_errors(t, b, sr, t->info.geometry.banks[b].base, _("Mass erase"), error))
			return FALSE;
	}
	return TRUE;
}

/* 16-bit writes through the probe, a fault on read-protected flash named
 * as such. */
static gboolean
write16(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (glint_stlink_write_mem16(t->stlink, addr, data, len, &error_local))
		return TRUE;
	if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT) &&
	    t->info.rdp_level > 0) {
		glint_target_set_read_protected_error(t, error);
		return FALSE;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
require_mem16(GlintTarget *t, const char *what, GError **error)
{
	g_autofree gchar *probe = NULL;

	if (glint_stlink_has_mem16(t->stlink))
		return TRUE;
	probe = glint_stlink_version_to_string(glint_stlink_get_version(t->stlink));
	/* @what is the English N_() text: compared, then translated */
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD,
		    g_str_equal(what, "Programming the flash directly")
			? _("%s of the %s needs 16-bit memory writes, which this ST-LINK (%s) "
			    "lacks: update its firmware to V2J26 or later (STM32CubeProgrammer or "
			    "STSW-LINK007), or let Glint program through its on-target loader "
			    "(without --no-loader)")
			: _("%s of the %s needs 16-bit memory writes, which this ST-LINK (%s) "
			    "lacks: update its firmware to V2J26 or later (STM32CubeProgrammer or "
			    "STSW-LINK007)"),
		    glint_tr(what), t->chip->name, probe);
	return FALSE;
}

static gboolean
f1_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	guint bank = bank_of(t, addr);
	guint32 sr;

	g_return_val_if_fail(addr % 2 == 0 && len % 2 == 0, FALSE);
	if (!require_mem16(t, N_("Programming the flash directly"), error))
		return FALSE;
	if (!write_cr(t, bank, FLASH_CR_PG, error))
		return FALSE;
	if (glint_f1_chip(t)->write_stalls_while_busy) {
		/* PM0075 2.3.3: a write while BSY holds the bus until the half-word
		 * before it is done, so a block streams in one transfer */
		if (!write16(t, addr, data, len, error))
			return FALSE;
	} else {
		/* the clones drop such a write: one half-word at a time */
		for (gsize off = 0; off < len; off += 2) {
			if (!write16(t, addr + (guint32)off, data + off, 2, error) ||
			    !wait_not_busy(t, bank, BSY_POLLS_PAGE, &sr, error))
				return FALSE;
			if ((sr & FLASH_SR_ERRORS) != 0) {
				write_cr(t, bank, 0, NULL);
				return check_errors(t, bank, sr, addr + (guint32)off,
						    _("Programming"), error);
			}
		}
	}
	if (!wait_not_busy(t, bank, BSY_POLLS_PAGE, &sr, error))
		return FALSE;
	if (!write_cr(t, bank, 0, error))
		return FALSE;
	return check_errors(t, bank, sr, addr, _("Programming"), error);
}

/* Option bytes ------------------------------------------------------------------ */

static gboolean
f1_read_options(GlintTarget *t, GlintOptionBytes *ob, GError **error)
{
	guint8 stored[OB_SIZE];
	guint32 obr = 0, wrpr = 0;

	if (!glint_target_read(t, OB_BASE, stored, sizeof(stored), error) ||
	    !glint_target_read32(t, glint_f1_reg(0, FLASH_F1_OBR), &obr, error) ||
	    !glint_target_read32(t, glint_f1_reg(0, FLASH_F1_WRPR), &wrpr, error))
		return FALSE;
	glint_f1_options_from_registers(t->chip, stored, obr, wrpr, ob);
	return TRUE;
}

static gboolean
f1_read_status(GlintTarget *t, guint32 *status, GError **error)
{
	guint32 obr = 0;

	*status = 0;
	for (guint b = 0; b < n_register_banks(t); b++) {
		guint32 sr;
		if (!read_sr(t, b, &sr, error))
			return FALSE;
		*status |= sr;
	}
	if (!glint_target_read32(t, glint_f1_reg(0, FLASH_F1_OBR), &obr, error))
		return FALSE;
	if (obr & FLASH_OBR_OPTERR)
		*status |= F1_STATUS_OPTERR;
	return TRUE;
}

/* OBL_LAUNCH resets the chip; the probe reports a DP error for the very
 * write that triggers it. */
static gboolean
launch_reload(GlintTarget *t, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (glint_target_write32(t, glint_f1_reg(0, FLASH_F1_CR),
				 FLASH_CR_OPTWRE | FLASH_CR_OBL_LAUNCH, &error_local))
		return TRUE;
	if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING))
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static gboolean
program_option_halfwords(GlintTarget *t, const guint16 halfwords[8], GError **error)
{
	guint32 sr;

	if (!write_cr(t, 0, FLASH_CR_OPTPG | FLASH_CR_OPTWRE, error))
		return FALSE;
	/* RDP first: cut after it, the chip keeps its read protection level
	 * rather than an erased (level 1) byte */
	for (guint i = 0; i < 8; i++) {
		guint8 hw[2] = {(guint8)halfwords[i], (guint8)(halfwords[i] >> 8)};
		guint32 addr = OB_BASE + 2 * i;
		if (halfwords[i] == 0xFFFF)
			continue; /* erased already */
		if (!write16(t, addr, hw, sizeof(hw), error) ||
		    !wait_not_busy(t, 0, BSY_POLLS_MASS, &sr, error) ||
		    !check_errors(t, 0, sr, addr, _("Option-byte programming"), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
f1_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GlintOptionsApplied *applied, GError **error)
{
	const GlintF1Chip *data = glint_f1_chip(t);
	guint16 halfwords[8];
	guint32 sr;

	if (!require_mem16(t, N_("Writing the option bytes"), error))
		return FALSE;
	glint_f1_options_to_halfwords(t->chip, ob, halfwords);
	if (!ensure_hsi(t, progress, error) || !wait_not_busy(t, 0, BSY_POLLS_MASS, &sr, error) ||
	    !f1_clear_flags(t, NULL, error) || !unlock(t, TRUE, progress, error))
		return FALSE;
	/* PM0075 2.4.3: the block is erased as a whole, then every half-word is
	 * programmed again, the unchanged ones too */
	glint_progress_log(progress, G_LOG_LEVEL_INFO,
			   _("Erasing the option block (OPTER) and programming its 8 half-words"));
	if (!start_and_wait(t, 0, FLASH_CR_OPTER | FLASH_CR_OPTWRE, OB_BASE, BSY_POLLS_MASS,
			    _("Option-byte erase"), error))
		return FALSE;
	if (!program_option_halfwords(t, halfwords, error)) {
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   _("The option block is erased but not fully programmed again: "
				     "write the option bytes once more before resetting the chip"));
		f1_finish(t);
		return FALSE;
	}
	if (!write_cr(t, 0, FLASH_CR_OPTWRE, error))
		return FALSE;
	if (data->has_obl_launch) {
		glint_progress_log(
		    progress, G_LOG_LEVEL_INFO,
		    _("Option bytes programmed; reloading them (OBL_LAUNCH resets the "
		      "chip)"));
		if (!launch_reload(t, error))
			return FALSE;
		*applied = GLINT_OPTIONS_RELOADED;
		return TRUE;
	}
	f1_finish(t);
	if (data->option_load == GLINT_F1_OBL_SYSTEM_RESET) {
		/* PM0075 2.5: "the new programmed option bytes are loaded after a
		 * system reset" */
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("Option bytes programmed; resetting the chip to load them"));
		if (!glint_target_reset(t, GLINT_RESET_SOFTWARE, TRUE, error))
			return FALSE;
		*applied = GLINT_OPTIONS_RELOADED;
		return TRUE;
	}
	*applied = GLINT_OPTIONS_NEED_POWER_CYCLE;
	return TRUE;
}

static gboolean
f1_erase_times(GlintTarget *t, GlintEraseTimes *times)
{
	const GlintF1Chip *chip = glint_f1_chip(t);

	if (chip->erase_ns == 0)
		return FALSE;
	*times = (GlintEraseTimes){.source = chip->datasheet};
	times->units[0] = (GlintUnitEraseTime){t->info.geometry.largest_unit, chip->erase_ns};
	times->n_units = 1;
	times->bank_ns = chip->erase_ns;
	/* one bank after the other on the XL parts (estimate) */
	times->chip_ns = chip->erase_ns * t->info.geometry.n_banks;
	return TRUE;
}

const GlintFlashOps glint_f1_flash_ops = {
    .status_name = "FLASH_SR",
    .error_flags = FLASH_SR_ERRORS,
    .optverr_flag = 0, /* FLASH_OBR.OPTERR: the family's diagnosis names it */
    .prepare = f1_prepare,
    .finish = f1_finish,
    .erase_unit = f1_erase_unit,
    .erase_bank = f1_erase_bank,
    .mass_erase = f1_mass_erase,
    .erase_times = f1_erase_times,
    .program = f1_program,
    .read_options = f1_read_options,
    .read_status = f1_read_status,
    .write_options = f1_write_options,
    .clear_flags = f1_clear_flags,
    .describe_status = f1_describe_sr,
    .decode_error = f1_decode_error,
};

/* The loader's ERASE descriptors carry FLASH_CR bits; it picks the bank's
 * registers from the address (0x08080000 and above: bank 2 of an XL part,
 * the only parts with flash there). */
static guint32
loader_erase_unit(GlintTarget *t, const GlintFlashUnit *unit)
{
	return FLASH_CR_PER;
}

static guint32
loader_erase_bank(GlintTarget *t, guint physical)
{
	return FLASH_CR_MER;
}

static guint32
loader_erase_all(GlintTarget *t)
{
	return FLASH_CR_MER | F1_LOADER_BOTH_BANKS;
}

#include "loader/f1-loader-blob.h"

const GlintLoaderDesc glint_f1_loader = {
    .code = glint_f1_loader_blob,
    .code_size = sizeof(glint_f1_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = loader_erase_bank,
    .erase_all_arg = loader_erase_all,
    .fast_row = 0,
    /* about 0.6 us a byte on the F103RB */
    .crc_ns_per_byte = 600,
};
