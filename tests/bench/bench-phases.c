/* bench-phases: where Glint's time goes on one board, phase by phase, in
 * modelled device time (the emulator's virtual clock, exact in-process).
 *
 *   bench-phases BOARD [IMAGE_KB]
 *
 * Programs a random image (seed 1, the benchmark's) filling the flash, or
 * IMAGE_KB of it, with Glint's defaults (loader, CRC verify), and prints for
 * connect and for each phase of the program job (and each line of its log)
 * the modelled seconds, the probe commands, the bytes over USB and the
 * instructions the target's core executed. A debugging aid for the timing
 * model (docs/timing-model.md); no figure is checked. */
#include <glib.h>
#include <stdlib.h>

#include "glint-core.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u

typedef struct {
	GlintSim *sim;
	gint64 t_ns;
	GlintSimStats stats;
	gchar *phase;
} Mark;

static void
mark_print(Mark *m, const char *what)
{
	GlintSimStats now;
	gint64 t = glint_sim_get_time_ns(m->sim);
	glint_sim_get_stats(m->sim, &now);
	g_print("%-40.40s %9.4f s  %7" G_GUINT64_FORMAT " cmds  %9" G_GUINT64_FORMAT
		" USB B  %11" G_GUINT64_FORMAT " insns\n",
		what, (t - m->t_ns) / 1e9, now.usb_commands - m->stats.usb_commands,
		now.usb_bytes - m->stats.usb_bytes, now.instructions - m->stats.instructions);
	m->t_ns = t;
	m->stats = now;
}

static void
on_progress(const GlintProgressUpdate *update, gpointer user_data)
{
	Mark *m = user_data;
	const char *phase = update->phase != NULL ? update->phase : "";
	if (g_strcmp0(phase, m->phase) == 0)
		return;
	if (m->phase != NULL)
		mark_print(m, m->phase);
	else
		mark_print(m, "(program job: before its first phase)");
	g_free(m->phase);
	m->phase = g_strdup(phase);
}

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	(void)level;
	(void)user_data;
	g_print("    log: %s\n", message);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GlintProgress) progress = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	GlintSession *session;
	Mark m = {0};
	gsize len;
	g_autofree guint8 *data = NULL;
	gint64 t0;
	guint32 seed = 1;

	if (argc < 2) {
		g_printerr("usage: bench-phases BOARD [IMAGE_KB]\n");
		return 2;
	}
	sim = glint_sim_new(argv[1], &error);
	if (sim == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	len = glint_sim_get_writable_flash_size(sim);
	if (argc > 2)
		len = MIN(len, (gsize)g_ascii_strtoull(argv[2], NULL, 10) * 1024);
	/* the benchmark's image (bench-harness.c random_bytes) */
	data = g_malloc(len);
	{
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		for (gsize i = 0; i < len; i++)
			data[i] = g_rand_int(rand) & 0xFF;
	}
	if (!glint_image_add(image, FLASH_BASE, data, len, "random", &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	transport = glint_sim_transport_new(sim);
	session = glint_session_new(transport);
	m.sim = sim;
	m.t_ns = t0 = glint_sim_get_time_ns(sim);
	glint_sim_get_stats(sim, &m.stats);
	if (!glint_job_connect(session, NULL, NULL, NULL, &error)) {
		g_printerr("connect: %s\n", error->message);
		return 1;
	}
	mark_print(&m, "connect");
	progress = glint_progress_new(on_progress, on_log, &m);
	if (!glint_job_program(session, image, &options, progress, NULL, &result, &error)) {
		g_printerr("program: %s\n", error->message);
		return 1;
	}
	mark_print(&m, m.phase != NULL ? m.phase : "program");
	g_print("%-40s %9.4f s  (%s%s)  %" G_GSIZE_FORMAT " KiB\n", "total",
		(glint_sim_get_time_ns(sim) - t0) / 1e9, result.loader_used ? "loader" : "direct",
		result.fast_programmed ? ", fast programming" : "", len / 1024);
	g_free(m.phase);
	glint_job_result_clear(&result);
	glint_job_disconnect(session);
	glint_session_unref(session);
	return 0;
}
