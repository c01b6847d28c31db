/* glint-l4-regs.h: STM32L4 flash controller registers and bits, named
 * as in RM0351 section 3.7 (FLASH_ACR ... FLASH_WRP2BR). */
#pragma once

#define FLASH_L4_ACR 0x00
#define FLASH_L4_PDKEYR 0x04
#define FLASH_L4_KEYR 0x08
#define FLASH_L4_OPTKEYR 0x0C
#define FLASH_L4_SR 0x10
#define FLASH_L4_CR 0x14
#define FLASH_L4_ECCR 0x18
#define FLASH_L4_OPTR 0x20
#define FLASH_L4_PCROP1SR 0x24
#define FLASH_L4_PCROP1ER 0x28
#define FLASH_L4_WRP1AR 0x2C
#define FLASH_L4_WRP1BR 0x30
#define FLASH_L4_PCROP2SR 0x44
#define FLASH_L4_PCROP2ER 0x48
#define FLASH_L4_WRP2AR 0x4C
#define FLASH_L4_WRP2BR 0x50

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

#define FLASH_SR_EOP (1u << 0)
#define FLASH_SR_OPERR (1u << 1)
#define FLASH_SR_PROGERR (1u << 3)
#define FLASH_SR_WRPERR (1u << 4)
#define FLASH_SR_PGAERR (1u << 5)
#define FLASH_SR_SIZERR (1u << 6)
#define FLASH_SR_PGSERR (1u << 7)
#define FLASH_SR_MISERR (1u << 8)
#define FLASH_SR_FASTERR (1u << 9)
#define FLASH_SR_RDERR (1u << 14)
#define FLASH_SR_OPTVERR (1u << 15)
#define FLASH_SR_BSY (1u << 16)

/* Every write-1-to-clear flag that a previous operation may have left. */
#define FLASH_SR_ERRORS                                                                            \
	(FLASH_SR_OPERR | FLASH_SR_PROGERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_SIZERR | \
	 FLASH_SR_PGSERR | FLASH_SR_MISERR | FLASH_SR_FASTERR | FLASH_SR_RDERR | FLASH_SR_OPTVERR)

#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_PER (1u << 1)
#define FLASH_CR_MER1 (1u << 2)
#define FLASH_CR_PNB_SHIFT 3
#define FLASH_CR_PNB_MASK (0xFFu << FLASH_CR_PNB_SHIFT)
#define FLASH_CR_BKER (1u << 11)
#define FLASH_CR_MER2 (1u << 15)
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_OPTSTRT (1u << 17)
#define FLASH_CR_FSTPG (1u << 18)
#define FLASH_CR_EOPIE (1u << 24)
#define FLASH_CR_ERRIE (1u << 25)
#define FLASH_CR_RDERRIE (1u << 26)
#define FLASH_CR_OBL_LAUNCH (1u << 27)
#define FLASH_CR_OPTLOCK (1u << 30)
#define FLASH_CR_LOCK (1u << 31)

#define FLASH_OPTR_RDP_MASK 0xFFu
#define FLASH_OPTR_BFB2 (1u << 20)
#define FLASH_OPTR_DUALBANK (1u << 21)
/* RM0440 3.7.8 (G47x), RM0432 3.7.8 (L4+ 2 MB): two banks of smaller pages */
#define FLASH_OPTR_DBANK (1u << 22)

/* Option registers in the order the layout (glint-l4-options.c) keeps them. */
enum {
	L4_OB_OPTR,
	L4_OB_PCROP1SR,
	L4_OB_PCROP1ER,
	L4_OB_WRP1AR,
	L4_OB_WRP1BR,
	L4_OB_PCROP2SR,
	L4_OB_PCROP2ER,
	L4_OB_WRP2AR,
	L4_OB_WRP2BR,
	L4_OB_N_REGS,
};

#define FLASH_PCROP1ER_PCROP_RDP (1u << 31)

/* RM0351 3.4.1: when FLASH_OPTR and its complement disagree at load, the
 * chip applies a safe default whose RDP byte is 0xFF (level 1). */
#define FLASH_OPTR_RDP_SAFE_DEFAULT 0xFFu

/* SYSCFG_MEMRMP (RM0351 9.2.1): FB_MODE = 1 when the system bootloader
 * mapped bank 2 at 0x08000000 (dual-bank boot, BFB2); reset to 0 */
#define SYSCFG_L4_MEMRMP 0x40010000u
#define SYSCFG_MEMRMP_FB_MODE (1u << 8)

/* DBGMCU (RM0351 48.4): freeze the watchdogs while the core is halted. */
#define DBGMCU_APB1FZR1 0xE0042008u
/* The SWO pin (RM0351 48.6.3, RM0440 46.17.2): DBGMCU_CR.TRACE_IOEN set,
 * TRACE_MODE 00 (asynchronous) */
#define DBGMCU_L4_CR 0xE0042004u
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1FZR1_WWDG_STOP (1u << 11)
#define DBGMCU_APB1FZR1_IWDG_STOP (1u << 12)
