/* fake-transport.c: a scripted GlintTransport (see fake-transport.h). */
#define G_LOG_DOMAIN "fake-transport"

#include "fake-transport.h"

#include <string.h>

typedef struct {
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	GBytes *out;   /* NULL: no data-out phase expected */
	GBytes *reply; /* NULL: no IN phase expected */
	gboolean fails;
	GlintErrorCode code;
	gchar *message;
} FakeStep;

typedef struct {
	GlintTransport parent;
	GQueue steps; /* of FakeStep* */
	guint received;
	gchar *failure;
} FakeTransport;

static void
fake_step_free(FakeStep *step)
{
	if (step->out != NULL)
		g_bytes_unref(step->out);
	if (step->reply != NULL)
		g_bytes_unref(step->reply);
	g_free(step->message);
	g_free(step);
}

static gchar *
fake_hex(const guint8 *data, gsize len)
{
	/* Long data phases are summarised: their length is what matters in a
	 * message, the first bytes show which buffer it was. */
	gsize shown = MIN(len, 24);
	GString *str = g_string_new(NULL);

	for (gsize i = 0; i < shown; i++)
		g_string_append_printf(str, "%s%02X", i == 0 ? "" : " ", data[i]);
	if (shown < len)
		g_string_append_printf(str, " ... (%" G_GSIZE_FORMAT " bytes)", len);
	return g_string_free(str, FALSE);
}

static gboolean fake_fail(FakeTransport *self, GError **error, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static gboolean
fake_fail(FakeTransport *self, GError **error, const char *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;

	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	if (self->failure == NULL)
		self->failure = g_strdup_printf("step %u: %s", self->received, msg);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FAILED, "fake transport: %s", msg);
	return FALSE;
}

static gboolean
fake_bytes_equal(GBytes *expected, const guint8 *data, gsize len)
{
	gsize exp_len = 0;
	const guint8 *exp = expected != NULL ? g_bytes_get_data(expected, &exp_len) : NULL;

	if (exp_len != len)
		return FALSE;
	return len == 0 || memcmp(exp, data, len) == 0;
}

static gboolean
fake_command(GlintTransport *transport, const guint8 *cmd, const guint8 *out, gsize out_len,
	     guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	FakeTransport *self = (FakeTransport *)transport;
	FakeStep *step;
	gsize reply_len = 0;
	const guint8 *reply;

	self->received++;
	if (self->failure != NULL)
		return fake_fail(self, error, "command after an earlier mismatch");
	step = g_queue_pop_head(&self->steps);
	if (step == NULL) {
		g_autofree gchar *got = fake_hex(cmd, GLINT_STLINK_CMD_SIZE);
		return fake_fail(self, error, "unexpected command %s after the script ended", got);
	}
	if (memcmp(step->cmd, cmd, GLINT_STLINK_CMD_SIZE) != 0) {
		g_autofree gchar *want = fake_hex(step->cmd, GLINT_STLINK_CMD_SIZE);
		g_autofree gchar *got = fake_hex(cmd, GLINT_STLINK_CMD_SIZE);
		fake_step_free(step);
		return fake_fail(self, error, "expected command %s, got %s", want, got);
	}
	if (step->fails) {
		g_set_error_literal(error, GLINT_ERROR, step->code, step->message);
		fake_step_free(step);
		return FALSE;
	}
	if (!fake_bytes_equal(step->out, out, out_len)) {
		g_autofree gchar *got = out != NULL ? fake_hex(out, out_len) : g_strdup("none");
		gsize want_len = step->out != NULL ? g_bytes_get_size(step->out) : 0;
		fake_step_free(step);
		return fake_fail(self, error,
				 "data out differs: expected %" G_GSIZE_FORMAT
				 " bytes, got %s (%" G_GSIZE_FORMAT " bytes)",
				 want_len, got, out_len);
	}
	reply = step->reply != NULL ? g_bytes_get_data(step->reply, &reply_len) : NULL;
	if (reply_len != in_len || (in == NULL) != (reply == NULL)) {
		fake_step_free(step);
		return fake_fail(self, error,
				 "IN phase of %" G_GSIZE_FORMAT " bytes requested, the script "
				 "answers %" G_GSIZE_FORMAT,
				 in_len, reply_len);
	}
	if (in_len > 0)
		memcpy(in, reply, in_len);
	fake_step_free(step);
	return TRUE;
}

static void
fake_finalize(GlintTransport *transport)
{
	FakeTransport *self = (FakeTransport *)transport;

	g_queue_clear_full(&self->steps, (GDestroyNotify)fake_step_free);
	g_free(self->failure);
	g_free(self);
}

static const GlintTransportClass fake_transport_class = {
    .command = fake_command,
    .device_time_ns = NULL,
    .finalize = fake_finalize,
};

GlintTransport *
fake_transport_new(void)
{
	FakeTransport *self = g_new0(FakeTransport, 1);
	GlintProbeInfo info = {
	    .kind = GLINT_PROBE_KIND_V2,
	    .vid = 0x0483,
	    .pid = 0x3748,
	    .serial = (gchar *)"066DFF485457725187102030",
	    .description = (gchar *)"scripted fake ST-LINK",
	    .simulated = TRUE,
	    .max_packet = 64,
	};

	g_queue_init(&self->steps);
	glint_transport_init(&self->parent, &fake_transport_class, &info);
	return &self->parent;
}

static FakeStep *
fake_step_new(const guint8 *cmd, gsize cmd_len)
{
	FakeStep *step = g_new0(FakeStep, 1);

	g_assert(cmd_len <= GLINT_STLINK_CMD_SIZE);
	memcpy(step->cmd, cmd, cmd_len);
	return step;
}

void
fake_transport_expect(GlintTransport *transport, const guint8 *cmd, gsize cmd_len,
		      const guint8 *out, gsize out_len, const guint8 *reply, gsize reply_len)
{
	FakeTransport *self = (FakeTransport *)transport;
	FakeStep *step = fake_step_new(cmd, cmd_len);

	if (out != NULL && out_len > 0)
		step->out = g_bytes_new(out, out_len);
	if (reply != NULL && reply_len > 0)
		step->reply = g_bytes_new(reply, reply_len);
	g_queue_push_tail(&self->steps, step);
}

void
fake_transport_expect_error(GlintTransport *transport, const guint8 *cmd, gsize cmd_len,
			    GlintErrorCode code, const char *message)
{
	FakeTransport *self = (FakeTransport *)transport;
	FakeStep *step = fake_step_new(cmd, cmd_len);

	step->fails = TRUE;
	step->code = code;
	step->message = g_strdup(message);
	g_queue_push_tail(&self->steps, step);
}

const char *
fake_transport_get_failure(GlintTransport *transport)
{
	return ((FakeTransport *)transport)->failure;
}

guint
fake_transport_get_remaining(GlintTransport *transport)
{
	return g_queue_get_length(&((FakeTransport *)transport)->steps);
}

guint
fake_transport_get_received(GlintTransport *transport)
{
	return ((FakeTransport *)transport)->received;
}
