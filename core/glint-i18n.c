/* glint-i18n.c: binding the gettext domain to its catalogues. */
#include "glint-i18n.h"

#include <libintl.h>

#ifndef GLINT_LOCALEDIR
#error "GLINT_LOCALEDIR must be defined by the build (core/meson.build)"
#endif

static const char *glint_i18n_locale_dir;

static const char *
glint_i18n_pick_locale_dir(void)
{
	const char *dir = g_getenv(GLINT_LOCALEDIR_ENV);

	/* An uninstalled tree's catalogues (tests, `make run`) win over
	 * those of an installed Glint, which may be older. */
	if (dir != NULL && *dir != '\0')
		return dir;
	return GLINT_LOCALEDIR;
}

void
glint_i18n_init(void)
{
	static gsize done = 0;

	if (!g_once_init_enter(&done))
		return;
	glint_i18n_locale_dir = g_intern_string(glint_i18n_pick_locale_dir());
	bindtextdomain(GETTEXT_PACKAGE, glint_i18n_locale_dir);
	/* GLib and GTK take UTF-8 whatever the locale's character set. */
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	g_once_init_leave(&done, 1);
}

const char *
glint_i18n_get_locale_dir(void)
{
	return glint_i18n_locale_dir;
}
