/* glint-l5-regs.h: the STM32L5/U5 flash interface, named as in RM0438
 * section 6.9 (STM32L552/L562) and RM0456 section 7.9 (STM32U575/U585):
 * non-secure and secure key, status and control registers, the option
 * registers, the secure block-based registers. */
#pragma once

/* The register block: non-secure at 0x40022000, its secure alias 0x10000000
 * above (RM0438 2.3, RM0456 2.3) */
#define FLASH_L5_NS_BASE 0x40022000u
#define FLASH_L5_S_BASE 0x50022000u

#define FLASH_L5_ACR 0x00
#define FLASH_L5_NSKEYR 0x08
#define FLASH_L5_SECKEYR 0x0C
#define FLASH_L5_OPTKEYR 0x10
#define FLASH_L5_NSSR 0x20
#define FLASH_L5_SECSR 0x24
#define FLASH_L5_NSCR 0x28
#define FLASH_L5_SECCR 0x2C
#define FLASH_L5_ECCR 0x30
#define FLASH_L5_OPTR 0x40
#define FLASH_L5_NSBOOTADD0R 0x44
#define FLASH_L5_NSBOOTADD1R 0x48
#define FLASH_L5_SECBOOTADD0R 0x4C
#define FLASH_L5_SECWM1R1 0x50
#define FLASH_L5_SECWM1R2 0x54
#define FLASH_L5_WRP1AR 0x58
#define FLASH_L5_WRP1BR 0x5C
#define FLASH_L5_SECWM2R1 0x60
#define FLASH_L5_SECWM2R2 0x64
#define FLASH_L5_WRP2AR 0x68
#define FLASH_L5_WRP2BR 0x6C
/* FLASH_SECBB1R1..R4 (bank 1), FLASH_SECBB2R1..R4 (bank 2): one bit per
 * page, set = secure (RM0438 6.9.22) */
#define FLASH_L5_SECBB1R1 0x80
#define FLASH_L5_SECBB2R1 0xA0

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

/* FLASH_NSSR (RM0438 6.9.6, RM0456 7.9.6) */
#define FLASH_SR_EOP (1u << 0)
#define FLASH_SR_OPERR (1u << 1)
#define FLASH_SR_PROGERR (1u << 3)
#define FLASH_SR_WRPERR (1u << 4)
#define FLASH_SR_PGAERR (1u << 5)
#define FLASH_SR_SIZERR (1u << 6)
#define FLASH_SR_PGSERR (1u << 7)
#define FLASH_SR_OPTWERR (1u << 13)
/* L5 only: option bytes failed to load; reserved on the U5 */
#define FLASH_SR_OPTVERR (1u << 15)
#define FLASH_SR_BSY (1u << 16)
/* U5 only: status, not errors */
#define FLASH_SR_WDW (1u << 17)
#define FLASH_SR_OEM1LOCK (1u << 18)
#define FLASH_SR_OEM2LOCK (1u << 19)

/* Write-1-to-clear flags an earlier operation may have left */
#define FLASH_SR_ERRORS                                                                            \
	(FLASH_SR_OPERR | FLASH_SR_PROGERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_SIZERR | \
	 FLASH_SR_PGSERR | FLASH_SR_OPTWERR | FLASH_SR_OPTVERR)

/* FLASH_NSCR (RM0438 6.9.8, RM0456 7.9.8) */
#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_PER (1u << 1)
#define FLASH_CR_MER1 (1u << 2)
#define FLASH_CR_PNB_SHIFT 3
/* 7 bits on the L5 and the 2 MB U5 (128 pages a bank), 8 on 4 MB parts */
#define FLASH_CR_PNB_MASK (0xFFu << FLASH_CR_PNB_SHIFT)
#define FLASH_CR_BKER (1u << 11)
#define FLASH_CR_MER2 (1u << 15)
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_OPTSTRT (1u << 17)
#define FLASH_CR_OBL_LAUNCH (1u << 27)
#define FLASH_CR_OPTLOCK (1u << 30)
#define FLASH_CR_LOCK (1u << 31)

/* FLASH_OPTR (RM0438 6.9.11, RM0456 7.9.12) */
#define FLASH_OPTR_RDP_MASK 0xFFu
#define FLASH_OPTR_SWAP_BANK (1u << 20)
/* L5: DB256K on 256 KB parts; U5: DUALBANK on parts below the largest */
#define FLASH_OPTR_DB256K (1u << 21)
#define FLASH_OPTR_DUALBANK (1u << 21)
/* L5: DBANK on 512 KB parts */
#define FLASH_OPTR_DBANK (1u << 22)
#define FLASH_OPTR_TZEN (1u << 31)
#define FLASH_OPTR_TZEN_SHIFT 31

/* FLASH_SECBOOTADD0R: the address in [31:7], BOOT_LOCK in bit 0 */
#define FLASH_SECBOOTADD0R_BOOT_LOCK (1u << 0)
/* Watermark registers: first and last page [6:0] (or [7:0]) and [22:16]
 * (SECWMxR1); HDPx_PEND [22:16] and HDPxEN 31 (SECWMxR2) */
#define FLASH_SECWMR2_HDPEN (1u << 31)
/* U5 WRPxyR: UNLOCK = 0 makes the area permanent (RM0456 7.9.17) */
#define FLASH_WRPR_UNLOCK_SHIFT 31
#define FLASH_WRPR_UNLOCK (1u << FLASH_WRPR_UNLOCK_SHIFT)

/* Option registers in the order the layouts keep them */
enum {
	L5_OB_OPTR,
	L5_OB_NSBOOTADD0R,
	L5_OB_NSBOOTADD1R,
	L5_OB_SECBOOTADD0R,
	L5_OB_SECWM1R1,
	L5_OB_SECWM1R2,
	L5_OB_WRP1AR,
	L5_OB_WRP1BR,
	L5_OB_SECWM2R1,
	L5_OB_SECWM2R2,
	L5_OB_WRP2AR,
	L5_OB_WRP2BR,
	L5_OB_N_REGS,
};

/* RM0438 6.4.3: a value and its complement that disagree at load give
 * a safe default whose RDP byte is 0xFF (level 1) (L5; recalled) */
#define FLASH_OPTR_RDP_SAFE_DEFAULT 0xFFu

/* DBGMCU of the Cortex-M33 parts (RM0438 47.4, RM0456 65.4): freeze the
 * watchdogs while the core is halted */
#define DBGMCU_L5_CR 0xE0044004u
#define DBGMCU_L5_APB1FZR1 0xE0044008u
/* The SWO pin (RM0438 47.4.3, RM0456 65.4.3): TRACE_IOEN (bit 4, not 5
 * as on the Cortex-M3/M4 parts) and TRACE_EN (the trace port's clock,
 * bit 5) set, TRACE_MODE 00 (asynchronous): PB3 in AF0 carries the TPIU */
#define DBGMCU_L5_CR_TRACE_IOEN (1u << 4)
#define DBGMCU_L5_CR_TRACE_EN (1u << 5)
#define DBGMCU_L5_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1FZR1_WWDG_STOP (1u << 11)
#define DBGMCU_APB1FZR1_IWDG_STOP (1u << 12)
