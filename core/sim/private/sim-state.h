/* sim-state.h: the board state format (sim-state.c), for the file that
 * holds it (sim-state-file.c). Nothing outside core/sim sees it. */
#pragma once

#include "sim-private.h"

/* No board state comes near this (1 MiB of flash, stored page by page,
 * plus option bytes and OTP); a bigger file is not one. */
#define SIM_STATE_MAX_BYTES (8u * 1024u * 1024u)

/* The board's non-volatile state in the file format. */
GBytes *sim_state_serialize(GlintSim *sim);
/* A powered-up board from a file's bytes, everything checked first;
 * GLINT_ERROR_BAD_IMAGE naming @path and what is wrong. */
GlintSim *sim_state_new_from_bytes(GBytes *bytes, const char *path, GError **error);
