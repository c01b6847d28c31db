/* A flaky link, property style: for every command K of a program + verify
 * job and every way a USB link or probe can spoil one command (timeout
 * before or after the probe ran it, short reply, stall, garbage reply), the
 * job ends with a clear error in GLINT_ERROR (or, for garbage that did no
 * harm, succeeds with the image verified), the board is consistent, and the
 * job completes when run again: on the same session if the link recovered,
 * else after reconnecting. Never a hang or a crash. */
#define G_LOG_DOMAIN "test-link-faults"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "chaos-transport.h"
#include "glint-error.h"
#include "rel-board.h"

#define IMAGE_ADDR (REL_FLASH_BASE + REL_PAGE_SIZE)
#define IMAGE_LEN (2 * REL_PAGE_SIZE + 300)

typedef struct {
	GlintSim *sim;
	GlintTransport *chaos;
	GlintSession *session;
} LinkBoard;

static void
link_board_free(LinkBoard *b)
{
	glint_session_unref(b->session);
	glint_transport_unref(b->chaos);
	glint_sim_unref(b->sim);
	g_free(b);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LinkBoard, link_board_free)

static LinkBoard *
link_board_new(void)
{
	LinkBoard *b = g_new0(LinkBoard, 1);
	g_autoptr(GlintTransport) inner = NULL;
	g_autoptr(GBytes) old = rel_random_bytes(5 * REL_PAGE_SIZE, 66);
	g_autoptr(GError) error = NULL;

	b->sim = glint_sim_new("fresh", NULL);
	ck_assert(glint_sim_poke(b->sim, REL_FLASH_BASE, g_bytes_get_data(old, NULL),
				 g_bytes_get_size(old)));
	inner = glint_sim_transport_new(b->sim);
	b->chaos = chaos_transport_new(inner);
	b->session = glint_session_new(b->chaos);
	ck_assert_msg(glint_job_connect(b->session, NULL, NULL, NULL, &error), "%s",
		      error->message);
	return b;
}

/* With the on-target loader (the default; a failed loader start falls back
 * to direct programming) or programming directly over SWD. */
static gboolean no_loader;

static gboolean
program_verify(GlintSession *session, GlintImage *image, GError **error)
{
	/* plain erase: the fault sweeps check every page against the image */
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader, .no_preserve = TRUE};
	return glint_job_program(session, image, &options, NULL, NULL, NULL, error);
}

static GlintErrorCode
expected_code(ChaosKind kind)
{
	switch (kind) {
	case CHAOS_TIMEOUT_BEFORE:
	case CHAOS_TIMEOUT_AFTER:
		return GLINT_ERROR_TIMEOUT;
	case CHAOS_SHORT_REPLY:
	case CHAOS_STALL:
		return GLINT_ERROR_PROBE;
	default:
		return GLINT_ERROR_FAILED; /* garbage: any clear error */
	}
}

/* Programming directly there is no fallback: a reply lost, stalled or cut
 * short always ends the job. Garbage may land where it does no harm. */
/* WRITEDEBUGREG (F2 35) of FLASH_CR, 0x40022014 (RM0351 3.7.6). */
#define FLASH_CR_WRITE "F2 35 14 20 02 40"

static gboolean
must_fail_direct(ChaosKind kind)
{
	return kind == CHAOS_TIMEOUT_BEFORE || kind == CHAOS_TIMEOUT_AFTER || kind == CHAOS_STALL ||
	       kind == CHAOS_SHORT_REPLY;
}

static void
assert_all_new(LinkBoard *b, GBytes *old, GlintImage *image, const char *what, guint k)
{
	for (guint32 a = IMAGE_ADDR; a < IMAGE_ADDR + IMAGE_LEN; a += REL_PAGE_SIZE)
		ck_assert_msg(rel_page_state(b->sim, old, image, a) == REL_PAGE_NEW,
			      "%s K=%u: page 0x%08X not programmed", what, k, a);
}

static void
sweep(ChaosKind kind)
{
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 31);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	const char *what = chaos_kind_name(kind);
	guint total, failed = 0, same_session = 0, reconnected = 0, absorbed = 0, spoiled = 0;
	guint lock_lost = 0;
	{
		g_autoptr(LinkBoard) b = link_board_new();
		guint c0 = chaos_transport_get_count(b->chaos);
		ck_assert(program_verify(b->session, image, NULL));
		total = chaos_transport_get_count(b->chaos) - c0;
	}
	for (guint k = 0; k < total; k++) {
		g_autoptr(LinkBoard) b = link_board_new();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *why = NULL;

		chaos_transport_arm(b->chaos, kind, k, k);
		gboolean ok = program_verify(b->session, image, &error);
		/* An injector that injects nothing would pass every point. */
		ck_assert_msg(chaos_transport_fired(b->chaos),
			      "%s K=%u of %u: no fault was injected", what, k, total);
		if (chaos_transport_spoiled(b->chaos))
			spoiled++;
		if (ok) {
			/* Garbage that did no harm, a short reply to a command
			 * without one, or a step with a fallback (a failed flash
			 * loader start means programming directly): the image
			 * must be there, verified. */
			g_autofree gchar *cmd = chaos_transport_describe_fired(b->chaos);
			if (no_loader && must_fail_direct(kind) &&
			    chaos_transport_spoiled(b->chaos)) {
				/* Only the closing FLASH_CR lock may be lost unseen:
				 * the driver's finish step reports nothing (the next
				 * reset locks the controller anyway). */
				ck_assert_msg(g_str_equal(cmd, FLASH_CR_WRITE) && lock_lost == 0,
					      "%s K=%u (direct, command %s): the job went on as if "
					      "nothing happened",
					      what, k, cmd);
				lock_lost++;
			}
			assert_all_new(b, old, image, what, k);
			absorbed++;
			continue;
		}
		failed++;
		ck_assert_msg(error->domain == GLINT_ERROR && strlen(error->message) > 10,
			      "%s K=%u: unclear error '%s'", what, k, error->message);
		if (expected_code(kind) != GLINT_ERROR_FAILED)
			ck_assert_msg(error->code == (gint)expected_code(kind),
				      "%s K=%u: expected %s, got %s: %s", what, k,
				      glint_error_code_to_string(expected_code(kind)),
				      glint_error_code_to_string(error->code), error->message);
		ck_assert_msg(rel_flash_consistent(b->sim, old, image, &why), "%s K=%u: %s", what,
			      k, why);
		g_clear_error(&error);
		if (program_verify(b->session, image, &error)) {
			same_session++;
		} else {
			g_autoptr(GError) again = NULL;
			ck_assert_msg(glint_job_connect(b->session, NULL, NULL, NULL, &again),
				      "%s K=%u reconnect after '%s': %s", what, k, error->message,
				      again->message);
			ck_assert_msg(program_verify(b->session, image, &again),
				      "%s K=%u re-run after reconnect: %s", what, k,
				      again->message);
			reconnected++;
		}
		assert_all_new(b, old, image, what, k);
	}
	fprintf(stderr,
		"# %s: %u fault points (%u changed a reply), %u failed the job (%u recovered on "
		"the same session, %u after reconnecting), %u absorbed with the image verified "
		"(%s)\n",
		what, total, spoiled, failed, same_session, reconnected, absorbed,
		no_loader ? "direct" : "loader");
	/* Most of the job's commands have a reply: most points must spoil one,
	 * and some faults must end the job, whatever the mode. */
	ck_assert_uint_gt(spoiled, total / 2);
	ck_assert_uint_gt(failed, 0);
}

START_TEST(test_link_fault)
{
	/* _i runs over the kinds twice: with the loader, then without. */
	guint kinds = CHAOS_N_KINDS - CHAOS_TIMEOUT_BEFORE;
	no_loader = (guint)(_i - CHAOS_TIMEOUT_BEFORE) >= kinds;
	sweep((ChaosKind)(CHAOS_TIMEOUT_BEFORE + (guint)(_i - CHAOS_TIMEOUT_BEFORE) % kinds));
}
END_TEST

/* A flash controller that never stops being busy (as seen through the
 * probe): programming directly, every wait on BSY is bounded, so the job
 * ends with a timeout that says what to do, nothing erased or written. */
START_TEST(test_stuck_busy_bounded)
{
	g_autoptr(LinkBoard) b = link_board_new();
	g_autoptr(GBytes) old = rel_snapshot(b->sim);
	g_autoptr(GBytes) after = NULL;
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 32);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	g_autoptr(GError) error = NULL;
	guint64 ops = rel_sim_flash_ops(b->sim);

	no_loader = TRUE;
	chaos_transport_arm(b->chaos, CHAOS_STUCK_BUSY, 0, 0);
	ck_assert(!program_verify(b->session, image, &error));
	ck_assert(chaos_transport_fired(b->chaos));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT) &&
			  strstr(error->message, "BSY") != NULL,
		      "%s", error->message);
	after = rel_snapshot(b->sim);
	ck_assert(g_bytes_equal(old, after));
	ck_assert_uint_eq(rel_sim_flash_ops(b->sim), ops);
}
END_TEST

/* A reply spoiled after its status byte (issue 16): CPUID or DBGMCU_IDCODE
 * read back as all ones with an OK status. No core answers that: the probe
 * link is blamed ("replug"), not the target ("connect under reset"), and
 * the next connect works. */
START_TEST(test_all_ones_identity_is_probe_error)
{
	static const guint32 addresses[] = {0xE000ED00u /* CPUID */,
					    0xE0042000u /* DBGMCU_IDCODE */};
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GlintTransport) inner = glint_sim_transport_new(sim);
	g_autoptr(GlintTransport) chaos = chaos_transport_new(inner);
	g_autoptr(GlintSession) session = glint_session_new(chaos);
	g_autoptr(GError) error = NULL;

	chaos_transport_arm_all_ones(chaos, addresses[_i]);
	ck_assert(!glint_job_connect(session, NULL, NULL, NULL, &error));
	ck_assert_msg(chaos_transport_fired(chaos), "0x%08X was never read", addresses[_i]);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_PROBE) &&
			  strstr(error->message, "replug") != NULL &&
			  strstr(error->message, "connect under reset") == NULL,
		      "0x%08X all ones: %s: %s", addresses[_i],
		      glint_error_code_to_string(error->code), error->message);
	g_clear_error(&error);
	ck_assert_msg(glint_job_connect(session, NULL, NULL, NULL, &error), "reconnect: %s",
		      error->message);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("link-faults");
	TCase *tc = tcase_create("chaos");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_link_fault, CHAOS_TIMEOUT_BEFORE,
			    CHAOS_TIMEOUT_BEFORE + 2 * (CHAOS_N_KINDS - CHAOS_TIMEOUT_BEFORE));
	tcase_add_test(tc, test_stuck_busy_bounded);
	tcase_add_loop_test(tc, test_all_ones_identity_is_probe_error, 0, 2);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
