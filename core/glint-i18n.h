/* glint-i18n.h: translations. Owns binding the "glint" gettext domain to
 * its catalogues and the macros every user-visible string goes through.
 *
 * Every file that shows text to a person includes this header and wraps the
 * text: _("...") where it is used, N_("...") in static tables (translated by
 * whoever shows the entry), C_("context", "...") where one English word has
 * two meanings, g_dngettext(GETTEXT_PACKAGE, one, many, n) for counts. The
 * domain is always named (gi18n-lib.h), so the library translates whatever
 * the program's default domain is. Log lines for developers (g_debug,
 * g_warning) and anything a program or file parses stay untranslated. */
#pragma once

#ifndef GETTEXT_PACKAGE
#error "GETTEXT_PACKAGE must be defined by the build (meson.build)"
#endif

#include <glib.h>
#include <glib/gi18n-lib.h>
/* PRIu64 and friends: xgettext and msgfmt know them, not G_GUINT64_FORMAT,
 * so a translatable string names a 64-bit number with them. */
#include <inttypes.h>

G_BEGIN_DECLS

/* The environment variable naming the directory the catalogues are read
 * from (DIR/de/LC_MESSAGES/glint.mo) instead of the installed locale
 * directory: set by the test suites and `make run` to the build tree's. */
#define GLINT_LOCALEDIR_ENV "GLINT_LOCALEDIR"

/* A string a static table marked with N_(), translated; NULL and "" come
 * back as they are (gettext("") would be the catalogue's header). */
static inline const char *
glint_tr(const char *msgid)
{
	return msgid != NULL && *msgid != '\0' ? g_dgettext(GETTEXT_PACKAGE, msgid) : msgid;
}

/* Binds the domain to its catalogues, as UTF-8. Each program calls it once
 * at start, after setlocale(); later calls do nothing. */
void glint_i18n_init(void);

/* The directory glint_i18n_init() bound the domain to. */
const char *glint_i18n_get_locale_dir(void);

G_END_DECLS
