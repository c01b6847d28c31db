/* glint-recipe.h: a production recipe (a *.glintrecipe file): everything a
 * station does to each board, prepared once by an engineer so that an
 * operator only presses Start.
 *
 * The file is a GLib key file: the chip the boards must carry, the image and
 * the CRC-32 of its file (checked when the recipe is loaded: a changed image
 * is refused), the erase mode, option-byte edits as `options set` takes
 * them, a serial number plan (address, first value, step, encoding), unique
 * data from a CSV file (one row per board), the final read protection and
 * the reset. This module owns parsing and checking it (every error names
 * the file and the line, and the way out), writing it back (the recipe
 * editor), describing it for people (`glint-cli recipe check`), the
 * encoding of serial numbers and unique data, and which confirmations a
 * recipe needs. No probe I/O: the station (glint-station.h) runs it. */
#pragma once

#include <gio/gio.h>

#include "glint-family.h"
#include "glint-image.h"
#include "glint-job.h"

G_BEGIN_DECLS

#define GLINT_RECIPE_VERSION 1
#define GLINT_RECIPE_EXTENSION ".glintrecipe"
/* A recipe file is small; anything bigger is not one. */
#define GLINT_RECIPE_MAX_BYTES (1024 * 1024)
/* The unique-data CSV: one row per board, hundreds of thousands at most. */
#define GLINT_RECIPE_CSV_MAX_BYTES (64 * 1024 * 1024)
/* Longest serial text or unique-data field a recipe may write. */
#define GLINT_RECIPE_FIELD_MAX 256

typedef enum {
	GLINT_RECIPE_ERASE_IMAGE, /* the erase units the image, serial and data cover */
	GLINT_RECIPE_ERASE_ALL,	  /* mass erase first (needs a confirmation) */
} GlintRecipeErase;

typedef enum {
	GLINT_SERIAL_NONE,  /* no serial number */
	GLINT_SERIAL_U32LE, /* 4 bytes, little-endian */
	GLINT_SERIAL_U64LE, /* 8 bytes, little-endian */
	GLINT_SERIAL_TEXT,  /* a printf-style pattern ("SN-%06u"), NUL-terminated */
} GlintSerialFormat;

typedef enum {
	GLINT_UNIQUE_NONE,
	GLINT_UNIQUE_HEX,  /* the field is hex digits: those bytes (":", "-" and blanks between
			      pairs) */
	GLINT_UNIQUE_TEXT, /* the field's text, NUL-terminated */
} GlintUniqueEncoding;

/* A recipe as written in its file: what the editor shows and saves. */
typedef struct {
	gchar *name; /* for people; may be NULL */
	gchar *chip; /* a part ("STM32L476RG") or a chip-table name ("STM32L47x/L48x") */
	/* [image] */
	gchar *image; /* as written: relative to the recipe's folder, or absolute */
	guint32 image_crc;
	gboolean image_base_set; /* a raw .bin only */
	guint32 image_base;
	GlintRecipeErase erase;
	GStrv options; /* "NAME=VALUE" edits, in order; NULL or empty: none */
	/* [serial] */
	GlintSerialFormat serial_format;
	guint32 serial_address;
	guint64 serial_first;
	guint64 serial_step;
	gboolean serial_last_set;
	guint64 serial_last;
	gchar *serial_pattern; /* GLINT_SERIAL_TEXT */
	guint serial_size;     /* GLINT_SERIAL_TEXT: bytes reserved; 0: the text and its NUL */
	/* [unique-data] */
	GlintUniqueEncoding unique_encoding;
	gchar *unique_file; /* relative to the recipe's folder, or absolute */
	gchar *unique_column;
	guint32 unique_address;
	guint unique_size; /* bytes reserved; 0: every row's own length (hex: all equal) */
	/* [protection] and [finish] */
	guint rdp_level; /* 0: leave as it is; 1; 2 (permanent) */
	gboolean reset_run;
} GlintRecipeSettings;

/* Defaults: no serial, no unique data, erase what the image covers, RDP
 * left alone, reset and run at the end. */
void glint_recipe_settings_init(GlintRecipeSettings *settings);
void glint_recipe_settings_clear(GlintRecipeSettings *settings);
void glint_recipe_settings_copy(GlintRecipeSettings *dest, const GlintRecipeSettings *src);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(GlintRecipeSettings, glint_recipe_settings_clear)

/* Reads @path's settings without loading the image or the CSV (the editor
 * opens a recipe whose image has changed to fix it). Errors name the file
 * and line: GLINT_ERROR_INVALID_ARGUMENT (a key or value that is wrong),
 * GLINT_ERROR_IO, GLINT_ERROR_BAD_IMAGE (not a recipe at all). */
gboolean glint_recipe_settings_read(const char *path, GlintRecipeSettings *settings,
				    GError **error);
/* Writes @settings to @path (temporary file, fsync, rename): a recipe the
 * station reads back. Does not check them: load the file to. */
gboolean glint_recipe_settings_write(const GlintRecipeSettings *settings, const char *path,
				     GError **error);

/* CRC-32 of a whole file, as the recipe's [image] crc32 holds it (the same
 * as `crc32 FILE`). */
gboolean glint_recipe_file_crc32(const char *path, guint32 *crc, GError **error);

typedef struct _GlintRecipe GlintRecipe;

/* Reads and checks the recipe at @path and everything it names: the chip
 * is one Glint knows, the image file still has its CRC-32 and fits the
 * chip's flash, the option edits are valid for the chip, the serial and
 * unique-data areas lie in flash outside the image and each other, every
 * CSV row can be written. The image and the CSV are read once, here: the
 * station programs the bytes that were checked. */
GlintRecipe *glint_recipe_load(const char *path, GCancellable *cancellable, GError **error);
GlintRecipe *glint_recipe_ref(GlintRecipe *self);
void glint_recipe_unref(GlintRecipe *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintRecipe, glint_recipe_unref)

const char *glint_recipe_get_path(GlintRecipe *self);
/* The recipe's name, or its file name without the extension. */
const char *glint_recipe_get_name(GlintRecipe *self);
const GlintRecipeSettings *glint_recipe_get_settings(GlintRecipe *self);
GlintImage *glint_recipe_get_image(GlintRecipe *self);
/* The image file as resolved (absolute or relative to the working folder). */
const char *glint_recipe_get_image_path(GlintRecipe *self);
/* The chip-table row the recipe's chip names, and its flash size in KiB
 * (0 when a chip-table name leaves it open). */
const GlintChip *glint_recipe_get_chip(GlintRecipe *self);
guint32 glint_recipe_get_flash_kb(GlintRecipe *self);

/* Whether the connected chip is the one the recipe wants; FALSE with
 * *@why ("an STM32L47x/L48x with 512 KiB of flash (device 0x415); the
 * recipe is for the STM32L476RG, 1024 KiB") otherwise. */
gboolean glint_recipe_chip_matches(GlintRecipe *self, const GlintTargetInfo *info, gchar **why);

/* The bytes a serial number is written as, and its text for records and
 * people ("1000", "SN-001000"). GLINT_ERROR_INVALID_ARGUMENT when it does
 * not fit the encoding (beyond 32 bits, longer than the text's size) or is
 * past the recipe's last. */
GBytes *glint_recipe_serial_bytes(GlintRecipe *self, guint64 serial, GError **error);
gchar *glint_recipe_serial_text(GlintRecipe *self, guint64 serial);
/* The most bytes a serial number (any the recipe can give) and a
 * unique-data row take in flash: what the station erases for them. */
guint glint_recipe_get_serial_span(GlintRecipe *self);
guint glint_recipe_get_unique_span(GlintRecipe *self);
/* Unique data: how many rows the CSV holds and the bytes of row @row (0 is
 * the first row after the header). */
guint glint_recipe_get_unique_rows(GlintRecipe *self);
GBytes *glint_recipe_unique_bytes(GlintRecipe *self, guint row, GError **error);
/* The line of the CSV file row @row starts on (for records and messages). */
guint glint_recipe_unique_row_line(GlintRecipe *self, guint row);

/* The confirmations running this recipe needs (a mass erase, option changes
 * that erase the chip or change how it boots, RDP level 2) with, in @why,
 * one line per reason; GLINT_CONFIRM_NONE when it needs none. Judged from
 * a factory-fresh chip: the station still refuses a board whose own option
 * bytes make a change riskier than that. */
GlintConfirm glint_recipe_needs_confirm(GlintRecipe *self, gchar **why);

/* What the station will do to each board, step by step, for people. */
gchar *glint_recipe_describe(GlintRecipe *self);

G_END_DECLS
