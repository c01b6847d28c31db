/* fake-probe.c: a minimal ST-LINK firmware double for the USB tests. */
#define G_LOG_DOMAIN "fake-probe"

#include "fake-probe.h"

#include <string.h>

#include "glint-stlink.h"

static void
fake_reply(FakeProbe *fake, const guint8 *data, gsize len)
{
	memcpy(fake->reply, data, len);
	fake->reply_len = len;
	fake->reply_pos = 0;
	fake->reply_data = fake->reply;
}

static gboolean
fake_mem_range(guint32 addr, guint32 len)
{
	return addr >= FAKE_RAM_BASE && addr - FAKE_RAM_BASE <= FAKE_RAM_SIZE &&
	       len <= FAKE_RAM_SIZE - (addr - FAKE_RAM_BASE);
}

static void
fake_command(FakeProbe *fake, const guint8 *cmd)
{
	guint32 addr =
	    (guint32)cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	guint32 len = (guint32)cmd[6] | (guint32)cmd[7] << 8;

	g_byte_array_append(fake->log, cmd, 1);
	switch (cmd[0]) {
	case STLINK_GET_VERSION: {
		/* V2J37S7 on a V2, V2J37M26 on a V2-1 (a V2-1 with M7 would
		 * read as an STM8-only board; reference 2.2). */
		gboolean v2_1 = fake->pid == 0x374b || fake->pid == 0x3752;
		guint8 v[6] = {0x29, v2_1 ? 0x5A : 0x47, 0x83,
			       0x04, fake->pid & 0xff,	 fake->pid >> 8};
		fake_reply(fake, v, sizeof(v));
		return;
	}
	case STLINK_GET_CURRENT_MODE: {
		guint8 m[2] = {STLINK_MODE_DEBUG, 0};
		fake_reply(fake, m, sizeof(m));
		return;
	}
	case STLINK_GET_TARGET_VOLTAGE: {
		/* 3.30 V: a0 = 1500, a1 = 2063 (reference 2.7). */
		guint8 v[8] = {0xdc, 0x05, 0, 0, 0x0f, 0x08, 0, 0};
		fake_reply(fake, v, sizeof(v));
		return;
	}
	case STLINK_DEBUG_COMMAND:
		break;
	default:
		/* Unknown class: the fake stays silent, like a wedged probe. */
		return;
	}
	switch (cmd[1]) {
	case STLINK_DEBUG_READMEM_32BIT:
		if (fake_mem_range(addr, len)) {
			fake->reply_data = fake->ram + (addr - FAKE_RAM_BASE);
			fake->reply_len = len;
			fake->reply_pos = 0;
		}
		return;
	case STLINK_DEBUG_WRITEMEM_32BIT:
		if (fake_mem_range(addr, len)) {
			fake->write_addr = addr;
			fake->write_left = len;
		}
		return;
	case STLINK_DEBUG_APIV2_GETLASTRWSTATUS2: {
		guint8 s[12] = {STLINK_DEBUG_ERR_OK};
		fake_reply(fake, s, sizeof(s));
		return;
	}
	default: {
		guint8 s[2] = {STLINK_JTAG_UNKNOWN_CMD, 0};
		fake_reply(fake, s, sizeof(s));
		return;
	}
	}
}

static void
fake_bulk_out(gpointer backend, const guint8 *data, gsize len)
{
	FakeProbe *fake = backend;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fake->lock);

	if (fake->unplugged)
		return;
	if (fake->write_left > 0) {
		gsize n = MIN(len, fake->write_left);
		memcpy(fake->ram + (fake->write_addr - FAKE_RAM_BASE), data, n);
		fake->write_addr += n;
		fake->write_left -= n;
		return;
	}
	if (len != GLINT_STLINK_CMD_SIZE)
		return;
	if (fake->unplug_after != 0 && fake->commands >= fake->unplug_after) {
		fake->unplugged = TRUE;
		return;
	}
	fake->commands++;
	fake_command(fake, data);
}

static gsize
fake_bulk_in(gpointer backend, guint8 *buf, gsize max)
{
	FakeProbe *fake = backend;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fake->lock);
	gsize n = MIN(max, fake->reply_len - fake->reply_pos);

	if (fake->unplugged || n == 0)
		return 0;
	memcpy(buf, fake->reply_data + fake->reply_pos, n);
	fake->reply_pos += n;
	return n;
}

static gboolean
fake_is_unplugged(gpointer backend)
{
	FakeProbe *fake = backend;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fake->lock);
	return fake->unplugged;
}

const GlintUsbEmuBackend fake_probe_backend = {
    .bulk_out = fake_bulk_out,
    .bulk_in = fake_bulk_in,
    .is_unplugged = fake_is_unplugged,
};

FakeProbe *
fake_probe_new(guint16 pid)
{
	FakeProbe *fake = g_new0(FakeProbe, 1);
	g_mutex_init(&fake->lock);
	fake->pid = pid;
	fake->log = g_byte_array_new();
	return fake;
}

void
fake_probe_free(FakeProbe *fake)
{
	if (fake == NULL)
		return;
	g_byte_array_unref(fake->log);
	g_mutex_clear(&fake->lock);
	g_free(fake);
}

guint64
fake_probe_commands(FakeProbe *fake)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fake->lock);
	return fake->commands;
}
