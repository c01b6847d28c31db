/* glint-erase-dialog.c: what to erase, chosen from the part's erase units
 * with their contents and protection in view. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-erase-dialog.h"
#include "glint-i18n.h"

enum {
	COL_SELECTED,
	COL_INDEX,
	COL_NUMBER,
	COL_RANGE,
	COL_SIZE,
	COL_CONTENTS,
	COL_PROTECTION,
	COL_PROTECTED, /* gboolean: a protection area covers it */
	N_COLS,
};

typedef struct {
	GlintFlashGeometry geometry;
	GlintOptionBytes options;
	gboolean have_options;
	GtkListStore *store;
	GtkWidget *mass, *bank_radio, *bank_combo, *units_radio, *list, *status, *protection;
	GtkWidget *accept;
	gchar *blocker;
	gchar *summary;	   /* what the blank check found */
	gboolean checking; /* the blank check has not answered yet */
} EraseDialog;

static void
erase_dialog_free(EraseDialog *ed)
{
	g_clear_object(&ed->store);
	g_free(ed->blocker);
	g_free(ed->summary);
	g_free(ed);
}

static EraseDialog *
get(GtkDialog *dialog)
{
	return g_object_get_data(G_OBJECT(dialog), "erase-dialog");
}

static gchar *
unit_title(const GlintFlashGeometry *g, const GlintFlashUnit *u)
{
	gboolean sector = g_strcmp0(g->unit_name, "sector") == 0;
	if (g->n_banks > 1)
		return g_strdup_printf(sector ? _("Sector %u of bank %u") : _("Page %u of bank %u"),
				       u->number, u->physical + 1);
	return g_strdup_printf(sector ? _("Sector %u") : _("Page %u"), u->number);
}

static gchar *
format_size(guint32 bytes)
{
	if (bytes % (1024 * 1024) == 0)
		return g_strdup_printf("%u MiB", bytes / (1024 * 1024));
	if (bytes % 1024 == 0)
		return g_strdup_printf("%u KiB", bytes / 1024);
	return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE, "%u byte", "%u bytes", bytes), bytes);
}

/* "WRP1A (write-protected)", "PCROP1 (execute-only)", or "—". */
static gchar *
protection_of(EraseDialog *ed, const GlintFlashUnit *unit, gboolean *protected)
{
	const GlintProtectionArea *area = NULL;
	*protected = FALSE;
	if (ed->have_options)
		area = glint_option_bytes_protecting(&ed->options, &ed->geometry, unit, -1);
	if (area == NULL)
		return g_strdup("—");
	*protected = TRUE;
	return g_strdup_printf("%s (%s)", area->name,
			       area->type == GLINT_PROTECT_WRP	   ? _("write-protected")
			       : area->type == GLINT_PROTECT_PCROP ? _("execute-only")
								   : _("secure"));
}

static void
fill_store(EraseDialog *ed)
{
	const GlintFlashGeometry *g = &ed->geometry;
	for (guint i = 0; i < g->n_units; i++) {
		GlintFlashUnit u;
		GtkTreeIter iter;
		g_autofree gchar *title = NULL;
		g_autofree gchar *range = NULL;
		g_autofree gchar *size = NULL;
		g_autofree gchar *prot = NULL;
		gboolean protected = FALSE;
		glint_geometry_get_unit(g, i, &u);
		title = unit_title(g, &u);
		range = g_strdup_printf("0x%08X-0x%08X", u.address, u.address + u.size - 1);
		size = format_size(u.size);
		prot = protection_of(ed, &u, &protected);
		gtk_list_store_insert_with_values(
		    ed->store, &iter, -1, COL_SELECTED, FALSE, COL_INDEX, i, COL_NUMBER, title,
		    COL_RANGE, range, COL_SIZE, size, COL_CONTENTS, _("checking…"), COL_PROTECTION,
		    prot, COL_PROTECTED, protected, -1);
	}
}

/* The protection areas active, in one line each: shown above the list. */
static gchar *
describe_protection(EraseDialog *ed)
{
	g_autoptr(GString) text = g_string_new(NULL);
	const GlintOptionLayout *layout = ed->have_options ? ed->options.layout : NULL;
	for (guint i = 0; layout != NULL && i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		g_autofree gchar *covers = NULL;
		if (!glint_option_bytes_area_active(&ed->options, area) ||
		    glint_geometry_bank_of_physical(&ed->geometry, area->bank) < 0)
			continue;
		covers = glint_option_bytes_describe_area(&ed->options, area, &ed->geometry);
		if (text->len > 0)
			g_string_append_c(text, '\n');
		g_string_append_printf(text, _("%s protects %s (%s)"), area->name, covers,
				       area->type == GLINT_PROTECT_WRP
					   ? _("cannot be erased until it is turned off")
					   : _("execute-only: cannot be erased by a debugger"));
	}
	if (text->len == 0)
		return g_strdup(_("No protection area is active: every unit can be erased."));
	return g_strdup(text->str);
}

static gboolean
unit_protected(EraseDialog *ed, guint index, gchar **area_out)
{
	GtkTreeIter iter;
	gboolean protected = FALSE;
	if (!gtk_tree_model_iter_nth_child(GTK_TREE_MODEL(ed->store), &iter, NULL, index))
		return FALSE;
	gtk_tree_model_get(GTK_TREE_MODEL(ed->store), &iter, COL_PROTECTED, &protected,
			   COL_PROTECTION, area_out, -1);
	return protected;
}

/* What stops the choice, in words (NULL: nothing). */
static gchar *
find_blocker(GtkDialog *dialog)
{
	EraseDialog *ed = get(dialog);
	GlintEraseChoice choice = glint_erase_dialog_get_choice(dialog);
	g_autoptr(GArray) units = NULL;
	guint first = 0, n = ed->geometry.n_units;

	if (ed->checking)
		return g_strdup(_("Reading which units are erased…"));
	if (choice == GLINT_ERASE_CHOICE_BANK) {
		gint b = glint_geometry_bank_of_physical(&ed->geometry,
							 glint_erase_dialog_get_bank(dialog));
		if (b < 0)
			return g_strdup(_("Choose a bank"));
		first = ed->geometry.banks[b].first_index;
		n = ed->geometry.banks[b].n_units;
	} else if (choice == GLINT_ERASE_CHOICE_UNITS) {
		units = glint_erase_dialog_get_units(dialog);
		if (units->len == 0)
			return g_strdup(g_strcmp0(ed->geometry.unit_name, "sector") == 0
					    ? _("Tick the sectors to erase in the list")
					    : _("Tick the pages to erase in the list"));
	}
	for (guint i = first; i < first + n; i++) {
		g_autofree gchar *area = NULL;
		if (units != NULL) {
			gboolean chosen = FALSE;
			for (guint k = 0; k < units->len; k++)
				chosen |= g_array_index(units, guint, k) == i;
			if (!chosen)
				continue;
		}
		if (unit_protected(ed, i, &area)) {
			GlintFlashUnit u;
			g_autofree gchar *title = NULL;
			glint_geometry_get_unit(&ed->geometry, i, &u);
			title = unit_title(&ed->geometry, &u);
			return g_strdup_printf(_("%s is protected by %s: remove the protection in "
						 "the option bytes first"),
					       title, area);
		}
	}
	return NULL;
}

static void
update_accept(GtkDialog *dialog)
{
	EraseDialog *ed = get(dialog);
	GlintEraseChoice choice = glint_erase_dialog_get_choice(dialog);
	g_free(ed->blocker);
	ed->blocker = find_blocker(dialog);
	gtk_widget_set_sensitive(ed->accept, ed->blocker == NULL);
	gtk_widget_set_sensitive(ed->bank_combo, choice == GLINT_ERASE_CHOICE_BANK);
	gtk_widget_set_sensitive(ed->list, choice == GLINT_ERASE_CHOICE_UNITS);
	{
		g_autofree gchar *text =
		    g_strjoin(ed->summary != NULL && ed->blocker != NULL ? " " : "",
			      ed->summary != NULL ? ed->summary : "",
			      ed->blocker != NULL ? ed->blocker : "", NULL);
		gtk_label_set_text(GTK_LABEL(ed->status), text);
	}
	gtk_button_set_label(GTK_BUTTON(ed->accept), choice == GLINT_ERASE_CHOICE_UNITS
							 ? _("_Erase Chosen")
							 : _("_Erase…"));
	atk_object_set_name(gtk_widget_get_accessible(ed->accept),
			    choice == GLINT_ERASE_CHOICE_UNITS ? _("Erase chosen") : _("Erase…"));
}

static void
on_mode_toggled(GtkToggleButton *button, GtkDialog *dialog)
{
	update_accept(dialog);
}

static void
on_unit_toggled(GtkCellRendererToggle *cell, gchar *path, GtkDialog *dialog)
{
	EraseDialog *ed = get(dialog);
	GtkTreeIter iter;
	gboolean selected;
	if (!gtk_tree_model_get_iter_from_string(GTK_TREE_MODEL(ed->store), &iter, path))
		return;
	gtk_tree_model_get(GTK_TREE_MODEL(ed->store), &iter, COL_SELECTED, &selected, -1);
	gtk_list_store_set(ed->store, &iter, COL_SELECTED, !selected, -1);
	update_accept(dialog);
}

static void
on_select_data_clicked(GtkButton *button, GtkDialog *dialog)
{
	EraseDialog *ed = get(dialog);
	GtkTreeIter iter;
	gboolean valid = gtk_tree_model_get_iter_first(GTK_TREE_MODEL(ed->store), &iter);
	for (; valid; valid = gtk_tree_model_iter_next(GTK_TREE_MODEL(ed->store), &iter)) {
		g_autofree gchar *contents = NULL;
		gboolean protected;
		gtk_tree_model_get(GTK_TREE_MODEL(ed->store), &iter, COL_CONTENTS, &contents,
				   COL_PROTECTED, &protected, -1);
		gtk_list_store_set(ed->store, &iter, COL_SELECTED,
				   !protected && g_strcmp0(contents, "holds data") == 0, -1);
	}
	glint_erase_dialog_set_choice(dialog, GLINT_ERASE_CHOICE_UNITS);
	update_accept(dialog);
}

static GtkWidget *
build_list(EraseDialog *ed, GtkDialog *dialog)
{
	GtkWidget *view = gtk_tree_view_new_with_model(GTK_TREE_MODEL(ed->store));
	GtkCellRenderer *toggle = gtk_cell_renderer_toggle_new();
	const struct {
		const char *title;
		gint col;
	} cols[] = {
	    {_("Number"), COL_NUMBER},	   {_("Address range"), COL_RANGE},   {_("Size"), COL_SIZE},
	    {_("Contents"), COL_CONTENTS}, {_("Protection"), COL_PROTECTION},
	};

	g_signal_connect(toggle, "toggled", G_CALLBACK(on_unit_toggled), dialog);
	gtk_tree_view_append_column(GTK_TREE_VIEW(view),
				    gtk_tree_view_column_new_with_attributes(
					_("Erase"), toggle, "active", COL_SELECTED, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(cols); i++) {
		GtkCellRenderer *text = gtk_cell_renderer_text_new();
		GtkTreeViewColumn *column = gtk_tree_view_column_new_with_attributes(
		    cols[i].title, text, "text", cols[i].col, NULL);
		if (cols[i].col == COL_PROTECTION) {
			g_object_set(text, "weight", PANGO_WEIGHT_BOLD, NULL);
			gtk_tree_view_column_add_attribute(column, text, "weight-set",
							   COL_PROTECTED);
		}
		gtk_tree_view_append_column(GTK_TREE_VIEW(view), column);
	}
	gtk_widget_set_name(view, "erase-units");
	atk_object_set_name(gtk_widget_get_accessible(view), _("Erase units"));
	return view;
}

GtkDialog *
glint_erase_dialog_new(GtkWindow *parent, const GlintChip *chip, const GlintFlashGeometry *geometry,
		       const GlintOptionBytes *options)
{
	GtkWidget *dialog = gtk_dialog_new_with_buttons(
	    _("Erase"), parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, _("_Cancel"),
	    GTK_RESPONSE_CANCEL, NULL);
	GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(dialog));
	EraseDialog *ed = g_new0(EraseDialog, 1);
	GtkWidget *scroll, *bank_row, *select_data, *protection_title;
	g_autofree gchar *mass_label = NULL;
	g_autofree gchar *shape = glint_geometry_describe(geometry);
	g_autofree gchar *prot = NULL;

	ed->geometry = *geometry;
	if (options != NULL) {
		ed->options = *options;
		ed->have_options = TRUE;
	}
	ed->checking = TRUE;
	ed->store =
	    gtk_list_store_new(N_COLS, G_TYPE_BOOLEAN, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING,
			       G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
	g_object_set_data_full(G_OBJECT(dialog), "erase-dialog", ed,
			       (GDestroyNotify)erase_dialog_free);
	fill_store(ed);

	gtk_container_set_border_width(GTK_CONTAINER(area), 12);
	gtk_box_set_spacing(GTK_BOX(area), 6);
	gtk_window_set_default_size(GTK_WINDOW(dialog), 720, 460);

	protection_title = gtk_label_new(NULL);
	gtk_label_set_markup(GTK_LABEL(protection_title), _("<b>Protection</b>"));
	gtk_label_set_xalign(GTK_LABEL(protection_title), 0);
	prot = describe_protection(ed);
	ed->protection = gtk_label_new(prot);
	gtk_widget_set_name(ed->protection, "erase-protection");
	gtk_label_set_xalign(GTK_LABEL(ed->protection), 0);
	gtk_label_set_line_wrap(GTK_LABEL(ed->protection), TRUE);
	gtk_label_set_selectable(GTK_LABEL(ed->protection), TRUE);
	gtk_container_add(GTK_CONTAINER(area), protection_title);
	gtk_container_add(GTK_CONTAINER(area), ed->protection);

	mass_label = g_strdup_printf(_("_Whole chip (mass erase): %s"), shape);
	ed->mass = gtk_radio_button_new_with_mnemonic(NULL, mass_label);
	gtk_widget_set_name(ed->mass, "erase-mode-mass");
	atk_object_set_name(gtk_widget_get_accessible(ed->mass), _("Erase whole chip"));
	ed->bank_radio = gtk_radio_button_new_with_mnemonic_from_widget(GTK_RADIO_BUTTON(ed->mass),
									_("One _bank:"));
	gtk_widget_set_name(ed->bank_radio, "erase-mode-bank");
	atk_object_set_name(gtk_widget_get_accessible(ed->bank_radio), _("Erase one bank"));
	ed->bank_combo = gtk_combo_box_text_new();
	gtk_widget_set_name(ed->bank_combo, "erase-bank");
	atk_object_set_name(gtk_widget_get_accessible(ed->bank_combo), _("Bank to erase"));
	for (guint b = 0; b < geometry->n_banks; b++) {
		const GlintFlashBank *bank = &geometry->banks[b];
		g_autofree gchar *id = g_strdup_printf("%u", bank->physical);
		g_autofree gchar *size = format_size(bank->size);
		g_autofree gchar *text = g_strdup_printf(_("Bank %u (0x%08X, %s)"),
							 bank->physical + 1, bank->base, size);
		gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(ed->bank_combo), id, text);
	}
	gtk_combo_box_set_active(GTK_COMBO_BOX(ed->bank_combo), 0);
	bank_row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	gtk_container_add(GTK_CONTAINER(bank_row), ed->bank_radio);
	gtk_container_add(GTK_CONTAINER(bank_row), ed->bank_combo);
	ed->units_radio = gtk_radio_button_new_with_mnemonic_from_widget(
	    GTK_RADIO_BUTTON(ed->mass),
	    geometry->unit_name[0] == 's' ? _("Chosen _sectors:") : _("Chosen _pages:"));
	gtk_widget_set_name(ed->units_radio, "erase-mode-units");
	atk_object_set_name(gtk_widget_get_accessible(ed->units_radio),
			    geometry->unit_name[0] == 's' ? _("Erase chosen sectors")
							  : _("Erase chosen pages"));
	select_data = gtk_button_new_with_mnemonic(_("Tick every one _holding data"));
	gtk_widget_set_name(select_data, "erase-select-data");
	atk_object_set_name(gtk_widget_get_accessible(select_data), _("Tick units holding data"));
	gtk_widget_set_halign(select_data, GTK_ALIGN_START);
	gtk_container_add(GTK_CONTAINER(area), ed->mass);
	gtk_container_add(GTK_CONTAINER(area), bank_row);
	gtk_container_add(GTK_CONTAINER(area), ed->units_radio);

	ed->list = build_list(ed, GTK_DIALOG(dialog));
	scroll = gtk_scrolled_window_new(NULL, NULL);
	gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scroll), GTK_POLICY_NEVER,
				       GTK_POLICY_AUTOMATIC);
	gtk_widget_set_vexpand(scroll, TRUE);
	gtk_container_add(GTK_CONTAINER(scroll), ed->list);
	gtk_container_add(GTK_CONTAINER(area), scroll);
	gtk_container_add(GTK_CONTAINER(area), select_data);
	ed->status = gtk_label_new(_("Reading which units are erased…"));
	gtk_widget_set_name(ed->status, "erase-status");
	gtk_label_set_xalign(GTK_LABEL(ed->status), 0);
	gtk_label_set_line_wrap(GTK_LABEL(ed->status), TRUE);
	gtk_container_add(GTK_CONTAINER(area), ed->status);

	ed->accept = gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Erase…"), GTK_RESPONSE_ACCEPT);
	gtk_widget_set_name(ed->accept, "erase-accept");
	gtk_style_context_add_class(gtk_widget_get_style_context(ed->accept), "destructive-action");
	gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);

	g_signal_connect(ed->mass, "toggled", G_CALLBACK(on_mode_toggled), dialog);
	g_signal_connect(ed->bank_radio, "toggled", G_CALLBACK(on_mode_toggled), dialog);
	g_signal_connect(ed->units_radio, "toggled", G_CALLBACK(on_mode_toggled), dialog);
	g_signal_connect_swapped(ed->bank_combo, "changed", G_CALLBACK(update_accept), dialog);
	g_signal_connect(select_data, "clicked", G_CALLBACK(on_select_data_clicked), dialog);
	/* The safest choice first: nothing is erased until units are ticked. */
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(ed->units_radio), TRUE);
	gtk_widget_show_all(area);
	update_accept(GTK_DIALOG(dialog));
	return GTK_DIALOG(dialog);
}

void
glint_erase_dialog_set_blank(GtkDialog *dialog, GArray *states, const char *reason)
{
	EraseDialog *ed = get(dialog);
	GtkTreeIter iter;
	guint i = 0, n_data = 0;
	gboolean valid = gtk_tree_model_get_iter_first(GTK_TREE_MODEL(ed->store), &iter);
	ed->checking = FALSE;
	for (; valid; valid = gtk_tree_model_iter_next(GTK_TREE_MODEL(ed->store), &iter), i++) {
		const char *text = _("unknown");
		if (states != NULL && i < states->len) {
			gint8 s = g_array_index(states, gint8, i);
			text = s > 0	? _("erased")
			       : s == 0 ? _("holds data")
					: _("unreadable (PCROP)");
			n_data += s == 0;
		}
		gtk_list_store_set(ed->store, &iter, COL_CONTENTS, text, -1);
	}
	g_free(ed->summary);
	if (states == NULL)
		ed->summary =
		    g_strdup_printf(_("Could not read which units are erased: %s."), reason);
	else
		ed->summary =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE, "%u of %u %s holds data.",
						"%u of %u %s hold data.", n_data),
				    n_data, ed->geometry.n_units,
				    glint_geometry_unit_noun(&ed->geometry, ed->geometry.n_units));
	update_accept(dialog);
}

GlintEraseChoice
glint_erase_dialog_get_choice(GtkDialog *dialog)
{
	EraseDialog *ed = get(dialog);
	if (gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ed->mass)))
		return GLINT_ERASE_CHOICE_MASS;
	if (gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ed->bank_radio)))
		return GLINT_ERASE_CHOICE_BANK;
	return GLINT_ERASE_CHOICE_UNITS;
}

void
glint_erase_dialog_set_choice(GtkDialog *dialog, GlintEraseChoice choice)
{
	EraseDialog *ed = get(dialog);
	GtkWidget *radio = choice == GLINT_ERASE_CHOICE_MASS   ? ed->mass
			   : choice == GLINT_ERASE_CHOICE_BANK ? ed->bank_radio
							       : ed->units_radio;
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(radio), TRUE);
}

guint
glint_erase_dialog_get_bank(GtkDialog *dialog)
{
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(get(dialog)->bank_combo));
	return id != NULL ? (guint)g_ascii_strtoull(id, NULL, 10) : 0;
}

void
glint_erase_dialog_set_bank(GtkDialog *dialog, guint physical)
{
	g_autofree gchar *id = g_strdup_printf("%u", physical);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(get(dialog)->bank_combo), id);
}

GArray *
glint_erase_dialog_get_units(GtkDialog *dialog)
{
	EraseDialog *ed = get(dialog);
	GArray *units = g_array_new(FALSE, FALSE, sizeof(guint));
	GtkTreeIter iter;
	gboolean valid = gtk_tree_model_get_iter_first(GTK_TREE_MODEL(ed->store), &iter);
	for (; valid; valid = gtk_tree_model_iter_next(GTK_TREE_MODEL(ed->store), &iter)) {
		gboolean selected;
		guint index;
		gtk_tree_model_get(GTK_TREE_MODEL(ed->store), &iter, COL_SELECTED, &selected,
				   COL_INDEX, &index, -1);
		if (selected)
			g_array_append_val(units, index);
	}
	return units;
}

void
glint_erase_dialog_set_unit(GtkDialog *dialog, guint index, gboolean selected)
{
	EraseDialog *ed = get(dialog);
	GtkTreeIter iter;
	if (gtk_tree_model_iter_nth_child(GTK_TREE_MODEL(ed->store), &iter, NULL, index)) {
		g_autoptr(GtkTreePath) path =
		    gtk_tree_model_get_path(GTK_TREE_MODEL(ed->store), &iter);
		gtk_list_store_set(ed->store, &iter, COL_SELECTED, selected, -1);
		gtk_tree_view_scroll_to_cell(GTK_TREE_VIEW(ed->list), path, NULL, TRUE, 0.3, 0);
	}
	update_accept(dialog);
}

gchar *
glint_erase_dialog_describe_unit(GtkDialog *dialog, guint index)
{
	EraseDialog *ed = get(dialog);
	GtkTreeIter iter;
	g_autofree gchar *number = NULL, *range = NULL, *size = NULL, *contents = NULL,
			 *prot = NULL;
	if (!gtk_tree_model_iter_nth_child(GTK_TREE_MODEL(ed->store), &iter, NULL, index))
		return NULL;
	gtk_tree_model_get(GTK_TREE_MODEL(ed->store), &iter, COL_NUMBER, &number, COL_RANGE, &range,
			   COL_SIZE, &size, COL_CONTENTS, &contents, COL_PROTECTION, &prot, -1);
	return g_strdup_printf("%s | %s | %s | %s | %s", number, range, size, contents, prot);
}

const char *
glint_erase_dialog_get_blocker(GtkDialog *dialog)
{
	return get(dialog)->blocker;
}
