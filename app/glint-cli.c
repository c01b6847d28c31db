/* glint-cli.c: the command-line front end. Parses the command line, sets up
 * the probe (USB or a simulated board, with its state file), runs the command
 * on a job thread while the main loop turns SIGINT into cancellation, then
 * saves the simulated board and maps the outcome to an exit code. */
#define G_LOG_DOMAIN "glint-cli"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include "cli.h"
#include "glint-i18n.h"
#include "glint-station.h"

#ifndef GLINT_VERSION
#define GLINT_VERSION "unknown"
#endif

typedef struct {
	Cli *cli;
	GMainLoop *loop;
	GError *error;
	gboolean ok;
} CliRun;

static gboolean
cli_on_signal(gpointer user_data)
{
	Cli *cli = user_data;
	GlintStation *station = g_atomic_pointer_get(&cli->station);

	/* A station stops between boards first: the boards on the probes
	 * finish; a second Ctrl-C stops them at once. */
	if (station != NULL && !cli->stop_requested) {
		cli->stop_requested = TRUE;
		fprintf(stderr, _("\nStopping once the boards in progress are done (Ctrl-C again "
				  "to stop at once)...\n"));
		glint_station_stop(station);
	} else {
		if (!g_cancellable_is_cancelled(cli->cancellable))
			fprintf(stderr, _("\nCancelling at the next safe point...\n"));
		g_cancellable_cancel(cli->cancellable);
	}
	g_mutex_lock(&cli->signal_mutex);
	cli->signal_handled = TRUE;
	g_cond_broadcast(&cli->signal_cond);
	g_mutex_unlock(&cli->signal_mutex);
	return G_SOURCE_CONTINUE;
}

/* Test aid: a real SIGINT after N commands of the job, through the same
 * path as Ctrl-C. Waits until the main loop has seen it, so the outcome
 * does not depend on thread timing. */
static gboolean
cli_sim_command_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Cli *cli = user_data;

	if (!cli->connected_once || cli->opts->sigint_after == 0)
		return TRUE;
	if (++cli->sim_commands_seen != cli->opts->sigint_after)
		return TRUE;
	raise(SIGINT);
	g_mutex_lock(&cli->signal_mutex);
	while (!cli->signal_handled)
		g_cond_wait(&cli->signal_cond, &cli->signal_mutex);
	g_mutex_unlock(&cli->signal_mutex);
	return TRUE;
}

/* Whether @sim is the board @spec names ("wrp" is nucleo-l476rg:wrp) */
static gboolean
cli_sim_is(GlintSim *sim, const char *spec)
{
	g_autofree gchar *board = NULL;
	g_autofree gchar *scenario = NULL;
	g_autofree gchar *short_spec = NULL;
	if (!glint_sim_parse_spec(spec, &board, &scenario, NULL))
		return FALSE;
	short_spec = glint_sim_short_spec(board, scenario);
	return g_strcmp0(short_spec, glint_sim_get_spec(sim)) == 0;
}

/* Takes the state file for the whole run; another run holding it is
 * waited for (saying so) up to --sim-state-wait seconds. */
static gboolean
cli_lock_state(Cli *cli, GError **error)
{
	CliOptions *opts = cli->opts;
	g_autoptr(GError) busy = NULL;
	g_autofree gchar *holder = NULL;

	cli->state_file = glint_sim_state_file_open(opts->sim_state, error);
	if (cli->state_file == NULL)
		return FALSE;
	if (glint_sim_state_file_lock(cli->state_file, 0, NULL, &busy))
		return TRUE;
	if (!g_error_matches(busy, GLINT_ERROR, GLINT_ERROR_BUSY) || opts->sim_state_wait_s == 0) {
		g_propagate_error(error, g_steal_pointer(&busy));
		return FALSE;
	}
	holder = glint_sim_state_file_get_holder(cli->state_file);
	fprintf(stderr, _("glint-cli: %s is in use by %s; waiting up to %u s for it...\n"),
		opts->sim_state, holder != NULL ? holder : _("another program"),
		opts->sim_state_wait_s);
	fflush(stderr);
	return glint_sim_state_file_lock(cli->state_file, opts->sim_state_wait_s * 1000u,
					 cli->cancellable, error);
}

/* --sim BOARD --sim-fixture N: boards one after another behind one probe,
 * board k in FILE-k with --sim-state FILE. */
static gboolean
cli_open_fixture(Cli *cli, GError **error)
{
	CliOptions *opts = cli->opts;

	if (opts->sim_scenario == NULL) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("--sim-fixture needs --sim BOARD: the boards it holds, e.g. "
				      "--sim nucleo-l476rg --sim-fixture 3"));
		return FALSE;
	}
	if (opts->sigint_after > 0 || opts->unplug_after > 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "--test-sigint-after and --test-unplug-after work with one "
				    "simulated board, not a fixture");
		return FALSE;
	}
	cli->fixture = glint_sim_fixture_new(opts->sim_scenario, opts->sim_fixture, opts->sim_state,
					     opts->sim_state_wait_s * 1000u, error);
	return cli->fixture != NULL;
}

static gboolean
cli_open_sim(Cli *cli, GError **error)
{
	CliOptions *opts = cli->opts;

	if (opts->sim_fixture != NULL)
		return cli_open_fixture(cli, error);
	if (opts->sim_scenario == NULL && opts->sim_state == NULL) {
		if (opts->sigint_after > 0 || opts->unplug_after > 0) {
			g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    "--test-sigint-after and --test-unplug-after work "
					    "only with a simulated board (--sim)");
			return FALSE;
		}
		return TRUE;
	}
	/* an unknown board or scenario is refused naming the choices, also
	 * when a state file would win over it */
	if (opts->sim_scenario != NULL &&
	    !glint_sim_parse_spec(opts->sim_scenario, NULL, NULL, error))
		return FALSE;
	if (opts->sim_state != NULL && !cli_lock_state(cli, error))
		return FALSE;
	if (cli->state_file != NULL && glint_sim_state_file_has_board(cli->state_file)) {
		cli->sim = glint_sim_state_file_load(cli->state_file, cli->cancellable, error);
		if (cli->sim == NULL)
			return FALSE;
		if (opts->sim_scenario != NULL && !cli_sim_is(cli->sim, opts->sim_scenario)) {
			fprintf(stderr,
				_("note: %s holds a '%s' board, which wins over --sim %s (delete "
				  "the file to start a new board)\n"),
				opts->sim_state, glint_sim_get_spec(cli->sim), opts->sim_scenario);
		}
	} else {
		cli->sim = glint_sim_new(opts->sim_scenario, error);
		if (cli->sim == NULL)
			return FALSE;
	}
	if (opts->sigint_after > 0)
		glint_sim_set_command_hook(cli->sim, cli_sim_command_hook, cli);
	return TRUE;
}

static gboolean
cli_on_done(gpointer user_data)
{
	CliRun *run = user_data;

	g_main_loop_quit(run->loop);
	return G_SOURCE_REMOVE;
}

static gpointer
cli_job_thread(gpointer user_data)
{
	CliRun *run = user_data;
	Cli *cli = run->cli;

	/* The board is opened here, not before the main loop runs: waiting
	 * for a state file and reading it can then be cancelled (Ctrl-C). */
	run->ok = cli_open_sim(cli, &run->error) && cli_run_command(cli, &run->error);
	if (!run->ok)
		cli_check_probe_lost(cli, &run->error);
	if (cli->session != NULL && glint_session_is_connected(cli->session))
		glint_job_disconnect(cli->session);
	g_idle_add(cli_on_done, run);
	return NULL;
}

/* Runs the command on a worker thread so that the main loop stays free to
 * turn SIGINT/SIGTERM into a cancellation the job sees at a safe point. */
static gboolean
cli_run(Cli *cli, GError **error)
{
	CliRun run = {.cli = cli};
	GThread *thread;
	guint sigint_id, sigterm_id;

	run.loop = g_main_loop_new(NULL, FALSE);
	sigint_id = g_unix_signal_add(SIGINT, cli_on_signal, cli);
	sigterm_id = g_unix_signal_add(SIGTERM, cli_on_signal, cli);
	thread = g_thread_new("glint-job", cli_job_thread, &run);
	g_main_loop_run(run.loop);
	g_thread_join(thread);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	g_main_loop_unref(run.loop);
	if (!run.ok)
		g_propagate_error(error, run.error);
	return run.ok;
}

static void
cli_clear(Cli *cli)
{
	g_clear_pointer(&cli->session, glint_session_unref);
	g_clear_pointer(&cli->transport, glint_transport_unref);
	g_clear_pointer(&cli->sim, glint_sim_unref);
	g_clear_pointer(&cli->fixture, glint_sim_fixture_unref);
	g_clear_pointer(&cli->state_file, glint_sim_state_file_close);
	g_clear_object(&cli->cancellable);
	g_clear_pointer(&cli->last_phase, g_free);
	g_mutex_clear(&cli->signal_mutex);
	g_cond_clear(&cli->signal_cond);
	g_mutex_clear(&cli->print_mutex);
}

int
main(int argc, char **argv)
{
	g_autoptr(CliOptions) opts = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) save_error = NULL;
	Cli cli = {0};
	CliExit code = CLI_EXIT_OK;

	/* Messages in the user's language; numbers keep the point whatever the
	 * locale, as scripts read them (and CSV, JSON and the records need it). */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	glint_i18n_init();
	opts = cli_options_parse(argc, argv, &error);
	if (opts == NULL) {
		fprintf(stderr, _("glint-cli: error: %s\n"), error->message);
		return CLI_EXIT_USAGE;
	}
	if (opts->help) {
		cli_print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (opts->version) {
		printf("glint-cli %s\n", GLINT_VERSION);
		return CLI_EXIT_OK;
	}
	if (opts->sim_list) {
		cli_print_boards(stdout);
		return CLI_EXIT_OK;
	}
	cli.opts = opts;
	g_log_set_default_handler(cli_glib_log_handler, &cli);
	cli.cancellable = g_cancellable_new();
	g_mutex_init(&cli.signal_mutex);
	g_cond_init(&cli.signal_cond);
	g_mutex_init(&cli.print_mutex);
	cli_output_init(&cli);
	if (!cli_run(&cli, &error)) {
		cli_print_error(&cli, error);
		code = cli_exit_code_for_error(error);
	}
	/* The board keeps what the run did to it, even after a failure, as
	 * real flash would. */
	if (cli.sim != NULL && cli.state_file != NULL &&
	    !glint_sim_state_file_save(cli.state_file, cli.sim, &save_error)) {
		fprintf(stderr, _("glint-cli: error: %s\n"), save_error->message);
		if (code == CLI_EXIT_OK)
			code = CLI_EXIT_FAILED;
	}
	if (cli.fixture != NULL && !glint_sim_fixture_save(cli.fixture, &save_error)) {
		fprintf(stderr, _("glint-cli: error: %s\n"), save_error->message);
		if (code == CLI_EXIT_OK)
			code = CLI_EXIT_FAILED;
	}
	fflush(stdout);
	g_log_set_default_handler(g_log_default_handler, NULL);
	cli_clear(&cli);
	return code;
}
