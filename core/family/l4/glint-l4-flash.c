/* glint-l4-flash.c: the STM32L4 flash controller driver (RM0351 section 3).
 *
 * Unlock/lock, stale-flag clearing, page/bank/mass erase, double-word
 * programming and option-byte programming with OBL_LAUNCH. Each failure is
 * decoded from FLASH_SR into a cause and a way out. */
#define G_LOG_DOMAIN "glint-l4"

#include <string.h>

#include "glint-error.h"
#include "glint-flash-common.h"
#include "glint-i18n.h"
#include "glint-l4-regs.h"
#include "glint-l4.h"

/* Bounds on BSY polls: each poll is a USB round trip of at least 0.1 ms,
 * so these allow far more than the datasheet maxima (page erase 24.47 ms,
 * mass erase 24.59 ms, option programming plus a mass erase on RDP
 * regression) while still ending a wait on a dead chip. */
#define BSY_POLLS_PAGE 20000
#define BSY_POLLS_MASS 60000
/* Host-time bound on any single wait, whatever the transport. */
#define BSY_HOST_TIMEOUT_US (10 * G_USEC_PER_SEC)

static const GlintBitName sr_names[] = {
    {FLASH_SR_EOP, "EOP"},	 {FLASH_SR_OPERR, "OPERR"},	{FLASH_SR_PROGERR, "PROGERR"},
    {FLASH_SR_WRPERR, "WRPERR"}, {FLASH_SR_PGAERR, "PGAERR"},	{FLASH_SR_SIZERR, "SIZERR"},
    {FLASH_SR_PGSERR, "PGSERR"}, {FLASH_SR_MISERR, "MISERR"},	{FLASH_SR_FASTERR, "FASTERR"},
    {FLASH_SR_RDERR, "RDERR"},	 {FLASH_SR_OPTVERR, "OPTVERR"}, {FLASH_SR_BSY, "BSY"},
    {FLASH_SR_BSY2, "BSY2"},	 {FLASH_SR_CFGBSY, "CFGBSY"},
};

static gchar *
l4_describe_sr(guint32 sr)
{
	return glint_flash_describe_bits(sr_names, G_N_ELEMENTS(sr_names), sr);
}

static gboolean
read_sr(GlintTarget *t, guint32 *sr, GError **error)
{
	return glint_target_read32(t, glint_l4_reg(t, FLASH_L4_SR), sr, error);
}

/* BSY, and where the chip has them BSY2 (the G0B1's bank 2) and CFGBSY
 * (G0, WB, WL: RM0444 3.3.6 waits for it before the next operation) */
static gboolean
wait_not_busy(GlintTarget *t, guint max_polls, guint32 *sr, GError **error)
{
	guint32 busy = glint_l4_sr_busy(glint_l4_chip(t));
	return glint_flash_wait_clear(
	    t, glint_l4_reg(t, FLASH_L4_SR), busy, max_polls, BSY_HOST_TIMEOUT_US,
	    /* TRANSLATORS: said in "The flash controller stayed busy (%s) ..." */
	    busy == FLASH_SR_BSY ? "FLASH_SR.BSY" : _("FLASH_SR busy bits"), sr, error);
}

/* RM0444 2.5: a G0 whose flash read as erased at the last option load
 * (FLASH_ACR.EMPTY) boots its bootloader until EMPTY is cleared: once
 * main flash holds a vector table again, clear it, as the bootloader
 * itself does after programming. Returns whether it was set and stale. */
static gboolean
clear_stale_empty(GlintTarget *t, GError **error)
{
	guint32 acr = 0, first = 0;
	if (!glint_l4_chip(t)->empty_check)
		return FALSE;
	if (!glint_target_read32(t, glint_l4_reg(t, FLASH_L4_ACR), &acr, error) ||
	    !(acr & FLASH_ACR_EMPTY))
		return FALSE;
	if (!glint_target_read32(t, t->chip->flash_base, &first, error) || first == 0xFFFFFFFFu)
		return FALSE;
	return glint_target_write32(t, glint_l4_reg(t, FLASH_L4_ACR), acr & ~FLASH_ACR_EMPTY,
				    error);
}

static gboolean
l4_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	guint32 sr;
	if (!read_sr(t, &sr, error))
		return FALSE;
	if (cleared != NULL)
		*cleared = sr & FLASH_SR_ERRORS;
	if (clear_stale_empty(t, NULL))
		g_debug("FLASH_ACR.EMPTY cleared: main flash holds a vector table");
	if ((sr & (FLASH_SR_ERRORS | FLASH_SR_EOP)) == 0)
		return TRUE;
	return glint_target_write32(t, glint_l4_reg(t, FLASH_L4_SR),
				    sr & (FLASH_SR_ERRORS | FLASH_SR_EOP), error);
}

static gboolean
unlock(GlintTarget *t, gboolean options, GlintProgress *progress, GError **error)
{
	/* RM0351 3.3.5: KEYR, then (for option bytes) OPTKEYR. */
	const GlintUnlockKey keys[] = {
	    {"FLASH_KEYR", glint_l4_reg(t, FLASH_L4_KEYR), FLASH_KEY1, FLASH_KEY2,
	     glint_l4_reg(t, FLASH_L4_CR), FLASH_CR_LOCK, TRUE},
	    {"FLASH_OPTKEYR", glint_l4_reg(t, FLASH_L4_OPTKEYR), FLASH_OPTKEY1, FLASH_OPTKEY2,
	     glint_l4_reg(t, FLASH_L4_CR), FLASH_CR_OPTLOCK, TRUE},
	};
	return glint_flash_unlock(t, keys, options ? 2 : 1, progress, error);
}

static gboolean
l4_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	/* DS10198 (STM32L476xx) 6.3.10: program and erase need VDD >= 1.71 V;
	 * the supply may have sagged since connect. */
	if (!glint_flash_check_supply(t, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	/* RM0351 3.3.7: flags left by an earlier operation make the next
	 * program or erase fail with PGSERR; OPTVERR is set on fresh parts
	 * and nobody clears it. */
	if (!l4_clear_flags(t, &cleared, error))
		return FALSE;
	if (cleared != 0) {
		g_autofree gchar *names = l4_describe_sr(cleared);
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
l4_finish(GlintTarget *t)
{
	g_autoptr(GError) error_local = NULL;
	/* Clear PG/PER/MER and lock: a PG left set breaks the next page erase
	 * and a MER left set turns it into a mass erase. */
	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), FLASH_CR_LOCK, &error_local)) {
		g_debug("could not lock the flash: %s", error_local->message);
		return;
	}
	/* a G0 programmed after a power-on with its flash erased would start
	 * the bootloader at the next reset, not what was just written */
	if (clear_stale_empty(t, &error_local))
		g_debug("FLASH_ACR.EMPTY cleared after programming");
}

static void
l4_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what, GError **error)
{
	g_autofree gchar *names = l4_describe_sr(flags & FLASH_SR_ERRORS);
	GlintFlashUnit unit = {0};
	g_autofree gchar *where = NULL;

	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		where = glint_geometry_describe_unit(&t->info.geometry, &unit);
	if (flags & FLASH_SR_WRPERR) {
		glint_flash_protection_error(t, addr, what, "FLASH_SR.WRPERR", error);
	} else if (flags & FLASH_SR_PROGERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the double word there was not erased "
			      "(FLASH_SR.PROGERR); erase %s first (program without --no-erase)"),
			    what, addr, where != NULL ? where : _("its page"));
	} else if (flags & (FLASH_SR_MISERR | FLASH_SR_FASTERR)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: a fast-programming row was not completed in "
			      "time (FLASH_SR: %s); the row is left partly written. Erase and "
			      "program again"),
			    what, addr, names);
	} else if (flags & FLASH_SR_PGSERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller refused the sequence "
			      "(FLASH_SR.PGSERR: a flag from an earlier operation was set, or fast "
			      "programming of a bank not erased by a mass erase). The flags are "
			      "cleared; program again"),
			    what, addr);
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller reported %s (FLASH_SR = "
			      "0x%08X). The flags are cleared; retry, and if it persists reset the "
			      "target"),
			    what, addr, names[0] != '\0' ? names : _("an error"), flags);
	}
}

/* Turns FLASH_SR error flags after an operation on @addr into a GError. */
static gboolean
check_errors(GlintTarget *t, guint32 sr, guint32 addr, const char *what, GError **error)
{
	guint32 errors = sr & FLASH_SR_ERRORS & ~FLASH_SR_OPTVERR;

	if (errors == 0)
		return TRUE;
	/* Leave the controller clean for the next attempt. */
	glint_target_write32(t, glint_l4_reg(t, FLASH_L4_SR), errors, NULL);
	l4_decode_error(t, errors, addr, what, error);
	return FALSE;
}

/* Writes @cr, then @cr with STRT, waits and checks. */
static gboolean
start_and_wait(GlintTarget *t, guint32 cr, guint max_polls, guint32 addr, const char *what,
	       GError **error)
{
	guint32 sr;

	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), cr, error) ||
	    !glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), cr | FLASH_CR_STRT, error))
		return FALSE;
	if (!wait_not_busy(t, max_polls, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, what, error);
}

static gboolean
l4_erase_unit(GlintTarget *t, const GlintFlashUnit *unit, GError **error)
{
	/* RM0351 3.3.6: PER, PNB = page in its bank, BKER = the bank. */
	return start_and_wait(t, glint_l4_page_erase_cr(t, unit), BSY_POLLS_PAGE, unit->address,
			      _("Page erase"), error);
}

/* FLASH_CR bits that erase physical bank @physical (both on a single-bank part). */
static guint32
bank_erase_bits(GlintTarget *t, guint physical)
{
	if (t->info.geometry.n_banks == 1)
		return glint_l4_cr_mass_erase(glint_l4_chip(t));
	return physical == 0 ? FLASH_CR_MER1 : FLASH_CR_MER2;
}

static gboolean
l4_erase_bank(GlintTarget *t, guint physical, GError **error)
{
	gint bank = glint_geometry_bank_of_physical(&t->info.geometry, physical);
	guint32 addr = bank >= 0 ? t->info.geometry.banks[bank].base : t->info.geometry.base;
	return start_and_wait(t, bank_erase_bits(t, physical), BSY_POLLS_MASS, addr,
			      _("Bank erase"), error);
}

static gboolean
l4_mass_erase(GlintTarget *t, GError **error)
{
	/* MER1 alone leaves bank 2 untouched on dual-bank parts. */
	return start_and_wait(t, glint_l4_cr_mass_erase(glint_l4_chip(t)), BSY_POLLS_MASS,
			      t->info.geometry.base, _("Mass erase"), error);
}

static gboolean
l4_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	guint32 sr;

	g_return_val_if_fail(addr % 8 == 0 && len % 8 == 0, FALSE);
	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), FLASH_CR_PG, error))
		return FALSE;
	/* A flash write while BSY stalls the bus until the previous double
	 * word is done, so a block can be streamed in one transfer. */
	if (!glint_target_write(t, addr, data, len, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_PAGE, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, _("Programming"), error);
}

/* Register offsets in layout order (L4_OB_*): the RM0351 layout; the
 * single-bank RM0394 layout is its first five. */
const guint32 glint_l4_option_offsets[L4_OB_N_REGS] = {
    [L4_OB_OPTR] = FLASH_L4_OPTR,	  [L4_OB_PCROP1SR] = FLASH_L4_PCROP1SR,
    [L4_OB_PCROP1ER] = FLASH_L4_PCROP1ER, [L4_OB_WRP1AR] = FLASH_L4_WRP1AR,
    [L4_OB_WRP1BR] = FLASH_L4_WRP1BR,	  [L4_OB_PCROP2SR] = FLASH_L4_PCROP2SR,
    [L4_OB_PCROP2ER] = FLASH_L4_PCROP2ER, [L4_OB_WRP2AR] = FLASH_L4_WRP2AR,
    [L4_OB_WRP2BR] = FLASH_L4_WRP2BR,
};

/* Each run of adjacent option registers (FLASH_OPTR to WRP1BR on every
 * chip of the family) in one memory read: one probe command pair instead
 * of a command per register, at every connect. */
static gboolean
l4_read_options(GlintTarget *t, GlintOptionBytes *ob, GError **error)
{
	const guint32 *offsets = glint_l4_chip(t)->option_offsets;
	guint n = t->chip->options->n_regs;
	glint_option_bytes_init_factory(ob, t->chip->options);
	for (guint i = 0; i < n;) {
		guint run = 1;
		guint8 raw[4 * GLINT_OPTION_MAX_REGS];
		while (i + run < n && offsets[i + run] == offsets[i] + 4 * run)
			run++;
		if (run == 1) {
			if (!glint_target_read32(t, glint_l4_reg(t, offsets[i]), &ob->regs[i],
						 error))
				return FALSE;
			i++;
			continue;
		}
		if (!glint_target_read(t, glint_l4_reg(t, offsets[i]), raw, 4 * run, error))
			return FALSE;
		for (guint k = 0; k < run; k++)
			ob->regs[i + k] = raw[4 * k] | (guint32)raw[4 * k + 1] << 8 |
					  (guint32)raw[4 * k + 2] << 16 |
					  (guint32)raw[4 * k + 3] << 24;
		i += run;
	}
	return TRUE;
}

static gboolean
l4_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GlintOptionsApplied *applied, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint32 sr;

	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!l4_clear_flags(t, NULL, error))
		return FALSE;
	if (!unlock(t, TRUE, progress, error))
		return FALSE;
	/* OPTR last, as RM0351 3.4.2 lists the steps. */
	for (guint i = 1; i <= t->chip->options->n_regs; i++) {
		guint r = i % t->chip->options->n_regs;
		/* CPU2's registers (WB, WL): the chip ignores CPU1's writes */
		if (glint_l4_chip(t)->readonly_regs & (1u << r))
			continue;
		if (!glint_target_write32(t, glint_l4_reg(t, glint_l4_chip(t)->option_offsets[r]),
					  ob->regs[r], error))
			return FALSE;
	}
	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), FLASH_CR_OPTSTRT, error))
		return FALSE;
	/* An RDP regression mass-erases both banks inside this wait. */
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!check_errors(t, sr, glint_l4_chip(t)->option_base, _("Option-byte programming"),
			  error))
		return FALSE;
	glint_progress_log(
	    progress, G_LOG_LEVEL_INFO,
	    _("Option bytes programmed; reloading them (OBL_LAUNCH resets the chip)"));
	/* OBL_LAUNCH resets the chip; the probe reports a DP error for the
	 * very write that triggers it. */
	if (!glint_target_write32(t, glint_l4_reg(t, FLASH_L4_CR), FLASH_CR_OBL_LAUNCH,
				  &error_local)) {
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	*applied = GLINT_OPTIONS_RELOADED;
	return TRUE;
}

/* A page of either size takes one tERASE; a bank, or both banks at once
 * (MER1 with MER2), one tME */
static gboolean
l4_erase_times(GlintTarget *t, GlintEraseTimes *times)
{
	const GlintL4EraseTimes *ds = glint_l4_chip(t)->erase_times;
	const GlintFlashGeometry *g = &t->info.geometry;

	if (ds == NULL)
		return FALSE;
	*times = (GlintEraseTimes){.source = ds->datasheet};
	times->units[0] = (GlintUnitEraseTime){g->largest_unit, ds->page_ns};
	times->n_units = 1;
	times->bank_ns = ds->mass_ns;
	times->chip_ns = ds->mass_ns;
	return TRUE;
}

const GlintFlashOps glint_l4_flash_ops = {
    .status_name = "FLASH_SR",
    .error_flags = FLASH_SR_ERRORS,
    .optverr_flag = FLASH_SR_OPTVERR,
    .prepare = l4_prepare,
    .finish = l4_finish,
    .erase_unit = l4_erase_unit,
    .erase_bank = l4_erase_bank,
    .mass_erase = l4_mass_erase,
    .erase_times = l4_erase_times,
    .program = l4_program,
    .read_options = l4_read_options,
    .read_status = read_sr,
    .write_options = l4_write_options,
    .clear_flags = l4_clear_flags,
    .describe_status = l4_describe_sr,
    .decode_error = l4_decode_error,
};

/* The WB's CPU1 gets a bus error for a mass erase (RM0434 3.3.7): the
 * same driver without it; the jobs erase page by page and say why */
const GlintFlashOps glint_l4_no_mass_erase_flash_ops = {
    .status_name = "FLASH_SR",
    .error_flags = FLASH_SR_ERRORS,
    .optverr_flag = FLASH_SR_OPTVERR,
    .prepare = l4_prepare,
    .finish = l4_finish,
    .erase_unit = l4_erase_unit,
    /* TRANSLATORS: said after "The STM32WB5x cannot mass erase from the
     * debugger: "; "glint-cli erase ADDR SIZE" and "options show" are
     * commands and SECURE an area's name: keep them */
    .no_mass_erase_reason = N_("its CPU1 may not mass erase: the chip ignores the request "
			       "with a bus error, since CPU2's secure flash (the wireless stack) "
			       "must stay (RM0434 3.3.7). Erase the pages below CPU2's secure "
			       "flash instead (glint-cli erase ADDR SIZE; options show gives "
			       "SECURE)"),
    .program = l4_program,
    .read_options = l4_read_options,
    .read_status = read_sr,
    .write_options = l4_write_options,
    .clear_flags = l4_clear_flags,
    .describe_status = l4_describe_sr,
    .decode_error = l4_decode_error,
};

/* The loader's ERASE descriptors carry FLASH_CR bits. */
static guint32
loader_erase_unit(GlintTarget *t, const GlintFlashUnit *unit)
{
	return glint_l4_page_erase_cr(t, unit);
}

static guint32
loader_erase_all(GlintTarget *t)
{
	/* both banks in one operation (one mass-erase time, DS10198) */
	return glint_l4_cr_mass_erase(glint_l4_chip(t));
}

#include "loader/l4-loader-blob.h"

/* The same loader without fast programming, for a bank mode whose rows are
 * not the loader's 256 bytes */
static const GlintLoaderDesc l4_loader_double_words = {
    .code = glint_l4_loader_blob,
    .code_size = sizeof(glint_l4_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = bank_erase_bits,
    .erase_all_arg = loader_erase_all,
    .fast_row = 0,
    /* about 0.1 us a byte on the L476 and G474 with the clock raised */
    .crc_ns_per_byte = 150,
};

const GlintLoaderDesc *
glint_l4_loader_for(GlintTarget *t)
{
	const GlintL4Chip *data = glint_l4_chip(t);
	if (data->loader != NULL)
		return data->loader;
	if (t->info.geometry.n_banks < 2 && data->single_bank_row != 0 &&
	    data->single_bank_row != 256)
		return &l4_loader_double_words;
	return &glint_l4_loader;
}

const GlintLoaderDesc glint_l4_loader = {
    .code = glint_l4_loader_blob,
    .code_size = sizeof(glint_l4_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = bank_erase_bits,
    .erase_all_arg = loader_erase_all,
    /* RM0351 3.3.7: fast programming writes rows of 32 double words. */
    .fast_row = 256,
    /* about 0.1 us a byte on the L476 and G474 with the clock raised */
    .crc_ns_per_byte = 150,
};

#include "loader/g0-loader-blob.h"
#include "loader/wb-loader-blob.h"
#include "loader/wl-loader-blob.h"

/* RM0444 3.3.7: rows of 32 double words */
const GlintLoaderDesc glint_g0_loader = {
    .code = glint_g0_loader_blob,
    .code_size = sizeof(glint_g0_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = bank_erase_bits,
    .erase_all_arg = loader_erase_all,
    .fast_row = 256,
    /* about 0.1 us a byte on the L476 and G474 with the clock raised */
    .crc_ns_per_byte = 150,
};

/* RM0434 3.3.1: the WB's rows are 64 double words, not the loader's 32:
 * double words only; no mass erase */
const GlintLoaderDesc glint_wb_loader = {
    .code = glint_wb_loader_blob,
    .code_size = sizeof(glint_wb_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .fast_row = 0,
    /* about 0.1 us a byte on the L476 and G474 with the clock raised */
    .crc_ns_per_byte = 150,
};

/* RM0453 4.3.7: rows of 32 double words, as the L4's */
const GlintLoaderDesc glint_wl_loader = {
    .code = glint_wl_loader_blob,
    .code_size = sizeof(glint_wl_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = bank_erase_bits,
    .erase_all_arg = loader_erase_all,
    .fast_row = 256,
    /* about 0.1 us a byte on the L476 and G474 with the clock raised */
    .crc_ns_per_byte = 150,
};
