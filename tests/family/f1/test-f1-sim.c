/* test-f1-sim.c: the emulated STM32F0/F1/F3 chips checked against what
 * PM0075, RM0008, RM0091 and RM0316 say: the identity a debugger reads,
 * the FPEC's keys, flags and timings, the option bytes as stored, loaded
 * and refused, read protection, the clone's differences and what a power
 * cut leaves. Driven through the target bus (the AHB back door) and the
 * emulated probe. */
#include "sim-test.h"

#include <glib/gstdio.h>

#include "f1-test.h"

static GlintSim *
board_new(const F1Board *b, const char *scenario)
{
	g_autofree gchar *spec = f1_spec(b, scenario);
	return sim_new_ok(spec);
}

static GlintSim *
debug_board(const F1Board *b, const char *scenario)
{
	GlintSim *sim = board_new(b, scenario);
	st_enter_swd(sim);
	return sim;
}

static void
fpec_unlock(GlintSim *sim)
{
	bus_w32(sim, FPEC_KEYR, KEY1);
	bus_w32(sim, FPEC_KEYR, KEY2);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR) & F1_CR_LOCK, 0);
}

static void
fpec_opt_unlock(GlintSim *sim)
{
	fpec_unlock(sim);
	bus_w32(sim, FPEC_OPTKEYR, KEY1);
	bus_w32(sim, FPEC_OPTKEYR, KEY2);
	ck_assert(bus_r32(sim, FPEC_CR) & F1_CR_OPTWRE);
}

/* Polls SR as a host would: each read of flash waits for BSY (the AHB back
 * door itself does not move the clock) */
static guint32
fpec_wait(GlintSim *sim)
{
	for (int i = 0; i < 1000; i++) {
		guint32 sr = bus_r32(sim, FPEC_SR);
		if (!(sr & F1_SR_BSY))
			return sr;
		(void)bus_r32(sim, F1_FLASH);
	}
	ck_abort_msg("BSY never cleared");
	return 0;
}

static gboolean
bus_w16(GlintSim *sim, guint32 addr, guint16 v)
{
	return glint_sim_bus_write(sim, addr, 2, v);
}

static guint16
peek16(GlintSim *sim, guint32 addr)
{
	return (guint16)glint_sim_peek32(sim, addr);
}

/* WRITEMEM_16BIT (F2 48) of @len bytes: returns the probe's status */
static guint8
st_write16(GlintSim *sim, guint32 addr, const guint8 *data, guint16 len)
{
	guint8 cmd[16];
	st_mem_cmd(cmd, 0x48, addr, len);
	st_xfer(sim, cmd, data, len, NULL, 0);
	return st_last_status(sim, NULL);
}

/* ---- identity ------------------------------------------------------------ */

/* What a debugger reads to identify each board: CPUID, SW-DP IDCODE,
 * DBGMCU_IDCODE where the line keeps it, the flash size and UID registers,
 * and the factory option bytes with their complements */
START_TEST(test_identity)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = debug_board(b, "fresh");
	guint8 ids[16] = {0xF2, 0x31}, r[12] = {0};
	guint32 v = 0;

	ck_assert_uint_eq(st_read32(sim, 0xE000ED00u, &v), 0x80);
	ck_assert_uint_eq(v, b->cpuid);
	ck_assert_uint_eq(st_xfer(sim, ids, NULL, 0, r, sizeof(r)), sizeof(r));
	ck_assert_uint_eq(st_get32(r + 4), b->dp_idcode);
	ck_assert_uint_eq(st_read32(sim, b->dbgmcu, &v), 0x80);
	ck_assert_uint_eq(v & 0xFFF, b->dev_id);
	if (b->line == LINE_F0) /* the M0 has no DBGMCU on the PPB */
		ck_assert_uint_eq(st_read32(sim, 0xE0042000u, &v), 0x11);
	ck_assert_uint_eq(st_read32(sim, b->size_reg & ~3u, &v), 0x80);
	ck_assert_uint_eq(v & 0xFFFF, b->flash_kb);
	ck_assert_uint_ne(glint_sim_peek32(sim, b->uid), 0xFFFFFFFFu);
	ck_assert_uint_eq(peek16(sim, F1_OB),
			  (guint16)(b->rdp_level0 | (~b->rdp_level0 & 0xFF) << 8));
	ck_assert_uint_eq(peek16(sim, F1_OB + 2), 0x00FF);
	ck_assert_uint_eq(bus_r32(sim, FPEC_WRPR), 0xFFFFFFFFu);
	ck_assert_uint_eq(bus_r32(sim, FPEC_OBR) & F1_OBR_OPTERR, 0);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR), F1_CR_LOCK);
	/* 8 MHz HSI after reset */
	ck_assert_uint_eq(glint_sim_get_hclk_hz(sim), 8000000u);
}
END_TEST

/* ---- keys ------------------------------------------------------------------ */

START_TEST(test_keys)
{
	g_autoptr(GlintSim) sim = board_new(f1_board("bluepill-f103c8"), "fresh");
	/* FLASH_CR cannot be written while locked */
	bus_w32(sim, FPEC_CR, F1_CR_PG);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR), F1_CR_LOCK);
	fpec_unlock(sim);
	/* the right sequence again changes nothing (OpenOCD does it) */
	bus_w32(sim, FPEC_KEYR, KEY1);
	bus_w32(sim, FPEC_KEYR, KEY2);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR) & F1_CR_LOCK, 0);
	/* OPTKEYR sets OPTWRE; writing CR without it clears it */
	bus_w32(sim, FPEC_OPTKEYR, KEY1);
	bus_w32(sim, FPEC_OPTKEYR, KEY2);
	ck_assert(bus_r32(sim, FPEC_CR) & F1_CR_OPTWRE);
	bus_w32(sim, FPEC_CR, F1_CR_OPTWRE | F1_CR_OPTER);
	ck_assert(bus_r32(sim, FPEC_CR) & F1_CR_OPTWRE);
	bus_w32(sim, FPEC_CR, 0);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR) & F1_CR_OPTWRE, 0);
	/* writing 1 does not set it */
	bus_w32(sim, FPEC_CR, F1_CR_OPTWRE);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR) & F1_CR_OPTWRE, 0);
	/* a wrong key: bus error, locked until reset */
	ck_assert(!glint_sim_bus_write(sim, FPEC_KEYR, 4, 0x12345678u));
	ck_assert(bus_r32(sim, FPEC_CR) & F1_CR_LOCK);
	ck_assert(!glint_sim_bus_write(sim, FPEC_KEYR, 4, KEY1));
	ck_assert(bus_r32(sim, FPEC_CR) & F1_CR_LOCK);
	bus_w32(sim, AIRCR, 0x05FA0004u);
	fpec_unlock(sim);
	/* OPTKEYR before KEYR: refused */
	bus_w32(sim, FPEC_CR, F1_CR_LOCK);
	ck_assert(!glint_sim_bus_write(sim, FPEC_OPTKEYR, 4, KEY1));
}
END_TEST

/* ---- programming ----------------------------------------------------------- */

/* A half-word takes the datasheet's typical time and ends with EOP; a word
 * or a byte while PG is set is a bus error (PM0075 2.3.3) */
START_TEST(test_program_halfword)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = board_new(b, "fresh");
	guint32 addr = F1_FLASH + 0x200;
	gint64 t0;
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PG);
	t0 = glint_sim_get_time_ns(sim);
	ck_assert(bus_w16(sim, addr, 0x1234));
	ck_assert(bus_r32(sim, FPEC_SR) & F1_SR_BSY);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_EOP);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, b->halfword_ns);
	ck_assert_uint_eq(peek16(sim, addr), 0x1234);
	bus_w32(sim, FPEC_SR, F1_SR_EOP);
	ck_assert_uint_eq(bus_r32(sim, FPEC_SR), 0);
	ck_assert(!glint_sim_bus_write(sim, addr + 4, 4, 0x55667788u));
	ck_assert(!glint_sim_bus_write(sim, addr + 8, 1, 0x55));
	ck_assert_uint_eq(glint_sim_peek32(sim, addr + 4), 0xFFFFFFFFu);
	ck_assert_uint_eq(glint_sim_peek32(sim, addr + 8), 0xFFFFFFFFu);
	/* without PG a store is ignored (and not a fault) */
	bus_w32(sim, FPEC_CR, 0);
	ck_assert(glint_sim_bus_write(sim, addr + 4, 4, 0));
	ck_assert_uint_eq(glint_sim_peek32(sim, addr + 4), 0xFFFFFFFFu);
}
END_TEST

/* PGERR: the half-word must be erased, except that 0x0000 always goes in */
START_TEST(test_pgerr)
{
	g_autoptr(GlintSim) sim = board_new(f1_board("nucleo-f103rb"), "fresh");
	guint32 addr = F1_FLASH + 0x40;
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PG);
	bus_w16(sim, addr, 0xA5A5);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_EOP);
	bus_w32(sim, FPEC_SR, F1_SR_EOP);
	bus_w16(sim, addr, 0x1111);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_PGERR);
	ck_assert_uint_eq(peek16(sim, addr), 0xA5A5);
	/* the flag stays until written 1, and does not block the next write */
	bus_w16(sim, addr, 0x0000);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_PGERR | F1_SR_EOP);
	ck_assert_uint_eq(peek16(sim, addr), 0x0000);
	bus_w32(sim, FPEC_SR, F1_SR_PGERR | F1_SR_EOP);
	ck_assert_uint_eq(bus_r32(sim, FPEC_SR), 0);
}
END_TEST

/* The debugger streams half-words in one WRITEMEM_16BIT: ST's FPEC holds
 * the bus while busy, the clone loses what comes while it is busy */
START_TEST(test_stream_while_busy)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = debug_board(b, "fresh");
	const guint8 data[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	guint8 back[8];
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PG);
	ck_assert_uint_eq(st_write16(sim, F1_FLASH + 0x100, data, sizeof(data)), 0x80);
	fpec_wait(sim);
	ck_assert(glint_sim_peek(sim, F1_FLASH + 0x100, back, sizeof(back)));
	if (b->clone) {
		ck_assert_uint_eq(back[0], 0x11);
		ck_assert_uint_eq(back[2], 0xFF); /* lost */
	} else {
		ck_assert_mem_eq(back, data, sizeof(data));
	}
	/* a 32-bit debug write while PG: an AP fault */
	ck_assert_uint_eq(st_write32(sim, F1_FLASH + 0x200, 0), 0x11);
}
END_TEST

/* ---- erase -------------------------------------------------------------------- */

START_TEST(test_page_and_mass_erase)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = board_new(b, "wrp");
	guint32 unprotected = F1_FLASH + b->pages_per_wrp_bit * b->page;
	gint64 t0;
	/* WRP0 bit 0 protects exactly the first group of pages */
	ck_assert_uint_eq(bus_r32(sim, FPEC_WRPR) & 1, 0);
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PER);
	bus_w32(sim, FPEC_AR, unprotected - 2);
	bus_w32(sim, FPEC_CR, F1_CR_PER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_WRPRTERR);
	ck_assert_uint_ne(glint_sim_peek32(sim, unprotected - 4), 0xFFFFFFFFu);
	bus_w32(sim, FPEC_SR, F1_SR_WRPRTERR);
	/* the page after the group: any address inside it names it */
	ck_assert_uint_ne(glint_sim_peek32(sim, unprotected), 0xFFFFFFFFu);
	bus_w32(sim, FPEC_AR, unprotected + b->page - 2);
	t0 = glint_sim_get_time_ns(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PER | F1_CR_STRT);
	ck_assert(bus_r32(sim, FPEC_CR) & F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_EOP);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, b->erase_ns);
	ck_assert_uint_eq(bus_r32(sim, FPEC_CR) & F1_CR_STRT, 0);
	for (guint32 off = 0; off < b->page; off += 4)
		ck_assert_uint_eq(glint_sim_peek32(sim, unprotected + off), 0xFFFFFFFFu);
	ck_assert_uint_ne(glint_sim_peek32(sim, unprotected + b->page), 0xFFFFFFFFu);
	/* a mass erase is refused while any WRP group is active */
	bus_w32(sim, FPEC_CR, F1_CR_MER);
	bus_w32(sim, FPEC_CR, F1_CR_MER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim) & F1_SR_WRPRTERR, F1_SR_WRPRTERR);
	ck_assert_uint_ne(glint_sim_peek32(sim, F1_FLASH), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_mass_erase)
{
	g_autoptr(GlintSim) sim = board_new(f1_board("nucleo-f072rb"), "stale-errors");
	gint64 t0;
	/* stale flags do not block anything on this controller */
	ck_assert_uint_eq(bus_r32(sim, FPEC_SR), F1_SR_PGERR | F1_SR_WRPRTERR);
	ck_assert_uint_ne(glint_sim_peek32(sim, F1_FLASH), 0xFFFFFFFFu);
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_MER);
	t0 = glint_sim_get_time_ns(sim);
	bus_w32(sim, FPEC_CR, F1_CR_MER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_PGERR | F1_SR_WRPRTERR | F1_SR_EOP);
	ck_assert_int_eq(glint_sim_get_time_ns(sim) - t0, 20000000);
	for (guint32 off = 0; off < 128 * 1024; off += 1024)
		ck_assert_uint_eq(glint_sim_peek32(sim, F1_FLASH + off), 0xFFFFFFFFu);
	/* STRT with two kinds of erase does nothing */
	bus_w32(sim, FPEC_CR, F1_CR_MER | F1_CR_PER | F1_CR_STRT);
	ck_assert_uint_eq(bus_r32(sim, FPEC_SR) & F1_SR_BSY, 0);
}
END_TEST

/* ---- option bytes ------------------------------------------------------------- */

static void
option_erase(GlintSim *sim)
{
	bus_w32(sim, FPEC_CR, F1_CR_OPTER | F1_CR_OPTWRE);
	bus_w32(sim, FPEC_CR, F1_CR_OPTER | F1_CR_OPTWRE | F1_CR_STRT);
	fpec_wait(sim);
	bus_w32(sim, FPEC_CR, F1_CR_OPTPG | F1_CR_OPTWRE);
}

static void
option_program(GlintSim *sim, guint offset, guint16 v)
{
	ck_assert(bus_w16(sim, F1_OB + offset, v));
	fpec_wait(sim);
}

/* OPTER erases the whole block; OPTPG takes half-words, keeps the low byte
 * and computes the complement; a half-word not erased is PGERR */
START_TEST(test_option_program)
{
	g_autoptr(GlintSim) sim = board_new(f1_board("bluepill-f103c8"), "fresh");
	fpec_opt_unlock(sim);
	option_erase(sim);
	for (guint i = 0; i < 16; i += 4)
		ck_assert_uint_eq(glint_sim_peek32(sim, F1_OB + i), 0xFFFFFFFFu);
	/* OPTPG without the erase before it: no OPTWRE, nothing happens */
	option_program(sim, 0, 0x00A5);
	ck_assert_uint_eq(peek16(sim, F1_OB), 0x5AA5);
	option_program(sim, 8, 0x00FE);
	ck_assert_uint_eq(peek16(sim, F1_OB + 8), 0x01FE);
	ck_assert(!glint_sim_bus_write(sim, F1_OB + 4, 4, 0x00FF00FFu));
	option_program(sim, 8, 0x00FC);
	ck_assert(bus_r32(sim, FPEC_SR) & F1_SR_PGERR);
	ck_assert_uint_eq(peek16(sim, F1_OB + 8), 0x01FE);
	/* loaded only at the next reset on the F1 */
	ck_assert_uint_eq(bus_r32(sim, FPEC_WRPR), 0xFFFFFFFFu);
	bus_w32(sim, AIRCR, 0x05FA0004u);
	ck_assert_uint_eq(bus_r32(sim, FPEC_WRPR), 0xFFFFFFFEu);
}
END_TEST

/* When new option bytes are loaded: F1 and F3 at a system reset, F0 and the
 * clone only at power-on, F0/F3 at OBL_LAUNCH */
START_TEST(test_option_load)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = debug_board(b, "fresh");
	gboolean loads_at_reset = b->line != LINE_F0 && !b->clone;
	/* FLASH_OBR: F1 USER at 9:2, Data at 25:10; F0/F3 USER at 15:8, Data
	 * at 31:16 (PM0075 3.4.6, RM0091 3.5.6) */
	guint32 factory = b->line == LINE_F1 ? 0x03FFFFFCu : 0xFFFFFF00u;
	guint32 loaded = b->line == LINE_F1 ? 0x03FFFFF4u : 0xFFFFFD00u;
	guint32 dhcsr = 0;
	fpec_opt_unlock(sim);
	option_erase(sim);
	option_program(sim, 0, b->rdp_level0);
	option_program(sim, 2, 0xFD); /* nRST_STOP = 0 */
	bus_w32(sim, AIRCR, 0x05FA0004u);
	ck_assert_uint_eq(bus_r32(sim, FPEC_OBR), loads_at_reset ? loaded : factory);
	if (b->line != LINE_F1) {
		/* OBL_LAUNCH: loaded, and the chip resets under the write */
		fpec_unlock(sim);
		bus_w32(sim, FPEC_CR, F1_CR_OBL_LAUNCH);
		ck_assert_uint_eq(bus_r32(sim, FPEC_OBR), loaded);
		ck_assert_uint_eq(bus_r32(sim, FPEC_CR), F1_CR_LOCK);
		ck_assert_uint_eq(st_read32(sim, DHCSR, &dhcsr), 0x80);
	} else if (b->clone) {
		glint_sim_power_cycle(sim);
		ck_assert_uint_eq(bus_r32(sim, FPEC_OBR), loaded);
	}
}
END_TEST

/* A pair that disagrees: OPTERR, the byte loaded as 0xFF; an RDP byte so
 * loaded is read protection level 1 (RM0091 4) */
START_TEST(test_locked_options)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = debug_board(b, "locked-options");
	guint32 obr = bus_r32(sim, FPEC_OBR), v = 0;
	ck_assert(obr & F1_OBR_OPTERR);
	if (b->line == LINE_F1)
		ck_assert(obr & (1u << 1));
	else
		ck_assert_uint_eq((obr >> 1) & 3, 1);
	ck_assert_uint_eq(peek16(sim, F1_OB), b->rdp_level0);
	ck_assert_uint_eq(st_read32(sim, F1_FLASH, &v), 0x11);
	/* erased pairs (0xFF/0xFF) are no error */
	fpec_opt_unlock(sim);
	option_erase(sim);
	bus_w32(sim, AIRCR, 0x05FA0004u);
	if (b->line != LINE_F0 && !b->clone)
		ck_assert_uint_eq(bus_r32(sim, FPEC_OBR) & F1_OBR_OPTERR, 0);
}
END_TEST

/* ---- read protection ---------------------------------------------------------- */

/* Level 1: the debugger cannot read flash nor erase a page; an F1's
 * debugger may still mass-erase, an F0's/F3's may not; programming the
 * level-0 code mass-erases first (PM0075 2.4.1, RM0091 3.3.1) */
START_TEST(test_rdp1)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = debug_board(b, "rdp1");
	guint32 v = 0;
	gint64 t0;
	ck_assert_uint_eq(st_read32(sim, F1_FLASH, &v), 0x11);
	ck_assert_uint_eq(st_read32(sim, 0x00000000u, &v), 0x11); /* the boot alias too */
	ck_assert_uint_eq(st_read32(sim, F1_SRAM, &v), 0x80);
	ck_assert_uint_eq(st_read32(sim, F1_OB, &v), 0x80); /* option bytes stay readable */
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PER);
	bus_w32(sim, FPEC_AR, F1_FLASH + 16 * b->page);
	bus_w32(sim, FPEC_CR, F1_CR_PER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_WRPRTERR);
	bus_w32(sim, FPEC_SR, F1_SR_WRPRTERR);
	bus_w32(sim, FPEC_CR, F1_CR_MER);
	bus_w32(sim, FPEC_CR, F1_CR_MER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), b->line == LINE_F1 ? F1_SR_EOP : F1_SR_WRPRTERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, F1_FLASH) == 0xFFFFFFFFu, b->line == LINE_F1);
	/* regression: OPTER, then RDP = level 0 erases main flash first */
	fpec_unlock(sim);
	bus_w32(sim, FPEC_OPTKEYR, KEY1);
	bus_w32(sim, FPEC_OPTKEYR, KEY2);
	option_erase(sim);
	glint_sim_poke(sim, F1_FLASH + 0x800, (const guint8[]){0x12}, 1);
	t0 = glint_sim_get_time_ns(sim);
	option_program(sim, 0, b->rdp_level0);
	ck_assert_int_ge(glint_sim_get_time_ns(sim) - t0, b->erase_ns);
	ck_assert_uint_eq(glint_sim_peek32(sim, F1_FLASH + 0x800), 0xFFFFFFFFu);
	glint_sim_power_cycle(sim);
	st_enter_swd(sim);
	ck_assert_uint_eq(st_read32(sim, F1_FLASH, &v), 0x80);
}
END_TEST

/* F1: level 1 write-protects the first 4 KB even for code without a
 * debugger; the rest stays programmable by the chip's own code */
START_TEST(test_rdp1_first_4k)
{
	const F1Board *b = f1_board("nucleo-f103rb");
	g_autoptr(GlintSim) sim = board_new(b, "rdp1");
	/* no probe in debug mode: the chip's own code (the AHB door) */
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PER);
	bus_w32(sim, FPEC_AR, F1_FLASH + 0x0C00);
	bus_w32(sim, FPEC_CR, F1_CR_PER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_WRPRTERR);
	bus_w32(sim, FPEC_SR, F1_SR_WRPRTERR);
	bus_w32(sim, FPEC_AR, F1_FLASH + 0x1000);
	bus_w32(sim, FPEC_CR, F1_CR_PER | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_EOP);
	ck_assert_uint_eq(glint_sim_peek32(sim, F1_FLASH + 0x1000), 0xFFFFFFFFu);
}
END_TEST

/* F0/F3 level 2: the option bytes can no longer change, the debug port is
 * gone once loaded */
START_TEST(test_rdp2)
{
	g_autoptr(GlintSim) sim = debug_board(f1_board("nucleo-f072rb"), "fresh");
	guint32 v = 0;
	fpec_opt_unlock(sim);
	option_erase(sim);
	option_program(sim, 0, 0xCC);
	fpec_unlock(sim);
	(void)glint_sim_bus_write(sim, FPEC_CR, 4, F1_CR_OPTWRE | F1_CR_OBL_LAUNCH);
	ck_assert_uint_eq((bus_r32(sim, FPEC_OBR) >> 1) & 3, 3);
	ck_assert_uint_eq(st_read32(sim, F1_SRAM, &v), 0x16);
	fpec_opt_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_OPTER | F1_CR_OPTWRE);
	bus_w32(sim, FPEC_CR, F1_CR_OPTER | F1_CR_OPTWRE | F1_CR_STRT);
	ck_assert_uint_eq(fpec_wait(sim), F1_SR_WRPRTERR);
	ck_assert_uint_eq(peek16(sim, F1_OB), 0x33CC);
}
END_TEST

/* ---- power cuts ---------------------------------------------------------------- */

START_TEST(test_power_cut)
{
	g_autoptr(GlintSim) sim = board_new(f1_board("bluepill-f103c8"), "wrp");
	gboolean damaged = FALSE;
	/* in a page erase: cells of the page left unerased */
	fpec_unlock(sim);
	bus_w32(sim, FPEC_CR, F1_CR_PER);
	bus_w32(sim, FPEC_AR, F1_FLASH + 0x1000);
	bus_w32(sim, FPEC_CR, F1_CR_PER | F1_CR_STRT);
	ck_assert_int_eq(glint_sim_power_fail(sim), GLINT_SIM_CUT_ERASE);
	for (guint32 off = 0; off < 1024; off += 4)
		damaged |= glint_sim_peek32(sim, F1_FLASH + 0x1000 + off) != 0xFFFFFFFFu;
	ck_assert(damaged);
	glint_sim_set_target_voltage_mv(sim, 3300);
	/* in an option half-word: the pair disagrees at the next load */
	fpec_opt_unlock(sim);
	option_erase(sim);
	ck_assert(bus_w16(sim, F1_OB + 0, 0xA5));
	ck_assert_int_eq(glint_sim_power_fail(sim), GLINT_SIM_CUT_OPTIONS);
	glint_sim_set_target_voltage_mv(sim, 3300);
	ck_assert(bus_r32(sim, FPEC_OBR) & F1_OBR_OPTERR);
	ck_assert(bus_r32(sim, FPEC_OBR) & (1u << 1));
	/* a program cut after N half-words: the next one is left half done,
	 * the rest of the probe's write never lands */
	{
		g_autoptr(GlintSim) dbg = debug_board(f1_board("bluepill-f103c8"), "fresh");
		const guint8 zeros[8] = {0};
		guint32 cut = 0;
		fpec_unlock(dbg);
		bus_w32(dbg, FPEC_CR, F1_CR_PG);
		glint_sim_set_power_fail_after_double_words(dbg, 2);
		ck_assert_uint_ne(st_write16(dbg, F1_FLASH + 0x2000, zeros, sizeof(zeros)), 0x80);
		ck_assert(glint_sim_get_power_cut_address(dbg, &cut));
		ck_assert_uint_eq(cut, F1_FLASH + 0x2004);
		ck_assert_uint_eq(peek16(dbg, F1_FLASH + 0x2000), 0x0000);
		ck_assert_uint_eq(peek16(dbg, F1_FLASH + 0x2002), 0x0000);
		ck_assert_uint_ne(peek16(dbg, F1_FLASH + 0x2004), 0x0000);
		ck_assert_uint_eq(peek16(dbg, F1_FLASH + 0x2006), 0xFFFF);
	}
}
END_TEST

/* ---- CRC unit ------------------------------------------------------------------ */

/* The F1's CRC unit: fixed polynomial, words only, no reversal; the F0/F3's
 * reverses its input with REV_IN (RM0008 4, RM0091 12) */
START_TEST(test_crc_unit)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = board_new(b, "fresh");
	const guint32 crc = 0x40023000u;
	/* CRC-32/MPEG-2 of the word 0x12345678 fed MSB first, seed all ones */
	bus_w32(sim, crc + 0x08, 1u | (3u << 5));
	bus_w32(sim, crc, 0x12345678u);
	if (b->line == LINE_F1)
		ck_assert_uint_eq(bus_r32(sim, crc), 0xDF8A8A2Bu);
	else
		ck_assert_uint_ne(bus_r32(sim, crc), 0xDF8A8A2Bu);
	bus_w32(sim, crc + 0x08, 1u);
	bus_w32(sim, crc, 0x12345678u);
	ck_assert_uint_eq(bus_r32(sim, crc), 0xDF8A8A2Bu);
	/* the F1 has no CRC_INIT */
	bus_w32(sim, crc + 0x10, 0);
	ck_assert_uint_eq(bus_r32(sim, crc + 0x10), b->line == LINE_F1 ? 0 : 0);
}
END_TEST

/* ---- state file ------------------------------------------------------------------ */

/* The option bytes are kept as stored (a disagreeing pair too), and load
 * again when the board comes back */
START_TEST(test_state_round_trip)
{
	const F1Board *b = &f1_boards[_i];
	g_autoptr(GlintSim) sim = board_new(b, "locked-options");
	g_autoptr(GlintSim) back = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-f1-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "board.glsim", NULL);
	guint8 a[64], c[64];
	ck_assert(glint_sim_save_state(sim, path, &error));
	back = glint_sim_new_from_state(path, &error);
	ck_assert_msg(back != NULL, "%s", error != NULL ? error->message : "?");
	ck_assert_str_eq(glint_sim_get_board(back), b->board);
	ck_assert(glint_sim_peek(sim, F1_OB, a, 16) && glint_sim_peek(back, F1_OB, c, 16));
	ck_assert_mem_eq(a, c, 16);
	ck_assert(glint_sim_peek(sim, F1_FLASH, a, 64) && glint_sim_peek(back, F1_FLASH, c, 64));
	ck_assert_mem_eq(a, c, 64);
	ck_assert(bus_r32(back, FPEC_OBR) & F1_OBR_OPTERR);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

static Suite *
f1_sim_suite(void)
{
	Suite *s = suite_create("f1-sim");
	TCase *tc = tcase_create("boards");
	tcase_add_loop_test(tc, test_identity, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_program_halfword, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_stream_while_busy, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_page_and_mass_erase, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_option_load, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_locked_options, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_rdp1, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_crc_unit, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_state_round_trip, 0, N_F1_BOARDS);
	suite_add_tcase(s, tc);
	tc = tcase_create("fpec");
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_pgerr);
	tcase_add_test(tc, test_mass_erase);
	tcase_add_test(tc, test_option_program);
	tcase_add_test(tc, test_rdp1_first_4k);
	tcase_add_test(tc, test_rdp2);
	tcase_add_test(tc, test_power_cut);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(f1_sim_suite());
}
