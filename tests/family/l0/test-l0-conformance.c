/* test-l0-conformance.c: OpenOCD 0.12 (target/stm32l0.cfg,
 * stm32l0_dual_bank.cfg, stm32l1x_dual_bank.cfg) and stlink-tools 1.7
 * against the emulated STM32L0/L1 boards through glint-usbsim, compared
 * with the board's state and with glint-cli:
 *   st-info          --probe names the chip id and flash size
 *   st-flash         write, then glint-cli read gives the same bytes
 *   openocd-write    flash write_image erase + verify_image
 *   openocd-lock     stm32lx lock, then unlock: glint-cli sees RDP level 1,
 *                    then level 0 with flash and data EEPROM erased
 *   openocd-mass     stm32lx mass_erase (the RDP way) erases what Glint's does
 *   openocd-wrp      flash info's protected sectors are Glint's WRP
 *   openocd-optr     FLASH_OPTR/OBR as OpenOCD reads it is what glint-cli shows
 * One meson test per case and board (CK_RUN_CASE picks the TCase). */
#define G_LOG_DOMAIN "test-l0-conformance"

#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

#define FLASH 0x08000000u
#define EEPROM 0x08080000u

typedef struct {
	const char *board;
	const char *cfg;
	const char *chipid;	/* as st-info prints it */
	const char *flash_size; /* bytes, as st-info prints them */
	guint32 optr;		/* FLASH_OPTR / FLASH_OBR */
	const char *rdp1_line;	/* glint-cli info at level 1 */
} Facts;

static const Facts facts[] = {
    {"nucleo-l053r8", "target/stm32l0.cfg", "0x0417", "65536", 0x4002201Cu, "level 1"},
    {"nucleo-l073rz", "target/stm32l0_dual_bank.cfg", "0x0447", "196608", 0x4002201Cu, "level 1"},
    {"nucleo-l152re", "target/stm32l1x_dual_bank.cfg", "0x0437", "524288", 0x40023C1Cu, "level 1"},
};

static const Facts *
board_of(int i)
{
	return &facts[i];
}

/* glint-usbsim --scenario BOARD:SCENARIO --state STATE -- CMD */
static void
run_on(const char *board, const char *scenario, const char *state, const char *const *cmd,
       RunResult *r)
{
	g_autofree gchar *spec = g_strdup_printf("%s:%s", board, scenario);
	const char *fresh[] = {"--scenario", spec, "--state", state, NULL};
	const char *again[] = {"--state", state, NULL};
	usbsim_run(g_file_test(state, G_FILE_TEST_EXISTS) ? again : fresh, cmd, r);
}

/* @work_area: OpenOCD runs its half-page loader on the emulated core (and
 * logs at -d3); without it, it falls back to writing words */
static void
openocd_run(const Facts *f, const char *scenario, const char *state, const char *const *commands,
	    gboolean work_area, RunResult *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	openocd_argv_for(argv, f->cfg, commands, work_area);
	run_on(f->board, scenario, state, (const char *const *)argv->pdata, r);
}

static void
openocd_on(const Facts *f, const char *scenario, const char *state, const char *const *commands,
	   RunResult *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	openocd_argv_for(argv, f->cfg, commands, FALSE);
	run_on(f->board, scenario, state, (const char *const *)argv->pdata, r);
}

static gchar *
both(const RunResult *r)
{
	return g_strconcat(r->out, r->err, NULL);
}

START_TEST(test_st_info)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *cmd[] = {"st-info", "--probe", NULL};
	g_auto(RunResult) r = {0};

	run_on(f->board, "fresh", state, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, f->chipid) != NULL, "chip id: %s", r.out);
	ck_assert_msg(strstr(r.out, f->flash_size) != NULL, "flash size: %s", r.out);
}
END_TEST

/* st-flash 1.7 writes half-pages (its loader or, where that faults on the
 * M0+, the probe itself); glint-cli reads back what it wrote */
START_TEST(test_st_flash_write)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(4096, 31);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *cli = glint_cli();
	const char *write[] = {"st-flash", "write", img, "0x08001000", NULL};
	const char *read[] = {cli, "read", "0x08001000", "4096", "-o", back, NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	g_autoptr(GlintSim) sim = NULL;

	run_on(f->board, "fresh", state, write, &r1);
	ck_assert_int_eq(r1.status, 0);
	ck_assert_msg(strstr(r1.out, "jolly good") != NULL || strstr(r1.err, "jolly good") != NULL,
		      "st-flash did not verify");
	run_on(f->board, "fresh", state, read, &r2);
	ck_assert_int_eq(r2.status, 0);
	assert_file_equals(back, image);
	sim = load_board(state);
	assert_flash_equals(sim, FLASH + 0x1000, image);
}
END_TEST

START_TEST(test_openocd_write)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(4096, 32);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, FLASH + 0x1000);
	g_autofree gchar *verify_cmd =
	    g_strdup_printf("verify_image %s 0x%08x bin", img, FLASH + 0x1000);
	const char *commands[] = {write_cmd, verify_cmd, NULL};
	g_autofree gchar *cli = glint_cli();
	const char *read[] = {cli, "read", "0x08001000", "4096", "-o", back, NULL};
	g_auto(RunResult) r = {0};
	g_auto(RunResult) rb = {0};
	g_autofree gchar *all = NULL;
	g_autoptr(GlintSim) sim = NULL;

	openocd_run(f, "fresh", state, commands, TRUE, &r);
	all = both(&r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "wrote 4096 bytes") != NULL, "write_image did not report");
	ck_assert_msg(strstr(all, "verified 4096 bytes") != NULL, "verify_image did not pass");
	/* OpenOCD's half-page loader ran on the emulated core to its end */
	ck_assert_msg(strstr(all, "falling back") == NULL, "OpenOCD fell back to the probe");
	sim = load_board(state);
	assert_flash_equals(sim, FLASH + 0x1000, image);
	run_on(f->board, "fresh", state, read, &rb);
	ck_assert_int_eq(rb.status, 0);
	assert_file_equals(back, image);
}
END_TEST

/* stm32lx lock writes RDP level 1 (0x00), effective at the next power-on
 * (each glint-usbsim run is one); unlock regresses it, erasing flash and
 * data EEPROM. Glint sees each as OpenOCD left it. */
START_TEST(test_openocd_lock_unlock)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *lock[] = {"stm32lx lock 0", NULL};
	const char *unlock[] = {"stm32lx unlock 0", NULL};
	g_autofree gchar *cli = glint_cli();
	const char *info[] = {cli, "info", NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};
	g_auto(RunResult) r3 = {0};
	g_auto(RunResult) r4 = {0};
	g_autoptr(GlintSim) sim = NULL;
	guint8 zero[64] = {0}, buf[64];

	openocd_on(f, "eeprom-data", state, lock, &r1);
	ck_assert_int_eq(r1.status, 0);
	run_on(f->board, "eeprom-data", state, info, &r2);
	ck_assert_msg(strstr(r2.out, "Read protection:  level 1 (RDP=0x00)") != NULL, "%s", r2.out);
	openocd_on(f, "eeprom-data", state, unlock, &r3);
	ck_assert_int_eq(r3.status, 0);
	run_on(f->board, "eeprom-data", state, info, &r4);
	ck_assert_msg(strstr(r4.out, "Read protection:  level 0 (RDP=0xAA)") != NULL, "%s", r4.out);
	sim = load_board(state);
	ck_assert(glint_sim_peek(sim, FLASH, buf, 64));
	ck_assert(memcmp(buf, zero, 64) == 0);
	ck_assert(glint_sim_peek(sim, EEPROM, buf, 64));
	ck_assert(memcmp(buf, zero, 64) == 0);
}
END_TEST

/* stm32lx mass_erase: lock, reload, unlock, reload; flash and data EEPROM
 * end up as Glint's mass erase leaves them */
START_TEST(test_openocd_mass_erase)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *mass[] = {"stm32lx mass_erase 0", NULL};
	g_autofree gchar *cli = glint_cli();
	const char *info[] = {cli, "info", NULL};
	g_auto(RunResult) r = {0};
	g_auto(RunResult) ri = {0};
	g_autoptr(GlintSim) sim = NULL;
	guint8 zero[256] = {0}, buf[256];
	g_autofree gchar *all = NULL;

	openocd_on(f, "eeprom-data", state, mass, &r);
	all = both(&r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "mass erase complete") != NULL, "no mass erase");
	sim = load_board(state);
	ck_assert(glint_sim_peek(sim, FLASH, buf, sizeof(buf)));
	ck_assert(memcmp(buf, zero, sizeof(buf)) == 0);
	ck_assert(glint_sim_peek(sim, EEPROM, buf, sizeof(buf)));
	ck_assert(memcmp(buf, zero, sizeof(buf)) == 0);
	run_on(f->board, "eeprom-data", state, info, &ri);
	ck_assert_msg(strstr(ri.out, "level 0 (RDP=0xAA)") != NULL, "%s", ri.out);
}
END_TEST

/* flash info's "protected" sectors are those Glint's WRP covers (sector 0
 * on the wrp scenario) */
START_TEST(test_openocd_wrp)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *commands[] = {"flash info 0", NULL};
	g_autofree gchar *cli = glint_cli();
	const char *info[] = {cli, "info", NULL};
	g_auto(RunResult) r = {0};
	g_auto(RunResult) ri = {0};
	g_autofree gchar *all = NULL;
	guint n_protected = 0;

	openocd_on(f, "wrp", state, commands, &r);
	all = both(&r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "#  0: 0x00000000 (0x1000 4kB) protected") != NULL, "%s", all);
	/* OpenOCD 0.12's stm32lx reads FLASH_WRPR1 alone and shifts it by the
	 * sector number: sectors from 32 on mirror 0-31 (the L1's 64-sector
	 * banks show sector 32 "protected" too), so only 0-31 are compared */
	for (const char *p = all; (p = strstr(p, "\t# ")) != NULL; p++) {
		guint sector = (guint)g_ascii_strtoull(p + 3, NULL, 10);
		const char *eol = strchr(p, '\n');
		const char *prot = strstr(p, ") protected");
		if (sector < 32 && prot != NULL && (eol == NULL || prot < eol))
			n_protected++;
	}
	ck_assert_uint_eq(n_protected, 1);
	run_on(f->board, "wrp", state, info, &ri);
	ck_assert_msg(strstr(ri.out, "(0x08000000-0x08000FFF)") != NULL, "%s", ri.out);
}
END_TEST

/* The option register as OpenOCD reads it (mdw) is what glint-cli shows */
START_TEST(test_openocd_optr)
{
	const Facts *f = board_of(_i);
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autofree gchar *mdw = g_strdup_printf("mdw 0x%08x", f->optr);
	const char *commands[] = {mdw, NULL};
	g_autofree gchar *cli = glint_cli();
	const char *show[] = {cli, "options", "show", NULL};
	g_auto(RunResult) r = {0};
	g_auto(RunResult) rs = {0};
	g_autofree gchar *all = NULL;
	g_autofree gchar *needle = g_strdup_printf("0x%08x: ", f->optr);
	g_autofree gchar *want = NULL;
	const char *p;
	guint32 value;

	openocd_on(f, "rdp1", state, commands, &r);
	all = both(&r);
	ck_assert_int_eq(r.status, 0);
	p = strstr(all, needle);
	ck_assert_msg(p != NULL, "no mdw output: %s", all);
	value = (guint32)g_ascii_strtoull(p + strlen(needle), NULL, 16);
	run_on(f->board, "rdp1", state, show, &rs);
	ck_assert_int_eq(rs.status, 0);
	want = g_strdup_printf("0x%08X", value);
	ck_assert_msg(strstr(rs.out, want) != NULL, "glint shows other option bytes than %s: %s",
		      want, rs.out);
}
END_TEST

/* TCase names must outlive the runner */
static GPtrArray *case_names;

static Suite *
conformance_suite(void)
{
	Suite *s = suite_create("l0-conformance");
	const struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"st-info", test_st_info},
	    {"st-flash-write", test_st_flash_write},
	    {"openocd-write", test_openocd_write},
	    {"openocd-lock", test_openocd_lock_unlock},
	    {"openocd-mass", test_openocd_mass_erase},
	    {"openocd-wrp", test_openocd_wrp},
	    {"openocd-optr", test_openocd_optr},
	};
	for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
		for (guint b = 0; b < G_N_ELEMENTS(facts); b++) {
			gchar *name = g_strdup_printf("%s-%s", cases[c].name, facts[b].board);
			TCase *tc = tcase_create(name);
			g_ptr_array_add(case_names, name);
			tcase_set_timeout(tc, 150);
			tcase_add_loop_test(tc, cases[c].test, b, b + 1);
			suite_add_tcase(s, tc);
		}
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;
	g_autoptr(GError) tmp_error = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

	case_names = names;
	sr = srunner_create(conformance_suite());

	if (!test_tmp_init("glint-l0-conformance-XXXXXX", &tmp_error)) {
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
