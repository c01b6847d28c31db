/* glint-f4.c: the STM32F2, F4 and F7 family (one flash controller design:
 * RM0033, RM0090, RM0368, RM0383, RM0390, RM0385, RM0410, RM0431): its chips,
 * the rev-A quirk, the sector layouts and their bank rules, the programming
 * parallelism the supply allows, and the debug set-up. */
#define G_LOG_DOMAIN "glint-f4"

#include "glint-f4.h"
#include "glint-i18n.h"

#include "glint-f4-regs.h"

extern const GlintFamily glint_family_f4;

const GlintF4Chip *
glint_f4_chip(const GlintTarget *t)
{
	return t->chip->data;
}

guint32
glint_f4_reg(const GlintTarget *t, guint32 offset)
{
	return glint_f4_chip(t)->flash_regs + offset;
}

/* Sector layouts ---------------------------------------------------------------- */

/* RM0090 table 5 and RM0033 table 3: 4 x 16 KB, 1 x 64 KB, 7 x 128 KB (also
 * each bank of a dual-bank F42x/F43x, RM0090 table 6, and of a dual-bank
 * F76x, RM0410 table 4). */
static const GlintUnitRun sectors_16_64_128[] = {{16384, 4}, {65536, 1}, {131072, 7}};
/* RM0385 table 3, RM0410 table 3: single-bank F74x/F76x */
static const GlintUnitRun sectors_32_128_256[] = {{32768, 4}, {131072, 1}, {262144, 7}};

/* Stored option bytes: value in bits 15:0, complement in 31:16 (RM0090
 * table 15 calls bits 63:16 reserved; the complement is what silicon dumps
 * show there, recalled) */
static const GlintF4StoredOption f4_stored[] = {
    {0x1FFFC000, N_("RDP and user option bytes")},
    {0x1FFFC008, N_("nWRP (sectors 0-11) and SPRMOD")},
};
static const GlintF4StoredOption f42x_stored[] = {
    {0x1FFFC000, N_("RDP and user option bytes")},
    {0x1FFFC008, N_("nWRP (bank 1), DB1M and SPRMOD")},
    {0x1FFEC008, N_("nWRP (bank 2)")},
};
/* RM0410 3.4.1 table 8 (recalled) */
static const GlintF4StoredOption f7_stored[] = {
    {0x1FFF0000, N_("RDP and user option bytes")},
    {0x1FFF0008, N_("nWRP, nDBOOT, nDBANK and the IWDG freeze bits")},
    {0x1FFF0010, "BOOT_ADD0"},
    {0x1FFF0018, "BOOT_ADD1"},
};

/* Typical erase times, "Flash memory programming" tables (recalled; the
 * emulator's core/sim/f4/f4-timing.h holds the same figures and
 * tests/family/f4 checks that they agree): tERASE16KB 400/300/250 ms,
 * tERASE64KB 1200/700/550 ms, tERASE128KB 2/1.3/1 s and tME 16/11/8 s per MB
 * at x8/x16/x32, the same in each of these datasheets. */
#define F4_ERASE_TIMES(name, ds)                                                                   \
	static const GlintF4EraseTimes name = {                                                    \
	    .datasheet = ds,                                                                       \
	    .small_ms = {400, 300, 250},                                                           \
	    .medium_ms = {1200, 700, 550},                                                         \
	    .large_ms = {2000, 1300, 1000},                                                        \
	    .mb_ms = {16000, 11000, 8000},                                                         \
	}
F4_ERASE_TIMES(f2_erase, "DS6697");
F4_ERASE_TIMES(f40x_erase, "DS8626");
F4_ERASE_TIMES(f42x_erase, "DS9405");
F4_ERASE_TIMES(f401_erase, "DS10086");
F4_ERASE_TIMES(f411_erase, "DS10314");
F4_ERASE_TIMES(f446_erase, "DS10693");
F4_ERASE_TIMES(f74x_erase, "DS10916");
F4_ERASE_TIMES(f76x_erase, "DS11532");
F4_ERASE_TIMES(f72x_erase, "DS11853");

#define F4_CHIP_DATA(rule, single, dual, stored, rderr, f7, manual_name, times)                    \
	{                                                                                          \
		.flash_regs = 0x40023C00, .bank_rule = rule, .single_runs = single,                \
		.n_single_runs = G_N_ELEMENTS(single), .dual_runs = dual,                          \
		.n_dual_runs = (dual) != NULL ? 3 : 0, .stored_options = stored,                   \
		.n_stored_options = G_N_ELEMENTS(stored), .crc_base = 0x40023000,                  \
		.has_rderr = rderr, .f7_names = f7, .boot_add = f7, .manual = manual_name,         \
		.erase_times = &(times),                                                           \
	}

static const GlintF4Chip f2_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_16_64_128, NULL,
						f4_stored, FALSE, FALSE, "RM0033", f2_erase);
static const GlintF4Chip f40x_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_16_64_128, NULL,
						  f4_stored, FALSE, FALSE, "RM0090", f40x_erase);
static const GlintF4Chip f42x_data =
    F4_CHIP_DATA(GLINT_F4_BANKS_DB1M, sectors_16_64_128, sectors_16_64_128, f42x_stored, TRUE,
		 FALSE, "RM0090", f42x_erase);
static const GlintF4Chip f401_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_16_64_128, NULL,
						  f4_stored, TRUE, FALSE, "RM0368", f401_erase);
static const GlintF4Chip f411_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_16_64_128, NULL,
						  f4_stored, TRUE, FALSE, "RM0383", f411_erase);
static const GlintF4Chip f446_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_16_64_128, NULL,
						  f4_stored, TRUE, FALSE, "RM0390", f446_erase);
static const GlintF4Chip f74x_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_32_128_256, NULL,
						  f7_stored, FALSE, TRUE, "RM0385", f74x_erase);
static const GlintF4Chip f76x_data =
    F4_CHIP_DATA(GLINT_F4_BANKS_NDBANK, sectors_32_128_256, sectors_16_64_128, f7_stored, FALSE,
		 TRUE, "RM0410", f76x_erase);
static const GlintF4Chip f72x_data = F4_CHIP_DATA(GLINT_F4_BANKS_SINGLE, sectors_16_64_128, NULL,
						  f7_stored, TRUE, TRUE, "RM0431", f72x_erase);

/* Memories -------------------------------------------------------------------------- */

#define F4_PERIPHERALS                                                                             \
	{N_("Peripherals (APB1, APB2, AHB1)"), GLINT_REGION_PERIPHERALS, 0x40000000, 0x80000},     \
	{                                                                                          \
		N_("Peripherals (AHB2)"), GLINT_REGION_PERIPHERALS, 0x50000000, 0x60C00            \
	}

/* RM0033 2.3 (F2) and RM0090 2.3 (F405/F407): SRAM1 and SRAM2 back to back */
static const GlintMemoryRegion f2_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 112 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2001C000, 16 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    F4_PERIPHERALS,
};

static const GlintMemoryRegion f40x_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 112 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2001C000, 16 * 1024},
    {N_("CCM data RAM"), GLINT_REGION_SRAM, 0x10000000, 64 * 1024},
    {N_("Backup SRAM"), GLINT_REGION_SRAM, 0x40024000, 4 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    F4_PERIPHERALS,
};

/* RM0090 2.3: SRAM3 follows SRAM2 on the F42x/F43x; option bytes per bank */
static const GlintMemoryRegion f42x_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 112 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2001C000, 16 * 1024},
    {"SRAM3", GLINT_REGION_SRAM, 0x20020000, 64 * 1024},
    {N_("CCM data RAM"), GLINT_REGION_SRAM, 0x10000000, 64 * 1024},
    {N_("Backup SRAM"), GLINT_REGION_SRAM, 0x40024000, 4 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes (bank 1)"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    {N_("Option bytes (bank 2)"), GLINT_REGION_OPTIONS, 0x1FFEC000, 16},
    F4_PERIPHERALS,
};

/* RM0368 2.3 */
static const GlintMemoryRegion f401bc_regions[] = {
    {"SRAM", GLINT_REGION_SRAM, 0x20000000, 64 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    F4_PERIPHERALS,
};

static const GlintMemoryRegion f401de_regions[] = {
    {"SRAM", GLINT_REGION_SRAM, 0x20000000, 96 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    F4_PERIPHERALS,
};

/* RM0383 2.3 */
static const GlintMemoryRegion f411_regions[] = {
    {"SRAM", GLINT_REGION_SRAM, 0x20000000, 128 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    F4_PERIPHERALS,
};

/* RM0390 2.3 */
static const GlintMemoryRegion f446_regions[] = {
    {"SRAM1", GLINT_REGION_SRAM, 0x20000000, 112 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2001C000, 16 * 1024},
    {N_("Backup SRAM"), GLINT_REGION_SRAM, 0x40024000, 4 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FFF0000, 30 * 1024},
    {N_("OTP (512 bytes, lock bytes at 0x1FFF7A00)"), GLINT_REGION_OTP, 0x1FFF7800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FFF7A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFFC000, 16},
    F4_PERIPHERALS,
};

/* RM0385 2.2: DTCM, SRAM1, SRAM2 back to back; flash also on the ITCM bus */
static const GlintMemoryRegion f74x_regions[] = {
    {N_("DTCM RAM"), GLINT_REGION_SRAM, 0x20000000, 64 * 1024},
    {"SRAM1", GLINT_REGION_SRAM, 0x20010000, 240 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2004C000, 16 * 1024},
    {N_("ITCM RAM"), GLINT_REGION_SRAM, 0x00000000, 16 * 1024},
    {N_("Flash on the ITCM interface (same cells as 0x08000000)"), GLINT_REGION_FLASH, 0x00200000,
     1024 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, 0xEDC0},
    {N_("OTP (1 KB, lock bytes at 0x1FF0F400)"), GLINT_REGION_OTP, 0x1FF0F000, 0x410},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FF0F420, 0x30},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF0000, 32},
    F4_PERIPHERALS,
};

/* RM0410 2.2 */
static const GlintMemoryRegion f76x_regions[] = {
    {N_("DTCM RAM"), GLINT_REGION_SRAM, 0x20000000, 128 * 1024},
    {"SRAM1", GLINT_REGION_SRAM, 0x20020000, 368 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2007C000, 16 * 1024},
    {N_("ITCM RAM"), GLINT_REGION_SRAM, 0x00000000, 16 * 1024},
    {N_("Flash on the ITCM interface (same cells as 0x08000000)"), GLINT_REGION_FLASH, 0x00200000,
     2048 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, 0xEDC0},
    {N_("OTP (1 KB, lock bytes at 0x1FF0F400)"), GLINT_REGION_OTP, 0x1FF0F000, 0x410},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FF0F420, 0x30},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF0000, 32},
    F4_PERIPHERALS,
};

/* RM0431 2.2 */
static const GlintMemoryRegion f72x_regions[] = {
    {N_("DTCM RAM"), GLINT_REGION_SRAM, 0x20000000, 64 * 1024},
    {"SRAM1", GLINT_REGION_SRAM, 0x20010000, 176 * 1024},
    {"SRAM2", GLINT_REGION_SRAM, 0x2003C000, 16 * 1024},
    {N_("ITCM RAM"), GLINT_REGION_SRAM, 0x00000000, 16 * 1024},
    {N_("Flash on the ITCM interface (same cells as 0x08000000)"), GLINT_REGION_FLASH, 0x00200000,
     512 * 1024},
    {N_("System memory"), GLINT_REGION_SYSTEM, 0x1FF00000, 0xEDC0},
    {N_("OTP (512 bytes, lock bytes at 0x1FF07A00)"), GLINT_REGION_OTP, 0x1FF07800, 528},
    {N_("Engineering bytes (UID, flash size)"), GLINT_REGION_INFO, 0x1FF07A10, 0x20},
    {N_("Option bytes"), GLINT_REGION_OPTIONS, 0x1FFF0000, 32},
    F4_PERIPHERALS,
};

/* Revisions: OpenOCD's names for each device id (recalled) */
static const GlintChipRevision f2_revisions[] = {
    {0x1000, "A"}, {0x2000, "B"}, {0x1001, "Z"}, {0x2001, "Y"}, {0x2003, "X"},
};
static const GlintChipRevision f40x_revisions[] = {
    {0x1000, "A"},
    {0x1001, "Z"},
    {0x1003, "Y"},
    {0x1007, "1"},
};
static const GlintChipRevision f42x_revisions[] = {
    {0x1000, "A"},
    {0x1003, "Y"},
    {0x1007, "1"},
    {0x2001, "3"},
};
static const GlintChipRevision a_z_revisions[] = {
    {0x1000, "A"},
    {0x1001, "Z"},
};

static const guint32 f2_sizes[] = {1024, 768, 512, 256, 128, 0};
static const guint32 f40x_sizes[] = {1024, 512, 0};
static const guint32 f42x_sizes[] = {2048, 1024, 512, 0};
static const guint32 f401bc_sizes[] = {256, 128, 0};
static const guint32 f401de_sizes[] = {512, 384, 0};
static const guint32 f411_sizes[] = {512, 256, 0};
static const guint32 f446_sizes[] = {512, 256, 0};
static const guint32 f74x_sizes[] = {1024, 512, 0};
static const guint32 f76x_sizes[] = {2048, 1024, 0};
static const guint32 f72x_sizes[] = {512, 256, 0};

/* Program and erase need VDD >= 1.8 V on every line (DS6697, DS8626,
 * DS10086, DS10314, DS10693, DS9405, DS10916, DS11532, DS11853: general
 * operating conditions; 1.7 V with the supervisor off is not assumed). */
#define F4_MIN_PROGRAM_MV 1800

#define F4_CHIP(id, chip_name, chip_parts, chip_core, kb_max, sizes, size_reg, uid, regs, sram,    \
		options_layout, revs, chip_data)                                                   \
	{                                                                                          \
		.dev_id = id, .name = chip_name, .parts = chip_parts, .family = &glint_family_f4,  \
		.core = chip_core, .flash_base = 0x08000000, .flash_kb_max = kb_max,               \
		.flash_kb_variants = sizes, .flash_size_reg = size_reg, .uid_addr = uid,           \
		.regions = regs, .n_regions = G_N_ELEMENTS(regs), .sram_base = 0x20000000,         \
		.sram_size = (sram)*1024, .min_program_mv = F4_MIN_PROGRAM_MV,                     \
		.options = options_layout, .revisions = revs, .n_revisions = G_N_ELEMENTS(revs),   \
		.data = chip_data,                                                                 \
	}

static const GlintChip f4_chips[] = {
    F4_CHIP(0x411, "STM32F20x/F21x", "STM32F205, F207, F215, F217", "Cortex-M3", 1024, f2_sizes,
	    0x1FFF7A22, 0x1FFF7A10, f2_regions, 128, &glint_f2_options, f2_revisions, &f2_data),
    F4_CHIP(0x413, "STM32F40x/F41x", "STM32F405, F407, F415, F417", "Cortex-M4", 1024, f40x_sizes,
	    0x1FFF7A22, 0x1FFF7A10, f40x_regions, 128, &glint_f40x_options, f40x_revisions,
	    &f40x_data),
    F4_CHIP(0x419, "STM32F42x/F43x", "STM32F427, F429, F437, F439", "Cortex-M4", 2048, f42x_sizes,
	    0x1FFF7A22, 0x1FFF7A10, f42x_regions, 192, &glint_f42x_options, f42x_revisions,
	    &f42x_data),
    F4_CHIP(0x423, "STM32F401xB/C", "STM32F401xB, F401xC", "Cortex-M4", 256, f401bc_sizes,
	    0x1FFF7A22, 0x1FFF7A10, f401bc_regions, 64, &glint_f401_options, a_z_revisions,
	    &f401_data),
    F4_CHIP(0x433, "STM32F401xD/E", "STM32F401xD, F401xE", "Cortex-M4", 512, f401de_sizes,
	    0x1FFF7A22, 0x1FFF7A10, f401de_regions, 96, &glint_f401_options, a_z_revisions,
	    &f401_data),
    F4_CHIP(0x431, "STM32F411xC/E", "STM32F411xC, F411xE", "Cortex-M4", 512, f411_sizes, 0x1FFF7A22,
	    0x1FFF7A10, f411_regions, 128, &glint_f401_options, a_z_revisions, &f411_data),
    F4_CHIP(0x421, "STM32F446xx", "STM32F446xC, F446xE", "Cortex-M4", 512, f446_sizes, 0x1FFF7A22,
	    0x1FFF7A10, f446_regions, 128, &glint_f401_options, a_z_revisions, &f446_data),
    F4_CHIP(0x449, "STM32F74x/F75x", "STM32F745, F746, F750, F756", "Cortex-M7", 1024, f74x_sizes,
	    0x1FF0F442, 0x1FF0F420, f74x_regions, 320, &glint_f74x_options, a_z_revisions,
	    &f74x_data),
    F4_CHIP(0x451, "STM32F76x/F77x", "STM32F765, F767, F769, F777, F779", "Cortex-M7", 2048,
	    f76x_sizes, 0x1FF0F442, 0x1FF0F420, f76x_regions, 512, &glint_f76x_options,
	    a_z_revisions, &f76x_data),
    F4_CHIP(0x452, "STM32F72x/F73x", "STM32F722, F723, F730, F732, F733", "Cortex-M7", 512,
	    f72x_sizes, 0x1FF07A22, 0x1FF07A10, f72x_regions, 256, &glint_f72x_options,
	    a_z_revisions, &f72x_data),
};

/* Identification ------------------------------------------------------------------- */

static const GlintChip *
find_chip(guint16 dev_id)
{
	for (guint i = 0; i < G_N_ELEMENTS(f4_chips); i++) {
		if (f4_chips[i].dev_id == dev_id)
			return &f4_chips[i];
	}
	return NULL;
}

/* Early STM32F40x/F41x (revision A) answer with the F2's device id 0x411:
 * the core tells them apart, a Cortex-M4 is an F4 (as OpenOCD and stlink
 * decide, and ES0182 lists for revision A). Everything else is a plain
 * device-id match. */
static const GlintChip *
f4_identify(const GlintFamily *family, guint16 dev_id, guint32 cpuid)
{
	if (dev_id == 0x411 && ((cpuid >> 4) & 0xFFF) == CM_PARTNO_M4)
		return find_chip(0x413);
	return NULL;
}

/* Parallelism ---------------------------------------------------------------------- */

guint
glint_f4_program_unit_for(gdouble volts)
{
	if (volts < 0)
		return 0;
	if (volts >= 2.7)
		return 4;
	if (volts >= 2.1)
		return 2;
	return 1;
}

guint32
glint_f4_psize_bits(guint unit)
{
	switch (unit) {
	case 8:
		return FLASH_CR_PSIZE_X64;
	case 4:
		return FLASH_CR_PSIZE_X32;
	case 2:
		return FLASH_CR_PSIZE_X16;
	default:
		return FLASH_CR_PSIZE_X8;
	}
}

guint
glint_f4_psize_unit(guint32 cr)
{
	return 1u << ((cr & FLASH_CR_PSIZE_MASK) >> FLASH_CR_PSIZE_SHIFT);
}

/* Geometry ------------------------------------------------------------------------- */

/* The first sectors of @runs that make @size bytes. */
static guint
cut_runs(const GlintUnitRun *runs, guint n_runs, guint32 size, GlintUnitRun *out)
{
	guint n = 0;
	for (guint r = 0; r < n_runs && size > 0; r++) {
		guint count = MIN(runs[r].count, size / runs[r].size);
		if (count == 0)
			break;
		out[n].size = runs[r].size;
		out[n].count = count;
		size -= count * runs[r].size;
		n++;
	}
	return n;
}

static gboolean
f4_dual_bank(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob)
{
	const GlintF4Chip *data = chip->data;
	switch (data->bank_rule) {
	case GLINT_F4_BANKS_DB1M:
		/* RM0090 3.4: 2 MB always dual; 1 MB with DB1M; less never */
		return flash_kb == 2048 ||
		       (flash_kb == 1024 && (ob->regs[F4_OB_OPTCR] & FLASH_OPTCR_DB1M) != 0);
	case GLINT_F4_BANKS_NDBANK:
		return (ob->regs[F4_OB_OPTCR] & FLASH_OPTCR_NDBANK) == 0;
	default:
		return FALSE;
	}
}

void
glint_f4_geometry(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
		  gdouble volts, GlintFlashGeometry *geometry)
{
	const GlintF4Chip *data = chip->data;
	guint32 size = flash_kb * 1024;
	GlintUnitRun runs[GLINT_GEOMETRY_MAX_RUNS];
	guint unit = glint_f4_program_unit_for(volts);
	guint n;

	/* Without a measured supply the layout still has a unit (x32, what a
	 * 3.3 V board takes); the driver refuses to program until it knows. */
	glint_geometry_init(geometry, chip->flash_base, 0xFF, unit != 0 ? unit : 4, "sector");
	if (f4_dual_bank(chip, flash_kb, ob)) {
		/* bank 2 sectors are numbered from 12 (RM0090 table 7, RM0410 table 4) */
		n = cut_runs(data->dual_runs, data->n_dual_runs, size / 2, runs);
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, runs, n);
		glint_geometry_add_bank(geometry, chip->flash_base + size / 2, 1, 12, runs, n);
	} else {
		n = cut_runs(data->single_runs, data->n_single_runs, size, runs);
		glint_geometry_add_bank(geometry, chip->flash_base, 0, 0, runs, n);
	}
	geometry->bank_mode_configurable =
	    data->bank_rule == GLINT_F4_BANKS_NDBANK ||
	    (data->bank_rule == GLINT_F4_BANKS_DB1M && flash_kb == 1024);
}

guint32
glint_f4_sector_erase_bits(GlintTarget *t, const GlintFlashUnit *unit)
{
	guint32 snb = unit->physical > 0 ? FLASH_CR_SNB_BANK2 | unit->in_bank : unit->in_bank;
	return FLASH_CR_SER | ((snb << FLASH_CR_SNB_SHIFT) & FLASH_CR_SNB_MASK) |
	       glint_f4_psize_bits(t->info.geometry.program_unit);
}

guint32
glint_f4_bank_erase_bits(GlintTarget *t, guint physical)
{
	guint32 psize = glint_f4_psize_bits(t->info.geometry.program_unit);
	/* MER alone is the whole single bank (RM0090 3.6.3, RM0410 3.3.6) */
	if (t->info.geometry.n_banks == 1 || physical == 0)
		return FLASH_CR_MER | psize;
	return FLASH_CR_MER_BANK2 | psize;
}

/* Debug set-up --------------------------------------------------------------------- */

static gboolean
f4_debug_setup(GlintTarget *t, GError **error)
{
	guint32 fz = 0;
	/* A watchdog started by the firmware keeps counting while the core is
	 * halted unless frozen, and resets the chip in the middle of a job. */
	return glint_target_read32(t, DBGMCU_APB1_FZ, &fz, error) &&
	       glint_target_write32(
		   t, DBGMCU_APB1_FZ,
		   fz | DBGMCU_APB1_FZ_DBG_IWDG_STOP | DBGMCU_APB1_FZ_DBG_WWDG_STOP, error);
}

static const GlintFamilyOps f4_ops = {
    .identify = f4_identify,
    .geometry = glint_f4_geometry,
    .debug_setup = f4_debug_setup,
    .flash = &glint_f4_flash_ops,
    .diagnose = glint_f4_diagnose,
    .before_option_write = glint_f4_before_option_write,
    .loader = &glint_f4_loader,
};

static const GlintRegEdit f4_swo_steps[] = {
    {"DBGMCU_CR", DBGMCU_F4_CR, DBGMCU_CR_TRACE_IOEN, DBGMCU_CR_TRACE_MODE},
};
static const GlintSwoRoute f4_swo = {f4_swo_steps, G_N_ELEMENTS(f4_swo_steps), 0, FALSE};

const GlintFamily glint_family_f4 = {
    .id = "f4",
    .name = "STM32F2/F4/F7",
    .chips = f4_chips,
    .n_chips = G_N_ELEMENTS(f4_chips),
    .ops = &f4_ops,
    .swo = &f4_swo,
};
