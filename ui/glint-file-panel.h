/* glint-file-panel.h: the file loader. Owns the loaded firmware image (parsed
 * on a worker thread), its description (format, segments, CRC-32, start
 * address), warnings against the connected chip's memory map, the recent
 * files menu, the reload-on-change question and the program options. The
 * loaded file keeps its stamp on disk (glint-firmware-file.h) so jobs can
 * tell whether it changed. */
#pragma once

#include <gtk/gtk.h>

#include "glint-family.h"
#include "glint-firmware-file.h"
#include "glint-image.h"
#include "glint-job.h"

G_BEGIN_DECLS

#define GLINT_TYPE_FILE_PANEL (glint_file_panel_get_type())
G_DECLARE_FINAL_TYPE(GlintFilePanel, glint_file_panel, GLINT, FILE_PANEL, GtkBox)

/* Signals: "image-loaded" (gchar *path), "log" (guint GLogLevelFlags, gchar *message). */

GtkWidget *glint_file_panel_new(void);

/* Opens @path as a user asked to: a raw binary loads where it went last
 * time, else asks for its base address (default: the flash base). */
void glint_file_panel_open(GlintFilePanel *self, const char *path);
/* Remembers that raw binary @path goes at @base (the window restores what
 * the settings hold; each load of a raw binary updates it). */
void glint_file_panel_remember_base(GlintFilePanel *self, const char *path, guint32 base);
/* Why Program would refuse the loaded file on this chip (a segment outside
 * its flash and data EEPROM), NULL when it would not. */
const char *glint_file_panel_get_program_problem(GlintFilePanel *self);
/* Loads @path on a worker thread with @options (NULL: auto-detect, raw
 * binaries at the flash base). */
void glint_file_panel_load(GlintFilePanel *self, const char *path,
			   const GlintImageLoadOptions *options);
/* TRUE while a load runs. */
gboolean glint_file_panel_is_loading(GlintFilePanel *self);
GlintImage *glint_file_panel_get_image(GlintFilePanel *self);
/* The loaded file with its stamp on disk, NULL when none. */
GlintFirmwareFile *glint_file_panel_get_file(GlintFilePanel *self);
/* Shows @file, which a job reloaded because the disk held a newer copy
 * (emits "image-loaded"). */
void glint_file_panel_adopt(GlintFilePanel *self, GlintFirmwareFile *file);
const char *glint_file_panel_get_path(GlintFilePanel *self);
/* Memory map used for warnings (NULL chip: the STM32L476's). */
void glint_file_panel_set_target(GlintFilePanel *self, const GlintChip *chip,
				 const GlintFlashGeometry *geometry);
/* The warnings shown, one per line ("" when none). */
const char *glint_file_panel_get_warnings(GlintFilePanel *self);
void glint_file_panel_get_program_options(GlintFilePanel *self, GlintProgramOptions *options);
void glint_file_panel_set_program_options(GlintFilePanel *self, const GlintProgramOptions *options);
void glint_file_panel_set_recent(GlintFilePanel *self, const char *const *recent);
/* The dialog asking a raw binary's base address, while it is shown. */
GtkDialog *glint_file_panel_get_base_dialog(GlintFilePanel *self);

G_END_DECLS
