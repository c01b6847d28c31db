/* glint-target-loop.c: the Target tab's worker thread (see the header). */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-target-loop.h"

#include <math.h>
#include <string.h>

#include "glint-i18n.h"

/* ICSR (ARMv7-M B3.2.4, ARMv6-M B3.2.4): VECTACTIVE names the exception the
 * core is handling; the debugger reads it while the core runs */
#define SCB_ICSR 0xE000ED04u
#define ICSR_VECTACTIVE_MASK 0x1FFu
/* Exception numbers of the faults (ARMv7-M B1.5.2): HardFault to
 * UsageFault, and ARMv8-M's SecureFault */
#define EXC_HARDFAULT 3u
#define EXC_LAST_FAULT 7u

#define NS_PER_MS G_GINT64_CONSTANT(1000000)
#define US_PER_MS G_GINT64_CONSTANT(1000)
/* The emulator's clock is kept this close to the wall clock; a host too
 * slow for real time lets the target run slower instead of in bursts */
#define PACE_MAX_BEHIND_NS (250 * NS_PER_MS)
#define PACE_MAX_IDLE_NS (100 * NS_PER_MS)
/* How long RTT is looked for again while the firmware has not set its
 * control block up (after a reset, or just started) */
#define RTT_RETRY_MS 2000
#define RTT_RETRY_INTERVAL_MS 100

static gint loops_alive;

typedef struct {
	GlintTargetCommand kind;
	guint count;
	GlintCoreReg reg;
	guint32 value;
	GlintDebugInfo *elf;
	GlintWatch *watch;
	gdouble rate_hz;
	guint generation;
	GlintSwoConfig swo;
	GlintRttOptions rtt;
	GBytes *data;
} Command;

typedef enum {
	EVENT_CORE,
	EVENT_FAULT,
	EVENT_WATCH_SAMPLE,
	EVENT_WATCH_FAILED,
	EVENT_SWO_STARTED,
	EVENT_SWO_PACKETS,
	EVENT_SWO_STOPPED,
	EVENT_RTT_STARTED,
	EVENT_RTT_DATA,
	EVENT_RTT_PENDING,
	EVENT_RTT_STOPPED,
	EVENT_COMMAND_FAILED,
	EVENT_LOG,
} EventKind;

typedef struct {
	EventKind kind;
	GlintTargetCore core;
	GlintFaultReport *fault;
	GlintWatchSample sample;
	guint generation;
	GError *error;
	GlintTargetTrace trace;
	GArray *packets;
	guint overflows;
	guint channel;
	GBytes *bytes;
	guint64 pending;
	GlintTargetCommand command;
	GLogLevelFlags level;
	gchar *message;
} Event;

struct _GlintTargetLoop {
	GObject parent_instance;
	GlintSession *session;
	GMutex mutex;
	GCond cond;
	GQueue commands; /* Command*, under @mutex */
	GQueue events;	 /* Event*, under @mutex */
	gboolean idle_pending;
	gboolean stop_requested;
	GCancellable *cancellable;
	GMainContext *context;
	gboolean running; /* main thread: from start until "stopped" */
	GError *end_error;
};

G_DEFINE_TYPE(GlintTargetLoop, glint_target_loop, G_TYPE_OBJECT)

enum {
	SIGNAL_CORE_CHANGED,
	SIGNAL_FAULT,
	SIGNAL_WATCH_SAMPLE,
	SIGNAL_WATCH_FAILED,
	SIGNAL_SWO_STARTED,
	SIGNAL_SWO_PACKETS,
	SIGNAL_SWO_STOPPED,
	SIGNAL_RTT_STARTED,
	SIGNAL_RTT_DATA,
	SIGNAL_RTT_PENDING,
	SIGNAL_RTT_STOPPED,
	SIGNAL_COMMAND_FAILED,
	SIGNAL_LOG,
	SIGNAL_STOPPED,
	SIGNAL_LAST,
};
static guint signals[SIGNAL_LAST];

const char *
glint_target_command_title(GlintTargetCommand command)
{
	switch (command) {
	case GLINT_TARGET_CMD_HALT:
		return C_("target command", "Halt");
	case GLINT_TARGET_CMD_RUN:
		return C_("target command", "Run");
	case GLINT_TARGET_CMD_STEP:
		return C_("target command", "Step");
	case GLINT_TARGET_CMD_RESET:
		return C_("target command", "Reset");
	case GLINT_TARGET_CMD_RESET_HALT:
		return C_("target command", "Reset and halt");
	case GLINT_TARGET_CMD_WRITE_REGISTER:
		return C_("target command", "Write register");
	case GLINT_TARGET_CMD_FAULT_REPORT:
		return C_("target command", "Fault report");
	case GLINT_TARGET_CMD_SET_ELF:
		return C_("target command", "Use ELF");
	case GLINT_TARGET_CMD_SET_WATCH:
		return C_("target command", "Watch");
	case GLINT_TARGET_CMD_SWO_START:
		return C_("target command", "Start SWO");
	case GLINT_TARGET_CMD_SWO_STOP:
		return C_("target command", "Stop SWO");
	case GLINT_TARGET_CMD_RTT_START:
		return C_("target command", "Start RTT");
	case GLINT_TARGET_CMD_RTT_STOP:
		return C_("target command", "Stop RTT");
	case GLINT_TARGET_CMD_RTT_SEND:
		return C_("target command", "Send over RTT");
	}
	return C_("target command", "Target");
}

static void
command_free(Command *cmd)
{
	g_clear_pointer(&cmd->elf, glint_debug_info_unref);
	g_clear_pointer(&cmd->watch, glint_watch_free);
	g_clear_pointer(&cmd->data, g_bytes_unref);
	g_free(cmd);
}

static void
trace_clear(GlintTargetTrace *trace)
{
	g_clear_pointer(&trace->up_names, g_strfreev);
}

static void
event_free(Event *ev)
{
	g_clear_pointer(&ev->fault, glint_fault_report_free);
	glint_watch_sample_clear(&ev->sample);
	g_clear_error(&ev->error);
	trace_clear(&ev->trace);
	g_clear_pointer(&ev->packets, g_array_unref);
	g_clear_pointer(&ev->bytes, g_bytes_unref);
	g_free(ev->message);
	g_free(ev);
}

/* ---- main thread: delivering what the worker found ------------------------ */

static void
emit_event(GlintTargetLoop *self, Event *ev)
{
	switch (ev->kind) {
	case EVENT_CORE:
		g_signal_emit(self, signals[SIGNAL_CORE_CHANGED], 0, &ev->core);
		break;
	case EVENT_FAULT:
		g_signal_emit(self, signals[SIGNAL_FAULT], 0, ev->fault);
		break;
	case EVENT_WATCH_SAMPLE:
		g_signal_emit(self, signals[SIGNAL_WATCH_SAMPLE], 0, &ev->sample, ev->generation);
		break;
	case EVENT_WATCH_FAILED:
		g_signal_emit(self, signals[SIGNAL_WATCH_FAILED], 0, ev->error);
		break;
	case EVENT_SWO_STARTED:
		g_signal_emit(self, signals[SIGNAL_SWO_STARTED], 0, &ev->trace);
		break;
	case EVENT_SWO_PACKETS:
		g_signal_emit(self, signals[SIGNAL_SWO_PACKETS], 0, ev->packets, ev->overflows);
		break;
	case EVENT_SWO_STOPPED:
		g_signal_emit(self, signals[SIGNAL_SWO_STOPPED], 0, ev->error);
		break;
	case EVENT_RTT_STARTED:
		g_signal_emit(self, signals[SIGNAL_RTT_STARTED], 0, &ev->trace);
		break;
	case EVENT_RTT_DATA:
		g_signal_emit(self, signals[SIGNAL_RTT_DATA], 0, ev->channel, ev->bytes);
		break;
	case EVENT_RTT_PENDING:
		g_signal_emit(self, signals[SIGNAL_RTT_PENDING], 0, ev->pending);
		break;
	case EVENT_RTT_STOPPED:
		g_signal_emit(self, signals[SIGNAL_RTT_STOPPED], 0, ev->error);
		break;
	case EVENT_COMMAND_FAILED:
		g_signal_emit(self, signals[SIGNAL_COMMAND_FAILED], 0, (guint)ev->command,
			      ev->error);
		break;
	case EVENT_LOG:
		g_signal_emit(self, signals[SIGNAL_LOG], 0, (guint)ev->level, ev->message);
		break;
	}
}

static void
deliver_events(GlintTargetLoop *self)
{
	GQueue events = G_QUEUE_INIT;

	g_mutex_lock(&self->mutex);
	events = self->events;
	g_queue_init(&self->events);
	self->idle_pending = FALSE;
	g_mutex_unlock(&self->mutex);
	for (GList *l = events.head; l != NULL; l = l->next)
		emit_event(self, l->data);
	g_queue_clear_full(&events, (GDestroyNotify)event_free);
}

static gboolean
deliver_idle_cb(gpointer user_data)
{
	deliver_events(GLINT_TARGET_LOOP(user_data));
	return G_SOURCE_REMOVE;
}

/* Worker: one idle at a time delivers everything queued until it runs */
static void
push_event(GlintTargetLoop *self, Event *ev)
{
	g_mutex_lock(&self->mutex);
	g_queue_push_tail(&self->events, ev);
	if (!self->idle_pending) {
		GSource *source = g_idle_source_new();
		self->idle_pending = TRUE;
		g_source_set_priority(source, G_PRIORITY_DEFAULT);
		g_source_set_callback(source, deliver_idle_cb, g_object_ref(self), g_object_unref);
		g_source_attach(source, self->context);
		g_source_unref(source);
	}
	g_mutex_unlock(&self->mutex);
}

static Event *
event_new(EventKind kind)
{
	Event *ev = g_new0(Event, 1);
	ev->kind = kind;
	return ev;
}

/* ---- the worker ------------------------------------------------------------ */

typedef struct {
	GlintTargetLoop *loop;
	GlintSession *session;
	GlintTransport *transport;
	GlintProgress *progress;
	GCancellable *cancellable;
	GError *fatal; /* the link is gone: the loop ends with this */
	GlintDebugInfo *elf;
	/* the core */
	GlintCoreInfo info;
	gboolean have_core; /* @core has been sent once */
	GlintTargetCore core;
	gboolean in_fault;
	gboolean core_dirty; /* a command changed it: read it at once, registers too */
	gint64 next_status_us;
	/* live watch */
	GlintWatch *watch;
	gdouble watch_rate_hz;
	guint watch_generation;
	gint64 watch_due_ns;
	gint64 watch_start_ns; /* the first sample's time, -1 before it */
	/* SWO */
	GlintSwoCapture *swo;
	GArray *swo_packets;
	guint64 swo_overflows;
	/* RTT */
	GlintRtt *rtt;
	gboolean rtt_wanted;
	GlintRttOptions rtt_options;
	gint64 rtt_retry_until_us;
	gint64 rtt_next_try_us;
	GByteArray *rtt_input;
	guint64 rtt_pending_said;
	GByteArray *rtt_chunks[GLINT_RTT_MAX_CHANNELS];
	/* pacing of the emulator's clock against the wall clock */
	gboolean modelled;
	gint64 pace_host_us;
	gint64 pace_device_ns;
} Worker;

/* Errors after which the link to the target is gone: the loop ends */
static gboolean
error_is_fatal(const GError *error)
{
	return g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED) ||
	       g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET) ||
	       g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING) ||
	       g_error_matches(error, GLINT_ERROR, GLINT_ERROR_PROBE) ||
	       g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT);
}

/* TRUE when @error ended the loop (kept in w->fatal); @error is taken */
static gboolean
worker_check_fatal(Worker *w, GError **error)
{
	if (*error == NULL || !error_is_fatal(*error))
		return FALSE;
	if (w->fatal == NULL)
		w->fatal = g_steal_pointer(error);
	g_clear_error(error);
	return TRUE;
}

static void
worker_command_failed(Worker *w, GlintTargetCommand command, GError *error)
{
	Event *ev = event_new(EVENT_COMMAND_FAILED);
	ev->command = command;
	ev->error = g_error_copy(error);
	push_event(w->loop, ev);
	worker_check_fatal(w, &error);
	g_clear_error(&error);
}

static void
worker_log_cb(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Worker *w = user_data;
	Event *ev = event_new(EVENT_LOG);
	ev->level = level;
	ev->message = g_strdup(message);
	push_event(w->loop, ev);
}

static gint64
worker_now_ns(Worker *w)
{
	if (w->modelled)
		return glint_transport_get_device_time_ns(w->transport);
	return g_get_monotonic_time() * 1000;
}

/* -- the core -- */

static gboolean
core_is_in_fault(const GlintTargetCore *core)
{
	if (core->status.state == GLINT_CORE_LOCKED_UP)
		return TRUE;
	return core->vectactive_known && core->vectactive >= EXC_HARDFAULT &&
	       core->vectactive <= EXC_LAST_FAULT;
}

static void
worker_fault_report(Worker *w)
{
	g_autoptr(GError) error = NULL;
	GlintFaultReport *report = glint_job_fault_report(w->session, w->elf, &error);
	Event *ev;
	if (report == NULL) {
		worker_command_failed(w, GLINT_TARGET_CMD_FAULT_REPORT, g_steal_pointer(&error));
		return;
	}
	ev = event_new(EVENT_FAULT);
	ev->fault = report;
	push_event(w->loop, ev);
}

/* The state (and VECTACTIVE, and the registers when halted); sent when it
 * changed or @force. FALSE when the link is gone. */
static void
worker_poll_core(Worker *w, gboolean force)
{
	g_autoptr(GError) error = NULL;
	GlintTargetCore now = {.info = w->info};
	gboolean changed, fault_now;

	if (!glint_job_core_status(w->session, &now.status, &error)) {
		/* the state is the one thing the tab cannot do without */
		if (w->fatal == NULL)
			w->fatal = g_steal_pointer(&error);
		return;
	}
	if (now.status.state != GLINT_CORE_IN_RESET) {
		g_autoptr(GBytes) icsr =
		    glint_job_read(w->session, SCB_ICSR, 4, NULL, NULL, NULL, &error);
		if (icsr != NULL) {
			const guint8 *b = g_bytes_get_data(icsr, NULL);
			now.vectactive = (b[0] | (guint32)b[1] << 8) & ICSR_VECTACTIVE_MASK;
			now.vectactive_known = TRUE;
		} else if (worker_check_fatal(w, &error)) {
			return;
		}
		g_clear_error(&error);
	}
	changed = !w->have_core || now.status.state != w->core.status.state ||
		  now.status.dfsr != w->core.status.dfsr || now.vectactive != w->core.vectactive ||
		  now.vectactive_known != w->core.vectactive_known;
	if (now.status.state == GLINT_CORE_HALTED && (changed || force)) {
		if (!glint_job_core_read_registers(w->session, &now.regs, &error)) {
			if (worker_check_fatal(w, &error))
				return;
			memset(&now.regs, 0, sizeof(now.regs));
		}
	} else if (now.status.state == GLINT_CORE_HALTED) {
		now.regs = w->core.regs;
	}
	if (changed || force) {
		Event *ev = event_new(EVENT_CORE);
		ev->core = now;
		push_event(w->loop, ev);
	}
	w->core = now;
	w->have_core = TRUE;
	/* a fault handler entered (or a lockup) is explained once; leaving it
	 * (a reset) takes the report down */
	fault_now = core_is_in_fault(&now);
	if (fault_now && !w->in_fault) {
		w->in_fault = TRUE;
		worker_fault_report(w);
	} else if (!fault_now && w->in_fault) {
		w->in_fault = FALSE;
		push_event(w->loop, event_new(EVENT_FAULT));
	}
}

/* -- RTT -- */

static void
rtt_data_cb(guint channel, const guint8 *data, gsize len, gpointer user_data)
{
	Worker *w = user_data;
	if (channel >= GLINT_RTT_MAX_CHANNELS)
		return;
	if (w->rtt_chunks[channel] == NULL)
		w->rtt_chunks[channel] = g_byte_array_new();
	g_byte_array_append(w->rtt_chunks[channel], data, (guint)len);
}

static void
worker_rtt_stopped(Worker *w, GError *error)
{
	Event *ev = event_new(EVENT_RTT_STOPPED);
	g_clear_pointer(&w->rtt, glint_rtt_free);
	w->rtt_wanted = FALSE;
	ev->error = error != NULL ? g_error_copy(error) : NULL;
	push_event(w->loop, ev);
	if (error != NULL)
		worker_check_fatal(w, &error);
	g_clear_error(&error);
}

static void
worker_rtt_started(Worker *w)
{
	Event *ev = event_new(EVENT_RTT_STARTED);
	GPtrArray *names = g_ptr_array_new();
	for (guint i = 0; i < glint_rtt_get_n_channels(w->rtt, TRUE); i++) {
		const GlintRttChannel *ch = glint_rtt_get_channel(w->rtt, TRUE, i);
		if (ch->size == 0)
			break;
		g_ptr_array_add(names, g_strdup(ch->name != NULL ? ch->name : ""));
	}
	ev->trace.n_up = names->len;
	g_ptr_array_add(names, NULL);
	ev->trace.up_names = (gchar **)g_ptr_array_free(names, FALSE);
	ev->trace.rtt_address = glint_rtt_get_address(w->rtt);
	ev->trace.rtt_down = glint_rtt_get_n_channels(w->rtt, FALSE) > 0 &&
			     glint_rtt_get_channel(w->rtt, FALSE, 0)->size > 0;
	push_event(w->loop, ev);
}

static void
worker_rtt_try_attach(Worker *w)
{
	g_autoptr(GError) error = NULL;
	gint64 now = g_get_monotonic_time();

	if (now < w->rtt_next_try_us)
		return;
	w->rtt = glint_rtt_attach(w->session, &w->rtt_options, w->progress, w->cancellable, &error);
	if (w->rtt != NULL) {
		worker_rtt_started(w);
		return;
	}
	/* a firmware that has just started (or been reset) writes the block
	 * after its other start-up: looked for again for a while */
	if ((g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_FOUND) ||
	     g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CORRUPT)) &&
	    now < w->rtt_retry_until_us) {
		w->rtt_next_try_us = now + RTT_RETRY_INTERVAL_MS * US_PER_MS;
		return;
	}
	if (g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CANCELLED))
		return;
	worker_rtt_stopped(w, g_steal_pointer(&error));
}

static void
worker_rtt_say_pending(Worker *w)
{
	Event *ev;
	if (w->rtt_input->len == w->rtt_pending_said)
		return;
	w->rtt_pending_said = w->rtt_input->len;
	ev = event_new(EVENT_RTT_PENDING);
	ev->pending = w->rtt_input->len;
	push_event(w->loop, ev);
}

static void
worker_rtt_tick(Worker *w)
{
	g_autoptr(GError) error = NULL;

	if (w->rtt_wanted && w->rtt == NULL)
		worker_rtt_try_attach(w);
	if (w->rtt == NULL)
		return;
	if (w->rtt_input->len > 0) {
		gsize written = 0;
		if (!glint_rtt_write(w->rtt, 0, w->rtt_input->data, w->rtt_input->len, &written,
				     &error)) {
			worker_rtt_stopped(w, g_steal_pointer(&error));
			return;
		}
		g_byte_array_remove_range(w->rtt_input, 0, (guint)written);
	}
	worker_rtt_say_pending(w);
	if (!glint_rtt_poll(w->rtt, rtt_data_cb, w, NULL, &error)) {
		worker_rtt_stopped(w, g_steal_pointer(&error));
		return;
	}
	for (guint i = 0; i < GLINT_RTT_MAX_CHANNELS; i++) {
		Event *ev;
		if (w->rtt_chunks[i] == NULL || w->rtt_chunks[i]->len == 0)
			continue;
		ev = event_new(EVENT_RTT_DATA);
		ev->channel = i;
		ev->bytes = g_byte_array_free_to_bytes(g_steal_pointer(&w->rtt_chunks[i]));
		push_event(w->loop, ev);
	}
}

/* -- SWO -- */

static void
swo_packet_cb(const GlintItmPacket *packet, gpointer user_data)
{
	Worker *w = user_data;
	if (packet->kind == GLINT_ITM_SOURCE)
		g_array_append_val(w->swo_packets, *packet);
}

static void
worker_swo_stopped(Worker *w, GError *error)
{
	Event *ev = event_new(EVENT_SWO_STOPPED);
	g_autoptr(GError) stop_error = NULL;
	if (w->swo != NULL && error == NULL && !glint_swo_stop(w->swo, &stop_error))
		error = g_steal_pointer(&stop_error);
	g_clear_pointer(&w->swo, glint_swo_capture_free);
	ev->error = error != NULL ? g_error_copy(error) : NULL;
	push_event(w->loop, ev);
	if (error != NULL)
		worker_check_fatal(w, &error);
	g_clear_error(&error);
}

static void
worker_swo_tick(Worker *w)
{
	g_autoptr(GError) error = NULL;
	GlintItmStats stats;
	Event *ev;

	if (w->swo == NULL)
		return;
	g_array_set_size(w->swo_packets, 0);
	if (!glint_swo_poll(w->swo, swo_packet_cb, w, NULL, &error)) {
		worker_swo_stopped(w, g_steal_pointer(&error));
		return;
	}
	glint_swo_get_stats(w->swo, &stats);
	if (w->swo_packets->len == 0 && stats.overflows == w->swo_overflows)
		return;
	ev = event_new(EVENT_SWO_PACKETS);
	ev->packets = g_array_copy(w->swo_packets);
	ev->overflows = (guint)(stats.overflows - w->swo_overflows);
	w->swo_overflows = stats.overflows;
	push_event(w->loop, ev);
}

static void
worker_swo_start(Worker *w, const GlintSwoConfig *config)
{
	g_autoptr(GError) error = NULL;
	Event *ev;
	if (w->swo != NULL)
		worker_swo_stopped(w, NULL);
	w->swo = glint_swo_start(w->session, config, w->progress, w->cancellable, &error);
	if (w->swo == NULL) {
		if (!g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CANCELLED))
			worker_swo_stopped(w, g_steal_pointer(&error));
		return;
	}
	w->swo_overflows = 0;
	ev = event_new(EVENT_SWO_STARTED);
	ev->trace.swo = *glint_swo_get_setup(w->swo);
	push_event(w->loop, ev);
	/* it lets the core run */
	w->core_dirty = TRUE;
}

/* -- live watch -- */

static void
worker_watch_tick(Worker *w)
{
	g_autoptr(GError) error = NULL;
	GlintWatchSample sample;
	gint64 now, period;
	Event *ev;

	if (w->watch == NULL || glint_watch_get_n_items(w->watch) == 0)
		return;
	now = worker_now_ns(w);
	if (now < w->watch_due_ns)
		return;
	period = (gint64)(1e9 / w->watch_rate_hz);
	/* a late sample is followed by the next on time, not a burst */
	w->watch_due_ns = MAX(w->watch_due_ns + period, now);
	if (!glint_job_watch_sample(w->session, w->watch, &sample, &error)) {
		ev = event_new(EVENT_WATCH_FAILED);
		ev->error = g_error_copy(error);
		push_event(w->loop, ev);
		g_clear_pointer(&w->watch, glint_watch_free);
		worker_check_fatal(w, &error);
		return;
	}
	if (w->watch_start_ns < 0)
		w->watch_start_ns = now;
	sample.time_s = (gdouble)(now - w->watch_start_ns) / 1e9;
	ev = event_new(EVENT_WATCH_SAMPLE);
	ev->sample = sample;
	ev->generation = w->watch_generation;
	push_event(w->loop, ev);
}

/* -- commands -- */

static void
worker_step(Worker *w, guint count)
{
	g_autoptr(GError) error = NULL;
	GlintCoreStatus st;
	guint done = 0;
	if (!glint_job_core_step(w->session, MAX(count, 1), &done, &st, w->cancellable, &error) &&
	    !g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CANCELLED))
		worker_command_failed(w, GLINT_TARGET_CMD_STEP, g_steal_pointer(&error));
}

static void
worker_run(Worker *w)
{
	g_autoptr(GError) error = NULL;
	if (w->core.status.state == GLINT_CORE_LOCKED_UP) {
		g_set_error_literal(&error, GLINT_ERROR, GLINT_ERROR_FAILED,
				    _("The core is locked up and only a reset ends that (the fault "
				      "report says why it locked up)"));
	} else if (glint_job_core_run(w->session, &error)) {
		return;
	}
	worker_command_failed(w, GLINT_TARGET_CMD_RUN, g_steal_pointer(&error));
}

static void
worker_reset(Worker *w, gboolean halt)
{
	g_autoptr(GError) error = NULL;
	if (!glint_job_reset(w->session, GLINT_RESET_AUTO, halt, w->cancellable, &error)) {
		worker_command_failed(w,
				      halt ? GLINT_TARGET_CMD_RESET_HALT : GLINT_TARGET_CMD_RESET,
				      g_steal_pointer(&error));
		return;
	}
	/* the firmware sets its RTT block up again: attached afresh once it has */
	if (w->rtt != NULL || w->rtt_wanted) {
		g_clear_pointer(&w->rtt, glint_rtt_free);
		w->rtt_wanted = TRUE;
		w->rtt_retry_until_us = g_get_monotonic_time() + RTT_RETRY_MS * US_PER_MS;
		w->rtt_next_try_us = g_get_monotonic_time() + RTT_RETRY_INTERVAL_MS * US_PER_MS;
	}
}

static void
worker_do(Worker *w, Command *cmd)
{
	g_autoptr(GError) error = NULL;

	switch (cmd->kind) {
	case GLINT_TARGET_CMD_HALT:
		if (!glint_job_core_halt(w->session, NULL, &error))
			worker_command_failed(w, cmd->kind, g_steal_pointer(&error));
		break;
	case GLINT_TARGET_CMD_RUN:
		worker_run(w);
		break;
	case GLINT_TARGET_CMD_STEP:
		worker_step(w, cmd->count);
		break;
	case GLINT_TARGET_CMD_RESET:
	case GLINT_TARGET_CMD_RESET_HALT:
		worker_reset(w, cmd->kind == GLINT_TARGET_CMD_RESET_HALT);
		break;
	case GLINT_TARGET_CMD_WRITE_REGISTER:
		if (!glint_job_core_write_register(w->session, cmd->reg, cmd->value, &error))
			worker_command_failed(w, cmd->kind, g_steal_pointer(&error));
		break;
	case GLINT_TARGET_CMD_FAULT_REPORT:
		worker_fault_report(w);
		return;
	case GLINT_TARGET_CMD_SET_ELF:
		g_clear_pointer(&w->elf, glint_debug_info_unref);
		w->elf = g_steal_pointer(&cmd->elf);
		/* a report already shown gains the names */
		if (w->in_fault)
			worker_fault_report(w);
		return;
	case GLINT_TARGET_CMD_SET_WATCH:
		g_clear_pointer(&w->watch, glint_watch_free);
		w->watch = g_steal_pointer(&cmd->watch);
		w->watch_rate_hz = CLAMP(cmd->rate_hz, 0.01, GLINT_TARGET_LOOP_MAX_WATCH_HZ);
		w->watch_generation = cmd->generation;
		w->watch_due_ns = 0;
		return;
	case GLINT_TARGET_CMD_SWO_START:
		worker_swo_start(w, &cmd->swo);
		break;
	case GLINT_TARGET_CMD_SWO_STOP:
		if (w->swo != NULL)
			worker_swo_stopped(w, NULL);
		return;
	case GLINT_TARGET_CMD_RTT_START:
		g_clear_pointer(&w->rtt, glint_rtt_free);
		w->rtt_wanted = TRUE;
		w->rtt_options = cmd->rtt;
		w->rtt_retry_until_us = g_get_monotonic_time() + RTT_RETRY_MS * US_PER_MS;
		w->rtt_next_try_us = 0;
		worker_rtt_try_attach(w);
		/* it lets the core run */
		break;
	case GLINT_TARGET_CMD_RTT_STOP:
		if (w->rtt != NULL || w->rtt_wanted)
			worker_rtt_stopped(w, NULL);
		return;
	case GLINT_TARGET_CMD_RTT_SEND: {
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(cmd->data, &len);
		g_byte_array_append(w->rtt_input, data, (guint)len);
		worker_rtt_say_pending(w);
		return;
	}
	}
	w->core_dirty = TRUE;
}

/* -- time -- */

/* Lets the target run up to the wall clock (the emulator's firmware runs
 * only while its clock advances), then waits for the next tick, a command
 * or the stop. */
static void
worker_wait(Worker *w, gint64 deadline_us)
{
	GlintTargetLoop *loop = w->loop;

	if (w->modelled) {
		gint64 host = g_get_monotonic_time();
		gint64 device = glint_transport_get_device_time_ns(w->transport);
		gint64 behind = w->pace_device_ns + (host - w->pace_host_us) * 1000 - device;
		if (behind > PACE_MAX_BEHIND_NS) {
			/* the host cannot keep up: carry on from here */
			w->pace_host_us = host;
			w->pace_device_ns = device;
			behind = GLINT_TARGET_LOOP_TICK_MS * NS_PER_MS;
		}
		if (behind > 0)
			glint_transport_idle(w->transport, MIN(behind, PACE_MAX_IDLE_NS),
					     w->cancellable);
	}
	g_mutex_lock(&loop->mutex);
	while (!loop->stop_requested && g_queue_is_empty(&loop->commands) &&
	       g_get_monotonic_time() < deadline_us) {
		if (!g_cond_wait_until(&loop->cond, &loop->mutex, deadline_us))
			break;
	}
	g_mutex_unlock(&loop->mutex);
}

static Command *
worker_next_command(Worker *w)
{
	Command *cmd;
	g_mutex_lock(&w->loop->mutex);
	cmd = w->loop->stop_requested ? NULL : g_queue_pop_head(&w->loop->commands);
	g_mutex_unlock(&w->loop->mutex);
	return cmd;
}

static gboolean
worker_stop_requested(Worker *w)
{
	gboolean stop;
	g_mutex_lock(&w->loop->mutex);
	stop = w->loop->stop_requested;
	g_mutex_unlock(&w->loop->mutex);
	return stop || w->fatal != NULL;
}

static void
worker_run_loop(Worker *w)
{
	g_autoptr(GError) error = NULL;

	if (!glint_job_core_info(w->session, &w->info, &error)) {
		w->fatal = g_steal_pointer(&error);
		return;
	}
	w->core_dirty = TRUE;
	while (!worker_stop_requested(w)) {
		gint64 tick_start = g_get_monotonic_time();
		Command *cmd;

		while ((cmd = worker_next_command(w)) != NULL) {
			worker_do(w, cmd);
			command_free(cmd);
			if (w->fatal != NULL)
				return;
		}
		if (w->core_dirty || tick_start >= w->next_status_us) {
			worker_poll_core(w, w->core_dirty);
			w->core_dirty = FALSE;
			w->next_status_us = tick_start + GLINT_TARGET_LOOP_STATUS_MS * US_PER_MS;
		}
		if (w->fatal == NULL)
			worker_watch_tick(w);
		if (w->fatal == NULL)
			worker_swo_tick(w);
		if (w->fatal == NULL)
			worker_rtt_tick(w);
		if (w->fatal != NULL)
			return;
		worker_wait(w, tick_start + GLINT_TARGET_LOOP_TICK_MS * US_PER_MS);
	}
}

static void
loop_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	GlintTargetLoop *loop = GLINT_TARGET_LOOP(source);
	Worker w = {
	    .loop = loop,
	    .session = loop->session,
	    .transport = glint_session_get_transport(loop->session),
	    .cancellable = loop->cancellable,
	    .watch_start_ns = -1,
	};

	w.progress = glint_progress_new(NULL, worker_log_cb, &w);
	w.swo_packets = g_array_new(FALSE, FALSE, sizeof(GlintItmPacket));
	w.rtt_input = g_byte_array_new();
	w.modelled = glint_transport_get_device_time_ns(w.transport) >= 0;
	w.pace_host_us = g_get_monotonic_time();
	w.pace_device_ns = glint_transport_get_device_time_ns(w.transport);

	worker_run_loop(&w);

	/* what was running stops here; the views hear it as if asked */
	if (w.swo != NULL)
		worker_swo_stopped(&w, NULL);
	if (w.rtt != NULL || w.rtt_wanted)
		worker_rtt_stopped(&w, NULL);
	g_clear_pointer(&w.watch, glint_watch_free);
	g_clear_pointer(&w.elf, glint_debug_info_unref);
	for (guint i = 0; i < GLINT_RTT_MAX_CHANNELS; i++)
		g_clear_pointer(&w.rtt_chunks[i], g_byte_array_unref);
	g_byte_array_unref(w.rtt_input);
	g_array_unref(w.swo_packets);
	glint_progress_free(w.progress);
	g_mutex_lock(&loop->mutex);
	loop->end_error = w.fatal;
	g_mutex_unlock(&loop->mutex);
	g_task_return_boolean(task, TRUE);
}

static void
loop_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GlintTargetLoop *self = GLINT_TARGET_LOOP(source);
	g_autoptr(GError) error = NULL;

	/* everything the worker said lands before "stopped" */
	deliver_events(self);
	g_mutex_lock(&self->mutex);
	error = g_steal_pointer(&self->end_error);
	g_mutex_unlock(&self->mutex);
	self->running = FALSE;
	g_atomic_int_dec_and_test(&loops_alive);
	g_signal_emit(self, signals[SIGNAL_STOPPED], 0, error);
}

/* ---- main thread: the API ---------------------------------------------------- */

GlintTargetLoop *
glint_target_loop_new(GlintSession *session)
{
	GlintTargetLoop *self = g_object_new(GLINT_TYPE_TARGET_LOOP, NULL);
	self->session = glint_session_ref(session);
	return self;
}

GlintSession *
glint_target_loop_get_session(GlintTargetLoop *self)
{
	return self->session;
}

void
glint_target_loop_start(GlintTargetLoop *self)
{
	g_autoptr(GTask) task = NULL;
	g_return_if_fail(!self->running);
	self->running = TRUE;
	self->stop_requested = FALSE;
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	g_clear_pointer(&self->context, g_main_context_unref);
	self->context = g_main_context_ref_thread_default();
	g_atomic_int_inc(&loops_alive);
	task = g_task_new(self, NULL, loop_done_cb, NULL);
	g_task_set_return_on_cancel(task, FALSE);
	g_task_run_in_thread(task, loop_thread);
}

void
glint_target_loop_stop(GlintTargetLoop *self)
{
	g_mutex_lock(&self->mutex);
	self->stop_requested = TRUE;
	g_cond_signal(&self->cond);
	g_mutex_unlock(&self->mutex);
	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
}

gboolean
glint_target_loop_is_running(GlintTargetLoop *self)
{
	return self->running;
}

guint
glint_target_loop_count_alive(void)
{
	return (guint)g_atomic_int_get(&loops_alive);
}

static Command *
command_new(GlintTargetCommand kind)
{
	Command *cmd = g_new0(Command, 1);
	cmd->kind = kind;
	return cmd;
}

static void
push_command(GlintTargetLoop *self, Command *cmd)
{
	g_mutex_lock(&self->mutex);
	g_queue_push_tail(&self->commands, cmd);
	g_cond_signal(&self->cond);
	g_mutex_unlock(&self->mutex);
}

void
glint_target_loop_halt(GlintTargetLoop *self)
{
	push_command(self, command_new(GLINT_TARGET_CMD_HALT));
}

void
glint_target_loop_run(GlintTargetLoop *self)
{
	push_command(self, command_new(GLINT_TARGET_CMD_RUN));
}

void
glint_target_loop_step(GlintTargetLoop *self, guint count)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_STEP);
	cmd->count = count;
	push_command(self, cmd);
}

void
glint_target_loop_reset(GlintTargetLoop *self, gboolean halt)
{
	push_command(self,
		     command_new(halt ? GLINT_TARGET_CMD_RESET_HALT : GLINT_TARGET_CMD_RESET));
}

void
glint_target_loop_write_register(GlintTargetLoop *self, GlintCoreReg reg, guint32 value)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_WRITE_REGISTER);
	cmd->reg = reg;
	cmd->value = value;
	push_command(self, cmd);
}

void
glint_target_loop_refresh_fault(GlintTargetLoop *self)
{
	push_command(self, command_new(GLINT_TARGET_CMD_FAULT_REPORT));
}

void
glint_target_loop_set_elf(GlintTargetLoop *self, GlintDebugInfo *elf)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_SET_ELF);
	cmd->elf = elf != NULL ? glint_debug_info_ref(elf) : NULL;
	push_command(self, cmd);
}

void
glint_target_loop_set_watch(GlintTargetLoop *self, GlintWatch *watch, gdouble rate_hz,
			    guint generation)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_SET_WATCH);
	cmd->watch = watch;
	cmd->generation = generation;
	cmd->rate_hz = rate_hz > 0 && isfinite(rate_hz) ? rate_hz : 1.0;
	push_command(self, cmd);
}

void
glint_target_loop_swo_start(GlintTargetLoop *self, const GlintSwoConfig *config)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_SWO_START);
	cmd->swo = *config;
	push_command(self, cmd);
}

void
glint_target_loop_swo_stop(GlintTargetLoop *self)
{
	push_command(self, command_new(GLINT_TARGET_CMD_SWO_STOP));
}

void
glint_target_loop_rtt_start(GlintTargetLoop *self, const GlintRttOptions *options)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_RTT_START);
	if (options != NULL)
		cmd->rtt = *options;
	push_command(self, cmd);
}

void
glint_target_loop_rtt_stop(GlintTargetLoop *self)
{
	push_command(self, command_new(GLINT_TARGET_CMD_RTT_STOP));
}

void
glint_target_loop_rtt_send(GlintTargetLoop *self, const guint8 *data, gsize len)
{
	Command *cmd = command_new(GLINT_TARGET_CMD_RTT_SEND);
	cmd->data = g_bytes_new(data, len);
	push_command(self, cmd);
}

static void
glint_target_loop_finalize(GObject *object)
{
	GlintTargetLoop *self = GLINT_TARGET_LOOP(object);
	g_queue_clear_full(&self->commands, (GDestroyNotify)command_free);
	g_queue_clear_full(&self->events, (GDestroyNotify)event_free);
	g_clear_error(&self->end_error);
	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->context, g_main_context_unref);
	g_clear_pointer(&self->session, glint_session_unref);
	g_mutex_clear(&self->mutex);
	g_cond_clear(&self->cond);
	G_OBJECT_CLASS(glint_target_loop_parent_class)->finalize(object);
}

static void
glint_target_loop_init(GlintTargetLoop *self)
{
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	g_queue_init(&self->commands);
	g_queue_init(&self->events);
}

static guint
pointer_signal(const char *name)
{
	return g_signal_new(name, GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			    G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
glint_target_loop_class_init(GlintTargetLoopClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = glint_target_loop_finalize;

	signals[SIGNAL_CORE_CHANGED] = pointer_signal("core-changed");
	signals[SIGNAL_FAULT] = pointer_signal("fault");
	signals[SIGNAL_WATCH_SAMPLE] =
	    g_signal_new("watch-sample", GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
	signals[SIGNAL_WATCH_FAILED] = pointer_signal("watch-failed");
	signals[SIGNAL_SWO_STARTED] = pointer_signal("swo-started");
	signals[SIGNAL_SWO_PACKETS] =
	    g_signal_new("swo-packets", GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
	signals[SIGNAL_SWO_STOPPED] = pointer_signal("swo-stopped");
	signals[SIGNAL_RTT_STARTED] = pointer_signal("rtt-started");
	signals[SIGNAL_RTT_DATA] =
	    g_signal_new("rtt-data", GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			 G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BYTES);
	signals[SIGNAL_RTT_PENDING] =
	    g_signal_new("rtt-pending", GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
	signals[SIGNAL_RTT_STOPPED] = pointer_signal("rtt-stopped");
	signals[SIGNAL_COMMAND_FAILED] =
	    g_signal_new("command-failed", GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_POINTER);
	signals[SIGNAL_LOG] =
	    g_signal_new("log", GLINT_TYPE_TARGET_LOOP, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			 G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
	signals[SIGNAL_STOPPED] = pointer_signal("stopped");
}
