/* sim-test.h: helpers shared by the emulator's tests: raw ST-LINK command
 * blocks through the bulk endpoints, and target bus access. */
#pragma once

#include <check.h>
#include <string.h>

#include "glint-error.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define FLASH_R 0x40022000u
#define FLASH_KEYR (FLASH_R + 0x08u)
#define FLASH_OPTKEYR (FLASH_R + 0x0Cu)
#define FLASH_SR (FLASH_R + 0x10u)
#define FLASH_CR (FLASH_R + 0x14u)
#define FLASH_OPTR (FLASH_R + 0x20u)
#define FLASH_WRP1AR (FLASH_R + 0x2Cu)

#define SR_EOP (1u << 0)
#define SR_OPERR (1u << 1)
#define SR_PROGERR (1u << 3)
#define SR_WRPERR (1u << 4)
#define SR_PGAERR (1u << 5)
#define SR_SIZERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_MISERR (1u << 8)
#define SR_FASTERR (1u << 9)
#define SR_OPTVERR (1u << 15)
#define SR_BSY (1u << 16)
#define SR_ALL_ERRORS 0xC3FAu

#define CR_PG (1u << 0)
#define CR_PER (1u << 1)
#define CR_MER1 (1u << 2)
#define CR_BKER (1u << 11)
#define CR_MER2 (1u << 15)
#define CR_STRT (1u << 16)
#define CR_OPTSTRT (1u << 17)
#define CR_FSTPG (1u << 18)
#define CR_EOPIE (1u << 24)
#define CR_ERRIE (1u << 25)
#define CR_OBL_LAUNCH (1u << 27)
#define CR_OPTLOCK (1u << 30)
#define CR_LOCK (1u << 31)
#define CR_PNB(n) ((guint32)(n) << 3)

#define DHCSR 0xE000EDF0u
#define DEMCR 0xE000EDFCu
#define DFSR 0xE000ED30u
#define AIRCR 0xE000ED0Cu

/* Send a command block (and a data phase), collect up to @in_max reply bytes */
static inline gsize
st_xfer(GlintSim *sim, const guint8 *cmd, const guint8 *out, gsize out_len, guint8 *in,
	gsize in_max)
{
	guint8 block[16] = {0};
	memcpy(block, cmd, 16);
	glint_sim_bulk_out(sim, block, 16);
	if (out != NULL && out_len > 0)
		glint_sim_bulk_out(sim, out, out_len);
	return in != NULL ? glint_sim_bulk_in(sim, in, in_max) : 0;
}

static inline void
st_put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

static inline guint32
st_get32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* F3 07 then F2 30 A3: the usual way into SWD debug mode; the status of
 * the ENTER (0x09 when the target does not answer) */
static inline guint8
st_enter_swd_status(GlintSim *sim)
{
	guint8 dfu_exit[16] = {0xF3, 0x07};
	guint8 enter[16] = {0xF2, 0x30, 0xA3};
	guint8 r[2] = {0};
	st_xfer(sim, dfu_exit, NULL, 0, NULL, 0);
	ck_assert_uint_eq(st_xfer(sim, enter, NULL, 0, r, sizeof(r)), 2);
	return r[0];
}

static inline void
st_enter_swd(GlintSim *sim)
{
	ck_assert_uint_eq(st_enter_swd_status(sim), 0x80);
}

/* READDEBUGREG (F2 36): returns the status, value in @v */
static inline guint8
st_read32(GlintSim *sim, guint32 addr, guint32 *v)
{
	guint8 cmd[16] = {0xF2, 0x36};
	guint8 r[8] = {0};
	st_put32(cmd + 2, addr);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	if (v != NULL)
		*v = st_get32(r + 4);
	return r[0];
}

/* WRITEDEBUGREG (F2 35): returns the status */
static inline guint8
st_write32(GlintSim *sim, guint32 addr, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x35};
	guint8 r[2] = {0};
	st_put32(cmd + 2, addr);
	st_put32(cmd + 6, v);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	return r[0];
}

/* GETLASTRWSTATUS2 (F2 3E): status, fault address in @addr */
static inline guint8
st_last_status(GlintSim *sim, guint32 *addr)
{
	guint8 cmd[16] = {0xF2, 0x3E};
	guint8 r[12] = {0};
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 12);
	if (addr != NULL)
		*addr = st_get32(r + 4);
	return r[0];
}

/* A memory command block: F2 @sub addr len */
static inline void
st_mem_cmd(guint8 *cmd, guint8 sub, guint32 addr, guint16 len)
{
	memset(cmd, 0, 16);
	cmd[0] = 0xF2;
	cmd[1] = sub;
	st_put32(cmd + 2, addr);
	cmd[6] = (guint8)len;
	cmd[7] = (guint8)(len >> 8);
}

static inline guint32
bus_r32(GlintSim *sim, guint32 addr)
{
	guint32 v = 0xDEADBEEFu;
	ck_assert_msg(glint_sim_bus_read(sim, addr, 4, &v), "bus read 0x%08x faulted", addr);
	return v;
}

static inline void
bus_w32(GlintSim *sim, guint32 addr, guint32 v)
{
	ck_assert_msg(glint_sim_bus_write(sim, addr, 4, v), "bus write 0x%08x faulted", addr);
}

static inline void
flash_unlock(GlintSim *sim)
{
	bus_w32(sim, FLASH_KEYR, 0x45670123u);
	bus_w32(sim, FLASH_KEYR, 0xCDEF89ABu);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR) & CR_LOCK, 0);
}

static inline void
flash_opt_unlock(GlintSim *sim)
{
	flash_unlock(sim);
	bus_w32(sim, FLASH_OPTKEYR, 0x08192A3Bu);
	bus_w32(sim, FLASH_OPTKEYR, 0x4C5D6E7Fu);
	ck_assert_uint_eq(bus_r32(sim, FLASH_CR) & CR_OPTLOCK, 0);
}

/* Poll SR until BSY clears, as a host would (the clock moves with polls) */
static inline guint32
flash_wait(GlintSim *sim)
{
	guint32 sr;
	for (int i = 0; i < 1000000; i++) {
		sr = bus_r32(sim, FLASH_SR);
		if (!(sr & SR_BSY))
			return sr;
		/* the AHB test door does not move the clock: a bus stall does */
		(void)bus_r32(sim, FLASH_BASE);
	}
	ck_abort_msg("BSY never cleared");
	return 0;
}

static inline GlintSim *
sim_new_ok(const char *scenario)
{
	GError *error = NULL;
	GlintSim *sim = glint_sim_new(scenario, &error);
	ck_assert_msg(sim != NULL, "glint_sim_new(%s): %s", scenario != NULL ? scenario : "fresh",
		      error != NULL ? error->message : "?");
	return sim;
}

static inline int
run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
