/* demo.c: the firmware of the emulator's demo scenario, also fine on a real
 * NUCLEO-L476RG. It blinks the board's LED, counts in the global `counter`
 * and prints a line every 100 ms over SWO (ITM stimulus port 0) and SEGGER
 * RTT (up channel 0). A line read on RTT down channel 0 is a command:
 * "crash" makes it store to a reserved address, a bus fault for Glint's
 * fault report to explain; "help" lists the commands.
 *
 * Plain Thumb for a Cortex-M0+ so that it runs on every STM32 core; SWO only
 * where the core has an ITM (ARMv7-M and ARMv8-M Mainline: CPUID's
 * architecture field reads 0xF). It keeps the clock of reset. The board it
 * runs on is described in the block after the vectors
 * (glint-demo-config.h). Built by regen-firmware.sh; the ELF is shipped. */
#include <stdint.h>

#include "glint-demo-config.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* ARMv7-M / ARMv6-M system registers (ARMv7-M ARM B3.2, B3.3, C1.7) */
#define CPUID 0xE000ED00u
#define CPUID_ARCHITECTURE(v) (((v) >> 16) & 0xFu)
#define CPUID_ARCH_V7M 0xFu
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)
#define ITM_STIM0 0xE0000000u
#define ITM_TER 0xE0000E00u
#define ITM_TCR 0xE0000E80u
#define ITM_TCR_ITMENA (1u << 0)

/* GPIO registers, by layout */
#define GPIO_MODER 0x00u
#define GPIO_BSRR 0x18u
#define GPIO_CRL 0x00u
#define GPIO_CRH 0x04u
#define GPIO_F1_BSRR 0x10u

/* What the tick counts: 10 ms ticks; a line every 100 ms, the LED every 250 */
#define TICKS_PER_LINE 10u
#define TICKS_PER_BLINK 25u

/* SEGGER RTT's control block, as J-Link, OpenOCD and probe-rs read it */
#define RTT_UP_BUFFERS 1
#define RTT_DOWN_BUFFERS 1
#define RTT_UP_SIZE 512u
#define RTT_DOWN_SIZE 32u
#define RTT_MODE_NO_BLOCK_SKIP 0u

typedef struct {
	const char *name;
	char *buffer;
	uint32_t size;
	volatile uint32_t write_offset;
	volatile uint32_t read_offset;
	uint32_t flags;
} RttBuffer;

typedef struct {
	char id[16];
	int32_t max_up;
	int32_t max_down;
	RttBuffer up[RTT_UP_BUFFERS];
	RttBuffer down[RTT_DOWN_BUFFERS];
} RttControlBlock;

/* The board description the emulator rewrites (see glint-demo-config.h):
 * volatile, or the compiler would fold these values into the code */
__attribute__((section(".demo_config"), used)) const volatile GlintDemoConfig demo_config = {
    .magic = GLINT_DEMO_CONFIG_MAGIC,
    .version = GLINT_DEMO_CONFIG_VERSION,
    /* NUCLEO-L476RG: 4 MHz MSI at reset (RM0351 6.2.3) */
    .systick_reload = 4000000u / 100u - 1u,
    /* LD2 on PA5; GPIOA is clocked by RCC_AHB2ENR.GPIOAEN (RM0351 6.4.17) */
    .led_gpio = 0x48000000u,
    .led_pin = 5u,
    .led_style = GLINT_DEMO_GPIO_MODER,
    .led_rcc_reg = 0x4002104Cu,
    .led_rcc_mask = 1u << 0,
};

/* Counts lines printed: what `glint-cli watch counter` shows rising */
volatile uint32_t counter;

RttControlBlock _SEGGER_RTT;
static char rtt_up_buffer[RTT_UP_SIZE];
static char rtt_down_buffer[RTT_DOWN_SIZE];
static int have_itm;

/* The command being typed on RTT down channel 0 */
static char command[16];
static uint32_t command_length;

static void
rtt_init(void)
{
	static const char id[] = "SEGGER RTT";
	RttControlBlock *cb = &_SEGGER_RTT;

	cb->max_up = RTT_UP_BUFFERS;
	cb->max_down = RTT_DOWN_BUFFERS;
	cb->up[0].name = "Terminal";
	cb->up[0].buffer = rtt_up_buffer;
	cb->up[0].size = RTT_UP_SIZE;
	cb->up[0].flags = RTT_MODE_NO_BLOCK_SKIP;
	cb->down[0].name = "Terminal";
	cb->down[0].buffer = rtt_down_buffer;
	cb->down[0].size = RTT_DOWN_SIZE;
	cb->down[0].flags = RTT_MODE_NO_BLOCK_SKIP;
	/* the ID goes last, so that a debugger scanning RAM never finds a
	 * block that is not ready */
	__asm__ volatile("dmb" ::: "memory");
	for (unsigned i = 0; i < sizeof(id); i++)
		cb->id[i] = id[i];
}

/* Up channel 0 in "skip" mode: a message that does not fit is dropped whole
 * (SEGGER's default), so a program never waits for a debugger */
static void
rtt_write(const char *text, uint32_t length)
{
	RttBuffer *up = &_SEGGER_RTT.up[0];
	uint32_t wr = up->write_offset;
	uint32_t rd = up->read_offset;
	uint32_t free = rd > wr ? rd - wr - 1u : up->size - (wr - rd) - 1u;

	if (length > free)
		return;
	for (uint32_t i = 0; i < length; i++) {
		up->buffer[wr] = text[i];
		if (++wr == up->size)
			wr = 0;
	}
	__asm__ volatile("dmb" ::: "memory");
	up->write_offset = wr;
}

/* One byte on ITM stimulus port 0, when the debugger has switched it on */
static void
itm_putc(char c)
{
	if (!have_itm || !(REG(ITM_TCR) & ITM_TCR_ITMENA) || !(REG(ITM_TER) & 1u))
		return;
	while ((REG(ITM_STIM0) & 1u) == 0)
		;
	*(volatile uint8_t *)ITM_STIM0 = (uint8_t)c;
}

static uint32_t
text_length(const char *text)
{
	uint32_t n = 0;
	while (text[n] != '\0')
		n++;
	return n;
}

static void
print(const char *text)
{
	uint32_t n = text_length(text);
	for (uint32_t i = 0; i < n; i++)
		itm_putc(text[i]);
	rtt_write(text, n);
}

/* Decimal without a divide instruction (the Cortex-M0+ has none) */
static char *
format_unsigned(char *out, uint32_t value)
{
	static const uint32_t powers[] = {1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
					  10000u,      1000u,	   100u,      10u,	1u};
	int started = 0;
	for (unsigned i = 0; i < sizeof(powers) / sizeof(powers[0]); i++) {
		char digit = '0';
		while (value >= powers[i]) {
			value -= powers[i];
			digit++;
		}
		if (digit != '0' || started || powers[i] == 1u) {
			*out++ = digit;
			started = 1;
		}
	}
	return out;
}

static void
print_counter_line(void)
{
	static const char prefix[] = "glint demo: counter=";
	char line[48];
	char *p = line;
	for (unsigned i = 0; i < sizeof(prefix) - 1u; i++)
		*p++ = prefix[i];
	p = format_unsigned(p, counter);
	*p++ = '\n';
	*p = '\0';
	print(line);
}

static void
led_init(void)
{
	const volatile GlintDemoConfig *cfg = &demo_config;
	uint32_t pin = cfg->led_pin;

	if (cfg->led_gpio == 0)
		return;
	if (cfg->led_rcc_reg != 0)
		REG(cfg->led_rcc_reg) |= cfg->led_rcc_mask;
	if (cfg->led_style == GLINT_DEMO_GPIO_CRL_CRH) {
		/* MODE 01 (output, 10 MHz), CNF 00 (push-pull) */
		uint32_t reg = cfg->led_gpio + (pin < 8u ? GPIO_CRL : GPIO_CRH);
		uint32_t shift = (pin & 7u) * 4u;
		REG(reg) = (REG(reg) & ~(0xFu << shift)) | (0x1u << shift);
	} else {
		/* MODER 01: general-purpose output */
		uint32_t reg = cfg->led_gpio + GPIO_MODER;
		REG(reg) = (REG(reg) & ~(3u << (2u * pin))) | (1u << (2u * pin));
	}
}

static void
led_set(int on)
{
	const volatile GlintDemoConfig *cfg = &demo_config;
	uint32_t bsrr;
	if (cfg->led_gpio == 0)
		return;
	bsrr =
	    cfg->led_gpio + (cfg->led_style == GLINT_DEMO_GPIO_CRL_CRH ? GPIO_F1_BSRR : GPIO_BSRR);
	REG(bsrr) = on ? 1u << cfg->led_pin : 1u << (cfg->led_pin + 16u);
}

/* The command that gives the fault report something to explain */
static void __attribute__((noinline)) crash(void)
{
	print("glint demo: crashing: storing to a reserved address\n");
	*(volatile uint32_t *)GLINT_DEMO_CRASH_ADDRESS = counter;
}

static int
command_is(const char *word)
{
	uint32_t n = text_length(word);
	if (n != command_length)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		if (command[i] != word[i])
			return 0;
	}
	return 1;
}

static void
run_command(void)
{
	if (command_length == 0)
		return;
	if (command_is("crash"))
		crash();
	else if (command_is("help"))
		print("glint demo: commands: crash, help\n");
	else
		print("glint demo: unknown command (try help)\n");
}

/* Reads what the debugger wrote to down channel 0; a line is a command */
static void
poll_commands(void)
{
	RttBuffer *down = &_SEGGER_RTT.down[0];
	uint32_t rd = down->read_offset;
	while (rd != down->write_offset) {
		char c = down->buffer[rd];
		if (++rd == down->size)
			rd = 0;
		down->read_offset = rd;
		if (c == '\n' || c == '\r') {
			run_command();
			command_length = 0;
		} else if (command_length < sizeof(command)) {
			command[command_length++] = c;
		}
	}
}

int
main(void)
{
	uint32_t line_ticks = 0, blink_ticks = 0;
	int led_on = 0;

	have_itm = CPUID_ARCHITECTURE(REG(CPUID)) == CPUID_ARCH_V7M;
	led_init();
	rtt_init();
	REG(SYST_RVR) = demo_config.systick_reload;
	REG(SYST_CVR) = 0;
	REG(SYST_CSR) = SYST_CSR_CLKSOURCE | SYST_CSR_ENABLE;
	print("glint demo: started\n");
	for (;;) {
		poll_commands();
		if (!(REG(SYST_CSR) & SYST_CSR_COUNTFLAG))
			continue;
		if (++blink_ticks == TICKS_PER_BLINK) {
			blink_ticks = 0;
			led_on = !led_on;
			led_set(led_on);
		}
		if (++line_ticks == TICKS_PER_LINE) {
			line_ticks = 0;
			counter++;
			print_counter_line();
		}
	}
}

/* Start-up: .data from flash, .bss cleared, then main */
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

void
reset_handler(void)
{
	uint32_t *src = &_sidata;
	for (uint32_t *dst = &_sdata; dst < &_edata;)
		*dst++ = *src++;
	for (uint32_t *dst = &_sbss; dst < &_ebss;)
		*dst++ = 0;
	main();
	for (;;)
		;
}

/* Faults stop here, the stacked frame intact for the debugger to read */
void
fault_handler(void)
{
	for (;;)
		;
}

__attribute__((section(".vectors"), used)) void (*const vectors[16])(void) = {
    (void (*)(void)) & _estack,
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
    0,
    0,
    0,
    0,
    fault_handler, /* SVCall */
    fault_handler, /* DebugMonitor */
    0,
    fault_handler, /* PendSV */
    fault_handler, /* SysTick (not enabled: the tick is polled) */
};
