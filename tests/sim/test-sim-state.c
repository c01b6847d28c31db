/* test-sim-state.c: scenarios, serials, independence of two boards, and
 * the board state file: version 2 (board, scenario, every non-volatile
 * region) round trips and every way a file can be bad; version-1 files
 * (before boards) still load as the L476. */
#include <glib/gstdio.h>

#include "glint-image.h"
#include "sim-test.h"

static gchar *
tmp_path(const char *name)
{
	g_autofree gchar *dir = g_dir_make_tmp("glint-sim-XXXXXX", NULL);
	ck_assert(dir != NULL);
	return g_build_filename(dir, name, NULL);
}

static void
remove_tmp(const gchar *path)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_unlink(path);
	g_rmdir(dir);
}

START_TEST(test_scenarios_known)
{
	const char *const *names = glint_sim_scenario_names();
	guint n = 0;
	for (; names[n] != NULL; n++) {
		g_autoptr(GlintSim) sim = sim_new_ok(names[n]);
		/* a short name is its own shortest spec */
		ck_assert_str_eq(glint_sim_get_spec(sim), names[n]);
		ck_assert_ptr_nonnull(glint_sim_scenario_describe(names[n]));
	}
	ck_assert_uint_eq(n, 9);
	ck_assert_ptr_null(glint_sim_scenario_describe("nope"));
}
END_TEST

START_TEST(test_unknown_scenario)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new("l476zz", &error);
	ck_assert_ptr_null(sim);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_ptr_nonnull(strstr(error->message, "l476zz"));
	ck_assert_ptr_nonnull(strstr(error->message, "fresh"));
}
END_TEST

START_TEST(test_serials)
{
	g_autoptr(GlintSim) a = sim_new_ok("fresh");
	g_autoptr(GlintSim) b = sim_new_ok("fresh");
	g_autoptr(GlintSim) c = sim_new_ok("wrp");
	const char *s = glint_sim_get_serial(a);
	ck_assert_uint_eq(strlen(s), 24);
	for (guint i = 0; i < 24; i++)
		ck_assert(g_ascii_isxdigit(s[i]) && !g_ascii_islower(s[i]));
	ck_assert_str_eq(s, glint_sim_get_serial(b));
	ck_assert_str_ne(s, glint_sim_get_serial(c));
	/* the unique ID follows the serial */
	ck_assert_uint_eq(glint_sim_peek32(a, 0x1FFF7590u), glint_sim_peek32(b, 0x1FFF7590u));
	glint_sim_set_serial(b, "0669FF000000000000000001");
	ck_assert_uint_ne(glint_sim_peek32(a, 0x1FFF7590u), glint_sim_peek32(b, 0x1FFF7590u));
}
END_TEST

START_TEST(test_two_sims_independent)
{
	g_autoptr(GlintSim) a = sim_new_ok(NULL);
	g_autoptr(GlintSim) b = sim_new_ok(NULL);
	bus_w32(a, 0x20000000u, 0x12345678u);
	flash_unlock(a);
	ck_assert_uint_eq(bus_r32(b, 0x20000000u), 0);
	ck_assert(bus_r32(b, FLASH_CR) & CR_LOCK);
}
END_TEST

START_TEST(test_flash_sizes)
{
	g_autoptr(GlintSim) re = sim_new_ok("l476re");
	g_autoptr(GlintSim) rc = sim_new_ok("l476rc");
	guint32 v;
	ck_assert_uint_eq(glint_sim_peek32(re, 0x1FFF75E0u) & 0xFFFF, 512);
	ck_assert_uint_eq(glint_sim_peek32(rc, 0x1FFF75E0u) & 0xFFFF, 256);
	ck_assert(!glint_sim_bus_read(rc, 0x08040000u, 4, &v));
	ck_assert(glint_sim_bus_read(re, 0x0807FFFCu, 4, &v));
	ck_assert(!glint_sim_bus_read(re, 0x08080000u, 4, &v));
}
END_TEST

static GlintSim *
modified_board(void)
{
	GlintSim *sim = sim_new_ok("l476re");
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	bus_w32(sim, 0x08040010u, 0xCAFEF00Du);
	bus_w32(sim, 0x08040014u, 0x0BADBEEFu);
	bus_w32(sim, 0x1FFF7000u, 0x01020304u); /* OTP */
	bus_w32(sim, 0x1FFF7004u, 0x05060708u);
	bus_w32(sim, FLASH_CR, 0);
	bus_w32(sim, FLASH_WRP1AR, 0x00030002u);
	bus_w32(sim, FLASH_CR, CR_OPTSTRT);
	flash_wait(sim);
	return sim;
}

START_TEST(test_state_round_trip)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = modified_board();
	g_autoptr(GlintSim) back = NULL;
	g_autoptr(GError) error = NULL;
	GStatBuf st;
	glint_sim_set_serial(sim, "0669FF00112233445566778A");
	ck_assert(glint_sim_save_state(sim, path, &error));
	ck_assert_int_eq(g_stat(path, &st), 0);
	/* one non-erased page + header: compact */
	ck_assert_int_lt(st.st_size, 4096);
	back = glint_sim_new_from_state(path, &error);
	ck_assert_msg(back != NULL, "%s", error != NULL ? error->message : "?");
	ck_assert_str_eq(glint_sim_get_spec(back), "l476re");
	ck_assert_str_eq(glint_sim_get_board(back), "stm32l476re");
	ck_assert_str_eq(glint_sim_get_scenario(back), "fresh");
	ck_assert_str_eq(glint_sim_get_serial(back), "0669FF00112233445566778A");
	ck_assert_uint_eq(glint_sim_peek32(back, 0x08040010u), 0xCAFEF00Du);
	ck_assert_uint_eq(glint_sim_peek32(back, 0x1FFF7004u), 0x05060708u);
	/* the option bytes were loaded at power-on: WRP now effective */
	ck_assert_uint_eq(bus_r32(back, FLASH_WRP1AR), 0x00030002u);
	flash_unlock(back);
	bus_w32(back, FLASH_CR, CR_PER | CR_PNB(2) | CR_STRT);
	ck_assert_uint_eq(flash_wait(back), SR_WRPERR);
	remove_tmp(path);
}
END_TEST

static void
expect_bad_file(const gchar *path, const guint8 *data, gsize len, GlintErrorCode code,
		const char *needle)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim;
	ck_assert(g_file_set_contents(path, (const gchar *)data, (gssize)len, NULL));
	sim = glint_sim_new_from_state(path, &error);
	ck_assert_ptr_null(sim);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, code), "wrong error: %s",
		      error != NULL ? error->message : "none");
	ck_assert_msg(strstr(error->message, path) != NULL, "path missing: %s", error->message);
	ck_assert_msg(strstr(error->message, needle) != NULL, "'%s' missing: %s", needle,
		      error->message);
}

/* Fix up the trailing CRC-32 after editing a saved file */
static void
refresh_crc(guint8 *data, gsize len)
{
	st_put32(data + len - 4, glint_crc32(0, data, len - 4));
}

/* Where the fields of a version-2 file are (read with the format as
 * sim-state.c documents it) */
typedef struct {
	gsize board_at;	   /* the length byte of the board name */
	gsize scenario_at; /* the length byte of the scenario name */
	gsize chunk_at;	   /* u32 chunk size */
	gsize nregions_at; /* u32 region count */
	struct {
		gchar *name;
		gsize name_at, size_at, erased_at, count_at;
		guint32 size, count;
		gsize first_chunk_at; /* u32 index of its first stored chunk */
	} region[8];
	guint n;
	gsize end; /* where the CRC starts */
} V2Layout;

static guint32
chunk_bytes(guint32 size, guint32 idx)
{
	return MIN(1024u, size - idx * 1024u);
}

static void
v2_layout(const guint8 *d, gsize len, V2Layout *l)
{
	gsize pos = 12;
	memset(l, 0, sizeof(*l));
	ck_assert_uint_eq(st_get32(d + 8), 2);
	l->board_at = pos;
	pos += 1 + d[pos];
	l->scenario_at = pos;
	pos += 1 + d[pos];
	pos += 1 + d[pos]; /* serial */
	l->chunk_at = pos;
	pos += 4;
	l->nregions_at = pos;
	l->n = st_get32(d + pos);
	pos += 4;
	ck_assert_uint_le(l->n, G_N_ELEMENTS(l->region));
	for (guint i = 0; i < l->n; i++) {
		l->region[i].name_at = pos;
		l->region[i].name = g_strndup((const gchar *)d + pos + 1, d[pos]);
		pos += 1 + d[pos];
		l->region[i].size_at = pos;
		l->region[i].size = st_get32(d + pos);
		pos += 4;
		l->region[i].erased_at = pos;
		pos += 1;
		l->region[i].count_at = pos;
		l->region[i].count = st_get32(d + pos);
		pos += 4;
		l->region[i].first_chunk_at = pos;
		for (guint32 c = 0; c < l->region[i].count; c++)
			pos += 4 + chunk_bytes(l->region[i].size, st_get32(d + pos));
	}
	l->end = pos;
	ck_assert_uint_eq(pos, len - 4);
}

static void
v2_layout_clear(V2Layout *l)
{
	for (guint i = 0; i < l->n; i++)
		g_free(l->region[i].name);
}

static guint
v2_region(const V2Layout *l, const char *name)
{
	for (guint i = 0; i < l->n; i++) {
		if (g_strcmp0(l->region[i].name, name) == 0)
			return i;
	}
	ck_abort_msg("no region %s in the file", name);
	return 0;
}

/* What version 2 records: the board, the scenario, every non-volatile
 * region; erased chunks are left out */
START_TEST(test_state_v2_layout)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = modified_board();
	g_autofree gchar *data = NULL;
	gsize len = 0;
	V2Layout l;
	const guint8 *d;
	ck_assert(glint_sim_save_state(sim, path, NULL));
	ck_assert(g_file_get_contents(path, &data, &len, NULL));
	d = (const guint8 *)data;
	v2_layout(d, len, &l);
	ck_assert_mem_eq(d + l.board_at, "\013stm32l476re", 12);
	ck_assert_mem_eq(d + l.scenario_at, "\005fresh", 6);
	ck_assert_uint_eq(st_get32(d + l.chunk_at), 1024);
	ck_assert_uint_eq(l.n, 4);
	{
		guint flash = v2_region(&l, "flash");
		guint otp = v2_region(&l, "otp");
		guint opt1 = v2_region(&l, "options1");
		guint opt2 = v2_region(&l, "options2");
		ck_assert_uint_eq(l.region[flash].size, 512 * 1024);
		ck_assert_uint_eq(d[l.region[flash].erased_at], 0xFF);
		/* one programmed double word: one chunk, the one holding 0x08040010 */
		ck_assert_uint_eq(l.region[flash].count, 1);
		ck_assert_uint_eq(st_get32(d + l.region[flash].first_chunk_at), 0x40000 / 1024);
		ck_assert_uint_eq(l.region[otp].size, 1024);
		ck_assert_uint_eq(l.region[otp].count, 1);
		ck_assert_uint_eq(l.region[opt1].size, 0x28);
		ck_assert_uint_eq(l.region[opt1].count, 1);
		ck_assert_uint_eq(l.region[opt2].count, 1);
	}
	v2_layout_clear(&l);
	remove_tmp(path);
}
END_TEST

/* A board that is not the default one, in a scenario of its own, with
 * flash, option bytes and OTP changed: all of it comes back */
START_TEST(test_state_v2_round_trip_board)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = sim_new_ok("stm32l476rc:bfb2-empty");
	g_autoptr(GlintSim) back = NULL;
	g_autoptr(GError) error = NULL;
	flash_opt_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	bus_w32(sim, 0x0803FFF8u, 0x11223344u); /* the last double word */
	bus_w32(sim, 0x0803FFFCu, 0x55667788u);
	bus_w32(sim, 0x1FFF73F8u, 0x99AABBCCu); /* the last OTP double word */
	bus_w32(sim, 0x1FFF73FCu, 0xDDEEFF00u);
	bus_w32(sim, FLASH_CR, 0);
	bus_w32(sim, FLASH_WRP1AR, 0x00050004u);
	bus_w32(sim, FLASH_CR, CR_OPTSTRT);
	flash_wait(sim);
	ck_assert(glint_sim_save_state(sim, path, &error));
	back = glint_sim_new_from_state(path, &error);
	ck_assert_msg(back != NULL, "%s", error != NULL ? error->message : "?");
	ck_assert_str_eq(glint_sim_get_board(back), "stm32l476rc");
	ck_assert_str_eq(glint_sim_get_scenario(back), "bfb2-empty");
	ck_assert_str_eq(glint_sim_get_spec(back), "stm32l476rc:bfb2-empty");
	ck_assert_str_eq(glint_sim_get_serial(back), glint_sim_get_serial(sim));
	ck_assert_uint_eq(glint_sim_peek32(back, 0x0803FFFCu), 0x55667788u);
	ck_assert_uint_eq(glint_sim_peek32(back, 0x1FFF73F8u), 0x99AABBCCu);
	/* the firmware the scenario wrote is there too */
	ck_assert_uint_eq(glint_sim_peek32(back, 0x08000000u), glint_sim_peek32(sim, 0x08000000u));
	/* options: the whole areas, loaded at power-on (BFB2 and the new WRP) */
	for (guint32 a = 0x1FFF7800u; a < 0x1FFF7828u; a += 4)
		ck_assert_uint_eq(glint_sim_peek32(back, a), glint_sim_peek32(sim, a));
	ck_assert_uint_eq(bus_r32(back, FLASH_WRP1AR), 0x00050004u);
	ck_assert_uint_ne(bus_r32(back, FLASH_OPTR) & (1u << 20), 0);
	remove_tmp(path);
}
END_TEST

/* The file says which board in which scenario it holds */
START_TEST(test_state_names_its_board)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg:rdp1");
	g_autoptr(GlintSim) back = NULL;
	ck_assert(glint_sim_save_state(sim, path, NULL));
	back = glint_sim_new_from_state(path, NULL);
	ck_assert_ptr_nonnull(back);
	ck_assert_str_eq(glint_sim_get_spec(back), "rdp1");
	ck_assert_uint_eq(bus_r32(back, FLASH_OPTR) & 0xFF, 0xBB);
	remove_tmp(path);
}
END_TEST

static void
edit_u32(guint8 *d, gsize len, gsize at, guint32 v)
{
	st_put32(d + at, v);
	refresh_crc(d, len);
}

START_TEST(test_state_bad_files)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = modified_board();
	g_autofree gchar *good = NULL;
	g_autofree guint8 *copy = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	V2Layout l;
	guint flash, otp;
	ck_assert(glint_sim_save_state(sim, path, &error));
	ck_assert(g_file_get_contents(path, &good, &len, NULL));
	copy = g_memdup2(good, len);
	v2_layout((const guint8 *)good, len, &l);
	flash = v2_region(&l, "flash");
	otp = v2_region(&l, "otp");

	copy[0] = 'X';
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "bad magic");
	memcpy(copy, good, len);
	expect_bad_file(path, copy, len - 100, GLINT_ERROR_BAD_IMAGE, "CRC");
	expect_bad_file(path, copy, 6, GLINT_ERROR_BAD_IMAGE, "bad magic");
	copy[len / 2] ^= 0x01;
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "CRC mismatch");
	memcpy(copy, good, len);
	copy[8] = 9;
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "version 9");
	copy[8] = 3;
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "version 3");
	memcpy(copy, good, len);
	memcpy(copy + l.board_at + 1, "stm32l476zz", 11);
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unknown board 'stm32l476zz'");
	memcpy(copy, good, len);
	memcpy(copy + l.scenario_at + 1, "fizzy", 5);
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unknown scenario 'fizzy'");
	memcpy(copy, good, len);
	edit_u32(copy, len, l.chunk_at, 2048);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "chunk size 2048");
	memcpy(copy, good, len);
	edit_u32(copy, len, l.nregions_at, 99);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "99 regions");
	memcpy(copy, good, len);
	memcpy(copy + l.region[otp].name_at + 1, "opx", 3);
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unknown region 'opx'");
	memcpy(copy, good, len);
	memcpy(copy + l.region[otp].name_at, "\005flash", 6); /* "otp" becomes a 2nd flash */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "truncated");
	memcpy(copy, good, len);
	/* 512 KB of flash recorded as 256 KB: another part */
	edit_u32(copy, len, l.region[flash].size_at, 256 * 1024);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "does not match");
	memcpy(copy, good, len);
	copy[l.region[flash].erased_at] = 0x00;
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "erases to 0x00");
	memcpy(copy, good, len);
	ck_assert_uint_eq(l.region[flash].count, 1);		  /* the one programmed chunk */
	edit_u32(copy, len, l.region[flash].first_chunk_at, 512); /* beyond 512 KB */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "beyond the end");
	memcpy(copy, good, len);
	edit_u32(copy, len, l.region[flash].count_at, 513);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "more stored chunks");
	memcpy(copy, good, len);
	edit_u32(copy, len, l.region[flash].count_at, 2); /* claims a chunk not there */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "region 'flash'");
	memcpy(copy, good, len);
	edit_u32(copy, len, l.nregions_at, 3); /* the last region left over */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unexpected bytes");
	v2_layout_clear(&l);
	remove_tmp(path);
	{
		g_autoptr(GError) e2 = NULL;
		ck_assert_ptr_null(glint_sim_new_from_state("/nonexistent/board.glsim", &e2));
		ck_assert(g_error_matches(e2, GLINT_ERROR, GLINT_ERROR_IO));
		ck_assert_ptr_nonnull(strstr(e2->message, "/nonexistent/board.glsim"));
	}
}
END_TEST

/* A version-1 file (before boards: an STM32L476 only), written here byte
 * by byte as that format was: u32 flash KB, the scenario, the serial, both
 * option areas (0x28 bytes each: OPTR, PCROP1SR, PCROP1ER, WRP1AR, WRP1BR,
 * each value then complement), 1 KB of OTP, u32 page count, pages of u32
 * index + 2 KB, CRC-32 */
static void
v1_pair(GByteArray *b, guint32 v)
{
	guint8 w[8];
	st_put32(w, v);
	st_put32(w + 4, ~v);
	g_byte_array_append(b, w, 8);
}

static void
v1_u32(GByteArray *b, guint32 v)
{
	guint8 w[4];
	st_put32(w, v);
	g_byte_array_append(b, w, 4);
}

static void
v1_str(GByteArray *b, const char *s)
{
	guint8 n = (guint8)strlen(s);
	g_byte_array_append(b, &n, 1);
	g_byte_array_append(b, (const guint8 *)s, n);
}

static GByteArray *
v1_file(guint32 flash_kb, const char *scenario, guint32 wrp1a, guint32 page_index)
{
	GByteArray *b = g_byte_array_new();
	guint8 otp[1024], page[2048];
	g_byte_array_append(b, (const guint8 *)"GLSIMST", 8);
	v1_u32(b, 1);
	v1_u32(b, flash_kb);
	v1_str(b, scenario);
	v1_str(b, "0669FF0011223344556677AB");
	/* bank 1: OPTR factory, no PCROP, WRP1A as given, WRP1B off */
	v1_pair(b, 0xFFEFF8AAu);
	v1_pair(b, 0xFFFFFFFFu);
	v1_pair(b, 0xFFFF0000u);
	v1_pair(b, wrp1a);
	v1_pair(b, 0xFF00FFFFu);
	/* bank 2: the OPTR slot is unused (erased), the rest off */
	g_byte_array_append(b, (const guint8 *)"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8);
	v1_pair(b, 0xFFFFFFFFu);
	v1_pair(b, 0xFFFF0000u);
	v1_pair(b, 0xFF00FFFFu);
	v1_pair(b, 0xFF00FFFFu);
	memset(otp, 0xFF, sizeof(otp));
	st_put32(otp + 8, 0x0000CAFEu);
	g_byte_array_append(b, otp, sizeof(otp));
	v1_u32(b, 1);
	v1_u32(b, page_index);
	for (guint i = 0; i < sizeof(page); i++)
		page[i] = (guint8)(i * 7 + 1);
	g_byte_array_append(b, page, sizeof(page));
	v1_u32(b, glint_crc32(0, b->data, b->len));
	return b;
}

START_TEST(test_state_v1_loads)
{
	g_autofree gchar *path = tmp_path("old.glsim");
	g_autoptr(GByteArray) re = v1_file(512, "l476re", 0x00030002u, 128);
	g_autoptr(GByteArray) wrp = v1_file(1024, "wrp", 0x000F0000u, 3);
	g_autoptr(GlintSim) a = NULL;
	g_autoptr(GlintSim) b = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert(g_file_set_contents(path, (const gchar *)re->data, (gssize)re->len, NULL));
	a = glint_sim_new_from_state(path, &error);
	ck_assert_msg(a != NULL, "%s", error != NULL ? error->message : "?");
	/* the 512 KB L476 */
	ck_assert_str_eq(glint_sim_get_board(a), "stm32l476re");
	ck_assert_str_eq(glint_sim_get_scenario(a), "fresh");
	ck_assert_str_eq(glint_sim_get_spec(a), "l476re");
	ck_assert_str_eq(glint_sim_get_serial(a), "0669FF0011223344556677AB");
	ck_assert_uint_eq(glint_sim_peek32(a, 0x1FFF75E0u) & 0xFFFF, 512);
	/* page 128 is 0x08040000; the rest of flash erased */
	ck_assert_uint_eq(glint_sim_peek32(a, 0x08040000u), 0x160F0801u);
	ck_assert_uint_eq(glint_sim_peek32(a, 0x08000000u), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(a, 0x1FFF7008u), 0x0000CAFEu);
	ck_assert_uint_eq(glint_sim_peek32(a, 0x1FFF7818u), 0x00030002u);
	/* and the option bytes were loaded: WRP1A protects pages 2-3 */
	ck_assert_uint_eq(bus_r32(a, FLASH_WRP1AR), 0x00030002u);
	ck_assert_uint_eq(bus_r32(a, FLASH_SR) & SR_OPTVERR, 0);
	flash_unlock(a);
	bus_w32(a, FLASH_CR, CR_PER | CR_PNB(3) | CR_STRT);
	ck_assert_uint_eq(flash_wait(a), SR_WRPERR);

	ck_assert(g_file_set_contents(path, (const gchar *)wrp->data, (gssize)wrp->len, NULL));
	b = glint_sim_new_from_state(path, &error);
	ck_assert_msg(b != NULL, "%s", error != NULL ? error->message : "?");
	ck_assert_str_eq(glint_sim_get_board(b), "nucleo-l476rg");
	ck_assert_str_eq(glint_sim_get_spec(b), "wrp");
	ck_assert_uint_eq(glint_sim_peek32(b, 0x08001800u), 0x160F0801u);
	ck_assert_uint_eq(bus_r32(b, FLASH_WRP1AR), 0x000F0000u);
	/* saved again, it is a version-2 file that loads the same */
	ck_assert(glint_sim_save_state(b, path, &error));
	{
		g_autoptr(GlintSim) c = glint_sim_new_from_state(path, &error);
		g_autofree gchar *data = NULL;
		gsize len = 0;
		ck_assert_ptr_nonnull(c);
		ck_assert(g_file_get_contents(path, &data, &len, NULL));
		ck_assert_uint_eq(st_get32((const guint8 *)data + 8), 2);
		ck_assert_str_eq(glint_sim_get_spec(c), "wrp");
		ck_assert_uint_eq(glint_sim_peek32(c, 0x08001800u), 0x160F0801u);
	}
	remove_tmp(path);
}
END_TEST

/* What the loader checked in version 1 it still checks */
START_TEST(test_state_v1_bad_files)
{
	g_autofree gchar *path = tmp_path("old.glsim");
	/* the scenario name's length byte: magic 8, version 4, size 4 */
	const gsize name_at = 16;
	/* the page count: + "l476re" 7, serial 25, option areas 80, OTP 1024 */
	const gsize count_at = 16 + 7 + 25 + 80 + 1024;
	g_autoptr(GByteArray) good = v1_file(512, "l476re", 0xFF00FFFFu, 5);
	g_autofree guint8 *copy = g_memdup2(good->data, good->len);
	gsize len = good->len;

	memcpy(copy + name_at + 1, "l476zz", 6);
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unknown scenario 'l476zz'");
	memcpy(copy, good->data, len);
	copy[13] = 1; /* flash size 512 -> 256 KB: does not match l476re */
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "does not match");
	memcpy(copy, good->data, len);
	ck_assert_uint_eq(st_get32(copy + count_at), 1);
	edit_u32(copy, len, count_at + 4, 256); /* page index beyond 512 KB */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "beyond the end of flash");
	memcpy(copy, good->data, len);
	edit_u32(copy, len, count_at, 2); /* claims a page that is not there */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "truncated");
	memcpy(copy, good->data, len);
	edit_u32(copy, len, count_at, 0); /* the page is left over */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unexpected bytes");
	memcpy(copy, good->data, len);
	edit_u32(copy, len, count_at, 300); /* more pages than 512 KB has */
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "more stored pages");
	memcpy(copy, good->data, len);
	expect_bad_file(path, copy, count_at + 2, GLINT_ERROR_BAD_IMAGE, "CRC");
	remove_tmp(path);
}
END_TEST

static void
garbage_sweep(const guint8 *good, gsize len, const gchar *path, guint32 seed)
{
	guint32 x = seed;
	for (guint i = 0; i < 300; i++) {
		g_autofree guint8 *copy = g_memdup2(good, len);
		g_autoptr(GError) error = NULL;
		GlintSim *bad;
		gsize cut;
		for (guint j = 0; j < 4; j++) {
			x = x * 1103515245u + 12345u;
			copy[(x >> 8) % len] = (guint8)(x >> 16);
		}
		x = x * 1103515245u + 12345u;
		cut = (i % 3 == 0) ? (x >> 8) % len : len;
		/* half of them with a valid CRC, so the parser itself is exercised */
		if (i % 2 == 0 && cut > 8)
			refresh_crc(copy, cut);
		ck_assert(g_file_set_contents(path, (const gchar *)copy, (gssize)cut, NULL));
		bad = glint_sim_new_from_state(path, &error);
		if (bad != NULL)
			glint_sim_unref(bad);
		else
			ck_assert(error != NULL);
	}
}

START_TEST(test_state_garbage_never_crashes)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = modified_board();
	g_autoptr(GByteArray) v1 = v1_file(1024, "stale-errors", 0xFF00FFFFu, 7);
	g_autofree gchar *good = NULL;
	gsize len = 0;
	ck_assert(glint_sim_save_state(sim, path, NULL));
	ck_assert(g_file_get_contents(path, &good, &len, NULL));
	garbage_sweep((const guint8 *)good, len, path, 99);
	garbage_sweep(v1->data, v1->len, path, 7);
	remove_tmp(path);
}
END_TEST

/* What a file offered as a state is, before anything is loaded from it. */
START_TEST(test_state_file_classify)
{
	g_autofree gchar *path = tmp_path("board.state");
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	GlintSimStateFileKind kind = GLINT_SIM_STATE_FILE_STATE;
	gsize len = 0;

	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_ABSENT);
	ck_assert(glint_sim_save_state(sim, path, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_STATE);
	ck_assert(g_file_get_contents(path, &contents, &len, NULL));
	/* damaged past the header: still a state (the loader says what is wrong) */
	ck_assert(g_file_set_contents(path, contents, (gssize)len / 2, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_STATE);
	/* cut inside the magic, or empty: a truncated state */
	ck_assert(g_file_set_contents(path, contents, 5, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_STATE);
	ck_assert(g_file_set_contents(path, "", 0, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_STATE);
	/* version 1 still loads: a state; a version this build does not know */
	contents[8] = 1;
	ck_assert(g_file_set_contents(path, contents, (gssize)len, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_STATE);
	contents[8] = 3;
	ck_assert(g_file_set_contents(path, contents, (gssize)len, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_OTHER_VERSION);
	/* a firmware file, a short text, one differing magic byte */
	ck_assert(g_file_set_contents(path, ":020000040800F2\n:00000001FF\n", -1, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_FOREIGN);
	ck_assert(g_file_set_contents(path, "GL", -1, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_STATE);
	ck_assert(g_file_set_contents(path, "GLSIMSX", -1, NULL));
	ck_assert(glint_sim_state_file_classify(path, &kind, NULL));
	ck_assert_int_eq(kind, GLINT_SIM_STATE_FILE_FOREIGN);
	/* unreadable: an error naming it */
	ck_assert(!glint_sim_state_file_classify(dir, &kind, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_IO));
	ck_assert_ptr_nonnull(strstr(error->message, dir));
	remove_tmp(path);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-state");
	TCase *tc = tcase_create("scenarios");
	TCase *ts = tcase_create("state");
	tcase_add_test(tc, test_scenarios_known);
	tcase_add_test(tc, test_unknown_scenario);
	tcase_add_test(tc, test_serials);
	tcase_add_test(tc, test_two_sims_independent);
	tcase_add_test(tc, test_flash_sizes);
	tcase_add_test(ts, test_state_round_trip);
	tcase_add_test(ts, test_state_v2_layout);
	tcase_add_test(ts, test_state_v2_round_trip_board);
	tcase_add_test(ts, test_state_names_its_board);
	tcase_add_test(ts, test_state_bad_files);
	tcase_add_test(ts, test_state_v1_loads);
	tcase_add_test(ts, test_state_v1_bad_files);
	tcase_add_test(ts, test_state_garbage_never_crashes);
	tcase_add_test(ts, test_state_file_classify);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, ts);
	return run_suite(s);
}
