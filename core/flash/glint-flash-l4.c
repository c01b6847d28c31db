/* glint-flash-l4.c: the STM32L4 flash controller driver (RM0351 section 3).
 *
 * Unlock/lock, stale-flag clearing, page/bank/mass erase, double-word
 * programming and option-byte programming with OBL_LAUNCH. Each failure is
 * decoded from FLASH_SR into a cause and a way out. */
#define G_LOG_DOMAIN "glint-flash-l4"

#include "glint-flash-l4-regs.h"
#include "glint-target.h"

#include <string.h>

#include "glint-error.h"
#include "glint-stlink.h"

/* Bounds on BSY polls: each poll is a USB round trip of at least 0.1 ms,
 * so these allow far more than the datasheet maxima (page erase 24.47 ms,
 * mass erase 24.59 ms, option programming plus a mass erase on RDP
 * regression) while still ending a wait on a dead chip. */
#define BSY_POLLS_PAGE 20000
#define BSY_POLLS_MASS 60000
/* Host-time bound on any single wait, whatever the transport. */
#define BSY_HOST_TIMEOUT_US (10 * G_USEC_PER_SEC)

static guint32
reg(GlintTarget *t, guint32 offset)
{
	return t->chip->flash_regs + offset;
}

static const struct {
	guint32 bit;
	const char *name;
} sr_names[] = {
    {FLASH_SR_EOP, "EOP"},	 {FLASH_SR_OPERR, "OPERR"},	{FLASH_SR_PROGERR, "PROGERR"},
    {FLASH_SR_WRPERR, "WRPERR"}, {FLASH_SR_PGAERR, "PGAERR"},	{FLASH_SR_SIZERR, "SIZERR"},
    {FLASH_SR_PGSERR, "PGSERR"}, {FLASH_SR_MISERR, "MISERR"},	{FLASH_SR_FASTERR, "FASTERR"},
    {FLASH_SR_RDERR, "RDERR"},	 {FLASH_SR_OPTVERR, "OPTVERR"}, {FLASH_SR_BSY, "BSY"},
};

static gchar *
l4_describe_sr(guint32 sr)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(sr_names); i++) {
		if ((sr & sr_names[i].bit) == 0)
			continue;
		if (s->len > 0)
			g_string_append(s, ", ");
		g_string_append(s, sr_names[i].name);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gboolean
read_sr(GlintTarget *t, guint32 *sr, GError **error)
{
	return glint_target_read32(t, reg(t, FLASH_L4_SR), sr, error);
}

static gboolean
wait_not_busy(GlintTarget *t, guint max_polls, guint32 *sr, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + BSY_HOST_TIMEOUT_US;
	for (guint i = 0; i < max_polls; i++) {
		if (!read_sr(t, sr, error))
			return FALSE;
		if ((*sr & FLASH_SR_BSY) == 0)
			return TRUE;
		if (g_get_monotonic_time() > deadline)
			break;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
		    "The flash controller stayed busy (FLASH_SR.BSY) past every datasheet limit; "
		    "the chip may be unpowered or held in reset. Power-cycle the board and retry");
	return FALSE;
}

static gboolean
l4_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	guint32 sr;
	if (!read_sr(t, &sr, error))
		return FALSE;
	if (cleared != NULL)
		*cleared = sr & FLASH_SR_ERRORS;
	if ((sr & (FLASH_SR_ERRORS | FLASH_SR_EOP)) == 0)
		return TRUE;
	return glint_target_write32(t, reg(t, FLASH_L4_SR), sr & (FLASH_SR_ERRORS | FLASH_SR_EOP),
				    error);
}

/* Writes one unlock key. RM0351 3.3.5: a key out of sequence (after an
 * earlier unlock was cut between its two keys, say) is answered with a bus
 * error and locks the register until the next system reset; @key_locked
 * tells the caller that this, not a missing address, is what happened. */
static gboolean
write_key(GlintTarget *t, guint32 offset, const char *name, guint32 key, gboolean *key_locked,
	  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (glint_target_write32(t, reg(t, offset), key, &error_local))
		return TRUE;
	if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	*key_locked = TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    "The flash controller refused the %s unlock key with a bus error: a key "
		    "sequence was interrupted earlier (for instance by a lost connection), and "
		    "%s stays locked until the next reset. Reset the target, then retry",
		    name, name);
	return FALSE;
}

/* Unlocks with @keyr's two keys unless @lock_bit is already clear. */
static gboolean
unlock_with(GlintTarget *t, guint32 lock_bit, guint32 keyr, const char *name, guint32 key1,
	    guint32 key2, gboolean *key_locked, GError **error)
{
	guint32 cr;

	/* A key written while already unlocked locks the controller until the
	 * next reset, so look before knocking. */
	if (!glint_target_read32(t, reg(t, FLASH_L4_CR), &cr, error))
		return FALSE;
	if ((cr & lock_bit) == 0)
		return TRUE;
	if (!write_key(t, keyr, name, key1, key_locked, error) ||
	    !write_key(t, keyr, name, key2, key_locked, error))
		return FALSE;
	if (!glint_target_read32(t, reg(t, FLASH_L4_CR), &cr, error))
		return FALSE;
	if (cr & lock_bit) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    "The flash controller stayed locked after the %s keys (FLASH_CR = "
			    "0x%08X): a wrong key was written earlier and the register is locked "
			    "until the next reset. Reset the target and retry",
			    name, cr);
		return FALSE;
	}
	return TRUE;
}

/* Unlocks FLASH_CR (and, with @options, the option bytes). A key lock left
 * by an interrupted earlier session only clears at a system reset: do one,
 * with the core held halted at the reset vector so no firmware runs, and try
 * once more. Nothing is lost: the job is about to erase or program anyway. */
static gboolean
unlock_flash(GlintTarget *t, gboolean options, GlintProgress *progress, GError **error)
{
	for (guint attempt = 0;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		gboolean key_locked = FALSE;
		if (unlock_with(t, FLASH_CR_LOCK, FLASH_L4_KEYR, "FLASH_KEYR", FLASH_KEY1,
				FLASH_KEY2, &key_locked, &error_local) &&
		    (!options ||
		     unlock_with(t, FLASH_CR_OPTLOCK, FLASH_L4_OPTKEYR, "FLASH_OPTKEYR",
				 FLASH_OPTKEY1, FLASH_OPTKEY2, &key_locked, &error_local)))
			return TRUE;
		if (!key_locked || attempt > 0) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   "The flash unlock keys were locked by an unlock sequence cut "
				   "short earlier; resetting the target (core halted) to release "
				   "them");
		if (!glint_target_reset(t, t->connect_options.reset_mode, TRUE, error))
			return FALSE;
	}
}

/* DS10198 (STM32L476xx) 6.3.10: flash program and erase need VDD of at
 * least 1.71 V. Below it the chip is at or under its brown-out reset. */
#define L4_FLASH_MIN_PROGRAM_VOLTS 1.71
/* Below this the target is unpowered rather than weak (glint-target.c). */
#define L4_TARGET_PRESENT_VOLTS 1.0

/* The supply may have sagged since connect (a battery, a bench supply
 * turned down): measure it before erasing or programming anything. */
static gboolean
check_program_voltage(GlintTarget *t, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gdouble volts = 0;

	if (!glint_stlink_get_target_voltage(t->stlink, &volts, &error_local)) {
		/* V1 firmware cannot measure: nothing to check against. */
		if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	t->info.voltage = volts;
	if (volts >= L4_FLASH_MIN_PROGRAM_VOLTS)
		return TRUE;
	/* Next to nothing: the board lost power, as at connect. */
	g_set_error(error, GLINT_ERROR,
		    volts < L4_TARGET_PRESENT_VOLTS ? GLINT_ERROR_NO_TARGET : GLINT_ERROR_FLASH,
		    "The target supply reads %.2f V, below the %.2f V the %s flash needs to "
		    "erase or program. Nothing was changed on the chip; check the board's power "
		    "supply (or battery) and retry",
		    volts, L4_FLASH_MIN_PROGRAM_VOLTS, t->chip->name);
	return FALSE;
}

static gboolean
l4_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	if (!check_program_voltage(t, error))
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
				   "Cleared stale FLASH_SR error flags left by an earlier "
				   "operation: %s",
				   names);
	}
	if (stale != NULL)
		*stale = cleared;
	return unlock_flash(t, FALSE, progress, error);
}

static void
l4_finish(GlintTarget *t)
{
	g_autoptr(GError) error_local = NULL;
	/* Clear PG/PER/MER and lock: a PG left set breaks the next page erase
	 * and a MER left set turns it into a mass erase. */
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), FLASH_CR_LOCK, &error_local))
		g_debug("could not lock the flash: %s", error_local->message);
}

/* Turns FLASH_SR error flags after an operation on @addr into a GError. */
static gboolean
check_errors(GlintTarget *t, guint32 sr, guint32 addr, const char *what, GError **error)
{
	g_autofree gchar *names = NULL;
	guint32 errors = sr & FLASH_SR_ERRORS & ~FLASH_SR_OPTVERR;
	guint bank = 0, page = 0;

	if (errors == 0)
		return TRUE;
	names = l4_describe_sr(errors);
	/* Leave the controller clean for the next attempt. */
	glint_target_write32(t, reg(t, FLASH_L4_SR), errors, NULL);
	glint_geometry_locate(&t->info.geometry, addr, &bank, &page);

	if (errors & FLASH_SR_WRPERR) {
		gint area = glint_option_bytes_wrp_covering(&t->info.options, bank, page);
		if (t->info.rdp_level > 0) {
			glint_target_set_read_protected_error(t, error);
			return FALSE;
		}
		if (area >= 0) {
			guint first, last;
			glint_option_bytes_get_wrp(&t->info.options, area, &first, &last);
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
				    "%s failed at 0x%08X: pages %u-%u of bank %u are "
				    "write-protected by %s (FLASH_SR.WRPERR); clear it in the "
				    "option bytes (%s=off)",
				    what, addr, first, last, bank + 1, glint_wrp_area_name(area),
				    glint_wrp_area_name(area));
		} else {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
				    "%s failed at 0x%08X: page %u of bank %u is protected "
				    "(FLASH_SR.WRPERR: a WRP or PCROP area covers it); check the "
				    "option bytes",
				    what, addr, page, bank + 1);
		}
		return FALSE;
	}
	if (errors & FLASH_SR_PROGERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    "%s failed at 0x%08X: the double word there was not erased "
			    "(FLASH_SR.PROGERR); erase page %u of bank %u first",
			    what, addr, page, bank + 1);
		return FALSE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    "%s failed at 0x%08X: the flash controller reported %s (FLASH_SR = 0x%08X). "
		    "The flags are cleared; retry, and if it persists reset the target",
		    what, addr, names, sr);
	return FALSE;
}

static gboolean
l4_erase_page(GlintTarget *t, guint bank, guint page, GError **error)
{
	guint32 cr = FLASH_CR_PER | ((page << FLASH_CR_PNB_SHIFT) & FLASH_CR_PNB_MASK);
	guint32 sr;
	guint32 addr = glint_geometry_page_address(&t->info.geometry, bank, page);

	if (bank > 0)
		cr |= FLASH_CR_BKER;
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), cr, error) ||
	    !glint_target_write32(t, reg(t, FLASH_L4_CR), cr | FLASH_CR_STRT, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_PAGE, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, "Page erase", error);
}

static gboolean
erase_with(GlintTarget *t, guint32 cr, guint32 addr, GError **error)
{
	guint32 sr;

	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), cr, error) ||
	    !glint_target_write32(t, reg(t, FLASH_L4_CR), cr | FLASH_CR_STRT, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, "Bank erase", error);
}

static gboolean
l4_mass_erase(GlintTarget *t, GError **error)
{
	/* MER1 alone leaves bank 2 untouched on dual-bank parts. */
	return erase_with(t, FLASH_CR_MER1 | FLASH_CR_MER2, t->info.geometry.base, error);
}

static gboolean
l4_erase_bank(GlintTarget *t, guint bank, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 cr;

	if (g->n_banks == 1)
		cr = FLASH_CR_MER1 | FLASH_CR_MER2;
	else
		cr = bank == 0 ? FLASH_CR_MER1 : FLASH_CR_MER2;
	return erase_with(t, cr, glint_geometry_page_address(g, bank, 0), error);
}

static gboolean
l4_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	guint32 sr;

	g_return_val_if_fail(addr % 8 == 0 && len % 8 == 0, FALSE);
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), FLASH_CR_PG, error))
		return FALSE;
	/* A flash write while BSY stalls the bus until the previous double
	 * word is done, so a block can be streamed in one transfer. */
	if (!glint_target_write(t, addr, data, len, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_PAGE, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, "Programming", error);
}

static gboolean
l4_read_options(GlintTarget *t, GlintOptionBytes *ob, guint32 *sr, GError **error)
{
	struct {
		guint32 offset;
		guint32 *dst;
	} regs[] = {
	    {FLASH_L4_OPTR, &ob->optr},		{FLASH_L4_PCROP1SR, &ob->pcrop1sr},
	    {FLASH_L4_PCROP1ER, &ob->pcrop1er}, {FLASH_L4_WRP1AR, &ob->wrp1ar},
	    {FLASH_L4_WRP1BR, &ob->wrp1br},	{FLASH_L4_PCROP2SR, &ob->pcrop2sr},
	    {FLASH_L4_PCROP2ER, &ob->pcrop2er}, {FLASH_L4_WRP2AR, &ob->wrp2ar},
	    {FLASH_L4_WRP2BR, &ob->wrp2br},
	};
	for (guint i = 0; i < G_N_ELEMENTS(regs); i++) {
		if (!glint_target_read32(t, reg(t, regs[i].offset), regs[i].dst, error))
			return FALSE;
	}
	return sr == NULL || read_sr(t, sr, error);
}

static gboolean
write_option_registers(GlintTarget *t, const GlintOptionBytes *ob, GError **error)
{
	struct {
		guint32 offset;
		guint32 value;
	} regs[] = {
	    {FLASH_L4_PCROP1SR, ob->pcrop1sr}, {FLASH_L4_PCROP1ER, ob->pcrop1er},
	    {FLASH_L4_WRP1AR, ob->wrp1ar},     {FLASH_L4_WRP1BR, ob->wrp1br},
	    {FLASH_L4_PCROP2SR, ob->pcrop2sr}, {FLASH_L4_PCROP2ER, ob->pcrop2er},
	    {FLASH_L4_WRP2AR, ob->wrp2ar},     {FLASH_L4_WRP2BR, ob->wrp2br},
	    {FLASH_L4_OPTR, ob->optr},
	};
	for (guint i = 0; i < G_N_ELEMENTS(regs); i++) {
		if (!glint_target_write32(t, reg(t, regs[i].offset), regs[i].value, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
l4_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint32 sr;

	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!l4_clear_flags(t, NULL, error))
		return FALSE;
	if (!unlock_flash(t, TRUE, progress, error))
		return FALSE;
	if (!write_option_registers(t, ob, error))
		return FALSE;
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), FLASH_CR_OPTSTRT, error))
		return FALSE;
	/* An RDP regression mass-erases both banks inside this wait. */
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!check_errors(t, sr, t->chip->option_base, "Option-byte programming", error))
		return FALSE;
	glint_progress_log(progress, G_LOG_LEVEL_INFO,
			   "Option bytes programmed; reloading them (OBL_LAUNCH resets the chip)");
	/* OBL_LAUNCH resets the chip; the probe reports a DP error for the
	 * very write that triggers it. */
	if (!glint_target_write32(t, reg(t, FLASH_L4_CR), FLASH_CR_OBL_LAUNCH, &error_local)) {
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	return TRUE;
}

const GlintFlashDriver glint_flash_l4 = {
    .prepare = l4_prepare,
    .finish = l4_finish,
    .erase_page = l4_erase_page,
    .mass_erase = l4_mass_erase,
    .erase_bank = l4_erase_bank,
    .program = l4_program,
    .read_options = l4_read_options,
    .write_options = l4_write_options,
    .clear_flags = l4_clear_flags,
    .describe_sr = l4_describe_sr,
    .program_granule = 8,
    .error_flags = FLASH_SR_ERRORS,
    .optverr_flag = FLASH_SR_OPTVERR,
};
