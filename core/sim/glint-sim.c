/* glint-sim.c: the GlintSim object: life cycle, probe personality, power,
 * statistics and the in-process transport. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "sim-faults.h"
#include "sim-private.h"

gboolean
sim_debugger_attached(GlintSim *sim)
{
	return sim->mode == STLINK_MODE_DEBUG || (sim->core.dhcsr_c & DHCSR_C_DEBUGEN) != 0;
}

gboolean
sim_debugger_seen(GlintSim *sim)
{
	return sim->debug_seen;
}

/* Power-on: option bytes load, then everything resets. */
void
sim_board_power_on(GlintSim *sim)
{
	sim->debug_seen = FALSE;
	for (guint i = 0; i < sim->machine->n_regions; i++) {
		if (sim->machine->regions[i].kind == SIM_REGION_SRAM)
			memset(sim->mem[i], 0, sim->mem_size[i]);
	}
	if (sim->machine->ops->power_on != NULL)
		sim->machine->ops->power_on(sim);
	sim_core_power_on(sim);
	sim_clock_advance(sim, SIM_OBL_RESET_NS);
	/* the core starts once the power-on reset is over */
	sim->cpu.ns = MAX(sim->cpu.ns, sim->now_ns);
}

static GlintSim *
sim_alloc(const SimBoard *board)
{
	GlintSim *sim = g_new0(GlintSim, 1);
	sim->ref_count = 1;
	/* the board's own probe; glint_sim_set_probe_kind() overrides it */
	sim->kind = board->probe != GLINT_PROBE_KIND_UNKNOWN ? board->probe : GLINT_PROBE_KIND_V2;
	sim->jtag_version = 37;
	sim->swim_version = 7;
	sim->target_mv = 3300;
	sim->periph = g_hash_table_new(g_direct_hash, g_direct_equal);
	sim->board = board;
	sim->machine = board->machine;
	sim->flash_kb = board->flash_kb;
	sim->dbgmcu_idcode = board->idcode;
	if (sim->machine->ops->state_new != NULL)
		sim->machine_state = sim->machine->ops->state_new(sim);
	/* every region erased (SRAM zero) */
	sim_regions_alloc(sim);
	sim_periph_map_init(sim);
	sim_core_init(sim);
	sim_trace_init(sim);
	sim_probe_init(sim);
	return sim;
}

GlintSim *
sim_new_internal(const SimBoard *board, const SimScenario *scenario, const char *serial)
{
	g_autoptr(GlintSim) sim = sim_alloc(board);
	gchar def[32];
	sim->scenario = g_strdup(scenario->name);
	sim->spec = sim_spec_short(board, scenario->name);
	sim_scenario_apply(sim, scenario);
	/* the serial follows the short name: "wrp" and "nucleo-l476rg:wrp" are
	 * the same board */
	sim_scenario_default_serial(sim->spec, def, sizeof(def));
	sim->serial = g_strdup(serial != NULL ? serial : def);
	sim_fill_info(sim);
	sim_board_power_on(sim);
	sim_scenario_first_boot(sim, scenario);
	sim->now_ns = 0;
	sim->cpu.ns = 0;
	return g_steal_pointer(&sim);
}

GlintSim *
glint_sim_new(const char *spec, GError **error)
{
	const SimBoard *board;
	const SimScenario *scenario;
	if (!sim_spec_resolve(spec, &board, &scenario, error))
		return NULL;
	return sim_new_internal(board, scenario, NULL);
}

GlintSim *
glint_sim_ref(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, NULL);
	g_atomic_int_inc(&sim->ref_count);
	return sim;
}

void
glint_sim_unref(GlintSim *sim)
{
	if (sim == NULL || !g_atomic_int_dec_and_test(&sim->ref_count))
		return;
	sim_probe_clear(sim);
	sim_core_clear(sim);
	sim_trace_clear(sim);
	g_clear_pointer(&sim->periph, g_hash_table_unref);
	sim_periph_map_clear(sim);
	sim_regions_free(sim);
	if (sim->machine_state != NULL && sim->machine->ops->state_free != NULL)
		sim->machine->ops->state_free(sim->machine_state);
	g_free(sim->scenario);
	g_free(sim->spec);
	g_free(sim->serial);
	g_free(sim);
}

const char *
glint_sim_get_scenario(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, NULL);
	return sim->scenario;
}

const char *
glint_sim_get_board(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, NULL);
	return sim->board->name;
}

const char *
glint_sim_get_spec(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, NULL);
	return sim->spec;
}

void
glint_sim_set_probe_kind(GlintSim *sim, GlintProbeKind kind)
{
	g_return_if_fail(sim != NULL);
	sim->kind = kind;
}

GlintProbeKind
glint_sim_get_probe_kind(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, GLINT_PROBE_KIND_UNKNOWN);
	return sim->kind;
}

guint
glint_sim_get_max_swd_khz(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, 0);
	return sim_probe_max_swd_khz(sim);
}

void
glint_sim_set_firmware_version(GlintSim *sim, guint jtag_version)
{
	g_return_if_fail(sim != NULL);
	sim->jtag_version = jtag_version;
}

void
glint_sim_set_serial(GlintSim *sim, const char *serial)
{
	g_return_if_fail(sim != NULL);
	g_return_if_fail(serial != NULL);
	g_free(sim->serial);
	sim->serial = g_strdup(serial);
	/* the unique ID follows the serial so that two boards differ */
	sim_fill_info(sim);
}

void
glint_sim_set_binary_serial(GlintSim *sim, gboolean binary)
{
	g_return_if_fail(sim != NULL);
	sim->binary_serial = binary;
}

gboolean
glint_sim_get_binary_serial(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, FALSE);
	return sim->binary_serial;
}

const char *
glint_sim_get_serial(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, NULL);
	return sim->serial;
}

static const char *
sim_kind_label(GlintProbeKind kind)
{
	switch (kind) {
	case GLINT_PROBE_KIND_V1:
		return "ST-LINK/V1";
	case GLINT_PROBE_KIND_V2_1:
		return "ST-LINK/V2-1";
	case GLINT_PROBE_KIND_V3:
		return "STLINK-V3";
	default:
		return "ST-LINK/V2";
	}
}

GlintProbeInfo *
glint_sim_get_probe_info(GlintSim *sim)
{
	GlintProbeInfo *info;
	g_return_val_if_fail(sim != NULL, NULL);
	info = g_new0(GlintProbeInfo, 1);
	info->kind = sim->kind;
	info->vid = 0x0483;
	info->pid = sim_probe_pid(sim->kind);
	info->serial = g_strdup(sim->serial);
	info->description = g_strdup_printf(_("%s (simulated %s, %s)"), sim_kind_label(sim->kind),
					    sim->board->title, sim->scenario);
	info->simulated = TRUE;
	info->max_packet = sim->kind == GLINT_PROBE_KIND_V3 ? 512 : 64;
	return info;
}

gint64
glint_sim_get_time_ns(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, 0);
	return sim->now_ns;
}

void
glint_sim_reset_time(GlintSim *sim)
{
	g_return_if_fail(sim != NULL);
	/* keep BSY windows relative to the new origin */
	if (sim->flash_op.active)
		sim->flash_op.until -= sim->now_ns;
	sim->cpu.ns -= sim->now_ns;
	sim->cpu.syst_next_ns -= sim->now_ns;
	sim->now_ns = 0;
}

void
glint_sim_set_command_hook(GlintSim *sim, GlintSimCommandHook hook, gpointer user_data)
{
	g_return_if_fail(sim != NULL);
	sim->hook = hook;
	sim->hook_data = user_data;
}

void
glint_sim_unplug(GlintSim *sim)
{
	g_return_if_fail(sim != NULL);
	sim->unplugged = TRUE;
	sim_probe_clear(sim);
}

void
glint_sim_set_unplug_after(GlintSim *sim, guint64 count)
{
	g_return_if_fail(sim != NULL);
	sim->unplug_at = count == 0 ? 0 : sim->command_count + count;
}

gboolean
glint_sim_is_unplugged(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, TRUE);
	return sim->unplugged;
}

void
glint_sim_set_target_voltage_mv(GlintSim *sim, guint mv)
{
	gboolean was_off;
	g_return_if_fail(sim != NULL);
	/* below brown-out the chip is held in reset (sim-faults.c) */
	was_off = sim->target_mv < sim_faults_bor_mv(sim);
	sim->target_mv = mv;
	/* powering the target up is a power-on reset */
	if (was_off && mv >= sim_faults_bor_mv(sim))
		sim_board_power_on(sim);
}

void
glint_sim_inject_target_status(GlintSim *sim, guint8 status, guint count)
{
	g_return_if_fail(sim != NULL);
	sim->inject_status = status;
	sim->inject_count = count;
}

void
glint_sim_set_nrst_wired(GlintSim *sim, gboolean wired)
{
	g_return_if_fail(sim != NULL);
	sim->nrst_unwired = !wired;
	if (!wired && sim->core.nrst_low)
		sim_set_nrst(sim, FALSE);
}

void
glint_sim_power_cycle(GlintSim *sim)
{
	g_return_if_fail(sim != NULL);
	sim_board_power_on(sim);
}

void
glint_sim_get_stats(GlintSim *sim, GlintSimStats *stats)
{
	g_return_if_fail(sim != NULL);
	g_return_if_fail(stats != NULL);
	*stats = sim->stats;
}

/* The in-process transport: bulk_out/bulk_in called directly. */
typedef struct {
	GlintTransport parent;
	GlintSim *sim;
} SimTransport;

static gboolean
sim_transport_command(GlintTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len,
		      guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	GlintSim *sim = ((SimTransport *)self)->sim;
	gsize avail, got;
	if (sim->unplugged) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("Simulated probe %s was unplugged; reconnect it and retry"),
			    sim->serial);
		return FALSE;
	}
	glint_sim_bulk_out(sim, cmd, GLINT_STLINK_CMD_SIZE);
	if (out != NULL && out_len > 0)
		glint_sim_bulk_out(sim, out, out_len);
	if (sim->unplugged) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("Simulated probe %s vanished during command %02X %02X"), sim->serial,
			    cmd[0], cmd[1]);
		return FALSE;
	}
	if (in == NULL || in_len == 0)
		return TRUE;
	avail = sim_probe_pending_reply(sim);
	if (avail == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
			    _("Simulated probe %s sent no reply to command %02X %02X within %u ms"),
			    sim->serial, cmd[0], cmd[1], timeout_ms);
		return FALSE;
	}
	/* a reply longer than asked for that does not end on a packet boundary
	 * overflows the host buffer, as libusb reports it */
	if (avail > in_len && in_len % self->info.max_packet != 0) {
		sim_probe_clear(sim);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("Reply to command %02X %02X overflowed: %zu bytes for a %zu-byte "
			      "buffer"),
			    cmd[0], cmd[1], avail, in_len);
		return FALSE;
	}
	got = glint_sim_bulk_in(sim, in, in_len);
	if (got < in_len) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("Short reply to command %02X %02X: %zu of %zu bytes (status 0x%02X)"),
			    cmd[0], cmd[1], got, in_len, in[0]);
		return FALSE;
	}
	return TRUE;
}

static gint64
sim_transport_device_time(GlintTransport *self)
{
	return ((SimTransport *)self)->sim->now_ns;
}

static gboolean
sim_transport_read_trace(GlintTransport *self, guint8 *buf, gsize len, gsize *got, guint timeout_ms,
			 GError **error)
{
	GlintSim *sim = ((SimTransport *)self)->sim;
	if (sim->unplugged) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("Simulated probe %s was unplugged; reconnect it and retry"),
			    sim->serial);
		return FALSE;
	}
	*got = glint_sim_trace_in(sim, buf, len);
	return TRUE;
}

/* The host waits: the board's time passes and its core runs meanwhile */
static void
sim_transport_idle(GlintTransport *self, gint64 ns)
{
	glint_sim_advance_time(((SimTransport *)self)->sim, ns);
}

static void
sim_transport_finalize(GlintTransport *self)
{
	glint_sim_unref(((SimTransport *)self)->sim);
	g_free(self);
}

static const GlintTransportClass sim_transport_class = {
    .command = sim_transport_command,
    .device_time_ns = sim_transport_device_time,
    .finalize = sim_transport_finalize,
    .read_trace = sim_transport_read_trace,
    .idle = sim_transport_idle,
};

GlintTransport *
glint_sim_transport_new(GlintSim *sim)
{
	SimTransport *t;
	g_autoptr(GlintProbeInfo) info = NULL;
	g_return_val_if_fail(sim != NULL, NULL);
	t = g_new0(SimTransport, 1);
	info = glint_sim_get_probe_info(sim);
	glint_transport_init(&t->parent, &sim_transport_class, info);
	t->sim = glint_sim_ref(sim);
	return &t->parent;
}
