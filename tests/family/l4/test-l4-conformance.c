/* Third-party clients against each emulated board of the L4-style family
 * through glint-usbsim (CK_RUN_CASE "TOOL:BOARD"): OpenOCD 0.12 with the
 * board's target file writes and verifies an image at both ends of flash
 * and its option_read of FLASH_OPTR agrees with the chip and with
 * `glint-cli options show`; stlink 1.7's st-info names the chip and its
 * flash, and what st-flash writes glint-cli reads back; on the G0, WB and WL
 * boards OpenOCD's flash protect and lock/unlock are read back by glint-cli
 * too. Where a tool does
 * not support a chip the case is not registered, and meson.build says why. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

#define FLASH_BASE 0x08000000u

typedef struct {
	const char *board;
	const char *openocd_cfg;
	guint32 flash_regs;
	guint32 flash_kb;
	guint16 dev_id;
	/* KB at the end that are CPU2's as shipped (the WB's FUS) */
	guint32 secure_kb;
} Board;

static const Board boards[] = {
    {"nucleo-l476rg", "target/stm32l4x.cfg", 0x40022000, 1024, 0x415},
    {"nucleo-l496zg", "target/stm32l4x.cfg", 0x40022000, 1024, 0x461},
    {"nucleo-l432kc", "target/stm32l4x.cfg", 0x40022000, 256, 0x435},
    {"nucleo-l452re", "target/stm32l4x.cfg", 0x40022000, 512, 0x462},
    {"nucleo-g474re", "target/stm32g4x.cfg", 0x40022000, 512, 0x469},
    {"nucleo-g431rb", "target/stm32g4x.cfg", 0x40022000, 128, 0x468},
    {"nucleo-l4r5zi", "target/stm32l4x.cfg", 0x40022000, 2048, 0x470},
    {"nucleo-g031k8", "target/stm32g0x.cfg", 0x40022000, 64, 0x466},
    {"nucleo-g071rb", "target/stm32g0x.cfg", 0x40022000, 128, 0x460},
    {"nucleo-g0b1re", "target/stm32g0x.cfg", 0x40022000, 512, 0x467},
    {"p-nucleo-wb55", "target/stm32wbx.cfg", 0x58004000, 1024, 0x495, 48},
    {"nucleo-wl55jc", "target/stm32wlx.cfg", 0x58004000, 256, 0x497},
};

static const Board *board;

static guint32
value_after(const char *text, const char *marker)
{
	const char *p = strstr(text, marker);
	ck_assert_msg(p != NULL, "no '%s' in the output", marker);
	return (guint32)g_ascii_strtoull(p + strlen(marker), NULL, 16);
}

START_TEST(test_openocd)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) head = test_image(3072, 21);
	g_autoptr(GBytes) tail = test_image(2048, 22);
	g_autofree gchar *head_img = write_image(dir, "head.bin", head);
	g_autofree gchar *tail_img = write_image(dir, "tail.bin", tail);
	guint32 tail_addr = FLASH_BASE + (board->flash_kb - board->secure_kb) * 1024u - 2048u;
	g_autofree gchar *w1 =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", head_img, FLASH_BASE);
	g_autofree gchar *w2 =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", tail_img, tail_addr);
	g_autofree gchar *v1 = g_strdup_printf("verify_image %s 0x%08x bin", head_img, FLASH_BASE);
	g_autofree gchar *v2 = g_strdup_printf("verify_image %s 0x%08x bin", tail_img, tail_addr);
	const char *commands[] = {w1, w2, v1, v2, "stm32l4x option_read 0 0x20", NULL};
	const char *args[] = {"--scenario", board->board, "--state", state, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GlintSim) sim = NULL;
	g_autofree gchar *all = NULL;
	g_autofree gchar *cli = glint_cli();
	const char *state_args[] = {"--state", state, NULL};
	const char *show[] = {cli, "options", "show", NULL};
	g_autofree gchar *optr_marker = g_strdup_printf("<0x%08x> = 0x", board->flash_regs + 0x20);
	g_auto(RunResult) r = {0};
	g_auto(RunResult) rs = {0};
	guint32 optr;

	openocd_argv_for(argv, board->openocd_cfg, commands, FALSE);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	all = g_strconcat(r.out, r.err, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "verified 3072 bytes") != NULL, "head not verified");
	ck_assert_msg(strstr(all, "verified 2048 bytes") != NULL, "tail not verified");
	ck_assert_uint_eq(value_after(all, "device idcode = 0x") & 0xFFF, board->dev_id);
	sim = load_board(state);
	assert_flash_equals(sim, FLASH_BASE, head);
	assert_flash_equals(sim, tail_addr, tail);
	/* OpenOCD's FLASH_OPTR is the chip's and Glint's */
	optr = value_after(all, optr_marker);
	ck_assert_uint_eq(optr, glint_sim_peek32(sim, board->flash_regs + 0x20));
	usbsim_run(state_args, show, &rs);
	ck_assert_int_eq(rs.status, 0);
	{
		g_autofree gchar *glint_optr = g_strdup_printf("FLASH_OPTR 0x%08X", optr);
		ck_assert_msg(strstr(rs.out, glint_optr) != NULL, "glint-cli: %s", rs.out);
	}
}
END_TEST

/* Runs OpenOCD with @commands on the board kept in @state (made from the
 * board's fresh scenario the first time), then `glint-cli @glint_cmd` on it;
 * returns what glint-cli printed */
static gchar *
openocd_then_glint(const char *state, gboolean first, const char *const *commands,
		   const char *glint_cmd)
{
	g_autofree gchar *cli = glint_cli();
	const char *args[] = {"--scenario", board->board, "--state", state, NULL};
	const char *state_args[] = {"--state", state, NULL};
	const char *glint[] = {cli, glint_cmd, glint_cmd[0] == 'o' ? "show" : NULL, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(RunResult) r = {0};
	g_auto(RunResult) rg = {0};
	openocd_argv_for(argv, board->openocd_cfg, commands, FALSE);
	usbsim_run(first ? args : state_args, (const char *const *)argv->pdata, &r);
	ck_assert_msg(r.status == 0, "openocd: %s%s", r.out, r.err);
	usbsim_run(state_args, glint, &rg);
	ck_assert_int_eq(rg.status, 0);
	return g_strdup(rg.out);
}

/* OpenOCD's flash protect sets and clears WRP1A; glint-cli reads the same
 * pages */
START_TEST(test_openocd_protect)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *on[] = {"flash protect 0 0 1 on", NULL};
	const char *off[] = {"flash protect 0 0 1 off", NULL};
	g_autofree gchar *shown_on = openocd_then_glint(state, TRUE, on, "options");
	g_autofree gchar *shown_off = openocd_then_glint(state, FALSE, off, "options");
	ck_assert_msg(strstr(shown_on, "WRP1A=0-1") != NULL, "glint-cli: %s", shown_on);
	ck_assert_msg(strstr(shown_off, "WRP1A=off") != NULL, "glint-cli: %s", shown_off);
}
END_TEST

/* OpenOCD's lock sets RDP level 1, its unlock regresses it (the chip
 * erases): glint-cli sees both */
START_TEST(test_openocd_lock_unlock)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *lock[] = {"stm32l4x lock 0", NULL};
	const char *unlock[] = {"stm32l4x unlock 0", NULL};
	g_autofree gchar *locked = openocd_then_glint(state, TRUE, lock, "info");
	g_autofree gchar *unlocked = openocd_then_glint(state, FALSE, unlock, "info");
	ck_assert_msg(strstr(locked, "level 1") != NULL, "glint-cli: %s", locked);
	ck_assert_msg(strstr(unlocked, "level 0") != NULL, "glint-cli: %s", unlocked);
}
END_TEST

START_TEST(test_st_info)
{
	const char *args[] = {"--scenario", board->board, NULL};
	const char *cmd[] = {"st-info", "--probe", NULL};
	g_autofree gchar *chipid = g_strdup_printf("chipid:     0x%04x", board->dev_id);
	g_autofree gchar *flash = g_strdup_printf("flash:      %u ", board->flash_kb * 1024u);
	g_auto(RunResult) r = {0};
	usbsim_run(args, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, chipid) != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, flash) != NULL, "%s", r.out);
}
END_TEST

START_TEST(test_st_flash)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(4096, 23);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *cli = glint_cli();
	const char *args[] = {"--scenario", board->board, "--state", state, NULL};
	const char *state_args[] = {"--state", state, NULL};
	const char *write[] = {"st-flash", "write", img, "0x08008000", NULL};
	const char *read[] = {cli, "read", "0x08008000", "4096", "-o", back, NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	usbsim_run(args, write, &r1);
	ck_assert_int_eq(r1.status, 0);
	usbsim_run(state_args, read, &r2);
	ck_assert_int_eq(r2.status, 0);
	assert_file_equals(back, image);
}
END_TEST

int
main(void)
{
	const char *which = g_getenv("CK_RUN_CASE");
	g_auto(GStrv) parts = which != NULL ? g_strsplit(which, ":", 2) : NULL;
	Suite *s = suite_create("l4-conformance");
	TCase *tc;
	SRunner *sr;
	int failed;
	g_autoptr(GError) tmp_error = NULL;

	if (parts == NULL || g_strv_length(parts) != 2) {
		fprintf(stderr, "set CK_RUN_CASE to TOOL:BOARD\n");
		return 2;
	}
	for (guint i = 0; i < G_N_ELEMENTS(boards); i++) {
		if (g_strcmp0(boards[i].board, parts[1]) == 0)
			board = &boards[i];
	}
	if (board == NULL) {
		fprintf(stderr, "unknown board %s\n", parts[1]);
		return 2;
	}
	tc = tcase_create(which);
	tcase_set_timeout(tc, 150);
	if (g_strcmp0(parts[0], "openocd") == 0)
		tcase_add_test(tc, test_openocd);
	else if (g_strcmp0(parts[0], "openocd-protect") == 0)
		tcase_add_test(tc, test_openocd_protect);
	else if (g_strcmp0(parts[0], "openocd-lock") == 0)
		tcase_add_test(tc, test_openocd_lock_unlock);
	else if (g_strcmp0(parts[0], "st-info") == 0)
		tcase_add_test(tc, test_st_info);
	else if (g_strcmp0(parts[0], "st-flash") == 0)
		tcase_add_test(tc, test_st_flash);
	else
		return 2;
	suite_add_tcase(s, tc);
	if (!test_tmp_init("glint-l4-conformance-XXXXXX", &tmp_error)) {
		g_printerr("cannot make a temporary directory: %s\n", tmp_error->message);
		return 1;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	test_tmp_cleanup();
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
