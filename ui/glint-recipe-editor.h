/* glint-recipe-editor.h: the engineer's side of the Production mode: a
 * dialog that makes or changes a production recipe (the image and its
 * CRC-32, the chip, the erase mode, option bytes, the serial number plan,
 * unique data from a CSV, read protection, reset) and saves the
 * .glintrecipe file glint-cli auto runs. Saving checks the recipe as the
 * station loads it and shows what is wrong (naming the field) instead of
 * writing a recipe that would be refused. */
#pragma once

#include <gtk/gtk.h>

#include "glint-recipe.h"

G_BEGIN_DECLS

#define GLINT_TYPE_RECIPE_EDITOR (glint_recipe_editor_get_type())
G_DECLARE_FINAL_TYPE(GlintRecipeEditor, glint_recipe_editor, GLINT, RECIPE_EDITOR, GtkDialog)

/* Edits the recipe at @path (NULL: a new one; Save asks where). Its
 * fields are named "recipe-name", "recipe-chip", "recipe-image",
 * "recipe-image-crc", "recipe-base", "recipe-erase", "recipe-options",
 * "recipe-serial-enable", "recipe-serial-address", "recipe-serial-first",
 * "recipe-serial-step", "recipe-serial-format", "recipe-serial-pattern",
 * "recipe-serial-size", "recipe-unique-enable", "recipe-unique-file",
 * "recipe-unique-column", "recipe-unique-address", "recipe-unique-encoding",
 * "recipe-unique-size", "recipe-rdp", "recipe-reset"; "recipe-editor-error"
 * says what is wrong, "recipe-save" saves. */
GlintRecipeEditor *glint_recipe_editor_new(GtkWindow *parent, const char *path);
/* Where Save writes (a new recipe; NULL: ask). */
void glint_recipe_editor_set_path(GlintRecipeEditor *self, const char *path);
const char *glint_recipe_editor_get_path(GlintRecipeEditor *self);
/* Checks the fields and the recipe they make, and writes it; FALSE with
 * the reason (also shown in the dialog). The dialog answers
 * GTK_RESPONSE_ACCEPT once Save has written the file. */
gboolean glint_recipe_editor_save(GlintRecipeEditor *self, GError **error);
/* The text shown under the fields when something is wrong ("" if not). */
const char *glint_recipe_editor_get_error(GlintRecipeEditor *self);

G_END_DECLS
