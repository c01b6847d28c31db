/* sim-faults.h: the emulator's fault injection, for its own files and the
 * machines: the brown-out threshold the rest of the sim powers the target
 * against, the hooks a flash model calls as each programming unit starts,
 * and the damage a cut leaves. */
#pragma once

#include "glint-sim.h"

/* The supply below which the chip is held in brown-out reset
 * (SimMachineOps.bor_threshold_mv, e.g. the L4's FLASH_OPTR.BOR_LEV). */
guint sim_faults_bor_mv(GlintSim *sim);

/* The flash model has just started programming the @unit bytes at @addr
 * (by the probe's memory writes or by code on the core). When a cut was
 * armed for this one, power fails now: the unit is left half programmed
 * and the supply is at 0 V; the core stops executing. */
void sim_faults_unit_started(GlintSim *sim, guint32 addr, guint unit);
/* The same for a row of @len bytes at @row (fast programming), which the
 * model programs at once when its last word arrives. */
void sim_faults_row_started(GlintSim *sim, guint32 row, guint32 len, guint unit);

/* Damage, deterministic per board time, towards the flash's erased value:
 * an erase cut short (some cells not erased yet), a program cut short (some
 * bits still erased; FALSE if @addr is not main flash). */
void sim_faults_cut_erase(GlintSim *sim, guint8 *p, gsize len);
gboolean sim_faults_cut_program(GlintSim *sim, guint32 addr, guint len);
