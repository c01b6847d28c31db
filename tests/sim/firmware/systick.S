/* systick.S: a test firmware driven by the SysTick interrupt, as HAL-based
 * code is: SysTick every 1 ms at the 4 MHz reset clock, its handler counts
 * ticks in SRAM, and the main loop sleeps in WFI and toggles PA5 every 10
 * ticks (100 toggles per second). Linked at 0x08000000. */
	.syntax unified
	.cpu cortex-m4
	.thumb

	.equ RCC_AHB2ENR, 0x4002104C
	.equ GPIOA_MODER, 0x48000000
	.equ GPIOA_ODR, 0x48000014
	.equ LED_PIN, 5
	.equ SYST_CSR, 0xE000E010
	.equ SYST_RVR, 0x04
	.equ SYST_CVR, 0x08
	/* ENABLE | TICKINT | CLKSOURCE (processor clock) */
	.equ SYST_CSR_RUN, 0x7
	.equ TICKS_PER_MS, 4000
	.equ TICKS, 0x20000000	/* the handler's counter */
	.equ TOGGLE_EVERY, 10

	.text
vectors:
	.word 0x20018000	/* initial SP */
	.word reset
	.rept 13		/* NMI .. PendSV: not used */
	.word 0
	.endr
	.word systick_handler	/* exception 15 */

	.thumb_func
reset:
	ldr	r0, =TICKS
	movs	r1, #0
	str	r1, [r0]
	ldr	r0, =RCC_AHB2ENR
	ldr	r1, [r0]
	orr	r1, r1, #1
	str	r1, [r0]
	ldr	r0, =GPIOA_MODER
	ldr	r1, [r0]
	bic	r1, r1, #(3 << (2 * LED_PIN))
	orr	r1, r1, #(1 << (2 * LED_PIN))
	str	r1, [r0]
	ldr	r0, =SYST_CSR
	ldr	r1, =(TICKS_PER_MS - 1)
	str	r1, [r0, #SYST_RVR]
	movs	r1, #0
	str	r1, [r0, #SYST_CVR]
	movs	r1, #SYST_CSR_RUN
	str	r1, [r0]
	ldr	r5, =TICKS
	ldr	r6, =GPIOA_ODR
	movs	r4, #TOGGLE_EVERY	/* next tick count to toggle at */
wait:
	wfi
	ldr	r1, [r5]
	cmp	r1, r4
	blo	wait
	ldr	r2, [r6]
	eor	r2, r2, #(1 << LED_PIN)
	str	r2, [r6]
	adds	r4, #TOGGLE_EVERY
	b	wait

	.thumb_func
systick_handler:
	ldr	r0, =TICKS
	ldr	r1, [r0]
	adds	r1, #1
	str	r1, [r0]
	bx	lr

	.ltorg
