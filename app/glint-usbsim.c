/* glint-usbsim.c: runs a command that sees emulated ST-LINK probes on the
 * USB bus.
 *
 *   glint-usbsim [--scenario BOARD[:SCENARIO]] [--state FILE] [--state-wait SECS]
 *                [--serial SN] [--count N]
 *                [--unplug-after K] [--fault-after K:KIND]
 *                [--kind v2|v2-1|v3] [--firmware J]
 *                [--binary-serial] [--report-time FILE]
 *                [--sim-fixture N|SCENARIO,...]
 *                -- COMMAND ARGS...
 *
 * Each probe is a GlintSim (core/sim) presented at the usbfs level through
 * umockdev (core/usb/glint-usb-emu), so unmodified libusb programs (Glint
 * itself, OpenOCD, stlink-tools) talk to it as to hardware. The board state
 * is loaded at start and saved when the command exits, and held (locked)
 * in between, so that no other glint-usbsim or glint-cli changes it under
 * the command (they wait, or are told the board is in use); the exit
 * status is the command's, or 1 (cannot start), 2 (usage), 3 (a state file
 * is held by another program), or 128 + the signal when SIGINT, SIGTERM or
 * SIGHUP stopped it: the command gets the same signal and 30 s to end
 * before it is killed, then the bus and its temporary files go and the
 * board is saved as after any end of the command. --report-time writes the first probe's modelled
 * device time for the command (the emulator's virtual clock) and its counters, so other tools can
 * be compared with Glint under the same timing model.
 *
 * --fault-after K:KIND spoils, at the USB level, the first reply the probe
 * sends once it has processed its K-th ST-LINK command (command K itself
 * when it has a reply, else the next one that has): "garbage" complements
 * every byte of it (nothing in it can pass for what the firmware sent),
 * "short" delivers only the first half (at least one byte) and discards the
 * rest, "drop" loses it (the IN transfer is never answered, so the host's
 * transfer timeout fires; later commands are answered again) and "stall"
 * hangs the probe's firmware there (no IN transfer is ever answered again,
 * as with a probe that needs a power cycle).
 *
 * --sim-fixture puts a production fixture behind each probe
 * (glint_sim_fixture_new): N boards of --scenario, each with its own
 * unique ID, go in one after another and come out once the station is done
 * with them; with --state FILE, board k of probe p is kept in FILE-p-k
 * (FILE-k with one probe). */
#define G_LOG_DOMAIN "glint-usbsim"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glint-error.h"
#include "glint-i18n.h"
#include "glint-sim.h"
#include "glint-usb-emu.h"
#include "glint-usb.h"

#define USBSIM_PRELOAD "libumockdev-preload.so.0"
#define USBSIM_REEXEC_ENV "GLINT_USBSIM_REEXEC"
#define USBSIM_MAX_COUNT 16
#define USBSIM_MAX_JTAG 63 /* a 6-bit field in GET_VERSION */
#define USBSIM_EXIT_USAGE 2
#define USBSIM_EXIT_FAILED 1
/* A state file another program holds: the board is in use. */
#define USBSIM_EXIT_BUSY 3
#define USBSIM_STATE_WAIT_S 10
#define USBSIM_STATE_WAIT_MAX_S 3600

typedef enum {
	USBSIM_FAULT_NONE,
	USBSIM_FAULT_GARBAGE,
	USBSIM_FAULT_SHORT,
	USBSIM_FAULT_DROP,
	USBSIM_FAULT_STALL,
} UsbsimFaultKind;

static const char *const usbsim_fault_names[] = {
    [USBSIM_FAULT_GARBAGE] = "garbage",
    [USBSIM_FAULT_SHORT] = "short",
    [USBSIM_FAULT_DROP] = "drop",
    [USBSIM_FAULT_STALL] = "stall",
};

typedef struct {
	gchar *scenario;
	gchar *state;
	gchar *serial;
	gchar *kind;
	gchar *report_time;
	gint count;
	gint state_wait_s; /* how long to wait for a state file another program holds */
	gint firmware;	   /* J version, 0 = the emulator's default */
	gint64 unplug_after;
	gchar *fault_after; /* K:KIND as given */
	gchar *fixture;	    /* --sim-fixture N|SCENARIO,... */
	guint64 fault_k;
	UsbsimFaultKind fault_kind;
	gboolean binary_serial;
	gboolean no_host_idle;
	gchar **command;
} UsbsimOptions;

static void
usbsim_options_clear(UsbsimOptions *opt)
{
	g_free(opt->scenario);
	g_free(opt->state);
	g_free(opt->serial);
	g_free(opt->kind);
	g_free(opt->report_time);
	g_free(opt->fault_after);
	g_free(opt->fixture);
	g_strfreev(opt->command);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(UsbsimOptions, usbsim_options_clear)

/* ---- the sim as a USB backend ---------------------------------------- */

/* One probe on the bus: its board (not owned) and the reply fault to come. */
typedef struct {
	GlintSim *sim;
	UsbsimFaultKind fault;
	guint64 fault_after; /* 0 = no fault */
	gboolean fault_done; /* the spoiled reply has gone out */
	gboolean hung;	     /* "stall": the firmware answers nothing any more */
} UsbsimProbe;

static void
sim_bulk_out(gpointer backend, const guint8 *data, gsize len)
{
	UsbsimProbe *probe = backend;
	glint_sim_bulk_out(probe->sim, data, len);
}

/* Throws away what is left of the sim's pending reply, so that the next
 * command does not find stale bytes in front of its own reply. */
static void
usbsim_drain_reply(UsbsimProbe *probe)
{
	guint8 scratch[256];
	while (glint_sim_bulk_in(probe->sim, scratch, sizeof(scratch)) > 0)
		;
}

/* Returning 0 leaves the host's IN transfer pending: the probe NAKs. */
static gsize
usbsim_spoil_reply(UsbsimProbe *probe, guint8 *buf, gsize got)
{
	probe->fault_done = TRUE;
	g_debug("probe %s: spoiling the reply after command %" G_GUINT64_FORMAT " (%s)",
		glint_sim_get_serial(probe->sim), glint_sim_get_command_count(probe->sim),
		usbsim_fault_names[probe->fault]);
	switch (probe->fault) {
	case USBSIM_FAULT_GARBAGE:
		for (gsize i = 0; i < got; i++)
			buf[i] = (guint8)~buf[i];
		return got;
	case USBSIM_FAULT_SHORT:
		usbsim_drain_reply(probe);
		return MAX(got / 2, 1);
	case USBSIM_FAULT_STALL:
		probe->hung = TRUE;
		usbsim_drain_reply(probe);
		return 0;
	case USBSIM_FAULT_DROP:
	default:
		usbsim_drain_reply(probe);
		return 0;
	}
}

static gsize
sim_bulk_in(gpointer backend, guint8 *buf, gsize max)
{
	UsbsimProbe *probe = backend;
	gsize got;

	if (probe->hung) {
		usbsim_drain_reply(probe);
		return 0;
	}
	got = glint_sim_bulk_in(probe->sim, buf, max);
	if (got > 0 && probe->fault_after > 0 && !probe->fault_done &&
	    glint_sim_get_command_count(probe->sim) >= probe->fault_after)
		return usbsim_spoil_reply(probe, buf, got);
	return got;
}

static gboolean
sim_is_unplugged(gpointer backend)
{
	UsbsimProbe *probe = backend;
	return glint_sim_is_unplugged(probe->sim);
}

static gsize
sim_trace_in(gpointer backend, guint8 *buf, gsize max)
{
	UsbsimProbe *probe = backend;
	return probe->hung ? 0 : glint_sim_trace_in(probe->sim, buf, max);
}

static const GlintUsbEmuBackend sim_backend = {
    .bulk_out = sim_bulk_out,
    .bulk_in = sim_bulk_in,
    .is_unplugged = sim_is_unplugged,
    .trace_in = sim_trace_in,
};

/* A fixture behind the probe: boards one after another. */
static void
fixture_bulk_out(gpointer backend, const guint8 *data, gsize len)
{
	glint_sim_fixture_bulk_out(backend, data, len);
}

static gsize
fixture_bulk_in(gpointer backend, guint8 *buf, gsize max)
{
	return glint_sim_fixture_bulk_in(backend, buf, max);
}

static gboolean
fixture_is_unplugged(gpointer backend)
{
	return glint_sim_fixture_is_unplugged(backend);
}

static const GlintUsbEmuBackend fixture_backend = {
    .bulk_out = fixture_bulk_out,
    .bulk_in = fixture_bulk_in,
    .is_unplugged = fixture_is_unplugged,
};

/* ---- set-up ---------------------------------------------------------- */

/* Runs this program again with the umockdev preload in place, so users can
 * type `glint-usbsim -- CMD` without `umockdev-wrapper`. */
static void
usbsim_reexec_with_preload(char **argv)
{
	const char *preload = g_getenv("LD_PRELOAD");
	const char *asan = g_getenv("ASAN_OPTIONS");
	g_autofree gchar *new_preload = NULL;
	g_autofree gchar *new_asan = NULL;

	if (preload != NULL && strstr(preload, "umockdev-preload") != NULL)
		return;
	if (g_getenv(USBSIM_REEXEC_ENV) != NULL) {
		g_printerr(_("glint-usbsim: the umockdev preload (%s) did not load; install "
			     "Debian's umockdev package\n"),
			   USBSIM_PRELOAD);
		exit(USBSIM_EXIT_FAILED);
	}
	new_preload = preload && *preload ? g_strdup_printf("%s:%s", USBSIM_PRELOAD, preload)
					  : g_strdup(USBSIM_PRELOAD);
	/* Sanitizer builds: the preload now comes before the ASan runtime. */
	new_asan = asan && *asan ? g_strdup_printf("%s:verify_asan_link_order=0", asan)
				 : g_strdup("verify_asan_link_order=0");
	g_setenv("LD_PRELOAD", new_preload, TRUE);
	g_setenv("ASAN_OPTIONS", new_asan, TRUE);
	g_setenv(USBSIM_REEXEC_ENV, "1", TRUE);
	execv("/proc/self/exe", argv);
	g_printerr(_("glint-usbsim: cannot re-run itself with the umockdev preload: %s\n"),
		   g_strerror(errno));
	exit(USBSIM_EXIT_FAILED);
}

static gchar *
usbsim_describe_scenarios(void)
{
	g_autofree gchar *boards = glint_sim_describe_boards();
	g_autoptr(GString) text = g_string_new(_("Boards (--scenario BOARD or BOARD:SCENARIO):\n"));
	g_string_append(text, boards);
	g_string_append(
	    text, _("\nExamples:\n"
		    "  glint-usbsim -- glint-cli probes\n"
		    "  glint-usbsim --state board.state -- openocd -f interface/stlink.cfg "
		    "-c 'transport select hla_swd' -f target/stm32l4x.cfg\n"
		    "  glint-usbsim --count 2 -- st-info --probe\n"
		    "\nExit status: COMMAND's; 1 the emulated bus could not start, 2 bad usage, "
		    "3 a state file is held by another program (board in use).\n"));
	return g_string_free(g_steal_pointer(&text), FALSE);
}

/* "K:KIND", K >= 1. */
static gboolean
usbsim_parse_fault(UsbsimOptions *opt, GError **error)
{
	const char *spec = opt->fault_after;
	const char *colon = strchr(spec, ':');
	g_autofree gchar *count = NULL;
	guint64 k = 0;

	if (colon == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--fault-after %s: give K:KIND, e.g. 40:garbage"), spec);
		return FALSE;
	}
	count = g_strndup(spec, (gsize)(colon - spec));
	if (!g_ascii_string_to_unsigned(count, 10, 1, G_MAXINT64, &k, NULL)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--fault-after %s: K must be a command count of 1 or more"), spec);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(usbsim_fault_names); i++) {
		if (usbsim_fault_names[i] != NULL &&
		    g_strcmp0(colon + 1, usbsim_fault_names[i]) == 0) {
			opt->fault_k = k;
			opt->fault_kind = (UsbsimFaultKind)i;
			return TRUE;
		}
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("--fault-after %s: KIND is garbage, short, drop or stall"), spec);
	return FALSE;
}

static gboolean
usbsim_parse(int argc, char **argv, UsbsimOptions *opt, GError **error)
{
	g_autoptr(GOptionContext) ctx = NULL;
	g_autofree gchar *description = NULL;
	gint count = 1;
	gint state_wait = USBSIM_STATE_WAIT_S;
	gint firmware = 0;
	gint64 unplug_after = 0;
	GOptionEntry entries[] = {
	    {"scenario", 0, 0, G_OPTION_ARG_STRING, &opt->scenario,
	     _("The simulated board and its scenario (nucleo-l476rg:wrp, or a short name: fresh, "
	       "wrp, rdp1, l476re, ...); a --state file that exists holds a board and wins"),
	     "BOARD[:SCENARIO]"},
	    {"state", 0, 0, G_OPTION_ARG_FILENAME, &opt->state,
	     _("Board state file: loaded at start if present, saved when COMMAND exits "
	       "(with --count N: FILE-1, FILE-2, ... before the extension); held (locked) "
	       "meanwhile"),
	     "FILE"},
	    {"state-wait", 0, 0, G_OPTION_ARG_INT, &state_wait,
	     _("Wait this long for a state file another program holds (default 10; 0: exit 3 at "
	       "once, \"board in use\")"),
	     "SECS"},
	    {"serial", 0, 0, G_OPTION_ARG_STRING, &opt->serial,
	     _("Probe serial (24 hex digits); further probes count up from it"), "SN"},
	    {"count", 0, 0, G_OPTION_ARG_INT, &count,
	     _("Number of probes, each with its own board"), "N"},
	    {"unplug-after", 0, 0, G_OPTION_ARG_INT64, &unplug_after,
	     _("Each probe vanishes from the bus after K ST-LINK commands"), "K"},
	    {"fault-after", 0, 0, G_OPTION_ARG_STRING, &opt->fault_after,
	     _("Each probe spoils its first reply after K ST-LINK commands: garbage (bytes "
	       "complemented), short (half of it), drop (never sent: the host times out) or stall "
	       "(the probe answers nothing any more)"),
	     "K:KIND"},
	    {"kind", 0, 0, G_OPTION_ARG_STRING, &opt->kind, _("Probe generation: v2, v2-1 or v3"),
	     "KIND"},
	    {"firmware", 0, 0, G_OPTION_ARG_INT, &firmware,
	     _("Probe firmware J version (e.g. 14, to see what old firmware lacks)"), "J"},
	    {"binary-serial", 0, 0, G_OPTION_ARG_NONE, &opt->binary_serial,
	     _("Serial descriptor in the old V2 binary form"), NULL},
	    {"no-host-idle", 0, 0, G_OPTION_ARG_NONE, &opt->no_host_idle,
	     _("Do not let the host's idle gaps pass on the device clock: modelled time and "
	       "command counts then depend only on the commands (for tests of a host that "
	       "never sleeps)"),
	     NULL},
	    {"sim-fixture", 0, 0, G_OPTION_ARG_STRING, &opt->fixture,
	     _("A production fixture behind each probe: N boards of --scenario (or one per "
	       "scenario listed: fresh,rdp1,fresh), each with its own unique ID, put in one after "
	       "another and taken out once the station is done with them; with --state FILE, "
	       "board k of probe p is kept in FILE-p-k (FILE-k with one probe)"),
	     "N|LIST"},
	    {"report-time", 0, 0, G_OPTION_ARG_FILENAME, &opt->report_time,
	     _("Write the modelled device time of COMMAND (first probe) and the emulator's "
	       "counters to FILE, one 'name value' per line"),
	     "FILE"},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->command, NULL,
	     "-- COMMAND [ARGS...]"},
	    {NULL},
	};

	ctx = g_option_context_new(NULL);
	g_option_context_set_summary(
	    ctx, _("Runs COMMAND with emulated ST-LINK probes on the USB bus: Glint, OpenOCD and "
		   "stlink-tools see them as real hardware."));
	g_option_context_add_main_entries(ctx, entries, NULL);
	description = usbsim_describe_scenarios();
	g_option_context_set_description(ctx, description);
	if (!g_option_context_parse(ctx, &argc, &argv, error))
		return FALSE;
	if (opt->command == NULL || opt->command[0] == NULL) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("no command given; usage: glint-usbsim [OPTIONS] -- COMMAND "
				      "[ARGS...]"));
		return FALSE;
	}
	if (count < 1 || count > USBSIM_MAX_COUNT) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--count %d is out of range; give 1 to %d"), count, USBSIM_MAX_COUNT);
		return FALSE;
	}
	if (state_wait < 0 || state_wait > USBSIM_STATE_WAIT_MAX_S) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--state-wait %d is out of range; give 0 to %d seconds"), state_wait,
			    USBSIM_STATE_WAIT_MAX_S);
		return FALSE;
	}
	if (unplug_after < 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--unplug-after %" PRId64 " is negative"), unplug_after);
		return FALSE;
	}
	if (opt->serial != NULL &&
	    (strlen(opt->serial) != 24 || strspn(opt->serial, "0123456789abcdefABCDEF") != 24)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--serial %s: a probe serial is 24 hex digits (stlink-tools accept "
			      "nothing else)"),
			    opt->serial);
		return FALSE;
	}
	if (opt->state != NULL && *opt->state == '\0') {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--state needs a file name (it was given an empty one)"));
		return FALSE;
	}
	if (opt->state != NULL) {
		/* Fail before the command runs, not when its work is to be saved. */
		g_autofree gchar *dir = g_path_get_dirname(opt->state);
		if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--state %s: the directory %s does not exist"), opt->state,
				    dir);
			return FALSE;
		}
	}
	if (firmware < 0 || firmware > USBSIM_MAX_JTAG) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--firmware %d: the J version is 1 to %d"), firmware,
			    USBSIM_MAX_JTAG);
		return FALSE;
	}
	if (opt->fault_after != NULL && !usbsim_parse_fault(opt, error))
		return FALSE;
	if (opt->fixture != NULL &&
	    (opt->fault_after != NULL || unplug_after > 0 || opt->report_time != NULL)) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("--sim-fixture does not take --fault-after, --unplug-after or "
		      "--report-time (they act on one board; the fixtures report their "
		      "modelled time when COMMAND exits)"));
		return FALSE;
	}
	opt->count = count;
	opt->state_wait_s = state_wait;
	opt->firmware = firmware;
	opt->unplug_after = unplug_after;
	return TRUE;
}

static gboolean
usbsim_kind(const char *name, GlintProbeKind *kind, GError **error)
{
	if (name == NULL || g_ascii_strcasecmp(name, "v2") == 0)
		*kind = GLINT_PROBE_KIND_V2;
	else if (g_ascii_strcasecmp(name, "v2-1") == 0)
		*kind = GLINT_PROBE_KIND_V2_1;
	else if (g_ascii_strcasecmp(name, "v3") == 0)
		*kind = GLINT_PROBE_KIND_V3;
	else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--kind %s: give v2, v2-1 or v3"), name);
		return FALSE;
	}
	return TRUE;
}

/* "board.state" -> "board-2.state" for probe 2 of several. */
static gchar *
usbsim_state_path(const char *state, gint index, gint count)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *base = NULL;
	const char *dot;
	g_autofree gchar *stem = NULL;
	g_autofree gchar *name = NULL;

	if (state == NULL)
		return NULL;
	if (count == 1)
		return g_strdup(state);
	dir = g_path_get_dirname(state);
	base = g_path_get_basename(state);
	dot = strrchr(base, '.');
	if (dot != NULL && dot != base) {
		stem = g_strndup(base, (gsize)(dot - base));
		name = g_strdup_printf("%s-%d%s", stem, index + 1, dot);
	} else {
		name = g_strdup_printf("%s-%d", base, index + 1);
	}
	return g_build_filename(dir, name, NULL);
}

/* Probe @index of several: the base serial with its low 16 bits counted up,
 * so every probe is distinct and still 24 hex digits. */
static gchar *
usbsim_serial(const char *base, gint index)
{
	guint64 low;
	if (index == 0)
		return g_strdup(base);
	low = g_ascii_strtoull(base + 20, NULL, 16);
	return g_strdup_printf("%.20s%04X", base, (guint)((low + (guint64)index) & 0xffff));
}

/* The state file of probe @index, held for the whole run: another holder
 * is waited for (saying so) up to --state-wait seconds. */
static GlintSimStateFile *
usbsim_hold_state(const UsbsimOptions *opt, const char *path, GError **error)
{
	g_autoptr(GlintSimStateFile) file = glint_sim_state_file_open(path, error);
	g_autoptr(GError) busy = NULL;
	g_autofree gchar *holder = NULL;

	if (file == NULL)
		return NULL;
	if (glint_sim_state_file_lock(file, 0, NULL, &busy))
		return g_steal_pointer(&file);
	if (!g_error_matches(busy, GLINT_ERROR, GLINT_ERROR_BUSY) || opt->state_wait_s == 0) {
		g_propagate_error(error, g_steal_pointer(&busy));
		return NULL;
	}
	holder = glint_sim_state_file_get_holder(file);
	g_printerr(_("glint-usbsim: %s is in use by %s; waiting up to %d s for it...\n"), path,
		   holder != NULL ? holder : _("another program"), opt->state_wait_s);
	if (!glint_sim_state_file_lock(file, (guint)opt->state_wait_s * 1000u, NULL, error))
		return NULL;
	return g_steal_pointer(&file);
}

/* Whether a host's gaps between transfers count as device time. With
 * several probes one emulation thread serves them all, so a probe's gap
 * holds the time spent running the other boards' cores: charged as idle,
 * each board would then run its core for its neighbours' turns, which
 * takes longer still, and the boards fall behind without end (six probes
 * never finished a 20 KiB job). One probe only, then. */
static gboolean
usbsim_counts_host_idle(const UsbsimOptions *opt)
{
	return !opt->no_host_idle && opt->count <= 1;
}
/* Whether @sim is the board @spec names ("wrp" is nucleo-l476rg:wrp) */
static gboolean
usbsim_sim_is(GlintSim *sim, const char *spec)
{
	g_autofree gchar *board = NULL;
	g_autofree gchar *scenario = NULL;
	g_autofree gchar *short_spec = NULL;
	if (!glint_sim_parse_spec(spec, &board, &scenario, NULL))
		return FALSE;
	short_spec = glint_sim_short_spec(board, scenario);
	return g_strcmp0(short_spec, glint_sim_get_spec(sim)) == 0;
}

static GlintSim *
usbsim_board(const UsbsimOptions *opt, gint index, GPtrArray *files, GError **error)
{
	g_autofree gchar *path = usbsim_state_path(opt->state, index, opt->count);
	g_autoptr(GlintSimStateFile) file = NULL;
	g_autoptr(GlintSim) sim = NULL;
	g_autofree gchar *serial = NULL;
	GlintProbeKind kind;

	/* an unknown board is refused even when a state file would win */
	if (opt->scenario != NULL && !glint_sim_parse_spec(opt->scenario, NULL, NULL, error))
		return NULL;
	if (path != NULL) {
		file = usbsim_hold_state(opt, path, error);
		if (file == NULL)
			return NULL;
	}
	if (file != NULL && glint_sim_state_file_has_board(file))
		sim = glint_sim_state_file_load(file, NULL, error);
	else
		sim = glint_sim_new(opt->scenario, error);
	if (sim == NULL)
		return NULL;
	if (opt->scenario != NULL && !usbsim_sim_is(sim, opt->scenario))
		g_printerr(
		    _("glint-usbsim: note: %s holds a '%s' board, which wins over --scenario "
		      "%s (delete the file to start a new board)\n"),
		    path, glint_sim_get_spec(sim), opt->scenario);
	if (opt->kind != NULL) {
		if (!usbsim_kind(opt->kind, &kind, error))
			return NULL;
		glint_sim_set_probe_kind(sim, kind);
	}
	if (opt->firmware > 0)
		glint_sim_set_firmware_version(sim, (guint)opt->firmware);
	serial = usbsim_serial(opt->serial ? opt->serial : glint_sim_get_serial(sim), index);
	glint_sim_set_serial(sim, serial);
	glint_sim_set_binary_serial(sim, opt->binary_serial);
	/* tools sleep between polls while their flash loader runs on the
	 * target: that time passes on the device too */
	glint_sim_set_count_host_idle(sim, usbsim_counts_host_idle(opt));
	if (opt->unplug_after > 0)
		glint_sim_set_unplug_after(sim, (guint64)opt->unplug_after);
	if (file != NULL)
		g_ptr_array_add(files, g_steal_pointer(&file));
	return g_steal_pointer(&sim);
}

/* Probe @index with a fixture behind it (--sim-fixture). */
static GlintSimFixture *
usbsim_fixture(const UsbsimOptions *opt, gint index, GError **error)
{
	g_autofree gchar *path = usbsim_state_path(opt->state, index, opt->count);
	g_autoptr(GlintSimFixture) fixture = NULL;
	g_autoptr(GlintProbeInfo) info = NULL;
	g_autofree gchar *serial = NULL;
	GlintProbeKind kind;

	fixture =
	    glint_sim_fixture_new(opt->scenario != NULL ? opt->scenario : "nucleo-l476rg",
				  opt->fixture, path, (guint)opt->state_wait_s * 1000u, error);
	if (fixture == NULL)
		return NULL;
	if (opt->kind != NULL) {
		if (!usbsim_kind(opt->kind, &kind, error))
			return NULL;
		glint_sim_fixture_set_probe_kind(fixture, kind);
	}
	if (opt->firmware > 0)
		glint_sim_fixture_set_firmware_version(fixture, (guint)opt->firmware);
	info = glint_sim_fixture_get_probe_info(fixture);
	serial = usbsim_serial(opt->serial ? opt->serial : info->serial, index);
	glint_sim_fixture_set_serial(fixture, serial);
	glint_sim_fixture_set_count_host_idle(fixture, usbsim_counts_host_idle(opt));
	return g_steal_pointer(&fixture);
}

/* What each fixture did, on stderr: the boards and their modelled time. */
static void
usbsim_report_fixtures(GPtrArray *fixtures)
{
	for (guint i = 0; i < fixtures->len; i++) {
		GlintSimFixture *f = g_ptr_array_index(fixtures, i);
		g_autoptr(GlintProbeInfo) info = glint_sim_fixture_get_probe_info(f);
		g_printerr(_("glint-usbsim: fixture of probe %s: %u of %u boards went in, %u came "
			     "out, %.3f s modelled\n"),
			   info->serial, glint_sim_fixture_get_inserted(f),
			   glint_sim_fixture_get_n_boards(f), glint_sim_fixture_get_removed(f),
			   glint_sim_fixture_get_time_ns(f) / 1e9);
	}
}

/* Board i goes back to state file i (all of them, or none without --state). */
static gboolean
usbsim_save(GPtrArray *files, GPtrArray *sims, GError **error)
{
	for (guint i = 0; i < files->len; i++) {
		if (!glint_sim_state_file_save(g_ptr_array_index(files, i),
					       g_ptr_array_index(sims, i), error))
			return FALSE;
	}
	return TRUE;
}

/* What the first board's virtual clock and counters say about the command:
 * "device_seconds S" and the GlintSimStats fields, one per line. */
static gboolean
usbsim_report_time(const char *path, GlintSim *sim, gint64 start_ns, const GlintSimStats *start,
		   GError **error)
{
	GlintSimStats now;
	g_autofree gchar *text = NULL;

	glint_sim_get_stats(sim, &now);
	text = g_strdup_printf(
	    "device_seconds %.6f\n"
	    "usb_commands %" G_GUINT64_FORMAT "\n"
	    "usb_bytes %" G_GUINT64_FORMAT "\n"
	    "double_words_programmed %" G_GUINT64_FORMAT "\n"
	    "pages_erased %" G_GUINT64_FORMAT "\n"
	    "mass_erases %" G_GUINT64_FORMAT "\n",
	    (glint_sim_get_time_ns(sim) - start_ns) / 1e9, now.usb_commands - start->usb_commands,
	    now.usb_bytes - start->usb_bytes,
	    now.double_words_programmed - start->double_words_programmed,
	    now.pages_erased - start->pages_erased, now.mass_erases - start->mass_erases);
	return g_file_set_contents(path, text, -1, error);
}

/* How long the command has, once glint-usbsim is told to stop, to end by
 * itself before it is killed: glint-cli stops at a safe point, which needs
 * the probe, and the longest step it will not cut short is a mass erase
 * (16 s typical for the 2 MB of an STM32F429, DS9405) */
#define USBSIM_STOP_GRACE_S 30

static volatile sig_atomic_t usbsim_child = 0;
/* The signal that told glint-usbsim to stop (0: none yet) */
static volatile sig_atomic_t usbsim_stop_signal = 0;
static volatile sig_atomic_t usbsim_child_killed = 0;

static void
usbsim_kill_child(void)
{
	if (usbsim_child > 0) {
		usbsim_child_killed = 1;
		kill((pid_t)usbsim_child, SIGKILL);
	}
}

/* SIGINT, SIGTERM, SIGHUP: the command is asked to stop with the same
 * signal and given USBSIM_STOP_GRACE_S; a second signal, or the grace
 * running out (SIGALRM), kills it. Only async-signal-safe calls here. */
static void
usbsim_on_stop_signal(int sig)
{
	if (usbsim_stop_signal != 0) {
		usbsim_kill_child();
		return;
	}
	usbsim_stop_signal = sig;
	if (usbsim_child > 0)
		kill((pid_t)usbsim_child, sig);
	alarm(USBSIM_STOP_GRACE_S);
}

static void
usbsim_on_alarm(int sig)
{
	usbsim_kill_child();
}

/* Installed before the bus exists: whenever a stop request comes, the
 * command goes, then the bus (and umockdev's directory) and the board are
 * torn down and saved as after any other end of the command, and the exit
 * status says which signal it was (128 + signal). */
static void
usbsim_guard_signals(void)
{
	struct sigaction sa = {0};

	sigemptyset(&sa.sa_mask);
	sa.sa_handler = usbsim_on_stop_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = usbsim_on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
}

/* Runs the command with the emulated bus visible (UMOCKDEV_DIR and the
 * preload are inherited) and returns its exit status as a shell would, or
 * 128 + the signal that stopped glint-usbsim. */
static int
usbsim_run(char **command, GError **error)
{
	GPid pid;
	int status = 0;

	if (usbsim_stop_signal != 0)
		return 128 + usbsim_stop_signal;
	if (!g_spawn_async(NULL, command, NULL,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			       G_SPAWN_CHILD_INHERITS_STDIN,
			   NULL, NULL, &pid, error))
		return -1;
	usbsim_child = pid;
	/* a stop request that came while the command was being started */
	if (usbsim_stop_signal != 0)
		kill(pid, usbsim_stop_signal);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED, _("waiting for %s: %s"),
				    command[0], g_strerror(errno));
			return -1;
		}
	}
	usbsim_child = 0;
	alarm(0);
	g_spawn_close_pid(pid);
	if (usbsim_stop_signal != 0) {
		if (usbsim_child_killed)
			g_printerr(_("glint-usbsim: %s did not end within %d s of signal %d: "
				     "killed\n"),
				   command[0], USBSIM_STOP_GRACE_S, (int)usbsim_stop_signal);
		return 128 + usbsim_stop_signal;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return USBSIM_EXIT_FAILED;
}

int
main(int argc, char **argv)
{
	g_auto(UsbsimOptions) opt = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) sims = g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_unref);
	g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) fixtures =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_fixture_unref);
	/* Declared after sims: freed first, so the locks go with the boards saved. */
	g_autoptr(GPtrArray) files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_state_file_close);
	GlintUsbEmu *emu;
	GlintSimStats start_stats = {0};
	gint64 start_ns = 0;
	int rc;

	setlocale(LC_ALL, "");
	/* --report-time's numbers are read by scripts: a point whatever the
	 * locale */
	setlocale(LC_NUMERIC, "C");
	glint_i18n_init();
	/* Before parsing: option parsing rewrites argv. */
	usbsim_reexec_with_preload(argv);
	g_unsetenv(USBSIM_REEXEC_ENV);
	if (!usbsim_parse(argc, argv, &opt, &error)) {
		g_printerr("glint-usbsim: %s\n", error->message);
		return USBSIM_EXIT_USAGE;
	}
	usbsim_guard_signals();
	/* The preload sleeps after every emulated ioctl; 1 ns of timer slack
	 * (inherited by the command) roughly halves that cost. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

	for (gint i = 0; opt.fixture != NULL && i < opt.count; i++) {
		GlintSimFixture *fixture = usbsim_fixture(&opt, i, &error);
		if (fixture == NULL) {
			g_printerr("glint-usbsim: %s\n", error->message);
			if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY))
				return USBSIM_EXIT_BUSY;
			return USBSIM_EXIT_FAILED;
		}
		g_ptr_array_add(fixtures, fixture);
	}
	for (gint i = 0; opt.fixture == NULL && i < opt.count; i++) {
		GlintSim *sim = usbsim_board(&opt, i, files, &error);
		if (sim == NULL) {
			g_printerr("glint-usbsim: %s\n", error->message);
			if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY))
				return USBSIM_EXIT_BUSY;
			return USBSIM_EXIT_FAILED;
		}
		g_ptr_array_add(sims, sim);
	}
	emu = glint_usb_emu_new(&error);
	if (emu == NULL) {
		g_printerr("glint-usbsim: %s\n", error->message);
		return USBSIM_EXIT_FAILED;
	}
	for (guint i = 0; i < sims->len; i++) {
		GlintSim *sim = g_ptr_array_index(sims, i);
		g_autoptr(GlintProbeInfo) info = glint_sim_get_probe_info(sim);
		UsbsimProbe *probe = g_new0(UsbsimProbe, 1);
		probe->sim = sim;
		probe->fault = opt.fault_kind;
		probe->fault_after = opt.fault_k;
		g_ptr_array_add(probes, probe);
		if (glint_usb_emu_add_probe(emu, info, opt.binary_serial, &sim_backend, probe,
					    &error) < 0) {
			g_printerr("glint-usbsim: %s\n", error->message);
			glint_usb_emu_free(emu);
			return USBSIM_EXIT_FAILED;
		}
	}

	for (guint i = 0; i < fixtures->len; i++) {
		GlintSimFixture *fixture = g_ptr_array_index(fixtures, i);
		g_autoptr(GlintProbeInfo) info = glint_sim_fixture_get_probe_info(fixture);
		if (glint_usb_emu_add_probe(emu, info, opt.binary_serial, &fixture_backend, fixture,
					    &error) < 0) {
			g_printerr("glint-usbsim: %s\n", error->message);
			glint_usb_emu_free(emu);
			return USBSIM_EXIT_FAILED;
		}
	}

	if (sims->len > 0) {
		start_ns = glint_sim_get_time_ns(g_ptr_array_index(sims, 0));
		glint_sim_get_stats(g_ptr_array_index(sims, 0), &start_stats);
	}
	rc = usbsim_run(opt.command, &error);
	/* The bus goes first: nothing may call into a sim being saved. */
	glint_usb_emu_free(emu);
	if (rc < 0) {
		g_printerr(_("glint-usbsim: cannot run %s: %s\n"), opt.command[0], error->message);
		return USBSIM_EXIT_FAILED;
	}
	if (fixtures->len > 0) {
		usbsim_report_fixtures(fixtures);
		for (guint i = 0; i < fixtures->len; i++) {
			if (!glint_sim_fixture_save(g_ptr_array_index(fixtures, i), &error)) {
				g_printerr(_("glint-usbsim: saving the fixture's boards: %s\n"),
					   error->message);
				return rc != 0 ? rc : USBSIM_EXIT_FAILED;
			}
		}
		return rc;
	}
	if (opt.report_time != NULL &&
	    !usbsim_report_time(opt.report_time, g_ptr_array_index(sims, 0), start_ns, &start_stats,
				&error)) {
		g_printerr(_("glint-usbsim: --report-time: %s\n"), error->message);
		return rc != 0 ? rc : USBSIM_EXIT_FAILED;
	}
	if (!usbsim_save(files, sims, &error)) {
		g_printerr(_("glint-usbsim: saving the board state: %s\n"), error->message);
		return rc != 0 ? rc : USBSIM_EXIT_FAILED;
	}
	return rc;
}
