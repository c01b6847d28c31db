/* sim-crc.c: the CRC calculation unit (RM0351 chapter 14).
 *
 * DR takes 8, 16 or 32-bit writes, each fed MSB first through a polynomial
 * of 7, 8, 16 or 32 bits (POLYSIZE) after the optional input bit reversal
 * (REV_IN by byte, half-word or word); DR reads back the register, bit
 * reversed over the polynomial width with REV_OUT. A write costs the core
 * 1, 2 or 4 HCLK cycles (RM0351 14.3: the unit handles 8 bits per cycle). */
#define G_LOG_DOMAIN "glint-sim"

#include "sim-private.h"

void
sim_crc_reset(GlintSim *sim, const SimPeriph *p)
{
	SimCrc *c = &sim->crc;
	c->dr = CRC_INIT_RESET;
	c->idr = 0;
	c->cr = 0;
	c->init = CRC_INIT_RESET;
	c->pol = CRC_POL_RESET;
}

static guint
sim_crc_width(SimCrc *c)
{
	static const guint widths[] = {32, 16, 8, 7};
	return widths[(c->cr >> CRC_CR_POLYSIZE_SHIFT) & 0x3u];
}

static guint32
sim_crc_mask(guint width)
{
	return width == 32 ? 0xFFFFFFFFu : (1u << width) - 1u;
}

/* Reverse the low @bits bits of @v */
static guint32
sim_crc_reflect(guint32 v, guint bits)
{
	v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
	v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
	v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
	v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
	v = (v >> 16) | (v << 16);
	return bits == 0 ? 0 : v >> (32 - bits);
}

/* One bit into the shift register, MSB first */
static guint32
sim_crc_bit(guint32 crc, guint32 bit, guint width, guint32 pol, guint32 mask)
{
	guint32 top = (crc >> (width - 1)) & 1u;
	crc = (crc << 1) & mask;
	return (top ^ bit) ? crc ^ pol : crc;
}

/* The table of what each byte does to the top of the register, rebuilt
 * when the polynomial or its width changes */
static void
sim_crc_table(SimCrc *c, guint width, guint32 pol, guint32 mask)
{
	if (c->table_width == width && c->table_pol == pol)
		return;
	for (guint b = 0; b < 256; b++) {
		guint32 crc = 0;
		for (gint i = 7; i >= 0; i--)
			crc = sim_crc_bit(crc, (b >> i) & 1u, width, pol, mask);
		c->table[b] = crc;
	}
	c->table_width = width;
	c->table_pol = pol;
}

/* REV_IN: bit reversal inside units of 1, 2 or 4 bytes (never wider than
 * the write itself) */
static guint32
sim_crc_rev_in(SimCrc *c, guint32 data, guint size)
{
	guint mode = (c->cr >> CRC_CR_REV_IN_SHIFT) & 0x3u;
	guint unit;
	guint32 out = 0;
	if (mode == 0)
		return data;
	unit = MIN(1u << (mode - 1), size);
	for (guint off = 0; off < size; off += unit) {
		guint32 part = (data >> (8 * off)) & sim_crc_mask(8 * unit);
		out |= sim_crc_reflect(part, 8 * unit) << (8 * off);
	}
	return out;
}

static void
sim_crc_feed(GlintSim *sim, guint32 data, guint size)
{
	SimCrc *c = &sim->crc;
	guint width = sim_crc_width(c);
	guint32 mask = sim_crc_mask(width);
	guint32 crc = c->dr & mask;
	guint32 pol = c->pol & mask;
	data = sim_crc_rev_in(c, data, size);
	if (width < 8) {
		for (gint i = (gint)(8 * size) - 1; i >= 0; i--)
			crc = sim_crc_bit(crc, (data >> i) & 1u, width, pol, mask);
	} else {
		/* a byte at a time, most significant byte first */
		sim_crc_table(c, width, pol, mask);
		for (gint i = (gint)size - 1; i >= 0; i--) {
			guint32 idx = ((crc >> (width - 8)) ^ (data >> (8 * i))) & 0xFFu;
			crc = ((crc << 8) ^ c->table[idx]) & mask;
		}
	}
	c->dr = crc;
	sim_cpu_stall_cycles(sim, size * SIM_CRC_CYCLES_PER_BYTE);
}

guint32
sim_crc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	SimCrc *c = &sim->crc;
	guint width = sim_crc_width(c);
	switch (offset) {
	case CRC_DR:
		if (c->cr & CRC_CR_REV_OUT)
			return sim_crc_reflect(c->dr & sim_crc_mask(width), width);
		return c->dr & sim_crc_mask(width);
	case CRC_IDR:
		return c->idr;
	case CRC_CR:
		return c->cr;
	case CRC_INIT:
		return c->init;
	case CRC_POL:
		return c->pol;
	default:
		return 0;
	}
}

/* @size is the width of the store: it matters for DR only */
gboolean
sim_crc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	      guint32 value)
{
	SimCrc *c = &sim->crc;
	guint shift = (offset & 3u) * 8;
	guint32 word = value << shift;
	switch (offset & ~3u) {
	case CRC_DR:
		sim_crc_feed(sim, value & sim_crc_mask(8 * size), size);
		break;
	case CRC_IDR:
		c->idr = word & 0xFFu;
		break;
	case CRC_CR:
		if (shift == 0) {
			c->cr = word & CRC_CR_MASK;
			/* RESET loads INIT and clears itself */
			if (word & CRC_CR_RESET)
				c->dr = c->init;
		}
		break;
	case CRC_INIT:
		if (size == 4)
			c->init = value;
		break;
	case CRC_POL:
		if (size == 4)
			c->pol = value;
		break;
	default:
		break;
	}
	return TRUE;
}
