/* trace-test.h: what the trace tests' firmware (trace-test.c) sends over
 * SWO and RTT, shared by the firmware and the tests that read it back.
 * Fixed-width types only: the firmware is built without a C library. */
#pragma once

#include <stdint.h>

/* The test's handle on the firmware, at the start of SRAM */
#define TT_CONTROL_ADDR 0x20000000u
#define TT_MAGIC 0x54535454u /* "TTST": the firmware has started */

typedef struct {
	uint32_t magic;
	/* set by the test: the firmware then reads RTT down channel 0 and
	 * echoes what it reads on up channel 1 (until then the down buffer
	 * fills up) */
	uint32_t read_down;
	/* set by the firmware: every ITM item stored / all the RTT text in
	 * up buffer 0 */
	uint32_t itm_done;
	uint32_t rtt_done;
	/* bytes read from down channel 0 so far */
	uint32_t down_bytes;
} TtControl;

/* RTT: two up buffers and one down buffer, small so that they wrap and
 * fill; up 0 carries TT_RTT_LINES lines of text, up 1 the echo */
#define TT_RTT_UP0_SIZE 64u
#define TT_RTT_UP1_SIZE 128u
#define TT_RTT_DOWN0_SIZE 16u
#define TT_RTT_LINES 40u
/* line N (two digits) is TT_RTT_LINE_HEAD "NN" TT_RTT_LINE_TAIL */
#define TT_RTT_LINE_HEAD "rtt line "
#define TT_RTT_LINE_TAIL ": the quick brown fox jumps over the lazy dog\n"
#define TT_RTT_UP0_NAME "Terminal"
#define TT_RTT_UP1_NAME "Echo"
#define TT_RTT_DOWN0_NAME "Input"

/* ITM, once the debugger has enabled it (TCR.ITMENA and any TER bit), in
 * this order, each store waiting for FIFOREADY:
 *   port 0: TT_ITM_TEXT, byte stores
 *   port 1: TT_ITM_HALFWORDS, halfword stores
 *   port 2: TT_ITM_WORDS, word stores
 *   port 3: the bytes 0x00 to 0xFF, byte stores
 *   port 31: TT_ITM_LAST, a byte store */
#define TT_ITM_TEXT "itm port 0: hello from the trace test firmware\n"
#define TT_ITM_HALFWORDS                                                                           \
	{                                                                                          \
		0x1234u, 0xABCDu, 0x0080u                                                          \
	}
#define TT_ITM_WORDS                                                                               \
	{                                                                                          \
		0xDEADBEEFu, 0x00000001u, 0x80000000u                                              \
	}
#define TT_ITM_LAST 0x5Au
