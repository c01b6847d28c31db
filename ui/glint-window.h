/* glint-window.h: the main window. Owns the session with the selected probe
 * (a simulated board or a real ST-LINK), runs one job at a time on a worker
 * thread (progress, Cancel, summary line, errors with their fix in the info
 * bar), the window actions and their enabled state, confirmations, and the
 * wiring between the panels. */
#pragma once

#include <gtk/gtk.h>

#include "glint-device-panel.h"
#include "glint-file-panel.h"
#include "glint-log-view.h"
#include "glint-memory-view.h"
#include "glint-options-panel.h"
#include "glint-target-view.h"
#include "glint-sim.h"

G_BEGIN_DECLS

#define GLINT_TYPE_WINDOW (glint_window_get_type())
G_DECLARE_FINAL_TYPE(GlintWindow, glint_window, GLINT, WINDOW, GtkApplicationWindow)

typedef struct {
	const char *sim_scenario;   /* start with the simulated board in this scenario */
	const char *sim_state_path; /* its state file (default: the user data dir) */
	gboolean no_usb;	    /* do not watch for real probes (tests) */
	const char *file_path;	    /* a firmware file to open (`glint FILE`) */
} GlintWindowOptions;

/* @app may be NULL (tests). */
GlintWindow *glint_window_new(GtkApplication *app, const GlintWindowOptions *options);

GlintDevicePanel *glint_window_get_device_panel(GlintWindow *self);
GlintFilePanel *glint_window_get_file_panel(GlintWindow *self);
GlintOptionsPanel *glint_window_get_options_panel(GlintWindow *self);
GlintMemoryView *glint_window_get_memory_view(GlintWindow *self);
GlintLogView *glint_window_get_log_view(GlintWindow *self);
GlintTargetView *glint_window_get_target_view(GlintWindow *self);

/* The session with the selected probe (NULL before the first connect). */
GlintSession *glint_window_get_session(GlintWindow *self);
/* The simulated board behind the session, NULL for a real probe. Only touch
 * it while no job runs (a job drives it from its thread). */
GlintSim *glint_window_get_sim(GlintWindow *self);
gboolean glint_window_is_busy(GlintWindow *self);
gboolean glint_window_is_connected(GlintWindow *self);
/* The confirmation dialog shown now, or NULL. */
GtkDialog *glint_window_get_confirm_dialog(GlintWindow *self);
/* The erase dialog while it is open (issue 15), or NULL. */
GtkDialog *glint_window_get_erase_dialog(GlintWindow *self);
/* The memory editor (Edit… in the memory view) at @address; named children
 * "memory-edit-address", "-width", "-value", "-count", "-where", "-erase",
 * "-accept". */
GtkDialog *glint_window_open_memory_editor(GlintWindow *self, guint32 address);
GtkDialog *glint_window_get_edit_dialog(GlintWindow *self);
/* Shows or hides the probe and target panel (the header bar's toggle). */
void glint_window_set_side_panel_visible(GlintWindow *self, gboolean visible);
/* "file", "options", "memory" or "target". */
void glint_window_show_page(GlintWindow *self, const char *page);
/* Reads @size bytes at @address from the chip into @path (.bin, .hex or
 * .srec by extension) on the worker thread; FALSE if a job is running. */
gboolean glint_window_export_memory(GlintWindow *self, guint32 address, guint32 size,
				    const char *path);
/* Opens the first of @uris (as dropped on the window); non-local ones are
 * refused with a log line. */
gboolean glint_window_open_uris(GlintWindow *self, const char *const *uris);
/* Renders the window into a PNG (works without a compositor or WM). */
gboolean glint_window_save_screenshot(GlintWindow *self, const char *path, GError **error);
/* Real probes as USB reports them: the list at start, or one plugged in
 * (element-type GlintProbeInfo*, not taken). Public so that tests can hand
 * in probe lists without USB. */
void glint_window_add_probes(GlintWindow *self, GPtrArray *probes);
/* The probe with @info's serial was unplugged. */
void glint_window_remove_probe(GlintWindow *self, const GlintProbeInfo *info);
/* Where the simulated board for @scenario keeps its state by default. */
gchar *glint_window_default_sim_state_path(const char *scenario);

G_END_DECLS
