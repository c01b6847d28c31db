/* f1-regs.h: the STM32F0/F1/F3 as the emulator models it: memory map,
 * flash controller (FPEC) registers and bits, option bytes, RCC, named as
 * in PM0075 (STM32F10xxx flash programming), RM0008 (F1), RM0091 (F0) and
 * RM0316 (F3). Written from the manuals apart from core/family/f1 so that
 * one cannot hide the other's mistake. */
#pragma once

#define F1_FLASH_BASE 0x08000000u
#define F1_SRAM_BASE 0x20000000u
#define F1_CCM_BASE 0x10000000u
#define F1_OPT_BASE 0x1FFFF800u
#define F1_OPT_SIZE 16u

/* Engineering bytes: F1 flash size 0x1FFFF7E0, UID 0x1FFFF7E8 (RM0008
 * 30.1-30.2); F0/F3 UID 0x1FFFF7AC, flash size 0x1FFFF7CC (RM0091 33.1-33.2,
 * RM0316 34.1-34.2) */
#define F1_INFO_BASE 0x1FFFF7E0u
#define F1_INFO_SIZE 0x20u
#define F1_INFO_FLASHSIZE 0x00u
#define F1_INFO_UID 0x08u
#define F0_INFO_BASE 0x1FFFF7ACu
#define F0_INFO_SIZE 0x54u
#define F0_INFO_UID 0x00u
#define F0_INFO_FLASHSIZE 0x20u

/* FPEC (PM0075 3) */
#define FPEC_BASE 0x40022000u
#define FPEC_SIZE 0x400u
#define FLASH_ACR 0x00u
#define FLASH_KEYR 0x04u
#define FLASH_OPTKEYR 0x08u
#define FLASH_SR 0x0Cu
#define FLASH_CR 0x10u
#define FLASH_AR 0x14u
#define FLASH_OBR 0x1Cu
#define FLASH_WRPR 0x20u

#define FLASH_ACR_RESET 0x30u
#define FLASH_ACR_MASK 0x3Fu

#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu

#define SR_BSY (1u << 0)
#define SR_PGERR (1u << 2)
#define SR_WRPRTERR (1u << 4)
#define SR_EOP (1u << 5)
#define SR_W1C (SR_PGERR | SR_WRPRTERR | SR_EOP)

#define CR_PG (1u << 0)
#define CR_PER (1u << 1)
#define CR_MER (1u << 2)
#define CR_OPTPG (1u << 4)
#define CR_OPTER (1u << 5)
#define CR_STRT (1u << 6)
#define CR_LOCK (1u << 7)
#define CR_OPTWRE (1u << 9)
#define CR_ERRIE (1u << 10)
#define CR_EOPIE (1u << 12)
#define CR_OBL_LAUNCH (1u << 13) /* F0, F3 */
/* What software writes and reads back as written */
#define CR_RW (CR_PG | CR_PER | CR_MER | CR_OPTPG | CR_OPTER | CR_ERRIE | CR_EOPIE)
#define CR_RESET CR_LOCK

/* FLASH_OBR: F1 (PM0075 3.4.6) */
#define OBR_OPTERR (1u << 0)
#define OBR_F1_RDPRT (1u << 1)
#define OBR_F1_USER_SHIFT 2
#define OBR_F1_DATA0_SHIFT 10
#define OBR_F1_DATA1_SHIFT 18
/* F0/F3 (RM0091 3.5.6, RM0316 4.5.6) */
#define OBR_F0_RDPRT_SHIFT 1
#define OBR_F0_LEVEL1 1u
#define OBR_F0_LEVEL2 3u
#define OBR_F0_USER_SHIFT 8
#define OBR_F0_DATA0_SHIFT 16
#define OBR_F0_DATA1_SHIFT 24

/* Option bytes: byte pairs (value, complement) at these offsets */
#define OPT_RDP 0x0u
#define OPT_USER 0x2u
#define OPT_DATA0 0x4u
#define OPT_DATA1 0x6u
#define OPT_WRP0 0x8u
#define OPT_N_BYTES 8u

#define RDP_F1_LEVEL0 0xA5u
#define RDP_F0_LEVEL0 0xAAu
#define RDP_LEVEL2 0xCCu

/* RCC (RM0008 7.3, RM0091 6.4, RM0316 9.4): the same offsets for what the
 * model keeps */
#define RCC_BASE 0x40021000u
#define RCC_CR 0x00u
#define RCC_AHBENR 0x14u
#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_HSITRIM_RESET (0x10u << 3)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
/* RCC_CFGR: SW[1:0], SWS[3:2] (0 HSI, 1 HSE, 2 PLL), HPRE[7:4], PLLSRC
 * (bit 16; bits 16:15 on the F04x/F07x/F09x, 0 = HSI/2), PLLMUL[21:18]
 * (x2 ... x16) (RM0008 7.3.2, RM0091 6.4.2, RM0316 9.4.2) */
#define RCC_CFGR 0x04u
#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SWS_SHIFT 2
#define RCC_CFGR_SW_PLL 2u
#define RCC_CFGR_HPRE_SHIFT 4
#define RCC_CFGR_PLLSRC_MASK (3u << 15)
#define RCC_CFGR_PLLMUL_SHIFT 18
#define RCC_AHBENR_RESET 0x14u /* SRAMEN | FLITFEN */
/* What clocks the GPIO ports: IOPAEN, then one bit a port (RCC_APB2ENR
 * on the F1, RM0008; RCC_AHBENR on the F0/F3, RM0091 and RM0316) */
#define RCC_APB2ENR 0x18u
#define RCC_APB2ENR_IOPAEN_BIT 2u
#define RCC_AHBENR_IOPAEN_BIT 17u

#define CRC_BASE 0x40023000u
#define DBGMCU_F1_BASE 0xE0042000u
#define DBGMCU_F0_BASE 0x40015800u
#define DBGMCU_SIZE 0x400u
#define DBGMCU_CR 0x04u
/* DBGMCU_CR on the F1/F3: TRACE_IOEN assigns the trace pins, TRACE_MODE 00
 * is asynchronous, SWO on PB3 (RM0008 and
 * RM0316, "Debug MCU configuration register") */
#define DBGMCU_CR_TRACE_IOEN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1_FZ 0x08u
#define DBGMCU_APB2_FZ 0x0Cu

/* Peripherals firmware touches in passing (plain storage) */
#define PERIPH_BLOCK 0x400u
#define TIM2_BASE 0x40000000u
#define WWDG_BASE 0x40002C00u
#define IWDG_BASE 0x40003000u
#define USART2_BASE 0x40004400u
#define PWR_BASE 0x40007000u
#define AFIO_BASE 0x40010000u /* SYSCFG on F0/F3 */
#define EXTI_BASE 0x40010400u
#define F1_GPIO_BASE 0x40010800u /* GPIOA..GPIOE, 0x400 apart (RM0008 9) */
#define F1_GPIO_SIZE 0x1400u
#define USART1_BASE 0x40013800u
#define DMA1_BASE 0x40020000u
#define F0_GPIO_BASE 0x48000000u /* GPIOA..GPIOF on the AHB2 (RM0091 8) */
#define F0_GPIO_SIZE 0x1800u
