/* glint-l5.c: the STM32L5/U5 family (RM0438, RM0456): its geometry rule
 * (DBANK/DB256K/DUALBANK, SWAP_BANK), debug set-up, and the diagnosis
 * rules only this family needs: the TrustZone state and what it leaves
 * the debugger, RDP level 0.5, BOOT_LOCK, permanent WRP areas. */
#define G_LOG_DOMAIN "glint-l5"

#include "glint-i18n.h"
#include "glint-l5.h"

#include "glint-error.h"
#include "glint-job.h"
#include "glint-l5-regs.h"

const GlintL5Chip *
glint_l5_chip(const GlintTarget *t)
{
	return t->chip->data;
}

guint32
glint_l5_reg(guint32 offset)
{
	/* Glint is a non-secure debugger: the non-secure register set always
	 * (RM0438 6.3.4: with TZEN = 0 it is the only one that works) */
	return FLASH_L5_NS_BASE + offset;
}

guint32
glint_l5_dual_mask(const GlintChip *chip, guint32 flash_kb)
{
	const GlintL5Chip *data = chip->data;
	if (flash_kb == chip->flash_kb_max)
		return data->max_always_dual ? 0 : data->dual_mask;
	return data->dual_mask_small;
}

const char *
glint_l5_dual_bit_name(const GlintChip *chip, guint32 flash_kb)
{
	const GlintL5Chip *data = chip->data;
	return flash_kb == chip->flash_kb_max ? data->dual_bit_name : data->dual_bit_name_small;
}

gboolean
glint_l5_secure_range(const GlintTarget *t, guint32 addr, guint32 len,
		      const GlintProtectionArea **area)
{
	const GlintProtectionArea *a;
	if (!glint_l5_tzen(&t->info.options) || len == 0)
		return FALSE;
	a = glint_option_bytes_protecting_range(&t->info.options, &t->info.geometry, addr, len,
						GLINT_PROTECT_SECURE);
	if (area != NULL)
		*area = a;
	return a != NULL;
}

/* Geometry -------------------------------------------------------------------- */

void
glint_l5_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		  gdouble volts, GlintFlashGeometry *geometry)
{
	const GlintL5Chip *data = chip->data;
	guint32 size = flash_kb * 1024;
	guint32 mask = glint_l5_dual_mask(chip, flash_kb);
	gboolean dual = mask == 0 || (ob->regs[L5_OB_OPTR] & mask) != 0;
	gboolean swapped;
	GlintUnitRun run;

	/* RM0438 6.3.7: double words; RM0456 7.3.7: quad words */
	glint_geometry_init(geometry, chip->flash_base, 0xFF, data->program_unit, "page");
	geometry->bank_mode_configurable = mask != 0;
	if (!dual) {
		glint_geometry_add_uniform_banks(geometry, 1, size / data->page_size,
						 data->page_size);
		return;
	}
	/* RM0438 6.3.1: two banks back to back; SWAP_BANK (loaded at the last
	 * option load) maps bank 2 first, and erase and WRP name the
	 * physical banks */
	swapped = (ob->regs[L5_OB_OPTR] & FLASH_OPTR_SWAP_BANK) != 0;
	run.size = data->dual_page_size;
	run.count = size / 2 / data->dual_page_size;
	glint_geometry_add_bank(geometry, chip->flash_base, swapped ? 1 : 0, 0, &run, 1);
	glint_geometry_add_bank(geometry, chip->flash_base + size / 2, swapped ? 0 : 1, 0, &run, 1);
	geometry->banks_swapped = swapped;
}

/* Debug set-up ----------------------------------------------------------------- */

static gboolean
l5_debug_setup(GlintTarget *t, GError **error)
{
	guint32 fz = 0;
	/* RM0438 47.4.4: the watchdogs keep counting while the core is halted
	 * unless frozen, and would reset the chip in the middle of a job */
	return glint_target_read32(t, DBGMCU_L5_APB1FZR1, &fz, error) &&
	       glint_target_write32(t, DBGMCU_L5_APB1FZR1,
				    fz | DBGMCU_APB1FZR1_IWDG_STOP | DBGMCU_APB1FZR1_WWDG_STOP,
				    error);
}

/* Diagnosis -------------------------------------------------------------------- */

static void
add_finding(GPtrArray *findings, GlintSeverity severity, const char *id, gchar *title,
	    gchar *impact, gchar *fix, GlintFixKind fix_kind)
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

/* "SECWM1 pages 0-15 of bank 1 (...)" for every active secure area, or NULL */
static gchar *
secure_areas(GlintTarget *t)
{
	const GlintOptionLayout *layout = t->chip->options;
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *a = &layout->areas[i];
		g_autofree gchar *covers = NULL;
		if (a->type != GLINT_PROTECT_SECURE ||
		    !glint_option_bytes_area_active(&t->info.options, a) ||
		    glint_geometry_bank_of_physical(&t->info.geometry, a->bank) < 0)
			continue;
		covers = glint_option_bytes_describe_area(&t->info.options, a, &t->info.geometry);
		g_string_append_printf(s, "%s%s %s", s->len > 0 ? "; " : "", a->name, covers);
	}
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

static guint
non_secure_units(GlintTarget *t)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint n = 0;
	for (guint i = 0; i < g->n_units; i++) {
		GlintFlashUnit u;
		glint_geometry_get_unit(g, i, &u);
		if (glint_option_bytes_protecting(&t->info.options, g, &u, GLINT_PROTECT_SECURE) ==
		    NULL)
			n++;
	}
	return n;
}

static void
diagnose_trustzone(GlintTarget *t, GPtrArray *findings)
{
	g_autofree gchar *secure = NULL;
	GlintRdpRank rank = glint_option_bytes_rdp_rank(&t->info.options);
	guint ns;

	if (!glint_l5_tzen(&t->info.options)) {
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "trustzone",
		    g_strdup(_("TrustZone is off (TZEN = 0): the whole flash is non-secure")),
		    g_strdup(_("The debugger works through the non-secure flash registers "
			       "(FLASH_NSKEYR, FLASH_NSCR, FLASH_NSSR) as on any STM32; the "
			       "secure registers read as zero")),
		    NULL, GLINT_FIX_NONE);
		return;
	}
	secure = secure_areas(t);
	ns = non_secure_units(t);
	add_finding(
	    findings, GLINT_SEVERITY_INFO, "trustzone",
	    g_strdup_printf(_("TrustZone is on (TZEN = 1), read protection level %s: secure pages: "
			      "%s; %u %s non-secure"),
			    glint_rdp_rank_name(rank), secure != NULL ? secure : _("none"), ns,
			    glint_geometry_unit_noun(&t->info.geometry, ns)),
	    g_strdup_printf(
		_("Glint works on the non-secure side: it erases and programs the non-secure pages "
		  "through FLASH_NSCR, without its on-target loader (the core may be in secure "
		  "state), and refuses the secure ones naming their area. %s"),
		rank == GLINT_RDP_LEVEL_0
		    ? _("At level 0 the secure pages can be read at their secure alias 0x0C000000")
		    : _("At this level the secure side is closed to the debugger: secure flash, "
			"secure SRAM and the secure registers refuse it")),
	    NULL, GLINT_FIX_NONE);
	if (ns == 0)
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "all-secure",
		    g_strdup(_("Every page of the flash is secure")),
		    g_strdup(_("Nothing is left that a non-secure debugger can erase or "
			       "program: the secure watermarks cover the whole flash (their "
			       "factory values), as after TZEN was set alone")),
		    g_strdup(_("Give the non-secure firmware its pages by moving the "
			       "watermarks (glint-cli options set SECWM1=0-N SECWM2=off "
			       "--confirm) while RDP is level 0")),
		    GLINT_FIX_NONE);
}

static void
diagnose_rdp_half(GlintTarget *t, GPtrArray *findings)
{
	const GlintL5Chip *data = glint_l5_chip(t);
	if (glint_option_bytes_rdp_rank(&t->info.options) != GLINT_RDP_LEVEL_0_5)
		return;
	add_finding(
	    findings, GLINT_SEVERITY_WARNING, "rdp-level0.5",
	    g_strdup_printf(_("Read protection level 0.5 (RDP = 0x%02X, TZEN = 1)"),
			    glint_option_bytes_rdp_raw(&t->info.options)),
	    g_strdup(
		_("The debugger reaches only the non-secure side: non-secure flash, SRAM and "
		  "peripherals; the secure flash (also at 0x0C000000), the secure SRAM and the "
		  "secure registers refuse it")),
	    data->half_regresses_to_0
		? g_strdup(_("Set RDP back to level 0 (0xAA): the chip erases its whole flash, "
			     "secure pages too"))
		: g_strdup_printf(
		      _("This chip has no regression from 0.5 to 0 (AN5347): set RDP=1, "
			"then RDP=0, which erases the whole flash (%s)"),
		      data->rm),
	    data->half_regresses_to_0 ? GLINT_FIX_REGRESS_RDP : GLINT_FIX_NONE);
}

static void
diagnose_boot_lock(GlintTarget *t, GPtrArray *findings)
{
	const GlintL5Chip *data = glint_l5_chip(t);
	guint32 lock = 0, addr = 0;
	if (!glint_option_bytes_get_named(&t->info.options, "BOOT_LOCK", &lock) || lock == 0 ||
	    !glint_l5_tzen(&t->info.options))
		return;
	glint_option_bytes_get_named(&t->info.options, "SECBOOTADD0", &addr);
	add_finding(
	    findings, GLINT_SEVERITY_WARNING, "boot-lock",
	    g_strdup_printf(_("BOOT_LOCK is set: the chip always boots from SECBOOTADD0 = 0x%08X"),
			    addr << 7),
	    g_strdup(
		_("BOOT0, nSWBOOT0 and the boot addresses no longer choose anything, and "
		  "SECBOOTADD0 cannot change: the system bootloader is out of reach, and a "
		  "secure firmware that never hands over to non-secure code keeps the debugger "
		  "out once RDP is raised")),
	    data->boot_lock_permanent
		? g_strdup(_("None: BOOT_LOCK can never be cleared on this chip (AN5347)"))
		: g_strdup(_("While RDP is level 0 it can be cleared: glint-cli options set "
			     "BOOT_LOCK=0")),
	    GLINT_FIX_NONE);
}

/* U5: OpenOCD 0.12's `flash protect` writes WRPxyR without UNLOCK, which
 * makes the area permanent (fixed after 0.12, commit cbc32c383) */
static void
diagnose_wrp_locked(GlintTarget *t, GPtrArray *findings)
{
	static const char *const areas[] = {"WRP1A", "WRP1B", "WRP2A", "WRP2B"};
	const GlintOptionLayout *layout = t->chip->options;
	if (!glint_l5_chip(t)->wrp_unlock)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(areas); i++) {
		const GlintProtectionArea *a = glint_option_layout_find_area(layout, areas[i]);
		g_autofree gchar *covers = NULL;
		if ((t->info.options.regs[a->start_reg] & FLASH_WRPR_UNLOCK) ||
		    !glint_option_bytes_area_active(&t->info.options, a))
			continue;
		covers = glint_option_bytes_describe_area(&t->info.options, a, &t->info.geometry);
		add_finding(
		    findings, GLINT_SEVERITY_ERROR, "wrp-locked",
		    g_strdup_printf(_("%s is locked for good (%s_UNLOCK = 0): %s"), a->name,
				    a->name, covers),
		    g_strdup(_("Those pages can never be erased or programmed again, and the "
			       "area can no longer be changed or removed (RM0456 7.9.17). "
			       "OpenOCD 0.12's `flash protect` writes the register that way")),
		    NULL, GLINT_FIX_NONE);
	}
}

static void
diagnose_banks(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 page = g->banks[0].runs[0].size;
	const char *bit = glint_l5_dual_bit_name(t->chip, t->info.flash_kb);

	if (!g->bank_mode_configurable) {
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "dualbank",
		    g_strdup_printf(_("The %u KB part is always two banks of %u pages of %u "
				      "bytes"),
				    g->size / 1024, g->banks[0].n_units, page),
		    g_strdup(_("Bank 2 pages are erased with BKER")), NULL, GLINT_FIX_NONE);
	} else {
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "dualbank",
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
						"%s = %u: %u bank of %u KB (%u pages of %u bytes)",
						"%s = %u: %u banks of %u KB (%u pages of %u bytes)",
						g->n_banks),
				    bit, g->n_banks > 1, g->n_banks, g->banks[0].size / 1024,
				    g->banks[0].n_units, page),
		    g_strdup_printf(_("Changing %s changes the banks and the page size; "
				      "Glint erases the flash first"),
				    bit),
		    NULL, GLINT_FIX_NONE);
	}
	if (g->banks_swapped)
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "banks-swapped",
		    g_strdup_printf(_("SWAP_BANK = 1: bank 2 answers at 0x%08X, bank 1 at "
				      "0x%08X"),
				    g->banks[0].base, g->banks[1].base),
		    g_strdup(_("The chip boots bank 2. Erase (BKER) and the WRP areas follow "
			       "the physical bank: the pages at 0x08000000 are bank 2's; "
			       "Glint handles that")),
		    NULL, GLINT_FIX_NONE);
}

static void
l5_diagnose(GlintTarget *t, GPtrArray *findings)
{
	diagnose_trustzone(t, findings);
	diagnose_rdp_half(t, findings);
	diagnose_boot_lock(t, findings);
	diagnose_wrp_locked(t, findings);
	diagnose_banks(t, findings);
}

/* Old contents would be re-interpreted under the new bank layout. */
static gboolean
l5_before_option_write(GlintTarget *t, const GlintOptionBytes *new_ob, GlintProgress *progress,
		       GError **error)
{
	guint32 mask = glint_l5_dual_mask(t->chip, t->info.flash_kb);
	gboolean ok;
	if (mask == 0 || !((t->info.options.regs[L5_OB_OPTR] ^ new_ob->regs[L5_OB_OPTR]) & mask) ||
	    t->info.rdp_level != 0)
		return TRUE;
	if (glint_l5_tzen(&t->info.options)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("%s changes the banks, and the flash must be erased first; with "
			      "TrustZone on, Glint (non-secure) cannot erase the secure pages. "
			      "Change it with TZEN = 0. Nothing was changed"),
			    glint_l5_dual_bit_name(t->chip, t->info.flash_kb));
		return FALSE;
	}
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("%s changes: mass-erasing the flash first"),
			   glint_l5_dual_bit_name(t->chip, t->info.flash_kb));
	if (!t->flash->prepare(t, progress, NULL, error))
		return FALSE;
	ok = t->flash->mass_erase(t, error);
	t->flash->finish(t);
	return ok;
}

/* A chip a user put in level 1 reads 0xBB; 0xFF with OPTVERR means a
 * failed load (L5; the U5 has no OPTVERR) */
static gboolean
l5_options_failed_to_load(GlintTarget *t)
{
	return glint_option_bytes_rdp_raw(&t->info.options) == FLASH_OPTR_RDP_SAFE_DEFAULT;
}

const GlintFamilyOps glint_l5_ops = {
    .geometry = glint_l5_geometry,
    .debug_setup = l5_debug_setup,
    .flash = &glint_l5_flash_ops,
    .diagnose = l5_diagnose,
    .before_option_write = l5_before_option_write,
    .options_failed_to_load = l5_options_failed_to_load,
    .loader = &glint_l5_loader,
    .loader_for = glint_l5_loader_for,
};
