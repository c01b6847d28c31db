/* The memory editor's jobs against the emulator: writes to SRAM and
 * peripherals, flash words with the erase rule, fills, OTP programming and
 * the erase dialog's blank check. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"
#include "../common/test-glib-fatal.h"

#define FLASH_BASE 0x08000000u
#define SRAM1 0x20000000u
#define OTP_BASE 0x1FFF7000u
#define PAGE 2048u
/* RM0351 8.4.4: GPIOA_ODR, a peripheral register that reads back once
 * its port is clocked (RM0351 6.4: RCC_AHB2ENR.GPIOAEN). */
#define GPIOA_ODR 0x48000014u
#define RCC_AHB2ENR 0x4002104Cu

typedef struct {
	GlintSim *sim;
	GlintSession *session;
} Board;

static Board *
board_new(const char *scenario)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	GlintConnectOptions options = {0};
	Board *b = g_new0(Board, 1);

	b->sim = glint_sim_new(scenario, &error);
	ck_assert_msg(b->sim != NULL, "sim: %s", error ? error->message : "?");
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	ck_assert_msg(glint_job_connect(b->session, &options, NULL, NULL, &error), "%s",
		      error ? error->message : "?");
	return b;
}

static void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_free(b);
}

static gboolean
write_bytes(Board *b, guint32 addr, const void *data, gsize len, GlintFlashWritePolicy policy,
	    GError **error)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, len);
	GlintJobResult result = {0};
	gboolean ok =
	    glint_job_write_memory(b->session, addr, bytes, policy, NULL, NULL, &result, error);
	glint_job_result_clear(&result);
	return ok;
}

START_TEST(test_write_sram_byte_half_word)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	const guint8 word[4] = {0x78, 0x56, 0x34, 0x12};
	const guint8 byte = 0xA5;
	const guint8 half[2] = {0xEF, 0xBE};
	guint8 got[8];

	ck_assert(
	    write_bytes(b, SRAM1 + 0x100, word, 4, GLINT_FLASH_WRITE_REFUSE_UNERASED, &error));
	ck_assert(
	    write_bytes(b, SRAM1 + 0x105, &byte, 1, GLINT_FLASH_WRITE_REFUSE_UNERASED, &error));
	ck_assert(
	    write_bytes(b, SRAM1 + 0x106, half, 2, GLINT_FLASH_WRITE_REFUSE_UNERASED, &error));
	ck_assert(glint_sim_peek(b->sim, SRAM1 + 0x100, got, 8));
	ck_assert_uint_eq(got[0], 0x78);
	ck_assert_uint_eq(got[3], 0x12);
	ck_assert_uint_eq(got[5], 0xA5);
	ck_assert_uint_eq(got[6], 0xEF);
	ck_assert_uint_eq(got[7], 0xBE);
	board_free(b);
}
END_TEST

START_TEST(test_write_peripheral_register)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	const guint8 odr[4] = {0x20, 0x00, 0x00, 0x00}; /* PA5: the Nucleo's LD2 */
	const guint8 gpioaen[4] = {0x01, 0x00, 0x00, 0x00};
	ck_assert_msg(
	    write_bytes(b, RCC_AHB2ENR, gpioaen, 4, GLINT_FLASH_WRITE_REFUSE_UNERASED, &error),
	    "%s", error ? error->message : "?");
	ck_assert_msg(write_bytes(b, GPIOA_ODR, odr, 4, GLINT_FLASH_WRITE_REFUSE_UNERASED, &error),
		      "%s", error ? error->message : "?");
	ck_assert_uint_eq(glint_sim_peek32(b->sim, GPIOA_ODR) & 0xFFFF, 0x20);
	board_free(b);
}
END_TEST

START_TEST(test_write_refuses_regions_without_a_writer)
{
	Board *b = board_new("fresh");
	const guint8 v[8] = {0};
	struct {
		guint32 addr;
		const char *says;
	} cases[] = {
	    {0x1FFF0000u, "read-only"},	  /* system memory */
	    {OTP_BASE, "OTP"},		  /* written once, by its own job */
	    {0x1FFF7800u, "option byte"}, /* option bytes */
	    {0x30000000u, "not inside"},  /* nothing there */
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		ck_assert(
		    !write_bytes(b, cases[i].addr, v, 8, GLINT_FLASH_WRITE_ERASE_UNIT, &error));
		ck_assert_msg(error != NULL && strstr(error->message, cases[i].says) != NULL,
			      "0x%08X: %s", cases[i].addr, error ? error->message : "no error");
	}
	board_free(b);
}
END_TEST

START_TEST(test_flash_word_written_when_erased)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	const guint8 word[4] = {0x11, 0x22, 0x33, 0x44};
	guint8 got[8];
	gboolean writable = FALSE;

	ck_assert(
	    glint_job_flash_is_writable(b->session, FLASH_BASE + 0x804, 4, &writable, &error));
	ck_assert(writable);
	ck_assert_msg(
	    write_bytes(b, FLASH_BASE + 0x804, word, 4, GLINT_FLASH_WRITE_REFUSE_UNERASED, &error),
	    "%s", error ? error->message : "?");
	ck_assert(glint_sim_peek(b->sim, FLASH_BASE + 0x800, got, 8));
	/* The rest of the double word stays erased. */
	ck_assert_uint_eq(got[0], 0xFF);
	ck_assert_uint_eq(got[3], 0xFF);
	ck_assert_uint_eq(got[4], 0x11);
	ck_assert_uint_eq(got[7], 0x44);
	ck_assert(
	    glint_job_flash_is_writable(b->session, FLASH_BASE + 0x800, 1, &writable, &error));
	ck_assert(!writable);
	board_free(b);
}
END_TEST

START_TEST(test_flash_word_over_data_refused_or_unit_erased)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *page = g_malloc(PAGE);
	g_autofree guint8 *got = g_malloc(PAGE);
	const guint8 word[4] = {0xDE, 0xC0, 0xAD, 0x0B};

	for (guint i = 0; i < PAGE; i++)
		page[i] = (guint8)(i * 13 + 1);
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE + PAGE, page, PAGE));
	/* Refused: the double word holds data, and nothing changes. */
	ck_assert(!write_bytes(b, FLASH_BASE + PAGE + 0x10, word, 4,
			       GLINT_FLASH_WRITE_REFUSE_UNERASED, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED), "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, "page 1") != NULL, "%s", error->message);
	ck_assert(glint_sim_peek(b->sim, FLASH_BASE + PAGE, got, PAGE));
	ck_assert(memcmp(got, page, PAGE) == 0);
	g_clear_error(&error);
	/* Erasing the page keeps every other byte of it. */
	ck_assert_msg(
	    write_bytes(b, FLASH_BASE + PAGE + 0x10, word, 4, GLINT_FLASH_WRITE_ERASE_UNIT, &error),
	    "%s", error ? error->message : "?");
	memcpy(page + 0x10, word, 4);
	ck_assert(glint_sim_peek(b->sim, FLASH_BASE + PAGE, got, PAGE));
	ck_assert(memcmp(got, page, PAGE) == 0);
	/* Neighbouring pages untouched (still erased). */
	ck_assert(glint_sim_peek(b->sim, FLASH_BASE + 2 * PAGE, got, 8));
	ck_assert_uint_eq(got[0], 0xFF);
	board_free(b);
}
END_TEST

START_TEST(test_flash_write_under_wrp_refused)
{
	Board *b = board_new("wrp");
	g_autoptr(GError) error = NULL;
	const guint8 word[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	ck_assert(
	    !write_bytes(b, FLASH_BASE + 0x100, word, 8, GLINT_FLASH_WRITE_ERASE_UNIT, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED), "%s",
		      error->message);
	board_free(b);
}
END_TEST

START_TEST(test_fill_ram_and_flash)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	guint8 got[12];

	ck_assert(glint_job_fill_memory(b->session, SRAM1 + 0x200, 12, 0xBEEF, 2,
					GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					&error));
	ck_assert(glint_sim_peek(b->sim, SRAM1 + 0x200, got, 12));
	ck_assert_uint_eq(got[0], 0xEF);
	ck_assert_uint_eq(got[11], 0xBE);
	ck_assert(glint_job_fill_memory(b->session, FLASH_BASE + 0x3000, 4096, 0x5A, 1,
					GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					&error));
	ck_assert(glint_sim_peek(b->sim, FLASH_BASE + 0x3FFC, got, 8));
	ck_assert_uint_eq(got[0], 0x5A);
	ck_assert_uint_eq(got[3], 0x5A);
	ck_assert_uint_eq(got[4], 0xFF); /* the byte after the fill */
	/* A value wider than its width is refused. */
	ck_assert(!glint_job_fill_memory(b->session, SRAM1, 4, 0x1FF, 1,
					 GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					 &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

START_TEST(test_otp_needs_permanent_confirmation)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = g_bytes_new("\x01\x02\x03", 3);
	guint8 got[8];
	ck_assert(!glint_job_program_otp(b->session, OTP_BASE, data, GLINT_CONFIRM_RISKY, NULL,
					 NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert(glint_sim_peek(b->sim, OTP_BASE, got, 8));
	ck_assert_uint_eq(got[0], 0xFF);
	board_free(b);
}
END_TEST

START_TEST(test_otp_programmed_once_in_double_words)
{
	Board *b = board_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = g_bytes_new("\xA1\xA2\xA3", 3);
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	guint32 start = 0, len = 0;
	guint8 got[16];

	/* RM0351 3.3.1: the OTP is written in double words like flash; 3
	 * bytes at +0x0A make 0x08-0x0F permanent. */
	ck_assert(glint_target_info_otp_span(info, OTP_BASE + 0x0A, 3, &start, &len, &error));
	ck_assert_uint_eq(start, OTP_BASE + 8);
	ck_assert_uint_eq(len, 8);
	ck_assert(glint_target_info_otp_span(info, OTP_BASE + 0x0E, 3, &start, &len, &error));
	ck_assert_uint_eq(len, 16);
	ck_assert_msg(glint_job_program_otp(b->session, OTP_BASE + 0x0A, data,
					    GLINT_CONFIRM_PERMANENT_LOCK, NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "?");
	ck_assert(glint_sim_peek(b->sim, OTP_BASE, got, 16));
	ck_assert_uint_eq(got[7], 0xFF);
	ck_assert_uint_eq(got[0x0A], 0xA1);
	ck_assert_uint_eq(got[0x0C], 0xA3);
	ck_assert_uint_eq(got[0x0D], 0xFF);
	/* Once: the same double word is refused, naming it. */
	ck_assert(!glint_job_program_otp(b->session, OTP_BASE + 0x08, data,
					 GLINT_CONFIRM_PERMANENT_LOCK, NULL, NULL, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED), "%s",
		      error->message);
	ck_assert(strstr(error->message, "0x1FFF7008") != NULL);
	g_clear_error(&error);
	/* Outside the OTP. */
	ck_assert(!glint_target_info_otp_span(info, OTP_BASE + 1020, 8, &start, &len, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

START_TEST(test_chip_without_otp_says_so)
{
	/* A chip row whose regions list no OTP (a family without one). */
	static const GlintMemoryRegion regions[] = {
	    {"SRAM", GLINT_REGION_SRAM, 0x20000000, 0x1000},
	};
	GlintFamily family = {.id = "x", .name = "STM32X"};
	GlintChip chip = {.name = "STM32X0",
			  .family = &family,
			  .regions = regions,
			  .n_regions = G_N_ELEMENTS(regions)};
	GlintTargetInfo info = {.chip = &chip};
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_null(glint_target_info_otp_region(&info, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED));
	ck_assert_msg(strstr(error->message, "STM32X0") && strstr(error->message, "no one-time"),
		      "%s", error->message);
}
END_TEST

START_TEST(test_blank_check_per_unit)
{
	Board *b = board_new("wrp");
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) states = glint_job_blank_check(b->session, NULL, NULL, &error);
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	ck_assert_msg(states != NULL, "%s", error ? error->message : "?");
	ck_assert_uint_eq(states->len, info->geometry.n_units);
	/* The "wrp" board has firmware at the start of bank 1, bank 2 erased. */
	ck_assert_int_eq(g_array_index(states, gint8, 0), 0);
	ck_assert_int_eq(g_array_index(states, gint8, states->len - 1), 1);
	board_free(b);
}
END_TEST

START_TEST(test_blank_check_refused_under_rdp1)
{
	Board *b = board_new("rdp1");
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) states = glint_job_blank_check(b->session, NULL, NULL, &error);
	ck_assert_ptr_null(states);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	board_free(b);
}
END_TEST

static Suite *
memory_suite(void)
{
	Suite *s = suite_create("job-memory");
	TCase *tc = tcase_create("memory");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_write_sram_byte_half_word);
	tcase_add_test(tc, test_write_peripheral_register);
	tcase_add_test(tc, test_write_refuses_regions_without_a_writer);
	tcase_add_test(tc, test_flash_word_written_when_erased);
	tcase_add_test(tc, test_flash_word_over_data_refused_or_unit_erased);
	tcase_add_test(tc, test_flash_write_under_wrp_refused);
	tcase_add_test(tc, test_fill_ram_and_flash);
	tcase_add_test(tc, test_otp_needs_permanent_confirmation);
	tcase_add_test(tc, test_otp_programmed_once_in_double_words);
	tcase_add_test(tc, test_chip_without_otp_says_so);
	tcase_add_test(tc, test_blank_check_per_unit);
	tcase_add_test(tc, test_blank_check_refused_under_rdp1);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	test_glib_warnings_fatal();
	sr = srunner_create(memory_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
