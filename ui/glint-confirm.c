/* glint-confirm.c: confirmation dialogs for risky operations. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-confirm.h"
#include "glint-i18n.h"

static gboolean
phrase_typed(GtkDialog *dialog)
{
	const char *phrase = g_object_get_data(G_OBJECT(dialog), "phrase");
	GtkEntry *entry = g_object_get_data(G_OBJECT(dialog), "phrase-entry");
	if (phrase == NULL)
		return TRUE;
	return entry != NULL && g_strcmp0(gtk_entry_get_text(entry), phrase) == 0;
}

static void
on_phrase_entry_changed(GtkEditable *entry, GtkDialog *dialog)
{
	gtk_dialog_set_response_sensitive(dialog, GTK_RESPONSE_ACCEPT, phrase_typed(dialog));
}

static void
add_phrase_entry(GtkDialog *dialog, GtkWidget *area, const char *phrase)
{
	g_autofree gchar *ask = g_strdup_printf(_("Type “%s” to confirm:"), phrase);
	GtkWidget *label = gtk_label_new(ask);
	GtkWidget *entry = gtk_entry_new();

	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_widget_set_name(entry, "confirm-phrase");
	atk_object_set_name(gtk_widget_get_accessible(entry), _("Confirmation phrase"));
	gtk_container_add(GTK_CONTAINER(area), label);
	gtk_container_add(GTK_CONTAINER(area), entry);
	g_object_set_data_full(G_OBJECT(dialog), "phrase", g_strdup(phrase), g_free);
	g_object_set_data(G_OBJECT(dialog), "phrase-entry", entry);
	g_signal_connect(entry, "changed", G_CALLBACK(on_phrase_entry_changed), dialog);
	gtk_dialog_set_response_sensitive(dialog, GTK_RESPONSE_ACCEPT, FALSE);
}

GtkDialog *
glint_confirm_dialog_new(GtkWindow *parent, const char *title, const char *body,
			 const char *accept_label, const char *phrase)
{
	GtkWidget *dialog = gtk_dialog_new_with_buttons(
	    title, parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, _("_Cancel"),
	    GTK_RESPONSE_CANCEL, NULL);
	GtkWidget *accept =
	    gtk_dialog_add_button(GTK_DIALOG(dialog), accept_label, GTK_RESPONSE_ACCEPT);
	GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(dialog));
	GtkWidget *label = gtk_label_new(body);

	gtk_widget_set_name(accept, "confirm-accept");
	gtk_style_context_add_class(gtk_widget_get_style_context(accept), "destructive-action");
	gtk_container_set_border_width(GTK_CONTAINER(area), 12);
	gtk_box_set_spacing(GTK_BOX(area), 8);
	gtk_widget_set_name(label, "confirm-body");
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(label), 70);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_container_add(GTK_CONTAINER(area), label);
	/* Enter must never confirm something destructive by accident. */
	gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
	if (phrase != NULL)
		add_phrase_entry(GTK_DIALOG(dialog), area, phrase);
	gtk_widget_show_all(area);
	return GTK_DIALOG(dialog);
}

gboolean
glint_confirm_dialog_is_confirmed(GtkDialog *dialog, gint response)
{
	return response == GTK_RESPONSE_ACCEPT && phrase_typed(dialog);
}
