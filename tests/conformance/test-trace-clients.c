/* test-trace-clients.c: SWO and RTT through glint-usbsim as programs nobody
 * here wrote see them. The board runs the trace tests' firmware
 * (tests/firmware/trace-test); OpenOCD 0.12's TPIU/ITM capture writes the
 * raw SWO bytes to a file, which must be exactly the packets the firmware's
 * stores make (through every probe generation's trace endpoint: 0x83 on a
 * V2, 0x82 of 32 bytes on a V2-1, 0x82 on a V3); stlink's st-trace prints
 * port 0's text; glint-cli over real libusb reads the same SWO text and
 * RTT lines as through the in-process link.
 *
 * One meson test per case (CK_RUN_CASE). Neither OpenOCD nor st-trace has
 * a capture length: a shell beside them watches their output grow to what
 * the firmware sends (or a minute to pass), then ends them with SIGTERM
 * (a background job of a script ignores SIGINT). glint-cli is run the same
 * way, without --seconds: over real USB its device time is the host's, and
 * a loaded host makes a second short. */
#define G_LOG_DOMAIN "test-trace-clients"

#include <check.h>
#include <string.h>

#include "glint-sim.h"
#include "test-clients.h"
#include "test-tmp.h"
#include "trace-test-image.h"
#include "trace-test.h"

#define FLASH_BASE 0x08000000u
/* Runs "$@" in the background until @file holds @size bytes (at most a
 * minute), then sends it SIGTERM and waits for it */
#define CAPTURE_UNTIL_SCRIPT                                                                       \
	"file=$1; size=$2; shift 2; \"$@\" & pid=$!; i=0; "                                        \
	"have() { [ \"$(stat -c %s \"$file\" 2>/dev/null || echo 0)\" -ge \"$size\" ]; }; "        \
	"while ! have && [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do "                          \
	"sleep 0.1; i=$((i + 1)); done; "                                                          \
	"have; got=$?; kill -TERM $pid 2>/dev/null; wait $pid; "                                   \
	"[ $got -eq 0 ] || echo \"$file: not $size bytes while it ran\" >&2; exit $got"

static void
capture_until(const char *state, const char *kind, const char *file, gsize size,
	      const char *const *cmd, RunResult *r)
{
	const char *args[] = {"--state", state, "--kind", kind, NULL};
	g_autofree gchar *size_text = g_strdup_printf("%" G_GSIZE_FORMAT, size);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (gpointer) "sh");
	g_ptr_array_add(argv, (gpointer) "-c");
	g_ptr_array_add(argv, (gpointer)CAPTURE_UNTIL_SCRIPT);
	g_ptr_array_add(argv, (gpointer) "capture");
	g_ptr_array_add(argv, (gpointer)file);
	g_ptr_array_add(argv, (gpointer)size_text);
	for (guint i = 0; cmd[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)cmd[i]);
	g_ptr_array_add(argv, NULL);
	usbsim_run(args, (const char *const *)argv->pdata, r);
}

/* A board state holding the trace tests' firmware */
static gchar *
trace_board_of(const char *dir, const char *spec)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new(spec, &error);
	gchar *state = g_build_filename(dir, "board.state", NULL);
	ck_assert_msg(sim != NULL, "%s", error ? error->message : "?");
	ck_assert(glint_sim_poke(sim, FLASH_BASE, tt_firmware_image, sizeof(tt_firmware_image)));
	ck_assert_msg(glint_sim_save_state(sim, state, &error), "%s", error ? error->message : "?");
	return state;
}

static gchar *
trace_board(const char *dir)
{
	return trace_board_of(dir, "fresh");
}

/* The SWO bytes the firmware's ITM stores make, without timestamps */
static GByteArray *
trace_stream(void)
{
	static const char text[] = TT_ITM_TEXT;
	static const guint16 halfwords[] = TT_ITM_HALFWORDS;
	static const guint32 words[] = TT_ITM_WORDS;
	GByteArray *a = g_byte_array_new();
	for (guint i = 0; i < sizeof(text) - 1; i++) {
		guint8 p[] = {0x01, (guint8)text[i]};
		g_byte_array_append(a, p, sizeof(p));
	}
	for (guint i = 0; i < G_N_ELEMENTS(halfwords); i++) {
		guint8 p[] = {0x0A, (guint8)halfwords[i], (guint8)(halfwords[i] >> 8)};
		g_byte_array_append(a, p, sizeof(p));
	}
	for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
		guint8 p[] = {0x13, (guint8)words[i], (guint8)(words[i] >> 8),
			      (guint8)(words[i] >> 16), (guint8)(words[i] >> 24)};
		g_byte_array_append(a, p, sizeof(p));
	}
	for (guint i = 0; i < 256; i++) {
		guint8 p[] = {0x19, (guint8)i};
		g_byte_array_append(a, p, sizeof(p));
	}
	{
		guint8 p[] = {0xF9, TT_ITM_LAST};
		g_byte_array_append(a, p, sizeof(p));
	}
	return a;
}

/* OpenOCD 0.12 as its manual shows SWO capture (TPIU, then ITM ports);
 * init leaves the firmware running. Until SIGINT ends it. */
static void
openocd_swo(const char *kind)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = trace_board(dir);
	g_autofree gchar *out = g_build_filename(dir, "swo.bin", NULL);
	g_autofree gchar *tpiu =
	    g_strdup_printf("stm32l4x.tpiu configure -protocol uart -output %s "
			    "-traceclk 4000000 -pin-freq 2000000 -formatter 0",
			    out);
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
			     "init",
			     "-c",
			     tpiu,
			     "-c",
			     "stm32l4x.tpiu enable",
			     "-c",
			     "itm ports on",
			     NULL};
	g_autoptr(GByteArray) want = trace_stream();
	g_autofree gchar *got = NULL;
	g_auto(RunResult) r = {0};
	gsize len = 0;

	capture_until(state, kind, out, want->len, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(g_file_get_contents(out, &got, &len, NULL), "OpenOCD wrote no %s", out);
	ck_assert_msg(len == want->len, "%s: OpenOCD captured %zu bytes, the firmware sent %u",
		      kind, len, want->len);
	ck_assert_msg(memcmp(got, want->data, len) == 0, "%s: the bytes differ", kind);
}

START_TEST(test_openocd_swo)
{
	openocd_swo("v2");
	openocd_swo("v2-1");
	openocd_swo("v3");
}
END_TEST

/* The STM32H7 through OpenOCD 0.12: its stm32h7x.cfg creates the
 * stm32h7x.swo object (the SWO unit at 0xE00E3000 on AP2) only for
 * adapters that are not HLA, and the emulator speaks only HLA (it has no
 * stlink-dap): here, as a local configuration would, the SWO unit is
 * created at its system-bus address 0x5C003000 through AP0, and the SWO
 * unit and funnel locks (CoreSight LAR) are opened before `enable`
 * (OpenOCD writes SWTF_CTRL from its examine-end handler without opening
 * the funnel's lock, so the port is enabled again here); the cfg sets
 * DBGMCU_CR's trace clocks itself. The H743 runs from its 64 MHz HSI. */
START_TEST(test_openocd_swo_h7)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = trace_board_of(dir, "nucleo-h743zi:fresh");
	g_autofree gchar *out = g_build_filename(dir, "swo.bin", NULL);
	g_autofree gchar *swo = g_strdup_printf("stm32h7x.swo configure -protocol uart -output %s "
						"-traceclk 64000000 -pin-freq 2000000 -formatter 0",
						out);
	const char *cmd[] = {
	    "openocd",
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
	    "target/stm32h7x.cfg",
	    "-c",
	    "swo create stm32h7x.swo -dap stm32h7x.dap -ap-num 0 -baseaddr 0x5C003000",
	    "-c",
	    "init",
	    "-c",
	    "mww 0x5C003FB0 0xC5ACCE55",
	    "-c",
	    "mww 0x5C004FB0 0xC5ACCE55",
	    "-c",
	    "mmw 0x5C004000 1 0",
	    "-c",
	    swo,
	    "-c",
	    "stm32h7x.swo enable",
	    "-c",
	    "itm ports on",
	    NULL};
	g_autoptr(GByteArray) want = trace_stream();
	g_autofree gchar *got = NULL;
	g_auto(RunResult) r = {0};
	gsize len = 0;

	capture_until(state, "v2", out, want->len, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(g_file_get_contents(out, &got, &len, NULL), "OpenOCD wrote no %s", out);
	ck_assert_msg(len == want->len, "OpenOCD captured %zu bytes, the firmware sent %u", len,
		      want->len);
	ck_assert_msg(memcmp(got, want->data, len) == 0, "the bytes differ");
}
END_TEST

/* stlink 1.7's st-trace sets the chip up itself (core clock given in MHz)
 * and prints the 1-byte packets of port 0 */
START_TEST(test_st_trace)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = trace_board(dir);
	g_autofree gchar *out = g_build_filename(dir, "st-trace.out", NULL);
	g_autofree gchar *redirect =
	    g_strdup_printf("exec st-trace --clock=4 --trace=2000000 >%s", out);
	const char *cmd[] = {"sh", "-c", redirect, NULL};
	g_autofree gchar *got = NULL;
	g_auto(RunResult) r = {0};

	capture_until(state, "v2", out, strlen(TT_ITM_TEXT), cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(g_file_get_contents(out, &got, NULL, NULL), "st-trace printed nothing");
	ck_assert_str_eq(got, TT_ITM_TEXT);
}
END_TEST

/* glint-cli over real libusb: the trace endpoint and RTT in RAM (the core
 * clock given: measured against a loaded host's clock it may be refused) */
START_TEST(test_glint_cli_swo_usb)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = trace_board(dir);
	g_autofree gchar *cli = glint_cli();
	g_autofree gchar *out = g_build_filename(dir, "swo.out", NULL);
	g_autofree gchar *script =
	    g_strdup_printf("exec \"$0\" swo --port 0 --clock 4000000 >%s", out);
	const char *cmd[] = {"sh", "-c", script, cli, NULL};
	g_autofree gchar *got = NULL;
	g_auto(RunResult) r = {0};

	capture_until(state, "v2", out, strlen(TT_ITM_TEXT), cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(g_file_get_contents(out, &got, NULL, NULL), "glint-cli printed nothing");
	ck_assert_str_eq(got, TT_ITM_TEXT);
}
END_TEST

START_TEST(test_glint_cli_rtt_usb)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *state = trace_board(dir);
	g_autofree gchar *cli = glint_cli();
	g_autofree gchar *out = g_build_filename(dir, "rtt.out", NULL);
	g_autofree gchar *script = g_strdup_printf("exec \"$0\" rtt </dev/null >%s", out);
	const char *cmd[] = {"sh", "-c", script, cli, NULL};
	g_autoptr(GString) want = g_string_new(NULL);
	g_autofree gchar *got = NULL;
	g_auto(RunResult) r = {0};

	for (guint i = 0; i < TT_RTT_LINES; i++)
		g_string_append_printf(want, TT_RTT_LINE_HEAD "%02u" TT_RTT_LINE_TAIL, i);
	capture_until(state, "v2", out, want->len, cmd, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(g_file_get_contents(out, &got, NULL, NULL), "glint-cli printed nothing");
	ck_assert_str_eq(got, want->str);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("trace-clients");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"openocd-swo", test_openocd_swo},
	    {"openocd-swo-h7", test_openocd_swo_h7},
	    {"st-trace", test_st_trace},
	    {"glint-cli-swo-usb", test_glint_cli_swo_usb},
	    {"glint-cli-rtt-usb", test_glint_cli_rtt_usb},
	};
	SRunner *sr;
	g_autoptr(GError) tmp_error = NULL;
	int failed;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 150);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	if (!test_tmp_init("glint-trace-clients-XXXXXX", &tmp_error)) {
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
