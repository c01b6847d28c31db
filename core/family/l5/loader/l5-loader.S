/* l5-loader.S: Glint's on-target flash loader for the STM32L5 (RM0438)
 * and STM32U5 (RM0456), for the Cortex-M33.
 *
 * Runs from SRAM1 with r0 = the control block the host set up (layout in
 * glint-loader-abi.h) and sp inside SRAM. It works through a ring of
 * descriptors as every Glint loader does: the host fills the next
 * descriptor (op word last) while this one executes, so the transfer of the
 * next chunk overlaps programming of the current one. It is used with
 * TrustZone off only (the host programs directly when TZEN = 1), so it
 * works through the non-secure flash registers.
 *
 * Ops: programming whole units (double words on the L5, quad words on the
 * U5: RM0456 7.3.7), skipping units that are all ones; erase with a
 * FLASH_NSCR value chosen by the host (PER + PNB + BKER, MER1, MER2 or
 * both); CRC-32 of a range; CRC-32 of every page of a range; exit. The chip
 * comes from the page size the host puts in PAGE_SIZE: 8 KB pages are the
 * U5's (quad words, RCC at 0x46020C00), otherwise the L5 (double words,
 * RCC at 0x40021000). No fast programming exists on either.
 *
 * Clock: both start from MSI at 4 MHz (RM0438 9.2, RM0456 11.4.3), where
 * the instructions around each programming unit would cost about 10 us
 * next to the unit's 82 us (L5) or 118 us (U5). At the first programming
 * op or long CRC, when the core runs undivided from MSI below 24 MHz and
 * MSI is ready, the loader sets three flash wait states (FLASH_ACR.LATENCY:
 * two are enough for 24 MHz in the slowest voltage range of either chip,
 * range 2 of the L5 and range 4 of the U5, RM0438 6.3.3, RM0456 7.3.3),
 * reads them back, and then raises MSI to 24 MHz: the L5's RCC_CR.MSIRANGE
 * 9, the U5's RCC_ICSCR1.MSISRANGE 1, both selected by MSIRGSEL. At exit
 * and on an error it puts the range back, then the wait states (frequency
 * first on the way down). HSI16, HSE, PLL clocks and AHB prescalers are
 * left alone.
 *
 * On a flash error it records FLASH_NSSR's error flags and the address,
 * cleans the controller, restores the clock and stops at BKPT #1; EXIT
 * restores the clock and stops at BKPT #0. CRCs
 * use the CRC unit set up for IEEE 802.3 CRC-32 as zlib computes it
 * (polynomial 0x04C11DB7, init 0xFFFFFFFF, input reversed by byte after a
 * byte swap, output reversed, final XOR here). Assembled with
 * arm-none-eabi-gcc; the bytes are checked in as l5-loader-blob.h. */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m33
	.thumb

	.equ FLASH_BASE, 0x40022000
	.equ FLASH_ACR, 0x00
	.equ FLASH_ACR_LATENCY_MASK, 0xF
	.equ FLASH_ACR_LATENCY_FAST, 3
	.equ FLASH_NSSR, 0x20
	.equ FLASH_NSCR, 0x28
	.equ FLASH_SR_BSY, (1 << 16)
	/* OPERR PROGERR WRPERR PGAERR SIZERR PGSERR */
	.equ FLASH_SR_ERRORS, 0xFA
	.equ FLASH_CR_PG, (1 << 0)
	.equ FLASH_CR_STRT, (1 << 16)
	.equ FLASH_CR_LOCK, (1 << 31)
	.equ PAGE_U5, 0x2000

	/* RCC_AHB1ENR.CRCEN: L5 (RM0438 9.8.17), U5 (RM0456 11.8.31) */
	.equ RCC_L5_AHB1ENR, 0x40021048
	.equ RCC_U5_AHB1ENR, 0x46020C88
	.equ RCC_AHB1ENR_CRCEN, (1 << 12)

	/* The clock (RM0438 9.8.1-9.8.3, 9.8.29; RM0456 11.8.1-11.8.8, 11.8.45) */
	.equ RCC_L5_BASE, 0x40021000
	.equ RCC_U5_BASE, 0x46020C00
	.equ RCC_L5_CFGR, 0x08
	.equ RCC_L5_CSR, 0x94
	.equ RCC_L5_CR_MSIRDY, (1 << 1)
	.equ RCC_L5_CR_MSIRGSEL, (1 << 3)
	.equ RCC_L5_MSIRANGE_SHIFT, 4	/* RCC_CR; MSISRANGE of RCC_CSR at 8 */
	.equ RCC_L5_CFGR_HPRE_MASK, 0xF0
	.equ MSI_L5_RANGE_FAST, 9	/* 24 MHz; the ranges count up */
	.equ RCC_U5_ICSCR1, 0x08
	.equ RCC_U5_CFGR1, 0x1C
	.equ RCC_U5_CFGR2, 0x20
	.equ RCC_U5_CSR, 0xF4
	.equ RCC_U5_CR_MSISRDY, (1 << 2)
	.equ RCC_U5_ICSCR1_MSIRGSEL, (1 << 23)
	.equ RCC_U5_MSISRANGE_SHIFT, 28	/* RCC_ICSCR1; MSISSRANGE of RCC_CSR at 12 */
	.equ RCC_U5_CFGR2_HPRE_MASK, 0xF
	.equ MSI_U5_RANGE_FAST, 1	/* 24 MHz; the ranges count down */
	.equ RCC_CFGR_SW_MASK, 0x3	/* 0: MSI (MSIS) */

	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10
	.equ CRC_POL, 0x14
	.equ CRC_CR_SETUP, 0xA1		/* RESET | REV_IN byte | REV_OUT */
	.equ CRC_POLY_IEEE, 0x04C11DB7

	.equ IWDG_KR, 0x40003000
	.equ IWDG_KEY_RELOAD, 0xAAAA

	/* loader-private words of the control block (unused by the ABI) */
	.equ CB_UNIT, 0x2C		/* programming unit in bytes: 8 or 16 */
	.equ CB_AHB1ENR, 0x30		/* the chip's RCC_AHB1ENR */
	.equ CB_IS_U5, 0x34		/* 1 on the U5 */

	/* CRCs at least this long are worth raising the clock for */
	.equ LONG_CRC, 0x10000
	/* LOADER_CB_CLOCK_STATE values */
	.equ CLOCK_UNTOUCHED, 0
	.equ CLOCK_RAISE_NEEDED, 1
	.equ CLOCK_RAISED, 2

/* Register use throughout: r8 = FLASH_BASE, r9 = current descriptor,
 * r10 = descriptor index, r11 = control block. */

	.section .text.entry, "ax"
	.global loader_entry
	.type loader_entry, %function
loader_entry:
	mov	r11, r0
	ldr	r8, =FLASH_BASE
	movs	r0, #0
	str	r0, [r11, #LOADER_CB_DONE]
	str	r0, [r11, #LOADER_CB_ERROR]
	str	r0, [r11, #LOADER_CB_ERROR_ADDR]
	str	r0, [r11, #LOADER_CB_HCLK_FAST]
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
	/* the chip, from the page size */
	ldr	r0, [r11, #LOADER_CB_PAGE_SIZE]
	cmp	r0, #PAGE_U5
	ite	eq
	moveq	r1, #16
	movne	r1, #8
	str	r1, [r11, #CB_UNIT]
	ite	eq
	ldreq	r1, =RCC_U5_AHB1ENR
	ldrne	r1, =RCC_L5_AHB1ENR
	str	r1, [r11, #CB_AHB1ENR]
	ite	eq
	moveq	r1, #1
	movne	r1, #0
	str	r1, [r11, #CB_IS_U5]
	bl	clock_probe
	bl	crc_up
	/* stale flags would turn the first write into PGSERR */
	ldr	r0, [r8, #FLASH_NSSR]
	ands	r0, r0, #FLASH_SR_ERRORS
	str	r0, [r8, #FLASH_NSSR]
	ldr	r0, =LOADER_MAGIC
	str	r0, [r11, #LOADER_CB_MAGIC]
	mov	r10, #0

next_desc:
	add	r9, r11, #LOADER_CB_DESC
	add	r9, r9, r10, lsl #4
	/* the watchdog may have been started by the firmware before the halt */
	ldr	r0, =IWDG_KR
	ldr	r1, =IWDG_KEY_RELOAD
	str	r1, [r0]
wait_desc:
	ldr	r0, [r9, #LOADER_DESC_OP]
	cmp	r0, #LOADER_OP_NONE
	bne	1f
	/* nothing yet: a short pause between polls, so that the wait is a few
	 * long straight runs rather than a tight loop (an emulator pays per
	 * branch, silicon does not care) */
	.rept	8
	nop
	.endr
	b	wait_desc
1:
	dmb
	ldr	r2, [r9, #LOADER_DESC_ADDR]
	ldr	r4, [r9, #LOADER_DESC_LEN]
	ldr	r3, [r9, #LOADER_DESC_ARG]
	cmp	r0, #LOADER_OP_PROGRAM
	beq	op_program
	cmp	r0, #LOADER_OP_ERASE
	beq	op_erase
	cmp	r0, #LOADER_OP_CRC
	beq	op_crc
	cmp	r0, #LOADER_OP_PAGE_CRCS
	beq	op_page_crcs
	cmp	r0, #LOADER_OP_EXIT
	beq	op_exit
	ldr	r1, =LOADER_ERR_BAD_OP
	b	fail

op_done:
	movs	r0, #LOADER_OP_NONE
	str	r0, [r9, #LOADER_DESC_OP]
	ldr	r0, [r11, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r11, #LOADER_CB_DONE]
	add	r10, r10, #1
	ldr	r0, [r11, #LOADER_CB_N_SLOTS]
	cmp	r10, r0
	it	hs
	movhs	r10, #0
	b	next_desc

/* Units: r2 = flash address, r3 = source, r4 = bytes (whole units),
 * r6 = unit size. A unit of all ones stays erased and is skipped; the
 * others are written word by word in address order (RM0438 6.3.7: the
 * double word, RM0456 7.3.7: the quad word, starts when its last word
 * arrives). */
op_program:
	bl	check_unlocked
	bl	clock_up
	bl	wait_bsy
	movs	r0, #FLASH_CR_PG
	str	r0, [r8, #FLASH_NSCR]
	ldr	r6, [r11, #CB_UNIT]
1:	cbz	r4, 5f
	mov	r0, #-1
	movs	r1, #0
2:	ldr	r5, [r3, r1]
	ands	r0, r5
	adds	r1, #4
	cmp	r1, r6
	bne	2b
	adds	r0, #1
	beq	4f
	movs	r1, #0
3:	ldr	r5, [r3, r1]
	str	r5, [r2, r1]
	adds	r1, #4
	cmp	r1, r6
	bne	3b
	bl	wait_bsy
	ands	r1, r0, #FLASH_SR_ERRORS
	bne	fail
4:	add	r2, r6
	add	r3, r6
	subs	r4, r6
	b	1b
5:	movs	r0, #0
	str	r0, [r8, #FLASH_NSCR]
	b	op_done

/* Erase: r4 = FLASH_NSCR value (PER + PNB + BKER, or MER1/MER2), r2 = the
 * address it concerns (for the error report). */
op_erase:
	bl	check_unlocked
	bl	wait_bsy
	str	r4, [r8, #FLASH_NSCR]
	orr	r0, r4, #FLASH_CR_STRT
	str	r0, [r8, #FLASH_NSCR]
	bl	wait_bsy
	movs	r1, #0
	str	r1, [r8, #FLASH_NSCR]
	ands	r1, r0, #FLASH_SR_ERRORS
	bne	fail
	b	op_done

/* CRC-32 of r4 bytes at r2, stored in the descriptor's arg word. */
op_crc:
	cmp	r4, #LONG_CRC
	it	hs
	blhs	clock_up
	bl	crc_range
	str	r0, [r9, #LOADER_DESC_ARG]
	b	op_done

/* CRC-32 of each of r4 pages (page size from the control block) from r2,
 * stored as words from r3. */
op_page_crcs:
	ldr	r0, [r11, #LOADER_CB_PAGE_SIZE]
	mul	r0, r0, r4
	cmp	r0, #LONG_CRC
	it	hs
	blhs	clock_up
	mov	r7, r4
1:	cmp	r7, #0
	beq	op_done
	ldr	r4, [r11, #LOADER_CB_PAGE_SIZE]
	bl	crc_range
	str	r0, [r3], #4
	subs	r7, #1
	b	1b

op_exit:
	bl	crc_down
	bl	clock_down
	movs	r0, #LOADER_OP_NONE
	str	r0, [r9, #LOADER_DESC_OP]
	ldr	r0, [r11, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r11, #LOADER_CB_DONE]
	bkpt	#0
	b	op_exit

/* r1 = error flags (FLASH_NSSR bits or LOADER_ERR_*), r2 = address. */
fail:
	str	r2, [r11, #LOADER_CB_ERROR_ADDR]
	str	r1, [r11, #LOADER_CB_ERROR]
	/* leave the controller clean: no PG/PER/MER, no error flags */
	movs	r0, #0
	str	r0, [r8, #FLASH_NSCR]
	ldr	r0, [r8, #FLASH_NSSR]
	ands	r0, r0, #FLASH_SR_ERRORS
	str	r0, [r8, #FLASH_NSSR]
	bl	crc_down
	bl	clock_down
	bkpt	#1
	b	fail

/* Fails with LOADER_ERR_LOCKED (address r2) unless FLASH_NSCR is unlocked:
 * the host unlocks before it queues erases or programming; CRC ops work on
 * a locked controller. */
check_unlocked:
	ldr	r0, [r8, #FLASH_NSCR]
	tst	r0, #FLASH_CR_LOCK
	it	eq
	bxeq	lr
	ldr	r1, =LOADER_ERR_LOCKED
	b	fail

/* Returns FLASH_NSSR in r0 once BSY is clear. */
wait_bsy:
	ldr	r0, [r8, #FLASH_NSSR]
	tst	r0, #FLASH_SR_BSY
	bne	wait_bsy
	bx	lr

/* CRC-32 of r4 bytes at r2 into r0; r2 ends past the range. Clobbers r1,
 * r4, r5, r6, r12. */
crc_range:
	ldr	r12, =CRC_BASE
	movs	r0, #CRC_CR_SETUP
	str	r0, [r12, #CRC_CR]
1:	cbz	r4, 5f
	tst	r2, #3
	beq	2f
	ldrb	r0, [r2], #1
	strb	r0, [r12, #CRC_DR]
	subs	r4, #1
	b	1b
2:	cmp	r4, #16
	blo	3f
	ldmia	r2!, {r0, r1, r5, r6}
	rev	r0, r0
	str	r0, [r12, #CRC_DR]
	rev	r1, r1
	str	r1, [r12, #CRC_DR]
	rev	r5, r5
	str	r5, [r12, #CRC_DR]
	rev	r6, r6
	str	r6, [r12, #CRC_DR]
	subs	r4, #16
	b	2b
3:	cmp	r4, #4
	blo	4f
	ldr	r0, [r2], #4
	rev	r0, r0
	str	r0, [r12, #CRC_DR]
	subs	r4, #4
	b	3b
4:	cbz	r4, 5f
	ldrb	r0, [r2], #1
	strb	r0, [r12, #CRC_DR]
	subs	r4, #1
	b	4b
5:	ldr	r0, [r12, #CRC_DR]
	mvns	r0, r0
	bx	lr

/* Clock the CRC unit and program the IEEE polynomial and seed (the
 * firmware may have left others). */
crc_up:
	ldr	r1, [r11, #CB_AHB1ENR]
	ldr	r0, [r1]
	str	r0, [r11, #LOADER_CB_SAVED_AHB1ENR]
	orr	r0, r0, #RCC_AHB1ENR_CRCEN
	str	r0, [r1]
	ldr	r1, =CRC_BASE
	mov	r0, #-1
	str	r0, [r1, #CRC_INIT]
	ldr	r0, =CRC_POLY_IEEE
	str	r0, [r1, #CRC_POL]
	bx	lr

crc_down:
	ldr	r0, [r11, #LOADER_CB_SAVED_AHB1ENR]
	tst	r0, #RCC_AHB1ENR_CRCEN
	bne	1f
	ldr	r1, [r11, #CB_AHB1ENR]
	ldr	r0, [r1]
	bic	r0, r0, #RCC_AHB1ENR_CRCEN
	str	r0, [r1]
1:	bx	lr

/* Looks at the clock without changing it: CLOCK_STATE = CLOCK_RAISE_NEEDED
 * when the core runs undivided from a ready MSI below 24 MHz; the range
 * in force is kept for clock_down, FLASH_ACR too. Clobbers r0-r3. */
clock_probe:
	movs	r0, #CLOCK_UNTOUCHED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
	ldr	r0, [r8, #FLASH_ACR]
	str	r0, [r11, #LOADER_CB_SAVED_ACR]
	ldr	r0, [r11, #CB_IS_U5]
	cbnz	r0, 5f
	/* L5 */
	ldr	r1, =RCC_L5_BASE
	ldr	r2, [r1, #RCC_L5_CFGR]
	tst	r2, #RCC_CFGR_SW_MASK
	bne	9f
	tst	r2, #RCC_L5_CFGR_HPRE_MASK
	bne	9f
	ldr	r3, [r1]
	tst	r3, #RCC_L5_CR_MSIRDY
	beq	9f
	tst	r3, #RCC_L5_CR_MSIRGSEL
	ubfx	r2, r3, #RCC_L5_MSIRANGE_SHIFT, #4
	bne	1f
	ldr	r2, [r1, #RCC_L5_CSR]
	ubfx	r2, r2, #8, #4
1:	str	r2, [r11, #LOADER_CB_SAVED_MSIRANGE]
	cmp	r2, #MSI_L5_RANGE_FAST
	bhs	9f
	b	8f
	/* U5 */
5:	ldr	r1, =RCC_U5_BASE
	ldr	r2, [r1, #RCC_U5_CFGR1]
	tst	r2, #RCC_CFGR_SW_MASK
	bne	9f
	ldr	r2, [r1, #RCC_U5_CFGR2]
	tst	r2, #RCC_U5_CFGR2_HPRE_MASK
	bne	9f
	ldr	r3, [r1]
	tst	r3, #RCC_U5_CR_MSISRDY
	beq	9f
	ldr	r3, [r1, #RCC_U5_ICSCR1]
	tst	r3, #RCC_U5_ICSCR1_MSIRGSEL
	ubfx	r2, r3, #RCC_U5_MSISRANGE_SHIFT, #4
	bne	6f
	ldr	r2, [r1, #RCC_U5_CSR]
	ubfx	r2, r2, #12, #4
6:	str	r2, [r11, #LOADER_CB_SAVED_MSIRANGE]
	cmp	r2, #MSI_U5_RANGE_FAST
	bls	9f
8:	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

/* Raises MSI to 24 MHz if clock_probe found that possible and it has not
 * happened yet: the wait states first (read back, so that they hold
 * before the clock rises), then the range.
 * Clobbers r0, r1, r12. */
clock_up:
	ldr	r0, [r11, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISE_NEEDED
	it	ne
	bxne	lr
	push	{lr}
	ldr	r0, [r8, #FLASH_ACR]
	and	r1, r0, #FLASH_ACR_LATENCY_MASK
	cmp	r1, #FLASH_ACR_LATENCY_FAST
	bhs	1f
	bic	r0, r0, #FLASH_ACR_LATENCY_MASK
	orr	r0, r0, #FLASH_ACR_LATENCY_FAST
	str	r0, [r8, #FLASH_ACR]
	ldr	r0, [r8, #FLASH_ACR]
1:	ldr	r0, [r11, #CB_IS_U5]
	cbnz	r0, 5f
	movs	r0, #MSI_L5_RANGE_FAST
	bl	msi_l5_set
	b	9f
5:	movs	r0, #MSI_U5_RANGE_FAST
	bl	msi_u5_set
9:	movs	r0, #CLOCK_RAISED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
	pop	{pc}

/* Puts back the MSI range clock_probe saw, then the wait states. MSIRGSEL
 * stays set (the saved range is written into the register it selects).
 * Clobbers r0, r1, r12. */
clock_down:
	ldr	r0, [r11, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISED
	it	ne
	bxne	lr
	push	{lr}
	ldr	r0, [r11, #LOADER_CB_SAVED_MSIRANGE]
	ldr	r1, [r11, #CB_IS_U5]
	cbnz	r1, 5f
	bl	msi_l5_set
	b	6f
5:	bl	msi_u5_set
6:	ldr	r0, [r8, #FLASH_ACR]
	bic	r0, r0, #FLASH_ACR_LATENCY_MASK
	ldr	r1, [r11, #LOADER_CB_SAVED_ACR]
	and	r1, r1, #FLASH_ACR_LATENCY_MASK
	orr	r0, r0, r1
	str	r0, [r8, #FLASH_ACR]
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
	pop	{pc}

/* MSI range r0 (L5: RCC_CR.MSIRANGE; U5: RCC_ICSCR1.MSISRANGE), selected
 * by MSIRGSEL, then waits for MSI ready. Clobbers r0, r1, r12. */
msi_l5_set:
	ldr	r1, =RCC_L5_BASE
	ldr	r12, [r1]
	bic	r12, r12, #(0xF << RCC_L5_MSIRANGE_SHIFT)
	orr	r12, r12, r0, lsl #RCC_L5_MSIRANGE_SHIFT
	orr	r12, r12, #RCC_L5_CR_MSIRGSEL
	str	r12, [r1]
1:	ldr	r12, [r1]
	tst	r12, #RCC_L5_CR_MSIRDY
	beq	1b
	bx	lr

msi_u5_set:
	ldr	r1, =RCC_U5_BASE
	ldr	r12, [r1, #RCC_U5_ICSCR1]
	bic	r12, r12, #(0xF << RCC_U5_MSISRANGE_SHIFT)
	orr	r12, r12, r0, lsl #RCC_U5_MSISRANGE_SHIFT
	orr	r12, r12, #RCC_U5_ICSCR1_MSIRGSEL
	str	r12, [r1, #RCC_U5_ICSCR1]
1:	ldr	r12, [r1]
	tst	r12, #RCC_U5_CR_MSISRDY
	beq	1b
	bx	lr

	.ltorg
