/* test-tmp.h: one temporary directory per test binary, removed whole when
 * the cases have run (also those that failed an assertion half-way). */
#pragma once

#include <glib.h>

/* Makes the root (in main(), the parent of Check's forked cases). */
gboolean test_tmp_init(const char *template_name, GError **error);
/* A fresh directory under the root for one case; aborts the case on failure. */
gchar *test_tmp_dir(void);
/* rm -rf the root; symbolic links are removed, not followed. */
void test_tmp_cleanup(void);
