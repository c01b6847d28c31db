/* ui-harness.c: finding, clicking and waiting helpers for the UI tests. */
#define G_LOG_DOMAIN "glint-test"

#include "ui-harness.h"

#include <check.h>
#include <gdk/gdkx.h>
#include <glib/gstdio.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

/* What the libraries allocate in their constructors lives as long as the
 * process, and LeakSanitizer is told so: GLib 2.74 allocates its first
 * quark table there and drops it, by design, once a program has made 2048
 * quarks (gquark.c: "This leaks the old quarks array"), which a window
 * with every tab does. Preinit functions run before any library's
 * constructor, the program's own constructors after all of them. */
static void
ui_lsan_ignore_library_init(void)
{
	__lsan_disable();
}

__attribute__((section(".preinit_array"),
	       used)) static void (*const ui_preinit)(void) = ui_lsan_ignore_library_init;

__attribute__((constructor)) static void
ui_lsan_libraries_done(void)
{
	__lsan_enable();
}
#endif

typedef struct {
	const char *name;
	GtkWidget *found;
} FindData;

static void
find_cb(GtkWidget *widget, gpointer user_data)
{
	FindData *fd = user_data;
	if (fd->found != NULL)
		return;
	if (g_strcmp0(gtk_widget_get_name(widget), fd->name) == 0) {
		fd->found = widget;
		return;
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), find_cb, fd);
}

GtkWidget *
ui_find(GtkWidget *root, const char *name)
{
	FindData fd = {.name = name};
	find_cb(root, &fd);
	return fd.found;
}

GtkWidget *
ui_get(GtkWidget *root, const char *name)
{
	GtkWidget *widget = ui_find(root, name);
	ck_assert_msg(widget != NULL, "no widget named %s", name);
	return widget;
}

static gboolean
on_timeout(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

gboolean
ui_wait(UiCondition cond, gpointer data, guint seconds)
{
	gboolean timed_out = FALSE;
	guint id = g_timeout_add_seconds(seconds, on_timeout, &timed_out);
	while (!cond(data) && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(id);
	return cond(data);
}

static gboolean
is_idle(gpointer data)
{
	return !glint_window_is_busy(GLINT_WINDOW(data));
}

void
ui_wait_idle(GlintWindow *window)
{
	if (!ui_wait(is_idle, window, 90)) {
		g_autofree gchar *log = glint_log_view_get_text(glint_window_get_log_view(window));
		ck_abort_msg("the job did not finish; log:\n%s", log);
	}
	ui_flush();
}

void
ui_flush(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static void ui_settle(GlintWindow *window);

void
ui_scroll_to(GtkWidget *widget)
{
	GtkWidget *scrolled = gtk_widget_get_ancestor(widget, GTK_TYPE_SCROLLED_WINDOW);
	GtkWidget *child;
	GtkAdjustment *adj;
	gint x = 0, y = 0;
	if (scrolled == NULL)
		return;
	ui_settle(GLINT_WINDOW(gtk_widget_get_toplevel(widget)));
	child = gtk_bin_get_child(GTK_BIN(scrolled));
	if (GTK_IS_VIEWPORT(child))
		child = gtk_bin_get_child(GTK_BIN(child));
	if (!gtk_widget_translate_coordinates(widget, child, 0, 0, &x, &y))
		return;
	adj = gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(scrolled));
	gtk_adjustment_set_value(adj, MAX(0, y - 60));
}

void
ui_click(GtkWidget *root, const char *name)
{
	GtkWidget *button = ui_get(root, name);
	ck_assert_msg(gtk_widget_is_sensitive(button), "%s is not sensitive", name);
	gtk_button_clicked(GTK_BUTTON(button));
}

gboolean
ui_log_contains(GlintWindow *window, const char *needle)
{
	g_autofree gchar *text = glint_log_view_get_text(glint_window_get_log_view(window));
	return strstr(text, needle) != NULL;
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

/* Lets the frame clock lay out and paint the window (a resize may wait for
 * the X server's answer), without sleeping. */
static void
ui_settle(GlintWindow *window)
{
	GdkFrameClock *clock = gtk_widget_get_frame_clock(GTK_WIDGET(window));
	if (clock == NULL)
		return;
	for (guint i = 0; i < 3; i++) {
		gboolean painted = FALSE;
		gulong id =
		    g_signal_connect(clock, "after-paint", G_CALLBACK(on_after_paint), &painted);
		gtk_widget_queue_draw(GTK_WIDGET(window));
		ui_wait(flag_set, &painted, 5);
		g_signal_handler_disconnect(clock, id);
	}
}

static gboolean
grab_x_window(GtkWidget *toplevel, const char *path)
{
	GdkWindow *gdk_window = gtk_widget_get_window(toplevel);
	g_autofree gchar *import = g_find_program_in_path("import");
	g_autofree gchar *xid = NULL;
	gint status = 0;

	if (import == NULL || gdk_window == NULL || !GDK_IS_X11_WINDOW(gdk_window))
		return FALSE;
	gdk_display_sync(gdk_window_get_display(gdk_window));
	xid = g_strdup_printf("0x%lx", (unsigned long)gdk_x11_window_get_xid(gdk_window));
	{
		const char *argv[] = {import, "-window", xid, path, NULL};
		if (!g_spawn_sync(NULL, (gchar **)argv, NULL,
				  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
				  NULL, NULL, NULL, &status, NULL))
			return FALSE;
	}
	return g_spawn_check_wait_status(status, NULL);
}

void
ui_screenshot(GlintWindow *window, const char *name)
{
	const char *dir = g_getenv("GLINT_SCREENSHOT_DIR");
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error = NULL;
	if (dir == NULL)
		return;
	path = g_build_filename(dir, name, NULL);
	ui_flush();
	ui_settle(window);
	/* What the X server shows, when ImageMagick can grab it; else GTK's own rendering. */
	if (grab_x_window(GTK_WIDGET(window), path))
		return;
	ck_assert_msg(glint_window_save_screenshot(window, path, &error), "%s",
		      error != NULL ? error->message : "?");
}

void
ui_screenshot_widget(GtkWidget *toplevel, const char *name)
{
	const char *dir = g_getenv("GLINT_SCREENSHOT_DIR");
	g_autofree gchar *path = NULL;
	cairo_surface_t *surface;
	cairo_t *cr;
	if (dir == NULL)
		return;
	path = g_build_filename(dir, name, NULL);
	ui_flush();
	if (grab_x_window(toplevel, path))
		return;
	gtk_container_check_resize(GTK_CONTAINER(toplevel));
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
					     gtk_widget_get_allocated_width(toplevel),
					     gtk_widget_get_allocated_height(toplevel));
	cr = cairo_create(surface);
	gtk_widget_draw(toplevel, cr);
	cairo_destroy(cr);
	ck_assert_int_eq(cairo_surface_write_to_png(surface, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(surface);
}

gchar *
ui_make_dirs(void)
{
	g_autoptr(GError) error = NULL;
	gchar *root = g_dir_make_tmp("glint-ui-XXXXXX", &error);
	g_autofree gchar *config = NULL;
	g_autofree gchar *data = NULL;
	g_autofree gchar *state = NULL;
	ck_assert_msg(root != NULL, "%s", error != NULL ? error->message : "?");
	config = g_build_filename(root, "config", NULL);
	data = g_build_filename(root, "data", NULL);
	state = g_build_filename(root, "state", NULL);
	g_mkdir_with_parents(config, 0700);
	g_mkdir_with_parents(data, 0700);
	g_mkdir_with_parents(state, 0700);
	g_setenv("XDG_CONFIG_HOME", config, TRUE);
	g_setenv("XDG_DATA_HOME", data, TRUE);
	/* the ELF programmed last (glint-programmed.h) */
	g_setenv("XDG_STATE_HOME", state, TRUE);
	return root;
}

static void
remove_tree(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;
	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
				remove_tree(child);
			else
				g_unlink(child);
		}
		g_dir_close(dir);
	}
	g_rmdir(path);
}

void
ui_cleanup_dirs(const char *root)
{
	if (root != NULL)
		remove_tree(root);
}
