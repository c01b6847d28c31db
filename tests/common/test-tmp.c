/* test-tmp.c: the per-binary temporary tree shared by the USB-level tests. */
#include "test-tmp.h"

#include <check.h>
#include <errno.h>
#include <glib/gstdio.h>

static gchar *tmp_root;

gboolean
test_tmp_init(const char *template_name, GError **error)
{
	tmp_root = g_dir_make_tmp(template_name, error);
	return tmp_root != NULL;
}

gchar *
test_tmp_dir(void)
{
	gchar *dir = g_build_filename(tmp_root, "case-XXXXXX", NULL);
	ck_assert_msg(g_mkdtemp(dir) != NULL, "%s: %s", dir, g_strerror(errno));
	return dir;
}

static void
remove_tree(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			remove_tree(child);
		}
	}
	if (g_remove(path) != 0 && errno != ENOENT)
		g_printerr("# cannot remove %s: %s\n", path, g_strerror(errno));
}

void
test_tmp_cleanup(void)
{
	if (tmp_root == NULL)
		return;
	remove_tree(tmp_root);
	g_clear_pointer(&tmp_root, g_free);
}
