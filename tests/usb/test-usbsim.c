/* test-usbsim.c: the path a user with a real ST-LINK runs (glint-cli over
 * libusb), end to end against the emulator presented on the USB bus by
 * glint-usbsim: program + verify 256 KiB, a cable pulled mid-program, two
 * probes chosen by serial, and a probe held by another program.
 *
 * Every program runs under `timeout` (an emulated node always polls ready,
 * so a stuck client spins instead of sleeping). */
#define G_LOG_DOMAIN "test-usbsim"

#include <check.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "test-tmp.h"
#include "glint-error.h"
#include "glint-sim.h"
#include "glint-usb.h"

#define FLASH_BASE 0x08000000u
#define PAGE_SIZE 2048u
#define SERIAL_1 "066DFF485550755187121234"
#define SERIAL_2 "066DFF485550755187121235"
#define CLIENT_TIMEOUT_S "100"
#define BUSY_HELPER_ARG "--hold-probe-and-run-cli"

/* Exit code glint-cli documents for "no probe, no target, or the
 * connection failed or was lost". */
#define CLI_EXIT_CONNECTION 2

typedef struct {
	gchar *out;
	gchar *err;
	gint status;
} RunResult;

static void
run_result_clear(RunResult *r)
{
	g_free(r->out);
	g_free(r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunResult, run_result_clear)

static gchar *
build_path(const char *rel)
{
	const char *build = g_getenv("GLINT_BUILD_DIR");
	ck_assert_msg(build != NULL, "GLINT_BUILD_DIR is not set (run through meson test)");
	return g_build_filename(build, rel, NULL);
}

static void
run_argv(GPtrArray *argv, RunResult *r)
{
	g_autoptr(GError) error = NULL;
	gint wait_status = 0;

	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
			  &r->out, &r->err, &wait_status, &error))
		ck_abort_msg("cannot run %s: %s", (char *)argv->pdata[0], error->message);
	r->status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
	g_printerr("# exit %d\n# stdout: %s\n# stderr: %s\n", r->status, r->out, r->err);
}

/* timeout glint-usbsim USBSIM_ARGS -- glint-cli CLI_ARGS */
static void
usbsim_cli(const char *const *usbsim_args, const char *const *cli_args, RunResult *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	const char *head[] = {"timeout", "-k", "5", CLIENT_TIMEOUT_S};
	for (guint i = 0; i < G_N_ELEMENTS(head); i++)
		g_ptr_array_add(argv, g_strdup(head[i]));
	g_ptr_array_add(argv, build_path("app/glint-usbsim"));
	for (guint i = 0; usbsim_args[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(usbsim_args[i]));
	g_ptr_array_add(argv, g_strdup("--"));
	g_ptr_array_add(argv, build_path("app/glint-cli"));
	for (guint i = 0; cli_args[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(cli_args[i]));
	run_argv(argv, r);
}

static GBytes *
test_image(gsize len, guint seed)
{
	guint8 *buf = g_malloc(len);
	guint32 x = 0x2545F491u * (seed + 1);
	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (guint8)x;
	}
	return g_bytes_new_take(buf, len);
}

static gchar *
write_image(const char *dir, GBytes *image)
{
	gchar *path = g_build_filename(dir, "image.bin", NULL);
	gsize len;
	const gchar *data = g_bytes_get_data(image, &len);
	ck_assert(g_file_set_contents(path, data, (gssize)len, NULL));
	return path;
}

static GlintSim *
load_board(const char *state)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new_from_state(state, &error);
	ck_assert_msg(sim != NULL, "%s: %s", state, error ? error->message : "");
	return sim;
}

/* Whether flash page @page of the board holds the image's bytes. */
static gboolean
page_matches(GlintSim *sim, GBytes *image, guint page)
{
	guint8 have[PAGE_SIZE];
	const guint8 *want = g_bytes_get_data(image, NULL);
	ck_assert(glint_sim_peek(sim, FLASH_BASE + page * PAGE_SIZE, have, PAGE_SIZE));
	return memcmp(have, want + page * PAGE_SIZE, PAGE_SIZE) == 0;
}

static gboolean
page_erased(GlintSim *sim, guint page)
{
	guint8 have[PAGE_SIZE];
	ck_assert(glint_sim_peek(sim, FLASH_BASE + page * PAGE_SIZE, have, PAGE_SIZE));
	for (guint i = 0; i < PAGE_SIZE; i++)
		if (have[i] != 0xFF)
			return FALSE;
	return TRUE;
}

START_TEST(test_program_verify_256k)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) image = test_image(256 * 1024, 1);
	g_autofree gchar *img = write_image(dir, image);
	const char *usbsim[] = {"--scenario", "fresh", "--state", state, NULL};
	const char *cli[] = {"program", img, "--base", "0x08000000", "--verify", NULL};
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r = {0};
	guint pages = 256 * 1024 / PAGE_SIZE;

	usbsim_cli(usbsim, cli, &r);
	ck_assert_int_eq(r.status, 0);
	sim = load_board(state);
	for (guint p = 0; p < pages; p++)
		ck_assert_msg(page_matches(sim, image, p), "page %u differs from the image", p);
	ck_assert(page_erased(sim, pages));
}
END_TEST

/* The cable is pulled part-way: a clear error naming the cause, the CLI
 * exits normally with its connection code (no crash, no hang), and the
 * saved board shows exactly how far programming got: a prefix of whole
 * pages matches the image, the rest is still erased. */
START_TEST(test_unplug_mid_program)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) image = test_image(64 * 1024, 2);
	g_autofree gchar *img = write_image(dir, image);
	const char *usbsim[] = {"--scenario",	  "fresh", "--state", state,
				"--unplug-after", "400",   NULL};
	const char *cli[] = {"program", img, "--base", "0x08000000", NULL};
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r = {0};
	guint pages = 64 * 1024 / PAGE_SIZE;
	guint written = 0;

	usbsim_cli(usbsim, cli, &r);
	ck_assert_int_eq(r.status, CLI_EXIT_CONNECTION);
	ck_assert_msg(strstr(r.err, "disconnected") != NULL, "error does not say why: %s", r.err);
	sim = load_board(state);
	while (written < pages && page_matches(sim, image, written))
		written++;
	ck_assert_msg(written < pages, "the unplug came after the whole image was written");
	/* Pages after the one being written when the cable went are untouched. */
	for (guint p = written + 1; p < pages; p++)
		ck_assert_msg(!page_matches(sim, image, p), "page %u written after the unplug", p);
	g_printerr("# %u of %u pages written before the unplug\n", written, pages);
}
END_TEST

START_TEST(test_two_probes_by_serial)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *state1 = g_build_filename(dir, "board-1.state", NULL);
	g_autofree gchar *state2 = g_build_filename(dir, "board-2.state", NULL);
	g_autoptr(GBytes) image = test_image(8 * 1024, 3);
	g_autofree gchar *img = write_image(dir, image);
	const char *usbsim[] = {"--count", "2", "--serial", SERIAL_1, "--state", state, NULL};
	const char *cli[] = {"--serial", SERIAL_2, "program", img, "--base", "0x08000000", NULL};
	const char *cli_ambiguous[] = {"info", NULL};
	g_autoptr(GlintSim) sim1 = NULL;
	g_autoptr(GlintSim) sim2 = NULL;
	g_auto(RunResult) r = {0};
	g_auto(RunResult) r2 = {0};

	usbsim_cli(usbsim, cli, &r);
	ck_assert_int_eq(r.status, 0);
	sim1 = load_board(state1);
	sim2 = load_board(state2);
	ck_assert_str_eq(glint_sim_get_serial(sim2), SERIAL_2);
	ck_assert(page_matches(sim2, image, 0));
	ck_assert(page_matches(sim2, image, 3));
	ck_assert(page_erased(sim1, 0));

	/* Without --serial, two probes: the CLI says which ones there are. */
	usbsim_cli(usbsim, cli_ambiguous, &r2);
	ck_assert_int_ne(r2.status, 0);
	ck_assert_msg(strstr(r2.err, SERIAL_1) != NULL && strstr(r2.err, SERIAL_2) != NULL, "%s",
		      r2.err);
}
END_TEST

/* What the probe says about itself and its target, over real USB: serial,
 * firmware version, target voltage, chip. */
START_TEST(test_info)
{
	const char *usbsim[] = {"--serial", SERIAL_1, "--kind", "v3", NULL};
	const char *cli[] = {"info", NULL};
	g_auto(RunResult) r = {0};

	usbsim_cli(usbsim, cli, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, SERIAL_1) != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "V3J") != NULL, "firmware version: %s", r.out);
	ck_assert_msg(strstr(r.out, "3.30 V") != NULL, "target voltage: %s", r.out);
	ck_assert_msg(strstr(r.out, "0x415") != NULL, "device id: %s", r.out);
}
END_TEST

/* A board other than the default one, named BOARD:SCENARIO; its state file
 * wins over another --scenario later and says what it holds; an unknown
 * board is refused naming the boards; --help lists them. */
START_TEST(test_board_spec)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *usbsim_re[] = {"--scenario", "stm32l476re:rdp1", "--state", state, NULL};
	const char *usbsim_other[] = {"--scenario", "nucleo-l476rg", "--state", state, NULL};
	const char *usbsim_bad[] = {"--scenario", "nucleo-f999zz", NULL};
	const char *cli[] = {"info", NULL};
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	g_auto(RunResult) r3 = {0};
	g_auto(RunResult) help = {0};
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);

	usbsim_cli(usbsim_re, cli, &r1);
	ck_assert_int_eq(r1.status, 0);
	ck_assert_msg(strstr(r1.out, "512 KiB") != NULL, "%s", r1.out);
	ck_assert_msg(strstr(r1.out, "level 1") != NULL, "%s", r1.out);
	sim = load_board(state);
	ck_assert_str_eq(glint_sim_get_board(sim), "stm32l476re");
	ck_assert_str_eq(glint_sim_get_scenario(sim), "rdp1");

	usbsim_cli(usbsim_other, cli, &r2);
	ck_assert_int_eq(r2.status, 0);
	ck_assert_msg(strstr(r2.out, "512 KiB") != NULL, "the state file wins: %s", r2.out);
	ck_assert_msg(strstr(r2.err, "holds a 'stm32l476re:rdp1' board") != NULL, "%s", r2.err);

	usbsim_cli(usbsim_bad, cli, &r3);
	ck_assert_int_ne(r3.status, 0);
	ck_assert_msg(strstr(r3.err, "nucleo-f999zz") != NULL, "%s", r3.err);
	ck_assert_msg(strstr(r3.err, "nucleo-l476rg") != NULL, "%s", r3.err);

	g_ptr_array_add(argv, build_path("app/glint-usbsim"));
	g_ptr_array_add(argv, g_strdup("--help"));
	run_argv(argv, &help);
	ck_assert_int_eq(help.status, 0);
	ck_assert_msg(strstr(help.out, "stm32l476rc") != NULL, "%s", help.out);
	ck_assert_msg(strstr(help.out, "STM32L476RG") != NULL, "%s", help.out);
	ck_assert_msg(strstr(help.out, "bfb2-empty") != NULL, "%s", help.out);
}
END_TEST

/* Probe firmware too old for Glint: the user is told the minimum version
 * and how to update, through the real USB path. */
START_TEST(test_firmware_too_old)
{
	const char *usbsim[] = {"--firmware", "14", NULL};
	const char *cli[] = {"info", NULL};
	g_auto(RunResult) r = {0};

	usbsim_cli(usbsim, cli, &r);
	ck_assert_int_ne(r.status, 0);
	ck_assert_msg(strstr(r.err, "too old") != NULL, "%s", r.err);
	ck_assert_msg(strstr(r.err, "V2J14") != NULL, "names the probe's version: %s", r.err);
	ck_assert_msg(strstr(r.err, "or newer") != NULL, "names the minimum: %s", r.err);
}
END_TEST

/* Runs inside glint-usbsim: holds the probe the way OpenOCD would, then
 * runs glint-cli info and relays what it said. */
static int
hold_probe_and_run_cli(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) held = glint_usb_open(NULL, &error);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_auto(RunResult) r = {0};
	gint wait_status = 0;

	if (held == NULL) {
		g_printerr("holder: %s\n", error->message);
		return 99;
	}
	/* Outside a Check test: no ck_* calls here (build_path asserts). */
	g_ptr_array_add(argv,
			g_build_filename(g_getenv("GLINT_BUILD_DIR"), "app", "glint-cli", NULL));
	g_ptr_array_add(argv, g_strdup("info"));
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, 0, NULL, NULL, &r.out, &r.err,
			  &wait_status, &error)) {
		g_printerr("holder: %s\n", error->message);
		return 98;
	}
	g_printerr("%s", r.err);
	return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 97;
}

START_TEST(test_busy_probe)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	const char *head[] = {"timeout", "-k", "5", CLIENT_TIMEOUT_S};
	g_auto(RunResult) r = {0};

	for (guint i = 0; i < G_N_ELEMENTS(head); i++)
		g_ptr_array_add(argv, g_strdup(head[i]));
	g_ptr_array_add(argv, build_path("app/glint-usbsim"));
	g_ptr_array_add(argv, g_strdup("--"));
	g_ptr_array_add(argv, build_path("tests/usb/test-usbsim"));
	g_ptr_array_add(argv, g_strdup(BUSY_HELPER_ARG));
	run_argv(argv, &r);
	ck_assert_int_eq(r.status, CLI_EXIT_CONNECTION);
	ck_assert_msg(strstr(r.err, "another program such as OpenOCD") != NULL, "%s", r.err);
}
END_TEST

static Suite *
usbsim_suite(void)
{
	Suite *s = suite_create("usbsim");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 110);
	tcase_add_test(tc, test_program_verify_256k);
	tcase_add_test(tc, test_unplug_mid_program);
	tcase_add_test(tc, test_two_probes_by_serial);
	tcase_add_test(tc, test_busy_probe);
	tcase_add_test(tc, test_firmware_too_old);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_board_spec);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	SRunner *sr;
	int failed;
	g_autoptr(GError) tmp_error = NULL;

	if (argc == 2 && strcmp(argv[1], BUSY_HELPER_ARG) == 0)
		return hold_probe_and_run_cli();
	sr = srunner_create(usbsim_suite());
	if (!test_tmp_init("glint-usbsim-XXXXXX", &tmp_error)) {
		g_printerr("cannot make a temporary directory: %s\n", tmp_error->message);
		srunner_free(sr);
		return 1;
	}
	srunner_run_all(sr, CK_ENV);
	test_tmp_cleanup();
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
