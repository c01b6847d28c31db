/* test-core.c: core control and core registers (glint-core.h) against the
 * emulated NUCLEO-L476RG running tests/data/firmware/watch.elf: the states
 * a debugger reads (running, halted and why, sleeping, locked up, in reset),
 * halt, run, step, reset, every register read and written through DCRSR,
 * the packed special registers, the FPU found through MVFR0, and the errors
 * that name the register and the cause. */
#define G_LOG_DOMAIN "test-core"

#include <string.h>

#include "fw-board.h"
#include "glint-core.h"
#include "glint-error.h"
#include "glint-target.h"

#define ck_assert_no_error(e)                                                                      \
	ck_assert_msg((e) == NULL, "unexpected error: %s", (e) ? (e)->message : "")
#define ck_assert_error(e, code)                                                                   \
	ck_assert_msg(g_error_matches((e), GLINT_ERROR, (code)), "expected %s, got: %s",           \
		      glint_error_code_to_string(code), (e) ? (e)->message : "no error")

#define SRAM1_BASE 0x20000000u
#define SRAM1_END 0x20018000u
#define XPSR_T (1u << 24)
#define MS 1000000
#define DHCSR_ADDR 0xE000EDF0u
#define DHCSR_S_HALT (1u << 17)

static GlintCoreStatus
status_of(FwBoard *b)
{
	g_autoptr(GError) error = NULL;
	GlintCoreStatus st;
	ck_assert_msg(glint_job_core_status(b->session, &st, &error), "%s",
		      error ? error->message : "");
	return st;
}

static GlintCoreRegs
regs_of(FwBoard *b)
{
	g_autoptr(GError) error = NULL;
	GlintCoreRegs regs;
	ck_assert_msg(glint_job_core_read_registers(b->session, &regs, &error), "%s",
		      error ? error->message : "");
	return regs;
}

static void
halt(FwBoard *b)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_job_core_halt(b->session, NULL, &error), "%s",
		      error ? error->message : "");
}

static void
write_reg(FwBoard *b, GlintCoreReg reg, guint32 value)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_job_core_write_register(b->session, reg, value, &error), "%s: %s",
		      glint_core_reg_name(reg), error ? error->message : "");
}

/* Attached without halting, the firmware keeps running; halting says why */
START_TEST(test_status_halt_run)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", 2 * MS, TRUE);
	g_autoptr(GError) error = NULL;
	GlintCoreStatus st = status_of(b);
	guint32 counter = fw_board_symbol(b, "counter");
	guint32 before, after;
	g_autofree gchar *reason = NULL;

	ck_assert_int_eq(st.state, GLINT_CORE_RUNNING);
	ck_assert_str_eq(glint_core_state_to_string(st.state), "running");
	before = fw_board_peek32(b, counter);
	glint_sim_advance_time(b->sim, MS);
	ck_assert_uint_gt(fw_board_peek32(b, counter), before);

	ck_assert(glint_job_core_halt(b->session, &st, &error));
	ck_assert_int_eq(st.state, GLINT_CORE_HALTED);
	ck_assert_uint_eq(st.dfsr & GLINT_HALT_REQUEST, GLINT_HALT_REQUEST);
	reason = glint_core_halt_reason_describe(st.dfsr);
	ck_assert_str_eq(reason, "halt request");
	/* halted: the counter stands still */
	before = fw_board_peek32(b, counter);
	glint_sim_advance_time(b->sim, MS);
	ck_assert_uint_eq(fw_board_peek32(b, counter), before);

	ck_assert(glint_job_core_run(b->session, &error));
	ck_assert_no_error(error);
	ck_assert_int_eq(status_of(b).state, GLINT_CORE_RUNNING);
	glint_sim_advance_time(b->sim, MS);
	after = fw_board_peek32(b, counter);
	ck_assert_uint_gt(after, before);
	/* run clears the old reason: halting again shows only its own */
	halt(b);
	ck_assert_uint_eq(status_of(b).dfsr, GLINT_HALT_REQUEST);
}
END_TEST

/* Every register, where the firmware is: PC in its code, SP in SRAM1 */
START_TEST(test_read_registers)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", 2 * MS, TRUE);
	g_autoptr(GError) error = NULL;
	GlintCoreRegs regs;
	GlintCoreInfo info;
	const GlintSymbol *fn;

	halt(b);
	regs = regs_of(b);
	ck_assert(glint_job_core_info(b->session, &info, &error));
	ck_assert_str_eq(info.name, "Cortex-M4");
	ck_assert(!info.armv6m);
	/* the L476's M4 has an FPU, and the firmware's startup enabled it */
	ck_assert(info.has_fpu);
	ck_assert(!info.fpu_double);
	ck_assert(info.fpu_enabled);
	ck_assert_uint_eq(info.mvfr0, 0x10110021u);
	for (guint r = 0; r < GLINT_REG_COUNT; r++)
		ck_assert_msg(glint_core_regs_has(&regs, (GlintCoreReg)r), "%s missing",
			      glint_core_reg_name((GlintCoreReg)r));
	fn = glint_debug_info_symbol_at(b->elf, regs.value[GLINT_REG_PC], NULL);
	ck_assert_ptr_nonnull(fn);
	ck_assert_msg(strcmp(fn->name, "main") == 0 || strcmp(fn->name, "watch_step") == 0,
		      "PC 0x%08x in %s", regs.value[GLINT_REG_PC], fn->name);
	ck_assert_uint_ge(regs.value[GLINT_REG_SP], SRAM1_BASE);
	ck_assert_uint_le(regs.value[GLINT_REG_SP], SRAM1_END);
	/* thread mode on MSP: SP is MSP */
	ck_assert_uint_eq(regs.value[GLINT_REG_SP], regs.value[GLINT_REG_MSP]);
	ck_assert_uint_eq(regs.value[GLINT_REG_XPSR] & XPSR_T, XPSR_T);
	ck_assert_uint_eq(regs.value[GLINT_REG_XPSR] & 0x1FFu, 0); /* IPSR: thread */
	ck_assert_uint_eq(regs.value[GLINT_REG_PRIMASK], 0);
	ck_assert_uint_eq(regs.value[GLINT_REG_FAULTMASK], 0);
	/* the firmware keeps ramp (+0.5 per pass) in an FPU register at times:
	 * at least FPSCR and the S registers were read without error */
	ck_assert_uint_eq(regs.value[GLINT_REG_CONTROL] & ~0x7u, 0);
}
END_TEST

/* Written values read back; the four special registers share one word,
 * and writing one keeps the others */
START_TEST(test_write_registers)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	GlintCoreRegs regs;
	const guint32 one_half = 0x3FC00000u; /* 1.5f */

	halt(b);
	write_reg(b, GLINT_REG_R0, 0x12345678u);
	write_reg(b, GLINT_REG_R12, 0xCAFEF00Du);
	write_reg(b, GLINT_REG_LR, 0x08000101u);
	write_reg(b, GLINT_REG_BASEPRI, 0x40u);
	write_reg(b, GLINT_REG_FAULTMASK, 1u);
	write_reg(b, GLINT_REG_PRIMASK, 1u);
	write_reg(b, GLINT_REG_S0 + 5, one_half);
	write_reg(b, GLINT_REG_PSP, 0x20001000u);
	regs = regs_of(b);
	ck_assert_uint_eq(regs.value[GLINT_REG_R0], 0x12345678u);
	ck_assert_uint_eq(regs.value[GLINT_REG_R12], 0xCAFEF00Du);
	ck_assert_uint_eq(regs.value[GLINT_REG_LR], 0x08000101u);
	ck_assert_uint_eq(regs.value[GLINT_REG_BASEPRI], 0x40u);
	ck_assert_uint_eq(regs.value[GLINT_REG_FAULTMASK], 1u);
	ck_assert_uint_eq(regs.value[GLINT_REG_PRIMASK], 1u);
	ck_assert_uint_eq(regs.value[GLINT_REG_S0 + 5], one_half);
	ck_assert_uint_eq(regs.value[GLINT_REG_PSP], 0x20001000u);
	/* clearing one leaves the others */
	write_reg(b, GLINT_REG_FAULTMASK, 0);
	regs = regs_of(b);
	ck_assert_uint_eq(regs.value[GLINT_REG_FAULTMASK], 0);
	ck_assert_uint_eq(regs.value[GLINT_REG_BASEPRI], 0x40u);
	ck_assert_uint_eq(regs.value[GLINT_REG_PRIMASK], 1u);
	/* the PC written is where the core goes on: at watch_step */
	write_reg(b, GLINT_REG_PC, fw_board_symbol(b, "watch_step"));
	ck_assert_uint_eq(regs_of(b).value[GLINT_REG_PC], fw_board_symbol(b, "watch_step"));
}
END_TEST

/* The other cores: which registers each has (ARMv6-M: no BASEPRI or
 * FAULTMASK; an FPU only on the M4 and M7, double precision on the M7),
 * and a register the core lacks refused by name */
static const struct {
	const char *spec;
	const char *name;
	gboolean armv6m, fpu, fpu_double;
} other_cores[] = {
    {"nucleo-l073rz:wrp", "Cortex-M0+", TRUE, FALSE, FALSE},
    {"nucleo-f072rb:wrp", "Cortex-M0", TRUE, FALSE, FALSE},
    {"nucleo-f103rb:wrp", "Cortex-M3", FALSE, FALSE, FALSE},
    {"nucleo-g474re:wrp", "Cortex-M4", FALSE, TRUE, FALSE},
    {"nucleo-h743zi:wrp", "Cortex-M7", FALSE, TRUE, TRUE},
};

START_TEST(test_registers_other_cores)
{
	g_autoptr(FwBoard) b =
	    fw_board_new_full(other_cores[_i].spec, NULL, MS, TRUE, GLINT_PROBE_KIND_V2, 0);
	g_autoptr(GError) error = NULL;
	GlintCoreInfo info;
	GlintCoreRegs regs;
	const char *spec = other_cores[_i].spec;

	halt(b);
	ck_assert(glint_job_core_info(b->session, &info, &error));
	ck_assert_str_eq(info.name, other_cores[_i].name);
	ck_assert_int_eq(info.armv6m, other_cores[_i].armv6m);
	ck_assert_int_eq(info.has_fpu, other_cores[_i].fpu);
	ck_assert_int_eq(info.fpu_double, other_cores[_i].fpu_double);
	regs = regs_of(b);
	for (guint r = GLINT_REG_R0; r <= GLINT_REG_PRIMASK; r++)
		ck_assert_msg(glint_core_regs_has(&regs, (GlintCoreReg)r), "%s: %s missing", spec,
			      glint_core_reg_name((GlintCoreReg)r));
	ck_assert_int_eq(glint_core_regs_has(&regs, GLINT_REG_BASEPRI), !info.armv6m);
	ck_assert_int_eq(glint_core_regs_has(&regs, GLINT_REG_FAULTMASK), !info.armv6m);
	ck_assert_int_eq(glint_core_regs_has(&regs, GLINT_REG_FPSCR), info.has_fpu);
	ck_assert_int_eq(glint_core_regs_has(&regs, GLINT_REG_S31), info.has_fpu);
	/* the scenario's firmware runs from flash on every board */
	ck_assert_msg((regs.value[GLINT_REG_PC] >> 24) == 0x08, "%s: PC 0x%08x", spec,
		      regs.value[GLINT_REG_PC]);

	write_reg(b, GLINT_REG_R0 + 7, 0x5A5A0001u);
	write_reg(b, GLINT_REG_PRIMASK, 1);
	regs = regs_of(b);
	ck_assert_uint_eq(regs.value[GLINT_REG_R0 + 7], 0x5A5A0001u);
	ck_assert_uint_eq(regs.value[GLINT_REG_PRIMASK], 1);
	if (info.armv6m) {
		ck_assert(
		    !glint_job_core_write_register(b->session, GLINT_REG_BASEPRI, 0x40, &error));
		ck_assert_error(error, GLINT_ERROR_UNSUPPORTED);
		ck_assert_msg(strstr(error->message, "basepri") != NULL, "%s", error->message);
		g_clear_error(&error);
	} else {
		write_reg(b, GLINT_REG_BASEPRI, 0x40);
		ck_assert_uint_eq(regs_of(b).value[GLINT_REG_BASEPRI], 0x40);
	}
	if (info.has_fpu) {
		write_reg(b, GLINT_REG_S0 + 31, 0x3FC00000u);
		ck_assert_uint_eq(regs_of(b).value[GLINT_REG_S31], 0x3FC00000u);
	} else {
		ck_assert(!glint_job_core_write_register(b->session, GLINT_REG_S0 + 5, 1, &error));
		ck_assert_error(error, GLINT_ERROR_UNSUPPORTED);
		ck_assert_msg(strstr(error->message, "s5") != NULL, "%s", error->message);
	}
}
END_TEST

/* Registers of a running core: refused, naming the register and the cause */
START_TEST(test_registers_need_halt)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	g_autoptr(GError) error = NULL;
	GlintCoreRegs regs;
	guint done = 99;

	ck_assert(!glint_job_core_write_register(b->session, GLINT_REG_R0 + 3, 1, &error));
	ck_assert_error(error, GLINT_ERROR_NOT_HALTED);
	ck_assert_msg(strstr(error->message, "cannot write r3: the core is running") != NULL, "%s",
		      error->message);
	g_clear_error(&error);
	ck_assert(!glint_job_core_read_registers(b->session, &regs, &error));
	ck_assert_error(error, GLINT_ERROR_NOT_HALTED);
	ck_assert_msg(strstr(error->message, "cannot read the core registers") != NULL, "%s",
		      error->message);
	g_clear_error(&error);
	ck_assert(!glint_job_core_step(b->session, 1, &done, NULL, NULL, &error));
	ck_assert_error(error, GLINT_ERROR_NOT_HALTED);
	ck_assert_uint_eq(done, 0);
	g_clear_error(&error);
	/* the refusals did not halt it */
	ck_assert_int_eq(status_of(b).state, GLINT_CORE_RUNNING);

	halt(b);
	ck_assert(!glint_job_core_write_register(b->session, GLINT_REG_BASEPRI, 0x100u, &error));
	ck_assert_error(error, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_msg(strstr(error->message, "basepri") != NULL, "%s", error->message);
	g_clear_error(&error);
	ck_assert(!glint_job_core_write_register(b->session, GLINT_REG_COUNT, 0, &error));
	ck_assert_error(error, GLINT_ERROR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_register_names)
{
	g_autoptr(GError) error = NULL;
	GlintCoreReg reg = GLINT_REG_COUNT;
	ck_assert(glint_core_reg_from_name("PC", &reg, NULL));
	ck_assert_int_eq(reg, GLINT_REG_PC);
	ck_assert(glint_core_reg_from_name("r13", &reg, NULL));
	ck_assert_int_eq(reg, GLINT_REG_SP);
	ck_assert(glint_core_reg_from_name("xPSR", &reg, NULL));
	ck_assert_int_eq(reg, GLINT_REG_XPSR);
	ck_assert(glint_core_reg_from_name("s31", &reg, NULL));
	ck_assert_int_eq(reg, GLINT_REG_S31);
	ck_assert(glint_core_reg_from_name("faultmask", &reg, NULL));
	ck_assert_int_eq(reg, GLINT_REG_FAULTMASK);
	ck_assert(!glint_core_reg_from_name("r16", &reg, &error));
	ck_assert_error(error, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_msg(strstr(error->message, "'r16'") != NULL, "%s", error->message);
	for (guint r = 0; r < GLINT_REG_COUNT; r++) {
		ck_assert(
		    glint_core_reg_from_name(glint_core_reg_name((GlintCoreReg)r), &reg, NULL));
		ck_assert_int_eq(reg, (GlintCoreReg)r);
	}
}
END_TEST

/* Steps move the PC one instruction each; the loop's counter follows */
START_TEST(test_step)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	g_autoptr(GError) error = NULL;
	guint32 counter = fw_board_symbol(b, "counter");
	guint32 pc, count_before;
	GlintCoreStatus st;
	guint done = 0;

	halt(b);
	pc = regs_of(b).value[GLINT_REG_PC];
	ck_assert(glint_job_core_step(b->session, 1, &done, &st, NULL, &error));
	ck_assert_no_error(error);
	ck_assert_uint_eq(done, 1);
	ck_assert_int_eq(st.state, GLINT_CORE_HALTED);
	ck_assert_uint_eq(st.dfsr, GLINT_HALT_REQUEST);
	ck_assert_uint_ne(regs_of(b).value[GLINT_REG_PC], pc);
	/* one pass of main's loop is a few dozen instructions: 200 steps
	 * count several passes, and nothing ran between the steps */
	count_before = fw_board_peek32(b, counter);
	ck_assert(glint_job_core_step(b->session, 200, &done, &st, NULL, &error));
	ck_assert_uint_eq(done, 200);
	ck_assert_uint_gt(fw_board_peek32(b, counter), count_before);
	ck_assert_uint_lt(fw_board_peek32(b, counter), count_before + 200);
	count_before = fw_board_peek32(b, counter);
	glint_sim_advance_time(b->sim, MS);
	ck_assert_uint_eq(fw_board_peek32(b, counter), count_before);
	/* cancelled before the first: nothing runs */
	{
		g_autoptr(GCancellable) c = g_cancellable_new();
		g_cancellable_cancel(c);
		pc = regs_of(b).value[GLINT_REG_PC];
		ck_assert(!glint_job_core_step(b->session, 10, &done, NULL, c, &error));
		ck_assert_error(error, GLINT_ERROR_CANCELLED);
		ck_assert_uint_eq(done, 0);
		ck_assert_uint_eq(regs_of(b).value[GLINT_REG_PC], pc);
	}
}
END_TEST

/* reset --halt: halted at the reset vector by vector catch, and left so by
 * the disconnect; a plain connect and disconnect lets the firmware run */
START_TEST(test_reset_halt_stays_halted)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	g_autoptr(GError) error = NULL;
	GlintCoreStatus st;

	ck_assert_msg(glint_job_reset(b->session, GLINT_RESET_SOFTWARE, TRUE, NULL, &error), "%s",
		      error ? error->message : "");
	st = status_of(b);
	ck_assert_int_eq(st.state, GLINT_CORE_HALTED);
	ck_assert_uint_eq(st.dfsr & GLINT_HALT_VCATCH, GLINT_HALT_VCATCH);
	ck_assert_uint_eq(regs_of(b).value[GLINT_REG_PC], fw_board_symbol(b, "Reset_Handler"));
	/* the vector catch is an old reason once it ran: the next halt shows
	 * only its own */
	ck_assert(glint_job_core_run(b->session, &error));
	halt(b);
	ck_assert_uint_eq(status_of(b).dfsr, GLINT_HALT_REQUEST);
	ck_assert(glint_job_reset(b->session, GLINT_RESET_SOFTWARE, TRUE, NULL, &error));
	glint_job_disconnect(b->session);
	ck_assert_uint_eq(fw_board_peek32(b, DHCSR_ADDR) & DHCSR_S_HALT, DHCSR_S_HALT);

	/* attaching again without halting finds it halted and leaves it so */
	{
		GlintConnectOptions options = {.no_halt = TRUE};
		ck_assert(glint_job_connect(b->session, &options, NULL, NULL, &error));
		ck_assert_int_eq(status_of(b).state, GLINT_CORE_HALTED);
		glint_job_disconnect(b->session);
		ck_assert_uint_eq(fw_board_peek32(b, DHCSR_ADDR) & DHCSR_S_HALT, DHCSR_S_HALT);
	}
	/* a run job, then disconnect: running */
	{
		GlintConnectOptions options = {.no_halt = TRUE};
		ck_assert(glint_job_connect(b->session, &options, NULL, NULL, &error));
		ck_assert(glint_job_core_run(b->session, &error));
		glint_job_disconnect(b->session);
		ck_assert_uint_eq(fw_board_peek32(b, DHCSR_ADDR) & DHCSR_S_HALT, 0);
	}
}
END_TEST

/* A halting connect and its disconnect leave the firmware running, as
 * before; a halt job makes the disconnect leave it halted */
START_TEST(test_disconnect_keeps_halt_job)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, FALSE);
	g_autoptr(GError) error = NULL;
	GlintConnectOptions options = {0};
	glint_job_disconnect(b->session);
	ck_assert_uint_eq(fw_board_peek32(b, DHCSR_ADDR) & DHCSR_S_HALT, 0);
	ck_assert(glint_job_connect(b->session, &options, NULL, NULL, &error));
	halt(b);
	glint_job_disconnect(b->session);
	ck_assert_uint_eq(fw_board_peek32(b, DHCSR_ADDR) & DHCSR_S_HALT, DHCSR_S_HALT);
}
END_TEST

/* A fault in the HardFault handler: locked up, seen as such before a halt;
 * halting ends lockup (ARMv7-M C1.6.2) at PC 0xFFFFFFFE */
START_TEST(test_locked_up)
{
	g_autoptr(FwBoard) b = fw_board_new("fault-lockup.elf", 5 * MS, TRUE);
	GlintCoreStatus st = status_of(b);
	ck_assert_int_eq(st.state, GLINT_CORE_LOCKED_UP);
	ck_assert_str_eq(glint_core_state_to_string(st.state), "locked up");
	halt(b);
	ck_assert_int_eq(status_of(b).state, GLINT_CORE_HALTED);
	ck_assert_uint_eq(regs_of(b).value[GLINT_REG_PC], 0xFFFFFFFEu);
}
END_TEST

/* WFI: sleeping until something wakes it */
START_TEST(test_sleeping)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	g_autoptr(GError) error = NULL;
	GlintJobResult result = {0};
	/* wfi; b . */
	const guint8 code[] = {0x30, 0xBF, 0xFE, 0xE7};
	g_autoptr(GBytes) bytes = g_bytes_new_static(code, sizeof(code));

	halt(b);
	ck_assert(glint_job_write_memory(b->session, 0x20010000u, bytes,
					 GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, &result,
					 &error));
	glint_job_result_clear(&result);
	write_reg(b, GLINT_REG_PC, 0x20010000u);
	ck_assert(glint_job_core_run(b->session, &error));
	glint_sim_advance_time(b->sim, MS);
	ck_assert_int_eq(status_of(b).state, GLINT_CORE_SLEEPING);
	halt(b);
	ck_assert_uint_eq(regs_of(b).value[GLINT_REG_PC], 0x20010002u);
}
END_TEST

/* NRST held low: in reset, told apart from a reset that is over */
START_TEST(test_in_reset)
{
	g_autoptr(FwBoard) b = fw_board_new("watch.elf", MS, TRUE);
	g_autoptr(GError) error = NULL;
	GlintTarget *t = glint_session_get_target(b->session);
	GlintCoreStatus st;

	ck_assert(glint_stlink_drive_nrst(t->stlink, STLINK_NRST_LOW, &error));
	st = status_of(b);
	ck_assert_int_eq(st.state, GLINT_CORE_IN_RESET);
	ck_assert(st.reset_seen);
	ck_assert(glint_stlink_drive_nrst(t->stlink, STLINK_NRST_HIGH, &error));
	st = status_of(b);
	ck_assert(st.reset_seen);
	ck_assert_int_eq(st.state, GLINT_CORE_RUNNING);
	ck_assert(!status_of(b).reset_seen);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_status_halt_run);
	tcase_add_test(tc, test_read_registers);
	tcase_add_test(tc, test_write_registers);
	tcase_add_loop_test(tc, test_registers_other_cores, 0, G_N_ELEMENTS(other_cores));
	tcase_add_test(tc, test_registers_need_halt);
	tcase_add_test(tc, test_register_names);
	tcase_add_test(tc, test_step);
	tcase_add_test(tc, test_reset_halt_stays_halted);
	tcase_add_test(tc, test_disconnect_keeps_halt_job);
	tcase_add_test(tc, test_locked_up);
	tcase_add_test(tc, test_sleeping);
	tcase_add_test(tc, test_in_reset);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(core_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
