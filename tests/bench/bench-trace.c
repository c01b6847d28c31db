/* Benchmark (issue 19, `make bench`): SWO and RTT throughput in modelled
 * time on a simulated NUCLEO-L476RG (HCLK 4 MHz, the MSI of reset).
 *
 *   SWO: firmware stores 32-bit words into ITM port 0 as fast as FIFOREADY
 *   lets it; glint's capture (glint_job_swo_capture) reads them for one
 *   modelled second at the default rate (the probe's fastest HCLK / (ACPR +
 *   1) reaches: 2 MHz on a V2, 4 MHz on a V3 where 24 MHz is allowed).
 *   RTT: firmware fills an up buffer whenever it has room; glint's session
 *   (glint_job_rtt_run) reads it for one modelled second, for buffers of
 *   256 B to 16 KiB, over a V2 and a V3. Plus the poll rate of an idle
 *   channel (the demo firmware: a line every 100 ms).
 * Every byte received is checked against what the firmware sends, so a
 * rate is never made of garbage. Prints a table and writes
 * bench-trace-results.json into the current directory. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-job.h"
#include "glint-rtt.h"
#include "glint-sim.h"
#include "glint-swo.h"

#define SRAM_BASE 0x20000000u
#define RTT_CB 0x20000800u
#define RTT_BUFFER 0x20001000u
#define DHCSR 0xE000EDF0u
#define DCRSR 0xE000EDF4u
#define DCRDR 0xE000EDF8u
#define NS_PER_S G_GINT64_CONSTANT(1000000000)

/* Thumb, at 0x20000000: r0 = stimulus port 0; r1 = 0; loop: wait for
 * FIFOREADY, store r1 (a word: 5 bytes on the pin), r1++ */
static const guint16 swo_flood[] = {
    0x4803, /* ldr r0, [pc, #12]   -> 0x10 */
    0x2100, /* movs r1, #0 */
    0x6802, /* loop: ldr r2, [r0] */
    0x2A00, /* cmp r2, #0 */
    0xD0FC, /* beq loop */
    0x6001, /* str r1, [r0] */
    0x3101, /* adds r1, #1 */
    0xE7F9, /* b loop */
};
static const guint32 swo_flood_pool[] = {0xE0000000u};

/* r0 = up buffer 0's descriptor, r1 = its buffer, r2 = its size; loop:
 * next = WrOff + 1 (wrapping); unless next == RdOff, store WrOff's low
 * byte at WrOff and advance WrOff */
static const guint16 rtt_flood[] = {
    0x4808, /* ldr r0, [pc, #32]    -> 0x24 */
    0x4909, /* ldr r1, [pc, #36]    -> 0x28 */
    0x4A09, /* ldr r2, [pc, #36]    -> 0x2C */
    0x68C3, /* loop: ldr r3, [r0, #12] */
    0x1C5C, /* adds r4, r3, #1 */
    0x4294, /* cmp r4, r2 */
    0xD100, /* bne 1f */
    0x2400, /* movs r4, #0 */
    0x6905, /* 1: ldr r5, [r0, #16] */
    0x42AC, /* cmp r4, r5 */
    0xD0F7, /* beq loop */
    0x54CB, /* strb r3, [r1, r3] */
    0x60C4, /* str r4, [r0, #12] */
    0xE7F4, /* b loop */
    0xBF00, 0xBF00, 0xBF00, 0xBF00,
};

static void
put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

/* @code and its literal pool into SRAM; the core runs it from there */
static void
load_and_run(GlintSim *sim, GlintSession *session, const guint16 *code, gsize n_code,
	     const guint32 *pool, gsize n_pool)
{
	g_autofree guint8 *image = g_malloc(2 * n_code + 4 * n_pool);
	g_autoptr(GError) error = NULL;
	for (gsize i = 0; i < n_code; i++) {
		image[2 * i] = (guint8)code[i];
		image[2 * i + 1] = (guint8)(code[i] >> 8);
	}
	for (gsize i = 0; i < n_pool; i++)
		put32(image + 2 * n_code + 4 * i, pool[i]);
	g_assert_true(glint_sim_poke(sim, SRAM_BASE, image, 2 * n_code + 4 * n_pool));
	/* halted by the connect: PC, xPSR, then run (through the debug
	 * registers, as a debugger does) */
	g_assert_true(glint_sim_bus_write(sim, DCRDR, 4, SRAM_BASE | 1u));
	g_assert_true(glint_sim_bus_write(sim, DCRSR, 4, 0x1000Fu));
	g_assert_true(glint_sim_bus_write(sim, DCRDR, 4, 0x01000000u));
	g_assert_true(glint_sim_bus_write(sim, DCRSR, 4, 0x10010u));
	g_assert_true(glint_sim_bus_write(sim, DHCSR, 4, 0xA05F0001u));
	(void)session;
	(void)error;
}

static void
connect(GlintSim **sim, GlintSession **session, const char *spec, GlintProbeKind kind)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	*sim = glint_sim_new(spec, &error);
	g_assert_no_error(error);
	glint_sim_set_probe_kind(*sim, kind);
	transport = glint_sim_transport_new(*sim);
	*session = glint_session_new(transport);
	g_assert_true(glint_job_connect(*session, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
}

typedef struct {
	guint64 payload;
	guint32 next; /* the word expected next */
	gboolean broken;
} SwoCount;

static void
on_swo(const GlintItmPacket *p, gpointer user_data)
{
	SwoCount *c = user_data;
	if (p->kind != GLINT_ITM_SOURCE)
		return;
	/* the first word seen sets where the count is */
	if (c->payload > 0 && p->value != c->next)
		c->broken = TRUE;
	c->next = p->value + 1;
	c->payload += p->size;
}

static GString *json;

static void
record(const char *name, gdouble value, const char *unit)
{
	printf("  %-44s %12.0f %s\n", name, value, unit);
	g_string_append_printf(json, "%s  \"%s\": %.0f", json->len > 2 ? ",\n" : "", name, value);
}

static void
bench_swo(GlintProbeKind kind, const char *probe)
{
	GlintSim *sim = NULL;
	GlintSession *session = NULL;
	g_autoptr(GError) error = NULL;
	GlintSwoConfig config = {.core_clock_hz = 4000000, .ports = 1};
	GlintSwoSetup setup = {0};
	GlintItmStats stats = {0};
	SwoCount count = {0};
	GlintSimStats sim_stats;
	gint64 t0;
	gdouble seconds;
	g_autofree gchar *line = NULL;

	connect(&sim, &session, "fresh", kind);
	load_and_run(sim, session, swo_flood, G_N_ELEMENTS(swo_flood), swo_flood_pool,
		     G_N_ELEMENTS(swo_flood_pool));
	t0 = glint_sim_get_time_ns(sim);
	if (!glint_job_swo_capture(session, &config, NS_PER_S, on_swo, &count, NULL, NULL, &setup,
				   &stats, &error))
		g_error("SWO capture: %s", error->message);
	seconds = (glint_sim_get_time_ns(sim) - t0) / 1e9;
	glint_sim_get_stats(sim, &sim_stats);
	if (count.broken || stats.lost > 0 || stats.garbage_bytes > 0)
		g_error("SWO over %s: the words did not arrive in order (%" G_GUINT64_FORMAT
			" losses, %" G_GUINT64_FORMAT " garbage bytes)",
			probe, stats.lost, stats.garbage_bytes);
	line = g_strdup_printf("swo-%s-%ubaud-bytes-per-s", probe, setup.baud);
	record(line, stats.bytes / seconds, "B/s on the pin");
	g_free(line);
	line = g_strdup_printf("swo-%s-%ubaud-payload-per-s", probe, setup.baud);
	record(line, count.payload / seconds, "B/s of port 0 data");
	glint_job_disconnect(session);
	glint_session_unref(session);
	glint_sim_unref(sim);
}

typedef struct {
	guint64 bytes;
	guint8 next;
	gboolean broken;
} RttCount;

static void
on_rtt(guint channel, const guint8 *data, gsize len, gpointer user_data)
{
	RttCount *c = user_data;
	for (gsize i = 0; i < len; i++) {
		if (data[i] != c->next)
			c->broken = TRUE;
		c->next = (guint8)(data[i] + 1);
	}
	c->bytes += len;
}

/* A control block with one up buffer of @size bytes at RTT_BUFFER */
static void
rtt_block(GlintSim *sim, guint32 size)
{
	guint8 cb[24 + 24] = "SEGGER RTT";
	put32(cb + 16, 1);
	put32(cb + 20, 0);
	put32(cb + 24 + 4, RTT_BUFFER);
	put32(cb + 24 + 8, size);
	put32(cb + 24 + 20, 2);
	g_assert_true(glint_sim_poke(sim, RTT_CB, cb, sizeof(cb)));
}

static void
bench_rtt(GlintProbeKind kind, const char *probe, guint32 size)
{
	GlintSim *sim = NULL;
	GlintSession *session = NULL;
	g_autoptr(GError) error = NULL;
	GlintRttOptions options = {.has_address = TRUE, .address = RTT_CB};
	GlintRttStats stats = {0};
	RttCount count = {0};
	guint32 pool[] = {RTT_CB + 24, RTT_BUFFER, size};
	g_autofree gchar *line = NULL;

	connect(&sim, &session, "fresh", kind);
	rtt_block(sim, size);
	load_and_run(sim, session, rtt_flood, G_N_ELEMENTS(rtt_flood), pool, G_N_ELEMENTS(pool));
	if (!glint_job_rtt_run(session, &options, NS_PER_S, on_rtt, NULL, &count, NULL, NULL,
			       &stats, &error))
		g_error("RTT: %s", error->message);
	if (count.broken)
		g_error("RTT over %s with %u bytes: the bytes did not arrive in order", probe,
			size);
	line = g_strdup_printf("rtt-%s-%ubuffer-bytes-per-s", probe, size);
	record(line, stats.up_bytes / (stats.device_ns / 1e9), "B/s");
	g_free(line);
	line = g_strdup_printf("rtt-%s-%ubuffer-polls-per-s", probe, size);
	record(line, stats.polls / (stats.device_ns / 1e9), "polls/s");
	glint_job_disconnect(session);
	glint_session_unref(session);
	glint_sim_unref(sim);
}

/* The demo: a line every 100 ms, the channel idle in between */
static void
bench_rtt_idle(void)
{
	GlintSim *sim = NULL;
	GlintSession *session = NULL;
	g_autoptr(GError) error = NULL;
	GlintRttStats stats = {0};

	connect(&sim, &session, "nucleo-l476rg:demo", GLINT_PROBE_KIND_V2);
	if (!glint_job_rtt_run(session, NULL, NS_PER_S, NULL, NULL, NULL, NULL, NULL, &stats,
			       &error))
		g_error("RTT on the demo: %s", error->message);
	record("rtt-v2-demo-polls-per-s", stats.polls / (stats.device_ns / 1e9), "polls/s");
	record("rtt-v2-demo-bytes-per-s", stats.up_bytes / (stats.device_ns / 1e9), "B/s");
	glint_job_disconnect(session);
	glint_session_unref(session);
	glint_sim_unref(sim);
}

int
main(void)
{
	static const guint32 sizes[] = {256, 1024, 4096, 16384};
	g_autoptr(GError) error = NULL;

	json = g_string_new("{\n");
	printf("SWO and RTT throughput, per modelled second (HCLK 4 MHz):\n");
	bench_swo(GLINT_PROBE_KIND_V2, "v2");
	bench_swo(GLINT_PROBE_KIND_V3, "v3");
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		bench_rtt(GLINT_PROBE_KIND_V2, "v2", sizes[i]);
		bench_rtt(GLINT_PROBE_KIND_V3, "v3", sizes[i]);
	}
	bench_rtt_idle();
	g_string_append(json, "\n}\n");
	if (!g_file_set_contents("bench-trace-results.json", json->str, -1, &error))
		g_printerr("bench-trace-results.json: %s\n", error->message);
	g_string_free(json, TRUE);
	return 0;
}
