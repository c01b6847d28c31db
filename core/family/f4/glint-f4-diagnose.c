/* glint-f4-diagnose.c: the diagnosis rules only the F2/F4/F7 need (the
 * generic ones cover RDP, write protection, PCROP and stale flags): a
 * programming parallelism that does not fit the measured supply, stored
 * option bytes that disagree with their complements, a boot configuration
 * that does not match what flash holds, and the bank layout; and what must
 * happen before a bank switch is written. */
#define G_LOG_DOMAIN "glint-f4"

#include "glint-f4-regs.h"
#include "glint-f4.h"
#include "glint-i18n.h"
#include "glint-job.h"

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

/* Parallelism ----------------------------------------------------------------------- */

static void
diagnose_parallelism(GlintTarget *t, GPtrArray *findings)
{
	gdouble volts = t->info.voltage;
	guint allowed = glint_f4_program_unit_for(volts), set;
	guint32 cr = 0;

	if (allowed == 0) {
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "psize-unknown-supply",
		    g_strdup(_("The probe cannot measure the target supply")),
		    g_strdup_printf(_("The %s programs at a parallelism (FLASH_CR.PSIZE) that "
				      "depends on the supply: x32 from 2.7 V, x16 from 2.1 V, x8 "
				      "below. Glint refuses to erase or program rather than guess"),
				    t->chip->name),
		    g_strdup(_("Use a probe whose firmware reports the target voltage, with its "
			       "VAPP/VDD pin wired to the target supply")),
		    GLINT_FIX_NONE);
		return;
	}
	if (!glint_target_read32(t, glint_f4_reg(t, FLASH_F4_CR), &cr, NULL))
		return;
	set = glint_f4_psize_unit(cr);
	if (set > allowed) {
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "psize-mismatch",
		    g_strdup_printf(_("FLASH_CR.PSIZE is x%u, but the supply measures %.2f V (x%u "
				      "at most)"),
				    set * 8, volts, allowed * 8),
		    g_strdup_printf(
			_("Firmware that erases or programs flash with this setting gets values "
			  "that may not stay, even if they read back right (%s 3.6.2)%s"),
			glint_f4_chip(t)->manual,
			set == 8 ? _("; x64 also needs an external 8-9 V supply on VPP") : ""),
		    g_strdup_printf(_("Glint programs at x%u itself. Make the firmware select the "
				      "voltage range of the real supply (or raise the supply); a "
				      "reset puts PSIZE back to x8"),
				    allowed * 8),
		    GLINT_FIX_NONE);
	}
	if (allowed < 4)
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "psize-reduced",
		    g_strdup_printf(_("The supply is %.2f V: programming runs at x%u"), volts,
				    allowed * 8),
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
						"x32 needs 2.7-3.6 V; every write programs %u "
						"byte instead of 4, so programming takes %u "
						"times as long",
						"x32 needs 2.7-3.6 V; every write programs %u "
						"bytes instead of 4, so programming takes %u "
						"times as long",
						allowed),
				    allowed, 4 / allowed),
		    NULL, GLINT_FIX_NONE);
}

/* Stored option bytes ----------------------------------------------------------------- */

static void
diagnose_stored_options(GlintTarget *t, GPtrArray *findings)
{
	const GlintF4Chip *data = glint_f4_chip(t);

	for (guint i = 0; i < data->n_stored_options; i++) {
		const GlintF4StoredOption *o = &data->stored_options[i];
		guint32 word = 0, value, complement;
		if (!glint_target_read32(t, o->addr, &word, NULL))
			continue;
		value = word & 0xFFFFu;
		complement = word >> 16;
		if ((value ^ complement) == 0xFFFFu)
			continue;
		add_finding(
		    findings, GLINT_SEVERITY_ERROR, "options-incoherent",
		    g_strdup_printf(_("The stored option bytes at 0x%08X (%s) do not match their "
				      "complement (0x%04X, complement 0x%04X)"),
				    o->addr, glint_tr(o->what), value, complement),
		    g_strdup(_("An option-byte write was cut short (power lost or the probe pulled "
			       "during OPTSTRT). At every reset the chip falls back to read "
			       "protection level 1 for them, until the option bytes are written "
			       "again")),
		    g_strdup(_("Write the option bytes again: restore the factory values (leaving "
			       "RDP level 1 erases the flash)")),
		    GLINT_FIX_RESTORE_OPTIONS);
		return;
	}
}

/* Boot ---------------------------------------------------------------------------------- */

static guint32
le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static const GlintMemoryRegion *
region_holding(const GlintChip *chip, guint32 addr, GlintRegionKind kind)
{
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (r->kind == kind && addr >= r->base && addr - r->base < r->size)
			return r;
	}
	return NULL;
}

/* Main flash seen at @addr, through the AXI address or the F7's ITCM alias;
 * the address at 0x08000000 in *@main. */
static gboolean
main_flash_address(GlintTarget *t, guint32 addr, guint32 *main)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	const GlintMemoryRegion *itcm = region_holding(t->chip, addr, GLINT_REGION_FLASH);
	if (itcm != NULL)
		addr = g->base + (addr - itcm->base);
	*main = addr;
	return glint_geometry_contains(g, addr, 4);
}

/* Checks the vector table the chip starts from at @boot (@why says why it
 * starts there); a finding when it cannot work. */
static void
check_boot_vectors(GlintTarget *t, guint32 boot, const char *why, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint8 vectors[8];
	guint32 table, sp, pc, pc_main, word = 0;

	if (!main_flash_address(t, boot, &table) ||
	    !glint_target_read(t, table, vectors, sizeof(vectors), NULL))
		return;
	sp = le32(vectors);
	pc = le32(vectors + 4);
	if (sp == 0xFFFFFFFFu && pc == 0xFFFFFFFFu) {
		if (table == g->base)
			return; /* an empty chip: nothing to boot, nothing wrong */
		add_finding(findings, GLINT_SEVERITY_WARNING, "boot-empty",
			    g_strdup_printf(_("%s 0x%08X, which is erased"), why, boot),
			    g_strdup(_("At reset the core fetches an all-ones stack pointer and "
				       "reset vector and locks up: the firmware never starts")),
			    g_strdup_printf(_("Program an image at 0x%08X, or point the boot "
					      "option at the image"),
					    table),
			    GLINT_FIX_NONE);
		return;
	}
	if (region_holding(t->chip, sp - 1, GLINT_REGION_SRAM) != NULL && (pc & 1) != 0 &&
	    (region_holding(t->chip, pc & ~1u, GLINT_REGION_SRAM) != NULL ||
	     region_holding(t->chip, pc & ~1u, GLINT_REGION_SYSTEM) != NULL ||
	     (main_flash_address(t, pc & ~1u, &pc_main) &&
	      glint_target_read32(t, pc_main & ~3u, &word, NULL) && word != 0xFFFFFFFFu)))
		return;
	add_finding(
	    findings, GLINT_SEVERITY_WARNING, "boot-image-mismatch",
	    g_strdup_printf(_("%s 0x%08X, but the image there does not fit this chip: stack "
			      "pointer 0x%08X, reset vector 0x%08X"),
			    why, boot, sp, pc),
	    g_strdup(_("The stack pointer must lie in SRAM and the reset vector (an odd, Thumb "
		       "address) point at code in flash or SRAM; as they are, the core faults at "
		       "reset. The image may be linked for another address or another chip")),
	    g_strdup(_("Link the image for the address it is programmed at, or program it where it "
		       "is linked")),
	    GLINT_FIX_NONE);
}

static void
diagnose_bfb2(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 bfb2 = 0;

	if (!glint_option_bytes_get_named(&t->info.options, "BFB2", &bfb2) || bfb2 == 0)
		return;
	if (g->n_banks < 2) {
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "bfb2-single-bank",
		    g_strdup(_("BFB2 is set but the flash is a single bank")),
		    g_strdup(_("RM0090 3.9.10 requires BFB2 = 0 without two banks: the chip "
			       "starts its bootloader, which finds no bank 2")),
		    g_strdup(_("Clear BFB2")), GLINT_FIX_CLEAR_BFB2);
	} else if (t->info.bank2_empty) {
		/* AN2606: with BFB2 the bootloader checks bank 2, then bank 1 */
		add_finding(
		    findings, GLINT_SEVERITY_WARNING, "bfb2-empty-bank2",
		    g_strdup_printf(_("BFB2 is set but bank 2 (0x%08X) holds no valid image"),
				    g->banks[1].base),
		    g_strdup(
			_("At reset the chip starts its system bootloader, which finds no valid "
			  "vector table in bank 2 and starts bank 1 instead (AN2606): the "
			  "firmware of bank 1 runs, later than without BFB2. With bank 1 empty "
			  "too the chip stays in the bootloader")),
		    g_strdup(
			_("Clear BFB2 (boot from bank 1), or program a valid image into bank 2")),
		    GLINT_FIX_CLEAR_BFB2);
	}
}

static void
diagnose_boot(GlintTarget *t, GPtrArray *findings)
{
	guint32 boot_add0 = 0;

	if (t->info.rdp_level > 0)
		return;
	diagnose_bfb2(t, findings);
	if (glint_f4_chip(t)->boot_add &&
	    glint_option_bytes_get_named(&t->info.options, "BOOT_ADD0", &boot_add0)) {
		g_autofree gchar *why = g_strdup_printf(
		    _("With BOOT0 low the chip boots BOOT_ADD0 = 0x%04X:"), boot_add0);
		check_boot_vectors(t, boot_add0 * F7_BOOT_ADD_SCALE, why, findings);
	} else {
		check_boot_vectors(t, t->info.geometry.base,
				   _("With BOOT0 low the chip boots flash at"), findings);
	}
}

/* Banks ----------------------------------------------------------------------------------- */

static void
diagnose_banks(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree gchar *shape = NULL;
	const char *option;

	if (!g->bank_mode_configurable)
		return;
	option = glint_f4_chip(t)->bank_rule == GLINT_F4_BANKS_NDBANK ? "nDBANK" : "DB1M";
	shape = glint_geometry_describe(g);
	add_finding(findings, GLINT_SEVERITY_INFO, "dualbank",
		    g_strdup_printf(_("%s: the flash is %s"), option, shape),
		    g_strdup_printf(_("Changing %s changes the sizes and numbers of the sectors; "
				      "Glint erases the flash first and reads the layout again"),
				    option),
		    NULL, GLINT_FIX_NONE);
}

void
glint_f4_diagnose(GlintTarget *t, GPtrArray *findings)
{
	diagnose_parallelism(t, findings);
	diagnose_stored_options(t, findings);
	diagnose_boot(t, findings);
	diagnose_banks(t, findings);
}

/* Old contents would be read under a new sector map. */
gboolean
glint_f4_before_option_write(GlintTarget *t, const GlintOptionBytes *new_ob,
			     GlintProgress *progress, GError **error)
{
	gboolean ndbank = glint_f4_chip(t)->bank_rule == GLINT_F4_BANKS_NDBANK;
	/* bit 30 is DB1M on the F42x but IWDG_STDBY on the F7 */
	guint32 bits = ndbank ? FLASH_OPTCR_NDBANK : FLASH_OPTCR_DB1M;
	const char *option = ndbank ? "nDBANK" : "DB1M";
	gboolean ok;

	if (!((t->info.options.regs[F4_OB_OPTCR] ^ new_ob->regs[F4_OB_OPTCR]) & bits) ||
	    t->info.rdp_level != 0 || !t->info.geometry.bank_mode_configurable)
		return TRUE;
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("%s changes: mass-erasing the flash first"), option);
	if (!t->flash->prepare(t, progress, NULL, error))
		return FALSE;
	ok = t->flash->mass_erase(t, error);
	t->flash->finish(t);
	return ok;
}
