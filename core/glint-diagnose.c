/* glint-diagnose.c: decode a connected chip's registers into findings,
 * each with what it means for erase/program and the fix; and apply fixes. */
#define G_LOG_DOMAIN "glint-diagnose"

#include "glint-i18n.h"
#include "glint-job.h"
#include "glint-target.h"

#include <string.h>

void
glint_finding_free(GlintFinding *finding)
{
	if (finding == NULL)
		return;
	g_free(finding->id);
	g_free(finding->title);
	g_free(finding->impact);
	g_free(finding->fix);
	g_free(finding);
}

const char *
glint_severity_to_string(GlintSeverity severity)
{
	switch (severity) {
	case GLINT_SEVERITY_ERROR:
		return C_("severity", "error");
	case GLINT_SEVERITY_WARNING:
		return C_("severity", "warning");
	default:
		return C_("severity", "info");
	}
}

static void
add(GPtrArray *findings, GlintSeverity severity, const char *id, gchar *title, gchar *impact,
    gchar *fix, GlintFixKind fix_kind)
{
	GlintFinding *f = g_new0(GlintFinding, 1);
	f->severity = severity;
	f->id = g_strdup(id);
	f->title = title;
	f->impact = impact;
	f->fix = fix;
	f->fix_kind = fix_kind;
	g_ptr_array_add(findings, f);
}

static void
diagnose_rdp(GlintTarget *t, GPtrArray *findings)
{
	guint rdp = t->info.rdp_level;
	guint8 raw = glint_option_bytes_rdp_raw(&t->info.options);

	if (rdp == 1) {
		add(findings, GLINT_SEVERITY_ERROR, "rdp-level1",
		    g_strdup_printf(_("Read protection is active: RDP level 1 (RDP = 0x%02X)"),
				    raw),
		    g_strdup(_("The debugger can neither read, erase nor program the flash; every "
			       "flash access is a bus fault")),
		    g_strdup_printf(_("Set RDP back to level 0 (0x%02X). The chip then mass-erases "
				      "its flash before debug access returns"),
				    t->chip->options->rdp.level0),
		    GLINT_FIX_REGRESS_RDP);
	} else if (rdp == 2) {
		add(findings, GLINT_SEVERITY_ERROR, "rdp-level2",
		    g_strdup_printf(_("Read protection level 2 (0x%02X): debug access is "
				      "permanently disabled"),
				    raw),
		    g_strdup(_("This chip can no longer be programmed through SWD")), NULL,
		    GLINT_FIX_NONE);
	}
}

static void
diagnose_wrp_area(GlintTarget *t, const GlintProtectionArea *area, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree gchar *covers = glint_option_bytes_describe_area(&t->info.options, area, g);

	if (glint_geometry_bank_of_physical(g, area->bank) < 0) {
		add(findings, GLINT_SEVERITY_INFO, "wrp-inactive-bank",
		    g_strdup_printf(
			_("%s is set (%s) but bank %u does not exist in single-bank mode"),
			area->name, covers, area->bank + 1),
		    g_strdup(_("It has no effect in this configuration")), NULL, GLINT_FIX_NONE);
		return;
	}
	add(findings, GLINT_SEVERITY_WARNING, "wrp-active",
	    g_strdup_printf(strchr(covers, ',') != NULL ? _("%s are write-protected by %s")
							: _("%s is write-protected by %s"),
			    covers, area->name),
	    g_strdup(_("Erasing or programming this area fails with a write-protection error, and "
		       "the chip refuses a mass erase while it is active")),
	    g_strdup_printf(_("Clear %s in the option bytes (%s=off)"), area->name, area->name),
	    GLINT_FIX_REMOVE_WRP);
}

static void
diagnose_code_area(GlintTarget *t, const GlintProtectionArea *area, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree gchar *covers = glint_option_bytes_describe_area(&t->info.options, area, g);
	gboolean pcrop = area->type == GLINT_PROTECT_PCROP;

	if (glint_geometry_bank_of_physical(g, area->bank) < 0 ||
	    glint_option_bytes_area_is_empty(&t->info.options, area, g))
		return;
	if (area->flags & GLINT_AREA_FIXED) {
		/* another core's: nothing the debugger can do about it */
		add(findings, GLINT_SEVERITY_INFO, "secure-area",
		    g_strdup_printf(_("%s covers %s"), area->name, covers),
		    g_strdup(area->consequence), NULL, GLINT_FIX_NONE);
		return;
	}
	add(findings, GLINT_SEVERITY_WARNING, pcrop ? "pcrop-active" : "secure-area",
	    g_strdup_printf(_("%s covers %s"), area->name, covers),
	    g_strdup(pcrop
			 ? _("That code can only be executed: reads return errors and the units "
			     "cannot be erased or programmed")
			 : _("That area belongs to secure code: the debugger cannot read, erase or "
			     "program it")),
	    area->way_out != NULL
		? g_strdup(glint_tr(area->way_out))
		: g_strdup(_("It goes away only with a read-protection regression (RDP level 1 "
			     "to 0) where the chip allows it, which erases the whole flash")),
	    GLINT_FIX_NONE);
}

static void
diagnose_areas(GlintTarget *t, GPtrArray *findings)
{
	const GlintOptionLayout *layout = t->chip->options;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		if (!glint_option_bytes_area_active(&t->info.options, area))
			continue;
		if (area->type == GLINT_PROTECT_WRP)
			diagnose_wrp_area(t, area, findings);
		else
			diagnose_code_area(t, area, findings);
	}
}

static void
diagnose_flags(GlintTarget *t, GPtrArray *findings)
{
	guint32 sr = t->info.flash_sr;
	guint32 stale = sr & t->flash->error_flags & ~t->flash->optverr_flag;
	const char *reg = t->flash->status_name;
	g_autofree gchar *optverr = t->flash->describe_status(t->flash->optverr_flag);

	if (stale != 0) {
		g_autofree gchar *names = t->flash->describe_status(stale);
		add(findings, GLINT_SEVERITY_WARNING, "stale-flags",
		    g_strdup_printf(_("%s holds stale error flags: %s"), reg, names),
		    g_strdup(_("Left set, they make the next erase or program fail (tools that do "
			       "not clear them report \"flash write failed\"); Glint clears them "
			       "before every operation")),
		    g_strdup_printf(_("Clear the flags (write 1 to each in %s)"), reg),
		    GLINT_FIX_CLEAR_FLAGS);
	}
	if (t->flash->optverr_flag == 0 || !(sr & t->flash->optverr_flag))
		return;
	if (t->ops->options_failed_to_load != NULL && t->ops->options_failed_to_load(t)) {
		add(findings, GLINT_SEVERITY_ERROR, "optverr",
		    g_strdup_printf(
			_("The option bytes failed to load (%s.%s) and the chip runs on "
			  "its safe defaults: RDP level %u"),
			reg, optverr, t->info.rdp_level),
		    g_strdup(_("An option-byte write was interrupted (power lost or the probe "
			       "pulled during it): a value no longer matches its complement. The "
			       "flag and the read protection come back at every reset until the "
			       "option bytes are written again")),
		    g_strdup(_("Restore the factory option bytes; leaving RDP level 1 erases the "
			       "flash")),
		    GLINT_FIX_RESTORE_OPTIONS);
		return;
	}
	add(findings, GLINT_SEVERITY_WARNING, "optverr",
	    g_strdup_printf(_("%s.%s is set: option bytes were found invalid at the last load, or "
			      "the flag is a power-on leftover"),
			    reg, optverr),
	    g_strdup(
		_("If the option bytes really mismatched their complements the chip runs on "
		  "safe defaults; many parts set this flag at power-on and tools that check for "
		  "any error bit then refuse to flash")),
	    g_strdup(
		_("Clear the flag; if it returns after a power cycle, rewrite the option bytes")),
	    GLINT_FIX_CLEAR_FLAGS);
}

GPtrArray *
glint_job_diagnose(GlintSession *self, GCancellable *cancellable, GError **error)
{
	GlintTarget *t;
	g_autoptr(GPtrArray) findings = NULL;
	GlintOptionBytes ob;

	/* Refresh the registers through the same lock as any job. */
	if (!glint_job_read_options(self, &ob, error))
		return NULL;
	t = glint_session_get_target(self);
	findings = g_ptr_array_new_with_free_func((GDestroyNotify)glint_finding_free);
	diagnose_rdp(t, findings);
	diagnose_areas(t, findings);
	diagnose_flags(t, findings);
	if (t->ops->diagnose != NULL)
		t->ops->diagnose(t, findings);
	return g_steal_pointer(&findings);
}

GlintFixKind
glint_fix_for_error(const GError *error)
{
	if (error == NULL || error->domain != GLINT_ERROR)
		return GLINT_FIX_NONE;
	switch (error->code) {
	case GLINT_ERROR_WRITE_PROTECTED:
		return GLINT_FIX_REMOVE_WRP;
	case GLINT_ERROR_READ_PROTECTED:
		return GLINT_FIX_REGRESS_RDP;
	case GLINT_ERROR_TARGET_NOT_RESPONDING:
		return GLINT_FIX_CONNECT_UNDER_RESET;
	case GLINT_ERROR_OPTIONS_INCOHERENT:
		return GLINT_FIX_RESTORE_OPTIONS;
	/* GLINT_ERROR_FLASH: the driver already cleared the flags it reports,
	 * and its message says what to do (erase first after PROGERR). */
	default:
		return GLINT_FIX_NONE;
	}
}

const char *
glint_fix_label(GlintFixKind kind)
{
	switch (kind) {
	case GLINT_FIX_REMOVE_WRP:
		return _("Remove write protection");
	case GLINT_FIX_CLEAR_FLAGS:
		return _("Clear error flags");
	case GLINT_FIX_REGRESS_RDP:
		return _("Remove read protection (erases the chip)");
	case GLINT_FIX_CONNECT_UNDER_RESET:
		return _("Connect under reset");
	case GLINT_FIX_CLEAR_BFB2:
		return _("Boot from bank 1 (clear BFB2)");
	case GLINT_FIX_RESTORE_OPTIONS:
		return _("Restore factory option bytes");
	default:
		return NULL;
	}
}

gboolean
glint_fix_is_risky(GlintFixKind kind)
{
	return kind == GLINT_FIX_REGRESS_RDP || kind == GLINT_FIX_RESTORE_OPTIONS ||
	       kind == GLINT_FIX_CLEAR_BFB2;
}

/* Turns every write-protection area off; FALSE (nothing to do) when none
 * is active, so the fix never claims what it did not do. */
static gboolean
remove_wrp(GlintOptionBytes *ob, GError **error)
{
	const GlintOptionLayout *layout = ob->layout;
	guint removed = 0;
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		if (area->type != GLINT_PROTECT_WRP || !glint_option_bytes_area_active(ob, area))
			continue;
		glint_option_bytes_clear_area(ob, area);
		removed++;
	}
	if (removed > 0)
		return TRUE;
	g_set_error_literal(
	    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
	    _("No write-protection (WRP) area is active; nothing was changed. A "
	      "protection error with no WRP area comes from PCROP or a secure area, "
	      "which option bytes cannot remove"));
	return FALSE;
}

/* Factory values, but never raise the protection level nor try to shrink
 * an area the chip only lets grow (the write would be refused). */
static void
restore_factory(GlintOptionBytes *ob)
{
	GlintOptionBytes old = *ob;
	const GlintOptionLayout *layout = ob->layout;

	glint_option_bytes_init_factory(ob, layout);
	if (glint_option_bytes_rdp_level(&old) == 2)
		glint_option_bytes_set_rdp_level(ob, 2);
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		if (!(area->flags & GLINT_AREA_GROW_ONLY))
			continue;
		if (area->encoding == GLINT_AREA_RANGE) {
			guint32 sm = ((area->start_width >= 32 ? 0 : 1u << area->start_width) - 1)
				     << area->start_shift;
			guint32 em = ((area->end_width >= 32 ? 0 : 1u << area->end_width) - 1)
				     << area->end_shift;
			ob->regs[area->start_reg] =
			    (ob->regs[area->start_reg] & ~sm) | (old.regs[area->start_reg] & sm);
			ob->regs[area->end_reg] =
			    (ob->regs[area->end_reg] & ~em) | (old.regs[area->end_reg] & em);
		}
	}
}

static gboolean
fix_options(GlintSession *self, GlintFixKind kind, GlintConfirm confirm, GlintProgress *progress,
	    GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(self);
	const GlintOptionField *bfb2;
	GlintOptionBytes ob;

	if (info == NULL) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Not connected to a target; connect first"));
		return FALSE;
	}
	ob = info->options;
	switch (kind) {
	case GLINT_FIX_REMOVE_WRP:
		if (!remove_wrp(&ob, error))
			return FALSE;
		break;
	case GLINT_FIX_REGRESS_RDP:
		glint_option_bytes_set_rdp_level(&ob, 0);
		break;
	case GLINT_FIX_CLEAR_BFB2:
		bfb2 = glint_option_layout_find_field(ob.layout, "BFB2");
		if (bfb2 == NULL) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
				    _("The %s has no BFB2 option; nothing was changed"),
				    info->chip->name);
			return FALSE;
		}
		/* the factory value boots bank 1: 0 on the L4 and L0, 1 on the
		 * STM32L1, whose BFB2 = 0 boots bank 2 */
		glint_option_bytes_set_field(&ob, bfb2, bfb2->factory);
		break;
	default:
		restore_factory(&ob);
		break;
	}
	return glint_job_write_options(self, &ob, confirm, progress, cancellable, result, error);
}

gboolean
glint_job_apply_fix(GlintSession *self, GlintFixKind kind, GlintConfirm confirm,
		    GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		    GError **error)
{
	if (glint_fix_is_risky(kind) && !(confirm & GLINT_CONFIRM_RISKY)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
			    _("\"%s\" needs an explicit confirmation"), glint_fix_label(kind));
		return FALSE;
	}
	switch (kind) {
	case GLINT_FIX_CONNECT_UNDER_RESET: {
		GlintConnectOptions options = {.under_reset = TRUE};
		return glint_job_connect(self, &options, progress, cancellable, error);
	}
	case GLINT_FIX_CLEAR_FLAGS:
		return glint_session_clear_flags(self, progress, error);
	case GLINT_FIX_NONE:
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("There is no fix to apply"));
		return FALSE;
	default:
		return fix_options(self, kind, confirm, progress, cancellable, result, error);
	}
}
