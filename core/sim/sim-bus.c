/* sim-bus.c: the bus as the debugger, the core and the test back door see it.
 *
 * Memory accesses go through the bus map (sim-map.c): plain stores land in
 * writable regions, stores into programmed regions go to the machine's
 * flash model, reads of those wait while it is busy. Everything else is a
 * register: a peripheral of the machine's table, a block of its memory map
 * the emulator does not model (reset values, writes ignored), or the
 * core's private peripheral bus; a block whose clock is off reads 0 and
 * ignores writes (sim-periph-map.c); any other address is a bus fault. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-faults.h"
#include "sim-private.h"

gboolean
sim_in_main_flash(GlintSim *sim, guint32 addr)
{
	SimHit hit;
	return sim_map_resolve(sim, addr, 1, TRUE, &hit) && hit.info->kind == SIM_REGION_FLASH;
}

guint8 *
sim_flash_ptr(GlintSim *sim, guint32 addr, gsize len)
{
	SimHit hit;
	if (len > G_MAXUINT32 || !sim_map_resolve(sim, addr, (guint32)len, TRUE, &hit) ||
	    hit.info->kind != SIM_REGION_FLASH)
		return NULL;
	return hit.mem;
}

static guint32
sim_load_le(const guint8 *p, guint size)
{
	guint32 v = 0;
	for (guint i = 0; i < size; i++)
		v |= (guint32)p[i] << (8 * i);
	return v;
}

static void
sim_store_le(guint8 *p, guint size, guint32 v)
{
	for (guint i = 0; i < size; i++)
		p[i] = (guint8)(v >> (8 * i));
}

/* The peripheral of the machine's table holding @addr, or NULL */
static const SimPeriph *
sim_periph_find(GlintSim *sim, guint32 addr)
{
	const SimMachine *m = sim->machine;
	for (guint i = 0; i < m->n_periphs; i++) {
		const SimPeriph *p = &m->periphs[i];
		if (addr >= p->base && addr - p->base < p->size)
			return p;
	}
	return NULL;
}

static gboolean
sim_in_ppb(guint32 addr)
{
	return addr >= PPB_BASE && addr - PPB_BASE < PPB_SIZE;
}

/* The register word at @word_addr: a peripheral of the table, else the
 * core's private peripheral bus, else nothing (a bus fault) */
static SimBusResult
sim_reg_read_word(GlintSim *sim, SimAccess who, guint32 word_addr, guint32 *word)
{
	const SimBusBlock *block = sim_bus_block_find(sim, word_addr);
	const SimPeriph *p;
	if (block != NULL && sim_bus_block_gated(sim, block)) {
		*word = 0;
		return SIM_BUS_OK;
	}
	p = sim_periph_find(sim, word_addr);
	if (p != NULL) {
		*word = p->read(sim, p, who, word_addr - p->base);
	} else if (block != NULL) {
		/* a peripheral the emulator does not model */
		*word = sim_reg_reset_value(sim, word_addr);
	} else if (sim_in_ppb(word_addr) && sim_trace_owns(sim, word_addr)) {
		/* ITM, DWT_CYCCNT, TPIU: who asks matters (the ITM's lock) */
		*word = sim_trace_read(sim, who, word_addr);
	} else if (sim_in_ppb(word_addr)) {
		return sim_ppb_read(sim, word_addr, word) ? SIM_BUS_OK : SIM_BUS_FAULT;
	} else {
		return SIM_BUS_FAULT;
	}
	*word = sim_reset_flags_overlay(sim, word_addr, *word);
	return SIM_BUS_OK;
}

/* Registers are 32 bits wide; narrower accesses select bytes of the word. */
static SimBusResult
sim_reg_read(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 *value)
{
	guint shift = (addr & 3u) * 8;
	guint32 word = 0;
	if (sim_reg_read_word(sim, who, addr & ~3u, &word) != SIM_BUS_OK)
		return SIM_BUS_FAULT;
	*value = size == 4 ? word : (word >> shift) & ((1u << (size * 8)) - 1u);
	return SIM_BUS_OK;
}

/* Status registers whose bits clear by writing 1 */
static gboolean
sim_reg_is_w1c(const SimPeriph *p, guint32 word_addr)
{
	if (p != NULL)
		return p->is_w1c != NULL && p->is_w1c(word_addr - p->base);
	return word_addr == DFSR_ADDR || word_addr == CFSR_ADDR || word_addr == HFSR_ADDR;
}

static SimBusResult
sim_reg_write(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 value)
{
	guint32 word_addr = addr & ~3u;
	guint shift = (addr & 3u) * 8;
	guint32 word = value;
	const SimBusBlock *block = sim_bus_block_find(sim, word_addr);
	const SimPeriph *p = sim_periph_find(sim, word_addr);
	/* clock off, or not modelled: the write is lost */
	if (block != NULL && (p == NULL || sim_bus_block_gated(sim, block)))
		return SIM_BUS_OK;
	if (p == NULL && !sim_in_ppb(word_addr))
		return SIM_BUS_FAULT;
	if (p != NULL && (p->flags & SIM_PERIPH_RAW_WRITES))
		return p->write(sim, p, who, addr - p->base, size, value) ? SIM_BUS_OK
									  : SIM_BUS_FAULT;
	/* an ITM stimulus port sends as many bytes as were stored */
	if (p == NULL && sim_trace_stim_write(sim, who, addr, size, value << shift))
		return SIM_BUS_OK;
	if (size < 4 && sim_reg_is_w1c(p, word_addr)) {
		/* write-1-to-clear: lanes not written must not clear anything */
		word = (value << shift) & (((1u << (size * 8)) - 1u) << shift);
	} else if (size < 4) {
		/* a narrow store writes only its lanes; the others keep their value
		 * (for key registers this makes a wrong key, as on silicon) */
		guint32 old = 0;
		guint32 mask = ((1u << (size * 8)) - 1u) << shift;
		if (sim_reg_read_word(sim, SIM_ACCESS_AHB, word_addr, &old) != SIM_BUS_OK)
			old = 0;
		word = (old & ~mask) | ((value << shift) & mask);
	}
	if (p != NULL) {
		sim_reset_flags_written(sim, word_addr, word);
		return p->write(sim, p, who, word_addr - p->base, 4, word) ? SIM_BUS_OK
									   : SIM_BUS_FAULT;
	}
	if (sim_trace_owns(sim, word_addr)) {
		sim_trace_write(sim, who, word_addr, word);
		return SIM_BUS_OK;
	}
	return sim_ppb_write(sim, word_addr, word) ? SIM_BUS_OK : SIM_BUS_FAULT;
}

/* Whether main flash holds something that looks like a vector table */
static gboolean
sim_firmware_present(GlintSim *sim)
{
	gint flash = sim_region_find(sim, SIM_REGION_FLASH);
	const guint8 *p;
	guint8 erased;
	if (flash < 0)
		return FALSE;
	erased = sim->machine->regions[flash].erased;
	p = sim_flash_ptr(sim, sim->machine->regions[flash].base, 4);
	return p != NULL && (p[0] != erased || p[1] != erased || p[2] != erased || p[3] != erased);
}

guint8
sim_dp_status(GlintSim *sim)
{
	/* no target power: nothing answers on SWDIO */
	if (sim->target_mv < sim_faults_bor_mv(sim))
		return STLINK_SWD_DP_ERROR;
	/* RDP level 2 disables the debug port for good */
	if (sim->machine->ops->debug_port_locked != NULL &&
	    sim->machine->ops->debug_port_locked(sim))
		return STLINK_SWD_DP_ERROR;
	/* firmware that reuses the SWD pins: only reset or a halted core helps;
	 * once the flash is erased there is no firmware left to do it */
	if (sim->fw_disables_swd && !sim->core.halted && !sim->core.nrst_low &&
	    sim_firmware_present(sim))
		return STLINK_SWD_DP_ERROR;
	return STLINK_OK;
}

/* Read protection: the machine refuses the debugger's access, or the
 * code's (the test back door is never refused) */
static gboolean
sim_access_blocked(GlintSim *sim, SimAccess who, const SimHit *hit)
{
	const SimMachineOps *ops = sim->machine->ops;
	if (who == SIM_ACCESS_DEBUG)
		return ops->debug_blocked != NULL && ops->debug_blocked(sim, hit);
	if (who == SIM_ACCESS_CORE)
		return ops->core_blocked != NULL && ops->core_blocked(sim, hit);
	return FALSE;
}

/* TrustZone: the debugger's non-secure access to secure memory reads as
 * zero and writes nothing, without a fault */
static gboolean
sim_access_ignored(GlintSim *sim, SimAccess who, const SimHit *hit)
{
	const SimMachineOps *ops = sim->machine->ops;
	return who == SIM_ACCESS_DEBUG && ops->debug_access_ignored != NULL &&
	       ops->debug_access_ignored(sim, hit);
}

static gboolean
sim_size_ok(guint32 addr, guint size)
{
	return (size == 1 || size == 2 || size == 4) && (addr & (size - 1)) == 0;
}

SimBusResult
sim_bus_read(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 *value)
{
	SimHit hit;
	*value = 0;
	if (who == SIM_ACCESS_DEBUG)
		sim->debug_seen = TRUE;
	if (!sim_size_ok(addr, size))
		return SIM_BUS_FAULT;
	if (!sim_map_resolve(sim, addr, size, FALSE, &hit))
		return sim_reg_read(sim, who, addr, size, value);
	if (sim_access_blocked(sim, who, &hit))
		return SIM_BUS_FAULT;
	if (sim_access_ignored(sim, who, &hit))
		return SIM_BUS_OK;
	/* flash is not readable while it is being programmed: the bus access
	 * waits for BSY to clear */
	if ((hit.info->flags & SIM_REGION_WAITS_BUSY) && sim->machine->ops->wait_busy != NULL)
		sim->machine->ops->wait_busy(sim);
	if (who == SIM_ACCESS_DEBUG && sim->machine->ops->debug_read_refused != NULL &&
	    sim->machine->ops->debug_read_refused(sim, &hit))
		return SIM_BUS_FAULT;
	*value = sim_load_le(hit.mem, size);
	return SIM_BUS_OK;
}

SimBusResult
sim_bus_write(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 value)
{
	SimHit hit;
	if (who == SIM_ACCESS_DEBUG)
		sim->debug_seen = TRUE;
	if (!sim_size_ok(addr, size))
		return SIM_BUS_FAULT;
	if (!sim_map_resolve(sim, addr, size, FALSE, &hit))
		return sim_reg_write(sim, who, addr, size, value);
	if (sim_access_blocked(sim, who, &hit)) {
		/* the flash controller still sees the refused programming */
		if ((hit.info->flags & SIM_REGION_PROGRAMMED) &&
		    sim->machine->ops->refused_write != NULL)
			sim->machine->ops->refused_write(sim, &hit);
		return SIM_BUS_FAULT;
	}
	if (sim_access_ignored(sim, who, &hit))
		return SIM_BUS_OK;
	if (hit.info->flags & SIM_REGION_PROGRAMMED) {
		if (sim->machine->ops->mem_write_faults != NULL &&
		    sim->machine->ops->mem_write_faults(sim, hit.addr, size))
			return SIM_BUS_FAULT;
		/* a machine without a flash model keeps programmed memory as it is */
		if (sim->machine->ops->mem_write != NULL)
			sim->machine->ops->mem_write(sim, hit.addr, size, value);
		return SIM_BUS_OK;
	}
	if (!(hit.info->flags & SIM_REGION_WRITABLE))
		return SIM_BUS_FAULT;
	sim_store_le(hit.mem, size, value);
	return SIM_BUS_OK;
}

/* A unique ID derived from the serial, so that two boards differ */
void
sim_unique_id(GlintSim *sim, guint8 uid[12])
{
	g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 digest[32];
	gsize dlen = sizeof(digest);
	g_checksum_update(ck, (const guchar *)"glint-sim-uid:", -1);
	g_checksum_update(ck, (const guchar *)sim->serial, -1);
	g_checksum_get_digest(ck, digest, &dlen);
	memcpy(uid, digest, 12);
}

void
sim_fill_info(GlintSim *sim)
{
	if (sim->machine->ops->fill_info != NULL)
		sim->machine->ops->fill_info(sim);
}

/* Back doors for tests: what the silicon holds, without the controller. */
static guint8 *
sim_raw_byte(GlintSim *sim, guint32 addr)
{
	SimHit hit;
	return sim_map_resolve(sim, addr, 1, FALSE, &hit) ? hit.mem : NULL;
}

static gboolean
sim_peek_byte(GlintSim *sim, guint32 addr, guint8 *out)
{
	guint8 *p = sim_raw_byte(sim, addr);
	guint32 word;
	gboolean ok;
	if (p != NULL) {
		*out = *p;
		return TRUE;
	}
	sim->peeking = TRUE;
	ok = glint_sim_bus_read(sim, addr & ~3u, 4, &word);
	sim->peeking = FALSE;
	if (!ok)
		return FALSE;
	*out = (guint8)(word >> ((addr & 3u) * 8));
	return TRUE;
}

gboolean
glint_sim_peek(GlintSim *sim, guint32 addr, guint8 *buf, gsize len)
{
	g_return_val_if_fail(sim != NULL, FALSE);
	for (gsize i = 0; i < len; i++) {
		if (!sim_peek_byte(sim, addr + (guint32)i, &buf[i]))
			return FALSE;
	}
	return TRUE;
}

guint32
glint_sim_peek32(GlintSim *sim, guint32 addr)
{
	guint8 b[4] = {0};
	if (!glint_sim_peek(sim, addr, b, 4))
		return 0;
	return sim_load_le(b, 4);
}

static gboolean
sim_poke_byte(GlintSim *sim, guint32 addr, guint8 v)
{
	guint8 *p = sim_raw_byte(sim, addr);
	const SimPeriph *periph;
	gboolean ok;
	if (p != NULL) {
		*p = v;
		return TRUE;
	}
	/* a peripheral's own back door sets raw bits (stale flags) */
	periph = sim_periph_find(sim, addr);
	if (periph != NULL && periph->poke != NULL)
		return periph->poke(sim, periph, addr - periph->base, v);
	/* past the clock gates, like peek */
	sim->peeking = TRUE;
	ok = sim_bus_write(sim, SIM_ACCESS_AHB, addr, 1, v) == SIM_BUS_OK;
	sim->peeking = FALSE;
	return ok;
}

gboolean
glint_sim_poke(GlintSim *sim, guint32 addr, const guint8 *buf, gsize len)
{
	g_return_val_if_fail(sim != NULL, FALSE);
	for (gsize i = 0; i < len; i++) {
		if (!sim_poke_byte(sim, addr + (guint32)i, buf[i]))
			return FALSE;
	}
	return TRUE;
}

gboolean
glint_sim_bus_read(GlintSim *sim, guint32 addr, guint size, guint32 *value)
{
	g_return_val_if_fail(sim != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	return sim_bus_read(sim, SIM_ACCESS_AHB, addr, size, value) == SIM_BUS_OK;
}

gboolean
glint_sim_bus_write(GlintSim *sim, guint32 addr, guint size, guint32 value)
{
	g_return_val_if_fail(sim != NULL, FALSE);
	return sim_bus_write(sim, SIM_ACCESS_AHB, addr, size, value) == SIM_BUS_OK;
}
