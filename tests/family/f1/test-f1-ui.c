/* test-f1-ui.c: the GUI's option editor on an STM32F1: the F1's fields by
 * name, WRP as page ranges in groups of pages, an edit checked against the
 * groups before anything is written. Runs under Xvfb with the real window
 * (the harness of tests/ui); the screenshot lands in GLINT_SCREENSHOT_DIR. */
#include <check.h>
#include <gtk/gtk.h>
#include <string.h>

#include "glint-app.h"
#include "ui-harness.h"

static GlintWindow *window;

static GtkWidget *
root(void)
{
	return GTK_WIDGET(window);
}

START_TEST(test_f1_option_editor)
{
	GlintWindowOptions options = {.sim_scenario = "bluepill-f103c8:wrp", .no_usb = TRUE};
	GlintOptionsPanel *panel;
	GtkWidget *wrp;
	g_autoptr(GError) error = NULL;

	ck_assert_msg(gtk_init_check(NULL, NULL), "no display: run under xvfb-run");
	g_object_set(gtk_settings_get_default(), "gtk-enable-animations", FALSE, NULL);
	glint_ui_register_resources();
	window = glint_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(glint_window_is_connected(window));

	glint_window_show_page(window, "options");
	panel = glint_window_get_options_panel(window);
	/* the F1's names, as PM0075 2.5 gives them */
	ck_assert_ptr_nonnull(ui_get(root(), "option-WDG_SW"));
	ck_assert_ptr_nonnull(ui_get(root(), "option-nRST_STOP"));
	ck_assert_ptr_nonnull(ui_get(root(), "option-nRST_STDBY"));
	/* WRP0 bit 0: pages 0-3, shown as a page range */
	wrp = ui_get(root(), "area-WRP");
	ck_assert_str_eq(gtk_entry_get_text(GTK_ENTRY(wrp)), "0-3");
	/* a new range in whole groups: one change; half a group: refused */
	gtk_entry_set_text(GTK_ENTRY(wrp), "0-3,8-11");
	ck_assert_uint_eq(glint_options_panel_count_changed(panel), 1);
	ck_assert(glint_options_panel_check(panel, &error));
	ui_scroll_to(wrp);
	ui_screenshot(window, "f1-options.png");
	gtk_entry_set_text(GTK_ENTRY(wrp), "0-5");
	ck_assert(!glint_options_panel_check(panel, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "4-7"));
	gtk_widget_destroy(GTK_WIDGET(window));
	ui_flush();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("f1-ui");
	TCase *tc = tcase_create("options");
	SRunner *sr;
	int failed;
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_f1_option_editor);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
