/* glint-app.h: the GtkApplication: command line (--sim, --sim-state),
 * resources, keyboard shortcuts, and the main window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Registers the compiled GResource (layouts, CSS, shortcuts window) once;
 * must run before any Glint widget is built. */
void glint_ui_register_resources(void);

/* The application object, ready for g_application_run(). */
GtkApplication *glint_app_new(void);

/* What app.quit (Ctrl+Q) does with the application's windows. */
void glint_app_close_windows(GList *windows);

/* The keyboard shortcuts of the window actions (for the app and tests). */
void glint_app_set_accels(GtkApplication *app);

G_END_DECLS
