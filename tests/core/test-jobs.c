/* Every job end to end against the emulator (core/sim), scenario by scenario:
 * what the user sees (errors, findings, logs) and what the chip holds after. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define FLASH_SR_ADDR 0x40022010u
#define FLASH_SR_PGSERR (1u << 7)
#define FLASH_SR_OPTVERR (1u << 15)

typedef struct {
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
	GCancellable *cancellable;
	guint cancel_after_updates;
	guint updates;
	gdouble last_fraction;
} Board;

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
}

static void
on_progress(const GlintProgressUpdate *u, gpointer user_data)
{
	Board *b = user_data;
	b->last_fraction = u->fraction;
	if (b->cancel_after_updates > 0 && ++b->updates == b->cancel_after_updates)
		g_cancellable_cancel(b->cancellable);
}

static GlintProgress *
progress(Board *b)
{
	return glint_progress_new(on_progress, on_log, b);
}

static gboolean
log_contains(Board *b, const char *needle)
{
	for (guint i = 0; i < b->log->len; i++) {
		if (strstr(g_ptr_array_index(b->log, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static Board *
board_new_unconnected(const char *scenario)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	Board *b = g_new0(Board, 1);

	b->sim = glint_sim_new(scenario, &error);
	ck_assert_msg(b->sim != NULL, "sim: %s", error ? error->message : "?");
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	b->cancellable = g_cancellable_new();
	return b;
}

static void
connect_ok(Board *b, gboolean under_reset)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintConnectOptions options = {.under_reset = under_reset};
	gboolean ok = glint_job_connect(b->session, &options, p, NULL, &error);
	ck_assert_msg(ok, "connect: %s", error ? error->message : "?");
}

static Board *
board_new(const char *scenario)
{
	Board *b = board_new_unconnected(scenario);
	connect_ok(b, FALSE);
	return b;
}

static void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_ptr_array_unref(b->log);
	g_object_unref(b->cancellable);
	g_free(b);
}

static GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

static GlintImage *
image_at(guint32 address, GBytes *bytes)
{
	GlintImage *image = glint_image_new();
	ck_assert(glint_image_add(image, address, g_bytes_get_data(bytes, NULL),
				  g_bytes_get_size(bytes), "test", NULL));
	return image;
}

static gboolean
program(Board *b, GlintImage *image, gboolean verify, GlintJobResult *result, GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	GlintProgramOptions options = {.verify = verify};
	return glint_job_program(b->session, image, &options, p, b->cancellable, result, error);
}

static gboolean
sim_flash_equals(Board *b, guint32 address, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	return memcmp(buf, g_bytes_get_data(bytes, NULL), len) == 0;
}

static gboolean
sim_flash_erased(Board *b, guint32 address, gsize len)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static gboolean
write_options_edit(Board *b, const char *edit, GlintConfirm confirm, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	GlintOptionBytes ob = info->options;
	g_autoptr(GlintProgress) p = progress(b);
	ck_assert(glint_target_info_apply_option_edit(info, &ob, edit, NULL));
	return glint_job_write_options(b->session, &ob, confirm, p, NULL, NULL, error);
}

START_TEST(test_connect_fresh)
{
	Board *b = board_new("fresh");
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);

	ck_assert_str_eq(info->chip->name, "STM32L47x/L48x");
	ck_assert_uint_eq(info->dev_id, 0x415);
	ck_assert_uint_eq(info->flash_kb, 1024);
	ck_assert_uint_eq(info->geometry.n_banks, 2);
	ck_assert_uint_eq(info->rdp_level, 0);
	ck_assert(info->voltage > 3.2 && info->voltage < 3.4);
	ck_assert_str_eq(info->probe_version, "V2J37S7");
	ck_assert_uint_eq(strlen(info->uid), 24);
	ck_assert(info->bank2_empty);
	ck_assert(log_contains(b, "Connected to STM32L47x/L48x"));
	board_free(b);
}
END_TEST

START_TEST(test_program_verify_read)
{
	Board *b = board_new("fresh");
	/* Straddles the bank boundary so bank 2 pages go through BKER. */
	guint32 address = 0x0807F000;
	g_autoptr(GBytes) data = random_bytes(8 * 1024 + 5, 1);
	g_autoptr(GlintImage) image = image_at(address, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintJobResult result = {0};

	ck_assert_msg(program(b, image, TRUE, &result, &error), "%s", error ? error->message : "");
	ck_assert_uint_eq(result.bytes, g_bytes_get_size(data));
	ck_assert_uint_eq(result.pages_erased, 5);
	ck_assert(result.device_seconds > 0);
	ck_assert_ptr_nonnull(strstr(result.summary, "modelled device time"));
	ck_assert_double_eq_tol(b->last_fraction, 1.0, 1e-9);
	ck_assert(sim_flash_equals(b, address, data));
	/* The padding of the last double word is erased flash. */
	ck_assert(sim_flash_erased(b, address + g_bytes_get_size(data), 3));
	back =
	    glint_job_read(b->session, address, g_bytes_get_size(data), NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	ck_assert(g_bytes_equal(back, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

START_TEST(test_verify_mismatch_names_address)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(4096, 2);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	guint8 flipped;

	ck_assert(program(b, image, FALSE, NULL, &error));
	ck_assert(glint_sim_peek(b->sim, FLASH_BASE + 0x123, &flipped, 1));
	flipped &= 0x0F; /* flash can only clear bits */
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE + 0x123, &flipped, 1));
	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH));
	ck_assert_ptr_nonnull(strstr(error->message, "0x08000123"));
	board_free(b);
}
END_TEST

START_TEST(test_image_outside_flash_refused)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(64, 3);
	g_autoptr(GlintImage) image = image_at(0x080FFFF0, data);
	g_autoptr(GError) error = NULL;

	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
	ck_assert(sim_flash_erased(b, 0x080FF800, 2048));
	board_free(b);
}
END_TEST

START_TEST(test_wrp_program_fails_then_fix)
{
	Board *b = board_new("wrp");
	g_autoptr(GBytes) data = random_bytes(4096, 4);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *before = g_malloc(4096);
	g_autoptr(GPtrArray) findings = NULL;
	gboolean found = FALSE;

	ck_assert(glint_sim_peek(b->sim, FLASH_BASE, before, 4096));
	ck_assert(!program(b, image, TRUE, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP1A"));
	ck_assert_ptr_nonnull(strstr(error->message, "pages 0-15"));
	ck_assert_int_eq(glint_fix_for_error(error), GLINT_FIX_REMOVE_WRP);
	/* Nothing changed on the chip. */
	g_autoptr(GBytes) before_bytes = g_bytes_new(before, 4096);
	ck_assert(sim_flash_equals(b, FLASH_BASE, before_bytes));
	g_clear_error(&error);

	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(findings);
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, "wrp-active") == 0) {
			found = TRUE;
			ck_assert_int_eq(f->fix_kind, GLINT_FIX_REMOVE_WRP);
			ck_assert_ptr_nonnull(strstr(f->title, "WRP1A"));
		}
	}
	ck_assert(found);

	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_REMOVE_WRP, GLINT_CONFIRM_NONE,
					  NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	{
		const GlintTargetInfo *after = glint_session_get_target_info(b->session);
		ck_assert(!glint_option_bytes_area_active(
		    &after->options, glint_option_layout_find_area(after->chip->options, "WRP1A")));
	}
	ck_assert_msg(program(b, image, TRUE, NULL, &error), "%s", error ? error->message : "");
	ck_assert(sim_flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

START_TEST(test_wrp_mass_erase_refused)
{
	Board *b = board_new("wrp");
	g_autoptr(GError) error = NULL;
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP1A"));
	board_free(b);
}
END_TEST

START_TEST(test_stale_errors_cleared_and_logged)
{
	Board *b = board_new("stale-errors");
	g_autoptr(GBytes) data = random_bytes(2048, 5);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};

	ck_assert(glint_sim_peek32(b->sim, FLASH_SR_ADDR) & FLASH_SR_PGSERR);
	ck_assert_msg(program(b, image, TRUE, &result, &error), "%s", error ? error->message : "");
	ck_assert(result.stale_flags & FLASH_SR_PGSERR);
	ck_assert(result.stale_flags & FLASH_SR_OPTVERR);
	ck_assert(log_contains(b, "PGSERR"));
	ck_assert(log_contains(b, "OPTVERR"));
	ck_assert(sim_flash_equals(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

START_TEST(test_rdp1_regress)
{
	Board *b = board_new("rdp1");
	g_autoptr(GBytes) data = random_bytes(2048, 6);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;

	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 1);
	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "RDP"));
	g_clear_error(&error);
	back = glint_job_read(b->session, FLASH_BASE, 256, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);

	ck_assert(!write_options_edit(b, "RDP=0", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_options_edit(b, "RDP=0", GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 0);
	back = glint_job_read(b->session, FLASH_BASE, 4096, NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	for (gsize i = 0; i < 4096; i++)
		ck_assert_uint_eq(((const guint8 *)g_bytes_get_data(back, NULL))[i], 0xFF);
	board_free(b);
}
END_TEST

START_TEST(test_rdp2_needs_permanent_confirmation)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	ck_assert(!write_options_edit(b, "RDP=2", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x40022020) & 0xFF, 0xAA);
	board_free(b);
}
END_TEST

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

START_TEST(test_bfb2_empty_diagnosed_and_fixed)
{
	Board *b = board_new("bfb2-empty");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = glint_job_diagnose(b->session, NULL, &error);
	g_autoptr(GPtrArray) after = NULL;
	GlintFinding *f;

	ck_assert_ptr_nonnull(findings);
	f = find_finding(findings, "bfb2-empty-bank2");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, GLINT_SEVERITY_WARNING);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_CLEAR_BFB2);
	ck_assert(!glint_job_apply_fix(b->session, GLINT_FIX_CLEAR_BFB2, GLINT_CONFIRM_NONE, NULL,
				       NULL, NULL, &error));
	g_clear_error(&error);
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_CLEAR_BFB2, GLINT_CONFIRM_RISKY,
					  NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	after = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_null(find_finding(after, "bfb2-empty-bank2"));
	board_free(b);
}
END_TEST

START_TEST(test_fresh_is_healthy)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(findings);
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *f = g_ptr_array_index(findings, i);
		ck_assert_msg(f->severity == GLINT_SEVERITY_INFO, "unexpected finding: %s",
			      f->title);
	}
	ck_assert_ptr_nonnull(find_finding(findings, "dualbank"));
	board_free(b);
}
END_TEST

START_TEST(test_bfb2_persists_across_reset_and_state_file)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-test-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GlintSim) reloaded = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autoptr(GlintSession) session = NULL;
	GlintOptionBytes ob;
	guint32 bfb2 = 0;

	/* Bank 2 is empty on a fresh board: BFB2 needs the confirmation. */
	ck_assert(!write_options_edit(b, "BFB2=1", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_options_edit(b, "BFB2=1", GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_job_reset(b->session, GLINT_RESET_SOFTWARE, TRUE, NULL, &error));
	ck_assert(glint_job_read_options(b->session, &ob, &error));
	ck_assert(glint_option_bytes_get_named(&ob, "BFB2", &bfb2) && bfb2 == 1);

	ck_assert(glint_sim_save_state(b->sim, path, &error));
	reloaded = glint_sim_new_from_state(path, &error);
	ck_assert_ptr_nonnull(reloaded);
	transport = glint_sim_transport_new(reloaded);
	session = glint_session_new(transport);
	ck_assert(glint_job_connect(session, NULL, NULL, NULL, &error));
	ck_assert(glint_option_bytes_get_named(&glint_session_get_target_info(session)->options,
					       "BFB2", &bfb2) &&
		  bfb2 == 1);
	g_unlink(path);
	g_rmdir(dir);
	board_free(b);
}
END_TEST

START_TEST(test_l476re_dualbank_toggle)
{
	Board *b = board_new("l476re");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(4096, 7);
	/* 0x08040000 is page 0 of bank 2 in dual-bank mode, page 128 of the
	 * single bank otherwise. */
	g_autoptr(GlintImage) image = image_at(0x08040000, data);
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);

	ck_assert_uint_eq(info->flash_kb, 512);
	ck_assert_uint_eq(info->geometry.n_banks, 2);
	ck_assert(!write_options_edit(b, "DUALBANK=0", GLINT_CONFIRM_NONE, &error));
	g_clear_error(&error);
	ck_assert_msg(write_options_edit(b, "DUALBANK=0", GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	info = glint_session_get_target_info(b->session);
	ck_assert_uint_eq(info->geometry.n_banks, 1);
	ck_assert_uint_eq(info->geometry.banks[0].n_units, 256);
	ck_assert_msg(program(b, image, TRUE, NULL, &error), "%s", error ? error->message : "");
	ck_assert(sim_flash_equals(b, 0x08040000, data));
	glint_sim_power_cycle(b->sim);
	connect_ok(b, FALSE);
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->geometry.n_banks, 1);
	board_free(b);
}
END_TEST

START_TEST(test_no_target)
{
	Board *b = board_new_unconnected("no-target");
	g_autoptr(GError) error = NULL;
	ck_assert(!glint_job_connect(b->session, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET));
	ck_assert_ptr_nonnull(strstr(error->message, "V"));
	board_free(b);
}
END_TEST

START_TEST(test_swd_disabled_needs_connect_under_reset)
{
	Board *b = board_new_unconnected("swd-disabled");
	g_autoptr(GError) error = NULL;
	ck_assert(!glint_job_connect(b->session, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING));
	ck_assert_int_eq(glint_fix_for_error(error), GLINT_FIX_CONNECT_UNDER_RESET);
	ck_assert_ptr_nonnull(strstr(error->message, "under reset"));
	g_clear_error(&error);
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_CONNECT_UNDER_RESET,
					  GLINT_CONFIRM_NONE, NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->dev_id, 0x415);
	board_free(b);
}
END_TEST

START_TEST(test_erase_range_and_mass)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(3 * 2048, 8);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};

	ck_assert(program(b, image, FALSE, NULL, &error));
	/* A range inside page 1 erases exactly page 1. */
	ck_assert(glint_job_erase_range(b->session, FLASH_BASE + 2048 + 16, 10, NULL, NULL, &result,
					&error));
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(sim_flash_erased(b, FLASH_BASE + 2048, 2048));
	ck_assert(!sim_flash_erased(b, FLASH_BASE, 2048));
	ck_assert(!sim_flash_erased(b, FLASH_BASE + 4096, 2048));
	glint_job_result_clear(&result);
	ck_assert(!glint_job_erase_range(b->session, 0x080FF000, 0x2000, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	g_clear_error(&error);
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_NONE, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(
	    glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, &result, &error));
	ck_assert(sim_flash_erased(b, FLASH_BASE, 3 * 2048));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

START_TEST(test_cancel_mid_program_leaves_usable_session)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(64 * 1024, 9);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;

	b->cancel_after_updates = 3;
	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert(glint_error_is_cancelled(error));
	/* A failed job never shows a full bar. */
	ck_assert(b->last_fraction < 1.0);
	/* The error says what the chip was left with. */
	ck_assert_msg(g_str_has_prefix(error->message, "Cancelled after programming "), "%s",
		      error->message);
	g_clear_error(&error);
	b->cancel_after_updates = 0;
	g_cancellable_reset(b->cancellable);
	ck_assert_msg(program(b, image, TRUE, NULL, &error), "%s", error ? error->message : "");
	board_free(b);
}
END_TEST

START_TEST(test_unplug_mid_program)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(16 * 1024, 10);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;

	glint_sim_set_unplug_after(b->sim, 40);
	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      error->message);
	board_free(b);
}
END_TEST

START_TEST(test_one_job_at_a_time)
{
	/* A second job on the same session while one holds it is refused,
	 * not interleaved: simulate by calling from the log callback. */
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(256, 11);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	ck_assert(program(b, image, FALSE, NULL, &error));
	ck_assert(glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	board_free(b);
}
END_TEST

/* Bank erase picks the right bank (issue 16: swapping MER1 and MER2 must
 * fail a test): directly, through the loader, and by address range. */
static void
fill_both_banks(Board *b, GBytes *one, GBytes *two)
{
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(one, NULL), 4096));
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE + 0x80000, g_bytes_get_data(two, NULL), 4096));
}

START_TEST(test_bank_erase_hits_the_right_bank)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) one = random_bytes(4096, 21);
	g_autoptr(GBytes) two = random_bytes(4096, 22);
	g_autoptr(GBytes) whole = random_bytes(512 * 1024, 23);
	g_autoptr(GlintImage) bank2_image = image_at(FLASH_BASE + 0x80000, whole);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintJobResult result = {0};

	/* bank 2 by the bank-erase job */
	fill_both_banks(b, one, two);
	ck_assert(!glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_NONE, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(
	    glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_RISKY, p, NULL, &result, &error),
	    "%s", error ? error->message : "");
	ck_assert_uint_eq(result.pages_erased, 256);
	ck_assert(sim_flash_equals(b, FLASH_BASE, one));
	ck_assert(sim_flash_erased(b, FLASH_BASE + 0x80000, 4096));
	/* bank 1 by the bank-erase job */
	fill_both_banks(b, one, two);
	ck_assert(glint_job_erase_bank(b->session, 0, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error));
	ck_assert(sim_flash_erased(b, FLASH_BASE, 4096));
	ck_assert(sim_flash_equals(b, FLASH_BASE + 0x80000, two));
	/* bank 2 by a range covering it (direct: one bank erase) */
	fill_both_banks(b, one, two);
	ck_assert(glint_job_erase_range(b->session, FLASH_BASE + 0x80000, 0x80000, p, NULL, NULL,
					&error));
	ck_assert(sim_flash_equals(b, FLASH_BASE, one));
	ck_assert(sim_flash_erased(b, FLASH_BASE + 0x80000, 4096));
	/* bank 2 by the loader, programming an image that fills it */
	fill_both_banks(b, one, two);
	ck_assert_msg(program(b, bank2_image, TRUE, &result, &error), "%s",
		      error ? error->message : "");
	ck_assert(result.loader_used);
	ck_assert(sim_flash_equals(b, FLASH_BASE, one));
	ck_assert(sim_flash_equals(b, FLASH_BASE + 0x80000, whole));
	glint_job_result_clear(&result);
	/* no bank 3 */
	ck_assert(!glint_job_erase_bank(b->session, 2, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

START_TEST(test_erase_units_by_index)
{
	Board *b = board_new("l476re");
	g_autoptr(GBytes) old = random_bytes(8 * 2048, 24);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	const guint wanted[] = {1, 3};
	const guint backwards[] = {3, 1};

	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), 8 * 2048));
	ck_assert_msg(glint_job_erase_units(b->session, wanted, 2, p, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_erased(b, FLASH_BASE + 2048, 2048));
	ck_assert(sim_flash_erased(b, FLASH_BASE + 3 * 2048, 2048));
	{
		g_autoptr(GBytes) page0 = g_bytes_new_from_bytes(old, 0, 2048);
		g_autoptr(GBytes) page2 = g_bytes_new_from_bytes(old, 2 * 2048, 2048);
		ck_assert(sim_flash_equals(b, FLASH_BASE, page0));
		ck_assert(sim_flash_equals(b, FLASH_BASE + 2 * 2048, page2));
	}
	ck_assert(!glint_job_erase_units(b->session, backwards, 2, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

/* Programming part of a page keeps the rest of it (issue 16.15), and says
 * so; --no-preserve erases it, and says that. */
START_TEST(test_partial_page_keeps_neighbours)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) old = random_bytes(2048, 25);
	g_autoptr(GBytes) tiny = random_bytes(100, 26);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x400, tiny);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) head = g_bytes_new_from_bytes(old, 0, 0x400);
	g_autoptr(GBytes) tail = g_bytes_new_from_bytes(old, 0x464, 2048 - 0x464);
	g_autoptr(GlintProgress) p = NULL;
	GlintProgramOptions plain = {.verify = TRUE, .no_preserve = TRUE};

	for (guint loader = 0; loader < 2; loader++) {
		GlintProgramOptions keep = {.verify = TRUE, .no_loader = loader == 0};
		g_ptr_array_set_size(b->log, 0);
		ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), 2048));
		g_clear_pointer(&p, glint_progress_free);
		p = progress(b);
		ck_assert_msg(glint_job_program(b->session, image, &keep, p, NULL, NULL, &error),
			      "%s", error ? error->message : "");
		ck_assert(sim_flash_equals(b, FLASH_BASE, head));
		ck_assert(sim_flash_equals(b, FLASH_BASE + 0x400, tiny));
		ck_assert(sim_flash_equals(b, FLASH_BASE + 0x464, tail));
		ck_assert(log_contains(b, "were read and are written back"));
	}
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), 2048));
	g_ptr_array_set_size(b->log, 0);
	ck_assert(glint_job_program(b->session, image, &plain, p, NULL, NULL, &error));
	ck_assert(sim_flash_erased(b, FLASH_BASE, 0x400));
	ck_assert(sim_flash_equals(b, FLASH_BASE + 0x400, tiny));
	ck_assert(log_contains(b, "--no-preserve"));
	board_free(b);
}
END_TEST

/* PCROP through the job (issue 16.2): refused without a confirmation,
 * written with one; "remove write protection" then says there is nothing
 * it can remove instead of claiming success; programming there names PCROP. */
START_TEST(test_pcrop_needs_confirmation)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(256, 27);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	const GlintTargetInfo *info;

	ck_assert(
	    !write_options_edit(b, "PCROP1=0x08000000-0x080007FF", GLINT_CONFIRM_NONE, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION), "%s",
		      error->message);
	ck_assert_ptr_nonnull(strstr(error->message, "execute-only"));
	g_clear_error(&error);
	ck_assert_msg(
	    write_options_edit(b, "PCROP1=0x08000000-0x080007FF", GLINT_CONFIRM_RISKY, &error),
	    "%s", error ? error->message : "");
	info = glint_session_get_target_info(b->session);
	ck_assert(glint_option_bytes_area_active(
	    &info->options, glint_option_layout_find_area(info->chip->options, "PCROP1")));
	ck_assert(!glint_job_apply_fix(b->session, GLINT_FIX_REMOVE_WRP, GLINT_CONFIRM_RISKY, NULL,
				       NULL, NULL, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "nothing was changed"));
	g_clear_error(&error);
	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED), "%s",
		      error->message);
	ck_assert_uint_eq(glint_fix_for_error(error), GLINT_FIX_NONE);
	board_free(b);
}
END_TEST

/* Bank 2 starting with code the debugger may not read (an execute-only
 * area there) is not known to be empty, and does not stop the connect
 * (before, the reconnect after writing the options failed on it). */
START_TEST(test_bank2_unreadable_connects)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	const GlintTargetInfo *info;

	ck_assert_msg(
	    write_options_edit(b, "PCROP2=0x08080000-0x080807FF", GLINT_CONFIRM_RISKY, &error),
	    "%s", error ? error->message : "");
	info = glint_session_get_target_info(b->session);
	ck_assert(!info->bank2_empty);
	connect_ok(b, FALSE);
	ck_assert(!glint_session_get_target_info(b->session)->bank2_empty);
	board_free(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("sim");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_connect_fresh);
	tcase_add_test(tc, test_program_verify_read);
	tcase_add_test(tc, test_verify_mismatch_names_address);
	tcase_add_test(tc, test_image_outside_flash_refused);
	tcase_add_test(tc, test_wrp_program_fails_then_fix);
	tcase_add_test(tc, test_wrp_mass_erase_refused);
	tcase_add_test(tc, test_stale_errors_cleared_and_logged);
	tcase_add_test(tc, test_rdp1_regress);
	tcase_add_test(tc, test_rdp2_needs_permanent_confirmation);
	tcase_add_test(tc, test_bfb2_empty_diagnosed_and_fixed);
	tcase_add_test(tc, test_fresh_is_healthy);
	tcase_add_test(tc, test_bfb2_persists_across_reset_and_state_file);
	tcase_add_test(tc, test_l476re_dualbank_toggle);
	tcase_add_test(tc, test_no_target);
	tcase_add_test(tc, test_swd_disabled_needs_connect_under_reset);
	tcase_add_test(tc, test_erase_range_and_mass);
	tcase_add_test(tc, test_cancel_mid_program_leaves_usable_session);
	tcase_add_test(tc, test_unplug_mid_program);
	tcase_add_test(tc, test_one_job_at_a_time);
	tcase_add_test(tc, test_bank_erase_hits_the_right_bank);
	tcase_add_test(tc, test_erase_units_by_index);
	tcase_add_test(tc, test_partial_page_keeps_neighbours);
	tcase_add_test(tc, test_pcrop_needs_confirmation);
	tcase_add_test(tc, test_bank2_unreadable_connects);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
