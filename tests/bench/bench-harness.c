/* bench-harness.c: the program benchmark's harness (bench-harness.h).
 *
 * Every tool that talks USB runs through glint-usbsim (the emulator behind
 * real usbfs) on a fresh board: Glint's own command line, OpenOCD and
 * st-flash, each with its best documented flags and with its default
 * invocation; Glint also runs in-process (no USB stack, no host at all
 * between commands). All of them are charged by the same emulator with the
 * same constants and the same rule for host idle time
 * (docs/timing-model.md). The bounds are the emulator's
 * (glint_sim_get_flash_limit()), computed by the board's machine from its
 * datasheet times. */
#include "bench-harness.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "glint-job.h"
#include "sim-clock.h"

#define FLASH_BASE 0x08000000u
/* Failed attempts of a tool retried before the run is given up: st-flash
 * gives its loader 500 ms of host time per 32 KiB, which a very loaded
 * machine can exceed (docs/timing-model.md, "Host idle time"). */
#define RETRIES 3u
/* Seconds an external tool may run before it is stopped, unless
 * BenchOptions.tool_timeout_s says: TOOL_TIMEOUT_MIN_S plus
 * TOOL_TIMEOUT_PER_LIMIT times the board's limit for the image. The
 * slowest peer measured, st-flash on the G0 and the L152, takes 40 times
 * the limit in modelled time and up to 1.5 times that in host time on a
 * loaded machine; a peer that hangs is stopped after minutes, not half an
 * hour per attempt. */
#define TOOL_TIMEOUT_MIN_S 300u
#define TOOL_TIMEOUT_PER_LIMIT 100u
/* What `timeout` gives glint-usbsim after SIGTERM before SIGKILL: more
 * than glint-usbsim's own grace for the tool (30 s) */
#define TOOL_KILL_AFTER_S "40"
/* `timeout`'s exit status when the time ran out (coreutils) */
#define TIMEOUT_EXPIRED 124
/* The board whose cases had other names before issue 20 (*_1mib) */
#define LEGACY_BOARD "nucleo-l476rg"

/* ---- the peers' configurations ------------------------------------------- */

/* How OpenOCD 0.12 is told about a chip: its target config (OpenOCD's
 * scripts/target/) and its flash driver's mass-erase commands (OpenOCD
 * manual, "Flash Driver List"), one per OpenOCD flash bank. st-flash needs
 * nothing: it reads the chip's id and says itself when it does not know
 * it. */
typedef struct {
	const char *chip;   /* the chip names this row serves: a prefix (the longest wins) */
	guint from_kb;	    /* ... with at least this much flash */
	const char *target; /* OpenOCD target config */
	const char *mass_erase[3];
	const char *setup; /* a -c before the target config, or NULL */
} BenchPeer;

static const BenchPeer bench_peers[] = {
    /* driver stm32l4x */
    {"STM32L4", 0, "target/stm32l4x.cfg", {"stm32l4x mass_erase 0"}, NULL},
    {"STM32G4", 0, "target/stm32g4x.cfg", {"stm32l4x mass_erase 0"}, NULL},
    /* the G0 (the G0B1's two banks are one OpenOCD bank, its mass erase
     * sets MER1 and MER2) and the WL */
    {"STM32G0", 0, "target/stm32g0x.cfg", {"stm32l4x mass_erase 0"}, NULL},
    {"STM32WL", 0, "target/stm32wlx.cfg", {"stm32l4x mass_erase 0"}, NULL},
    /* the WB: CPU1 may not mass erase (RM0434 3.3.7), pages only */
    {"STM32WB", 0, "target/stm32wbx.cfg", {NULL}, NULL},
    /* the L5 and U5 too (TrustZone off: the non-secure registers) */
    {"STM32L5", 0, "target/stm32l5x.cfg", {"stm32l4x mass_erase 0"}, NULL},
    {"STM32U5", 0, "target/stm32u5x.cfg", {"stm32l4x mass_erase 0"}, NULL},
    /* driver stm32f1x */
    {"STM32F0", 0, "target/stm32f0x.cfg", {"stm32f1x mass_erase 0"}, NULL},
    {"STM32F1", 0, "target/stm32f1x.cfg", {"stm32f1x mass_erase 0"}, NULL},
    {"STM32F3", 0, "target/stm32f3x.cfg", {"stm32f1x mass_erase 0"}, NULL},
    /* the clone answers with a Cortex-M3 r2p1's SW-DP id, which
     * stm32f1x.cfg takes as CPUTAPID (its own comment says so); without it
     * OpenOCD stops at "UNEXPECTED idcode: 0x2ba01477" */
    {"CKS32F1", 0, "target/stm32f1x.cfg", {"stm32f1x mass_erase 0"}, "set CPUTAPID 0x2ba01477"},
    /* driver stm32f2x */
    {"STM32F2", 0, "target/stm32f2x.cfg", {"stm32f2x mass_erase 0"}, NULL},
    {"STM32F4", 0, "target/stm32f4x.cfg", {"stm32f2x mass_erase 0"}, NULL},
    {"STM32F7", 0, "target/stm32f7x.cfg", {"stm32f2x mass_erase 0"}, NULL},
    /* driver stm32h7x: the dual-bank parts need the config that declares
     * bank 2, and each bank its own mass erase */
    {"STM32H7", 0, "target/stm32h7x.cfg", {"stm32h7x mass_erase 0"}, NULL},
    {"STM32H74",
     0,
     "target/stm32h7x_dual_bank.cfg",
     {"stm32h7x mass_erase 0", "stm32h7x mass_erase 1"},
     NULL},
    {"STM32H75",
     0,
     "target/stm32h7x_dual_bank.cfg",
     {"stm32h7x mass_erase 0", "stm32h7x mass_erase 1"},
     NULL},
    {"STM32H7A",
     0,
     "target/stm32h7x_dual_bank.cfg",
     {"stm32h7x mass_erase 0", "stm32h7x mass_erase 1"},
     NULL},
    {"STM32H7B",
     0,
     "target/stm32h7x_dual_bank.cfg",
     {"stm32h7x mass_erase 0", "stm32h7x mass_erase 1"},
     NULL},
    /* driver stm32lx: its mass erase is the read-protection regression,
     * which erases everything at once (data EEPROM too) */
    {"STM32L0", 0, "target/stm32l0.cfg", {"stm32lx mass_erase 0"}, NULL},
    {"STM32L07", 0, "target/stm32l0_dual_bank.cfg", {"stm32lx mass_erase 0"}, NULL},
    {"STM32L08", 0, "target/stm32l0_dual_bank.cfg", {"stm32lx mass_erase 0"}, NULL},
    {"STM32L1", 0, "target/stm32l1.cfg", {"stm32lx mass_erase 0"}, NULL},
    {"STM32L1", 384, "target/stm32l1x_dual_bank.cfg", {"stm32lx mass_erase 0"}, NULL},
};

static const BenchPeer *
bench_peer_find(const GlintSimBoardInfo *board)
{
	const BenchPeer *best = NULL;
	gsize best_len = 0;
	for (guint i = 0; i < G_N_ELEMENTS(bench_peers); i++) {
		const BenchPeer *p = &bench_peers[i];
		gsize len = strlen(p->chip);
		if (!g_str_has_prefix(board->chip, p->chip) || board->flash_kb < p->from_kb)
			continue;
		if (best == NULL || len > best_len ||
		    (len == best_len && p->from_kb > best->from_kb)) {
			best = p;
			best_len = len;
		}
	}
	return best;
}

const char *
bench_openocd_target(const GlintSimBoardInfo *board)
{
	const BenchPeer *peer = bench_peer_find(board);
	return peer != NULL ? peer->target : NULL;
}

/* What a tool prints when it does not know the chip (not a failure of the
 * run: the case is skipped, in the tool's own words) */
static const char *const unsupported_patterns[] = {
    "unknown chip id",		"unknown chip",	     "unknown device", "cannot identify target",
    "flash type not supported", "device id unknown",
};

/* ---- the cases ---------------------------------------------------------- */

static const struct {
	const char *prefix;
	const char *suffix;
	const char *legacy; /* the name before issue 20 (LEGACY_BOARD, whole flash) */
} kinds[BENCH_N_KINDS] = {
    [BENCH_GLINT] = {"glint_program_", "", "glint_program_1mib"},
    [BENCH_GLINT_DIRECT] = {"glint_program_", "_direct", "glint_program_1mib_direct"},
    [BENCH_GLINT_REFLASH] = {"glint_reflash_1page_", "", "glint_reflash_1page"},
    [BENCH_GLINT_MASS] = {"glint_program_", "_mass", NULL},
    [BENCH_GLINT_USBSIM] = {"glint_program_", "_usbsim", NULL},
    [BENCH_OPENOCD] = {"openocd_program_", "", NULL},
    /* the same invocation as the old openocd_program_1mib */
    [BENCH_OPENOCD_DEFAULT] = {"openocd_program_", "_default", "openocd_program_1mib"},
    [BENCH_STFLASH] = {"stflash_program_", "", NULL},
    /* the same invocation as the old stflash_program_1mib */
    [BENCH_STFLASH_DEFAULT] = {"stflash_program_", "_default", "stflash_program_1mib"},
    [BENCH_LIMIT] = {"limit_program_", "", "limit_program_1mib"},
    [BENCH_BOUND] = {"limit_program_", "_connect_verify", NULL},
};

/* The cases each sensitivity run repeats: those the ratios are made of. */
static const BenchKind sensitivity_kinds[] = {BENCH_GLINT,   BENCH_GLINT_USBSIM,
					      BENCH_OPENOCD, BENCH_OPENOCD_DEFAULT,
					      BENCH_STFLASH, BENCH_STFLASH_DEFAULT};
static const BenchKind peer_kinds[] = {BENCH_OPENOCD, BENCH_OPENOCD_DEFAULT, BENCH_STFLASH,
				       BENCH_STFLASH_DEFAULT};
static const char *const peer_labels[] = {"OpenOCD best", "OpenOCD default", "st-flash best",
					  "st-flash default"};
static const BenchKind glint_kinds[] = {BENCH_GLINT, BENCH_GLINT_USBSIM, BENCH_GLINT_MASS};

const BenchVariation bench_variations[] = {
    {"usb-command", "USB command round trip", 0.5},
    {"usb-command", "USB command round trip", 2.0},
    {"swd-access", "SWD cycles per access", 0.5},
    {"swd-access", "SWD cycles per access", 2.0},
    {"cpu-cycles", "CPU cycles per instruction", 0.5},
    {"cpu-cycles", "CPU cycles per instruction", 2.0},
};
const guint bench_n_variations = G_N_ELEMENTS(bench_variations);

static gboolean
kind_is_inprocess(BenchKind kind)
{
	return kind == BENCH_GLINT || kind == BENCH_GLINT_DIRECT || kind == BENCH_GLINT_REFLASH ||
	       kind == BENCH_GLINT_MASS;
}

static gboolean
kind_is_openocd(BenchKind kind)
{
	return kind == BENCH_OPENOCD || kind == BENCH_OPENOCD_DEFAULT;
}

static gboolean
kind_is_stflash(BenchKind kind)
{
	return kind == BENCH_STFLASH || kind == BENCH_STFLASH_DEFAULT;
}

static void
case_clear(BenchCase *c)
{
	g_free(c->name);
	g_free(c->command);
	g_clear_pointer(&c->device_s, g_array_unref);
	g_clear_pointer(&c->host_s, g_array_unref);
	g_free(c->note);
}

gboolean
bench_case_measured(const BenchCase *c)
{
	return c->device_s != NULL && c->device_s->len > 0;
}

static gint
compare_doubles(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return (x > y) - (x < y);
}

gdouble
bench_case_min(const BenchCase *c)
{
	gdouble m;
	g_return_val_if_fail(bench_case_measured(c), -1);
	m = g_array_index(c->device_s, gdouble, 0);
	for (guint i = 1; i < c->device_s->len; i++)
		m = MIN(m, g_array_index(c->device_s, gdouble, i));
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

gdouble
bench_case_median(const BenchCase *c)
{
	g_return_val_if_fail(bench_case_measured(c), -1);
	return values_median(c->device_s);
}

const BenchCase *
bench_glint_reference(const BenchBoardRun *run)
{
	const BenchCase *u = &run->cases[BENCH_GLINT_USBSIM];
	return bench_case_measured(u) ? u : &run->cases[BENCH_GLINT];
}

/* ---- the bench ------------------------------------------------------------ */

struct _Bench {
	BenchOptions options;
	gchar *dir; /* scratch: images, reports */
	const char *openocd_name;
	const char *stflash_name;
	gchar *openocd; /* found in PATH (or as given), else NULL */
	gchar *stflash;
};

Bench *
bench_new(const BenchOptions *options, GError **error)
{
	g_autoptr(Bench) b = g_new0(Bench, 1);
	b->options = *options;
	b->options.runs = MAX(b->options.runs, 1u);
	b->openocd_name = options->openocd != NULL ? options->openocd : "openocd";
	b->stflash_name = options->stflash != NULL ? options->stflash : "st-flash";
	b->openocd = g_find_program_in_path(b->openocd_name);
	b->stflash = g_find_program_in_path(b->stflash_name);
	b->dir = g_dir_make_tmp("glint-bench-XXXXXX", error);
	if (b->dir == NULL)
		return NULL;
	return g_steal_pointer(&b);
}

void
bench_free(Bench *b)
{
	if (b == NULL)
		return;
	if (b->dir != NULL) {
		g_autofree gchar *report = g_build_filename(b->dir, "report.txt", NULL);
		g_unlink(report);
		g_rmdir(b->dir);
	}
	g_free(b->dir);
	g_free(b->openocd);
	g_free(b->stflash);
	g_free(b);
}

static void progress(const Bench *b, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void
progress(const Bench *b, const char *format, ...)
{
	va_list ap;
	if (b->options.quiet)
		return;
	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
	fflush(stdout);
}

GPtrArray *
bench_select_boards(const char *names, GError **error)
{
	g_autoptr(GPtrArray) all = glint_sim_list_boards();
	g_autoptr(GPtrArray) chosen =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_board_info_free);
	g_auto(GStrv) list = NULL;

	if (names == NULL || *names == '\0')
		return g_steal_pointer(&all);
	list = g_strsplit(names, ",", -1);
	for (guint n = 0; list[n] != NULL; n++) {
		const char *name = g_strstrip(list[n]);
		GlintSimBoardInfo *info;
		if (*name == '\0')
			continue;
		info = glint_sim_get_board_info(name);
		if (info == NULL) {
			g_autoptr(GString) known = g_string_new(NULL);
			for (guint i = 0; i < all->len; i++)
				g_string_append_printf(
				    known, "%s%s", i > 0 ? ", " : "",
				    ((GlintSimBoardInfo *)g_ptr_array_index(all, i))->name);
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "GLINT_BENCH_BOARDS: no emulated board '%s' (glint-cli --sim "
				    "list); the boards are: %s",
				    name, known->str);
			return NULL;
		}
		g_ptr_array_add(chosen, info);
	}
	return g_steal_pointer(&chosen);
}

/* ---- Glint in-process ---------------------------------------------------- */

typedef struct {
	gdouble device_s;
	gdouble host_s;
	gchar *note;
	gboolean unsupported; /* the tool said it does not know the chip */
	gboolean timed_out;   /* stopped after bench_tool_timeout_s() */
} Run;

static GlintImage *
image_of(const guint8 *data, gsize len, const char *name)
{
	GlintImage *image = glint_image_new();
	g_autoptr(GError) error = NULL;
	if (!glint_image_add(image, FLASH_BASE, data, len, name, &error))
		g_error("image %s: %s", name, error->message);
	return image;
}

/* Connect (+ mass erase) + program (+ verify) on @sim, timed as a user
 * would see it */
static gboolean
glint_program(GlintSim *sim, GlintImage *image, const GlintProgramOptions *options,
	      gboolean mass_erase, Run *r)
{
	g_autoptr(GlintTransport) transport = glint_sim_transport_new(sim);
	GlintSession *session = glint_session_new(transport);
	g_autoptr(GError) error = NULL;
	GlintJobResult erased = {0}, result = {0};
	gint64 t0 = glint_sim_get_time_ns(sim), h0 = g_get_monotonic_time();
	gboolean ok;

	ok = glint_job_connect(session, NULL, NULL, NULL, &error) &&
	     (!mass_erase ||
	      glint_job_erase_mass(session, GLINT_CONFIRM_RISKY, NULL, NULL, &erased, &error)) &&
	     glint_job_program(session, image, options, NULL, NULL, &result, &error);
	if (ok) {
		r->device_s = (glint_sim_get_time_ns(sim) - t0) / 1e9;
		r->host_s = (g_get_monotonic_time() - h0) / 1e6;
		r->note = g_strdup_printf("%s%s%s%s%s", mass_erase ? "mass erase, " : "",
					  result.loader_used ? "loader" : "direct",
					  result.fast_programmed ? ", fast programming" : "",
					  result.pages_skipped ? ", smart" : "",
					  options->verify ? ", verified" : "");
	} else {
		r->note = g_strdup_printf("failed: %s", error->message);
	}
	glint_job_result_clear(&erased);
	glint_job_result_clear(&result);
	glint_job_disconnect(session);
	glint_session_unref(session);
	return ok;
}

static gboolean
run_glint_inprocess(BenchBoardRun *br, BenchKind kind, Run *r)
{
	gsize len = g_bytes_get_size(br->data);
	g_autoptr(GlintImage) image = image_of(g_bytes_get_data(br->data, NULL), len, "random");
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new(br->board->name, &error);
	GlintProgramOptions loader = {.verify = TRUE};
	GlintProgramOptions direct = {.verify = TRUE, .no_loader = TRUE};
	GlintProgramOptions smart = {.verify = TRUE, .smart = TRUE};
	GlintProgramOptions no_erase = {.verify = TRUE, .no_erase = TRUE};
	g_autofree guint8 *copy = NULL;
	g_autoptr(GlintImage) changed = NULL;
	Run first = {0};

	if (sim == NULL) {
		r->note = g_strdup_printf("failed: %s", error->message);
		return FALSE;
	}
	if (kind == BENCH_GLINT_DIRECT)
		return glint_program(sim, image, &direct, FALSE, r);
	if (kind == BENCH_GLINT)
		return glint_program(sim, image, &loader, FALSE, r);
	if (kind == BENCH_GLINT_MASS)
		return glint_program(sim, image, &no_erase, TRUE, r);
	/* one byte changed in the middle: one page to rewrite, on the board
	 * just programmed */
	if (!glint_program(sim, image, &loader, FALSE, &first)) {
		*r = first;
		return FALSE;
	}
	g_free(first.note);
	copy = g_memdup2(g_bytes_get_data(br->data, NULL), len);
	copy[len / 2 + 17] ^= 0x5A;
	changed = image_of(copy, len, "changed");
	return glint_program(sim, changed, &smart, FALSE, r);
}

/* ---- tools through glint-usbsim ------------------------------------------ */

/* A counter of glint-usbsim's --report-time file, or -1 */
static gdouble
report_value(const char *text, const char *key)
{
	g_autofree gchar *needle = g_strdup_printf("%s ", key);
	const char *p = strstr(text, needle);
	return p != NULL ? g_ascii_strtod(p + strlen(needle), NULL) : -1;
}

/* The modelled seconds, and what the probe saw as a note */
static gboolean
read_report(const char *path, Run *r)
{
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	r->device_s = report_value(text, "device_seconds");
	if (r->device_s < 0)
		return FALSE;
	r->note = g_strdup_printf(
	    "%.0f commands; erased by %.0f mass and %.0f page erases; %.0f "
	    "programming units written",
	    report_value(text, "usb_commands"), report_value(text, "mass_erases"),
	    report_value(text, "pages_erased"), report_value(text, "double_words_programmed"));
	return TRUE;
}

/* The tool's line that explains a failure: the first that says the chip is
 * unknown to it (then @unsupported), else the last error, else the last */
static gchar *
tool_summary(const char *out, gboolean *unsupported)
{
	g_auto(GStrv) lines = g_strsplit(out != NULL ? out : "", "\n", -1);
	const char *found = NULL, *last = NULL;
	*unsupported = FALSE;
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		if (*line == '\0')
			continue;
		last = line;
		g_autofree gchar *lower = g_ascii_strdown(line, -1);
		for (guint p = 0; p < G_N_ELEMENTS(unsupported_patterns); p++) {
			if (!*unsupported && strstr(lower, unsupported_patterns[p]) != NULL) {
				*unsupported = TRUE;
				found = line;
			}
		}
		if (!*unsupported &&
		    (strstr(line, "ERROR") != NULL || strstr(line, "Error") != NULL ||
		     strstr(line, "error:") != NULL))
			found = line;
	}
	return g_strdup(found != NULL ? found : last != NULL ? last : "no output");
}

/* The tool's last line, not glint-usbsim's (which says it stopped it) */
static gchar *
tool_last_line(const char *out)
{
	g_auto(GStrv) lines = g_strsplit(out != NULL ? out : "", "\n", -1);
	const char *last = NULL;
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		if (*line != '\0' && !g_str_has_prefix(line, "glint-usbsim:"))
			last = line;
	}
	return g_strdup(last != NULL ? last : "no output");
}

guint
bench_tool_timeout_s(const BenchOptions *options, const BenchBoardRun *br)
{
	if (options->tool_timeout_s > 0)
		return options->tool_timeout_s;
	return TOOL_TIMEOUT_MIN_S +
	       (guint)(TOOL_TIMEOUT_PER_LIMIT * (gdouble)br->limit.limit_ns / 1e9);
}

/* Runs @tool through glint-usbsim on a fresh board with the model @spec;
 * FALSE (and the tool's words in @r->note) when it failed */
static gboolean
run_usbsim(const Bench *b, const BenchBoardRun *br, GPtrArray *tool, const char *spec, Run *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *report = g_build_filename(b->dir, "report.txt", NULL);
	g_autofree gchar *out = NULL, *err = NULL, *all = NULL;
	g_auto(GStrv) envp = g_get_environ();
	g_autoptr(GError) error = NULL;
	guint timeout_s = bench_tool_timeout_s(&b->options, br);
	g_autofree gchar *timeout_arg = g_strdup_printf("%u", timeout_s);
	gint status = 0;
	gint64 h0;

	for (const char *const *a =
		 (const char *const[]){"timeout", "-k", TOOL_KILL_AFTER_S, timeout_arg,
				       b->options.usbsim, "--scenario", br->board->name,
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
		r->note = g_strdup_printf("failed: %s", error->message);
		return FALSE;
	}
	r->host_s = (g_get_monotonic_time() - h0) / 1e6;
	all = g_strconcat(out, "\n", err, NULL);
	/* `timeout` says 124 when it stopped glint-usbsim with SIGTERM, 137
	 * when it had to kill it */
	r->timed_out =
	    WIFEXITED(status) && (WEXITSTATUS(status) == TIMEOUT_EXPIRED ||
				  (WEXITSTATUS(status) == 128 + SIGKILL && r->host_s >= timeout_s));
	if (r->timed_out) {
		g_autofree gchar *line = tool_last_line(all);
		g_clear_pointer(&r->note, g_free);
		r->note = g_strdup_printf("timed out after %u s (GLINT_BENCH_TOOL_TIMEOUT); its "
					  "last words: %s",
					  timeout_s, line);
		return FALSE;
	}
	if (!g_spawn_check_wait_status(status, NULL) || !read_report(report, r)) {
		g_autofree gchar *line = tool_summary(all, &r->unsupported);
		g_clear_pointer(&r->note, g_free);
		r->note = g_strdup_printf("%s: %s", r->unsupported ? "skipped" : "failed", line);
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

static void
add_command(GPtrArray *argv, gchar *command)
{
	g_ptr_array_add(argv, g_strdup("-c"));
	g_ptr_array_add(argv, command);
}

/* The command line of @kind for @br, or NULL when it does not run */
static GPtrArray *
tool_argv(const Bench *b, const BenchBoardRun *br, BenchKind kind)
{
	const BenchPeer *peer = bench_peer_find(br->board);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *base = g_strdup_printf("0x%08x", FLASH_BASE);
	const char *img = br->image_path;

	switch (kind) {
	case BENCH_GLINT_USBSIM:
		/* Glint's defaults are its best: 4 MHz, loader, CRC verify */
		add_args(argv, b->options.glint_cli != NULL ? b->options.glint_cli : "glint-cli",
			 "program", img, "--verify", "--reset", NULL);
		break;
	case BENCH_OPENOCD:
	case BENCH_OPENOCD_DEFAULT:
		if (peer == NULL)
			return NULL;
		add_args(argv, b->openocd_name, "-c", "gdb_port disabled", "-c",
			 "telnet_port disabled", "-c", "tcl_port disabled", NULL);
		if (peer->setup != NULL)
			add_command(argv, g_strdup(peer->setup));
		add_args(argv, "-f", "interface/stlink.cfg", "-c", "transport select hla_swd", "-f",
			 peer->target, NULL);
		if (kind == BENCH_OPENOCD_DEFAULT) {
			add_command(argv, g_strdup_printf("program %s verify %s exit", img, base));
			break;
		}
		/* the target configs start slow and set their own clocks at
		 * reset-start and reset-init (L0/L1: 300 kHz, then 2 MHz or
		 * 2.5 MHz): ask for the fastest before init and again after */
		add_command(argv, g_strdup_printf("adapter speed %u", br->probe_khz));
		add_args(argv, "-c", "init", "-c", "reset init", NULL);
		add_command(argv, g_strdup_printf("adapter speed %u", br->probe_khz));
		for (guint i = 0; i < G_N_ELEMENTS(peer->mass_erase) && peer->mass_erase[i]; i++)
			add_command(argv, g_strdup(peer->mass_erase[i]));
		add_command(argv, g_strdup_printf("flash write_image %s%s %s",
						  peer->mass_erase[0] != NULL ? "" : "erase ", img,
						  base));
		add_command(argv, g_strdup_printf("verify_image %s %s", img, base));
		add_args(argv, "-c", "reset run", "-c", "shutdown", NULL);
		break;
	case BENCH_STFLASH:
	case BENCH_STFLASH_DEFAULT:
		g_ptr_array_add(argv, g_strdup(b->stflash_name));
		if (kind == BENCH_STFLASH)
			g_ptr_array_add(argv, g_strdup_printf("--freq=%u", br->probe_khz));
		add_args(argv, "--reset", "write", img, base, NULL);
		break;
	default:
		return NULL;
	}
	return g_steal_pointer(&argv);
}

/* Why @kind does not run on this machine or board ("skipped: ..."), or NULL */
static gchar *
skip_reason(const Bench *b, const BenchBoardRun *br, BenchKind kind)
{
	if (kind_is_inprocess(kind) || kind == BENCH_LIMIT || kind == BENCH_BOUND)
		return NULL;
	if (b->options.usbsim == NULL)
		return g_strdup("skipped: no glint-usbsim (built without umockdev)");
	if (kind == BENCH_GLINT_USBSIM && b->options.glint_cli == NULL)
		return g_strdup("skipped: no glint-cli given");
	if ((kind_is_openocd(kind) || kind_is_stflash(kind)) && b->options.no_peers)
		return g_strdup("skipped: GLINT_BENCH_PEERS=0");
	if (kind_is_openocd(kind) && b->openocd == NULL)
		return g_strdup_printf("skipped: %s not found (install openocd 0.12, or name it "
				       "with GLINT_BENCH_OPENOCD)",
				       b->openocd_name);
	if (kind_is_openocd(kind) && bench_peer_find(br->board) == NULL)
		return g_strdup_printf("skipped: no OpenOCD target config for the %s in "
				       "tests/bench/bench-harness.c (bench_peers)",
				       br->board->chip);
	if (kind_is_stflash(kind) && b->stflash == NULL)
		return g_strdup_printf("skipped: %s not found (install stlink-tools 1.7, or name "
				       "it with GLINT_BENCH_STFLASH)",
				       b->stflash_name);
	return NULL;
}

/* One run of @kind under the model @spec, retried when the tool fails
 * (unless it said it does not know the chip) */
static gboolean
run_once(const Bench *b, BenchBoardRun *br, BenchKind kind, const char *spec, Run *r,
	 guint *failures)
{
	g_autoptr(GPtrArray) argv = NULL;
	g_autoptr(GError) error = NULL;

	if (kind_is_inprocess(kind)) {
		gboolean ok;
		if (!glint_sim_set_clock_model(spec, &error))
			g_error("%s", error->message);
		ok = run_glint_inprocess(br, kind, r);
		glint_sim_set_clock_model("", NULL);
		if (!ok)
			(*failures)++;
		return ok;
	}
	argv = tool_argv(b, br, kind);
	for (guint attempt = 0; attempt <= RETRIES; attempt++) {
		*r = (Run){0};
		if (run_usbsim(b, br, argv, spec, r))
			return TRUE;
		if (r->unsupported)
			return FALSE;
		(*failures)++;
		/* a tool that hung hangs again: not retried */
		if (r->timed_out)
			return FALSE;
		progress(b, "  %s %s%s\n", br->cases[kind].name, r->note,
			 attempt < RETRIES ? "; again" : "");
		if (attempt < RETRIES)
			g_clear_pointer(&r->note, g_free);
	}
	return FALSE;
}

/* ---- a board ---------------------------------------------------------------- */

static GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

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

/* Whether this run's names were other names before issue 20 */
static gboolean
board_run_legacy(const BenchBoardRun *br)
{
	return g_str_equal(br->board->name, LEGACY_BOARD) &&
	       br->image_size == (gsize)br->board->flash_kb * 1024;
}

void
bench_board_run_free(BenchBoardRun *br)
{
	if (br == NULL)
		return;
	for (guint k = 0; k < BENCH_N_KINDS; k++)
		case_clear(&br->cases[k]);
	g_clear_pointer(&br->data, g_bytes_unref);
	if (br->image_path != NULL)
		g_unlink(br->image_path);
	g_free(br->image_path);
	glint_sim_flash_limit_clear(&br->limit);
	g_free(br->sensitivity);
	glint_sim_board_info_free(br->board);
	g_free(br);
}

static BenchBoardRun *
board_run_new(const Bench *b, const GlintSimBoardInfo *board, GError **error)
{
	g_autoptr(BenchBoardRun) br = g_new0(BenchBoardRun, 1);
	g_autofree gchar *file = g_strdup_printf("%s.bin", board->name);
	gsize flash = (gsize)board->flash_kb * 1024;
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GlintImage) image = NULL;

	br->board = glint_sim_get_board_info(board->name);
	/* the emulator's board says how much of its flash a debugger may
	 * program: a WB55 keeps its top pages for CPU2's firmware (the FUS) */
	sim = glint_sim_new(board->name, error);
	if (sim == NULL)
		return NULL;
	flash = MIN(flash, (gsize)glint_sim_get_writable_flash_size(sim));
	br->image_size =
	    b->options.image_kb > 0 ? MIN((gsize)b->options.image_kb * 1024, flash) : flash;
	br->data = random_bytes(br->image_size, 1);
	br->image_path = g_build_filename(b->dir, file, NULL);
	for (guint k = 0; k < BENCH_N_KINDS; k++) {
		BenchCase *c = &br->cases[k];
		c->name = g_strconcat(kinds[k].prefix, board->name, kinds[k].suffix, NULL);
		c->device_s = g_array_new(FALSE, FALSE, sizeof(gdouble));
		c->host_s = g_array_new(FALSE, FALSE, sizeof(gdouble));
	}
	if (!g_file_set_contents(br->image_path, g_bytes_get_data(br->data, NULL),
				 (gssize)br->image_size, error))
		return NULL;

	/* the bounds, from the board's own machine */
	image = image_of(g_bytes_get_data(br->data, NULL), br->image_size, "random");
	if (!glint_sim_get_flash_limit(sim, image, &br->limit, error))
		return NULL;
	/* the board's own probe, at its fastest (4000 kHz on a V2/V2-1, the
	 * top of its divisor table; 24000 kHz on an STLINK-V3, the top of the
	 * list the probe gives, which OpenOCD's and stlink's V3 code choose
	 * from: both take the highest entry not above what is asked) */
	br->probe_khz = glint_sim_get_max_swd_khz(sim);
	br->probe_kind = glint_sim_get_probe_kind(sim);

	for (guint k = 0; k < BENCH_N_KINDS; k++) {
		BenchCase *c = &br->cases[k];
		g_autoptr(GPtrArray) argv = tool_argv(b, br, (BenchKind)k);
		if (argv != NULL)
			c->command = command_line(argv);
		c->note = skip_reason(b, br, (BenchKind)k);
		c->skipped = c->note != NULL;
	}
	br->cases[BENCH_GLINT].command = g_strdup("in-process: connect, program, verify");
	br->cases[BENCH_GLINT_DIRECT].command =
	    g_strdup("in-process: connect, program without the loader, verify");
	br->cases[BENCH_GLINT_REFLASH].command =
	    g_strdup("in-process, after glint_program: --smart with one byte changed");
	br->cases[BENCH_GLINT_MASS].command =
	    g_strdup("in-process: connect, erase --mass --confirm, program --no-erase --verify");
	return g_steal_pointer(&br);
}

static void
set_bounds(BenchBoardRun *br)
{
	const GlintSimFlashLimit *l = &br->limit;
	BenchCase *limit = &br->cases[BENCH_LIMIT], *bound = &br->cases[BENCH_BOUND];
	gdouble limit_s = l->limit_ns / 1e9;
	gdouble bound_s = (l->limit_ns + l->connect_verify_ns) / 1e9;

	limit->computed = bound->computed = TRUE;
	g_array_append_val(limit->device_s, limit_s);
	g_array_append_val(bound->device_s, bound_s);
	limit->command = g_strdup(l->how);
	limit->note = g_strdup_printf("erase %.3f s, programming %.3f s; moving the image over "
				      "USB and SWD at %u kHz alone takes %.3f s",
				      l->erase_ns / 1e9, l->program_ns / 1e9, br->probe_khz,
				      l->link_ns / 1e9);
	bound->command = g_strdup_printf(
	    "the limit + %u commands to connect + a CRC of the image by the CRC unit at %u MHz + "
	    "%u commands to run it",
	    GLINT_SIM_CONNECT_MIN_COMMANDS, l->max_hclk_hz / 1000000,
	    GLINT_SIM_VERIFY_MIN_COMMANDS);
	bound->note = g_strdup("a bound: no tool can connect, erase, program and verify faster "
			       "under the model");
}

/* Runs every case b->runs times, one run of each case in turn, so that a
 * change in the machine's load does not fall on one case only */
static void
measure(const Bench *b, BenchBoardRun *br)
{
	for (guint run = 0; run < b->options.runs; run++) {
		progress(b, "%s: run %u of %u\n", br->board->name, run + 1, b->options.runs);
		for (guint k = 0; k < BENCH_N_KINDS; k++) {
			BenchCase *c = &br->cases[k];
			Run r = {0};
			if (k == BENCH_LIMIT || k == BENCH_BOUND || c->skipped)
				continue;
			/* a case that failed every attempt of its first run is
			 * not repeated: it fails the same way */
			if (run > 0 && !bench_case_measured(c))
				continue;
			if (run_once(b, br, (BenchKind)k, "", &r, &c->failures)) {
				g_array_append_val(c->device_s, r.device_s);
				g_array_append_val(c->host_s, r.host_s);
				progress(b, "  %-48s %9.3f s device %8.1f s host\n", c->name,
					 r.device_s, r.host_s);
			} else {
				c->skipped = r.unsupported;
				progress(b, "  %-48s %s\n", c->name, r.note);
			}
			/* what the last good run did; a failure only when none
			 * succeeded (the failed attempts are counted) */
			if (r.note != NULL && (r.device_s > 0 || !bench_case_measured(c))) {
				g_free(c->note);
				c->note = g_steal_pointer(&r.note);
			}
			g_free(r.note);
		}
	}
	set_bounds(br);
}

static void
measure_sensitivity(const Bench *b, BenchBoardRun *br)
{
	br->sensitivity = g_malloc_n(bench_n_variations, sizeof(gdouble[BENCH_N_KINDS]));
	for (guint v = 0; v < bench_n_variations; v++) {
		g_autofree gchar *spec =
		    g_strdup_printf("%s=%g", bench_variations[v].key, bench_variations[v].factor);
		progress(b, "%s: sensitivity, %s\n", br->board->name, spec);
		for (guint k = 0; k < BENCH_N_KINDS; k++)
			br->sensitivity[v][k] = -1;
		for (guint i = 0; i < G_N_ELEMENTS(sensitivity_kinds); i++) {
			BenchKind k = sensitivity_kinds[i];
			Run r = {0};
			guint failures = 0;
			if (br->cases[k].skipped || !bench_case_measured(&br->cases[k]))
				continue;
			if (run_once(b, br, k, spec, &r, &failures))
				br->sensitivity[v][k] = r.device_s;
			progress(b, "  %-48s %9.3f s device\n", br->cases[k].name,
				 br->sensitivity[v][k]);
			g_free(r.note);
		}
	}
}

BenchBoardRun *
bench_run_board(Bench *b, const GlintSimBoardInfo *board, gboolean sensitivity, GError **error)
{
	g_autoptr(BenchBoardRun) br = board_run_new(b, board, error);
	if (br == NULL)
		return NULL;
	/* the model as documented, whatever the environment says */
	if (!glint_sim_set_clock_model("", error))
		return NULL;
	measure(b, br);
	if (sensitivity)
		measure_sensitivity(b, br);
	return g_steal_pointer(&br);
}

/* ---- output ---------------------------------------------------------------- */

static gdouble
sensitivity_glint(const gdouble *row)
{
	return row[BENCH_GLINT_USBSIM] > 0 ? row[BENCH_GLINT_USBSIM] : row[BENCH_GLINT];
}

static void
json_string(GString *json, const char *s)
{
	if (s == NULL) {
		g_string_append(json, "null");
		return;
	}
	g_string_append_c(json, '"');
	for (const char *p = s; *p != '\0'; p++) {
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
json_case(GString *json, const BenchBoardRun *br, BenchKind k, gboolean last)
{
	const BenchCase *c = &br->cases[k];
	g_string_append(json, "        {\"name\": ");
	json_string(json, c->name);
	if (board_run_legacy(br) && kinds[k].legacy != NULL) {
		g_string_append(json, ", \"alias\": ");
		json_string(json, kinds[k].legacy);
	}
	g_string_append(json, ", \"command\": ");
	json_string(json, c->command);
	if (bench_case_measured(c)) {
		g_string_append_printf(json,
				       ", \"device_seconds_min\": %.4f, "
				       "\"device_seconds_median\": %.4f",
				       bench_case_min(c), bench_case_median(c));
		if (!c->computed) {
			g_string_append(json, ", \"device_seconds\": ");
			json_values(json, c->device_s);
			g_string_append(json, ", \"host_seconds\": ");
			json_values(json, c->host_s);
		}
	} else {
		g_string_append(json, ", \"device_seconds_min\": null, "
				      "\"device_seconds_median\": null");
	}
	if (!c->computed)
		g_string_append_printf(json, ", \"failed_attempts\": %u, \"skipped\": %s",
				       c->failures, c->skipped ? "true" : "false");
	g_string_append(json, ", \"note\": ");
	json_string(json, c->note);
	g_string_append_printf(json, "}%s\n", last ? "" : ",");
}

static void
json_ratio(GString *json, const char *name, const BenchCase *num, const BenchCase *den,
	   gboolean *first)
{
	g_string_append_printf(json, "%s\n        ", *first ? "" : ",");
	*first = FALSE;
	json_string(json, name);
	if (bench_case_measured(num) && bench_case_measured(den))
		g_string_append_printf(json, ": {\"of_min\": %.3f, \"of_median\": %.3f}",
				       bench_case_min(num) / bench_case_min(den),
				       bench_case_median(num) / bench_case_median(den));
	else
		g_string_append(json, ": null");
}

static void
json_sensitivity(GString *json, const BenchBoardRun *br)
{
	gdouble limit_s = br->limit.limit_ns / 1e9;
	g_string_append(json, ",\n      \"sensitivity\": [\n");
	for (guint v = 0; v < bench_n_variations; v++) {
		const gdouble *row = br->sensitivity[v];
		gdouble g = sensitivity_glint(row);
		g_string_append(json, "        {\"estimate\": ");
		json_string(json, bench_variations[v].key);
		g_string_append_printf(json, ", \"factor\": %g, \"device_seconds\": {",
				       bench_variations[v].factor);
		for (guint i = 0; i < G_N_ELEMENTS(sensitivity_kinds); i++) {
			BenchKind k = sensitivity_kinds[i];
			json_string(json, br->cases[k].name);
			if (row[k] > 0)
				g_string_append_printf(json, ": %.4f", row[k]);
			else
				g_string_append(json, ": null");
			g_string_append(json, i + 1 < G_N_ELEMENTS(sensitivity_kinds)
						  ? ", "
						  : "}, \"ratios_to_glint\": {");
		}
		for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
			BenchKind k = peer_kinds[i];
			json_string(json, br->cases[k].name);
			if (row[k] > 0 && g > 0)
				g_string_append_printf(json, ": %.3f", row[k] / g);
			else
				g_string_append(json, ": null");
			if (i + 1 < G_N_ELEMENTS(peer_kinds))
				g_string_append(json, ", ");
		}
		g_string_append(json, "}, \"glint_to_limit\": ");
		if (g > 0)
			g_string_append_printf(json, "%.3f", g / limit_s);
		else
			g_string_append(json, "null");
		g_string_append_printf(json, "}%s\n", v + 1 < bench_n_variations ? "," : "");
	}
	g_string_append(json, "      ]");
}

void
bench_json_board(GString *json, const BenchBoardRun *br, gboolean last)
{
	const GlintSimBoardInfo *board = br->board;
	const BenchPeer *peer = bench_peer_find(board);
	const BenchCase *glint = bench_glint_reference(br);
	const GlintSimFlashLimit *l = &br->limit;
	gboolean first = TRUE;

	g_string_append(json, "    {\n      \"board\": ");
	json_string(json, board->name);
	g_string_append(json, ", \"chip\": ");
	json_string(json, board->chip);
	g_string_append(json, ", \"machine\": ");
	json_string(json, board->machine);
	g_string_append_printf(json,
			       ",\n      \"flash_bytes\": %u, \"image_bytes\": %" G_GSIZE_FORMAT
			       ",\n      \"openocd_target\": ",
			       board->flash_kb * 1024, br->image_size);
	json_string(json, peer != NULL ? peer->target : NULL);
	g_string_append(json, ",\n      \"probe\": ");
	json_string(json, glint_probe_kind_to_string(br->probe_kind));
	g_string_append_printf(json, ", \"probe_khz\": %u", br->probe_khz);
	g_string_append(json, ",\n      \"limit\": {\"how\": ");
	json_string(json, l->how);
	g_string_append_printf(json,
			       ", \"erase_seconds\": %.4f, \"program_seconds\": %.4f, "
			       "\"limit_seconds\": %.4f, \"connect_verify_seconds\": %.4f, "
			       "\"link_seconds\": %.4f, \"max_hclk_hz\": %u},\n",
			       l->erase_ns / 1e9, l->program_ns / 1e9, l->limit_ns / 1e9,
			       l->connect_verify_ns / 1e9, l->link_ns / 1e9, l->max_hclk_hz);
	g_string_append(json, "      \"cases\": [\n");
	for (guint k = 0; k < BENCH_N_KINDS; k++)
		json_case(json, br, (BenchKind)k, k + 1 == BENCH_N_KINDS);
	g_string_append(json, "      ],\n      \"ratios\": {");
	for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
		g_autofree gchar *name =
		    g_strdup_printf("%s / %s", br->cases[peer_kinds[i]].name, glint->name);
		json_ratio(json, name, &br->cases[peer_kinds[i]], glint, &first);
	}
	for (guint i = 0; i < G_N_ELEMENTS(glint_kinds); i++) {
		BenchKind k = glint_kinds[i];
		for (guint b = BENCH_LIMIT; b <= BENCH_BOUND; b++) {
			g_autofree gchar *name =
			    g_strdup_printf("%s / %s", br->cases[k].name, br->cases[b].name);
			json_ratio(json, name, &br->cases[k], &br->cases[b], &first);
		}
	}
	g_string_append(json, "\n      }");
	if (br->sensitivity != NULL)
		json_sensitivity(json, br);
	g_string_append_printf(json, "\n    }%s\n", last ? "" : ",");
}

static void
print_sensitivity(const BenchBoardRun *br, const BenchCase *glint)
{
	gdouble limit_s = br->limit.limit_ns / 1e9;
	g_print("\nSensitivity (one run each): peer / %s, and Glint / limit\n", glint->name);
	g_print("%-32s %8s", "estimate", "glint s");
	for (guint i = 0; i < G_N_ELEMENTS(peer_labels); i++)
		g_print(" %16s", peer_labels[i]);
	g_print(" %8s\n", "to limit");
	for (guint v = 0; v < bench_n_variations; v++) {
		const gdouble *row = br->sensitivity[v];
		gdouble g = sensitivity_glint(row);
		g_autofree gchar *label =
		    g_strdup_printf("%s x%g", bench_variations[v].what, bench_variations[v].factor);
		g_print("%-32s %8.3f", label, g);
		for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
			gdouble p = row[peer_kinds[i]];
			if (p > 0 && g > 0)
				g_print(" %15.2fx", p / g);
			else
				g_print(" %16s", "-");
		}
		if (g > 0)
			g_print(" %8.3f\n", g / limit_s);
		else
			g_print(" %8s\n", "-");
	}
}

void
bench_print_board(const BenchBoardRun *br, guint runs)
{
	const GlintSimBoardInfo *board = br->board;
	const BenchCase *glint = bench_glint_reference(br);
	gdouble limit_s = br->limit.limit_ns / 1e9;
	gdouble bound_s = (br->limit.limit_ns + br->limit.connect_verify_ns) / 1e9;

	/* the board's own probe, as the JSON records it */
	g_print("\n%s (%s): %" G_GSIZE_FORMAT " KiB random image of %u KiB flash, ST-LINK %s, "
		"modelled device seconds, %u runs\n",
		board->name, board->chip, br->image_size / 1024, board->flash_kb,
		glint_probe_kind_to_string(br->probe_kind), runs);
	g_print("%-50s %9s %9s %9s  %s\n", "case", "min s", "median s", "host s", "note");
	for (guint k = 0; k < BENCH_N_KINDS; k++) {
		const BenchCase *c = &br->cases[k];
		g_autofree gchar *alias = board_run_legacy(br) && kinds[k].legacy != NULL
					      ? g_strdup_printf(" (was %s)", kinds[k].legacy)
					      : g_strdup("");
		if (bench_case_measured(c) && c->computed)
			g_print("%-50s %9.3f %9s %9s  %s%s\n", c->name, bench_case_min(c), "", "",
				c->command, alias);
		else if (bench_case_measured(c))
			g_print("%-50s %9.3f %9.3f %9.1f  %s%s%s\n", c->name, bench_case_min(c),
				bench_case_median(c), values_median(c->host_s),
				c->note != NULL ? c->note : "", alias,
				c->failures > 0 ? " [some attempts failed]" : "");
		else
			g_print("%-50s %9s %9s %9s  %s%s\n", c->name, "-", "-", "-",
				c->note != NULL ? c->note : "", alias);
	}
	g_print("  %s\n", br->cases[BENCH_LIMIT].note);
	g_print("\nRatios (min / min, median / median), against %s:\n", glint->name);
	for (guint i = 0; i < G_N_ELEMENTS(peer_kinds); i++) {
		const BenchCase *p = &br->cases[peer_kinds[i]];
		if (bench_case_measured(p) && bench_case_measured(glint))
			g_print("  %-48s %6.2fx %6.2fx\n", p->name,
				bench_case_min(p) / bench_case_min(glint),
				bench_case_median(p) / bench_case_median(glint));
	}
	for (guint i = 0; i < G_N_ELEMENTS(glint_kinds); i++) {
		const BenchCase *g = &br->cases[glint_kinds[i]];
		if (!bench_case_measured(g))
			continue;
		g_print("  %-48s %6.3f to the limit%s, %6.3f to the bound with connect and "
			"verify\n",
			g->name, bench_case_min(g) / limit_s,
			bench_case_min(g) / limit_s <= 1.10 ? "" : " (goal <= 1.10)",
			bench_case_min(g) / bound_s);
	}
	if (bench_case_measured(&br->cases[BENCH_GLINT_REFLASH]))
		g_print("  %-48s %6.3f s (goal < 0.5 s)\n", br->cases[BENCH_GLINT_REFLASH].name,
			bench_case_min(&br->cases[BENCH_GLINT_REFLASH]));
	if (br->sensitivity != NULL)
		print_sensitivity(br, glint);
}

static void
print_ratio(const BenchCase *peer, const BenchCase *glint)
{
	if (bench_case_measured(peer) && bench_case_measured(glint))
		g_print(" %8.2fx", bench_case_min(peer) / bench_case_min(glint));
	else if (peer->skipped)
		g_print(" %9s", "skipped");
	else if (peer->note != NULL && g_str_has_prefix(peer->note, "timed out"))
		g_print(" %9s", "timed out");
	else
		g_print(" %9s", "-");
}

void
bench_print_summary(GPtrArray *runs)
{
	g_print("\nSummary: modelled seconds (minimum of the runs); /limit: Glint (through "
		"glint-usbsim, in-process where it did not run) to the limit; mass: Glint after "
		"its own mass erase, in-process, to the limit; peers as multiples of Glint\n");
	g_print("%-22s %6s %8s %8s %8s %7s %7s %9s %9s %9s %9s\n", "board", "KiB", "limit s",
		"bound s", "glint s", "/limit", "mass", "ocd best", "ocd dflt", "stf best",
		"stf dflt");
	for (guint i = 0; i < runs->len; i++) {
		const BenchBoardRun *br = g_ptr_array_index(runs, i);
		const BenchCase *glint = bench_glint_reference(br);
		const BenchCase *mass = &br->cases[BENCH_GLINT_MASS];
		gdouble limit_s = br->limit.limit_ns / 1e9;
		g_print("%-22s %6" G_GSIZE_FORMAT " %8.3f %8.3f", br->board->name,
			br->image_size / 1024, limit_s,
			(br->limit.limit_ns + br->limit.connect_verify_ns) / 1e9);
		if (bench_case_measured(glint))
			g_print(" %8.3f %7.3f", bench_case_min(glint),
				bench_case_min(glint) / limit_s);
		else
			g_print(" %8s %7s", "-", "-");
		if (bench_case_measured(mass))
			g_print(" %7.3f", bench_case_min(mass) / limit_s);
		else
			g_print(" %7s", "-");
		for (guint k = 0; k < G_N_ELEMENTS(peer_kinds); k++)
			print_ratio(&br->cases[peer_kinds[k]], glint);
		g_print("\n");
	}
}
