/* bench-memory-view.c: cost of one frame of the memory viewer holding the
 * whole 1 MiB flash, scrolled to a new place every frame. Only the visible
 * rows are formatted, so the figure must not depend on the data size.
 * Needs a display (xvfb-run); exits 77 (skipped) without one. */
#define G_LOG_DOMAIN "glint-bench"

#include <gtk/gtk.h>

#include "glint-app.h"
#include "glint-memory-view.h"

#define FLASH_BASE 0x08000000u
#define FRAMES 500

static gdouble
ms_per_frame(GlintMemoryView *view, GtkWidget *area, guint32 size, gboolean compare)
{
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 900, 700);
	gint64 start;
	glint_memory_view_set_compare(view, compare);
	start = g_get_monotonic_time();
	for (guint i = 0; i < FRAMES; i++) {
		cairo_t *cr = cairo_create(surface);
		glint_memory_view_goto(view, FLASH_BASE + (i * 7919u * 16u) % size);
		gtk_widget_draw(area, cr);
		cairo_destroy(cr);
	}
	cairo_surface_destroy(surface);
	return (g_get_monotonic_time() - start) / 1000.0 / FRAMES;
}

static GtkWidget *
find_area(GtkWidget *widget)
{
	GtkWidget *found = NULL;
	if (g_strcmp0(gtk_widget_get_name(widget), "memory-area") == 0)
		return widget;
	if (GTK_IS_CONTAINER(widget)) {
		g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(widget));
		for (GList *l = children; l != NULL && found == NULL; l = l->next)
			found = find_area(l->data);
	}
	return found;
}

int
main(void)
{
	const guint32 sizes[] = {64 * 1024, 1024 * 1024};
	GtkWidget *window;
	GlintMemoryView *view;
	GtkWidget *area;

	if (!gtk_init_check(NULL, NULL)) {
		g_printerr("bench-memory-view: no display, skipped (run under xvfb-run)\n");
		return 77;
	}
	glint_ui_register_resources();
	window = gtk_offscreen_window_new();
	view = GLINT_MEMORY_VIEW(glint_memory_view_new());
	gtk_widget_set_size_request(GTK_WIDGET(view), 900, 700);
	gtk_container_add(GTK_CONTAINER(window), GTK_WIDGET(view));
	gtk_widget_show_all(window);
	while (g_main_context_iteration(NULL, FALSE))
		;
	area = find_area(GTK_WIDGET(view));
	for (guint s = 0; s < G_N_ELEMENTS(sizes); s++) {
		g_autofree guint8 *data = g_malloc(sizes[s]);
		g_autoptr(GBytes) bytes = NULL;
		g_autoptr(GlintImage) image = glint_image_new();
		for (guint32 i = 0; i < sizes[s]; i++)
			data[i] = (guint8)(i * 31 + (i >> 9));
		/* The file differs from the flash in every 97th byte. */
		bytes = g_bytes_new(data, sizes[s]);
		for (guint32 i = 0; i < sizes[s]; i += 97)
			data[i] ^= 0xFF;
		glint_image_add(image, FLASH_BASE, data, sizes[s], "bench", NULL);
		glint_memory_view_set_data(view, FLASH_BASE, bytes);
		glint_memory_view_set_image(view, image);
		{
			gdouble plain = ms_per_frame(view, area, sizes[s], FALSE);
			gdouble comparing = ms_per_frame(view, area, sizes[s], TRUE);
			g_print("%7u KiB: %.3f ms/frame, %.3f ms/frame comparing (%u rows drawn, "
				"%u differences)\n",
				sizes[s] / 1024, plain, comparing,
				glint_memory_view_get_rows_drawn(view),
				glint_memory_view_get_n_differences(view));
		}
	}
	gtk_widget_destroy(window);
	return 0;
}
