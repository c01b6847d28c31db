/* h7-regs.h: the STM32H7 as the emulator models it, named as in RM0433
 * (H742/743/750/753), RM0455 (H7A3/H7B3/H7B0) and RM0468 (H723/725/730/
 * 733/735): memory map, flash interface registers and bits, option-byte
 * storage, DBGMCU. Written from the manuals, apart from the family driver
 * (core/family/h7/), so that one cannot hide the other's mistake. */
#pragma once

/* Memory (RM0433 2.3.2, RM0455 2.3.2, RM0468 2.3.2) */
#define H7_FLASH_BASE 0x08000000u
#define H7_BANK2_BASE 0x08100000u /* whatever the flash size */
#define H7_ITCM_BASE 0x00000000u
#define H7_ITCM_SIZE (64u * 1024u)
#define H7_DTCM_BASE 0x20000000u
#define H7_DTCM_SIZE (128u * 1024u)
#define H7_AXI_BASE 0x24000000u
#define H7_AHB_SRAM_BASE 0x30000000u
#define H7_SRD_SRAM_BASE 0x38000000u
#define H7_SYSMEM_BASE 0x1FF00000u
/* H74x/H72x: engineering bytes at the end of system memory bank 1 */
#define H7_INFO_BASE 0x1FF1E000u
#define H7_INFO_SIZE 0x2000u
#define H7_UID_ADDR 0x1FF1E800u
#define H7_FLASHSIZE_ADDR 0x1FF1E880u
/* H7A3/H7B0/H7B3: in the flash's system area */
#define H7AX_INFO_BASE 0x08FFF000u
#define H7AX_INFO_SIZE 0x1000u
#define H7AX_UID_ADDR 0x08FFF800u
#define H7AX_FLASHSIZE_ADDR 0x08FFF80Cu

/* Storage that is on no bus (MACHINE_MAPPED, never placed): the option
 * bytes as the chip keeps them, and one bit per flash word whose ECC no
 * longer matches its data. The bases only name them. */
#define H7_OPTSTORE_BASE 0xFFFF0000u
#define H7_OPTSTORE_SIZE 0x100u
#define H7_ECCMAP_BASE 0xFFFF1000u
#define H7_ECCMAP_SIZE (16u * 1024u) /* 2 MB of 16-byte words */

/* Peripherals */
#define H7_FLASH_R_BASE 0x52002000u
#define H7_FLASH_R_SIZE 0x1000u
#define H7_RCC_BASE 0x58024400u
#define H7_CRC_BASE 0x58024C00u
#define H7_PWR_BASE 0x58024800u
#define H7_SYSCFG_BASE 0x58000400u
#define H7_IWDG1_BASE 0x58004800u
#define H7_GPIO_BASE 0x58020000u /* ports A..K, 1 KB apart */
/* RCC_AHB4ENR: GPIOAEN at bit 0, one bit a port (RM0433, RCC
 * chapter) */
#define H7_RCC_AHB4ENR 0x0E0u
#define H7_GPIO_PORTS 11u
#define H7_DBGMCU_BASE 0x5C001000u
#define H7_DBGMCU_SIZE 0x1000u
/* The debug domain's SWO unit and SWO trace funnel (RM0433 60.2: the
 * system-bus view of the APB-D components at 0xE00E3000/0xE00E4000;
 * OpenOCD's stm32h7x.cfg and ST's examples use these addresses) */
#define H7_SWO_BASE 0x5C003000u
#define H7_SWTF_BASE 0x5C004000u
#define SWTF_CTRL_ENS0 (1u << 0) /* the Cortex-M7's ITM */
#define H7_PERIPH_BLOCK 0x400u

/* DBGMCU registers (RM0433 60.5.8) */
#define DBGMCU_CR 0x04u
/* the trace clock and the D1/D3 debug clocks: without all three the SWO
 * unit and funnel are not clocked (RM0433 60.5.8) */
#define DBGMCU_CR_TRACECLKEN (1u << 20)
#define DBGMCU_CR_D1DBGCKEN (1u << 21)
#define DBGMCU_CR_D3DBGCKEN (1u << 22)
#define DBGMCU_APB3FZ1 0x34u
#define DBGMCU_APB1LFZ1 0x3Cu
#define DBGMCU_APB2FZ1 0x4Cu
#define DBGMCU_APB4FZ1 0x54u

/* Flash interface: one register set per bank, bank 2 at +0x100; the
 * registers marked (c) are common and also answer at +0x100 */
#define H7_BANK_REGS 0x100u
#define FLASH_ACR 0x00u /* (c) */
#define FLASH_KEYR 0x04u
#define FLASH_OPTKEYR 0x08u /* (c) */
#define FLASH_CR 0x0Cu
#define FLASH_SR 0x10u
#define FLASH_CCR 0x14u
#define FLASH_OPTCR 0x18u     /* (c) */
#define FLASH_OPTSR_CUR 0x1Cu /* (c) */
#define FLASH_OPTSR_PRG 0x20u /* (c) */
#define FLASH_OPTCCR 0x24u    /* (c) */
#define FLASH_PRAR_CUR 0x28u
#define FLASH_PRAR_PRG 0x2Cu
#define FLASH_SCAR_CUR 0x30u
#define FLASH_SCAR_PRG 0x34u
#define FLASH_WPSN_CUR 0x38u
#define FLASH_WPSN_PRG 0x3Cu
#define FLASH_BOOT_CUR 0x40u /* (c) */
#define FLASH_BOOT_PRG 0x44u /* (c) */
#define FLASH_ECC_FA 0x60u
#define FLASH_OPTSR2_CUR 0x70u /* (c) H72x/H73x only */
#define FLASH_OPTSR2_PRG 0x74u

#define FLASH_ACR_RESET 0x00000037u
#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

#define FLASH_CR_LOCK (1u << 0)
#define FLASH_CR_PG (1u << 1)
#define FLASH_CR_SER (1u << 2)
#define FLASH_CR_BER (1u << 3)
#define FLASH_CR_EOPIE (1u << 16)

#define FLASH_SR_BSY (1u << 0)
#define FLASH_SR_WBNE (1u << 1)
#define FLASH_SR_QW (1u << 2)
#define FLASH_SR_EOP (1u << 16)
#define FLASH_SR_WRPERR (1u << 17)
#define FLASH_SR_PGSERR (1u << 18)
#define FLASH_SR_STRBERR (1u << 19)
#define FLASH_SR_INCERR (1u << 21)
#define FLASH_SR_OPERR (1u << 22)
#define FLASH_SR_RDPERR (1u << 23)
#define FLASH_SR_RDSERR (1u << 24)
#define FLASH_SR_SNECCERR (1u << 25)
#define FLASH_SR_DBECCERR (1u << 26)
#define FLASH_SR_CRCEND (1u << 27)
#define FLASH_SR_CRCRDERR (1u << 28)
/* what FLASH_CCRx clears */
#define FLASH_SR_FLAGS 0x1FFF0000u

#define FLASH_OPTCR_OPTLOCK (1u << 0)
#define FLASH_OPTCR_OPTSTART (1u << 1)
#define FLASH_OPTCR_MER (1u << 4)
#define FLASH_OPTCR_RESET 0x00000001u
#define FLASH_OPTCR_SWAP_BANK (1u << 31)

#define FLASH_OPTSR_OPT_BUSY (1u << 0)
#define FLASH_OPTSR_BOR_LEV_SHIFT 2
#define FLASH_OPTSR_BOR_LEV_MASK (3u << 2)
#define FLASH_OPTSR_RDP_SHIFT 8
#define FLASH_OPTSR_RDP_MASK (0xFFu << 8)
#define FLASH_OPTSR_SECURITY (1u << 21)
#define FLASH_OPTSR_OPTCHANGEERR (1u << 30)
#define FLASH_OPTSR_SWAP_BANK_OPT (1u << 31)
#define FLASH_OPTSR_STATUS (FLASH_OPTSR_OPT_BUSY | FLASH_OPTSR_OPTCHANGEERR)
#define FLASH_OPTCCR_CLR_OPTCHANGEERR (1u << 30)

#define OPTSR_RDP_LEVEL0 0xAAu
#define OPTSR_RDP_LEVEL2 0xCCu

#define FLASH_PRAR_DMEP (1u << 31)
#define FLASH_SCAR_DMES (1u << 31)
#define FLASH_AREA_STEP 256u

/* Factory option bytes (the family driver's layouts say the same, from
 * RM0433 4.4.1 as a new board reads them) */
#define H74X_OPTSR_FACTORY 0x01C6AAF0u
#define H7AX_OPTSR_FACTORY 0x0006AAF0u
#define H72X_OPTSR_FACTORY 0x0006AAF0u
#define BOOT_FACTORY 0x1FF00800u
#define PRAR_FACTORY 0x000000FFu
#define SCAR_FACTORY 0x800000FFu
#define WPSN_FACTORY_8 0x000000FFu
#define WPSN_FACTORY_32 0xFFFFFFFFu
/* At a failed load (a value and its complement disagree): RDP level 1, every
 * sector write-protected (modelling choice; RM0433 4.4 keeps the chip safe) */
#define OPTSR_SAFE(optsr) (((optsr) & ~FLASH_OPTSR_RDP_MASK) | (0xFFu << FLASH_OPTSR_RDP_SHIFT))
#define WPSN_SAFE 0x00000000u

/* Option storage: value then complement, 8 bytes per register */
enum {
	H7_OPT_OPTSR,
	H7_OPT_BOOT,
	H7_OPT_OPTSR2,
	H7_OPT_WPSN1,
	H7_OPT_PRAR1,
	H7_OPT_SCAR1,
	H7_OPT_WPSN2,
	H7_OPT_PRAR2,
	H7_OPT_SCAR2,
	H7_OPT_COUNT,
};
