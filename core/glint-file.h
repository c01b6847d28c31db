/* glint-file.h: reading a file a user named (a firmware image, a simulated
 * board's state) without trusting what it is.
 *
 * Only regular files are read. A FIFO, a device, a socket or a directory is
 * refused up front, by what it is, before it is opened for reading: opening a
 * FIFO blocks until a writer appears and /dev/zero never ends. The size is
 * checked (fstat) before the first byte is read, and the read stops at the
 * cap anyway for files whose size stat cannot tell (/proc files, a file still
 * growing). A GCancellable stops the read between chunks. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* "a FIFO (named pipe)", "a directory", "a character device", ... for a
 * st_mode that is not a regular file; NULL for a regular file. */
const char *glint_file_type_describe(guint32 st_mode);

/* Fails with GLINT_ERROR_INVALID_ARGUMENT naming what @path is when it
 * exists (symbolic links followed) and is not a regular file; @what is the
 * role the file was given ("firmware image"). A missing file passes, with
 * @exists (may be NULL) set to FALSE. */
gboolean glint_file_check_regular(const char *path, const char *what, gboolean *exists,
				  GError **error);

/* Reads all of the regular file @path, at most @max_bytes; @what names its
 * role in messages. Errors: GLINT_ERROR_IO (missing, unreadable),
 * GLINT_ERROR_INVALID_ARGUMENT (not a regular file), GLINT_ERROR_BAD_IMAGE
 * (more than @max_bytes: refused before reading when stat says so),
 * GLINT_ERROR_CANCELLED. */
GBytes *glint_file_read(const char *path, const char *what, gsize max_bytes,
			GCancellable *cancellable, GError **error);

/* The same from the start of an open descriptor (a file held locked);
 * @name is the file's name for messages. The descriptor stays open. */
GBytes *glint_file_read_fd(int fd, const char *name, const char *what, gsize max_bytes,
			   GCancellable *cancellable, GError **error);

G_END_DECLS
