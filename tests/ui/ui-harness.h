/* ui-harness.h: helpers for driving the real Glint window in tests: find
 * widgets by name, click, wait on the main loop for a condition (never a
 * sleep), take screenshots. */
#pragma once

#include <gtk/gtk.h>

#include "glint-window.h"

G_BEGIN_DECLS

/* The widget named @name inside @root (internal children included), or NULL. */
GtkWidget *ui_find(GtkWidget *root, const char *name);
/* Like ui_find, failing the test when absent. */
GtkWidget *ui_get(GtkWidget *root, const char *name);

typedef gboolean (*UiCondition)(gpointer data);
/* Iterates the main loop until @cond holds or @seconds pass; returns @cond. */
gboolean ui_wait(UiCondition cond, gpointer data, guint seconds);
/* Waits until the window's job has finished (and fails if it does not). */
void ui_wait_idle(GlintWindow *window);
/* Lets pending idles and redraws run. */
void ui_flush(void);

/* Scrolls the scrolled window holding @widget so that it is in view. */
void ui_scroll_to(GtkWidget *widget);
/* Clicks the button named @name (fails the test when it is insensitive). */
void ui_click(GtkWidget *root, const char *name);
gboolean ui_log_contains(GlintWindow *window, const char *needle);
/* Saves a screenshot as $GLINT_SCREENSHOT_DIR/@name (if the variable is set). */
void ui_screenshot(GlintWindow *window, const char *name);

/* Same for any shown toplevel (a dialog). */
void ui_screenshot_widget(GtkWidget *toplevel, const char *name);

/* A fresh temporary XDG config/data/state home for this test; removed by ui_cleanup_dirs. */
gchar *ui_make_dirs(void);
void ui_cleanup_dirs(const char *root);

G_END_DECLS
