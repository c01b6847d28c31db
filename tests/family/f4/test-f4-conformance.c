/* test-f4-conformance.c: OpenOCD 0.12 and stlink-tools 1.7, unmodified,
 * against the F2/F4/F7 boards through glint-usbsim, and what they report
 * or leave compared with glint-cli and with the board (its state file read
 * with the emulator's back door). One meson test per case (CK_RUN_CASE).
 *
 * What the tools cannot do is not tried: stlink 1.7 has no option-byte
 * command that reads them back on these lines (st-flash 1.7 writes option
 * bytes only on 0x413), and OpenOCD 0.12's options_read prints the user
 * bits (and the F7's boot addresses), not RDP or nWRP: those are compared
 * through lock/unlock and flash protect instead. */
#define G_LOG_DOMAIN "test-f4-conformance"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

#define FLASH_BASE 0x08000000u

typedef struct {
	const char *board;
	const char *cfg;
	guint16 chip_id;
	guint32 flash_bytes;
} Row;

static const Row rows[] = {
    {"nucleo-f401re", "target/stm32f4x.cfg", 0x433, 512 * 1024},
    {"nucleo-f411re", "target/stm32f4x.cfg", 0x431, 512 * 1024},
    {"nucleo-f446re", "target/stm32f4x.cfg", 0x421, 512 * 1024},
    {"stm32f429i-disc1", "target/stm32f4x.cfg", 0x419, 2048 * 1024},
    {"nucleo-f767zi", "target/stm32f7x.cfg", 0x451, 2048 * 1024},
    {"nucleo-f207zg", "target/stm32f2x.cfg", 0x411, 1024 * 1024},
};

static const Row *
row(const char *board)
{
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		if (g_strcmp0(rows[i].board, board) == 0)
			return &rows[i];
	}
	ck_abort_msg("no board %s", board);
	return NULL;
}

static gchar *
all_output(RunResult *r)
{
	return g_strconcat(r->out, r->err, NULL);
}

/* glint-cli COMMAND... on the board in @state */
static void
glint_run(const char *state, const char *const *cmd, RunResult *r)
{
	g_autofree gchar *cli = glint_cli();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const char *args[] = {"--state", state, NULL};
	g_ptr_array_add(argv, cli);
	for (guint i = 0; cmd[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)cmd[i]);
	g_ptr_array_add(argv, NULL);
	usbsim_run(args, (const char *const *)argv->pdata, r);
}

static void
openocd_run(const char *board, const char *state, const char *const *commands, gboolean work_area,
	    RunResult *r)
{
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", board);
	const char *args[] = {"--scenario", spec, "--state", state, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	openocd_argv_for(argv, row(board)->cfg, commands, work_area);
	usbsim_run(args, (const char *const *)argv->pdata, r);
}

/* ---- st-info ------------------------------------------------------------------------ */

static void
check_st_info(const char *board)
{
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", board);
	g_autofree gchar *chip = g_strdup_printf("0x%04x", row(board)->chip_id);
	g_autofree gchar *flash = g_strdup_printf("flash:      %u ", row(board)->flash_bytes);
	const char *args[] = {"--scenario", spec, NULL};
	const char *cmd[] = {"st-info", "--probe", NULL};
	g_auto(RunResult) r = {0};

	usbsim_run(args, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, chip) != NULL, "chip id %s: %s", chip, r.out);
	ck_assert_msg(strstr(r.out, flash) != NULL, "%s: %s", flash, r.out);
}

/* ---- st-flash write, glint-cli read ------------------------------------------------ */

static void
check_st_flash(const char *board)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", board);
	g_autoptr(GBytes) image = test_image(20000, 3);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	const char *args[] = {"--scenario", spec, "--state", state, NULL};
	const char *write[] = {"st-flash", "write", img, "0x08010000", NULL};
	const char *read[] = {"read", "0x08010000", "20000", "-o", back, NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	g_autoptr(GlintSim) sim = NULL;

	usbsim_run(args, write, &r1);
	ck_assert_int_eq(r1.status, 0);
	ck_assert_msg(strstr(r1.err, "Flash written and verified") != NULL, "%s", r1.err);
	glint_run(state, read, &r2);
	ck_assert_int_eq(r2.status, 0);
	assert_file_equals(back, image);
	sim = load_board(state);
	assert_flash_equals(sim, 0x08010000u, image);
}

/* ---- OpenOCD ------------------------------------------------------------------------ */

/* write_image erase + verify_image through OpenOCD's loader and CRC on the
 * emulated core; glint-cli reads the same bytes back */
static void
check_openocd_write(const char *board, guint32 addr)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(40 * 1024, 5);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, addr);
	g_autofree gchar *verify_cmd = g_strdup_printf("verify_image %s 0x%08x bin", img, addr);
	g_autofree gchar *addr_text = g_strdup_printf("0x%08x", addr);
	const char *commands[] = {write_cmd, verify_cmd, NULL};
	const char *read[] = {"read", addr_text, "40960", "-o", back, NULL};
	g_auto(RunResult) r = {0};
	g_auto(RunResult) rb = {0};
	g_autofree gchar *all = NULL;
	g_autoptr(GlintSim) sim = NULL;

	openocd_run(board, state, commands, TRUE, &r);
	all = all_output(&r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "wrote ") != NULL, "write_image did not report");
	ck_assert_msg(strstr(all, "verified 40960 bytes") != NULL, "verify_image did not pass");
	ck_assert_msg(strstr(all, "falling back") == NULL, "OpenOCD fell back to the probe");
	ck_assert_msg(strstr(all, "Error:") == NULL, "OpenOCD reported an error");
	sim = load_board(state);
	assert_flash_equals(sim, addr, image);
	glint_run(state, read, &rb);
	ck_assert_int_eq(rb.status, 0);
	assert_file_equals(back, image);
}

/* "BOR_LEV=1   ..." -> 1, from glint-cli options show */
static guint32
shown_field(const char *text, const char *name)
{
	g_autofree gchar *needle = g_strdup_printf("  %s=", name);
	const char *p = strstr(text, needle);
	ck_assert_msg(p != NULL, "options show has no %s", name);
	return (guint32)g_ascii_strtoull(p + strlen(needle), NULL, 0);
}

static guint32
openocd_value(const char *text, const char *label)
{
	const char *p = strstr(text, label);
	ck_assert_msg(p != NULL, "OpenOCD printed no '%s'", label);
	return (guint32)g_ascii_strtoull(p + strlen(label), NULL, 16);
}

/* options_read against glint-cli options show, after glint-cli changed the
 * user bits: OpenOCD prints OPTCR[7:2] (and on the F7 bits 31:28 in 11:8,
 * and the boot addresses) */
static void
check_openocd_options(const char *board, gboolean f7)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", board);
	const char *set_args[] = {"--scenario", spec, "--state", state, NULL};
	g_autofree gchar *cli = glint_cli();
	const char *set_f4[] = {cli,	       "options",  "set", "BOR_LEV=1",
				"nRST_STOP=0", "WDG_SW=0", NULL};
	const char *set_f7[] = {cli,
				"options",
				"set",
				"BOR_LEV=1",
				"nRST_STOP=0",
				"IWDG_SW=0",
				"BOOT_ADD0=0x08000000",
				"--confirm",
				NULL};
	const char *show[] = {"options", "show", NULL};
	const char *commands[] = {"stm32f2x options_read 0", NULL};
	g_auto(RunResult) rs = {0};
	g_auto(RunResult) rg = {0};
	g_auto(RunResult) ro = {0};
	g_autofree gchar *oo = NULL;
	guint32 user, want;

	usbsim_run(set_args, f7 ? set_f7 : set_f4, &rs);
	ck_assert_int_eq(rs.status, 0);
	glint_run(state, show, &rg);
	ck_assert_int_eq(rg.status, 0);
	openocd_run(board, state, commands, FALSE, &ro);
	ck_assert_int_eq(ro.status, 0);
	oo = all_output(&ro);
	user = openocd_value(oo, "user_options 0x");
	want = shown_field(rg.out, "BOR_LEV") << 2 | shown_field(rg.out, "nRST_STOP") << 6 |
	       shown_field(rg.out, "nRST_STDBY") << 7;
	if (f7) {
		want |= shown_field(rg.out, "WWDG_SW") << 4 | shown_field(rg.out, "IWDG_SW") << 5 |
			shown_field(rg.out, "nDBOOT") << 8 | shown_field(rg.out, "nDBANK") << 9 |
			shown_field(rg.out, "IWDG_STDBY") << 10 |
			shown_field(rg.out, "IWDG_STOP") << 11;
		ck_assert_uint_eq(openocd_value(oo, "boot_add0 0x") * 16384,
				  shown_field(rg.out, "BOOT_ADD0"));
		ck_assert_uint_eq(openocd_value(oo, "boot_add1 0x") * 16384,
				  shown_field(rg.out, "BOOT_ADD1"));
	} else {
		want |= shown_field(rg.out, "WDG_SW") << 5;
	}
	ck_assert_msg(user == want, "OpenOCD user_options 0x%X, glint-cli's fields make 0x%X", user,
		      want);
	/* the values glint-cli set are what both read */
	ck_assert_uint_eq(shown_field(rg.out, "BOR_LEV"), 1);
	ck_assert_uint_eq(shown_field(rg.out, "nRST_STOP"), 0);
}

static gboolean
diagnosis_says(const char *state, const char *needle)
{
	const char *cmd[] = {"diagnose", NULL};
	g_auto(RunResult) r = {0};
	glint_run(state, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	return strstr(r.out, needle) != NULL;
}

/* stm32f2x lock/unlock as Glint's diagnosis sees them: RDP level 1, then
 * level 0 with the flash erased by the regression */
static void
check_openocd_lock_unlock(const char *board)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) image = test_image(4096, 7);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, FLASH_BASE + 0x4000);
	const char *write[] = {write_cmd, NULL};
	const char *lock[] = {"stm32f2x lock 0", NULL};
	const char *unlock[] = {"stm32f2x unlock 0", NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	g_auto(RunResult) r3 = {0};
	g_autoptr(GlintSim) sim = NULL;

	openocd_run(board, state, write, TRUE, &r1);
	ck_assert_int_eq(r1.status, 0);
	openocd_run(board, state, lock, FALSE, &r2);
	ck_assert_int_eq(r2.status, 0);
	ck_assert_msg(diagnosis_says(state, "rdp-level1: Read protection is active: RDP level 1"),
		      "Glint does not see the lock");
	openocd_run(board, state, unlock, FALSE, &r3);
	ck_assert_int_eq(r3.status, 0);
	ck_assert_msg(!diagnosis_says(state, "rdp-level1"), "Glint still sees RDP level 1");
	sim = load_board(state);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x4000), 0xFFFFFFFFu);
}

/* flash protect on/off, as Glint's diagnosis names the sectors */
static void
check_openocd_protect(const char *board, const char *on, const char *off, const char *seen)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *protect[] = {on, NULL};
	const char *unprotect[] = {off, NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};

	openocd_run(board, state, protect, FALSE, &r1);
	ck_assert_int_eq(r1.status, 0);
	ck_assert_msg(diagnosis_says(state, seen), "Glint does not report '%s'", seen);
	openocd_run(board, state, unprotect, FALSE, &r2);
	ck_assert_int_eq(r2.status, 0);
	ck_assert_msg(!diagnosis_says(state, "wrp-active"), "protection still reported");
}

#define BOARD_CASES(id, board)                                                                     \
	START_TEST(test_st_info_##id)                                                              \
	{                                                                                          \
		check_st_info(board);                                                              \
	}                                                                                          \
	END_TEST                                                                                   \
	START_TEST(test_st_flash_##id)                                                             \
	{                                                                                          \
		check_st_flash(board);                                                             \
	}                                                                                          \
	END_TEST

BOARD_CASES(f401, "nucleo-f401re")
BOARD_CASES(f411, "nucleo-f411re")
BOARD_CASES(f446, "nucleo-f446re")
BOARD_CASES(f429, "stm32f429i-disc1")
BOARD_CASES(f767, "nucleo-f767zi")
BOARD_CASES(f207, "nucleo-f207zg")

START_TEST(test_openocd_f4x)
{
	check_openocd_write("nucleo-f401re", FLASH_BASE);
	check_openocd_write("nucleo-f446re", FLASH_BASE + 0x20000);
}
END_TEST

START_TEST(test_openocd_f411)
{
	check_openocd_write("nucleo-f411re", FLASH_BASE + 0x4000);
}
END_TEST

START_TEST(test_openocd_f429_bank2)
{
	check_openocd_write("stm32f429i-disc1", FLASH_BASE + 0x100000);
}
END_TEST

START_TEST(test_openocd_f7x)
{
	check_openocd_write("nucleo-f767zi", FLASH_BASE);
}
END_TEST

START_TEST(test_openocd_f2x)
{
	check_openocd_write("nucleo-f207zg", FLASH_BASE + 0x8000);
}
END_TEST

START_TEST(test_openocd_options_read)
{
	check_openocd_options("nucleo-f446re", FALSE);
	check_openocd_options("nucleo-f767zi", TRUE);
}
END_TEST

START_TEST(test_openocd_lock_unlock)
{
	check_openocd_lock_unlock("nucleo-f401re");
}
END_TEST

START_TEST(test_openocd_protect)
{
	check_openocd_protect("nucleo-f401re", "flash protect 0 0 1 on", "flash protect 0 0 1 off",
			      "wrp-active: sectors 0-1 (0x08000000-0x08007FFF)");
	/* OpenOCD numbers the F429's sectors 0-23 across both banks */
	check_openocd_protect("stm32f429i-disc1", "flash protect 0 12 13 on",
			      "flash protect 0 12 13 off", "write-protected by WRP2");
}
END_TEST

/* the other lines' option registers: the F2's 12 nWRP bits, the F7's
 * single-bank 32/128/256 KB sectors, the last sector of the 512 KB parts */
START_TEST(test_openocd_lock_unlock_f7f2)
{
	check_openocd_lock_unlock("nucleo-f767zi");
	check_openocd_lock_unlock("nucleo-f207zg");
}
END_TEST

START_TEST(test_openocd_protect_lines)
{
	check_openocd_protect("nucleo-f207zg", "flash protect 0 11 11 on",
			      "flash protect 0 11 11 off",
			      "wrp-active: sector 11 (0x080E0000-0x080FFFFF)");
	check_openocd_protect("nucleo-f767zi", "flash protect 0 2 2 on", "flash protect 0 2 2 off",
			      "wrp-active: sector 2 (0x08010000-0x08017FFF)");
	check_openocd_protect("nucleo-f411re", "flash protect 0 7 7 on", "flash protect 0 7 7 off",
			      "wrp-active: sector 7 (0x08060000-0x0807FFFF)");
	check_openocd_protect("nucleo-f446re", "flash protect 0 4 4 on", "flash protect 0 4 4 off",
			      "wrp-active: sector 4 (0x08010000-0x0801FFFF)");
}
END_TEST

static Suite *
conformance_suite(void)
{
	Suite *s = suite_create("f4-conformance");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"st-info-f401", test_st_info_f401},
	    {"st-info-f411", test_st_info_f411},
	    {"st-info-f446", test_st_info_f446},
	    {"st-info-f429", test_st_info_f429},
	    {"st-info-f767", test_st_info_f767},
	    {"st-info-f207", test_st_info_f207},
	    {"st-flash-f401", test_st_flash_f401},
	    {"st-flash-f411", test_st_flash_f411},
	    {"st-flash-f446", test_st_flash_f446},
	    {"st-flash-f429", test_st_flash_f429},
	    {"st-flash-f767", test_st_flash_f767},
	    {"st-flash-f207", test_st_flash_f207},
	    {"openocd-f4x", test_openocd_f4x},
	    {"openocd-f411", test_openocd_f411},
	    {"openocd-f429-bank2", test_openocd_f429_bank2},
	    {"openocd-f7x", test_openocd_f7x},
	    {"openocd-f2x", test_openocd_f2x},
	    {"openocd-options-read", test_openocd_options_read},
	    {"openocd-lock-unlock", test_openocd_lock_unlock},
	    {"openocd-protect", test_openocd_protect},
	    {"openocd-lock-unlock-f7f2", test_openocd_lock_unlock_f7f2},
	    {"openocd-protect-lines", test_openocd_protect_lines},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 170);
		tcase_add_test(tc, cases[i].test);
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

	if (!test_tmp_init("glint-f4-conformance-XXXXXX", &tmp_error)) {
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
