/* f4-regs.h: STM32F2/F4/F7 facts the F4 machine models, named as in their
 * reference manuals (RM0033, RM0090, RM0368, RM0383, RM0390, RM0410).
 * Addresses, register offsets, bits and key values only; nothing outside
 * core/sim/f4/ includes it. Written from the manuals apart from the driver
 * in core/family/f4 so that one cannot hide the other's mistake. */
#pragma once

/* Memory map (RM0090 2.3, RM0410 2.2) */
#define F4_FLASH_BASE 0x08000000u
#define F4_SRAM_BASE 0x20000000u
#define F4_SYSMEM_BASE 0x1FFF0000u
#define F4_SYSMEM_SIZE (30u * 1024u)
#define F4_OTP_BASE 0x1FFF7800u
#define F4_OTP_DATA_SIZE 512u
#define F4_INFO_BASE 0x1FFF7A10u /* UID at +0, flash size at +0x12 */
#define F4_INFO_SIZE 0x20u
#define F4_OPT_BASE 0x1FFFC000u
#define F4_OPT2_BASE 0x1FFEC000u /* F42x/F43x bank 2 */
#define F4_OPT_AREA_SIZE 16u
#define F4_CCM_BASE 0x10000000u
#define F4_CCM_SIZE (64u * 1024u)
#define F4_BKPSRAM_BASE 0x40024000u
#define F4_BKPSRAM_SIZE 0x1000u

#define F7_ITCM_RAM_BASE 0x00000000u
#define F7_ITCM_RAM_SIZE (16u * 1024u)
#define F7_ITCM_FLASH_BASE 0x00200000u /* the same flash on the ITCM bus */
#define F7_SYSMEM_BASE 0x1FF00000u
#define F7_SYSMEM_SIZE 0xF000u
#define F7_OTP_BASE 0x1FF0F000u
#define F7_OTP_DATA_SIZE 1024u
#define F7_INFO_BASE 0x1FF0F420u /* UID at +0, flash size at +0x22 */
#define F7_INFO_SIZE 0x30u
#define F7_OPT_BASE 0x1FFF0000u
#define F7_OPT_AREA_SIZE 32u

#define F4_UID_OFFSET 0x00u
#define F4_FLASHSIZE_OFFSET 0x12u
#define F7_FLASHSIZE_OFFSET 0x22u

/* OTP: 16 blocks, one lock byte each after the data (RM0090 3.8) */
#define F4_OTP_BLOCKS 16u
#define F4_OTP_LOCK_SIZE 16u

/* Stored option words: value in bits 15:0, complement in 31:16 */
#define F4_OPT_USER_RDP 0x00u /* OPTCR[15:0] without OPTLOCK/OPTSTRT */
#define F4_OPT_NWRP 0x08u     /* OPTCR[31:16] (OPTCR1[31:16] in bank 2's area) */
#define F7_OPT_BOOT_ADD0 0x10u
#define F7_OPT_BOOT_ADD1 0x18u

/* Peripherals (RM0090 2.3 table 1) */
#define F4_PERIPH_BLOCK 0x400u
#define WWDG_BASE 0x40002C00u
#define IWDG_BASE 0x40003000u
#define USART2_BASE 0x40004400u
#define USART3_BASE 0x40004800u
#define PWR_BASE 0x40007000u
#define USART1_BASE 0x40011000u
#define SYSCFG_BASE 0x40013800u
#define GPIO_BASE 0x40020000u /* ports A..K, 1 KB apart */
#define GPIO_PORT_COUNT 11u
#define CRC_BASE 0x40023000u
#define RCC_BASE 0x40023800u
#define DMA1_BASE 0x40026000u
#define DMA2_BASE 0x40026400u

/* SYSCFG_MEMRMP (RM0090 9.2.1): what the boot decided; UFB_MODE swaps the
 * banks of a dual-bank F42x */
#define SYSCFG_MEMRMP 0x00u
#define SYSCFG_MEMRMP_SYSFLASH 0x1u
#define SYSCFG_MEMRMP_UFB_MODE (1u << 8)

/* GPIO reset values (RM0090 8.4.1/8.4.4): PA13-15 and PB3-4 are the debug
 * port's, everything else an input */
#define GPIOA_MODER_RESET 0xA8000000u
#define GPIOB_MODER_RESET 0x00000280u
#define GPIOA_PUPDR_RESET 0x64000000u
#define GPIOB_PUPDR_RESET 0x00000100u

/* Flash interface (RM0090 3.9) */
#define FLASH_R_BASE 0x40023C00u
#define FLASH_R_SIZE 0x400u
#define FLASH_ACR 0x00u
#define FLASH_KEYR 0x04u
#define FLASH_OPTKEYR 0x08u
#define FLASH_SR 0x0Cu
#define FLASH_CR 0x10u
#define FLASH_OPTCR 0x14u
#define FLASH_OPTCR1 0x18u
#define FLASH_OPTCR2 0x1Cu

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

#define FLASH_SR_EOP (1u << 0)
#define FLASH_SR_OPERR (1u << 1)
#define FLASH_SR_WRPERR (1u << 4)
#define FLASH_SR_PGAERR (1u << 5)
#define FLASH_SR_PGPERR (1u << 6)
#define FLASH_SR_PGSERR (1u << 7) /* ERSERR on the F7 */
#define FLASH_SR_RDERR (1u << 8)
#define FLASH_SR_BSY (1u << 16)
#define FLASH_SR_W1C                                                                               \
	(FLASH_SR_EOP | FLASH_SR_OPERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_PGPERR |     \
	 FLASH_SR_PGSERR | FLASH_SR_RDERR)

#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_SER (1u << 1)
#define FLASH_CR_MER (1u << 2)
#define FLASH_CR_SNB_SHIFT 3
#define FLASH_CR_SNB4_MASK (0xFu << FLASH_CR_SNB_SHIFT)
#define FLASH_CR_SNB5_MASK (0x1Fu << FLASH_CR_SNB_SHIFT)
#define FLASH_CR_SNB_BANK2 0x10u
#define FLASH_CR_PSIZE_SHIFT 8
#define FLASH_CR_PSIZE_MASK (3u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_MER1 (1u << 15) /* bank 2 (MER2 on the F76x) */
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_EOPIE (1u << 24)
#define FLASH_CR_ERRIE (1u << 25)
#define FLASH_CR_LOCK (1u << 31)
#define FLASH_CR_RESET FLASH_CR_LOCK

#define FLASH_OPTCR_OPTLOCK (1u << 0)
#define FLASH_OPTCR_OPTSTRT (1u << 1)
#define FLASH_OPTCR_BFB2 (1u << 4)
#define FLASH_OPTCR_RDP_SHIFT 8
#define FLASH_OPTCR_RDP_MASK (0xFFu << FLASH_OPTCR_RDP_SHIFT)
#define FLASH_OPTCR_BOR_SHIFT 2
#define FLASH_OPTCR_NWRP_SHIFT 16
#define FLASH_OPTCR_NDBANK (1u << 29)
#define FLASH_OPTCR_DB1M (1u << 30)
#define FLASH_OPTCR_SPRMOD (1u << 31)
#define OPTCR_RDP_LEVEL0 0xAAu
#define OPTCR_RDP_LEVEL2 0xCCu

/* CRC unit: the F2/F4's has DR, IDR and CR.RESET only (RM0090 4.4) */
#define F4_CRC_CR_RESET 0x1u

/* RCC (RM0090 6.3/7.3) */
#define RCC_CR 0x00u
#define RCC_PLLCFGR 0x04u
#define RCC_CFGR 0x08u
/* GPIOAEN is bit 0, port N's bit N (RM0090 6.3.10, RM0033 5.3.9, RM0410 5.3.10) */
#define RCC_AHB1ENR 0x30u
#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_CR_RESET 0x00000083u      /* HSI on and ready, HSITRIM 16 */
#define RCC_PLLCFGR_RESET 0x24003010u /* M 16, N 192, P /2, Q 4, source HSI */
#define RCC_PLLCFGR_SRC_HSE (1u << 22)
#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SWS_SHIFT 2
#define RCC_CFGR_HPRE_SHIFT 4
#define RCC_SW_HSI 0u
#define RCC_SW_HSE 1u
#define RCC_SW_PLL 2u
#define RCC_HSI_HZ 16000000u
/* Nucleo and Discovery boards: HSE is the ST-LINK's 8 MHz MCO (UM1724,
 * UM1670, UM1974) */
#define RCC_HSE_HZ 8000000u

/* DBGMCU (RM0090 38.16) */
#define DBGMCU_BASE 0xE0042000u
#define DBGMCU_SIZE 0x1000u
#define DBGMCU_CR 0x04u
/* the trace pins: TRACE_IOEN with TRACE_MODE 00 routes SWO to PB3 (RM0090 38.16.3) */
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1_FZ 0x08u
#define DBGMCU_APB2_FZ 0x0Cu
