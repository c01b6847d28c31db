/* l4-regs.h: STM32L476 facts the L4 machine models, named as in RM0351
 * (reference sections 3 and 4). Addresses, register offsets, bits and key
 * values only; nothing outside core/sim/l4/ includes it. */
#pragma once

/* Memory map (RM0351 2.2, reference 3.2): the addresses the L4-style
 * chips share; sizes and the rest are each chip's (l4-chips.c) */
#define L4_FLASH_BASE 0x08000000u
#define L4_SRAM1_BASE 0x20000000u
#define L4_SRAM2_BASE 0x10000000u
#define L4_SYSMEM_BASE 0x1FFF0000u
#define L4_OTP_BASE 0x1FFF7000u
#define L4_OTP_SIZE 1024u
/* Engineering bytes: package, unique ID and flash size live here. */
#define L4_INFO_BASE 0x1FFF7400u
#define L4_INFO_SIZE 0x400u
#define L4_PACKAGE_ADDR 0x1FFF7500u
#define L4_UID_ADDR 0x1FFF7590u
#define L4_FLASHSIZE_ADDR 0x1FFF75E0u
#define L4_OPT1_BASE 0x1FFF7800u
#define L4_OPT2_BASE 0x1FFFF800u
#define L4_OPT_AREA_SIZE 0x28u
/* RM0432 (L4+): the option bytes live at 0x1FF00000 and 0x1FF01000 */
#define L4P_OPT1_BASE 0x1FF00000u
#define L4P_OPT2_BASE 0x1FF01000u
/* RM0440 3.4.1: a G4 area has a sixth double word, the securable area */
#define L4_OPT_AREA_SIZE_MAX 0x30u

/* Peripheral blocks (RM0351 2.2.2, table 1), 1 KB each unless said */
#define WWDG_BASE 0x40002C00u
#define IWDG_BASE 0x40003000u
#define USART2_BASE 0x40004400u
#define PWR_BASE 0x40007000u
#define SYSCFG_BASE 0x40010000u
#define DMA1_BASE 0x40020000u
#define DMA2_BASE 0x40020400u
#define RCC_BASE 0x40021000u
#define CRC_BASE 0x40023000u
#define GPIO_BASE 0x48000000u /* ports A..H, 1 KB apart */
/* RCC_AHB2ENR: GPIOAEN at bit 0, one bit a port (RM0351 RCC chapter;
 * the same in RM0394, RM0432 and RM0440) */
#define RCC_AHB2ENR 0x4Cu
#define GPIO_PORT_COUNT 8u
#define L4_PERIPH_BLOCK 0x400u

/* SYSCFG_MEMRMP (RM0351 9.2.1): MEM_MODE, what address 0 shows (reset
 * value from the boot pins), and FB_MODE, bank 2 at 0x08000000: reset to 0,
 * set only by software (the bootloader's dual-bank boot) */
#define SYSCFG_MEMRMP 0x00u
#define SYSCFG_MEMRMP_MEM_MODE_MASK 0x7u
#define SYSCFG_MEM_MODE_FLASH 0x0u
#define SYSCFG_MEM_MODE_SYSFLASH 0x1u
#define SYSCFG_MEM_MODE_SRAM1 0x3u
#define SYSCFG_MEMRMP_FB_MODE (1u << 8)
#define SYSCFG_MEMRMP_RW (SYSCFG_MEMRMP_MEM_MODE_MASK | SYSCFG_MEMRMP_FB_MODE)

/* RCC_APB2ENR (RM0351 6.4.21): SYSCFGEN clocks SYSCFG, off after reset */
#define RCC_APB2ENR 0x60u
#define RCC_APB2ENR_SYSCFGEN (1u << 0)

/* AN2606 (STM32L47xxx/48xxx): the bootloader keeps its stack in the first
 * 12 KB of SRAM1 */
#define L4_BOOTLOADER_SP (L4_SRAM1_BASE + 0x3000u)

/* Pins as reset leaves them (RM0351 8.5.1, 8.5.4): PA13/PA14/PA15 and
 * PB3/PB4 belong to the debug port */
#define GPIOA_MODER_RESET 0xABFFFFFFu
#define GPIOB_MODER_RESET 0xFFFFFEBFu
#define GPIO_MODER_RESET 0xFFFFFFFFu
#define GPIOA_PUPDR_RESET 0x64000000u
#define GPIOB_PUPDR_RESET 0x00000100u

/* Flash interface registers (RM0351 3.7, reference 4.1) */
#define FLASH_R_BASE 0x40022000u
#define FLASH_R_SIZE 0x400u
#define FLASH_ACR 0x00u
#define FLASH_PDKEYR 0x04u
#define FLASH_KEYR 0x08u
#define FLASH_OPTKEYR 0x0Cu
#define FLASH_SR 0x10u
#define FLASH_CR 0x14u
#define FLASH_ECCR 0x18u
#define FLASH_OPTR 0x20u
#define FLASH_PCROP1SR 0x24u
#define FLASH_PCROP1ER 0x28u
#define FLASH_WRP1AR 0x2Cu
#define FLASH_WRP1BR 0x30u
#define FLASH_PCROP2SR 0x44u
#define FLASH_PCROP2ER 0x48u
#define FLASH_WRP2AR 0x4Cu
#define FLASH_WRP2BR 0x50u
/* RM0440 3.7.17: securable area and BOOT_LOCK (G4) */
#define FLASH_SEC1R 0x70u
#define FLASH_SEC2R 0x74u
#define FLASH_SEC1R_BOOT_LOCK (1u << 16)
#define FLASH_SECR_FACTORY 0xFF00FF00u
/* The second PCROP area of each bank (RM0444 3.7, RM0434 3.10, RM0453
 * 4.10: PCROPxA at the L4's PCROPxSR/ER offsets, PCROPxB here) */
#define FLASH_PCROP1BSR 0x34u
#define FLASH_PCROP1BER 0x38u
#define FLASH_PCROP2BSR 0x54u
#define FLASH_PCROP2BER 0x58u
/* RM0434 3.10.11, RM0453 4.10.11: the IPCC mailbox buffer address */
#define FLASH_IPCCBR 0x3Cu
/* RM0444 3.7.21: FLASH_SECR, the G0's securable areas and BOOT_LOCK */
#define FLASH_SECR 0x80u
#define FLASH_SECR_BOOT_LOCK (1u << 16)
/* RM0434 3.10.16-17, RM0453 4.10.16-17: the secure flash start (SFSA),
 * CPU2's boot vector and its secure SRAM, set by CPU2's firmware */
#define FLASH_SFR 0x80u
#define FLASH_SRRVR 0x84u
/* The last option register a chip of the family has */
#define FLASH_OPT_LAST FLASH_SRRVR

#define FLASH_ACR_RESET 0x00000600u
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
/* RM0444 3.7.5: BSY2 (bank 2 busy, G0B1) and CFGBSY (a program or erase
 * configured and not yet over: G0, WB, WL) */
#define FLASH_SR_BSY2 (1u << 17)
#define FLASH_SR_CFGBSY (1u << 18)
/* Bits cleared by writing 1 */
#define FLASH_SR_W1C                                                                               \
	(FLASH_SR_EOP | FLASH_SR_OPERR | FLASH_SR_PROGERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR |    \
	 FLASH_SR_SIZERR | FLASH_SR_PGSERR | FLASH_SR_MISERR | FLASH_SR_FASTERR | FLASH_SR_RDERR | \
	 FLASH_SR_OPTVERR)
/* Flags left by an earlier operation that make the next program/erase start
 * fail with PGSERR (RM0351 3.3.7/3.3.8: "check and clear all error
 * programming flags due to a previous programming. If not, PGSERR is set").
 * WRPERR does not block; OPTVERR does not block (it is about option load). */
#define FLASH_SR_STALE                                                                             \
	(FLASH_SR_PROGERR | FLASH_SR_SIZERR | FLASH_SR_PGAERR | FLASH_SR_PGSERR |                  \
	 FLASH_SR_MISERR | FLASH_SR_FASTERR)

#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_PER (1u << 1)
#define FLASH_CR_MER1 (1u << 2)
#define FLASH_CR_PNB_SHIFT 3
#define FLASH_CR_PNB_MASK (0xFFu << FLASH_CR_PNB_SHIFT)
#define FLASH_CR_BKER (1u << 11)
/* RM0444 3.7.6: the G0B1's bank bit, and its 10-bit page number */
#define FLASH_CR_BKER_G0 (1u << 13)
#define FLASH_CR_PNB_MASK_G0 (0x3FFu << FLASH_CR_PNB_SHIFT)
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
#define FLASH_CR_RESET (FLASH_CR_LOCK | FLASH_CR_OPTLOCK)
/* Plain read/write control bits (start bits and locks are handled apart) */
#define FLASH_CR_RW                                                                                \
	(FLASH_CR_PG | FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_PNB_MASK_G0 | FLASH_CR_BKER |       \
	 FLASH_CR_BKER_G0 | FLASH_CR_MER2 | FLASH_CR_FSTPG | FLASH_CR_EOPIE | FLASH_CR_ERRIE |     \
	 FLASH_CR_RDERRIE)

#define FLASH_OPTR_RDP_MASK 0xFFu
#define FLASH_OPTR_BFB2 (1u << 20)
#define FLASH_OPTR_DUALBANK (1u << 21)
/* RM0440 3.7.8 (G47x): two banks of 2 KB pages */
#define FLASH_OPTR_DBANK (1u << 22)
/* Boot selection (RM0351 2.6, table 7) */
#define FLASH_OPTR_nBOOT1 (1u << 23)
#define FLASH_OPTR_nSWBOOT0 (1u << 26)
#define FLASH_OPTR_nBOOT0 (1u << 27)
#define FLASH_OPTR_FACTORY 0xFFEFF8AAu
/* The G0's FLASH_OPTR (RM0444 3.7.8): BOREN, BORF_LEV/BORR_LEV, the bank
 * bits of the G0B1, the boot bits and the reset pad; ST's production value
 * 0xFFFFFEAA (RM0444 3.7.8, "reset value" of the option word) */
#define G0_OPTR_BOREN (1u << 8)
/* BORR_LEV [10:9] is the rising threshold, BORF_LEV [12:11] the falling */
#define G0_OPTR_BORF_LEV_SHIFT 11
#define G0_OPTR_nSWAP_BANK (1u << 20)
#define G0_OPTR_DUAL_BANK (1u << 21)
#define G0_OPTR_nBOOT_SEL (1u << 24)
#define G0_OPTR_nBOOT1 (1u << 25)
#define G0_OPTR_nBOOT0 (1u << 26)
#define G0_OPTR_NRST_MODE_SHIFT 27
#define G0_OPTR_NRST_MODE_MASK (3u << G0_OPTR_NRST_MODE_SHIFT)
#define G0_NRST_MODE_GPIO 2u
#define G0_OPTR_FACTORY 0xFFFFFEAAu
#define G0_OPTR_SAFE 0xFFFFFEFFu
/* The WB's and WL's FLASH_OPTR (RM0434 3.10.8, RM0453 4.10.8): ESE in bit
 * 8, BOR_LEV in [11:9]; the WL adds BOOT_LOCK (30) and C2BOOT_LOCK (31).
 * As shipped (estimate from the reset values: reserved bits 1, AGC_TRIM
 * 0): the WB with ESE set (FUS installed), the WL without security */
#define WX_OPTR_ESE (1u << 8)
#define WX_OPTR_BOR_LEV_SHIFT 9
#define WL_OPTR_BOOT_LOCK (1u << 30)
#define WB_OPTR_FACTORY 0x1FFFF1AAu
#define WL_OPTR_FACTORY 0x3FFFF0AAu
#define WX_OPTR_SAFE(factory) (((factory) & ~0xFFu) | 0xFFu)
#define OPTR_RDP_LEVEL0 0xAAu
#define OPTR_RDP_LEVEL2 0xCCu
/* Loaded when OPTR and its complement disagree: level 1 (RM0351 3.4.1) */
#define FLASH_OPTR_SAFE 0xFFEFF8FFu
#define FLASH_WRP_NONE 0xFF00FFFFu
/* Loaded when a WRP pair is incoherent: protect the whole bank (estimate) */
#define FLASH_WRP_SAFE 0x00FF0000u
#define FLASH_PCROPSR_NONE 0xFFFFFFFFu
#define FLASH_PCROPER_NONE 0xFFFF0000u

#define FLASH_FAST_ROW_BYTES 256u
#define FLASH_FAST_ROW_DWORDS (FLASH_FAST_ROW_BYTES / 8u)
/* RM0351 3.3.7 fast programming: HCLK at least 8 MHz; an internal counter
 * stops a row whose high voltage has been on for 7 ms (FASTERR) */
#define FLASH_FAST_MIN_HCLK_HZ 8000000u
#define FLASH_FAST_TIMEOUT_NS G_GINT64_CONSTANT(7000000)
#define FLASH_PCROP1ER_PCROP_RDP (1u << 31)

/* FLASH_SFR (RM0434 3.10.16): SFSA [7:0], FSD 8, DDS 12; the WL's
 * (RM0453 4.10.16): SFSA [6:0], FSD 7, DDS 12, HDPSA [22:16], HDPAD 23,
 * SUBGHZSPISD 31 */
#define WB_SFR_SFSA_MASK 0xFFu
#define WB_SFR_FSD (1u << 8)
#define WL_SFR_SFSA_MASK 0x7Fu
#define WL_SFR_FSD (1u << 7)

/* Debug MCU (RM0351 48.6) */
#define DBGMCU_BASE 0xE0042000u
#define DBGMCU_SIZE 0x1000u
#define DBGMCU_CR 0x04u
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1FZR1 0x08u
#define DBGMCU_APB1FZR2 0x0Cu
#define DBGMCU_APB2FZR 0x10u

/* Reset and clock control (RM0351 6.4) */
#define RCC_CR 0x00u
#define RCC_ICSCR 0x04u
#define RCC_CFGR 0x08u
#define RCC_PLLCFGR 0x0Cu
#define RCC_CSR 0x94u
#define RCC_CR_MSION (1u << 0)
#define RCC_CR_MSIRDY (1u << 1)
#define RCC_CR_MSIRGSEL (1u << 3)
#define RCC_CR_MSIRANGE_SHIFT 4
#define RCC_CR_HSION (1u << 8)
#define RCC_CR_HSIRDY (1u << 10)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_CR_PLLSAI1ON (1u << 26)
#define RCC_CR_PLLSAI1RDY (1u << 27)
#define RCC_CR_PLLSAI2ON (1u << 28)
#define RCC_CR_PLLSAI2RDY (1u << 29)
#define RCC_CR_RESET 0x00000063u /* MSI on and ready, range 6 (4 MHz) */
/* RM0440 7.4.1, 7.4.3: a G4 starts on HSI16 */
#define RCC_CR_RESET_HSI16 0x00000500u
#define RCC_CFGR_RESET_HSI16 0x00000005u
#define RCC_ICSCR_RESET 0x10000000u
#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SWS_SHIFT 2
#define RCC_CFGR_HPRE_SHIFT 4
#define RCC_SW_MSI 0u
#define RCC_SW_HSI16 1u
#define RCC_SW_HSE 2u
#define RCC_SW_PLL 3u
#define RCC_PLLCFGR_SRC_MASK 0x3u
#define RCC_PLLCFGR_M_SHIFT 4
#define RCC_PLLCFGR_N_SHIFT 8
#define RCC_PLLCFGR_R_SHIFT 25
#define RCC_PLLCFGR_RESET 0x00001000u
#define RCC_PLLSRC_MSI 1u
#define RCC_PLLSRC_HSI16 2u
#define RCC_PLLSRC_HSE 3u
#define RCC_CSR_MSISRANGE_SHIFT 8
#define RCC_CSR_RESET 0x0C000600u /* MSISRANGE 6, PINRSTF + BORRSTF */
#define RCC_HSI16_HZ 16000000u
/* NUCLEO-L476RG: HSE comes from the ST-LINK's 8 MHz MCO (board manual UM1724) */
#define RCC_HSE_HZ 8000000u
