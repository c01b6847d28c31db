/* test-target-ui.c: the Target tab of the real window against the simulated
 * board's demo firmware (it blinks, counts in `counter`, prints over SWO
 * and RTT, and crashes on the RTT command "crash"): halt, run, step, the
 * registers read and one written, the live watch of `counter` rising while
 * the core runs, SWO and RTT output, RTT input, the fault report naming the
 * function and line, saving a console, and the worker letting go of the
 * probe when the tab is left, a window job runs, the board disconnects or
 * the window closes. Every wait is for an event, with a bounded timeout. */
#define G_LOG_DOMAIN "glint-test"

#include <check.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include <math.h>

#include "glint-app.h"
#include "glint-console.h"
#include "glint-programmed.h"
#include "glint-target-loop.h"
#include "glint-watch-plot.h"
#include "glint-window.h"
#include "ui-harness.h"

#define DEMO_BOARD "nucleo-l476rg:demo"
/* How long a wait for the demo may take: its lines come every 100 ms of
 * the board's time, which the Target tab keeps in step with the wall clock */
#define WAIT_S 20

static GlintWindow *window;
static gchar *tmp_root;

static GtkWidget *
root(void)
{
	return GTK_WIDGET(window);
}

static GlintTargetView *
view(void)
{
	return glint_window_get_target_view(window);
}

static gchar *
demo_path(const char *name)
{
	return g_build_filename(g_getenv("GLINT_SOURCE_DIR"), "resources", "firmware", "demo", name,
				NULL);
}

/* The line of demo.c holding @text */
static guint
demo_line_of(const char *text)
{
	g_autofree gchar *path = demo_path("demo.c");
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	ck_assert(g_file_get_contents(path, &contents, NULL, NULL));
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (strstr(lines[i], text) != NULL)
			return i + 1;
	}
	ck_abort_msg("demo.c has no line with %s", text);
	return 0;
}

static void
open_window(const char *scenario)
{
	GlintWindowOptions options = {.sim_scenario = scenario, .no_usb = TRUE};
	window = glint_window_new(NULL, &options);
	/* a 1280x800 laptop screen, less the panel and title */
	gtk_window_set_default_size(GTK_WINDOW(window), 1280, 760);
	gtk_widget_show(GTK_WIDGET(window));
	ui_flush();
}

static void
setup(void)
{
	tmp_root = ui_make_dirs();
	ck_assert_msg(gtk_init_check(NULL, NULL), "no display: run under xvfb-run");
	g_object_set(gtk_settings_get_default(), "gtk-enable-animations", FALSE, NULL);
	glint_ui_register_resources();
}

static gboolean
no_loop_alive(gpointer data)
{
	return glint_target_loop_count_alive() == 0;
}

static void
teardown(void)
{
	if (window != NULL) {
		gtk_widget_destroy(GTK_WIDGET(window));
		window = NULL;
	}
	/* the worker ends on its own once the window has gone */
	ck_assert_msg(ui_wait(no_loop_alive, NULL, WAIT_S), "the Target tab's worker went on");
	ui_flush();
	ui_cleanup_dirs(tmp_root);
	g_clear_pointer(&tmp_root, g_free);
}

static const char *
log_text(void)
{
	static gchar *text;
	g_free(text);
	text = glint_log_view_get_text(glint_window_get_log_view(window));
	return text;
}

static void
connect_board(void)
{
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert_msg(glint_window_is_connected(window), "not connected; log:\n%s", log_text());
}

static const char *
state_text(void)
{
	const char *text = glint_target_view_get_state_text(view());
	return text != NULL ? text : "";
}

typedef struct {
	GlintCoreState state;
} StateWait;

static gboolean
core_in_state(gpointer data)
{
	GlintCoreState state;
	return glint_target_view_get_core_state(view(), &state) &&
	       state == ((StateWait *)data)->state;
}

static void
wait_state(GlintCoreState state)
{
	StateWait w = {state};
	ck_assert_msg(ui_wait(core_in_state, &w, WAIT_S), "the core is not %s: %s; log:\n%s",
		      glint_core_state_to_string(state), state_text(), log_text());
	ui_flush();
}

static gboolean
core_known(gpointer data)
{
	GlintCoreState state;
	return glint_target_view_get_core_state(view(), &state);
}

/* The Target tab, its worker reading the core */
static void
show_target(void)
{
	glint_window_show_page(window, "target");
	ck_assert(glint_target_view_is_running(view()));
	ck_assert_msg(ui_wait(core_known, NULL, WAIT_S), "no core state: %s; log:\n%s",
		      state_text(), log_text());
	ui_flush();
}

static void
show_notebook_page(const char *page_name)
{
	GtkNotebook *notebook = GTK_NOTEBOOK(ui_get(root(), "target-notebook"));
	gtk_notebook_set_current_page(notebook,
				      gtk_notebook_page_num(notebook, ui_get(root(), page_name)));
	ui_flush();
}

typedef struct {
	GlintTargetConsole console;
	const char *needle;
	guint times;
} ConsoleWait;

static guint
count_of(const char *text, const char *needle)
{
	guint n = 0;
	for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static gboolean
console_has(gpointer data)
{
	ConsoleWait *w = data;
	g_autofree gchar *text = glint_target_view_get_console_text(view(), w->console);
	return count_of(text, w->needle) >= w->times;
}

static void
wait_console(GlintTargetConsole console, const char *needle, guint times)
{
	ConsoleWait w = {console, needle, times};
	if (!ui_wait(console_has, &w, WAIT_S)) {
		g_autofree gchar *text = glint_target_view_get_console_text(view(), console);
		ck_abort_msg("the %s console does not show %s %u times:\n%s\nstate: %s; log:\n%s",
			     console == GLINT_TARGET_CONSOLE_SWO ? "SWO" : "RTT", needle, times,
			     text, state_text(), log_text());
	}
}

static const char *
label_text(const char *name)
{
	return gtk_label_get_text(GTK_LABEL(ui_get(root(), name)));
}

static gboolean
elf_loaded(gpointer data)
{
	return !glint_target_view_is_loading_elf(view()) &&
	       g_strcmp0(glint_target_view_get_elf_path(view()), data) == 0;
}

static void
wait_elf(const char *path)
{
	ck_assert_msg(ui_wait(elf_loaded, (gpointer)path, WAIT_S), "ELF %s not in use: %s", path,
		      label_text("target-elf-label"));
}

/* ---- the core panel ----------------------------------------------------------- */

static gboolean
pc_differs(gpointer data)
{
	guint32 pc = 0;
	GlintCoreState state;
	return glint_target_view_get_core_state(view(), &state) && state == GLINT_CORE_HALTED &&
	       glint_target_view_get_register(view(), GLINT_REG_PC, &pc) && pc != *(guint32 *)data;
}

static gboolean
register_is(gpointer data)
{
	const guint32 *want = data; /* reg, value */
	guint32 value = 0;
	return glint_target_view_get_register(view(), (GlintCoreReg)want[0], &value) &&
	       value == want[1];
}

/* What a double-click and typing in the value cell of @reg do */
static void
edit_register(GlintCoreReg reg, const char *text)
{
	GtkTreeView *tree = GTK_TREE_VIEW(ui_get(root(), "target-registers"));
	GtkTreeModel *model = gtk_tree_view_get_model(tree);
	GtkTreeViewColumn *column = gtk_tree_view_get_column(tree, 1);
	g_autoptr(GList) cells = gtk_cell_layout_get_cells(GTK_CELL_LAYOUT(column));
	GtkTreeIter iter;
	gboolean valid = gtk_tree_model_get_iter_first(model, &iter);
	for (; valid; valid = gtk_tree_model_iter_next(model, &iter)) {
		gint r = -1;
		gboolean editable = FALSE;
		gtk_tree_model_get(model, &iter, 0, &r, 4, &editable, -1);
		if (r == (gint)reg) {
			g_autofree gchar *path = gtk_tree_model_get_string_from_iter(model, &iter);
			ck_assert_msg(editable, "%s is not editable", glint_core_reg_name(reg));
			g_signal_emit_by_name(cells->data, "edited", path, text);
			return;
		}
	}
	ck_abort_msg("no row for %s", glint_core_reg_name(reg));
}

START_TEST(test_target_core_halt_step_registers)
{
	guint32 pc = 0, value = 0;
	guint32 want_r0[2] = {GLINT_REG_R0, 0x12345678u};
	GtkWidget *message;

	open_window(DEMO_BOARD);
	connect_board();
	show_target();
	/* a connect halts the core; the tab says so and shows the registers */
	wait_state(GLINT_CORE_HALTED);
	ck_assert_msg(g_str_has_prefix(state_text(), "Halted ("), "%s", state_text());
	ck_assert(glint_target_view_get_register(view(), GLINT_REG_PC, &pc));
	/* every register a Cortex-M4F has, FPU ones included */
	ck_assert(glint_target_view_get_register(view(), GLINT_REG_BASEPRI, &value));
	ck_assert(glint_target_view_get_register(view(), GLINT_REG_FPSCR, &value));
	ck_assert(glint_target_view_get_register(view(), GLINT_REG_S31, &value));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "target-halt")));

	ui_click(root(), "target-run");
	wait_state(GLINT_CORE_RUNNING);
	ck_assert_str_eq(state_text(), "Running");
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "target-step")));

	ui_click(root(), "target-halt");
	wait_state(GLINT_CORE_HALTED);
	ck_assert_msg(g_str_has_prefix(state_text(), "Halted (halt request) at 0x"), "%s",
		      state_text());
	ck_assert(glint_target_view_get_register(view(), GLINT_REG_PC, &pc));

	ui_click(root(), "target-step");
	ck_assert_msg(ui_wait(pc_differs, &pc, WAIT_S), "the step did not move the PC from 0x%08X",
		      pc);

	/* a register written, then read back from the core */
	edit_register(GLINT_REG_R0, "0x12345678");
	ck_assert_msg(ui_wait(register_is, want_r0, WAIT_S), "r0 not written; log:\n%s",
		      log_text());
	/* a value that is none is refused, naming the register */
	message = ui_get(root(), "target-message");
	edit_register((GlintCoreReg)(GLINT_REG_R0 + 1), "zzz");
	ck_assert(gtk_widget_get_visible(ui_get(root(), "target-message-bar")));
	ck_assert_msg(strstr(gtk_label_get_text(GTK_LABEL(message)), "r1: “zzz”") != NULL, "%s",
		      gtk_label_get_text(GTK_LABEL(message)));
	ui_screenshot(window, "target-core.png");

	/* reset and halt: at the reset vector, halted */
	ui_click(root(), "target-reset-halt");
	ck_assert(ui_wait(core_known, NULL, WAIT_S));
	wait_state(GLINT_CORE_HALTED);
}
END_TEST

/* A Cortex-M0+ has no FPU and no BASEPRI: those rows are not there */
START_TEST(test_target_registers_of_a_cortex_m0plus)
{
	guint32 value = 0;
	open_window("nucleo-l053r8:demo");
	connect_board();
	show_target();
	wait_state(GLINT_CORE_HALTED);
	ck_assert(glint_target_view_get_register(view(), GLINT_REG_PRIMASK, &value));
	ck_assert(!glint_target_view_get_register(view(), GLINT_REG_BASEPRI, &value));
	ck_assert(!glint_target_view_get_register(view(), GLINT_REG_S0, &value));
}
END_TEST

/* ---- the live watch --------------------------------------------------------- */

static gboolean
image_loaded(gpointer data)
{
	GlintFilePanel *panel = glint_window_get_file_panel(window);
	return !glint_file_panel_is_loading(panel) && glint_file_panel_get_image(panel) != NULL;
}

typedef struct {
	gint64 first; /* -1 until seen */
	gint64 last;
} Rise;

static gboolean
counter_rose(gpointer data)
{
	Rise *r = data;
	g_autofree gchar *value = glint_target_view_dup_watch_value(view(), 0);
	gint64 v;
	if (value == NULL || !g_ascii_isdigit(value[0]))
		return FALSE;
	v = g_ascii_strtoll(value, NULL, 10);
	if (r->first < 0)
		r->first = v;
	ck_assert_msg(v >= r->last, "counter went back from %" G_GINT64_FORMAT " to %s", r->last,
		      value);
	r->last = v;
	return v >= r->first + 10 && glint_target_view_get_plot_points(view(), 0) >= 10;
}

START_TEST(test_target_watch_counter_rises)
{
	g_autofree gchar *elf = demo_path("demo.elf");
	g_autofree gchar *remembered = NULL;
	g_autoptr(GError) error = NULL;
	GlintCoreState state;
	Rise rise = {-1, 0};
	const char *serial;

	open_window(DEMO_BOARD);
	connect_board();
	/* programmed through the window: remembered for the Target tab (and
	 * glint-cli) as what the chip runs */
	glint_file_panel_load(glint_window_get_file_panel(window), elf, NULL);
	ck_assert(ui_wait(image_loaded, NULL, WAIT_S));
	ui_click(root(), "program-button");
	ui_wait_idle(window);
	ck_assert_msg(strstr(log_text(), "Program and verify") != NULL, "log:\n%s", log_text());
	serial =
	    glint_transport_get_info(glint_session_get_transport(glint_window_get_session(window)))
		->serial;
	remembered = glint_programmed_lookup(serial, NULL, &error);
	ck_assert_str_eq(remembered, elf);

	show_target();
	wait_elf(elf);
	ck_assert_str_eq(label_text("target-elf-label"), "demo.elf (programmed last)");
	/* programming leaves the core halted where the flash loader ran: a
	 * reset starts the new firmware */
	ui_click(root(), "target-reset");
	wait_state(GLINT_CORE_RUNNING);

	gtk_entry_set_text(GTK_ENTRY(ui_get(root(), "watch-entry")), "counter");
	ui_click(root(), "watch-add");
	ck_assert_str_eq(gtk_entry_get_text(GTK_ENTRY(ui_get(root(), "watch-entry"))), "");
	ck_assert_msg(ui_wait(counter_rose, &rise, WAIT_S),
		      "counter did not rise: %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
		      ", %u points; log:\n%s",
		      rise.first, rise.last, glint_target_view_get_plot_points(view(), 0),
		      log_text());
	/* read without halting the core */
	ck_assert(glint_target_view_get_core_state(view(), &state));
	ck_assert_int_eq(state, GLINT_CORE_RUNNING);
	ui_screenshot(window, "target-watch.png");
	/* an address with a type too; a name the ELF lacks is refused */
	ck_assert(glint_target_view_add_watch(view(), "0x2000004C:u32", &error));
	ck_assert(!glint_target_view_add_watch(view(), "no_such_variable", &error));
	ck_assert_msg(strstr(error->message, "no_such_variable") != NULL, "%s", error->message);
}
END_TEST

/* A name needs an ELF: said, with the way out */
START_TEST(test_target_watch_name_without_elf)
{
	g_autoptr(GError) error = NULL;
	open_window(DEMO_BOARD);
	connect_board();
	show_target();
	ck_assert_ptr_null(glint_target_view_get_elf_path(view()));
	ck_assert(!glint_target_view_add_watch(view(), "counter", &error));
	ck_assert_msg(strstr(error->message, "ELF…") != NULL, "%s", error->message);
}
END_TEST

/* ---- SWO ------------------------------------------------------------------------- */

START_TEST(test_target_swo_output_and_save)
{
	g_autofree gchar *existing = g_build_filename(tmp_root, "kept.txt", NULL);
	g_autofree gchar *fresh = g_build_filename(tmp_root, "swo.txt", NULL);
	g_autofree gchar *kept = NULL;
	g_autofree gchar *saved = NULL;
	g_autofree gchar *shown = NULL;
	g_autoptr(GError) error = NULL;
	GtkToggleButton *toggle;

	open_window(DEMO_BOARD);
	connect_board();
	show_target();
	show_notebook_page("target-swo-page");
	toggle = GTK_TOGGLE_BUTTON(ui_get(root(), "swo-start"));
	ck_assert(gtk_widget_is_sensitive(GTK_WIDGET(toggle)));
	gtk_toggle_button_set_active(toggle, TRUE);
	wait_console(GLINT_TARGET_CONSOLE_SWO, "glint demo: counter=", 3);
	ck_assert_msg(strstr(label_text("swo-status"), "baud") != NULL, "%s",
		      label_text("swo-status"));
	/* the capture lets the core run */
	wait_state(GLINT_CORE_RUNNING);
	ui_screenshot(window, "target-swo.png");

	/* saved, never over a file unasked */
	ck_assert(g_file_set_contents(existing, "keep me\n", -1, NULL));
	ck_assert(!glint_target_view_save_console(view(), GLINT_TARGET_CONSOLE_SWO, existing, FALSE,
						  &error));
	ck_assert_msg(strstr(error->message, "exists") != NULL, "%s", error->message);
	ck_assert(g_file_get_contents(existing, &kept, NULL, NULL));
	ck_assert_str_eq(kept, "keep me\n");
	shown = glint_target_view_get_console_text(view(), GLINT_TARGET_CONSOLE_SWO);
	ck_assert(
	    glint_target_view_save_console(view(), GLINT_TARGET_CONSOLE_SWO, fresh, FALSE, NULL));
	ck_assert(g_file_get_contents(fresh, &saved, NULL, NULL));
	/* what the console held when saved (it may have grown since) */
	ck_assert_msg(g_str_has_prefix(saved, shown) || g_str_has_prefix(shown, saved),
		      "saved:\n%s\nshown:\n%s", saved, shown);
	ck_assert(count_of(saved, "glint demo: counter=") >= 3);

	gtk_toggle_button_set_active(toggle, FALSE);
	ck_assert(!gtk_toggle_button_get_active(toggle));
}
END_TEST

/* ---- RTT, its input, and the fault report ------------------------------------------- */

static gboolean
fault_shown(gpointer data)
{
	return glint_target_view_get_fault_summary(view()) != NULL;
}

static gboolean
fault_gone(gpointer data)
{
	return glint_target_view_get_fault_summary(view()) == NULL;
}

START_TEST(test_target_rtt_crash_and_fault_report)
{
	g_autofree gchar *elf = demo_path("demo.elf");
	g_autofree gchar *where = NULL;
	g_autofree gchar *report = NULL;
	guint line = demo_line_of("GLINT_DEMO_CRASH_ADDRESS = counter");
	GtkToggleButton *toggle;
	const char *summary;

	open_window(DEMO_BOARD);
	connect_board();
	show_target();
	/* the ELF… chooser's choice */
	glint_target_view_set_elf(view(), elf);
	wait_elf(elf);
	ck_assert_str_eq(label_text("target-elf-label"), "demo.elf");
	show_notebook_page("target-rtt-page");
	toggle = GTK_TOGGLE_BUTTON(ui_get(root(), "rtt-start"));
	gtk_toggle_button_set_active(toggle, TRUE);
	/* the ELF says where the control block is: no search of the SRAM */
	ck_assert_msg(g_str_has_prefix(label_text("rtt-where"),
				       "Control block at _SEGGER_RTT (0x20000004, from "),
		      "%s", label_text("rtt-where"));
	wait_console(GLINT_TARGET_CONSOLE_RTT, "glint demo: counter=", 3);
	/* found at the ELF's _SEGGER_RTT */
	ck_assert_msg(strstr(label_text("rtt-where"), "Control block at 0x20000004") != NULL, "%s",
		      label_text("rtt-where"));
	ui_screenshot(window, "target-rtt.png");

	gtk_entry_set_text(GTK_ENTRY(ui_get(root(), "rtt-input")), "crash");
	ui_click(root(), "rtt-send");
	wait_console(GLINT_TARGET_CONSOLE_RTT, "glint demo: crashing", 1);
	ck_assert_msg(ui_wait(fault_shown, NULL, WAIT_S), "no fault report; state %s; log:\n%s",
		      state_text(), log_text());
	summary = glint_target_view_get_fault_summary(view());
	where = g_strdup_printf("crash() at demo.c:%u", line);
	ck_assert_msg(strstr(summary, where) != NULL, "%s does not name %s", summary, where);
	ck_assert(gtk_widget_get_visible(ui_get(root(), "target-fault-bar")));
	ck_assert_msg(strstr(state_text(), "HardFault handler") != NULL, "%s", state_text());
	report = glint_target_view_get_fault_text(view());
	ck_assert_msg(strstr(report, "HFSR") != NULL, "%s", report);
	ck_assert(strstr(log_text(), "Target fault: ") != NULL);
	/* Details shows the whole report */
	gtk_info_bar_response(GTK_INFO_BAR(ui_get(root(), "target-fault-bar")), 1);
	ck_assert_int_eq(
	    gtk_notebook_get_current_page(GTK_NOTEBOOK(ui_get(root(), "target-notebook"))),
	    gtk_notebook_page_num(GTK_NOTEBOOK(ui_get(root(), "target-notebook")),
				  ui_get(root(), "target-fault-page")));
	ui_screenshot(window, "target-fault.png");

	/* a reset ends it: the banner goes, RTT finds the new block, the demo
	 * starts again */
	ui_click(root(), "target-reset");
	ck_assert(ui_wait(fault_gone, NULL, WAIT_S));
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "target-fault-bar")));
	wait_console(GLINT_TARGET_CONSOLE_RTT, "glint demo: started", 2);
}
END_TEST

/* An erased chip's core locks up once let run (its vectors are all ones):
 * the tab says so, explains it, and Run stays off until a reset */
START_TEST(test_target_lockup_explained)
{
	open_window("fresh");
	connect_board();
	show_target();
	wait_state(GLINT_CORE_HALTED);
	ui_click(root(), "target-run");
	wait_state(GLINT_CORE_LOCKED_UP);
	ck_assert_msg(g_str_has_prefix(state_text(), "Locked up"), "%s", state_text());
	ck_assert_msg(ui_wait(fault_shown, NULL, WAIT_S), "no fault report; log:\n%s", log_text());
	ck_assert_msg(strstr(glint_target_view_get_fault_summary(view()), "locked up") != NULL,
		      "%s", glint_target_view_get_fault_summary(view()));
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "target-run")));
	ck_assert(gtk_widget_is_sensitive(ui_get(root(), "target-halt")));
	ui_click(root(), "target-reset-halt");
	ck_assert(ui_wait(fault_gone, NULL, WAIT_S));
	wait_state(GLINT_CORE_HALTED);
}
END_TEST

/* ---- the worker lets go of the probe -------------------------------------------- */

static gboolean
view_stopped(gpointer data)
{
	return !glint_target_view_is_running(view()) && glint_target_loop_count_alive() == 0;
}

START_TEST(test_target_worker_stops_and_comes_back)
{
	g_autofree gchar *elf = demo_path("demo.elf");
	GtkToggleButton *toggle;

	open_window(DEMO_BOARD);
	connect_board();
	show_target();
	show_notebook_page("target-swo-page");
	toggle = GTK_TOGGLE_BUTTON(ui_get(root(), "swo-start"));
	gtk_toggle_button_set_active(toggle, TRUE);
	wait_console(GLINT_TARGET_CONSOLE_SWO, "glint demo: counter=", 1);

	/* leaving the tab stops the capture and frees the probe */
	glint_window_show_page(window, "file");
	ck_assert(ui_wait(view_stopped, NULL, WAIT_S));
	ck_assert(!gtk_toggle_button_get_active(toggle));
	ck_assert_msg(g_str_has_prefix(state_text(), "Paused"), "%s", state_text());
	show_target();

	/* a window job waits for the worker, runs, and the tab comes back */
	glint_file_panel_load(glint_window_get_file_panel(window), elf, NULL);
	ck_assert(ui_wait(image_loaded, NULL, WAIT_S));
	glint_window_show_page(window, "target");
	ui_click(root(), "program-button");
	ck_assert(glint_window_is_busy(window));
	ui_wait_idle(window);
	ck_assert_msg(strstr(log_text(), "Program and verify") != NULL, "log:\n%s", log_text());
	ck_assert(glint_target_view_is_running(view()));
	ck_assert(ui_wait(core_known, NULL, WAIT_S));

	/* Disconnect: the worker stops first, then the tab says so */
	ui_click(root(), "connect-button");
	ui_wait_idle(window);
	ck_assert(!glint_window_is_connected(window));
	ck_assert(ui_wait(view_stopped, NULL, WAIT_S));
	ck_assert_str_eq(state_text(), "Not connected");
	ck_assert(!gtk_widget_is_sensitive(ui_get(root(), "target-halt")));
}
END_TEST

/* A gate in the simulated probe: once armed, the next command (the
 * worker's, in the middle of one of its jobs) waits until the test opens
 * it. Runs on the thread that drives the probe. */
typedef struct {
	GMutex mutex;
	GCond cond;
	gboolean armed;
	gboolean held;
	gboolean open;
} Gate;

static gboolean
gate_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Gate *gate = user_data;
	g_mutex_lock(&gate->mutex);
	if (gate->armed) {
		gate->armed = FALSE;
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

/* Program pressed while the worker is in the middle of a job on the
 * probe: it waits until the worker has let go (else the probe would be
 * busy, or two threads would drive it), then runs and succeeds */
START_TEST(test_target_job_waits_for_the_worker)
{
	g_autofree gchar *elf = demo_path("demo.elf");
	static Gate gate;

	g_mutex_init(&gate.mutex);
	g_cond_init(&gate.cond);
	open_window(DEMO_BOARD);
	connect_board();
	glint_file_panel_load(glint_window_get_file_panel(window), elf, NULL);
	ck_assert(ui_wait(image_loaded, NULL, WAIT_S));
	glint_sim_set_command_hook(glint_window_get_sim(window), gate_hook, &gate);
	show_target();
	g_mutex_lock(&gate.mutex);
	gate.armed = TRUE;
	g_mutex_unlock(&gate.mutex);
	ck_assert(ui_wait(gate_held, &gate, WAIT_S));
	ui_click(root(), "program-button");
	ck_assert(glint_window_is_busy(window));
	ui_flush();
	g_mutex_lock(&gate.mutex);
	gate.open = TRUE;
	g_cond_broadcast(&gate.cond);
	g_mutex_unlock(&gate.mutex);
	ui_wait_idle(window);
	ck_assert_msg(strstr(log_text(), "Program and verify") != NULL, "log:\n%s", log_text());
	ck_assert(!gtk_widget_get_visible(ui_get(root(), "info-bar")));
	/* and the tab watches again */
	ck_assert(ui_wait(core_known, NULL, WAIT_S));
}
END_TEST

static void on_destroyed(GtkWidget *widget, gpointer data);
static gboolean flag_set(gpointer data);

static gboolean
confirm_shown(gpointer data)
{
	return glint_window_get_confirm_dialog(window) != NULL;
}

/* Closing the window while a job waits for the worker: asked first, and
 * "Stop and Quit" drops the job that never started and closes */
START_TEST(test_target_close_while_a_job_waits)
{
	g_autofree gchar *elf = demo_path("demo.elf");
	static Gate gate;
	gboolean destroyed = FALSE;
	GtkDialog *dialog;

	g_mutex_init(&gate.mutex);
	g_cond_init(&gate.cond);
	open_window(DEMO_BOARD);
	connect_board();
	glint_file_panel_load(glint_window_get_file_panel(window), elf, NULL);
	ck_assert(ui_wait(image_loaded, NULL, WAIT_S));
	glint_sim_set_command_hook(glint_window_get_sim(window), gate_hook, &gate);
	show_target();
	g_mutex_lock(&gate.mutex);
	gate.armed = TRUE;
	g_mutex_unlock(&gate.mutex);
	ck_assert(ui_wait(gate_held, &gate, WAIT_S));
	ui_click(root(), "program-button");
	g_signal_connect(window, "destroy", G_CALLBACK(on_destroyed), &destroyed);
	gtk_window_close(GTK_WINDOW(window));
	ck_assert(ui_wait(confirm_shown, NULL, WAIT_S));
	dialog = glint_window_get_confirm_dialog(window);
	ui_click(GTK_WIDGET(dialog), "confirm-accept");
	g_mutex_lock(&gate.mutex);
	gate.open = TRUE;
	g_cond_broadcast(&gate.cond);
	g_mutex_unlock(&gate.mutex);
	ck_assert_msg(ui_wait(flag_set, &destroyed, WAIT_S), "the window stayed; log:\n%s",
		      log_text());
	window = NULL;
}
END_TEST

/* The probe pulled while the tab watches: the worker ends, the window lets
 * the dead session go and says why; Connect starts afresh */
static gboolean
unplug_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	return !g_atomic_int_get((gint *)user_data);
}

START_TEST(test_target_probe_unplugged)
{
	static gint pulled;
	open_window(DEMO_BOARD);
	connect_board();
	g_atomic_int_set(&pulled, 0);
	glint_sim_set_command_hook(glint_window_get_sim(window), unplug_hook, &pulled);
	show_target();
	g_atomic_int_set(&pulled, 1);
	ck_assert(ui_wait(view_stopped, NULL, WAIT_S));
	ui_flush();
	ck_assert(!glint_window_is_connected(window));
	ck_assert_ptr_null(glint_window_get_session(window));
	ck_assert(gtk_widget_get_visible(ui_get(root(), "info-bar")));
	ck_assert_str_eq(state_text(), "Not connected");
	connect_board();
	ck_assert(ui_wait(core_known, NULL, WAIT_S));
}
END_TEST

/* Closing the window while the tab watches: the worker stops first (the
 * probe's SWO receiver off), then the window goes */
static void
on_destroyed(GtkWidget *widget, gpointer data)
{
	*(gboolean *)data = TRUE;
}

static gboolean
flag_set(gpointer data)
{
	return *(gboolean *)data;
}

START_TEST(test_target_window_closed_while_live)
{
	gboolean destroyed = FALSE;
	open_window(DEMO_BOARD);
	connect_board();
	show_target();
	show_notebook_page("target-swo-page");
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(ui_get(root(), "swo-start")), TRUE);
	wait_console(GLINT_TARGET_CONSOLE_SWO, "glint demo: counter=", 1);
	g_signal_connect(window, "destroy", G_CALLBACK(on_destroyed), &destroyed);
	gtk_window_close(GTK_WINDOW(window));
	/* not yet: the worker is asked to stop first */
	ck_assert(!destroyed);
	ck_assert(ui_wait(flag_set, &destroyed, WAIT_S));
	window = NULL;
	ck_assert_uint_eq(glint_target_loop_count_alive(), 0);
}
END_TEST

/* ---- the console and the plot on their own ----------------------------------------- */

START_TEST(test_console_text_rules)
{
	GtkWidget *text_view = gtk_text_view_new();
	GtkWidget *scrolled = gtk_scrolled_window_new(NULL, NULL);
	GlintConsole *console;
	g_autoptr(GlintWatchPlot) plot = glint_watch_plot_new();
	g_autofree gchar *text = NULL;
	static const guint8 euro[] = {0xE2, 0x82, 0xAC};
	guint series;

	gtk_container_add(GTK_CONTAINER(scrolled), text_view);
	g_object_ref_sink(scrolled);
	console = glint_console_new(GTK_TEXT_VIEW(text_view), 1024);
	/* CR LF is one line end; a UTF-8 character split across two reads
	 * arrives whole; bytes that are not UTF-8 show as U+FFFD */
	glint_console_append_text(console, (const guint8 *)"one\r\ntwo ", 9);
	glint_console_append_text(console, euro, 1);
	glint_console_append_text(console, euro + 1, 2);
	glint_console_append_text(console, (const guint8 *)"\xFF\n", 2);
	/* a tagged line never lands inside the main stream's line */
	glint_console_append_text(console, (const guint8 *)"half", 4);
	glint_console_append_tagged(console, "[port 2] 0x12");
	/* a secondary stream comes out line by line, its end on flush */
	glint_console_append_stream(console, 1, "channel 1", (const guint8 *)"ab\ncd", 5);
	glint_console_append_stream(console, 1, "channel 1", (const guint8 *)"e", 1);
	glint_console_flush(console);
	text = glint_console_get_text(console);
	{
		g_autofree gchar *escaped = g_strescape(text, NULL);
		ck_assert_msg(g_strcmp0(text,
					"one\ntwo \xE2\x82\xAC\xEF\xBF\xBD\nhalf\n"
					"[port 2] 0x12\n[channel 1] ab\n[channel 1] cde\n") == 0,
			      "%s", escaped);
	}
	/* bounded: the oldest lines go, and the count of what went is kept */
	for (guint i = 0; i < 200; i++)
		glint_console_append_text(console, (const guint8 *)"0123456789\n", 11);
	g_free(text);
	text = glint_console_get_text(console);
	ck_assert_uint_le(strlen(text), 1024);
	ck_assert(g_str_has_suffix(text, "0123456789\n"));
	ck_assert(g_str_has_prefix(text, "0123456789\n"));
	ck_assert_uint_gt(glint_console_get_dropped(console), 0);
	glint_console_clear(console);
	g_free(text);
	text = glint_console_get_text(console);
	ck_assert_str_eq(text, "");
	glint_console_free(console);
	g_object_unref(scrolled);

	/* the plot keeps the newest points of each series, numbers only */
	series = glint_watch_plot_add_series(plot, "x");
	for (guint i = 0; i < GLINT_WATCH_PLOT_MAX_POINTS + 10; i++)
		glint_watch_plot_add_point(plot, series, i * 0.1, i);
	glint_watch_plot_add_point(plot, series, 1e6, NAN);
	ck_assert_uint_le(glint_watch_plot_get_n_points(plot, series), GLINT_WATCH_PLOT_MAX_POINTS);
	ck_assert_uint_gt(glint_watch_plot_get_n_points(plot, series),
			  GLINT_WATCH_PLOT_MAX_POINTS / 2);
	ck_assert_str_eq(glint_watch_plot_get_color(plot, series), "#3465a4");
}
END_TEST

static void
add_test(Suite *s, const char *name, const TTest *test)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

static Suite *
target_suite(void)
{
	Suite *s = suite_create("ui-target");
	add_test(s, "console_text_rules", test_console_text_rules);
	add_test(s, "core_halt_step_registers", test_target_core_halt_step_registers);
	add_test(s, "registers_of_a_cortex_m0plus", test_target_registers_of_a_cortex_m0plus);
	add_test(s, "watch_counter_rises", test_target_watch_counter_rises);
	add_test(s, "watch_name_without_elf", test_target_watch_name_without_elf);
	add_test(s, "swo_output_and_save", test_target_swo_output_and_save);
	add_test(s, "rtt_crash_and_fault_report", test_target_rtt_crash_and_fault_report);
	add_test(s, "lockup_explained", test_target_lockup_explained);
	add_test(s, "worker_stops_and_comes_back", test_target_worker_stops_and_comes_back);
	add_test(s, "job_waits_for_the_worker", test_target_job_waits_for_the_worker);
	add_test(s, "close_while_a_job_waits", test_target_close_while_a_job_waits);
	add_test(s, "probe_unplugged", test_target_probe_unplugged);
	add_test(s, "window_closed_while_live", test_target_window_closed_while_live);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(target_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
