/* cli-core.c: glint-cli's view of the running target: core (status, halt,
 * run, step, regs, reset), fault and watch, and the ELF remembered per
 * probe after program so that --elf may be left out. These commands attach
 * without halting the core, so what they show is the target as it was. */
#define G_LOG_DOMAIN "glint-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "glint-core.h"
#include "glint-fault.h"
#include "glint-i18n.h"
#include "glint-programmed.h"
#include "glint-watch.h"

gboolean
cli_connect_live(Cli *cli, GError **error)
{
	return cli_connect_with(cli, TRUE, error);
}

static const char *
cli_probe_serial(Cli *cli)
{
	return cli->transport != NULL ? glint_transport_get_info(cli->transport)->serial : NULL;
}

void
cli_remember_programmed(Cli *cli, const char *path, gboolean is_elf)
{
	g_autoptr(GError) error = NULL;
	if (!glint_programmed_remember(cli_probe_serial(cli), path, is_elf, &error)) {
		g_autofree gchar *line = g_strdup_printf(
		    _("%s; fault and watch will need --elf %s"), error->message, path);
		cli_print_log_line(cli, _("warning: "), line);
	}
}

/* The ELF: --elf, else the one programmed last through this probe (said on
 * stderr), else none */
static GlintDebugInfo *
cli_load_elf(Cli *cli, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree gchar *remembered = NULL;
	GlintDebugInfo *elf;
	gboolean changed = FALSE;

	if (cli->opts->elf != NULL)
		return glint_debug_info_load(cli->opts->elf, error);
	if (!cli_open_probe(cli, error))
		return NULL;
	remembered = glint_programmed_lookup(cli_probe_serial(cli), &changed, &local);
	if (remembered == NULL) {
		if (local != NULL)
			cli_print_log_line(cli, _("warning: "), local->message);
		return NULL;
	}
	elf = glint_debug_info_load(remembered, &local);
	if (elf == NULL) {
		g_autofree gchar *line = g_strdup_printf(
		    _("the ELF programmed last through this probe cannot be used (%s); give --elf "
		      "FILE"),
		    local->message);
		cli_print_log_line(cli, _("warning: "), line);
		return NULL;
	}
	{
		g_autofree gchar *line = g_strdup_printf(
		    _("using %s, the ELF programmed last through this probe%s"), remembered,
		    changed ? _(" (it changed since: its symbols may not match the chip)") : "");
		cli_print_log_line(cli, "", line);
	}
	return elf;
}

/* "0x080000C6 main()+0x16 at watch.c:90" */
static gchar *
cli_where(GlintDebugInfo *elf, guint32 address)
{
	g_autofree gchar *place = NULL;
	if (elf == NULL)
		return g_strdup_printf("0x%08X", address);
	place = glint_debug_info_describe_address(elf, address, TRUE);
	if (g_str_has_prefix(place, "0x"))
		return g_steal_pointer(&place);
	return g_strdup_printf("0x%08X %s", address, place);
}

/* core ------------------------------------------------------------------------ */

static gboolean
cli_core_status(Cli *cli, GlintCoreStatus *status, GError **error)
{
	return glint_job_core_status(cli->session, status, error);
}

static gboolean
cli_core_pc(Cli *cli, guint32 *pc, GError **error)
{
	GlintCoreRegs regs;
	if (!glint_job_core_read_registers(cli->session, &regs, error))
		return FALSE;
	*pc = regs.value[GLINT_REG_PC];
	return TRUE;
}

/* Halted at PC, with why */
static gboolean
cli_print_halted(Cli *cli, GlintDebugInfo *elf, const GlintCoreStatus *st, const char *prefix,
		 GError **error)
{
	g_autofree gchar *reason = glint_core_halt_reason_describe(st->dfsr);
	g_autofree gchar *where = NULL;
	guint32 pc = 0;
	if (!cli_core_pc(cli, &pc, error))
		return FALSE;
	where = cli_where(elf, pc);
	printf(_("%s halted (%s) at %s\n"), prefix, reason, where);
	return TRUE;
}

/* The commands that need Debug state halt a running core first, saying so */
static gboolean
cli_core_halt_first(Cli *cli, const char *what, GError **error)
{
	GlintCoreStatus st;
	if (!cli_core_status(cli, &st, error))
		return FALSE;
	if (st.state == GLINT_CORE_HALTED)
		return TRUE;
	{
		g_autofree gchar *line = g_strdup_printf(
		    _("the core was %s: halted it to %s (glint-cli core run lets it go on)"),
		    glint_core_state_to_string(st.state), what);
		cli_print_log_line(cli, "", line);
	}
	return glint_job_core_halt(cli->session, NULL, error);
}

static gboolean
cli_core_cmd_status(Cli *cli, GlintDebugInfo *elf, GError **error)
{
	GlintCoreStatus st;
	if (!cli_core_status(cli, &st, error))
		return FALSE;
	if (st.state == GLINT_CORE_HALTED)
		return cli_print_halted(cli, elf, &st, _("Core:"), error);
	printf(_("Core: %s%s\n"), glint_core_state_to_string(st.state),
	       st.state == GLINT_CORE_LOCKED_UP ? _(" (glint-cli fault says why)") : "");
	return TRUE;
}

static gboolean
cli_core_cmd_halt(Cli *cli, GlintDebugInfo *elf, GError **error)
{
	GlintCoreStatus before, after;
	if (!cli_core_status(cli, &before, error) ||
	    !glint_job_core_halt(cli->session, &after, error))
		return FALSE;
	if (!cli_print_halted(cli, elf, &after, _("Core"), error))
		return FALSE;
	if (before.state != GLINT_CORE_HALTED)
		printf(_("It was %s.\n"), glint_core_state_to_string(before.state));
	return TRUE;
}

static gboolean
cli_core_cmd_run(Cli *cli, GError **error)
{
	GlintCoreStatus st;
	if (!cli_core_status(cli, &st, error))
		return FALSE;
	if (st.state == GLINT_CORE_LOCKED_UP) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_FAILED,
				    _("the core is locked up and only a reset ends that (glint-cli "
				      "core reset; glint-cli fault says why it locked up)"));
		return FALSE;
	}
	if (!glint_job_core_run(cli->session, error))
		return FALSE;
	printf(_("Core running%s.\n"), st.state == GLINT_CORE_HALTED ? "" : _(" (it was already)"));
	return TRUE;
}

static gboolean
cli_core_cmd_step(Cli *cli, GlintDebugInfo *elf, GError **error)
{
	guint32 count = 1;
	guint done = 0;
	GlintCoreStatus st;
	g_autofree gchar *where = NULL;
	guint32 pc = 0;

	if (cli->opts->operands->len > 1 &&
	    !cli_parse_number(g_ptr_array_index(cli->opts->operands, 1), _("step count"), FALSE,
			      &count, error))
		return FALSE;
	if (count == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("core step 0 does nothing: give 1 or more instructions"));
		return FALSE;
	}
	if (!cli_connect_live(cli, error) || !cli_core_halt_first(cli, _("step it"), error))
		return FALSE;
	if (!glint_job_core_step(cli->session, count, &done, &st, cli->cancellable, error))
		return FALSE;
	if (!cli_core_pc(cli, &pc, error))
		return FALSE;
	where = cli_where(elf, pc);
	if (done < count) {
		g_autofree gchar *reason = glint_core_halt_reason_describe(st.dfsr);
		printf(_("Stopped after %u of %u instructions (%s) at %s\n"), done, count,
		       st.state == GLINT_CORE_HALTED ? reason
						     : glint_core_state_to_string(st.state),
		       where);
	} else {
		printf(g_dngettext(GETTEXT_PACKAGE, "Stepped %u instruction; core halted at %s\n",
				   "Stepped %u instructions; core halted at %s\n", done),
		       done, where);
	}
	return TRUE;
}

typedef struct {
	GlintCoreReg reg;
	guint32 value;
} CliRegSet;

/* "r0=0x1", "pc=0x08000100", "basepri=0x40": all parsed before the chip is
 * touched, so a typo in the last changes nothing */
static GArray *
cli_core_parse_sets(Cli *cli, GError **error)
{
	g_autoptr(GArray) sets = g_array_new(FALSE, FALSE, sizeof(CliRegSet));
	for (guint i = 0; cli->opts->sets != NULL && i < cli->opts->sets->len; i++) {
		const char *set = g_ptr_array_index(cli->opts->sets, i);
		g_auto(GStrv) parts = g_strsplit(set, "=", 2);
		CliRegSet one;
		if (parts[0] == NULL || parts[1] == NULL) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("bad --set '%s': give REG=VALUE, e.g. --set r0=0x1"), set);
			return NULL;
		}
		if (!glint_core_reg_from_name(g_strstrip(parts[0]), &one.reg, error) ||
		    !cli_parse_number(g_strstrip(parts[1]), _("register value"), FALSE, &one.value,
				      error))
			return NULL;
		g_array_append_val(sets, one);
	}
	return g_steal_pointer(&sets);
}

static void
cli_print_regs(const GlintCoreRegs *regs, GlintDebugInfo *elf)
{
	for (guint r = 0; r < GLINT_REG_COUNT; r++) {
		guint32 v = regs->value[r];
		const char *name = glint_core_reg_name((GlintCoreReg)r);
		if (!glint_core_regs_has(regs, (GlintCoreReg)r))
			continue;
		if (r >= GLINT_REG_CONTROL && r <= GLINT_REG_FAULTMASK) {
			printf("%-10s 0x%02X\n", name, v);
		} else if (r >= GLINT_REG_S0) {
			gfloat f;
			gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
			memcpy(&f, &v, sizeof(f));
			printf("%-10s 0x%08X  %s\n", name, v,
			       g_ascii_formatd(buf, sizeof(buf), "%g", f));
		} else if ((r == GLINT_REG_PC || r == GLINT_REG_LR) && elf != NULL) {
			g_autofree gchar *place = glint_debug_info_describe_address(
			    elf, r == GLINT_REG_LR ? (v & ~1u) : v, TRUE);
			if (g_str_has_prefix(place, "0x"))
				printf("%-10s 0x%08X\n", name, v);
			else
				printf("%-10s 0x%08X  %s\n", name, v, place);
		} else if (r == GLINT_REG_XPSR) {
			printf("%-10s 0x%08X  %s\n", name, v,
			       (v & 0x1FFu) == 0 ? _("thread mode") : _("handler mode"));
		} else {
			printf("%-10s 0x%08X\n", name, v);
		}
	}
}

static gboolean
cli_core_cmd_regs(Cli *cli, GlintDebugInfo *elf, GError **error)
{
	GlintCoreRegs regs;
	g_autoptr(GArray) sets = cli_core_parse_sets(cli, error);
	if (sets == NULL || !cli_connect_live(cli, error) ||
	    !cli_core_halt_first(cli, _("read its registers"), error))
		return FALSE;
	for (guint i = 0; i < sets->len; i++) {
		const CliRegSet *one = &g_array_index(sets, CliRegSet, i);
		if (!glint_job_core_write_register(cli->session, one->reg, one->value, error))
			return FALSE;
	}
	if (!glint_job_core_read_registers(cli->session, &regs, error))
		return FALSE;
	cli_print_regs(&regs, elf);
	return TRUE;
}

static gboolean
cli_core_cmd_reset(Cli *cli, GlintDebugInfo *elf, GError **error)
{
	g_autofree gchar *where = NULL;
	guint32 pc = 0;

	if (!cli_connect_live(cli, error) ||
	    !glint_job_reset(cli->session, GLINT_RESET_AUTO, cli->opts->halt, cli->cancellable,
			     error))
		return FALSE;
	if (!cli->opts->halt) {
		printf(_("Target reset; core running.\n"));
		return TRUE;
	}
	/* where it stopped shows that the halt came before the first instruction */
	if (!cli_core_pc(cli, &pc, error))
		return FALSE;
	where = cli_where(elf, pc);
	printf(_("Target reset; core halted at the reset vector: %s\n"), where);
	return TRUE;
}

gboolean
cli_cmd_core(Cli *cli, GError **error)
{
	static const char *const usage =
	    "core status|halt|run|step [N]|regs [--set REG=VALUE]|reset [--halt]";
	g_autoptr(GlintDebugInfo) elf = NULL;
	g_autoptr(GError) elf_error = NULL;
	GPtrArray *operands = cli->opts->operands;
	const char *sub = operands->len > 0 ? g_ptr_array_index(operands, 0) : NULL;
	guint max = g_strcmp0(sub, "step") == 0 ? 2 : 1;

	if (sub == NULL || operands->len > max ||
	    (g_strcmp0(sub, "status") != 0 && g_strcmp0(sub, "halt") != 0 &&
	     g_strcmp0(sub, "run") != 0 && g_strcmp0(sub, "step") != 0 &&
	     g_strcmp0(sub, "regs") != 0 && g_strcmp0(sub, "reset") != 0)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s: usage: glint-cli %s"),
			    sub == NULL		  ? _("missing operand")
			    : operands->len > max ? _("too many operands")
						  : _("unknown core command"),
			    usage);
		return FALSE;
	}
	if (cli->opts->sets != NULL && g_strcmp0(sub, "regs") != 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--set applies to 'core regs', not 'core %s'"), sub);
		return FALSE;
	}
	if (cli->opts->halt && g_strcmp0(sub, "reset") != 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--halt applies to 'core reset', not 'core %s' (glint-cli core halt "
			      "halts)"),
			    sub);
		return FALSE;
	}
	/* the ELF names where the core stopped; run and a plain reset show none */
	if (g_strcmp0(sub, "run") != 0 && (g_strcmp0(sub, "reset") != 0 || cli->opts->halt)) {
		elf = cli_load_elf(cli, &elf_error);
		if (elf == NULL && elf_error != NULL) {
			g_propagate_error(error, g_steal_pointer(&elf_error));
			return FALSE;
		}
	}
	if (g_strcmp0(sub, "step") == 0)
		return cli_core_cmd_step(cli, elf, error);
	if (g_strcmp0(sub, "regs") == 0)
		return cli_core_cmd_regs(cli, elf, error);
	if (g_strcmp0(sub, "reset") == 0)
		return cli_core_cmd_reset(cli, elf, error);
	if (!cli_connect_live(cli, error))
		return FALSE;
	if (g_strcmp0(sub, "halt") == 0)
		return cli_core_cmd_halt(cli, elf, error);
	if (g_strcmp0(sub, "run") == 0)
		return cli_core_cmd_run(cli, error);
	return cli_core_cmd_status(cli, elf, error);
}

/* fault ----------------------------------------------------------------------- */

gboolean
cli_cmd_fault(Cli *cli, GError **error)
{
	g_autoptr(GlintDebugInfo) elf = NULL;
	g_autoptr(GlintFaultReport) report = NULL;
	g_autofree gchar *text = NULL;

	if (cli->opts->operands->len > 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("too many operands: usage: glint-cli fault [--elf FILE]"));
		return FALSE;
	}
	elf = cli_load_elf(cli, error);
	if (elf == NULL && cli->opts->elf != NULL)
		return FALSE;
	if (!cli_connect_live(cli, error))
		return FALSE;
	report = glint_job_fault_report(cli->session, elf, error);
	if (report == NULL)
		return FALSE;
	text = glint_fault_report_format(report);
	fputs(text, stdout);
	if (elf == NULL && report->kind != GLINT_FAULT_NONE)
		cli_print_log_line(cli, "",
				   _("no ELF: addresses only; give --elf FILE (or program an ELF "
				     "with glint-cli program) for functions and lines"));
	return TRUE;
}

/* watch ----------------------------------------------------------------------- */

typedef struct {
	Cli *cli;
	GlintWatch *watch;
} CliWatch;

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a space */
static void
cli_csv_field(GString *line, const char *text)
{
	if (strpbrk(text, ",\" \n") == NULL) {
		g_string_append(line, text);
		return;
	}
	g_string_append_c(line, '"');
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(line, '"');
		g_string_append_c(line, *p);
	}
	g_string_append_c(line, '"');
}

static gboolean
cli_watch_print(const GlintWatchSample *sample, gpointer user_data)
{
	CliWatch *w = user_data;
	g_autoptr(GString) line = g_string_new(NULL);
	gchar time[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(time, sizeof(time), "%.6f", sample->time_s);
	g_string_append(line, time);
	for (guint i = 0; i < sample->text->len; i++) {
		const char *value = g_ptr_array_index(sample->text, i);
		if (w->cli->opts->csv) {
			g_string_append_c(line, ',');
			cli_csv_field(line, value);
		} else {
			g_string_append_printf(
			    line, " %s=%s", glint_watch_get_item(w->watch, i)->expression, value);
		}
	}
	printf("%s\n", line->str);
	fflush(stdout);
	return TRUE;
}

/* "counter: volatile uint32_t at 0x20000088 (4 bytes)", on stderr: what is
 * read, and where, so that a name can be checked against the map file */
static void
cli_watch_describe_items(Cli *cli, GlintWatch *watch)
{
	for (guint i = 0; i < glint_watch_get_n_items(watch); i++) {
		const GlintWatchItem *item = glint_watch_get_item(watch, i);
		g_autofree gchar *type = glint_type_describe(item->type);
		g_autofree gchar *bits = NULL;
		if (item->bit_size == 1)
			bits = g_strdup_printf(_(", bit %u"), item->bit_position);
		else if (item->bit_size > 1)
			bits = g_strdup_printf(_(", bits %u-%u"), item->bit_position,
					       item->bit_position + item->bit_size - 1);
		g_autofree gchar *line = g_strdup_printf(
		    /* TRANSLATORS: the last %s is nothing or ", bit 3" */
		    g_dngettext(GETTEXT_PACKAGE, "%s: %s at 0x%08X (%u byte%s)",
				"%s: %s at 0x%08X (%u bytes%s)", item->size),
		    item->expression, type, item->address, item->size, bits != NULL ? bits : "");
		cli_print_log_line(cli, "", line);
	}
}

gboolean
cli_cmd_watch(Cli *cli, GError **error)
{
	g_autoptr(GlintDebugInfo) elf = NULL;
	g_autoptr(GlintWatch) watch = NULL;
	GlintWatchRunOptions options = {
	    .rate_hz = cli->opts->rate_hz > 0 ? cli->opts->rate_hz : CLI_WATCH_RATE_DEFAULT,
	    .duration_s = cli->opts->seconds,
	};
	GlintWatchStats stats = {0};
	CliWatch w = {cli, NULL};

	if (cli->opts->operands->len == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("missing operand: usage: glint-cli watch NAME|ADDR:TYPE... "
				      "[--elf FILE] [--rate HZ] [--seconds S] [--format csv]"));
		return FALSE;
	}
	elf = cli_load_elf(cli, error);
	if (elf == NULL && cli->opts->elf != NULL)
		return FALSE;
	/* every item is checked before the chip is touched */
	watch = glint_watch_new(elf);
	for (guint i = 0; i < cli->opts->operands->len; i++) {
		if (!glint_watch_add(watch, g_ptr_array_index(cli->opts->operands, i), error))
			return FALSE;
	}
	w.watch = watch;
	cli_watch_describe_items(cli, watch);
	if (!cli_connect_live(cli, error))
		return FALSE;
	/* a person watching a simulated board sees it at its own pace */
	options.real_time = cli->sim != NULL && cli->opts->seconds == 0;
	if (cli->opts->csv) {
		g_autoptr(GString) header = g_string_new("time_s");
		for (guint i = 0; i < glint_watch_get_n_items(watch); i++) {
			g_string_append_c(header, ',');
			cli_csv_field(header, glint_watch_get_item(watch, i)->expression);
		}
		printf("%s\n", header->str);
	}
	if (!glint_job_watch_run(cli->session, watch, &options, cli_watch_print, &w, &stats,
				 cli->cancellable, error))
		return FALSE;
	{
		guint per_sample = glint_watch_get_n_transfers(watch);
		g_autofree gchar *transfers =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE, "%u transfer per sample",
						"%u transfers per sample", per_sample),
				    per_sample);
		g_autofree gchar *line = g_strdup_printf(
		    stats.modelled
			? g_dngettext(GETTEXT_PACKAGE,
				      /* TRANSLATORS: the last %s is "3 transfers per sample" */
				      "watch: %u sample in %.3f s of modelled device time (%.1f "
				      "samples/s, %" PRIu64 " probe commands, %s)",
				      "watch: %u samples in %.3f s of modelled device time (%.1f "
				      "samples/s, %" PRIu64 " probe commands, %s)",
				      stats.samples)
			: g_dngettext(
			      GETTEXT_PACKAGE,
			      "watch: %u sample in %.3f s host time (%.1f samples/s, %" PRIu64
			      " probe commands, %s)",
			      "watch: %u samples in %.3f s host time (%.1f samples/s, %" PRIu64
			      " probe commands, %s)",
			      stats.samples),
		    stats.samples, stats.seconds, stats.rate_hz, stats.transfers, transfers);
		cli_print_log_line(cli, "", line);
	}
	return TRUE;
}
