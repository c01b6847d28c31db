/* glint-job-flash.c: the jobs that touch flash contents: erase, program
 * (through the on-target loader, or directly), verify and read. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-job-private.h"

#include <string.h>

#include "glint-loader.h"

/* Reads and verify in chunks this big: large enough to keep the probe busy,
 * small enough for smooth progress and prompt cancellation. */
#define READ_CHUNK (16 * 1024)
/* A read larger than this is certainly a typo (no STM32 has that much). */
#define READ_MAX (64 * 1024 * 1024)

/* Pages --------------------------------------------------------------------- */

/* Global page indices (offset / page size) covered by [addr, addr+len). */
static void
add_pages(GArray *pages, const GlintFlashGeometry *g, guint32 addr, guint64 len)
{
	guint first = (addr - g->base) / g->page_size;
	guint last = (guint)((addr - g->base + len - 1) / g->page_size);
	for (guint p = first; p <= last; p++) {
		if (pages->len > 0 && g_array_index(pages, guint, pages->len - 1) >= p)
			continue;
		g_array_append_val(pages, p);
	}
}

static guint32
page_addr(const GlintFlashGeometry *g, guint index)
{
	return g->base + index * g->page_size;
}

/* Refuses before touching anything if a WRP area covers one of @pages. */
static gboolean
check_wrp(GlintTarget *t, GArray *pages, const char *what, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	for (guint i = 0; i < pages->len; i++) {
		guint bank, page, first, last;
		gint area;
		glint_geometry_locate(g, page_addr(g, g_array_index(pages, guint, i)), &bank,
				      &page);
		area = glint_option_bytes_wrp_covering(&t->info.options, bank, page);
		if (area < 0)
			continue;
		glint_option_bytes_get_wrp(&t->info.options, area, &first, &last);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
			    "Cannot %s 0x%08X: pages %u-%u of bank %u (0x%08X-0x%08X) are "
			    "write-protected by %s. Clear it in the option bytes (%s=off), then "
			    "retry. Nothing was changed on the chip",
			    what, page_addr(g, g_array_index(pages, guint, i)), first, last,
			    bank + 1, glint_geometry_page_address(g, bank, first),
			    glint_geometry_page_address(g, bank, last) + g->page_size - 1,
			    glint_wrp_area_name(area), glint_wrp_area_name(area));
		return FALSE;
	}
	return TRUE;
}

static gboolean
check_writable(GlintTarget *t, GError **error)
{
	if (t->info.rdp_level > 0) {
		glint_target_set_read_protected_error(t, error);
		return FALSE;
	}
	return TRUE;
}

/* Whether @pages (sorted global indices) hold every page of @bank. */
static gboolean
covers_bank(const GlintFlashGeometry *g, GArray *pages, guint bank)
{
	guint first = bank * g->pages_per_bank, n = 0;
	for (guint i = 0; i < pages->len; i++) {
		guint p = g_array_index(pages, guint, i);
		if (p >= first && p < first + g->pages_per_bank)
			n++;
	}
	return n == g->pages_per_bank;
}

static gboolean
erase_pages(GlintTarget *t, GArray *pages, GlintProgress *progress, GCancellable *cancellable,
	    GlintJobResult *result, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gboolean whole[2] = {FALSE, FALSE};

	/* A bank erase takes as long as one page erase (DS10198: 22 ms): use it
	 * whenever every page of a bank goes. */
	for (guint b = 0; b < g->n_banks && b < G_N_ELEMENTS(whole); b++)
		whole[b] = covers_bank(g, pages, b);

	glint_progress_begin_step(progress, (guint64)pages->len * g->page_size);
	for (guint i = 0; i < pages->len; i++) {
		guint bank, page;
		if (glint_job_check_cancelled(cancellable, error)) {
			glint_progress_log(progress, G_LOG_LEVEL_WARNING,
					   "Cancelled after erasing %u of %u pages", i, pages->len);
			return FALSE;
		}
		glint_geometry_locate(g, page_addr(g, g_array_index(pages, guint, i)), &bank,
				      &page);
		if (bank < G_N_ELEMENTS(whole) && whole[bank]) {
			if (!t->flash->erase_bank(t, bank, error))
				return FALSE;
			i += g->pages_per_bank - 1;
			if (result != NULL)
				result->pages_erased += g->pages_per_bank;
			glint_progress_log(progress, G_LOG_LEVEL_DEBUG, "Erased bank %u at once",
					   bank + 1);
		} else {
			if (!t->flash->erase_page(t, bank, page, error))
				return FALSE;
			if (result != NULL)
				result->pages_erased++;
		}
		glint_progress_update(progress, (guint64)(i + 1) * g->page_size);
	}
	return TRUE;
}

/* Erase --------------------------------------------------------------------- */

gboolean
glint_job_erase_mass(GlintSession *self, GlintConfirm confirm, GlintProgress *progress,
		     GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	gboolean ok = FALSE;

	if ((confirm & GLINT_CONFIRM_RISKY) == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
				    "A mass erase deletes the whole flash (both banks); confirm it "
				    "explicitly (--confirm)");
		return FALSE;
	}
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = self->target;
	glint_progress_add_step(progress, "Mass erasing", 1);
	glint_progress_begin_step(progress, 0);
	if (!check_writable(t, error))
		goto out;
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++) {
		guint first, last;
		if (!glint_option_bytes_get_wrp(&t->info.options, a, &first, &last))
			continue;
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
		    "Mass erase is refused by the chip while a write-protected area is "
		    "active: %s covers pages %u-%u of bank %u. Clear it in the option bytes "
		    "(%s=off), then retry. Nothing was changed on the chip",
		    glint_wrp_area_name(a), first, last, glint_wrp_area_bank(a) + 1,
		    glint_wrp_area_name(a));
		goto out;
	}
	if (glint_job_check_cancelled(cancellable, error)) {
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    "Cancelled before the mass erase; nothing on the chip was changed");
		goto out;
	}
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		goto out;
	ok = t->flash->mass_erase(t, error);
	t->flash->finish(t);
	if (ok && result != NULL)
		result->pages_erased = t->info.geometry.size / t->info.geometry.page_size;
	if (ok)
		glint_target_refresh(t, NULL);
out:
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, "Mass erase");
	glint_job_end(&clock);
	return ok;
}

static gboolean
check_flash_range(GlintTarget *t, guint32 addr, guint64 size, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	if (size == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "The size is zero; nothing to do");
		return FALSE;
	}
	if (addr < g->base || addr + size > (guint64)g->base + g->size) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "0x%08X-0x%08" G_GINT64_MODIFIER "X is outside the flash of the %s "
			    "(0x%08X-0x%08X)",
			    addr, (guint64)addr + size - 1, t->chip->name, g->base,
			    g->base + g->size - 1);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_job_erase_range(GlintSession *self, guint32 address, guint32 size, GlintProgress *progress,
		      GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	g_autoptr(GArray) pages = g_array_new(FALSE, FALSE, sizeof(guint));
	GlintJobClock clock;
	GlintTarget *t;
	gboolean ok = FALSE;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = self->target;
	glint_progress_add_step(progress, "Erasing", 1);
	if (!check_flash_range(t, address, size, error) || !check_writable(t, error))
		goto out;
	add_pages(pages, &t->info.geometry, address, size);
	if (!check_wrp(t, pages, "erase", error))
		goto out;
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		goto out;
	ok = erase_pages(t, pages, progress, cancellable, result, error);
	t->flash->finish(t);
out:
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, "Erase");
	glint_job_end(&clock);
	return ok;
}

/* Program ------------------------------------------------------------------- */

static gboolean
check_image(GlintTarget *t, GlintImage *image, GError **error)
{
	g_autofree gchar *what = g_strdup_printf("the flash of the %s", t->chip->name);
	if (glint_image_get_size(image) == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    "The image is empty; nothing to program");
		return FALSE;
	}
	return glint_image_check_range(image, t->info.geometry.base, t->info.geometry.size, what,
				       error);
}

static GArray *
image_pages(GlintTarget *t, GlintImage *image)
{
	GArray *pages = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		add_pages(pages, &t->info.geometry, seg->address, g_bytes_get_size(seg->data));
	}
	return pages;
}

static gboolean
dword_is_erased(const guint8 *p)
{
	static const guint8 ff[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	return memcmp(p, ff, 8) == 0;
}

/* Programs one page from the image; double words that stay erased are
 * skipped (they already read 0xFF and writing them again would be wasted
 * flash time). */
static gboolean
program_page(GlintTarget *t, GlintImage *image, guint32 addr, guint8 *buf, GError **error)
{
	guint32 size = t->info.geometry.page_size;
	guint32 granule = t->flash->program_granule;

	memset(buf, 0xFF, size);
	glint_image_fill(image, addr, buf, size);
	for (guint32 off = 0; off < size;) {
		guint32 end;
		if (dword_is_erased(buf + off)) {
			off += granule;
			continue;
		}
		for (end = off; end < size && !dword_is_erased(buf + end); end += granule)
			;
		if (!t->flash->program(t, addr + off, buf + off, end - off, error))
			return FALSE;
		off = end;
	}
	return TRUE;
}

static gboolean
program_pages(GlintTarget *t, GlintImage *image, GArray *pages, GlintProgress *progress,
	      GCancellable *cancellable, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree guint8 *buf = g_malloc(g->page_size);

	glint_progress_begin_step(progress, (guint64)pages->len * g->page_size);
	for (guint i = 0; i < pages->len; i++) {
		guint32 addr = page_addr(g, g_array_index(pages, guint, i));
		if (glint_job_check_cancelled(cancellable, error)) {
			glint_progress_log(progress, G_LOG_LEVEL_WARNING,
					   "Cancelled after programming %u of %u pages; 0x%08X "
					   "onwards is not written (erased pages stay erased)",
					   i, pages->len, addr);
			return FALSE;
		}
		if (!program_page(t, image, addr, buf, error))
			return FALSE;
		glint_progress_update(progress, (guint64)(i + 1) * g->page_size);
	}
	return TRUE;
}

/* Compares flash with the image; on mismatch names the first address. */
static gboolean
verify_image(GlintTarget *t, GlintImage *image, GlintProgress *progress, GCancellable *cancellable,
	     guint64 *verified, GError **error)
{
	g_autofree guint8 *buf = g_malloc(READ_CHUNK);
	guint64 total = glint_image_get_size(image), done = 0, differing = 0;
	guint32 first_addr = 0;
	guint8 first_expected = 0, first_actual = 0;

	glint_progress_begin_step(progress, total);
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		const guint8 *want = g_bytes_get_data(seg->data, NULL);
		for (gsize off = 0; off < len; off += READ_CHUNK) {
			gsize n = MIN(READ_CHUNK, len - off);
			if (glint_job_check_cancelled(cancellable, error)) {
				glint_progress_log(progress, G_LOG_LEVEL_WARNING,
						   "Cancelled after verifying %" G_GUINT64_FORMAT
						   " of %" G_GUINT64_FORMAT " bytes; verifying "
						   "changes nothing on the chip",
						   done, total);
				return FALSE;
			}
			if (!glint_target_read(t, seg->address + off, buf, n, error))
				return FALSE;
			for (gsize k = 0; k < n; k++) {
				if (buf[k] == want[off + k])
					continue;
				if (differing++ == 0) {
					first_addr = seg->address + off + k;
					first_expected = want[off + k];
					first_actual = buf[k];
				}
			}
			done += n;
			glint_progress_update(progress, done);
		}
	}
	if (verified != NULL)
		*verified = done;
	if (differing > 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH,
			    "Verify failed: %" G_GUINT64_FORMAT " byte%s differ%s; the first at "
			    "0x%08X: expected 0x%02X, read 0x%02X",
			    differing, differing == 1 ? "" : "s", differing == 1 ? "s" : "",
			    first_addr, first_expected, first_actual);
		return FALSE;
	}
	return TRUE;
}

/* The on-target loader path ------------------------------------------------ */

typedef struct {
	GlintTarget *t;
	GlintLoader *loader;
	GlintImage *image;
	GlintProgress *progress;
	GCancellable *cancellable;
	GlintJobResult *result;
	/* banks mass-erased by this job: fast (row) programming is allowed */
	gboolean bank_erased[2];
} LoaderJob;

/* The page as it reads after erasing and programming it from the image. */
static void
expected_page(GlintTarget *t, GlintImage *image, guint32 addr, guint8 *buf)
{
	memset(buf, 0xFF, t->info.geometry.page_size);
	glint_image_fill(image, addr, buf, t->info.geometry.page_size);
}

/* Smart re-flash: keeps the pages whose on-target CRC-32 differs from the
 * image's (bytes outside the image counting as erased). */
static GArray *
changed_pages(LoaderJob *lj, GArray *pages, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autofree guint32 *crcs = g_new(guint32, MAX(pages->len, 1));
	g_autofree guint8 *buf = g_malloc(g->page_size);

	for (guint i = 0; i < pages->len;) {
		guint first = g_array_index(pages, guint, i), n = 1;
		while (i + n < pages->len && g_array_index(pages, guint, i + n) == first + n)
			n++;
		if (!glint_loader_page_crc32s(lj->loader, page_addr(g, first), n, crcs + i, error))
			return NULL;
		i += n;
	}
	for (guint i = 0; i < pages->len; i++) {
		guint p = g_array_index(pages, guint, i);
		expected_page(lj->t, lj->image, page_addr(g, p), buf);
		if (glint_crc32(0, buf, g->page_size) != crcs[i])
			g_array_append_val(changed, p);
	}
	return g_steal_pointer(&changed);
}

static gboolean
loader_erase(LoaderJob *lj, GArray *pages, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	gboolean whole[2] = {FALSE, FALSE};

	for (guint b = 0; b < g->n_banks && b < G_N_ELEMENTS(whole); b++)
		whole[b] = covers_bank(g, pages, b);
	glint_progress_begin_step(lj->progress, (guint64)pages->len * g->page_size);
	if (g->n_banks == 2 && whole[0] && whole[1]) {
		/* MER1 | MER2 erases both banks in the time of one */
		if (!glint_loader_erase_all(lj->loader, error))
			return FALSE;
		lj->bank_erased[0] = lj->bank_erased[1] = TRUE;
		if (lj->result != NULL)
			lj->result->pages_erased += pages->len;
		glint_progress_update(lj->progress, (guint64)pages->len * g->page_size);
		return TRUE;
	}
	for (guint i = 0; i < pages->len; i++) {
		guint bank, page;
		if (glint_job_check_cancelled(lj->cancellable, error)) {
			glint_loader_flush(lj->loader, NULL);
			glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
					   "Cancelled after erasing %u of %u pages", i, pages->len);
			return FALSE;
		}
		glint_geometry_locate(g, page_addr(g, g_array_index(pages, guint, i)), &bank,
				      &page);
		if (bank < G_N_ELEMENTS(whole) && whole[bank]) {
			if (!glint_loader_erase_bank(lj->loader, bank, error))
				return FALSE;
			lj->bank_erased[bank] = TRUE;
			i += g->pages_per_bank - 1;
			if (lj->result != NULL)
				lj->result->pages_erased += g->pages_per_bank;
		} else {
			if (!glint_loader_erase_page(lj->loader, bank, page, error))
				return FALSE;
			if (lj->result != NULL)
				lj->result->pages_erased++;
		}
		glint_progress_update(lj->progress, (guint64)(i + 1) * g->page_size);
	}
	return TRUE;
}

static gboolean
all_erased(const guint8 *buf, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/* Streams @pages through the loader's buffers in chunks; runs never cross
 * a bank (fast programming is decided per bank). */
static gboolean
loader_program(LoaderJob *lj, GArray *pages, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	guint32 chunk = glint_loader_chunk_size(lj->loader);
	g_autofree guint8 *buf = g_malloc(chunk);
	guint pages_per_chunk = MAX(chunk / g->page_size, 1);

	glint_progress_begin_step(lj->progress, (guint64)pages->len * g->page_size);
	for (guint i = 0; i < pages->len;) {
		guint first = g_array_index(pages, guint, i), n = 1, bank, page;
		guint32 addr = page_addr(g, first), len;
		gboolean fast;

		glint_geometry_locate(g, addr, &bank, &page);
		while (n < pages_per_chunk && i + n < pages->len &&
		       g_array_index(pages, guint, i + n) == first + n &&
		       page + n < g->pages_per_bank)
			n++;
		len = n * g->page_size;
		if (glint_job_check_cancelled(lj->cancellable, error)) {
			glint_loader_flush(lj->loader, NULL);
			glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
					   "Cancelled after programming %u of %u pages; 0x%08X "
					   "onwards is not written (erased pages stay erased)",
					   i, pages->len, addr);
			return FALSE;
		}
		memset(buf, 0xFF, len);
		glint_image_fill(lj->image, addr, buf, len);
		fast = glint_loader_hclk_fast(lj->loader) && bank < G_N_ELEMENTS(lj->bank_erased) &&
		       lj->bank_erased[bank];
		if (!all_erased(buf, len) &&
		    !glint_loader_program(lj->loader, addr, buf, len, fast, error))
			return FALSE;
		if (fast && lj->result != NULL)
			lj->result->fast_programmed = TRUE;
		i += n;
		glint_progress_update(lj->progress, (guint64)i * g->page_size);
	}
	if (lj->result != NULL)
		lj->result->pages_programmed = pages->len;
	return glint_loader_flush(lj->loader, error);
}

/* On-target CRC-32 of each segment against the image's. */
static gboolean
loader_verify(LoaderJob *lj, GError **error)
{
	guint64 total = glint_image_get_size(lj->image), done = 0;

	glint_progress_begin_step(lj->progress, total);
	for (guint i = 0; i < glint_image_get_n_segments(lj->image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(lj->image, i);
		guint32 len = (guint32)g_bytes_get_size(seg->data), want, got = 0;
		if (glint_job_check_cancelled(lj->cancellable, error)) {
			glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
					   "Cancelled after verifying %" G_GUINT64_FORMAT
					   " of %" G_GUINT64_FORMAT " bytes by on-target CRC; "
					   "verifying changes nothing on the chip",
					   done, total);
			return FALSE;
		}
		if (!glint_loader_crc32(lj->loader, seg->address, len, &got, error))
			return FALSE;
		want = glint_image_segment_crc32(seg);
		if (got != want) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH,
				    "Verify failed: the CRC-32 of 0x%08X-0x%08X computed by the "
				    "target is 0x%08X, the image's is 0x%08X",
				    seg->address, seg->address + len - 1, got, want);
			return FALSE;
		}
		done += len;
		glint_progress_update(lj->progress, done);
	}
	return TRUE;
}

/* Erase, program and (CRC-)verify through the loader. *@verified tells
 * whether the verify happened on the target. */
static gboolean
program_with_loader(LoaderJob *lj, GArray *pages, const GlintProgramOptions *options,
		    gboolean *verified, GError **error)
{
	g_autoptr(GArray) changed = NULL;
	g_autoptr(GError) error_local = NULL;
	GArray *todo = pages;

	if (options->smart) {
		changed = changed_pages(lj, pages, error);
		if (changed == NULL)
			return FALSE;
		todo = changed;
		if (lj->result != NULL)
			lj->result->pages_skipped = pages->len - changed->len;
		glint_progress_log(lj->progress, G_LOG_LEVEL_INFO,
				   "Smart re-flash: %u of %u pages already match the image and "
				   "are skipped; %u to erase and program",
				   pages->len - changed->len, pages->len, changed->len);
	}
	if (!options->no_erase && !loader_erase(lj, todo, error))
		return FALSE;
	if (!loader_program(lj, todo, error))
		return FALSE;
	if (!options->verify || options->readback_verify)
		return TRUE;
	if (!loader_verify(lj, &error_local)) {
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		/* a read-back names the first differing byte */
		glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
				   "%s; reading the flash back to find the difference",
				   error_local->message);
		return TRUE;
	}
	*verified = TRUE;
	return TRUE;
}

/* Starts the loader unless told not to; *@loader stays NULL (with the
 * reason logged) for "program directly". Only a vanished probe fails. */
static gboolean
try_loader(GlintTarget *t, const GlintProgramOptions *options, GlintProgress *progress,
	   GlintLoader **loader, GError **error)
{
	g_autoptr(GError) why = NULL;

	*loader = NULL;
	if (options->no_loader)
		return TRUE;
	/* RDP level 1 with a debugger attached bars the core from the flash
	 * too (RM0351 3.5.1): a CRC there would fault, a read-back reports it */
	if (t->info.rdp_level > 0)
		return TRUE;
	*loader = glint_loader_start(t, &why);
	if (*loader != NULL)
		return TRUE;
	if (g_error_matches(why, GLINT_ERROR, GLINT_ERROR_DISCONNECTED)) {
		g_propagate_error(error, g_steal_pointer(&why));
		return FALSE;
	}
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   "flash loader unavailable: %s; programming directly", why->message);
	return TRUE;
}

/* Runs the loader path; on a loader malfunction (not a flash error, not a
 * cancel, not an unplugged probe) returns FALSE with *@fallback set. */
static gboolean
program_via_loader(LoaderJob *lj, GArray *pages, const GlintProgramOptions *options,
		   gboolean *verified, gboolean *fallback, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (program_with_loader(lj, pages, options, verified, &error_local) &&
	    glint_loader_stop(lj->loader, &error_local)) {
		if (lj->result != NULL)
			lj->result->loader_used = TRUE;
		return TRUE;
	}
	if (glint_loader_is_broken(lj->loader) &&
	    !g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_DISCONNECTED) &&
	    !glint_error_is_cancelled(error_local)) {
		glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
				   "flash loader failed: %s; programming directly",
				   error_local->message);
		*fallback = TRUE;
		return FALSE;
	}
	/* a flash error or a cancel: let the loader put the clock back */
	if (!glint_loader_is_broken(lj->loader))
		glint_loader_stop(lj->loader, NULL);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static void
reset_counts(GlintJobResult *result)
{
	if (result == NULL)
		return;
	result->pages_erased = 0;
	result->pages_skipped = 0;
	result->pages_programmed = 0;
	result->fast_programmed = FALSE;
}

/* Smart re-flash without the loader: the same page comparison by reading
 * the pages back (slower than on-target CRCs, still far cheaper than
 * rewriting them). */
static GArray *
changed_pages_read_back(GlintTarget *t, GlintImage *image, GArray *pages, GCancellable *cancellable,
			GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autofree guint8 *want = g_malloc(g->page_size);
	g_autofree guint8 *have = g_malloc(g->page_size);

	for (guint i = 0; i < pages->len; i++) {
		guint p = g_array_index(pages, guint, i);
		if (glint_job_check_cancelled(cancellable, error))
			return NULL;
		if (!glint_target_read(t, page_addr(g, p), have, g->page_size, error))
			return NULL;
		expected_page(t, image, page_addr(g, p), want);
		if (memcmp(have, want, g->page_size) != 0)
			g_array_append_val(changed, p);
	}
	return g_steal_pointer(&changed);
}

static gboolean
program_direct(GlintTarget *t, GlintImage *image, GArray *pages, const GlintProgramOptions *options,
	       GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
	       GError **error)
{
	g_autoptr(GArray) changed = NULL;

	if (options->smart) {
		g_autoptr(GError) error_local = NULL;
		changed = changed_pages_read_back(t, image, pages, cancellable, &error_local);
		if (changed == NULL) {
			if (glint_error_is_cancelled(error_local))
				glint_progress_log(
				    progress, G_LOG_LEVEL_WARNING,
				    "Cancelled while comparing pages; nothing on the "
				    "chip was changed");
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (result != NULL)
			result->pages_skipped = pages->len - changed->len;
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   "Smart re-flash (read back, no loader): %u of %u pages already "
				   "match the image and are skipped; %u to erase and program",
				   pages->len - changed->len, pages->len, changed->len);
		pages = changed;
	}
	if (!options->no_erase && !erase_pages(t, pages, progress, cancellable, result, error))
		return FALSE;
	if (!program_pages(t, image, pages, progress, cancellable, error))
		return FALSE;
	if (result != NULL)
		result->pages_programmed = pages->len;
	return TRUE;
}

static gboolean
still_halted(GlintTarget *t, GlintProgress *progress, GError **error)
{
	guint32 dhcsr = 0;
	if (!glint_target_read32(t, CM_DHCSR, &dhcsr, error))
		return FALSE;
	if ((dhcsr & CM_DHCSR_S_HALT) == 0)
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   "The core runs again after the flash loader stopped (DHCSR = "
				   "0x%08X)",
				   dhcsr);
	return TRUE;
}

static gboolean
program_locked(GlintTarget *t, GlintImage *image, const GlintProgramOptions *options,
	       GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
	       GError **error)
{
	g_autoptr(GArray) pages = NULL;
	g_autoptr(GlintLoader) loader = NULL;
	gboolean ok = FALSE, verified = FALSE, fallback = FALSE;

	if (!check_writable(t, error) || !check_image(t, image, error))
		return FALSE;
	pages = image_pages(t, image);
	if (!check_wrp(t, pages, "program", error))
		return FALSE;
	if (glint_job_check_cancelled(cancellable, error)) {
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    "Cancelled before erasing or programming; nothing on the chip was "
		    "changed");
		return FALSE;
	}
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	if (!try_loader(t, options, progress, &loader, error)) {
		t->flash->finish(t);
		return FALSE;
	}
	if (loader != NULL) {
		LoaderJob lj = {t, loader, image, progress, cancellable, result, {FALSE, FALSE}};
		ok = program_via_loader(&lj, pages, options, &verified, &fallback, error);
		if (fallback) {
			/* start over: the erase makes whatever the loader wrote harmless */
			g_clear_pointer(&loader, glint_loader_free);
			reset_counts(result);
			ok = t->flash->prepare(t, progress, NULL, error);
		}
	}
	if (loader == NULL && (!fallback || ok))
		ok = program_direct(t, image, pages, options, progress, cancellable, result, error);
	t->flash->finish(t);
	if (!ok)
		return FALSE;
	/* The loader path ends with the flash lock, which reports nothing:
	 * look at the core once more so a probe lost by then is an error. */
	if (loader != NULL && !still_halted(t, progress, error))
		return FALSE;
	if (result != NULL)
		result->bytes = glint_image_get_size(image);
	glint_progress_log(progress, G_LOG_LEVEL_INFO,
			   "Programmed %" G_GSIZE_FORMAT " bytes in %u pages%s",
			   glint_image_get_size(image), pages->len,
			   result != NULL && result->fast_programmed ? " (fast programming)" : "");
	if (options->verify && !verified &&
	    !verify_image(t, image, progress, cancellable, NULL, error))
		return FALSE;
	if (options->verify)
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   "Verified%s: flash matches the image",
				   verified ? " by an on-target CRC-32" : "");
	if (options->reset_run) {
		if (!glint_target_reset(t, t->connect_options.reset_mode, FALSE, error))
			return FALSE;
		glint_progress_log(progress, G_LOG_LEVEL_INFO, "Target reset and running");
	}
	return TRUE;
}

gboolean
glint_job_program(GlintSession *self, GlintImage *image, const GlintProgramOptions *options,
		  GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		  GError **error)
{
	GlintProgramOptions defaults = {0};
	GlintJobClock clock;
	gboolean ok;

	if (options == NULL)
		options = &defaults;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	if (!options->no_erase)
		glint_progress_add_step(progress, "Erasing", 20);
	glint_progress_add_step(progress, "Programming", 70);
	if (options->verify)
		glint_progress_add_step(progress, "Verifying", 10);
	ok = program_locked(self->target, image, options, progress, cancellable, result, error);
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result,
				    options->verify ? "Program and verify" : "Program");
	glint_job_end(&clock);
	return ok;
}

/* Verify-only job: CRC-32 on the target when it can run the loader;
 * *@matched FALSE means "read back instead" (no loader, or a CRC differed
 * and the read-back names the bytes). */
static gboolean
verify_by_crc(GlintTarget *t, GlintImage *image, GlintProgress *progress, GCancellable *cancellable,
	      gboolean *matched, GError **error)
{
	const GlintProgramOptions options = {.verify = TRUE};
	g_autoptr(GlintLoader) loader = NULL;
	g_autoptr(GError) error_local = NULL;

	*matched = FALSE;
	if (!try_loader(t, &options, progress, &loader, error))
		return FALSE;
	if (loader == NULL)
		return TRUE;
	{
		LoaderJob lj = {t, loader, image, progress, cancellable, NULL, {FALSE, FALSE}};
		*matched = loader_verify(&lj, &error_local);
	}
	if (*matched && !glint_loader_stop(loader, &error_local))
		*matched = FALSE;
	if (*matched)
		return TRUE;
	if (glint_error_is_cancelled(error_local) ||
	    g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_DISCONNECTED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	glint_progress_log(progress, G_LOG_LEVEL_WARNING, "%s; reading the flash back%s",
			   error_local->message,
			   g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH)
			       ? " to find the difference"
			       : "");
	return TRUE;
}

gboolean
glint_job_verify(GlintSession *self, GlintImage *image, GlintProgress *progress,
		 GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	GlintJobClock clock;
	gboolean ok = FALSE;
	guint64 verified = 0;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	glint_progress_add_step(progress, "Verifying", 1);
	if (check_image(self->target, image, error)) {
		gboolean crc_matched = FALSE;
		ok = verify_by_crc(self->target, image, progress, cancellable, &crc_matched, error);
		if (ok && crc_matched)
			verified = glint_image_get_size(image);
		else if (ok)
			ok = verify_image(self->target, image, progress, cancellable, &verified,
					  error);
		if (result != NULL)
			result->bytes = verified;
		if (ok && result != NULL)
			result->loader_used = crc_matched;
	}
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, "Verify");
	glint_job_end(&clock);
	return ok;
}

/* Read ---------------------------------------------------------------------- */

GBytes *
glint_job_read(GlintSession *self, guint32 address, guint32 size, GlintProgress *progress,
	       GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	g_autofree guint8 *buf = NULL;
	GlintJobClock clock;
	gboolean ok = TRUE;

	if (size == 0 || size > READ_MAX || (guint64)address + size > 0x100000000ull) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "Cannot read %u bytes at 0x%08X: the size must be 1 byte to 64 MiB "
			    "within the 32-bit address space",
			    size, address);
		return NULL;
	}
	if (!glint_job_begin(self, &clock, TRUE, error))
		return NULL;
	glint_progress_add_step(progress, "Reading", 1);
	glint_progress_begin_step(progress, size);
	buf = g_malloc(size);
	for (guint32 off = 0; ok && off < size; off += READ_CHUNK) {
		guint32 n = MIN(READ_CHUNK, size - off);
		if (glint_job_check_cancelled(cancellable, error)) {
			glint_progress_log(progress, G_LOG_LEVEL_WARNING,
					   "Cancelled after reading %u of %u bytes", off, size);
			ok = FALSE;
			break;
		}
		ok = glint_target_read(self->target, address + off, buf + off, n, error);
		if (ok)
			glint_progress_update(progress, off + n);
	}
	if (ok)
		glint_progress_finish(progress);
	if (ok && result != NULL) {
		result->bytes = size;
		glint_job_summarize(&clock, result, "Read");
	}
	glint_job_end(&clock);
	return ok ? g_bytes_new_take(g_steal_pointer(&buf), size) : NULL;
}
