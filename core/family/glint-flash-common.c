/* glint-flash-common.c: mechanics shared by the families' flash drivers. */
#define G_LOG_DOMAIN "glint-flash"

#include "glint-flash-common.h"
#include "glint-i18n.h"

#include "glint-error.h"

/* Below this the target is unpowered rather than weak (glint-target.c). */
#define TARGET_PRESENT_VOLTS 1.0

gboolean
glint_flash_wait_clear(GlintTarget *t, guint32 addr, guint32 mask, guint max_polls,
		       gint64 timeout_us, const char *what, guint32 *value, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + timeout_us;
	guint32 v = 0;

	for (guint i = 0; i < max_polls; i++) {
		if (!glint_target_read32(t, addr, &v, error))
			return FALSE;
		if (value != NULL)
			*value = v;
		if ((v & mask) == 0)
			return TRUE;
		if (g_get_monotonic_time() > deadline)
			break;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT,
		    _("The flash controller stayed busy (%s) past every datasheet limit; the chip "
		      "may be unpowered or held in reset. Power-cycle the board and retry"),
		    what);
	return FALSE;
}

/* Writes one key. A key out of sequence (after an earlier unlock was cut
 * between its two keys) is answered with a bus error and locks the register
 * until the next reset; @key_locked tells the caller that this, not a
 * missing address, is what happened. */
static gboolean
write_key(GlintTarget *t, const GlintUnlockKey *k, guint32 key, gboolean *key_locked,
	  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (glint_target_write32(t, k->keyr, key, &error_local))
		return TRUE;
	if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	*key_locked = TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("The flash controller refused the %s unlock key with a bus error: a key "
		      "sequence was interrupted earlier (for instance by a lost connection), and "
		      "%s stays locked until the next reset. Reset the target, then retry"),
		    k->name, k->name);
	return FALSE;
}

static gboolean
is_locked(const GlintUnlockKey *k, guint32 value)
{
	gboolean set = (value & k->lock_bit) != 0;
	return k->locked_when_set ? set : !set;
}

static gboolean
unlock_one(GlintTarget *t, const GlintUnlockKey *k, gboolean *key_locked, GError **error)
{
	guint32 v;

	/* A key written while already unlocked locks the controller until the
	 * next reset, so look before knocking. */
	if (!glint_target_read32(t, k->lock_reg, &v, error))
		return FALSE;
	if (!is_locked(k, v))
		return TRUE;
	if (!write_key(t, k, k->key1, key_locked, error) ||
	    !write_key(t, k, k->key2, key_locked, error))
		return FALSE;
	if (!glint_target_read32(t, k->lock_reg, &v, error))
		return FALSE;
	if (is_locked(k, v)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("The flash controller stayed locked after the %s keys (register "
			      "0x%08X = 0x%08X): a wrong key was written earlier and the register "
			      "is locked until the next reset. Reset the target and retry"),
			    k->name, k->lock_reg, v);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_flash_unlock(GlintTarget *t, const GlintUnlockKey *keys, guint n_keys,
		   GlintProgress *progress, GError **error)
{
	for (guint attempt = 0;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		gboolean key_locked = FALSE, ok = TRUE;
		for (guint i = 0; ok && i < n_keys; i++)
			ok = unlock_one(t, &keys[i], &key_locked, &error_local);
		if (ok)
			return TRUE;
		if (!key_locked || attempt > 0) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		/* Only a system reset releases the key lock. Nothing is lost:
		 * the job is about to erase or program anyway, and the core is
		 * held at the reset vector so no firmware runs. */
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   _("The flash unlock keys were locked by an unlock sequence cut "
				     "short earlier; resetting the target (core halted) to release "
				     "them"));
		if (!glint_target_reset(t, t->connect_options.reset_mode, TRUE, error))
			return FALSE;
	}
}

gboolean
glint_flash_check_supply(GlintTarget *t, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gdouble volts = 0, min = t->chip->min_program_mv / 1000.0;

	if (!glint_stlink_get_target_voltage(t->stlink, &volts, &error_local)) {
		/* V1 firmware cannot measure: nothing to check against. */
		if (g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	t->info.voltage = volts;
	if (volts >= min)
		return TRUE;
	/* Next to nothing: the board lost power, as at connect. */
	g_set_error(error, GLINT_ERROR,
		    volts < TARGET_PRESENT_VOLTS ? GLINT_ERROR_NO_TARGET : GLINT_ERROR_FLASH,
		    _("The target supply reads %.2f V, below the %.2f V the %s flash needs to "
		      "erase or program. Nothing was changed on the chip; check the board's power "
		      "supply (or battery) and retry"),
		    volts, min, t->chip->name);
	return FALSE;
}

gchar *
glint_flash_describe_bits(const GlintBitName *names, guint n_names, guint32 value)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < n_names; i++) {
		if ((value & names[i].bit) == 0)
			continue;
		if (s->len > 0)
			g_string_append(s, ", ");
		g_string_append(s, names[i].name);
	}
	return g_string_free(s, FALSE);
}

void
glint_flash_protection_error(GlintTarget *t, guint32 addr, const char *what, const char *flag_name,
			     GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	const GlintProtectionArea *area;
	GlintFlashUnit unit;
	g_autofree gchar *where = NULL;

	if (t->info.rdp_level > 0) {
		glint_target_set_read_protected_error(t, error);
		return;
	}
	if (!glint_geometry_unit_at(g, addr, &unit)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
			    _("%s failed at 0x%08X: the flash controller reports a protection "
			      "error (%s)"),
			    what, addr, flag_name);
		return;
	}
	where = glint_geometry_describe_unit(g, &unit);
	area = glint_option_bytes_protecting(&t->info.options, g, &unit, -1);
	if (area != NULL && area->type == GLINT_PROTECT_WRP) {
		g_autofree gchar *covers =
		    glint_option_bytes_describe_area(&t->info.options, area, g);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
			    _("%s failed at 0x%08X: %s is write-protected by %s (%s covers %s); "
			      "clear it in the option bytes (%s=off)"),
			    what, addr, where, area->name, flag_name, covers, area->name);
	} else if (area != NULL && (area->flags & GLINT_AREA_FIXED)) {
		g_autofree gchar *covers =
		    glint_option_bytes_describe_area(&t->info.options, area, g);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    "%s failed at 0x%08X: %s lies in %s (%s, %s). %s", what, addr, where,
			    area->name, covers, flag_name, area->consequence);
	} else if (area != NULL) {
		g_autofree gchar *covers =
		    glint_option_bytes_describe_area(&t->info.options, area, g);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    _("%s failed at 0x%08X: %s lies in the %s area %s (%s), which cannot "
			      "be read, erased or programmed by a debugger. Only a read-protection "
			      "regression (RDP 1 -> 0) can remove it, and only if the chip allows "
			      "it (PCROP_RDP); it erases the chip"),
			    what, addr, where,
			    area->type == GLINT_PROTECT_PCROP ? "PCROP" : _("secure"), area->name,
			    covers);
	} else {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
			    _("%s failed at 0x%08X: %s is protected (%s) but no WRP or PCROP "
			      "area Glint read at connect covers it: the option bytes may have "
			      "changed since; re-read them (glint-cli options show)"),
			    what, addr, where, flag_name);
	}
}
