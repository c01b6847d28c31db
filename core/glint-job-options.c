/* glint-job-options.c: writing option bytes: confirmations, the bank
 * layout change, OBL reload, reconnect and the check that the chip kept them. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-job-private.h"

static gboolean
check_confirmation(GPtrArray *changes, GlintConfirm confirm, GError **error)
{
	GlintOptionRisk risk = glint_option_changes_risk(changes);
	g_autoptr(GString) why = g_string_new(NULL);

	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		if (c->risk != GLINT_OPTION_RISK_NONE && c->consequence != NULL)
			g_string_append_printf(why, " %s: %s.", c->name, c->consequence);
	}
	if ((risk & GLINT_OPTION_RISK_PERMANENT) && !(confirm & GLINT_CONFIRM_PERMANENT_LOCK)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    "Refusing to set RDP level 2 without the permanent-lock confirmation "
			    "(--confirm-permanent-lock).%s",
			    why->str);
		return FALSE;
	}
	if ((risk & ~GLINT_OPTION_RISK_PERMANENT) &&
	    !(confirm & (GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK))) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    "These changes need an explicit confirmation (--confirm):%s", why->str);
		return FALSE;
	}
	return TRUE;
}

/* A WRP area that changes must lie inside its bank: the option registers
 * take any 8-bit page number, so raw values could name pages that do not
 * exist on this part. Areas left as they are pass, whatever they hold, so
 * that a chip set up by another tool can still be repaired. */
static gboolean
check_wrp_areas(GlintTarget *t, const GlintOptionBytes *options, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++) {
		guint first, last, old_first, old_last;
		gboolean was =
		    glint_option_bytes_get_wrp(&t->info.options, a, &old_first, &old_last);
		if (!glint_option_bytes_get_wrp(options, a, &first, &last))
			continue;
		if (was && first == old_first && last == old_last)
			continue;
		if (glint_wrp_area_bank(a) < g->n_banks && last < g->pages_per_bank)
			continue;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    "%s would protect pages %u-%u, but bank %u of this %u KB %s has pages "
			    "0-%u; give a range inside the bank. Nothing was changed on the chip",
			    glint_wrp_area_name(a), first, last, glint_wrp_area_bank(a) + 1,
			    g->size / 1024, t->chip->name, g->pages_per_bank - 1);
		return FALSE;
	}
	return TRUE;
}

static gboolean
reattach(GlintSession *self, GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	GlintConnectOptions options = self->target->connect_options;
	g_autoptr(GError) error_local = NULL;

	if (glint_session_connect_locked(self, &options, progress, cancellable, &error_local))
		return TRUE;
	/* Firmware that starts after the reload may have disabled SWD again. */
	if (!options.under_reset &&
	    g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
		options.under_reset = TRUE;
		g_clear_error(&error_local);
		return glint_session_connect_locked(self, &options, progress, cancellable, error);
	}
	g_propagate_prefixed_error(error, g_steal_pointer(&error_local),
				   "Reconnecting after the option-byte reload failed: ");
	return FALSE;
}

static gboolean
confirm_written(GlintTarget *t, const GlintOptionBytes *want, GError **error)
{
	const GlintOptionBytes *got = &t->info.options;
	const guint32 *w = (const guint32 *)want, *g = (const guint32 *)got;

	if (t->info.flash_sr & t->flash->optverr_flag) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
			    "After reloading, the chip reports FLASH_SR.OPTVERR: the option bytes "
			    "do not match their complements and it is running on safe defaults. "
			    "Write the option bytes again (or restore the factory values)");
		return FALSE;
	}
	for (guint i = 0; i < sizeof(GlintOptionBytes) / sizeof(guint32); i++) {
		if (w[i] == g[i])
			continue;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
			    "The chip did not keep the new option bytes: register %u reads 0x%08X "
			    "after reload, 0x%08X was written. Retry; if it persists, power-cycle "
			    "the board",
			    i, g[i], w[i]);
		return FALSE;
	}
	return TRUE;
}

static gboolean
write_options_locked(GlintSession *self, const GlintOptionBytes *options, GlintConfirm confirm,
		     GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	GlintTarget *t = self->target;
	g_autoptr(GPtrArray) changes = NULL;
	GlintOptionBytes want = *options;
	guint32 dualbank = 1u << 21;

	if (!glint_target_refresh(t, error))
		return FALSE;
	changes = glint_option_bytes_diff(&t->info.options, options, t->chip, &t->info.geometry,
					  t->info.bank2_empty);
	if (changes->len == 0) {
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   "The option bytes already hold these values; nothing to write");
		return TRUE;
	}
	if (!check_wrp_areas(t, options, error) || !check_confirmation(changes, confirm, error))
		return FALSE;
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE, "%s: %s -> %s", c->name,
				   c->old_value, c->new_value);
	}
	if (glint_job_check_cancelled(cancellable, error)) {
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   "Cancelled before writing the option bytes; nothing on the chip "
				   "was changed");
		return FALSE;
	}
	/* Old contents would be re-interpreted under the new bank layout. */
	if (((t->info.options.optr ^ options->optr) & dualbank) && t->info.rdp_level == 0 &&
	    t->info.geometry.dualbank_configurable) {
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
				   "DUALBANK changes: mass-erasing the flash first");
		if (!t->flash->prepare(t, progress, NULL, error))
			return FALSE;
		if (!t->flash->mass_erase(t, error)) {
			t->flash->finish(t);
			return FALSE;
		}
		t->flash->finish(t);
	}
	glint_progress_begin_step(progress, 0);
	if (!t->flash->write_options(t, options, progress, error))
		return FALSE;
	/* The new option bytes are in the chip now: a cancel here would only
	 * leave the session detached from a chip that holds them, unconfirmed.
	 * Reconnecting is part of the write. */
	if (!reattach(self, progress, NULL, error))
		return FALSE;
	if (!confirm_written(self->target, &want, error))
		return FALSE;
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   "Option bytes written and reloaded; the chip now reports them");
	return TRUE;
}

gboolean
glint_job_write_options(GlintSession *self, const GlintOptionBytes *options, GlintConfirm confirm,
			GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
			GError **error)
{
	GlintJobClock clock;
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	glint_progress_add_step(progress, "Writing option bytes", 1);
	ok = write_options_locked(self, options, confirm, progress, cancellable, error);
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, "Option bytes");
	glint_job_end(&clock);
	return ok;
}
