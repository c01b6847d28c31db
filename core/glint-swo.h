/* glint-swo.h: SWO (serial wire output) capture: what the firmware writes to
 * ITM stimulus ports, read through the ST-LINK while the target runs.
 *
 * Owns two things. The ITM packet decoder (ARMv7-M ARM D4.2): bytes as the
 * probe receives them become source packets (port and payload), overflow,
 * timestamp, synchronization and extension packets; it carries a packet
 * split across reads, and when bytes are lost or make no packet it hunts
 * for the next plausible one instead of reading payload as headers. And
 * the capture: the chip's trace set-up (DEMCR.TRCENA, the pin's routing as
 * the chip's family gives it (GlintSwoRoute), the TPIU or the chip's own
 * SWO unit in NRZ at a rate the probe samples, formatter off, ITM ports),
 * the probe's receiver (START_TRACE_RX, GET_TRACE_NB, the trace endpoint)
 * and the polling, as short jobs on a session so a GUI can interleave
 * other jobs, plus one blocking job for a timed capture. */
#pragma once

#include <gio/gio.h>

#include "glint-family.h"
#include "glint-job.h"

G_BEGIN_DECLS

/* ---- the ITM packet decoder ------------------------------------------ */

typedef enum {
	GLINT_ITM_SOURCE,	    /* a stimulus port's data: @port, @size, @payload */
	GLINT_ITM_HARDWARE,	    /* a DWT packet: discriminator in @port, @payload */
	GLINT_ITM_OVERFLOW,	    /* the ITM lost packets (its FIFO was full) */
	GLINT_ITM_TIMESTAMP,	    /* a local timestamp: @value ticks, @tc */
	GLINT_ITM_GLOBAL_TIMESTAMP, /* a global timestamp: @value (low bits) */
	GLINT_ITM_SYNC,		    /* a synchronization packet */
	GLINT_ITM_EXTENSION,	    /* an extension packet (stimulus port page) */
	GLINT_ITM_GARBAGE,	    /* @length bytes that make no packet */
} GlintItmPacketKind;

typedef struct {
	GlintItmPacketKind kind;
	guint port;	   /* SOURCE: 0-31; HARDWARE: the discriminator */
	guint size;	   /* payload bytes: 1, 2 or 4 */
	guint8 payload[4]; /* as sent (little endian) */
	guint32 value;	   /* the payload or timestamp as a number */
	guint tc;	   /* TIMESTAMP: 0 in time with the data, 1-3 delayed */
	guint length;	   /* bytes of the stream the packet (or garbage) took */
} GlintItmPacket;

typedef void (*GlintItmPacketFunc)(const GlintItmPacket *packet, gpointer user_data);

typedef struct {
	guint64 bytes;	       /* fed */
	guint64 packets;       /* every kind but garbage */
	guint64 source_bytes;  /* payload bytes of source packets */
	guint64 overflows;     /* Overflow packets */
	guint64 garbage_bytes; /* bytes skipped */
	guint64 lost;	       /* times the caller said bytes were lost */
} GlintItmStats;

typedef struct _GlintItmDecoder GlintItmDecoder;

/* @expected_ports: the stimulus ports the ITM has enabled (TER); a source
 * packet on another port is taken for misread bytes while hunting */
GlintItmDecoder *glint_itm_decoder_new(guint32 expected_ports);
void glint_itm_decoder_free(GlintItmDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintItmDecoder, glint_itm_decoder_free)
/* Decodes @len more bytes, calling @func for each complete packet (a
 * packet may span calls). */
void glint_itm_decoder_feed(GlintItmDecoder *decoder, const guint8 *data, gsize len,
			    GlintItmPacketFunc func, gpointer user_data);
/* Bytes were lost before the next ones (the probe's buffer was full): the
 * packet in progress is dropped and the decoder hunts for the next one. */
void glint_itm_decoder_lost(GlintItmDecoder *decoder, GlintItmPacketFunc func, gpointer user_data);
void glint_itm_decoder_get_stats(GlintItmDecoder *decoder, GlintItmStats *stats);

/* ---- the capture ----------------------------------------------------- */

typedef struct {
	/* SWO bit rate; 0: the fastest the probe samples (2 MHz on a V2, 24
	 * MHz on a V3) that HCLK / (ACPR + 1) gives */
	guint32 baud;
	/* TRACECLKIN (HCLK on STM32); 0: measured with DWT_CYCCNT against the
	 * device's clock (the core must run, not sleep) */
	guint32 core_clock_hz;
	/* stimulus ports to enable (ITM_TER); 0: all 32 */
	guint32 ports;
	/* local timestamps after each packet (ITM_TCR.TSENA) */
	gboolean timestamps;
	/* how the SWO pin gets the ITM's output; NULL: as the chip's family
	 * says (another route is for a board wired otherwise, and tests) */
	const GlintSwoRoute *route;
} GlintSwoConfig;

/* What the set-up chose */
typedef struct {
	guint32 core_clock_hz;
	gboolean clock_measured; /* not given: measured with DWT_CYCCNT */
	guint32 baud;		 /* HCLK / (ACPR + 1), what the probe samples at */
	guint32 acpr;
	guint32 ports;
} GlintSwoSetup;

typedef struct _GlintSwoCapture GlintSwoCapture;

/* Sets the chip up for SWO, starts the probe's receiver and lets the core
 * run. Refuses a core without an ITM (Cortex-M0/M0+: use RTT), a family
 * that gives no SWO route, a probe
 * without trace commands (V2 before J13), a rate HCLK cannot make within
 * 3 % (OpenOCD's tolerance) or the probe cannot sample, naming the rates
 * that would work. */
GlintSwoCapture *glint_swo_start(GlintSession *session, const GlintSwoConfig *config,
				 GlintProgress *progress, GCancellable *cancellable,
				 GError **error);
const GlintSwoSetup *glint_swo_get_setup(GlintSwoCapture *capture);
/* Reads what the probe holds and decodes it (@func per packet; *@bytes the
 * bytes read, may be NULL). A short job: other jobs may run in between. */
gboolean glint_swo_poll(GlintSwoCapture *capture, GlintItmPacketFunc func, gpointer user_data,
			gsize *bytes, GError **error);
void glint_swo_get_stats(GlintSwoCapture *capture, GlintItmStats *stats);
/* Stops the probe's receiver; the chip keeps its set-up (firmware that
 * waits for ITM FIFOREADY keeps running). */
gboolean glint_swo_stop(GlintSwoCapture *capture, GError **error);
/* Stops (best effort) if still capturing. */
void glint_swo_capture_free(GlintSwoCapture *capture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSwoCapture, glint_swo_capture_free)

/* A timed capture for command lines: start, poll until @duration_ns of
 * device time (modelled time on the emulator; 0: until cancelled) has
 * passed, stop. Cancellation ends it normally. */
gboolean glint_job_swo_capture(GlintSession *session, const GlintSwoConfig *config,
			       gint64 duration_ns, GlintItmPacketFunc func, gpointer user_data,
			       GlintProgress *progress, GCancellable *cancellable,
			       GlintSwoSetup *setup, GlintItmStats *stats, GError **error);

G_END_DECLS
