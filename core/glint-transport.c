/* glint-transport.c: the common part of every transport. */
#define G_LOG_DOMAIN "glint-transport"

#include "glint-i18n.h"
#include "glint-transport.h"

#include "glint-error.h"

/* The longest a host waits in one go in glint_transport_idle() before it
 * looks at the cancellable again */
#define TRANSPORT_IDLE_SLICE_US 10000

void
glint_probe_info_clear(GlintProbeInfo *info)
{
	g_clear_pointer(&info->serial, g_free);
	g_clear_pointer(&info->description, g_free);
}

void
glint_probe_info_free(GlintProbeInfo *info)
{
	if (info == NULL)
		return;
	glint_probe_info_clear(info);
	g_free(info);
}

GlintProbeInfo *
glint_probe_info_copy(const GlintProbeInfo *info)
{
	GlintProbeInfo *copy = g_new0(GlintProbeInfo, 1);
	*copy = *info;
	copy->serial = g_strdup(info->serial);
	copy->description = g_strdup(info->description);
	return copy;
}

const char *
glint_probe_kind_to_string(GlintProbeKind kind)
{
	switch (kind) {
	case GLINT_PROBE_KIND_V1:
		return "V1";
	case GLINT_PROBE_KIND_V2:
		return "V2";
	case GLINT_PROBE_KIND_V2_1:
		return "V2-1";
	case GLINT_PROBE_KIND_V3:
		return "V3";
	default:
		return "unknown";
	}
}

void
glint_transport_init(GlintTransport *self, const GlintTransportClass *klass,
		     const GlintProbeInfo *info)
{
	self->klass = klass;
	self->ref_count = 1;
	self->info = *info;
	self->info.serial = g_strdup(info->serial);
	self->info.description = g_strdup(info->description);
}

GlintTransport *
glint_transport_ref(GlintTransport *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
glint_transport_unref(GlintTransport *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->ref_count))
		return;
	glint_probe_info_clear(&self->info);
	self->klass->finalize(self);
}

gboolean
glint_transport_command(GlintTransport *self, const guint8 *cmd, const guint8 *out, gsize out_len,
			guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(cmd != NULL, FALSE);
	/* A zero-length data phase can hang real ST-LINK firmware. */
	g_return_val_if_fail(out == NULL || out_len > 0, FALSE);
	return self->klass->command(self, cmd, out, out_len, in, in_len,
				    timeout_ms ? timeout_ms : GLINT_TRANSPORT_DEFAULT_TIMEOUT_MS,
				    error);
}

const GlintProbeInfo *
glint_transport_get_info(GlintTransport *self)
{
	return &self->info;
}
gint64
glint_transport_get_device_time_ns(GlintTransport *self)
{
	if (self->klass->device_time_ns == NULL)
		return -1;
	return self->klass->device_time_ns(self);
}

gboolean
glint_transport_read_trace(GlintTransport *self, guint8 *buf, gsize len, gsize *got,
			   guint timeout_ms, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(got != NULL, FALSE);
	*got = 0;
	if (self->klass->read_trace == NULL) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("This link to the probe (%s) has no trace endpoint: SWO cannot be read "
		      "through it"),
		    glint_probe_kind_to_string(self->info.kind));
		return FALSE;
	}
	if (len == 0)
		return TRUE;
	return self->klass->read_trace(self, buf, len, got,
				       timeout_ms ? timeout_ms : GLINT_TRANSPORT_DEFAULT_TIMEOUT_MS,
				       error);
}

void
glint_transport_idle(GlintTransport *self, gint64 ns, GCancellable *cancellable)
{
	gint64 end;

	g_return_if_fail(self != NULL);
	if (ns <= 0)
		return;
	if (self->klass->idle != NULL) {
		self->klass->idle(self, ns);
		return;
	}
	/* in slices, so that Cancel (Ctrl-C) is not held up by a long wait */
	end = g_get_monotonic_time() + (ns + 999) / 1000;
	while (!g_cancellable_is_cancelled(cancellable)) {
		gint64 left = end - g_get_monotonic_time();
		if (left <= 0)
			break;
		g_usleep((gulong)MIN(left, TRANSPORT_IDLE_SLICE_US));
	}
}
