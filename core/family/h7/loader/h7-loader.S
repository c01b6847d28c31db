/* h7-loader.S: Glint's on-target flash loader for the STM32H7 (RM0433,
 * RM0455, RM0468), for the Cortex-M7.
 *
 * Runs from the DTCM (0x20000000: no cache between it and the core, so the
 * buffers the host writes are what the core reads) with r0 = the control
 * block (layout in glint-loader-abi.h) and sp inside the DTCM. It works
 * through a ring of descriptors as every Glint loader does: the host fills
 * the next descriptor (op word last) while this one executes, so the
 * transfer of the next chunk overlaps programming of the current one.
 *
 * Ops: programming whole flash words (32 bytes, or 16 on the H7A3/H7B0/
 * H7B3), skipping words that are all ones and refusing a word that is not
 * erased (a second write would corrupt its ECC); erase with a FLASH_CRx
 * value chosen by the host, bit 31 naming physical bank 2 and bit 30 both
 * banks at once (they erase in parallel); CRC-32 of a range; CRC-32 of
 * every sector of a range; exit.
 *
 * The chip variant comes from the sector size the host puts in PAGE_SIZE:
 * 8 KB sectors are the H7A3/H7B0/H7B3 (RM0455: FW bit 4, START bit 5, no
 * PSIZE, 16-byte words); otherwise RM0433/RM0468 (FW bit 6, START bit 7,
 * PSIZE x64, 32-byte words). The bank an address belongs to depends on
 * FLASH_OPTCR.SWAP_BANK: the register set is the physical bank's.
 *
 * On a flash error the loader reports FLASH_SRx[28:16] shifted down to
 * bits 12:0 (the ABI's ERROR word holds 24 bits; SR errors sit at 17-28),
 * bit 15 for a word found not erased, and the address; it clears the flags
 * through FLASH_CCRx, clears PG and stops at BKPT #1. EXIT stops at BKPT #0.
 *
 * CRCs use the CRC unit (RM0433 chapter 20: polynomial 0x04C11DB7, init
 * 0xFFFFFFFF, input reversed by byte after a byte swap, output reversed,
 * final XOR here: zlib's CRC-32). The data cache, if the firmware enabled
 * it, may hold flash lines from before an erase: they are invalidated by
 * address before a CRC (flash is never dirty in the cache). Assembled with
 * arm-none-eabi-gcc; the bytes are checked in as h7-loader-blob.h. */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m7
	.thumb

	.equ FLASH_REGS, 0x52002000
	.equ FLASH_BANK2, 0x100
	.equ FLASH_CR, 0x0C
	.equ FLASH_SR, 0x10
	.equ FLASH_CCR, 0x14
	.equ FLASH_OPTCR, 0x18
	.equ FLASH_OPTCR_SWAP_BANK, (1 << 31)
	.equ FLASH_CR_LOCK, (1 << 0)
	.equ FLASH_CR_PG, (1 << 1)
	.equ FLASH_CR_PSIZE_X64, (3 << 4)
	.equ FLASH_SR_BUSY, 0x5		/* BSY | QW */
	/* WRPERR PGSERR STRBERR INCERR OPERR RDPERR RDSERR DBECCERR CRCRDERR */
	.equ FLASH_SR_ERRORS, 0x15EE0000
	.equ FLASH_SR_FLAGS, 0x1FFF0000
	.equ FLASH_BANK2_BASE, 0x08100000
	.equ ERR_NOT_ERASED, (1 << 15)
	.equ ERASE_BANK2, (1 << 31)
	.equ ERASE_BOTH, (1 << 30)
	.equ SECTOR_8K, 0x2000

	/* loader-private words of the control block (unused by the ABI) */
	.equ CB_START, 0x2C		/* FLASH_CR.START of this chip */
	.equ CB_PG, 0x30		/* PG, with PSIZE where the chip has it */
	.equ CB_WORD, 0x34		/* flash word in bytes */

	.equ RCC_AHB4ENR, 0x580244E0
	.equ RCC_AHB4ENR_CRCEN, (1 << 19)
	.equ CRC_BASE, 0x58024C00
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10
	.equ CRC_POL, 0x14
	.equ CRC_CR_SETUP, 0xA1		/* RESET | REV_IN byte | REV_OUT */
	.equ CRC_POLY_IEEE, 0x04C11DB7

	.equ SCB_CCR, 0xE000ED14
	.equ SCB_CCR_DC, (1 << 16)
	.equ SCB_DCIMVAC, 0xE000EF5C
	.equ CACHE_LINE, 32

	.equ IWDG1_KR, 0x58004800
	.equ IWDG_KEY_RELOAD, 0xAAAA

/* Register use throughout: r8 = FLASH_REGS, r9 = current descriptor,
 * r10 = descriptor index, r11 = control block. */

	.section .text.entry, "ax"
	.global loader_entry
	.type loader_entry, %function
loader_entry:
	mov	r11, r0
	ldr	r8, =FLASH_REGS
	movs	r0, #0
	str	r0, [r11, #LOADER_CB_DONE]
	str	r0, [r11, #LOADER_CB_ERROR]
	str	r0, [r11, #LOADER_CB_ERROR_ADDR]
	str	r0, [r11, #LOADER_CB_HCLK_FAST]
	/* the chip variant, from the sector size */
	ldr	r0, [r11, #LOADER_CB_PAGE_SIZE]
	cmp	r0, #SECTOR_8K
	ittee	eq
	moveq	r1, #(1 << 5)
	moveq	r2, #FLASH_CR_PG
	movne	r1, #(1 << 7)
	movne	r2, #(FLASH_CR_PG | FLASH_CR_PSIZE_X64)
	ite	eq
	moveq	r3, #16
	movne	r3, #32
	str	r1, [r11, #CB_START]
	str	r2, [r11, #CB_PG]
	str	r3, [r11, #CB_WORD]
	bl	crc_up
	/* flags an earlier operation left would read as ours */
	movs	r0, #0
	bl	clear_flags
	movs	r0, #1
	bl	clear_flags
	ldr	r0, =LOADER_MAGIC
	str	r0, [r11, #LOADER_CB_MAGIC]
	mov	r10, #0

next_desc:
	add	r9, r11, #LOADER_CB_DESC
	add	r9, r9, r10, lsl #4
	/* the watchdog may have been started by the firmware before the halt */
	ldr	r0, =IWDG1_KR
	ldr	r1, =IWDG_KEY_RELOAD
	str	r1, [r0]
wait_desc:
	ldr	r0, [r9, #LOADER_DESC_OP]
	cmp	r0, #LOADER_OP_NONE
	bne	1f
	/* nothing yet: a short pause between polls (0.5 us at 64 MHz), so
	 * that the wait is a few long straight runs rather than a tight loop
	 * (an emulator pays per branch, silicon does not care) */
	.rept	32
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
	cmp	r0, #LOADER_OP_PROGRAM_PAIR
	beq	op_program_pair
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
	bl	complete
	b	next_desc

/* The descriptor at r9 is done: clear it, count it, step to the next slot. */
complete:
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
	bx	lr

/* Programming, one descriptor (PROGRAM) or two at once (PROGRAM_PAIR: the
 * next descriptor, a PROGRAM, writes the other bank). A cursor per bank
 * (r2 flash address, r3 source, r4 bytes left, r7 the bank's registers)
 * lives in a frame on the stack: A at sp, B at sp+16 (B's bytes left 0 for
 * a single descriptor), B's descriptor at sp+32 (0: none). The loop gives
 * each bank its next word as soon as that bank has finished the last one,
 * so both banks program at the same time (RM0433 4.3.2: each bank has its
 * own write buffer, QW and BSY). */
	.equ FRAME_B, 16
	.equ FRAME_B_LEFT, 24
	.equ FRAME_B_DESC, 32
	.equ FRAME_SIZE, 40
op_program_pair:
	/* the other half is published right after this one */
	add	r0, r10, #1
	ldr	r1, [r11, #LOADER_CB_N_SLOTS]
	cmp	r0, r1
	it	hs
	movhs	r0, #0
	add	r5, r11, #LOADER_CB_DESC
	add	r5, r5, r0, lsl #4
1:	ldr	r0, [r5, #LOADER_DESC_OP]
	cmp	r0, #LOADER_OP_NONE
	beq	1b
	dmb
	cmp	r0, #LOADER_OP_PROGRAM
	itt	ne
	ldrne	r1, =LOADER_ERR_BAD_OP
	bne	fail
	sub	sp, #FRAME_SIZE
	str	r5, [sp, #FRAME_B_DESC]
	ldr	r2, [r5, #LOADER_DESC_ADDR]
	ldr	r4, [r5, #LOADER_DESC_LEN]
	ldr	r3, [r5, #LOADER_DESC_ARG]
	bl	cursor_open
	add	r0, sp, #FRAME_B
	stm	r0, {r2, r3, r4, r7}
	ldr	r2, [r9, #LOADER_DESC_ADDR]
	ldr	r4, [r9, #LOADER_DESC_LEN]
	ldr	r3, [r9, #LOADER_DESC_ARG]
	b	program_a
op_program:
	sub	sp, #FRAME_SIZE
	movs	r0, #0
	str	r0, [sp, #FRAME_B_LEFT]
	str	r0, [sp, #FRAME_B_DESC]
program_a:
	bl	cursor_open
	stm	sp, {r2, r3, r4, r7}
	ldr	r6, [r11, #CB_WORD]
program_loop:
	ldm	sp, {r2, r3, r4, r7}
	bl	word_step
	stm	sp, {r2, r3, r4, r7}
	add	r0, sp, #FRAME_B
	ldm	r0, {r2, r3, r4, r7}
	bl	word_step
	add	r0, sp, #FRAME_B
	stm	r0, {r2, r3, r4, r7}
	ldr	r0, [sp, #8]
	ldr	r1, [sp, #FRAME_B_LEFT]
	orrs	r0, r1
	bne	program_loop
	/* every word written: the last of each bank must program too */
	ldm	sp, {r2, r3, r4, r7}
	bl	cursor_close
	ldr	r5, [sp, #FRAME_B_DESC]
	cbz	r5, 1f
	add	r0, sp, #FRAME_B
	ldm	r0, {r2, r3, r4, r7}
	bl	cursor_close
1:	add	sp, #FRAME_SIZE
	bl	complete
	cbz	r5, 2f
	mov	r9, r5
	bl	complete
2:	b	next_desc

/* r2 = a flash address: r7 = its bank's registers, unlocked and idle, PG
 * set (with PSIZE where the chip has it). */
cursor_open:
	push	{lr}
	mov	r0, r2
	bl	bank_of
	mov	r7, r0
	bl	check_unlocked
	bl	wait_idle
	ldr	r0, [r11, #CB_PG]
	str	r0, [r7, #FLASH_CR]
	pop	{pc}

/* The next flash word of the cursor in r2/r3/r4/r7 (r6 = word size), if
 * any: words of all ones stay erased and are skipped; the bank's previous
 * word must have programmed, and the destination must be erased (ECC
 * allows one write per erase). Returns once the word sits in the bank's
 * write buffer, which programs it on its own. Clobbers r0, r1, r5. */
word_step:
	cbz	r4, 9f
	push	{lr}
1:	mov	r0, #-1
	movs	r1, #0
2:	ldr	r5, [r3, r1]
	ands	r0, r5
	adds	r1, #4
	cmp	r1, r6
	bne	2b
	adds	r0, #1
	bne	3f
	add	r2, r6
	add	r3, r6
	subs	r4, r6
	bne	1b
	pop	{pc}
3:	bl	wait_idle
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	itt	ne
	subne	r2, r6
	bne	fail_flags
	mov	r0, #-1
	movs	r1, #0
4:	ldr	r5, [r2, r1]
	ands	r0, r5
	adds	r1, #4
	cmp	r1, r6
	bne	4b
	adds	r0, #1
	itt	ne
	ldrne	r1, =ERR_NOT_ERASED
	bne	fail_bank
	/* the word, in order; the write buffer programs it when full */
	movs	r1, #0
5:	ldr	r5, [r3, r1]
	str	r5, [r2, r1]
	adds	r1, #4
	cmp	r1, r6
	bne	5b
	dsb
	add	r2, r6
	add	r3, r6
	subs	r4, r6
	pop	{pc}
9:	bx	lr

/* The cursor's bank is done: wait for its last word, clear PG, report
 * what went wrong with that word (r2 points past it). */
cursor_close:
	push	{lr}
	bl	wait_idle
	movs	r1, #0
	str	r1, [r7, #FLASH_CR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	itt	ne
	subne	r2, r6
	bne	fail_flags
	pop	{pc}

/* Erase: r4 = FLASH_CRx value (SER + SNB, or BER; bit 31 bank 2, bit 30
 * both banks), r2 = the address it concerns (for the error report). */
op_erase:
	ldr	r5, [r11, #CB_START]
	tst	r4, #ERASE_BOTH
	bne	erase_both
	add	r7, r8, #0
	tst	r4, #ERASE_BANK2
	it	ne
	addne	r7, r8, #FLASH_BANK2
	bic	r4, r4, #(ERASE_BANK2 | ERASE_BOTH)
	bl	check_unlocked
	bl	wait_idle
	str	r4, [r7, #FLASH_CR]
	orr	r0, r4, r5
	str	r0, [r7, #FLASH_CR]
	bl	wait_idle
	movs	r1, #0
	str	r1, [r7, #FLASH_CR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	bne	fail_flags
	b	op_done

erase_both:
	bic	r4, r4, #(ERASE_BANK2 | ERASE_BOTH)
	add	r7, r8, #0
	bl	check_unlocked
	bl	wait_idle
	add	r7, r8, #FLASH_BANK2
	bl	check_unlocked
	bl	wait_idle
	/* start both, then wait for both: they erase at the same time */
	str	r4, [r8, #FLASH_CR]
	str	r4, [r7, #FLASH_CR]
	orr	r0, r4, r5
	str	r0, [r8, #FLASH_CR]
	str	r0, [r7, #FLASH_CR]
	add	r7, r8, #0
	bl	wait_idle
	movs	r1, #0
	str	r1, [r7, #FLASH_CR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	bne	fail_flags
	add	r7, r8, #FLASH_BANK2
	ldr	r2, =FLASH_BANK2_BASE
	bl	wait_idle
	movs	r1, #0
	str	r1, [r7, #FLASH_CR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	bne	fail_flags
	b	op_done

/* CRC-32 of r4 bytes at r2, stored in the descriptor's arg word. */
op_crc:
	bl	invalidate_dcache
	bl	crc_range
	str	r0, [r9, #LOADER_DESC_ARG]
	b	op_done

/* CRC-32 of each of r4 sectors (size from the control block) from r2,
 * stored as words from r3. */
op_page_crcs:
	ldr	r0, [r11, #LOADER_CB_PAGE_SIZE]
	mul	r0, r0, r4
	mov	r7, r4
	mov	r4, r0
	bl	invalidate_dcache
1:	cmp	r7, #0
	beq	op_done
	ldr	r4, [r11, #LOADER_CB_PAGE_SIZE]
	bl	crc_range
	str	r0, [r3], #4
	subs	r7, #1
	b	1b

op_exit:
	bl	crc_down
	movs	r0, #LOADER_OP_NONE
	str	r0, [r9, #LOADER_DESC_OP]
	ldr	r0, [r11, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r11, #LOADER_CB_DONE]
	bkpt	#0
	b	op_exit

/* r0 = FLASH_SRx of the bank at r7 with error flags in r1: report them
 * shifted to bits 12:0. */
fail_flags:
	ldr	r1, =FLASH_SR_FLAGS
	ands	r1, r0
	lsrs	r1, r1, #16
/* r1 = error word, r7 = the bank's registers, r2 = address. */
fail_bank:
	str	r2, [r11, #LOADER_CB_ERROR_ADDR]
	str	r1, [r11, #LOADER_CB_ERROR]
	movs	r0, #0
	str	r0, [r7, #FLASH_CR]
	ldr	r0, [r7, #FLASH_SR]
	ldr	r12, =FLASH_SR_FLAGS
	and	r0, r0, r12
	str	r0, [r7, #FLASH_CCR]
	bl	crc_down
1:	bkpt	#1
	b	1b

/* r1 = LOADER_ERR_*, r2 = address: not about one bank. */
fail:
	str	r2, [r11, #LOADER_CB_ERROR_ADDR]
	str	r1, [r11, #LOADER_CB_ERROR]
	movs	r0, #0
	str	r0, [r8, #FLASH_CR]
	bl	crc_down
1:	bkpt	#1
	b	1b

/* r0 = a flash address: r0 = the registers of its physical bank. */
bank_of:
	ldr	r1, =FLASH_BANK2_BASE
	cmp	r0, r1
	ite	hs
	movhs	r0, #1
	movlo	r0, #0
	ldr	r1, [r8, #FLASH_OPTCR]
	lsrs	r1, r1, #31
	eors	r0, r1
	add	r0, r8, r0, lsl #8
	bx	lr

/* r0 = 0 or 1: clears every flag of that bank through FLASH_CCRx. */
clear_flags:
	add	r1, r8, r0, lsl #8
	ldr	r0, [r1, #FLASH_SR]
	ldr	r12, =FLASH_SR_FLAGS
	and	r0, r0, r12
	str	r0, [r1, #FLASH_CCR]
	bx	lr

/* Fails with LOADER_ERR_LOCKED (address r2) unless the FLASH_CRx at r7 is
 * unlocked: the host unlocks before it queues erases or programming. */
check_unlocked:
	ldr	r0, [r7, #FLASH_CR]
	tst	r0, #FLASH_CR_LOCK
	it	eq
	bxeq	lr
	ldr	r1, =LOADER_ERR_LOCKED
	b	fail

/* Returns FLASH_SRx (at r7) in r0 once BSY and QW are clear. */
wait_idle:
	ldr	r0, [r7, #FLASH_SR]
	tst	r0, #FLASH_SR_BUSY
	bne	wait_idle
	bx	lr

/* Invalidates the data-cache lines of r4 bytes at r2 if the cache is on
 * (ARMv7-M B2.2.7, DCIMVAC). Clobbers r0, r1, r5. */
invalidate_dcache:
	ldr	r0, =SCB_CCR
	ldr	r0, [r0]
	tst	r0, #SCB_CCR_DC
	beq	2f
	ldr	r0, =SCB_DCIMVAC
	bic	r1, r2, #(CACHE_LINE - 1)
	add	r5, r2, r4
	dsb
1:	str	r1, [r0]
	adds	r1, #CACHE_LINE
	cmp	r1, r5
	blo	1b
	dsb
	isb
2:	bx	lr

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

/* Clock the CRC unit (RCC_AHB4ENR.CRCEN) and set the IEEE polynomial and
 * seed (the firmware may have left others). */
crc_up:
	ldr	r1, =RCC_AHB4ENR
	ldr	r0, [r1]
	str	r0, [r11, #LOADER_CB_SAVED_AHB1ENR]
	orr	r0, r0, #RCC_AHB4ENR_CRCEN
	str	r0, [r1]
	ldr	r1, =CRC_BASE
	mov	r0, #-1
	str	r0, [r1, #CRC_INIT]
	ldr	r0, =CRC_POLY_IEEE
	str	r0, [r1, #CRC_POL]
	bx	lr

crc_down:
	ldr	r1, =RCC_AHB4ENR
	ldr	r0, [r11, #LOADER_CB_SAVED_AHB1ENR]
	tst	r0, #RCC_AHB4ENR_CRCEN
	bne	1f
	ldr	r0, [r1]
	bic	r0, r0, #RCC_AHB4ENR_CRCEN
	str	r0, [r1]
1:	bx	lr

	.ltorg
