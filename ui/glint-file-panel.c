/* glint-file-panel.c: firmware file loading, description and warnings. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-file-panel.h"
#include "glint-i18n.h"

struct _GlintFilePanel {
	GtkBox parent_instance;
	GtkMenuButton *recent_button;
	GtkLabel *path_label;
	GtkInfoBar *reload_bar;
	GtkGrid *info_grid;
	GtkLabel *warnings_label;
	GtkTreeView *segments_view;
	GtkToggleButton *verify_check;
	GtkToggleButton *reset_run_check;
	GtkToggleButton *smart_check;
	GtkListStore *segments;
	GlintFirmwareFile *file; /* the image, where and how it was loaded */
	GlintImage *image;	 /* the file's image (borrowed from it) */
	const gchar *path;	 /* the file's path (borrowed from it) */
	GFileMonitor *monitor;
	GCancellable *load_cancellable;
	const GlintChip *chip;
	GlintFlashGeometry geometry;
	gboolean have_geometry;
	gchar *warnings;
	/* Why Program would refuse the file here (a segment outside flash and
	 * data EEPROM), NULL when it would not. */
	gchar *program_problem;
	GtkButton *change_base_button;
	/* path -> guint32: where each raw binary was last loaded. */
	GHashTable *bases;
	GtkDialog *base_dialog;
};

G_DEFINE_TYPE(GlintFilePanel, glint_file_panel, GTK_TYPE_BOX)

enum { SIGNAL_IMAGE_LOADED, SIGNAL_LOG, SIGNAL_LAST };
static guint signals[SIGNAL_LAST];

enum { COL_START, COL_END, COL_SIZE, COL_ORIGIN, N_COLS };

static const struct {
	const char *key;
	const char *title;
} info_rows[] = {
    {"format", N_("Format")}, {"size", N_("Size")},	      {"range", N_("Address range")},
    {"crc", "CRC-32"},	      {"start", N_("Start address")},
};

static void
log_message(GlintFilePanel *self, GLogLevelFlags level, const char *message)
{
	g_signal_emit(self, signals[SIGNAL_LOG], 0, (guint)level, message);
}

static void
set_info(GlintFilePanel *self, const char *key, const char *text)
{
	for (guint i = 0; i < G_N_ELEMENTS(info_rows); i++) {
		if (g_strcmp0(info_rows[i].key, key) == 0)
			gtk_label_set_text(
			    GTK_LABEL(gtk_grid_get_child_at(self->info_grid, 1, (gint)i)), text);
	}
}

/* The chip the window last connected to (or none yet: then no range
 * warnings, since Glint does not know which flash the file is for). */
static void
effective_geometry(GlintFilePanel *self, const GlintChip **chip, GlintFlashGeometry *geometry)
{
	*chip = self->chip;
	if (self->have_geometry) {
		*geometry = self->geometry;
		return;
	}
	memset(geometry, 0, sizeof(*geometry));
	if (*chip != NULL)
		glint_chip_default_geometry(*chip, 0, NULL, geometry);
}

/* The chip region (not main flash) that holds @addr, or NULL. */
static const GlintMemoryRegion *
region_at(const GlintChip *chip, guint32 addr, guint32 end)
{
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (r->size > 0 && addr < r->base + r->size && r->base < end)
			return r;
	}
	return NULL;
}

static void
compute_warnings(GlintFilePanel *self)
{
	GString *out = g_string_new(NULL);
	const GlintChip *chip = NULL;
	GlintFlashGeometry geo;
	guint32 start = 0;

	g_clear_pointer(&self->warnings, g_free);
	g_clear_pointer(&self->program_problem, g_free);
	if (self->image == NULL) {
		self->warnings = g_string_free(out, FALSE);
		return;
	}
	effective_geometry(self, &chip, &geo);
	for (guint i = 0; chip != NULL && i < glint_image_get_n_segments(self->image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(self->image, i);
		guint32 end = seg->address + (guint32)g_bytes_get_size(seg->data);
		const GlintMemoryRegion *region = region_at(chip, seg->address, end);
		gsize before = out->len;
		if (glint_geometry_contains(&geo, seg->address, end - seg->address))
			continue;
		if (region != NULL && region->kind == GLINT_REGION_OPTIONS)
			g_string_append_printf(out,
					       _("Segment 0x%08X-0x%08X (%s) overlaps the option "
						 "bytes: use the option-byte editor instead.\n"),
					       seg->address, end - 1, seg->origin);
		else if (region != NULL && region->kind == GLINT_REGION_SRAM)
			g_string_append_printf(
			    out,
			    _("Segment 0x%08X-0x%08X (%s) is in SRAM, not flash: "
			      "programming will refuse it.\n"),
			    seg->address, end - 1, seg->origin);
		else if (region != NULL && region->kind == GLINT_REGION_EEPROM)
			continue;
		else
			g_string_append_printf(out,
					       _("Segment 0x%08X-0x%08X (%s) is outside the flash "
						 "(0x%08X-0x%08X): check the file or the base "
						 "address.\n"),
					       seg->address, end - 1, seg->origin, geo.base,
					       glint_geometry_end(&geo) - 1);
		/* Program refuses any of these: the first says why. */
		if (self->program_problem == NULL)
			self->program_problem = g_strndup(out->str + before, out->len - before - 1);
	}
	if (glint_image_get_start_address(self->image, &start) && chip != NULL &&
	    !glint_geometry_contains(&geo, start, 1) &&
	    (region_at(chip, start, start + 1) == NULL ||
	     region_at(chip, start, start + 1)->kind != GLINT_REGION_SRAM))
		g_string_append_printf(
		    out, _("Start address 0x%08X is neither in flash nor in SRAM.\n"), start);
	if (out->len > 0)
		g_string_truncate(out, out->len - 1);
	self->warnings = g_string_free(out, FALSE);
}

static void
show_warnings(GlintFilePanel *self)
{
	compute_warnings(self);
	gtk_label_set_text(self->warnings_label, self->warnings);
	gtk_widget_set_visible(GTK_WIDGET(self->warnings_label), self->warnings[0] != '\0');
	/* A raw binary's place is the user's choice: it can always be moved. */
	gtk_widget_set_visible(GTK_WIDGET(self->change_base_button),
			       self->file != NULL &&
				   glint_firmware_file_get_options(self->file)->format ==
				       GLINT_IMAGE_FORMAT_BIN);
}

static void
show_image(GlintFilePanel *self)
{
	g_autofree gchar *size = NULL;
	g_autofree gchar *range = NULL;
	g_autofree gchar *crc = NULL;
	g_autofree gchar *start_text = NULL;
	guint32 lowest = 0, end = 0, start = 0;

	gtk_list_store_clear(self->segments);
	if (self->image == NULL) {
		for (guint i = 0; i < G_N_ELEMENTS(info_rows); i++)
			set_info(self, info_rows[i].key, "—");
		gtk_label_set_text(self->path_label, _("No file loaded"));
		show_warnings(self);
		return;
	}
	glint_image_get_bounds(self->image, &lowest, &end);
	size = g_strdup_printf(
	    g_dngettext(GETTEXT_PACKAGE, "%zu bytes in %u segment", "%zu bytes in %u segments",
			glint_image_get_n_segments(self->image)),
	    glint_image_get_size(self->image), glint_image_get_n_segments(self->image));
	range = g_strdup_printf("0x%08X-0x%08X", lowest, end - 1);
	crc = g_strdup_printf("0x%08X", glint_firmware_file_get_crc32(self->file));
	start_text = glint_image_get_start_address(self->image, &start)
			 ? g_strdup_printf("0x%08X", start)
			 : g_strdup(_("none in the file"));
	set_info(self, "format", glint_image_format_to_string(glint_image_get_format(self->image)));
	set_info(self, "size", size);
	set_info(self, "range", range);
	set_info(self, "crc", crc);
	set_info(self, "start", start_text);
	gtk_label_set_text(self->path_label, self->path);
	for (guint i = 0; i < glint_image_get_n_segments(self->image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(self->image, i);
		gsize len = g_bytes_get_size(seg->data);
		g_autofree gchar *s = g_strdup_printf("0x%08X", seg->address);
		g_autofree gchar *e = g_strdup_printf("0x%08X", seg->address + (guint32)len - 1);
		g_autofree gchar *n = g_strdup_printf("%" G_GSIZE_FORMAT, len);
		gtk_list_store_insert_with_values(self->segments, NULL, -1, COL_START, s, COL_END,
						  e, COL_SIZE, n, COL_ORIGIN, seg->origin, -1);
	}
	show_warnings(self);
}

static void
on_file_monitor_changed(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
			GlintFilePanel *self)
{
	gboolean current = FALSE;
	if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
	    event != G_FILE_MONITOR_EVENT_CREATED)
		return;
	/* Not for a change already reloaded (a job does before it programs). */
	if (self->file != NULL && glint_firmware_file_is_current(self->file, &current, NULL) &&
	    current)
		return;
	gtk_widget_show(GTK_WIDGET(self->reload_bar));
}

static void
watch_file(GlintFilePanel *self)
{
	g_autoptr(GFile) file = g_file_new_for_path(self->path);
	if (self->monitor != NULL) {
		g_signal_handlers_disconnect_by_data(self->monitor, self);
		g_file_monitor_cancel(self->monitor);
		g_clear_object(&self->monitor);
	}
	self->monitor = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, NULL);
	if (self->monitor != NULL)
		g_signal_connect(self->monitor, "changed", G_CALLBACK(on_file_monitor_changed),
				 self);
}

typedef struct {
	gchar *path;
	GlintImageLoadOptions options;
} LoadData;

static void
load_data_free(LoadData *data)
{
	g_free(data->path);
	g_free(data);
}

static void
load_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	LoadData *data = task_data;
	GError *error = NULL;
	GlintFirmwareFile *file = glint_firmware_file_load(data->path, &data->options, &error);
	if (file == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, file, (GDestroyNotify)glint_firmware_file_unref);
}

/* Shows @file (a new load, or a reload a job did) in place of the old one. */
static void
set_file(GlintFilePanel *self, GlintFirmwareFile *file)
{
	glint_firmware_file_ref(file);
	g_clear_pointer(&self->file, glint_firmware_file_unref);
	self->file = file;
	self->image = glint_firmware_file_get_image(file);
	self->path = glint_firmware_file_get_path(file);
	gtk_widget_hide(GTK_WIDGET(self->reload_bar));
	watch_file(self);
	show_image(self);
}

static void
load_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GlintFilePanel *self = GLINT_FILE_PANEL(source);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintFirmwareFile) file = g_task_propagate_pointer(G_TASK(res), &error);
	g_autofree gchar *message = NULL;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return; /* a newer load replaced this one */
	g_clear_object(&self->load_cancellable);
	if (file == NULL) {
		log_message(self, G_LOG_LEVEL_WARNING, error->message);
		return;
	}
	set_file(self, file);
	if (glint_firmware_file_get_options(file)->format == GLINT_IMAGE_FORMAT_BIN)
		glint_file_panel_remember_base(self, self->path,
					       glint_firmware_file_get_options(file)->bin_base);
	message = g_strdup_printf(_("Loaded %s: %s, %zu bytes"), self->path,
				  glint_image_format_to_string(glint_image_get_format(self->image)),
				  glint_image_get_size(self->image));
	log_message(self, G_LOG_LEVEL_INFO, message);
	if (self->warnings[0] != '\0')
		log_message(self, G_LOG_LEVEL_WARNING, self->warnings);
	g_signal_emit(self, signals[SIGNAL_IMAGE_LOADED], 0, self->path);
}

void
glint_file_panel_load(GlintFilePanel *self, const char *path, const GlintImageLoadOptions *options)
{
	g_autoptr(GTask) task = NULL;
	LoadData *data = g_new0(LoadData, 1);
	const GlintChip *chip = NULL;
	GlintFlashGeometry geo;

	data->path = g_strdup(path);
	if (options != NULL) {
		data->options = *options;
	} else {
		effective_geometry(self, &chip, &geo);
		data->options.format = GLINT_IMAGE_FORMAT_AUTO;
		data->options.bin_base = chip != NULL ? geo.base : GLINT_IMAGE_DEFAULT_BIN_BASE;
	}
	if (self->load_cancellable != NULL)
		g_cancellable_cancel(self->load_cancellable);
	g_clear_object(&self->load_cancellable);
	self->load_cancellable = g_cancellable_new();
	task = g_task_new(self, self->load_cancellable, load_done_cb, NULL);
	g_task_set_task_data(task, data, (GDestroyNotify)load_data_free);
	g_task_run_in_thread(task, load_thread);
}

gboolean
glint_file_panel_is_loading(GlintFilePanel *self)
{
	return self->load_cancellable != NULL;
}

static gboolean
parse_address(const char *text, guint32 *value)
{
	guint64 v = 0;
	g_autofree gchar *clean = g_strstrip(g_strdup(text));
	if (!g_ascii_string_to_unsigned(clean, 10, 0, G_MAXUINT32, &v, NULL)) {
		const char *hex = clean;
		if (g_str_has_prefix(hex, "0x") || g_str_has_prefix(hex, "0X"))
			hex += 2;
		if (!g_ascii_string_to_unsigned(hex, 16, 0, G_MAXUINT32, &v, NULL))
			return FALSE;
	}
	*value = (guint32)v;
	return TRUE;
}

static void
on_base_dialog_response(GtkDialog *dialog, gint response, GlintFilePanel *self)
{
	GtkEntry *entry = g_object_get_data(G_OBJECT(dialog), "entry");
	const char *path = g_object_get_data(G_OBJECT(dialog), "path");
	GlintImageLoadOptions options = {.format = GLINT_IMAGE_FORMAT_BIN};

	if (response == GTK_RESPONSE_ACCEPT) {
		if (!parse_address(gtk_entry_get_text(entry), &options.bin_base)) {
			g_autofree gchar *msg = g_strdup_printf(
			    _("“%s” is not an address: type it as hex (0x08000000) or decimal."),
			    gtk_entry_get_text(entry));
			log_message(self, G_LOG_LEVEL_WARNING, msg);
			return; /* leave the dialog open for a correction */
		}
		glint_file_panel_load(self, path, &options);
	}
	self->base_dialog = NULL;
	gtk_widget_destroy(GTK_WIDGET(dialog));
}

static void
ask_base_address(GlintFilePanel *self, const char *path)
{
	GtkWidget *toplevel = gtk_widget_get_toplevel(GTK_WIDGET(self));
	GtkWidget *dialog = gtk_dialog_new_with_buttons(
	    _("Raw Binary Base Address"), GTK_IS_WINDOW(toplevel) ? GTK_WINDOW(toplevel) : NULL,
	    GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, _("_Cancel"), GTK_RESPONSE_CANCEL,
	    _("_Load"), GTK_RESPONSE_ACCEPT, NULL);
	GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(dialog));
	g_autofree gchar *basename = g_path_get_basename(path);
	g_autofree gchar *text = g_strdup_printf(
	    _("%s is a raw binary: it does not say where it goes.\nLoad it at address:"), basename);
	GtkWidget *label = gtk_label_new(text);
	GtkWidget *entry = gtk_entry_new();
	const GlintChip *chip = NULL;
	GlintFlashGeometry geo;
	g_autofree gchar *base = NULL;

	const guint32 *remembered = g_hash_table_lookup(self->bases, path);

	effective_geometry(self, &chip, &geo);
	/* Where it went last time, else the flash base. */
	base = g_strdup_printf("0x%08X", remembered != NULL ? *remembered : geo.base);
	gtk_entry_set_text(GTK_ENTRY(entry), base);
	gtk_entry_set_activates_default(GTK_ENTRY(entry), TRUE);
	gtk_widget_set_name(entry, "bin-base-entry");
	atk_object_set_name(gtk_widget_get_accessible(entry), _("Base address"));
	gtk_container_set_border_width(GTK_CONTAINER(area), 12);
	gtk_box_set_spacing(GTK_BOX(area), 8);
	gtk_container_add(GTK_CONTAINER(area), label);
	gtk_container_add(GTK_CONTAINER(area), entry);
	gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_ACCEPT);
	g_object_set_data(G_OBJECT(dialog), "entry", entry);
	g_object_set_data_full(G_OBJECT(dialog), "path", g_strdup(path), g_free);
	g_signal_connect(dialog, "response", G_CALLBACK(on_base_dialog_response), self);
	self->base_dialog = GTK_DIALOG(dialog);
	gtk_widget_show_all(dialog);
}

GtkDialog *
glint_file_panel_get_base_dialog(GlintFilePanel *self)
{
	return self->base_dialog;
}

void
glint_file_panel_open(GlintFilePanel *self, const char *path)
{
	g_autofree gchar *lower = g_ascii_strdown(path, -1);
	const guint32 *remembered = g_hash_table_lookup(self->bases, path);

	if (g_str_has_suffix(lower, ".bin") && remembered != NULL) {
		GlintImageLoadOptions options = {.format = GLINT_IMAGE_FORMAT_BIN,
						 .bin_base = *remembered};
		g_autofree gchar *message = g_strdup_printf(
		    _("%s is a raw binary: loading it at 0x%08X, where it went last time "
		      "(Change base address to move it)"),
		    path, *remembered);
		log_message(self, G_LOG_LEVEL_INFO, message);
		glint_file_panel_load(self, path, &options);
		return;
	}
	if (g_str_has_suffix(lower, ".bin")) {
		ask_base_address(self, path);
		return;
	}
	glint_file_panel_load(self, path, NULL);
}

void
glint_file_panel_remember_base(GlintFilePanel *self, const char *path, guint32 base)
{
	g_hash_table_insert(self->bases, g_strdup(path), g_memdup2(&base, sizeof(base)));
}

const char *
glint_file_panel_get_program_problem(GlintFilePanel *self)
{
	return self->program_problem;
}

static void
on_change_base_clicked(GtkButton *button, GlintFilePanel *self)
{
	if (self->file != NULL)
		ask_base_address(self, self->path);
}

GlintImage *
glint_file_panel_get_image(GlintFilePanel *self)
{
	return self->image;
}

GlintFirmwareFile *
glint_file_panel_get_file(GlintFilePanel *self)
{
	return self->file;
}

void
glint_file_panel_adopt(GlintFilePanel *self, GlintFirmwareFile *file)
{
	set_file(self, file);
	g_signal_emit(self, signals[SIGNAL_IMAGE_LOADED], 0, self->path);
}

const char *
glint_file_panel_get_path(GlintFilePanel *self)
{
	return self->path;
}

void
glint_file_panel_set_target(GlintFilePanel *self, const GlintChip *chip,
			    const GlintFlashGeometry *geometry)
{
	self->chip = chip;
	self->have_geometry = geometry != NULL;
	if (geometry != NULL)
		self->geometry = *geometry;
	show_warnings(self);
}

const char *
glint_file_panel_get_warnings(GlintFilePanel *self)
{
	return self->warnings != NULL ? self->warnings : "";
}

void
glint_file_panel_get_program_options(GlintFilePanel *self, GlintProgramOptions *options)
{
	memset(options, 0, sizeof(*options));
	options->verify = gtk_toggle_button_get_active(self->verify_check);
	options->reset_run = gtk_toggle_button_get_active(self->reset_run_check);
	options->smart = gtk_toggle_button_get_active(self->smart_check);
}

void
glint_file_panel_set_program_options(GlintFilePanel *self, const GlintProgramOptions *options)
{
	gtk_toggle_button_set_active(self->verify_check, options->verify);
	gtk_toggle_button_set_active(self->reset_run_check, options->reset_run);
	gtk_toggle_button_set_active(self->smart_check, options->smart);
}

void
glint_file_panel_set_recent(GlintFilePanel *self, const char *const *recent)
{
	g_autoptr(GMenu) menu = g_menu_new();
	for (guint i = 0; recent != NULL && recent[i] != NULL; i++) {
		g_autoptr(GMenuItem) item = g_menu_item_new(recent[i], NULL);
		g_menu_item_set_action_and_target(item, "win.open-recent", "s", recent[i]);
		g_menu_append_item(menu, item);
	}
	gtk_menu_button_set_menu_model(self->recent_button, G_MENU_MODEL(menu));
	gtk_widget_set_sensitive(GTK_WIDGET(self->recent_button),
				 recent != NULL && recent[0] != NULL);
}

static void
on_reload_bar_response(GtkInfoBar *bar, gint response, GlintFilePanel *self)
{
	gtk_widget_hide(GTK_WIDGET(bar));
	if (response == 1 && self->file != NULL) {
		g_autofree gchar *path = g_strdup(self->path);
		GlintImageLoadOptions options = *glint_firmware_file_get_options(self->file);
		glint_file_panel_load(self, path, &options);
	}
}

static void
add_column(GlintFilePanel *self, const char *title, gint col, gboolean mono)
{
	GtkCellRenderer *cell = gtk_cell_renderer_text_new();
	GtkTreeViewColumn *column =
	    gtk_tree_view_column_new_with_attributes(title, cell, "text", col, NULL);
	if (mono)
		g_object_set(cell, "family", "monospace", NULL);
	gtk_tree_view_column_set_resizable(column, TRUE);
	gtk_tree_view_append_column(self->segments_view, column);
}

static void
glint_file_panel_dispose(GObject *object)
{
	GlintFilePanel *self = GLINT_FILE_PANEL(object);
	if (self->load_cancellable != NULL)
		g_cancellable_cancel(self->load_cancellable);
	g_clear_object(&self->load_cancellable);
	if (self->monitor != NULL) {
		g_signal_handlers_disconnect_by_data(self->monitor, self);
		g_file_monitor_cancel(self->monitor);
		g_clear_object(&self->monitor);
	}
	if (self->base_dialog != NULL) {
		gtk_widget_destroy(GTK_WIDGET(self->base_dialog));
		self->base_dialog = NULL;
	}
	G_OBJECT_CLASS(glint_file_panel_parent_class)->dispose(object);
}

static void
glint_file_panel_finalize(GObject *object)
{
	GlintFilePanel *self = GLINT_FILE_PANEL(object);
	g_clear_pointer(&self->file, glint_firmware_file_unref);
	g_clear_object(&self->segments);
	g_free(self->warnings);
	g_free(self->program_problem);
	g_hash_table_unref(self->bases);
	G_OBJECT_CLASS(glint_file_panel_parent_class)->finalize(object);
}

static void
glint_file_panel_init(GlintFilePanel *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	for (guint i = 0; i < G_N_ELEMENTS(info_rows); i++) {
		GtkWidget *title = gtk_label_new(glint_tr(info_rows[i].title));
		GtkWidget *value = gtk_label_new("—");
		g_autofree gchar *name = g_strdup_printf("file-%s", info_rows[i].key);
		gtk_label_set_xalign(GTK_LABEL(title), 0);
		gtk_label_set_xalign(GTK_LABEL(value), 0);
		gtk_label_set_selectable(GTK_LABEL(value), TRUE);
		gtk_widget_set_can_focus(value, FALSE);
		gtk_widget_set_name(value, name);
		gtk_style_context_add_class(gtk_widget_get_style_context(title), "dim-label");
		gtk_grid_attach(self->info_grid, title, 0, (gint)i, 1, 1);
		gtk_grid_attach(self->info_grid, value, 1, (gint)i, 1, 1);
	}
	gtk_widget_show_all(GTK_WIDGET(self->info_grid));
	self->segments =
	    gtk_list_store_new(N_COLS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
	gtk_tree_view_set_model(self->segments_view, GTK_TREE_MODEL(self->segments));
	add_column(self, _("Start"), COL_START, TRUE);
	add_column(self, _("End"), COL_END, TRUE);
	add_column(self, _("Bytes"), COL_SIZE, TRUE);
	add_column(self, _("Origin"), COL_ORIGIN, FALSE);
	self->warnings = g_strdup("");
	self->bases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	glint_file_panel_set_recent(self, NULL);
}

static void
glint_file_panel_class_init(GlintFilePanelClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = glint_file_panel_dispose;
	object_class->finalize = glint_file_panel_finalize;
	signals[SIGNAL_IMAGE_LOADED] =
	    g_signal_new("image-loaded", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
	signals[SIGNAL_LOG] =
	    g_signal_new("log", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			 G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-file-panel.ui");
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, recent_button);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, path_label);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, reload_bar);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, info_grid);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, warnings_label);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, change_base_button);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, segments_view);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, verify_check);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, reset_run_check);
	gtk_widget_class_bind_template_child(widget_class, GlintFilePanel, smart_check);
	gtk_widget_class_bind_template_callback(widget_class, on_reload_bar_response);
	gtk_widget_class_bind_template_callback(widget_class, on_change_base_clicked);
}

GtkWidget *
glint_file_panel_new(void)
{
	return g_object_new(GLINT_TYPE_FILE_PANEL, NULL);
}
