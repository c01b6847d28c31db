/* bench-station.c: boards per hour of a production station in modelled time
 * (the emulator's virtual clock: USB round trips, SWD words, flash erase
 * and program times from the datasheet), for an STM32L476RG recipe, with one
 * probe and with four probes at once. Each probe's fixture runs on its own
 * clock, so four probes in parallel take as long as the slowest of them.
 * The operator's handling (seating and pulling boards) is not in it.
 * Writes bench-station.json into the current directory. */
#define G_LOG_DOMAIN "bench-station"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "prod-test.h"

#define BOARDS_PER_PROBE 5
/* A firmware of 128 KiB, the unique data a 16-byte key. */
#define BENCH_IMAGE_LEN (128u * 1024u)

typedef struct {
	const char *name;
	const char *extra; /* recipe groups after [serial] */
	GlintConfirm confirm;
} BenchRecipe;

static const BenchRecipe recipes[] = {
    {"program+serial", "", GLINT_CONFIRM_NONE},
    {"program+serial+key+rdp1",
     "[unique-data]\nfile=keys.csv\ncolumn=key\naddress=0x080FF810\nencoding=hex\n"
     "[protection]\nrdp=1\n",
     GLINT_CONFIRM_RISKY},
    {"mass-erase+program+serial+key+rdp1",
     "[erase]\nmode=all\n[unique-data]\nfile=keys.csv\ncolumn=key\naddress=0x080FF810\n"
     "encoding=hex\n[protection]\nrdp=1\n",
     GLINT_CONFIRM_RISKY},
};

typedef struct {
	guint boards;
	gdouble job_seconds;   /* sum of the boards' modelled job times */
	gdouble cycle_seconds; /* the slowest probe's clock over all its boards */
} BenchResult;

static gchar *
bench_recipe(const char *dir, const BenchRecipe *r)
{
	g_autoptr(GString) csv = g_string_new("n,key\n");
	g_autofree gchar *csv_path = g_build_filename(dir, "keys.csv", NULL);
	g_autofree gchar *image = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *path = g_build_filename(dir, "bench.glintrecipe", NULL);
	guint32 crc = 0;

	for (guint i = 0; i < 64; i++)
		g_string_append_printf(csv, "%u,%08X%08X%08X%08X\n", i, i, ~i, i * 7u, i ^ 0x5A5Au);
	g_assert(g_file_set_contents(csv_path, csv->str, -1, NULL));
	image = prod_write_image(dir, "fw.bin", BENCH_IMAGE_LEN, 7, &crc);
	text = g_strdup_printf("[recipe]\nversion=1\nchip=STM32L476RG\n[image]\nfile=fw.bin\n"
			       "crc32=0x%08X\n[serial]\naddress=0x%08X\nfirst=1000\n%s",
			       crc, PROD_SERIAL_ADDR, r->extra);
	g_assert(g_file_set_contents(path, text, -1, NULL));
	return g_steal_pointer(&path);
}

static void
bench_run(const BenchRecipe *r, guint probes, BenchResult *out)
{
	g_autofree gchar *dir = g_dir_make_tmp("glint-bench-station-XXXXXX", NULL);
	g_autofree gchar *recipe = bench_recipe(dir, r);
	g_autofree gchar *boards = g_strdup_printf("%u", BOARDS_PER_PROBE);
	GlintSimFixture *fixtures[4];
	GlintStationOptions options = {.boards = probes * BOARDS_PER_PROBE, .confirm = r->confirm};
	ProdRun *run;
	g_autoptr(GPtrArray) records = NULL;

	memset(out, 0, sizeof(*out));
	for (guint i = 0; i < probes; i++) {
		g_autofree gchar *serial = g_strdup_printf("0669FF00000000000000BE%02u", i);
		fixtures[i] = prod_fixture(boards, serial);
	}
	run = prod_run_new(recipe, &options, fixtures, probes, NULL);
	if (!prod_run(run))
		g_error("bench %s: %s", r->name, run->error->message);
	records = prod_run_records(run);
	for (guint i = 0; i < records->len; i++) {
		const ProdEvent *e = g_ptr_array_index(records, i);
		if (!e->record.passed)
			g_error("bench %s: a board failed: %s", r->name, e->record.cause);
		out->boards++;
		out->job_seconds += e->record.device_seconds;
	}
	for (guint i = 0; i < probes; i++) {
		out->cycle_seconds =
		    MAX(out->cycle_seconds, glint_sim_fixture_get_time_ns(fixtures[i]) / 1e9);
		glint_sim_fixture_unref(fixtures[i]);
	}
	prod_run_free(run);
	{
		g_autofree gchar *cmd = g_strdup_printf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			g_warning("could not remove %s", dir);
	}
}

/* A Check case, run in this process: the helpers assert with Check. */
START_TEST(bench_boards_per_hour)
{
	g_autoptr(GString) json = g_string_new("{\n  \"recipes\": [\n");
	static const guint probe_counts[] = {1, 4};

	printf("%-36s %6s %7s %12s %12s %14s\n", "recipe (STM32L476RG, 128 KiB image)", "probes",
	       "boards", "s/board", "station s", "boards/hour");
	for (guint r = 0; r < G_N_ELEMENTS(recipes); r++) {
		g_string_append_printf(json, "    {\"name\": \"%s\"", recipes[r].name);
		for (guint p = 0; p < G_N_ELEMENTS(probe_counts); p++) {
			BenchResult res;
			gdouble per_hour;
			bench_run(&recipes[r], probe_counts[p], &res);
			per_hour = res.boards * 3600.0 / res.cycle_seconds;
			printf("%-36s %6u %7u %12.3f %12.3f %14.0f\n", recipes[r].name,
			       probe_counts[p], res.boards, res.job_seconds / res.boards,
			       res.cycle_seconds, per_hour);
			g_string_append_printf(
			    json,
			    ", \"probes_%u\": {\"boards\": %u, "
			    "\"seconds_per_board\": %.3f, "
			    "\"station_seconds\": %.3f, \"boards_per_hour\": %.0f}",
			    probe_counts[p], res.boards, res.job_seconds / res.boards,
			    res.cycle_seconds, per_hour);
		}
		g_string_append_printf(json, "}%s\n", r + 1 < G_N_ELEMENTS(recipes) ? "," : "");
	}
	g_string_append(json, "  ]\n}\n");
	if (!g_file_set_contents("bench-station.json", json->str, -1, NULL))
		g_warning("could not write bench-station.json");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bench-station");
	TCase *tc = tcase_create("bench");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, bench_boards_per_hour);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
