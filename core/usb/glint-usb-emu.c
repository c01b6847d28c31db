/* glint-usb-emu.c: emulated ST-LINK probes at the usbfs level (umockdev). */
#define G_LOG_DOMAIN "glint-usb-emu"

#include "glint-i18n.h"
#include "glint-usb-emu.h"

#include <errno.h>
#include <linux/usb/ch9.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <string.h>
#include <umockdev.h>

#include "glint-error.h"
#include "glint-usb.h"

#define EMU_BUS 1
#define EMU_FIRST_DEVNUM 2
#define EMU_LANGID_EN_US 0x0409
#define EMU_STR_MANUFACTURER 1
#define EMU_STR_PRODUCT 2
#define EMU_STR_SERIAL 3
#define EMU_MAX_PACKET_EP0 64
#define EMU_MAX_REPLY 0x10000 /* memory commands carry a 16-bit length */

/* The capabilities a current kernel reports; BULK_CONTINUATION and
 * NO_PACKET_SIZE_LIM let libusb submit a long data phase as one URB. */
#define EMU_USBFS_CAPS                                                                             \
	(USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |                               \
	 USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT)

/* One URB between submit and reap, remembered by the client's address so
 * that reaping works across processes (reference pitfall 1). */
typedef struct {
	gulong client_addr;
	guint8 type;
	guint8 endpoint;
	gint buffer_length;
	gboolean done;
	gint status;
	GByteArray *in_data; /* what to copy back for IN transfers */
} EmuUrb;

typedef struct {
	UMockdevIoctlClient *client; /* a reference */
	GQueue urbs;		     /* EmuUrb*, in submission order */
} EmuClient;

typedef struct {
	gint index;
	GlintProbeInfo info;
	gboolean binary_serial;
	const GlintUsbEmuBackend *klass;
	gpointer backend;
	gchar *devnode; /* /dev/bus/usb/001/002 */
	gchar *syspath;
	UMockdevIoctlBase *handler;
	GMutex lock;
	gboolean removed;
	UMockdevIoctlClient *claimed_by; /* interface 0 owner, not a reference */
	GPtrArray *clients;		 /* EmuClient* */
	guint64 urb_count;
} EmuProbe;

struct _GlintUsbEmu {
	UMockdevTestbed *testbed;
	GPtrArray *probes; /* EmuProbe* */
};

static void
emu_urb_free(EmuUrb *urb)
{
	if (urb->in_data != NULL)
		g_byte_array_unref(urb->in_data);
	g_free(urb);
}

static void
emu_client_free(EmuClient *client)
{
	g_queue_clear_full(&client->urbs, (GDestroyNotify)emu_urb_free);
	g_object_unref(client->client);
	g_free(client);
}

static EmuClient *
emu_client_get(EmuProbe *probe, UMockdevIoctlClient *client)
{
	EmuClient *ec;
	for (guint i = 0; i < probe->clients->len; i++) {
		ec = g_ptr_array_index(probe->clients, i);
		if (ec->client == client)
			return ec;
	}
	/* Forget file descriptors that have been closed since (every
	 * libusb_open() is one), so a long session does not accumulate them. */
	for (guint i = probe->clients->len; i > 0; i--) {
		ec = g_ptr_array_index(probe->clients, i - 1);
		if (umockdev_ioctl_client_get_connected(ec->client))
			continue;
		if (probe->claimed_by == ec->client)
			probe->claimed_by = NULL;
		g_ptr_array_remove_index(probe->clients, i - 1);
	}
	ec = g_new0(EmuClient, 1);
	ec->client = g_object_ref(client);
	g_queue_init(&ec->urbs);
	g_ptr_array_add(probe->clients, ec);
	return ec;
}

static gboolean
emu_probe_gone(EmuProbe *probe)
{
	if (probe->removed)
		return TRUE;
	return probe->klass->is_unplugged != NULL && probe->klass->is_unplugged(probe->backend);
}

/* ---- descriptors ----------------------------------------------------- */

static guint8
emu_ep_out(const EmuProbe *probe)
{
	guint8 out, in;
	glint_usb_kind_endpoints(probe->info.kind, &out, &in);
	return out;
}

static guint
emu_max_packet(const EmuProbe *probe)
{
	if (probe->info.max_packet != 0)
		return probe->info.max_packet;
	return probe->info.kind == GLINT_PROBE_KIND_V3 ? 512 : 64;
}

static void
put16(GByteArray *a, guint16 v)
{
	guint8 b[2] = {v & 0xff, v >> 8};
	g_byte_array_append(a, b, 2);
}

static void
emu_device_descriptor(const EmuProbe *probe, GByteArray *a)
{
	guint8 head[] = {USB_DT_DEVICE_SIZE,
			 USB_DT_DEVICE,
			 0x00,
			 0x02, /* bcdUSB 2.00 */
			 0x00,
			 0x00,
			 0x00,
			 EMU_MAX_PACKET_EP0};
	g_byte_array_append(a, head, sizeof(head));
	put16(a, probe->info.vid ? probe->info.vid : GLINT_USB_VID_ST);
	put16(a, probe->info.pid);
	put16(a, 0x0100);
	{
		guint8 tail[] = {EMU_STR_MANUFACTURER, EMU_STR_PRODUCT, EMU_STR_SERIAL, 1};
		g_byte_array_append(a, tail, sizeof(tail));
	}
}

static void
emu_endpoint(GByteArray *a, guint8 addr, guint16 max_packet)
{
	guint8 ep[] = {USB_DT_ENDPOINT_SIZE, USB_DT_ENDPOINT, addr, USB_ENDPOINT_XFER_BULK};
	g_byte_array_append(a, ep, sizeof(ep));
	put16(a, max_packet);
	g_byte_array_append(a, (const guint8 *)"\0", 1);
}

/* Configuration 1 with the debug interface as reference table 1.2 gives it. */
static void
emu_config_descriptor(const EmuProbe *probe, GByteArray *a)
{
	gboolean v1 = probe->info.kind == GLINT_PROBE_KIND_V1;
	guint n_ep = v1 ? 2 : 3;
	guint16 total = USB_DT_CONFIG_SIZE + USB_DT_INTERFACE_SIZE + n_ep * USB_DT_ENDPOINT_SIZE;
	guint mp = emu_max_packet(probe);
	guint8 cfg[] = {USB_DT_CONFIG_SIZE,
			USB_DT_CONFIG,
			total & 0xff,
			total >> 8,
			1,
			1,
			0,
			0x80,
			50 /* 100 mA */};
	/* V1 is a mass-storage device (SCSI transparent, bulk-only). */
	guint8 intf[] = {USB_DT_INTERFACE_SIZE,
			 USB_DT_INTERFACE,
			 0,
			 0,
			 n_ep,
			 v1 ? USB_CLASS_MASS_STORAGE : USB_CLASS_VENDOR_SPEC,
			 v1 ? 0x06 : USB_CLASS_VENDOR_SPEC,
			 v1 ? 0x50 : USB_CLASS_VENDOR_SPEC,
			 0};
	g_byte_array_append(a, cfg, sizeof(cfg));
	g_byte_array_append(a, intf, sizeof(intf));
	emu_endpoint(a, USB_DIR_IN | 1, mp);
	emu_endpoint(a, emu_ep_out(probe), mp);
	if (!v1) {
		/* The V2-1 trace endpoint is 32 bytes; V2 and V3 use full size. */
		guint trace_mp = probe->info.kind == GLINT_PROBE_KIND_V2_1 ? 32 : mp;
		emu_endpoint(a, glint_usb_kind_trace_endpoint(probe->info.kind), trace_mp);
	}
}

static void
emu_string_ascii(GByteArray *a, const char *s)
{
	gsize n = strlen(s);
	guint8 head[2] = {(guint8)(2 + 2 * n), USB_DT_STRING};
	g_byte_array_append(a, head, 2);
	for (gsize i = 0; i < n; i++)
		put16(a, (guint8)s[i]);
}

/* Serial string in the normal form (24 hex digits as text) or the old V2
 * firmware's binary form (the 12 bytes those digits encode). */
static void
emu_string_serial(const EmuProbe *probe, GByteArray *a)
{
	const char *serial = probe->info.serial ? probe->info.serial : "";
	gsize n = strlen(serial);
	if (probe->binary_serial && n == 24) {
		guint8 head[2] = {2 + 2 * 12, USB_DT_STRING};
		g_byte_array_append(a, head, 2);
		for (gsize i = 0; i < 12; i++) {
			gint hi = g_ascii_xdigit_value(serial[2 * i]);
			gint lo = g_ascii_xdigit_value(serial[2 * i + 1]);
			put16(a, (guint8)((MAX(hi, 0) << 4) | MAX(lo, 0)));
		}
		return;
	}
	emu_string_ascii(a, serial);
}

static const char *
emu_product_string(const EmuProbe *probe)
{
	switch (probe->info.kind) {
	case GLINT_PROBE_KIND_V3:
		return "STLINK-V3";
	case GLINT_PROBE_KIND_V1:
		return "STM32 STLink (V1)";
	default:
		return "STM32 STLink";
	}
}

/* Answers a standard control request into @reply; FALSE = stall. */
static gboolean
emu_control(EmuProbe *probe, const struct usb_ctrlrequest *setup, GByteArray *reply)
{
	guint16 value = GUINT16_FROM_LE(setup->wValue);
	guint8 type = value >> 8;
	guint8 index = value & 0xff;

	if (setup->bRequestType == USB_DIR_IN && setup->bRequest == USB_REQ_GET_DESCRIPTOR) {
		if (type == USB_DT_DEVICE) {
			emu_device_descriptor(probe, reply);
			return TRUE;
		}
		if (type == USB_DT_CONFIG && index == 0) {
			emu_config_descriptor(probe, reply);
			return TRUE;
		}
		if (type == USB_DT_STRING) {
			guint8 langs[] = {4, USB_DT_STRING, EMU_LANGID_EN_US & 0xff,
					  EMU_LANGID_EN_US >> 8};
			switch (index) {
			case 0:
				g_byte_array_append(reply, langs, sizeof(langs));
				return TRUE;
			case EMU_STR_MANUFACTURER:
				emu_string_ascii(reply, "STMicroelectronics");
				return TRUE;
			case EMU_STR_PRODUCT:
				emu_string_ascii(reply, emu_product_string(probe));
				return TRUE;
			case EMU_STR_SERIAL:
				emu_string_serial(probe, reply);
				return TRUE;
			default:
				return FALSE;
			}
		}
		return FALSE;
	}
	if (setup->bRequestType == USB_DIR_IN && setup->bRequest == USB_REQ_GET_CONFIGURATION) {
		g_byte_array_append(reply, (const guint8 *)"\1", 1);
		return TRUE;
	}
	if (setup->bRequestType == USB_DIR_IN && setup->bRequest == USB_REQ_GET_STATUS) {
		g_byte_array_append(reply, (const guint8 *)"\0\0", 2);
		return TRUE;
	}
	/* SET_CONFIGURATION, SET_INTERFACE, CLEAR_FEATURE(ENDPOINT_HALT):
	 * accepted without data. */
	if ((setup->bRequestType & USB_DIR_IN) == 0 &&
	    (setup->bRequest == USB_REQ_SET_CONFIGURATION ||
	     setup->bRequest == USB_REQ_SET_INTERFACE || setup->bRequest == USB_REQ_CLEAR_FEATURE))
		return TRUE;
	return FALSE;
}

/* ---- URBs ------------------------------------------------------------ */

/* Fills pending IN URBs on the trace endpoint, oldest first: a probe sends
 * what GET_TRACE_NB announced and NAKs otherwise. */
static void
emu_fill_trace(EmuProbe *probe, EmuClient *ec)
{
	guint8 ep = glint_usb_kind_trace_endpoint(probe->info.kind);
	for (GList *l = ec->urbs.head; l != NULL; l = l->next) {
		EmuUrb *urb = l->data;
		guint8 *buf;
		gsize want, got;

		if (urb->done || urb->type != USBDEVFS_URB_TYPE_BULK || ep == 0 ||
		    urb->endpoint != ep || probe->klass->trace_in == NULL)
			continue;
		want = MIN((gsize)urb->buffer_length, EMU_MAX_REPLY);
		buf = g_malloc(MAX(want, 1));
		got = probe->klass->trace_in(probe->backend, buf, want);
		if (got == 0) {
			g_free(buf);
			return;
		}
		urb->in_data = g_byte_array_new_take(buf, got);
		urb->status = 0;
		urb->done = TRUE;
	}
}

/* Fills pending IN URBs on the debug endpoint from the backend, oldest first. */
static void
emu_fill_pending(EmuProbe *probe, EmuClient *ec)
{
	emu_fill_trace(probe, ec);
	for (GList *l = ec->urbs.head; l != NULL; l = l->next) {
		EmuUrb *urb = l->data;
		guint8 *buf;
		gsize want, got;

		if (urb->done || urb->type != USBDEVFS_URB_TYPE_BULK ||
		    urb->endpoint != (USB_DIR_IN | 1))
			continue;
		/* No reply is longer than the probe's largest data phase; a
		 * bigger URB simply completes short, as on the wire. */
		want = MIN((gsize)urb->buffer_length, EMU_MAX_REPLY);
		buf = g_malloc(MAX(want, 1));
		got = probe->klass->bulk_in(probe->backend, buf, want);
		if (got == 0) {
			/* Nothing pending: a real probe NAKs until the host
			 * times out and discards the URB (reference 1.3). */
			g_free(buf);
			return;
		}
		urb->in_data = g_byte_array_new_take(buf, got);
		urb->status = 0;
		urb->done = TRUE;
	}
}

static void
emu_submit(EmuProbe *probe, EmuClient *ec, UMockdevIoctlClient *client)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data;
	UMockdevIoctlData *bufdata = NULL;
	struct usbdevfs_urb *u;
	EmuUrb *urb;

	data = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &error);
	if (data == NULL) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	/* umockdev copies the client's URB into a g_malloc()ed buffer: aligned
	 * for any type (hence the cast through void *). */
	u = (struct usbdevfs_urb *)(void *)data->data;
	if (u->buffer_length < 0) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	if (emu_probe_gone(probe)) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return;
	}
	urb = g_new0(EmuUrb, 1);
	urb->client_addr = data->client_addr;
	urb->type = u->type;
	urb->endpoint = u->endpoint;
	urb->buffer_length = u->buffer_length;
	if (u->buffer_length > 0)
		bufdata = umockdev_ioctl_data_resolve(data, offsetof(struct usbdevfs_urb, buffer),
						      (gsize)u->buffer_length, &error);
	probe->urb_count++;

	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		struct usb_ctrlrequest setup;
		g_autoptr(GByteArray) reply = g_byte_array_new();
		if (bufdata == NULL || urb->buffer_length < (gint)sizeof(setup)) {
			emu_urb_free(urb);
			umockdev_ioctl_client_complete(client, -1, EINVAL);
			return;
		}
		memcpy(&setup, bufdata->data, sizeof(setup));
		urb->done = TRUE;
		if (emu_control(probe, &setup, reply)) {
			gsize want = MIN(GUINT16_FROM_LE(setup.wLength),
					 (gsize)urb->buffer_length - sizeof(setup));
			g_byte_array_set_size(reply, MIN(reply->len, want));
			urb->in_data = g_byte_array_ref(reply);
			urb->status = 0;
		} else {
			urb->status = -EPIPE;
		}
	} else if (urb->type == USBDEVFS_URB_TYPE_BULK && (urb->endpoint & USB_DIR_IN) == 0) {
		if (urb->endpoint == emu_ep_out(probe) && bufdata != NULL)
			probe->klass->bulk_out(probe->backend, bufdata->data,
					       (gsize)urb->buffer_length);
		urb->done = TRUE;
		/* The command that made the probe vanish never completes
		 * normally: the host sees what a pulled cable gives. */
		urb->status = emu_probe_gone(probe) ? -EPROTO : 0;
		urb->in_data = NULL;
	} else if (urb->type != USBDEVFS_URB_TYPE_BULK) {
		emu_urb_free(urb);
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	/* Bulk IN stays pending until the backend has data. */
	g_queue_push_tail(&ec->urbs, urb);
	emu_fill_pending(probe, ec);
	umockdev_ioctl_client_complete(client, 0, 0);
}

static EmuUrb *
emu_next_reapable(EmuProbe *probe, EmuClient *ec)
{
	gboolean gone = emu_probe_gone(probe);
	if (!gone)
		emu_fill_pending(probe, ec);
	for (GList *l = ec->urbs.head; l != NULL; l = l->next) {
		EmuUrb *urb = l->data;
		if (!urb->done && gone) {
			urb->done = TRUE;
			urb->status = -ENODEV;
		}
		if (urb->done) {
			g_queue_delete_link(&ec->urbs, l);
			return urb;
		}
	}
	return NULL;
}

/* Writes the URB's outcome into the client's own struct and buffer, found
 * through the address the client passed at submit time. */
static void
emu_reap(EmuProbe *probe, EmuClient *ec, UMockdevIoctlClient *client)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *ptr;
	UMockdevIoctlData *data;
	struct usbdevfs_urb *u;
	EmuUrb *urb = emu_next_reapable(probe, ec);
	gsize header = 0;

	if (urb == NULL) {
		umockdev_ioctl_client_complete(client, -1, emu_probe_gone(probe) ? ENODEV : EAGAIN);
		return;
	}
	ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), &error);
	if (ptr == NULL) {
		emu_urb_free(urb);
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	memcpy(ptr->data, &urb->client_addr, sizeof(gpointer));
	data = umockdev_ioctl_data_resolve(ptr, 0, sizeof(struct usbdevfs_urb), &error);
	if (data == NULL) {
		emu_urb_free(urb);
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	u = (struct usbdevfs_urb *)(void *)data->data; /* g_malloc()ed, as above */
	u->status = urb->status;
	u->actual_length = 0;
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL)
		header = sizeof(struct usb_ctrlrequest);
	if (urb->in_data != NULL && urb->in_data->len > 0 && urb->status == 0) {
		UMockdevIoctlData *buf =
		    umockdev_ioctl_data_resolve(data, offsetof(struct usbdevfs_urb, buffer),
						header + urb->in_data->len, &error);
		if (buf != NULL) {
			memcpy(buf->data + header, urb->in_data->data, urb->in_data->len);
			u->actual_length = (int)urb->in_data->len;
		}
	} else if (urb->status == 0 && (urb->endpoint & USB_DIR_IN) == 0 &&
		   urb->type == USBDEVFS_URB_TYPE_BULK) {
		u->actual_length = urb->buffer_length;
	}
	emu_urb_free(urb);
	umockdev_ioctl_client_complete(client, 0, 0);
}

static void
emu_discard(EmuProbe *probe, EmuClient *ec, UMockdevIoctlClient *client)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gulong addr = 0;

	memcpy(&addr, arg->data, MIN(sizeof(addr), (gsize)arg->data_len));
	for (GList *l = ec->urbs.head; l != NULL; l = l->next) {
		EmuUrb *urb = l->data;
		if (urb->client_addr == addr && !urb->done) {
			/* The host reaps it next, with -ENOENT, as usbfs does. */
			urb->done = TRUE;
			urb->status = -ENOENT;
			umockdev_ioctl_client_complete(client, 0, 0);
			return;
		}
	}
	umockdev_ioctl_client_complete(client, -1, EINVAL);
}

/* Interface 0 is exclusive between file descriptors, as in the kernel: a
 * second program gets EBUSY (what OpenOCD holding the probe looks like). */
static void
emu_claim(EmuProbe *probe, UMockdevIoctlClient *client)
{
	if (probe->claimed_by != NULL && probe->claimed_by != client) {
		gboolean alive = FALSE;
		for (guint i = 0; i < probe->clients->len; i++) {
			EmuClient *ec = g_ptr_array_index(probe->clients, i);
			if (ec->client == probe->claimed_by)
				alive = umockdev_ioctl_client_get_connected(ec->client);
		}
		if (alive) {
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			return;
		}
	}
	probe->claimed_by = client;
	umockdev_ioctl_client_complete(client, 0, 0);
}

static gboolean
emu_handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data)
{
	EmuProbe *probe = user_data;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_autoptr(GError) error = NULL;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&probe->lock);
	EmuClient *ec = emu_client_get(probe, client);

	switch (request) {
	case USBDEVFS_SUBMITURB:
		emu_submit(probe, ec, client);
		return TRUE;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		emu_reap(probe, ec, client);
		return TRUE;
	case USBDEVFS_DISCARDURB:
		emu_discard(probe, ec, client);
		return TRUE;
	default:
		break;
	}
	if (emu_probe_gone(probe)) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return TRUE;
	}
	switch (request) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), &error);
		guint32 caps = EMU_USBFS_CAPS;
		if (d == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return TRUE;
		}
		memcpy(d->data, &caps, sizeof(caps));
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_DISCONNECT_CLAIM:
		emu_claim(probe, client);
		return TRUE;
	case USBDEVFS_RELEASEINTERFACE:
		if (probe->claimed_by == client)
			probe->claimed_by = NULL;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_GETDRIVER:
	case USBDEVFS_IOCTL:
		/* No kernel driver is bound to the debug interface. */
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		return TRUE;
	case USBDEVFS_GET_SPEED:
		umockdev_ioctl_client_complete(
		    client,
		    probe->info.kind == GLINT_PROBE_KIND_V3 ? USB_SPEED_HIGH : USB_SPEED_FULL, 0);
		return TRUE;
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	default:
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		return TRUE;
	}
}

/* ---- the bus --------------------------------------------------------- */

static void
emu_probe_free(EmuProbe *probe)
{
	if (probe->handler != NULL)
		g_object_unref(probe->handler);
	g_ptr_array_unref(probe->clients);
	glint_probe_info_clear(&probe->info);
	g_free(probe->devnode);
	g_free(probe->syspath);
	g_mutex_clear(&probe->lock);
	g_free(probe);
}

GlintUsbEmu *
glint_usb_emu_new(GError **error)
{
	GlintUsbEmu *emu;

	/* umockdev_in_mock_environment() answers FALSE under umockdev-wrapper
	 * with umockdev 0.17; the preload in LD_PRELOAD is what matters. */
	if (strstr(g_getenv("LD_PRELOAD") ? g_getenv("LD_PRELOAD") : "", "umockdev-preload") ==
	    NULL) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
				    _("the emulated USB bus needs the umockdev preload; run the "
				      "program under umockdev-wrapper"));
		return NULL;
	}
	emu = g_new0(GlintUsbEmu, 1);
	emu->testbed = umockdev_testbed_new();
	emu->probes = g_ptr_array_new_with_free_func((GDestroyNotify)emu_probe_free);
	return emu;
}

void
glint_usb_emu_free(GlintUsbEmu *emu)
{
	if (emu == NULL)
		return;
	for (guint i = 0; i < emu->probes->len; i++) {
		EmuProbe *probe = g_ptr_array_index(emu->probes, i);
		if (!probe->removed)
			umockdev_testbed_detach_ioctl(emu->testbed, probe->devnode, NULL);
	}
	g_object_unref(emu->testbed);
	g_ptr_array_unref(emu->probes);
	g_free(emu);
}

static gchar *
emu_hex(const GByteArray *a)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < a->len; i++)
		g_string_append_printf(s, "%02x", a->data[i]);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The udev record libusb enumerates: device and configuration descriptors
 * in sysfs, and the usual attributes (reference "The device record"). */
static gchar *
emu_record(EmuProbe *probe, guint devnum)
{
	g_autoptr(GByteArray) desc = g_byte_array_new();
	g_autofree gchar *hex = NULL;

	emu_device_descriptor(probe, desc);
	emu_config_descriptor(probe, desc);
	hex = emu_hex(desc);
	return g_strdup_printf(
	    "P: %s\n"
	    "N: bus/usb/%03u/%03u\n"
	    "E: SUBSYSTEM=usb\n"
	    "E: DEVTYPE=usb_device\n"
	    "E: BUSNUM=%03u\n"
	    "E: DEVNUM=%03u\n"
	    "E: DEVNAME=%s\n"
	    "A: busnum=%u\n"
	    "A: devnum=%u\n"
	    "A: bConfigurationValue=1\n"
	    "A: speed=%s\n"
	    "A: idVendor=%04x\n"
	    "A: idProduct=%04x\n"
	    "A: manufacturer=STMicroelectronics\n"
	    "A: product=%s\n"
	    "A: serial=%s\n"
	    "H: descriptors=%s\n",
	    probe->syspath, EMU_BUS, devnum, EMU_BUS, devnum, probe->devnode, EMU_BUS, devnum,
	    probe->info.kind == GLINT_PROBE_KIND_V3 ? "480" : "12",
	    probe->info.vid ? probe->info.vid : GLINT_USB_VID_ST, probe->info.pid,
	    emu_product_string(probe), probe->info.serial ? probe->info.serial : "", hex);
}

gint
glint_usb_emu_add_probe(GlintUsbEmu *emu, const GlintProbeInfo *info, gboolean binary_serial,
			const GlintUsbEmuBackend *klass, gpointer backend, GError **error)
{
	EmuProbe *probe = g_new0(EmuProbe, 1);
	g_autoptr(GError) local = NULL;
	g_autofree gchar *record = NULL;
	guint devnum = EMU_FIRST_DEVNUM + emu->probes->len;

	probe->index = (gint)emu->probes->len;
	probe->info = *info;
	probe->info.serial = g_strdup(info->serial);
	probe->info.description = g_strdup(info->description);
	if (probe->info.max_packet == 0)
		probe->info.max_packet = emu_max_packet(probe);
	probe->binary_serial = binary_serial;
	probe->klass = klass;
	probe->backend = backend;
	probe->clients = g_ptr_array_new_with_free_func((GDestroyNotify)emu_client_free);
	g_mutex_init(&probe->lock);
	probe->devnode = g_strdup_printf("/dev/bus/usb/%03u/%03u", EMU_BUS, devnum);
	probe->syspath = g_strdup_printf("/devices/pci0000:00/0000:00:14.0/usb%u/%u-%u", EMU_BUS,
					 EMU_BUS, probe->index + 1);
	probe->handler = umockdev_ioctl_base_new();
	g_signal_connect(probe->handler, "handle-ioctl", G_CALLBACK(emu_handle_ioctl), probe);

	if (!umockdev_testbed_attach_ioctl(emu->testbed, probe->devnode, probe->handler, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED, _("cannot emulate %s: %s"),
			    probe->devnode, local->message);
		emu_probe_free(probe);
		return -1;
	}
	record = emu_record(probe, devnum);
	if (!umockdev_testbed_add_from_string(emu->testbed, record, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED,
			    _("cannot add %s to the emulated bus: %s"), probe->devnode,
			    local->message);
		umockdev_testbed_detach_ioctl(emu->testbed, probe->devnode, NULL);
		emu_probe_free(probe);
		return -1;
	}
	/* Real sysfs attributes end with a newline; libusb warns otherwise. */
	{
		g_autofree gchar *sys = g_strconcat("/sys", probe->syspath, NULL);
		umockdev_testbed_set_attribute(emu->testbed, sys, "bConfigurationValue", "1\n");
	}
	g_ptr_array_add(emu->probes, probe);
	return probe->index;
}

void
glint_usb_emu_remove_probe(GlintUsbEmu *emu, gint index)
{
	EmuProbe *probe;
	g_autofree gchar *sys = NULL;

	g_return_if_fail(index >= 0 && (guint)index < emu->probes->len);
	probe = g_ptr_array_index(emu->probes, index);
	g_mutex_lock(&probe->lock);
	probe->removed = TRUE;
	g_mutex_unlock(&probe->lock);
	sys = g_strconcat("/sys", probe->syspath, NULL);
	umockdev_testbed_uevent(emu->testbed, sys, "remove");
	umockdev_testbed_remove_device(emu->testbed, sys);
}

guint64
glint_usb_emu_get_urb_count(GlintUsbEmu *emu, gint index)
{
	EmuProbe *probe;
	guint64 n;
	g_return_val_if_fail(index >= 0 && (guint)index < emu->probes->len, 0);
	probe = g_ptr_array_index(emu->probes, index);
	g_mutex_lock(&probe->lock);
	n = probe->urb_count;
	g_mutex_unlock(&probe->lock);
	return n;
}
