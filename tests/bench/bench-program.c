/* Benchmark (`make bench`, issue 6 part 4 and issue 20): programming a random
 * image that fills a simulated board's flash, over a simulated ST-LINK/V2,
 * by Glint, OpenOCD and st-flash, in modelled device seconds (the emulator's
 * virtual clock, docs/timing-model.md), against the bound the flash's own
 * datasheet times set.
 *
 *   bench-program [GLINT_USBSIM [GLINT_CLI]]
 *
 * Every tool that talks USB runs through GLINT_USBSIM (the emulator behind
 * real usbfs): Glint's own command line, OpenOCD and st-flash, each with its
 * best documented flags and with its default invocation. Glint also runs
 * in-process (no USB stack, no host at all between commands). Each case runs
 * GLINT_BENCH_RUNS times (default 3) and its minimum and median are
 * reported; then, unless GLINT_BENCH_SENSITIVITY=0, each estimate of the
 * model is halved and doubled (one run per case) to show how much the ratios
 * depend on it. GLINT_BENCH_BOARDS=a,b limits the run to those boards.
 * Prints the tables and writes bench-results.json into the current
 * directory. Without GLINT_USBSIM (no umockdev) only the in-process cases
 * run. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glint-job.h"
#include "glint-sim.h"
#include "l4/l4-timing.h"
#include "sim-clock.h"

#define FLASH_BASE 0x08000000u
/* The fastest SWD clock an ST-LINK/V2 offers (divisor 0), which OpenOCD's
 * and stlink's speed tables both accept. */
#define PROBE_MAX_KHZ 4000u
#define RUNS_DEFAULT 3u
/* Failed runs of a tool retried before the run is given up: st-flash
 * gives its loader 500 ms of host time per 32 KiB, which a very loaded
 * machine can exceed (docs/timing-model.md, "Host idle time"). */
#define RETRIES 3u
/* Seconds any external tool may run before it is killed. */
#define TOOL_TIMEOUT_S "900"
/* The fewest probe commands any tool needs to connect: read the probe's
 * version, enter SWD mode, read DBGMCU_IDCODE, read the flash size, halt
 * the core. */
#define CONNECT_MIN_COMMANDS 5u
/* And to verify by CRC on the target: start the code, read the result. */
#define VERIFY_MIN_COMMANDS 2u
/* RM0351 14.3: the CRC unit takes 4 HCLK cycles per 32-bit word. */
#define CRC_CYCLES_PER_WORD 4u

/* ---- the boards: one row each ------------------------------------------ */

/* Everything the harness knows about a board: its cases are named after
 * `board` (glint_program_<board>, openocd_program_<board>, ...). */
typedef struct {
	const char *board;		/* case name suffix */
	const char *sim;		/* glint_sim_new() / glint-usbsim --scenario */
	gsize flash_size;		/* bytes */
	gsize image_size;		/* bytes of random data from the flash base */
	const char *openocd_target;	/* OpenOCD target config */
	const char *openocd_mass_erase; /* its mass-erase command, NULL if none */
	gboolean stflash;		/* st-flash 1.7 programs this family */
	/* The flash bound, datasheet typical times: the fastest programming
	 * unit (bytes, ns) and one erase of the whole flash (ns). */
	guint limit_unit_bytes;
	gint64 limit_unit_ns;
	gint64 limit_erase_ns;
	const char *limit_how;
	guint32 max_hclk_hz;   /* for the verify bound: the CRC unit's clock */
	gboolean legacy_names; /* earlier results used the *_1mib names */
} BenchBoard;

static const BenchBoard bench_boards[] = {
    {
	.board = "nucleo-l476rg",
	/* the emulator's NUCLEO-L476RG; the board API will call it by name */
	.sim = "fresh",
	.flash_size = 1024 * 1024,
	.image_size = 1024 * 1024,
	.openocd_target = "target/stm32l4x.cfg",
	.openocd_mass_erase = "stm32l4x mass_erase 0",
	.stflash = TRUE,
	/* fast programming: rows of 32 double words (RM0351 3.3.7) */
	.limit_unit_bytes = 256,
	.limit_unit_ns = SIM_FLASH_FAST_ROW_NS,
	.limit_erase_ns = SIM_FLASH_MASS_ERASE_NS,
	.limit_how = "fast programming of 256-byte rows (DS10198 typical) + one mass erase",
	.max_hclk_hz = 80000000, /* DS10198 */
	.legacy_names = TRUE,
    },
    {
	.board = "nucleo-g071rb",
	.sim = "nucleo-g071rb",
	.flash_size = 128 * 1024,
	.image_size = 128 * 1024,
	.openocd_target = "target/stm32g0x.cfg",
	.openocd_mass_erase = "stm32l4x mass_erase 0",
	.stflash = TRUE,
	/* fast programming: rows of 32 double words (RM0444 3.3.7) */
	.limit_unit_bytes = 256,
	.limit_unit_ns = G0_FLASH_FAST_ROW_NS,
	.limit_erase_ns = G0_FLASH_MASS_ERASE_NS,
	.limit_how = "fast programming of 256-byte rows (DS12232 typical, recalled) + one mass "
		     "erase",
	.max_hclk_hz = 64000000, /* DS12232 */
    },
    {
	.board = "p-nucleo-wb55",
	.sim = "p-nucleo-wb55",
	.flash_size = 1024 * 1024,
	/* below the FUS, which CPU2 keeps from page 0xF4 (SFSA) on */
	.image_size = 0xF4 * 4096,
	.openocd_target = "target/stm32wbx.cfg",
	/* RM0434 3.3.7: a mass erase from CPU1 is a bus error */
	.openocd_mass_erase = NULL,
	.stflash = TRUE,
	/* double words: fast programming needs the bank mass-erased (RM0434
	 * 3.3.7), which CPU1 may not do (the ST community confirms FSTPG then
	 * fails); 244 page erases. The L4's cell times (recalled for DS11929) */
	.limit_unit_bytes = 8,
	.limit_unit_ns = SIM_FLASH_DOUBLE_WORD_NS,
	.limit_erase_ns = 0xF4 * SIM_FLASH_PAGE_ERASE_NS,
	.limit_how = "double words (CPU1 can neither mass erase nor fast-program, RM0434 3.3.7) "
		     "+ 244 page erases, the L4's typical times (recalled for DS11929)",
	.max_hclk_hz = 64000000, /* DS11929 */
    },
};

/* ---- the cases ---------------------------------------------------------- */

typedef enum {
	K_GLINT,	   /* in-process: loader, fast programming, CRC verify */
	K_GLINT_DIRECT,	   /* in-process, no loader */
	K_GLINT_REFLASH,   /* in-process, --smart with one page changed */
	K_GLINT_USBSIM,	   /* glint-cli through glint-usbsim */
	K_OPENOCD,	   /* best flags */
	K_OPENOCD_DEFAULT, /* `program FILE verify ADDR exit` */
	K_STFLASH,	   /* best flags */
	K_STFLASH_DEFAULT, /* `st-flash --reset write FILE ADDR` */
	K_LIMIT,	   /* erase + programming */
	K_BOUND,	   /* + connect + verify */
	N_KINDS,
} Kind;

static const struct {
	const char *prefix;
	const char *suffix;
	const char *legacy; /* the name before issue 20 (boards with legacy_names) */
} kinds[N_KINDS] = {
    [K_GLINT] = {"glint_program_", "", "glint_program_1mib"},
    [K_GLINT_DIRECT] = {"glint_program_", "_direct", "glint_program_1mib_direct"},
    [K_GLINT_REFLASH] = {"glint_reflash_1page_", "", "glint_reflash_1page"},
    [K_GLINT_USBSIM] = {"glint_program_", "_usbsim", NULL},
    [K_OPENOCD] = {"openocd_program_", "", NULL},
    /* the same invocation as the old openocd_program_1mib */
    [K_OPENOCD_DEFAULT] = {"openocd_program_", "_default", "openocd_program_1mib"},
    [K_STFLASH] = {"stflash_program_", "", NULL},
    /* the same invocation as the old stflash_program_1mib */
    [K_STFLASH_DEFAULT] = {"stflash_program_", "_default", "stflash_program_1mib"},
    [K_LIMIT] = {"limit_program_", "", "limit_program_1mib"},
    [K_BOUND] = {"limit_program_", "_connect_verify", NULL},
};

/* The cases each sensitivity run repeats: those the ratios are made of. */
static const Kind sensitivity_kinds[] = {K_GLINT,	    K_GLINT_USBSIM, K_OPENOCD,
					 K_OPENOCD_DEFAULT, K_STFLASH,	    K_STFLASH_DEFAULT};

typedef struct {
	gchar *name;
	gchar *command; /* what ran, as a user would type it */
	GArray *device_s;
	GArray *host_s;
	guint failures;
	gboolean computed; /* a bound, not a run */
	gchar *note;	   /* what the tool said it did, or why it did not run */
} Case;

static void
case_clear(Case *c)
{
	g_free(c->name);
	g_free(c->command);
	g_clear_pointer(&c->device_s, g_array_unref);
	g_clear_pointer(&c->host_s, g_array_unref);
	g_free(c->note);
}

static gboolean
case_measured(const Case *c)
{
	return c->device_s->len > 0;
}

static gint
compare_doubles(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return (x > y) - (x < y);
}

static gdouble
values_min(GArray *v)
{
	gdouble m = g_array_index(v, gdouble, 0);
	for (guint i = 1; i < v->len; i++)
		m = MIN(m, g_array_index(v, gdouble, i));
	return m;
}

static gdouble
values_median(GArray *v)
{
	g_autoptr(GArray) s = g_array_copy(v);
	g_array_sort(s, compare_doubles);
	if (s->len % 2 == 1)
		return g_array_index(s, gdouble, s->len / 2);
	return (g_array_index(s, gdouble, s->len / 2 - 1) + g_array_index(s, gdouble, s->len / 2)) /
	       2;
}

/* ---- how the bench runs -------------------------------------------------- */

typedef struct {
	const char *usbsim; /* NULL: no umockdev, in-process cases only */
	const char *glint_cli;
	gchar *dir; /* scratch directory: images, reports */
	guint runs;
	gboolean sensitivity;
	gboolean have_openocd;
	gboolean have_stflash;
} Bench;

/* One board's image and its cases. */
typedef struct {
	const BenchBoard *board;
	GBytes *data;
	gchar *image_path;
	Case cases[N_KINDS];
} BoardRun;

static GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

static GlintImage *
image_of(const guint8 *data, gsize len, const char *name)
{
	GlintImage *image = glint_image_new();
	g_autoptr(GError) error = NULL;
	if (!glint_image_add(image, FLASH_BASE, data, len, name, &error))
		g_error("image %s: %s", name, error->message);
	return image;
}

static void
set_model(const char *spec)
{
	g_autoptr(GError) error = NULL;
	if (!glint_sim_set_clock_model(spec, &error))
		g_error("%s", error->message);
}

/* ---- Glint in-process ---------------------------------------------------- */

typedef struct {
	gdouble device_s;
	gdouble host_s;
	gchar *note;
} Run;

static GlintSim *
sim_open(const BenchBoard *board)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new(board->sim, &error);
	if (sim == NULL)
		g_error("board %s (scenario %s): %s", board->board, board->sim, error->message);
	return sim;
}

/* Connect + program (+ verify) on @sim, timed as a user would see it. */
static Run
glint_program(GlintSim *sim, GlintImage *image, const GlintProgramOptions *options)
{
	g_autoptr(GlintTransport) transport = glint_sim_transport_new(sim);
	GlintSession *session = glint_session_new(transport);
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};
	gint64 t0 = glint_sim_get_time_ns(sim), h0 = g_get_monotonic_time();
	Run r = {0};

	if (!glint_job_connect(session, NULL, NULL, NULL, &error) ||
	    !glint_job_program(session, image, options, NULL, NULL, &result, &error))
		g_error("Glint in-process: %s", error->message);
	r.device_s = (glint_sim_get_time_ns(sim) - t0) / 1e9;
	r.host_s = (g_get_monotonic_time() - h0) / 1e6;
	r.note = g_strdup_printf("%s%s%s%s", result.loader_used ? "loader" : "direct",
				 result.fast_programmed ? ", fast programming" : "",
				 result.pages_skipped ? ", smart" : "",
				 options->verify ? ", verified" : "");
	glint_job_result_clear(&result);
	glint_job_disconnect(session);
	glint_session_unref(session);
	return r;
}

static Run
run_glint_inprocess(BoardRun *br, Kind kind)
{
	const BenchBoard *board = br->board;
	gsize len = g_bytes_get_size(br->data);
	g_autoptr(GlintImage) image = image_of(g_bytes_get_data(br->data, NULL), len, "random");
	g_autoptr(GlintSim) sim = sim_open(board);
	GlintProgramOptions loader = {.verify = TRUE};
	GlintProgramOptions direct = {.verify = TRUE, .no_loader = TRUE};
	GlintProgramOptions smart = {.verify = TRUE, .smart = TRUE};
	Run first, again;

	if (kind == K_GLINT_DIRECT)
		return glint_program(sim, image, &direct);
	first = glint_program(sim, image, &loader);
	if (kind == K_GLINT)
		return first;
	/* one byte changed in the middle: one page to rewrite, on the board
	 * just programmed */
	{
		g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(br->data, NULL), len);
		g_autoptr(GlintImage) changed = NULL;
		copy[len / 2 + 17] ^= 0x5A;
		changed = image_of(copy, len, "changed");
		again = glint_program(sim, changed, &smart);
	}
	g_free(first.note);
	return again;
}

/* ---- tools through glint-usbsim ------------------------------------------ */

/* A counter of glint-usbsim's --report-time file, or -1. */
static gdouble
report_value(const char *text, const char *key)
{
	g_autofree gchar *needle = g_strdup_printf("%s ", key);
	const char *p = strstr(text, needle);
	return p != NULL ? g_ascii_strtod(p + strlen(needle), NULL) : -1;
}

/* The modelled seconds, and what the probe saw as a note. */
static gboolean
read_report(const char *path, gdouble *device_s, gchar **note)
{
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	*device_s = report_value(text, "device_seconds");
	if (*device_s < 0)
		return FALSE;
	*note = g_strdup_printf(
	    "%.0f commands; erased by %.0f mass and %.0f page erases; %.0f "
	    "double words written",
	    report_value(text, "usb_commands"), report_value(text, "mass_erases"),
	    report_value(text, "pages_erased"), report_value(text, "double_words_programmed"));
	return TRUE;
}

/* The last line of @out that reports an error, else its last line. */
static gchar *
tool_summary(const char *out)
{
	g_auto(GStrv) lines = g_strsplit(out != NULL ? out : "", "\n", -1);
	const char *found = NULL, *last = NULL;
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		if (*line == '\0')
			continue;
		last = line;
		if (strstr(line, "ERROR") != NULL || strstr(line, "Error") != NULL ||
		    strstr(line, "error:") != NULL)
			found = line;
	}
	return g_strdup_printf("failed: %s", found != NULL  ? found
					     : last != NULL ? last
							    : "no output");
}

/* Runs @tool through glint-usbsim on a fresh board with the model @spec;
 * FALSE (and the tool's error in @note) when it failed. */
static gboolean
run_usbsim(const Bench *b, const BenchBoard *board, GPtrArray *tool, const char *spec, Run *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *report = g_build_filename(b->dir, "report.txt", NULL);
	g_autofree gchar *out = NULL, *err = NULL, *all = NULL;
	g_auto(GStrv) envp = g_get_environ();
	g_autoptr(GError) error = NULL;
	gint status = 0;
	gint64 h0;

	for (const char *const *a = (const char *const[]){"timeout", "-k", "5", TOOL_TIMEOUT_S,
							  b->usbsim, "--scenario", board->sim,
							  "--report-time", report, "--", NULL};
	     *a != NULL; a++)
		g_ptr_array_add(argv, (gpointer)*a);
	for (guint i = 0; i < tool->len; i++)
		g_ptr_array_add(argv, g_ptr_array_index(tool, i));
	g_ptr_array_add(argv, NULL);
	/* the whole environment as it is, but the model exactly as asked */
	envp = *spec != '\0' ? g_environ_setenv(envp, SIM_CLOCK_ENV, spec, TRUE)
			     : g_environ_unsetenv(envp, SIM_CLOCK_ENV);

	g_unlink(report);
	h0 = g_get_monotonic_time();
	if (!g_spawn_sync(b->dir, (gchar **)argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
			  &out, &err, &status, &error)) {
		r->note = g_strdup(error->message);
		return FALSE;
	}
	r->host_s = (g_get_monotonic_time() - h0) / 1e6;
	all = g_strconcat(out, err, NULL);
	if (!g_spawn_check_wait_status(status, NULL) ||
	    !read_report(report, &r->device_s, &r->note)) {
		r->note = tool_summary(all);
		return FALSE;
	}
	return TRUE;
}

static void
add_args(GPtrArray *argv, ...)
{
	va_list ap;
	const char *a;
	va_start(ap, argv);
	while ((a = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, g_strdup(a));
	va_end(ap);
}

/* The command line of @kind for @br, or NULL when it does not run. */
static GPtrArray *
tool_argv(const Bench *b, const BoardRun *br, Kind kind)
{
	const BenchBoard *board = br->board;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *khz = g_strdup_printf("%u", PROBE_MAX_KHZ);
	g_autofree gchar *base = g_strdup_printf("0x%08x", FLASH_BASE);
	const char *img = br->image_path;

	switch (kind) {
	case K_GLINT_USBSIM:
		/* Glint's defaults are its best: 4 MHz, loader, CRC verify */
		add_args(argv, b->glint_cli, "program", img, "--verify", "--reset", NULL);
		break;
	case K_OPENOCD:
	case K_OPENOCD_DEFAULT:
		add_args(argv, "openocd", "-c", "gdb_port disabled", "-c", "telnet_port disabled",
			 "-c", "tcl_port disabled", "-f", "interface/stlink.cfg", "-c",
			 "transport select hla_swd", "-f", board->openocd_target, NULL);
		if (kind == K_OPENOCD_DEFAULT) {
			g_ptr_array_add(argv, g_strdup("-c"));
			g_ptr_array_add(argv,
					g_strdup_printf("program %s verify %s exit", img, base));
			break;
		}
		/* the target config starts at 500 kHz and its reset-init
		 * handler raises the clock; ask for the fastest from the start */
		g_ptr_array_add(argv, g_strdup("-c"));
		g_ptr_array_add(argv, g_strdup_printf("adapter speed %s", khz));
		add_args(argv, "-c", "init", "-c", "reset init", NULL);
		g_ptr_array_add(argv, g_strdup("-c"));
		if (board->openocd_mass_erase != NULL) {
			g_ptr_array_add(argv, g_strdup(board->openocd_mass_erase));
			g_ptr_array_add(argv, g_strdup("-c"));
			g_ptr_array_add(argv,
					g_strdup_printf("flash write_image %s %s", img, base));
		} else {
			g_ptr_array_add(
			    argv, g_strdup_printf("flash write_image erase %s %s", img, base));
		}
		g_ptr_array_add(argv, g_strdup("-c"));
		g_ptr_array_add(argv, g_strdup_printf("verify_image %s %s", img, base));
		add_args(argv, "-c", "reset run", "-c", "shutdown", NULL);
		break;
	case K_STFLASH:
	case K_STFLASH_DEFAULT:
		g_ptr_array_add(argv, g_strdup("st-flash"));
		if (kind == K_STFLASH)
			g_ptr_array_add(argv, g_strdup_printf("--freq=%s", khz));
		add_args(argv, "--reset", "write", img, base, NULL);
		break;
	default:
		return NULL;
	}
	return g_steal_pointer(&argv);
}

/* Why @kind does not run on this machine or board, or NULL. */
static const char *
not_run_reason(const Bench *b, const BenchBoard *board, Kind kind)
{
	switch (kind) {
	case K_GLINT_USBSIM:
	case K_OPENOCD:
	case K_OPENOCD_DEFAULT:
	case K_STFLASH:
	case K_STFLASH_DEFAULT:
		if (b->usbsim == NULL)
			return "not run: no glint-usbsim (umockdev missing)";
		if ((kind == K_OPENOCD || kind == K_OPENOCD_DEFAULT) && !b->have_openocd)
			return "not run: openocd not installed";
		if (kind == K_STFLASH || kind == K_STFLASH_DEFAULT) {
			if (!b->have_stflash)
				return "not run: st-flash not installed";
			if (!board->stflash)
				return "not run: st-flash 1.7 does not program this family";
		}
		if (kind == K_GLINT_USBSIM && b->glint_cli == NULL)
			return "not run: no glint-cli given";
		return NULL;
	default:
		return NULL;
	}
}

static gboolean
kind_is_inprocess(Kind kind)
{
	return kind == K_GLINT || kind == K_GLINT_DIRECT || kind == K_GLINT_REFLASH;
}

/* One run of @kind under @spec, retried when the tool fails. */
static gboolean
run_once(const Bench *b, BoardRun *br, Kind kind, const char *spec, Run *r, guint *failures)
{
	g_autoptr(GPtrArray) argv = NULL;

	if (kind_is_inprocess(kind)) {
		set_model(spec);
		*r = run_glint_inprocess(br, kind);
		set_model("");
		return TRUE;
	}
	argv = tool_argv(b, br, kind);
	for (guint attempt = 0; attempt <= RETRIES; attempt++) {
		*r = (Run){0};
		if (run_usbsim(b, br->board, argv, spec, r))
			return TRUE;
		(*failures)++;
		g_printerr("  %s%s%s failed: %s%s\n", kinds[kind].prefix, br->board->board,
			   kinds[kind].suffix, r->note, attempt < RETRIES ? "; again" : "");
		if (attempt < RETRIES)
			g_clear_pointer(&r->note, g_free);
	}
	return FALSE;
}

/* ---- the bounds ---------------------------------------------------------- */

/* Erase + programming at the datasheet's typical times. */
static gdouble
limit_s(const BenchBoard *board)
{
	guint64 units = (board->image_size + board->limit_unit_bytes - 1) / board->limit_unit_bytes;
	return (units * board->limit_unit_ns + board->limit_erase_ns) / 1e9;
}

/* The limit + the fewest commands a connect needs + a CRC of the image by
 * the CRC unit at the highest HCLK and the commands to start and read it,
 * with the command round trip scaled by @usb_factor. */
static gdouble
bound_s(const BenchBoard *board, gdouble usb_factor)
{
	gdouble command_s = SIM_USB_FS_COMMAND_NS * usb_factor / 1e9;
	gdouble crc_s = (gdouble)(board->image_size / 4) * CRC_CYCLES_PER_WORD / board->max_hclk_hz;
	return limit_s(board) + (CONNECT_MIN_COMMANDS + VERIFY_MIN_COMMANDS) * command_s + crc_s;
}

/* ---- the measurements ---------------------------------------------------- */

static gchar *
command_line(GPtrArray *argv)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < argv->len; i++) {
		const char *a = g_ptr_array_index(argv, i);
		g_autofree gchar *quoted = strpbrk(a, " {}") != NULL ? g_shell_quote(a) : NULL;
		if (i > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, quoted != NULL ? quoted : a);
	}
	return g_string_free(s, FALSE);
}

static void
board_run_init(const Bench *b, BoardRun *br, const BenchBoard *board)
{
	g_autofree gchar *file = g_strdup_printf("%s.bin", board->board);
	br->board = board;
	br->data = random_bytes(board->image_size, 1);
	br->image_path = g_build_filename(b->dir, file, NULL);
	if (!g_file_set_contents(br->image_path, g_bytes_get_data(br->data, NULL),
				 (gssize)board->image_size, NULL))
		g_error("cannot write %s", br->image_path);
	for (guint k = 0; k < N_KINDS; k++) {
		Case *c = &br->cases[k];
		g_autoptr(GPtrArray) argv = tool_argv(b, br, (Kind)k);
		c->name = g_strconcat(kinds[k].prefix, board->board, kinds[k].suffix, NULL);
		c->device_s = g_array_new(FALSE, FALSE, sizeof(gdouble));
		c->host_s = g_array_new(FALSE, FALSE, sizeof(gdouble));
		if (argv != NULL)
			c->command = command_line(argv);
	}
	br->cases[K_GLINT].command = g_strdup("in-process: connect, program, verify");
	br->cases[K_GLINT_DIRECT].command =
	    g_strdup("in-process: connect, program without the loader, read-back verify");
	br->cases[K_GLINT_REFLASH].command =
	    g_strdup("in-process, after glint_program: --smart with one byte changed");
}

static void
board_run_clear(BoardRun *br)
{
	for (guint k = 0; k < N_KINDS; k++)
		case_clear(&br->cases[k]);
	g_bytes_unref(br->data);
	g_unlink(br->image_path);
	g_free(br->image_path);
}

/* Runs every case of @br b->runs times, one run of each case in turn, so
 * that a change in the machine's load does not fall on one case only. */
static void
measure_board(const Bench *b, BoardRun *br)
{
	const BenchBoard *board = br->board;
	for (guint run = 0; run < b->runs; run++) {
		g_print("%s: run %u of %u\n", board->board, run + 1, b->runs);
		for (guint k = 0; k < N_KINDS; k++) {
			Case *c = &br->cases[k];
			const char *reason = not_run_reason(b, board, (Kind)k);
			Run r = {0};
			if (k == K_LIMIT || k == K_BOUND)
				continue;
			if (reason != NULL) {
				if (c->note == NULL)
					c->note = g_strdup(reason);
				continue;
			}
			if (run_once(b, br, (Kind)k, "", &r, &c->failures)) {
				g_array_append_val(c->device_s, r.device_s);
				g_array_append_val(c->host_s, r.host_s);
				g_print("  %-44s %9.3f s device %8.1f s host\n", c->name,
					r.device_s, r.host_s);
			}
			g_free(c->note);
			c->note = g_steal_pointer(&r.note);
		}
	}
	{
		gdouble limit = limit_s(board), bound = bound_s(board, 1.0);
		Case *l = &br->cases[K_LIMIT], *bd = &br->cases[K_BOUND];
		gdouble dw = (board->image_size / 8) * SIM_FLASH_DOUBLE_WORD_NS / 1e9 +
			     board->limit_erase_ns / 1e9;
		l->computed = bd->computed = TRUE;
		g_array_append_val(l->device_s, limit);
		g_array_append_val(bd->device_s, bound);
		l->command = g_strdup(board->limit_how);
		l->note = g_strdup_printf("double words instead would take %.3f s", dw);
		bd->command = g_strdup_printf(
		    "the limit + %u commands to connect + a CRC of the image by the CRC unit "
		    "at %u MHz + %u commands to run it",
		    CONNECT_MIN_COMMANDS, board->max_hclk_hz / 1000000, VERIFY_MIN_COMMANDS);
		bd->note = g_strdup("a bound: no tool can connect, erase, program and verify "
				    "faster under the model");
	}
}

/* ---- ratios --------------------------------------------------------------- */

/* Glint as the peers run: through glint-usbsim when it ran, else in-process. */
static const Case *
glint_reference(const BoardRun *br)
{
	const Case *u = &br->cases[K_GLINT_USBSIM];
	return case_measured(u) ? u : &br->cases[K_GLINT];
}

static const Kind peer_kinds[] = {K_OPENOCD, K_OPENOCD_DEFAULT, K_STFLASH, K_STFLASH_DEFAULT};
static const char *const peer_labels[] = {"OpenOCD best", "OpenOCD default", "st-flash best",
					  "st-flash default"};
static const Kind glint_kinds[] = {K_GLINT, K_GLINT_USBSIM};

/* ---- sensitivity ---------------------------------------------------------- */

typedef struct {
	const char *key;
	const char *what;
	gdouble factor;
} Variation;

static const Variation variations[] = {
    {"usb-command", "USB command round trip", 0.5},
    {"usb-command", "USB command round trip", 2.0},
    {"swd-access", "SWD cycles per access", 0.5},
    {"swd-access", "SWD cycles per access", 2.0},
    {"cpu-cycles", "CPU cycles per instruction", 0.5},
    {"cpu-cycles", "CPU cycles per instruction", 2.0},
};

typedef struct {
	gdouble device_s[N_KINDS]; /* < 0: not run or failed */
} SensitivityRow;

static void
measure_sensitivity(const Bench *b, BoardRun *br, SensitivityRow *rows)
{
	for (guint v = 0; v < G_N_ELEMENTS(variations); v++) {
		g_autofree gchar *spec =
		    g_strdup_printf("%s=%g", variations[v].key, variations[v].factor);
		g_print("%s: sensitivity, %s\n", br->board->board, spec);
		for (guint k = 0; k < N_KINDS; k++)
			rows[v].device_s[k] = -1;
		for (guint i = 0; i < G_N_ELEMENTS(sensitivity_kinds); i++) {
			Kind k = sensitivity_kinds[i];
			Run r = {0};
			guint failures = 0;
			if (not_run_reason(b, br->board, k) != NULL)
				continue;
			if (run_once(b, br, k, spec, &r, &failures))
				rows[v].device_s[k] = r.device_s;
			g_print("  %-44s %9.3f s device\n", br->cases[k].name, rows[v].device_s[k]);
			g_free(r.note);
		}
	}
}

static gdouble
sensitivity_glint(const SensitivityRow *row)
{
	return row->device_s[K_GLINT_USBSIM] > 0 ? row->device_s[K_GLINT_USBSIM]
						 : row->device_s[K_GLINT];
}

/* ---- output ---------------------------------------------------------------- */

static void
json_string(GString *json, const char *s)
{
	g_string_append_c(json, '"');
	for (const char *p = s != NULL ? s : ""; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(json, "\\%c", *p);
		else if ((guchar)*p < 0x20)
			g_string_append_printf(json, "\\u%04x", (guchar)*p);
		else
			g_string_append_c(json, *p);
	}
	g_string_append_c(json, '"');
}

static void
json_values(GString *json, GArray *v)
{
	g_string_append_c(json, '[');
	for (guint i = 0; i < v->len; i++)
		g_string_append_printf(json, "%s%.4f", i > 0 ? ", " : "",
				       g_array_index(v, gdouble, i));
	g_string_append_c(json, ']');
}

static void
json_case(GString *json, const BoardRun *br, Kind k, gboolean last)
{
	const Case *c = &br->cases[k];
	g_string_append(json, "        {\"name\": ");
	json_string(json, c->name);
	if (br->board->legacy_names && kinds[k].legacy != NULL) {
		g_string_append(json, ", \"alias\": ");
		json_string(json, kinds[k].legacy);
	}
	g_string_append(json, ", \"command\": ");
	json_string(json, c->command);
	if (case_measured(c)) {
		g_string_append_printf(json,
				       ", \"device_seconds_min\": %.4f, "
				       "\"device_seconds_median\": %.4f",
				       values_min(c->device_s), values_median(c->device_s));
		if (!c->computed) {
			g_string_append(json, ", \"device_seconds\": ");
			json_values(json, c->device_s);
			g_string_append(json, ", \"host_seconds\": ");
			json_values(json, c->host_s);
			g_string_append_printf(json, ", \"failed_runs\": %u", c->failures);
		}
	} else {
		g_string_append(json, ", \"device_seconds_min\": null, "
				      "\"device_seconds_median\": null");
	}
	g_string_append(json, ", \"note\": ");
	json_string(json, c->note);
	g_string_append_printf(json, "}%s\n", last ? "" : ",");
}

static void
json_ratio(GString *json, const char *name, const Case *num, const Case *den, gboolean *first)
{
	g_string_append_printf(json, "%s\n        ", *first ? "" : ",");
	*first = FALSE;
	json_string(json, name);
	if (case_measured(num) && case_measured(den))
		g_string_append_printf(json, ": {\"of_min\": %.3f, \"of_median\": %.3f}",
				       values_min(num->device_s) / values_min(den->device_s),
				       values_median(num->device_s) / values_median(den->device_s));
	else
		g_string_append(json, ": null");
}

static void
json_board(GString *json, const BoardRun *br, const SensitivityRow *rows, gboolean last)
{
	const BenchBoard *board = br->board;
	const Case *glint = glint_reference(br);
	gboolean first = TRUE;

	g_string_append(json, "    {\n      \"board\": ");
	json_string(json, board->board);
	g_string_append_printf(json,
			       ",\n      \"flash_bytes\": %" G_GSIZE_FORMAT
			       ", \"image_bytes\": %" G_GSIZE_FORMAT ",\n",
			       board->flash_size, board->image_size);
	g_string_append(json, "      \"openocd_target\": ");
	json_string(json, board->openocd_target);
	g_string_append(json, ", \"openocd_mass_erase\": ");
	json_string(json, board->openocd_mass_erase);
	g_string_append_printf(json, ", \"stflash\": %s,\n      \"cases\": [\n",
			       board->stflash ? "true" : "false");
	for (guint k = 0; k < N_KINDS; k++)
		json_case(json, br, (Kind)k, k + 1 == N_KINDS);
	g_string_append(json, "      ],\n      \"ratios\": {");
	for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
		g_autofree gchar *name =
		    g_strdup_printf("%s / %s", br->cases[peer_kinds[i]].name, glint->name);
		json_ratio(json, name, &br->cases[peer_kinds[i]], glint, &first);
	}
	for (guint i = 0; i < G_N_ELEMENTS(glint_kinds); i++) {
		Kind k = glint_kinds[i];
		for (guint l = K_LIMIT; l <= K_BOUND; l++) {
			g_autofree gchar *name =
			    g_strdup_printf("%s / %s", br->cases[k].name, br->cases[l].name);
			json_ratio(json, name, &br->cases[k], &br->cases[l], &first);
		}
	}
	g_string_append(json, "\n      }");
	if (rows != NULL) {
		g_string_append(json, ",\n      \"sensitivity\": [\n");
		for (guint v = 0; v < G_N_ELEMENTS(variations); v++) {
			gdouble g = sensitivity_glint(&rows[v]);
			g_string_append(json, "        {\"estimate\": ");
			json_string(json, variations[v].key);
			g_string_append_printf(json, ", \"factor\": %g, \"device_seconds\": {",
					       variations[v].factor);
			for (guint i = 0; i < G_N_ELEMENTS(sensitivity_kinds); i++) {
				Kind k = sensitivity_kinds[i];
				json_string(json, br->cases[k].name);
				if (rows[v].device_s[k] > 0)
					g_string_append_printf(json, ": %.4f", rows[v].device_s[k]);
				else
					g_string_append(json, ": null");
				g_string_append(json, i + 1 < G_N_ELEMENTS(sensitivity_kinds)
							  ? ", "
							  : "}, \"ratios_to_glint\": {");
			}
			for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
				Kind k = peer_kinds[i];
				json_string(json, br->cases[k].name);
				if (rows[v].device_s[k] > 0 && g > 0)
					g_string_append_printf(json, ": %.3f",
							       rows[v].device_s[k] / g);
				else
					g_string_append(json, ": null");
				if (i + 1 < G_N_ELEMENTS(peer_kinds))
					g_string_append(json, ", ");
			}
			g_string_append_printf(json, "}, \"glint_to_limit\": %.3f}%s\n",
					       g > 0 ? g / limit_s(board) : 0,
					       v + 1 < G_N_ELEMENTS(variations) ? "," : "");
		}
		g_string_append(json, "      ]");
	}
	g_string_append_printf(json, "\n    }%s\n", last ? "" : ",");
}

static void
print_board(const BoardRun *br, const SensitivityRow *rows, guint runs)
{
	const BenchBoard *board = br->board;
	const Case *glint = glint_reference(br);

	g_print("\n%s: %" G_GSIZE_FORMAT " KiB random image, ST-LINK/V2, modelled device "
		"seconds, %u runs\n",
		board->board, board->image_size / 1024, runs);
	g_print("%-46s %9s %9s %9s  %s\n", "case", "min s", "median s", "host s", "note");
	for (guint k = 0; k < N_KINDS; k++) {
		const Case *c = &br->cases[k];
		g_autofree gchar *alias = board->legacy_names && kinds[k].legacy != NULL
					      ? g_strdup_printf(" (was %s)", kinds[k].legacy)
					      : g_strdup("");
		if (case_measured(c) && c->computed)
			g_print("%-46s %9.3f %9s %9s  %s%s\n", c->name, values_min(c->device_s), "",
				"", c->note, alias);
		else if (case_measured(c))
			g_print("%-46s %9.3f %9.3f %9.1f  %s%s%s\n", c->name,
				values_min(c->device_s), values_median(c->device_s),
				values_median(c->host_s), c->note != NULL ? c->note : "", alias,
				c->failures > 0 ? " [some runs failed]" : "");
		else
			g_print("%-46s %9s %9s %9s  %s%s\n", c->name, "-", "-", "-",
				c->note != NULL ? c->note : "", alias);
	}
	g_print("\nRatios (min / min, median / median), against %s:\n", glint->name);
	for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
		const Case *p = &br->cases[peer_kinds[i]];
		if (case_measured(p) && case_measured(glint))
			g_print("  %-44s %6.2fx %6.2fx\n", p->name,
				values_min(p->device_s) / values_min(glint->device_s),
				values_median(p->device_s) / values_median(glint->device_s));
	}
	for (guint i = 0; i < G_N_ELEMENTS(glint_kinds); i++) {
		const Case *g = &br->cases[glint_kinds[i]];
		if (!case_measured(g))
			continue;
		g_print("  %-44s %6.3f (to the limit) %6.3f (to the bound with connect and "
			"verify)\n",
			g->name, values_min(g->device_s) / limit_s(board),
			values_min(g->device_s) / bound_s(board, 1.0));
	}
	if (case_measured(&br->cases[K_GLINT_REFLASH]))
		g_print("  %-44s %6.3f s (goal < 0.5 s)\n", br->cases[K_GLINT_REFLASH].name,
			values_min(br->cases[K_GLINT_REFLASH].device_s));
	if (rows == NULL)
		return;
	g_print("\nSensitivity (one run each): peer / %s, and Glint / limit\n", glint->name);
	g_print("%-32s %7s", "estimate", "glint s");
	for (guint i = 0; i < G_N_ELEMENTS(peer_labels); i++)
		g_print(" %18s", peer_labels[i]);
	g_print(" %8s\n", "to limit");
	for (guint v = 0; v < G_N_ELEMENTS(variations); v++) {
		gdouble g = sensitivity_glint(&rows[v]);
		g_autofree gchar *label =
		    g_strdup_printf("%s x%g", variations[v].what, variations[v].factor);
		g_print("%-32s %7.3f", label, g);
		for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
			gdouble p = rows[v].device_s[peer_kinds[i]];
			if (p > 0 && g > 0)
				g_print(" %17.2fx", p / g);
			else
				g_print(" %18s", "-");
		}
		g_print(" %8.3f\n", g > 0 ? g / limit_s(board) : 0);
	}
}

/* ---- main ------------------------------------------------------------------ */

/* The 1-minute load average, or -1 where /proc/loadavg is missing */
static gdouble
load_average(void)
{
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents("/proc/loadavg", &text, NULL, NULL))
		return -1;
	return g_ascii_strtod(text, NULL);
}

static guint
env_runs(void)
{
	const char *s = g_getenv("GLINT_BENCH_RUNS");
	guint64 n = 0;
	if (s == NULL || *s == '\0')
		return RUNS_DEFAULT;
	if (!g_ascii_string_to_unsigned(s, 10, 1, 100, &n, NULL)) {
		g_printerr(
		    "GLINT_BENCH_RUNS=%s: give a number of runs from 1 to 100 (default %u)\n", s,
		    RUNS_DEFAULT);
		exit(1);
	}
	return (guint)n;
}

/* The boards GLINT_BENCH_BOARDS names (all when unset). */
static GPtrArray *
selected_boards(void)
{
	const char *s = g_getenv("GLINT_BENCH_BOARDS");
	g_autoptr(GPtrArray) boards = g_ptr_array_new();
	g_auto(GStrv) names = NULL;

	if (s == NULL || *s == '\0') {
		for (guint i = 0; i < G_N_ELEMENTS(bench_boards); i++)
			g_ptr_array_add(boards, (gpointer)&bench_boards[i]);
		return g_steal_pointer(&boards);
	}
	names = g_strsplit(s, ",", -1);
	for (guint n = 0; names[n] != NULL; n++) {
		const char *name = g_strstrip(names[n]);
		gboolean found = FALSE;
		if (*name == '\0')
			continue;
		for (guint i = 0; i < G_N_ELEMENTS(bench_boards); i++) {
			if (g_str_equal(bench_boards[i].board, name)) {
				g_ptr_array_add(boards, (gpointer)&bench_boards[i]);
				found = TRUE;
			}
		}
		if (!found) {
			GString *known = g_string_new(NULL);
			for (guint i = 0; i < G_N_ELEMENTS(bench_boards); i++)
				g_string_append_printf(known, "%s%s", i > 0 ? ", " : "",
						       bench_boards[i].board);
			g_printerr("GLINT_BENCH_BOARDS: no board '%s' in tests/bench/"
				   "bench-program.c; the boards are: %s\n",
				   name, known->str);
			g_string_free(known, TRUE);
			exit(1);
		}
	}
	return g_steal_pointer(&boards);
}

int
main(int argc, char **argv)
{
	Bench b = {0};
	g_autoptr(GPtrArray) boards = selected_boards();
	g_autoptr(GString) json = g_string_new("{\n");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *openocd = g_find_program_in_path("openocd");
	g_autofree gchar *stflash = g_find_program_in_path("st-flash");
	gdouble load_start;

	b.usbsim = argc > 1 ? argv[1] : NULL;
	b.glint_cli = argc > 2 ? argv[2] : NULL;
	b.runs = env_runs();
	b.sensitivity = g_strcmp0(g_getenv("GLINT_BENCH_SENSITIVITY"), "0") != 0;
	b.have_openocd = openocd != NULL;
	b.have_stflash = stflash != NULL;
	b.dir = g_dir_make_tmp("glint-bench-XXXXXX", &error);
	if (b.dir == NULL)
		g_error("%s", error->message);
	/* the model as documented, whatever the environment says */
	set_model("");

	load_start = load_average();
	g_string_append_printf(json,
			       "  \"runs\": %u,\n  \"probe\": \"ST-LINK/V2\",\n"
			       "  \"host_idle\": \"deliberate idle only, net of the machine's "
			       "load\",\n  \"load_average_at_start\": %.2f,\n  \"boards\": [\n",
			       b.runs, load_start);
	for (guint i = 0; i < boards->len; i++) {
		BoardRun br = {0};
		g_autofree SensitivityRow *rows = NULL;
		board_run_init(&b, &br, g_ptr_array_index(boards, i));
		measure_board(&b, &br);
		if (b.sensitivity) {
			rows = g_new0(SensitivityRow, G_N_ELEMENTS(variations));
			measure_sensitivity(&b, &br, rows);
		}
		print_board(&br, rows, b.runs);
		json_board(json, &br, rows, i + 1 == boards->len);
		board_run_clear(&br);
	}
	g_string_append_printf(json, "  ],\n  \"load_average_at_end\": %.2f\n}\n", load_average());
	g_print("\nLoad average (1 min) at start %.2f, at end %.2f; %u CPUs\n", load_start,
		load_average(), g_get_num_processors());
	if (!g_file_set_contents("bench-results.json", json->str, -1, &error))
		g_warning("bench-results.json: %s", error->message);
	{
		g_autofree gchar *report = g_build_filename(b.dir, "report.txt", NULL);
		g_unlink(report);
		g_rmdir(b.dir);
	}
	g_free(b.dir);
	return 0;
}
