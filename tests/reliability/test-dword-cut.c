/* Power failing while a double word is being programmed
 * (glint_sim_set_power_fail_after_double_words): after N double words of a
 * program job, programming directly (the cut lands inside the memory write
 * streaming the data) and with the on-target loader (inside the core's
 * store, and in a fast-programming row after a bank erase), the word in
 * flight is left half programmed. The job must fail
 * saying the target lost power; after power returns, a connect + verify must
 * name the damaged double word; re-programming must repair it. */
#define G_LOG_DOMAIN "test-dword-cut"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "rel-board.h"

#define IMAGE_ADDR (REL_FLASH_BASE + REL_PAGE_SIZE)
#define IMAGE_LEN (2 * REL_PAGE_SIZE + 300)
#define DWORD 8u
/* Fault points per path: N = 0, then every STRIDE-th double word. */
#define STRIDE 61u

static gboolean no_loader;

static RelBoard *
board_with_old_firmware(void)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GBytes) old = rel_random_bytes(5 * REL_PAGE_SIZE, 45);
	ck_assert(glint_sim_poke(sim, REL_FLASH_BASE, g_bytes_get_data(old, NULL),
				 g_bytes_get_size(old)));
	return rel_board_new_for_sim(sim, TRUE);
}

static gboolean
program_verify(RelBoard *b, GlintImage *image, GError **error)
{
	/* plain erase: the fault sweeps check every page against the image */
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader, .no_preserve = TRUE};
	return glint_job_program(b->session, image, &options, b->progress, NULL, NULL, error);
}

static guint64
dwords_programmed(GlintSim *sim)
{
	GlintSimStats stats;
	glint_sim_get_stats(sim, &stats);
	return stats.double_words_programmed;
}

/* How many double words a fault-free job programs. */
static guint64
job_double_words(GlintImage *image)
{
	g_autoptr(RelBoard) b = board_with_old_firmware();
	guint64 d0 = dwords_programmed(b->sim);
	ck_assert(program_verify(b, image, NULL));
	return dwords_programmed(b->sim) - d0;
}

/* The failed job's error: the target went quiet because it lost power. */
static void
assert_power_error(const GError *error, guint64 n)
{
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET) ||
			  g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING),
		      "N=%" G_GUINT64_FORMAT ": %s", n, error->message);
	ck_assert_msg(strstr(error->message, "power") != NULL,
		      "N=%" G_GUINT64_FORMAT ": '%s' says nothing of power", n, error->message);
}

/* The cut word holds neither the image's bytes nor erased ones; the image
 * before it is programmed; flash outside the image is as it was. */
static void
assert_flash_after_cut(RelBoard *b, GBytes *old, GBytes *data, guint32 cut, guint64 n)
{
	const guint8 *want = g_bytes_get_data(data, NULL);
	const guint8 *before = g_bytes_get_data(old, NULL);
	g_autoptr(GBytes) now_bytes = rel_snapshot(b->sim);
	const guint8 *now = g_bytes_get_data(now_bytes, NULL);
	guint32 off = cut - IMAGE_ADDR;
	static const guint8 erased[DWORD] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	const guint8 *word = now + (cut - REL_FLASH_BASE);

	ck_assert_msg(cut >= IMAGE_ADDR && off + DWORD <= IMAGE_LEN && cut % DWORD == 0,
		      "N=%" G_GUINT64_FORMAT ": cut at 0x%08X, outside the image", n, cut);
	ck_assert_msg(memcmp(word, want + off, DWORD) != 0,
		      "N=%" G_GUINT64_FORMAT ": the cut word at 0x%08X is fully programmed", n,
		      cut);
	ck_assert_msg(memcmp(word, erased, DWORD) != 0,
		      "N=%" G_GUINT64_FORMAT ": the cut word at 0x%08X is erased", n, cut);
	/* half programmed: only 0 bits of the image may still be 1 */
	for (guint i = 0; i < DWORD; i++)
		ck_assert_uint_eq(word[i] & want[off + i], want[off + i]);
	ck_assert_msg(memcmp(now + (IMAGE_ADDR - REL_FLASH_BASE), want, off) == 0,
		      "N=%" G_GUINT64_FORMAT ": the image before 0x%08X is not programmed", n, cut);
	ck_assert(memcmp(now, before, IMAGE_ADDR - REL_FLASH_BASE) == 0);
	for (guint32 a = IMAGE_ADDR + IMAGE_LEN - REL_FLASH_BASE; a < REL_CHECK_SIZE; a++) {
		/* the last image page beyond the image's end is erased with it */
		if (a < IMAGE_ADDR - REL_FLASH_BASE + 3 * REL_PAGE_SIZE)
			continue;
		ck_assert_msg(now[a] == before[a], "N=%" G_GUINT64_FORMAT ": 0x%08X changed", n,
			      REL_FLASH_BASE + a);
	}
}

/* Power back on, connect, verify: the mismatch named at the cut word. */
static void
assert_verify_names(RelBoard *b, GlintImage *image, guint32 cut, guint64 n)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *where = NULL;
	gboolean named = FALSE;

	ck_assert_msg(rel_board_connect(b, &error), "N=%" G_GUINT64_FORMAT " reconnect: %s", n,
		      error->message);
	ck_assert(!glint_job_verify(b->session, image, b->progress, NULL, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH),
		      "N=%" G_GUINT64_FORMAT ": %s", n, error->message);
	for (guint i = 0; i < DWORD && !named; i++) {
		g_autofree gchar *addr = g_strdup_printf("0x%08X", cut + i);
		named = strstr(error->message, addr) != NULL;
	}
	ck_assert_msg(named, "N=%" G_GUINT64_FORMAT ": '%s' does not name the word at 0x%08X", n,
		      error->message, cut);
}

START_TEST(test_power_fail_mid_double_word)
{
	g_autoptr(GBytes) data = rel_random_bytes(IMAGE_LEN, 46);
	g_autoptr(GlintImage) image = rel_image_at(IMAGE_ADDR, data);
	guint64 total;
	guint points = 0;

	no_loader = _i == 1;
	total = job_double_words(image);
	ck_assert_uint_ge(total, IMAGE_LEN / DWORD);
	for (guint64 n = 0; n < total; n = n == 0 ? 1 : n + STRIDE) {
		g_autoptr(RelBoard) b = board_with_old_firmware();
		g_autoptr(GBytes) old = rel_snapshot(b->sim);
		g_autoptr(GError) error = NULL;
		guint32 cut = 0;

		glint_sim_set_power_fail_after_double_words(b->sim, n);
		ck_assert_msg(!program_verify(b, image, &error),
			      "N=%" G_GUINT64_FORMAT ": the job succeeded", n);
		assert_power_error(error, n);
		ck_assert_msg(glint_sim_get_power_cut_address(b->sim, &cut),
			      "N=%" G_GUINT64_FORMAT ": no double word was cut", n);
		assert_flash_after_cut(b, old, data, cut, n);

		glint_sim_set_target_voltage_mv(b->sim, 3300);
		assert_verify_names(b, image, cut, n);
		g_clear_error(&error);
		ck_assert_msg(program_verify(b, image, &error),
			      "N=%" G_GUINT64_FORMAT " re-run: %s", n, error->message);
		for (guint32 a = IMAGE_ADDR; a < IMAGE_ADDR + IMAGE_LEN; a += REL_PAGE_SIZE)
			ck_assert(rel_page_state(b->sim, old, image, a) == REL_PAGE_NEW);
		points++;
	}
	fprintf(stderr,
		"# power cut mid double word (%s): %u fault points of %" G_GUINT64_FORMAT
		" double words\n",
		no_loader ? "direct" : "loader", points, total);
}
END_TEST

/* A whole bank of the l476rc (128 KiB): the loader mass-erases it and
 * programs fast rows of 32 double words; the cut leaves the words of the row
 * before the cut programmed, the cut one half done, the rest erased. */
#define FAST_BANK (128u * 1024u)
#define FAST_ROW 256u

static gboolean
program_bank(RelBoard *b, GlintImage *image, GlintJobResult *result, GError **error)
{
	GlintProgramOptions options = {.verify = TRUE};
	return glint_job_program(b->session, image, &options, b->progress, NULL, result, error);
}

START_TEST(test_power_fail_mid_fast_row)
{
	g_autoptr(GBytes) data = rel_random_bytes(FAST_BANK, 47);
	g_autoptr(GlintImage) image = rel_image_at(REL_FLASH_BASE, data);
	const guint8 *want = g_bytes_get_data(data, NULL);
	GlintJobResult result = {0};
	guint64 total, d0;
	guint points = 0;

	{
		g_autoptr(RelBoard) b = rel_board_new("l476rc", TRUE);
		d0 = dwords_programmed(b->sim);
		ck_assert(program_bank(b, image, &result, NULL));
		ck_assert_msg(result.fast_programmed, "the loader did not program fast rows");
		glint_job_result_clear(&result);
		total = dwords_programmed(b->sim) - d0;
	}
	for (guint64 n = 5; n < total; n += total / 3 + 37) {
		g_autoptr(RelBoard) b = rel_board_new("l476rc", TRUE);
		g_autoptr(GError) error = NULL;
		guint8 row[FAST_ROW];
		guint32 cut = 0, row_addr, in_row;

		glint_sim_set_power_fail_after_double_words(b->sim, n);
		ck_assert(!program_bank(b, image, NULL, &error));
		assert_power_error(error, n);
		ck_assert(glint_sim_get_power_cut_address(b->sim, &cut));
		ck_assert_uint_eq(cut, REL_FLASH_BASE + n * DWORD);
		row_addr = cut - cut % FAST_ROW;
		in_row = cut - row_addr;
		ck_assert(glint_sim_peek(b->sim, row_addr, row, sizeof(row)));
		ck_assert(memcmp(row, want + (row_addr - REL_FLASH_BASE), in_row) == 0);
		ck_assert(memcmp(row + in_row, want + (cut - REL_FLASH_BASE), DWORD) != 0);
		for (guint i = 0; i < DWORD; i++)
			ck_assert_uint_eq(row[in_row + i] & want[cut - REL_FLASH_BASE + i],
					  want[cut - REL_FLASH_BASE + i]);
		for (guint i = in_row + DWORD; i < FAST_ROW; i++)
			ck_assert_uint_eq(row[i], 0xFF);

		glint_sim_set_target_voltage_mv(b->sim, 3300);
		assert_verify_names(b, image, cut, n);
		g_clear_error(&error);
		ck_assert_msg(program_bank(b, image, NULL, &error), "re-run: %s", error->message);
		points++;
	}
	ck_assert_uint_ge(points, 3);
	fprintf(stderr,
		"# power cut mid fast row: %u fault points of %" G_GUINT64_FORMAT " double words\n",
		points, total);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dword-cut");
	TCase *tc = tcase_create("dword");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_power_fail_mid_double_word, 0, 2);
	tcase_add_test(tc, test_power_fail_mid_fast_row);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
