/* trace-test.c: the firmware Glint's trace tests run (not the demo): known
 * bytes on ITM stimulus ports and in SEGGER RTT buffers, as trace-test.h
 * lists them, for the tests to read back exactly. One cooperative loop
 * feeds the ITM (once a debugger enables it), up buffer 0 (whenever it has
 * room: the text wraps around it many times) and, once the test allows it,
 * echoes down channel 0 on up channel 1. Plain Thumb for a Cortex-M0+;
 * built by resources/firmware/regen-firmware.sh, the image checked in. */
#include <stdint.h>

#include "trace-test.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define ITM_STIM(port) (0xE0000000u + 4u * (port))
#define ITM_TER 0xE0000E00u
#define ITM_TCR 0xE0000E80u
#define ITM_TCR_ITMENA (1u << 0)

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
	RttBuffer up[2];
	RttBuffer down[1];
} RttControlBlock;

__attribute__((section(".tt_control"))) volatile TtControl tt_control;
RttControlBlock _SEGGER_RTT;
static char up0[TT_RTT_UP0_SIZE], up1[TT_RTT_UP1_SIZE], down0[TT_RTT_DOWN0_SIZE];

/* RTT ------------------------------------------------------------------ */

static void
rtt_init(void)
{
	static const char id[] = "SEGGER RTT";
	RttControlBlock *cb = &_SEGGER_RTT;
	cb->max_up = 2;
	cb->max_down = 1;
	cb->up[0] = (RttBuffer){TT_RTT_UP0_NAME, up0, sizeof(up0), 0, 0, 2};
	cb->up[1] = (RttBuffer){TT_RTT_UP1_NAME, up1, sizeof(up1), 0, 0, 2};
	cb->down[0] = (RttBuffer){TT_RTT_DOWN0_NAME, down0, sizeof(down0), 0, 0, 2};
	__asm__ volatile("dmb" ::: "memory");
	for (unsigned i = 0; i < sizeof(id); i++)
		cb->id[i] = id[i];
}

/* One byte into an up buffer if it has room (the caller tries again) */
static int
rtt_put(RttBuffer *up, char c)
{
	uint32_t wr = up->write_offset;
	uint32_t next = wr + 1u == up->size ? 0 : wr + 1u;
	if (next == up->read_offset)
		return 0;
	up->buffer[wr] = c;
	__asm__ volatile("dmb" ::: "memory");
	up->write_offset = next;
	return 1;
}

/* The text of up channel 0, one byte per call while there is room */
static uint32_t rtt_line, rtt_pos;

static char
rtt_text_byte(uint32_t line, uint32_t pos, int *end_of_line)
{
	static const char head[] = TT_RTT_LINE_HEAD;
	static const char tail[] = TT_RTT_LINE_TAIL;
	*end_of_line = 0;
	if (pos < sizeof(head) - 1u)
		return head[pos];
	pos -= sizeof(head) - 1u;
	if (pos == 0) {
		char tens = '0';
		while (line >= 10u) {
			line -= 10u;
			tens++;
		}
		return tens;
	}
	if (pos == 1) {
		while (line >= 10u)
			line -= 10u;
		return (char)('0' + line);
	}
	pos -= 2;
	*end_of_line = pos == sizeof(tail) - 2u;
	return tail[pos];
}

static void
rtt_step(void)
{
	while (rtt_line < TT_RTT_LINES) {
		int eol;
		char c = rtt_text_byte(rtt_line, rtt_pos, &eol);
		if (!rtt_put(&_SEGGER_RTT.up[0], c))
			return;
		rtt_pos++;
		if (eol) {
			rtt_line++;
			rtt_pos = 0;
		}
	}
	tt_control.rtt_done = 1;
}

/* Down channel 0 echoed on up channel 1, once the test allows reading */
static void
echo_step(void)
{
	RttBuffer *down = &_SEGGER_RTT.down[0];
	uint32_t rd = down->read_offset;
	if (!tt_control.read_down)
		return;
	while (rd != down->write_offset) {
		if (!rtt_put(&_SEGGER_RTT.up[1], down->buffer[rd]))
			return;
		rd = rd + 1u == down->size ? 0 : rd + 1u;
		down->read_offset = rd;
		tt_control.down_bytes++;
	}
}

/* ITM -------------------------------------------------------------------- */

enum { ITM_TEXT, ITM_HALFWORDS, ITM_WORDS, ITM_BYTES, ITM_LAST, ITM_DONE };
static uint32_t itm_stage, itm_index;

static int
itm_ready(uint32_t port)
{
	return (REG(ITM_STIM(port)) & 1u) != 0;
}

static void
itm_step(void)
{
	static const char text[] = TT_ITM_TEXT;
	static const uint16_t halfwords[] = TT_ITM_HALFWORDS;
	static const uint32_t words[] = TT_ITM_WORDS;

	if (itm_stage == ITM_DONE || !(REG(ITM_TCR) & ITM_TCR_ITMENA) || REG(ITM_TER) == 0)
		return;
	switch (itm_stage) {
	case ITM_TEXT:
		if (!itm_ready(0))
			return;
		*(volatile uint8_t *)ITM_STIM(0) = (uint8_t)text[itm_index];
		if (++itm_index == sizeof(text) - 1u)
			itm_stage++, itm_index = 0;
		return;
	case ITM_HALFWORDS:
		if (!itm_ready(1))
			return;
		*(volatile uint16_t *)ITM_STIM(1) = halfwords[itm_index];
		if (++itm_index == sizeof(halfwords) / sizeof(halfwords[0]))
			itm_stage++, itm_index = 0;
		return;
	case ITM_WORDS:
		if (!itm_ready(2))
			return;
		*(volatile uint32_t *)ITM_STIM(2) = words[itm_index];
		if (++itm_index == sizeof(words) / sizeof(words[0]))
			itm_stage++, itm_index = 0;
		return;
	case ITM_BYTES:
		if (!itm_ready(3))
			return;
		*(volatile uint8_t *)ITM_STIM(3) = (uint8_t)itm_index;
		if (++itm_index == 256u)
			itm_stage++, itm_index = 0;
		return;
	default:
		if (!itm_ready(31))
			return;
		*(volatile uint8_t *)ITM_STIM(31) = TT_ITM_LAST;
		itm_stage = ITM_DONE;
		tt_control.itm_done = 1;
		return;
	}
}

int
main(void)
{
	int have_itm = ((REG(0xE000ED00u) >> 16) & 0xFu) == 0xFu;
	rtt_init();
	tt_control.magic = TT_MAGIC;
	for (;;) {
		if (have_itm)
			itm_step();
		rtt_step();
		echo_step();
	}
}

extern uint32_t _sbss, _ebss, _estack;

void
reset_handler(void)
{
	for (uint32_t *p = &_sbss; p < &_ebss;)
		*p++ = 0;
	main();
}

void
fault_handler(void)
{
	for (;;)
		;
}

__attribute__((section(".vectors"), used)) void (*const vectors[16])(void) = {
    (void (*)(void)) & _estack,
    reset_handler,
    fault_handler,
    fault_handler,
    fault_handler,
    fault_handler,
    fault_handler,
    0,
    0,
    0,
    0,
    fault_handler,
    fault_handler,
    0,
    fault_handler,
    fault_handler,
};
