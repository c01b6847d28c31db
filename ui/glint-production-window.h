/* glint-production-window.h: the Production mode: a window an operator
 * runs a station from without reading a log. It opens a recipe (the recipe
 * cannot change while the station runs; the engineer edits it in the
 * recipe editor), starts and stops the station (one per probe: the USB
 * probes present, or a simulated fixture), and shows each probe large
 * (waiting, programming with its progress, PASS in green, FAIL in red with
 * what to do), the counters (done, passed, failed, boards per hour) and
 * the last records. The station runs on a worker thread; its events are
 * rendered on the main loop. Records go beside the recipe
 * (RECIPE-records.csv), as glint-cli auto writes them. */
#pragma once

#include <gtk/gtk.h>

#include "glint-recipe-editor.h"
#include "glint-sim.h"
#include "glint-station-tile.h"
#include "glint-window.h"

G_BEGIN_DECLS

#define GLINT_TYPE_PRODUCTION_WINDOW (glint_production_window_get_type())
G_DECLARE_FINAL_TYPE(GlintProductionWindow, glint_production_window, GLINT, PRODUCTION_WINDOW,
		     GtkApplicationWindow)

/* Set on the programmer window by the command line (glint-app.c): the
 * --sim-fixture boards and the --sim-state file the Production mode uses. */
#define GLINT_PRODUCTION_FIXTURE_KEY "glint-production-sim-fixture"
#define GLINT_PRODUCTION_STATE_KEY "glint-production-sim-state"

/* Boards in a simulated fixture when nothing says how many. */
#define GLINT_PRODUCTION_SIM_BOARDS "10"

typedef struct {
	const char *recipe_path;    /* opened at once (may be NULL) */
	const char *sim_board;	    /* BOARD[:SCENARIO]: a simulated fixture, no USB probe */
	const char *sim_fixture;    /* "N" or "SCENARIO,...": its boards (NULL: 10) */
	const char *sim_state_path; /* FILE: board k kept in FILE-k */
	guint poll_ms;		    /* 0: the station's default */
} GlintProductionOptions;

/* @app may be NULL (tests). */
GlintProductionWindow *glint_production_window_new(GtkApplication *app,
						   const GlintProductionOptions *options);
/* The Production mode over the programmer window @main: its probe (the
 * simulated board it selects, as a fixture of --sim-fixture boards, or the
 * USB probes) and its session, which is let go first; @main hides until
 * the Production window closes. */
GlintProductionWindow *glint_production_window_open(GlintWindow *main, const char *recipe_path);

/* Loads @path (on a worker thread); the outcome shows in the window. */
void glint_production_window_open_recipe(GlintProductionWindow *self, const char *path);
gboolean glint_production_window_is_loading(GlintProductionWindow *self);
/* The recipe loaded, or NULL. */
GlintRecipe *glint_production_window_get_recipe(GlintProductionWindow *self);
gboolean glint_production_window_is_running(GlintProductionWindow *self);
/* The error or notice shown in the info bar, or NULL. */
const char *glint_production_window_get_message(GlintProductionWindow *self);
guint glint_production_window_get_n_tiles(GlintProductionWindow *self);
GlintStationTile *glint_production_window_get_tile(GlintProductionWindow *self, guint index);
void glint_production_window_get_counts(GlintProductionWindow *self, guint *done, guint *passed,
					guint *failed);
/* The simulated fixture once the station started on one, or NULL. */
GlintSimFixture *glint_production_window_get_fixture(GlintProductionWindow *self);
/* The start confirmation or the recipe editor while shown, or NULL. */
GtkDialog *glint_production_window_get_confirm_dialog(GlintProductionWindow *self);
GlintRecipeEditor *glint_production_window_get_editor(GlintProductionWindow *self);
/* Renders the window into a PNG. */
gboolean glint_production_window_save_screenshot(GlintProductionWindow *self, const char *path,
						 GError **error);

G_END_DECLS
