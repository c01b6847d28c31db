/* glint-confirm.h: the confirmation dialog shown before anything that
 * erases a chip or changes it for good: what will happen, in words, an
 * accept button named after the action (Cancel is the default), and for
 * permanent changes a phrase the user must type first. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A modal dialog over @parent; @phrase NULL when no typing is needed.
 * Children are named "confirm-body", "confirm-phrase" and "confirm-accept". */
GtkDialog *glint_confirm_dialog_new(GtkWindow *parent, const char *title, const char *body,
				    const char *accept_label, const char *phrase);
/* Whether @response (from the "response" signal) confirms: accepted, and the
 * phrase typed exactly when one is asked. */
gboolean glint_confirm_dialog_is_confirmed(GtkDialog *dialog, gint response);

G_END_DECLS
