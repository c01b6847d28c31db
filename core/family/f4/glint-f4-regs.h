/* glint-f4-regs.h: the F2/F4/F7 flash interface registers and bits, named
 * as in RM0090 3.9 (F405/F407/F42x), RM0368/RM0383/RM0390 (F401/F411/F446),
 * RM0033 (F2), RM0385/RM0410/RM0431 (F74x/F76x/F72x). One controller design:
 * where a bit means something else on one line, both names are given. */
#pragma once

#define FLASH_F4_ACR 0x00
#define FLASH_F4_KEYR 0x04
#define FLASH_F4_OPTKEYR 0x08
#define FLASH_F4_SR 0x0C
#define FLASH_F4_CR 0x10
#define FLASH_F4_OPTCR 0x14
#define FLASH_F4_OPTCR1 0x18 /* F42x/F43x: bank 2 nWRP; F7: BOOT_ADD0/1 */
#define FLASH_F4_OPTCR2 0x1C /* F72x/F73x: PCROP */

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

/* FLASH_ACR (RM0090 3.9.1): the data cache, reset while disabled */
#define FLASH_ACR_DCEN (1u << 10)
#define FLASH_ACR_DCRST (1u << 12)

/* FLASH_SR (RM0090 3.9.5/3.9.6; RM0410 3.7.5 calls bit 7 ERSERR) */
#define FLASH_SR_EOP (1u << 0)
#define FLASH_SR_OPERR (1u << 1)
#define FLASH_SR_WRPERR (1u << 4)
#define FLASH_SR_PGAERR (1u << 5)
#define FLASH_SR_PGPERR (1u << 6)
#define FLASH_SR_PGSERR (1u << 7)
#define FLASH_SR_RDERR (1u << 8) /* parts with PCROP */
#define FLASH_SR_BSY (1u << 16)
#define FLASH_SR_ERRORS                                                                            \
	(FLASH_SR_OPERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_PGPERR | FLASH_SR_PGSERR |  \
	 FLASH_SR_RDERR)

/* FLASH_CR (RM0090 3.9.7/3.9.8) */
#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_SER (1u << 1)
#define FLASH_CR_MER (1u << 2) /* MER1 on F76x: bank 1, or the whole single bank */
#define FLASH_CR_SNB_SHIFT 3
#define FLASH_CR_SNB_MASK (0x1Fu << FLASH_CR_SNB_SHIFT)
/* SNB of the n-th sector of bank 2 is 0x10 | n (RM0090 3.9.8) */
#define FLASH_CR_SNB_BANK2 0x10u
#define FLASH_CR_PSIZE_SHIFT 8
#define FLASH_CR_PSIZE_MASK (3u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_PSIZE_X8 (0u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_PSIZE_X16 (1u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_PSIZE_X32 (2u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_PSIZE_X64 (3u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_MER_BANK2 (1u << 15) /* MER1 on F42x, MER2 on F76x */
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_LOCK (1u << 31)

/* FLASH_OPTCR (RM0090 3.9.9/3.9.10, RM0410 3.7.7) */
#define FLASH_OPTCR_OPTLOCK (1u << 0)
#define FLASH_OPTCR_OPTSTRT (1u << 1)
#define FLASH_OPTCR_BFB2 (1u << 4) /* F42x/F43x */
#define FLASH_OPTCR_RDP_SHIFT 8
#define FLASH_OPTCR_NWRP_SHIFT 16
#define FLASH_OPTCR_NDBANK (1u << 29) /* F76x/F77x */
#define FLASH_OPTCR_DB1M (1u << 30)   /* F42x/F43x */
#define FLASH_OPTCR_SPRMOD (1u << 31) /* F42x, F401, F411, F446 */
/* The value written with the option bytes keeps OPTLOCK and OPTSTRT clear. */
#define FLASH_OPTCR_CONTROL (FLASH_OPTCR_OPTLOCK | FLASH_OPTCR_OPTSTRT)

/* FLASH_OPTCR1 on the F7 (RM0410 3.7.8): boot addresses in 16 KB units */
#define FLASH_OPTCR1_BOOT_ADD0_SHIFT 0
#define FLASH_OPTCR1_BOOT_ADD1_SHIFT 16
#define F7_BOOT_ADD_SCALE 16384u

/* Option registers in the order the layouts (glint-f4-options.c) keep them. */
enum {
	F4_OB_OPTCR,
	F4_OB_OPTCR1,
	F4_OB_OPTCR2,
	F4_OB_MAX_REGS,
};

/* DBGMCU (RM0090 38.16.4): freeze the watchdogs while the core is halted */
#define DBGMCU_APB1_FZ 0xE0042008u
/* The SWO pin (RM0090 38.16.3, RM0033 32.16.3, RM0410 40.16.3):
 * DBGMCU_CR.TRACE_IOEN set, TRACE_MODE 00 (asynchronous) */
#define DBGMCU_F4_CR 0xE0042004u
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1_FZ_DBG_WWDG_STOP (1u << 11)
#define DBGMCU_APB1_FZ_DBG_IWDG_STOP (1u << 12)
