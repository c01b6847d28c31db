/* glint-diagnose.c: decode a connected chip's registers into findings,
 * each with what it means for erase/program and the fix; and apply fixes. */
#define G_LOG_DOMAIN "glint-diagnose"

#include "glint-job.h"
#include "glint-target.h"

#include "flash/glint-flash-l4-regs.h"

/* PCROPxSR/ER hold double-word offsets (RM0351 3.7.x): active when
 * start <= end. */
#define FLASH_PCROP_OFFSET_MASK 0xFFFFu

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
		return "error";
	case GLINT_SEVERITY_WARNING:
		return "warning";
	default:
		return "info";
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
	guint8 raw = t->info.options.optr & FLASH_OPTR_RDP_MASK;

	if (rdp == 1) {
		add(findings, GLINT_SEVERITY_ERROR, "rdp-level1",
		    g_strdup_printf("Read protection is active: RDP level 1 (FLASH_OPTR.RDP = "
				    "0x%02X)",
				    raw),
		    g_strdup("The debugger can neither read, erase nor program the flash; every "
			     "flash access is a bus fault"),
		    g_strdup("Set RDP back to level 0 (0xAA). The chip then mass-erases its flash "
			     "(both banks) before debug access returns"),
		    GLINT_FIX_REGRESS_RDP);
	} else if (rdp == 2) {
		add(findings, GLINT_SEVERITY_ERROR, "rdp-level2",
		    g_strdup(
			"Read protection level 2 (0xCC): debug access is permanently disabled"),
		    g_strdup("This chip can no longer be programmed through SWD"), NULL,
		    GLINT_FIX_NONE);
	}
}

static void
diagnose_wrp(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++) {
		guint first, last, bank = glint_wrp_area_bank(a);
		const char *name = glint_wrp_area_name(a);
		if (!glint_option_bytes_get_wrp(&t->info.options, a, &first, &last))
			continue;
		if (bank >= g->n_banks) {
			add(findings, GLINT_SEVERITY_INFO, "wrp-inactive-bank",
			    g_strdup_printf("%s is set (pages %u-%u) but bank 2 does not exist in "
					    "single-bank mode",
					    name, first, last),
			    g_strdup("It has no effect in this configuration"), NULL,
			    GLINT_FIX_NONE);
			continue;
		}
		add(findings, GLINT_SEVERITY_WARNING, "wrp-active",
		    g_strdup_printf(
			"Pages %u-%u of bank %u (0x%08X-0x%08X) are write-protected "
			"by %s",
			first, last, bank + 1, glint_geometry_page_address(g, bank, first),
			glint_geometry_page_address(g, bank, last) + g->page_size - 1, name),
		    g_strdup("Erasing or programming these pages fails with WRPERR, and the "
			     "chip refuses a mass erase while the area is active"),
		    g_strdup_printf("Clear %s in the option bytes (%s=off)", name, name),
		    GLINT_FIX_REMOVE_WRP);
	}
}

static void
diagnose_pcrop(GlintTarget *t, GPtrArray *findings)
{
	const GlintOptionBytes *ob = &t->info.options;
	guint32 pairs[2][2] = {{ob->pcrop1sr, ob->pcrop1er}, {ob->pcrop2sr, ob->pcrop2er}};
	for (guint b = 0; b < 2 && b < t->info.geometry.n_banks; b++) {
		guint32 start = pairs[b][0] & FLASH_PCROP_OFFSET_MASK;
		guint32 end = pairs[b][1] & FLASH_PCROP_OFFSET_MASK;
		guint32 base = t->info.geometry.base + b * t->info.geometry.bank_size;
		if (start > end)
			continue;
		add(findings, GLINT_SEVERITY_WARNING, "pcrop-active",
		    g_strdup_printf("Proprietary code read protection (PCROP%u) covers "
				    "0x%08X-0x%08X",
				    b + 1, base + start * 8, base + end * 8 + 7),
		    g_strdup("That code can only be executed: reads return errors (RDERR) and the "
			     "pages cannot be erased or programmed"),
		    g_strdup("PCROP is removed only by regressing RDP from level 1 to 0 with "
			     "PCROP_RDP set, which erases the chip"),
		    GLINT_FIX_NONE);
	}
}

/* RM0351 3.4.1: when FLASH_OPTR and its complement disagree at load, the
 * chip applies a safe default whose RDP byte is 0xFF (level 1). A chip a
 * user put in level 1 reads 0xBB; 0xFF with OPTVERR means a failed load,
 * not the power-on leftover many parts show. */
#define FLASH_OPTR_RDP_SAFE_DEFAULT 0xFFu

static gboolean
options_failed_to_load(GlintTarget *t)
{
	return (t->info.options.optr & FLASH_OPTR_RDP_MASK) == FLASH_OPTR_RDP_SAFE_DEFAULT;
}

static void
diagnose_flags(GlintTarget *t, GPtrArray *findings)
{
	guint32 sr = t->info.flash_sr;
	guint32 stale = sr & t->flash->error_flags & ~t->flash->optverr_flag;

	if (stale != 0) {
		g_autofree gchar *names = t->flash->describe_sr(stale);
		add(findings, GLINT_SEVERITY_WARNING, "stale-flags",
		    g_strdup_printf("FLASH_SR holds stale error flags: %s", names),
		    g_strdup("Left set, they make the next erase or program fail with PGSERR "
			     "(tools that do not clear them report \"flash write failed\"); Glint "
			     "clears them before every operation"),
		    g_strdup("Clear the flags (write 1 to each in FLASH_SR)"),
		    GLINT_FIX_CLEAR_FLAGS);
	}
	if ((sr & t->flash->optverr_flag) && options_failed_to_load(t)) {
		add(findings, GLINT_SEVERITY_ERROR, "optverr",
		    g_strdup_printf("The option bytes failed to load (FLASH_SR.OPTVERR) and the "
				    "chip runs on its safe defaults: FLASH_OPTR reads 0x%08X, RDP "
				    "level 1",
				    t->info.options.optr),
		    g_strdup("An option-byte write was interrupted (power lost or the probe "
			     "pulled during OPTSTRT): a value no longer matches its complement. "
			     "The flag and the read protection come back at every reset until the "
			     "option bytes are written again"),
		    g_strdup("Restore the factory option bytes; leaving RDP level 1 erases the "
			     "flash"),
		    GLINT_FIX_RESTORE_OPTIONS);
	} else if (sr & t->flash->optverr_flag) {
		add(findings, GLINT_SEVERITY_WARNING, "optverr",
		    g_strdup("FLASH_SR.OPTVERR is set: option bytes were found invalid at the last "
			     "load, or the flag is a power-on leftover"),
		    g_strdup("If the option bytes really mismatched their complements the chip "
			     "runs on safe defaults; many parts set this flag at power-on and "
			     "tools that check for any error bit then refuse to flash"),
		    g_strdup(
			"Clear the flag; if it returns after a power cycle, rewrite the option "
			"bytes"),
		    GLINT_FIX_CLEAR_FLAGS);
	}
}

static void
diagnose_banks(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gboolean bfb2 = (t->info.options.optr & FLASH_OPTR_BFB2) != 0;

	if (bfb2 && g->n_banks > 1 && t->info.bank2_empty) {
		add(findings, GLINT_SEVERITY_WARNING, "bfb2-empty-bank2",
		    g_strdup_printf("BFB2 is set but bank 2 (0x%08X) holds no valid image",
				    g->base + g->bank_size),
		    g_strdup("At reset the chip starts in the system bootloader to boot from bank "
			     "2; it finds no valid vector table there, so the board may sit in the "
			     "bootloader instead of running your firmware"),
		    g_strdup("Clear BFB2 (boot from bank 1), or program a valid image into bank 2"),
		    GLINT_FIX_CLEAR_BFB2);
	} else if (bfb2 && g->n_banks < 2) {
		add(findings, GLINT_SEVERITY_WARNING, "bfb2-single-bank",
		    g_strdup("BFB2 is set but the flash is a single bank"),
		    g_strdup("Dual-bank boot cannot work without bank 2"), g_strdup("Clear BFB2"),
		    GLINT_FIX_CLEAR_BFB2);
	}
	if (!g->dualbank_configurable) {
		add(findings, GLINT_SEVERITY_INFO, "dualbank",
		    g_strdup_printf("The %u KB part is always dual bank: 2 x %u KB, %u pages of %u "
				    "bytes each; the DUALBANK bit has no effect",
				    g->size / 1024, g->bank_size / 1024, g->pages_per_bank,
				    g->page_size),
		    g_strdup("Bank 2 pages are erased with BKER"), NULL, GLINT_FIX_NONE);
	} else {
		add(findings, GLINT_SEVERITY_INFO, "dualbank",
		    g_strdup_printf("DUALBANK = %u: %u bank%s of %u KB (%u pages of %u bytes each)",
				    g->n_banks > 1, g->n_banks, g->n_banks > 1 ? "s" : "",
				    g->bank_size / 1024, g->pages_per_bank, g->page_size),
		    g_strdup("Changing DUALBANK moves pages between banks; Glint erases the flash "
			     "first"),
		    NULL, GLINT_FIX_NONE);
	}
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
	diagnose_wrp(t, findings);
	diagnose_pcrop(t, findings);
	diagnose_flags(t, findings);
	diagnose_banks(t, findings);
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
		return "Remove write protection";
	case GLINT_FIX_CLEAR_FLAGS:
		return "Clear error flags";
	case GLINT_FIX_REGRESS_RDP:
		return "Remove read protection (erases the chip)";
	case GLINT_FIX_CONNECT_UNDER_RESET:
		return "Connect under reset";
	case GLINT_FIX_CLEAR_BFB2:
		return "Boot from bank 1 (clear BFB2)";
	case GLINT_FIX_RESTORE_OPTIONS:
		return "Restore factory option bytes";
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

static gboolean
fix_options(GlintSession *self, GlintFixKind kind, GlintConfirm confirm, GlintProgress *progress,
	    GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(self);
	GlintOptionBytes ob;

	if (info == NULL) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    "Not connected to a target; connect first");
		return FALSE;
	}
	ob = info->options;
	switch (kind) {
	case GLINT_FIX_REMOVE_WRP:
		for (guint a = 0; a < GLINT_WRP_N_AREAS; a++)
			glint_option_bytes_set_wrp(&ob, a, FALSE, 0, 0);
		break;
	case GLINT_FIX_REGRESS_RDP:
		ob.optr = (ob.optr & ~FLASH_OPTR_RDP_MASK) | GLINT_RDP_LEVEL0;
		break;
	case GLINT_FIX_CLEAR_BFB2:
		ob.optr &= ~FLASH_OPTR_BFB2;
		break;
	default: {
		/* Factory values, but never raise the protection level. */
		guint32 rdp = ob.optr & FLASH_OPTR_RDP_MASK;
		glint_option_bytes_init_factory(&ob);
		if (rdp == GLINT_RDP_LEVEL2)
			ob.optr = (ob.optr & ~FLASH_OPTR_RDP_MASK) | rdp;
		break;
	}
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
			    "\"%s\" needs an explicit confirmation", glint_fix_label(kind));
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
				    "There is no fix to apply");
		return FALSE;
	default:
		return fix_options(self, kind, confirm, progress, cancellable, result, error);
	}
}
