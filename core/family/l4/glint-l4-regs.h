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
/* The second PCROP area of each bank (RM0444 3.7, RM0434 3.10, RM0453
 * 4.10: PCROPxA at the L4's PCROPxSR/ER offsets, PCROPxB here) */
#define FLASH_L4_PCROP1BSR 0x34
#define FLASH_L4_PCROP1BER 0x38
#define FLASH_L4_PCROP2BSR 0x54
#define FLASH_L4_PCROP2BER 0x58
/* RM0444 3.7.21: the G0's securable areas and BOOT_LOCK */
#define FLASH_G0_SECR 0x80
/* RM0434 3.10.11-17, RM0453 4.10.11-17: the IPCC buffer, CPU2's secure
 * flash start (SFSA) and its boot vector */
#define FLASH_WX_IPCCBR 0x3C
#define FLASH_WX_SFR 0x80
#define FLASH_WX_SRRVR 0x84

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
/* RM0444 3.7.5: bank 2 busy (G0B1); a program or erase set up and not yet
 * over (G0, WB, WL) */
#define FLASH_SR_BSY2 (1u << 17)
#define FLASH_SR_CFGBSY (1u << 18)

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
/* RM0444 3.7.6: the G0B1's BKER, and the G0's 10-bit PNB [12:3]; RM0453
 * 4.10.6: the WL's 7-bit PNB [9:3] */
#define FLASH_CR_BKER_G0 (1u << 13)
#define FLASH_CR_PNB_MASK_G0 (0x3FFu << FLASH_CR_PNB_SHIFT)
#define FLASH_CR_PNB_MASK_WL (0x7Fu << FLASH_CR_PNB_SHIFT)
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

/* RM0444 3.7.1: FLASH_ACR.EMPTY, main flash found erased at the last
 * option load (the G0 then boots its system memory) */
#define FLASH_ACR_EMPTY (1u << 16)

/* The G0B1's bank bits (RM0444 3.7.8): nSWAP_BANK = 0 maps bank 2 first */
#define FLASH_OPTR_G0_nSWAP_BANK (1u << 20)
#define FLASH_OPTR_G0_DUAL_BANK (1u << 21)

/* DBGMCU (RM0351 48.4): freeze the watchdogs while the core is halted.
 * The G0's DBG_APB_FZ1 (RM0444 40.9.4) and the WB/WL's CPU1
 * DBGMCU_APB1FZR1 (RM0434 38.13.4, RM0453 38.12.4) use the same bits. */
#define DBGMCU_APB1FZR1 0xE0042008u
/* The SWO pin (RM0351 48.6.3, RM0440 46.17.2): DBGMCU_CR.TRACE_IOEN set,
 * TRACE_MODE 00 (asynchronous) */
#define DBGMCU_L4_CR 0xE0042004u
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1FZR1_WWDG_STOP (1u << 11)
#define DBGMCU_APB1FZR1_IWDG_STOP (1u << 12)
#define DBGMCU_G0_APB_FZ1 0x40015808u
#define DBGMCU_WX_APB1FZR1 0xE004203Cu
/* RM0444 5.4.15 RCC_APBENR1.DBGEN: the G0's debug unit is clocked */
#define RCC_G0_APBENR1 0x4002103Cu
#define RCC_G0_APBENR1_DBGEN (1u << 27)
