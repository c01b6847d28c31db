/* The checked-in loader bytes (core/flash/loader/l4-loader-blob.h) are what
 * its source assembles to today, whenever arm-none-eabi-gcc is present. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "loader/l4-loader-blob.h"

START_TEST(test_blob_matches_source)
{
	const char *src = g_getenv("GLINT_SOURCE_DIR");
	g_autofree gchar *gcc = g_find_program_in_path("arm-none-eabi-gcc");
	g_autofree gchar *objcopy = g_find_program_in_path("arm-none-eabi-objcopy");
	g_autofree gchar *dir = NULL, *loader_dir = NULL, *script = NULL, *bin = NULL;
	g_autofree gchar *out = NULL, *err = NULL, *fresh = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	gint status = 0;

	ck_assert_msg(src != NULL, "GLINT_SOURCE_DIR is not set (run through meson test)");
	if (gcc == NULL || objcopy == NULL) {
		fprintf(stderr, "# arm-none-eabi-gcc not found: bytes not re-assembled\n");
		return;
	}
	dir = g_dir_make_tmp("glint-loader-XXXXXX", &error);
	ck_assert_msg(dir != NULL, "%s", error ? error->message : "");
	loader_dir = g_build_filename(src, "core", "flash", "loader", NULL);
	script = g_build_filename(loader_dir, "regen.sh", NULL);
	bin = g_build_filename(dir, "l4-loader.bin", NULL);
	{
		const char *argv[] = {"/bin/sh", script, gcc, objcopy, loader_dir, bin, NULL};
		ck_assert_msg(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
					   &out, &err, &status, &error),
			      "%s", error ? error->message : "");
	}
	ck_assert_msg(g_spawn_check_wait_status(status, NULL), "regen.sh failed: %s", err);
	ck_assert(g_file_get_contents(bin, &fresh, &len, NULL));
	g_unlink(bin);
	g_rmdir(dir);
	ck_assert_msg(len == sizeof(glint_l4_loader_blob),
		      "l4-loader.S assembles to %" G_GSIZE_FORMAT " bytes, the checked-in "
		      "blob has %" G_GSIZE_FORMAT ": run `ninja regen-loader`",
		      len, sizeof(glint_l4_loader_blob));
	for (gsize i = 0; i < len; i++)
		ck_assert_msg((guint8)fresh[i] == glint_l4_loader_blob[i],
			      "byte %" G_GSIZE_FORMAT " differs (0x%02X assembled, 0x%02X checked "
			      "in): run `ninja regen-loader`",
			      i, (guint8)fresh[i], glint_l4_loader_blob[i]);
}
END_TEST

/* The blob starts with the entry point and is within the SRAM it gets. */
START_TEST(test_blob_shape)
{
	ck_assert_uint_gt(sizeof(glint_l4_loader_blob), 64);
	ck_assert_uint_le(sizeof(glint_l4_loader_blob), 0x400);
	/* "mov r11, r0": the entry saves the control block pointer first */
	ck_assert_uint_eq(glint_l4_loader_blob[0], 0x83);
	ck_assert_uint_eq(glint_l4_loader_blob[1], 0x46);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loader-bytes");
	TCase *tc = tcase_create("bytes");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_blob_matches_source);
	tcase_add_test(tc, test_blob_shape);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
