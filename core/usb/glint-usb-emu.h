/* glint-usb-emu.h: ST-LINK probes presented on an emulated USB bus.
 *
 * Owns the usbfs side of an emulated probe: a umockdev testbed with one
 * sysfs record and device node per probe (descriptors for the probe's
 * generation, serial in either form), and the usbfs ioctls libusb programs
 * send (URB submit/reap/discard, claim/release, control transfers for
 * descriptors). Bulk traffic on the debug endpoints goes to a backend (the
 * emulator's bulk_out/bulk_in); everything above usbfs is the backend's.
 * Developer and test tooling only: needs umockdev and its preload
 * (`umockdev-wrapper`), so it is not part of the core library. */
#pragma once

#include <glib.h>

#include "glint-transport.h"

G_BEGIN_DECLS

/* What an emulated probe does with bulk traffic; called on umockdev's
 * worker thread, one call at a time per probe. */
typedef struct {
	/* A command block or a data-out phase (possibly in pieces). */
	void (*bulk_out)(gpointer backend, const guint8 *data, gsize len);
	/* Up to @max bytes of the pending reply; 0 when nothing is pending. */
	gsize (*bulk_in)(gpointer backend, guint8 *buf, gsize max);
	/* TRUE once the probe has vanished from the bus (cable pulled). */
	gboolean (*is_unplugged)(gpointer backend);
	/* Up to @max bytes for the trace (SWO) endpoint; 0 when none are due.
	 * May be NULL: the endpoint never has data. */
	gsize (*trace_in)(gpointer backend, guint8 *buf, gsize max);
} GlintUsbEmuBackend;

typedef struct _GlintUsbEmu GlintUsbEmu;

/* A new, empty emulated bus. Fails with GLINT_ERROR_UNSUPPORTED when the
 * process does not run under the umockdev preload. Sets UMOCKDEV_DIR in the
 * environment, so children see the bus too. */
GlintUsbEmu *glint_usb_emu_new(GError **error);
void glint_usb_emu_free(GlintUsbEmu *emu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintUsbEmu, glint_usb_emu_free)

/* Adds a probe described by @info (kind, pid, serial, max_packet) whose
 * bulk endpoints are served by @backend (not owned; must outlive the probe).
 * @binary_serial: the serial descriptor holds the 12 raw bytes the hex
 * serial encodes (old V2 firmware). Returns the probe's index. */
gint glint_usb_emu_add_probe(GlintUsbEmu *emu, const GlintProbeInfo *info, gboolean binary_serial,
			     const GlintUsbEmuBackend *klass, gpointer backend, GError **error);

/* Removes probe @index from the bus (as if unplugged): its sysfs record
 * goes away and every later ioctl on an open handle fails with ENODEV. */
void glint_usb_emu_remove_probe(GlintUsbEmu *emu, gint index);

/* Number of URBs submitted to probe @index so far (statistics). */
guint64 glint_usb_emu_get_urb_count(GlintUsbEmu *emu, gint index);

G_END_DECLS
