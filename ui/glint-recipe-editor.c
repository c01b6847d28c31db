/* glint-recipe-editor.c: the recipe editor dialog (see the header): fields
 * to and from GlintRecipeSettings, the image's CRC-32 shown as the file is
 * chosen, and a Save that writes only a recipe the station would load. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-recipe-editor.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

struct _GlintRecipeEditor {
	GtkDialog parent_instance;
	GtkLabel *error_label;
	gchar *path;	       /* the recipe file; NULL until saved somewhere */
	gboolean have_old_crc; /* the recipe as opened named an image CRC */
	guint32 old_crc;
	gboolean crc_ok; /* the image file exists and was read */
	guint32 crc;
	gboolean filling; /* fields set from a recipe: no reaction */
};

G_DEFINE_TYPE(GlintRecipeEditor, glint_recipe_editor, GTK_TYPE_DIALOG)

static GtkWidget *
field(GlintRecipeEditor *self, const char *id)
{
	GObject *child =
	    gtk_widget_get_template_child(GTK_WIDGET(self), GLINT_TYPE_RECIPE_EDITOR, id);
	g_assert(child != NULL);
	return GTK_WIDGET(child);
}

static const char *
text_of(GlintRecipeEditor *self, const char *id)
{
	return gtk_entry_get_text(GTK_ENTRY(field(self, id)));
}

static void
set_text(GlintRecipeEditor *self, const char *id, const char *text)
{
	gtk_entry_set_text(GTK_ENTRY(field(self, id)), text != NULL ? text : "");
}

static void
set_hex(GlintRecipeEditor *self, const char *id, guint32 value)
{
	g_autofree gchar *text = g_strdup_printf("0x%08X", value);
	set_text(self, id, text);
}

static void
set_u64(GlintRecipeEditor *self, const char *id, guint64 value)
{
	g_autofree gchar *text = g_strdup_printf("%" G_GUINT64_FORMAT, value);
	set_text(self, id, text);
}

static gboolean
is_checked(GlintRecipeEditor *self, const char *id)
{
	return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(field(self, id)));
}

/* The folder relative paths in the recipe are read from. */
static gchar *
recipe_dir(GlintRecipeEditor *self)
{
	return self->path != NULL ? g_path_get_dirname(self->path) : g_get_current_dir();
}

static gchar *
resolve(GlintRecipeEditor *self, const char *path)
{
	g_autofree gchar *dir = NULL;
	if (g_path_is_absolute(path))
		return g_strdup(path);
	dir = recipe_dir(self);
	return g_build_filename(dir, path, NULL);
}

/* A file inside the recipe's folder is named relative to it: the recipe
 * and its files can move together. */
static gchar *
relative_to_recipe(GlintRecipeEditor *self, const char *path)
{
	g_autofree gchar *dir = recipe_dir(self);
	g_autofree gchar *prefix = g_strconcat(dir, G_DIR_SEPARATOR_S, NULL);
	if (g_str_has_prefix(path, prefix))
		return g_strdup(path + strlen(prefix));
	return g_strdup(path);
}

/* ---- what the fields show ----------------------------------------------------- */

static void
update_crc(GlintRecipeEditor *self)
{
	GtkLabel *label = GTK_LABEL(field(self, "recipe_image_crc"));
	const char *image = text_of(self, "recipe_image");
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;

	self->crc_ok = FALSE;
	if (*image == '\0') {
		gtk_label_set_text(label, _("Choose the firmware file"));
		return;
	}
	path = resolve(self, image);
	if (!glint_recipe_file_crc32(path, &self->crc, &error)) {
		gtk_label_set_text(label, error->message);
		return;
	}
	self->crc_ok = TRUE;
	if (self->have_old_crc && self->old_crc != self->crc)
		text = g_strdup_printf(_("CRC-32 0x%08X — the recipe said 0x%08X: the file has "
					 "changed; saving takes it as it is now"),
				       self->crc, self->old_crc);
	else
		text = g_strdup_printf(_("CRC-32 0x%08X (it goes into the recipe: a changed file "
					 "is refused)"),
				       self->crc);
	gtk_label_set_text(label, text);
}

static void
update_sensitivity(GlintRecipeEditor *self)
{
	static const char *const serial_fields[] = {"recipe_serial_address", "recipe_serial_first",
						    "recipe_serial_step", "recipe_serial_format"};
	static const char *const unique_fields[] = {
	    "recipe_unique_file",    "recipe_unique_choose",   "recipe_unique_column",
	    "recipe_unique_address", "recipe_unique_encoding", "recipe_unique_size"};
	gboolean serial = is_checked(self, "recipe_serial_enable");
	gboolean unique = is_checked(self, "recipe_unique_enable");
	gboolean text = g_strcmp0(gtk_combo_box_get_active_id(
				      GTK_COMBO_BOX(field(self, "recipe_serial_format"))),
				  "text") == 0;

	for (guint i = 0; i < G_N_ELEMENTS(serial_fields); i++)
		gtk_widget_set_sensitive(field(self, serial_fields[i]), serial);
	gtk_widget_set_sensitive(field(self, "recipe_serial_pattern"), serial && text);
	gtk_widget_set_sensitive(field(self, "recipe_serial_size"), serial && text);
	for (guint i = 0; i < G_N_ELEMENTS(unique_fields); i++)
		gtk_widget_set_sensitive(field(self, unique_fields[i]), unique);
}

static void
on_field_changed(GtkWidget *widget, GlintRecipeEditor *self)
{
	if (self->filling)
		return;
	if (widget == field(self, "recipe_image"))
		update_crc(self);
	gtk_label_set_text(self->error_label, "");
	update_sensitivity(self);
}

static void
fill(GlintRecipeEditor *self, const GlintRecipeSettings *s)
{
	g_autofree gchar *options = s->options != NULL ? g_strjoinv("; ", s->options) : NULL;
	g_autofree gchar *rdp = g_strdup_printf("%u", s->rdp_level);

	self->filling = TRUE;
	set_text(self, "recipe_name", s->name);
	set_text(self, "recipe_chip", s->chip);
	set_text(self, "recipe_image", s->image);
	if (s->image_base_set)
		set_hex(self, "recipe_base", s->image_base);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(field(self, "recipe_erase")),
				    s->erase == GLINT_RECIPE_ERASE_ALL ? "all" : "image");
	set_text(self, "recipe_options", options);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(field(self, "recipe_serial_enable")),
				     s->serial_format != GLINT_SERIAL_NONE);
	if (s->serial_format != GLINT_SERIAL_NONE) {
		set_hex(self, "recipe_serial_address", s->serial_address);
		set_u64(self, "recipe_serial_first", s->serial_first);
		set_u64(self, "recipe_serial_step", s->serial_step);
	}
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(field(self, "recipe_serial_format")),
				    s->serial_format == GLINT_SERIAL_U64LE  ? "u64le"
				    : s->serial_format == GLINT_SERIAL_TEXT ? "text"
									    : "u32le");
	set_text(self, "recipe_serial_pattern", s->serial_pattern);
	if (s->serial_size > 0)
		set_u64(self, "recipe_serial_size", s->serial_size);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(field(self, "recipe_unique_enable")),
				     s->unique_encoding != GLINT_UNIQUE_NONE);
	set_text(self, "recipe_unique_file", s->unique_file);
	set_text(self, "recipe_unique_column", s->unique_column);
	if (s->unique_encoding != GLINT_UNIQUE_NONE)
		set_hex(self, "recipe_unique_address", s->unique_address);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(field(self, "recipe_unique_encoding")),
				    s->unique_encoding == GLINT_UNIQUE_TEXT ? "text" : "hex");
	if (s->unique_size > 0)
		set_u64(self, "recipe_unique_size", s->unique_size);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(field(self, "recipe_rdp")), rdp);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(field(self, "recipe_reset")), s->reset_run);
	self->filling = FALSE;
	update_crc(self);
	update_sensitivity(self);
}

/* ---- fields to settings -------------------------------------------------------- */

static gboolean
parse_number(GlintRecipeEditor *self, const char *id, const char *what, guint64 max,
	     gboolean required, guint64 *value, gboolean *given, GError **error)
{
	g_autofree gchar *text = g_strstrip(g_strdup(text_of(self, id)));
	const char *digits = text;
	guint base = 10;
	gchar *end = NULL;

	*given = FALSE;
	if (*text == '\0') {
		if (!required)
			return TRUE;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s: give a number"), what);
		return FALSE;
	}
	if (g_ascii_strncasecmp(text, "0x", 2) == 0) {
		digits = text + 2;
		base = 16;
	}
	errno = 0;
	*value = g_ascii_strtoull(digits, &end, base);
	if (*digits == '\0' || !g_ascii_isxdigit(*digits) || errno != 0 || *end != '\0' ||
	    *value > max) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%s: '%s' is not a number from 0 to %" PRIu64 " (decimal, or hex with 0x)"),
		    what, text, max);
		return FALSE;
	}
	*given = TRUE;
	return TRUE;
}

static gboolean
collect_serial(GlintRecipeEditor *self, GlintRecipeSettings *s, GError **error)
{
	const char *format =
	    gtk_combo_box_get_active_id(GTK_COMBO_BOX(field(self, "recipe_serial_format")));
	guint64 v = 0;
	gboolean given;

	if (!is_checked(self, "recipe_serial_enable"))
		return TRUE;
	s->serial_format = g_strcmp0(format, "u64le") == 0  ? GLINT_SERIAL_U64LE
			   : g_strcmp0(format, "text") == 0 ? GLINT_SERIAL_TEXT
							    : GLINT_SERIAL_U32LE;
	if (!parse_number(self, "recipe_serial_address", _("Serial number address"), G_MAXUINT32,
			  TRUE, &v, &given, error))
		return FALSE;
	s->serial_address = (guint32)v;
	if (!parse_number(self, "recipe_serial_first", _("First serial number"), G_MAXUINT64, TRUE,
			  &s->serial_first, &given, error))
		return FALSE;
	if (!parse_number(self, "recipe_serial_step", _("Serial number step"), G_MAXUINT32, FALSE,
			  &v, &given, error))
		return FALSE;
	s->serial_step = given ? v : 1;
	if (s->serial_format != GLINT_SERIAL_TEXT)
		return TRUE;
	s->serial_pattern = g_strstrip(g_strdup(text_of(self, "recipe_serial_pattern")));
	if (!parse_number(self, "recipe_serial_size", _("Serial number size"),
			  GLINT_RECIPE_FIELD_MAX, FALSE, &v, &given, error))
		return FALSE;
	s->serial_size = given ? (guint)v : 0;
	return TRUE;
}

static gboolean
collect_unique(GlintRecipeEditor *self, GlintRecipeSettings *s, gboolean absolute, GError **error)
{
	const char *encoding =
	    gtk_combo_box_get_active_id(GTK_COMBO_BOX(field(self, "recipe_unique_encoding")));
	const char *file = text_of(self, "recipe_unique_file");
	guint64 v = 0;
	gboolean given;

	if (!is_checked(self, "recipe_unique_enable"))
		return TRUE;
	s->unique_encoding =
	    g_strcmp0(encoding, "text") == 0 ? GLINT_UNIQUE_TEXT : GLINT_UNIQUE_HEX;
	if (*file == '\0') {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Unique data: choose the CSV file"));
		return FALSE;
	}
	s->unique_file = absolute ? resolve(self, file) : g_strdup(file);
	s->unique_column = g_strstrip(g_strdup(text_of(self, "recipe_unique_column")));
	if (!parse_number(self, "recipe_unique_address", _("Unique data address"), G_MAXUINT32,
			  TRUE, &v, &given, error))
		return FALSE;
	s->unique_address = (guint32)v;
	if (!parse_number(self, "recipe_unique_size", _("Unique data size"), GLINT_RECIPE_FIELD_MAX,
			  FALSE, &v, &given, error))
		return FALSE;
	s->unique_size = given ? (guint)v : 0;
	return TRUE;
}

/* The recipe the fields make; with @absolute, its files named so that it
 * can be checked from anywhere. */
static gboolean
collect(GlintRecipeEditor *self, GlintRecipeSettings *s, gboolean absolute, GError **error)
{
	const char *image = text_of(self, "recipe_image");
	const char *rdp = gtk_combo_box_get_active_id(GTK_COMBO_BOX(field(self, "recipe_rdp")));
	g_auto(GStrv) edits = g_strsplit(text_of(self, "recipe_options"), ";", -1);
	g_autoptr(GPtrArray) options = g_ptr_array_new_with_free_func(g_free);
	guint64 v = 0;

	glint_recipe_settings_init(s);
	s->name = g_strstrip(g_strdup(text_of(self, "recipe_name")));
	if (*s->name == '\0')
		g_clear_pointer(&s->name, g_free);
	s->chip = g_strstrip(g_strdup(text_of(self, "recipe_chip")));
	if (*s->chip == '\0') {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Chip: give the part every board carries, e.g. STM32L476RG"));
		return FALSE;
	}
	if (*image == '\0' || !self->crc_ok) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Image: choose a firmware file that exists"));
		return FALSE;
	}
	s->image = absolute ? resolve(self, image) : g_strdup(image);
	s->image_crc = self->crc;
	if (!parse_number(self, "recipe_base", _("Raw image base"), G_MAXUINT32, FALSE, &v,
			  &s->image_base_set, error))
		return FALSE;
	s->image_base = (guint32)v;
	s->erase =
	    g_strcmp0(gtk_combo_box_get_active_id(GTK_COMBO_BOX(field(self, "recipe_erase"))),
		      "all") == 0
		? GLINT_RECIPE_ERASE_ALL
		: GLINT_RECIPE_ERASE_IMAGE;
	for (guint i = 0; edits[i] != NULL; i++) {
		gchar *edit = g_strstrip(edits[i]);
		if (*edit != '\0')
			g_ptr_array_add(options, g_strdup(edit));
	}
	if (options->len > 0) {
		g_ptr_array_add(options, NULL);
		s->options = (GStrv)g_ptr_array_free(g_steal_pointer(&options), FALSE);
	}
	s->rdp_level = rdp != NULL ? (guint)g_ascii_strtoull(rdp, NULL, 10) : 0;
	s->reset_run = is_checked(self, "recipe_reset");
	return collect_serial(self, s, error) && collect_unique(self, s, absolute, error);
}

/* ---- saving ------------------------------------------------------------------------ */

static void
show_error(GlintRecipeEditor *self, const GError *error)
{
	gtk_label_set_text(self->error_label, error->message);
}

static gboolean
ask_path(GlintRecipeEditor *self)
{
	g_autoptr(GtkFileChooserNative) chooser =
	    gtk_file_chooser_native_new(_("Save the Recipe"), GTK_WINDOW(self),
					GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
	GtkFileFilter *filter = gtk_file_filter_new();
	g_autofree gchar *name = NULL;

	gtk_file_filter_set_name(filter, _("Production recipes"));
	gtk_file_filter_add_pattern(filter, "*" GLINT_RECIPE_EXTENSION);
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(chooser), filter);
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(chooser), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(chooser), "line" GLINT_RECIPE_EXTENSION);
	if (gtk_native_dialog_run(GTK_NATIVE_DIALOG(chooser)) != GTK_RESPONSE_ACCEPT)
		return FALSE;
	name = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(chooser));
	if (name == NULL)
		return FALSE;
	if (!g_str_has_suffix(name, GLINT_RECIPE_EXTENSION)) {
		gchar *with = g_strconcat(name, GLINT_RECIPE_EXTENSION, NULL);
		g_free(name);
		name = with;
	}
	glint_recipe_editor_set_path(self, name);
	return TRUE;
}

/* Writes the recipe with its files named absolutely beside the target and
 * loads it as the station would; the message names the target file. */
static gboolean
check_as_station(GlintRecipeEditor *self, GError **error)
{
	g_auto(GlintRecipeSettings) check = {0};
	g_autofree gchar *dir = recipe_dir(self);
	g_autofree gchar *base = g_path_get_basename(self->path);
	g_autofree gchar *name = g_strdup_printf(".%s.check", base);
	g_autofree gchar *tmp = g_build_filename(dir, name, NULL);
	g_autoptr(GlintRecipe) recipe = NULL;
	g_autoptr(GError) local = NULL;

	if (!collect(self, &check, TRUE, error) || !glint_recipe_settings_write(&check, tmp, error))
		return FALSE;
	recipe = glint_recipe_load(tmp, NULL, &local);
	g_unlink(tmp);
	if (recipe == NULL) {
		g_autoptr(GString) message = g_string_new(local->message);
		g_string_replace(message, tmp, self->path, 0);
		g_set_error_literal(error, GLINT_ERROR, local->code, message->str);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_recipe_editor_save(GlintRecipeEditor *self, GError **error)
{
	g_auto(GlintRecipeSettings) s = {0};
	g_autoptr(GError) local = NULL;

	if (self->path == NULL && !ask_path(self)) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_CANCELLED,
				    _("Not saved: no file was chosen"));
		return FALSE;
	}
	if (!check_as_station(self, &local) || !collect(self, &s, FALSE, &local) ||
	    !glint_recipe_settings_write(&s, self->path, &local)) {
		show_error(self, local);
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	self->have_old_crc = TRUE;
	self->old_crc = s.image_crc;
	gtk_label_set_text(self->error_label, "");
	return TRUE;
}

static void
on_response(GtkDialog *dialog, gint response, GlintRecipeEditor *self)
{
	if (response != GTK_RESPONSE_APPLY)
		return;
	if (glint_recipe_editor_save(self, NULL))
		gtk_dialog_response(dialog, GTK_RESPONSE_ACCEPT);
}

static void
on_choose_clicked(GtkButton *button, GlintRecipeEditor *self)
{
	gboolean image = GTK_WIDGET(button) == field(self, "recipe_image_choose");
	g_autoptr(GtkFileChooserNative) chooser = gtk_file_chooser_native_new(
	    image ? _("Choose the Firmware") : _("Choose the Unique Data"), GTK_WINDOW(self),
	    GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
	g_autofree gchar *dir = recipe_dir(self);
	g_autofree gchar *chosen = NULL;
	g_autofree gchar *shown = NULL;

	gtk_file_chooser_set_current_folder(GTK_FILE_CHOOSER(chooser), dir);
	if (gtk_native_dialog_run(GTK_NATIVE_DIALOG(chooser)) != GTK_RESPONSE_ACCEPT)
		return;
	chosen = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(chooser));
	if (chosen == NULL)
		return;
	shown = relative_to_recipe(self, chosen);
	set_text(self, image ? "recipe_image" : "recipe_unique_file", shown);
}

void
glint_recipe_editor_set_path(GlintRecipeEditor *self, const char *path)
{
	g_free(self->path);
	self->path = path != NULL ? g_canonicalize_filename(path, NULL) : NULL;
	gtk_window_set_title(GTK_WINDOW(self),
			     path != NULL ? self->path : _("New Production Recipe"));
	update_crc(self);
}

const char *
glint_recipe_editor_get_path(GlintRecipeEditor *self)
{
	return self->path;
}

const char *
glint_recipe_editor_get_error(GlintRecipeEditor *self)
{
	return gtk_label_get_text(self->error_label);
}

GlintRecipeEditor *
glint_recipe_editor_new(GtkWindow *parent, const char *path)
{
	GlintRecipeEditor *self =
	    g_object_new(GLINT_TYPE_RECIPE_EDITOR, "use-header-bar", FALSE, NULL);
	g_auto(GlintRecipeSettings) s = {0};
	g_autoptr(GError) error = NULL;

	if (parent != NULL)
		gtk_window_set_transient_for(GTK_WINDOW(self), parent);
	glint_recipe_settings_init(&s);
	glint_recipe_editor_set_path(self, path);
	if (path != NULL && !glint_recipe_settings_read(path, &s, &error)) {
		show_error(self, error);
		glint_recipe_settings_init(&s);
	} else if (path != NULL) {
		self->have_old_crc = TRUE;
		self->old_crc = s.image_crc;
	}
	fill(self, &s);
	return self;
}

static void
glint_recipe_editor_finalize(GObject *object)
{
	GlintRecipeEditor *self = GLINT_RECIPE_EDITOR(object);
	g_free(self->path);
	G_OBJECT_CLASS(glint_recipe_editor_parent_class)->finalize(object);
}

static void
glint_recipe_editor_init(GlintRecipeEditor *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	g_signal_connect(self, "response", G_CALLBACK(on_response), self);
}

static void
glint_recipe_editor_class_init(GlintRecipeEditorClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	static const char *const children[] = {
	    "recipe_name",
	    "recipe_chip",
	    "recipe_image",
	    "recipe_image_choose",
	    "recipe_image_crc",
	    "recipe_base",
	    "recipe_erase",
	    "recipe_options",
	    "recipe_serial_enable",
	    "recipe_serial_address",
	    "recipe_serial_first",
	    "recipe_serial_step",
	    "recipe_serial_format",
	    "recipe_serial_pattern",
	    "recipe_serial_size",
	    "recipe_unique_enable",
	    "recipe_unique_file",
	    "recipe_unique_choose",
	    "recipe_unique_column",
	    "recipe_unique_address",
	    "recipe_unique_encoding",
	    "recipe_unique_size",
	    "recipe_rdp",
	    "recipe_reset",
	};

	G_OBJECT_CLASS(klass)->finalize = glint_recipe_editor_finalize;
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-recipe-editor.ui");
	for (guint i = 0; i < G_N_ELEMENTS(children); i++)
		gtk_widget_class_bind_template_child_full(widget_class, children[i], FALSE, 0);
	gtk_widget_class_bind_template_child(widget_class, GlintRecipeEditor, error_label);
	gtk_widget_class_bind_template_callback(widget_class, on_field_changed);
	gtk_widget_class_bind_template_callback(widget_class, on_choose_clicked);
}
