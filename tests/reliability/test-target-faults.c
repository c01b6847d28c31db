/* Target faults in the middle of a job, injected at command K of a program +
 * verify job for K across the whole job: SWD WAIT answers (retried, the job
 * completes), a WAIT storm and AP FAULT answers (a clear error, never a
 * hang), and target power lost (a clear error; after power returns the next
 * connect works and a re-run completes). The board is consistent after each. */
#define G_LOG_DOMAIN "test-target-faults"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "glint-stlink.h"
#include "rel-board.h"

#define IMAGE_ADDR (REL_FLASH_BASE + REL_PAGE_SIZE)
#define IMAGE_LEN (2 * REL_PAGE_SIZE + 300)

typedef enum {
	FAULT_STATUS,	 /* the next @count target commands answer @status */
	FAULT_POWER_OFF, /* target power drops to @mv */
} FaultKind;

typedef struct {
	FaultKind kind;
	guint64 at; /* sim command count at which to strike */
	guint8 status;
	guint count;
	guint mv;
	gboolean struck;
} Fault;

static gboolean
fault_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Fault *f = user_data;
	if (f->struck || glint_sim_get_command_count(sim) < f->at)
		return TRUE;
	f->struck = TRUE;
	if (f->kind == FAULT_STATUS)
		glint_sim_inject_target_status(sim, f->status, f->count);
	else
		glint_sim_set_target_voltage_mv(sim, f->mv);
	return TRUE;
}

static RelBoard *
board_with_old_firmware(void)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GBytes) old = rel_random_bytes(5 * REL_PAGE_SIZE, 55);
	ck_assert(glint_sim_poke(sim, REL_FLASH_BASE, g_bytes_get_data(old, NULL),
				 g_bytes_get_size(old)));
	return rel_board_new_for_sim(sim, TRUE);
}

/* With the on-target loader (the default) or programming directly. */
static gboolean no_loader;

static gboolean
program_verify(RelBoard *b, GlintImage *image, GError **error)
{
	/* plain erase: the fault sweeps check every page against the image */
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader, .no_preserve = TRUE};
	return glint_job_program(b->session, image, &options, b->progress, NULL, NULL, error);
}

static guint
job_commands(GlintImage *image)
{
	g_autoptr(RelBoard) b = board_with_old_firmware();
	guint64 c0 = glint_sim_get_command_count(b->sim);
	ck_assert(program_verify(b, image, NULL));
	return (guint)(glint_sim_get_command_count(b->sim) - c0);
}

static void
assert_programmed(RelBoard *b, GBytes *old, GlintImage *image, guint k)
{
	g_autofree gchar *why = NULL;
	ck_assert_msg(rel_flash_consistent(b->sim, old, image, &why), "K=%u: %s", k, why);
	for (guint32 a = IMAGE_ADDR; a < IMAGE_ADDR + IMAGE_LEN; a += REL_PAGE_SIZE)
		ck_assert_msg(rel_page_state(b->sim, old, image, a) == REL_PAGE_NEW,
			      "K=%u: page 0x%08X not programmed", k, a);
}

/* A few WAIT answers anywhere are retried: the job completes. */
START_TEST(test_wait_answers_are_retried)
{
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 21);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint total = job_commands(image), points = 0;
	const guint8 statuses[] = {STLINK_SWD_AP_WAIT, STLINK_SWD_DP_WAIT};

	/* Every third command keeps the back-off sleeps (1+2 ms) in check. */
	for (guint k = 0; k < total; k += 3) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		Fault f = {
		    FAULT_STATUS, glint_sim_get_command_count(b->sim) + k, statuses[k % 2], 2, 0,
		    FALSE};

		guint delivered;
		glint_sim_set_command_hook(b->sim, fault_hook, &f);
		ck_assert_msg(program_verify(b, image, &error), "K=%u: %s", k, error->message);
		ck_assert(f.struck);
		/* Both WAITs reached the host (an injector that injects nothing
		 * would pass every point), unless the job had no target access
		 * left after K. */
		delivered = rel_board_status_replies(b, statuses[k % 2]);
		ck_assert_msg(delivered == 2 || (delivered == 0 && k * 10 >= total * 9),
			      "K=%u of %u: %u WAIT answers reached the host", k, total, delivered);
		assert_programmed(b, old, image, k);
		if (delivered == 2)
			points++;
	}
	ck_assert_uint_gt(points * 10, (total / 3) * 9);
	fprintf(stderr, "# WAIT x2: %u fault points, all retried to completion\n", points);
}
END_TEST

/* WRITEDEBUGREG (F2 35) of FLASH_KEYR, 0x40022008 (RM0351 3.7.3). A fault
 * there is what silicon answers to a key out of sequence: the driver
 * resets the target and unlocks again, saying so ("cut short earlier"). */
#define FLASH_KEYR_WRITE "F2 35 08 20 02 40"
/* ... and of FLASH_CR, 0x40022014 (3.7.6): the closing lock, whose failure
 * the driver's finish step does not report (the next reset locks it). */
#define FLASH_CR_WRITE "F2 35 14 20 02 40"

static gboolean
error_is(const GError *error, GlintErrorCode code, const char *says)
{
	return g_error_matches(error, GLINT_ERROR, code) && strstr(error->message, says) != NULL;
}

/* A target that answers nothing but WAIT, or a FAULT: the job ends with an
 * error that names the cause, the flash is consistent, and once the target
 * behaves the same session completes the job. */
static void
sweep_failing_status(guint8 status, guint count, GlintErrorCode expected, const char *says,
		     guint step)
{
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 22);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint total = job_commands(image), points = 0, relocked = 0;

	for (guint k = 0; k < total; k += step) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *why = NULL;
		Fault f = {FAULT_STATUS, glint_sim_get_command_count(b->sim) + k, status, count, 0,
			   FALSE};

		glint_sim_set_command_hook(b->sim, fault_hook, &f);
		gboolean ok = program_verify(b, image, &error);
		guint delivered = rel_board_status_replies(b, status);
		g_autofree gchar *hit = rel_board_first_status_command(b, status);
		ck_assert(f.struck);
		if (ok) {
			/* Programming directly nothing retries a fault or works
			 * around it: a job that went through never saw one (it
			 * was armed after the last target access). The loader
			 * path falls back to direct programming. */
			ck_assert_msg(!no_loader || delivered == 0 ||
					  g_str_equal(hit, FLASH_CR_WRITE) ||
					  (g_str_equal(hit, FLASH_KEYR_WRITE) &&
					   rel_board_log_contains(b, "cut short earlier")),
				      "K=%u (direct): the job went through %u 0x%02X answers "
				      "(first to %s)",
				      k, delivered, status, hit);
			assert_programmed(b, old, image, k);
			continue;
		}
		ck_assert_msg(delivered > 0, "K=%u: the job failed without a 0x%02X answer: %s", k,
			      status, error->message);
		points++;
		ck_assert_msg(error_is(error, expected, says) ||
				  /* a fault on FLASH_KEYR is what silicon answers
				   * to a key out of sequence */
				  error_is(error, GLINT_ERROR_FLASH, "Reset the target"),
			      "K=%u: expected %s saying '%s', got %s", k,
			      glint_error_code_to_string(expected), says, error->message);
		ck_assert_msg(rel_flash_consistent(b->sim, old, image, &why), "K=%u: %s", k, why);
		glint_sim_inject_target_status(b->sim, 0, 0);
		g_clear_error(&error);
		if (!program_verify(b, image, &error)) {
			/* A fault between the two unlock keys leaves FLASH_KEYR
			 * locked until reset, as on silicon: the error must say
			 * so, and a reset must be the way out. */
			ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH) &&
					  strstr(error->message, "Reset the target") != NULL,
				      "K=%u re-run: %s", k, error->message);
			relocked++;
			g_clear_error(&error);
			ck_assert(
			    glint_job_reset(b->session, GLINT_RESET_AUTO, TRUE, NULL, &error));
			ck_assert_msg(program_verify(b, image, &error), "K=%u after reset: %s", k,
				      error->message);
		}
		assert_programmed(b, old, image, k);
	}
	ck_assert_uint_gt(points, 0);
	fprintf(stderr,
		"# status 0x%02X x%u: %u fault points failed the job cleanly (%u left KEYR "
		"locked until reset) (%s)\n",
		status, count, points, relocked, no_loader ? "direct" : "loader");
}

START_TEST(test_wait_storm_fails_cleanly)
{
	/* Each failing access costs the full back-off (255 ms): sample. */
	sweep_failing_status(STLINK_SWD_AP_WAIT, 1000, GLINT_ERROR_TARGET_NOT_RESPONDING,
			     "SWD_AP_WAIT", 23);
}
END_TEST

START_TEST(test_ap_fault_fails_cleanly)
{
	no_loader = _i == 1;
	sweep_failing_status(STLINK_SWD_AP_FAULT, 1, GLINT_ERROR_MEMORY_FAULT, "bus fault", 1);
}
END_TEST

/* Target power lost at command K: a clear error, and after power returns a
 * new connect and a re-run complete. */
START_TEST(test_power_loss_mid_job)
{
	no_loader = _i == 1;
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 23);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint total = job_commands(image), points = 0;
	gint first_absorbed = -1;

	for (guint k = 0; k < total; k++) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *why = NULL;
		g_autofree gchar *log = NULL;
		Fault f = {
		    FAULT_POWER_OFF, glint_sim_get_command_count(b->sim) + k, 0, 0, 0, FALSE};

		glint_sim_set_command_hook(b->sim, fault_hook, &f);
		gboolean ok = program_verify(b, image, &error);
		ck_assert_msg(f.struck, "K=%u of %u: power was never cut", k, total);
		if (ok) {
			/* Only possible when power went after the last target
			 * access: the flash must then hold the whole image. */
			assert_programmed(b, old, image, k);
			if (first_absorbed < 0)
				first_absorbed = (gint)k;
			continue;
		}
		/* No job survives losing the target: a failure after a point
		 * that went through means the power cut went astray. */
		ck_assert_msg(first_absorbed < 0, "K=%u failed after K=%d went through", k,
			      first_absorbed);
		log = rel_board_log_dump(b);
		points++;
		ck_assert_msg(
		    g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING) ||
			g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET),
		    "K=%u: %s: %s%s", k,
		    error->domain == GLINT_ERROR ? glint_error_code_to_string(error->code) : "?",
		    error->message, log);
		ck_assert_msg(strstr(error->message, "power") != NULL,
			      "K=%u: '%s' does not mention power", k, error->message);
		ck_assert_msg(rel_flash_consistent(b->sim, old, image, &why), "K=%u: %s", k, why);
		/* Power back: a power-on reset; the next connect must work. */
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		glint_sim_set_target_voltage_mv(b->sim, 3300);
		g_clear_error(&error);
		ck_assert_msg(rel_board_connect(b, &error), "K=%u reconnect: %s", k,
			      error->message);
		ck_assert_msg(program_verify(b, image, &error), "K=%u re-run: %s", k,
			      error->message);
		assert_programmed(b, old, image, k);
	}
	/* Power lost before the job's last target access fails it: nearly
	 * every point. */
	ck_assert_msg(points * 10 >= total * 9, "only %u of %u power cuts failed the job", points,
		      total);
	fprintf(stderr, "# power loss: %u fault points (%s)\n", points,
		no_loader ? "direct" : "loader");
}
END_TEST

/* RM0351 3.3.5 */
#define FLASH_KEYR_ADDR 0x40022008u
#define FLASH_KEY1 0x45670123u

/* An earlier session wrote KEY1 and was cut off before KEY2: the next
 * unlock's KEY1 is out of sequence and locks FLASH_KEYR until a reset. The
 * job resets the target itself (core halted), says so, and completes. */
START_TEST(test_interrupted_unlock_recovered)
{
	g_autoptr(RelBoard) b = board_with_old_firmware();
	g_autoptr(GBytes) old = rel_snapshot(b->sim);
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 24);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	g_autoptr(GError) error = NULL;

	ck_assert(glint_sim_bus_write(b->sim, FLASH_KEYR_ADDR, 4, FLASH_KEY1));
	ck_assert_msg(program_verify(b, image, &error), "%s", error ? error->message : "");
	ck_assert(rel_board_log_contains(b, "cut short earlier"));
	assert_programmed(b, old, image, 0);
}
END_TEST

/* The supply sagged below what the flash needs since connect: erase and
 * program are refused before anything changes, saying why. */
START_TEST(test_low_voltage_refused_before_erasing)
{
	static const guint mv[] = {1650, 1200};
	for (guint i = 0; i < G_N_ELEMENTS(mv); i++) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GBytes) after = NULL;
		g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 25);
		g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
		g_autoptr(GError) error = NULL;
		guint64 ops = rel_sim_flash_ops(b->sim);

		glint_sim_set_target_voltage_mv(b->sim, mv[i]);
		ck_assert(!program_verify(b, image, &error));
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH) &&
				  strstr(error->message, "1.71 V") != NULL,
			      "%u mV: %s", mv[i], error->message);
		g_clear_error(&error);
		ck_assert(
		    !glint_job_erase_range(b->session, IMAGE_ADDR, 16, NULL, NULL, NULL, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH));
		after = rel_snapshot(b->sim);
		ck_assert(g_bytes_equal(old, after));
		ck_assert_uint_eq(rel_sim_flash_ops(b->sim), ops);
		/* Back to 3.3 V: the job goes through. */
		glint_sim_set_target_voltage_mv(b->sim, 3300);
		g_clear_error(&error);
		ck_assert_msg(program_verify(b, image, &error), "%s", error->message);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("target-faults");
	TCase *tc = tcase_create("faults");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_wait_answers_are_retried);
	tcase_add_test(tc, test_wait_storm_fails_cleanly);
	tcase_add_loop_test(tc, test_ap_fault_fails_cleanly, 0, 2);
	tcase_add_loop_test(tc, test_power_loss_mid_job, 0, 2);
	tcase_add_test(tc, test_interrupted_unlock_recovered);
	tcase_add_test(tc, test_low_voltage_refused_before_erasing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
