/* glint-options-panel.c: the option-byte editor, built from the connected
 * chip's option layout: RDP, every field, every protection area, and the
 * registers as words, current vs edited. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-options-panel.h"

typedef enum {
	ROW_RDP,
	ROW_FIELD,
	ROW_AREA_SPINS, /* a range of erase units: on + first/last */
	ROW_AREA_TEXT,	/* a mask area or a byte range: "0-3,8", "0x08000000-0x08000FFF", "off" */
} RowKind;

typedef struct {
	RowKind kind;
	const GlintOptionField *field;	 /* ROW_FIELD */
	const GlintProtectionArea *area; /* ROW_AREA_* */
	GtkWidget *name_label;
	GtkWidget *current_label;
	GtkWidget *editor; /* check, combo, spin or entry; the "on" check for spins */
	GtkSpinButton *first_spin;
	GtkSpinButton *last_spin;
	GtkWidget *covers_label; /* ROW_AREA_*: what the edited area covers, or why not */
} Row;

struct _GlintOptionsPanel {
	GtkBox parent_instance;
	GtkLabel *status_label;
	GtkWidget *revert_button;
	GtkGrid *grid;
	const GlintChip *chip;
	GlintFlashGeometry geometry;
	GlintOptionBytes current;
	gboolean bank2_empty;
	GArray *rows;	       /* element-type Row */
	GPtrArray *raw_edited; /* GtkLabel per register */
	gboolean populating;   /* suppress change handling while filling editors */
};

G_DEFINE_TYPE(GlintOptionsPanel, glint_options_panel, GTK_TYPE_BOX)

static void
option_context(GlintOptionsPanel *self, GlintOptionContext *ctx)
{
	ctx->layout = self->chip->options;
	ctx->geometry = &self->geometry;
	ctx->chip_name = self->chip->name;
	ctx->bank2_empty = self->bank2_empty;
	ctx->chip = self->chip;
}

/* Edited values ----------------------------------------------------------------- */

static const char *
rdp_id_for(GlintRdpRank rank)
{
	static const char *const ids[] = {"level0", "level05", "level1", "level2"};
	return ids[MIN(rank, GLINT_RDP_LEVEL_2)];
}

static guint32
field_editor_value(const Row *row)
{
	if (GTK_IS_COMBO_BOX(row->editor)) {
		const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(row->editor));
		return id != NULL ? (guint32)g_ascii_strtoull(id, NULL, 10) : 0;
	}
	if (GTK_IS_SPIN_BUTTON(row->editor))
		return (guint32)gtk_spin_button_get_value(GTK_SPIN_BUTTON(row->editor));
	return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(row->editor)) ? 1 : 0;
}

/* Applies @row's editor to @ob. FALSE (with @error) when the editor holds
 * something the chip cannot take; @ob is then unchanged. */
static gboolean
apply_row(GlintOptionsPanel *self, const Row *row, GlintOptionBytes *ob, GError **error)
{
	GlintOptionContext ctx;
	g_autofree gchar *edit = NULL;
	GlintRange range;

	option_context(self, &ctx);
	/* another core's area: shown, never written */
	if (row->area != NULL && (row->area->flags & GLINT_AREA_FIXED))
		return TRUE;
	switch (row->kind) {
	case ROW_RDP: {
		const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(row->editor));
		if (g_strcmp0(id, rdp_id_for(glint_option_bytes_rdp_rank(ob))) == 0)
			return TRUE; /* keep the chip's byte (level 1 is any other value) */
		if (g_strcmp0(id, "level05") == 0)
			glint_option_bytes_set_rdp_half(ob);
		else
			glint_option_bytes_set_rdp_level(ob, g_strcmp0(id, "level0") == 0   ? 0
							     : g_strcmp0(id, "level2") == 0 ? 2
											    : 1);
		return TRUE;
	}
	case ROW_FIELD:
		glint_option_bytes_set_field(ob, row->field, field_editor_value(row));
		return TRUE;
	case ROW_AREA_SPINS:
		if (!gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(row->editor))) {
			glint_option_bytes_clear_area(ob, row->area);
			return TRUE;
		}
		range.first = (guint32)gtk_spin_button_get_value(row->first_spin);
		range.last = (guint32)gtk_spin_button_get_value(row->last_spin);
		return glint_option_bytes_set_area(ob, row->area, &self->geometry, &range, 1,
						   error);
	case ROW_AREA_TEXT:
		edit = g_strdup_printf("%s=%s", row->area->name,
				       gtk_entry_get_text(GTK_ENTRY(row->editor)));
		return glint_option_bytes_apply_edit(ob, &ctx, edit, error);
	default:
		return TRUE;
	}
}

/* Whether @row's editor says something else than the chip holds. */
static gboolean
row_changed(GlintOptionsPanel *self, const Row *row)
{
	GlintOptionBytes edited = self->current;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;

	if (!apply_row(self, row, &edited, NULL))
		return TRUE;
	switch (row->kind) {
	case ROW_RDP:
		return glint_option_bytes_rdp_rank(&edited) !=
		       glint_option_bytes_rdp_rank(&self->current);
	case ROW_FIELD:
		return glint_option_bytes_get_field(&edited, row->field) !=
		       glint_option_bytes_get_field(&self->current, row->field);
	default:
		before =
		    glint_option_bytes_area_edit_value(&self->current, row->area, &self->geometry);
		after = glint_option_bytes_area_edit_value(&edited, row->area, &self->geometry);
		return g_strcmp0(before, after) != 0;
	}
}

void
glint_options_panel_get_edited(GlintOptionsPanel *self, GlintOptionBytes *edited)
{
	*edited = self->current;
	if (self->chip == NULL)
		return;
	for (guint i = 0; i < self->rows->len; i++) {
		const Row *row = &g_array_index(self->rows, Row, i);
		/* Only touch what was edited, so raw encodings of untouched fields stay. */
		if (row_changed(self, row))
			apply_row(self, row, edited, NULL);
	}
}

const GlintOptionBytes *
glint_options_panel_get_current(GlintOptionsPanel *self)
{
	return &self->current;
}

GPtrArray *
glint_options_panel_get_changes(GlintOptionsPanel *self)
{
	GlintOptionBytes edited;
	GlintOptionContext ctx;
	if (self->chip == NULL)
		return g_ptr_array_new();
	option_context(self, &ctx);
	glint_options_panel_get_edited(self, &edited);
	return glint_option_bytes_diff(&ctx, &self->current, &edited);
}

guint
glint_options_panel_count_changed(GlintOptionsPanel *self)
{
	guint n = 0;
	if (self->chip == NULL)
		return 0;
	for (guint i = 0; i < self->rows->len; i++)
		n += row_changed(self, &g_array_index(self->rows, Row, i)) ? 1 : 0;
	return n;
}

gboolean
glint_options_panel_check(GlintOptionsPanel *self, GError **error)
{
	GlintOptionBytes edited;
	GlintOptionContext ctx;

	if (self->chip == NULL)
		return TRUE;
	for (guint i = 0; i < self->rows->len; i++) {
		const Row *row = &g_array_index(self->rows, Row, i);
		GlintOptionBytes scratch = self->current;
		if (!apply_row(self, row, &scratch, error))
			return FALSE;
	}
	option_context(self, &ctx);
	glint_options_panel_get_edited(self, &edited);
	return glint_option_bytes_check(&ctx, &self->current, &edited, error);
}

/* Highlights ---------------------------------------------------------------------- */

static void
mark_changed(GtkWidget *widget, gboolean changed)
{
	GtkStyleContext *context = gtk_widget_get_style_context(widget);
	if (changed)
		gtk_style_context_add_class(context, "glint-changed");
	else
		gtk_style_context_remove_class(context, "glint-changed");
}

static void
mark_invalid(GtkWidget *widget, gboolean invalid)
{
	GtkStyleContext *context = gtk_widget_get_style_context(widget);
	if (invalid)
		gtk_style_context_add_class(context, "error");
	else
		gtk_style_context_remove_class(context, "error");
}

static void
update_area_covers(GlintOptionsPanel *self, Row *row)
{
	GlintOptionBytes edited = self->current;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	gboolean ok = apply_row(self, row, &edited, &error);

	if (row->kind == ROW_AREA_SPINS) {
		gboolean on = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(row->editor));
		gtk_widget_set_sensitive(GTK_WIDGET(row->first_spin), on);
		gtk_widget_set_sensitive(GTK_WIDGET(row->last_spin), on);
	}
	if (!ok)
		text = g_strdup(error->message);
	else if (!glint_option_bytes_area_active(&edited, row->area))
		text = g_strdup(_("not protecting anything"));
	else
		text = glint_option_bytes_describe_area(&edited, row->area, &self->geometry);
	gtk_label_set_text(GTK_LABEL(row->covers_label), text);
	mark_invalid(row->covers_label, !ok);
	if (row->kind == ROW_AREA_TEXT)
		mark_invalid(row->editor, !ok);
}

static void
update_raw_rows(GlintOptionsPanel *self)
{
	const GlintOptionLayout *layout = self->chip->options;
	GlintOptionBytes edited;
	glint_options_panel_get_edited(self, &edited);
	for (guint i = 0; i < self->raw_edited->len && i < layout->n_regs; i++) {
		GtkWidget *label = g_ptr_array_index(self->raw_edited, i);
		g_autofree gchar *text =
		    g_strdup_printf("0x%0*X", layout->regs[i].bits / 4, edited.regs[i]);
		gtk_label_set_text(GTK_LABEL(label), text);
		mark_changed(label, edited.regs[i] != self->current.regs[i]);
	}
}

static void
refresh_highlights(GlintOptionsPanel *self)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *status = NULL;
	guint n;

	if (self->populating || self->chip == NULL)
		return;
	for (guint i = 0; i < self->rows->len; i++) {
		Row *row = &g_array_index(self->rows, Row, i);
		gboolean changed = row_changed(self, row);
		mark_changed(row->name_label, changed);
		if (row->kind == ROW_RDP || row->kind == ROW_FIELD)
			mark_changed(row->editor, changed);
		else
			update_area_covers(self, row);
	}
	update_raw_rows(self);
	n = glint_options_panel_count_changed(self);
	gtk_widget_set_sensitive(self->revert_button, n > 0);
	if (n == 0)
		status =
		    g_strdup_printf(_("%s: option bytes as read from the chip."), self->chip->name);
	else if (!glint_options_panel_check(self, &error))
		status = g_strdup_printf(_("Cannot apply: %s"), error->message);
	else
		status = g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
						     "%u field edited (highlighted). Apply writes "
						     "them after a confirmation.",
						     "%u fields edited (highlighted). Apply writes "
						     "them after a confirmation.",
						     n),
					 n);
	gtk_label_set_text(self->status_label, status);
}

static void
on_editor_changed(GtkWidget *widget, GlintOptionsPanel *self)
{
	refresh_highlights(self);
}

/* Building the grid ----------------------------------------------------------------- */

static GtkWidget *
grid_label(GlintOptionsPanel *self, const char *text, gint col, gint row, const char *css)
{
	GtkWidget *label = gtk_label_new(text);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	if (col == 1) {
		/* The meaning column takes the spare width; the others stay compact. */
		gtk_label_set_max_width_chars(GTK_LABEL(label), 60);
		gtk_label_set_width_chars(GTK_LABEL(label), 24);
		gtk_widget_set_hexpand(label, TRUE);
	}
	if (css != NULL)
		gtk_style_context_add_class(gtk_widget_get_style_context(label), css);
	gtk_grid_attach(self->grid, label, col, row, 1, 1);
	return label;
}

static void
heading(GlintOptionsPanel *self, const char *text, gint *row_index)
{
	GtkWidget *label = grid_label(self, text, 0, *row_index, "glint-heading");
	gtk_widget_set_margin_top(label, 12);
	gtk_container_child_set(GTK_CONTAINER(self->grid), label, "width", 4, NULL);
	(*row_index)++;
}

static void
clear_grid(GlintOptionsPanel *self)
{
	g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(self->grid));
	for (GList *l = children; l != NULL; l = l->next)
		gtk_widget_destroy(l->data);
	g_array_set_size(self->rows, 0);
	g_ptr_array_set_size(self->raw_edited, 0);
}

static void
name_editor(GtkWidget *editor, const char *widget_name, const char *a11y)
{
	gtk_widget_set_name(editor, widget_name);
	gtk_widget_set_halign(editor, GTK_ALIGN_START);
	gtk_widget_set_valign(editor, GTK_ALIGN_CENTER);
	atk_object_set_name(gtk_widget_get_accessible(editor), a11y);
}

static GtkWidget *
make_rdp_editor(GlintOptionsPanel *self)
{
	GtkWidget *editor = gtk_combo_box_text_new();
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level0",
				  _("Level 0 (no protection)"));
	if (self->chip->options->rdp.level_half != 0)
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level05",
					  _("Level 0.5 (debug reaches the non-secure side only)"));
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level1",
				  _("Level 1 (debug cannot read flash)"));
	if (self->chip->options->rdp.level2 != 0)
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level2",
					  _("Level 2 (PERMANENT lock)"));
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(editor),
				    rdp_id_for(glint_option_bytes_rdp_rank(&self->current)));
	g_signal_connect(editor, "changed", G_CALLBACK(on_editor_changed), self);
	name_editor(editor, "option-RDP", _("Edit RDP"));
	return editor;
}

static GtkWidget *
make_field_editor(GlintOptionsPanel *self, const GlintOptionField *field)
{
	guint32 value = glint_option_bytes_get_field(&self->current, field);
	guint32 max = field->max != 0 ? field->max : (guint32)((1ull << field->width) - 1);
	g_autofree gchar *name = g_strdup_printf("option-%s", field->name);
	g_autofree gchar *a11y = g_strdup_printf(_("Edit %s"), field->name);
	GtkWidget *editor;

	if (field->choices != NULL) {
		g_autofree gchar *id = g_strdup_printf("%u", value);
		editor = gtk_combo_box_text_new();
		for (const GlintOptionChoice *c = field->choices; c->label != NULL; c++) {
			g_autofree gchar *cid = g_strdup_printf("%u", c->value);
			g_autofree gchar *text =
			    g_strdup_printf("%u: %s", c->value, glint_tr(c->label));
			gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), cid, text);
		}
		/* a value the chip holds but the manual does not name stays choosable */
		if (!gtk_combo_box_set_active_id(GTK_COMBO_BOX(editor), id)) {
			gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), id, id);
			gtk_combo_box_set_active_id(GTK_COMBO_BOX(editor), id);
		}
		g_signal_connect(editor, "changed", G_CALLBACK(on_editor_changed), self);
	} else if (field->width == 1) {
		editor = gtk_check_button_new();
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(editor), value != 0);
		g_signal_connect(editor, "toggled", G_CALLBACK(on_editor_changed), self);
	} else {
		editor = gtk_spin_button_new_with_range(0, MAX(max, value), 1);
		gtk_spin_button_set_value(GTK_SPIN_BUTTON(editor), value);
		g_signal_connect(editor, "value-changed", G_CALLBACK(on_editor_changed), self);
	}
	name_editor(editor, name, a11y);
	return editor;
}

static void
add_rdp_row(GlintOptionsPanel *self, gint *row_index)
{
	Row row = {.kind = ROW_RDP};
	g_autofree gchar *current = glint_option_bytes_describe_rdp(&self->current);
	row.name_label = grid_label(self, "RDP", 0, *row_index, "glint-mono");
	grid_label(self,
		   _("Read protection: level 1 blocks debug access to flash, level 2 is "
		     "permanent"),
		   1, *row_index, NULL);
	row.current_label = grid_label(self, current, 2, *row_index, "glint-mono");
	row.editor = make_rdp_editor(self);
	gtk_grid_attach(self->grid, row.editor, 3, *row_index, 1, 1);
	g_array_append_val(self->rows, row);
	(*row_index)++;
}

/* A one-bit field the family refuses to change on this part (DUALBANK on a
 * part that is always dual bank) is shown locked, with the family's reason. */
static void
lock_if_refused(GlintOptionsPanel *self, Row *row, GtkWidget *meaning)
{
	GlintOptionBytes flipped = self->current;
	GlintOptionContext ctx;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;

	if (row->field->width != 1)
		return;
	option_context(self, &ctx);
	glint_option_bytes_set_field(&flipped, row->field,
				     !glint_option_bytes_get_field(&self->current, row->field));
	if (glint_option_bytes_check(&ctx, &self->current, &flipped, &error))
		return;
	text = g_strdup_printf(_("%s\nNot editable here: %s"),
			       gtk_label_get_text(GTK_LABEL(meaning)), error->message);
	gtk_widget_set_sensitive(row->editor, FALSE);
	gtk_widget_set_tooltip_text(row->editor, error->message);
	gtk_widget_set_tooltip_text(row->name_label, error->message);
	gtk_label_set_text(GTK_LABEL(meaning), text);
}

static void
add_field_rows(GlintOptionsPanel *self, gint *row_index)
{
	const GlintOptionLayout *layout = self->chip->options;

	grid_label(self, _("Field"), 0, *row_index, "glint-heading");
	grid_label(self, _("Meaning"), 1, *row_index, "glint-heading");
	grid_label(self, _("On the chip"), 2, *row_index, "glint-heading");
	grid_label(self, _("Edited"), 3, *row_index, "glint-heading");
	(*row_index)++;
	add_rdp_row(self, row_index);
	for (guint i = 0; i < layout->n_fields; i++) {
		const GlintOptionField *field = &layout->fields[i];
		Row row = {.kind = ROW_FIELD, .field = field};
		GtkWidget *meaning;
		g_autofree gchar *current =
		    glint_option_bytes_describe_field(&self->current, field);

		row.name_label = grid_label(self, field->name, 0, *row_index, "glint-mono");
		meaning = grid_label(self, field->meaning != NULL ? glint_tr(field->meaning) : "",
				     1, *row_index, NULL);
		row.current_label = grid_label(self, current, 2, *row_index, "glint-mono");
		row.editor = make_field_editor(self, field);
		gtk_grid_attach(self->grid, row.editor, 3, *row_index, 1, 1);
		lock_if_refused(self, &row, meaning);
		g_array_append_val(self->rows, row);
		(*row_index)++;
	}
}

static GtkWidget *
make_area_spins(GlintOptionsPanel *self, Row *row)
{
	const GlintProtectionArea *area = row->area;
	gint bank = glint_geometry_bank_of_physical(&self->geometry, area->bank);
	const GlintFlashBank *b = bank >= 0 ? &self->geometry.banks[bank] : NULL;
	gdouble lo = b != NULL ? b->first_number : 0;
	gdouble hi =
	    b != NULL ? b->first_number + b->n_units - 1 : (gdouble)((1ull << area->end_width) - 1);
	g_autoptr(GArray) ranges =
	    glint_option_bytes_get_area(&self->current, area, &self->geometry);
	gboolean active = ranges->len > 0;
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 4);
	g_autofree gchar *check_label =
	    /* TRANSLATORS: a check button before the first and last unit: "on, pages" */
	    g_strdup_printf(_("on, %s"), glint_geometry_unit_noun(&self->geometry, 2));
	g_autofree gchar *name = NULL;

	row->editor = gtk_check_button_new_with_label(check_label);
	name = g_strdup_printf("wrp-%s-active", area->name);
	gtk_widget_set_name(row->editor, name);
	row->first_spin = GTK_SPIN_BUTTON(gtk_spin_button_new_with_range(lo, MAX(hi, lo), 1));
	row->last_spin = GTK_SPIN_BUTTON(gtk_spin_button_new_with_range(lo, MAX(hi, lo), 1));
	g_free(name);
	name = g_strdup_printf("wrp-%s-first", area->name);
	gtk_widget_set_name(GTK_WIDGET(row->first_spin), name);
	g_free(name);
	name = g_strdup_printf("wrp-%s-last", area->name);
	gtk_widget_set_name(GTK_WIDGET(row->last_spin), name);
	g_free(name);
	name = g_strdup_printf(_("%s first %s"), area->name,
			       glint_geometry_unit_noun(&self->geometry, 1));
	atk_object_set_name(gtk_widget_get_accessible(GTK_WIDGET(row->first_spin)), name);
	g_free(name);
	name = g_strdup_printf(_("%s last %s"), area->name,
			       glint_geometry_unit_noun(&self->geometry, 1));
	atk_object_set_name(gtk_widget_get_accessible(GTK_WIDGET(row->last_spin)), name);
	gtk_entry_set_width_chars(GTK_ENTRY(row->first_spin), 3);
	gtk_entry_set_width_chars(GTK_ENTRY(row->last_spin), 3);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(row->editor), active);
	gtk_spin_button_set_value(row->first_spin,
				  active ? g_array_index(ranges, GlintRange, 0).first : lo);
	gtk_spin_button_set_value(row->last_spin,
				  active ? g_array_index(ranges, GlintRange, 0).last : lo);
	g_signal_connect(row->editor, "toggled", G_CALLBACK(on_editor_changed), self);
	g_signal_connect(row->first_spin, "value-changed", G_CALLBACK(on_editor_changed), self);
	g_signal_connect(row->last_spin, "value-changed", G_CALLBACK(on_editor_changed), self);
	gtk_container_add(GTK_CONTAINER(box), row->editor);
	gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(row->first_spin));
	gtk_container_add(GTK_CONTAINER(box), gtk_label_new(_("to")));
	gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(row->last_spin));
	return box;
}

static GtkWidget *
make_area_entry(GlintOptionsPanel *self, Row *row)
{
	g_autofree gchar *value =
	    glint_option_bytes_area_edit_value(&self->current, row->area, &self->geometry);
	g_autofree gchar *name = g_strdup_printf("area-%s", row->area->name);
	g_autofree gchar *a11y = g_strdup_printf(_("Edit %s"), row->area->name);

	row->editor = gtk_entry_new();
	gtk_entry_set_text(GTK_ENTRY(row->editor), value);
	gtk_entry_set_width_chars(GTK_ENTRY(row->editor), row->area->granule != 0 ? 23 : 12);
	gtk_widget_set_tooltip_text(
	    row->editor, row->area->granule != 0
			     ? _("An address range FIRST-LAST (e.g. 0x08000000-0x08000FFF), or off")
			     : _("Unit numbers FIRST-LAST, a list such as 0-3,8, or off"));
	g_signal_connect(row->editor, "changed", G_CALLBACK(on_editor_changed), self);
	name_editor(row->editor, name, a11y);
	return row->editor;
}

static const char *
area_heading(GlintProtectionType type)
{
	switch (type) {
	case GLINT_PROTECT_WRP:
		return _("Write protection (no erase, no program)");
	case GLINT_PROTECT_PCROP:
		return _("Proprietary code read-out protection (execute-only; removal erases the "
			 "chip, "
			 "and can be impossible)");
	default:
		return _("Secure areas");
	}
}

static void
add_area_rows(GlintOptionsPanel *self, gint *row_index)
{
	const GlintOptionLayout *layout = self->chip->options;
	gint shown = -1;

	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		Row row = {.area = area};
		g_autofree gchar *current =
		    glint_option_bytes_describe_area(&self->current, area, &self->geometry);
		GtkWidget *editor;

		if ((gint)area->type != shown) {
			heading(self, area_heading(area->type), row_index);
			shown = (gint)area->type;
		}
		row.kind = area->encoding == GLINT_AREA_RANGE && area->granule == 0 ? ROW_AREA_SPINS
										    : ROW_AREA_TEXT;
		row.name_label = grid_label(self, area->name, 0, *row_index, "glint-mono");
		row.covers_label = grid_label(self, "", 1, *row_index, NULL);
		row.current_label = grid_label(self, current, 2, *row_index, "glint-mono");
		editor = row.kind == ROW_AREA_SPINS ? make_area_spins(self, &row)
						    : make_area_entry(self, &row);
		if (area->flags & GLINT_AREA_FIXED) {
			gtk_widget_set_sensitive(editor, FALSE);
			gtk_widget_set_tooltip_text(editor, area->consequence);
		}
		gtk_grid_attach(self->grid, editor, 3, *row_index, 1, 1);
		g_array_append_val(self->rows, row);
		(*row_index)++;
	}
}

/* The registers as words, for users who compare with the reference manual. */
static void
add_raw_rows(GlintOptionsPanel *self, gint *row_index)
{
	const GlintOptionLayout *layout = self->chip->options;
	heading(self, _("Registers (as words)"), row_index);
	for (guint i = 0; i < layout->n_regs; i++) {
		g_autofree gchar *current =
		    g_strdup_printf("0x%0*X", layout->regs[i].bits / 4, self->current.regs[i]);
		g_autofree gchar *name = g_strdup_printf("raw-%s", layout->regs[i].name);
		GtkWidget *edited;
		grid_label(self, layout->regs[i].name, 0, *row_index, "glint-mono");
		grid_label(self, "", 1, *row_index, NULL);
		grid_label(self, current, 2, *row_index, "glint-mono");
		edited = grid_label(self, current, 3, *row_index, "glint-mono");
		gtk_widget_set_name(edited, name);
		g_ptr_array_add(self->raw_edited, edited);
		(*row_index)++;
	}
}

void
glint_options_panel_set_target(GlintOptionsPanel *self, const GlintChip *chip,
			       const GlintFlashGeometry *geometry, const GlintOptionBytes *current,
			       gboolean bank2_empty)
{
	gint row_index = 0;

	clear_grid(self);
	self->chip = chip;
	if (chip == NULL || geometry == NULL || current == NULL) {
		self->chip = NULL;
		gtk_label_set_text(self->status_label,
				   _("Connect to a chip to see and edit its option bytes."));
		gtk_widget_set_sensitive(self->revert_button, FALSE);
		return;
	}
	self->geometry = *geometry;
	self->current = *current;
	self->bank2_empty = bank2_empty;
	self->populating = TRUE;
	add_field_rows(self, &row_index);
	add_area_rows(self, &row_index);
	add_raw_rows(self, &row_index);
	self->populating = FALSE;
	gtk_widget_show_all(GTK_WIDGET(self->grid));
	refresh_highlights(self);
}

gboolean
glint_options_panel_has_target(GlintOptionsPanel *self)
{
	return self->chip != NULL;
}

void
glint_options_panel_revert(GlintOptionsPanel *self)
{
	GlintOptionBytes current;
	if (self->chip == NULL)
		return;
	current = self->current;
	glint_options_panel_set_target(self, self->chip, &self->geometry, &current,
				       self->bank2_empty);
}

static void
on_revert_button_clicked(GtkButton *button, GlintOptionsPanel *self)
{
	glint_options_panel_revert(self);
}

static void
glint_options_panel_finalize(GObject *object)
{
	GlintOptionsPanel *self = GLINT_OPTIONS_PANEL(object);
	g_array_unref(self->rows);
	g_ptr_array_unref(self->raw_edited);
	G_OBJECT_CLASS(glint_options_panel_parent_class)->finalize(object);
}

static void
glint_options_panel_init(GlintOptionsPanel *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->rows = g_array_new(FALSE, TRUE, sizeof(Row));
	self->raw_edited = g_ptr_array_new();
	gtk_widget_set_sensitive(self->revert_button, FALSE);
}

static void
glint_options_panel_class_init(GlintOptionsPanelClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = glint_options_panel_finalize;
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-options-panel.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintOptionsPanel, status_label);
	gtk_widget_class_bind_template_child(widget_class, GlintOptionsPanel, revert_button);
	gtk_widget_class_bind_template_child(widget_class, GlintOptionsPanel, grid);
	gtk_widget_class_bind_template_callback(widget_class, on_revert_button_clicked);
}

GtkWidget *
glint_options_panel_new(void)
{
	return g_object_new(GLINT_TYPE_OPTIONS_PANEL, NULL);
}
