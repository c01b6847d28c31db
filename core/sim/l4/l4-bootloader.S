/* l4-bootloader.S: what the emulated STM32L4-style system memory runs at
 * reset: the dual-bank boot of ST's bootloader as AN2606 draws it ("Dual
 * bank boot implementation for STM32L47xxx/48xxx", figure 98), none of its
 * serial protocols.
 *
 * With FLASH_OPTR.BFB2 set the chip starts here. If the first word of bank
 * 2 (its initial stack pointer) lies in internal SRAM, the bootloader maps
 * bank 2 at 0x08000000 (SYSCFG_MEMRMP.FB_MODE = 1: software sets it, the
 * hardware resets it to 0) and jumps to it; else if bank 1 holds a stack
 * pointer in SRAM it keeps FB_MODE = 0 and jumps to bank 1; else it stays
 * in the bootloader (here: an idle loop, where the real one would wait for
 * a host on USART, I2C, SPI, CAN or USB). Without BFB2 it stays too.
 *
 * ARMv6-M code, so that one blob serves Cortex-M0+ and M4 machines. Linked
 * at 0 and position independent: the machine copies it to the start of
 * system memory, writes the initial stack pointer (word 0), adds the system
 * memory base to the reset vector (word 1, an offset here) and fills the
 * parameter block whose offset word 2 gives (the chip's registers, its bank
 * 2 and SRAM ranges: what the real bootloader knows of its own chip).
 * Assembled with arm-none-eabi-gcc; the bytes are checked in as
 * l4-bootloader-blob.h (ninja regen-loaders). */

	.syntax unified
	.cpu cortex-m0plus
	.thumb

	.equ FLASH_BASE, 0x08000000
	.equ SCB_VTOR, 0xE000ED08
	.equ MEMRMP_FB_MODE, (1 << 8)

	/* parameter block, filled by the machine (l4-boards.c) */
	.equ P_OPTR, 0		/* address of FLASH_OPTR */
	.equ P_BFB2, 4		/* FLASH_OPTR.BFB2 mask */
	.equ P_DUAL_MASK, 8	/* FLASH_OPTR bit(s) meaning "two banks"; 0: always two */
	.equ P_BANK2, 12	/* bank 2's address in dual-bank mode (FB_MODE = 0) */
	.equ P_RAM_A, 16	/* first SRAM range: base, then size */
	.equ P_RAM_A_SIZE, 20
	.equ P_RAM_B, 24	/* second SRAM range (SRAM2); the first again if none */
	.equ P_RAM_B_SIZE, 28
	.equ P_MEMRMP, 32	/* address of SYSCFG_MEMRMP */
	.equ P_SYSCFG_EN, 36	/* address of the RCC register that clocks SYSCFG */
	.equ P_SYSCFG_EN_BIT, 40 /* its SYSCFGEN mask */
	.equ P_SIZE, 44

	.section .text.entry, "ax"
	.global loader_entry
loader_entry:
	.word	0			/* initial SP: the machine's */
	.word	boot + 1		/* reset vector, from the system memory base */
	.word	params			/* where the parameter block starts */

	.thumb_func
boot:
	adr	r7, params
	ldr	r0, [r7, #P_OPTR]
	ldr	r5, [r0]		/* r5 = FLASH_OPTR as loaded */
	ldr	r0, [r7, #P_BFB2]
	tst	r5, r0
	beq	stay
	/* bank 2 exists in dual-bank mode only */
	ldr	r0, [r7, #P_DUAL_MASK]
	cmp	r0, #0
	beq	1f
	tst	r5, r0
	beq	try_bank1
1:	ldr	r0, [r7, #P_BANK2]
	bl	valid
	cmp	r0, #0
	beq	try_bank1
	movs	r4, #1
	lsls	r4, r4, #8		/* FB_MODE: bank 2 at 0x08000000 */
	b	jump
try_bank1:
	ldr	r0, =FLASH_BASE
	bl	valid
	cmp	r0, #0
	beq	stay
	movs	r4, #0			/* FB_MODE = 0: bank 1 at 0x08000000 */

/* Maps main flash at 0 (MEM_MODE = 000) with FB_MODE from r4, then starts
 * the firmware at 0x08000000 as a reset would: VTOR, MSP, reset vector. */
jump:
	/* SYSCFG is not clocked after reset: without SYSCFGEN the write to
	 * MEMRMP would be lost (RM0351 6.4.21, 9.2.1) */
	ldr	r0, [r7, #P_SYSCFG_EN]
	ldr	r1, [r0]
	ldr	r2, [r7, #P_SYSCFG_EN_BIT]
	orrs	r1, r2
	str	r1, [r0]
	ldr	r0, [r7, #P_MEMRMP]
	str	r4, [r0]
	dsb
	isb
	ldr	r0, =FLASH_BASE
	ldr	r1, =SCB_VTOR
	str	r0, [r1]
	ldr	r1, [r0]
	msr	msp, r1
	ldr	r1, [r0, #4]
	bx	r1

stay:
	wfi
	b	stay

/* r0 = address of a vector table; returns r0 = 1 when its initial stack
 * pointer lies in one of the two SRAM ranges (its end included). */
	.thumb_func
valid:
	ldr	r0, [r0]
	ldr	r1, [r7, #P_RAM_A]
	subs	r1, r0, r1
	ldr	r2, [r7, #P_RAM_A_SIZE]
	cmp	r1, r2
	bls	1f
	ldr	r1, [r7, #P_RAM_B]
	subs	r1, r0, r1
	ldr	r2, [r7, #P_RAM_B_SIZE]
	cmp	r1, r2
	bls	1f
	movs	r0, #0
	bx	lr
1:	movs	r0, #1
	bx	lr

	.ltorg
	.balign 4
params:
	.space	P_SIZE
