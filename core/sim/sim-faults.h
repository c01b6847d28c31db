/* sim-faults.h: the emulator's fault injection, for its own files: the
 * brown-out threshold the rest of the sim powers the target against, and the
 * hook the flash controller calls as each double word starts programming. */
#pragma once

#include "glint-sim.h"

/* The supply below which the chip is held in brown-out reset: the BOR level
 * chosen by the loaded FLASH_OPTR.BOR_LEV (RM0351 5.1.4, DS10198). */
guint sim_faults_bor_mv(GlintSim *sim);

/* The flash controller has just started programming the double word at
 * @addr (by the probe's memory writes or by code on the core). When a cut
 * was armed for this one, power fails now: the word is left half programmed
 * and the supply is at 0 V; the core stops executing. */
void sim_faults_dword_started(GlintSim *sim, guint32 addr);
/* The same for a fast-programming row of @len bytes at @row, which the
 * model programs at once when its last word arrives. */
void sim_faults_row_started(GlintSim *sim, guint32 row, guint32 len);
