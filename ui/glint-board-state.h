/* glint-board-state.h: the simulated board's state file as the GUI uses it.
 * Owns the decisions taken before a board is loaded from that file or saved
 * over it: a file that is not a Glint board state is never read as one nor
 * written over; a damaged state is moved aside to "<name>.corrupt" (or
 * ".corrupt.1", ... never over an earlier one) and the board starts fresh.
 * GLib only: the job worker calls it. */
#pragma once

#include "glint-progress.h"
#include "glint-sim.h"

G_BEGIN_DECLS

/* The board kept in @path for @scenario. No file: a new board. A state
 * that does not load: set aside, a new board, and @notice (for the info
 * bar) says where it went. @reset: the user chose to start this file
 * afresh, so a valid state is not loaded either. Fails, touching nothing,
 * when @path is not a board state of this format or cannot be read. */
GlintSim *glint_board_state_open(const char *path, const char *scenario, gboolean reset,
				 GlintProgress *progress, gchar **notice, GError **error);

/* Whether a board may be saved over (or the file removed at) @path: absent,
 * or a Glint board state. The error names the file and why not. */
gboolean glint_board_state_may_replace(const char *path, GError **error);

/* Moves @path to "<path>.corrupt", or ".corrupt.N" with the first N not
 * taken; returns the new name. */
gchar *glint_board_state_set_aside(const char *path, GError **error);

G_END_DECLS
