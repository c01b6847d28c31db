/* l0-regs.h: STM32L0/L1 facts the emulator's machines use, written from the
 * reference manuals (RM0367 for the STM32L0x3, RM0038 for the STM32L1) and
 * not shared with the driver (core/family/l0), so that one cannot hide the
 * other's mistake. */
#pragma once

/* Memory map (memory maps of RM0367 and RM0038) */
#define LX_FLASH_BASE 0x08000000u
#define LX_EEPROM_BASE 0x08080000u
#define LX_SRAM_BASE 0x20000000u
#define LX_SYSMEM_BASE 0x1FF00000u
#define LX_OPTIONS_BASE 0x1FF80000u
#define L0_INFO_BASE 0x1FF80020u /* factory option bytes: UID, flash size, calibration */
#define L0_INFO_SIZE 0x60u
#define L1_INFO_BASE 0x1FF800C0u
#define L1_INFO_SIZE 0x40u
#define L0_FLASHSIZE_ADDR 0x1FF8007Cu
#define L0_UID_ADDR 0x1FF80050u
#define L1_FLASHSIZE_ADDR 0x1FF800CCu
#define L1_UID_ADDR 0x1FF800D0u
/* the unique ID's three words: base, base + 4, base + 0x14 */
#define LX_UID_WORD2_OFFSET 0x14u

/* NVM interface: 0x40022000 on the L0, 0x40023C00 on the L1 */
#define L0_FLASH_R_BASE 0x40022000u
#define L1_FLASH_R_BASE 0x40023C00u
#define FLASH_R_SIZE 0x400u
#define FLASH_ACR 0x00u
#define ACR_LATENCY (1u << 0)
#define ACR_PRFTEN (1u << 1)
#define ACR_ACC64 (1u << 2) /* the L1's 64-bit access */
#define FLASH_PECR 0x04u
#define FLASH_PDKEYR 0x08u
#define FLASH_PEKEYR 0x0Cu
#define FLASH_PRGKEYR 0x10u
#define FLASH_OPTKEYR 0x14u
#define FLASH_SR 0x18u
#define FLASH_OPTR 0x1Cu /* FLASH_OBR on the L1 */
#define FLASH_WRPR1 0x20u
#define FLASH_WRPR2 0x80u
#define FLASH_WRPR3 0x84u
#define FLASH_WRPR4 0x88u

#define PEKEY1 0x89ABCDEFu
#define PEKEY2 0x02030405u
#define PRGKEY1 0x8C9DAEBFu
#define PRGKEY2 0x13141516u
#define OPTKEY1 0xFBEAD9C8u
#define OPTKEY2 0x24252627u

#define PECR_PELOCK (1u << 0)
#define PECR_PRGLOCK (1u << 1)
#define PECR_OPTLOCK (1u << 2)
#define PECR_PROG (1u << 3)
#define PECR_DATA (1u << 4)
#define PECR_FIX (1u << 8)
#define PECR_ERASE (1u << 9)
#define PECR_FPRG (1u << 10)
#define PECR_PARALLELBANK (1u << 15)
#define PECR_EOPIE (1u << 16)
#define PECR_ERRIE (1u << 17)
#define PECR_OBL_LAUNCH (1u << 18)
#define PECR_LOCKS (PECR_PELOCK | PECR_PRGLOCK | PECR_OPTLOCK)
#define PECR_RESET PECR_LOCKS
/* the bits software sets and clears while PECR is unlocked */
#define PECR_RW                                                                                    \
	(PECR_PROG | PECR_DATA | PECR_FIX | PECR_ERASE | PECR_FPRG | PECR_PARALLELBANK |           \
	 PECR_EOPIE | PECR_ERRIE)

#define SR_BSY (1u << 0)
#define SR_EOP (1u << 1)
#define SR_ENDHV (1u << 2)
#define SR_READY (1u << 3)
#define SR_WRPERR (1u << 8)
#define SR_PGAERR (1u << 9)
#define SR_SIZERR (1u << 10)
#define SR_OPTVERR (1u << 11)
#define SR_OPTVERRUSR (1u << 12) /* L1 */
#define SR_RDERR (1u << 13)
#define SR_NOTZEROERR (1u << 16) /* L0 */
#define SR_FWWERR (1u << 17)	 /* L0 */
#define SR_W1C                                                                                     \
	(SR_EOP | SR_WRPERR | SR_PGAERR | SR_SIZERR | SR_OPTVERR | SR_OPTVERRUSR | SR_RDERR |      \
	 SR_NOTZEROERR | SR_FWWERR)

/* Option bytes: 32-bit words, value in bits 15:0, complement in 31:16 */
#define OB_RDP 0x00u
#define OB_USER 0x04u
#define OB_WRP01 0x08u
#define OB_WRP23 0x0Cu
#define OB_WRP45 0x10u
#define OB_WRP67 0x14u
#define OB_WRP89 0x18u
#define OB_WRP1011 0x1Cu
#define OB_WRP1213 0x80u
#define OB_WRP1415 0x84u
#define L0_OPTIONS_SIZE 0x20u
#define L1_OPTIONS_SIZE 0x88u

#define OPTR_RDP_MASK 0xFFu
#define OPTR_WPRMOD (1u << 8)
#define OPTR_BOR_LEV_SHIFT 16
#define OPTR_BOR_LEV_MASK (0xFu << 16)
#define OPTR_BFB2 (1u << 23)
#define RDP_LEVEL0 0xAAu
#define RDP_LEVEL2 0xCCu
/* what a failed option load falls back to: RDP level 1, every sector
 * protected, the user bits at their factory values (recalled) */
#define OPTR_SAFE_RDP 0x0000u
#define WRP_SAFE 0xFFFFu

/* Factory option words (recalled): RDP 0xAA, BOR off and nBOOT1 on the L0;
 * BOR level 1 and BFB2 = 1 (bank 1) on the L1 */
#define L0_OB_RDP_FACTORY 0xFF5500AAu
#define L0_OB_USER_FACTORY 0x7F8F8070u
#define L1_OB_RDP_FACTORY 0xFF5500AAu
#define L1_OB_USER_FACTORY 0xFF0700F8u

/* RCC: HCLK (RCC chapters of RM0367 and RM0038) */
#define L0_RCC_BASE 0x40021000u
#define L1_RCC_BASE 0x40023800u
#define RCC_CR 0x00u
#define RCC_ICSCR 0x04u
#define L0_RCC_CFGR 0x0Cu
#define L1_RCC_CFGR 0x08u
#define RCC_CR_HSION (1u << 0) /* HSI16ON on the L0 */
#define L0_RCC_CR_HSIRDY (1u << 2)
#define L1_RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_MSION (1u << 8)
#define RCC_CR_MSIRDY (1u << 9)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_CR_RESET (RCC_CR_MSION | RCC_CR_MSIRDY)
#define RCC_ICSCR_MSIRANGE_SHIFT 13
#define RCC_ICSCR_MSIRANGE_MASK (7u << 13)
#define RCC_ICSCR_RESET (5u << 13) /* MSI range 5: 2.097 MHz */
#define RCC_CFGR_SW_MASK 3u
#define RCC_CFGR_SWS_SHIFT 2
#define RCC_CFGR_HPRE_SHIFT 4
#define RCC_CFGR_HPRE_MASK (0xFu << 4)

/* Peripherals */
#define LX_CRC_BASE 0x40023000u
#define LX_IWDG_BASE 0x40003000u
#define LX_WWDG_BASE 0x40002C00u
#define LX_PWR_BASE 0x40007000u
#define PWR_CR 0x00u
#define PWR_CR_RESET 0x00001000u /* VOS = 10: range 2 (1.5 V) */
#define LX_SYSCFG_BASE 0x40010000u
#define L0_DMA1_BASE 0x40020000u
#define L1_DMA1_BASE 0x40026000u
#define LX_PERIPH_BLOCK 0x400u
#define L0_GPIO_BASE 0x50000000u /* IOPORT */
#define L1_GPIO_BASE 0x40020000u
/* What clocks the GPIO ports, IOPAEN/GPIOAEN at bit 0 (RCC_IOPENR in
 * RM0367, RCC_AHBENR in RM0038) */
#define L0_RCC_IOPENR 0x2Cu
#define L1_RCC_AHBENR 0x1Cu
#define L0_DBGMCU_BASE 0x40015800u
#define L1_DBGMCU_BASE 0xE0042000u
#define DBGMCU_SIZE 0x400u
#define DBGMCU_CR 0x04u
/* DBGMCU_CR on the L1: TRACE_IOEN assigns the trace pins, TRACE_MODE 00 is
 * asynchronous, SWO on PB3 (RM0038,
 * "Debug MCU configuration register") */
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1_FZ 0x08u
#define DBGMCU_APB2_FZ 0x0Cu

/* GPIO reset values (GPIO chapters, RM0367: analog mode except the SWD pins; RM0038: input mode
 * except PA13/PA14 and the JTAG pins) */
#define L0_GPIOA_MODER_RESET 0xEBFFFCFFu
#define L0_GPIO_MODER_RESET 0xFFFFFFFFu
#define L0_GPIOA_PUPDR_RESET 0x24000000u
#define L1_GPIOA_MODER_RESET 0xA8000000u
#define L1_GPIOB_MODER_RESET 0x00000280u
#define L1_GPIOA_PUPDR_RESET 0x64000000u
#define L1_GPIOB_PUPDR_RESET 0x00000100u
