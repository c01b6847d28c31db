/* Supply faults, property style (core/sim/sim-faults.c): target power fails
 * at every command K of a program + verify job and of an option-byte write,
 * cutting whatever flash operation runs at that moment the way silicon would;
 * and the supply sags below the brown-out threshold mid-job. The host must
 * report a clear error (never hang), the next connect must show what state
 * the chip is in (OPTVERR, RDP level 1 from the safe defaults) with the
 * repair on offer, and the repair or a re-run must bring it back. */
#define G_LOG_DOMAIN "test-power"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "rel-board.h"

#define IMAGE_ADDR (REL_FLASH_BASE + REL_PAGE_SIZE)
#define IMAGE_LEN (2 * REL_PAGE_SIZE + 300)
#define FLASH_SR_OPTVERR (1u << 15)

typedef struct {
	guint64 at;
	gboolean brownout; /* sag below BOR rather than lose power */
	gboolean struck;
	GlintSimCut cut;
} PowerFault;

static gboolean
power_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	PowerFault *f = user_data;
	if (f->struck || glint_sim_get_command_count(sim) < f->at)
		return TRUE;
	f->struck = TRUE;
	if (f->brownout)
		glint_sim_set_target_voltage_mv(sim, glint_sim_get_bor_threshold_mv(sim) - 100);
	else
		f->cut = glint_sim_power_fail(sim);
	return TRUE;
}

static RelBoard *
board_with_old_firmware(void)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GBytes) old = rel_random_bytes(5 * REL_PAGE_SIZE, 44);
	ck_assert(glint_sim_poke(sim, REL_FLASH_BASE, g_bytes_get_data(old, NULL),
				 g_bytes_get_size(old)));
	return rel_board_new_for_sim(sim, TRUE);
}

/* With the on-target loader (the default) or programming directly over
 * SWD, where the host polls BSY through every erase. */
static gboolean no_loader;

static gboolean
program_verify(RelBoard *b, GlintImage *image, GError **error)
{
	/* plain erase: the fault sweeps check every page against the image */
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader, .no_preserve = TRUE};
	return glint_job_program(b->session, image, &options, b->progress, NULL, NULL, error);
}

static guint
program_commands(GlintImage *image)
{
	g_autoptr(RelBoard) b = board_with_old_firmware();
	guint64 c0 = glint_sim_get_command_count(b->sim);
	ck_assert(program_verify(b, image, NULL));
	return (guint)(glint_sim_get_command_count(b->sim) - c0);
}

/* After a cut: pages outside the image as they were; inside, old, erased,
 * new or a programming prefix, except at most one page damaged by the cut
 * operation itself. */
static void
assert_cut_consistent(RelBoard *b, GBytes *old, GlintImage *image, GlintSimCut cut, guint k)
{
	const guint8 *before = g_bytes_get_data(old, NULL);
	g_autoptr(GBytes) now_bytes = rel_snapshot(b->sim);
	const guint8 *now = g_bytes_get_data(now_bytes, NULL);
	guint damaged = 0;

	for (guint32 off = 0; off < REL_CHECK_SIZE; off += REL_PAGE_SIZE) {
		guint32 addr = REL_FLASH_BASE + off;
		RelPageState s;
		if (addr < IMAGE_ADDR || addr >= IMAGE_ADDR + IMAGE_LEN) {
			ck_assert_msg(memcmp(now + off, before + off, REL_PAGE_SIZE) == 0,
				      "K=%u: page 0x%08X outside the image changed", k, addr);
			continue;
		}
		s = rel_page_state(b->sim, old, image, addr);
		if (s == REL_PAGE_OTHER)
			damaged++;
	}
	ck_assert_msg(damaged == 0 || (damaged == 1 && cut != GLINT_SIM_CUT_NONE),
		      "K=%u: %u damaged pages after cutting %s", k, damaged,
		      glint_sim_cut_to_string(cut));
}

static void
assert_power_error(const GError *error, guint k)
{
	/* FLASH: the supply check before erasing found it too low. */
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET) ||
			  g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING) ||
			  g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH),
		      "K=%u: %s", k, error->message);
	ck_assert_msg(strstr(error->message, "power") != NULL, "K=%u: '%s' says nothing of power",
		      k, error->message);
}

START_TEST(test_power_fail_at_every_program_command)
{
	no_loader = _i == 1;
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 41);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint total = program_commands(image), failed = 0;
	guint cuts[GLINT_SIM_CUT_OPTIONS + 1] = {0};
	gint first_absorbed = -1;

	for (guint k = 0; k < total; k++) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		PowerFault f = {glint_sim_get_command_count(b->sim) + k, FALSE, FALSE,
				GLINT_SIM_CUT_NONE};

		glint_sim_set_command_hook(b->sim, power_hook, &f);
		if (!program_verify(b, image, &error)) {
			assert_power_error(error, k);
			/* No job survives losing the target: a failure after a
			 * point that went through means the cut went astray. */
			ck_assert_msg(first_absorbed < 0, "K=%u failed after K=%d went through", k,
				      first_absorbed);
			failed++;
		} else if (first_absorbed < 0) {
			first_absorbed = (gint)k;
		}
		ck_assert_msg(f.struck, "K=%u of %u: power was never cut", k, total);
		cuts[f.cut]++;
		assert_cut_consistent(b, old, image, f.cut, k);
		/* Power returns (a power-on reset); connect, run the job again. */
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		glint_sim_set_target_voltage_mv(b->sim, 3300);
		g_clear_error(&error);
		ck_assert_msg(rel_board_connect(b, &error), "K=%u reconnect: %s", k,
			      error->message);
		ck_assert_msg(program_verify(b, image, &error), "K=%u re-run: %s", k,
			      error->message);
		for (guint32 a = IMAGE_ADDR; a < IMAGE_ADDR + IMAGE_LEN; a += REL_PAGE_SIZE)
			ck_assert(rel_page_state(b->sim, old, image, a) == REL_PAGE_NEW);
	}
	/* Programming directly, the host polls BSY through each 22 ms erase:
	 * the sweep must cut erases in flight, not only idle moments. (A double
	 * word programs in 82 us, inside its own USB command: between commands
	 * the emulator never has one in flight.) */
	if (no_loader)
		ck_assert_uint_gt(cuts[GLINT_SIM_CUT_ERASE], 0);
	/* Power lost before the job's last target access fails it. */
	ck_assert_msg(failed * 10 >= total * 9, "only %u of %u power cuts failed the job", failed,
		      total);
	fprintf(stderr,
		"# power fail during program+verify (%s): %u fault points (%u cut an erase, %u "
		"a program)\n",
		no_loader ? "direct" : "loader", total, cuts[GLINT_SIM_CUT_ERASE],
		cuts[GLINT_SIM_CUT_PROGRAM]);
}
END_TEST

static gboolean
write_wrp(RelBoard *b, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	GlintOptionBytes ob = info->options;
	ck_assert(glint_target_info_apply_option_edit(info, &ob, "WRP1A=4-9", NULL));
	return glint_job_write_options(b->session, &ob, GLINT_CONFIRM_NONE, b->progress, NULL, NULL,
				       error);
}

static GlintFinding *
find_finding(GPtrArray *findings, const char *id)
{
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, id) == 0)
			return f;
	}
	return NULL;
}

/* Power fails during an option-byte write: cut mid-OPTSTRT, the next
 * connect finds OPTVERR (and RDP level 1 from the safe defaults), diagnosis
 * offers to restore the option bytes, and that repair brings the chip back. */
START_TEST(test_power_fail_during_option_write)
{
	guint total, options_cut = 0, failed = 0;
	{
		g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
		guint64 c0 = glint_sim_get_command_count(b->sim);
		ck_assert(write_wrp(b, NULL));
		total = (guint)(glint_sim_get_command_count(b->sim) - c0);
	}
	for (guint k = 0; k < total; k++) {
		g_autoptr(RelBoard) b = rel_board_new("fresh", TRUE);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) findings = NULL;
		const GlintTargetInfo *info;
		PowerFault f = {glint_sim_get_command_count(b->sim) + k, FALSE, FALSE,
				GLINT_SIM_CUT_NONE};
		GlintFinding *optverr;

		glint_sim_set_command_hook(b->sim, power_hook, &f);
		/* Power may go after the write's last target access: then it
		 * succeeded, and the chip must come back with the new values. */
		if (!write_wrp(b, &error)) {
			assert_power_error(error, k);
			failed++;
		}
		ck_assert_msg(f.struck, "K=%u of %u: power was never cut", k, total);
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		glint_sim_set_target_voltage_mv(b->sim, 3300);
		g_clear_error(&error);
		ck_assert_msg(rel_board_connect(b, &error), "K=%u reconnect: %s", k,
			      error->message);
		info = glint_session_get_target_info(b->session);
		findings = glint_job_diagnose(b->session, NULL, &error);
		ck_assert_ptr_nonnull(findings);
		optverr = find_finding(findings, "optverr");
		if (f.cut != GLINT_SIM_CUT_OPTIONS) {
			ck_assert_msg(optverr == NULL, "K=%u: OPTVERR without a cut write", k);
			continue;
		}
		options_cut++;
		/* What the chip says after a cut option write, and the way out. */
		ck_assert_msg(info->flash_sr & FLASH_SR_OPTVERR, "K=%u: no OPTVERR at connect", k);
		ck_assert_msg(optverr != NULL, "K=%u: diagnosis does not report OPTVERR", k);
		ck_assert_int_eq(optverr->fix_kind, GLINT_FIX_RESTORE_OPTIONS);
		ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_RESTORE_OPTIONS,
						  GLINT_CONFIRM_RISKY, b->progress, NULL, NULL,
						  &error),
			      "K=%u restore: %s", k, error->message);
		g_ptr_array_unref(findings);
		findings = glint_job_diagnose(b->session, NULL, &error);
		ck_assert_ptr_null(find_finding(findings, "optverr"));
		ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 0);
		ck_assert_msg(write_wrp(b, &error), "K=%u re-run: %s", k, error->message);
	}
	ck_assert_uint_gt(options_cut, 0);
	ck_assert_msg(failed * 10 >= total * 9, "only %u of %u power cuts failed the write", failed,
		      total);
	fprintf(stderr, "# power fail during an option write: %u fault points, %u cut OPTSTRT\n",
		total, options_cut);
}
END_TEST

/* The supply sags below brown-out mid-job: the chip stops answering, the
 * error says so; connecting while it is low says "brown-out", not "connect
 * under reset"; once the supply is back the job completes. */
START_TEST(test_brownout_mid_job)
{
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 42);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint total = program_commands(image), points = 0;

	for (guint k = 0; k < total; k += 5) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		PowerFault f = {glint_sim_get_command_count(b->sim) + k, TRUE, FALSE,
				GLINT_SIM_CUT_NONE};

		glint_sim_set_command_hook(b->sim, power_hook, &f);
		if (!program_verify(b, image, &error)) {
			assert_power_error(error, k);
			points++;
		}
		ck_assert_msg(f.struck, "K=%u of %u: the supply never sagged", k, total);
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		g_clear_error(&error);
		ck_assert(!rel_board_connect(b, &error));
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET) &&
				  strstr(error->message, "brown-out") != NULL,
			      "K=%u connect while low: %s", k, error->message);
		glint_sim_set_target_voltage_mv(b->sim, 3300);
		g_clear_error(&error);
		ck_assert_msg(rel_board_connect(b, &error), "K=%u reconnect: %s", k,
			      error->message);
		ck_assert_msg(program_verify(b, image, &error), "K=%u re-run: %s", k,
			      error->message);
		for (guint32 a = IMAGE_ADDR; a < IMAGE_ADDR + IMAGE_LEN; a += REL_PAGE_SIZE)
			ck_assert(rel_page_state(b->sim, old, image, a) == REL_PAGE_NEW);
	}
	ck_assert_uint_gt(points, 0);
	fprintf(stderr, "# brown-out mid-job: %u fault points\n", points);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("power");
	TCase *tc = tcase_create("supply");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_power_fail_at_every_program_command, 0, 2);
	tcase_add_test(tc, test_power_fail_during_option_write);
	tcase_add_test(tc, test_brownout_mid_job);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
