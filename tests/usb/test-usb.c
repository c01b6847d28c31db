/* test-usb.c: the libusb transport against probes emulated at the usbfs
 * level (umockdev). Runs under umockdev-wrapper; every test builds its own
 * emulated bus inside the forked test process (umockdev's worker thread
 * does not survive fork). */
#define G_LOG_DOMAIN "test-usb"

#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake-probe.h"
#include "glint-error.h"
#include "glint-stlink.h"
#include "glint-usb-emu.h"
#include "glint-usb.h"

#define SERIAL_A "066DFF485550755187121234"
#define SERIAL_B "0670FF3231324B4D43235678"
#define SHORT_TIMEOUT_MS 200
#define UNPRIVILEGED_ID 65534 /* nobody/nogroup */

static GlintProbeInfo
info_for(guint16 pid, const char *serial)
{
	GlintProbeInfo info = {0};
	info.vid = GLINT_USB_VID_ST;
	info.pid = pid;
	info.kind = glint_usb_kind_from_ids(GLINT_USB_VID_ST, pid);
	info.serial = (gchar *)serial;
	return info;
}

static GlintUsbEmu *
bus_new(void)
{
	g_autoptr(GError) error = NULL;
	GlintUsbEmu *emu = glint_usb_emu_new(&error);
	ck_assert_msg(emu != NULL, "%s", error ? error->message : "");
	return emu;
}

static void
bus_add(GlintUsbEmu *emu, FakeProbe *fake, const char *serial, gboolean binary)
{
	g_autoptr(GError) error = NULL;
	GlintProbeInfo info = info_for(fake->pid, serial);
	gint idx = glint_usb_emu_add_probe(emu, &info, binary, &fake_probe_backend, fake, &error);
	ck_assert_msg(idx >= 0, "%s", error ? error->message : "");
}

static const GlintProbeInfo *
find_serial(GPtrArray *probes, const char *serial)
{
	for (guint i = 0; i < probes->len; i++) {
		const GlintProbeInfo *info = g_ptr_array_index(probes, i);
		if (g_strcmp0(info->serial, serial) == 0)
			return info;
	}
	return NULL;
}

static gboolean
send_get_version(GlintTransport *t, guint8 reply[6], GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE] = {STLINK_GET_VERSION};
	return glint_transport_command(t, cmd, NULL, 0, reply, 6, 0, error);
}

START_TEST(test_enumerate_one)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) probes = NULL;
	const GlintProbeInfo *info;

	bus_add(emu, fake, SERIAL_A, FALSE);
	probes = glint_usb_list_probes(&error);
	ck_assert_msg(probes != NULL, "%s", error ? error->message : "");
	ck_assert_uint_eq(probes->len, 1);
	info = g_ptr_array_index(probes, 0);
	ck_assert_int_eq(info->kind, GLINT_PROBE_KIND_V2);
	ck_assert_uint_eq(info->vid, 0x0483);
	ck_assert_uint_eq(info->pid, 0x3748);
	ck_assert_str_eq(info->serial, SERIAL_A);
	ck_assert_uint_eq(info->max_packet, 64);
	ck_assert(!info->simulated);
	ck_assert_ptr_nonnull(strstr(info->description, "ST-LINK/V2"));
}
END_TEST

START_TEST(test_enumerate_empty)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) probes = glint_usb_list_probes(&error);
	GlintTransport *t;

	ck_assert_ptr_nonnull(probes);
	ck_assert_uint_eq(probes->len, 0);
	t = glint_usb_open(NULL, &error);
	ck_assert_ptr_null(t);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE));
	ck_assert_ptr_nonnull(strstr(error->message, "no ST-LINK probe"));
}
END_TEST

/* Every generation by PID, with its endpoints and packet size. */
START_TEST(test_enumerate_generations)
{
	static const struct {
		guint16 pid;
		GlintProbeKind kind;
		guint max_packet;
		const char *serial;
	} cases[] = {
	    {0x3748, GLINT_PROBE_KIND_V2, 64, "000000000000000000000001"},
	    {0x374b, GLINT_PROBE_KIND_V2_1, 64, "000000000000000000000002"},
	    {0x3752, GLINT_PROBE_KIND_V2_1, 64, "000000000000000000000003"},
	    {0x374e, GLINT_PROBE_KIND_V3, 512, "000000000000000000000004"},
	    {0x374f, GLINT_PROBE_KIND_V3, 512, "000000000000000000000005"},
	    {0x3753, GLINT_PROBE_KIND_V3, 512, "000000000000000000000006"},
	    {0x3754, GLINT_PROBE_KIND_V3, 512, "000000000000000000000007"},
	    {0x3744, GLINT_PROBE_KIND_V1, 64, "000000000000000000000008"},
	};
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(GPtrArray) fakes =
	    g_ptr_array_new_with_free_func((GDestroyNotify)fake_probe_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) probes = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		FakeProbe *fake = fake_probe_new(cases[i].pid);
		g_ptr_array_add(fakes, fake);
		bus_add(emu, fake, cases[i].serial, FALSE);
	}
	probes = glint_usb_list_probes(&error);
	ck_assert_msg(probes != NULL, "%s", error ? error->message : "");
	ck_assert_uint_eq(probes->len, G_N_ELEMENTS(cases));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const GlintProbeInfo *info = find_serial(probes, cases[i].serial);
		ck_assert_msg(info != NULL, "PID %04x not listed", cases[i].pid);
		ck_assert_int_eq(info->kind, cases[i].kind);
		ck_assert_uint_eq(info->pid, cases[i].pid);
		ck_assert_uint_eq(info->max_packet, cases[i].max_packet);
	}
	/* Commands reach each generation on its own OUT endpoint (2 on V2,
	 * 1 on V2-1 and V3): the fake only sees what arrives there. */
	for (guint i = 0; i < G_N_ELEMENTS(cases) - 1; i++) {
		FakeProbe *fake = g_ptr_array_index(fakes, i);
		g_autoptr(GlintTransport) t = glint_usb_open(cases[i].serial, &error);
		guint8 v[6];
		ck_assert_msg(t != NULL, "%04x: %s", cases[i].pid, error ? error->message : "");
		ck_assert_msg(send_get_version(t, v, &error), "%s", error ? error->message : "");
		ck_assert_uint_eq(v[4] | v[5] << 8, cases[i].pid);
		ck_assert_uint_eq(fake_probe_commands(fake), 1);
	}
}
END_TEST

START_TEST(test_v1_refused)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V1);
	g_autoptr(GError) error = NULL;
	GlintTransport *t;

	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(NULL, &error);
	ck_assert_ptr_null(t);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED));
	ck_assert_ptr_nonnull(strstr(error->message, "unsupported"));
	ck_assert_uint_eq(fake_probe_commands(fake), 0);
}
END_TEST

/* Old V2 firmware: 12 raw bytes in the descriptor; users see 24 hex digits. */
START_TEST(test_binary_serial)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) probes = NULL;
	g_autoptr(GlintTransport) t = NULL;

	bus_add(emu, fake, SERIAL_B, TRUE);
	probes = glint_usb_list_probes(&error);
	ck_assert_ptr_nonnull(probes);
	ck_assert_uint_eq(probes->len, 1);
	ck_assert_str_eq(((GlintProbeInfo *)g_ptr_array_index(probes, 0))->serial, SERIAL_B);
	/* --serial matches case-insensitively, as users type it. */
	t = glint_usb_open("0670ff3231324b4d43235678", &error);
	ck_assert_msg(t != NULL, "%s", error ? error->message : "");
}
END_TEST

START_TEST(test_two_probes_by_serial)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) a = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(FakeProbe) b = fake_probe_new(GLINT_USB_PID_STLINK_V2_1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) ta = NULL;
	g_autoptr(GlintTransport) tb = NULL;
	GlintTransport *none;
	guint8 v[6];

	bus_add(emu, a, SERIAL_A, FALSE);
	bus_add(emu, b, SERIAL_B, FALSE);

	none = glint_usb_open(NULL, &error);
	ck_assert_ptr_null(none);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_ptr_nonnull(strstr(error->message, SERIAL_A));
	ck_assert_ptr_nonnull(strstr(error->message, SERIAL_B));
	g_clear_error(&error);

	none = glint_usb_open("FFFFFFFFFFFFFFFFFFFFFFFF", &error);
	ck_assert_ptr_null(none);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_PROBE));
	ck_assert_ptr_nonnull(strstr(error->message, SERIAL_B));
	g_clear_error(&error);

	tb = glint_usb_open(SERIAL_B, &error);
	ck_assert_msg(tb != NULL, "%s", error ? error->message : "");
	ta = glint_usb_open(SERIAL_A, &error);
	ck_assert_msg(ta != NULL, "%s", error ? error->message : "");
	ck_assert_str_eq(glint_transport_get_info(tb)->serial, SERIAL_B);
	ck_assert_int_eq(glint_transport_get_info(tb)->kind, GLINT_PROBE_KIND_V2_1);

	for (int i = 0; i < 3; i++)
		ck_assert(send_get_version(tb, v, NULL));
	ck_assert_uint_eq(v[4] | v[5] << 8, 0x374b);
	ck_assert(send_get_version(ta, v, NULL));
	ck_assert_uint_eq(v[4] | v[5] << 8, 0x3748);
	ck_assert_uint_eq(fake_probe_commands(a), 1);
	ck_assert_uint_eq(fake_probe_commands(b), 3);
}
END_TEST

/* Claimed by another handle (another program, e.g. OpenOCD) -> BUSY. */
START_TEST(test_busy)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) first = NULL;
	GlintTransport *second;
	guint8 v[6];

	bus_add(emu, fake, SERIAL_A, FALSE);
	first = glint_usb_open(SERIAL_A, &error);
	ck_assert_msg(first != NULL, "%s", error ? error->message : "");
	second = glint_usb_open(SERIAL_A, &error);
	ck_assert_ptr_null(second);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BUSY));
	ck_assert_ptr_nonnull(strstr(error->message, "another program such as OpenOCD"));
	/* The owner is undisturbed, and once it lets go the probe is free. */
	ck_assert(send_get_version(first, v, NULL));
	g_clear_pointer(&first, glint_transport_unref);
	g_clear_error(&error);
	second = glint_usb_open(SERIAL_A, &error);
	ck_assert_msg(second != NULL, "%s", error ? error->message : "");
	glint_transport_unref(second);
}
END_TEST

/* Write 256 KiB through the bulk pipe in 4 KiB commands and read it back:
 * long data phases and exact-length replies survive usbfs intact. */
START_TEST(test_bulk_roundtrip_256k)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2_1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = NULL;
	g_autofree guint8 *image = g_malloc(FAKE_RAM_SIZE);
	g_autofree guint8 *back = g_malloc0(FAKE_RAM_SIZE);
	const gsize chunk = 4096;

	for (gsize i = 0; i < FAKE_RAM_SIZE; i++)
		image[i] = (guint8)(i * 7 + (i >> 9));
	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(NULL, &error);
	ck_assert_msg(t != NULL, "%s", error ? error->message : "");
	for (gsize off = 0; off < FAKE_RAM_SIZE; off += chunk) {
		guint32 addr = FAKE_RAM_BASE + (guint32)off;
		guint8 cmd[16] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_WRITEMEM_32BIT,
				  addr & 0xff,		addr >> 8 & 0xff,
				  addr >> 16 & 0xff,	addr >> 24,
				  chunk & 0xff,		chunk >> 8};
		guint8 st_cmd[16] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_GETLASTRWSTATUS2};
		guint8 st[12];
		ck_assert_msg(
		    glint_transport_command(t, cmd, image + off, chunk, NULL, 0, 0, &error), "%s",
		    error ? error->message : "");
		ck_assert(glint_transport_command(t, st_cmd, NULL, 0, st, sizeof(st), 0, &error));
		ck_assert_uint_eq(st[0], STLINK_DEBUG_ERR_OK);
	}
	ck_assert(memcmp(fake->ram, image, FAKE_RAM_SIZE) == 0);
	for (gsize off = 0; off < FAKE_RAM_SIZE; off += chunk) {
		guint32 addr = FAKE_RAM_BASE + (guint32)off;
		guint8 cmd[16] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_READMEM_32BIT,
				  addr & 0xff,		addr >> 8 & 0xff,
				  addr >> 16 & 0xff,	addr >> 24,
				  chunk & 0xff,		chunk >> 8};
		ck_assert_msg(
		    glint_transport_command(t, cmd, NULL, 0, back + off, chunk, 0, &error), "%s",
		    error ? error->message : "");
	}
	ck_assert(memcmp(back, image, FAKE_RAM_SIZE) == 0);
}
END_TEST

/* A reply shorter than expected is a probe error, not silently accepted. */
START_TEST(test_short_reply)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = NULL;
	guint8 cmd[16] = {STLINK_GET_CURRENT_MODE};
	guint8 buf[6];

	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(NULL, &error);
	ck_assert_ptr_nonnull(t);
	ck_assert(!glint_transport_command(t, cmd, NULL, 0, buf, sizeof(buf), 0, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_PROBE));
	ck_assert_ptr_nonnull(strstr(error->message, "2 of the 6"));
}
END_TEST

/* A probe that never answers: the bounded wait ends in TIMEOUT, and the
 * pipe stays usable for the next command. */
START_TEST(test_timeout)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = NULL;
	guint8 cmd[16] = {0xF9};
	guint8 buf[2];
	guint8 v[6];

	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(NULL, &error);
	ck_assert_ptr_nonnull(t);
	ck_assert(
	    !glint_transport_command(t, cmd, NULL, 0, buf, sizeof(buf), SHORT_TIMEOUT_MS, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT));
	g_clear_error(&error);
	ck_assert_msg(send_get_version(t, v, &error), "%s", error ? error->message : "");
	ck_assert_uint_eq(v[0], 0x29);
}
END_TEST

/* The probe vanishes after K commands in the middle of a transfer loop:
 * the caller gets DISCONNECTED (never a crash or hang), and so does every
 * later call, at once. */
START_TEST(test_unplug_mid_job)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = NULL;
	guint8 chunk[1024];
	guint i;

	memset(chunk, 0xA5, sizeof(chunk));
	fake->unplug_after = 9;
	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(NULL, &error);
	ck_assert_ptr_nonnull(t);
	for (i = 0; i < 100; i++) {
		guint32 addr = FAKE_RAM_BASE + i * (guint32)sizeof(chunk);
		guint8 cmd[16] = {STLINK_DEBUG_COMMAND,
				  STLINK_DEBUG_WRITEMEM_32BIT,
				  addr & 0xff,
				  addr >> 8 & 0xff,
				  addr >> 16 & 0xff,
				  addr >> 24,
				  0x00,
				  0x04};
		if (!glint_transport_command(t, cmd, chunk, sizeof(chunk), NULL, 0, 0, &error))
			break;
	}
	ck_assert_uint_eq(i, 9);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      error->message);
	ck_assert_ptr_nonnull(strstr(error->message, "disconnected"));
	/* What was written before the pull is there; nothing after it. */
	ck_assert_uint_eq(fake->ram[8 * 1024], 0xA5);
	ck_assert_uint_eq(fake->ram[9 * 1024], 0x00);
	g_clear_error(&error);
	{
		guint8 v[6];
		ck_assert(!send_get_version(t, v, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED));
	}
}
END_TEST

/* The device leaves the bus (sysfs record gone, node dead) under an open
 * handle. */
START_TEST(test_removed_from_bus)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = NULL;
	g_autoptr(GPtrArray) probes = NULL;
	guint8 v[6];

	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(NULL, &error);
	ck_assert_ptr_nonnull(t);
	ck_assert(send_get_version(t, v, NULL));
	glint_usb_emu_remove_probe(emu, 0);
	ck_assert(!send_get_version(t, v, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      error->message);
	probes = glint_usb_list_probes(NULL);
	ck_assert_uint_eq(probes->len, 0);
}
END_TEST

/* The protocol client over the real transport: what glint-cli runs. */
START_TEST(test_stlink_over_usb)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2_1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = NULL;
	g_autoptr(GlintStlink) stlink = NULL;
	const GlintStlinkVersion *version;
	guint8 buf[64];
	gdouble volts = 0;

	for (guint i = 0; i < sizeof(buf); i++)
		fake->ram[0x100 + i] = (guint8)(0x40 + i);
	bus_add(emu, fake, SERIAL_A, FALSE);
	t = glint_usb_open(SERIAL_A, &error);
	ck_assert_msg(t != NULL, "%s", error ? error->message : "");
	stlink = glint_stlink_new(t);
	ck_assert_msg(glint_stlink_open(stlink, &error), "%s", error->message);
	version = glint_stlink_get_version(stlink);
	ck_assert_uint_eq(version->hw, 2);
	ck_assert_uint_eq(version->jtag, 37);
	ck_assert_uint_eq(version->pid, 0x374b);
	ck_assert_msg(glint_stlink_get_target_voltage(stlink, &volts, &error), "%s",
		      error->message);
	ck_assert_double_eq_tol(volts, 3.3, 0.01);
	ck_assert_msg(
	    glint_stlink_read_mem(stlink, FAKE_RAM_BASE + 0x100, buf, sizeof(buf), &error), "%s",
	    error->message);
	for (guint i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0x40 + i);
}
END_TEST

/* No access to the device node (no udev rule yet), through real libusb:
 * the error names the rules file Glint ships and how to install it. The
 * node is made unusable by mode; as root, which ignores modes, the probe is
 * opened from a child that has dropped to an unprivileged user (who needs
 * the testbed directory and umockdev's ioctl socket opened up: the preload
 * gives up on a socket it cannot connect to, before any open()). */
static int
open_expecting_permission_denied(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) t = glint_usb_open(NULL, &error);
	if (t != NULL)
		return 10;
	g_printerr("# %s\n", error->message);
	if (!g_error_matches(error, GLINT_ERROR, GLINT_ERROR_PERMISSION_DENIED))
		return 11;
	if (strstr(error->message, "sudo cp resources/50-glint-stlink.rules /etc/udev/rules.d/") ==
	    NULL)
		return 12;
	return 0;
}

START_TEST(test_permission_denied)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	const char *root = g_getenv("UMOCKDEV_DIR");
	g_autofree gchar *node = NULL;
	g_autofree gchar *ioctl_socket = NULL;
	pid_t pid;
	int status = 0;

	bus_add(emu, fake, SERIAL_A, FALSE);
	ck_assert_ptr_nonnull(root);
	node = g_build_filename(root, "dev", "bus", "usb", "001", "002", NULL);
	ck_assert_int_eq(g_chmod(node, 0), 0);
	if (getuid() != 0) {
		ck_assert_int_eq(open_expecting_permission_denied(), 0);
		return;
	}
	ioctl_socket = g_build_filename(root, "ioctl", "dev", "bus", "usb", "001", "002", NULL);
	ck_assert_int_eq(g_chmod(root, 0777), 0);
	ck_assert_int_eq(g_chmod(ioctl_socket, 0777), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(UNPRIVILEGED_ID) != 0 || setuid(UNPRIVILEGED_ID) != 0)
			_exit(20);
		_exit(open_expecting_permission_denied());
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_eq(fake_probe_commands(fake), 0);
}
END_TEST

typedef struct {
	GPtrArray *arrived;
	GPtrArray *left;
} MonitorLog;

static void
on_monitor(const GlintProbeInfo *info, gboolean arrived, gpointer user_data)
{
	MonitorLog *log = user_data;
	g_ptr_array_add(arrived ? log->arrived : log->left, g_strdup(info->serial));
}

START_TEST(test_hotplug)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) a = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(FakeProbe) b = fake_probe_new(GLINT_USB_PID_STLINK_V3S);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintUsbMonitor) monitor = NULL;
	MonitorLog log = {g_ptr_array_new_with_free_func(g_free),
			  g_ptr_array_new_with_free_func(g_free)};

	bus_add(emu, a, SERIAL_A, FALSE);
	monitor = glint_usb_monitor_new(on_monitor, &log, &error);
	ck_assert_ptr_nonnull(monitor);
	ck_assert(glint_usb_monitor_poll(monitor, &error));
	ck_assert_uint_eq(log.arrived->len, 1);
	ck_assert_str_eq(g_ptr_array_index(log.arrived, 0), SERIAL_A);

	/* Nothing changed: nothing reported. */
	ck_assert(glint_usb_monitor_poll(monitor, &error));
	ck_assert_uint_eq(log.arrived->len, 1);

	bus_add(emu, b, SERIAL_B, FALSE);
	ck_assert(glint_usb_monitor_poll(monitor, &error));
	ck_assert_uint_eq(log.arrived->len, 2);
	ck_assert_str_eq(g_ptr_array_index(log.arrived, 1), SERIAL_B);

	glint_usb_emu_remove_probe(emu, 0);
	ck_assert(glint_usb_monitor_poll(monitor, &error));
	ck_assert_uint_eq(log.left->len, 1);
	ck_assert_str_eq(g_ptr_array_index(log.left, 0), SERIAL_A);

	/* The first poll also runs by itself from the caller's main context. */
	g_clear_pointer(&monitor, glint_usb_monitor_free);
	g_ptr_array_set_size(log.arrived, 0);
	monitor = glint_usb_monitor_new(on_monitor, &log, &error);
	while (log.arrived->len == 0)
		g_main_context_iteration(NULL, TRUE);
	ck_assert_uint_eq(log.arrived->len, 1);
	ck_assert_str_eq(g_ptr_array_index(log.arrived, 0), SERIAL_B);
	g_ptr_array_unref(log.arrived);
	g_ptr_array_unref(log.left);
}
END_TEST

/* Without explicit polls: the monitor reports arrivals and departures by
 * itself on the caller's main context (libusb hot-plug events where they
 * work, its polling timer otherwise). */
START_TEST(test_hotplug_by_itself)
{
	g_autoptr(GlintUsbEmu) emu = bus_new();
	g_autoptr(FakeProbe) a = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintUsbMonitor) monitor = NULL;
	MonitorLog log = {g_ptr_array_new_with_free_func(g_free),
			  g_ptr_array_new_with_free_func(g_free)};
	gint64 start;

	monitor = glint_usb_monitor_new(on_monitor, &log, &error);
	ck_assert_ptr_nonnull(monitor);
	/* Let the first scan (an empty bus) run. */
	while (g_main_context_iteration(NULL, FALSE))
		;
	ck_assert_uint_eq(log.arrived->len, 0);

	start = g_get_monotonic_time();
	bus_add(emu, a, SERIAL_A, FALSE);
	while (log.arrived->len == 0)
		g_main_context_iteration(NULL, TRUE);
	ck_assert_str_eq(g_ptr_array_index(log.arrived, 0), SERIAL_A);
	g_printerr("# arrival reported after %" G_GINT64_FORMAT " ms\n",
		   (g_get_monotonic_time() - start) / 1000);

	start = g_get_monotonic_time();
	glint_usb_emu_remove_probe(emu, 0);
	while (log.left->len == 0)
		g_main_context_iteration(NULL, TRUE);
	ck_assert_str_eq(g_ptr_array_index(log.left, 0), SERIAL_A);
	g_printerr("# departure reported after %" G_GINT64_FORMAT " ms\n",
		   (g_get_monotonic_time() - start) / 1000);
	g_ptr_array_unref(log.arrived);
	g_ptr_array_unref(log.left);
}
END_TEST

/* ---- pure functions (no bus) ----------------------------------------- */

START_TEST(test_error_mapping)
{
	static const struct {
		int rc;
		GlintErrorCode code;
		const char *needle;
	} cases[] = {
	    {-3 /* LIBUSB_ERROR_ACCESS */, GLINT_ERROR_PERMISSION_DENIED,
	     "sudo cp resources/50-glint-stlink.rules /etc/udev/rules.d/"},
	    {-3, GLINT_ERROR_PERMISSION_DENIED, "udevadm control --reload"},
	    {-3, GLINT_ERROR_PERMISSION_DENIED, "replug"},
	    {-6 /* BUSY */, GLINT_ERROR_BUSY, "claimed by another program such as OpenOCD"},
	    {-4 /* NO_DEVICE */, GLINT_ERROR_DISCONNECTED, "the probe was disconnected"},
	    {-1 /* IO */, GLINT_ERROR_DISCONNECTED, "the probe was disconnected"},
	    {-7 /* TIMEOUT */, GLINT_ERROR_TIMEOUT, "did not answer in time"},
	    {-9 /* PIPE */, GLINT_ERROR_PROBE, "LIBUSB_ERROR_PIPE"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		glint_usb_set_error(&error, cases[i].rc, "opening ST-LINK/V2 X");
		ck_assert(g_error_matches(error, GLINT_ERROR, cases[i].code));
		ck_assert_msg(strstr(error->message, cases[i].needle) != NULL, "%s",
			      error->message);
		ck_assert_ptr_nonnull(strstr(error->message, "opening ST-LINK/V2 X"));
	}
}
END_TEST

START_TEST(test_serial_descriptor)
{
	const guint8 text[] = {8, 3, 'A', 0, 'b', 0, '1', 0};
	const guint8 raw[26] = {26,   3, 0x06, 0, 0x6D, 0, 0xFF, 0, 0x48, 0, 0x55, 0, 0x50, 0,
				0x75, 0, 0x51, 0, 0x87, 0, 0x12, 0, 0x12, 0, 0x34, 0};
	const guint8 bad_type[] = {4, 2, 'A', 0};
	const guint8 truncated[] = {10, 3, 'A', 0};
	const guint8 odd[] = {5, 3, 'A', 0, 0};
	g_autofree gchar *s1 = glint_usb_serial_from_descriptor(text, sizeof(text));
	g_autofree gchar *s2 = glint_usb_serial_from_descriptor(raw, sizeof(raw));

	ck_assert_str_eq(s1, "Ab1");
	ck_assert_str_eq(s2, SERIAL_A);
	ck_assert_ptr_null(glint_usb_serial_from_descriptor(bad_type, sizeof(bad_type)));
	ck_assert_ptr_null(glint_usb_serial_from_descriptor(truncated, sizeof(truncated)));
	ck_assert_ptr_null(glint_usb_serial_from_descriptor(odd, sizeof(odd)));
	ck_assert_ptr_null(glint_usb_serial_from_descriptor(text, 1));
}
END_TEST

START_TEST(test_kinds)
{
	guint8 out, in;
	ck_assert_int_eq(glint_usb_kind_from_ids(0x0483, 0x3748), GLINT_PROBE_KIND_V2);
	ck_assert_int_eq(glint_usb_kind_from_ids(0x0483, 0x3752), GLINT_PROBE_KIND_V2_1);
	ck_assert_int_eq(glint_usb_kind_from_ids(0x0483, 0x3754), GLINT_PROBE_KIND_V3);
	ck_assert_int_eq(glint_usb_kind_from_ids(0x0483, 0x3744), GLINT_PROBE_KIND_V1);
	ck_assert_int_eq(glint_usb_kind_from_ids(0x0483, 0xdf11), GLINT_PROBE_KIND_UNKNOWN);
	ck_assert_int_eq(glint_usb_kind_from_ids(0x1366, 0x3748), GLINT_PROBE_KIND_UNKNOWN);
	glint_usb_kind_endpoints(GLINT_PROBE_KIND_V2, &out, &in);
	ck_assert_uint_eq(out, 0x02);
	ck_assert_uint_eq(in, 0x81);
	glint_usb_kind_endpoints(GLINT_PROBE_KIND_V3, &out, &in);
	ck_assert_uint_eq(out, 0x01);
	ck_assert_uint_eq(in, 0x81);
}
END_TEST

static Suite *
usb_suite(void)
{
	Suite *s = suite_create("usb");
	TCase *pure = tcase_create("pure");
	TCase *bus = tcase_create("bus");

	tcase_add_test(pure, test_error_mapping);
	tcase_add_test(pure, test_serial_descriptor);
	tcase_add_test(pure, test_kinds);
	suite_add_tcase(s, pure);

	tcase_set_timeout(bus, 60);
	tcase_add_test(bus, test_enumerate_one);
	tcase_add_test(bus, test_enumerate_empty);
	tcase_add_test(bus, test_enumerate_generations);
	tcase_add_test(bus, test_v1_refused);
	tcase_add_test(bus, test_binary_serial);
	tcase_add_test(bus, test_two_probes_by_serial);
	tcase_add_test(bus, test_busy);
	tcase_add_test(bus, test_bulk_roundtrip_256k);
	tcase_add_test(bus, test_short_reply);
	tcase_add_test(bus, test_timeout);
	tcase_add_test(bus, test_unplug_mid_job);
	tcase_add_test(bus, test_removed_from_bus);
	tcase_add_test(bus, test_hotplug);
	tcase_add_test(bus, test_hotplug_by_itself);
	tcase_add_test(bus, test_stlink_over_usb);
	tcase_add_test(bus, test_permission_denied);
	suite_add_tcase(s, bus);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(usb_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
