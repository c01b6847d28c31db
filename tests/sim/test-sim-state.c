/* test-sim-state.c: scenarios, serials, independence of two boards, and
 * the board state file (round trip and every way a file can be bad). */
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

START_TEST(test_state_bad_files)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = modified_board();
	g_autofree gchar *good = NULL;
	g_autofree guint8 *copy = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	/* offset of the scenario name: magic 8, version 4, size 4, length byte */
	const gsize name_at = 17;
	const gsize count_at = 17 + 6 + 1 + 24 + 80 + 1024;
	ck_assert(glint_sim_save_state(sim, path, &error));
	ck_assert(g_file_get_contents(path, &good, &len, NULL));
	copy = g_memdup2(good, len);

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
	memcpy(copy, good, len);
	memcpy(copy + name_at, "l476zz", 6);
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unknown scenario 'l476zz'");
	memcpy(copy, good, len);
	copy[13] = 1; /* flash size 512 -> 256 KB: does not match l476re */
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "does not match");
	memcpy(copy, good, len);
	ck_assert_uint_eq(st_get32(copy + count_at), 1); /* the one programmed page */
	st_put32(copy + count_at + 4, 256);		 /* page index beyond 512 KB */
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "beyond the end of flash");
	memcpy(copy, good, len);
	st_put32(copy + count_at, 2); /* claims a page that is not there */
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "truncated");
	memcpy(copy, good, len);
	st_put32(copy + count_at, 0); /* the page is left over */
	refresh_crc(copy, len);
	expect_bad_file(path, copy, len, GLINT_ERROR_BAD_IMAGE, "unexpected bytes");
	remove_tmp(path);
	{
		g_autoptr(GError) e2 = NULL;
		ck_assert_ptr_null(glint_sim_new_from_state("/nonexistent/board.glsim", &e2));
		ck_assert(g_error_matches(e2, GLINT_ERROR, GLINT_ERROR_IO));
		ck_assert_ptr_nonnull(strstr(e2->message, "/nonexistent/board.glsim"));
	}
}
END_TEST

START_TEST(test_state_garbage_never_crashes)
{
	g_autofree gchar *path = tmp_path("board.glsim");
	g_autoptr(GlintSim) sim = modified_board();
	g_autofree gchar *good = NULL;
	gsize len = 0;
	guint32 x = 99;
	ck_assert(glint_sim_save_state(sim, path, NULL));
	ck_assert(g_file_get_contents(path, &good, &len, NULL));
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
	tcase_add_test(ts, test_state_bad_files);
	tcase_add_test(ts, test_state_garbage_never_crashes);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, ts);
	return run_suite(s);
}
