/* glint-usbsim --report-time FILE (what the benchmark reads for OpenOCD
 * and st-flash): a command's modelled device time and the emulator's
 * counters for exactly that command. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static gchar *
build_path(const char *rel)
{
	const char *build = g_getenv("GLINT_BUILD_DIR");
	ck_assert_msg(build != NULL, "GLINT_BUILD_DIR is not set (run through meson test)");
	return g_build_filename(build, rel, NULL);
}

/* The value of "NAME value" in a report, or -1. */
static gdouble
report_value(const char *text, const char *name)
{
	g_autofree gchar *key = g_strdup_printf("%s ", name);
	const char *p = strstr(text, key);
	return p != NULL ? g_ascii_strtod(p + strlen(key), NULL) : -1;
}

static gchar *
run_with_report(const char *const *cmd, const char *report)
{
	g_autofree gchar *usbsim = build_path("app/glint-usbsim");
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	gchar *text = NULL;
	gint status = 0;
	const char *head[] = {"timeout", "60", usbsim, "--report-time", report, "--"};

	for (guint i = 0; i < G_N_ELEMENTS(head); i++)
		g_ptr_array_add(argv, (gpointer)head[i]);
	for (guint i = 0; cmd[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)cmd[i]);
	g_ptr_array_add(argv, NULL);
	ck_assert_msg(g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
				   NULL, &out, &err, &status, &error),
		      "%s", error ? error->message : "");
	ck_assert_msg(g_spawn_check_wait_status(status, NULL), "exit %d:\n%s\n%s", status, out,
		      err);
	ck_assert_msg(g_file_get_contents(report, &text, NULL, NULL), "no report written");
	return text;
}

/* An erase of two pages: the report counts exactly those, and the time
 * covers at least their datasheet erase time (2 x 22.02 ms). */
START_TEST(test_report_counts_the_command)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-report-XXXXXX", &error);
	g_autofree gchar *report = g_build_filename(dir, "report.txt", NULL);
	g_autofree gchar *cli = build_path("app/glint-cli");
	const char *cmd[] = {cli, "erase", "0x08000000", "4096", NULL};
	g_autofree gchar *text = run_with_report(cmd, report);

	ck_assert_msg(report_value(text, "pages_erased") == 2, "%s", text);
	ck_assert_msg(report_value(text, "double_words_programmed") == 0, "%s", text);
	ck_assert_msg(report_value(text, "mass_erases") == 0, "%s", text);
	ck_assert_msg(report_value(text, "usb_commands") > 10, "%s", text);
	ck_assert_msg(report_value(text, "device_seconds") >= 2 * 0.02202, "%s", text);
	ck_assert_msg(report_value(text, "device_seconds") < 5, "%s", text);
	g_unlink(report);
	g_rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("usbsim-report");
	TCase *tc = tcase_create("report");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_report_counts_the_command);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
