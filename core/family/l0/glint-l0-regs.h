/* glint-l0-regs.h: the STM32L0/L1 NVM interface ("PECR" design), named as
 * in RM0367/RM0376/RM0377 (STM32L0) and RM0038 (STM32L1), FLASH chapter
 * (STM32L1). Both keep the same register map at another base; bits only
 * one of them has say which. */
#pragma once

/* Register offsets (FLASH_OPTR is FLASH_OBR on the L1; FLASH_WRPROT1/2 are
 * FLASH_WRPR1..4 there). */
#define FLASH_LX_ACR 0x00
#define FLASH_LX_PECR 0x04
#define FLASH_LX_PDKEYR 0x08
#define FLASH_LX_PEKEYR 0x0C
#define FLASH_LX_PRGKEYR 0x10
#define FLASH_LX_OPTKEYR 0x14
#define FLASH_LX_SR 0x18
#define FLASH_LX_OPTR 0x1C
#define FLASH_LX_WRPR1 0x20
#define FLASH_LX_WRPR2 0x80
#define FLASH_LX_WRPR3 0x84
#define FLASH_LX_WRPR4 0x88

/* Three unlock stages: PEKEYR clears PELOCK (FLASH_PECR and data EEPROM),
 * then PRGKEYR clears PRGLOCK (program memory) or OPTKEYR clears OPTLOCK
 * (option bytes). */
#define FLASH_PEKEY1 0x89ABCDEFu
#define FLASH_PEKEY2 0x02030405u
#define FLASH_PRGKEY1 0x8C9DAEBFu
#define FLASH_PRGKEY2 0x13141516u
#define FLASH_OPTKEY1 0xFBEAD9C8u
#define FLASH_OPTKEY2 0x24252627u

#define FLASH_PECR_PELOCK (1u << 0)
#define FLASH_PECR_PRGLOCK (1u << 1)
#define FLASH_PECR_OPTLOCK (1u << 2)
#define FLASH_PECR_PROG (1u << 3)
#define FLASH_PECR_DATA (1u << 4)
#define FLASH_PECR_FIX (1u << 8) /* FTDW on the L1 */
#define FLASH_PECR_ERASE (1u << 9)
#define FLASH_PECR_FPRG (1u << 10)
#define FLASH_PECR_PARALLELBANK (1u << 15)
#define FLASH_PECR_EOPIE (1u << 16)
#define FLASH_PECR_ERRIE (1u << 17)
#define FLASH_PECR_OBL_LAUNCH (1u << 18)
#define FLASH_PECR_LOCKS (FLASH_PECR_PELOCK | FLASH_PECR_PRGLOCK | FLASH_PECR_OPTLOCK)

#define FLASH_SR_BSY (1u << 0)
#define FLASH_SR_EOP (1u << 1)
#define FLASH_SR_ENDHV (1u << 2)
#define FLASH_SR_READY (1u << 3)
#define FLASH_SR_WRPERR (1u << 8)
#define FLASH_SR_PGAERR (1u << 9)
#define FLASH_SR_SIZERR (1u << 10)
#define FLASH_SR_OPTVERR (1u << 11)
#define FLASH_SR_OPTVERRUSR (1u << 12) /* L1 only */
#define FLASH_SR_RDERR (1u << 13)
#define FLASH_SR_NOTZEROERR (1u << 16) /* L0 only */
#define FLASH_SR_FWWERR (1u << 17)     /* L0 only */

/* Flags a failed erase or program leaves (write 1 to clear). */
#define FLASH_SR_L0_ERRORS                                                                         \
	(FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_SIZERR | FLASH_SR_OPTVERR | FLASH_SR_RDERR | \
	 FLASH_SR_NOTZEROERR | FLASH_SR_FWWERR)
#define FLASH_SR_L1_ERRORS                                                                         \
	(FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_SIZERR | FLASH_SR_OPTVERR |                  \
	 FLASH_SR_OPTVERRUSR | FLASH_SR_RDERR)
/* Of those, the ones about option bytes, not about the operation. */
#define FLASH_SR_OPTION_ERRORS (FLASH_SR_OPTVERR | FLASH_SR_OPTVERRUSR)

/* FLASH_OPTR (L0) / FLASH_OBR (L1): the RDP word's value in bits 15:0,
 * the USER word's in bits 31:16. */
#define FLASH_OPTR_RDP_MASK 0xFFu
#define FLASH_OPTR_WPRMOD (1u << 8)
#define FLASH_OPTR_BOR_LEV_SHIFT 16
#define FLASH_OPTR_BOR_LEV_MASK (0xFu << FLASH_OPTR_BOR_LEV_SHIFT)
#define FLASH_OPTR_BFB2 (1u << 23)
#define FLASH_OPTR_NBOOT1 (1u << 31)

/* RDP level 1 as OpenOCD's stm32lx lock writes it (0xFFFF0000): what a
 * failed option load also falls back to (recalled: the safe default). */
#define FLASH_OPTR_RDP_LEVEL1_DEFAULT 0x00u

/* Option bytes: 32-bit words from 0x1FF80000, the value in bits 15:0 and
 * its complement in bits 31:16. */
#define LX_OB_BASE 0x1FF80000u
#define LX_OB_RDP 0x00
#define LX_OB_USER 0x04
#define LX_OB_WRP01 0x08
#define LX_OB_WRP23 0x0C
#define LX_OB_WRP45 0x10
#define LX_OB_WRP67 0x14
#define LX_OB_WRP89 0x18
#define LX_OB_WRP1011 0x1C
#define LX_OB_WRP1213 0x80
#define LX_OB_WRP1415 0x84
#define LX_OB_NONE 0xFFFF

/* DBGMCU_APB1_FZ: the watchdogs stop while the core is halted (RM0367,
 * DBGMCU at 0x40015800 on the L0; RM0038, at 0xE0042000 on the L1). */
#define DBGMCU_APB1_FZ_OFFSET 0x08
/* The L1's SWO pin (RM0038 30.16.3): DBGMCU_CR (0xE0042004) TRACE_IOEN
 * set, TRACE_MODE 00 (asynchronous); the L0's Cortex-M0+ has no ITM */
#define DBGMCU_L1_CR 0xE0042004u
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1_FZ_DBG_WWDG_STOP (1u << 11)
#define DBGMCU_APB1_FZ_DBG_IWDG_STOP (1u << 12)
