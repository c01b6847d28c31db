/* Fault injection, property style: a probe unplugged after command K, for
 * every K across a whole job (connect, program + verify, option-byte write).
 * Each run must fail with GLINT_ERROR_DISCONNECTED (or succeed once K is past
 * the job's end), leave the board consistent, and after re-plugging a re-run
 * must finish the job. No leak (ASan in make test), no hang (every run is a
 * bounded sequence of probe commands). */
#define G_LOG_DOMAIN "test-faults"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "rel-board.h"

/* The image: 3 pages and a bit, starting at page 2, so that page 1 and the
 * page after the image must stay untouched, and the last page is partly
 * padding. */
#define IMAGE_ADDR (REL_FLASH_BASE + 2 * REL_PAGE_SIZE)
#define IMAGE_LEN (3 * REL_PAGE_SIZE + 500)
/* Old firmware under and around the image, pages 1 to 6. */
#define OLD_ADDR (REL_FLASH_BASE + REL_PAGE_SIZE)
#define OLD_LEN (6 * REL_PAGE_SIZE)

static void
report_points(const char *what, guint n)
{
	/* The closing note needs the count; meson keeps it in the log. */
	fprintf(stderr, "# %s: %u fault points injected\n", what, n);
}

static void
fill_old_firmware(GlintSim *sim)
{
	g_autoptr(GBytes) old = rel_random_bytes(OLD_LEN, 99);
	ck_assert(glint_sim_poke(sim, OLD_ADDR, g_bytes_get_data(old, NULL), OLD_LEN));
}

static RelBoard *
board_with_old_firmware(gboolean connect)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	fill_old_firmware(sim);
	return rel_board_new_for_sim(sim, connect);
}

/* With the on-target loader (the default) or programming directly. */
static gboolean no_loader;

static gboolean
program_verify(RelBoard *b, GlintImage *image, GError **error)
{
	/* plain erase: the fault sweeps check every page against the image */
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader, .no_preserve = TRUE};
	return glint_job_program(b->session, image, &options, b->progress, b->cancellable, NULL,
				 error);
}

/* Arms the unplug: K = 0 pulls the cable before the job's first command,
 * K > 0 lets K commands through. */
static void
unplug_after(GlintSim *sim, guint k)
{
	if (k == 0)
		glint_sim_unplug(sim);
	else
		glint_sim_set_unplug_after(sim, k);
}

static void
assert_disconnected(const GError *error, guint k, RelBoard *b)
{
	g_autofree gchar *log = rel_board_log_dump(b);
	ck_assert_msg(error != NULL, "K=%u: no error", k);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED),
		      "K=%u: expected 'disconnected', got %s: %s%s", k,
		      error->domain == GLINT_ERROR ? glint_error_code_to_string(error->code) : "?",
		      error->message, log);
	ck_assert_msg(strlen(error->message) > 20, "K=%u: terse message '%s'", k, error->message);
}

/* After re-plugging, the same job completes and the flash holds the image;
 * with smart re-flash it skips exactly the pages the cut run had finished. */
static void
replug_and_finish(GlintSim *unplugged, GlintImage *image, GBytes *old, guint k)
{
	g_autoptr(GlintSim) sim = rel_sim_replug(unplugged);
	g_autoptr(RelBoard) b = rel_board_new_for_sim(sim, TRUE);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;
	GlintProgramOptions options = {
	    .verify = TRUE, .smart = TRUE, .no_loader = no_loader, .no_preserve = TRUE};
	GlintJobResult result = {0};
	guint done_before = 0;

	for (guint32 addr = IMAGE_ADDR; addr < IMAGE_ADDR + IMAGE_LEN; addr += REL_PAGE_SIZE)
		done_before += rel_page_state(sim, old, image, addr) == REL_PAGE_NEW;
	ck_assert_msg(
	    glint_job_program(b->session, image, &options, b->progress, NULL, &result, &error),
	    "K=%u: re-run after re-plug: %s", k, error->message);
	ck_assert_msg(result.pages_skipped == done_before,
		      "K=%u: smart re-flash skipped %u pages, %u were already done", k,
		      result.pages_skipped, done_before);
	glint_job_result_clear(&result);
	ck_assert_msg(rel_flash_consistent(sim, old, image, &why), "K=%u after re-run: %s", k, why);
	for (guint32 addr = IMAGE_ADDR; addr < IMAGE_ADDR + IMAGE_LEN; addr += REL_PAGE_SIZE)
		ck_assert_msg(rel_page_state(sim, old, image, addr) == REL_PAGE_NEW,
			      "K=%u: page 0x%08X not programmed after the re-run", k, addr);
}

static guint
count_program_commands(GlintImage *image)
{
	g_autoptr(RelBoard) b = board_with_old_firmware(TRUE);
	g_autoptr(GError) error = NULL;
	guint64 before = glint_sim_get_command_count(b->sim);
	ck_assert_msg(program_verify(b, image, &error), "dry run: %s", error->message);
	return (guint)(glint_sim_get_command_count(b->sim) - before);
}

/* Where a cut job stopped: some pages old and some erased (mid-erase), or
 * some new and some erased (mid-program). */
static void
classify_stop(GlintSim *sim, GBytes *old, GlintImage *image, guint *mid_erase, guint *mid_program)
{
	guint n[REL_PAGE_OTHER + 1] = {0};
	for (guint32 a = IMAGE_ADDR; a < IMAGE_ADDR + IMAGE_LEN; a += REL_PAGE_SIZE)
		n[rel_page_state(sim, old, image, a)]++;
	if (n[REL_PAGE_ERASED] > 0 && n[REL_PAGE_OLD] > 0)
		(*mid_erase)++;
	if (n[REL_PAGE_ERASED] > 0 && (n[REL_PAGE_NEW] > 0 || n[REL_PAGE_PARTIAL] > 0))
		(*mid_program)++;
}

START_TEST(test_unplug_at_every_program_command)
{
	no_loader = _i == 1;
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 7);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint total = count_program_commands(image);
	/* 4 page erases and at most every double word of the 4 pages. */
	guint64 max_ops = 4 + 4 * REL_PAGE_SIZE / 8;
	guint mid_erase = 0, mid_program = 0;

	/* Connect, erase 4 pages, program them, verify: dozens of commands. */
	ck_assert_uint_gt(total, 20);
	for (guint k = 0; k <= total; k++) {
		g_autoptr(RelBoard) b = board_with_old_firmware(TRUE);
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *why = NULL;
		gboolean ok;

		guint64 ops_before = rel_sim_flash_ops(b->sim);

		unplug_after(b->sim, k);
		ok = program_verify(b, image, &error);
		/* Outside the checked window nothing happened: every flash
		 * operation of the job is accounted for by the image's pages. */
		ck_assert_uint_le(rel_sim_flash_ops(b->sim) - ops_before, max_ops);
		if (k == total) {
			/* Every command of the job got through. */
			ck_assert_msg(ok, "K=%u (past the end): %s", k, error->message);
			ck_assert(!glint_sim_is_unplugged(b->sim));
		} else {
			ck_assert_msg(glint_sim_is_unplugged(b->sim),
				      "K=%u of %u: the probe was never unplugged", k, total);
			ck_assert_msg(!ok, "K=%u of %u: the job succeeded on an unplugged probe", k,
				      total);
			assert_disconnected(error, k, b);
		}
		ck_assert_msg(rel_flash_consistent(b->sim, old, image, &why), "K=%u: %s", k, why);
		if (!ok)
			classify_stop(b->sim, old, image, &mid_erase, &mid_program);
		/* The session says what happened and stays usable for a retry. */
		if (!ok) {
			g_autoptr(GError) again = NULL;
			ck_assert(!program_verify(b, image, &again));
			ck_assert(g_error_matches(again, GLINT_ERROR, GLINT_ERROR_DISCONNECTED));
			replug_and_finish(b->sim, image, old, k);
		}
	}
	/* The sweep really did stop jobs mid-erase and mid-program. */
	ck_assert_uint_gt(mid_erase, 0);
	ck_assert_uint_gt(mid_program, 0);
	report_points(no_loader ? "program + verify (direct)" : "program + verify (loader)", total);
}
END_TEST

START_TEST(test_unplug_at_every_connect_command)
{
	guint total;
	{
		g_autoptr(RelBoard) b = rel_board_new("fresh", FALSE);
		g_autoptr(GError) error = NULL;
		ck_assert(rel_board_connect(b, &error));
		total = (guint)glint_sim_get_command_count(b->sim);
	}
	ck_assert_uint_gt(total, 5);
	for (guint k = 0; k < total; k++) {
		g_autoptr(RelBoard) b = rel_board_new("fresh", FALSE);
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GBytes) after = NULL;
		g_autoptr(GError) error = NULL;

		unplug_after(b->sim, k);
		ck_assert(!rel_board_connect(b, &error));
		ck_assert_msg(glint_sim_is_unplugged(b->sim), "K=%u: never unplugged", k);
		assert_disconnected(error, k, b);
		ck_assert_msg(!glint_session_is_connected(b->session),
			      "K=%u: session claims a target after a failed connect", k);
		/* Connecting only reads: the board is as it was. */
		after = rel_snapshot(b->sim);
		ck_assert_msg(g_bytes_equal(old, after), "K=%u: connect changed the board", k);
		{
			g_autoptr(GlintSim) sim = rel_sim_replug(b->sim);
			g_autoptr(RelBoard) again = rel_board_new_for_sim(sim, FALSE);
			ck_assert_msg(rel_board_connect(again, &error), "K=%u re-plug: %s", k,
				      error->message);
		}
	}
	report_points("connect", total);
}
END_TEST

static gboolean
write_wrp(RelBoard *b, const char *edit, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	GlintOptionBytes ob = info->options;
	ck_assert(glint_target_info_apply_option_edit(info, &ob, edit, NULL));
	return glint_job_write_options(b->session, &ob, GLINT_CONFIRM_NONE, b->progress, NULL, NULL,
				       error);
}

/* An option-byte write cut at any command leaves the old or the new option
 * bytes (the sim programs them at OPTSTRT); the next connect after re-plug
 * reads one coherent set and a re-run makes it the new one. */
START_TEST(test_unplug_at_every_option_write_command)
{
	guint total;
	GlintOptionBytes before, wanted;
	{
		g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
		g_autoptr(GError) error = NULL;
		guint64 c0 = glint_sim_get_command_count(b->sim);
		before = glint_session_get_target_info(b->session)->options;
		ck_assert_msg(write_wrp(b, "WRP1A=4-9", &error), "dry run: %s", error->message);
		total = (guint)(glint_sim_get_command_count(b->sim) - c0);
		wanted = glint_session_get_target_info(b->session)->options;
	}
	ck_assert_uint_gt(total, 10);
	for (guint k = 0; k < total; k++) {
		g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
		g_autoptr(GError) error = NULL;
		g_autoptr(GlintSim) sim = NULL;
		g_autoptr(RelBoard) again = NULL;
		g_autoptr(GPtrArray) findings = NULL;
		const GlintOptionBytes *now;

		unplug_after(b->sim, k);
		ck_assert(!write_wrp(b, "WRP1A=4-9", &error));
		ck_assert_msg(glint_sim_is_unplugged(b->sim), "K=%u: never unplugged", k);
		assert_disconnected(error, k, b);
		g_clear_error(&error);
		sim = rel_sim_replug(b->sim);
		again = rel_board_new_for_sim(sim, TRUE);
		now = &glint_session_get_target_info(again->session)->options;
		ck_assert_msg(memcmp(now, &before, sizeof(before)) == 0 ||
				  memcmp(now, &wanted, sizeof(wanted)) == 0,
			      "K=%u: option bytes are neither the old nor the new set", k);
		findings = glint_job_diagnose(again->session, NULL, &error);
		ck_assert_ptr_nonnull(findings);
		for (guint i = 0; i < findings->len; i++) {
			GlintFinding *f = g_ptr_array_index(findings, i);
			ck_assert_msg(g_strcmp0(f->id, "optverr") != 0, "K=%u: %s", k, f->title);
		}
		ck_assert_msg(write_wrp(again, "WRP1A=4-9", &error), "K=%u re-run: %s", k,
			      error->message);
		now = &glint_session_get_target_info(again->session)->options;
		ck_assert(memcmp(now, &wanted, sizeof(wanted)) == 0);
	}
	report_points("option-byte write", total);
}
END_TEST

typedef enum {
	JOB_ERASE_RANGE,
	JOB_ERASE_MASS,
	JOB_VERIFY,
	JOB_READ,
	JOB_N_KINDS,
} JobKind;

static const char *const job_names[] = {"erase range", "mass erase", "verify", "read"};

static gboolean
run_job(RelBoard *b, JobKind kind, GlintImage *image, GError **error)
{
	switch (kind) {
	case JOB_ERASE_RANGE:
		return glint_job_erase_range(b->session, OLD_ADDR, OLD_LEN, b->progress, NULL, NULL,
					     error);
	case JOB_ERASE_MASS:
		return glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, b->progress, NULL,
					    NULL, error);
	case JOB_VERIFY:
		return glint_job_verify(b->session, image, b->progress, NULL, NULL, error);
	default: {
		g_autoptr(GBytes) got = glint_job_read(b->session, REL_FLASH_BASE, 40 * 1024,
						       b->progress, NULL, NULL, error);
		return got != NULL;
	}
	}
}

/* The other jobs with the probe unplugged after every command K: the
 * error is 'disconnected', an erase leaves whole pages old or erased, and
 * after re-plugging the job completes. */
START_TEST(test_unplug_every_job)
{
	JobKind kind = (JobKind)_i;
	g_autoptr(GBytes) data = rel_random_bytes(OLD_LEN, 99);
	/* The image the verify job checks is the old firmware itself. */
	g_autoptr(GlintImage) image = rel_image_at(OLD_ADDR, data);
	g_autoptr(GlintImage) erased = glint_image_new();
	guint total;
	{
		g_autoptr(RelBoard) b = board_with_old_firmware(TRUE);
		guint64 c0 = glint_sim_get_command_count(b->sim);
		ck_assert(run_job(b, kind, image, NULL));
		total = (guint)(glint_sim_get_command_count(b->sim) - c0);
	}
	/* An erase moves every page towards "erased": compare against an
	 * all-0xFF image of the same pages. */
	{
		g_autofree guint8 *ff = g_malloc(OLD_LEN);
		memset(ff, 0xFF, OLD_LEN);
		ck_assert(glint_image_add(erased, OLD_ADDR, ff, OLD_LEN, "erased", NULL));
	}
	for (guint k = 0; k < total; k++) {
		g_autoptr(RelBoard) b = board_with_old_firmware(TRUE);
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *why = NULL;

		unplug_after(b->sim, k);
		gboolean ok = run_job(b, kind, image, &error);
		/* k < total: the cable was pulled during the job, whatever came of it. */
		ck_assert_msg(glint_sim_is_unplugged(b->sim), "%s K=%u of %u: never unplugged",
			      job_names[kind], k, total);
		if (ok) {
			/* Only the final FLASH_CR lock was cut (the next power-up
			 * locks it anyway): the erase itself must be complete. */
			ck_assert_msg(kind == JOB_ERASE_RANGE || kind == JOB_ERASE_MASS,
				      "%s K=%u succeeded unplugged", job_names[kind], k);
			for (guint32 a = OLD_ADDR; a < OLD_ADDR + OLD_LEN; a += REL_PAGE_SIZE)
				ck_assert(rel_page_state(b->sim, old, erased, a) == REL_PAGE_NEW);
			continue;
		}
		assert_disconnected(error, k, b);
		if (kind != JOB_ERASE_MASS)
			ck_assert_msg(rel_flash_consistent(b->sim, old, erased, &why),
				      "%s K=%u: %s", job_names[kind], k, why);
		{
			g_autoptr(GlintSim) sim = rel_sim_replug(b->sim);
			g_autoptr(RelBoard) again = rel_board_new_for_sim(sim, TRUE);
			g_clear_error(&error);
			/* After an interrupted erase the verify image is gone:
			 * only the erase jobs and read are re-run as such. */
			ck_assert_msg(run_job(again, kind, image, &error), "%s K=%u re-run: %s",
				      job_names[kind], k, error->message);
		}
	}
	report_points(job_names[kind], total);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("unplug");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_unplug_at_every_program_command, 0, 2);
	tcase_add_test(tc, test_unplug_at_every_connect_command);
	tcase_add_test(tc, test_unplug_at_every_option_write_command);
	tcase_add_loop_test(tc, test_unplug_every_job, 0, JOB_N_KINDS);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
