/* sim-state.c: a simulated board's non-volatile state in a file.
 *
 * What survives a power cycle on silicon survives here: every region the
 * machine marks non-volatile (main flash, OTP, option bytes, data EEPROM),
 * plus the board, scenario and probe serial that name it. Compact binary
 * format, little-endian (version 2):
 *
 *   "GLSIMST\0"  magic, 8 bytes
 *   u32          format version (2)
 *   u8 + bytes   board name
 *   u8 + bytes   scenario name
 *   u8 + bytes   probe serial
 *   u32          chunk size (1024)
 *   u32          number of regions, then per region:
 *     u8 + bytes   region name (as in the machine's table)
 *     u32          size in bytes
 *     u8           erased value
 *     u32          number of stored chunks, then per chunk: u32 index and
 *                  the chunk's bytes (the last one of a region may be
 *                  shorter); chunks that read all erased are not stored
 *   u32          CRC-32 (IEEE) of everything before it
 *
 * Version 1 (before machines: an STM32L476 only) still loads: the flash
 * size, a short scenario name, the serial, the machine's legacy regions
 * whole, then flash in 2 KB pages. Loading checks all of a file before
 * anything is built from it, and names the file and the fault. The file
 * itself (locking, symbolic links, atomic replacement) is
 * sim-state-file.c's. */
#define G_LOG_DOMAIN "glint-sim"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "glint-i18n.h"
#include "glint-image.h"
#include "sim-private.h"
#include "sim-state.h"

#define SIM_STATE_MAGIC "GLSIMST"
#define SIM_STATE_MAGIC_LEN 8
#define SIM_STATE_VERSION_1 1u
#define SIM_STATE_VERSION 2u
#define SIM_STATE_MAX_NAME 64u
/* Chunks of a region: independent of any family's erase unit */
#define SIM_STATE_CHUNK 1024u

static void
sim_append_u32(GByteArray *buf, guint32 v)
{
	guint8 b[4] = {(guint8)v, (guint8)(v >> 8), (guint8)(v >> 16), (guint8)(v >> 24)};
	g_byte_array_append(buf, b, 4);
}

static void
sim_append_str(GByteArray *buf, const char *s)
{
	guint8 len = (guint8)MIN(strlen(s), SIM_STATE_MAX_NAME);
	g_byte_array_append(buf, &len, 1);
	g_byte_array_append(buf, (const guint8 *)s, len);
}

static void
sim_put_u32_at(GByteArray *buf, guint at, guint32 v)
{
	for (guint i = 0; i < 4; i++)
		buf->data[at + i] = (guint8)(v >> (8 * i));
}

static gboolean
sim_all_erased(const guint8 *p, gsize len, guint8 erased)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != erased)
			return FALSE;
	}
	return TRUE;
}

static void
sim_append_region(GByteArray *buf, GlintSim *sim, guint index)
{
	const SimRegion *r = &sim->machine->regions[index];
	guint32 size = sim->mem_size[index];
	guint chunks = (size + SIM_STATE_CHUNK - 1) / SIM_STATE_CHUNK;
	guint stored = 0;
	guint count_at;
	sim_append_str(buf, r->name);
	sim_append_u32(buf, size);
	g_byte_array_append(buf, &r->erased, 1);
	count_at = buf->len;
	sim_append_u32(buf, 0);
	for (guint i = 0; i < chunks; i++) {
		const guint8 *p = sim->mem[index] + i * SIM_STATE_CHUNK;
		guint32 len = MIN(SIM_STATE_CHUNK, size - i * SIM_STATE_CHUNK);
		if (sim_all_erased(p, len, r->erased))
			continue;
		sim_append_u32(buf, i);
		g_byte_array_append(buf, p, len);
		stored++;
	}
	sim_put_u32_at(buf, count_at, stored);
}

GBytes *
sim_state_serialize(GlintSim *sim)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint count_at, regions = 0;
	g_byte_array_append(buf, (const guint8 *)SIM_STATE_MAGIC, SIM_STATE_MAGIC_LEN);
	sim_append_u32(buf, SIM_STATE_VERSION);
	sim_append_str(buf, sim->board->name);
	sim_append_str(buf, sim->scenario);
	sim_append_str(buf, sim->serial);
	sim_append_u32(buf, SIM_STATE_CHUNK);
	count_at = buf->len;
	sim_append_u32(buf, 0);
	for (guint i = 0; i < sim->machine->n_regions; i++) {
		if (!(sim->machine->regions[i].flags & SIM_REGION_NONVOLATILE))
			continue;
		sim_append_region(buf, sim, i);
		regions++;
	}
	sim_put_u32_at(buf, count_at, regions);
	sim_append_u32(buf, glint_crc32(0, buf->data, buf->len));
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* A bounds-checked reader over the file contents */
typedef struct {
	const guint8 *data;
	gsize len;
	gsize pos;
} SimReader;

static gboolean
sim_read_bytes(SimReader *r, gsize n, const guint8 **out)
{
	if (r->len - r->pos < n)
		return FALSE;
	*out = r->data + r->pos;
	r->pos += n;
	return TRUE;
}

static gboolean
sim_read_u32(SimReader *r, guint32 *v)
{
	const guint8 *p;
	if (!sim_read_bytes(r, 4, &p))
		return FALSE;
	*v = p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
	return TRUE;
}

static gboolean
sim_read_str(SimReader *r, gchar **out)
{
	const guint8 *len, *p;
	if (!sim_read_bytes(r, 1, &len) || *len == 0 || *len > SIM_STATE_MAX_NAME ||
	    !sim_read_bytes(r, *len, &p))
		return FALSE;
	for (guint i = 0; i < *len; i++) {
		if (!g_ascii_isgraph(p[i]))
			return FALSE;
	}
	*out = g_strndup((const gchar *)p, *len);
	return TRUE;
}

static gboolean
sim_state_bad(GError **error, const char *path, const char *what)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
		    _("Simulator state file '%s' cannot be used: %s; delete it to start from the "
		      "scenario's initial state"),
		    path, what);
	return FALSE;
}

G_GNUC_PRINTF(3, 4)
static gboolean
sim_state_badf(GError **error, const char *path, const char *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;
	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	return sim_state_bad(error, path, what);
}

/* Everything a state file holds, checked, before a board is built from it:
 * for each region of the machine, the bytes the file gives (NULL: none) */
typedef struct {
	const SimBoard *board;
	const SimScenario *scenario;
	gchar *serial;
	guint n_regions;
	guint8 **regions;
} SimStateImage;

static void
sim_state_image_clear(SimStateImage *img)
{
	for (guint i = 0; img->regions != NULL && i < img->n_regions; i++)
		g_free(img->regions[i]);
	g_clear_pointer(&img->regions, g_free);
	g_clear_pointer(&img->serial, g_free);
}

/* The size a region has on @board */
static guint32
sim_state_region_size(const SimBoard *board, const SimRegion *r)
{
	return r->size != 0 ? r->size : board->flash_kb * 1024u;
}

/* A region's bytes for the image, all erased, to be filled from the file */
static guint8 *
sim_state_take_region(SimStateImage *img, guint index)
{
	const SimRegion *r = &img->board->machine->regions[index];
	guint32 size = sim_state_region_size(img->board, r);
	img->regions[index] = g_malloc(size);
	memset(img->regions[index], r->erased, size);
	return img->regions[index];
}

static gint
sim_state_region_index(const SimMachine *m, const char *name)
{
	for (guint i = 0; i < m->n_regions; i++) {
		if ((m->regions[i].flags & SIM_REGION_NONVOLATILE) &&
		    g_strcmp0(m->regions[i].name, name) == 0)
			return (gint)i;
	}
	return -1;
}

static void
sim_state_set_board(SimStateImage *img, const SimBoard *board, const SimScenario *scenario)
{
	img->board = board;
	img->scenario = scenario;
	img->n_regions = board->machine->n_regions;
	img->regions = g_new0(guint8 *, img->n_regions);
}

/* Version 2: the header after the version, then the regions */
static gboolean
sim_state_parse_v2(SimStateImage *img, SimReader *r, const char *path, GError **error)
{
	g_autofree gchar *board_name = NULL;
	g_autofree gchar *scenario_name = NULL;
	const SimBoard *board;
	const SimScenario *scenario;
	const SimMachine *m;
	guint32 chunk, nregions;
	if (!sim_read_str(r, &board_name) || !sim_read_str(r, &scenario_name) ||
	    !sim_read_str(r, &img->serial) || !sim_read_u32(r, &chunk) ||
	    !sim_read_u32(r, &nregions))
		return sim_state_bad(error, path, _("truncated or malformed header"));
	board = sim_board_find(board_name);
	if (board == NULL)
		return sim_state_badf(error, path, _("unknown board '%s'"), board_name);
	scenario = sim_scenario_find(board, scenario_name);
	if (scenario == NULL)
		return sim_state_badf(error, path, _("unknown scenario '%s' of board %s"),
				      scenario_name, board->name);
	if (chunk != SIM_STATE_CHUNK)
		return sim_state_badf(error, path, _("chunk size %u (this build writes %u)"), chunk,
				      SIM_STATE_CHUNK);
	sim_state_set_board(img, board, scenario);
	m = board->machine;
	if (nregions > m->n_regions)
		return sim_state_badf(error, path, _("%u regions, more than the %s has"), nregions,
				      board->name);
	for (guint32 i = 0; i < nregions; i++) {
		g_autofree gchar *name = NULL;
		g_autofree guint8 *seen = NULL;
		const guint8 *erased;
		guint32 size, nchunks, chunks;
		gint index;
		guint8 *mem;
		if (!sim_read_str(r, &name) || !sim_read_u32(r, &size) ||
		    !sim_read_bytes(r, 1, &erased) || !sim_read_u32(r, &nchunks))
			return sim_state_bad(error, path, _("truncated region header"));
		index = sim_state_region_index(m, name);
		if (index < 0)
			return sim_state_badf(error, path,
					      _("unknown region '%s' (not a non-volatile memory "
						"of the %s)"),
					      name, board->name);
		if (img->regions[index] != NULL)
			return sim_state_badf(error, path, _("region '%s' is stored twice"), name);
		if (size != sim_state_region_size(board, &m->regions[index]))
			return sim_state_badf(error, path,
					      _("region '%s' is %u bytes, which does not match "
						"the %u bytes it has on %s"),
					      name, size,
					      sim_state_region_size(board, &m->regions[index]),
					      board->name);
		if (*erased != m->regions[index].erased)
			return sim_state_badf(error, path,
					      _("region '%s' erases to 0x%02X, not 0x%02X"), name,
					      *erased, m->regions[index].erased);
		chunks = (size + SIM_STATE_CHUNK - 1) / SIM_STATE_CHUNK;
		if (nchunks > chunks)
			return sim_state_badf(error, path,
					      _("more stored chunks than region '%s' has"), name);
		mem = sim_state_take_region(img, (guint)index);
		seen = g_malloc0(chunks);
		for (guint32 c = 0; c < nchunks; c++) {
			guint32 idx;
			const guint8 *p;
			if (!sim_read_u32(r, &idx))
				return sim_state_badf(error, path,
						      _("truncated chunk of region '%s'"), name);
			if (idx >= chunks || seen[idx])
				return sim_state_badf(
				    error, path, _("chunk %u of region '%s' is %s"), idx, name,
				    idx >= chunks ? _("beyond the end of the region")
						  : _("stored twice"));
			if (!sim_read_bytes(r, MIN(SIM_STATE_CHUNK, size - idx * SIM_STATE_CHUNK),
					    &p))
				return sim_state_badf(error, path,
						      _("truncated chunk of region '%s'"), name);
			seen[idx] = 1;
			memcpy(mem + idx * SIM_STATE_CHUNK, p,
			       MIN(SIM_STATE_CHUNK, size - idx * SIM_STATE_CHUNK));
		}
	}
	return TRUE;
}

/* Version 1 (an STM32L476 only): u32 flash KB, the short scenario name,
 * the serial, the machine's legacy regions whole, u32 page count, pages
 * of u32 index + bytes */
static gboolean
sim_state_parse_v1(SimStateImage *img, SimReader *r, const char *path, GError **error)
{
	g_autofree gchar *spec = NULL;
	g_autofree guint8 *seen = NULL;
	const SimBoard *board;
	const SimScenario *scenario;
	const SimMachine *m;
	guint32 flash_kb, npages, pages, page;
	gint flash;
	guint8 *mem;
	if (!sim_read_u32(r, &flash_kb) || !sim_read_str(r, &spec) ||
	    !sim_read_str(r, &img->serial))
		return sim_state_bad(error, path, _("truncated or malformed header"));
	if (!sim_spec_resolve(spec, &board, &scenario, NULL) ||
	    board->machine->legacy_state_regions == NULL)
		return sim_state_badf(error, path, _("unknown scenario '%s'"), spec);
	if (board->flash_kb != flash_kb)
		return sim_state_badf(error, path,
				      _("flash size %u KB does not match scenario '%s'"), flash_kb,
				      spec);
	sim_state_set_board(img, board, scenario);
	m = board->machine;
	for (guint i = 0; m->legacy_state_regions[i] != NULL; i++) {
		gint index = sim_state_region_index(m, m->legacy_state_regions[i]);
		guint32 size;
		const guint8 *p;
		g_assert(index >= 0);
		size = sim_state_region_size(board, &m->regions[index]);
		if (!sim_read_bytes(r, size, &p))
			return sim_state_bad(error, path, _("truncated option bytes or OTP"));
		memcpy(sim_state_take_region(img, (guint)index), p, size);
	}
	if (!sim_read_u32(r, &npages))
		return sim_state_bad(error, path, _("truncated option bytes or OTP"));
	flash = sim_region_find_in(m, SIM_REGION_FLASH);
	g_assert(flash >= 0);
	page = m->legacy_state_page;
	pages = flash_kb * 1024u / page;
	if (npages > pages)
		return sim_state_bad(error, path, _("more stored pages than the flash has"));
	mem = sim_state_take_region(img, (guint)flash);
	seen = g_malloc0(pages);
	for (guint32 i = 0; i < npages; i++) {
		guint32 idx;
		const guint8 *p;
		if (!sim_read_u32(r, &idx) || !sim_read_bytes(r, page, &p))
			return sim_state_bad(error, path, _("truncated flash page"));
		if (idx >= pages || seen[idx])
			return sim_state_badf(error, path, _("flash page %u is %s"), idx,
					      idx >= pages ? _("beyond the end of flash")
							   : _("stored twice"));
		seen[idx] = 1;
		memcpy(mem + idx * page, p, page);
	}
	return TRUE;
}

static gboolean
sim_state_parse(SimStateImage *img, const guint8 *data, gsize len, const char *path, GError **error)
{
	SimReader r = {data, len - 4, 0};
	const guint8 *magic;
	guint32 version, expect_crc;
	if (len < SIM_STATE_MAGIC_LEN + 4 ||
	    memcmp(data, SIM_STATE_MAGIC, SIM_STATE_MAGIC_LEN) != 0)
		return sim_state_bad(error, path, _("not a Glint simulator state (bad magic)"));
	expect_crc = data[len - 4] | (guint32)data[len - 3] << 8 | (guint32)data[len - 2] << 16 |
		     (guint32)data[len - 1] << 24;
	if (!sim_read_bytes(&r, SIM_STATE_MAGIC_LEN, &magic) || !sim_read_u32(&r, &version))
		return sim_state_bad(error, path, _("truncated header"));
	if (version != SIM_STATE_VERSION && version != SIM_STATE_VERSION_1)
		return sim_state_badf(error, path,
				      _("format version %u is not supported (this build reads "
					"versions %u and %u)"),
				      version, SIM_STATE_VERSION_1, SIM_STATE_VERSION);
	if (glint_crc32(0, data, len - 4) != expect_crc)
		return sim_state_bad(error, path, _("CRC mismatch (file truncated or corrupted)"));
	if (version == SIM_STATE_VERSION_1 ? !sim_state_parse_v1(img, &r, path, error)
					   : !sim_state_parse_v2(img, &r, path, error))
		return FALSE;
	if (r.pos != r.len)
		return sim_state_bad(error, path, _("unexpected bytes after the last region"));
	return TRUE;
}

GlintSim *
sim_state_new_from_bytes(GBytes *bytes, const char *path, GError **error)
{
	GlintSim *sim;
	SimStateImage img = {0};
	gsize len = 0;
	const guint8 *contents = g_bytes_get_data(bytes, &len);
	if (len > SIM_STATE_MAX_BYTES) {
		sim_state_bad(error, path, _("file too large to be a board state"));
		return NULL;
	}
	if (!sim_state_parse(&img, contents, len, path, error)) {
		sim_state_image_clear(&img);
		return NULL;
	}
	sim = sim_new_internal(img.board, img.scenario, img.serial);
	/* what the file holds replaces what the scenario put there; a region
	 * the file does not have (a newer machine) keeps it */
	for (guint i = 0; i < img.n_regions; i++) {
		if (img.regions[i] != NULL)
			memcpy(sim->mem[i], img.regions[i], sim->mem_size[i]);
	}
	sim_state_image_clear(&img);
	/* the board was off while on disk: it powers up with what it holds */
	sim_board_power_on(sim);
	sim->now_ns = 0;
	return sim;
}

/* Up to @len bytes from the start of @fd; FALSE (errno set) on a read error. */
static gboolean
sim_state_read_head(int fd, guint8 *buf, gsize len, gsize *got)
{
	*got = 0;
	while (*got < len) {
		gssize n = read(fd, buf + *got, len - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		if (n == 0)
			break;
		*got += (gsize)n;
	}
	return TRUE;
}

/* Only the magic and the version: the caller decides between "never touch
 * it" and "set the damaged state aside" before anything is loaded. */
gboolean
glint_sim_state_file_classify(const char *path, GlintSimStateFileKind *kind, GError **error)
{
	guint8 head[SIM_STATE_MAGIC_LEN + 4];
	gsize got = 0;
	guint32 version;
	gboolean ok;
	int saved_errno;
	int fd;

	g_return_val_if_fail(path != NULL && kind != NULL, FALSE);
	fd = g_open(path, O_RDONLY, 0);
	if (fd < 0 && errno == ENOENT) {
		*kind = GLINT_SIM_STATE_FILE_ABSENT;
		return TRUE;
	}
	ok = fd >= 0 && sim_state_read_head(fd, head, sizeof(head), &got);
	saved_errno = errno;
	if (fd >= 0)
		g_close(fd, NULL);
	if (!ok) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("Cannot read simulator state file '%s': %s"), path,
			    g_strerror(saved_errno));
		return FALSE;
	}
	if (memcmp(head, SIM_STATE_MAGIC, MIN(got, SIM_STATE_MAGIC_LEN)) != 0) {
		*kind = GLINT_SIM_STATE_FILE_FOREIGN;
		return TRUE;
	}
	if (got < sizeof(head)) {
		*kind = GLINT_SIM_STATE_FILE_STATE; /* cut short: a damaged state */
		return TRUE;
	}
	version =
	    head[8] | (guint32)head[9] << 8 | (guint32)head[10] << 16 | (guint32)head[11] << 24;
	*kind = version == SIM_STATE_VERSION || version == SIM_STATE_VERSION_1
		    ? GLINT_SIM_STATE_FILE_STATE
		    : GLINT_SIM_STATE_FILE_OTHER_VERSION;
	return TRUE;
}
