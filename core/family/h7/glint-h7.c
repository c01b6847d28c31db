/* glint-h7.c: the STM32H7 family (RM0433, RM0455, RM0468): its chips, the
 * geometry rule (two banks at 0x08000000 and 0x08100000, swapped by
 * SWAP_BANK), debug set-up, and the diagnosis rules only this family needs:
 * double ECC errors, swapped banks, a swap waiting for a reset, a boot
 * address that points at no memory. */
#define G_LOG_DOMAIN "glint-h7"

#include "glint-h7.h"
#include "glint-i18n.h"

#include "glint-job.h"
#include "glint-h7-regs.h"

extern const GlintFamily glint_family_h7;

const GlintH7Chip *
glint_h7_chip(const GlintTarget *t)
{
	return t->chip->data;
}

guint32
glint_h7_reg(const GlintTarget *t, guint physical, guint32 offset)
{
	return glint_h7_chip(t)->regs + (physical > 0 ? FLASH_H7_BANK2_OFFSET : 0) + offset;
}

gboolean
glint_h7_dual(const GlintTarget *t)
{
	return t->info.geometry.n_banks > 1;
}

/* Chips ---------------------------------------------------------------------- */

/* RM0433 2.3.2 memory map of the STM32H742/743/750/753 (and the M7 side of
 * the dual-core H745/H747/H755/H757, RM0399 2.3.2). */
static const GlintMemoryRegion h74x_regions[] = {
    {N_("ITCM-RAM"), GLINT_REGION_SRAM, 0x00000000, 64 * 1024},
    {N_("DTCM-RAM"), GLINT_REGION_SRAM, 0x20000000, 128 * 1024},
    {N_("AXI SRAM"), GLINT_REGION_SRAM, 0x24000000, 512 * 1024},
    {"SRAM1", GLINT_REGION_SRAM, 0x30000000, 128 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x30020000, 128 * 1024},
    {"SRAM3", GLINT_REGION_SRAM, 0x30040000, 32 * 1024},
    {"SRAM4", GLINT_REGION_SRAM, 0x38000000, 64 * 1024},
    {N_("Backup SRAM"), GLINT_REGION_SRAM, 0x38800000, 4 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, 0x1E000},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FF1E800, 0x100},
    {N_("Peripherals (APB1-4, AHB1-4)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x20000000},
};

/* RM0455 2.3.2: the STM32H7A3/H7B3/H7B0; the engineering bytes live in the
 * flash's system area (0x08FFF800). */
static const GlintMemoryRegion h7ax_regions[] = {
    {N_("ITCM-RAM"), GLINT_REGION_SRAM, 0x00000000, 64 * 1024},
    {N_("DTCM-RAM"), GLINT_REGION_SRAM, 0x20000000, 128 * 1024},
    {N_("AXI SRAM (SRAM1-3)"), GLINT_REGION_SRAM, 0x24000000, 1024 * 1024},
    {N_("AHB SRAM1"), GLINT_REGION_SRAM, 0x30000000, 64 * 1024},
    {N_("AHB SRAM2"), GLINT_REGION_SRAM, 0x30010000, 64 * 1024},
    {N_("SRD SRAM"), GLINT_REGION_SRAM, 0x38000000, 32 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, 0x10000},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x08FFF800, 0x100},
    {N_("Peripherals (APB1-4, AHB1-4)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x20000000},
};

/* RM0468 2.3.2: the STM32H723/725/730/733/735 (TCMs at their reset size). */
static const GlintMemoryRegion h72x_regions[] = {
    {N_("ITCM-RAM"), GLINT_REGION_SRAM, 0x00000000, 64 * 1024},
    {N_("DTCM-RAM"), GLINT_REGION_SRAM, 0x20000000, 128 * 1024},
    {N_("AXI SRAM"), GLINT_REGION_SRAM, 0x24000000, 320 * 1024},
    {"SRAM1", GLINT_REGION_SRAM, 0x30000000, 16 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x30004000, 16 * 1024},
    {"SRAM4", GLINT_REGION_SRAM, 0x38000000, 16 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, 0x1E000},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FF1E800, 0x100},
    {N_("Peripherals (APB1-4, AHB1-4)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x20000000},
};

/* OpenOCD's revision names (stm32h7x.c). */
static const GlintChipRevision h74x_revisions[] = {
    {0x1000, "A"}, {0x1001, "Z"}, {0x1003, "Y"}, {0x2001, "X"}, {0x2003, "V"},
};
static const GlintChipRevision h7ax_revisions[] = {{0x1000, "A"}};
static const GlintChipRevision h72x_revisions[] = {{0x1000, "A"}, {0x1001, "Z"}};

static const guint32 h74x_flash_kb[] = {2048, 1024, 128, 0};
static const guint32 h7ax_flash_kb[] = {2048, 1024, 128, 0};
static const guint32 h72x_flash_kb[] = {1024, 512, 128, 0};

/* Option registers in layout order (H7_OB_*): the *_CUR offsets. */
static const GlintH7OptionReg dual_option_regs[H7_OB_N_DUAL] = {
    [H7_OB_OPTSR] = {FLASH_H7_OPTSR_CUR, 0}, [H7_OB_BOOT] = {FLASH_H7_BOOT_CUR, 0},
    [H7_OB_WPSN1] = {FLASH_H7_WPSN_CUR, 0},  [H7_OB_PRAR1] = {FLASH_H7_PRAR_CUR, 0},
    [H7_OB_SCAR1] = {FLASH_H7_SCAR_CUR, 0},  [H7_OB_WPSN2] = {FLASH_H7_WPSN_CUR, 1},
    [H7_OB_PRAR2] = {FLASH_H7_PRAR_CUR, 1},  [H7_OB_SCAR2] = {FLASH_H7_SCAR_CUR, 1},
};
static const GlintH7OptionReg h72x_option_regs[H7_OB_N_SINGLE] = {
    [H7_OB_OPTSR] = {FLASH_H7_OPTSR_CUR, 0}, [H7_OB_BOOT] = {FLASH_H7_BOOT_CUR, 0},
    [H7_OB_WPSN1] = {FLASH_H7_WPSN_CUR, 0},  [H7_OB_PRAR1] = {FLASH_H7_PRAR_CUR, 0},
    [H7_OB_SCAR1] = {FLASH_H7_SCAR_CUR, 0},  [H7_OB_OPTSR2] = {FLASH_H7_OPTSR2_CUR, 0},
};

#define SR_ERRORS_COMMON                                                                           \
	(FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | FLASH_SR_INCERR |                  \
	 FLASH_SR_RDPERR | FLASH_SR_RDSERR | FLASH_SR_SNECCERR | FLASH_SR_DBECCERR)

/* RM0433 4.9.4: FW bit 6, START bit 7, SNB [10:8], PSIZE [5:4]; 256-bit
 * flash words; 8 sectors of 128 KB per bank; ECC_FA in flash words [14:0]. */
static const GlintH7Chip h74x_data = {
    .regs = 0x52002000,
    .bank2_base = 0x08100000,
    .sector_size = 128 * 1024,
    .word_size = 32,
    .cr_fw = 1u << 6,
    .cr_start = 1u << 7,
    .cr_snb_shift = 8,
    .cr_snb_mask = 0x7u << 8,
    .cr_psize = FLASH_CR_PSIZE_X64,
    .sr_errors = SR_ERRORS_COMMON | FLASH_SR_OPERR,
    .ecc_fa_mask = 0x7FFF,
    .single_bank_kb = 128,
    .option_regs = dual_option_regs,
};

/* RM0455 4.9.4: FW bit 4, START bit 5, SSN [12:6], no PSIZE; 128-bit
 * words; 128 sectors of 8 KB per bank; no OPERR, CRCRDERR instead. */
static const GlintH7Chip h7ax_data = {
    .regs = 0x52002000,
    .bank2_base = 0x08100000,
    .sector_size = 8 * 1024,
    .word_size = 16,
    .cr_fw = 1u << 4,
    .cr_start = 1u << 5,
    .cr_snb_shift = 6,
    .cr_snb_mask = 0x7Fu << 6,
    .cr_psize = 0,
    .sr_errors = SR_ERRORS_COMMON | FLASH_SR_CRCRDERR,
    .ecc_fa_mask = 0xFFFF,
    .single_bank_kb = 128,
    .option_regs = dual_option_regs,
};

/* RM0468 4.9.4: as the H74x, one bank of up to 8 sectors. */
static const GlintH7Chip h72x_data = {
    .regs = 0x52002000,
    .bank2_base = 0,
    .sector_size = 128 * 1024,
    .word_size = 32,
    .cr_fw = 1u << 6,
    .cr_start = 1u << 7,
    .cr_snb_shift = 8,
    .cr_snb_mask = 0x7u << 8,
    .cr_psize = FLASH_CR_PSIZE_X64,
    .sr_errors = SR_ERRORS_COMMON | FLASH_SR_OPERR | FLASH_SR_CRCRDERR,
    .ecc_fa_mask = 0x7FFF,
    .single_bank_kb = 1024,
    .always_single = TRUE,
    .option_regs = h72x_option_regs,
};

static const GlintChip h7_chips[] = {
    {
	.dev_id = 0x450,
	.name = "STM32H74x/H75x",
	.parts = "STM32H742, H743, H750, H753; dual-core H745, H747, H755, H757 through "
		 "their Cortex-M7",
	.family = &glint_family_h7,
	.core = "Cortex-M7",
	.flash_base = 0x08000000,
	.flash_kb_max = 2048,
	.flash_kb_variants = h74x_flash_kb,
	.flash_size_reg = 0x1FF1E880,
	.uid_addr = 0x1FF1E800,
	.regions = h74x_regions,
	.n_regions = G_N_ELEMENTS(h74x_regions),
	/* the DTCM: no cache between it and the core, so the loader's
	 * buffers need no cache maintenance (stlink uses it too) */
	.sram_base = 0x20000000,
	.sram_size = 128 * 1024,
	/* DS12110 6.3.1: VDD down to 1.62 V, flash included */
	.min_program_mv = 1620,
	.options = &glint_h74x_options,
	.revisions = h74x_revisions,
	.n_revisions = G_N_ELEMENTS(h74x_revisions),
	.data = &h74x_data,
    },
    {
	.dev_id = 0x480,
	.name = "STM32H7A3/H7B3/H7B0",
	.parts = "STM32H7A3, H7B3, H7B0",
	.family = &glint_family_h7,
	.core = "Cortex-M7",
	.flash_base = 0x08000000,
	.flash_kb_max = 2048,
	.flash_kb_variants = h7ax_flash_kb,
	.flash_size_reg = 0x08FFF80C,
	.uid_addr = 0x08FFF800,
	.regions = h7ax_regions,
	.n_regions = G_N_ELEMENTS(h7ax_regions),
	.sram_base = 0x20000000,
	.sram_size = 128 * 1024,
	/* DS13195 6.3.1: 1.62 V */
	.min_program_mv = 1620,
	.options = &glint_h7ax_options,
	.revisions = h7ax_revisions,
	.n_revisions = G_N_ELEMENTS(h7ax_revisions),
	.data = &h7ax_data,
    },
    {
	.dev_id = 0x483,
	.name = "STM32H72x/H73x",
	.parts = "STM32H723, H725, H730, H733, H735",
	.family = &glint_family_h7,
	.core = "Cortex-M7",
	.flash_base = 0x08000000,
	.flash_kb_max = 1024,
	.flash_kb_variants = h72x_flash_kb,
	.flash_size_reg = 0x1FF1E880,
	.uid_addr = 0x1FF1E800,
	.regions = h72x_regions,
	.n_regions = G_N_ELEMENTS(h72x_regions),
	.sram_base = 0x20000000,
	.sram_size = 128 * 1024,
	/* DS13313 6.3.1: 1.62 V */
	.min_program_mv = 1620,
	.options = &glint_h72x_options,
	.revisions = h72x_revisions,
	.n_revisions = G_N_ELEMENTS(h72x_revisions),
	.data = &h72x_data,
    },
};

/* Only a Cortex-M7 answers for these device ids (the M4 of a dual-core
 * part cannot reach its DBGMCU_IDCODE the same way). */
static const GlintChip *
h7_identify(const GlintFamily *family, guint16 dev_id, guint32 cpuid)
{
	guint partno = (cpuid >> 4) & 0xFFF;
	if (cpuid != 0 && partno != CM_PARTNO_M7)
		return NULL;
	for (guint i = 0; i < family->n_chips; i++) {
		if (family->chips[i].dev_id == dev_id)
			return &family->chips[i];
	}
	return NULL;
}

/* Geometry -------------------------------------------------------------------- */

void
glint_h7_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		  gdouble volts, GlintFlashGeometry *geometry)
{
	const GlintH7Chip *data = chip->data;
	guint32 size = flash_kb * 1024;
	gboolean swapped;
	GlintUnitRun run;

	/* RM0433 4.3.9: whole flash words, whatever the supply (no PSIZE
	 * choice to make: Glint always writes at x64) */
	glint_geometry_init(geometry, chip->flash_base, 0xFF, data->word_size, "sector");
	if (data->always_single || flash_kb <= data->single_bank_kb) {
		run.size = data->sector_size;
		run.count = size / data->sector_size;
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, &run, 1);
		return;
	}
	/* RM0433 4.3.13: bank 2 starts at 0x08100000 on every size (a 1 MB
	 * part has a hole); SWAP_BANK exchanges the two windows, not the
	 * register sets nor the sector numbers */
	swapped = ob->regs[H7_OB_SWAP_IN_EFFECT] != 0;
	run.size = data->sector_size;
	run.count = size / 2 / data->sector_size;
	glint_geometry_add_bank(geometry, chip->flash_base, swapped ? 1 : 0, 0, &run, 1);
	glint_geometry_add_bank(geometry, data->bank2_base, swapped ? 0 : 1, 0, &run, 1);
	geometry->banks_swapped = swapped;
}

/* Debug set-up ----------------------------------------------------------------- */

static gboolean
h7_debug_setup(GlintTarget *t, GError **error)
{
	guint32 cr = 0, fz3 = 0, fz4 = 0;
	/* RM0433 60.5.8: the D1/D3 debug clocks keep DBGMCU and the trace
	 * reachable in low-power modes; the watchdogs keep counting while the
	 * core is halted unless frozen, and would reset the chip in the middle
	 * of a flash job. */
	return glint_target_read32(t, DBGMCU_H7_CR, &cr, error) &&
	       glint_target_write32(t, DBGMCU_H7_CR, cr | DBGMCU_CR_D1DBGCKEN | DBGMCU_CR_D3DBGCKEN,
				    error) &&
	       glint_target_read32(t, DBGMCU_H7_APB3FZ1, &fz3, error) &&
	       glint_target_write32(t, DBGMCU_H7_APB3FZ1, fz3 | DBGMCU_APB3FZ1_WWDG1, error) &&
	       glint_target_read32(t, DBGMCU_H7_APB4FZ1, &fz4, error) &&
	       glint_target_write32(t, DBGMCU_H7_APB4FZ1, fz4 | DBGMCU_APB4FZ1_IWDG1, error);
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

gboolean
glint_h7_ecc_fail_address(GlintTarget *t, guint physical, guint32 *addr, GError **error)
{
	const GlintH7Chip *data = glint_h7_chip(t);
	const GlintFlashGeometry *g = &t->info.geometry;
	gint bank = glint_geometry_bank_of_physical(g, physical);
	guint32 fa = 0;

	if (bank < 0 ||
	    !glint_target_read32(t, glint_h7_reg(t, physical, FLASH_H7_ECC_FA), &fa, error))
		return FALSE;
	/* RM0433 4.9.33: FAIL_ECC_ADDR counts flash words from the bank's start */
	*addr = g->banks[bank].base + (fa & data->ecc_fa_mask) * data->word_size;
	return TRUE;
}

static void
diagnose_ecc(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	for (guint b = 0; b < g->n_banks; b++) {
		guint physical = g->banks[b].physical;
		guint32 flags = physical == 0 ? t->info.flash_sr & H7_STATUS_BANK_MASK
					      : t->info.flash_sr >> H7_STATUS_BANK2_SHIFT;
		GlintFlashUnit unit;
		g_autofree gchar *where = NULL;
		guint32 addr = 0;

		if (!(flags & H7_FLAG(FLASH_SR_DBECCERR | FLASH_SR_SNECCERR)))
			continue;
		if (!glint_h7_ecc_fail_address(t, physical, &addr, NULL) ||
		    !glint_geometry_unit_at(g, addr, &unit))
			continue;
		where = glint_geometry_describe_unit(g, &unit);
		if (!(flags & H7_FLAG(FLASH_SR_DBECCERR))) {
			add_finding(
			    findings, GLINT_SEVERITY_WARNING, "ecc-single",
			    g_strdup_printf(_("Single-bit ECC error corrected in the flash word "
					      "at 0x%08X (FLASH_SR%u.SNECCERR%u)"),
					    addr, physical + 1, physical + 1),
			    g_strdup_printf(_("The chip corrected it on reading; the cells of "
					      "%s are wearing or were disturbed"),
					    where),
			    g_strdup_printf(_("Erase and program %s again if it recurs"), where),
			    GLINT_FIX_CLEAR_FLAGS);
			continue;
		}
		add_finding(
		    findings, GLINT_SEVERITY_ERROR, "ecc-double",
		    g_strdup_printf(_("Double ECC error in the flash word at 0x%08X "
				      "(FLASH_SR%u.DBECCERR%u, FLASH_ECC_FA%uR)"),
				    addr, physical + 1, physical + 1, physical + 1),
		    g_strdup_printf(_("Each %u-byte flash word carries its ECC; this one was "
				      "programmed twice without an erase in between (an older tool "
				      "does that), so every read of it is a bus fault, for the "
				      "debugger and for the firmware"),
				    g->program_unit),
		    g_strdup_printf(_("Erase %s and program it again (glint-cli erase 0x%08X %u; "
				      "a program job covering the word rewrites it, one covering "
				      "only the rest of the sector needs --no-preserve)"),
				    where, unit.address, unit.size),
		    GLINT_FIX_NONE);
	}
}

static void
diagnose_swap(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gboolean opt = (t->info.options.regs[H7_OB_OPTSR] & FLASH_OPTSR_SWAP_BANK_OPT) != 0;

	if (g->n_banks < 2)
		return;
	if (g->banks_swapped)
		add_finding(
		    findings, GLINT_SEVERITY_INFO, "banks-swapped",
		    g_strdup_printf(_("SWAP_BANK is in effect: physical bank 2 is at 0x%08X "
				      "and bank 1 at 0x%08X"),
				    g->banks[0].base, g->banks[1].base),
		    g_strdup(_("The chip boots from bank 2. Erase, write protection "
			       "(WPSN2) and FLASH_CR2/SR2 follow the physical bank: the "
			       "sectors at 0x08000000 are bank 2's; Glint handles that")),
		    NULL, GLINT_FIX_NONE);
	if (opt != g->banks_swapped)
		add_finding(findings, GLINT_SEVERITY_WARNING, "swap-pending",
			    g_strdup_printf(_("SWAP_BANK_OPT is %u but the banks are %s: the "
					      "change takes effect at the next reset"),
					    opt,
					    g->banks_swapped ? _("swapped") : _("not swapped")),
			    g_strdup(_("Until then 0x08000000 shows the bank it showed before, and "
				       "what runs after the next reset is the other bank")),
			    g_strdup(_("Reset the chip (glint-cli reset) when the bank to boot is "
				       "ready")),
			    GLINT_FIX_NONE);
}

/* Whether @addr is memory a Cortex-M7 could boot from on this chip. */
static gboolean
is_boot_memory(const GlintChip *chip, const GlintFlashGeometry *g, guint32 addr)
{
	if (glint_geometry_contains(g, addr, 8))
		return TRUE;
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if ((r->kind == GLINT_REGION_SRAM || r->kind == GLINT_REGION_SYSTEM) &&
		    addr >= r->base && addr - r->base < r->size)
			return TRUE;
	}
	return FALSE;
}

static void
diagnose_boot(GlintTarget *t, GPtrArray *findings)
{
	static const char *const names[] = {"BOOT_ADD0", "BOOT_ADD1"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		guint32 v = 0;
		guint32 addr;
		if (!glint_option_bytes_get_named(&t->info.options, names[i], &v))
			continue;
		addr = v * FLASH_BOOT_ADD_SCALE;
		if (is_boot_memory(t->chip, &t->info.geometry, addr))
			continue;
		add_finding(findings, GLINT_SEVERITY_ERROR, i == 0 ? "boot-add0" : "boot-add1",
			    g_strdup_printf(_("%s = 0x%08X is no memory of the %s"), names[i], addr,
					    t->chip->name),
			    g_strdup_printf(_("With the BOOT0 pin %s the core fetches its vector "
					      "table there and boots nowhere; only a debugger "
					      "connected under reset reaches the chip"),
					    i == 0 ? C_("BOOT0 pin", "low (the usual case)")
						   : C_("BOOT0 pin", "high")),
			    g_strdup_printf("glint-cli options set %s=0x%08X --confirm", names[i],
					    i == 0 ? t->chip->flash_base : 0x1FF00000u),
			    GLINT_FIX_NONE);
	}
}

static void
h7_diagnose(GlintTarget *t, GPtrArray *findings)
{
	diagnose_ecc(t, findings);
	diagnose_swap(t, findings);
	diagnose_boot(t, findings);
}

static const GlintFamilyOps h7_ops = {
    .identify = h7_identify,
    .geometry = glint_h7_geometry,
    .debug_setup = h7_debug_setup,
    .flash = &glint_h7_flash_ops,
    .diagnose = h7_diagnose,
    .loader = &glint_h7_loader,
};

static const GlintRegEdit h7_swo_steps[] = {
    {"DBGMCU_CR", DBGMCU_H7_CR, DBGMCU_CR_TRACECLKEN | DBGMCU_CR_D1DBGCKEN | DBGMCU_CR_D3DBGCKEN,
     0},
    {"SWTF_LAR", H7_SWTF_LAR, CORESIGHT_LAR_KEY, 0xFFFFFFFFu},
    {"SWTF_CTRL", H7_SWTF_CTRL, SWTF_CTRL_ENS0, 0},
};
static const GlintSwoRoute h7_swo = {h7_swo_steps, G_N_ELEMENTS(h7_swo_steps), H7_SWO_BASE, TRUE};

const GlintFamily glint_family_h7 = {
    .id = "h7",
    .name = "STM32H7",
    .chips = h7_chips,
    .n_chips = G_N_ELEMENTS(h7_chips),
    .ops = &h7_ops,
    .swo = &h7_swo,
};
