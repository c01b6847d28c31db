/* test-l5-conformance.c: independent clients against the emulated
 * STM32L5/U5 boards through glint-usbsim, compared with the board's state
 * and with glint-cli. OpenOCD 0.12 (target/stm32l5x.cfg, stm32u5x.cfg, the
 * stm32l4x driver): write_image erase + verify_image and option_read with
 * TrustZone off, through the secure alias with TZEN = 1 (as its driver
 * wants: it turns every page secure with SECBB while it works), on the
 * non-secure side at RDP 0.5, flash protect (which on the U5 leaves the
 * WRP area locked for good: OpenOCD 0.12 writes UNLOCK = 0), lock and
 * unlock. stlink 1.7 has neither chip: st-info --probe names the chip id
 * with no flash, and st-flash refuses ("unknown chip id"), which the
 * st-info and st-flash cases pin rather than skip. CK_RUN_CASE picks one
 * case; each loops over both boards. */
#include <check.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

#define FLASH_BASE 0x08000000u
#define FLASH_S_BASE 0x0C000000u
#define FLASH_OPTR 0x40022040u
#define FLASH_WRP1AR 0x40022058u

static const struct {
	const char *board;
	const char *target_cfg;
	const char *chipid; /* as st-info prints it */
	guint32 bank2;
	guint32 page;
} boards[] = {
    {"nucleo-l552ze-q", "target/stm32l5x.cfg", "0x0472", 0x08040000u, 2048},
    {"nucleo-u575zi-q", "target/stm32u5x.cfg", "0x0482", 0x08100000u, 8192},
};

/* OpenOCD as a user runs it on these boards: the ST-LINK through HLA, no
 * servers, the target file's work area (the driver's loader runs on the
 * emulated Cortex-M33) */
static void
openocd_argv(GPtrArray *argv, const char *target_cfg, const char *const *commands)
{
	const char *head[] = {"openocd",
			      "-c",
			      "gdb_port disabled",
			      "-c",
			      "telnet_port disabled",
			      "-c",
			      "tcl_port disabled",
			      "-f",
			      "interface/stlink.cfg",
			      "-c",
			      "transport select hla_swd",
			      "-f",
			      target_cfg,
			      "-c",
			      "init",
			      "-c",
			      "reset halt"};
	for (guint i = 0; i < G_N_ELEMENTS(head); i++)
		g_ptr_array_add(argv, (gpointer)head[i]);
	for (guint i = 0; commands[i] != NULL; i++) {
		g_ptr_array_add(argv, (gpointer) "-c");
		g_ptr_array_add(argv, (gpointer)commands[i]);
	}
	g_ptr_array_add(argv, (gpointer) "-c");
	g_ptr_array_add(argv, (gpointer) "shutdown");
	g_ptr_array_add(argv, NULL);
}

/* Runs OpenOCD on the board in @state (made from @scenario of board @b
 * if the file is new) */
static gchar *
openocd_run(guint b, const char *scenario, const char *state, const char *const *commands,
	    gint *status)
{
	g_autofree gchar *spec = g_strdup_printf("%s:%s", boards[b].board, scenario);
	const char *args[] = {"--scenario", spec, "--state", state, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(RunResult) r = {0};
	openocd_argv(argv, boards[b].target_cfg, commands);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	*status = r.status;
	return g_strconcat(r.out, r.err, NULL);
}

static gchar *
glint_run(const char *state, const char *const *args, gint *status)
{
	g_autofree gchar *cli = glint_cli();
	g_autoptr(GPtrArray) cmd = g_ptr_array_new();
	const char *usbsim[] = {"--state", state, NULL};
	g_auto(RunResult) r = {0};
	g_ptr_array_add(cmd, cli);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(cmd, (gpointer)args[i]);
	g_ptr_array_add(cmd, NULL);
	usbsim_run(usbsim, (const char *const *)cmd->pdata, &r);
	*status = r.status;
	return g_strconcat(r.out, r.err, NULL);
}

/* The value OpenOCD printed as "Option Register: <0x...> = 0x..." */
static guint32
parse_option_register(const char *text)
{
	const char *p = strstr(text, "Option Register:");
	ck_assert_msg(p != NULL, "no option_read output");
	p = strstr(p, "= 0x");
	ck_assert_ptr_nonnull(p);
	return (guint32)g_ascii_strtoull(p + 2, NULL, 16);
}

/* TrustZone off: write_image erase + verify_image across the bank
 * boundary, option_read of FLASH_OPTR; glint-cli reads the same bytes and
 * shows the same FLASH_OPTR */
START_TEST(test_openocd_write_verify_options)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	guint32 addr = boards[_i].bank2 - 0x1000u;
	g_autoptr(GBytes) image = test_image(8192, 7 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, addr);
	g_autofree gchar *verify_cmd = g_strdup_printf("verify_image %s 0x%08x bin", img, addr);
	const char *commands[] = {write_cmd, verify_cmd, "stm32l4x option_read 0 0x40", NULL};
	g_autofree gchar *addr_s = g_strdup_printf("0x%08x", addr);
	const char *read_args[] = {"read", addr_s, "8192", "-o", back, NULL};
	const char *show_args[] = {"options", "show", NULL};
	g_autofree gchar *all = NULL;
	g_autofree gchar *shown = NULL;
	g_autofree gchar *want = NULL;
	g_autoptr(GlintSim) sim = NULL;
	gint status;
	guint32 optr;

	all = openocd_run(_i, "fresh", state, commands, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(all, "Cortex-M33") != NULL, "no core");
	ck_assert_msg(strstr(all, "TZEN = 0") != NULL, "TrustZone state");
	ck_assert_msg(strstr(all, "wrote 8192 bytes") != NULL, "write_image did not report");
	ck_assert_msg(strstr(all, "verified 8192 bytes") != NULL, "verify_image did not pass");
	ck_assert_msg(strstr(all, "UNEXPECTED idcode") == NULL, "the SW-DP answered wrong");
	sim = load_board(state);
	assert_flash_equals(sim, addr, image);
	optr = parse_option_register(all);
	ck_assert_uint_eq(optr, glint_sim_peek32(sim, FLASH_OPTR));
	g_free(glint_run(state, read_args, &status));
	ck_assert_int_eq(status, 0);
	assert_file_equals(back, image);
	shown = glint_run(state, show_args, &status);
	ck_assert_int_eq(status, 0);
	want = g_strdup_printf("FLASH_OPTR 0x%08X", optr);
	ck_assert_msg(strstr(shown, want) != NULL, "glint-cli disagrees: %s", shown);
}
END_TEST

/* The benchmark's "best" OpenOCD invocation (tests/bench/bench-harness.c)
 * on a blank board: `reset init` waits in its clock handler for PWR's and
 * RCC's ready flags (VOSF, VOSRDY, BOOSTRDY, PLLRDY, SWS = PLL), then a
 * mass erase, the driver's loader, verify_image and `reset run`. Before
 * the RCC and PWR were modelled the L552 polled RCC_CR for ever. */
START_TEST(test_openocd_reset_init_mass_erase)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) image = test_image(16384, 11 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image %s 0x%08x", img, FLASH_BASE);
	g_autofree gchar *verify_cmd = g_strdup_printf("verify_image %s 0x%08x", img, FLASH_BASE);
	const char *const best[] = {"openocd",
				    "-c",
				    "gdb_port disabled",
				    "-c",
				    "telnet_port disabled",
				    "-c",
				    "tcl_port disabled",
				    "-f",
				    "interface/stlink.cfg",
				    "-c",
				    "transport select hla_swd",
				    "-f",
				    boards[_i].target_cfg,
				    "-c",
				    "adapter speed 4000",
				    "-c",
				    "init",
				    "-c",
				    "reset init",
				    "-c",
				    "adapter speed 4000",
				    "-c",
				    "stm32l4x mass_erase 0",
				    "-c",
				    write_cmd,
				    "-c",
				    verify_cmd,
				    "-c",
				    "reset run",
				    "-c",
				    "shutdown",
				    NULL};
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", spec, "--state", state, NULL};
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r = {0};

	usbsim_run(args, best, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.err, "wrote 16384 bytes") != NULL, "write_image did not report");
	ck_assert_msg(strstr(r.err, "verified 16384 bytes") != NULL, "verify_image did not pass");
	sim = load_board(state);
	assert_flash_equals(sim, FLASH_BASE, image);
	/* the mass erase went through: the rest of bank 1 is blank */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 16384u), 0xFFFFFFFFu);
}
END_TEST

/* TZEN = 1, RDP 0: OpenOCD programs through the secure alias (its driver
 * makes every page secure with SECBB and works with the secure
 * registers), both in the secure firmware's pages and in a non-secure
 * one; glint-cli then reads the non-secure page back through 0x08000000
 * (SECBB put back) and refuses the secure one, naming SECWM1 */
START_TEST(test_openocd_trustzone)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	guint32 ns_off = 32 * boards[_i].page;
	g_autoptr(GBytes) image = test_image(4096, 17 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_ns =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, FLASH_S_BASE + ns_off);
	g_autofree gchar *verify_ns =
	    g_strdup_printf("verify_image %s 0x%08x bin", img, FLASH_S_BASE + ns_off);
	g_autofree gchar *write_s = g_strdup_printf("flash write_image erase %s 0x%08x bin", img,
						    FLASH_S_BASE + boards[_i].page);
	g_autofree gchar *verify_s =
	    g_strdup_printf("verify_image %s 0x%08x bin", img, FLASH_S_BASE + boards[_i].page);
	const char *commands[] = {write_ns, verify_ns, write_s, verify_s, NULL};
	g_autofree gchar *ns_s = g_strdup_printf("0x%08x", FLASH_BASE + ns_off);
	const char *read_ns[] = {"read", ns_s, "4096", "-o", back, NULL};
	const char *read_s[] = {"read", "0x08000000", "256", "-o", back, NULL};
	g_autofree gchar *all = NULL;
	g_autofree gchar *refused = NULL;
	g_autoptr(GlintSim) sim = NULL;
	gint status;

	all = openocd_run(_i, "trustzone", state, commands, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(all, "TZEN = 1") != NULL, "TrustZone state");
	ck_assert_msg(strstr(all, "verified 4096 bytes") != NULL, "verify_image did not pass");
	sim = load_board(state);
	assert_flash_equals(sim, FLASH_BASE + ns_off, image);
	assert_flash_equals(sim, FLASH_BASE + boards[_i].page, image);
	/* OpenOCD put the pages back to non-secure (SECBB 0) */
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x40022080u), 0);
	g_clear_pointer(&sim, glint_sim_unref);
	g_free(glint_run(state, read_ns, &status));
	ck_assert_int_eq(status, 0);
	assert_file_equals(back, image);
	refused = glint_run(state, read_s, &status);
	ck_assert_int_ne(status, 0);
	ck_assert_msg(strstr(refused, "SECWM1") != NULL, "glint-cli: %s", refused);
}
END_TEST

/* RDP 0.5: OpenOCD works on the non-secure side (its driver warns about
 * the work area) and programs a page of bank 2; glint-cli agrees */
START_TEST(test_openocd_rdp_half)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(4096, 27 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, boards[_i].bank2);
	g_autofree gchar *verify_cmd =
	    g_strdup_printf("verify_image %s 0x%08x bin", img, boards[_i].bank2);
	const char *commands[] = {write_cmd, verify_cmd, NULL};
	g_autofree gchar *addr_s = g_strdup_printf("0x%08x", boards[_i].bank2);
	const char *read_args[] = {"read", addr_s, "4096", "-o", back, NULL};
	const char *info_args[] = {"info", NULL};
	g_autofree gchar *all = NULL;
	g_autofree gchar *info = NULL;
	gint status;

	all = openocd_run(_i, "rdp0.5", state, commands, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(all, "RDP level 0.5") != NULL, "OpenOCD's RDP");
	ck_assert_msg(strstr(all, "verified 4096 bytes") != NULL, "verify_image did not pass");
	g_free(glint_run(state, read_args, &status));
	ck_assert_int_eq(status, 0);
	assert_file_equals(back, image);
	info = glint_run(state, info_args, &status);
	ck_assert_msg(strstr(info, "level 0.5 (RDP=0x55)") != NULL, "glint-cli: %s", info);
}
END_TEST

/* flash protect: WRP1A over pages 0-1; glint-cli shows the area. OpenOCD
 * 0.12 writes the register with UNLOCK = 0: on the U5 the area is then
 * locked for good, and Glint's diagnosis says so */
START_TEST(test_openocd_protect)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *commands[] = {"flash protect 0 0 1 on", "stm32l4x option_read 0 0x58", NULL};
	const char *show_args[] = {"options", "show", NULL};
	const char *diag_args[] = {"diagnose", NULL};
	g_autofree gchar *all = NULL;
	g_autofree gchar *shown = NULL;
	g_autofree gchar *diag = NULL;
	g_autoptr(GlintSim) sim = NULL;
	gint status;

	all = openocd_run(_i, "fresh", state, commands, &status);
	ck_assert_int_eq(status, 0);
	sim = load_board(state);
	ck_assert_uint_eq(parse_option_register(all), glint_sim_peek32(sim, FLASH_WRP1AR));
	g_clear_pointer(&sim, glint_sim_unref);
	shown = glint_run(state, show_args, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(shown, "WRP1A=0-1") != NULL, "glint-cli: %s", shown);
	diag = glint_run(state, diag_args, &status);
	if (_i == 1)
		ck_assert_msg(strstr(diag, "WRP1A is locked for good") != NULL, "glint-cli: %s",
			      diag);
	else
		ck_assert_msg(strstr(diag, "locked for good") == NULL, "glint-cli: %s", diag);
}
END_TEST

/* lock sets RDP level 1, unlock regresses it (and the chip erases) */
START_TEST(test_openocd_lock_unlock)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *lock[] = {"stm32l4x lock 0", NULL};
	const char *unlock[] = {"stm32l4x unlock 0", NULL};
	const char *info_args[] = {"info", NULL};
	g_autofree gchar *all = NULL;
	g_autofree gchar *info1 = NULL;
	g_autofree gchar *info2 = NULL;
	g_autoptr(GlintSim) sim = NULL;
	gint status;

	g_free(openocd_run(_i, "wrp", state, lock, &status));
	ck_assert_int_eq(status, 0);
	info1 = glint_run(state, info_args, &status);
	ck_assert_msg(strstr(info1, "level 1") != NULL, "Glint does not see RDP 1: %s", info1);
	all = openocd_run(_i, "wrp", state, unlock, &status);
	ck_assert_int_eq(status, 0);
	info2 = glint_run(state, info_args, &status);
	ck_assert_msg(strstr(info2, "level 0") != NULL, "Glint does not see RDP 0: %s", info2);
	sim = load_board(state);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
}
END_TEST

/* stlink 1.7 has no STM32L5 or U5 (its chip table ends before them):
 * st-info --probe names the chip id, as Glint does, with no flash */
START_TEST(test_st_info)
{
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, NULL};
	const char *cmd[] = {"st-info", "--probe", NULL};
	g_auto(RunResult) r = {0};

	usbsim_run(args, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, boards[_i].chipid) != NULL, "chip id: %s", r.out);
	ck_assert_msg(strstr(r.out, "flash:      0") != NULL, "flash size: %s", r.out);
}
END_TEST

/* ... and st-flash refuses the chip, leaving the flash as it was */
START_TEST(test_st_flash_refuses)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) image = test_image(4096, 30 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	const char *write[] = {"st-flash", "write", img, "0x08000000", NULL};
	g_auto(RunResult) r = {0};
	g_autoptr(GlintSim) sim = NULL;

	usbsim_run(args, write, &r);
	ck_assert_int_ne(r.status, 0);
	ck_assert_msg(strstr(r.err, "unknown chip id") != NULL, "st-flash: %s", r.err);
	sim = load_board(state);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0xFFFFFFFFu);
}
END_TEST

static Suite *
conformance_suite(void)
{
	Suite *s = suite_create("l5-conformance");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"openocd-write-verify-options", test_openocd_write_verify_options},
	    {"openocd-reset-init-mass-erase", test_openocd_reset_init_mass_erase},
	    {"openocd-trustzone", test_openocd_trustzone},
	    {"openocd-rdp-half", test_openocd_rdp_half},
	    {"openocd-protect", test_openocd_protect},
	    {"openocd-lock-unlock", test_openocd_lock_unlock},
	    {"st-info", test_st_info},
	    {"st-flash-refuses", test_st_flash_refuses},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 300);
		tcase_add_loop_test(tc, cases[i].test, 0, G_N_ELEMENTS(boards));
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conformance_suite());
	int failed;
	g_autoptr(GError) tmp_error = NULL;

	if (!test_tmp_init("glint-l5-conformance-XXXXXX", &tmp_error)) {
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
