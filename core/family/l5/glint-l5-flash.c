/* glint-l5-flash.c: the STM32L5/U5 flash driver (RM0438 chapter 6, RM0456
 * chapter 7), on the non-secure side.
 *
 * Glint debugs as a non-secure master: it unlocks FLASH_NSKEYR, programs
 * through FLASH_NSCR (double words on the L5, quad words on the U5), reads
 * FLASH_NSSR, and writes the option bytes through the non-secure option
 * registers with OPTSTRT and OBL_LAUNCH (RM0438 6.4.2). With TrustZone on,
 * the secure pages are refused before anything reaches the chip (the
 * jobs' protection checks, from the watermark areas: the chip itself
 * would read them as zeros and ignore the rest). */
#define G_LOG_DOMAIN "glint-l5"

#include <string.h>

#include "glint-error.h"
#include "glint-flash-common.h"
#include "glint-i18n.h"
#include "glint-l5-regs.h"
#include "glint-l5.h"

/* Bounds on BSY polls (each poll is a USB round trip of at least 0.1 ms):
 * far more than the datasheet maxima of a page or bank erase, or an option
 * change with a regression's erase, while still ending a wait on a dead
 * chip. */
#define BSY_POLLS_PAGE 20000
#define BSY_POLLS_MASS 60000
#define BSY_HOST_TIMEOUT_US (10 * G_USEC_PER_SEC)

static const GlintBitName sr_names[] = {
    {FLASH_SR_EOP, "EOP"},	     {FLASH_SR_OPERR, "OPERR"},	    {FLASH_SR_PROGERR, "PROGERR"},
    {FLASH_SR_WRPERR, "WRPERR"},     {FLASH_SR_PGAERR, "PGAERR"},   {FLASH_SR_SIZERR, "SIZERR"},
    {FLASH_SR_PGSERR, "PGSERR"},     {FLASH_SR_OPTWERR, "OPTWERR"}, {FLASH_SR_OPTVERR, "OPTVERR"},
    {FLASH_SR_BSY, "BSY"},	     {FLASH_SR_WDW, "WDW"},	    {FLASH_SR_OEM1LOCK, "OEM1LOCK"},
    {FLASH_SR_OEM2LOCK, "OEM2LOCK"},
};

static gchar *
l5_describe_sr(guint32 sr)
{
	return glint_flash_describe_bits(sr_names, G_N_ELEMENTS(sr_names), sr);
}

static gboolean
read_sr(GlintTarget *t, guint32 *sr, GError **error)
{
	return glint_target_read32(t, glint_l5_reg(FLASH_L5_NSSR), sr, error);
}

static gboolean
wait_not_busy(GlintTarget *t, guint max_polls, guint32 *sr, GError **error)
{
	return glint_flash_wait_clear(t, glint_l5_reg(FLASH_L5_NSSR), FLASH_SR_BSY, max_polls,
				      BSY_HOST_TIMEOUT_US, "FLASH_NSSR.BSY", sr, error);
}

static gboolean
l5_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	guint32 sr;
	if (!read_sr(t, &sr, error))
		return FALSE;
	if (cleared != NULL)
		*cleared = sr & FLASH_SR_ERRORS;
	if ((sr & (FLASH_SR_ERRORS | FLASH_SR_EOP)) == 0)
		return TRUE;
	return glint_target_write32(t, glint_l5_reg(FLASH_L5_NSSR),
				    sr & (FLASH_SR_ERRORS | FLASH_SR_EOP), error);
}

static gboolean
unlock(GlintTarget *t, gboolean options, GlintProgress *progress, GError **error)
{
	/* RM0438 6.3.5: NSKEYR, then (for option bytes) OPTKEYR */
	const GlintUnlockKey keys[] = {
	    {"FLASH_NSKEYR", glint_l5_reg(FLASH_L5_NSKEYR), FLASH_KEY1, FLASH_KEY2,
	     glint_l5_reg(FLASH_L5_NSCR), FLASH_CR_LOCK, TRUE},
	    {"FLASH_OPTKEYR", glint_l5_reg(FLASH_L5_OPTKEYR), FLASH_OPTKEY1, FLASH_OPTKEY2,
	     glint_l5_reg(FLASH_L5_NSCR), FLASH_CR_OPTLOCK, TRUE},
	};
	return glint_flash_unlock(t, keys, options ? 2 : 1, progress, error);
}

static gboolean
l5_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	/* DS12736 / DS13737 6.3.10: program and erase need VDD >= 1.71 V */
	if (!glint_flash_check_supply(t, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	/* RM0438 6.3.7: flags left by an earlier operation make the next one
	 * fail with PGSERR */
	if (!l5_clear_flags(t, &cleared, error))
		return FALSE;
	if (cleared != 0) {
		g_autofree gchar *names = l5_describe_sr(cleared);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("Cleared stale FLASH_NSSR error flags left by an earlier "
				     "operation: %s"),
				   names);
	}
	if (stale != NULL)
		*stale = cleared;
	return unlock(t, FALSE, progress, error);
}

static void
l5_finish(GlintTarget *t)
{
	g_autoptr(GError) error_local = NULL;
	/* Clear PG/PER/MER and lock: a PG left set breaks the next page erase
	 * and a MER left set turns it into a bank erase */
	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), FLASH_CR_LOCK, &error_local))
		g_debug("could not lock the flash: %s", error_local->message);
}

static void
l5_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what, GError **error)
{
	g_autofree gchar *names = l5_describe_sr(flags & FLASH_SR_ERRORS);
	const GlintProtectionArea *area = NULL;
	GlintFlashUnit unit = {0};
	g_autofree gchar *where = NULL;

	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		where = glint_geometry_describe_unit(&t->info.geometry, &unit);
	if ((flags & FLASH_SR_WRPERR) && glint_l5_tzen(&t->info.options) &&
	    !glint_l5_secure_range(t, addr, 1, &area) &&
	    glint_option_bytes_protecting_range(&t->info.options, &t->info.geometry, addr, 1,
						GLINT_PROTECT_WRP) == NULL) {
		/* TrustZone on, and no option byte protects the page: the secure
		 * firmware made it secure at run time (FLASH_SECBBxRy) */
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    _("%s failed at 0x%08X: %s is secure (FLASH_NSSR.WRPERR). No option "
			      "byte makes it so: the secure firmware marked it secure at run time "
			      "(FLASH_SECBBxRy). Reset the chip with the core halted (connect "
			      "under reset), which clears those marks, then retry"),
			    what, addr, where != NULL ? where : _("the page"));
	} else if (flags & FLASH_SR_WRPERR) {
		glint_flash_protection_error(t, addr, what, "FLASH_NSSR.WRPERR", error);
	} else if (flags & FLASH_SR_PROGERR) {
		/* ECC: a unit is written once per erase (RM0438 6.3.7) */
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED,
			    _("%s failed at 0x%08X: the %s there was not erased "
			      "(FLASH_NSSR.PROGERR) and the chip wrote nothing there; erase %s "
			      "first (program without --no-erase)"),
			    what, addr,
			    t->info.geometry.program_unit == 16 ? _("quad word") : _("double word"),
			    where != NULL ? where : _("its page"));
	} else if (flags & FLASH_SR_OPTWERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
			    _("%s: the chip refused the option bytes as they were written "
			      "(FLASH_NSSR.OPTWERR): a combination %s does not allow (TZEN, RDP, "
			      "BOOT_LOCK or a locked WRP area). Nothing changed on the chip"),
			    what, glint_l5_chip(t)->rm);
	} else if (flags & FLASH_SR_PGSERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller refused the sequence "
			      "(FLASH_NSSR.PGSERR: a flag from an earlier operation was set). The "
			      "flags are cleared; program again"),
			    what, addr);
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller reported %s (FLASH_NSSR = "
			      "0x%08X). The flags are cleared; retry, and if it persists reset the "
			      "target"),
			    what, addr, names[0] != '\0' ? names : _("an error"), flags);
	}
}

/* Turns FLASH_NSSR error flags after an operation on @addr into a GError. */
static gboolean
check_errors(GlintTarget *t, guint32 sr, guint32 addr, const char *what, GError **error)
{
	guint32 errors = sr & FLASH_SR_ERRORS & ~FLASH_SR_OPTVERR;

	if (errors == 0)
		return TRUE;
	/* leave the controller clean for the next attempt */
	glint_target_write32(t, glint_l5_reg(FLASH_L5_NSSR), errors, NULL);
	l5_decode_error(t, errors, addr, what, error);
	return FALSE;
}

/* Writes @cr, then @cr with STRT, waits and checks. */
static gboolean
start_and_wait(GlintTarget *t, guint32 cr, guint max_polls, guint32 addr, const char *what,
	       GError **error)
{
	guint32 sr;

	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), cr, error) ||
	    !glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), cr | FLASH_CR_STRT, error))
		return FALSE;
	if (!wait_not_busy(t, max_polls, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, what, error);
}

static guint32
erase_unit_bits(const GlintFlashUnit *unit)
{
	/* RM0438 6.3.6: PER, PNB = page in its bank, BKER = the physical bank */
	guint32 cr = FLASH_CR_PER | ((unit->in_bank << FLASH_CR_PNB_SHIFT) & FLASH_CR_PNB_MASK);
	return unit->physical > 0 ? cr | FLASH_CR_BKER : cr;
}

static gboolean
l5_erase_unit(GlintTarget *t, const GlintFlashUnit *unit, GError **error)
{
	return start_and_wait(t, erase_unit_bits(unit), BSY_POLLS_PAGE, unit->address,
			      _("Page erase"), error);
}

/* FLASH_NSCR bits that erase physical bank @physical (the whole flash on a
 * single-bank part: MER1) */
static guint32
bank_erase_bits(GlintTarget *t, guint physical)
{
	if (t->info.geometry.n_banks == 1)
		return FLASH_CR_MER1;
	return physical == 0 ? FLASH_CR_MER1 : FLASH_CR_MER2;
}

static gboolean
l5_erase_bank(GlintTarget *t, guint physical, GError **error)
{
	gint bank = glint_geometry_bank_of_physical(&t->info.geometry, physical);
	guint32 addr = bank >= 0 ? t->info.geometry.banks[bank].base : t->info.geometry.base;
	return start_and_wait(t, bank_erase_bits(t, physical), BSY_POLLS_MASS, addr,
			      _("Bank erase"), error);
}

static guint32
mass_erase_bits(GlintTarget *t)
{
	/* RM0438 6.3.6: both banks at once; MER1 alone on one bank */
	return t->info.geometry.n_banks > 1 ? FLASH_CR_MER1 | FLASH_CR_MER2 : FLASH_CR_MER1;
}

static gboolean
l5_mass_erase(GlintTarget *t, GError **error)
{
	return start_and_wait(t, mass_erase_bits(t), BSY_POLLS_MASS, t->info.geometry.base,
			      _("Mass erase"), error);
}

static gboolean
l5_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	guint32 unit = t->info.geometry.program_unit;
	guint32 sr;

	g_return_val_if_fail(addr % unit == 0 && len % unit == 0, FALSE);
	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), FLASH_CR_PG, error))
		return FALSE;
	/* A flash write while BSY stalls the bus until the previous unit is
	 * done (RM0438 6.3.7), so a block streams in one transfer of words */
	if (!glint_target_write(t, addr, data, len, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_PAGE, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), 0, error))
		return FALSE;
	return check_errors(t, sr, addr, _("Programming"), error);
}

/* Register offsets in layout order (L5_OB_*) */
static const guint32 option_offsets[L5_OB_N_REGS] = {
    [L5_OB_OPTR] = FLASH_L5_OPTR,
    [L5_OB_NSBOOTADD0R] = FLASH_L5_NSBOOTADD0R,
    [L5_OB_NSBOOTADD1R] = FLASH_L5_NSBOOTADD1R,
    [L5_OB_SECBOOTADD0R] = FLASH_L5_SECBOOTADD0R,
    [L5_OB_SECWM1R1] = FLASH_L5_SECWM1R1,
    [L5_OB_SECWM1R2] = FLASH_L5_SECWM1R2,
    [L5_OB_WRP1AR] = FLASH_L5_WRP1AR,
    [L5_OB_WRP1BR] = FLASH_L5_WRP1BR,
    [L5_OB_SECWM2R1] = FLASH_L5_SECWM2R1,
    [L5_OB_SECWM2R2] = FLASH_L5_SECWM2R2,
    [L5_OB_WRP2AR] = FLASH_L5_WRP2AR,
    [L5_OB_WRP2BR] = FLASH_L5_WRP2BR,
};

static gboolean
l5_read_options(GlintTarget *t, GlintOptionBytes *ob, GError **error)
{
	glint_option_bytes_init_factory(ob, t->chip->options);
	for (guint i = 0; i < t->chip->options->n_regs; i++) {
		if (!glint_target_read32(t, glint_l5_reg(option_offsets[i]), &ob->regs[i], error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
l5_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GlintOptionsApplied *applied, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint32 sr;

	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!l5_clear_flags(t, NULL, error))
		return FALSE;
	if (!unlock(t, TRUE, progress, error))
		return FALSE;
	/* OPTR last, as RM0438 6.4.2 lists the steps; every option register
	 * goes through the non-secure side (OpenOCD does the same) */
	for (guint i = 1; i <= t->chip->options->n_regs; i++) {
		guint r = i % t->chip->options->n_regs;
		if (!glint_target_write32(t, glint_l5_reg(option_offsets[r]), ob->regs[r], error))
			return FALSE;
	}
	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), FLASH_CR_OPTSTRT, error))
		return FALSE;
	/* an RDP regression erases the flash inside this wait */
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	if (!check_errors(t, sr, t->info.geometry.base, _("Option-byte programming"), error)) {
		glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR),
				     FLASH_CR_LOCK | FLASH_CR_OPTLOCK, NULL);
		return FALSE;
	}
	glint_progress_log(
	    progress, G_LOG_LEVEL_INFO,
	    _("Option bytes programmed; reloading them (OBL_LAUNCH resets the chip)"));
	/* OBL_LAUNCH resets the chip; the probe reports a DP error for the
	 * very write that triggers it */
	if (!glint_target_write32(t, glint_l5_reg(FLASH_L5_NSCR), FLASH_CR_OBL_LAUNCH,
				  &error_local)) {
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	*applied = GLINT_OPTIONS_RELOADED;
	return TRUE;
}

const GlintFlashOps glint_l5_flash_ops = {
    .status_name = "FLASH_NSSR",
    .error_flags = FLASH_SR_ERRORS,
    .optverr_flag = FLASH_SR_OPTVERR,
    .prepare = l5_prepare,
    .finish = l5_finish,
    .erase_unit = l5_erase_unit,
    .erase_bank = l5_erase_bank,
    .mass_erase = l5_mass_erase,
    .program = l5_program,
    .read_options = l5_read_options,
    .read_status = read_sr,
    .write_options = l5_write_options,
    .clear_flags = l5_clear_flags,
    .describe_status = l5_describe_sr,
    .decode_error = l5_decode_error,
};

/* The loader's ERASE descriptors carry FLASH_NSCR bits */
static guint32
loader_erase_unit(GlintTarget *t, const GlintFlashUnit *unit)
{
	return erase_unit_bits(unit);
}

#include "loader/l5-loader-blob.h"

const GlintLoaderDesc glint_l5_loader = {
    .code = glint_l5_loader_blob,
    .code_size = sizeof(glint_l5_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = bank_erase_bits,
    .erase_all_arg = mass_erase_bits,
    /* no fast programming on the L5/U5 (RM0438 6.3.7, RM0456 7.3.7) */
    .fast_row = 0,
};

/* With TrustZone on, the core may be in secure state, the SRAM the loader
 * would use secure, and the debugger non-secure (RDP 0.5): where the
 * loader could run depends on the firmware's SAU and GTZC set-up. Glint
 * then programs directly through FLASH_NSCR. */
const GlintLoaderDesc *
glint_l5_loader_for(GlintTarget *t)
{
	return glint_l5_tzen(&t->info.options) ? NULL : &glint_l5_loader;
}
