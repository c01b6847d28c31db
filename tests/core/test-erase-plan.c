/* test-erase-plan.c: the program job's erase plan (core/glint-job-flash.c)
 * against the emulator: the drivers' datasheet figures agree with the
 * emulator's model on every board, and the plan erases the fastest way that
 * loses nothing (sectors on the F767, a bank erase on the F401, the L0/L1
 * RDP regression and the L4 mass erase only where everything beyond the
 * image is blank), as the emulated chips' erase counters show. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"
#include "glint-target.h"

#include "../common/test-glib-fatal.h"

#define FLASH 0x08000000u
#define LX_EEPROM 0x08080000u
#define LX_OPTIONS 0x1FF80000u

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
board_new(const char *spec)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autoptr(GlintProgress) p = NULL;
	GlintConnectOptions options = {0};
	Board *b = g_new0(Board, 1);

	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "%s: %s", spec, error ? error->message : "?");
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	p = progress(b);
	ck_assert_msg(glint_job_connect(b->session, &options, p, NULL, &error), "%s: connect: %s",
		      spec, error ? error->message : "?");
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

/* Random bytes with none of them @erased, so every byte is data. */
static GBytes *
data_bytes(gsize len, guint32 seed, guint8 erased)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++) {
		data[i] = g_rand_int(rand) & 0xFF;
		if (data[i] == erased)
			data[i] ^= 0x5A;
	}
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

static void
program_ok(Board *b, GlintImage *image, GlintJobResult *result)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintProgramOptions options = {.verify = TRUE};
	ck_assert_msg(glint_job_program(b->session, image, &options, p, NULL, result, &error),
		      "program: %s", error ? error->message : "?");
	ck_assert_msg(result->loader_used, "the loader was not used");
}

static GlintSimStats
stats(Board *b)
{
	GlintSimStats s;
	glint_sim_get_stats(b->sim, &s);
	return s;
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
all_bytes(Board *b, guint32 address, gsize len, guint8 value)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != value)
			return FALSE;
	}
	return TRUE;
}

static void
poke8(Board *b, guint32 address, guint8 value)
{
	ck_assert(glint_sim_poke(b->sim, address, &value, 1));
}

/* The estimates agree with the emulator ------------------------------------- */

static gint64
unit_ns(const GlintEraseTimes *times, guint32 size)
{
	for (guint i = 0; i < times->n_units; i++) {
		if (size <= times->units[i].size)
			return times->units[i].ns;
	}
	return -1;
}

/* The emulator's bound for @image: its fastest erase of what it touches. */
static gint64
sim_erase_ns(Board *b, GlintImage *image)
{
	g_autoptr(GError) error = NULL;
	GlintSimFlashLimit limit;
	gint64 ns;
	ck_assert_msg(glint_sim_get_flash_limit(b->sim, image, &limit, &error), "limit: %s",
		      error ? error->message : "?");
	ns = limit.erase_ns;
	glint_sim_flash_limit_clear(&limit);
	return ns;
}

/* What the driver's figures make of erasing all of the first @size bytes
 * of flash, everything beyond them blank: the fastest per bank, or one
 * chip erase. */
static gint64
driver_erase_ns(GlintTarget *t, const GlintEraseTimes *times, guint32 size)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gint64 per_bank = 0;
	for (guint b = 0; b < g->n_banks; b++) {
		const GlintFlashBank *bank = &g->banks[b];
		gint64 units = 0;
		guint n = 0;
		for (guint u = bank->first_index; u < bank->first_index + bank->n_units; u++) {
			GlintFlashUnit unit;
			ck_assert(glint_geometry_get_unit(g, u, &unit));
			if (unit.address - g->base >= size)
				continue;
			units += unit_ns(times, unit.size);
			n++;
		}
		if (n > 0 && t->flash->erase_bank != NULL && times->bank_ns > 0)
			units = MIN(units, times->bank_ns);
		per_bank += units;
	}
	if (t->flash->mass_erase != NULL && times->chip_ns > 0)
		return MIN(per_bank, times->chip_ns);
	return per_bank;
}

/* Every board whose driver has erase figures: one unit of each size, and
 * the whole writable flash, cost in the driver's figures what the
 * emulator's model says (core/sim/<family>/<family>-timing.h). */
START_TEST(test_estimates_agree_with_emulator)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	guint checked = 0;

	for (guint i = 0; i < boards->len; i++) {
		const GlintSimBoardInfo *info = g_ptr_array_index(boards, i);
		Board *b = board_new(info->name);
		GlintTarget *t = glint_session_get_target(b->session);
		const GlintFlashGeometry *g = &t->info.geometry;
		guint32 writable = glint_sim_get_writable_flash_size(b->sim);
		GlintEraseTimes times = {0};
		guint32 seen[8] = {0};
		guint n_seen = 0;

		if (t->flash->erase_times == NULL || !t->flash->erase_times(t, &times)) {
			board_free(b);
			continue;
		}
		for (guint u = 0; u < g->n_units; u++) {
			GlintFlashUnit unit;
			g_autoptr(GBytes) one = NULL;
			g_autoptr(GlintImage) image = NULL;
			gboolean known = FALSE;
			ck_assert(glint_geometry_get_unit(g, u, &unit));
			for (guint k = 0; k < n_seen; k++)
				known = known || seen[k] == unit.size;
			if (known || n_seen == G_N_ELEMENTS(seen) ||
			    unit.address - g->base >= writable)
				continue;
			seen[n_seen++] = unit.size;
			one = data_bytes(g->program_unit, u, g->erased_value);
			image = image_at(unit.address, one);
			ck_assert_msg(unit_ns(&times, unit.size) == sim_erase_ns(b, image),
				      "%s: a unit of %u bytes: the driver says %" G_GINT64_FORMAT
				      " ns, the emulator %" G_GINT64_FORMAT " ns",
				      info->name, unit.size, unit_ns(&times, unit.size),
				      sim_erase_ns(b, image));
		}
		{
			g_autoptr(GBytes) all = data_bytes(writable, 7, g->erased_value);
			g_autoptr(GlintImage) image = image_at(g->base, all);
			gint64 driver = driver_erase_ns(t, &times, writable);
			gint64 sim = sim_erase_ns(b, image);
			ck_assert_msg(driver == sim,
				      "%s: the whole flash: the driver says %" G_GINT64_FORMAT
				      " ns, the emulator %" G_GINT64_FORMAT " ns",
				      info->name, driver, sim);
		}
		checked++;
		board_free(b);
	}
	/* the F2/F4/F7, L0/L1, L4/G0/G4/WB/WL and ST's F0/F1/F3 boards */
	ck_assert_uint_ge(checked, 20);
}
END_TEST

/* F2/F4/F7 ------------------------------------------------------------------------ */

/* The F767's single 2 MB bank: 12 sectors take 8.55 s at x32, the bank
 * erase 16 s (DS11532): sectors */
START_TEST(test_f767_whole_flash_by_sectors)
{
	Board *b = board_new("nucleo-f767zi");
	g_autoptr(GBytes) data = data_bytes(2 * 1024 * 1024, 1, 0xFF);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};

	ck_assert_uint_eq(glint_session_get_target_info(b->session)->geometry.n_banks, 1);
	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).pages_erased, 12);
	ck_assert_uint_eq(stats(b).mass_erases, 0);
	ck_assert(flash_equals(b, FLASH, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* The F401's 512 KB: the bank erase (4 s at x32) beats its 8 sectors
 * (4.55 s) */
START_TEST(test_f401_whole_flash_by_bank_erase)
{
	Board *b = board_new("nucleo-f401re");
	g_autoptr(GBytes) data = data_bytes(512 * 1024, 2, 0xFF);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};

	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).pages_erased, 0);
	ck_assert_uint_eq(stats(b).mass_erases, 1);
	ck_assert(flash_equals(b, FLASH, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* STM32L0/L1: the RDP regression ------------------------------------------------ */

#define L073_FLASH (192 * 1024)
#define L073_EEPROM (6 * 1024)
#define L073_OPTIONS_BYTES 0x20

/* A fresh L073, the whole flash: one regression, no page erase, the data
 * EEPROM blank and every option byte as it was */
START_TEST(test_l073_whole_flash_by_regression)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = data_bytes(L073_FLASH, 3, 0x00);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	guint8 before[L073_OPTIONS_BYTES], after[L073_OPTIONS_BYTES];
	GlintJobResult result = {0};

	ck_assert(glint_sim_peek(b->sim, LX_OPTIONS, before, sizeof(before)));
	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).mass_erases, 1);
	ck_assert_uint_eq(stats(b).pages_erased, 0);
	ck_assert(flash_equals(b, FLASH, data));
	ck_assert(all_bytes(b, LX_EEPROM, L073_EEPROM, 0x00));
	ck_assert(glint_sim_peek(b->sim, LX_OPTIONS, after, sizeof(after)));
	ck_assert(memcmp(before, after, sizeof(before)) == 0);
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 0);
	ck_assert(log_contains(b, "the data EEPROM: blank): erasing the whole chip at once"));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* One byte of data EEPROM holds data: pages, and the byte stays */
START_TEST(test_l073_eeprom_in_use_keeps_it)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = data_bytes(L073_FLASH, 4, 0x00);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};
	guint8 kept = 0;

	poke8(b, LX_EEPROM + 0x123, 0x42);
	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).mass_erases, 0);
	ck_assert_uint_eq(stats(b).pages_erased, L073_FLASH / 128);
	ck_assert(flash_equals(b, FLASH, data));
	ck_assert(glint_sim_peek(b->sim, LX_EEPROM + 0x123, &kept, 1));
	ck_assert_uint_eq(kept, 0x42);
	ck_assert(
	    log_contains(b, "is in use (in the data EEPROM): erasing only the pages of the image"));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* A 64 KiB image with one flash page beyond it in use: that page stays */
START_TEST(test_l073_page_beyond_image_kept)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = data_bytes(64 * 1024, 5, 0x00);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};
	guint8 kept = 0;

	poke8(b, FLASH + 0x28000 + 5, 0x42);
	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).mass_erases, 0);
	ck_assert_uint_eq(stats(b).pages_erased, 64 * 1024 / 128);
	ck_assert(flash_equals(b, FLASH, data));
	ck_assert(glint_sim_peek(b->sim, FLASH + 0x28000 + 5, &kept, 1));
	ck_assert_uint_eq(kept, 0x42);
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* A fresh L073 and a 64 KiB image: the regression too */
START_TEST(test_l073_part_image_fresh_by_regression)
{
	Board *b = board_new("nucleo-l073rz");
	g_autoptr(GBytes) data = data_bytes(64 * 1024, 6, 0x00);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};

	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).mass_erases, 1);
	ck_assert_uint_eq(stats(b).pages_erased, 0);
	ck_assert(flash_equals(b, FLASH, data));
	ck_assert(all_bytes(b, FLASH + 64 * 1024, L073_FLASH - 64 * 1024, 0x00));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* STM32L4: mass erase and fast programming ---------------------------------------- */

/* A fresh L476 and a 64 KiB image: one mass erase, then fast rows */
START_TEST(test_l476_part_image_fresh_by_mass_erase)
{
	Board *b = board_new("nucleo-l476rg");
	g_autoptr(GBytes) data = data_bytes(64 * 1024, 8, 0xFF);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};

	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).mass_erases, 1);
	ck_assert_uint_eq(stats(b).pages_erased, 0);
	ck_assert(result.fast_programmed);
	ck_assert(flash_equals(b, FLASH, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* A page of bank 1 beyond the image in use: page erases, the page kept */
START_TEST(test_l476_page_beyond_image_kept)
{
	Board *b = board_new("nucleo-l476rg");
	g_autoptr(GBytes) data = data_bytes(64 * 1024, 9, 0xFF);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintJobResult result = {0};
	guint8 kept = 0;

	poke8(b, FLASH + 0x40000 + 9, 0x42);
	program_ok(b, image, &result);
	ck_assert_uint_eq(stats(b).mass_erases, 0);
	ck_assert_uint_eq(stats(b).pages_erased, 64 * 1024 / 2048);
	ck_assert(!result.fast_programmed);
	ck_assert(flash_equals(b, FLASH, data));
	ck_assert(glint_sim_peek(b->sim, FLASH + 0x40000 + 9, &kept, 1));
	ck_assert_uint_eq(kept, 0x42);
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

static Suite *
erase_plan_suite(void)
{
	Suite *s = suite_create("erase-plan");
	TCase *tc = tcase_create("plan");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_estimates_agree_with_emulator);
	tcase_add_test(tc, test_f767_whole_flash_by_sectors);
	tcase_add_test(tc, test_f401_whole_flash_by_bank_erase);
	tcase_add_test(tc, test_l073_whole_flash_by_regression);
	tcase_add_test(tc, test_l073_eeprom_in_use_keeps_it);
	tcase_add_test(tc, test_l073_page_beyond_image_kept);
	tcase_add_test(tc, test_l073_part_image_fresh_by_regression);
	tcase_add_test(tc, test_l476_part_image_fresh_by_mass_erase);
	tcase_add_test(tc, test_l476_page_beyond_image_kept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *runner;
	int failed;

	test_glib_warnings_fatal();
	runner = srunner_create(erase_plan_suite());
	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? 0 : 1;
}
