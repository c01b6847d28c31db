/* glint-options-panel.c: FLASH_OPTR fields, WRP areas and PCROP, current vs edited. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-options-panel.h"

typedef struct {
	const GlintOptionField *field;
	GtkWidget *name_label;
	GtkWidget *current_label;
	GtkWidget *editor; /* GtkCheckButton (1 bit), GtkComboBoxText (RDP) or GtkSpinButton */
} FieldRow;

typedef struct {
	GlintWrpArea area;
	GtkWidget *name_label;
	GtkWidget *current_label;
	GtkWidget *active_check;
	GtkSpinButton *first_spin;
	GtkSpinButton *last_spin;
	GtkWidget *covers_label;
} WrpRow;

struct _GlintOptionsPanel {
	GtkBox parent_instance;
	GtkLabel *status_label;
	GtkWidget *revert_button;
	GtkGrid *grid;
	const GlintChip *chip;
	GlintFlashGeometry geometry;
	GlintOptionBytes current;
	gboolean bank2_empty;
	GArray *fields; /* element-type FieldRow */
	WrpRow wrp[GLINT_WRP_N_AREAS];
	gboolean populating;	  /* suppress change handling while filling editors */
	GtkWidget *raw_edited[5]; /* edited register values, as the chip will hold them */
};

G_DEFINE_TYPE(GlintOptionsPanel, glint_options_panel, GTK_TYPE_BOX)

static gboolean
field_is_rdp(const GlintOptionField *field)
{
	return g_strcmp0(field->name, "RDP") == 0;
}

static const char *
rdp_id_for(guint32 value)
{
	if (value == GLINT_RDP_LEVEL0)
		return "level0";
	if (value == GLINT_RDP_LEVEL2)
		return "level2";
	return "level1";
}

static guint32
editor_value(GlintOptionsPanel *self, const FieldRow *row)
{
	guint32 current = glint_option_bytes_get_field(&self->current, row->field);
	if (field_is_rdp(row->field)) {
		const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(row->editor));
		if (g_strcmp0(id, "level0") == 0)
			return GLINT_RDP_LEVEL0;
		if (g_strcmp0(id, "level2") == 0)
			return GLINT_RDP_LEVEL2;
		/* Level 1 is any other value: keep the chip's if it already is level 1. */
		return g_strcmp0(rdp_id_for(current), "level1") == 0 ? current : 0xBB;
	}
	if (GTK_IS_SPIN_BUTTON(row->editor))
		return (guint32)gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(row->editor));
	return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(row->editor)) ? 1 : 0;
}

static void
set_editor_value(const FieldRow *row, guint32 value)
{
	if (field_is_rdp(row->field))
		gtk_combo_box_set_active_id(GTK_COMBO_BOX(row->editor), rdp_id_for(value));
	else if (GTK_IS_SPIN_BUTTON(row->editor))
		gtk_spin_button_set_value(GTK_SPIN_BUTTON(row->editor), value);
	else
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(row->editor), value != 0);
}

static gchar *
describe_field_value(const GlintOptionBytes *ob, const GlintOptionField *field)
{
	if (field_is_rdp(field))
		return glint_option_bytes_describe_rdp(ob);
	return g_strdup_printf("%u", glint_option_bytes_get_field(ob, field));
}

static void
wrp_editor_state(const WrpRow *row, gboolean *active, guint *first, guint *last)
{
	*active = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(row->active_check));
	*first = (guint)gtk_spin_button_get_value_as_int(row->first_spin);
	*last = (guint)gtk_spin_button_get_value_as_int(row->last_spin);
}

static gboolean
wrp_row_changed(GlintOptionsPanel *self, const WrpRow *row)
{
	guint first = 0, last = 0, efirst = 0, elast = 0;
	gboolean active = glint_option_bytes_get_wrp(&self->current, row->area, &first, &last);
	gboolean eactive;
	wrp_editor_state(row, &eactive, &efirst, &elast);
	if (active != eactive)
		return TRUE;
	return active && (first != efirst || last != elast);
}

void
glint_options_panel_get_edited(GlintOptionsPanel *self, GlintOptionBytes *edited)
{
	*edited = self->current;
	if (self->chip == NULL)
		return;
	for (guint i = 0; i < self->fields->len; i++) {
		const FieldRow *row = &g_array_index(self->fields, FieldRow, i);
		guint32 value = editor_value(self, row);
		/* Only touch what was edited, so raw encodings of untouched fields stay. */
		if (value != glint_option_bytes_get_field(&self->current, row->field))
			glint_option_bytes_set_field(edited, row->field, value);
	}
	for (guint i = 0; i < GLINT_WRP_N_AREAS; i++) {
		gboolean active;
		guint first, last;
		if (!wrp_row_changed(self, &self->wrp[i]))
			continue;
		wrp_editor_state(&self->wrp[i], &active, &first, &last);
		glint_option_bytes_set_wrp(edited, self->wrp[i].area, active, first, last);
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
	if (self->chip == NULL)
		return g_ptr_array_new();
	glint_options_panel_get_edited(self, &edited);
	return glint_option_bytes_diff(&self->current, &edited, self->chip, &self->geometry,
				       self->bank2_empty);
}

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
update_wrp_covers(GlintOptionsPanel *self, WrpRow *row)
{
	gboolean active;
	guint first, last;
	g_autofree gchar *text = NULL;
	guint bank = glint_wrp_area_bank(row->area);

	wrp_editor_state(row, &active, &first, &last);
	gtk_widget_set_sensitive(GTK_WIDGET(row->first_spin), active);
	gtk_widget_set_sensitive(GTK_WIDGET(row->last_spin), active);
	if (!active)
		text = g_strdup("not protecting anything");
	else if (first > last)
		text = g_strdup("first page is after the last: not a valid range");
	else
		text = g_strdup_printf("bank %u pages %u-%u = 0x%08X-0x%08X", bank + 1, first, last,
				       glint_geometry_page_address(&self->geometry, bank, first),
				       glint_geometry_page_address(&self->geometry, bank, last) +
					   self->geometry.page_size - 1);
	gtk_label_set_text(GTK_LABEL(row->covers_label), text);
}

guint
glint_options_panel_count_changed(GlintOptionsPanel *self)
{
	guint n = 0;
	if (self->chip == NULL)
		return 0;
	for (guint i = 0; i < self->fields->len; i++) {
		const FieldRow *row = &g_array_index(self->fields, FieldRow, i);
		if (editor_value(self, row) !=
		    glint_option_bytes_get_field(&self->current, row->field))
			n++;
	}
	for (guint i = 0; i < GLINT_WRP_N_AREAS; i++)
		n += wrp_row_changed(self, &self->wrp[i]) ? 1 : 0;
	return n;
}

static void update_raw_rows(GlintOptionsPanel *self);

static void
refresh_highlights(GlintOptionsPanel *self)
{
	guint n;
	if (self->populating || self->chip == NULL)
		return;
	for (guint i = 0; i < self->fields->len; i++) {
		const FieldRow *row = &g_array_index(self->fields, FieldRow, i);
		gboolean changed = editor_value(self, row) !=
				   glint_option_bytes_get_field(&self->current, row->field);
		mark_changed(row->name_label, changed);
		mark_changed(row->editor, changed);
	}
	for (guint i = 0; i < GLINT_WRP_N_AREAS; i++) {
		gboolean changed = wrp_row_changed(self, &self->wrp[i]);
		mark_changed(self->wrp[i].name_label, changed);
		update_wrp_covers(self, &self->wrp[i]);
	}
	update_raw_rows(self);
	n = glint_options_panel_count_changed(self);
	gtk_widget_set_sensitive(self->revert_button, n > 0);
	{
		g_autofree gchar *status = NULL;
		if (n == 0)
			status = g_strdup_printf("%s: option bytes as read from the chip.",
						 self->chip->name);
		else
			status = g_strdup_printf("%u field%s edited (highlighted). Apply writes "
						 "them after a confirmation.",
						 n, n == 1 ? "" : "s");
		gtk_label_set_text(self->status_label, status);
	}
}

static void
on_editor_changed(GtkWidget *widget, GlintOptionsPanel *self)
{
	refresh_highlights(self);
}

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
clear_grid(GlintOptionsPanel *self)
{
	g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(self->grid));
	for (GList *l = children; l != NULL; l = l->next)
		gtk_widget_destroy(l->data);
	g_array_set_size(self->fields, 0);
	memset(self->wrp, 0, sizeof(self->wrp));
	memset(self->raw_edited, 0, sizeof(self->raw_edited));
}

static GtkWidget *
make_field_editor(GlintOptionsPanel *self, const GlintOptionField *field)
{
	GtkWidget *editor;
	g_autofree gchar *name = g_strdup_printf("option-%s", field->name);
	g_autofree gchar *a11y = g_strdup_printf("Edit %s", field->name);

	if (field_is_rdp(field)) {
		editor = gtk_combo_box_text_new();
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level0",
					  "Level 0 (no protection)");
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level1",
					  "Level 1 (debug cannot read flash)");
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(editor), "level2",
					  "Level 2 (PERMANENT lock)");
		g_signal_connect(editor, "changed", G_CALLBACK(on_editor_changed), self);
	} else if (field->width == 1) {
		editor = gtk_check_button_new();
		g_signal_connect(editor, "toggled", G_CALLBACK(on_editor_changed), self);
	} else {
		editor = gtk_spin_button_new_with_range(0, (gdouble)((1u << field->width) - 1), 1);
		g_signal_connect(editor, "value-changed", G_CALLBACK(on_editor_changed), self);
	}
	gtk_widget_set_name(editor, name);
	gtk_widget_set_halign(editor, GTK_ALIGN_START);
	gtk_widget_set_valign(editor, GTK_ALIGN_CENTER);
	atk_object_set_name(gtk_widget_get_accessible(editor), a11y);
	return editor;
}

static void
add_field_rows(GlintOptionsPanel *self, gint *row_index)
{
	grid_label(self, "FLASH_OPTR field", 0, *row_index, "glint-heading");
	grid_label(self, "Meaning", 1, *row_index, "glint-heading");
	grid_label(self, "On the chip", 2, *row_index, "glint-heading");
	grid_label(self, "Edited", 3, *row_index, "glint-heading");
	(*row_index)++;
	for (guint i = 0; i < self->chip->n_optr_fields; i++) {
		const GlintOptionField *field = &self->chip->optr_fields[i];
		FieldRow row = {.field = field};
		GtkWidget *meaning;
		g_autofree gchar *current = describe_field_value(&self->current, field);

		row.name_label = grid_label(self, field->name, 0, *row_index, "glint-mono");
		meaning = grid_label(self, field->meaning != NULL ? field->meaning : "", 1,
				     *row_index, NULL);
		row.current_label = grid_label(self, current, 2, *row_index, "glint-mono");
		row.editor = make_field_editor(self, field);
		gtk_grid_attach(self->grid, row.editor, 3, *row_index, 1, 1);
		set_editor_value(&row, glint_option_bytes_get_field(&self->current, field));
		if (g_strcmp0(field->name, "DUALBANK") == 0 &&
		    !self->geometry.dualbank_configurable) {
			gtk_widget_set_sensitive(row.editor, FALSE);
			const char *why = "Not editable on this part: its full flash size is "
					  "always dual bank, so DUALBANK has no effect.";
			g_autofree gchar *text =
			    g_strdup_printf("%s\n%s", gtk_label_get_text(GTK_LABEL(meaning)), why);
			gtk_widget_set_tooltip_text(row.editor, why);
			gtk_widget_set_tooltip_text(row.name_label, why);
			gtk_label_set_text(GTK_LABEL(meaning), text);
		}
		g_array_append_val(self->fields, row);
		(*row_index)++;
	}
}

static void
add_wrp_rows(GlintOptionsPanel *self, gint *row_index)
{
	gdouble max_page =
	    self->geometry.pages_per_bank > 0 ? self->geometry.pages_per_bank - 1 : 255;
	GtkWidget *heading = grid_label(self, "Write protection (WRP areas, pages of each bank)", 0,
					*row_index, "glint-heading");
	gtk_widget_set_margin_top(heading, 12);
	gtk_container_child_set(GTK_CONTAINER(self->grid), heading, "width", 4, NULL);
	(*row_index)++;
	for (guint i = 0; i < GLINT_WRP_N_AREAS; i++) {
		WrpRow *row = &self->wrp[i];
		guint first = 0, last = 0;
		gboolean active;
		g_autofree gchar *current = NULL;
		g_autofree gchar *name = NULL;
		GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 4);

		row->area = (GlintWrpArea)i;
		active = glint_option_bytes_get_wrp(&self->current, row->area, &first, &last);
		current =
		    glint_option_bytes_describe_wrp(&self->current, row->area, &self->geometry);
		row->name_label =
		    grid_label(self, glint_wrp_area_name(row->area), 0, *row_index, "glint-mono");
		row->covers_label = grid_label(self, "", 1, *row_index, NULL);
		row->current_label = grid_label(self, current, 2, *row_index, "glint-mono");
		row->active_check = gtk_check_button_new_with_label("on, pages");
		name = g_strdup_printf("wrp-%s-active", glint_wrp_area_name(row->area));
		gtk_widget_set_name(row->active_check, name);
		row->first_spin = GTK_SPIN_BUTTON(gtk_spin_button_new_with_range(0, max_page, 1));
		row->last_spin = GTK_SPIN_BUTTON(gtk_spin_button_new_with_range(0, max_page, 1));
		g_free(name);
		name = g_strdup_printf("wrp-%s-first", glint_wrp_area_name(row->area));
		gtk_widget_set_name(GTK_WIDGET(row->first_spin), name);
		g_free(name);
		name = g_strdup_printf("wrp-%s-last", glint_wrp_area_name(row->area));
		gtk_widget_set_name(GTK_WIDGET(row->last_spin), name);
		g_free(name);
		name = g_strdup_printf("%s first page", glint_wrp_area_name(row->area));
		atk_object_set_name(gtk_widget_get_accessible(GTK_WIDGET(row->first_spin)), name);
		g_free(name);
		name = g_strdup_printf("%s last page", glint_wrp_area_name(row->area));
		atk_object_set_name(gtk_widget_get_accessible(GTK_WIDGET(row->last_spin)), name);
		gtk_entry_set_width_chars(GTK_ENTRY(row->first_spin), 3);
		gtk_entry_set_width_chars(GTK_ENTRY(row->last_spin), 3);
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(row->active_check), active);
		gtk_spin_button_set_value(row->first_spin, active ? first : 0);
		gtk_spin_button_set_value(row->last_spin, active ? last : 0);
		g_signal_connect(row->active_check, "toggled", G_CALLBACK(on_editor_changed), self);
		g_signal_connect(row->first_spin, "value-changed", G_CALLBACK(on_editor_changed),
				 self);
		g_signal_connect(row->last_spin, "value-changed", G_CALLBACK(on_editor_changed),
				 self);
		gtk_container_add(GTK_CONTAINER(box), row->active_check);
		gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(row->first_spin));
		gtk_container_add(GTK_CONTAINER(box), gtk_label_new("to"));
		gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(row->last_spin));
		gtk_grid_attach(self->grid, box, 3, *row_index, 1, 1);
		(*row_index)++;
	}
}

static void
add_pcrop_rows(GlintOptionsPanel *self, gint *row_index)
{
	const struct {
		const char *name;
		guint32 start, end;
	} areas[] = {
	    {"PCROP1", self->current.pcrop1sr, self->current.pcrop1er},
	    {"PCROP2", self->current.pcrop2sr, self->current.pcrop2er},
	};
	GtkWidget *heading = grid_label(self, "Proprietary code read-out protection (read only)", 0,
					*row_index, "glint-heading");
	gtk_widget_set_margin_top(heading, 12);
	gtk_container_child_set(GTK_CONTAINER(self->grid), heading, "width", 4, NULL);
	(*row_index)++;
	for (guint i = 0; i < G_N_ELEMENTS(areas); i++) {
		g_autofree gchar *value =
		    g_strdup_printf("%sSR=0x%08X %sER=0x%08X", areas[i].name, areas[i].start,
				    areas[i].name, areas[i].end);
		grid_label(self, areas[i].name, 0, *row_index, "glint-mono");
		grid_label(self, "Execute-only area (start/end register values)", 1, *row_index,
			   NULL);
		grid_label(self, value, 2, *row_index, "glint-mono");
		(*row_index)++;
	}
}

/* The registers as words, for users who compare with the reference manual. */
static const struct {
	const char *name;
	gsize offset;
} raw_registers[] = {
    {"FLASH_OPTR", G_STRUCT_OFFSET(GlintOptionBytes, optr)},
    {"FLASH_WRP1AR", G_STRUCT_OFFSET(GlintOptionBytes, wrp1ar)},
    {"FLASH_WRP1BR", G_STRUCT_OFFSET(GlintOptionBytes, wrp1br)},
    {"FLASH_WRP2AR", G_STRUCT_OFFSET(GlintOptionBytes, wrp2ar)},
    {"FLASH_WRP2BR", G_STRUCT_OFFSET(GlintOptionBytes, wrp2br)},
};

static guint32
raw_value(const GlintOptionBytes *ob, guint i)
{
	return G_STRUCT_MEMBER(guint32, ob, raw_registers[i].offset);
}

static void
update_raw_rows(GlintOptionsPanel *self)
{
	GlintOptionBytes edited;
	glint_options_panel_get_edited(self, &edited);
	for (guint i = 0; i < G_N_ELEMENTS(raw_registers); i++) {
		g_autofree gchar *text = g_strdup_printf("0x%08X", raw_value(&edited, i));
		if (self->raw_edited[i] == NULL)
			continue;
		gtk_label_set_text(GTK_LABEL(self->raw_edited[i]), text);
		mark_changed(self->raw_edited[i],
			     raw_value(&edited, i) != raw_value(&self->current, i));
	}
}

static void
add_raw_rows(GlintOptionsPanel *self, gint *row_index)
{
	GtkWidget *heading =
	    grid_label(self, "Registers (as words)", 0, *row_index, "glint-heading");
	gtk_widget_set_margin_top(heading, 12);
	gtk_container_child_set(GTK_CONTAINER(self->grid), heading, "width", 4, NULL);
	(*row_index)++;
	for (guint i = 0; i < G_N_ELEMENTS(raw_registers); i++) {
		g_autofree gchar *current = g_strdup_printf("0x%08X", raw_value(&self->current, i));
		g_autofree gchar *name = g_strdup_printf("raw-%s", raw_registers[i].name);
		grid_label(self, raw_registers[i].name, 0, *row_index, "glint-mono");
		grid_label(self, "", 1, *row_index, NULL);
		grid_label(self, current, 2, *row_index, "glint-mono");
		self->raw_edited[i] = grid_label(self, current, 3, *row_index, "glint-mono");
		gtk_widget_set_name(self->raw_edited[i], name);
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
				   "Connect to a chip to see and edit its option bytes.");
		gtk_widget_set_sensitive(self->revert_button, FALSE);
		return;
	}
	self->geometry = *geometry;
	self->current = *current;
	self->bank2_empty = bank2_empty;
	self->populating = TRUE;
	add_field_rows(self, &row_index);
	add_wrp_rows(self, &row_index);
	add_pcrop_rows(self, &row_index);
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
	g_array_unref(self->fields);
	G_OBJECT_CLASS(glint_options_panel_parent_class)->finalize(object);
}

static void
glint_options_panel_init(GlintOptionsPanel *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->fields = g_array_new(FALSE, TRUE, sizeof(FieldRow));
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
