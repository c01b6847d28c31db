/* sim-clock.c: charging modelled device time (constants in sim-clock.h). */
#define G_LOG_DOMAIN "glint-sim"

#include "sim-private.h"

static gboolean
sim_is_high_speed(GlintSim *sim)
{
	return sim->kind == GLINT_PROBE_KIND_V3;
}

void
sim_clock_advance(GlintSim *sim, gint64 ns)
{
	if (ns > 0)
		sim->now_ns += ns;
}

void
sim_clock_advance_to(GlintSim *sim, gint64 t)
{
	if (t > sim->now_ns)
		sim->now_ns = t;
}

void
sim_clock_host_activity(GlintSim *sim)
{
	gint64 wall, gap;
	if (!sim->count_host_idle)
		return;
	wall = g_get_monotonic_time() * 1000;
	gap = sim->host_last_wall_ns != 0 ? wall - sim->host_last_wall_ns : 0;
	if (gap > SIM_HOST_IDLE_MIN_NS)
		sim_clock_advance(sim, gap);
}

void
sim_clock_host_done(GlintSim *sim)
{
	if (sim->count_host_idle)
		sim->host_last_wall_ns = g_get_monotonic_time() * 1000;
}

void
glint_sim_set_count_host_idle(GlintSim *sim, gboolean on)
{
	g_return_if_fail(sim != NULL);
	sim->count_host_idle = on;
	sim->host_last_wall_ns = 0;
}

void
sim_clock_usb_command(GlintSim *sim, gsize data_bytes)
{
	if (sim_is_high_speed(sim)) {
		sim_clock_advance(sim, SIM_USB_HS_COMMAND_NS);
		/* bytes / (bytes per second), in ns */
		sim_clock_advance(sim, (gint64)data_bytes * G_GINT64_CONSTANT(1000000000) /
					   SIM_USB_HS_BYTES_PER_S);
		return;
	}
	sim_clock_advance(sim, SIM_USB_FS_COMMAND_NS);
	if (data_bytes > 0) {
		/* a full-speed frame carries at most 19 bulk packets of 64 bytes */
		guint64 packets =
		    (data_bytes + SIM_USB_FS_PACKET_SIZE - 1) / SIM_USB_FS_PACKET_SIZE;
		sim_clock_advance(
		    sim, (gint64)(packets * SIM_USB_FRAME_NS / SIM_USB_FS_PACKETS_PER_FRAME));
	}
}

void
sim_clock_swd_accesses(GlintSim *sim, guint64 n)
{
	guint khz = sim->swd_khz > 0 ? sim->swd_khz : SIM_SWD_DEFAULT_KHZ;
	/* cycles / (kHz * 1000) seconds = cycles * 1e6 / kHz ns */
	sim_clock_advance(
	    sim, (gint64)(n * SIM_SWD_CYCLES_PER_ACCESS * G_GUINT64_CONSTANT(1000000) / khz));
}

void
sim_flash_op_begin(GlintSim *sim, gint64 ns)
{
	sim->flash_op.active = TRUE;
	sim->flash_op.until = sim->now_ns + ns;
}

gboolean
sim_flash_op_ended(GlintSim *sim)
{
	if (!sim->flash_op.active || sim->now_ns < sim->flash_op.until)
		return FALSE;
	sim->flash_op.active = FALSE;
	return TRUE;
}

void
sim_flash_op_wait(GlintSim *sim)
{
	if (sim->flash_op.active)
		sim_clock_advance_to(sim, sim->flash_op.until);
}
