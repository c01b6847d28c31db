/* glint-station-counter.c: durable counters beside a recipe (see the header
 * for the guarantee): a key file replaced atomically under an flock. */
#define G_LOG_DOMAIN "glint-station"

#include "glint-i18n.h"
#include "glint-station-counter.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "glint-error.h"
#include "glint-file.h"

#define COUNTER_GROUP "counters"
#define COUNTER_MAX_BYTES (64 * 1024)

struct _GlintStationCounter {
	gchar *path;	  /* RECIPE.counters */
	gchar *lock_path; /* RECIPE.counters.lock */
	gchar *dir;
	GMutex mutex; /* threads of this process, before the flock */
};

GlintStationCounter *
glint_station_counter_open(const char *recipe_path, GError **error)
{
	g_autoptr(GlintStationCounter) self = g_new0(GlintStationCounter, 1);

	g_mutex_init(&self->mutex);
	self->path = g_strconcat(recipe_path, ".counters", NULL);
	self->lock_path = g_strconcat(self->path, ".lock", NULL);
	self->dir = g_path_get_dirname(self->path);
	if (!g_file_test(self->dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("The recipe's folder %s does not exist: its counters cannot be kept"),
			    self->dir);
		return NULL;
	}
	return g_steal_pointer(&self);
}

void
glint_station_counter_free(GlintStationCounter *self)
{
	if (self == NULL)
		return;
	g_mutex_clear(&self->mutex);
	g_free(self->path);
	g_free(self->lock_path);
	g_free(self->dir);
	g_free(self);
}

const char *
glint_station_counter_get_path(GlintStationCounter *self)
{
	return self->path;
}

static void
set_io_error(GError **error, const char *what, const char *path, int err)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Could not %s %s: %s"), what, path,
		    g_strerror(err));
}

/* The lock file's descriptor, held exclusively; -1 on error. */
static int
counter_lock(GlintStationCounter *self, GError **error)
{
	int fd = g_open(self->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		set_io_error(error, C_("file action", "open"), self->lock_path, errno);
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			set_io_error(error, C_("file action", "lock"), self->lock_path, errno);
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* The stored counters (empty when the file does not exist yet). */
static GKeyFile *
counter_read(GlintStationCounter *self, GError **error)
{
	g_autoptr(GKeyFile) keys = g_key_file_new();
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) local = NULL;
	gboolean exists = TRUE;
	gsize len = 0;
	const char *data;

	if (!glint_file_check_regular(self->path, _("station counters"), &exists, error))
		return NULL;
	if (!exists)
		return g_steal_pointer(&keys);
	bytes = glint_file_read(self->path, _("station counters"), COUNTER_MAX_BYTES, NULL, error);
	if (bytes == NULL)
		return NULL;
	data = g_bytes_get_data(bytes, &len);
	if (!g_key_file_load_from_data(keys, data, len, G_KEY_FILE_KEEP_COMMENTS, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s is damaged (%s): nothing was taken from it. Repair it by hand: "
			      "[%s] serial= the next serial number (above the last "
			      "one in the records)"),
			    self->path, local->message, COUNTER_GROUP);
		return NULL;
	}
	return g_steal_pointer(&keys);
}

static gboolean
counter_get(GlintStationCounter *self, GKeyFile *keys, const char *name, guint64 first,
	    guint64 *value, GError **error)
{
	g_autofree gchar *text = NULL;
	gchar *end = NULL;
	guint64 stored;

	*value = first;
	if (!g_key_file_has_key(keys, COUNTER_GROUP, name, NULL))
		return TRUE;
	text = g_key_file_get_string(keys, COUNTER_GROUP, name, NULL);
	if (text != NULL)
		g_strstrip(text);
	errno = 0;
	stored = text != NULL && g_ascii_isdigit(text[0]) ? g_ascii_strtoull(text, &end, 10) : 0;
	if (text == NULL || end == NULL || *end != '\0' || errno != 0) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
		    _("%s is damaged: [%s] %s='%s' is not a number. Nothing "
		      "was taken from it; repair it by hand (the next value, above the last "
		      "one in the records)"),
		    self->path, COUNTER_GROUP, name, text != NULL ? text : "");
		return FALSE;
	}
	*value = MAX(stored, first);
	return TRUE;
}

/* Writes @keys to a temporary file, syncs it, renames it over the counters
 * and syncs the folder, so the rename itself survives a power cut. */
static gboolean
counter_write(GlintStationCounter *self, GKeyFile *keys, GError **error)
{
	g_autofree gchar *data = NULL;
	g_autofree gchar *tmp = g_strconcat(self->path, ".tmp", NULL);
	gsize len = 0, done = 0;
	int fd, dir_fd;

	g_key_file_set_comment(keys, NULL, NULL,
			       " Glint station counters: the next value of each. Written by the "
			       "station;\n edit only while no station runs, and only upwards.",
			       NULL);
	{
		g_autofree gchar *text = g_key_file_to_data(keys, &len, NULL);
		data = len > 0 && text[len - 1] != '\n' ? g_strconcat(text, "\n", NULL)
							: g_steal_pointer(&text);
		len = strlen(data);
	}
	fd = g_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		set_io_error(error, C_("file action", "create"), tmp, errno);
		return FALSE;
	}
	while (done < len) {
		gssize n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			set_io_error(error, C_("file action", "write"), tmp, n < 0 ? errno : EIO);
			close(fd);
			g_unlink(tmp);
			return FALSE;
		}
		done += (gsize)n;
	}
	if (fsync(fd) < 0) {
		set_io_error(error, C_("file action", "sync"), tmp, errno);
		close(fd);
		g_unlink(tmp);
		return FALSE;
	}
	close(fd);
	if (g_rename(tmp, self->path) < 0) {
		set_io_error(error, C_("file action", "replace"), self->path, errno);
		g_unlink(tmp);
		return FALSE;
	}
	dir_fd = g_open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir_fd < 0 || fsync(dir_fd) < 0) {
		int err = errno;
		if (dir_fd >= 0)
			close(dir_fd);
		set_io_error(error, C_("file action", "sync the folder"), self->dir, err);
		return FALSE;
	}
	close(dir_fd);
	return TRUE;
}

gboolean
glint_station_counter_take(GlintStationCounter *self, const char *name, guint64 first, guint64 step,
			   guint64 *value, GError **error)
{
	g_autoptr(GKeyFile) keys = NULL;
	g_autofree gchar *next = NULL;
	guint64 current = 0;
	gboolean ok = FALSE;
	int fd;

	g_return_val_if_fail(step > 0, FALSE);
	g_mutex_lock(&self->mutex);
	fd = counter_lock(self, error);
	if (fd < 0)
		goto out;
	keys = counter_read(self, error);
	if (keys == NULL || !counter_get(self, keys, name, first, &current, error))
		goto unlock;
	if (current > G_MAXUINT64 - step) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s: counter %s is at its end (%" PRIu64 ")"), self->path, name,
			    current);
		goto unlock;
	}
	next = g_strdup_printf("%" G_GUINT64_FORMAT, current + step);
	g_key_file_set_string(keys, COUNTER_GROUP, name, next);
	/* on disk before it is handed out: a crash after this loses the value,
	 * it never gives it twice */
	if (!counter_write(self, keys, error))
		goto unlock;
	*value = current;
	ok = TRUE;
unlock:
	flock(fd, LOCK_UN);
	close(fd);
out:
	g_mutex_unlock(&self->mutex);
	return ok;
}

gboolean
glint_station_counter_peek(GlintStationCounter *self, const char *name, guint64 first,
			   guint64 *value, GError **error)
{
	g_autoptr(GKeyFile) keys = NULL;
	gboolean ok = FALSE;
	int fd;

	g_mutex_lock(&self->mutex);
	fd = counter_lock(self, error);
	if (fd < 0)
		goto out;
	keys = counter_read(self, error);
	ok = keys != NULL && counter_get(self, keys, name, first, value, error);
	flock(fd, LOCK_UN);
	close(fd);
out:
	g_mutex_unlock(&self->mutex);
	return ok;
}
