/* l0-loader.S: Glint's on-target flash loader for the STM32L0 (Cortex-M0+,
 * RM0367/RM0376/RM0377) and STM32L1 (Cortex-M3, RM0038).
 *
 * Plain Thumb-1 (ARMv6-M), so the same bytes run on both cores: it reads
 * the CPUID to know which chip it is on (an M0+ is an L0: NVM interface
 * at 0x40022000, half-pages of 64 bytes; an M3 is an L1: 0x40023C00, 128
 * bytes). Runs from SRAM with r0 = the control block the host set up
 * (glint-loader-abi.h) and works through its ring of descriptors:
 *
 *   PROGRAM    half-pages (FPRG|PROG, 16 or 32 words written back to back,
 *              which the manual allows only from code in SRAM: no flash
 *              fetch may come between them); half-pages that are all
 *              zero stay erased and are skipped; a word at a time where a
 *              range does not cover a whole half-page
 *   ERASE      one page: the host's FLASH_PECR bits (ERASE|PROG) and a
 *              zero word written into the page
 *   CRC        CRC-32 (zlib's) of a range, with the CRC unit
 *   PAGE_CRCS  CRC-32 of every page of a range
 *   EXIT       BKPT #0
 *
 * On an NVM error it records FLASH_SR's error flags and the address,
 * clears PECR and the flags and stops at BKPT #1.
 *
 * CRC-32: the L0's CRC unit takes bytes reversed (REV_IN by byte, REV_OUT)
 * with an initial value and polynomial of our choosing (RM0367, CRC
 * chapter); the L1's computes the plain MSB-first CRC of whole words with fixed
 * seed and polynomial (RM0038, CRC chapter), so each word goes in bit-reversed
 * and the result comes out bit-reversed (RBIT, which the M3 has: emitted as
 * its encoding since this file is assembled for the M0+); a range that is
 * not whole words is done bit by bit.
 *
 * Clock: both lines leave reset on MSI at 2.097 MHz, where the CRC loop
 * costs about 1.2-1.5 us a byte and the work around each half-page adds up
 * too (flash operations take 3.2 ms whatever the core's speed). At the
 * first programming op or long CRC, when MSI runs the core undivided (SW =
 * SWS = MSI, HPRE /1, as at reset) and the regulator is in range 1 or 2
 * (PWR_CR.VOS, read with the PWR clock switched on for the read; VOSF
 * clear), the loader raises SYSCLK to HSI16: 16 MHz needs one flash wait
 * state in range 2 (RM0367 and RM0038, FLASH chapter, read interface: the
 * table of wait states against HCLK and voltage range, and the steps for
 * increasing the CPU frequency: LATENCY first, read FLASH_ACR back, then
 * the clock source, read back). On the L1 ACC64
 * comes first, on a write of its own: LATENCY can be set only when ACC64
 * is, and ACC64 may not be written together with it (RM0038, FLASH_ACR).
 * Then HSION, HSIRDY, SW = HSI, SWS = HSI, each wait bounded. At exit and
 * on an error (or a step that times out) SW goes back to MSI (SWS waited
 * for), HSI16 off if it was off, then LATENCY and ACC64 as they were:
 * frequency first on the way down (the same manuals' steps for
 * decreasing it). */

#include "glint-loader-abi.h"

	.syntax unified
	.cpu cortex-m0plus
	.thumb

	.equ CPUID, 0xE000ED00
	.equ PARTNO_M0P, 0xC60

	.equ L0_FLASH, 0x40022000
	.equ L1_FLASH, 0x40023C00
	.equ FLASH_PECR, 0x04
	.equ FLASH_SR, 0x18
	.equ PECR_PELOCK, (1 << 0)
	.equ PECR_PRGLOCK, (1 << 1)
	.equ PECR_PROG, (1 << 3)
	.equ PECR_FPRG, (1 << 10)
	.equ SR_BSY, (1 << 0)
	/* the flags a failed program or erase leaves: WRPERR PGAERR SIZERR
	 * (+ NOTZEROERR FWWERR on the L0); not OPTVERR, which is about the
	 * option bytes */
	.equ L0_SR_ERRORS, 0x30700
	.equ L1_SR_ERRORS, 0x00700
	.equ L0_HALF_PAGE, 64
	.equ L1_HALF_PAGE, 128

	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_INIT, 0x10
	.equ CRC_POL, 0x14
	.equ CRC_CR_RESET, (1 << 0)
	.equ CRC_CR_REV_IN_BYTE, (1 << 5)
	.equ CRC_CR_REV_OUT, (1 << 7)
	.equ CRC_POLY_IEEE, 0x04C11DB7
	.equ CRC_POLY_REFLECTED, 0xEDB88320
	/* RCC (RM0367 and RM0038, RCC register maps): the same bits at other
	 * offsets, kept in a table per chip (l0_chip, l1_chip) */
	.equ L0_RCC, 0x40021000
	.equ L1_RCC, 0x40023800
	.equ RCC_AHBENR_CRCEN, (1 << 12)
	.equ RCC_APB1ENR_PWREN, (1 << 28)
	.equ RCC_CR_HSION, (1 << 0)		/* HSI16ON on the L0 */
	.equ RCC_CFGR_SW_MASK, 3
	.equ RCC_CFGR_SW_HSI, 1
	.equ RCC_CFGR_SWS_MASK, (3 << 2)
	.equ RCC_CFGR_SWS_HSI, (1 << 2)
	/* SW, SWS and HPRE's top bit (HPRE 0xxx: /1) */
	.equ RCC_CFGR_MSI_UNDIVIDED_MASK, 0x8F
	/* the chip table's words */
	.equ CHIP_AHBENR, 0x00
	.equ CHIP_RCC_CR, 0x04
	.equ CHIP_RCC_CFGR, 0x08
	.equ CHIP_APB1ENR, 0x0C
	.equ CHIP_HSIRDY, 0x10

	.equ PWR_BASE, 0x40007000
	.equ PWR_CR, 0x00
	.equ PWR_CSR, 0x04
	.equ PWR_CR_VOS_SHIFT, 11	/* VOS [12:11]: 01 range 1, 10 range 2, 11 range 3 */
	.equ PWR_CSR_VOSF_SHIFT, 4	/* the regulator still changing range */
	.equ PWR_VOS_RANGE3, 3

	.equ FLASH_ACR, 0x00
	.equ FLASH_ACR_LATENCY, (1 << 0)
	.equ FLASH_ACR_ACC64, (1 << 2)	/* the L1's only */

	/* CRCs at least this long are worth raising the clock for (about
	 * 5 ms at MSI) */
	.equ LONG_CRC, 0x1000
	/* reads of a register before a wait gives up (about 0.1 s at MSI) */
	.equ CLOCK_WAIT_READS, 0x8000
	/* LOADER_CB_CLOCK_STATE values */
	.equ CLOCK_UNTOUCHED, 0
	.equ CLOCK_RAISE_NEEDED, 1
	.equ CLOCK_RAISED, 2

	.equ IWDG_KR, 0x40003000
	.equ IWDG_KEY_RELOAD, 0xAAAA

	/* words of the control block the loader owns (glint-loader-abi.h) */
	.equ CB_FLASH, 0x20	/* NVM interface base */
	.equ CB_HALF_PAGE, 0x24	/* bytes */
	.equ CB_ERRORS, 0x28	/* FLASH_SR flags that fail an operation */
	.equ CB_KIND, 0x2C	/* 0: L0, 1: L1 */
	.equ CB_CHIP, 0x30	/* the chip's table (l0_chip, l1_chip) */
	.equ CB_AHBENR_SAVED, 0x34 /* RCC_AHBENR before the loader ran */
	.equ CB_SAVED_ACR, 0x38	/* FLASH_ACR before the clock rose */
	.equ CB_SAVED_RCC_CR, 0x3C /* RCC_CR before the clock rose */

/* Registers throughout: r7 = control block, r6 = current descriptor,
 * r5 = descriptor index. Descriptor fields go to r2 (address), r3 (arg),
 * r4 (length). */

	.section .text.entry, "ax"
	.global loader_entry
	.type loader_entry, %function
loader_entry:
	mov	r7, r0
	movs	r0, #0
	str	r0, [r7, #LOADER_CB_DONE]
	str	r0, [r7, #LOADER_CB_ERROR]
	str	r0, [r7, #LOADER_CB_ERROR_ADDR]
	bl	chip_probe
	bl	clock_probe
	bl	crc_up
	/* flags of an earlier operation would be taken for ours */
	ldr	r3, [r7, #CB_FLASH]
	ldr	r0, [r3, #FLASH_SR]
	ldr	r1, [r7, #CB_ERRORS]
	ands	r0, r1
	str	r0, [r3, #FLASH_SR]
	ldr	r0, =LOADER_MAGIC
	str	r0, [r7, #LOADER_CB_MAGIC]
	movs	r5, #0

next_desc:
	lsls	r6, r5, #4
	adds	r6, r6, r7
	adds	r6, #LOADER_CB_DESC
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
	bne	1f
	b	op_erase
1:	cmp	r0, #LOADER_OP_CRC
	bne	1f
	b	op_crc
1:	cmp	r0, #LOADER_OP_PAGE_CRCS
	bne	1f
	b	op_page_crcs
1:	cmp	r0, #LOADER_OP_EXIT
	bne	1f
	b	op_exit
1:	ldr	r1, =LOADER_ERR_BAD_OP
	b	fail

op_done:
	movs	r0, #LOADER_OP_NONE
	str	r0, [r6, #LOADER_DESC_OP]
	ldr	r0, [r7, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r7, #LOADER_CB_DONE]
	adds	r5, #1
	ldr	r0, [r7, #LOADER_CB_N_SLOTS]
	cmp	r5, r0
	blo	next_desc
	movs	r5, #0
	b	next_desc

/* r2 = flash address, r3 = source, r4 = bytes (multiple of 4). */
op_program:
	bl	check_unlocked
	bl	clock_up
	bl	wait_bsy
prog_next:
	cmp	r4, #0
	beq	prog_end
	ldr	r1, [r7, #CB_HALF_PAGE]
	subs	r0, r1, #1
	tst	r0, r2
	bne	prog_word
	cmp	r4, r1
	blo	prog_word
	bl	or_words		/* r0 = OR of the half-page's words */
	cmp	r0, #0
	beq	prog_skip_half_page
	bl	write_half_page		/* r0 = FLASH_SR */
	ldr	r1, [r7, #CB_ERRORS]
	ands	r1, r0
	beq	prog_skip_half_page
	b	fail
prog_skip_half_page:
	ldr	r1, [r7, #CB_HALF_PAGE]
	adds	r2, r2, r1
	adds	r3, r3, r1
	subs	r4, r4, r1
	b	prog_next
/* a word on its own (PROG and FPRG clear); zero words stay erased */
prog_word:
	ldr	r0, [r3]
	cmp	r0, #0
	beq	2f
	ldr	r1, [r7, #CB_FLASH]
	push	{r0}
	movs	r0, #0
	str	r0, [r1, #FLASH_PECR]
	pop	{r0}
	str	r0, [r2]
	bl	wait_bsy
	ldr	r1, [r7, #CB_ERRORS]
	ands	r1, r0
	beq	2f
	b	fail
2:	adds	r2, #4
	adds	r3, #4
	subs	r4, #4
	b	prog_next
prog_end:
	ldr	r1, [r7, #CB_FLASH]
	movs	r0, #0
	str	r0, [r1, #FLASH_PECR]
	b	op_done

/* One page: r2 = its address, r4 = the FLASH_PECR bits (ERASE|PROG). */
op_erase:
	bl	check_unlocked
	bl	wait_bsy
	ldr	r1, [r7, #CB_FLASH]
	str	r4, [r1, #FLASH_PECR]
	movs	r0, #0
	str	r0, [r2]
	bl	wait_bsy
	ldr	r1, [r7, #CB_FLASH]
	movs	r3, #0
	str	r3, [r1, #FLASH_PECR]
	ldr	r1, [r7, #CB_ERRORS]
	ands	r1, r0
	beq	1f
	b	fail
1:	b	op_done

/* CRC-32 of r4 bytes at r2, into the descriptor's ARG word. */
op_crc:
	mov	r0, r4
	bl	clock_up_long
	bl	crc_range
	str	r0, [r6, #LOADER_DESC_ARG]
	b	op_done

/* CRC-32 of each of r4 pages (PAGE_SIZE bytes) from r2, as words from r3;
 * the count left lives on the stack (crc_range uses r4). */
op_page_crcs:
	ldr	r0, [r7, #LOADER_CB_PAGE_SIZE]
	muls	r0, r4, r0
	bl	clock_up_long
	push	{r4}
1:	ldr	r0, [sp]
	cmp	r0, #0
	beq	2f
	subs	r0, #1
	str	r0, [sp]
	ldr	r4, [r7, #LOADER_CB_PAGE_SIZE]
	bl	crc_range
	stmia	r3!, {r0}
	b	1b
2:	add	sp, #4
	b	op_done

op_exit:
	bl	crc_down
	bl	clock_down
	movs	r0, #LOADER_OP_NONE
	str	r0, [r6, #LOADER_DESC_OP]
	ldr	r0, [r7, #LOADER_CB_DONE]
	adds	r0, #1
	str	r0, [r7, #LOADER_CB_DONE]
1:	bkpt	#0
	b	1b

/* r1 = error flags (FLASH_SR bits or LOADER_ERR_*), r2 = address. */
fail:
	str	r2, [r7, #LOADER_CB_ERROR_ADDR]
	str	r1, [r7, #LOADER_CB_ERROR]
	/* leave the interface clean: no ERASE/PROG/FPRG, no error flags */
	ldr	r1, [r7, #CB_FLASH]
	movs	r0, #0
	str	r0, [r1, #FLASH_PECR]
	ldr	r0, [r1, #FLASH_SR]
	ldr	r2, [r7, #CB_ERRORS]
	ands	r0, r2
	str	r0, [r1, #FLASH_SR]
	bl	crc_down
	bl	clock_down
1:	bkpt	#1
	b	1b

/* Fails with LOADER_ERR_LOCKED (address r2) unless PECR and program memory
 * are unlocked: the host unlocks before it queues erases or programming. */
check_unlocked:
	ldr	r1, [r7, #CB_FLASH]
	ldr	r0, [r1, #FLASH_PECR]
	movs	r1, #(PECR_PELOCK | PECR_PRGLOCK)
	tst	r0, r1
	bne	1f
	bx	lr
1:	ldr	r1, =LOADER_ERR_LOCKED
	b	fail

/* Returns FLASH_SR in r0 once BSY is clear. Clobbers r1. */
wait_bsy:
	ldr	r1, [r7, #CB_FLASH]
1:	ldr	r0, [r1, #FLASH_SR]
	lsrs	r0, r0, #1		/* BSY into the carry */
	bcs	1b
	ldr	r0, [r1, #FLASH_SR]
	bx	lr

/* r0 = the OR of the r1 bytes (whole words) at r3. Clobbers r1. */
or_words:
	push	{r3, r4}
	movs	r0, #0
1:	ldmia	r3!, {r4}
	orrs	r0, r4
	subs	r1, #4
	bne	1b
	pop	{r3, r4}
	bx	lr

/* One half-page at r2 (aligned) from r3: FPRG|PROG, its words back to
 * back with nothing else touching flash, BSY. Returns FLASH_SR in r0;
 * r2 and r3 unchanged. Clobbers r1. */
write_half_page:
	push	{r2, r3, r4, lr}
	ldr	r4, [r7, #CB_FLASH]
	ldr	r0, =(PECR_FPRG | PECR_PROG)
	str	r0, [r4, #FLASH_PECR]
	ldr	r4, [r7, #CB_HALF_PAGE]
1:	ldmia	r3!, {r0}
	stmia	r2!, {r0}
	subs	r4, #4
	bne	1b
	bl	wait_bsy
	pop	{r2, r3, r4, pc}

/* CRC-32 of r4 bytes at r2 into r0; r2 ends past the range. Keeps r3, r5,
 * r6, r7; clobbers r1, r4. */
crc_range:
	ldr	r0, [r7, #CB_KIND]
	cmp	r0, #0
	beq	crc_range_l0
	b	crc_range_l1

crc_range_l0:
	push	{r3, r5, r6, lr}
	ldr	r3, =CRC_BASE
	movs	r0, #(CRC_CR_RESET | CRC_CR_REV_IN_BYTE | CRC_CR_REV_OUT)
	str	r0, [r3, #CRC_CR]
1:	cmp	r4, #0
	beq	5f
	lsls	r0, r2, #30		/* address not yet word aligned? */
	beq	2f
	ldrb	r0, [r2]
	adds	r2, #1
	strb	r0, [r3, #CRC_DR]
	subs	r4, #1
	b	1b
	/* whole words, bytes in memory order (REV, then reversed by byte) */
2:	cmp	r4, #16
	blo	3f
	ldmia	r2!, {r0, r1, r5, r6}
	rev	r0, r0
	str	r0, [r3, #CRC_DR]
	rev	r1, r1
	str	r1, [r3, #CRC_DR]
	rev	r5, r5
	str	r5, [r3, #CRC_DR]
	rev	r6, r6
	str	r6, [r3, #CRC_DR]
	subs	r4, #16
	b	2b
3:	cmp	r4, #4
	blo	4f
	ldmia	r2!, {r0}
	rev	r0, r0
	str	r0, [r3, #CRC_DR]
	subs	r4, #4
	b	3b
4:	cmp	r4, #0
	beq	5f
	ldrb	r0, [r2]
	adds	r2, #1
	strb	r0, [r3, #CRC_DR]
	subs	r4, #1
	b	4b
5:	ldr	r0, [r3, #CRC_DR]
	mvns	r0, r0
	pop	{r3, r5, r6, pc}

crc_range_l1:
	push	{r3, r5, r6, lr}
	mov	r0, r2
	orrs	r0, r4
	lsls	r0, r0, #30		/* not whole words: bit by bit */
	bne	crc_bitwise
	ldr	r3, =CRC_BASE
	movs	r0, #CRC_CR_RESET
	str	r0, [r3, #CRC_CR]
1:	cmp	r4, #0
	beq	2f
	ldmia	r2!, {r0}
	.inst.w	0xFA90F0A0		/* rbit r0, r0 (M3 only) */
	str	r0, [r3, #CRC_DR]
	subs	r4, #4
	b	1b
2:	ldr	r0, [r3, #CRC_DR]
	.inst.w	0xFA90F0A0		/* rbit r0, r0 */
	mvns	r0, r0
	pop	{r3, r5, r6, pc}

/* The reflected CRC-32 a bit at a time (for ranges that are not whole
 * words, which the L1's CRC unit cannot take). */
crc_bitwise:
	movs	r0, #0
	mvns	r0, r0
	ldr	r5, =CRC_POLY_REFLECTED
1:	cmp	r4, #0
	beq	4f
	ldrb	r1, [r2]
	adds	r2, #1
	eors	r0, r1
	movs	r6, #8
2:	lsrs	r0, r0, #1
	bcc	3f
	eors	r0, r5
3:	subs	r6, #1
	bne	2b
	subs	r4, #1
	b	1b
4:	mvns	r0, r0
	pop	{r3, r5, r6, pc}

/* Which chip: the CPUID's part number (an M0+ is an L0, else an L1). */
chip_probe:
	ldr	r0, =CPUID
	ldr	r0, [r0]
	lsls	r0, r0, #16
	lsrs	r0, r0, #20
	ldr	r1, =PARTNO_M0P
	cmp	r0, r1
	bne	1f
	ldr	r0, =L0_FLASH
	str	r0, [r7, #CB_FLASH]
	movs	r0, #L0_HALF_PAGE
	str	r0, [r7, #CB_HALF_PAGE]
	ldr	r0, =L0_SR_ERRORS
	str	r0, [r7, #CB_ERRORS]
	movs	r0, #0
	str	r0, [r7, #CB_KIND]
	adr	r0, l0_chip
	str	r0, [r7, #CB_CHIP]
	bx	lr
1:	ldr	r0, =L1_FLASH
	str	r0, [r7, #CB_FLASH]
	movs	r0, #L1_HALF_PAGE
	str	r0, [r7, #CB_HALF_PAGE]
	ldr	r0, =L1_SR_ERRORS
	str	r0, [r7, #CB_ERRORS]
	movs	r0, #1
	str	r0, [r7, #CB_KIND]
	adr	r0, l1_chip
	str	r0, [r7, #CB_CHIP]
	bx	lr

/* What differs between the lines' RCC: RCC_AHBENR, RCC_CR, RCC_CFGR and
 * RCC_APB1ENR, and RCC_CR.HSIRDY (RM0367 and RM0038, RCC chapters) */
	.p2align 2
l0_chip:
	.word	L0_RCC + 0x30, L0_RCC + 0x00, L0_RCC + 0x0C, L0_RCC + 0x38, (1 << 2)
l1_chip:
	.word	L1_RCC + 0x1C, L1_RCC + 0x00, L1_RCC + 0x08, L1_RCC + 0x24, (1 << 1)

/* Clock the CRC unit; on the L0 also set the seed and polynomial (the
 * firmware may have left others). */
crc_up:
	ldr	r1, [r7, #CB_CHIP]
	ldr	r1, [r1, #CHIP_AHBENR]
	ldr	r0, [r1]
	str	r0, [r7, #CB_AHBENR_SAVED]
	ldr	r2, =RCC_AHBENR_CRCEN
	orrs	r0, r2
	str	r0, [r1]
	ldr	r0, [r7, #CB_KIND]
	cmp	r0, #0
	bne	1f
	ldr	r1, =CRC_BASE
	movs	r0, #0
	mvns	r0, r0
	str	r0, [r1, #CRC_INIT]
	ldr	r0, =CRC_POLY_IEEE
	str	r0, [r1, #CRC_POL]
1:	bx	lr

/* Turn the CRC unit's clock off again if it was off. */
crc_down:
	ldr	r0, [r7, #CB_AHBENR_SAVED]
	ldr	r1, =RCC_AHBENR_CRCEN
	tst	r0, r1
	bne	1f
	ldr	r2, [r7, #CB_CHIP]
	ldr	r2, [r2, #CHIP_AHBENR]
	ldr	r0, [r2]
	bics	r0, r1
	str	r0, [r2]
1:	bx	lr

/* CLOCK_STATE = CLOCK_RAISE_NEEDED when MSI runs the core undivided (SW =
 * SWS = MSI, HPRE /1) and the regulator is in range 1 or 2 and settled
 * (range 3 allows 4.2 MHz at most); else CLOCK_UNTOUCHED: a clock the
 * firmware set up is left alone. Clobbers r0-r4. */
clock_probe:
	movs	r0, #CLOCK_UNTOUCHED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
	ldr	r3, [r7, #CB_CHIP]
	ldr	r1, [r3, #CHIP_RCC_CFGR]
	ldr	r0, [r1]
	movs	r2, #RCC_CFGR_MSI_UNDIVIDED_MASK
	tst	r0, r2
	bne	9f
	/* PWR reads 0 with its clock off: on for the read, then as it was */
	ldr	r1, [r3, #CHIP_APB1ENR]
	ldr	r2, [r1]
	ldr	r0, =RCC_APB1ENR_PWREN
	orrs	r0, r2
	str	r0, [r1]
	ldr	r0, [r1]
	ldr	r0, =PWR_BASE
	ldr	r4, [r0, #PWR_CR]
	ldr	r0, [r0, #PWR_CSR]
	str	r2, [r1]
	lsls	r0, r0, #(31 - PWR_CSR_VOSF_SHIFT)
	bmi	9f
	lsrs	r4, r4, #PWR_CR_VOS_SHIFT
	movs	r0, #3
	ands	r4, r0
	beq	9f
	cmp	r4, #PWR_VOS_RANGE3
	beq	9f
	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
9:	bx	lr

/* clock_up for a CRC of r0 bytes: only when it is long. */
clock_up_long:
	push	{r1, lr}
	ldr	r1, =LONG_CRC
	cmp	r0, r1
	blo	1f
	bl	clock_up
1:	pop	{r1, pc}

/* SYSCLK to HSI16 if clock_probe found that allowed and it has not
 * happened yet: one wait state (after ACC64 on the L1), each read back,
 * HSI16 on and ready, SW = HSI and SWS following. A step that times out
 * undoes the others and the loader stays at MSI. Keeps r1-r7. */
clock_up:
	push	{r1, r2, r3, r4, lr}
	ldr	r0, [r7, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISE_NEEDED
	bne	9f
	ldr	r1, [r7, #CB_FLASH]
	ldr	r0, [r1, #FLASH_ACR]
	str	r0, [r7, #CB_SAVED_ACR]
	ldr	r1, [r7, #CB_CHIP]
	ldr	r1, [r1, #CHIP_RCC_CR]
	ldr	r0, [r1]
	str	r0, [r7, #CB_SAVED_RCC_CR]
	/* from here clock_down puts back whatever was done */
	movs	r0, #CLOCK_RAISED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
	ldr	r0, [r7, #CB_KIND]
	cmp	r0, #0
	beq	1f
	movs	r2, #FLASH_ACR_ACC64
	movs	r3, #FLASH_ACR_ACC64
	bl	acr_write
	bne	8f
1:	movs	r2, #FLASH_ACR_LATENCY
	movs	r3, #FLASH_ACR_LATENCY
	bl	acr_write
	bne	8f
	ldr	r3, [r7, #CB_CHIP]
	ldr	r1, [r3, #CHIP_RCC_CR]
	ldr	r2, [r3, #CHIP_HSIRDY]
	ldr	r0, [r1]
	movs	r3, #RCC_CR_HSION
	orrs	r0, r3
	str	r0, [r1]
	movs	r3, r2
	bl	wait_bits
	bne	8f
	ldr	r3, [r7, #CB_CHIP]
	ldr	r1, [r3, #CHIP_RCC_CFGR]
	ldr	r0, [r1]
	movs	r2, #RCC_CFGR_SW_MASK
	bics	r0, r2
	adds	r0, #RCC_CFGR_SW_HSI
	str	r0, [r1]
	movs	r2, #RCC_CFGR_SWS_MASK
	movs	r3, #RCC_CFGR_SWS_HSI
	bl	wait_bits
	beq	9f
8:	bl	clock_down
	movs	r0, #CLOCK_UNTOUCHED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
9:	pop	{r1, r2, r3, r4, pc}

/* Undoes clock_up: SW = MSI and SWS following, HSI16 off if it was off,
 * then LATENCY and (L1) ACC64 as they were. If SWS stays on HSI16 the
 * rest stays too (more wait states are always safe). Clobbers r0-r4. */
clock_down:
	push	{lr}
	ldr	r0, [r7, #LOADER_CB_CLOCK_STATE]
	cmp	r0, #CLOCK_RAISED
	bne	9f
	ldr	r3, [r7, #CB_CHIP]
	ldr	r1, [r3, #CHIP_RCC_CFGR]
	ldr	r0, [r1]
	movs	r2, #RCC_CFGR_SW_MASK
	bics	r0, r2
	str	r0, [r1]
	movs	r2, #RCC_CFGR_SWS_MASK
	movs	r3, #0
	bl	wait_bits
	bne	9f
	ldr	r0, [r7, #CB_SAVED_RCC_CR]
	movs	r2, #RCC_CR_HSION
	tst	r0, r2
	bne	1f
	ldr	r3, [r7, #CB_CHIP]
	ldr	r1, [r3, #CHIP_RCC_CR]
	ldr	r0, [r1]
	bics	r0, r2
	str	r0, [r1]
1:	ldr	r3, [r7, #CB_SAVED_ACR]
	movs	r2, #FLASH_ACR_LATENCY
	ands	r3, r2
	bl	acr_write
	ldr	r0, [r7, #CB_KIND]
	cmp	r0, #0
	beq	2f
	ldr	r3, [r7, #CB_SAVED_ACR]
	movs	r2, #FLASH_ACR_ACC64
	ands	r3, r2
	bl	acr_write
2:	movs	r0, #CLOCK_RAISE_NEEDED
	str	r0, [r7, #LOADER_CB_CLOCK_STATE]
9:	pop	{pc}

/* FLASH_ACR's r2 bits to r3, then waits for them to read back: flags EQ
 * when they do, NE on a time-out. Clobbers r0, r1, r4. */
acr_write:
	push	{lr}
	ldr	r1, [r7, #CB_FLASH]
	ldr	r0, [r1, #FLASH_ACR]
	bics	r0, r2
	orrs	r0, r3
	str	r0, [r1, #FLASH_ACR]
	bl	wait_bits
	pop	{pc}

/* Reads the register at r1 until its r2 bits equal r3, at most
 * CLOCK_WAIT_READS times: flags EQ when they did, NE on a time-out.
 * Clobbers r0, r4. */
wait_bits:
	ldr	r4, =CLOCK_WAIT_READS
1:	ldr	r0, [r1]
	ands	r0, r2
	cmp	r0, r3
	beq	2f
	subs	r4, #1
	bne	1b
	movs	r0, #1
	cmp	r0, #0
2:	bx	lr

	.ltorg
