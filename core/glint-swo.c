/* glint-swo.c: the ITM packet decoder and SWO capture (see glint-swo.h). */
#define G_LOG_DOMAIN "glint-swo"

#include "glint-i18n.h"
#include "glint-swo.h"

#include <string.h>

#include "glint-job-private.h"

/* ---- the ITM packet decoder (ARMv7-M ARM D4.2) ----------------------- */

/* Headers: a synchronization packet is at least 47 zero bits then a one,
 * byte aligned five zero bytes and 0x80 (D4.2.1); Overflow is 0x70; a
 * local timestamp is 0b0TTT0000 (TTT 1-6, the value itself) or
 * 0b11CC0000 followed by 7-bit groups (D4.2.4); 0x94 and 0xB4 start global
 * timestamps; low bits xxxx1x00 an extension (D4.2.3); low bits != 00 a
 * source packet of 1, 2 or 4 bytes, bit 2 telling a hardware (DWT) one
 * (D4.2.8). */
#define ITM_SYNC_MIN_ZEROS 5u
#define ITM_SYNC_END 0x80u
#define ITM_OVERFLOW 0x70u
#define ITM_LTS1_MASK 0xCFu
#define ITM_LTS1 0xC0u
#define ITM_GTS1 0x94u
#define ITM_GTS2 0xB4u
#define ITM_CONTINUE 0x80u
#define ITM_SOURCE_SIZE_MASK 0x03u
#define ITM_SOURCE_HARDWARE 0x04u
#define ITM_EXTENSION_MASK 0x0Bu
#define ITM_EXTENSION 0x08u
/* Continuation bytes: at most 4 after a local timestamp or extension
 * header, 4 or 6 after a global one */
#define ITM_LTS_MAX_BYTES 4u
#define ITM_GTS_MAX_BYTES 6u

typedef enum {
	DECODE_HEADER,
	DECODE_PAYLOAD,
	DECODE_CONTINUATION,
	DECODE_SYNC,
} DecodeState;

struct _GlintItmDecoder {
	guint32 expected_ports;
	DecodeState state;
	/* since the start or a loss: only a synchronization packet or a
	 * source packet on an expected port is believed */
	gboolean hunting;
	GlintItmPacket packet; /* in progress */
	guint have;	       /* payload or continuation bytes so far */
	guint max;	       /* continuation bytes allowed */
	guint zeros;	       /* zero bytes of a possible synchronization */
	guint garbage;	       /* bytes skipped, not yet reported */
	GlintItmStats stats;
};

GlintItmDecoder *
glint_itm_decoder_new(guint32 expected_ports)
{
	GlintItmDecoder *d = g_new0(GlintItmDecoder, 1);
	d->expected_ports = expected_ports;
	d->state = DECODE_HEADER;
	d->hunting = TRUE;
	return d;
}

void
glint_itm_decoder_free(GlintItmDecoder *decoder)
{
	g_free(decoder);
}

void
glint_itm_decoder_get_stats(GlintItmDecoder *decoder, GlintItmStats *stats)
{
	*stats = decoder->stats;
}

static void
decoder_flush_garbage(GlintItmDecoder *d, GlintItmPacketFunc func, gpointer user_data)
{
	GlintItmPacket g = {.kind = GLINT_ITM_GARBAGE};
	if (d->garbage == 0)
		return;
	g.length = d->garbage;
	d->stats.garbage_bytes += d->garbage;
	d->garbage = 0;
	if (func != NULL)
		func(&g, user_data);
}

static void
decoder_emit(GlintItmDecoder *d, GlintItmPacketFunc func, gpointer user_data)
{
	decoder_flush_garbage(d, func, user_data);
	d->stats.packets++;
	if (d->packet.kind == GLINT_ITM_SOURCE)
		d->stats.source_bytes += d->packet.size;
	if (d->packet.kind == GLINT_ITM_OVERFLOW)
		d->stats.overflows++;
	if (func != NULL)
		func(&d->packet, user_data);
	d->state = DECODE_HEADER;
}

/* @n bytes make no packet: skip them and hunt */
static void
decoder_skip(GlintItmDecoder *d, guint n)
{
	d->garbage += n;
	d->hunting = TRUE;
	d->state = DECODE_HEADER;
}

static void
decoder_begin(GlintItmDecoder *d, GlintItmPacketKind kind)
{
	memset(&d->packet, 0, sizeof(d->packet));
	d->packet.kind = kind;
	d->packet.length = 1;
	d->have = 0;
}

/* A source or hardware packet header: its port and payload size */
static gboolean
decoder_source_header(GlintItmDecoder *d, guint8 b)
{
	static const guint sizes[] = {0, 1, 2, 4};
	gboolean hardware = (b & ITM_SOURCE_HARDWARE) != 0;
	guint port = b >> 3;
	if (d->hunting && (hardware || !(d->expected_ports & (1u << port))))
		return FALSE;
	d->hunting = FALSE;
	decoder_begin(d, hardware ? GLINT_ITM_HARDWARE : GLINT_ITM_SOURCE);
	d->packet.port = port;
	d->packet.size = sizes[b & ITM_SOURCE_SIZE_MASK];
	d->state = DECODE_PAYLOAD;
	return TRUE;
}

/* A header whose packet continues in 7-bit groups while bit 7 is set */
static void
decoder_continued(GlintItmDecoder *d, GlintItmPacketKind kind, guint max)
{
	decoder_begin(d, kind);
	d->max = max;
	d->state = DECODE_CONTINUATION;
}

static void
decoder_header(GlintItmDecoder *d, guint8 b, GlintItmPacketFunc func, gpointer user_data)
{
	if (b == 0) {
		d->zeros = 1;
		d->state = DECODE_SYNC;
		return;
	}
	if ((b & ITM_SOURCE_SIZE_MASK) != 0) {
		if (!decoder_source_header(d, b))
			decoder_skip(d, 1);
		return;
	}
	/* while hunting, nothing else proves the bytes are in step */
	if (d->hunting) {
		decoder_skip(d, 1);
		return;
	}
	if (b == ITM_OVERFLOW) {
		decoder_begin(d, GLINT_ITM_OVERFLOW);
		decoder_emit(d, func, user_data);
		return;
	}
	if ((b & 0x8Fu) == 0) {
		/* one-byte local timestamp: the value is in bits 6:4 (1-6) */
		decoder_begin(d, GLINT_ITM_TIMESTAMP);
		d->packet.value = b >> 4;
		decoder_emit(d, func, user_data);
		return;
	}
	if ((b & ITM_LTS1_MASK) == ITM_LTS1) {
		decoder_continued(d, GLINT_ITM_TIMESTAMP, ITM_LTS_MAX_BYTES);
		d->packet.tc = (b >> 4) & 3u;
		return;
	}
	if (b == ITM_GTS1 || b == ITM_GTS2) {
		decoder_continued(d, GLINT_ITM_GLOBAL_TIMESTAMP, ITM_GTS_MAX_BYTES);
		return;
	}
	if ((b & ITM_EXTENSION_MASK) == ITM_EXTENSION) {
		/* the stimulus port page (bits 6:4) when it ends here */
		if (b & ITM_CONTINUE) {
			decoder_continued(d, GLINT_ITM_EXTENSION, ITM_LTS_MAX_BYTES);
			return;
		}
		decoder_begin(d, GLINT_ITM_EXTENSION);
		d->packet.value = (b >> 4) & 7u;
		decoder_emit(d, func, user_data);
		return;
	}
	/* a reserved header: the stream is out of step */
	decoder_skip(d, 1);
}

static void
decoder_byte(GlintItmDecoder *d, guint8 b, GlintItmPacketFunc func, gpointer user_data)
{
	switch (d->state) {
	case DECODE_SYNC:
		if (b == 0) {
			d->zeros++;
			return;
		}
		if (b == ITM_SYNC_END && d->zeros >= ITM_SYNC_MIN_ZEROS) {
			decoder_begin(d, GLINT_ITM_SYNC);
			d->packet.length = d->zeros + 1;
			d->hunting = FALSE;
			decoder_emit(d, func, user_data);
			return;
		}
		/* zero bytes that were no synchronization packet */
		decoder_skip(d, d->zeros);
		decoder_header(d, b, func, user_data);
		return;
	case DECODE_PAYLOAD:
		d->packet.payload[d->have] = b;
		d->packet.value |= (guint32)b << (8 * d->have);
		d->packet.length++;
		if (++d->have == d->packet.size)
			decoder_emit(d, func, user_data);
		return;
	case DECODE_CONTINUATION:
		d->packet.length++;
		if (d->have < 5)
			d->packet.value |= (guint32)(b & 0x7Fu) << (7 * d->have);
		d->have++;
		if (!(b & ITM_CONTINUE)) {
			decoder_emit(d, func, user_data);
		} else if (d->have == d->max) {
			/* longer than the packet can be: not a packet */
			decoder_skip(d, d->packet.length);
		}
		return;
	case DECODE_HEADER:
	default:
		decoder_header(d, b, func, user_data);
		return;
	}
}

void
glint_itm_decoder_feed(GlintItmDecoder *decoder, const guint8 *data, gsize len,
		       GlintItmPacketFunc func, gpointer user_data)
{
	g_return_if_fail(decoder != NULL);
	g_return_if_fail(data != NULL || len == 0);
	decoder->stats.bytes += len;
	for (gsize i = 0; i < len; i++)
		decoder_byte(decoder, data[i], func, user_data);
	decoder_flush_garbage(decoder, func, user_data);
}

void
glint_itm_decoder_lost(GlintItmDecoder *decoder, GlintItmPacketFunc func, gpointer user_data)
{
	g_return_if_fail(decoder != NULL);
	decoder->stats.lost++;
	switch (decoder->state) {
	case DECODE_SYNC:
		decoder->garbage += decoder->zeros;
		break;
	case DECODE_PAYLOAD:
	case DECODE_CONTINUATION:
		decoder->garbage += decoder->packet.length;
		break;
	default:
		break;
	}
	decoder->state = DECODE_HEADER;
	decoder->hunting = TRUE;
	decoder_flush_garbage(decoder, func, user_data);
}

/* ---- the chip's trace set-up --------------------------------------- */

/* ARMv7-M C1.6-C1.10 */
#define DEMCR_TRCENA (1u << 24)
#define ITM_TER 0xE0000E00u
#define ITM_TPR 0xE0000E40u
#define ITM_TCR 0xE0000E80u
#define ITM_LAR 0xE0000FB0u
#define ITM_TCR_ITMENA (1u << 0)
#define ITM_TCR_TSENA (1u << 1)
#define ITM_TCR_TRACEBUSID(n) ((guint32)(n) << 16)
#define CORESIGHT_LAR_KEY 0xC5ACCE55u
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define TPIU_BASE 0xE0040000u
#define TPIU_CSPSR 0xE0040004u
#define TPIU_CSPSR_1BIT 1u
#define TPIU_SPPR_NRZ 2u
#define TPIU_FFCR_TRIGIN (1u << 8) /* EnFCont clear: the formatter is bypassed */
#define TPIU_ACPR_MAX 0x1FFFu	   /* PRESCALER, 13 bits on the Cortex-M3/M4 */
#define CPUID_ARCHITECTURE(cpuid) (((cpuid) >> 16) & 0xFu)
#define CPUID_ARCH_V6M 0xCu

/* A UART's tolerance of a rate error, as OpenOCD checks it (3 %) */
#define SWO_RATE_TOLERANCE_PERCENT 3u
/* How long each clock measurement lasts, how many are tried, how far apart
 * two may be (also the most of it the reads' round trips may take); below
 * the lowest rate CYCCNT is taken for stopped */
#define SWO_MEASURE_NS G_GINT64_CONSTANT(200000000)
#define SWO_MEASURE_TRIES 5u
#define SWO_MEASURE_AGREE_PERMILLE 10u
#define SWO_MEASURE_MIN_HZ 32000u
/* Polls find nothing: wait this long before the next (the probe's 4 KB
 * buffer fills in 20 ms at 2 MHz) */
#define SWO_POLL_IDLE_NS G_GINT64_CONSTANT(5000000)

/* The trace output unit's registers, at the TPIU's offsets in another
 * unit too (a CoreSight SWO) */
#define TRACE_UNIT_ACPR 0x010u
#define TRACE_UNIT_SPPR 0x0F0u
#define TRACE_UNIT_FFCR 0x304u
#define TRACE_UNIT_LAR 0xFB0u

struct _GlintSwoCapture {
	GlintSession *session;
	GlintSwoSetup setup;
	GlintItmDecoder *decoder;
	gboolean running;
	guint8 buffer[STLINK_TRACE_BUFFER_SIZE];
};

static gboolean
swo_check_core(GlintTarget *t, GError **error)
{
	if (CPUID_ARCHITECTURE(t->info.cpuid) != CPUID_ARCH_V6M)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("The %s's %s has no ITM and no SWO pin (ARMv6-M): read its output with RTT "
		      "instead (glint-cli rtt)"),
		    t->chip->name, t->chip->core);
	return FALSE;
}

/* How the chip's SWO pin gets the ITM's output: its family says */
static const GlintSwoRoute *
swo_route(GlintTarget *t, const GlintSwoConfig *config, GError **error)
{
	const GlintSwoRoute *route = config->route != NULL ? config->route : t->chip->family->swo;
	if (route != NULL)
		return route;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("Glint does not know how the %s gives its SWO pin to the trace unit: read "
		      "its output with RTT instead (glint-cli rtt)"),
		    t->chip->name);
	return NULL;
}

static gboolean
swo_apply_edit(GlintTarget *t, const GlintRegEdit *edit, GError **error)
{
	guint32 v = 0;
	/* a plain write (a lock's key, on a register that reads otherwise) */
	if (edit->clear != 0xFFFFFFFFu && !glint_target_read32(t, edit->addr, &v, error)) {
		g_prefix_error(error, _("Routing SWO to its pin (%s): "), edit->name);
		return FALSE;
	}
	v = (v & ~edit->clear) | edit->set;
	if (!glint_target_write32(t, edit->addr, v, error)) {
		g_prefix_error(error, _("Routing SWO to its pin (%s): "), edit->name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
swo_route_pin(GlintTarget *t, const GlintSwoRoute *route, GError **error)
{
	for (guint i = 0; i < route->n_route; i++) {
		if (!swo_apply_edit(t, &route->route[i], error))
			return FALSE;
	}
	return TRUE;
}

static gint64
swo_now_ns(GlintTransport *transport)
{
	gint64 device = glint_transport_get_device_time_ns(transport);
	return device >= 0 ? device : g_get_monotonic_time() * 1000;
}

/* One reading of CYCCNT and when it was taken: halfway through the
 * command's round trip, whose length bounds the error */
typedef struct {
	guint32 cycles;
	gint64 ns;
	gint64 round_trip;
} SwoSample;

static gboolean
swo_sample(GlintTarget *t, GlintTransport *transport, SwoSample *s, GError **error)
{
	gint64 before = swo_now_ns(transport);
	if (!glint_target_read32(t, DWT_CYCCNT, &s->cycles, error))
		return FALSE;
	s->round_trip = swo_now_ns(transport) - before;
	s->ns = before + s->round_trip / 2;
	return TRUE;
}

/* HCLK from the core's own cycle counter against the device's clock
 * (modelled time on the emulator, the host's on hardware): two
 * measurements that agree, each from reads whose round trips were short
 * next to the time between them (a busy host is given a few tries) */
static gboolean
swo_measure_clock(GlintSession *session, GlintTarget *t, guint32 *hz, GError **error)
{
	GlintTransport *transport = glint_session_get_transport(session);
	guint32 ctrl = 0;
	guint64 rate[SWO_MEASURE_TRIES];
	guint n = 0;

	if (!glint_target_read32(t, DWT_CTRL, &ctrl, error) ||
	    !glint_target_write32(t, DWT_CTRL, ctrl | DWT_CTRL_CYCCNTENA, error))
		return FALSE;
	for (guint attempt = 0; attempt < SWO_MEASURE_TRIES; attempt++) {
		SwoSample a, b;
		if (!swo_sample(t, transport, &a, error))
			return FALSE;
		glint_transport_idle(transport, SWO_MEASURE_NS, NULL);
		if (!swo_sample(t, transport, &b, error))
			return FALSE;
		if (b.ns <= a.ns)
			continue;
		rate[n] = (guint64)(guint32)(b.cycles - a.cycles) * G_GUINT64_CONSTANT(1000000000) /
			  (guint64)(b.ns - a.ns);
		if (rate[n] < SWO_MEASURE_MIN_HZ) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_FAILED,
			    _("Could not measure the core clock: DWT_CYCCNT does not count "
			      "(the core is halted, asleep or held in reset). Let the firmware "
			      "run, or give the clock (--clock HZ)"));
			return FALSE;
		}
		/* a read that took long is too vague a moment */
		g_debug("core clock: %" G_GUINT64_FORMAT " Hz, reads took %" G_GINT64_FORMAT
			" and %" G_GINT64_FORMAT " ns",
			rate[n], a.round_trip, b.round_trip);
		if ((a.round_trip + b.round_trip) * 1000 >
		    (b.ns - a.ns) * 2 * SWO_MEASURE_AGREE_PERMILLE)
			continue;
		for (guint k = 0; k < n; k++) {
			guint64 hi = MAX(rate[k], rate[n]), lo = MIN(rate[k], rate[n]);
			if (hi - lo > hi * SWO_MEASURE_AGREE_PERMILLE / 1000)
				continue;
			/* to the kHz: what is left below is the measurement's
			 * own jitter, and clocks are whole kHz (8 MHz, 4.194 MHz) */
			*hz = (guint32)(((hi + lo) / 2 + 500) / 1000 * 1000);
			return TRUE;
		}
		n++;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED,
		    _("Could not measure the core clock: %u measurements with DWT_CYCCNT did not "
		      "agree (the core sleeps or changes its clock, or the host is too busy). Give "
		      "it (--clock HZ)"),
		    SWO_MEASURE_TRIES);
	return FALSE;
}

/* The prescaler for @baud (0: the fastest the probe samples) at @clock */
static gboolean
swo_choose_rate(guint32 clock, guint32 baud, guint32 max_hz, GlintSwoSetup *setup, GError **error)
{
	guint32 presc;
	if (baud > max_hz) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("SWO at %u baud: this ST-LINK samples SWO at up to %u baud"), baud,
			    max_hz);
		return FALSE;
	}
	if (baud == 0)
		presc = MAX((clock + max_hz - 1) / max_hz, 1u);
	else
		presc = MAX((clock + baud / 2) / baud, 1u);
	if (presc - 1 > TPIU_ACPR_MAX) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("SWO at %u baud from a %u Hz core clock needs a prescaler above the "
			      "TPIU's %u: choose at least %u baud"),
			    baud, clock, TPIU_ACPR_MAX + 1, clock / (TPIU_ACPR_MAX + 1) + 1);
		return FALSE;
	}
	setup->acpr = presc - 1;
	setup->baud = clock / presc;
	if (baud != 0 && (guint64)MAX(setup->baud, baud) - MIN(setup->baud, baud) >
			     (guint64)baud * SWO_RATE_TOLERANCE_PERCENT / 100) {
		guint32 below = clock / (presc + 1),
			above = presc > 1 ? clock / (presc - 1) : clock;
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("SWO at %u baud: a %u Hz core clock divides only to %u, %u or %u baud "
		      "near it (HCLK / (ACPR + 1)), more than %u %% off; choose one of those"),
		    baud, clock, below, setup->baud, MIN(above, max_hz),
		    SWO_RATE_TOLERANCE_PERCENT);
		return FALSE;
	}
	return TRUE;
}

/* The pin routed, its unit (the TPIU or the chip's own) in NRZ at the
 * chosen rate with the formatter out of the way, the ITM on with its ports
 * (TCR last) */
static gboolean
swo_setup_chip(GlintTarget *t, const GlintSwoRoute *route, const GlintSwoConfig *config,
	       const GlintSwoSetup *setup, GError **error)
{
	guint32 unit = route->unit_base != 0 ? route->unit_base : TPIU_BASE;
	guint32 tcr = ITM_TCR_ITMENA | ITM_TCR_TRACEBUSID(1);
	if (config->timestamps)
		tcr |= ITM_TCR_TSENA;
	if (!swo_route_pin(t, route, error))
		return FALSE;
	if (route->unit_locked &&
	    !glint_target_write32(t, unit + TRACE_UNIT_LAR, CORESIGHT_LAR_KEY, error))
		return FALSE;
	/* a port size only where the unit is the TPIU */
	if (unit == TPIU_BASE && !glint_target_write32(t, TPIU_CSPSR, TPIU_CSPSR_1BIT, error))
		return FALSE;
	return glint_target_write32(t, unit + TRACE_UNIT_ACPR, setup->acpr, error) &&
	       glint_target_write32(t, unit + TRACE_UNIT_SPPR, TPIU_SPPR_NRZ, error) &&
	       glint_target_write32(t, unit + TRACE_UNIT_FFCR, TPIU_FFCR_TRIGIN, error) &&
	       glint_target_write32(t, ITM_LAR, CORESIGHT_LAR_KEY, error) &&
	       glint_target_write32(t, ITM_TPR, 0, error) &&
	       glint_target_write32(t, ITM_TER, setup->ports, error) &&
	       glint_target_write32(t, ITM_TCR, tcr, error);
}

static gboolean
swo_enable_trace(GlintTarget *t, GError **error)
{
	guint32 demcr = 0;
	return glint_target_read32(t, CM_DEMCR, &demcr, error) &&
	       glint_target_write32(t, CM_DEMCR, demcr | DEMCR_TRCENA, error);
}

static gboolean
swo_start_locked(GlintSwoCapture *c, const GlintSwoConfig *config, GlintProgress *progress,
		 GError **error)
{
	GlintTarget *t = glint_session_get_target(c->session);
	GlintSwoSetup *setup = &c->setup;
	const GlintSwoRoute *route;

	if (!swo_check_core(t, error))
		return FALSE;
	route = swo_route(t, config, error);
	if (route == NULL)
		return FALSE;
	setup->ports = config->ports != 0 ? config->ports : 0xFFFFFFFFu;
	/* the firmware runs while it is traced (and CYCCNT counts only then) */
	if (!swo_enable_trace(t, error) || !glint_target_run(t, error))
		return FALSE;
	setup->core_clock_hz = config->core_clock_hz;
	if (setup->core_clock_hz == 0) {
		if (!swo_measure_clock(c->session, t, &setup->core_clock_hz, error))
			return FALSE;
		setup->clock_measured = TRUE;
	}
	if (!swo_choose_rate(setup->core_clock_hz, config->baud, glint_stlink_swo_max_hz(t->stlink),
			     setup, error))
		return FALSE;
	/* the receiver first: nothing the ITM sends once enabled is missed */
	if (!glint_stlink_trace_start(t->stlink, STLINK_TRACE_BUFFER_SIZE, setup->baud, error))
		return FALSE;
	c->running = TRUE;
	if (!swo_setup_chip(t, route, config, setup, error))
		return FALSE;
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("SWO at %u baud: core clock %.3f MHz (%s), ACPR %u, ITM ports 0x%08X"),
			   setup->baud, setup->core_clock_hz / 1e6,
			   setup->clock_measured ? _("measured with DWT_CYCCNT") : _("given"),
			   setup->acpr, setup->ports);
	return TRUE;
}

GlintSwoCapture *
glint_swo_start(GlintSession *session, const GlintSwoConfig *config, GlintProgress *progress,
		GCancellable *cancellable, GError **error)
{
	g_autoptr(GlintSwoCapture) c = NULL;
	GlintSwoConfig defaults = {0};
	GlintJobClock clock;
	gboolean ok;

	g_return_val_if_fail(session != NULL, NULL);
	if (config == NULL)
		config = &defaults;
	if (glint_job_cancelled_after(cancellable, error,
				      _("Cancelled before SWO was set up; the chip is unchanged")))
		return NULL;
	if (!glint_job_begin(session, &clock, TRUE, error))
		return NULL;
	c = g_new0(GlintSwoCapture, 1);
	c->session = glint_session_ref(session);
	ok = swo_start_locked(c, config, progress, error);
	glint_job_end(&clock);
	if (!ok)
		return NULL;
	c->decoder = glint_itm_decoder_new(c->setup.ports);
	return g_steal_pointer(&c);
}

const GlintSwoSetup *
glint_swo_get_setup(GlintSwoCapture *capture)
{
	return &capture->setup;
}

void
glint_swo_get_stats(GlintSwoCapture *capture, GlintItmStats *stats)
{
	glint_itm_decoder_get_stats(capture->decoder, stats);
}

gboolean
glint_swo_poll(GlintSwoCapture *capture, GlintItmPacketFunc func, gpointer user_data, gsize *bytes,
	       GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	gsize got = 0;
	gboolean ok;

	g_return_val_if_fail(capture != NULL, FALSE);
	if (bytes != NULL)
		*bytes = 0;
	if (!capture->running) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("The SWO capture is stopped"));
		return FALSE;
	}
	if (!glint_job_begin(capture->session, &clock, TRUE, error))
		return FALSE;
	t = glint_session_get_target(capture->session);
	ok = glint_stlink_trace_read(t->stlink, capture->buffer, sizeof(capture->buffer), &got,
				     error);
	glint_job_end(&clock);
	if (!ok)
		return FALSE;
	glint_itm_decoder_feed(capture->decoder, capture->buffer, got, func, user_data);
	/* a full buffer: the probe dropped what came after */
	if (got == sizeof(capture->buffer))
		glint_itm_decoder_lost(capture->decoder, func, user_data);
	if (bytes != NULL)
		*bytes = got;
	return TRUE;
}

gboolean
glint_swo_stop(GlintSwoCapture *capture, GError **error)
{
	GlintJobClock clock;
	gboolean ok;

	g_return_val_if_fail(capture != NULL, FALSE);
	if (!capture->running)
		return TRUE;
	if (!glint_job_begin(capture->session, &clock, TRUE, error))
		return FALSE;
	ok = glint_stlink_trace_stop(glint_session_get_target(capture->session)->stlink, error);
	glint_job_end(&clock);
	if (ok)
		capture->running = FALSE;
	return ok;
}

void
glint_swo_capture_free(GlintSwoCapture *capture)
{
	if (capture == NULL)
		return;
	if (capture->running && glint_session_is_connected(capture->session)) {
		g_autoptr(GError) error = NULL;
		if (!glint_swo_stop(capture, &error))
			g_debug("stopping the SWO capture: %s", error->message);
	}
	g_clear_pointer(&capture->decoder, glint_itm_decoder_free);
	g_clear_pointer(&capture->session, glint_session_unref);
	g_free(capture);
}

gboolean
glint_job_swo_capture(GlintSession *session, const GlintSwoConfig *config, gint64 duration_ns,
		      GlintItmPacketFunc func, gpointer user_data, GlintProgress *progress,
		      GCancellable *cancellable, GlintSwoSetup *setup, GlintItmStats *stats,
		      GError **error)
{
	g_autoptr(GlintSwoCapture) capture = NULL;
	GlintTransport *transport = glint_session_get_transport(session);
	gint64 end;

	capture = glint_swo_start(session, config, progress, cancellable, error);
	if (capture == NULL)
		return FALSE;
	if (setup != NULL)
		*setup = capture->setup;
	end = swo_now_ns(transport) + duration_ns;
	while (!g_cancellable_is_cancelled(cancellable) &&
	       (duration_ns == 0 || swo_now_ns(transport) < end)) {
		gsize got = 0;
		if (!glint_swo_poll(capture, func, user_data, &got, error))
			return FALSE;
		if (got == 0)
			glint_transport_idle(transport, SWO_POLL_IDLE_NS, cancellable);
	}
	/* what arrived until now */
	if (!glint_swo_poll(capture, func, user_data, NULL, error) ||
	    !glint_swo_stop(capture, error))
		return FALSE;
	if (stats != NULL)
		glint_swo_get_stats(capture, stats);
	return TRUE;
}
