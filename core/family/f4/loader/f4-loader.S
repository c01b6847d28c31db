/* f4-loader.S: Glint's on-target flash loader for the STM32F2, F4 and F7
 * (RM0033, RM0090, RM0410 and siblings: one flash controller design).
 *
 * Runs from SRAM with r0 = the control block the host set up (layout in
 * glint-loader-abi.h) and works through its ring of descriptors while the
 * host fills the next one, so the USB/SWD transfer of a chunk overlaps the
 * programming of the previous one. Ops: programming at the parallelism the
 * host chose (FLASH_CR.PSIZE as the host left it before starting the
 * loader: x8, x16 or x32, every access of exactly that width, erased units
 * skipped), erase with a FLASH_CR value chosen by the host (SER + SNB +
 * PSIZE, MER, MER1/MER2), CRC-32 of a range, CRC-32 of every page of a
 * range, exit. On a flash error it records FLASH_SR's error flags and the
 * address, cleans the controller, restores the clock and stops at BKPT #1;
 * EXIT restores the clock and stops at BKPT #0. Thumb-2 for the Cortex-M3
 * (F2), so the same bytes run on the M4 and the M7.
 *
 * CRC-32 as zlib computes it (IEEE 802.3, reflected) from the CRC unit at
 * 0x40023000 (RM0090 chapter 4), which has a fixed polynomial 0x04C11DB7,
 * starts from 0xFFFFFFFF and shifts words in MSB first: each word goes in
 * bit-reversed (RBIT), so the bytes enter in memory order, LSB first; the
 * reflected state is the bit-reversed register. Bytes that do not fill a
 * word (and ranges that do not start on one) are done in software from
 * that state. The F7's unit has a programmable polynomial and seed: the
 * loader sets them to these values (reserved addresses on the F2/F4).
 *
 * The F7 reads flash for CRCs through its ITCM interface (0x00200000),
 * which the core's data cache does not hold: lines cached before an erase
 * would otherwise be read back.
 *
 * Clock: a CRC of 64 KiB or more runs faster at a faster clock. When the
 * core runs from HSI (16 MHz after reset, RM0090 6.2) with the PLL off and
 * no AHB prescaler, the loader raises HCLK to 48 MHz (HSI / 16 * 192 / 4,
 * a VCO of 192 MHz that every line accepts) after setting three flash wait
 * states (enough at 48 MHz from 1.8 V, RM0090 table 11) and APB1 / 2 (the
 * F4's APB1 runs at 42 MHz at most), and puts all of it back at exit. A
 * clock set up by the firmware (HSE, PLL) is left alone. */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m3
	.thumb

	.equ FLASH_BASE, 0x40023C00
	.equ FLASH_ACR, 0x00
	.equ FLASH_SR, 0x0C
	.equ FLASH_CR, 0x10
	.equ FLASH_ACR_LATENCY_MASK, 0xF
	.equ FLASH_ACR_LATENCY_3WS, 0x3
	.equ FLASH_ACR_DCEN, (1 << 10)
	.equ FLASH_ACR_DCRST, (1 << 12)
	.equ FLASH_SR_BSY, (1 << 16)
	/* OPERR WRPERR PGAERR PGPERR PGSERR RDERR */
	.equ FLASH_SR_ERRORS, 0x1F2
	.equ FLASH_CR_PG, (1 << 0)
	.equ FLASH_CR_PSIZE_MASK, (3 << 8)
	.equ FLASH_CR_STRT, (1 << 16)
	.equ FLASH_CR_LOCK, (1 << 31)

	.equ RCC_BASE, 0x40023800
	.equ RCC_CR, 0x00
	.equ RCC_PLLCFGR, 0x04
	.equ RCC_CFGR, 0x08
	.equ RCC_AHB1ENR, 0x30
	.equ RCC_CR_HSIRDY, (1 << 1)
	.equ RCC_CR_PLLON, (1 << 24)
	.equ RCC_CR_PLLRDY, (1 << 25)
	.equ RCC_CFGR_SW_MASK, 0x3
	.equ RCC_CFGR_SW_PLL, 0x2
	.equ RCC_CFGR_SWS_MASK, (3 << 2)
	.equ RCC_CFGR_SWS_PLL, (2 << 2)
	.equ RCC_CFGR_HPRE_MASK, (0xF << 4)
	.equ RCC_CFGR_PPRE1_MASK, (7 << 10)
	.equ RCC_CFGR_PPRE1_DIV2, (4 << 10)
	/* PLLM 16, PLLN 192, PLLP /4, PLLSRC HSI; Q (and R on the F76x) kept */
	.equ RCC_PLLCFGR_48MHZ, 0x00013010
	.equ RCC_PLLCFGR_KEEP, 0xFF000000
	.equ RCC_AHB1ENR_CRCEN, (1 << 12)

	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10
	.equ CRC_POL, 0x14
	.equ CRC_CR_RESET, (1 << 0)
	.equ CRC_POLY_IEEE, 0x04C11DB7
	.equ CRC_POLY_REFLECTED, 0xEDB88320

	/* the F7's core (CPUID part number) reads flash through ITCM */
	.equ SCB_CPUID, 0xE000ED00
	.equ CPUID_PARTNO_M7, 0xC27
	.equ FLASH_AXIM, 0x08000000
	.equ FLASH_AXIM_END, 0x10000000
	.equ FLASH_ITCM_OFFSET, (0x08000000 - 0x00200000)

	.equ IWDG_KR, 0x40003000
	.equ IWDG_KEY_RELOAD, 0xAAAA

	/* CRCs at least this long are worth raising the clock for */
	.equ LONG_CRC, 0x10000
	.equ CLOCK_UNTOUCHED, 0
	.equ CLOCK_RAISE_NEEDED, 1
	.equ CLOCK_RAISED, 2

	/* control block words this loader owns (the ABI leaves 0x20-0x3F to
	 * the family's loader) */
	.equ CB_PSIZE, 0x20
	.equ CB_SAVED_ACR, 0x24
	.equ CB_SAVED_AHB1ENR, 0x28
	.equ CB_SAVED_PLLCFGR, 0x2C
	.equ CB_SAVED_CFGR, 0x30
	.equ CB_FLASH_READ_OFFSET, 0x34

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
	/* no fast (row) programming on this family */
	str	r0, [r11, #LOADER_CB_HCLK_FAST]
	/* the parallelism the host chose */
	ldr	r0, [r8, #FLASH_CR]
	and	r0, r0, #FLASH_CR_PSIZE_MASK
	str	r0, [r11, #CB_PSIZE]
	/* CRC reads go through ITCM on a Cortex-M7 */
	movs	r0, #0
	ldr	r1, =SCB_CPUID
	ldr	r1, [r1]
	ubfx	r1, r1, #4, #12
	movw	r2, #CPUID_PARTNO_M7
	cmp	r1, r2
	it	eq
	ldreq	r0, =FLASH_ITCM_OFFSET
	str	r0, [r11, #CB_FLASH_READ_OFFSET]
	bl	clock_probe
	bl	crc_up
	/* stale flags would be read as this loader's failure */
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

/* r2 = flash address, r3 = source, r4 = bytes (a multiple of the unit).
 * Every access is of the PSIZE width (another width raises PGPERR); units
 * that are all ones stay erased and are skipped. */
op_program:
	bl	check_unlocked
	bl	wait_bsy
	ldr	r0, [r11, #CB_PSIZE]
	orr	r0, r0, #FLASH_CR_PG
	str	r0, [r8, #FLASH_CR]
	ubfx	r7, r0, #8, #2
	movs	r6, #1
	lsls	r6, r6, r7
1:	cbz	r4, 5f
	cmp	r7, #1
	beq	2f
	bhi	3f
	ldrb	r5, [r3]
	cmp	r5, #0xFF
	beq	4f
	strb	r5, [r2]
	b	6f
2:	ldrh	r5, [r3]
	movw	r0, #0xFFFF
	cmp	r5, r0
	beq	4f
	strh	r5, [r2]
	b	6f
3:	ldr	r5, [r3]
	adds	r0, r5, #1
	beq	4f
	str	r5, [r2]
6:	dsb
	bl	wait_bsy
	ldr	r1, =FLASH_SR_ERRORS
	ands	r1, r0
	bne	fail
4:	add	r2, r2, r6
	add	r3, r3, r6
	subs	r4, r4, r6
	b	1b
5:	ldr	r0, [r11, #CB_PSIZE]
	str	r0, [r8, #FLASH_CR]
	b	op_done

/* r4 = FLASH_CR value (SER + SNB + PSIZE, or MER bits + PSIZE), r2 = the
 * address it concerns (for the error report). */
op_erase:
	bl	check_unlocked
	bl	wait_bsy
	str	r4, [r8, #FLASH_CR]
	orr	r0, r4, #FLASH_CR_STRT
	str	r0, [r8, #FLASH_CR]
	bl	wait_bsy
	ldr	r1, [r11, #CB_PSIZE]
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
	/* leave the controller clean: PSIZE only, no error flags */
	ldr	r0, [r11, #CB_PSIZE]
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
 * the host unlocks before it queues erases or programming. */
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

/* The F4's data cache may hold lines read before an erase or a program
 * (RM0090 3.5.2: reset it while disabled). The F7 has no such bit here. */
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
	/* flash through ITCM on the F7 */
	ldr	r0, [r11, #CB_FLASH_READ_OFFSET]
	cbz	r0, 1f
	cmp	r2, #FLASH_AXIM
	blo	1f
	cmp	r2, #FLASH_AXIM_END
	it	lo
	sublo	r2, r2, r0
1:	mov	r0, #-1
	tst	r2, #3
	bne	5f
	cmp	r4, #4
	blo	5f
	ldr	r12, =CRC_BASE
	movs	r1, #CRC_CR_RESET
	str	r1, [r12, #CRC_CR]
2:	cmp	r4, #16
	blo	3f
	ldmia	r2!, {r0, r1, r5, r6}
	rbit	r0, r0
	str	r0, [r12, #CRC_DR]
	rbit	r1, r1
	str	r1, [r12, #CRC_DR]
	rbit	r5, r5
	str	r5, [r12, #CRC_DR]
	rbit	r6, r6
	str	r6, [r12, #CRC_DR]
	subs	r4, #16
	b	2b
3:	cmp	r4, #4
	blo	4f
	ldr	r0, [r2], #4
	rbit	r0, r0
	str	r0, [r12, #CRC_DR]
	subs	r4, #4
	b	3b
4:	ldr	r0, [r12, #CRC_DR]
	rbit	r0, r0
	/* what is left, a byte at a time, LSB first */
5:	ldr	r6, =CRC_POLY_REFLECTED
6:	cbz	r4, 8f
	ldrb	r1, [r2], #1
	eors	r0, r1
	movs	r5, #8
7:	lsrs	r0, r0, #1
	it	cs
	eorcs	r0, r0, r6
	subs	r5, #1
	bne	7b
	subs	r4, #1
	b	6b
8:	mvns	r0, r0
	bx	lr

/* Clock the CRC unit; on the F7 also set the polynomial and seed the F4
 * has fixed (the firmware may have left others). */
crc_up:
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_AHB1ENR]
	str	r0, [r11, #CB_SAVED_AHB1ENR]
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
	ldr	r0, [r11, #CB_SAVED_AHB1ENR]
	tst	r0, #RCC_AHB1ENR_CRCEN
	bne	1f
	ldr	r0, [r1, #RCC_AHB1ENR]
	bic	r0, r0, #RCC_AHB1ENR_CRCEN
	str	r0, [r1, #RCC_AHB1ENR]
1:	bx	lr

/* Whether the clock may be raised later: HSI selected and ready, no AHB
 * prescaler, PLL off. Changes nothing. */
clock_probe:
	movs	r0, #CLOCK_UNTOUCHED
	ldr	r1, =RCC_BASE
	ldr	r3, [r1, #RCC_CFGR]
	tst	r3, #(RCC_CFGR_SWS_MASK | RCC_CFGR_HPRE_MASK)
	bne	9f
	ldr	r3, [r1, #RCC_CR]
	tst	r3, #RCC_CR_PLLON
	bne	9f
	tst	r3, #RCC_CR_HSIRDY
	it	ne
	movne	r0, #CLOCK_RAISE_NEEDED
9:	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
	bx	lr

/* HSI -> PLL at 48 MHz, once: wait states first, then APB1 / 2 and the
 * switch (RM0090 3.5.1, increasing the frequency). Clobbers r0, r1, r6. */
clock_up:
	ldr	r0, [r11, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISE_NEEDED
	bne	9f
	ldr	r1, =RCC_BASE
	ldr	r0, [r8, #FLASH_ACR]
	str	r0, [r11, #CB_SAVED_ACR]
	bic	r0, r0, #FLASH_ACR_LATENCY_MASK
	orr	r0, r0, #FLASH_ACR_LATENCY_3WS
	str	r0, [r8, #FLASH_ACR]
	ldr	r0, [r8, #FLASH_ACR]
	ldr	r0, [r1, #RCC_PLLCFGR]
	str	r0, [r11, #CB_SAVED_PLLCFGR]
	and	r0, r0, #RCC_PLLCFGR_KEEP
	ldr	r6, =RCC_PLLCFGR_48MHZ
	orr	r0, r0, r6
	str	r0, [r1, #RCC_PLLCFGR]
	ldr	r0, [r1, #RCC_CR]
	orr	r0, r0, #RCC_CR_PLLON
	str	r0, [r1, #RCC_CR]
1:	ldr	r0, [r1, #RCC_CR]
	tst	r0, #RCC_CR_PLLRDY
	beq	1b
	ldr	r0, [r1, #RCC_CFGR]
	str	r0, [r11, #CB_SAVED_CFGR]
	bic	r0, r0, #RCC_CFGR_PPRE1_MASK
	orr	r0, r0, #RCC_CFGR_PPRE1_DIV2
	bic	r0, r0, #RCC_CFGR_SW_MASK
	orr	r0, r0, #RCC_CFGR_SW_PLL
	str	r0, [r1, #RCC_CFGR]
2:	ldr	r0, [r1, #RCC_CFGR]
	and	r0, r0, #RCC_CFGR_SWS_MASK
	cmp	r0, #RCC_CFGR_SWS_PLL
	bne	2b
	movs	r0, #CLOCK_RAISED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

/* Back to HSI, then the prescalers, the PLL and the wait states as they
 * were (frequency first on the way down). */
clock_down:
	ldr	r0, [r11, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISED
	bne	9f
	ldr	r1, =RCC_BASE
	ldr	r0, [r1, #RCC_CFGR]
	bic	r0, r0, #RCC_CFGR_SW_MASK
	str	r0, [r1, #RCC_CFGR]
1:	ldr	r0, [r1, #RCC_CFGR]
	tst	r0, #RCC_CFGR_SWS_MASK
	bne	1b
	ldr	r0, [r11, #CB_SAVED_CFGR]
	str	r0, [r1, #RCC_CFGR]
	ldr	r0, [r1, #RCC_CR]
	bic	r0, r0, #RCC_CR_PLLON
	str	r0, [r1, #RCC_CR]
	ldr	r0, [r11, #CB_SAVED_PLLCFGR]
	str	r0, [r1, #RCC_PLLCFGR]
	ldr	r0, [r11, #CB_SAVED_ACR]
	str	r0, [r8, #FLASH_ACR]
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r11, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

	.ltorg
