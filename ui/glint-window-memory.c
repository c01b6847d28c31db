/* glint-window-memory.c: the memory editor of the window (issue 15): write a
 * byte, half-word or word, or fill a range, in SRAM, a peripheral, flash
 * (with the erase rule said and chosen) or the OTP area (once, after a
 * confirmation naming the bytes made permanent); and the live refresh of
 * the memory view. The work is done by core jobs. */
#define G_LOG_DOMAIN "glint-ui"

#include <string.h>

#include "glint-i18n.h"
#include "glint-window-private.h"

/* Typed to confirm OTP programming: it can never be undone. */
#define GLINT_OTP_PHRASE N_("make it permanent")

typedef struct {
	GtkWidget *address, *width, *value, *count, *where, *erase, *accept;
} EditDialog;

static gboolean
parse_hex32(const char *text, guint32 *value)
{
	guint64 v = 0;
	while (g_ascii_isspace(*text))
		text++;
	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X"))
		text += 2;
	if (!g_ascii_string_to_unsigned(text, 16, 0, G_MAXUINT32, &v, NULL))
		return FALSE;
	*value = (guint32)v;
	return TRUE;
}

static const GlintMemoryRegion *
region_at(const GlintChip *chip, guint32 address)
{
	for (guint i = 0; chip != NULL && i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (address >= r->base && (guint64)address < (guint64)r->base + r->size)
			return r;
	}
	return NULL;
}

/* What writing @len bytes at @address means on this chip, in words. */
static gchar *
describe_write(const GlintTargetInfo *info, guint32 address, guint32 len)
{
	const GlintFlashGeometry *g = &info->geometry;
	const GlintMemoryRegion *r;
	GlintFlashUnit unit;

	if (glint_geometry_unit_at(g, address, &unit)) {
		g_autofree gchar *where = glint_geometry_describe_unit(g, &unit);
		return g_strdup_printf(
		    _("Flash, %s. Flash is written %u bytes at a time, and only where it is erased "
		      "(reads 0x%02X). Where it holds data, Glint either erases the %s first, "
		      "keeping its other bytes, or refuses (nothing changes)."),
		    where, g->program_unit, g->erased_value, g->unit_name);
	}
	r = region_at(info->chip, address);
	if (r == NULL)
		return g_strdup(_("Not inside a memory region of this chip: nothing can be written "
				  "there."));
	switch (r->kind) {
	case GLINT_REGION_SRAM:
	case GLINT_REGION_PERIPHERALS:
		return g_strdup_printf(_("%s: written directly (an aligned word as one 32-bit "
					 "access, anything else byte by byte)."),
				       r->name);
	case GLINT_REGION_OTP: {
		guint32 start = 0, span = 0;
		if (!glint_target_info_otp_span(info, address, len, &start, &span, NULL))
			return g_strdup_printf(_("%s: the range leaves the OTP area."), r->name);
		return g_strdup_printf(_("%s: one-time programmable. Bytes 0x%08X-0x%08X become "
					 "permanent: they can never be erased or written again."),
				       r->name, start, start + span - 1);
	}
	case GLINT_REGION_EEPROM:
		return g_strdup_printf(_("%s: written through the flash interface, a byte, "
					 "half-word or word at a time; the chip erases each word "
					 "it changes by itself, so nothing else needs erasing."),
				       r->name);
	case GLINT_REGION_OPTIONS:
		return g_strdup_printf(_("%s: change them in the Option Bytes page, which checks "
					 "and reloads them."),
				       r->name);
	default:
		return g_strdup_printf(_("%s: read-only."), r->name);
	}
}

static EditDialog *
edit_of(GtkDialog *dialog)
{
	return g_object_get_data(G_OBJECT(dialog), "edit-dialog");
}

static guint
edit_width(EditDialog *ed)
{
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(ed->width));
	return id != NULL ? (guint)g_ascii_strtoull(id, NULL, 10) : 4;
}

/* Reads the fields; FALSE (with the reason in @problem) when one is wrong. */
static gboolean
edit_parse(EditDialog *ed, guint32 *address, guint32 *value, guint *width, guint32 *count,
	   gchar **problem)
{
	guint64 n = 0;
	*width = edit_width(ed);
	if (!parse_hex32(gtk_entry_get_text(GTK_ENTRY(ed->address)), address)) {
		*problem = g_strdup(_("The address is not hex (0x20000000)."));
		return FALSE;
	}
	if (*address % *width != 0) {
		*problem =
		    g_strdup_printf(_("A %u-byte value goes at an address that is a multiple "
				      "of %u."),
				    *width, *width);
		return FALSE;
	}
	if (!parse_hex32(gtk_entry_get_text(GTK_ENTRY(ed->value)), value) ||
	    (*width < 4 && *value >> (*width * 8) != 0)) {
		*problem = g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE, "The value must be hex and fit in %u byte.",
				"The value must be hex and fit in %u bytes.", *width),
		    *width);
		return FALSE;
	}
	if (!g_ascii_string_to_unsigned(gtk_entry_get_text(GTK_ENTRY(ed->count)), 10, 1,
					16 * 1024 * 1024 / *width, &n, NULL)) {
		*problem = g_strdup(_("The count is how many values to write: 1 or more."));
		return FALSE;
	}
	*count = (guint32)n;
	return TRUE;
}

static void
update_edit_dialog(GtkDialog *dialog)
{
	EditDialog *ed = edit_of(dialog);
	GlintWindow *self = g_object_get_data(G_OBJECT(dialog), "window");
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	guint32 address = 0, value = 0, count = 0;
	guint width = 4;
	g_autofree gchar *problem = NULL;
	g_autofree gchar *text = NULL;
	gboolean ok = info != NULL && edit_parse(ed, &address, &value, &width, &count, &problem);
	gboolean flash = ok && glint_geometry_contains(&info->geometry, address, 1);
	const GlintMemoryRegion *r = ok ? region_at(info->chip, address) : NULL;

	if (ok)
		text = describe_write(info, address, width * count);
	gtk_label_set_text(GTK_LABEL(ed->where), ok	   ? text
						 : problem ? problem
							   : _("Not connected"));
	gtk_widget_set_sensitive(ed->erase, flash);
	gtk_widget_set_sensitive(ed->accept, ok);
	gtk_button_set_label(GTK_BUTTON(ed->accept), r != NULL && r->kind == GLINT_REGION_OTP
							 ? _("_Program OTP…")
							 : _("_Write"));
}

typedef struct {
	guint32 address;
	GBytes *data;
} OtpData;

static void
otp_data_free(OtpData *od)
{
	g_bytes_unref(od->data);
	g_free(od);
}

static void
do_program_otp(GlintWindow *self, gpointer data)
{
	OtpData *od = data;
	GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_PROGRAM_OTP);
	job->address = od->address;
	job->data = g_bytes_ref(od->data);
	job->confirm = GLINT_CONFIRM_PERMANENT_LOCK;
	glint_window_start_job(self, job);
}

static GBytes *
values_bytes(guint32 value, guint width, guint32 count)
{
	guint8 *buf = g_malloc((gsize)width * count);
	for (guint32 i = 0; i < count; i++) {
		for (guint b = 0; b < width; b++)
			buf[i * width + b] = (value >> (8 * b)) & 0xFF;
	}
	return g_bytes_new_take(buf, (gsize)width * count);
}

static void
confirm_otp(GlintWindow *self, const GlintTargetInfo *info, guint32 address, GBytes *data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) body = g_string_new(NULL);
	guint32 start = 0, span = 0;
	gsize len = 0;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	OtpData *od;

	if (!glint_target_info_otp_span(info, address, len, &start, &span, &error)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING, _("OTP not programmed: %s"),
				 error->message);
		return;
	}
	g_string_append_printf(body,
			       _("The OTP area can be written once and never again: no erase, no "
				 "second write, not even by ST.\n\nThese bytes become permanent:\n"
				 "0x%08X-0x%08X (%u bytes, written %u at a time):\n"),
			       start, start + span - 1, span, info->geometry.program_unit);
	for (guint32 a = start; a < start + span; a++) {
		gboolean ours = a >= address && a < address + len;
		g_string_append_printf(body, "%s%02X",
				       (a - start) % 8 == 0 ? (a == start ? "  " : "\n  ") : " ",
				       ours ? bytes[a - address] : info->geometry.erased_value);
	}
	g_string_append_printf(
	    body,
	    _("\n\nBytes of those %u-byte units that you did not write stay 0x%02X "
	      "for ever."),
	    info->geometry.program_unit, info->geometry.erased_value);
	od = g_new0(OtpData, 1);
	od->address = address;
	od->data = g_bytes_ref(data);
	glint_window_confirm(self, _("Program OTP for Good?"), body->str, _("_Program OTP Forever"),
			     _(GLINT_OTP_PHRASE), do_program_otp, od,
			     (GDestroyNotify)otp_data_free);
}

static void
on_edit_dialog_response(GtkDialog *dialog, gint response, GlintWindow *self)
{
	EditDialog *ed = edit_of(dialog);
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	guint32 address = 0, value = 0, count = 0;
	guint width = 4;
	g_autofree gchar *problem = NULL;
	GlintFlashWritePolicy policy;
	const GlintMemoryRegion *r;
	GlintUiJob *job;

	if (response != GTK_RESPONSE_ACCEPT || info == NULL) {
		self->edit_dialog = NULL;
		gtk_widget_destroy(GTK_WIDGET(dialog));
		return;
	}
	if (!edit_parse(ed, &address, &value, &width, &count, &problem)) {
		gtk_label_set_text(GTK_LABEL(ed->where), problem);
		return; /* the dialog stays for a correction */
	}
	policy = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ed->erase))
		     ? GLINT_FLASH_WRITE_ERASE_UNIT
		     : GLINT_FLASH_WRITE_REFUSE_UNERASED;
	r = region_at(info->chip, address);
	self->edit_dialog = NULL;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (r != NULL && r->kind == GLINT_REGION_OTP) {
		g_autoptr(GBytes) data = values_bytes(value, width, count);
		confirm_otp(self, info, address, data);
		return;
	}
	if (count == 1) {
		job = glint_window_new_job(self, GLINT_UI_JOB_WRITE_MEMORY);
		job->data = values_bytes(value, width, 1);
	} else {
		job = glint_window_new_job(self, GLINT_UI_JOB_FILL_MEMORY);
		job->size = width * count;
		job->fill_value = value;
		job->fill_width = width;
	}
	job->address = address;
	job->write_policy = policy;
	glint_window_start_job(self, job);
}

static GtkWidget *
add_row(GtkGrid *grid, gint row, const char *label, GtkWidget *field, const char *name,
	const char *a11y)
{
	GtkWidget *l = gtk_label_new_with_mnemonic(label);
	gtk_label_set_xalign(GTK_LABEL(l), 0);
	gtk_label_set_mnemonic_widget(GTK_LABEL(l), field);
	gtk_widget_set_name(field, name);
	gtk_widget_set_hexpand(field, TRUE);
	atk_object_set_name(gtk_widget_get_accessible(field), a11y);
	gtk_grid_attach(grid, l, 0, row, 1, 1);
	gtk_grid_attach(grid, field, 1, row, 1, 1);
	return field;
}

GtkDialog *
glint_window_open_memory_editor(GlintWindow *self, guint32 address)
{
	GtkWidget *dialog;
	GtkWidget *area, *grid;
	EditDialog *ed;
	g_autofree gchar *text = g_strdup_printf("0x%08X", address);

	if (self->edit_dialog != NULL) {
		gtk_window_present(GTK_WINDOW(self->edit_dialog));
		return self->edit_dialog;
	}
	dialog = gtk_dialog_new_with_buttons(_("Edit Memory"), GTK_WINDOW(self),
					     GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
					     _("_Cancel"), GTK_RESPONSE_CANCEL, NULL);
	area = gtk_dialog_get_content_area(GTK_DIALOG(dialog));
	grid = gtk_grid_new();
	ed = g_new0(EditDialog, 1);
	g_object_set_data_full(G_OBJECT(dialog), "edit-dialog", ed, g_free);
	g_object_set_data(G_OBJECT(dialog), "window", self);
	gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
	gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
	gtk_container_set_border_width(GTK_CONTAINER(area), 12);
	gtk_box_set_spacing(GTK_BOX(area), 8);

	ed->address = add_row(GTK_GRID(grid), 0, _("_Address"), gtk_entry_new(),
			      "memory-edit-address", _("Address to write"));
	gtk_entry_set_text(GTK_ENTRY(ed->address), text);
	ed->width = add_row(GTK_GRID(grid), 1, _("_Size"), gtk_combo_box_text_new(),
			    "memory-edit-width", _("Value size"));
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(ed->width), "1", _("Byte (8-bit)"));
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(ed->width), "2", _("Half-word (16-bit)"));
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(ed->width), "4", _("Word (32-bit)"));
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(ed->width), "4");
	ed->value = add_row(GTK_GRID(grid), 2, _("_Value (hex)"), gtk_entry_new(),
			    "memory-edit-value", _("Value to write"));
	ed->count = add_row(GTK_GRID(grid), 3, _("_Count"), gtk_entry_new(), "memory-edit-count",
			    _("How many values"));
	gtk_entry_set_text(GTK_ENTRY(ed->count), "1");
	gtk_widget_set_tooltip_text(ed->count, _("1 writes one value; more fills the range after "
						 "the address with it"));
	ed->where = gtk_label_new(NULL);
	gtk_widget_set_name(ed->where, "memory-edit-where");
	gtk_label_set_xalign(GTK_LABEL(ed->where), 0);
	gtk_label_set_line_wrap(GTK_LABEL(ed->where), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(ed->where), 60);
	gtk_grid_attach(GTK_GRID(grid), ed->where, 0, 4, 2, 1);
	ed->erase = gtk_check_button_new_with_mnemonic(
	    _("_Erase the flash unit first where needed (its other bytes are kept)"));
	gtk_widget_set_name(ed->erase, "memory-edit-erase");
	atk_object_set_name(gtk_widget_get_accessible(ed->erase), _("Erase flash unit first"));
	gtk_grid_attach(GTK_GRID(grid), ed->erase, 0, 5, 2, 1);
	gtk_container_add(GTK_CONTAINER(area), grid);
	ed->accept = gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Write"), GTK_RESPONSE_ACCEPT);
	gtk_widget_set_name(ed->accept, "memory-edit-accept");
	atk_object_set_name(gtk_widget_get_accessible(ed->accept), _("Write memory"));
	gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);

	g_signal_connect_swapped(ed->address, "changed", G_CALLBACK(update_edit_dialog), dialog);
	g_signal_connect_swapped(ed->value, "changed", G_CALLBACK(update_edit_dialog), dialog);
	g_signal_connect_swapped(ed->count, "changed", G_CALLBACK(update_edit_dialog), dialog);
	g_signal_connect_swapped(ed->width, "changed", G_CALLBACK(update_edit_dialog), dialog);
	g_signal_connect(dialog, "response", G_CALLBACK(on_edit_dialog_response), self);
	self->edit_dialog = GTK_DIALOG(dialog);
	gtk_widget_show_all(dialog);
	update_edit_dialog(GTK_DIALOG(dialog));
	return GTK_DIALOG(dialog);
}

GtkDialog *
glint_window_get_edit_dialog(GlintWindow *self)
{
	return self->edit_dialog;
}

static void
action_edit_memory(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	guint32 address = 0;
	if (info == NULL)
		return;
	if (!glint_memory_view_get_selection(self->memory_view, &address))
		address = glint_memory_view_get_size(self->memory_view) > 0
			      ? glint_memory_view_get_base(self->memory_view)
			      : info->chip->sram_base;
	glint_window_open_memory_editor(self, address);
}

/* Live refresh: a read of the region shown, whenever the probe is free (a
 * tick while another job runs is simply skipped). */
static void
on_memory_live_tick(GlintMemoryView *view, GlintWindow *self)
{
	guint32 address = 0, size = 0;
	GlintUiJob *job;
	/* nor while the Target tab's worker holds the probe: it would stop */
	if (self->busy || self->confirm_dialog != NULL || !glint_window_is_connected(self) ||
	    glint_target_view_is_running(self->target_view))
		return;
	glint_memory_view_get_request(view, &address, &size);
	if (size == 0)
		return;
	job = glint_window_new_job(self, GLINT_UI_JOB_READ);
	job->address = address;
	job->size = size;
	job->quiet = TRUE;
	glint_window_start_job(self, job);
}

static const GActionEntry memory_actions[] = {
    {"edit-memory", action_edit_memory, NULL, NULL, NULL, {0}},
};

void
glint_window_add_memory_actions(GlintWindow *self)
{
	g_action_map_add_action_entries(G_ACTION_MAP(self), memory_actions,
					G_N_ELEMENTS(memory_actions), self);
	g_signal_connect(self->memory_view, "live-tick", G_CALLBACK(on_memory_live_tick), self);
}
