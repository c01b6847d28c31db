/* glint-l0.c: the STM32L0/L1 family (RM0367, RM0376, RM0377; RM0038): its
 * chips, their geometry (pages of 128 or 256 bytes, erased to 0x00, pages
 * numbered across both banks), debug set-up and the diagnosis rules only
 * this family needs (0x00-erased flash, NVM errors, a stuck unlock). */
#define G_LOG_DOMAIN "glint-l0"

#include "glint-i18n.h"
#include "glint-l0.h"

#include "glint-error.h"
#include "glint-job.h"
#include "glint-l0-regs.h"

extern const GlintFamily glint_family_l0;

const GlintL0Chip *
glint_l0_chip(const GlintTarget *t)
{
	return t->chip->data;
}

guint32
glint_l0_reg(const GlintTarget *t, guint32 offset)
{
	return glint_l0_chip(t)->flash_regs + offset;
}

/* Chips ---------------------------------------------------------------------- */

#define L0_FLASH_REGS 0x40022000u
#define L1_FLASH_REGS 0x40023C00u
/* DBGMCU: on the APB of the M0+ parts, on the PPB of the M3 ones */
#define L0_DBGMCU 0x40015800u
#define L1_DBGMCU 0xE0042000u
#define LX_EEPROM_BASE 0x08080000u

/* Memory maps: the memory map tables of RM0367, RM0377 and RM0038 and the parts'
 * datasheets (SRAM, system memory and data EEPROM sizes). */
#define LX_REGIONS(sram_kb, sysmem_kb, eeprom_bytes, info_base, ob_size)                           \
	{"SRAM", GLINT_REGION_SRAM, 0x20000000, (sram_kb)*1024},                                   \
	    {N_("Data EEPROM"), GLINT_REGION_EEPROM, LX_EEPROM_BASE, eeprom_bytes},                \
	    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, (sysmem_kb)*1024},              \
	    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FF80000, ob_size},                       \
	{                                                                                          \
		N_("Factory bytes (UID, flash size)"), GLINT_REGION_INFO, info_base, 0x40          \
	}

static const GlintMemoryRegion l011_regions[] = {
    LX_REGIONS(2, 4, 512, 0x1FF80040, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26400},
    {N_("Peripherals (IOPORT)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x2000},
};
static const GlintMemoryRegion l031_regions[] = {
    LX_REGIONS(8, 4, 1024, 0x1FF80040, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26400},
    {N_("Peripherals (IOPORT)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x2000},
};
static const GlintMemoryRegion l053_regions[] = {
    LX_REGIONS(8, 4, 2048, 0x1FF80040, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26400},
    {N_("Peripherals (IOPORT)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x2000},
};
static const GlintMemoryRegion l073_regions[] = {
    LX_REGIONS(20, 8, 6144, 0x1FF80040, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26400},
    {N_("Peripherals (IOPORT)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x2000},
};
static const GlintMemoryRegion l1_cat1_regions[] = {
    LX_REGIONS(16, 4, 4096, 0x1FF80040, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26800},
};
static const GlintMemoryRegion l1_cat2_regions[] = {
    LX_REGIONS(32, 4, 4096, 0x1FF80040, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26800},
};
static const GlintMemoryRegion l1_cat3_regions[] = {
    LX_REGIONS(32, 8, 8192, 0x1FF800C0, 0x20),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26800},
};
static const GlintMemoryRegion l1_cat4_regions[] = {
    LX_REGIONS(48, 8, 12288, 0x1FF800C0, 0x88),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26800},
};
static const GlintMemoryRegion l1_cat5_regions[] = {
    LX_REGIONS(80, 8, 16384, 0x1FF800C0, 0x88),
    {N_("Peripherals (APB, AHB)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x26800},
};

/* OpenOCD's revision names (src/flash/nor/stm32lx.c) */
static const GlintChipRevision r416[] = {
    {0x1000, "A"}, {0x1008, "Y"}, {0x1038, "W"}, {0x1078, "V"}};
static const GlintChipRevision r417[] = {
    {0x1000, "A"}, {0x1008, "Z"}, {0x1018, "Y"}, {0x1038, "X"}};
static const GlintChipRevision r425[] = {
    {0x1000, "A"}, {0x2000, "B"}, {0x2008, "Y"}, {0x2018, "1, X"}};
static const GlintChipRevision r427[] = {
    {0x1000, "A"}, {0x1018, "Y"}, {0x1038, "X"}, {0x10F8, "V"}};
static const GlintChipRevision r429[] = {{0x1000, "A"}, {0x1018, "Z"}};
static const GlintChipRevision r436[] = {
    {0x1000, "A"}, {0x1008, "Z"}, {0x1018, "Y"}, {0x1038, "X"}};
static const GlintChipRevision r437[] = {{0x1000, "A"}};
static const GlintChipRevision r447[] = {{0x1000, "A"}, {0x2000, "B"}, {0x2008, "Z"}};
static const GlintChipRevision r457[] = {{0x1000, "A"}, {0x1008, "Z"}};

/* Flash sizes a chip comes in, largest first and ending in 0, with the
 * largest as a constant for the chip table */
#define LX_KB(name, max, ...)                                                                      \
	static const guint32 name[] = {max, __VA_ARGS__};                                          \
	enum { name##_max = (max) }
LX_KB(kb_457, 16, 8, 0);
LX_KB(kb_425, 32, 16, 0);
LX_KB(kb_417, 64, 32, 0);
LX_KB(kb_447, 192, 128, 64, 0);
LX_KB(kb_416, 128, 64, 32, 0);
LX_KB(kb_429, 128, 64, 0);
LX_KB(kb_427, 256, 0);
LX_KB(kb_436, 384, 256, 0);
LX_KB(kb_437, 512, 384, 0);

/* RM0377 3.3.1 "NVM organization": 32 words a page, half-pages of 16
 * words; RM0038, same topic:
 * 64 words a page, half-pages of 32 words. */
/* tprog typical: 3.2 ms in DS10152 (STM32L053) and DS10685 (STM32L073),
 * taken for the other L0s; 3.28 ms in DS8890 (STM32L151/152xE), taken for
 * the other L1s (recalled; core/sim/l0/l0-timing.h holds the same figures
 * and tests/family/l0 checks that they agree) */
#define L0_DATA(banks, dual_kb, manual_name, ds)                                                   \
	{                                                                                          \
		.kind = GLINT_LX_L0, .flash_regs = L0_FLASH_REGS, .dbgmcu = L0_DBGMCU,             \
		.page_size = 128, .half_page = 64, .sr_errors = FLASH_SR_L0_ERRORS,                \
		.bank_rule = banks, .dual_from_kb = dual_kb, .option_regs = glint_l0_option_regs,  \
		.manual = manual_name, .tprog_ns = 3200000, .datasheet = ds                        \
	}
#define L1_DATA(banks, dual_kb)                                                                    \
	{                                                                                          \
		.kind = GLINT_LX_L1, .flash_regs = L1_FLASH_REGS, .dbgmcu = L1_DBGMCU,             \
		.page_size = 256, .half_page = 128, .sr_errors = FLASH_SR_L1_ERRORS,               \
		.bank_rule = banks, .dual_from_kb = dual_kb, .option_regs = glint_l1_option_regs,  \
		.manual = "RM0038", .tprog_ns = 3280000, .datasheet = "DS8890"                     \
	}

static const GlintL0Chip data_457 = L0_DATA(GLINT_LX_BANKS_ONE, 0, "RM0377", "DS10152");
static const GlintL0Chip data_425 = L0_DATA(GLINT_LX_BANKS_ONE, 0, "RM0377", "DS10152");
static const GlintL0Chip data_417 = L0_DATA(GLINT_LX_BANKS_ONE, 0, "RM0367", "DS10152");
/* RM0377 3.3.1: the 128 and 192 KB category 5 parts are dual bank */
static const GlintL0Chip data_447 = L0_DATA(GLINT_LX_BANKS_HALVES, 128, "RM0367", "DS10685");
static const GlintL0Chip data_416 = L1_DATA(GLINT_LX_BANKS_ONE, 0);
static const GlintL0Chip data_429 = L1_DATA(GLINT_LX_BANKS_ONE, 0);
static const GlintL0Chip data_427 = L1_DATA(GLINT_LX_BANKS_ONE, 0);
/* RM0038, NVM organization: 384 KB is two banks of 192 KB; the 256 KB parts answering
 * 0x436 are single bank */
static const GlintL0Chip data_436 = L1_DATA(GLINT_LX_BANKS_HALVES, 384);
static const GlintL0Chip data_437 = L1_DATA(GLINT_LX_BANKS_HALVES, 384);

/* Program and erase down to 1.65 V (DS10152 and DS8890 operating
 * conditions; recalled). */
#define LX_MIN_PROGRAM_MV 1650

#define LX_CHIP(id, nm, pts, cr, kbs, fsize, uid, regs, sram_kb, opts, revs, dat)                  \
	{                                                                                          \
		.dev_id = id, .name = nm, .parts = pts, .family = &glint_family_l0, .core = cr,    \
		.flash_base = 0x08000000, .flash_kb_max = kbs##_max, .flash_kb_variants = kbs,     \
		.flash_size_reg = fsize, .uid_addr = uid, .uid_word_offsets = {0, 4, 0x14},        \
		.regions = regs, .n_regions = G_N_ELEMENTS(regs), .sram_base = 0x20000000,         \
		.sram_size = (sram_kb)*1024, .min_program_mv = LX_MIN_PROGRAM_MV, .options = opts, \
		.revisions = revs, .n_revisions = G_N_ELEMENTS(revs), .data = dat                  \
	}

static const GlintChip l0_chips[] = {
    LX_CHIP(0x457, "STM32L01x/L02x", "STM32L011, L021", "Cortex-M0+", kb_457, 0x1FF8007C,
	    0x1FF80050, l011_regions, 2, &glint_l0_cat1_options, r457, &data_457),
    LX_CHIP(0x425, "STM32L03x/L04x", "STM32L031, L041", "Cortex-M0+", kb_425, 0x1FF8007C,
	    0x1FF80050, l031_regions, 8, &glint_l0_cat2_options, r425, &data_425),
    LX_CHIP(0x417, "STM32L05x/L06x", "STM32L051, L052, L053, L062, L063", "Cortex-M0+", kb_417,
	    0x1FF8007C, 0x1FF80050, l053_regions, 8, &glint_l0_cat3_options, r417, &data_417),
    LX_CHIP(0x447, "STM32L07x/L08x", "STM32L071, L072, L073, L081, L082, L083", "Cortex-M0+",
	    kb_447, 0x1FF8007C, 0x1FF80050, l073_regions, 20, &glint_l0_cat5_options, r447,
	    &data_447),
    LX_CHIP(0x416, "STM32L1xx category 1", "STM32L100x6/8/B, L151x6/8/B, L152x6/8/B", "Cortex-M3",
	    kb_416, 0x1FF8004C, 0x1FF80050, l1_cat1_regions, 16, &glint_l1_cat12_options, r416,
	    &data_416),
    LX_CHIP(0x429, "STM32L1xx category 2", "STM32L100x6/8/B-A, L151x6/8/B-A, L152x6/8/B-A",
	    "Cortex-M3", kb_429, 0x1FF8004C, 0x1FF80050, l1_cat2_regions, 32,
	    &glint_l1_cat12_options, r429, &data_429),
    LX_CHIP(0x427, "STM32L1xx category 3", "STM32L100xC, L151xC, L152xC, L162xC", "Cortex-M3",
	    kb_427, 0x1FF800CC, 0x1FF800D0, l1_cat3_regions, 32, &glint_l1_cat3_options, r427,
	    &data_427),
    LX_CHIP(0x436, "STM32L1xx category 4", "STM32L151xD, L152xD, L162xD (and some xC)", "Cortex-M3",
	    kb_436, 0x1FF800CC, 0x1FF800D0, l1_cat4_regions, 48, &glint_l1_cat4_options, r436,
	    &data_436),
    LX_CHIP(0x437, "STM32L1xx category 5/6", "STM32L151xE, L152xE, L162xE, L151xD-X", "Cortex-M3",
	    kb_437, 0x1FF800CC, 0x1FF800D0, l1_cat5_regions, 80, &glint_l1_cat5_options, r437,
	    &data_437),
};

/* The flash-size register: RM0038 on category 4 (0x436) holds a code, 0
 * for 384 KB and 1 for 256 KB; on category 2 (0x429) only bits 7:0 are
 * the size (OpenOCD and stlink read it so). */
static guint32
l0_decode_flash_kb(const GlintChip *chip, guint32 raw)
{
	if (chip->dev_id == 0x436)
		return raw == 0 ? 384 : raw == 1 ? 256 : raw;
	if (chip->dev_id == 0x429)
		return raw & 0xFF;
	return raw;
}

/* Geometry -------------------------------------------------------------------- */

void
glint_l0_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		  gdouble volts, GlintFlashGeometry *geometry)
{
	const GlintL0Chip *data = chip->data;
	guint32 size = flash_kb * 1024;
	guint pages = size / data->page_size;

	/* Words from the debugger; erased flash reads 0x00 (RM0367, FLASH chapter). */
	glint_geometry_init(geometry, chip->flash_base, 0x00, 4, "page");
	if (data->bank_rule == GLINT_LX_BANKS_HALVES && flash_kb >= data->dual_from_kb) {
		/* pages are numbered on from bank 1 into bank 2 */
		GlintUnitRun half = {data->page_size, pages / 2};
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, &half, 1);
		glint_geometry_add_bank(geometry, chip->flash_base + size / 2, 1, pages / 2, &half,
					1);
	} else {
		GlintUnitRun all = {data->page_size, pages};
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, &all, 1);
	}
}

/* Debug set-up ----------------------------------------------------------------- */

static gboolean
l0_debug_setup(GlintTarget *t, GError **error)
{
	guint32 fz_addr = glint_l0_chip(t)->dbgmcu + DBGMCU_APB1_FZ_OFFSET;
	guint32 fz = 0;
	/* Watchdogs keep counting while the core is halted unless frozen,
	 * and would reset the chip in the middle of a flash job. */
	return glint_target_read32(t, fz_addr, &fz, error) &&
	       glint_target_write32(
		   t, fz_addr, fz | DBGMCU_APB1_FZ_DBG_IWDG_STOP | DBGMCU_APB1_FZ_DBG_WWDG_STOP,
		   error);
}

/* Option-byte reload ----------------------------------------------------------- */

gboolean
glint_l0_obl_launch_and_halt(GlintTarget *t, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	/* stop at the reset vector, so no firmware runs in between */
	if (!glint_target_write32(t, CM_DEMCR, CM_DEMCR_TRCENA | CM_DEMCR_VC_CORERESET, error))
		return FALSE;
	/* the reset cuts the acknowledgement of the very write that asks for it */
	if (!glint_target_write32(t, glint_l0_reg(t, FLASH_LX_PECR), FLASH_PECR_OBL_LAUNCH,
				  &error_local) &&
	    !g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	return glint_target_halt(t, error) &&
	       glint_target_write32(t, CM_DEMCR, CM_DEMCR_TRCENA, error);
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

/* Erased is 0x00 here: said once, and loudly when the vector table holds
 * 0xFF fill another tool (or a padded .bin) left, which is not erased. */
static void
diagnose_erased_zero(GlintTarget *t, GPtrArray *findings)
{
	guint32 sp = 0;

	add_finding(
	    findings, GLINT_SEVERITY_INFO, "erased-zero",
	    g_strdup_printf(_("Erased flash and data EEPROM of the %s read 0x00, not 0xFF"),
			    t->chip->name),
	    g_strdup(_("An image's 0xFF fill (a .bin's gaps) is programmed as data here, and "
		       "blank checks look for 0x00; tools that take 0xFF for blank are "
		       "wrong on this chip")),
	    NULL, GLINT_FIX_NONE);
	if (t->info.rdp_level > 0 || !glint_target_read32(t, t->info.geometry.base, &sp, NULL) ||
	    sp != 0xFFFFFFFFu)
		return;
	add_finding(
	    findings, GLINT_SEVERITY_WARNING, "ff-vector-table",
	    g_strdup_printf(_("The vector table at 0x%08X reads 0xFFFFFFFF: that page "
			      "holds 0xFF fill, it is not erased"),
			    t->info.geometry.base),
	    g_strdup(_("The chip cannot start from it (stack pointer and reset vector "
		       "0xFFFFFFFF); a tool that padded an image with 0xFF, or wrote 0xFF to "
		       "\"erase\", left it")),
	    g_strdup(_("Erase page 0 (it then reads 0x00) or program a valid image")),
	    GLINT_FIX_NONE);
}

typedef struct {
	guint32 flag;
	const char *id;
	const char *title;
	const char *impact;
} FlagMeaning;

/* What each NVM error flag found set at connect says about the last tool
 * or firmware (FLASH_SR in RM0367 and RM0038). */
static const FlagMeaning flag_meanings[] = {
    {FLASH_SR_NOTZEROERR, "notzeroerr", N_("NOTZEROERR: a word was written over data"),
     N_("A program of a word or half-page that was not erased (not 0x00) was refused; the page "
	"must be erased first")},
    {FLASH_SR_FWWERR, "fwwerr", N_("FWWERR: a write was aborted by a fetch from flash"),
     N_("Code fetched from the flash bank it was writing (firmware writing flash from flash, or "
	"a half-page written by code not in SRAM); the write did not happen")},
    {FLASH_SR_PGAERR, "pgaerr", N_("PGAERR: a half-page write was misaligned or interrupted"),
     N_("The words of a half-page did not all fall in one half-page, or another access came in "
	"between them")},
    {FLASH_SR_SIZERR, "sizerr", N_("SIZERR: a byte or half-word was written to program memory"),
     N_("Program memory takes only whole words (data EEPROM takes bytes)")},
};

static void
diagnose_error_flags(GlintTarget *t, GPtrArray *findings)
{
	for (guint i = 0; i < G_N_ELEMENTS(flag_meanings); i++) {
		const FlagMeaning *m = &flag_meanings[i];
		if (!(t->info.flash_sr & m->flag & glint_l0_chip(t)->sr_errors))
			continue;
		add_finding(findings, GLINT_SEVERITY_INFO, m->id, g_strdup(glint_tr(m->title)),
			    g_strdup(glint_tr(m->impact)),
			    g_strdup(_("Glint clears the flag before every operation")),
			    GLINT_FIX_CLEAR_FLAGS);
	}
}

/* The three unlock stages: a wrong key (or one out of sequence) locks
 * PEKEYR until the next reset. Knocking with the right keys tells; the
 * stage is locked again at once. */
static void
diagnose_unlock(GlintTarget *t, GPtrArray *findings)
{
	g_autoptr(GError) error = NULL;
	guint32 pecr = 0;
	gboolean stuck;

	if (!glint_target_read32(t, glint_l0_reg(t, FLASH_LX_PECR), &pecr, NULL))
		return;
	if (!(pecr & FLASH_PECR_PELOCK)) {
		add_finding(findings, GLINT_SEVERITY_INFO, "pecr-unlocked",
			    g_strdup(_("FLASH_PECR was left unlocked (PELOCK = 0)")),
			    g_strdup(_("Firmware or an earlier tool unlocked the NVM interface and "
				       "did not lock it again; the data EEPROM can be written by "
				       "stray code")),
			    g_strdup(_("Glint locks it at the end of every job")), GLINT_FIX_NONE);
		return;
	}
	stuck = !glint_target_write32(t, glint_l0_reg(t, FLASH_LX_PEKEYR), FLASH_PEKEY1, &error) ||
		!glint_target_write32(t, glint_l0_reg(t, FLASH_LX_PEKEYR), FLASH_PEKEY2, &error) ||
		!glint_target_read32(t, glint_l0_reg(t, FLASH_LX_PECR), &pecr, &error) ||
		(pecr & FLASH_PECR_PELOCK);
	if (!stuck) {
		glint_target_write32(t, glint_l0_reg(t, FLASH_LX_PECR), FLASH_PECR_LOCKS, NULL);
		return;
	}
	add_finding(
	    findings, GLINT_SEVERITY_ERROR, "unlock-stuck",
	    g_strdup(_("The NVM unlock is stuck: FLASH_PEKEYR refuses the keys")),
	    g_strdup(_("A wrong key, or a key sequence cut in the middle, locks PEKEYR (and "
		       "with it the program-memory and option-byte stages) until the next "
		       "reset; nothing can be erased or programmed until then")),
	    g_strdup(_("Reset the chip: connect under reset")), GLINT_FIX_CONNECT_UNDER_RESET);
}

/* BFB2 on the dual-bank parts (the L0's boots bank 2 when set, the L1's
 * when clear) with nothing in bank 2: the bootloader falls back to bank 1. */
static void
diagnose_bank2_boot(GlintTarget *t, GPtrArray *findings)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 optr = t->info.options.regs[0];
	gboolean bank2_boot;

	if (g->n_banks < 2 || glint_option_layout_find_field(t->chip->options, "BFB2") == NULL)
		return;
	bank2_boot = glint_l0_chip(t)->kind == GLINT_LX_L0 ? (optr & FLASH_OPTR_BFB2) != 0
							   : (optr & FLASH_OPTR_BFB2) == 0;
	if (!bank2_boot || !t->info.bank2_empty)
		return;
	add_finding(
	    findings, GLINT_SEVERITY_WARNING, "bfb2-empty-bank2",
	    g_strdup_printf(_("BFB2 = %u boots bank 2, but bank 2 (0x%08X) holds no valid image"),
			    (optr & FLASH_OPTR_BFB2) ? 1 : 0, g->banks[1].base),
	    g_strdup(_("At reset the system bootloader finds no stack pointer in bank 2 and starts "
		       "bank 1 instead, later than it would without BFB2")),
	    g_strdup(_("Boot from bank 1 (BFB2 to its factory value), or program bank 2")),
	    GLINT_FIX_CLEAR_BFB2);
}

static void
l0_diagnose(GlintTarget *t, GPtrArray *findings)
{
	diagnose_erased_zero(t, findings);
	diagnose_error_flags(t, findings);
	diagnose_bank2_boot(t, findings);
	diagnose_unlock(t, findings);
}

/* An option load that failed (a value and its complement disagree) sets
 * OPTVERR and falls back to level 1 (RDP 0x00, recalled); a level 1 set
 * on purpose by Glint reads 0xBB. */
static gboolean
l0_options_failed_to_load(GlintTarget *t)
{
	return glint_option_bytes_rdp_raw(&t->info.options) == FLASH_OPTR_RDP_LEVEL1_DEFAULT;
}

static const GlintFamilyOps l0_ops = {
    .decode_flash_kb = l0_decode_flash_kb,
    .geometry = glint_l0_geometry,
    .debug_setup = l0_debug_setup,
    .flash = &glint_l0_flash_ops,
    .diagnose = l0_diagnose,
    .options_failed_to_load = l0_options_failed_to_load,
    .loader = &glint_l0_loader,
};

static const GlintRegEdit l1_swo_steps[] = {
    {"DBGMCU_CR", DBGMCU_L1_CR, DBGMCU_CR_TRACE_IOEN, DBGMCU_CR_TRACE_MODE},
};
static const GlintSwoRoute l1_swo = {l1_swo_steps, G_N_ELEMENTS(l1_swo_steps), 0, FALSE};

const GlintFamily glint_family_l0 = {
    .id = "l0",
    .name = "STM32L0/L1",
    .chips = l0_chips,
    .n_chips = G_N_ELEMENTS(l0_chips),
    .ops = &l0_ops,
    .swo = &l1_swo,
};
