/* sim-clock.c: charging modelled device time (constants in sim-clock.h),
 * the benchmark's overrides of the model's estimates, and the host's idle
 * time net of the machine's load. */
#define G_LOG_DOMAIN "glint-sim"

#include <errno.h>
#include <fcntl.h>
#include <math.h> /* isfinite (a macro: no libm) */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "sim-private.h"

/* ---- the model's estimates, and the benchmark's factors on them ------- */

typedef struct {
	gdouble usb_command;	 /* x SIM_USB_FS_COMMAND_NS / SIM_USB_HS_COMMAND_NS */
	gdouble swd_access;	 /* x SIM_SWD_CYCLES_PER_ACCESS */
	gdouble cpu_cycles;	 /* x the core's cycles per instruction */
	gboolean host_idle_wall; /* charge idle gaps as measured, load included */
} SimClockModel;

static SimClockModel sim_clock_model_now = {1.0, 1.0, 1.0, FALSE};

static gboolean
sim_clock_parse_factor(const char *key, const char *value, gdouble *factor, GError **error)
{
	gchar *end = NULL;
	gdouble f = g_ascii_strtod(value, &end);
	if (end == value || *end != '\0' || !isfinite(f) || f <= 0 || f > 1000) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    SIM_CLOCK_ENV ": bad factor '%s' for %s: give a number > 0, e.g. %s=2",
			    value, key, key);
		return FALSE;
	}
	*factor = f;
	return TRUE;
}

static gboolean
sim_clock_parse_item(SimClockModel *m, const char *item, GError **error)
{
	g_auto(GStrv) kv = g_strsplit(item, "=", 2);
	const char *key, *value;

	if (kv[0] == NULL)
		return TRUE; /* "a,,b" or a trailing comma */
	key = g_strstrip(kv[0]);
	value = kv[1] != NULL ? g_strstrip(kv[1]) : NULL;
	if (*key == '\0' && value == NULL)
		return TRUE; /* blanks between commas */
	if (value == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    SIM_CLOCK_ENV ": '%s' has no value: write KEY=VALUE, e.g. "
					  "usb-command=2",
			    item);
		return FALSE;
	}
	if (g_str_equal(key, "usb-command"))
		return sim_clock_parse_factor(key, value, &m->usb_command, error);
	if (g_str_equal(key, "swd-access"))
		return sim_clock_parse_factor(key, value, &m->swd_access, error);
	if (g_str_equal(key, "cpu-cycles"))
		return sim_clock_parse_factor(key, value, &m->cpu_cycles, error);
	if (g_str_equal(key, "host-idle")) {
		if (g_str_equal(value, "net") || g_str_equal(value, "wall")) {
			m->host_idle_wall = g_str_equal(value, "wall");
			return TRUE;
		}
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    SIM_CLOCK_ENV ": host-idle is 'net' or 'wall', not '%s'", value);
		return FALSE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    SIM_CLOCK_ENV ": unknown key '%s': the keys are usb-command, swd-access, "
				  "cpu-cycles and host-idle",
		    key);
	return FALSE;
}

static gboolean
sim_clock_parse(const char *spec, SimClockModel *out, GError **error)
{
	SimClockModel m = {1.0, 1.0, 1.0, FALSE};
	g_auto(GStrv) items = g_strsplit(spec != NULL ? spec : "", ",", -1);
	for (guint i = 0; items[i] != NULL; i++) {
		if (!sim_clock_parse_item(&m, items[i], error))
			return FALSE;
	}
	*out = m;
	return TRUE;
}

/* The environment is read once per process, before the first charge. */
static const SimClockModel *
sim_clock_model(void)
{
	static gsize read_env = 0;
	if (g_once_init_enter(&read_env)) {
		const char *spec = g_getenv(SIM_CLOCK_ENV);
		g_autoptr(GError) error = NULL;
		if (spec != NULL && !sim_clock_parse(spec, &sim_clock_model_now, &error))
			g_warning("%s; the model's own estimates are used", error->message);
		g_once_init_leave(&read_env, 1);
	}
	return &sim_clock_model_now;
}

gboolean
glint_sim_set_clock_model(const char *spec, GError **error)
{
	SimClockModel m;
	(void)sim_clock_model(); /* the environment must not override this later */
	if (!sim_clock_parse(spec, &m, error))
		return FALSE;
	sim_clock_model_now = m;
	return TRUE;
}

/* ---- the machine's load, as Linux accounts it ------------------------- */

/* Time that the emulator's process and the host program it serves (its child
 * processes, with all their threads) spent runnable but waiting for a CPU:
 * the second field of /proc/PID/task/TID/schedstat ("run_delay", ns). On a
 * loaded machine a tool's sleep, or its turnaround, lasts longer by this; on
 * silicon the tool would have been no slower. Without /proc it stays 0. */

#define LOAD_RESCAN_NS G_GINT64_CONSTANT(50000000) /* new threads and children */
#define LOAD_MAX_DEPTH 4			   /* child processes followed */

typedef struct {
	gint fd;
	guint64 base; /* run delay when first seen */
	guint64 last;
} LoadTask;

typedef struct {
	GMutex lock;
	GArray *tasks;	   /* LoadTask */
	GHashTable *seen;  /* "PID/TID" of the tasks open */
	GHashTable *marks; /* GlintSim -> run delay at its last transfer (guint64) */
	guint64 retired;   /* run delay of tasks since gone */
	gint64 scanned_ns;
} LoadMeter;

static LoadMeter load_meter;

static gboolean
load_read_delay(gint fd, guint64 *delay)
{
	gchar buf[96];
	gssize n = pread(fd, buf, sizeof(buf) - 1, 0);
	gchar *p, *end = NULL;
	if (n <= 0)
		return FALSE;
	buf[n] = '\0';
	/* "on-cpu-ns run-delay-ns timeslices" */
	p = strchr(buf, ' ');
	if (p == NULL)
		return FALSE;
	*delay = g_ascii_strtoull(p + 1, &end, 10);
	return end != p + 1;
}

static void
load_add_task(LoadMeter *m, const char *pid, const char *tid)
{
	g_autofree gchar *key = g_strdup_printf("%s/%s", pid, tid);
	g_autofree gchar *path = NULL;
	LoadTask t = {-1, 0, 0};

	if (g_hash_table_contains(m->seen, key))
		return;
	path = g_strdup_printf("/proc/%s/task/%s/schedstat", pid, tid);
	t.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t.fd < 0)
		return;
	if (!load_read_delay(t.fd, &t.base)) {
		close(t.fd);
		return;
	}
	t.last = t.base;
	g_array_append_val(m->tasks, t);
	g_hash_table_add(m->seen, g_steal_pointer(&key));
}

/* Adds the threads of @pid and, down to @depth, of its children. */
static void
load_scan_process(LoadMeter *m, const char *pid, guint depth)
{
	g_autofree gchar *task_dir = g_strdup_printf("/proc/%s/task", pid);
	g_autoptr(GDir) dir = g_dir_open(task_dir, 0, NULL);
	const char *tid;

	if (dir == NULL)
		return;
	while ((tid = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *children_path = NULL;
		g_autofree gchar *children = NULL;
		g_auto(GStrv) pids = NULL;

		load_add_task(m, pid, tid);
		if (depth == 0)
			continue;
		children_path = g_strdup_printf("%s/%s/children", task_dir, tid);
		if (!g_file_get_contents(children_path, &children, NULL, NULL))
			continue;
		pids = g_strsplit(g_strstrip(children), " ", -1);
		for (guint i = 0; pids[i] != NULL; i++) {
			if (*pids[i] != '\0')
				load_scan_process(m, pids[i], depth - 1);
		}
	}
}

/* Total run delay, ns, since the meter first saw each task; under lock. */
static guint64
load_total_locked(LoadMeter *m, gint64 wall_ns)
{
	guint64 total = m->retired;
	if (m->tasks == NULL) {
		m->tasks = g_array_new(FALSE, FALSE, sizeof(LoadTask));
		m->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	}
	if (m->scanned_ns == 0 || wall_ns - m->scanned_ns >= LOAD_RESCAN_NS) {
		g_autofree gchar *self = g_strdup_printf("%d", (int)getpid());
		m->scanned_ns = wall_ns;
		load_scan_process(m, self, LOAD_MAX_DEPTH);
	}
	for (guint i = 0; i < m->tasks->len;) {
		LoadTask *t = &g_array_index(m->tasks, LoadTask, i);
		guint64 now;
		if (!load_read_delay(t->fd, &now)) {
			/* the thread has gone: its delay stays counted; the
			 * "seen" key stays too (thread ids are not reused soon) */
			m->retired += t->last - t->base;
			total += t->last - t->base;
			close(t->fd);
			g_array_remove_index_fast(m->tasks, i);
			continue;
		}
		t->last = MAX(t->last, now);
		total += t->last - t->base;
		i++;
	}
	return total;
}

/* The machine's load so far, in ns of run delay. */
static guint64
load_delay_now(gint64 wall_ns)
{
	guint64 delay;
	g_mutex_lock(&load_meter.lock);
	delay = load_total_locked(&load_meter, wall_ns);
	g_mutex_unlock(&load_meter.lock);
	return delay;
}

/* The run delay at the end of @sim's last transfer is kept here, by sim. */
static void
load_mark(GlintSim *sim, guint64 delay)
{
	guint64 *mark;
	g_mutex_lock(&load_meter.lock);
	if (load_meter.marks == NULL)
		load_meter.marks =
		    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	mark = g_hash_table_lookup(load_meter.marks, sim);
	if (mark == NULL) {
		mark = g_new(guint64, 1);
		g_hash_table_insert(load_meter.marks, sim, mark);
	}
	*mark = delay;
	g_mutex_unlock(&load_meter.lock);
}

/* Run delay since @sim's mark (0 without one). */
static guint64
load_since_mark(GlintSim *sim, guint64 delay)
{
	const guint64 *mark;
	guint64 since = 0;
	g_mutex_lock(&load_meter.lock);
	mark = load_meter.marks != NULL ? g_hash_table_lookup(load_meter.marks, sim) : NULL;
	if (mark != NULL && delay > *mark)
		since = delay - *mark;
	g_mutex_unlock(&load_meter.lock);
	return since;
}

/* ---- charging --------------------------------------------------------- */

static gboolean
sim_is_high_speed(GlintSim *sim)
{
	return sim->kind == GLINT_PROBE_KIND_V3;
}

void
sim_clock_advance(GlintSim *sim, gint64 ns)
{
	if (ns > 0)
		sim->now_ns += ns;
}

void
sim_clock_advance_to(GlintSim *sim, gint64 t)
{
	if (t > sim->now_ns)
		sim->now_ns = t;
}

/* A gap between two transfers (host_last_wall_ns: the end of the last one)
 * counts when the host idled on purpose, i.e. when the gap is longer than
 * SIM_HOST_IDLE_MIN_NS even without the time the machine's load added; it
 * then counts whole, since the device kept working all along and the host
 * decides when to come back by the wall clock (its timeouts too). A gap
 * that only the load made long is a turnaround and costs nothing, as on an
 * unloaded machine. "host-idle=wall" counts every long gap. */
void
sim_clock_host_activity(GlintSim *sim)
{
	gint64 wall, gap, idle_min;
	if (!sim->count_host_idle || sim->host_last_wall_ns == 0)
		return;
	idle_min = sim_is_high_speed(sim) ? SIM_HOST_IDLE_MIN_HS_NS : SIM_HOST_IDLE_MIN_NS;
	wall = g_get_monotonic_time() * 1000;
	gap = wall - sim->host_last_wall_ns;
	if (gap <= idle_min)
		return;
	if (!sim_clock_model()->host_idle_wall &&
	    gap - (gint64)load_since_mark(sim, load_delay_now(wall)) <= idle_min)
		return;
	sim_clock_advance(sim, gap);
}

void
sim_clock_host_done(GlintSim *sim)
{
	gint64 wall;
	if (!sim->count_host_idle)
		return;
	/* the load first: a wait between the two readings then falls outside
	 * the gap, not inside it uncounted */
	if (!sim_clock_model()->host_idle_wall)
		load_mark(sim, load_delay_now(g_get_monotonic_time() * 1000));
	wall = g_get_monotonic_time() * 1000;
	sim->host_last_wall_ns = MAX(wall, 1);
}

void
glint_sim_set_count_host_idle(GlintSim *sim, gboolean on)
{
	g_return_if_fail(sim != NULL);
	sim->count_host_idle = on;
	sim->host_last_wall_ns = 0;
}

static gint64
sim_clock_scaled(gint64 ns, gdouble factor)
{
	/* ns and factor are positive: + 0.5 rounds to nearest */
	return factor == 1.0 ? ns : (gint64)((gdouble)ns * factor + 0.5);
}

gint64
sim_clock_usb_round_trip_ns(GlintSim *sim)
{
	gdouble factor = sim_clock_model()->usb_command;
	return sim_clock_scaled(
	    sim_is_high_speed(sim) ? SIM_USB_HS_COMMAND_NS : SIM_USB_FS_COMMAND_NS, factor);
}

gint64
sim_clock_usb_data_ns(GlintSim *sim, gsize data_bytes)
{
	guint64 packets;
	if (sim_is_high_speed(sim))
		/* bytes / (bytes per second), in ns */
		return (gint64)data_bytes * G_GINT64_CONSTANT(1000000000) / SIM_USB_HS_BYTES_PER_S;
	/* a full-speed frame carries at most 19 bulk packets of 64 bytes */
	packets = (data_bytes + SIM_USB_FS_PACKET_SIZE - 1) / SIM_USB_FS_PACKET_SIZE;
	return (gint64)(packets * SIM_USB_FRAME_NS / SIM_USB_FS_PACKETS_PER_FRAME);
}

void
sim_clock_usb_command(GlintSim *sim, gsize data_bytes)
{
	sim_clock_advance(sim, sim_clock_usb_round_trip_ns(sim));
	sim_clock_advance(sim, sim_clock_usb_data_ns(sim, data_bytes));
}

gint64
sim_clock_swd_ns(guint64 n, guint khz)
{
	gdouble factor = sim_clock_model()->swd_access;
	khz = MAX(khz, 1u);
	/* cycles / (kHz * 1000) seconds = cycles * 1e6 / kHz ns */
	if (factor == 1.0)
		return (gint64)(n * SIM_SWD_CYCLES_PER_ACCESS * G_GUINT64_CONSTANT(1000000) / khz);
	return (gint64)((gdouble)n * SIM_SWD_CYCLES_PER_ACCESS * factor * 1e6 / khz + 0.5);
}

void
sim_clock_swd_accesses(GlintSim *sim, guint64 n)
{
	sim_clock_advance(
	    sim, sim_clock_swd_ns(n, sim->swd_khz > 0 ? sim->swd_khz : SIM_SWD_DEFAULT_KHZ));
}

guint64
sim_clock_cpu_cycles(guint64 cycles)
{
	/* the fraction a scaled block leaves over carries to the next one
	 * (per thread: a sim is driven by one thread at a time) */
	static _Thread_local gdouble carry;
	gdouble factor = sim_clock_model()->cpu_cycles;
	gdouble scaled, whole;
	if (factor == 1.0)
		return cycles;
	scaled = (gdouble)cycles * factor + carry;
	whole = (gdouble)(guint64)scaled; /* positive: truncation is floor */
	carry = scaled - whole;
	return (guint64)whole;
}

void
sim_flash_op_begin(GlintSim *sim, gint64 ns)
{
	sim->flash_op.active = TRUE;
	sim->flash_op.until = sim->now_ns + ns;
}

gboolean
sim_flash_op_ended(GlintSim *sim)
{
	if (!sim->flash_op.active || sim->now_ns < sim->flash_op.until)
		return FALSE;
	/* a core that ran ahead (stalled on the busy flash) does not end the
	 * operation before the time the probe has reached: the probe would see
	 * BSY clear early */
	if (sim->cpu.in_run && sim->flash_op.until > sim->cpu.deadline)
		return FALSE;
	sim->flash_op.active = FALSE;
	return TRUE;
}

void
sim_flash_op_wait(GlintSim *sim)
{
	if (!sim->flash_op.active)
		return;
	/* a running core stalls on the bus until then: it gets ahead of the
	 * probe, whose clock catch-up puts back */
	if (sim->cpu.in_run)
		sim->cpu.ns = MAX(sim->cpu.ns, sim->flash_op.until);
	sim_clock_advance_to(sim, sim->flash_op.until);
}
