/* glint-programmed.c: the last programmed ELF per probe (see the header). */
#define G_LOG_DOMAIN "glint-programmed"

#include "glint-i18n.h"
#include "glint-programmed.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "glint-error.h"

#define KEY_ELF "elf"
#define KEY_SIZE "size"
#define KEY_MTIME "mtime"

gchar *
glint_programmed_state_path(void)
{
	return g_build_filename(g_get_user_state_dir(), "glint", "programmed.ini", NULL);
}

static GKeyFile *
programmed_load(const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local) &&
	    !g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		/* a damaged state file is replaced, not fatal: it only saves typing */
		if (!g_error_matches(local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE)) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("cannot read %s: %s"),
				    path, local->message);
			return NULL;
		}
		g_debug("%s is damaged (%s): starting it again", path, local->message);
		g_clear_pointer(&kf, g_key_file_unref);
		kf = g_key_file_new();
	}
	return g_steal_pointer(&kf);
}

gboolean
glint_programmed_remember(const char *serial, const char *path, gboolean is_elf, GError **error)
{
	g_autofree gchar *state = glint_programmed_state_path();
	g_autofree gchar *dir = g_path_get_dirname(state);
	g_autofree gchar *absolute = NULL;
	g_autoptr(GKeyFile) kf = NULL;
	g_autoptr(GError) local = NULL;
	GStatBuf st;

	if (serial == NULL || serial[0] == '\0')
		return TRUE;
	kf = programmed_load(state, error);
	if (kf == NULL)
		return FALSE;
	if (!is_elf) {
		if (!g_key_file_has_group(kf, serial))
			return TRUE;
		g_key_file_remove_group(kf, serial, NULL);
	} else {
		absolute = g_canonicalize_filename(path, NULL);
		if (g_stat(absolute, &st) != 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("cannot read %s"),
				    absolute);
			return FALSE;
		}
		g_key_file_set_string(kf, serial, KEY_ELF, absolute);
		g_key_file_set_uint64(kf, serial, KEY_SIZE, (guint64)st.st_size);
		g_key_file_set_int64(kf, serial, KEY_MTIME, (gint64)st.st_mtime);
	}
	if (g_mkdir_with_parents(dir, 0700) != 0 || !g_key_file_save_to_file(kf, state, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("cannot write %s: %s"), state,
			    local != NULL ? local->message : g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

gchar *
glint_programmed_lookup(const char *serial, gboolean *changed, GError **error)
{
	g_autofree gchar *state = glint_programmed_state_path();
	g_autoptr(GKeyFile) kf = NULL;
	g_autofree gchar *path = NULL;
	GStatBuf st;

	if (changed != NULL)
		*changed = FALSE;
	if (serial == NULL)
		return NULL;
	kf = programmed_load(state, error);
	if (kf == NULL)
		return NULL;
	path = g_key_file_get_string(kf, serial, KEY_ELF, NULL);
	if (path == NULL)
		return NULL;
	if (changed != NULL)
		*changed =
		    g_stat(path, &st) != 0 ||
		    (guint64)st.st_size != g_key_file_get_uint64(kf, serial, KEY_SIZE, NULL) ||
		    (gint64)st.st_mtime != g_key_file_get_int64(kf, serial, KEY_MTIME, NULL);
	return g_steal_pointer(&path);
}
