/* glint-job-options.c: writing option bytes: confirmations, the bank
 * layout change, OBL reload, reconnect and the check that the chip kept them. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-i18n.h"
#include "glint-job-private.h"

static gboolean
check_confirmation(GPtrArray *changes, GlintConfirm confirm, GError **error)
{
	GlintOptionRisk risk = glint_option_changes_risk(changes);
	g_autoptr(GString) why = g_string_new(NULL);
	g_autoptr(GString) permanent = g_string_new(NULL);

	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		if (c->risk == GLINT_OPTION_RISK_NONE || c->consequence == NULL)
			continue;
		g_string_append_printf(why, " %s: %s.", c->name, c->consequence);
		if (c->risk & GLINT_OPTION_RISK_PERMANENT)
			g_string_append_printf(permanent, "%s%s", permanent->len > 0 ? ", " : "",
					       c->name);
	}
	if ((risk & GLINT_OPTION_RISK_PERMANENT) && !(confirm & GLINT_CONFIRM_PERMANENT_LOCK)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("Refusing a change that can never be undone (%s) without the "
			      "permanent-lock confirmation (--confirm-permanent-lock). Nothing was "
			      "written.%s"),
			    permanent->str, why->str);
		return FALSE;
	}
	if ((risk & ~GLINT_OPTION_RISK_PERMANENT) &&
	    !(confirm & (GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK))) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("These changes need an explicit confirmation (--confirm):%s Nothing "
			      "was written"),
			    why->str);
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
				   _("Reconnecting after the option-byte reload failed: "));
	return FALSE;
}

static gboolean
confirm_written(GlintTarget *t, const GlintOptionBytes *want, GlintOptionsApplied applied,
		GError **error)
{
	const GlintOptionLayout *layout = t->chip->options;
	const GlintOptionBytes *got = &t->info.options;

	/* some chips raise the flag after every reset with sound option bytes
	 * (STM32WB: ES0394 2.2.9): the family tells a real failed load */
	if ((t->info.flash_sr & t->flash->optverr_flag) &&
	    (t->ops->options_failed_to_load == NULL || t->ops->options_failed_to_load(t))) {
		g_autofree gchar *flag = t->flash->describe_status(t->flash->optverr_flag);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
			    _("After reloading, the chip reports %s.%s: the option bytes do not "
			      "match their complements and it is running on safe defaults. Write "
			      "the option bytes again (or restore the factory values)"),
			    t->flash->status_name, flag);
		return FALSE;
	}
	if (applied == GLINT_OPTIONS_NEED_POWER_CYCLE)
		return TRUE;
	for (guint i = 0; i < layout->n_regs; i++) {
		guint32 mask = layout->regs[i].verify_mask ? layout->regs[i].verify_mask : ~0u;
		if (((want->regs[i] ^ got->regs[i]) & mask) == 0)
			continue;
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT,
			    _("The chip did not keep the new option bytes: %s reads 0x%08X after "
			      "reload, 0x%08X was written. Retry; if it persists, power-cycle the "
			      "board"),
			    layout->regs[i].name, got->regs[i], want->regs[i]);
		return FALSE;
	}
	return TRUE;
}

static gboolean
write_options_locked(GlintSession *self, const GlintOptionBytes *options, GlintConfirm confirm,
		     GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		     GError **error)
{
	GlintTarget *t = self->target;
	g_autoptr(GPtrArray) changes = NULL;
	GlintOptionBytes want = *options;
	GlintOptionContext ctx;
	GlintOptionsApplied applied = GLINT_OPTIONS_RELOADED;
	GlintRdpRank rdp_before, rdp_after;

	if (!glint_target_refresh(t, error))
		return FALSE;
	rdp_before = glint_option_bytes_rdp_rank(&t->info.options);
	if (options->layout != t->chip->options) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("These option bytes were made for another chip than the connected %s; "
		      "nothing was written"),
		    t->chip->name);
		return FALSE;
	}
	glint_target_info_option_context(&t->info, &ctx);
	changes = glint_option_bytes_diff(&ctx, &t->info.options, options);
	if (changes->len == 0) {
		glint_progress_log(
		    progress, G_LOG_LEVEL_MESSAGE,
		    _("The option bytes already hold these values; nothing to write"));
		return TRUE;
	}
	if (!glint_option_bytes_check(&ctx, &t->info.options, options, error) ||
	    !check_confirmation(changes, confirm, error))
		return FALSE;
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE, _("%s: %s -> %s"), c->name,
				   c->old_value, c->new_value);
	}
	if (glint_job_cancelled_after(
		cancellable, error,
		_("Cancelled before writing the option bytes; nothing on the chip "
		  "was changed"))) {
		return FALSE;
	}
	if (t->chip->options->chip_effects != NULL)
		t->chip->options->chip_effects(&ctx, &t->info.options, &want);
	if (t->ops->before_option_write != NULL &&
	    !t->ops->before_option_write(t, options, progress, error))
		return FALSE;
	glint_progress_begin_step(progress, 0);
	if (!t->flash->write_options(t, options, progress, &applied, error))
		return FALSE;
	/* RM0351 3.5.1: at level 2 the chip closes its debug port for good as
	 * it reloads the option bytes: there is nothing to reconnect to, and
	 * that silence is the level working, not a wiring fault. */
	if (applied == GLINT_OPTIONS_RELOADED && glint_option_bytes_rdp_level(&want) == 2) {
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    _("Read protection level 2 is set: the %s closed its debug port "
		      "for good as it reloaded the option bytes; it can no longer be "
		      "read, written or debugged"),
		    t->chip->name);
		glint_target_free(g_atomic_pointer_exchange(&self->target, NULL));
		return TRUE;
	}
	/* The new option bytes are in the chip now: a cancel here would only
	 * leave the session detached from a chip that holds them, unconfirmed.
	 * Reconnecting is part of the write. */
	if (applied == GLINT_OPTIONS_RELOADED) {
		if (!reattach(self, progress, NULL, error))
			return FALSE;
	} else if (!glint_target_refresh(self->target, error)) {
		return FALSE;
	}
	if (!confirm_written(self->target, &want, applied, error))
		return FALSE;
	rdp_after = glint_option_bytes_rdp_rank(&self->target->info.options);
	if (rdp_before > rdp_after && rdp_after < GLINT_RDP_LEVEL_1 &&
	    rdp_before != GLINT_RDP_LEVEL_2 && applied != GLINT_OPTIONS_NEED_POWER_CYCLE) {
		/* RM0351 3.5.1: the regression erases the whole flash by itself;
		 * the log must not leave that implicit. A regression to level 0.5
		 * (TrustZone parts) erases the non-secure flash only. */
		const GlintFlashGeometry *g = &self->target->info.geometry;
		g_autofree gchar *shape = glint_geometry_describe(g);
		if (rdp_after == GLINT_RDP_LEVEL_0_5) {
			glint_progress_log(
			    progress, G_LOG_LEVEL_WARNING,
			    _("Read protection 1 -> 0.5: the chip erased its "
			      "non-secure flash as it regressed; the secure pages stay"));
		} else {
			glint_progress_log(
			    progress, G_LOG_LEVEL_WARNING,
			    _("Read protection %s -> 0: the chip mass-erased its flash "
			      "(%s, 0x%08X-0x%08X) as it regressed; the firmware is gone"),
			    glint_rdp_rank_name(rdp_before), shape, g->base,
			    glint_geometry_end(g) - 1);
			if (result != NULL)
				result->pages_erased = g->n_units;
		}
	}
	if (applied == GLINT_OPTIONS_NEED_POWER_CYCLE)
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    _("Option bytes written; the %s loads them only at the next "
		      "power-on: power-cycle the board (unplug its supply) for them to "
		      "take effect"),
		    t->chip->name);
	else
		glint_progress_log(
		    progress, G_LOG_LEVEL_MESSAGE,
		    _("Option bytes written and reloaded; the chip now reports them"));
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
	glint_progress_add_step(progress, _("Writing option bytes"), 1);
	/* no firmware runs while its option bytes change (see
	 * glint_job_check_writable) */
	ok = !self->target->core_running || glint_target_halt(self->target, error);
	ok = ok &&
	     write_options_locked(self, options, confirm, progress, cancellable, result, error);
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, _("Option bytes"));
	glint_job_end(&clock);
	return ok;
}
