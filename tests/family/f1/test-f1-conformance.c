/* test-f1-conformance.c: OpenOCD 0.12 (target/stm32f[013]x.cfg) and
 * stlink-tools 1.7 against the emulated F0/F1/F3 boards through
 * glint-usbsim, compared with what glint-cli and the board's state say.
 *
 * One meson test per case and board (CK_RUN_CASE picks it). OpenOCD runs
 * with its flash loader (the default work area) on the emulated core,
 * except where a case says otherwise; without a work area it writes
 * half-words with WRITEMEM_16BIT. The clone answers with the SW-DP IDCODE
 * of its Cortex-M3 r2p1, which stm32f1x.cfg refuses unless CPUTAPID is set,
 * as on hardware. */
#define G_LOG_DOMAIN "test-f1-conformance"

#include <check.h>
#include <string.h>

#include "f1-test.h"
#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"

/* OpenOCD 0.12 with the ST-LINK, @cfg, `init; halt`, @commands, shutdown;
 * @cputapid overrides the SW-DP IDCODE the script expects */
static void
openocd_run(const char *state, const char *cfg, const char *cputapid, const char *const *commands,
	    RunResult *r)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *tapid =
	    cputapid != NULL ? g_strdup_printf("set CPUTAPID %s", cputapid) : NULL;
	const char *args[] = {"--state", state, NULL};
	const char *const head[] = {"openocd",
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
				    NULL};

	for (guint i = 0; head[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(head[i]));
	if (tapid != NULL) {
		g_ptr_array_add(argv, g_strdup("-c"));
		g_ptr_array_add(argv, g_strdup(tapid));
	}
	g_ptr_array_add(argv, g_strdup("-f"));
	g_ptr_array_add(argv, g_strdup(cfg));
	g_ptr_array_add(argv, g_strdup("-c"));
	g_ptr_array_add(argv, g_strdup("init"));
	g_ptr_array_add(argv, g_strdup("-c"));
	g_ptr_array_add(argv, g_strdup("halt"));
	for (guint i = 0; commands[i] != NULL; i++) {
		g_ptr_array_add(argv, g_strdup("-c"));
		g_ptr_array_add(argv, g_strdup(commands[i]));
	}
	g_ptr_array_add(argv, g_strdup("-c"));
	g_ptr_array_add(argv, g_strdup("shutdown"));
	g_ptr_array_add(argv, NULL);
	usbsim_run(args, (const char *const *)argv->pdata, r);
}

/* What a run printed, stdout then stderr (OpenOCD reports on stderr) */
static gchar *
all_output(const RunResult *r)
{
	return g_strconcat(r->out != NULL ? r->out : "", r->err != NULL ? r->err : "", NULL);
}

/* glint-cli ARGS... on the board in @state, through glint-usbsim */
static void
cli_run(const char *state, const char *const *cli_args, RunResult *r)
{
	g_autofree gchar *cli = glint_cli();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const char *args[] = {"--state", state, NULL};
	g_ptr_array_add(argv, cli);
	for (guint i = 0; cli_args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)cli_args[i]);
	g_ptr_array_add(argv, NULL);
	usbsim_run(args, (const char *const *)argv->pdata, r);
}

static gchar *
new_state(const F1Board *b, const char *dir)
{
	g_autofree gchar *spec = f1_spec(b, "fresh");
	g_autofree gchar *state = g_build_filename(dir, "board.state", NULL);
	const char *args[] = {"--scenario", spec, "--state", state, NULL};
	const char *cmd[] = {"true", NULL};
	g_auto(RunResult) r = {0};
	usbsim_run(args, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	return g_steal_pointer(&state);
}

/* The hex number after @label in @text */
static guint32
hex_after(const char *text, const char *label)
{
	const char *p = strstr(text, label);
	ck_assert_msg(p != NULL, "no '%s' in: %s", label, text);
	p += strlen(label);
	while (*p == ' ' || *p == '=' || *p == ':')
		p++;
	return (guint32)g_ascii_strtoull(p, NULL, 16);
}

static const F1Board *
board_of_case(void)
{
	const char *name = g_getenv("F1_BOARD");
	ck_assert_msg(name != NULL, "F1_BOARD not set");
	return f1_board(name);
}

/* ---- stlink 1.7 --------------------------------------------------------------- */

START_TEST(test_st_info)
{
	const F1Board *b = board_of_case();
	g_autofree gchar *spec = f1_spec(b, "fresh");
	g_autofree gchar *chipid = g_strdup_printf("0x%04x", b->dev_id);
	g_autofree gchar *flash = g_strdup_printf("%u (pagesize: %u)", b->flash_kb * 1024, b->page);
	const char *args[] = {"--scenario", spec, NULL};
	const char *cmd[] = {"st-info", "--probe", NULL};
	g_auto(RunResult) r = {0};

	usbsim_run(args, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, chipid) != NULL, "chip id %s: %s", chipid, r.out);
	ck_assert_msg(strstr(r.out, flash) != NULL, "flash %s: %s", flash, r.out);
}
END_TEST

/* st-flash writes through its own loader on the emulated core; glint-cli
 * reads back the same bytes */
START_TEST(test_st_flash)
{
	const F1Board *b = board_of_case();
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = new_state(b, dir);
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	g_autoptr(GBytes) image = test_image(5000, 7);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	const char *write_args[] = {"--state", state, NULL};
	const char *write[] = {"st-flash", "write", img, "0x08001000", NULL};
	const char *read[] = {"read", "0x08001000", "5000", "-o", back, NULL};
	g_auto(RunResult) r1 = {0};
	g_auto(RunResult) r2 = {0};

	usbsim_run(write_args, write, &r1);
	ck_assert_int_eq(r1.status, 0);
	cli_run(state, read, &r2);
	ck_assert_int_eq(r2.status, 0);
	assert_file_equals(back, image);
}
END_TEST

/* ---- OpenOCD 0.12 ------------------------------------------------------------------ */

/* glint-cli sets option bytes; OpenOCD writes and verifies an image and
 * reads the option bytes: the same values both ways, and in FLASH_OBR */
static void
check_options_agree(const F1Board *b, const char *state, const char *ocd_out)
{
	const char *show[] = {"options", "show", NULL};
	g_auto(RunResult) r = {0};
	guint32 obr = hex_after(ocd_out, "option byte register");
	guint32 wrpr = hex_after(ocd_out, "write protection register");
	guint32 user = b->line == LINE_F1 ? (obr >> 2) & 0xFF : (obr >> 8) & 0xFF;
	guint32 data = b->line == LINE_F1 ? (obr >> 10) & 0xFFFF : (obr >> 16) & 0xFFFF;
	g_autoptr(GlintSim) sim = load_board(state);
	guint32 loaded = 0;

	cli_run(state, show, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(hex_after(r.out, "USER 0x"), user);
	ck_assert_uint_eq(hex_after(r.out, "DATA 0x"), data);
	ck_assert_uint_eq(hex_after(r.out, "FLASH_WRPR 0x"), wrpr);
	ck_assert_uint_eq(user & 0x2, 0); /* nRST_STOP = 0, as set */
	ck_assert_uint_eq(data, 0x3CFF);  /* Data1 = 0x3C */
	ck_assert_msg(strstr(ocd_out, "read protection: off") != NULL, "%s", ocd_out);
	ck_assert_msg(strstr(ocd_out, "stop mode: reset generated upon entry") != NULL, "%s",
		      ocd_out);
	ck_assert(glint_sim_bus_read(sim, FPEC_OBR, 4, &loaded));
	ck_assert_uint_eq(loaded, obr);
}

START_TEST(test_openocd)
{
	const F1Board *b = board_of_case();
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = new_state(b, dir);
	g_autoptr(GBytes) image = test_image(12000, 8);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write = g_strdup_printf("flash write_image erase %s 0x08000000", img);
	g_autofree gchar *verify = g_strdup_printf("verify_image %s 0x08000000", img);
	/* WRP bit 8: pages far from the image */
	g_autofree gchar *wrp =
	    g_strdup_printf("WRP=%u-%u", 8 * b->pages_per_wrp_bit, 9 * b->pages_per_wrp_bit - 1);
	g_autofree gchar *protected_pages =
	    g_strdup_printf("pages 0-%u", 4 * b->pages_per_wrp_bit - 1);
	const char *set[] = {"options", "set", "nRST_STOP=0", "Data1=0x3C", wrp, "--confirm", NULL};
	const char *first[] = {write, verify, "stm32f1x options_read 0", NULL};
	const char *lock[] = {"stm32f1x lock 0", NULL};
	const char *unlock[] = {"stm32f1x unlock 0", NULL};
	const char *protect[] = {"flash protect 0 0 3 on", NULL};
	const char *info[] = {"info", NULL};
	const char *diagnose[] = {"diagnose", NULL};
	g_autofree gchar *back = g_build_filename(dir, "back.bin", NULL);
	const char *read[] = {"read", "0x08000000", "4096", "-o", back, NULL};
	g_auto(RunResult) r = {0};
	g_autofree gchar *out = NULL;

	cli_run(state, set, &r);
	ck_assert_int_eq(r.status, 0);
	run_result_clear(&r);

	openocd_run(state, b->ocd_cfg, NULL, first, &r);
	ck_assert_int_eq(r.status, 0);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "verified 12000 bytes") != NULL, "%s", out);
	{
		g_autoptr(GlintSim) sim = load_board(state);
		assert_flash_equals(sim, F1_FLASH, image);
	}
	check_options_agree(b, state, out);
	run_result_clear(&r);
	g_clear_pointer(&out, g_free);

	/* lock: RDP level 1 (loaded at the next power-on, which the next run is) */
	openocd_run(state, b->ocd_cfg, NULL, lock, &r);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "stm32x locked") != NULL, "%s", out);
	run_result_clear(&r);
	g_clear_pointer(&out, g_free);
	cli_run(state, info, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "Read protection:  level 1") != NULL, "%s", r.out);
	run_result_clear(&r);

	/* unlock: level 0, the flash erased by the regression */
	openocd_run(state, b->ocd_cfg, NULL, unlock, &r);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "stm32x unlocked") != NULL, "%s", out);
	run_result_clear(&r);
	g_clear_pointer(&out, g_free);
	cli_run(state, info, &r);
	ck_assert_msg(strstr(r.out, "Read protection:  level 0") != NULL, "%s", r.out);
	run_result_clear(&r);
	cli_run(state, read, &r);
	ck_assert_int_eq(r.status, 0);
	{
		g_autofree gchar *bytes = NULL;
		gsize len = 0;
		ck_assert(g_file_get_contents(back, &bytes, &len, NULL));
		ck_assert_uint_eq(len, 4096);
		for (gsize i = 0; i < len; i++)
			ck_assert_uint_eq((guint8)bytes[i], 0xFF);
	}
	run_result_clear(&r);

	/* WRP bits 0-3 by OpenOCD: Glint's diagnosis names the pages they cover */
	openocd_run(state, b->ocd_cfg, NULL, protect, &r);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "set protection for blocks 0 through 3") != NULL, "%s", out);
	g_clear_pointer(&out, g_free);
	run_result_clear(&r);
	cli_run(state, diagnose, &r);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "wrp-active") != NULL, "%s", out);
	ck_assert_msg(strstr(out, protected_pages) != NULL, "%s: %s", protected_pages, out);
}
END_TEST

/* Without a work area OpenOCD programs through 16-bit probe writes */
START_TEST(test_openocd_no_work_area)
{
	const F1Board *b = board_of_case();
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = new_state(b, dir);
	g_autoptr(GBytes) image = test_image(1000, 9);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write = g_strdup_printf("flash write_image erase %s 0x08000400", img);
	g_autofree gchar *verify = g_strdup_printf("verify_image %s 0x08000400", img);
	const char *cmds[] = {write, verify, NULL};
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const char *args[] = {"--state", state, NULL};
	g_auto(RunResult) r = {0};
	g_autofree gchar *out = NULL;

	openocd_argv_for(argv, b->ocd_cfg, cmds, FALSE);
	usbsim_run(args, (const char *const *)argv->pdata, &r);
	ck_assert_int_eq(r.status, 0);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "verified 1000 bytes") != NULL, "%s", out);
	{
		g_autoptr(GlintSim) sim = load_board(state);
		assert_flash_equals(sim, F1_FLASH + 0x400, image);
	}
}
END_TEST

/* The clone: stm32f1x.cfg expects ST's SW-DP IDCODE and stops, as on
 * hardware; told the clone's, OpenOCD programs and verifies */
START_TEST(test_openocd_clone)
{
	const F1Board *b = f1_board("bluepill-cks32f103c8");
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = new_state(b, dir);
	g_autoptr(GBytes) image = test_image(6000, 10);
	g_autofree gchar *img = write_image(dir, "image.bin", image);
	g_autofree gchar *write = g_strdup_printf("flash write_image erase %s 0x08000000", img);
	g_autofree gchar *verify = g_strdup_printf("verify_image %s 0x08000000", img);
	const char *cmds[] = {write, verify, NULL};
	g_auto(RunResult) refused = {0};
	g_auto(RunResult) r = {0};
	g_autofree gchar *out = NULL;

	openocd_run(state, b->ocd_cfg, NULL, cmds, &refused);
	ck_assert_msg(strstr(refused.err, "UNEXPECTED idcode: 0x2ba01477") != NULL, "%s",
		      refused.err);
	openocd_run(state, b->ocd_cfg, "0x2ba01477", cmds, &r);
	ck_assert_int_eq(r.status, 0);
	out = all_output(&r);
	ck_assert_msg(strstr(out, "Cortex-M3 r2p1") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "verified 6000 bytes") != NULL, "%s", out);
	{
		g_autoptr(GlintSim) sim = load_board(state);
		assert_flash_equals(sim, F1_FLASH, image);
	}
}
END_TEST

static Suite *
conformance_suite(void)
{
	Suite *s = suite_create("f1-conformance");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"st-info", test_st_info},
	    {"st-flash", test_st_flash},
	    {"openocd", test_openocd},
	    {"openocd-no-work-area", test_openocd_no_work_area},
	    {"openocd-clone", test_openocd_clone},
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

	if (!test_tmp_init("glint-f1-conformance-XXXXXX", &tmp_error)) {
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
