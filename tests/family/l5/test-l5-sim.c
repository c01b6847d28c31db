/* test-l5-sim.c: the STM32L5/U5 machines of the emulator (core/sim/l5)
 * against the reference manuals (RM0438, RM0456), board by board: the
 * core's identity, keys and locks, every FLASH_NSSR error and the misuse
 * that raises it, double and quad words gathered word by word (WDW),
 * BSY times, the two security domains with TrustZone on (each erases and
 * programs only its own pages; SECBB; HDP), read-as-zero for a non-secure
 * debugger, the option bytes (OPTWERR rules, value/complement and OPTVERR,
 * the regressions' erases) and the state file. The debugger's view goes
 * through the emulated ST-LINK (glint-stlink.c); the chip's own code is
 * the AHB back door, a secure master with TrustZone on. */
#include <glib/gstdio.h>

#include "glint-stlink.h"
#include "l5-test.h"

#define CPUID 0xE000ED00u
#define DHCSR 0xE000EDF0u
#define DBGKEY (0xA05Fu << 16)
#define C_DEBUGEN (1u << 0)
#define C_HALT (1u << 1)
#define DBGMCU_IDCODE 0xE0044000u

typedef struct {
	const L5Board *b;
	guint32 cpuid;
	guint32 dp_idcode;
	guint16 dev_id;
	guint32 flash_size_reg;
	gint64 mass_erase_ns;
} Facts;

/* Cortex-M33 r1p0 (the core table's, recalled); SW-DP 0x0BE12477 as
 * OpenOCD's stm32x5x_common.cfg expects */
static const Facts facts[N_BOARDS] = {
    {&l5_boards[0], 0x411FD210u, 0x0BE12477u, 0x472, 0x0BFA05E0u, 22130000},
    {&l5_boards[1], 0x411FD210u, 0x0BE12477u, 0x482, 0x0BFA07A0u, 1500000},
};

typedef struct {
	const Facts *f;
	GlintSim *sim;
	GlintStlink *st;
} Rig;

static void
rig_open(Rig *r, guint board, const char *scenario)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autofree gchar *spec = g_strdup_printf("%s:%s", facts[board].b->name, scenario);

	r->f = &facts[board];
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

static void
unlock(Rig *r, gboolean options)
{
	ck_assert(wr(r, FLASH_NSKEYR, KEY1));
	ck_assert(wr(r, FLASH_NSKEYR, KEY2));
	if (options) {
		ck_assert(wr(r, FLASH_OPTKEYR, OPTKEY1));
		ck_assert(wr(r, FLASH_OPTKEYR, OPTKEY2));
	}
}

static void
wait_bsy(Rig *r)
{
	for (guint i = 0; i < 1000 && (rd(r, FLASH_NSSR) & SR_BSY); i++)
		glint_sim_advance_time(r->sim, 1000000);
	ck_assert_uint_eq(rd(r, FLASH_NSSR) & SR_BSY, 0);
}

static guint32
errors(Rig *r)
{
	return rd(r, FLASH_NSSR) & 0xA0FAu;
}

static void
clear_errors(Rig *r)
{
	ck_assert(wr(r, FLASH_NSSR, 0xA0FBu));
}

/* Programs one unit at @addr word by word (all of it, or @words) */
static void
program_words(Rig *r, guint32 addr, guint32 seed, guint words)
{
	for (guint i = 0; i < words; i++)
		ck_assert(wr(r, addr + 4 * i, seed + i));
}

/* The secure side's own accesses, as the chip's code makes them */
static void
sec_unlock(GlintSim *sim)
{
	ahb_write(sim, FLASH_SECKEYR, KEY1);
	ahb_write(sim, FLASH_SECKEYR, KEY2);
}

/* ---- identity ------------------------------------------------------------- */

START_TEST(test_identity)
{
	Rig r;
	guint32 idcode = 0;
	rig_open(&r, _i, "fresh");
	ck_assert_uint_eq(rd(&r, CPUID), r.f->cpuid);
	ck_assert(glint_stlink_read_idcode(r.st, &idcode, NULL));
	ck_assert_uint_eq(idcode, r.f->dp_idcode);
	ck_assert_uint_eq(rd(&r, DBGMCU_IDCODE) & 0xFFFu, r.f->dev_id);
	ck_assert_uint_eq(rd(&r, r.f->flash_size_reg) & 0xFFFFu, r.f->b->flash_kb);
	/* reset values (RM0438 6.9): NSCR locked, OPTR as shipped */
	ck_assert_uint_eq(rd(&r, FLASH_NSCR), CR_LOCK | CR_OPTLOCK);
	ck_assert_uint_eq(rd(&r, FLASH_OPTR), r.f->b->is_u5 ? 0x1FEFF8AAu : 0x7FEFF8AAu);
	ck_assert_uint_eq(rd(&r, FLASH_WRP1AR), 0xFF80FFFFu);
	/* with TrustZone off the secure registers read as zero, and the secure
	 * aliases lead nowhere */
	ck_assert_uint_eq(rd(&r, FLASH_SECCR), 0);
	ck_assert_uint_eq(rd(&r, FLASH_S_R + 0x28u), 0);
	ck_assert(!rd_ok(&r, FLASH_S_BASE));
	ck_assert(!rd_ok(&r, 0x30000000u));
	rig_close(&r);
}
END_TEST

/* The rest of the chip as a debugger sees it: the reset flags each reset
 * source leaves in RCC_CSR (RM0438 9.8.29, RM0456 11.8.45: every system
 * reset drives NRST, so PINRSTF comes with the others), GPIO behind its
 * clock gate with the debug pins' reset modes (RM0438 8.4.1), an
 * unmodelled peripheral reading 0 */
START_TEST(test_rest_of_chip)
{
	Rig r;
	guint32 csr = _i ? 0x46020CF4u : 0x40021094u;
	guint32 ahb2enr1 = _i ? 0x46020C8Cu : 0x4002104Cu;
	rig_open(&r, _i, "fresh");
	ck_assert_uint_eq(rd(&r, csr) & 0xFE000000u, (1u << 27) | (1u << 26)); /* BOR, PIN */
	ck_assert(wr(&r, csr, 1u << 23));				       /* RMVF */
	ck_assert_uint_eq(rd(&r, csr) & 0xFE000000u, 0);
	ck_assert(glint_stlink_reset_sys(r.st, NULL));
	ck_assert_uint_eq(rd(&r, csr) & 0xFE000000u, (1u << 28) | (1u << 26)); /* SFT, PIN */
	/* GPIOA: clock off reads 0; on, MODER shows PA13/PA14 in AF mode */
	ck_assert_uint_eq(rd(&r, 0x42020000u), 0);
	ck_assert(wr(&r, ahb2enr1, 1u));
	ck_assert_uint_eq(rd(&r, 0x42020000u), 0xABFFFFFFu);
	/* TIM2 is not modelled: its registers read 0, a write does nothing */
	ck_assert(wr(&r, 0x40000000u, 1u));
	ck_assert_uint_eq(rd(&r, 0x40000000u), 0);
	rig_close(&r);
}
END_TEST

/* ---- the clock tree ---------------------------------------------------------- */

/* The clock set-up OpenOCD's stm32l5x.cfg and stm32u5x.cfg run at reset
 * init, word for word, each wait on a ready flag checked once: the flags
 * follow their ON bits (RM0438 6.4.1, RM0456 11.8.1, 10.10.4), SWS follows
 * SW to a running source, and HCLK (what the core's instructions are
 * charged at) becomes the PLL's R output: L5 MSI 4 MHz / M 2 * N 55 / R 2
 * = 55 MHz (RM0438 6.4.4), U5 MSIS 4 MHz / 1 * 80 / 2 = 160 MHz (RM0456
 * 11.8.34). A reset puts MSI 4 MHz back. */
START_TEST(test_clock_tree)
{
	Rig r;
	rig_open(&r, _i, "fresh");
	ck_assert_uint_eq(glint_sim_get_hclk_hz(r.sim), 4000000u);
	if (_i == 0) {
		ck_assert_uint_eq(rd(&r, 0x40021000u) & 0x3u, 0x3u); /* MSION, MSIRDY */
		ck_assert(wr(&r, 0x40021058u, 0x10000000u));	     /* PWREN */
		ck_assert(wr(&r, 0x40007000u, 0));		     /* VOS range 0 */
		ck_assert_uint_eq(rd(&r, 0x40007014u) & 0x0400u, 0); /* VOSF */
		ck_assert(wr(&r, 0x40022000u, 5));		     /* 5 wait states */
		ck_assert(wr(&r, 0x4002100Cu, 0x01003711u));	     /* PLLCFGR */
		/* SW = PLL before the PLL runs: SWS stays MSI */
		ck_assert(wr(&r, 0x40021008u, 3));
		ck_assert_uint_eq(rd(&r, 0x40021008u) & 0xCu, 0);
		ck_assert_uint_eq(rd(&r, 0x40021000u) & 0x02000000u, 0);
		ck_assert(wr(&r, 0x40021000u, rd(&r, 0x40021000u) | 0x01000000u)); /* PLLON */
		ck_assert_uint_ne(rd(&r, 0x40021000u) & 0x02000000u, 0);	   /* PLLRDY */
		ck_assert(wr(&r, 0x40021008u, 3));
		ck_assert_uint_eq(rd(&r, 0x40021008u) & 0xCu, 0xCu);
		ck_assert_uint_eq(glint_sim_get_hclk_hz(r.sim), 55000000u);
	} else {
		ck_assert(wr(&r, 0x46020C94u, 4));				   /* PWREN */
		ck_assert(wr(&r, 0x4602080Cu, rd(&r, 0x4602080Cu) | 0x00030000u)); /* VOS 1 */
		ck_assert_uint_ne(rd(&r, 0x4602080Cu) & 0x00008000u, 0);	   /* VOSRDY */
		ck_assert(wr(&r, 0x40022000u, 4));
		ck_assert(wr(&r, 0x46020C28u, 0x00040009u)); /* PLL1CFGR */
		ck_assert_uint_eq(rd(&r, 0x4602080Cu) & 0x00004000u, 0);
		ck_assert(wr(&r, 0x4602080Cu, rd(&r, 0x4602080Cu) | 0x00040000u)); /* BOOSTEN */
		ck_assert_uint_ne(rd(&r, 0x4602080Cu) & 0x00004000u, 0);	   /* BOOSTRDY */
		ck_assert(wr(&r, 0x46020C34u, 0x0101024Fu));			   /* PLL1DIVR */
		ck_assert(wr(&r, 0x46020C00u, rd(&r, 0x46020C00u) | 0x01000000u)); /* PLL1ON */
		ck_assert_uint_ne(rd(&r, 0x46020C00u) & 0x02000000u, 0);	   /* PLL1RDY */
		ck_assert(wr(&r, 0x46020C1Cu, rd(&r, 0x46020C1Cu) | 3u));
		ck_assert_uint_eq(rd(&r, 0x46020C1Cu) & 0xCu, 0xCu);
		ck_assert_uint_eq(glint_sim_get_hclk_hz(r.sim), 160000000u);
	}
	ck_assert(glint_stlink_reset_sys(r.st, NULL));
	ck_assert_uint_eq(glint_sim_get_hclk_hz(r.sim), 4000000u);
	rig_close(&r);
}
END_TEST

/* ---- keys ------------------------------------------------------------------ */

/* RM0438 6.3.5: a wrong key is a bus error and locks NSCR until reset;
 * OPTKEYR only once NSCR is unlocked */
START_TEST(test_keys)
{
	Rig r;
	rig_open(&r, _i, "fresh");
	ck_assert(!wr(&r, FLASH_OPTKEYR, OPTKEY1));
	ck_assert(wr(&r, FLASH_NSKEYR, KEY1));
	ck_assert(!wr(&r, FLASH_NSKEYR, KEY1));
	ck_assert(!wr(&r, FLASH_NSKEYR, KEY1));
	ck_assert(!wr(&r, FLASH_NSKEYR, KEY2));
	ck_assert(rd(&r, FLASH_NSCR) & CR_LOCK);
	ck_assert(glint_stlink_reset_sys(r.st, NULL));
	unlock(&r, TRUE);
	ck_assert_uint_eq(rd(&r, FLASH_NSCR) & (CR_LOCK | CR_OPTLOCK), 0);
	/* a key while unlocked locks again */
	ck_assert(!wr(&r, FLASH_NSKEYR, KEY1));
	ck_assert(rd(&r, FLASH_NSCR) & CR_LOCK);
	rig_close(&r);
}
END_TEST

/* ---- programming ------------------------------------------------------------ */

/* Every error and the misuse that raises it (RM0438 6.9.6) */
START_TEST(test_program_errors)
{
	Rig r;
	guint unit_words;
	rig_open(&r, _i, "fresh");
	unit_words = r.f->b->unit / 4;
	unlock(&r, FALSE);
	/* a store without PG: PGSERR, nothing written */
	ck_assert(wr(&r, FLASH_BASE, 0x12345678u));
	ck_assert_uint_eq(errors(&r), SR_PGSERR);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), 0xFFFFFFFFu);
	clear_errors(&r);
	ck_assert(wr(&r, FLASH_NSCR, CR_PG));
	/* a byte: SIZERR */
	ck_assert(glint_stlink_write_mem8(r.st, FLASH_BASE, (const guint8 *)"\x11", 1, NULL));
	ck_assert_uint_eq(errors(&r), SR_SIZERR);
	clear_errors(&r);
	/* the first word of a unit not at its start: PGAERR */
	ck_assert(wr(&r, FLASH_BASE + 4, 1));
	ck_assert_uint_eq(errors(&r), SR_PGAERR);
	clear_errors(&r);
	/* a word skipped inside the unit: PGAERR */
	ck_assert(wr(&r, FLASH_BASE, 1));
	ck_assert(wr(&r, FLASH_BASE + 8, 2));
	ck_assert_uint_eq(errors(&r), SR_PGAERR);
	clear_errors(&r);
	/* a whole unit, then the same one again: PROGERR, the first stays */
	program_words(&r, FLASH_BASE, 0x100, unit_words);
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + 4), 0x101);
	program_words(&r, FLASH_BASE, 0x200, unit_words);
	ck_assert_uint_eq(errors(&r), SR_PROGERR);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + 4), 0x101);
	/* ... and with the flag still set, the next operation: PGSERR */
	program_words(&r, FLASH_BASE + r.f->b->unit, 0x300, unit_words);
	ck_assert(errors(&r) & SR_PGSERR);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + r.f->b->unit), 0xFFFFFFFFu);
	clear_errors(&r);
	/* all zeros may overwrite (ECC allows it) */
	for (guint i = 0; i < unit_words; i++)
		ck_assert(wr(&r, FLASH_BASE + 4 * i, 0));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), 0);
	/* PER and MER together with STRT: PGSERR */
	ck_assert(wr(&r, FLASH_NSCR, CR_PER | CR_MER1));
	ck_assert(wr(&r, FLASH_NSCR, CR_PER | CR_MER1 | CR_STRT));
	ck_assert_uint_eq(errors(&r), SR_PGSERR);
	rig_close(&r);
}
END_TEST

/* The unit is taken when its last word arrives: a double word on the L5,
 * a quad word on the U5, which shows WDW while it waits for the rest */
START_TEST(test_program_unit)
{
	Rig r;
	guint unit_words;
	rig_open(&r, _i, "fresh");
	unit_words = r.f->b->unit / 4;
	unlock(&r, FALSE);
	ck_assert(wr(&r, FLASH_NSCR, CR_PG));
	program_words(&r, FLASH_BASE, 0xA0, unit_words - 1);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), 0xFFFFFFFFu);
	ck_assert_uint_eq(rd(&r, FLASH_NSSR) & SR_WDW, r.f->b->is_u5 ? SR_WDW : 0);
	ck_assert(wr(&r, FLASH_BASE + 4 * (unit_words - 1), 0xAF));
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), 0xA0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + 4 * (unit_words - 1)), 0xAF);
	ck_assert_uint_eq(rd(&r, FLASH_NSSR) & SR_WDW, 0);
	rig_close(&r);
}
END_TEST

/* BSY lasts the datasheet times (DS12736, DS13737): one unit, a page
 * erase; EOP with EOPIE. The chip's own code times it (the AHB back door
 * costs no probe round trip). */
START_TEST(test_bsy_times)
{
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", l5_boards[_i].name);
	g_autoptr(GlintSim) sim = glint_sim_new(spec, NULL);
	const L5Board *lb = &l5_boards[_i];

	ahb_write(sim, FLASH_NSKEYR, KEY1);
	ahb_write(sim, FLASH_NSKEYR, KEY2);
	ahb_write(sim, FLASH_NSCR, CR_PG | CR_EOPIE);
	for (guint i = 0; i < lb->unit / 4; i++)
		ahb_write(sim, FLASH_BASE + 4 * i, i);
	ck_assert(ahb_read(sim, FLASH_NSSR) & SR_BSY);
	glint_sim_advance_time(sim, lb->unit_ns - 1000);
	ck_assert(ahb_read(sim, FLASH_NSSR) & SR_BSY);
	glint_sim_advance_time(sim, 1000);
	ck_assert_uint_eq(ahb_read(sim, FLASH_NSSR) & (SR_BSY | SR_EOP), SR_EOP);
	ahb_write(sim, FLASH_NSSR, SR_EOP);
	ahb_write(sim, FLASH_NSCR, CR_PER | (2u << CR_PNB_SHIFT));
	ahb_write(sim, FLASH_NSCR, CR_PER | (2u << CR_PNB_SHIFT) | CR_STRT);
	glint_sim_advance_time(sim, lb->page_erase_ns - 1000);
	ck_assert(ahb_read(sim, FLASH_NSSR) & SR_BSY);
	glint_sim_advance_time(sim, 1000);
	ck_assert_uint_eq(ahb_read(sim, FLASH_NSSR) & SR_BSY, 0);
	/* a bank erase */
	ahb_write(sim, FLASH_NSCR, CR_MER2);
	ahb_write(sim, FLASH_NSCR, CR_MER2 | CR_STRT);
	glint_sim_advance_time(sim, facts[_i].mass_erase_ns - 1000);
	ck_assert(ahb_read(sim, FLASH_NSSR) & SR_BSY);
	glint_sim_advance_time(sim, 1000);
	ck_assert_uint_eq(ahb_read(sim, FLASH_NSSR) & SR_BSY, 0);
}
END_TEST

/* WRP: a protected page refuses erase and programming with WRPERR, a
 * bank erase of its bank too; the next page is free */
START_TEST(test_wrp)
{
	Rig r;
	rig_open(&r, _i, "wrp");
	unlock(&r, FALSE);
	ck_assert(wr(&r, FLASH_NSCR, CR_PER));
	ck_assert(wr(&r, FLASH_NSCR, CR_PER | CR_STRT));
	ck_assert_uint_eq(errors(&r), SR_WRPERR);
	ck_assert(glint_sim_peek32(r.sim, FLASH_BASE) != 0xFFFFFFFFu);
	clear_errors(&r);
	ck_assert(wr(&r, FLASH_NSCR, CR_MER1));
	ck_assert(wr(&r, FLASH_NSCR, CR_MER1 | CR_STRT));
	ck_assert_uint_eq(errors(&r), SR_WRPERR);
	clear_errors(&r);
	ck_assert(wr(&r, FLASH_NSCR, CR_PER | (1u << CR_PNB_SHIFT)));
	ck_assert(wr(&r, FLASH_NSCR, CR_PER | (1u << CR_PNB_SHIFT) | CR_STRT));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + r.f->b->page), 0xFFFFFFFFu);
	/* bank 2 has no area: MER2 works */
	ck_assert(wr(&r, FLASH_NSCR, CR_MER2));
	ck_assert(wr(&r, FLASH_NSCR, CR_MER2 | CR_STRT));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	rig_close(&r);
}
END_TEST

/* Read protection level 1 with a debugger: no access to flash at all, a
 * store with PG set raises WRPERR */
START_TEST(test_rdp1)
{
	Rig r;
	rig_open(&r, _i, "rdp1");
	ck_assert(!rd_ok(&r, FLASH_BASE));
	unlock(&r, FALSE);
	ck_assert(wr(&r, FLASH_NSCR, CR_PG));
	ck_assert(!wr(&r, FLASH_BASE + 0x8000, 1));
	ck_assert(errors(&r) & SR_WRPERR);
	/* SRAM and the option registers stay reachable */
	ck_assert(wr(&r, 0x20000000u, 0x5A5A5A5Au));
	ck_assert_uint_eq(rd(&r, FLASH_OPTR) & 0xFFu, 0xBB);
	rig_close(&r);
}
END_TEST

/* ---- TrustZone ----------------------------------------------------------------- */

/* A non-secure debugger (RDP 0.5) at secure memory: zeros and no fault;
 * its erase or program of a secure page does nothing and raises nothing
 * (an illegal access on silicon); the secure registers read zero */
START_TEST(test_non_secure_debugger)
{
	Rig r;
	guint32 fw;
	rig_open(&r, _i, "rdp0.5");
	fw = glint_sim_peek32(r.sim, FLASH_BASE);
	ck_assert(fw != 0 && fw != 0xFFFFFFFFu);
	ck_assert_uint_eq(rd(&r, FLASH_BASE), 0);
	ck_assert_uint_eq(rd(&r, FLASH_S_BASE), 0);
	ck_assert_uint_eq(rd(&r, FLASH_SECSR), 0);
	/* a non-secure page reads as it is */
	ck_assert_uint_eq(rd(&r, FLASH_BASE + 16 * r.f->b->page), 0xFFFFFFFFu);
	unlock(&r, FALSE);
	ck_assert(wr(&r, FLASH_NSCR, CR_PER));
	ck_assert(wr(&r, FLASH_NSCR, CR_PER | CR_STRT));
	wait_bsy(&r);
	ck_assert_uint_eq(errors(&r), 0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), fw);
	ck_assert(wr(&r, FLASH_NSCR, CR_PG));
	program_words(&r, FLASH_BASE, 0, r.f->b->unit / 4);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), fw);
	/* the secure key register ignores it: SECCR stays locked */
	ck_assert(wr(&r, FLASH_SECKEYR, KEY1));
	ck_assert(wr(&r, FLASH_SECKEYR, KEY2));
	ck_assert(ahb_read(r.sim, FLASH_SECCR) & CR_LOCK);
	/* a non-secure bank erase of a bank with secure pages does nothing */
	ck_assert(wr(&r, FLASH_NSCR, CR_MER1));
	ck_assert(wr(&r, FLASH_NSCR, CR_MER1 | CR_STRT));
	wait_bsy(&r);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE), fw);
	rig_close(&r);
}
END_TEST

/* The secure side (the chip's own secure code): SECCR erases a secure page
 * and not a non-secure one; a page made secure by SECBB is out of the
 * non-secure side's reach until the next reset */
START_TEST(test_secure_domain)
{
	Rig r;
	guint8 buf[16];
	guint32 page, ns_page;
	rig_open(&r, _i, "trustzone");
	page = r.f->b->page;
	ns_page = FLASH_BASE + 20 * page;
	memset(buf, 0x77, sizeof(buf));
	ck_assert(glint_sim_poke(r.sim, ns_page, buf, sizeof(buf)));
	sec_unlock(r.sim);
	/* page 1 (secure): erased by SECCR */
	ahb_write(r.sim, FLASH_SECCR, CR_PER | (1u << CR_PNB_SHIFT));
	ahb_write(r.sim, FLASH_SECCR, CR_PER | (1u << CR_PNB_SHIFT) | CR_STRT);
	glint_sim_advance_time(r.sim, r.f->b->page_erase_ns);
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_SECSR) & 0xFAu, 0);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + page), 0xFFFFFFFFu);
	/* page 20 (non-secure): not by SECCR */
	ahb_write(r.sim, FLASH_SECCR, CR_PER | (20u << CR_PNB_SHIFT));
	ahb_write(r.sim, FLASH_SECCR, CR_PER | (20u << CR_PNB_SHIFT) | CR_STRT);
	glint_sim_advance_time(r.sim, r.f->b->page_erase_ns);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, ns_page), 0x77777777u);
	/* secure programming through the secure alias */
	ahb_write(r.sim, FLASH_SECCR, CR_PG);
	for (guint i = 0; i < r.f->b->unit / 4; i++)
		ahb_write(r.sim, FLASH_S_BASE + page + 4 * i, 0xC0DE0000u + i);
	glint_sim_advance_time(r.sim, r.f->b->unit_ns);
	ck_assert_uint_eq(glint_sim_peek32(r.sim, FLASH_BASE + page), 0xC0DE0000u);
	ahb_write(r.sim, FLASH_SECCR, CR_LOCK);
	/* SECBB makes page 20 secure: the non-secure debugger reads zeros */
	ck_assert_uint_eq(rd(&r, ns_page), 0x77777777u);
	ahb_write(r.sim, FLASH_SECBB1R1, 1u << 20);
	ck_assert_uint_eq(rd(&r, ns_page), 0);
	ck_assert(glint_stlink_reset_sys(r.st, NULL));
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_SECBB1R1), 0);
	rig_close(&r);
}
END_TEST

/* HDP: once secure code sets HDP1_ACCDIS, the hidden pages read as zeros
 * for everyone and refuse erase (WRPERR) until the next reset */
START_TEST(test_hdp)
{
	Rig r;
	rig_open(&r, _i, "trustzone");
	/* HDP1 over pages 0-3 (the secure firmware's first pages) */
	ahb_write(r.sim, FLASH_NSKEYR, KEY1);
	ahb_write(r.sim, FLASH_NSKEYR, KEY2);
	ahb_write(r.sim, FLASH_OPTKEYR, OPTKEY1);
	ahb_write(r.sim, FLASH_OPTKEYR, OPTKEY2);
	ahb_write(r.sim, FLASH_SECWM1R2,
		  (ahb_read(r.sim, FLASH_SECWM1R2) & ~0x007F0000u) | (3u << 16) | (1u << 31));
	ahb_write(r.sim, FLASH_NSCR, CR_OPTSTRT);
	glint_sim_advance_time(r.sim, 100000000);
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_NSSR) & 0xA0FAu, 0);
	ahb_write(r.sim, FLASH_NSCR, CR_OBL_LAUNCH);
	ck_assert(rd(&r, FLASH_S_BASE) != 0);
	ahb_write(r.sim, FLASH_SECHDPCR, 1u);
	ck_assert_uint_eq(rd(&r, FLASH_S_BASE), 0);
	/* page 4 is outside HDP: the secure debugger (level 0) reads it */
	ck_assert_uint_eq(rd(&r, FLASH_S_BASE + 4 * r.f->b->page),
			  glint_sim_peek32(r.sim, FLASH_BASE + 4 * r.f->b->page));
	sec_unlock(r.sim);
	ahb_write(r.sim, FLASH_SECCR, CR_PER);
	ahb_write(r.sim, FLASH_SECCR, CR_PER | CR_STRT);
	ck_assert(ahb_read(r.sim, FLASH_SECSR) & SR_WRPERR);
	ck_assert(glint_stlink_reset_sys(r.st, NULL));
	ck_assert(rd(&r, FLASH_S_BASE) != 0);
	rig_close(&r);
}
END_TEST

/* ---- option bytes --------------------------------------------------------------- */

static void
option_write(GlintSim *sim, guint32 reg, guint32 value)
{
	if (ahb_read(sim, FLASH_NSCR) & CR_LOCK) {
		ahb_write(sim, FLASH_NSKEYR, KEY1);
		ahb_write(sim, FLASH_NSKEYR, KEY2);
	}
	if (ahb_read(sim, FLASH_NSCR) & CR_OPTLOCK) {
		ahb_write(sim, FLASH_OPTKEYR, OPTKEY1);
		ahb_write(sim, FLASH_OPTKEYR, OPTKEY2);
	}
	ahb_write(sim, reg, value);
	ahb_write(sim, FLASH_NSCR, CR_OPTSTRT);
	glint_sim_advance_time(sim, 100000000);
}

static void
option_load(GlintSim *sim)
{
	ahb_write(sim, FLASH_NSCR, CR_OBL_LAUNCH);
	glint_sim_advance_time(sim, 10000000);
}

/* OPTWERR: TZEN only at level 0; off only with a regression; the U5 has
 * no regression from 0.5 to 0 (the L5 has one, erasing everything) */
START_TEST(test_optwerr_rules)
{
	g_autofree gchar *spec = g_strdup_printf("%s:rdp1", l5_boards[_i].name);
	g_autofree gchar *half = g_strdup_printf("%s:rdp0.5", l5_boards[_i].name);
	g_autoptr(GlintSim) sim = glint_sim_new(spec, NULL);
	g_autoptr(GlintSim) tz = glint_sim_new(half, NULL);
	guint32 optr = glint_sim_peek32(sim, FLASH_OPTR);

	/* TZEN at level 1 */
	option_write(sim, FLASH_OPTR, optr | OPTR_TZEN);
	ck_assert(ahb_read(sim, FLASH_NSSR) & SR_OPTWERR);
	option_load(sim);
	ck_assert(!(ahb_read(sim, FLASH_OPTR) & OPTR_TZEN));
	/* TZEN off without a regression */
	optr = glint_sim_peek32(tz, FLASH_OPTR);
	option_write(tz, FLASH_OPTR, (optr & ~OPTR_TZEN));
	ck_assert(ahb_read(tz, FLASH_NSSR) & SR_OPTWERR);
	ahb_write(tz, FLASH_NSSR, SR_OPTWERR);
	/* 0.5 -> 0 */
	option_write(tz, FLASH_OPTR, (optr & ~0xFFu) | 0xAAu);
	if (l5_boards[_i].is_u5) {
		ck_assert(ahb_read(tz, FLASH_NSSR) & SR_OPTWERR);
		ck_assert(glint_sim_peek32(tz, FLASH_BASE) != 0xFFFFFFFFu);
	} else {
		ck_assert_uint_eq(ahb_read(tz, FLASH_NSSR) & SR_OPTWERR, 0);
		ck_assert_uint_eq(glint_sim_peek32(tz, FLASH_BASE), 0xFFFFFFFFu);
	}
}
END_TEST

/* 1 -> 0.5 erases the non-secure pages only: the secure firmware stays */
START_TEST(test_regression_to_half)
{
	g_autofree gchar *spec = g_strdup_printf("%s:trustzone", l5_boards[_i].name);
	g_autoptr(GlintSim) sim = glint_sim_new(spec, NULL);
	const L5Board *lb = &l5_boards[_i];
	guint32 optr = glint_sim_peek32(sim, FLASH_OPTR);
	guint32 fw = glint_sim_peek32(sim, FLASH_BASE);
	guint8 buf[4] = {1, 2, 3, 4};

	ck_assert(glint_sim_poke(sim, FLASH_BASE + 20 * lb->page, buf, 4));
	option_write(sim, FLASH_OPTR, (optr & ~0xFFu) | 0xBBu);
	option_load(sim);
	ck_assert_uint_eq(ahb_read(sim, FLASH_OPTR) & 0xFFu, 0xBB);
	option_write(sim, FLASH_OPTR, (optr & ~0xFFu) | 0x55u);
	ck_assert_uint_eq(ahb_read(sim, FLASH_NSSR) & SR_OPTWERR, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), fw);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 20 * lb->page), 0xFFFFFFFFu);
}
END_TEST

/* A value and its complement that disagree (an option write cut short):
 * the safe default (RDP level 1) at the next power-on, with OPTVERR on the
 * L5 after every reset; the U5 has no such flag */
START_TEST(test_option_pair_mismatch)
{
	Rig r;
	rig_open(&r, _i, "fresh");
	unlock(&r, TRUE);
	ck_assert(wr(&r, FLASH_NSCR, CR_OPTSTRT));
	ck_assert_int_eq(glint_sim_power_fail(r.sim), GLINT_SIM_CUT_OPTIONS);
	glint_sim_set_target_voltage_mv(r.sim, 3300);
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_OPTR) & 0xFFu, 0xFF);
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_NSSR) & SR_OPTVERR, r.f->b->is_u5 ? 0 : SR_OPTVERR);
	ahb_write(r.sim, FLASH_NSSR, SR_OPTVERR);
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_NSSR) & SR_OPTVERR, 0);
	ahb_write(r.sim, 0xE000ED0Cu, 0x05FA0004u); /* AIRCR.SYSRESETREQ */
	ck_assert_uint_eq(ahb_read(r.sim, FLASH_NSSR) & SR_OPTVERR, r.f->b->is_u5 ? 0 : SR_OPTVERR);
	rig_close(&r);
}
END_TEST

/* The state file keeps the option store and flash: a board saved with
 * TrustZone on comes back with it */
START_TEST(test_state_round_trip)
{
	g_autofree gchar *spec = g_strdup_printf("%s:trustzone", l5_boards[_i].name);
	g_autoptr(GlintSim) sim = glint_sim_new(spec, NULL);
	g_autoptr(GlintSim) back = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("l5-state-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);

	ck_assert(glint_sim_save_state(sim, path, &error));
	back = glint_sim_new_from_state(path, &error);
	ck_assert_msg(back != NULL, "%s", error ? error->message : "");
	ck_assert(ahb_read(back, FLASH_OPTR) & OPTR_TZEN);
	ck_assert_uint_eq(ahb_read(back, FLASH_SECWM1R1) & 0x007F007Fu, 0x000F0000u);
	ck_assert_uint_eq(glint_sim_peek32(back, FLASH_BASE), glint_sim_peek32(sim, FLASH_BASE));
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

static Suite *
l5_sim_suite(void)
{
	Suite *s = suite_create("l5-sim");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
	    {"identity", test_identity},
	    {"rest-of-chip", test_rest_of_chip},
	    {"clock-tree", test_clock_tree},
	    {"keys", test_keys},
	    {"program-errors", test_program_errors},
	    {"program-unit", test_program_unit},
	    {"bsy-times", test_bsy_times},
	    {"wrp", test_wrp},
	    {"rdp1", test_rdp1},
	    {"non-secure-debugger", test_non_secure_debugger},
	    {"secure-domain", test_secure_domain},
	    {"hdp", test_hdp},
	    {"optwerr", test_optwerr_rules},
	    {"regression-to-half", test_regression_to_half},
	    {"option-pair", test_option_pair_mismatch},
	    {"state", test_state_round_trip},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_loop_test(tc, cases[i].test, 0, N_BOARDS);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(l5_sim_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
