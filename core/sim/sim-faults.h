/* sim-faults.h: the emulator's fault injection, for its own files: the
 * brown-out threshold the rest of the sim powers the target against. */
#pragma once

#include "glint-sim.h"

/* The supply below which the chip is held in brown-out reset: the BOR level
 * chosen by the loaded FLASH_OPTR.BOR_LEV (RM0351 5.1.4, DS10198). */
guint sim_faults_bor_mv(GlintSim *sim);
