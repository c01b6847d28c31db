/* test-l0-ui.c: the Glint window on the emulated STM32L0/L1 boards, driven
 * through its widgets: data EEPROM in the memory view and its editor, an
 * image with an EEPROM section programmed, the option editor (BFB2 on the
 * dual-bank L073, WPRMOD and WRP sectors), the erase dialog's whole-chip
 * erase (the RDP regression) on the L152, and the stuck-unlock finding. */
#define G_LOG_DOMAIN "glint-test"

#include <check.h>
#include <gtk/gtk.h>
#include <string.h>

#include "glint-app.h"
#include "glint-image.h"
#include "glint-options.h"
#include "glint-window.h"
#include "ui-harness.h"

#define FLASH 0x08000000u
#define EEPROM 0x08080000u

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
open_window(const char *spec)
{
	GlintWindowOptions options = {.sim_scenario = spec, .no_usb = TRUE};
	window = glint_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
}

static void
connect_board(void)
{
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

static const char *
label_text(const char *name)
{
	return gtk_label_get_text(GTK_LABEL(ui_get(root(), name)));
}

static gboolean
dialog_shown(gpointer data)
{
	return glint_window_get_confirm_dialog(window) != NULL;
}

static void
accept_confirmation(const char *expect_in_body)
{
	GtkDialog *dialog;
	const char *body;
	ck_assert_msg(ui_wait(dialog_shown, NULL, 10), "no confirmation dialog; log:\n%s",
		      log_text());
	dialog = glint_window_get_confirm_dialog(window);
	body = gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "confirm-body")));
	ck_assert_msg(strstr(body, expect_in_body) != NULL, "confirmation without '%s': %s",
		      expect_in_body, body);
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
}

static guint32
field_value(const char *name)
{
	const GlintTargetInfo *info =
	    glint_session_get_target_info(glint_window_get_session(window));
	const GlintOptionField *field = glint_option_layout_find_field(info->chip->options, name);
	ck_assert_msg(field != NULL, "no option field %s", name);
	return glint_option_bytes_get_field(
	    glint_options_panel_get_current(glint_window_get_options_panel(window)), field);
}

static gboolean
row_shows(gpointer data)
{
	const char *const *what = data;
	g_autofree gchar *row = NULL;
	guint64 address = g_ascii_strtoull(what[0], NULL, 16);
	row = glint_memory_view_format_row(glint_window_get_memory_view(window), (guint32)address);
	return row != NULL && strstr(row, what[1]) != NULL;
}

static gboolean
image_loaded(gpointer data)
{
	GlintFilePanel *panel = glint_window_get_file_panel(window);
	return !glint_file_panel_is_loading(panel) && glint_file_panel_get_image(panel) != NULL;
}

static gboolean
erase_dialog_checked(gpointer data)
{
	return glint_window_get_erase_dialog(window) != NULL && !glint_window_is_busy(window);
}

static gboolean
all_zero(const guint8 *p, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (p[i] != 0)
			return FALSE;
	return TRUE;
}

/* The memory view lists the data EEPROM and shows what the firmware keeps
 * there; the editor writes a half-word into it (the chip's own erase
 * before write, no page to erase) and says so before writing. */
START_TEST(test_eeprom_in_memory_view_and_editor)
{
	const char *const calib[] = {"08080000", "C0 C7 CE D5"};
	GlintSim *sim;
	GtkDialog *dialog;
	GtkTreeModel *model;
	GtkTreeIter iter;
	g_autoptr(GString) regions = g_string_new(NULL);
	const char *where;
	guint8 got[4];

	open_window("nucleo-l053r8:eeprom-data");
	connect_board();
	ck_assert_msg(strstr(label_text("target-chip"), "STM32L0") != NULL, "%s",
		      label_text("target-chip"));
	sim = glint_window_get_sim(window);
	glint_window_show_page(window, "memory");
	model = gtk_combo_box_get_model(GTK_COMBO_BOX(ui_get(root(), "memory-region")));
	for (gboolean ok = gtk_tree_model_get_iter_first(model, &iter); ok;
	     ok = gtk_tree_model_iter_next(model, &iter)) {
		g_autofree gchar *text = NULL;
		gtk_tree_model_get(model, &iter, 0, &text, -1);
		g_string_append_printf(regions, "%s\n", text);
	}
	ck_assert_msg(strstr(regions->str, "Data EEPROM") != NULL, "%s", regions->str);
	ck_assert(glint_memory_view_goto(glint_window_get_memory_view(window), EEPROM));
	ui_wait_idle(window);
	ck_assert_msg(ui_wait(row_shows, (gpointer)calib, 10), "EEPROM row not shown");

	ui_click(root(), "memory-edit");
	dialog = glint_window_get_edit_dialog(window);
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "memory-edit-address")),
			   "0x08080002");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ui_get(GTK_WIDGET(dialog), "memory-edit-width")),
				    "2");
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "memory-edit-value")), "BEEF");
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "memory-edit-count")), "1");
	where = gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "memory-edit-where")));
	ck_assert_msg(strstr(where, "Data EEPROM: written through the flash interface") != NULL,
		      "%s", where);
	ck_assert(!gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "memory-edit-erase")));
	ui_screenshot_widget(GTK_WIDGET(dialog), "l0-eeprom-edit.png");
	ui_click(GTK_WIDGET(dialog), "memory-edit-accept");
	ui_wait_idle(window);
	ck_assert(glint_sim_peek(sim, EEPROM, got, 4));
	ck_assert_msg(got[0] == 0xC0 && got[1] == 0xC7 && got[2] == 0xEF && got[3] == 0xBE,
		      "%02X %02X %02X %02X; log:\n%s", got[0], got[1], got[2], got[3], log_text());
	{
		const char *const edited[] = {"08080000", "C0 C7 EF BE"};
		ck_assert_msg(ui_wait(row_shows, (gpointer)edited, 10), "view not refreshed");
	}
	ui_screenshot(window, "l0-memory-eeprom.png");
}
END_TEST

/* An image with a section at 0x08080000 (firmware's EEPROM defaults):
 * the file panel does not call it outside the flash, Program writes both
 * parts and verifies them. */
START_TEST(test_program_image_with_eeprom_section)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(tmp_root, "fw.hex", NULL);
	guint8 code[1024], data[64], got[1024];
	GlintSim *sim;

	for (guint i = 0; i < sizeof(code); i++)
		code[i] = (guint8)(i * 13 + 1);
	for (guint i = 0; i < sizeof(data); i++)
		data[i] = (guint8)(0xA5 ^ i);
	ck_assert(glint_image_add(image, FLASH, code, sizeof(code), "code", NULL));
	ck_assert(glint_image_add(image, EEPROM + 0x40, data, sizeof(data), "eeprom", NULL));
	ck_assert_msg(glint_image_save(image, path, GLINT_IMAGE_FORMAT_IHEX, &error), "%s",
		      error ? error->message : "?");

	open_window("nucleo-l073rz:fresh");
	connect_board();
	sim = glint_window_get_sim(window);
	glint_file_panel_load(glint_window_get_file_panel(window), path, NULL);
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ui_flush();
	ck_assert_msg(!ui_log_contains(window, "outside the flash"), "log:\n%s", log_text());
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert_msg(!gtk_widget_get_visible(ui_get(root(), "info-bar")), "%s",
		      label_text("info-bar-label"));
	ck_assert(glint_sim_peek(sim, FLASH, got, sizeof(code)));
	ck_assert(memcmp(got, code, sizeof(code)) == 0);
	ck_assert(glint_sim_peek(sim, EEPROM + 0x40, got, sizeof(data)));
	ck_assert_msg(memcmp(got, data, sizeof(data)) == 0, "EEPROM not written; log:\n%s",
		      log_text());
	ck_assert(glint_sim_peek(sim, EEPROM, got, 0x40));
	ck_assert(all_zero(got, 0x40));
}
END_TEST

/* The option editor on the dual-bank L073: the L0's fields by their RM
 * names; BFB2 set through it and read back after the option reload. */
START_TEST(test_options_editor_bfb2_on_l073)
{
	static const char *const names[] = {"BOR_LEV",	  "WDG_SW", "nRST_STOP",
					    "nRST_STDBY", "BFB2",   "WPRMOD"};
	GtkWidget *bfb2;
	GlintOptionsPanel *options;

	open_window("nucleo-l073rz:fresh");
	connect_board();
	options = glint_window_get_options_panel(window);
	glint_window_show_page(window, "options");
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *id = g_strdup_printf("option-%s", names[i]);
		ck_assert_msg(ui_find(root(), id) != NULL, "no %s in the option editor", id);
	}
	ck_assert_uint_eq(field_value("BFB2"), 0);
	bfb2 = ui_get(root(), "option-BFB2");
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(bfb2), TRUE);
	ck_assert_uint_eq(glint_options_panel_count_changed(options), 1);
	ui_scroll_to(bfb2);
	ui_screenshot(window, "l0-options.png");
	ui_click(root(), "options-apply");
	accept_confirmation("BFB2");
	ui_wait_idle(window);
	ck_assert_msg(!gtk_widget_get_visible(ui_get(root(), "info-bar")), "%s",
		      label_text("info-bar-label"));
	ck_assert_uint_eq(field_value("BFB2"), 1);
	ck_assert_uint_eq(glint_options_panel_count_changed(options), 0);
}
END_TEST

/* Whole-chip erase on the L152 (no mass-erase command): the erase dialog
 * offers it, the log says how the chip does it, flash and data EEPROM end
 * erased to 0x00 and read protection is back at level 0. */
START_TEST(test_whole_chip_erase_on_l152)
{
	g_autofree guint8 *got = g_malloc(4096);
	GtkDialog *dialog;
	GlintSim *sim;

	open_window("nucleo-l152re:eeprom-data");
	connect_board();
	sim = glint_window_get_sim(window);
	ck_assert(glint_sim_peek(sim, EEPROM, got, 256));
	ck_assert(!all_zero(got, 256));
	ui_click(root(), "erase-button");
	ck_assert_msg(ui_wait(erase_dialog_checked, NULL, 30), "no erase dialog");
	dialog = glint_window_get_erase_dialog(window);
	ui_click(GTK_WIDGET(dialog), "erase-mode-mass");
	ui_click(GTK_WIDGET(dialog), "erase-accept");
	ck_assert(ui_wait(dialog_shown, NULL, 10));
	ui_click(GTK_WIDGET(glint_window_get_confirm_dialog(window)), "confirm-accept");
	ui_wait_idle(window);
	ck_assert_msg(ui_log_contains(window, "no mass-erase command"), "log:\n%s", log_text());
	ck_assert(glint_sim_peek(sim, FLASH, got, 4096));
	ck_assert(all_zero(got, 4096));
	ck_assert(glint_sim_peek(sim, EEPROM, got, 4096));
	ck_assert(all_zero(got, 4096));
	ck_assert_uint_eq(
	    glint_session_get_target_info(glint_window_get_session(window))->rdp_level, 0);
}
END_TEST

/* A firmware that wrote a wrong key leaves every unlock stage locked
 * until reset: the finding says so and its fix (connect under reset)
 * makes the chip writable again. */
START_TEST(test_unlock_stuck_finding_fix)
{
	GtkWidget *fix;

	open_window("nucleo-l053r8:unlock-stuck");
	connect_board();
	fix = ui_find(root(), "finding-fix-unlock-stuck");
	ck_assert_msg(fix != NULL, "no unlock-stuck finding; log:\n%s", log_text());
	ui_scroll_to(fix);
	ui_screenshot(window, "l0-findings.png");
	ui_click(root(), "finding-fix-unlock-stuck");
	ui_wait_idle(window);
	ck_assert_msg(glint_window_is_connected(window), "log:\n%s", log_text());
	ck_assert_msg(ui_find(root(), "finding-fix-unlock-stuck") == NULL, "log:\n%s", log_text());
}
END_TEST

static Suite *
l0_ui_suite(void)
{
	const struct {
		const char *name;
		const TTest *test;
	} tests[] = {
	    {"eeprom_in_memory_view_and_editor", test_eeprom_in_memory_view_and_editor},
	    {"program_image_with_eeprom_section", test_program_image_with_eeprom_section},
	    {"options_editor_bfb2_on_l073", test_options_editor_bfb2_on_l073},
	    {"whole_chip_erase_on_l152", test_whole_chip_erase_on_l152},
	    {"unlock_stuck_finding_fix", test_unlock_stuck_finding_fix},
	};
	Suite *s = suite_create("l0-ui");
	/* one case per test, so CK_RUN_CASE=name runs just that one */
	for (guint i = 0; i < G_N_ELEMENTS(tests); i++) {
		TCase *tc = tcase_create(tests[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, 120);
		tcase_add_test(tc, tests[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(l0_ui_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
