/* glint-window-private.h: what the window's own modules share: its
 * fields, and the helpers that log, confirm and run jobs
 * (glint-window.c) for the actions (glint-window-actions.c) and the probe
 * selection (glint-window-selection.c). */
#pragma once

#include "glint-ui-job.h"
#include "glint-usb.h"
#include "glint-settings.h"
#include "glint-window.h"

G_BEGIN_DECLS

struct _GlintWindow {
	GtkApplicationWindow parent_instance;
	GtkHeaderBar *header_bar;
	GtkWidget *connect_button;
	GtkWidget *program_button;
	GtkWidget *sim_badge;
	GtkInfoBar *info_bar;
	GtkLabel *info_label;
	GtkWidget *info_fix_button;
	GtkWidget *info_diff_button; /* after a verify mismatch */
	GlintDevicePanel *device_panel;
	GtkWidget *side_panel; /* the device panel's scroller: hidden on small screens */
	GtkWidget *side_panel_toggle;
	GtkStack *stack;
	GlintFilePanel *file_panel;
	GlintOptionsPanel *options_panel;
	GlintMemoryView *memory_view;
	GlintTargetView *target_view;
	GlintLogView *log_view;
	GtkProgressBar *progress_bar;

	GlintSettings *settings;
	gchar *sim_state_override;
	gboolean no_usb;
	gboolean sim_requested; /* --sim named a scenario: no real probe is chosen for the user */
	GlintUsbMonitor *usb_monitor;

	GlintSession *session;
	GlintSim *sim;
	gchar *session_key; /* "sim:<scenario>" or "usb:<serial>" */

	/* --sim-state: the scenario of the board the file holds (NULL: none
	 * yet), and the one the user chose to replace it with at the next
	 * connect (NULL: keep it) */
	gchar *state_scenario;
	gchar *state_reset_to;
	gboolean syncing_selection; /* the window itself changes the picker */

	gboolean busy;
	GCancellable *cancellable;
	gboolean release_after_job;
	gboolean close_after_job; /* the user closed the window while a job ran */
	/* a job waiting for the Target tab's worker to let go of the probe */
	GlintUiJob *pending_job;
	gboolean close_after_target; /* closing once the Target tab's worker has stopped */
	gboolean disposed;
	GlintFixKind info_fix;
	GtkDialog *confirm_dialog;
	GtkDialog *erase_dialog; /* open while the user chooses what to erase */
	GtkDialog *edit_dialog;	 /* the memory editor, while open */
};

typedef void (*GlintWindowConfirmFunc)(GlintWindow *self, gpointer data);

/* glint-window.c */
void glint_window_log(GlintWindow *self, GLogLevelFlags level, const char *format, ...)
    G_GNUC_PRINTF(3, 4);
/* A job on the session of the selected probe (not run yet). */
GlintUiJob *glint_window_new_job(GlintWindow *self, GlintUiJobKind kind);
/* Runs @job (ownership taken) unless one is running already. */
gboolean glint_window_start_job(GlintWindow *self, GlintUiJob *job);
void glint_window_start_connect(GlintWindow *self);
/* Asks before something that erases or changes the chip; @func runs on
 * "accept". With @phrase, the accept button stays off until it is typed. */
void glint_window_confirm(GlintWindow *self, const char *title, const char *body,
			  const char *accept_label, const char *phrase, GlintWindowConfirmFunc func,
			  gpointer data, GDestroyNotify destroy);
/* The same, with @reject run when the user says no. */
void glint_window_confirm_full(GlintWindow *self, const char *title, const char *body,
			       const char *accept_label, const char *phrase,
			       GlintWindowConfirmFunc func, GlintWindowConfirmFunc reject,
			       gpointer data, GDestroyNotify destroy);
/* Forgets the session with the previous probe (it is not connected). */
void glint_window_release_session(GlintWindow *self);
void glint_window_show_target(GlintWindow *self, gboolean options_too);
void glint_window_update_actions(GlintWindow *self);
/* The Target tab may use the probe while it is shown, a target is
 * connected and no job runs (or waits to run). */
void glint_window_update_target_view(GlintWindow *self);
gchar *glint_window_sim_state_path(GlintWindow *self, const char *scenario);

/* glint-window-selection.c */
/* "sim:<scenario>" or "usb:<serial>" for what the device panel selects. */
gchar *glint_window_selection_key(GlintWindow *self);
/* The probe row or scenario changed (asks first when that resets the
 * --sim-state board). */
void glint_window_on_selection_changed(GlintWindow *self);
/* The --sim-state file holds a @scenario board: the picker shows it. */
void glint_window_follow_state_file(GlintWindow *self, const char *scenario);
/* At start, with --sim-state: the board the file holds, if any. */
void glint_window_show_state_file_board(GlintWindow *self);
/* Lists the USB probes present and watches for hot-plug. */
void glint_window_watch_usb(GlintWindow *self);

/* glint-window-production.c: win.production opens the Production mode */
void glint_window_add_production_action(GlintWindow *self);

/* glint-window-memory.c */
void glint_window_add_memory_actions(GlintWindow *self);

/* glint-window-actions.c */
void glint_window_add_actions(GlintWindow *self);
void glint_window_read_memory(GlintWindow *self, guint32 address, guint32 size);
void glint_window_request_fix(GlintWindow *self, GlintFixKind kind);
/* On an RDP 1 chip: offers "Remove read protection" for @what ("Erasing")
 * and returns TRUE; on RDP 2 says it is impossible. FALSE on RDP 0. */
gboolean glint_window_offer_rdp_fix(GlintWindow *self, const char *what);

G_END_DECLS
