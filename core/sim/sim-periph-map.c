/* sim-periph-map.c: the rest of the chip as a debugger sees it, from the
 * machine's SimPeriphMap: which peripheral block holds an address (an
 * unmodelled one reads its reset values and ignores writes rather than
 * faulting), whether that block's clock is off (its registers read 0 and
 * ignore writes: "when the peripheral clock is not active, the peripheral
 * registers read or write access is not supported", RM0351 6.4), the
 * documented reset value of each register (plain storage reads it until
 * written), and the reset flags each reset source leaves in the reset
 * status register. */
#define G_LOG_DOMAIN "glint-sim"

#include "sim-private.h"

static const SimPeriphMap *
sim_periph_map(GlintSim *sim)
{
	return sim->machine->periph_map;
}

void
sim_periph_map_init(GlintSim *sim)
{
	const SimPeriphMap *map = sim_periph_map(sim);
	sim->reg_resets = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; map != NULL && i < map->n_registers; i++) {
		const SimRegReset *r = &map->registers[i];
		g_hash_table_insert(sim->reg_resets, GUINT_TO_POINTER(r->addr), (gpointer)r);
	}
}

void
sim_periph_map_clear(GlintSim *sim)
{
	g_clear_pointer(&sim->reg_resets, g_hash_table_unref);
}

const SimRegReset *
sim_reg_reset_find(GlintSim *sim, guint32 addr)
{
	return g_hash_table_lookup(sim->reg_resets, GUINT_TO_POINTER(addr));
}

guint32
sim_reg_reset_value(GlintSim *sim, guint32 addr)
{
	const SimRegReset *r = sim_reg_reset_find(sim, addr);
	return r != NULL ? r->reset : 0;
}

const SimBusBlock *
sim_bus_block_find(GlintSim *sim, guint32 addr)
{
	const SimPeriphMap *map = sim_periph_map(sim);
	const SimBusBlock *b;
	if (map == NULL || map->n_blocks == 0)
		return NULL;
	/* firmware polls one register at a time: try the last block first */
	b = &map->blocks[MIN(sim->bus_block_last, map->n_blocks - 1)];
	if (addr >= b->base && addr - b->base < b->size)
		return b;
	for (guint i = 0; i < map->n_blocks; i++) {
		b = &map->blocks[i];
		if (addr >= b->base && addr - b->base < b->size) {
			sim->bus_block_last = i;
			return b;
		}
	}
	return NULL;
}

gboolean
sim_bus_block_gated(GlintSim *sim, const SimBusBlock *block)
{
	guint32 enable = 0;
	/* the back doors show what the registers hold */
	if (block->enable_reg == 0 || sim->peeking)
		return FALSE;
	/* a gate inside its own block would never open */
	if (block->enable_reg - block->base < block->size)
		return FALSE;
	if (sim_bus_read(sim, SIM_ACCESS_AHB, block->enable_reg, 4, &enable) != SIM_BUS_OK)
		return FALSE;
	return (enable & block->enable_mask) == 0;
}

/* Plain storage (periph/sim-periph.c): a system reset forgets what was
 * written, except in registers kept over it; power-on forgets everything */
void
sim_plain_reset(GlintSim *sim, gboolean power_on)
{
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init(&iter, sim->periph);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		const SimRegReset *r = sim_reg_reset_find(sim, GPOINTER_TO_UINT(key));
		if (power_on || r == NULL || !(r->flags & SIM_REG_KEPT_OVER_RESET))
			g_hash_table_iter_remove(&iter);
	}
}

guint32
sim_plain_value(GlintSim *sim, guint32 addr)
{
	gpointer value;
	if (g_hash_table_lookup_extended(sim->periph, GUINT_TO_POINTER(addr), NULL, &value))
		return GPOINTER_TO_UINT(value);
	return sim_reg_reset_value(sim, addr);
}

void
sim_plain_store(GlintSim *sim, guint32 addr, guint32 value)
{
	const SimRegReset *r = sim_reg_reset_find(sim, addr);
	if (r != NULL && (r->flags & SIM_REG_WRITE_ONLY))
		return;
	if (r != NULL)
		value = (sim_plain_value(sim, addr) & r->read_only) | (value & ~r->read_only);
	g_hash_table_insert(sim->periph, GUINT_TO_POINTER(addr), GUINT_TO_POINTER(value));
}

/* Reset flags ---------------------------------------------------------- */

static const SimResetFlags *
sim_reset_flags_def(GlintSim *sim)
{
	const SimPeriphMap *map = sim_periph_map(sim);
	return map != NULL && map->reset_flags.reg != 0 ? &map->reset_flags : NULL;
}

void
sim_reset_flags_record(GlintSim *sim, SimResetSource source)
{
	const SimResetFlags *f = sim_reset_flags_def(sim);
	if (f == NULL)
		return;
	/* a power-on reset clears the others; every other source adds its
	 * flag to those still set (RM0351, RCC_CSR) */
	if (source == SIM_RESET_POWER_ON)
		sim->reset_flags = 0;
	sim->reset_flags |= f->set[source] & f->mask;
}

guint32
sim_reset_flags_overlay(GlintSim *sim, guint32 addr, guint32 word)
{
	const SimResetFlags *f = sim_reset_flags_def(sim);
	if (f == NULL || addr != f->reg)
		return word;
	return (word & ~f->mask) | sim->reset_flags;
}

void
sim_reset_flags_written(GlintSim *sim, guint32 addr, guint32 word)
{
	const SimResetFlags *f = sim_reset_flags_def(sim);
	if (f != NULL && addr == f->reg && (word & f->remove))
		sim->reset_flags = 0;
}
