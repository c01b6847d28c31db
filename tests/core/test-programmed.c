/* test-programmed.c: the ELF remembered per probe after programming
 * (glint-programmed.h): remembered and found again by serial, forgotten
 * when something else is programmed, a changed or vanished file noticed, a
 * damaged state file replaced, an unwritable one named in the error. The
 * state lives under a private XDG_STATE_HOME. */
#define G_LOG_DOMAIN "test-programmed"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "glint-error.h"
#include "glint-programmed.h"

#define SERIAL_A "0669FFE6127A1FC20421C7FF"
#define SERIAL_B "066AFF495056805087164930"

static gchar *state_home;

/* A fresh state directory and an ELF-like file of @size bytes in it */
static gchar *
setup_file(const char *name, gsize size)
{
	g_autofree gchar *state = glint_programmed_state_path();
	g_autofree gchar *contents = g_malloc0(size);
	gchar *path = g_build_filename(state_home, name, NULL);
	g_unlink(state);
	ck_assert(g_file_set_contents(path, contents, (gssize)size, NULL));
	return path;
}

static void
set_mtime(const char *path, time_t when)
{
	struct utimbuf times = {.actime = when, .modtime = when};
	ck_assert(utime(path, &times) == 0);
}

START_TEST(test_nothing_remembered)
{
	g_autofree gchar *unused = setup_file("none.elf", 16);
	g_autoptr(GError) error = NULL;
	gboolean changed = TRUE;
	g_autofree gchar *found = glint_programmed_lookup(SERIAL_A, &changed, &error);
	ck_assert_ptr_null(found);
	ck_assert_ptr_null(error);
	ck_assert(!changed);
	/* no serial: nothing to remember it by, and no state file written */
	ck_assert(glint_programmed_remember(NULL, unused, TRUE, &error));
	ck_assert(glint_programmed_remember("", unused, TRUE, &error));
	{
		g_autofree gchar *state = glint_programmed_state_path();
		ck_assert(!g_file_test(state, G_FILE_TEST_EXISTS));
	}
}
END_TEST

/* A relative name is remembered as the absolute path; each probe has its own */
START_TEST(test_remember_per_serial)
{
	g_autofree gchar *a = setup_file("a.elf", 100);
	g_autofree gchar *b = setup_file("b.elf", 200);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *found_a = NULL, *found_b = NULL;
	g_autofree gchar *cwd = g_get_current_dir();
	gboolean changed = TRUE;

	ck_assert(g_chdir(state_home) == 0);
	ck_assert_msg(glint_programmed_remember(SERIAL_A, "a.elf", TRUE, &error), "%s",
		      error ? error->message : "");
	ck_assert(g_chdir(cwd) == 0);
	ck_assert(glint_programmed_remember(SERIAL_B, b, TRUE, &error));
	found_a = glint_programmed_lookup(SERIAL_A, &changed, &error);
	ck_assert_str_eq(found_a, a);
	ck_assert(!changed);
	found_b = glint_programmed_lookup(SERIAL_B, NULL, &error);
	ck_assert_str_eq(found_b, b);
	ck_assert_ptr_null(error);
}
END_TEST

/* Programming a .bin (not an ELF) forgets that probe's ELF only */
START_TEST(test_other_image_forgets)
{
	g_autofree gchar *a = setup_file("a.elf", 100);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *found_a = NULL, *found_b = NULL;
	ck_assert(glint_programmed_remember(SERIAL_A, a, TRUE, &error));
	ck_assert(glint_programmed_remember(SERIAL_B, a, TRUE, &error));
	ck_assert(glint_programmed_remember(SERIAL_A, "firmware.bin", FALSE, &error));
	found_a = glint_programmed_lookup(SERIAL_A, NULL, &error);
	ck_assert_ptr_null(found_a);
	found_b = glint_programmed_lookup(SERIAL_B, NULL, &error);
	ck_assert_str_eq(found_b, a);
	ck_assert_ptr_null(error);
}
END_TEST

/* A rebuilt (other size or time) or deleted ELF is still named, as changed */
START_TEST(test_changed_file)
{
	g_autofree gchar *a = setup_file("a.elf", 100);
	g_autoptr(GError) error = NULL;
	gboolean changed = FALSE;
	set_mtime(a, 1700000000);
	ck_assert(glint_programmed_remember(SERIAL_A, a, TRUE, &error));

	set_mtime(a, 1700000060);
	g_free(glint_programmed_lookup(SERIAL_A, &changed, &error));
	ck_assert_msg(changed, "a newer modification time is a change");

	set_mtime(a, 1700000000);
	g_free(glint_programmed_lookup(SERIAL_A, &changed, &error));
	ck_assert(!changed);
	ck_assert(g_file_set_contents(a, "longer than before, and so another build", -1, NULL));
	set_mtime(a, 1700000000);
	g_free(glint_programmed_lookup(SERIAL_A, &changed, &error));
	ck_assert_msg(changed, "another size is a change");

	ck_assert(g_unlink(a) == 0);
	{
		g_autofree gchar *found = glint_programmed_lookup(SERIAL_A, &changed, &error);
		ck_assert_str_eq(found, a);
		ck_assert(changed);
	}
	ck_assert_ptr_null(error);
}
END_TEST

/* A damaged state file only costs what it remembered */
START_TEST(test_damaged_state)
{
	g_autofree gchar *a = setup_file("a.elf", 100);
	g_autofree gchar *state = glint_programmed_state_path();
	g_autofree gchar *dir = g_path_get_dirname(state);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *found = NULL;
	ck_assert(g_mkdir_with_parents(dir, 0700) == 0);
	ck_assert(g_file_set_contents(state, "[unterminated\n\x01\x02 garbage", -1, NULL));
	found = glint_programmed_lookup(SERIAL_A, NULL, &error);
	ck_assert_ptr_null(found);
	ck_assert_ptr_null(error);
	ck_assert_msg(glint_programmed_remember(SERIAL_A, a, TRUE, &error), "%s",
		      error ? error->message : "");
	found = glint_programmed_lookup(SERIAL_A, NULL, &error);
	ck_assert_str_eq(found, a);
}
END_TEST

/* The state cannot be written (its directory is a file): the error names it */
START_TEST(test_unwritable_state)
{
	g_autofree gchar *a = setup_file("a.elf", 100);
	g_autofree gchar *state = glint_programmed_state_path();
	g_autofree gchar *dir = g_path_get_dirname(state);
	g_autoptr(GError) error = NULL;
	ck_assert(g_rmdir(dir) == 0 || !g_file_test(dir, G_FILE_TEST_EXISTS));
	ck_assert(g_file_set_contents(dir, "not a directory", -1, NULL));
	ck_assert(!glint_programmed_remember(SERIAL_A, a, TRUE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_IO));
	ck_assert_msg(strstr(error->message, state) != NULL, "%s", error->message);
	ck_assert(g_unlink(dir) == 0);
}
END_TEST

/* An ELF that cannot be found is not remembered */
START_TEST(test_missing_file)
{
	g_autofree gchar *a = setup_file("a.elf", 100);
	g_autofree gchar *gone = g_build_filename(state_home, "gone.elf", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *found = NULL;
	ck_assert(!glint_programmed_remember(SERIAL_A, gone, TRUE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_IO));
	ck_assert_msg(strstr(error->message, "gone.elf") != NULL, "%s", error->message);
	g_clear_error(&error);
	found = glint_programmed_lookup(SERIAL_A, NULL, &error);
	ck_assert_ptr_null(found);
}
END_TEST

static void
remove_tree(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			remove_tree(child);
		}
	}
	g_remove(path);
}

static Suite *
programmed_suite(void)
{
	Suite *s = suite_create("programmed");
	TCase *tc = tcase_create("state");
	tcase_add_test(tc, test_nothing_remembered);
	tcase_add_test(tc, test_remember_per_serial);
	tcase_add_test(tc, test_other_image_forgets);
	tcase_add_test(tc, test_changed_file);
	tcase_add_test(tc, test_damaged_state);
	tcase_add_test(tc, test_unwritable_state);
	tcase_add_test(tc, test_missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	g_autofree gchar *tmp = g_dir_make_tmp("glint-programmed-XXXXXX", NULL);
	SRunner *sr;
	int failed;

	g_assert_nonnull(tmp);
	/* before GLib reads it (it keeps the first value) */
	state_home = g_canonicalize_filename(tmp, NULL);
	g_setenv("XDG_STATE_HOME", state_home, TRUE);
	sr = srunner_create(programmed_suite());
	/* the tests share the directory: one at a time, in order */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_tree(state_home);
	g_free(state_home);
	return failed ? 1 : 0;
}
