/* glint-window-actions.c: what the window's actions do: connect, erase,
 * program, verify, reset, diagnose, memory export, option bytes, fixes, file
 * opening, preferences and about. Each checks its input, asks when the chip
 * would lose data, and hands the work to a job. */
#define G_LOG_DOMAIN "glint-ui"

#include <errno.h>
#include <glib/gstdio.h>

#include "glint-board-state.h"
#include "glint-erase-dialog.h"
#include "glint-i18n.h"
#include "glint-settings.h"
#include "glint-window-private.h"

static void
action_connect(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (glint_window_is_connected(self)) {
		glint_window_start_job(self, glint_window_new_job(self, GLINT_UI_JOB_DISCONNECT));
		return;
	}
	glint_window_start_connect(self);
}

static void
do_erase(GlintWindow *self, gpointer data)
{
	GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_ERASE_MASS);
	job->confirm = GLINT_CONFIRM_RISKY;
	glint_window_start_job(self, job);
}

static void
do_erase_bank(GlintWindow *self, gpointer data)
{
	GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_ERASE_BANK);
	job->bank = GPOINTER_TO_UINT(data);
	job->confirm = GLINT_CONFIRM_RISKY;
	glint_window_start_job(self, job);
}

static void
confirm_mass_erase(GlintWindow *self, const GlintTargetInfo *info)
{
	g_autofree gchar *shape = glint_geometry_describe(&info->geometry);
	g_autofree gchar *body = g_strdup_printf(
	    _("A mass erase sets every byte of the flash (%s) to 0x%02X. The firmware on the "
	      "chip is gone afterwards; this cannot be undone."),
	    shape, info->geometry.erased_value);
	glint_window_confirm(self, _("Erase the Whole Flash?"), body, _("_Erase Everything"), NULL,
			     do_erase, NULL, NULL);
}

static void
confirm_bank_erase(GlintWindow *self, const GlintTargetInfo *info, guint physical)
{
	gint b = glint_geometry_bank_of_physical(&info->geometry, physical);
	g_autofree gchar *body = NULL;
	g_autofree gchar *label = g_strdup_printf(_("_Erase Bank %u"), physical + 1);
	if (b < 0)
		return;
	body = g_strdup_printf(
	    _("Erasing bank %u sets its %u %s (0x%08X-0x%08X) to 0x%02X. "
	      "What it holds is gone afterwards; this cannot be undone."),
	    physical + 1, info->geometry.banks[b].n_units,
	    glint_geometry_unit_noun(&info->geometry, info->geometry.banks[b].n_units),
	    info->geometry.banks[b].base,
	    info->geometry.banks[b].base + info->geometry.banks[b].size - 1,
	    info->geometry.erased_value);
	glint_window_confirm(self, _("Erase a Whole Bank?"), body, label, NULL, do_erase_bank,
			     GUINT_TO_POINTER(physical), NULL);
}

static void
on_erase_dialog_response(GtkDialog *dialog, gint response, GlintWindow *self)
{
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	GlintEraseChoice choice = glint_erase_dialog_get_choice(dialog);
	guint bank = glint_erase_dialog_get_bank(dialog);
	g_autoptr(GArray) units = glint_erase_dialog_get_units(dialog);

	self->erase_dialog = NULL;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	if (response != GTK_RESPONSE_ACCEPT || info == NULL || !glint_window_is_connected(self))
		return;
	if (self->busy) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Erase not started: another job is running."));
		return;
	}
	switch (choice) {
	case GLINT_ERASE_CHOICE_MASS:
		confirm_mass_erase(self, info);
		break;
	case GLINT_ERASE_CHOICE_BANK:
		confirm_bank_erase(self, info, bank);
		break;
	case GLINT_ERASE_CHOICE_UNITS: {
		GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_ERASE_UNITS);
		job->units = g_steal_pointer(&units);
		glint_window_start_job(self, job);
		break;
	}
	}
}

/* On a read-protected chip nothing can be erased or programmed through the
 * debugger: the one thing that helps is offered at once, instead of a
 * question whose answer can only fail. TRUE when it took over. */
gboolean
glint_window_offer_rdp_fix(GlintWindow *self, const char *what)
{
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	if (info == NULL || info->rdp_level == 0)
		return FALSE;
	if (info->rdp_level >= 2) {
		glint_window_log(self, G_LOG_LEVEL_CRITICAL,
				 _("%s is impossible: read protection level 2 locks the %s for "
				   "good; no debugger can erase or program it again."),
				 what, info->chip != NULL ? info->chip->name : _("chip"));
		return TRUE;
	}
	glint_window_request_fix(self, GLINT_FIX_REGRESS_RDP);
	return TRUE;
}

static void
action_erase(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	GtkDialog *dialog;
	GlintUiJob *job;

	if (info == NULL || glint_window_offer_rdp_fix(self, _("Erasing")))
		return;
	if (self->erase_dialog != NULL) {
		gtk_window_present(GTK_WINDOW(self->erase_dialog));
		return;
	}
	dialog =
	    glint_erase_dialog_new(GTK_WINDOW(self), info->chip, &info->geometry, &info->options);
	self->erase_dialog = dialog;
	g_signal_connect(dialog, "response", G_CALLBACK(on_erase_dialog_response), self);
	gtk_widget_show(GTK_WIDGET(dialog));
	/* What each unit holds is read now, while the user looks at the list. */
	job = glint_window_new_job(self, GLINT_UI_JOB_BLANK_CHECK);
	if (!glint_window_start_job(self, job))
		glint_erase_dialog_set_blank(dialog, NULL, _("another job is running"));
}

static void
action_program(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GlintImage *image = glint_file_panel_get_image(self->file_panel);
	GlintUiJob *job;
	if (image == NULL) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Open a firmware file first (Ctrl+O)."));
		return;
	}
	if (glint_window_offer_rdp_fix(self, _("Programming")))
		return;
	job = glint_window_new_job(self, GLINT_UI_JOB_PROGRAM);
	job->image = glint_image_ref(image);
	job->file = glint_firmware_file_ref(glint_file_panel_get_file(self->file_panel));
	glint_file_panel_get_program_options(self->file_panel, &job->program_options);
	glint_window_start_job(self, job);
}

static void
action_verify(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GlintImage *image = glint_file_panel_get_image(self->file_panel);
	GlintUiJob *job;
	if (image == NULL) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Open a firmware file first (Ctrl+O)."));
		return;
	}
	job = glint_window_new_job(self, GLINT_UI_JOB_VERIFY);
	job->image = glint_image_ref(image);
	job->file = glint_firmware_file_ref(glint_file_panel_get_file(self->file_panel));
	glint_window_start_job(self, job);
}

static void
action_reset(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_RESET);
	GlintConnectOptions options;
	glint_device_panel_get_connect_options(self->device_panel, &options);
	job->reset_mode = options.reset_mode;
	glint_window_start_job(self, job);
}

static void
action_diagnose(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	glint_window_start_job(self, glint_window_new_job(self, GLINT_UI_JOB_DIAGNOSE));
}

static void
action_read_options(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	glint_window_start_job(self, glint_window_new_job(self, GLINT_UI_JOB_READ_OPTIONS));
}

static void
action_cancel(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (self->cancellable == NULL)
		return;
	glint_window_log(self, G_LOG_LEVEL_INFO, _("Cancelling at the next safe point…"));
	g_cancellable_cancel(self->cancellable);
}

void
glint_window_read_memory(GlintWindow *self, guint32 address, guint32 size)
{
	GlintUiJob *job;
	if (!glint_window_is_connected(self)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Connect to a target to read its memory."));
		return;
	}
	job = glint_window_new_job(self, GLINT_UI_JOB_READ);
	job->address = address;
	job->size = size;
	glint_window_start_job(self, job);
}

static void
action_refresh_memory(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	guint32 address = 0, size = 0;
	glint_memory_view_get_request(self->memory_view, &address, &size);
	if (size == 0) {
		const GlintTargetInfo *info = glint_session_get_target_info(self->session);
		if (info == NULL)
			return;
		address = info->geometry.base;
		size = info->geometry.size;
	}
	glint_window_read_memory(self, address, size);
}

static gboolean
parse_number(const char *text, guint32 *value)
{
	guint64 v = 0;
	const char *p = text;
	while (g_ascii_isspace(*p))
		p++;
	if (g_str_has_prefix(p, "0x") || g_str_has_prefix(p, "0X")) {
		if (!g_ascii_string_to_unsigned(p + 2, 16, 0, G_MAXUINT32, &v, NULL))
			return FALSE;
	} else if (!g_ascii_string_to_unsigned(p, 10, 0, G_MAXUINT32, &v, NULL)) {
		return FALSE;
	}
	*value = (guint32)v;
	return TRUE;
}

static void
on_export_dialog_response(GtkDialog *dialog, gint response, GlintWindow *self)
{
	GtkEntry *start_entry = g_object_get_data(G_OBJECT(dialog), "start");
	GtkEntry *length_entry = g_object_get_data(G_OBJECT(dialog), "length");
	g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
	guint32 start = 0, length = 0;

	if (response != GTK_RESPONSE_ACCEPT || path == NULL) {
		gtk_widget_destroy(GTK_WIDGET(dialog));
		return;
	}
	if (!parse_number(gtk_entry_get_text(start_entry), &start) ||
	    !parse_number(gtk_entry_get_text(length_entry), &length) || length == 0) {
		glint_window_log(
		    self, G_LOG_LEVEL_WARNING,
		    _("Export: start “%s” and length “%s” must be numbers (0x… for hex) and "
		      "the length above 0."),
		    gtk_entry_get_text(start_entry), gtk_entry_get_text(length_entry));
		return; /* keep the dialog for a correction */
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
	glint_window_export_memory(self, start, length, path);
}

gboolean
glint_window_export_memory(GlintWindow *self, guint32 address, guint32 size, const char *path)
{
	GlintUiJob *job;
	if (!glint_window_is_connected(self)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Connect to a target to read its memory."));
		return FALSE;
	}
	job = glint_window_new_job(self, GLINT_UI_JOB_EXPORT);
	job->address = address;
	job->size = size;
	job->path = g_strdup(path);
	job->format = GLINT_IMAGE_FORMAT_AUTO;
	return glint_window_start_job(self, job);
}

static void
action_export_memory(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	const GlintTargetInfo *info = glint_session_get_target_info(self->session);
	GtkWidget *dialog = gtk_file_chooser_dialog_new(
	    _("Read Memory to File"), GTK_WINDOW(self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Cancel"),
	    GTK_RESPONSE_CANCEL, _("_Read and Save"), GTK_RESPONSE_ACCEPT, NULL);
	GtkWidget *grid = gtk_grid_new();
	GtkWidget *start = gtk_entry_new();
	GtkWidget *length = gtk_entry_new();
	guint32 base = glint_memory_view_get_size(self->memory_view) > 0
			   ? glint_memory_view_get_base(self->memory_view)
			   : (info != NULL ? info->geometry.base : 0x08000000);
	guint32 size = glint_memory_view_get_size(self->memory_view) > 0
			   ? glint_memory_view_get_size(self->memory_view)
			   : (info != NULL ? info->geometry.size : 0);
	g_autofree gchar *base_text = g_strdup_printf("0x%08X", base);
	g_autofree gchar *size_text = g_strdup_printf("0x%X", size);

	gtk_grid_set_column_spacing(GTK_GRID(grid), 8);
	gtk_grid_set_row_spacing(GTK_GRID(grid), 4);
	gtk_grid_attach(GTK_GRID(grid), gtk_label_new(_("Start address")), 0, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), start, 1, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), gtk_label_new(_("Length (bytes)")), 0, 1, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), length, 1, 1, 1, 1);
	gtk_grid_attach(GTK_GRID(grid),
			gtk_label_new(_("The format follows the extension: .bin, .hex or .srec")),
			2, 0, 1, 2);
	gtk_entry_set_text(GTK_ENTRY(start), base_text);
	gtk_entry_set_text(GTK_ENTRY(length), size_text);
	gtk_widget_set_name(start, "export-start");
	gtk_widget_set_name(length, "export-length");
	atk_object_set_name(gtk_widget_get_accessible(start), _("Export start address"));
	atk_object_set_name(gtk_widget_get_accessible(length), _("Export length"));
	gtk_widget_show_all(grid);
	gtk_file_chooser_set_extra_widget(GTK_FILE_CHOOSER(dialog), grid);
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(dialog), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dialog), "flash.hex");
	g_object_set_data(G_OBJECT(dialog), "start", start);
	g_object_set_data(G_OBJECT(dialog), "length", length);
	g_signal_connect(dialog, "response", G_CALLBACK(on_export_dialog_response), self);
	gtk_widget_show(dialog);
}

typedef struct {
	GlintOptionBytes options;
	GlintConfirm confirm;
} ApplyData;

static void
do_apply_options(GlintWindow *self, gpointer data)
{
	ApplyData *ad = data;
	GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_WRITE_OPTIONS);
	job->options = ad->options;
	job->confirm = ad->confirm;
	glint_window_start_job(self, job);
}

/* The phrase that unlocks RDP level 2: long enough not to be typed by accident. */
#define GLINT_PERMANENT_PHRASE N_("lock this chip forever")

static void
action_apply_options(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	g_autoptr(GPtrArray) changes = glint_options_panel_get_changes(self->options_panel);
	GString *body = g_string_new(NULL);
	GlintOptionRisk risk;
	ApplyData *ad;

	if (changes->len == 0) {
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("No option byte was edited: nothing to apply."));
		g_string_free(body, TRUE);
		return;
	}
	risk = glint_option_changes_risk(changes);
	ad = g_new0(ApplyData, 1);
	glint_options_panel_get_edited(self->options_panel, &ad->options);
	ad->confirm = risk != GLINT_OPTION_RISK_NONE ? GLINT_CONFIRM_RISKY : GLINT_CONFIRM_NONE;
	if (risk & GLINT_OPTION_RISK_PERMANENT)
		ad->confirm |= GLINT_CONFIRM_PERMANENT_LOCK;
	g_string_append(body, _("These option bytes will be written:\n\n"));
	for (guint i = 0; i < changes->len; i++) {
		const GlintOptionChange *c = g_ptr_array_index(changes, i);
		g_string_append_printf(body, _("• %s: %s → %s\n"), c->name, c->old_value,
				       c->new_value);
		if (c->consequence != NULL)
			g_string_append_printf(body, "    %s\n", c->consequence);
	}
	g_string_append(body, _("\nThe chip then reloads its option bytes (a reset); Glint "
				"reconnects and reads them back."));
	glint_window_confirm(self, _("Write Option Bytes?"), body->str, _("_Write Option Bytes"),
			     (risk & GLINT_OPTION_RISK_PERMANENT) ? _(GLINT_PERMANENT_PHRASE)
								  : NULL,
			     do_apply_options, ad, g_free);
	g_string_free(body, TRUE);
}

static void
do_apply_fix(GlintWindow *self, gpointer data)
{
	GlintFixKind kind = GPOINTER_TO_UINT(data);
	GlintUiJob *job = glint_window_new_job(self, GLINT_UI_JOB_APPLY_FIX);
	job->fix = kind;
	job->confirm = glint_fix_is_risky(kind) ? GLINT_CONFIRM_RISKY : GLINT_CONFIRM_NONE;
	glint_window_start_job(self, job);
}

static const char *
fix_explanation(GlintFixKind kind)
{
	switch (kind) {
	case GLINT_FIX_REMOVE_WRP:
		return _("Turns every WRP area off so all pages can be erased and programmed. "
			 "The chip reloads its option bytes (a reset); the flash contents stay.");
	case GLINT_FIX_REGRESS_RDP:
		return _("The chip is read-protected (RDP level 1): no debugger can erase, program "
			 "or read its flash. Removing the protection sets RDP back to level 0, and "
			 "the chip erases ALL of its flash as it does so: the firmware on it is "
			 "gone.");
	case GLINT_FIX_CLEAR_BFB2:
		return _("Puts BFB2 back to its factory value so the chip boots from bank 1 again. "
			 "The chip reloads its option bytes (a reset).");
	case GLINT_FIX_RESTORE_OPTIONS:
		return _("Writes the factory values of every option byte. The chip reloads them "
			 "(a reset); WRP and PCROP areas are removed.");
	case GLINT_FIX_CLEAR_FLAGS:
		return _("Clears the error flags left set in FLASH_SR so programming can start.");
	default:
		return _("Applies the fix.");
	}
}

void
glint_window_request_fix(GlintWindow *self, GlintFixKind kind)
{
	if (kind == GLINT_FIX_NONE || self->busy)
		return;
	if (kind == GLINT_FIX_CONNECT_UNDER_RESET) {
		GlintConnectOptions options;
		glint_device_panel_get_connect_options(self->device_panel, &options);
		options.under_reset = TRUE;
		glint_device_panel_set_connect_options(self->device_panel, &options);
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("Connecting under reset (NRST held while attaching)"));
		glint_window_start_connect(self);
		return;
	}
	if (!glint_window_is_connected(self)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Connect first: “%s” needs the target."), glint_fix_label(kind));
		return;
	}
	if (kind == GLINT_FIX_CLEAR_FLAGS) {
		do_apply_fix(self, GUINT_TO_POINTER(kind));
		return;
	}
	glint_window_confirm(self, glint_fix_label(kind), fix_explanation(kind),
			     glint_fix_label(kind), NULL, do_apply_fix, GUINT_TO_POINTER(kind),
			     NULL);
}

static void action_open(GSimpleAction *action, GVariant *param, gpointer user_data);

static void
action_open_recent(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	glint_file_panel_open(self->file_panel, g_variant_get_string(param, NULL));
}

static void
on_open_dialog_response(GtkNativeDialog *dialog, gint response, GlintWindow *self)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
		if (path != NULL)
			glint_file_panel_open(self->file_panel, path);
	}
	g_object_unref(dialog);
}

static void
add_filter(GtkFileChooser *chooser, const char *name, const char *const *patterns)
{
	GtkFileFilter *filter = gtk_file_filter_new();
	gtk_file_filter_set_name(filter, name);
	for (guint i = 0; patterns[i] != NULL; i++)
		gtk_file_filter_add_pattern(filter, patterns[i]);
	gtk_file_chooser_add_filter(chooser, filter);
}

static void
action_open(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GtkFileChooserNative *dialog =
	    gtk_file_chooser_native_new(_("Open Firmware"), GTK_WINDOW(self),
					GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
	const char *const all[] = {"*.bin", "*.hex", "*.ihex", "*.srec", "*.s19", "*.s28",
				   "*.s37", "*.mot", "*.elf",  "*.axf",	 NULL};
	const char *const bin[] = {"*.bin", NULL};
	const char *const hex[] = {"*.hex", "*.ihex", NULL};
	const char *const srec[] = {"*.srec", "*.s19", "*.s28", "*.s37", "*.mot", NULL};
	const char *const elf[] = {"*.elf", "*.axf", NULL};
	const char *const any[] = {"*", NULL};

	add_filter(GTK_FILE_CHOOSER(dialog), _("Firmware files"), all);
	add_filter(GTK_FILE_CHOOSER(dialog), _("Raw binary (.bin)"), bin);
	add_filter(GTK_FILE_CHOOSER(dialog), _("Intel HEX (.hex)"), hex);
	add_filter(GTK_FILE_CHOOSER(dialog), _("Motorola S-record (.srec)"), srec);
	add_filter(GTK_FILE_CHOOSER(dialog), _("ELF (.elf)"), elf);
	add_filter(GTK_FILE_CHOOSER(dialog), _("All files"), any);
	g_signal_connect(dialog, "response", G_CALLBACK(on_open_dialog_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

static void
action_show_page(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	glint_window_show_page(GLINT_WINDOW(user_data), g_variant_get_string(param, NULL));
}

static void
on_forget_sim_clicked(GtkButton *button, GlintWindow *self)
{
	const char *scenario = glint_device_panel_get_scenario(self->device_panel);
	g_autofree gchar *path = glint_window_sim_state_path(self, scenario);
	g_autoptr(GError) error = NULL;
	if (self->busy || glint_window_is_connected(self)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Disconnect before resetting the simulated board."));
		return;
	}
	if (!glint_board_state_may_replace(path, &error)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING, _("Board not reset: %s"),
				 error->message);
		return;
	}
	glint_window_release_session(self);
	if (g_unlink(path) == 0 || errno == ENOENT)
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("The simulated board (%s) starts afresh at the next connect."),
				 scenario);
	else
		glint_window_log(self, G_LOG_LEVEL_WARNING, _("Could not remove %s: %s"), path,
				 g_strerror(errno));
}

static void
action_preferences(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	GtkWidget *dialog = gtk_dialog_new_with_buttons(_("Preferences"), GTK_WINDOW(self),
							GTK_DIALOG_DESTROY_WITH_PARENT, _("_Close"),
							GTK_RESPONSE_CLOSE, NULL);
	GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(dialog));
	g_autofree gchar *settings_path = glint_settings_get_path();
	g_autofree gchar *text =
	    g_strdup_printf(_("Connection settings and program options are remembered in\n%s\n\n"
			      "The simulated board keeps its flash and option bytes in\n%s"),
			    settings_path, g_get_user_data_dir());
	GtkWidget *label = gtk_label_new(text);
	GtkWidget *forget =
	    gtk_button_new_with_mnemonic(_("_Reset Simulated Board to Its Scenario"));

	gtk_container_set_border_width(GTK_CONTAINER(area), 12);
	gtk_box_set_spacing(GTK_BOX(area), 8);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_widget_set_name(forget, "forget-sim");
	gtk_container_add(GTK_CONTAINER(area), label);
	gtk_container_add(GTK_CONTAINER(area), forget);
	g_signal_connect(forget, "clicked", G_CALLBACK(on_forget_sim_clicked), self);
	g_signal_connect(dialog, "response", G_CALLBACK(gtk_widget_destroy), NULL);
	gtk_widget_show_all(dialog);
}

static void
action_about(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	const char *authors[] = {_("The Glint developers"), NULL};
	gtk_show_about_dialog(
	    GTK_WINDOW(user_data), "program-name", "Glint", "version", "0.1.0", "comments",
	    _("Program, verify and inspect STM32 microcontrollers through ST-LINK "
	      "probes, or simulated boards."),
	    "license-type", GTK_LICENSE_GPL_2_0, "logo-icon-name", "org.glint.Glint", "authors",
	    authors, NULL);
}

static const GActionEntry win_actions[] = {
    {"open", action_open, NULL, NULL, NULL, {0}},
    {"open-recent", action_open_recent, "s", NULL, NULL, {0}},
    {"connect", action_connect, NULL, NULL, NULL, {0}},
    {"erase", action_erase, NULL, NULL, NULL, {0}},
    {"program", action_program, NULL, NULL, NULL, {0}},
    {"verify", action_verify, NULL, NULL, NULL, {0}},
    {"reset", action_reset, NULL, NULL, NULL, {0}},
    {"diagnose", action_diagnose, NULL, NULL, NULL, {0}},
    {"export-memory", action_export_memory, NULL, NULL, NULL, {0}},
    {"refresh-memory", action_refresh_memory, NULL, NULL, NULL, {0}},
    {"read-options", action_read_options, NULL, NULL, NULL, {0}},
    {"apply-options", action_apply_options, NULL, NULL, NULL, {0}},
    {"cancel", action_cancel, NULL, NULL, NULL, {0}},
    {"show-page", action_show_page, "s", NULL, NULL, {0}},
    {"preferences", action_preferences, NULL, NULL, NULL, {0}},
    {"about", action_about, NULL, NULL, NULL, {0}},
};

void
glint_window_add_actions(GlintWindow *self)
{
	g_action_map_add_action_entries(G_ACTION_MAP(self), win_actions, G_N_ELEMENTS(win_actions),
					self);
}
