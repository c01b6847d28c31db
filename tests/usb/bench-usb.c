/* bench-usb.c: what one USB round trip costs through the emulated bus
 * (usbfs ioctls answered by umockdev in this process), for the numbers in
 * usb-emulation.md. Run with `meson test --benchmark --suite usb`. */
#define G_LOG_DOMAIN "bench-usb"

#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "fake-probe.h"
#include "glint-stlink.h"
#include "glint-usb-emu.h"
#include "glint-usb.h"

#define ROUND_TRIPS 2000
#define WRITE_CHUNK 4096u

static void
die(const char *what, GError *error)
{
	fprintf(stderr, "bench-usb: %s: %s\n", what, error ? error->message : "failed");
	exit(1);
}

int
main(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintUsbEmu) emu = NULL;
	g_autoptr(FakeProbe) fake = fake_probe_new(GLINT_USB_PID_STLINK_V2);
	g_autoptr(GlintTransport) t = NULL;
	GlintProbeInfo info = {.kind = GLINT_PROBE_KIND_V2,
			       .vid = GLINT_USB_VID_ST,
			       .pid = GLINT_USB_PID_STLINK_V2,
			       .serial = (gchar *)"066DFF485550755187121234"};
	guint8 cmd[GLINT_STLINK_CMD_SIZE] = {STLINK_GET_VERSION};
	g_autofree guint8 *chunk = g_malloc0(WRITE_CHUNK);
	guint8 reply[6];
	gint64 start;
	gdouble rt_us, write_s;

	/* As glint-usbsim does: the preload's per-ioctl sleep is shorter. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	emu = glint_usb_emu_new(&error);
	if (emu == NULL)
		die("emulated bus", error);
	if (glint_usb_emu_add_probe(emu, &info, FALSE, &fake_probe_backend, fake, &error) < 0)
		die("adding the probe", error);
	t = glint_usb_open(NULL, &error);
	if (t == NULL)
		die("opening the probe", error);

	start = g_get_monotonic_time();
	for (guint i = 0; i < ROUND_TRIPS; i++)
		if (!glint_transport_command(t, cmd, NULL, 0, reply, sizeof(reply), 0, &error))
			die("GET_VERSION", error);
	rt_us = (gdouble)(g_get_monotonic_time() - start) / ROUND_TRIPS;

	start = g_get_monotonic_time();
	for (guint32 off = 0; off < FAKE_RAM_SIZE; off += WRITE_CHUNK) {
		guint32 addr = FAKE_RAM_BASE + off;
		guint8 w[GLINT_STLINK_CMD_SIZE] = {
		    STLINK_DEBUG_COMMAND, STLINK_DEBUG_WRITEMEM_32BIT,
		    addr & 0xff,	  addr >> 8 & 0xff,
		    addr >> 16 & 0xff,	  addr >> 24,
		    WRITE_CHUNK & 0xff,	  WRITE_CHUNK >> 8};
		if (!glint_transport_command(t, w, chunk, WRITE_CHUNK, NULL, 0, 0, &error))
			die("WRITEMEM_32BIT", error);
	}
	write_s = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;

	printf("GET_VERSION round trip: %.0f us (%d round trips)\n", rt_us, ROUND_TRIPS);
	printf("%u KiB written in %u-byte commands: %.3f s (%.0f KiB/s)\n", FAKE_RAM_SIZE / 1024,
	       WRITE_CHUNK, write_s, FAKE_RAM_SIZE / 1024 / write_s);
	return 0;
}
