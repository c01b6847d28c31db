/* Benchmark (issue 6 part 4, `make bench`): programming a 1 MiB random image
 * on a simulated NUCLEO-L476RG over a simulated ST-LINK/V2, by Glint (with
 * and without its on-target loader, and a smart re-flash of one changed
 * page), by OpenOCD and by st-flash (through glint-usbsim, same emulator,
 * same timing model), against the bound the model's own flash constants set.
 * Prints a table of modelled device seconds (the emulator's virtual clock:
 * USB round trips, SWD words, datasheet flash timings, CPU instructions) and
 * host seconds, and writes bench-results.json into the current directory.
 *
 *   bench-program [GLINT_USBSIM]
 *
 * Without GLINT_USBSIM (no umockdev) the OpenOCD and st-flash cases are
 * reported as not run. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "glint-job.h"
#include "glint-loader.h"
#include "glint-sim.h"
#include "glint-target.h"
#include "l4/l4-timing.h"

#define FLASH_BASE 0x08000000u
#define MIB (1024u * 1024u)
#define PAGE 2048u
#define FAST_ROW 256u
/* Seconds any external tool may run before it is killed. */
#define TOOL_TIMEOUT_S "900"
/* Without a work area OpenOCD writes 8 bytes per ~4 USB round trips; 1 MiB
 * that way takes minutes of host time through umockdev, so it is measured
 * on these two sizes and extrapolated linearly. */
#define OPENOCD_SMALL_1 (16u * 1024u)
#define OPENOCD_SMALL_2 (64u * 1024u)

typedef struct {
	const char *name;
	gdouble device_s; /* < 0: not measured */
	gdouble host_s;
	gchar *note;
} Case;

static GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

static GlintImage *
image_of(GBytes *data)
{
	GlintImage *image = glint_image_new();
	g_assert_true(glint_image_add(image, FLASH_BASE, g_bytes_get_data(data, NULL),
				      g_bytes_get_size(data), "random", NULL));
	return image;
}

typedef struct {
	GlintSim *sim;
	GlintSession *session;
} Board;

static void
board_open(Board *b)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	b->sim = glint_sim_new("fresh", &error);
	g_assert_nonnull(b->sim);
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
}

static void
board_close(Board *b)
{
	g_clear_pointer(&b->session, glint_session_unref);
	g_clear_pointer(&b->sim, glint_sim_unref);
}

/* Connect + program (+ verify), timed as a user would see it. */
static Case
run_glint(Board *b, GlintImage *image, const GlintProgramOptions *options, const char *name)
{
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};
	gint64 t0 = glint_sim_get_time_ns(b->sim), h0 = g_get_monotonic_time();
	Case c = {name, 0, 0, NULL};

	if (!glint_job_connect(b->session, NULL, NULL, NULL, &error) ||
	    !glint_job_program(b->session, image, options, NULL, NULL, &result, &error))
		g_error("%s: %s", name, error->message);
	c.device_s = (glint_sim_get_time_ns(b->sim) - t0) / 1e9;
	c.host_s = (g_get_monotonic_time() - h0) / 1e6;
	c.note = g_strdup_printf("%s%s%s", result.loader_used ? "loader" : "direct",
				 result.fast_programmed ? ", fast programming" : "",
				 result.pages_skipped ? ", smart" : "");
	g_print("  %s: %s\n", name, result.summary);
	glint_job_result_clear(&result);
	glint_job_disconnect(b->session);
	return c;
}

/* Whether the emulated core executes code (else the tools' loaders cannot
 * run): Glint's loader starts on a fresh board. */
static gboolean
sim_runs_code(void)
{
	Board b = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintLoader) loader = NULL;
	GlintTarget *t;
	gboolean runs;

	board_open(&b);
	if (!glint_job_connect(b.session, NULL, NULL, NULL, &error))
		g_error("connect: %s", error->message);
	t = glint_session_get_target(b.session);
	loader = glint_loader_start(t, NULL);
	runs = loader != NULL;
	if (runs)
		glint_loader_stop(loader, NULL);
	g_clear_pointer(&loader, glint_loader_free);
	board_close(&b);
	return runs;
}

static gboolean
read_report(const char *path, gdouble *device_s)
{
	g_autofree gchar *text = NULL;
	const char *p;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	p = strstr(text, "device_seconds ");
	if (p == NULL)
		return FALSE;
	*device_s = g_ascii_strtod(p + strlen("device_seconds "), NULL);
	return TRUE;
}

/* Runs @tool through glint-usbsim on a fresh board; modelled seconds from
 * its --report-time, or < 0 when the tool failed. */
static gdouble
run_tool(const char *usbsim, const char *dir, const char *const *tool, gdouble *host_s,
	 gchar **output)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *report = g_build_filename(dir, "report.txt", NULL);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	gint status = 0;
	gint64 h0 = g_get_monotonic_time();
	gdouble device_s = -1;

	g_unlink(report);
	for (const char *const *a =
		 (const char *const[]){"timeout", "-k", "5", TOOL_TIMEOUT_S, usbsim, "--scenario",
				       "fresh", "--report-time", report, "--", NULL};
	     *a != NULL; a++)
		g_ptr_array_add(argv, g_strdup(*a));
	for (guint i = 0; tool[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(tool[i]));
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
			  &err, &status, &error)) {
		*output = g_strdup(error->message);
		return -1;
	}
	*host_s = (g_get_monotonic_time() - h0) / 1e6;
	*output = g_strconcat(out, err, NULL);
	if (!g_spawn_check_wait_status(status, NULL) || !read_report(report, &device_s))
		return -1;
	return device_s;
}

/* The last line of a tool's output that says ERROR, for the table. */
static const char *
last_error_line(gchar *out)
{
	gchar **lines = g_strsplit(out != NULL ? out : "", "\n", -1);
	static gchar found[256];
	found[0] = '\0';
	for (guint i = 0; lines[i] != NULL; i++) {
		if (strstr(lines[i], "ERROR") != NULL || strstr(lines[i], "Error") != NULL)
			g_strlcpy(found, g_strstrip(lines[i]), sizeof(found));
	}
	g_strfreev(lines);
	return found[0] != '\0' ? found : "no error message";
}

static gchar *
write_image(const char *dir, const char *name, GBytes *data, gsize len)
{
	gchar *path = g_build_filename(dir, name, NULL);
	g_assert_true(g_file_set_contents(path, g_bytes_get_data(data, NULL), (gssize)len, NULL));
	return path;
}

static gdouble
run_openocd(const char *usbsim, const char *dir, const char *img, gboolean work_area,
	    gdouble *host_s, gchar **output)
{
	g_autofree gchar *program =
	    g_strdup_printf("program %s verify 0x%08x exit", img, FLASH_BASE);
	const char *argv[] = {"openocd",
			      "-c",
			      "gdb_port disabled",
			      "-c",
			      "telnet_port disabled",
			      "-c",
			      "tcl_port disabled",
			      "-c",
			      work_area ? "echo {default work area}" : "set WORKAREASIZE 0",
			      "-f",
			      "interface/stlink.cfg",
			      "-c",
			      "transport select hla_swd",
			      "-f",
			      "target/stm32l4x.cfg",
			      "-c",
			      program,
			      NULL};
	return run_tool(usbsim, dir, argv, host_s, output);
}

static Case
case_openocd(const char *usbsim, const char *dir, GBytes *data, gboolean cpu)
{
	Case c = {"openocd_program_1mib", -1, 0, NULL};
	g_autofree gchar *out = NULL;

	if (g_find_program_in_path("openocd") == NULL) {
		c.note = g_strdup("not run: openocd not installed");
		return c;
	}
	if (cpu) {
		g_autofree gchar *img = write_image(dir, "image.bin", data, MIB);
		c.device_s = run_openocd(usbsim, dir, img, TRUE, &c.host_s, &out);
		c.note = c.device_s >= 0 ? g_strdup("OpenOCD with its work area (async loader, "
						    "CRC verify on the target)")
					 : g_strdup_printf("failed: %s", last_error_line(out));
	} else {
		g_autofree gchar *img1 = write_image(dir, "small1.bin", data, OPENOCD_SMALL_1);
		g_autofree gchar *img2 = write_image(dir, "small2.bin", data, OPENOCD_SMALL_2);
		gdouble h1 = 0, h2 = 0;
		gdouble t1 = run_openocd(usbsim, dir, img1, FALSE, &h1, &out);
		gdouble t2 = t1 >= 0 ? run_openocd(usbsim, dir, img2, FALSE, &h2, &out) : -1;
		if (t2 >= 0) {
			gdouble slope = (t2 - t1) / (OPENOCD_SMALL_2 - OPENOCD_SMALL_1);
			c.device_s = t2 + slope * (MIB - OPENOCD_SMALL_2);
			c.host_s = h2 + (h2 - h1) / (OPENOCD_SMALL_2 - OPENOCD_SMALL_1) *
					    (MIB - OPENOCD_SMALL_2);
		}
		c.note = g_strdup_printf(
		    "without a work area (the emulator runs no target code yet, so OpenOCD's "
		    "loader and CRC routine cannot run); measured at 16 KiB (%.2f s) and 64 KiB "
		    "(%.2f s), extrapolated linearly to 1 MiB",
		    t1, t2);
	}
	if (c.device_s < 0)
		g_printerr("openocd failed:\n%s\n", out);
	return c;
}

static Case
case_stflash(const char *usbsim, const char *dir, GBytes *data, gboolean cpu)
{
	Case c = {"stflash_program_1mib", -1, 0, NULL};
	g_autofree gchar *img = NULL;
	g_autofree gchar *out = NULL;

	if (g_find_program_in_path("st-flash") == NULL) {
		c.note = g_strdup("not run: st-flash not installed");
		return c;
	}
	if (!cpu) {
		c.note = g_strdup("not run: st-flash programs an STM32L4 only through its "
				  "on-target loader, and the emulator runs no target code yet");
		return c;
	}
	img = write_image(dir, "image.bin", data, MIB);
	{
		const char *argv[] = {"st-flash", "--reset", "write", img, "0x08000000", NULL};
		c.device_s = run_tool(usbsim, dir, argv, &c.host_s, &out);
	}
	if (c.device_s >= 0) {
		c.note = g_strdup("st-flash --reset write (its loader, 32 KiB per run; read-back "
				  "verify)");
	} else {
		g_printerr("st-flash failed:\n%s\n", out);
		c.note = g_strdup_printf("failed: %s", last_error_line(out));
	}
	return c;
}

static void
json_case(GString *json, const Case *c, gboolean last)
{
	g_autofree gchar *note = g_strescape(c->note != NULL ? c->note : "", NULL);
	if (c->device_s >= 0)
		g_string_append_printf(json,
				       "    {\"name\": \"%s\", \"device_seconds\": %.4f, "
				       "\"host_seconds\": %.4f, \"note\": \"%s\"}%s\n",
				       c->name, c->device_s, c->host_s, note, last ? "" : ",");
	else
		g_string_append_printf(json,
				       "    {\"name\": \"%s\", \"device_seconds\": null, "
				       "\"host_seconds\": null, \"note\": \"%s\"}%s\n",
				       c->name, note, last ? "" : ",");
}

enum { GLINT, DIRECT, REFLASH, OPENOCD, STFLASH, LIMIT, N_CASES };

int
main(int argc, char **argv)
{
	g_autoptr(GBytes) data = random_bytes(MIB, 1);
	g_autoptr(GlintImage) image = image_of(data);
	g_autoptr(GlintImage) changed = NULL;
	g_autoptr(GString) json = g_string_new("{\n  \"cases\": [\n");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-bench-XXXXXX", &error);
	const char *usbsim = argc > 1 ? argv[1] : NULL;
	gboolean cpu = sim_runs_code();
	GlintProgramOptions loader_opts = {.verify = TRUE};
	GlintProgramOptions direct_opts = {.verify = TRUE, .no_loader = TRUE};
	GlintProgramOptions smart_opts = {.verify = TRUE, .smart = TRUE};
	gdouble fast_limit =
	    (gdouble)(MIB / FAST_ROW) * SIM_FLASH_FAST_ROW_NS / 1e9 + SIM_FLASH_MASS_ERASE_NS / 1e9;
	gdouble dw_limit =
	    (gdouble)(MIB / 8) * SIM_FLASH_DOUBLE_WORD_NS / 1e9 + SIM_FLASH_MASS_ERASE_NS / 1e9;
	Case cases[N_CASES];
	Board b = {0};

	g_assert_nonnull(dir);
	g_print("Emulated core runs code: %s\n", cpu ? "yes" : "no (loaders fall back)");

	board_open(&b);
	cases[GLINT] = run_glint(&b, image, &loader_opts, "glint_program_1mib");
	{
		/* one 2 KiB page changed, on the board just programmed */
		g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(data, NULL), MIB);
		copy[300 * PAGE + 17] ^= 0x5A;
		changed = glint_image_new();
		g_assert_true(glint_image_add(changed, FLASH_BASE, copy, MIB, "changed", NULL));
		cases[REFLASH] = run_glint(&b, changed, &smart_opts, "glint_reflash_1page");
	}
	board_close(&b);
	board_open(&b);
	cases[DIRECT] = run_glint(&b, image, &direct_opts, "glint_program_1mib_direct");
	board_close(&b);

	if (usbsim != NULL) {
		cases[OPENOCD] = case_openocd(usbsim, dir, data, cpu);
		cases[STFLASH] = case_stflash(usbsim, dir, data, cpu);
	} else {
		cases[OPENOCD] = (Case){"openocd_program_1mib", -1, 0,
					g_strdup("not run: no glint-usbsim (umockdev missing)")};
		cases[STFLASH] = (Case){"stflash_program_1mib", -1, 0,
					g_strdup("not run: no glint-usbsim (umockdev missing)")};
	}
	cases[LIMIT] = (Case){"limit_program_1mib", fast_limit, 0,
			      g_strdup_printf("fast programming of 4096 rows (%.2f ms each) + one "
					      "mass erase; double words would take %.3f s",
					      SIM_FLASH_FAST_ROW_NS / 1e6, dw_limit)};

	g_print("\n%-28s %12s %10s  %s\n", "case", "device s", "host s", "note");
	for (guint i = 0; i < N_CASES; i++) {
		if (cases[i].device_s >= 0)
			g_print("%-28s %12.3f %10.3f  %s\n", cases[i].name, cases[i].device_s,
				cases[i].host_s, cases[i].note);
		else
			g_print("%-28s %12s %10s  %s\n", cases[i].name, "-", "-", cases[i].note);
		json_case(json, &cases[i], i + 1 == N_CASES);
	}
	g_string_append(json, "  ],\n  \"goals\": {\n");
	g_string_append_printf(json, "    \"program_to_limit\": %.3f,\n",
			       cases[GLINT].device_s / fast_limit);
	g_string_append_printf(json, "    \"reflash_1page_seconds\": %.3f,\n",
			       cases[REFLASH].device_s);
	g_print("\nglint_program_1mib / limit: %.2f (goal <= 1.25)\n",
		cases[GLINT].device_s / fast_limit);
	g_print("glint_reflash_1page: %.3f s (goal < 0.5 s)\n", cases[REFLASH].device_s);
	for (guint i = OPENOCD; i <= STFLASH; i++) {
		gboolean last = i == STFLASH;
		if (cases[i].device_s >= 0) {
			g_print("%s / glint_program_1mib: %.2fx (goal >= 2)\n", cases[i].name,
				cases[i].device_s / cases[GLINT].device_s);
			g_string_append_printf(
			    json, "    \"speedup_vs_%s\": %.3f%s\n", cases[i].name,
			    cases[i].device_s / cases[GLINT].device_s, last ? "" : ",");
		} else {
			g_string_append_printf(json, "    \"speedup_vs_%s\": null%s\n",
					       cases[i].name, last ? "" : ",");
		}
	}
	g_string_append(json, "  }\n}\n");
	if (!g_file_set_contents("bench-results.json", json->str, -1, &error))
		g_warning("bench-results.json: %s", error->message);
	for (guint i = 0; i < N_CASES; i++)
		g_free(cases[i].note);
	return 0;
}
