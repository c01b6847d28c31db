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

/* The probes present now, as GlintProbeInfo (element-type GlintProbeInfo*).
 * Unsupported ST-LINK/V1 devices are listed with kind V1 so the caller can
 * say why they cannot be used. An empty array when none; NULL + error only
 * when libusb itself fails. */
GPtrArray *glint_usb_list_probes(GError **error);

/* Opens the probe with @serial (NULL: the only one present; more than one
 * present without a serial -> GLINT_ERROR_INVALID_ARGUMENT listing them). */
GlintTransport *glint_usb_open(const char *serial, GError **error);

/* Hot-plug: @func is called on the thread-default main context of the caller
 * of glint_usb_monitor_new() whenever a probe arrives or leaves. */
typedef struct _GlintUsbMonitor GlintUsbMonitor;
typedef void (*GlintUsbMonitorFunc)(const GlintProbeInfo *info, gboolean arrived,
				    gpointer user_data);
GlintUsbMonitor *glint_usb_monitor_new(GlintUsbMonitorFunc func, gpointer user_data,
				       GError **error);
void glint_usb_monitor_free(GlintUsbMonitor *monitor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintUsbMonitor, glint_usb_monitor_free)

G_END_DECLS
