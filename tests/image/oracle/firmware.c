/* firmware.c: a tiny Cortex-M4 program shaped to trip image loaders.
 *
 * It has a vector table and code in flash, initialised data whose load
 * address (flash, after .text) differs from its run address (SRAM1),
 * zero-initialised .bss, a constant block at 0x08004000 leaving a gap after
 * the .data image, and a block in flash bank 2 (0x08080000). It is never run;
 * the oracle test only compares how loaders place its bytes. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

void Reset_Handler(void);

/* .data: a recognisable pattern the test looks for at the load address. */
uint32_t oracle_data[8] = {
    0xC0DEDA7Au, 0x11223344u, 0x55667788u, 0x99AABBCCu,
    0xDDEEFF00u, 0x0BADF00Du, 0xFEEDFACEu, 0x1234ABCDu,
};
/* .bss: must never appear in an image. */
uint32_t oracle_bss[64];

/* After the gap. */
__attribute__((section(".calib"), used)) const uint8_t oracle_calib[40] = {
    'c', 'a', 'l', 'i', 'b', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};
/* In bank 2. */
__attribute__((section(".bank2"), used)) const uint32_t oracle_bank2[6] = {
    0xB2B2B2B2u, 0x00000002u, 0x08080000u, 0xFFFFFFFFu, 0x00000000u, 0x5A5AA5A5u,
};

__attribute__((section(".isr_vector"), used)) const void *const oracle_vectors[4] = {
    &_estack,
    (const void *)Reset_Handler,
    (const void *)Reset_Handler,
    (const void *)Reset_Handler,
};

void
Reset_Handler(void)
{
	uint32_t *src = &_sidata;
	for (uint32_t *dst = &_sdata; dst < &_edata;)
		*dst++ = *src++;
	for (uint32_t *dst = &_sbss; dst < &_ebss;)
		*dst++ = 0;
	for (;;)
		oracle_bss[0] += oracle_data[oracle_bss[0] & 7] + oracle_calib[0] + oracle_bank2[0];
}
