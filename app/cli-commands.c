/* cli-commands.c: glint-cli's commands that talk to a probe: probes, info,
 * diagnose, reset, erase, program, verify and read. Each checks its operands
 * before touching the chip, then runs one core job and prints its result.
 * Runs on the job thread; the main thread only waits and handles SIGINT. */
#define G_LOG_DOMAIN "glint-cli"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "glint-file.h"
#include "glint-i18n.h"
#include "glint-stlink.h"
#include "glint-usb.h"

/* The base a raw binary goes to before the chip is known; every chip in
 * the table today maps its flash there (RM0351: main memory at 0x08000000). */
#define CLI_DEFAULT_FLASH_BASE 0x08000000u

static gboolean
cli_expect_operands(Cli *cli, guint min, guint max, const char *usage, GError **error)
{
	guint n = cli->opts->operands->len;

	if (n >= min && n <= max)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, _("%s: usage: glint-cli %s"),
		    n < min ? _("missing operand") : _("too many operands"), usage);
	return FALSE;
}

static const char *
cli_operand(Cli *cli, guint index)
{
	return g_ptr_array_index(cli->opts->operands, index);
}

gboolean
cli_open_probe(Cli *cli, GError **error)
{
	if (cli->session != NULL)
		return TRUE;
	if (cli->fixture != NULL) {
		g_autoptr(GlintProbeInfo) info = glint_sim_fixture_get_probe_info(cli->fixture);
		if (cli->opts->serial != NULL && g_strcmp0(cli->opts->serial, info->serial) != 0) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
			    _("no probe with serial %s: the simulated fixture's probe is %s"),
			    cli->opts->serial, info->serial);
			return FALSE;
		}
		cli->transport = glint_sim_fixture_transport_new(cli->fixture);
	} else if (cli->sim != NULL) {
		const char *serial = glint_sim_get_serial(cli->sim);
		if (cli->opts->serial != NULL && g_strcmp0(cli->opts->serial, serial) != 0) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
			    _("no probe with serial %s: the simulated probe's serial is %s"),
			    cli->opts->serial, serial);
			return FALSE;
		}
		cli->transport = glint_sim_transport_new(cli->sim);
	} else {
		cli->transport = glint_usb_open(cli->opts->serial, error);
		if (cli->transport == NULL)
			return FALSE;
	}
	cli->session = glint_session_new(cli->transport);
	return TRUE;
}

void
cli_check_probe_lost(Cli *cli, GError **error)
{
	g_autoptr(GlintStlink) stlink = NULL;
	g_autoptr(GError) again = NULL;
	GError *lost;
	guint8 mode = 0;

	if (cli->transport == NULL || !g_error_matches(*error, GLINT_ERROR, GLINT_ERROR_TIMEOUT))
		return;
	/* The cheapest command every ST-LINK firmware answers in any mode. */
	stlink = glint_stlink_new(cli->transport);
	if (glint_stlink_get_mode(stlink, &mode, &again))
		return;
	lost = g_error_new(GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			   _("the probe stopped answering and is lost until it is unplugged and "
			     "replugged (%s)"),
			   (*error)->message);
	g_clear_error(error);
	g_propagate_error(error, lost);
}

gboolean
cli_connect(Cli *cli, GError **error)
{
	return cli_connect_with(cli, FALSE, error);
}

gboolean
cli_connect_with(Cli *cli, gboolean no_halt, GError **error)
{
	GlintConnectOptions options = {
	    .swd_khz = cli->opts->freq_khz,
	    .under_reset = cli->opts->under_reset,
	    .reset_mode = GLINT_RESET_AUTO,
	    .no_halt = no_halt,
	};
	g_autoptr(GlintProgress) progress = cli_progress_new(cli);
	const GlintTargetInfo *info;

	if (!cli_open_probe(cli, error))
		return FALSE;
	if (!glint_job_connect(cli->session, &options, progress, cli->cancellable, error)) {
		cli_progress_fail(cli);
		return FALSE;
	}
	cli_progress_end(cli);
	info = glint_session_get_target_info(cli->session);
	cli->options_at_connect = info->options;
	cli->connected_once = TRUE;
	/* The test aids count commands of the job itself, not of connecting. */
	cli->sim_commands_seen = 0;
	if (cli->sim != NULL && cli->opts->unplug_after > 0)
		glint_sim_set_unplug_after(cli->sim, cli->opts->unplug_after);
	return TRUE;
}

typedef struct {
	const char *name;
	guint32 base;
	guint32 size;
} CliRegion;

static gboolean
cli_region_contains(guint32 base, guint32 size, guint32 address)
{
	return size != 0 && address >= base && (guint64)address < (guint64)base + size;
}

gboolean
cli_check_range(Cli *cli, guint32 address, guint32 size, gboolean flash_only, const char *what,
		GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(cli->session);
	const GlintChip *chip = info->chip;
	const GlintFlashGeometry *g = &info->geometry;
	guint64 end = (guint64)address + size;
	g_autoptr(GString) list = g_string_new(NULL);

	if (size == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s of 0 bytes at 0x%08X: give a size such as 2K"), what, address);
		return FALSE;
	}
	if (cli_region_contains(g->base, glint_geometry_end(g) - g->base, address)) {
		if (glint_geometry_contains(g, address, size))
			return TRUE;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s 0x%08X..0x%08" PRIX64 " (%u bytes) runs past the end "
			      "of the flash (0x%08X-0x%08X, %u KiB)"),
			    what, address, end - 1, size, g->base, glint_geometry_end(g) - 1,
			    g->size / 1024);
		return FALSE;
	}
	g_string_append_printf(list, "flash 0x%08X-0x%08X", g->base, glint_geometry_end(g) - 1);
	for (guint i = 0; !flash_only && i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		guint64 r_end = (guint64)r->base + r->size;
		if (r->kind == GLINT_REGION_PERIPHERALS)
			continue;
		g_string_append_printf(list, ", %s 0x%08X-0x%08X", glint_tr(r->name), r->base,
				       (guint32)(r_end - 1));
		if (!cli_region_contains(r->base, r->size, address))
			continue;
		if (end <= r_end)
			return TRUE;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s 0x%08X..0x%08" PRIX64 " (%u bytes) runs past the end "
			      "of the %s (0x%08X-0x%08" PRIX64 "): at most "
			      "%" PRIu64 " bytes fit from 0x%08X"),
			    what, address, end - 1, size, glint_tr(r->name), r->base, r_end - 1,
			    r_end - address, address);
		return FALSE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%s address 0x%08X is outside %s of the %s (%s)"), what, address,
		    flash_only ? _("the flash") : _("every memory region"), chip->name, list->str);
	return FALSE;
}

/* Whether [@address, @address + @size) lies in the chip's data EEPROM,
 * which the jobs program and erase as well as flash (and check). */
static gboolean
cli_in_eeprom(const GlintTargetInfo *info, guint32 address, guint64 size)
{
	for (guint i = 0; i < info->chip->n_regions; i++) {
		const GlintMemoryRegion *r = &info->chip->regions[i];
		if (r->kind == GLINT_REGION_EEPROM && address >= r->base &&
		    (guint64)address + size <= (guint64)r->base + r->size)
			return TRUE;
	}
	return FALSE;
}

static gboolean
cli_image_reaches_eeprom(const GlintTargetInfo *info, GlintImage *image)
{
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		if (cli_in_eeprom(info, seg->address, g_bytes_get_size(seg->data)))
			return TRUE;
	}
	return FALSE;
}

static void
cli_print_probe(const GlintProbeInfo *info)
{
	printf("%-26s %-10s %04x:%04x  %s%s\n", info->serial != NULL ? info->serial : "-",
	       glint_probe_kind_to_string(info->kind), info->vid, info->pid,
	       info->description != NULL ? info->description : "",
	       info->kind == GLINT_PROBE_KIND_V1
		   ? _(" (ST-LINK/V1 is not supported: use a V2 or newer)")
		   : "");
}

static gboolean
cli_cmd_probes(Cli *cli, GError **error)
{
	g_autoptr(GPtrArray) probes = NULL;

	if (!cli_expect_operands(cli, 0, 0, "probes", error))
		return FALSE;
	if (cli->sim != NULL || cli->fixture != NULL) {
		if (!cli_open_probe(cli, error))
			return FALSE;
		cli_print_probe(glint_transport_get_info(cli->transport));
		return TRUE;
	}
	probes = glint_usb_list_probes(error);
	if (probes == NULL)
		return FALSE;
	if (probes->len == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
				    _("no ST-LINK probe found on USB (is it plugged in, and are "
				      "Glint's udev rules installed?)"));
		return FALSE;
	}
	for (guint i = 0; i < probes->len; i++)
		cli_print_probe(g_ptr_array_index(probes, i));
	return TRUE;
}

static void
cli_print_protection(const GlintTargetInfo *info)
{
	const GlintOptionLayout *layout = info->chip->options;
	gboolean any = FALSE;

	printf(_("Read protection:  level %s (RDP=0x%02X)\n"),
	       glint_rdp_rank_name(glint_option_bytes_rdp_rank(&info->options)),
	       glint_option_bytes_rdp_raw(&info->options));
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		g_autofree gchar *covers = NULL;
		if (!glint_option_bytes_area_active(&info->options, area) ||
		    glint_geometry_bank_of_physical(&info->geometry, area->bank) < 0)
			continue;
		covers = glint_option_bytes_describe_area(&info->options, area, &info->geometry);
		printf(_("%s %s %s\n"),
		       area->type == GLINT_PROTECT_WRP	   ? _("Write protection:")
		       : area->type == GLINT_PROTECT_PCROP ? _("Execute-only:    ")
							   : _("Secure area:     "),
		       area->name, covers);
		any = area->type == GLINT_PROTECT_WRP || any;
	}
	if (!any)
		printf(_("Write protection: none\n"));
}

static gboolean
cli_cmd_info(Cli *cli, GError **error)
{
	const GlintTargetInfo *info;
	const GlintProbeInfo *probe;
	const GlintOptionField *bfb2;
	g_autofree gchar *shape = NULL;

	if (!cli_expect_operands(cli, 0, 0, "info", error))
		return FALSE;
	if (!cli_connect(cli, error))
		return FALSE;
	info = glint_session_get_target_info(cli->session);
	probe = glint_transport_get_info(cli->transport);
	printf(_("Probe:            %s, serial %s, firmware %s\n"),
	       probe->description != NULL ? probe->description
					  : glint_probe_kind_to_string(probe->kind),
	       probe->serial != NULL ? probe->serial : "-",
	       info->probe_version != NULL ? info->probe_version : "?");
	printf(_("Target voltage:   %.2f V\n"), info->voltage);
	printf("Chip:             %s (%s), %s\n", info->chip->name,
	       info->chip->parts != NULL ? info->chip->parts : "-",
	       info->chip->core != NULL ? info->chip->core : "-");
	printf(_("Device id:        0x%03X, revision 0x%04X (rev %s)\n"), info->dev_id,
	       info->rev_id, info->rev_name != NULL ? info->rev_name : _("unknown revision"));
	printf("CPUID:            0x%08X\n", info->cpuid);
	shape = glint_geometry_describe(&info->geometry);
	printf(_("Flash:            %u KiB at 0x%08X-0x%08X, %s\n"), info->flash_kb,
	       info->geometry.base, glint_geometry_end(&info->geometry) - 1, shape);
	printf(_("Unique id:        %s\n"), info->uid);
	cli_print_protection(info);
	bfb2 = glint_option_layout_find_field(info->chip->options, "BFB2");
	if (bfb2 != NULL && info->geometry.n_banks > 1) {
		guint32 value = glint_option_bytes_get_field(&info->options, bfb2);
		/* AN2606 dual-bank boot: what the system bootloader will start.
		 * The factory value boots bank 1 (BFB2 = 1 on the STM32L1, 0
		 * elsewhere). */
		gboolean bank2_boot = value != bfb2->factory;
		printf(_("Boot:             BFB2=%u%s\n"), value,
		       !bank2_boot	   ? _(": bank 1 boots directly")
		       : info->bank2_empty ? _(", but bank 2 holds no valid image: the system "
					       "bootloader starts bank 1 instead")
					   : _(": the system bootloader starts bank 2"));
	}
	if (info->flash_sr != 0) {
		g_autofree gchar *names = glint_chip_describe_status(
		    info->chip, info->flash_sr & glint_chip_status_errors(info->chip));
		g_autofree gchar *label =
		    g_strdup_printf("%s:", glint_chip_status_name(info->chip));
		printf(_("%-17s 0x%08X at connect (%s)\n"), label, info->flash_sr, names);
	}
	return TRUE;
}

static gboolean
cli_cmd_diagnose(Cli *cli, GError **error)
{
	g_autoptr(GPtrArray) findings = NULL;

	if (!cli_expect_operands(cli, 0, 0, "diagnose", error))
		return FALSE;
	if (!cli_connect(cli, error))
		return FALSE;
	findings = glint_job_diagnose(cli->session, cli->cancellable, error);
	if (findings == NULL)
		return FALSE;
	if (findings->len == 0) {
		printf(_("No problems found.\n"));
		return TRUE;
	}
	for (guint i = 0; i < findings->len; i++) {
		const GlintFinding *f = g_ptr_array_index(findings, i);
		g_autofree gchar *command = cli_fix_command(cli, f->fix_kind, f->title);
		printf("%s: %s: %s\n", glint_severity_to_string(f->severity), f->id, f->title);
		if (f->impact != NULL)
			printf(_("  impact: %s\n"), f->impact);
		if (f->fix != NULL)
			printf(_("  fix: %s\n"), f->fix);
		if (command != NULL)
			printf(_("  run: %s\n"), command);
	}
	return TRUE;
}

static gboolean
cli_cmd_reset(Cli *cli, GError **error)
{
	if (!cli_expect_operands(cli, 0, 0, "reset [--halt]", error))
		return FALSE;
	if (!cli_connect(cli, error))
		return FALSE;
	if (!glint_job_reset(cli->session, GLINT_RESET_AUTO, cli->opts->halt, cli->cancellable,
			     error))
		return FALSE;
	printf(_("Target reset; core %s.\n"),
	       cli->opts->halt ? _("halted at the reset vector") : _("running"));
	return TRUE;
}

static gboolean
cli_finish_job(Cli *cli, gboolean ok, GlintJobResult *result)
{
	if (ok)
		cli_print_summary(cli, result);
	else
		cli_progress_fail(cli);
	glint_job_result_clear(result);
	return ok;
}

/* The global indices of the units named in @list ("0-3,8": numbers as the
 * reference manual gives them) in physical bank @bank (0: any bank where the
 * number is unique), increasing. */
static GArray *
cli_units_from_list(const GlintFlashGeometry *g, const char *list, guint bank, GError **error)
{
	g_autoptr(GArray) indices = g_array_new(FALSE, FALSE, sizeof(guint));
	g_auto(GStrv) parts = g_strsplit(list, ",", -1);
	g_autofree gboolean *chosen = g_new0(gboolean, g->n_units);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_auto(GStrv) ends = g_strsplit(g_strstrip(parts[i]), "-", 2);
		guint64 first, last;
		if (ends[0] == NULL ||
		    !g_ascii_string_to_unsigned(ends[0], 10, 0, 9999, &first, NULL) ||
		    (ends[1] != NULL &&
		     !g_ascii_string_to_unsigned(ends[1], 10, 0, 9999, &last, NULL))) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("bad --units '%s': give decimal %s numbers such as 0-3,8"),
				    list, g->unit_name);
			return NULL;
		}
		if (ends[1] == NULL)
			last = first;
		for (guint64 n = first; n <= last; n++) {
			GlintFlashUnit unit;
			guint found = 0;
			for (guint b = 0; b < g->n_banks; b++) {
				if (bank != 0 && g->banks[b].physical != bank - 1)
					continue;
				if (glint_geometry_unit_by_number(g, g->banks[b].physical, (guint)n,
								  &unit)) {
					chosen[unit.index] = TRUE;
					found++;
				}
			}
			if (found == 1)
				continue;
			if (found > 1)
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("%s %" PRIu64
					      " exists in both banks: add --bank 1 or --bank 2"),
					    _(g->unit_name), n);
			else if (bank != 0)
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("%s %" PRIu64 " does not exist in bank %u"),
					    _(g->unit_name), n, bank);
			else
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("%s %" PRIu64 " does not exist"), _(g->unit_name), n);
			return NULL;
		}
	}
	for (guint i = 0; i < g->n_units; i++) {
		if (chosen[i])
			g_array_append_val(indices, i);
	}
	return g_steal_pointer(&indices);
}

static gboolean
cli_cmd_erase(Cli *cli, GError **error)
{
	g_autoptr(GlintProgress) progress = NULL;
	g_autoptr(GArray) units = NULL;
	GlintJobResult result = {0};
	guint32 address = 0, size = 0;
	gboolean by_units = cli->opts->units != NULL;
	gboolean by_bank = cli->opts->bank != 0 && !by_units;
	gboolean ok;

	if (cli->opts->mass || by_bank) {
		if (!cli_expect_operands(
			cli, 0, 0, by_bank ? "erase --bank N --confirm" : "erase --mass --confirm",
			error))
			return FALSE;
		if (!cli->opts->confirm) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
				    _("%s: add --confirm to go ahead"),
				    by_bank ? _("a bank erase erases a whole bank")
					    : _("mass erase erases all of the flash"));
			return FALSE;
		}
	} else if (by_units) {
		if (!cli_expect_operands(cli, 0, 0, "erase --units LIST [--bank N]", error))
			return FALSE;
	} else {
		if (!cli_expect_operands(
			cli, 2, 2,
			/* TRANSLATORS: only "or" is prose; the rest is command syntax */
			_("erase ADDR SIZE  (or erase --units LIST, erase --bank N "
			  "--confirm, erase --mass --confirm)"),
			error))
			return FALSE;
		if (!cli_parse_number(cli_operand(cli, 0), _("address"), FALSE, &address, error) ||
		    !cli_parse_number(cli_operand(cli, 1), _("size"), TRUE, &size, error))
			return FALSE;
	}
	if (!cli_connect(cli, error))
		return FALSE;
	progress = cli_progress_new(cli);
	if (cli->opts->mass) {
		ok = glint_job_erase_mass(cli->session, GLINT_CONFIRM_RISKY, progress,
					  cli->cancellable, &result, error);
	} else if (by_bank) {
		ok = glint_job_erase_bank(cli->session, cli->opts->bank - 1, GLINT_CONFIRM_RISKY,
					  progress, cli->cancellable, &result, error);
	} else if (by_units) {
		const GlintTargetInfo *info = glint_session_get_target_info(cli->session);
		units =
		    cli_units_from_list(&info->geometry, cli->opts->units, cli->opts->bank, error);
		if (units == NULL)
			return FALSE;
		ok = glint_job_erase_units(cli->session, (const guint *)(gpointer)units->data,
					   units->len, progress, cli->cancellable, &result, error);
	} else {
		const GlintTargetInfo *info = glint_session_get_target_info(cli->session);
		if (!cli_in_eeprom(info, address, size) &&
		    !cli_check_range(cli, address, size, TRUE, "erase", error))
			return FALSE;
		ok = glint_job_erase_range(cli->session, address, size, progress, cli->cancellable,
					   &result, error);
	}
	return cli_finish_job(cli, ok, &result);
}

GlintImage *
cli_load_image_file(Cli *cli, const char *path, guint32 flash_base, GError **error)
{
	GlintImageLoadOptions options = {
	    .format = GLINT_IMAGE_FORMAT_AUTO,
	    .bin_base = cli->opts->base_set ? cli->opts->base : flash_base,
	};
	g_autoptr(GlintImage) image = NULL;
	GlintImageFormat format;

	image = glint_image_load_file(path, &options, cli->cancellable, error);
	if (image == NULL)
		return NULL;
	/* Moving every record of a .hex by hand is not what --base means for
	 * a raw binary; silently ignoring it would program somewhere else
	 * than the user asked. */
	format = glint_image_get_format(image);
	if (cli->opts->base_set && format != GLINT_IMAGE_FORMAT_BIN) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("--base 0x%08X applies to raw binary files only: %s is %s, which "
			      "carries its own addresses; drop --base (or convert the file to .bin "
			      "to place it elsewhere)"),
			    cli->opts->base, path, glint_image_format_to_string(format));
		return NULL;
	}
	return g_steal_pointer(&image);
}

/* Loads the file before connecting (so a bad file fails fast), then once
 * connected re-places a raw binary if the chip's flash is elsewhere and
 * checks that every byte lands in the flash. */
static GlintImage *
cli_prepare_image(Cli *cli, GError **error)
{
	const char *path = cli_operand(cli, 0);
	g_autoptr(GlintImage) image = cli_load_image_file(cli, path, CLI_DEFAULT_FLASH_BASE, error);
	const GlintTargetInfo *info;

	if (image == NULL)
		return NULL;
	if (!cli_connect(cli, error))
		return NULL;
	info = glint_session_get_target_info(cli->session);
	if (glint_image_get_format(image) == GLINT_IMAGE_FORMAT_BIN && !cli->opts->base_set &&
	    info->geometry.base != CLI_DEFAULT_FLASH_BASE) {
		g_clear_pointer(&image, glint_image_unref);
		image = cli_load_image_file(cli, path, info->geometry.base, error);
		if (image == NULL)
			return NULL;
	}
	/* an image with data EEPROM segments: the job checks each segment */
	if (!cli_image_reaches_eeprom(info, image) &&
	    !glint_image_check_range(image, info->geometry.base, info->geometry.size, "flash",
				     error))
		return NULL;
	/* A raw binary carries no address: say which one it went to. */
	if (glint_image_get_format(image) == GLINT_IMAGE_FORMAT_BIN && !cli->opts->base_set) {
		g_autofree gchar *line = g_strdup_printf(
		    _("%s is a raw binary without an address: placed at 0x%08X, the start of the "
		      "%s flash (--base ADDR to choose)"),
		    path, info->geometry.base, info->chip->name);
		cli_print_log_line(cli, "", line);
	}
	return g_steal_pointer(&image);
}

static gboolean
cli_cmd_program(Cli *cli, GError **error)
{
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GlintProgress) progress = NULL;
	GlintProgramOptions options = {
	    .verify = cli->opts->verify,
	    .no_erase = cli->opts->no_erase,
	    .no_preserve = cli->opts->no_preserve,
	    .reset_run = cli->opts->reset_run,
	    .smart = cli->opts->smart,
	    .no_loader = cli->opts->no_loader,
	    .readback_verify = cli->opts->readback_verify,
	};
	GlintJobResult result = {0};
	gboolean ok;

	if (!cli_expect_operands(
		cli, 1, 1, "program FILE [--base ADDR] [--verify] [--no-erase] [--reset]", error))
		return FALSE;
	image = cli_prepare_image(cli, error);
	if (image == NULL)
		return FALSE;
	progress = cli_progress_new(cli);
	ok = glint_job_program(cli->session, image, &options, progress, cli->cancellable, &result,
			       error);
	if (ok)
		cli_remember_programmed(cli, cli_operand(cli, 0),
					glint_image_get_format(image) == GLINT_IMAGE_FORMAT_ELF);
	return cli_finish_job(cli, ok, &result);
}

static gboolean
cli_cmd_verify(Cli *cli, GError **error)
{
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GlintProgress) progress = NULL;
	GlintJobResult result = {0};
	gboolean ok;

	if (!cli_expect_operands(cli, 1, 1, "verify FILE [--base ADDR]", error))
		return FALSE;
	image = cli_prepare_image(cli, error);
	if (image == NULL)
		return FALSE;
	progress = cli_progress_new(cli);
	ok = glint_job_verify(cli->session, image, progress, cli->cancellable, &result, error);
	if (ok) {
		cli_progress_end(cli);
		printf(_("Flash matches %s.\n"), cli_operand(cli, 0));
	}
	return cli_finish_job(cli, ok, &result);
}

/* Everything that would make the save fail, checked before the chip is
 * read: a format Glint does not write, a directory that is not there or
 * not writable, and an existing output that is not a regular file (a FIFO
 * would block the write) or is read-only. */
static gboolean
cli_check_output(const char *path, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	gboolean exists = FALSE;

	if (glint_image_format_from_extension(path) == GLINT_IMAGE_FORMAT_ELF) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("cannot write %s: Glint does not write ELF files; name the output "
			      ".bin, .hex or .srec"),
			    path);
		return FALSE;
	}
	if (!glint_file_check_regular(path, _("output file"), &exists, error))
		return FALSE;
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("cannot write %s: the directory %s does not exist"), path, dir);
		return FALSE;
	}
	if (access(dir, W_OK) != 0) {
		int errsv = errno;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("cannot write %s: directory %s: %s"), path, dir, g_strerror(errsv));
		return FALSE;
	}
	if (exists && access(path, W_OK) != 0) {
		int errsv = errno;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("cannot write %s: %s; choose another name or make it writable"), path,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

static gboolean
cli_cmd_read(Cli *cli, GError **error)
{
	g_autoptr(GlintProgress) progress = NULL;
	g_autoptr(GBytes) data = NULL;
	GlintJobResult result = {0};
	guint32 address = 0, size = 0;
	const guint8 *bytes;
	gsize len = 0;

	if (!cli_expect_operands(cli, 2, 2, "read ADDR SIZE -o FILE", error))
		return FALSE;
	if (!cli_parse_number(cli_operand(cli, 0), _("address"), FALSE, &address, error) ||
	    !cli_parse_number(cli_operand(cli, 1), _("size"), TRUE, &size, error))
		return FALSE;
	if (cli->opts->output == NULL) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("read needs an output file: glint-cli read ADDR SIZE -o FILE "
				      "(.bin, .hex or .srec)"));
		return FALSE;
	}
	if (!cli_check_output(cli->opts->output, error))
		return FALSE;
	if (!cli_connect(cli, error))
		return FALSE;
	if (!cli_check_range(cli, address, size, FALSE, "read", error))
		return FALSE;
	progress = cli_progress_new(cli);
	data =
	    glint_job_read(cli->session, address, size, progress, cli->cancellable, &result, error);
	if (data == NULL)
		return cli_finish_job(cli, FALSE, &result);
	bytes = g_bytes_get_data(data, &len);
	if (!glint_image_write_file(cli->opts->output, GLINT_IMAGE_FORMAT_AUTO, address, bytes, len,
				    error))
		return cli_finish_job(cli, FALSE, &result);
	cli_progress_end(cli);
	printf(_("Saved %zu bytes from 0x%08X to %s.\n"), len, address, cli->opts->output);
	return cli_finish_job(cli, TRUE, &result);
}

gboolean
cli_run_command(Cli *cli, GError **error)
{
	static const struct {
		const char *name;
		gboolean (*func)(Cli *cli, GError **error);
	} commands[] = {
	    {"probes", cli_cmd_probes}, {"info", cli_cmd_info},	  {"diagnose", cli_cmd_diagnose},
	    {"reset", cli_cmd_reset},	{"erase", cli_cmd_erase}, {"program", cli_cmd_program},
	    {"verify", cli_cmd_verify}, {"read", cli_cmd_read},	  {"options", cli_cmd_options},
	    {"image", cli_cmd_image},	{"fix", cli_cmd_fix},	  {"auto", cli_cmd_auto},
	    {"recipe", cli_cmd_recipe}, {"swo", cli_cmd_swo},	  {"rtt", cli_cmd_rtt},
	    {"core", cli_cmd_core},	{"fault", cli_cmd_fault}, {"watch", cli_cmd_watch},
	};

	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (g_strcmp0(commands[i].name, cli->opts->command) == 0)
			return commands[i].func(cli, error);
	}
	/* cli_options_parse() already refused unknown commands. */
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, _("unknown command '%s'"),
		    cli->opts->command);
	return FALSE;
}
