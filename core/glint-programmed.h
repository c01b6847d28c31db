/* glint-programmed.h: which ELF file was programmed last through each probe,
 * so that the fault report and the live watch find the symbols of what the
 * chip runs without being told again.
 *
 * Kept per user in $XDG_STATE_HOME/glint/programmed.ini (state, not a
 * setting: ~/.local/state/glint by default), one group per probe serial
 * with the file's absolute path, size and modification time. Programming
 * something that is not an ELF (a .bin, .hex or .srec) forgets the entry:
 * the flash no longer holds what the ELF describes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The state file's path */
gchar *glint_programmed_state_path(void);
/* Records that @path was programmed through the probe @serial (@is_elf)
 * or, for any other image, forgets the ELF remembered for it.
 * GLINT_ERROR_IO when the state file cannot be written. */
gboolean glint_programmed_remember(const char *serial, const char *path, gboolean is_elf,
				   GError **error);
/* The ELF last programmed through @serial, or NULL (no error) when none is
 * remembered. @changed (may be NULL): the file is no longer what was
 * programmed (its size or time differs, or it is gone). */
gchar *glint_programmed_lookup(const char *serial, gboolean *changed, GError **error);

G_END_DECLS
