/* glint-file.c: bounded, cancellable reads of regular files only. */
#define G_LOG_DOMAIN "glint-file"

#include "glint-file.h"
#include "glint-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glint-error.h"

/* How much one read() asks for: large enough to be quick, small enough that
 * a cancellation is seen within a few milliseconds. */
#define GLINT_FILE_CHUNK (1024u * 1024u)

const char *
glint_file_type_describe(guint32 st_mode)
{
	if (S_ISREG(st_mode))
		return NULL;
	if (S_ISFIFO(st_mode))
		return _("a FIFO (named pipe)");
	if (S_ISDIR(st_mode))
		return _("a directory");
	if (S_ISCHR(st_mode))
		return _("a character device");
	if (S_ISBLK(st_mode))
		return _("a block device");
	if (S_ISSOCK(st_mode))
		return _("a socket");
	return _("not a file");
}

static gboolean
set_not_regular(GError **error, const char *path, const char *what, guint32 st_mode)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("cannot use %s as a %s: it is %s, not a regular file"), path, what,
		    glint_file_type_describe(st_mode));
	return FALSE;
}

static void
set_errno_error(GError **error, int errsv, const char *verb, const char *path)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("cannot %s %s: %s"), verb, path,
		    g_strerror(errsv));
}

gboolean
glint_file_check_regular(const char *path, const char *what, gboolean *exists, GError **error)
{
	GStatBuf st;

	g_return_val_if_fail(path != NULL, FALSE);
	if (exists != NULL)
		*exists = FALSE;
	if (g_stat(path, &st) != 0) {
		int errsv = errno;
		if (errsv == ENOENT)
			return TRUE;
		set_errno_error(error, errsv, C_("file action", "open"), path);
		return FALSE;
	}
	if (exists != NULL)
		*exists = TRUE;
	if (!S_ISREG(st.st_mode))
		return set_not_regular(error, path, what, st.st_mode);
	return TRUE;
}

static gboolean
set_too_large(GError **error, const char *name, const char *what, guint64 size, gboolean exact,
	      gsize max_bytes)
{
	g_autofree gchar *have = g_format_size(size);
	g_autofree gchar *limit = g_format_size_full(max_bytes, G_FORMAT_SIZE_IEC_UNITS);

	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
		    exact ? _("%s: %s is too large for a %s (the limit is %s); is this the right "
			      "file?")
			  : _("%s: more than %s is too large for a %s (the limit is %s); is this "
			      "the right file?"),
		    name, have, what, limit);
	return FALSE;
}

GBytes *
glint_file_read_fd(int fd, const char *name, const char *what, gsize max_bytes,
		   GCancellable *cancellable, GError **error)
{
	g_autoptr(GByteArray) buf = NULL;
	struct stat st;
	gsize len = 0;

	g_return_val_if_fail(fd >= 0, NULL);
	g_return_val_if_fail(name != NULL && what != NULL, NULL);
	if (fstat(fd, &st) != 0) {
		set_errno_error(error, errno, C_("file action", "read"), name);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		set_not_regular(error, name, what, st.st_mode);
		return NULL;
	}
	if ((guint64)st.st_size > max_bytes) {
		set_too_large(error, name, what, (guint64)st.st_size, TRUE, max_bytes);
		return NULL;
	}
	/* One byte more than the cap tells a file that grew past it from one
	 * that is exactly at it. */
	buf = g_byte_array_sized_new((guint)MIN((gsize)st.st_size, max_bytes) + 1);
	for (;;) {
		gsize want = MIN((gsize)GLINT_FILE_CHUNK, max_bytes + 1 - len);
		gssize got;

		if (g_cancellable_is_cancelled(cancellable)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_CANCELLED,
				    _("reading %s was cancelled"), name);
			return NULL;
		}
		g_byte_array_set_size(buf, (guint)(len + want));
		got = pread(fd, buf->data + len, want, (off_t)len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			set_errno_error(error, errno, C_("file action", "read"), name);
			return NULL;
		}
		if (got == 0)
			break;
		len += (gsize)got;
		if (len > max_bytes) {
			set_too_large(error, name, what, len, FALSE, max_bytes);
			return NULL;
		}
	}
	g_byte_array_set_size(buf, (guint)len);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

GBytes *
glint_file_read(const char *path, const char *what, gsize max_bytes, GCancellable *cancellable,
		GError **error)
{
	GStatBuf st;
	int fd;
	GBytes *bytes;

	g_return_val_if_fail(path != NULL && what != NULL, NULL);
	/* Refused by its path first: opening some devices does something. */
	if (g_stat(path, &st) != 0) {
		set_errno_error(error, errno, C_("file action", "open"), path);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		set_not_regular(error, path, what, st.st_mode);
		return NULL;
	}
	if ((guint64)st.st_size > max_bytes) {
		set_too_large(error, path, what, (guint64)st.st_size, TRUE, max_bytes);
		return NULL;
	}
	/* O_NONBLOCK: should the path have become a FIFO since the stat, the
	 * open still returns and fstat below refuses it. */
	fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0) {
		set_errno_error(error, errno, C_("file action", "open"), path);
		return NULL;
	}
	bytes = glint_file_read_fd(fd, path, what, max_bytes, cancellable, error);
	g_close(fd, NULL);
	return bytes;
}
