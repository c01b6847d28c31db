/* glint-core.h: the target's Cortex-M core as a debugger sees it: its run
 * state (DHCSR) and why it halted (DFSR), halt, run, step, and every core
 * register, read and written through DCRSR/DCRDR while halted (ARMv7-M ARM
 * C1.6; ARMv6-M ARM C1.6 for the Cortex-M0/M0+), FPU registers included
 * when MVFR0 says the core has one.
 *
 * Each call is a job on a GlintSession (glint-job.h): blocking, a few probe
 * commands long, meant for a worker thread (a GTask in the GUI), one at a
 * time per session (GLINT_ERROR_BUSY otherwise). Reading the state never
 * stops a running core; only halt and step do, and the register calls
 * refuse a running core (GLINT_ERROR_NOT_HALTED names the register) rather
 * than halt it behind the caller's back. A core that a job halted (halt,
 * step, reset --halt) stays halted when the session disconnects; one that
 * was running is let run. */
#pragma once

#include <gio/gio.h>

#include "glint-job.h"

G_BEGIN_DECLS

typedef enum {
	GLINT_CORE_RUNNING,
	GLINT_CORE_HALTED,
	GLINT_CORE_SLEEPING,  /* WFI/WFE: DHCSR.S_SLEEP */
	GLINT_CORE_LOCKED_UP, /* a fault it could not take: DHCSR.S_LOCKUP */
	GLINT_CORE_IN_RESET,  /* held in reset: S_RESET_ST on two reads in a row */
} GlintCoreState;

/* DFSR (ARMv7-M C1.6.1): why the core halted, as bits */
#define GLINT_HALT_REQUEST (1u << 0)  /* HALTED: a debugger's halt or step */
#define GLINT_HALT_BKPT (1u << 1)     /* a BKPT instruction or FPB breakpoint */
#define GLINT_HALT_DWTTRAP (1u << 2)  /* a DWT watchpoint */
#define GLINT_HALT_VCATCH (1u << 3)   /* vector catch (reset, a fault) */
#define GLINT_HALT_EXTERNAL (1u << 4) /* EDBGRQ */

typedef struct {
	GlintCoreState state;
	guint32 dhcsr;
	guint32 dfsr;	     /* the halt reasons (GLINT_HALT_*) when halted, else 0 */
	gboolean reset_seen; /* S_RESET_ST: it was reset since the last look */
} GlintCoreStatus;

/* "running", "halted", "sleeping", "locked up", "in reset" */
const char *glint_core_state_to_string(GlintCoreState state);
/* "breakpoint", "halt request, vector catch"; "unknown" without a reason */
gchar *glint_core_halt_reason_describe(guint32 dfsr);

typedef enum {
	GLINT_REG_R0,
	GLINT_REG_R12 = GLINT_REG_R0 + 12,
	GLINT_REG_SP,
	GLINT_REG_LR,
	GLINT_REG_PC,
	GLINT_REG_XPSR,
	GLINT_REG_MSP,
	GLINT_REG_PSP,
	GLINT_REG_CONTROL,
	GLINT_REG_PRIMASK,
	GLINT_REG_BASEPRI,   /* not on ARMv6-M */
	GLINT_REG_FAULTMASK, /* not on ARMv6-M */
	GLINT_REG_FPSCR,     /* FPU only */
	GLINT_REG_S0,	     /* FPU only, S0-S31 */
	GLINT_REG_S31 = GLINT_REG_S0 + 31,
	GLINT_REG_COUNT,
} GlintCoreReg;

/* "r0".."r12", "sp", "lr", "pc", "xpsr", "msp", "psp", "control",
 * "primask", "basepri", "faultmask", "fpscr", "s0".."s31" */
const char *glint_core_reg_name(GlintCoreReg reg);
/* Those names in any case, and r13/r14/r15; GLINT_ERROR_INVALID_ARGUMENT
 * lists the names otherwise */
gboolean glint_core_reg_from_name(const char *name, GlintCoreReg *reg, GError **error);

typedef struct {
	guint32 cpuid;
	const char *name;     /* "Cortex-M4"; "Cortex-M (CPUID 0x...)" when unknown */
	gboolean armv6m;      /* ARMv6-M/ARMv8-M baseline: no BASEPRI, FAULTMASK, CFSR */
	gboolean has_fpu;     /* MVFR0 (ARMv7-M B4.1.2) says single or double precision */
	gboolean fpu_double;  /* MVFR0.Double-precision */
	gboolean fpu_enabled; /* CPACR grants CP10 and CP11 (B3.2.20): code may use it */
	guint32 mvfr0;
	guint32 cpacr;
} GlintCoreInfo;

typedef struct {
	guint32 value[GLINT_REG_COUNT];
	guint64 valid; /* 1 << GlintCoreReg for each register the core has and was read */
} GlintCoreRegs;

static inline gboolean
glint_core_regs_has(const GlintCoreRegs *regs, GlintCoreReg reg)
{
	return (regs->valid >> reg) & 1u;
}

/* The state, without touching the core (DHCSR, DFSR when halted). */
gboolean glint_job_core_status(GlintSession *self, GlintCoreStatus *status, GError **error);
/* What the core is (CPUID, MVFR0, CPACR). */
gboolean glint_job_core_info(GlintSession *self, GlintCoreInfo *info, GError **error);
/* Halts (also a sleeping or locked-up core: Debug state ends both);
 * @status (may be NULL) is the state after. */
gboolean glint_job_core_halt(GlintSession *self, GlintCoreStatus *status, GError **error);
/* Lets a halted core run (nothing for a running one). */
gboolean glint_job_core_run(GlintSession *self, GError **error);
/* Executes @count instructions one at a time (interrupts masked), stopping
 * early at a breakpoint, a vector catch or a lockup; @done (may be NULL)
 * gets how many ran. GLINT_ERROR_NOT_HALTED when the core runs;
 * cancellable between instructions. */
gboolean glint_job_core_step(GlintSession *self, guint count, guint *done, GlintCoreStatus *status,
			     GCancellable *cancellable, GError **error);
/* Every register the core has (see valid). GLINT_ERROR_NOT_HALTED when the
 * core runs. */
gboolean glint_job_core_read_registers(GlintSession *self, GlintCoreRegs *regs, GError **error);
/* One register; CONTROL, PRIMASK, BASEPRI and FAULTMASK share one DCRSR
 * selector and are written as one word with the others kept. Errors name
 * the register: GLINT_ERROR_NOT_HALTED, GLINT_ERROR_UNSUPPORTED (BASEPRI on
 * a Cortex-M0+, S5 without an FPU). */
gboolean glint_job_core_write_register(GlintSession *self, GlintCoreReg reg, guint32 value,
				       GError **error);

G_END_DECLS
