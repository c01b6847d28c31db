/* test-production-ui.c: the Production mode's window, built from the
 * GResource and driven through its widgets against a simulated fixture:
 * open a recipe, Start, a board that passes and one that fails (with what
 * the operator must do), Stop, the confirmation a protecting recipe needs,
 * the recipe editor, and the way in from the programmer window. Each test
 * waits on the main loop for the station's events, never sleeps. */
#define G_LOG_DOMAIN "glint-test"

#include <check.h>
#include <string.h>
#include <gtk/gtk.h>

#include "glint-app.h"
#include "glint-confirm.h"
#include "glint-production-window.h"
#include "prod-test.h"
#include "ui-harness.h"

static GlintProductionWindow *window;
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

static GtkWidget *
root(void)
{
	return GTK_WIDGET(window);
}

static gboolean
recipe_ready(gpointer data)
{
	return !glint_production_window_is_loading(window);
}

/* A production window on a fixture of @boards, with @recipe open. */
static void
open_window(const char *boards, const char *recipe)
{
	g_autofree gchar *state = g_build_filename(tmp_root, "board.state", NULL);
	GlintProductionOptions options = {
	    .recipe_path = recipe,
	    .sim_board = "nucleo-l476rg",
	    .sim_fixture = boards,
	    .sim_state_path = state,
	};
	window = glint_production_window_new(NULL, &options);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 760);
	gtk_widget_show(GTK_WIDGET(window));
	ck_assert(ui_wait(recipe_ready, NULL, 30));
	ui_flush();
}

static gboolean
not_running(gpointer data)
{
	return !glint_production_window_is_running(window);
}

static gboolean
boards_done(gpointer data)
{
	guint done = 0, passed = 0, failed = 0;
	glint_production_window_get_counts(window, &done, &passed, &failed);
	return done >= GPOINTER_TO_UINT(data);
}

static void
wait_boards(guint n)
{
	ck_assert_msg(ui_wait(boards_done, GUINT_TO_POINTER(n), 60), "%u boards not done; %s", n,
		      glint_production_window_get_message(window) != NULL
			  ? glint_production_window_get_message(window)
			  : "");
	ui_flush();
}

static const char *
label_text(const char *name)
{
	return gtk_label_get_text(GTK_LABEL(ui_get(root(), name)));
}

static gboolean
hint_is(gpointer prefix)
{
	return g_str_has_prefix(label_text("tile-1-hint"), prefix);
}

static void
on_after_paint(GdkFrameClock *clock, gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
}

static gboolean
flag_set(gpointer data)
{
	return *(gboolean *)data;
}

/* What the screen shows once the window has painted what it holds now. */
static void
shot(const char *name)
{
	GdkFrameClock *clock;

	ui_flush();
	clock = gtk_widget_get_frame_clock(root());
	for (guint i = 0; clock != NULL && i < 3; i++) {
		gboolean painted = FALSE;
		gulong id =
		    g_signal_connect(clock, "after-paint", G_CALLBACK(on_after_paint), &painted);
		gtk_widget_queue_draw(root());
		ui_wait(flag_set, &painted, 5);
		g_signal_handler_disconnect(clock, id);
	}
	ui_screenshot_widget(root(), name);
}

START_TEST(test_window_builds_and_waits_for_a_recipe)
{
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", NULL);
	open_window("2", NULL);
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "station-start")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "station-stop")));
	ck_assert_str_eq(label_text("recipe-name"), "Open a recipe to start");
	ck_assert(gtk_widget_get_visible(ui_get(root(), "production-sim-badge")));
	glint_production_window_open_recipe(window, recipe);
	ck_assert(ui_wait(recipe_ready, NULL, 30));
	ui_flush();
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "station-start")));
	ck_assert_str_eq(label_text("recipe-name"), "line — STM32L476RG");
	ck_assert_msg(strstr(label_text("recipe-detail"), "next serial number 1000") != NULL, "%s",
		      label_text("recipe-detail"));
}
END_TEST

START_TEST(test_bad_recipe_is_shown_not_started)
{
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", NULL);
	g_autofree gchar *image = g_build_filename(tmp_root, "fw.bin", NULL);
	/* the image changed after the recipe was made */
	ck_assert(g_file_set_contents(image, "changed", -1, NULL));
	open_window("2", recipe);
	ck_assert_ptr_null(glint_production_window_get_recipe(window));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "station-start")));
	ck_assert_msg(strstr(glint_production_window_get_message(window),
			     "has changed since the recipe was made") != NULL,
		      "%s", glint_production_window_get_message(window));
}
END_TEST

START_TEST(test_start_pass_then_stop)
{
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", NULL);
	GlintStationTile *tile;
	g_autofree gchar *records = g_build_filename(tmp_root, "line-records.csv", NULL);

	open_window("1", recipe);
	ui_click(root(), "station-start");
	ck_assert(glint_production_window_is_running(window));
	/* the recipe cannot change while the station runs */
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "recipe-edit")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "recipe-open")));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "station-start")));
	wait_boards(1);
	tile = glint_production_window_get_tile(window, 0);
	ck_assert_int_eq(glint_station_tile_get_state(tile), GLINT_TILE_PASS);
	ck_assert_str_eq(label_text("tile-1-status"), "PASS");
	ck_assert_str_eq(label_text("tile-1-detail"), "Serial 1000");
	ck_assert_msg(g_str_has_prefix(label_text("tile-1-board"), "Board 1 · UID "), "%s",
		      label_text("tile-1-board"));
	/* the board comes out (the fixture's operator): the next one is asked for */
	ck_assert_msg(ui_wait(hint_is, "Insert a board", 30), "%s", label_text("tile-1-hint"));
	ck_assert_str_eq(label_text("tile-1-status"), "PASS");
	ck_assert_str_eq(label_text("count-done"), "1");
	ck_assert_str_eq(label_text("count-passed"), "1");
	ck_assert_str_eq(label_text("count-failed"), "0");
	ck_assert_str_ne(label_text("count-rate"), "–");
	shot("production-pass.png");
	/* the station waits for the next board; Stop ends it */
	ck_assert(glint_production_window_is_running(window));
	ui_click(root(), "station-stop");
	ck_assert(ui_wait(not_running, NULL, 30));
	ui_flush();
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "station-start")));
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "recipe-edit")));
	/* the pass stays shown; the record is on disk beside the recipe */
	ck_assert_str_eq(label_text("tile-1-status"), "PASS");
	ck_assert(g_file_test(records, G_FILE_TEST_IS_REGULAR));
	ck_assert_uint_eq(
	    prod_board_u32(glint_production_window_get_fixture(window), 1, PROD_SERIAL_ADDR), 1000);
}
END_TEST

START_TEST(test_fail_is_named_for_the_operator)
{
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", NULL);
	GtkTreeModel *model;
	GtkTreeIter iter;
	g_autofree gchar *result = NULL;
	g_autofree gchar *why = NULL;

	open_window("fresh,rdp1", recipe);
	ui_click(root(), "station-start");
	wait_boards(2);
	ck_assert_str_eq(label_text("tile-1-status"), "FAIL");
	ck_assert_str_eq(label_text("tile-1-detail"),
			 "read protected (RDP level 1): remove from line");
	ck_assert_str_eq(label_text("count-passed"), "1");
	ck_assert_str_eq(label_text("count-failed"), "1");
	/* the last records, newest first */
	model = gtk_tree_view_get_model(GTK_TREE_VIEW(ui_get(root(), "records-view")));
	ck_assert_int_eq(gtk_tree_model_iter_n_children(model, NULL), 2);
	ck_assert(gtk_tree_model_get_iter_first(model, &iter));
	gtk_tree_model_get(model, &iter, 3, &result, 6, &why, -1);
	ck_assert_str_eq(result, "FAIL");
	ck_assert_str_eq(why, "read protected (RDP level 1): remove from line");
	shot("production-fail.png");
	ui_click(root(), "station-stop");
	ck_assert(ui_wait(not_running, NULL, 30));
}
END_TEST

START_TEST(test_protecting_recipe_asks_first)
{
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", "[protection]\nrdp=1\n");
	GtkDialog *dialog;
	GtkWidget *body;

	open_window("1", recipe);
	ui_click(root(), "station-start");
	dialog = glint_production_window_get_confirm_dialog(window);
	ck_assert_ptr_nonnull(dialog);
	ck_assert(!glint_production_window_is_running(window));
	body = ui_get(GTK_WIDGET(dialog), "confirm-body");
	ck_assert_msg(strstr(gtk_label_get_text(GTK_LABEL(body)), "RDP") != NULL, "%s",
		      gtk_label_get_text(GTK_LABEL(body)));
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	ck_assert(glint_production_window_is_running(window));
	wait_boards(1);
	ck_assert_str_eq(label_text("tile-1-status"), "PASS");
	ui_click(root(), "station-stop");
	ck_assert(ui_wait(not_running, NULL, 30));
	{
		g_autoptr(GlintSim) board =
		    glint_sim_fixture_get_board(glint_production_window_get_fixture(window), 1);
		ck_assert_uint_eq(glint_sim_peek32(board, PROD_OPTR_ADDR) & 0xFF, 0xBB);
	}
}
END_TEST

static guint
count_lines(const char *path)
{
	g_autofree gchar *text = NULL;
	guint lines = 0;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	for (const char *c = text; *c != '\0'; c++)
		lines += *c == '\n';
	return lines;
}

/* The station's probe threads hand their events to the main loop and never
 * touch a widget themselves: while the main thread is busy (here: not
 * iterating at all), a board is programmed and recorded, yet the window shows
 * nothing of it until the main loop runs. g_main_context_invoke() would run
 * the event on the probe's thread whenever the main loop is idle, and GTK
 * called from two threads crashed the window on a loaded CI machine. */
START_TEST(test_events_reach_widgets_only_on_the_main_loop)
{
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", NULL);
	g_autofree gchar *records = g_build_filename(tmp_root, "line-records.csv", NULL);
	g_autofree gchar *status = NULL;
	gint64 deadline;

	open_window("1", recipe);
	ui_click(root(), "station-start");
	status = g_strdup(label_text("tile-1-status"));
	deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	/* the header, then the board's record: written by the probe's thread */
	while (count_lines(records) < 2 && g_get_monotonic_time() < deadline)
		g_usleep(5000);
	ck_assert_uint_ge(count_lines(records), 2);
	ck_assert_str_eq(label_text("tile-1-status"), status);
	ck_assert_str_eq(label_text("count-done"), "0");
	wait_boards(1);
	ck_assert_str_eq(label_text("count-passed"), "1");
	ui_click(root(), "station-stop");
	ck_assert(ui_wait(not_running, NULL, 30));
}
END_TEST

static void
set_field(GtkWidget *dialog, const char *name, const char *text)
{
	gtk_entry_set_text(GTK_ENTRY(ui_get(dialog, name)), text);
}

START_TEST(test_recipe_editor_saves_what_the_station_runs)
{
	g_autofree gchar *image = prod_write_image(tmp_root, "fw.bin", PROD_IMAGE_LEN, 1, NULL);
	g_autofree gchar *path = g_build_filename(tmp_root, "made.glintrecipe", NULL);
	GlintRecipeEditor *editor;
	GtkWidget *dialog;
	g_auto(GlintRecipeSettings) s = {0};
	g_autoptr(GError) error = NULL;

	open_window("1", NULL);
	ui_click(root(), "recipe-edit");
	editor = glint_production_window_get_editor(window);
	ck_assert_ptr_nonnull(editor);
	dialog = GTK_WIDGET(editor);
	glint_recipe_editor_set_path(editor, path);
	set_field(dialog, "recipe-name", "Made in the editor");
	set_field(dialog, "recipe-chip", "STM32L476RG");
	set_field(dialog, "recipe-image", "fw.bin");
	ck_assert_msg(strstr(gtk_label_get_text(GTK_LABEL(ui_get(dialog, "recipe-image-crc"))),
			     "CRC-32 0x") != NULL,
		      "%s", gtk_label_get_text(GTK_LABEL(ui_get(dialog, "recipe-image-crc"))));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(ui_get(dialog, "recipe-serial-enable")),
				     TRUE);
	/* a serial number inside the image is refused, naming why */
	set_field(dialog, "recipe-serial-address", "0x08000010");
	set_field(dialog, "recipe-serial-first", "500");
	ui_click(dialog, "recipe-save");
	ck_assert_ptr_eq(glint_production_window_get_editor(window), editor);
	ck_assert_msg(strstr(glint_recipe_editor_get_error(editor), "overlaps the image") != NULL,
		      "%s", glint_recipe_editor_get_error(editor));
	ck_assert_msg(strstr(glint_recipe_editor_get_error(editor), "made.glintrecipe") != NULL,
		      "%s", glint_recipe_editor_get_error(editor));
	ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
	set_field(dialog, "recipe-serial-address", "0x080FF800");
	ui_flush();
	ui_screenshot_widget(dialog, "production-recipe-editor.png");
	ui_click(dialog, "recipe-save");
	/* saved, closed, and the window runs it */
	ck_assert_ptr_null(glint_production_window_get_editor(window));
	ck_assert(ui_wait(recipe_ready, NULL, 30));
	ui_flush();
	ck_assert_str_eq(label_text("recipe-name"), "Made in the editor — STM32L476RG");
	ck_assert(glint_recipe_settings_read(path, &s, &error));
	ck_assert_uint_eq(s.serial_first, 500);
	ck_assert_str_eq(s.image, "fw.bin");
	ui_click(root(), "station-start");
	wait_boards(1);
	ck_assert_str_eq(label_text("tile-1-status"), "PASS");
	ui_click(root(), "station-stop");
	ck_assert(ui_wait(not_running, NULL, 30));
}
END_TEST

START_TEST(test_programmer_window_opens_production_mode)
{
	GlintWindowOptions options = {.sim_scenario = "fresh", .no_usb = TRUE};
	GlintWindow *main_window = glint_window_new(NULL, &options);
	GAction *action;
	GList *toplevels;

	gtk_widget_show(GTK_WIDGET(main_window));
	ui_flush();
	action = g_action_map_lookup_action(G_ACTION_MAP(main_window), "production");
	ck_assert_ptr_nonnull(action);
	g_action_activate(action, NULL);
	ui_flush();
	/* the programmer hides while the Production mode is open */
	ck_assert(!gtk_widget_get_visible(GTK_WIDGET(main_window)));
	toplevels = gtk_window_list_toplevels();
	for (GList *l = toplevels; l != NULL; l = l->next) {
		if (GLINT_IS_PRODUCTION_WINDOW(l->data))
			window = l->data;
	}
	g_list_free(toplevels);
	ck_assert_ptr_nonnull(window);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "production-sim-badge")));
	ui_click(root(), "production-back");
	ui_flush();
	window = NULL;
	ck_assert(gtk_widget_get_visible(GTK_WIDGET(main_window)));
	gtk_widget_destroy(GTK_WIDGET(main_window));
	ui_flush();
}
END_TEST

static gboolean
tiles_are(gpointer data)
{
	return glint_production_window_get_n_tiles(window) == GPOINTER_TO_UINT(data);
}

/* Under glint-usbsim (GLINT_PRODUCTION_USB_PROBES=N probes, each with a
 * fixture of two boards): the USB probes, a tile each, all boards pass. */
START_TEST(test_usb_probes_each_get_a_tile)
{
	guint probes = (guint)g_ascii_strtoull(g_getenv("GLINT_PRODUCTION_USB_PROBES"), NULL, 10);
	g_autofree gchar *recipe =
	    prod_write_recipe(tmp_root, "line.glintrecipe", "STM32L476RG", NULL);
	GlintProductionOptions options = {.recipe_path = recipe, .poll_ms = 20};
	guint done = 0, passed = 0, failed = 0;

	window = glint_production_window_new(NULL, &options);
	gtk_widget_show(GTK_WIDGET(window));
	ck_assert(ui_wait(recipe_ready, NULL, 30));
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "production-sim-badge")));
	ui_click(root(), "station-start");
	ck_assert_msg(ui_wait(tiles_are, GUINT_TO_POINTER(probes), 5), "%u tiles, %u probes; %s",
		      glint_production_window_get_n_tiles(window), probes,
		      glint_production_window_get_message(window) != NULL
			  ? glint_production_window_get_message(window)
			  : "");
	wait_boards(2 * probes);
	glint_production_window_get_counts(window, &done, &passed, &failed);
	ck_assert_uint_eq(passed, 2 * probes);
	ck_assert_uint_eq(failed, 0);
	for (guint i = 0; i < probes; i++)
		ck_assert_str_eq(
		    glint_station_tile_get_status(glint_production_window_get_tile(window, i)),
		    "PASS");
	ui_click(root(), "station-stop");
	ck_assert(ui_wait(not_running, NULL, 30));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("production-ui");
	TCase *tc = tcase_create("production");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_window_builds_and_waits_for_a_recipe);
	tcase_add_test(tc, test_bad_recipe_is_shown_not_started);
	tcase_add_test(tc, test_start_pass_then_stop);
	tcase_add_test(tc, test_fail_is_named_for_the_operator);
	tcase_add_test(tc, test_protecting_recipe_asks_first);
	tcase_add_test(tc, test_events_reach_widgets_only_on_the_main_loop);
	tcase_add_test(tc, test_recipe_editor_saves_what_the_station_runs);
	if (g_getenv("GLINT_PRODUCTION_USB_PROBES") != NULL)
		tcase_add_test(tc, test_usb_probes_each_get_a_tile);
	else
		tcase_add_test(tc, test_programmer_window_opens_production_mode);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
