/* glint-image.h: a firmware image as the chip will hold it.
 *
 * One memory image: sorted, non-overlapping segments of bytes at target
 * addresses, each remembering where it came from (file and line, or ELF
 * section) for messages, plus the file's start address when it has one.
 * Loaders for raw binary, Intel HEX, Motorola S-record and ELF32 ARM parse
 * and check a whole file before anything else happens; writers export
 * memory as .bin, .hex or .srec.
 *
 * An image is built by one thread; once built (loaded) it is only read, and
 * any number of threads may read it at once (the UI shows it while a job
 * programs it). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	GLINT_IMAGE_FORMAT_AUTO,
	GLINT_IMAGE_FORMAT_BIN,
	GLINT_IMAGE_FORMAT_IHEX,
	GLINT_IMAGE_FORMAT_SREC,
	GLINT_IMAGE_FORMAT_ELF,
} GlintImageFormat;

typedef struct {
	guint32 address;
	GBytes *data;
	gchar *origin; /* "fw.hex:12-340", "fw.elf section .text" */
} GlintImageSegment;

typedef struct _GlintImage GlintImage;

GlintImage *glint_image_new(void);
GlintImage *glint_image_ref(GlintImage *image);
void glint_image_unref(GlintImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintImage, glint_image_unref)

/* Adds bytes at @address. Adjacent segments merge; an overlap with the same
 * bytes is accepted, an overlap with different bytes fails with
 * GLINT_ERROR_BAD_IMAGE naming both origins and the first differing address. */
gboolean glint_image_add(GlintImage *image, guint32 address, const guint8 *data, gsize len,
			 const char *origin, GError **error);

guint glint_image_get_n_segments(GlintImage *image);
/* Segments are sorted by address; the pointer stays valid until the next
 * glint_image_add(). */
const GlintImageSegment *glint_image_get_segment(GlintImage *image, guint index);
/* Total bytes over all segments. */
gsize glint_image_get_size(GlintImage *image);
/* Lowest address and one past the highest (0, 0 when empty). */
void glint_image_get_bounds(GlintImage *image, guint32 *lowest, guint32 *end);
gboolean glint_image_get_start_address(GlintImage *image, guint32 *address);
void glint_image_set_start_address(GlintImage *image, guint32 address);
GlintImageFormat glint_image_get_format(GlintImage *image);
const char *glint_image_format_to_string(GlintImageFormat format);
/* Fills @buf (covering @address .. @address+@len) with image bytes, leaving
 * bytes the image does not define untouched; returns how many were set. */
gsize glint_image_fill(GlintImage *image, guint32 address, guint8 *buf, gsize len);

/* Fails with GLINT_ERROR_BAD_IMAGE naming the first out-of-range address,
 * where it came from and the allowed range: "fw.hex:40: address 0x08100000
 * is outside @what (0x08000000-0x080FFFFF); ...". An empty image fails too. */
gboolean glint_image_check_range(GlintImage *image, guint32 base, guint32 size, const char *what,
				 GError **error);

typedef struct {
	GlintImageFormat format; /* AUTO: from content, then extension */
	guint32 bin_base;	 /* where a raw binary goes */
} GlintImageLoadOptions;

/* Where a raw binary goes when no options are given: the STM32 flash base. */
#define GLINT_IMAGE_DEFAULT_BIN_BASE 0x08000000u

/* Parses the whole file; any error names the file and line (or section).
 * An empty image is an error. Only a regular file of at most 256 MiB is
 * read: a FIFO, a device or a directory is refused by what it is, before
 * anything is read (glint-file.h). Text formats accept what other tools
 * accept: a UTF-8 byte-order mark, LF, CR LF or CR-only line ends, and NUL
 * bytes, blanks or Ctrl-Z after the last record. glint_image_load_file()
 * also stops reading when @cancellable is cancelled. */
GlintImage *glint_image_load(const char *path, const GlintImageLoadOptions *options,
			     GError **error);
GlintImage *glint_image_load_file(const char *path, const GlintImageLoadOptions *options,
				  GCancellable *cancellable, GError **error);
GlintImage *glint_image_load_bytes(GBytes *bytes, const char *name,
				   const GlintImageLoadOptions *options, GError **error);
GlintImageFormat glint_image_detect_format(const guint8 *data, gsize len, const char *name);

/* Writes @len bytes of @data at @address as @format (AUTO: from the
 * extension of @path: .hex/.ihex, .srec/.s19/.s28/.s37/.mot, else raw). */
gboolean glint_image_write_file(const char *path, GlintImageFormat format, guint32 address,
				const guint8 *data, gsize len, GError **error);
gboolean glint_image_save(GlintImage *image, const char *path, GlintImageFormat format,
			  GError **error);

/* Serialises the image as @format (not AUTO); gaps in a .bin are 0xFF, the
 * erased-flash value. */
GBytes *glint_image_to_bytes(GlintImage *image, GlintImageFormat format, GError **error);
/* The format a file name asks for: .hex/.ihex, .srec/.s19/.s28/.s37/.mot,
 * .elf/.axf/.out, else BIN. */
GlintImageFormat glint_image_format_from_extension(const char *path);

/* The name the image was loaded from ("fw.hex"), or NULL. */
const char *glint_image_get_name(GlintImage *image);
/* Where the byte at @address came from ("fw.hex:12", "fw.elf section
 * .data"), or NULL when the image does not define it. */
gchar *glint_image_get_origin_at(GlintImage *image, guint32 address);
/* CRC-32 of one segment's bytes. */
guint32 glint_image_segment_crc32(const GlintImageSegment *segment);
/* A table for people: format, start address, then one line per segment
 * with start, end (inclusive), size, CRC-32 and origin. */
gchar *glint_image_describe(GlintImage *image);

/* IEEE 802.3 CRC-32 (as zlib, objcopy and OpenOCD's verify compute it). */
guint32 glint_crc32(guint32 crc, const guint8 *data, gsize len);

G_END_DECLS
