/* glint-settings.c: remembered settings in a key file. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-settings.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "glint-error.h"

#define GLINT_SETTINGS_MAX_RECENT 10
#define GLINT_SETTINGS_MAX_BIN_BASES 50

gchar *
glint_settings_get_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "glint", "glint.conf", NULL);
}

static gint
key_int(GKeyFile *kf, const char *group, const char *key, gint fallback)
{
	g_autoptr(GError) error = NULL;
	gint value = g_key_file_get_integer(kf, group, key, &error);
	return error != NULL ? fallback : value;
}

static gboolean
key_bool(GKeyFile *kf, const char *group, const char *key, gboolean fallback)
{
	g_autoptr(GError) error = NULL;
	gboolean value = g_key_file_get_boolean(kf, group, key, &error);
	return error != NULL ? fallback : value;
}

/* Keeps a settings file Glint cannot read as NAME.bad (or .bad.1, ...),
 * so the next save does not destroy what the user may want to repair;
 * returns the sentence that says so. */
static gchar *
set_aside(const char *path, const char *why)
{
	g_autofree gchar *bad = g_strdup_printf("%s.bad", path);
	for (guint i = 1; g_file_test(bad, G_FILE_TEST_EXISTS) && i < 1000; i++) {
		g_free(bad);
		bad = g_strdup_printf("%s.bad.%u", path, i);
	}
	if (g_rename(path, bad) != 0)
		return g_strdup_printf(_("The settings file %s could not be read (%s) nor moved "
					 "aside (%s); Glint started with default settings and will "
					 "not save over it"),
				       path, why, g_strerror(errno));
	return g_strdup_printf(_("The settings file %s could not be read (%s); it was kept as %s "
				 "and Glint started with default settings"),
			       path, why, bad);
}

GlintSettings *
glint_settings_load(void)
{
	GlintSettings *s = g_new0(GlintSettings, 1);
	g_autofree gchar *path = glint_settings_get_path();
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;

	s->width = 1100;
	s->height = 720;
	s->scenario = g_strdup("fresh");
	s->swd_khz = 4000; /* the core's own default */
	s->verify = TRUE;
	s->recent = g_new0(gchar *, 1);
	s->bin_bases = g_new0(gchar *, 1);
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			s->load_problem = set_aside(path, error->message);
		return s;
	}
	/* Clamp what a hand-edited file may hold to something a window can show. */
	s->width = CLAMP(key_int(kf, "window", "width", s->width), 480, 8192);
	s->height = CLAMP(key_int(kf, "window", "height", s->height), 360, 8192);
	s->swd_khz = CLAMP(key_int(kf, "connection", "swd-khz", (gint)s->swd_khz), 5, 24000);
	s->under_reset = key_bool(kf, "connection", "under-reset", FALSE);
	s->reset_mode = CLAMP(key_int(kf, "connection", "reset-mode", 0), 0, 2);
	s->verify = key_bool(kf, "program", "verify", TRUE);
	s->reset_run = key_bool(kf, "program", "reset-run", FALSE);
	s->smart = key_bool(kf, "program", "smart", FALSE);
	{
		g_autofree gchar *scenario = g_key_file_get_string(kf, "sim", "scenario", NULL);
		if (scenario != NULL && scenario[0] != '\0') {
			g_free(s->scenario);
			s->scenario = g_steal_pointer(&scenario);
		}
	}
	{
		gchar **recent = g_key_file_get_string_list(kf, "files", "recent", NULL, NULL);
		if (recent != NULL) {
			g_strfreev(s->recent);
			s->recent = recent;
		}
	}
	{
		gchar **bases = g_key_file_get_string_list(kf, "files", "bin-bases", NULL, NULL);
		if (bases != NULL) {
			g_strfreev(s->bin_bases);
			s->bin_bases = bases;
		}
	}
	return s;
}

gboolean
glint_settings_save(const GlintSettings *s, GError **error)
{
	g_autofree gchar *path = glint_settings_get_path();
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;

	g_key_file_set_integer(kf, "window", "width", s->width);
	g_key_file_set_integer(kf, "window", "height", s->height);
	g_key_file_set_integer(kf, "connection", "swd-khz", (gint)s->swd_khz);
	g_key_file_set_boolean(kf, "connection", "under-reset", s->under_reset);
	g_key_file_set_integer(kf, "connection", "reset-mode", s->reset_mode);
	g_key_file_set_boolean(kf, "program", "verify", s->verify);
	g_key_file_set_boolean(kf, "program", "reset-run", s->reset_run);
	g_key_file_set_boolean(kf, "program", "smart", s->smart);
	g_key_file_set_string(kf, "sim", "scenario", s->scenario != NULL ? s->scenario : "fresh");
	g_key_file_set_string_list(kf, "files", "recent", (const gchar *const *)s->recent,
				   g_strv_length(s->recent));
	g_key_file_set_string_list(kf, "files", "bin-bases", (const gchar *const *)s->bin_bases,
				   g_strv_length(s->bin_bases));
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    !g_key_file_save_to_file(kf, path, &error_local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
			    _("Could not save settings to %s: %s"), path,
			    error_local != NULL ? error_local->message : g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

void
glint_settings_add_recent(GlintSettings *s, const char *path)
{
	GPtrArray *list = g_ptr_array_new();
	g_ptr_array_add(list, g_strdup(path));
	for (guint i = 0; s->recent[i] != NULL && list->len < GLINT_SETTINGS_MAX_RECENT; i++) {
		if (g_strcmp0(s->recent[i], path) != 0)
			g_ptr_array_add(list, g_strdup(s->recent[i]));
	}
	g_ptr_array_add(list, NULL);
	g_strfreev(s->recent);
	s->recent = (gchar **)g_ptr_array_free(list, FALSE);
}

/* "0x08004000 /path/app.bin": the base, then the path (which may hold
 * spaces). FALSE for an entry a hand edit broke. */
static gboolean
parse_bin_base(const char *entry, guint32 *base, const char **path)
{
	const char *space = strchr(entry, ' ');
	g_autofree gchar *number = NULL;
	guint64 value = 0;

	if (space == NULL || space[1] == '\0')
		return FALSE;
	number = g_strndup(entry, (gsize)(space - entry));
	if (!g_str_has_prefix(number, "0x") ||
	    !g_ascii_string_to_unsigned(number + 2, 16, 0, G_MAXUINT32, &value, NULL))
		return FALSE;
	*base = (guint32)value;
	*path = space + 1;
	return TRUE;
}

gboolean
glint_settings_get_bin_base(const GlintSettings *s, const char *path, guint32 *base)
{
	for (guint i = 0; s->bin_bases[i] != NULL; i++) {
		const char *entry_path = NULL;
		guint32 entry_base = 0;
		if (parse_bin_base(s->bin_bases[i], &entry_base, &entry_path) &&
		    g_strcmp0(entry_path, path) == 0) {
			*base = entry_base;
			return TRUE;
		}
	}
	return FALSE;
}

void
glint_settings_set_bin_base(GlintSettings *s, const char *path, guint32 base)
{
	GPtrArray *list = g_ptr_array_new();
	g_ptr_array_add(list, g_strdup_printf("0x%08X %s", base, path));
	for (guint i = 0; s->bin_bases[i] != NULL && list->len < GLINT_SETTINGS_MAX_BIN_BASES;
	     i++) {
		const char *entry_path = NULL;
		guint32 entry_base = 0;
		if (parse_bin_base(s->bin_bases[i], &entry_base, &entry_path) &&
		    g_strcmp0(entry_path, path) != 0)
			g_ptr_array_add(list, g_strdup(s->bin_bases[i]));
	}
	g_ptr_array_add(list, NULL);
	g_strfreev(s->bin_bases);
	s->bin_bases = (gchar **)g_ptr_array_free(list, FALSE);
}

void
glint_settings_free(GlintSettings *s)
{
	if (s == NULL)
		return;
	g_free(s->scenario);
	g_strfreev(s->recent);
	g_strfreev(s->bin_bases);
	g_free(s->load_problem);
	g_free(s);
}
