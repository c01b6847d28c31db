/* glint-h7-flash.c: the STM32H7 flash controller driver (RM0433 section 4,
 * RM0455 section 4, RM0468 section 4).
 *
 * Two register sets, one per physical bank (FLASH_CR1/SR1 at 0x52002000,
 * FLASH_CR2/SR2 at +0x100), each with its own lock. Programming is in whole
 * flash words (32 bytes, 16 on the H7A3/H7B0/H7B3) gathered in a write
 * buffer; a flash word carries ECC, so it is written once between erases:
 * this driver refuses a word that is not erased rather than letting the
 * chip turn it into a double ECC error. Erase by sector (SER), by bank (BER)
 * or both banks (FLASH_OPTCR.MER). Option bytes through the *_PRG registers
 * and OPTSTART, in effect at once (SWAP_BANK and RDP after a reset, which
 * this driver does). */
#define G_LOG_DOMAIN "glint-h7"

#include <string.h>

#include "glint-error.h"
#include "glint-flash-common.h"
#include "glint-h7-regs.h"
#include "glint-h7.h"
#include "glint-i18n.h"

/* Bounds on QW/BSY polls: each poll is a USB round trip of at least
 * 0.1 ms. DS12110 table 53 gives a 128 KB sector erase up to 4 s at x8 and
 * a bank erase up to 16 s; a mass erase through an RDP regression is the
 * longest wait. */
#define BUSY_POLLS_SECTOR 60000
#define BUSY_POLLS_BANK 200000
#define BUSY_HOST_TIMEOUT_US (40 * G_USEC_PER_SEC)

/* Both are busy flags: the write queue (QW) holds a word waiting to be
 * programmed, BSY the operation itself. */
#define FLASH_SR_BUSY (FLASH_SR_BSY | FLASH_SR_QW)

static const GlintBitName status_names[] = {
    {H7_FLAG(FLASH_SR_EOP), "EOP1"},
    {H7_FLAG(FLASH_SR_WRPERR), "WRPERR1"},
    {H7_FLAG(FLASH_SR_PGSERR), "PGSERR1"},
    {H7_FLAG(FLASH_SR_STRBERR), "STRBERR1"},
    {H7_FLAG(FLASH_SR_INCERR), "INCERR1"},
    {H7_FLAG(FLASH_SR_OPERR), "OPERR1"},
    {H7_FLAG(FLASH_SR_RDPERR), "RDPERR1"},
    {H7_FLAG(FLASH_SR_RDSERR), "RDSERR1"},
    {H7_FLAG(FLASH_SR_SNECCERR), "SNECCERR1"},
    {H7_FLAG(FLASH_SR_DBECCERR), "DBECCERR1"},
    {H7_FLAG(FLASH_SR_CRCEND), "CRCEND1"},
    {H7_FLAG(FLASH_SR_CRCRDERR), "CRCRDERR1"},
    {FLASH_SR_EOP, "EOP2"},
    {FLASH_SR_WRPERR, "WRPERR2"},
    {FLASH_SR_PGSERR, "PGSERR2"},
    {FLASH_SR_STRBERR, "STRBERR2"},
    {FLASH_SR_INCERR, "INCERR2"},
    {FLASH_SR_OPERR, "OPERR2"},
    {FLASH_SR_RDPERR, "RDPERR2"},
    {FLASH_SR_RDSERR, "RDSERR2"},
    {FLASH_SR_SNECCERR, "SNECCERR2"},
    {FLASH_SR_DBECCERR, "DBECCERR2"},
    {FLASH_SR_CRCEND, "CRCEND2"},
    {FLASH_SR_CRCRDERR, "CRCRDERR2"},
};

/* The error flags of both banks in Glint's status word. */
#define H7_STATUS_ERRORS(sr_errors) H7_STATUS((sr_errors), (sr_errors))
#define H7_ALL_SR_ERRORS                                                                           \
	(FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | FLASH_SR_INCERR | FLASH_SR_OPERR | \
	 FLASH_SR_RDPERR | FLASH_SR_RDSERR | FLASH_SR_SNECCERR | FLASH_SR_DBECCERR |               \
	 FLASH_SR_CRCRDERR)

static gchar *
h7_describe_status(guint32 status)
{
	return glint_flash_describe_bits(status_names, G_N_ELEMENTS(status_names), status);
}

static guint
n_banks(GlintTarget *t)
{
	return glint_h7_dual(t) ? 2 : 1;
}

static gboolean
read_sr(GlintTarget *t, guint physical, guint32 *sr, GError **error)
{
	return glint_target_read32(t, glint_h7_reg(t, physical, FLASH_H7_SR), sr, error);
}

static gboolean
h7_read_status(GlintTarget *t, guint32 *status, GError **error)
{
	guint32 sr1 = 0, sr2 = 0;
	const GlintH7Chip *data = glint_h7_chip(t);
	if (!read_sr(t, 0, &sr1, error))
		return FALSE;
	if (!data->always_single && t->info.flash_kb > data->single_bank_kb &&
	    !read_sr(t, 1, &sr2, error))
		return FALSE;
	*status = H7_STATUS(sr1, sr2);
	return TRUE;
}

static gboolean
wait_idle(GlintTarget *t, guint physical, guint max_polls, guint32 *sr, GError **error)
{
	return glint_flash_wait_clear(t, glint_h7_reg(t, physical, FLASH_H7_SR), FLASH_SR_BUSY,
				      max_polls, BUSY_HOST_TIMEOUT_US,
				      physical == 0 ? "FLASH_SR1.QW1/BSY1" : "FLASH_SR2.QW2/BSY2",
				      sr, error);
}

/* Clears the flags of one bank through FLASH_CCRx (the SR is read only). */
static gboolean
clear_bank_flags(GlintTarget *t, guint physical, guint32 *cleared, GError **error)
{
	guint32 sr;
	if (!read_sr(t, physical, &sr, error))
		return FALSE;
	*cleared = sr & glint_h7_chip(t)->sr_errors;
	if ((sr & FLASH_SR_FLAGS_MASK) == 0)
		return TRUE;
	return glint_target_write32(t, glint_h7_reg(t, physical, FLASH_H7_CCR),
				    sr & FLASH_SR_FLAGS_MASK, error);
}

static gboolean
h7_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	guint32 c[2] = {0, 0};
	for (guint b = 0; b < n_banks(t); b++) {
		if (!clear_bank_flags(t, b, &c[b], error))
			return FALSE;
	}
	if (cleared != NULL)
		*cleared = H7_STATUS(c[0], c[1]);
	return TRUE;
}

static gboolean
unlock_banks(GlintTarget *t, GlintProgress *progress, GError **error)
{
	/* RM0433 4.5.1: each bank's FLASH_CRx has its own key register */
	const GlintUnlockKey keys[] = {
	    {"FLASH_KEYR1", glint_h7_reg(t, 0, FLASH_H7_KEYR), FLASH_KEY1, FLASH_KEY2,
	     glint_h7_reg(t, 0, FLASH_H7_CR), FLASH_CR_LOCK, TRUE},
	    {"FLASH_KEYR2", glint_h7_reg(t, 1, FLASH_H7_KEYR), FLASH_KEY1, FLASH_KEY2,
	     glint_h7_reg(t, 1, FLASH_H7_CR), FLASH_CR_LOCK, TRUE},
	};
	return glint_flash_unlock(t, keys, n_banks(t), progress, error);
}

static gboolean
unlock_options(GlintTarget *t, GlintProgress *progress, GError **error)
{
	const GlintUnlockKey key = {"FLASH_OPTKEYR",
				    glint_h7_reg(t, 0, FLASH_H7_OPTKEYR),
				    FLASH_OPTKEY1,
				    FLASH_OPTKEY2,
				    glint_h7_reg(t, 0, FLASH_H7_OPTCR),
				    FLASH_OPTCR_OPTLOCK,
				    TRUE};
	return glint_flash_unlock(t, &key, 1, progress, error);
}

static void
lock_options(GlintTarget *t)
{
	guint32 optcr = 0;
	if (glint_target_read32(t, glint_h7_reg(t, 0, FLASH_H7_OPTCR), &optcr, NULL))
		glint_target_write32(t, glint_h7_reg(t, 0, FLASH_H7_OPTCR),
				     (optcr & ~FLASH_OPTCR_OPTSTART) | FLASH_OPTCR_OPTLOCK, NULL);
}

static gboolean
h7_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	/* DS12110 6.3.1: the flash works down to 1.62 V; the supply may have
	 * sagged since connect. */
	if (!glint_flash_check_supply(t, error))
		return FALSE;
	for (guint b = 0; b < n_banks(t); b++) {
		if (!wait_idle(t, b, BUSY_POLLS_BANK, &sr, error))
			return FALSE;
	}
	/* RM0433 4.3.9: a flag left by an earlier operation does not block the
	 * next one, but it would be read as this job's failure. */
	if (!h7_clear_flags(t, &cleared, error))
		return FALSE;
	if (cleared != 0) {
		g_autofree gchar *names = h7_describe_status(cleared);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("Cleared stale FLASH_SR1/SR2 error flags left by an earlier "
				     "operation: %s"),
				   names);
	}
	if (stale != NULL)
		*stale = cleared;
	return unlock_banks(t, progress, error);
}

static void
h7_finish(GlintTarget *t)
{
	for (guint b = 0; b < n_banks(t); b++) {
		g_autoptr(GError) error_local = NULL;
		/* Clear PG/SER/BER and lock: a PG left set turns the firmware's
		 * next flash store into a program operation. */
		if (!glint_target_write32(t, glint_h7_reg(t, b, FLASH_H7_CR), FLASH_CR_LOCK,
					  &error_local))
			g_debug("could not lock bank %u: %s", b + 1, error_local->message);
	}
}

/* The physical bank and register-name digit holding @addr. */
static guint
physical_of(GlintTarget *t, guint32 addr)
{
	GlintFlashUnit unit;
	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		return unit.physical;
	return 0;
}

static void
set_ecc_error(GlintTarget *t, guint physical, guint32 addr, const char *what, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 bad = addr;
	GlintFlashUnit unit;
	g_autofree gchar *where = NULL;

	glint_h7_ecc_fail_address(t, physical, &bad, NULL);
	if (glint_geometry_unit_at(g, bad, &unit))
		where = glint_geometry_describe_unit(g, &unit);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: the flash word at 0x%08X has a double ECC error "
		      "(FLASH_SR%u.DBECCERR%u): it was programmed twice without an erase, so it "
		      "cannot be read. Erase %s and program it again"),
		    what, addr, bad, physical + 1, physical + 1,
		    where != NULL ? where : _("its sector"));
}

static void
h7_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what, GError **error)
{
	guint physical = physical_of(t, addr);
	/* a loader reports one bank's flags in bits 12:0; the status word
	 * carries bank 2's in bits 28:16 */
	guint32 f = (flags | flags >> H7_STATUS_BANK2_SHIFT) & H7_STATUS_BANK_MASK;
	guint n = physical + 1;
	g_autofree gchar *where = NULL;
	GlintFlashUnit unit;

	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		where = glint_geometry_describe_unit(&t->info.geometry, &unit);
	if (flags & H7_LOADER_NOT_ERASED) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED,
		    _("%s refused at 0x%08X: the flash word there is already programmed; a "
		      "second write without an erase would corrupt its ECC (RM0433 4.4), so "
		      "nothing was written there. Erase %s first (program without "
		      "--no-erase)"),
		    what, addr, where != NULL ? where : _("its sector"));
	} else if (f & H7_FLAG(FLASH_SR_WRPERR)) {
		g_autofree gchar *flag = g_strdup_printf("FLASH_SR%u.WRPERR%u", n, n);
		glint_flash_protection_error(t, addr, what, flag, error);
	} else if (f & H7_FLAG(FLASH_SR_RDPERR | FLASH_SR_RDSERR)) {
		g_autofree gchar *flag = g_strdup_printf(
		    "FLASH_SR%u.%s%u", n, f & H7_FLAG(FLASH_SR_RDPERR) ? "RDPERR" : "RDSERR", n);
		glint_flash_protection_error(t, addr, what, flag, error);
	} else if (f & H7_FLAG(FLASH_SR_DBECCERR)) {
		set_ecc_error(t, physical, addr, what, error);
	} else if (f & H7_FLAG(FLASH_SR_INCERR)) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: a flash word was left incomplete when the next "
		      "one began (FLASH_SR%u.INCERR%u); it may be half written. Erase %s and "
		      "program again"),
		    what, addr, n, n, where != NULL ? where : _("its sector"));
	} else if (f & H7_FLAG(FLASH_SR_STRBERR)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: a byte of the flash word was written twice "
			      "before it was programmed (FLASH_SR%u.STRBERR%u). Erase %s and "
			      "program again"),
			    what, addr, n, n, where != NULL ? where : _("its sector"));
	} else if (f & H7_FLAG(FLASH_SR_PGSERR)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the flash controller refused the sequence "
			      "(FLASH_SR%u.PGSERR%u: a write without PG, or an erase started while "
			      "a word waited in the write buffer). The flags are cleared; program "
			      "again"),
			    what, addr, n, n);
	} else {
		g_autofree gchar *names = h7_describe_status(f << (physical ? 16 : 0));
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: the flash controller reported %s. The flags are "
		      "cleared; retry, and if it persists reset the target"),
		    what, addr, names[0] != '\0' ? names : _("an error"));
	}
}

/* RM0433 4.7: a debugger read of a word whose ECC fails (DBECCERR, the
 * word in FLASH_ECC_FAxR) or of a PCROP/secure area (RDPERR/RDSERR) is a
 * bus error; the flags say which. */
static gboolean
h7_explain_read_fault(GlintTarget *t, guint32 addr, gsize len, GError **error)
{
	g_autofree gchar *what = g_strdup_printf(_("Reading %zu bytes at 0x%08X"), len, addr);
	for (guint b = 0; b < n_banks(t); b++) {
		guint32 sr = 0, bad = 0;
		GlintFlashUnit unit;
		if (!read_sr(t, b, &sr, NULL))
			return FALSE;
		if (sr & FLASH_SR_DBECCERR) {
			if (!glint_h7_ecc_fail_address(t, b, &bad, NULL) ||
			    !glint_geometry_unit_at(&t->info.geometry, bad, &unit))
				continue;
			set_ecc_error(t, b, bad, what, error);
			return TRUE;
		}
		if (sr & (FLASH_SR_RDPERR | FLASH_SR_RDSERR)) {
			g_autofree gchar *flag =
			    g_strdup_printf("FLASH_SR%u.%s%u", b + 1,
					    sr & FLASH_SR_RDPERR ? "RDPERR" : "RDSERR", b + 1);
			glint_target_write32(t, glint_h7_reg(t, b, FLASH_H7_CCR),
					     sr & (FLASH_SR_RDPERR | FLASH_SR_RDSERR), NULL);
			glint_flash_protection_error(t, addr, what, flag, error);
			return TRUE;
		}
	}
	return FALSE;
}

/* Turns the flags of bank @physical after an operation on @addr into a
 * GError, and clears them. */
static gboolean
check_errors(GlintTarget *t, guint physical, guint32 sr, guint32 addr, const char *what,
	     GError **error)
{
	guint32 errors = sr & glint_h7_chip(t)->sr_errors & ~FLASH_SR_SNECCERR;
	if (errors == 0)
		return TRUE;
	glint_target_write32(t, glint_h7_reg(t, physical, FLASH_H7_CCR), sr & FLASH_SR_FLAGS_MASK,
			     NULL);
	h7_decode_error(t, errors >> FLASH_SR_FLAGS_SHIFT, addr, what, error);
	return FALSE;
}

/* Writes @cr, then @cr with START, waits for the bank and checks it. */
static gboolean
start_and_wait(GlintTarget *t, guint physical, guint32 cr, guint max_polls, guint32 addr,
	       const char *what, GError **error)
{
	guint32 reg = glint_h7_reg(t, physical, FLASH_H7_CR);
	guint32 sr;
	if (!glint_target_write32(t, reg, cr, error) ||
	    !glint_target_write32(t, reg, cr | glint_h7_chip(t)->cr_start, error))
		return FALSE;
	if (!wait_idle(t, physical, max_polls, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, reg, 0, error))
		return FALSE;
	return check_errors(t, physical, sr, addr, what, error);
}

static guint32
sector_erase_cr(const GlintH7Chip *data, guint in_bank)
{
	/* RM0433 4.3.10: SER, SNB = sector in its bank, PSIZE for the erase
	 * parallelism (x64, as for programming) */
	return FLASH_CR_SER | data->cr_psize |
	       ((in_bank << data->cr_snb_shift) & data->cr_snb_mask);
}

static gboolean
h7_erase_unit(GlintTarget *t, const GlintFlashUnit *unit, GError **error)
{
	return start_and_wait(t, unit->physical, sector_erase_cr(glint_h7_chip(t), unit->in_bank),
			      BUSY_POLLS_SECTOR, unit->address, _("Sector erase"), error);
}

static gboolean
h7_erase_bank(GlintTarget *t, guint physical, GError **error)
{
	gint bank = glint_geometry_bank_of_physical(&t->info.geometry, physical);
	guint32 addr = bank >= 0 ? t->info.geometry.banks[bank].base : t->info.geometry.base;
	/* RM0433 4.3.10: BER erases the bank that FLASH_CRx belongs to */
	return start_and_wait(t, physical, FLASH_CR_BER | glint_h7_chip(t)->cr_psize,
			      BUSY_POLLS_BANK, addr, _("Bank erase"), error);
}

static gboolean
h7_mass_erase(GlintTarget *t, GError **error)
{
	guint32 reg = glint_h7_reg(t, 0, FLASH_H7_OPTCR);
	guint32 optcr = 0, sr[2] = {0, 0};
	gboolean ok;

	/* RM0433 4.3.10: FLASH_OPTCR.MER erases both banks at once; it needs
	 * OPTCR and both FLASH_CRx unlocked (prepare did the latter). */
	if (!unlock_options(t, NULL, error))
		return FALSE;
	ok = glint_target_read32(t, reg, &optcr, error) &&
	     glint_target_write32(t, reg, optcr | FLASH_OPTCR_MER, error);
	for (guint b = 0; ok && b < n_banks(t); b++)
		ok = wait_idle(t, b, BUSY_POLLS_BANK, &sr[b], error);
	lock_options(t);
	if (!ok)
		return FALSE;
	for (guint b = 0; b < n_banks(t); b++) {
		gint bank = glint_geometry_bank_of_physical(&t->info.geometry, b);
		if (!check_errors(t, b, sr[b], bank >= 0 ? t->info.geometry.banks[bank].base : 0,
				  _("Mass erase"), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
is_erased(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/* RM0433 4.3.9 and 4.4: ECC covers a whole flash word, so a word is written
 * once after an erase; a second write leaves an ECC that no longer matches
 * and every later read of the word fails. The chip does not refuse it, so
 * Glint looks first. */
static gboolean
check_words_erased(GlintTarget *t, guint32 addr, gsize len, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree guint8 *have = g_malloc(len);
	if (!glint_target_read(t, addr, have, len, error))
		return FALSE;
	for (gsize off = 0; off < len; off += g->program_unit) {
		GlintFlashUnit unit;
		g_autofree gchar *where = NULL;
		if (is_erased(have + off, g->program_unit))
			continue;
		if (glint_geometry_unit_at(g, addr + (guint32)off, &unit))
			where = glint_geometry_describe_unit(g, &unit);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED,
			    _("The flash word at 0x%08X is already programmed; a second write "
			      "without an erase would corrupt its ECC (RM0433 4.4), so nothing was "
			      "written. Erase %s first (program without --no-erase)"),
			    addr + (guint32)off, where != NULL ? where : _("its sector"));
		return FALSE;
	}
	return TRUE;
}

/* How many bytes of the last flash word of @data carry something other
 * than the erased value, rounded up to 32-bit writes. */
static gsize
last_word_used(const guint8 *word, gsize word_size)
{
	gsize used = word_size;
	while (used >= 4 && is_erased(word + used - 4, 4))
		used -= 4;
	return used;
}

/* Programs whole flash words of one bank. The last word, when its tail is
 * all erased bytes, is written only up to its data and completed with FW
 * (force write: the hardware programs the missing bytes as ones, RM0433
 * 4.3.9), as the manual does for a partial word. */
static gboolean
program_bank(GlintTarget *t, guint physical, guint32 addr, const guint8 *data, gsize len,
	     GError **error)
{
	const GlintH7Chip *d = glint_h7_chip(t);
	guint32 cr_reg = glint_h7_reg(t, physical, FLASH_H7_CR);
	gsize word = d->word_size;
	gsize body = len - word;
	gsize used = last_word_used(data + body, word);
	guint32 sr;

	if (!check_words_erased(t, addr, len, error))
		return FALSE;
	if (!glint_target_write32(t, cr_reg, FLASH_CR_PG | d->cr_psize, error))
		return FALSE;
	/* A write to a full write queue stalls the bus until the word ahead
	 * is programmed, so a block streams in one transfer. */
	if (body > 0 && !glint_target_write(t, addr, data, body, error))
		return FALSE;
	if (used > 0 && !glint_target_write(t, addr + (guint32)body, data + body, used, error))
		return FALSE;
	if (used > 0 && used < word &&
	    !glint_target_write32(t, cr_reg, FLASH_CR_PG | d->cr_psize | d->cr_fw, error))
		return FALSE;
	if (!wait_idle(t, physical, BUSY_POLLS_SECTOR, &sr, error))
		return FALSE;
	if (!glint_target_write32(t, cr_reg, 0, error))
		return FALSE;
	return check_errors(t, physical, sr, addr, _("Programming"), error);
}

static gboolean
h7_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;

	g_return_val_if_fail(addr % g->program_unit == 0 && len % g->program_unit == 0, FALSE);
	while (len > 0) {
		GlintFlashUnit unit;
		gint bank;
		gsize n;
		if (!glint_geometry_unit_at(g, addr, &unit)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("0x%08X is not in the flash of the %s"), addr, t->chip->name);
			return FALSE;
		}
		/* a block never crosses a bank: each has its own FLASH_CRx */
		bank = (gint)unit.bank;
		n = MIN(len, (gsize)(g->banks[bank].base + g->banks[bank].size - addr));
		if (!program_bank(t, unit.physical, addr, data, n, error))
			return FALSE;
		addr += (guint32)n;
		data += n;
		len -= n;
	}
	return TRUE;
}

/* Option bytes ------------------------------------------------------------------ */

static gboolean
h7_read_options(GlintTarget *t, GlintOptionBytes *ob, GError **error)
{
	const GlintH7Chip *data = glint_h7_chip(t);
	const GlintOptionLayout *layout = t->chip->options;
	guint32 optcr = 0;

	glint_option_bytes_init_factory(ob, layout);
	for (guint i = 0; i < layout->n_regs; i++) {
		const GlintH7OptionReg *r = &data->option_regs[i];
		if (!glint_target_read32(t, glint_h7_reg(t, r->bank, r->cur), &ob->regs[i], error))
			return FALSE;
	}
	/* OPT_BUSY and OPTCHANGEERR are status, not option bytes */
	ob->regs[H7_OB_OPTSR] &= ~FLASH_OPTSR_STATUS;
	if (data->always_single)
		return TRUE;
	if (!glint_target_read32(t, glint_h7_reg(t, 0, FLASH_H7_OPTCR), &optcr, error))
		return FALSE;
	ob->regs[H7_OB_SWAP_IN_EFFECT] = (optcr & FLASH_OPTCR_SWAP_BANK) ? 1 : 0;
	return TRUE;
}

static gboolean
wait_options(GlintTarget *t, guint32 *optsr, GError **error)
{
	return glint_flash_wait_clear(t, glint_h7_reg(t, 0, FLASH_H7_OPTSR_CUR),
				      FLASH_OPTSR_OPT_BUSY, BUSY_POLLS_BANK, BUSY_HOST_TIMEOUT_US,
				      "FLASH_OPTSR_CUR.OPT_BUSY", optsr, error);
}

/* Writes the *_PRG registers that differ from what is in effect (as
 * stlink and OpenOCD do), and returns whether anything changed. */
static gboolean
write_prg_registers(GlintTarget *t, const GlintOptionBytes *ob, gboolean *changed, GError **error)
{
	const GlintH7Chip *data = glint_h7_chip(t);
	const GlintOptionLayout *layout = t->chip->options;
	*changed = FALSE;
	for (guint i = 0; i < layout->n_regs; i++) {
		const GlintH7OptionReg *r = &data->option_regs[i];
		guint32 cur = 0;
		guint32 mask = i == H7_OB_OPTSR ? ~FLASH_OPTSR_STATUS : ~0u;
		if (!glint_target_read32(t, glint_h7_reg(t, r->bank, r->cur), &cur, error))
			return FALSE;
		if (((cur ^ ob->regs[i]) & mask) == 0)
			continue;
		if (!glint_target_write32(t,
					  glint_h7_reg(t, r->bank, r->cur + FLASH_H7_PRG_FROM_CUR),
					  ob->regs[i] & mask, error))
			return FALSE;
		*changed = TRUE;
	}
	return TRUE;
}

static gboolean
start_option_change(GlintTarget *t, GError **error)
{
	guint32 optcr = 0, optsr = 0;
	guint32 optcr_reg = glint_h7_reg(t, 0, FLASH_H7_OPTCR);

	/* RM0433 4.4.3: clear OPTCHANGEERR, OPTSTART, wait for OPT_BUSY */
	if (!glint_target_write32(t, glint_h7_reg(t, 0, FLASH_H7_OPTCCR),
				  FLASH_OPTCCR_CLR_OPTCHANGEERR, error) ||
	    !glint_target_read32(t, optcr_reg, &optcr, error) ||
	    !glint_target_write32(t, optcr_reg, optcr | FLASH_OPTCR_OPTSTART, error) ||
	    !wait_options(t, &optsr, error))
		return FALSE;
	if (optsr & FLASH_OPTSR_OPTCHANGEERR) {
		glint_target_write32(t, glint_h7_reg(t, 0, FLASH_H7_OPTCCR),
				     FLASH_OPTCCR_CLR_OPTCHANGEERR, NULL);
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
		    _("The chip refused the option-byte change "
		      "(FLASH_OPTSR_CUR.OPTCHANGEERR): a protection area that can only grow "
		      "was shrunk, SECURITY was cleared, or RDP level 2 is set. The option "
		      "bytes in effect are unchanged"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
h7_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GlintOptionsApplied *applied, GError **error)
{
	const GlintOptionBytes *old = &t->info.options;
	guint32 optsr = 0;
	gboolean changed = FALSE, ok;
	/* SWAP_BANK_OPT changes the mapping only at the next reset (RM0433
	 * 4.3.13); a new RDP level is best met by a fresh connection */
	gboolean needs_reset = ((old->regs[H7_OB_OPTSR] ^ ob->regs[H7_OB_OPTSR]) &
				(FLASH_OPTSR_SWAP_BANK_OPT | FLASH_OPTSR_RDP_MASK)) != 0;

	if (!wait_options(t, &optsr, error) || !unlock_options(t, progress, error))
		return FALSE;
	ok = write_prg_registers(t, ob, &changed, error) &&
	     (!changed || start_option_change(t, error));
	lock_options(t);
	if (!ok)
		return FALSE;
	if (!needs_reset) {
		*applied = GLINT_OPTIONS_APPLIED;
		return TRUE;
	}
	glint_progress_log(
	    progress, G_LOG_LEVEL_INFO, _("Option bytes programmed; resetting the chip so that %s"),
	    (old->regs[H7_OB_OPTSR] ^ ob->regs[H7_OB_OPTSR]) & FLASH_OPTSR_SWAP_BANK_OPT
		? _("the bank swap takes effect")
		: _("the new read protection takes effect"));
	if (!glint_target_reset(t, t->connect_options.reset_mode, TRUE, error))
		return FALSE;
	*applied = GLINT_OPTIONS_RELOADED;
	return TRUE;
}

const GlintFlashOps glint_h7_flash_ops = {
    .status_name = "FLASH_SR1/SR2",
    .error_flags = H7_STATUS_ERRORS(H7_ALL_SR_ERRORS),
    .optverr_flag = 0,
    .prepare = h7_prepare,
    .finish = h7_finish,
    .erase_unit = h7_erase_unit,
    .erase_bank = h7_erase_bank,
    .mass_erase = h7_mass_erase,
    .program = h7_program,
    .read_options = h7_read_options,
    .read_status = h7_read_status,
    .write_options = h7_write_options,
    .clear_flags = h7_clear_flags,
    .describe_status = h7_describe_status,
    .decode_error = h7_decode_error,
    .explain_read_fault = h7_explain_read_fault,
};

/* The loader's ERASE descriptors: FLASH_CRx bits, with the physical bank
 * in bit 31 (no FLASH_CRx bit there on any H7) and both banks at once in
 * bit 30 (BER on CR1 and CR2 together: the banks erase in parallel). */
#define LOADER_ERASE_BANK2 (1u << 31)
#define LOADER_ERASE_BOTH (1u << 30)

static guint32
loader_erase_unit(GlintTarget *t, const GlintFlashUnit *unit)
{
	guint32 cr = sector_erase_cr(glint_h7_chip(t), unit->in_bank);
	return unit->physical > 0 ? cr | LOADER_ERASE_BANK2 : cr;
}

static guint32
loader_erase_bank(GlintTarget *t, guint physical)
{
	guint32 cr = FLASH_CR_BER | glint_h7_chip(t)->cr_psize;
	return physical > 0 ? cr | LOADER_ERASE_BANK2 : cr;
}

static guint32
loader_erase_all(GlintTarget *t)
{
	return FLASH_CR_BER | glint_h7_chip(t)->cr_psize | LOADER_ERASE_BOTH;
}

#include "loader/h7-loader-blob.h"

const GlintLoaderDesc glint_h7_loader = {
    .code = glint_h7_loader_blob,
    .code_size = sizeof(glint_h7_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    .erase_bank_arg = loader_erase_bank,
    .erase_all_arg = loader_erase_all,
    .fast_row = 0,
    /* DS12110: a bank erase takes up to 16 s at x8 (5 s typical at x64);
     * an STLINK-V3 polls every 125 us, so without this the host would take
     * the loader for stuck 2.5 s into a bank erase */
    .longest_op_ms = 16000,
    /* RM0433 4.3.2 / RM0455 4.3.2: each bank has its own write buffer and
     * QW/BSY; the loader keeps both busy (LOADER_OP_PROGRAM_PAIR) */
    .parallel_banks = TRUE,
};
