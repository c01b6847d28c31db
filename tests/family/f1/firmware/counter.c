/* counter.c: firmware for the emulated STM32F103 (Cortex-M3): a vector
 * table, a reset handler that copies .data from flash and clears .bss,
 * and a main loop that counts and steps a linear congruential generator
 * seeded from .data, so that a debugger reading SRAM twice sees it run
 * and can tell that .data came from flash. Built by test-f1-firmware.sh. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

/* .data: its initial value lives in flash until the reset handler copies it */
volatile uint32_t seed = 0x600DF00Du;
/* .bss */
volatile uint32_t counter;

int main(void);

void
Reset_Handler(void)
{
	uint32_t *src = &_sidata;
	uint32_t *dst = &_sdata;
	while (dst < &_edata)
		*dst++ = *src++;
	for (dst = &_sbss; dst < &_ebss;)
		*dst++ = 0;
	main();
	for (;;)
		;
}

void
Default_Handler(void)
{
	for (;;)
		;
}

__attribute__((section(".isr_vector"), used)) const void *const vectors[16] = {
    &_estack,	     Reset_Handler,   Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler,
};

int
main(void)
{
	for (;;) {
		counter = counter + 1;
		seed = seed * 1664525u + 1013904223u;
	}
}
