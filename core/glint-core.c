/* glint-core.c: core control and core registers through the debug
 * registers of the System Control Space (ARMv7-M ARM C1.6):
 *
 *   DHCSR (C1.6.2) C_DEBUGEN, C_HALT, C_STEP, C_MASKINTS to control the
 *         core; S_HALT, S_SLEEP, S_LOCKUP, S_REGRDY, S_RESET_ST to read it
 *   DFSR  (C1.6.1) why it halted (sticky, cleared by writing ones)
 *   DCRSR (C1.6.3) REGSEL and REGWnR start a register transfer through
 *   DCRDR (C1.6.4) which holds the value; S_REGRDY says it is done
 *
 * REGSEL: 0-12 R0-R12, 13 SP (the current one), 14 LR, 15 the debug return
 * address (PC), 16 xPSR, 17 MSP, 18 PSP, 20 CONTROL[31:24], FAULTMASK[23:16],
 * BASEPRI[15:8], PRIMASK[7:0] in one word (ARMv6-M: CONTROL and PRIMASK
 * only), 33 FPSCR, 64-95 S0-S31 (with the FP extension, B4.1). */
#define G_LOG_DOMAIN "glint-core"

#include "glint-core-private.h"
#include "glint-i18n.h"

#include <string.h>

#include "glint-job-private.h"

/* CPUID (ARMv7-M B3.2.3) */
#define CPUID_PARTNO(cpuid) (((cpuid) >> 4) & 0xFFFu)
#define CPUID_ARCHITECTURE(cpuid) (((cpuid) >> 16) & 0xFu)
/* ARCHITECTURE 0xC: ARMv6-M (and ARMv8-M baseline); 0xF: by CPUID scheme */
#define CPUID_ARCH_V6M 0xCu
#define CM_CPACR 0xE000ED88u
#define CM_MVFR0 0xE000EF40u
/* MVFR0 (B4.1.2): Single-precision [7:4], Double-precision [11:8] */
#define MVFR0_SP(v) (((v) >> 4) & 0xFu)
#define MVFR0_DP(v) (((v) >> 8) & 0xFu)
/* CPACR CP10 [21:20], CP11 [23:22]: 0b11 full access */
#define CPACR_FP_FULL (0xFu << 20)
#define CM_DFSR_ALL_REASONS 0x1Fu

#define REGSEL_SPECIAL 20u
#define REGSEL_FPSCR 33u
#define REGSEL_S0 64u
/* S_REGRDY comes within cycles; each poll is a USB round trip */
#define REGRDY_MAX_POLLS 10
/* S_HALT after a step: as quickly */
#define STEP_MAX_POLLS 10

static const char *const reg_names[GLINT_REG_COUNT] = {
    "r0",      "r1",	  "r2",	       "r3",	"r4",  "r5",  "r6",   "r7",  "r8",  "r9",
    "r10",     "r11",	  "r12",       "sp",	"lr",  "pc",  "xpsr", "msp", "psp", "control",
    "primask", "basepri", "faultmask", "fpscr", "s0",  "s1",  "s2",   "s3",  "s4",  "s5",
    "s6",      "s7",	  "s8",	       "s9",	"s10", "s11", "s12",  "s13", "s14", "s15",
    "s16",     "s17",	  "s18",       "s19",	"s20", "s21", "s22",  "s23", "s24", "s25",
    "s26",     "s27",	  "s28",       "s29",	"s30", "s31",
};

const char *
glint_core_reg_name(GlintCoreReg reg)
{
	return (guint)reg < GLINT_REG_COUNT ? reg_names[reg] : "?";
}

gboolean
glint_core_reg_from_name(const char *name, GlintCoreReg *reg, GError **error)
{
	static const struct {
		const char *alias;
		GlintCoreReg reg;
	} aliases[] = {{"r13", GLINT_REG_SP}, {"r14", GLINT_REG_LR}, {"r15", GLINT_REG_PC}};
	for (guint i = 0; i < GLINT_REG_COUNT; i++) {
		if (g_ascii_strcasecmp(name, reg_names[i]) == 0) {
			*reg = (GlintCoreReg)i;
			return TRUE;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(aliases); i++) {
		if (g_ascii_strcasecmp(name, aliases[i].alias) == 0) {
			*reg = aliases[i].reg;
			return TRUE;
		}
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("no core register '%s': r0-r12, sp, lr, pc, xpsr, msp, psp, control, "
		      "primask, basepri, faultmask, fpscr, s0-s31"),
		    name);
	return FALSE;
}

const char *
glint_core_state_to_string(GlintCoreState state)
{
	switch (state) {
	case GLINT_CORE_RUNNING:
		return C_("core state", "running");
	case GLINT_CORE_HALTED:
		return C_("core state", "halted");
	case GLINT_CORE_SLEEPING:
		return C_("core state", "sleeping");
	case GLINT_CORE_LOCKED_UP:
		return C_("core state", "locked up");
	case GLINT_CORE_IN_RESET:
		return C_("core state", "in reset");
	}
	return C_("core state", "unknown");
}

gchar *
glint_core_halt_reason_describe(guint32 dfsr)
{
	static const char *const reasons[] = {N_("halt request"), N_("breakpoint"),
					      N_("watchpoint (DWT)"), N_("vector catch"),
					      N_("external debug request")};
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(reasons); i++) {
		if (dfsr & (1u << i))
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", glint_tr(reasons[i]));
	}
	if (s->len == 0)
		g_string_append(s, _("unknown"));
	return g_string_free(s, FALSE);
}

/* State ---------------------------------------------------------------------- */

static GlintCoreState
core_state_from_dhcsr(guint32 dhcsr)
{
	if (dhcsr & CM_DHCSR_S_HALT)
		return GLINT_CORE_HALTED;
	if (dhcsr & CM_DHCSR_S_LOCKUP)
		return GLINT_CORE_LOCKED_UP;
	if (dhcsr & CM_DHCSR_S_SLEEP)
		return GLINT_CORE_SLEEPING;
	return GLINT_CORE_RUNNING;
}

gboolean
glint_core_get_status(GlintTarget *t, GlintCoreStatus *status, GError **error)
{
	guint32 dhcsr = 0;
	memset(status, 0, sizeof(*status));
	if (!glint_stlink_read32(t->stlink, CM_DHCSR, &dhcsr, error))
		return FALSE;
	status->dhcsr = dhcsr;
	status->state = core_state_from_dhcsr(dhcsr);
	/* S_RESET_ST is sticky: set once means "was reset since the last
	 * read", set again right after means "is being held in reset" */
	if (dhcsr & CM_DHCSR_S_RESET_ST) {
		status->reset_seen = TRUE;
		if (!glint_stlink_read32(t->stlink, CM_DHCSR, &dhcsr, error))
			return FALSE;
		if (dhcsr & CM_DHCSR_S_RESET_ST)
			status->state = GLINT_CORE_IN_RESET;
		else
			status->state = core_state_from_dhcsr(dhcsr);
		status->dhcsr = dhcsr;
	}
	if (status->state == GLINT_CORE_HALTED) {
		if (!glint_stlink_read32(t->stlink, CM_DFSR, &status->dfsr, error))
			return FALSE;
		status->dfsr &= CM_DFSR_ALL_REASONS;
	}
	t->core_running = status->state != GLINT_CORE_HALTED;
	return TRUE;
}

static const char *
core_part_name(guint32 cpuid)
{
	switch (CPUID_PARTNO(cpuid)) {
	case 0xC20:
		return "Cortex-M0";
	case 0xC60:
		return "Cortex-M0+";
	case 0xC23:
		return "Cortex-M3";
	case 0xC24:
		return "Cortex-M4";
	case 0xC27:
		return "Cortex-M7";
	case 0xD20:
		return "Cortex-M23";
	case 0xD21:
		return "Cortex-M33";
	default:
		return NULL;
	}
}

gboolean
glint_core_get_info(GlintTarget *t, GlintCoreInfo *info, GError **error)
{
	memset(info, 0, sizeof(*info));
	if (!glint_stlink_read32(t->stlink, CM_CPUID, &info->cpuid, error))
		return FALSE;
	info->name = core_part_name(info->cpuid);
	if (info->name == NULL)
		info->name = "Cortex-M";
	info->armv6m = CPUID_ARCHITECTURE(info->cpuid) == CPUID_ARCH_V6M;
	if (info->armv6m)
		return TRUE; /* no FP extension on ARMv6-M */
	/* MVFR0 reads 0 without an FPU (its fields say "not supported");
	 * nothing is written to find out */
	if (!glint_stlink_read32(t->stlink, CM_MVFR0, &info->mvfr0, error) ||
	    !glint_stlink_read32(t->stlink, CM_CPACR, &info->cpacr, error))
		return FALSE;
	info->has_fpu = MVFR0_SP(info->mvfr0) != 0 || MVFR0_DP(info->mvfr0) != 0;
	info->fpu_double = MVFR0_DP(info->mvfr0) != 0;
	info->fpu_enabled = info->has_fpu && (info->cpacr & CPACR_FP_FULL) == CPACR_FP_FULL;
	return TRUE;
}

/* Registers ------------------------------------------------------------------ */

static guint
core_regsel(GlintCoreReg reg)
{
	if (reg <= GLINT_REG_PSP)
		return (guint)reg; /* R0-R12, SP, LR, PC, xPSR, MSP, PSP: 0-18 in order */
	if (reg <= GLINT_REG_FAULTMASK)
		return REGSEL_SPECIAL;
	if (reg == GLINT_REG_FPSCR)
		return REGSEL_FPSCR;
	return REGSEL_S0 + (reg - GLINT_REG_S0);
}

/* Bit position of a special register in the REGSEL 20 word */
static guint
core_special_shift(GlintCoreReg reg)
{
	switch (reg) {
	case GLINT_REG_CONTROL:
		return 24;
	case GLINT_REG_FAULTMASK:
		return 16;
	case GLINT_REG_BASEPRI:
		return 8;
	default:
		return 0; /* PRIMASK */
	}
}

static gboolean
core_reg_exists(const GlintCoreInfo *info, GlintCoreReg reg)
{
	if (reg == GLINT_REG_BASEPRI || reg == GLINT_REG_FAULTMASK)
		return !info->armv6m;
	if (reg >= GLINT_REG_FPSCR)
		return info->has_fpu;
	return TRUE;
}

static gboolean
core_check_exists(const GlintCoreInfo *info, GlintCoreReg reg, GError **error)
{
	if (core_reg_exists(info, reg))
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("%s does not exist on this %s (%s)"), glint_core_reg_name(reg), info->name,
		    reg >= GLINT_REG_FPSCR ? _("it has no FPU: MVFR0 reads 0")
					   : _("ARMv6-M has only PRIMASK and CONTROL"));
	return FALSE;
}

static gboolean
core_wait_regrdy(GlintTarget *t, GlintCoreReg reg, gboolean write, GError **error)
{
	guint32 dhcsr = 0;
	for (guint i = 0; i < REGRDY_MAX_POLLS; i++) {
		if (!glint_stlink_read32(t->stlink, CM_DHCSR, &dhcsr, error))
			return FALSE;
		if (dhcsr & CM_DHCSR_S_REGRDY)
			return TRUE;
		if (!(dhcsr & CM_DHCSR_S_HALT))
			break;
	}
	g_set_error(
	    error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
	    /* TRANSLATORS: the last %s is nothing or ", the core is no longer halted" */
	    write ? _("writing %s: the core did not complete the transfer (DHCSR = 0x%08X%s)")
		  /* TRANSLATORS: the last %s is nothing or ", the core is no longer halted" */
		  : _("reading %s: the core did not complete the transfer (DHCSR = 0x%08X%s)"),
	    glint_core_reg_name(reg), dhcsr,
	    (dhcsr & CM_DHCSR_S_HALT) ? "" : _(", the core is no longer halted"));
	return FALSE;
}

/* GLINT_ERROR_NOT_HALTED "cannot @what: the core is running..." */
static gboolean
core_require_halted(GlintTarget *t, const char *what, GError **error)
{
	guint32 dhcsr = 0;
	if (!glint_stlink_read32(t->stlink, CM_DHCSR, &dhcsr, error))
		return FALSE;
	if (dhcsr & CM_DHCSR_S_HALT)
		return TRUE;
	t->core_running = TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_NOT_HALTED,
		    _("cannot %s: the core is %s, and its registers are reachable only while it "
		      "is halted (DHCSR.S_HALT); halt it first (glint-cli core halt)"),
		    what, glint_core_state_to_string(core_state_from_dhcsr(dhcsr)));
	return FALSE;
}

/* One DCRSR transfer out of a halted core */
static gboolean
core_read_regsel(GlintTarget *t, GlintCoreReg reg, guint32 *value, GError **error)
{
	if (!glint_stlink_write32(t->stlink, CM_DCRSR, core_regsel(reg), error) ||
	    !core_wait_regrdy(t, reg, FALSE, error))
		return FALSE;
	return glint_stlink_read32(t->stlink, CM_DCRDR, value, error);
}

static gboolean
core_write_regsel(GlintTarget *t, GlintCoreReg reg, guint32 value, GError **error)
{
	if (!glint_stlink_write32(t->stlink, CM_DCRDR, value, error) ||
	    !glint_stlink_write32(t->stlink, CM_DCRSR, CM_DCRSR_REGWNR | core_regsel(reg), error))
		return FALSE;
	return core_wait_regrdy(t, reg, TRUE, error);
}

gboolean
glint_core_read_all(GlintTarget *t, const GlintCoreInfo *info, GlintCoreRegs *regs, GError **error)
{
	guint32 special = 0;
	memset(regs, 0, sizeof(*regs));
	if (!core_require_halted(t, _("read the core registers"), error))
		return FALSE;
	for (guint r = GLINT_REG_R0; r <= GLINT_REG_PSP; r++) {
		if (!core_read_regsel(t, (GlintCoreReg)r, &regs->value[r], error))
			return FALSE;
		regs->valid |= G_GUINT64_CONSTANT(1) << r;
	}
	/* one transfer for CONTROL, FAULTMASK, BASEPRI and PRIMASK */
	if (!core_read_regsel(t, GLINT_REG_CONTROL, &special, error))
		return FALSE;
	for (guint r = GLINT_REG_CONTROL; r <= GLINT_REG_FAULTMASK; r++) {
		if (!core_reg_exists(info, (GlintCoreReg)r))
			continue;
		regs->value[r] = (special >> core_special_shift((GlintCoreReg)r)) & 0xFFu;
		regs->valid |= G_GUINT64_CONSTANT(1) << r;
	}
	for (guint r = GLINT_REG_FPSCR; info->has_fpu && r < GLINT_REG_COUNT; r++) {
		if (!core_read_regsel(t, (GlintCoreReg)r, &regs->value[r], error))
			return FALSE;
		regs->valid |= G_GUINT64_CONSTANT(1) << r;
	}
	return TRUE;
}

static gboolean
core_write_one(GlintTarget *t, const GlintCoreInfo *info, GlintCoreReg reg, guint32 value,
	       GError **error)
{
	g_autofree gchar *what = NULL;
	if ((guint)reg >= GLINT_REG_COUNT) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("core register %u does not exist"), (guint)reg);
		return FALSE;
	}
	if (!core_check_exists(info, reg, error))
		return FALSE;
	what = g_strdup_printf(_("write %s"), glint_core_reg_name(reg));
	if (!core_require_halted(t, what, error))
		return FALSE;
	if (reg >= GLINT_REG_CONTROL && reg <= GLINT_REG_FAULTMASK) {
		guint shift = core_special_shift(reg);
		guint32 special = 0;
		if (value > 0xFFu) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s is 8 bits wide at most: 0x%X does not fit"),
				    glint_core_reg_name(reg), value);
			return FALSE;
		}
		/* the others of the word are written back as they are */
		if (!core_read_regsel(t, reg, &special, error))
			return FALSE;
		special = (special & ~(0xFFu << shift)) | (value << shift);
		return core_write_regsel(t, reg, special, error);
	}
	return core_write_regsel(t, reg, value, error);
}

/* Control -------------------------------------------------------------------- */

static gboolean
core_write_dhcsr(GlintTarget *t, guint32 control, GError **error)
{
	return glint_stlink_write32(t->stlink, CM_DHCSR,
				    CM_DHCSR_DBGKEY | CM_DHCSR_C_DEBUGEN | control, error);
}

/* A new halt should show only its own reasons: DFSR bits are sticky */
static gboolean
core_clear_dfsr(GlintTarget *t, GError **error)
{
	return glint_stlink_write32(t->stlink, CM_DFSR, CM_DFSR_ALL_REASONS, error);
}

static gboolean
core_wait_halted_after_step(GlintTarget *t, guint32 *dhcsr, GError **error)
{
	for (guint i = 0; i < STEP_MAX_POLLS; i++) {
		if (!glint_stlink_read32(t->stlink, CM_DHCSR, dhcsr, error))
			return FALSE;
		if (*dhcsr & (CM_DHCSR_S_HALT | CM_DHCSR_S_LOCKUP))
			return TRUE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
		    _("the core did not halt again after a step (DHCSR = 0x%08X)"), *dhcsr);
	return FALSE;
}

static gboolean
core_step_locked(GlintTarget *t, guint count, guint *done, GCancellable *cancellable,
		 GError **error)
{
	guint32 dhcsr = 0, dfsr = 0;
	gboolean ok = TRUE;

	*done = 0;
	if (!core_require_halted(t, _("step"), error))
		return FALSE;
	/* Interrupts stay masked while stepping (or each step would enter the
	 * next pending handler). C_MASKINTS may change only while halted and
	 * not in the write that clears C_HALT (C1.6.2), hence its own write. */
	if (!core_write_dhcsr(t, CM_DHCSR_C_HALT | CM_DHCSR_C_MASKINTS, error))
		return FALSE;
	for (guint i = 0; i < count && ok; i++) {
		if (glint_job_cancelled_after(
			cancellable, error,
			_("Cancelled after stepping %u of %u instructions; the "
			  "core is halted"),
			i, count)) {
			ok = FALSE;
			break;
		}
		ok = core_clear_dfsr(t, error) &&
		     core_write_dhcsr(t, CM_DHCSR_C_MASKINTS | CM_DHCSR_C_STEP, error) &&
		     core_wait_halted_after_step(t, &dhcsr, error);
		if (!ok)
			break;
		(*done)++;
		if (!(dhcsr & CM_DHCSR_S_HALT))
			break; /* locked up */
		if (!glint_stlink_read32(t->stlink, CM_DFSR, &dfsr, error)) {
			ok = FALSE;
			break;
		}
		/* a BKPT, a watchpoint or a vector catch ends the stepping */
		if (dfsr & (GLINT_HALT_BKPT | GLINT_HALT_DWTTRAP | GLINT_HALT_VCATCH))
			break;
	}
	/* halted, interrupts unmasked again (a locked-up core: halting ends it) */
	if (!core_write_dhcsr(t, CM_DHCSR_C_HALT, ok ? error : NULL))
		ok = FALSE;
	t->core_running = FALSE;
	return ok;
}

/* Jobs ----------------------------------------------------------------------- */

gboolean
glint_job_core_status(GlintSession *self, GlintCoreStatus *status, GError **error)
{
	GlintJobClock clock;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	ok = glint_core_get_status(glint_session_get_target(self), status, error);
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_core_info(GlintSession *self, GlintCoreInfo *info, GError **error)
{
	GlintJobClock clock;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	ok = glint_core_get_info(glint_session_get_target(self), info, error);
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_core_halt(GlintSession *self, GlintCoreStatus *status, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	GlintCoreStatus local;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = glint_session_get_target(self);
	ok = glint_target_halt(t, error) &&
	     glint_core_get_status(t, status != NULL ? status : &local, error);
	if (ok)
		t->leave_halted = TRUE;
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_core_run(GlintSession *self, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	guint32 dhcsr = 0;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = glint_session_get_target(self);
	ok = glint_stlink_read32(t->stlink, CM_DHCSR, &dhcsr, error);
	if (ok && (dhcsr & CM_DHCSR_S_HALT))
		ok = core_clear_dfsr(t, error) && glint_target_run(t, error);
	if (ok) {
		t->leave_halted = FALSE;
		t->core_running = TRUE;
	}
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_core_step(GlintSession *self, guint count, guint *done, GlintCoreStatus *status,
		    GCancellable *cancellable, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	GlintCoreStatus local;
	guint steps = 0;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = glint_session_get_target(self);
	ok = core_step_locked(t, count, &steps, cancellable, error) &&
	     glint_core_get_status(t, status != NULL ? status : &local, error);
	if (steps > 0)
		t->leave_halted = TRUE;
	if (done != NULL)
		*done = steps;
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_core_read_registers(GlintSession *self, GlintCoreRegs *regs, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	GlintCoreInfo info;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = glint_session_get_target(self);
	ok = glint_core_get_info(t, &info, error) && glint_core_read_all(t, &info, regs, error);
	glint_job_end(&clock);
	return ok;
}

gboolean
glint_job_core_write_register(GlintSession *self, GlintCoreReg reg, guint32 value, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	GlintCoreInfo info;
	gboolean ok;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = glint_session_get_target(self);
	ok = glint_core_get_info(t, &info, error) && core_write_one(t, &info, reg, value, error);
	glint_job_end(&clock);
	return ok;
}
