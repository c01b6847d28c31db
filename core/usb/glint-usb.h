/* glint-usb.h: real ST-LINK probes over libusb-1.0.
 *
 * Owns enumeration (every ST-LINK generation by VID/PID, with the right
 * endpoints and packet sizes), serial numbers as users see them (including
 * the old V2 binary-serial quirk), opening a probe by serial as a
 * GlintTransport with bounded bulk transfers, and hot-plug notification.
 * USB errors become GLINT_ERROR codes: unplugged -> DISCONNECTED, EACCES ->
 * PERMISSION_DENIED (naming the udev rules file Glint ships), claimed by
 * another program -> BUSY. */
#pragma once

#include <glib.h>

#include "glint-transport.h"

G_BEGIN_DECLS

/* USB identity of ST-LINK probes (reference section 1.1). */
#define GLINT_USB_VID_ST 0x0483
#define GLINT_USB_PID_STLINK_V1 0x3744
#define GLINT_USB_PID_STLINK_V2 0x3748
#define GLINT_USB_PID_STLINK_V2_1 0x374B
#define GLINT_USB_PID_STLINK_V2_1_NO_MSD 0x3752
#define GLINT_USB_PID_STLINK_V3E 0x374E
#define GLINT_USB_PID_STLINK_V3S 0x374F
#define GLINT_USB_PID_STLINK_V3_2VCP 0x3753
#define GLINT_USB_PID_STLINK_V3_NO_MSD 0x3754

/* Where the udev rules live in the source tree, and how to install them;
 * quoted in every permission-denied message. */
#define GLINT_USB_UDEV_RULES "resources/50-glint-stlink.rules"

/* The probes present now, as GlintProbeInfo (element-type GlintProbeInfo*).
 * Unsupported ST-LINK/V1 devices are listed with kind V1 so the caller can
 * say why they cannot be used. An empty array when none; NULL + error only
 * when libusb itself fails. */
GPtrArray *glint_usb_list_probes(GError **error);

/* Opens the probe with @serial (NULL: the only one present; more than one
 * present without a serial -> GLINT_ERROR_INVALID_ARGUMENT listing them). */
GlintTransport *glint_usb_open(const char *serial, GError **error);

/* The generation a VID:PID belongs to, GLINT_PROBE_KIND_UNKNOWN if it is not
 * an ST-LINK. */
GlintProbeKind glint_usb_kind_from_ids(guint16 vid, guint16 pid);

/* Bulk endpoint addresses of the debug interface for a generation. */
void glint_usb_kind_endpoints(GlintProbeKind kind, guint8 *ep_out, guint8 *ep_in);
/* The trace (SWO) IN endpoint of a generation: 0x83 on a V2, 0x82 on a
 * V2-1 and V3, 0 on a V1, which has none (reference 1.2). */
guint8 glint_usb_kind_trace_endpoint(GlintProbeKind kind);

/* The serial a user sees, from a raw USB string descriptor (@desc, @len
 * bytes including the 2-byte header): 24 upper-case hex digits for the V2
 * binary form (12 raw bytes in the low bytes of 12 UTF-16 units), the text
 * itself otherwise. NULL if the descriptor is malformed. */
gchar *glint_usb_serial_from_descriptor(const guint8 *desc, gsize len);

/* Sets @error from a libusb error code @rc, with @what saying what was being
 * done ("claiming interface 0 of ST-LINK/V2 066DFF..."). */
void glint_usb_set_error(GError **error, int rc, const char *what);

/* Hot-plug: @func is called on the thread-default main context of the caller
 * of glint_usb_monitor_new() whenever a probe arrives or leaves. The probes
 * already present are reported as arrivals on the first poll. libusb
 * hot-plug events trigger a rescan at once where the platform has them; a
 * rescan also runs once a second as the fallback (enumeration only: a probe
 * already seen is not reopened). */
typedef struct _GlintUsbMonitor GlintUsbMonitor;
typedef void (*GlintUsbMonitorFunc)(const GlintProbeInfo *info, gboolean arrived,
				    gpointer user_data);
GlintUsbMonitor *glint_usb_monitor_new(GlintUsbMonitorFunc func, gpointer user_data,
				       GError **error);
/* Rescan now and report the differences before returning (tests, "refresh"). */
gboolean glint_usb_monitor_poll(GlintUsbMonitor *monitor, GError **error);
void glint_usb_monitor_free(GlintUsbMonitor *monitor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintUsbMonitor, glint_usb_monitor_free)

G_END_DECLS
