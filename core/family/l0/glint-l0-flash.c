/* glint-l0-flash.c: the STM32L0/L1 NVM interface driver (RM0367/RM0376/
 * RM0377 and RM0038, FLASH chapter).
 *
 * Three unlock stages (PEKEYR, then PRGKEYR or OPTKEYR), page erase by
 * writing a word of the page with ERASE|PROG, word programming from the
 * debugger (half-pages are the loader's: the manual wants them written by
 * code in SRAM), data EEPROM by word with the chip erasing what needs it,
 * option bytes written as value/complement words and reloaded with
 * OBL_LAUNCH, and a "mass erase" done the only way the chip has: read
 * protection up to level 1 and back to 0, which erases flash and data
 * EEPROM. Each failure is decoded from FLASH_SR into a cause and a way out. */
#define G_LOG_DOMAIN "glint-l0"

#include <string.h>

#include "glint-error.h"
#include "glint-flash-common.h"
#include "glint-i18n.h"
#include "glint-l0-regs.h"
#include "glint-l0.h"

/* Bounds on BSY polls: each poll is a USB round trip of at least 0.1 ms;
 * a word, half-page or page takes 3.2-3.9 ms (DS10152), and an RDP 1 -> 0
 * regression erases everything inside one option write. */
#define BSY_POLLS_OP 20000
#define BSY_POLLS_MASS 60000
#define BSY_HOST_TIMEOUT_US (10 * G_USEC_PER_SEC)

static const GlintBitName sr_names[] = {
    {FLASH_SR_BSY, "BSY"},
    {FLASH_SR_EOP, "EOP"},
    {FLASH_SR_ENDHV, "ENDHV"},
    {FLASH_SR_READY, "READY"},
    {FLASH_SR_WRPERR, "WRPERR"},
    {FLASH_SR_PGAERR, "PGAERR"},
    {FLASH_SR_SIZERR, "SIZERR"},
    {FLASH_SR_OPTVERR, "OPTVERR"},
    {FLASH_SR_OPTVERRUSR, "OPTVERRUSR"},
    {FLASH_SR_RDERR, "RDERR"},
    {FLASH_SR_NOTZEROERR, "NOTZEROERR"},
    {FLASH_SR_FWWERR, "FWWERR"},
};

static gchar *
l0_describe_sr(guint32 sr)
{
	return glint_flash_describe_bits(sr_names, G_N_ELEMENTS(sr_names), sr);
}

static guint32
sr_errors(GlintTarget *t)
{
	return glint_l0_chip(t)->sr_errors;
}

static gboolean
read_sr(GlintTarget *t, guint32 *sr, GError **error)
{
	return glint_target_read32(t, glint_l0_reg(t, FLASH_LX_SR), sr, error);
}

static gboolean
write_pecr(GlintTarget *t, guint32 value, GError **error)
{
	return glint_target_write32(t, glint_l0_reg(t, FLASH_LX_PECR), value, error);
}

static gboolean
wait_not_busy(GlintTarget *t, guint max_polls, guint32 *sr, GError **error)
{
	return glint_flash_wait_clear(t, glint_l0_reg(t, FLASH_LX_SR), FLASH_SR_BSY, max_polls,
				      BSY_HOST_TIMEOUT_US, "FLASH_SR.BSY", sr, error);
}

static gboolean
l0_clear_flags(GlintTarget *t, guint32 *cleared, GError **error)
{
	guint32 sr;
	if (!read_sr(t, &sr, error))
		return FALSE;
	if (cleared != NULL)
		*cleared = sr & sr_errors(t);
	if ((sr & (sr_errors(t) | FLASH_SR_EOP)) == 0)
		return TRUE;
	return glint_target_write32(t, glint_l0_reg(t, FLASH_LX_SR),
				    sr & (sr_errors(t) | FLASH_SR_EOP), error);
}

/* RM0367, FLASH chapter, unlocking: PEKEYR first (PECR and data EEPROM), then
 * PRGKEYR (program memory) or OPTKEYR (option bytes); each lock bit reads
 * 1 while locked. */
static gboolean
unlock(GlintTarget *t, gboolean options, GlintProgress *progress, GError **error)
{
	guint32 pecr = glint_l0_reg(t, FLASH_LX_PECR);
	const GlintUnlockKey keys[] = {
	    {"FLASH_PEKEYR", glint_l0_reg(t, FLASH_LX_PEKEYR), FLASH_PEKEY1, FLASH_PEKEY2, pecr,
	     FLASH_PECR_PELOCK, TRUE},
	    {"FLASH_PRGKEYR", glint_l0_reg(t, FLASH_LX_PRGKEYR), FLASH_PRGKEY1, FLASH_PRGKEY2, pecr,
	     FLASH_PECR_PRGLOCK, TRUE},
	    {"FLASH_OPTKEYR", glint_l0_reg(t, FLASH_LX_OPTKEYR), FLASH_OPTKEY1, FLASH_OPTKEY2, pecr,
	     FLASH_PECR_OPTLOCK, TRUE},
	};
	if (options) {
		const GlintUnlockKey opt_keys[] = {keys[0], keys[2]};
		return glint_flash_unlock(t, opt_keys, 2, progress, error);
	}
	return glint_flash_unlock(t, keys, 2, progress, error);
}

static gboolean
l0_prepare(GlintTarget *t, GlintProgress *progress, guint32 *stale, GError **error)
{
	guint32 sr = 0, cleared = 0;

	if (!glint_flash_check_supply(t, error))
		return FALSE;
	if (!wait_not_busy(t, BSY_POLLS_MASS, &sr, error))
		return FALSE;
	/* flags of an earlier operation would be taken for ours */
	if (!l0_clear_flags(t, &cleared, error))
		return FALSE;
	if (cleared != 0) {
		g_autofree gchar *names = l0_describe_sr(cleared);
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
l0_finish(GlintTarget *t)
{
	g_autoptr(GError) error_local = NULL;
	/* No ERASE/PROG/FPRG/DATA left for the next tool, every stage locked
	 * (PELOCK last: it can only be set once the others are). */
	if (!write_pecr(t, FLASH_PECR_PRGLOCK | FLASH_PECR_OPTLOCK, &error_local) ||
	    !write_pecr(t, FLASH_PECR_LOCKS, &error_local))
		g_debug("could not lock the NVM interface: %s", error_local->message);
}

static void
l0_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what, GError **error)
{
	g_autofree gchar *names = l0_describe_sr(flags & sr_errors(t));
	const char *manual = glint_l0_chip(t)->manual;
	GlintFlashUnit unit = {0};
	g_autofree gchar *where = NULL;

	if (glint_geometry_unit_at(&t->info.geometry, addr, &unit))
		where = glint_geometry_describe_unit(&t->info.geometry, &unit);
	if (flags & FLASH_SR_WRPERR) {
		glint_flash_protection_error(t, addr, what, "FLASH_SR.WRPERR", error);
	} else if (flags & FLASH_SR_NOTZEROERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the word there was not erased (it must read "
			      "0x00 on this chip; FLASH_SR.NOTZEROERR). Erase %s first (program "
			      "without --no-erase)"),
			    what, addr, where != NULL ? where : _("its page"));
	} else if (flags & FLASH_SR_FWWERR) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: the write was aborted because the core fetched "
		      "code from the flash bank being written (FLASH_SR.FWWERR). Half-pages "
		      "must be written by code running from SRAM (%s); halt the core or run "
		      "the writer from SRAM, then retry"),
		    what, addr, manual);
	} else if (flags & FLASH_SR_PGAERR) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("%s failed at 0x%08X: the words of a half-page did not all fall in one "
		      "half-page of %u bytes, or another flash access came in between them "
		      "(FLASH_SR.PGAERR). The flags are cleared; program again"),
		    what, addr, glint_l0_chip(t)->half_page);
	} else if (flags & FLASH_SR_SIZERR) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: program memory takes whole 32-bit words only "
			      "(FLASH_SR.SIZERR: a byte or half-word was written)"),
			    what, addr);
	} else if (flags & FLASH_SR_RDERR) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
		    _("%s failed at 0x%08X: the sector is read-protected by PCROP "
		      "(FLASH_SR.RDERR, WPRMOD = 1); only an RDP 1 -> 0 regression removes it"),
		    what, addr);
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("%s failed at 0x%08X: the NVM interface reported %s (FLASH_SR = "
			      "0x%08X). The flags are cleared; retry, and if it persists reset the "
			      "target"),
			    what, addr, names[0] != '\0' ? names : _("an error"), flags);
	}
}

/* Turns FLASH_SR error flags after an operation on @addr into a GError;
 * OPTVERR is about the option bytes, not the operation. */
static gboolean
check_errors(GlintTarget *t, guint32 sr, guint32 addr, const char *what, GError **error)
{
	guint32 errors = sr & sr_errors(t) & ~FLASH_SR_OPTION_ERRORS;

	if (errors == 0)
		return TRUE;
	glint_target_write32(t, glint_l0_reg(t, FLASH_LX_SR), errors, NULL);
	l0_decode_error(t, errors, addr, what, error);
	return FALSE;
}

static gboolean
finish_operation(GlintTarget *t, guint max_polls, guint32 addr, const char *what, GError **error)
{
	guint32 sr;
	if (!wait_not_busy(t, max_polls, &sr, error) || !write_pecr(t, 0, error))
		return FALSE;
	return check_errors(t, sr, addr, what, error);
}

/* RM0367, FLASH chapter, page erase: ERASE|PROG, then a word of 0 anywhere in the
 * page starts it. */
static gboolean
l0_erase_unit(GlintTarget *t, const GlintFlashUnit *unit, GError **error)
{
	if (!write_pecr(t, FLASH_PECR_ERASE | FLASH_PECR_PROG, error) ||
	    !glint_target_write32(t, unit->address, 0, error))
		return FALSE;
	return finish_operation(t, BSY_POLLS_OP, unit->address, _("Page erase"), error);
}

/* Words, as the debugger may write them: a store while BSY stalls the bus
 * until the previous word is done, so a block streams in one transfer. */
static gboolean
l0_program(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	g_return_val_if_fail(addr % 4 == 0 && len % 4 == 0, FALSE);
	if (!write_pecr(t, 0, error) || !glint_target_write(t, addr, data, len, error))
		return FALSE;
	return finish_operation(t, BSY_POLLS_OP, addr, _("Programming"), error);
}

/* Data EEPROM ----------------------------------------------------------------- */

static gboolean
read_words(GlintTarget *t, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	return glint_target_read(t, addr, buf, len, error);
}

/* Writes each changed word of [@first, @first + @len) (word aligned) as
 * one 32-bit store: the chip erases the word itself when it is not zero
 * (FIX = 0) and a word costs the same whatever bytes of it change. */
static gboolean
eeprom_store_words(GlintTarget *t, guint32 first, const guint8 *want, const guint8 *have, gsize len,
		   const char *what, GError **error)
{
	if (!write_pecr(t, 0, error))
		return FALSE;
	for (gsize off = 0; off < len;) {
		gsize end = off;
		if (memcmp(want + off, have + off, 4) == 0) {
			off += 4;
			continue;
		}
		while (end < len && memcmp(want + end, have + end, 4) != 0)
			end += 4;
		if (!glint_target_write(t, first + off, want + off, end - off, error) ||
		    !finish_operation(t, BSY_POLLS_OP, first + off, what, error))
			return FALSE;
		off = end;
	}
	return TRUE;
}

static gboolean
l0_region_program(GlintTarget *t, const GlintMemoryRegion *region, guint32 addr, const guint8 *data,
		  gsize len, GError **error)
{
	guint32 first = addr & ~3u;
	gsize span = ((addr + len + 3) & ~(gsize)3) - first;
	g_autofree guint8 *have = g_malloc(span);
	g_autofree guint8 *want = g_malloc(span);

	/* whole words: bytes around the ones asked for keep their value */
	if (!read_words(t, first, have, span, error))
		return FALSE;
	memcpy(want, have, span);
	memcpy(want + (addr - first), data, len);
	return eeprom_store_words(t, first, want, have, span, _("Data EEPROM write"), error);
}

/* RM0367, FLASH chapter, data EEPROM erase: ERASE|DATA and a word of 0 erase one word of data
 * EEPROM; words already at 0x00 are left alone. */
static gboolean
l0_region_erase(GlintTarget *t, const GlintMemoryRegion *region, guint32 addr, gsize len,
		GError **error)
{
	guint32 first = addr & ~3u;
	gsize span = ((addr + len + 3) & ~(gsize)3) - first;
	g_autofree guint8 *have = g_malloc(span);

	if (addr % 4 != 0 || len % 4 != 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Data EEPROM is erased by whole 32-bit words: give an address and a "
			      "size that are multiples of 4 (0x%08X, %zu bytes)"),
			    addr, len);
		return FALSE;
	}
	if (!read_words(t, first, have, span, error))
		return FALSE;
	for (gsize off = 0; off < span; off += 4) {
		static const guint8 zero[4];
		if (memcmp(have + off, zero, 4) == 0)
			continue;
		if (!write_pecr(t, FLASH_PECR_ERASE | FLASH_PECR_DATA, error) ||
		    !glint_target_write32(t, first + off, 0, error) ||
		    !finish_operation(t, BSY_POLLS_OP, first + off, _("Data EEPROM erase"), error))
			return FALSE;
	}
	return TRUE;
}

/* Option bytes ----------------------------------------------------------------- */

static guint
n_option_regs(GlintTarget *t)
{
	return t->chip->options->n_regs;
}

static gboolean
l0_read_options(GlintTarget *t, GlintOptionBytes *ob, GError **error)
{
	const GlintLxOptionReg *regs = glint_l0_chip(t)->option_regs;
	glint_option_bytes_init_factory(ob, t->chip->options);
	for (guint i = 0; i < n_option_regs(t); i++) {
		if (!glint_target_read32(t, glint_l0_reg(t, regs[i].flash_offset), &ob->regs[i],
					 error))
			return FALSE;
	}
	return TRUE;
}

/* A half-word as the chip stores it: value low, complement high. */
static guint32
option_word(guint16 value)
{
	return (guint32)value | ((guint32)(guint16)~value << 16);
}

/* Programs one option word unless it holds @word already; on an RDP 1 ->
 * 0 regression the chip erases flash and data EEPROM inside this write. */
static gboolean
write_option_word(GlintTarget *t, guint16 offset, guint32 word, guint max_polls, GError **error)
{
	guint32 addr = LX_OB_BASE + offset, have = 0, sr;

	if (!glint_target_read32(t, addr, &have, error))
		return FALSE;
	if (have == word)
		return TRUE;
	if (!glint_target_write32(t, addr, word, error) || !wait_not_busy(t, max_polls, &sr, error))
		return FALSE;
	return check_errors(t, sr, addr, _("Option-byte programming"), error);
}

static gboolean
begin_option_write(GlintTarget *t, GlintProgress *progress, GError **error)
{
	guint32 sr;
	return wait_not_busy(t, BSY_POLLS_MASS, &sr, error) && l0_clear_flags(t, NULL, error) &&
	       unlock(t, TRUE, progress, error);
}

/* Every word but the RDP one, then the RDP word: a regression erases
 * the chip only once the rest is in place. */
static gboolean
write_option_words(GlintTarget *t, const GlintOptionBytes *ob, GError **error)
{
	const GlintLxOptionReg *regs = glint_l0_chip(t)->option_regs;

	for (guint i = n_option_regs(t); i-- > 0;) {
		guint32 v = ob->regs[i];
		if (regs[i].ob_high != LX_OB_NONE &&
		    !write_option_word(t, regs[i].ob_high, option_word(v >> 16), BSY_POLLS_OP,
				       error))
			return FALSE;
		if (regs[i].ob_low != LX_OB_RDP &&
		    !write_option_word(t, regs[i].ob_low, option_word(v & 0xFFFF), BSY_POLLS_OP,
				       error))
			return FALSE;
	}
	return write_option_word(t, LX_OB_RDP, option_word(ob->regs[0] & 0xFFFF), BSY_POLLS_MASS,
				 error);
}

static gboolean
l0_write_options(GlintTarget *t, const GlintOptionBytes *ob, GlintProgress *progress,
		 GlintOptionsApplied *applied, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (!begin_option_write(t, progress, error) || !write_option_words(t, ob, error))
		return FALSE;
	glint_progress_log(
	    progress, G_LOG_LEVEL_INFO,
	    _("Option bytes programmed; reloading them (OBL_LAUNCH resets the chip)"));
	if (!glint_target_write32(t, glint_l0_reg(t, FLASH_LX_PECR), FLASH_PECR_OBL_LAUNCH,
				  &error_local) &&
	    !g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	*applied = GLINT_OPTIONS_RELOADED;
	return TRUE;
}

/* Mass erase ------------------------------------------------------------------- */

/* The RDP word with RDP @rdp and the other bits of the stored one. */
static gboolean
rdp_word(GlintTarget *t, guint8 rdp, guint32 *word, GError **error)
{
	guint32 have = 0;
	if (!glint_target_read32(t, LX_OB_BASE + LX_OB_RDP, &have, error))
		return FALSE;
	*word = option_word((guint16)((have & 0xFF00) | rdp));
	return TRUE;
}

/* The chip has no mass-erase command: an RDP 1 -> 0 regression erases
 * flash and data EEPROM (RM0367, FLASH chapter, read protection), so that is what Glint does, as
 * OpenOCD's stm32lx mass_erase does: level 1, reload, level 0, reload. */
static gboolean
l0_mass_erase(GlintTarget *t, GError **error)
{
	const GlintRdpSpec *rdp = &t->chip->options->rdp;
	guint32 word;

	if (!begin_option_write(t, NULL, error) || !rdp_word(t, rdp->level1, &word, error) ||
	    !write_option_word(t, LX_OB_RDP, word, BSY_POLLS_OP, error) ||
	    !glint_l0_obl_launch_and_halt(t, error))
		return FALSE;
	if (!begin_option_write(t, NULL, error) || !rdp_word(t, rdp->level0, &word, error) ||
	    !write_option_word(t, LX_OB_RDP, word, BSY_POLLS_MASS, error) ||
	    !glint_l0_obl_launch_and_halt(t, error))
		return FALSE;
	/* leave the interface as prepare() did */
	return unlock(t, FALSE, NULL, error);
}

/* Each of the two option reloads of a mass erase resets the chip: about
 * 2 ms each (estimate: the datasheets give no figure) */
#define LX_OBL_RELOAD_NS G_GINT64_CONSTANT(2000000)
/* The option-word writes of a mass erase: level 1 (2 tprog), level 0 (2
 * tprog) and the regression's erase of everything (3 tprog, estimate) */
#define LX_MASS_ERASE_TPROGS 7

static gboolean
l0_erase_times(GlintTarget *t, GlintEraseTimes *times)
{
	const GlintL0Chip *chip = glint_l0_chip(t);

	*times = (GlintEraseTimes){.source = chip->datasheet};
	times->units[0] = (GlintUnitEraseTime){chip->page_size, chip->tprog_ns};
	times->n_units = 1;
	times->chip_ns = LX_MASS_ERASE_TPROGS * chip->tprog_ns + 2 * LX_OBL_RELOAD_NS;
	times->chip_erase_resets = TRUE;
	times->chip_erase_clears_regions = TRUE;
	return TRUE;
}

const GlintFlashOps glint_l0_flash_ops = {
    .status_name = "FLASH_SR",
    .error_flags = FLASH_SR_L0_ERRORS | FLASH_SR_L1_ERRORS,
    .optverr_flag = FLASH_SR_OPTVERR,
    .prepare = l0_prepare,
    .finish = l0_finish,
    .erase_unit = l0_erase_unit,
    .erase_bank = NULL,
    .mass_erase = l0_mass_erase,
    .erase_times = l0_erase_times,
    .mass_erase_how =
	N_("The STM32L0/L1 has no mass-erase command: Glint raises read protection "
	   "to level 1 and lowers it to 0 again, which makes the chip erase its flash "
	   "and its data EEPROM (the option bytes stay)"),
    .program = l0_program,
    .read_options = l0_read_options,
    .read_status = read_sr,
    .write_options = l0_write_options,
    .clear_flags = l0_clear_flags,
    .describe_status = l0_describe_sr,
    .decode_error = l0_decode_error,
    .region_program = l0_region_program,
    .region_erase = l0_region_erase,
};

/* The loader -------------------------------------------------------------------- */

/* The loader's ERASE descriptors carry the FLASH_PECR bits of a page erase;
 * it writes the zero word into the page itself. */
static guint32
loader_erase_unit(GlintTarget *t, const GlintFlashUnit *unit)
{
	return FLASH_PECR_ERASE | FLASH_PECR_PROG;
}

#include "loader/l0-loader-blob.h"

const GlintLoaderDesc glint_l0_loader = {
    .code = glint_l0_loader_blob,
    .code_size = sizeof(glint_l0_loader_blob),
    .erase_unit_arg = loader_erase_unit,
    /* at HSI16, which it raises the clock to for long CRCs (l0-loader.S):
     * about 120 ns a byte on the L073, 175 on the L152 (1.2 and 1.5 us at
     * the reset MSI, where it stays when the firmware set another clock) */
    .crc_ns_per_byte = 180,
};
