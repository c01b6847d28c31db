/* test-l0-sim.c: the STM32L0/L1 machines of the emulator (core/sim/l0)
 * against the reference manuals (RM0367, RM0038), board by board: the
 * cores' identity, the three unlock stages, every FLASH_SR error and the
 * misuse that raises it, page erase, word and half-page programming,
 * half-pages and writes aborted by a fetch from flash, data EEPROM, option
 * bytes (value/complement, OBL, a torn word, RDP 1 -> 0 erasing flash and
 * EEPROM), read protection, BSY times, power cuts and the scenarios. The
 * debugger's view goes through the emulated ST-LINK (glint-stlink.c); the
 * controller's own tests through the AHB back door. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "glint-error.h"
#include "glint-sim.h"
#include "glint-stlink.h"

/* RM0367 / RM0038 */
#define PECR 0x04u
#define PEKEYR 0x0Cu
#define PRGKEYR 0x10u
#define OPTKEYR 0x14u
#define SR 0x18u
#define OPTR 0x1Cu
#define WRPR1 0x20u
#define PEKEY1 0x89ABCDEFu
#define PEKEY2 0x02030405u
#define PRGKEY1 0x8C9DAEBFu
#define PRGKEY2 0x13141516u
#define OPTKEY1 0xFBEAD9C8u
#define OPTKEY2 0x24252627u
#define PECR_PELOCK (1u << 0)
#define PECR_PRGLOCK (1u << 1)
#define PECR_OPTLOCK (1u << 2)
#define PECR_PROG (1u << 3)
#define PECR_DATA (1u << 4)
#define PECR_FIX (1u << 8)
#define PECR_ERASE (1u << 9)
#define PECR_FPRG (1u << 10)
#define PECR_OBL_LAUNCH (1u << 18)
#define SR_BSY (1u << 0)
#define SR_EOP (1u << 1)
#define SR_WRPERR (1u << 8)
#define SR_PGAERR (1u << 9)
#define SR_SIZERR (1u << 10)
#define SR_OPTVERR (1u << 11)
#define SR_OPTVERRUSR (1u << 12)
#define SR_NOTZEROERR (1u << 16)
#define SR_FWWERR (1u << 17)
#define FLASH 0x08000000u
#define EEPROM 0x08080000u
#define SRAM 0x20000000u
#define OB 0x1FF80000u
#define CPUID 0xE000ED00u
#define DHCSR 0xE000EDF0u
#define DBGKEY (0xA05Fu << 16)
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define S_HALT (1u << 17)

typedef struct {
	const char *name;
	gboolean l1;
	guint32 regs;
	guint32 page;
	guint32 half;
	guint32 flash_kb;
	gint64 tprog_ns;
	guint32 dbgmcu;
	guint32 cpuid;
	guint32 dp_idcode;
	guint16 dev_id;
	guint32 bank2; /* offset of bank 2, 0: single bank */
	guint32 eeprom_size;
} BoardFacts;

static const BoardFacts boards[] = {
    {"nucleo-l053r8", FALSE, 0x40022000u, 128, 64, 64, 3200000, 0x40015800u, 0x410CC601u,
     0x0BC11477u, 0x417, 0, 2048},
    {"nucleo-l073rz", FALSE, 0x40022000u, 128, 64, 192, 3200000, 0x40015800u, 0x410CC601u,
     0x0BC11477u, 0x447, 96 * 1024, 6144},
    {"nucleo-l152re", TRUE, 0x40023C00u, 256, 128, 512, 3280000, 0xE0042000u, 0x412FC230u,
     0x2BA01477u, 0x437, 256 * 1024, 16384},
};

typedef struct {
	const BoardFacts *f;
	GlintSim *sim;
	GlintStlink *st;
} Rig;

static void
rig_open(Rig *r, guint board, const char *scenario)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autofree gchar *spec = g_strdup_printf("%s:%s", boards[board].name, scenario);

	r->f = &boards[board];
	r->sim = glint_sim_new(spec, &error);
	ck_assert_msg(r->sim != NULL, "%s: %s", spec, error ? error->message : "");
	transport = glint_sim_transport_new(r->sim);
	r->st = glint_stlink_new(transport);
	ck_assert(glint_stlink_open(r->st, &error));
	ck_assert(glint_stlink_enter_swd(r->st, &error));
	ck_assert(glint_stlink_write32(r->st, DHCSR, DBGKEY | C_DEBUGEN | C_HALT, &error));
}

static void
rig_close(Rig *r)
{
	glint_stlink_free(r->st);
	glint_sim_unref(r->sim);
}

/* A debugger access; FALSE on a bus fault */
static gboolean
wr(Rig *r, guint32 addr, guint32 value)
{
	return glint_stlink_write32(r->st, addr, value, NULL);
}

static guint32
rd(Rig *r, guint32 addr)
{
	guint32 v = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_stlink_read32(r->st, addr, &v, &error), "read 0x%08x: %s", addr,
		      error ? error->message : "");
	return v;
}

static gboolean
rd_ok(Rig *r, guint32 addr)
{
	guint32 v;
	return glint_stlink_read32(r->st, addr, &v, NULL);
}

static guint32
reg(Rig *r, guint32 offset)
{
	return rd(r, r->f->regs + offset);
}

static void
unlock(Rig *r, gboolean program, gboolean options)
{
	ck_assert(wr(r, r->f->regs + PEKEYR, PEKEY1));
	ck_assert(wr(r, r->f->regs + PEKEYR, PEKEY2));
	if (program) {
		ck_assert(wr(r, r->f->regs + PRGKEYR, PRGKEY1));
		ck_assert(wr(r, r->f->regs + PRGKEYR, PRGKEY2));
	}
	if (options) {
		ck_assert(wr(r, r->f->regs + OPTKEYR, OPTKEY1));
		ck_assert(wr(r, r->f->regs + OPTKEYR, OPTKEY2));
	}
}

static void
wait_bsy(Rig *r)
{
	for (guint i = 0; i < 1000 && (reg(r, SR) & SR_BSY); i++)
		glint_sim_advance_time(r->sim, 100000);
	ck_assert_uint_eq(reg(r, SR) & SR_BSY, 0);
}

static guint32
errors(Rig *r)
{
	return reg(r, SR) & 0x33F00u;
}

static void
clear_errors(Rig *r)
{
	ck_assert(wr(r, r->f->regs + SR, 0x33F02u));
}

/* ---- identity ------------------------------------------------------------- */

/* The core the RM names (M0+ r0p1, M3 r2p0) with its CPUID and SW-DP
 * IDCODE, and DBGMCU_IDCODE where the family keeps it */
START_TEST(test_identity)
{
	Rig r;
	guint32 idcode = 0;
	rig_open(&r, _i, "fresh");
	ck_assert_uint_eq(rd(&r, CPUID), r.f->cpuid);
	ck_assert(glint_stlink_read_idcode(r.st, &idcode, NULL));
	ck_assert_uint_eq(idcode, r.f->dp_idcode);
	ck_assert_uint_eq(rd(&r, r.f->dbgmcu) & 0xFFFu, r.f->dev_id);
	/* the other family's place answers nothing */
	ck_assert(!rd_ok(&r, r.f->l1 ? 0x40015800u : 0xE0042000u));
	/* flash-size register */
	ck_assert_uint_eq(rd(&r, r.f->l1 ? 0x1FF800CCu : 0x1FF8007Cu) & 0xFFFFu, r.f->flash_kb);
	rig_close(&r);
}
END_TEST

/* ---- keys ------------------------------------------------------------------ */

/* PEKEYR first, then PRGKEYR or OPTKEYR; a wrong key, or PRGKEYR before
 * PEKEYR, is a bus error and locks the stage until the next reset */
START_TEST(test_keys)
{
	Rig r;
	rig_open(&r, _i, "fresh");
	ck_assert_uint_eq(reg(&r, PECR) & 7u, 7u);
	/* PECR is write-protected while PELOCK is set */
	ck_assert(wr(&r, r.f->regs + PECR, PECR_PROG));
	ck_assert_uint_eq(reg(&r, PECR) & PECR_PROG, 0);
	/* PRGKEYR before PEKEYR: refused, and PRGKEYR stays locked */
	ck_assert(!wr(&r, r.f->regs + PRGKEYR, PRGKEY1));
	ck_assert(wr(&r, r.f->regs + PEKEYR, PEKEY1));
	ck_assert(wr(&r, r.f->regs + PEKEYR, PEKEY2));
	ck_assert_uint_eq(reg(&r, PECR) & PECR_PELOCK, 0);
	ck_assert(!wr(&r, r.f->regs + PRGKEYR, PRGKEY1));
	ck_assert_uint_eq(reg(&r, PECR) & PECR_PRGLOCK, PECR_PRGLOCK);
	/* OPTKEYR has its own stage */
	ck_assert(wr(&r, r.f->regs + OPTKEYR, OPTKEY1));
	ck_assert(wr(&r, r.f->regs + OPTKEYR, OPTKEY2));
	ck_assert_uint_eq(reg(&r, PECR) & PECR_OPTLOCK, 0);
	/* setting PELOCK locks every stage again */
	ck_assert(wr(&r, r.f->regs + PECR, PECR_PELOCK));
	ck_assert_uint_eq(reg(&r, PECR) & 7u, 7u);
	/* a wrong PEKEYR key: even the right ones fail until a reset */
	ck_assert(!wr(&r, r.f->regs + PEKEYR, 0x12345678u));
	ck_assert(!wr(&r, r.f->regs + PEKEYR, PEKEY1));
	ck_assert_uint_eq(reg(&r, PECR) & PECR_PELOCK, PECR_PELOCK);
	glint_sim_power_cycle(r.sim);
	rig_close(&r);
}
END_TEST

/* ---- program memory --------------------------------------------------------- */

/* A word: BSY for tprog, then EOP. Over data: NOTZEROERR on the L0 (not
 * written); the L1 keeps the OR. Bytes are SIZERR; PRGLOCK set is WRPERR. */
START_TEST(test_word)
{
	Rig r;
	gint64 t0;
	rig_open(&r, _i, "fresh");
	unlock(&r, TRUE, FALSE);
	t0 = glint_sim_get_time_ns(r.sim);
	ck_assert(wr(&r, FLASH + 0x100, 0x12340000u));
	ck_assert_uint_eq(reg(&r, SR) & SR_BSY, SR_BSY);
	wait_bsy(&r);
	ck_assert_int_ge(glint_sim_get_time_ns(r.sim) - t0, r.f->tprog_ns);
	ck_assert_int_lt(glint_sim_get_time_ns(r.sim) - t0, r.f->tprog_ns + 2000000);
	ck_assert_uint_eq(reg(&r, SR) & SR_EOP, SR_EOP);
	ck_assert_uint_eq(rd(&r, FLASH + 0x100), 0x12340000u);
	ck_assert_uint_eq(errors(&r), 0);
	ck_assert(wr(&r, FLASH + 0x100, 0x00005678u));
	wait_bsy(&r);
	if (r.f->l1) {
		ck_assert_uint_eq(rd(&r, FLASH + 0x100), 0x12345678u);
		ck_assert_uint_eq(errors(&r), 0);
	} else {
		ck_assert_uint_eq(rd(&r, FLASH + 0x100), 0x12340000u);
		ck_assert_uint_eq(errors(&r), SR_NOTZEROERR);
	}
	clear_errors(&r);
	ck_assert(glint_sim_bus_write(r.sim, FLASH + 0x104, 1, 0x55));
	ck_assert_uint_eq(errors(&r), SR_SIZERR);
	clear_errors(&r);
	ck_assert(wr(&r, r.f->regs + PECR, PECR_PRGLOCK));
	ck_assert(wr(&r, FLASH + 0x108, 0xAAu));
	ck_assert_uint_eq(errors(&r), SR_WRPERR);
	ck_assert_uint_eq(rd(&r, FLASH + 0x108), 0);
	rig_close(&r);
}
END_TEST

/* ERASE|PROG and a zero word anywhere in the page erase that page (to
 * 0x00), nothing else; a byte in erase mode is SIZERR */
START_TEST(test_page_erase)
{
	Rig r;
	guint32 page = 0;
	rig_open(&r, _i, "stale-errors");
	clear_errors(&r);
	unlock(&r, TRUE, FALSE);
	page = FLASH + 2 * r.f->page;
	ck_assert_uint_ne(rd(&r, page), 0);
	ck_assert(wr(&r, r.f->regs + PECR, PECR_ERASE | PECR_PROG));
	ck_assert(glint_sim_bus_write(r.sim, page + 8, 1, 0));
	ck_assert_uint_eq(errors(&r), SR_SIZERR);
	clear_errors(&r);
	ck_assert(wr(&r, page + 12, 0));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	for (guint32 off = 0; off < r.f->page; off += 4)
		ck_assert_uint_eq(rd(&r, page + off), 0);
	/* the pages around it keep their data */
	ck_assert_uint_ne(rd(&r, page - 4) | rd(&r, page - 8), 0);
	ck_assert_uint_ne(rd(&r, page + r.f->page) | rd(&r, page + r.f->page + 4), 0);
	rig_close(&r);
}
END_TEST

/* WRPROT bit 0 protects sector 0 (4 KB): erase and program there are
 * WRPERR, sector 1 is free */
START_TEST(test_wrp_sector)
{
	Rig r;
	rig_open(&r, _i, "wrp");
	clear_errors(&r);
	ck_assert_uint_eq(reg(&r, WRPR1) & 1u, 1u);
	unlock(&r, TRUE, FALSE);
	ck_assert(wr(&r, r.f->regs + PECR, PECR_ERASE | PECR_PROG));
	ck_assert(wr(&r, FLASH + 4096 - r.f->page, 0));
	ck_assert_uint_eq(errors(&r), SR_WRPERR);
	ck_assert_uint_ne(rd(&r, FLASH), 0);
	clear_errors(&r);
	ck_assert(wr(&r, FLASH + 4096, 0));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	rig_close(&r);
}
END_TEST

/* FPRG|PROG: the words of one half-page, then it programs at once;
 * a word of another half-page, a word twice or a flash read between the
 * words is PGAERR and nothing is written */
START_TEST(test_half_page)
{
	Rig r;
	guint32 hp;
	rig_open(&r, _i, "fresh");
	unlock(&r, TRUE, FALSE);
	hp = FLASH + 3 * r.f->half;
	ck_assert(wr(&r, r.f->regs + PECR, PECR_FPRG | PECR_PROG));
	for (guint32 off = 0; off < r.f->half; off += 4) {
		ck_assert_uint_eq(reg(&r, SR) & SR_BSY, 0);
		ck_assert(wr(&r, hp + off, 0xA5000000u | off));
	}
	ck_assert_uint_eq(reg(&r, SR) & SR_BSY, SR_BSY);
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	for (guint32 off = 0; off < r.f->half; off += 4)
		ck_assert_uint_eq(rd(&r, hp + off), 0xA5000000u | off);
	/* across into the next half-page */
	ck_assert(wr(&r, hp + r.f->half, 1));
	ck_assert(wr(&r, hp + 2 * r.f->half, 2));
	ck_assert_uint_eq(errors(&r), SR_PGAERR);
	clear_errors(&r);
	/* the same word twice */
	ck_assert(wr(&r, hp + 2 * r.f->half, 3));
	ck_assert(wr(&r, hp + 2 * r.f->half, 3));
	ck_assert_uint_eq(errors(&r), SR_PGAERR);
	clear_errors(&r);
	/* a flash read between the words */
	ck_assert(wr(&r, hp + 4 * r.f->half, 4));
	(void)rd(&r, FLASH);
	ck_assert_uint_eq(errors(&r), SR_PGAERR);
	ck_assert_uint_eq(rd(&r, hp + 4 * r.f->half), 0);
	clear_errors(&r);
	/* over data: NOTZEROERR on the L0 */
	ck_assert(wr(&r, r.f->regs + PECR, PECR_FPRG | PECR_PROG));
	for (guint32 off = 0; off < r.f->half; off += 4)
		ck_assert(wr(&r, hp + off, 0x5A));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), r.f->l1 ? 0 : SR_NOTZEROERR);
	rig_close(&r);
}
END_TEST

/* Code on the core (M0+ or M3) from SRAM: r0 = target, r1 = value, r2 =
 * where to go next. @code is Thumb halfwords. Runs until it halts. */
static void
run_code(Rig *r, const guint16 *code, guint n, guint32 r0, guint32 r1, guint32 r2)
{
	guint8 buf[64];
	g_autoptr(GError) error = NULL;
	ck_assert(n * 2 <= sizeof(buf));
	for (guint i = 0; i < n; i++) {
		buf[2 * i] = (guint8)code[i];
		buf[2 * i + 1] = (guint8)(code[i] >> 8);
	}
	ck_assert(glint_stlink_write_mem(r->st, SRAM + 0x200, buf, n * 2, &error));
	ck_assert(glint_stlink_write_reg(r->st, 0, r0, &error));
	ck_assert(glint_stlink_write_reg(r->st, 1, r1, &error));
	ck_assert(glint_stlink_write_reg(r->st, 2, r2, &error));
	ck_assert(glint_stlink_write_reg(r->st, STLINK_REG_SP, SRAM + 0x1000, &error));
	ck_assert(glint_stlink_write_reg(r->st, STLINK_REG_PC, SRAM + 0x200, &error));
	ck_assert(glint_stlink_write_reg(r->st, STLINK_REG_XPSR, 1u << 24, &error));
	ck_assert(wr(r, DHCSR, DBGKEY | C_DEBUGEN));
	for (guint i = 0; i < 100 && !(rd(r, DHCSR) & S_HALT); i++)
		glint_sim_advance_time(r->sim, 1000000);
	ck_assert_msg(rd(r, DHCSR) & S_HALT, "the code did not reach its BKPT");
}

/* A BKPT at @addr in flash (written as a word) */
static void
bkpt_in_flash(Rig *r, guint32 addr)
{
	unlock(r, TRUE, FALSE);
	ck_assert(wr(r, r->f->regs + PECR, 0));
	ck_assert(wr(r, addr, 0xBE00BE00u));
	wait_bsy(r);
}

/* The manual's reason for writing half-pages from SRAM: a fetch from
 * flash between the words aborts the half-page (FWWERR on the L0, PGAERR
 * on the L1); the same store sequence ending in SRAM programs it. */
START_TEST(test_half_page_fetch)
{
	/* stmia r0!, {r1} x 4, then bx r2 */
	static const guint16 four_then_jump[] = {0xC002, 0xC002, 0xC002, 0xC002, 0x4710};
	/* all the words, then bkpt */
	static const guint16 all_then_stop[] = {0xC002, 0xC002, 0xC002, 0xC002, 0xC002, 0xC002,
						0xC002, 0xC002, 0xC002, 0xC002, 0xC002, 0xC002,
						0xC002, 0xC002, 0xC002, 0xC002, 0xBE00};
	Rig r;
	guint32 hp, stop = FLASH + 0x2000;
	rig_open(&r, _i, "fresh");
	bkpt_in_flash(&r, stop);
	hp = FLASH + 0x400;
	ck_assert(wr(&r, r.f->regs + PECR, PECR_FPRG | PECR_PROG));
	run_code(&r, four_then_jump, G_N_ELEMENTS(four_then_jump), hp, 0x11223344u, stop | 1u);
	ck_assert_uint_eq(errors(&r), r.f->l1 ? SR_PGAERR : SR_FWWERR);
	ck_assert_uint_eq(rd(&r, hp), 0);
	clear_errors(&r);
	if (!r.f->l1) {
		/* the L0's 16 words from SRAM, nothing in between */
		ck_assert(wr(&r, r.f->regs + PECR, PECR_FPRG | PECR_PROG));
		run_code(&r, all_then_stop, G_N_ELEMENTS(all_then_stop), hp, 0x11223344u, 0);
		wait_bsy(&r);
		ck_assert_uint_eq(errors(&r), 0);
		ck_assert_uint_eq(rd(&r, hp + r.f->half - 4), 0x11223344u);
	}
	rig_close(&r);
}
END_TEST

/* A word program, then a fetch from the same bank while BSY: the L0 aborts
 * the write (FWWERR: firmware writing flash from flash), the L1 stalls the
 * fetch and writes; on a dual-bank L0 a fetch from the other bank is fine
 * (read while write) */
START_TEST(test_fetch_while_writing)
{
	static const guint16 store_then_jump[] = {0x6001, 0x4710}; /* str r1,[r0]; bx r2 */
	Rig r;
	guint32 target = FLASH + 0x800, stop = FLASH + 0x1000;
	rig_open(&r, _i, "fresh");
	bkpt_in_flash(&r, stop);
	ck_assert(wr(&r, r.f->regs + PECR, 0));
	run_code(&r, store_then_jump, 2, target, 0xCAFEF00Du, stop | 1u);
	wait_bsy(&r);
	if (r.f->l1) {
		ck_assert_uint_eq(errors(&r), 0);
		ck_assert_uint_eq(rd(&r, target), 0xCAFEF00Du);
	} else {
		ck_assert_uint_eq(errors(&r), SR_FWWERR);
		ck_assert_uint_eq(rd(&r, target), 0);
	}
	clear_errors(&r);
	if (r.f->bank2 != 0) {
		guint32 far = FLASH + r.f->bank2 + 0x100;
		bkpt_in_flash(&r, far);
		ck_assert(wr(&r, r.f->regs + PECR, 0));
		run_code(&r, store_then_jump, 2, target + 4, 0x600DF00Du, far | 1u);
		wait_bsy(&r);
		ck_assert_uint_eq(errors(&r), 0);
		ck_assert_uint_eq(rd(&r, target + 4), 0x600DF00Du);
	}
	rig_close(&r);
}
END_TEST

/* ---- data EEPROM ------------------------------------------------------------- */

/* Bytes, half-words and words with PELOCK clear (no PRGKEYR needed); a word
 * that must be erased first costs a second tprog, as FIX does always;
 * ERASE|DATA and a zero word erase it; PELOCK set is WRPERR */
START_TEST(test_eeprom)
{
	Rig r;
	gint64 t0, once, twice;
	rig_open(&r, _i, "fresh");
	ck_assert(wr(&r, EEPROM, 0x11u));
	ck_assert_uint_eq(errors(&r), SR_WRPERR);
	clear_errors(&r);
	unlock(&r, FALSE, FALSE);
	t0 = glint_sim_get_time_ns(r.sim);
	ck_assert(glint_sim_bus_write(r.sim, EEPROM + 1, 1, 0xAB));
	wait_bsy(&r);
	once = glint_sim_get_time_ns(r.sim) - t0;
	ck_assert(glint_sim_bus_write(r.sim, EEPROM + 2, 2, 0xCDEF));
	t0 = glint_sim_get_time_ns(r.sim);
	wait_bsy(&r);
	ck_assert_uint_eq(rd(&r, EEPROM), 0xCDEFAB00u);
	ck_assert(wr(&r, EEPROM + 4, 0x01020304u));
	wait_bsy(&r);
	t0 = glint_sim_get_time_ns(r.sim);
	ck_assert(wr(&r, EEPROM + 4, 0x05060708u));
	wait_bsy(&r);
	twice = glint_sim_get_time_ns(r.sim) - t0;
	ck_assert_uint_eq(rd(&r, EEPROM + 4), 0x05060708u);
	ck_assert_int_ge(once, r.f->tprog_ns);
	ck_assert_int_ge(twice, 2 * r.f->tprog_ns);
	ck_assert_int_lt(once, 2 * r.f->tprog_ns);
	ck_assert(wr(&r, r.f->regs + PECR, PECR_ERASE | PECR_DATA));
	ck_assert(wr(&r, EEPROM + 4, 0));
	wait_bsy(&r);
	ck_assert_uint_eq(rd(&r, EEPROM + 4), 0);
	ck_assert_uint_eq(rd(&r, EEPROM), 0xCDEFAB00u);
	ck_assert_uint_eq(errors(&r), 0);
	/* the last word */
	ck_assert(wr(&r, r.f->regs + PECR, PECR_FIX));
	ck_assert(wr(&r, EEPROM + r.f->eeprom_size - 4, 0x77u));
	wait_bsy(&r);
	ck_assert_uint_eq(rd(&r, EEPROM + r.f->eeprom_size - 4), 0x77u);
	ck_assert(!rd_ok(&r, EEPROM + r.f->eeprom_size));
	rig_close(&r);
}
END_TEST

/* ---- option bytes ------------------------------------------------------------ */

static guint32
ob_word(guint16 value)
{
	return value | ((guint32)(guint16)~value << 16);
}

static void
obl_launch(Rig *r)
{
	/* the reset answers the very write with a DP error */
	(void)wr(r, r->f->regs + PECR, PECR_OBL_LAUNCH);
	ck_assert(wr(r, DHCSR, DBGKEY | C_DEBUGEN | C_HALT));
}

/* Words with their complements, written with OPTLOCK clear; effective at
 * the next load; a word that disagrees makes the load set OPTVERR and fall
 * back to level 1, again at every reset */
START_TEST(test_options)
{
	Rig r;
	rig_open(&r, _i, "fresh");
	ck_assert_uint_eq(reg(&r, OPTR) & 0xFFu, 0xAAu);
	ck_assert(wr(&r, OB + 8, ob_word(0x0003)));
	ck_assert_uint_eq(errors(&r), SR_WRPERR);
	clear_errors(&r);
	unlock(&r, FALSE, TRUE);
	ck_assert(wr(&r, OB + 8, ob_word(0x0003)));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	ck_assert_uint_eq(rd(&r, OB + 8), ob_word(0x0003));
	ck_assert_uint_eq(reg(&r, WRPR1), 0);
	obl_launch(&r);
	ck_assert_uint_eq(reg(&r, WRPR1), 3);
	ck_assert_uint_eq(errors(&r), 0);
	/* a torn RDP word */
	unlock(&r, FALSE, TRUE);
	ck_assert(wr(&r, OB, 0xFF5000AAu));
	wait_bsy(&r);
	obl_launch(&r);
	ck_assert_uint_eq(reg(&r, SR) & SR_OPTVERR, SR_OPTVERR);
	ck_assert_uint_ne(reg(&r, OPTR) & 0xFFu, 0xAAu);
	clear_errors(&r);
	glint_sim_power_cycle(r.sim);
	ck_assert(wr(&r, DHCSR, DBGKEY | C_DEBUGEN | C_HALT));
	ck_assert_uint_eq(reg(&r, SR) & SR_OPTVERR, SR_OPTVERR);
	rig_close(&r);
}
END_TEST

/* The L1 tells a torn USER word apart (OPTVERRUSR) */
START_TEST(test_options_user_torn)
{
	Rig r;
	rig_open(&r, _i, "fresh");
	unlock(&r, FALSE, TRUE);
	ck_assert(wr(&r, OB + 4, 0x12340078u));
	wait_bsy(&r);
	obl_launch(&r);
	ck_assert_uint_eq(reg(&r, SR) & (SR_OPTVERR | SR_OPTVERRUSR),
			  r.f->l1 ? SR_OPTVERRUSR : SR_OPTVERR);
	rig_close(&r);
}
END_TEST

/* Level 1: the debugger reads neither flash nor data EEPROM (SRAM and
 * option bytes it does) and cannot program; writing level 0 erases flash
 * and data EEPROM before the option word */
START_TEST(test_rdp)
{
	Rig r;
	rig_open(&r, _i, "eeprom-data");
	unlock(&r, FALSE, TRUE);
	ck_assert(wr(&r, OB, ob_word(0x00BB)));
	wait_bsy(&r);
	obl_launch(&r);
	ck_assert(!rd_ok(&r, FLASH));
	ck_assert(!rd_ok(&r, EEPROM));
	ck_assert(rd_ok(&r, SRAM));
	ck_assert_uint_eq(rd(&r, OB), ob_word(0x00BB));
	ck_assert(glint_sim_peek32(r.sim, FLASH) != 0);
	ck_assert(glint_sim_peek32(r.sim, EEPROM) != 0);
	unlock(&r, TRUE, TRUE);
	ck_assert(!wr(&r, FLASH + 0x100, 1));
	ck_assert(wr(&r, OB, ob_word(0x00AA)));
	wait_bsy(&r);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH), 0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, EEPROM), 0);
	obl_launch(&r);
	ck_assert_uint_eq(rd(&r, FLASH), 0);
	ck_assert_uint_eq(rd(&r, EEPROM + 0x40), 0);
	rig_close(&r);
}
END_TEST

/* ---- power ---------------------------------------------------------------------- */

/* A page erase cut short leaves bits of the page set; an option word cut
 * short makes the next load report OPTVERR */
START_TEST(test_power_cut)
{
	Rig r;
	guint8 page[256];
	gboolean dirty = FALSE;
	rig_open(&r, _i, "stale-errors");
	clear_errors(&r);
	unlock(&r, TRUE, FALSE);
	ck_assert(wr(&r, r.f->regs + PECR, PECR_ERASE | PECR_PROG));
	ck_assert(wr(&r, FLASH + r.f->page, 0));
	ck_assert_uint_eq(glint_sim_power_fail(r.sim), GLINT_SIM_CUT_ERASE);
	ck_assert(glint_sim_peek(r.sim, FLASH + r.f->page, page, r.f->page));
	for (guint i = 0; i < r.f->page; i++)
		dirty = dirty || page[i] != 0;
	ck_assert_msg(dirty, "a cut erase left the page fully erased");
	glint_sim_set_target_voltage_mv(r.sim, 3300);
	rig_close(&r);

	rig_open(&r, _i, "fresh");
	unlock(&r, FALSE, TRUE);
	ck_assert(wr(&r, OB + 4, ob_word(0x0078)));
	ck_assert_uint_eq(glint_sim_power_fail(r.sim), GLINT_SIM_CUT_OPTIONS);
	glint_sim_set_target_voltage_mv(r.sim, 3300);
	glint_stlink_free(r.st);
	{
		g_autoptr(GlintTransport) t = glint_sim_transport_new(r.sim);
		r.st = glint_stlink_new(t);
		ck_assert(glint_stlink_open(r.st, NULL));
		ck_assert(glint_stlink_enter_swd(r.st, NULL));
	}
	ck_assert_uint_ne(reg(&r, SR) & (SR_OPTVERR | SR_OPTVERRUSR), 0);
	rig_close(&r);
}
END_TEST

/* ---- scenarios ------------------------------------------------------------------ */

/* Fresh is erased to 0x00 everywhere, and a state file keeps the data
 * EEPROM and leaves erased chunks out */
START_TEST(test_scenarios)
{
	Rig r;
	guint8 buf[64], zero[64] = {0};
	g_autofree gchar *dir = g_dir_make_tmp("l0-sim-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GlintSim) again = NULL;

	rig_open(&r, _i, "fresh");
	ck_assert(glint_sim_peek(r.sim, FLASH + r.f->flash_kb * 1024 - 64, buf, 64));
	ck_assert(memcmp(buf, zero, 64) == 0);
	ck_assert(glint_sim_peek(r.sim, EEPROM, buf, 64));
	ck_assert(memcmp(buf, zero, 64) == 0);
	ck_assert_uint_eq(rd(&r, OB), 0xFF5500AAu);
	rig_close(&r);

	rig_open(&r, _i, "eeprom-data");
	ck_assert_uint_ne(rd(&r, EEPROM), 0);
	ck_assert(glint_sim_save_state(r.sim, path, NULL));
	again = glint_sim_new_from_state(path, NULL);
	ck_assert_ptr_nonnull(again);
	ck_assert_uint_eq(glint_sim_peek32(again, EEPROM), glint_sim_peek32(r.sim, EEPROM));
	rig_close(&r);
	g_unlink(path);
	g_rmdir(dir);

	rig_open(&r, _i, "ff-filled");
	ck_assert_uint_eq(rd(&r, FLASH), 0xFFFFFFFFu);
	rig_close(&r);

	rig_open(&r, _i, "unlock-stuck");
	ck_assert(!wr(&r, r.f->regs + PEKEYR, PEKEY1));
	rig_close(&r);
}
END_TEST

static Suite *
l0_sim_suite(void)
{
	Suite *s = suite_create("l0-sim");
	TCase *tc = tcase_create("machines");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_identity, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_keys, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_word, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_page_erase, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_wrp_sector, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_half_page, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_half_page_fetch, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_fetch_while_writing, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_eeprom, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_options, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_options_user_torn, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_rdp, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_power_cut, 0, G_N_ELEMENTS(boards));
	tcase_add_loop_test(tc, test_scenarios, 0, G_N_ELEMENTS(boards));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(l0_sim_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
