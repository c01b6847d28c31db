/* glint.c: the GTK application's entry point (the window lives in ui/). */
#define G_LOG_DOMAIN "glint"

#include <locale.h>

#include "glint-app.h"
#include "glint-i18n.h"

/* --help needs no display; everything else does. */
static gboolean
wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (g_str_has_prefix(argv[i], "--help") || g_strcmp0(argv[i], "-h") == 0)
			return TRUE;
	}
	return FALSE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GtkApplication) app = NULL;

	/* Before --help, which needs no display and so no gtk_init(). */
	setlocale(LC_ALL, "");
	glint_i18n_init();
	/* GApplication translates its options in the default domain. */
	textdomain(GETTEXT_PACKAGE);
	/* GTK would exit with a bare "cannot open display": say what to do instead. */
	if (!wants_help(argc, argv) && !gtk_init_check(NULL, NULL)) {
		g_printerr(
		    _("glint: cannot open a display (DISPLAY=%s, WAYLAND_DISPLAY=%s). Start it "
		      "from a desktop session or under xvfb-run, or use glint-cli for the "
		      "command line.\n"),
		    g_getenv("DISPLAY") ? g_getenv("DISPLAY") : "unset",
		    g_getenv("WAYLAND_DISPLAY") ? g_getenv("WAYLAND_DISPLAY") : "unset");
		return 1;
	}
	app = glint_app_new();
	return g_application_run(G_APPLICATION(app), argc, argv);
}
