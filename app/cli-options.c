/* cli-options.c: glint-cli's option-byte commands (`options show`, `options
 * set NAME=VALUE...` with the confirmations risky changes need), `fix KIND`
 * for the fixes diagnosis offers, and `image FILE`, which inspects a firmware
 * file without a probe. */
#define G_LOG_DOMAIN "glint-cli"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "glint-i18n.h"

#define CLI_DEFAULT_FLASH_BASE 0x08000000u

static void
cli_print_setting(const char *setting, const char *text, const char *note)
{
	printf("  %-20s %s%s\n", setting, text, note);
}

static void
cli_print_option_fields(const GlintOptionBytes *ob)
{
	const GlintOptionLayout *layout = ob->layout;
	g_autofree gchar *rdp = g_strdup_printf("RDP=0x%02X", glint_option_bytes_rdp_raw(ob));
	g_autofree gchar *half =
	    layout->rdp.level_half != 0
		? g_strdup_printf(_(", 0x%02X level 0.5 with TrustZone on"), layout->rdp.level_half)
		: g_strdup("");
	g_autofree gchar *level = g_strdup_printf(
	    /* TRANSLATORS: the last two %s are nothing or ", 0x55 level 0.5 with
	     * TrustZone on" and ", 0xCC level 2 (permanent)" */
	    _("level %s: read protection (0x%02X level 0%s%s, other values level 1)"),
	    glint_rdp_rank_name(glint_option_bytes_rdp_rank(ob)), layout->rdp.level0, half,
	    layout->rdp.level2 != 0 ? _(", 0xCC level 2 (permanent)") : "");

	cli_print_setting(rdp, level, "");
	for (guint i = 0; i < layout->n_fields; i++) {
		const GlintOptionField *field = &layout->fields[i];
		guint32 value = glint_option_bytes_get_field(ob, field);
		g_autofree gchar *setting = NULL;
		g_autofree gchar *described = glint_option_bytes_describe_field(ob, field);
		g_autofree gchar *text = NULL;

		if (field->address_scale != 0)
			setting = g_strdup_printf("%s=%s", field->name, described);
		else
			setting = g_strdup_printf("%s=%u", field->name, value);
		if (field->choices != NULL)
			text = g_strdup_printf(
			    /* TRANSLATORS: an option byte's meaning, then its value in words */
			    _("%s (now %s)"),
			    field->meaning != NULL ? glint_tr(field->meaning) : "", described);
		else
			text = g_strdup(field->meaning != NULL ? glint_tr(field->meaning) : "");
		cli_print_setting(setting, text,
				  value != field->factory ? _(" [changed from factory]") : "");
	}
}

static void
cli_print_areas(const GlintOptionBytes *ob, const GlintFlashGeometry *geometry)
{
	const GlintOptionLayout *layout = ob->layout;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		g_autofree gchar *value = glint_option_bytes_area_edit_value(ob, area, geometry);
		g_autofree gchar *setting = g_strdup_printf("%s=%s", area->name, value);
		g_autofree gchar *covers = NULL;
		g_autofree gchar *text = NULL;
		const char *kind = area->type == GLINT_PROTECT_WRP     ? _("write-protected")
				   : area->type == GLINT_PROTECT_PCROP ? _("execute-only (PCROP)")
								       : _("secure area");

		if (glint_geometry_bank_of_physical(geometry, area->bank) < 0 &&
		    !glint_option_bytes_area_active(ob, area))
			continue;
		if (!glint_option_bytes_area_in_use(ob, area)) {
			/* bits shared with another area that is in use now */
			g_autofree gchar *why =
			    glint_option_bytes_describe_area(ob, area, geometry);
			g_autofree gchar *unused = g_strdup_printf("%s=-", area->name);
			cli_print_setting(unused, why, "");
			continue;
		}
		if (!glint_option_bytes_area_active(ob, area)) {
			cli_print_setting(setting,
					  area->type == GLINT_PROTECT_WRP ? _("no write protection")
									  : _("not active"),
					  "");
			continue;
		}
		covers = glint_option_bytes_describe_area(ob, area, geometry);
		text = g_strdup_printf("%s %s", covers, kind);
		cli_print_setting(setting, text, "");
	}
}

static gboolean
cli_options_show(Cli *cli, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(cli->session);
	const GlintOptionLayout *layout;
	GlintOptionBytes ob;

	if (!glint_job_read_options(cli->session, &ob, error))
		return FALSE;
	layout = ob.layout;
	/* TRANSLATORS: followed by the option registers and their values */
	printf(_("Option bytes of the %s ("), info->chip->name);
	for (guint i = 0; i < layout->n_regs; i++)
		printf("%s%s 0x%0*X", i > 0 ? ", " : "", layout->regs[i].name,
		       layout->regs[i].bits / 4, ob.regs[i]);
	printf("):\n");
	cli_print_option_fields(&ob);
	cli_print_areas(&ob, &info->geometry);
	return TRUE;
}

/* One name per line: what `options set` accepts on the connected chip (for
 * shell completion). */
static gboolean
cli_options_fields(Cli *cli, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(cli->session);
	g_auto(GStrv) names = glint_option_layout_edit_names(info->chip->options);
	for (guint i = 0; names[i] != NULL; i++)
		printf("%s\n", names[i]);
	return TRUE;
}

/* Refuses risky changes that lack their confirmation, naming why. */
static gboolean
cli_check_confirmation(Cli *cli, GPtrArray *changes, GlintConfirm *confirm, GError **error)
{
	GlintOptionRisk risk = glint_option_changes_risk(changes);
	const GlintOptionRisk needs_confirm = ~GLINT_OPTION_RISK_PERMANENT;

	*confirm = GLINT_CONFIRM_NONE;
	if (risk & GLINT_OPTION_RISK_PERMANENT) {
		if (!cli->opts->confirm_permanent_lock) {
			g_autoptr(GString) why = g_string_new(NULL);
			for (guint i = 0; i < changes->len; i++) {
				const GlintOptionChange *c = g_ptr_array_index(changes, i);
				if (c->risk & GLINT_OPTION_RISK_PERMANENT)
					g_string_append_printf(why, "%s%s: %s",
							       why->len > 0 ? "; " : "", c->name,
							       c->consequence);
			}
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("%s. This can never be undone; nothing was written. If that is "
			      "really intended, add --confirm-permanent-lock"),
			    why->str);
			return FALSE;
		}
		*confirm |= GLINT_CONFIRM_PERMANENT_LOCK;
	}
	if (risk & needs_confirm) {
		g_autoptr(GString) why = g_string_new(NULL);
		if (!cli->opts->confirm) {
			for (guint i = 0; i < changes->len; i++) {
				const GlintOptionChange *c = g_ptr_array_index(changes, i);
				if ((c->risk & needs_confirm) == 0)
					continue;
				g_string_append_printf(
				    why, "%s%s: %s", why->len > 0 ? "; " : "", c->name,
				    c->consequence != NULL ? c->consequence : _("risky change"));
			}
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
				    _("%s. Nothing was written: add --confirm to go ahead"),
				    why->str);
			return FALSE;
		}
	}
	/* The CLI checked every risk above; the core re-checks with these. */
	if (cli->opts->confirm || (*confirm & GLINT_CONFIRM_PERMANENT_LOCK))
		*confirm |= GLINT_CONFIRM_RISKY;
	return TRUE;
}

static gboolean
cli_options_set(Cli *cli, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(cli->session);
	g_autoptr(GPtrArray) changes = NULL;
	g_autoptr(GlintProgress) progress = NULL;
	GlintOptionBytes current;
	GlintOptionBytes wanted;
	GlintOptionContext ctx;
	GlintConfirm confirm;
	GlintJobResult result = {0};
	gboolean ok;

	if (cli->opts->operands->len < 2) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("options set needs at least one NAME=VALUE, e.g. "
				      "glint-cli options set nRST_STOP=0"));
		return FALSE;
	}
	if (!glint_job_read_options(cli->session, &current, error))
		return FALSE;
	glint_target_info_option_context(info, &ctx);
	wanted = current;
	for (guint i = 1; i < cli->opts->operands->len; i++) {
		const char *edit = g_ptr_array_index(cli->opts->operands, i);
		if (!glint_option_bytes_apply_edit(&wanted, &ctx, edit, error))
			return FALSE;
	}
	if (!glint_option_bytes_check(&ctx, &current, &wanted, error))
		return FALSE;
	changes = glint_option_bytes_diff(&ctx, &current, &wanted);
	if (changes->len == 0) {
		printf(_("The option bytes already hold these values; nothing to write.\n"));
		return TRUE;
	}
	/* On success the job logs each change itself; a refusal shows them here. */
	if (!cli_check_confirmation(cli, changes, &confirm, error)) {
		for (guint i = 0; i < changes->len; i++) {
			const GlintOptionChange *c = g_ptr_array_index(changes, i);
			printf(_("Not written: %s: %s -> %s\n"), c->name, c->old_value,
			       c->new_value);
		}
		return FALSE;
	}
	progress = cli_progress_new(cli);
	ok = glint_job_write_options(cli->session, &wanted, confirm, progress, cli->cancellable,
				     &result, error);
	if (ok)
		cli_print_summary(cli, &result);
	else
		cli_progress_fail(cli);
	glint_job_result_clear(&result);
	return ok;
}

gboolean
cli_cmd_options(Cli *cli, GError **error)
{
	const char *sub =
	    cli->opts->operands->len > 0 ? g_ptr_array_index(cli->opts->operands, 0) : NULL;

	if (g_strcmp0(sub, "show") == 0) {
		if (cli->opts->operands->len != 1 || cli->opts->confirm ||
		    cli->opts->confirm_permanent_lock) {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("usage: glint-cli options show (no other arguments)"));
			return FALSE;
		}
		return cli_connect(cli, error) && cli_options_show(cli, error);
	}
	if (g_strcmp0(sub, "fields") == 0) {
		if (cli->opts->operands->len != 1) {
			g_set_error_literal(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("usage: glint-cli options fields (no other arguments)"));
			return FALSE;
		}
		return cli_connect(cli, error) && cli_options_fields(cli, error);
	}
	if (g_strcmp0(sub, "set") == 0) {
		if (cli->opts->operands->len < 2) {
			g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("options set needs at least one NAME=VALUE, e.g. "
					      "glint-cli options set nRST_STOP=0"));
			return FALSE;
		}
		return cli_connect(cli, error) && cli_options_set(cli, error);
	}
	if (sub != NULL)
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("unknown options subcommand '%s': usage: glint-cli options show | "
			      "options fields | options set NAME=VALUE..."),
			    sub);
	else
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("missing options subcommand: usage: glint-cli options show | "
				      "options fields | options set NAME=VALUE..."));
	return FALSE;
}

static const struct {
	const char *name;
	GlintFixKind kind;
} cli_fixes[] = {
    {"remove-wrp", GLINT_FIX_REMOVE_WRP},	    {"clear-flags", GLINT_FIX_CLEAR_FLAGS},
    {"regress-rdp", GLINT_FIX_REGRESS_RDP},	    {"clear-bfb2", GLINT_FIX_CLEAR_BFB2},
    {"restore-options", GLINT_FIX_RESTORE_OPTIONS},
};

gboolean
cli_cmd_fix(Cli *cli, GError **error)
{
	const char *name =
	    cli->opts->operands->len == 1 ? g_ptr_array_index(cli->opts->operands, 0) : NULL;
	GlintFixKind kind = GLINT_FIX_NONE;
	g_autoptr(GlintProgress) progress = NULL;
	GlintJobResult result = {0};
	gboolean ok;

	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(cli_fixes); i++) {
		if (g_strcmp0(cli_fixes[i].name, name) == 0)
			kind = cli_fixes[i].kind;
	}
	if (kind == GLINT_FIX_NONE) {
		if (name != NULL)
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("usage: glint-cli fix KIND [--confirm], KIND one of "
				      "remove-wrp, clear-flags, regress-rdp, clear-bfb2, "
				      "restore-options (not '%s')"),
				    name);
		else
			g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("usage: glint-cli fix KIND [--confirm], KIND one of "
					      "remove-wrp, clear-flags, regress-rdp, clear-bfb2, "
					      "restore-options"));
		return FALSE;
	}
	if (glint_fix_is_risky(kind) && !cli->opts->confirm) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("\"%s\" erases flash or changes how the chip boots: add --confirm to "
			      "go ahead"),
			    glint_fix_label(kind));
		return FALSE;
	}
	if (!cli_connect(cli, error))
		return FALSE;
	progress = cli_progress_new(cli);
	ok = glint_job_apply_fix(cli->session, kind,
				 cli->opts->confirm ? GLINT_CONFIRM_RISKY : GLINT_CONFIRM_NONE,
				 progress, cli->cancellable, &result, error);
	if (ok) {
		printf(_("Applied: %s.\n"), glint_fix_label(kind));
		cli_print_summary(cli, &result);
	} else {
		cli_progress_fail(cli);
	}
	glint_job_result_clear(&result);
	return ok;
}

gboolean
cli_cmd_image(Cli *cli, GError **error)
{
	g_autoptr(GlintImage) image = NULL;
	const char *path;
	guint32 start = 0;

	if (cli->opts->operands->len != 1) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("usage: glint-cli image FILE [--base ADDR]"));
		return FALSE;
	}
	path = g_ptr_array_index(cli->opts->operands, 0);
	image = cli_load_image_file(cli, path, CLI_DEFAULT_FLASH_BASE, error);
	if (image == NULL)
		return FALSE;
	printf(g_dngettext(GETTEXT_PACKAGE, "%s: %s, %u segment, %zu bytes",
			   "%s: %s, %u segments, %zu bytes", glint_image_get_n_segments(image)),
	       path, glint_image_format_to_string(glint_image_get_format(image)),
	       glint_image_get_n_segments(image), glint_image_get_size(image));
	if (glint_image_get_start_address(image, &start))
		printf(_(", start address 0x%08X"), start);
	printf("\n");
	printf("  %-10s  %-10s  %10s  %-10s  %s\n", "START", "END", "SIZE", "CRC-32", "SOURCE");
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(seg->data, &len);
		guint32 crc = glint_crc32(0, data, len);
		printf("  0x%08X  0x%08X  %10" G_GSIZE_FORMAT "  0x%08X  %s\n", seg->address,
		       (guint32)(seg->address + len - 1), len, crc,
		       seg->origin != NULL ? seg->origin : "-");
	}
	return TRUE;
}
