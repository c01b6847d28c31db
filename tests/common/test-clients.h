/* test-clients.h: helpers for tests that run independent clients (OpenOCD
 * 0.12, stlink-tools 1.7) and glint-cli against the emulator through
 * glint-usbsim: run them bounded in time with their output in the log,
 * make test images, and compare what they report with the board's state
 * (read back with the emulator's back door). */
#pragma once

#include <glib.h>

#include "glint-sim.h"

typedef struct {
	gchar *out;
	gchar *err;
	gint status; /* exit code, or 128 + signal */
} RunResult;

void run_result_clear(RunResult *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunResult, run_result_clear)

/* $GLINT_BUILD_DIR/@rel */
gchar *build_path(const char *rel);
/* The built glint-cli */
gchar *glint_cli(void);
/* Runs `glint-usbsim USBSIM_ARGS -- CMD...` under timeout, both streams
 * copied to the test log. */
void usbsim_run(const char *const *usbsim_args, const char *const *cmd, RunResult *r);
/* A test image that no erased or default pattern matches. */
GBytes *test_image(gsize len, guint seed);
/* Writes @image to @dir/@name; returns the path. */
gchar *write_image(const char *dir, const char *name, GBytes *image);
/* The board a state file holds (fails the test if it cannot load). */
GlintSim *load_board(const char *state);
void assert_flash_equals(GlintSim *sim, guint32 addr, GBytes *image);
void assert_file_equals(const char *path, GBytes *image);
/* The argv (NULL-terminated, borrowed strings) of OpenOCD with the ST-LINK
 * interface, @target_cfg ("target/stm32f4x.cfg"), `init; halt`, @commands
 * and `shutdown`. Without @work_area, `WORKAREASIZE 0` keeps OpenOCD off
 * its flash loader; with it, -d3 logs the loader's runs. */
void openocd_argv_for(GPtrArray *argv, const char *target_cfg, const char *const *commands,
		      gboolean work_area);
