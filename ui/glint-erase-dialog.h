/* glint-erase-dialog.h: the erase dialog. Owns the choice of what to erase
 * (the whole chip, one bank, or chosen pages/sectors) and the list it is
 * chosen from: every erase unit of the connected part with its number,
 * address range, size, what it holds (erased or not, from a blank check the
 * window runs) and the protection area covering it (from the option bytes),
 * so protection shows before anything runs. Erasing is the window's job:
 * the dialog only answers GTK_RESPONSE_ACCEPT with a choice. */
#pragma once

#include <gtk/gtk.h>

#include "glint-family.h"
#include "glint-options.h"

G_BEGIN_DECLS

typedef enum {
	GLINT_ERASE_CHOICE_MASS,
	GLINT_ERASE_CHOICE_BANK,
	GLINT_ERASE_CHOICE_UNITS,
} GlintEraseChoice;

/* Named children: "erase-mode-mass", "erase-mode-bank", "erase-bank",
 * "erase-mode-units", "erase-units" (the list), "erase-protection",
 * "erase-status", "erase-select-data", "erase-accept". */
GtkDialog *glint_erase_dialog_new(GtkWindow *parent, const GlintChip *chip,
				  const GlintFlashGeometry *geometry,
				  const GlintOptionBytes *options);
/* Each unit's state from glint_job_blank_check() (gint8: 1 erased, 0 data,
 * -1 unknown); NULL: the check failed, @reason says why. */
void glint_erase_dialog_set_blank(GtkDialog *dialog, GArray *states, const char *reason);

GlintEraseChoice glint_erase_dialog_get_choice(GtkDialog *dialog);
void glint_erase_dialog_set_choice(GtkDialog *dialog, GlintEraseChoice choice);
/* The physical bank chosen (GLINT_ERASE_CHOICE_BANK). */
guint glint_erase_dialog_get_bank(GtkDialog *dialog);
void glint_erase_dialog_set_bank(GtkDialog *dialog, guint physical);
/* The units ticked (global indices, increasing; element-type guint). */
GArray *glint_erase_dialog_get_units(GtkDialog *dialog);
/* Ticks or unticks unit @index (global). */
void glint_erase_dialog_set_unit(GtkDialog *dialog, guint index, gboolean selected);
/* The list's text for unit @index: "Page 5 of bank 1 | 0x08002800-0x08002FFF |
 * 2 KiB | holds data | WRP1A", for tests and screen readers. */
gchar *glint_erase_dialog_describe_unit(GtkDialog *dialog, guint index);
/* Why Erase is off, or NULL when it is on. */
const char *glint_erase_dialog_get_blocker(GtkDialog *dialog);

G_END_DECLS
