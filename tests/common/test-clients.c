/* test-clients.c: running independent clients (OpenOCD, stlink-tools) and
 * glint-cli against the emulator through glint-usbsim, and comparing what
 * they report with what the emulated board holds. */
#include "test-clients.h"

#include <check.h>
#include <string.h>
#include <sys/wait.h>

/* Seconds any one program may take before it is killed. */
#define CLIENT_TIMEOUT_S "90"

void
run_result_clear(RunResult *r)
{
	g_free(r->out);
	g_free(r->err);
}

gchar *
build_path(const char *rel)
{
	const char *build = g_getenv("GLINT_BUILD_DIR");
	ck_assert_msg(build != NULL, "GLINT_BUILD_DIR is not set (run through meson test)");
	return g_build_filename(build, rel, NULL);
}

/* Runs glint-usbsim USBSIM_ARGS -- CMD... bounded in time. */
void
usbsim_run(const char *const *usbsim_args, const char *const *cmd, RunResult *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	gint wait_status = 0;

	g_ptr_array_add(argv, g_strdup("timeout"));
	g_ptr_array_add(argv, g_strdup("-k"));
	g_ptr_array_add(argv, g_strdup("5"));
	g_ptr_array_add(argv, g_strdup(CLIENT_TIMEOUT_S));
	g_ptr_array_add(argv, build_path("app/glint-usbsim"));
	for (guint i = 0; usbsim_args != NULL && usbsim_args[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(usbsim_args[i]));
	g_ptr_array_add(argv, g_strdup("--"));
	for (guint i = 0; cmd[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(cmd[i]));
	g_ptr_array_add(argv, NULL);

	if (!g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
			  &r->out, &r->err, &wait_status, &error))
		ck_abort_msg("cannot run %s: %s", cmd[0], error->message);
	if (WIFEXITED(wait_status))
		r->status = WEXITSTATUS(wait_status);
	else
		r->status = 128 + WTERMSIG(wait_status);
	/* Both streams go to the log: they are the evidence when a case fails. */
	g_printerr("# $ glint-usbsim ... -- %s: exit %d\n%s\n%s\n", cmd[0], r->status, r->out,
		   r->err);
}

gchar *
glint_cli(void)
{
	return build_path("app/glint-cli");
}

/* A test image that no erased or default pattern matches. */
GBytes *
test_image(gsize len, guint seed)
{
	guint8 *buf = g_malloc(len);
	guint32 x = 0x9E3779B9u * (seed + 1);
	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (guint8)x;
	}
	return g_bytes_new_take(buf, len);
}

gchar *
write_image(const char *dir, const char *name, GBytes *image)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);
	gsize len;
	const guint8 *data = g_bytes_get_data(image, &len);
	ck_assert_msg(g_file_set_contents(path, (const gchar *)data, (gssize)len, &error), "%s",
		      error ? error->message : "");
	return path;
}

GlintSim *
load_board(const char *state)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new_from_state(state, &error);
	ck_assert_msg(sim != NULL, "state file %s: %s", state, error ? error->message : "");
	return sim;
}

void
assert_flash_equals(GlintSim *sim, guint32 addr, GBytes *image)
{
	gsize len;
	const guint8 *want = g_bytes_get_data(image, &len);
	g_autofree guint8 *have = g_malloc(len);
	ck_assert(glint_sim_peek(sim, addr, have, len));
	for (gsize i = 0; i < len; i++)
		ck_assert_msg(have[i] == want[i], "flash 0x%08x: board has 0x%02x, image 0x%02x",
			      addr + (guint32)i, have[i], want[i]);
}

void
assert_file_equals(const char *path, GBytes *image)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	ck_assert_msg(g_file_get_contents(path, &data, &len, NULL), "%s was not written", path);
	ck_assert_uint_eq(len, g_bytes_get_size(image));
	ck_assert(memcmp(data, g_bytes_get_data(image, NULL), len) == 0);
}

void
openocd_argv_for(GPtrArray *argv, const char *target_cfg, const char *const *commands,
		 gboolean work_area)
{
	/* No servers: cases run in parallel and would fight over ports. */
	const char *servers[] = {
	    "openocd",		"-c", "gdb_port disabled", "-c", "telnet_port disabled", "-c",
	    "tcl_port disabled"};
	const char *target[] = {"-f", "interface/stlink.cfg",
				"-c", "transport select hla_swd",
				"-f", target_cfg,
				"-c", "init",
				"-c", "halt"};
	for (guint i = 0; i < G_N_ELEMENTS(servers); i++)
		g_ptr_array_add(argv, (gpointer)servers[i]);
	if (work_area) {
		g_ptr_array_add(argv, (gpointer) "-d3");
	} else {
		g_ptr_array_add(argv, (gpointer) "-c");
		g_ptr_array_add(argv, (gpointer) "set WORKAREASIZE 0");
	}
	for (guint i = 0; i < G_N_ELEMENTS(target); i++)
		g_ptr_array_add(argv, (gpointer)target[i]);
	for (guint i = 0; commands[i] != NULL; i++) {
		g_ptr_array_add(argv, (gpointer) "-c");
		g_ptr_array_add(argv, (gpointer)commands[i]);
	}
	g_ptr_array_add(argv, (gpointer) "-c");
	g_ptr_array_add(argv, (gpointer) "shutdown");
	g_ptr_array_add(argv, NULL);
}
