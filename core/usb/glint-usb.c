/* glint-usb.c: ST-LINK probes over libusb-1.0 (enumeration, transport,
 * error mapping, hot-plug polling). */
#define G_LOG_DOMAIN "glint-usb"

#include "glint-i18n.h"
#include "glint-usb.h"

#include <libusb.h>
#include <string.h>

#include "glint-error.h"

/* The debug function is interface 0 of configuration 1 on every generation
 * (reference section 1.2). */
#define STLINK_USB_CONFIGURATION 1
#define STLINK_USB_INTERFACE 0

/* Bulk endpoints (reference table 1.2). */
#define STLINK_V2_EP_OUT 0x02
#define STLINK_V2_1_EP_OUT 0x01
#define STLINK_EP_IN 0x81
#define STLINK_V2_EP_TRACE 0x83
#define STLINK_V2_1_EP_TRACE 0x82

/* String descriptor sizes: 24 UTF-16 units of hex, or the old V2 firmware's
 * 12 raw bytes each in the low byte of a unit (reference section 1.5). */
#define USB_DT_STRING 0x03
#define STLINK_SERIAL_RAW_UNITS 12
#define USB_STRING_DESC_MAX 255

#define GLINT_USB_MONITOR_INTERVAL_MS 1000

GlintProbeKind
glint_usb_kind_from_ids(guint16 vid, guint16 pid)
{
	if (vid != GLINT_USB_VID_ST)
		return GLINT_PROBE_KIND_UNKNOWN;
	switch (pid) {
	case GLINT_USB_PID_STLINK_V1:
		return GLINT_PROBE_KIND_V1;
	case GLINT_USB_PID_STLINK_V2:
		return GLINT_PROBE_KIND_V2;
	case GLINT_USB_PID_STLINK_V2_1:
	case GLINT_USB_PID_STLINK_V2_1_NO_MSD:
		return GLINT_PROBE_KIND_V2_1;
	case GLINT_USB_PID_STLINK_V3E:
	case GLINT_USB_PID_STLINK_V3S:
	case GLINT_USB_PID_STLINK_V3_2VCP:
	case GLINT_USB_PID_STLINK_V3_NO_MSD:
		return GLINT_PROBE_KIND_V3;
	default:
		return GLINT_PROBE_KIND_UNKNOWN;
	}
}

void
glint_usb_kind_endpoints(GlintProbeKind kind, guint8 *ep_out, guint8 *ep_in)
{
	/* V1 and V2 put commands on EP 2; V2-1 and V3 moved them to EP 1. */
	*ep_out = (kind == GLINT_PROBE_KIND_V1 || kind == GLINT_PROBE_KIND_V2) ? STLINK_V2_EP_OUT
									       : STLINK_V2_1_EP_OUT;
	*ep_in = STLINK_EP_IN;
}

guint8
glint_usb_kind_trace_endpoint(GlintProbeKind kind)
{
	switch (kind) {
	case GLINT_PROBE_KIND_V1:
	case GLINT_PROBE_KIND_UNKNOWN:
		return 0;
	case GLINT_PROBE_KIND_V2:
		return STLINK_V2_EP_TRACE;
	default:
		return STLINK_V2_1_EP_TRACE;
	}
}

static const char *
kind_product_name(GlintProbeKind kind)
{
	switch (kind) {
	case GLINT_PROBE_KIND_V1:
		return "ST-LINK/V1";
	case GLINT_PROBE_KIND_V2:
		return "ST-LINK/V2";
	case GLINT_PROBE_KIND_V2_1:
		return "ST-LINK/V2-1";
	case GLINT_PROBE_KIND_V3:
		return "STLINK-V3";
	default:
		return _("unknown probe");
	}
}

gchar *
glint_usb_serial_from_descriptor(const guint8 *desc, gsize len)
{
	gsize units;
	g_autoptr(GString) serial = g_string_new(NULL);

	if (len < 2 || desc[0] > len || desc[0] < 2 || desc[1] != USB_DT_STRING ||
	    (desc[0] & 1) != 0)
		return NULL;
	units = (desc[0] - 2) / 2;
	if (units == 0)
		return NULL;
	if (units == STLINK_SERIAL_RAW_UNITS) {
		/* Old V2 firmware: raw bytes, rendered as users and other
		 * tools (stlink-org, pyOCD) print them. */
		for (gsize i = 0; i < units; i++)
			g_string_append_printf(serial, "%02X", desc[2 + 2 * i]);
		return g_string_free(g_steal_pointer(&serial), FALSE);
	}
	for (gsize i = 0; i < units; i++) {
		guint8 lo = desc[2 + 2 * i];
		guint8 hi = desc[3 + 2 * i];
		if (hi != 0 || !g_ascii_isprint(lo))
			return NULL;
		g_string_append_c(serial, (gchar)lo);
	}
	return g_string_free(g_steal_pointer(&serial), FALSE);
}

void
glint_usb_set_error(GError **error, int rc, const char *what)
{
	switch (rc) {
	case LIBUSB_ERROR_ACCESS:
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_PERMISSION_DENIED,
		    _("%s: permission denied on the USB device. Install Glint's udev rules "
		      "(%s): sudo cp %s /etc/udev/rules.d/ && sudo udevadm control --reload, "
		      "then unplug and replug the probe"),
		    what, GLINT_USB_UDEV_RULES, GLINT_USB_UDEV_RULES);
		break;
	case LIBUSB_ERROR_BUSY:
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_BUSY,
		    _("%s: the probe is claimed by another program such as OpenOCD, st-util "
		      "or STM32CubeProgrammer; close that program and try again"),
		    what);
		break;
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_IO:
		/* An I/O error on a bulk pipe is what a pulled cable looks like
		 * before the kernel has noticed the device is gone. */
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("%s: the probe was disconnected (%s); check the USB cable, reconnect "
			      "the probe and start again"),
			    what, libusb_error_name(rc));
		break;
	case LIBUSB_ERROR_TIMEOUT:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
			    _("%s: the probe did not answer in time; unplug and replug it if this "
			      "persists"),
			    what);
		break;
	case LIBUSB_ERROR_NOT_FOUND:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
			    _("%s: the probe's debug interface was not found (%s)"), what,
			    libusb_error_name(rc));
		break;
	default:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE, _("%s: USB error %s (%s)"), what,
			    libusb_error_name(rc), libusb_strerror(rc));
		break;
	}
}

/* ---- enumeration ---------------------------------------------------- */

static gboolean
usb_context_new(libusb_context **ctx, GError **error)
{
	int rc = libusb_init(ctx);
	if (rc != LIBUSB_SUCCESS) {
		glint_usb_set_error(error, rc, _("initialising libusb"));
		return FALSE;
	}
	return TRUE;
}

/* Reads the serial string the way the reference says hosts must: language
 * id first, then the raw descriptor so the binary form can be recognised. */
static gchar *
usb_read_serial(libusb_device_handle *handle, guint8 index, GError **error)
{
	guint8 buf[USB_STRING_DESC_MAX];
	guint16 langid;
	int rc;

	if (index == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_PROBE,
				    _("the probe has no serial number descriptor"));
		return NULL;
	}
	rc = libusb_get_string_descriptor(handle, 0, 0, buf, sizeof(buf));
	if (rc < 4) {
		glint_usb_set_error(error, rc < 0 ? rc : LIBUSB_ERROR_IO,
				    _("reading the probe's language ids"));
		return NULL;
	}
	langid = (guint16)(buf[2] | (buf[3] << 8));
	rc = libusb_get_string_descriptor(handle, index, langid, buf, sizeof(buf));
	if (rc < 0) {
		glint_usb_set_error(error, rc, _("reading the probe's serial number"));
		return NULL;
	}
	{
		gchar *serial = glint_usb_serial_from_descriptor(buf, (gsize)rc);
		if (serial == NULL)
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("the probe's serial number descriptor is malformed (%d bytes)"), rc);
		return serial;
	}
}

static guint
usb_max_packet(libusb_device *dev, guint8 ep_in)
{
	int size = libusb_get_max_packet_size(dev, ep_in);
	return size > 0 ? (guint)size : 64;
}

/* Fills @info for @dev; opens the device to read its serial. A device that
 * cannot be opened is still listed, with the reason as its description. */
static gboolean
usb_probe_info_fill(libusb_device *dev, const struct libusb_device_descriptor *desc,
		    GlintProbeInfo *info)
{
	libusb_device_handle *handle = NULL;
	g_autoptr(GError) error = NULL;
	guint8 ep_out, ep_in;
	int rc;

	info->kind = glint_usb_kind_from_ids(desc->idVendor, desc->idProduct);
	if (info->kind == GLINT_PROBE_KIND_UNKNOWN)
		return FALSE;
	info->vid = desc->idVendor;
	info->pid = desc->idProduct;
	info->simulated = FALSE;
	glint_usb_kind_endpoints(info->kind, &ep_out, &ep_in);
	info->max_packet = usb_max_packet(dev, ep_in);

	rc = libusb_open(dev, &handle);
	if (rc == LIBUSB_SUCCESS) {
		info->serial = usb_read_serial(handle, desc->iSerialNumber, &error);
		libusb_close(handle);
	} else {
		glint_usb_set_error(&error, rc, _("opening the probe"));
	}
	if (info->kind == GLINT_PROBE_KIND_V1) {
		info->description = g_strdup_printf(
		    _("%s (%04x:%04x, bus %u device %u): unsupported, Glint needs an ST-LINK/V2 "
		      "or newer"),
		    kind_product_name(info->kind), info->vid, info->pid, libusb_get_bus_number(dev),
		    libusb_get_device_address(dev));
	} else if (error != NULL) {
		info->description = g_strdup_printf(_("%s (%04x:%04x, bus %u device %u): %s"),
						    kind_product_name(info->kind), info->vid,
						    info->pid, libusb_get_bus_number(dev),
						    libusb_get_device_address(dev), error->message);
	} else {
		info->description = g_strdup_printf(
		    _("%s (%04x:%04x, bus %u device %u)"), kind_product_name(info->kind), info->vid,
		    info->pid, libusb_get_bus_number(dev), libusb_get_device_address(dev));
	}
	return TRUE;
}

typedef struct {
	libusb_device *dev; /* owned: a reference */
	GlintProbeInfo info;
} UsbCandidate;

static void
usb_candidate_free(UsbCandidate *cand)
{
	libusb_unref_device(cand->dev);
	glint_probe_info_clear(&cand->info);
	g_free(cand);
}

/* Every ST-LINK on the bus, as UsbCandidate. */
static GPtrArray *
usb_candidates(libusb_context *ctx, GError **error)
{
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(ctx, &list);
	GPtrArray *out;

	if (n < 0) {
		glint_usb_set_error(error, (int)n, _("listing USB devices"));
		return NULL;
	}
	out = g_ptr_array_new_with_free_func((GDestroyNotify)usb_candidate_free);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor desc;
		UsbCandidate *cand;

		if (libusb_get_device_descriptor(list[i], &desc) != LIBUSB_SUCCESS)
			continue;
		if (glint_usb_kind_from_ids(desc.idVendor, desc.idProduct) ==
		    GLINT_PROBE_KIND_UNKNOWN)
			continue;
		cand = g_new0(UsbCandidate, 1);
		if (!usb_probe_info_fill(list[i], &desc, &cand->info)) {
			g_free(cand);
			continue;
		}
		cand->dev = libusb_ref_device(list[i]);
		g_ptr_array_add(out, cand);
	}
	libusb_free_device_list(list, 1);
	return out;
}

GPtrArray *
glint_usb_list_probes(GError **error)
{
	libusb_context *ctx = NULL;
	g_autoptr(GPtrArray) cands = NULL;
	GPtrArray *out;

	if (!usb_context_new(&ctx, error))
		return NULL;
	cands = usb_candidates(ctx, error);
	if (cands == NULL) {
		libusb_exit(ctx);
		return NULL;
	}
	out = g_ptr_array_new_with_free_func((GDestroyNotify)glint_probe_info_free);
	for (guint i = 0; i < cands->len; i++) {
		UsbCandidate *cand = g_ptr_array_index(cands, i);
		g_ptr_array_add(out, glint_probe_info_copy(&cand->info));
	}
	g_clear_pointer(&cands, g_ptr_array_unref);
	libusb_exit(ctx);
	return out;
}

/* ---- the transport --------------------------------------------------- */

typedef struct {
	GlintTransport parent;
	libusb_context *ctx;
	libusb_device_handle *handle;
	guint8 ep_out;
	guint8 ep_in;
	guint8 ep_trace; /* 0: none */
	gboolean claimed;
	gboolean gone; /* disconnected: fail fast from now on */
} GlintUsbTransport;

static gboolean
usb_transport_fail(GlintUsbTransport *self, int rc, const char *phase, guint8 ep, GError **error)
{
	g_autofree gchar *what =
	    g_strdup_printf(_("%s on endpoint 0x%02x of %s %s"), phase, ep,
			    kind_product_name(self->parent.info.kind),
			    self->parent.info.serial ? self->parent.info.serial : "");
	if (rc == LIBUSB_ERROR_NO_DEVICE || rc == LIBUSB_ERROR_IO)
		self->gone = TRUE;
	glint_usb_set_error(error, rc, what);
	return FALSE;
}

static gboolean
usb_transport_out(GlintUsbTransport *self, const guint8 *data, gsize len, guint timeout_ms,
		  const char *phase, GError **error)
{
	int done = 0;
	int rc;

	if (len > G_MAXINT) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s of %zu bytes is too long for one USB transfer"), phase, len);
		return FALSE;
	}
	rc = libusb_bulk_transfer(self->handle, self->ep_out, (guint8 *)data, (int)len, &done,
				  timeout_ms);
	if (rc != LIBUSB_SUCCESS)
		return usb_transport_fail(self, rc, phase, self->ep_out, error);
	if ((gsize)done != len) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("%s on endpoint 0x%02x: the probe took %d of %zu bytes"), phase,
			    self->ep_out, done, len);
		return FALSE;
	}
	return TRUE;
}

static gboolean
usb_transport_command(GlintTransport *transport, const guint8 *cmd, const guint8 *out,
		      gsize out_len, guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	GlintUsbTransport *self = (GlintUsbTransport *)transport;
	int done = 0;
	int rc;

	if (self->gone) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("%s %s: the probe was disconnected; reconnect it and start again"),
			    kind_product_name(transport->info.kind),
			    transport->info.serial ? transport->info.serial : "");
		return FALSE;
	}
	if (!usb_transport_out(self, cmd, GLINT_STLINK_CMD_SIZE, timeout_ms, _("sending command"),
			       error))
		return FALSE;
	if (out != NULL && out_len > 0 &&
	    !usb_transport_out(self, out, out_len, timeout_ms, _("sending data"), error))
		return FALSE;
	if (in == NULL || in_len == 0)
		return TRUE;
	if (in_len > G_MAXINT) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("a reply of %zu bytes is too long for one transfer"), in_len);
		return FALSE;
	}
	/* Exactly the expected length: the firmware sends that much and no
	 * more, and asking for less would leave bytes for the next command. */
	rc = libusb_bulk_transfer(self->handle, self->ep_in, in, (int)in_len, &done, timeout_ms);
	if (rc != LIBUSB_SUCCESS)
		return usb_transport_fail(self, rc, _("reading the reply"), self->ep_in, error);
	if ((gsize)done != in_len) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("reading the reply to command %02x %02x: the probe sent %d of the "
			      "%zu bytes expected"),
			    cmd[0], cmd[1], done, in_len);
		return FALSE;
	}
	return TRUE;
}

/* The trace endpoint gives what GET_TRACE_NB announced; a short transfer
 * is fine (the caller asks for at most that) */
static gboolean
usb_transport_read_trace(GlintTransport *transport, guint8 *buf, gsize len, gsize *got,
			 guint timeout_ms, GError **error)
{
	GlintUsbTransport *self = (GlintUsbTransport *)transport;
	int done = 0;
	int rc;

	if (self->gone) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("%s %s: the probe was disconnected; reconnect it and start again"),
			    kind_product_name(transport->info.kind),
			    transport->info.serial ? transport->info.serial : "");
		return FALSE;
	}
	if (self->ep_trace == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("%s has no trace endpoint: SWO needs an ST-LINK/V2 or later"),
			    kind_product_name(transport->info.kind));
		return FALSE;
	}
	rc = libusb_bulk_transfer(self->handle, self->ep_trace, buf, (int)MIN(len, (gsize)G_MAXINT),
				  &done, timeout_ms);
	if (rc != LIBUSB_SUCCESS && !(rc == LIBUSB_ERROR_TIMEOUT && done > 0))
		return usb_transport_fail(self, rc, _("reading trace data"), self->ep_trace, error);
	*got = (gsize)done;
	return TRUE;
}

static void
usb_transport_finalize(GlintTransport *transport)
{
	GlintUsbTransport *self = (GlintUsbTransport *)transport;
	if (self->claimed && !self->gone)
		libusb_release_interface(self->handle, STLINK_USB_INTERFACE);
	if (self->handle != NULL)
		libusb_close(self->handle);
	if (self->ctx != NULL)
		libusb_exit(self->ctx);
	g_free(self);
}

static const GlintTransportClass usb_transport_class = {
    .command = usb_transport_command,
    .device_time_ns = NULL,
    .finalize = usb_transport_finalize,
    .read_trace = usb_transport_read_trace,
};

/* Configuration 1, interface 0, any kernel driver detached (reference 1.2). */
static gboolean
usb_transport_claim(GlintUsbTransport *self, const char *name, GError **error)
{
	g_autofree gchar *what = NULL;
	int config = 0;
	int rc;

	rc = libusb_kernel_driver_active(self->handle, STLINK_USB_INTERFACE);
	if (rc == 1) {
		rc = libusb_detach_kernel_driver(self->handle, STLINK_USB_INTERFACE);
		if (rc != LIBUSB_SUCCESS && rc != LIBUSB_ERROR_NOT_FOUND) {
			what = g_strdup_printf(_("detaching the kernel driver from %s"), name);
			glint_usb_set_error(error, rc, what);
			return FALSE;
		}
	}
	rc = libusb_get_configuration(self->handle, &config);
	if (rc == LIBUSB_SUCCESS && config != STLINK_USB_CONFIGURATION) {
		rc = libusb_set_configuration(self->handle, STLINK_USB_CONFIGURATION);
		if (rc != LIBUSB_SUCCESS) {
			what = g_strdup_printf(_("selecting configuration 1 of %s"), name);
			glint_usb_set_error(error, rc, what);
			return FALSE;
		}
	}
	rc = libusb_claim_interface(self->handle, STLINK_USB_INTERFACE);
	if (rc != LIBUSB_SUCCESS) {
		what = g_strdup_printf(_("claiming %s"), name);
		glint_usb_set_error(error, rc, what);
		return FALSE;
	}
	self->claimed = TRUE;
	return TRUE;
}

static gchar *
usb_candidates_describe(GPtrArray *cands)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < cands->len; i++) {
		UsbCandidate *cand = g_ptr_array_index(cands, i);
		g_string_append_printf(
		    str, "%s%s %s", i ? ", " : "", kind_product_name(cand->info.kind),
		    cand->info.serial ? cand->info.serial : _("(serial unreadable)"));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gboolean
serial_matches(const char *have, const char *want)
{
	return have != NULL && g_ascii_strcasecmp(have, want) == 0;
}

static UsbCandidate *
usb_choose(GPtrArray *cands, const char *serial, GError **error)
{
	g_autofree gchar *present = usb_candidates_describe(cands);
	UsbCandidate *found = NULL;
	guint usable = 0;

	if (cands->len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
			    serial
				? _("no ST-LINK probe with serial %s is connected; check the USB "
				    "cable (lsusb should list a 0483:37xx device)")
				: _("no ST-LINK probe is connected%s; check the USB cable (lsusb "
				    "should list a 0483:37xx device)"),
			    serial ? serial : "");
		return NULL;
	}
	for (guint i = 0; i < cands->len; i++) {
		UsbCandidate *cand = g_ptr_array_index(cands, i);
		if (serial != NULL && !serial_matches(cand->info.serial, serial))
			continue;
		if (cand->info.kind != GLINT_PROBE_KIND_V1)
			usable++;
		if (found == NULL || (found->info.kind == GLINT_PROBE_KIND_V1 &&
				      cand->info.kind != GLINT_PROBE_KIND_V1))
			found = cand;
	}
	if (found == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE,
			    _("no ST-LINK probe with serial %s is connected; present: %s"), serial,
			    present);
		return NULL;
	}
	if (found->info.kind == GLINT_PROBE_KIND_V1) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("%s: ST-LINK/V1 probes are unsupported (they speak SCSI and have no "
			      "SWD on old firmware); use an ST-LINK/V2, V2-1 or V3"),
			    found->info.description);
		return NULL;
	}
	if (serial == NULL && usable > 1) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%u ST-LINK probes are connected (%s); choose one by its serial number"),
		    usable, present);
		return NULL;
	}
	return found;
}

GlintTransport *
glint_usb_open(const char *serial, GError **error)
{
	g_autoptr(GPtrArray) cands = NULL;
	g_autofree gchar *name = NULL;
	GlintUsbTransport *self;
	UsbCandidate *cand;
	libusb_context *ctx = NULL;
	int rc;

	if (!usb_context_new(&ctx, error))
		return NULL;
	cands = usb_candidates(ctx, error);
	if (cands == NULL) {
		libusb_exit(ctx);
		return NULL;
	}
	cand = usb_choose(cands, serial, error);
	if (cand == NULL) {
		g_clear_pointer(&cands, g_ptr_array_unref);
		libusb_exit(ctx);
		return NULL;
	}

	self = g_new0(GlintUsbTransport, 1);
	glint_transport_init(&self->parent, &usb_transport_class, &cand->info);
	self->ctx = ctx;
	glint_usb_kind_endpoints(cand->info.kind, &self->ep_out, &self->ep_in);
	self->ep_trace = glint_usb_kind_trace_endpoint(cand->info.kind);
	name = g_strdup_printf("%s %s", kind_product_name(cand->info.kind),
			       cand->info.serial ? cand->info.serial : _("(serial unreadable)"));
	rc = libusb_open(cand->dev, &self->handle);
	g_clear_pointer(&cands, g_ptr_array_unref);
	if (rc != LIBUSB_SUCCESS) {
		g_autofree gchar *what = g_strdup_printf(_("opening %s"), name);
		glint_usb_set_error(error, rc, what);
		glint_transport_unref(&self->parent);
		return NULL;
	}
	if (!usb_transport_claim(self, name, error)) {
		glint_transport_unref(&self->parent);
		return NULL;
	}
	g_debug("opened %s: OUT 0x%02x IN 0x%02x, %u-byte packets", name, self->ep_out, self->ep_in,
		self->parent.info.max_packet);
	return &self->parent;
}

/* ---- hot-plug ------------------------------------------------------- */

struct _GlintUsbMonitor {
	GlintUsbMonitorFunc func;
	gpointer user_data;
	GMainContext *context;
	GSource *first;	   /* one-shot: reports the probes already present */
	GSource *timer;	   /* polling: the fallback, and a safety net */
	GSource *kick;	   /* made ready by libusb hot-plug events */
	GHashTable *known; /* "bus:addr:vid:pid" -> GlintProbeInfo* */
	/* libusb hot-plug, where the platform has it: events only trigger a
	 * poll, which does the work on the caller's context. */
	libusb_context *hp_ctx;
	libusb_hotplug_callback_handle hp_handle;
	GThread *hp_thread;
	gint hp_stop;
};

static gchar *
usb_device_key(libusb_device *dev, const struct libusb_device_descriptor *desc)
{
	return g_strdup_printf("%u:%u:%04x:%04x", libusb_get_bus_number(dev),
			       libusb_get_device_address(dev), desc->idVendor, desc->idProduct);
}

gboolean
glint_usb_monitor_poll(GlintUsbMonitor *monitor, GError **error)
{
	libusb_context *ctx = NULL;
	libusb_device **list = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter iter;
	gpointer key;
	ssize_t n;

	/* A fresh context each time: its enumeration reads the bus as it is
	 * now, independent of whether libusb's own hot-plug thread works. */
	if (!usb_context_new(&ctx, error))
		return FALSE;
	n = libusb_get_device_list(ctx, &list);
	if (n < 0) {
		glint_usb_set_error(error, (int)n, _("listing USB devices"));
		libusb_exit(ctx);
		return FALSE;
	}
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor desc;
		gchar *k;

		if (libusb_get_device_descriptor(list[i], &desc) != LIBUSB_SUCCESS)
			continue;
		if (glint_usb_kind_from_ids(desc.idVendor, desc.idProduct) ==
		    GLINT_PROBE_KIND_UNKNOWN)
			continue;
		k = usb_device_key(list[i], &desc);
		g_hash_table_add(seen, k);
		if (!g_hash_table_contains(monitor->known, k)) {
			GlintProbeInfo *info = g_new0(GlintProbeInfo, 1);
			usb_probe_info_fill(list[i], &desc, info);
			g_hash_table_insert(monitor->known, g_strdup(k), info);
			monitor->func(info, TRUE, monitor->user_data);
		}
	}
	libusb_free_device_list(list, 1);
	libusb_exit(ctx);

	g_hash_table_iter_init(&iter, monitor->known);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (!g_hash_table_contains(seen, key))
			g_ptr_array_add(left, g_strdup(key));
	}
	for (guint i = 0; i < left->len; i++) {
		const char *k = g_ptr_array_index(left, i);
		GlintProbeInfo *info = g_hash_table_lookup(monitor->known, k);
		monitor->func(info, FALSE, monitor->user_data);
		g_hash_table_remove(monitor->known, k);
	}
	return TRUE;
}

static gboolean
usb_monitor_tick(gpointer user_data)
{
	GlintUsbMonitor *monitor = user_data;
	g_autoptr(GError) error = NULL;
	if (!glint_usb_monitor_poll(monitor, &error))
		g_warning("hot-plug poll failed: %s", error->message);
	return G_SOURCE_CONTINUE;
}

static gboolean
usb_monitor_first(gpointer user_data)
{
	usb_monitor_tick(user_data);
	return G_SOURCE_REMOVE;
}

static gboolean
usb_monitor_kicked(gpointer user_data)
{
	GlintUsbMonitor *monitor = user_data;
	g_source_set_ready_time(monitor->kick, -1);
	return usb_monitor_tick(monitor);
}

static gboolean
usb_kick_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	return callback(user_data);
}

static GSourceFuncs usb_kick_funcs = {
    .dispatch = usb_kick_dispatch,
};

/* On libusb's event thread: only wake the caller's context (thread-safe). */
static int LIBUSB_CALL
usb_monitor_hotplug_cb(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event,
		       void *user_data)
{
	GlintUsbMonitor *monitor = user_data;
	g_source_set_ready_time(monitor->kick, 0);
	return 0;
}

static gpointer
usb_monitor_hotplug_thread(gpointer user_data)
{
	GlintUsbMonitor *monitor = user_data;
	while (!g_atomic_int_get(&monitor->hp_stop)) {
		struct timeval tv = {0, 200000};
		libusb_handle_events_timeout_completed(monitor->hp_ctx, &tv, NULL);
	}
	return NULL;
}

static void
usb_monitor_hotplug_start(GlintUsbMonitor *monitor)
{
	int rc;

	if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
		return;
	if (libusb_init(&monitor->hp_ctx) != LIBUSB_SUCCESS) {
		monitor->hp_ctx = NULL;
		return;
	}
	rc = libusb_hotplug_register_callback(
	    monitor->hp_ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
	    0, GLINT_USB_VID_ST, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
	    usb_monitor_hotplug_cb, monitor, &monitor->hp_handle);
	if (rc != LIBUSB_SUCCESS) {
		g_debug("libusb hot-plug unavailable (%s); polling only", libusb_error_name(rc));
		libusb_exit(monitor->hp_ctx);
		monitor->hp_ctx = NULL;
		return;
	}
	monitor->hp_thread = g_thread_new("glint-usb-hotplug", usb_monitor_hotplug_thread, monitor);
}

static void
usb_monitor_hotplug_stop(GlintUsbMonitor *monitor)
{
	if (monitor->hp_ctx == NULL)
		return;
	g_atomic_int_set(&monitor->hp_stop, 1);
	/* Deregistering wakes the event thread out of its wait. */
	libusb_hotplug_deregister_callback(monitor->hp_ctx, monitor->hp_handle);
	g_thread_join(monitor->hp_thread);
	libusb_exit(monitor->hp_ctx);
	monitor->hp_ctx = NULL;
}

static GSource *
usb_monitor_attach(GlintUsbMonitor *monitor, GSource *source, GSourceFunc func)
{
	g_source_set_callback(source, func, monitor, NULL);
	g_source_attach(source, monitor->context);
	return source;
}

GlintUsbMonitor *
glint_usb_monitor_new(GlintUsbMonitorFunc func, gpointer user_data, GError **error)
{
	GlintUsbMonitor *monitor;
	libusb_context *ctx = NULL;

	g_return_val_if_fail(func != NULL, NULL);
	/* Fail now, not silently on every tick, if libusb cannot start. */
	if (!usb_context_new(&ctx, error))
		return NULL;
	libusb_exit(ctx);

	monitor = g_new0(GlintUsbMonitor, 1);
	monitor->func = func;
	monitor->user_data = user_data;
	monitor->context = g_main_context_ref_thread_default();
	monitor->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)glint_probe_info_free);
	/* The first scan runs from an idle so that the caller can finish
	 * setting up before the probes already present are reported. */
	monitor->first = usb_monitor_attach(monitor, g_idle_source_new(), usb_monitor_first);
	monitor->timer = usb_monitor_attach(
	    monitor, g_timeout_source_new(GLINT_USB_MONITOR_INTERVAL_MS), usb_monitor_tick);
	monitor->kick = usb_monitor_attach(monitor, g_source_new(&usb_kick_funcs, sizeof(GSource)),
					   usb_monitor_kicked);
	usb_monitor_hotplug_start(monitor);
	return monitor;
}

void
glint_usb_monitor_free(GlintUsbMonitor *monitor)
{
	if (monitor == NULL)
		return;
	/* The event thread goes first: it may still touch the kick source. */
	usb_monitor_hotplug_stop(monitor);
	g_source_destroy(monitor->first);
	g_source_unref(monitor->first);
	g_source_destroy(monitor->timer);
	g_source_unref(monitor->timer);
	g_source_destroy(monitor->kick);
	g_source_unref(monitor->kick);
	g_main_context_unref(monitor->context);
	g_hash_table_unref(monitor->known);
	g_free(monitor);
}
