/* glint-target.h: a connected chip (core-internal).
 *
 * Owns the chip's identity (its chip-table row, device and revision id,
 * flash size and geometry, option bytes as loaded), core control (halt, run,
 * reset by AIRCR or NRST, connect under reset) and memory access that turns
 * bus faults on protected flash into "read-protected" errors. The flash
 * driver of the chip's family works through it. */
#pragma once

#include <gio/gio.h>

#include "glint-family-private.h"
#include "glint-job.h"
#include "glint-options.h"
#include "glint-progress.h"
#include "glint-stlink.h"

G_BEGIN_DECLS

/* Cortex-M debug registers (ARMv7-M ARM C1.6). */
#define CM_CPUID 0xE000ED00u
#define CM_PARTNO_M0 0xC20u
#define CM_PARTNO_M0P 0xC60u
#define CM_PARTNO_M3 0xC23u
#define CM_PARTNO_M4 0xC24u
#define CM_PARTNO_M7 0xC27u
#define CM_PARTNO_M33 0xD21u
#define CM_AIRCR 0xE000ED0Cu
#define CM_DFSR 0xE000ED30u
#define CM_DHCSR 0xE000EDF0u
#define CM_DCRSR 0xE000EDF4u
#define CM_DCRDR 0xE000EDF8u
#define CM_DEMCR 0xE000EDFCu
#define CM_AIRCR_VECTKEY (0x05FAu << 16)
#define CM_AIRCR_SYSRESETREQ (1u << 2)
#define CM_DHCSR_DBGKEY (0xA05Fu << 16)
#define CM_DHCSR_C_DEBUGEN (1u << 0)
#define CM_DHCSR_C_HALT (1u << 1)
#define CM_DHCSR_C_STEP (1u << 2)
#define CM_DHCSR_C_MASKINTS (1u << 3)
#define CM_DHCSR_S_REGRDY (1u << 16)
#define CM_DHCSR_S_HALT (1u << 17)
#define CM_DHCSR_S_SLEEP (1u << 18)
#define CM_DHCSR_S_LOCKUP (1u << 19)
#define CM_DHCSR_S_RETIRE_ST (1u << 24)
#define CM_DHCSR_S_RESET_ST (1u << 25)
#define CM_DCRSR_REGWNR (1u << 16)
#define CM_DEMCR_VC_CORERESET (1u << 0)
#define CM_DEMCR_TRCENA (1u << 24)
#define CM_DFSR_ALL 0x1Fu

struct _GlintTarget {
	GlintStlink *stlink; /* borrowed from the session */
	const GlintChip *chip;
	const GlintFamilyOps *ops;  /* chip->family->ops */
	const GlintFlashOps *flash; /* glint_chip_flash_ops(chip) */
	GlintConnectOptions connect_options;
	GlintTargetInfo info;
	/* Appended for the core view (issue 19). Whether the core runs as far
	 * as Glint knows (attached without halting, or a job let it run): a
	 * job that needs it halted halts it first. */
	gboolean core_running;
	/* Whether disconnecting leaves the core halted: it was halted when
	 * Glint attached, or a job halted it on purpose (halt, step, reset
	 * with halt). Otherwise disconnecting lets it run. */
	gboolean leave_halted;
};

/* Attaches to the chip behind @stlink (already opened) and identifies it. */
GlintTarget *glint_target_attach(GlintStlink *stlink, const GlintConnectOptions *options,
				 GlintProgress *progress, GCancellable *cancellable,
				 GError **error);
void glint_target_free(GlintTarget *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintTarget, glint_target_free)

/* Re-reads option bytes, RDP, geometry and bank-2 state into info. */
gboolean glint_target_refresh(GlintTarget *self, GError **error);

gboolean glint_target_halt(GlintTarget *self, GError **error);
gboolean glint_target_run(GlintTarget *self, GError **error);
gboolean glint_target_reset(GlintTarget *self, GlintResetMode mode, gboolean halt, GError **error);

/* Memory access; a fault inside flash on a read-protected chip becomes
 * GLINT_ERROR_READ_PROTECTED with the way out. */
gboolean glint_target_read(GlintTarget *self, guint32 addr, guint8 *buf, gsize len, GError **error);
gboolean glint_target_write(GlintTarget *self, guint32 addr, const guint8 *buf, gsize len,
			    GError **error);
/* Writes through transfers of exactly @unit bytes (1, 2 or 4) each, for
 * memory that refuses other access sizes (flash programmed at a set
 * parallelism); @addr and @len multiples of @unit. */
gboolean glint_target_write_units(GlintTarget *self, guint32 addr, const guint8 *buf, gsize len,
				  guint unit, GError **error);
gboolean glint_target_read32(GlintTarget *self, guint32 addr, guint32 *value, GError **error);
gboolean glint_target_write32(GlintTarget *self, guint32 addr, guint32 value, GError **error);

/* The memory besides main flash that holds all of [@addr, @addr + @len)
 * and that the flash driver programs (GlintFlashOps.region_program: data
 * EEPROM), or NULL. */
const GlintMemoryRegion *glint_target_programmable_region(GlintTarget *self, guint32 addr,
							  guint64 len);

/* The READ_PROTECTED error for this chip's current RDP level. */
void glint_target_set_read_protected_error(GlintTarget *self, GError **error);

/* Core-internal access to the session's target (NULL when not connected)
 * and the flag-clearing job the "Clear error flags" fix runs. */
GlintTarget *glint_session_get_target(GlintSession *self);
gboolean glint_session_clear_flags(GlintSession *self, GlintProgress *progress, GError **error);

G_END_DECLS
