/* test-f4-sim.c: the emulated F2/F4/F7 flash interface on its own, through
 * the target's bus (core/sim/f4): each FLASH_SR flag and the misuse that
 * raises it, the key locks, SNB with bank-2 numbers and the mass-erase bits
 * of each bank, PSIZE against the access width and against the supply,
 * option bytes stored with complements and loaded at reset, PCROP and its
 * rules, OTP locks, BSY for the datasheet times, the F7's flash on the
 * ITCM bus, and what a power cut leaves. Addresses from the reference
 * manuals (RM0090 3.9, RM0410 3.7), independent of core/family/f4. */
#include <check.h>
#include <string.h>

#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define FLASH_R 0x40023C00u
#define FLASH_KEYR (FLASH_R + 0x04u)
#define FLASH_OPTKEYR (FLASH_R + 0x08u)
#define FLASH_SR (FLASH_R + 0x0Cu)
#define FLASH_CR (FLASH_R + 0x10u)
#define FLASH_OPTCR (FLASH_R + 0x14u)
#define FLASH_OPTCR1 (FLASH_R + 0x18u)

#define SR_OPERR (1u << 1)
#define SR_WRPERR (1u << 4)
#define SR_PGAERR (1u << 5)
#define SR_PGPERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_RDERR (1u << 8)
#define SR_BSY (1u << 16)
#define SR_ERRORS 0x1F2u

#define CR_PG (1u << 0)
#define CR_SER (1u << 1)
#define CR_MER (1u << 2)
#define CR_SNB(n) ((guint32)(n) << 3)
#define CR_X8 (0u << 8)
#define CR_X16 (1u << 8)
#define CR_X32 (2u << 8)
#define CR_X64 (3u << 8)
#define CR_MER1 (1u << 15)
#define CR_STRT (1u << 16)
#define CR_ERRIE (1u << 25)
#define CR_LOCK (1u << 31)

#define OPTCR_OPTLOCK (1u << 0)
#define OPTCR_OPTSTRT (1u << 1)
#define OPTCR_NDBANK (1u << 29)
#define OPTCR_SPRMOD (1u << 31)

#define OPT_BASE 0x1FFFC000u
#define OTP_BASE 0x1FFF7800u
#define OTP_LOCK 0x1FFF7A00u

static GlintSim *
board(const char *spec)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new(spec, &error);
	ck_assert_msg(sim != NULL, "%s: %s", spec, error ? error->message : "");
	return sim;
}

static guint32
r32(GlintSim *sim, guint32 addr)
{
	guint32 v = 0;
	ck_assert_msg(glint_sim_bus_read(sim, addr, 4, &v), "read 0x%08x faulted", addr);
	return v;
}

static void
w32(GlintSim *sim, guint32 addr, guint32 v)
{
	ck_assert_msg(glint_sim_bus_write(sim, addr, 4, v), "write 0x%08x faulted", addr);
}

static void
unlock(GlintSim *sim)
{
	w32(sim, FLASH_KEYR, 0x45670123u);
	w32(sim, FLASH_KEYR, 0xCDEF89ABu);
	ck_assert_uint_eq(r32(sim, FLASH_CR) & CR_LOCK, 0);
}

static void
unlock_options(GlintSim *sim)
{
	w32(sim, FLASH_OPTKEYR, 0x08192A3Bu);
	w32(sim, FLASH_OPTKEYR, 0x4C5D6E7Fu);
	ck_assert_uint_eq(r32(sim, FLASH_OPTCR) & OPTCR_OPTLOCK, 0);
}

/* Runs the virtual clock until BSY clears; returns how long it was set */
static gint64
wait_bsy(GlintSim *sim)
{
	gint64 start = glint_sim_get_time_ns(sim);
	while (r32(sim, FLASH_SR) & SR_BSY)
		glint_sim_advance_time(sim, 1000000);
	return glint_sim_get_time_ns(sim) - start;
}

static void
fill(GlintSim *sim, guint32 addr, gsize len, guint8 value)
{
	g_autofree guint8 *buf = g_malloc(len);
	memset(buf, value, len);
	ck_assert(glint_sim_poke(sim, addr, buf, len));
}

static gboolean
all_are(GlintSim *sim, guint32 addr, gsize len, guint8 value)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(sim, addr, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != value)
			return FALSE;
	}
	return TRUE;
}

static void
erase(GlintSim *sim, guint32 cr)
{
	w32(sim, FLASH_CR, cr);
	w32(sim, FLASH_CR, cr | CR_STRT);
	wait_bsy(sim);
}

/* A wrong key is a bus error and locks FLASH_CR until reset (RM0090 3.6.1);
 * the right keys after a reset unlock */
START_TEST(test_key_lock)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re");
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0x12345678u));
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0x45670123u));
	ck_assert_uint_ne(r32(sim, FLASH_CR) & CR_LOCK, 0);
	/* a locked FLASH_CR ignores writes */
	w32(sim, FLASH_CR, CR_PG);
	ck_assert_uint_eq(r32(sim, FLASH_CR) & CR_PG, 0);
	glint_sim_power_cycle(sim);
	unlock(sim);
	/* a key while unlocked locks again */
	ck_assert(!glint_sim_bus_write(sim, FLASH_KEYR, 4, 0x45670123u));
	ck_assert_uint_ne(r32(sim, FLASH_CR) & CR_LOCK, 0);
}
END_TEST

/* PG missing: PGSERR; a width other than PSIZE: PGPERR (and OPERR with
 * ERRIE); x64 has no 64-bit access on this bus; the flash keeps its bytes */
START_TEST(test_program_errors)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re");
	unlock(sim);
	w32(sim, FLASH_CR, CR_X32);
	w32(sim, FLASH_BASE, 0x11223344u);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_PGSERR);
	w32(sim, FLASH_SR, SR_ERRORS);
	w32(sim, FLASH_CR, CR_PG | CR_X32);
	ck_assert(glint_sim_bus_write(sim, FLASH_BASE, 2, 0x1122));
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_PGPERR);
	w32(sim, FLASH_SR, SR_ERRORS);
	w32(sim, FLASH_CR, CR_PG | CR_X16 | CR_ERRIE);
	w32(sim, FLASH_BASE, 0x11223344u);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_PGPERR | SR_OPERR);
	w32(sim, FLASH_SR, SR_ERRORS);
	w32(sim, FLASH_CR, CR_PG | CR_X64);
	w32(sim, FLASH_BASE, 0x11223344u);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_PGPERR);
	ck_assert(all_are(sim, FLASH_BASE, 16, 0xFF));
	/* the right width programs; programming only clears bits (3.6.4) */
	w32(sim, FLASH_SR, SR_ERRORS);
	w32(sim, FLASH_CR, CR_PG | CR_X32);
	w32(sim, FLASH_BASE, 0xF0F0FFFFu);
	wait_bsy(sim);
	w32(sim, FLASH_BASE, 0x0FFF00FFu);
	wait_bsy(sim);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x00F000FFu);
	/* system memory and the option bytes are no place to program */
	w32(sim, 0x1FFF0000u, 0);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
}
END_TEST

/* x8, x16: every access one programming of tprog (DS10086: 16 us) */
START_TEST(test_program_widths)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re");
	gint64 t;
	unlock(sim);
	w32(sim, FLASH_CR, CR_PG | CR_X8);
	ck_assert(glint_sim_bus_write(sim, FLASH_BASE + 1, 1, 0x5A));
	t = wait_bsy(sim);
	ck_assert_int_ge(t, 16000);
	ck_assert_int_le(t, 1000000 + 16000);
	w32(sim, FLASH_CR, CR_PG | CR_X16);
	ck_assert(glint_sim_bus_write(sim, FLASH_BASE + 2, 2, 0x1234));
	wait_bsy(sim);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, 0);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), 0x12345AFFu);
}
END_TEST

/* RM0090 table 13: x32 needs 2.7 V; at 2.4 V the cells do not all take
 * the value. x16 there is fine. */
START_TEST(test_parallelism_against_supply)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re");
	glint_sim_set_target_voltage_mv(sim, 2400);
	unlock(sim);
	w32(sim, FLASH_CR, CR_PG | CR_X32);
	w32(sim, FLASH_BASE, 0x00000000u);
	wait_bsy(sim);
	ck_assert_uint_ne(glint_sim_peek32(sim, FLASH_BASE), 0);
	w32(sim, FLASH_CR, CR_PG | CR_X16);
	ck_assert(glint_sim_bus_write(sim, FLASH_BASE + 4, 2, 0x0000));
	wait_bsy(sim);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE + 4) & 0xFFFF, 0);
}
END_TEST

/* Sector erase for the datasheet time by size and PSIZE (DS10086: 16 KB
 * 250 ms, 128 KB 1 s at x32; 128 KB 2 s at x8); SER with MER, or an SNB
 * the part does not have, is WRPERR (RM0090 3.7.4) */
START_TEST(test_sector_erase)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re");
	gint64 t;
	fill(sim, FLASH_BASE, 0x80000, 0x00);
	unlock(sim);
	w32(sim, FLASH_CR, CR_SER | CR_SNB(1) | CR_X32);
	w32(sim, FLASH_CR, CR_SER | CR_SNB(1) | CR_X32 | CR_STRT);
	t = wait_bsy(sim);
	ck_assert_int_ge(t, 250000000);
	ck_assert_int_lt(t, 252000000);
	ck_assert(all_are(sim, FLASH_BASE + 0x4000, 0x4000, 0xFF));
	ck_assert(all_are(sim, FLASH_BASE, 0x4000, 0x00));
	ck_assert(all_are(sim, FLASH_BASE + 0x8000, 0x4000, 0x00));
	w32(sim, FLASH_CR, CR_SER | CR_SNB(7) | CR_X8);
	w32(sim, FLASH_CR, CR_SER | CR_SNB(7) | CR_X8 | CR_STRT);
	t = wait_bsy(sim);
	ck_assert_int_ge(t, 2000000000);
	ck_assert(all_are(sim, FLASH_BASE + 0x60000, 0x20000, 0xFF));
	/* sector 8 does not exist on 512 KB */
	erase(sim, CR_SER | CR_SNB(8) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	w32(sim, FLASH_SR, SR_ERRORS);
	erase(sim, CR_SER | CR_MER | CR_SNB(2) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	ck_assert(all_are(sim, FLASH_BASE + 0x8000, 0x4000, 0x00));
}
END_TEST

/* Two banks: bank 2's sectors as SNB 0x10 | n, MER bank 1, MER1 bank 2,
 * both together both; the codes in between name nothing */
START_TEST(test_dual_bank_erase)
{
	g_autoptr(GlintSim) sim = board("stm32f429i-disc1");
	const guint32 bank2 = FLASH_BASE + 0x100000u;
	unlock(sim);
	fill(sim, FLASH_BASE, 0x200000, 0x00);
	erase(sim, CR_SER | CR_SNB(0x10) | CR_X32);
	ck_assert(all_are(sim, bank2, 0x4000, 0xFF));
	ck_assert(all_are(sim, FLASH_BASE, 0x4000, 0x00));
	erase(sim, CR_SER | CR_SNB(12) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	ck_assert(all_are(sim, FLASH_BASE + 0xC000, 0x4000, 0x00));
	w32(sim, FLASH_SR, SR_ERRORS);
	erase(sim, CR_MER1 | CR_X32);
	ck_assert(all_are(sim, bank2, 0x100000, 0xFF));
	ck_assert(all_are(sim, FLASH_BASE, 0x100000, 0x00));
	fill(sim, bank2, 0x100000, 0x00);
	erase(sim, CR_MER | CR_X32);
	ck_assert(all_are(sim, FLASH_BASE, 0x100000, 0xFF));
	ck_assert(all_are(sim, bank2, 0x100000, 0x00));
	fill(sim, FLASH_BASE, 0x200000, 0x00);
	w32(sim, FLASH_CR, CR_MER | CR_MER1 | CR_X32);
	w32(sim, FLASH_CR, CR_MER | CR_MER1 | CR_X32 | CR_STRT);
	/* two 1 MB banks at x32: 2 x 8 s (DS9405) */
	ck_assert_int_ge(wait_bsy(sim), G_GINT64_CONSTANT(16000000000));
	ck_assert(all_are(sim, FLASH_BASE, 0x200000, 0xFF));
}
END_TEST

/* nWRP: the sector refuses program and erase, a mass erase is refused */
START_TEST(test_write_protection)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re:wrp");
	guint32 first = glint_sim_peek32(sim, FLASH_BASE);
	unlock(sim);
	erase(sim, CR_SER | CR_SNB(0) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), first);
	w32(sim, FLASH_SR, SR_ERRORS);
	erase(sim, CR_MER | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_BASE), first);
	w32(sim, FLASH_SR, SR_ERRORS);
	w32(sim, FLASH_CR, CR_PG | CR_X32);
	w32(sim, FLASH_BASE + 0x100, 0);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	/* sector 1 is not protected */
	w32(sim, FLASH_SR, SR_ERRORS);
	erase(sim, CR_SER | CR_SNB(1) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, 0);
}
END_TEST

/* Option bytes: OPTSTRT stores value and complement (word at 0x1FFFC000:
 * value in 15:0); WRP applies at once; a reset loads them; a pair that
 * disagrees loads as read protection level 1 */
START_TEST(test_option_bytes)
{
	g_autoptr(GlintSim) sim = board("nucleo-f446re");
	guint32 w;
	ck_assert_uint_eq(r32(sim, FLASH_OPTCR), 0x0FFFAAEDu);
	unlock_options(sim);
	w32(sim, FLASH_OPTCR, 0x0FDFAAECu);
	w32(sim, FLASH_OPTCR, 0x0FDFAAECu | OPTCR_OPTSTRT);
	ck_assert_uint_ne(r32(sim, FLASH_SR) & SR_BSY, 0);
	wait_bsy(sim);
	ck_assert_uint_eq(r32(sim, FLASH_OPTCR) & OPTCR_OPTSTRT, 0);
	w = glint_sim_peek32(sim, OPT_BASE + 8);
	ck_assert_uint_eq(w & 0xFFFF, 0x0FDF);
	ck_assert_uint_eq(w >> 16, 0xF020);
	unlock(sim);
	erase(sim, CR_SER | CR_SNB(5) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq(r32(sim, FLASH_OPTCR), 0x0FDFAAEDu);
	/* a cut complement: level 1 from then on, until written again */
	w = glint_sim_peek32(sim, OPT_BASE) ^ 0x01000000u;
	ck_assert(glint_sim_poke(sim, OPT_BASE, (const guint8 *)&w, 4));
	glint_sim_power_cycle(sim);
	ck_assert_uint_eq((r32(sim, FLASH_OPTCR) >> 8) & 0xFF, 0xFF);
}
END_TEST

/* RDP 1 -> 0 erases the flash as the option write runs; level 2 freezes */
START_TEST(test_rdp_regression)
{
	g_autoptr(GlintSim) sim = board("nucleo-f411re:rdp1");
	ck_assert(!all_are(sim, FLASH_BASE, 256, 0xFF));
	unlock_options(sim);
	w32(sim, FLASH_OPTCR, 0x0FFFAAECu);
	w32(sim, FLASH_OPTCR, 0x0FFFAAECu | OPTCR_OPTSTRT);
	/* the mass erase is inside the option write (DS10314: 4 s for 512 KB) */
	ck_assert_int_ge(wait_bsy(sim), G_GINT64_CONSTANT(4000000000));
	ck_assert(all_are(sim, FLASH_BASE, 0x80000, 0xFF));
	ck_assert_uint_eq((r32(sim, FLASH_OPTCR) >> 8) & 0xFF, 0xAA);
}
END_TEST

/* PCROP: a D-bus read is refused and flagged RDERR; program and erase
 * WRPERR; SPRMOD back to 0 without the RDP regression is cancelled */
START_TEST(test_pcrop)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re:pcrop");
	guint32 optcr = r32(sim, FLASH_OPTCR);
	guint32 v;
	ck_assert_uint_eq(optcr & (OPTCR_SPRMOD | 0x00FF0000u), OPTCR_SPRMOD | 0x00020000u);
	ck_assert(glint_sim_bus_read(sim, FLASH_BASE, 4, &v));
	unlock(sim);
	erase(sim, CR_SER | CR_SNB(1) | CR_X32);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	w32(sim, FLASH_SR, SR_ERRORS);
	unlock_options(sim);
	w32(sim, FLASH_OPTCR, (optcr & ~OPTCR_SPRMOD) & ~3u);
	w32(sim, FLASH_OPTCR, ((optcr & ~OPTCR_SPRMOD) & ~3u) | OPTCR_OPTSTRT);
	wait_bsy(sim);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	glint_sim_power_cycle(sim);
	ck_assert_uint_ne(r32(sim, FLASH_OPTCR) & OPTCR_SPRMOD, 0);
}
END_TEST

/* An OTP block programs until its lock byte is 0x00 (RM0090 3.8) */
START_TEST(test_otp_lock)
{
	g_autoptr(GlintSim) sim = board("nucleo-f401re");
	unlock(sim);
	w32(sim, FLASH_CR, CR_PG | CR_X32);
	w32(sim, OTP_BASE, 0x12345678u);
	wait_bsy(sim);
	ck_assert_uint_eq(glint_sim_peek32(sim, OTP_BASE), 0x12345678u);
	w32(sim, OTP_LOCK, 0xFFFFFF00u);
	wait_bsy(sim);
	w32(sim, OTP_BASE + 4, 0);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, SR_WRPERR);
	ck_assert_uint_eq(glint_sim_peek32(sim, OTP_BASE + 4), 0xFFFFFFFFu);
	/* block 1 is still open */
	w32(sim, FLASH_SR, SR_ERRORS);
	w32(sim, OTP_BASE + 32, 0);
	wait_bsy(sim);
	ck_assert_uint_eq(r32(sim, FLASH_SR) & SR_ERRORS, 0);
}
END_TEST

/* The F7: flash also at 0x00200000; nDBANK takes effect at the next load
 * and turns 12 sectors of 32-256 KB into two banks of 16-128 KB */
START_TEST(test_f767)
{
	g_autoptr(GlintSim) sim = board("nucleo-f767zi:dual-bank");
	guint32 v = 0;
	ck_assert_uint_eq(r32(sim, FLASH_OPTCR) & OPTCR_NDBANK, 0);
	ck_assert(glint_sim_bus_read(sim, 0x00200000u, 4, &v));
	ck_assert_uint_eq(v, glint_sim_peek32(sim, FLASH_BASE));
	unlock(sim);
	fill(sim, FLASH_BASE, 0x200000, 0x00);
	/* dual bank: sector 1 is 16 KB, bank 2 from 0x08100000 */
	erase(sim, CR_SER | CR_SNB(1) | CR_X32);
	ck_assert(all_are(sim, FLASH_BASE + 0x4000, 0x4000, 0xFF));
	ck_assert(all_are(sim, FLASH_BASE + 0x8000, 0x100, 0x00));
	erase(sim, CR_SER | CR_SNB(0x10) | CR_X32);
	ck_assert(all_are(sim, FLASH_BASE + 0x100000, 0x4000, 0xFF));
	/* back to one bank after the option load: sector 1 is 32 KB at 0x08008000 */
	unlock_options(sim);
	w32(sim, FLASH_OPTCR, r32(sim, FLASH_OPTCR) | OPTCR_NDBANK);
	w32(sim, FLASH_OPTCR, r32(sim, FLASH_OPTCR) | OPTCR_OPTSTRT);
	wait_bsy(sim);
	glint_sim_power_cycle(sim);
	unlock(sim);
	fill(sim, FLASH_BASE, 0x200000, 0x00);
	erase(sim, CR_SER | CR_SNB(1) | CR_X32);
	ck_assert(all_are(sim, FLASH_BASE + 0x8000, 0x8000, 0xFF));
	ck_assert(all_are(sim, FLASH_BASE, 0x8000, 0x00));
}
END_TEST

/* Power fails during a sector erase: some cells are not erased; the fault
 * must have fired */
START_TEST(test_power_cut_erase)
{
	g_autoptr(GlintSim) sim = board("nucleo-f207zg");
	fill(sim, FLASH_BASE + 0x20000, 0x20000, 0x00);
	unlock(sim);
	w32(sim, FLASH_CR, CR_SER | CR_SNB(5) | CR_X32);
	w32(sim, FLASH_CR, CR_SER | CR_SNB(5) | CR_X32 | CR_STRT);
	glint_sim_advance_time(sim, 100000000);
	ck_assert_int_eq(glint_sim_power_fail(sim), GLINT_SIM_CUT_ERASE);
	ck_assert(!all_are(sim, FLASH_BASE + 0x20000, 0x20000, 0xFF));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("f4-sim");
	TCase *tc = tcase_create("flash");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_key_lock);
	tcase_add_test(tc, test_program_errors);
	tcase_add_test(tc, test_program_widths);
	tcase_add_test(tc, test_parallelism_against_supply);
	tcase_add_test(tc, test_sector_erase);
	tcase_add_test(tc, test_dual_bank_erase);
	tcase_add_test(tc, test_write_protection);
	tcase_add_test(tc, test_option_bytes);
	tcase_add_test(tc, test_rdp_regression);
	tcase_add_test(tc, test_pcrop);
	tcase_add_test(tc, test_otp_lock);
	tcase_add_test(tc, test_f767);
	tcase_add_test(tc, test_power_cut_erase);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
