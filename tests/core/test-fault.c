/* test-fault.c: the fault report (glint-fault.h) on the emulated
 * NUCLEO-L476RG running each fault of tests/data/firmware/faults.c, word
 * for word (function, file:line, fault kind, address), with and without
 * the ELF; the registers the emulator sets checked against the
 * architecture; and snapshots a test builds by hand for what the emulator
 * does not produce (ARMv6-M, FP frames, the process stack, a handler that
 * pushed LR, MemManage data faults, an erased vector table). */
#define G_LOG_DOMAIN "test-fault"

#include <stdio.h>
#include <string.h>

#include "fw-board.h"
#include "glint-core.h"
#include "glint-error.h"
#include "glint-fault.h"

#define MS 1000000
/* long enough for main's 1000-pass loop at the 4 MHz after reset */
#define RUN_TO_FAULT (20 * MS)

/* The line of faults.c marked "FAULT_LINE @marker" */
static guint
fault_line(const char *marker)
{
	g_autofree gchar *path = fw_board_path("faults.c");
	g_autofree gchar *text = NULL;
	g_autofree gchar *needle = g_strdup_printf("FAULT_LINE %s */", marker);
	g_auto(GStrv) lines = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (strstr(lines[i], needle) != NULL)
			return i + 1;
	}
	ck_abort_msg("no FAULT_LINE %s in faults.c", marker);
	return 0;
}

static GlintFaultReport *
report_of(FwBoard *b, gboolean with_elf)
{
	g_autoptr(GError) error = NULL;
	GlintFaultReport *r = glint_job_fault_report(b->session, with_elf ? b->elf : NULL, &error);
	ck_assert_msg(r != NULL, "%s", error ? error->message : "");
	return r;
}

static void
assert_summary(const GlintFaultReport *r, const char *expected)
{
	ck_assert_msg(g_strcmp0(r->summary, expected) == 0, "summary:\n  %s\nexpected:\n  %s",
		      r->summary, expected);
}

static gboolean
details_say(const GlintFaultReport *r, const char *needle)
{
	for (guint i = 0; i < r->details->len; i++) {
		if (strstr(g_ptr_array_index(r->details, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static guint32
peek(FwBoard *b, guint32 addr)
{
	return fw_board_peek32(b, addr);
}

#define CFSR 0xE000ED28u
#define HFSR 0xE000ED2Cu
#define BFAR 0xE000ED38u

/* @format with its "%u" replaced by @line */
static gchar *
with_line(const char *format, guint line)
{
	g_auto(GStrv) parts = g_strsplit(format, "%u", 2);
	ck_assert(parts[0] != NULL && parts[1] != NULL);
	return g_strdup_printf("%s%u%s", parts[0], line, parts[1]);
}

/* What each fault fixture must produce, word for word */
static const struct {
	const char *elf;
	const char *marker;
	const char *format; /* %u: the marked line (see with_line) */
	GlintFaultKind kind;
	guint32 cfsr, hfsr;
} fixtures[] = {
    {"fault-imprecise.elf", "imprecise",
     "imprecise bus fault writing 0x60000000 (probably) from take_fault() at faults.c:%u",
     GLINT_FAULT_BUSFAULT, GLINT_CFSR_IMPRECISERR, 0},
    {"fault-precise.elf", "precise",
     "precise bus fault reading 0x60000000 in take_fault() at faults.c:%u", GLINT_FAULT_BUSFAULT,
     GLINT_CFSR_PRECISERR | GLINT_CFSR_BFARVALID, 0},
    {"fault-divide.elf", "divide", "usage fault: division by zero in take_fault() at faults.c:%u",
     GLINT_FAULT_USAGEFAULT, GLINT_CFSR_DIVBYZERO, 0},
    {"fault-undefined.elf", "undefined",
     "usage fault: undefined instruction in take_fault() at faults.c:%u", GLINT_FAULT_USAGEFAULT,
     GLINT_CFSR_UNDEFINSTR, 0},
    {"fault-memmanage.elf", "execute-never",
     "MemManage fault: instruction fetch from execute-never address 0x40000000, called from "
     "take_fault() at faults.c:%u",
     GLINT_FAULT_MEMMANAGE, GLINT_CFSR_IACCVIOL, 0},
    {"fault-forced.elf", "precise",
     "HardFault (escalated): precise bus fault reading 0x60000000 in take_fault() at "
     "faults.c:%u",
     GLINT_FAULT_HARDFAULT, GLINT_CFSR_PRECISERR | GLINT_CFSR_BFARVALID, GLINT_HFSR_FORCED},
    {"fault-lockup.elf", "undefined",
     "locked up: a fault inside the HardFault handler HardFault_Handler(); the HardFault was "
     "entered for: usage fault: undefined instruction in take_fault() at faults.c:%u",
     GLINT_FAULT_LOCKUP, GLINT_CFSR_UNDEFINSTR, GLINT_HFSR_FORCED},
};

START_TEST(test_fixture_report)
{
	g_autoptr(FwBoard) b = fw_board_new(fixtures[_i].elf, RUN_TO_FAULT, TRUE);
	g_autoptr(GlintFaultReport) r = report_of(b, TRUE);
	g_autofree gchar *expected =
	    with_line(fixtures[_i].format, fault_line(fixtures[_i].marker));
	assert_summary(r, expected);
	ck_assert_int_eq(r->kind, fixtures[_i].kind);
	ck_assert(r->frame_found);
	ck_assert(!r->frame_on_psp);
	ck_assert(!r->frame_extended);
	ck_assert_uint_eq(r->exc_return, 0xFFFFFFF9u);
	/* the stacked LR: the call of take_fault(), or for the branch into
	 * the peripherals the call made from take_fault() */
	{
		g_autofree gchar *caller = g_strdup_printf(
		    fixtures[_i].kind == GLINT_FAULT_MEMMANAGE ? "take_fault() at faults.c:%u"
							       : "main() at faults.c:%u",
		    fault_line(fixtures[_i].kind == GLINT_FAULT_MEMMANAGE ? "execute-never"
									  : "call"));
		ck_assert_str_eq(r->caller, caller);
	}
}
END_TEST

/* The same words on the other cores that run this firmware (RAM at
 * 0x20000000 up to 96 KB): the Cortex-M7 of the H7 (its vector table where
 * it booted: VTOR starts at the boot address) and the G4's Cortex-M4 */
static const char *const other_boards[] = {"nucleo-h743zi:fresh", "nucleo-g474re:fresh"};

START_TEST(test_fixture_report_other_boards)
{
	guint board = (guint)_i / G_N_ELEMENTS(fixtures);
	guint f = (guint)_i % G_N_ELEMENTS(fixtures);
	g_autoptr(FwBoard) b = fw_board_new_full(other_boards[board], fixtures[f].elf, RUN_TO_FAULT,
						 TRUE, GLINT_PROBE_KIND_V2, 0);
	g_autoptr(GlintFaultReport) r = report_of(b, TRUE);
	g_autofree gchar *expected = with_line(fixtures[f].format, fault_line(fixtures[f].marker));
	ck_assert_msg(g_strcmp0(r->summary, expected) == 0, "%s, %s:\n  %s\nexpected:\n  %s",
		      other_boards[board], fixtures[f].elf, r->summary, expected);
	ck_assert_int_eq(r->kind, fixtures[f].kind);
}
END_TEST

/* The emulator's fault registers against the architecture (ARMv7-M
 * B3.2.15-B3.2.18): each fault sets its own bits and nothing else, BFAR
 * only with BFARVALID */
START_TEST(test_fixture_registers)
{
	g_autoptr(FwBoard) b = fw_board_new(fixtures[_i].elf, RUN_TO_FAULT, TRUE);
	guint32 cfsr = peek(b, CFSR), hfsr = peek(b, HFSR);
	ck_assert_msg(cfsr == fixtures[_i].cfsr, "%s: CFSR 0x%08x, expected 0x%08x",
		      fixtures[_i].elf, cfsr, fixtures[_i].cfsr);
	ck_assert_msg(hfsr == fixtures[_i].hfsr, "%s: HFSR 0x%08x, expected 0x%08x",
		      fixtures[_i].elf, hfsr, fixtures[_i].hfsr);
	if (cfsr & GLINT_CFSR_BFARVALID)
		ck_assert_uint_eq(peek(b, BFAR), 0x60000000u);
}
END_TEST

/* Precise faults stack the faulting instruction; an imprecise store the
 * one after it (the core went on): both checked against the ELF's lines */
START_TEST(test_stacked_pc_exact)
{
	g_autoptr(FwBoard) precise = fw_board_new("fault-precise.elf", RUN_TO_FAULT, TRUE);
	g_autoptr(FwBoard) imprecise = fw_board_new("fault-imprecise.elf", RUN_TO_FAULT, TRUE);
	g_autoptr(GlintFaultReport) rp = report_of(precise, TRUE);
	g_autoptr(GlintFaultReport) ri = report_of(imprecise, TRUE);
	const char *file;
	guint line = 0;
	guint16 insn = 0;

	ck_assert(glint_debug_info_line_at(precise->elf, rp->stacked[6], &file, &line, NULL));
	ck_assert_uint_eq(line, fault_line("precise"));
	/* the load itself: LDR (immediate, T1) 0b01101... */
	ck_assert(glint_sim_peek(precise->sim, rp->stacked[6], (guint8 *)&insn, 2));
	ck_assert_uint_eq(GUINT16_FROM_LE(insn) & 0xF800u, 0x6800u);
	/* past the store: the line after it */
	ck_assert(glint_debug_info_line_at(imprecise->elf, ri->stacked[6], &file, &line, NULL));
	ck_assert_uint_ne(line, fault_line("imprecise"));
	ck_assert(glint_sim_peek(imprecise->sim, ri->stacked[6] - 2, (guint8 *)&insn, 2));
	ck_assert_uint_eq(GUINT16_FROM_LE(insn) & 0xF800u, 0x6000u); /* STR (immediate, T1) */
	ck_assert(details_say(ri, "IMPRECISERR"));
	ck_assert(!details_say(ri, "BFAR 0x"));
	ck_assert(details_say(rp, "BFAR 0x60000000"));
}
END_TEST

/* Without the ELF: the same facts, addresses instead of names */
START_TEST(test_report_without_elf)
{
	g_autoptr(FwBoard) b = fw_board_new("fault-precise.elf", RUN_TO_FAULT, TRUE);
	g_autoptr(GlintFaultReport) r = report_of(b, FALSE);
	g_autofree gchar *expected =
	    g_strdup_printf("precise bus fault reading 0x60000000 in 0x%08X", r->stacked[6]);
	assert_summary(r, expected);
	ck_assert(r->address_known);
	ck_assert_uint_eq(r->address, 0x60000000u);
}
END_TEST

/* The report leaves the target as it found it */
START_TEST(test_report_leaves_target)
{
	g_autoptr(FwBoard) running = fw_board_new("watch.elf", 2 * MS, TRUE);
	g_autoptr(FwBoard) locked = fw_board_new("fault-lockup.elf", RUN_TO_FAULT, TRUE);
	g_autoptr(GlintFaultReport) r = report_of(running, TRUE);
	g_autoptr(GError) error = NULL;
	guint32 counter = fw_board_symbol(running, "counter");
	guint32 before;
	GlintCoreStatus st;

	ck_assert_int_eq(r->kind, GLINT_FAULT_NONE);
	ck_assert_str_eq(r->summary, "no fault: the core is running, in thread mode");
	before = peek(running, counter);
	glint_sim_advance_time(running->sim, MS);
	ck_assert_uint_gt(peek(running, counter), before);
	ck_assert(glint_job_core_status(running->session, &st, &error));
	ck_assert_int_eq(st.state, GLINT_CORE_RUNNING);

	g_clear_pointer(&r, glint_fault_report_free);
	r = report_of(locked, TRUE);
	ck_assert_int_eq(r->kind, GLINT_FAULT_LOCKUP);
	ck_assert(glint_job_core_status(locked->session, &st, &error));
	ck_assert_int_eq(st.state, GLINT_CORE_LOCKED_UP);
	/* asked again: the same words */
	{
		g_autoptr(GlintFaultReport) again = report_of(locked, TRUE);
		ck_assert_str_eq(again->summary, r->summary);
	}
}
END_TEST

/* A halted core in the handler (someone halted it first): the same report */
START_TEST(test_report_of_halted_core)
{
	g_autoptr(FwBoard) b = fw_board_new("fault-undefined.elf", RUN_TO_FAULT, TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintFaultReport) r = NULL;
	GlintCoreStatus st;
	g_autofree gchar *expected =
	    g_strdup_printf("usage fault: undefined instruction in take_fault() at faults.c:%u",
			    fault_line("undefined"));
	ck_assert(glint_job_core_halt(b->session, NULL, &error));
	r = report_of(b, TRUE);
	assert_summary(r, expected);
	ck_assert(glint_job_core_status(b->session, &st, &error));
	ck_assert_int_eq(st.state, GLINT_CORE_HALTED);
}
END_TEST

/* Snapshots built by hand ---------------------------------------------------- */

/* A little-endian stack image */
static GBytes *
stack_of(const guint32 *words, guint n)
{
	guint8 *b = g_malloc0(512);
	for (guint i = 0; i < n && i < 128; i++) {
		b[4 * i] = (guint8)words[i];
		b[4 * i + 1] = (guint8)(words[i] >> 8);
		b[4 * i + 2] = (guint8)(words[i] >> 16);
		b[4 * i + 3] = (guint8)(words[i] >> 24);
	}
	return g_bytes_new_take(b, 512);
}

static void
snapshot_m4(GlintFaultSnapshot *s, guint ipsr, guint32 lr)
{
	memset(s, 0, sizeof(*s));
	s->core.name = "Cortex-M4";
	s->core.cpuid = 0x410FC241u;
	s->core.has_fpu = TRUE;
	s->state = GLINT_CORE_RUNNING;
	s->has_fault_registers = TRUE;
	s->regs.value[GLINT_REG_XPSR] = 0x01000000u | ipsr;
	s->regs.value[GLINT_REG_LR] = lr;
	s->regs.value[GLINT_REG_PC] = 0x08000200u;
	s->regs.value[GLINT_REG_MSP] = 0x20017F00u;
	s->regs.value[GLINT_REG_PSP] = 0x20010000u;
	s->regs.value[GLINT_REG_SP] = 0x20017F00u;
}

/* a basic frame returning to thread mode at @pc */
#define FRAME(pc) 0x11, 0x22, 0x33, 0x44, 0x1212, 0x08000101u, (pc), 0x01000000u

START_TEST(test_snapshot_psp_frame)
{
	GlintFaultSnapshot s;
	const guint32 psp[] = {FRAME(0x08000130u)};
	const guint32 msp[] = {0xDEAD, 0xBEEF};
	g_autoptr(GlintFaultReport) r = NULL;
	snapshot_m4(&s, 6, 0xFFFFFFFDu);
	s.cfsr = GLINT_CFSR_UNDEFINSTR;
	s.msp_window = stack_of(msp, G_N_ELEMENTS(msp));
	s.psp_window = stack_of(psp, G_N_ELEMENTS(psp));
	r = glint_fault_analyse(&s, NULL);
	ck_assert(r->frame_found);
	ck_assert(r->frame_on_psp);
	ck_assert_uint_eq(r->frame_address, 0x20010000u);
	ck_assert_uint_eq(r->stacked[6], 0x08000130u);
	ck_assert_str_eq(r->summary, "usage fault: undefined instruction in 0x08000130");
	ck_assert(details_say(r, "on PSP"));
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* An FP context stacked too (EXC_RETURN 0xFFFFFFE9: FType 0) */
START_TEST(test_snapshot_fp_frame)
{
	GlintFaultSnapshot s;
	const guint32 msp[] = {FRAME(0x08000140u)};
	g_autoptr(GlintFaultReport) r = NULL;
	snapshot_m4(&s, 6, 0xFFFFFFE9u);
	s.cfsr = GLINT_CFSR_DIVBYZERO;
	s.msp_window = stack_of(msp, G_N_ELEMENTS(msp));
	r = glint_fault_analyse(&s, NULL);
	ck_assert(r->frame_found);
	ck_assert(r->frame_extended);
	ck_assert(details_say(r, "with the FP context"));
	ck_assert_str_eq(r->summary, "usage fault: division by zero in 0x08000140");
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* A handler that called something: LR is not EXC_RETURN; the pushed one
 * on the stack says where the frame is, above the handler's pushes */
START_TEST(test_snapshot_handler_pushed_lr)
{
	GlintFaultSnapshot s;
	const guint32 msp[] = {0x20017F40u, 0xFFFFFFF9u, FRAME(0x08000150u)};
	g_autoptr(GlintFaultReport) r = NULL;
	snapshot_m4(&s, 5, 0x08000211u);
	s.cfsr = GLINT_CFSR_PRECISERR | GLINT_CFSR_BFARVALID;
	s.bfar = 0x60001234u;
	/* STR r1, [r0]: the direction from the instruction */
	s.insn[0] = 0x01;
	s.insn[1] = 0x60;
	s.insn_len = 2;
	s.msp_window = stack_of(msp, G_N_ELEMENTS(msp));
	r = glint_fault_analyse(&s, NULL);
	ck_assert(r->frame_found);
	ck_assert_uint_eq(r->frame_address, 0x20017F08u);
	ck_assert_uint_eq(r->exc_return, 0xFFFFFFF9u);
	ck_assert_str_eq(r->summary, "precise bus fault writing 0x60001234 in 0x08000150");
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* MemManage data access with MMFAR valid; MMFAR not shown without it */
START_TEST(test_snapshot_mmfar)
{
	GlintFaultSnapshot s;
	const guint32 msp[] = {FRAME(0x08000160u)};
	g_autoptr(GlintFaultReport) r = NULL, r2 = NULL;
	snapshot_m4(&s, 4, 0xFFFFFFF9u);
	s.cfsr = GLINT_CFSR_DACCVIOL | GLINT_CFSR_MMARVALID;
	s.mmfar = 0x20000400u;
	s.insn[0] = 0x08; /* LDR r0, [r1] */
	s.insn[1] = 0x68;
	s.insn_len = 2;
	s.msp_window = stack_of(msp, G_N_ELEMENTS(msp));
	r = glint_fault_analyse(&s, NULL);
	ck_assert_str_eq(r->summary,
			 "MemManage fault: reading 0x20000400 is not permitted in 0x08000160");
	ck_assert(details_say(r, "MMFAR 0x20000400"));
	s.cfsr = GLINT_CFSR_DACCVIOL;
	r2 = glint_fault_analyse(&s, NULL);
	ck_assert_str_eq(r2->summary,
			 "MemManage fault: a data access is not permitted in 0x08000160");
	ck_assert(!details_say(r2, "MMFAR"));
	ck_assert(!r2->address_known);
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* An imprecise write's address from the store before the stacked PC and
 * its registers as stacked (FRAME: r0 0x11, r1 0x22, r2 0x33, r3 0x44,
 * r12 0x1212), for each store encoding; 0: not worked out */
static const struct {
	const char *what;
	guint8 before[4]; /* the 4 bytes before the stacked PC */
	guint32 address;
} imprecise_stores[] = {
    {"STR r2, [r3, #8] (T1)", {0x00, 0xBF, 0x9A, 0x60}, 0x44 + 8},
    {"STRB r0, [r1, #3] (T1)", {0x00, 0xBF, 0xC8, 0x70}, 0x22 + 3},
    {"STRH r1, [r2, #6] (T1)", {0x00, 0xBF, 0xD1, 0x80}, 0x33 + 6},
    {"STR r0, [r1, r2] (T1)", {0x00, 0xBF, 0x88, 0x50}, 0x22 + 0x33},
    {"STM r3!, {r0, r1} (T1)", {0x00, 0xBF, 0x03, 0xC3}, 0x44},
    {"STR.W r0, [r12, #0x100] (T3)", {0xCC, 0xF8, 0x00, 0x01}, 0x1212 + 0x100},
    {"STR r0, [r1, #-4] (T4)", {0x41, 0xF8, 0x04, 0x0C}, 0x22 - 4},
    {"STR r0, [r1], #4 (T4, post-indexed)", {0x41, 0xF8, 0x04, 0x0B}, 0x22},
    {"STR r0, [r1, #4]! (T4, pre-indexed)", {0x41, 0xF8, 0x04, 0x0F}, 0x22 + 4},
    {"STR.W r0, [r1, r2, LSL #2] (T2)", {0x41, 0xF8, 0x22, 0x00}, 0x22 + 0x33 * 4},
    {"STRD r0, r1, [r2, #8]", {0xC2, 0xE9, 0x02, 0x01}, 0x33 + 8},
    {"STRD r0, r1, [r2, #-8]", {0x42, 0xE9, 0x02, 0x01}, 0x33 - 8},
    {"STMIA.W r2, {r0, r1}", {0x82, 0xE8, 0x03, 0x00}, 0x33},
    {"STR r0, [r4] (r4 not stacked)", {0x00, 0xBF, 0x20, 0x60}, 0},
    {"STR r0, [sp, #4] (SP-relative)", {0x00, 0xBF, 0x01, 0x90}, 0},
    {"LDR r0, [r1] (not a store)", {0x00, 0xBF, 0x08, 0x68}, 0},
};

START_TEST(test_snapshot_imprecise_store)
{
	GlintFaultSnapshot s;
	const guint32 msp[] = {FRAME(0x08000200u)};
	g_autoptr(GlintFaultReport) r = NULL;
	g_autofree gchar *expected = NULL;
	snapshot_m4(&s, 5, 0xFFFFFFF9u);
	s.cfsr = GLINT_CFSR_IMPRECISERR;
	memcpy(s.insn_before, imprecise_stores[_i].before, 4);
	s.insn_before_known = TRUE;
	s.msp_window = stack_of(msp, G_N_ELEMENTS(msp));
	r = glint_fault_analyse(&s, NULL);
	ck_assert(r->frame_found);
	ck_assert(!r->address_known);
	if (imprecise_stores[_i].address == 0) {
		ck_assert_msg(!r->address_guessed, "%s: guessed 0x%08X", imprecise_stores[_i].what,
			      r->address);
		ck_assert_msg(g_str_has_prefix(r->summary, "imprecise bus fault writing (address "
							   "not recorded)"),
			      "%s: %s", imprecise_stores[_i].what, r->summary);
		ck_assert(!details_say(r, "No BFAR for an imprecise fault"));
	} else {
		ck_assert_msg(r->address_guessed, "%s: %s", imprecise_stores[_i].what, r->summary);
		ck_assert_msg(r->address == imprecise_stores[_i].address,
			      "%s: 0x%08X, expected 0x%08X", imprecise_stores[_i].what, r->address,
			      imprecise_stores[_i].address);
		expected = g_strdup_printf(
		    "imprecise bus fault writing 0x%08X (probably) from 0x%08X",
		    imprecise_stores[_i].address,
		    (imprecise_stores[_i].before[1] >> 3) >= 0x1Du ? 0x080001FCu : 0x080001FEu);
		assert_summary(r, expected);
		ck_assert(details_say(r, "No BFAR for an imprecise fault"));
	}
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* ARMv6-M: no CFSR; what can be known is where */
START_TEST(test_snapshot_armv6m)
{
	GlintFaultSnapshot s;
	const guint32 msp[] = {FRAME(0x08000170u)};
	g_autoptr(GlintFaultReport) r = NULL;
	snapshot_m4(&s, 3, 0xFFFFFFF9u);
	s.core.name = "Cortex-M0+";
	s.core.armv6m = TRUE;
	s.has_fault_registers = FALSE;
	s.msp_window = stack_of(msp, G_N_ELEMENTS(msp));
	r = glint_fault_analyse(&s, NULL);
	ck_assert_int_eq(r->kind, GLINT_FAULT_HARDFAULT);
	ck_assert_str_eq(r->summary, "HardFault in 0x08000170 (ARMv6-M records no cause: no CFSR, "
				     "HFSR or fault address on a Cortex-M0+)");
	ck_assert(details_say(r, "has no CFSR"));
	ck_assert(!details_say(r, "CFSR 0x"));
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* A blank chip: locked up in HardFault, the vector table erased */
START_TEST(test_snapshot_blank_chip)
{
	GlintFaultSnapshot s;
	g_autoptr(GlintFaultReport) r = NULL;
	snapshot_m4(&s, 3, 0xFFFFFFF9u);
	s.state = GLINT_CORE_LOCKED_UP;
	s.regs.value[GLINT_REG_PC] = 0xFFFFFFFEu;
	s.regs.value[GLINT_REG_MSP] = 0xFFFFFFD8u;
	s.cfsr = GLINT_CFSR_IACCVIOL | GLINT_CFSR_STKERR;
	s.hfsr = GLINT_HFSR_FORCED;
	s.handler_known = TRUE;
	s.handler = 0xFFFFFFFFu;
	r = glint_fault_analyse(&s, NULL);
	ck_assert_int_eq(r->kind, GLINT_FAULT_LOCKUP);
	ck_assert(!r->frame_found);
	ck_assert_str_eq(r->summary,
			 "locked up: no firmware (the vector table is erased: the "
			 "HardFault vector reads 0xFFFFFFFF); the first fault: MemManage "
			 "fault: instruction fetch from an execute-never address");
	ck_assert(details_say(r, "No exception frame found"));
	glint_fault_snapshot_clear(&s);
}
END_TEST

/* A blank L0 (Cortex-M0+): its flash erases to zeros, so the vector reads 0 */
START_TEST(test_snapshot_blank_chip_zeros)
{
	GlintFaultSnapshot s;
	g_autoptr(GlintFaultReport) r = NULL;
	snapshot_m4(&s, 3, 0xFFFFFFF9u);
	s.core.name = "Cortex-M0+";
	s.core.armv6m = TRUE;
	s.has_fault_registers = FALSE;
	s.state = GLINT_CORE_LOCKED_UP;
	s.regs.value[GLINT_REG_PC] = 0xFFFFFFFEu;
	s.handler_known = TRUE;
	s.handler = 0;
	r = glint_fault_analyse(&s, NULL);
	ck_assert_int_eq(r->kind, GLINT_FAULT_LOCKUP);
	ck_assert_str_eq(r->summary,
			 "locked up: no firmware (the vector table is erased: the "
			 "HardFault vector reads 0x00000000); the first fault: HardFault "
			 "(ARMv6-M records no cause)");
	ck_assert(details_say(r, "its vector reads 0x00000000 (erased)"));
	glint_fault_snapshot_clear(&s);
}
END_TEST

static Suite *
fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("target");
	tcase_add_loop_test(tc, test_fixture_report, 0, G_N_ELEMENTS(fixtures));
	tcase_add_loop_test(tc, test_fixture_registers, 0, G_N_ELEMENTS(fixtures));
	tcase_add_loop_test(tc, test_fixture_report_other_boards, 0,
			    G_N_ELEMENTS(other_boards) * G_N_ELEMENTS(fixtures));
	tcase_add_test(tc, test_stacked_pc_exact);
	tcase_add_test(tc, test_report_without_elf);
	tcase_add_test(tc, test_report_leaves_target);
	tcase_add_test(tc, test_report_of_halted_core);
	suite_add_tcase(s, tc);
	tc = tcase_create("snapshots");
	tcase_add_test(tc, test_snapshot_psp_frame);
	tcase_add_test(tc, test_snapshot_fp_frame);
	tcase_add_test(tc, test_snapshot_handler_pushed_lr);
	tcase_add_test(tc, test_snapshot_mmfar);
	tcase_add_loop_test(tc, test_snapshot_imprecise_store, 0, G_N_ELEMENTS(imprecise_stores));
	tcase_add_test(tc, test_snapshot_armv6m);
	tcase_add_test(tc, test_snapshot_blank_chip);
	tcase_add_test(tc, test_snapshot_blank_chip_zeros);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fault_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
