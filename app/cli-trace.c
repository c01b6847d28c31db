/* cli-trace.c: glint-cli's swo and rtt commands: what the running firmware
 * prints, on stdout as it arrives; a summary on stderr at the end. Port 0
 * (SWO) and channel 0 (RTT) are the firmware's text and go out untouched;
 * the other ports and channels become lines tagged with their number
 * (--port/--channel pick one, raw). rtt sends stdin to down channel 0.
 * Runs on the job thread; Ctrl-C ends the capture normally. */
#define G_LOG_DOMAIN "glint-cli"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "glint-debug-info.h"
#include "glint-i18n.h"
#include "glint-rtt.h"
#include "glint-swo.h"

#define CLI_NS_PER_S 1e9

/* Lines of the tagged ports/channels, kept until their newline */
typedef struct {
	Cli *cli;
	gint only;		/* the one port/channel asked for, or -1 */
	gboolean text_mid_line; /* port/channel 0's last byte was not a newline */
	GString *pending[32];	/* RTT: a tagged channel's unfinished line */
	guint64 bytes[32];	/* per port/channel */
	guint64 packets;	/* SWO source packets */
} CliStream;

static void
cli_stream_clear(CliStream *s)
{
	for (guint i = 0; i < G_N_ELEMENTS(s->pending); i++) {
		if (s->pending[i] != NULL)
			g_string_free(s->pending[i], TRUE);
	}
}

/* A tagged line must not land in the middle of channel 0's text */
static void
cli_stream_tag_line(CliStream *s, const char *what, guint n, const char *text)
{
	if (s->text_mid_line) {
		fputc('\n', stdout);
		s->text_mid_line = FALSE;
	}
	printf("[%s %u] %s\n", what, n, text);
	fflush(stdout);
}

static void
cli_stream_text(CliStream *s, const guint8 *data, gsize len)
{
	if (len == 0)
		return;
	fwrite(data, 1, len, stdout);
	s->text_mid_line = data[len - 1] != '\n';
	/* a line at a time, also into a pipe or a file */
	if (memchr(data, '\n', len) != NULL)
		fflush(stdout);
}

/* One port or channel asked for: its bytes as they come */
static void
cli_stream_raw(const guint8 *data, gsize len)
{
	fwrite(data, 1, len, stdout);
	fflush(stdout);
}

/* ---- swo --------------------------------------------------------------- */

static void
cli_swo_packet(const GlintItmPacket *p, gpointer user_data)
{
	CliStream *s = user_data;
	g_autofree gchar *value = NULL;

	if (p->kind != GLINT_ITM_SOURCE)
		return;
	s->packets++;
	s->bytes[p->port] += p->size;
	if (s->only >= 0) {
		if ((guint)s->only == p->port)
			cli_stream_raw(p->payload, p->size);
		return;
	}
	if (p->port == 0) {
		cli_stream_text(s, p->payload, p->size);
		return;
	}
	value = g_strdup_printf("0x%0*X", (int)(2 * p->size), p->value);
	cli_stream_tag_line(s, "port", p->port, value);
}

static gint64
cli_duration_ns(Cli *cli)
{
	return (gint64)(cli->opts->seconds * CLI_NS_PER_S);
}

gboolean
cli_cmd_swo(Cli *cli, GError **error)
{
	CliOptions *opts = cli->opts;
	g_autoptr(GlintProgress) progress = NULL;
	GlintSwoConfig config = {
	    .baud = opts->baud,
	    .core_clock_hz = opts->clock_hz,
	    .ports = opts->port >= 0 ? 1u << opts->port : 0,
	};
	GlintSwoSetup setup = {0};
	GlintItmStats stats = {0};
	CliStream stream = {.cli = cli, .only = opts->port};
	g_autoptr(GString) summary = g_string_new(NULL);
	gboolean ok;

	if (cli->opts->operands->len > 0) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("too many operands: usage: glint-cli swo [--baud B] [--port N] "
		      "[--clock HZ] [--seconds S]"));
		return FALSE;
	}
	if (!cli_connect(cli, error))
		return FALSE;
	progress = cli_progress_new(cli);
	ok = glint_job_swo_capture(cli->session, &config, cli_duration_ns(cli), cli_swo_packet,
				   &stream, progress, cli->cancellable, &setup, &stats, error);
	fflush(stdout);
	if (!ok)
		return FALSE;
	if (stream.text_mid_line && stream.only < 0)
		fputc('\n', stdout);
	fflush(stdout);
	g_string_append_printf(summary, _("SWO: %" PRIu64 " bytes, %" PRIu64 " packets at %u baud"),
			       stats.bytes, stream.packets, setup.baud);
	for (guint i = 0; i < 32; i++) {
		if (stream.bytes[i] > 0)
			g_string_append_printf(summary, _("; port %u: %" PRIu64 " bytes"), i,
					       stream.bytes[i]);
	}
	if (stats.overflows > 0)
		g_string_append_printf(summary,
				       _("; the ITM lost data %" PRIu64
					 " times (its FIFO was full: a faster --baud helps)"),
				       stats.overflows);
	if (stats.lost > 0)
		g_string_append_printf(
		    summary, _("; the probe's buffer overflowed %" PRIu64 " times"), stats.lost);
	if (stats.garbage_bytes > 0)
		g_string_append_printf(
		    summary,
		    _("; %" PRIu64 " bytes made no packet (a core clock other than %u Hz? give "
		      "--clock)"),
		    stats.garbage_bytes, setup.core_clock_hz);
	cli_print_log_line(cli, "", summary->str);
	return TRUE;
}

/* ---- rtt --------------------------------------------------------------- */

static void
cli_rtt_data(guint channel, const guint8 *data, gsize len, gpointer user_data)
{
	CliStream *s = user_data;
	GString *line;

	if (channel >= G_N_ELEMENTS(s->bytes))
		return;
	s->bytes[channel] += len;
	if (s->only >= 0) {
		if ((guint)s->only == channel)
			cli_stream_raw(data, len);
		return;
	}
	if (channel == 0) {
		cli_stream_text(s, data, len);
		return;
	}
	if (s->pending[channel] == NULL)
		s->pending[channel] = g_string_new(NULL);
	line = s->pending[channel];
	for (gsize i = 0; i < len; i++) {
		if (data[i] != '\n') {
			g_string_append_c(line, (gchar)data[i]);
			continue;
		}
		cli_stream_tag_line(s, "channel", channel, line->str);
		g_string_truncate(line, 0);
	}
}

/* stdin, without ever waiting for it: what is there now */
static gsize
cli_rtt_input(guint8 *buf, gsize max, gboolean *eof, gpointer user_data)
{
	GPollFD fd = {STDIN_FILENO, G_IO_IN, 0};
	gssize n;

	if (g_poll(&fd, 1, 0) <= 0 || !(fd.revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
		return 0;
	do {
		n = read(STDIN_FILENO, buf, max);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		*eof = TRUE;
		return 0;
	}
	return (gsize)n;
}

/* --elf: the control block is where the firmware's linker put the symbol
 * SEGGER's code defines (no scan, no block of an earlier firmware found
 * in RAM by mistake); checked before the chip is touched */
static gboolean
cli_rtt_address_from_elf(Cli *cli, GlintRttOptions *options, GError **error)
{
	static const char *const symbol = "_SEGGER_RTT";
	guint32 address = 0;

	if (cli->opts->elf == NULL)
		return TRUE;
	if (cli->opts->address_set) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("--address and --elf both say where the RTT control block is: "
		      "give one of them"));
		return FALSE;
	}
	if (!glint_elf_lookup_address(cli->opts->elf, symbol, &address, NULL, error))
		return FALSE;
	if (address % 4 != 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    /* TRANSLATORS: the ELF file, the symbol (_SEGGER_RTT), its address */
			    _("%s: %s is at 0x%08X, which is not word-aligned: it is not an RTT "
			      "control block"),
			    cli->opts->elf, symbol, address);
		return FALSE;
	}
	{
		g_autofree gchar *line =
		    /* TRANSLATORS: the ELF file, the symbol (_SEGGER_RTT), its address */
		    g_strdup_printf(_("%s: %s at 0x%08X"), cli->opts->elf, symbol, address);
		cli_print_log_line(cli, "", line);
	}
	options->has_address = TRUE;
	options->address = address;
	return TRUE;
}

gboolean
cli_cmd_rtt(Cli *cli, GError **error)
{
	CliOptions *opts = cli->opts;
	g_autoptr(GlintProgress) progress = NULL;
	GlintRttOptions options = {.has_address = opts->address_set, .address = opts->address};
	GlintRttStats stats = {0};
	CliStream stream = {.cli = cli, .only = opts->channel};
	g_autoptr(GString) summary = g_string_new(NULL);
	gboolean ok;

	if (cli->opts->operands->len > 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("too many operands: usage: glint-cli rtt [--channel N] "
				      "[--address ADDR | --elf FILE] [--seconds S]"));
		return FALSE;
	}
	if (!cli_rtt_address_from_elf(cli, &options, error))
		return FALSE;
	if (!cli_connect(cli, error))
		return FALSE;
	progress = cli_progress_new(cli);
	ok = glint_job_rtt_run(cli->session, &options, cli_duration_ns(cli), cli_rtt_data,
			       cli_rtt_input, &stream, progress, cli->cancellable, &stats, error);
	/* unfinished lines of the tagged channels are not lost */
	for (guint i = 1; ok && stream.only < 0 && i < G_N_ELEMENTS(stream.pending); i++) {
		if (stream.pending[i] != NULL && stream.pending[i]->len > 0)
			cli_stream_tag_line(&stream, "channel", i, stream.pending[i]->str);
	}
	if (ok && stream.text_mid_line && stream.only < 0)
		fputc('\n', stdout);
	fflush(stdout);
	cli_stream_clear(&stream);
	if (!ok)
		return FALSE;
	g_string_append_printf(summary,
			       _("RTT: %" PRIu64 " bytes up, %" PRIu64 " down in %.3f s (%" PRIu64
				 " polls), control block at 0x%08X"),
			       stats.up_bytes, stats.down_bytes, stats.device_ns / CLI_NS_PER_S,
			       stats.polls, stats.address);
	cli_print_log_line(cli, "", summary->str);
	if (stats.input_left > 0) {
		g_autofree gchar *warning = g_strdup_printf(
		    _("%" PRIu64 " bytes of input were not sent: the target did not read "
		      "its down channel 0 (it stayed full)"),
		    stats.input_left);
		cli_print_log_line(cli, _("warning: "), warning);
	}
	return TRUE;
}
