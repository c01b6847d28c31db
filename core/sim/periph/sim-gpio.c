/* sim-gpio.c: GPIO ports A, B, ... (RM0351 8.4): mode, output data, set/reset
 * and input data registers, so firmware driving a pin is observable. Every
 * change of an output pin's level is counted, like a logic analyser on the
 * board would see it. Alternate functions and locking are storage only. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-private.h"

void
sim_gpio_reset(GlintSim *sim, const SimPeriph *periph)
{
	const SimGpioConfig *cfg = periph->config;
	for (guint p = 0; p < cfg->n_ports && p < SIM_GPIO_MAX_PORTS; p++) {
		SimGpio *g = &sim->gpio[p];
		guint64 toggles[16];
		/* the toggle counters are the observer's, not the chip's */
		memcpy(toggles, g->toggles, sizeof(toggles));
		memset(g, 0, sizeof(*g));
		memcpy(g->toggles, toggles, sizeof(toggles));
		g->moder = cfg->moder_reset[p];
		g->pupdr = cfg->pupdr_reset[p];
	}
}

static SimGpio *
sim_gpio_port(GlintSim *sim, guint32 rel, guint32 *offset)
{
	*offset = rel % GPIO_PORT_STRIDE;
	return &sim->gpio[MIN(rel / GPIO_PORT_STRIDE, SIM_GPIO_MAX_PORTS - 1)];
}

/* Pins in general-purpose output mode (MODER = 01) */
static guint32
sim_gpio_output_pins(SimGpio *g)
{
	guint32 pins = 0;
	for (guint pin = 0; pin < 16; pin++) {
		if (((g->moder >> (2 * pin)) & 0x3u) == GPIO_MODE_OUTPUT)
			pins |= 1u << pin;
	}
	return pins;
}

static guint32
sim_gpio_idr(SimGpio *g)
{
	guint32 out = sim_gpio_output_pins(g);
	guint32 pulled_up = 0;
	/* inputs float to their pull: up reads 1, none or down reads 0 */
	for (guint pin = 0; pin < 16; pin++) {
		if (((g->pupdr >> (2 * pin)) & 0x3u) == 1u)
			pulled_up |= 1u << pin;
	}
	return (g->odr & out) | (pulled_up & ~out);
}

guint32
sim_gpio_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 off;
	SimGpio *g = sim_gpio_port(sim, offset, &off);
	switch (off) {
	case GPIO_MODER:
		return g->moder;
	case GPIO_OTYPER:
		return g->otyper;
	case GPIO_OSPEEDR:
		return g->ospeedr;
	case GPIO_PUPDR:
		return g->pupdr;
	case GPIO_IDR:
		return sim_gpio_idr(g);
	case GPIO_ODR:
		return g->odr;
	case GPIO_LCKR:
		return g->lckr;
	case GPIO_AFRL:
		return g->afrl;
	case GPIO_AFRH:
		return g->afrh;
	default:
		return 0; /* BSRR and BRR are write-only */
	}
}

static void
sim_gpio_set_odr(SimGpio *g, guint32 odr)
{
	guint32 changed = (g->odr ^ odr) & 0xFFFFu & sim_gpio_output_pins(g);
	for (guint pin = 0; pin < 16; pin++) {
		if (changed & (1u << pin))
			g->toggles[pin]++;
	}
	g->odr = odr & 0xFFFFu;
}

gboolean
sim_gpio_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	       guint32 value)
{
	guint32 off;
	SimGpio *g = sim_gpio_port(sim, offset, &off);
	switch (off) {
	case GPIO_MODER:
		g->moder = value;
		break;
	case GPIO_OTYPER:
		g->otyper = value & 0xFFFFu;
		break;
	case GPIO_OSPEEDR:
		g->ospeedr = value;
		break;
	case GPIO_PUPDR:
		g->pupdr = value;
		break;
	case GPIO_ODR:
		sim_gpio_set_odr(g, value);
		break;
	case GPIO_BSRR:
		/* BSx wins over BRx when both are set */
		sim_gpio_set_odr(g, (g->odr & ~(value >> 16)) | (value & 0xFFFFu));
		break;
	case GPIO_BRR:
		sim_gpio_set_odr(g, g->odr & ~(value & 0xFFFFu));
		break;
	case GPIO_LCKR:
		g->lckr = value & 0x1FFFFu;
		break;
	case GPIO_AFRL:
		g->afrl = value;
		break;
	case GPIO_AFRH:
		g->afrh = value;
		break;
	default:
		break;
	}
	return TRUE;
}

guint64
glint_sim_get_gpio_toggles(GlintSim *sim, guint port, guint pin)
{
	g_return_val_if_fail(sim != NULL, 0);
	g_return_val_if_fail(port < SIM_GPIO_MAX_PORTS && pin < 16, 0);
	return sim->gpio[port].toggles[pin];
}

guint32
glint_sim_get_gpio_odr(GlintSim *sim, guint port)
{
	g_return_val_if_fail(sim != NULL, 0);
	g_return_val_if_fail(port < SIM_GPIO_MAX_PORTS, 0);
	return sim->gpio[port].odr;
}
