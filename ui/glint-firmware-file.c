/* glint-firmware-file.c: a loaded firmware file and its stamp on disk. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-firmware-file.h"
#include "glint-i18n.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "glint-error.h"

/* The image loader's own limit (core/image): larger files are refused
 * before anything is read. */
#define GLINT_FIRMWARE_FILE_MAX_BYTES (256u * 1024u * 1024u)

/* A file modified less than this before it was read may be rewritten
 * without its modification time moving: FAT keeps 2 s, and other file
 * systems round to the kernel's clock tick. Such a file is compared by
 * content. */
#define GLINT_FIRMWARE_FILE_RACY_NS (2 * G_GINT64_CONSTANT(1000000000))

struct _GlintFirmwareFile {
	gint ref_count;
	gchar *path;
	GlintImageLoadOptions options;
	GlintImage *image;
	guint32 crc32;
	/* the file when it was read */
	guint64 size;
	gint64 mtime_ns;
	gint64 read_at_ns; /* wall clock, as modification times are */
	gchar *sha256;
};

static gint64
stat_mtime_ns(const GStatBuf *st)
{
	return (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static guint32
image_crc32(GlintImage *image)
{
	guint32 crc = 0;
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(seg->data, &len);
		crc = glint_crc32(crc, data, len);
	}
	return crc;
}

static gboolean
stat_file(const char *path, GStatBuf *st, GError **error)
{
	int saved;
	if (g_stat(path, st) == 0)
		return TRUE;
	saved = errno;
	if (saved == ENOENT)
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("%s no longer exists: it was deleted or moved since it was loaded. "
			      "Open it again (Ctrl+O)."),
			    path);
	else
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Cannot read %s: %s"), path,
			    g_strerror(saved));
	return FALSE;
}

static GBytes *
read_file(const char *path, const GStatBuf *st, GError **error)
{
	g_autoptr(GError) local = NULL;
	gchar *contents = NULL;
	gsize len = 0;
	if (S_ISREG(st->st_mode) && (guint64)st->st_size > GLINT_FIRMWARE_FILE_MAX_BYTES) {
		g_autofree gchar *size = g_format_size((guint64)st->st_size);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: %s is too large for a firmware image (the limit is %u MiB); is "
			      "this the right file?"),
			    path, size, GLINT_FIRMWARE_FILE_MAX_BYTES / (1024u * 1024u));
		return NULL;
	}
	if (!g_file_get_contents(path, &contents, &len, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Cannot read %s: %s"), path,
			    local->message);
		return NULL;
	}
	return g_bytes_new_take(contents, len);
}

static gchar *
bytes_sha256(GBytes *bytes)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

GlintFirmwareFile *
glint_firmware_file_load(const char *path, const GlintImageLoadOptions *options, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GlintImage) image = NULL;
	GlintFirmwareFile *self;
	GStatBuf st;
	gint64 read_at;

	g_return_val_if_fail(path != NULL, NULL);
	/* The stamp is taken before the bytes are read: a change while reading
	 * shows as a newer stamp later, never as a stale one. */
	if (!stat_file(path, &st, error))
		return NULL;
	read_at = g_get_real_time() * 1000;
	bytes = read_file(path, &st, error);
	if (bytes == NULL)
		return NULL;
	image = glint_image_load_bytes(bytes, path, options, error);
	if (image == NULL)
		return NULL;
	self = g_new0(GlintFirmwareFile, 1);
	self->ref_count = 1;
	self->path = g_strdup(path);
	if (options != NULL) {
		self->options = *options;
	} else {
		self->options.format = GLINT_IMAGE_FORMAT_AUTO;
		self->options.bin_base = GLINT_IMAGE_DEFAULT_BIN_BASE;
	}
	self->image = g_steal_pointer(&image);
	self->crc32 = image_crc32(self->image);
	self->size = (guint64)st.st_size;
	self->mtime_ns = stat_mtime_ns(&st);
	self->read_at_ns = read_at;
	self->sha256 = bytes_sha256(bytes);
	return self;
}

GlintFirmwareFile *
glint_firmware_file_ref(GlintFirmwareFile *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
glint_firmware_file_unref(GlintFirmwareFile *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test(&self->ref_count))
		return;
	glint_image_unref(self->image);
	g_free(self->path);
	g_free(self->sha256);
	g_free(self);
}

const char *
glint_firmware_file_get_path(GlintFirmwareFile *self)
{
	return self->path;
}

GlintImage *
glint_firmware_file_get_image(GlintFirmwareFile *self)
{
	return self->image;
}

const GlintImageLoadOptions *
glint_firmware_file_get_options(GlintFirmwareFile *self)
{
	return &self->options;
}

guint32
glint_firmware_file_get_crc32(GlintFirmwareFile *self)
{
	return self->crc32;
}

gboolean
glint_firmware_file_is_current(GlintFirmwareFile *self, gboolean *current, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *sha256 = NULL;
	GStatBuf st;

	if (!stat_file(self->path, &st, error))
		return FALSE;
	if ((guint64)st.st_size != self->size || stat_mtime_ns(&st) != self->mtime_ns) {
		*current = FALSE;
		return TRUE;
	}
	/* Changed long before it was read: any later write moved the mtime. */
	if (self->mtime_ns + GLINT_FIRMWARE_FILE_RACY_NS < self->read_at_ns) {
		*current = TRUE;
		return TRUE;
	}
	bytes = read_file(self->path, &st, error);
	if (bytes == NULL)
		return FALSE;
	sha256 = bytes_sha256(bytes);
	*current = g_strcmp0(sha256, self->sha256) == 0;
	return TRUE;
}

GlintFirmwareFile *
glint_firmware_file_refresh(GlintFirmwareFile *self, gboolean *reloaded, GError **error)
{
	gboolean current = FALSE;
	*reloaded = FALSE;
	if (!glint_firmware_file_is_current(self, &current, error))
		return NULL;
	if (current)
		return glint_firmware_file_ref(self);
	*reloaded = TRUE;
	return glint_firmware_file_load(self->path, &self->options, error);
}
