/* chaos-transport.c: a transport that spoils one command on purpose. */
#define G_LOG_DOMAIN "chaos-transport"

#include "chaos-transport.h"

#include <string.h>

#include "glint-error.h"
#include "glint-stlink.h"

typedef struct {
	GlintTransport parent;
	GlintTransport *inner;
	ChaosKind kind;
	guint count;
	guint fire_at;
	guint32 fire_address; /* CHAOS_ALL_ONES */
	gboolean fired;
	gboolean spoiled;
	guint8 fired_cmd[GLINT_STLINK_CMD_SIZE];
	guint status_count[256];
	guint8 status_first[256][6];
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
	memcpy(self->fired_cmd, cmd, GLINT_STLINK_CMD_SIZE);
	/* Everything but a short reply or garbage where no reply is due. */
	self->spoiled =
	    in_len > 0 || (self->kind != CHAOS_SHORT_REPLY && self->kind != CHAOS_GARBAGE);
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
#define STLINK_READDEBUGREG STLINK_DEBUG_APIV2_READDEBUGREG
/* RM0351 3.7.5 */
#define FLASH_SR_ADDR 0x40022010u
#define FLASH_SR_BSY (1u << 16)

static gboolean
is_read32_of(const guint8 *cmd, gsize in_len, guint32 address)
{
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	return cmd[0] == STLINK_DEBUG_COMMAND && cmd[1] == STLINK_READDEBUGREG && in_len >= 8 &&
	       addr == address;
}

static gboolean
is_flash_sr_read(const guint8 *cmd, gsize in_len)
{
	return is_read32_of(cmd, in_len, FLASH_SR_ADDR);
}

static gboolean
chaos_all_ones(ChaosTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len,
	       guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	if (!glint_transport_command(self->inner, cmd, out, out_len, in, in_len, timeout_ms, error))
		return FALSE;
	self->fired = TRUE;
	self->spoiled = TRUE;
	in[0] = STLINK_DEBUG_ERR_OK;
	memset(in + 4, 0xFF, 4);
	return TRUE;
}

static gboolean
chaos_stuck_busy(ChaosTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len,
		 guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	if (!glint_transport_command(self->inner, cmd, out, out_len, in, in_len, timeout_ms, error))
		return FALSE;
	if (is_flash_sr_read(cmd, in_len)) {
		self->fired = TRUE;
		self->spoiled = TRUE;
		in[6] |= (guint8)(FLASH_SR_BSY >> 16);
	}
	return TRUE;
}

/* Debug commands whose reply starts with a status byte (reference 2.6). */
static gboolean
has_status_reply(const guint8 *cmd, gsize in_len)
{
	if (cmd[0] != STLINK_DEBUG_COMMAND || in_len < 2)
		return FALSE;
	switch (cmd[1]) {
	case STLINK_DEBUG_APIV2_ENTER:
	case STLINK_DEBUG_APIV2_READ_IDCODES:
	case STLINK_DEBUG_APIV2_RESETSYS:
	case STLINK_DEBUG_APIV2_READREG:
	case STLINK_DEBUG_APIV2_WRITEREG:
	case STLINK_DEBUG_APIV2_WRITEDEBUGREG:
	case STLINK_DEBUG_APIV2_READDEBUGREG:
	case STLINK_DEBUG_APIV2_GETLASTRWSTATUS:
	case STLINK_DEBUG_APIV2_DRIVE_NRST:
	case STLINK_DEBUG_APIV2_GETLASTRWSTATUS2:
		return TRUE;
	default:
		return FALSE;
	}
}

static void
observe_status(ChaosTransport *self, const guint8 *cmd, const guint8 *in, gsize in_len)
{
	if (!has_status_reply(cmd, in_len))
		return;
	if (self->status_count[in[0]]++ == 0)
		memcpy(self->status_first[in[0]], cmd, sizeof self->status_first[0]);
}

static gboolean
chaos_command(GlintTransport *transport, const guint8 *cmd, const guint8 *out, gsize out_len,
	      guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	guint index = self->count++;
	if (self->kind == CHAOS_STUCK_BUSY && index >= self->fire_at)
		return chaos_stuck_busy(self, cmd, out, out_len, in, in_len, timeout_ms, error);
	if (self->kind == CHAOS_ALL_ONES && !self->fired &&
	    is_read32_of(cmd, in_len, self->fire_address))
		return chaos_all_ones(self, cmd, out, out_len, in, in_len, timeout_ms, error);
	if (self->kind != CHAOS_NONE && self->kind < CHAOS_N_KINDS && !self->fired &&
	    index == self->fire_at)
		return chaos_spoil(self, cmd, out, out_len, in, in_len, timeout_ms, error);
	if (!glint_transport_command(self->inner, cmd, out, out_len, in, in_len, timeout_ms, error))
		return FALSE;
	observe_status(self, cmd, in, in_len);
	return TRUE;
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
	self->spoiled = FALSE;
	g_rand_set_seed(self->rand, seed);
}

void
chaos_transport_arm_all_ones(GlintTransport *transport, guint32 address)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	self->kind = CHAOS_ALL_ONES;
	self->fire_address = address;
	self->fired = FALSE;
	self->spoiled = FALSE;
}

gboolean
chaos_transport_fired(GlintTransport *transport)
{
	return ((ChaosTransport *)transport)->fired;
}

gboolean
chaos_transport_spoiled(GlintTransport *transport)
{
	return ((ChaosTransport *)transport)->spoiled;
}

gchar *
chaos_transport_describe_fired(GlintTransport *transport)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	const guint8 *c = self->fired_cmd;
	if (!self->fired)
		return g_strdup("");
	return g_strdup_printf("%02X %02X %02X %02X %02X %02X", c[0], c[1], c[2], c[3], c[4], c[5]);
}

guint
chaos_transport_get_count(GlintTransport *transport)
{
	return ((ChaosTransport *)transport)->count;
}

guint
chaos_transport_count_status(GlintTransport *transport, guint8 status)
{
	return ((ChaosTransport *)transport)->status_count[status];
}

gchar *
chaos_transport_describe_first_status(GlintTransport *transport, guint8 status)
{
	ChaosTransport *self = (ChaosTransport *)transport;
	const guint8 *c = self->status_first[status];
	if (self->status_count[status] == 0)
		return g_strdup("");
	return g_strdup_printf("%02X %02X %02X %02X %02X %02X", c[0], c[1], c[2], c[3], c[4], c[5]);
}
