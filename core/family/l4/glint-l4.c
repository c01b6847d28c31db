/* glint-l4.c: the STM32L4 family (RM0351): its chips, geometry rule, debug
 * set-up and the diagnosis rules only this family needs (dual-bank boot). */
#define G_LOG_DOMAIN "glint-l4"

#include "glint-i18n.h"
#include "glint-l4.h"

#include "glint-job.h"
#include "glint-l4-regs.h"

const GlintL4Chip *
glint_l4_chip(const GlintTarget *t)
{
	return t->chip->data;
}

guint32
glint_l4_dual_mask(const GlintChip *chip, guint32 flash_kb)
{
	const GlintL4Chip *data = chip->data;
	if (flash_kb != chip->flash_kb_max && data->dual_mask_small != 0)
		return data->dual_mask_small;
	return data->dual_mask;
}

const char *
glint_l4_dual_bit_name(const GlintChip *chip, guint32 flash_kb)
{
	const GlintL4Chip *data = chip->data;
	if (flash_kb != chip->flash_kb_max && data->dual_bit_name_small != NULL)
		return data->dual_bit_name_small;
	return data->dual_bit_name;
}

guint32
glint_l4_reg(const GlintTarget *t, guint32 offset)
{
	return glint_l4_chip(t)->flash_regs + offset;
}

guint32
glint_l4_cr_bker(const GlintL4Chip *data)
{
	return data->cr_bker != 0 ? data->cr_bker : FLASH_CR_BKER;
}

guint32
glint_l4_cr_pnb_mask(const GlintL4Chip *data)
{
	return data->cr_pnb_mask != 0 ? data->cr_pnb_mask : FLASH_CR_PNB_MASK;
}

guint32
glint_l4_sr_busy(const GlintL4Chip *data)
{
	return data->sr_busy != 0 ? data->sr_busy : FLASH_SR_BSY;
}

guint32
glint_l4_cr_mass_erase(const GlintL4Chip *data)
{
	return data->cr_mass_erase != 0 ? data->cr_mass_erase : FLASH_CR_MER1 | FLASH_CR_MER2;
}

guint32
glint_l4_page_erase_cr(GlintTarget *t, const GlintFlashUnit *unit)
{
	const GlintL4Chip *data = glint_l4_chip(t);
	/* bank 2's pages as the manual numbers them (G0B1: from 256) */
	guint32 pnb = unit->in_bank + (unit->physical > 0 ? data->bank2_pnb_base : 0);
	guint32 cr = FLASH_CR_PER | ((pnb << FLASH_CR_PNB_SHIFT) & glint_l4_cr_pnb_mask(data));
	return unit->physical > 0 ? cr | glint_l4_cr_bker(data) : cr;
}

/* Geometry -------------------------------------------------------------------- */

void
glint_l4_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		  gdouble volts, GlintFlashGeometry *geometry)
{
	const GlintL4Chip *data = chip->data;
	guint32 size = flash_kb * 1024;
	gboolean is_max = flash_kb == chip->flash_kb_max;
	gboolean bit = (ob->regs[L4_OB_OPTR] & glint_l4_dual_mask(chip, flash_kb)) != 0;
	gboolean dual = FALSE;
	guint32 page = data->page_size;

	/* RM0351 3.3.1, RM0394 3.3.1, RM0440 3.3.1: double words */
	glint_geometry_init(geometry, chip->flash_base, 0xFF, 8, "page");
	switch (data->bank_rule) {
	case GLINT_L4_BANKS_DUALBANK_BIT:
		/* the largest part is always dual bank, the smaller ones follow
		 * DUALBANK; the page size stays */
		dual = is_max || bit;
		geometry->bank_mode_configurable = !is_max;
		break;
	case GLINT_L4_BANKS_DBANK:
		/* DBANK: two banks of smaller pages */
		dual = bit;
		page = bit ? data->dual_page_size : data->page_size;
		geometry->bank_mode_configurable = TRUE;
		break;
	default:
		break;
	}
	if (!dual) {
		glint_geometry_add_uniform_banks(geometry, 1, size / page, page);
		return;
	}
	{
		/* bank 2 at half the size, or at a fixed address with a hole
		 * below it on trimmed parts (G47x: 0x08040000) */
		GlintUnitRun run = {page, size / 2 / page};
		guint32 bank2 = data->bank2_fixed != 0 ? data->bank2_fixed : size / 2;
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, &run, 1);
		glint_geometry_add_bank(geometry, chip->flash_base + bank2, 1, data->bank2_pnb_base,
					&run, 1);
	}
}

/* The bootloader's dual-bank boot (AN2606) may have mapped bank 2 first:
 * FB_MODE says so; erase and protection then name the physical banks. */
static gboolean
l4_read_bank_mapping(GlintTarget *t, GlintFlashGeometry *g, GError **error)
{
	const GlintL4Chip *data = glint_l4_chip(t);
	guint32 memrmp = 0;
	if (g->n_banks < 2)
		return TRUE;
	if (data->swap_clear_bit != 0) {
		/* RM0444 3.3.2: nSWAP_BANK = 0 at the option load maps bank 2 at
		 * 0x08000000 */
		if (t->info.options.regs[L4_OB_OPTR] & data->swap_clear_bit)
			return TRUE;
	} else if (!data->bfb2) {
		return TRUE;
	} else {
		if (!glint_target_read32(t, SYSCFG_L4_MEMRMP, &memrmp, error))
			return FALSE;
		if (!(memrmp & SYSCFG_MEMRMP_FB_MODE))
			return TRUE;
	}
	/* the banks are the same size: only the names change places, and the
	 * page numbers that follow them (G0B1: bank 2's from 256) */
	g->banks[0].physical = 1;
	g->banks[1].physical = 0;
	{
		guint first = g->banks[0].first_number;
		g->banks[0].first_number = g->banks[1].first_number;
		g->banks[1].first_number = first;
	}
	g->banks_swapped = TRUE;
	return TRUE;
}

/* Debug set-up ----------------------------------------------------------------- */

static gboolean
l4_debug_setup(GlintTarget *t, GError **error)
{
	const GlintL4Chip *data = glint_l4_chip(t);
	guint32 reg = data->dbgmcu_freeze != 0 ? data->dbgmcu_freeze : DBGMCU_APB1FZR1;
	guint32 fz = 0, clk = 0;
	/* the G0's debug unit takes no writes until RCC clocks it */
	if (data->dbg_clock_reg != 0 &&
	    (!glint_target_read32(t, data->dbg_clock_reg, &clk, error) ||
	     !glint_target_write32(t, data->dbg_clock_reg, clk | data->dbg_clock_bit, error)))
		return FALSE;
	/* Watchdogs keep counting while the core is halted unless frozen,
	 * and would reset the chip in the middle of a flash job. */
	return glint_target_read32(t, reg, &fz, error) &&
	       glint_target_write32(
		   t, reg, fz | DBGMCU_APB1FZR1_IWDG_STOP | DBGMCU_APB1FZR1_WWDG_STOP, error);
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

static void
diagnose_bfb2(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gboolean bfb2 =
	    glint_l4_chip(t)->bfb2 && (t->info.options.regs[L4_OB_OPTR] & FLASH_OPTR_BFB2) != 0;
	gint bank2 = glint_geometry_bank_of_physical(g, 1);

	if (bfb2 && bank2 >= 0 && t->info.bank2_empty) {
		/* AN2606: the bootloader checks bank 2, then bank 1. */
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "bfb2-empty-bank2",
		    g_strdup_printf(_("BFB2 is set but bank 2 (0x%08X) holds no valid image"),
				    g->banks[bank2].base),
		    g_strdup(_("At reset the chip starts in the system bootloader, which finds no "
			       "valid vector table in bank 2 and starts bank 1 instead (AN2606): "
			       "the firmware of bank 1 runs, a little later than it would without "
			       "BFB2. If bank 1 is empty too, the chip stays in the bootloader")),
		    g_strdup(
			_("Clear BFB2 (boot from bank 1), or program a valid image into bank 2")),
		    GLINT_FIX_CLEAR_BFB2);
	} else if (bfb2 && bank2 < 0) {
		/* RM0351 3.4.1: dual-bank boot exists in dual-bank mode only */
		add_finding(findings, GLINT_SEVERITY_WARNING, "bfb2-single-bank",
			    g_strdup(_("BFB2 is set but the flash is a single bank")),
			    g_strdup(_("BFB2 has no effect in single-bank mode: the chip boots the "
				       "flash directly. It takes effect as soon as DUALBANK is set "
				       "again, when bank 2 may hold something else")),
			    g_strdup(_("Clear BFB2")), GLINT_FIX_CLEAR_BFB2);
	}
	if (g->banks_swapped && glint_l4_chip(t)->swap_clear_bit != 0) {
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "banks-swapped",
		    g_strdup_printf("Bank 2 answers at 0x%08X, bank 1 at 0x%08X "
				    "(nSWAP_BANK = 0)",
				    g->banks[0].base, g->banks[1].base),
		    g_strdup("The option bytes map bank 2 first, so the chip boots the "
			     "firmware of bank 2. Addresses name the banks as mapped; Glint "
			     "erases and protects the physical bank that holds them"),
		    g_strdup("Set nSWAP_BANK=1 to boot bank 1 again"), GLINT_FIX_NONE);
	} else if (g->banks_swapped) {
		/* FB_MODE: the bootloader mapped bank 2 first */
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "banks-swapped",
		    g_strdup_printf(_("Bank 2 answers at 0x%08X, bank 1 at 0x%08X "
				      "(SYSCFG_MEMRMP.FB_MODE = 1)"),
				    g->banks[0].base, g->banks[1].base),
		    g_strdup(_("The system bootloader started the firmware of bank 2 (BFB2). "
			       "Addresses name the banks as mapped now; Glint erases and "
			       "protects the physical bank that holds them. After a reset "
			       "with the core halted (FB_MODE = 0) bank 1 is at 0x08000000 "
			       "again")),
		    NULL, GLINT_FIX_NONE);
	}
}

static void
diagnose_banks(GlintTarget *t, GPtrArray *findings)
{
	const GlintL4Chip *data = glint_l4_chip(t);
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 page = g->banks[0].runs[0].size;
	const char *bit_name = glint_l4_dual_bit_name(t->chip, t->info.flash_kb);

	if (data->bank_rule == GLINT_L4_BANKS_SINGLE)
		return;
	if (!g->bank_mode_configurable) {
		add_finding(findings, GLINT_SEVERITY_INFO, "dualbank",
			    g_strdup_printf(_("The %u KB part is always dual bank: 2 x %u KB, %u "
					      "pages of %u bytes each; the %s bit has no effect"),
					    g->size / 1024, g->banks[0].size / 1024,
					    g->banks[0].n_units, page, bit_name),
			    g_strdup(_("Bank 2 pages are erased with BKER")), NULL, GLINT_FIX_NONE);
		return;
	}
	add_finding(
	    findings, GLINT_SEVERITY_INFO, "dualbank",
	    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
					"%s = %u: %u bank of %u KB (%u pages of %u bytes each)",
					"%s = %u: %u banks of %u KB (%u pages of %u bytes each)",
					g->n_banks),
			    bit_name, g->n_banks > 1, g->n_banks, g->banks[0].size / 1024,
			    g->banks[0].n_units, page),
	    g_strdup_printf(data->page_size != data->dual_page_size
				? _("Changing %s moves pages between banks and changes their "
				    "size; Glint erases the flash first")
				: _("Changing %s moves pages between banks; Glint erases the "
				    "flash first"),
			    bit_name),
	    NULL, GLINT_FIX_NONE);
}

static guint32
option_named(GlintTarget *t, const char *name, guint32 otherwise)
{
	guint32 v = otherwise;
	glint_option_bytes_get_named(&t->info.options, name, &v);
	return v;
}

/* RM0444 2.5 (table 5): a G0 whose main flash read as erased at the last
 * option load (FLASH_ACR.EMPTY) starts its bootloader at every reset, even
 * after a firmware is written, until EMPTY is cleared or the options load
 * again */
static void
diagnose_empty(GlintTarget *t, GPtrArray *findings)
{
	guint32 acr = 0, first = 0;
	if (!glint_l4_chip(t)->empty_check || t->info.rdp_level != 0 ||
	    !glint_target_read32(t, glint_l4_reg(t, FLASH_L4_ACR), &acr, NULL) ||
	    !(acr & FLASH_ACR_EMPTY) ||
	    !glint_target_read32(t, t->chip->flash_base, &first, NULL) || first == 0xFFFFFFFFu)
		return;
	add_finding(findings, GLINT_SEVERITY_WARNING, "flash-empty-flag",
		    g_strdup("FLASH_ACR.EMPTY is set although main flash holds a firmware"),
		    g_strdup("The chip found its flash erased at the last option load: at the "
			     "next reset it starts the system bootloader instead of the "
			     "firmware (RM0444 2.5, empty check)"),
		    g_strdup("Clear EMPTY (glint-cli fix clear-flags); Glint also clears it "
			     "after programming"),
		    GLINT_FIX_CLEAR_FLAGS);
}

/* The G0's boot and reset-pin options (RM0444 2.5, 3.4.1) */
static void
diagnose_g0_options(GlintTarget *t, GPtrArray *findings)
{
	if (option_named(t, "NRST_MODE", 3) == 2) {
		add_finding(findings, GLINT_SEVERITY_WARNING, "nrst-gpio",
			    g_strdup("NRST_MODE = 2: the PF2-NRST pin is a GPIO, not the reset"),
			    g_strdup("The probe cannot hold the chip in reset, so connect under "
				     "reset does not work; if the firmware turns SWD off the "
				     "debugger is locked out"),
			    g_strdup("Set NRST_MODE=3 (reset input/output) while the debugger "
				     "still connects"),
			    GLINT_FIX_NONE);
	}
	if (option_named(t, "BOOT_LOCK", 0) != 0) {
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "boot-lock",
		    g_strdup("BOOT_LOCK is set: the chip always boots its main flash"),
		    g_strdup("BOOT0, nBOOT1, the empty check and the system bootloader no "
			     "longer take effect; only an RDP level 1 -> 0 regression, which "
			     "erases the flash, clears BOOT_LOCK (RM0444 3.4.1)"),
		    NULL, GLINT_FIX_NONE);
	} else if (option_named(t, "nBOOT_SEL", 1) != 0 && option_named(t, "nBOOT0", 1) == 0) {
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "boot0-option",
		    g_strdup("nBOOT_SEL = 1 and nBOOT0 = 0: BOOT0 is high by option"),
		    g_strdup(option_named(t, "nBOOT1", 1) != 0
				 ? "Every reset starts the system bootloader, not the firmware"
				 : "Every reset starts code in SRAM, not the firmware"),
		    g_strdup("Set nBOOT0=1 to boot main flash"), GLINT_FIX_NONE);
	}
}

static void
l4_diagnose(GlintTarget *t, GPtrArray *findings)
{
	diagnose_bfb2(t, findings);
	diagnose_banks(t, findings);
	if (glint_l4_chip(t)->empty_check) {
		diagnose_empty(t, findings);
		diagnose_g0_options(t, findings);
	}
}

/* Old contents would be re-interpreted under the new bank layout. */
static gboolean
l4_before_option_write(GlintTarget *t, const GlintOptionBytes *new_ob, GlintProgress *progress,
		       GError **error)
{
	gboolean ok;
	if (!((t->info.options.regs[L4_OB_OPTR] ^ new_ob->regs[L4_OB_OPTR]) &
	      glint_l4_dual_mask(t->chip, t->info.flash_kb)) ||
	    t->info.rdp_level != 0 || !t->info.geometry.bank_mode_configurable)
		return TRUE;
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("%s changes: mass-erasing the flash first"),
			   glint_l4_dual_bit_name(t->chip, t->info.flash_kb));
	if (!t->flash->prepare(t, progress, NULL, error))
		return FALSE;
	ok = t->flash->mass_erase(t, error);
	t->flash->finish(t);
	return ok;
}

/* A chip a user put in level 1 reads RDP 0xBB; 0xFF with OPTVERR means a
 * failed load, not the power-on leftover many parts show. */
static gboolean
l4_options_failed_to_load(GlintTarget *t)
{
	return glint_option_bytes_rdp_raw(&t->info.options) == FLASH_OPTR_RDP_SAFE_DEFAULT;
}

static const GlintFlashOps *
l4_flash_for(const GlintChip *chip)
{
	const GlintL4Chip *data = chip->data;
	return data->no_mass_erase ? &glint_l4_no_mass_erase_flash_ops : &glint_l4_flash_ops;
}

const GlintFamilyOps glint_l4_ops = {
    .geometry = glint_l4_geometry,
    .flash_for = l4_flash_for,
    .debug_setup = l4_debug_setup,
    .read_bank_mapping = l4_read_bank_mapping,
    .flash = &glint_l4_flash_ops,
    .diagnose = l4_diagnose,
    .before_option_write = l4_before_option_write,
    .options_failed_to_load = l4_options_failed_to_load,
    .loader = &glint_l4_loader,
    .loader_for = glint_l4_loader_for,
};
