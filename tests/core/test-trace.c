/* SWO and RTT through the core's session APIs against the emulator: the
 * trace tests' firmware (tests/firmware/trace-test) is read back exactly
 * over SWO (every ITM port) and RTT (up channel 0 wrapping around its
 * 64-byte buffer, down channel 0 filling up and draining into up channel
 * 1); the demo's lines arrive and its "crash" command faults the core; a
 * control block that does not hold together is refused naming the field;
 * the ITM decoder survives any bytes and finds its feet again. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-rtt.h"
#include "glint-sim.h"
#include "glint-swo.h"
#include "glint-transport.h"
#include "trace-test-image.h"
#include "trace-test.h"

#define FLASH_BASE 0x08000000u
#define MS G_GINT64_CONSTANT(1000000)
#define TT_READ_DOWN (TT_CONTROL_ADDR + 4u)
/* trace-test.elf: _SEGGER_RTT (arm-none-eabi-nm) */
#define TT_RTT_ADDR 0x20000014u
#define RTT_DESC(i) (TT_RTT_ADDR + 24u + 24u * (i))
#define CFSR 0xE000ED28u
#define HFSR 0xE000ED2Cu
#define BFAR 0xE000ED38u
#define CFSR_PRECISERR (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_BFARVALID (1u << 15)
#define HFSR_FORCED (1u << 30)
#define DEMO_CRASH_ADDRESS 0x3FFFFFF0u

typedef struct {
	GlintSim *sim;
	GlintSession *session;
} Board;

static void
board_free(Board *b)
{
	glint_job_disconnect(b->session);
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_free(b);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Board, board_free)

static void
poke32(GlintSim *sim, guint32 addr, guint32 v)
{
	guint8 b[4] = {(guint8)v, (guint8)(v >> 8), (guint8)(v >> 16), (guint8)(v >> 24)};
	ck_assert(glint_sim_poke(sim, addr, b, sizeof(b)));
}

/* A board running @spec's firmware, or the trace tests' firmware, connected */
static Board *
board_new(const char *spec, gboolean trace_firmware)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	Board *b = g_new0(Board, 1);
	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "%s", error ? error->message : "?");
	if (trace_firmware) {
		ck_assert(glint_sim_poke(b->sim, FLASH_BASE, tt_firmware_image,
					 sizeof(tt_firmware_image)));
		glint_sim_power_cycle(b->sim);
	}
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	ck_assert_msg(glint_job_connect(b->session, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "?");
	return b;
}

/* ---- SWO --------------------------------------------------------------- */

/* What a capture read, by port */
typedef struct {
	GByteArray *port[32];
	guint packets[32];
	guint overflows;
	guint garbage;
} Capture;

static void
capture_clear(Capture *c)
{
	for (guint i = 0; i < 32; i++)
		g_clear_pointer(&c->port[i], g_byte_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Capture, capture_clear)

static void
on_packet(const GlintItmPacket *p, gpointer user_data)
{
	Capture *c = user_data;
	if (p->kind == GLINT_ITM_OVERFLOW)
		c->overflows++;
	if (p->kind == GLINT_ITM_GARBAGE)
		c->garbage += p->length;
	if (p->kind != GLINT_ITM_SOURCE)
		return;
	ck_assert_uint_lt(p->port, 32);
	if (c->port[p->port] == NULL)
		c->port[p->port] = g_byte_array_new();
	g_byte_array_append(c->port[p->port], p->payload, p->size);
	c->packets[p->port]++;
}

static void
assert_port(Capture *c, guint port, const void *want, gsize len)
{
	ck_assert_msg(c->port[port] != NULL, "nothing on port %u", port);
	ck_assert_msg(c->port[port]->len == len, "port %u: %u bytes, want %zu", port,
		      c->port[port]->len, len);
	ck_assert_mem_eq(c->port[port]->data, want, len);
}

/* Every ITM item of the trace tests' firmware, exactly, on its port */
START_TEST(test_swo_firmware_exact)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_auto(Capture) c = {0};
	GlintSwoSetup setup = {0};
	GlintItmStats stats = {0};
	static const char text[] = TT_ITM_TEXT;
	static const guint16 halfwords[] = TT_ITM_HALFWORDS;
	static const guint32 words[] = TT_ITM_WORDS;
	guint8 hw[sizeof(halfwords)], w[sizeof(words)], bytes[256];

	ck_assert_msg(glint_job_swo_capture(b->session, NULL, 300 * MS, on_packet, &c, NULL, NULL,
					    &setup, &stats, &error),
		      "%s", error ? error->message : "?");
	/* the L4 runs on its 4 MHz MSI: 2 MHz is HCLK / 2 */
	ck_assert(setup.clock_measured);
	ck_assert_uint_eq(setup.core_clock_hz, 4000000);
	ck_assert_uint_eq(setup.baud, 2000000);
	ck_assert_uint_eq(setup.acpr, 1);
	for (guint i = 0; i < G_N_ELEMENTS(halfwords); i++) {
		hw[2 * i] = (guint8)halfwords[i];
		hw[2 * i + 1] = (guint8)(halfwords[i] >> 8);
	}
	for (guint i = 0; i < G_N_ELEMENTS(words); i++)
		for (guint k = 0; k < 4; k++)
			w[4 * i + k] = (guint8)(words[i] >> (8 * k));
	for (guint i = 0; i < 256; i++)
		bytes[i] = (guint8)i;
	assert_port(&c, 0, text, sizeof(text) - 1);
	assert_port(&c, 1, hw, sizeof(hw));
	ck_assert_uint_eq(c.packets[1], G_N_ELEMENTS(halfwords));
	assert_port(&c, 2, w, sizeof(w));
	ck_assert_uint_eq(c.packets[2], G_N_ELEMENTS(words));
	assert_port(&c, 3, bytes, sizeof(bytes));
	assert_port(&c, 31, (guint8[]){TT_ITM_LAST}, 1);
	ck_assert_uint_eq(c.garbage, 0);
	ck_assert_uint_eq(c.overflows, 0);
	ck_assert_uint_eq(stats.lost, 0);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, TT_CONTROL_ADDR + 8), 1);
}
END_TEST

/* Only the ports asked for are enabled: the rest never reach the pin */
START_TEST(test_swo_ports)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_auto(Capture) c = {0};
	GlintSwoConfig config = {.ports = 1u << 2, .baud = 1000000};
	GlintSwoSetup setup = {0};

	ck_assert_msg(glint_job_swo_capture(b->session, &config, 300 * MS, on_packet, &c, NULL,
					    NULL, &setup, NULL, &error),
		      "%s", error ? error->message : "?");
	ck_assert_uint_eq(setup.acpr, 3);
	ck_assert_uint_eq(setup.baud, 1000000);
	for (guint i = 0; i < 32; i++)
		ck_assert_msg(i == 2 || c.port[i] == NULL, "port %u was not enabled", i);
	ck_assert_uint_eq(c.packets[2], 3);
}
END_TEST

/* A core clock given wrong: the TPIU runs at another rate than the probe
 * samples, and what arrives is not the firmware's text */
START_TEST(test_swo_wrong_clock)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_auto(Capture) c = {0};
	GlintSwoConfig config = {.core_clock_hz = 8000000};
	static const char text[] = TT_ITM_TEXT;

	ck_assert_msg(glint_job_swo_capture(b->session, &config, 300 * MS, on_packet, &c, NULL,
					    NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "?");
	ck_assert(c.port[0] == NULL || c.port[0]->len != sizeof(text) - 1 ||
		  memcmp(c.port[0]->data, text, sizeof(text) - 1) != 0);
}
END_TEST

/* Rates HCLK cannot make within 3 %, or the probe cannot sample, are
 * refused naming the ones that work */
START_TEST(test_swo_rates_refused)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	GlintSwoConfig odd = {.baud = 1500000, .core_clock_hz = 4000000};
	GlintSwoConfig fast = {.baud = 3000000, .core_clock_hz = 4000000};
	g_autoptr(GlintSwoCapture) c = glint_swo_start(b->session, &odd, NULL, NULL, &error);
	ck_assert_ptr_null(c);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "1333333") != NULL &&
			  strstr(error->message, "2000000") != NULL,
		      "%s", error->message);
	g_clear_error(&error);
	c = glint_swo_start(b->session, &fast, NULL, NULL, &error);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(error->message, "up to 2000000") != NULL, "%s", error->message);
}
END_TEST

/* A core that does not run cannot have its clock measured: say how out */
START_TEST(test_swo_clock_not_measurable)
{
	g_autoptr(Board) b = board_new("fresh", FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSwoCapture) c = glint_swo_start(b->session, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(c);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FAILED));
	ck_assert_msg(strstr(error->message, "--clock") != NULL, "%s", error->message);
}
END_TEST

/* The demo prints a line every 100 ms over SWO */
START_TEST(test_swo_demo)
{
	g_autoptr(Board) b = board_new("nucleo-l476rg:demo", FALSE);
	g_autoptr(GError) error = NULL;
	g_auto(Capture) c = {0};
	g_autofree gchar *text = NULL;
	guint lines = 0;

	ck_assert_msg(glint_job_swo_capture(b->session, NULL, 1000 * MS, on_packet, &c, NULL, NULL,
					    NULL, NULL, &error),
		      "%s", error ? error->message : "?");
	ck_assert_ptr_nonnull(c.port[0]);
	text = g_strndup((const gchar *)c.port[0]->data, c.port[0]->len);
	for (const char *p = text; (p = strstr(p, "glint demo: counter=")) != NULL; p++)
		lines++;
	ck_assert_msg(lines >= 8 && lines <= 12, "%u lines in 1 s: %s", lines, text);
}
END_TEST

/* ---- the SWO pin's route, per family ----------------------------------- */

/* A demo board of each family with an ITM (the family's route as data:
 * RM0351 48.6.3, RM0008 31.16.3, RM0316 33.15.3, RM0090 38.16.3, RM0410
 * 40.16.3, RM0038 30.16.3, RM0433 60.2, RM0455, RM0468, RM0438 47.4.3,
 * RM0456 65.4.3), and a bit that looks right but is not: the M3/M4
 * TRACE_IOEN (bit 5) on the M33 parts, synchronous TRACE_MODE 01
 * elsewhere, the funnel's second port (ENS1) on the H7 */
static const struct {
	const char *board;
	guint wrong_step;
	guint32 wrong_set;
	guint32 wrong_clear;
} route_boards[] = {
    {"nucleo-l476rg", 0, 1u << 5 | 1u << 6, 0}, {"nucleo-g474re", 0, 1u << 5 | 1u << 6, 0},
    {"nucleo-f103rb", 0, 1u << 5 | 1u << 6, 0}, {"nucleo-f303re", 0, 1u << 5 | 1u << 6, 0},
    {"nucleo-f446re", 0, 1u << 5 | 1u << 6, 0}, {"nucleo-f767zi", 0, 1u << 5 | 1u << 6, 0},
    {"nucleo-l152re", 0, 1u << 5 | 1u << 6, 0}, {"nucleo-h743zi", 2, 1u << 1, 0},
    {"nucleo-h7a3zi-q", 2, 1u << 1, 0},		{"nucleo-h723zg", 2, 1u << 1, 0},
    {"nucleo-l552ze-q", 0, 1u << 5, 3u << 6},	{"nucleo-u575zi-q", 0, 1u << 5, 3u << 6},
};

/* The demo's lines on port 0 over @ms of a capture through @route (NULL:
 * the family's) at the clock given (0: measured) */
static guint
route_demo_lines(const char *board, const GlintSwoRoute *route, guint32 clock, guint32 *measured)
{
	g_autofree gchar *spec = g_strdup_printf("%s:demo", board);
	g_autoptr(Board) b = board_new(spec, FALSE);
	g_autoptr(GError) error = NULL;
	g_auto(Capture) c = {0};
	GlintSwoConfig config = {.core_clock_hz = clock, .route = route};
	GlintSwoSetup setup;
	g_autofree gchar *text = NULL;
	guint lines = 0;

	ck_assert_msg(glint_job_swo_capture(b->session, &config, 500 * MS, on_packet, &c, NULL,
					    NULL, &setup, NULL, &error),
		      "%s: %s", board, error ? error->message : "?");
	if (measured != NULL)
		*measured = setup.core_clock_hz;
	if (c.port[0] == NULL)
		return 0;
	text = g_strndup((const gchar *)c.port[0]->data, c.port[0]->len);
	for (const char *p = text; (p = strstr(p, "glint demo: counter=")) != NULL; p++)
		lines++;
	return lines;
}

/* The family's route brings the demo's lines to the probe; without any
 * one of its steps, or with a wrong bit in it, nothing arrives */
START_TEST(test_swo_route_every_family)
{
	const char *board = route_boards[_i].board;
	g_autofree gchar *spec = g_strdup_printf("%s:demo", board);
	g_autoptr(Board) b = board_new(spec, FALSE);
	const GlintChip *chip = glint_session_get_target_info(b->session)->chip;
	const GlintSwoRoute *route;
	GlintRegEdit steps[8];
	GlintSwoRoute changed;
	guint32 clock = 0;
	guint lines;

	ck_assert_msg(chip != NULL, "%s: no chip", board);
	route = chip->family->swo;
	ck_assert_msg(route != NULL && route->n_route <= G_N_ELEMENTS(steps), "%s", board);
	lines = route_demo_lines(board, NULL, 0, &clock);
	ck_assert_msg(lines >= 3 && lines <= 6, "%s: %u lines in 0.5 s", board, lines);

	for (guint skip = 0; skip < route->n_route; skip++) {
		guint n = 0;
		for (guint i = 0; i < route->n_route; i++) {
			if (i != skip)
				steps[n++] = route->route[i];
		}
		changed = *route;
		changed.route = steps;
		changed.n_route = n;
		ck_assert_msg(route_demo_lines(board, &changed, clock, NULL) == 0,
			      "%s: SWO arrives without %s", board, route->route[skip].name);
	}
	memcpy(steps, route->route, route->n_route * sizeof(steps[0]));
	steps[route_boards[_i].wrong_step].set = route_boards[_i].wrong_set;
	steps[route_boards[_i].wrong_step].clear = route_boards[_i].wrong_clear;
	changed = *route;
	changed.route = steps;
	ck_assert_msg(route_demo_lines(board, &changed, clock, NULL) == 0,
		      "%s: SWO arrives with %s = 0x%08x", board,
		      route->route[route_boards[_i].wrong_step].name, route_boards[_i].wrong_set);
}
END_TEST

/* The probe's buffer overflows when nobody reads it: the bytes after it
 * are lost, the decoder says so and finds its feet on what comes next */
START_TEST(test_swo_probe_overflow)
{
	g_autoptr(Board) b = board_new("fresh", FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSwoCapture) capture = NULL;
	g_auto(Capture) c = {0};
	GlintSwoConfig config = {.core_clock_hz = 4000000, .ports = 3};
	GlintItmStats stats;
	gsize got = 0;

	capture = glint_swo_start(b->session, &config, NULL, NULL, &error);
	ck_assert_msg(capture != NULL, "%s", error ? error->message : "?");
	/* 3000 packets of 2 bytes: more than the probe's 4 KB */
	for (guint i = 0; i < 3000; i++) {
		guint32 ready = 0;
		while (glint_sim_bus_read(b->sim, 0xE0000000u, 4, &ready) && !(ready & 1u))
			glint_sim_advance_time(b->sim, 5000);
		ck_assert(glint_sim_bus_write(b->sim, 0xE0000000u, 1, 'a' + i % 26));
	}
	glint_sim_advance_time(b->sim, 50 * MS);
	ck_assert(glint_swo_poll(capture, on_packet, &c, &got, &error));
	ck_assert_uint_eq(got, 4096);
	glint_swo_get_stats(capture, &stats);
	ck_assert_uint_eq(stats.lost, 1);
	ck_assert_uint_eq(c.port[0]->len, 2048);
	for (guint i = 0; i < 2048; i++)
		ck_assert_uint_eq(c.port[0]->data[i], 'a' + i % 26);
	/* what comes after the loss decodes */
	for (guint i = 0; i < 10; i++) {
		guint32 ready = 0;
		while (glint_sim_bus_read(b->sim, 0xE0000000u, 4, &ready) && !(ready & 1u))
			glint_sim_advance_time(b->sim, 5000);
		ck_assert(glint_sim_bus_write(b->sim, 0xE0000004u, 1, '0' + i));
	}
	glint_sim_advance_time(b->sim, 5 * MS);
	ck_assert(glint_swo_poll(capture, on_packet, &c, &got, &error));
	assert_port(&c, 1, "0123456789", 10);
	ck_assert(glint_swo_stop(capture, &error));
}
END_TEST

/* ---- the ITM decoder ------------------------------------------------- */

/* A stream of every packet kind, encoded by hand from ARMv7-M D4.2 */
static const guint8 known_stream[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x80, /* sync */
    0x01, 'h',				/* port 0, 1 byte */
    0x0A, 0x34, 0x12,			/* port 1, 2 bytes */
    0x13, 0xEF, 0xBE, 0xAD, 0xDE,	/* port 2, 4 bytes */
    0x30,				/* local timestamp 3 */
    0xC0, 0x85, 0x01,			/* local timestamp 133 */
    0xE0, 0x05,				/* local timestamp 5, TC 2 */
    0x70,				/* overflow */
    0xF9, 0x5A,				/* port 31 */
    0x0E, 0x07, 0x00,			/* hardware: discriminator 1, 2 bytes */
    0x94, 0x81, 0x02,			/* global timestamp 0x101 */
    0x08,				/* extension, page 0 */
    0x01, 0x00,				/* port 0: a zero byte */
};

typedef struct {
	GArray *packets; /* GlintItmPacket, garbage left out */
	guint garbage;
} Decoded;

static void
on_decoded(const GlintItmPacket *p, gpointer user_data)
{
	Decoded *d = user_data;
	ck_assert_uint_gt(p->length, 0);
	if (p->kind == GLINT_ITM_GARBAGE) {
		d->garbage += p->length;
		return;
	}
	if (p->kind == GLINT_ITM_SOURCE) {
		ck_assert_uint_lt(p->port, 32);
		ck_assert(p->size == 1 || p->size == 2 || p->size == 4);
		ck_assert_uint_eq(p->length, 1 + p->size);
	}
	g_array_append_val(d->packets, *p);
}

static Decoded
decode(const guint8 *data, gsize len, guint32 ports, guint chunk)
{
	g_autoptr(GlintItmDecoder) dec = glint_itm_decoder_new(ports);
	Decoded d = {g_array_new(FALSE, TRUE, sizeof(GlintItmPacket)), 0};
	for (gsize off = 0; off < len; off += chunk)
		glint_itm_decoder_feed(dec, data + off, MIN(chunk, len - off), on_decoded, &d);
	return d;
}

START_TEST(test_itm_decoder_known)
{
	Decoded d = decode(known_stream, sizeof(known_stream), 0xFFFFFFFFu, sizeof(known_stream));
	static const struct {
		GlintItmPacketKind kind;
		guint port;
		guint32 value;
		guint tc;
	} want[] = {
	    {GLINT_ITM_SYNC, 0, 0, 0},
	    {GLINT_ITM_SOURCE, 0, 'h', 0},
	    {GLINT_ITM_SOURCE, 1, 0x1234, 0},
	    {GLINT_ITM_SOURCE, 2, 0xDEADBEEFu, 0},
	    {GLINT_ITM_TIMESTAMP, 0, 3, 0},
	    {GLINT_ITM_TIMESTAMP, 0, 133, 0},
	    {GLINT_ITM_TIMESTAMP, 0, 5, 2},
	    {GLINT_ITM_OVERFLOW, 0, 0, 0},
	    {GLINT_ITM_SOURCE, 31, 0x5A, 0},
	    {GLINT_ITM_HARDWARE, 1, 7, 0},
	    {GLINT_ITM_GLOBAL_TIMESTAMP, 0, 0x101, 0},
	    {GLINT_ITM_EXTENSION, 0, 0, 0},
	    {GLINT_ITM_SOURCE, 0, 0, 0},
	};
	ck_assert_uint_eq(d.garbage, 0);
	ck_assert_uint_eq(d.packets->len, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		const GlintItmPacket *p = &g_array_index(d.packets, GlintItmPacket, i);
		ck_assert_msg(p->kind == want[i].kind, "packet %u: kind %d, want %d", i, p->kind,
			      want[i].kind);
		ck_assert_uint_eq(p->value, want[i].value);
		ck_assert_uint_eq(p->tc, want[i].tc);
		if (p->kind == GLINT_ITM_SOURCE || p->kind == GLINT_ITM_HARDWARE)
			ck_assert_uint_eq(p->port, want[i].port);
	}
	g_array_unref(d.packets);
}
END_TEST

/* However the bytes are split over reads, the same packets come out */
START_TEST(test_itm_decoder_chunking)
{
	Decoded whole = decode(known_stream, sizeof(known_stream), 0xFFFFFFFFu, 1000);
	for (guint chunk = 1; chunk < 8; chunk++) {
		Decoded d = decode(known_stream, sizeof(known_stream), 0xFFFFFFFFu, chunk);
		ck_assert_uint_eq(d.packets->len, whole.packets->len);
		ck_assert_mem_eq(d.packets->data, whole.packets->data,
				 whole.packets->len * sizeof(GlintItmPacket));
		g_array_unref(d.packets);
	}
	g_array_unref(whole.packets);
}
END_TEST

/* Random bytes: no crash, every byte accounted for, only well-formed
 * packets; then a loss, a synchronization packet and the known stream
 * decode exactly */
START_TEST(test_itm_decoder_garbage)
{
	GRand *rand = g_rand_new_with_seed(0x17);
	Decoded clean = decode(known_stream, sizeof(known_stream), 0xFFFFFFFFu, 1000);
	for (guint round = 0; round < 2000; round++) {
		g_autoptr(GlintItmDecoder) dec = glint_itm_decoder_new(g_rand_int(rand));
		Decoded d = {g_array_new(FALSE, TRUE, sizeof(GlintItmPacket)), 0};
		guint n = g_rand_int_range(rand, 0, 300);
		g_autofree guint8 *junk = g_malloc(n + 1);
		guint accounted = 0;
		GlintItmStats stats;
		for (guint i = 0; i < n; i++)
			junk[i] = (guint8)g_rand_int(rand);
		glint_itm_decoder_feed(dec, junk, n, on_decoded, &d);
		for (guint i = 0; i < d.packets->len; i++)
			accounted += g_array_index(d.packets, GlintItmPacket, i).length;
		ck_assert_uint_le(accounted + d.garbage, n);
		/* what is not accounted for is one packet still in progress */
		ck_assert_uint_le(n - accounted - d.garbage, 7);
		glint_itm_decoder_lost(dec, on_decoded, &d);
		accounted = 0;
		for (guint i = 0; i < d.packets->len; i++)
			accounted += g_array_index(d.packets, GlintItmPacket, i).length;
		ck_assert_uint_eq(accounted + d.garbage, n);
		g_array_set_size(d.packets, 0);
		glint_itm_decoder_feed(dec, known_stream, sizeof(known_stream), on_decoded, &d);
		ck_assert_uint_eq(d.packets->len, clean.packets->len);
		ck_assert_mem_eq(d.packets->data, clean.packets->data,
				 clean.packets->len * sizeof(GlintItmPacket));
		glint_itm_decoder_get_stats(dec, &stats);
		ck_assert_uint_eq(stats.bytes, n + sizeof(known_stream));
		g_array_unref(d.packets);
	}
	g_array_unref(clean.packets);
	g_rand_free(rand);
}
END_TEST

/* Hunting after a loss: bytes that would be a packet on a port the ITM
 * does not send on are skipped until a plausible header */
START_TEST(test_itm_decoder_hunting)
{
	/* the tail of a 4-byte packet, then text on port 0 */
	static const guint8 stream[] = {0x62, 0x63, 0x64, 0x01, 'o', 0x01, 'k'};
	Decoded d = decode(stream, sizeof(stream), 1u << 0, 1);
	ck_assert_uint_eq(d.garbage, 3);
	ck_assert_uint_eq(d.packets->len, 2);
	ck_assert_uint_eq(g_array_index(d.packets, GlintItmPacket, 0).value, 'o');
	ck_assert_uint_eq(g_array_index(d.packets, GlintItmPacket, 1).value, 'k');
	g_array_unref(d.packets);
}
END_TEST

/* ---- RTT --------------------------------------------------------------- */

typedef struct {
	GByteArray *up[4];
	const guint8 *input;
	gsize input_len;
	gsize input_pos;
} Session;

static void
session_clear(Session *s)
{
	for (guint i = 0; i < G_N_ELEMENTS(s->up); i++)
		g_clear_pointer(&s->up[i], g_byte_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Session, session_clear)

static void
on_rtt(guint channel, const guint8 *data, gsize len, gpointer user_data)
{
	Session *s = user_data;
	ck_assert_uint_lt(channel, G_N_ELEMENTS(s->up));
	if (s->up[channel] == NULL)
		s->up[channel] = g_byte_array_new();
	g_byte_array_append(s->up[channel], data, (guint)len);
}

static gsize
on_input(guint8 *buf, gsize max, gboolean *eof, gpointer user_data)
{
	Session *s = user_data;
	gsize n = MIN(max, s->input_len - s->input_pos);
	memcpy(buf, s->input + s->input_pos, n);
	s->input_pos += n;
	*eof = s->input_pos == s->input_len;
	return n;
}

static GString *
rtt_expected_text(void)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < TT_RTT_LINES; i++)
		g_string_append_printf(s, TT_RTT_LINE_HEAD "%02u" TT_RTT_LINE_TAIL, i);
	return s;
}

/* Up channel 0's 40 lines go through a 64-byte buffer: it wraps ~35 times */
START_TEST(test_rtt_firmware_exact)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_auto(Session) s = {0};
	g_autoptr(GString) want = rtt_expected_text();
	GlintRttStats stats = {0};

	ck_assert_msg(glint_job_rtt_run(b->session, NULL, 1000 * MS, on_rtt, NULL, &s, NULL, NULL,
					&stats, &error),
		      "%s", error ? error->message : "?");
	ck_assert_uint_eq(stats.address, TT_RTT_ADDR);
	ck_assert_ptr_nonnull(s.up[0]);
	ck_assert_uint_eq(s.up[0]->len, want->len);
	ck_assert_mem_eq(s.up[0]->data, want->str, want->len);
	ck_assert_uint_gt(want->len / TT_RTT_UP0_SIZE, 30);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, TT_CONTROL_ADDR + 12), 1); /* rtt_done */
}
END_TEST

/* Channels as declared, with their names; an address given is used as is */
START_TEST(test_rtt_channels_and_address)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	GlintRttOptions at = {.has_address = TRUE, .address = TT_RTT_ADDR};
	GlintRttOptions wrong = {.has_address = TRUE, .address = TT_RTT_ADDR + 64};
	g_autoptr(GlintRtt) rtt = glint_rtt_attach(b->session, &at, NULL, NULL, &error);
	g_autoptr(GlintRtt) none = NULL;
	const GlintRttChannel *ch;

	ck_assert_msg(rtt != NULL, "%s", error ? error->message : "?");
	ck_assert_uint_eq(glint_rtt_get_n_channels(rtt, TRUE), 2);
	ck_assert_uint_eq(glint_rtt_get_n_channels(rtt, FALSE), 1);
	ch = glint_rtt_get_channel(rtt, TRUE, 0);
	ck_assert_str_eq(ch->name, TT_RTT_UP0_NAME);
	ck_assert_uint_eq(ch->size, TT_RTT_UP0_SIZE);
	ck_assert_str_eq(glint_rtt_get_channel(rtt, TRUE, 1)->name, TT_RTT_UP1_NAME);
	ch = glint_rtt_get_channel(rtt, FALSE, 0);
	ck_assert_str_eq(ch->name, TT_RTT_DOWN0_NAME);
	ck_assert_int_eq(ch->mode, GLINT_RTT_MODE_BLOCK);
	none = glint_rtt_attach(b->session, &wrong, NULL, NULL, &error);
	ck_assert_ptr_null(none);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_FOUND));
	ck_assert_msg(strstr(error->message, "0x20000054") != NULL, "%s", error->message);
}
END_TEST

/* Down channel 0 (16 bytes) fills while the firmware does not read it: a
 * write takes what fits, the rest waits; once it reads, everything arrives
 * on up channel 1, in order */
START_TEST(test_rtt_down_full)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRtt) rtt = glint_rtt_attach(b->session, NULL, NULL, NULL, &error);
	g_auto(Session) s = {0};
	guint8 msg[100];
	gsize written = 0, sent = 0;

	ck_assert_msg(rtt != NULL, "%s", error ? error->message : "?");
	for (guint i = 0; i < sizeof(msg); i++)
		msg[i] = (guint8)('A' + i % 26);
	ck_assert(glint_rtt_write(rtt, 0, msg, sizeof(msg), &written, &error));
	ck_assert_uint_eq(written, TT_RTT_DOWN0_SIZE - 1);
	sent = written;
	glint_sim_advance_time(b->sim, 10 * MS);
	ck_assert(glint_rtt_write(rtt, 0, msg + sent, sizeof(msg) - sent, &written, &error));
	ck_assert_uint_eq(written, 0);
	poke32(b->sim, TT_READ_DOWN, 1);
	for (guint i = 0; i < 1000 && (s.up[1] == NULL || s.up[1]->len < sizeof(msg)); i++) {
		if (sent < sizeof(msg)) {
			ck_assert(glint_rtt_write(rtt, 0, msg + sent, sizeof(msg) - sent, &written,
						  &error));
			sent += written;
		}
		glint_sim_advance_time(b->sim, 1 * MS);
		ck_assert(glint_rtt_poll(rtt, on_rtt, &s, NULL, &error));
	}
	ck_assert_ptr_nonnull(s.up[1]);
	ck_assert_uint_eq(s.up[1]->len, sizeof(msg));
	ck_assert_mem_eq(s.up[1]->data, msg, sizeof(msg));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, TT_CONTROL_ADDR + 16), sizeof(msg));
}
END_TEST

/* A down channel in skip mode takes a message whole or not at all */
START_TEST(test_rtt_down_skip_mode)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRtt) rtt = NULL;
	gsize written = 99;

	glint_sim_advance_time(b->sim, 10 * MS);
	poke32(b->sim, RTT_DESC(2) + 20, 0);
	rtt = glint_rtt_attach(b->session, NULL, NULL, NULL, &error);
	ck_assert_msg(rtt != NULL, "%s", error ? error->message : "?");
	ck_assert(
	    glint_rtt_write(rtt, 0, (const guint8 *)"0123456789abcdefg", 17, &written, &error));
	ck_assert_uint_eq(written, 0);
	ck_assert(glint_rtt_write(rtt, 0, (const guint8 *)"0123456789", 10, &written, &error));
	ck_assert_uint_eq(written, 10);
}
END_TEST

/* What glint_job_rtt_run feeds down channel 0 arrives whole; what the
 * target never takes is counted */
START_TEST(test_rtt_run_input)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_auto(Session) s = {0};
	GlintRttStats stats = {0};
	static const char line[] = "a line longer than the sixteen-byte down buffer\n";

	s.input = (const guint8 *)line;
	s.input_len = sizeof(line) - 1;
	/* the firmware does not read: the input stays, counted */
	ck_assert(glint_job_rtt_run(b->session, NULL, 100 * MS, on_rtt, on_input, &s, NULL, NULL,
				    &stats, &error));
	ck_assert_uint_eq(stats.down_bytes, TT_RTT_DOWN0_SIZE - 1);
	ck_assert_uint_eq(stats.input_left, sizeof(line) - TT_RTT_DOWN0_SIZE);
	ck_assert_uint_gt(stats.polls, 5);
}
END_TEST

START_TEST(test_rtt_run_echo)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_auto(Session) s = {0};
	GlintRttStats stats = {0};
	static const char line[] = "a line longer than the sixteen-byte down buffer\n";

	poke32(b->sim, TT_READ_DOWN, 1);
	s.input = (const guint8 *)line;
	s.input_len = sizeof(line) - 1;
	ck_assert(glint_job_rtt_run(b->session, NULL, 200 * MS, on_rtt, on_input, &s, NULL, NULL,
				    &stats, &error));
	ck_assert_uint_eq(stats.input_left, 0);
	ck_assert_ptr_nonnull(s.up[1]);
	ck_assert_uint_eq(s.up[1]->len, sizeof(line) - 1);
	ck_assert_mem_eq(s.up[1]->data, line, sizeof(line) - 1);
}
END_TEST

/* Each way a control block can be damaged is refused, naming the field */
typedef struct {
	guint32 addr;
	guint32 value;
	GlintErrorCode code;
	const char *says;
} Damage;

static const Damage damages[] = {
    {TT_RTT_ADDR + 16, 0, GLINT_ERROR_CORRUPT, "declares 0 up"},
    {TT_RTT_ADDR + 20, 1000, GLINT_ERROR_CORRUPT, "1000 down"},
    {RTT_DESC(0) + 4, 0x30000000u, GLINT_ERROR_CORRUPT, "0x30000000 (64 bytes) is not inside"},
    {RTT_DESC(0) + 4, 0x2001FFF0u, GLINT_ERROR_CORRUPT, "is not inside"},
    {RTT_DESC(1) + 8, 1, GLINT_ERROR_CORRUPT, "up channel 1 has a buffer of 1 bytes"},
    {RTT_DESC(0) + 16, 9999, GLINT_ERROR_CORRUPT, "RdOff 9999"},
    {RTT_DESC(2) + 0, 0x40021000u, GLINT_ERROR_CORRUPT, "name pointer 0x40021000"},
    {RTT_DESC(1) + 0, FLASH_BASE + 4, GLINT_ERROR_CORRUPT, "is not text"},
    {RTT_DESC(2) + 20, 3, GLINT_ERROR_CORRUPT, "mode 3"},
    {TT_RTT_ADDR, 0, GLINT_ERROR_NOT_FOUND, "No SEGGER RTT control block in"},
};

START_TEST(test_rtt_corrupt)
{
	const Damage *d = &damages[_i];
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRtt) rtt = NULL;

	glint_sim_advance_time(b->sim, 10 * MS);
	poke32(b->sim, d->addr, d->value);
	rtt = glint_rtt_attach(b->session, NULL, NULL, NULL, &error);
	ck_assert_msg(rtt == NULL, "damage %d accepted", _i);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, d->code), "damage %d: %s (%s)", _i,
		      glint_error_code_to_string(error->code), error->message);
	ck_assert_msg(strstr(error->message, d->says) != NULL, "damage %d: %s", _i, error->message);
	if (d->code == GLINT_ERROR_CORRUPT)
		ck_assert_msg(strstr(error->message, "0x20000014") != NULL, "%s", error->message);
}
END_TEST

/* A block damaged after it was found is refused at the next poll */
START_TEST(test_rtt_corrupt_later)
{
	g_autoptr(Board) b = board_new("fresh", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRtt) rtt = glint_rtt_attach(b->session, NULL, NULL, NULL, &error);
	ck_assert_msg(rtt != NULL, "%s", error ? error->message : "?");
	ck_assert(glint_rtt_poll(rtt, NULL, NULL, NULL, &error));
	poke32(b->sim, RTT_DESC(0) + 8, 32);
	ck_assert(!glint_rtt_poll(rtt, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CORRUPT));
	ck_assert_msg(strstr(error->message, "moved") != NULL, "%s", error->message);
}
END_TEST

/* The demo's lines over RTT; "crash" makes it store to a reserved address
 * (DEMO_CRASH_ADDRESS): a bus fault, escalated to HardFault */
START_TEST(test_rtt_demo_crash)
{
	g_autoptr(Board) b = board_new("nucleo-l476rg:demo", FALSE);
	g_autoptr(GError) error = NULL;
	g_auto(Session) s = {0};
	g_autofree gchar *text = NULL;
	static const char cmd[] = "help\ncrash\n";

	s.input = (const guint8 *)cmd;
	s.input_len = sizeof(cmd) - 1;
	ck_assert_msg(glint_job_rtt_run(b->session, NULL, 500 * MS, on_rtt, on_input, &s, NULL,
					NULL, NULL, &error),
		      "%s", error ? error->message : "?");
	ck_assert_ptr_nonnull(s.up[0]);
	text = g_strndup((const gchar *)s.up[0]->data, s.up[0]->len);
	ck_assert_msg(strstr(text, "glint demo: commands: crash, help") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "crashing") != NULL, "%s", text);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, HFSR) & HFSR_FORCED, HFSR_FORCED);
	/* a store: through the Cortex-M4's write buffer, so imprecise and
	 * without BFAR (the fault report works the address out from the
	 * store instruction) */
	ck_assert_uint_eq(glint_sim_peek32(b->sim, CFSR) &
			      (CFSR_PRECISERR | CFSR_IMPRECISERR | CFSR_BFARVALID),
			  CFSR_IMPRECISERR);
}
END_TEST

/* ---- waiting on real hardware ------------------------------------------ */

/* A link to a real probe: no modelled clock, so a wait sleeps */
static gboolean
hw_command(GlintTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len, guint8 *in,
	   gsize in_len, guint timeout_ms, GError **error)
{
	g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_PROBE, "no probe");
	return FALSE;
}

static void
hw_finalize(GlintTransport *self)
{
	glint_probe_info_clear(&self->info);
	g_free(self);
}

static const GlintTransportClass hw_class = {.command = hw_command, .finalize = hw_finalize};

/* The SWO and RTT loops wait between empty polls; on hardware that is a
 * sleep, which Cancel (Ctrl-C) must not have to sit out: a minute's wait
 * with the cancellable fired returns at once, an uncancelled one waits */
START_TEST(test_idle_cancelled_on_hardware)
{
	GlintProbeInfo info = {.kind = GLINT_PROBE_KIND_V2};
	GlintTransport *t = g_new0(GlintTransport, 1);
	g_autoptr(GlintTransport) link = NULL;
	g_autoptr(GCancellable) cancel = g_cancellable_new();
	gint64 start;

	glint_transport_init(t, &hw_class, &info);
	link = t;
	start = g_get_monotonic_time();
	glint_transport_idle(link, 2 * MS, NULL);
	ck_assert_int_ge(g_get_monotonic_time() - start, 2000);
	g_cancellable_cancel(cancel);
	start = g_get_monotonic_time();
	glint_transport_idle(link, 60000 * MS, cancel);
	ck_assert_int_lt(g_get_monotonic_time() - start, 30 * G_USEC_PER_SEC);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("trace");
	TCase *swo = tcase_create("swo");
	TCase *itm = tcase_create("itm-decoder");
	TCase *rtt = tcase_create("rtt");
	TCase *wait = tcase_create("wait");
	SRunner *sr;
	int failed;

	tcase_add_test(swo, test_swo_firmware_exact);
	tcase_add_test(swo, test_swo_ports);
	tcase_add_test(swo, test_swo_wrong_clock);
	tcase_add_test(swo, test_swo_rates_refused);
	tcase_add_test(swo, test_swo_clock_not_measurable);
	tcase_add_test(swo, test_swo_demo);
	tcase_add_test(swo, test_swo_probe_overflow);
	tcase_add_loop_test(swo, test_swo_route_every_family, 0, G_N_ELEMENTS(route_boards));
	tcase_add_test(itm, test_itm_decoder_known);
	tcase_add_test(itm, test_itm_decoder_chunking);
	tcase_add_test(itm, test_itm_decoder_garbage);
	tcase_add_test(itm, test_itm_decoder_hunting);
	tcase_add_test(rtt, test_rtt_firmware_exact);
	tcase_add_test(rtt, test_rtt_channels_and_address);
	tcase_add_test(rtt, test_rtt_down_full);
	tcase_add_test(rtt, test_rtt_down_skip_mode);
	tcase_add_test(rtt, test_rtt_run_input);
	tcase_add_test(rtt, test_rtt_run_echo);
	tcase_add_loop_test(rtt, test_rtt_corrupt, 0, G_N_ELEMENTS(damages));
	tcase_add_test(rtt, test_rtt_corrupt_later);
	tcase_add_test(rtt, test_rtt_demo_crash);
	tcase_add_test(wait, test_idle_cancelled_on_hardware);
	suite_add_tcase(s, swo);
	suite_add_tcase(s, itm);
	suite_add_tcase(s, rtt);
	suite_add_tcase(s, wait);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
