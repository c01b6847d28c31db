/* Gang programming: several simulated probes, each its own GlintSim and
 * session, programmed at the same time from their own threads with different
 * images; each board must end with exactly its own image (no cross-talk).
 * Also: a second job on a probe that is busy is refused, not interleaved.
 * scripts/run-tsan runs this under ThreadSanitizer. */
#define G_LOG_DOMAIN "test-gang"

#include <check.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "rel-board.h"

#define N_PROBES 16
/* 40 KiB + a tail: erase, program and verify span 21 pages per board. */
#define GANG_IMAGE_LEN (40 * 1024 + 24)

typedef struct {
	RelBoard *board;
	GlintImage *image;
	GBytes *data;
	guint32 address;
	/* All threads wait here so that the jobs really overlap. The tests
	 * synchronise with pthread primitives, not GMutex/GCond: GLib's are
	 * futex-based inside libglib, where ThreadSanitizer cannot see them. */
	pthread_mutex_t *start_lock;
	pthread_cond_t *start_cond;
	gboolean *started;
	GError *error;
	GlintJobResult result;
} GangJob;

static gpointer
gang_worker(gpointer user_data)
{
	GangJob *job = user_data;
	GlintProgramOptions options = {.verify = TRUE};

	pthread_mutex_lock(job->start_lock);
	while (!*job->started)
		pthread_cond_wait(job->start_cond, job->start_lock);
	pthread_mutex_unlock(job->start_lock);
	if (!rel_board_connect(job->board, &job->error))
		return NULL;
	glint_job_program(job->board->session, job->image, &options, job->board->progress, NULL,
			  &job->result, &job->error);
	return NULL;
}

static gboolean
flash_outside_is_erased(GlintSim *sim, guint32 address, gsize len)
{
	g_autofree guint8 *buf = g_malloc(REL_FLASH_SIZE);
	guint32 start = address - REL_FLASH_BASE;
	ck_assert(glint_sim_peek(sim, REL_FLASH_BASE, buf, REL_FLASH_SIZE));
	for (gsize i = 0; i < REL_FLASH_SIZE; i++) {
		if ((i < start || i >= start + len) && buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

START_TEST(test_gang_program_no_crosstalk)
{
	GangJob jobs[N_PROBES];
	GThread *threads[N_PROBES];
	pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
	gboolean started = FALSE;

	for (guint i = 0; i < N_PROBES; i++) {
		GangJob *job = &jobs[i];
		memset(job, 0, sizeof(*job));
		job->board = rel_board_new("fresh", FALSE);
		/* Different content and places: a mix-up cannot go unseen. */
		job->address = REL_FLASH_BASE + i * 0x10000u + (i % 2) * REL_PAGE_SIZE;
		job->data = rel_random_bytes(GANG_IMAGE_LEN, 1000 + i);
		job->image = rel_image_at(job->address, job->data);
		job->start_lock = &start_lock;
		job->start_cond = &start_cond;
		job->started = &started;
		{
			g_autofree gchar *name = g_strdup_printf("probe-%u", i);
			glint_sim_set_serial(job->board->sim, name);
			threads[i] = g_thread_new(name, gang_worker, job);
		}
	}
	pthread_mutex_lock(&start_lock);
	started = TRUE;
	pthread_cond_broadcast(&start_cond);
	pthread_mutex_unlock(&start_lock);
	for (guint i = 0; i < N_PROBES; i++)
		g_thread_join(threads[i]);

	for (guint i = 0; i < N_PROBES; i++) {
		GangJob *job = &jobs[i];
		g_autofree guint8 *got = g_malloc(GANG_IMAGE_LEN);
		ck_assert_msg(job->error == NULL, "probe %u: %s", i,
			      job->error ? job->error->message : "");
		ck_assert_uint_eq(job->result.bytes, GANG_IMAGE_LEN);
		ck_assert(glint_sim_peek(job->board->sim, job->address, got, GANG_IMAGE_LEN));
		ck_assert_msg(memcmp(got, g_bytes_get_data(job->data, NULL), GANG_IMAGE_LEN) == 0,
			      "probe %u does not hold its own image", i);
		ck_assert_msg(
		    flash_outside_is_erased(job->board->sim, job->address, GANG_IMAGE_LEN),
		    "probe %u has bytes outside its image", i);
		/* Each log speaks of its own board only. */
		ck_assert(rel_board_log_contains(job->board, "Verified"));
		glint_job_result_clear(&job->result);
		glint_image_unref(job->image);
		g_bytes_unref(job->data);
		rel_board_free(job->board);
	}
	fprintf(stderr, "# %u simulated probes programmed concurrently (%u bytes each, verified)\n",
		N_PROBES, GANG_IMAGE_LEN);
}
END_TEST

/* A gate in the probe: the job thread stops inside a command until the test
 * thread has tried its second job. */
typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	guint64 at_command;
	gboolean reached;
	gboolean open;
} Gate;

static gboolean
gate_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Gate *gate = user_data;
	if (glint_sim_get_command_count(sim) != gate->at_command)
		return TRUE;
	pthread_mutex_lock(&gate->lock);
	gate->reached = TRUE;
	pthread_cond_broadcast(&gate->cond);
	while (!gate->open)
		pthread_cond_wait(&gate->cond, &gate->lock);
	pthread_mutex_unlock(&gate->lock);
	return TRUE;
}

typedef struct {
	RelBoard *board;
	GlintImage *image;
	GError *error;
} BusyJob;

static gpointer
busy_worker(gpointer user_data)
{
	BusyJob *job = user_data;
	glint_job_program(job->board->session, job->image, NULL, NULL, NULL, NULL, &job->error);
	return NULL;
}

START_TEST(test_second_job_on_busy_probe_refused)
{
	g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
	g_autoptr(GBytes) data = rel_random_bytes(8 * 1024, 5);
	g_autoptr(GlintImage) image = rel_image_at(REL_FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	BusyJob job = {b, image, NULL};
	Gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, FALSE, FALSE};
	GThread *thread;

	gate.at_command = glint_sim_get_command_count(b->sim) + 10;
	glint_sim_set_command_hook(b->sim, gate_hook, &gate);
	thread = g_thread_new("busy", busy_worker, &job);
	pthread_mutex_lock(&gate.lock);
	while (!gate.reached)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);

	/* The probe is mid-job: every other job is refused at once. */
	back = glint_job_read(b->session, REL_FLASH_BASE, 16, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY));
	g_clear_error(&error);
	ck_assert(
	    !glint_job_erase_range(b->session, REL_FLASH_BASE, 2048, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY));

	pthread_mutex_lock(&gate.lock);
	gate.open = TRUE;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
	g_thread_join(thread);
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert_msg(job.error == NULL, "%s", job.error ? job.error->message : "");
	ck_assert(glint_job_verify(b->session, image, NULL, NULL, NULL, NULL));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("gang");
	TCase *tc = tcase_create("threads");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_gang_program_no_crosstalk);
	tcase_add_test(tc, test_second_job_on_busy_probe_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
