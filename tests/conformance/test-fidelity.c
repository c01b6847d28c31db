/* test-fidelity.c: OpenOCD 0.12 against the emulated NUCLEO-L476RG through
 * glint-usbsim, where a real board makes it say something the emulator
 * once kept it from saying (issue 17, items 6-8):
 *
 * - no target, or SWD taken by the firmware: the probe's ENTER fails and
 *   OpenOCD reports "init mode failed (unable to connect to the target)";
 *   connecting under reset still works;
 * - a blank chip: "halt" finds the core in HardFault, locked up, with the
 *   registers OpenOCD prints for a blank STM32;
 * - the peripheral view: registers read their RM0351 reset values, an
 *   unmodelled peripheral reads 0 without an error, a reserved address
 *   is an error, RCC_CSR keeps the reset flags OpenOCD's reset leaves.
 *
 * One meson test per case (CK_RUN_CASE selects it), as in
 * test-conformance.c. */
#define G_LOG_DOMAIN "test-fidelity"

#include <check.h>
#include <string.h>

#include "test-clients.h"
#include "test-tmp.h"

static gchar *
run_openocd(const char *scenario, const char *const *commands, gint *status)
{
	const char *args[] = {"--scenario", scenario, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(RunResult) r = {0};
	openocd_argv_for(argv, "target/stm32l4x.cfg", commands, FALSE);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	*status = r.status;
	return g_strconcat(r.out, r.err, NULL);
}

/* ---- 6: the probe when the target does not answer --------------------- */

static void
check_cannot_connect(const char *scenario)
{
	const char *commands[] = {"mdw 0xE0042000", NULL};
	gint status = 0;
	g_autofree gchar *all = run_openocd(scenario, commands, &status);
	ck_assert_msg(status != 0, "%s: OpenOCD went on", scenario);
	ck_assert_msg(strstr(all, "init mode failed (unable to connect to the target)") != NULL,
		      "%s: no connection error", scenario);
	ck_assert_msg(strstr(all, "0xe0042000:") == NULL, "%s: read a target", scenario);
}

START_TEST(test_openocd_no_target)
{
	check_cannot_connect("no-target");
}
END_TEST

START_TEST(test_openocd_swd_disabled)
{
	check_cannot_connect("swd-disabled");
}
END_TEST

/* The same board under reset: the probe connects while NRST is held */
START_TEST(test_openocd_swd_disabled_under_reset)
{
	const char *args[] = {"--scenario", "swd-disabled", NULL};
	const char *cmd[] = {"openocd",
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
			     "target/stm32l4x.cfg",
			     "-c",
			     "reset_config srst_only srst_nogate connect_assert_srst",
			     "-c",
			     "init",
			     "-c",
			     "reset halt",
			     "-c",
			     "mdw 0xE0042000",
			     "-c",
			     "shutdown",
			     NULL};
	g_auto(RunResult) r = {0};
	g_autofree gchar *all = NULL;
	usbsim_run(args, cmd, &r);
	all = g_strconcat(r.out, r.err, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(all, "init mode failed") == NULL, "connect under reset failed");
	ck_assert_msg(strstr(all, "0xe0042000: 10076415") != NULL, "no IDCODE");
}
END_TEST

/* ---- 7: a blank chip locks up in HardFault ----------------------------- */

START_TEST(test_openocd_blank_chip_halt)
{
	const char *commands[] = {"reg lr", NULL};
	gint status = 0;
	g_autofree gchar *all = run_openocd("fresh", commands, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(all, "current mode: Handler HardFault") != NULL, "not in HardFault");
	ck_assert_msg(strstr(all, "xPSR: 0x01000003 pc: 0xfffffffe msp: 0xffffffd8") != NULL,
		      "not the registers of a locked-up blank chip");
	ck_assert_msg(strstr(all, "lr (/32): 0xfffffff9") != NULL, "no EXC_RETURN in LR");
}
END_TEST

/* ---- 8: the peripheral view -------------------------------------------- */

START_TEST(test_openocd_peripheral_view)
{
	const char *commands[] = {
	    "mdw 0x40021048",	/* RCC_AHB1ENR: FLASHEN */
	    "mdw 0x40021078",	/* RCC_APB1SMENR1 */
	    "mdw 0x40021094",	/* RCC_CSR after power-on */
	    "mdw 0x40000000 4", /* TIM2, not modelled, clock off */
	    "mdw 0x50060800",	/* RNG, not modelled */
	    "reset halt",	/* a software reset (the probe's RESETSYS) */
	    "mdw 0x40021094",	/* RCC_CSR: SFTRSTF added to the power-on flags */
	    "mdw 0x40030000",	/* reserved: an error, and the end of the script */
	    "echo not-reached", NULL};
	gint status = 0;
	g_autofree gchar *all = run_openocd("fresh", commands, &status);
	ck_assert_msg(strstr(all, "0x40021048: 00000100") != NULL, "RCC_AHB1ENR");
	ck_assert_msg(strstr(all, "0x40021078: f2feca3f") != NULL, "RCC_APB1SMENR1");
	ck_assert_msg(strstr(all, "0x40021094: 0c000600") != NULL, "RCC_CSR after power-on");
	ck_assert_msg(strstr(all, "0x40000000: 00000000 00000000 00000000 00000000") != NULL,
		      "TIM2 not readable");
	ck_assert_msg(strstr(all, "0x50060800: 00000000") != NULL, "RNG not readable");
	ck_assert_msg(strstr(all, "0x40021094: 1c000600") != NULL, "RCC_CSR after the reset");
	ck_assert_msg(strstr(all, "not-reached") == NULL, "a reserved address read fine");
	ck_assert_int_ne(status, 0);
}
END_TEST

static Suite *
fidelity_suite(void)
{
	Suite *s = suite_create("fidelity");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"openocd-no-target", test_openocd_no_target},
	    {"openocd-swd-disabled", test_openocd_swd_disabled},
	    {"openocd-swd-disabled-under-reset", test_openocd_swd_disabled_under_reset},
	    {"openocd-blank-chip-halt", test_openocd_blank_chip_halt},
	    {"openocd-peripheral-view", test_openocd_peripheral_view},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 150);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fidelity_suite());
	int failed;
	g_autoptr(GError) tmp_error = NULL;

	if (!test_tmp_init("glint-fidelity-XXXXXX", &tmp_error)) {
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
