/* sim-fixture.c: a production fixture: one probe with boards put in and
 * taken out one after another (see glint-sim.h for what the host sees).
 *
 * Each board is a whole GlintSim; the fixture forwards the probe's traffic
 * to the one in the socket, or to an unpowered board while it is empty,
 * and watches the command blocks for the two things an operator reacts to:
 * the station reading the voltage (a board goes in) and the station having
 * released the board (DEBUG_EXIT) and polling for its removal (it comes
 * out). What the probe firmware holds across a swap (its mode, its SWD
 * clock) goes with it to the next board. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "sim-private.h"

/* Command bytes the fixture watches (ST-LINK reference 2.3); the probe
 * model has its own names for them, private to sim-probe.c. */
#define FIXTURE_CMD_GET_TARGET_VOLTAGE 0xF7u
#define FIXTURE_CMD_DEBUG 0xF2u
#define FIXTURE_DEBUG_EXIT 0x21u

/* Voltage reads that find the socket empty before the next board goes in:
 * the station sees it empty (a removal) before it sees the next board. */
#define FIXTURE_EMPTY_READS 2
/* Voltage reads, after the probe released the board and with nothing else
 * between them, before the operator takes it out. */
#define FIXTURE_REMOVE_READS 2
/* What the probe reads from a board that barely touches its contacts. */
#define FIXTURE_BAD_CONTACT_MV 400
/* Without state files, removed boards stay in memory up to this many boards
 * (a board's flash is 1 MiB on the L476): more are dropped once out. */
#define FIXTURE_KEEP_MAX 32

struct _GlintSimFixture {
	gint ref_count;
	GMutex lock;
	gchar *board;	  /* the board's name */
	GPtrArray *specs; /* "BOARD:SCENARIO" of each board */
	GPtrArray *sims;  /* each board once it has gone in (NULL before, or once saved) */
	GPtrArray *files; /* each board's state file, locked (NULL entries: no state) */
	gboolean have_files;
	GlintSim *empty;     /* the probe with nothing powered behind it */
	GlintSim *current;   /* the empty socket or the board in it */
	guint current_index; /* 1-based; 0: empty */
	guint next;	     /* the next board to go in, 1-based */
	guint removed;
	guint empty_reads;
	gboolean released;
	guint reads_after_release;
	gint64 time_base; /* modelled time before the current board went in */
	gint64 time_in;	  /* the current board's clock when it went in */
	/* the probe's personality, given to every board */
	gchar *serial;
	gboolean kind_set;
	GlintProbeKind kind;
	guint firmware;
	gboolean host_idle;
	GlintSimCommandHook hook;
	gpointer hook_data;
};

gchar *
glint_sim_fixture_state_path(const char *state_path, guint board)
{
	g_autofree gchar *dir = g_path_get_dirname(state_path);
	g_autofree gchar *base = g_path_get_basename(state_path);
	g_autofree gchar *name = NULL;
	const char *dot = strrchr(base, '.');

	if (dot != NULL && dot != base) {
		g_autofree gchar *stem = g_strndup(base, (gsize)(dot - base));
		name = g_strdup_printf("%s-%u%s", stem, board, dot);
	} else {
		name = g_strdup_printf("%s-%u", base, board);
	}
	return g_build_filename(dir, name, NULL);
}

/* "N" or "SCENARIO,SCENARIO,...": one spec per board. */
static GPtrArray *
fixture_parse_boards(const char *board, const char *scenario, const char *boards, GError **error)
{
	g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func(g_free);
	guint64 count = 0;

	if (boards == NULL || *boards == '\0') {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("A fixture needs its boards: a count (3) or a scenario per board "
		      "(fresh,rdp1,fresh)"));
		return NULL;
	}
	if (g_ascii_isdigit(boards[0])) {
		if (!g_ascii_string_to_unsigned(boards, 10, 1, GLINT_SIM_FIXTURE_MAX_BOARDS, &count,
						NULL)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Fixture '%s': give 1 to %u boards, or a scenario per board "
				      "(fresh,rdp1,fresh)"),
				    boards, GLINT_SIM_FIXTURE_MAX_BOARDS);
			return NULL;
		}
		for (guint64 i = 0; i < count; i++)
			g_ptr_array_add(specs, g_strdup_printf("%s:%s", board, scenario));
		return g_steal_pointer(&specs);
	}
	{
		g_auto(GStrv) items = g_strsplit(boards, ",", -1);
		for (guint i = 0; items[i] != NULL; i++) {
			g_autofree gchar *spec =
			    g_strdup_printf("%s:%s", board, g_strstrip(items[i]));
			g_autoptr(GError) local = NULL;
			if (!glint_sim_parse_spec(spec, NULL, NULL, &local)) {
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("Fixture board %u ('%s'): %s"), i + 1, items[i],
					    local->message);
				return NULL;
			}
			g_ptr_array_add(specs, g_steal_pointer(&spec));
		}
	}
	if (specs->len > GLINT_SIM_FIXTURE_MAX_BOARDS) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("A fixture holds at most %u boards (%u given)"),
			    GLINT_SIM_FIXTURE_MAX_BOARDS, specs->len);
		return NULL;
	}
	return g_steal_pointer(&specs);
}

/* Each board's file, locked; a board it holds is read once now so that a
 * damaged one is refused before the station starts. */
static gboolean
fixture_open_files(GlintSimFixture *self, const char *state_path, guint wait_ms, GError **error)
{
	for (guint k = 1; k <= self->specs->len; k++) {
		g_autofree gchar *path = glint_sim_fixture_state_path(state_path, k);
		g_autoptr(GlintSimStateFile) file = glint_sim_state_file_open(path, error);
		if (file == NULL || !glint_sim_state_file_lock(file, wait_ms, NULL, error))
			return FALSE;
		if (glint_sim_state_file_has_board(file)) {
			g_autoptr(GlintSim) check = glint_sim_state_file_load(file, NULL, error);
			if (check == NULL)
				return FALSE;
		}
		g_ptr_array_add(self->files, g_steal_pointer(&file));
	}
	self->have_files = TRUE;
	return TRUE;
}

GlintSimFixture *
glint_sim_fixture_new(const char *board, const char *boards, const char *state_path, guint wait_ms,
		      GError **error)
{
	g_autoptr(GlintSimFixture) self = g_new0(GlintSimFixture, 1);
	g_autofree gchar *scenario = NULL;
	g_autofree gchar *empty_spec = NULL;
	g_autofree gchar *seed = NULL;
	gchar serial[32];

	self->ref_count = 1;
	g_mutex_init(&self->lock);
	self->sims = g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_unref);
	self->files = g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_state_file_close);
	if (!glint_sim_parse_spec(board, &self->board, &scenario, error))
		return NULL;
	self->specs = fixture_parse_boards(self->board, scenario, boards, error);
	if (self->specs == NULL)
		return NULL;
	g_ptr_array_set_size(self->sims, (gint)self->specs->len);
	empty_spec = g_strdup_printf("%s:no-target", self->board);
	self->empty = glint_sim_new(empty_spec, error);
	if (self->empty == NULL)
		return NULL;
	seed = g_strdup_printf("fixture:%s", self->board);
	sim_scenario_default_serial(seed, serial, sizeof(serial));
	self->serial = g_strdup(serial);
	glint_sim_set_serial(self->empty, serial);
	if (state_path != NULL && !fixture_open_files(self, state_path, wait_ms, error))
		return NULL;
	self->current = self->empty;
	self->next = 1;
	return g_steal_pointer(&self);
}

GlintSimFixture *
glint_sim_fixture_ref(GlintSimFixture *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
glint_sim_fixture_unref(GlintSimFixture *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test(&self->ref_count))
		return;
	g_clear_pointer(&self->sims, g_ptr_array_unref);
	g_clear_pointer(&self->files, g_ptr_array_unref);
	g_clear_pointer(&self->specs, g_ptr_array_unref);
	g_clear_pointer(&self->empty, glint_sim_unref);
	g_free(self->board);
	g_free(self->serial);
	g_mutex_clear(&self->lock);
	g_free(self);
}

/* ---- the probe's personality ---------------------------------------------- */

/* Board @k's own serial, from which its unique ID follows: every board of
 * every fixture differs. */
static gchar *
fixture_board_serial(const char *probe_serial, guint k)
{
	g_autofree gchar *seed = g_strdup_printf(_("board %u of %s"), k, probe_serial);
	gchar serial[32];
	sim_scenario_default_serial(seed, serial, sizeof(serial));
	return g_strdup(serial);
}

static void
fixture_dress(GlintSimFixture *self, GlintSim *sim)
{
	if (self->kind_set)
		glint_sim_set_probe_kind(sim, self->kind);
	if (self->firmware > 0)
		glint_sim_set_firmware_version(sim, self->firmware);
	glint_sim_set_count_host_idle(sim, self->host_idle);
	/* the hook is the boards': the empty socket is none */
	if (sim != self->empty)
		glint_sim_set_command_hook(sim, self->hook, self->hook_data);
}

void
glint_sim_fixture_set_serial(GlintSimFixture *self, const char *serial)
{
	g_mutex_lock(&self->lock);
	g_free(self->serial);
	self->serial = g_strdup(serial);
	glint_sim_set_serial(self->empty, serial);
	g_mutex_unlock(&self->lock);
}

void
glint_sim_fixture_set_probe_kind(GlintSimFixture *self, GlintProbeKind kind)
{
	g_mutex_lock(&self->lock);
	self->kind_set = TRUE;
	self->kind = kind;
	fixture_dress(self, self->current);
	fixture_dress(self, self->empty);
	g_mutex_unlock(&self->lock);
}

void
glint_sim_fixture_set_firmware_version(GlintSimFixture *self, guint jtag_version)
{
	g_mutex_lock(&self->lock);
	self->firmware = jtag_version;
	fixture_dress(self, self->current);
	fixture_dress(self, self->empty);
	g_mutex_unlock(&self->lock);
}

void
glint_sim_fixture_set_count_host_idle(GlintSimFixture *self, gboolean on)
{
	g_mutex_lock(&self->lock);
	self->host_idle = on;
	fixture_dress(self, self->current);
	fixture_dress(self, self->empty);
	g_mutex_unlock(&self->lock);
}

void
glint_sim_fixture_set_command_hook(GlintSimFixture *self, GlintSimCommandHook hook,
				   gpointer user_data)
{
	g_mutex_lock(&self->lock);
	self->hook = hook;
	self->hook_data = user_data;
	fixture_dress(self, self->current);
	fixture_dress(self, self->empty);
	g_mutex_unlock(&self->lock);
}

GlintProbeInfo *
glint_sim_fixture_get_probe_info(GlintSimFixture *self)
{
	GlintProbeInfo *info;
	g_autofree gchar *title = NULL;
	g_autoptr(GlintSimBoardInfo) board = glint_sim_get_board_info(self->board);

	g_mutex_lock(&self->lock);
	info = glint_sim_get_probe_info(self->empty);
	g_free(info->description);
	title = g_strdup(board != NULL ? board->title : self->board);
	info->description =
	    g_strdup_printf(_("%s (simulated fixture: %u %s boards)"),
			    glint_probe_kind_to_string(info->kind), self->specs->len, title);
	g_mutex_unlock(&self->lock);
	return info;
}

/* ---- boards in and out ------------------------------------------------------ */

static GlintSim *
fixture_make_board(GlintSimFixture *self, guint k)
{
	GlintSimStateFile *file = self->have_files ? g_ptr_array_index(self->files, k - 1) : NULL;
	g_autoptr(GlintSim) sim = NULL;

	if (file != NULL && glint_sim_state_file_has_board(file)) {
		g_autoptr(GError) error = NULL;
		sim = glint_sim_state_file_load(file, NULL, &error);
		if (sim == NULL)
			g_warning("fixture board %u: %s; a new board goes in instead", k,
				  error->message);
	}
	if (sim == NULL) {
		g_autofree gchar *serial = fixture_board_serial(self->serial, k);
		sim = glint_sim_new(g_ptr_array_index(self->specs, k - 1), NULL);
		glint_sim_set_serial(sim, serial);
	}
	fixture_dress(self, sim);
	if (g_strcmp0(glint_sim_get_scenario(sim), "no-target") == 0)
		glint_sim_set_target_voltage_mv(sim, FIXTURE_BAD_CONTACT_MV);
	return g_steal_pointer(&sim);
}

/* The probe goes on with @to behind it: its firmware state stays. */
static void
fixture_swap(GlintSimFixture *self, GlintSim *to, guint index)
{
	GlintSim *from = self->current;

	self->time_base += glint_sim_get_time_ns(from) - self->time_in;
	to->mode = from->mode;
	to->swd_khz = from->swd_khz;
	self->current = to;
	self->current_index = index;
	self->time_in = glint_sim_get_time_ns(to);
	self->released = FALSE;
	self->reads_after_release = 0;
}

static void
fixture_insert(GlintSimFixture *self)
{
	guint k = self->next++;
	GlintSim *sim = fixture_make_board(self, k);

	g_ptr_array_index(self->sims, k - 1) = sim;
	g_debug("fixture: board %u of %u goes in (%s, serial %s)", k, self->specs->len,
		glint_sim_get_spec(sim), glint_sim_get_serial(sim));
	fixture_swap(self, sim, k);
	self->empty_reads = 0;
}

static void
fixture_remove(GlintSimFixture *self)
{
	guint k = self->current_index;
	GlintSim *sim = self->current;
	GlintSimStateFile *file = self->have_files ? g_ptr_array_index(self->files, k - 1) : NULL;

	g_debug("fixture: board %u comes out", k);
	fixture_swap(self, self->empty, 0);
	self->removed++;
	/* the read that found it gone counts as the first empty one */
	self->empty_reads = 1;
	if (file != NULL) {
		g_autoptr(GError) error = NULL;
		if (glint_sim_state_file_save(file, sim, &error)) {
			g_ptr_array_index(self->sims, k - 1) = NULL;
			glint_sim_unref(sim);
		} else {
			g_warning("fixture board %u: %s (kept in memory; saved again at the end)",
				  k, error->message);
		}
	} else if (self->specs->len > FIXTURE_KEEP_MAX) {
		g_ptr_array_index(self->sims, k - 1) = NULL;
		glint_sim_unref(sim);
	}
}

static void
fixture_voltage_read(GlintSimFixture *self)
{
	if (self->current_index == 0) {
		if (self->next <= self->specs->len &&
		    (self->next == 1 || self->empty_reads >= FIXTURE_EMPTY_READS))
			fixture_insert(self);
		else
			self->empty_reads++;
		return;
	}
	if (self->released && ++self->reads_after_release >= FIXTURE_REMOVE_READS)
		fixture_remove(self);
}

/* Called with the lock held, before the probe handles the transfer. */
static void
fixture_observe(GlintSimFixture *self, const guint8 *data, gsize len)
{
	/* a data-out phase of a write is no command */
	if (len == 0 || self->current->data_wait)
		return;
	if (data[0] == FIXTURE_CMD_GET_TARGET_VOLTAGE) {
		fixture_voltage_read(self);
		return;
	}
	if (self->current_index == 0)
		return;
	if (data[0] == FIXTURE_CMD_DEBUG && len > 1 && data[1] == FIXTURE_DEBUG_EXIT) {
		self->released = TRUE;
		self->reads_after_release = 0;
		return;
	}
	self->released = FALSE;
}

/* ---- the probe's endpoints ---------------------------------------------------- */

void
glint_sim_fixture_bulk_out(GlintSimFixture *self, const guint8 *data, gsize len)
{
	g_mutex_lock(&self->lock);
	if (data != NULL)
		fixture_observe(self, data, len);
	glint_sim_bulk_out(self->current, data, len);
	g_mutex_unlock(&self->lock);
}

gsize
glint_sim_fixture_bulk_in(GlintSimFixture *self, guint8 *buf, gsize max)
{
	gsize n;
	g_mutex_lock(&self->lock);
	n = glint_sim_bulk_in(self->current, buf, max);
	g_mutex_unlock(&self->lock);
	return n;
}

gboolean
glint_sim_fixture_is_unplugged(GlintSimFixture *self)
{
	gboolean unplugged;
	g_mutex_lock(&self->lock);
	unplugged = glint_sim_is_unplugged(self->current);
	g_mutex_unlock(&self->lock);
	return unplugged;
}

typedef struct {
	GlintTransport parent;
	GlintSimFixture *fixture;
} FixtureTransport;

/* As the in-process transport of one GlintSim (glint-sim.c), with the
 * board the fixture holds at the time of each command. */
static gboolean
fixture_transport_command(GlintTransport *transport, const guint8 *cmd, const guint8 *out,
			  gsize out_len, guint8 *in, gsize in_len, guint timeout_ms, GError **error)
{
	GlintSimFixture *self = ((FixtureTransport *)transport)->fixture;
	GlintSim *sim;
	gsize avail, got;
	gboolean ok = FALSE;

	g_mutex_lock(&self->lock);
	if (self->current->unplugged) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("Simulated probe %s was unplugged; reconnect it and retry"),
			    self->serial);
		goto out;
	}
	fixture_observe(self, cmd, GLINT_STLINK_CMD_SIZE);
	sim = self->current;
	glint_sim_bulk_out(sim, cmd, GLINT_STLINK_CMD_SIZE);
	if (out != NULL && out_len > 0)
		glint_sim_bulk_out(sim, out, out_len);
	if (sim->unplugged) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED,
			    _("Simulated probe %s vanished during command %02X %02X"), self->serial,
			    cmd[0], cmd[1]);
		goto out;
	}
	if (in == NULL || in_len == 0) {
		ok = TRUE;
		goto out;
	}
	avail = sim_probe_pending_reply(sim);
	if (avail == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
			    _("Simulated probe %s sent no reply to command %02X %02X within %u ms"),
			    self->serial, cmd[0], cmd[1], timeout_ms);
		goto out;
	}
	if (avail > in_len && in_len % transport->info.max_packet != 0) {
		sim_probe_clear(sim);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("Reply to command %02X %02X overflowed: %zu bytes for a %zu-byte "
			      "buffer"),
			    cmd[0], cmd[1], avail, in_len);
		goto out;
	}
	got = glint_sim_bulk_in(sim, in, in_len);
	if (got < in_len) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("Short reply to command %02X %02X: %zu of %zu bytes (status 0x%02X)"),
			    cmd[0], cmd[1], got, in_len, in[0]);
		goto out;
	}
	ok = TRUE;
out:
	g_mutex_unlock(&self->lock);
	return ok;
}

static gint64
fixture_transport_device_time(GlintTransport *transport)
{
	return glint_sim_fixture_get_time_ns(((FixtureTransport *)transport)->fixture);
}

static void
fixture_transport_finalize(GlintTransport *transport)
{
	glint_sim_fixture_unref(((FixtureTransport *)transport)->fixture);
	g_free(transport);
}

static const GlintTransportClass fixture_transport_class = {
    .command = fixture_transport_command,
    .device_time_ns = fixture_transport_device_time,
    .finalize = fixture_transport_finalize,
};

GlintTransport *
glint_sim_fixture_transport_new(GlintSimFixture *self)
{
	FixtureTransport *t = g_new0(FixtureTransport, 1);
	g_autoptr(GlintProbeInfo) info = glint_sim_fixture_get_probe_info(self);

	glint_transport_init(&t->parent, &fixture_transport_class, info);
	t->fixture = glint_sim_fixture_ref(self);
	return &t->parent;
}

/* ---- what tests and reports see ------------------------------------------------- */

guint
glint_sim_fixture_get_n_boards(GlintSimFixture *self)
{
	return self->specs->len;
}

guint
glint_sim_fixture_get_inserted(GlintSimFixture *self)
{
	guint n;
	g_mutex_lock(&self->lock);
	n = self->next - 1;
	g_mutex_unlock(&self->lock);
	return n;
}

guint
glint_sim_fixture_get_removed(GlintSimFixture *self)
{
	guint n;
	g_mutex_lock(&self->lock);
	n = self->removed;
	g_mutex_unlock(&self->lock);
	return n;
}

guint
glint_sim_fixture_get_current(GlintSimFixture *self)
{
	guint n;
	g_mutex_lock(&self->lock);
	n = self->current_index;
	g_mutex_unlock(&self->lock);
	return n;
}

GlintSim *
glint_sim_fixture_get_board(GlintSimFixture *self, guint board)
{
	GlintSim *sim = NULL;

	g_mutex_lock(&self->lock);
	if (board >= 1 && board < self->next) {
		sim = g_ptr_array_index(self->sims, board - 1);
		if (sim != NULL) {
			sim = glint_sim_ref(sim);
		} else if (self->have_files) {
			GlintSimStateFile *file = g_ptr_array_index(self->files, board - 1);
			if (glint_sim_state_file_has_board(file))
				sim = glint_sim_state_file_load(file, NULL, NULL);
		}
	}
	g_mutex_unlock(&self->lock);
	return sim;
}

gint64
glint_sim_fixture_get_time_ns(GlintSimFixture *self)
{
	gint64 t;
	g_mutex_lock(&self->lock);
	t = self->time_base + glint_sim_get_time_ns(self->current) - self->time_in;
	g_mutex_unlock(&self->lock);
	return t;
}

gboolean
glint_sim_fixture_save(GlintSimFixture *self, GError **error)
{
	gboolean ok = TRUE;

	g_mutex_lock(&self->lock);
	for (guint k = 1; self->have_files && k < self->next && ok; k++) {
		GlintSim *sim = g_ptr_array_index(self->sims, k - 1);
		if (sim != NULL)
			ok = glint_sim_state_file_save(g_ptr_array_index(self->files, k - 1), sim,
						       error);
	}
	g_mutex_unlock(&self->lock);
	return ok;
}
