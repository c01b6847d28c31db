/* sim-state.c: a simulated board's non-volatile state in a file.
 *
 * What survives a power cycle on silicon survives here: flash contents,
 * option bytes and OTP, plus the scenario and probe serial that name the
 * board. Compact binary format (little-endian):
 *
 *   "GLSIMST\0"  magic, 8 bytes
 *   u32          format version (1)
 *   u32          flash size in KB
 *   u8 + bytes   scenario name
 *   u8 + bytes   probe serial
 *   40 + 40      option areas at 0x1FFF7800 and 0x1FFFF800
 *   1024         OTP
 *   u32          number of stored pages, then per page: u32 index, 2048 bytes
 *                (erased pages are not stored)
 *   u32          CRC-32 (IEEE) of everything before it
 *
 * Loading checks all of it before touching anything. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-image.h"
#include "l4/l4-machine.h"

#define SIM_STATE_MAGIC "GLSIMST"
#define SIM_STATE_MAGIC_LEN 8
#define SIM_STATE_VERSION 1u
#define SIM_STATE_MAX_BYTES (8u * 1024u * 1024u)
#define SIM_STATE_MAX_NAME 64u

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

static gboolean
sim_page_erased(const guint8 *p)
{
	for (guint i = 0; i < L4_FLASH_PAGE_SIZE; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

gboolean
glint_sim_save_state(GlintSim *sim, const char *path, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autoptr(GError) local = NULL;
	guint pages = sim->flash_kb * 1024u / L4_FLASH_PAGE_SIZE;
	guint stored = 0;
	guint count_at;
	g_return_val_if_fail(sim != NULL, FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_byte_array_append(buf, (const guint8 *)SIM_STATE_MAGIC, SIM_STATE_MAGIC_LEN);
	sim_append_u32(buf, SIM_STATE_VERSION);
	sim_append_u32(buf, sim->flash_kb);
	sim_append_str(buf, sim->spec);
	sim_append_str(buf, sim->serial);
	g_byte_array_append(buf, L4_MEM(sim, L4_REGION_OPT1), L4_OPT_AREA_SIZE);
	g_byte_array_append(buf, L4_MEM(sim, L4_REGION_OPT2), L4_OPT_AREA_SIZE);
	g_byte_array_append(buf, L4_MEM(sim, L4_REGION_OTP), L4_OTP_SIZE);
	count_at = buf->len;
	sim_append_u32(buf, 0);
	for (guint i = 0; i < pages; i++) {
		const guint8 *p = L4_MEM(sim, L4_REGION_FLASH) + i * L4_FLASH_PAGE_SIZE;
		if (sim_page_erased(p))
			continue;
		sim_append_u32(buf, i);
		g_byte_array_append(buf, p, L4_FLASH_PAGE_SIZE);
		stored++;
	}
	for (guint i = 0; i < 4; i++)
		buf->data[count_at + i] = (guint8)(stored >> (8 * i));
	sim_append_u32(buf, glint_crc32(0, buf->data, buf->len));
	if (!g_file_set_contents(path, (const gchar *)buf->data, buf->len, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    "Cannot save the simulated board to '%s': %s", path, local->message);
		return FALSE;
	}
	return TRUE;
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
		    "Simulator state file '%s' cannot be used: %s; delete it to start from the "
		    "scenario's initial state",
		    path, what);
	return FALSE;
}

/* Everything a state file holds, checked, before a board is built from it */
typedef struct {
	gchar *scenario;
	const SimBoard *board;
	const SimScenario *def;
	gchar *serial;
	guint32 flash_kb;
	const guint8 *opt1, *opt2, *otp;
	guint8 *flash;
} SimStateImage;

static void
sim_state_image_clear(SimStateImage *img)
{
	g_free(img->scenario);
	g_free(img->serial);
	g_free(img->flash);
}

static gboolean
sim_state_parse(SimStateImage *img, const guint8 *data, gsize len, const char *path, GError **error)
{
	SimReader r = {data, len - 4, 0};
	const guint8 *magic;
	guint32 version, npages, expect_crc;
	guint32 pages;
	g_autofree guint8 *seen = NULL;
	if (len < SIM_STATE_MAGIC_LEN + 4 ||
	    memcmp(data, SIM_STATE_MAGIC, SIM_STATE_MAGIC_LEN) != 0)
		return sim_state_bad(error, path, "not a Glint simulator state (bad magic)");
	expect_crc = data[len - 4] | (guint32)data[len - 3] << 8 | (guint32)data[len - 2] << 16 |
		     (guint32)data[len - 1] << 24;
	if (!sim_read_bytes(&r, SIM_STATE_MAGIC_LEN, &magic) || !sim_read_u32(&r, &version))
		return sim_state_bad(error, path, "truncated header");
	if (version != SIM_STATE_VERSION) {
		g_autofree gchar *m = g_strdup_printf("format version %u is not supported "
						      "(this build reads version %u)",
						      version, SIM_STATE_VERSION);
		return sim_state_bad(error, path, m);
	}
	if (glint_crc32(0, data, len - 4) != expect_crc)
		return sim_state_bad(error, path, "CRC mismatch (file truncated or corrupted)");
	if (!sim_read_u32(&r, &img->flash_kb) || !sim_read_str(&r, &img->scenario) ||
	    !sim_read_str(&r, &img->serial))
		return sim_state_bad(error, path, "truncated or malformed header");
	if (!sim_spec_resolve(img->scenario, &img->board, &img->def, NULL)) {
		g_autofree gchar *m = g_strdup_printf("unknown scenario '%s'", img->scenario);
		return sim_state_bad(error, path, m);
	}
	if (img->board->flash_kb != img->flash_kb) {
		g_autofree gchar *m = g_strdup_printf("flash size %u KB does not match scenario "
						      "'%s'",
						      img->flash_kb, img->scenario);
		return sim_state_bad(error, path, m);
	}
	if (!sim_read_bytes(&r, L4_OPT_AREA_SIZE, &img->opt1) ||
	    !sim_read_bytes(&r, L4_OPT_AREA_SIZE, &img->opt2) ||
	    !sim_read_bytes(&r, L4_OTP_SIZE, &img->otp) || !sim_read_u32(&r, &npages))
		return sim_state_bad(error, path, "truncated option bytes or OTP");
	pages = img->flash_kb * 1024u / L4_FLASH_PAGE_SIZE;
	if (npages > pages)
		return sim_state_bad(error, path, "more stored pages than the flash has");
	img->flash = g_malloc(img->flash_kb * 1024u);
	memset(img->flash, 0xFF, img->flash_kb * 1024u);
	seen = g_malloc0(pages);
	for (guint32 i = 0; i < npages; i++) {
		guint32 idx;
		const guint8 *p;
		if (!sim_read_u32(&r, &idx) || !sim_read_bytes(&r, L4_FLASH_PAGE_SIZE, &p))
			return sim_state_bad(error, path, "truncated flash page");
		if (idx >= pages || seen[idx]) {
			g_autofree gchar *m = g_strdup_printf(
			    "flash page %u is %s", idx,
			    idx >= pages ? "beyond the end of flash" : "stored twice");
			return sim_state_bad(error, path, m);
		}
		seen[idx] = 1;
		memcpy(img->flash + idx * L4_FLASH_PAGE_SIZE, p, L4_FLASH_PAGE_SIZE);
	}
	if (r.pos != r.len)
		return sim_state_bad(error, path, "unexpected bytes after the last page");
	return TRUE;
}

GlintSim *
glint_sim_new_from_state(const char *path, GError **error)
{
	g_autofree gchar *contents = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(GlintSim) sim = NULL;
	SimStateImage img = {0};
	gsize len = 0;
	g_return_val_if_fail(path != NULL, NULL);
	if (!g_file_get_contents(path, &contents, &len, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    "Cannot read simulator state file '%s': %s", path, local->message);
		return NULL;
	}
	if (len > SIM_STATE_MAX_BYTES) {
		sim_state_bad(error, path, "file too large to be a board state");
		return NULL;
	}
	if (!sim_state_parse(&img, (const guint8 *)contents, len, path, error)) {
		sim_state_image_clear(&img);
		return NULL;
	}
	sim = sim_new_internal(img.board, img.def, img.serial);
	memcpy(L4_MEM(sim, L4_REGION_FLASH), img.flash, img.flash_kb * 1024u);
	memcpy(L4_MEM(sim, L4_REGION_OPT1), img.opt1, L4_OPT_AREA_SIZE);
	memcpy(L4_MEM(sim, L4_REGION_OPT2), img.opt2, L4_OPT_AREA_SIZE);
	memcpy(L4_MEM(sim, L4_REGION_OTP), img.otp, L4_OTP_SIZE);
	sim_state_image_clear(&img);
	/* the board was off while on disk: it powers up with what it holds */
	sim_board_power_on(sim);
	sim->now_ns = 0;
	return g_steal_pointer(&sim);
}
