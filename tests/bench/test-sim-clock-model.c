/* The benchmark's hooks in the emulator's clock (core/sim/sim-clock.c):
 * factors on the model's estimates (glint_sim_set_clock_model and the
 * GLINT_SIM_CLOCK environment variable) and host idle time counted net of
 * the machine's load. Each test runs in its own process (Check forks), so a
 * factor set here never reaches another test. */
#define _GNU_SOURCE
#include <check.h>
#include <glib.h>
#include <sched.h>
#include <stdlib.h>

#include "glint-error.h"
#include "glint-sim.h"
#include "sim-clock.h"
#include "sim-test.h"

#define SRAM_BASE 0x20000000u
#define DBGKEY 0xA05F0000u
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define REG_PC 15
#define REG_XPSR 16
#define XPSR_T (1u << 24)
/* one 64-byte reply packet at full speed: 1/19 of a 1 ms frame */
#define ONE_PACKET_NS (SIM_USB_FRAME_NS / SIM_USB_FS_PACKETS_PER_FRAME)
#define IDLE_NS G_GINT64_CONSTANT(20000000)

static void
model_ok(const char *spec)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_sim_set_clock_model(spec, &error), "%s: %s", spec,
		      error != NULL ? error->message : "?");
}

/* Device time one GET_VERSION costs (no target access: USB only) */
static gint64
version_cost(GlintSim *sim)
{
	const guint8 version[16] = {0xF1};
	guint8 r[6];
	gint64 t0 = glint_sim_get_time_ns(sim);
	st_xfer(sim, version, NULL, 0, r, sizeof(r));
	return glint_sim_get_time_ns(sim) - t0;
}

START_TEST(test_bad_specs_are_named)
{
	const char *bad[] = {"usb-command",   "usb-command=",	"usb-command=abc", "usb-command=0",
			     "swd-access=-1", "cpu-cycles=inf", "cpu-cycles=2x",   "host-idle=some",
			     "usb-rtt=2",     "swd-access=1e9"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		ck_assert_msg(!glint_sim_set_clock_model(bad[i], &error), "'%s' accepted", bad[i]);
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
		ck_assert_msg(strstr(error->message, "GLINT_SIM_CLOCK") != NULL, "%s",
			      error->message);
	}
	{
		g_autoptr(GError) error = NULL;
		ck_assert(!glint_sim_set_clock_model("usb-command=2,colour=red", &error));
		ck_assert_msg(strstr(error->message, "'colour'") != NULL, "%s", error->message);
	}
	/* a refused spec leaves the model as it was */
	model_ok("usb-command=2");
	ck_assert(!glint_sim_set_clock_model("usb-command=3,x", NULL));
	{
		g_autoptr(GlintSim) sim = sim_new_ok(NULL);
		ck_assert_int_eq(version_cost(sim), 2 * SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS);
	}
	model_ok("");
	model_ok(NULL);
	model_ok(" usb-command = 0.5 , ,swd-access=2,cpu-cycles=1,host-idle=wall,");
	model_ok("");
}
END_TEST

/* The command round trip scales; the USB data phase (USB 2.0) does not */
START_TEST(test_usb_command_factor)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	ck_assert_int_eq(version_cost(sim), SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS);
	model_ok("usb-command=2");
	ck_assert_int_eq(version_cost(sim), 2 * SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS);
	model_ok("usb-command=0.5");
	ck_assert_int_eq(version_cost(sim), SIM_USB_FS_COMMAND_NS / 2 + ONE_PACKET_NS);
	/* a high-speed probe's round trip too */
	glint_sim_set_probe_kind(sim, GLINT_PROBE_KIND_V3);
	model_ok("");
	{
		gint64 hs = version_cost(sim);
		model_ok("usb-command=2");
		ck_assert_int_eq(version_cost(sim) - hs, SIM_USB_HS_COMMAND_NS);
	}
	model_ok("");
}
END_TEST

/* Reading 1536 words costs the USB part plus 1536 accesses of SWD */
static gint64
read_cost(GlintSim *sim)
{
	guint8 cmd[16];
	g_autofree guint8 *r = g_malloc(6144);
	gint64 t0 = glint_sim_get_time_ns(sim);
	st_mem_cmd(cmd, 0x07, SRAM_BASE, 6144);
	st_xfer(sim, cmd, NULL, 0, r, 6144);
	return glint_sim_get_time_ns(sim) - t0;
}

START_TEST(test_swd_access_factor)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const gint64 usb = SIM_USB_FS_COMMAND_NS + 96 * SIM_USB_FRAME_NS / 19;
	const gint64 swd =
	    G_GINT64_CONSTANT(1536) * SIM_SWD_CYCLES_PER_ACCESS * 1000000 / SIM_SWD_DEFAULT_KHZ;
	/* scaled: 1536 x 92 or x 23 cycles, rounded to the nearest ns */
	const gint64 swd2 = (G_GINT64_CONSTANT(1536) * 92 * 1000000 + 900) / SIM_SWD_DEFAULT_KHZ;
	const gint64 swd_half =
	    (G_GINT64_CONSTANT(1536) * 23 * 1000000 + 900) / SIM_SWD_DEFAULT_KHZ;
	st_enter_swd(sim);
	ck_assert_int_eq(read_cost(sim), usb + swd);
	model_ok("swd-access=2");
	ck_assert_int_eq(read_cost(sim), usb + swd2);
	model_ok("swd-access=0.5");
	ck_assert_int_eq(read_cost(sim), usb + swd_half);
	model_ok("");
}
END_TEST

static void
write_reg(GlintSim *sim, guint idx, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x34, (guint8)idx};
	guint8 r[2] = {0};
	st_put32(cmd + 3, v);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
}

/* Instructions the core retires in 1 ms of device time running
 * "loop: adds r0, #1; b loop" from SRAM */
static guint64
instructions_in_1ms(void)
{
	const guint8 loop[] = {0x01, 0x30, 0xFD, 0xE7};
	const guint8 run[16] = {0xF2, 0x09};
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	GlintSimStats s0, s1;
	guint8 r[2];

	ck_assert(glint_sim_poke(sim, SRAM_BASE, loop, sizeof(loop)));
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), 0x80);
	write_reg(sim, REG_PC, SRAM_BASE | 1u);
	write_reg(sim, REG_XPSR, XPSR_T);
	st_xfer(sim, run, NULL, 0, r, sizeof(r));
	/* the core started before the command's own cost: catch up first */
	glint_sim_advance_time(sim, 1000000);
	glint_sim_get_stats(sim, &s0);
	glint_sim_advance_time(sim, 1000000);
	glint_sim_get_stats(sim, &s1);
	return s1.instructions - s0.instructions;
}

START_TEST(test_cpu_cycles_factor)
{
	guint64 plain, slow, fast;
	plain = instructions_in_1ms();
	/* MSI 4 MHz after reset, one cycle per instruction */
	ck_assert_msg(plain >= 3900 && plain <= 4100, "%" G_GUINT64_FORMAT, plain);
	model_ok("cpu-cycles=2");
	slow = instructions_in_1ms();
	model_ok("cpu-cycles=0.5");
	fast = instructions_in_1ms();
	model_ok("");
	ck_assert_msg(slow >= plain / 2 - 50 && slow <= plain / 2 + 50, "%" G_GUINT64_FORMAT, slow);
	ck_assert_msg(fast >= plain * 2 - 100 && fast <= plain * 2 + 100, "%" G_GUINT64_FORMAT,
		      fast);
}
END_TEST

/* Whether each test runs in a process of its own (Check's default) */
static gboolean
forked(void)
{
	return g_strcmp0(g_getenv("CK_FORK"), "no") != 0;
}

/* glint-usbsim cannot call the function: it reads the environment once */
START_TEST(test_environment_read_once)
{
	if (!forked()) {
		/* without a fresh process the environment may be read already */
		return;
	}
	g_setenv(SIM_CLOCK_ENV, "usb-command=3", TRUE);
	{
		g_autoptr(GlintSim) sim = sim_new_ok(NULL);
		ck_assert_int_eq(version_cost(sim), 3 * SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS);
		g_setenv(SIM_CLOCK_ENV, "usb-command=5", TRUE);
		ck_assert_int_eq(version_cost(sim), 3 * SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS);
	}
	g_unsetenv(SIM_CLOCK_ENV);
}
END_TEST

START_TEST(test_bad_environment_is_ignored)
{
	if (!forked())
		return;
	g_setenv(SIM_CLOCK_ENV, "usb-command=fast", TRUE);
	{
		g_autoptr(GlintSim) sim = sim_new_ok(NULL);
		ck_assert_int_eq(version_cost(sim), SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS);
	}
	g_unsetenv(SIM_CLOCK_ENV);
}
END_TEST

/* The host idles on purpose (sleeps) between two commands: the whole gap
 * passes on the device */
START_TEST(test_host_sleep_is_counted)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	gint64 cost = SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS, t;
	glint_sim_set_count_host_idle(sim, TRUE);
	ck_assert_int_eq(version_cost(sim), cost);
	/* what the test measures is idling: it has to idle */
	g_usleep(IDLE_NS / 1000);
	t = version_cost(sim);
	ck_assert_msg(t >= cost + IDLE_NS, "%" G_GINT64_FORMAT " ns", t);
	/* back to back: nothing but the command */
	ck_assert_int_eq(version_cost(sim), cost);
	glint_sim_set_count_host_idle(sim, FALSE);
	g_usleep(IDLE_NS / 1000);
	ck_assert_int_eq(version_cost(sim), cost);
}
END_TEST

static volatile gint hog_stop;

static gpointer
hog(gpointer data)
{
	cpu_set_t *cpu = data;
	sched_setaffinity(0, sizeof(*cpu), cpu);
	while (!g_atomic_int_get(&hog_stop))
		;
	return NULL;
}

typedef struct {
	cpu_set_t all;
	cpu_set_t cpu;
	GThread *hog;
} Load;

/* Keeps this thread runnable but mostly off the CPU for @ns: a thread on
 * the same CPU spins while this one yields, so the time is run delay. The
 * spinning thread goes on until load_end(): waiting for it to stop would be
 * sleeping, not waiting for the CPU. */
static void
wait_for_cpu(Load *load, gint64 ns)
{
	gint64 end;
	sched_getaffinity(0, sizeof(load->all), &load->all);
	CPU_ZERO(&load->cpu);
	CPU_SET(sched_getcpu(), &load->cpu);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(load->cpu), &load->cpu), 0);
	g_atomic_int_set(&hog_stop, 0);
	load->hog = g_thread_new("hog", hog, &load->cpu);
	end = g_get_monotonic_time() + ns / 1000;
	while (g_get_monotonic_time() < end)
		sched_yield();
}

static void
load_end(Load *load)
{
	g_atomic_int_set(&hog_stop, 1);
	g_thread_join(load->hog);
	sched_setaffinity(0, sizeof(load->all), &load->all);
}

/* A gap only the machine's load made long (the host wanted the CPU and did
 * not get it) is not idling: it costs nothing, unless host-idle=wall */
START_TEST(test_load_is_not_counted)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	gint64 cost = SIM_USB_FS_COMMAND_NS + ONE_PACKET_NS, t;
	g_autofree gchar *stat = g_strdup_printf("/proc/self/task/%d/schedstat", (int)gettid());
	if (!g_file_test(stat, G_FILE_TEST_EXISTS)) {
		/* no schedstat in this kernel: load cannot be told apart */
		return;
	}
	Load load;
	glint_sim_set_count_host_idle(sim, TRUE);
	ck_assert_int_eq(version_cost(sim), cost);
	wait_for_cpu(&load, IDLE_NS);
	t = version_cost(sim);
	load_end(&load);
	ck_assert_msg(t == cost, "a gap of run delay cost %" G_GINT64_FORMAT " ns", t - cost);

	/* as measured: the same wait counts (and so would the load on this
	 * machine between any two commands: no back-to-back check here) */
	model_ok("host-idle=wall");
	(void)version_cost(sim);
	wait_for_cpu(&load, IDLE_NS);
	t = version_cost(sim);
	load_end(&load);
	ck_assert_msg(t >= cost + IDLE_NS, "%" G_GINT64_FORMAT " ns", t);
	model_ok("");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-clock-model");
	TCase *tc = tcase_create("model");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bad_specs_are_named);
	tcase_add_test(tc, test_usb_command_factor);
	tcase_add_test(tc, test_swd_access_factor);
	tcase_add_test(tc, test_cpu_cycles_factor);
	tcase_add_test(tc, test_environment_read_once);
	tcase_add_test(tc, test_bad_environment_is_ignored);
	tcase_add_test(tc, test_host_sleep_is_counted);
	tcase_add_test(tc, test_load_is_not_counted);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
