/* sim-map.c: the machine's memory regions and the bus map over them.
 *
 * Each region of the machine's table gets its bytes here. The map lists
 * the windows the bus shows: every region at its base (unless the machine
 * places it), the machine's fixed aliases, and the windows that depend on
 * the chip's state (boot alias, swapped banks), rebuilt whenever the
 * machine's map key changes. The bus (sim-bus.c) resolves every memory
 * access through it and the core (sim-cpu.c) maps the same windows into
 * Unicorn, so code and debugger always agree on what is where. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-private.h"

/* Forwards are followed this many times at most (an alias of an alias) */
#define SIM_MAP_MAX_HOPS 4u

static guint32
sim_region_bytes(GlintSim *sim, const SimRegion *r)
{
	return r->size != 0 ? r->size : sim->flash_kb * 1024u;
}

void
sim_regions_alloc(GlintSim *sim)
{
	const SimMachine *m = sim->machine;
	sim->mem = g_new0(guint8 *, m->n_regions);
	sim->mem_size = g_new0(guint32, m->n_regions);
	for (guint i = 0; i < m->n_regions; i++) {
		const SimRegion *r = &m->regions[i];
		sim->mem_size[i] = sim_region_bytes(sim, r);
		/* whole pages, so the core can fetch from a region whose size is no
		 * multiple of one (sim-cpu.c); the bus never shows the padding */
		sim->mem[i] = g_malloc(sim_region_capacity(sim, i));
		memset(sim->mem[i], r->kind == SIM_REGION_SRAM ? 0 : r->erased,
		       sim_region_capacity(sim, i));
	}
	sim->map.valid = FALSE;
}

void
sim_regions_free(GlintSim *sim)
{
	if (sim->mem != NULL) {
		for (guint i = 0; i < sim->machine->n_regions; i++)
			g_free(sim->mem[i]);
	}
	g_clear_pointer(&sim->mem, g_free);
	g_clear_pointer(&sim->mem_size, g_free);
	g_clear_pointer(&sim->map.windows, g_free);
	sim->map.n_windows = sim->map.capacity = 0;
	sim->map.valid = FALSE;
}

guint32
sim_region_capacity(GlintSim *sim, guint region)
{
	return (sim->mem_size[region] + SIM_PAGE_SIZE - 1) & ~(SIM_PAGE_SIZE - 1);
}

gboolean
sim_map_overlaps(const SimMap *map, guint32 base, guint32 len)
{
	for (guint i = 0; i < map->n_windows; i++) {
		const SimWindow *w = &map->windows[i];
		if (base < w->base + w->size && w->base < base + len)
			return TRUE;
	}
	return FALSE;
}

gint
sim_region_find_in(const SimMachine *machine, SimRegionKind kind)
{
	for (guint i = 0; i < machine->n_regions; i++) {
		if (machine->regions[i].kind == kind)
			return (gint)i;
	}
	return -1;
}

gint
sim_region_find(GlintSim *sim, SimRegionKind kind)
{
	return sim_region_find_in(sim->machine, kind);
}

static void
sim_map_push(SimMap *map, guint32 base, guint32 size, gint region, guint32 offset)
{
	if (size == 0)
		return;
	if (map->n_windows == map->capacity) {
		map->capacity = MAX(16u, map->capacity * 2);
		map->windows = g_renew(SimWindow, map->windows, map->capacity);
	}
	map->windows[map->n_windows++] = (SimWindow){base, size, region, offset};
}

void
sim_map_add(SimMap *map, guint32 base, guint32 size, guint region, guint32 offset)
{
	sim_map_push(map, base, size, (gint)region, offset);
}

void
sim_map_forward(SimMap *map, guint32 base, guint32 size, guint32 target)
{
	sim_map_push(map, base, size, SIM_WINDOW_FORWARD, target);
}

static void
sim_map_build(GlintSim *sim, SimMap *map)
{
	const SimMachine *m = sim->machine;
	map->n_windows = 0;
	map->last = 0;
	for (guint i = 0; i < m->n_regions; i++) {
		if (!(m->regions[i].flags & SIM_REGION_MACHINE_MAPPED))
			sim_map_add(map, m->regions[i].base, sim->mem_size[i], i, 0);
	}
	for (guint i = 0; i < m->n_aliases; i++)
		sim_map_forward(map, m->aliases[i].base, m->aliases[i].size, m->aliases[i].target);
	if (m->ops->map_windows != NULL)
		m->ops->map_windows(sim, map);
}

static SimMap *
sim_map_current(GlintSim *sim)
{
	SimMap *map = &sim->map;
	const SimMachineOps *ops = sim->machine->ops;
	guint32 key = ops->map_key != NULL ? ops->map_key(sim) : 0;
	if (!map->valid || key != map->key) {
		sim_map_build(sim, map);
		map->key = key;
		map->valid = TRUE;
		map->generation++;
	}
	return map;
}

const SimMap *
sim_map_get(GlintSim *sim)
{
	return sim_map_current(sim);
}

static const SimWindow *
sim_map_find(SimMap *map, guint32 addr)
{
	const SimWindow *w;
	/* most accesses come in runs over the same memory */
	if (map->last < map->n_windows) {
		w = &map->windows[map->last];
		if (addr >= w->base && addr - w->base < w->size)
			return w;
	}
	for (guint i = 0; i < map->n_windows; i++) {
		w = &map->windows[i];
		if (addr >= w->base && addr - w->base < w->size) {
			map->last = i;
			return w;
		}
	}
	return NULL;
}

gboolean
sim_map_resolve(GlintSim *sim, guint32 addr, guint32 len, gboolean direct, SimHit *hit)
{
	SimMap *map = sim_map_current(sim);
	gboolean forwarded = FALSE;
	for (guint hop = 0; hop < SIM_MAP_MAX_HOPS; hop++) {
		const SimWindow *w = sim_map_find(map, addr);
		guint32 rel;
		if (w == NULL)
			return FALSE;
		rel = addr - w->base;
		if (len == 0 || len > w->size - rel)
			return FALSE;
		if (w->region == SIM_WINDOW_FORWARD) {
			if (direct)
				return FALSE;
			addr = w->offset + rel;
			forwarded = TRUE;
			continue;
		}
		hit->region = (guint)w->region;
		hit->info = &sim->machine->regions[w->region];
		hit->mem = sim->mem[w->region] + w->offset + rel;
		hit->addr = addr;
		hit->avail = w->size - rel;
		hit->forwarded = forwarded;
		return TRUE;
	}
	return FALSE;
}
