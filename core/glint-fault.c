/* glint-fault.c: the fault report: what is read from the target, and how
 * it becomes words. */
#define G_LOG_DOMAIN "glint-fault"

#include "glint-fault.h"
#include "glint-i18n.h"

#include <string.h>

#include "glint-core-private.h"
#include "glint-job-private.h"

/* System control block (ARMv7-M B3.2.2) */
#define SCB_VTOR 0xE000ED08u
#define SCB_CCR 0xE000ED14u
#define SCB_SHCSR 0xE000ED24u
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_MMFAR 0xE000ED34u
#define SCB_BFAR 0xE000ED38u
#define VTOR_MASK 0xFFFFFF80u

/* Exception numbers (B1.5.2) */
#define EXC_HARDFAULT 3u
#define EXC_MEMMANAGE 4u
#define EXC_BUSFAULT 5u
#define EXC_USAGEFAULT 6u
#define XPSR_IPSR_MASK 0x1FFu
#define XPSR_T (1u << 24)
/* xPSR bit 9 in a stacked frame: the stack was realigned by 4 (B1.5.7) */
#define XPSR_STKALIGN (1u << 9)
/* What the PC reads after lockup (B1.5.15) */
#define LOCKUP_PC 0xFFFFFFFEu
/* EXC_RETURN (B1.5.8): bit 2 return to PSP, bit 3 to thread mode, bit 4
 * clear: the frame holds the FP context too */
#define EXC_RETURN_PSP (1u << 2)
#define EXC_RETURN_THREAD (1u << 3)
#define EXC_RETURN_FTYPE (1u << 4)
#define FRAME_BASIC_BYTES 0x20u
#define FRAME_EXTENDED_BYTES 0x68u
/* Bytes of stack read above MSP and PSP: a handler's own pushes, then the
 * frame (extended: 104 bytes) */
#define STACK_WINDOW 512u
/* What an erased vector reads: all ones on most STM32 flash, all zeros on
 * the L0/L1's (RM0377, RM0038: their NVM erases to 0x00); neither is a
 * handler (no Thumb bit) */
#define ERASED_WORD 0xFFFFFFFFu
#define ERASED_WORD_ZERO 0x00000000u

void
glint_fault_snapshot_clear(GlintFaultSnapshot *snap)
{
	g_clear_pointer(&snap->msp_window, g_bytes_unref);
	g_clear_pointer(&snap->psp_window, g_bytes_unref);
	memset(snap, 0, sizeof(*snap));
}

void
glint_fault_report_free(GlintFaultReport *report)
{
	if (report == NULL)
		return;
	g_free(report->summary);
	g_free(report->where);
	g_free(report->caller);
	g_ptr_array_unref(report->details);
	g_free(report);
}

/* Decoding ------------------------------------------------------------------- */

typedef struct {
	guint32 bit;
	const char *name;
	const char *words;
} FaultBit;

static const FaultBit cfsr_bits[] = {
    {GLINT_CFSR_IACCVIOL, "IACCVIOL",
     N_("instruction fetch from a location that does not permit execution (an execute-never "
	"region, or the MPU)")},
    {GLINT_CFSR_DACCVIOL, "DACCVIOL", N_("data access the MPU does not permit")},
    {GLINT_CFSR_MUNSTKERR, "MUNSTKERR", N_("MemManage fault unstacking on an exception return")},
    {GLINT_CFSR_MSTKERR, "MSTKERR", N_("MemManage fault stacking on an exception entry")},
    {GLINT_CFSR_MLSPERR, "MLSPERR", N_("MemManage fault saving the FP context lazily")},
    {GLINT_CFSR_MMARVALID, "MMARVALID", N_("MMFAR holds the address")},
    {GLINT_CFSR_IBUSERR, "IBUSERR", N_("bus error fetching an instruction")},
    {GLINT_CFSR_PRECISERR, "PRECISERR", N_("precise data bus error: the stacked PC is the access")},
    {GLINT_CFSR_IMPRECISERR, "IMPRECISERR",
     N_("imprecise data bus error: a buffered write failed after the core went on; its address "
	"is not recorded")},
    {GLINT_CFSR_UNSTKERR, "UNSTKERR", N_("bus error unstacking on an exception return")},
    {GLINT_CFSR_STKERR, "STKERR", N_("bus error stacking on an exception entry (stack overflow?)")},
    {GLINT_CFSR_LSPERR, "LSPERR", N_("bus error saving the FP context lazily")},
    {GLINT_CFSR_BFARVALID, "BFARVALID", N_("BFAR holds the address")},
    {GLINT_CFSR_UNDEFINSTR, "UNDEFINSTR", N_("undefined instruction")},
    {GLINT_CFSR_INVSTATE, "INVSTATE",
     N_("invalid state: the Thumb bit was clear (a branch to an even address, or a handler "
	"address without bit 0)")},
    {GLINT_CFSR_INVPC, "INVPC", N_("invalid PC load: a bad EXC_RETURN")},
    {GLINT_CFSR_NOCP, "NOCP",
     N_("coprocessor instruction with the coprocessor absent or off (FPU code before CPACR "
	"enables the FPU?)")},
    {GLINT_CFSR_STKOF, "STKOF", N_("stack overflow (stack limit register)")},
    {GLINT_CFSR_UNALIGNED, "UNALIGNED", N_("unaligned access (CCR.UNALIGN_TRP, or LDM/STM/LDRD)")},
    {GLINT_CFSR_DIVBYZERO, "DIVBYZERO", N_("division by zero (CCR.DIV_0_TRP)")},
};

static const FaultBit hfsr_bits[] = {
    {GLINT_HFSR_VECTTBL, "VECTTBL", N_("bus error reading the vector table")},
    {GLINT_HFSR_FORCED, "FORCED",
     N_("escalated from a configurable fault that was disabled or could not preempt")},
    {GLINT_HFSR_DEBUGEVT, "DEBUGEVT", N_("a debug event (BKPT) with no debugger to halt")},
};

static void
describe_bits(GPtrArray *lines, const char *reg, guint32 value, const FaultBit *bits, guint n)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_string_append_printf(s, "%s 0x%08X", reg, value);
	if (value == 0)
		g_string_append(s, _(": none"));
	for (guint i = 0; i < n; i++) {
		if (value & bits[i].bit)
			g_string_append_printf(s, "\n  %s: %s", bits[i].name,
					       glint_tr(bits[i].words));
	}
	g_ptr_array_add(lines, g_string_free(g_steal_pointer(&s), FALSE));
}

static const char *
exception_name(guint exc)
{
	switch (exc) {
	case 0:
		return _("thread mode");
	case 2:
		return "NMI";
	case EXC_HARDFAULT:
		return "HardFault";
	case EXC_MEMMANAGE:
		return "MemManage";
	case EXC_BUSFAULT:
		return "BusFault";
	case EXC_USAGEFAULT:
		return "UsageFault";
	case 11:
		return "SVCall";
	case 12:
		return "DebugMonitor";
	case 14:
		return "PendSV";
	case 15:
		return "SysTick";
	default:
		return exc >= 16 ? _("an interrupt") : _("a reserved exception");
	}
}

static gboolean
window_word(GBytes *w, gsize offset, guint32 *value)
{
	gsize len = 0;
	const guint8 *d = w != NULL ? g_bytes_get_data(w, &len) : NULL;
	if (d == NULL || offset + 4 > len)
		return FALSE;
	*value = (guint32)d[offset] | (guint32)d[offset + 1] << 8 | (guint32)d[offset + 2] << 16 |
		 (guint32)d[offset + 3] << 24;
	return TRUE;
}

static gboolean
is_exc_return(guint32 v)
{
	/* 0xFFFFFFxx with bit 1 clear: every ARMv7-M and ARMv8-M value */
	return (v >> 8) == 0xFFFFFFu && !(v & 2u);
}

/* Whether the 8 words at @off look like a frame the core stacked for an
 * exception returning as @exc_return says */
static gboolean
frame_plausible(GBytes *w, gsize off, guint32 exc_return, guint32 frame[8])
{
	guint32 ipsr;
	for (guint i = 0; i < 8; i++) {
		if (!window_word(w, off + 4 * i, &frame[i]))
			return FALSE;
	}
	if (!(frame[7] & XPSR_T) || (frame[6] & 1u))
		return FALSE;
	ipsr = frame[7] & XPSR_IPSR_MASK;
	return (exc_return & EXC_RETURN_THREAD) ? ipsr == 0 : ipsr != 0;
}

/* The exception frame: at PSP when EXC_RETURN says so (a handler pushes
 * on MSP only), else the first plausible one above MSP past the handler's
 * own pushes (and past EXC_RETURN itself when the handler pushed LR); with
 * the ELF, one whose PC is in a known function is preferred */
static void
find_frame(const GlintFaultSnapshot *snap, GlintDebugInfo *elf, GlintFaultReport *r)
{
	const GlintCoreRegs *regs = &snap->regs;
	guint32 lr = regs->value[GLINT_REG_LR];
	gsize start = 0, fallback = G_MAXSIZE;
	GBytes *w;
	guint32 frame[8];
	guint32 base;

	if (is_exc_return(lr)) {
		r->exc_return = lr;
	} else {
		/* the handler called something: its pushed LR is on MSP */
		guint32 v;
		for (gsize off = 0; window_word(snap->msp_window, off, &v); off += 4) {
			if (is_exc_return(v)) {
				r->exc_return = v;
				start = off + 4;
				break;
			}
		}
		if (r->exc_return == 0)
			return;
	}
	r->frame_on_psp = (r->exc_return & EXC_RETURN_PSP) != 0;
	r->frame_extended = !(r->exc_return & EXC_RETURN_FTYPE);
	w = r->frame_on_psp ? snap->psp_window : snap->msp_window;
	base = r->frame_on_psp ? regs->value[GLINT_REG_PSP] : regs->value[GLINT_REG_MSP];
	if (r->frame_on_psp)
		start = 0;
	for (gsize off = start; off + FRAME_BASIC_BYTES <= STACK_WINDOW; off += 4) {
		if (!frame_plausible(w, off, r->exc_return, frame))
			continue;
		if (elf == NULL || glint_debug_info_symbol_at(elf, frame[6], NULL) != NULL) {
			fallback = off;
			break;
		}
		if (fallback == G_MAXSIZE)
			fallback = off;
		if (r->frame_on_psp)
			break;
	}
	if (fallback == G_MAXSIZE || !frame_plausible(w, fallback, r->exc_return, frame))
		return;
	r->frame_found = TRUE;
	r->frame_address = base + (guint32)fallback;
	memcpy(r->stacked, frame, sizeof(frame));
}

/* A place in words: "take_fault() at faults.c:53", or the address */
static gchar *
place(GlintDebugInfo *elf, guint32 address)
{
	if (elf == NULL)
		return g_strdup_printf("0x%08X", address);
	return glint_debug_info_describe_address(elf, address, FALSE);
}

/* A return address names its call: the instruction before it */
static gchar *
caller_place(GlintDebugInfo *elf, guint32 lr)
{
	guint32 call = (lr & ~1u) - 2;
	if (elf == NULL)
		return g_strdup_printf("0x%08X", lr & ~1u);
	return glint_debug_info_describe_address(elf, call, FALSE);
}

typedef enum {
	ACCESS_UNKNOWN,
	ACCESS_READ,
	ACCESS_WRITE,
} AccessKind;

/* Whether the Thumb instruction @hw1[:hw2] loads or stores (ARMv7-M A5.2,
 * A5.3: the load/store encodings and their L bit) */
static AccessKind
thumb_access(const guint8 *insn, guint len)
{
	guint16 hw1;
	if (len < 2)
		return ACCESS_UNKNOWN;
	hw1 = (guint16)(insn[0] | insn[1] << 8);
	if ((hw1 >> 11) >= 0x1Du) {
		/* 32-bit: load/store multiple, dual, exclusive (1110100x), single
		 * (1111100x), coprocessor (111x110x): bit 20 is L */
		if (len < 4)
			return ACCESS_UNKNOWN;
		if ((hw1 & 0xFE00u) == 0xE800u || (hw1 & 0xFE00u) == 0xF800u ||
		    (hw1 & 0xEE00u) == 0xEC00u)
			return (hw1 & 0x10u) ? ACCESS_READ : ACCESS_WRITE;
		return ACCESS_UNKNOWN;
	}
	if ((hw1 & 0xF800u) == 0x4800u)
		return ACCESS_READ; /* LDR literal */
	if ((hw1 & 0xF000u) == 0x5000u)
		return ((hw1 >> 9) & 7u) < 3 ? ACCESS_WRITE : ACCESS_READ; /* register offset */
	if ((hw1 & 0xE000u) == 0x6000u || (hw1 & 0xF000u) == 0x8000u ||
	    (hw1 & 0xF000u) == 0x9000u || (hw1 & 0xF000u) == 0xC000u)
		return (hw1 & 0x0800u) ? ACCESS_READ : ACCESS_WRITE; /* bit 11 is L */
	if ((hw1 & 0xFE00u) == 0xB400u)
		return ACCESS_WRITE; /* PUSH */
	if ((hw1 & 0xFE00u) == 0xBC00u)
		return ACCESS_READ; /* POP */
	return ACCESS_UNKNOWN;
}

/* Whole sentences for each access, so that a translation need not glue a
 * verb into them */
static gchar *
precise_bus_fault_words(AccessKind access, gboolean known, guint32 address)
{
	switch (access) {
	case ACCESS_READ:
		return known ? g_strdup_printf(_("precise bus fault reading 0x%08X"), address)
			     : g_strdup(_("precise bus fault reading an address not recorded"));
	case ACCESS_WRITE:
		return known ? g_strdup_printf(_("precise bus fault writing 0x%08X"), address)
			     : g_strdup(_("precise bus fault writing an address not recorded"));
	default:
		return known ? g_strdup_printf(_("precise bus fault accessing 0x%08X"), address)
			     : g_strdup(_("precise bus fault accessing an address not recorded"));
	}
}

static gchar *
mem_manage_access_words(AccessKind access, guint32 address)
{
	switch (access) {
	case ACCESS_READ:
		return g_strdup_printf(_("MemManage fault: reading 0x%08X is not permitted"),
				       address);
	case ACCESS_WRITE:
		return g_strdup_printf(_("MemManage fault: writing 0x%08X is not permitted"),
				       address);
	default:
		return g_strdup_printf(_("MemManage fault: accessing 0x%08X is not permitted"),
				       address);
	}
}

/* For an imprecise write the stacked PC is past the store (at least one
 * instruction, on silicon maybe a few): when the instruction just before it
 * is a store, it is most likely the one. A halfword at PC-4 that starts a
 * 32-bit encoding makes that the instruction before; else PC-2 is. @bytes
 * and @len (may be NULL) get the store's encoding. */
static gboolean
preceding_store(const GlintFaultSnapshot *snap, guint32 pc, guint32 *store, const guint8 **bytes,
		guint *len)
{
	const guint8 *b = snap->insn_before;
	guint16 hw = (guint16)(b[0] | b[1] << 8);
	const guint8 *found = b + 2;
	guint found_len = 2;
	if (!snap->insn_before_known)
		return FALSE;
	if ((hw >> 11) >= 0x1Du) {
		found = b;
		found_len = 4;
	}
	if (thumb_access(found, found_len) != ACCESS_WRITE)
		return FALSE;
	*store = pc - found_len;
	if (bytes != NULL)
		*bytes = found;
	if (len != NULL)
		*len = found_len;
	return TRUE;
}

/* r0-r3 and r12 are in the exception frame (B1.5.6); the others are not
 * known as they were at the store (a handler may have used them) */
static gboolean
stacked_register(const GlintFaultReport *r, guint reg, guint32 *value)
{
	if (reg <= 3)
		*value = r->stacked[reg];
	else if (reg == 12)
		*value = r->stacked[4];
	else
		return FALSE;
	return TRUE;
}

/* The address a Thumb store writes (its first byte), from its base and
 * index registers as stacked: STR/STRB/STRH immediate and register (16-bit
 * T1 and 32-bit T2/T3/T4), STRD and STM (ARMv7-M A7.7). FALSE for other
 * encodings or a register not in the frame (SP-relative included: a stack
 * store rarely faults). @base gets the base register's number. */
static gboolean
store_target(const GlintFaultReport *r, const guint8 *insn, guint len, guint32 *address,
	     guint *base)
{
	guint16 hw1 = (guint16)(insn[0] | insn[1] << 8);
	guint32 rn_value, rm_value;

	if (len == 2) {
		guint rn = (hw1 >> 3) & 7u;
		guint imm5 = (hw1 >> 6) & 0x1Fu;
		*base = rn;
		if (!stacked_register(r, rn, &rn_value))
			return FALSE;
		switch (hw1 & 0xF800u) {
		case 0x6000u: /* STR (immediate) T1: imm5 words */
			*address = rn_value + imm5 * 4u;
			return TRUE;
		case 0x7000u: /* STRB (immediate) T1 */
			*address = rn_value + imm5;
			return TRUE;
		case 0x8000u: /* STRH (immediate) T1: imm5 halfwords */
			*address = rn_value + imm5 * 2u;
			return TRUE;
		case 0xC000u: /* STM T1: Rn in bits 10:8, from Rn upwards */
			*base = (hw1 >> 8) & 7u;
			if (!stacked_register(r, *base, &rn_value))
				return FALSE;
			*address = rn_value;
			return TRUE;
		default:
			break;
		}
		if ((hw1 & 0xF000u) == 0x5000u) { /* STR/STRH/STRB (register) T1 */
			if (!stacked_register(r, (hw1 >> 6) & 7u, &rm_value))
				return FALSE;
			*address = rn_value + rm_value;
			return TRUE;
		}
		return FALSE;
	} else {
		guint16 hw2 = (guint16)(insn[2] | insn[3] << 8);
		guint rn = hw1 & 0xFu;
		*base = rn;
		if (!stacked_register(r, rn, &rn_value))
			return FALSE;
		if ((hw1 & 0xFF90u) == 0xF880u) { /* STR/STRH/STRB (immediate) T3/T2: imm12 */
			*address = rn_value + (hw2 & 0xFFFu);
			return TRUE;
		}
		if ((hw1 & 0xFF90u) == 0xF800u) {
			if (hw2 & 0x0800u) { /* T4: imm8, P (bit 10) indexes, U (bit 9) adds */
				guint32 imm8 = hw2 & 0xFFu;
				*address = !(hw2 & 0x0400u)  ? rn_value
					   : (hw2 & 0x0200u) ? rn_value + imm8
							     : rn_value - imm8;
				return TRUE;
			}
			if ((hw2 & 0x0FC0u) == 0) { /* (register) T2: Rn + (Rm << imm2) */
				if (!stacked_register(r, hw2 & 0xFu, &rm_value))
					return FALSE;
				*address = rn_value + (rm_value << ((hw2 >> 4) & 3u));
				return TRUE;
			}
			return FALSE;
		}
		if ((hw1 & 0xFE50u) == 0xE840u && (hw1 & 0x0120u) != 0) {
			/* STRD (immediate) T1: P (bit 8) indexes, U (bit 7) adds imm8 words */
			guint32 imm = (hw2 & 0xFFu) * 4u;
			*address = !(hw1 & 0x0100u)  ? rn_value
				   : (hw1 & 0x0080u) ? rn_value + imm
						     : rn_value - imm;
			return TRUE;
		}
		if ((hw1 & 0xFFD0u) == 0xE880u) { /* STM (STMIA) T2 */
			*address = rn_value;
			return TRUE;
		}
		return FALSE;
	}
}

/* An imprecise write's likely address: the store before the stacked PC
 * with its registers as stacked */
static gboolean
imprecise_store_target(const GlintFaultSnapshot *snap, const GlintFaultReport *r, guint32 *address,
		       guint *base)
{
	const guint8 *bytes = NULL;
	guint len = 0;
	guint32 store;
	if (!r->frame_found || !preceding_store(snap, r->stacked[6], &store, &bytes, &len))
		return FALSE;
	return store_target(r, bytes, len, address, base);
}

/* The cause in words, from CFSR (the most telling bit first) */
static gchar *
cause_words(const GlintFaultSnapshot *snap, GlintFaultReport *r)
{
	guint32 cfsr = snap->cfsr;
	AccessKind access = thumb_access(snap->insn, snap->insn_len);

	if (cfsr & GLINT_CFSR_PRECISERR) {
		if (cfsr & GLINT_CFSR_BFARVALID) {
			r->address_known = TRUE;
			r->address = snap->bfar;
			return precise_bus_fault_words(access, TRUE, snap->bfar);
		}
		return precise_bus_fault_words(access, FALSE, 0);
	}
	if (cfsr & GLINT_CFSR_IMPRECISERR) {
		guint base;
		/* the core records no address (B3.2.15); the store's registers
		 * as stacked most likely still give it */
		if (imprecise_store_target(snap, r, &r->address, &base)) {
			r->address_guessed = TRUE;
			return g_strdup_printf(_("imprecise bus fault writing 0x%08X (probably)"),
					       r->address);
		}
		return g_strdup(_("imprecise bus fault writing (address not recorded)"));
	}
	if (cfsr & GLINT_CFSR_DACCVIOL) {
		if (cfsr & GLINT_CFSR_MMARVALID) {
			r->address_known = TRUE;
			r->address = snap->mmfar;
			return mem_manage_access_words(access, snap->mmfar);
		}
		return g_strdup(_("MemManage fault: a data access is not permitted"));
	}
	if (cfsr & GLINT_CFSR_IACCVIOL) {
		if (r->frame_found) {
			r->address_known = TRUE;
			r->address = r->stacked[6];
			return g_strdup_printf(_("MemManage fault: instruction fetch from "
						 "execute-never address 0x%08X"),
					       r->stacked[6]);
		}
		return g_strdup(
		    _("MemManage fault: instruction fetch from an execute-never address"));
	}
	if (cfsr & GLINT_CFSR_IBUSERR) {
		if (r->frame_found) {
			r->address_known = TRUE;
			r->address = r->stacked[6];
			return g_strdup_printf(_("bus fault fetching an instruction at 0x%08X"),
					       r->stacked[6]);
		}
		return g_strdup(_("bus fault fetching an instruction"));
	}
	if (cfsr & (GLINT_CFSR_STKERR | GLINT_CFSR_MSTKERR))
		return g_strdup(
		    _("fault stacking an exception frame (stack overflow or a bad SP?)"));
	if (cfsr & (GLINT_CFSR_UNSTKERR | GLINT_CFSR_MUNSTKERR))
		return g_strdup(_("fault unstacking an exception frame (a corrupted stack?)"));
	if (cfsr & GLINT_CFSR_DIVBYZERO)
		return g_strdup(_("usage fault: division by zero"));
	if (cfsr & GLINT_CFSR_UNDEFINSTR)
		return g_strdup(_("usage fault: undefined instruction"));
	if (cfsr & GLINT_CFSR_INVSTATE)
		return g_strdup(_("usage fault: invalid state (Thumb bit clear)"));
	if (cfsr & GLINT_CFSR_INVPC)
		return g_strdup(_("usage fault: invalid exception return (bad EXC_RETURN)"));
	if (cfsr & GLINT_CFSR_NOCP)
		return g_strdup(_("usage fault: FPU instruction with the FPU off (CPACR)"));
	if (cfsr & GLINT_CFSR_UNALIGNED)
		return g_strdup(_("usage fault: unaligned access"));
	if (cfsr & GLINT_CFSR_STKOF)
		return g_strdup(_("usage fault: stack overflow"));
	if (cfsr & (GLINT_CFSR_LSPERR | GLINT_CFSR_MLSPERR))
		return g_strdup(_("fault saving the FP context"));
	return NULL;
}

static void
add_frame_details(GlintFaultReport *r)
{
	const guint32 *f = r->stacked;
	if (!r->frame_found) {
		g_ptr_array_add(
		    r->details,
		    g_strdup(_("No exception frame found on the stack (the stack pointer "
			       "does not point at readable memory, or no fault entry "
			       "stacked one)")));
		return;
	}
	g_ptr_array_add(
	    r->details,
	    /* TRANSLATORS: the second %s is "thread mode" or "handler mode", the
	     * third nothing or ", with the FP context" */
	    g_strdup_printf(_("Frame stacked at 0x%08X on %s (EXC_RETURN 0x%08X: returns to "
			      "%s%s):\n"
			      "  r0 0x%08X  r1 0x%08X  r2 0x%08X  r3 0x%08X\n"
			      "  r12 0x%08X  lr 0x%08X  pc 0x%08X  xpsr 0x%08X"),
			    r->frame_address, r->frame_on_psp ? "PSP" : "MSP", r->exc_return,
			    (r->exc_return & EXC_RETURN_THREAD) ? _("thread mode")
								: _("handler mode"),
			    r->frame_extended ? _(", with the FP context") : "", f[0], f[1], f[2],
			    f[3], f[4], f[5], f[6], f[7]));
	g_ptr_array_add(r->details, g_strdup_printf(_("Stacked PC 0x%08X: %s"), f[6], r->where));
	g_ptr_array_add(r->details,
			g_strdup_printf(_("Stacked LR 0x%08X: called from %s"), f[5], r->caller));
	if ((f[7] & XPSR_IPSR_MASK) != 0)
		g_ptr_array_add(r->details, g_strdup_printf(_("The fault came while handling %s"),
							    exception_name(f[7] & XPSR_IPSR_MASK)));
}

static GlintFaultKind
fault_kind(const GlintFaultSnapshot *snap, guint exc)
{
	if (snap->state == GLINT_CORE_LOCKED_UP || snap->regs.value[GLINT_REG_PC] == LOCKUP_PC)
		return GLINT_FAULT_LOCKUP;
	switch (exc) {
	case EXC_HARDFAULT:
		return GLINT_FAULT_HARDFAULT;
	case EXC_MEMMANAGE:
		return GLINT_FAULT_MEMMANAGE;
	case EXC_BUSFAULT:
		return GLINT_FAULT_BUSFAULT;
	case EXC_USAGEFAULT:
		return GLINT_FAULT_USAGEFAULT;
	default:
		return GLINT_FAULT_NONE;
	}
}

/* "... in take_fault() at faults.c:53" for the fault at the stacked PC */
static gchar *
located_cause(const GlintFaultSnapshot *snap, GlintFaultReport *r, GlintDebugInfo *elf,
	      const char *cause)
{
	guint32 store;
	if (!r->frame_found)
		return g_strdup(cause);
	if (snap->has_fault_registers && (snap->cfsr & GLINT_CFSR_IMPRECISERR)) {
		g_autofree gchar *at = NULL;
		if (!preceding_store(snap, r->stacked[6], &store, NULL, NULL))
			return g_strdup_printf(_("%s, shortly before %s"), cause, r->where);
		at = place(elf, store);
		return g_strdup_printf(_("%s from %s"), cause, at);
	}
	if (snap->has_fault_registers &&
	    (snap->cfsr & (GLINT_CFSR_IACCVIOL | GLINT_CFSR_IBUSERR | GLINT_CFSR_INVSTATE)))
		return g_strdup_printf(_("%s, called from %s"), cause, r->caller);
	return g_strdup_printf(_("%s in %s"), cause, r->where);
}

static gchar *
armv6m_summary(const GlintFaultSnapshot *snap, GlintFaultReport *r)
{
	if (!r->frame_found)
		return g_strdup(_("HardFault (ARMv6-M records no cause)"));
	return g_strdup_printf(
	    _("HardFault in %s (ARMv6-M records no cause: no CFSR, HFSR or fault "
	      "address on a %s)"),
	    r->where, snap->core.name);
}

static gboolean
handler_erased(const GlintFaultSnapshot *snap)
{
	return snap->handler_known &&
	       (snap->handler == ERASED_WORD || snap->handler == ERASED_WORD_ZERO);
}

static gchar *
handler_words(const GlintFaultSnapshot *snap, GlintDebugInfo *elf)
{
	if (!snap->handler_known)
		return NULL;
	if (handler_erased(snap))
		return g_strdup_printf(_("its vector reads 0x%08X (erased)"), snap->handler);
	if (elf != NULL) {
		const GlintSymbol *s = glint_debug_info_symbol_at(elf, snap->handler & ~1u, NULL);
		if (s != NULL)
			return g_strdup_printf("%s()", s->name);
	}
	return g_strdup_printf(_("the handler at 0x%08X"), snap->handler & ~1u);
}

static void
summarize(const GlintFaultSnapshot *snap, GlintFaultReport *r, GlintDebugInfo *elf)
{
	g_autofree gchar *cause = snap->has_fault_registers ? cause_words(snap, r) : NULL;
	g_autofree gchar *located = NULL;
	g_autofree gchar *handler = handler_words(snap, elf);

	if (!snap->has_fault_registers)
		located = armv6m_summary(snap, r);
	else if (cause != NULL)
		located = located_cause(snap, r, elf, cause);
	switch (r->kind) {
	case GLINT_FAULT_NONE:
		if (snap->has_fault_registers && (snap->cfsr != 0 || snap->hfsr != 0))
			r->summary = g_strdup_printf(
			    _("no fault now (the core is %s, in %s); CFSR/HFSR keep an earlier "
			      "one: %s"),
			    glint_core_state_to_string(snap->state), exception_name(r->exception),
			    cause != NULL ? cause : _("see below"));
		else
			r->summary = g_strdup_printf(_("no fault: the core is %s, in %s"),
						     glint_core_state_to_string(snap->state),
						     exception_name(r->exception));
		return;
	case GLINT_FAULT_LOCKUP:
		if (handler_erased(snap))
			r->summary = g_strdup_printf(
			    _("locked up: no firmware (the vector table is erased: the %s vector "
			      "reads 0x%08X); the first fault: %s"),
			    exception_name(r->exception), snap->handler,
			    located != NULL ? located : _("not recorded"));
		else if ((r->exception == EXC_HARDFAULT || r->exception == 2) && handler != NULL)
			r->summary = g_strdup_printf(
			    /* TRANSLATORS: "the HardFault handler HardFault_Handler()" */
			    _("locked up: a fault inside the %s handler %s; the %s was entered "
			      "for: %s"),
			    exception_name(r->exception), handler, exception_name(r->exception),
			    located != NULL ? located : _("a cause not recorded"));
		else if (r->exception == EXC_HARDFAULT || r->exception == 2)
			r->summary = g_strdup_printf(
			    _("locked up: a fault inside the %s handler; the %s was entered for: "
			      "%s"),
			    exception_name(r->exception), exception_name(r->exception),
			    located != NULL ? located : _("a cause not recorded"));
		else if (located != NULL)
			r->summary = g_strdup_printf(
			    _("locked up in %s with faults masked (FAULTMASK or PRIMASK) or "
			      "unhandled: %s"),
			    exception_name(r->exception), located);
		else
			r->summary = g_strdup_printf(
			    _("locked up in %s with faults masked (FAULTMASK or PRIMASK) or "
			      "unhandled"),
			    exception_name(r->exception));
		return;
	case GLINT_FAULT_HARDFAULT:
		if (!snap->has_fault_registers)
			r->summary = g_strdup(located);
		else if (r->forced && located != NULL)
			r->summary = g_strdup_printf(_("HardFault (escalated): %s"), located);
		else if (snap->has_fault_registers && (snap->hfsr & GLINT_HFSR_VECTTBL))
			r->summary = g_strdup(_("HardFault: bus error reading the vector table"));
		else if (snap->has_fault_registers && (snap->hfsr & GLINT_HFSR_DEBUGEVT))
			r->summary =
			    r->where != NULL
				? g_strdup_printf(_("HardFault: breakpoint with no debugger in %s"),
						  r->where)
				: g_strdup(_("HardFault: breakpoint with no debugger"));
		else
			r->summary =
			    g_strdup_printf(_("HardFault: %s"),
					    located != NULL ? located : _("cause not recorded"));
		return;
	default:
		r->summary = g_strdup(located != NULL ? located : _("fault: cause not recorded"));
		return;
	}
}

/* How the imprecise write's address was worked out, and how far to trust it */
static void
add_guess_details(const GlintFaultSnapshot *snap, GlintFaultReport *r)
{
	guint32 store = 0, address = 0;
	guint base = 0;
	if (!preceding_store(snap, r->stacked[6], &store, NULL, NULL) ||
	    !imprecise_store_target(snap, r, &address, &base))
		return;
	g_ptr_array_add(
	    r->details,
	    g_strdup_printf(_("No BFAR for an imprecise fault: 0x%08X is where the store "
			      "at 0x%08X writes with r%u as stacked; instructions run "
			      "after the store may have changed r%u"),
			    address, store, base, base));
}

GlintFaultReport *
glint_fault_analyse(const GlintFaultSnapshot *snap, GlintDebugInfo *elf)
{
	GlintFaultReport *r = g_new0(GlintFaultReport, 1);
	const guint32 *regs = snap->regs.value;
	g_autofree gchar *handler = NULL;

	r->details = g_ptr_array_new_with_free_func(g_free);
	r->exception = regs[GLINT_REG_XPSR] & XPSR_IPSR_MASK;
	r->kind = fault_kind(snap, r->exception);
	r->forced = snap->has_fault_registers && (snap->hfsr & GLINT_HFSR_FORCED);
	if (r->exception != 0)
		find_frame(snap, elf, r);
	if (r->frame_found) {
		r->where = place(elf, r->stacked[6]);
		r->caller = caller_place(elf, r->stacked[5]);
	} else {
		r->where = place(elf, regs[GLINT_REG_PC]);
		r->caller = caller_place(elf, regs[GLINT_REG_LR]);
	}
	summarize(snap, r, elf);

	handler = handler_words(snap, elf);
	g_ptr_array_add(
	    r->details,
	    handler != NULL
		? g_strdup_printf(_("Core: %s, %s when looked at, in %s: %s"), snap->core.name,
				  glint_core_state_to_string(snap->state),
				  exception_name(r->exception), handler)
		: g_strdup_printf(_("Core: %s, %s when looked at, in %s"), snap->core.name,
				  glint_core_state_to_string(snap->state),
				  exception_name(r->exception)));
	if (snap->has_fault_registers) {
		describe_bits(r->details, "CFSR", snap->cfsr, cfsr_bits, G_N_ELEMENTS(cfsr_bits));
		describe_bits(r->details, "HFSR", snap->hfsr, hfsr_bits, G_N_ELEMENTS(hfsr_bits));
		/* the fault addresses only when their VALID bits say so */
		if (snap->cfsr & GLINT_CFSR_MMARVALID)
			g_ptr_array_add(r->details, g_strdup_printf("MMFAR 0x%08X", snap->mmfar));
		if (snap->cfsr & GLINT_CFSR_BFARVALID)
			g_ptr_array_add(r->details, g_strdup_printf("BFAR 0x%08X", snap->bfar));
		if (r->address_guessed)
			add_guess_details(snap, r);
	} else {
		g_ptr_array_add(
		    r->details,
		    g_strdup_printf(_("%s (ARMv6-M) has no CFSR, HFSR, MMFAR or BFAR: "
				      "every fault is a HardFault and its cause is not "
				      "recorded; the stacked PC shows where it happened"),
				    snap->core.name));
	}
	if (r->kind != GLINT_FAULT_NONE || r->frame_found)
		add_frame_details(r);
	if (r->kind == GLINT_FAULT_LOCKUP)
		g_ptr_array_add(
		    r->details,
		    g_strdup(_("Locked up (ARMv7-M B1.5.15): the PC reads 0xFFFFFFFE and "
			       "where the last fault happened is lost; a reset ends it")));
	g_ptr_array_add(r->details, g_strdup_printf(_("Core registers: pc 0x%08X  lr 0x%08X  "
						      "sp 0x%08X  xpsr 0x%08X"),
						    regs[GLINT_REG_PC], regs[GLINT_REG_LR],
						    regs[GLINT_REG_SP], regs[GLINT_REG_XPSR]));
	return r;
}

gchar *
glint_fault_report_format(const GlintFaultReport *report)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, _("Fault: %s\n"), report->summary);
	for (guint i = 0; i < report->details->len; i++)
		g_string_append_printf(s, "%s\n",
				       (const char *)g_ptr_array_index(report->details, i));
	return g_string_free(s, FALSE);
}

/* Reading the target ---------------------------------------------------------- */

/* A register that may not exist on this core: FALSE (and no error) when
 * the bus refuses it */
static gboolean
read_optional(GlintTarget *t, guint32 addr, guint32 *value, gboolean *ok, GError **error)
{
	g_autoptr(GError) local = NULL;
	*value = 0;
	if (glint_stlink_read32(t->stlink, addr, value, &local)) {
		*ok = TRUE;
		return TRUE;
	}
	*ok = FALSE;
	if (g_error_matches(local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT))
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

/* The stack above @sp, as much of STACK_WINDOW as is readable */
static GBytes *
read_window(GlintTarget *t, guint32 sp, GError **error)
{
	for (guint32 len = STACK_WINDOW; len >= FRAME_BASIC_BYTES; len /= 2) {
		g_autoptr(GError) local = NULL;
		g_autofree guint8 *buf = NULL;
		if ((sp & 3u) || (guint64)sp + len > G_GUINT64_CONSTANT(0x100000000))
			continue;
		buf = g_malloc(len);
		if (glint_stlink_read_mem(t->stlink, sp, buf, len, &local))
			return g_bytes_new_take(g_steal_pointer(&buf), len);
		if (!g_error_matches(local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT)) {
			g_propagate_error(error, g_steal_pointer(&local));
			return NULL;
		}
	}
	return g_bytes_new(NULL, 0);
}

static gboolean
capture(GlintTarget *t, GlintFaultSnapshot *snap, GError **error)
{
	guint32 vtor = 0, ipsr;
	gboolean ok = FALSE;

	if (!glint_core_get_info(t, &snap->core, error) ||
	    !glint_core_read_all(t, &snap->core, &snap->regs, error))
		return FALSE;
	if (!read_optional(t, CM_DFSR, &snap->dfsr, &ok, error))
		return FALSE;
	snap->has_fault_registers = !snap->core.armv6m;
	if (snap->has_fault_registers &&
	    (!glint_stlink_read32(t->stlink, SCB_CFSR, &snap->cfsr, error) ||
	     !glint_stlink_read32(t->stlink, SCB_HFSR, &snap->hfsr, error) ||
	     !glint_stlink_read32(t->stlink, SCB_MMFAR, &snap->mmfar, error) ||
	     !glint_stlink_read32(t->stlink, SCB_BFAR, &snap->bfar, error) ||
	     !read_optional(t, SCB_SHCSR, &snap->shcsr, &ok, error) ||
	     !read_optional(t, SCB_CCR, &snap->ccr, &ok, error)))
		return FALSE;
	/* the handler of the exception being handled, from the vector table */
	ipsr = snap->regs.value[GLINT_REG_XPSR] & XPSR_IPSR_MASK;
	if (ipsr != 0) {
		if (!read_optional(t, SCB_VTOR, &vtor, &ok, error))
			return FALSE;
		if (!read_optional(t, (vtor & VTOR_MASK) + 4 * ipsr, &snap->handler,
				   &snap->handler_known, error))
			return FALSE;
	}
	snap->msp_window = read_window(t, snap->regs.value[GLINT_REG_MSP], error);
	if (snap->msp_window == NULL)
		return FALSE;
	snap->psp_window = read_window(t, snap->regs.value[GLINT_REG_PSP], error);
	return snap->psp_window != NULL;
}

/* The instruction at the stacked PC, to tell a read from a write */
static gboolean
capture_instruction(GlintTarget *t, GlintFaultSnapshot *snap, GlintDebugInfo *elf, GError **error)
{
	g_autoptr(GlintFaultReport) probe = glint_fault_analyse(snap, elf);
	g_autoptr(GError) local = NULL;
	guint32 pc;
	if (!probe->frame_found)
		return TRUE;
	pc = probe->stacked[6];
	if (glint_stlink_read_mem(t->stlink, pc - 4, snap->insn_before, 4, &local))
		snap->insn_before_known = TRUE;
	else if (!g_error_matches(local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT))
		goto failed;
	g_clear_error(&local);
	if (glint_stlink_read_mem(t->stlink, pc, snap->insn, 4, &local)) {
		snap->insn_len = 4;
		return TRUE;
	}
	/* the PC itself faulted: nothing there */
	if (g_error_matches(local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT))
		return TRUE;
failed:
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

GlintFaultReport *
glint_job_fault_report(GlintSession *self, GlintDebugInfo *elf, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	GlintCoreStatus status;
	GlintFaultSnapshot snap = {0};
	GlintFaultReport *report = NULL;
	gboolean halted_here = FALSE;
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return NULL;
	t = glint_session_get_target(self);
	ok = glint_core_get_status(t, &status, error);
	if (ok && status.state != GLINT_CORE_HALTED) {
		/* registers need Debug state; halting ends sleep and lockup */
		ok = glint_target_halt(t, error);
		halted_here = ok;
	}
	snap.state = status.state;
	ok = ok && capture(t, &snap, error) && capture_instruction(t, &snap, elf, error);
	if (ok)
		report = glint_fault_analyse(&snap, elf);
	/* as found: running again (a locked-up core locks up again) */
	if (halted_here && !glint_target_run(t, ok ? error : NULL) && report != NULL)
		g_clear_pointer(&report, glint_fault_report_free);
	glint_fault_snapshot_clear(&snap);
	glint_job_end(&clock);
	return report;
}
