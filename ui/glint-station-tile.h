/* glint-station-tile.h: one probe of a production station, as the operator
 * sees it from a step away: what to do now (insert a board, wait, remove
 * it) and the last board's result, large, PASS in green and FAIL in red
 * with the reason. Owns no probe: the Production window feeds it the
 * station's events. */
#pragma once

#include <gtk/gtk.h>

#include "glint-station-record.h"

G_BEGIN_DECLS

#define GLINT_TYPE_STATION_TILE (glint_station_tile_get_type())
G_DECLARE_FINAL_TYPE(GlintStationTile, glint_station_tile, GLINT, STATION_TILE, GtkFrame)

typedef enum {
	GLINT_TILE_IDLE,    /* the station does not run */
	GLINT_TILE_WAITING, /* no board */
	GLINT_TILE_WORKING, /* a board's job runs */
	GLINT_TILE_PASS,
	GLINT_TILE_FAIL,
	GLINT_TILE_LOST, /* the probe stopped answering */
} GlintTileState;

/* Probe @index (from 0) with @serial. Its children are named
 * "tile-N-status" (the large word), "tile-N-detail" (the step, the serial
 * number, or what failed), "tile-N-board" (board number, UID),
 * "tile-N-hint" (what the operator does now) and "tile-N-progress" (N
 * from 1); screen readers hear "Probe N status", "Probe N details", ... */
GtkWidget *glint_station_tile_new(guint index, const char *serial);

/* No board in (@message: what the operator should do). A result shown
 * stays until the next board starts. */
void glint_station_tile_set_waiting(GlintStationTile *self, const char *message, gdouble volts);
/* Board @board is in: its job starts. */
void glint_station_tile_set_board(GlintStationTile *self, guint board);
/* The job is at @step_title, @fraction of the whole done. */
void glint_station_tile_set_progress(GlintStationTile *self, const char *step_title,
				     gdouble fraction);
/* The board is done: PASS (serial, UID) or FAIL (the operator's words). */
void glint_station_tile_set_result(GlintStationTile *self, const GlintStationRecord *record);
/* Waiting for the operator to take the board out. */
void glint_station_tile_set_remove(GlintStationTile *self);
void glint_station_tile_set_lost(GlintStationTile *self, const char *message);
/* The station stopped (the last result stays shown). */
void glint_station_tile_set_stopped(GlintStationTile *self);

GlintTileState glint_station_tile_get_state(GlintStationTile *self);
/* The large word ("PASS") and the line under it (for a failure, what the
 * operator must do), as shown. */
const char *glint_station_tile_get_status(GlintStationTile *self);
const char *glint_station_tile_get_detail(GlintStationTile *self);

G_END_DECLS
