/* l4-loader.S: Glint's on-target flash loader for the STM32L4 (RM0351).
 *
 * Runs from SRAM with r0 = the control block the host set up (layout in
 * glint-loader-abi.h, shared with the host) and sp inside SRAM. It works
 * through a ring of descriptors: the host fills a descriptor (op word last)
 * while the loader executes the previous one, so the USB/SWD transfer of the
 * next chunk overlaps programming of the current one. Each op is one of:
 * double-word programming, fast (row) programming, erase with a FLASH_CR
 * value chosen by the host, CRC-32 of a range, CRC-32 of every page of a
 * range, exit. On a flash error it records FLASH_SR's error flags and the
 * address, cleans the controller, restores the clock and stops at BKPT #1;
 * EXIT restores the clock and stops at BKPT #0.
 *
 * The CRC unit (RM0351 chapter 14) is set up for IEEE 802.3 CRC-32 as zlib
 * computes it: polynomial 0x04C11DB7, init 0xFFFFFFFF, input bit-reversed
 * by byte with each word byte-swapped first (so bytes enter in memory order),
 * output bit-reversed, final XOR done here.
 *
 * Fast programming needs HCLK >= 8 MHz (RM0351 3.3.7), and CRCs run faster
 * with a faster core. When the core runs from MSI below 24 MHz the loader
 * raises MSI to 24 MHz (range 9) after setting three flash wait states
 * (enough for 24 MHz in voltage range 1 and 2, RM0351 table 9) at the first
 * fast-programming op or long CRC, and puts both back at exit. Assembled with
 * arm-none-eabi-gcc; the bytes are checked in as l4-loader-blob.h. */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m4
	.thumb

/* The flash interface and RCC (another chip's through wx-loader.S:
 * 0x58004000 and 0x58000000 on the STM32WB and WL) */
#ifndef LOADER_FLASH_BASE
#define LOADER_FLASH_BASE 0x40022000
#endif
#ifndef LOADER_RCC_BASE
#define LOADER_RCC_BASE 0x40021000
#endif
/* The MSI range the clock is raised to and the wait states set first
 * (the L4's 24 MHz with three; 16 MHz with two on the WB and WL, enough in
 * either voltage range, RM0434 table 9, RM0453 table 10); whether the MSI
 * range is always RCC_CR's (the WB has no MSIRGSEL, RM0434 6.4.1) */
#ifndef LOADER_FAST_MSI_RANGE
#define LOADER_FAST_MSI_RANGE 9
#endif
#ifndef LOADER_FAST_LATENCY
#define LOADER_FAST_LATENCY 3
#endif

	.equ FLASH_BASE, LOADER_FLASH_BASE
	.equ FLASH_ACR, 0x00
	.equ FLASH_SR, 0x10
	.equ FLASH_CR, 0x14
	.equ FLASH_ACR_LATENCY_MASK, 0x7
	.equ FLASH_ACR_LATENCY_FAST, LOADER_FAST_LATENCY
	.equ FLASH_ACR_DCEN, (1 << 10)
	.equ FLASH_ACR_DCRST, (1 << 12)
	.equ FLASH_SR_BSY, (1 << 16)
	/* OPERR PROGERR WRPERR PGAERR SIZERR PGSERR MISERR FASTERR */
	.equ FLASH_SR_ERRORS, 0x3FA
	.equ FLASH_CR_PG, (1 << 0)
	.equ FLASH_CR_STRT, (1 << 16)
	.equ FLASH_CR_FSTPG, (1 << 18)
	.equ FLASH_CR_LOCK, (1 << 31)
	.equ FLASH_ROW_SIZE, 256

	.equ RCC_BASE, LOADER_RCC_BASE
	.equ RCC_CR, 0x00
	.equ RCC_CFGR, 0x08
	.equ RCC_AHB1ENR, 0x48
	.equ RCC_CSR, 0x94
	.equ RCC_CR_MSIRDY, (1 << 1)
	.equ RCC_CR_MSIRGSEL, (1 << 3)
	.equ RCC_CR_MSIRANGE_SHIFT, 4
	.equ RCC_CR_MSIRANGE_MASK, (0xF << 4)
	.equ RCC_CSR_MSISRANGE_SHIFT, 8
	.equ MSI_RANGE_FAST, LOADER_FAST_MSI_RANGE
	.equ RCC_CFGR_SWS_MASK, (3 << 2)
	.equ RCC_CFGR_SWS_MSI, (0 << 2)
	.equ RCC_CFGR_SWS_HSI16, (1 << 2)
	.equ RCC_CFGR_HPRE_MASK, (0xF << 4)
	.equ RCC_AHB1ENR_CRCEN, (1 << 12)

	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10
	.equ CRC_POL, 0x14
	.equ CRC_CR_RESET, (1 << 0)
	.equ CRC_CR_REV_IN_BYTE, (1 << 5)
	.equ CRC_CR_REV_OUT, (1 << 7)
	.equ CRC_POLY_IEEE, 0x04C11DB7

	/* CRCs at least this long are worth raising the clock for */
	.equ LONG_CRC, 0x10000
	/* LOADER_CB_CLOCK_STATE values */
	.equ CLOCK_UNTOUCHED, 0
	.equ CLOCK_RAISE_NEEDED, 1
	.equ CLOCK_RAISED, 2

	.equ IWDG_KR, 0x40003000
	.equ IWDG_KEY_RELOAD, 0xAAAA

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
	bl	clock_probe
	bl	crc_up
	/* stale flags would turn the first write into PGSERR */
	ldr	r0, [r8, #FLASH_SR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r0, r1
	str	r0, [r8, #FLASH_SR]
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
	beq	wait_desc
	ldr	r2, [r9, #LOADER_DESC_ADDR]
	ldr	r4, [r9, #LOADER_DESC_LEN]
	ldr	r3, [r9, #LOADER_DESC_ARG]
	cmp	r0, #LOADER_OP_PROGRAM
	beq	op_program
	cmp	r0, #LOADER_OP_PROGRAM_FAST
	beq	op_program_fast
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

/* Double words: r2 = flash address, r3 = source, r4 = bytes (multiple of
 * 8). Double words that are all ones stay erased and are skipped. */
op_program:
	bl	check_unlocked
	bl	wait_bsy
	movs	r0, #FLASH_CR_PG
	str	r0, [r8, #FLASH_CR]
1:	cbz	r4, 3f
	ldrd	r5, r6, [r3], #8
	and	r0, r5, r6
	adds	r0, #1
	beq	2f
	str	r5, [r2]
	str	r6, [r2, #4]
	bl	wait_bsy
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	bne	fail
2:	adds	r2, #8
	subs	r4, #8
	b	1b
3:	movs	r0, #0
	str	r0, [r8, #FLASH_CR]
	b	op_done

/* Rows of 32 double words written back to back (FSTPG): r2 = flash address
 * (row aligned), r3 = source, r4 = bytes (multiple of 256). The bank must
 * have been mass-erased; rows that are all ones are skipped. */
op_program_fast:
	bl	check_unlocked
	bl	clock_up
	bl	wait_bsy
	ldr	r0, =FLASH_CR_FSTPG
	str	r0, [r8, #FLASH_CR]
row:	cbz	r4, 4f
	mov	r0, #-1
	movs	r1, #0
1:	ldr	r5, [r3, r1]
	ands	r0, r5
	adds	r1, #4
	cmp	r1, #FLASH_ROW_SIZE
	bne	1b
	adds	r0, #1
	beq	3f
	mov	r12, r2
	movs	r7, #(FLASH_ROW_SIZE / 16)
2:	ldmia	r3!, {r0, r1, r5, r6}
	stmia	r2!, {r0, r1, r5, r6}
	subs	r7, #1
	bne	2b
	bl	wait_bsy
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	mov	r0, r2
	mov	r2, r12
	bne	fail
	mov	r2, r0
	subs	r4, #FLASH_ROW_SIZE
	b	row
3:	adds	r3, #FLASH_ROW_SIZE
	adds	r2, #FLASH_ROW_SIZE
	subs	r4, #FLASH_ROW_SIZE
	b	row
4:	movs	r0, #0
	str	r0, [r8, #FLASH_CR]
	b	op_done

/* Erase: r4 = FLASH_CR value (PER + PNB + BKER, or MER1/MER2), r2 = the
 * address it concerns (for the error report). */
op_erase:
	bl	check_unlocked
	bl	wait_bsy
	str	r4, [r8, #FLASH_CR]
	orr	r0, r4, #FLASH_CR_STRT
	str	r0, [r8, #FLASH_CR]
	bl	wait_bsy
	movs	r1, #0
	str	r1, [r8, #FLASH_CR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	bne	fail
	b	op_done

/* CRC-32 of r4 bytes at r2, stored in the descriptor's arg word. */
op_crc:
	cmp	r4, #LONG_CRC
	it	hs
	blhs	clock_up
	bl	flush_dcache
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
	bl	flush_dcache
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

/* r1 = error flags (FLASH_SR bits or LOADER_ERR_*), r2 = address. */
fail:
	str	r2, [r11, #LOADER_CB_ERROR_ADDR]
	str	r1, [r11, #LOADER_CB_ERROR]
	/* leave the controller clean: no PG/FSTPG/PER/MER, no error flags */
	movs	r0, #0
	str	r0, [r8, #FLASH_CR]
	ldr	r0, [r8, #FLASH_SR]
	ldr	r1, =FLASH_SR_ERRORS
	ands	r0, r1
	str	r0, [r8, #FLASH_SR]
	bl	crc_down
	bl	clock_down
	bkpt	#1
	b	fail

/* Fails with LOADER_ERR_LOCKED (address r2) unless FLASH_CR is unlocked:
 * the host unlocks before it queues erases or programming; CRC ops work on
 * a locked controller. */
check_unlocked:
	ldr	r0, [r8, #FLASH_CR]
	tst	r0, #FLASH_CR_LOCK
	it	eq
	bxeq	lr
	ldr	r1, =LOADER_ERR_LOCKED
	b	fail

/* Returns FLASH_SR in r0 once BSY is clear. */
wait_bsy:
	ldr	r0, [r8, #FLASH_SR]
	tst	r0, #FLASH_SR_BSY
	bne	wait_bsy
	bx	lr

/* The data cache may hold lines read before an erase or a program. */
flush_dcache:
	ldr	r0, [r8, #FLASH_ACR]
	tst	r0, #FLASH_ACR_DCEN
	beq	1f
	bic	r1, r0, #FLASH_ACR_DCEN
	str	r1, [r8, #FLASH_ACR]
	orr	r1, r1, #FLASH_ACR_DCRST
	str	r1, [r8, #FLASH_ACR]
	bic	r1, r1, #FLASH_ACR_DCRST
	str	r1, [r8, #FLASH_ACR]
	str	r0, [r8, #FLASH_ACR]
1:	bx	lr

/* CRC-32 of r4 bytes at r2 into r0; r2 ends past the range. Clobbers r1,
 * r4, r5, r6, r12. */
crc_range:
	ldr	r12, =CRC_BASE
	movs	r0, #(CRC_CR_RESET | CRC_CR_REV_IN_BYTE | CRC_CR_REV_OUT)
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
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_AHB1ENR]
	str	r0, [r11, #LOADER_CB_SAVED_AHB1ENR]
	orr	r0, r0, #RCC_AHB1ENR_CRCEN
	str	r0, [r1, #RCC_AHB1ENR]
	ldr	r1, =CRC_BASE
	mov	r0, #-1
	str	r0, [r1, #CRC_INIT]
	ldr	r0, =CRC_POLY_IEEE
	str	r0, [r1, #CRC_POL]
	bx	lr

crc_down:
	ldr	r1, =RCC_BASE
	ldr	r0, [r11, #LOADER_CB_SAVED_AHB1ENR]
	tst	r0, #RCC_AHB1ENR_CRCEN
	bne	1f
	ldr	r0, [r1, #RCC_AHB1ENR]
	bic	r0, r0, #RCC_AHB1ENR_CRCEN
	str	r0, [r1, #RCC_AHB1ENR]
1:	bx	lr

/* Looks at the clock without changing it: LOADER_CB_HCLK_FAST = 1 when HCLK
 * is >= 8 MHz or can be made so (MSI below 24 MHz and ready), and
 * LOADER_CB_CLOCK_STATE = CLOCK_RAISE_NEEDED in the second case. */
clock_probe:
	ldr	r1, =RCC_BASE
	movs	r0, #CLOCK_UNTOUCHED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
	movs	r0, #0
	str	r0, [r11, #LOADER_CB_HCLK_FAST]
	ldr	r3, [r1, #RCC_CR]
	ldr	r4, [r8, #FLASH_ACR]
	str	r4, [r11, #LOADER_CB_SAVED_ACR]
	ldr	r5, [r1, #RCC_CFGR]
	/* an AHB prescaler divides HCLK by an amount we do not chase */
	tst	r5, #RCC_CFGR_HPRE_MASK
	bne	9f
	and	r6, r5, #RCC_CFGR_SWS_MASK
	cmp	r6, #RCC_CFGR_SWS_HSI16
	beq	8f
	cmp	r6, #RCC_CFGR_SWS_MSI
	bne	9f	/* HSE or PLL: frequency unknown here, stay with double words */
#ifdef LOADER_MSI_CR_ONLY
	ubfx	r6, r3, #RCC_CR_MSIRANGE_SHIFT, #4
#else
	/* the MSI range in force: RCC_CR when MSIRGSEL, else RCC_CSR */
	tst	r3, #RCC_CR_MSIRGSEL
	ubfx	r6, r3, #RCC_CR_MSIRANGE_SHIFT, #4
	bne	1f
	ldr	r6, [r1, #RCC_CSR]
	ubfx	r6, r6, #RCC_CSR_MSISRANGE_SHIFT, #4
#endif
1:	str	r6, [r11, #LOADER_CB_SAVED_MSIRANGE]
	cmp	r6, #MSI_RANGE_FAST
	bhs	8f
	/* MSIRANGE may only change while MSI is ready */
	tst	r3, #RCC_CR_MSIRDY
	beq	9f
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
8:	movs	r0, #1
	str	r0, [r11, #LOADER_CB_HCLK_FAST]
9:	bx	lr

/* Raises MSI to 24 MHz if clock_probe found that necessary and it has not
 * happened yet: three wait states first, then the range (RM0351 3.3.3).
 * Done only when fast programming or a long CRC needs it, so small jobs
 * leave the clock alone. Clobbers r0, r1, r6, r12. */
clock_up:
	ldr	r0, [r11, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISE_NEEDED
	bne	9f
	ldr	r1, =RCC_BASE
	ldr	r12, [r8, #FLASH_ACR]
	and	r6, r12, #FLASH_ACR_LATENCY_MASK
	cmp	r6, #FLASH_ACR_LATENCY_FAST
	bhs	2f
	bic	r6, r12, #FLASH_ACR_LATENCY_MASK
	orr	r6, r6, #FLASH_ACR_LATENCY_FAST
	str	r6, [r8, #FLASH_ACR]
	ldr	r6, [r8, #FLASH_ACR]
2:	ldr	r12, [r1, #RCC_CR]
	bic	r6, r12, #RCC_CR_MSIRANGE_MASK
#ifdef LOADER_MSI_CR_ONLY
	orr	r6, r6, #(MSI_RANGE_FAST << RCC_CR_MSIRANGE_SHIFT)
#else
	orr	r6, r6, #((MSI_RANGE_FAST << RCC_CR_MSIRANGE_SHIFT) | RCC_CR_MSIRGSEL)
#endif
	str	r6, [r1, #RCC_CR]
3:	ldr	r6, [r1, #RCC_CR]
	tst	r6, #RCC_CR_MSIRDY
	beq	3b
	movs	r0, #CLOCK_RAISED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

/* Puts back the MSI range, then the wait states (frequency first on the
 * way down). MSIRGSEL cannot be cleared by software, so the old range is
 * written into MSIRANGE. */
clock_down:
	ldr	r0, [r11, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISED
	bne	2f
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_CR]
	bic	r0, r0, #RCC_CR_MSIRANGE_MASK
	ldr	r6, [r11, #LOADER_CB_SAVED_MSIRANGE]
	orr	r0, r0, r6, lsl #RCC_CR_MSIRANGE_SHIFT
#ifndef LOADER_MSI_CR_ONLY
	orr	r0, r0, #RCC_CR_MSIRGSEL
#endif
	str	r0, [r1, #RCC_CR]
1:	ldr	r0, [r1, #RCC_CR]
	tst	r0, #RCC_CR_MSIRDY
	beq	1b
	ldr	r0, [r8, #FLASH_ACR]
	bic	r0, r0, #FLASH_ACR_LATENCY_MASK
	ldr	r6, [r11, #LOADER_CB_SAVED_ACR]
	and	r6, r6, #FLASH_ACR_LATENCY_MASK
	orr	r0, r0, r6
	str	r0, [r8, #FLASH_ACR]
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
2:	bx	lr

	.ltorg
