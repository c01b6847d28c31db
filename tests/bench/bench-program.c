/* Benchmark (`make bench`, issue 6 part 4 and issue 20): programming a random
 * image into every emulated board's flash, over the board's own simulated
 * ST-LINK (V2, V2-1 or V3), by Glint, OpenOCD and st-flash, in modelled
 * device seconds (the emulator's virtual clock, docs/timing-model.md),
 * against the bound the board's own flash sets
 * (glint_sim_get_flash_limit()). The harness is bench-harness.c.
 *
 *   bench-program [GLINT_USBSIM [GLINT_CLI]]
 *
 * Environment:
 *   GLINT_BENCH_BOARDS=a,b     those boards only (default: every board of
 *                              glint-cli --sim list)
 *   GLINT_BENCH_RUNS=N         runs of each case (default 3)
 *   GLINT_BENCH_SENSITIVITY=   family (default): the sensitivity runs on the
 *                              first board of each emulator machine chosen;
 *                              all: on every board; 0: none
 *   GLINT_BENCH_IMAGE_KB=N     an image of N KiB (default: the whole flash)
 *   GLINT_BENCH_PEERS=0        Glint and the bounds only: no OpenOCD, no
 *                              st-flash
 *   GLINT_BENCH_OPENOCD=PROG   OpenOCD to run (default openocd)
 *   GLINT_BENCH_STFLASH=PROG   st-flash to run (default st-flash)
 *   GLINT_BENCH_TOOL_TIMEOUT=S seconds one run of an external tool may take
 *                              (default: 300 + 100 x the board's limit);
 *                              one that takes longer is reported as timed
 *                              out and not retried
 *   GLINT_BENCH_OUTPUT=FILE    where the results go (default
 *                              bench-results.json in the current directory)
 * Prints each board's tables, then a summary of all. Without GLINT_USBSIM
 * (no umockdev) only the in-process cases run. */
#include <glib.h>
#include <stdlib.h>

#include "bench-harness.h"

#define RUNS_DEFAULT 3u

static guint
env_number(const char *name, guint dflt, guint min, guint max)
{
	const char *s = g_getenv(name);
	guint64 n = 0;
	if (s == NULL || *s == '\0')
		return dflt;
	if (!g_ascii_string_to_unsigned(s, 10, min, max, &n, NULL)) {
		g_printerr("%s=%s: give a number from %u to %u\n", name, s, min, max);
		exit(1);
	}
	return (guint)n;
}

typedef enum {
	SENSITIVITY_NONE,
	SENSITIVITY_FAMILY,
	SENSITIVITY_ALL,
} Sensitivity;

static Sensitivity
env_sensitivity(void)
{
	const char *s = g_getenv("GLINT_BENCH_SENSITIVITY");
	if (s == NULL || *s == '\0' || g_str_equal(s, "family"))
		return SENSITIVITY_FAMILY;
	if (g_str_equal(s, "0") || g_str_equal(s, "none"))
		return SENSITIVITY_NONE;
	if (g_str_equal(s, "all") || g_str_equal(s, "1"))
		return SENSITIVITY_ALL;
	g_printerr("GLINT_BENCH_SENSITIVITY=%s: give family, all or 0\n", s);
	exit(1);
}

/* The 1-minute load average, or -1 where /proc/loadavg is missing */
static gdouble
load_average(void)
{
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents("/proc/loadavg", &text, NULL, NULL))
		return -1;
	return g_ascii_strtod(text, NULL);
}

int
main(int argc, char **argv)
{
	BenchOptions options = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) boards = bench_select_boards(g_getenv("GLINT_BENCH_BOARDS"), &error);
	g_autoptr(GPtrArray) runs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)bench_board_run_free);
	g_autoptr(GHashTable) machines_done = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GString) json = g_string_new("{\n");
	g_autoptr(Bench) bench = NULL;
	const char *output = g_getenv("GLINT_BENCH_OUTPUT");
	Sensitivity sensitivity = env_sensitivity();
	gdouble load_start = load_average();

	if (boards == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	options.usbsim = argc > 1 ? argv[1] : NULL;
	options.glint_cli = argc > 2 ? argv[2] : NULL;
	options.openocd = g_getenv("GLINT_BENCH_OPENOCD");
	options.stflash = g_getenv("GLINT_BENCH_STFLASH");
	options.no_peers = g_strcmp0(g_getenv("GLINT_BENCH_PEERS"), "0") == 0;
	options.runs = env_number("GLINT_BENCH_RUNS", RUNS_DEFAULT, 1, 100);
	options.image_kb = env_number("GLINT_BENCH_IMAGE_KB", 0, 1, 1u << 20);
	options.tool_timeout_s = env_number("GLINT_BENCH_TOOL_TIMEOUT", 0, 1, 86400);
	bench = bench_new(&options, &error);
	if (bench == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}

	g_string_append_printf(
	    json,
	    "  \"runs\": %u,\n  \"probe\": \"each board's own (boards[].probe)\",\n"
	    "  \"host_idle\": \"deliberate idle only, net of the machine's "
	    "load\",\n  \"load_average_at_start\": %.2f,\n  \"boards\": [\n",
	    options.runs, load_start);
	for (guint i = 0; i < boards->len; i++) {
		const GlintSimBoardInfo *board = g_ptr_array_index(boards, i);
		gboolean with_sensitivity = sensitivity == SENSITIVITY_ALL ||
					    (sensitivity == SENSITIVITY_FAMILY &&
					     !g_hash_table_contains(machines_done, board->machine));
		g_autoptr(GError) board_error = NULL;
		BenchBoardRun *run = bench_run_board(bench, board, with_sensitivity, &board_error);
		if (run == NULL) {
			g_printerr("%s: %s\n", board->name, board_error->message);
			return 1;
		}
		if (with_sensitivity)
			g_hash_table_add(machines_done, board->machine);
		bench_print_board(run, options.runs);
		bench_json_board(json, run, i + 1 == boards->len);
		g_ptr_array_add(runs, run);
	}
	bench_print_summary(runs);
	g_string_append_printf(json, "  ],\n  \"load_average_at_end\": %.2f\n}\n", load_average());
	g_print("\nLoad average (1 min) at start %.2f, at end %.2f; %u CPUs\n", load_start,
		load_average(), g_get_num_processors());
	if (!g_file_set_contents(output != NULL ? output : "bench-results.json", json->str, -1,
				 &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	return 0;
}
