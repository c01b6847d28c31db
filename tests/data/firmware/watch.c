/* watch.c: globals and statics of every kind of type the debug-info reader
 * and the live watch must understand, with values a test can predict. main()
 * keeps a few of them moving: `counter` counts loop passes, `state.count`
 * follows it by twos, `ramp` by halves, `buf[counter % 8]` takes the low byte
 * of the count. */
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	MODE_IDLE = 0,
	MODE_RUN = 5,
	MODE_FAULT = -1,
} run_mode_t;

typedef uint32_t tick_t;

struct point {
	int16_t x;
	int16_t y;
};

struct state {
	uint32_t count;
	float ratio;
	uint8_t flags[3];
	struct point where;
	run_mode_t mode;
	const char *name;
	union {
		uint32_t word;
		uint8_t bytes[4];
	} raw;
	unsigned ready : 1;
	unsigned level : 3;
	signed delta : 5;
};

volatile uint32_t counter;
int8_t s8 = -8;
uint8_t u8 = 200;
int16_t s16 = -1600;
uint16_t u16 = 60000;
int32_t s32 = -320000;
uint32_t u32 = 0xDEADBEEFu;
int64_t s64 = -6400000000LL;
uint64_t u64 = 0x0123456789ABCDEFull;
float f32 = 1.5f;
double f64 = -2.25;
bool flag = true;
char letter = 'G';
long along = -42L;
unsigned long long ull = 18446744073709551615ull;
const uint16_t table[4] = {1, 2, 3, 4};
volatile struct state state = {
    .count = 0,
    .ratio = 0.25f,
    .flags = {1, 2, 3},
    .where = {-3, 4},
    .mode = MODE_RUN,
    .name = "watch",
    .raw = {.word = 0x04030201u},
    .ready = 1,
    .level = 5,
    .delta = -7,
};
int16_t matrix[2][3] = {{1, -2, 3}, {-4, 5, -6}};
uint8_t buf[8];
struct point points[2] = {{10, 20}, {30, 40}};
const volatile struct point *where_ptr = &state.where;
tick_t ticks = 1000;
run_mode_t mode = MODE_FAULT;
float ramp;
static uint32_t file_static = 7;

uint32_t
watch_step(void)
{
	static uint32_t calls = 100;
	calls++;
	file_static += 3;
	return calls;
}

int
main(void)
{
	for (;;) {
		counter++;
		state.count += 2;
		buf[counter % 8] = (uint8_t)counter;
		ramp += 0.5f;
		ticks = watch_step();
	}
}
