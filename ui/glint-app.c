/* glint-app.c: application object, command line and shortcuts. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-app.h"
#include "glint-i18n.h"

#include "glint-production-window.h"
#include "glint-resources.h"
#include "glint-sim.h"
#include "glint-window.h"

void
glint_ui_register_resources(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		glint_register_resource();
		g_once_init_leave(&once, 1);
	}
}

static const struct {
	const char *action;
	const char *accels[3];
} shortcuts[] = {
    {"win.open", {"<Primary>o", NULL}},
    {"win.connect", {"<Primary>k", NULL}},
    {"win.program", {"<Primary>p", NULL}},
    {"win.verify", {"<Primary><Shift>v", NULL}},
    {"win.erase", {"<Primary><Shift>e", NULL}},
    {"win.reset", {"<Primary>r", NULL}},
    {"win.export-memory", {"<Primary>s", NULL}},
    {"win.refresh-memory", {"F5", NULL}},
    {"win.cancel", {"Escape", NULL}},
    {"win.show-page::file", {"<Alt>1", NULL}},
    {"win.show-page::options", {"<Alt>2", NULL}},
    {"win.show-page::memory", {"<Alt>3", NULL}},
    {"win.show-help-overlay", {"<Primary>question", "<Primary>F1", NULL}},
    {"app.quit", {"<Primary>q", NULL}},
};

void
glint_app_set_accels(GtkApplication *app)
{
	for (guint i = 0; i < G_N_ELEMENTS(shortcuts); i++)
		gtk_application_set_accels_for_action(app, shortcuts[i].action,
						      shortcuts[i].accels);
}

void
glint_app_close_windows(GList *windows)
{
	/* Closing, not destroying: each window stores its settings and asks
	 * before stopping a running job. */
	for (GList *l = windows; l != NULL;) {
		GList *next = l->next;
		gtk_window_close(GTK_WINDOW(l->data));
		l = next;
	}
}

static void
on_quit_activated(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	glint_app_close_windows(gtk_application_get_windows(GTK_APPLICATION(user_data)));
}

static void
on_app_startup(GApplication *app, gpointer user_data)
{
	GSimpleAction *quit = g_simple_action_new("quit", NULL);
	g_signal_connect(quit, "activate", G_CALLBACK(on_quit_activated), app);
	g_action_map_add_action(G_ACTION_MAP(app), G_ACTION(quit));
	g_object_unref(quit);
	glint_app_set_accels(GTK_APPLICATION(app));
	gtk_window_set_default_icon_name("org.glint.Glint");
}

static GtkWindow *
present_window(GtkApplication *app, const char *scenario, const char *state, const char *file)
{
	GlintWindowOptions options = {
	    .sim_scenario = scenario, .sim_state_path = state, .file_path = file};
	GList *windows = gtk_application_get_windows(app);
	GlintWindow *window;
	if (windows != NULL) {
		if (file != NULL)
			glint_file_panel_open(glint_window_get_file_panel(windows->data), file);
		gtk_window_present(GTK_WINDOW(windows->data));
		return GTK_WINDOW(windows->data);
	}
	window = glint_window_new(app, &options);
	gtk_window_present(GTK_WINDOW(window));
	return GTK_WINDOW(window);
}

static void
on_app_activate(GApplication *app, gpointer user_data)
{
	present_window(GTK_APPLICATION(app), NULL, NULL, NULL);
}

/* --sim-fixture and --production: what the Production mode uses, kept on
 * the programmer window it opens from. */
static void
setup_production(GtkWindow *window, const char *fixture, const char *state, const char *recipe)
{
	if (!GLINT_IS_WINDOW(window))
		return;
	if (fixture != NULL)
		g_object_set_data_full(G_OBJECT(window), GLINT_PRODUCTION_FIXTURE_KEY,
				       g_strdup(fixture), g_free);
	if (state != NULL)
		g_object_set_data_full(G_OBJECT(window), GLINT_PRODUCTION_STATE_KEY,
				       g_strdup(state), g_free);
	if (recipe != NULL)
		glint_production_window_open(GLINT_WINDOW(window), recipe);
}

/* The boards and their scenarios, for --help */
static gchar *
board_list(void)
{
	g_autofree gchar *boards = glint_sim_describe_boards();
	return g_strdup_printf(_("Simulated boards for --sim BOARD[:SCENARIO]:\n%s"), boards);
}

static gint
on_app_command_line(GApplication *app, GApplicationCommandLine *cmdline, gpointer user_data)
{
	GVariantDict *dict = g_application_command_line_get_options_dict(cmdline);
	g_autofree gchar *scenario = NULL;
	g_autofree gchar *state = NULL;
	g_auto(GStrv) files = NULL;
	g_autofree gchar *file = NULL;
	g_autofree gchar *fixture = NULL;
	g_autofree gchar *recipe = NULL;
	GtkWindow *window;

	g_variant_dict_lookup(dict, "sim", "s", &scenario);
	g_variant_dict_lookup(dict, "sim-state", "^ay", &state);
	g_variant_dict_lookup(dict, "sim-fixture", "s", &fixture);
	g_variant_dict_lookup(dict, "production", "^ay", &recipe);
	g_variant_dict_lookup(dict, G_OPTION_REMAINING, "^aay", &files);
	if (files != NULL && g_strv_length(files) > 1) {
		g_application_command_line_printerr(
		    cmdline, _("glint: one firmware file at a time, please.\n"));
		return 2;
	}
	/* relative to where glint was started, not to the running instance */
	if (files != NULL && files[0] != NULL) {
		g_autoptr(GFile) f =
		    g_application_command_line_create_file_for_arg(cmdline, files[0]);
		file = g_file_get_path(f);
	}
	if (scenario != NULL) {
		g_autoptr(GError) error = NULL;
		if (!glint_sim_parse_spec(scenario, NULL, NULL, &error)) {
			g_application_command_line_printerr(
			    cmdline, _("glint: unknown scenario “%s” for --sim: %s\n"), scenario,
			    error->message);
			return 2;
		}
	}
	if (state != NULL && scenario == NULL) {
		g_application_command_line_printerr(
		    cmdline, _("glint: --sim-state FILE needs --sim SCENARIO as well.\n"));
		return 2;
	}
	if (fixture != NULL && scenario == NULL) {
		g_application_command_line_printerr(
		    cmdline, _("glint: --sim-fixture needs --sim BOARD: the boards it holds.\n"));
		return 2;
	}
	window = present_window(GTK_APPLICATION(app), scenario, state, file);
	/* with a fixture, --sim-state names the boards' files (FILE-k) */
	setup_production(window, fixture, fixture != NULL ? state : NULL, recipe);
	return 0;
}

GtkApplication *
glint_app_new(void)
{
	GtkApplication *app;
	const GOptionEntry entries[] = {
	    {"sim", 0, 0, G_OPTION_ARG_STRING, NULL,
	     _("Start with this simulated board (and scenario) selected"), "BOARD[:SCENARIO]"},
	    {"sim-state", 0, 0, G_OPTION_ARG_FILENAME, NULL,
	     _("Keep the simulated board's flash and option bytes in FILE"), "FILE"},
	    {"sim-fixture", 0, 0, G_OPTION_ARG_STRING, NULL,
	     _("The Production mode's simulated fixture: N boards of --sim BOARD (or one per "
	       "scenario listed: fresh,rdp1,fresh), put in one after another; with --sim-state "
	       "FILE board k is kept in FILE-k"),
	     "N|LIST"},
	    {"production", 0, 0, G_OPTION_ARG_FILENAME, NULL,
	     _("Open the Production mode with this recipe (.glintrecipe)"), "RECIPE"},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
	     _("A firmware file to open (.bin, .hex, .srec, .elf)"), "[FILE]"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autofree gchar *summary = board_list();

	glint_ui_register_resources();
	app = gtk_application_new("org.glint.Glint",
				  G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
	g_application_add_main_option_entries(G_APPLICATION(app), entries);
	g_application_set_option_context_summary(G_APPLICATION(app), summary);
	g_signal_connect(app, "startup", G_CALLBACK(on_app_startup), NULL);
	g_signal_connect(app, "activate", G_CALLBACK(on_app_activate), NULL);
	g_signal_connect(app, "command-line", G_CALLBACK(on_app_command_line), NULL);
	return app;
}
