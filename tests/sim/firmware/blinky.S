/* blinky.S: a test firmware for the emulated NUCLEO-L476RG. From reset it
 * clocks GPIOA, makes PA5 (the board's LED) an output and toggles it
 * forever, about 1000 instructions per level: 4 toggles per millisecond at
 * the 4 MHz MSI clock of reset, proportionally more at a higher HCLK.
 * Linked at 0x08000000 (tests/sim/meson.build). */
	.syntax unified
	.cpu cortex-m4
	.thumb

	.equ RCC_AHB2ENR, 0x4002104C
	.equ RCC_AHB2ENR_GPIOAEN, (1 << 0)
	.equ GPIOA_MODER, 0x48000000
	.equ GPIOA_BSRR, 0x48000018
	.equ LED_PIN, 5
	.equ DELAY_LOOPS, 500

	.text
vectors:
	.word 0x20018000	/* initial SP: top of SRAM1 */
	.word reset		/* reset handler (Thumb bit set by .thumb_func) */

	.thumb_func
reset:
	ldr	r0, =RCC_AHB2ENR
	ldr	r1, [r0]
	orr	r1, r1, #RCC_AHB2ENR_GPIOAEN
	str	r1, [r0]
	/* MODER5 = 01: general-purpose output */
	ldr	r0, =GPIOA_MODER
	ldr	r1, [r0]
	bic	r1, r1, #(3 << (2 * LED_PIN))
	orr	r1, r1, #(1 << (2 * LED_PIN))
	str	r1, [r0]
	ldr	r0, =GPIOA_BSRR
	movs	r2, #(1 << LED_PIN)	/* BSRR set */
	lsls	r3, r2, #16		/* BSRR reset */
toggle:
	str	r2, [r0]
	bl	delay
	str	r3, [r0]
	bl	delay
	b	toggle

	.thumb_func
delay:
	ldr	r4, =DELAY_LOOPS
1:	subs	r4, #1
	bne	1b
	bx	lr

	.ltorg
