/* OpenOCD 0.12 against the emulated NUCLEO-L476RG through glint-usbsim,
 * where Glint issue 17 found the emulator kinder than silicon:
 *
 *   reset halt on RDP 1: the vectors are not fetched (PC 0xFFFFFFFE);
 *   a debugger write to flash with PG set at RDP 1: WRPERR;
 *   BFB2 with a valid bank 2: after reset halt bank 1 is at 0x08000000
 *   (FB_MODE resets to 0), so write_image programs bank 1;
 *   PCROP: option_write cannot clear an area (RM0351 3.5.2).
 *
 * One meson test per case (CK_RUN_CASE picks it). */
#include <check.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

#define FLASH_BASE 0x08000000u
#define SYSCFG_MEMRMP 0x40010000u
#define FLASH_SR 0x40022010u
#define FLASH_SR_WRPERR (1u << 4)
#define FLASH_PCROP1SR 0x40022024u

static gchar *
run_openocd(const char *scenario, const char *state, const char *const *commands)
{
	const char *args[] = {"--scenario", scenario, "--state", state, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(RunResult) r = {0};
	openocd_argv_for(argv, "target/stm32l4x.cfg", commands, FALSE);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	ck_assert_msg(r.status == 0, "openocd exit %d", r.status);
	return g_strconcat(r.out, r.err, NULL);
}

/* The value after "<0xADDR> = 0x" (option_read) or "0xaddr: " (mdw) */
static guint32
value_after(const char *text, const char *marker)
{
	const char *p = strstr(text, marker);
	ck_assert_msg(p != NULL, "no '%s' in the output", marker);
	return (guint32)g_ascii_strtoull(p + strlen(marker), NULL, 16);
}

START_TEST(test_rdp1_reset_halt)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *commands[] = {"reset halt", "reg pc", "catch {mdw 0x08000000}", NULL};
	g_autofree gchar *all = run_openocd("rdp1", state, commands);
	const char *after_reset = strstr(all, "pc (/32): ");
	ck_assert_msg(after_reset != NULL, "no reg pc output");
	/* RM0351 3.5.1: with a debugger the vector fetch hits the protection */
	ck_assert_uint_eq(g_ascii_strtoull(after_reset + strlen("pc (/32): "), NULL, 16),
			  0xFFFFFFFEu);
	ck_assert_msg(strstr(all, "msp: 0xfffffffc") != NULL, "MSP not all ones");
}
END_TEST

START_TEST(test_rdp1_write_raises_wrperr)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *commands[] = {"mww 0x40022008 0x45670123",
				  "mww 0x40022008 0xCDEF89AB",
				  "mww 0x40022014 1",
				  "catch {mww 0x08010000 0x12345678}",
				  "mdw 0x40022010",
				  NULL};
	g_autofree gchar *all = run_openocd("rdp1", state, commands);
	g_autoptr(GlintSim) sim = load_board(state);
	ck_assert_uint_eq(value_after(all, "0x40022010: ") & FLASH_SR_WRPERR, FLASH_SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 0x10000u), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_bfb2_write_image_after_reset_halt)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GBytes) image = test_image(3072, 17);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write_cmd =
	    g_strdup_printf("flash write_image erase %s 0x%08x bin", img, FLASH_BASE);
	g_autofree gchar *verify_cmd =
	    g_strdup_printf("verify_image %s 0x%08x bin", img, FLASH_BASE);
	const char *commands[] = {"reset halt", "mdw 0x40010000", write_cmd, verify_cmd, NULL};
	g_autofree gchar *all = run_openocd("nucleo-l476rg:bfb2-bank2", state, commands);
	g_autoptr(GlintSim) sim = load_board(state);
	/* FB_MODE reads 0 at reset: the bootloader has not run yet */
	ck_assert_uint_eq(value_after(all, "0x40010000: ") & (1u << 8), 0);
	ck_assert_msg(strstr(all, "verified 3072 bytes") != NULL, "verify_image did not pass");
	/* physical bank 1 holds the image (the board boots bank 2 again, so
	 * look with FB_MODE cleared) */
	ck_assert(glint_sim_bus_write(sim, SYSCFG_MEMRMP, 4, 0));
	assert_flash_equals(sim, FLASH_BASE, image);
}
END_TEST

START_TEST(test_pcrop_clear_is_ignored)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *commands[] = {"stm32l4x option_write 0 0x24 0x100 0xffff",
				  "stm32l4x option_write 0 0x28 0x1ff 0xffff",
				  "stm32l4x option_load 0",
				  "stm32l4x option_write 0 0x24 0xffff 0xffff",
				  "stm32l4x option_write 0 0x28 0x0 0xffff",
				  "stm32l4x option_load 0",
				  "stm32l4x option_read 0 0x24",
				  NULL};
	g_autofree gchar *all = run_openocd("fresh", state, commands);
	g_autoptr(GlintSim) sim = load_board(state);
	g_autofree gchar *cli = glint_cli();
	const char *state_args[] = {"--state", state, NULL};
	const char *show[] = {cli, "options", "show", NULL};
	g_auto(RunResult) r = {0};
	/* RM0351 3.5.2: the area stays as it was */
	ck_assert_uint_eq(value_after(all, "<0x40022024> = 0x") & 0xFFFF, 0x0100);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_PCROP1SR) & 0xFFFF, 0x0100);
	/* and Glint reads the same area */
	usbsim_run(state_args, show, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "PCROP1") != NULL && strstr(r.out, "0x08000800") != NULL,
		      "glint-cli options show: %s", r.out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l4-openocd");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"rdp1-reset-halt", test_rdp1_reset_halt},
	    {"rdp1-write-wrperr", test_rdp1_write_raises_wrperr},
	    {"bfb2-write-image", test_bfb2_write_image_after_reset_halt},
	    {"pcrop-clear-ignored", test_pcrop_clear_is_ignored},
	};
	SRunner *sr;
	int failed;
	g_autoptr(GError) tmp_error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 150);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	if (!test_tmp_init("glint-l4-openocd-XXXXXX", &tmp_error)) {
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
