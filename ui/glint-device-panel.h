/* glint-device-panel.h: the device panel. Owns the probe list (the
 * simulated board first, then real probes as hot-plug reports them), the
 * scenario choice for the simulated board, the connection settings, and the
 * display of the connected target and its diagnosis findings. It runs no
 * job: the window does, on its signals. */
#pragma once

#include <gtk/gtk.h>

#include "glint-job.h"

G_BEGIN_DECLS

#define GLINT_TYPE_DEVICE_PANEL (glint_device_panel_get_type())
G_DECLARE_FINAL_TYPE(GlintDevicePanel, glint_device_panel, GLINT, DEVICE_PANEL, GtkBox)

/* Signals: "selection-changed" (probe row or scenario changed),
 * "fix-requested" (guint GlintFixKind, from a finding's button). */

GtkWidget *glint_device_panel_new(void);

void glint_device_panel_add_probe(GlintDevicePanel *self, const GlintProbeInfo *info);
void glint_device_panel_remove_probe(GlintDevicePanel *self, const char *serial);
guint glint_device_panel_get_n_probes(GlintDevicePanel *self);
/* Serial of the first real probe that can be used (listed first, first
 * found), or NULL. */
const char *glint_device_panel_find_usable_probe(GlintDevicePanel *self);
/* The title of the row of the probe with @serial ("ST-LINK/V2-1"), or NULL. */
const char *glint_device_panel_get_probe_title(GlintDevicePanel *self, const char *serial);
/* Whether @info is a real probe Glint can work with (not an ST-LINK/V1). */
gboolean glint_probe_is_usable(const GlintProbeInfo *info);
/* Selects the simulated board @scenario names (a spec: "wrp",
 * "stm32l476re:rdp1"; the combo gains a board it does not list). */
void glint_device_panel_select_sim(GlintDevicePanel *self, const char *scenario);
gboolean glint_device_panel_select_probe(GlintDevicePanel *self, const char *serial);
/* TRUE when the simulated board is the selected probe. */
gboolean glint_device_panel_is_sim_selected(GlintDevicePanel *self);
/* Serial of the selected real probe, NULL for the simulated board. */
const char *glint_device_panel_get_serial(GlintDevicePanel *self);
/* The selected simulated board as a spec (its shortest: "fresh",
 * "stm32l476re:wrp"), and the title of its board ("NUCLEO-L476RG") */
const char *glint_device_panel_get_scenario(GlintDevicePanel *self);
/* The state file the simulated board is kept in, shown under the scenario
 * picker (NULL: the default one per scenario, not shown). */
void glint_device_panel_set_state_file(GlintDevicePanel *self, const char *path);
gchar *glint_device_panel_get_board_title(GlintDevicePanel *self);
/* Picks @spec ("wrp", "nucleo-f401re:rdp1") in the board picker without
 * selecting the simulated row; FALSE if no board has it. */
gboolean glint_device_panel_set_scenario(GlintDevicePanel *self, const char *spec);
/* Text for the simulated probe's row ("ST-LINK/V2 serial ..."). */
void glint_device_panel_set_sim_probe(GlintDevicePanel *self, const GlintProbeInfo *info);

/* What connecting learnt about the probe with @serial (NULL: the simulated
 * one): firmware version and target voltage, shown in its row. */
void glint_device_panel_set_probe_status(GlintDevicePanel *self, const char *serial,
					 const char *firmware, gdouble voltage);

void glint_device_panel_get_connect_options(GlintDevicePanel *self, GlintConnectOptions *options);
void glint_device_panel_set_connect_options(GlintDevicePanel *self,
					    const GlintConnectOptions *options);

/* The connected target, or NULL when disconnected. */
void glint_device_panel_set_target(GlintDevicePanel *self, const GlintTargetInfo *info);
/* Diagnosis findings (element-type GlintFinding*), NULL or empty for none. */
void glint_device_panel_set_findings(GlintDevicePanel *self, GPtrArray *findings);
/* While a job runs, the probe and scenario cannot change. */
void glint_device_panel_set_busy(GlintDevicePanel *self, gboolean busy);

G_END_DECLS
