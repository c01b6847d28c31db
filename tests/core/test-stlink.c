/* test-stlink.c: the ST-LINK protocol client against a scripted transport.
 *
 * Every test scripts the exact bytes a correct host sends (layouts from the
 * reference, sections 2 and 7.3) so that a wrong byte, a missing status read
 * or an extra command fails the test. */
#define G_LOG_DOMAIN "test-stlink"

#include <check.h>
#include <math.h>
#include <string.h>

#include "fake-transport.h"
#include "glint-error.h"
#include "glint-stlink.h"

#define SRAM 0x20000000u

/* ---- script helpers ------------------------------------------------- */

static void
assert_script_done(GlintTransport *t)
{
	const char *failure = fake_transport_get_failure(t);
	ck_assert_msg(failure == NULL, "script mismatch: %s", failure);
	ck_assert_uint_eq(fake_transport_get_remaining(t), 0);
}

#define assert_ok(ok, error)                                                                       \
	ck_assert_msg((ok) && (error) == NULL, "unexpected failure: %s",                           \
		      (error) != NULL ? (error)->message : "(no GError)")

#define assert_error(ok, error, want)                                                              \
	do {                                                                                       \
		ck_assert(!(ok));                                                                  \
		ck_assert_msg((error) != NULL, "failed without a GError");                         \
		ck_assert_msg(g_error_matches((error), GLINT_ERROR, (want)),                       \
			      "expected %s, got %s: %s", glint_error_code_to_string(want),         \
			      glint_error_code_to_string((error)->code), (error)->message);        \
	} while (0)

#define assert_message_has(error, needle)                                                          \
	ck_assert_msg(strstr((error)->message, (needle)) != NULL, "'%s' not in: %s", (needle),     \
		      (error)->message)

static void
put_le32(guint8 *p, guint32 v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = v >> 24;
}

/* What memory holds at @addr in these tests: easy to tell apart per byte. */
static guint8
pattern(guint32 addr)
{
	return (guint8)((addr * 7u) ^ (addr >> 8) ^ (addr >> 16));
}

static void
fill_pattern(guint8 *buf, guint32 addr, gsize len)
{
	for (gsize i = 0; i < len; i++)
		buf[i] = pattern(addr + (guint32)i);
}

static void
expect_rw_status(GlintTransport *t, guint8 status, guint32 fault_addr)
{
	guint8 reply[12] = {status, 0};
	put_le32(reply + 4, fault_addr);
	fake_transport_expect(t, FT_BYTES(0xF2, 0x3E), NULL, 0, reply, sizeof(reply));
}

static void
mem_cmd(guint8 *cmd, guint8 sub, guint32 addr, guint16 len)
{
	memset(cmd, 0, 16);
	cmd[0] = 0xF2;
	cmd[1] = sub;
	put_le32(cmd + 2, addr);
	cmd[6] = len & 0xFF;
	cmd[7] = len >> 8;
}

/* A read of @len bytes returning the pattern, followed by status @status. */
static void
expect_read(GlintTransport *t, guint8 sub, guint32 addr, guint16 len, guint8 status, guint32 fault)
{
	guint8 cmd[16];
	g_autofree guint8 *data = g_malloc(MAX(len, 2));

	mem_cmd(cmd, sub, addr, len);
	fill_pattern(data, addr, len);
	if (sub == 0x0C && len == 1) {
		/* The probe sends two bytes for a 1-byte 8-bit read; the second
		 * must never reach the caller's buffer. */
		data[1] = 0xEE;
		fake_transport_expect(t, cmd, 16, NULL, 0, data, 2);
	} else {
		fake_transport_expect(t, cmd, 16, NULL, 0, data, len);
	}
	expect_rw_status(t, status, fault);
}

static void
expect_write(GlintTransport *t, guint8 sub, guint32 addr, guint16 len, guint8 status)
{
	guint8 cmd[16];
	g_autofree guint8 *data = g_malloc(len);

	mem_cmd(cmd, sub, addr, len);
	fill_pattern(data, addr, len);
	fake_transport_expect(t, cmd, 16, data, len, NULL, 0);
	expect_rw_status(t, status, 0);
}

/* GET_VERSION V2J37S7 on a V2 dongle, then GET_CURRENT_MODE: mass storage. */
static void
script_open_v2(GlintTransport *t)
{
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x29, 0x47, 0x83, 0x04, 0x48, 0x37));
	fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(0x01, 0x00));
}

/* V3J7M3B5S1 on PID 0x3753 (reference 2.3). */
static void
script_open_v3(GlintTransport *t)
{
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x30, 0x00, 0x83, 0x04, 0x53, 0x37));
	fake_transport_expect(
	    t, FT_BYTES(0xFB), NULL, 0,
	    FT_BYTES(0x03, 0x01, 0x07, 0x03, 0x05, 0x00, 0x00, 0x00, 0x83, 0x04, 0x53, 0x37));
	fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(0x01, 0x00));
}

static GlintStlink *
open_scripted(GlintTransport *t, void (*script)(GlintTransport *))
{
	g_autoptr(GError) error = NULL;
	GlintStlink *stlink = glint_stlink_new(t);
	gboolean ok;

	script(t);
	ok = glint_stlink_open(stlink, &error);
	assert_ok(ok, error);
	assert_script_done(t);
	return stlink;
}

/* Records the back-off pauses instead of sleeping. */
static void
record_sleep(gulong usec, gpointer user_data)
{
	g_array_append_val((GArray *)user_data, usec);
}

/* ---- version and modes ---------------------------------------------- */

START_TEST(test_version_v2)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	const GlintStlinkVersion *v = glint_stlink_get_version(stlink);
	g_autofree gchar *str = glint_stlink_version_to_string(v);

	ck_assert_uint_eq(v->hw, 2);
	ck_assert_uint_eq(v->jtag, 37);
	ck_assert_uint_eq(v->swim, 7);
	ck_assert_uint_eq(v->msd, 0);
	ck_assert_uint_eq(v->vid, 0x0483);
	ck_assert_uint_eq(v->pid, 0x3748);
	ck_assert_uint_eq(v->api, 2);
	ck_assert_str_eq(str, "V2J37S7");
	ck_assert_uint_eq(glint_stlink_get_command_count(stlink), 2);
}
END_TEST

START_TEST(test_version_v2_1)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *str = NULL;
	const GlintStlinkVersion *v;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x29, 0x5A, 0x83, 0x04, 0x4B, 0x37));
	fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(0x01, 0x00));
	ok = glint_stlink_open(stlink, &error);
	assert_ok(ok, error);
	assert_script_done(t);
	v = glint_stlink_get_version(stlink);
	ck_assert_uint_eq(v->jtag, 37);
	ck_assert_uint_eq(v->msd, 26);
	ck_assert_uint_eq(v->swim, 0);
	ck_assert_uint_eq(v->pid, 0x374B);
	str = glint_stlink_version_to_string(v);
	ck_assert_str_eq(str, "V2J37M26");
}
END_TEST

START_TEST(test_version_v3)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v3);
	const GlintStlinkVersion *v = glint_stlink_get_version(stlink);
	g_autofree gchar *str = glint_stlink_version_to_string(v);

	ck_assert_uint_eq(v->hw, 3);
	ck_assert_uint_eq(v->jtag, 7);
	ck_assert_uint_eq(v->swim, 1);
	ck_assert_uint_eq(v->msd, 3);
	ck_assert_uint_eq(v->bridge, 5);
	ck_assert_uint_eq(v->pid, 0x3753);
	ck_assert_uint_eq(v->api, 3);
	ck_assert_str_eq(str, "V3J7M3B5S1");
}
END_TEST

START_TEST(test_version_v1_refused)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* V1J11: 0x1000 | 11 << 6 = 0x12C0, PID 0x3744. Nothing may follow. */
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x12, 0xC0, 0x83, 0x04, 0x44, 0x37));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_UNSUPPORTED);
	assert_message_has(error, "V1");
	assert_script_done(t);
}
END_TEST

START_TEST(test_version_j14_refused)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* V2J14S0: 0x2000 | 14 << 6 = 0x2380. */
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x23, 0x80, 0x83, 0x04, 0x48, 0x37));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_FIRMWARE_TOO_OLD);
	assert_message_has(error, "V2J14S0");
	assert_message_has(error, "V2J15");
	assert_message_has(error, "STM32CubeProgrammer");
	assert_script_done(t);
}
END_TEST

START_TEST(test_version_j15_accepted)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* V2J15S0, the oldest accepted: 0x2000 | 15 << 6 = 0x23C0. */
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x23, 0xC0, 0x83, 0x04, 0x48, 0x37));
	fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(0x01, 0x00));
	ok = glint_stlink_open(stlink, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(glint_stlink_get_version(stlink)->jtag, 15);
	assert_script_done(t);
}
END_TEST

START_TEST(test_version_stm8_board_refused)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* V2-1 fields 20 and 7: OpenOCD reads this as an STM8 board (M20 S7). */
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x25, 0x07, 0x83, 0x04, 0x4B, 0x37));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_UNSUPPORTED);
	assert_message_has(error, "STM8");
	ck_assert_uint_eq(glint_stlink_get_version(stlink)->msd, 20);
	ck_assert_uint_eq(glint_stlink_get_version(stlink)->swim, 7);
	assert_script_done(t);
}
END_TEST

START_TEST(test_version_garbage)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x00, 0x00, 0x00, 0x00, 0x00, 0x00));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_script_done(t);
}
END_TEST

START_TEST(test_version_v3_ex_garbage)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* GET_VERSION says V3, GET_VERSION_EX then claims generation 0. */
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x30, 0x00, 0x83, 0x04, 0x4F, 0x37));
	fake_transport_expect(t, FT_BYTES(0xFB), NULL, 0,
			      FT_BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_script_done(t);
}
END_TEST

START_TEST(test_version_unknown_generation)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* Generation 7 with J5: no V3 extended query, refused by name. */
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x71, 0x40, 0x83, 0x04, 0x57, 0x37));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_UNSUPPORTED);
	assert_message_has(error, "generation 7");
	assert_script_done(t);
}
END_TEST

/* GET_VERSION with every byte complemented, as a link that garbles a reply
 * delivers it: generation 13 is not an unknown probe but a reply that
 * cannot be right (its vendor id is not ST's). */
START_TEST(test_version_garbled_is_probe_error)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0xD6, 0xB8, 0x7C, 0xFB, 0xB7, 0xC8));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_message_has(error, "replug");
	ck_assert_msg(strstr(error->message, "unknown ST-LINK generation") == NULL, "%s",
		      error->message);
	assert_script_done(t);
}
END_TEST

/* The same for GET_VERSION_EX of a V3. */
START_TEST(test_version_ex_garbled_is_probe_error)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x30, 0x00, 0x83, 0x04, 0x53, 0x37));
	fake_transport_expect(
	    t, FT_BYTES(0xFB), NULL, 0,
	    FT_BYTES(0xFC, 0xFE, 0xF8, 0xFC, 0xFA, 0xFF, 0xFF, 0xFF, 0x7C, 0xFB, 0xAC, 0xC8));
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_message_has(error, "replug");
	assert_script_done(t);
}
END_TEST

/* Each non-idle mode is left with its own exit command, which has no reply. */
START_TEST(test_open_leaves_mode)
{
	static const struct {
		guint8 mode;
		guint8 exit_cmd[2];
	} cases[] = {
	    {0x00, {0xF3, 0x07}}, /* DFU */
	    {0x02, {0xF2, 0x21}}, /* DEBUG */
	    {0x03, {0xF4, 0x01}}, /* SWIM */
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GlintTransport) t = fake_transport_new();
		g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
		g_autoptr(GError) error = NULL;
		gboolean ok;

		fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
				      FT_BYTES(0x29, 0x47, 0x83, 0x04, 0x48, 0x37));
		fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(cases[i].mode, 0x00));
		fake_transport_expect(t, cases[i].exit_cmd, 2, NULL, 0, NULL, 0);
		ok = glint_stlink_open(stlink, &error);
		assert_ok(ok, error);
		assert_script_done(t);
		ck_assert_uint_eq(glint_stlink_get_command_count(stlink), 3);
	}
}
END_TEST

START_TEST(test_not_opened)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	guint8 buf[4];
	gboolean ok;

	ok = glint_stlink_read_mem(stlink, SRAM, buf, sizeof(buf), &error);
	assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_uint_eq(fake_transport_get_received(t), 0);
}
END_TEST

/* ---- probe-level commands ------------------------------------------- */

START_TEST(test_voltage)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	gdouble volts = 0;
	gboolean ok;

	/* a0 = 1500, a1 = 2063: the reference's 3.30 V example. */
	fake_transport_expect(t, FT_BYTES(0xF7), NULL, 0,
			      FT_BYTES(0xDC, 0x05, 0x00, 0x00, 0x0F, 0x08, 0x00, 0x00));
	ok = glint_stlink_get_target_voltage(stlink, &volts, &error);
	assert_ok(ok, error);
	ck_assert_msg(fabs(volts - 3.3008) < 0.0005, "volts = %f", volts);

	/* Reference reading 1000, target 500: 2 * 1.2 * 0.5 = 1.2 V. */
	fake_transport_expect(t, FT_BYTES(0xF7), NULL, 0,
			      FT_BYTES(0xE8, 0x03, 0x00, 0x00, 0xF4, 0x01, 0x00, 0x00));
	ok = glint_stlink_get_target_voltage(stlink, &volts, &error);
	assert_ok(ok, error);
	ck_assert_msg(fabs(volts - 1.2) < 1e-9, "volts = %f", volts);
	assert_script_done(t);
}
END_TEST

START_TEST(test_voltage_unavailable)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	gdouble volts = -1;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF7), NULL, 0, FT_BYTES(0, 0, 0, 0, 0, 0, 0, 0));
	ok = glint_stlink_get_target_voltage(stlink, &volts, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_message_has(error, "voltage not available");
	ck_assert(volts == -1);
	assert_script_done(t);
}
END_TEST

/* A garbled reply must not pass for a reading: no ST-LINK target runs on
 * more than 5.5 V, so anything above is the probe talking nonsense. */
START_TEST(test_voltage_implausible)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	gdouble volts = -1;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF7), NULL, 0,
			      FT_BYTES(0x23, 0xFA, 0xFF, 0xFF, 0xF0, 0xF7, 0xFF, 0xFF));
	ok = glint_stlink_get_target_voltage(stlink, &volts, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_message_has(error, "implausible");
	ck_assert(volts == -1);
	assert_script_done(t);
}
END_TEST

START_TEST(test_swd_freq_v2_divisors)
{
	static const struct {
		guint request;
		guint actual;
		guint16 divisor;
	} cases[] = {
	    {100000, 4000, 0}, {4000, 4000, 0}, {3999, 1800, 1}, {1800, 1800, 1}, {1000, 950, 3},
	    {500, 480, 7},     {101, 100, 40},	{100, 100, 40},	 {24, 15, 265},	  {5, 5, 798},
	};
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint actual = 0;
		gboolean ok;

		fake_transport_expect(
		    t, FT_BYTES(0xF2, 0x43, cases[i].divisor & 0xFF, cases[i].divisor >> 8), NULL,
		    0, FT_BYTES(0x80, 0x00));
		ok = glint_stlink_set_swd_freq(stlink, cases[i].request, &actual, &error);
		assert_ok(ok, error);
		ck_assert_uint_eq(actual, cases[i].actual);
		assert_script_done(t);
	}
}
END_TEST

START_TEST(test_swd_freq_v2_too_slow)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	guint before = fake_transport_get_received(t);
	gboolean ok;

	ok = glint_stlink_set_swd_freq(stlink, 4, NULL, &error);
	assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	assert_message_has(error, "5 kHz");
	ck_assert_uint_eq(fake_transport_get_received(t), before);
}
END_TEST

/* V2J21S4: SWD_SET_FREQ arrived in J22; nothing may be sent. */
static void
script_open_v2j21(GlintTransport *t)
{
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x25, 0x44, 0x83, 0x04, 0x48, 0x37));
	fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(0x01, 0x00));
}

START_TEST(test_swd_freq_needs_j22)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2j21);
	g_autoptr(GError) error = NULL;
	guint before = fake_transport_get_received(t);
	gboolean ok;

	ok = glint_stlink_set_swd_freq(stlink, 1800, NULL, &error);
	assert_error(ok, error, GLINT_ERROR_FIRMWARE_TOO_OLD);
	assert_message_has(error, "V2J22");
	assert_message_has(error, "V2J21S4");
	ck_assert_uint_eq(fake_transport_get_received(t), before);
}
END_TEST

START_TEST(test_swd_freq_v3)
{
	static const guint list[] = {24000, 8000, 3300, 1000, 200, 50, 5};
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v3);
	g_autoptr(GError) error = NULL;
	guint8 reply[52] = {0x80};
	guint actual = 0;
	gboolean ok;

	put_le32(reply + 4, 1800);
	reply[8] = G_N_ELEMENTS(list);
	for (guint i = 0; i < G_N_ELEMENTS(list); i++)
		put_le32(reply + 12 + 4 * i, list[i]);
	fake_transport_expect(t, FT_BYTES(0xF2, 0x62, 0x00), NULL, 0, reply, sizeof(reply));
	/* 4000 requested: 3300 is the highest listed not above it. */
	fake_transport_expect(t, FT_BYTES(0xF2, 0x61, 0x00, 0x00, 0xE4, 0x0C, 0x00, 0x00), NULL, 0,
			      FT_BYTES(0x80, 0x00, 0x00, 0x00, 0xE4, 0x0C, 0x00, 0x00));
	ok = glint_stlink_set_swd_freq(stlink, 4000, &actual, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(actual, 3300);
	assert_script_done(t);

	/* Below the slowest listed: refused after reading the list. */
	fake_transport_expect(t, FT_BYTES(0xF2, 0x62, 0x00), NULL, 0, reply, sizeof(reply));
	ok = glint_stlink_set_swd_freq(stlink, 4, &actual, &error);
	assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	assert_message_has(error, "5 kHz");
	assert_script_done(t);
}
END_TEST

START_TEST(test_swd_freq_v3_garbage_list)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v3);
	g_autoptr(GError) error = NULL;
	guint8 reply[52] = {0x80};
	gboolean ok;

	reply[8] = 200; /* more entries than the 52-byte reply can hold */
	fake_transport_expect(t, FT_BYTES(0xF2, 0x62, 0x00), NULL, 0, reply, sizeof(reply));
	ok = glint_stlink_set_swd_freq(stlink, 4000, NULL, &error);
	assert_error(ok, error, GLINT_ERROR_PROBE);
	assert_script_done(t);
}
END_TEST

START_TEST(test_debug_primitives)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	guint32 value = 0;
	gboolean ok;

	fake_transport_expect(t, FT_BYTES(0xF2, 0x30, 0xA3), NULL, 0, FT_BYTES(0x80, 0x00));
	ok = glint_stlink_enter_swd(stlink, &error);
	assert_ok(ok, error);

	fake_transport_expect(t, FT_BYTES(0xF2, 0x31), NULL, 0,
			      FT_BYTES(0x80, 0, 0, 0, 0x77, 0x14, 0xA0, 0x1B, 0, 0, 0, 0));
	ok = glint_stlink_read_idcode(stlink, &value, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(value, 0x1BA01477);

	/* DHCSR read and the halt write (reference 3.6). */
	fake_transport_expect(t, FT_BYTES(0xF2, 0x36, 0xF0, 0xED, 0x00, 0xE0), NULL, 0,
			      FT_BYTES(0x80, 0, 0, 0, 0x03, 0x00, 0x03, 0x01));
	ok = glint_stlink_read32(stlink, 0xE000EDF0, &value, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(value, 0x01030003);
	fake_transport_expect(t,
			      FT_BYTES(0xF2, 0x35, 0xF0, 0xED, 0x00, 0xE0, 0x03, 0x00, 0x5F, 0xA0),
			      NULL, 0, FT_BYTES(0x80, 0x00));
	ok = glint_stlink_write32(stlink, 0xE000EDF0, 0xA05F0003, &error);
	assert_ok(ok, error);

	fake_transport_expect(t, FT_BYTES(0xF2, 0x3C, 0x00), NULL, 0, FT_BYTES(0x80, 0x00));
	fake_transport_expect(t, FT_BYTES(0xF2, 0x3C, 0x01), NULL, 0, FT_BYTES(0x80, 0x00));
	fake_transport_expect(t, FT_BYTES(0xF2, 0x32), NULL, 0, FT_BYTES(0x80, 0x00));
	ok = glint_stlink_drive_nrst(stlink, STLINK_NRST_LOW, &error);
	assert_ok(ok, error);
	ok = glint_stlink_drive_nrst(stlink, STLINK_NRST_HIGH, &error);
	assert_ok(ok, error);
	ok = glint_stlink_reset_sys(stlink, &error);
	assert_ok(ok, error);

	fake_transport_expect(t, FT_BYTES(0xF2, 0x33, 0x0F), NULL, 0,
			      FT_BYTES(0x80, 0, 0, 0, 0x01, 0x02, 0x00, 0x08));
	ok = glint_stlink_read_reg(stlink, STLINK_REG_PC, &value, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(value, 0x08000201);
	fake_transport_expect(t, FT_BYTES(0xF2, 0x34, 0x10, 0x00, 0x00, 0x00, 0x01), NULL, 0,
			      FT_BYTES(0x80, 0x00));
	ok = glint_stlink_write_reg(stlink, STLINK_REG_XPSR, 0x01000000, &error);
	assert_ok(ok, error);

	fake_transport_expect(t, FT_BYTES(0xF2, 0x21), NULL, 0, NULL, 0);
	ok = glint_stlink_exit_debug(stlink, &error);
	assert_ok(ok, error);

	assert_script_done(t);
	ck_assert_uint_eq(glint_stlink_get_command_count(stlink), 2 + 10);
	ck_assert_uint_eq(glint_stlink_get_last_status(stlink), 0);
}
END_TEST

START_TEST(test_bad_arguments_send_nothing)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	guint before = fake_transport_get_received(t);
	guint8 buf[0x8004] = {0};
	guint32 value;

	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_drive_nrst(stlink, 3, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_read32(stlink, 0xE000EDF2, &value, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
		assert_message_has(error, "0xe000edf2");
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_write32(stlink, 0x20000001, 0, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_read_reg(stlink, 22, &value, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_read_mem(stlink, 0xFFFFFFFE, buf, 4, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
		assert_message_has(error, "0xfffffffe");
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_write_mem32_raw(stlink, SRAM, buf, 0x8004, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_write_mem32_raw(stlink, SRAM + 2, buf, 8, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_write_mem32_raw(stlink, SRAM, buf, 6, &error);
		assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	}
	{
		/* Nothing to do is not an error, and sends nothing. */
		g_autoptr(GError) error = NULL;
		gboolean ok = glint_stlink_read_mem(stlink, SRAM, buf, 0, &error);
		assert_ok(ok, error);
	}
	ck_assert_uint_eq(fake_transport_get_received(t), before);
}
END_TEST

/* ---- memory chunking ------------------------------------------------ */

typedef struct {
	guint8 sub;
	guint32 addr;
	guint16 len;
} Xfer;

/* 10000 bytes from 0x20000003: a 1-byte head (read as 2), 32-bit chunks
 * that stop at every 1 KiB TAR boundary, a 3-byte 8-bit tail. */
static const Xfer read_10000_plan[] = {
    {0x0C, 0x20000003, 1},    {0x07, 0x20000004, 1020}, {0x07, 0x20000400, 1024},
    {0x07, 0x20000800, 1024}, {0x07, 0x20000C00, 1024}, {0x07, 0x20001000, 1024},
    {0x07, 0x20001400, 1024}, {0x07, 0x20001800, 1024}, {0x07, 0x20001C00, 1024},
    {0x07, 0x20002000, 1024}, {0x07, 0x20002400, 784},	{0x0C, 0x20002710, 3},
};

START_TEST(test_read_chunking)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(10000);
	gsize total = 0;
	gboolean ok;

	for (guint i = 0; i < G_N_ELEMENTS(read_10000_plan); i++) {
		const Xfer *x = &read_10000_plan[i];
		expect_read(t, x->sub, x->addr, x->len, 0x80, 0);
		total += x->len;
	}
	ck_assert_uint_eq(total, 10000);
	ok = glint_stlink_read_mem(stlink, 0x20000003, buf, 10000, &error);
	assert_ok(ok, error);
	assert_script_done(t);
	for (guint32 i = 0; i < 10000; i++)
		ck_assert_msg(buf[i] == pattern(0x20000003 + i), "byte %u wrong", i);
	ck_assert_uint_eq(glint_stlink_get_command_count(stlink),
			  2 + 2 * G_N_ELEMENTS(read_10000_plan));
}
END_TEST

START_TEST(test_read_one_byte)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	/* Exactly one byte on the heap: writing the probe's second byte here
	 * would be caught by the address sanitizer. */
	g_autofree guint8 *one = g_malloc(1);
	guint8 canary[4] = {0xAA, 0xAA, 0xAA, 0xAA};
	gboolean ok;

	expect_read(t, 0x0C, 0x20000001, 1, 0x80, 0);
	ok = glint_stlink_read_mem(stlink, 0x20000001, one, 1, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(one[0], pattern(0x20000001));

	expect_read(t, 0x0C, 0x20000005, 1, 0x80, 0);
	ok = glint_stlink_read_mem(stlink, 0x20000005, canary, 1, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(canary[0], pattern(0x20000005));
	ck_assert_uint_eq(canary[1], 0xAA);
	assert_script_done(t);
}
END_TEST

START_TEST(test_read_small_unaligned)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	guint8 buf[3];
	guint8 word[4];
	gboolean ok;

	/* Two bytes inside one word: a single 8-bit transfer. */
	expect_read(t, 0x0C, 0x20000001, 2, 0x80, 0);
	ok = glint_stlink_read_mem(stlink, 0x20000001, buf, 2, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(buf[1], pattern(0x20000002));

	/* The last word of the address space is reachable. */
	expect_read(t, 0x07, 0xFFFFFFFC, 4, 0x80, 0);
	ok = glint_stlink_read_mem(stlink, 0xFFFFFFFC, word, 4, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(word[3], pattern(0xFFFFFFFF));
	assert_script_done(t);
}
END_TEST

START_TEST(test_write_chunking)
{
	static const Xfer plan[] = {
	    /* 11 bytes at 0x20000FFE: 8-bit head, one 32-bit body, 8-bit tail. */
	    {0x0D, 0x20000FFE, 2},
	    {0x08, 0x20001000, 8},
	    {0x0D, 0x20001008, 1},
	    /* 2048 aligned bytes at 0x200003F0: split at both 1 KiB boundaries. */
	    {0x08, 0x200003F0, 16},
	    {0x08, 0x20000400, 1024},
	    {0x08, 0x20000800, 1008},
	};
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *data = g_malloc(2048);
	gboolean ok;

	for (guint i = 0; i < G_N_ELEMENTS(plan); i++)
		expect_write(t, plan[i].sub, plan[i].addr, plan[i].len, 0x80);
	fill_pattern(data, 0x20000FFE, 11);
	ok = glint_stlink_write_mem(stlink, 0x20000FFE, data, 11, &error);
	assert_ok(ok, error);
	fill_pattern(data, 0x200003F0, 2048);
	ok = glint_stlink_write_mem(stlink, 0x200003F0, data, 2048, &error);
	assert_ok(ok, error);
	assert_script_done(t);
}
END_TEST

START_TEST(test_mem8_limits)
{
	/* V2: 64-byte 8-bit transfers; V3 J7: 512. */
	{
		g_autoptr(GlintTransport) t = fake_transport_new();
		g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
		g_autoptr(GError) error = NULL;
		guint8 buf[100];
		gboolean ok;

		expect_read(t, 0x0C, SRAM, 64, 0x80, 0);
		expect_read(t, 0x0C, SRAM + 64, 36, 0x80, 0);
		ok = glint_stlink_read_mem8(stlink, SRAM, buf, sizeof(buf), &error);
		assert_ok(ok, error);
		ck_assert_uint_eq(buf[99], pattern(SRAM + 99));
		assert_script_done(t);
	}
	{
		g_autoptr(GlintTransport) t = fake_transport_new();
		g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v3);
		g_autoptr(GError) error = NULL;
		g_autofree guint8 *buf = g_malloc(600);
		gboolean ok;

		expect_write(t, 0x0D, SRAM, 512, 0x80);
		expect_write(t, 0x0D, SRAM + 512, 88, 0x80);
		fill_pattern(buf, SRAM, 600);
		ok = glint_stlink_write_mem8(stlink, SRAM, buf, 600, &error);
		assert_ok(ok, error);
		assert_script_done(t);
	}
}
END_TEST

/* 16-bit writes: whole half-words, split at the TAR block like 32-bit
 * ones, refused on firmware without WRITEMEM_16BIT and when unaligned. */
START_TEST(test_mem16_writes)
{
	{
		g_autoptr(GlintTransport) t = fake_transport_new();
		g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
		g_autoptr(GError) error = NULL;
		g_autofree guint8 *buf = g_malloc(1030);
		gboolean ok;

		expect_write(t, 0x48, SRAM + 0x3FA, 6, 0x80);
		expect_write(t, 0x48, SRAM + 0x400, 1024, 0x80);
		fill_pattern(buf, SRAM + 0x3FA, 1030);
		ok = glint_stlink_write_mem16(stlink, SRAM + 0x3FA, buf, 1030, &error);
		assert_ok(ok, error);
		ok = glint_stlink_write_mem16(stlink, SRAM + 1, buf, 2, &error);
		ck_assert(!ok);
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
		assert_script_done(t);
	}
	{
		g_autoptr(GlintTransport) t = fake_transport_new();
		g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2j21);
		g_autoptr(GError) error = NULL;
		guint8 buf[4] = {0};
		gboolean ok = glint_stlink_write_mem16(stlink, SRAM, buf, sizeof(buf), &error);
		ck_assert(!ok);
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD));
		ck_assert_ptr_nonnull(strstr(error->message, "J26"));
		assert_script_done(t);
	}
}
END_TEST

START_TEST(test_write_mem32_raw)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *data = g_malloc(0x8000);
	gboolean ok;

	/* One command for the whole 32 KiB, as stlink-org's loader does. */
	expect_write(t, 0x08, SRAM, 0x8000, 0x80);
	fill_pattern(data, SRAM, 0x8000);
	ok = glint_stlink_write_mem32_raw(stlink, SRAM, data, 0x8000, &error);
	assert_ok(ok, error);
	assert_script_done(t);
	ck_assert_uint_eq(glint_stlink_get_command_count(stlink), 2 + 2);
}
END_TEST

/* ---- 16-bit memory access (F1-style flash controllers) --------------- */

START_TEST(test_mem16_chunking)
{
	/* 10000 bytes at 0x08000800 on a Cortex-M3 (4 KiB TAR block): cut at
	 * each 4 KiB boundary, every transfer a 16-bit one (0x47/0x48). */
	static const Xfer plan[] = {
	    {0x48, 0x08000800, 2048},
	    {0x48, 0x08001000, 4096},
	    {0x48, 0x08002000, 3856},
	};
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *data = g_malloc(10000);
	guint8 back[6];
	gboolean ok;

	glint_stlink_set_tar_block(stlink, 4096);
	ck_assert(glint_stlink_has_mem16(stlink));
	for (guint i = 0; i < G_N_ELEMENTS(plan); i++)
		expect_write(t, plan[i].sub, plan[i].addr, plan[i].len, 0x80);
	fill_pattern(data, 0x08000800, 10000);
	ok = glint_stlink_write_mem16(stlink, 0x08000800, data, 10000, &error);
	assert_ok(ok, error);

	expect_read(t, 0x47, 0x1FFFF802, 6, 0x80, 0);
	ok = glint_stlink_read_mem16(stlink, 0x1FFFF802, back, sizeof(back), &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(back[5], pattern(0x1FFFF807));
	assert_script_done(t);
}
END_TEST

/* V2J25S0: 0x2000 | 25 << 6 = 0x2640, one version before 16-bit access. */
static void
script_open_v2j25(GlintTransport *t)
{
	fake_transport_expect(t, FT_BYTES(0xF1), NULL, 0,
			      FT_BYTES(0x26, 0x40, 0x83, 0x04, 0x48, 0x37));
	fake_transport_expect(t, FT_BYTES(0xF5), NULL, 0, FT_BYTES(0x01, 0x00));
}

START_TEST(test_mem16_needs_j26)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2j25);
	g_autoptr(GError) error = NULL;
	guint before = fake_transport_get_received(t);
	guint8 data[4] = {0};
	gboolean ok;

	ck_assert(!glint_stlink_has_mem16(stlink));
	ok = glint_stlink_write_mem16(stlink, 0x08000000, data, sizeof(data), &error);
	assert_error(ok, error, GLINT_ERROR_FIRMWARE_TOO_OLD);
	assert_message_has(error, "V2J26");
	assert_message_has(error, "V2J25S0");
	g_clear_error(&error);
	ok = glint_stlink_read_mem16(stlink, 0x08000000, data, sizeof(data), &error);
	assert_error(ok, error, GLINT_ERROR_FIRMWARE_TOO_OLD);
	ck_assert_uint_eq(fake_transport_get_received(t), before);
	assert_script_done(t);
}
END_TEST

START_TEST(test_mem16_odd_refused)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	guint before = fake_transport_get_received(t);
	guint8 data[4] = {0};
	gboolean ok;

	ok = glint_stlink_write_mem16(stlink, 0x08000001, data, 2, &error);
	assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	ok = glint_stlink_write_mem16(stlink, 0x08000000, data, 3, &error);
	assert_error(ok, error, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_uint_eq(fake_transport_get_received(t), before);
	/* a fault stops the transfer and names the address */
	fill_pattern(data, 0x08000000, sizeof(data));
	expect_write(t, 0x48, 0x08000000, 4, 0x11);
	g_clear_error(&error);
	ok = glint_stlink_write_mem16(stlink, 0x08000000, data, 4, &error);
	assert_error(ok, error, GLINT_ERROR_MEMORY_FAULT);
	assert_script_done(t);
}
END_TEST

/* ---- status handling ------------------------------------------------ */

START_TEST(test_fault_stops_transfer)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc(2048);
	gboolean ok;

	/* The second chunk faults part-way: nothing may be sent after it. */
	expect_read(t, 0x07, 0x08000000, 1024, 0x80, 0);
	expect_read(t, 0x07, 0x08000400, 1024, STLINK_SWD_AP_FAULT, 0x08000404);
	ok = glint_stlink_read_mem(stlink, 0x08000000, buf, 2048, &error);
	assert_error(ok, error, GLINT_ERROR_MEMORY_FAULT);
	assert_message_has(error, "bus fault at 0x08000404");
	ck_assert_uint_eq(glint_stlink_get_last_status(stlink), STLINK_SWD_AP_FAULT);
	ck_assert_uint_eq(glint_stlink_get_last_fault_address(stlink), 0x08000404);
	assert_script_done(t);
}
END_TEST

START_TEST(test_wait_retry_then_success)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) sleeps = g_array_new(FALSE, FALSE, sizeof(gulong));
	guint8 buf[8] = {0};
	gboolean ok;

	glint_stlink_set_sleep_func(stlink, record_sleep, sleeps);
	expect_read(t, 0x07, SRAM, 8, STLINK_SWD_AP_WAIT, 0);
	expect_read(t, 0x07, SRAM, 8, STLINK_SWD_DP_WAIT, 0);
	expect_read(t, 0x07, SRAM, 8, 0x80, 0);
	ok = glint_stlink_read_mem(stlink, SRAM, buf, sizeof(buf), &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(buf[7], pattern(SRAM + 7));
	ck_assert_uint_eq(sleeps->len, 2);
	ck_assert_uint_eq(g_array_index(sleeps, gulong, 0), 1000);
	ck_assert_uint_eq(g_array_index(sleeps, gulong, 1), 2000);
	ck_assert_uint_eq(glint_stlink_get_last_status(stlink), 0x80);
	assert_script_done(t);
}
END_TEST

START_TEST(test_wait_exhausted)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) sleeps = g_array_new(FALSE, FALSE, sizeof(gulong));
	gboolean ok;

	glint_stlink_set_sleep_func(stlink, record_sleep, sleeps);
	/* One try and 8 retries, all WAIT; a 10th would be a script error. */
	for (guint i = 0; i < 1 + STLINK_WAIT_RETRIES; i++)
		fake_transport_expect(
		    t, FT_BYTES(0xF2, 0x35, 0x0C, 0xED, 0x00, 0xE0, 0x04, 0x00, 0xFA, 0x05), NULL,
		    0, FT_BYTES(STLINK_SWD_DP_WAIT, 0x00));
	ok = glint_stlink_write32(stlink, 0xE000ED0C, 0x05FA0004, &error);
	assert_error(ok, error, GLINT_ERROR_TARGET_NOT_RESPONDING);
	assert_message_has(error, "connect under reset");
	ck_assert_uint_eq(sleeps->len, 8);
	for (guint i = 0; i < sleeps->len; i++)
		ck_assert_uint_eq(g_array_index(sleeps, gulong, i), 1000ul << i);
	ck_assert_uint_eq(glint_stlink_get_last_status(stlink), STLINK_SWD_DP_WAIT);
	assert_script_done(t);
}
END_TEST

START_TEST(test_wait_retry_single_command)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) sleeps = g_array_new(FALSE, FALSE, sizeof(gulong));
	guint32 value = 0;
	gboolean ok;

	glint_stlink_set_sleep_func(stlink, record_sleep, sleeps);
	fake_transport_expect(t, FT_BYTES(0xF2, 0x36, 0x00, 0xED, 0x00, 0xE0), NULL, 0,
			      FT_BYTES(STLINK_SWD_AP_WAIT, 0, 0, 0, 0, 0, 0, 0));
	fake_transport_expect(t, FT_BYTES(0xF2, 0x36, 0x00, 0xED, 0x00, 0xE0), NULL, 0,
			      FT_BYTES(0x80, 0, 0, 0, 0x41, 0xC2, 0x0F, 0x41));
	ok = glint_stlink_read32(stlink, 0xE000ED00, &value, &error);
	assert_ok(ok, error);
	ck_assert_uint_eq(value, 0x410FC241);
	ck_assert_uint_eq(sleeps->len, 1);
	assert_script_done(t);
}
END_TEST

START_TEST(test_dp_error_after_reset_write)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	/* AIRCR SYSRESETREQ: the reset cuts the debug port off mid-write. */
	fake_transport_expect(t,
			      FT_BYTES(0xF2, 0x35, 0x0C, 0xED, 0x00, 0xE0, 0x04, 0x00, 0xFA, 0x05),
			      NULL, 0, FT_BYTES(STLINK_SWD_DP_ERROR, 0x00));
	ok = glint_stlink_write32(stlink, 0xE000ED0C, 0x05FA0004, &error);
	assert_error(ok, error, GLINT_ERROR_TARGET_NOT_RESPONDING);
	assert_message_has(error, "the target's debug port does not answer");
	ck_assert_uint_eq(glint_stlink_get_last_status(stlink), STLINK_SWD_DP_ERROR);
	assert_script_done(t);
}
END_TEST

/* Every status class through a single-word read, with the code it maps to
 * and a word the message must contain. */
START_TEST(test_status_mapping)
{
	static const struct {
		guint8 status;
		GlintErrorCode code;
		const char *needle;
	} cases[] = {
	    {STLINK_SWD_AP_FAULT, GLINT_ERROR_MEMORY_FAULT, "bus fault at 0x40022010"},
	    {STLINK_SWD_AP_WDATA_ERROR, GLINT_ERROR_MEMORY_FAULT, "bus fault at 0x40022010"},
	    {STLINK_SWD_AP_STICKY_ERROR, GLINT_ERROR_MEMORY_FAULT, "bus fault at 0x40022010"},
	    {STLINK_SWD_DP_FAULT, GLINT_ERROR_TARGET_NOT_RESPONDING, "debug port does not answer"},
	    {STLINK_SWD_DP_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING, "debug port does not answer"},
	    {STLINK_SWD_DP_PARITY_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
	     "debug port does not answer"},
	    {STLINK_JTAG_GET_IDCODE_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
	     "JTAG_GET_IDCODE_ERROR"},
	    {STLINK_JTAG_UNKNOWN_CMD, GLINT_ERROR_PROBE, "V2J37S7"},
	    {STLINK_JTAG_CMD_ERROR, GLINT_ERROR_PROBE, "JTAG_CMD_ERROR"},
	    {STLINK_BAD_AP_ERROR, GLINT_ERROR_PROBE, "BAD_AP_ERROR"},
	    {STLINK_SWD_AP_ERROR, GLINT_ERROR_PROBE, "SWD_AP_ERROR"},
	    {STLINK_DEBUG_ERR_FAULT, GLINT_ERROR_PROBE, "DEBUG_ERR_FAULT"},
	    {0x77, GLINT_ERROR_PROBE, "0x77"},
	    /* A status no firmware sends is a garbled reply, not the target's
	     * doing (issue 16): say so and how to recover. */
	    {0x77, GLINT_ERROR_PROBE, "replug the probe"},
	    {0x7F, GLINT_ERROR_PROBE, "garbled"},
	};
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint32 value = 0xDEADBEEF;
		gboolean ok;

		fake_transport_expect(t, FT_BYTES(0xF2, 0x36, 0x10, 0x20, 0x02, 0x40), NULL, 0,
				      FT_BYTES(cases[i].status, 0, 0, 0, 1, 2, 3, 4));
		ok = glint_stlink_read32(stlink, 0x40022010, &value, &error);
		assert_error(ok, error, cases[i].code);
		assert_message_has(error, cases[i].needle);
		ck_assert_uint_eq(value, 0xDEADBEEF);
		ck_assert_uint_eq(glint_stlink_get_last_status(stlink), cases[i].status);
		assert_script_done(t);
	}
}
END_TEST

START_TEST(test_status_names)
{
	ck_assert_str_eq(glint_stlink_status_to_string(0x80), "DEBUG_ERR_OK");
	ck_assert_str_eq(glint_stlink_status_to_string(0x11), "SWD_AP_FAULT");
	ck_assert_str_eq(glint_stlink_status_to_string(0x16), "SWD_DP_ERROR");
	ck_assert_str_eq(glint_stlink_status_to_string(0x42), "JTAG_UNKNOWN_CMD");
	ck_assert_str_eq(glint_stlink_status_to_string(0xFE), "UNKNOWN");
}
END_TEST

/* ---- transport failures --------------------------------------------- */

START_TEST(test_disconnect_passthrough)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = open_scripted(t, script_open_v2);
	guint8 cmd[16];
	guint8 buf[8];

	{
		g_autoptr(GError) error = NULL;
		gboolean ok;

		mem_cmd(cmd, 0x07, SRAM, 8);
		fake_transport_expect_error(t, cmd, 16, GLINT_ERROR_DISCONNECTED,
					    "the ST-LINK was unplugged");
		ok = glint_stlink_read_mem(stlink, SRAM, buf, sizeof(buf), &error);
		assert_error(ok, error, GLINT_ERROR_DISCONNECTED);
		ck_assert_str_eq(error->message, "the ST-LINK was unplugged");
		assert_script_done(t);
	}
	{
		/* Failing on the status read: no retry, code and text kept. */
		g_autoptr(GError) error = NULL;
		gboolean ok;

		mem_cmd(cmd, 0x08, SRAM, 8);
		memset(buf, 0x5A, sizeof(buf));
		fake_transport_expect(t, cmd, 16, buf, 8, NULL, 0);
		fake_transport_expect_error(t, FT_BYTES(0xF2, 0x3E), GLINT_ERROR_TIMEOUT,
					    "no reply within 3000 ms");
		ok = glint_stlink_write_mem(stlink, SRAM, buf, sizeof(buf), &error);
		assert_error(ok, error, GLINT_ERROR_TIMEOUT);
		ck_assert_str_eq(error->message, "no reply within 3000 ms");
		ck_assert_uint_eq(glint_stlink_get_last_status(stlink), 0);
		assert_script_done(t);
	}
	{
		g_autoptr(GError) error = NULL;
		guint32 value;
		gboolean ok;

		fake_transport_expect_error(t, FT_BYTES(0xF2, 0x36, 0xF0, 0xED, 0x00, 0xE0),
					    GLINT_ERROR_DISCONNECTED, "gone");
		ok = glint_stlink_read32(stlink, 0xE000EDF0, &value, &error);
		assert_error(ok, error, GLINT_ERROR_DISCONNECTED);
		assert_script_done(t);
	}
}
END_TEST

START_TEST(test_disconnect_during_open)
{
	g_autoptr(GlintTransport) t = fake_transport_new();
	g_autoptr(GlintStlink) stlink = glint_stlink_new(t);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	fake_transport_expect_error(t, FT_BYTES(0xF1), GLINT_ERROR_DISCONNECTED, "unplugged");
	ok = glint_stlink_open(stlink, &error);
	assert_error(ok, error, GLINT_ERROR_DISCONNECTED);
	assert_script_done(t);
}
END_TEST

static Suite *
stlink_suite(void)
{
	Suite *s = suite_create("stlink");
	TCase *tc;

	tc = tcase_create("version");
	tcase_add_test(tc, test_version_v2);
	tcase_add_test(tc, test_version_v2_1);
	tcase_add_test(tc, test_version_v3);
	tcase_add_test(tc, test_version_v1_refused);
	tcase_add_test(tc, test_version_j14_refused);
	tcase_add_test(tc, test_version_j15_accepted);
	tcase_add_test(tc, test_version_stm8_board_refused);
	tcase_add_test(tc, test_version_garbage);
	tcase_add_test(tc, test_version_v3_ex_garbage);
	tcase_add_test(tc, test_version_unknown_generation);
	tcase_add_test(tc, test_version_garbled_is_probe_error);
	tcase_add_test(tc, test_version_ex_garbled_is_probe_error);
	tcase_add_test(tc, test_open_leaves_mode);
	tcase_add_test(tc, test_not_opened);
	suite_add_tcase(s, tc);

	tc = tcase_create("probe");
	tcase_add_test(tc, test_voltage);
	tcase_add_test(tc, test_voltage_unavailable);
	tcase_add_test(tc, test_voltage_implausible);
	tcase_add_test(tc, test_swd_freq_v2_divisors);
	tcase_add_test(tc, test_swd_freq_v2_too_slow);
	tcase_add_test(tc, test_swd_freq_needs_j22);
	tcase_add_test(tc, test_swd_freq_v3);
	tcase_add_test(tc, test_swd_freq_v3_garbage_list);
	tcase_add_test(tc, test_debug_primitives);
	tcase_add_test(tc, test_bad_arguments_send_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_test(tc, test_read_chunking);
	tcase_add_test(tc, test_read_one_byte);
	tcase_add_test(tc, test_read_small_unaligned);
	tcase_add_test(tc, test_write_chunking);
	tcase_add_test(tc, test_mem8_limits);
	tcase_add_test(tc, test_mem16_writes);
	tcase_add_test(tc, test_write_mem32_raw);
	tcase_add_test(tc, test_mem16_chunking);
	tcase_add_test(tc, test_mem16_needs_j26);
	tcase_add_test(tc, test_mem16_odd_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_add_test(tc, test_fault_stops_transfer);
	tcase_add_test(tc, test_wait_retry_then_success);
	tcase_add_test(tc, test_wait_exhausted);
	tcase_add_test(tc, test_wait_retry_single_command);
	tcase_add_test(tc, test_dp_error_after_reset_write);
	tcase_add_test(tc, test_status_mapping);
	tcase_add_test(tc, test_status_names);
	tcase_add_test(tc, test_disconnect_passthrough);
	tcase_add_test(tc, test_disconnect_during_open);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(stlink_suite());
	int failures;

	srunner_run_all(sr, CK_ENV);
	failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
