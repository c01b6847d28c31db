/* glint-transport.h: how ST-LINK command blocks reach a probe.
 *
 * A transport moves one 16-byte ST-LINK command, an optional data-out phase
 * and an optional data-in phase, each bounded by a timeout. It knows nothing
 * of what the bytes mean. Implementations: the in-process emulator link
 * (core/sim) and libusb (core/usb). Nothing above this interface knows which
 * one it has. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GLINT_STLINK_CMD_SIZE 16
#define GLINT_TRANSPORT_DEFAULT_TIMEOUT_MS 3000

typedef enum {
	GLINT_PROBE_KIND_UNKNOWN,
	GLINT_PROBE_KIND_V1,
	GLINT_PROBE_KIND_V2,
	GLINT_PROBE_KIND_V2_1,
	GLINT_PROBE_KIND_V3,
} GlintProbeKind;

/* What a probe is, as enumeration sees it (before any command is sent). */
typedef struct {
	GlintProbeKind kind;
	guint16 vid;
	guint16 pid;
	gchar *serial;	    /* 24 upper-case hex digits, as users see it */
	gchar *description; /* "ST-LINK/V2 (simulated NUCLEO-L476RG)" */
	gboolean simulated;
	guint max_packet; /* bulk wMaxPacketSize: 64 full speed, 512 high speed */
} GlintProbeInfo;

GlintProbeInfo *glint_probe_info_copy(const GlintProbeInfo *info);
void glint_probe_info_free(GlintProbeInfo *info);
void glint_probe_info_clear(GlintProbeInfo *info);
const char *glint_probe_kind_to_string(GlintProbeKind kind);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintProbeInfo, glint_probe_info_free)

typedef struct _GlintTransport GlintTransport;

typedef struct {
	/* Send @cmd (16 bytes), then @out_len bytes of @out if any, then read
	 * exactly @in_len bytes into @in if any. Fails with
	 * GLINT_ERROR_DISCONNECTED, GLINT_ERROR_TIMEOUT or GLINT_ERROR_PROBE. */
	gboolean (*command)(GlintTransport *self, const guint8 *cmd, const guint8 *out,
			    gsize out_len, guint8 *in, gsize in_len, guint timeout_ms,
			    GError **error);
	/* Modelled device time in nanoseconds, or -1 when the transport has no
	 * model (real hardware). May be NULL. */
	gint64 (*device_time_ns)(GlintTransport *self);
	void (*finalize)(GlintTransport *self);
	/* Reads up to @len bytes from the probe's trace (SWO) endpoint into
	 * @buf (a host asks for what GET_TRACE_NB announced). May be NULL:
	 * the link has no trace endpoint. */
	gboolean (*read_trace)(GlintTransport *self, guint8 *buf, gsize len, gsize *got,
			       guint timeout_ms, GError **error);
	/* Lets @ns pass with the link quiet, the target running: the
	 * emulator advances its clock. May be NULL: the host sleeps. */
	void (*idle)(GlintTransport *self, gint64 ns);
} GlintTransportClass;

struct _GlintTransport {
	const GlintTransportClass *klass;
	GlintProbeInfo info;
	gint ref_count;
};

/* For implementations: set up the common part. Takes a copy of @info. */
void glint_transport_init(GlintTransport *self, const GlintTransportClass *klass,
			  const GlintProbeInfo *info);

GlintTransport *glint_transport_ref(GlintTransport *self);
void glint_transport_unref(GlintTransport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintTransport, glint_transport_unref)

gboolean glint_transport_command(GlintTransport *self, const guint8 *cmd, const guint8 *out,
				 gsize out_len, guint8 *in, gsize in_len, guint timeout_ms,
				 GError **error);
const GlintProbeInfo *glint_transport_get_info(GlintTransport *self);
/* The trace endpoint (see read_trace above); GLINT_ERROR_UNSUPPORTED when
 * the transport has none. *@got may be less than @len. */
gboolean glint_transport_read_trace(GlintTransport *self, guint8 *buf, gsize len, gsize *got,
				    guint timeout_ms, GError **error);
/* Waits @ns of device time (see idle above); with a real probe the thread
 * sleeps, until @cancellable fires at the latest. */
void glint_transport_idle(GlintTransport *self, gint64 ns, GCancellable *cancellable);
gint64 glint_transport_get_device_time_ns(GlintTransport *self);

G_END_DECLS
