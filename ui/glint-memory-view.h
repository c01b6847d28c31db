/* glint-memory-view.h: the memory viewer. Owns one block of target memory
 * read from the chip (base address + bytes), draws it as hex + ASCII with an
 * address column (8/16/32-bit grouping), drawing only the visible rows, and
 * compares it with the loaded file (differences highlighted, counted,
 * stepped through). Reading is the window's job: the view asks for it with
 * "read-requested" (guint address, guint size). */
#pragma once

#include <gtk/gtk.h>

#include "glint-family.h"
#include "glint-image.h"

G_BEGIN_DECLS

#define GLINT_TYPE_MEMORY_VIEW (glint_memory_view_get_type())
G_DECLARE_FINAL_TYPE(GlintMemoryView, glint_memory_view, GLINT, MEMORY_VIEW, GtkBox)

#define GLINT_MEMORY_VIEW_BYTES_PER_ROW 16

GtkWidget *glint_memory_view_new(void);

/* The chip's regions for the shortcuts (NULL: none). */
void glint_memory_view_set_target(GlintMemoryView *self, const GlintChip *chip,
				  const GlintFlashGeometry *geometry);
/* Shows @bytes read at @address (NULL clears). */
void glint_memory_view_set_data(GlintMemoryView *self, guint32 address, GBytes *bytes);
/* The region shown: base and size (0 when nothing is loaded). */
guint32 glint_memory_view_get_base(GlintMemoryView *self);
guint32 glint_memory_view_get_size(GlintMemoryView *self);
/* The region a refresh should read (the last one requested). */
void glint_memory_view_get_request(GlintMemoryView *self, guint32 *address, guint32 *size);
/* Scrolls so that @address is on the top row, asking for a read when it is
 * outside the data shown. FALSE if no known region holds it. */
gboolean glint_memory_view_goto(GlintMemoryView *self, guint32 address);
guint32 glint_memory_view_get_top_address(GlintMemoryView *self);
/* 1, 2 or 4 bytes per group. */
void glint_memory_view_set_grouping(GlintMemoryView *self, guint bytes);
/* The image to compare with (NULL: none). */
void glint_memory_view_set_image(GlintMemoryView *self, GlintImage *image);
void glint_memory_view_set_compare(GlintMemoryView *self, gboolean compare);
/* Bytes that differ from the image in the data shown (0 when not comparing). */
guint glint_memory_view_get_n_differences(GlintMemoryView *self);
/* Moves to the next/previous difference from the top row, wrapping around
 * past the last (the count label says so); FALSE if there is none. */
gboolean glint_memory_view_next_difference(GlintMemoryView *self, gboolean forward);
/* Scrolls to the first difference from the image when the next data
 * arrives (the caller asks for a fresh read). */
void glint_memory_view_show_first_difference(GlintMemoryView *self);
/* Selects the byte at @address (as a click on it does) and inspects it:
 * its value and the 16/32-bit little-endian words starting there. */
gboolean glint_memory_view_select(GlintMemoryView *self, guint32 address);
/* "0x08000100: 0x5A (90), u16 0x105A, u32 0x2C1E105A", or "" without a selection. */
const char *glint_memory_view_get_inspection(GlintMemoryView *self);
/* The row holding @address as drawn: "08000000  00 11 ...  |ascii|", or NULL. */
gchar *glint_memory_view_format_row(GlintMemoryView *self, guint32 address);
/* Reads @length bytes at @address (0: the region holding it, or a few rows
 * where none does), as typed in the address and length entries. */
void glint_memory_view_read_range(GlintMemoryView *self, guint32 address, guint32 length);
/* The byte clicked (FALSE: none). */
gboolean glint_memory_view_get_selection(GlintMemoryView *self, guint32 *address);
/* Live refresh: "live-tick" every @interval_ms (one of the rate choices:
 * 250, 500, 1000, 2000; 0 keeps the current one) while on. */
void glint_memory_view_set_live(GlintMemoryView *self, gboolean live, guint interval_ms);
gboolean glint_memory_view_get_live(GlintMemoryView *self);
/* Rows drawn by the last draw (for the "only visible rows" test). */
guint glint_memory_view_get_rows_drawn(GlintMemoryView *self);

G_END_DECLS
