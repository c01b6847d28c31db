/* chaos-transport.c: a transport that spoils one command on purpose. */
#define G_LOG_DOMAIN "chaos-transport"

#include "chaos-transport.h"

#include <string.h>

#include "glint-error.h"

typedef struct {
	GlintTransport parent;
	GlintTransport *inner;
	ChaosKind kind;
	guint count;
	guint fire_at;
	gboolean fired;
	GRand *rand;
} ChaosTransport;

const char *
chaos_kind_name(ChaosKind kind)
{
	static const char *const names[] = {"none",  "timeout-before", "timeout-after",
					    "short", "stall",	       "garbage"};
	return kind < CHAOS_N_KINDS ? names[kind] : "?";
}

static gboolean
chaos_spoil(ChaosTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len, guint8 *in,
	    gsize in_len, guint timeout_ms, GError **error)
{
	self->fired = TRUE;
	g_debug("spoiling command %u (%02X %02X %02X) with %s", self->count - 1, cmd[0], cmd[1],
		cmd[2], chaos_kind_name(self->kind));
	switch (self->kind) {
	case CHAOS_TIMEOUT_BEFORE:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
			    "command %02X %02X: the probe did not answer within %u ms", cmd[0],
			    cmd[1], timeout_ms);
		return FALSE;
	case CHAOS_STALL:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    "command %02X %02X: the probe stalled the bulk pipe", cmd[0], cmd[1]);
		return FALSE;
	default:
		break;
	}
	/* The probe sees the command; what comes back is spoiled. */
	if (!glint_transport_command(self->inner, cmd, out, out_len, in, in_len, timeout_ms, error))
		return FALSE;
	switch (self->kind) {
	case CHAOS_TIMEOUT_AFTER:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
			    "command %02X %02X: no reply within %u ms", cmd[0], cmd[1], timeout_ms);
		return FALSE;
	case CHAOS_SHORT_REPLY:
		if (in_len == 0)
			return TRUE;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    "command %02X %02X: short reply, %zu of %zu bytes", cmd[0], cmd[1],
			    in_len / 2, in_len);
		return FALSE;
	case CHAOS_GARBAGE:
		for (gsize i = 0; i < in_len; i++)
			in[i] = g_rand_int(self->rand) & 0xFF;
		return TRUE;
	default:
		return TRUE;
	}
}

/* ST-LINK JTAG_READDEBUG_32BIT (F2 36): a word read, value at reply[4]. */
#define STLINK_DEBUG_COMMAND 0xF2u
#define STLINK_READDEBUGREG 0x36u
/* RM0351 3.7.5 */
#define FLASH_SR_ADDR 0x40022010u
#define FLASH_SR_BSY (1u << 16)

static gboolean
is_flash_sr_read(const guint8 *cmd, gsize in_len)
{
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	return cmd[0] == STLINK_DEBUG_COMMAND && cmd[1] == STLINK_READDEBUGREG && in_len >= 8 &&
	       addr == FLASH_SR_ADDR;
}

static gboolean
chaos_stuck_busy(ChaosTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len,
		 guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	if (!glint_transport_command(self->inner, cmd, out, out_len, in, in_len, timeout_ms, error))
		return FALSE;
	if (is_flash_sr_read(cmd, in_len)) {
		self->fired = TRUE;
		in[6] |= (guint8)(FLASH_SR_BSY >> 16);
	}
	return TRUE;
}

static gboolean
chaos_command(GlintTransport *transport, const guint8 *cmd, const guint8 *out, gsize out_len,
	      guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	guint index = self->count++;
	if (self->kind == CHAOS_STUCK_BUSY && index >= self->fire_at)
		return chaos_stuck_busy(self, cmd, out, out_len, in, in_len, timeout_ms, error);
	if (self->kind != CHAOS_NONE && !self->fired && index == self->fire_at)
		return chaos_spoil(self, cmd, out, out_len, in, in_len, timeout_ms, error);
	return glint_transport_command(self->inner, cmd, out, out_len, in, in_len, timeout_ms,
				       error);
}

static gint64
chaos_device_time(GlintTransport *transport)
{
	return glint_transport_get_device_time_ns(((ChaosTransport *)transport)->inner);
}

static void
chaos_finalize(GlintTransport *transport)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	glint_transport_unref(self->inner);
	g_rand_free(self->rand);
	g_free(self);
}

static const GlintTransportClass chaos_class = {
    .command = chaos_command,
    .device_time_ns = chaos_device_time,
    .finalize = chaos_finalize,
};

GlintTransport *
chaos_transport_new(GlintTransport *inner)
{
	ChaosTransport *self = g_new0(ChaosTransport, 1);
	glint_transport_init(&self->parent, &chaos_class, glint_transport_get_info(inner));
	self->inner = glint_transport_ref(inner);
	self->rand = g_rand_new_with_seed(1);
	return &self->parent;
}

void
chaos_transport_arm(GlintTransport *transport, ChaosKind kind, guint index, guint32 seed)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	self->kind = kind;
	self->fire_at = self->count + index;
	self->fired = FALSE;
	g_rand_set_seed(self->rand, seed);
}

gboolean
chaos_transport_fired(GlintTransport *transport)
{
	return ((ChaosTransport *)transport)->fired;
}

guint
chaos_transport_get_count(GlintTransport *transport)
{
	return ((ChaosTransport *)transport)->count;
}
