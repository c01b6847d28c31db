/* The emulated trace path (sim-trace.c): ITM stimulus stores become the
 * packets ARMv7-M D4.2 defines, go out on the SWO pin at the rate the TPIU
 * makes of HCLK, and reach the host through START_TRACE_RX, GET_TRACE_NB
 * and the trace endpoint as a UART at the probe's rate samples them. What
 * stops them on the way is what stops them on a bench: the pin not
 * assigned (DBGMCU_CR.TRACE_IOEN), Manchester or the formatter, a rate the
 * probe is not set to, a full ITM FIFO (Overflow packet), a full probe
 * buffer. DWT_CYCCNT counts the core's cycles; local timestamps and
 * synchronization packets come when the ITM is told to send them. The
 * trace tests' firmware (tests/firmware/trace-test) is read back exactly. */
#include "sim-test.h"

#include "sim-private.h"
#include "trace-test-image.h"
#include "trace-test.h"

#define DBGMCU_CR 0xE0042004u
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DEMCR_TRCENA (1u << 24)
#define ITM_STIM(n) (0xE0000000u + 4u * (n))
#define ITM_TER 0xE0000E00u
#define ITM_TCR 0xE0000E80u
#define ITM_LAR 0xE0000FB0u
#define ITM_LSR 0xE0000FB4u
#define ITM_TCR_ITMENA (1u << 0)
#define ITM_TCR_TSENA (1u << 1)
#define ITM_TCR_SYNCENA (1u << 2)
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define DWT_CTRL_SYNCTAP_24 (1u << 10)
#define TPIU_ACPR 0xE0040010u
#define TPIU_SPPR 0xE00400F0u
#define TPIU_FFCR 0xE0040304u
#define SPPR_MANCHESTER 1u
#define SPPR_NRZ 2u
#define FFCR_FORMATTER_OFF 0x100u
#define HCLK_RESET 4000000u /* L4: MSI 4 MHz */
#define SWO_2MHZ 2000000u

/* ---- probe commands -------------------------------------------------- */

static guint8
trace_start(GlintSim *sim, guint16 size, guint32 baud)
{
	guint8 cmd[16] = {0xF2, 0x40, (guint8)size, (guint8)(size >> 8)};
	guint8 r[2] = {0};
	st_put32(cmd + 4, baud);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	return r[0];
}

static guint
trace_count(GlintSim *sim)
{
	guint8 cmd[16] = {0xF2, 0x42};
	guint8 r[2] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	return r[0] | r[1] << 8;
}

/* GET_TRACE_NB, then the trace endpoint: what a host gets in one poll */
static GByteArray *
trace_poll(GlintSim *sim)
{
	guint n = trace_count(sim);
	GByteArray *a = g_byte_array_sized_new(n);
	g_byte_array_set_size(a, n);
	ck_assert_uint_eq(glint_sim_trace_in(sim, a->data, n), n);
	return a;
}

/* Polls until @want bytes arrived (the board's time passes) */
static GByteArray *
trace_collect(GlintSim *sim, guint want)
{
	GByteArray *all = g_byte_array_new();
	for (guint i = 0; i < 10000 && all->len < want; i++) {
		g_autoptr(GByteArray) part = NULL;
		glint_sim_advance_time(sim, 1000000);
		part = trace_poll(sim);
		g_byte_array_append(all, part->data, part->len);
	}
	return all;
}

/* ---- set-up as a debugger does it ------------------------------------ */

typedef struct {
	guint32 acpr;
	guint32 sppr;
	guint32 ffcr;
	gboolean pin;
	guint32 tcr;
} SwoSetup;

static const SwoSetup swo_2mhz = {HCLK_RESET / SWO_2MHZ - 1, SPPR_NRZ, FFCR_FORMATTER_OFF, TRUE,
				  ITM_TCR_ITMENA};

/* The core's part: ITM, TPIU, TRCENA */
static void
swo_configure_core(GlintSim *sim, const SwoSetup *s)
{
	ck_assert_uint_eq(st_write32(sim, DEMCR, DEMCR_TRCENA), 0x80);
	ck_assert_uint_eq(st_write32(sim, TPIU_ACPR, s->acpr), 0x80);
	ck_assert_uint_eq(st_write32(sim, TPIU_SPPR, s->sppr), 0x80);
	ck_assert_uint_eq(st_write32(sim, TPIU_FFCR, s->ffcr), 0x80);
	ck_assert_uint_eq(st_write32(sim, ITM_TER, 0xFFFFFFFFu), 0x80);
	ck_assert_uint_eq(st_write32(sim, ITM_TCR, s->tcr), 0x80);
}

/* ... and the chip's: the pin (DBGMCU_CR.TRACE_IOEN) */
static void
swo_configure(GlintSim *sim, const SwoSetup *s)
{
	ck_assert_uint_eq(st_write32(sim, DBGMCU_CR, s->pin ? DBGMCU_CR_TRACE_IOEN : 0), 0x80);
	swo_configure_core(sim, s);
}

static GlintSim *
swo_board(const SwoSetup *s, guint16 rx_size, guint32 rx_baud)
{
	GlintSim *sim = sim_new_ok("fresh");
	st_enter_swd(sim);
	swo_configure(sim, s);
	ck_assert_uint_eq(trace_start(sim, rx_size, rx_baud), 0x80);
	return sim;
}

/* A store into stimulus port @port as the debugger's AHB access makes it */
static void
stim(GlintSim *sim, guint port, guint size, guint32 value)
{
	ck_assert(glint_sim_bus_write(sim, ITM_STIM(port), size, value));
}

static void
assert_bytes(const GByteArray *got, const guint8 *want, gsize n)
{
	ck_assert_msg(got->len == n, "got %u bytes, want %zu", got->len, n);
	for (gsize i = 0; i < n; i++)
		ck_assert_msg(got->data[i] == want[i], "byte %zu: 0x%02x, want 0x%02x", i,
			      got->data[i], want[i]);
}

/* ---- packets ----------------------------------------------------------- */

/* ARMv7-M D4.2.8: header = port << 3 | size code (01, 10, 11), payload
 * little endian */
START_TEST(test_source_packets)
{
	g_autoptr(GlintSim) sim = swo_board(&swo_2mhz, 4096, SWO_2MHZ);
	g_autoptr(GByteArray) got = NULL;
	static const guint8 want[] = {0x01, 'A',  0x0A, 0x34, 0x12, 0x13, 0xEF,
				      0xBE, 0xAD, 0xDE, 0xF9, 0x5A, 0x39, 0x80};

	stim(sim, 0, 1, 'A');
	stim(sim, 1, 2, 0x1234);
	stim(sim, 2, 4, 0xDEADBEEFu);
	stim(sim, 31, 1, 0x5A);
	/* a byte store at offset 1 of port 7 sends that byte */
	ck_assert(glint_sim_bus_write(sim, ITM_STIM(7) + 1, 1, 0x80));
	got = trace_collect(sim, sizeof(want));
	assert_bytes(got, want, sizeof(want));
}
END_TEST

/* Ports TER leaves off, an ITM without ITMENA or without DEMCR.TRCENA send
 * nothing */
START_TEST(test_disabled_ports_send_nothing)
{
	g_autoptr(GlintSim) sim = swo_board(&swo_2mhz, 4096, SWO_2MHZ);
	g_autoptr(GByteArray) got = NULL;
	static const guint8 want[] = {0x01, 'k'};

	ck_assert_uint_eq(st_write32(sim, ITM_TER, 1u), 0x80);
	stim(sim, 1, 1, 'x');
	stim(sim, 0, 1, 'k');
	ck_assert_uint_eq(st_write32(sim, ITM_TCR, 0), 0x80);
	stim(sim, 0, 1, 'y');
	ck_assert_uint_eq(st_write32(sim, ITM_TCR, ITM_TCR_ITMENA), 0x80);
	ck_assert_uint_eq(st_write32(sim, DEMCR, 0), 0x80);
	stim(sim, 0, 1, 'z');
	got = trace_collect(sim, 100);
	assert_bytes(got, want, sizeof(want));
}
END_TEST

/* ---- what reaches the probe ------------------------------------------- */

/* Each case stores the same bytes; only what the pin and the probe make of
 * them differs */
static guint
bytes_received(const SwoSetup *s, guint32 rx_baud, GByteArray **out)
{
	g_autoptr(GlintSim) sim = swo_board(s, 4096, rx_baud);
	GByteArray *got;
	guint len;
	for (guint i = 0; i < 16; i++) {
		while ((bus_r32(sim, ITM_STIM(0)) & 1u) == 0)
			glint_sim_advance_time(sim, 5000);
		stim(sim, 0, 1, 0x41 + i);
	}
	got = trace_collect(sim, 1000);
	len = got->len;
	if (out != NULL)
		*out = got;
	else
		g_byte_array_unref(got);
	return len;
}

START_TEST(test_pin_not_assigned)
{
	SwoSetup s = swo_2mhz;
	s.pin = FALSE;
	ck_assert_uint_eq(bytes_received(&s, SWO_2MHZ, NULL), 0);
	ck_assert_uint_eq(bytes_received(&swo_2mhz, SWO_2MHZ, NULL), 32);
}
END_TEST

/* The ST-LINK's UART cannot read Manchester, nor TPIU frames */
START_TEST(test_manchester_and_formatter_unreadable)
{
	SwoSetup manchester = swo_2mhz, formatter = swo_2mhz;
	manchester.sppr = SPPR_MANCHESTER;
	formatter.ffcr = 0x102;
	ck_assert_uint_eq(bytes_received(&manchester, SWO_2MHZ, NULL), 0);
	ck_assert_uint_eq(bytes_received(&formatter, SWO_2MHZ, NULL), 0);
}
END_TEST

/* A UART tolerates a small rate error; 10 % off reads garbage (or
 * framing errors) */
START_TEST(test_probe_rate)
{
	GByteArray *close = NULL, *far = NULL;
	gboolean differs = FALSE;
	static const guint8 first[] = {0x01, 0x41, 0x01, 0x42};

	ck_assert_uint_eq(bytes_received(&swo_2mhz, SWO_2MHZ * 99 / 100, &close), 32);
	ck_assert_mem_eq(close->data, first, sizeof(first));
	bytes_received(&swo_2mhz, SWO_2MHZ * 9 / 10, &far);
	for (guint i = 0; i < MIN(far->len, close->len); i++)
		differs |= far->data[i] != close->data[i];
	ck_assert_msg(differs || far->len != close->len, "a 10 %% rate error read clean bytes");
	g_byte_array_unref(close);
	g_byte_array_unref(far);
}
END_TEST

/* The probe keeps what fits in the buffer START_TRACE_RX asked for; the
 * bytes after are lost (the host sees a full buffer) */
START_TEST(test_probe_buffer_overflow)
{
	g_autoptr(GlintSim) sim = swo_board(&swo_2mhz, 16, SWO_2MHZ);
	g_autoptr(GByteArray) got = NULL;
	GlintSimStats stats;
	guint8 want[16];

	for (guint i = 0; i < 50; i++) {
		/* wait for FIFOREADY, as firmware does */
		while ((bus_r32(sim, ITM_STIM(0)) & 1u) == 0)
			glint_sim_advance_time(sim, 5000);
		stim(sim, 0, 1, i);
	}
	glint_sim_advance_time(sim, 10000000);
	ck_assert_uint_eq(trace_count(sim), 16);
	got = trace_poll(sim);
	for (guint i = 0; i < 8; i++) {
		want[2 * i] = 0x01;
		want[2 * i + 1] = (guint8)i;
	}
	assert_bytes(got, want, sizeof(want));
	glint_sim_get_stats(sim, &stats);
	ck_assert_uint_eq(stats.swo_probe_bytes, 16);
	ck_assert_uint_eq(stats.swo_probe_dropped, 100 - 16);
	ck_assert_uint_eq(trace_count(sim), 0);
}
END_TEST

/* The trace endpoint gives only what GET_TRACE_NB announced, also when
 * more has arrived since */
START_TEST(test_endpoint_needs_count)
{
	g_autoptr(GlintSim) sim = swo_board(&swo_2mhz, 4096, SWO_2MHZ);
	guint8 buf[16];
	guint32 v;
	stim(sim, 0, 1, 'a');
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(glint_sim_trace_in(sim, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(trace_count(sim), 2);
	stim(sim, 0, 1, 'b');
	glint_sim_advance_time(sim, 1000000);
	/* any command lets the probe take in what ended meanwhile */
	ck_assert_uint_eq(st_read32(sim, ITM_TCR, &v), 0x80);
	ck_assert_uint_eq(glint_sim_trace_in(sim, buf, 1), 1);
	ck_assert_uint_eq(glint_sim_trace_in(sim, buf + 1, sizeof(buf)), 1);
	ck_assert_uint_eq(glint_sim_trace_in(sim, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(buf[0], 0x01);
	ck_assert_uint_eq(buf[1], 'a');
	ck_assert_uint_eq(trace_count(sim), 2);
	ck_assert_uint_eq(glint_sim_trace_in(sim, buf, sizeof(buf)), 2);
	ck_assert_uint_eq(buf[1], 'b');
}
END_TEST

/* The rates a probe has: a V2 samples at most 2 MHz, a V3 24 MHz; STOP
 * closes the receiver */
START_TEST(test_probe_rates_and_stop)
{
	g_autoptr(GlintSim) v2 = sim_new_ok("fresh");
	g_autoptr(GlintSim) v3 = sim_new_ok("fresh");
	guint8 stop[16] = {0xF2, 0x41};
	guint8 r[2];
	glint_sim_set_probe_kind(v3, GLINT_PROBE_KIND_V3);
	st_enter_swd(v2);
	st_enter_swd(v3);
	ck_assert_uint_eq(trace_start(v2, 4096, 3000000), 0x08);
	ck_assert_uint_eq(trace_start(v2, 0, 2000000), 0x08);
	ck_assert_uint_eq(trace_start(v3, 4096, 24000000), 0x80);
	ck_assert_uint_eq(trace_start(v2, 4096, 2000000), 0x80);
	swo_configure(v2, &swo_2mhz);
	ck_assert_uint_eq(st_xfer(v2, stop, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x80);
	stim(v2, 0, 1, 'x');
	glint_sim_advance_time(v2, 1000000);
	ck_assert_uint_eq(trace_count(v2), 0);
}
END_TEST

/* ---- timing, FIFO, overflow --------------------------------------------- */

/* 10 bits a byte at HCLK / (ACPR + 1): at 2 MHz a byte ends every 5 us,
 * at 100 kHz every 100 us */
START_TEST(test_line_rate)
{
	g_autoptr(GlintSim) sim = swo_board(&swo_2mhz, 4096, SWO_2MHZ);
	stim(sim, 2, 4, 0x11223344u);
	glint_sim_advance_time(sim, 24000);
	ck_assert_uint_eq(trace_count(sim), 4);
	glint_sim_advance_time(sim, 1000);
	ck_assert_uint_eq(trace_count(sim), 5);
	(void)trace_poll(sim);
	ck_assert_uint_eq(st_write32(sim, TPIU_ACPR, 39), 0x80);
	ck_assert_uint_eq(trace_start(sim, 4096, 100000), 0x80);
	stim(sim, 2, 4, 0x11223344u);
	glint_sim_advance_time(sim, 250000);
	ck_assert_uint_eq(trace_count(sim), 2);
	glint_sim_advance_time(sim, 250000);
	ck_assert_uint_eq(trace_count(sim), 5);
}
END_TEST

/* Stores without waiting for FIFOREADY: some are lost, and the next packet
 * that fits follows an Overflow packet (0x70) */
START_TEST(test_itm_overflow)
{
	g_autoptr(GlintSim) sim = swo_board(&swo_2mhz, 4096, SWO_2MHZ);
	g_autoptr(GByteArray) got = NULL;
	GlintSimStats stats;
	gboolean seen_overflow = FALSE;
	guint packets = 0;

	ck_assert_uint_eq(bus_r32(sim, ITM_STIM(0)) & 1u, 1);
	for (guint i = 0; i < 40; i++)
		stim(sim, 2, 4, i);
	ck_assert_uint_eq(bus_r32(sim, ITM_STIM(0)) & 1u, 0);
	glint_sim_get_stats(sim, &stats);
	ck_assert_uint_gt(stats.itm_overflows, 0);
	glint_sim_advance_time(sim, 5000000);
	ck_assert_uint_eq(bus_r32(sim, ITM_STIM(0)) & 1u, 1);
	stim(sim, 2, 4, 0xCAFEu);
	got = trace_collect(sim, 4096);
	for (guint i = 0; i < got->len;) {
		if (got->data[i] == 0x70) {
			seen_overflow = TRUE;
			i++;
			continue;
		}
		ck_assert_uint_eq(got->data[i], 0x13);
		packets++;
		i += 5;
	}
	ck_assert(seen_overflow);
	ck_assert_uint_eq(got->data[got->len - 6], 0x70);
	ck_assert_uint_eq(packets + stats.itm_overflows, 41);
}
END_TEST

/* Local timestamps (D4.2.4): after each packet, the count of HCLK ticks
 * (TSPrescale 1) since the previous one: one byte for 1-6, else a header
 * 0xC0 and 7-bit groups */
START_TEST(test_local_timestamps)
{
	SwoSetup s = swo_2mhz;
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GByteArray) got = NULL;
	guint32 ticks = 0;

	s.tcr = ITM_TCR_ITMENA | ITM_TCR_TSENA;
	sim = swo_board(&s, 4096, SWO_2MHZ);
	/* the core must run for the timestamp counter to move: a loop */
	{
		static const guint8 loop[] = {0xFE, 0xE7}; /* b . */
		ck_assert(glint_sim_poke(sim, 0x20000000u, loop, sizeof(loop)));
		ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0003u), 0x80);
		ck_assert_uint_eq(st_write32(sim, 0xE000EDF8u, 0x20000001u), 0x80); /* DCRDR */
		ck_assert_uint_eq(st_write32(sim, 0xE000EDF4u, 0x1000Fu), 0x80);    /* PC */
		ck_assert_uint_eq(st_write32(sim, 0xE000EDF8u, 0x01000000u), 0x80);
		ck_assert_uint_eq(st_write32(sim, 0xE000EDF4u, 0x10010u), 0x80); /* xPSR */
		ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0001u), 0x80);
	}
	glint_sim_advance_time(sim, 1000000);
	stim(sim, 0, 1, 'a');
	glint_sim_advance_time(sim, 1000000);
	stim(sim, 0, 1, 'b');
	got = trace_collect(sim, 10);
	/* 01 'a' LTS1(...) 01 'b' LTS1(...) */
	ck_assert_uint_ge(got->len, 8);
	ck_assert_uint_eq(got->data[0], 0x01);
	ck_assert_uint_eq(got->data[1], 'a');
	ck_assert_uint_eq(got->data[2], 0xC0);
	{
		guint i = 3;
		guint shift = 0;
		while (got->data[i] & 0x80) {
			ticks |= (guint32)(got->data[i++] & 0x7F) << shift;
			shift += 7;
		}
		ticks |= (guint32)got->data[i++] << shift;
		ck_assert_uint_eq(got->data[i], 0x01);
		ck_assert_uint_eq(got->data[i + 1], 'b');
		ck_assert_uint_eq(got->data[i + 2], 0xC0);
	}
	/* 'a' came after about 1.5 ms of the core's 4 MHz */
	ck_assert_uint_gt(ticks, 4000);
	ck_assert_uint_lt(ticks, 12000);
}
END_TEST

/* DWT_CYCCNT counts the core's cycles while CYCCNTENA and TRCENA are set */
START_TEST(test_cyccnt)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg:demo");
	guint32 a = 0, b = 0, c = 0;
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DEMCR, DEMCR_TRCENA), 0x80);
	ck_assert_uint_eq(st_write32(sim, DWT_CTRL, DWT_CTRL_CYCCNTENA), 0x80);
	ck_assert_uint_eq(st_read32(sim, DWT_CYCCNT, &a), 0x80);
	glint_sim_advance_time(sim, 10000000);
	ck_assert_uint_eq(st_read32(sim, DWT_CYCCNT, &b), 0x80);
	/* 10 ms at 4 MHz, plus the commands' own time */
	ck_assert_uint_ge(b - a, 40000);
	ck_assert_uint_lt(b - a, 46000);
	ck_assert_uint_eq(st_write32(sim, DEMCR, 0), 0x80);
	ck_assert_uint_eq(st_read32(sim, DWT_CYCCNT, &a), 0x80);
	glint_sim_advance_time(sim, 10000000);
	ck_assert_uint_eq(st_read32(sim, DWT_CYCCNT, &c), 0x80);
	ck_assert_uint_eq(a, c);
	ck_assert_uint_eq(st_write32(sim, DWT_CYCCNT, 7), 0x80);
	ck_assert_uint_eq(st_read32(sim, DWT_CYCCNT, &c), 0x80);
	ck_assert_uint_eq(c, 7);
}
END_TEST

/* SYNCENA with DWT_CTRL.SYNCTAP at CYCCNT bit 24: a synchronization packet
 * (five zero bytes, then 0x80) once bit 24 has toggled */
START_TEST(test_sync_packets)
{
	SwoSetup s = swo_2mhz;
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GByteArray) got = NULL;
	static const guint8 want[] = {0x01, 'a', 0, 0, 0, 0, 0, 0x80, 0x01, 'b'};

	s.tcr = ITM_TCR_ITMENA | ITM_TCR_SYNCENA;
	sim = swo_board(&s, 4096, SWO_2MHZ);
	ck_assert_uint_eq(st_write32(sim, DWT_CTRL, DWT_CTRL_CYCCNTENA | DWT_CTRL_SYNCTAP_24),
			  0x80);
	stim(sim, 0, 1, 'a');
	ck_assert_uint_eq(st_write32(sim, DWT_CYCCNT, 1u << 24), 0x80);
	stim(sim, 0, 1, 'b');
	got = trace_collect(sim, sizeof(want));
	assert_bytes(got, want, sizeof(want));
}
END_TEST

/* ---- the core's own stores -------------------------------------------- */

/* The core writes the ITM's control registers only after the CoreSight
 * unlock key; the debugger is not held by the lock */
START_TEST(test_itm_lock)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	/* r0 = ITM_TCR; r1 = 1; str r1,[r0]; r2 = LAR; r3 = key; str r3,[r2];
	 * str r1,[r0]; bkpt */
	static const guint16 code[] = {0x4803, 0x2101, 0x6001, 0x4A03,
				       0x4B03, 0x6013, 0x6001, 0xBE00};
	guint8 image[sizeof(code) + 12];
	guint32 v = 0;
	for (guint i = 0; i < G_N_ELEMENTS(code); i++) {
		image[2 * i] = (guint8)code[i];
		image[2 * i + 1] = (guint8)(code[i] >> 8);
	}
	/* the literal pool right after the code, at +0x10 */
	st_put32(image + 0x10, ITM_TCR);
	st_put32(image + 0x14, ITM_LAR);
	st_put32(image + 0x18, 0xC5ACCE55u);
	ck_assert(glint_sim_poke(sim, 0x20000000u, image, 0x1C));
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DEMCR, DEMCR_TRCENA), 0x80);
	ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0003u), 0x80);
	/* run to the first store only: step three instructions */
	ck_assert_uint_eq(st_write32(sim, 0xE000EDF8u, 0x20000000u), 0x80);
	ck_assert_uint_eq(st_write32(sim, 0xE000EDF4u, 0x1000Fu), 0x80);
	ck_assert_uint_eq(st_write32(sim, 0xE000EDF8u, 0x01000000u), 0x80);
	ck_assert_uint_eq(st_write32(sim, 0xE000EDF4u, 0x10010u), 0x80);
	for (guint i = 0; i < 3; i++)
		ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0005u), 0x80);
	ck_assert_uint_eq(st_read32(sim, ITM_TCR, &v), 0x80);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0001u), 0x80);
	ck_assert_uint_eq(st_read32(sim, ITM_TCR, &v), 0x80);
	ck_assert_uint_eq(v, ITM_TCR_ITMENA);
	/* the debugger's own write is not held by the lock */
	ck_assert_uint_eq(st_write32(sim, ITM_TCR, 0), 0x80);
	ck_assert_uint_eq(st_read32(sim, ITM_TCR, &v), 0x80);
	ck_assert_uint_eq(v, 0);
}
END_TEST

/* The expected SWO stream of trace-test (no timestamps) */
static GByteArray *
trace_test_stream(void)
{
	static const char text[] = TT_ITM_TEXT;
	static const guint16 halfwords[] = TT_ITM_HALFWORDS;
	static const guint32 words[] = TT_ITM_WORDS;
	GByteArray *a = g_byte_array_new();
	for (guint i = 0; i < sizeof(text) - 1; i++) {
		guint8 p[] = {0x01, (guint8)text[i]};
		g_byte_array_append(a, p, sizeof(p));
	}
	for (guint i = 0; i < G_N_ELEMENTS(halfwords); i++) {
		guint8 p[] = {0x0A, (guint8)halfwords[i], (guint8)(halfwords[i] >> 8)};
		g_byte_array_append(a, p, sizeof(p));
	}
	for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
		guint8 p[] = {0x13, (guint8)words[i], (guint8)(words[i] >> 8),
			      (guint8)(words[i] >> 16), (guint8)(words[i] >> 24)};
		g_byte_array_append(a, p, sizeof(p));
	}
	for (guint i = 0; i < 256; i++) {
		guint8 p[] = {0x19, (guint8)i};
		g_byte_array_append(a, p, sizeof(p));
	}
	{
		guint8 p[] = {0xF9, TT_ITM_LAST};
		g_byte_array_append(a, p, sizeof(p));
	}
	return a;
}

/* The trace tests' firmware, run by the emulated core, stores every ITM
 * item; the host reads the exact stream */
START_TEST(test_firmware_stream)
{
	g_autoptr(GlintSim) sim = sim_new_ok("fresh");
	g_autoptr(GByteArray) want = trace_test_stream();
	g_autoptr(GByteArray) got = NULL;
	ck_assert(glint_sim_poke(sim, FLASH_BASE, tt_firmware_image, sizeof(tt_firmware_image)));
	glint_sim_power_cycle(sim);
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(glint_sim_peek32(sim, TT_CONTROL_ADDR), TT_MAGIC);
	st_enter_swd(sim);
	ck_assert_uint_eq(trace_start(sim, 4096, SWO_2MHZ), 0x80);
	swo_configure(sim, &swo_2mhz);
	got = trace_collect(sim, want->len);
	assert_bytes(got, want->data, want->len);
	ck_assert_uint_eq(glint_sim_peek32(sim, TT_CONTROL_ADDR + 8), 1); /* itm_done */
}
END_TEST

/* ---- the demo scenario -------------------------------------------------- */

/* What the demo printed into its RTT up buffer (somewhere in its 2 KB) */
static gchar *
demo_rtt_text(GlintSim *sim)
{
	guint8 ram[2048];
	ck_assert(glint_sim_peek(sim, 0x20000000u, ram, sizeof(ram)));
	for (guint i = 0; i < sizeof(ram); i++) {
		if (ram[i] < 0x20 && ram[i] != '\n')
			ram[i] = ' ';
	}
	return g_strndup((const gchar *)ram, sizeof(ram));
}

/* On the NUCLEO-L476RG it blinks LD2 (PA5) every 250 ms and prints a line
 * every 100 ms */
START_TEST(test_demo_nucleo)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg:demo");
	g_autofree gchar *text = NULL;
	glint_sim_advance_time(sim, 1050000000);
	ck_assert_uint_eq(glint_sim_get_gpio_toggles(sim, 0, 5), 4);
	text = demo_rtt_text(sim);
	ck_assert_msg(strstr(text, "glint demo: counter=10\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "glint demo: counter=11") == NULL, "%s", text);
}
END_TEST

/* Another board's LED, from its row in the board table: a NUCLEO-L432KC's
 * LD3 is on PB3 (UM1956) */
START_TEST(test_demo_board_led)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l432kc:demo");
	glint_sim_advance_time(sim, 1050000000);
	ck_assert_uint_eq(glint_sim_get_gpio_toggles(sim, 1, 3), 4);
	ck_assert_uint_eq(glint_sim_get_gpio_toggles(sim, 0, 5), 0);
}
END_TEST

/* On an ARMv6-M chip (the L053's Cortex-M0+ at its 2.1 MHz MSI) the demo
 * prints over RTT only and keeps time from its own clock */
START_TEST(test_demo_armv6m)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l053r8:demo");
	g_autofree gchar *text = NULL;
	GlintSimStats stats;
	glint_sim_advance_time(sim, 1050000000);
	text = demo_rtt_text(sim);
	ck_assert_msg(strstr(text, "glint demo: counter=10\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "glint demo: counter=11") == NULL, "%s", text);
	ck_assert_uint_eq(glint_sim_get_gpio_toggles(sim, 0, 5), 4);
	glint_sim_get_stats(sim, &stats);
	ck_assert_uint_eq(stats.swo_line_bytes, 0);
}
END_TEST

/* Whether the machine's GPIO ports are the shared model, which counts a
 * pin's toggles (the F0/F1/F3 keep theirs as plain storage) */
static gboolean
machine_counts_toggles(const SimMachine *m)
{
	for (guint i = 0; i < m->n_periphs; i++) {
		if (m->periphs[i].read == sim_gpio_read)
			return TRUE;
	}
	return FALSE;
}

/* How each family routes SWO to its pin, as the reference manuals give it */
typedef enum {
	ROUTE_NONE,	  /* ARMv6-M: no ITM, no pin */
	ROUTE_DBGMCU_M4,  /* DBGMCU_CR 0xE0042004: TRACE_IOEN (5), TRACE_MODE 00 */
	ROUTE_DBGMCU_M33, /* DBGMCU_CR 0xE0044004: TRACE_IOEN (4), TRACE_EN (5) */
	ROUTE_H7,	  /* DBGMCU_CR clocks, the SWTF funnel's port 0, the SWO unit */
} SwoRoute;

/* Each family's GPIO ports and their clock as the reference manuals give
 * them (RM0351/RM0394/RM0432/RM0440, RM0433, RM0008, RM0091, RM0316,
 * RM0367, RM0038, RM0033, RM0090, RM0410, RM0438, RM0456), and how its
 * SWO pin is routed */
static const struct {
	const char *family; /* the machine's family name starts so */
	guint32 gpioa;
	guint32 enable_reg;
	guint enable_bit_a;
	gboolean crl_crh;
	SwoRoute swo;
} family_facts[] = {
    {"STM32L4", 0x48000000u, 0x4002104Cu, 0, FALSE, ROUTE_DBGMCU_M4},
    {"STM32H7", 0x58020000u, 0x580244E0u, 0, FALSE, ROUTE_H7},
    {"STM32F1", 0x40010800u, 0x40021018u, 2, TRUE, ROUTE_DBGMCU_M4},
    {"STM32F0", 0x48000000u, 0x40021014u, 17, FALSE, ROUTE_NONE},
    {"STM32F3", 0x48000000u, 0x40021014u, 17, FALSE, ROUTE_DBGMCU_M4},
    {"STM32L0", 0x50000000u, 0x4002102Cu, 0, FALSE, ROUTE_NONE},
    {"STM32L1", 0x40020000u, 0x4002381Cu, 0, FALSE, ROUTE_DBGMCU_M4},
    {"STM32F2", 0x40020000u, 0x40023830u, 0, FALSE, ROUTE_DBGMCU_M4},
    {"STM32F4", 0x40020000u, 0x40023830u, 0, FALSE, ROUTE_DBGMCU_M4},
    {"STM32F7", 0x40020000u, 0x40023830u, 0, FALSE, ROUTE_DBGMCU_M4},
    {"STM32L5", 0x42020000u, 0x4002104Cu, 0, FALSE, ROUTE_DBGMCU_M33},
    {"STM32U5", 0x42020000u, 0x46020C8Cu, 0, FALSE, ROUTE_DBGMCU_M33},
    /* RM0444 5.4.13 (IOPENR), RM0434 6.4.25 and RM0453 6.4.27 (AHB2ENR) */
    {"STM32G0", 0x50000000u, 0x40021034u, 0, FALSE, ROUTE_NONE},
    {"STM32WB", 0x48000000u, 0x5800004Cu, 0, FALSE, ROUTE_DBGMCU_M4},
    {"STM32WL", 0x48000000u, 0x5800004Cu, 0, FALSE, ROUTE_DBGMCU_M4},
};

/* The STM32H7's SWO unit and SWTF funnel (RM0433 60.2), DBGMCU_CR's
 * TRACECLKEN, D1DBGCKEN, D3DBGCKEN; the M33 parts' DBGMCU_CR */
#define H7_DBGMCU_CR 0x5C001004u
#define H7_DBGMCU_CR_TRACE_CLOCKS 0x00700000u
#define H7_SWO_CODR 0x5C003010u
#define H7_SWO_SPPR 0x5C0030F0u
#define H7_SWO_LAR 0x5C003FB0u
#define H7_SWTF_CTRL 0x5C004000u
#define H7_SWTF_LAR 0x5C004FB0u
#define M33_DBGMCU_CR 0xE0044004u
#define M33_DBGMCU_CR_TRACE_IOEN (1u << 4)
#define M33_DBGMCU_CR_TRACE_EN (1u << 5)
#define CORESIGHT_KEY 0xC5ACCE55u

/* The unit that makes the pin's UART: the TPIU, or the H7's SWO unit */
static void
swo_configure_unit(GlintSim *sim, SwoRoute route, const SwoSetup *s)
{
	if (route != ROUTE_H7) {
		swo_configure_core(sim, s);
		return;
	}
	ck_assert_uint_eq(st_write32(sim, DEMCR, DEMCR_TRCENA), 0x80);
	ck_assert_uint_eq(st_write32(sim, H7_SWO_LAR, CORESIGHT_KEY), 0x80);
	ck_assert_uint_eq(st_write32(sim, H7_SWO_CODR, s->acpr), 0x80);
	ck_assert_uint_eq(st_write32(sim, H7_SWO_SPPR, s->sppr), 0x80);
	ck_assert_uint_eq(st_write32(sim, ITM_TER, 0xFFFFFFFFu), 0x80);
	ck_assert_uint_eq(st_write32(sim, ITM_TCR, s->tcr), 0x80);
}

/* What gives the pin the trace output */
static void
swo_route_pin(GlintSim *sim, SwoRoute route)
{
	switch (route) {
	case ROUTE_DBGMCU_M4:
		ck_assert_uint_eq(st_write32(sim, DBGMCU_CR, DBGMCU_CR_TRACE_IOEN), 0x80);
		break;
	case ROUTE_DBGMCU_M33:
		ck_assert_uint_eq(st_write32(sim, M33_DBGMCU_CR,
					     M33_DBGMCU_CR_TRACE_IOEN | M33_DBGMCU_CR_TRACE_EN),
				  0x80);
		break;
	case ROUTE_H7:
		ck_assert_uint_eq(st_write32(sim, H7_DBGMCU_CR, H7_DBGMCU_CR_TRACE_CLOCKS), 0x80);
		ck_assert_uint_eq(st_write32(sim, H7_SWTF_LAR, CORESIGHT_KEY), 0x80);
		ck_assert_uint_eq(st_write32(sim, H7_SWTF_CTRL, 0x301u), 0x80);
		break;
	case ROUTE_NONE:
	default:
		break;
	}
}

static guint
family_index(const SimBoard *board)
{
	for (guint i = 0; i < G_N_ELEMENTS(family_facts); i++) {
		if (g_str_has_prefix(board->machine->family, family_facts[i].family))
			return i;
	}
	ck_abort_msg("%s: no facts for the family %s", board->name, board->machine->family);
	return 0;
}

/* The LED's port clocked and its pin a general-purpose output as the
 * firmware left them (MODER 01; on the F1 CNF/MODE 0001, push-pull at
 * 10 MHz) */
static void
assert_led_output(GlintSim *sim, const SimBoard *board)
{
	guint f = family_index(board);
	guint16 led = board->led != 0 ? board->led : SIM_LED_DEFAULT;
	guint port = (led >> 4) & 0xFu, pin = led & 0xFu;
	guint32 base = family_facts[f].gpioa + port * 0x400u;
	guint32 enable = glint_sim_peek32(sim, family_facts[f].enable_reg);

	ck_assert_msg(enable & (1u << (family_facts[f].enable_bit_a + port)),
		      "%s: port %c not clocked (0x%08x)", board->name, 'A' + port, enable);
	if (family_facts[f].crl_crh) {
		guint32 cr = glint_sim_peek32(sim, base + (pin < 8 ? 0x00u : 0x04u));
		ck_assert_uint_eq((cr >> (4 * (pin % 8))) & 0xFu, 0x1u);
	} else {
		ck_assert_uint_eq((glint_sim_peek32(sim, base) >> (2 * pin)) & 0x3u, 0x1u);
	}
}

/* Port 0's bytes in an ITM stream of source packets */
static GString *
itm_port0_text(const GByteArray *stream)
{
	static const guint payload[] = {0, 1, 2, 4};
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < stream->len;) {
		guint8 h = stream->data[i++];
		guint n = payload[h & 3u];
		ck_assert_msg(n != 0 && (h & 4u) == 0, "not a source packet: 0x%02x", h);
		ck_assert_uint_le(i + n, stream->len);
		if (h >> 3 == 0)
			g_string_append_len(text, (const gchar *)stream->data + i, n);
		i += n;
	}
	return text;
}

/* Whether the board's LED is its chip's SWO pin */
static gboolean
led_is_swo_pin(const SimBoard *board)
{
	const SimSwoPin *pin = board->machine->swo_pin;
	guint16 led = board->led != 0 ? board->led : SIM_LED_DEFAULT;
	return pin != NULL && pin->gpio_pin != 0 && pin->gpio_pin == led;
}

/* The demo on every board: its lines over RTT, its LED blinking, its
 * lines over SWO where the chip has a pin (routed as the reference manuals
 * give it, at the fastest rate a V2 takes from the chip's reset clock),
 * and nothing on the probe before the pin is routed, nor ever on a core
 * without an ITM */
START_TEST(test_demo_every_board)
{
	const SimBoard *board = sim_board_nth((guint)_i);
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GByteArray) swo = NULL;
	g_autoptr(GString) port0 = NULL;
	g_autofree gchar *text = NULL;
	gboolean has_itm;
	GlintSimStats stats;
	SwoRoute route;
	guint32 hclk, acpr;

	ck_assert_ptr_nonnull(board);
	sim = sim_new_internal(board, sim_scenario_find(board, "demo"), NULL);
	ck_assert_msg(sim != NULL, "%s: no demo", board->name);
	ck_assert_msg(board->machine->gpio_ports != NULL, "%s: no GPIO ports", board->name);
	has_itm = !sim_core_is_armv6m(sim);
	route = family_facts[family_index(board)].swo;
	ck_assert_int_eq(board->machine->swo_pin != NULL, route != ROUTE_NONE);
	ck_assert_int_eq(has_itm, route != ROUTE_NONE);
	hclk = board->machine->ops->hclk_hz(sim);
	acpr = (hclk + SWO_2MHZ - 1) / SWO_2MHZ - 1;
	st_enter_swd(sim);
	if (has_itm) {
		SwoSetup s = {acpr, SPPR_NRZ, FFCR_FORMATTER_OFF, TRUE, ITM_TCR_ITMENA};
		ck_assert_uint_eq(trace_start(sim, 4096, hclk / (acpr + 1)), 0x80);
		swo_configure_unit(sim, route, &s);
		/* the trace unit alone: the pin carries nothing */
		glint_sim_advance_time(sim, 250000000);
		glint_sim_get_stats(sim, &stats);
		ck_assert_msg(stats.swo_line_bytes > 0, "%s: the ITM sent nothing", board->name);
		ck_assert_msg(stats.swo_probe_bytes == 0, "%s: SWO without its route", board->name);
		swo_route_pin(sim, route);
	}
	glint_sim_advance_time(sim, has_itm ? 800000000 : 1050000000);
	text = demo_rtt_text(sim);
	ck_assert_msg(strstr(text, "glint demo: counter=10\n") != NULL, "%s: %s", board->name,
		      text);
	ck_assert_msg(strstr(text, "glint demo: counter=11") == NULL, "%s: %s", board->name, text);
	if (machine_counts_toggles(board->machine)) {
		guint16 led = board->led != 0 ? board->led : SIM_LED_DEFAULT;
		ck_assert_uint_eq(glint_sim_get_gpio_toggles(sim, (led >> 4) & 0xFu, led & 0xFu),
				  4);
	}
	assert_led_output(sim, board);
	glint_sim_get_stats(sim, &stats);
	if (!has_itm || led_is_swo_pin(board)) {
		/* no ITM, or the firmware drives the SWO pin as its LED (PB3 is
		 * LD3 on a NUCLEO-L432KC, UM1956): nothing reaches the probe */
		ck_assert_uint_eq(stats.swo_probe_bytes, 0);
		return;
	}
	swo = trace_poll(sim);
	port0 = itm_port0_text(swo);
	ck_assert_msg(strstr(port0->str, "glint demo: counter=4\n") != NULL, "%s: %s", board->name,
		      port0->str);
	ck_assert_msg(strstr(port0->str, "glint demo: counter=10\n") != NULL, "%s: %s", board->name,
		      port0->str);
}
END_TEST

/* PB3 carries SWO only in its reset function, AF0: firmware that makes it
 * an output or gives it another alternate function silences the probe,
 * and AF0 again brings the stream back (RM0351 8.4.2 and 48.6.3, RM0090,
 * RM0038, RM0433, RM0438) */
START_TEST(test_swo_pin_function_every_board)
{
	const SimBoard *board = sim_board_nth((guint)_i);
	g_autoptr(GlintSim) sim = NULL;
	const SimSwoPin *pin;
	GlintSimStats stats;
	guint64 before;
	guint32 hclk, acpr, gpiob, moder, afrl, enable;
	guint f, pb3 = 3;

	ck_assert_ptr_nonnull(board);
	pin = board->machine->swo_pin;
	f = family_index(board);
	if (pin == NULL || led_is_swo_pin(board))
		return;
	/* every machine whose GPIO ports are modelled names its SWO pin (the
	 * F1/F3 keep theirs as plain storage, and the F1's PB3 is assigned
	 * through AFIO_MAPR instead) */
	if (!machine_counts_toggles(board->machine))
		return;
	ck_assert_msg(pin->gpio_pin == SIM_LED('B', 3), "%s: the SWO pin is not checked",
		      board->name);
	sim = sim_new_internal(board, sim_scenario_find(board, "demo"), NULL);
	ck_assert_ptr_nonnull(sim);
	hclk = board->machine->ops->hclk_hz(sim);
	acpr = (hclk + SWO_2MHZ - 1) / SWO_2MHZ - 1;
	st_enter_swd(sim);
	{
		SwoSetup s = {acpr, SPPR_NRZ, FFCR_FORMATTER_OFF, TRUE, ITM_TCR_ITMENA};
		ck_assert_uint_eq(trace_start(sim, 4096, hclk / (acpr + 1)), 0x80);
		swo_configure_unit(sim, family_facts[f].swo, &s);
	}
	swo_route_pin(sim, family_facts[f].swo);
	gpiob = family_facts[f].gpioa + 0x400u;
	enable = glint_sim_peek32(sim, family_facts[f].enable_reg);
	ck_assert_uint_eq(st_write32(sim, family_facts[f].enable_reg,
				     enable | 1u << (family_facts[f].enable_bit_a + 1)),
			  0x80);
	moder = glint_sim_peek32(sim, gpiob);
	afrl = glint_sim_peek32(sim, gpiob + 0x20u);
	ck_assert_uint_eq((moder >> (2 * pb3)) & 3u, 2u); /* AF at reset */
	ck_assert_uint_eq((afrl >> (4 * pb3)) & 0xFu, 0u);

	glint_sim_advance_time(sim, 300000000);
	g_byte_array_unref(trace_poll(sim));
	glint_sim_get_stats(sim, &stats);
	ck_assert_msg(stats.swo_probe_bytes > 0, "%s: no SWO in AF0", board->name);

	/* a general-purpose output */
	ck_assert_uint_eq(st_write32(sim, gpiob, (moder & ~(3u << (2 * pb3))) | 1u << (2 * pb3)),
			  0x80);
	glint_sim_get_stats(sim, &stats);
	before = stats.swo_probe_bytes;
	glint_sim_advance_time(sim, 300000000);
	g_byte_array_unref(trace_poll(sim));
	glint_sim_get_stats(sim, &stats);
	ck_assert_msg(stats.swo_probe_bytes == before, "%s: SWO on an output pin", board->name);

	/* alternate function 1 (TIM2_CH2 on the L4) */
	ck_assert_uint_eq(st_write32(sim, gpiob + 0x20u, afrl | 1u << (4 * pb3)), 0x80);
	ck_assert_uint_eq(st_write32(sim, gpiob, moder), 0x80);
	glint_sim_advance_time(sim, 300000000);
	g_byte_array_unref(trace_poll(sim));
	glint_sim_get_stats(sim, &stats);
	ck_assert_msg(stats.swo_probe_bytes == before, "%s: SWO in AF1", board->name);

	/* AF0 again */
	ck_assert_uint_eq(st_write32(sim, gpiob + 0x20u, afrl), 0x80);
	glint_sim_advance_time(sim, 300000000);
	g_byte_array_unref(trace_poll(sim));
	glint_sim_get_stats(sim, &stats);
	ck_assert_msg(stats.swo_probe_bytes > before, "%s: SWO not back in AF0", board->name);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-trace");
	TCase *tc = tcase_create("trace");
	/* each case runs the boards for a modelled second or so; a loaded host
	 * stretches that in wall-clock time */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_source_packets);
	tcase_add_test(tc, test_disabled_ports_send_nothing);
	tcase_add_test(tc, test_pin_not_assigned);
	tcase_add_test(tc, test_manchester_and_formatter_unreadable);
	tcase_add_test(tc, test_probe_rate);
	tcase_add_test(tc, test_probe_buffer_overflow);
	tcase_add_test(tc, test_endpoint_needs_count);
	tcase_add_test(tc, test_probe_rates_and_stop);
	tcase_add_test(tc, test_line_rate);
	tcase_add_test(tc, test_itm_overflow);
	tcase_add_test(tc, test_local_timestamps);
	tcase_add_test(tc, test_cyccnt);
	tcase_add_test(tc, test_sync_packets);
	tcase_add_test(tc, test_itm_lock);
	tcase_add_test(tc, test_firmware_stream);
	tcase_add_test(tc, test_demo_nucleo);
	tcase_add_test(tc, test_demo_board_led);
	tcase_add_test(tc, test_demo_armv6m);
	tcase_add_loop_test(tc, test_demo_every_board, 0, (gint)sim_board_count());
	tcase_add_loop_test(tc, test_swo_pin_function_every_board, 0, (gint)sim_board_count());
	suite_add_tcase(s, tc);
	return run_suite(s);
}
