/* sim-periph.c: the simplest peripheral models: plain register storage and
 * the DBGMCU. */
#define G_LOG_DOMAIN "glint-sim"

#include "sim-private.h"

guint32
sim_plain_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	return sim_plain_value(sim, p->base + offset);
}

gboolean
sim_plain_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		guint32 value)
{
	sim_plain_store(sim, p->base + offset, value);
	return TRUE;
}

static gboolean
sim_dbgmcu_register(const SimPeriph *p, guint32 offset)
{
	const SimDbgmcuConfig *cfg = p->config;
	for (guint i = 0; cfg != NULL && i < cfg->n_registers; i++) {
		if (cfg->registers[i] == offset && offset / 4 < SIM_DBGMCU_WORDS)
			return TRUE;
	}
	return FALSE;
}

guint32
sim_dbgmcu_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	if (offset == 0)
		return sim->dbgmcu_idcode;
	return sim_dbgmcu_register(p, offset) ? sim->dbgmcu[offset / 4] : 0;
}

gboolean
sim_dbgmcu_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		 guint32 value)
{
	/* IDCODE is read-only; reserved addresses ignore writes */
	if (sim_dbgmcu_register(p, offset))
		sim->dbgmcu[offset / 4] = value;
	return TRUE;
}

void
sim_dbgmcu_power_on(GlintSim *sim, const SimPeriph *p)
{
	for (guint i = 0; i < SIM_DBGMCU_WORDS; i++)
		sim->dbgmcu[i] = 0;
}
