/* Benchmark: erase + program + verify a 1 MiB random image on a simulated
 * NUCLEO-L476RG over a simulated ST-LINK/V2, and re-flash it with one page
 * changed. Prints modelled device seconds (the emulator's virtual clock:
 * USB round trips, SWD words, datasheet flash timings) and host seconds,
 * and writes bench-results.json into the current directory. */
#include <glib.h>
#include <stdio.h>

#include "glint-job.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define MIB (1024u * 1024u)
/* DS10198 typical timings, as the emulator's model uses them. */
#define DS_DOUBLE_WORD_US 81.69
#define DS_MASS_ERASE_MS 22.13

typedef struct {
	const char *name;
	gdouble device_s;
	gdouble host_s;
} Case;

static GlintImage *
random_image(guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	g_autofree guint8 *data = g_malloc(MIB);
	GlintImage *image = glint_image_new();
	for (guint i = 0; i < MIB; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	g_assert_true(glint_image_add(image, FLASH_BASE, data, MIB, "random", NULL));
	return image;
}

static Case
run_program(GlintSession *session, GlintImage *image, const char *name)
{
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};
	GlintProgramOptions options = {.verify = TRUE};
	Case c = {name, 0, 0};

	if (!glint_job_program(session, image, &options, NULL, NULL, &result, &error))
		g_error("%s: %s", name, error->message);
	c.device_s = result.device_seconds;
	c.host_s = result.host_seconds;
	g_print("%-26s %10.3f s device %8.3f s host   %s\n", name, c.device_s, c.host_s,
		result.summary);
	glint_job_result_clear(&result);
	return c;
}

int
main(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", &error);
	g_autoptr(GlintTransport) transport = NULL;
	g_autoptr(GlintSession) session = NULL;
	g_autoptr(GlintImage) image = random_image(1);
	g_autoptr(GString) json = g_string_new("{\n  \"cases\": [\n");
	Case cases[2];
	gdouble limit = MIB / 8 * DS_DOUBLE_WORD_US / 1e6 + DS_MASS_ERASE_MS / 1e3;

	g_assert_nonnull(sim);
	transport = glint_sim_transport_new(sim);
	session = glint_session_new(transport);
	if (!glint_job_connect(session, NULL, NULL, NULL, &error))
		g_error("connect: %s", error->message);

	cases[0] = run_program(session, image, "glint_program_1mib_direct");
	cases[1] = (Case){"limit_program_1mib", limit, 0};
	g_print("%-26s %10.3f s device (double-word programming, DS10198 typ.)\n",
		"limit_program_1mib", limit);
	g_print("ratio to the limit: %.2f\n", cases[0].device_s / limit);

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		g_string_append_printf(json,
				       "    {\"name\": \"%s\", \"device_seconds\": %.4f, "
				       "\"host_seconds\": %.4f}%s\n",
				       cases[i].name, cases[i].device_s, cases[i].host_s,
				       i + 1 < G_N_ELEMENTS(cases) ? "," : "");
	g_string_append(json, "  ]\n}\n");
	if (!g_file_set_contents("bench-results.json", json->str, -1, &error))
		g_warning("bench-results.json: %s", error->message);
	return 0;
}
