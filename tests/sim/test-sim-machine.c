/* test-sim-machine.c: the machine tables behind a board. The core (code
 * running on Unicorn) and the debugger (ST-LINK memory commands) see one
 * memory map: what code stores is what the debugger reads at the same
 * address and through the aliases, and an address no region covers faults
 * for both. The code is hand-assembled Thumb, so these tests need no cross
 * compiler. */
#include "sim-test.h"

#define SRAM1 0x20000000u
#define SRAM2 0x10000000u
#define SRAM2_ALIAS 0x20018000u
#define CODE_AT 0x20001000u
#define UNMAPPED 0x30000000u
#define SCRATCH 0x20002000u

#define DBGKEY 0xA05F0000u
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define S_HALT (1u << 17)
#define S_LOCKUP (1u << 19)
#define CFSR 0xE000ED28u
#define BFAR 0xE000ED38u
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)

#define STATUS_OK 0x80u
#define STATUS_AP_FAULT 0x11u

/* WRITEREG (F2 34) */
static void
st_write_reg(GlintSim *sim, guint idx, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x34, (guint8)idx};
	guint8 r[2] = {0};
	st_put32(cmd + 3, v);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], STATUS_OK);
}

/* Code at CODE_AT: "ldr r0, =@src; ldr r1, =@dst; ldr r2, [r0];
 * str r2, [r1]; bkpt", written by the debugger and run from a halt. */
static void
run_copy(GlintSim *sim, guint32 src, guint32 dst)
{
	static const guint16 code[] = {
	    0x4802, /* ldr r0, [pc, #8]  -> the word at +0x0C */
	    0x4903, /* ldr r1, [pc, #12] -> the word at +0x10 */
	    0x6802, /* ldr r2, [r0] */
	    0x600A, /* str r2, [r1] */
	    0xBE00, /* bkpt #0 */
	    0xBF00, /* nop (pads the literals to a word) */
	};
	guint8 buf[20];
	for (guint i = 0; i < G_N_ELEMENTS(code); i++) {
		buf[2 * i] = (guint8)code[i];
		buf[2 * i + 1] = (guint8)(code[i] >> 8);
	}
	st_put32(buf + 12, src);
	st_put32(buf + 16, dst);
	for (guint i = 0; i < sizeof(buf); i += 4)
		ck_assert_uint_eq(st_write32(sim, CODE_AT + i, st_get32(buf + i)), STATUS_OK);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), STATUS_OK);
	st_write_reg(sim, 15, CODE_AT);		/* PC */
	st_write_reg(sim, 16, 1u << 24);	/* xPSR: Thumb */
	st_write_reg(sim, 13, SRAM1 + 0x8000u); /* SP */
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), STATUS_OK);
	/* the core runs in the virtual time the next commands take */
	glint_sim_advance_time(sim, 1000000);
}

/* The code stores @value at @addr (from a scratch word in SRAM1) */
static void
run_store(GlintSim *sim, guint32 addr, guint32 value)
{
	ck_assert_uint_eq(st_write32(sim, SCRATCH, value), STATUS_OK);
	run_copy(sim, SCRATCH, addr);
}

static GlintSim *
debug_board(void)
{
	GlintSim *sim = sim_new_ok("fresh");
	st_enter_swd(sim);
	return sim;
}

START_TEST(test_core_store_seen_by_debugger)
{
	g_autoptr(GlintSim) sim = debug_board();
	guint32 v = 0, dhcsr = 0;
	run_store(sim, SRAM1 + 0x100u, 0xC0DE1234u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_HALT, "the core did not reach its BKPT (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(st_read32(sim, SRAM1 + 0x100u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0xC0DE1234u);
}
END_TEST

/* SRAM2 answers at 0x10000000 and at 0x20018000: one region, two windows,
 * for the core and the debugger alike */
START_TEST(test_alias_same_bytes)
{
	g_autoptr(GlintSim) sim = debug_board();
	guint32 v = 0, dhcsr = 0;
	run_store(sim, SRAM2_ALIAS + 0x10u, 0x5A5AA5A5u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_HALT, "the core faulted storing through the alias (DHCSR 0x%08x)",
		      dhcsr);
	ck_assert_uint_eq(st_read32(sim, SRAM2 + 0x10u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x5A5AA5A5u);
	ck_assert_uint_eq(st_read32(sim, SRAM2_ALIAS + 0x10u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x5A5AA5A5u);
	/* and the other way round: the debugger writes, the core reads */
	ck_assert_uint_eq(st_write32(sim, SRAM2 + 0x20u, 0x01020304u), STATUS_OK);
	ck_assert_uint_eq(glint_sim_peek32(sim, SRAM2_ALIAS + 0x20u), 0x01020304u);
}
END_TEST

/* An address no region covers: the core's store is a precise bus fault
 * (BFAR names it) and the debugger's read an AP fault */
START_TEST(test_unmapped_faults_for_both)
{
	g_autoptr(GlintSim) sim = debug_board();
	guint32 v = 0, dhcsr = 0, cfsr = 0, bfar = 0, fault_addr = 0;
	guint8 cmd[16], data[8];
	run_store(sim, UNMAPPED, 0x11111111u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_LOCKUP, "the core did not fault (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(st_read32(sim, CFSR, &cfsr), STATUS_OK);
	ck_assert_uint_eq(cfsr & (CFSR_PRECISERR | CFSR_BFARVALID),
			  CFSR_PRECISERR | CFSR_BFARVALID);
	ck_assert_uint_eq(st_read32(sim, BFAR, &bfar), STATUS_OK);
	ck_assert_uint_eq(bfar, UNMAPPED);
	ck_assert_uint_eq(st_read32(sim, UNMAPPED, &v), STATUS_AP_FAULT);
	st_mem_cmd(cmd, 0x07, UNMAPPED, sizeof(data)); /* READMEM_32BIT */
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, data, sizeof(data)), sizeof(data));
	ck_assert_uint_eq(st_last_status(sim, &fault_addr), STATUS_AP_FAULT);
	ck_assert_uint_eq(fault_addr, UNMAPPED);
	ck_assert(!glint_sim_bus_read(sim, UNMAPPED, 4, &v));
}
END_TEST

/* The boot alias at 0 shows main flash to both */
START_TEST(test_boot_alias_shows_flash)
{
	g_autoptr(GlintSim) sim = debug_board();
	const guint8 word[4] = {0x78, 0x56, 0x34, 0x12};
	guint32 v = 0, dhcsr = 0;
	ck_assert(glint_sim_poke(sim, FLASH_BASE + 0x400u, word, sizeof(word)));
	ck_assert_uint_eq(st_read32(sim, 0x400u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x12345678u);
	run_copy(sim, 0x400u, SRAM1 + 0x300u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_HALT, "the core faulted loading from 0x400 (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(st_read32(sim, SRAM1 + 0x300u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x12345678u);
}
END_TEST

/* A load from nowhere faults the core too */
START_TEST(test_unmapped_load_faults)
{
	g_autoptr(GlintSim) sim = debug_board();
	guint32 dhcsr = 0, bfar = 0;
	run_copy(sim, UNMAPPED + 0x40u, SRAM1 + 0x300u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_LOCKUP, "the core did not fault (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(st_read32(sim, BFAR, &bfar), STATUS_OK);
	ck_assert_uint_eq(bfar, UNMAPPED + 0x40u);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-machine");
	TCase *map = tcase_create("map");
	tcase_add_test(map, test_core_store_seen_by_debugger);
	tcase_add_test(map, test_alias_same_bytes);
	tcase_add_test(map, test_unmapped_faults_for_both);
	tcase_add_test(map, test_boot_alias_shows_flash);
	tcase_add_test(map, test_unmapped_load_faults);
	suite_add_tcase(s, map);
	return run_suite(s);
}
