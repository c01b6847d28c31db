/* glint-device-panel.c: probes, connection settings, target and findings. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-device-panel.h"
#include "glint-i18n.h"

#include "glint-sim.h"

struct _GlintDevicePanel {
	GtkBox parent_instance;
	GtkListBox *probe_list;
	GtkWidget *sim_box;
	GtkComboBoxText *scenario_combo;
	GtkLabel *scenario_label;
	GtkComboBoxText *swd_combo;
	GtkComboBoxText *reset_combo;
	GtkToggleButton *under_reset_check;
	GtkGrid *target_grid;
	GtkWidget *findings_heading;
	GtkBox *findings_box;
	GtkWidget *sim_row;
	GtkLabel *sim_row_title;
	GtkLabel *sim_row_detail;
	GPtrArray *choices; /* element-type SimChoice* */
	gchar *state_file;
};

/* One entry of the simulated-board picker. */
typedef struct {
	gchar *id;    /* what glint_sim_new() takes */
	gchar *board; /* the board it is a scenario of */
	gchar *label;
	gchar *description;
} SimChoice;

static void
sim_choice_free(SimChoice *choice)
{
	g_free(choice->id);
	g_free(choice->board);
	g_free(choice->label);
	g_free(choice->description);
	g_free(choice);
}

G_DEFINE_TYPE(GlintDevicePanel, glint_device_panel, GTK_TYPE_BOX)

enum { SIGNAL_SELECTION_CHANGED, SIGNAL_FIX_REQUESTED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST];

/* The target rows, in display order: key (widget name suffix) and title. */
static const struct {
	const char *key;
	const char *title;
} target_rows[] = {
    {"chip", N_("Chip")},	{"devid", N_("Device ID")},	    {"flash", N_("Flash")},
    {"banks", N_("Bank mode")}, {"rdp", N_("Read protection")},	    {"uid", N_("Unique ID")},
    {"voltage", N_("Voltage")}, {"firmware", N_("Probe firmware")},
};

static GtkWidget *
make_probe_row(const char *title, const char *detail, const char *serial, GtkLabel **detail_out)
{
	GtkWidget *row = gtk_list_box_row_new();
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
	GtkWidget *title_label = gtk_label_new(title);
	GtkWidget *detail_label = gtk_label_new(detail);

	gtk_widget_set_margin_start(box, 6);
	gtk_widget_set_margin_end(box, 6);
	gtk_widget_set_margin_top(box, 4);
	gtk_widget_set_margin_bottom(box, 4);
	gtk_label_set_xalign(GTK_LABEL(title_label), 0);
	gtk_label_set_xalign(GTK_LABEL(detail_label), 0);
	/* Wrapped, not ellipsized: the serial and firmware are what users compare. */
	gtk_label_set_line_wrap(GTK_LABEL(detail_label), TRUE);
	gtk_label_set_line_wrap_mode(GTK_LABEL(detail_label), PANGO_WRAP_WORD_CHAR);
	gtk_label_set_max_width_chars(GTK_LABEL(detail_label), 34);
	gtk_style_context_add_class(gtk_widget_get_style_context(detail_label), "dim-label");
	gtk_container_add(GTK_CONTAINER(box), title_label);
	gtk_container_add(GTK_CONTAINER(box), detail_label);
	gtk_container_add(GTK_CONTAINER(row), box);
	g_object_set_data_full(G_OBJECT(row), "serial", g_strdup(serial), g_free);
	g_object_set_data(G_OBJECT(row), "title", title_label);
	g_object_set_data(G_OBJECT(row), "detail", detail_label);
	g_object_set_data_full(G_OBJECT(row), "base-detail", g_strdup(detail), g_free);
	atk_object_set_name(gtk_widget_get_accessible(row), title);
	gtk_widget_show_all(row);
	if (detail_out != NULL)
		*detail_out = GTK_LABEL(detail_label);
	return row;
}

void
glint_device_panel_add_probe(GlintDevicePanel *self, const GlintProbeInfo *info)
{
	g_autofree gchar *title = NULL;
	g_autofree gchar *detail = NULL;
	GtkWidget *row;

	g_autofree gchar *name = NULL;

	g_return_if_fail(info != NULL && info->serial != NULL);
	glint_device_panel_remove_probe(self, info->serial);
	title = g_strdup(info->description != NULL ? info->description
						   : glint_probe_kind_to_string(info->kind));
	if (info->kind == GLINT_PROBE_KIND_V1)
		detail = g_strdup_printf(_("%s — ST-LINK/V1 is not supported (no SWD API)"),
					 info->serial);
	else
		detail = g_strdup_printf(_("%s, serial %s"), glint_probe_kind_to_string(info->kind),
					 info->serial);
	row = make_probe_row(title, detail, info->serial, NULL);
	name = g_strdup_printf("probe-%s", info->serial);
	gtk_widget_set_name(row, name);
	g_object_set_data_full(G_OBJECT(row), "title", g_strdup(title), g_free);
	gtk_widget_set_sensitive(row, glint_probe_is_usable(info));
	gtk_container_add(GTK_CONTAINER(self->probe_list), row);
}

gboolean
glint_probe_is_usable(const GlintProbeInfo *info)
{
	return info->kind != GLINT_PROBE_KIND_V1 && info->kind != GLINT_PROBE_KIND_UNKNOWN;
}

const char *
glint_device_panel_find_usable_probe(GlintDevicePanel *self)
{
	for (gint i = 0;; i++) {
		GtkListBoxRow *row = gtk_list_box_get_row_at_index(self->probe_list, i);
		if (row == NULL)
			return NULL;
		if (GTK_WIDGET(row) != self->sim_row && gtk_widget_get_sensitive(GTK_WIDGET(row)))
			return g_object_get_data(G_OBJECT(row), "serial");
	}
}

static GtkListBoxRow *
find_probe_row(GlintDevicePanel *self, const char *serial)
{
	for (gint i = 0;; i++) {
		GtkListBoxRow *row = gtk_list_box_get_row_at_index(self->probe_list, i);
		if (row == NULL)
			return NULL;
		if (g_strcmp0(g_object_get_data(G_OBJECT(row), "serial"), serial) == 0)
			return row;
	}
}

void
glint_device_panel_remove_probe(GlintDevicePanel *self, const char *serial)
{
	GtkListBoxRow *row;
	if (serial == NULL)
		return; /* the simulated board never leaves */
	row = find_probe_row(self, serial);
	if (row == NULL)
		return;
	if (gtk_list_box_get_selected_row(self->probe_list) == row)
		gtk_list_box_select_row(self->probe_list, GTK_LIST_BOX_ROW(self->sim_row));
	gtk_widget_destroy(GTK_WIDGET(row));
}

const char *
glint_device_panel_get_probe_title(GlintDevicePanel *self, const char *serial)
{
	GtkListBoxRow *row = find_probe_row(self, serial);
	return row != NULL ? g_object_get_data(G_OBJECT(row), "title") : NULL;
}

guint
glint_device_panel_get_n_probes(GlintDevicePanel *self)
{
	g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(self->probe_list));
	return g_list_length(children);
}

void
glint_device_panel_select_sim(GlintDevicePanel *self, const char *scenario)
{
	g_autofree gchar *board = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *spec = NULL;
	gtk_list_box_select_row(self->probe_list, GTK_LIST_BOX_ROW(self->sim_row));
	if (scenario == NULL || !glint_sim_parse_spec(scenario, &board, &name, NULL))
		return;
	/* every board and scenario is in the picker under its shortest spec */
	spec = glint_sim_short_spec(board, name);
	glint_device_panel_set_scenario(self, spec);
}

/* GtkComboBox looks ids up among the top-level rows only; the scenarios
 * are children of their board. */
static gboolean
find_spec_row(GtkTreeModel *model, GtkTreePath *path, GtkTreeIter *iter, gpointer data)
{
	gpointer *want = data;
	g_autofree gchar *id = NULL;
	gtk_tree_model_get(model, iter, 1, &id, -1);
	if (g_strcmp0(id, want[0]) != 0)
		return FALSE;
	*(GtkTreeIter *)want[1] = *iter;
	want[2] = GINT_TO_POINTER(TRUE);
	return TRUE;
}

gboolean
glint_device_panel_set_scenario(GlintDevicePanel *self, const char *spec)
{
	GtkTreeModel *model = gtk_combo_box_get_model(GTK_COMBO_BOX(self->scenario_combo));
	GtkTreeIter iter;
	gpointer want[3] = {(gpointer)spec, &iter, NULL};
	gtk_tree_model_foreach(model, find_spec_row, want);
	if (want[2] == NULL)
		return FALSE;
	gtk_combo_box_set_active_iter(GTK_COMBO_BOX(self->scenario_combo), &iter);
	return TRUE;
}

gchar *
glint_device_panel_get_board_title(GlintDevicePanel *self)
{
	g_autofree gchar *board = NULL;
	g_autoptr(GlintSimBoardInfo) info = NULL;
	if (!glint_sim_parse_spec(glint_device_panel_get_scenario(self), &board, NULL, NULL))
		return g_strdup("board");
	info = glint_sim_get_board_info(board);
	return g_strdup(info != NULL ? info->title : board);
}

gboolean
glint_device_panel_select_probe(GlintDevicePanel *self, const char *serial)
{
	GtkListBoxRow *row = find_probe_row(self, serial);
	if (row == NULL)
		return FALSE;
	gtk_list_box_select_row(self->probe_list, row);
	return TRUE;
}

gboolean
glint_device_panel_is_sim_selected(GlintDevicePanel *self)
{
	GtkListBoxRow *row = gtk_list_box_get_selected_row(self->probe_list);
	return row == NULL || GTK_WIDGET(row) == self->sim_row;
}

const char *
glint_device_panel_get_serial(GlintDevicePanel *self)
{
	GtkListBoxRow *row = gtk_list_box_get_selected_row(self->probe_list);
	if (row == NULL || GTK_WIDGET(row) == self->sim_row)
		return NULL;
	return g_object_get_data(G_OBJECT(row), "serial");
}

const char *
glint_device_panel_get_scenario(GlintDevicePanel *self)
{
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->scenario_combo));
	return id != NULL ? id : "fresh";
}

void
glint_device_panel_set_sim_probe(GlintDevicePanel *self, const GlintProbeInfo *info)
{
	g_autofree gchar *detail = NULL;
	if (info == NULL)
		return;
	detail =
	    g_strdup_printf(_("Simulation — %s, serial %s"), glint_probe_kind_to_string(info->kind),
			    info->serial != NULL ? info->serial : "?");
	gtk_label_set_text(self->sim_row_detail, detail);
	g_object_set_data_full(G_OBJECT(self->sim_row), "base-detail", g_steal_pointer(&detail),
			       g_free);
}

void
glint_device_panel_set_probe_status(GlintDevicePanel *self, const char *serial,
				    const char *firmware, gdouble voltage)
{
	GtkListBoxRow *row =
	    serial != NULL ? find_probe_row(self, serial) : GTK_LIST_BOX_ROW(self->sim_row);
	GtkLabel *detail;
	const char *base;
	g_autofree gchar *text = NULL;

	if (row == NULL)
		return;
	detail = g_object_get_data(G_OBJECT(row), "detail");
	base = g_object_get_data(G_OBJECT(row), "base-detail");
	if (detail == NULL || base == NULL)
		return;
	text = g_strdup_printf(_("%s\nfirmware %s, target at %.2f V"), base,
			       firmware != NULL ? firmware : "?", voltage);
	gtk_label_set_text(detail, text);
}

void
glint_device_panel_get_connect_options(GlintDevicePanel *self, GlintConnectOptions *options)
{
	const char *khz = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->swd_combo));
	const char *mode = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->reset_combo));
	options->swd_khz = khz != NULL ? (guint)g_ascii_strtoull(khz, NULL, 10) : 0;
	options->under_reset = gtk_toggle_button_get_active(self->under_reset_check);
	options->reset_mode =
	    mode != NULL ? (GlintResetMode)g_ascii_strtoull(mode, NULL, 10) : GLINT_RESET_AUTO;
}

void
glint_device_panel_set_connect_options(GlintDevicePanel *self, const GlintConnectOptions *options)
{
	g_autofree gchar *khz = g_strdup_printf("%u", options->swd_khz);
	g_autofree gchar *mode = g_strdup_printf("%d", (gint)options->reset_mode);
	if (!gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->swd_combo), khz))
		gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->swd_combo), "4000");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->reset_combo), mode);
	gtk_toggle_button_set_active(self->under_reset_check, options->under_reset);
}

static GtkLabel *
target_value_label(GlintDevicePanel *self, guint row)
{
	return GTK_LABEL(gtk_grid_get_child_at(self->target_grid, 1, (gint)row));
}

static void
set_target_value(GlintDevicePanel *self, const char *key, const char *text)
{
	for (guint i = 0; i < G_N_ELEMENTS(target_rows); i++) {
		if (g_strcmp0(target_rows[i].key, key) == 0)
			gtk_label_set_text(target_value_label(self, i), text);
	}
}

void
glint_device_panel_set_target(GlintDevicePanel *self, const GlintTargetInfo *info)
{
	g_autofree gchar *devid = NULL;
	g_autofree gchar *flash = NULL;
	g_autofree gchar *banks = NULL;
	g_autofree gchar *rdp = NULL;
	g_autofree gchar *voltage = NULL;

	if (info == NULL) {
		for (guint i = 0; i < G_N_ELEMENTS(target_rows); i++)
			gtk_label_set_text(target_value_label(self, i),
					   i == 0 ? _("Not connected") : _("—"));
		glint_device_panel_set_findings(self, NULL);
		return;
	}
	devid = g_strdup_printf(_("0x%03X, revision %s (0x%04X)"), info->dev_id,
				info->rev_name != NULL ? info->rev_name : "?", info->rev_id);
	flash = g_strdup_printf(_("%u KB at 0x%08X"), info->flash_kb, info->geometry.base);
	{
		g_autofree gchar *shape = glint_geometry_describe(&info->geometry);
		banks = g_strdup_printf(
		    "%s (%s)", info->geometry.n_banks > 1 ? _("Dual bank") : _("Single bank"),
		    shape);
	}
	rdp = g_strdup_printf(_("Level %s"),
			      glint_rdp_rank_name(glint_option_bytes_rdp_rank(&info->options)));
	voltage = g_strdup_printf("%.2f V", info->voltage);
	set_target_value(self, "chip", info->chip != NULL ? info->chip->name : _("Unknown chip"));
	set_target_value(self, "devid", devid);
	set_target_value(self, "flash", flash);
	set_target_value(self, "banks", banks);
	set_target_value(self, "rdp", rdp);
	set_target_value(self, "uid", info->uid);
	set_target_value(self, "voltage", voltage);
	set_target_value(self, "firmware", info->probe_version != NULL ? info->probe_version : "—");
}

static void
on_fix_button_clicked(GtkButton *button, GlintDevicePanel *self)
{
	guint kind = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(button), "fix-kind"));
	g_signal_emit(self, signals[SIGNAL_FIX_REQUESTED], 0, kind);
}

static GtkWidget *
make_finding_widget(GlintDevicePanel *self, const GlintFinding *finding)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
	GtkWidget *title = gtk_label_new(finding->title);
	const char *css = finding->severity == GLINT_SEVERITY_ERROR	? "glint-error"
			  : finding->severity == GLINT_SEVERITY_WARNING ? "glint-warning"
									: "glint-info";

	gtk_label_set_xalign(GTK_LABEL(title), 0);
	gtk_label_set_line_wrap(GTK_LABEL(title), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(title), 36);
	gtk_style_context_add_class(gtk_widget_get_style_context(title), css);
	gtk_container_add(GTK_CONTAINER(box), title);
	if (finding->impact != NULL) {
		GtkWidget *impact = gtk_label_new(finding->impact);
		gtk_label_set_xalign(GTK_LABEL(impact), 0);
		gtk_label_set_line_wrap(GTK_LABEL(impact), TRUE);
		gtk_label_set_max_width_chars(GTK_LABEL(impact), 36);
		gtk_style_context_add_class(gtk_widget_get_style_context(impact), "dim-label");
		gtk_container_add(GTK_CONTAINER(box), impact);
	}
	if (finding->fix_kind != GLINT_FIX_NONE) {
		GtkWidget *button = gtk_button_new_with_label(glint_fix_label(finding->fix_kind));
		g_autofree gchar *name = g_strdup_printf("finding-fix-%s", finding->id);
		gtk_widget_set_name(button, name);
		gtk_widget_set_halign(button, GTK_ALIGN_START);
		if (finding->fix != NULL)
			gtk_widget_set_tooltip_text(button, finding->fix);
		g_object_set_data(G_OBJECT(button), "fix-kind",
				  GUINT_TO_POINTER((guint)finding->fix_kind));
		g_signal_connect(button, "clicked", G_CALLBACK(on_fix_button_clicked), self);
		gtk_container_add(GTK_CONTAINER(box), button);
	}
	gtk_widget_show_all(box);
	return box;
}

void
glint_device_panel_set_findings(GlintDevicePanel *self, GPtrArray *findings)
{
	g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(self->findings_box));
	for (GList *l = children; l != NULL; l = l->next)
		gtk_widget_destroy(l->data);
	gtk_widget_set_visible(self->findings_heading, findings != NULL && findings->len > 0);
	if (findings == NULL)
		return;
	for (guint i = 0; i < findings->len; i++)
		gtk_container_add(GTK_CONTAINER(self->findings_box),
				  make_finding_widget(self, g_ptr_array_index(findings, i)));
}

void
glint_device_panel_set_busy(GlintDevicePanel *self, gboolean busy)
{
	gtk_widget_set_sensitive(GTK_WIDGET(self->probe_list), !busy);
	gtk_widget_set_sensitive(self->sim_box, !busy);
	gtk_widget_set_sensitive(GTK_WIDGET(self->findings_box), !busy);
}

/* The simulated boards the picker offers, in order: every scenario of every
 * board, under its shortest spec ("wrp", "nucleo-f401re:rdp1"). The one
 * place that lists them. */
static GPtrArray *
sim_choices(void)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	GPtrArray *choices = g_ptr_array_new_with_free_func((GDestroyNotify)sim_choice_free);
	for (guint b = 0; b < boards->len; b++) {
		const GlintSimBoardInfo *info = g_ptr_array_index(boards, b);
		for (guint i = 0; info->scenarios[i] != NULL; i++) {
			SimChoice *choice = g_new0(SimChoice, 1);
			choice->id = glint_sim_short_spec(info->name, info->scenarios[i]);
			choice->board = g_strdup(info->name);
			choice->label = g_strdup(info->scenarios[i]);
			choice->description =
			    g_strdup_printf(_("%s (%s, %u KB): %s"), info->title, info->chip,
					    info->flash_kb, info->scenario_descriptions[i]);
			g_ptr_array_add(choices, choice);
		}
	}
	return choices;
}

/* The picker's model: boards, each with its scenarios beneath (GtkComboBox
 * shows them as submenus). Column 0 the text, column 1 the id (the spec;
 * none on board rows, which are not choices themselves). */
static GtkTreeModel *
sim_choices_model(GPtrArray *choices)
{
	GtkTreeStore *store = gtk_tree_store_new(2, G_TYPE_STRING, G_TYPE_STRING);
	GtkTreeIter board_iter, iter;
	const char *board = NULL;

	for (guint i = 0; i < choices->len; i++) {
		const SimChoice *choice = g_ptr_array_index(choices, i);
		if (g_strcmp0(board, choice->board) != 0) {
			g_autoptr(GlintSimBoardInfo) info = glint_sim_get_board_info(choice->board);
			g_autofree gchar *text =
			    g_strdup_printf("%s — %s", info->title, info->chip);
			gtk_tree_store_append(store, &board_iter, NULL);
			gtk_tree_store_set(store, &board_iter, 0, text, 1, NULL, -1);
			board = choice->board;
		}
		gtk_tree_store_append(store, &iter, &board_iter);
		gtk_tree_store_set(store, &iter, 0, choice->label, 1, choice->id, -1);
	}
	return GTK_TREE_MODEL(store);
}

static const SimChoice *
find_choice(GlintDevicePanel *self, const char *id)
{
	for (guint i = 0; i < self->choices->len; i++) {
		const SimChoice *choice = g_ptr_array_index(self->choices, i);
		if (g_strcmp0(choice->id, id) == 0)
			return choice;
	}
	return NULL;
}

static void
update_scenario_label(GlintDevicePanel *self)
{
	const SimChoice *choice = find_choice(self, glint_device_panel_get_scenario(self));
	g_autoptr(GString) text =
	    g_string_new(choice != NULL && choice->description != NULL ? choice->description : "");
	g_autofree gchar *title = glint_device_panel_get_board_title(self);
	g_autofree gchar *row = g_strdup_printf(_("Simulated %s"), title);
	if (self->state_file != NULL)
		g_string_append_printf(text, _("\nBoard kept in %s"), self->state_file);
	gtk_label_set_text(self->scenario_label, text->str);
	/* the simulated probe's row names the board it simulates */
	if (self->sim_row != NULL) {
		gtk_label_set_text(self->sim_row_title, row);
		atk_object_set_name(gtk_widget_get_accessible(self->sim_row), row);
	}
}

void
glint_device_panel_set_state_file(GlintDevicePanel *self, const char *path)
{
	g_free(self->state_file);
	self->state_file = g_strdup(path);
	update_scenario_label(self);
}

static void
on_probe_list_row_selected(GtkListBox *box, GtkListBoxRow *row, GlintDevicePanel *self)
{
	gtk_widget_set_visible(self->sim_box, glint_device_panel_is_sim_selected(self));
	g_signal_emit(self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
on_scenario_combo_changed(GtkComboBox *combo, GlintDevicePanel *self)
{
	update_scenario_label(self);
	g_signal_emit(self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
build_target_grid(GlintDevicePanel *self)
{
	for (guint i = 0; i < G_N_ELEMENTS(target_rows); i++) {
		GtkWidget *title = gtk_label_new(glint_tr(target_rows[i].title));
		GtkWidget *value = gtk_label_new(i == 0 ? _("Not connected") : _("—"));
		g_autofree gchar *name = g_strdup_printf("target-%s", target_rows[i].key);
		gtk_label_set_xalign(GTK_LABEL(title), 0);
		gtk_label_set_xalign(GTK_LABEL(value), 0);
		gtk_label_set_selectable(GTK_LABEL(value), TRUE);
		gtk_label_set_line_wrap(GTK_LABEL(value), TRUE);
		gtk_label_set_max_width_chars(GTK_LABEL(value), 26);
		gtk_widget_set_can_focus(value, FALSE);
		gtk_style_context_add_class(gtk_widget_get_style_context(title), "dim-label");
		gtk_widget_set_name(value, name);
		gtk_grid_attach(self->target_grid, title, 0, (gint)i, 1, 1);
		gtk_grid_attach(self->target_grid, value, 1, (gint)i, 1, 1);
	}
	gtk_widget_show_all(GTK_WIDGET(self->target_grid));
}

static void
glint_device_panel_init(GlintDevicePanel *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->choices = sim_choices();
	{
		g_autoptr(GtkTreeModel) model = sim_choices_model(self->choices);
		gtk_combo_box_set_model(GTK_COMBO_BOX(self->scenario_combo), model);
		gtk_combo_box_set_id_column(GTK_COMBO_BOX(self->scenario_combo), 1);
	}
	self->sim_row = make_probe_row(_("Simulated board"), _("Simulation — no probe needed"),
				       NULL, &self->sim_row_detail);
	self->sim_row_title = g_object_get_data(G_OBJECT(self->sim_row), "title");
	gtk_widget_set_name(self->sim_row, "probe-sim");
	gtk_container_add(GTK_CONTAINER(self->probe_list), self->sim_row);
	build_target_grid(self);
	glint_device_panel_set_scenario(self, "fresh");
	update_scenario_label(self);
	gtk_list_box_select_row(self->probe_list, GTK_LIST_BOX_ROW(self->sim_row));
}

static void
glint_device_panel_finalize(GObject *object)
{
	GlintDevicePanel *self = GLINT_DEVICE_PANEL(object);
	g_clear_pointer(&self->choices, g_ptr_array_unref);
	g_free(self->state_file);
	G_OBJECT_CLASS(glint_device_panel_parent_class)->finalize(object);
}

static void
glint_device_panel_class_init(GlintDevicePanelClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = glint_device_panel_finalize;

	signals[SIGNAL_SELECTION_CHANGED] =
	    g_signal_new("selection-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_FIX_REQUESTED] =
	    g_signal_new("fix-requested", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-device-panel.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, probe_list);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, sim_box);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, scenario_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, scenario_label);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, swd_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, reset_combo);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, under_reset_check);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, target_grid);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, findings_heading);
	gtk_widget_class_bind_template_child(widget_class, GlintDevicePanel, findings_box);
	gtk_widget_class_bind_template_callback(widget_class, on_probe_list_row_selected);
	gtk_widget_class_bind_template_callback(widget_class, on_scenario_combo_changed);
}

GtkWidget *
glint_device_panel_new(void)
{
	return g_object_new(GLINT_TYPE_DEVICE_PANEL, NULL);
}
