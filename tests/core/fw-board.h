/* fw-board.h: a simulated NUCLEO-L476RG (or another board) running one of the test firmware
 * ELFs of tests/data/firmware, and a session connected to it, for the core
 * view's tests (core control, fault report, live watch). */
#pragma once

#include <check.h>

#include "glint-debug-info.h"
#include "glint-job.h"
#include "glint-sim.h"

typedef struct {
	GlintSim *sim;
	GlintSession *session;
	GlintDebugInfo *elf;
} FwBoard;

/* tests/data/firmware/@name under GLINT_SOURCE_DIR */
gchar *fw_board_path(const char *name);
/* A board whose flash holds @elf_name, powered on and left to run for
 * @run_ns of modelled time, then attached (without halting it when
 * @no_halt). */
FwBoard *fw_board_new(const char *elf_name, gint64 run_ns, gboolean no_halt);
/* The same on the board @spec ("nucleo-h743zi:fresh") behind the probe
 * @kind (@jtag_version its firmware's J number, 0: the emulator's default);
 * @elf_name NULL keeps what the scenario put in flash (no ELF then) */
FwBoard *fw_board_new_full(const char *spec, const char *elf_name, gint64 run_ns, gboolean no_halt,
			   GlintProbeKind kind, guint jtag_version);
void fw_board_free(FwBoard *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FwBoard, fw_board_free)
/* The address of the function or variable @name in the ELF */
guint32 fw_board_symbol(FwBoard *b, const char *name);
/* A word of target memory, through the sim's back door (no probe traffic) */
guint32 fw_board_peek32(FwBoard *b, guint32 addr);
