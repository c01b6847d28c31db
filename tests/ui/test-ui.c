/* test-ui.c: the real Glint window, built from the GResource and driven
 * through its widgets against the simulated board; each test waits on the
 * main loop for the worker thread's results. */
#define G_LOG_DOMAIN "glint-test"

#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "glint-app.h"
#include "glint-confirm.h"
#include "glint-erase-dialog.h"
#include "glint-options.h"
#include "glint-settings.h"
#include "glint-window.h"
#include "ui-harness.h"

#define FLASH_BASE 0x08000000u

static GlintWindow *window;
static gchar *tmp_root;

static void
open_window(const char *scenario)
{
	GlintWindowOptions options = {.sim_scenario = scenario, .no_usb = TRUE};
	window = glint_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
}

static void
setup(void)
{
	tmp_root = ui_make_dirs();
	ck_assert_msg(gtk_init_check(NULL, NULL), "no display: run under xvfb-run");
	/* Screenshots show end states, not buttons halfway through a transition. */
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

static GtkWidget *
root(void)
{
	return GTK_WIDGET(window);
}

static void
connect_board(void)
{
	ui_click(root(), "connect-button");
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	ck_assert_msg(glint_window_is_connected(window), "not connected; log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
}

/* A test pattern that differs from erased flash everywhere. */
static guint8 *
pattern(gsize len, guint seed)
{
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = (guint8)((i * 7 + seed) ^ (i >> 8));
	return data;
}

static gchar *
write_file(const char *name, GlintImageFormat format, guint32 address, const guint8 *data,
	   gsize len)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(tmp_root, name, NULL);
	ck_assert_msg(glint_image_write_file(path, format, address, data, len, &error), "%s",
		      error != NULL ? error->message : "?");
	return path;
}

static gboolean
image_loaded(gpointer data)
{
	GlintFilePanel *panel = glint_window_get_file_panel(window);
	return !glint_file_panel_is_loading(panel) && glint_file_panel_get_image(panel) != NULL;
}

static void
load_file(const char *path, const GlintImageLoadOptions *options)
{
	glint_file_panel_load(glint_window_get_file_panel(window), path, options);
	ck_assert_msg(ui_wait(image_loaded, NULL, 60), "file not loaded; log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ui_flush();
}

static gboolean
dialog_shown(gpointer data)
{
	return glint_window_get_confirm_dialog(window) != NULL;
}

static void
accept_confirmation_shot(const char *expect_in_body, const char *screenshot)
{
	GtkDialog *dialog;
	GtkWidget *body;
	ck_assert_msg(ui_wait(dialog_shown, NULL, 10), "no confirmation dialog");
	dialog = glint_window_get_confirm_dialog(window);
	body = ui_get(GTK_WIDGET(dialog), "confirm-body");
	if (expect_in_body != NULL)
		ck_assert_msg(strstr(gtk_label_get_text(GTK_LABEL(body)), expect_in_body) != NULL,
			      "confirmation does not mention %s: %s", expect_in_body,
			      gtk_label_get_text(GTK_LABEL(body)));
	if (screenshot != NULL)
		ui_screenshot_widget(GTK_WIDGET(dialog), screenshot);
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	ck_assert(glint_window_get_confirm_dialog(window) == NULL);
}

static void
accept_confirmation(const char *expect_in_body)
{
	accept_confirmation_shot(expect_in_body, NULL);
}

static gboolean
erase_dialog_checked(gpointer data)
{
	return glint_window_get_erase_dialog(window) != NULL && !glint_window_is_busy(window);
}

/* Erase opens the erase dialog, which reads what each unit holds first. */
static GtkDialog *
open_erase_dialog(void)
{
	ui_click(root(), "erase-button");
	ck_assert_msg(ui_wait(erase_dialog_checked, NULL, 30), "no erase dialog");
	return glint_window_get_erase_dialog(window);
}

/* Whole chip, through the dialog and the confirmation. */
static void
mass_erase(const char *expect_in_body)
{
	GtkDialog *dialog = open_erase_dialog();
	ui_click(GTK_WIDGET(dialog), "erase-mode-mass");
	ui_click(GTK_WIDGET(dialog), "erase-accept");
	ck_assert_ptr_null(glint_window_get_erase_dialog(window));
	accept_confirmation(expect_in_body);
}

static const char *
label_text(const char *name)
{
	return gtk_label_get_text(GTK_LABEL(ui_get(root(), name)));
}

/* ---- window ------------------------------------------------------------- */

static void
check_accessible_names(GtkWidget *widget, gpointer user_data)
{
	GString *missing = user_data;
	/* Scrollbars of scrolled windows are named by what they scroll. */
	gboolean interactive = GTK_IS_BUTTON(widget) || GTK_IS_ENTRY(widget) ||
			       GTK_IS_COMBO_BOX(widget) ||
			       (GTK_IS_RANGE(widget) &&
				gtk_widget_get_ancestor(widget, GTK_TYPE_SCROLLED_WINDOW) == NULL);
	if (interactive && gtk_widget_get_visible(widget) &&
	    gtk_widget_get_ancestor(widget, GTK_TYPE_COMBO_BOX) == NULL) {
		const char *name = atk_object_get_name(gtk_widget_get_accessible(widget));
		if (name == NULL || name[0] == '\0')
			g_string_append_printf(missing, "%s(%s in %s) ", G_OBJECT_TYPE_NAME(widget),
					       gtk_widget_get_name(widget),
					       G_OBJECT_TYPE_NAME(gtk_widget_get_parent(
						   gtk_widget_get_parent(widget))));
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), check_accessible_names, user_data);
}

START_TEST(test_window_builds)
{
	g_autoptr(GString) missing = g_string_new(NULL);
	open_window("fresh");
	ck_assert(glint_device_panel_is_sim_selected(glint_window_get_device_panel(window)));
	ck_assert_str_eq(glint_device_panel_get_scenario(glint_window_get_device_panel(window)),
			 "fresh");
	ck_assert(gtk_widget_get_visible(ui_get(root(), "sim-badge")));
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "connect-button")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "program-button")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "erase-button")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "cancel-button")));
	ck_assert_str_eq(label_text("target-chip"), "Not connected");
	check_accessible_names(root(), missing);
	ck_assert_msg(missing->len == 0, "controls without an accessible name: %s", missing->str);
	ck_assert(ui_log_contains(window, "simulated NUCLEO-L476RG"));
	ui_screenshot(window, "window.png");
}
END_TEST

START_TEST(test_bad_scenario_is_refused)
{
	/* The command line refuses unknown names before any window exists. */
	ck_assert_ptr_null(glint_sim_scenario_describe("no-such-board"));
	ck_assert_ptr_nonnull(glint_sim_scenario_describe("wrp"));
}
END_TEST

static void
collect_label_texts(GtkWidget *widget, gpointer user_data)
{
	if (GTK_IS_LABEL(widget)) {
		g_string_append(user_data, gtk_label_get_text(GTK_LABEL(widget)));
		g_string_append_c(user_data, '\n');
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), collect_label_texts, user_data);
}

START_TEST(test_connect_disconnect)
{
	open_window("fresh");
	connect_board();
	ck_assert_msg(strstr(label_text("target-chip"), "STM32L4") != NULL, "chip: %s",
		      label_text("target-chip"));
	ck_assert(strstr(label_text("target-flash"), "1024 KB") != NULL);
	ck_assert(strstr(label_text("target-rdp"), "0") != NULL);
	ck_assert(
	    ui_log_contains(window, "Connect: STM32L47x/L48x, 1024 KB flash, RDP level 0, in "));
	/* The probe row now says what connecting learnt: firmware and voltage. */
	{
		g_autoptr(GString) texts = g_string_new(NULL);
		collect_label_texts(ui_get(root(), "probe-sim"), texts);
		ck_assert_msg(strstr(texts->str, "firmware V2J37M26, target at 3.30 V") != NULL,
			      "%s", texts->str);
	}
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "erase-button")));
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(ui_get(root(), "connect-button"))),
			 "_Disconnect");
	/* The option editor and memory regions follow the connected chip. */
	ck_assert(glint_options_panel_has_target(glint_window_get_options_panel(window)));
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert_str_eq(label_text("target-chip"), "Not connected");
	ck_assert(ui_log_contains(window, "Disconnected"));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "erase-button")));
}
END_TEST

START_TEST(test_no_target_reports_error)
{
	open_window("no-target");
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
	ck_assert(strstr(label_text("info-bar-label"), "Connect failed") != NULL);
	ck_assert(ui_log_contains(window, "ERROR"));
	/* Whatever the outcome, the actions come back. */
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "connect-button")));
}
END_TEST

START_TEST(test_swd_disabled_offers_connect_under_reset)
{
	GtkWidget *fix;
	open_window("swd-disabled");
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
	fix = ui_get(root(), "info-bar-fix");
	ck_assert(gtk_widget_get_visible(fix));
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(fix)), "Connect under reset");
	gtk_info_bar_response(GTK_INFO_BAR(ui_get(root(), "info-bar")), 1);
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	ck_assert(glint_window_is_connected(window));
	ck_assert(
	    gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ui_get(root(), "under-reset-check"))));
}
END_TEST

/* ---- program, verify, memory ------------------------------------------------ */

START_TEST(test_program_hex_with_verify)
{
	const gsize len = 6000;
	g_autofree guint8 *data = pattern(len, 3);
	g_autofree gchar *path =
	    write_file("fw.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autofree gchar *crc = g_strdup_printf("0x%08X", glint_crc32(0, data, len));
	g_autofree gchar *row = NULL;
	g_autofree gchar *expect = NULL;
	GlintMemoryView *memory;
	guint8 flash[16];

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ck_assert_str_eq(label_text("file-format"), "Intel HEX");
	ck_assert_str_eq(label_text("file-crc"), crc);
	ck_assert(strstr(label_text("file-size"), "6000 bytes") != NULL);
	ck_assert_str_eq(label_text("file-range"), "0x08000000-0x0800176F");
	ck_assert_str_eq(glint_file_panel_get_warnings(glint_window_get_file_panel(window)), "");
	ui_screenshot(window, "file.png");

	ck_assert(gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ui_get(root(), "verify-check"))));
	ui_click(root(), "program-button");
	ck_assert(glint_window_is_busy(window));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "program-button")));
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "cancel-button")));
	ui_wait_idle(window);
	ck_assert_msg(ui_log_contains(window, "Program and verify: 6000 bytes"), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert(gtk_progress_bar_get_fraction(GTK_PROGRESS_BAR(ui_get(root(), "job-progress"))) ==
		  1.0);
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "program-button")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "cancel-button")));

	/* The silicon holds it ... */
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE + 0x100, flash, 16));
	ck_assert_mem_eq(flash, data + 0x100, 16);
	/* ... and the memory viewer shows it, read back through the probe. */
	memory = glint_window_get_memory_view(window);
	glint_window_show_page(window, "memory");
	ck_assert(glint_memory_view_goto(memory, FLASH_BASE + 0x100));
	ui_wait_idle(window);
	ck_assert_uint_eq(glint_memory_view_get_top_address(memory), FLASH_BASE + 0x100);
	row = glint_memory_view_format_row(memory, FLASH_BASE + 0x100);
	ck_assert_ptr_nonnull(row);
	expect = g_strdup_printf("08000100  %02X %02X %02X %02X", data[0x100], data[0x101],
				 data[0x102], data[0x103]);
	ck_assert_msg(g_str_has_prefix(row, expect), "row %s, expected %s", row, expect);
	/* Clicking a byte inspects it (little-endian words from there). */
	{
		g_autofree gchar *inspect = g_strdup_printf(
		    "0x08000102: chip 0x%02X (%u), u16 0x%02X%02X, u32 0x%02X%02X%02X%02X",
		    data[0x102], data[0x102], data[0x103], data[0x102], data[0x105], data[0x104],
		    data[0x103], data[0x102]);
		ck_assert(glint_memory_view_select(memory, FLASH_BASE + 0x102));
		/* The file's value follows, side by side (compare test). */
		ck_assert_msg(g_str_has_prefix(glint_memory_view_get_inspection(memory), inspect),
			      "%s", glint_memory_view_get_inspection(memory));
		ck_assert(g_str_has_prefix(label_text("memory-inspect"), inspect));
	}
	/* A click on the hex digits of 0x08000105 (top row, byte 5) selects that byte. */
	{
		GtkWidget *area = ui_get(root(), "memory-area");
		g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout(area, "0");
		PangoFontDescription *font = pango_font_description_from_string("Monospace 10");
		GdkEvent *event = gdk_event_new(GDK_BUTTON_PRESS);
		gint w = 0, h = 0;
		gboolean handled = FALSE;
		g_autofree gchar *prefix = g_strdup_printf("0x08000105: chip 0x%02X", data[0x105]);

		pango_layout_set_font_description(layout, font);
		pango_font_description_free(font);
		pango_layout_get_pixel_size(layout, &w, &h);
		/* Address (8) + 2 spaces, then 3 columns per byte: byte 5 starts at column 25. */
		event->button.x = 8 + (10 + 5 * 3) * w + w / 2.0;
		event->button.y = 4 + h / 2.0;
		event->button.button = 1;
		g_signal_emit_by_name(area, "button-press-event", event, &handled);
		gdk_event_free(event);
		ck_assert(handled);
		ck_assert_msg(g_str_has_prefix(glint_memory_view_get_inspection(memory), prefix),
			      "%s", glint_memory_view_get_inspection(memory));
	}
	/* Compared with the file: identical. */
	glint_memory_view_set_compare(memory, TRUE);
	ck_assert_uint_eq(glint_memory_view_get_n_differences(memory), 0);
	ck_assert_str_eq(label_text("memory-diff-count"), "No differences from the file");
	ui_screenshot(window, "memory.png");
	/* Only the visible rows of the 512 KB bank are drawn. */
	ck_assert_uint_gt(glint_memory_view_get_size(memory), 256 * 1024);
	ck_assert_uint_gt(glint_memory_view_get_rows_drawn(memory), 5);
	ck_assert_uint_lt(glint_memory_view_get_rows_drawn(memory), 200);

	/* Verify alone passes too. */
	ui_click(root(), "verify-button");
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Verify: 6000 bytes"));
}
END_TEST

START_TEST(test_memory_compare_finds_differences)
{
	const gsize len = 2048;
	g_autofree guint8 *data = pattern(len, 5);
	g_autofree gchar *path = NULL;
	GlintMemoryView *memory;
	guint8 changed[3] = {0x11, 0x22, 0x33};
	g_autofree gchar *row = NULL;
	g_autofree gchar *word = NULL;

	open_window("fresh");
	connect_board();
	path = write_file("a.srec", GLINT_IMAGE_FORMAT_SREC, FLASH_BASE + 0x800, data, len);
	load_file(path, NULL);
	ck_assert_str_eq(label_text("file-format"), "Motorola S-record");
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	/* Change three bytes of the file's range behind the probe's back. */
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 0x900, changed, 3));
	memory = glint_window_get_memory_view(window);
	glint_memory_view_set_compare(memory, TRUE);
	ck_assert(glint_memory_view_goto(memory, FLASH_BASE));
	ui_wait_idle(window);
	ck_assert_uint_eq(glint_memory_view_get_n_differences(memory), 3);
	ck_assert(strstr(label_text("memory-diff-count"), "3 bytes differ") != NULL);
	ck_assert(glint_memory_view_next_difference(memory, TRUE));
	ck_assert_uint_eq(glint_memory_view_get_top_address(memory), FLASH_BASE + 0x900);
	glint_window_show_page(window, "memory");
	ui_screenshot(window, "memory-compare.png");
	/* The three are on one row: the next one wraps around to it. */
	ck_assert(glint_memory_view_next_difference(memory, TRUE));
	ck_assert(strstr(label_text("memory-diff-count"), "wrapped to the first") != NULL);
	glint_memory_view_set_grouping(memory, 4);
	row = glint_memory_view_format_row(memory, FLASH_BASE + 0x900);
	/* 32-bit grouping shows the little-endian word. */
	word = g_strdup_printf("%02X332211", data[0x103]);
	ck_assert_msg(strstr(row, word) != NULL, "%s", row);
	/* After a mass erase the view re-reads by itself: all 0xFF now. */
	g_free(row);
	mass_erase(NULL);
	ui_wait_idle(window);
	row = glint_memory_view_format_row(memory, FLASH_BASE + 0x900);
	ck_assert_msg(strstr(row, "FFFFFFFF FFFFFFFF") != NULL, "%s", row);
	{
		guint not_erased = 0;
		for (gsize i = 0; i < len; i++)
			not_erased += data[i] != 0xFF;
		ck_assert_uint_eq(glint_memory_view_get_n_differences(memory), not_erased);
	}
}
END_TEST

START_TEST(test_bin_asks_base_address)
{
	const gsize len = 1024;
	g_autofree guint8 *data = pattern(len, 9);
	g_autofree gchar *path = g_build_filename(tmp_root, "raw.bin", NULL);
	GlintFilePanel *panel;
	GtkDialog *dialog;
	GtkWidget *entry;

	ck_assert(g_file_set_contents(path, (const char *)data, len, NULL));
	open_window("fresh");
	panel = glint_window_get_file_panel(window);
	glint_file_panel_open(panel, path);
	dialog = glint_file_panel_get_base_dialog(panel);
	ck_assert_ptr_nonnull(dialog);
	entry = ui_get(GTK_WIDGET(dialog), "bin-base-entry");
	ck_assert_str_eq(gtk_entry_get_text(GTK_ENTRY(entry)), "0x08000000");
	/* A typo keeps the dialog open and says why. */
	gtk_entry_set_text(GTK_ENTRY(entry), "0x0800zz");
	gtk_dialog_response(dialog, GTK_RESPONSE_ACCEPT);
	ck_assert_ptr_eq(glint_file_panel_get_base_dialog(panel), dialog);
	ck_assert(ui_log_contains(window, "is not an address"));
	gtk_entry_set_text(GTK_ENTRY(entry), "0x08004000");
	gtk_dialog_response(dialog, GTK_RESPONSE_ACCEPT);
	ck_assert_ptr_null(glint_file_panel_get_base_dialog(panel));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ck_assert_str_eq(label_text("file-range"), "0x08004000-0x080043FF");
	ck_assert_str_eq(label_text("file-format"), "raw binary");
}
END_TEST

/* A raw binary goes where the user put it last time: from Recent, from
 * Open, and after a restart (the settings keep it per file). */
START_TEST(test_bin_base_remembered)
{
	const gsize len = 1024;
	g_autofree guint8 *data = pattern(len, 9);
	g_autofree gchar *path = g_build_filename(tmp_root, "app.bin", NULL);
	g_autofree gchar *other =
	    write_file("other.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	GlintFilePanel *panel;
	GtkDialog *dialog;

	ck_assert(g_file_set_contents(path, (const char *)data, len, NULL));
	open_window("fresh");
	panel = glint_window_get_file_panel(window);
	glint_file_panel_open(panel, path);
	dialog = glint_file_panel_get_base_dialog(panel);
	ck_assert_ptr_nonnull(dialog);
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "bin-base-entry")), "0x08004000");
	gtk_dialog_response(dialog, GTK_RESPONSE_ACCEPT);
	ck_assert(ui_wait(image_loaded, NULL, 30));
	load_file(other, NULL);
	ck_assert_str_eq(label_text("file-range"), "0x08000000-0x080003FF");
	/* From Recent: no question, the same place. */
	g_action_group_activate_action(G_ACTION_GROUP(window), "open-recent",
				       g_variant_new_string(path));
	ck_assert_ptr_null(glint_file_panel_get_base_dialog(panel));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ui_flush();
	ck_assert_str_eq(label_text("file-range"), "0x08004000-0x080043FF");
	ck_assert(ui_log_contains(window, "where it went last time"));
	/* After a restart too. */
	gtk_window_close(GTK_WINDOW(window));
	ui_flush();
	window = NULL;
	open_window("fresh");
	panel = glint_window_get_file_panel(window);
	glint_file_panel_open(panel, path);
	ck_assert_ptr_null(glint_file_panel_get_base_dialog(panel));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ui_flush();
	ck_assert_str_eq(label_text("file-range"), "0x08004000-0x080043FF");
	/* Change base address asks again, starting from where it is. */
	ck_assert(gtk_widget_get_visible(ui_get(root(), "change-base-button")));
	ui_click(root(), "change-base-button");
	dialog = glint_file_panel_get_base_dialog(panel);
	ck_assert_ptr_nonnull(dialog);
	ck_assert_str_eq(
	    gtk_entry_get_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "bin-base-entry"))),
	    "0x08004000");
	gtk_dialog_response(dialog, GTK_RESPONSE_CANCEL);
}
END_TEST

/* A base that puts a raw binary outside flash turns Program off, says why,
 * and "Change base address" puts it right. */
START_TEST(test_bin_outside_flash_disables_program)
{
	const gsize len = 1024;
	g_autofree guint8 *data = pattern(len, 3);
	g_autofree gchar *path = g_build_filename(tmp_root, "low.bin", NULL);
	GlintImageLoadOptions load = {.format = GLINT_IMAGE_FORMAT_BIN, .bin_base = 0x00000000};
	GlintFilePanel *panel;
	GtkDialog *dialog;
	g_autofree gchar *tooltip = NULL;

	ck_assert(g_file_set_contents(path, (const char *)data, len, NULL));
	open_window("fresh");
	connect_board();
	panel = glint_window_get_file_panel(window);
	load_file(path, &load);
	ck_assert(!g_action_group_get_action_enabled(G_ACTION_GROUP(window), "program"));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "program-button")));
	tooltip = gtk_widget_get_tooltip_text(ui_get(root(), "program-button"));
	ck_assert_msg(tooltip != NULL && strstr(tooltip, "outside the flash") != NULL,
		      "tooltip: %s", tooltip);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "change-base-button")));
	ui_screenshot(window, "bin-outside-flash.png");
	ui_click(root(), "change-base-button");
	dialog = glint_file_panel_get_base_dialog(panel);
	ck_assert_ptr_nonnull(dialog);
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "bin-base-entry")), "0x08000000");
	gtk_dialog_response(dialog, GTK_RESPONSE_ACCEPT);
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ui_flush();
	ck_assert_str_eq(label_text("file-range"), "0x08000000-0x080003FF");
	ck_assert_ptr_null(glint_file_panel_get_program_problem(panel));
	ck_assert(g_action_group_get_action_enabled(G_ACTION_GROUP(window), "program"));
	/* An image in a known file format has no base to change. */
	{
		g_autofree gchar *hex =
		    write_file("app.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
		load_file(hex, NULL);
		ck_assert(!gtk_widget_get_visible(ui_get(root(), "change-base-button")));
	}
}
END_TEST

START_TEST(test_file_outside_flash_warns)
{
	const gsize len = 64;
	g_autofree guint8 *data = pattern(len, 1);
	g_autofree gchar *path =
	    write_file("sram.hex", GLINT_IMAGE_FORMAT_IHEX, 0x20000000, data, len);
	open_window("fresh");
	load_file(path, NULL);
	ck_assert_msg(strstr(glint_file_panel_get_warnings(glint_window_get_file_panel(window)),
			     "SRAM") != NULL,
		      "warnings: %s",
		      glint_file_panel_get_warnings(glint_window_get_file_panel(window)));
	ck_assert(gtk_widget_get_visible(ui_get(root(), "file-warnings")));
}
END_TEST

START_TEST(test_bad_file_is_reported)
{
	g_autofree gchar *path = g_build_filename(tmp_root, "broken.hex", NULL);
	GlintFilePanel *panel;
	ck_assert(g_file_set_contents(path, ":10000000ZZ\n", -1, NULL));
	open_window("fresh");
	panel = glint_window_get_file_panel(window);
	glint_file_panel_load(panel, path, NULL);
	while (glint_file_panel_is_loading(panel))
		g_main_context_iteration(NULL, TRUE);
	ck_assert_ptr_null(glint_file_panel_get_image(panel));
	ck_assert(ui_log_contains(window, "broken.hex"));
	ck_assert(ui_log_contains(window, "WARNING"));
}
END_TEST

/* ---- fixes, options ---------------------------------------------------------- */

START_TEST(test_wrp_program_fails_then_fix)
{
	const gsize len = 4096;
	g_autofree guint8 *data = pattern(len, 7);
	g_autofree gchar *path =
	    write_file("fw.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	GtkWidget *fix;
	guint8 flash[16];

	open_window("wrp");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
	fix = ui_get(root(), "info-bar-fix");
	ck_assert(gtk_widget_get_visible(fix));
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(fix)), "Remove write protection");
	ck_assert(ui_log_contains(window, "Program failed"));
	ui_screenshot(window, "wrp-info-bar.png");

	gtk_info_bar_response(GTK_INFO_BAR(ui_get(root(), "info-bar")), 1);
	accept_confirmation("WRP");
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "info-bar")));
	{
		const GlintTargetInfo *info =
		    glint_session_get_target_info(glint_window_get_session(window));
		for (guint a = 0; a < info->chip->options->n_areas; a++)
			ck_assert(!glint_option_bytes_area_active(&info->options,
								  &info->chip->options->areas[a]));
	}

	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "info-bar")));
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 16));
	ck_assert_mem_eq(flash, data, 16);
}
END_TEST

static guint32
field_value(const GlintOptionBytes *ob, const char *name)
{
	const GlintTargetInfo *info =
	    glint_session_get_target_info(glint_window_get_session(window));
	const GlintOptionField *field = glint_option_layout_find_field(info->chip->options, name);
	ck_assert_ptr_nonnull(field);
	return glint_option_bytes_get_field(ob, field);
}

START_TEST(test_toggle_bfb2_and_apply)
{
	GlintOptionsPanel *options;
	GtkWidget *bfb2;

	open_window("fresh");
	connect_board();
	options = glint_window_get_options_panel(window);
	glint_window_show_page(window, "options");
	ck_assert_uint_eq(field_value(glint_options_panel_get_current(options), "BFB2"), 0);
	bfb2 = ui_get(root(), "option-BFB2");
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(bfb2), TRUE);
	ck_assert_uint_eq(glint_options_panel_count_changed(options), 1);
	ck_assert(gtk_style_context_has_class(gtk_widget_get_style_context(bfb2), "glint-changed"));
	/* The raw FLASH_OPTR word follows the edit: BFB2 is bit 20 (RM0351). */
	{
		guint32 before = glint_options_panel_get_current(options)->regs[0];
		g_autofree gchar *expect = g_strdup_printf("0x%08X", before | (1u << 20));
		ck_assert_str_eq(label_text("raw-FLASH_OPTR"), expect);
	}
	ui_scroll_to(bfb2);
	ui_screenshot(window, "options.png");

	ui_click(root(), "options-apply");
	accept_confirmation_shot("BFB2", "options-confirm.png");
	ui_wait_idle(window);
	ck_assert_msg(!gtk_widget_get_visible(ui_get(root(), "info-bar")), "%s",
		      label_text("info-bar-label"));
	/* Re-read from the chip: BFB2 is set, nothing left edited. */
	ck_assert_uint_eq(field_value(glint_options_panel_get_current(options), "BFB2"), 1);
	ck_assert_uint_eq(glint_options_panel_count_changed(options), 0);
	bfb2 = ui_get(root(), "option-BFB2");
	ck_assert(gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(bfb2)));
	ck_assert(ui_log_contains(window, "Option bytes"));
}
END_TEST

START_TEST(test_dualbank_locked_on_1mb)
{
	g_autofree gchar *tip = NULL;
	open_window("fresh");
	connect_board();
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "option-DUALBANK")));
	tip = gtk_widget_get_tooltip_text(ui_get(root(), "option-DUALBANK"));
	ck_assert_ptr_nonnull(tip);
	ck_assert(strstr(tip, "always dual bank") != NULL);
}
END_TEST

START_TEST(test_rdp2_needs_phrase)
{
	GtkWidget *rdp;
	GtkDialog *dialog;
	GtkWidget *phrase;

	open_window("fresh");
	connect_board();
	rdp = ui_get(root(), "option-RDP");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(rdp), "level2");
	ui_click(root(), "options-apply");
	ck_assert(ui_wait(dialog_shown, NULL, 10));
	dialog = glint_window_get_confirm_dialog(window);
	phrase = ui_get(GTK_WIDGET(dialog), "confirm-phrase");
	ck_assert(!gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "confirm-accept")));
	gtk_entry_set_text(GTK_ENTRY(phrase), "lock this");
	ck_assert(!gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "confirm-accept")));
	gtk_entry_set_text(GTK_ENTRY(phrase), "lock this chip forever");
	ck_assert(gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "confirm-accept")));
	ck_assert(glint_confirm_dialog_is_confirmed(dialog, GTK_RESPONSE_ACCEPT));
	ck_assert(!glint_confirm_dialog_is_confirmed(dialog, GTK_RESPONSE_CANCEL));
	/* Cancel: nothing is written. */
	gtk_dialog_response(dialog, GTK_RESPONSE_CANCEL);
	ui_flush();
	ck_assert(!glint_window_is_busy(window));
	ck_assert(ui_log_contains(window, "not confirmed"));
	ck_assert_uint_eq(
	    glint_session_get_target_info(glint_window_get_session(window))->rdp_level, 0);
}
END_TEST

START_TEST(test_erase_asks_first)
{
	const gsize len = 2048;
	g_autofree guint8 *data = pattern(len, 2);
	guint8 flash[4];
	open_window("fresh");
	connect_board();
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE, data, 8));
	mass_erase("0xFF");
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Mass erase"));
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 4));
	ck_assert_uint_eq(flash[0], 0xFF);
	ck_assert_uint_eq(flash[3], 0xFF);
}
END_TEST

/* ---- erase dialog (issue 15) ----------------------------------------------- */

static const char *
label_in(GtkDialog *dialog, const char *name)
{
	return gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), name)));
}

#define PAGE 2048u

START_TEST(test_erase_dialog_units_and_protection)
{
	g_autofree guint8 *data = pattern(2 * PAGE, 4);
	GlintSim *sim;
	GtkDialog *dialog;
	g_autofree gchar *first = NULL;
	g_autofree gchar *last = NULL;
	g_autofree gchar *mine = NULL;
	guint8 flash[8];
	guint n_units;

	open_window("wrp");
	connect_board();
	sim = glint_window_get_sim(window);
	ck_assert(glint_sim_poke(sim, FLASH_BASE + 40 * PAGE, data, 2 * PAGE));
	n_units = glint_session_get_target_info(glint_window_get_session(window))->geometry.n_units;
	dialog = open_erase_dialog();
	/* Protection shows before anything runs, and for each unit. */
	ck_assert_msg(
	    strstr(gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "erase-protection"))),
		   "WRP1A") != NULL,
	    "%s", gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "erase-protection"))));
	first = glint_erase_dialog_describe_unit(dialog, 0);
	ck_assert_str_eq(first,
			 "Page 0 of bank 1 | 0x08000000-0x080007FF | 2 KiB | holds data | WRP1A "
			 "(write-protected)");
	last = glint_erase_dialog_describe_unit(dialog, n_units - 1);
	ck_assert_str_eq(last, "Page 255 of bank 2 | 0x080FF800-0x080FFFFF | 2 KiB | erased | —");
	mine = glint_erase_dialog_describe_unit(dialog, 41);
	ck_assert(strstr(mine, "holds data | —") != NULL);
	/* A protected unit cannot be chosen: Erase is off, and says why. */
	glint_erase_dialog_set_unit(dialog, 3, TRUE);
	ck_assert(!gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "erase-accept")));
	ck_assert(strstr(glint_erase_dialog_get_blocker(dialog), "WRP1A") != NULL);
	glint_erase_dialog_set_unit(dialog, 3, FALSE);
	/* Whole chip and bank 1 are refused too (WRP1A covers part of bank 1). */
	ui_click(GTK_WIDGET(dialog), "erase-mode-mass");
	ck_assert(!gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "erase-accept")));
	ui_click(GTK_WIDGET(dialog), "erase-mode-units");
	glint_erase_dialog_set_unit(dialog, 40, TRUE);
	glint_erase_dialog_set_unit(dialog, 41, TRUE);
	ck_assert(gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "erase-accept")));
	ui_screenshot_widget(GTK_WIDGET(dialog), "erase-dialog.png");
	/* Pages need no second question. */
	ui_click(GTK_WIDGET(dialog), "erase-accept");
	ck_assert_ptr_null(glint_window_get_confirm_dialog(window));
	ui_wait_idle(window);
	ck_assert_msg(ui_log_contains(window, "Erase"), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert(glint_sim_peek(sim, FLASH_BASE + 40 * PAGE, flash, 8));
	ck_assert_uint_eq(flash[0], 0xFF);
	ck_assert(glint_sim_peek(sim, FLASH_BASE + 42 * PAGE - 8, flash, 8));
	ck_assert_uint_eq(flash[7], 0xFF);
	/* The firmware under WRP1A is still there. */
	ck_assert(glint_sim_peek(sim, FLASH_BASE, flash, 8));
	ck_assert(flash[0] != 0xFF || flash[1] != 0xFF || flash[2] != 0xFF || flash[3] != 0xFF);
}
END_TEST

START_TEST(test_erase_dialog_ticks_units_holding_data)
{
	g_autofree guint8 *data = pattern(8, 6);
	GtkDialog *dialog;
	g_autoptr(GArray) units = NULL;

	open_window("fresh");
	connect_board();
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 7 * PAGE, data, 8));
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 300 * PAGE, data, 8));
	dialog = open_erase_dialog();
	ck_assert_msg(strstr(label_in(dialog, "erase-status"), "2 of 512 pages hold data") != NULL,
		      "%s", label_in(dialog, "erase-status"));
	ui_click(GTK_WIDGET(dialog), "erase-select-data");
	units = glint_erase_dialog_get_units(dialog);
	ck_assert_uint_eq(units->len, 2);
	ck_assert_uint_eq(g_array_index(units, guint, 0), 7);
	ck_assert_uint_eq(g_array_index(units, guint, 1), 300);
	gtk_dialog_response(dialog, GTK_RESPONSE_CANCEL);
	ck_assert_ptr_null(glint_window_get_erase_dialog(window));
}
END_TEST

START_TEST(test_erase_bank_asks_first)
{
	g_autofree guint8 *data = pattern(8, 8);
	GlintSim *sim;
	GtkDialog *dialog;
	guint8 flash[8];

	open_window("fresh");
	connect_board();
	sim = glint_window_get_sim(window);
	ck_assert(glint_sim_poke(sim, FLASH_BASE, data, 8));
	ck_assert(glint_sim_poke(sim, FLASH_BASE + 0x80000, data, 8));
	dialog = open_erase_dialog();
	ui_click(GTK_WIDGET(dialog), "erase-mode-bank");
	glint_erase_dialog_set_bank(dialog, 1);
	ui_click(GTK_WIDGET(dialog), "erase-accept");
	accept_confirmation("bank 2");
	ui_wait_idle(window);
	ck_assert(glint_sim_peek(sim, FLASH_BASE + 0x80000, flash, 8));
	ck_assert_uint_eq(flash[0], 0xFF);
	ck_assert(glint_sim_peek(sim, FLASH_BASE, flash, 8));
	ck_assert_uint_eq(flash[0], data[0]);
	ck_assert(ui_log_contains(window, "Bank erase"));
}
END_TEST

/* Bug: on an RDP 1 chip Erase asked "Erase the whole flash?" and then
 * could only fail; Program failed the same way. */
START_TEST(test_rdp1_erase_and_program_offer_the_fix)
{
	const gsize len = 64;
	g_autofree guint8 *data = pattern(len, 3);
	g_autofree gchar *path = NULL;
	GtkDialog *dialog;

	open_window("rdp1");
	connect_board();
	path = write_file("p.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ck_assert(ui_wait(dialog_shown, NULL, 10));
	dialog = glint_window_get_confirm_dialog(window);
	ck_assert(g_str_has_prefix(
	    gtk_button_get_label(GTK_BUTTON(ui_get(GTK_WIDGET(dialog), "confirm-accept"))),
	    "Remove read protection"));
	gtk_dialog_response(dialog, GTK_RESPONSE_CANCEL);
	ck_assert(!glint_window_is_busy(window));
	ui_click(root(), "erase-button");
	ck_assert_ptr_null(glint_window_get_erase_dialog(window));
	/* The fix erases the chip: it says so, and the log says it happened. */
	accept_confirmation("erases ALL");
	ui_wait_idle(window);
	ck_assert_uint_eq(
	    glint_session_get_target_info(glint_window_get_session(window))->rdp_level, 0);
	ck_assert_msg(ui_log_contains(window, "mass-erased its flash"), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
}
END_TEST

/* ---- memory at any address, edits, OTP, compare (issue 15) ------------------- */

#define SRAM1 0x20000000u
#define OTP_BASE 0x1FFF7000u

static void
edit_field(GtkDialog *dialog, const char *name, const char *text)
{
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), name)), text);
}

/* Opens the editor from the memory view's Edit… button and fills it in. */
static GtkDialog *
memory_editor(const char *address, const char *width, const char *value, const char *count)
{
	GtkDialog *dialog;
	ui_click(root(), "memory-edit");
	dialog = glint_window_get_edit_dialog(window);
	ck_assert_ptr_nonnull(dialog);
	edit_field(dialog, "memory-edit-address", address);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ui_get(GTK_WIDGET(dialog), "memory-edit-width")),
				    width);
	edit_field(dialog, "memory-edit-value", value);
	edit_field(dialog, "memory-edit-count", count);
	return dialog;
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

START_TEST(test_memory_any_address_and_edit)
{
	GlintMemoryView *memory;
	GlintSim *sim;
	GtkDialog *dialog;
	guint8 got[16];
	const char *const live_row[] = {"20000040", "C3 C3 C3 C3"};

	open_window("fresh");
	connect_board();
	sim = glint_window_get_sim(window);
	memory = glint_window_get_memory_view(window);
	glint_window_show_page(window, "memory");
	/* Every region of the chip is offered, peripherals and OTP included. */
	{
		GtkTreeModel *model =
		    gtk_combo_box_get_model(GTK_COMBO_BOX(ui_get(root(), "memory-region")));
		GtkTreeIter iter;
		g_autoptr(GString) all = g_string_new(NULL);
		gboolean valid = gtk_tree_model_get_iter_first(model, &iter);
		for (; valid; valid = gtk_tree_model_iter_next(model, &iter)) {
			g_autofree gchar *text = NULL;
			gtk_tree_model_get(model, &iter, 0, &text, -1);
			g_string_append_printf(all, "%s\n", text);
		}
		ck_assert_msg(strstr(all->str, "OTP") && strstr(all->str, "Peripherals (AHB2)") &&
				  strstr(all->str, "Option bytes (bank 2)") &&
				  strstr(all->str, "Flash bank 2"),
			      "%s", all->str);
	}
	/* A typed address and length: exactly that range. */
	gtk_entry_set_text(GTK_ENTRY(ui_get(root(), "memory-address")), "0x20000000");
	gtk_entry_set_text(GTK_ENTRY(ui_get(root(), "memory-length")), "0x80");
	ui_click(root(), "memory-go");
	ui_wait_idle(window);
	ck_assert_uint_eq(glint_memory_view_get_base(memory), SRAM1);
	ck_assert_uint_eq(glint_memory_view_get_size(memory), 0x80);
	/* A word in SRAM, from the editor. */
	dialog = memory_editor("0x20000010", "4", "CAFEF00D", "1");
	ck_assert(
	    strstr(gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "memory-edit-where"))),
		   "SRAM1: written directly") != NULL);
	ui_click(GTK_WIDGET(dialog), "memory-edit-accept");
	ui_wait_idle(window);
	ck_assert(glint_sim_peek(sim, SRAM1 + 0x10, got, 4));
	ck_assert_uint_eq(got[0], 0x0D);
	ck_assert_uint_eq(got[3], 0xCA);
	/* The view read it again by itself. */
	{
		const char *const edited[] = {"20000010", "0D F0 FE CA"};
		ck_assert(row_shows((gpointer)edited));
	}
	/* A half-word and a fill. */
	dialog = memory_editor("0x20000020", "2", "BEEF", "4");
	ui_click(GTK_WIDGET(dialog), "memory-edit-accept");
	ui_wait_idle(window);
	ck_assert(glint_sim_peek(sim, SRAM1 + 0x20, got, 10));
	ck_assert_uint_eq(got[0], 0xEF);
	ck_assert_uint_eq(got[7], 0xBE);
	ck_assert_uint_eq(got[8], 0x00);
	ck_assert(glint_memory_view_select(memory, SRAM1 + 0x10));
	ui_screenshot(window, "memory-any-address.png");
	/* Live refresh: what the running target writes shows up by itself. */
	glint_memory_view_set_live(memory, TRUE, 250);
	memset(got, 0xC3, sizeof(got));
	ck_assert(glint_sim_poke(sim, SRAM1 + 0x40, got, 16));
	ck_assert_msg(ui_wait(row_shows, (gpointer)live_row, 30), "live refresh never read");
	glint_memory_view_set_live(memory, FALSE, 0);
	ck_assert(!glint_memory_view_get_live(memory));
	ui_wait_idle(window);
}
END_TEST

START_TEST(test_memory_edit_flash_word_erase_rule)
{
	g_autofree guint8 *page = pattern(2048, 12);
	g_autofree guint8 *got = g_malloc(2048);
	GlintSim *sim;
	GtkDialog *dialog;
	const char *where;

	open_window("fresh");
	connect_board();
	sim = glint_window_get_sim(window);
	ck_assert(glint_sim_poke(sim, FLASH_BASE + 3 * 2048, page, 2048));
	dialog = memory_editor("0x08001810", "4", "12345678", "1");
	where = gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "memory-edit-where")));
	/* The rule is explained before anything is written. */
	ck_assert_msg(strstr(where, "page 3 of bank 1") && strstr(where, "only where it is erased"),
		      "%s", where);
	ck_assert(gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "memory-edit-erase")));
	ui_click(GTK_WIDGET(dialog), "memory-edit-accept");
	ui_wait_idle(window);
	/* Refused: nothing changed, and the way out is named. */
	ck_assert_msg(ui_log_contains(window, "Erase page 3 of bank 1"), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert(glint_sim_peek(sim, FLASH_BASE + 3 * 2048, got, 2048));
	ck_assert(memcmp(got, page, 2048) == 0);
	/* Erase the page first, keeping the rest of it. */
	dialog = memory_editor("0x08001810", "4", "12345678", "1");
	gtk_toggle_button_set_active(
	    GTK_TOGGLE_BUTTON(ui_get(GTK_WIDGET(dialog), "memory-edit-erase")), TRUE);
	ui_click(GTK_WIDGET(dialog), "memory-edit-accept");
	ui_wait_idle(window);
	page[0x10] = 0x78;
	page[0x11] = 0x56;
	page[0x12] = 0x34;
	page[0x13] = 0x12;
	ck_assert(glint_sim_peek(sim, FLASH_BASE + 3 * 2048, got, 2048));
	ck_assert(memcmp(got, page, 2048) == 0);
}
END_TEST

START_TEST(test_otp_program_confirms_permanent_bytes)
{
	GtkDialog *dialog;
	GtkWidget *body;
	guint8 got[16];

	open_window("fresh");
	connect_board();
	dialog = memory_editor("0x1FFF7008", "4", "11223344", "1");
	ck_assert_str_eq(
	    gtk_button_get_label(GTK_BUTTON(ui_get(GTK_WIDGET(dialog), "memory-edit-accept"))),
	    "_Program OTP…");
	ui_click(GTK_WIDGET(dialog), "memory-edit-accept");
	ck_assert(ui_wait(dialog_shown, NULL, 10));
	dialog = glint_window_get_confirm_dialog(window);
	body = ui_get(GTK_WIDGET(dialog), "confirm-body");
	/* Exactly the double word written, padding included. */
	ck_assert_msg(strstr(gtk_label_get_text(GTK_LABEL(body)), "0x1FFF7008-0x1FFF700F") &&
			  strstr(gtk_label_get_text(GTK_LABEL(body)), "44 33 22 11 FF FF FF FF"),
		      "%s", gtk_label_get_text(GTK_LABEL(body)));
	/* Cannot be accepted before the phrase is typed. */
	ck_assert(!gtk_widget_is_sensitive(ui_get(GTK_WIDGET(dialog), "confirm-accept")));
	gtk_entry_set_text(GTK_ENTRY(ui_get(GTK_WIDGET(dialog), "confirm-phrase")),
			   "make it permanent");
	ui_screenshot_widget(GTK_WIDGET(dialog), "otp-confirm.png");
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	ui_wait_idle(window);
	ck_assert(glint_sim_peek(glint_window_get_sim(window), OTP_BASE, got, 16));
	ck_assert_uint_eq(got[7], 0xFF);
	ck_assert_uint_eq(got[8], 0x44);
	ck_assert_uint_eq(got[11], 0x11);
	ck_assert(ui_log_contains(window, "can never be changed again"));
}
END_TEST

/* Bugs: the inspector showed only the chip's byte; next difference stopped
 * at the last; after Disconnect the view said "No differences". */
START_TEST(test_compare_inspector_wrap_and_disconnect)
{
	const gsize len = 256;
	g_autofree guint8 *data = pattern(len, 5);
	g_autofree gchar *path = NULL;
	GlintMemoryView *memory;
	guint8 changed[1] = {0x99};

	open_window("fresh");
	connect_board();
	path = write_file("c.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 0x20, changed, 1));
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 0x80, changed, 1));
	memory = glint_window_get_memory_view(window);
	glint_memory_view_set_compare(memory, TRUE);
	glint_memory_view_read_range(memory, FLASH_BASE, 0x400);
	ui_wait_idle(window);
	ck_assert_uint_eq(glint_memory_view_get_n_differences(memory), 2);
	ck_assert(glint_memory_view_select(memory, FLASH_BASE + 0x20));
	{
		g_autofree gchar *want = g_strdup_printf("file 0x%02X (differs)", data[0x20]);
		ck_assert_msg(strstr(glint_memory_view_get_inspection(memory), "chip 0x99") &&
				  strstr(glint_memory_view_get_inspection(memory), want),
			      "%s", glint_memory_view_get_inspection(memory));
	}
	ck_assert(glint_memory_view_next_difference(memory, TRUE));
	ck_assert(glint_memory_view_next_difference(memory, TRUE));
	ck_assert_uint_eq(glint_memory_view_get_top_address(memory), FLASH_BASE + 0x80);
	/* Past the last: around to the first, and said. */
	ck_assert(glint_memory_view_next_difference(memory, TRUE));
	ck_assert_uint_eq(glint_memory_view_get_top_address(memory), FLASH_BASE + 0x20);
	ck_assert(strstr(label_text("memory-diff-count"), "wrapped") != NULL);
	ck_assert(glint_memory_view_next_difference(memory, FALSE));
	ck_assert_uint_eq(glint_memory_view_get_top_address(memory), FLASH_BASE + 0x80);
	/* Disconnected: nothing compared, not "no differences". */
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert_msg(strstr(label_text("memory-diff-count"), "No differences") == NULL, "%s",
		      label_text("memory-diff-count"));
}
END_TEST

/* PCROP from the option editor: the confirmation spells out what the core
 * says it means. The factory PCROP_RDP = 1 makes the area go with an RDP
 * regression (the permanent case, PCROP_RDP = 0, takes the typed phrase
 * as RDP level 2 does: rdp2_needs_phrase). */
START_TEST(test_pcrop_edit_spells_out_consequences)
{
	GlintOptionsPanel *options;
	GtkDialog *dialog;
	const char *body;

	open_window("fresh");
	connect_board();
	options = glint_window_get_options_panel(window);
	glint_window_show_page(window, "options");
	gtk_entry_set_text(GTK_ENTRY(ui_get(root(), "area-PCROP1")), "0x08010000-0x08010FFF");
	ck_assert_uint_eq(glint_options_panel_count_changed(options), 1);
	ui_click(root(), "options-apply");
	ck_assert(ui_wait(dialog_shown, NULL, 10));
	dialog = glint_window_get_confirm_dialog(window);
	body = gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "confirm-body")));
	ck_assert_msg(strstr(body, "PCROP1") && strstr(body, "execute-only") &&
			  strstr(body, "RDP level 1 -> 0") &&
			  strstr(body, "erases the whole flash"),
		      "%s", body);
	ck_assert_ptr_null(ui_find(GTK_WIDGET(dialog), "confirm-phrase"));
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	ui_wait_idle(window);
	ck_assert_msg(!gtk_widget_get_visible(ui_get(root(), "info-bar")), "%s",
		      label_text("info-bar-label"));
	ck_assert(glint_option_bytes_area_active(
	    glint_options_panel_get_current(options),
	    glint_option_layout_find_area(glint_options_panel_get_current(options)->layout,
					  "PCROP1")));
	/* The erase dialog now shows the area as execute-only. */
	{
		GtkDialog *erase = open_erase_dialog();
		g_autofree gchar *unit = glint_erase_dialog_describe_unit(erase, 0x10000 / PAGE);
		ck_assert_msg(strstr(unit, "PCROP1 (execute-only)") &&
				  strstr(unit, "unreadable (PCROP)"),
			      "%s", unit);
		gtk_dialog_response(erase, GTK_RESPONSE_CANCEL);
	}
}
END_TEST

/* ---- log (issue 15) ------------------------------------------------------------ */

static gboolean
top_line_is(gpointer data)
{
	g_autofree gchar *top = glint_log_view_get_top_line(glint_window_get_log_view(window));
	return top != NULL && g_strcmp0(top, data) == 0;
}

/* Bugs: a saved log had no header and no dates; a passing Verify said
 * nothing of passing; "Verify failed: Verify failed:"; filtering jumped to
 * the end. */
START_TEST(test_log_header_dates_verify_and_place)
{
	const gsize len = 512;
	g_autofree guint8 *data = pattern(len, 21);
	g_autofree gchar *path = NULL;
	g_autofree gchar *saved_path = g_build_filename(tmp_root, "saved.log", NULL);
	g_autofree gchar *saved = NULL;
	g_autoptr(GRegex) dated = g_regex_new(
	    "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ", G_REGEX_MULTILINE, 0, NULL);
	GlintLogView *log;
	guint8 changed = 0x42;

	open_window("fresh");
	connect_board();
	log = glint_window_get_log_view(window);
	path = write_file("v.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ui_click(root(), "verify-button");
	ui_wait_idle(window);
	ck_assert_msg(ui_log_contains(window, "Verify passed: the chip matches"), "log:\n%s",
		      glint_log_view_get_text(log));
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 7, &changed, 1));
	ui_click(root(), "verify-button");
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Verify failed: "));
	ck_assert(!ui_log_contains(window, "Verify failed: Verify failed"));
	ck_assert(strstr(label_text("info-bar-label"), "Verify failed: Verify failed") == NULL);
	ck_assert(glint_log_view_save(log, saved_path, NULL));
	ck_assert(g_file_get_contents(saved_path, &saved, NULL, NULL));
	ck_assert_msg(g_str_has_prefix(saved, "# Glint 0.1.0 log, saved 20"), "%s", saved);
	ck_assert_msg(
	    strstr(saved, "# Probe: simulated ST-LINK") && strstr(saved, "firmware V2J37M26") &&
		strstr(saved, "# Chip: STM32L47x/L48x (device 0x415") && strstr(saved, "# UID: "),
	    "%s", saved);
	ck_assert_msg(g_regex_match(dated, saved, 0, NULL), "%s", saved);
	/* Filtering keeps the line on top where it was. */
	glint_log_view_clear(log);
	for (guint i = 0; i < 400; i++) {
		g_autofree gchar *text = g_strdup_printf("line %u", i);
		glint_log_view_append(log, i % 2 ? G_LOG_LEVEL_DEBUG : G_LOG_LEVEL_INFO, text);
	}
	ui_flush();
	glint_log_view_scroll_to_line(log, 100);
	ck_assert_msg(ui_wait(top_line_is, "line 100", 10), "not scrolled to line 100");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ui_get(root(), "log-level")), "info");
	ck_assert_msg(ui_wait(top_line_is, "line 100", 10), "the filter lost the place: %s",
		      glint_log_view_get_top_line(log));
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ui_get(root(), "log-level")), "debug");
	ck_assert(ui_wait(top_line_is, "line 100", 10));
}
END_TEST

/* ---- small screens (issue 15) ---------------------------------------------------- */

static void
window_minimum(gint *width, gint *height)
{
	GtkRequisition minimum;
	gtk_widget_get_preferred_size(GTK_WIDGET(window), &minimum, NULL);
	*width = minimum.width;
	*height = minimum.height;
}

START_TEST(test_fits_1366x768_and_1024x600)
{
	gint width = 0, height = 0;

	open_window("fresh");
	connect_board();
	window_minimum(&width, &height);
	ck_assert_msg(width <= 1366 && height <= 768, "minimum %dx%d", width, height);
	/* 1024x600: with the side panel hidden everything else fits. */
	glint_window_set_side_panel_visible(window, FALSE);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "side-panel")));
	window_minimum(&width, &height);
	ck_assert_msg(width <= 1024 && height <= 600, "minimum %dx%d without the side panel", width,
		      height);
	gtk_window_resize(GTK_WINDOW(window), 1024, 600);
	glint_window_show_page(window, "options");
	ui_flush();
	ui_screenshot(window, "window-1024x600.png");
	glint_window_set_side_panel_visible(window, TRUE);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "side-panel")));
}
END_TEST

/* ---- cancel -------------------------------------------------------------------- */

/* A gate in the simulated probe: after @after commands it reports that it
 * is held and waits until the test opens it. Runs on the job's thread. */
typedef struct {
	GMutex mutex;
	GCond cond;
	guint64 after;
	guint64 seen;
	gboolean held;
	gboolean open;
} Gate;

static gboolean
gate_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Gate *gate = user_data;
	g_mutex_lock(&gate->mutex);
	if (++gate->seen == gate->after) {
		gate->held = TRUE;
		g_main_context_wakeup(NULL);
		while (!gate->open)
			g_cond_wait(&gate->cond, &gate->mutex);
	}
	g_mutex_unlock(&gate->mutex);
	return TRUE;
}

static gboolean
gate_held(gpointer data)
{
	Gate *gate = data;
	gboolean held;
	g_mutex_lock(&gate->mutex);
	held = gate->held;
	g_mutex_unlock(&gate->mutex);
	return held;
}

START_TEST(test_cancel_1mib_program)
{
	const gsize len = 1024 * 1024;
	g_autofree guint8 *data = pattern(len, 11);
	g_autofree gchar *path = g_build_filename(tmp_root, "big.bin", NULL);
	GlintImageLoadOptions load = {.format = GLINT_IMAGE_FORMAT_BIN, .bin_base = FLASH_BASE};
	Gate gate = {.after = 100}; /* well inside the job whatever the transfer sizes */
	gdouble fraction;

	ck_assert(g_file_set_contents(path, (const char *)data, len, NULL));
	g_mutex_init(&gate.mutex);
	g_cond_init(&gate.cond);
	open_window("fresh");
	connect_board();
	load_file(path, &load);
	glint_sim_set_command_hook(glint_window_get_sim(window), gate_hook, &gate);
	ui_click(root(), "program-button");
	ck_assert_msg(ui_wait(gate_held, &gate, 60), "the job never reached the gate");
	ui_flush();
	/* Mid-job: actions off, Cancel on. */
	ck_assert(glint_window_is_busy(window));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "program-button")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "connect-button")));
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "cancel-button")));
	fraction = gtk_progress_bar_get_fraction(GTK_PROGRESS_BAR(ui_get(root(), "job-progress")));
	ck_assert(fraction < 1.0);
	ui_screenshot(window, "progress.png");
	ui_click(root(), "cancel-button");
	g_mutex_lock(&gate.mutex);
	gate.open = TRUE;
	g_cond_broadcast(&gate.cond);
	g_mutex_unlock(&gate.mutex);
	ui_wait_idle(window);
	glint_sim_set_command_hook(glint_window_get_sim(window), NULL, NULL);
	ck_assert_msg(ui_log_contains(window, "Cancelled after "), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert(gtk_progress_bar_get_fraction(GTK_PROGRESS_BAR(ui_get(root(), "job-progress"))) <
		  1.0);
	/* The bar says what the chip was left with, not just "Cancelled". */
	{
		const char *text =
		    gtk_progress_bar_get_text(GTK_PROGRESS_BAR(ui_get(root(), "job-progress")));
		ck_assert_msg(g_str_has_prefix(text, "Cancelled after ") &&
				  strstr(text, "onwards is not written") != NULL,
			      "progress: %s", text);
	}
	ui_screenshot(window, "progress-cancelled.png");
	/* The UI is usable again: actions back, and a new job runs. */
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "program-button")));
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "connect-button")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "cancel-button")));
	ck_assert(glint_window_is_connected(window));
	mass_erase(NULL);
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Mass erase"));
	g_mutex_clear(&gate.mutex);
	g_cond_clear(&gate.cond);
}
END_TEST

/* ---- log, settings, persistence ---------------------------------------------- */

START_TEST(test_log_filter_search_save)
{
	GlintLogView *log;
	g_autofree gchar *shown = NULL;
	g_autofree gchar *saved = NULL;
	g_autofree gchar *path = NULL;

	open_window("fresh");
	log = glint_window_get_log_view(window);
	glint_log_view_clear(log);
	glint_log_view_append(log, G_LOG_LEVEL_INFO, "alpha info");
	glint_log_view_append(log, G_LOG_LEVEL_WARNING, "beta warning");
	glint_log_view_append(log, G_LOG_LEVEL_CRITICAL, "gamma error");
	glint_log_view_append(log, G_LOG_LEVEL_DEBUG, "delta debug");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ui_get(root(), "log-level")), "warning");
	shown = glint_log_view_get_shown_text(log);
	ck_assert(strstr(shown, "beta warning") && strstr(shown, "gamma error"));
	ck_assert(!strstr(shown, "alpha info") && !strstr(shown, "delta debug"));
	g_free(shown);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ui_get(root(), "log-level")), "debug");
	gtk_entry_set_text(GTK_ENTRY(ui_get(root(), "log-search")), "GAMMA");
	glint_log_view_set_search(log, "GAMMA"); /* search-changed is delayed by GTK */
	shown = glint_log_view_get_shown_text(log);
	ck_assert(strstr(shown, "gamma error") != NULL);
	ck_assert(strstr(shown, "beta") == NULL);
	ck_assert(strstr(shown, "ERROR") != NULL);
	path = g_build_filename(tmp_root, "out.log", NULL);
	ck_assert(glint_log_view_save(log, path, NULL));
	ck_assert(g_file_get_contents(path, &saved, NULL, NULL));
	ck_assert(strstr(saved, "alpha info") && strstr(saved, "delta debug"));
	/* Copy takes the lines shown (the search is still on). */
	ui_click(root(), "log-copy");
	{
		GtkClipboard *clipboard = gtk_widget_get_clipboard(root(), GDK_SELECTION_CLIPBOARD);
		g_autofree gchar *copied = gtk_clipboard_wait_for_text(clipboard);
		ck_assert_ptr_nonnull(copied);
		ck_assert(strstr(copied, "gamma error") != NULL);
		ck_assert(strstr(copied, "alpha info") == NULL);
	}
	ui_click(root(), "log-clear");
	ck_assert_uint_eq(glint_log_view_get_n_lines(log), 0);
}
END_TEST

START_TEST(test_settings_remembered)
{
	g_autoptr(GlintSettings) settings = NULL;
	GlintConnectOptions options;

	open_window("l476re");
	glint_device_panel_get_connect_options(glint_window_get_device_panel(window), &options);
	options.swd_khz = 480;
	options.under_reset = TRUE;
	glint_device_panel_set_connect_options(glint_window_get_device_panel(window), &options);
	gtk_window_close(GTK_WINDOW(window)); /* delete-event stores the settings */
	ui_flush();
	window = NULL;
	settings = glint_settings_load();
	ck_assert_str_eq(settings->scenario, "l476re");
	ck_assert_uint_eq(settings->swd_khz, 480);
	ck_assert(settings->under_reset);
	/* The next window starts with them. */
	open_window(NULL);
	ck_assert_str_eq(glint_device_panel_get_scenario(glint_window_get_device_panel(window)),
			 "l476re");
	glint_device_panel_get_connect_options(glint_window_get_device_panel(window), &options);
	ck_assert_uint_eq(options.swd_khz, 480);
}
END_TEST

START_TEST(test_sim_flash_persists)
{
	const gsize len = 512;
	g_autofree guint8 *data = pattern(len, 4);
	g_autofree gchar *path =
	    write_file("p.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autofree gchar *state = glint_window_default_sim_state_path("fresh");
	guint8 flash[8];

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert_msg(g_file_test(state, G_FILE_TEST_EXISTS), "no state file %s", state);
	gtk_widget_destroy(GTK_WIDGET(window));
	ui_flush();
	/* A new window (a new run) finds the board as it was left. */
	open_window("fresh");
	connect_board();
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 8));
	ck_assert_mem_eq(flash, data, 8);
}
END_TEST

START_TEST(test_l476re_memory_regions)
{
	GlintMemoryView *memory;
	open_window("l476re");
	connect_board();
	ck_assert(strstr(label_text("target-flash"), "512 KB") != NULL);
	memory = glint_window_get_memory_view(window);
	ck_assert(glint_memory_view_goto(memory, 0x20000000));
	ui_wait_idle(window);
	ck_assert_uint_eq(glint_memory_view_get_base(memory), 0x20000000);
	ck_assert_uint_gt(glint_memory_view_get_size(memory), 0);
	ck_assert(!glint_memory_view_goto(memory, 0x70000000));
}
END_TEST

/* A board named BOARD:SCENARIO: the panel, the probe row, the title and
 * the log name that board; connecting reaches it; the choice is remembered */
START_TEST(test_board_spec_selects_board)
{
	GlintDevicePanel *panel;
	g_autoptr(GString) texts = g_string_new(NULL);
	g_autoptr(GlintSettings) settings = NULL;
	const char *subtitle;

	open_window("stm32l476re:wrp");
	panel = glint_window_get_device_panel(window);
	ck_assert_str_eq(glint_device_panel_get_scenario(panel), "stm32l476re:wrp");
	collect_label_texts(ui_get(root(), "probe-sim"), texts);
	ck_assert_msg(strstr(texts->str, "Simulated STM32L476RE") != NULL, "%s", texts->str);
	subtitle = gtk_header_bar_get_subtitle(
	    GTK_HEADER_BAR(gtk_window_get_titlebar(GTK_WINDOW(window))));
	ck_assert_msg(strstr(subtitle, "Simulated STM32L476RE (stm32l476re:wrp)") != NULL, "%s",
		      subtitle);
	ck_assert(ui_log_contains(window, "simulated STM32L476RE"));
	connect_board();
	ck_assert(strstr(label_text("target-flash"), "512 KB") != NULL);
	ck_assert_str_eq(glint_sim_get_board(glint_window_get_sim(window)), "stm32l476re");
	ck_assert_str_eq(glint_sim_get_scenario(glint_window_get_sim(window)), "wrp");
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	gtk_window_close(GTK_WINDOW(window)); /* delete-event stores the settings */
	ui_flush();
	window = NULL;
	settings = glint_settings_load();
	ck_assert_str_eq(settings->scenario, "stm32l476re:wrp");
	open_window(NULL);
	ck_assert_str_eq(glint_device_panel_get_scenario(glint_window_get_device_panel(window)),
			 "stm32l476re:wrp");
	/* back on the NUCLEO: its short name, its title */
	glint_device_panel_select_sim(glint_window_get_device_panel(window), "nucleo-l476rg:rdp1");
	ck_assert_str_eq(glint_device_panel_get_scenario(glint_window_get_device_panel(window)),
			 "rdp1");
	subtitle = gtk_header_bar_get_subtitle(
	    GTK_HEADER_BAR(gtk_window_get_titlebar(GTK_WINDOW(window))));
	ck_assert_msg(strstr(subtitle, "Simulated NUCLEO-L476RG (rdp1)") != NULL, "%s", subtitle);
}
END_TEST

START_TEST(test_export_memory_to_hex)
{
	const gsize len = 1024;
	g_autofree guint8 *data = pattern(len, 13);
	g_autofree gchar *path =
	    write_file("in.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autofree gchar *out = g_build_filename(tmp_root, "out.srec", NULL);
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GError) error = NULL;
	const GlintImageSegment *seg;

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(glint_window_export_memory(window, FLASH_BASE + 16, 256, out));
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Saved 0x08000010-0x0800010F"));
	image = glint_image_load(out, NULL, &error);
	ck_assert_msg(image != NULL, "%s", error != NULL ? error->message : "?");
	ck_assert_int_eq(glint_image_get_format(image), GLINT_IMAGE_FORMAT_SREC);
	ck_assert_uint_eq(glint_image_get_n_segments(image), 1);
	seg = glint_image_get_segment(image, 0);
	ck_assert_uint_eq(seg->address, FLASH_BASE + 16);
	ck_assert_uint_eq(g_bytes_get_size(seg->data), 256);
	ck_assert_mem_eq(g_bytes_get_data(seg->data, NULL), data + 16, 256);
}
END_TEST

static gboolean
reload_bar_shown(gpointer data)
{
	return gtk_widget_get_visible(ui_get(root(), "reload-bar"));
}

START_TEST(test_changed_file_asks_to_reload)
{
	const gsize len = 512;
	g_autofree guint8 *first = pattern(len, 1);
	g_autofree guint8 *second = pattern(len, 2);
	g_autofree gchar *path =
	    write_file("w.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, first, len);
	g_autofree gchar *crc1 = g_strdup_printf("0x%08X", glint_crc32(0, first, len));
	g_autofree gchar *crc2 = g_strdup_printf("0x%08X", glint_crc32(0, second, len));
	g_autofree gchar *again = NULL;

	open_window("fresh");
	load_file(path, NULL);
	ck_assert_str_eq(label_text("file-crc"), crc1);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "reload-bar")));
	again = write_file("w.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, second, len);
	ck_assert_msg(ui_wait(reload_bar_shown, NULL, 20), "no reload question");
	/* Asked, not silent: the loaded image is still the first one. */
	ck_assert_str_eq(label_text("file-crc"), crc1);
	gtk_info_bar_response(GTK_INFO_BAR(ui_get(root(), "reload-bar")), 1);
	ck_assert(glint_file_panel_is_loading(glint_window_get_file_panel(window)));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ck_assert_str_eq(label_text("file-crc"), crc2);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "reload-bar")));
}
END_TEST

START_TEST(test_stale_flags_finding_fix)
{
	GtkWidget *fix;
	open_window("stale-errors");
	connect_board();
	fix = ui_find(root(), "finding-fix-stale-flags");
	ck_assert_msg(fix != NULL, "no stale-flags finding; log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(fix)), "Clear error flags");
	ui_scroll_to(fix);
	ui_screenshot(window, "findings.png");
	ui_click(root(), "finding-fix-stale-flags");
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	ck_assert_ptr_null(ui_find(root(), "finding-fix-stale-flags"));
}
END_TEST

START_TEST(test_probe_rows_follow_hotplug)
{
	GlintDevicePanel *panel;
	GlintProbeInfo info = {.kind = GLINT_PROBE_KIND_V2_1,
			       .serial = (gchar *)"066DFF535254887767184827",
			       .description = (gchar *)"ST-LINK/V2-1"};
	GlintProbeInfo old = {.kind = GLINT_PROBE_KIND_V1,
			      .serial = (gchar *)"V1SERIAL",
			      .description = (gchar *)"ST-LINK/V1"};
	open_window("fresh");
	panel = glint_window_get_device_panel(window);
	ck_assert_uint_eq(glint_device_panel_get_n_probes(panel), 1);
	glint_device_panel_add_probe(panel, &info);
	glint_device_panel_add_probe(panel, &old);
	ck_assert_uint_eq(glint_device_panel_get_n_probes(panel), 3);
	ck_assert(glint_device_panel_select_probe(panel, info.serial));
	ck_assert(!glint_device_panel_is_sim_selected(panel));
	ck_assert_str_eq(glint_device_panel_get_serial(panel), info.serial);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "sim-badge")));
	/* The probe leaves: back to the simulated board. */
	glint_device_panel_remove_probe(panel, info.serial);
	ck_assert_uint_eq(glint_device_panel_get_n_probes(panel), 2);
	ck_assert(glint_device_panel_is_sim_selected(panel));
	ck_assert(gtk_widget_get_visible(ui_get(root(), "sim-badge")));
}
END_TEST

START_TEST(test_command_line_refuses_unknown_scenario)
{
	const char *build = g_getenv("GLINT_BUILD_DIR");
	g_autofree gchar *exe = NULL;
	g_autofree gchar *err = NULL;
	gint status = 0;
	g_autoptr(GError) error = NULL;

	ck_assert_ptr_nonnull(build);
	exe = g_build_filename(build, "app", "glint", NULL);
	{
		const char *argv[] = {exe, "--sim", "no-such-board", NULL};
		ck_assert(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
				       NULL, NULL, &err, &status, &error));
	}
	ck_assert(!g_spawn_check_wait_status(status, NULL));
	ck_assert_msg(strstr(err, "unknown scenario") != NULL, "%s", err);
	ck_assert(strstr(err, "stale-errors") != NULL);
	/* Without a display: a sentence saying what to do, not GTK's bare warning. */
	{
		const char *argv[] = {exe, "--sim", "fresh", NULL};
		g_auto(GStrv) envp = g_get_environ();
		g_autofree gchar *err2 = NULL;
		envp = g_environ_unsetenv(envp, "DISPLAY");
		envp = g_environ_unsetenv(envp, "WAYLAND_DISPLAY");
		ck_assert(g_spawn_sync(NULL, (gchar **)argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
				       NULL, NULL, &err2, &status, NULL));
		ck_assert(!g_spawn_check_wait_status(status, NULL));
		ck_assert_msg(strstr(err2, "cannot open a display") != NULL, "%s", err2);
		ck_assert(strstr(err2, "xvfb-run") != NULL);
	}
}
END_TEST

static gboolean
window_gone(gpointer data)
{
	return *(gboolean *)data;
}

static void
on_window_destroyed(GtkWidget *widget, gpointer data)
{
	*(gboolean *)data = TRUE;
}

START_TEST(test_dualbank_toggle_on_512k_part)
{
	GtkWidget *dualbank;
	const GlintTargetInfo *info;

	open_window("l476re");
	connect_board();
	ck_assert(strstr(label_text("target-banks"), "Dual bank") != NULL);
	dualbank = ui_get(root(), "option-DUALBANK");
	ck_assert(gtk_widget_is_sensitive(dualbank));
	ck_assert(gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(dualbank)));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(dualbank), FALSE);
	ui_click(root(), "options-apply");
	accept_confirmation("mass-erases");
	ui_wait_idle(window);
	ck_assert_msg(!gtk_widget_get_visible(ui_get(root(), "info-bar")), "%s",
		      label_text("info-bar-label"));
	/* Reloaded and re-read: one bank now, and the panels follow. */
	info = glint_session_get_target_info(glint_window_get_session(window));
	ck_assert_uint_eq(info->geometry.n_banks, 1);
	ck_assert(strstr(label_text("target-banks"), "Single bank") != NULL);
	ck_assert(
	    !gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ui_get(root(), "option-DUALBANK"))));
}
END_TEST

START_TEST(test_shortcuts_and_help_overlay)
{
	g_autoptr(GtkApplication) app =
	    gtk_application_new("org.glint.GlintTest", G_APPLICATION_NON_UNIQUE);
	g_autoptr(GtkBuilder) builder = NULL;
	const struct {
		const char *action;
		const char *accel;
	} expected[] = {
	    {"win.open", "<Primary>o"},		{"win.program", "<Primary>p"},
	    {"win.connect", "<Primary>k"},	{"win.verify", "<Primary><Shift>v"},
	    {"win.erase", "<Primary><Shift>e"}, {"win.cancel", "Escape"},
	    {"app.quit", "<Primary>q"},
	};

	glint_app_set_accels(app);
	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_auto(GStrv) accels =
		    gtk_application_get_accels_for_action(app, expected[i].action);
		ck_assert_msg(accels != NULL && accels[0] != NULL, "no shortcut for %s",
			      expected[i].action);
		ck_assert_str_eq(accels[0], expected[i].accel);
	}
	/* The shortcuts window lists the same actions. */
	builder = gtk_builder_new_from_resource("/org/glint/Glint/gtk/help-overlay.ui");
	ck_assert_ptr_nonnull(gtk_builder_get_object(builder, "help_overlay"));
	{
		g_autoptr(GBytes) xml = g_resources_lookup_data(
		    "/org/glint/Glint/gtk/help-overlay.ui", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
		const char *text = g_bytes_get_data(xml, NULL);
		for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
			ck_assert_msg(strstr(text, expected[i].action) != NULL, "%s not listed",
				      expected[i].action);
	}
	gtk_widget_destroy(GTK_WIDGET(gtk_builder_get_object(builder, "help_overlay")));
}
END_TEST

START_TEST(test_recent_files_remembered)
{
	const gsize len = 64;
	g_autofree guint8 *data = pattern(len, 3);
	g_autofree gchar *a = write_file("a.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autofree gchar *b = write_file("b.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autoptr(GlintSettings) settings = NULL;
	GtkMenuButton *recent;
	GMenuModel *model;

	open_window("fresh");
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "recent-button")));
	load_file(a, NULL);
	load_file(b, NULL);
	recent = GTK_MENU_BUTTON(ui_get(root(), "recent-button"));
	ck_assert(gtk_widget_is_sensitive(GTK_WIDGET(recent)));
	model = gtk_menu_button_get_menu_model(recent);
	ck_assert_int_eq(g_menu_model_get_n_items(model), 2);
	/* Most recent first; the menu item opens it again. */
	{
		g_autoptr(GVariant) target =
		    g_menu_model_get_item_attribute_value(model, 0, G_MENU_ATTRIBUTE_TARGET, NULL);
		ck_assert_str_eq(g_variant_get_string(target, NULL), b);
	}
	g_action_group_activate_action(G_ACTION_GROUP(window), "open-recent",
				       g_variant_new_string(a));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ck_assert_str_eq(glint_file_panel_get_path(glint_window_get_file_panel(window)), a);
	gtk_window_close(GTK_WINDOW(window));
	ui_flush();
	window = NULL;
	settings = glint_settings_load();
	ck_assert_str_eq(settings->recent[0], a);
	ck_assert_str_eq(settings->recent[1], b);
}
END_TEST

START_TEST(test_rdp1_regress_from_finding)
{
	const GlintTargetInfo *info;
	open_window("rdp1");
	connect_board();
	info = glint_session_get_target_info(glint_window_get_session(window));
	ck_assert_uint_eq(info->rdp_level, 1);
	ck_assert(strstr(label_text("target-rdp"), "1") != NULL);
	ui_click(root(), "finding-fix-rdp-level1");
	/* Regressing erases everything: asked first, with that said. */
	accept_confirmation("erases ALL");
	ui_wait_idle(window);
	ck_assert_msg(!gtk_widget_get_visible(ui_get(root(), "info-bar")), "%s",
		      label_text("info-bar-label"));
	info = glint_session_get_target_info(glint_window_get_session(window));
	ck_assert_uint_eq(info->rdp_level, 0);
	ck_assert_ptr_null(ui_find(root(), "finding-fix-rdp-level1"));
}
END_TEST

START_TEST(test_bfb2_empty_finding_clears_bfb2)
{
	GlintOptionsPanel *options;
	open_window("bfb2-empty");
	connect_board();
	options = glint_window_get_options_panel(window);
	ck_assert_uint_eq(field_value(glint_options_panel_get_current(options), "BFB2"), 1);
	ui_click(root(), "finding-fix-bfb2-empty-bank2");
	accept_confirmation("BFB2");
	ui_wait_idle(window);
	ck_assert_uint_eq(field_value(glint_options_panel_get_current(options), "BFB2"), 0);
	ck_assert_ptr_null(ui_find(root(), "finding-fix-bfb2-empty-bank2"));
}
END_TEST

START_TEST(test_damaged_settings_are_ignored)
{
	g_autofree gchar *path = glint_settings_get_path();
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GlintSettings) settings = NULL;
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(path, "[window\nwidth=banana\n\xff\xfe", -1, NULL));
	settings = glint_settings_load();
	ck_assert_int_eq(settings->width, 1100);
	ck_assert_str_eq(settings->scenario, "fresh");
	/* The damaged file is kept as glint.conf.bad and the window says so;
	 * a second damaged one does not replace the first. */
	{
		g_autofree gchar *bad = g_strdup_printf("%s.bad", path);
		g_autofree gchar *bad1 = g_strdup_printf("%s.bad.1", path);
		g_autofree gchar *kept = NULL;
		ck_assert_ptr_nonnull(settings->load_problem);
		ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
		ck_assert(g_file_get_contents(bad, &kept, NULL, NULL));
		ck_assert_str_eq(kept, "[window\nwidth=banana\n\xff\xfe");
		ck_assert(g_file_set_contents(path, "[oops", -1, NULL));
		open_window(NULL);
		ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
		ck_assert(ui_log_contains(window, "kept as"));
		ck_assert(g_file_test(bad1, G_FILE_TEST_EXISTS));
		gtk_widget_destroy(GTK_WIDGET(window));
		window = NULL;
		ui_flush();
	}
	/* Out-of-range values are clamped, not trusted. */
	ck_assert(g_file_set_contents(path, "[window]\nwidth=99999999\nheight=-5\n", -1, NULL));
	glint_settings_free(g_steal_pointer(&settings));
	settings = glint_settings_load();
	ck_assert_int_eq(settings->width, 8192);
	ck_assert_int_eq(settings->height, 360);
	open_window(NULL);
	ck_assert(glint_device_panel_is_sim_selected(glint_window_get_device_panel(window)));
}
END_TEST

/* `glint FILE` opens FILE. */
START_TEST(test_command_line_file_opens)
{
	const gsize len = 96;
	g_autofree guint8 *data = pattern(len, 22);
	g_autofree gchar *path =
	    write_file("cmdline.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	GlintWindowOptions options = {.sim_scenario = "fresh", .no_usb = TRUE, .file_path = path};

	window = glint_window_new(NULL, &options);
	gtk_widget_show(GTK_WIDGET(window));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ck_assert_str_eq(label_text("file-format"), "Intel HEX");
}
END_TEST

START_TEST(test_dropped_files_open)
{
	const gsize len = 128;
	g_autofree guint8 *data = pattern(len, 21);
	g_autofree gchar *path =
	    write_file("drop.srec", GLINT_IMAGE_FORMAT_SREC, FLASH_BASE, data, len);
	g_autofree gchar *uri = g_filename_to_uri(path, NULL, NULL);
	const char *remote[] = {"https://example.invalid/fw.hex", NULL};
	const char *local[] = {uri, NULL};

	open_window("fresh");
	ck_assert(!glint_window_open_uris(window, remote));
	ck_assert(ui_log_contains(window, "is not a local file"));
	ck_assert(glint_window_open_uris(window, local));
	ck_assert(ui_wait(image_loaded, NULL, 30));
	ck_assert_str_eq(glint_file_panel_get_path(glint_window_get_file_panel(window)), path);
	ck_assert_str_eq(label_text("file-format"), "Motorola S-record");
}
END_TEST

START_TEST(test_unplugged_probe_then_reconnect)
{
	const gsize len = 4096;
	g_autofree guint8 *data = pattern(len, 23);
	g_autofree gchar *path =
	    write_file("u.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	/* The cable is pulled between two jobs. */
	glint_sim_unplug(glint_window_get_sim(window));
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
	ck_assert_msg(strstr(label_text("info-bar-label"), "Program failed") != NULL, "%s",
		      label_text("info-bar-label"));
	/* Nothing hangs, the dead session is dropped, and Connect starts afresh. */
	ck_assert(!glint_window_is_connected(window));
	ck_assert_ptr_null(glint_window_get_session(window));
	ck_assert_str_eq(label_text("target-chip"), "Not connected");
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "connect-button")));
	connect_board();
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Program and verify: 4096 bytes"));
}
END_TEST

START_TEST(test_smart_program_skips_identical_pages)
{
	const gsize len = 8 * 2048;
	g_autofree guint8 *data = pattern(len, 29);
	g_autofree gchar *path =
	    write_file("s.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	glint_log_view_clear(glint_window_get_log_view(window));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(ui_get(root(), "smart-check")), TRUE);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	/* The option reaches the core, which compares every page's CRC on the
	 * target and rewrites none: its own line, and the job summary. */
	ck_assert_msg(ui_log_contains(window, "Smart re-flash: 8 of 8 pages already match the "
					      "image and are skipped; 0 to erase and program") &&
			  ui_log_contains(window, "8 pages skipped"),
		      "log:\n%s", glint_log_view_get_text(glint_window_get_log_view(window)));
}
END_TEST

START_TEST(test_switching_scenario_disconnects)
{
	open_window("fresh");
	connect_board();
	ck_assert(strstr(label_text("target-rdp"), "Level 0") != NULL);
	/* Another board: the old one is disconnected first, on the worker. */
	ck_assert(glint_device_panel_set_scenario(glint_window_get_device_panel(window), "rdp1"));
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert_ptr_null(glint_window_get_session(window));
	ck_assert_str_eq(label_text("target-chip"), "Not connected");
	connect_board();
	ck_assert_str_eq(glint_sim_get_scenario(glint_window_get_sim(window)), "rdp1");
	ck_assert(strstr(label_text("target-rdp"), "Level 1") != NULL);
}
END_TEST

static GtkWidget *
find_in_toplevels(const char *name)
{
	g_autoptr(GList) toplevels = gtk_window_list_toplevels();
	for (GList *l = toplevels; l != NULL; l = l->next) {
		GtkWidget *found = ui_find(l->data, name);
		if (found != NULL)
			return found;
	}
	return NULL;
}

START_TEST(test_preferences_reset_simulated_board)
{
	const gsize len = 256;
	g_autofree guint8 *data = pattern(len, 31);
	g_autofree gchar *path =
	    write_file("r.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autofree gchar *state = glint_window_default_sim_state_path("fresh");
	GtkWidget *forget;
	guint8 flash[4];

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(g_file_test(state, G_FILE_TEST_EXISTS));
	g_action_group_activate_action(G_ACTION_GROUP(window), "preferences", NULL);
	forget = find_in_toplevels("forget-sim");
	ck_assert_ptr_nonnull(forget);
	/* Refused while connected: the board is in use. */
	gtk_button_clicked(GTK_BUTTON(forget));
	ck_assert(ui_log_contains(window, "Disconnect before resetting"));
	ck_assert(g_file_test(state, G_FILE_TEST_EXISTS));
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	gtk_button_clicked(GTK_BUTTON(forget));
	ck_assert(!g_file_test(state, G_FILE_TEST_EXISTS));
	ck_assert(ui_log_contains(window, "starts afresh"));
	gtk_widget_destroy(gtk_widget_get_toplevel(forget));
	connect_board();
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 4));
	ck_assert_uint_eq(flash[0], 0xFF);
}
END_TEST

START_TEST(test_verify_mismatch_shows_differences)
{
	const gsize len = 4096;
	g_autofree guint8 *data = pattern(len, 37);
	g_autofree gchar *path =
	    write_file("v.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	GlintMemoryView *memory;
	guint8 zero = 0x00;

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	/* One bit of flash goes bad behind the probe's back (0 is always programmable). */
	ck_assert(data[0xA05] != 0x00);
	ck_assert(glint_sim_poke(glint_window_get_sim(window), FLASH_BASE + 0xA05, &zero, 1));
	ui_click(root(), "verify-button");
	ui_wait_idle(window);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
	ck_assert(strstr(label_text("info-bar-label"), "Verify failed") != NULL);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar-show-diff")));
	gtk_info_bar_response(GTK_INFO_BAR(ui_get(root(), "info-bar")), 2);
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	memory = glint_window_get_memory_view(window);
	ck_assert_uint_eq(glint_memory_view_get_n_differences(memory), 1);
	ck_assert_uint_eq(glint_memory_view_get_top_address(memory), FLASH_BASE + 0xA00);
	ck_assert_str_eq(gtk_stack_get_visible_child_name(GTK_STACK(ui_get(root(), "main-stack"))),
			 "memory");
}
END_TEST

/* ---- safety: state files, stale files, quitting, probes (issues 15, 16.1) ---- */

static void
open_window_full(const char *scenario, const char *state_path)
{
	GlintWindowOptions options = {
	    .sim_scenario = scenario, .sim_state_path = state_path, .no_usb = TRUE};
	window = glint_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
}

static GBytes *
file_bytes(const char *path)
{
	gchar *contents = NULL;
	gsize len = 0;
	ck_assert_msg(g_file_get_contents(path, &contents, &len, NULL), "cannot read %s", path);
	return g_bytes_new_take(contents, len);
}

static void
assert_file_holds(const char *path, GBytes *expected)
{
	g_autoptr(GBytes) now = file_bytes(path);
	ck_assert_msg(g_bytes_equal(now, expected), "%s was changed", path);
}

static const char *
info_bar_text(void)
{
	ck_assert_msg(gtk_widget_get_visible(ui_get(root(), "info-bar")), "no info bar; log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	return label_text("info-bar-label");
}

/* A state file of @scenario with @data at the flash base, as Glint saves it. */
static void
write_board_state(const char *path, const char *scenario, const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new(scenario, &error);
	g_autofree gchar *dir = g_path_get_dirname(path);
	ck_assert_msg(sim != NULL, "%s", error != NULL ? error->message : "?");
	if (data != NULL)
		ck_assert(glint_sim_poke(sim, FLASH_BASE, data, len));
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert_msg(glint_sim_save_state(sim, path, &error), "%s",
		      error != NULL ? error->message : "?");
}

static GtkWidget *find_in_toplevels(const char *name);

START_TEST(test_sim_state_refuses_firmware_file)
{
	const gsize len = 600;
	g_autofree guint8 *data = pattern(len, 41);
	g_autofree gchar *victim =
	    write_file("victim.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	g_autoptr(GBytes) before = file_bytes(victim);
	g_autofree gchar *aside = g_strconcat(victim, ".corrupt", NULL);
	GtkWidget *forget;

	/* glint --sim fresh --sim-state victim.hex, then Connect. */
	open_window_full("fresh", victim);
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert_msg(strstr(info_bar_text(), "victim.hex") != NULL &&
			  strstr(info_bar_text(), "not a Glint board state") != NULL,
		      "%s", info_bar_text());
	ui_screenshot(window, "state-foreign-refused.png");
	assert_file_holds(victim, before);
	ck_assert(!g_file_test(aside, G_FILE_TEST_EXISTS));
	/* "Reset simulated board" does not delete it either. */
	g_action_group_activate_action(G_ACTION_GROUP(window), "preferences", NULL);
	forget = find_in_toplevels("forget-sim");
	ck_assert_ptr_nonnull(forget);
	gtk_button_clicked(GTK_BUTTON(forget));
	gtk_widget_destroy(gtk_widget_get_toplevel(forget));
	assert_file_holds(victim, before);
	ck_assert(ui_log_contains(window, "not a Glint board state"));
}
END_TEST

START_TEST(test_default_state_path_foreign_file_refused)
{
	g_autofree gchar *state = glint_window_default_sim_state_path("fresh");
	g_autofree gchar *dir = g_path_get_dirname(state);
	g_autoptr(GBytes) before = NULL;
	ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
	ck_assert(g_file_set_contents(state, "not a board\n\x01\x02", -1, NULL));
	before = file_bytes(state);
	open_window("fresh");
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert_msg(strstr(info_bar_text(), state) != NULL, "%s", info_bar_text());
	assert_file_holds(state, before);
}
END_TEST

/* A damaged state is moved aside (never over an earlier one) and the board
 * starts fresh: a bit flip (CRC), then a truncation. */
START_TEST(test_damaged_state_is_set_aside)
{
	const gsize len = 4096;
	g_autofree guint8 *data = pattern(len, 43);
	g_autofree gchar *state = glint_window_default_sim_state_path("fresh");
	g_autofree gchar *aside0 = g_strconcat(state, ".corrupt", NULL);
	g_autofree gchar *aside1 = g_strconcat(state, ".corrupt.1", NULL);
	g_autofree gchar *aside2 = g_strconcat(state, ".corrupt.2", NULL);
	g_autoptr(GBytes) older = g_bytes_new_static("an earlier damaged state", 24);

	write_board_state(state, "fresh", data, len);
	ck_assert(g_file_set_contents(aside0, "an earlier damaged state", 24, NULL));
	for (guint round = 0; round < 2; round++) {
		const char *aside = round == 0 ? aside1 : aside2;
		g_autoptr(GBytes) damaged = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(GlintSim) saved = NULL;
		gchar *contents = NULL;
		gsize n = 0;
		guint8 flash[4];

		ck_assert(g_file_get_contents(state, &contents, &n, NULL));
		if (round == 0)
			contents[n / 2] ^= 0x10; /* one bit of a flash page */
		else
			n = n / 3; /* cut short */
		ck_assert(g_file_set_contents(state, contents, n, NULL));
		g_free(contents);
		damaged = file_bytes(state);

		open_window("fresh");
		connect_board();
		ck_assert_msg(strstr(info_bar_text(), aside) != NULL, "%s", info_bar_text());
		ck_assert(strstr(info_bar_text(), "damaged") != NULL);
		ck_assert(ui_log_contains(window, aside));
		if (round == 0)
			ui_screenshot(window, "state-set-aside.png");
		assert_file_holds(aside, damaged);
		assert_file_holds(aside0, older);
		/* The board starts fresh, and what is saved now is a valid state. */
		ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 4));
		ck_assert_uint_eq(flash[0], 0xFF);
		saved = glint_sim_new_from_state(state, &error);
		ck_assert_msg(saved != NULL, "%s", error != NULL ? error->message : "?");
		ck_assert(glint_sim_poke(saved, FLASH_BASE, data, len));
		ck_assert(glint_sim_save_state(saved, state, NULL));
		gtk_widget_destroy(GTK_WIDGET(window));
		window = NULL;
		ui_flush();
	}
}
END_TEST

/* Replaced by another file while the board runs: not saved over either. */
START_TEST(test_state_file_replaced_later_is_kept)
{
	g_autofree gchar *state = g_build_filename(tmp_root, "board.state", NULL);
	g_autoptr(GBytes) other = g_bytes_new_static("firmware notes\n", 15);

	open_window_full("fresh", state);
	connect_board();
	ck_assert(g_file_test(state, G_FILE_TEST_EXISTS));
	ck_assert(g_file_set_contents(state, "firmware notes\n", 15, NULL));
	mass_erase(NULL);
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "Mass erase"));
	assert_file_holds(state, other);
	ck_assert(ui_log_contains(window, "state was not saved"));
}
END_TEST

static guint32
crc_of(const guint8 *data, gsize len)
{
	return glint_crc32(0, data, len);
}

START_TEST(test_program_uses_file_on_disk_now)
{
	const gsize len = 512;
	g_autofree guint8 *first = pattern(len, 51);
	g_autofree guint8 *second = pattern(len, 52);
	g_autofree gchar *path =
	    write_file("w.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, first, len);
	g_autofree gchar *again = NULL;
	g_autofree gchar *expect = NULL;
	g_autofree gchar *crc2 = g_strdup_printf("0x%08X", crc_of(second, len));
	guint8 flash[16];

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	again = write_file("w.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, second, len);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	expect = g_strdup_printf("%s changed on disk since it was loaded; reloaded (CRC-32 %s)",
				 path, crc2);
	ck_assert_msg(ui_log_contains(window, expect), "no “%s” in the log:\n%s", expect,
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert(ui_log_contains(window, "Program and verify: 512 bytes"));
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 16));
	ck_assert_mem_eq(flash, second, 16);
	/* The file panel shows the copy that was programmed, and does not ask
	 * to reload a change already reloaded. */
	ck_assert_str_eq(label_text("file-crc"), crc2);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "reload-bar")));
}
END_TEST

/* Rewritten within the same timestamp: same size, same mtime, other bytes. */
START_TEST(test_same_stamp_rewrite_is_caught_by_hash)
{
	const gsize len = 512;
	g_autofree guint8 *first = pattern(len, 53);
	g_autofree guint8 *second = pattern(len, 54);
	g_autofree gchar *path =
	    write_file("t.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, first, len);
	g_autofree gchar *again = NULL;
	struct stat st_first, st_second;
	struct timespec times[2];
	guint8 flash[16];

	/* A stamp the loader cannot rule out a same-timestamp rewrite for,
	 * however slow this run is: one in the future (clock skew, NFS). */
	times[0].tv_sec = time(NULL) + 3600;
	times[0].tv_nsec = 0;
	times[1] = times[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
	ck_assert_int_eq(stat(path, &st_first), 0);
	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	/* Verify against what the disk holds now: the other bytes. */
	again = write_file("t.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, second, len);
	times[0] = st_first.st_atim;
	times[1] = st_first.st_mtim;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
	ck_assert_int_eq(stat(path, &st_second), 0);
	ck_assert_int_eq(st_second.st_size, st_first.st_size);
	ck_assert(st_second.st_mtim.tv_sec == st_first.st_mtim.tv_sec &&
		  st_second.st_mtim.tv_nsec == st_first.st_mtim.tv_nsec);
	ui_click(root(), "verify-button");
	ui_wait_idle(window);
	ck_assert(ui_log_contains(window, "t.hex changed on disk since it was loaded; reloaded"));
	ck_assert_msg(strstr(info_bar_text(), "Verify failed") != NULL, "%s", info_bar_text());
	/* And Program writes it. */
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 16));
	ck_assert_mem_eq(flash, second, 16);
}
END_TEST

START_TEST(test_program_refuses_deleted_or_broken_file)
{
	const gsize len = 512;
	g_autofree guint8 *data = pattern(len, 55);
	g_autofree gchar *path =
	    write_file("gone.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);
	guint8 flash[4];

	open_window("fresh");
	connect_board();
	load_file(path, NULL);
	ck_assert_int_eq(g_unlink(path), 0);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert_msg(strstr(info_bar_text(), "Program failed") != NULL &&
			  strstr(info_bar_text(), "gone.hex") != NULL &&
			  strstr(info_bar_text(), "no longer exists") != NULL,
		      "%s", info_bar_text());
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 4));
	ck_assert_uint_eq(flash[0], 0xFF);
	/* Back, but no longer a valid file: the loader's reason, nothing written. */
	ck_assert(g_file_set_contents(path, ":10000000ZZ\n", -1, NULL));
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert_msg(strstr(info_bar_text(), "gone.hex:1") != NULL, "%s", info_bar_text());
	ck_assert(glint_sim_peek(glint_window_get_sim(window), FLASH_BASE, flash, 4));
	ck_assert_uint_eq(flash[0], 0xFF);
	ck_assert(!ui_log_contains(window, "Program and verify"));
}
END_TEST

static void
collect_messages(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	g_string_append_printf(data, "%s\n", message);
}

static void
on_destroy_keep_log(GtkWidget *widget, gpointer data)
{
	gchar **log = data;
	*log = glint_log_view_get_text(glint_window_get_log_view(GLINT_WINDOW(widget)));
}

static void
open_gate(Gate *gate)
{
	g_mutex_lock(&gate->mutex);
	gate->open = TRUE;
	g_cond_broadcast(&gate->cond);
	g_mutex_unlock(&gate->mutex);
}

/* What app.quit (Ctrl+Q, see shortcuts_and_help_overlay) does. Not through
 * a registered GtkApplication: that pushes GLib past its first quark block,
 * which GLib never frees, and LeakSanitizer cannot tell that from a leak. */
static void
app_quit(void)
{
	g_autoptr(GList) windows = g_list_append(NULL, window);
	glint_app_close_windows(windows);
}

/* Closing during a job asks; "Keep Running" keeps the job, "Stop and Quit"
 * stops it at a safe point, logs what the chip holds, then closes. Ctrl+Q
 * (app.quit) goes the same way. */
static void
quit_during_job(gboolean through_app_quit)
{
	const gsize len = 256 * 1024;
	g_autofree guint8 *data = pattern(len, 57);
	g_autofree gchar *path = g_build_filename(tmp_root, "q.bin", NULL);
	GlintImageLoadOptions load = {.format = GLINT_IMAGE_FORMAT_BIN, .bin_base = FLASH_BASE};
	Gate gate = {.after = 60};
	Gate gate2 = {.after = 60};
	gboolean destroyed = FALSE;
	g_autofree gchar *last_log = NULL;
	g_autoptr(GString) stderr_lines = g_string_new(NULL);
	GtkDialog *dialog;
	GlintSim *sim;
	guint handler;

	ck_assert(g_file_set_contents(path, (const char *)data, len, NULL));
	g_mutex_init(&gate.mutex);
	g_cond_init(&gate.cond);
	g_mutex_init(&gate2.mutex);
	g_cond_init(&gate2.cond);
	open_window("fresh");
	connect_board();
	load_file(path, &load);
	sim = glint_sim_ref(glint_window_get_sim(window));
	g_signal_connect(window, "destroy", G_CALLBACK(on_window_destroyed), &destroyed);
	g_signal_connect(window, "destroy", G_CALLBACK(on_destroy_keep_log), &last_log);

	/* First: asked, answered "keep running"; the job completes. */
	glint_sim_set_command_hook(sim, gate_hook, &gate);
	ui_click(root(), "program-button");
	ck_assert(ui_wait(gate_held, &gate, 60));
	if (through_app_quit)
		app_quit();
	else
		gtk_window_close(GTK_WINDOW(window));
	ui_flush();
	ck_assert(!destroyed);
	dialog = glint_window_get_confirm_dialog(window);
	ck_assert_msg(dialog != NULL, "closing during a job did not ask; log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert_str_eq(gtk_window_get_title(GTK_WINDOW(dialog)), "Quit While a Job Runs?");
	ck_assert_str_eq(gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "confirm-body"))),
			 "A job is running: stop it at a safe point and quit?");
	ck_assert_str_eq(atk_object_get_name(gtk_widget_get_accessible(
			     ui_get(GTK_WIDGET(dialog), "confirm-accept"))),
			 "Stop and Quit");
	ck_assert_str_eq(atk_object_get_name(gtk_widget_get_accessible(
			     ui_get(GTK_WIDGET(dialog), "confirm-cancel"))),
			 "Keep Running");
	if (!through_app_quit)
		ui_screenshot_widget(GTK_WIDGET(dialog), "quit-confirm.png");
	ui_click(GTK_WIDGET(dialog), "confirm-cancel");
	ck_assert_ptr_null(glint_window_get_confirm_dialog(window));
	open_gate(&gate);
	ui_wait_idle(window);
	ck_assert(!destroyed);
	ck_assert_msg(ui_log_contains(window, "Program and verify: 262144 bytes"), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));

	/* Then: "stop and quit". */
	mass_erase(NULL);
	ui_wait_idle(window);
	glint_sim_set_command_hook(sim, gate_hook, &gate2);
	ui_click(root(), "program-button");
	ck_assert(ui_wait(gate_held, &gate2, 60));
	if (through_app_quit)
		app_quit();
	else
		gtk_window_close(GTK_WINDOW(window));
	ui_flush();
	dialog = glint_window_get_confirm_dialog(window);
	ck_assert_ptr_nonnull(dialog);
	handler =
	    g_log_set_handler("glint-ui", G_LOG_LEVEL_MESSAGE, collect_messages, stderr_lines);
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	ui_flush();
	ck_assert(!destroyed); /* the job still holds the probe */
	open_gate(&gate2);
	ck_assert(ui_wait(window_gone, &destroyed, 60));
	g_log_remove_handler("glint-ui", handler);
	window = NULL;
	/* What the job left on the chip is said, in the log and (the window is
	 * gone) on stderr. */
	ck_assert_ptr_nonnull(last_log);
	ck_assert_msg(strstr(last_log, "Cancelled after ") != NULL, "log:\n%s", last_log);
	ck_assert_msg(strstr(stderr_lines->str, "Cancelled after ") != NULL, "stderr:\n%s",
		      stderr_lines->str);
	glint_sim_set_command_hook(sim, NULL, NULL);
	glint_sim_unref(sim);
	g_mutex_clear(&gate.mutex);
	g_cond_clear(&gate.cond);
	g_mutex_clear(&gate2.mutex);
	g_cond_clear(&gate2.cond);
}

START_TEST(test_close_during_job_asks_first)
{
	quit_during_job(FALSE);
}
END_TEST

START_TEST(test_ctrl_q_during_job_asks_first)
{
	quit_during_job(TRUE);
}
END_TEST

START_TEST(test_real_probe_preferred)
{
	GlintDevicePanel *panel;
	GlintProbeInfo real = {.kind = GLINT_PROBE_KIND_V2_1,
			       .serial = (gchar *)"066DFF535254887767184827",
			       .description = (gchar *)"ST-LINK/V2-1"};
	GlintProbeInfo other = {.kind = GLINT_PROBE_KIND_V3,
				.serial = (gchar *)"003A00123456789012345678",
				.description = (gchar *)"STLINK-V3"};
	GlintProbeInfo v1 = {.kind = GLINT_PROBE_KIND_V1,
			     .serial = (gchar *)"V1SERIAL",
			     .description = (gchar *)"ST-LINK/V1"};
	g_autoptr(GPtrArray) at_start = g_ptr_array_new();
	g_autoptr(GPtrArray) plugged = g_ptr_array_new();
	g_autoptr(GPtrArray) unusable = g_ptr_array_new();

	/* Started without --sim: the probe list USB gives at start. */
	open_window(NULL);
	panel = glint_window_get_device_panel(window);
	ck_assert(glint_device_panel_is_sim_selected(panel));
	ck_assert(strstr(gtk_window_get_title(GTK_WINDOW(window)), "Simulated") != NULL);
	g_ptr_array_add(unusable, &v1);
	glint_window_add_probes(window, unusable);
	ck_assert(glint_device_panel_is_sim_selected(panel)); /* a V1 cannot be used */
	g_ptr_array_add(at_start, &real);
	glint_window_add_probes(window, at_start);
	ck_assert_msg(!glint_device_panel_is_sim_selected(panel),
		      "a real probe is present but the simulated board stays selected");
	ck_assert_str_eq(glint_device_panel_get_serial(panel), real.serial);
	ck_assert(strstr(gtk_window_get_title(GTK_WINDOW(window)), real.serial) != NULL);
	ck_assert(strstr(gtk_window_get_title(GTK_WINDOW(window)), "Simulated") == NULL);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "sim-badge")));
	/* The simulation stays one click away, and says what it is. */
	{
		g_autoptr(GString) texts = g_string_new(NULL);
		collect_label_texts(ui_get(root(), "probe-sim"), texts);
		ck_assert_msg(strstr(texts->str, "Simulated") != NULL, "%s", texts->str);
		g_string_truncate(texts, 0);
		collect_label_texts(ui_get(root(), "probe-066DFF535254887767184827"), texts);
		ck_assert_msg(strstr(texts->str, real.serial) != NULL, "%s", texts->str);
	}
	glint_device_panel_select_sim(panel, NULL);
	ck_assert(strstr(gtk_window_get_title(GTK_WINDOW(window)), "Simulated") != NULL);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "sim-badge")));
	/* Hot-plug while connected to the simulation: nothing switches under the user. */
	connect_board();
	g_ptr_array_add(plugged, &other);
	glint_window_add_probes(window, plugged);
	ck_assert(glint_device_panel_is_sim_selected(panel));
	ck_assert(glint_window_is_connected(window));
	ui_click(root(), "connect-button"); /* disconnect */
	ui_wait_idle(window);
	/* Hot-plug with nothing connected: the real probe is chosen. */
	glint_window_remove_probe(window, &other);
	glint_window_add_probes(window, plugged);
	ck_assert(!glint_device_panel_is_sim_selected(panel));
	ck_assert_str_eq(glint_device_panel_get_serial(panel), other.serial);
	ck_assert(ui_log_contains(window, "003A00123456789012345678"));
	/* It leaves: the real probe still present is chosen, not the simulation. */
	glint_window_remove_probe(window, &other);
	ck_assert_str_eq(glint_device_panel_get_serial(panel), real.serial);
}
END_TEST

/* --sim fresh with a state file that holds another board. */
START_TEST(test_state_scenario_shown_and_reset_asked)
{
	g_autofree gchar *state = g_build_filename(tmp_root, "board.state", NULL);
	GtkComboBox *combo;
	GtkDialog *dialog;
	g_autoptr(GlintSim) saved = NULL;

	write_board_state(state, "wrp", NULL, 0);
	open_window_full("fresh", state);
	combo = GTK_COMBO_BOX(ui_get(root(), "scenario-combo"));
	ck_assert_str_eq(gtk_combo_box_get_active_id(combo), "wrp");
	ck_assert(strstr(label_text("scenario-label"), "board.state") != NULL);
	/* Another scenario resets the board: asked, and "no" puts the picker back. */
	glint_device_panel_set_scenario(glint_window_get_device_panel(window), "fresh");
	ck_assert(ui_wait(dialog_shown, NULL, 10));
	dialog = glint_window_get_confirm_dialog(window);
	ui_screenshot_widget(GTK_WIDGET(dialog), "state-reset-confirm.png");
	ck_assert_msg(
	    strstr(gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "confirm-body"))),
		   "resets") != NULL,
	    "%s", gtk_label_get_text(GTK_LABEL(ui_get(GTK_WIDGET(dialog), "confirm-body"))));
	gtk_dialog_response(dialog, GTK_RESPONSE_CANCEL);
	ui_flush();
	ck_assert_str_eq(gtk_combo_box_get_active_id(combo), "wrp");
	connect_board();
	ck_assert_str_eq(glint_sim_get_scenario(glint_window_get_sim(window)), "wrp");
	/* "Yes": the next connect has a new board of that scenario, saved in the file. */
	glint_device_panel_set_scenario(glint_window_get_device_panel(window), "l476re");
	accept_confirmation("resets");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	connect_board();
	ck_assert_str_eq(glint_sim_get_spec(glint_window_get_sim(window)), "l476re");
	saved = glint_sim_new_from_state(state, NULL);
	ck_assert_ptr_nonnull(saved);
	ck_assert_str_eq(glint_sim_get_spec(saved), "l476re");
}
END_TEST

START_TEST(test_program_refreshes_stale_flag_finding)
{
	const gsize len = 256;
	g_autofree guint8 *data = pattern(len, 59);
	g_autofree gchar *path =
	    write_file("f.hex", GLINT_IMAGE_FORMAT_IHEX, FLASH_BASE, data, len);

	open_window("stale-errors");
	connect_board();
	ck_assert_ptr_nonnull(ui_find(root(), "finding-fix-stale-flags"));
	load_file(path, NULL);
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	/* Program cleared the flags itself: the finding is gone. */
	ck_assert(ui_log_contains(window, "Program and verify: 256 bytes"));
	ck_assert_msg(ui_find(root(), "finding-fix-stale-flags") == NULL,
		      "the stale-flags finding is still shown after Program cleared them");
}
END_TEST

START_TEST(test_finding_needing_action_raises_info_bar)
{
	GtkWidget *fix;
	/* A healthy board: no bar. */
	open_window("fresh");
	connect_board();
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "info-bar")));
	gtk_widget_destroy(GTK_WIDGET(window));
	window = NULL;
	ui_flush();

	open_window("wrp");
	connect_board();
	ck_assert_msg(strstr(info_bar_text(), "write-protected") != NULL, "%s", info_bar_text());
	fix = ui_get(root(), "info-bar-fix");
	ck_assert(gtk_widget_get_visible(fix));
	ck_assert_str_eq(gtk_button_get_label(GTK_BUTTON(fix)), "Remove write protection");
	ui_screenshot(window, "finding-info-bar.png");
	gtk_info_bar_response(GTK_INFO_BAR(ui_get(root(), "info-bar")), 1);
	accept_confirmation("WRP");
	ui_wait_idle(window);
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "info-bar")));
	ck_assert_ptr_null(ui_find(root(), "finding-fix-wrp-active"));
}
END_TEST

/* Under glint-usbsim (meson test ui-usb-probe): a probe on the (emulated)
 * USB bus, found through libusb like real hardware. GLINT_UI_USB_PROBE holds
 * its serial. */
START_TEST(test_usb_probe_preferred_and_used)
{
	const char *serial = g_getenv("GLINT_UI_USB_PROBE");
	GlintWindowOptions options = {0}; /* no --sim, USB watched */
	GlintDevicePanel *panel;
	g_autofree gchar *row = NULL;

	ck_assert_ptr_nonnull(serial);
	window = glint_window_new(NULL, &options);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
	panel = glint_window_get_device_panel(window);
	ck_assert_msg(!glint_device_panel_is_sim_selected(panel), "log:\n%s",
		      glint_log_view_get_text(glint_window_get_log_view(window)));
	ck_assert_str_eq(glint_device_panel_get_serial(panel), serial);
	ck_assert(strstr(gtk_window_get_title(GTK_WINDOW(window)), serial) != NULL);
	ck_assert(strstr(gtk_window_get_title(GTK_WINDOW(window)), "Simulated") == NULL);
	connect_board();
	/* Connect went over USB, not to the in-process simulation. */
	ck_assert_ptr_null(glint_window_get_sim(window));
	ck_assert(strstr(label_text("target-chip"), "STM32L4") != NULL);
	row = g_strdup_printf("probe-%s", serial);
	{
		g_autoptr(GString) texts = g_string_new(NULL);
		collect_label_texts(ui_get(root(), row), texts);
		ck_assert_msg(strstr(texts->str, serial) != NULL, "%s", texts->str);
		ck_assert(strstr(texts->str, "Simulat") == NULL);
	}
}
END_TEST

static void
add_test(Suite *s, const char *name, const TTest *test)
{
	/* One case per test, so CK_RUN_CASE=name runs just that one. */
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

/* One case, run once per simulated board, each in its own process with its
 * own timeout: the list of boards grows with every family. */
static void
add_board_loop_test(Suite *s, const char *name, const TTest *test)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test, 0, (int)boards->len);
	suite_add_tcase(s, tc);
}

/* Every simulated board of every family connects in the window and shows
 * its option editor, built from its chip's layout (one screenshot each:
 * options-<board>.png; docs/screenshots keeps one per family). */
START_TEST(test_every_board_option_editor)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	const GlintSimBoardInfo *board;
	g_autofree gchar *shot = NULL;
	const GlintTargetInfo *info;
	const GlintOptionLayout *layout;

	ck_assert_uint_lt(_i, boards->len);
	board = g_ptr_array_index(boards, _i);
	shot = g_strdup_printf("options-%s.png", board->name);
	open_window(board->name);
	connect_board();
	info = glint_session_get_target_info(glint_window_get_session(window));
	ck_assert_uint_eq(info->dev_id, board->dev_id & 0xFFF);
	layout = info->chip->options;
	glint_window_show_page(window, "options");
	ck_assert(glint_options_panel_has_target(glint_window_get_options_panel(window)));
	ck_assert_msg(strstr(label_text("options-status"), info->chip->name) != NULL, "%s: %s",
		      board->name, label_text("options-status"));
	/* one editor per field and area of the layout, and RDP */
	ck_assert_ptr_nonnull(ui_find(root(), "option-RDP"));
	for (guint f = 0; f < layout->n_fields; f++) {
		g_autofree gchar *name = g_strdup_printf("option-%s", layout->fields[f].name);
		ck_assert_msg(ui_find(root(), name) != NULL, "%s: no editor %s", board->name, name);
	}
	ui_screenshot(window, shot);
}
END_TEST

static Suite *
ui_suite(void)
{
	Suite *s = suite_create("ui");
	if (g_getenv("GLINT_UI_USB_PROBE") != NULL) {
		/* Only this case: the others expect no probe on the bus. */
		add_test(s, "usb_probe_preferred_and_used", test_usb_probe_preferred_and_used);
		return s;
	}
	add_test(s, "window_builds", test_window_builds);
	add_test(s, "bad_scenario_is_refused", test_bad_scenario_is_refused);
	add_test(s, "connect_disconnect", test_connect_disconnect);
	add_test(s, "no_target_reports_error", test_no_target_reports_error);
	add_test(s, "swd_disabled_offers_connect_under_reset",
		 test_swd_disabled_offers_connect_under_reset);
	add_test(s, "program_hex_with_verify", test_program_hex_with_verify);
	add_test(s, "memory_compare_finds_differences", test_memory_compare_finds_differences);
	add_test(s, "bin_asks_base_address", test_bin_asks_base_address);
	add_test(s, "bin_base_remembered", test_bin_base_remembered);
	add_test(s, "bin_outside_flash_disables_program", test_bin_outside_flash_disables_program);
	add_test(s, "file_outside_flash_warns", test_file_outside_flash_warns);
	add_test(s, "bad_file_is_reported", test_bad_file_is_reported);
	add_test(s, "wrp_program_fails_then_fix", test_wrp_program_fails_then_fix);
	add_test(s, "toggle_bfb2_and_apply", test_toggle_bfb2_and_apply);
	add_test(s, "dualbank_locked_on_1mb", test_dualbank_locked_on_1mb);
	add_test(s, "rdp2_needs_phrase", test_rdp2_needs_phrase);
	add_test(s, "erase_asks_first", test_erase_asks_first);
	add_test(s, "erase_dialog_units_and_protection", test_erase_dialog_units_and_protection);
	add_test(s, "erase_dialog_ticks_units_holding_data",
		 test_erase_dialog_ticks_units_holding_data);
	add_test(s, "erase_bank_asks_first", test_erase_bank_asks_first);
	add_test(s, "rdp1_erase_and_program_offer_the_fix",
		 test_rdp1_erase_and_program_offer_the_fix);
	add_test(s, "memory_any_address_and_edit", test_memory_any_address_and_edit);
	add_test(s, "memory_edit_flash_word_erase_rule", test_memory_edit_flash_word_erase_rule);
	add_test(s, "otp_program_confirms_permanent_bytes",
		 test_otp_program_confirms_permanent_bytes);
	add_test(s, "compare_inspector_wrap_and_disconnect",
		 test_compare_inspector_wrap_and_disconnect);
	add_test(s, "pcrop_edit_spells_out_consequences", test_pcrop_edit_spells_out_consequences);
	add_test(s, "log_header_dates_verify_and_place", test_log_header_dates_verify_and_place);
	add_test(s, "fits_1366x768_and_1024x600", test_fits_1366x768_and_1024x600);
	add_test(s, "cancel_1mib_program", test_cancel_1mib_program);
	add_test(s, "log_filter_search_save", test_log_filter_search_save);
	add_test(s, "settings_remembered", test_settings_remembered);
	add_test(s, "sim_flash_persists", test_sim_flash_persists);
	add_test(s, "l476re_memory_regions", test_l476re_memory_regions);
	add_test(s, "board_spec_selects_board", test_board_spec_selects_board);
	add_board_loop_test(s, "every_board_option_editor", test_every_board_option_editor);
	add_test(s, "command_line_file_opens", test_command_line_file_opens);
	add_test(s, "dualbank_toggle_on_512k_part", test_dualbank_toggle_on_512k_part);
	add_test(s, "shortcuts_and_help_overlay", test_shortcuts_and_help_overlay);
	add_test(s, "recent_files_remembered", test_recent_files_remembered);
	add_test(s, "rdp1_regress_from_finding", test_rdp1_regress_from_finding);
	add_test(s, "bfb2_empty_finding_clears_bfb2", test_bfb2_empty_finding_clears_bfb2);
	add_test(s, "damaged_settings_are_ignored", test_damaged_settings_are_ignored);
	add_test(s, "dropped_files_open", test_dropped_files_open);
	add_test(s, "unplugged_probe_then_reconnect", test_unplugged_probe_then_reconnect);
	add_test(s, "smart_program_skips_identical_pages",
		 test_smart_program_skips_identical_pages);
	add_test(s, "switching_scenario_disconnects", test_switching_scenario_disconnects);
	add_test(s, "preferences_reset_simulated_board", test_preferences_reset_simulated_board);
	add_test(s, "verify_mismatch_shows_differences", test_verify_mismatch_shows_differences);
	add_test(s, "export_memory_to_hex", test_export_memory_to_hex);
	add_test(s, "changed_file_asks_to_reload", test_changed_file_asks_to_reload);
	add_test(s, "stale_flags_finding_fix", test_stale_flags_finding_fix);
	add_test(s, "probe_rows_follow_hotplug", test_probe_rows_follow_hotplug);
	add_test(s, "command_line_refuses_unknown_scenario",
		 test_command_line_refuses_unknown_scenario);
	add_test(s, "sim_state_refuses_firmware_file", test_sim_state_refuses_firmware_file);
	add_test(s, "default_state_path_foreign_file_refused",
		 test_default_state_path_foreign_file_refused);
	add_test(s, "damaged_state_is_set_aside", test_damaged_state_is_set_aside);
	add_test(s, "state_file_replaced_later_is_kept", test_state_file_replaced_later_is_kept);
	add_test(s, "program_uses_file_on_disk_now", test_program_uses_file_on_disk_now);
	add_test(s, "same_stamp_rewrite_is_caught_by_hash",
		 test_same_stamp_rewrite_is_caught_by_hash);
	add_test(s, "program_refuses_deleted_or_broken_file",
		 test_program_refuses_deleted_or_broken_file);
	add_test(s, "close_during_job_asks_first", test_close_during_job_asks_first);
	add_test(s, "ctrl_q_during_job_asks_first", test_ctrl_q_during_job_asks_first);
	add_test(s, "real_probe_preferred", test_real_probe_preferred);
	add_test(s, "state_scenario_shown_and_reset_asked",
		 test_state_scenario_shown_and_reset_asked);
	add_test(s, "program_refreshes_stale_flag_finding",
		 test_program_refreshes_stale_flag_finding);
	add_test(s, "finding_needing_action_raises_info_bar",
		 test_finding_needing_action_raises_info_bar);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ui_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
