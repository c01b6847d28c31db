/* glint-h7-regs.h: STM32H7 embedded flash registers and bits, named as in
 * RM0433 section 4.9 (STM32H742/743/753/750 and the dual-core H745/H747/
 * H755/H757), RM0455 section 4.9 (STM32H7A3/H7B3/H7B0) and RM0468 section
 * 5.9 (STM32H723/725/730/733/735). One register set per bank: bank 2 at
 * +0x100 (FLASH_KEYR2, FLASH_CR2, ...). */
#pragma once

#define FLASH_H7_BANK2_OFFSET 0x100u

#define FLASH_H7_ACR 0x00u
#define FLASH_H7_KEYR 0x04u
#define FLASH_H7_OPTKEYR 0x08u
#define FLASH_H7_CR 0x0Cu
#define FLASH_H7_SR 0x10u
#define FLASH_H7_CCR 0x14u
#define FLASH_H7_OPTCR 0x18u
#define FLASH_H7_OPTSR_CUR 0x1Cu
#define FLASH_H7_OPTSR_PRG 0x20u
#define FLASH_H7_OPTCCR 0x24u
#define FLASH_H7_PRAR_CUR 0x28u
#define FLASH_H7_PRAR_PRG 0x2Cu
#define FLASH_H7_SCAR_CUR 0x30u
#define FLASH_H7_SCAR_PRG 0x34u
#define FLASH_H7_WPSN_CUR 0x38u
#define FLASH_H7_WPSN_PRG 0x3Cu
#define FLASH_H7_BOOT_CUR 0x40u
#define FLASH_H7_BOOT_PRG 0x44u
#define FLASH_H7_ECC_FA 0x60u
/* RM0468 4.9.30: the H72x/H73x second option status register */
#define FLASH_H7_OPTSR2_CUR 0x70u
#define FLASH_H7_OPTSR2_PRG 0x74u
/* Every *_PRG register sits one word after its *_CUR register. */
#define FLASH_H7_PRG_FROM_CUR 4u

#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

/* FLASH_CRx bits common to every H7 (the FW/START/SNB positions differ and
 * are chip data, GlintH7Chip). */
#define FLASH_CR_LOCK (1u << 0)
#define FLASH_CR_PG (1u << 1)
#define FLASH_CR_SER (1u << 2)
#define FLASH_CR_BER (1u << 3)
/* RM0433 4.9.4 PSIZE [5:4]: 0b11 = 64-bit parallelism (H74x and H72x) */
#define FLASH_CR_PSIZE_X64 (3u << 4)

/* FLASH_SRx (RM0433 4.9.5, RM0455 4.9.5, RM0468 4.9.5) */
#define FLASH_SR_BSY (1u << 0)
#define FLASH_SR_WBNE (1u << 1)
#define FLASH_SR_QW (1u << 2)
#define FLASH_SR_CRC_BUSY (1u << 3)
#define FLASH_SR_EOP (1u << 16)
#define FLASH_SR_WRPERR (1u << 17)
#define FLASH_SR_PGSERR (1u << 18)
#define FLASH_SR_STRBERR (1u << 19)
#define FLASH_SR_INCERR (1u << 21)
#define FLASH_SR_OPERR (1u << 22) /* not on the H7A3/H7B0/H7B3 */
#define FLASH_SR_RDPERR (1u << 23)
#define FLASH_SR_RDSERR (1u << 24)
#define FLASH_SR_SNECCERR (1u << 25)
#define FLASH_SR_DBECCERR (1u << 26)
#define FLASH_SR_CRCEND (1u << 27)
#define FLASH_SR_CRCRDERR (1u << 28) /* H7A3/H7B0/H7B3 and H72x/H73x */

/* The flags FLASH_CCRx clears; the SR bits 28:16 that Glint carries. */
#define FLASH_SR_FLAGS_SHIFT 16
#define FLASH_SR_FLAGS_MASK 0x1FFF0000u

/* FLASH_OPTCR (RM0433 4.9.7) */
#define FLASH_OPTCR_OPTLOCK (1u << 0)
#define FLASH_OPTCR_OPTSTART (1u << 1)
#define FLASH_OPTCR_MER (1u << 4)
#define FLASH_OPTCR_SWAP_BANK (1u << 31) /* the mapping in effect (read only) */

/* FLASH_OPTSR_CUR/PRG (RM0433 4.9.8-4.9.9) */
#define FLASH_OPTSR_OPT_BUSY (1u << 0)
#define FLASH_OPTSR_RDP_SHIFT 8
#define FLASH_OPTSR_RDP_MASK (0xFFu << FLASH_OPTSR_RDP_SHIFT)
#define FLASH_OPTSR_SECURITY (1u << 21)
#define FLASH_OPTSR_OPTCHANGEERR (1u << 30)
/* SWAP_BANK_OPT is bit 31 (RM0433 4.9.8; OpenOCD's manual example writes
 * bit 27, which is something else) */
#define FLASH_OPTSR_SWAP_BANK_OPT (1u << 31)
/* status bits of OPTSR_CUR that are not option bytes */
#define FLASH_OPTSR_STATUS (FLASH_OPTSR_OPT_BUSY | FLASH_OPTSR_OPTCHANGEERR)
#define FLASH_OPTCCR_CLR_OPTCHANGEERR (1u << 30)

/* FLASH_PRARx / FLASH_SCARx: start [11:0], end [27:16] in 256-byte steps
 * from the bank's start; DMEP/DMES bit 31 */
#define FLASH_PRAR_DMEP (1u << 31)
#define FLASH_SCAR_DMES (1u << 31)
#define FLASH_AREA_GRANULE 256u

/* BOOT_ADD0 [15:0] and BOOT_ADD1 [31:16] hold address bits 31:16 */
#define FLASH_BOOT_ADD_SCALE 0x10000u

/* Option registers in the order the layouts (glint-h7-options.c) keep
 * them: the first five on every H7, then bank 2's (dual-bank parts) or
 * OPTSR2 (H72x/H73x). */
enum {
	H7_OB_OPTSR,
	H7_OB_BOOT,
	H7_OB_WPSN1,
	H7_OB_PRAR1,
	H7_OB_SCAR1,
	H7_OB_WPSN2,
	H7_OB_PRAR2,
	H7_OB_SCAR2,
	H7_OB_N_DUAL,
	H7_OB_OPTSR2 = H7_OB_WPSN2,
	H7_OB_N_SINGLE = H7_OB_OPTSR2 + 1,
};
/* Not an option register: FLASH_OPTCR.SWAP_BANK, the mapping in effect
 * (SWAP_BANK_OPT takes effect only at the next reset), kept past the
 * layout's registers so that edits and diffs never see it. */
#define H7_OB_SWAP_IN_EFFECT (GLINT_OPTION_MAX_REGS - 1)

/* Glint's H7 status word: the flags of both banks in one word, as
 * GlintFlashOps.read_status reports them. Bits 12:0 are FLASH_SR1[28:16],
 * bits 28:16 FLASH_SR2[28:16]. The loader's ERROR word carries one bank's
 * FLASH_SRx[28:16] in bits 12:0 (the ABI's bits 23:0), the address says
 * which bank. */
#define H7_STATUS_BANK2_SHIFT 16
#define H7_STATUS_BANK_MASK 0x1FFFu
#define H7_STATUS(sr1, sr2)                                                                        \
	((((sr1)&FLASH_SR_FLAGS_MASK) >> FLASH_SR_FLAGS_SHIFT) | ((sr2)&FLASH_SR_FLAGS_MASK))
#define H7_FLAG(sr_bit) ((sr_bit) >> FLASH_SR_FLAGS_SHIFT)
/* Not a status bit: the loader found a flash word it was to program
 * already programmed (bits 15:13 are free: SR bits 31:29 are reserved) */
#define H7_LOADER_NOT_ERASED (1u << 15)

/* DBGMCU (RM0433 60.5.8): freeze the watchdogs while the core is halted */
#define DBGMCU_H7_BASE 0x5C001000u
#define DBGMCU_H7_CR 0x5C001004u
#define DBGMCU_H7_APB3FZ1 0x5C001034u
#define DBGMCU_H7_APB4FZ1 0x5C001054u
#define DBGMCU_CR_DBGSLEEP_D1 (1u << 0)
#define DBGMCU_CR_D1DBGCKEN (1u << 21)
#define DBGMCU_CR_D3DBGCKEN (1u << 22)
/* SWO (RM0433 60.2, 60.5): the ITM's output crosses the SWO trace funnel
 * (SWTF, its port 0 the Cortex-M7's ITM) to the debug domain's own SWO
 * unit, which drives PB3 with its own prescaler (SWO_CODR) and protocol
 * (SWO_SPPR); both are CoreSight components locked against system-bus
 * writes until LAR holds the key. They need the trace clock and the D1/D3
 * debug clocks. */
#define DBGMCU_CR_TRACECLKEN (1u << 20)
#define H7_SWO_BASE 0x5C003000u
#define H7_SWTF_CTRL 0x5C004000u
#define H7_SWTF_LAR 0x5C004FB0u
#define SWTF_CTRL_ENS0 (1u << 0)
#define CORESIGHT_LAR_KEY 0xC5ACCE55u
#define DBGMCU_APB3FZ1_WWDG1 (1u << 6)
#define DBGMCU_APB4FZ1_IWDG1 (1u << 18)
