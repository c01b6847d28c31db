/* glint-options-panel.h: the option-byte editor, built from the connected
 * chip's option layout. Owns the display of RDP and every option field
 * (reference-manual name, meaning, value read from the chip and edited value
 * side by side, changes highlighted), every protection area (WRP, PCROP,
 * secure areas) in the chip's erase units or addresses with what it covers,
 * and the registers as words. It computes the edited option bytes and their
 * diff; the window confirms and writes them. */
#pragma once

#include <gtk/gtk.h>

#include "glint-family.h"
#include "glint-options.h"

G_BEGIN_DECLS

#define GLINT_TYPE_OPTIONS_PANEL (glint_options_panel_get_type())
G_DECLARE_FINAL_TYPE(GlintOptionsPanel, glint_options_panel, GLINT, OPTIONS_PANEL, GtkBox)

GtkWidget *glint_options_panel_new(void);

/* Shows @current (as read from the chip) and resets the edits; NULL @chip
 * clears the editor. */
void glint_options_panel_set_target(GlintOptionsPanel *self, const GlintChip *chip,
				    const GlintFlashGeometry *geometry,
				    const GlintOptionBytes *current, gboolean bank2_empty);
gboolean glint_options_panel_has_target(GlintOptionsPanel *self);
/* The option bytes as edited (the current values where nothing was edited). */
void glint_options_panel_get_edited(GlintOptionsPanel *self, GlintOptionBytes *edited);
const GlintOptionBytes *glint_options_panel_get_current(GlintOptionsPanel *self);
/* The edits as changes with consequences (element-type GlintOptionChange*). */
GPtrArray *glint_options_panel_get_changes(GlintOptionsPanel *self);
/* FALSE with the reason when an editor holds something the chip cannot take. */
gboolean glint_options_panel_check(GlintOptionsPanel *self, GError **error);
/* Number of fields whose edited value differs from the chip's. */
guint glint_options_panel_count_changed(GlintOptionsPanel *self);
void glint_options_panel_revert(GlintOptionsPanel *self);

G_END_DECLS
