/* The program benchmark's harness (bench-harness.c) in the plain suite, so
 * that it cannot rot between two `make bench`: on one board of each
 * emulator machine, with a 4 KiB image and one run, it produces every row,
 * the emulator's bound is positive and below Glint's time, and a peer that
 * is missing or does not know the chip is reported as skipped, in its own
 * words. No time is compared with a goal: speed is the benchmark's.
 *
 *   test-bench-harness [GLINT_USBSIM GLINT_CLI]
 */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bench-harness.h"
#include "glint-error.h"
#include "sim-test.h"

#define IMAGE_KB 4u
#define MISSING_OPENOCD "/nonexistent/openocd"
#define MISSING_STFLASH "/nonexistent/st-flash"
/* Where Debian's openocd keeps its scripts (GLINT_OPENOCD_SCRIPTS: elsewhere) */
#define OPENOCD_SCRIPTS "/usr/share/openocd/scripts"

static const char *usbsim_path;
static const char *glint_cli_path;

/* The first board of each emulator machine, in registry order */
static GPtrArray *
one_board_per_machine(void)
{
	g_autoptr(GPtrArray) all = glint_sim_list_boards();
	GPtrArray *boards =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_board_info_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < all->len; i++) {
		GlintSimBoardInfo *b = g_ptr_array_index(all, i);
		if (g_hash_table_contains(seen, b->machine))
			continue;
		g_hash_table_add(seen, b->machine);
		g_ptr_array_add(boards, glint_sim_get_board_info(b->name));
	}
	return boards;
}

static BenchBoardRun *
run_board(const BenchOptions *options, const GlintSimBoardInfo *board)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Bench) bench = bench_new(options, &error);
	BenchBoardRun *run;
	ck_assert_msg(bench != NULL, "%s", error != NULL ? error->message : "?");
	run = bench_run_board(bench, board, FALSE, &error);
	ck_assert_msg(run != NULL, "%s: %s", board->name, error != NULL ? error->message : "?");
	return run;
}

static void
assert_skipped(const BenchCase *c, const char *words)
{
	ck_assert_msg(c->skipped, "%s not skipped: %s", c->name, c->note != NULL ? c->note : "");
	ck_assert_msg(!bench_case_measured(c), "%s measured", c->name);
	ck_assert_msg(c->note != NULL && g_str_has_prefix(c->note, "skipped: ") &&
			  strstr(c->note, words) != NULL,
		      "%s: '%s' does not say '%s'", c->name, c->note != NULL ? c->note : "", words);
}

static void
assert_command(const BenchCase *c, const char *words, gboolean present)
{
	ck_assert_msg(c->command != NULL, "%s: no command", c->name);
	ck_assert_msg((strstr(c->command, words) != NULL) == present, "%s: '%s' %s '%s'", c->name,
		      c->command, present ? "lacks" : "has", words);
}

/* The machines there are: the loop test's bound (there are five today,
 * l4 f1 f4 h7 l0; a new one is checked as soon as it has a board) */
#define MAX_MACHINES 16

START_TEST(test_every_machine_gives_a_row)
{
	g_autoptr(GPtrArray) boards = one_board_per_machine();
	BenchOptions options = {.usbsim = usbsim_path,
				.glint_cli = glint_cli_path,
				.openocd = MISSING_OPENOCD,
				.stflash = MISSING_STFLASH,
				.runs = 1,
				.image_kb = IMAGE_KB,
				.quiet = TRUE};
	g_autoptr(BenchBoardRun) run = NULL;
	g_autoptr(GString) json = g_string_new(NULL);
	g_autofree gchar *board_key = NULL, *speed = NULL, *freq = NULL;
	const GlintSimBoardInfo *board;
	const BenchCase *glint, *limit, *bound;

	ck_assert_uint_ge(boards->len, 5);
	ck_assert_uint_le(boards->len, MAX_MACHINES);
	if ((guint)_i >= boards->len)
		return;
	board = g_ptr_array_index(boards, _i);
	run = run_board(&options, board);
	glint = &run->cases[BENCH_GLINT];
	limit = &run->cases[BENCH_LIMIT];
	bound = &run->cases[BENCH_BOUND];

	ck_assert_uint_eq(run->image_size, IMAGE_KB * 1024);
	/* Glint's rows: one run each, positive */
	for (BenchKind k = BENCH_GLINT; k <= BENCH_GLINT_MASS; k++) {
		const BenchCase *c = &run->cases[k];
		ck_assert_msg(bench_case_measured(c), "%s: %s", c->name,
			      c->note != NULL ? c->note : "no note");
		ck_assert_uint_eq(c->device_s->len, 1);
		ck_assert_msg(bench_case_min(c) > 0, "%s", c->name);
		ck_assert_msg(strstr(c->name, board->name) != NULL, "%s", c->name);
	}
	if (usbsim_path != NULL) {
		const BenchCase *u = &run->cases[BENCH_GLINT_USBSIM];
		ck_assert_msg(bench_case_measured(u), "%s: %s", u->name,
			      u->note != NULL ? u->note : "no note");
		ck_assert_msg(bench_case_min(u) > 0, "%s", u->name);
		ck_assert_ptr_eq(bench_glint_reference(run), u);
	} else {
		assert_skipped(&run->cases[BENCH_GLINT_USBSIM], "glint-usbsim");
	}
	/* the bounds: from the emulator, positive, below what Glint needed */
	ck_assert(limit->computed && bound->computed);
	ck_assert_msg(bench_case_min(limit) > 0, "%s: limit %g", board->name,
		      bench_case_min(limit));
	ck_assert_msg(bench_case_min(limit) < bench_case_min(glint), "%s: limit %g, Glint %g",
		      board->name, bench_case_min(limit), bench_case_min(glint));
	ck_assert_msg(bench_case_min(bound) > bench_case_min(limit), "%s: bound %g, limit %g",
		      board->name, bench_case_min(bound), bench_case_min(limit));
	ck_assert_msg(bench_case_min(bound) < bench_case_min(glint), "%s: bound %g, Glint %g",
		      board->name, bench_case_min(bound), bench_case_min(glint));
	ck_assert(run->limit.how != NULL && strstr(run->limit.how, "docs/timing/") != NULL);
	/* the peers were named missing: skipped, saying which program */
	if (usbsim_path != NULL) {
		assert_skipped(&run->cases[BENCH_OPENOCD], MISSING_OPENOCD);
		assert_skipped(&run->cases[BENCH_OPENOCD_DEFAULT], MISSING_OPENOCD);
		assert_skipped(&run->cases[BENCH_STFLASH], MISSING_STFLASH);
		assert_skipped(&run->cases[BENCH_STFLASH_DEFAULT], MISSING_STFLASH);
	} else {
		for (BenchKind k = BENCH_OPENOCD; k <= BENCH_STFLASH_DEFAULT; k++)
			assert_skipped(&run->cases[k], "glint-usbsim");
	}
	/* each peer's best invocation carries its fastest flags, the default
	 * none of them */
	/* at the board's own probe's top clock: 4000 kHz on a V2/V2-1, 24000
	 * kHz on the STLINK-V3E of an H7, L5 or U5 Nucleo-144 */
	speed = g_strdup_printf("adapter speed %u", run->probe_khz);
	freq = g_strdup_printf("--freq=%u", run->probe_khz);
	ck_assert_msg(run->probe_khz == 4000 || run->probe_khz == 24000, "%s: %u kHz", board->name,
		      run->probe_khz);
	assert_command(&run->cases[BENCH_OPENOCD], speed, TRUE);
	assert_command(&run->cases[BENCH_OPENOCD], " mass_erase 0", TRUE);
	assert_command(&run->cases[BENCH_OPENOCD], "verify_image ", TRUE);
	assert_command(&run->cases[BENCH_OPENOCD], bench_openocd_target(board), TRUE);
	assert_command(&run->cases[BENCH_OPENOCD_DEFAULT], "program ", TRUE);
	assert_command(&run->cases[BENCH_OPENOCD_DEFAULT], "adapter speed", FALSE);
	assert_command(&run->cases[BENCH_OPENOCD_DEFAULT], "mass_erase", FALSE);
	assert_command(&run->cases[BENCH_STFLASH], freq, TRUE);
	assert_command(&run->cases[BENCH_STFLASH_DEFAULT], "--freq", FALSE);
	/* and the outputs carry the board */
	bench_json_board(json, run, TRUE);
	board_key = g_strdup_printf("\"board\": \"%s\"", board->name);
	ck_assert_msg(strstr(json->str, board_key) != NULL, "%s", json->str);
	ck_assert(strstr(json->str, "\"skipped\": true") != NULL);
	ck_assert(strstr(json->str, "\"limit_seconds\": ") != NULL);
}
END_TEST

/* Every board of the tree has OpenOCD's target config, and OpenOCD (where
 * it is installed) has that file: a new board without a row would have its
 * OpenOCD cases skipped */
START_TEST(test_every_board_has_an_openocd_target)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	g_autofree gchar *scripts = g_strdup(g_getenv("GLINT_OPENOCD_SCRIPTS"));
	if (scripts == NULL)
		scripts = g_strdup(OPENOCD_SCRIPTS);
	for (guint i = 0; i < boards->len; i++) {
		const GlintSimBoardInfo *b = g_ptr_array_index(boards, i);
		const char *target = bench_openocd_target(b);
		g_autofree gchar *path = NULL;
		ck_assert_msg(target != NULL, "%s (%s): no row in bench_peers", b->name, b->chip);
		ck_assert_msg(g_str_has_prefix(target, "target/") &&
				  g_str_has_suffix(target, ".cfg"),
			      "%s: %s", b->name, target);
		path = g_build_filename(scripts, target, NULL);
		if (g_file_test(scripts, G_FILE_TEST_IS_DIR))
			ck_assert_msg(g_file_test(path, G_FILE_TEST_IS_REGULAR), "%s: no %s",
				      b->name, path);
	}
}
END_TEST

/* The middle of the runs; the minimum whatever their order */
START_TEST(test_min_and_median)
{
	BenchCase c = {.device_s = g_array_new(FALSE, FALSE, sizeof(gdouble))};
	const gdouble odd[] = {3.0, 1.0, 2.0}, even[] = {4.0, 1.0, 3.0, 2.0};

	ck_assert(!bench_case_measured(&c));
	g_array_append_vals(c.device_s, odd, G_N_ELEMENTS(odd));
	ck_assert(bench_case_measured(&c));
	ck_assert_double_eq(bench_case_min(&c), 1.0);
	ck_assert_double_eq(bench_case_median(&c), 2.0);
	/* the runs are not reordered by it */
	ck_assert_double_eq(g_array_index(c.device_s, gdouble, 0), 3.0);
	g_array_set_size(c.device_s, 0);
	g_array_append_vals(c.device_s, even, G_N_ELEMENTS(even));
	ck_assert_double_eq(bench_case_min(&c), 1.0);
	ck_assert_double_eq(bench_case_median(&c), 2.5);
	g_array_unref(c.device_s);
}
END_TEST

/* GLINT_BENCH_PEERS=0: the peers are not run, and say why */
START_TEST(test_no_peers)
{
	g_autoptr(GlintSimBoardInfo) board = glint_sim_get_board_info("nucleo-g431rb");
	g_autoptr(BenchBoardRun) run = NULL;
	BenchOptions options = {.usbsim = usbsim_path,
				.runs = 1,
				.image_kb = IMAGE_KB,
				.no_peers = TRUE,
				.quiet = TRUE};
	if (usbsim_path == NULL)
		return; /* the peers are skipped for want of glint-usbsim */
	run = run_board(&options, board);
	for (BenchKind k = BENCH_OPENOCD; k <= BENCH_STFLASH_DEFAULT; k++)
		assert_skipped(&run->cases[k], "GLINT_BENCH_PEERS=0");
	ck_assert(bench_case_measured(&run->cases[BENCH_GLINT]));
}
END_TEST

START_TEST(test_unknown_board_is_named)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) boards = bench_select_boards("nucleo-l476rg, no-such-board", &error);
	ck_assert_ptr_null(boards);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "'no-such-board'") != NULL &&
			  strstr(error->message, "nucleo-l476rg") != NULL,
		      "%s", error->message);
	g_clear_error(&error);
	boards = bench_select_boards("NUCLEO-F401RE", &error);
	ck_assert_msg(boards != NULL && boards->len == 1, "%s",
		      error != NULL ? error->message : "?");
}
END_TEST

/* A stand-in tool (a shell script) that prints @words and fails */
static gchar *
fake_tool(const char *dir, const char *name, const char *words)
{
	g_autofree gchar *script =
	    g_strdup_printf("#!/bin/sh\necho 'some progress'\necho '%s' >&2\nexit 1\n", words);
	gchar *path = g_build_filename(dir, name, NULL);
	ck_assert(g_file_set_contents(path, script, -1, NULL));
	ck_assert_int_eq(g_chmod(path, 0755), 0);
	return path;
}

/* A tool that does not know the chip is skipped in its own words, at
 * once; one that fails otherwise is retried, and reported as failed */
START_TEST(test_tool_words_decide_skipped_or_failed)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("bench-harness-XXXXXX", &error);
	g_autofree gchar *stflash = NULL, *openocd = NULL;
	g_autoptr(GlintSimBoardInfo) board = glint_sim_get_board_info("nucleo-l476rg");
	g_autoptr(BenchBoardRun) run = NULL;
	BenchOptions options = {
	    .usbsim = usbsim_path, .runs = 2, .image_kb = IMAGE_KB, .quiet = TRUE};

	if (usbsim_path == NULL)
		return; /* no glint-usbsim: nothing runs through it */
	ck_assert_ptr_nonnull(dir);
	stflash =
	    fake_tool(dir, "st-flash", "2026-12-05T10:00:00 WARN common.c: unknown chip id! 0x999");
	openocd = fake_tool(dir, "openocd", "Error: flash write algorithm aborted by target");
	options.stflash = stflash;
	options.openocd = openocd;
	run = run_board(&options, board);

	for (BenchKind k = BENCH_STFLASH; k <= BENCH_STFLASH_DEFAULT; k++) {
		const BenchCase *c = &run->cases[k];
		assert_skipped(c, "unknown chip id! 0x999");
		ck_assert_uint_eq(c->failures, 0);
	}
	for (BenchKind k = BENCH_OPENOCD; k <= BENCH_OPENOCD_DEFAULT; k++) {
		const BenchCase *c = &run->cases[k];
		ck_assert(!c->skipped && !bench_case_measured(c));
		ck_assert_msg(c->note != NULL &&
				  g_str_has_prefix(c->note, "failed: Error: flash write"),
			      "%s", c->note != NULL ? c->note : "");
		/* every attempt of the first run, and no second run */
		ck_assert_uint_eq(c->failures, 4);
	}
	g_unlink(stflash);
	g_unlink(openocd);
	g_rmdir(dir);
}
END_TEST

/* A peer that hangs (as OpenOCD did in a polling loop on the L552) is
 * stopped after the tool timeout and reported as timed out, once: not
 * retried. (One that also ignores SIGTERM is glint-usbsim's to kill after
 * its grace period: tests/usb/test-usbsim-signals.sh.) */
START_TEST(test_hung_tool_times_out)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("bench-harness-XXXXXX", &error);
	g_autofree gchar *stflash = NULL, *openocd = NULL;
	g_autoptr(GlintSimBoardInfo) board = glint_sim_get_board_info("nucleo-l476rg");
	g_autoptr(BenchBoardRun) run = NULL;
	BenchOptions options = {.usbsim = usbsim_path,
				.runs = 2,
				.image_kb = IMAGE_KB,
				.quiet = TRUE,
				.tool_timeout_s = 2};
	const char *hang = "#!/bin/sh\necho 'polling the probe'\nexec sleep 100000\n";
	const BenchCase *c;

	if (usbsim_path == NULL)
		return; /* no glint-usbsim: nothing runs through it */
	ck_assert_ptr_nonnull(dir);
	stflash =
	    fake_tool(dir, "st-flash", "2026-12-05T10:00:00 WARN common.c: unknown chip id! 0x999");
	openocd = g_build_filename(dir, "openocd", NULL);
	ck_assert(g_file_set_contents(openocd, hang, -1, NULL));
	ck_assert_int_eq(g_chmod(openocd, 0755), 0);
	options.stflash = stflash;
	options.openocd = openocd;
	/* the default comes from the board's limit, a few minutes at least */
	run = run_board(&options, board);
	options.tool_timeout_s = 0;
	ck_assert_uint_ge(bench_tool_timeout_s(&options, run), 300);

	c = &run->cases[BENCH_OPENOCD];
	ck_assert(!c->skipped && !bench_case_measured(c));
	ck_assert_msg(c->note != NULL && g_str_has_prefix(c->note, "timed out after 2 s") &&
			  strstr(c->note, "polling the probe") != NULL,
		      "%s", c->note != NULL ? c->note : "");
	ck_assert_uint_eq(c->failures, 1);
	g_unlink(stflash);
	g_unlink(openocd);
	g_rmdir(dir);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("bench-harness");
	TCase *tc = tcase_create("harness");
	usbsim_path = argc > 1 ? argv[1] : NULL;
	glint_cli_path = argc > 2 ? argv[2] : NULL;
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_every_machine_gives_a_row, 0, MAX_MACHINES);
	tcase_add_test(tc, test_every_board_has_an_openocd_target);
	tcase_add_test(tc, test_min_and_median);
	tcase_add_test(tc, test_no_peers);
	tcase_add_test(tc, test_unknown_board_is_named);
	tcase_add_test(tc, test_tool_words_decide_skipped_or_failed);
	tcase_add_test(tc, test_hung_tool_times_out);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
