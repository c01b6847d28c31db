/* glint-fault.h: why the target's core faulted, in words.
 *
 * When the core is in a fault handler (HardFault, MemManage, BusFault,
 * UsageFault) or locked up, the report decodes what the architecture
 * records: CFSR's MemManage, BusFault and UsageFault bits, HFSR, MMFAR and
 * BFAR (only when MMARVALID/BFARVALID say they hold the address), DFSR
 * (ARMv7-M B3.2.15-B3.2.21, C1.6.1), and the exception frame the core
 * stacked (B1.5.6: on the main or process stack as EXC_RETURN in LR says,
 * basic or with the FP context), then names the faulting instruction and
 * its caller with the ELF's symbols and line table when one is given:
 * "precise bus fault reading 0x60000000 in take_fault() at faults.c:53".
 * ARMv6-M (Cortex-M0/M0+) records no cause (no CFSR, HFSR or fault
 * addresses): the report says so and gives where the core was.
 *
 * Taking the report halts a running core for the time of the reads and
 * lets it run again (a locked-up one locks up again at once), so it leaves
 * the target as it found it. */
#pragma once

#include <gio/gio.h>

#include "glint-core.h"
#include "glint-debug-info.h"
#include "glint-job.h"

G_BEGIN_DECLS

typedef enum {
	GLINT_FAULT_NONE,	/* not in a fault handler, not locked up */
	GLINT_FAULT_HARDFAULT,	/* exception 3 */
	GLINT_FAULT_MEMMANAGE,	/* 4 */
	GLINT_FAULT_BUSFAULT,	/* 5 */
	GLINT_FAULT_USAGEFAULT, /* 6 */
	GLINT_FAULT_LOCKUP,	/* a fault the core could not take */
} GlintFaultKind;

/* Fault status registers (ARMv7-M B3.2.15-B3.2.21) */
#define GLINT_CFSR_IACCVIOL (1u << 0)
#define GLINT_CFSR_DACCVIOL (1u << 1)
#define GLINT_CFSR_MUNSTKERR (1u << 3)
#define GLINT_CFSR_MSTKERR (1u << 4)
#define GLINT_CFSR_MLSPERR (1u << 5)
#define GLINT_CFSR_MMARVALID (1u << 7)
#define GLINT_CFSR_IBUSERR (1u << 8)
#define GLINT_CFSR_PRECISERR (1u << 9)
#define GLINT_CFSR_IMPRECISERR (1u << 10)
#define GLINT_CFSR_UNSTKERR (1u << 11)
#define GLINT_CFSR_STKERR (1u << 12)
#define GLINT_CFSR_LSPERR (1u << 13)
#define GLINT_CFSR_BFARVALID (1u << 15)
#define GLINT_CFSR_UNDEFINSTR (1u << 16)
#define GLINT_CFSR_INVSTATE (1u << 17)
#define GLINT_CFSR_INVPC (1u << 18)
#define GLINT_CFSR_NOCP (1u << 19)
#define GLINT_CFSR_STKOF (1u << 20) /* ARMv8-M */
#define GLINT_CFSR_UNALIGNED (1u << 24)
#define GLINT_CFSR_DIVBYZERO (1u << 25)
#define GLINT_HFSR_VECTTBL (1u << 1)
#define GLINT_HFSR_FORCED (1u << 30)
#define GLINT_HFSR_DEBUGEVT (1u << 31)

/* What was read from the target: the decoding works on this alone, so it
 * can be checked without one. Stack windows are the bytes from MSP and
 * PSP upwards (as far as readable). */
typedef struct {
	GlintCoreInfo core;
	GlintCoreState state; /* before Glint halted it */
	GlintCoreRegs regs;
	gboolean has_fault_registers; /* ARMv7-M: CFSR, HFSR, MMFAR, BFAR */
	guint32 cfsr, hfsr, dfsr, mmfar, bfar, shcsr, ccr;
	gboolean handler_known; /* the vector of the exception being handled */
	guint32 handler;
	GBytes *msp_window;
	GBytes *psp_window;
	/* the instruction at the stacked PC (up to 4 bytes; 0 when unread)
	 * and the 4 bytes before it (an imprecise fault's store) */
	guint8 insn[4];
	guint insn_len;
	guint8 insn_before[4];
	gboolean insn_before_known;
} GlintFaultSnapshot;

void glint_fault_snapshot_clear(GlintFaultSnapshot *snap);

typedef struct {
	GlintFaultKind kind;
	guint exception;    /* IPSR when looked at */
	gboolean forced;    /* HFSR.FORCED: a configurable fault escalated */
	gchar *summary;	    /* one line, words */
	GPtrArray *details; /* lines: registers decoded, the frame, the places */
	/* the exception frame */
	gboolean frame_found;
	guint32 frame_address;
	gboolean frame_on_psp;
	gboolean frame_extended; /* the FP context was stacked too */
	guint32 exc_return;
	guint32 stacked[8]; /* r0, r1, r2, r3, r12, lr, pc, xpsr */
	/* where: the stacked PC (the faulting instruction for precise faults)
	 * and LR, in words when the ELF knows them ("take_fault() at faults.c:53") */
	gchar *where;
	gchar *caller;
	/* the address the fault names, when the core recorded one, or for an
	 * imprecise write the one the store before the stacked PC most likely
	 * wrote (its registers as stacked: address_guessed) */
	gboolean address_known;
	gboolean address_guessed;
	guint32 address;
} GlintFaultReport;

void glint_fault_report_free(GlintFaultReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintFaultReport, glint_fault_report_free)

/* The report from a snapshot; @elf may be NULL. */
GlintFaultReport *glint_fault_analyse(const GlintFaultSnapshot *snap, GlintDebugInfo *elf);
/* Summary and details as lines of text, for the CLI and a log. */
gchar *glint_fault_report_format(const GlintFaultReport *report);

/* Reads everything from the connected target (halting it for the time of
 * the reads, as above) and decodes it; @elf may be NULL. */
GlintFaultReport *glint_job_fault_report(GlintSession *self, GlintDebugInfo *elf, GError **error);

G_END_DECLS
