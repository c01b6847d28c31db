/* glint-job-memory.c: the jobs behind the memory editor: write or fill
 * memory anywhere the chip lists a writable region (SRAM, peripherals,
 * main flash through the family's driver), program the OTP area once, and
 * the blank check the erase dialog shows. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-i18n.h"
#include "glint-job-private.h"

#include <string.h>

/* Reads in chunks this big (as glint-job-flash.c): smooth progress, prompt
 * cancellation. */
#define READ_CHUNK (16 * 1024)
/* Byte accesses go in pieces the probe takes in one command (ST-LINK/V2:
 * 64 bytes per WRITEMEM_8BIT). */
#define BYTE_WRITE_CHUNK 64
/* The largest fill or write the editor accepts: more is certainly a typo. */
#define WRITE_MAX (16 * 1024 * 1024)

/* Regions -------------------------------------------------------------------- */

/* The region of @chip holding all of [@addr, @addr + @len), or NULL. */
static const GlintMemoryRegion *
region_holding(const GlintChip *chip, guint32 addr, guint64 len)
{
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (addr >= r->base && (guint64)addr + len <= (guint64)r->base + r->size)
			return r;
	}
	return NULL;
}

const GlintMemoryRegion *
glint_target_info_otp_region(const GlintTargetInfo *info, GError **error)
{
	for (guint i = 0; info != NULL && info->chip != NULL && i < info->chip->n_regions; i++) {
		if (info->chip->regions[i].kind == GLINT_REGION_OTP)
			return &info->chip->regions[i];
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("The %s (%s family) has no one-time-programmable (OTP) area"),
		    info != NULL && info->chip != NULL ? info->chip->name : _("connected chip"),
		    info != NULL && info->chip != NULL ? info->chip->family->name : _("unknown"));
	return NULL;
}

gboolean
glint_target_info_otp_span(const GlintTargetInfo *info, guint32 address, guint32 size,
			   guint32 *start, guint32 *length, GError **error)
{
	const GlintMemoryRegion *otp = glint_target_info_otp_region(info, error);
	guint32 unit, first, end;

	if (otp == NULL)
		return FALSE;
	if (size == 0 || address < otp->base ||
	    (guint64)address + size > (guint64)otp->base + otp->size) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X-0x%08" PRIX64 " is not inside the OTP area of the "
			      "%s (0x%08X-0x%08X)"),
			    address, (guint64)address + MAX(size, 1) - 1, info->chip->name,
			    otp->base, otp->base + otp->size - 1);
		return FALSE;
	}
	unit = MAX(info->geometry.program_unit, 1);
	first = address - (address - otp->base) % unit;
	end = address + size;
	end += (unit - (end - otp->base) % unit) % unit;
	*start = first;
	*length = end - first;
	return TRUE;
}

/* Plain memory -------------------------------------------------------------- */

/* SRAM and peripherals: an aligned word run as 32-bit accesses (what most
 * peripheral registers need), anything else byte by byte. */
static gboolean
write_plain(GlintTarget *t, guint32 addr, const guint8 *data, gsize len, GError **error)
{
	if (addr % 4 == 0 && len % 4 == 0)
		return glint_target_write(t, addr, data, len, error);
	for (gsize off = 0; off < len; off += BYTE_WRITE_CHUNK) {
		gsize n = MIN(BYTE_WRITE_CHUNK, len - off);
		if (!glint_stlink_write_mem8(t->stlink, addr + off, data + off, n, error))
			return FALSE;
	}
	return TRUE;
}

/* Flash ---------------------------------------------------------------------- */

static gboolean
is_erased(const guint8 *p, gsize len, guint8 erased)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != erased)
			return FALSE;
	}
	return TRUE;
}

static gboolean
read_span(GlintTarget *t, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	for (gsize off = 0; off < len; off += READ_CHUNK) {
		if (!glint_target_read(t, addr + off, buf + off, MIN(READ_CHUNK, len - off), error))
			return FALSE;
	}
	return TRUE;
}

/* Programs the programming units of [@addr, @addr + @len) whose @want
 * bytes differ from @have (all of them not erased when @have is NULL),
 * coalescing neighbours into one driver call. */
static gboolean
program_changed(GlintTarget *t, guint32 addr, const guint8 *want, const guint8 *have, gsize len,
		GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 pu = g->program_unit;
	gsize run_start = 0, run_len = 0;

	for (gsize off = 0; off <= len; off += pu) {
		gboolean needed = FALSE;
		if (off < len)
			needed = have != NULL ? memcmp(want + off, have + off, pu) != 0
					      : !is_erased(want + off, pu, g->erased_value);
		if (needed && run_len == 0)
			run_start = off;
		if (needed && run_len < READ_CHUNK) {
			run_len += pu;
			continue;
		}
		if (run_len > 0 &&
		    !t->flash->program(t, addr + run_start, want + run_start, run_len, error))
			return FALSE;
		run_len = 0;
		if (needed) {
			run_start = off;
			run_len = pu;
		}
	}
	return TRUE;
}

/* The erase units touched by [@addr, @addr + @len) (which lies in flash). */
static GArray *
touched_units(const GlintFlashGeometry *g, guint32 addr, gsize len)
{
	GArray *units = g_array_new(FALSE, FALSE, sizeof(guint));
	GlintFlashUnit first, last;
	if (glint_geometry_unit_at(g, addr, &first) &&
	    glint_geometry_unit_at(g, (guint32)(addr + len - 1), &last)) {
		for (guint u = first.index; u <= last.index; u++)
			g_array_append_val(units, u);
	}
	return units;
}

/* The first programming unit of the span that would change but is not
 * erased, or G_MAXSIZE. */
static gsize
first_unerased_change(const GlintFlashGeometry *g, const guint8 *want, const guint8 *have,
		      gsize len)
{
	for (gsize off = 0; off < len; off += g->program_unit) {
		if (memcmp(want + off, have + off, g->program_unit) != 0 &&
		    !is_erased(have + off, g->program_unit, g->erased_value))
			return off;
	}
	return G_MAXSIZE;
}

static void
set_not_erased_error(GlintTarget *t, guint32 addr, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	GlintFlashUnit unit;
	g_autofree gchar *where = NULL;
	glint_geometry_unit_at(g, addr, &unit);
	where = glint_geometry_describe_unit(g, &unit);
	g_set_error(
	    error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED,
	    _("0x%08X holds data: flash is written %u bytes at a time, and only where it is "
	      "erased (reads 0x%02X). Erase %s first (its other bytes can be kept), or "
	      "write elsewhere. Nothing was changed on the chip"),
	    addr, g->program_unit, g->erased_value, where);
}

/* One erase unit: what it holds (@have) becomes @want, erasing it first
 * when a changed programming unit holds data. */
static gboolean
rewrite_unit(GlintTarget *t, const GlintFlashUnit *unit, const guint8 *want, const guint8 *have,
	     GlintFlashWritePolicy policy, GlintJobResult *result, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gsize bad = first_unerased_change(g, want, have, unit->size);

	if (bad == G_MAXSIZE)
		return program_changed(t, unit->address, want, have, unit->size, error);
	if (policy == GLINT_FLASH_WRITE_REFUSE_UNERASED) {
		set_not_erased_error(t, unit->address + bad, error);
		return FALSE;
	}
	if (!t->flash->erase_unit(t, unit, error))
		return FALSE;
	if (result != NULL)
		result->pages_erased++;
	return program_changed(t, unit->address, want, NULL, unit->size, error);
}

static gboolean
write_flash(GlintTarget *t, guint32 addr, const guint8 *data, gsize len,
	    GlintFlashWritePolicy policy, GlintProgress *progress, GCancellable *cancellable,
	    GlintJobResult *result, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autoptr(GArray) units = touched_units(g, addr, len);
	GlintFlashUnit first, last;
	g_autofree guint8 *have = NULL;
	g_autofree guint8 *want = NULL;
	guint32 span_base;
	gsize span_len;
	gboolean ok = TRUE;

	if (units->len == 0) { /* the caller checked the range lies in flash */
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X is not in the flash"), addr);
		return FALSE;
	}
	if (!glint_job_check_writable(t, error) ||
	    !glint_job_check_protection(t, units, C_("cannot ...", "write"), error))
		return FALSE;
	glint_geometry_get_unit(g, g_array_index(units, guint, 0), &first);
	glint_geometry_get_unit(g, g_array_index(units, guint, units->len - 1), &last);
	span_base = first.address;
	span_len = (gsize)last.address + last.size - first.address;
	if (addr < span_base || addr - span_base + len > span_len || span_len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED,
			    _("0x%08X: the flash geometry does not cover the write"), addr);
		return FALSE;
	}
	have = g_malloc(span_len);
	if (!read_span(t, span_base, have, span_len, error))
		return FALSE;
	want = g_malloc(span_len);
	memcpy(want, have, span_len);
	memcpy(want + (addr - span_base), data, len);
	if (memcmp(want, have, span_len) == 0) {
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("0x%08X-0x%08X already holds these bytes: nothing written"),
				   addr, (guint32)(addr + len - 1));
		return TRUE;
	}
	/* Refuse before the first write, not halfway through. */
	if (policy == GLINT_FLASH_WRITE_REFUSE_UNERASED) {
		gsize bad = first_unerased_change(g, want, have, span_len);
		if (bad != G_MAXSIZE) {
			set_not_erased_error(t, span_base + bad, error);
			return FALSE;
		}
	}
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	glint_progress_begin_step(progress, span_len);
	for (guint i = 0; ok && i < units->len; i++) {
		GlintFlashUnit unit;
		gsize off;
		glint_geometry_get_unit(g, g_array_index(units, guint, i), &unit);
		off = unit.address - span_base;
		if (glint_job_cancelled_after(
			cancellable, error, _("Cancelled after rewriting %u of %u %s"), i,
			units->len, glint_geometry_unit_noun(g, units->len))) {
			ok = FALSE;
			break;
		}
		if (memcmp(want + off, have + off, unit.size) != 0)
			ok = rewrite_unit(t, &unit, want + off, have + off, policy, result, error);
		glint_progress_update(progress, off + unit.size);
	}
	t->flash->finish(t);
	if (ok)
		glint_target_refresh(t, NULL);
	return ok;
}

/* Data EEPROM ----------------------------------------------------------------- */

/* Memories the controller rewrites by byte or word (data EEPROM): the
 * driver erases what it must and writes what differs; no policy applies. */
static gboolean
write_region(GlintTarget *t, const GlintMemoryRegion *region, guint32 addr, const guint8 *data,
	     gsize len, GlintProgress *progress, GlintJobResult *result, GError **error)
{
	gboolean ok;

	if (!glint_job_check_writable(t, error))
		return FALSE;
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	glint_progress_begin_step(progress, len);
	ok = t->flash->region_program(t, region, addr, data, len, error);
	t->flash->finish(t);
	if (ok)
		glint_progress_update(progress, len);
	return ok;
}

/* Jobs ------------------------------------------------------------------------ */

static gboolean
write_locked(GlintTarget *t, guint32 addr, const guint8 *data, gsize len,
	     GlintFlashWritePolicy policy, GlintProgress *progress, GCancellable *cancellable,
	     GlintJobResult *result, GError **error)
{
	const GlintMemoryRegion *region;

	if (len == 0 || len > WRITE_MAX || (guint64)addr + len > 0x100000000ull) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Cannot write %zu bytes at 0x%08X: 1 byte to 16 MiB "
			      "within the 32-bit address space"),
			    len, addr);
		return FALSE;
	}
	if (glint_geometry_contains(&t->info.geometry, addr, len))
		return write_flash(t, addr, data, len, policy, progress, cancellable, result,
				   error);
	region = region_holding(t->chip, addr, len);
	if (region == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X-0x%08X is not inside one memory region of the %s (flash, "
			      "SRAM or a peripheral block): nothing was written"),
			    addr, (guint32)(addr + len - 1), t->chip->name);
		return FALSE;
	}
	switch (region->kind) {
	case GLINT_REGION_SRAM:
	case GLINT_REGION_PERIPHERALS:
		glint_progress_begin_step(progress, len);
		if (!write_plain(t, addr, data, len, error))
			return FALSE;
		glint_progress_update(progress, len);
		return TRUE;
	case GLINT_REGION_EEPROM:
		if (t->flash->region_program != NULL)
			return write_region(t, region, addr, data, len, progress, result, error);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("0x%08X is in %s, which Glint cannot write on the %s"), addr,
			    glint_tr(region->name), t->chip->name);
		return FALSE;
	case GLINT_REGION_OTP:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X is in the OTP area: it can be written once only, through "
			      "“Program OTP” (glint-cli otp), which asks for a confirmation"),
			    addr);
		return FALSE;
	case GLINT_REGION_OPTIONS:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X is in the %s: change them in the option byte editor "
			      "(glint-cli options set), which checks and reloads them"),
			    addr, glint_tr(region->name));
		return FALSE;
	default:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X is in %s, which is read-only"), addr, glint_tr(region->name));
		return FALSE;
	}
}

gboolean
glint_job_write_memory(GlintSession *self, guint32 address, GBytes *data,
		       GlintFlashWritePolicy policy, GlintProgress *progress,
		       GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	GlintJobClock clock;
	gsize len = 0;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	glint_progress_add_step(progress, _("Writing"), 1);
	ok = write_locked(self->target, address, bytes, len, policy, progress, cancellable, result,
			  error);
	if (ok) {
		glint_progress_finish(progress);
		if (result != NULL)
			result->bytes = len;
		glint_job_summarize(&clock, result, "Write");
	}
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_fill_memory(GlintSession *self, guint32 address, guint32 size, guint32 value, guint width,
		      GlintFlashWritePolicy policy, GlintProgress *progress,
		      GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	g_autofree guint8 *buf = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if ((width != 1 && width != 2 && width != 4) || size == 0 || size % width != 0 ||
	    size > WRITE_MAX || (width < 4 && value >> (width * 8) != 0)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Cannot fill %u bytes with the %u-byte value 0x%X: the size must be "
			      "a multiple of the value's width (1, 2 or 4 bytes) up to 16 MiB, and "
			      "the value must fit that width"),
			    size, width, value);
		return FALSE;
	}
	buf = g_malloc(size);
	for (guint32 off = 0; off < size; off += width) {
		for (guint b = 0; b < width; b++)
			buf[off + b] = (value >> (8 * b)) & 0xFF;
	}
	bytes = g_bytes_new_take(g_steal_pointer(&buf), size);
	return glint_job_write_memory(self, address, bytes, policy, progress, cancellable, result,
				      error);
}

gboolean
glint_job_flash_is_writable(GlintSession *self, guint32 address, guint32 size, gboolean *writable,
			    GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	const GlintFlashGeometry *g;
	guint32 first, end;
	g_autofree guint8 *buf = NULL;
	gboolean ok = FALSE;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = self->target;
	g = &t->info.geometry;
	if (size == 0 || !glint_geometry_contains(g, address, size)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X (%u bytes) is not inside the flash of the %s"), address, size,
			    t->chip->name);
		goto out;
	}
	first = address - (address - g->base) % g->program_unit;
	end = address + size;
	end += (g->program_unit - (end - g->base) % g->program_unit) % g->program_unit;
	buf = g_malloc(end - first);
	if (!read_span(t, first, buf, end - first, error))
		goto out;
	*writable = is_erased(buf, end - first, g->erased_value);
	ok = TRUE;
out:
	glint_job_end(&clock);
	return ok;
}

static gboolean
program_otp_locked(GlintTarget *t, guint32 address, const guint8 *data, gsize len,
		   GlintProgress *progress, GlintJobResult *result, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 start = 0, span = 0;
	g_autofree guint8 *have = NULL;
	g_autofree guint8 *want = NULL;
	gboolean ok;

	if (!glint_target_info_otp_span(&t->info, address, len, &start, &span, error) ||
	    !glint_job_check_writable(t, error))
		return FALSE;
	have = g_malloc(span);
	if (!glint_target_read(t, start, have, span, error))
		return FALSE;
	for (guint32 off = 0; off < span; off += g->program_unit) {
		if (!is_erased(have + off, g->program_unit, g->erased_value)) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED,
			    _("The OTP %u bytes at 0x%08X were programmed already: OTP is "
			      "written once and never again. Nothing was changed on the chip"),
			    g->program_unit, start + off);
			return FALSE;
		}
	}
	want = g_malloc(span);
	memset(want, g->erased_value, span);
	memcpy(want + (address - start), data, len);
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	glint_progress_begin_step(progress, span);
	/* Every unit of the span is written, even one the data leaves at the
	 * erased value: the confirmation said it becomes permanent. */
	ok = t->flash->program(t, start, want, span, error);
	t->flash->finish(t);
	if (ok) {
		glint_progress_update(progress, span);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("OTP 0x%08X-0x%08X programmed; it can never be changed again"),
				   start, start + span - 1);
	}
	return ok;
}

gboolean
glint_job_program_otp(GlintSession *self, guint32 address, GBytes *data, GlintConfirm confirm,
		      GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		      GError **error)
{
	GlintJobClock clock;
	gsize len = 0;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	gboolean ok;

	if ((confirm & GLINT_CONFIRM_PERMANENT_LOCK) == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
				    _("Programming OTP can never be undone; confirm it explicitly "
				      "(--confirm-permanent-lock)"));
		return FALSE;
	}
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	glint_progress_add_step(progress, "Programming OTP", 1);
	ok = !glint_job_cancelled_after(cancellable, error,
					_("Cancelled before programming the OTP area; nothing on "
					  "the chip was changed")) &&
	     program_otp_locked(self->target, address, bytes, len, progress, result, error);
	if (ok) {
		glint_progress_finish(progress);
		if (result != NULL)
			result->bytes = len;
		glint_job_summarize(&clock, result, _("OTP program"));
	}
	glint_job_end(&clock);
	return ok;
}

GArray *
glint_job_blank_check(GlintSession *self, GlintProgress *progress, GCancellable *cancellable,
		      GError **error)
{
	g_autoptr(GArray) states = g_array_new(FALSE, TRUE, sizeof(gint8));
	g_autofree guint8 *buf = NULL;
	GlintJobClock clock;
	GlintTarget *t;
	const GlintFlashGeometry *g;
	gboolean ok = TRUE;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return NULL;
	t = self->target;
	g = &t->info.geometry;
	glint_progress_add_step(progress, _("Blank check"), 1);
	glint_progress_begin_step(progress, g->size);
	if (t->info.rdp_level > 0) {
		glint_target_set_read_protected_error(t, error);
		ok = FALSE;
	}
	buf = g_malloc(g->largest_unit);
	for (guint i = 0; ok && i < g->n_units; i++) {
		GlintFlashUnit unit;
		gint8 state = -1;
		glint_geometry_get_unit(g, i, &unit);
		if (glint_job_cancelled_after(
			cancellable, error,
			_("Cancelled after checking %u of %u %s; a blank check "
			  "changes nothing on the chip"),
			i, g->n_units, glint_geometry_unit_noun(g, g->n_units))) {
			ok = FALSE;
			break;
		}
		/* Execute-only code and secure areas cannot be read: not known */
		if (glint_option_bytes_protecting(&t->info.options, g, &unit,
						  GLINT_PROTECT_PCROP) == NULL &&
		    glint_option_bytes_protecting(&t->info.options, g, &unit,
						  GLINT_PROTECT_SECURE) == NULL) {
			ok = read_span(t, unit.address, buf, unit.size, error);
			state = is_erased(buf, unit.size, g->erased_value) ? 1 : 0;
		}
		g_array_append_val(states, state);
		glint_progress_update(progress, (guint64)unit.address + unit.size - g->base);
	}
	if (ok)
		glint_progress_finish(progress);
	glint_job_end(&clock);
	return ok ? g_steal_pointer(&states) : NULL;
}
