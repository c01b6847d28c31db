/* bench-harness.h: the program benchmark's harness (issue 20): for one
 * emulated board, a random image, Glint in-process and through glint-usbsim,
 * OpenOCD and st-flash each with its best documented flags and its default
 * invocation, all through the same emulator and the same accounting, each
 * case repeated, then the bounds the board's own flash sets
 * (glint_sim_get_flash_limit()). bench-program.c runs it over the boards
 * (`make bench`); test-bench-harness.c checks it on a tiny image in the
 * plain suite. The harness names no family: the bounds come from the
 * emulator, the boards from glint_sim_list_boards(), and the one table of
 * its own, the peers' configurations, is keyed by chip name. */
#pragma once

#include <glib.h>

#include "glint-sim.h"

typedef enum {
	BENCH_GLINT,	       /* in-process: loader, fastest programming, CRC verify */
	BENCH_GLINT_DIRECT,    /* in-process, no loader */
	BENCH_GLINT_REFLASH,   /* in-process, --smart with one byte changed */
	BENCH_GLINT_MASS,      /* in-process: erase --mass, then program --no-erase */
	BENCH_GLINT_USBSIM,    /* glint-cli through glint-usbsim */
	BENCH_OPENOCD,	       /* best documented flags */
	BENCH_OPENOCD_DEFAULT, /* `program FILE verify ADDR exit` */
	BENCH_STFLASH,	       /* best documented flags */
	BENCH_STFLASH_DEFAULT, /* `st-flash --reset write FILE ADDR` */
	BENCH_LIMIT,	       /* erase + programming (the emulator's bound) */
	BENCH_BOUND,	       /* + connect + verify */
	BENCH_N_KINDS,
} BenchKind;

typedef struct {
	const char *usbsim;    /* glint-usbsim; NULL: the in-process cases only */
	const char *glint_cli; /* glint-cli; NULL: no Glint through glint-usbsim */
	const char *openocd;   /* the program run as OpenOCD (NULL: "openocd") */
	const char *stflash;   /* the program run as st-flash (NULL: "st-flash") */
	guint runs;	       /* of each case, at least 1 */
	guint image_kb;	       /* the image's size; 0: the whole flash */
	gboolean no_peers;     /* Glint and the bounds only (OpenOCD and st-flash skipped) */
	gboolean quiet;	       /* no progress lines on stdout */
	guint tool_timeout_s;  /* per run of a tool; 0: from the board's limit */
} BenchOptions;

typedef struct {
	gchar *name;	/* glint_program_<board>, ... */
	gchar *command; /* what ran, as a user would type it */
	GArray *device_s;
	GArray *host_s;
	guint failures;	   /* failed attempts (each retried) */
	gboolean computed; /* a bound, not a run */
	gboolean skipped;  /* not run: the tool is missing or does not know the chip */
	gchar *note;	   /* what the tool did, or why it did not run ("skipped: ...") */
} BenchCase;

/* The estimates the sensitivity runs scale (docs/timing-model.md) */
typedef struct {
	const char *key; /* GLINT_SIM_CLOCK's */
	const char *what;
	gdouble factor;
} BenchVariation;

extern const BenchVariation bench_variations[];
extern const guint bench_n_variations;

/* One board's image, its cases and, when measured, its sensitivity rows
 * (device seconds per kind, < 0 when not run, per variation) */
typedef struct {
	GlintSimBoardInfo *board;
	gsize image_size;
	GBytes *data;
	gchar *image_path;
	GlintSimFlashLimit limit;
	/* the fastest SWD clock of the board's own probe: the peers' best
	 * flags ask it, the limit's link column moves the image at it */
	guint probe_khz;
	GlintProbeKind probe_kind;
	BenchCase cases[BENCH_N_KINDS];
	gdouble (*sensitivity)[BENCH_N_KINDS];
} BenchBoardRun;

typedef struct _Bench Bench;

/* A bench with a scratch directory for images and reports */
Bench *bench_new(const BenchOptions *options, GError **error);
void bench_free(Bench *bench);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Bench, bench_free)

/* The boards @names lists ("a,b", case as the emulator takes it), all
 * when NULL or empty: GlintSimBoardInfo in registry order. An unknown name
 * is GLINT_ERROR_INVALID_ARGUMENT naming the boards. */
GPtrArray *bench_select_boards(const char *names, GError **error);

/* Every case of @board, bench->runs times each, one run of each case in
 * turn; with @sensitivity, then one run of each case the ratios are made
 * of under each variation. FALSE only when the board cannot be measured
 * at all (no bound, no image): a tool that fails is noted in its case. */
BenchBoardRun *bench_run_board(Bench *bench, const GlintSimBoardInfo *board, gboolean sensitivity,
			       GError **error);
void bench_board_run_free(BenchBoardRun *run);
/* How long one run of an external tool on @br may take before it is
 * stopped and reported as "timed out" (and not retried) */
guint bench_tool_timeout_s(const BenchOptions *options, const BenchBoardRun *br);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BenchBoardRun, bench_board_run_free)

/* The OpenOCD target config the peers' cases give for @board (relative to
 * OpenOCD's scripts folder), or NULL when bench_peers has no row for it */
const char *bench_openocd_target(const GlintSimBoardInfo *board);

gboolean bench_case_measured(const BenchCase *c);
gdouble bench_case_min(const BenchCase *c);
gdouble bench_case_median(const BenchCase *c);
/* Glint as the peers run: through glint-usbsim when it ran, else in-process */
const BenchCase *bench_glint_reference(const BenchBoardRun *run);

/* The board's tables on stdout, and its entry of bench-results.json */
void bench_print_board(const BenchBoardRun *run, guint runs);
void bench_json_board(GString *json, const BenchBoardRun *run, gboolean last);
/* One line per board: image, limit, Glint, ratios (the summary table) */
void bench_print_summary(GPtrArray *runs);
