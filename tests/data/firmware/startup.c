/* startup.c: vector table and reset handler of the test firmware (ARMv7-M
 * B1.5.3: the table starts with the initial SP, then the reset vector and
 * the system exceptions). The fault handlers spin where a debugger can find
 * them; the fault report names them. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
extern int main(void);

void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void Default_Handler(void);

/* SCB_CPACR (ARMv7-M B3.2.20): CP10/CP11 full access, so that code built
 * for the FPU can run. */
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

__attribute__((section(".isr_vector"), used)) const void *const vectors[16] = {
    &_estack,
    (const void *)Reset_Handler,
    (const void *)NMI_Handler,
    (const void *)HardFault_Handler,
    (const void *)MemManage_Handler,
    (const void *)BusFault_Handler,
    (const void *)UsageFault_Handler,
    0,
    0,
    0,
    0,
    (const void *)Default_Handler, /* SVCall */
    (const void *)Default_Handler, /* DebugMonitor */
    0,
    (const void *)Default_Handler, /* PendSV */
    (const void *)Default_Handler, /* SysTick */
};

void
Reset_Handler(void)
{
	uint32_t *src = &_sidata;
	for (uint32_t *dst = &_sdata; dst < &_edata;)
		*dst++ = *src++;
	for (uint32_t *dst = &_sbss; dst < &_ebss;)
		*dst++ = 0;
	SCB_CPACR |= 0xFu << 20;
	main();
	for (;;) {
	}
}

void
NMI_Handler(void)
{
	for (;;) {
	}
}

/* Weak: firmware may bring its own. */
__attribute__((weak)) void
HardFault_Handler(void)
{
	for (;;) {
	}
}

void
MemManage_Handler(void)
{
	for (;;) {
	}
}

void
BusFault_Handler(void)
{
	for (;;) {
	}
}

void
UsageFault_Handler(void)
{
	for (;;) {
	}
}

void
Default_Handler(void)
{
	for (;;) {
	}
}
