/* cli-output.c: what glint-cli prints while and after a job runs: a progress
 * bar on a terminal (plain lines when piped, so logs stay readable), the
 * job's log lines, its summary, errors with a hint naming the command that
 * fixes them, and the exit code each error cause maps to. Progress and log
 * go to stderr; results and summaries to stdout. */
#define G_LOG_DOMAIN "glint-cli"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "glint-i18n.h"

#define CLI_BAR_WIDTH 30

void
cli_output_init(Cli *cli)
{
	cli->tty = isatty(STDERR_FILENO);
}

/* Removes the bar from the line so that a log line can take it. */
static void
cli_bar_clear(Cli *cli)
{
	if (!cli->bar_shown)
		return;
	fputs("\r\033[K", stderr);
	cli->bar_shown = FALSE;
}

/* "512 bytes", "64.0 KiB", "1.50 MiB" */
static void
cli_format_bytes(guint64 bytes, gchar *buf, gsize len)
{
	if (bytes < 1024)
		g_snprintf(buf, len,
			   g_dngettext(GETTEXT_PACKAGE, "%" PRIu64 " byte", "%" PRIu64 " bytes",
				       (gulong)bytes),
			   bytes);
	else if (bytes < 1024 * 1024)
		g_snprintf(buf, len, "%.1f KiB", bytes / 1024.0);
	else
		g_snprintf(buf, len, "%.2f MiB", bytes / (1024.0 * 1024.0));
}

static void
cli_format_rate(const GlintProgressUpdate *update, gchar *buf, gsize len)
{
	gchar rate[32];
	if (update->rate <= 0) {
		buf[0] = '\0';
		return;
	}
	cli_format_bytes((guint64)update->rate, rate, sizeof(rate));
	if (update->remaining >= 0)
		g_snprintf(buf, len, _("  %s/s, %.0f s left"), rate, update->remaining);
	else
		g_snprintf(buf, len, "  %s/s", rate);
}

/* "64.0 KiB of 1.00 MiB" of the current phase, or nothing */
static void
cli_format_phase_bytes(const GlintProgressUpdate *update, gchar *buf, gsize len)
{
	gchar done[32], total[32];
	if (update->bytes_total <= 1) {
		buf[0] = '\0';
		return;
	}
	cli_format_bytes(update->bytes_done, done, sizeof(done));
	cli_format_bytes(update->bytes_total, total, sizeof(total));
	g_snprintf(buf, len, _("  %s of %s"), done, total);
}

/* On a terminal: one line, redrawn in place: the phase, the bytes of that
 * phase, the whole job's percentage, the rate and the time left. */
static void
cli_draw_bar(Cli *cli, const GlintProgressUpdate *update)
{
	gchar bar[CLI_BAR_WIDTH + 1];
	gchar rate[64], bytes[80];
	guint filled = (guint)(CLI_BAR_WIDTH * CLAMP(update->fraction, 0.0, 1.0));

	for (guint i = 0; i < CLI_BAR_WIDTH; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[CLI_BAR_WIDTH] = '\0';
	cli_format_rate(update, rate, sizeof(rate));
	cli_format_phase_bytes(update, bytes, sizeof(bytes));
	fprintf(stderr, "\r\033[K%-12s [%s] %3.0f%%%s%s",
		update->phase != NULL ? update->phase : "", bar, 100.0 * update->fraction, bytes,
		rate);
	fflush(stderr);
	cli->bar_shown = TRUE;
}

/* In a pipe: one line per phase once it is over, with what it did, so a
 * log file shows each step and its result without carriage returns. */
static void
cli_end_phase(Cli *cli)
{
	gchar bytes[32];
	gdouble seconds;

	if (cli->last_phase == NULL)
		return;
	seconds = (g_get_monotonic_time() - cli->phase_start) / 1e6;
	if (cli->phase_bytes > 0) {
		cli_format_bytes(cli->phase_bytes, bytes, sizeof(bytes));
		fprintf(stderr, _("%s: done, %s in %.2f s\n"), cli->last_phase, bytes, seconds);
	} else {
		fprintf(stderr, _("%s: done in %.2f s\n"), cli->last_phase, seconds);
	}
	g_clear_pointer(&cli->last_phase, g_free);
}

static void
cli_print_progress_line(Cli *cli, const GlintProgressUpdate *update)
{
	const char *phase = update->phase != NULL ? update->phase : "";

	if (g_strcmp0(phase, cli->last_phase) != 0) {
		cli_end_phase(cli);
		cli->last_phase = g_strdup(phase);
		cli->phase_start = g_get_monotonic_time();
		cli->phase_bytes = 0;
	}
	/* a job's end marks its last step 1 of 1: not bytes it moved */
	if (update->bytes_total > 1)
		cli->phase_bytes = MAX(cli->phase_bytes, update->bytes_done);
}

static void
cli_on_progress(const GlintProgressUpdate *update, gpointer user_data)
{
	Cli *cli = user_data;

	if (cli->tty)
		cli_draw_bar(cli, update);
	else
		cli_print_progress_line(cli, update);
}

static void
cli_on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Cli *cli = user_data;
	const char *prefix = "";

	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
		prefix = _("warning: ");
	} else if (level & G_LOG_LEVEL_DEBUG) {
		if (!cli->opts->verbose)
			return;
		prefix = _("debug: ");
	}
	cli_print_log_line(cli, prefix, message);
}

void
cli_print_log_line(Cli *cli, const char *prefix, const char *message)
{
	cli_bar_clear(cli);
	fprintf(stderr, "%s%s\n", prefix, message);
	fflush(stderr);
}

void
cli_glib_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message,
		     gpointer user_data)
{
	Cli *cli = user_data;
	g_autofree gchar *line = NULL;

	if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) == 0) {
		g_log_default_handler(domain, level, message, NULL);
		return;
	}
	/* "glint-job" debug lines mirror the job's log, which cli_on_log
	 * already printed: show only the other modules' debug output. */
	if (!cli->opts->verbose || g_strcmp0(domain, "glint-job") == 0)
		return;
	line = g_strdup_printf("%s: %s", domain != NULL ? domain : "glint", message);
	cli_print_log_line(cli, _("debug: "), line);
}

GlintProgress *
cli_progress_new(Cli *cli)
{
	return glint_progress_new(cli_on_progress, cli_on_log, cli);
}

/* Once a job is over: on a terminal the progress line gives way to the
 * result (the summary or the error that follows); in a pipe the last
 * phase's line is written. */
void
cli_progress_end(Cli *cli)
{
	cli_bar_clear(cli);
	if (!cli->tty)
		cli_end_phase(cli);
	g_clear_pointer(&cli->last_phase, g_free);
}

/* After a failure the last phase did not end: say nothing of it (the error
 * says what happened). */
void
cli_progress_fail(Cli *cli)
{
	cli_bar_clear(cli);
	g_clear_pointer(&cli->last_phase, g_free);
}

void
cli_print_summary(Cli *cli, const GlintJobResult *result)
{
	cli_progress_end(cli);
	if (result->summary != NULL)
		printf("%s\n", result->summary);
	/* Stale flags cleared are not repeated here: the job logs them by name. */
	fflush(stdout);
}

CliExit
cli_exit_code_for_error(const GError *error)
{
	if (glint_error_is_cancelled(error))
		return CLI_EXIT_CANCELLED;
	if (error->domain != GLINT_ERROR)
		return CLI_EXIT_FAILED;
	switch ((GlintErrorCode)error->code) {
	case GLINT_ERROR_INVALID_ARGUMENT:
	case GLINT_ERROR_BAD_IMAGE:
	case GLINT_ERROR_NEEDS_CONFIRMATION:
	case GLINT_ERROR_IO:
		return CLI_EXIT_USAGE;
	case GLINT_ERROR_NO_PROBE:
	case GLINT_ERROR_NO_TARGET:
	case GLINT_ERROR_TARGET_NOT_RESPONDING:
	case GLINT_ERROR_DISCONNECTED:
	case GLINT_ERROR_PERMISSION_DENIED:
	case GLINT_ERROR_BUSY:
	case GLINT_ERROR_FIRMWARE_TOO_OLD:
		return CLI_EXIT_CONNECTION;
	case GLINT_ERROR_READ_PROTECTED:
	case GLINT_ERROR_WRITE_PROTECTED:
	case GLINT_ERROR_CODE_PROTECTED:
	case GLINT_ERROR_OPTIONS_INCOHERENT:
		return CLI_EXIT_PROTECTED;
	case GLINT_ERROR_VERIFY_MISMATCH:
		return CLI_EXIT_VERIFY;
	case GLINT_ERROR_CANCELLED:
		return CLI_EXIT_CANCELLED;
	case GLINT_ERROR_FAILED:
	case GLINT_ERROR_TIMEOUT:
	case GLINT_ERROR_FLASH:
	case GLINT_ERROR_PROBE:
	case GLINT_ERROR_UNSUPPORTED:
	case GLINT_ERROR_MEMORY_FAULT:
	case GLINT_ERROR_NOT_ERASED:
	case GLINT_ERROR_NOT_FOUND:
	case GLINT_ERROR_CORRUPT:
	case GLINT_ERROR_NOT_HALTED:
		break;
	}
	return CLI_EXIT_FAILED;
}

gchar *
cli_command_prefix(Cli *cli)
{
	g_autoptr(GString) str = g_string_new("glint-cli");
	CliOptions *opts = cli->opts;

	/* Without a state file a simulated board lives for one run only: the
	 * hint can still show the command, on a fresh board of the scenario. */
	if (opts->sim_state != NULL) {
		g_autofree gchar *quoted = g_shell_quote(opts->sim_state);
		g_string_append_printf(str, " --sim-state %s", quoted);
	} else if (opts->sim_scenario != NULL) {
		g_string_append_printf(str, " --sim %s", opts->sim_scenario);
	}
	if (opts->serial != NULL)
		g_string_append_printf(str, " --serial %s", opts->serial);
	if (opts->under_reset)
		g_string_append(str, " --connect-under-reset");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* "WRP1A=off WRP2B=off" for the areas that were active at connect; when
 * @message names some of them, only those (the others did not block). */
static gchar *
cli_wrp_off_edits(Cli *cli, const char *message)
{
	g_autoptr(GString) str = g_string_new(NULL);
	gboolean named = FALSE;

	const GlintOptionLayout *layout = cli->options_at_connect.layout;

	if (!cli->connected_once || layout == NULL)
		return NULL;
	for (guint i = 0; message != NULL && i < layout->n_areas; i++) {
		if (layout->areas[i].type == GLINT_PROTECT_WRP &&
		    strstr(message, layout->areas[i].name) != NULL)
			named = TRUE;
	}
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		if (area->type != GLINT_PROTECT_WRP ||
		    !glint_option_bytes_area_active(&cli->options_at_connect, area))
			continue;
		if (named && strstr(message, area->name) == NULL)
			continue;
		if (str->len > 0)
			g_string_append_c(str, ' ');
		g_string_append_printf(str, "%s=off", area->name);
	}
	if (str->len == 0)
		return NULL;
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* The command as run, with @extra added to the global options. */
static gchar *
cli_repeat_command(Cli *cli, const char *prefix, const char *extra)
{
	g_autoptr(GString) str = g_string_new(prefix);

	g_string_append_printf(str, "%s %s", extra, cli->opts->command);
	for (guint i = 0; i < cli->opts->operands->len; i++) {
		g_autofree gchar *quoted = g_shell_quote(g_ptr_array_index(cli->opts->operands, i));
		g_string_append_printf(str, " %s", quoted);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

gchar *
cli_fix_command(Cli *cli, GlintFixKind kind, const char *message)
{
	g_autofree gchar *prefix = cli_command_prefix(cli);

	switch (kind) {
	case GLINT_FIX_REMOVE_WRP: {
		g_autofree gchar *edits = cli_wrp_off_edits(cli, message);
		if (edits == NULL)
			return g_strdup_printf("%s fix remove-wrp", prefix);
		return g_strdup_printf("%s options set %s", prefix, edits);
	}
	case GLINT_FIX_CLEAR_FLAGS:
		return g_strdup_printf("%s fix clear-flags", prefix);
	case GLINT_FIX_REGRESS_RDP:
		return g_strdup_printf("%s options set RDP=0 --confirm", prefix);
	case GLINT_FIX_CONNECT_UNDER_RESET:
		if (cli->opts->under_reset)
			return NULL;
		return cli_repeat_command(cli, prefix, " --connect-under-reset");
	case GLINT_FIX_CLEAR_BFB2: {
		/* the factory value boots bank 1: 0 on most chips, 1 on the STM32L1 */
		const GlintTargetInfo *info =
		    cli->session != NULL ? glint_session_get_target_info(cli->session) : NULL;
		const GlintOptionField *bfb2 =
		    info != NULL ? glint_option_layout_find_field(info->chip->options, "BFB2")
				 : NULL;
		if (bfb2 == NULL)
			return g_strdup_printf("%s fix clear-bfb2 --confirm", prefix);
		return g_strdup_printf("%s options set BFB2=%u", prefix, bfb2->factory);
	}
	case GLINT_FIX_RESTORE_OPTIONS:
		return g_strdup_printf("%s fix restore-options --confirm", prefix);
	case GLINT_FIX_NONE:
		break;
	}
	return NULL;
}

void
cli_print_error(Cli *cli, const GError *error)
{
	GlintFixKind kind;
	g_autofree gchar *command = NULL;

	cli_progress_fail(cli);
	fflush(stdout);
	if (glint_error_is_cancelled(error)) {
		fprintf(stderr,
			_("glint-cli: %s. The job stopped at a safe point; "
			  "flash may be partly erased or programmed, so run the command "
			  "again to finish\n"),
			error->message);
		return;
	}
	fprintf(stderr, _("glint-cli: error: %s\n"), error->message);
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE) && cli->sim == NULL &&
	    cli->fixture == NULL) {
		fprintf(stderr,
			_("hint: to try Glint without hardware, use a simulated board: "
			  "glint-cli --sim fresh %s\n"),
			cli->opts->command != NULL ? cli->opts->command : "info");
		return;
	}
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY) && cli->opts->sim_state != NULL &&
	    cli->sim == NULL) {
		fprintf(stderr, _("hint: run again once the other program is done, or wait for it "
				  "longer with --sim-state-wait SECONDS\n"));
		return;
	}
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED)) {
		fprintf(stderr, _("hint: reconnect the probe and run the command again; flash "
				  "may be partly erased or programmed\n"));
		return;
	}
	/* PROGERR after --no-erase: the pages were not erased after all. */
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH) && cli->opts->no_erase) {
		fprintf(stderr, _("hint: the pages were not erased: run the same program command "
				  "without --no-erase\n"));
		return;
	}
	kind = glint_fix_for_error(error);
	if (kind == GLINT_FIX_NONE)
		return;
	command = cli_fix_command(cli, kind, error->message);
	if (command == NULL)
		return;
	fprintf(stderr, _("hint: %s: %s\n"), glint_fix_label(kind), command);
}
