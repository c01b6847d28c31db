/* glint-target-view.h: the Target tab: the running target as a developer
 * looks at it. Owns the core panel (state and why, halt, run, step, reset,
 * every core register, editable while halted), the fault report (shown when
 * the core enters a fault handler or locks up, in words, with the ELF given
 * or the one remembered as programmed through the probe), the live watch
 * (variables by name or address:type, at a chosen rate, plotted), and the
 * SWO and RTT consoles (savable; RTT with an input line).
 *
 * All target work runs on its GlintTargetLoop's thread while the view is
 * active (the window makes it so while the tab is shown, a target is
 * connected and no window job runs); making it inactive stops the loop,
 * which says "stopped" once the probe is free again. ELF files are read on
 * a worker thread too. The consoles keep what they showed across
 * disconnects (to be saved); the plot starts again with each target. */
#pragma once

#include <gtk/gtk.h>

#include "glint-core.h"
#include "glint-job.h"

G_BEGIN_DECLS

#define GLINT_TYPE_TARGET_VIEW (glint_target_view_get_type())
G_DECLARE_FINAL_TYPE(GlintTargetView, glint_target_view, GLINT, TARGET_VIEW, GtkBox)

/* The most a console keeps; older output is dropped (and saying so) */
#define GLINT_TARGET_CONSOLE_MAX_CHARS (2u * 1024u * 1024u)

typedef enum {
	GLINT_TARGET_CONSOLE_SWO,
	GLINT_TARGET_CONSOLE_RTT,
} GlintTargetConsole;

GtkWidget *glint_target_view_new(void);

/* The connected target (NULL: none). */
void glint_target_view_set_session(GlintTargetView *self, GlintSession *session);
/* Whether the view may use the session now. */
void glint_target_view_set_active(GlintTargetView *self, gboolean active);
/* TRUE while its worker holds the session, until "stopped". */
gboolean glint_target_view_is_running(GlintTargetView *self);

/* The ELF for names: @path, or NULL for the one remembered as programmed
 * last through the probe (glint-programmed.h). Read on a worker thread;
 * glint_target_view_is_loading_elf() says when it is done. */
void glint_target_view_set_elf(GlintTargetView *self, const char *path);
gboolean glint_target_view_is_loading_elf(GlintTargetView *self);
/* The ELF in use (NULL: none). */
const char *glint_target_view_get_elf_path(GlintTargetView *self);

/* What the core panel shows: its state in words, and whether registers are
 * shown and @reg's value. */
const char *glint_target_view_get_state_text(GlintTargetView *self);
gboolean glint_target_view_get_core_state(GlintTargetView *self, GlintCoreState *state);
gboolean glint_target_view_get_register(GlintTargetView *self, GlintCoreReg reg, guint32 *value);

/* Adds @expression to the watch list (as the entry and Add do); FALSE with
 * the reason (an unknown name, a name without an ELF) otherwise. */
gboolean glint_target_view_add_watch(GlintTargetView *self, const char *expression, GError **error);
/* The value shown for watch item @index (free it), or NULL. */
gchar *glint_target_view_dup_watch_value(GlintTargetView *self, guint index);
/* Points the plot holds for item @index. */
guint glint_target_view_get_plot_points(GlintTargetView *self, guint index);

/* The whole text a console holds. */
gchar *glint_target_view_get_console_text(GlintTargetView *self, GlintTargetConsole console);
/* Writes the console's text to @path; an existing file is replaced only
 * with @replace (the file chooser asked), else GLINT_ERROR_IO says it
 * exists. */
gboolean glint_target_view_save_console(GlintTargetView *self, GlintTargetConsole console,
					const char *path, gboolean replace, GError **error);

/* The fault report's summary while a fault is shown (the banner), or NULL. */
const char *glint_target_view_get_fault_summary(GlintTargetView *self);
/* The whole report as shown in the Fault page ("" before any). */
gchar *glint_target_view_get_fault_text(GlintTargetView *self);

/* Signals:
 *  "stopped" (const GError *, NULL when asked to): the worker let go of the
 *            session; an error (the probe is gone) ended it
 *  "log"     (guint GLogLevelFlags, const char *): a line for the window's log */

G_END_DECLS
