/* Impossible requests are refused before the chip is touched (the board is
 * byte-identical after, and the emulator counted no flash operation), and a
 * job cancelled at any point stops at a safe point, leaves the board
 * consistent and logs what it had done. */
#define G_LOG_DOMAIN "test-refuse"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "rel-board.h"

/* What the board held and had done before a request. */
typedef struct {
	GBytes *snapshot;
	guint64 flash_ops;
} Before;

static Before
before_request(RelBoard *b)
{
	Before before = {rel_snapshot(b->sim), rel_sim_flash_ops(b->sim)};
	return before;
}

static void
assert_untouched(RelBoard *b, Before *before, const char *what)
{
	g_autoptr(GBytes) now = rel_snapshot(b->sim);
	ck_assert_msg(g_bytes_equal(before->snapshot, now), "%s changed the board", what);
	ck_assert_msg(rel_sim_flash_ops(b->sim) == before->flash_ops,
		      "%s started a flash operation", what);
	g_bytes_unref(before->snapshot);
}

static void
assert_refused(const GError *error, GlintErrorCode code, const char *needle, const char *what)
{
	ck_assert_msg(error != NULL, "%s was accepted", what);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, code), "%s: expected %s, got %s", what,
		      glint_error_code_to_string(code), error->message);
	ck_assert_msg(needle == NULL || strstr(error->message, needle) != NULL,
		      "%s: '%s' does not say '%s'", what, error->message, needle);
}

START_TEST(test_wrp_edit_reversed_or_beyond_bank)
{
	/* 256 KB part, dual bank: 64 pages of 2 KB per bank. */
	g_autoptr(RelBoard) b = rel_board_new("l476rc", TRUE);
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	static const struct {
		const char *edit;
		const char *says;
	} bad[] = {
	    {"WRP1A=20-10", "reversed"},
	    {"WRP1B=64-64", "beyond the bank"},
	    {"WRP2A=0-64", "beyond the bank"},
	    {"WRP2B=10-300", NULL},
	    {"WRP1A=-5", NULL},
	    {"WRP1A=5-", NULL},
	    {"WRP1A=0x10-0x0F", "decimal"},
	    {"WRP1A=16-15", "reversed"},
	};

	ck_assert_uint_eq(info->geometry.banks[0].n_units, 64);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		GlintOptionBytes ob = info->options;
		GlintOptionBytes was = ob;
		g_autoptr(GError) error = NULL;
		ck_assert(!glint_target_info_apply_option_edit(info, &ob, bad[i].edit, &error));
		assert_refused(error, GLINT_ERROR_INVALID_ARGUMENT, bad[i].says, bad[i].edit);
		/* A refused edit leaves the values as they were. */
		ck_assert_msg(memcmp(&ob, &was, sizeof(ob)) == 0, "%s changed the values",
			      bad[i].edit);
	}
}
END_TEST

/* The job itself refuses WRP areas that reach past the bank, even when the
 * values come as raw registers rather than through an edit. */
START_TEST(test_wrp_raw_register_beyond_bank_refused_by_job)
{
	g_autoptr(RelBoard) b = rel_board_new("l476rc", TRUE);
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	GlintOptionBytes ob = info->options;
	g_autoptr(GError) error = NULL;
	Before before = before_request(b);

	/* WRP1A_STRT = 0, WRP1A_END = 200: bank 1 only has pages 0-63. */
	ck_assert(glint_target_info_apply_option_edit(info, &ob, "WRP1AR=0x00C80000", NULL));
	ck_assert(!glint_job_write_options(b->session, &ob, GLINT_CONFIRM_RISKY, b->progress, NULL,
					   NULL, &error));
	assert_refused(error, GLINT_ERROR_INVALID_ARGUMENT, "WRP1A", "raw WRP1AR beyond bank");
	assert_untouched(b, &before, "raw WRP1AR beyond bank");
}
END_TEST

START_TEST(test_image_larger_than_flash)
{
	static const struct {
		const char *scenario;
		gsize len;
	} cases[] = {
	    {"fresh", 1024 * 1024 + 8},
	    {"l476rc", 256 * 1024 + 2048},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RelBoard) b = rel_board_new(cases[i].scenario, TRUE);
		g_autoptr(GBytes) data = rel_random_bytes(cases[i].len, i);
		g_autoptr(GlintImage) image = rel_image_at(REL_FLASH_BASE, data);
		g_autoptr(GError) error = NULL;
		GlintProgramOptions options = {.verify = TRUE};
		Before before = before_request(b);

		ck_assert(!glint_job_program(b->session, image, &options, b->progress, NULL, NULL,
					     &error));
		assert_refused(error, GLINT_ERROR_BAD_IMAGE, "0x080", cases[i].scenario);
		assert_untouched(b, &before, "an image larger than the flash");
	}
}
END_TEST

START_TEST(test_image_below_or_past_flash)
{
	static const guint32 addresses[] = {0x07FFF800u, 0x080FFF00u, 0x20000000u, 0xFFFFFF00u};
	g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
	for (guint i = 0; i < G_N_ELEMENTS(addresses); i++) {
		g_autoptr(GBytes) data = rel_random_bytes(4096, i);
		g_autoptr(GlintImage) image = glint_image_new();
		g_autoptr(GError) error = NULL;
		Before before = before_request(b);

		/* The top case would wrap past 4 GiB: the image refuses it. */
		if (!glint_image_add(image, addresses[i], g_bytes_get_data(data, NULL), 4096, "t",
				     &error)) {
			ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
			g_bytes_unref(before.snapshot);
			continue;
		}
		ck_assert(
		    !glint_job_program(b->session, image, NULL, b->progress, NULL, NULL, &error));
		assert_refused(error, GLINT_ERROR_BAD_IMAGE, NULL, "image off the flash");
		assert_untouched(b, &before, "an image off the flash");
	}
}
END_TEST

START_TEST(test_erase_outside_flash)
{
	static const struct {
		guint32 address, size;
	} bad[] = {
	    {0x080FF000u, 0x2000u}, /* runs past the end */
	    {0x07FFF800u, 0x1000u}, /* starts below */
	    {0x20000000u, 16u},	    /* SRAM */
	    {0x08000000u, 0u},	    /* nothing */
	    {0xFFFFF000u, 0x2000u}, /* wraps past 4 GiB */
	    {0x08000000u, 0xFFFFFFFFu},
	};
	g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
	g_autoptr(GBytes) data = rel_random_bytes(8192, 3);
	g_autoptr(GlintImage) image = rel_image_at(REL_FLASH_BASE, data);
	ck_assert(glint_job_program(b->session, image, NULL, NULL, NULL, NULL, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *what =
		    g_strdup_printf("erase 0x%08X+0x%X", bad[i].address, bad[i].size);
		Before before = before_request(b);
		ck_assert_msg(!glint_job_erase_range(b->session, bad[i].address, bad[i].size,
						     b->progress, NULL, NULL, &error),
			      "%s accepted", what);
		assert_refused(error, GLINT_ERROR_INVALID_ARGUMENT, NULL, what);
		assert_untouched(b, &before, what);
	}
}
END_TEST

START_TEST(test_rdp2_without_permanent_confirmation)
{
	static const GlintConfirm confirms[] = {GLINT_CONFIRM_NONE, GLINT_CONFIRM_RISKY};
	g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	for (guint i = 0; i < G_N_ELEMENTS(confirms); i++) {
		const char *edits[] = {"RDP=2", "RDP=0xCC"};
		for (guint e = 0; e < G_N_ELEMENTS(edits); e++) {
			GlintOptionBytes ob = info->options;
			g_autoptr(GError) error = NULL;
			Before before = before_request(b);
			ck_assert(glint_target_info_apply_option_edit(info, &ob, edits[e], NULL));
			ck_assert(!glint_job_write_options(b->session, &ob, confirms[i],
							   b->progress, NULL, NULL, &error));
			assert_refused(error, GLINT_ERROR_NEEDS_CONFIRMATION,
				       "--confirm-permanent-lock", edits[e]);
			assert_untouched(b, &before, edits[e]);
		}
	}
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 0);
}
END_TEST

/* Cancellation ------------------------------------------------------------- */

#define CANCEL_ADDR (REL_FLASH_BASE + REL_PAGE_SIZE)
#define CANCEL_LEN (4 * REL_PAGE_SIZE + 100)

static RelBoard *
board_with_old_firmware(void)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GBytes) old = rel_random_bytes(7 * REL_PAGE_SIZE, 77);
	ck_assert(glint_sim_poke(sim, REL_FLASH_BASE, g_bytes_get_data(old, NULL),
				 g_bytes_get_size(old)));
	return rel_board_new_for_sim(sim, TRUE);
}

static gboolean
program_verify(RelBoard *b, GlintImage *image, GError **error)
{
	/* plain erase: the fault sweeps check every page against the image */
	GlintProgramOptions options = {.verify = TRUE, .no_preserve = TRUE};
	return glint_job_program(b->session, image, &options, b->progress, b->cancellable, NULL,
				 error);
}

/* Cancel when the probe is about to run command K of the job, for every K:
 * the job stops at its next safe point with GLINT_ERROR_CANCELLED, the flash
 * is consistent, a log line says what was done, and the same session runs
 * the job to the end afterwards. */
START_TEST(test_cancel_at_every_command)
{
	g_autoptr(GBytes) data = rel_random_bytes(CANCEL_LEN, 8);
	g_autoptr(GlintImage) image = rel_image_at(CANCEL_ADDR, data);
	guint total, cancelled = 0;
	g_autoptr(GHashTable) messages =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	{
		g_autoptr(RelBoard) b = board_with_old_firmware();
		guint64 c0 = glint_sim_get_command_count(b->sim);
		ck_assert(program_verify(b, image, NULL));
		total = (guint)(glint_sim_get_command_count(b->sim) - c0);
	}
	for (guint k = 0; k <= total; k++) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *why = NULL;
		g_autofree gchar *log = NULL;
		gboolean ok;

		if (k == 0)
			g_cancellable_cancel(b->cancellable);
		else
			b->cancel_at_command = glint_sim_get_command_count(b->sim) + k;
		ok = program_verify(b, image, &error);
		/* Before the job's last command the cancel must have fired. */
		ck_assert_msg(k == total || g_cancellable_is_cancelled(b->cancellable),
			      "K=%u of %u: the cancel never fired", k, total);
		log = rel_board_log_dump(b);
		if (!ok) {
			ck_assert_msg(glint_error_is_cancelled(error), "K=%u: %s%s", k,
				      error->message, log);
			cancelled++;
			ck_assert_msg(g_str_has_prefix(error->message, "Cancelled "),
				      "K=%u: the error does not say what was done before the "
				      "cancel: %s%s",
				      k, error->message, log);
			g_hash_table_add(messages, g_strdup(error->message));
		}
		ck_assert_msg(rel_flash_consistent(b->sim, old, image, &why), "K=%u: %s", k, why);
		/* The session is still good: the job runs to the end. */
		b->cancel_at_command = 0;
		g_cancellable_reset(b->cancellable);
		g_clear_error(&error);
		ck_assert_msg(program_verify(b, image, &error), "K=%u re-run: %s", k,
			      error->message);
		for (guint32 a = CANCEL_ADDR; a < CANCEL_ADDR + CANCEL_LEN; a += REL_PAGE_SIZE)
			ck_assert(rel_page_state(b->sim, old, image, a) == REL_PAGE_NEW);
	}
	ck_assert_uint_gt(cancelled, 5);
	fprintf(stderr, "# cancel: %u cancel points, %u stopped the job, %u distinct messages\n",
		total + 1, cancelled, g_hash_table_size(messages));
}
END_TEST

typedef enum {
	JOB_ERASE_RANGE,
	JOB_ERASE_MASS,
	JOB_VERIFY,
	JOB_READ,
	JOB_WRITE_OPTIONS,
	JOB_N_KINDS,
} JobKind;

static const char *const job_names[] = {"erase range", "mass erase", "verify", "read",
					"option write"};

static gboolean
run_job(RelBoard *b, JobKind kind, GlintImage *image, GError **error)
{
	switch (kind) {
	case JOB_ERASE_RANGE:
		return glint_job_erase_range(b->session, CANCEL_ADDR, CANCEL_LEN, b->progress,
					     b->cancellable, NULL, error);
	case JOB_ERASE_MASS:
		return glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, b->progress,
					    b->cancellable, NULL, error);
	case JOB_VERIFY:
		return glint_job_verify(b->session, image, b->progress, b->cancellable, NULL,
					error);
	case JOB_READ: {
		g_autoptr(GBytes) got = glint_job_read(b->session, REL_FLASH_BASE, 64 * 1024,
						       b->progress, b->cancellable, NULL, error);
		return got != NULL;
	}
	default: {
		const GlintTargetInfo *info = glint_session_get_target_info(b->session);
		GlintOptionBytes ob = info->options;
		ck_assert(glint_target_info_apply_option_edit(info, &ob, "WRP2A=3-7", NULL));
		return glint_job_write_options(b->session, &ob, GLINT_CONFIRM_NONE, b->progress,
					       b->cancellable, NULL, error);
	}
	}
}

/* Every other job, cancelled at every command: it either finishes (the
 * cancel came after its last safe point) or stops with CANCELLED and a log
 * line saying what it had done; the session then runs it to the end. */
START_TEST(test_cancel_every_job)
{
	JobKind kind = (JobKind)_i;
	g_autoptr(GBytes) data = rel_random_bytes(CANCEL_LEN, 9);
	g_autoptr(GlintImage) image = rel_image_at(CANCEL_ADDR, data);
	guint total, cancelled = 0;
	{
		g_autoptr(RelBoard) b = board_with_old_firmware();
		guint64 c0 = glint_sim_get_command_count(b->sim);
		if (kind == JOB_VERIFY)
			ck_assert(
			    glint_job_program(b->session, image, NULL, NULL, NULL, NULL, NULL));
		c0 = glint_sim_get_command_count(b->sim);
		ck_assert(run_job(b, kind, image, NULL));
		total = (guint)(glint_sim_get_command_count(b->sim) - c0);
	}
	for (guint k = 0; k <= total; k++) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GError) error = NULL;
		gboolean ok;

		if (kind == JOB_VERIFY)
			ck_assert(
			    glint_job_program(b->session, image, NULL, NULL, NULL, NULL, NULL));
		if (k == 0)
			g_cancellable_cancel(b->cancellable);
		else
			b->cancel_at_command = glint_sim_get_command_count(b->sim) + k;
		ok = run_job(b, kind, image, &error);
		ck_assert_msg(k == total || g_cancellable_is_cancelled(b->cancellable),
			      "%s K=%u of %u: the cancel never fired", job_names[kind], k, total);
		if (!ok) {
			g_autofree gchar *log = rel_board_log_dump(b);
			ck_assert_msg(glint_error_is_cancelled(error), "%s K=%u: %s%s",
				      job_names[kind], k, error->message, log);
			ck_assert_msg(g_str_has_prefix(error->message, "Cancelled "),
				      "%s K=%u: the error does not say what was done: %s%s",
				      job_names[kind], k, error->message, log);
			cancelled++;
		}
		b->cancel_at_command = 0;
		g_cancellable_reset(b->cancellable);
		g_clear_error(&error);
		ck_assert_msg(run_job(b, kind, image, &error), "%s K=%u re-run: %s",
			      job_names[kind], k, error->message);
	}
	ck_assert_uint_gt(cancelled, 0);
	fprintf(stderr, "# cancel %s: %u cancel points, %u stopped the job\n", job_names[kind],
		total + 1, cancelled);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("refuse");
	TCase *tc = tcase_create("refuse");
	TCase *tc_cancel = tcase_create("cancel");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_wrp_edit_reversed_or_beyond_bank);
	tcase_add_test(tc, test_wrp_raw_register_beyond_bank_refused_by_job);
	tcase_add_test(tc, test_image_larger_than_flash);
	tcase_add_test(tc, test_image_below_or_past_flash);
	tcase_add_test(tc, test_erase_outside_flash);
	tcase_add_test(tc, test_rdp2_without_permanent_confirmation);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tc_cancel, 120);
	tcase_add_test(tc_cancel, test_cancel_at_every_command);
	tcase_add_loop_test(tc_cancel, test_cancel_every_job, 0, JOB_N_KINDS);
	suite_add_tcase(s, tc_cancel);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
