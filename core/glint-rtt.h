/* glint-rtt.h: SEGGER RTT: what the firmware writes into ring buffers in its
 * RAM, read by the debugger through the probe while the core runs.
 *
 * Owns finding the control block (scanning the chip's SRAM for its ID
 * "SEGGER RTT", or at an address the caller knows, e.g. from the ELF
 * symbol _SEGGER_RTT), checking it holds together (channel counts, every
 * buffer inside SRAM, offsets inside their buffers, names readable text),
 * reading every up channel (target to host: the host advances RdOff),
 * writing to a down channel (host to target: the host advances WrOff,
 * never past RdOff, as the channel's mode says), as short jobs on a
 * session, plus one blocking job for a timed session of a command line.
 * A block that does not hold together is GLINT_ERROR_CORRUPT naming the
 * field; none at all is GLINT_ERROR_NOT_FOUND. */
#pragma once

#include <gio/gio.h>

#include "glint-job.h"

G_BEGIN_DECLS

/* The most channels of each direction a block may declare */
#define GLINT_RTT_MAX_CHANNELS 32u

/* Channel modes (the low bits of Flags): what the writer does with data
 * that does not fit */
typedef enum {
	GLINT_RTT_MODE_SKIP = 0,  /* drops the whole message */
	GLINT_RTT_MODE_TRIM = 1,  /* writes what fits */
	GLINT_RTT_MODE_BLOCK = 2, /* waits for room */
} GlintRttMode;

typedef struct {
	guint index;
	gboolean up;  /* target to host */
	gchar *name;  /* NULL when the firmware gave none */
	guint32 desc; /* where its descriptor is */
	guint32 buffer;
	guint32 size; /* 0: an unused channel */
	GlintRttMode mode;
} GlintRttChannel;

typedef struct {
	gboolean has_address; /* look only at @address, do not scan */
	guint32 address;
} GlintRttOptions;

typedef struct _GlintRtt GlintRtt;

/* Finds and checks the control block; lets the core run. */
GlintRtt *glint_rtt_attach(GlintSession *session, const GlintRttOptions *options,
			   GlintProgress *progress, GCancellable *cancellable, GError **error);
void glint_rtt_free(GlintRtt *rtt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintRtt, glint_rtt_free)

guint32 glint_rtt_get_address(GlintRtt *rtt);
/* The channels as the block declares them (unused ones with size 0) */
guint glint_rtt_get_n_channels(GlintRtt *rtt, gboolean up);
const GlintRttChannel *glint_rtt_get_channel(GlintRtt *rtt, gboolean up, guint index);

typedef void (*GlintRttDataFunc)(guint channel, const guint8 *data, gsize len, gpointer user_data);
/* Reads what every up channel holds (@func per channel with data), and
 * frees the room. *@bytes (may be NULL): bytes read. A short job. */
gboolean glint_rtt_poll(GlintRtt *rtt, GlintRttDataFunc func, gpointer user_data, gsize *bytes,
			GError **error);
/* Writes what the down channel @channel has room for of @data, as its mode
 * says (SKIP: all of it or nothing); *@written may be less than @len: the
 * rest is the caller's to send again later. A short job. */
gboolean glint_rtt_write(GlintRtt *rtt, guint channel, const guint8 *data, gsize len,
			 gsize *written, GError **error);

/* What a command line feeds down channel 0: up to @max bytes available
 * now (never blocks); *@eof once there will be no more. */
typedef gsize (*GlintRttInputFunc)(guint8 *buf, gsize max, gboolean *eof, gpointer user_data);

typedef struct {
	guint32 address;    /* of the control block */
	guint64 up_bytes;   /* read from up channels */
	guint64 down_bytes; /* written to down channel 0 */
	guint64 polls;	    /* reads of the up channels */
	guint64 input_left; /* input the target never took (its down buffer stayed full) */
	gint64 device_ns;   /* device time the session lasted (after attaching) */
} GlintRttStats;

/* Attaches, then polls every up channel (@out) and feeds down channel 0
 * from @input (may be NULL) until @duration_ns of device time has passed
 * (modelled time on the emulator; 0: until cancelled). Cancellation ends
 * it normally; input the target did not take is counted, not lost
 * silently. */
gboolean glint_job_rtt_run(GlintSession *session, const GlintRttOptions *options,
			   gint64 duration_ns, GlintRttDataFunc out, GlintRttInputFunc input,
			   gpointer user_data, GlintProgress *progress, GCancellable *cancellable,
			   GlintRttStats *stats, GError **error);

G_END_DECLS
