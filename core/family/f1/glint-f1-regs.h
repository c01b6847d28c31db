/* glint-f1-regs.h: the flash program/erase controller (FPEC) of the STM32F0,
 * F1 and F3 and the registers around it, named as in PM0075 (STM32F10xxx
 * flash programming manual) section 3, PM0068 (XL density), RM0091 section
 * 3.5 (F0) and RM0316 section 4.5 (F3). */
#pragma once

#define FLASH_R_BASE 0x40022000u

/* Register offsets (PM0075 3.1) */
#define FLASH_F1_ACR 0x00u
#define FLASH_F1_KEYR 0x04u
#define FLASH_F1_OPTKEYR 0x08u
#define FLASH_F1_SR 0x0Cu
#define FLASH_F1_CR 0x10u
#define FLASH_F1_AR 0x14u
#define FLASH_F1_OBR 0x1Cu
#define FLASH_F1_WRPR 0x20u
/* XL density: bank 2 has KEYR2, SR2, CR2 and AR2 at the bank-1 offsets
 * plus 0x40 (PM0068 3.1) */
#define FLASH_F1_BANK2_OFFSET 0x40u

/* The same keys unlock FLASH_CR (KEYR) and the option bytes (OPTKEYR) */
#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu

#define FLASH_SR_BSY (1u << 0)
#define FLASH_SR_PGERR (1u << 2)
#define FLASH_SR_WRPRTERR (1u << 4)
#define FLASH_SR_EOP (1u << 5)
/* The flags an operation leaves (write 1 to clear) */
#define FLASH_SR_ERRORS (FLASH_SR_PGERR | FLASH_SR_WRPRTERR)

#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_PER (1u << 1)
#define FLASH_CR_MER (1u << 2)
#define FLASH_CR_OPTPG (1u << 4)
#define FLASH_CR_OPTER (1u << 5)
#define FLASH_CR_STRT (1u << 6)
#define FLASH_CR_LOCK (1u << 7)
#define FLASH_CR_OPTWRE (1u << 9)
#define FLASH_CR_ERRIE (1u << 10)
#define FLASH_CR_EOPIE (1u << 12)
/* F0 and F3 only (RM0091 3.5.5, RM0316 4.5.5): reload the option bytes
 * and reset */
#define FLASH_CR_OBL_LAUNCH (1u << 13)

/* FLASH_OBR, F1 (PM0075 3.4.6) */
#define FLASH_OBR_OPTERR (1u << 0)
#define FLASH_OBR_F1_RDPRT (1u << 1)
#define FLASH_OBR_F1_USER_SHIFT 2
#define FLASH_OBR_F1_DATA0_SHIFT 10
#define FLASH_OBR_F1_DATA1_SHIFT 18
/* FLASH_OBR, F0 and F3 (RM0091 3.5.6, RM0316 4.5.6): RDPRT[1:0] is 0b01 at
 * level 1 and 0b11 at level 2 */
#define FLASH_OBR_F0_RDPRT_SHIFT 1
#define FLASH_OBR_F0_RDPRT_MASK (3u << FLASH_OBR_F0_RDPRT_SHIFT)
#define FLASH_OBR_F0_RDPRT_LEVEL1 (1u << FLASH_OBR_F0_RDPRT_SHIFT)
#define FLASH_OBR_F0_RDPRT_LEVEL2 (3u << FLASH_OBR_F0_RDPRT_SHIFT)
#define FLASH_OBR_F0_USER_SHIFT 8
#define FLASH_OBR_F0_DATA0_SHIFT 16
#define FLASH_OBR_F0_DATA1_SHIFT 24

/* The option bytes as stored: eight half-words, each a byte and its
 * complement (PM0075 2.5, RM0091 4) */
#define OB_BASE 0x1FFFF800u
#define OB_RDP 0x0u
#define OB_USER 0x2u
#define OB_DATA0 0x4u
#define OB_DATA1 0x6u
#define OB_WRP0 0x8u
#define OB_SIZE 16u

/* Option registers in the order the layouts (glint-f1-options.c) keep them */
enum {
	F1_OB_RDP,  /* the RDP byte */
	F1_OB_USER, /* the USER byte */
	F1_OB_DATA, /* Data1 << 8 | Data0 */
	F1_OB_WRP,  /* WRP3..WRP0, as FLASH_WRPR shows them */
	F1_OB_N_REGS,
};

/* USER bits (PM0075 2.5; RM0091 4.1.1; RM0316 5.1) */
#define OB_USER_WDG_SW (1u << 0)
#define OB_USER_NRST_STOP (1u << 1)
#define OB_USER_NRST_STDBY (1u << 2)
#define OB_USER_BFB2 (1u << 3) /* F1 XL */

/* The RDP byte: level 0 is 0xA5 on F1, 0xAA on F0/F3; 0xCC is level 2 on
 * F0/F3; anything else (the erased 0xFF too) is level 1 */
#define OB_RDP_F1_LEVEL0 0xA5u
#define OB_RDP_F0_LEVEL0 0xAAu
#define OB_RDP_LEVEL2 0xCCu

/* Not a FLASH_SR bit: FLASH_OBR.OPTERR folded into the status word the
 * driver reports (bit 1 is reserved in every FLASH_SR of the family) */
#define F1_STATUS_OPTERR (1u << 31)

/* Watchdog freeze while the core is halted: F1 DBGMCU_CR (RM0008 31.16.3);
 * F3 DBGMCU_APB1_FZ (RM0316 33.15.3); F0 DBGMCU_APB1_FZ (RM0091 32.9.3) */
#define DBGMCU_F1_CR 0xE0042004u
#define DBGMCU_F1_CR_IWDG_STOP (1u << 8)
/* The SWO pin (RM0008 31.16.3, RM0316 33.15.3): TRACE_IOEN set, TRACE_MODE
 * 00 (asynchronous) gives PB3 to the TPIU */
#define DBGMCU_F1_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_F1_CR_TRACE_MODE (3u << 6)
#define DBGMCU_F1_CR_WWDG_STOP (1u << 9)
#define DBGMCU_F3_APB1_FZ 0xE0042008u
#define DBGMCU_F0_APB1_FZ 0x40015808u
#define DBGMCU_APB1_FZ_WWDG_STOP (1u << 11)
#define DBGMCU_APB1_FZ_IWDG_STOP (1u << 12)

/* RCC_CR: the FPEC runs on the HSI (PM0075 2.3: "the HSI must be ON" for
 * programming and erasing) */
#define RCC_CR_ADDR 0x40021000u
#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)

/* The loader's ERASE command: the FLASH_CR bits, and for a mass erase of
 * an XL part both banks at once */
#define F1_LOADER_BOTH_BANKS (1u << 31)
