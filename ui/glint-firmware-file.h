/* glint-firmware-file.h: a firmware file as it was loaded. Owns the image,
 * the options it was loaded with (a raw binary's base), its CRC-32, and
 * what the file looked like on disk then (size, modification time, SHA-256
 * of its bytes), so that Program and Verify use what the disk holds now,
 * never a stale copy kept in memory. Immutable once loaded; any thread. */
#pragma once

#include "glint-image.h"

G_BEGIN_DECLS

typedef struct _GlintFirmwareFile GlintFirmwareFile;

/* Reads and parses @path (@options NULL: detect the format, raw binaries at
 * the flash base). Errors name the file (and line). */
GlintFirmwareFile *glint_firmware_file_load(const char *path, const GlintImageLoadOptions *options,
					    GError **error);
GlintFirmwareFile *glint_firmware_file_ref(GlintFirmwareFile *self);
void glint_firmware_file_unref(GlintFirmwareFile *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintFirmwareFile, glint_firmware_file_unref)

const char *glint_firmware_file_get_path(GlintFirmwareFile *self);
GlintImage *glint_firmware_file_get_image(GlintFirmwareFile *self);
const GlintImageLoadOptions *glint_firmware_file_get_options(GlintFirmwareFile *self);
/* CRC-32 of the segments' bytes in address order (as `glint-cli image`). */
guint32 glint_firmware_file_get_crc32(GlintFirmwareFile *self);

/* Whether the file on disk still holds what was loaded: size and
 * modification time, and the bytes' hash when those match but the file
 * was loaded so soon after its last change that a rewrite within the same
 * timestamp cannot be ruled out. FALSE with the reason (GLINT_ERROR_IO,
 * naming the file) when it is gone or cannot be read. */
gboolean glint_firmware_file_is_current(GlintFirmwareFile *self, gboolean *current, GError **error);

/* @self as the disk holds it now: @self (a new reference) when unchanged,
 * else a new load of the same path with the same options (@reloaded set).
 * NULL with the reason when the file is gone or no longer loads. */
GlintFirmwareFile *glint_firmware_file_refresh(GlintFirmwareFile *self, gboolean *reloaded,
					       GError **error);

G_END_DECLS
