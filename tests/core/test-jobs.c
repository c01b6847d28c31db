/* Every job end to end against the emulator (core/sim), scenario by scenario:
 * what the user sees (errors, findings, logs) and what the chip holds after. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

#include "../common/test-glib-fatal.h"

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
	/* the NUCLEO-L476RG's own ST-LINK/V2-1 (UM1724), with its mass storage */
	ck_assert_str_eq(info->probe_version, "V2J37M26");
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

/* The first byte of the image, and the first of a later read-back block,
 * count as much as the others (a compare loop that started at 1 survived
 * the mutation pass, issue 16). */
START_TEST(test_verify_mismatch_in_first_byte_of_a_block)
{
	static const guint32 offsets[] = {0, 16 * 1024};
	for (guint i = 0; i < G_N_ELEMENTS(offsets); i++) {
		Board *b = board_new("fresh");
		g_autoptr(GBytes) data = random_bytes(32 * 1024, 2);
		g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *where = g_strdup_printf("0x%08X", FLASH_BASE + offsets[i]);
		guint8 cleared = 0;

		ck_assert(program(b, image, FALSE, NULL, &error));
		ck_assert(glint_sim_poke(b->sim, FLASH_BASE + offsets[i], &cleared, 1));
		ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH),
			      "%s", error->message);
		ck_assert_msg(strstr(error->message, where) != NULL, "%s", error->message);
		board_free(b);
	}
}
END_TEST

/* A cancel while the read-back verify runs is a cancel, not a pass: the
 * cancel comes with the first read of flash after the image was written
 * (a command hook: progress callbacks are throttled by wall time). */
typedef struct {
	GCancellable *cancellable;
	gboolean written;
	gboolean struck;
} CancelAtReadBack;

static gboolean
cancel_at_read_back(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	CancelAtReadBack *c = user_data;
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	gboolean in_flash = addr >= FLASH_BASE && addr < FLASH_BASE + 1024 * 1024;
	/* WRITEMEM_32BIT (F2 08) and READMEM_32BIT (F2 07) */
	if (cmd[0] == 0xF2 && cmd[1] == 0x08 && in_flash)
		c->written = TRUE;
	if (cmd[0] == 0xF2 && cmd[1] == 0x07 && in_flash && c->written && !c->struck) {
		g_cancellable_cancel(c->cancellable);
		c->struck = TRUE;
	}
	return TRUE;
}

START_TEST(test_cancel_mid_verify)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(64 * 1024, 12);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	CancelAtReadBack c = {b->cancellable, FALSE, FALSE};
	g_autoptr(GError) error = NULL;

	glint_sim_set_command_hook(b->sim, cancel_at_read_back, &c);
	ck_assert(
	    !glint_job_program(b->session, image, &options, NULL, b->cancellable, NULL, &error));
	ck_assert(c.struck);
	ck_assert_msg(glint_error_is_cancelled(error), "%s", error->message);
	ck_assert_msg(g_str_has_prefix(error->message, "Cancelled after verifying "), "%s",
		      error->message);
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

/* An image in no memory of a chip that programs more than its flash (the
 * L073's data EEPROM): the message gives its range and the flash's. */
START_TEST(test_image_elsewhere_names_its_range)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = random_bytes(1024, 3);
	g_autoptr(GlintImage) image = image_at(0x08200000, data);
	g_autoptr(GError) error = NULL;

	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
	ck_assert_msg(strstr(error->message, "0x08200000-0x082003FF is outside the flash of the "
					     "STM32L07x/L08x (0x08000000-0x0802FFFF) and its Data "
					     "EEPROM 0x08080000-0x080817FF") != NULL,
		      "%s", error->message);
	board_free(b);
}
END_TEST

/* Two pieces of an image in one page: the page is erased once. */
START_TEST(test_two_segments_in_one_page_erase_it_once)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) one = random_bytes(256, 13);
	g_autoptr(GBytes) two = random_bytes(256, 14);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 2048, one);
	GlintJobResult result = {0};
	g_autoptr(GError) error = NULL;

	ck_assert(glint_image_add(image, FLASH_BASE + 2048 + 1024, g_bytes_get_data(two, NULL), 256,
				  "test", NULL));
	ck_assert_msg(program(b, image, TRUE, &result, &error), "%s", error ? error->message : "");
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(sim_flash_equals(b, FLASH_BASE + 2048, one));
	ck_assert(sim_flash_equals(b, FLASH_BASE + 2048 + 1024, two));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* An RDP level 1 chip: the program job says so before it touches the flash
 * controller (no key written), rather than have the chip refuse. */
static gboolean
count_key_writes(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	guint *keys = user_data;
	/* WRITEDEBUGREG (F2 35) of FLASH_KEYR (0x40022008) */
	if (cmd[0] == 0xF2 && cmd[1] == 0x35 && cmd[2] == 0x08 && cmd[3] == 0x20 &&
	    cmd[4] == 0x02 && cmd[5] == 0x40)
		(*keys)++;
	return TRUE;
}

START_TEST(test_rdp1_refused_before_touching_flash)
{
	Board *b = board_new("rdp1");
	g_autoptr(GBytes) data = random_bytes(2048, 15);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	guint keys = 0;

	glint_sim_set_command_hook(b->sim, count_key_writes, &keys);
	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED), "%s",
		      error->message);
	ck_assert_uint_eq(keys, 0);
	g_clear_error(&error);
	ck_assert(!glint_job_erase_range(b->session, FLASH_BASE, 2048, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	ck_assert_uint_eq(keys, 0);
	board_free(b);
}
END_TEST

/* The data EEPROM takes its own path to the driver (erase_region_locked):
 * on an RDP level 1 chip it is refused too, and the job fails. A refusal
 * that set the error but returned success passed every test (issue 16's
 * mutation pass). */
START_TEST(test_rdp1_eeprom_erase_refused)
{
	Board *b = board_new("nucleo-l073rz:rdp1");
	g_autoptr(GBytes) data = random_bytes(64, 21);
	g_autoptr(GError) error = NULL;

	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 1);
	ck_assert(glint_sim_poke(b->sim, 0x08080000, g_bytes_get_data(data, NULL), 64));
	ck_assert(!glint_job_erase_range(b->session, 0x08080000, 64, NULL, NULL, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED), "%s",
		      error != NULL ? error->message : "no error");
	ck_assert(sim_flash_equals(b, 0x08080000, data));
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
	/* refused up front, not by the chip: nothing was started */
	ck_assert_msg(strstr(error->message, "WRP1A covers pages 0-15 of bank 1") != NULL &&
			  strstr(error->message, "Nothing was changed on the chip") != NULL,
		      "%s", error->message);
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

/* The probe is lost once the flash loader has programmed everything, as
 * the flash is locked: the lock reports nothing, so the job reads DHCSR once
 * more and fails on the lost probe, though the flash holds the image. A job
 * that set that error and returned success passed every test (issue 16's
 * mutation pass). */
static gboolean
vanish_after_flash_lock(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	gboolean *locked = user_data;
	if (*locked)
		return FALSE;
	/* WRITEDEBUGREG (F2 35) of FLASH_CR (0x40022014) with LOCK (bit 31) */
	if (cmd[0] == 0xF2 && cmd[1] == 0x35 && cmd[2] == 0x14 && cmd[3] == 0x20 &&
	    cmd[4] == 0x02 && cmd[5] == 0x40 && (cmd[9] & 0x80) != 0)
		*locked = TRUE;
	return TRUE;
}

START_TEST(test_unplug_after_loader_fails_the_job)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(16 * 1024, 22);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};
	gboolean locked = FALSE;

	glint_sim_set_command_hook(b->sim, vanish_after_flash_lock, &locked);
	ck_assert(!program(b, image, FALSE, &result, &error));
	ck_assert(locked);
	ck_assert(result.loader_used);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      error != NULL ? error->message : "no error");
	ck_assert(sim_flash_equals(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* A second job on the same session while one holds it is refused, not
 * interleaved: every kind of job is tried from a command hook in the middle
 * of a program job (the test used to run two jobs one after the other, and
 * could not fail: issue 16). */
typedef struct {
	GlintSession *session;
	GlintImage *image;
	gboolean tried;
	guint refused;
} Intruder;

static void
expect_busy(Intruder *in, gboolean ok, GError *error)
{
	ck_assert_msg(!ok, "job %u was not refused", in->refused);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY), "job %u: %s",
		      in->refused, error != NULL ? error->message : "no error");
	in->refused++;
	g_error_free(error);
}

static gboolean
intrude(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Intruder *in = user_data;
	const GlintTargetInfo *info = glint_session_get_target_info(in->session);
	GlintOptionBytes ob = info->options;
	GError *error = NULL;
	gboolean ok;
	GBytes *bytes;
	GPtrArray *findings;

	/* WRITEMEM_32BIT (F2 08): the job is writing the flash */
	if (in->tried || cmd[0] != 0xF2 || cmd[1] != 0x08)
		return TRUE;
	in->tried = TRUE;
	ok = glint_job_verify(in->session, in->image, NULL, NULL, NULL, &error);
	expect_busy(in, ok, g_steal_pointer(&error));
	bytes = glint_job_read(in->session, FLASH_BASE, 16, NULL, NULL, NULL, &error);
	expect_busy(in, bytes != NULL, g_steal_pointer(&error));
	ck_assert(glint_target_info_apply_option_edit(info, &ob, "nRST_STOP=0", NULL));
	ok = glint_job_write_options(in->session, &ob, GLINT_CONFIRM_RISKY, NULL, NULL, NULL,
				     &error);
	expect_busy(in, ok, g_steal_pointer(&error));
	ok = glint_job_erase_range(in->session, FLASH_BASE, 2048, NULL, NULL, NULL, &error);
	expect_busy(in, ok, g_steal_pointer(&error));
	ok = glint_job_erase_mass(in->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error);
	expect_busy(in, ok, g_steal_pointer(&error));
	findings = glint_job_diagnose(in->session, NULL, &error);
	expect_busy(in, findings != NULL, g_steal_pointer(&error));
	return TRUE;
}

START_TEST(test_one_job_at_a_time)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(4096, 11);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	Intruder in = {b->session, image, FALSE, 0};

	glint_sim_set_command_hook(b->sim, intrude, &in);
	ck_assert_msg(glint_job_program(b->session, image, &options, NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(in.refused, 6);
	/* ... and the job that held the session did its work */
	ck_assert(sim_flash_equals(b, FLASH_BASE, data));
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
	g_clear_error(&error);
	{
		/* one past the last: the message gives the valid numbers */
		const GlintTargetInfo *info = glint_session_get_target_info(b->session);
		guint past = info->geometry.n_units;
		g_autofree gchar *range = g_strdup_printf("0-%u,", past - 1);
		ck_assert(!glint_job_erase_units(b->session, &past, 1, p, NULL, NULL, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
		ck_assert_msg(strstr(error->message, range) != NULL, "%s", error->message);
	}
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

/* The read-back after programming finds a byte the chip did not keep: the
 * program job fails with the mismatch (the byte is cleared by a command
 * hook at the first read of flash after the image was written). */
typedef struct {
	guint32 address;
	gboolean written;
	gboolean struck;
} SpoilAtReadBack;

static gboolean
spoil_at_read_back(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	SpoilAtReadBack *c = user_data;
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	gboolean in_flash = addr >= FLASH_BASE && addr < FLASH_BASE + 1024 * 1024;
	if (cmd[0] == 0xF2 && cmd[1] == 0x08 && in_flash)
		c->written = TRUE;
	if (cmd[0] == 0xF2 && cmd[1] == 0x07 && in_flash && c->written && !c->struck) {
		guint8 cleared = 0;
		ck_assert(glint_sim_poke(sim, c->address, &cleared, 1));
		c->struck = TRUE;
	}
	return TRUE;
}

START_TEST(test_verify_failure_fails_the_program)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(8 * 1024, 16);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	SpoilAtReadBack c = {FLASH_BASE + 0x1234, FALSE, FALSE};
	g_autoptr(GError) error = NULL;

	glint_sim_set_command_hook(b->sim, spoil_at_read_back, &c);
	ck_assert(!glint_job_program(b->session, image, &options, NULL, NULL, NULL, &error));
	ck_assert(c.struck);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH), "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, "0x08001234") != NULL, "%s", error->message);
	board_free(b);
}
END_TEST

/* No options: a plain program, as documented. */
START_TEST(test_program_without_options)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(2048, 17);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;

	ck_assert_msg(glint_job_program(b->session, image, NULL, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

/* --reset-run: the new firmware runs (DHCSR.S_HALT clear, ARMv7-M C1.6.2) */
START_TEST(test_reset_run_leaves_the_core_running)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(2048, 18);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x10000, data);
	GlintProgramOptions options = {.reset_run = TRUE};
	g_autoptr(GError) error = NULL;

	ck_assert(glint_sim_peek32(b->sim, 0xE000EDF0) & (1u << 17));
	ck_assert_msg(glint_job_program(b->session, image, &options, NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0xE000EDF0) & (1u << 17), 0);
	board_free(b);
}
END_TEST

/* The read job reports its progress in bytes of the read */
static void
on_read_progress(const GlintProgressUpdate *u, gpointer user_data)
{
	guint64 *total = user_data;
	if (g_strcmp0(u->phase, "Reading") == 0)
		*total = MAX(*total, u->bytes_total);
}

START_TEST(test_read_progress_in_bytes)
{
	Board *b = board_new("fresh");
	guint64 total = 0;
	g_autoptr(GlintProgress) p = glint_progress_new(on_read_progress, NULL, &total);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back =
	    glint_job_read(b->session, FLASH_BASE, 40000, p, NULL, NULL, &error);

	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(total, 40000);
	board_free(b);
}
END_TEST

/* The confirmation asked for names the risky changes only. */
START_TEST(test_confirmation_names_only_risky_changes)
{
	Board *b = board_new("fresh");
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	GlintOptionBytes ob = info->options;
	g_autoptr(GError) error = NULL;

	ck_assert(glint_target_info_apply_option_edit(info, &ob, "WRP1A=5-6", NULL));
	ck_assert(glint_target_info_apply_option_edit(info, &ob, "nBOOT0=0", NULL));
	ck_assert(!glint_job_write_options(b->session, &ob, GLINT_CONFIRM_NONE, NULL, NULL, NULL,
					   &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_msg(strstr(error->message, "nBOOT0") != NULL &&
			  strstr(error->message, "WRP1A") == NULL,
		      "%s", error->message);
	board_free(b);
}
END_TEST

/* The probe is lost as the option bytes reload: the error says the write
 * happened and the reconnect failed, without another try under reset
 * (that is for a target that does not answer). */
static gboolean
vanish_after_reload(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	gboolean *reloaded = user_data;
	if (*reloaded)
		return FALSE;
	/* WRITEDEBUGREG (F2 35) of FLASH_CR (0x40022014) with OBL_LAUNCH */
	if (cmd[0] == 0xF2 && cmd[1] == 0x35 && cmd[2] == 0x14 && cmd[3] == 0x20 &&
	    cmd[4] == 0x02 && cmd[5] == 0x40 && (cmd[9] & 0x08) != 0)
		*reloaded = TRUE;
	return TRUE;
}

START_TEST(test_reconnect_failure_after_reload_says_so)
{
	Board *b = board_new("fresh");
	gboolean reloaded = FALSE;
	g_autoptr(GError) error = NULL;

	glint_sim_set_command_hook(b->sim, vanish_after_reload, &reloaded);
	ck_assert(!write_options_edit(b, "nRST_STOP=0", GLINT_CONFIRM_NONE, &error));
	ck_assert(reloaded);
	ck_assert_msg(
	    g_str_has_prefix(error->message, "Reconnecting after the option-byte reload failed: "),
	    "%s", error->message);
	board_free(b);
}
END_TEST

/* A cancel before the data EEPROM is written leaves it as it was. */
START_TEST(test_cancel_before_eeprom)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = random_bytes(64, 19);
	g_autoptr(GlintImage) image = image_at(0x08080000, data);
	g_autoptr(GBytes) before = NULL;
	g_autoptr(GError) error = NULL;
	guint8 buf[64];

	ck_assert(glint_sim_peek(b->sim, 0x08080000, buf, sizeof(buf)));
	before = g_bytes_new(buf, sizeof(buf));
	g_cancellable_cancel(b->cancellable);
	ck_assert(!program(b, image, FALSE, NULL, &error));
	ck_assert_msg(glint_error_is_cancelled(error), "%s", error->message);
	ck_assert_msg(g_str_has_prefix(error->message, "Cancelled before programming the data "
						       "EEPROM"),
		      "%s", error->message);
	ck_assert(sim_flash_equals(b, 0x08080000, before));
	board_free(b);
}
END_TEST

/* PCROP is diagnosed as such, and restoring the factory option bytes keeps
 * it (the chip would refuse to remove it: RM0351 3.5.2), resetting the rest. */
START_TEST(test_pcrop_diagnosed_and_kept_by_restore)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	const GlintTargetInfo *info;
	const GlintProtectionArea *pcrop1;
	GlintFinding *f = NULL;
	guint32 v = 0;

	ck_assert_msg(
	    write_options_edit(b, "PCROP1=0x08000100-0x080007FF", GLINT_CONFIRM_RISKY, &error),
	    "%s", error ? error->message : "");
	ck_assert(write_options_edit(b, "nRST_STOP=0", GLINT_CONFIRM_NONE, &error));
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(findings);
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *g = g_ptr_array_index(findings, i);
		if (g_strcmp0(g->id, "pcrop-active") == 0)
			f = g;
	}
	ck_assert_msg(f != NULL, "no pcrop-active finding");
	ck_assert_str_eq(f->title, "PCROP1 covers 0x08000100-0x080007FF");
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_NONE);

	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_RESTORE_OPTIONS,
					  GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	info = glint_session_get_target_info(b->session);
	ck_assert(glint_option_bytes_get_named(&info->options, "nRST_STOP", &v));
	ck_assert_uint_eq(v, 1);
	pcrop1 = glint_option_layout_find_area(info->chip->options, "PCROP1");
	{
		g_autofree gchar *covers =
		    glint_option_bytes_describe_area(&info->options, pcrop1, &info->geometry);
		ck_assert_str_eq(covers, "0x08000100-0x080007FF");
	}
	board_free(b);
}
END_TEST

START_TEST(test_no_fix_is_no_success)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	ck_assert(!glint_job_apply_fix(b->session, GLINT_FIX_NONE, GLINT_CONFIRM_RISKY, NULL, NULL,
				       NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

/* An area that reaches beyond its bank, set by another tool, is left as it
 * is when other options change; a new one that would is refused. */
START_TEST(test_area_beyond_bank_left_as_it_is)
{
	Board *b = board_new("l476re");
	/* RM0351 3.4.1: FLASH_WRP1AR at 0x1FFF7818, its complement after it;
	 * pages 100-200 where the 512 KB part's banks have 128 */
	const guint32 wrp1ar = 0xFFC8FF64;
	guint32 pair[2] = {GUINT32_TO_LE(wrp1ar), GUINT32_TO_LE(~wrp1ar)};
	const GlintTargetInfo *info;
	g_autoptr(GError) error = NULL;
	guint32 v = 1;

	ck_assert(glint_sim_poke(b->sim, 0x1FFF7818, (const guint8 *)pair, sizeof(pair)));
	glint_sim_power_cycle(b->sim);
	connect_ok(b, FALSE);
	ck_assert_msg(write_options_edit(b, "nRST_STOP=0", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	info = glint_session_get_target_info(b->session);
	ck_assert(glint_option_bytes_get_named(&info->options, "nRST_STOP", &v));
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(
	    info->options.regs[glint_option_layout_find_register(info->chip->options, "WRP1AR")],
	    wrp1ar);
	/* a raw edit that would: refused before the chip is touched */
	ck_assert(!write_options_edit(b, "WRP1BR=0xFFC8FF64", GLINT_CONFIRM_NONE, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT) &&
			  strstr(error->message, "give a range inside the bank") != NULL,
		      "%s", error->message);
	board_free(b);
}
END_TEST

/* Erasing the data EEPROM on a supply too low to program: refused with
 * the voltage, nothing erased. */
START_TEST(test_eeprom_erase_on_low_supply_refused)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = random_bytes(64, 20);
	g_autoptr(GError) error = NULL;

	ck_assert(glint_sim_poke(b->sim, 0x08080000, g_bytes_get_data(data, NULL), 64));
	glint_sim_set_target_voltage_mv(b->sim, 1600);
	ck_assert(!glint_job_erase_range(b->session, 0x08080000, 64, NULL, NULL, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH) &&
			  strstr(error->message, "1.60 V") != NULL,
		      "%s", error->message);
	ck_assert(sim_flash_equals(b, 0x08080000, data));
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
	tcase_add_test(tc, test_verify_mismatch_in_first_byte_of_a_block);
	tcase_add_test(tc, test_cancel_mid_verify);
	tcase_add_test(tc, test_image_outside_flash_refused);
	tcase_add_test(tc, test_image_elsewhere_names_its_range);
	tcase_add_test(tc, test_two_segments_in_one_page_erase_it_once);
	tcase_add_test(tc, test_rdp1_refused_before_touching_flash);
	tcase_add_test(tc, test_rdp1_eeprom_erase_refused);
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
	tcase_add_test(tc, test_unplug_after_loader_fails_the_job);
	tcase_add_test(tc, test_one_job_at_a_time);
	tcase_add_test(tc, test_bank_erase_hits_the_right_bank);
	tcase_add_test(tc, test_erase_units_by_index);
	tcase_add_test(tc, test_partial_page_keeps_neighbours);
	tcase_add_test(tc, test_pcrop_needs_confirmation);
	tcase_add_test(tc, test_pcrop_diagnosed_and_kept_by_restore);
	tcase_add_test(tc, test_no_fix_is_no_success);
	tcase_add_test(tc, test_area_beyond_bank_left_as_it_is);
	tcase_add_test(tc, test_eeprom_erase_on_low_supply_refused);
	tcase_add_test(tc, test_verify_failure_fails_the_program);
	tcase_add_test(tc, test_program_without_options);
	tcase_add_test(tc, test_reset_run_leaves_the_core_running);
	tcase_add_test(tc, test_read_progress_in_bytes);
	tcase_add_test(tc, test_confirmation_names_only_risky_changes);
	tcase_add_test(tc, test_reconnect_failure_after_reload_says_so);
	tcase_add_test(tc, test_cancel_before_eeprom);
	tcase_add_test(tc, test_bank2_unreadable_connects);
	suite_add_tcase(s, tc);
	test_glib_warnings_fatal();
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
