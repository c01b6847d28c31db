/* sim-armv7m.h: the Cortex-M (ARMv7-M) system control and debug registers the
 * emulator models, named as in the ARMv7-M architecture reference manual
 * (reference section 3.5). Every machine has them at the same addresses. */
#pragma once

/* Cortex-M4 system control and debug (ARMv7-M C1.6, reference 3.5) */
/* The private peripheral bus (B3.1): core debug and system control */
#define PPB_BASE 0xE0000000u
#define PPB_SIZE 0x00100000u
#define SCS_BASE 0xE000E000u
#define ACTLR_ADDR 0xE000E008u
#define CPUID_ADDR 0xE000ED00u
/* ICSR (ARMv7-M B3.2.4, ARMv6-M B3.2.4): VECTACTIVE, the exception the core
 * is handling (IPSR), readable by a debugger while the core runs */
#define ICSR_ADDR 0xE000ED04u
#define ICSR_VECTACTIVE_MASK 0x1FFu
#define VTOR_ADDR 0xE000ED08u
#define VTOR_TBLOFF_MASK 0xFFFFFF80u
#define AIRCR_ADDR 0xE000ED0Cu
#define CCR_ADDR 0xE000ED14u
#define SHPR1_ADDR 0xE000ED18u
#define SHPR2_ADDR 0xE000ED1Cu
#define SHPR3_ADDR 0xE000ED20u
#define SHCSR_ADDR 0xE000ED24u
#define CFSR_ADDR 0xE000ED28u
#define HFSR_ADDR 0xE000ED2Cu
#define DFSR_ADDR 0xE000ED30u
#define DHCSR_ADDR 0xE000EDF0u
#define DCRSR_ADDR 0xE000EDF4u
#define DCRDR_ADDR 0xE000EDF8u
#define DEMCR_ADDR 0xE000EDFCu
#define CPUID_CORTEX_M4_R0P1 0x410FC241u
/* Media and VFP feature registers (ARMv7-M B4.1.2): present with an FPU */
#define MVFR0_ADDR 0xE000EF40u
#define MVFR1_ADDR 0xE000EF44u
/* ACTLR.DISDEFWBUF (Cortex-M4 TRM 4.3.1): no write buffer, precise store
 * errors; CCR.DIV_0_TRP (ARMv7-M B3.2.8): SDIV/UDIV by zero is a
 * UsageFault */
#define ACTLR_DISDEFWBUF (1u << 1)
#define CCR_DIV_0_TRP (1u << 4)

#define AIRCR_VECTKEY 0x05FAu
#define AIRCR_VECTKEYSTAT 0xFA05u
#define AIRCR_VECTRESET (1u << 0)
#define AIRCR_VECTCLRACTIVE (1u << 1)
#define AIRCR_SYSRESETREQ (1u << 2)
#define AIRCR_PRIGROUP_MASK (7u << 8)

#define DHCSR_DBGKEY 0xA05Fu
#define DHCSR_C_DEBUGEN (1u << 0)
#define DHCSR_C_HALT (1u << 1)
#define DHCSR_C_STEP (1u << 2)
#define DHCSR_C_MASKINTS (1u << 3)
#define DHCSR_C_SNAPSTALL (1u << 5)
#define DHCSR_C_MASK                                                                               \
	(DHCSR_C_DEBUGEN | DHCSR_C_HALT | DHCSR_C_STEP | DHCSR_C_MASKINTS | DHCSR_C_SNAPSTALL)
#define DHCSR_S_REGRDY (1u << 16)
#define DHCSR_S_HALT (1u << 17)
#define DHCSR_S_SLEEP (1u << 18)
#define DHCSR_S_LOCKUP (1u << 19)
#define DHCSR_S_RETIRE_ST (1u << 24)
#define DHCSR_S_RESET_ST (1u << 25)

#define DCRSR_REGSEL_MASK 0x7Fu
#define DCRSR_REGWNR (1u << 16)

#define DEMCR_VC_CORERESET (1u << 0)
#define DEMCR_VC_MMERR (1u << 4)
#define DEMCR_VC_STATERR (1u << 7)
#define DEMCR_VC_BUSERR (1u << 8)
#define DEMCR_VC_HARDERR (1u << 10)
#define DEMCR_MON_EN (1u << 16)
#define DEMCR_TRCENA (1u << 24)
#define DEMCR_MASK 0x010F07F1u

#define DFSR_HALTED (1u << 0)
#define DFSR_BKPT (1u << 1)
#define DFSR_DWTTRAP (1u << 2)
#define DFSR_VCATCH (1u << 3)
#define DFSR_EXTERNAL (1u << 4)

#define DWT_BASE 0xE0001000u
#define DWT_CTRL_ADDR 0xE0001000u
/* NUMCOMP [31:28] = 4 comparators */
#define DWT_CTRL_RESET 0x40000000u
#define FPB_BASE 0xE0002000u
#define FP_CTRL_ADDR 0xE0002000u
#define FP_CTRL_ENABLE (1u << 0)
#define FP_CTRL_KEY (1u << 1)
/* NUM_CODE [7:4] = 6, NUM_LIT [11:8] = 2 */
#define FP_CTRL_RESET 0x00000260u
/* ARMv6-M (Cortex-M0/M0+): a BPU of 4 comparators (NUM_CODE = 4), a DWT of
 * 2 (NUMCOMP = 2) */
#define FP_CTRL_ARMV6M_RESET 0x00000040u
#define DWT_CTRL_ARMV6M_RESET 0x20000000u
#define ITM_BASE 0xE0000000u
#define TPIU_BASE 0xE0040000u
#define ETM_BASE 0xE0041000u
#define ROMTABLE_BASE 0xE00FF000u

/* Core register selectors (DCRSR.REGSEL, ARMv7-M C1.6.3) */
#define REGSEL_SP 13u
#define REGSEL_LR 14u
#define REGSEL_PC 15u
#define REGSEL_XPSR 16u
#define REGSEL_MSP 17u
#define REGSEL_PSP 18u
#define REGSEL_CONTROL 20u
#define REGSEL_FPSCR 33u
#define REGSEL_S0 64u
#define REGSEL_COUNT 96u
#define XPSR_THUMB (1u << 24)

/* Exception numbers (ARMv7-M B1.5.2) */
#define EXC_HARDFAULT 3u
#define EXC_MEMMANAGE 4u
#define EXC_BUSFAULT 5u
#define EXC_USAGEFAULT 6u
#define EXC_SVCALL 11u
#define EXC_DEBUGMONITOR 12u
#define EXC_SYSTICK 15u
#define XPSR_IPSR_MASK 0x1FFu
#define XPSR_STKALIGN (1u << 9)
/* What the PC reads in lockup (ARMv7-M B1.5.15) */
#define LOCKUP_PC 0xFFFFFFFEu

/* SHCSR enables of the configurable faults (ARMv7-M B3.2.13) */
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)

/* Fault status bits the core model raises (ARMv7-M B3.2.15/B3.2.16) */
#define CFSR_IACCVIOL (1u << 0)
#define CFSR_IBUSERR (1u << 8)
#define CFSR_UNSTKERR (1u << 11)
#define CFSR_STKERR (1u << 12)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_BFARVALID (1u << 15)
#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_INVSTATE (1u << 17)
#define CFSR_INVPC (1u << 18)
#define CFSR_DIVBYZERO (1u << 25)
#define HFSR_VECTTBL (1u << 1)
#define HFSR_FORCED (1u << 30)
#define HFSR_DEBUGEVT (1u << 31)
#define BFAR_ADDR 0xE000ED38u

/* Instrumentation Trace Macrocell (ARMv7-M C1.7, packets D4.2) */
#define ITM_STIM0_ADDR 0xE0000000u
#define ITM_STIM_PORTS 32u
#define ITM_TER_ADDR 0xE0000E00u
#define ITM_TPR_ADDR 0xE0000E40u
#define ITM_TCR_ADDR 0xE0000E80u
#define ITM_LAR_ADDR 0xE0000FB0u
#define ITM_LSR_ADDR 0xE0000FB4u
#define ITM_TCR_ITMENA (1u << 0)
#define ITM_TCR_TSENA (1u << 1)
#define ITM_TCR_SYNCENA (1u << 2)
#define ITM_TCR_TSPRESCALE_SHIFT 8
#define ITM_TCR_TSPRESCALE_MASK (3u << ITM_TCR_TSPRESCALE_SHIFT)
#define ITM_TCR_BUSY (1u << 23)
/* ITMENA, TSENA, SYNCENA, TXENA, SWOENA, TSPrescale, GTSFREQ, TraceBusID */
#define ITM_TCR_WRITABLE 0x007F0F1Fu
#define ITM_STIM_FIFOREADY (1u << 0)
/* CoreSight lock access key (LAR), lock status: implemented, locked */
#define CORESIGHT_LAR_KEY 0xC5ACCE55u
#define CORESIGHT_LSR_SLI (1u << 0)
#define CORESIGHT_LSR_SLK (1u << 1)

/* Data watchpoint and trace unit (ARMv7-M C1.8) */
#define DWT_CYCCNT_ADDR 0xE0001004u
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define DWT_CTRL_SYNCTAP_SHIFT 10
#define DWT_CTRL_SYNCTAP_MASK (3u << DWT_CTRL_SYNCTAP_SHIFT)

/* Trace port interface unit (ARMv7-M C1.10, Cortex-M4 TRM 11.2) */
#define TPIU_SSPSR_ADDR 0xE0040000u
#define TPIU_CSPSR_ADDR 0xE0040004u
#define TPIU_ACPR_ADDR 0xE0040010u
#define TPIU_SPPR_ADDR 0xE00400F0u
#define TPIU_FFSR_ADDR 0xE0040300u
#define TPIU_FFCR_ADDR 0xE0040304u
#define TPIU_TYPE_ADDR 0xE0040FC8u
/* port sizes 1 to 4 bits supported; 1 bit selected */
#define TPIU_SSPSR_RESET 0x0000000Fu
#define TPIU_CSPSR_RESET 0x00000001u
/* ACPR.PRESCALER is 13 bits on the Cortex-M3/M4 TPIU */
#define TPIU_ACPR_PRESCALER_MASK 0x1FFFu
#define TPIU_SPPR_PARALLEL 0u
#define TPIU_SPPR_MANCHESTER 1u
#define TPIU_SPPR_NRZ 2u
#define TPIU_SPPR_RESET TPIU_SPPR_MANCHESTER
/* FtNonStop: the formatter cannot be stopped */
#define TPIU_FFSR_RESET 0x00000008u
#define TPIU_FFCR_ENFCONT (1u << 1)
#define TPIU_FFCR_TRIGIN (1u << 8)
#define TPIU_FFCR_RESET (TPIU_FFCR_TRIGIN | TPIU_FFCR_ENFCONT)
/* NRZVALID, MANCVALID (Cortex-M4 TRM, recalled) */
#define TPIU_TYPE_RESET 0x00000CA1u

/* A CoreSight SWO unit and trace funnel of the chip's own (the STM32H7's,
 * RM0433 60.5: SWO_CODR, SWO_SPPR, SWO_FFCR at the TPIU's offsets; SWTF
 * CTRL with a port enable per source, ENS0 the core's ITM, and a hold
 * time HT reset to 3). Their lock registers at 0xFB0/0xFB4. SPPR resets to
 * Manchester as the TPIU's does; FFCR to 0, no formatter (estimate:
 * firmware that never writes it gets readable SWO on silicon). */
#define SWO_CODR 0x010u
#define SWO_SPPR 0x0F0u
#define SWO_FFSR 0x300u
#define SWO_FFCR 0x304u
/* DEVID: NRZ and Manchester valid, no parallel trace port (PTINVALID;
 * recalled from the CoreSight SWO's register description, estimate) */
#define SWO_DEVID 0xFC8u
#define SWO_DEVID_RESET 0x00000E00u
#define SWO_SPPR_RESET TPIU_SPPR_MANCHESTER
#define SWO_FFCR_RESET 0u
#define FUNNEL_CTRL 0x000u
#define FUNNEL_CTRL_RESET 0x00000300u
#define FUNNEL_CTRL_WRITABLE 0x00000FFFu
#define CORESIGHT_LAR 0xFB0u
#define CORESIGHT_LSR 0xFB4u

/* Flash patch and breakpoint unit, FPB version 1 (ARMv7-M C1.11) */
#define FP_COMP0_ADDR 0xE0002008u
#define FP_COMP_COUNT 6u
#define FP_COMP_ENABLE (1u << 0)
#define FP_COMP_ADDR_MASK 0x1FFFFFFCu
#define FP_COMP_REPLACE_SHIFT 30
#define FP_REPLACE_LOWER 1u
#define FP_REPLACE_UPPER 2u

/* Thumb encodings the run loop recognises */
#define THUMB_WFI 0xBF30u
#define THUMB_B_SELF 0xE7FEu
