/* The checked-in bytes of one family's loader (its *-blob.h header) are what
 * its source assembles to today, whenever arm-none-eabi-gcc is present, and
 * fit the code area the host gives a loader.
 *
 *   test-loader-bytes CPU SOURCE.S LINKER.ld SYMBOL HEADER.h
 */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* core/loader/glint-loader.c: code goes below the control block at 0x600. */
#define LOADER_CODE_MAX 0x600

static char **args;

/* Number of bytes in a blob header: one "0x" per byte. */
static guint
count_bytes(const char *text)
{
	guint n = 0;
	for (const char *p = strstr(text, "[] = {"); p != NULL && (p = strstr(p, "0x")) != NULL;
	     p += 2)
		n++;
	return n;
}

START_TEST(test_blob_matches_source)
{
	const char *src = g_getenv("GLINT_SOURCE_DIR");
	g_autofree gchar *gcc = g_find_program_in_path("arm-none-eabi-gcc");
	g_autofree gchar *objcopy = g_find_program_in_path("arm-none-eabi-objcopy");
	g_autofree gchar *dir = NULL, *script = NULL, *fresh_path = NULL;
	g_autofree gchar *out = NULL, *err = NULL, *fresh = NULL, *checked_in = NULL;
	g_autoptr(GError) error = NULL;
	gint status = 0;

	ck_assert_msg(src != NULL, "GLINT_SOURCE_DIR is not set (run through meson test)");
	if (gcc == NULL || objcopy == NULL) {
		fprintf(stderr, "# arm-none-eabi-gcc not found: bytes not re-assembled\n");
		return;
	}
	dir = g_dir_make_tmp("glint-loader-XXXXXX", &error);
	ck_assert_msg(dir != NULL, "%s", error ? error->message : "");
	script = g_build_filename(src, "core", "loader", "regen-loader.sh", NULL);
	{
		g_autofree gchar *base = g_path_get_basename(args[5]);
		fresh_path = g_build_filename(dir, base, NULL);
	}
	{
		const char *argv[] = {"/bin/sh", script,  gcc,	   objcopy,    args[1],
				      args[2],	 args[3], args[4], fresh_path, NULL};
		ck_assert_msg(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
					   &out, &err, &status, &error),
			      "%s", error ? error->message : "");
	}
	ck_assert_msg(g_spawn_check_wait_status(status, NULL), "regen-loader.sh failed: %s", err);
	ck_assert(g_file_get_contents(fresh_path, &fresh, NULL, NULL));
	ck_assert(g_file_get_contents(args[5], &checked_in, NULL, NULL));
	g_unlink(fresh_path);
	g_rmdir(dir);
	ck_assert_msg(g_strcmp0(fresh, checked_in) == 0,
		      "%s assembles to other bytes than %s holds (%u vs %u bytes): run `ninja "
		      "regen-loaders`",
		      args[2], args[5], count_bytes(fresh), count_bytes(checked_in));
}
END_TEST

/* The blob is real code and fits below the control block. */
START_TEST(test_blob_shape)
{
	g_autofree gchar *text = NULL;
	guint n;
	ck_assert(g_file_get_contents(args[5], &text, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(text, args[4]));
	n = count_bytes(text);
	ck_assert_uint_gt(n, 64);
	ck_assert_uint_le(n, LOADER_CODE_MAX);
	ck_assert_uint_eq(n % 2, 0);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("loader-bytes");
	TCase *tc = tcase_create("bytes");
	SRunner *sr;
	int failed;

	if (argc != 6) {
		fprintf(stderr, "usage: %s CPU SOURCE.S LINKER.ld SYMBOL HEADER.h\n", argv[0]);
		return 2;
	}
	args = argv;
	tcase_add_test(tc, test_blob_matches_source);
	tcase_add_test(tc, test_blob_shape);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
