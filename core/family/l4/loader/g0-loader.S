/* g0-loader.S: Glint's on-target flash loader for the STM32G0 (RM0444), in
 * Thumb-1 for its Cortex-M0+ (ARMv6-M: no IT blocks, no CBZ, no LDRD, no
 * wide immediates; most instructions reach r0-r7 only).
 *
 * It speaks the protocol of glint-loader-abi.h as the L4's loader does
 * (l4-loader.S): a ring of descriptors the host fills while the previous
 * ones run; double-word programming, fast row programming (rows of 32
 * double words, RM0444 3.3.7), erase with a FLASH_CR value the host chose
 * (PER + PNB + BKER in bit 13, MER1/MER2), CRC-32 of a range and of every
 * page of a range, exit. On a flash error it records FLASH_SR's error flags
 * and the address, leaves the controller clean and stops at BKPT #1; EXIT
 * stops at BKPT #0.
 *
 * Waiting for the controller means BSY1, BSY2 (the G0B1's bank 2) and
 * CFGBSY all clear (RM0444 3.3.6, 3.3.7). The G0 runs from HSISYS (HSI16
 * divided by HSIDIV) after reset: at 8 MHz or more fast programming is
 * allowed (RM0444 3.3.7).
 *
 * Clock: at 16 MHz the instructions between two rows and the CRC loop
 * cost about 6 ms and 5.5 ms for 64 KiB. At the first programming op or
 * long CRC, when the core runs undivided from HSI16 with the PLL off and
 * the regulator in range 1 (PWR_CR1.VOS = 01, read with the PWR clock
 * switched on for the read), the loader sets two flash wait states (64 MHz
 * in range 1, RM0444 3.3.4; read back), the PLL on HSI16 / 1 x 8 / 2
 * (VCO 128 MHz, PLLRCLK 64 MHz, RM0444 5.4.4) and switches to it. At exit
 * and on an error it switches back to HSISYS, stops the PLL, puts
 * RCC_PLLCFGR back, then the wait states (frequency first on the way
 * down). The CRC unit
 * (RM0444 chapter 15) is set up for zlib's CRC-32 as on the L4. Assembled
 * with arm-none-eabi-gcc; the bytes are checked in as g0-loader-blob.h. */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m0plus
	.thumb

	.equ FLASH_BASE, 0x40022000
	.equ FLASH_SR, 0x10
	.equ FLASH_CR, 0x14
	/* BSY1, BSY2, CFGBSY */
	.equ FLASH_SR_BUSY, 0x70000
	/* OPERR PROGERR WRPERR PGAERR SIZERR PGSERR MISERR FASTERR */
	.equ FLASH_SR_ERRORS, 0x3FA
	.equ FLASH_CR_PG, (1 << 0)
	.equ FLASH_CR_STRT, (1 << 16)
	.equ FLASH_CR_FSTPG, (1 << 18)
	.equ FLASH_ROW_SIZE, 256

	.equ RCC_BASE, 0x40021000
	.equ RCC_CR, 0x00
	.equ RCC_CFGR, 0x08
	.equ RCC_AHBENR, 0x38
	.equ RCC_PLLCFGR, 0x0C
	.equ RCC_APBENR1, 0x3C
	.equ RCC_APBENR1_PWREN, (1 << 28)
	.equ RCC_CR_PLLON, (1 << 24)
	.equ RCC_CR_PLLRDY, (1 << 25)
	.equ RCC_CFGR_SW_MASK, 7
	.equ RCC_CFGR_SW_PLLR, 2
	.equ RCC_CFGR_SWS_MASK, (7 << 3)
	.equ RCC_CFGR_SWS_PLLR, (2 << 3)
	/* PLLSRC HSI16, M = 1, N = 8, PLLREN, R = 2: 64 MHz */
	.equ RCC_PLLCFGR_64MHZ, 0x30000802
	.equ PWR_CR1, 0x40007000
	.equ PWR_CR1_VOS_SHIFT, 9
	.equ PWR_VOS_RANGE1, 1
	.equ FLASH_ACR, 0x00
	.equ FLASH_ACR_LATENCY_MASK, 7
	.equ FLASH_ACR_LATENCY_64MHZ, 2
	/* CRCs at least this long are worth raising the clock for */
	.equ LONG_CRC, 0x10000
	/* LOADER_CB_CLOCK_STATE values; RCC_PLLCFGR is kept in the
	 * loader-private word after the ABI's */
	.equ CLOCK_UNTOUCHED, 0
	.equ CLOCK_RAISE_NEEDED, 1
	.equ CLOCK_RAISED, 2
	.equ CB_SAVED_PLLCFGR, 0x2C
	.equ RCC_AHBENR_CRCEN, (1 << 12)
	/* RCC_CR.HSIDIV [13:11], RCC_CFGR.SWS [5:3] and HPRE [11:8] */
	.equ RCC_CR_HSIDIV_SHIFT, 11
	.equ RCC_CFGR_SWS_SHIFT, 3
	.equ RCC_CFGR_HPRE_DIV_SHIFT, 11

	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10
	.equ CRC_POL, 0x14
	.equ CRC_CR_RESET, (1 << 0)
	.equ CRC_CR_REV_IN_BYTE, (1 << 5)
	.equ CRC_CR_REV_OUT, (1 << 7)
	.equ CRC_POLY_IEEE, 0x04C11DB7

	.equ IWDG_KR, 0x40003000
	.equ IWDG_KEY_RELOAD, 0xAAAA

/* Register use throughout: r9 = current descriptor, r10 = descriptor index,
 * r11 = control block (high registers: ARMv6-M loads and stores need low
 * ones, so each is copied down where it is used). */

	.section .text.entry, "ax"
	.global loader_entry
	.type loader_entry, %function
loader_entry:
	mov	r11, r0
	movs	r1, #0
	str	r1, [r0, #LOADER_CB_DONE]
	str	r1, [r0, #LOADER_CB_ERROR]
	str	r1, [r0, #LOADER_CB_ERROR_ADDR]
	str	r1, [r0, #LOADER_CB_CLOCK_STATE]
	bl	clock_probe
	bl	crc_up
	/* stale flags would turn the first write into PGSERR */
	ldr	r3, =FLASH_BASE
	ldr	r0, [r3, #FLASH_SR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r0, r1
	str	r0, [r3, #FLASH_SR]
	mov	r0, r11
	ldr	r1, =LOADER_MAGIC
	str	r1, [r0, #LOADER_CB_MAGIC]
	movs	r1, #0
	mov	r10, r1

next_desc:
	mov	r0, r10
	lsls	r0, r0, #4
	adds	r0, #LOADER_CB_DESC
	add	r0, r11
	mov	r9, r0
	/* the watchdog may have been started by the firmware before the halt */
	ldr	r1, =IWDG_KR
	ldr	r2, =IWDG_KEY_RELOAD
	str	r2, [r1]
wait_desc:
	mov	r0, r9
	ldr	r1, [r0, #LOADER_DESC_OP]
	cmp	r1, #LOADER_OP_NONE
	beq	wait_desc
	ldr	r2, [r0, #LOADER_DESC_ADDR]
	ldr	r4, [r0, #LOADER_DESC_LEN]
	ldr	r3, [r0, #LOADER_DESC_ARG]
	cmp	r1, #LOADER_OP_PROGRAM
	bne	1f
	b	op_program
1:	cmp	r1, #LOADER_OP_PROGRAM_FAST
	bne	1f
	b	op_program_fast
1:	cmp	r1, #LOADER_OP_ERASE
	bne	1f
	b	op_erase
1:	cmp	r1, #LOADER_OP_CRC
	bne	1f
	b	op_crc
1:	cmp	r1, #LOADER_OP_PAGE_CRCS
	bne	1f
	b	op_page_crcs
1:	cmp	r1, #LOADER_OP_EXIT
	bne	1f
	b	op_exit
1:	ldr	r1, =LOADER_ERR_BAD_OP
	b	fail

op_done:
	mov	r0, r9
	movs	r1, #LOADER_OP_NONE
	str	r1, [r0, #LOADER_DESC_OP]
	mov	r0, r11
	ldr	r1, [r0, #LOADER_CB_DONE]
	adds	r1, #1
	str	r1, [r0, #LOADER_CB_DONE]
	ldr	r2, [r0, #LOADER_CB_N_SLOTS]
	mov	r1, r10
	adds	r1, #1
	cmp	r1, r2
	blo	1f
	movs	r1, #0
1:	mov	r10, r1
	b	next_desc

/* Double words: r2 = flash address, r3 = source, r4 = bytes (multiple of
 * 8). Double words that are all ones stay erased and are skipped. */
op_program:
	bl	check_unlocked
	bl	clock_up
	bl	wait_busy
	ldr	r7, =FLASH_BASE
	movs	r0, #FLASH_CR_PG
	str	r0, [r7, #FLASH_CR]
1:	cmp	r4, #0
	beq	3f
	ldmia	r3!, {r5, r6}
	movs	r0, r5
	ands	r0, r6
	adds	r0, #1
	beq	2f
	str	r5, [r2]
	str	r6, [r2, #4]
	bl	wait_busy
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	beq	2f
	b	fail
2:	adds	r2, #8
	subs	r4, #8
	b	1b
3:	ldr	r7, =FLASH_BASE
	movs	r0, #0
	str	r0, [r7, #FLASH_CR]
	b	op_done

/* Rows of 32 double words written back to back (FSTPG): r2 = flash address
 * (row aligned), r3 = source, r4 = bytes (multiple of 256). The bank must
 * have been mass-erased; rows that are all ones are skipped. */
op_program_fast:
	bl	check_unlocked
	bl	clock_up
	bl	wait_busy
	ldr	r7, =FLASH_BASE
	ldr	r0, =FLASH_CR_FSTPG
	str	r0, [r7, #FLASH_CR]
row:	cmp	r4, #0
	beq	4f
	/* r6 = the row size throughout (ldmia below reuses it) */
	movs	r6, #1
	lsls	r6, r6, #8
	movs	r0, #0
	mvns	r0, r0
	movs	r1, #0
1:	ldr	r5, [r3, r1]
	ands	r0, r5
	adds	r1, #4
	cmp	r1, r6
	bne	1b
	adds	r0, #1
	beq	3f
	mov	r12, r2
	movs	r7, #(FLASH_ROW_SIZE / 16)
2:	ldmia	r3!, {r0, r1, r5, r6}
	stmia	r2!, {r0, r1, r5, r6}
	subs	r7, #1
	bne	2b
	bl	wait_busy
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	beq	5f
	mov	r2, r12
	b	fail
5:	movs	r6, #1
	lsls	r6, r6, #8
	subs	r4, r4, r6
	b	row
3:	adds	r3, r3, r6
	adds	r2, r2, r6
	subs	r4, r4, r6
	b	row
4:	ldr	r7, =FLASH_BASE
	movs	r0, #0
	str	r0, [r7, #FLASH_CR]
	b	op_done

/* Erase: r4 = FLASH_CR value (PER + PNB + BKER, or MER1/MER2), r2 = the
 * address it concerns (for the error report). */
op_erase:
	bl	check_unlocked
	bl	wait_busy
	ldr	r7, =FLASH_BASE
	str	r4, [r7, #FLASH_CR]
	ldr	r0, =FLASH_CR_STRT
	orrs	r0, r4
	str	r0, [r7, #FLASH_CR]
	bl	wait_busy
	ldr	r7, =FLASH_BASE
	movs	r1, #0
	str	r1, [r7, #FLASH_CR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	beq	1f
	b	fail
1:	b	op_done

/* CRC-32 of r4 bytes at r2, stored in the descriptor's arg word (the G0
 * has no data cache to flush) */
op_crc:
	bl	clock_up_long
	bl	crc_range
	mov	r1, r9
	str	r0, [r1, #LOADER_DESC_ARG]
	b	op_done

/* CRC-32 of each of r4 pages (page size from the control block) from r2,
 * stored as words from r3; r8 counts the pages left */
op_page_crcs:
	mov	r0, r11
	ldr	r0, [r0, #LOADER_CB_PAGE_SIZE]
	muls	r0, r4, r0
	push	{r4}
	movs	r4, r0
	bl	clock_up_long
	pop	{r4}
	mov	r8, r4
1:	mov	r0, r8
	cmp	r0, #0
	beq	2f
	mov	r0, r11
	ldr	r4, [r0, #LOADER_CB_PAGE_SIZE]
	bl	crc_range
	str	r0, [r3]
	adds	r3, #4
	mov	r0, r8
	subs	r0, #1
	mov	r8, r0
	b	1b
2:	b	op_done

op_exit:
	bl	crc_down
	bl	clock_down
	mov	r0, r9
	movs	r1, #LOADER_OP_NONE
	str	r1, [r0, #LOADER_DESC_OP]
	mov	r0, r11
	ldr	r1, [r0, #LOADER_CB_DONE]
	adds	r1, #1
	str	r1, [r0, #LOADER_CB_DONE]
	bkpt	#0
	b	op_exit

/* r1 = error flags (FLASH_SR bits or LOADER_ERR_*), r2 = address. */
fail:
	mov	r0, r11
	str	r2, [r0, #LOADER_CB_ERROR_ADDR]
	str	r1, [r0, #LOADER_CB_ERROR]
	/* leave the controller clean: no PG/FSTPG/PER/MER, no error flags */
	ldr	r7, =FLASH_BASE
	movs	r0, #0
	str	r0, [r7, #FLASH_CR]
	ldr	r0, [r7, #FLASH_SR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r0, r1
	str	r0, [r7, #FLASH_SR]
	bl	crc_down
	bl	clock_down
	bkpt	#1
	b	fail

/* Fails with LOADER_ERR_LOCKED (address r2) unless FLASH_CR is unlocked:
 * the host unlocks before it queues erases or programming. LOCK is bit 31,
 * the sign. Clobbers r0, r1. */
check_unlocked:
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_CR]
	cmp	r0, #0
	bmi	1f
	bx	lr
1:	ldr	r1, =LOADER_ERR_LOCKED
	b	fail

/* Returns FLASH_SR in r0 once BSY1, BSY2 and CFGBSY are clear. Clobbers
 * r1. */
wait_busy:
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_SR]
	ldr	r1, =FLASH_SR_BUSY
	tst	r0, r1
	bne	wait_busy
	bx	lr

/* CRC-32 of r4 bytes at r2 into r0; r2 ends past the range. Clobbers r1,
 * r4, r5, r6, r7. */
crc_range:
	ldr	r7, =CRC_BASE
	movs	r0, #(CRC_CR_RESET | CRC_CR_REV_IN_BYTE | CRC_CR_REV_OUT)
	str	r0, [r7, #CRC_CR]
1:	cmp	r4, #0
	beq	5f
	movs	r0, #3
	tst	r2, r0
	beq	2f
	ldrb	r0, [r2]
	adds	r2, #1
	strb	r0, [r7, #CRC_DR]
	subs	r4, #1
	b	1b
2:	cmp	r4, #16
	blo	3f
	ldmia	r2!, {r0, r1, r5, r6}
	rev	r0, r0
	str	r0, [r7, #CRC_DR]
	rev	r1, r1
	str	r1, [r7, #CRC_DR]
	rev	r5, r5
	str	r5, [r7, #CRC_DR]
	rev	r6, r6
	str	r6, [r7, #CRC_DR]
	subs	r4, #16
	b	2b
3:	cmp	r4, #4
	blo	4f
	ldmia	r2!, {r0}
	rev	r0, r0
	str	r0, [r7, #CRC_DR]
	subs	r4, #4
	b	3b
4:	cmp	r4, #0
	beq	5f
	ldrb	r0, [r2]
	adds	r2, #1
	strb	r0, [r7, #CRC_DR]
	subs	r4, #1
	b	4b
5:	ldr	r0, [r7, #CRC_DR]
	mvns	r0, r0
	bx	lr

/* Clock the CRC unit and program the IEEE polynomial and seed (the
 * firmware may have left others). Clobbers r0, r1, r2. */
crc_up:
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_AHBENR]
	mov	r2, r11
	str	r0, [r2, #LOADER_CB_SAVED_AHB1ENR]
	ldr	r2, =RCC_AHBENR_CRCEN
	orrs	r0, r2
	str	r0, [r1, #RCC_AHBENR]
	ldr	r1, =CRC_BASE
	movs	r0, #0
	mvns	r0, r0
	str	r0, [r1, #CRC_INIT]
	ldr	r0, =CRC_POLY_IEEE
	str	r0, [r1, #CRC_POL]
	bx	lr

/* Stops the CRC unit's clock again if it was off. Clobbers r0, r1, r2. */
crc_down:
	mov	r0, r11
	ldr	r0, [r0, #LOADER_CB_SAVED_AHB1ENR]
	ldr	r1, =RCC_AHBENR_CRCEN
	tst	r0, r1
	bne	1f
	ldr	r2, =RCC_BASE
	ldr	r0, [r2, #RCC_AHBENR]
	bics	r0, r1
	str	r0, [r2, #RCC_AHBENR]
1:	bx	lr

/* LOADER_CB_HCLK_FAST = 1 when HCLK is HSISYS at 8 MHz or more, undivided
 * (RM0444 5.4.1, 5.4.3); a PLL or HSE clock is not chased: double words
 * then. CLOCK_STATE = CLOCK_RAISE_NEEDED when HSI16 runs the core
 * undivided, the PLL is off and the regulator is in range 1 (RM0444
 * 4.4.1); FLASH_ACR and RCC_PLLCFGR are kept for clock_down. Clobbers r0,
 * r1, r2, r3, r5. */
clock_probe:
	mov	r3, r11
	movs	r0, #0
	str	r0, [r3, #LOADER_CB_HCLK_FAST]
	ldr	r1, =RCC_BASE
	ldr	r2, [r1, #RCC_CFGR]
	movs	r5, #7
	lsrs	r0, r2, #RCC_CFGR_SWS_SHIFT
	ands	r0, r5
	bne	9f
	lsrs	r0, r2, #RCC_CFGR_HPRE_DIV_SHIFT
	movs	r5, #1
	ands	r0, r5
	bne	9f
	ldr	r2, [r1, #RCC_CR]
	movs	r5, #7
	lsrs	r0, r2, #RCC_CR_HSIDIV_SHIFT
	ands	r0, r5
	cmp	r0, #1
	bhi	9f
	movs	r5, #1
	str	r5, [r3, #LOADER_CB_HCLK_FAST]
	/* HSI16 undivided, PLL off, range 1: the clock may rise */
	cmp	r0, #0
	bne	9f
	ldr	r5, =RCC_CR_PLLON
	tst	r2, r5
	bne	9f
	ldr	r2, [r1, #RCC_APBENR1]
	ldr	r5, =RCC_APBENR1_PWREN
	orrs	r5, r2
	str	r5, [r1, #RCC_APBENR1]
	ldr	r5, [r1, #RCC_APBENR1]
	ldr	r0, =PWR_CR1
	ldr	r0, [r0]
	str	r2, [r1, #RCC_APBENR1]
	lsrs	r0, r0, #PWR_CR1_VOS_SHIFT
	movs	r5, #3
	ands	r0, r5
	cmp	r0, #PWR_VOS_RANGE1
	bne	9f
	ldr	r0, =FLASH_BASE
	ldr	r0, [r0, #FLASH_ACR]
	str	r0, [r3, #LOADER_CB_SAVED_ACR]
	ldr	r0, [r1, #RCC_PLLCFGR]
	str	r0, [r3, #CB_SAVED_PLLCFGR]
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r3, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

/* clock_up for a CRC of r4 bytes: only when it is long. */
clock_up_long:
	ldr	r0, =LONG_CRC
	cmp	r4, r0
	bhs	clock_up
	bx	lr

/* Raises HCLK to 64 MHz if clock_probe found that possible and it has not
 * happened yet. Clobbers r0. */
clock_up:
	push	{r1, r2, r3}
	mov	r3, r11
	ldr	r0, [r3, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISE_NEEDED
	bne	9f
	/* two wait states, read back before the clock rises */
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_ACR]
	movs	r2, #FLASH_ACR_LATENCY_MASK
	bics	r0, r2
	adds	r0, #FLASH_ACR_LATENCY_64MHZ
	str	r0, [r1, #FLASH_ACR]
	ldr	r0, [r1, #FLASH_ACR]
	ldr	r1, =RCC_BASE
	ldr	r0, =RCC_PLLCFGR_64MHZ
	str	r0, [r1, #RCC_PLLCFGR]
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
	adds	r0, #RCC_CFGR_SW_PLLR
	str	r0, [r1, #RCC_CFGR]
	movs	r2, #RCC_CFGR_SWS_MASK
2:	ldr	r0, [r1, #RCC_CFGR]
	ands	r0, r2
	cmp	r0, #RCC_CFGR_SWS_PLLR
	bne	2b
	movs	r0, #CLOCK_RAISED
	str	r0, [r3, #LOADER_CB_CLOCK_STATE]
9:	pop	{r1, r2, r3}
	bx	lr

/* Back to HSISYS, the PLL off, RCC_PLLCFGR as it was, then the wait
 * states. Clobbers r0-r3. */
clock_down:
	mov	r3, r11
	ldr	r0, [r3, #LOADER_CB_CLOCK_STATE]
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
	ldr	r0, [r3, #CB_SAVED_PLLCFGR]
	str	r0, [r1, #RCC_PLLCFGR]
	ldr	r1, =FLASH_BASE
	ldr	r0, [r1, #FLASH_ACR]
	movs	r2, #FLASH_ACR_LATENCY_MASK
	bics	r0, r2
	ldr	r1, [r3, #LOADER_CB_SAVED_ACR]
	ands	r1, r2
	orrs	r0, r1
	ldr	r1, =FLASH_BASE
	str	r0, [r1, #FLASH_ACR]
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r3, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

	.ltorg
