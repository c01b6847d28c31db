/* sim-scenario.c: what a board holds when it starts.
 *
 * Every board has the five generic scenarios; the framework builds them by
 * asking the board's machine for what only it knows (SimMachineOps):
 *   fresh         as shipped (factory option bytes, flash erased)
 *   wrp           a firmware, the first erase unit write-protected
 *   rdp1          a firmware, read protection level 1
 *   stale-errors  a firmware, the flash controller's error flags left set
 *   no-target     the probe alone: the target has no power
 *   demo          the demo firmware (resources/firmware/demo): blinks the
 *                 LED, counts, prints over SWO and RTT, crashes on request
 * then the board's own scenarios (its table). Firmware images are generated
 * deterministically: a vector table into plausible Thumb code that idles. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "sim-private.h"

#include "demo-image.h"
#include "glint-demo-config.h"

/* The firmware the scenarios put in flash */
#define SIM_FW_SIZE (24u * 1024u)
#define SIM_FW_SEED 0x1476u

static guint32
sim_get32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

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

/* The top of the first SRAM region of the machine's table */
static guint32
sim_stack_top(GlintSim *sim)
{
	gint sram = sim_region_find(sim, SIM_REGION_SRAM);
	g_assert(sram >= 0);
	return sim->machine->regions[sram].base + sim->mem_size[sram];
}

void
sim_firmware_generate(GlintSim *sim, guint8 *dst, guint32 link_base, gsize size, guint32 seed)
{
	guint vectors = sim->machine->vector_count;
	guint32 code = link_base + vectors * 4;
	guint8 *entry = dst + vectors * 4;
	g_assert(size > vectors * 4 + sizeof(sim_idle_loop));
	sim_put32(dst, sim_stack_top(sim));
	sim_put32(dst + 4, code | 1u);
	for (guint i = 2; i < vectors; i++)
		sim_put32(dst + 4 * i, (code + 0x40u) | 1u);
	sim_fill_code(entry, size - vectors * 4, seed);
	for (guint i = 0; i < G_N_ELEMENTS(sim_idle_loop); i++) {
		entry[2 * i] = (guint8)sim_idle_loop[i];
		entry[2 * i + 1] = (guint8)(sim_idle_loop[i] >> 8);
	}
}

void
sim_scenario_write_firmware(GlintSim *sim)
{
	gint flash = sim_region_find(sim, SIM_REGION_FLASH);
	if (sim->machine->ops->write_firmware != NULL) {
		sim->machine->ops->write_firmware(sim);
		return;
	}
	g_assert(flash >= 0);
	sim_firmware_generate(sim, sim->mem[flash], sim->machine->regions[flash].base,
			      MIN(SIM_FW_SIZE, sim->mem_size[flash]), SIM_FW_SEED);
}

/* The generic scenarios ------------------------------------------------- */

static void
sim_setup_fresh(GlintSim *sim)
{
}

static void
sim_setup_wrp(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	sim->machine->ops->protect_first_unit(sim);
}

static void
sim_setup_rdp1(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	sim->machine->ops->set_rdp_level1(sim);
}

static void
sim_setup_stale_errors(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
}

static void
sim_stale_errors_first_boot(GlintSim *sim)
{
	/* left behind by an earlier tool that did not clean up */
	sim->machine->ops->leave_stale_flags(sim);
}

static void
sim_setup_no_target(GlintSim *sim)
{
	sim->target_mv = 0;
}

void
sim_scenario_swd_disabled(GlintSim *sim)
{
	sim_scenario_write_firmware(sim);
	sim->fw_disables_swd = TRUE;
}

/* The demo firmware, built from resources/firmware/demo/demo.c */
static void
sim_setup_demo(GlintSim *sim)
{
	gint flash = sim_region_find(sim, SIM_REGION_FLASH);
	g_assert(flash >= 0 && sizeof(glint_demo_image) <= sim->mem_size[flash]);
	memcpy(sim->mem[flash], glint_demo_image, sizeof(glint_demo_image));
}

/* The board's LED: its port's address and clock from the machine, the pin
 * from the board table */
static void
sim_demo_led(GlintSim *sim, GlintDemoConfig *cfg)
{
	const SimGpioPorts *ports = sim->machine->gpio_ports;
	guint16 led = sim->board->led != 0 ? sim->board->led : SIM_LED_DEFAULT;
	guint port = (led >> 4) & 0xFu;

	if (ports == NULL)
		return; /* led_gpio 0: the firmware blinks nothing */
	cfg->led_gpio = ports->base + port * GPIO_PORT_STRIDE;
	cfg->led_pin = led & 0xFu;
	cfg->led_style = ports->style == SIM_GPIO_STYLE_CRL_CRH ? GLINT_DEMO_GPIO_CRL_CRH
								: GLINT_DEMO_GPIO_MODER;
	cfg->led_rcc_reg = ports->enable_reg;
	cfg->led_rcc_mask = ports->enable_reg != 0 ? 1u << (ports->enable_bit_a + port) : 0;
}

/* After power-on the reset clock is known: the board description the
 * firmware reads (glint-demo-config.h) is rewritten for this board */
static void
sim_demo_first_boot(GlintSim *sim)
{
	gint flash = sim_region_find(sim, SIM_REGION_FLASH);
	guint8 *block = sim->mem[flash] + GLINT_DEMO_CONFIG_OFFSET;
	GlintDemoConfig cfg = {GLINT_DEMO_CONFIG_MAGIC, GLINT_DEMO_CONFIG_VERSION};
	guint32 hclk = sim->machine->ops->hclk_hz(sim);
	guint32 words[GLINT_DEMO_CONFIG_WORDS];

	g_assert(sim_get32(block) == GLINT_DEMO_CONFIG_MAGIC);
	cfg.systick_reload = MIN(hclk / 100u, 0x1000000u) - 1u;
	sim_demo_led(sim, &cfg);
	memcpy(words, &cfg, sizeof(words));
	for (guint i = 0; i < GLINT_DEMO_CONFIG_WORDS; i++)
		sim_put32(block + 4 * i, words[i]);
}

static const SimScenario sim_generic_scenarios[] = {
    {"fresh", N_("as shipped: factory option bytes, flash erased"), sim_setup_fresh},
    {"wrp", N_("firmware present, its first erase unit write-protected"), sim_setup_wrp},
    {"rdp1", N_("firmware present, read protection level 1"), sim_setup_rdp1},
    {"stale-errors", N_("firmware present, flash error flags left set by an earlier tool"),
     sim_setup_stale_errors, sim_stale_errors_first_boot},
    {"no-target", N_("probe present, target not powered (0 V)"), sim_setup_no_target},
    {"demo", N_("the demo firmware: blinks the LED, counts, prints over SWO and RTT"),
     sim_setup_demo, sim_demo_first_boot},
};

guint
sim_scenario_count(const SimBoard *board)
{
	return G_N_ELEMENTS(sim_generic_scenarios) + board->n_scenarios;
}

const SimScenario *
sim_scenario_nth(const SimBoard *board, guint index)
{
	if (index < G_N_ELEMENTS(sim_generic_scenarios))
		return &sim_generic_scenarios[index];
	index -= G_N_ELEMENTS(sim_generic_scenarios);
	return index < board->n_scenarios ? &board->scenarios[index] : NULL;
}

const SimScenario *
sim_scenario_find(const SimBoard *board, const char *name)
{
	for (guint i = 0; i < sim_scenario_count(board); i++) {
		const SimScenario *s = sim_scenario_nth(board, i);
		if (g_strcmp0(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* A generic scenario as the machine does it (its own words), else the
 * scenario's own line */
const char *
sim_scenario_describe(const SimBoard *board, const SimScenario *scenario)
{
	const SimMachine *m = board->machine;
	for (guint i = 0; m->scenario_texts != NULL && m->scenario_texts[i].name != NULL; i++) {
		if (g_strcmp0(m->scenario_texts[i].name, scenario->name) == 0)
			return glint_tr(m->scenario_texts[i].description);
	}
	return glint_tr(scenario->description);
}

void
sim_scenario_default_serial(const char *spec, gchar *out, gsize out_size)
{
	g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree gchar *hex = NULL;
	g_checksum_update(ck, (const guchar *)"glint-sim-serial:", -1);
	g_checksum_update(ck, (const guchar *)spec, -1);
	hex = g_ascii_strup(g_checksum_get_string(ck), -1);
	/* ST serials often start 0669FF; 18 more hex digits make 24 */
	g_snprintf(out, out_size, "0669FF%.18s", hex);
}

void
sim_scenario_apply(GlintSim *sim, const SimScenario *scenario)
{
	/* every region is erased (SRAM zero); the factory state first */
	if (sim->machine->ops->factory != NULL)
		sim->machine->ops->factory(sim);
	scenario->setup(sim);
}

void
sim_scenario_first_boot(GlintSim *sim, const SimScenario *scenario)
{
	if (scenario->first_boot != NULL)
		scenario->first_boot(sim);
}
