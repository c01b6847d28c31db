/* sim-scenario.c: the named boards a sim can start as.
 *
 * Each scenario is a flash size plus what the board holds at power-on:
 * option bytes, flash contents and a few traits (target power, firmware
 * that turns SWD off). Firmware images are generated deterministically. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "l4/l4-machine.h"

typedef struct {
	const char *name;
	const char *description;
	guint32 flash_kb;
	void (*setup)(GlintSim *sim);
	/* after the first power-on, for state an earlier session left behind */
	void (*first_boot)(GlintSim *sim);
} SimScenario;

/* Vector table entries of an STM32L476: 16 system + 82 interrupts */
#define L4_VECTOR_COUNT 98u
#define SIM_FW_SIZE (24u * 1024u)
#define SIM_FW_STACK_TOP (L4_SRAM1_BASE + L4_SRAM1_SIZE)

static void
sim_put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

/* Thumb-2 filler that disassembles into plausible code (movs, adds, ldr,
 * str, b) rather than noise; deterministic per @seed. */
static void
sim_fill_code(guint8 *p, gsize len, guint32 seed)
{
	static const guint16 ops[] = {0x2000, 0x3001, 0x6808, 0x6008, 0x4770, 0xB510,
				      0xBD10, 0x4288, 0xD1FC, 0x1C40, 0x0040, 0xE7FE};
	guint32 x = seed | 1u;
	for (gsize i = 0; i + 1 < len; i += 2) {
		guint16 op;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		op = (guint16)(ops[x % G_N_ELEMENTS(ops)] | ((x >> 8) & 0x07u));
		p[i] = (guint8)op;
		p[i + 1] = (guint8)(op >> 8);
	}
}

/* Reset handler of the generated firmware: "1: wfi; b 1b", so the core
 * idles (it really runs since the emulator executes code) */
static const guint16 sim_idle_loop[] = {0xBF30, 0xE7FD};

/* A small firmware: vector table pointing into its code, then code. */
static void
sim_write_firmware(guint8 *dst, guint32 link_base, gsize size, guint32 seed)
{
	guint32 code = link_base + L4_VECTOR_COUNT * 4;
	guint8 *entry = dst + L4_VECTOR_COUNT * 4;
	sim_put32(dst, SIM_FW_STACK_TOP);
	sim_put32(dst + 4, code | 1u);
	for (guint i = 2; i < L4_VECTOR_COUNT; i++)
		sim_put32(dst + 4 * i, (code + 0x40u) | 1u);
	sim_fill_code(entry, size - L4_VECTOR_COUNT * 4, seed);
	for (guint i = 0; i < G_N_ELEMENTS(sim_idle_loop); i++) {
		entry[2 * i] = (guint8)sim_idle_loop[i];
		entry[2 * i + 1] = (guint8)(sim_idle_loop[i] >> 8);
	}
}

static void
sim_setup_firmware_bank1(GlintSim *sim)
{
	sim_write_firmware(L4_MEM(sim, L4_REGION_FLASH), L4_FLASH_BASE, SIM_FW_SIZE, 0x1476u);
}

static void
sim_write_options(GlintSim *sim, guint32 optr, guint32 wrp1a)
{
	l4_options_write_area(sim, 0, L4_OPT_OPTR, optr);
	l4_options_write_area(sim, 0, L4_OPT_WRPAR, wrp1a);
}

static void
sim_setup_fresh(GlintSim *sim)
{
}

static void
sim_setup_wrp(GlintSim *sim)
{
	sim_setup_firmware_bank1(sim);
	/* WRP1A_STRT = 0, WRP1A_END = 15: the first 32 KB of bank 1 */
	sim_write_options(sim, FLASH_OPTR_FACTORY, 0x000F0000u);
}

static void
sim_setup_rdp1(GlintSim *sim)
{
	sim_setup_firmware_bank1(sim);
	sim_write_options(sim, (FLASH_OPTR_FACTORY & ~FLASH_OPTR_RDP_MASK) | 0xBBu, FLASH_WRP_NONE);
}

static void
sim_setup_stale_errors(GlintSim *sim)
{
	sim_setup_firmware_bank1(sim);
}

static void
sim_stale_errors_first_boot(GlintSim *sim)
{
	/* left behind by an earlier tool that did not clean up */
	l4_state(sim)->fl.sr |= FLASH_SR_PGSERR | FLASH_SR_OPTVERR;
}

static void
sim_setup_bfb2_empty(GlintSim *sim)
{
	sim_setup_firmware_bank1(sim);
	sim_write_options(sim, FLASH_OPTR_FACTORY | FLASH_OPTR_BFB2, FLASH_WRP_NONE);
}

static void
sim_setup_no_target(GlintSim *sim)
{
	sim->target_mv = 0;
}

static void
sim_setup_swd_disabled(GlintSim *sim)
{
	sim_setup_firmware_bank1(sim);
	sim->fw_disables_swd = TRUE;
}

static const SimScenario sim_scenarios[] = {
    {"fresh", "NUCLEO-L476RG as shipped: factory option bytes, flash erased", 1024,
     sim_setup_fresh},
    {"wrp", "firmware in bank 1 with WRP1A over pages 0-15 (it locked itself)", 1024,
     sim_setup_wrp},
    {"rdp1", "firmware present, read protection level 1 (RDP 0xBB)", 1024, sim_setup_rdp1},
    {"stale-errors", "flash SR has PGSERR and OPTVERR left set at start", 1024,
     sim_setup_stale_errors, sim_stale_errors_first_boot},
    {"bfb2-empty", "dual-bank boot (BFB2) set, firmware in bank 1, bank 2 erased", 1024,
     sim_setup_bfb2_empty},
    {"no-target", "probe present, target not powered (0 V)", 1024, sim_setup_no_target},
    {"swd-disabled", "firmware turns SWD off: only connect-under-reset works", 1024,
     sim_setup_swd_disabled},
    {"l476re", "STM32L476RE, 512 KB, DUALBANK set (can be toggled)", 512, sim_setup_fresh},
    {"l476rc", "STM32L476RC, 256 KB, DUALBANK set (can be toggled)", 256, sim_setup_fresh},
};

static const SimScenario *
sim_scenario_find(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(sim_scenarios); i++) {
		if (g_strcmp0(sim_scenarios[i].name, name) == 0)
			return &sim_scenarios[i];
	}
	return NULL;
}

const char *const *
glint_sim_scenario_names(void)
{
	static const char *const names[] = {
	    "fresh",	 "wrp",		 "rdp1",   "stale-errors", "bfb2-empty",
	    "no-target", "swd-disabled", "l476re", "l476rc",	   NULL,
	};
	return names;
}

const char *
glint_sim_scenario_describe(const char *scenario)
{
	const SimScenario *s = sim_scenario_find(scenario);
	return s != NULL ? s->description : NULL;
}

void
sim_scenario_first_boot(GlintSim *sim)
{
	const SimScenario *s = sim_scenario_find(sim->scenario);
	if (s != NULL && s->first_boot != NULL)
		s->first_boot(sim);
}

guint32
sim_scenario_flash_kb(const char *name)
{
	const SimScenario *s = sim_scenario_find(name);
	return s != NULL ? s->flash_kb : 0;
}

void
sim_scenario_default_serial(const char *scenario, gchar *out, gsize out_size)
{
	g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree gchar *hex = NULL;
	g_checksum_update(ck, (const guchar *)"glint-sim-serial:", -1);
	g_checksum_update(ck, (const guchar *)scenario, -1);
	hex = g_ascii_strup(g_checksum_get_string(ck), -1);
	/* ST serials often start 0669FF; 18 more hex digits make 24 */
	g_snprintf(out, out_size, "0669FF%.18s", hex);
}

/* The factory state every scenario starts from. */
static void
sim_scenario_factory(GlintSim *sim)
{
	l4_options_write_area(sim, 0, L4_OPT_OPTR, FLASH_OPTR_FACTORY);
	for (guint b = 0; b < 2; b++) {
		l4_options_write_area(sim, b, L4_OPT_PCROPSR, FLASH_PCROPSR_NONE);
		l4_options_write_area(sim, b, L4_OPT_PCROPER, FLASH_PCROPER_NONE);
		l4_options_write_area(sim, b, L4_OPT_WRPAR, FLASH_WRP_NONE);
		l4_options_write_area(sim, b, L4_OPT_WRPBR, FLASH_WRP_NONE);
	}
	/* the ST bootloader: a vector table into system memory, then code */
	sim_write_firmware(L4_MEM(sim, L4_REGION_SYSMEM), L4_SYSMEM_BASE, L4_SYSMEM_SIZE, 0xB007u);
	sim_put32(L4_MEM(sim, L4_REGION_SYSMEM), L4_SRAM1_BASE + 0x3000u);
}

gboolean
sim_scenario_apply(GlintSim *sim, const char *name, GError **error)
{
	const SimScenario *s = sim_scenario_find(name);
	if (s == NULL) {
		g_autofree gchar *known = g_strjoinv(", ", (gchar **)glint_sim_scenario_names());
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "Unknown simulated board scenario '%s'; choose one of: %s", name,
			    known);
		return FALSE;
	}
	sim->flash_kb = s->flash_kb;
	/* every region erased (SRAM zero) */
	sim_regions_alloc(sim);
	sim_scenario_factory(sim);
	s->setup(sim);
	return TRUE;
}
