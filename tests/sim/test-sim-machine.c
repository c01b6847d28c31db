/* test-sim-machine.c: the machine tables behind a board. The core (code
 * running on Unicorn) and the debugger (ST-LINK memory commands) see one
 * memory map: what code stores is what the debugger reads at the same
 * address and through the aliases, and an address no region covers faults
 * for both. A toy machine defined here (a Cortex-M0 with 6 KB of SRAM,
 * flash and data EEPROM that erase to 0x00, option bytes as half-words
 * with complements, the DBGMCU in the peripheral space) shows that what
 * other families need fits the interface without touching the framework.
 * The code is hand-assembled Thumb, so these tests need no cross compiler. */
#include "sim-test.h"

#include <glib/gstdio.h>

#include "sim-private.h"

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
#define CFSR_IMPRECISERR (1u << 10)
#define ACTLR 0xE000E008u
#define ACTLR_DISDEFWBUF (1u << 1)
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

/* An address no region covers: the core's store is a bus fault, imprecise
 * as the write buffer makes it (IMPRECISERR, BFAR not written), precise
 * with BFAR naming the address once ACTLR.DISDEFWBUF turns the buffer off;
 * the debugger's read is an AP fault */
START_TEST(test_unmapped_faults_for_both)
{
	g_autoptr(GlintSim) sim = debug_board();
	g_autoptr(GlintSim) unbuffered = debug_board();
	guint32 v = 0, dhcsr = 0, cfsr = 0, bfar = 0, fault_addr = 0;
	guint8 cmd[16], data[8];
	run_store(sim, UNMAPPED, 0x11111111u);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_LOCKUP, "the core did not fault (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(st_read32(sim, CFSR, &cfsr), STATUS_OK);
	ck_assert_uint_eq(cfsr & (CFSR_IMPRECISERR | CFSR_PRECISERR | CFSR_BFARVALID),
			  CFSR_IMPRECISERR);
	ck_assert_uint_eq(st_read32(sim, BFAR, &bfar), STATUS_OK);
	ck_assert_uint_eq(bfar, 0);
	ck_assert_uint_eq(st_write32(unbuffered, ACTLR, ACTLR_DISDEFWBUF), STATUS_OK);
	run_store(unbuffered, UNMAPPED, 0x11111111u);
	ck_assert_uint_eq(st_read32(unbuffered, CFSR, &cfsr), STATUS_OK);
	ck_assert_uint_eq(cfsr & (CFSR_IMPRECISERR | CFSR_PRECISERR | CFSR_BFARVALID),
			  CFSR_PRECISERR | CFSR_BFARVALID);
	ck_assert_uint_eq(st_read32(unbuffered, BFAR, &bfar), STATUS_OK);
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

/* The toy machine ------------------------------------------------------ */

enum { TOY_FLASH, TOY_SRAM, TOY_EEPROM, TOY_OPTIONS, TOY_SYSMEM };

#define TOY_FLASH_BASE 0x08000000u
#define TOY_SRAM_BASE 0x20000000u
#define TOY_SRAM_SIZE 0x1800u /* 6 KB: no multiple of a page */
#define TOY_EEPROM_BASE 0x08080000u
#define TOY_OPTIONS_BASE 0x1FFFF800u
#define TOY_SYSMEM_BASE 0x1FFFEC00u
#define TOY_DBGMCU 0x40015800u
#define TOY_IDCODE 0x20006440u

static const SimRegion toy_regions[] = {
    [TOY_FLASH] = {"flash", SIM_REGION_FLASH, TOY_FLASH_BASE, 0,
		   SIM_REGION_PROGRAMMED | SIM_REGION_NONVOLATILE | SIM_REGION_EXEC |
		       SIM_REGION_WAITS_BUSY,
		   0x00},
    [TOY_SRAM] = {"sram", SIM_REGION_SRAM, TOY_SRAM_BASE, TOY_SRAM_SIZE,
		  SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
    [TOY_EEPROM] = {"eeprom", SIM_REGION_EEPROM, TOY_EEPROM_BASE, 512,
		    SIM_REGION_PROGRAMMED | SIM_REGION_NONVOLATILE, 0x00},
    [TOY_OPTIONS] = {"options", SIM_REGION_OPTIONS, TOY_OPTIONS_BASE, 16,
		     SIM_REGION_PROGRAMMED | SIM_REGION_NONVOLATILE, 0xFF},
    [TOY_SYSMEM] = {"sysmem", SIM_REGION_SYSMEM, TOY_SYSMEM_BASE, 3 * 1024, SIM_REGION_EXEC, 0xFF},
};

static guint toy_programmed; /* stores the toy flash model saw */

/* The toy's flash model: a store programs at once */
static void
toy_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	SimHit hit;
	ck_assert(sim_map_resolve(sim, addr, size, TRUE, &hit));
	for (guint i = 0; i < size; i++)
		hit.mem[i] = (guint8)(value >> (8 * i));
	toy_programmed++;
}

/* Like an F1's FPEC, the toy takes its option bytes as half-words only */
static gboolean
toy_mem_write_faults(GlintSim *sim, guint32 addr, guint size)
{
	return addr >= TOY_OPTIONS_BASE && addr < TOY_OPTIONS_BASE + 16 && size != 2;
}

/* The upper half of the toy's flash is "secure": a debugger's access
 * reads as zero and writes nothing, as TrustZone parts do */
#define TOY_SECURE_BASE (TOY_FLASH_BASE + 0x2000u)

static gboolean
toy_access_ignored(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && hit->addr >= TOY_SECURE_BASE;
}

static guint32
toy_hclk(GlintSim *sim)
{
	return 8000000u;
}

static void
toy_map_windows(GlintSim *sim, SimMap *map)
{
	sim_map_forward(map, 0, sim->mem_size[TOY_FLASH], TOY_FLASH_BASE);
}

/* F1-style option bytes: half-words, value then complement */
static void
toy_factory(GlintSim *sim)
{
	guint8 *ob = sim->mem[TOY_OPTIONS];
	ob[0] = 0xA5;
	ob[1] = 0x5A;
}

static void
toy_protect(GlintSim *sim)
{
	sim->mem[TOY_OPTIONS][8] = 0xFE;
	sim->mem[TOY_OPTIONS][9] = 0x01;
}

static void
toy_rdp1(GlintSim *sim)
{
	sim->mem[TOY_OPTIONS][0] = 0x00;
	sim->mem[TOY_OPTIONS][1] = 0xFF;
}

static void
toy_stale(GlintSim *sim)
{
}

static const guint32 toy_dbgmcu_registers[] = {0x04};
static const SimDbgmcuConfig toy_dbgmcu = {toy_dbgmcu_registers, 1};

static const SimPeriph toy_periphs[] = {
    {"DBGMCU", TOY_DBGMCU, 0x400, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL, sim_dbgmcu_power_on,
     .config = &toy_dbgmcu},
    {"FLASH", 0x40022000u, 0x400, 0, sim_plain_read, sim_plain_write},
};

static const SimMachineOps toy_ops = {
    .map_windows = toy_map_windows,
    .hclk_hz = toy_hclk,
    .mem_write = toy_mem_write,
    .mem_write_faults = toy_mem_write_faults,
    .debug_access_ignored = toy_access_ignored,
    .factory = toy_factory,
    .protect_first_unit = toy_protect,
    .set_rdp_level1 = toy_rdp1,
    .leave_stale_flags = toy_stale,
};

static const SimMachine toy_machine = {
    .name = "toy",
    .family = "STM32TOY",
    .core = SIM_CORE_CORTEX_M0,
    .regions = toy_regions,
    .n_regions = G_N_ELEMENTS(toy_regions),
    .periphs = toy_periphs,
    .n_periphs = G_N_ELEMENTS(toy_periphs),
    .systick_ext_div = 8,
    .vector_count = 48,
    .ops = &toy_ops,
    .armv6m_strict = TRUE,
};

static const SimBoard toy_board = {
    "toy-board", "TOY-BOARD", "STM32TOY", &toy_machine, 16, TOY_IDCODE, "a machine of the tests",
};

static GlintSim *
toy_new(const char *scenario)
{
	const SimScenario *s = sim_scenario_find(&toy_board, scenario);
	GlintSim *sim;
	ck_assert_ptr_nonnull(s);
	sim = sim_new_internal(&toy_board, s, NULL);
	st_enter_swd(sim);
	return sim;
}

/* The core type, the DBGMCU's place and the board's IDCODE come from the
 * tables: a Cortex-M0's CPUID and SW-DP, IDCODE at 0x40015800, nothing at
 * the Cortex-M4's 0xE0042000 */
START_TEST(test_toy_identity)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	guint8 cmd[16] = {0xF2, 0x31}, r[12] = {0};
	guint32 v = 0;
	ck_assert_uint_eq(st_read32(sim, TOY_DBGMCU, &v), STATUS_OK);
	ck_assert_uint_eq(v, TOY_IDCODE);
	ck_assert_uint_eq(st_read32(sim, 0xE0042000u, &v), STATUS_AP_FAULT);
	ck_assert_uint_eq(st_read32(sim, 0xE000ED00u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x410CC200u);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), sizeof(r));
	ck_assert_uint_eq(r[0], STATUS_OK);
	ck_assert_uint_eq(st_get32(r + 4), 0x0BB11477u);
	/* the ROM table's part number is the DEV_ID */
	ck_assert_uint_eq(st_read32(sim, 0xE00FFFE0u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x40);
}
END_TEST

/* An ARMv6-M core's debug units: a breakpoint unit of 4 comparators and a
 * DWT of 2 (what OpenOCD counts from FP_CTRL.NUM_CODE and DWT_CTRL.NUMCOMP);
 * the address of a fifth comparator keeps nothing */
START_TEST(test_toy_armv6m_debug_units)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	guint32 v = 0;
	ck_assert_uint_eq(st_read32(sim, 0xE0002000u, &v), STATUS_OK);
	ck_assert_uint_eq((v >> 4) & 0xFu, 4);
	ck_assert_uint_eq(st_read32(sim, 0xE0001000u, &v), STATUS_OK);
	ck_assert_uint_eq(v >> 28, 2);
	ck_assert_uint_eq(st_write32(sim, 0xE0002008u + 3 * 4, 0x08000101u), STATUS_OK);
	ck_assert_uint_eq(st_read32(sim, 0xE0002008u + 3 * 4, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x08000101u);
	(void)st_write32(sim, 0xE0002008u + 4 * 4, 0x08000201u);
	ck_assert_uint_eq(st_read32(sim, 0xE0002008u + 4 * 4, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0);
}
END_TEST

/* ARMv6-M has no Thumb-2: an LDRD (0xE9D2 0x0100) is undefined and faults
 * the M0 (HardFault, and with the toy's blank vectors lockup) once reached,
 * while the MOVS before it runs; Unicorn's Cortex-M0 would execute it */
START_TEST(test_toy_thumb2_undefined)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	const guint32 code_at = TOY_SRAM_BASE + 0x400u;
	guint32 dhcsr = 0;
	ck_assert_uint_eq(st_write32(sim, code_at, 0xE9D22001u), STATUS_OK);	 /* movs; ldrd */
	ck_assert_uint_eq(st_write32(sim, code_at + 4, 0xBE000100u), STATUS_OK); /* ...; bkpt */
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), STATUS_OK);
	st_write_reg(sim, 15, code_at);
	st_write_reg(sim, 16, 1u << 24);
	st_write_reg(sim, 13, TOY_SRAM_BASE + 0x800u);
	st_write_reg(sim, 2, TOY_SRAM_BASE);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), STATUS_OK);
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_LOCKUP, "the M0 ran a Thumb-2 LDRD (DHCSR 0x%08x)", dhcsr);
}
END_TEST

/* Code on the M0 runs from the last bytes of the 6 KB SRAM and stores into
 * data EEPROM and flash: the toy's flash model gets the stores, the
 * debugger reads what it kept */
START_TEST(test_toy_code_runs)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	guint32 v = 0, dhcsr = 0;
	const guint32 code_at = TOY_SRAM_BASE + TOY_SRAM_SIZE - 0x20u;
	static const guint16 code[] = {0x4802, 0x4903, 0x6802, 0x600A, 0xBE00, 0xBF00};
	guint8 buf[20];
	for (guint i = 0; i < G_N_ELEMENTS(code); i++) {
		buf[2 * i] = (guint8)code[i];
		buf[2 * i + 1] = (guint8)(code[i] >> 8);
	}
	st_put32(buf + 12, TOY_SRAM_BASE + 0x10u);
	st_put32(buf + 16, TOY_EEPROM_BASE + 0x20u);
	for (guint i = 0; i < sizeof(buf); i += 4)
		ck_assert_uint_eq(st_write32(sim, code_at + i, st_get32(buf + i)), STATUS_OK);
	ck_assert_uint_eq(st_write32(sim, TOY_SRAM_BASE + 0x10u, 0xEE0011AAu), STATUS_OK);
	toy_programmed = 0;
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN | C_HALT), STATUS_OK);
	st_write_reg(sim, 15, code_at);
	st_write_reg(sim, 16, 1u << 24);
	st_write_reg(sim, 13, TOY_SRAM_BASE + 0x800u);
	ck_assert_uint_eq(st_write32(sim, DHCSR, DBGKEY | C_DEBUGEN), STATUS_OK);
	glint_sim_advance_time(sim, 1000000);
	ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), STATUS_OK);
	ck_assert_msg(dhcsr & S_HALT, "the M0 did not reach its BKPT (DHCSR 0x%08x)", dhcsr);
	ck_assert_uint_eq(toy_programmed, 1);
	ck_assert_uint_eq(st_read32(sim, TOY_EEPROM_BASE + 0x20u, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0xEE0011AAu);
	/* past the region's end the bus faults, for the debugger too */
	ck_assert_uint_eq(st_read32(sim, TOY_SRAM_BASE + TOY_SRAM_SIZE, &v), STATUS_AP_FAULT);
}
END_TEST

/* A store the machine refuses is an AP fault for the debugger and never
 * reaches its flash model; the size it takes does */
START_TEST(test_toy_refused_store)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	guint8 cmd[16] = {0xF2, 0x48};
	const guint8 half[2] = {0x12, 0xED};
	toy_programmed = 0;
	ck_assert_uint_eq(st_write32(sim, TOY_OPTIONS_BASE + 4, 0xED12ED12u), STATUS_AP_FAULT);
	ck_assert_uint_eq(toy_programmed, 0);
	st_put32(cmd + 2, TOY_OPTIONS_BASE + 4);
	cmd[6] = sizeof(half);
	st_xfer(sim, cmd, half, sizeof(half), NULL, 0);
	ck_assert_uint_eq(st_last_status(sim, NULL), STATUS_OK);
	ck_assert_uint_eq(toy_programmed, 1);
	ck_assert_uint_eq(glint_sim_peek32(sim, TOY_OPTIONS_BASE + 4) & 0xFFFF, 0xED12);
}
END_TEST

/* A secure area read by the debugger: zeros and no fault; a store: no
 * fault, nothing stored, the flash model never sees it. Its neighbour
 * answers as before. */
START_TEST(test_toy_secure_reads_as_zero)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	const guint8 data[4] = {0x11, 0x22, 0x33, 0x44};
	guint32 v = 0xDEADBEEFu;

	st_enter_swd(sim);
	ck_assert(glint_sim_poke(sim, TOY_SECURE_BASE, data, sizeof(data)));
	ck_assert(glint_sim_poke(sim, TOY_SECURE_BASE - 4, data, sizeof(data)));
	ck_assert_uint_eq(st_read32(sim, TOY_SECURE_BASE, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(st_read32(sim, TOY_SECURE_BASE - 4, &v), STATUS_OK);
	ck_assert_uint_eq(v, 0x44332211u);
	toy_programmed = 0;
	ck_assert_uint_eq(st_write32(sim, TOY_SECURE_BASE, 0), STATUS_OK);
	ck_assert_uint_eq(toy_programmed, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, TOY_SECURE_BASE), 0x44332211u);
	ck_assert_uint_eq(st_write32(sim, TOY_SECURE_BASE - 4, 0), STATUS_OK);
	ck_assert_uint_eq(toy_programmed, 1);
}
END_TEST

/* Where region @name's record starts in a saved state file */
static const guint8 *
find_region(const gchar *data, gsize len, const char *name)
{
	gsize n = strlen(name);
	for (gsize i = 0; i + n + 1 < len; i++) {
		if ((gsize)(guint8)data[i] == n && memcmp(data + i + 1, name, n) == 0)
			return (const guint8 *)data + i + 1 + n;
	}
	ck_abort_msg("no region %s in the file", name);
	return NULL;
}

/* Flash and EEPROM erase to 0x00: fresh, and in the state file, where their
 * erased chunks are left out; the option bytes keep their complements */
START_TEST(test_toy_erased_zero_state)
{
	g_autoptr(GlintSim) sim = toy_new("fresh");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-toy-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "toy.glsim", NULL);
	g_autofree gchar *data = NULL;
	const guint8 *flash, *eeprom, *options;
	gsize len = 0;
	ck_assert_uint_eq(glint_sim_peek32(sim, TOY_FLASH_BASE + 0x100u), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, TOY_EEPROM_BASE), 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, TOY_OPTIONS_BASE) & 0xFFFF, 0x5AA5);
	ck_assert_uint_eq(st_write32(sim, TOY_EEPROM_BASE + 0x1FCu, 0x12345678u), STATUS_OK);
	ck_assert(glint_sim_save_state(sim, path, &error));
	ck_assert(g_file_get_contents(path, &data, &len, NULL));
	/* size, erased value, chunks stored */
	flash = find_region(data, len, "flash");
	ck_assert_uint_eq(st_get32(flash), 16 * 1024);
	ck_assert_uint_eq(flash[4], 0x00);
	ck_assert_uint_eq(st_get32(flash + 5), 0);
	eeprom = find_region(data, len, "eeprom");
	ck_assert_uint_eq(st_get32(eeprom), 512);
	ck_assert_uint_eq(eeprom[4], 0x00);
	ck_assert_uint_eq(st_get32(eeprom + 5), 1);
	ck_assert_uint_eq(st_get32(eeprom + 9), 0); /* chunk 0, 512 bytes */
	ck_assert_uint_eq(st_get32(eeprom + 13 + 0x1FC), 0x12345678u);
	options = find_region(data, len, "options");
	ck_assert_uint_eq(options[4], 0xFF);
	ck_assert_uint_eq(st_get32(options + 5), 1);
	/* the toy is not in the registry: its file names it and is refused */
	ck_assert_ptr_null(glint_sim_new_from_state(path, &error));
	ck_assert_ptr_nonnull(strstr(error->message, "unknown board 'toy-board'"));
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* The generic scenarios call the toy's hooks */
START_TEST(test_toy_scenarios)
{
	g_autoptr(GlintSim) wrp = toy_new("wrp");
	g_autoptr(GlintSim) rdp1 = toy_new("rdp1");
	ck_assert_uint_eq(glint_sim_peek32(wrp, TOY_OPTIONS_BASE + 8) & 0xFFFF, 0x01FE);
	ck_assert_uint_eq(glint_sim_peek32(rdp1, TOY_OPTIONS_BASE) & 0xFFFF, 0xFF00);
	/* a firmware at the start of flash, its stack at the top of the SRAM */
	ck_assert_uint_eq(glint_sim_peek32(wrp, TOY_FLASH_BASE), TOY_SRAM_BASE + TOY_SRAM_SIZE);
	ck_assert_uint_eq(glint_sim_peek32(wrp, TOY_FLASH_BASE + 4),
			  (TOY_FLASH_BASE + 48 * 4) | 1u);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-machine");
	TCase *map = tcase_create("map");
	TCase *toy = tcase_create("toy");
	tcase_add_test(toy, test_toy_identity);
	tcase_add_test(toy, test_toy_armv6m_debug_units);
	tcase_add_test(toy, test_toy_thumb2_undefined);
	tcase_add_test(toy, test_toy_code_runs);
	tcase_add_test(toy, test_toy_refused_store);
	tcase_add_test(toy, test_toy_secure_reads_as_zero);
	tcase_add_test(toy, test_toy_erased_zero_state);
	tcase_add_test(toy, test_toy_scenarios);
	suite_add_tcase(s, toy);
	tcase_add_test(map, test_core_store_seen_by_debugger);
	tcase_add_test(map, test_alias_same_bytes);
	tcase_add_test(map, test_unmapped_faults_for_both);
	tcase_add_test(map, test_boot_alias_shows_flash);
	tcase_add_test(map, test_unmapped_load_faults);
	suite_add_tcase(s, map);
	return run_suite(s);
}
