/* glint-settings.h: remembered settings (window size, connection settings,
 * simulated scenario, recent files and the base of each raw binary) in a key file in the user
 * config dir, $XDG_CONFIG_HOME/glint/glint.conf. Plain, testable, no GSettings schema. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	gint width;
	gint height;
	gchar *scenario; /* simulated board scenario */
	guint swd_khz;
	gboolean under_reset;
	gint reset_mode; /* GlintResetMode */
	gboolean verify; /* verify after program */
	gboolean reset_run;
	gboolean smart; /* rewrite only pages that differ */
	gchar **recent; /* most recent first, NULL-terminated */
	/* Where each raw binary was last loaded, most recent first:
	 * "0x08004000 /path/app.bin" (a .bin does not say where it goes). */
	gchar **bin_bases;
	/* Set when the settings file could not be read: what happened to it
	 * (kept as glint.conf.bad), for the window to say. */
	gchar *load_problem;
} GlintSettings;

/* Defaults, then whatever the key file holds. A damaged file is moved aside
 * as glint.conf.bad (never overwritten by the next save) and load_problem
 * says so. */
GlintSettings *glint_settings_load(void);
gboolean glint_settings_save(const GlintSettings *settings, GError **error);
void glint_settings_free(GlintSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSettings, glint_settings_free)
/* Puts @path first in the recent list (at most 10 kept). */
void glint_settings_add_recent(GlintSettings *settings, const char *path);
/* Remembers @base as the address raw binary @path was loaded at (at most
 * 50 files kept, the least recent dropped). */
void glint_settings_set_bin_base(GlintSettings *settings, const char *path, guint32 base);
/* The address raw binary @path was last loaded at; FALSE if never. */
gboolean glint_settings_get_bin_base(const GlintSettings *settings, const char *path,
				     guint32 *base);
gchar *glint_settings_get_path(void);

G_END_DECLS
