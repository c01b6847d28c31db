/* cli-args.c: glint-cli's command line: global options, the command, its
 * operands and the options each command accepts. Options may come before or
 * after the command; an option that does not belong to the command is refused
 * rather than silently ignored, so a typo never changes what happens. */
#define G_LOG_DOMAIN "glint-cli"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "glint-i18n.h"

/* Which commands an option applies to. */
typedef enum {
	CMD_PROBES = 1 << 0,
	CMD_INFO = 1 << 1,
	CMD_DIAGNOSE = 1 << 2,
	CMD_RESET = 1 << 3,
	CMD_ERASE = 1 << 4,
	CMD_PROGRAM = 1 << 5,
	CMD_VERIFY = 1 << 6,
	CMD_READ = 1 << 7,
	CMD_OPTIONS = 1 << 8,
	CMD_IMAGE = 1 << 9,
	CMD_FIX = 1 << 10,
	CMD_AUTO = 1 << 11,
	CMD_RECIPE = 1 << 12,
	CMD_SWO = 1 << 14,
	CMD_RTT = 1 << 15,
	CMD_CORE = 1 << 13,
	CMD_FAULT = 1 << 16,
	CMD_WATCH = 1 << 17,
	CMD_ANY = 0x7FFFFFFF,
} CliCommandMask;

static const struct {
	const char *name;
	CliCommandMask mask;
} cli_commands[] = {
    {"probes", CMD_PROBES}, {"info", CMD_INFO},	  {"diagnose", CMD_DIAGNOSE},
    {"reset", CMD_RESET},   {"erase", CMD_ERASE}, {"program", CMD_PROGRAM},
    {"verify", CMD_VERIFY}, {"read", CMD_READ},	  {"options", CMD_OPTIONS},
    {"image", CMD_IMAGE},   {"fix", CMD_FIX},	  {"auto", CMD_AUTO},
    {"recipe", CMD_RECIPE}, {"swo", CMD_SWO},	  {"rtt", CMD_RTT},
    {"core", CMD_CORE},	    {"fault", CMD_FAULT}, {"watch", CMD_WATCH},
};

typedef enum {
	OPT_SIM,
	OPT_SIM_STATE,
	OPT_SIM_STATE_WAIT,
	OPT_SERIAL,
	OPT_FREQ,
	OPT_UNDER_RESET,
	OPT_VERBOSE,
	OPT_HELP,
	OPT_VERSION,
	OPT_MASS,
	OPT_CONFIRM,
	OPT_CONFIRM_PERMANENT_LOCK,
	OPT_BASE,
	OPT_VERIFY,
	OPT_NO_ERASE,
	OPT_SMART,
	OPT_NO_LOADER,
	OPT_READBACK_VERIFY,
	OPT_RESET,
	OPT_HALT,
	OPT_OUTPUT,
	OPT_SIGINT_AFTER,
	OPT_UNPLUG_AFTER,
	OPT_BANK,
	OPT_UNITS,
	OPT_NO_PRESERVE,
	OPT_SIM_FIXTURE,
	OPT_BOARDS,
	OPT_RECORD,
	OPT_ALL_PROBES,
	OPT_POLL,
	OPT_SIGINT_AFTER_BOARD,
	OPT_BAUD,
	OPT_CLOCK,
	OPT_PORT,
	OPT_CHANNEL,
	OPT_ADDRESS,
	OPT_SECONDS,
	OPT_ELF,
	OPT_RATE,
	OPT_FORMAT,
	OPT_SET,
} CliOptionId;

typedef struct {
	const char *long_name;
	char short_name;
	gboolean has_value;
	CliCommandMask commands;
	CliOptionId id;
} CliOptionSpec;

static const CliOptionSpec cli_option_specs[] = {
    {"sim", 0, TRUE, CMD_ANY, OPT_SIM},
    {"sim-state", 0, TRUE, CMD_ANY, OPT_SIM_STATE},
    {"sim-fixture", 0, TRUE, CMD_ANY, OPT_SIM_FIXTURE},
    {"sim-state-wait", 0, TRUE, CMD_ANY, OPT_SIM_STATE_WAIT},
    {"serial", 0, TRUE, CMD_ANY, OPT_SERIAL},
    {"freq", 0, TRUE, CMD_ANY, OPT_FREQ},
    {"connect-under-reset", 0, FALSE, CMD_ANY, OPT_UNDER_RESET},
    {"verbose", 'v', FALSE, CMD_ANY, OPT_VERBOSE},
    {"help", 'h', FALSE, CMD_ANY, OPT_HELP},
    {"version", 0, FALSE, CMD_ANY, OPT_VERSION},
    {"mass", 0, FALSE, CMD_ERASE, OPT_MASS},
    {"confirm", 0, FALSE, CMD_ERASE | CMD_OPTIONS | CMD_FIX | CMD_AUTO, OPT_CONFIRM},
    {"confirm-permanent-lock", 0, FALSE, CMD_OPTIONS | CMD_AUTO, OPT_CONFIRM_PERMANENT_LOCK},
    {"boards", 0, TRUE, CMD_AUTO, OPT_BOARDS},
    {"record", 0, TRUE, CMD_AUTO, OPT_RECORD},
    {"all-probes", 0, FALSE, CMD_AUTO, OPT_ALL_PROBES},
    {"poll", 0, TRUE, CMD_AUTO, OPT_POLL},
    {"base", 0, TRUE, CMD_PROGRAM | CMD_VERIFY | CMD_IMAGE, OPT_BASE},
    {"verify", 0, FALSE, CMD_PROGRAM, OPT_VERIFY},
    {"no-erase", 0, FALSE, CMD_PROGRAM, OPT_NO_ERASE},
    {"smart", 0, FALSE, CMD_PROGRAM, OPT_SMART},
    {"no-loader", 0, FALSE, CMD_PROGRAM, OPT_NO_LOADER},
    {"readback-verify", 0, FALSE, CMD_PROGRAM, OPT_READBACK_VERIFY},
    {"reset", 0, FALSE, CMD_PROGRAM, OPT_RESET},
    {"halt", 0, FALSE, CMD_RESET | CMD_CORE, OPT_HALT},
    {"output", 'o', TRUE, CMD_READ, OPT_OUTPUT},
    {"bank", 0, TRUE, CMD_ERASE, OPT_BANK},
    {"units", 0, TRUE, CMD_ERASE, OPT_UNITS},
    {"no-preserve", 0, FALSE, CMD_PROGRAM, OPT_NO_PRESERVE},
    {"baud", 0, TRUE, CMD_SWO, OPT_BAUD},
    {"clock", 0, TRUE, CMD_SWO, OPT_CLOCK},
    {"port", 0, TRUE, CMD_SWO, OPT_PORT},
    {"channel", 0, TRUE, CMD_RTT, OPT_CHANNEL},
    {"address", 0, TRUE, CMD_RTT, OPT_ADDRESS},
    {"seconds", 0, TRUE, CMD_SWO | CMD_RTT | CMD_WATCH, OPT_SECONDS},
    {"elf", 0, TRUE, CMD_CORE | CMD_FAULT | CMD_WATCH | CMD_RTT, OPT_ELF},
    {"rate", 0, TRUE, CMD_WATCH, OPT_RATE},
    {"format", 0, TRUE, CMD_WATCH, OPT_FORMAT},
    {"set", 0, TRUE, CMD_CORE, OPT_SET},
    /* Lets tests deliver a real SIGINT mid-job without sleeping. */
    {"test-sigint-after", 0, TRUE, CMD_ANY, OPT_SIGINT_AFTER},
    /* Lets tests pull the simulated cable mid-job. */
    {"test-unplug-after", 0, TRUE, CMD_ANY, OPT_UNPLUG_AFTER},
    /* Lets tests press Ctrl-C once a station has recorded board N. */
    {"test-sigint-after-board", 0, TRUE, CMD_AUTO, OPT_SIGINT_AFTER_BOARD},
};

void
cli_options_free(CliOptions *opts)
{
	if (opts == NULL)
		return;
	g_free(opts->sim_scenario);
	g_free(opts->sim_state);
	g_free(opts->serial);
	g_free(opts->command);
	g_free(opts->output);
	g_free(opts->units);
	g_free(opts->sim_fixture);
	if (opts->records != NULL)
		g_ptr_array_unref(opts->records);
	g_free(opts->elf);
	if (opts->sets != NULL)
		g_ptr_array_unref(opts->sets);
	if (opts->operands != NULL)
		g_ptr_array_unref(opts->operands);
	g_free(opts);
}

gboolean
cli_parse_number(const char *text, const char *what, gboolean allow_suffix, guint32 *value,
		 GError **error)
{
	const char *digits = text;
	const char *suffix;
	guint base = 10;
	guint64 number;
	guint64 multiplier = 1;
	gchar *end = NULL;

	if (g_ascii_strncasecmp(text, "0x", 2) == 0) {
		digits = text + 2;
		base = 16;
	}
	/* Digits only up to the suffix: strtoull alone would also take a
	 * second "0x" ("0x0x08000000"), blanks and a sign. */
	suffix = digits;
	while (base == 16 ? g_ascii_isxdigit(*suffix) : g_ascii_isdigit(*suffix))
		suffix++;
	if (suffix == digits)
		goto bad;
	errno = 0;
	number = g_ascii_strtoull(digits, &end, base);
	if (errno != 0 || end != suffix)
		goto bad;
	if (*suffix != '\0') {
		if (!allow_suffix)
			goto bad;
		if (g_ascii_strcasecmp(suffix, "K") == 0 || g_ascii_strcasecmp(suffix, "KiB") == 0)
			multiplier = 1024;
		else if (g_ascii_strcasecmp(suffix, "M") == 0 ||
			 g_ascii_strcasecmp(suffix, "MiB") == 0)
			multiplier = 1024 * 1024;
		else
			goto bad;
	}
	if (number > G_MAXUINT32 / multiplier) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s '%s' does not fit in 32 bits"), what, text);
		return FALSE;
	}
	*value = (guint32)(number * multiplier);
	return TRUE;
bad:
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("bad %s '%s': expected a number such as %s"), what, text,
		    allow_suffix ? _("4096, 0x1000, 64K or 1M") : "0x08000000");
	return FALSE;
}

/* A duration: 0.5, 2, 10 (seconds, more than 0, at most a day) */
static gboolean
cli_parse_seconds(const char *text, gdouble *seconds, GError **error)
{
	gchar *end = NULL;
	gdouble v = g_ascii_strtod(text, &end);
	if (end == text || *end != '\0' || !(v > 0) || v > CLI_SECONDS_MAX) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("bad duration '%s': give seconds, more than 0 and at most %u (e.g. 1 "
			      "or 0.5)"),
			    text, CLI_SECONDS_MAX);
		return FALSE;
	}
	*seconds = v;
	return TRUE;
}

/* Watch rates and durations: a decimal number in (0, @max] */
static gboolean
cli_parse_positive(const char *text, const char *option, gdouble max, gdouble *value,
		   GError **error)
{
	gchar *end = NULL;
	gdouble v = g_ascii_strtod(text, &end);
	if (end == text || *end != '\0' || !(v > 0) || v > max) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("bad %s '%s': give a number above 0 and at most %g"), option, text,
			    max);
		return FALSE;
	}
	*value = v;
	return TRUE;
}

static const CliOptionSpec *
cli_find_option(const char *arg, const char **inline_value)
{
	*inline_value = NULL;
	if (arg[1] != '-') {
		/* "-o" or "-oFILE" */
		for (guint i = 0; i < G_N_ELEMENTS(cli_option_specs); i++) {
			const CliOptionSpec *spec = &cli_option_specs[i];
			if (spec->short_name == 0 || spec->short_name != arg[1])
				continue;
			if (arg[2] == '\0')
				return spec;
			if (spec->has_value) {
				*inline_value = arg + 2;
				return spec;
			}
		}
		return NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS(cli_option_specs); i++) {
		const CliOptionSpec *spec = &cli_option_specs[i];
		gsize len = strlen(spec->long_name);
		if (strncmp(arg + 2, spec->long_name, len) != 0)
			continue;
		if (arg[2 + len] == '\0')
			return spec;
		if (arg[2 + len] == '=' && spec->has_value) {
			*inline_value = arg + 3 + len;
			return spec;
		}
	}
	return NULL;
}

static gboolean
cli_apply_option(CliOptions *opts, const CliOptionSpec *spec, const char *value, GError **error)
{
	guint32 number = 0;

	switch (spec->id) {
	case OPT_SIM:
		g_free(opts->sim_scenario);
		opts->sim_scenario = g_strdup(value);
		/* "list" is no board: it asks which boards there are */
		opts->sim_list = g_strcmp0(value, "list") == 0;
		break;
	case OPT_SIM_STATE:
		/* An empty name would run the whole job and fail at the save. */
		if (*value == '\0') {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--sim-state needs a file name (it was given an empty "
			      "one)"));
			return FALSE;
		}
		g_free(opts->sim_state);
		opts->sim_state = g_strdup(value);
		break;
	case OPT_SIM_STATE_WAIT:
		if (!cli_parse_number(value, _("wait (seconds)"), FALSE, &number, error))
			return FALSE;
		if (number > CLI_SIM_STATE_WAIT_MAX_S) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--sim-state-wait %s is out of range: give 0 to %u seconds"),
				    value, CLI_SIM_STATE_WAIT_MAX_S);
			return FALSE;
		}
		opts->sim_state_wait_s = number;
		break;
	case OPT_SERIAL:
		g_free(opts->serial);
		opts->serial = g_strdup(value);
		break;
	case OPT_FREQ:
		if (!cli_parse_number(value, _("SWD frequency (kHz)"), FALSE, &number, error))
			return FALSE;
		if (number < CLI_SWD_KHZ_MIN || number > CLI_SWD_KHZ_MAX) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--freq %s is out of range: give %u to %u kHz (an ST-LINK/V2 "
				      "runs SWD at up to %u kHz, a V3 at up to %u)"),
				    value, CLI_SWD_KHZ_MIN, CLI_SWD_KHZ_MAX, CLI_SWD_KHZ_DEFAULT,
				    CLI_SWD_KHZ_MAX);
			return FALSE;
		}
		opts->freq_khz = number;
		break;
	case OPT_UNDER_RESET:
		opts->under_reset = TRUE;
		break;
	case OPT_VERBOSE:
		opts->verbose = TRUE;
		break;
	case OPT_HELP:
		opts->help = TRUE;
		break;
	case OPT_VERSION:
		opts->version = TRUE;
		break;
	case OPT_MASS:
		opts->mass = TRUE;
		break;
	case OPT_CONFIRM:
		opts->confirm = TRUE;
		break;
	case OPT_CONFIRM_PERMANENT_LOCK:
		opts->confirm_permanent_lock = TRUE;
		break;
	case OPT_BASE:
		if (!cli_parse_number(value, _("base address"), FALSE, &opts->base, error))
			return FALSE;
		opts->base_set = TRUE;
		break;
	case OPT_VERIFY:
		opts->verify = TRUE;
		break;
	case OPT_NO_ERASE:
		opts->no_erase = TRUE;
		break;
	case OPT_SMART:
		opts->smart = TRUE;
		break;
	case OPT_NO_LOADER:
		opts->no_loader = TRUE;
		break;
	case OPT_READBACK_VERIFY:
		opts->readback_verify = TRUE;
		break;
	case OPT_RESET:
		opts->reset_run = TRUE;
		break;
	case OPT_HALT:
		opts->halt = TRUE;
		break;
	case OPT_OUTPUT:
		if (*value == '\0') {
			g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("-o needs a file name (it was given an empty one)"));
			return FALSE;
		}
		g_free(opts->output);
		opts->output = g_strdup(value);
		break;
	case OPT_SIGINT_AFTER:
		if (!cli_parse_number(value, "command count", FALSE, &number, error))
			return FALSE;
		opts->sigint_after = number;
		break;
	case OPT_UNPLUG_AFTER:
		if (!cli_parse_number(value, "command count", FALSE, &number, error))
			return FALSE;
		opts->unplug_after = number;
		break;
	case OPT_BANK:
		if (g_strcmp0(value, "1") != 0 && g_strcmp0(value, "2") != 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("bad bank '%s': --bank takes 1 or 2"), value);
			return FALSE;
		}
		opts->bank = value[0] - '0';
		break;
	case OPT_UNITS:
		g_free(opts->units);
		opts->units = g_strdup(value);
		break;
	case OPT_NO_PRESERVE:
		opts->no_preserve = TRUE;
		break;
	case OPT_SIM_FIXTURE:
		if (*value == '\0') {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--sim-fixture needs a board count (3) or a scenario per "
			      "board (fresh,rdp1,fresh)"));
			return FALSE;
		}
		g_free(opts->sim_fixture);
		opts->sim_fixture = g_strdup(value);
		break;
	case OPT_BOARDS:
		if (!cli_parse_number(value, _("board count"), FALSE, &number, error))
			return FALSE;
		if (number == 0) {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--boards 0: give 1 or more (leave it out to run until "
			      "Ctrl-C)"));
			return FALSE;
		}
		opts->boards = number;
		break;
	case OPT_RECORD:
		if (*value == '\0') {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--record needs a file name (.csv, or .jsonl for JSON "
			      "lines)"));
			return FALSE;
		}
		g_ptr_array_add(opts->records, g_strdup(value));
		break;
	case OPT_ALL_PROBES:
		opts->all_probes = TRUE;
		break;
	case OPT_POLL:
		if (!cli_parse_number(value, _("poll interval (ms)"), FALSE, &number, error))
			return FALSE;
		if (number < 1 || number > 10000) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--poll %s is out of range: give 1 to 10000 ms"), value);
			return FALSE;
		}
		opts->poll_ms = number;
		break;
	case OPT_SIGINT_AFTER_BOARD:
		if (!cli_parse_number(value, "board number", FALSE, &number, error))
			return FALSE;
		opts->sigint_after_board = number;
		break;
	case OPT_BAUD:
		if (!cli_parse_number(value, _("SWO baud rate"), FALSE, &opts->baud, error))
			return FALSE;
		if (opts->baud == 0) {
			g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("--baud 0: give a rate in baud, e.g. 2000000"));
			return FALSE;
		}
		break;
	case OPT_CLOCK:
		if (!cli_parse_number(value, _("core clock (Hz)"), FALSE, &opts->clock_hz, error))
			return FALSE;
		if (opts->clock_hz < CLI_CLOCK_HZ_MIN) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--clock %s: give the core clock in Hz, e.g. 80000000 for 80 MHz"),
			    value);
			return FALSE;
		}
		break;
	case OPT_PORT:
		if (!cli_parse_number(value, _("stimulus port"), FALSE, &number, error))
			return FALSE;
		if (number > 31) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--port %s: the ITM has stimulus ports 0 to 31"), value);
			return FALSE;
		}
		opts->port = (gint)number;
		break;
	case OPT_CHANNEL:
		if (!cli_parse_number(value, _("RTT channel"), FALSE, &number, error))
			return FALSE;
		if (number >= CLI_RTT_CHANNELS_MAX) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--channel %s: RTT channels are numbered 0 to %u"), value,
				    CLI_RTT_CHANNELS_MAX - 1);
			return FALSE;
		}
		opts->channel = (gint)number;
		break;
	case OPT_ADDRESS:
		if (!cli_parse_number(value, _("control block address"), FALSE, &opts->address,
				      error))
			return FALSE;
		if (opts->address % 4 != 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--address %s: an RTT control block is word-aligned"), value);
			return FALSE;
		}
		opts->address_set = TRUE;
		break;
	case OPT_SECONDS:
		if (!cli_parse_seconds(value, &opts->seconds, error))
			return FALSE;
		break;
	case OPT_ELF:
		if (*value == '\0') {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--elf needs a file name (it was given an empty one)"));
			return FALSE;
		}
		g_free(opts->elf);
		opts->elf = g_strdup(value);
		break;
	case OPT_RATE:
		return cli_parse_positive(value, _("--rate (samples per second)"),
					  CLI_WATCH_RATE_MAX, &opts->rate_hz, error);
	case OPT_FORMAT:
		if (g_strcmp0(value, "csv") != 0 && g_strcmp0(value, "text") != 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("bad --format '%s': text or csv"), value);
			return FALSE;
		}
		opts->csv = g_strcmp0(value, "csv") == 0;
		break;
	case OPT_SET:
		if (opts->sets == NULL)
			opts->sets = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(opts->sets, g_strdup(value));
		break;
	}
	return TRUE;
}

static CliCommandMask
cli_command_mask(const char *command)
{
	for (guint i = 0; i < G_N_ELEMENTS(cli_commands); i++) {
		if (g_strcmp0(cli_commands[i].name, command) == 0)
			return cli_commands[i].mask;
	}
	return 0;
}

CliOptions *
cli_options_parse(int argc, char **argv, GError **error)
{
	g_autoptr(CliOptions) opts = g_new0(CliOptions, 1);
	/* Options seen, checked against the command once it is known. */
	g_autoptr(GPtrArray) seen = g_ptr_array_new();
	gboolean options_done = FALSE;
	CliCommandMask mask;

	opts->operands = g_ptr_array_new_with_free_func(g_free);
	opts->records = g_ptr_array_new_with_free_func(g_free);
	opts->sim_state_wait_s = CLI_SIM_STATE_WAIT_S;
	opts->port = -1;
	opts->channel = -1;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const CliOptionSpec *spec;
		const char *value = NULL;

		if (!options_done && g_strcmp0(arg, "--") == 0) {
			options_done = TRUE;
			continue;
		}
		if (options_done || arg[0] != '-' || arg[1] == '\0') {
			if (opts->command == NULL)
				opts->command = g_strdup(arg);
			else
				g_ptr_array_add(opts->operands, g_strdup(arg));
			continue;
		}
		spec = cli_find_option(arg, &value);
		if (spec == NULL) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("unknown option '%s' (see glint-cli --help)"), arg);
			return NULL;
		}
		if (spec->has_value && value == NULL) {
			if (i + 1 >= argc) {
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("option '%s' needs a value"), arg);
				return NULL;
			}
			value = argv[++i];
		}
		if (!cli_apply_option(opts, spec, value, error))
			return NULL;
		g_ptr_array_add(seen, (gpointer)spec);
	}
	if (opts->help || opts->version || opts->sim_list)
		return g_steal_pointer(&opts);
	if (opts->command == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("no command given (see glint-cli --help)"));
		return NULL;
	}
	mask = cli_command_mask(opts->command);
	if (mask == 0) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("unknown command '%s' (commands: probes, info, diagnose, reset, erase, "
		      "program, verify, read, options, image, fix, auto, recipe, swo, rtt, core, "
		      "fault, watch)"),
		    opts->command);
		return NULL;
	}
	for (guint i = 0; i < seen->len; i++) {
		const CliOptionSpec *spec = g_ptr_array_index(seen, i);
		if ((spec->commands & mask) == 0) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("option '--%s' does not apply to '%s' (see glint-cli --help)"),
			    spec->long_name, opts->command);
			return NULL;
		}
	}
	return g_steal_pointer(&opts);
}

void
cli_print_boards(FILE *out)
{
	g_autofree gchar *boards = glint_sim_describe_boards();
	fputs(boards, out);
}

/* --help, one translatable piece per heading, paragraph or entry */
static const char *const cli_help[] = {
    /* TRANSLATORS: glint-cli --help, one piece per heading, paragraph or
     * entry: keep the option and command words (--sim, program, FILE), the
     * two-space indent of each entry and the column its description starts
     * at: the man page is generated from this layout. */
    N_("Usage: glint-cli [GLOBAL OPTIONS] COMMAND [ARGS] [OPTIONS]\n"),
    N_("\n"
       "Program STM32 microcontrollers through an ST-LINK probe, or a simulated board.\n"),
    N_("\n"
       "Global options:\n"),
    N_("  --sim BOARD[:SCENARIO]   use a simulated probe and board (see below; a short\n"
       "                           name such as 'fresh' or 'wrp' is the NUCLEO-L476RG)\n"),
    N_("  --sim list               list the simulated boards and their scenarios\n"),
    N_("  --sim-state FILE         load the simulated board from FILE if it exists (the\n"
       "                           board it holds wins) and save it there on exit; the\n"
       "                           file is locked meanwhile (symbolic links are followed;\n"
       "                           a read-only file is refused)\n"),
    N_("  --sim-state-wait SECS    wait this long for a state file another run holds\n"
       "                           (default 10; 0: fail at once with \"board in use\")\n"),
    N_("  --sim-fixture N|LIST     a station fixture: N boards of --sim BOARD (or one\n"
       "                           per scenario listed: fresh,rdp1,fresh), each with its\n"
       "                           own unique ID, put in one after another and taken out\n"
       "                           once done; with --sim-state FILE board k is kept in\n"
       "                           FILE-k (b.state: b-1.state, b-2.state, ...)\n"),
    N_("  --serial SN              the probe with this serial number\n"),
    N_("  --freq KHZ               SWD clock in kHz, 5 to 24000 (default: the probe's\n"
       "                           fastest, 24000 on an STLINK-V3, 4000 on a V2;\n"
       "                           other clocks are rounded down to one it has)\n"),
    N_("  --connect-under-reset    hold NRST while attaching (firmware that disables SWD)\n"),
    N_("  -v, --verbose            show debug log lines\n"),
    N_("  -h, --help               show this help\n"),
    N_("  --version                show the version\n"),
    N_("\n"
       "Commands:\n"),
    N_("  probes                   list ST-LINK probes\n"),
    N_("  info                     identify the chip: device, flash, protection\n"),
    N_("  diagnose                 look for problems (protection, stale flags, boot)\n"),
    N_("  reset [--halt]           reset the target (and keep the core halted)\n"),
    N_("  erase --mass --confirm   erase all flash\n"),
    N_("  erase --bank N --confirm erase flash bank N (1 or 2)\n"),
    N_("  erase --units LIST [--bank N]\n"
       "                           erase pages/sectors by number, e.g. --units 0-3,8\n"),
    N_("  erase ADDR SIZE          erase the pages/sectors covering ADDR..ADDR+SIZE\n"),
    N_("  program FILE [--base ADDR] [--verify] [--no-erase] [--reset]\n"
       "          [--smart] [--no-loader] [--readback-verify] [--no-preserve]\n"
       "                           write a .bin/.hex/.srec/.elf file; --base places a\n"
       "                           raw .bin (default the chip's flash base) and is\n"
       "                           refused for .hex/.srec/.elf, which carry their own\n"
       "                           addresses; bytes of a page the file covers only in\n"
       "                           part are kept unless --no-preserve; it erases a bank\n"
       "                           or the whole chip at once only where that loses\n"
       "                           nothing (all beyond the file blank: the log says so)\n"),
    N_("  verify FILE [--base ADDR]  compare flash with a file\n"),
    N_("  read ADDR SIZE -o FILE   save memory; the format follows FILE's extension\n"
       "                           (.hex, .srec, anything else raw binary; not .elf)\n"),
    N_("  options show             option bytes by reference-manual name\n"),
    N_("  options fields           the names options set accepts on this chip\n"),
    N_("  options set NAME=VALUE... [--confirm] [--confirm-permanent-lock]\n"
       "                           e.g. RDP=0, BFB2=1, nRST_STOP=0, WRP1A=0-15, WRP1A=off\n"
       "                           (protection areas in the chip's page or sector numbers,\n"
       "                           decimal); changes that erase the chip, change how it\n"
       "                           boots or lock code need --confirm; changes that can\n"
       "                           never be undone (RDP=2, PCROP for ever) need\n"
       "                           --confirm-permanent-lock\n"),
    N_("  image FILE [--base ADDR] list a file's segments with a CRC-32 each\n"),
    N_("  fix KIND [--confirm]     apply a diagnosis fix: remove-wrp, clear-flags,\n"
       "                           regress-rdp, clear-bfb2, restore-options\n"),
    N_("  recipe check RECIPE      check a production recipe (.glintrecipe) and say what\n"
       "                           it does to each board\n"),
    N_("  auto RECIPE [--boards N] [--record FILE] [--all-probes] [--poll MS]\n"
       "          [--confirm] [--confirm-permanent-lock]\n"
       "                           production station: wait for a board, run the recipe,\n"
       "                           record it (CSV; JSON lines for FILE.jsonl; default\n"
       "                           RECIPE-records.csv beside the recipe; --record may\n"
       "                           be given twice), wait for its removal, again;\n"
       "                           --all-probes: one station per probe, in parallel;\n"
       "                           Ctrl-C stops after the boards in progress (twice:\n"
       "                           at once); exits 0 when every board passed, 5 when\n"
       "                           one failed\n"),
    N_("  swo [--baud B] [--port N] [--clock HZ] [--seconds S]\n"
       "                           let the target run and print what it writes to\n"
       "                           ITM stimulus ports over SWO: port 0 as text, the\n"
       "                           others as '[port N]' lines, only port N (raw) with\n"
       "                           --port; the core clock is measured unless --clock\n"
       "                           gives it, the rate is the probe's fastest unless\n"
       "                           --baud; stops after S seconds of device time\n"
       "                           (modelled on a simulated board), or at Ctrl-C\n"),
    N_("  rtt [--channel N] [--address ADDR | --elf FILE] [--seconds S]\n"
       "                           let the target run, print its SEGGER RTT up\n"
       "                           channels (channel 0 as text, the others as\n"
       "                           '[channel N]' lines, only channel N with\n"
       "                           --channel) and send stdin to down channel 0; the\n"
       "                           control block is found in SRAM unless --address\n"
       "                           gives it or --elf names the firmware (its symbol\n"
       "                           _SEGGER_RTT); stops as swo does\n"),
    N_("  core status              the core's state: running, halted (and why), sleeping,\n"
       "                           locked up, in reset\n"),
    N_("  core halt                halt the core (it stays halted after glint-cli exits)\n"),
    N_("  core run                 let a halted core run\n"),
    N_("  core step [N]            execute N instructions (default 1), halting first\n"),
    N_("  core regs [--set REG=VALUE]...\n"
       "                           show every core register (halting first), after\n"
       "                           writing the ones given (r0-r12, sp, lr, pc, xpsr,\n"
       "                           msp, psp, control, primask, basepri, faultmask,\n"
       "                           fpscr, s0-s31)\n"),
    N_("  core reset [--halt]      reset the target (and keep the core halted)\n"),
    N_("  fault [--elf FILE]       why the core faulted or locked up, in words: CFSR,\n"
       "                           HFSR, the fault address, the stacked frame, the\n"
       "                           function and line (with the ELF)\n"),
    N_("  watch NAME|ADDR:TYPE... [--elf FILE] [--rate HZ] [--seconds S] [--format csv]\n"
       "                           read variables while the target runs, one line per\n"
       "                           sample: globals by name (state.count, buf[3]) or\n"
       "                           addresses with a type (0x20000000:u32; u8..u64,\n"
       "                           s8..s64, f32, f64, char, bool, u8[16]); --rate in\n"
       "                           samples per second (default 10), until Ctrl-C\n"
       "                           without --seconds\n"),
    N_("\n"
       "The ELF for core, fault and watch is the one given with --elf, else the ELF\n"),
    N_("programmed last through the probe (remembered in\n"),
    N_("$XDG_STATE_HOME/glint/programmed.ini).\n"),
    N_("\n"
       "Numbers: 0x08000000, 4096; sizes also 64K, 1M.\n"),
    N_("\n"
       "Exit status:\n"),
    N_("  0  success\n"),
    N_("  1  bad command line or input file, or a missing --confirm\n"),
    N_("  2  no probe, no target, the connection failed or was lost (the probe\n"
       "     stopped answering), or the probe or simulated board is in use\n"),
    N_("  3  read or write protection, or invalid option bytes\n"),
    N_("  4  verify mismatch: flash differs from the file\n"),
    N_("  5  other flash or probe error\n"),
    N_("  6  cancelled (Ctrl-C); the job stopped at a safe point\n"),
    N_("\n"
       "Simulated boards (--sim BOARD or BOARD:SCENARIO):\n"),
};

void
cli_print_help(FILE *out)
{
	for (guint i = 0; i < G_N_ELEMENTS(cli_help); i++)
		fputs(_(cli_help[i]), out);
	cli_print_boards(out);
}
