/* bench-watch.c: the live watch's highest rate without disturbing the
 * target, in modelled device time (`make bench`, or `meson test -C build
 * --benchmark watch-rate`).
 *
 * For each probe (ST-LINK/V2, V3) and item set, watch.elf is watched back
 * to back (a rate no probe reaches) for one modelled second, next to a twin
 * board that is not watched. The rate reached is printed; the firmware must
 * have executed exactly the same instructions and counted to the same value
 * on both boards at the same device time, or the benchmark fails: a rate
 * that disturbs the target is not a rate the watch has. */
#define G_LOG_DOMAIN "bench-watch"

#include <stdio.h>

#include "fw-board.h"
#include "glint-watch.h"

#define MS 1000000

static const struct {
	const char *label;
	GlintProbeKind kind;
	guint jtag_version;
} probes[] = {
    {"ST-LINK/V2 J37", GLINT_PROBE_KIND_V2, 37},
    {"ST-LINK/V3 J7", GLINT_PROBE_KIND_V3, 7},
};

static const struct {
	const char *label;
	const char *items[6];
} item_sets[] = {
    {"counter", {"counter", NULL}},
    {"counter state.count ramp buf[3]", {"counter", "state.count", "ramp", "buf[3]", NULL}},
    {"state points matrix", {"state", "points", "matrix", NULL}},
};

START_TEST(bench_watch_rate)
{
	guint p = (guint)_i / G_N_ELEMENTS(item_sets);
	guint s = (guint)_i % G_N_ELEMENTS(item_sets);
	g_autoptr(FwBoard) watched = fw_board_new_full("fresh", "watch.elf", MS, TRUE,
						       probes[p].kind, probes[p].jtag_version);
	g_autoptr(FwBoard) alone = fw_board_new_full("fresh", "watch.elf", MS, TRUE, probes[p].kind,
						     probes[p].jtag_version);
	g_autoptr(GlintWatch) watch = glint_watch_new(watched->elf);
	g_autoptr(GError) error = NULL;
	GlintWatchRunOptions options = {.rate_hz = 1e6, .duration_s = 1.0};
	GlintWatchStats stats;
	GlintSimStats sw, sa;
	guint32 counter = fw_board_symbol(watched, "counter");
	gint64 end;

	for (guint i = 0; item_sets[s].items[i] != NULL; i++)
		ck_assert(glint_watch_add(watch, item_sets[s].items[i], &error));
	ck_assert_msg(glint_job_watch_run(watched->session, watch, &options, NULL, NULL, &stats,
					  NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert(stats.modelled);
	/* the core catches up with the probe's clock before each command, so
	 * after the last one it is a command behind: both boards run on by a
	 * millisecond without traffic to compare them at one device time */
	end = glint_sim_advance_time(watched->sim, MS);
	glint_sim_advance_time(alone->sim, end - glint_sim_get_time_ns(alone->sim));
	ck_assert_int_eq(glint_sim_get_time_ns(alone->sim), end);
	glint_sim_get_stats(watched->sim, &sw);
	glint_sim_get_stats(alone->sim, &sa);
	ck_assert_msg(sw.instructions == sa.instructions,
		      "%s, %s: disturbed: %" G_GUINT64_FORMAT
		      " instructions watched, %" G_GUINT64_FORMAT " alone",
		      probes[p].label, item_sets[s].label, sw.instructions, sa.instructions);
	ck_assert_uint_eq(fw_board_peek32(watched, counter), fw_board_peek32(alone, counter));
	printf("# %-15s %-33s %7.1f samples/s (%u in %.3f s modelled, %u transfer%s a sample, "
	       "%.2f probe commands a sample; %" G_GUINT64_FORMAT " instructions, as unwatched)\n",
	       probes[p].label, item_sets[s].label, stats.rate_hz, stats.samples, stats.seconds,
	       glint_watch_get_n_transfers(watch),
	       glint_watch_get_n_transfers(watch) == 1 ? "" : "s",
	       (gdouble)stats.transfers / stats.samples, sw.instructions);
	fflush(stdout);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("watch-rate");
	TCase *tc = tcase_create("rate");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, bench_watch_rate, 0,
			    (int)(G_N_ELEMENTS(probes) * G_N_ELEMENTS(item_sets)));
	suite_add_tcase(suite, tc);
	sr = srunner_create(suite);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
