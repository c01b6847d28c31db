/* glint-memory-view.c: hex + ASCII view drawing only the visible rows. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-memory-view.h"

#include <string.h>

#define ROW GLINT_MEMORY_VIEW_BYTES_PER_ROW

typedef struct {
	gchar *id; /* the combo's id: owned, the caller's string may go */
	gchar *title;
	guint32 base;
	guint32 size;
} Region;

struct _GlintMemoryView {
	GtkBox parent_instance;
	GtkComboBoxText *region_combo;
	GtkEntry *address_entry;
	GtkEntry *length_entry;
	GtkToggleButton *live_button;
	GtkComboBoxText *live_rate_combo;
	guint live_source;
	gchar *wrap_note; /* said after next/previous wrapped around */
	GtkComboBoxText *group_combo;
	GtkToggleButton *compare_button;
	GtkWidget *prev_button;
	GtkWidget *next_button;
	GtkLabel *diff_label;
	GtkWidget *area;
	GtkWidget *scrollbar;
	GtkAdjustment *adjustment; /* in rows */
	GArray *regions;	   /* element-type Region */
	guint32 base;
	GBytes *bytes;
	guint32 request_address;
	guint32 request_size;
	gboolean have_pending_goto;
	guint32 pending_goto;
	gboolean pending_first_difference;
	gboolean have_selection; /* the byte clicked, inspected below the toolbar */
	guint32 selection;
	GtkLabel *inspect_label;
	guint grouping;
	GlintImage *image;
	gboolean compare;
	GArray *diffs;	 /* element-type guint32: offsets into @bytes that differ, ascending */
	guint8 *differs; /* one flag per byte of @bytes */
	gint line_height;
	gint char_width;
	guint rows_drawn;
	gboolean have_mark; /* the row of the last address gone to is tinted */
	guint32 mark;
	gboolean populating;
};

G_DEFINE_TYPE(GlintMemoryView, glint_memory_view, GTK_TYPE_BOX)

enum { SIGNAL_READ_REQUESTED, SIGNAL_LIVE_TICK, SIGNAL_LAST };
static guint signals[SIGNAL_LAST];

static void update_inspect_label(GlintMemoryView *self);

/* Bytes of a peripheral block read when it is picked from the list. */
#define PERIPHERAL_WINDOW 0x400u
/* What a typed address without a length reads outside the known regions. */
#define DEFAULT_READ 0x100u

static void
region_clear(Region *region)
{
	g_free(region->id);
	g_free(region->title);
}

static guint32
data_size(GlintMemoryView *self)
{
	return self->bytes != NULL ? (guint32)g_bytes_get_size(self->bytes) : 0;
}

static guint
n_rows(GlintMemoryView *self)
{
	return (data_size(self) + ROW - 1) / ROW;
}

static void
request_read(GlintMemoryView *self, guint32 address, guint32 size)
{
	self->request_address = address;
	self->request_size = size;
	g_signal_emit(self, signals[SIGNAL_READ_REQUESTED], 0, (guint)address, (guint)size);
}

void
glint_memory_view_get_request(GlintMemoryView *self, guint32 *address, guint32 *size)
{
	*address = self->request_address;
	*size = self->request_size;
}

static void
add_region(GlintMemoryView *self, const char *id, const char *title, guint32 base, guint32 size)
{
	Region region = {.base = base, .size = size};
	g_autofree gchar *label = NULL;
	if (size == 0)
		return;
	region.id = g_strdup(id);
	region.title = g_strdup(title);
	label = g_strdup_printf("%s (0x%08X, %u KB)", title, base, size / 1024 ? size / 1024 : 1);
	g_array_append_val(self->regions, region);
	gtk_combo_box_text_append(self->region_combo, id, label);
}

void
glint_memory_view_set_target(GlintMemoryView *self, const GlintChip *chip,
			     const GlintFlashGeometry *geometry)
{
	self->populating = TRUE;
	g_array_set_size(self->regions, 0);
	gtk_combo_box_text_remove_all(self->region_combo);
	if (chip != NULL && geometry != NULL) {
		/* The whole flash in one view: drawing stays cheap, only visible rows are drawn. */
		add_region(self, "flash", _("Whole flash"), geometry->base,
			   glint_geometry_end(geometry) - geometry->base);
		if (geometry->n_banks > 1) {
			for (guint b = 0; b < geometry->n_banks; b++) {
				g_autofree gchar *id = g_strdup_printf("flash%u", b + 1);
				g_autofree gchar *title = g_strdup_printf(
				    _("Flash bank %u"), geometry->banks[b].physical + 1);
				add_region(self, id, title, geometry->banks[b].base,
					   geometry->banks[b].size);
			}
		} else {
			add_region(self, "flash1", _("Flash"), geometry->base, geometry->size);
		}
		for (guint i = 0; i < chip->n_regions; i++) {
			const GlintMemoryRegion *r = &chip->regions[i];
			g_autofree gchar *id = g_strdup_printf("region%u", i);
			/* A peripheral block is mostly holes: its first registers
			 * are shown; a typed address and length reaches any other. */
			add_region(self, id, glint_tr(r->name), r->base,
				   r->kind == GLINT_REGION_PERIPHERALS
				       ? MIN(r->size, PERIPHERAL_WINDOW)
				       : r->size);
		}
	}
	self->populating = FALSE;
	if (chip == NULL)
		glint_memory_view_set_data(self, 0, NULL);
}

static void
compute_differences(GlintMemoryView *self)
{
	gsize len = 0;
	const guint8 *data;

	g_array_set_size(self->diffs, 0);
	g_clear_pointer(&self->differs, g_free);
	if (!self->compare || self->image == NULL || self->bytes == NULL)
		return;
	data = g_bytes_get_data(self->bytes, &len);
	self->differs = g_malloc0(len > 0 ? len : 1);
	for (guint i = 0; i < glint_image_get_n_segments(self->image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(self->image, i);
		gsize seg_len = 0;
		const guint8 *seg_data = g_bytes_get_data(seg->data, &seg_len);
		guint64 lo = MAX((guint64)seg->address, (guint64)self->base);
		guint64 hi = MIN((guint64)seg->address + seg_len, (guint64)self->base + len);
		for (guint64 a = lo; a < hi; a++) {
			guint32 off = (guint32)(a - self->base);
			if (data[off] != seg_data[a - seg->address])
				self->differs[off] = 1;
		}
	}
	/* Segments are sorted and do not overlap, so one pass keeps offsets ascending. */
	for (gsize off = 0; off < len; off++) {
		if (self->differs[off]) {
			guint32 o = (guint32)off;
			g_array_append_val(self->diffs, o);
		}
	}
}

static void
update_diff_label(GlintMemoryView *self)
{
	g_autofree gchar *text = NULL;
	gboolean have = self->diffs->len > 0;
	if (!self->compare)
		text = g_strdup("");
	else if (self->image == NULL)
		text = g_strdup(_("Load a file to compare"));
	else if (self->bytes == NULL)
		text = g_strdup(_("Nothing read from the chip yet: nothing compared"));
	else if (!have)
		text = g_strdup(_("No differences from the file"));
	else
		text = g_strdup_printf(
		    /* TRANSLATORS: the last %s is nothing or " — wrapped to the first" */
		    g_dngettext(GETTEXT_PACKAGE, "%u byte differs from the file%s",
				"%u bytes differ from the file%s", self->diffs->len),
		    self->diffs->len, self->wrap_note != NULL ? self->wrap_note : "");
	gtk_label_set_text(self->diff_label, text);
	gtk_widget_set_sensitive(self->prev_button, have);
	gtk_widget_set_sensitive(self->next_button, have);
}

static void
refresh_all(GlintMemoryView *self)
{
	compute_differences(self);
	update_diff_label(self);
	gtk_widget_queue_draw(self->area);
}

static void
update_adjustment(GlintMemoryView *self)
{
	gint height = gtk_widget_get_allocated_height(self->area);
	gdouble page = self->line_height > 0 ? MAX(1, height / self->line_height - 1) : 1;
	gdouble upper = n_rows(self);
	gdouble value = MIN(gtk_adjustment_get_value(self->adjustment), MAX(0, upper - page));
	gtk_adjustment_configure(self->adjustment, MAX(0, value), 0, upper, 1, page, page);
}

static gboolean
scroll_to(GlintMemoryView *self, guint32 address)
{
	if (self->bytes == NULL || address < self->base ||
	    (guint64)address >= (guint64)self->base + data_size(self))
		return FALSE;
	update_adjustment(self);
	gtk_adjustment_set_value(self->adjustment, (gdouble)((address - self->base) / ROW));
	self->have_mark = TRUE;
	self->mark = address;
	gtk_widget_queue_draw(self->area);
	return TRUE;
}

void
glint_memory_view_set_data(GlintMemoryView *self, guint32 address, GBytes *bytes)
{
	/* The same range read again (a refresh, live or after an edit) keeps
	 * the place, the mark and the selection. */
	gboolean same = self->bytes != NULL && bytes != NULL && address == self->base &&
			g_bytes_get_size(bytes) == data_size(self);
	gdouble top = gtk_adjustment_get_value(self->adjustment);

	g_clear_pointer(&self->bytes, g_bytes_unref);
	self->base = address;
	if (!same) {
		self->have_mark = FALSE;
		self->have_selection = FALSE;
		top = 0;
	}
	if (bytes != NULL)
		self->bytes = g_bytes_ref(bytes);
	update_adjustment(self);
	gtk_adjustment_set_value(self->adjustment, top);
	refresh_all(self);
	update_inspect_label(self);
	if (self->have_pending_goto) {
		self->have_pending_goto = FALSE;
		scroll_to(self, self->pending_goto);
	}
	if (self->pending_first_difference && self->bytes != NULL) {
		self->pending_first_difference = FALSE;
		if (self->diffs->len > 0)
			scroll_to(self, self->base + g_array_index(self->diffs, guint32, 0));
	}
}

guint32
glint_memory_view_get_base(GlintMemoryView *self)
{
	return self->base;
}

guint32
glint_memory_view_get_size(GlintMemoryView *self)
{
	return data_size(self);
}

gboolean
glint_memory_view_goto(GlintMemoryView *self, guint32 address)
{
	if (scroll_to(self, address))
		return TRUE;
	for (guint i = 0; i < self->regions->len; i++) {
		const Region *r = &g_array_index(self->regions, Region, i);
		if (address >= r->base && (guint64)address < (guint64)r->base + r->size) {
			self->have_pending_goto = TRUE;
			self->pending_goto = address;
			self->populating = TRUE;
			gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->region_combo), r->id);
			self->populating = FALSE;
			request_read(self, r->base, r->size);
			return TRUE;
		}
	}
	return FALSE;
}

guint32
glint_memory_view_get_top_address(GlintMemoryView *self)
{
	return self->base + (guint32)gtk_adjustment_get_value(self->adjustment) * ROW;
}

void
glint_memory_view_set_grouping(GlintMemoryView *self, guint bytes)
{
	g_autofree gchar *id = g_strdup_printf("%u", bytes);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->group_combo), id);
}

void
glint_memory_view_set_image(GlintMemoryView *self, GlintImage *image)
{
	g_clear_pointer(&self->image, glint_image_unref);
	if (image != NULL)
		self->image = glint_image_ref(image);
	refresh_all(self);
}

void
glint_memory_view_set_compare(GlintMemoryView *self, gboolean compare)
{
	gtk_toggle_button_set_active(self->compare_button, compare);
}

guint
glint_memory_view_get_n_differences(GlintMemoryView *self)
{
	return self->diffs->len;
}

void
glint_memory_view_show_first_difference(GlintMemoryView *self)
{
	/* Whatever is shown now may be stale; the next data decides. */
	self->pending_first_difference = TRUE;
}

static void
set_wrap_note(GlintMemoryView *self, const char *note)
{
	g_free(self->wrap_note);
	self->wrap_note = g_strdup(note);
	update_diff_label(self);
}

gboolean
glint_memory_view_next_difference(GlintMemoryView *self, gboolean forward)
{
	guint32 top = glint_memory_view_get_top_address(self) - self->base;
	guint32 top_row_end = top + ROW;
	guint n = self->diffs->len;
	if (n == 0) {
		update_diff_label(self);
		return FALSE;
	}
	if (forward) {
		for (guint i = 0; i < n; i++) {
			guint32 off = g_array_index(self->diffs, guint32, i);
			if (off >= top_row_end) {
				set_wrap_note(self, NULL);
				return scroll_to(self, self->base + off);
			}
		}
		/* Past the last one: around to the first, and say so. */
		set_wrap_note(self, _(" — wrapped to the first"));
		return scroll_to(self, self->base + g_array_index(self->diffs, guint32, 0));
	}
	for (guint i = n; i > 0; i--) {
		guint32 off = g_array_index(self->diffs, guint32, i - 1);
		if (off < top) {
			set_wrap_note(self, NULL);
			return scroll_to(self, self->base + off);
		}
	}
	set_wrap_note(self, _(" — wrapped to the last"));
	return scroll_to(self, self->base + g_array_index(self->diffs, guint32, n - 1));
}

gboolean
glint_memory_view_get_selection(GlintMemoryView *self, guint32 *address)
{
	if (!self->have_selection)
		return FALSE;
	*address = self->selection;
	return TRUE;
}

static gboolean
on_live_tick(gpointer user_data)
{
	GlintMemoryView *self = user_data;
	if (self->request_size > 0)
		g_signal_emit(self, signals[SIGNAL_LIVE_TICK], 0);
	return G_SOURCE_CONTINUE;
}

static guint
live_interval(GlintMemoryView *self)
{
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->live_rate_combo));
	guint ms = id != NULL ? (guint)g_ascii_strtoull(id, NULL, 10) : 1000;
	return ms >= 50 ? ms : 1000;
}

static void
restart_live(GlintMemoryView *self)
{
	g_clear_handle_id(&self->live_source, g_source_remove);
	if (gtk_toggle_button_get_active(self->live_button))
		self->live_source = g_timeout_add(live_interval(self), on_live_tick, self);
}

static void
on_live_button_toggled(GtkToggleButton *button, GlintMemoryView *self)
{
	restart_live(self);
}

static void
on_live_rate_changed(GtkComboBox *combo, GlintMemoryView *self)
{
	restart_live(self);
}

void
glint_memory_view_set_live(GlintMemoryView *self, gboolean live, guint interval_ms)
{
	g_autofree gchar *id = g_strdup_printf("%u", interval_ms);
	if (interval_ms > 0)
		gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->live_rate_combo), id);
	gtk_toggle_button_set_active(self->live_button, live);
}

gboolean
glint_memory_view_get_live(GlintMemoryView *self)
{
	return self->live_source != 0;
}

static gboolean
is_selected(GlintMemoryView *self, guint32 offset)
{
	return self->have_selection && self->selection == self->base + offset;
}

/* The byte of a row under text column @col, mirroring row_text()'s layout
 * (address, hex groups with their spaces, then the ASCII column); -1 if none. */
static gint
byte_at_column(GlintMemoryView *self, guint col, guint count)
{
	guint pos = 10; /* "AAAAAAAA  " */
	for (guint g = 0; g < ROW; g += self->grouping) {
		for (guint k = 0; k < self->grouping; k++) {
			guint idx = self->grouping > 1 ? g + self->grouping - 1 - k : g + k;
			if (col >= pos && col < pos + 2)
				return idx < count ? (gint)idx : -1;
			pos += 2;
		}
		pos += (g == 7 && self->grouping == 1) ? 2 : 1;
	}
	pos += 2; /* " |" */
	if (col >= pos && col < pos + count)
		return (gint)(col - pos);
	return -1;
}

static void
update_inspect_label(GlintMemoryView *self)
{
	gsize len = 0;
	const guint8 *data;
	guint32 off;
	GString *text;

	if (!self->have_selection || self->bytes == NULL) {
		gtk_label_set_text(self->inspect_label, "");
		return;
	}
	data = g_bytes_get_data(self->bytes, &len);
	off = self->selection - self->base;
	text = g_string_new(NULL);
	g_string_append_printf(text, _("0x%08X: chip 0x%02X (%u)"), self->selection, data[off],
			       data[off]);
	/* Little-endian, as the Cortex-M reads them. */
	if (off + 2 <= len)
		g_string_append_printf(text, ", u16 0x%04X", data[off] | (data[off + 1] << 8));
	if (off + 4 <= len)
		g_string_append_printf(text, ", u32 0x%08X",
				       (guint32)data[off] | ((guint32)data[off + 1] << 8) |
					   ((guint32)data[off + 2] << 16) |
					   ((guint32)data[off + 3] << 24));
	if (self->image != NULL) {
		guint8 file[4];
		gsize n = MIN(4, len - off);
		memcpy(file, data + off, n);
		if (glint_image_fill(self->image, self->selection, file, 1) == 1) {
			guint32 word = 0;
			glint_image_fill(self->image, self->selection, file, n);
			for (gsize b = 0; b < n; b++)
				word |= (guint32)file[b] << (8 * b);
			g_string_append_printf(text, _(" | file 0x%02X%s"), file[0],
					       file[0] != data[off] ? _(" (differs)") : "");
			if (n == 4)
				g_string_append_printf(text, ", u32 0x%08X", word);
		} else {
			g_string_append(text, _(" | not in the file"));
		}
	}
	gtk_label_set_text(self->inspect_label, text->str);
	g_string_free(text, TRUE);
}

gboolean
glint_memory_view_select(GlintMemoryView *self, guint32 address)
{
	if (self->bytes == NULL || address < self->base ||
	    (guint64)address >= (guint64)self->base + data_size(self))
		return FALSE;
	self->have_selection = TRUE;
	self->selection = address;
	update_inspect_label(self);
	gtk_widget_queue_draw(self->area);
	return TRUE;
}

const char *
glint_memory_view_get_inspection(GlintMemoryView *self)
{
	return gtk_label_get_text(self->inspect_label);
}

static gboolean
on_area_button_press_event(GtkWidget *area, GdkEventButton *event, GlintMemoryView *self)
{
	guint row;
	gint idx;
	guint count;
	gtk_widget_grab_focus(area);
	if (self->bytes == NULL || event->y < 4 || event->x < 8)
		return FALSE;
	row = (guint)gtk_adjustment_get_value(self->adjustment) +
	      (guint)((event->y - 4) / self->line_height);
	if (row >= n_rows(self))
		return FALSE;
	count = (guint)MIN((guint64)ROW, (guint64)data_size(self) - (guint64)row * ROW);
	idx = byte_at_column(self, (guint)((event->x - 8) / self->char_width), count);
	if (idx < 0)
		return FALSE;
	glint_memory_view_select(self, self->base + row * ROW + (guint32)idx);
	return TRUE;
}

/* One row as plain text, or as Pango markup with differing bytes highlighted. */
static gchar *
row_text(GlintMemoryView *self, guint row, gboolean markup)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(self->bytes, &len);
	guint32 off = row * ROW;
	guint count = (guint)MIN((gsize)ROW, len - off);
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "%08X  ", self->base + off);
	for (guint g = 0; g < ROW; g += self->grouping) {
		for (guint k = 0; k < self->grouping; k++) {
			/* Words are shown as the CPU reads them: little-endian. */
			guint idx = self->grouping > 1 ? g + self->grouping - 1 - k : g + k;
			gboolean hit = markup && self->differs != NULL && idx < count &&
				       self->differs[off + idx];
			if (hit)
				g_string_append(out, "<span background=\"#f4b6b6\" "
						     "foreground=\"#a40000\">");
			gboolean sel = markup && is_selected(self, off + idx) && idx < count;
			if (sel)
				g_string_append(out, "<u><b>");
			if (idx < count)
				g_string_append_printf(out, "%02X", data[off + idx]);
			else
				g_string_append(out, "  ");
			if (sel)
				g_string_append(out, "</b></u>");
			if (hit)
				g_string_append(out, "</span>");
		}
		g_string_append_c(out, ' ');
		if (g == 7 && self->grouping == 1)
			g_string_append_c(out, ' ');
	}
	g_string_append(out, " |");
	for (guint i = 0; i < count; i++) {
		guint8 c = data[off + i];
		char ch = g_ascii_isprint(c) ? (char)c : '.';
		gboolean sel = markup && is_selected(self, off + i);
		if (sel)
			g_string_append(out, "<u><b>");
		if (markup && ch == '<')
			g_string_append(out, "&lt;");
		else if (markup && ch == '>')
			g_string_append(out, "&gt;");
		else if (markup && ch == '&')
			g_string_append(out, "&amp;");
		else
			g_string_append_c(out, ch);
		if (sel)
			g_string_append(out, "</b></u>");
	}
	g_string_append_c(out, '|');
	return g_string_free(out, FALSE);
}

gchar *
glint_memory_view_format_row(GlintMemoryView *self, guint32 address)
{
	if (self->bytes == NULL || address < self->base ||
	    (guint64)address >= (guint64)self->base + data_size(self))
		return NULL;
	return row_text(self, (address - self->base) / ROW, FALSE);
}

guint
glint_memory_view_get_rows_drawn(GlintMemoryView *self)
{
	return self->rows_drawn;
}

static PangoLayout *
make_layout(GlintMemoryView *self)
{
	PangoLayout *layout = gtk_widget_create_pango_layout(self->area, NULL);
	PangoFontDescription *font = pango_font_description_from_string("Monospace 10");
	pango_layout_set_font_description(layout, font);
	pango_font_description_free(font);
	return layout;
}

static void
measure_font(GlintMemoryView *self)
{
	g_autoptr(PangoLayout) layout = make_layout(self);
	gint w = 0, h = 0;
	pango_layout_set_text(layout, "0", -1);
	pango_layout_get_pixel_size(layout, &w, &h);
	self->char_width = MAX(1, w);
	self->line_height = MAX(1, h + 2);
}

static gboolean
on_area_draw(GtkWidget *area, cairo_t *cr, GlintMemoryView *self)
{
	GtkStyleContext *context = gtk_widget_get_style_context(area);
	gint width = gtk_widget_get_allocated_width(area);
	gint height = gtk_widget_get_allocated_height(area);
	g_autoptr(PangoLayout) layout = make_layout(self);
	guint first = (guint)gtk_adjustment_get_value(self->adjustment);
	guint total = n_rows(self);
	GdkRGBA fg;

	gtk_render_background(context, cr, 0, 0, width, height);
	gtk_style_context_get_color(context, gtk_style_context_get_state(context), &fg);
	gdk_cairo_set_source_rgba(cr, &fg);
	self->rows_drawn = 0;
	if (self->bytes == NULL) {
		pango_layout_set_text(layout,
				      _("Connect, then pick a region or type an address to read "
					"memory from the chip."),
				      -1);
		cairo_move_to(cr, 8, 8);
		pango_cairo_show_layout(cr, layout);
		return FALSE;
	}
	/* Only the rows that fit are formatted and drawn, whatever the data size. */
	for (guint row = first; row < total; row++) {
		gint y = 4 + (gint)(row - first) * self->line_height;
		g_autofree gchar *markup = NULL;
		if (y > height)
			break;
		if (self->have_mark && self->mark >= self->base &&
		    (self->mark - self->base) / ROW == row) {
			cairo_save(cr);
			cairo_set_source_rgba(cr, 0.21, 0.52, 0.89, 0.15);
			cairo_rectangle(cr, 0, y, width, self->line_height);
			cairo_fill(cr);
			cairo_restore(cr);
		}
		markup = row_text(self, row, TRUE);
		pango_layout_set_markup(layout, markup, -1);
		cairo_move_to(cr, 8, y);
		pango_cairo_show_layout(cr, layout);
		self->rows_drawn++;
	}
	return FALSE;
}

static gboolean
on_area_scroll_event(GtkWidget *area, GdkEventScroll *event, GlintMemoryView *self)
{
	gdouble step = 3;
	gdouble value = gtk_adjustment_get_value(self->adjustment);
	gdouble dx = 0, dy = 0;
	if (event->direction == GDK_SCROLL_UP)
		value -= step;
	else if (event->direction == GDK_SCROLL_DOWN)
		value += step;
	else if (gdk_event_get_scroll_deltas((GdkEvent *)event, &dx, &dy))
		value += dy * step;
	gtk_adjustment_set_value(self->adjustment, value);
	return TRUE;
}

static gboolean
on_area_key_press_event(GtkWidget *area, GdkEventKey *event, GlintMemoryView *self)
{
	gdouble value = gtk_adjustment_get_value(self->adjustment);
	gdouble page = gtk_adjustment_get_page_size(self->adjustment);
	switch (event->keyval) {
	case GDK_KEY_Up:
		value -= 1;
		break;
	case GDK_KEY_Down:
		value += 1;
		break;
	case GDK_KEY_Page_Up:
		value -= page;
		break;
	case GDK_KEY_Page_Down:
		value += page;
		break;
	case GDK_KEY_Home:
		value = 0;
		break;
	case GDK_KEY_End:
		value = gtk_adjustment_get_upper(self->adjustment);
		break;
	default:
		return FALSE;
	}
	gtk_adjustment_set_value(self->adjustment, value);
	return TRUE;
}

static void
on_area_size_allocate(GtkWidget *area, GdkRectangle *allocation, GlintMemoryView *self)
{
	update_adjustment(self);
}

static void
on_adjustment_value_changed(GtkAdjustment *adjustment, GlintMemoryView *self)
{
	gtk_widget_queue_draw(self->area);
}

static void
on_region_combo_changed(GtkComboBox *combo, GlintMemoryView *self)
{
	const char *id = gtk_combo_box_get_active_id(combo);
	if (self->populating || id == NULL)
		return;
	for (guint i = 0; i < self->regions->len; i++) {
		const Region *r = &g_array_index(self->regions, Region, i);
		if (g_strcmp0(r->id, id) == 0)
			request_read(self, r->base, r->size);
	}
}

static gboolean
parse_hex(const char *text, guint64 max, guint64 *value)
{
	while (g_ascii_isspace(*text))
		text++;
	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X"))
		text += 2;
	return g_ascii_string_to_unsigned(text, 16, 0, max, value, NULL);
}

static void
mark_entry(GtkEntry *entry, const char *problem)
{
	GtkStyleContext *context = gtk_widget_get_style_context(GTK_WIDGET(entry));
	if (problem != NULL)
		gtk_style_context_add_class(context, "error");
	else
		gtk_style_context_remove_class(context, "error");
	gtk_widget_set_tooltip_text(GTK_WIDGET(entry), problem);
}

/* Any address: with a length, exactly that range; without one, the known
 * region holding it, or a few rows there when no region does. */
static void
go_to_entry_address(GlintMemoryView *self)
{
	const char *length_text = gtk_entry_get_text(self->length_entry);
	guint64 address = 0, length = 0;

	/* Addresses are typed as in the reference manual: hex, with or without 0x. */
	if (!parse_hex(gtk_entry_get_text(self->address_entry), G_MAXUINT32, &address)) {
		mark_entry(self->address_entry, _("Not an address: type hex like 0x08000100."));
		return;
	}
	mark_entry(self->address_entry, NULL);
	if (length_text[0] != '\0' && (!parse_hex(length_text, 0x4000000, &length) || length == 0 ||
				       address + length > 0x100000000ull)) {
		mark_entry(self->length_entry,
			   _("Not a length: type hex bytes like 0x400 (up to 64 MiB, inside the "
			     "32-bit address space), or leave it empty for the whole region."));
		return;
	}
	mark_entry(self->length_entry, NULL);
	if (length == 0 && glint_memory_view_goto(self, (guint32)address))
		return;
	if (length == 0)
		length = MIN(DEFAULT_READ, 0x100000000ull - address);
	self->have_pending_goto = TRUE;
	self->pending_goto = (guint32)address;
	self->populating = TRUE;
	gtk_combo_box_set_active(GTK_COMBO_BOX(self->region_combo), -1);
	self->populating = FALSE;
	request_read(self, (guint32)address, (guint32)length);
}

void
glint_memory_view_read_range(GlintMemoryView *self, guint32 address, guint32 length)
{
	g_autofree gchar *a = g_strdup_printf("0x%08X", address);
	g_autofree gchar *l = length > 0 ? g_strdup_printf("0x%X", length) : g_strdup("");
	gtk_entry_set_text(self->address_entry, a);
	gtk_entry_set_text(self->length_entry, l);
	go_to_entry_address(self);
}

static void
on_address_entry_activate(GtkEntry *entry, GlintMemoryView *self)
{
	go_to_entry_address(self);
}

static void
on_go_button_clicked(GtkButton *button, GlintMemoryView *self)
{
	go_to_entry_address(self);
}

static void
on_group_combo_changed(GtkComboBox *combo, GlintMemoryView *self)
{
	const char *id = gtk_combo_box_get_active_id(combo);
	guint g = id != NULL ? (guint)g_ascii_strtoull(id, NULL, 10) : 1;
	self->grouping = (g == 2 || g == 4) ? g : 1;
	gtk_widget_queue_draw(self->area);
}

static void
on_compare_button_toggled(GtkToggleButton *button, GlintMemoryView *self)
{
	self->compare = gtk_toggle_button_get_active(button);
	refresh_all(self);
}

static void
on_prev_button_clicked(GtkButton *button, GlintMemoryView *self)
{
	glint_memory_view_next_difference(self, FALSE);
}

static void
on_next_button_clicked(GtkButton *button, GlintMemoryView *self)
{
	glint_memory_view_next_difference(self, TRUE);
}

static void
on_area_style_updated(GtkWidget *area, GlintMemoryView *self)
{
	measure_font(self);
	update_adjustment(self);
}

static void
glint_memory_view_dispose(GObject *object)
{
	GlintMemoryView *self = GLINT_MEMORY_VIEW(object);
	g_clear_handle_id(&self->live_source, g_source_remove);
	G_OBJECT_CLASS(glint_memory_view_parent_class)->dispose(object);
}

static void
glint_memory_view_finalize(GObject *object)
{
	GlintMemoryView *self = GLINT_MEMORY_VIEW(object);
	g_free(self->wrap_note);
	g_array_unref(self->regions);
	g_array_unref(self->diffs);
	g_free(self->differs);
	g_clear_pointer(&self->bytes, g_bytes_unref);
	g_clear_pointer(&self->image, glint_image_unref);
	G_OBJECT_CLASS(glint_memory_view_parent_class)->finalize(object);
}

static void
glint_memory_view_init(GlintMemoryView *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->regions = g_array_new(FALSE, TRUE, sizeof(Region));
	g_array_set_clear_func(self->regions, (GDestroyNotify)region_clear);
	self->diffs = g_array_new(FALSE, FALSE, sizeof(guint32));
	self->grouping = 1;
	/* Region names are long; the toolbar must not force a wide window. */
	{
		g_autoptr(GList) cells =
		    gtk_cell_layout_get_cells(GTK_CELL_LAYOUT(self->region_combo));
		for (GList *l = cells; l != NULL; l = l->next)
			g_object_set(l->data, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 16,
				     NULL);
	}
	self->adjustment = gtk_range_get_adjustment(GTK_RANGE(self->scrollbar));
	g_signal_connect(self->adjustment, "value-changed", G_CALLBACK(on_adjustment_value_changed),
			 self);
	gtk_widget_add_events(self->area, GDK_SCROLL_MASK | GDK_SMOOTH_SCROLL_MASK |
					      GDK_KEY_PRESS_MASK | GDK_BUTTON_PRESS_MASK);
	g_signal_connect(self->area, "style-updated", G_CALLBACK(on_area_style_updated), self);
	measure_font(self);
	update_diff_label(self);
}

static void
glint_memory_view_class_init(GlintMemoryViewClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = glint_memory_view_finalize;
	G_OBJECT_CLASS(klass)->dispose = glint_memory_view_dispose;
	signals[SIGNAL_READ_REQUESTED] =
	    g_signal_new("read-requested", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
	/* Live refresh: time to read the shown region again (the window
	 * decides whether the probe is free). */
	signals[SIGNAL_LIVE_TICK] =
	    g_signal_new("live-tick", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 0);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-memory-view.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, region_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, address_entry);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, length_entry);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, live_button);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, live_rate_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, group_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, compare_button);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, prev_button);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, next_button);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, diff_label);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, area);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, scrollbar);
	gtk_widget_class_bind_template_child(widget_class, GlintMemoryView, inspect_label);
	gtk_widget_class_bind_template_callback(widget_class, on_area_draw);
	gtk_widget_class_bind_template_callback(widget_class, on_area_scroll_event);
	gtk_widget_class_bind_template_callback(widget_class, on_area_size_allocate);
	gtk_widget_class_bind_template_callback(widget_class, on_area_key_press_event);
	gtk_widget_class_bind_template_callback(widget_class, on_area_button_press_event);
	gtk_widget_class_bind_template_callback(widget_class, on_region_combo_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_address_entry_activate);
	gtk_widget_class_bind_template_callback(widget_class, on_go_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_live_button_toggled);
	gtk_widget_class_bind_template_callback(widget_class, on_live_rate_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_group_combo_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_compare_button_toggled);
	gtk_widget_class_bind_template_callback(widget_class, on_prev_button_clicked);
	gtk_widget_class_bind_template_callback(widget_class, on_next_button_clicked);
}

GtkWidget *
glint_memory_view_new(void)
{
	return g_object_new(GLINT_TYPE_MEMORY_VIEW, NULL);
}
