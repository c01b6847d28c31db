/* test-watch.c: the live watch (glint-watch.h) on the emulated
 * NUCLEO-L476RG running tests/data/firmware/watch.elf: every kind of
 * expression and its errors, values in words, coalesced transfers,
 * samples at a rate in modelled time, the rate reached, and that watching
 * neither halts nor slows the firmware (the same progress as without). */
#define G_LOG_DOMAIN "test-watch"

#include <math.h>
#include <string.h>

#include "fw-board.h"
#include "glint-core.h"
#include "glint-error.h"
#include "glint-target.h"
#include "glint-watch.h"

#define MS 1000000
#define DFSR_ADDR 0xE000ED30u

static GlintWatch *
watch_of(FwBoard *b, const char *const *expressions)
{
	GlintWatch *w = glint_watch_new(b != NULL ? b->elf : NULL);
	for (guint i = 0; expressions[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		ck_assert_msg(glint_watch_add(w, expressions[i], &error), "%s: %s", expressions[i],
			      error ? error->message : "");
	}
	return w;
}

static GlintWatchSample
sample_of(FwBoard *b, GlintWatch *w)
{
	g_autoptr(GError) error = NULL;
	GlintWatchSample s;
	ck_assert_msg(glint_job_watch_sample(b->session, w, &s, &error), "%s",
		      error ? error->message : "");
	return s;
}

static const char *
text_of(const GlintWatchSample *s, guint i)
{
	return g_ptr_array_index(s->text, i);
}

/* Places and types of each kind of expression */
START_TEST(test_expressions)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {
	    "counter",
	    "state.count",
	    "state.where.y",
	    "state.level",
	    "buf[3]",
	    "matrix[1][2]",
	    "points[1].y",
	    "watch_step::calls",
	    "watch.c::file_static",
	    "0x20000000:u32",
	    "0x20000010:f32",
	    " 0x20000020:u8[16] ",
	    NULL,
	};
	g_autoptr(GlintWatch) w = watch_of(b, exprs);
	guint32 state = fw_board_symbol(b, "state"), matrix = fw_board_symbol(b, "matrix");
	const GlintWatchItem *it;

	ck_assert_uint_eq(glint_watch_get_n_items(w), 12);
	ck_assert_uint_eq(glint_watch_get_item(w, 0)->address, fw_board_symbol(b, "counter"));
	ck_assert_uint_eq(glint_watch_get_item(w, 1)->address, state);
	ck_assert_uint_eq(glint_watch_get_item(w, 2)->address, state + 14);
	ck_assert_uint_eq(glint_watch_get_item(w, 2)->size, 2);
	it = glint_watch_get_item(w, 3);
	ck_assert_uint_eq(it->bit_size, 3);
	ck_assert_uint_eq((it->address - state) * 8 + it->bit_position, 28 * 8 + 1);
	ck_assert(it->numeric);
	ck_assert_uint_eq(glint_watch_get_item(w, 4)->address, fw_board_symbol(b, "buf") + 3);
	ck_assert_uint_eq(glint_watch_get_item(w, 5)->address, matrix + (3 + 2) * 2);
	ck_assert_uint_eq(glint_watch_get_item(w, 6)->address, fw_board_symbol(b, "points") + 6);
	ck_assert_uint_eq(glint_watch_get_item(w, 9)->address, 0x20000000u);
	ck_assert_uint_eq(glint_watch_get_item(w, 9)->size, 4);
	ck_assert_uint_eq(glint_watch_get_item(w, 11)->size, 16);
	ck_assert(!glint_watch_get_item(w, 11)->numeric);
	ck_assert_str_eq(glint_watch_get_item(w, 11)->expression, "0x20000020:u8[16]");
}
END_TEST

/* Each mistake is named with the way to say it */
static const struct {
	const char *expression;
	gboolean with_elf;
	const char *says;
} bad_cases[] = {
    {"countr", TRUE, "has no global or static variable 'countr'; similar: counter"},
    {"state.nope", TRUE, "volatile struct state has no member 'nope' (it has: count, ratio"},
    {"counter.x", TRUE, "the value is volatile uint32_t, not a struct or union"},
    {"buf[8]", TRUE, "index 8 is past the end of uint8_t[8] (0 to 7)"},
    {"counter[1]", TRUE, "volatile uint32_t is not an array"},
    {"where_ptr->x", TRUE, "pointers are not followed"},
    {"where_ptr.x", TRUE, "pointers are not followed"},
    {"state.level.x", TRUE, "a bit field has no members"},
    {"buf[", TRUE, "'[' without ']'"},
    {"buf[i]", TRUE, "an index is a number"},
    {"counter", FALSE, "'counter' is a name: give the ELF file that holds it (--elf)"},
    {"0x20000000", FALSE, "an address needs a type: 0x20000000:u32"},
    {"0x20000000:u12", FALSE, "unknown type 'u12'"},
    {"0x20000000:u8[0]", FALSE, "is no element count"},
    {"0x20000000:u8[5000]", FALSE, "is no element count"},
    {"0x1FFFFFFFF:u8", FALSE, "is not a 32-bit address"},
    {"0xFFFFFFFE:u32", FALSE, "runs past the end of the address space"},
    {"", FALSE, "empty"},
    {"state+1", TRUE, "unexpected '+' after 'state'"},
};

START_TEST(test_bad_expressions)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", 0, TRUE);
	g_autoptr(GlintWatch) w = glint_watch_new(bad_cases[_i].with_elf ? b->elf : NULL);
	g_autoptr(GError) error = NULL;
	ck_assert(!glint_watch_add(w, bad_cases[_i].expression, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, bad_cases[_i].says) != NULL, "%s: %s",
		      bad_cases[_i].expression, error->message);
	ck_assert_uint_eq(glint_watch_get_n_items(w), 0);
}
END_TEST

/* The firmware's initial values, in words */
START_TEST(test_values)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {
	    "u32",	  "s16",	 "f64",		"letter",	"mode",	  "table",
	    "state.mode", "state.level", "state.delta", "matrix[1][2]", "points", "flag",
	    "ull",	  "s64",	 "state.where", NULL,
	};
	static const char *const expected[] = {
	    "3735928559",
	    "-1600",
	    "-2.25",
	    "71 'G'",
	    "MODE_FAULT",
	    "{1, 2, 3, 4}",
	    "MODE_RUN",
	    "5",
	    "-7",
	    "-6",
	    "{{x = 10, y = 20}, {x = 30, y = 40}}",
	    "true",
	    "18446744073709551615",
	    "-6400000000",
	    "{x = -3, y = 4}",
	};
	g_autoptr(GlintWatch) w = watch_of(b, exprs);
	GlintWatchSample s = sample_of(b, w);
	for (guint i = 0; exprs[i] != NULL; i++)
		ck_assert_msg(g_strcmp0(text_of(&s, i), expected[i]) == 0, "%s = %s, expected %s",
			      exprs[i], text_of(&s, i), expected[i]);
	ck_assert(s.numbers[0] == 3735928559.0);
	ck_assert(s.numbers[2] == -2.25);
	ck_assert(s.numbers[7] == 5.0);
	ck_assert(isnan(s.numbers[5]));
	glint_watch_sample_clear(&s);
}
END_TEST

/* Nearby items share a transfer; far ones and registers do not */
START_TEST(test_coalescing)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const near[] = {"counter", "state.count", "buf[3]", "ramp", "u32", NULL};
	static const char *const regs[] = {"0x40021000:u32", "0x40021004:u32", "0x40021000:u32",
					   NULL};
	g_autoptr(GlintWatch) w = watch_of(b, near);
	g_autoptr(GlintWatch) r = watch_of(b, regs);
	GlintTarget *t = glint_session_get_target(b->session);
	guint64 before;
	GlintWatchSample s;
	g_autoptr(GError) error = NULL;

	ck_assert_uint_eq(glint_watch_get_n_transfers(w), 1);
	before = glint_stlink_get_command_count(t->stlink);
	s = sample_of(b, w);
	/* one READMEM_32BIT and its status check */
	ck_assert_uint_le(glint_stlink_get_command_count(t->stlink) - before, 2);
	glint_watch_sample_clear(&s);
	ck_assert(glint_watch_add(w, "0x20010000:u32", &error));
	ck_assert_uint_eq(glint_watch_get_n_transfers(w), 2);
	/* two registers side by side stay apart; the same one twice is one */
	ck_assert_uint_eq(glint_watch_get_n_transfers(r), 2);
}
END_TEST

typedef struct {
	GArray *counts;
	GArray *times;
	guint stop_after;
} Collected;

static gboolean
collect(const GlintWatchSample *sample, gpointer user_data)
{
	Collected *c = user_data;
	gdouble v = sample->numbers[0];
	g_array_append_val(c->counts, v);
	g_array_append_val(c->times, sample->time_s);
	return c->stop_after == 0 || c->counts->len < c->stop_after;
}

static void
collected_clear(Collected *c)
{
	g_array_unref(c->counts);
	g_array_unref(c->times);
}

/* 10 Hz for one modelled second: ten samples a tenth apart, the counter
 * rising, the core never halted */
START_TEST(test_run_at_rate)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {"counter", NULL};
	g_autoptr(GlintWatch) w = watch_of(b, exprs);
	g_autoptr(GError) error = NULL;
	GlintWatchRunOptions options = {.rate_hz = 10, .duration_s = 1.0};
	GlintWatchStats stats;
	Collected c = {g_array_new(FALSE, FALSE, sizeof(gdouble)),
		       g_array_new(FALSE, FALSE, sizeof(gdouble)), 0};
	GlintCoreStatus st;

	ck_assert(glint_job_watch_run(b->session, w, &options, collect, &c, &stats, NULL, &error));
	ck_assert_uint_eq(stats.samples, 10);
	ck_assert_uint_eq(c.counts->len, 10);
	ck_assert(stats.modelled);
	ck_assert(fabs(stats.seconds - 1.0) < 1e-6);
	ck_assert(fabs(stats.rate_hz - 10.0) < 1e-3);
	for (guint i = 0; i < c.counts->len; i++) {
		ck_assert_msg(fabs(g_array_index(c.times, gdouble, i) - i * 0.1) < 1e-6,
			      "sample %u at %f s", i, g_array_index(c.times, gdouble, i));
		if (i > 0)
			ck_assert(g_array_index(c.counts, gdouble, i) >
				  g_array_index(c.counts, gdouble, i - 1));
	}
	ck_assert(glint_job_core_status(b->session, &st, &error));
	ck_assert_int_eq(st.state, GLINT_CORE_RUNNING);
	/* DFSR.HALTED is sticky: never set means never halted */
	ck_assert_uint_eq(fw_board_peek32(b, DFSR_ADDR), 0);
	collected_clear(&c);
}
END_TEST

/* The firmware's progress is the same with and without the watch, in
 * modelled time: the counter and the instructions executed at the same
 * device time on two boards that differ only in being watched at 500 Hz */
START_TEST(test_no_disturbance)
{
	g_autoptr(FwBoard) watched = fw_board_new("watch.elf", MS, TRUE);
	g_autoptr(FwBoard) alone = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {"counter", "state.count", "ramp", NULL};
	g_autoptr(GlintWatch) w = watch_of(watched, exprs);
	g_autoptr(GError) error = NULL;
	GlintWatchRunOptions options = {.rate_hz = 500, .duration_s = 0.5};
	GlintWatchStats stats;
	GlintSimStats sw, sa;
	gint64 end;
	guint32 counter = fw_board_symbol(watched, "counter");

	ck_assert_int_eq(glint_sim_get_time_ns(watched->sim), glint_sim_get_time_ns(alone->sim));
	ck_assert(
	    glint_job_watch_run(watched->session, w, &options, NULL, NULL, &stats, NULL, &error));
	ck_assert_uint_eq(stats.samples, 250);
	end = glint_sim_get_time_ns(watched->sim);
	glint_sim_advance_time(alone->sim, end - glint_sim_get_time_ns(alone->sim));
	ck_assert_int_eq(glint_sim_get_time_ns(alone->sim), end);
	glint_sim_get_stats(watched->sim, &sw);
	glint_sim_get_stats(alone->sim, &sa);
	ck_assert_uint_gt(sw.usb_commands, sa.usb_commands + 250);
	ck_assert_msg(sw.instructions == sa.instructions,
		      "watched: %" G_GUINT64_FORMAT " instructions, alone: %" G_GUINT64_FORMAT,
		      sw.instructions, sa.instructions);
	ck_assert_uint_eq(fw_board_peek32(watched, counter), fw_board_peek32(alone, counter));
	ck_assert_uint_gt(fw_board_peek32(alone, counter), 1000);
}
END_TEST

/* Asked for more than the probe can: back to back, the rate reached said
 * (a sample is a 32-bit read and its status check, about 1.6 ms modelled
 * for these items through an ST-LINK/V2) */
START_TEST(test_rate_reached)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {"counter", "state.count", "buf", NULL};
	g_autoptr(GlintWatch) w = watch_of(b, exprs);
	g_autoptr(GError) error = NULL;
	GlintWatchRunOptions options = {.rate_hz = 100000, .duration_s = 0.2};
	GlintWatchStats stats;

	ck_assert(glint_job_watch_run(b->session, w, &options, NULL, NULL, &stats, NULL, &error));
	ck_assert(stats.rate_hz < 100000);
	ck_assert_msg(stats.rate_hz > 300, "%.0f samples/s", stats.rate_hz);
	ck_assert(fabs(stats.rate_hz - stats.samples / stats.seconds) < 1e-6);
	ck_assert_uint_eq(stats.transfers, 2u * stats.samples);
}
END_TEST

/* The callback or a cancellation stops a run without failing it */
START_TEST(test_run_stops)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {"counter", NULL};
	g_autoptr(GlintWatch) w = watch_of(b, exprs);
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancel = g_cancellable_new();
	GlintWatchRunOptions options = {.rate_hz = 50};
	GlintWatchStats stats;
	Collected c = {g_array_new(FALSE, FALSE, sizeof(gdouble)),
		       g_array_new(FALSE, FALSE, sizeof(gdouble)), 3};

	ck_assert(glint_job_watch_run(b->session, w, &options, collect, &c, &stats, NULL, &error));
	ck_assert_uint_eq(c.counts->len, 3);
	options.max_samples = 7;
	ck_assert(glint_job_watch_run(b->session, w, &options, NULL, NULL, &stats, NULL, &error));
	ck_assert_uint_eq(stats.samples, 7);
	options.max_samples = 0;
	g_cancellable_cancel(cancel);
	ck_assert(glint_job_watch_run(b->session, w, &options, NULL, NULL, &stats, cancel, &error));
	ck_assert_uint_eq(stats.samples, 0);
	options.rate_hz = 0;
	ck_assert(!glint_job_watch_run(b->session, w, &options, NULL, NULL, &stats, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	collected_clear(&c);
}
END_TEST

/* An address nothing answers at: the error names it */
START_TEST(test_read_error)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	static const char *const exprs[] = {"0x30000000:u32", NULL};
	g_autoptr(GlintWatch) w = watch_of(b, exprs);
	g_autoptr(GError) error = NULL;
	GlintWatchSample s;
	ck_assert(!glint_job_watch_sample(b->session, w, &s, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT));
	ck_assert_msg(strstr(error->message, "0x30000000") != NULL, "%s", error->message);
}
END_TEST

static Suite *
watch_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("watch");
	tcase_add_test(tc, test_expressions);
	tcase_add_loop_test(tc, test_bad_expressions, 0, G_N_ELEMENTS(bad_cases));
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_coalescing);
	tcase_add_test(tc, test_run_at_rate);
	tcase_add_test(tc, test_no_disturbance);
	tcase_add_test(tc, test_rate_reached);
	tcase_add_test(tc, test_run_stops);
	tcase_add_test(tc, test_read_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(watch_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
