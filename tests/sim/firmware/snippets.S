/* snippets.S: small routines the emulated core runs from SRAM1 in the
 * emulator's tests (tests/sim/test-sim-cpu.c), each ending at a BKPT.
 * Linked at 0x20000000; the table at the start gives each entry point in
 * the order of the SNIP_* indices of the test. */
	.syntax unified
	.cpu cortex-m4
	.fpu fpv4-sp-d16
	.thumb

	.equ FLASH_R, 0x40022000
	.equ FLASH_SR, 0x10
	.equ FLASH_CR, 0x14
	.equ FLASH_SR_BSY, (1 << 16)
	.equ FLASH_SR_ERRORS, 0x3FA
	.equ FLASH_CR_PG, (1 << 0)
	.equ CRC_BASE, 0x40023000
	.equ CRC_DR, 0x00
	.equ CRC_CR, 0x08
	.equ CRC_CR_RESET, (1 << 0)

	.text
table:
	.word bkpt_test
	.word regs_test
	.word flash_program
	.word crc_feed
	.word fpb_test
	.word fpb_here
	.word wfi_test
	.word udf_test
	.word count_loop
	.word self_reset

/* r0 = 42, then BKPT #7 (the PC stays on it) */
	.thumb_func
bkpt_test:
	movs	r0, #42
	nop
bkpt_here:
	bkpt	#7

/* Uses what the host wrote: r0 += r1, s2 = s0 + s1, r12 = PRIMASK */
	.thumb_func
regs_test:
	adds	r0, r0, r1
	vadd.f32 s2, s0, s1
	mrs	r12, primask
	bkpt	#0

/* Programs r2 double words from r0 (SRAM) to r1 (flash), polling BSY after
 * each; the host has unlocked FLASH_CR. Ends with r0 = SR error flags. */
	.thumb_func
flash_program:
	ldr	r4, =FLASH_R
	ldr	r5, [r4, #FLASH_CR]
	orr	r5, r5, #FLASH_CR_PG
	str	r5, [r4, #FLASH_CR]
1:	ldr	r5, [r0], #4
	ldr	r6, [r0], #4
	str	r5, [r1], #4
	str	r6, [r1], #4
2:	ldr	r5, [r4, #FLASH_SR]
	tst	r5, #FLASH_SR_BSY
	bne	2b
	ldr	r6, =FLASH_SR_ERRORS
	ands	r5, r6
	bne	3f
	subs	r2, #1
	bne	1b
3:	ldr	r6, [r4, #FLASH_CR]
	bic	r6, r6, #FLASH_CR_PG
	str	r6, [r4, #FLASH_CR]
	mov	r0, r5
	bkpt	#0

/* CRC unit: CR = r0 | RESET, then r2 bytes from r1 written to DR r3 bytes
 * at a time (1, 2 or 4); r0 = DR at the end. POL and INIT: the host's. */
	.thumb_func
crc_feed:
	ldr	r4, =CRC_BASE
	orr	r0, r0, #CRC_CR_RESET
	str	r0, [r4, #CRC_CR]
1:	cmp	r3, #4
	beq	4f
	cmp	r3, #2
	beq	2f
	ldrb	r5, [r1], #1
	strb	r5, [r4, #CRC_DR]
	b	5f
2:	ldrh	r5, [r1], #2
	strh	r5, [r4, #CRC_DR]
	b	5f
4:	ldr	r5, [r1], #4
	str	r5, [r4, #CRC_DR]
5:	subs	r2, r2, r3
	bhi	1b
	ldr	r0, [r4, #CRC_DR]
	bkpt	#0

/* r0 counts the instructions passed; an FPB comparator on fpb_here stops
 * the core with r0 = 2 */
	.thumb_func
fpb_test:
	movs	r0, #1
	movs	r0, #2
fpb_here:
	movs	r0, #3
	movs	r0, #4
	bkpt	#0

/* Sleeps in WFI with r0 = 5 */
	.thumb_func
wfi_test:
	movs	r0, #5
	wfi
	movs	r0, #6
	bkpt	#0

/* A permanently undefined instruction: UsageFault, escalated */
	.thumb_func
udf_test:
	udf	#0

/* Counts loop passes in r0 forever: two instructions each */
	.thumb_func
count_loop:
	movs	r0, #0
1:	adds	r0, #1
	b	1b

/* Requests a system reset through AIRCR.SYSRESETREQ */
	.thumb_func
self_reset:
	ldr	r0, =0xE000ED0C
	ldr	r1, =0x05FA0004
	str	r1, [r0]
1:	b	1b

	.ltorg
