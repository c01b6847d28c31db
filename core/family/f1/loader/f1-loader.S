/* f1-loader.S: Glint's on-target flash loader for the STM32F0, F1 and F3
 * (PM0075, PM0068, RM0091, RM0316: one flash controller design).
 *
 * Thumb code for ARMv6-M, so that the same bytes run on the F0's Cortex-M0,
 * the F1's Cortex-M3 and the F3's Cortex-M4. It starts with r0 = the control
 * block the host set up (glint-loader-abi.h) and sp inside SRAM, and works
 * through a ring of descriptors: the host fills a descriptor (op word last)
 * while the loader executes the previous one, so the transfer of the next
 * chunk overlaps the programming of the current one. Ops: half-word
 * programming (erased half-words skipped), erase with a FLASH_CR value
 * chosen by the host (PER with AR = the address, or MER; bit 31 asks for
 * both banks of an XL part), CRC-32 of a range, CRC-32 of every page of a
 * range, exit. On a flash error it records FLASH_SR's error flags and the
 * address, cleans the controller and stops at BKPT #1; EXIT stops at BKPT #0.
 *
 * Addresses from 0x08080000 up are bank 2 of an XL part (PM0068 1.2), the
 * only parts with flash there: its KEYR2/SR2/CR2/AR2 are the bank-1
 * registers + 0x40.
 *
 * CRC: the F1's CRC unit (RM0008 4) has only the MSB-first polynomial
 * 0x04C11DB7 on 32-bit words, seeded 0xFFFFFFFF; the F0's and F3's do the
 * same with CRC_CR = RESET (no reversal). The IEEE 802.3 CRC-32 that zlib
 * computes feeds each byte LSB first: each word is bit-reversed before it
 * goes in (bits reversed within each byte, then REV), and the result is
 * bit-reversed and inverted. A range that does not start on a word, and
 * the last 1-3 bytes of any range, are done in software on the reflected
 * register. The unit's clock (RCC_AHBENR.CRCEN) is put back at exit.
 *
 * The flash controller runs on the HSI (PM0075 2.3): if firmware stopped it
 * the loader starts it again.
 *
 * Clock: the core starts from HSI at 8 MHz (RM0008 7.2, RM0091 6.2, RM0316
 * 9.2), where the instructions around each half-word and the software
 * bit reversal of the CRC cost 2.5 us a half-word and 6 ms per 8 KiB. At
 * the first programming op or long CRC, when the core runs undivided from
 * the HSI with the PLL off, the loader raises SYSCLK to 48 MHz, which every
 * chip of the family allows (the F0's maximum): one flash wait state first
 * (FLASH_ACR.LATENCY = 1 for 24-48 MHz on all three, RM0008 3.3.3, RM0091
 * 3.5.1, RM0316 4.5.1, read back), APB1 divided by 2 (36 MHz at most on the
 * F1 and F3), the PLL on HSI / 2 x 12, then the switch to it. The HSI keeps
 * running for the flash controller. At exit and on an error it switches
 * back to the HSI, stops the PLL, puts RCC_CFGR back, then the wait states
 * (frequency first on the way down). Assembled with arm-none-eabi-gcc; the bytes
 * are checked in as f1-loader-blob.h. */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m0
	.thumb

	.equ FLASH_BASE, 0x40022000
	.equ FLASH_AR, 0x14
	.equ FLASH_SR, 0x0C
	.equ FLASH_CR, 0x10
	.equ BANK2_REGS, 0x40
	.equ BANK2_START, 0x08080000
	.equ FLASH_SR_BSY, 0x01
	.equ FLASH_SR_ERRORS, 0x14	/* PGERR | WRPRTERR */
	.equ FLASH_SR_CLEAR, 0x34	/* PGERR | WRPRTERR | EOP */
	.equ FLASH_CR_PG, 0x01
	.equ FLASH_CR_PER, 0x02
	.equ FLASH_CR_STRT, 0x40
	.equ FLASH_CR_LOCK, 0x80

	.equ RCC_BASE, 0x40021000
	.equ RCC_CR, 0x00
	.equ RCC_AHBENR, 0x14
	.equ RCC_CR_HSION, 0x01
	.equ RCC_CR_HSIRDY, 0x02
	.equ RCC_AHBENR_CRCEN, 0x40
	.equ RCC_CFGR, 0x04
	.equ RCC_CFGR_SW_MASK, 0x03
	.equ RCC_CFGR_SW_PLL, 0x02
	.equ RCC_CFGR_SWS_MASK, 0x0C
	.equ RCC_CFGR_SWS_PLL, 0x08
	.equ RCC_CFGR_HPRE_MASK, 0xF0
	/* PLLSRC = HSI / 2 (bits 16:15 clear: bit 15 is the F04x/F07x/F09x's
	 * PLLSRC[0], and the F1's ADCPRE[1], harmless while the loader runs
	 * and put back at exit), PLLMUL = x12, PPRE1 = /2 */
	.equ RCC_CFGR_PLL_FIELDS, 0x003F8700
	.equ RCC_CFGR_PLL_48MHZ, 0x00280400
	.equ RCC_CR_PLLON, 0x01000000
	.equ RCC_CR_PLLRDY, 0x02000000
	.equ FLASH_ACR, 0x00
	.equ FLASH_ACR_LATENCY_MASK, 0x07
	.equ FLASH_ACR_LATENCY_48MHZ, 0x01

	/* CRCs at least this long are worth raising the clock for */
	.equ LONG_CRC, 0x10000
	/* LOADER_CB_CLOCK_STATE values; the saved RCC_CFGR goes in
	 * LOADER_CB_SAVED_MSIRANGE, which this family has no other use for */
	.equ CLOCK_UNTOUCHED, 0
	.equ CLOCK_RAISE_NEEDED, 1
	.equ CLOCK_RAISED, 2
	.equ CB_SAVED_CFGR, LOADER_CB_SAVED_MSIRANGE

	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10	/* F0/F3 only; reserved on the F1 */
	.equ CRC_POL, 0x14	/* F07x/F09x/F3 only */
	.equ CRC_CR_RESET, 0x01
	.equ CRC_POLY_IEEE, 0x04C11DB7
	.equ CRC_POLY_REFLECTED, 0xEDB88320

	.equ IWDG_KR, 0x40003000
	.equ IWDG_KEY_RELOAD, 0xAAAA

/* Register use throughout: r7 = control block, r6 = current descriptor,
 * r8 = descriptor index, r5 = the flash registers of the op's bank (the
 * CRC unit inside crc_range). */

	.section .text.entry, "ax"
	.global loader_entry
	.type loader_entry, %function
loader_entry:
	mov	r7, r0
	movs	r0, #0
	str	r0, [r7, #LOADER_CB_DONE]
	str	r0, [r7, #LOADER_CB_ERROR]
	str	r0, [r7, #LOADER_CB_ERROR_ADDR]
	/* no fast (row) programming on this family */
	str	r0, [r7, #LOADER_CB_HCLK_FAST]
	bl	hsi_on
	bl	clock_probe
	bl	crc_up
	/* flags of an earlier operation, in both register sets (the bank-2
	 * offsets are reserved, and ignore writes, on single-bank parts) */
	ldr	r1, =FLASH_BASE
	movs	r2, #FLASH_SR_CLEAR
	str	r2, [r1, #FLASH_SR]
	adds	r1, #BANK2_REGS
	str	r2, [r1, #FLASH_SR]
	ldr	r0, =LOADER_MAGIC
	str	r0, [r7, #LOADER_CB_MAGIC]
	movs	r0, #0
	mov	r8, r0

next_desc:
	mov	r0, r8
	lsls	r0, r0, #4
	adds	r0, #LOADER_CB_DESC
	adds	r6, r7, r0
	/* the watchdog may have been started by the firmware before the halt */
	ldr	r0, =IWDG_KR
	ldr	r1, =IWDG_KEY_RELOAD
	str	r1, [r0]
wait_desc:
	ldr	r0, [r6, #LOADER_DESC_OP]
	cmp	r0, #LOADER_OP_NONE
	beq	wait_desc
	ldr	r2, [r6, #LOADER_DESC_ADDR]
	ldr	r4, [r6, #LOADER_DESC_LEN]
	ldr	r3, [r6, #LOADER_DESC_ARG]
	cmp	r0, #LOADER_OP_PROGRAM
	bne	1f
	b	op_program
1:	cmp	r0, #LOADER_OP_ERASE
	bne	2f
	b	op_erase
2:	cmp	r0, #LOADER_OP_CRC
	bne	3f
	b	op_crc
3:	cmp	r0, #LOADER_OP_PAGE_CRCS
	bne	4f
	b	op_page_crcs
4:	cmp	r0, #LOADER_OP_EXIT
	bne	5f
	b	op_exit
5:	ldr	r1, =LOADER_ERR_BAD_OP
	b	fail

op_done:
	movs	r0, #LOADER_OP_NONE
	str	r0, [r6, #LOADER_DESC_OP]
	ldr	r0, [r7, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r7, #LOADER_CB_DONE]
	mov	r0, r8
	adds	r0, #1
	ldr	r1, [r7, #LOADER_CB_N_SLOTS]
	cmp	r0, r1
	blo	1f
	movs	r0, #0
1:	mov	r8, r0
	b	next_desc

/* Half-words: r2 = flash address, r3 = source, r4 = bytes (even). Erased
 * half-words (0xFFFF) are skipped. */
op_program:
	bl	clock_up
	bl	regs_for
	bl	check_unlocked
	bl	wait_bsy
	movs	r0, #FLASH_CR_PG
	str	r0, [r5, #FLASH_CR]
1:	cmp	r4, #0
	beq	3f
	ldrh	r0, [r3]
	ldr	r1, =0xFFFF
	cmp	r0, r1
	beq	2f
	strh	r0, [r2]
	bl	wait_bsy
	movs	r1, #FLASH_SR_ERRORS
	ands	r1, r0
	beq	2f
	b	fail
2:	adds	r2, #2
	adds	r3, #2
	subs	r4, #2
	b	1b
3:	movs	r0, #0
	str	r0, [r5, #FLASH_CR]
	b	op_done

/* Erase: r4 = FLASH_CR bits (PER or MER; bit 31: both banks), r2 = the
 * address (AR for a page erase, and for the error report). */
op_erase:
	bl	regs_for
	bl	check_unlocked
	bl	wait_bsy
	bl	erase_start
	lsrs	r0, r4, #31
	beq	1f
	/* XL mass erase: bank 2 too, started before waiting for bank 1 */
	mov	r9, r5
	ldr	r5, =FLASH_BASE + BANK2_REGS
	bl	check_unlocked
	bl	wait_bsy
	bl	erase_start
	bl	erase_end
	mov	r5, r9
1:	bl	erase_end
	b	op_done

/* Starts the erase r4 asks for (bit 31 dropped) at r2 in the bank of r5. */
erase_start:
	lsls	r1, r4, #1
	lsrs	r1, r1, #1
	str	r1, [r5, #FLASH_CR]
	movs	r0, #FLASH_CR_PER
	tst	r0, r1
	beq	1f
	str	r2, [r5, #FLASH_AR]
1:	movs	r0, #FLASH_CR_STRT
	orrs	r0, r1
	str	r0, [r5, #FLASH_CR]
	bx	lr

/* Waits for the bank of r5, clears its CR, fails on error flags. */
erase_end:
	push	{lr}
	bl	wait_bsy
	movs	r1, #0
	str	r1, [r5, #FLASH_CR]
	movs	r1, #FLASH_SR_ERRORS
	ands	r1, r0
	beq	1f
	b	fail
1:	pop	{pc}

/* CRC-32 of r4 bytes at r2, stored in the descriptor's arg word. */
op_crc:
	bl	clock_up_long
	bl	crc_range
	str	r0, [r6, #LOADER_DESC_ARG]
	b	op_done

/* CRC-32 of each of r4 pages (page size from the control block) from r2,
 * stored as words from r3. */
op_page_crcs:
	ldr	r0, [r7, #LOADER_CB_PAGE_SIZE]
	muls	r0, r4, r0
	push	{r4}
	movs	r4, r0
	bl	clock_up_long
	pop	{r4}
	mov	r9, r4
1:	mov	r0, r9
	cmp	r0, #0
	beq	2f
	ldr	r4, [r7, #LOADER_CB_PAGE_SIZE]
	bl	crc_range
	str	r0, [r3]
	adds	r3, #4
	mov	r0, r9
	subs	r0, #1
	mov	r9, r0
	b	1b
2:	b	op_done

op_exit:
	bl	crc_down
	bl	clock_down
	movs	r0, #LOADER_OP_NONE
	str	r0, [r6, #LOADER_DESC_OP]
	ldr	r0, [r7, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r7, #LOADER_CB_DONE]
	bkpt	#0
	b	op_exit

/* r1 = error flags (FLASH_SR bits or LOADER_ERR_*), r2 = address. */
fail:
	str	r2, [r7, #LOADER_CB_ERROR_ADDR]
	str	r1, [r7, #LOADER_CB_ERROR]
	/* leave the controller clean: no PG/PER/MER, no flags, both banks */
	ldr	r1, =FLASH_BASE
	movs	r0, #0
	str	r0, [r1, #FLASH_CR]
	movs	r0, #FLASH_SR_CLEAR
	str	r0, [r1, #FLASH_SR]
	adds	r1, #BANK2_REGS
	movs	r0, #0
	str	r0, [r1, #FLASH_CR]
	movs	r0, #FLASH_SR_CLEAR
	str	r0, [r1, #FLASH_SR]
	bl	crc_down
	bl	clock_down
	bkpt	#1
	b	fail

/* r5 = the registers of the bank holding r2. */
regs_for:
	ldr	r5, =FLASH_BASE
	ldr	r0, =BANK2_START
	cmp	r2, r0
	blo	1f
	adds	r5, #BANK2_REGS
1:	bx	lr

/* Fails with LOADER_ERR_LOCKED (address r2) unless the bank's FLASH_CR is
 * unlocked: the host unlocks before it queues erases or programming; CRCs
 * work on a locked controller. */
check_unlocked:
	ldr	r0, [r5, #FLASH_CR]
	movs	r1, #FLASH_CR_LOCK
	tst	r0, r1
	bne	1f
	bx	lr
1:	ldr	r1, =LOADER_ERR_LOCKED
	b	fail

/* Returns the bank's FLASH_SR in r0 once BSY is clear. */
wait_bsy:
	ldr	r0, [r5, #FLASH_SR]
	movs	r1, #FLASH_SR_BSY
	tst	r0, r1
	bne	wait_bsy
	bx	lr

/* r0 with the bits of each byte reversed; r3, r6, r7 hold the masks. */
	.macro SWAP_BITS
	lsrs	r1, r0, #1
	ands	r1, r3
	ands	r0, r3
	lsls	r0, r0, #1
	orrs	r0, r1
	lsrs	r1, r0, #2
	ands	r1, r6
	ands	r0, r6
	lsls	r0, r0, #2
	orrs	r0, r1
	lsrs	r1, r0, #4
	ands	r1, r7
	ands	r0, r7
	lsls	r0, r0, #4
	orrs	r0, r1
	.endm

/* CRC-32 (zlib) of r4 bytes at r2 into r0; r2 ends past the range.
 * Clobbers r1, r4, r5. */
crc_range:
	push	{r3, r6, r7, lr}
	movs	r0, #3
	tst	r0, r2
	bne	soft_all
	ldr	r5, =CRC_BASE
	movs	r0, #CRC_CR_RESET
	str	r0, [r5, #CRC_CR]
	ldr	r3, =0x55555555
	ldr	r6, =0x33333333
	ldr	r7, =0x0F0F0F0F
1:	cmp	r4, #4
	blo	2f
	ldr	r0, [r2]
	adds	r2, #4
	SWAP_BITS
	rev	r0, r0
	str	r0, [r5, #CRC_DR]
	subs	r4, #4
	b	1b
2:	ldr	r0, [r5, #CRC_DR]
	/* the reflected register zlib keeps */
	SWAP_BITS
	rev	r0, r0
	b	soft_tail
soft_all:
	movs	r0, #0
	mvns	r0, r0
soft_tail:
	ldr	r3, =CRC_POLY_REFLECTED
1:	cmp	r4, #0
	beq	4f
	ldrb	r1, [r2]
	adds	r2, #1
	eors	r0, r1
	movs	r6, #8
2:	lsrs	r0, r0, #1
	bcc	3f
	eors	r0, r3
3:	subs	r6, #1
	bne	2b
	subs	r4, #1
	b	1b
4:	mvns	r0, r0
	pop	{r3, r6, r7, pc}

/* Clock the CRC unit (the old enable kept for exit) and give it the IEEE
 * polynomial and seed where those are programmable (F0, F3). */
crc_up:
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_AHBENR]
	str	r0, [r7, #LOADER_CB_SAVED_AHB1ENR]
	movs	r2, #RCC_AHBENR_CRCEN
	orrs	r0, r2
	str	r0, [r1, #RCC_AHBENR]
	ldr	r1, =CRC_BASE
	movs	r0, #0
	mvns	r0, r0
	str	r0, [r1, #CRC_INIT]
	ldr	r0, =CRC_POLY_IEEE
	str	r0, [r1, #CRC_POL]
	bx	lr

crc_down:
	ldr	r0, [r7, #LOADER_CB_SAVED_AHB1ENR]
	movs	r1, #RCC_AHBENR_CRCEN
	tst	r0, r1
	bne	1f
	ldr	r2, =RCC_BASE
	ldr	r0, [r2, #RCC_AHBENR]
	bics	r0, r1
	str	r0, [r2, #RCC_AHBENR]
1:	bx	lr

/* The flash controller needs the HSI (PM0075 2.3). */
hsi_on:
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_CR]
	movs	r2, #RCC_CR_HSIRDY
	tst	r0, r2
	bne	2f
	movs	r2, #RCC_CR_HSION
	orrs	r0, r2
	str	r0, [r1, #RCC_CR]
	movs	r2, #RCC_CR_HSIRDY
1:	ldr	r0, [r1, #RCC_CR]
	tst	r0, r2
	beq	1b
2:	bx	lr

	/* Looks at the clock without changing it: CLOCK_RAISE_NEEDED when SYSCLK
 * is the HSI, undivided, with the PLL off; FLASH_ACR and RCC_CFGR are kept
 * for clock_down. Clobbers r0-r3. */
clock_probe:
	movs	r0, #CLOCK_UNTOUCHED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_ACR]
	str	r0, [r7, #LOADER_CB_SAVED_ACR]
	ldr	r1, =RCC_BASE
	ldr	r2, [r1, #RCC_CFGR]
	str	r2, [r7, #CB_SAVED_CFGR]
	movs	r3, #(RCC_CFGR_SWS_MASK | RCC_CFGR_HPRE_MASK)
	tst	r2, r3
	bne	9f
	ldr	r2, [r1, #RCC_CR]
	ldr	r3, =RCC_CR_PLLON
	tst	r2, r3
	bne	9f
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

/* clock_up for a CRC of r4 bytes: only when it is long. */
clock_up_long:
	ldr	r0, =LONG_CRC
	cmp	r4, r0
	bhs	clock_up
	bx	lr

/* Raises SYSCLK to 48 MHz if clock_probe found that possible and it has
 * not happened yet. Clobbers r0. */
clock_up:
	push	{r1, r2}
	ldr	r0, [r7, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISE_NEEDED
	bne	9f
	/* one wait state, read back before the clock rises */
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_ACR]
	movs	r2, #FLASH_ACR_LATENCY_MASK
	bics	r0, r2
	adds	r0, #FLASH_ACR_LATENCY_48MHZ
	str	r0, [r1, #FLASH_ACR]
	ldr	r0, [r1, #FLASH_ACR]
	/* PLL: HSI / 2 x 12, APB1 / 2; then on, then the switch */
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_CFGR]
	ldr	r2, =RCC_CFGR_PLL_FIELDS
	bics	r0, r2
	ldr	r2, =RCC_CFGR_PLL_48MHZ
	orrs	r0, r2
	str	r0, [r1, #RCC_CFGR]
	ldr	r0, [r1, #RCC_CR]
	ldr	r2, =RCC_CR_PLLON
	orrs	r0, r2
	str	r0, [r1, #RCC_CR]
	ldr	r2, =RCC_CR_PLLRDY
1:	ldr	r0, [r1, #RCC_CR]
	tst	r0, r2
	beq	1b
	ldr	r0, [r1, #RCC_CFGR]
	movs	r2, #RCC_CFGR_SW_MASK
	bics	r0, r2
	adds	r0, #RCC_CFGR_SW_PLL
	str	r0, [r1, #RCC_CFGR]
	movs	r2, #RCC_CFGR_SWS_MASK
2:	ldr	r0, [r1, #RCC_CFGR]
	ands	r0, r2
	cmp	r0, #RCC_CFGR_SWS_PLL
	bne	2b
	movs	r0, #CLOCK_RAISED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
9:	pop	{r1, r2}
	bx	lr

/* Back to the HSI, the PLL off, RCC_CFGR as it was, then the wait states.
 * Clobbers r0-r3. */
clock_down:
	ldr	r0, [r7, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISED
	bne	9f
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_CFGR]
	movs	r2, #RCC_CFGR_SW_MASK
	bics	r0, r2
	str	r0, [r1, #RCC_CFGR]
	movs	r2, #RCC_CFGR_SWS_MASK
1:	ldr	r0, [r1, #RCC_CFGR]
	tst	r0, r2
	bne	1b
	ldr	r0, [r1, #RCC_CR]
	ldr	r2, =RCC_CR_PLLON
	bics	r0, r2
	str	r0, [r1, #RCC_CR]
	ldr	r0, [r7, #CB_SAVED_CFGR]
	str	r0, [r1, #RCC_CFGR]
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_ACR]
	movs	r2, #FLASH_ACR_LATENCY_MASK
	bics	r0, r2
	ldr	r2, [r7, #LOADER_CB_SAVED_ACR]
	movs	r3, #FLASH_ACR_LATENCY_MASK
	ands	r2, r3
	orrs	r0, r2
	str	r0, [r1, #FLASH_ACR]
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

	.ltorg
