/* test-station.c: the production station in-process, on simulated fixtures:
 * serial numbers written and never given twice, failing boards named for
 * the operator while the station goes on, stop and cancel, several probes
 * at once, unique data, protection, power cuts and lost probes. */
#define G_LOG_DOMAIN "test-station"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "glint-station-counter.h"
#include "prod-test.h"
#include "test-tmp.h"

static const ProdEvent *
record_of(GPtrArray *records, guint i)
{
	ck_assert_uint_lt(i, records->len);
	return g_ptr_array_index(records, i);
}

START_TEST(test_three_boards_get_serials_1000_to_1002)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autofree gchar *csv = g_build_filename(dir, "rec.csv", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("3", NULL);
	GlintStationOptions options = {.boards = 3};
	g_autoptr(ProdRun) run = prod_run_new(recipe, &options, &fixture, 1, csv);
	g_autoptr(GPtrArray) records = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);

	ck_assert_msg(prod_run(run), "%s", run->error->message);
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 3);
	for (guint k = 1; k <= 3; k++) {
		const ProdEvent *e = record_of(records, k - 1);
		g_autofree gchar *want = g_strdup_printf("%u", 999 + k);
		ck_assert_msg(e->record.passed, "board %u: %s", k, e->record.cause);
		ck_assert_str_eq(e->record.serial, want);
		/* the number is where the recipe says, in the board that got it */
		ck_assert_uint_eq(prod_board_u32(fixture, k, PROD_SERIAL_ADDR), 999 + k);
		ck_assert(prod_board_has_image(fixture, k));
		ck_assert_ptr_nonnull(e->record.uid);
		g_hash_table_add(uids, e->record.uid);
	}
	ck_assert_uint_eq(g_hash_table_size(uids), 3);
	ck_assert_uint_eq(glint_sim_fixture_get_inserted(fixture), 3);
	/* the record file holds what the events said, header first */
	rows = prod_read_csv(csv);
	ck_assert_uint_eq(rows->len, 4);
	ck_assert_str_eq(((GStrv)g_ptr_array_index(rows, 0))[0], "time");
	for (guint k = 1; k <= 3; k++) {
		GStrv row = g_ptr_array_index(rows, k);
		g_autofree gchar *want = g_strdup_printf("%u", 999 + k);
		ck_assert_str_eq(row[5], want);
		ck_assert_str_eq(row[8], "PASS");
		/* ISO 8601 with the zone */
		ck_assert_msg(
		    g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:"
					 "\\d\\d$",
					 row[0], 0, 0),
		    "time '%s'", row[0]);
	}
	ck_assert_uint_eq(prod_counter_next(recipe, "serial"), 1003);

	/* a new run on the same recipe continues */
	{
		g_autoptr(GlintSimFixture) more = prod_fixture("2", "0669FF000000000000000002");
		GlintStationOptions two = {.boards = 2};
		g_autoptr(ProdRun) again = prod_run_new(recipe, &two, &more, 1, csv);
		g_autoptr(GPtrArray) next = NULL;
		ck_assert(prod_run(again));
		next = prod_run_records(again);
		ck_assert_str_eq(record_of(next, 0)->record.serial, "1003");
		ck_assert_str_eq(record_of(next, 1)->record.serial, "1004");
		ck_assert_uint_eq(prod_board_u32(more, 2, PROD_SERIAL_ADDR), 1004);
	}
}
END_TEST

START_TEST(test_failing_boards_are_named_and_the_station_goes_on)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("fresh,rdp1,no-target,wrp,fresh", NULL);
	GlintStationOptions options = {.boards = 5};
	g_autoptr(ProdRun) run = prod_run_new(recipe, &options, &fixture, 1, NULL);
	g_autoptr(GPtrArray) records = NULL;
	static const struct {
		gboolean passed;
		const char *serial;
		const char *step;
		const char *verdict;
		const char *code;
	} want[] = {
	    {TRUE, "1000", NULL, NULL, NULL},
	    {FALSE, NULL, "check", "read protected (RDP level 1): remove from line",
	     "read-protected"},
	    {FALSE, NULL, "connect", "bad contact: target voltage 0.40 V", "no-target"},
	    {FALSE, NULL, "erase", "write protected (WRP): remove from line", "write-protected"},
	    {TRUE, "1001", NULL, NULL, NULL},
	};
	guint done = 0, passed = 0, failed = 0;

	ck_assert_msg(prod_run(run), "%s", run->error->message);
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		const GlintStationRecord *r = &record_of(records, i)->record;
		ck_assert_msg(r->passed == want[i].passed, "board %u: %s", i + 1,
			      r->cause != NULL ? r->cause : "passed");
		ck_assert_str_eq(r->serial != NULL ? r->serial : "-",
				 want[i].serial != NULL ? want[i].serial : "-");
		if (want[i].passed)
			continue;
		ck_assert_str_eq(r->step, want[i].step);
		ck_assert_msg(g_str_has_prefix(r->error, want[i].verdict), "board %u: '%s'", i + 1,
			      r->error);
		ck_assert_str_eq(r->error_code, want[i].code);
		ck_assert_ptr_nonnull(r->cause);
	}
	/* nothing was written into the refused boards' serial area */
	ck_assert_uint_eq(prod_board_u32(fixture, 2, PROD_SERIAL_ADDR), 0xFFFFFFFFu);
	ck_assert_uint_eq(prod_board_u32(fixture, 4, PROD_SERIAL_ADDR), 0xFFFFFFFFu);
	glint_station_get_counts(run->station, &done, &passed, &failed);
	ck_assert_uint_eq(done, 5);
	ck_assert_uint_eq(passed, 2);
	ck_assert_uint_eq(failed, 3);
	ck_assert_uint_eq(prod_counter_next(recipe, "serial"), 1002);
}
END_TEST

START_TEST(test_wrong_chip_is_refused)
{
	g_autofree gchar *dir = test_tmp_dir();
	/* the 512 KiB part, on a 1 MiB board */
	g_autofree gchar *text = g_strdup_printf(
	    "[recipe]\nversion=1\nchip=STM32L476RE\n[image]\nfile=fw.bin\ncrc32=%%CRC%%\n"
	    "[serial]\naddress=0x0807F800\nfirst=1\n");
	g_autofree gchar *recipe = prod_write_recipe_text(dir, "re.glintrecipe", text);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("1", NULL);
	GlintStationOptions options = {.boards = 1};
	g_autoptr(ProdRun) run = prod_run_new(recipe, &options, &fixture, 1, NULL);
	g_autoptr(GPtrArray) records = NULL;
	const GlintStationRecord *r;

	ck_assert(prod_run(run));
	records = prod_run_records(run);
	r = &record_of(records, 0)->record;
	ck_assert(!r->passed);
	ck_assert_str_eq(r->step, "check");
	ck_assert_str_eq(r->error, "wrong chip: remove from line");
	ck_assert_msg(strstr(r->cause, "1024 KiB") != NULL && strstr(r->cause, "STM32L476RE"), "%s",
		      r->cause);
	ck_assert(!prod_board_has_image(fixture, 1));
}
END_TEST

static void
stop_after_board_2(ProdRun *run, const ProdEvent *e)
{
	if (e->kind == GLINT_STATION_EVENT_DONE && e->board == 2)
		glint_station_stop(run->station);
}

START_TEST(test_stop_lets_the_board_finish)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("5", NULL);
	g_autoptr(ProdRun) run = prod_run_new(recipe, NULL, &fixture, 1, NULL);
	g_autoptr(GPtrArray) records = NULL;

	run->hook = stop_after_board_2;
	ck_assert(prod_run(run));
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 2);
	ck_assert(record_of(records, 1)->record.passed);
	/* it stopped there: the next board never went in */
	ck_assert_uint_eq(glint_sim_fixture_get_inserted(fixture), 2);
	ck_assert_uint_eq(prod_run_count(run, GLINT_STATION_EVENT_STOPPED), 1);
}
END_TEST

static void
cancel_while_programming(ProdRun *run, const ProdEvent *e)
{
	if (e->kind == GLINT_STATION_EVENT_STEP && e->step == GLINT_STATION_STEP_PROGRAM)
		g_cancellable_cancel(run->cancellable);
}

START_TEST(test_cancel_stops_the_board_at_a_safe_point)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("3", NULL);
	g_autoptr(ProdRun) run = prod_run_new(recipe, NULL, &fixture, 1, NULL);
	g_autoptr(GPtrArray) records = NULL;
	const GlintStationRecord *r;

	run->hook = cancel_while_programming;
	ck_assert(!prod_run(run));
	ck_assert(g_error_matches(run->error, GLINT_ERROR, GLINT_ERROR_CANCELLED));
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 1);
	r = &record_of(records, 0)->record;
	ck_assert(!r->passed);
	ck_assert_str_eq(r->step, "program");
	ck_assert_str_eq(r->error, "stopped by the operator: program the board again");
	ck_assert_ptr_null(r->serial);
	/* no number was taken for it */
	ck_assert_uint_eq(prod_counter_next(recipe, "serial"), 0);
}
END_TEST

START_TEST(test_four_probes_at_once)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	GlintSimFixture *fixtures[4];
	GlintStationOptions options = {.boards = 12};
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GPtrArray) records = NULL;
	g_autoptr(GHashTable) serials = g_hash_table_new(g_str_hash, g_str_equal);
	guint found = 0;

	for (guint i = 0; i < 4; i++) {
		g_autofree gchar *serial = g_strdup_printf("0669FF0000000000000010%02u", i);
		fixtures[i] = prod_fixture("3", serial);
	}
	run = prod_run_new(recipe, &options, fixtures, 4, NULL);
	ck_assert_msg(prod_run(run), "%s", run->error->message);
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 12);
	for (guint i = 0; i < records->len; i++) {
		const GlintStationRecord *r = &record_of(records, i)->record;
		guint64 n;
		ck_assert_msg(r->passed, "%s", r->cause);
		ck_assert_msg(g_hash_table_add(serials, r->serial), "serial %s twice", r->serial);
		n = g_ascii_strtoull(r->serial, NULL, 10);
		ck_assert(n >= 1000 && n < 1012);
	}
	/* every board holds the number its record names */
	for (guint i = 0; i < 4; i++) {
		ck_assert_uint_eq(glint_sim_fixture_get_inserted(fixtures[i]), 3);
		for (guint k = 1; k <= 3; k++) {
			g_autoptr(GlintSim) board = glint_sim_fixture_get_board(fixtures[i], k);
			g_autofree gchar *n =
			    g_strdup_printf("%u", glint_sim_peek32(board, PROD_SERIAL_ADDR));
			ck_assert_msg(g_hash_table_contains(serials, n), "board holds %s", n);
			found++;
		}
		glint_sim_fixture_unref(fixtures[i]);
	}
	ck_assert_uint_eq(found, 12);
}
END_TEST

START_TEST(test_unique_data_one_row_per_board)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *csv = g_build_filename(dir, "keys.csv", NULL);
	g_autofree gchar *recipe = NULL;
	g_autoptr(GlintSimFixture) fixture = prod_fixture("4", NULL);
	GlintStationOptions options = {.boards = 4};
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GPtrArray) records = NULL;

	ck_assert(g_file_set_contents(csv,
				      "board,mac\n"
				      "a,00:80:E1:00:00:01\n"
				      "b,\"00:80:E1:00:00:02\"\n"
				      "c,00-80-E1-00-00-03\n",
				      -1, NULL));
	recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG",
				   "[unique-data]\nfile=keys.csv\ncolumn=mac\n"
				   "address=0x080FF810\nencoding=hex\n");
	run = prod_run_new(recipe, &options, &fixture, 1, NULL);
	ck_assert(!prod_run(run));
	/* three rows, three boards; the fourth is never touched */
	ck_assert_msg(strstr(run->error->message, "3 rows") != NULL, "%s", run->error->message);
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 3);
	for (guint k = 1; k <= 3; k++) {
		const GlintStationRecord *r = &record_of(records, k - 1)->record;
		g_autoptr(GlintSim) board = glint_sim_fixture_get_board(fixture, k);
		guint8 mac[6];
		ck_assert_msg(r->passed, "%s", r->cause);
		ck_assert_int_eq(r->unique_row, k + 1); /* the CSV line */
		ck_assert(glint_sim_peek(board, PROD_UNIQUE_ADDR, mac, sizeof(mac)));
		ck_assert_uint_eq(mac[0], 0x00);
		ck_assert_uint_eq(mac[2], 0xE1);
		ck_assert_uint_eq(mac[5], k);
	}
	ck_assert_uint_eq(glint_sim_fixture_get_inserted(fixture), 4);
	ck_assert(!prod_board_has_image(fixture, 4));
	/* no number was spent on the board that got no row */
	ck_assert_uint_eq(prod_counter_next(recipe, "serial"), 1003);
	ck_assert_uint_eq(prod_counter_next(recipe, "unique-row"), 3);
}
END_TEST

START_TEST(test_options_and_read_protection_need_confirm)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe =
	    prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG",
			      "[options]\nset=nRST_STOP=0;BOR_LEV=2\n[protection]\nrdp=1\n");
	g_autoptr(GlintRecipe) loaded = glint_recipe_load(recipe, NULL, NULL);
	g_autoptr(GError) error = NULL;
	GlintStationOptions unconfirmed = {.boards = 1};
	GlintStationOptions confirmed = {.boards = 1, .confirm = GLINT_CONFIRM_RISKY};
	g_autoptr(GlintStation) refused = glint_station_new(loaded, &unconfirmed, &error);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("1", NULL);
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GlintSim) board = NULL;
	guint32 optr;

	ck_assert_ptr_null(refused);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_msg(strstr(error->message, "RDP") != NULL, "%s", error->message);
	run = prod_run_new(recipe, &confirmed, &fixture, 1, NULL);
	ck_assert_msg(prod_run(run), "%s", run->error->message);
	ck_assert(record_of(prod_run_records(run), 0)->record.passed);
	board = glint_sim_fixture_get_board(fixture, 1);
	optr = glint_sim_peek32(board, PROD_OPTR_ADDR);
	/* RM0351 3.7.8: RDP in OPTR[7:0], BOR_LEV [10:8], nRST_STOP bit 12 */
	ck_assert_uint_eq(optr & 0xFF, 0xBB);
	ck_assert_uint_eq((optr >> 8) & 7, 2);
	ck_assert_uint_eq((optr >> 12) & 1, 0);
}
END_TEST

/* RDP level 2 closes the debug port as the option bytes reload: the
 * board passes (the write succeeded; no reset through a closed port). */
START_TEST(test_rdp2_locks_the_board_and_passes)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe =
	    prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", "[protection]\nrdp=2\n");
	g_autoptr(GlintRecipe) loaded = glint_recipe_load(recipe, NULL, NULL);
	g_autoptr(GError) error = NULL;
	GlintStationOptions risky = {.boards = 1, .confirm = GLINT_CONFIRM_RISKY};
	GlintStationOptions permanent = {.boards = 1, .confirm = GLINT_CONFIRM_PERMANENT_LOCK};
	g_autoptr(GlintStation) refused = glint_station_new(loaded, &risky, &error);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("1", NULL);
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GPtrArray) records = NULL;

	ck_assert_ptr_null(refused);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_msg(strstr(error->message, "--confirm-permanent-lock") != NULL, "%s",
		      error->message);
	run = prod_run_new(recipe, &permanent, &fixture, 1, NULL);
	ck_assert_msg(prod_run(run), "%s", run->error->message);
	records = prod_run_records(run);
	ck_assert_msg(record_of(records, 0)->record.passed, "%s",
		      record_of(records, 0)->record.cause);
	ck_assert_str_eq(record_of(records, 0)->record.serial, "1000");
	ck_assert_uint_eq(prod_board_u32(fixture, 1, PROD_OPTR_ADDR) & 0xFF, 0xCC);
	ck_assert_uint_eq(prod_board_u32(fixture, 1, PROD_SERIAL_ADDR), 1000);
}
END_TEST

/* ---- power cuts: the sweep ----------------------------------------------------- */

typedef struct {
	guint64 cut_at; /* command of board 1's job at which the power goes (0: never) */
	guint64 seen;
	gboolean cut;
	GlintSim *first;
} CutPlan;

/* Counts the commands of board 1's job: from the first that is not a
 * voltage read (a board that dies before the station has seen it settle is
 * an empty socket to the station, as on the bench). */
static gboolean
cut_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	CutPlan *plan = user_data;
	if (plan->first == NULL)
		plan->first = sim;
	if (sim != plan->first || (plan->seen == 0 && cmd[0] == 0xF7))
		return TRUE;
	if (++plan->seen == plan->cut_at) {
		glint_sim_power_fail(sim);
		plan->cut = TRUE;
	}
	return TRUE;
}

/* Where the serial step's commands lie in a board's job (baseline run). */
typedef struct {
	CutPlan *plan;
	guint64 serial_first; /* first command of the serial step */
	guint64 serial_end;   /* first command after it */
} StepWindow;

static void
note_serial_step(ProdRun *run, const ProdEvent *e)
{
	StepWindow *w = run->hook_data;
	if (e->kind != GLINT_STATION_EVENT_STEP)
		return;
	if (e->step == GLINT_STATION_STEP_SERIAL)
		w->serial_first = w->plan->seen + 1;
	else if (w->serial_first != 0 && w->serial_end == 0)
		w->serial_end = w->plan->seen + 1;
}

/* How many probe commands board 1 of a fixture takes, whole, and which of
 * them write its serial number. */
static guint64
commands_of_one_board(const char *recipe, StepWindow *window)
{
	CutPlan plan = {0};
	g_autoptr(GlintSimFixture) fixture = prod_fixture("1", NULL);
	GlintStationOptions options = {.boards = 1};
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GlintSim) board = NULL;

	window->plan = &plan;
	glint_sim_fixture_set_command_hook(fixture, cut_hook, &plan);
	run = prod_run_new(recipe, &options, &fixture, 1, NULL);
	run->hook = note_serial_step;
	run->hook_data = window;
	ck_assert(prod_run(run));
	board = glint_sim_fixture_get_board(fixture, 1);
	ck_assert(glint_sim_get_command_count(board) > plan.seen);
	ck_assert(window->serial_first > 0 && window->serial_end > window->serial_first);
	window->plan = NULL;
	return plan.seen;
}

static guint64
next_cut(guint64 k, guint64 stride, const StepWindow *serial)
{
	if (k + 1 >= serial->serial_first && k + 1 < serial->serial_end)
		return k + 1;
	if (k < serial->serial_first && k + stride > serial->serial_first)
		return serial->serial_first;
	return k + stride;
}

START_TEST(test_power_cut_at_every_step_gives_no_serial_twice)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	StepWindow serial = {0};
	guint64 total = commands_of_one_board(recipe, &serial);
	guint64 expect_next = prod_counter_next(recipe, "serial");
	guint64 stride = MAX(total / 60, 1);
	guint cuts = 0, failed = 0, held_numbers = 0;

	ck_assert_uint_gt(total, 50);
	/* a stride through the whole job, and every command of the serial step */
	for (guint64 k = 1; k <= total; k = next_cut(k, stride, &serial)) {
		CutPlan plan = {.cut_at = k};
		g_autoptr(GlintSimFixture) fixture = prod_fixture("2", NULL);
		GlintStationOptions options = {.boards = 2};
		g_autoptr(ProdRun) run = NULL;
		g_autoptr(GPtrArray) records = NULL;
		const GlintStationRecord *cut, *next;
		guint64 counter;

		glint_sim_fixture_set_command_hook(fixture, cut_hook, &plan);
		run = prod_run_new(recipe, &options, &fixture, 1, NULL);
		ck_assert_msg(prod_run(run), "cut at %" G_GUINT64_FORMAT ": %s", k,
			      run->error->message);
		records = prod_run_records(run);
		ck_assert_uint_eq(records->len, 2);
		cut = &record_of(records, 0)->record;
		next = &record_of(records, 1)->record;
		counter = prod_counter_next(recipe, "serial");
		if (plan.cut)
			cuts++;
		if (!cut->passed) {
			failed++;
			/* a board that failed is never recorded with a number */
			ck_assert_ptr_null(cut->serial);
			ck_assert_ptr_nonnull(cut->error);
		}
		/* the next board passes, with a number never given before */
		ck_assert_msg(next->passed, "cut at %" G_GUINT64_FORMAT ": %s", k, next->cause);
		ck_assert_uint_ge(g_ascii_strtoull(next->serial, NULL, 10), expect_next);
		ck_assert_uint_gt(counter, g_ascii_strtoull(next->serial, NULL, 10));
		/* whatever the cut board holds at the serial address was taken
		 * for it: the counter is past it, and the next board has another */
		{
			guint32 held = prod_board_u32(fixture, 1, PROD_SERIAL_ADDR);
			if (held != 0xFFFFFFFFu && held >= 1000 && held < 100000) {
				held_numbers++;
				ck_assert_uint_gt(counter, held);
				ck_assert_msg(g_ascii_strtoull(next->serial, NULL, 10) != held,
					      "cut at %" G_GUINT64_FORMAT
					      ": board 1 holds %u and board 2 got it too",
					      k, held);
			}
		}
		expect_next = counter;
	}
	printf("# %u power cuts (%" G_GUINT64_FORMAT
	       " commands a board, every one of the %" G_GUINT64_FORMAT
	       " that write its serial number); %u boards failed, %u of them holding a number\n",
	       cuts, total, serial.serial_end - serial.serial_first, failed, held_numbers);
	/* the sweep cut power in the middle of boards, and boards failed */
	ck_assert_uint_ge(held_numbers, 3);
	ck_assert_uint_ge(cuts, 50);
	ck_assert_uint_ge(failed, 50);
}
END_TEST

/* ---- lost probes ------------------------------------------------------------------- */

typedef struct {
	guint64 vanish_at;
	guint64 seen;
} VanishPlan;

static gboolean
vanish_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	VanishPlan *plan = user_data;
	return ++plan->seen != plan->vanish_at;
}

START_TEST(test_lost_probe_fails_the_board_and_ends)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("2", NULL);
	VanishPlan plan = {.vanish_at = 60};
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GPtrArray) records = NULL;
	const GlintStationRecord *r;

	glint_sim_fixture_set_command_hook(fixture, vanish_hook, &plan);
	run = prod_run_new(recipe, NULL, &fixture, 1, NULL);
	ck_assert(!prod_run(run));
	ck_assert_msg(g_error_matches(run->error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      run->error->message);
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 1);
	r = &record_of(records, 0)->record;
	ck_assert(!r->passed);
	ck_assert_str_eq(r->error_code, "disconnected");
	ck_assert(g_str_has_prefix(r->error, "probe disconnected"));
	ck_assert_uint_eq(prod_run_count(run, GLINT_STATION_EVENT_PROBE_LOST), 1);
}
END_TEST

/* The probe comes back (with the next boards of the line). */
static GlintTransport *
reopen_second_fixture(const char *serial, gpointer user_data, GError **error)
{
	return glint_sim_fixture_transport_new(user_data);
}

START_TEST(test_lost_probe_comes_back)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("2", NULL);
	g_autoptr(GlintSimFixture) replugged = prod_fixture("2", NULL);
	VanishPlan plan = {.vanish_at = 60};
	GlintStationOptions options = {.boards = 3};
	g_autoptr(ProdRun) run = NULL;
	g_autoptr(GPtrArray) records = NULL;

	glint_sim_fixture_set_command_hook(fixture, vanish_hook, &plan);
	run = prod_run_new(recipe, &options, &fixture, 1, NULL);
	glint_station_set_reopen_func(run->station, reopen_second_fixture, replugged);
	ck_assert_msg(prod_run(run), "%s", run->error->message);
	records = prod_run_records(run);
	ck_assert_uint_eq(records->len, 3);
	ck_assert(!record_of(records, 0)->record.passed);
	ck_assert(record_of(records, 1)->record.passed);
	ck_assert(record_of(records, 2)->record.passed);
	ck_assert_str_eq(record_of(records, 1)->record.serial, "1000");
	ck_assert_uint_eq(prod_board_u32(replugged, 2, PROD_SERIAL_ADDR), 1001);
}
END_TEST

START_TEST(test_record_file_refused_stops_nothing_started)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "notes.csv", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecordFile) file = NULL;
	g_autofree gchar *kept = NULL;

	/* a file that holds something else is never written over */
	ck_assert(g_file_set_contents(path, "my,own,data\n1,2,3\n", -1, NULL));
	file = glint_record_file_open(path, &error);
	ck_assert_ptr_null(file);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "notes.csv") != NULL, "%s", error->message);
	ck_assert(g_file_get_contents(path, &kept, NULL, NULL));
	ck_assert_str_eq(kept, "my,own,data\n1,2,3\n");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("station");
	TCase *tc = tcase_create("station");
	TCase *sweep = tcase_create("sweep");
	SRunner *sr;
	int failed;

	if (!test_tmp_init("glint-station-XXXXXX", NULL))
		return 1;
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_three_boards_get_serials_1000_to_1002);
	tcase_add_test(tc, test_failing_boards_are_named_and_the_station_goes_on);
	tcase_add_test(tc, test_wrong_chip_is_refused);
	tcase_add_test(tc, test_stop_lets_the_board_finish);
	tcase_add_test(tc, test_cancel_stops_the_board_at_a_safe_point);
	tcase_add_test(tc, test_four_probes_at_once);
	tcase_add_test(tc, test_unique_data_one_row_per_board);
	tcase_add_test(tc, test_options_and_read_protection_need_confirm);
	tcase_add_test(tc, test_rdp2_locks_the_board_and_passes);
	tcase_add_test(tc, test_lost_probe_fails_the_board_and_ends);
	tcase_add_test(tc, test_lost_probe_comes_back);
	tcase_add_test(tc, test_record_file_refused_stops_nothing_started);
	suite_add_tcase(s, tc);
	tcase_set_timeout(sweep, 600);
	tcase_add_test(sweep, test_power_cut_at_every_step_gives_no_serial_twice);
	suite_add_tcase(s, sweep);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	test_tmp_cleanup();
	return failed ? 1 : 0;
}
