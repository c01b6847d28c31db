/* glint.c: the GTK application's entry point (the window lives in ui/). */
#define G_LOG_DOMAIN "glint"

#include "glint-app.h"

int
main(int argc, char **argv)
{
	g_autoptr(GtkApplication) app = glint_app_new();
	return g_application_run(G_APPLICATION(app), argc, argv);
}
