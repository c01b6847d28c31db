/* test-f4-jobs.c: every job on every F2/F4/F7 board (core/sim/f4), scenario
 * by scenario: what the user sees (errors, findings, logs) and what the
 * chip holds after. The board-independent tests are loop tests over the
 * six boards; the boards' own troubles (bank 2 of the F429, the F767's
 * nDBANK, PCROP) follow. Every fault sweep asserts that its fault fired. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define FLASH_CR 0x40023C10u
#define FLASH_SR_PGPERR (1u << 6)
#define FLASH_SR_PGSERR (1u << 7)

typedef struct {
	const char *name;
	const char *chip;
	guint16 dev_id;
	guint32 kb;
	guint n_sectors;
	guint n_banks;
} BoardRow;

static const BoardRow boards[] = {
    {"nucleo-f401re", "STM32F401xD/E", 0x433, 512, 8, 1},
    {"nucleo-f411re", "STM32F411xC/E", 0x431, 512, 8, 1},
    {"nucleo-f446re", "STM32F446xx", 0x421, 512, 8, 1},
    {"stm32f429i-disc1", "STM32F42x/F43x", 0x419, 2048, 24, 2},
    {"nucleo-f767zi", "STM32F76x/F77x", 0x451, 2048, 12, 1},
    {"nucleo-f207zg", "STM32F20x/F21x", 0x411, 1024, 12, 1},
};

typedef struct {
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
} Board;

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
}

static GlintProgress *
progress(Board *b)
{
	return glint_progress_new(NULL, on_log, b);
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
board_unconnected(const char *spec)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	Board *b = g_new0(Board, 1);
	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "%s: %s", spec, error ? error->message : "?");
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	return b;
}

static void
connect_ok(Board *b)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintConnectOptions options = {0};
	ck_assert_msg(glint_job_connect(b->session, &options, p, NULL, &error), "connect: %s",
		      error ? error->message : "?");
}

static Board *
board_new(const char *board, const char *scenario)
{
	g_autofree gchar *spec = g_strdup_printf("%s:%s", board, scenario);
	Board *b = board_unconnected(spec);
	connect_ok(b);
	return b;
}

static void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_ptr_array_unref(b->log);
	g_free(b);
}

static const GlintTargetInfo *
info(Board *b)
{
	return glint_session_get_target_info(b->session);
}

static GlintFlashUnit
sector(Board *b, guint index)
{
	GlintFlashUnit u;
	ck_assert(glint_geometry_get_unit(&info(b)->geometry, index, &u));
	return u;
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
run_program(Board *b, GlintImage *image, const GlintProgramOptions *options, GlintJobResult *result,
	    GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	return glint_job_program(b->session, image, options, p, NULL, result, error);
}

static void
program_ok(Board *b, GlintImage *image, const GlintProgramOptions *options, GlintJobResult *result)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(run_program(b, image, options, result, &error), "program: %s",
		      error ? error->message : "?");
}

static gboolean
flash_equals(Board *b, guint32 address, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	return memcmp(buf, g_bytes_get_data(bytes, NULL), len) == 0;
}

static gboolean
flash_erased(Board *b, guint32 address, gsize len)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static const GlintFinding *
finding(GPtrArray *findings, const char *id)
{
	for (guint i = 0; i < findings->len; i++) {
		const GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, id) == 0)
			return f;
	}
	return NULL;
}

static GPtrArray *
diagnose(Board *b)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_msg(findings != NULL, "diagnose: %s", error ? error->message : "?");
	return findings;
}

static void
set_options(Board *b, const char *const *edits, GlintConfirm confirm)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintOptionBytes ob = info(b)->options;
	for (guint i = 0; edits[i] != NULL; i++)
		ck_assert_msg(glint_target_info_apply_option_edit(info(b), &ob, edits[i], &error),
			      "%s: %s", edits[i], error->message);
	ck_assert_msg(glint_job_write_options(b->session, &ob, confirm, p, NULL, NULL, &error),
		      "write options: %s", error ? error->message : "?");
}

static void
apply_fix(Board *b, GlintFixKind kind)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	ck_assert_msg(
	    glint_job_apply_fix(b->session, kind, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error),
	    "fix: %s", error ? error->message : "?");
}

/* Every board -------------------------------------------------------------------------- */

START_TEST(test_connect_info)
{
	const BoardRow *row = &boards[_i];
	Board *b = board_new(row->name, "fresh");
	const GlintTargetInfo *i = info(b);
	ck_assert_str_eq(i->chip->name, row->chip);
	ck_assert_uint_eq(i->dev_id, row->dev_id);
	ck_assert_uint_eq(i->flash_kb, row->kb);
	ck_assert_uint_eq(i->geometry.n_units, row->n_sectors);
	ck_assert_uint_eq(i->geometry.n_banks, row->n_banks);
	ck_assert_str_eq(i->geometry.unit_name, "sector");
	ck_assert_uint_eq(i->geometry.program_unit, 4);
	ck_assert_uint_eq(i->rdp_level, 0);
	board_free(b);
}
END_TEST

/* Through the loader (CRC verify on the target), then directly (read-back
 * verify); the read job gives the bytes back */
START_TEST(test_program_verify_read)
{
	Board *b = board_new(boards[_i].name, "fresh");
	g_autoptr(GBytes) data = random_bytes(48 * 1024 + 10, 40 + _i);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x4000, data);
	GlintProgramOptions with_loader = {.verify = TRUE};
	GlintProgramOptions direct = {.verify = TRUE, .no_loader = TRUE, .readback_verify = TRUE};
	GlintJobResult result = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;

	program_ok(b, image, &with_loader, &result);
	ck_assert(result.loader_used);
	ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
	glint_job_result_clear(&result);
	ck_assert_msg(glint_job_verify(b->session, image, NULL, NULL, &result, &error), "%s",
		      error ? error->message : "");
	glint_job_result_clear(&result);
	back = glint_job_read(b->session, FLASH_BASE + 0x4000, (guint32)g_bytes_get_size(data),
			      NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	ck_assert(g_bytes_equal(back, data));

	g_clear_pointer(&data, g_bytes_unref);
	g_clear_pointer(&image, glint_image_unref);
	data = random_bytes(20000, 50 + _i);
	image = image_at(FLASH_BASE + 0x4000, data);
	program_ok(b, image, &direct, &result);
	ck_assert(!result.loader_used);
	ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* An image that touches only sectors 0 and 5 leaves every other sector as
 * it was, and keeps the bytes of sectors 0 and 5 it does not cover */
START_TEST(test_sectors_0_and_5_only)
{
	Board *b = board_new(boards[_i].name, "fresh");
	guint32 size = info(b)->geometry.size;
	g_autoptr(GBytes) old = random_bytes(size, 60 + _i);
	g_autoptr(GBytes) a = random_bytes(3000, 61);
	g_autoptr(GBytes) c = random_bytes(5000, 62);
	GlintFlashUnit s0 = sector(b, 0), s5 = sector(b, 5);
	g_autoptr(GlintImage) image = glint_image_new();
	GlintProgramOptions options = {.verify = TRUE};
	const guint8 *o = g_bytes_get_data(old, NULL);

	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, o, size));
	ck_assert(
	    glint_image_add(image, s0.address + 0x100, g_bytes_get_data(a, NULL), 3000, "a", NULL));
	ck_assert(
	    glint_image_add(image, s5.address + 0x800, g_bytes_get_data(c, NULL), 5000, "c", NULL));
	program_ok(b, image, &options, NULL);
	ck_assert(flash_equals(b, s0.address + 0x100, a));
	ck_assert(flash_equals(b, s5.address + 0x800, c));
	for (guint i = 0; i < info(b)->geometry.n_units; i++) {
		GlintFlashUnit u = sector(b, i);
		g_autoptr(GBytes) was = g_bytes_new_from_bytes(old, u.address - FLASH_BASE, u.size);
		if (i == 0 || i == 5) {
			g_autoptr(GBytes) head = g_bytes_new_from_bytes(old, u.address - FLASH_BASE,
									i == 0 ? 0x100 : 0x800);
			ck_assert_msg(flash_equals(b, u.address, head), "sector %u lost its head",
				      u.number);
			continue;
		}
		ck_assert_msg(flash_equals(b, u.address, was), "sector %u changed", u.number);
	}
	board_free(b);
}
END_TEST

/* Erase by sector, by bank (each bank alone: swapped bank bits would erase
 * the wrong one) and mass */
START_TEST(test_erase_sector_bank_mass)
{
	Board *b = board_new(boards[_i].name, "fresh");
	const GlintFlashGeometry *g = &info(b)->geometry;
	g_autoptr(GBytes) old = random_bytes(g->size, 70 + _i);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	const guint one[] = {1};
	GlintFlashUnit s0 = sector(b, 0), s1 = sector(b, 1), s2 = sector(b, 2);

	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), g->size));
	ck_assert_msg(glint_job_erase_units(b->session, one, 1, p, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(flash_erased(b, s1.address, s1.size));
	{
		g_autoptr(GBytes) head = g_bytes_new_from_bytes(old, 0, s0.size);
		g_autoptr(GBytes) next = g_bytes_new_from_bytes(old, s2.address - FLASH_BASE, 64);
		ck_assert(flash_equals(b, s0.address, head));
		ck_assert(flash_equals(b, s2.address, next));
	}
	for (guint bank = 0; bank < g->n_banks; bank++) {
		const GlintFlashBank *erased = &g->banks[bank];
		ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), g->size));
		ck_assert_msg(glint_job_erase_bank(b->session, erased->physical,
						   GLINT_CONFIRM_RISKY, p, NULL, NULL, &error),
			      "%s", error ? error->message : "");
		ck_assert_msg(flash_erased(b, erased->base, erased->size), "bank %u not erased",
			      bank + 1);
		for (guint other = 0; other < g->n_banks; other++) {
			g_autoptr(GBytes) kept = NULL;
			if (other == bank)
				continue;
			kept = g_bytes_new_from_bytes(old, g->banks[other].base - FLASH_BASE,
						      g->banks[other].size);
			ck_assert_msg(flash_equals(b, g->banks[other].base, kept),
				      "erasing bank %u erased bank %u", bank + 1, other + 1);
		}
	}
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_NONE, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), g->size));
	ck_assert_msg(glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert(flash_erased(b, FLASH_BASE, g->size));
	board_free(b);
}
END_TEST

/* Smart re-flash rewrites only the sector whose on-target CRC differs */
START_TEST(test_smart_reflash)
{
	Board *b = board_new(boards[_i].name, "fresh");
	g_autoptr(GBytes) data = random_bytes(0x30000, 80 + _i);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions smart = {.verify = TRUE, .smart = TRUE};
	GlintJobResult result = {0};
	guint covered;
	guint8 *bytes;
	g_autoptr(GlintImage) changed = NULL;
	g_autoptr(GBytes) changed_data = NULL;

	program_ok(b, image, &smart, &result);
	covered = result.pages_programmed + result.pages_skipped;
	glint_job_result_clear(&result);
	bytes = g_memdup2(g_bytes_get_data(data, NULL), g_bytes_get_size(data));
	bytes[0x4100] ^= 0x5A; /* in sector 1 on every board */
	changed_data = g_bytes_new_take(bytes, g_bytes_get_size(data));
	changed = image_at(FLASH_BASE, changed_data);
	program_ok(b, changed, &smart, &result);
	ck_assert_uint_eq(result.pages_skipped, covered - 1);
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(flash_equals(b, FLASH_BASE, changed_data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* WRP=5-5: one sector, reported, refused, removed */
START_TEST(test_wrp_one_sector)
{
	Board *b = board_new(boards[_i].name, "fresh");
	GlintFlashUnit s5 = sector(b, 5);
	g_autoptr(GBytes) data = random_bytes(256, 90);
	g_autoptr(GlintImage) image = image_at(s5.address, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	const GlintFinding *f;
	const char *edits[] = {"WRP=5-5", NULL};
	GlintProgramOptions options = {0};

	set_options(b, edits, GLINT_CONFIRM_NONE);
	findings = diagnose(b);
	f = finding(findings, "wrp-active");
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(strstr(f->title, "sector 5 ") != NULL, "%s", f->title);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_REMOVE_WRP);
	ck_assert(!run_program(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "sector 5"));
	g_clear_error(&error);
	apply_fix(b, GLINT_FIX_REMOVE_WRP);
	program_ok(b, image, &options, NULL);
	ck_assert(flash_equals(b, s5.address, data));
	board_free(b);
}
END_TEST

/* Options by name, written and read back after the reload */
START_TEST(test_options_by_name)
{
	Board *b = board_new(boards[_i].name, "fresh");
	const char *edits[] = {"nRST_STOP=0", "BOR_LEV=1", NULL};
	guint32 v = 9;

	set_options(b, edits, GLINT_CONFIRM_NONE);
	ck_assert(glint_option_bytes_get_named(&info(b)->options, "nRST_STOP", &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(glint_option_bytes_get_named(&info(b)->options, "BOR_LEV", &v));
	ck_assert_uint_eq(v, 1);
	ck_assert(glint_option_bytes_get_named(&info(b)->options, "nRST_STDBY", &v));
	ck_assert_uint_eq(v, 1);
	board_free(b);
}
END_TEST

START_TEST(test_scenario_wrp)
{
	Board *b = board_new(boards[_i].name, "wrp");
	g_autoptr(GPtrArray) findings = diagnose(b);
	const GlintFinding *f = finding(findings, "wrp-active");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(64, 91);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {0};

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(strstr(f->title, "sector 0 ") != NULL && strstr(f->title, "(0x08000000-"),
		      "%s", f->title);
	ck_assert(!run_program(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	g_clear_error(&error);
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	apply_fix(b, GLINT_FIX_REMOVE_WRP);
	program_ok(b, image, &options, NULL);
	board_free(b);
}
END_TEST

START_TEST(test_scenario_rdp1)
{
	Board *b = board_new(boards[_i].name, "rdp1");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GBytes) back = NULL;

	ck_assert_uint_eq(info(b)->rdp_level, 1);
	ck_assert_ptr_nonnull(finding(findings, "rdp-level1"));
	back = glint_job_read(b->session, FLASH_BASE, 64, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	apply_fix(b, GLINT_FIX_REGRESS_RDP);
	ck_assert_uint_eq(info(b)->rdp_level, 0);
	ck_assert(flash_erased(b, FLASH_BASE, info(b)->geometry.size));
	board_free(b);
}
END_TEST

START_TEST(test_scenario_stale_errors)
{
	Board *b = board_new(boards[_i].name, "stale-errors");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GBytes) data = random_bytes(4096, 92);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x4000, data);
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};

	ck_assert_ptr_nonnull(finding(findings, "stale-flags"));
	program_ok(b, image, &options, &result);
	ck_assert_uint_eq(result.stale_flags & (FLASH_SR_PGSERR | FLASH_SR_PGPERR),
			  FLASH_SR_PGSERR | FLASH_SR_PGPERR);
	ck_assert(log_contains(b, "Cleared stale FLASH_SR error flags"));
	ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

START_TEST(test_scenario_no_target)
{
	g_autofree gchar *spec = g_strdup_printf("%s:no-target", boards[_i].name);
	Board *b = board_unconnected(spec);
	g_autoptr(GError) error = NULL;
	GlintConnectOptions options = {0};
	ck_assert(!glint_job_connect(b->session, &options, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET));
	board_free(b);
}
END_TEST

/* 2.4 V with PSIZE left at x32: diagnosed; Glint programs at x16 and the
 * data stays (at x32 the emulated cells would not all take it) */
START_TEST(test_scenario_low_voltage)
{
	Board *b = board_new(boards[_i].name, "low-voltage");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GBytes) data = random_bytes(20000, 93);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x4000, data);
	GlintProgramOptions options = {.verify = TRUE, .readback_verify = TRUE};
	GlintProgramOptions direct = {.verify = TRUE, .no_loader = TRUE};
	g_autoptr(GError) error = NULL;

	/* what x32 at 2.4 V would have left (the emulated cells do not all
	 * take the value) is caught by the read-back verify */
	ck_assert_msg(run_program(b, image, &options, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(info(b)->geometry.program_unit, 2);
	ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
	ck_assert(log_contains(b, "programming at x16"));
	program_ok(b, image, &direct, NULL);
	ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
	ck_assert_ptr_nonnull(finding(findings, "psize-mismatch"));
	ck_assert_ptr_nonnull(finding(findings, "psize-reduced"));
	/* 1.9 V: x8 */
	glint_sim_set_target_voltage_mv(b->sim, 1900);
	connect_ok(b);
	program_ok(b, image, &options, NULL);
	ck_assert_uint_eq(info(b)->geometry.program_unit, 1);
	ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
	board_free(b);
}
END_TEST

/* A torn option write: the stored word disagrees with its complement; the
 * chip runs at level 1; restoring the options repairs it */
START_TEST(test_scenario_torn_options)
{
	Board *b = board_new(boards[_i].name, "torn-options");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GPtrArray) after = NULL;
	const GlintFinding *f = finding(findings, "options-incoherent");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_RESTORE_OPTIONS);
	ck_assert_uint_eq(info(b)->rdp_level, 1);
	apply_fix(b, GLINT_FIX_RESTORE_OPTIONS);
	after = diagnose(b);
	ck_assert_ptr_null(finding(after, "options-incoherent"));
	ck_assert_uint_eq(info(b)->rdp_level, 0);
	board_free(b);
}
END_TEST

/* Power fails while a unit is programmed (loader, then directly): the job
 * fails clearly; with power back a re-run repairs the flash. The cut must
 * have happened. */
START_TEST(test_power_cut_mid_program)
{
	for (guint direct = 0; direct < 2; direct++) {
		Board *b = board_new(boards[_i].name, "fresh");
		g_autoptr(GBytes) data = random_bytes(40000, 94 + direct);
		g_autoptr(GlintImage) image = image_at(FLASH_BASE + 0x4000, data);
		GlintProgramOptions options = {.verify = TRUE, .no_loader = direct};
		g_autoptr(GError) error = NULL;
		guint32 cut = 0;

		glint_sim_set_power_fail_after_double_words(b->sim, 1000);
		ck_assert(!run_program(b, image, &options, NULL, &error));
		ck_assert_msg(glint_sim_get_power_cut_address(b->sim, &cut),
			      "the power cut never happened");
		ck_assert_uint_ge(cut, FLASH_BASE + 0x4000);
		ck_assert(!flash_equals(b, FLASH_BASE + 0x4000, data));
		glint_sim_set_target_voltage_mv(b->sim, 3300);
		connect_ok(b);
		program_ok(b, image, &options, NULL);
		ck_assert(flash_equals(b, FLASH_BASE + 0x4000, data));
		board_free(b);
	}
}
END_TEST

typedef struct {
	guint64 at;
	GlintSimCut cut;
} EraseCut;

/* Cuts power at the first command after @at during which an erase runs */
static gboolean
erase_cut_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	EraseCut *c = user_data;
	if (c->cut == GLINT_SIM_CUT_NONE && glint_sim_get_command_count(sim) >= c->at)
		c->cut = glint_sim_power_fail(sim);
	return TRUE;
}

/* Power fails during an erase: a re-run erases and programs again */
START_TEST(test_power_cut_mid_erase)
{
	Board *b = board_new(boards[_i].name, "fresh");
	g_autoptr(GBytes) old = random_bytes(0x20000, 96);
	g_autoptr(GBytes) data = random_bytes(0x20000, 97);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	g_autoptr(GError) error = NULL;
	EraseCut cut = {glint_sim_get_command_count(b->sim) + 40, GLINT_SIM_CUT_NONE};

	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), 0x20000));
	glint_sim_set_command_hook(b->sim, erase_cut_hook, &cut);
	ck_assert(!run_program(b, image, &options, NULL, &error));
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert_msg(cut.cut == GLINT_SIM_CUT_ERASE, "the cut struck %s, not an erase",
		      glint_sim_cut_to_string(cut.cut));
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	connect_ok(b);
	program_ok(b, image, &options, NULL);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

/* The boards' own -------------------------------------------------------------------------- */

/* STM32F429I-DISC1: sector 12 is the first of bank 2 at 0x08100000, erased
 * with SNB 0x10 (stlink's +4 rule or OpenOCD's | 0x10 aside): bank 1's
 * sector 0 and bank 2's 13 stay */
START_TEST(test_f429_bank2_sector_numbers)
{
	Board *b = board_new("stm32f429i-disc1", "fresh");
	g_autoptr(GBytes) old = random_bytes(0x200000, 98);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintFlashUnit s12;
	guint index;

	ck_assert(glint_geometry_unit_by_number(&info(b)->geometry, 1, 12, &s12));
	ck_assert_uint_eq(s12.address, 0x08100000u);
	index = s12.index;
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, g_bytes_get_data(old, NULL), 0x200000));
	ck_assert_msg(glint_job_erase_units(b->session, &index, 1, p, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(flash_erased(b, 0x08100000u, 0x4000));
	{
		g_autoptr(GBytes) s0 = g_bytes_new_from_bytes(old, 0, 0x4000);
		g_autoptr(GBytes) s13 = g_bytes_new_from_bytes(old, 0x104000, 0x4000);
		g_autoptr(GBytes) s4 = g_bytes_new_from_bytes(old, 0x10000, 0x10000);
		ck_assert(flash_equals(b, FLASH_BASE, s0));
		ck_assert(flash_equals(b, 0x08104000u, s13));
		ck_assert(flash_equals(b, 0x08010000u, s4));
	}
	board_free(b);
}
END_TEST

/* The whole 2 MB through the loader: both banks erased by one descriptor
 * for 16 s of device time, which the host must not take for a stuck
 * loader */
START_TEST(test_f429_whole_flash_by_loader)
{
	Board *b = board_new("stm32f429i-disc1", "fresh");
	g_autoptr(GBytes) data = random_bytes(0x200000, 99);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};

	program_ok(b, image, &options, &result);
	ck_assert_msg(result.loader_used, "the loader was given up");
	ck_assert(!log_contains(b, "flash loader failed"));
	ck_assert(flash_equals(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

START_TEST(test_f429_bfb2_empty)
{
	Board *b = board_new("stm32f429i-disc1", "bfb2-empty");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GPtrArray) after = NULL;
	const GlintFinding *f = finding(findings, "bfb2-empty-bank2");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_CLEAR_BFB2);
	apply_fix(b, GLINT_FIX_CLEAR_BFB2);
	after = diagnose(b);
	ck_assert_ptr_null(finding(after, "bfb2-empty-bank2"));
	board_free(b);
}
END_TEST

/* NUCLEO-F767ZI: nDBANK = 0 needs the confirmation, erases first, and the
 * layout is read again: two banks of 16/64/128 KB with bank 2 from 12 */
START_TEST(test_f767_ndbank)
{
	Board *b = board_new("nucleo-f767zi", "fresh");
	const char *dual[] = {"nDBANK=0", NULL};
	const char *single[] = {"nDBANK=1", NULL};
	g_autoptr(GBytes) data = random_bytes(0x4000, 100);
	g_autoptr(GlintImage) image = image_at(0x08100000u, data);
	GlintProgramOptions options = {.verify = TRUE};
	g_autoptr(GError) error = NULL;
	GlintOptionBytes ob = info(b)->options;
	GlintFlashUnit u;

	ck_assert(glint_target_info_apply_option_edit(info(b), &ob, "nDBANK=0", &error));
	ck_assert(!glint_job_write_options(b->session, &ob, GLINT_CONFIRM_NONE, NULL, NULL, NULL,
					   &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_uint_eq(info(b)->geometry.n_banks, 1);
	set_options(b, dual, GLINT_CONFIRM_RISKY);
	ck_assert(log_contains(b, "mass-erasing"));
	ck_assert_uint_eq(info(b)->geometry.n_banks, 2);
	ck_assert_uint_eq(info(b)->geometry.n_units, 24);
	ck_assert(glint_geometry_unit_at(&info(b)->geometry, 0x08100000u, &u));
	ck_assert_uint_eq(u.number, 12);
	ck_assert_uint_eq(u.size, 16384);
	program_ok(b, image, &options, NULL);
	ck_assert(flash_equals(b, 0x08100000u, data));
	set_options(b, single, GLINT_CONFIRM_RISKY);
	ck_assert_uint_eq(info(b)->geometry.n_banks, 1);
	ck_assert(glint_geometry_unit_at(&info(b)->geometry, 0x08100000u, &u));
	ck_assert_uint_eq(u.size, 262144);
	ck_assert(flash_erased(b, 0x08100000u, 0x4000));
	board_free(b);
}
END_TEST

START_TEST(test_f767_boot_bank2)
{
	Board *b = board_new("nucleo-f767zi", "boot-bank2");
	g_autoptr(GPtrArray) findings = diagnose(b);
	const GlintFinding *f = finding(findings, "boot-empty");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "0x08100000"));
	ck_assert_ptr_nonnull(finding(findings, "dualbank"));
	board_free(b);
}
END_TEST

/* PCROP (NUCLEO-F401RE): sector 1 cannot be read or programmed; SPRMOD
 * stays unless RDP regresses */
START_TEST(test_f401_pcrop)
{
	Board *b = board_new("nucleo-f401re", "pcrop");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(64, 101);
	g_autoptr(GlintImage) image = image_at(0x08004000u, data);
	GlintProgramOptions options = {0};
	GlintOptionBytes ob = info(b)->options;

	ck_assert_ptr_nonnull(finding(findings, "pcrop-active"));
	ck_assert(!run_program(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "PCROP"));
	g_clear_error(&error);
	ck_assert(glint_target_info_apply_option_edit(info(b), &ob, "SPRMOD=0", &error));
	ck_assert(!glint_job_write_options(b->session, &ob, GLINT_CONFIRM_PERMANENT_LOCK, NULL,
					   NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

static Suite *
f4_jobs_suite(void)
{
	Suite *s = suite_create("f4-jobs");
	TCase *every = tcase_create("every-board");
	TCase *own = tcase_create("own");
	const int n = G_N_ELEMENTS(boards);

	tcase_set_timeout(every, 120);
	tcase_set_timeout(own, 120);
	tcase_add_loop_test(every, test_connect_info, 0, n);
	tcase_add_loop_test(every, test_program_verify_read, 0, n);
	tcase_add_loop_test(every, test_sectors_0_and_5_only, 0, n);
	tcase_add_loop_test(every, test_erase_sector_bank_mass, 0, n);
	tcase_add_loop_test(every, test_smart_reflash, 0, n);
	tcase_add_loop_test(every, test_wrp_one_sector, 0, n);
	tcase_add_loop_test(every, test_options_by_name, 0, n);
	tcase_add_loop_test(every, test_scenario_wrp, 0, n);
	tcase_add_loop_test(every, test_scenario_rdp1, 0, n);
	tcase_add_loop_test(every, test_scenario_stale_errors, 0, n);
	tcase_add_loop_test(every, test_scenario_no_target, 0, n);
	tcase_add_loop_test(every, test_scenario_low_voltage, 0, n);
	tcase_add_loop_test(every, test_scenario_torn_options, 0, n);
	tcase_add_loop_test(every, test_power_cut_mid_program, 0, n);
	tcase_add_loop_test(every, test_power_cut_mid_erase, 0, n);
	tcase_add_test(own, test_f429_bank2_sector_numbers);
	tcase_add_test(own, test_f429_whole_flash_by_loader);
	tcase_add_test(own, test_f429_bfb2_empty);
	tcase_add_test(own, test_f767_ndbank);
	tcase_add_test(own, test_f767_boot_bank2);
	tcase_add_test(own, test_f401_pcrop);
	suite_add_tcase(s, every);
	suite_add_tcase(s, own);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(f4_jobs_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
