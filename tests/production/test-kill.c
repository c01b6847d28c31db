/* test-kill.c: a station killed (SIGKILL) at every step of a board's recipe,
 * and at probe commands all through it, then started again, over and over
 * on one recipe: no serial number is ever given twice (to two passing
 * boards, or to a passing board while a killed one holds it), the counter
 * is always past every number a board may hold, and the record file never
 * holds half a line.
 *
 * Each run is a child process: board 1 of its fixture goes through whole,
 * board 2 is where it dies. Just before dying the child saves board 2's
 * flash (the emulator's state), so the parent sees what the board holds. */
#define G_LOG_DOMAIN "test-kill"

#include <check.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prod-test.h"
#include "test-tmp.h"

/* What a child is told to do. */
typedef struct {
	const char *dir;
	const char *recipe;
	const char *records;
	const char *killed_state; /* board 2 is saved here before the kill */
	guint run;		  /* gives each run's boards their own IDs */
	gint kill_event;	  /* die at board 2's event number N (-1: no) */
	guint64 kill_command;	  /* die at board 2's Nth job command (0: no) */
	GlintSimFixture *fixture;
	guint events_seen;
	guint64 commands_seen;
	GlintSim *board1; /* the boards as the command hook meets them */
	GlintSim *board2;
} KillPlan;

static void G_GNUC_NORETURN
die_now(KillPlan *plan, GlintSim *board)
{
	g_autoptr(GError) error = NULL;
	if (board != NULL && !glint_sim_save_state(board, plan->killed_state, &error))
		_exit(3);
	kill(getpid(), SIGKILL);
	_exit(4);
}

static void
kill_on_event(ProdRun *run, const ProdEvent *e)
{
	KillPlan *plan = run->hook_data;
	if (e->board != 2 || e->kind == GLINT_STATION_EVENT_PROGRESS ||
	    e->kind == GLINT_STATION_EVENT_LOG)
		return;
	if ((gint)plan->events_seen++ != plan->kill_event)
		return;
	{
		g_autoptr(GlintSim) board = glint_sim_fixture_get_board(plan->fixture, 2);
		die_now(plan, board);
	}
}

/* Runs inside the fixture (its lock held): only the sims themselves here.
 * The hook is on the boards only, so the second sim it meets is board 2. */
static gboolean
kill_on_command(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	KillPlan *plan = user_data;

	if (plan->kill_command == 0)
		return TRUE;
	if (plan->board1 == NULL)
		plan->board1 = sim;
	else if (plan->board2 == NULL && sim != plan->board1)
		plan->board2 = sim;
	if (sim != plan->board2 || (plan->commands_seen == 0 && cmd[0] == 0xF7))
		return TRUE;
	if (++plan->commands_seen == plan->kill_command)
		die_now(plan, sim);
	return TRUE;
}

/* The child: a station on a fixture of two boards. Exit 0 when it ran
 * through (the kill point lay beyond board 2). */
static void G_GNUC_NORETURN
child_run(KillPlan *plan)
{
	g_autofree gchar *serial = g_strdup_printf("0669FF0000000000%08X", plan->run);
	GlintStationOptions options = {.boards = 2};
	ProdRun *run;

	plan->fixture = prod_fixture("2", serial);
	glint_sim_fixture_set_command_hook(plan->fixture, kill_on_command, plan);
	run = prod_run_new(plan->recipe, &options, &plan->fixture, 1, plan->records);
	run->hook = kill_on_event;
	run->hook_data = plan;
	_exit(prod_run(run) ? 0 : 2);
}

/* Forks a run; TRUE when it was killed, FALSE when it ran through. */
static gboolean
fork_run(KillPlan *plan)
{
	int status = 0;
	pid_t pid;

	g_unlink(plan->killed_state);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0)
		child_run(plan);
	ck_assert(waitpid(pid, &status, 0) == pid);
	if (WIFSIGNALED(status)) {
		ck_assert_int_eq(WTERMSIG(status), SIGKILL);
		return TRUE;
	}
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run %u exited %d", plan->run,
		      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return FALSE;
}

/* Everything on disk after a run: complete records, each passing serial
 * once, and the counter past them and past what the killed board holds. */
typedef struct {
	GHashTable *passed; /* serial -> UID of the board recorded with it */
	guint kills;
	guint held; /* killed boards found holding a number */
} Ledger;

static void
check_after_run(KillPlan *plan, Ledger *ledger, gboolean killed)
{
	g_autoptr(GPtrArray) rows = prod_read_csv(plan->records);
	guint64 next = prod_counter_next(plan->recipe, "serial");

	for (guint i = 1; i < rows->len; i++) {
		GStrv row = g_ptr_array_index(rows, i);
		const char *uid;
		ck_assert_uint_eq(g_strv_length(row), 15);
		if (g_strcmp0(row[8], "PASS") != 0) {
			ck_assert_str_eq(row[5], "");
			continue;
		}
		ck_assert_uint_lt(g_ascii_strtoull(row[5], NULL, 10), next);
		uid = g_hash_table_lookup(ledger->passed, row[5]);
		ck_assert_msg(uid == NULL || g_strcmp0(uid, row[4]) == 0,
			      "serial %s given to %s and %s", row[5], uid, row[4]);
		if (uid == NULL)
			g_hash_table_insert(ledger->passed, g_strdup(row[5]), g_strdup(row[4]));
	}
	if (killed && g_file_test(plan->killed_state, G_FILE_TEST_EXISTS)) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GlintSim) board = glint_sim_new_from_state(plan->killed_state, &error);
		guint32 held;
		g_autofree gchar *key = NULL;
		const char *owner;
		guint8 uid_bytes[12];
		g_autoptr(GString) uid = g_string_new(NULL);

		ck_assert_msg(board != NULL, "%s", error != NULL ? error->message : "");
		held = glint_sim_peek32(board, PROD_SERIAL_ADDR);
		if (held == 0xFFFFFFFFu)
			return;
		ledger->held++;
		/* the counter is on disk before the number reaches the board */
		ck_assert_msg(held < next, "board holds %u, counter at %" G_GUINT64_FORMAT, held,
			      next);
		key = g_strdup_printf("%u", held);
		owner = g_hash_table_lookup(ledger->passed, key);
		/* the unique ID as the station reads and shows it */
		ck_assert(glint_sim_peek(board, glint_chip_lookup(0x415)->uid_addr, uid_bytes,
					 sizeof(uid_bytes)));
		for (guint i = 0; i < sizeof(uid_bytes); i++)
			g_string_append_printf(uid, "%02X", uid_bytes[sizeof(uid_bytes) - 1 - i]);
		ck_assert_msg(owner == NULL || g_strcmp0(owner, uid->str) == 0,
			      "board %s holds %u, recorded for %s", uid->str, held, owner);
		/* nobody may be given it later: it stands for a passed board */
		if (owner == NULL)
			g_hash_table_insert(ledger->passed, g_strdup(key), g_strdup(uid->str));
	}
}

/* Events of board 2 when nothing stops it (to know how many there are). */
static guint
count_board2_events(void)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autoptr(GlintSimFixture) fixture = prod_fixture("2", NULL);
	GlintStationOptions options = {.boards = 2};
	g_autoptr(ProdRun) run = prod_run_new(recipe, &options, &fixture, 1, NULL);
	guint n = 0;

	ck_assert(prod_run(run));
	for (guint i = 0; i < run->events->len; i++) {
		ProdEvent *e = g_ptr_array_index(run->events, i);
		if (e->board == 2)
			n++;
	}
	return n;
}

START_TEST(test_kill_at_every_step_and_restart)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = prod_write_recipe(dir, "r.glintrecipe", "STM32L476RG", NULL);
	g_autofree gchar *records = g_build_filename(dir, "rec.csv", NULL);
	g_autofree gchar *killed = g_build_filename(dir, "killed.state", NULL);
	KillPlan plan = {.dir = dir, .recipe = recipe, .records = records, .killed_state = killed};
	Ledger ledger = {.passed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
	guint events = count_board2_events();
	guint64 commands = 0;

	ck_assert_uint_ge(events, 10);
	/* at every event of board 2: each step it starts, the number taken, the
	 * record written, the removal asked for */
	for (guint e = 0; e < events; e++) {
		gboolean was_killed;
		plan.run++;
		plan.kill_event = (gint)e;
		plan.kill_command = 0;
		plan.events_seen = 0;
		was_killed = fork_run(&plan);
		/* the event after the last record is the removal, which the last
		 * board of a run does not wait for */
		if (was_killed)
			ledger.kills++;
		check_after_run(&plan, &ledger, was_killed);
	}
	ck_assert_uint_ge(ledger.kills, events - 1);
	/* and at probe commands all through board 2's job, a stride apart */
	plan.kill_event = -1;
	for (guint64 k = 1;; k += 13) {
		gboolean was_killed;
		plan.run++;
		plan.kill_command = k;
		plan.commands_seen = 0;
		plan.board1 = plan.board2 = NULL;
		was_killed = fork_run(&plan);
		check_after_run(&plan, &ledger, was_killed);
		if (!was_killed)
			break;
		ledger.kills++;
		commands = k;
	}
	printf("# %u kill points (%u at board 2's events, %" G_GUINT64_FORMAT
	       " commands a stride of 13 apart); %u killed boards held a number\n",
	       ledger.kills, events, commands, ledger.held);
	ck_assert_uint_ge(commands, 200);
	/* some kills came after the number reached the board: the check bit */
	ck_assert_uint_ge(ledger.held, 3);
	g_hash_table_unref(ledger.passed);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kill");
	TCase *tc = tcase_create("kill");
	SRunner *sr;
	int failed;

	if (!test_tmp_init("glint-kill-XXXXXX", NULL))
		return 1;
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_kill_at_every_step_and_restart);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	test_tmp_cleanup();
	return failed ? 1 : 0;
}
