/* sim-state-file.c: the file that holds a simulated board between runs.
 *
 * Lost updates are what this prevents: two programs that both load one
 * board, change it and save it would each write over the other's work. A
 * run takes an flock on the file for as long as it holds the board; the
 * next one waits (bounded) or is told the board is in use, and by whom when
 * /proc/locks says. Saving writes a temporary file beside the target and
 * renames it over (a crash leaves the old board, never half a new one); the
 * temporary file is locked before the rename, so the name stays locked
 * throughout, and a waiter that wakes on the old file sees that the name
 * now means another one and locks that instead.
 *
 * What a user might point at by mistake is refused before it is read or
 * replaced: anything but a regular file (a FIFO would block the open), a
 * file far larger than any state, and a read-only file (the user marked
 * it so; replacing it would quietly undo that). Symbolic links are followed
 * to the file they name, which is the one replaced; the links stay. */
#define G_LOG_DOMAIN "glint-sim"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "glint-file.h"
#include "glint-i18n.h"
#include "sim-state.h"

#define SIM_STATE_WHAT N_("simulator state file")
/* What Linux allows in one path resolution (path_resolution(7)). */
#define SIM_STATE_MAX_LINKS 40
/* Between two tries at a held lock: short next to any run, long next to
 * a system call. */
#define SIM_STATE_LOCK_POLL_US 20000
/* A holder that keeps saving could make a waiter chase new files forever. */
#define SIM_STATE_MAX_REOPENS 1000

struct _GlintSimStateFile {
	gchar *path;   /* as given, for messages */
	gchar *target; /* after symbolic links: the file read and replaced */
	int fd;
	gboolean writable; /* a run that saves (else a shared lock, to read) */
	gboolean locked;
	gboolean created; /* made empty by open; removed at close unless saved */
	gboolean saved;
};

/* @path followed through symbolic links, relative ones taken from the
 * directory of the link; the last one may name a file not there yet. */
static gchar *
sim_state_resolve_links(const char *path, GError **error)
{
	g_autofree gchar *current = g_strdup(path);

	for (guint hops = 0; hops <= SIM_STATE_MAX_LINKS; hops++) {
		GStatBuf st;
		g_autofree gchar *link = NULL;
		if (g_lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
			return g_steal_pointer(&current);
		link = g_file_read_link(current, NULL);
		if (link == NULL)
			return g_steal_pointer(&current);
		if (!g_path_is_absolute(link)) {
			g_autofree gchar *dir = g_path_get_dirname(current);
			g_free(current);
			current = g_build_filename(dir, link, NULL);
		} else {
			g_free(current);
			current = g_steal_pointer(&link);
		}
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("Simulator state file '%s' cannot be used: more than %u symbolic links lead "
		      "from it (a loop?)"),
		    path, (guint)SIM_STATE_MAX_LINKS);
	return NULL;
}

/* Whether this process may replace @target (@st describes it). root may
 * write anything, so for root a file without any write bit counts as
 * marked read-only on purpose. */
static gboolean
sim_state_is_read_only(const char *target, const GStatBuf *st)
{
	if (access(target, W_OK) != 0)
		return TRUE;
	return geteuid() == 0 && (st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0;
}

static gboolean
sim_state_read_only_error(GlintSimStateFile *file, guint mode, GError **error)
{
	g_autofree gchar *quoted = g_shell_quote(file->target);

	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("Simulator state file '%s' is read-only (mode %04o): this run would change "
		      "the board and could not keep it. Make it writable (chmod u+w %s) or use "
		      "another state file"),
		    file->path, mode & 07777, quoted);
	return FALSE;
}

/* What must hold before the file is opened: refused by its path, so that
 * neither a FIFO nor a huge file is ever opened or read. */
static gboolean
sim_state_check_target(GlintSimStateFile *file, gboolean *exists, GError **error)
{
	GStatBuf st;

	if (!glint_file_check_regular(file->target, _(SIM_STATE_WHAT), exists, error))
		return FALSE;
	if (!*exists) {
		g_autofree gchar *dir = g_path_get_dirname(file->target);
		if (!file->writable) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
				    _("Cannot read simulator state file '%s': %s"), file->path,
				    g_strerror(ENOENT));
			return FALSE;
		}
		if (access(dir, W_OK) != 0) {
			int errsv = errno;
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Simulator state file '%s' cannot be created: directory '%s': "
			      "%s"),
			    file->path, dir, g_strerror(errsv));
			return FALSE;
		}
		return TRUE;
	}
	if (g_stat(file->target, &st) != 0) {
		int errsv = errno;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("Cannot read simulator state file '%s': %s"), file->path,
			    g_strerror(errsv));
		return FALSE;
	}
	if ((guint64)st.st_size > SIM_STATE_MAX_BYTES) {
		g_autofree gchar *size = g_format_size((guint64)st.st_size);
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
		    _("Simulator state file '%s' cannot be used: %s is far more than a board "
		      "state holds (at most %u MiB); is this the right file?"),
		    file->path, size, SIM_STATE_MAX_BYTES / (1024u * 1024u));
		return FALSE;
	}
	if (file->writable) {
		g_autofree gchar *dir = g_path_get_dirname(file->target);
		if (sim_state_is_read_only(file->target, &st))
			return sim_state_read_only_error(file, st.st_mode, error);
		/* Saving renames a new file into the directory. */
		if (access(dir, W_OK) != 0) {
			int errsv = errno;
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Simulator state file '%s' could not be saved: its directory "
				      "'%s' is not writable (%s); use a state file in a writable "
				      "directory"),
				    file->path, dir, g_strerror(errsv));
			return FALSE;
		}
	}
	return TRUE;
}

/* Opens what the checks allowed; O_NONBLOCK so that a FIFO swapped in
 * after the check cannot block, fstat to refuse it. */
static gboolean
sim_state_open_fd(GlintSimStateFile *file, gboolean exists, GError **error)
{
	int flags = O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat st;

	file->created = FALSE;
	if (!file->writable) {
		file->fd = g_open(file->target, flags | O_RDONLY, 0);
	} else if (!exists) {
		/* O_EXCL: know whether this run made the file. */
		file->fd = g_open(file->target, flags | O_RDWR | O_CREAT | O_EXCL, 0666);
		if (file->fd >= 0)
			file->created = TRUE;
		else if (errno == EEXIST)
			file->fd = g_open(file->target, flags | O_RDWR, 0);
	} else {
		file->fd = g_open(file->target, flags | O_RDWR, 0);
	}
	if (file->fd < 0) {
		int errsv = errno;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("Cannot open simulator state file '%s': %s"), file->path,
			    g_strerror(errsv));
		return FALSE;
	}
	if (fstat(file->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("cannot use %s as a %s: it is %s, not a regular file"), file->path,
			    _(SIM_STATE_WHAT), glint_file_type_describe(st.st_mode));
		return FALSE;
	}
	return TRUE;
}

static void
sim_state_close_fd(GlintSimStateFile *file)
{
	if (file->fd >= 0)
		g_close(file->fd, NULL);
	file->fd = -1;
	file->locked = FALSE;
}

static gboolean
sim_state_open_target(GlintSimStateFile *file, GError **error)
{
	gboolean exists = FALSE;
	sim_state_close_fd(file);
	return sim_state_check_target(file, &exists, error) &&
	       sim_state_open_fd(file, exists, error);
}

static GlintSimStateFile *
sim_state_file_new(const char *path, gboolean writable, GError **error)
{
	g_autoptr(GlintSimStateFile) file = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	if (*path == '\0') {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("no simulator state file given (the file name is empty)"));
		return NULL;
	}
	file = g_new0(GlintSimStateFile, 1);
	file->fd = -1;
	file->path = g_strdup(path);
	file->writable = writable;
	file->target = sim_state_resolve_links(path, error);
	if (file->target == NULL || !sim_state_open_target(file, error))
		return NULL;
	return g_steal_pointer(&file);
}

GlintSimStateFile *
glint_sim_state_file_open(const char *path, GError **error)
{
	return sim_state_file_new(path, TRUE, error);
}

const char *
glint_sim_state_file_get_path(GlintSimStateFile *file)
{
	g_return_val_if_fail(file != NULL, NULL);
	return file->path;
}

/* Whether the path still names the file locked: a holder that saved put a
 * new file under the name; one that gave up removed the file it made. */
static gboolean
sim_state_still_named(GlintSimStateFile *file)
{
	GStatBuf named;
	struct stat held;

	return g_stat(file->target, &named) == 0 && fstat(file->fd, &held) == 0 &&
	       named.st_dev == held.st_dev && named.st_ino == held.st_ino;
}

/* The program @pid runs, as its user started it: argv[0] (a program that
 * re-executes itself through /proc/self/exe, as glint-usbsim does, is
 * "exe" to /proc/PID/comm), else comm. */
static gchar *
sim_state_process_name(const char *pid)
{
	g_autofree gchar *cmdline_path = g_strdup_printf("/proc/%s/cmdline", pid);
	g_autofree gchar *comm_path = g_strdup_printf("/proc/%s/comm", pid);
	g_autofree gchar *text = NULL;
	gsize len = 0;

	/* argv[0] is the text up to the first NUL. */
	if (g_file_get_contents(cmdline_path, &text, &len, NULL) && len > 0 && text[0] != '\0')
		return g_path_get_basename(text);
	g_clear_pointer(&text, g_free);
	if (g_file_get_contents(comm_path, &text, NULL, NULL))
		return g_strdup(g_strstrip(text));
	return NULL;
}

/* "glint-cli (pid 1234)" for the process holding a lock on @fd's file,
 * from /proc/locks; NULL when the system does not say. */
static gchar *
sim_state_lock_holder(int fd)
{
	struct stat st;
	g_autofree gchar *locks = NULL;
	g_autofree gchar *id = NULL;
	g_auto(GStrv) lines = NULL;

	if (fstat(fd, &st) != 0 || !g_file_get_contents("/proc/locks", &locks, NULL, NULL))
		return NULL;
	/* "1: FLOCK  ADVISORY  WRITE 1234 fd:01:131073 0 EOF"; waiters have
	 * "->" after the number. */
	id = g_strdup_printf("%02x:%02x:%" G_GUINT64_FORMAT, major(st.st_dev), minor(st.st_dev),
			     (guint64)st.st_ino);
	lines = g_strsplit(locks, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) words = g_strsplit_set(lines[i], " \t", -1);
		const char *w[6] = {0};
		guint n = 0;
		g_autofree gchar *comm = NULL;
		for (guint j = 0; words[j] != NULL && n < G_N_ELEMENTS(w); j++) {
			if (*words[j] != '\0')
				w[n++] = words[j];
		}
		if (n < G_N_ELEMENTS(w) || g_strcmp0(w[1], "FLOCK") != 0 ||
		    g_strcmp0(w[5], id) != 0)
			continue;
		comm = sim_state_process_name(w[4]);
		if (comm != NULL)
			return g_strdup_printf(_("%s (pid %s)"), comm, w[4]);
		return g_strdup_printf(_("process %s"), w[4]);
	}
	return NULL;
}

gchar *
glint_sim_state_file_get_holder(GlintSimStateFile *file)
{
	g_return_val_if_fail(file != NULL, NULL);
	return sim_state_lock_holder(file->fd);
}

static gboolean
sim_state_busy_error(GlintSimStateFile *file, guint wait_ms, GError **error)
{
	g_autofree gchar *holder = sim_state_lock_holder(file->fd);
	g_autofree gchar *waited =
	    wait_ms > 0 ? g_strdup_printf(_(" (waited %.1f s)"), wait_ms / 1000.0) : g_strdup("");

	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BUSY,
		    _("board in use: simulator state file '%s' is held by %s%s; wait for it to "
		      "finish, or use another state file"),
		    file->path, holder != NULL ? holder : _("another program"), waited);
	return FALSE;
}

gboolean
glint_sim_state_file_lock(GlintSimStateFile *file, guint wait_ms, GCancellable *cancellable,
			  GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)wait_ms * 1000;
	int op = file->writable ? LOCK_EX : LOCK_SH;
	guint reopens = 0;

	g_return_val_if_fail(file != NULL, FALSE);
	if (file->locked)
		return TRUE;
	for (;;) {
		gint64 now;
		if (flock(file->fd, op | LOCK_NB) == 0) {
			if (sim_state_still_named(file)) {
				file->locked = TRUE;
				return TRUE;
			}
			if (++reopens > SIM_STATE_MAX_REOPENS)
				return sim_state_busy_error(file, wait_ms, error);
			if (!sim_state_open_target(file, error))
				return FALSE;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			int errsv = errno;
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
				    _("Cannot lock simulator state file '%s': %s"), file->path,
				    g_strerror(errsv));
			return FALSE;
		}
		if (g_cancellable_is_cancelled(cancellable)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_CANCELLED,
				    _("cancelled while waiting for simulator state file '%s'"),
				    file->path);
			return FALSE;
		}
		now = g_get_monotonic_time();
		if (now >= deadline)
			return sim_state_busy_error(file, wait_ms, error);
		g_usleep((gulong)MIN((gint64)SIM_STATE_LOCK_POLL_US, deadline - now));
	}
}

gboolean
glint_sim_state_file_has_board(GlintSimStateFile *file)
{
	struct stat st;

	g_return_val_if_fail(file != NULL, FALSE);
	return fstat(file->fd, &st) == 0 && st.st_size > 0;
}

GlintSim *
glint_sim_state_file_load(GlintSimStateFile *file, GCancellable *cancellable, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;

	g_return_val_if_fail(file != NULL, NULL);
	g_return_val_if_fail(file->locked, NULL);
	bytes = glint_file_read_fd(file->fd, file->path, _(SIM_STATE_WHAT), SIM_STATE_MAX_BYTES,
				   cancellable, error);
	if (bytes == NULL)
		return NULL;
	return sim_state_new_from_bytes(bytes, file->path, error);
}

static gboolean
sim_state_write_all(int fd, const guint8 *data, gsize len)
{
	while (len > 0) {
		gssize n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

static gboolean
sim_state_save_error(GlintSimStateFile *file, const char *what, int errsv, GError **error)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
		    _("Cannot save the simulated board to '%s': %s: %s"), file->path, what,
		    g_strerror(errsv));
	return FALSE;
}

gboolean
glint_sim_state_file_save(GlintSimStateFile *file, GlintSim *sim, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *base = NULL;
	g_autofree gchar *tmp = NULL;
	GStatBuf now;
	struct stat held;
	const guint8 *data;
	gsize len = 0;
	int tmp_fd;

	g_return_val_if_fail(file != NULL && sim != NULL, FALSE);
	g_return_val_if_fail(file->writable && file->locked, FALSE);
	/* Made read-only while the run went on: still not to be replaced. */
	if (g_stat(file->target, &now) == 0 && sim_state_is_read_only(file->target, &now))
		return sim_state_read_only_error(file, now.st_mode, error);
	if (fstat(file->fd, &held) != 0)
		return sim_state_save_error(file, "fstat", errno, error);
	bytes = sim_state_serialize(sim);
	data = g_bytes_get_data(bytes, &len);
	dir = g_path_get_dirname(file->target);
	base = g_path_get_basename(file->target);
	tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	tmp_fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
	if (tmp_fd < 0)
		return sim_state_save_error(file, _("creating a temporary file"), errno, error);
	/* Locked before it takes the name: there is no moment at which the
	 * name is free while this run still holds the board. Nobody else
	 * knows the file yet, so this cannot block. */
	if (flock(tmp_fd, LOCK_EX | LOCK_NB) != 0 || !sim_state_write_all(tmp_fd, data, len) ||
	    fchmod(tmp_fd, held.st_mode & 07777) != 0 || fsync(tmp_fd) != 0) {
		int errsv = errno;
		g_close(tmp_fd, NULL);
		g_unlink(tmp);
		return sim_state_save_error(file, _("writing"), errsv, error);
	}
	/* Keep the owner when root saves someone else's board (best effort:
	 * the contents matter more). */
	if (geteuid() == 0 && fchown(tmp_fd, held.st_uid, held.st_gid) != 0)
		g_debug("cannot keep the owner of %s: %s", file->target, g_strerror(errno));
	if (g_rename(tmp, file->target) != 0) {
		int errsv = errno;
		g_close(tmp_fd, NULL);
		g_unlink(tmp);
		return sim_state_save_error(file, _("renaming the new state into place"), errsv,
					    error);
	}
	g_close(file->fd, NULL);
	file->fd = tmp_fd;
	file->saved = TRUE;
	file->created = FALSE;
	return TRUE;
}

void
glint_sim_state_file_close(GlintSimStateFile *file)
{
	if (file == NULL)
		return;
	/* A file this run made and never filled would read as a broken
	 * board next time: take it away (only while still holding it, so
	 * that nobody else's file goes). */
	if (file->created && file->locked && !glint_sim_state_file_has_board(file) &&
	    sim_state_still_named(file))
		g_unlink(file->target);
	sim_state_close_fd(file);
	g_free(file->path);
	g_free(file->target);
	g_free(file);
}

/* ---- the one-call forms -------------------------------------------------- */

GlintSim *
glint_sim_new_from_state(const char *path, GError **error)
{
	g_autoptr(GlintSimStateFile) file = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	file = sim_state_file_new(path, FALSE, error);
	if (file == NULL ||
	    !glint_sim_state_file_lock(file, GLINT_SIM_STATE_LOCK_WAIT_MS, NULL, error))
		return NULL;
	return glint_sim_state_file_load(file, NULL, error);
}

gboolean
glint_sim_save_state(GlintSim *sim, const char *path, GError **error)
{
	g_autoptr(GlintSimStateFile) file = NULL;

	g_return_val_if_fail(sim != NULL, FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	file = glint_sim_state_file_open(path, error);
	return file != NULL &&
	       glint_sim_state_file_lock(file, GLINT_SIM_STATE_LOCK_WAIT_MS, NULL, error) &&
	       glint_sim_state_file_save(file, sim, error);
}
