/* cli-auto.c: glint-cli's production commands: `recipe check RECIPE` says
 * what a recipe does, `auto RECIPE` runs a station (one per probe with
 * --all-probes) until --boards boards are done or Ctrl-C, printing one line
 * per board and writing the records. The station itself is the core's
 * (glint-station.h); this file only sets it up and prints what it says. */
#define G_LOG_DOMAIN "glint-cli"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "glint-i18n.h"
#include "glint-station-counter.h"
#include "glint-station.h"
#include "glint-usb.h"

/* What the probes' threads print through, and what the summary needs. */
typedef struct {
	Cli *cli;
	guint n_probes;
	/* per probe: boards done and their modelled seconds (for the rate) */
	guint boards[64];
	gdouble device_seconds[64];
	gboolean modelled;
	gchar *last_wait[64]; /* the waiting message last printed */
} CliStation;

static gboolean
cli_expect(Cli *cli, guint n, const char *usage, GError **error)
{
	if (cli->opts->operands->len == n)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, _("%s: usage: glint-cli %s"),
		    cli->opts->operands->len < n ? _("missing operand") : _("too many operands"),
		    usage);
	return FALSE;
}

gboolean
cli_cmd_recipe(Cli *cli, GError **error)
{
	const char *what;
	g_autoptr(GlintRecipe) recipe = NULL;
	g_autoptr(GlintStationCounter) counter = NULL;
	g_autofree gchar *text = NULL;
	const GlintRecipeSettings *s;

	if (cli->opts->operands->len == 0 ||
	    g_strcmp0(g_ptr_array_index(cli->opts->operands, 0), "check") != 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("usage: glint-cli recipe check RECIPE (recipes are made in "
				      "Glint's Production mode, or by hand: see man glint-cli)"));
		return FALSE;
	}
	if (!cli_expect(cli, 2, "recipe check RECIPE", error))
		return FALSE;
	what = g_ptr_array_index(cli->opts->operands, 1);
	recipe = glint_recipe_load(what, cli->cancellable, error);
	if (recipe == NULL)
		return FALSE;
	text = glint_recipe_describe(recipe);
	fputs(text, stdout);
	s = glint_recipe_get_settings(recipe);
	counter = glint_station_counter_open(what, error);
	if (counter == NULL)
		return FALSE;
	if (s->serial_format != GLINT_SERIAL_NONE) {
		guint64 next = 0;
		g_autofree gchar *shown = NULL;
		if (!glint_station_counter_peek(counter, GLINT_STATION_COUNTER_SERIAL,
						s->serial_first, &next, error))
			return FALSE;
		shown = glint_recipe_serial_text(recipe, next);
		printf(_("The next board that passes gets serial number %s (kept in %s).\n"), shown,
		       glint_station_counter_get_path(counter));
	}
	if (s->unique_encoding != GLINT_UNIQUE_NONE) {
		guint64 row = 0;
		guint rows = glint_recipe_get_unique_rows(recipe);
		if (!glint_station_counter_peek(counter, GLINT_STATION_COUNTER_UNIQUE_ROW, 0, &row,
						error))
			return FALSE;
		printf(_("Unique data: %" PRIu64 " of %u rows used, %" PRIu64 " left.\n"),
		       MIN(row, (guint64)rows), rows, row < rows ? rows - row : 0);
	}
	printf(_("The recipe is ready to run.\n"));
	return TRUE;
}

/* ---- the station's lines --------------------------------------------------- */

/* "" with one probe; "[2 ...1001] " with several, so lines can be told apart. */
static gchar *
cli_probe_prefix(CliStation *cs, const GlintStationEvent *event)
{
	gsize len = event->probe_serial != NULL ? strlen(event->probe_serial) : 0;
	if (cs->n_probes <= 1)
		return g_strdup("");
	return g_strdup_printf("[%u %s] ", event->probe + 1,
			       len > 6 ? event->probe_serial + len - 6 : event->probe_serial);
}

static void
cli_print_done(CliStation *cs, const GlintStationEvent *event, const char *prefix)
{
	const GlintStationRecord *r = event->record;
	g_autofree gchar *modelled =
	    r->device_seconds >= 0 ? g_strdup_printf(_(" (%.3f s modelled)"), r->device_seconds)
				   : g_strdup("");

	if (r->passed) {
		printf(_("%sboard %u: PASS%s%s  UID %s  %.2f s%s\n"), prefix, event->board,
		       r->serial != NULL ? _("  serial ") : "", r->serial != NULL ? r->serial : "",
		       r->uid != NULL ? r->uid : "?", r->seconds, modelled);
	} else {
		printf(_("%sboard %u: FAIL  %s  [%s: %s]%s\n"), prefix, event->board, r->error,
		       r->step, r->cause, modelled);
	}
	fflush(stdout);
	if (event->probe < G_N_ELEMENTS(cs->boards)) {
		cs->boards[event->probe]++;
		if (r->device_seconds >= 0) {
			cs->device_seconds[event->probe] += r->device_seconds;
			cs->modelled = TRUE;
		}
	}
}

/* Test aid (--test-sigint-after-board N): Ctrl-C once board N is recorded,
 * waiting until the main loop has seen it. */
static void
cli_sigint_after_board(Cli *cli, guint board)
{
	if (cli->opts->sigint_after_board == 0 || board != cli->opts->sigint_after_board)
		return;
	raise(SIGINT);
	g_mutex_lock(&cli->signal_mutex);
	while (!cli->signal_handled)
		g_cond_wait(&cli->signal_cond, &cli->signal_mutex);
	g_mutex_unlock(&cli->signal_mutex);
}

static void
cli_on_station_event(const GlintStationEvent *event, gpointer user_data)
{
	CliStation *cs = user_data;
	Cli *cli = cs->cli;
	gboolean verbose = cli->opts->verbose;
	g_autofree gchar *prefix = NULL;

	g_mutex_lock(&cli->print_mutex);
	prefix = cli_probe_prefix(cs, event);
	switch (event->kind) {
	case GLINT_STATION_EVENT_WAITING:
		/* what the operator must do: not the board settling */
		if (event->volts >= GLINT_STATION_POWERED_VOLTS && !verbose)
			break;
		if (event->probe < G_N_ELEMENTS(cs->last_wait) &&
		    g_strcmp0(cs->last_wait[event->probe], event->message) != 0) {
			g_free(cs->last_wait[event->probe]);
			cs->last_wait[event->probe] = g_strdup(event->message);
			fprintf(stderr, "%s%s (%.2f V)\n", prefix, event->message, event->volts);
		}
		break;
	case GLINT_STATION_EVENT_BOARD:
		if (event->probe < G_N_ELEMENTS(cs->last_wait))
			g_clear_pointer(&cs->last_wait[event->probe], g_free);
		if (verbose)
			fprintf(stderr, _("%sboard %u is in\n"), prefix, event->board);
		break;
	case GLINT_STATION_EVENT_STEP:
		if (verbose)
			fprintf(stderr, _("%sboard %u: %s\n"), prefix, event->board,
				event->message);
		break;
	case GLINT_STATION_EVENT_LOG:
		/* the board's line says what failed; the details with -v */
		if (verbose)
			fprintf(stderr, "%s%s%s\n", prefix,
				(event->level & G_LOG_LEVEL_WARNING) ? _("warning: ") : "",
				event->message);
		break;
	case GLINT_STATION_EVENT_SERIAL_TAKEN:
		if (verbose)
			fprintf(stderr, _("%sboard %u: serial number %" PRIu64 " taken\n"), prefix,
				event->board, event->serial);
		break;
	case GLINT_STATION_EVENT_DONE:
		cli_print_done(cs, event, prefix);
		break;
	case GLINT_STATION_EVENT_REMOVE:
		if (verbose)
			fprintf(stderr, "%s%s\n", prefix, event->message);
		break;
	case GLINT_STATION_EVENT_PROBE_LOST:
		fprintf(stderr, "%s%s\n", prefix, event->message);
		break;
	case GLINT_STATION_EVENT_STOPPED:
		if (verbose)
			fprintf(stderr, _("%sstation stopped: %s\n"), prefix, event->message);
		break;
	case GLINT_STATION_EVENT_PROGRESS:
		break;
	}
	fflush(stderr);
	g_mutex_unlock(&cli->print_mutex);
	if (event->kind == GLINT_STATION_EVENT_DONE)
		cli_sigint_after_board(cli, event->board);
}

/* ---- setting it up ------------------------------------------------------------ */

static GlintTransport *
cli_reopen_usb(const char *serial, gpointer user_data, GError **error)
{
	return glint_usb_open(serial, error);
}

/* Every supported USB probe present, one station each. */
static gboolean
cli_add_all_probes(Cli *cli, GlintStation *station, guint *n, GError **error)
{
	g_autoptr(GPtrArray) probes = glint_usb_list_probes(error);

	if (probes == NULL)
		return FALSE;
	for (guint i = 0; i < probes->len; i++) {
		const GlintProbeInfo *info = g_ptr_array_index(probes, i);
		g_autoptr(GlintTransport) transport = NULL;
		if (info->kind == GLINT_PROBE_KIND_V1) {
			fprintf(stderr,
				_("note: probe %s is an ST-LINK/V1, which Glint cannot use\n"),
				info->serial);
			continue;
		}
		transport = glint_usb_open(info->serial, error);
		if (transport == NULL)
			return FALSE;
		glint_station_add_probe(station, transport);
		(*n)++;
	}
	if (*n == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
				    _("no ST-LINK probe found for the station: plug one in"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
cli_add_probes(Cli *cli, GlintStation *station, guint *n, GError **error)
{
	if (cli->opts->all_probes) {
		if (cli->sim != NULL || cli->fixture != NULL) {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--all-probes uses the USB probes; a simulated one is a "
			      "single probe (glint-usbsim --count N puts several on "
			      "the USB bus)"));
			return FALSE;
		}
		return cli_add_all_probes(cli, station, n, error);
	}
	if (!cli_open_probe(cli, error))
		return FALSE;
	glint_station_add_probe(station, cli->transport);
	*n = 1;
	return TRUE;
}

/* "dir/r.glintrecipe" -> "dir/r-records.csv" */
static gchar *
cli_default_record_path(const char *recipe)
{
	g_autofree gchar *stem = g_strdup(recipe);
	if (g_str_has_suffix(stem, GLINT_RECIPE_EXTENSION))
		stem[strlen(stem) - strlen(GLINT_RECIPE_EXTENSION)] = '\0';
	return g_strconcat(stem, "-records.csv", NULL);
}

static gboolean
cli_add_records(Cli *cli, GlintStation *station, const char *recipe, GError **error)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < cli->opts->records->len; i++)
		g_ptr_array_add(paths, g_strdup(g_ptr_array_index(cli->opts->records, i)));
	if (paths->len == 0)
		g_ptr_array_add(paths, cli_default_record_path(recipe));
	for (guint i = 0; i < paths->len; i++) {
		GlintRecordFile *file = glint_record_file_open(g_ptr_array_index(paths, i), error);
		if (file == NULL)
			return FALSE;
		glint_station_add_record_file(station, file);
		printf(_("Records: %s\n"), glint_record_file_get_path(file));
	}
	return TRUE;
}

static void
cli_print_station_header(GlintRecipe *recipe, GlintStation *station)
{
	const GlintRecipeSettings *s = glint_recipe_get_settings(recipe);
	guint64 next = 0;

	printf(_("Recipe %s (%s): %s, image %s (CRC-32 0x%08X)\n"), glint_recipe_get_name(recipe),
	       glint_recipe_get_path(recipe), s->chip, glint_recipe_get_image_path(recipe),
	       s->image_crc);
	if (s->serial_format != GLINT_SERIAL_NONE &&
	    glint_station_peek_serial(station, &next, NULL)) {
		g_autofree gchar *text = glint_recipe_serial_text(recipe, next);
		printf(_("Next serial number: %s (kept in %s)\n"), text,
		       glint_station_get_counter_path(station));
	}
}

static void
cli_print_station_summary(CliStation *cs, GlintStation *station, gdouble seconds)
{
	guint done = 0, passed = 0, failed = 0;
	gdouble rate = 0;

	glint_station_get_counts(station, &done, &passed, &failed);
	printf(g_dngettext(GETTEXT_PACKAGE, "%u board: %u passed, %u failed, in %.1f s",
			   "%u boards: %u passed, %u failed, in %.1f s", done),
	       done, passed, failed, seconds);
	/* each probe programs its boards in its own modelled time, in parallel */
	for (guint p = 0; cs->modelled && p < MIN(cs->n_probes, G_N_ELEMENTS(cs->boards)); p++) {
		if (cs->boards[p] > 0 && cs->device_seconds[p] > 0)
			rate += cs->boards[p] * 3600.0 / cs->device_seconds[p];
	}
	if (rate > 0)
		printf(_("; %.0f boards/hour in modelled time (the jobs alone, without the "
			 "operator's handling)"),
		       rate);
	printf("\n");
	fflush(stdout);
}

gboolean
cli_cmd_auto(Cli *cli, GError **error)
{
	const char *path;
	g_autoptr(GlintRecipe) recipe = NULL;
	g_autoptr(GlintStation) station = NULL;
	GlintStationOptions options = {
	    .boards = cli->opts->boards,
	    .connect = {.swd_khz = cli->opts->freq_khz,
			.under_reset = cli->opts->under_reset,
			.reset_mode = GLINT_RESET_AUTO},
	    .poll_ms = cli->opts->poll_ms,
	};
	CliStation cs = {.cli = cli};
	g_autofree gchar *limit = NULL;
	gint64 start;
	gboolean ok;
	guint failed = 0;

	if (!cli_expect(cli, 1, "auto RECIPE [--boards N] [--record FILE] [--all-probes]", error))
		return FALSE;
	path = g_ptr_array_index(cli->opts->operands, 0);
	recipe = glint_recipe_load(path, cli->cancellable, error);
	if (recipe == NULL)
		return FALSE;
	if (cli->opts->confirm)
		options.confirm |= GLINT_CONFIRM_RISKY;
	if (cli->opts->confirm_permanent_lock)
		options.confirm |= GLINT_CONFIRM_PERMANENT_LOCK;
	station = glint_station_new(recipe, &options, error);
	if (station == NULL)
		return FALSE;
	cli_print_station_header(recipe, station);
	if (!cli_add_records(cli, station, path, error) ||
	    !cli_add_probes(cli, station, &cs.n_probes, error))
		return FALSE;
	/* one simulated board is never taken out: after it the station would
	 * wait for its removal until Ctrl-C */
	if (cli->sim != NULL && cli->opts->boards != 1)
		fprintf(stderr, _("note: --sim is one board, never taken out: after it the station "
				  "waits for its removal (Ctrl-C stops it); --sim-fixture N puts N "
				  "boards in one after another\n"));
	glint_station_set_event_func(station, cli_on_station_event, &cs);
	if (cli->sim == NULL && cli->fixture == NULL)
		glint_station_set_reopen_func(station, cli_reopen_usb, cli);
	if (cli->opts->boards > 0)
		limit = g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE, ", %u board", ", %u boards", cli->opts->boards),
		    cli->opts->boards);
	printf(g_dngettext(GETTEXT_PACKAGE,
			   /* TRANSLATORS: the second %s is nothing or ", 3 boards" */
			   "Station on %u probe%s. Ctrl-C stops once the boards in progress are "
			   "done.\n",
			   "Station on %u probes%s. Ctrl-C stops once the boards in progress are "
			   "done.\n",
			   cs.n_probes),
	       cs.n_probes, limit != NULL ? limit : "");
	fflush(stdout);
	start = g_get_monotonic_time();
	g_atomic_pointer_set(&cli->station, station);
	ok = glint_station_run(station, cli->cancellable, error);
	g_atomic_pointer_set(&cli->station, NULL);
	cli_print_station_summary(&cs, station, (g_get_monotonic_time() - start) / 1e6);
	for (guint i = 0; i < G_N_ELEMENTS(cs.last_wait); i++)
		g_free(cs.last_wait[i]);
	if (!ok)
		return FALSE;
	glint_station_get_counts(station, NULL, NULL, &failed);
	if (failed > 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED,
			    g_dngettext(GETTEXT_PACKAGE, "%u board failed (the records say why)",
					"%u boards failed (the records say why)", failed),
			    failed);
		return FALSE;
	}
	return TRUE;
}
