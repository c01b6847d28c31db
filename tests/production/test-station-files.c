/* test-station-files.c: what a station keeps on disk: the counters (a
 * value never handed out twice, by threads or processes, a damaged file
 * left for a person) and the record files (whole lines only, quoting, a
 * torn last line set aside, foreign files left alone). */
#define G_LOG_DOMAIN "test-station-files"

#include <check.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glint-station-counter.h"
#include "glint-station-record.h"
#include "prod-test.h"
#include "test-tmp.h"

static gchar *
recipe_path(const char *dir)
{
	/* the counters only need the recipe's name and folder */
	return g_build_filename(dir, "r.glintrecipe", NULL);
}

START_TEST(test_counter_takes_and_persists)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = recipe_path(dir);
	g_autoptr(GError) error = NULL;
	guint64 v = 0;

	{
		g_autoptr(GlintStationCounter) c = glint_station_counter_open(recipe, &error);
		ck_assert(c != NULL);
		ck_assert(glint_station_counter_peek(c, "serial", 1000, &v, &error));
		ck_assert_uint_eq(v, 1000);
		ck_assert(glint_station_counter_take(c, "serial", 1000, 5, &v, &error));
		ck_assert_uint_eq(v, 1000);
		ck_assert(glint_station_counter_take(c, "serial", 1000, 5, &v, &error));
		ck_assert_uint_eq(v, 1005);
		ck_assert(glint_station_counter_take(c, "unique-row", 0, 1, &v, &error));
		ck_assert_uint_eq(v, 0);
	}
	ck_assert_uint_eq(prod_counter_next(recipe, "serial"), 1010);
	ck_assert_uint_eq(prod_counter_next(recipe, "unique-row"), 1);
	{
		/* another station on it later, with a first value raised past it */
		g_autoptr(GlintStationCounter) c = glint_station_counter_open(recipe, &error);
		ck_assert(glint_station_counter_take(c, "serial", 1000, 1, &v, &error));
		ck_assert_uint_eq(v, 1010);
		ck_assert(glint_station_counter_take(c, "serial", 5000, 1, &v, &error));
		ck_assert_uint_eq(v, 5000);
	}
}
END_TEST

START_TEST(test_damaged_counter_is_left_alone)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = recipe_path(dir);
	g_autofree gchar *path = g_strconcat(recipe, ".counters", NULL);
	g_autofree gchar *stale = g_strconcat(path, ".tmp", NULL);
	const char *damaged = "[counters]\nserial=10x3\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintStationCounter) c = glint_station_counter_open(recipe, &error);
	g_autofree gchar *after = NULL;
	guint64 v = 7;

	ck_assert(g_file_set_contents(path, damaged, -1, NULL));
	ck_assert(!glint_station_counter_take(c, "serial", 1, 1, &v, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
	ck_assert_msg(strstr(error->message, "10x3") != NULL, "%s", error->message);
	ck_assert_uint_eq(v, 7);
	ck_assert(g_file_get_contents(path, &after, NULL, NULL));
	ck_assert_str_eq(after, damaged);
	/* a temporary file a crash left is written over, never read */
	g_clear_error(&error);
	ck_assert(g_file_set_contents(path, "[counters]\nserial=20\n", -1, NULL));
	ck_assert(g_file_set_contents(stale, "garbage", -1, NULL));
	ck_assert(glint_station_counter_take(c, "serial", 1, 1, &v, &error));
	ck_assert_uint_eq(v, 20);
	ck_assert(!g_file_test(stale, G_FILE_TEST_EXISTS));
}
END_TEST

#define TAKERS 8
#define TAKES 40

typedef struct {
	GlintStationCounter *counter;
	guint64 values[TAKES];
} Taker;

static gpointer
taker_thread(gpointer data)
{
	Taker *t = data;
	for (guint i = 0; i < TAKES; i++)
		g_assert(
		    glint_station_counter_take(t->counter, "serial", 1, 1, &t->values[i], NULL));
	return NULL;
}

static void
assert_each_once(const guint64 *values, guint n, guint64 first)
{
	g_autofree gboolean *seen = g_new0(gboolean, n);
	for (guint i = 0; i < n; i++) {
		ck_assert_msg(values[i] >= first && values[i] < first + n,
			      "value %" G_GUINT64_FORMAT, values[i]);
		ck_assert_msg(!seen[values[i] - first], "%" G_GUINT64_FORMAT " given twice",
			      values[i]);
		seen[values[i] - first] = TRUE;
	}
}

START_TEST(test_counter_threads_never_share_a_value)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = recipe_path(dir);
	g_autoptr(GlintStationCounter) c = glint_station_counter_open(recipe, NULL);
	Taker takers[TAKERS];
	GThread *threads[TAKERS];
	guint64 all[TAKERS * TAKES];

	for (guint i = 0; i < TAKERS; i++) {
		takers[i].counter = c;
		threads[i] = g_thread_new("taker", taker_thread, &takers[i]);
	}
	for (guint i = 0; i < TAKERS; i++) {
		g_thread_join(threads[i]);
		memcpy(all + i * TAKES, takers[i].values, sizeof(takers[i].values));
	}
	assert_each_once(all, TAKERS * TAKES, 1);
	ck_assert_uint_eq(prod_counter_next(recipe, "serial"), 1 + TAKERS * TAKES);
}
END_TEST

START_TEST(test_counter_processes_never_share_a_value)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *recipe = recipe_path(dir);
	guint64 all[TAKERS * TAKES];
	int fds[TAKERS];
	pid_t pids[TAKERS];

	for (guint i = 0; i < TAKERS; i++) {
		int p[2];
		ck_assert(pipe(p) == 0);
		pids[i] = fork();
		ck_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			/* each process opens the counters itself, as a station does */
			GlintStationCounter *c = glint_station_counter_open(recipe, NULL);
			close(p[0]);
			for (guint k = 0; k < TAKES; k++) {
				guint64 v = 0;
				if (!glint_station_counter_take(c, "serial", 1, 1, &v, NULL) ||
				    write(p[1], &v, sizeof(v)) != sizeof(v))
					_exit(1);
			}
			_exit(0);
		}
		close(p[1]);
		fds[i] = p[0];
	}
	for (guint i = 0; i < TAKERS; i++) {
		int status = 0;
		gsize got = 0;
		guint8 *into = (guint8 *)(all + i * TAKES);
		while (got < sizeof(guint64) * TAKES) {
			gssize n = read(fds[i], into + got, sizeof(guint64) * TAKES - got);
			ck_assert_msg(n > 0, "taker %u stopped after %zu bytes", i, got);
			got += (gsize)n;
		}
		close(fds[i]);
		ck_assert(waitpid(pids[i], &status, 0) == pids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_each_once(all, TAKERS * TAKES, 1);
}
END_TEST

/* ---- records ---------------------------------------------------------------- */

static void
fill_record(GlintStationRecord *r, guint n, gboolean passed)
{
	glint_station_record_init(r);
	r->time = g_strdup("2024-05-02T14:03:11+02:00");
	r->probe = g_strdup("0669FF000000000000001000");
	r->chip = g_strdup("STM32L47x/L48x");
	r->flash_kb = 1024;
	r->uid = g_strdup_printf("%024u", n);
	r->image_crc = 0xDEADBEEF;
	r->passed = passed;
	r->seconds = 1.5;
	if (passed) {
		r->serial = g_strdup_printf("%u", 1000 + n);
	} else {
		r->step = g_strdup("connect");
		r->error = g_strdup("bad contact: target voltage 0.40 V: reseat the board");
		r->cause = g_strdup("line one, \"quoted\"\nline two\\ \t end");
		r->error_code = g_strdup("no-target");
	}
}

START_TEST(test_csv_fields_are_quoted)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "rec.csv", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecordFile) file = glint_record_file_open(path, &error);
	g_auto(GlintStationRecord) r = {0};
	g_autoptr(GPtrArray) rows = NULL;
	GStrv row;

	ck_assert(file != NULL);
	fill_record(&r, 1, FALSE);
	ck_assert(glint_record_file_append(file, &r, &error));
	rows = prod_read_csv(path);
	ck_assert_uint_eq(rows->len, 2);
	ck_assert_uint_eq(g_strv_length(g_ptr_array_index(rows, 0)), 15);
	row = g_ptr_array_index(rows, 1);
	ck_assert_uint_eq(g_strv_length(row), 15);
	ck_assert_str_eq(row[5], "");
	ck_assert_str_eq(row[7], "0xDEADBEEF");
	ck_assert_str_eq(row[8], "FAIL");
	ck_assert_str_eq(row[10], "bad contact: target voltage 0.40 V: reseat the board");
	/* one record, one line: the line end inside became a space */
	ck_assert_str_eq(row[11], "line one, \"quoted\" line two\\ \t end");
	ck_assert_str_eq(row[13], "1.500");
	ck_assert_str_eq(row[14], "");
}
END_TEST

START_TEST(test_json_lines_escape)
{
	g_auto(GlintStationRecord) r = {0};
	g_autofree gchar *line = NULL;

	fill_record(&r, 2, FALSE);
	line = glint_station_record_to_json(&r);
	ck_assert(g_str_has_prefix(line, "{\"time\":\"2024-05-02T14:03:11+02:00\","));
	ck_assert(g_str_has_suffix(line, "\"modelled_s\":null}\n"));
	ck_assert_ptr_eq(strchr(line, '\n'), line + strlen(line) - 1);
	ck_assert_msg(strstr(line, "\"cause\":\"line one, \\\"quoted\\\"\\u000aline two\\\\ "
				   "\\u0009 end\"") != NULL,
		      "%s", line);
	ck_assert(strstr(line, "\"serial\":null") != NULL);
	ck_assert(strstr(line, "\"flash_kb\":1024") != NULL);
}
END_TEST

START_TEST(test_torn_last_line_is_set_aside)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "rec.csv", NULL);
	g_autofree gchar *torn = g_strconcat(path, ".torn", NULL);
	g_autofree gchar *whole = g_strconcat(glint_station_record_csv_header(), "\n",
					      "a,b,c,d,e,f,g,h,PASS,j,k,l,m,n,o\n", NULL);
	g_autofree gchar *cut = g_strconcat(whole, "2024-05-02T14:03:11+02:00,0669FF", NULL);
	g_autofree gchar *kept = NULL;
	g_autofree gchar *aside = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecordFile) file = NULL;
	g_auto(GlintStationRecord) r = {0};
	g_autoptr(GPtrArray) rows = NULL;

	ck_assert(g_file_set_contents(path, cut, -1, NULL));
	file = glint_record_file_open(path, &error);
	ck_assert_msg(file != NULL, "%s", error != NULL ? error->message : "");
	ck_assert(g_file_get_contents(path, &kept, NULL, NULL));
	ck_assert_str_eq(kept, whole);
	ck_assert(g_file_get_contents(torn, &aside, NULL, NULL));
	ck_assert_str_eq(aside, "2024-05-02T14:03:11+02:00,0669FF\n");
	fill_record(&r, 3, TRUE);
	ck_assert(glint_record_file_append(file, &r, &error));
	rows = prod_read_csv(path);
	ck_assert_uint_eq(rows->len, 3);
	ck_assert_str_eq(((GStrv)g_ptr_array_index(rows, 2))[5], "1003");
}
END_TEST

START_TEST(test_torn_header_is_written_again)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "rec.csv", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecordFile) file = NULL;
	g_autofree gchar *text = NULL;

	ck_assert(g_file_set_contents(path, "time,probe,ch", -1, NULL));
	file = glint_record_file_open(path, &error);
	ck_assert_msg(file != NULL, "%s", error != NULL ? error->message : "");
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert(g_str_has_prefix(text, glint_station_record_csv_header()));
	ck_assert(g_str_has_suffix(text, "\n"));
}
END_TEST

START_TEST(test_foreign_jsonl_is_refused)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "rec.jsonl", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecordFile) file = NULL;
	g_autofree gchar *kept = NULL;

	ck_assert(g_file_set_contents(path, "{\"mine\":1}\n", -1, NULL));
	file = glint_record_file_open(path, &error);
	ck_assert_ptr_null(file);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert(g_file_get_contents(path, &kept, NULL, NULL));
	ck_assert_str_eq(kept, "{\"mine\":1}\n");
	/* a directory is no record file either */
	g_clear_error(&error);
	file = glint_record_file_open(dir, &error);
	ck_assert_ptr_null(file);
}
END_TEST

#define WRITERS 6
#define WRITES 50

static gpointer
writer_thread(gpointer data)
{
	GlintRecordFile *file = data;
	for (guint i = 0; i < WRITES; i++) {
		g_auto(GlintStationRecord) r = {0};
		fill_record(&r, i, i % 3 != 0);
		g_assert(glint_record_file_append(file, &r, NULL));
	}
	return NULL;
}

START_TEST(test_threads_append_whole_lines)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "rec.jsonl", NULL);
	g_autoptr(GlintRecordFile) file = glint_record_file_open(path, NULL);
	GThread *threads[WRITERS];
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;

	for (guint i = 0; i < WRITERS; i++)
		threads[i] = g_thread_new("writer", writer_thread, file);
	for (guint i = 0; i < WRITERS; i++)
		g_thread_join(threads[i]);
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), WRITERS * WRITES + 1);
	for (guint i = 0; i < WRITERS * WRITES; i++) {
		ck_assert(g_str_has_prefix(lines[i], "{\"time\":"));
		ck_assert(g_str_has_suffix(lines[i], "}"));
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("station-files");
	TCase *tc = tcase_create("files");
	SRunner *sr;
	int failed;

	if (!test_tmp_init("glint-station-files-XXXXXX", NULL))
		return 1;
	tcase_add_test(tc, test_counter_takes_and_persists);
	tcase_add_test(tc, test_damaged_counter_is_left_alone);
	tcase_add_test(tc, test_counter_threads_never_share_a_value);
	tcase_add_test(tc, test_counter_processes_never_share_a_value);
	tcase_add_test(tc, test_csv_fields_are_quoted);
	tcase_add_test(tc, test_json_lines_escape);
	tcase_add_test(tc, test_torn_last_line_is_set_aside);
	tcase_add_test(tc, test_torn_header_is_written_again);
	tcase_add_test(tc, test_foreign_jsonl_is_refused);
	tcase_add_test(tc, test_threads_append_whole_lines);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	test_tmp_cleanup();
	return failed ? 1 : 0;
}
