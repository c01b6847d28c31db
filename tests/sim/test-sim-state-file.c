/* test-sim-state-file.c: the board state file as a file (issue 16): one
 * holder at a time (lost updates), what is not a regular file refused by
 * what it is, a huge file refused by its size before it is read, a
 * read-only file refused rather than replaced, symbolic links kept. */
#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim-test.h"
#include "test-tmp.h"

#define MARK_ADDR 0x08000800u

#define ck_assert_error_code(e, code)                                                              \
	ck_assert_msg(g_error_matches((e), GLINT_ERROR, (code)), "expected %s, got: %s",           \
		      glint_error_code_to_string(code), (e) ? (e)->message : "no error")

/* A board whose flash says @mark at MARK_ADDR. */
static GlintSim *
board_marked(guint8 mark)
{
	GlintSim *sim = glint_sim_new("fresh", NULL);
	guint8 bytes[8];
	memset(bytes, mark, sizeof bytes);
	ck_assert(glint_sim_poke(sim, MARK_ADDR, bytes, sizeof bytes));
	return sim;
}

static guint8
board_mark(GlintSim *sim)
{
	guint8 b = 0;
	ck_assert(glint_sim_peek(sim, MARK_ADDR, &b, 1));
	return b;
}

static gchar *
saved_board(const char *dir, const char *name, guint8 mark)
{
	g_autoptr(GlintSim) sim = board_marked(mark);
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);
	ck_assert_msg(glint_sim_save_state(sim, path, &error), "%s", error ? error->message : "");
	return path;
}

static guint8
mark_in_file(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new_from_state(path, &error);
	ck_assert_msg(sim != NULL, "%s", error ? error->message : "");
	return board_mark(sim);
}

START_TEST(test_read_only_state_not_replaced)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = saved_board(dir, "board.state", 0x11);
	g_autoptr(GlintSim) other = board_marked(0x22);
	g_autoptr(GError) error = NULL;
	GStatBuf st;

	ck_assert_int_eq(g_chmod(path, 0444), 0);
	ck_assert(!glint_sim_save_state(other, path, &error));
	ck_assert_error_code(error, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_msg(strstr(error->message, "read-only") && strstr(error->message, "chmod u+w"),
		      "%s", error->message);
	ck_assert_int_eq(g_stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0444);
	ck_assert_uint_eq(mark_in_file(path), 0x11);
	/* Refused at open too, before a run starts. */
	g_clear_error(&error);
	ck_assert_ptr_null(glint_sim_state_file_open(path, &error));
	ck_assert_error_code(error, GLINT_ERROR_INVALID_ARGUMENT);
	/* Reading a read-only board is fine. */
	ck_assert_uint_eq(mark_in_file(path), 0x11);
}
END_TEST

START_TEST(test_symlink_followed_and_kept)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *real = saved_board(dir, "real.state", 0x11);
	g_autofree gchar *link = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *link2 = g_build_filename(dir, "board2.state", NULL);
	g_autoptr(GlintSim) other = board_marked(0x33);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *points_to = NULL;
	GStatBuf st;

	/* A relative link, through a second one. */
	ck_assert_int_eq(symlink("real.state", link), 0);
	ck_assert_int_eq(symlink("board.state", link2), 0);
	ck_assert_int_eq(g_chmod(real, 0600), 0);
	ck_assert_msg(glint_sim_save_state(other, link2, &error), "%s", error->message);
	ck_assert_int_eq(g_lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(g_lstat(link2, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	points_to = g_file_read_link(link, NULL);
	ck_assert_str_eq(points_to, "real.state");
	ck_assert_uint_eq(mark_in_file(real), 0x33);
	/* The target keeps its mode. */
	ck_assert_int_eq(g_stat(real, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
}
END_TEST

static void
assert_not_a_file(const char *path, const char *kind)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new_from_state(path, &error);
	ck_assert_ptr_null(sim);
	ck_assert_error_code(error, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_msg(strstr(error->message, kind) != NULL, "'%s' does not say %s", error->message,
		      kind);
	ck_assert_ptr_null(glint_sim_state_file_open(path, &error2));
	ck_assert_error_code(error2, GLINT_ERROR_INVALID_ARGUMENT);
}

START_TEST(test_fifo_and_devices_refused)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *fifo = g_build_filename(dir, "board.state", NULL);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	assert_not_a_file(fifo, "a FIFO");
	assert_not_a_file("/dev/zero", "a character device");
	assert_not_a_file(dir, "a directory");
}
END_TEST

/* A 3 GB file is refused by its size, before a byte of it is read. */
START_TEST(test_huge_state_refused_by_size)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GError) error = NULL;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseeko(f, (off_t)3 * 1024 * 1024 * 1024, SEEK_SET), 0);
	ck_assert_int_eq(fputc(0, f), 0);
	fclose(f);
	ck_assert_ptr_null(glint_sim_new_from_state(path, &error));
	ck_assert_error_code(error, GLINT_ERROR_BAD_IMAGE);
	/* g_format_size() puts a no-break space before the unit. */
	ck_assert_msg(strstr(error->message, "3.2") && strstr(error->message, "GB"), "%s",
		      error->message);
	g_clear_error(&error);
	ck_assert_ptr_null(glint_sim_state_file_open(path, &error));
	ck_assert_error_code(error, GLINT_ERROR_BAD_IMAGE);
}
END_TEST

START_TEST(test_empty_path_refused)
{
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_null(glint_sim_state_file_open("", &error));
	ck_assert_error_code(error, GLINT_ERROR_INVALID_ARGUMENT);
}
END_TEST

/* The lost update: while one run holds the board, a second cannot take it
 * and is told who has it. */
START_TEST(test_second_holder_is_told_busy)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = saved_board(dir, "board.state", 0x11);
	g_autoptr(GlintSimStateFile) a = glint_sim_state_file_open(path, NULL);
	g_autoptr(GlintSimStateFile) b = glint_sim_state_file_open(path, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *pid = g_strdup_printf("pid %d", (int)getpid());

	ck_assert(a != NULL && b != NULL);
	ck_assert(glint_sim_state_file_lock(a, 0, NULL, NULL));
	ck_assert(!glint_sim_state_file_lock(b, 0, NULL, &error));
	ck_assert_error_code(error, GLINT_ERROR_BUSY);
	ck_assert_msg(strstr(error->message, "board in use") && strstr(error->message, path) &&
			  strstr(error->message, pid),
		      "'%s' does not name the board, the file and %s", error->message, pid);
	/* The one-call forms wait for it too, and give up the same way. */
	g_clear_error(&error);
	{
		g_autoptr(GCancellable) cancel = g_cancellable_new();
		g_cancellable_cancel(cancel);
		ck_assert(!glint_sim_state_file_lock(b, 60000, cancel, &error));
		ck_assert_msg(glint_error_is_cancelled(error), "%s", error->message);
	}
}
END_TEST

/* The second run opened the file before the first saved: when it gets the
 * lock it must read what the first saved, not the file it opened. */
START_TEST(test_waiter_reads_what_the_holder_saved)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = saved_board(dir, "board.state", 0x11);
	g_autoptr(GlintSimStateFile) a = glint_sim_state_file_open(path, NULL);
	g_autoptr(GlintSimStateFile) b = glint_sim_state_file_open(path, NULL);
	g_autoptr(GlintSimStateFile) c = glint_sim_state_file_open(path, NULL);
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GlintSim) next = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert(glint_sim_state_file_lock(a, 0, NULL, NULL));
	sim = glint_sim_state_file_load(a, NULL, &error);
	ck_assert_uint_eq(board_mark(sim), 0x11);
	{
		guint8 mark[8];
		memset(mark, 0x44, sizeof mark);
		ck_assert(glint_sim_poke(sim, MARK_ADDR, mark, sizeof mark));
	}
	ck_assert_msg(glint_sim_state_file_save(a, sim, &error), "%s", error->message);
	/* Saved, still held: the new file under the name is locked too. */
	ck_assert(!glint_sim_state_file_lock(c, 0, NULL, &error));
	ck_assert_error_code(error, GLINT_ERROR_BUSY);
	g_clear_error(&error);
	g_clear_pointer(&a, glint_sim_state_file_close);
	ck_assert_msg(glint_sim_state_file_lock(b, 0, NULL, &error), "%s", error->message);
	next = glint_sim_state_file_load(b, NULL, &error);
	ck_assert_msg(next != NULL, "%s", error->message);
	ck_assert_uint_eq(board_mark(next), 0x44);
}
END_TEST

/* A run on a new file that ends without saving leaves no empty file that
 * the next run would take for a broken board. */
START_TEST(test_new_file_unsaved_is_removed)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "new.state", NULL);
	g_autoptr(GError) error = NULL;
	{
		g_autoptr(GlintSimStateFile) f = glint_sim_state_file_open(path, &error);
		ck_assert_msg(f != NULL, "%s", error ? error->message : "");
		ck_assert(glint_sim_state_file_lock(f, 0, NULL, NULL));
		ck_assert(!glint_sim_state_file_has_board(f));
	}
	ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
	{
		g_autoptr(GlintSimStateFile) f = glint_sim_state_file_open(path, &error);
		g_autoptr(GlintSim) sim = board_marked(0x55);
		ck_assert(glint_sim_state_file_lock(f, 0, NULL, NULL));
		ck_assert(glint_sim_state_file_save(f, sim, &error));
		ck_assert(glint_sim_state_file_has_board(f));
	}
	ck_assert_uint_eq(mark_in_file(path), 0x55);
}
END_TEST

int
main(void)
{
	g_autoptr(GError) tmp_error = NULL;
	Suite *s = suite_create("sim-state-file");
	TCase *tc = tcase_create("file");
	SRunner *sr;
	int failed;

	if (!test_tmp_init("glint-sim-state-XXXXXX", &tmp_error)) {
		g_printerr("cannot make a temporary directory: %s\n", tmp_error->message);
		return 1;
	}
	tcase_add_test(tc, test_read_only_state_not_replaced);
	tcase_add_test(tc, test_symlink_followed_and_kept);
	tcase_add_test(tc, test_fifo_and_devices_refused);
	tcase_add_test(tc, test_huge_state_refused_by_size);
	tcase_add_test(tc, test_empty_path_refused);
	tcase_add_test(tc, test_second_holder_is_told_busy);
	tcase_add_test(tc, test_waiter_reads_what_the_holder_saved);
	tcase_add_test(tc, test_new_file_unsaved_is_removed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	test_tmp_cleanup();
	return failed ? 1 : 0;
}
