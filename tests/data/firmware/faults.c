/* faults.c: firmware that takes one fault, chosen when it is built
 * (-DFAULT_KIND=...), so the fault report has something exact to explain.
 * Each fault line is marked with a FAULT_LINE comment the tests look up.
 *
 *   1 imprecise bus fault: a buffered store to 0x60000000 (FMC bank 1, not
 *     enabled: RM0351 16.4 answers AHB errors there)
 *   2 precise bus fault: a load from 0x60000000
 *   3 usage fault: divide by zero with CCR.DIV_0_TRP set
 *   4 usage fault: undefined instruction (UDF)
 *   5 MemManage: a call into the execute-never peripheral region
 *   6 forced HardFault: the precise bus fault with BusFault disabled
 *   7 lockup: a HardFault whose handler faults again
 */
#include <stdint.h>

/* SCB registers (ARMv7-M B3.2.2) */
#define SCB_CCR (*(volatile uint32_t *)0xE000ED14u)
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define CCR_DIV_0_TRP (1u << 4)
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
#define FMC_BANK1 0x60000000u
#define PERIPHERAL_CODE 0x40000001u

volatile uint32_t fault_sink;
volatile int32_t divisor;
volatile uint32_t before_fault;

#if FAULT_KIND == 7
/* The handler itself faults: a fault at priority -1 locks the core up. */
void
HardFault_Handler(void)
{
	fault_sink = *(volatile uint32_t *)FMC_BANK1; /* FAULT_LINE lockup-handler */
	for (;;) {
	}
}
#endif

static void
enable_faults(void)
{
	uint32_t enables = SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
#if FAULT_KIND == 6 || FAULT_KIND == 7
	enables = 0; /* everything escalates to HardFault */
#endif
	SCB_SHCSR |= enables;
	SCB_CCR |= CCR_DIV_0_TRP;
}

__attribute__((noinline)) void
take_fault(void)
{
#if FAULT_KIND == 1
	*(volatile uint32_t *)FMC_BANK1 = 0xDEADBEEFu; /* FAULT_LINE imprecise */
#elif FAULT_KIND == 2 || FAULT_KIND == 6
	fault_sink = *(volatile uint32_t *)FMC_BANK1; /* FAULT_LINE precise */
#elif FAULT_KIND == 3
	fault_sink = 100 / divisor; /* FAULT_LINE divide */
#elif FAULT_KIND == 4 || FAULT_KIND == 7
	__asm volatile("udf #0"); /* FAULT_LINE undefined */
#elif FAULT_KIND == 5
	((void (*)(void))PERIPHERAL_CODE)(); /* FAULT_LINE execute-never */
#else
#error "FAULT_KIND must be 1 to 7"
#endif
	fault_sink++;
}

int
main(void)
{
	enable_faults();
	for (uint32_t i = 0; i < 1000; i++)
		before_fault++;
	take_fault(); /* FAULT_LINE call */
	for (;;) {
	}
}
