/* cli.h: glint-cli's private pieces: the parsed command line (cli-args.c),
 * terminal output of progress, log lines and errors (cli-output.c), the
 * commands themselves (cli-commands.c, cli-options.c) and the exit codes
 * errors map to. The program is thin: every real step is a core job. */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

#include "glint-job.h"
#include "glint-sim.h"

G_BEGIN_DECLS

/* Exit codes, documented in --help and the README. */
typedef enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 1,	 /* bad command line, bad input file, missing confirmation */
	CLI_EXIT_CONNECTION = 2, /* no probe, no target, connection lost */
	CLI_EXIT_PROTECTED = 3,	 /* read/write protection or incoherent option bytes */
	CLI_EXIT_VERIFY = 4,	 /* flash differs from the image */
	CLI_EXIT_FAILED = 5,	 /* any other flash or probe error */
	CLI_EXIT_CANCELLED = 6,	 /* interrupted (SIGINT) at a safe point */
} CliExit;

typedef struct {
	/* Global options. */
	gchar *sim_scenario; /* BOARD[:SCENARIO] or a short name */
	gboolean sim_list;   /* --sim list: print the boards, touch nothing */
	gchar *sim_fixture;  /* --sim-fixture N|SCENARIO,...: a station fixture of --sim boards */
	gchar *sim_state;
	guint sim_state_wait_s; /* how long to wait for a state file another run holds */
	gchar *serial;
	guint freq_khz;
	gboolean under_reset;
	gboolean verbose;
	gboolean help;
	gboolean version;
	/* The command and its operands. */
	gchar *command;
	GPtrArray *operands; /* gchar* */
	/* Command options. */
	gboolean mass;
	gboolean confirm;
	gboolean confirm_permanent_lock;
	gboolean verify;
	gboolean no_erase;
	gboolean reset_run;
	gboolean smart;		  /* re-flash only the pages whose CRC differs */
	gboolean no_loader;	  /* program directly, without the on-target loader */
	gboolean readback_verify; /* verify by reading back instead of a target CRC */
	gboolean halt;
	gboolean base_set;
	guint32 base;
	gchar *output;
	guint bank;	      /* erase --bank N (1 or 2; 0: not given) */
	gchar *units;	      /* erase --units LIST: pages or sectors by number */
	gboolean no_preserve; /* program: plain erase of partly covered units */
	/* auto (cli-auto.c) */
	guint boards;		  /* --boards N: stop after N boards (0: until Ctrl-C) */
	GPtrArray *records;	  /* --record FILE (.csv or .jsonl), gchar*, any number */
	gboolean all_probes;	  /* one station per USB probe present */
	guint poll_ms;		  /* --poll MS: voltage reads while waiting (0: default) */
	guint sigint_after_board; /* test aid: SIGINT once this board is recorded */
	/* swo and rtt (cli-trace.c) */
	guint32 baud;	  /* swo --baud (0: the probe's fastest) */
	guint32 clock_hz; /* swo --clock (0: measured) */
	gint port;	  /* swo --port N, -1: every port */
	gint channel;	  /* rtt --channel N, -1: every channel */
	gboolean address_set;
	guint32 address; /* rtt --address */
	gdouble seconds; /* swo/rtt/watch --seconds (0: until Ctrl-C) */
	/* The core view (issue 19): core, fault, watch. */
	gchar *elf;	 /* --elf FILE: symbols (default: the ELF programmed last) */
	gdouble rate_hz; /* watch --rate (0: the default) */
	gboolean csv;	 /* watch --format csv */
	GPtrArray *sets; /* core regs --set REG=VALUE, gchar* */
	/* Test aids (hidden), counted in ST-LINK commands of the job after
	 * connecting: raise SIGINT / unplug the simulated probe. */
	guint64 sigint_after;
	guint64 unplug_after;
} CliOptions;

void cli_options_free(CliOptions *opts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliOptions, cli_options_free)

/* Parses argv; GLINT_ERROR_INVALID_ARGUMENT names the offending word. */
CliOptions *cli_options_parse(int argc, char **argv, GError **error);
void cli_print_help(FILE *out);
/* The simulated boards with their chips, flash sizes and scenarios */
void cli_print_boards(FILE *out);

/* Numbers as users type them: 0x08000000, 4096, 64K, 1M. */
gboolean cli_parse_number(const char *text, const char *what, gboolean allow_suffix, guint32 *value,
			  GError **error);

/* Everything one run holds. */
typedef struct {
	CliOptions *opts;
	GlintSim *sim;		       /* NULL with a real probe */
	GlintSimFixture *fixture;      /* --sim-fixture: boards one after another */
	GlintSimStateFile *state_file; /* --sim-state, held (locked) for the whole run */
	GlintTransport *transport;
	GlintSession *session;
	GCancellable *cancellable;
	GlintProgress *progress;
	/* Output state (cli-output.c). */
	gboolean tty;
	gboolean bar_shown;
	gchar *last_phase;   /* the phase in progress (piped: reported when it ends) */
	gint64 phase_start;  /* monotonic time it began */
	guint64 phase_bytes; /* bytes it has done */
	/* For hints after an error: the WRP areas active at connect. */
	GlintOptionBytes options_at_connect;
	gboolean connected_once;
	/* Test aid (--test-sigint-after): commands seen since connecting, and
	 * the handshake that makes the raised SIGINT take effect before the job
	 * goes on. */
	guint64 sim_commands_seen;
	GMutex signal_mutex;
	GCond signal_cond;
	gboolean signal_handled;
	/* auto: the running station (the first Ctrl-C stops it between boards,
	 * the second cancels), and the lines its probes print */
	gpointer station; /* GlintStation*, set atomically */
	gboolean stop_requested;
	GMutex print_mutex;
} Cli;

/* cli-output.c */
void cli_output_init(Cli *cli);
GlintProgress *cli_progress_new(Cli *cli);
/* One log line on stderr, taking the progress bar's place. */
void cli_print_log_line(Cli *cli, const char *prefix, const char *message);
/* GLib's log: other modules' debug lines with --verbose, warnings always. */
void cli_glib_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message,
			  gpointer user_data);
void cli_progress_end(Cli *cli);
void cli_progress_fail(Cli *cli);
void cli_print_summary(Cli *cli, const GlintJobResult *result);
void cli_print_error(Cli *cli, const GError *error);
CliExit cli_exit_code_for_error(const GError *error);
/* "glint-cli --sim-state FILE" etc.: the prefix a hint repeats so it reaches the same board. */
gchar *cli_command_prefix(Cli *cli);
/* The CLI command that applies @kind (after an error saying @message, may be
 * NULL), or NULL when the CLI has none. */
gchar *cli_fix_command(Cli *cli, GlintFixKind kind, const char *message);

/* How long a run waits for a state file another one holds, by default. */
#define CLI_SIM_STATE_WAIT_S 10u
/* Beyond this a wait is a mistake for "forever". */
#define CLI_SIM_STATE_WAIT_MAX_S 3600u
/* The SWD clocks any ST-LINK can run: 5 kHz (the slowest V2 divisor and V3
 * setting) to 24 MHz (V3); a V2 runs at most 4 MHz. */
#define CLI_SWD_KHZ_MIN 5u
#define CLI_SWD_KHZ_MAX 24000u
#define CLI_SWD_KHZ_DEFAULT 4000u
/* swo --clock below this is a typo (MHz for Hz) */
#define CLI_CLOCK_HZ_MIN 100000u
/* rtt --channel: RTT blocks declare at most this many (glint-rtt.h) */
#define CLI_RTT_CHANNELS_MAX 32u
/* swo/rtt --seconds: at most a day */
#define CLI_SECONDS_MAX 86400u
/* watch: samples per second by default and at most, the longest run */
#define CLI_WATCH_RATE_DEFAULT 10.0
#define CLI_WATCH_RATE_MAX 100000.0
#define CLI_WATCH_SECONDS_MAX 86400.0

/* cli-commands.c: each runs on the job thread and returns FALSE with @error set. */
gboolean cli_open_probe(Cli *cli, GError **error);
/* After a job failed with a timeout: if the probe no longer answers at all,
 * it is lost (a probe that needs a power cycle, as good as unplugged) and
 * *@error becomes GLINT_ERROR_DISCONNECTED (exit 2); a probe that still
 * answers leaves it as it is (a wait on the target ran out: exit 5). */
void cli_check_probe_lost(Cli *cli, GError **error);
gboolean cli_connect(Cli *cli, GError **error);
gboolean cli_connect_with(Cli *cli, gboolean no_halt, GError **error);
gboolean cli_run_command(Cli *cli, GError **error);
gboolean cli_check_range(Cli *cli, guint32 address, guint32 size, gboolean flash_only,
			 const char *what, GError **error);
/* Loads a firmware file (cancellable); a raw binary goes to --base, else
 * to @flash_base; --base with a format that has addresses is refused. */
GlintImage *cli_load_image_file(Cli *cli, const char *path, guint32 flash_base, GError **error);

/* cli-auto.c: the production station and its recipes */
gboolean cli_cmd_auto(Cli *cli, GError **error);
gboolean cli_cmd_recipe(Cli *cli, GError **error);
/* cli-trace.c */
gboolean cli_cmd_swo(Cli *cli, GError **error);
gboolean cli_cmd_rtt(Cli *cli, GError **error);
/* cli-core.c: the core view (core, fault, watch) and the ELF remembered
 * after program */
gboolean cli_cmd_core(Cli *cli, GError **error);
gboolean cli_cmd_fault(Cli *cli, GError **error);
gboolean cli_cmd_watch(Cli *cli, GError **error);
/* After @path was programmed: remember it for this probe (an ELF), or
 * forget the ELF (anything else); a failure is only a warning */
void cli_remember_programmed(Cli *cli, const char *path, gboolean is_elf);
/* Connects without halting the core (cli_connect halts it) */
gboolean cli_connect_live(Cli *cli, GError **error);

/* cli-options.c */
gboolean cli_cmd_options(Cli *cli, GError **error);
gboolean cli_cmd_image(Cli *cli, GError **error);
gboolean cli_cmd_fix(Cli *cli, GError **error);

G_END_DECLS
