/* test-l5-ui.c: the Glint window on both STM32L5/U5 boards: it connects,
 * the option editor is built from the TrustZone layouts (TZEN, BOOT_LOCK,
 * SECWM and HDP areas, DBANK on the L5, the WRP UNLOCK bits on the U5),
 * and switching TrustZone on asks for the typed permanent-lock phrase,
 * naming the pages that become secure, before anything is written; then it
 * writes. On the trustzone scenario a finding says what Glint cannot
 * touch. Screenshots land in GLINT_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "glint-test"

#include <check.h>
#include <gtk/gtk.h>
#include <string.h>

#include "glint-app.h"
#include "glint-options-panel.h"
#include "glint-window.h"
#include "ui-harness.h"

static const struct {
	const char *board;
	const char *own_field; /* a field only this line has */
} boards[] = {
    {"nucleo-l552ze-q", "option-DBANK"},
    {"nucleo-u575zi-q", "option-WRP1A_UNLOCK"},
};

static GlintWindow *window;
static gchar *tmp_root;

static GtkWidget *
root(void)
{
	return GTK_WIDGET(window);
}

static const char *
log_text(void)
{
	return glint_log_view_get_text(glint_window_get_log_view(window));
}

static void
open_and_connect(const char *spec)
{
	GlintWindowOptions options = {.sim_scenario = spec, .no_usb = TRUE};
	window = glint_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert_msg(glint_window_is_connected(window), "not connected; log:\n%s", log_text());
}

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

/* Whether a label in the window's tree holds @needle (findings without a
 * fix are labels only) */
static void
find_label(GtkWidget *widget, gpointer data)
{
	const char **needle = data;
	if (*needle == NULL)
		return;
	if (GTK_IS_LABEL(widget) && strstr(gtk_label_get_text(GTK_LABEL(widget)), *needle)) {
		*needle = NULL;
		return;
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), find_label, data);
}

static gboolean
shows_text(const char *needle)
{
	const char *n = needle;
	find_label(root(), &n);
	return n == NULL;
}

static gboolean
dialog_shown(gpointer data)
{
	return glint_window_get_confirm_dialog(window) != NULL;
}

static gboolean
tzen_set(void)
{
	const GlintTargetInfo *info =
	    glint_session_get_target_info(glint_window_get_session(window));
	guint32 v = 0;
	ck_assert(glint_option_bytes_get_named(&info->options, "TZEN", &v));
	return v != 0;
}

START_TEST(test_option_editor_tzen)
{
	static const char *const ids[] = {
	    "option-TZEN",	 "option-BOOT_LOCK", "option-SECBOOTADD0", "wrp-SECWM1-active",
	    "wrp-SECWM2-active", "wrp-HDP1-active",  "wrp-WRP1A-active",   "wrp-WRP2B-last"};
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", boards[_i].board);
	g_autofree gchar *shot = g_strdup_printf("options-%s.png", boards[_i].board);
	GlintOptionsPanel *panel;
	GtkDialog *dialog;
	GtkWidget *tzen, *accept;
	const char *body;

	open_and_connect(spec);
	panel = glint_window_get_options_panel(window);
	glint_window_show_page(window, "options");
	ui_flush();
	for (guint i = 0; i < G_N_ELEMENTS(ids); i++)
		ck_assert_msg(ui_find(root(), ids[i]) != NULL, "no %s in the editor", ids[i]);
	ck_assert_ptr_nonnull(ui_find(root(), boards[_i].own_field));
	ui_screenshot(window, shot);

	tzen = ui_get(root(), "option-TZEN");
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(tzen), TRUE);
	ck_assert_uint_eq(glint_options_panel_count_changed(panel), 1);
	ui_click(root(), "options-apply");
	ck_assert_msg(ui_wait(dialog_shown, NULL, 10), "no confirmation; log:\n%s", log_text());
	dialog = glint_window_get_confirm_dialog(window);
	body = gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "confirm-body")));
	ck_assert_msg(strstr(body, "SECWM1 pages 0-127") != NULL, "%s", body);
	/* permanent: the accept button waits for the typed phrase */
	accept = ui_get(GTK_WIDGET(dialog), "confirm-accept");
	ck_assert(!gtk_widget_is_sensitive(accept));
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "confirm-phrase")),
			   "lock this chip forever");
	ui_flush();
	ck_assert(gtk_widget_is_sensitive(accept));
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	ui_wait_idle(window);
	ck_assert_msg(tzen_set(), "TZEN not written; log:\n%s", log_text());
	ck_assert_msg(shows_text("Every page of the flash is secure"), "log:\n%s", log_text());
}
END_TEST

/* TrustZone on with a secure firmware: the findings say what Glint works
 * on and what it cannot touch */
START_TEST(test_trustzone_findings)
{
	g_autofree gchar *spec = g_strdup_printf("%s:trustzone", boards[_i].board);
	g_autofree gchar *shot = g_strdup_printf("l5-trustzone-%s.png", boards[_i].board);

	open_and_connect(spec);
	ck_assert_msg(shows_text("TrustZone is on (TZEN = 1)"), "log:\n%s", log_text());
	ck_assert(shows_text("SECWM1 pages 0-15 of bank 1"));
	ui_screenshot(window, shot);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l5-ui");
	TCase *tc = tcase_create("options");
	TCase *tz = tcase_create("trustzone");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_option_editor_tzen, 0, G_N_ELEMENTS(boards));
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tz, setup, teardown);
	tcase_set_timeout(tz, 120);
	tcase_add_loop_test(tz, test_trustzone_findings, 0, G_N_ELEMENTS(boards));
	suite_add_tcase(s, tz);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
