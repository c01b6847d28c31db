/* l4-machine.h: the STM32L4 machine's pieces, shared by the files of
 * core/sim/l4/ and by nothing else. */
#pragma once

#include "sim-private.h"

#include "l4-regs.h"

/* The regions of the machine's table, in table order */
enum {
	L4_REGION_FLASH,
	L4_REGION_SRAM1,
	L4_REGION_SRAM2,
	L4_REGION_SYSMEM,
	L4_REGION_OTP,
	L4_REGION_INFO,
	L4_REGION_OPT1,
	L4_REGION_OPT2,
	L4_REGION_COUNT,
};

/* The bytes of a region */
#define L4_MEM(sim, region) ((sim)->mem[(region)])

extern const SimMachine sim_l4_machine;

/* l4-flash.c: the FLASH peripheral */
guint32 l4_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l4_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void l4_flash_reset(GlintSim *sim, const SimPeriph *p);
gboolean l4_flash_is_w1c(guint32 offset);
gboolean l4_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);

/* l4-rcc.c: the RCC peripheral */
guint32 l4_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l4_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		      guint32 value);
void l4_rcc_reset(GlintSim *sim, const SimPeriph *p);
