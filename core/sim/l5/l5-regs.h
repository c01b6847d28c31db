/* l5-regs.h: the STM32L5/U5 facts the emulator models, named as in
 * RM0438 (STM32L552/L562) and RM0456 (STM32U575/U585): memory map,
 * flash interface registers (non-secure and secure), bits, keys, option
 * register layout. Nothing outside core/sim/l5/ includes it. */
#pragma once

/* Memory map (RM0438 2.3, RM0456 2.3): every memory and peripheral has a
 * secure alias; the flash's is 0x04000000 above, the others' 0x10000000 */
#define L5_FLASH_BASE 0x08000000u
#define L5_FLASH_S_BASE 0x0C000000u
#define L5_SRAM_BASE 0x20000000u
#define L5_SRAM_S_BASE 0x30000000u
#define L5_SRAM2_OFFSET 0x30000u /* SRAM2 follows the 192 KB of SRAM1 */
#define L5_SRAM2_SIZE 0x10000u
#define U5_SRAM4_BASE 0x28000000u
#define U5_SRAM4_SIZE 0x4000u
#define L5_SYSMEM_BASE 0x0BF90000u
#define L5_OTP_BASE 0x0BFA0000u
#define L5_OTP_SIZE 512u
/* Engineering bytes: package, unique ID, flash size */
#define L5_INFO_BASE 0x0BFA0500u
#define L5_INFO_SIZE 0x300u
#define L5_PACKAGE_ADDR 0x0BFA0500u
#define L5_UID_ADDR 0x0BFA0590u
#define L5_FLASHSIZE_ADDR 0x0BFA05E0u
#define U5_UID_ADDR 0x0BFA0700u
#define U5_FLASHSIZE_ADDR 0x0BFA07A0u
/* The option bytes as stored, off the bus (read through the registers
 * only): each register a value and its complement */
#define L5_OPTSTORE_BASE 0x0BFB0000u

/* Peripherals */
#define L5_PERIPH_S_OFFSET 0x10000000u
#define L5_FLASH_R_BASE 0x40022000u
#define L5_FLASH_R_SIZE 0x400u
#define L5_RCC_BASE 0x40021000u
#define U5_RCC_BASE 0x46020C00u
#define L5_PWR_BASE 0x40007000u
#define U5_PWR_BASE 0x46020800u
#define L5_CRC_BASE 0x40023000u
#define L5_WWDG_BASE 0x40002C00u
#define L5_IWDG_BASE 0x40003000u
#define L5_GPIO_BASE 0x42020000u
#define L5_PERIPH_BLOCK 0x400u
/* RCC_AHB1ENR (CRCEN bit 12), RCC_AHB2ENR1 (GPIOxEN bits 0-8), RCC_CSR */
#define L5_RCC_AHB1ENR (L5_RCC_BASE + 0x48u)
#define L5_RCC_AHB2ENR1 (L5_RCC_BASE + 0x4Cu)
#define L5_RCC_CSR (L5_RCC_BASE + 0x94u)
#define U5_RCC_AHB1ENR (U5_RCC_BASE + 0x88u)
#define U5_RCC_AHB2ENR1 (U5_RCC_BASE + 0x8Cu)
#define U5_RCC_CSR (U5_RCC_BASE + 0xF4u)
#define RCC_AHB1ENR_CRCEN_BIT 12u
/* The clock registers the model follows (only MSI as the system clock:
 * HCLK comes from the MSI range in force and the AHB prescaler).
 * L5: RCC_CR MSION, MSIRDY, MSIRGSEL, MSIRANGE[7:4]; RCC_CFGR SW[1:0],
 * HPRE[7:4]; RCC_CSR MSISRANGE[11:8] (RM0438 9.8.1, 9.8.3, 9.8.29).
 * U5: RCC_CR MSISON, MSISRDY; RCC_ICSCR1 MSIRGSEL (23), MSISRANGE[31:28];
 * RCC_CFGR1 SW[1:0]; RCC_CFGR2 HPRE[3:0]; RCC_CSR MSISSRANGE[15:12]
 * (RM0456 11.8.1, 11.8.2, 11.8.7, 11.8.8, 11.8.45). */
#define L5_RCC_CR (L5_RCC_BASE + 0x00u)
#define L5_RCC_CFGR (L5_RCC_BASE + 0x08u)
#define L5_RCC_CR_RESET 0x00000063u /* MSIRANGE 6 (4 MHz), MSIRDY, MSION */
#define L5_RCC_CR_MSION (1u << 0)
#define L5_RCC_CR_MSIRDY (1u << 1)
#define L5_RCC_CR_MSIRGSEL (1u << 3)
#define L5_RCC_CR_MSIRANGE_SHIFT 4
#define L5_RCC_CSR_MSISRANGE_SHIFT 8
#define L5_RCC_CFGR_HPRE_SHIFT 4
#define U5_RCC_CR (U5_RCC_BASE + 0x00u)
#define U5_RCC_ICSCR1 (U5_RCC_BASE + 0x08u)
#define U5_RCC_CFGR1 (U5_RCC_BASE + 0x1Cu)
#define U5_RCC_CFGR2 (U5_RCC_BASE + 0x20u)
#define U5_RCC_CR_RESET 0x00000035u	/* MSISON, MSISRDY, MSIKON, MSIKRDY */
#define U5_RCC_ICSCR1_RESET 0x44000000u /* MSISRANGE 4, MSIKRANGE 4 (4 MHz) */
#define U5_RCC_CR_MSISON (1u << 0)
#define U5_RCC_CR_MSISRDY (1u << 2)
#define U5_RCC_CR_MSIKON (1u << 4)
#define U5_RCC_CR_MSIKRDY (1u << 5)
#define U5_RCC_ICSCR1_MSIRGSEL (1u << 23)
#define U5_RCC_ICSCR1_MSISRANGE_SHIFT 28
#define U5_RCC_CSR_MSISSRANGE_SHIFT 12
#define RCC_CFGR_SW_MASK 0x3u /* 0: MSI (MSIS on the U5) */
/* RCC_CSR reset flags and RMVF (RM0438 9.8.29, RM0456 11.8.45) */
#define RCC_CSR_RMVF (1u << 23)
#define RCC_CSR_OBLRSTF (1u << 25)
#define RCC_CSR_PINRSTF (1u << 26)
#define RCC_CSR_BORRSTF (1u << 27)
#define RCC_CSR_SFTRSTF (1u << 28)
#define RCC_CSR_IWDGRSTF (1u << 29)
#define RCC_CSR_WWDGRSTF (1u << 30)
#define RCC_CSR_LPWRRSTF (1u << 31)
#define RCC_CSR_FLAGS 0xFE000000u

/* Debug MCU of the Cortex-M33 parts (RM0438 47.4, RM0456 65.4) */
#define L5_DBGMCU_BASE 0xE0044000u
#define L5_DBGMCU_SIZE 0x1000u
#define DBGMCU_CR 0x04u
/* RM0438 47.4.3, RM0456 65.4.3: TRACE_IOEN at bit 4 (bit 5 on the
 * Cortex-M3/M4 parts), TRACE_EN (the trace port and its clock) at bit 5,
 * TRACE_MODE [7:6] (00: asynchronous, SWO on PB3) */
#define DBGMCU_CR_TRACE_IOEN (1u << 4)
#define DBGMCU_CR_TRACE_EN (1u << 5)
#define DBGMCU_CR_TRACE_MODE (3u << 6)
#define DBGMCU_APB1FZR1 0x08u
#define DBGMCU_APB1FZR2 0x0Cu
#define DBGMCU_APB2FZR 0x10u

/* Flash interface registers (RM0438 6.9, RM0456 7.9) */
#define FLASH_ACR 0x00u
#define FLASH_PDKEYR 0x04u
#define FLASH_NSKEYR 0x08u
#define FLASH_SECKEYR 0x0Cu
#define FLASH_OPTKEYR 0x10u
#define FLASH_NSSR 0x20u
#define FLASH_SECSR 0x24u
#define FLASH_NSCR 0x28u
#define FLASH_SECCR 0x2Cu
#define FLASH_ECCR 0x30u
#define FLASH_OPTR 0x40u
#define FLASH_NSBOOTADD0R 0x44u
#define FLASH_NSBOOTADD1R 0x48u
#define FLASH_SECBOOTADD0R 0x4Cu
#define FLASH_SECWM1R1 0x50u
#define FLASH_SECWM1R2 0x54u
#define FLASH_WRP1AR 0x58u
#define FLASH_WRP1BR 0x5Cu
#define FLASH_SECWM2R1 0x60u
#define FLASH_SECWM2R2 0x64u
#define FLASH_WRP2AR 0x68u
#define FLASH_WRP2BR 0x6Cu
#define FLASH_SECBB1R1 0x80u /* R1..R4: 32 pages each */
#define FLASH_SECBB2R1 0xA0u
#define FLASH_SECHDPCR 0xC0u
#define FLASH_PRIVCFGR 0xC4u

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
#define FLASH_SR_OPTWERR (1u << 13)
#define FLASH_SR_OPTVERR (1u << 15) /* L5 only */
#define FLASH_SR_BSY (1u << 16)
#define FLASH_SR_WDW (1u << 17) /* U5: a unit is being gathered */
/* Cleared by writing 1 */
#define FLASH_SR_W1C                                                                               \
	(FLASH_SR_EOP | FLASH_SR_OPERR | FLASH_SR_PROGERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR |    \
	 FLASH_SR_SIZERR | FLASH_SR_PGSERR | FLASH_SR_OPTWERR | FLASH_SR_OPTVERR)
/* Flags an earlier operation left that make the next one fail with
 * PGSERR (RM0438 6.3.7: "check and clear all error programming flags") */
#define FLASH_SR_STALE (FLASH_SR_PROGERR | FLASH_SR_SIZERR | FLASH_SR_PGAERR | FLASH_SR_PGSERR)

#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_PER (1u << 1)
#define FLASH_CR_MER1 (1u << 2)
#define FLASH_CR_PNB_SHIFT 3
#define FLASH_CR_PNB_MASK (0xFFu << FLASH_CR_PNB_SHIFT)
#define FLASH_CR_BKER (1u << 11)
#define FLASH_CR_MER2 (1u << 15)
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_OPTSTRT (1u << 17)
#define FLASH_CR_EOPIE (1u << 24)
#define FLASH_CR_ERRIE (1u << 25)
#define FLASH_CR_OBL_LAUNCH (1u << 27)
#define FLASH_CR_OPTLOCK (1u << 30)
#define FLASH_CR_LOCK (1u << 31)
#define FLASH_NSCR_RESET (FLASH_CR_LOCK | FLASH_CR_OPTLOCK)
#define FLASH_SECCR_RESET FLASH_CR_LOCK
#define FLASH_CR_RW                                                                                \
	(FLASH_CR_PG | FLASH_CR_PER | FLASH_CR_MER1 | FLASH_CR_PNB_MASK | FLASH_CR_BKER |          \
	 FLASH_CR_MER2 | FLASH_CR_EOPIE | FLASH_CR_ERRIE)

#define FLASH_OPTR_RDP_MASK 0xFFu
#define FLASH_OPTR_BOR_LEV_SHIFT 8
#define FLASH_OPTR_SWAP_BANK (1u << 20)
#define FLASH_OPTR_DB256K (1u << 21)   /* L5, 256 KB parts */
#define FLASH_OPTR_DUALBANK (1u << 21) /* U5, parts below the largest */
#define FLASH_OPTR_DBANK (1u << 22)    /* L5, 512 KB parts */
#define FLASH_OPTR_nSWBOOT0 (1u << 26)
#define FLASH_OPTR_nBOOT0 (1u << 27)
#define FLASH_OPTR_TZEN (1u << 31)
#define OPTR_RDP_LEVEL0 0xAAu
#define OPTR_RDP_HALF 0x55u
#define OPTR_RDP_LEVEL2 0xCCu
/* RDP byte of the safe default a failed option load gives: level 1 */
#define OPTR_RDP_SAFE 0xFFu
#define FLASH_SECBOOTADD0R_BOOT_LOCK (1u << 0)
#define FLASH_BOOTADD_MASK 0xFFFFFF80u
#define FLASH_SECWMR2_HDPEN (1u << 31)
#define FLASH_WRPR_UNLOCK (1u << 31) /* U5 */
#define FLASH_SECHDPCR_HDP1_ACCDIS (1u << 0)
#define FLASH_SECHDPCR_HDP2_ACCDIS (1u << 1)

/* Option registers in the order the store keeps them */
enum {
	L5_OPT_OPTR,
	L5_OPT_NSBOOTADD0R,
	L5_OPT_NSBOOTADD1R,
	L5_OPT_SECBOOTADD0R,
	L5_OPT_SECWM1R1,
	L5_OPT_SECWM1R2,
	L5_OPT_WRP1AR,
	L5_OPT_WRP1BR,
	L5_OPT_SECWM2R1,
	L5_OPT_SECWM2R2,
	L5_OPT_WRP2AR,
	L5_OPT_WRP2BR,
	L5_OPT_COUNT,
};
#define L5_OPTSTORE_SIZE (L5_OPT_COUNT * 8u)

/* Factory values (RM0438 6.4.1, RM0456 7.4.1), reserved bits reading 1
 * (as the U5's registers read; recalled for the L5): TZEN off, RDP 0,
 * two banks; boot from flash, the bootloader at BOOT0 = 1; the secure
 * watermarks over every page of their bank (TrustZone on makes the whole
 * flash secure until they move); no HDP; no WRP area (UNLOCK set on the
 * U5) */
#define L5_OPTR_FACTORY 0x7FEFF8AAu
#define U5_OPTR_FACTORY 0x1FEFF8AAu
#define NSBOOTADD0R_FACTORY 0x0800007Fu
#define NSBOOTADD1R_FACTORY 0x0BF9007Fu
#define SECBOOTADD0R_FACTORY 0x0C00007Cu
#define SECWMR1_FACTORY 0xFFFFFF80u
#define SECWMR2_FACTORY 0x7F807F80u
#define WRPR_FACTORY 0xFF80FFFFu
/* What a load that finds a value and its complement disagreeing applies
 * (RM0438 6.4.3; recalled): RDP level 1, every page write-protected */
#define WRPR_SAFE 0xFFFFFF80u
/* Page-number fields: start [6:0] and end [22:16] of WRPxyR and SECWMxR1,
 * end [22:16] of SECWMxR2 */
#define FLASH_AREA_START(r) ((r)&0x7Fu)
#define FLASH_AREA_END(r) (((r) >> 16) & 0x7Fu)
#define FLASH_AREA_FIELDS 0x007F007Fu
