/* test-l4-ui.c: the GUI's option editor on the STM32WB55 and STM32G0B1. On
 * the WB, CPU2's secure flash is shown (pages 244-255 of the FUS) but
 * greyed, with the reason as its tooltip, and an edit elsewhere leaves it
 * alone; on the G0B1, the G0's own fields and bank 2's areas. Runs under
 * Xvfb with the real window (the harness of tests/ui); the screenshots land
 * in GLINT_SCREENSHOT_DIR. */
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

static GlintOptionsPanel *
open_editor(const char *scenario)
{
	GlintWindowOptions options = {.sim_scenario = scenario, .no_usb = TRUE};
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
	return glint_window_get_options_panel(window);
}

START_TEST(test_wb_option_editor)
{
	GlintOptionsPanel *panel = open_editor("p-nucleo-wb55:fresh");
	GtkWidget *secure = ui_get(root(), "wrp-SECURE-active");
	GtkWidget *first = ui_get(root(), "wrp-SECURE-first");
	g_autofree gchar *tip = NULL;
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_nonnull(ui_get(root(), "option-ESE"));
	ck_assert_ptr_nonnull(ui_get(root(), "option-SBRV"));
	/* shown as the chip has it, not editable, the reason on hover */
	ck_assert(gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(secure)));
	ck_assert_int_eq((gint)gtk_spin_button_get_value(GTK_SPIN_BUTTON(first)), 244);
	ck_assert(!gtk_widget_is_sensitive(secure));
	tip = gtk_widget_get_tooltip_text(gtk_widget_get_parent(secure));
	if (tip == NULL)
		tip = gtk_widget_get_tooltip_text(secure);
	ck_assert_ptr_nonnull(tip);
	ck_assert_ptr_nonnull(strstr(tip, "CPU2"));
	ck_assert_uint_eq(glint_options_panel_count_changed(panel), 0);
	ck_assert(glint_options_panel_check(panel, &error));
	ui_scroll_to(secure);
	ui_screenshot(window, "wb55-options.png");
	gtk_widget_destroy(GTK_WIDGET(window));
	ui_flush();
}
END_TEST

START_TEST(test_g0b1_option_editor)
{
	GlintOptionsPanel *panel = open_editor("nucleo-g0b1re:fresh");
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_nonnull(ui_get(root(), "option-nBOOT_SEL"));
	ck_assert_ptr_nonnull(ui_get(root(), "option-NRST_MODE"));
	ck_assert_ptr_nonnull(ui_get(root(), "option-DUAL_BANK"));
	ck_assert_ptr_nonnull(ui_get(root(), "option-nSWAP_BANK"));
	ck_assert_ptr_nonnull(ui_get(root(), "wrp-WRP2A-active"));
	ck_assert_ptr_nonnull(ui_get(root(), "area-PCROP2B"));
	ck_assert_uint_eq(glint_options_panel_count_changed(panel), 0);
	ck_assert(glint_options_panel_check(panel, &error));
	ui_screenshot(window, "g0b1-options.png");
	gtk_widget_destroy(GTK_WIDGET(window));
	ui_flush();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l4-ui");
	TCase *tc = tcase_create("options");
	SRunner *sr;
	int failed;
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_wb_option_editor);
	tcase_add_test(tc, test_g0b1_option_editor);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
