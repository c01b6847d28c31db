/* test-h7-conformance.c: independent clients against the emulated STM32H7
 * boards through glint-usbsim, compared with the board's state and with
 * glint-cli: OpenOCD 0.12 (target/stm32h7x.cfg: write_image erase +
 * verify_image, option_read, flash protect, lock/unlock) and stlink 1.7
 * (st-info --probe, st-flash write then glint-cli read, st-flash across the
 * bank boundary failing as stlink 1.7 does on silicon). CK_RUN_CASE picks
 * one case; each loops over the three boards. */
#include <check.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

#define FLASH_BASE 0x08000000u
/* RM0433 2.3.2, RM0455 2.3.2: bank 2 starts 1 MiB in on the dual-bank H7s */
#define FLASH_BANK2 0x08100000u
#define FLASH_OPTSR_CUR 0x5200201Cu
#define FLASH_WPSN_CUR1 0x52002038u

static const struct {
	const char *board;
	const char *chipid; /* as st-info prints it */
	const char *flash_bytes;
	gboolean dual;
	guint32 sector;
} boards[] = {
    {"nucleo-h743zi", "0x0450", "2097152", TRUE, 128 * 1024},
    {"nucleo-h7a3zi-q", "0x0480", "2097152", TRUE, 8 * 1024},
    {"nucleo-h723zg", "0x0483", "1048576", FALSE, 128 * 1024},
};

/* OpenOCD as a user runs it on an H7 board (the ST-LINK through HLA, no
 * servers, no work area), with DUAL_BANK set before the target file on
 * parts with two banks so that bank 2 is a flash bank of its own */
static gboolean with_work_area;

static void
openocd_argv(GPtrArray *argv, gboolean dual, const char *const *commands)
{
	const char *head[] = {"openocd",
			      "-c",
			      "gdb_port disabled",
			      "-c",
			      "telnet_port disabled",
			      "-c",
			      "tcl_port disabled",
			      "-c",
			      with_work_area ? "set WORKAREASIZE 0x10000" : "set WORKAREASIZE 0",
			      "-c",
			      dual ? "set DUAL_BANK 1" : "set DUAL_BANK 0",
			      "-f",
			      "interface/stlink.cfg",
			      "-c",
			      "transport select hla_swd",
			      "-f",
			      "target/stm32h7x.cfg",
			      "-c",
			      "init",
			      "-c",
			      "halt"};
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

/* write_image erase + verify_image (across the bank boundary on two
 * banks), option_read; glint-cli reads back the bytes and shows the same
 * FLASH_OPTSR_CUR */
START_TEST(test_openocd_write_verify_options)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	guint32 addr = boards[_i].dual ? 0x080FF000u : FLASH_BASE + 0x400u;
	g_autoptr(GBytes) image = test_image(8192, 7 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, addr);
	g_autofree gchar *verify_cmd = g_strdup_printf("verify_image %s 0x%08x bin", img, addr);
	const char *commands[] = {write_cmd, verify_cmd, "stm32h7x option_read 0 0x1c", NULL};
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r = {0};
	g_autofree gchar *all = NULL;
	g_autofree gchar *addr_s = g_strdup_printf("0x%08x", addr);
	const char *read_args[] = {"read", addr_s, "8192", "-o", back, NULL};
	const char *show_args[] = {"options", "show", NULL};
	g_autofree gchar *shown = NULL;
	g_autofree gchar *want = NULL;
	gint status;
	guint32 optsr;

	openocd_argv(argv, boards[_i].dual, commands);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	all = g_strconcat(r.out, r.err, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "Cortex-M7") != NULL, "no core");
	ck_assert_msg(strstr(all, "wrote 8192 bytes") != NULL, "write_image did not report");
	ck_assert_msg(strstr(all, "verified 8192 bytes") != NULL, "verify_image did not pass");
	ck_assert_msg(strstr(all, "UNEXPECTED idcode") == NULL, "the SW-DP answered wrong");

	sim = load_board(state);
	assert_flash_equals(sim, addr, image);
	optsr = parse_option_register(all);
	ck_assert_uint_eq(optsr, glint_sim_peek32(sim, FLASH_OPTSR_CUR));

	g_free(glint_run(state, read_args, &status));
	ck_assert_int_eq(status, 0);
	assert_file_equals(back, image);
	shown = glint_run(state, show_args, &status);
	ck_assert_int_eq(status, 0);
	/* OPTSR as Glint reads it (OPT_BUSY and OPTCHANGEERR are status) */
	want = g_strdup_printf("FLASH_OPTSR_CUR 0x%08X", optsr & ~((1u << 0) | (1u << 30)));
	ck_assert_msg(strstr(shown, want) != NULL, "glint-cli disagrees: %s", shown);
}
END_TEST

/* With a work area (the target file's 64 KB in the DTCM) OpenOCD programs
 * through its own asynchronous flash loader and verifies with its CRC
 * routine, both run by the emulated Cortex-M7 */
START_TEST(test_openocd_work_area)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	guint32 addr = FLASH_BASE + boards[_i].sector;
	g_autoptr(GBytes) image = test_image(40 * 1024, 50 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, addr);
	g_autofree gchar *verify_cmd = g_strdup_printf("verify_image %s 0x%08x bin", img, addr);
	const char *commands[] = {write_cmd, verify_cmd, NULL};
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r = {0};
	g_autofree gchar *all = NULL;

	with_work_area = TRUE;
	openocd_argv(argv, boards[_i].dual, commands);
	with_work_area = FALSE;
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	all = g_strconcat(r.out, r.err, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "wrote 40960 bytes") != NULL, "write_image did not report");
	ck_assert_msg(strstr(all, "verified 40960 bytes") != NULL, "verify_image did not pass");
	ck_assert_msg(strstr(all, "falling back") == NULL, "OpenOCD fell back to the probe");
	ck_assert_msg(strstr(all, "Error:") == NULL, "OpenOCD reported an error");
	sim = load_board(state);
	assert_flash_equals(sim, addr, image);
}
END_TEST

/* flash protect: OpenOCD clears WPSN bit 0; Glint reports the area */
START_TEST(test_openocd_protect)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *commands[] = {"flash protect 0 0 0 on", NULL};
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	const char *show_args[] = {"options", "show", NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GlintSim) sim = NULL;
	g_auto(RunResult) r = {0};
	g_autofree gchar *shown = NULL;
	gint status;

	openocd_argv(argv, boards[_i].dual, commands);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	ck_assert_int_eq(r.status, 0);
	sim = load_board(state);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_WPSN_CUR1) & 1u, 0);
	shown = glint_run(state, show_args, &status);
	ck_assert_int_eq(status, 0);
	/* OpenOCD's block 0 is sector 0 (a group of 4 on the H7A3) */
	ck_assert_msg(strstr(shown, boards[_i].sector == 8192 ? "=0-3" : "=0 ") != NULL,
		      "glint-cli does not see the protection: %s", shown);
}
END_TEST

/* lock sets RDP level 1, unlock regresses it (and the chip erases) */
START_TEST(test_openocd_lock_unlock)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *lock[] = {"stm32h7x lock 0", NULL};
	const char *unlock[] = {"stm32h7x unlock 0", NULL};
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	const char *state_args[] = {"--state", state, NULL};
	const char *info_args[] = {"info", NULL};
	g_autoptr(GPtrArray) argv1 = g_ptr_array_new();
	g_autoptr(GPtrArray) argv2 = g_ptr_array_new();
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	g_autofree gchar *info1 = NULL;
	g_autofree gchar *info2 = NULL;
	gint status;

	openocd_argv(argv1, boards[_i].dual, lock);
	usbsim_run(args, (const char *const *)argv1->pdata, &r1);
	ck_assert_int_eq(r1.status, 0);
	info1 = glint_run(state, info_args, &status);
	ck_assert_msg(strstr(info1, "level 1") != NULL, "Glint does not see RDP 1: %s", info1);
	openocd_argv(argv2, boards[_i].dual, unlock);
	usbsim_run(state_args, (const char *const *)argv2->pdata, &r2);
	ck_assert_int_eq(r2.status, 0);
	info2 = glint_run(state, info_args, &status);
	ck_assert_msg(strstr(info2, "level 0") != NULL, "Glint does not see RDP 0: %s", info2);
}
END_TEST

START_TEST(test_st_info)
{
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, NULL};
	const char *cmd[] = {"st-info", "--probe", NULL};
	g_auto(RunResult) r = {0};

	usbsim_run(args, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, boards[_i].chipid) != NULL, "chip id: %s", r.out);
	ck_assert_msg(strstr(r.out, boards[_i].flash_bytes) != NULL, "flash size: %s", r.out);
}
END_TEST

/* st-flash writes a sector-aligned block (stlink 1.7 refuses any other
 * start on an H7); glint-cli reads the same bytes back */
START_TEST(test_st_flash_write)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(4096, 30 + _i);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *addr = g_strdup_printf("0x%08x", FLASH_BASE + boards[_i].sector);
	g_autofree gchar *scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	const char *write[] = {"st-flash", "write", img, addr, NULL};
	const char *read_args[] = {"read", addr, "4096", "-o", back, NULL};
	g_auto(RunResult) r = {0};
	gint status;

	usbsim_run(args, write, &r);
	ck_assert_int_eq(r.status, 0);
	g_free(glint_run(state, read_args, &status));
	ck_assert_int_eq(status, 0);
	assert_file_equals(back, image);
}
END_TEST

/* stlink 1.7 never unlocks bank 2 of an H7: it writes the keys to
 * FLASH_KEYR1 only and sets PG in FLASH_CR1 only, so each store into bank 2
 * finds FLASH_CR2 locked with PG clear, raises PGSERR2 and is dropped
 * (RM0433 4.3.9, 4.9.4), and the read-back check fails at the first 6 KiB
 * block that reaches 0x08100000 (stlink issue #1146, seen on an H743 behind
 * a V2). A block across the bank boundary must fail that way behind either
 * probe generation: bank 1's half lands, bank 2 stays erased. */
START_TEST(test_st_flash_bank2)
{
	static const char *const kinds[] = {"v2", "v3"};
	g_autofree gchar *dir = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autofree gchar *img = NULL;
	g_autofree gchar *addr = NULL;
	g_autofree gchar *scenario = NULL;
	gsize sector = boards[_i].sector;

	if (!boards[_i].dual)
		return; /* one bank: nothing beyond it */
	dir = test_tmp_dir();
	image = test_image(2 * sector, 60 + _i);
	img = write_image(dir, "image.bin", image);
	addr = g_strdup_printf("0x%08x", FLASH_BANK2 - (guint32)sector);
	scenario = g_strdup_printf("%s:fresh", boards[_i].board);
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree gchar *state = g_strdup_printf("%s/board-%s.state", dir, kinds[k]);
		const char *args[] = {"--kind",	 kinds[k], "--scenario", scenario,
				      "--state", state,	   NULL};
		const char *write[] = {"st-flash", "write", img, addr, NULL};
		g_autoptr(GBytes) bank1 = g_bytes_new_from_bytes(image, 0, sector);
		g_autofree guint8 *ones = g_malloc(sector);
		g_autoptr(GBytes) erased = NULL;
		g_autoptr(GlintSim) sim = NULL;
		g_auto(RunResult) r = {0};
		g_autofree gchar *all = NULL;

		usbsim_run(args, write, &r);
		all = g_strconcat(r.out, r.err, NULL);
		ck_assert_msg(r.status != 0, "st-flash 1.7 wrote bank 2 behind a %s", kinds[k]);
		ck_assert_msg(strstr(all, "Verification of flash failed") != NULL,
			      "behind a %s: %s", kinds[k], all);
		memset(ones, 0xFF, sector);
		erased = g_bytes_new(ones, sector);
		sim = load_board(state);
		assert_flash_equals(sim, FLASH_BANK2 - (guint32)sector, bank1);
		assert_flash_equals(sim, FLASH_BANK2, erased);
	}
}
END_TEST

static Suite *
conformance_suite(void)
{
	Suite *s = suite_create("h7-conformance");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"openocd-write-verify-options", test_openocd_write_verify_options},
	    {"openocd-work-area", test_openocd_work_area},
	    {"openocd-protect", test_openocd_protect},
	    {"openocd-lock-unlock", test_openocd_lock_unlock},
	    {"st-info", test_st_info},
	    {"st-flash-write", test_st_flash_write},
	    {"st-flash-bank2", test_st_flash_bank2},
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

	if (!test_tmp_init("glint-h7-conformance-XXXXXX", &tmp_error)) {
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
