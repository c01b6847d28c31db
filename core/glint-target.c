/* glint-target.c: identify a chip, control its core, access its memory. */
#define G_LOG_DOMAIN "glint-target"

#include "glint-i18n.h"
#include "glint-target.h"

#include <string.h>

#include "glint-error.h"

/* Below this the probe is measuring an unpowered or unconnected target. */
#define TARGET_MIN_PRESENT_VOLTS 1.0
/* The lowest VDD of the STM32 families Glint knows (L4: DS10198 6.3.1);
 * below it brown-out reset holds the chip. */
#define TARGET_MIN_RUN_VOLTS 1.71
/* With no --freq: the probe's fastest SWD clock up to this ceiling, what
 * STM32CubeProgrammer asks by default on an STLINK-V3 (UM2237, connect
 * option freq: 24000 kHz on a V3, 4000 kHz, the V2's top, on a V2). Every
 * STM32 Glint knows takes it (SWCLK up to 50 MHz in their datasheets'
 * SWD timing tables); the probe rounds it down to a clock it has. */
#define DEFAULT_SWD_KHZ_CEILING 24000
/* Polls of DHCSR while waiting for halt or reset; each is a USB round trip
 * (~0.5 ms or more), so this bounds the wait to well under a second. */
#define DHCSR_MAX_POLLS 200

/* What a debug read returns on no Cortex-M register Glint identifies by:
 * seen with an OK status, it is a spoiled reply. */
#define TARGET_ALL_ONES 0xFFFFFFFFu

void
glint_target_free(GlintTarget *self)
{
	if (self == NULL)
		return;
	g_free(self->info.probe_version);
	g_free(self);
}

void
glint_target_set_read_protected_error(GlintTarget *self, GError **error)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED,
		    _("The chip is read-protected (RDP level %u, RDP = 0x%02X): a "
		      "debugger can neither read, erase nor program its flash. Remove read "
		      "protection by setting RDP to level 0, which makes the chip mass-erase its "
		      "flash (glint-cli options set RDP=0 --confirm)"),
		    self->info.rdp_level, glint_option_bytes_rdp_raw(&self->info.options));
}

const GlintMemoryRegion *
glint_target_programmable_region(GlintTarget *self, guint32 addr, guint64 len)
{
	if (self->flash->region_program == NULL || len == 0)
		return NULL;
	for (guint i = 0; i < self->chip->n_regions; i++) {
		const GlintMemoryRegion *r = &self->chip->regions[i];
		if (r->kind == GLINT_REGION_EEPROM && addr >= r->base &&
		    (guint64)addr + len <= (guint64)r->base + r->size)
			return r;
	}
	return NULL;
}

static gboolean
range_touches_flash(GlintTarget *self, guint32 addr, gsize len)
{
	const GlintFlashGeometry *g = &self->info.geometry;
	guint64 end = (guint64)addr + len;
	return addr < (guint64)glint_geometry_end(g) && end > g->base;
}

/* Turns @error_local (a failed access to @addr) into the error callers
 * see; @error may be NULL (callers that only want to know whether it
 * worked), so the mapping works on a local error. */
static gboolean
map_protection_fault(GlintTarget *self, guint32 addr, gsize len, gboolean reading,
		     GError *error_local, GError **error)
{
	/* On RDP level 1 every debug access to main flash is a bus fault. */
	if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT) &&
	    self->info.rdp_level > 0 && range_touches_flash(self, addr, len)) {
		g_error_free(error_local);
		glint_target_set_read_protected_error(self, error);
		return FALSE;
	}
	/* Without read protection the family may know why flash faulted */
	if (reading && g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT) &&
	    range_touches_flash(self, addr, len) && self->flash != NULL &&
	    self->flash->explain_read_fault != NULL &&
	    self->flash->explain_read_fault(self, addr, len, error)) {
		g_error_free(error_local);
		return FALSE;
	}
	g_propagate_error(error, error_local);
	return FALSE;
}

/* A secure area (TrustZone) is not refused to a non-secure debugger with
 * a fault: the chip reads it as zeros. Say so rather than hand them out. */
static gboolean
check_secure_read(GlintTarget *self, guint32 addr, gsize len, GError **error)
{
	const GlintFlashGeometry *g = &self->info.geometry;
	const GlintProtectionArea *area;
	g_autofree gchar *covers = NULL;
	guint32 first, span;

	if (self->info.options.layout == NULL || g->size == 0 ||
	    !range_touches_flash(self, addr, len))
		return TRUE;
	first = MAX(addr, g->base);
	span = (guint32)(MIN((guint64)addr + len, (guint64)glint_geometry_end(g)) - first);
	area = glint_option_bytes_protecting_range(&self->info.options, g, first, span,
						   GLINT_PROTECT_SECURE);
	if (area == NULL)
		return TRUE;
	covers = glint_option_bytes_describe_area(&self->info.options, area, g);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
		    _("Reading 0x%08X-0x%08X touches %s (%s), a secure area: the debugger works "
		      "on the non-secure side, where the chip reads it as zeros. %s"),
		    addr, (guint32)(addr + len - 1), area->name, covers,
		    area->way_out != NULL ? glint_tr(area->way_out)
					  : _("Only secure code reads it"));
	return FALSE;
}

gboolean
glint_target_read(GlintTarget *self, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	GError *error_local = NULL;
	if (!check_secure_read(self, addr, len, error))
		return FALSE;
	if (!glint_stlink_read_mem(self->stlink, addr, buf, len, &error_local))
		return map_protection_fault(self, addr, len, TRUE, error_local, error);
	return TRUE;
}

gboolean
glint_target_write(GlintTarget *self, guint32 addr, const guint8 *buf, gsize len, GError **error)
{
	GError *error_local = NULL;
	if (!glint_stlink_write_mem(self->stlink, addr, buf, len, &error_local))
		return map_protection_fault(self, addr, len, FALSE, error_local, error);
	return TRUE;
}

gboolean
glint_target_write_units(GlintTarget *self, guint32 addr, const guint8 *buf, gsize len, guint unit,
			 GError **error)
{
	GError *error_local = NULL;
	gboolean ok;

	g_return_val_if_fail(unit == 1 || unit == 2 || unit == 4, FALSE);
	g_return_val_if_fail(addr % unit == 0 && len % unit == 0, FALSE);
	if (unit == 4)
		ok = glint_stlink_write_mem(self->stlink, addr, buf, len, &error_local);
	else if (unit == 2)
		ok = glint_stlink_write_mem16(self->stlink, addr, buf, len, &error_local);
	else
		ok = glint_stlink_write_mem8(self->stlink, addr, buf, len, &error_local);
	if (!ok)
		return map_protection_fault(self, addr, len, FALSE, error_local, error);
	return TRUE;
}

gboolean
glint_target_read32(GlintTarget *self, guint32 addr, guint32 *value, GError **error)
{
	return glint_stlink_read32(self->stlink, addr, value, error);
}

gboolean
glint_target_write32(GlintTarget *self, guint32 addr, guint32 value, GError **error)
{
	return glint_stlink_write32(self->stlink, addr, value, error);
}

static gboolean
wait_dhcsr(GlintTarget *self, guint32 mask, guint32 *last, GError **error)
{
	guint32 dhcsr = 0;
	for (guint i = 0; i < DHCSR_MAX_POLLS; i++) {
		if (!glint_stlink_read32(self->stlink, CM_DHCSR, &dhcsr, error))
			return FALSE;
		if (last != NULL)
			*last |= dhcsr;
		if ((dhcsr & mask) == mask)
			return TRUE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
		    _("The core did not report %s (DHCSR = 0x%08X after %u polls)"),
		    mask == CM_DHCSR_S_HALT ? _("halted") : _("reset"), dhcsr, DHCSR_MAX_POLLS);
	return FALSE;
}

gboolean
glint_target_halt(GlintTarget *self, GError **error)
{
	if (!glint_stlink_write32(self->stlink, CM_DHCSR,
				  CM_DHCSR_DBGKEY | CM_DHCSR_C_DEBUGEN | CM_DHCSR_C_HALT, error))
		return FALSE;
	if (!wait_dhcsr(self, CM_DHCSR_S_HALT, NULL, error))
		return FALSE;
	self->core_running = FALSE;
	return TRUE;
}

gboolean
glint_target_run(GlintTarget *self, GError **error)
{
	/* Keep C_DEBUGEN so a later job can halt again without a reset. */
	if (!glint_stlink_write32(self->stlink, CM_DHCSR, CM_DHCSR_DBGKEY | CM_DHCSR_C_DEBUGEN,
				  error))
		return FALSE;
	self->core_running = TRUE;
	return TRUE;
}

static gboolean
set_vector_catch(GlintTarget *self, gboolean halt, GError **error)
{
	guint32 demcr = CM_DEMCR_TRCENA | (halt ? CM_DEMCR_VC_CORERESET : 0);
	if (!glint_stlink_write32(self->stlink, CM_DEMCR, demcr, error))
		return FALSE;
	/* Reading DHCSR clears the sticky S_RESET_ST before the reset. */
	guint32 dhcsr;
	return glint_stlink_read32(self->stlink, CM_DHCSR, &dhcsr, error);
}

static gboolean
reset_by_aircr(GlintTarget *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (!glint_stlink_write32(self->stlink, CM_AIRCR, CM_AIRCR_VECTKEY | CM_AIRCR_SYSRESETREQ,
				  &error_local)) {
		/* The reset may cut the write's acknowledgement short. */
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
reset_by_nrst(GlintTarget *self, GError **error)
{
	if (!glint_stlink_drive_nrst(self->stlink, STLINK_NRST_LOW, error))
		return FALSE;
	return glint_stlink_drive_nrst(self->stlink, STLINK_NRST_HIGH, error);
}

gboolean
glint_target_reset(GlintTarget *self, GlintResetMode mode, gboolean halt, GError **error)
{
	guint32 seen = 0;
	g_autoptr(GError) error_local = NULL;

	if (!set_vector_catch(self, halt, error))
		return FALSE;
	if (mode == GLINT_RESET_SOFTWARE) {
		if (!reset_by_aircr(self, error))
			return FALSE;
	} else {
		if (!reset_by_nrst(self, error))
			return FALSE;
	}
	if (!wait_dhcsr(self, CM_DHCSR_S_RESET_ST, &seen, &error_local)) {
		if (mode != GLINT_RESET_AUTO) {
			g_propagate_prefixed_error(error, g_steal_pointer(&error_local),
						   _("%s reset failed: "),
						   mode == GLINT_RESET_HARDWARE ? "NRST" : "AIRCR");
			return FALSE;
		}
		/* NRST is probably not wired to the probe: fall back to AIRCR. */
		g_debug("NRST reset not seen, using AIRCR.SYSRESETREQ");
		g_clear_error(&error_local);
		if (!reset_by_aircr(self, error))
			return FALSE;
		if (!wait_dhcsr(self, CM_DHCSR_S_RESET_ST, NULL, error))
			return FALSE;
	}
	if (halt) {
		if (!wait_dhcsr(self, CM_DHCSR_S_HALT, NULL, error))
			return FALSE;
		self->core_running = FALSE;
		return TRUE;
	}
	if (!glint_stlink_write32(self->stlink, CM_DEMCR, CM_DEMCR_TRCENA, error))
		return FALSE;
	return glint_target_run(self, error);
}

static gboolean
check_voltage(GlintTarget *self, GlintProgress *progress, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gdouble volts = 0;

	if (!glint_stlink_get_target_voltage(self->stlink, &volts, &error_local)) {
		if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD)) {
			glint_progress_log(progress, G_LOG_LEVEL_INFO,
					   _("Target voltage not available: %s"),
					   error_local->message);
			self->info.voltage = -1;
			return TRUE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	self->info.voltage = volts;
	if (volts < TARGET_MIN_PRESENT_VOLTS) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_NO_TARGET,
		    _("The probe measures %.2f V on the target: the board is not powered, or "
		      "the probe's VAPP/VDD pin is not connected to the target supply. Power "
		      "the board and check the SWD cable"),
		    volts);
		return FALSE;
	}
	return TRUE;
}

static gboolean
set_frequency(GlintTarget *self, const GlintConnectOptions *options, GlintProgress *progress,
	      GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint khz = options->swd_khz ? options->swd_khz : DEFAULT_SWD_KHZ_CEILING;
	guint actual = 0;

	if (!glint_stlink_set_swd_freq(self->stlink, khz, &actual, &error_local)) {
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("SWD clock left at the probe's default: %s"),
				   error_local->message);
		return TRUE;
	}
	/* A clock asked for by the user that the probe cannot run is rounded
	 * down to one it has: say which, rather than leave them believing. */
	if (options->swd_khz != 0 && actual != options->swd_khz) {
		g_autofree gchar *probe =
		    glint_stlink_version_to_string(glint_stlink_get_version(self->stlink));
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("SWD clock %u kHz: this ST-LINK (%s) cannot run %u kHz, the "
				     "nearest it has below is %u kHz"),
				   actual, probe, options->swd_khz, actual);
	} else if (options->swd_khz == 0) {
		g_autofree gchar *probe =
		    glint_stlink_version_to_string(glint_stlink_get_version(self->stlink));
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("SWD clock %u kHz: the fastest this ST-LINK (%s) runs up to "
				     "%u kHz (--freq sets another)"),
				   actual, probe, (guint)DEFAULT_SWD_KHZ_CEILING);
	} else {
		glint_progress_log(progress, G_LOG_LEVEL_DEBUG, _("SWD clock %u kHz"), actual);
	}
	return TRUE;
}

static void
not_responding_error(GError **error, const GError *cause, gboolean under_reset)
{
	if (under_reset) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
			    _("The target does not answer on SWD even under reset (%s). Check the "
			      "SWDIO/SWCLK/GND/NRST wiring and the target's power"),
			    cause->message);
	} else {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
		    _("The target does not answer on SWD (%s). Its firmware may turn the SWD "
		      "pins into GPIOs or sleep: connect under reset (hold NRST while "
		      "attaching)"),
		    cause->message);
	}
}

/* A weak supply, not firmware or wiring, is why SWD is silent: say so
 * rather than suggest connecting under reset. */
static void
brownout_error(GError **error, gdouble volts)
{
	g_set_error(
	    error, GLINT_ERROR, GLINT_ERROR_NO_TARGET,
	    _("The target does not answer on SWD and the probe measures %.2f V on it, below "
	      "the %.2f V an STM32 needs to run: it is held in brown-out reset. Check the "
	      "board's power supply (or battery) and retry"),
	    volts, TARGET_MIN_RUN_VOLTS);
}

static gboolean
attach_debug_port(GlintTarget *self, const GlintConnectOptions *options, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint32 idcode = 0;

	if (options->under_reset) {
		/* Hold the chip in reset so its firmware cannot disable SWD,
		 * request a halt, then release: the core stops at the reset
		 * vector before executing anything. */
		if (!glint_stlink_drive_nrst(self->stlink, STLINK_NRST_LOW, error))
			return FALSE;
	}
	if (!glint_stlink_enter_swd(self->stlink, &error_local) ||
	    !glint_stlink_read_idcode(self->stlink, &idcode, &error_local)) {
		if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING) &&
		    self->info.voltage >= 0 && self->info.voltage < TARGET_MIN_RUN_VOLTS) {
			brownout_error(error, self->info.voltage);
			return FALSE;
		}
		if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
			not_responding_error(error, error_local, options->under_reset);
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (options->under_reset) {
		if (!set_vector_catch(self, TRUE, error))
			return FALSE;
		if (!glint_stlink_write32(self->stlink, CM_DHCSR,
					  CM_DHCSR_DBGKEY | CM_DHCSR_C_DEBUGEN | CM_DHCSR_C_HALT,
					  error))
			return FALSE;
		if (!glint_stlink_drive_nrst(self->stlink, STLINK_NRST_HIGH, error))
			return FALSE;
	}
	g_debug("SW-DP IDCODE 0x%08X", idcode);
	return TRUE;
}

/* Attaching without halting: whether the core was halted before Glint came
 * (another tool halted it, or Glint did on purpose last time): it is left
 * so at the end. (A halting attach keeps its old way: halted for the job,
 * let run at the end, with no extra probe command.) Connecting under reset
 * halts it at the reset vector, which is Glint's doing, not the user's. */
static gboolean
note_core_at_attach(GlintTarget *self, const GlintConnectOptions *options, GError **error)
{
	guint32 dhcsr = 0;
	if (!options->no_halt || options->under_reset)
		return TRUE;
	if (!glint_stlink_read32(self->stlink, CM_DHCSR, &dhcsr, error))
		return FALSE;
	self->leave_halted = (dhcsr & CM_DHCSR_S_HALT) != 0;
	self->core_running = !self->leave_halted;
	/* Halting debug on (as a halting attach leaves it), without a halt:
	 * vector catch and breakpoints need it; the core goes on running */
	if (dhcsr & CM_DHCSR_C_DEBUGEN)
		return TRUE;
	return glint_stlink_write32(self->stlink, CM_DHCSR, CM_DHCSR_DBGKEY | CM_DHCSR_C_DEBUGEN,
				    error);
}

/* Where DBGMCU_IDCODE lives depends on the core (as stlink and OpenOCD
 * choose it): M0/M0+ parts have it on the APB (0x40015800), M33 parts at
 * 0xE0044000, the H7's M7 at 0x5C001000; the rest at 0xE0042000. The
 * others are tried after the likely one. */
static void
idcode_order(guint partno, guint32 order[4])
{
	static const guint32 all[] = {0xE0042000u, 0x40015800u, 0xE0044000u, 0x5C001000u};
	guint32 first = 0xE0042000u;
	guint n = 0;

	if (partno == CM_PARTNO_M0 || partno == CM_PARTNO_M0P)
		first = 0x40015800u;
	else if (partno == CM_PARTNO_M33)
		first = 0xE0044000u;
	else if (partno == CM_PARTNO_M7)
		first = 0x5C001000u;
	order[n++] = first;
	for (guint i = 0; i < G_N_ELEMENTS(all); i++) {
		if (all[i] != first)
			order[n++] = all[i];
	}
}

static gboolean
read_idcode(GlintTarget *self, guint32 *idcode, GError **error)
{
	guint32 order[4];

	idcode_order((self->info.cpuid >> 4) & 0xFFF, order);
	for (guint i = 0; i < G_N_ELEMENTS(order); i++) {
		g_autoptr(GError) error_local = NULL;
		guint16 dev;
		if (!glint_stlink_read32(self->stlink, order[i], idcode, &error_local)) {
			/* Only a bus fault means "not this core type": a vanished
			 * or garbling probe must not be reported as a silent chip. */
			if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			continue;
		}
		if (*idcode == TARGET_ALL_ONES) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("DBGMCU_IDCODE at 0x%08X read back as 0xFFFFFFFF with an OK "
			      "status: the probe's reply was garbled; unplug and replug the "
			      "probe"),
			    order[i]);
			return FALSE;
		}
		dev = *idcode & 0xFFF;
		if (dev != 0 && dev != 0xFFF)
			return TRUE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
		    _("Could not read the device id (DBGMCU_IDCODE) of the Cortex-M core (CPUID "
		      "0x%08X); connect under reset"),
		    self->info.cpuid);
	return FALSE;
}

static gboolean
identify(GlintTarget *self, GError **error)
{
	guint32 idcode = 0;

	if (!glint_stlink_read32(self->stlink, CM_CPUID, &self->info.cpuid, error))
		return FALSE;
	/* The probe said OK, yet all bits are set: no core reads so, the
	 * reply was spoiled between probe and host (issue 16). */
	if (self->info.cpuid == TARGET_ALL_ONES) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_PROBE,
		    _("CPUID read back as 0xFFFFFFFF with an OK status, which no core "
		      "answers: the probe's reply was garbled; unplug and replug the probe"));
		return FALSE;
	}
	if ((self->info.cpuid >> 24) != 0x41) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
			    _("CPUID reads 0x%08X, not an ARM core: the debug port answers but the "
			      "core does not; connect under reset"),
			    self->info.cpuid);
		return FALSE;
	}
	/* Cortex-M3/M4/M7/M33 wrap TAR auto-increment at 4 KiB, not the 1 KiB
	 * minimum: fewer, larger transfers. */
	switch ((self->info.cpuid >> 4) & 0xFFF) {
	case CM_PARTNO_M3:
	case CM_PARTNO_M4:
	case CM_PARTNO_M7:
	case CM_PARTNO_M33:
		glint_stlink_set_tar_block(self->stlink, 4096);
		break;
	default:
		break;
	}
	if (!read_idcode(self, &idcode, error))
		return FALSE;
	self->info.dev_id = idcode & 0xFFF;
	self->info.rev_id = idcode >> 16;
	self->chip = glint_chip_identify(self->info.dev_id, self->info.cpuid);
	if (self->chip == NULL) {
		g_autofree gchar *supported = glint_chip_describe_supported();
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("Device id 0x%03X (DBGMCU_IDCODE 0x%08X) is not a chip Glint knows; "
			      "supported: %s"),
			    self->info.dev_id, idcode, supported);
		return FALSE;
	}
	self->info.chip = self->chip;
	self->info.rev_name = glint_chip_revision_name(self->chip, self->info.rev_id);
	self->ops = self->chip->family->ops;
	self->flash = glint_chip_flash_ops(self->chip);
	return TRUE;
}

static gboolean
read_flash_size(GlintTarget *self, GError **error)
{
	guint32 word = 0;
	guint32 aligned = self->chip->flash_size_reg & ~3u;
	guint32 kb;

	if (!glint_stlink_read32(self->stlink, aligned, &word, error))
		return FALSE;
	if (self->chip->flash_size_reg & 2)
		word >>= 16;
	kb = word & 0xFFFF;
	if (self->ops->decode_flash_kb != NULL)
		kb = self->ops->decode_flash_kb(self->chip, kb);
	/* A blank or absurd register means "assume the family max" (OpenOCD
	 * does the same). */
	if (kb == 0 || kb == 0xFFFF || kb > self->chip->flash_kb_max)
		kb = self->chip->flash_kb_max;
	self->info.flash_kb = kb;
	return TRUE;
}

static gboolean
read_uid(GlintTarget *self, GError **error)
{
	const guint8 *offsets = self->chip->uid_word_offsets;
	guint8 uid[12];
	if (offsets[0] == 0 && offsets[1] == 0 && offsets[2] == 0) {
		if (!glint_stlink_read_mem(self->stlink, self->chip->uid_addr, uid, sizeof(uid),
					   error))
			return FALSE;
	} else {
		for (guint w = 0; w < 3; w++) {
			if (!glint_stlink_read_mem(self->stlink, self->chip->uid_addr + offsets[w],
						   uid + 4 * w, 4, error))
				return FALSE;
		}
	}
	for (guint i = 0; i < sizeof(uid); i++)
		g_snprintf(self->info.uid + i * 2, 3, "%02X", uid[sizeof(uid) - 1 - i]);
	return TRUE;
}

/* A vector table starts with the initial stack pointer: somewhere in (or
 * just past the end of) an SRAM of the chip. */
static gboolean
is_plausible_stack(const GlintChip *chip, guint32 sp)
{
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (r->kind == GLINT_REGION_SRAM && sp >= r->base && sp - r->base <= r->size)
			return TRUE;
	}
	return FALSE;
}

static gboolean
check_bank2(GlintTarget *self, GError **error)
{
	const GlintFlashGeometry *g = &self->info.geometry;
	gint bank2 = glint_geometry_bank_of_physical(g, 1);
	guint8 vectors[8];

	g_autoptr(GError) error_local = NULL;

	self->info.bank2_empty = FALSE;
	if (bank2 < 0 || self->info.rdp_level > 0)
		return TRUE;
	/* physical bank 2, wherever it is mapped (banks swapped or not) */
	if (!glint_target_read(self, g->banks[bank2].base, vectors, sizeof(vectors),
			       &error_local)) {
		/* an area the debugger may not read (secure, execute-only) is
		 * not known to be empty; only a failing link stops the connect */
		if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT) ||
		    g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED)) {
			g_debug("bank 2 not readable at 0x%08X: %s", g->banks[bank2].base,
				error_local->message);
			return TRUE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	/* The initial SP, little-endian, assembled bytewise: a guint8 array has
	 * no 4-byte alignment to read it through a guint32 pointer. */
	self->info.bank2_empty = !is_plausible_stack(
	    self->chip, (guint32)vectors[0] | (guint32)vectors[1] << 8 | (guint32)vectors[2] << 16 |
			    (guint32)vectors[3] << 24);
	return TRUE;
}

gboolean
glint_target_refresh(GlintTarget *self, GError **error)
{
	if (!self->flash->read_options(self, &self->info.options, error) ||
	    !self->flash->read_status(self, &self->info.flash_sr, error))
		return FALSE;
	self->info.rdp_level = glint_option_bytes_rdp_level(&self->info.options);
	self->ops->geometry(self->chip, self->info.flash_kb, &self->info.options,
			    self->info.voltage, &self->info.geometry);
	if (self->ops->read_bank_mapping != NULL &&
	    !self->ops->read_bank_mapping(self, &self->info.geometry, error))
		return FALSE;
	return check_bank2(self, error);
}

GlintTarget *
glint_target_attach(GlintStlink *stlink, const GlintConnectOptions *options,
		    GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	g_autoptr(GlintTarget) self = g_new0(GlintTarget, 1);

	self->stlink = stlink;
	self->connect_options = *options;
	if (!check_voltage(self, progress, error))
		return NULL;
	if (!set_frequency(self, options, progress, error))
		return NULL;
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return NULL;
	if (!attach_debug_port(self, options, error))
		return NULL;
	if (!note_core_at_attach(self, options, error))
		return NULL;
	if (!options->no_halt && !glint_target_halt(self, error))
		return NULL;
	if (!identify(self, error))
		return NULL;
	if (self->ops->debug_setup != NULL && !self->ops->debug_setup(self, error))
		return NULL;
	if (!read_flash_size(self, error) || !read_uid(self, error))
		return NULL;
	if (!glint_target_refresh(self, error))
		return NULL;
	return g_steal_pointer(&self);
}
