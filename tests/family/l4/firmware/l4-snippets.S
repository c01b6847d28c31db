/* l4-snippets.S: routines the emulated STM32L4 core runs from SRAM1 in the
 * L4 fidelity tests (tests/family/l4/test-l4-fidelity.c), each ending at a
 * BKPT. Linked at 0x20000000; the table at the start gives the entry points
 * in the order of the SNIP_* indices of the test. */
	.syntax unified
	.cpu cortex-m4
	.thumb

	.equ FLASH_R, 0x40022000
	.equ FLASH_SR, 0x10
	.equ FLASH_CR, 0x14
	.equ FLASH_SR_BSY, (1 << 16)
	.equ FLASH_CR_PG, (1 << 0)
	.equ FLASH_CR_FSTPG, (1 << 18)

	.text
table:
	.word read_word
	.word program_dword
	.word fast_row
	.word fast_first_dword

/* r0 = the word at r1 (a data read, as firmware dumping flash would) */
	.thumb_func
read_word:
	ldr	r0, [r1]
	bkpt	#0

/* One double word r2:r3 to r1 with PG (the host unlocked FLASH_CR);
 * r0 = FLASH_SR once BSY is clear */
	.thumb_func
program_dword:
	ldr	r4, =FLASH_R
	movs	r5, #FLASH_CR_PG
	str	r5, [r4, #FLASH_CR]
	str	r2, [r1]
	str	r3, [r1, #4]
1:	ldr	r0, [r4, #FLASH_SR]
	tst	r0, #FLASH_SR_BSY
	bne	1b
	movs	r5, #0
	str	r5, [r4, #FLASH_CR]
	bkpt	#0

/* A fast-programming row: 32 double words from r2 to r1 (row aligned, bank
 * mass-erased, FLASH_CR unlocked), with a busy loop of r3 passes after each
 * double word (a slow loader); r0 = FLASH_SR once BSY is clear */
	.thumb_func
fast_row:
	ldr	r4, =FLASH_R
	ldr	r5, =FLASH_CR_FSTPG
	str	r5, [r4, #FLASH_CR]
	movs	r6, #32
1:	ldr	r5, [r2], #4
	str	r5, [r1], #4
	ldr	r5, [r2], #4
	str	r5, [r1], #4
	movs	r7, r3
2:	cbz	r7, 3f
	subs	r7, #1
	b	2b
3:	subs	r6, #1
	bne	1b
4:	ldr	r0, [r4, #FLASH_SR]
	tst	r0, #FLASH_SR_BSY
	bne	4b
	movs	r5, #0
	str	r5, [r4, #FLASH_CR]
	bkpt	#0

/* One double word r2:r3 to r1 with FSTPG and nothing after it: r0 =
 * FLASH_SR right after it, r1 = FLASH_SR once BSY is clear */
	.thumb_func
fast_first_dword:
	ldr	r4, =FLASH_R
	ldr	r5, =FLASH_CR_FSTPG
	str	r5, [r4, #FLASH_CR]
	str	r2, [r1]
	str	r3, [r1, #4]
	ldr	r0, [r4, #FLASH_SR]
1:	ldr	r1, [r4, #FLASH_SR]
	tst	r1, #FLASH_SR_BSY
	bne	1b
	movs	r5, #0
	str	r5, [r4, #FLASH_CR]
	bkpt	#0

	.ltorg
