/* test-glib-fatal.h: GLib's own warnings abort a test program.
 *
 * A GError set over one already set is a bug GLib only warns about ("GError
 * set over the top of a previous GError"): a path that reports an error and
 * then returns success, or goes on and fails a second time. Issue 16's
 * mutation pass found such mutants surviving tests written against them.
 * The suites run with G_DEBUG=fatal-criticals, which leaves this a warning;
 * every warning cannot be fatal, since the emulator's and the station's
 * warnings are messages to the user that tests provoke on purpose. So the
 * programs that run jobs in-process make the GLib domain's warnings fatal. */
#pragma once

#include <glib.h>

static inline void
test_glib_warnings_fatal(void)
{
	g_log_set_fatal_mask("GLib", G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}
