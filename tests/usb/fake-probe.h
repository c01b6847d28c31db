/* fake-probe.h: a minimal ST-LINK firmware double for the USB tests.
 *
 * Answers GET_VERSION, GET_CURRENT_MODE, GET_TARGET_VOLTAGE, 32-bit memory
 * reads and writes on a RAM array and GETLASTRWSTATUS2, records the commands
 * it saw, and can vanish after N commands. It lets the libusb transport be
 * tested on its own; the emulator proper (core/sim) is used by the
 * end-to-end cases. */
#pragma once

#include <glib.h>

#include "glint-usb-emu.h"

#define FAKE_RAM_BASE 0x20000000u
#define FAKE_RAM_SIZE (256u * 1024u)

typedef struct {
	GMutex lock;
	guint16 pid;
	guint8 ram[FAKE_RAM_SIZE];
	guint8 reply[64];
	gsize reply_len;
	gsize reply_pos;
	const guint8 *reply_data; /* memory read replies point into ram */
	guint32 write_addr;	  /* pending WRITEMEM data phase */
	gsize write_left;
	guint64 commands;
	guint64 unplug_after; /* 0 = never */
	gboolean unplugged;
	GByteArray *log; /* first byte of every command */
} FakeProbe;

extern const GlintUsbEmuBackend fake_probe_backend;

FakeProbe *fake_probe_new(guint16 pid);
void fake_probe_free(FakeProbe *fake);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FakeProbe, fake_probe_free)
guint64 fake_probe_commands(FakeProbe *fake);
