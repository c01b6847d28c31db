/* f4-machine.c: the STM32F2/F4/F7 machines (RM0033, RM0090, RM0368, RM0383,
 * RM0390, RM0410): the memory regions and peripherals of each board's
 * chip, the sector maps (single bank, DB1M, nDBANK), the windows that
 * depend on the option bytes (boot alias, swapped banks, the F7's flash on
 * the ITCM bus) and the operations the framework calls. The flash
 * controller is f4-flash.c, the option bytes f4-options.c, the clock tree
 * f4-rcc.c, what a power cut leaves f4-faults.c, the boards f4-boards.c. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "f4-machine.h"

/* Sector maps ------------------------------------------------------------------------ */

/* 4 x 16 KB, 1 x 64 KB, 7 x 128 KB: the F2/F4 bank (RM0090 tables 5-6),
 * also one bank of a dual-bank F76x (RM0410 table 4) */
static const SimF4Run runs_16_64_128[] = {{16384, 4}, {65536, 1}, {131072, 7}};
/* 4 x 32 KB, 1 x 128 KB, 7 x 256 KB: a single-bank F76x (RM0410 table 3) */
static const SimF4Run runs_32_128_256[] = {{32768, 4}, {131072, 1}, {262144, 7}};

gboolean
f4_dual_bank(GlintSim *sim)
{
	const SimF4Config *cfg = f4_cfg(sim);
	guint32 optcr = f4_state(sim)->ob.optcr;
	switch (cfg->banks) {
	case SIM_F4_DB1M:
		return sim->flash_kb == 2048 ||
		       (sim->flash_kb == 1024 && (optcr & FLASH_OPTCR_DB1M) != 0);
	case SIM_F4_NDBANK:
		return (optcr & FLASH_OPTCR_NDBANK) == 0;
	default:
		return FALSE;
	}
}

guint32
f4_bank_size(GlintSim *sim)
{
	return f4_dual_bank(sim) ? sim->flash_kb * 512u : sim->flash_kb * 1024u;
}

static const SimF4Run *
f4_runs(GlintSim *sim, guint *n)
{
	const SimF4Config *cfg = f4_cfg(sim);
	gboolean dual = f4_dual_bank(sim);
	*n = dual ? cfg->n_dual_runs : cfg->n_single_runs;
	return dual ? cfg->dual_runs : cfg->single_runs;
}

/* The in-bank sector @i of a bank, cut to the part's bank size */
static gboolean
f4_bank_sector(GlintSim *sim, guint i, guint32 *offset, guint32 *size)
{
	guint n_runs, k = 0;
	const SimF4Run *runs = f4_runs(sim, &n_runs);
	guint32 at = 0, bank = f4_bank_size(sim);
	for (guint r = 0; r < n_runs; r++) {
		for (guint c = 0; c < runs[r].count; c++, k++) {
			if (at + runs[r].size > bank)
				return FALSE;
			if (k == i) {
				*offset = at;
				*size = runs[r].size;
				return TRUE;
			}
			at += runs[r].size;
		}
	}
	return FALSE;
}

guint
f4_sectors_per_bank(GlintSim *sim)
{
	guint n = 0;
	guint32 offset, size;
	while (f4_bank_sector(sim, n, &offset, &size))
		n++;
	return n;
}

guint
f4_sector_count(GlintSim *sim)
{
	return f4_sectors_per_bank(sim) * (f4_dual_bank(sim) ? 2 : 1);
}

static gboolean
f4_sector_in_bank(GlintSim *sim, guint bank, guint i, SimF4Sector *s)
{
	guint32 offset, size;
	if (!f4_bank_sector(sim, i, &offset, &size))
		return FALSE;
	s->bank = bank;
	/* bank 2 sectors are numbered from 12 (RM0090 table 7, RM0410 table 4) */
	s->number = bank ? 12 + i : i;
	s->offset = (bank ? f4_bank_size(sim) : 0) + offset;
	s->size = size;
	return TRUE;
}

gboolean
f4_sector_nth(GlintSim *sim, guint index, SimF4Sector *s)
{
	guint per_bank = f4_sectors_per_bank(sim);
	if (index >= f4_sector_count(sim))
		return FALSE;
	return f4_sector_in_bank(sim, index / per_bank, index % per_bank, s);
}

gboolean
f4_sector_at(GlintSim *sim, guint32 offset, SimF4Sector *s)
{
	for (guint i = 0; f4_sector_nth(sim, i, s); i++) {
		if (offset >= s->offset && offset - s->offset < s->size)
			return TRUE;
	}
	return FALSE;
}

gboolean
f4_sector_by_snb(GlintSim *sim, guint snb, SimF4Sector *s)
{
	/* RM0090 3.9.8: 0x10 | n is the n-th sector of bank 2; the codes in
	 * between name nothing */
	if (f4_dual_bank(sim) && (snb & FLASH_CR_SNB_BANK2))
		return f4_sector_in_bank(sim, 1, snb & ~FLASH_CR_SNB_BANK2, s);
	if (snb & FLASH_CR_SNB_BANK2)
		return FALSE;
	return f4_sector_in_bank(sim, 0, snb, s);
}

gboolean
f4_boots_from_sysmem(GlintSim *sim)
{
	/* RM0090 3.9.10 BFB2: boot always from system memory, which then
	 * picks a bank (only with two banks) */
	return !f4_cfg(sim)->f7 && f4_cfg(sim)->banks == SIM_F4_DB1M &&
	       (f4_state(sim)->ob.optcr & FLASH_OPTCR_BFB2) != 0 && f4_dual_bank(sim);
}

/* The lines ------------------------------------------------------------------------- */

#define F4_RUNS(single, dual)                                                                      \
	.single_runs = single, .n_single_runs = G_N_ELEMENTS(single), .dual_runs = dual,           \
	.n_dual_runs = (dual) != NULL ? 3 : 0

#define F4_LINE_MEMORY                                                                             \
	.otp_base = F4_OTP_BASE, .otp_data_size = F4_OTP_DATA_SIZE, .info_base = F4_INFO_BASE,     \
	.flashsize_offset = F4_FLASHSIZE_OFFSET, .opt_base = F4_OPT_BASE,                          \
	.sysmem_base = F4_SYSMEM_BASE

/* OPTCR reset values and writable bits: RM0090 3.9.9-3.9.11, RM0368 3.8.6,
 * RM0390 3.8.6, RM0410 3.7.7-3.7.8 */
static const SimF4Config f401_config = {
    .max_hclk_hz = SIM_F401_MAX_HCLK_HZ,
    .line = "STM32F401",
    F4_RUNS(runs_16_64_128, NULL),
    .snb_bits = 4,
    .nwrp_bits = 8,
    .has_sprmod = TRUE,
    .has_rderr = TRUE,
    .optcr_factory = 0x0FFFAAEDu,
    .optcr_mask = 0x8FFFFFECu,
    F4_LINE_MEMORY,
};
static const SimF4Config f411_config = {
    .max_hclk_hz = SIM_F411_MAX_HCLK_HZ,
    .line = "STM32F411",
    F4_RUNS(runs_16_64_128, NULL),
    .snb_bits = 4,
    .nwrp_bits = 8,
    .has_sprmod = TRUE,
    .has_rderr = TRUE,
    .optcr_factory = 0x0FFFAAEDu,
    .optcr_mask = 0x8FFFFFECu,
    F4_LINE_MEMORY,
};
static const SimF4Config f446_config = {
    .max_hclk_hz = SIM_F446_MAX_HCLK_HZ,
    .line = "STM32F446",
    F4_RUNS(runs_16_64_128, NULL),
    .snb_bits = 4,
    .nwrp_bits = 8,
    .has_sprmod = TRUE,
    .has_rderr = TRUE,
    .optcr_factory = 0x0FFFAAEDu,
    .optcr_mask = 0x8FFFFFECu,
    F4_LINE_MEMORY,
};
static const SimF4Config f429_config = {
    .max_hclk_hz = SIM_F429_MAX_HCLK_HZ,
    .line = "STM32F429",
    .banks = SIM_F4_DB1M,
    F4_RUNS(runs_16_64_128, runs_16_64_128),
    .snb_bits = 5,
    .nwrp_bits = 12,
    .has_sprmod = TRUE,
    .has_optcr1 = TRUE,
    .has_rderr = TRUE,
    .has_mer_bank2 = TRUE,
    .optcr_factory = 0x0FFFAAEDu,
    .optcr1_factory = 0x0FFF0000u,
    .optcr_mask = 0xCFFFFFFCu,
    .optcr1_mask = 0x0FFF0000u,
    .optcr_at_load = FLASH_OPTCR_DB1M,
    F4_LINE_MEMORY,
};
static const SimF4Config f207_config = {
    .max_hclk_hz = SIM_F207_MAX_HCLK_HZ,
    .line = "STM32F207",
    F4_RUNS(runs_16_64_128, NULL),
    .snb_bits = 4,
    .nwrp_bits = 12,
    .optcr_factory = 0x0FFFAAEDu,
    .optcr_mask = 0x0FFFFFECu,
    F4_LINE_MEMORY,
};
/* the F7: BOOT_ADD0/1 in OPTCR1, both applied at the next load as nDBANK */
static const SimF4Config f767_config = {
    .max_hclk_hz = SIM_F767_MAX_HCLK_HZ,
    .line = "STM32F767",
    .f7 = TRUE,
    .banks = SIM_F4_NDBANK,
    F4_RUNS(runs_32_128_256, runs_16_64_128),
    .snb_bits = 5,
    .nwrp_bits = 12,
    .has_optcr1 = TRUE,
    .has_mer_bank2 = TRUE,
    .crc_programmable = TRUE,
    .optcr_factory = 0xFFFFAAFDu,
    .optcr1_factory = 0x00400080u,
    .optcr_mask = 0xFFFFFFFCu,
    .optcr1_mask = 0xFFFFFFFFu,
    .optcr_at_load = FLASH_OPTCR_NDBANK,
    .otp_base = F7_OTP_BASE,
    .otp_data_size = F7_OTP_DATA_SIZE,
    .info_base = F7_INFO_BASE,
    .flashsize_offset = F7_FLASHSIZE_OFFSET,
    .opt_base = F7_OPT_BASE,
    .sysmem_base = F7_SYSMEM_BASE,
};

/* Regions ---------------------------------------------------------------------------- */

#define F4_FLASH_REGION                                                                            \
	[F4_REGION_FLASH] = {"flash",                                                              \
			     SIM_REGION_FLASH,                                                     \
			     F4_FLASH_BASE,                                                        \
			     0,                                                                    \
			     SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY |                       \
				 SIM_REGION_NONVOLATILE | SIM_REGION_EXEC |                        \
				 SIM_REGION_MACHINE_MAPPED,                                        \
			     0xFF}
/* The controller sees stores into system memory and the option bytes too
 * (WRPERR, RM0090 3.7.4); OTP is 512 bytes and 16 lock bytes, programmed
 * like flash */
#define F4_PROGRAMMED_ONLY (SIM_REGION_PROGRAMMED | SIM_REGION_WAITS_BUSY)
#define F4_SRAM_REGION(size)                                                                       \
	[F4_REGION_SRAM] = {                                                                       \
	    "sram", SIM_REGION_SRAM, F4_SRAM_BASE, size, SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0}
#define F4_SYSMEM_REGION(base, size)                                                               \
	[F4_REGION_SYSMEM] = {"sysmem",                                                            \
			      SIM_REGION_SYSMEM,                                                   \
			      base,                                                                \
			      size,                                                                \
			      SIM_REGION_PROGRAMMED | SIM_REGION_EXEC,                             \
			      0xFF}
#define F4_OTP_REGION(base, size)                                                                  \
	[F4_REGION_OTP] = {"otp",                                                                  \
			   SIM_REGION_OTP,                                                         \
			   base,                                                                   \
			   (size) + F4_OTP_LOCK_SIZE,                                              \
			   F4_PROGRAMMED_ONLY | SIM_REGION_NONVOLATILE,                            \
			   0xFF}
#define F4_INFO_REGION(base, size) [F4_REGION_INFO] = {"info", SIM_REGION_INFO, base, size, 0, 0xFF}
#define F4_OPT_REGION(base, size)                                                                  \
	[F4_REGION_OPT] = {"options1",                                                             \
			   SIM_REGION_OPTIONS,                                                     \
			   base,                                                                   \
			   size,                                                                   \
			   SIM_REGION_PROGRAMMED | SIM_REGION_NONVOLATILE,                         \
			   0xFF}
#define F4_COMMON_REGIONS(sram_size)                                                               \
	F4_FLASH_REGION, F4_SRAM_REGION(sram_size),                                                \
	    F4_SYSMEM_REGION(F4_SYSMEM_BASE, F4_SYSMEM_SIZE),                                      \
	    F4_OTP_REGION(F4_OTP_BASE, F4_OTP_DATA_SIZE),                                          \
	    F4_INFO_REGION(F4_INFO_BASE, F4_INFO_SIZE),                                            \
	    F4_OPT_REGION(F4_OPT_BASE, F4_OPT_AREA_SIZE)

#define F4_CCM_REGION                                                                              \
	{                                                                                          \
		"ccm", SIM_REGION_SRAM, F4_CCM_BASE, F4_CCM_SIZE, SIM_REGION_WRITABLE, 0x00        \
	}

/* RM0368 2.3: 96 KB SRAM */
static const SimRegion f401_regions[] = {F4_COMMON_REGIONS(96u * 1024u)};
/* RM0383 2.3: 128 KB SRAM */
static const SimRegion f411_regions[] = {F4_COMMON_REGIONS(128u * 1024u)};
/* RM0390 2.3: SRAM1 112 KB + SRAM2 16 KB */
static const SimRegion f446_regions[] = {F4_COMMON_REGIONS(128u * 1024u)};
/* RM0090 2.3: SRAM1-3 192 KB, CCM 64 KB, bank 2's option bytes */
static const SimRegion f429_regions[] = {
    F4_COMMON_REGIONS(192u * 1024u),
    [F4_REGION_OPT2] = {"options2", SIM_REGION_OPTIONS, F4_OPT2_BASE, F4_OPT_AREA_SIZE,
			SIM_REGION_PROGRAMMED | SIM_REGION_NONVOLATILE, 0xFF},
    F4_CCM_REGION,
};
/* RM0033 2.3: SRAM1 112 KB + SRAM2 16 KB */
static const SimRegion f207_regions[] = {F4_COMMON_REGIONS(128u * 1024u)};
/* RM0410 2.2: DTCM 128 KB + SRAM1 368 KB + SRAM2 16 KB from 0x20000000, ITCM
 * RAM at 0, system memory and OTP at 0x1FF0xxxx, option bytes 0x1FFF0000 */
static const SimRegion f767_regions[] = {
    F4_FLASH_REGION,
    F4_SRAM_REGION(512u * 1024u),
    F4_SYSMEM_REGION(F7_SYSMEM_BASE, F7_SYSMEM_SIZE),
    F4_OTP_REGION(F7_OTP_BASE, F7_OTP_DATA_SIZE),
    F4_INFO_REGION(F7_INFO_BASE, F7_INFO_SIZE),
    F4_OPT_REGION(F7_OPT_BASE, F7_OPT_AREA_SIZE),
    {"itcm", SIM_REGION_SRAM, F7_ITCM_RAM_BASE, F7_ITCM_RAM_SIZE,
     SIM_REGION_WRITABLE | SIM_REGION_EXEC, 0x00},
};

/* Windows -------------------------------------------------------------------------- */

static guint32
f4_map_key(GlintSim *sim)
{
	F4State *st = f4_state(sim);
	return (f4_dual_bank(sim) ? 1u : 0) | (st->ob.ufb_mode ? 2u : 0) |
	       (f4_boots_from_sysmem(sim) ? 4u : 0);
}

/* Main flash at 0x08000000, its banks swapped with UFB_MODE; the boot alias
 * at 0 on the F2/F4 (system memory when BFB2 boots the bootloader, else
 * flash, RM0090 2.4 and SYSCFG_MEMRMP); the F7's flash on the ITCM bus at
 * 0x00200000 (RM0410 2.2.2) */
static void
f4_map_windows(GlintSim *sim, SimMap *map)
{
	guint32 size = sim->flash_kb * 1024u, half = size / 2;
	if (f4_dual_bank(sim) && f4_state(sim)->ob.ufb_mode) {
		sim_map_add(map, F4_FLASH_BASE, half, F4_REGION_FLASH, half);
		sim_map_add(map, F4_FLASH_BASE + half, half, F4_REGION_FLASH, 0);
	} else {
		sim_map_add(map, F4_FLASH_BASE, size, F4_REGION_FLASH, 0);
	}
	if (f4_cfg(sim)->f7)
		sim_map_forward(map, F7_ITCM_FLASH_BASE, size, F4_FLASH_BASE);
	else if (f4_boots_from_sysmem(sim))
		sim_map_forward(map, 0, F4_SYSMEM_SIZE, F4_SYSMEM_BASE);
	else
		sim_map_forward(map, 0, size, F4_FLASH_BASE);
}

/* Peripherals -------------------------------------------------------------------------- */

/* SYSCFG_MEMRMP shows what the boot chose; the rest of SYSCFG is storage */
static guint32
f4_syscfg_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	if (offset == SYSCFG_MEMRMP && !f4_cfg(sim)->f7) {
		guint32 v = f4_boots_from_sysmem(sim) ? SYSCFG_MEMRMP_SYSFLASH : 0;
		return v | (f4_state(sim)->ob.ufb_mode ? SYSCFG_MEMRMP_UFB_MODE : 0);
	}
	return sim_plain_read(sim, p, who, offset);
}

static gboolean
f4_syscfg_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		guint32 value)
{
	if (offset == SYSCFG_MEMRMP && !f4_cfg(sim)->f7)
		return TRUE; /* the boot mapping is not software's to change here */
	return sim_plain_write(sim, p, who, offset, size, value);
}

/* The F2/F4's CRC unit has DR, IDR and CR.RESET only (RM0090 4.4); the
 * F7's is the programmable one of periph/sim-crc.c (RM0410 chapter 6). */
static guint32
f4_crc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 v;
	if (f4_cfg(sim)->crc_programmable)
		return sim_crc_read(sim, p, who, offset);
	if ((offset & ~3u) > CRC_CR)
		return 0; /* reserved */
	v = sim_crc_read(sim, p, who, offset);
	return (offset & ~3u) == CRC_CR ? v & F4_CRC_CR_RESET : v;
}

static gboolean
f4_crc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	if (f4_cfg(sim)->crc_programmable)
		return sim_crc_write(sim, p, who, offset, size, value);
	switch (offset & ~3u) {
	case CRC_DR:
		/* a 32-bit register: the unit takes whole words */
		return sim_crc_write(sim, p, who, offset, 4, value);
	case CRC_IDR:
		return sim_crc_write(sim, p, who, offset, size, value);
	case CRC_CR:
		return sim_crc_write(sim, p, who, CRC_CR, 4, value & F4_CRC_CR_RESET);
	default:
		return TRUE; /* reserved on the F2/F4 */
	}
}

static const SimGpioConfig f4_gpio = {
    .n_ports = GPIO_PORT_COUNT,
    .moder_reset = {GPIOA_MODER_RESET, GPIOB_MODER_RESET},
    .pupdr_reset = {GPIOA_PUPDR_RESET, GPIOB_PUPDR_RESET},
};

static const guint32 f4_dbgmcu_registers[] = {DBGMCU_CR, DBGMCU_APB1_FZ, DBGMCU_APB2_FZ};
static const SimDbgmcuConfig f4_dbgmcu = {f4_dbgmcu_registers, G_N_ELEMENTS(f4_dbgmcu_registers)};

#define F4_PLAIN(name, base)                                                                       \
	{                                                                                          \
		name, base, F4_PERIPH_BLOCK, 0, sim_plain_read, sim_plain_write                    \
	}

/* What answers on the bus besides memory (RM0090 2.3 table 1): the modelled
 * peripherals, and plain storage for those a programmer or firmware
 * touches in passing. Other addresses fault for the debugger and read as 0
 * for the code. */
#define F4_PERIPHS(flash_config)                                                                   \
	{"FLASH",	  FLASH_R_BASE,	  FLASH_R_SIZE,		 0,                                \
	 f4_flash_read,	  f4_flash_write, f4_flash_reset,	 NULL,                             \
	 f4_flash_is_w1c, f4_flash_poke,  .config = flash_config},                                 \
	    {"RCC", RCC_BASE, F4_PERIPH_BLOCK, 0, f4_rcc_read, f4_rcc_write, f4_rcc_reset},        \
	    {"CRC",	  CRC_BASE,	F4_PERIPH_BLOCK, SIM_PERIPH_RAW_WRITES,                    \
	     f4_crc_read, f4_crc_write, sim_crc_reset},                                            \
	    {"GPIO",                                                                               \
	     GPIO_BASE,                                                                            \
	     GPIO_PORT_COUNT * GPIO_PORT_STRIDE,                                                   \
	     0,                                                                                    \
	     sim_gpio_read,                                                                        \
	     sim_gpio_write,                                                                       \
	     sim_gpio_reset,                                                                       \
	     .config = &f4_gpio},                                                                  \
	    {"SYSCFG", SYSCFG_BASE, F4_PERIPH_BLOCK, 0, f4_syscfg_read, f4_syscfg_write},          \
	    F4_PLAIN("WWDG", WWDG_BASE), F4_PLAIN("IWDG", IWDG_BASE),                              \
	    F4_PLAIN("USART2", USART2_BASE), F4_PLAIN("USART3", USART3_BASE),                      \
	    F4_PLAIN("PWR", PWR_BASE), F4_PLAIN("USART1", USART1_BASE),                            \
	    F4_PLAIN("DMA1", DMA1_BASE), F4_PLAIN("DMA2", DMA2_BASE),                              \
	    {"BKPSRAM", F4_BKPSRAM_BASE, F4_BKPSRAM_SIZE, 0, sim_plain_read, sim_plain_write},     \
	{                                                                                          \
		"DBGMCU", DBGMCU_BASE, DBGMCU_SIZE, 0, sim_dbgmcu_read, sim_dbgmcu_write, NULL,    \
		    sim_dbgmcu_power_on, .config = &f4_dbgmcu                                      \
	}

static const SimPeriph f401_periphs[] = {F4_PERIPHS(&f401_config)};
static const SimPeriph f411_periphs[] = {F4_PERIPHS(&f411_config)};
static const SimPeriph f446_periphs[] = {F4_PERIPHS(&f446_config)};
static const SimPeriph f429_periphs[] = {F4_PERIPHS(&f429_config)};
static const SimPeriph f767_periphs[] = {F4_PERIPHS(&f767_config)};
static const SimPeriph f207_periphs[] = {F4_PERIPHS(&f207_config)};

/* Operations ---------------------------------------------------------------------------- */

/* The line's facts travel as the flash interface's config */
static gpointer
f4_state_new(GlintSim *sim)
{
	F4State *st = g_new0(F4State, 1);
	for (guint i = 0; i < sim->machine->n_periphs; i++) {
		if (g_strcmp0(sim->machine->periphs[i].name, "FLASH") == 0)
			st->cfg = sim->machine->periphs[i].config;
	}
	g_assert(st->cfg != NULL);
	return st;
}

static void
f4_power_on(GlintSim *sim)
{
	f4_state(sim)->fl.sr = 0;
	f4_options_load(sim);
}

static guint32
f4_sp_at(GlintSim *sim, guint32 offset)
{
	return f4_load32(F4_MEM(sim, F4_REGION_FLASH) + offset);
}

/* The option bytes load at every reset release (RM0090 3.9.9); with BFB2
 * the bootloader maps bank 2 first when it starts with a stack pointer in
 * SRAM (AN2606, UFB_MODE) */
static void
f4_system_reset(GlintSim *sim)
{
	F4State *st = f4_state(sim);
	guint32 sp;
	f4_options_load(sim);
	st->ob.ufb_mode = FALSE;
	if (!f4_boots_from_sysmem(sim))
		return;
	sp = f4_sp_at(sim, f4_bank_size(sim));
	st->ob.ufb_mode = sp > F4_SRAM_BASE && sp <= F4_SRAM_BASE + sim->mem_size[F4_REGION_SRAM];
}

static guint32
f4_boot_address(GlintSim *sim)
{
	/* the F7 boots BOOT_ADD0 (BOOT0 low, RM0410 2.6) in 16 KB units */
	if (f4_cfg(sim)->f7)
		return (f4_state(sim)->ob.optcr1 & 0xFFFFu) << 14;
	return f4_boots_from_sysmem(sim) ? F4_SYSMEM_BASE : F4_FLASH_BASE;
}

/* RDP level 1 with a debugger: no access to main flash or OTP (RM0090
 * 3.7.3, table 18; the backup SRAM is plain storage here) */
static gboolean
f4_debug_blocked(GlintSim *sim, const SimHit *hit)
{
	if (!f4_options_rdp_protected(sim))
		return FALSE;
	return hit->info->kind == SIM_REGION_FLASH || hit->info->kind == SIM_REGION_OTP;
}

static gboolean
f4_debug_read_refused(GlintSim *sim, const SimHit *hit)
{
	return hit->info->kind == SIM_REGION_FLASH && f4_flash_pcrop_read_blocked(sim, hit->addr);
}

static gboolean
f4_debug_port_locked(GlintSim *sim)
{
	return f4_options_rdp(sim) == OPTCR_RDP_LEVEL2;
}

/* Unique ID and flash size (RM0090 39.1-39.2, RM0410 45.1-45.2) */
static void
f4_fill_info(GlintSim *sim)
{
	guint8 *info = F4_MEM(sim, F4_REGION_INFO);
	guint32 off = f4_cfg(sim)->flashsize_offset;
	memset(info, 0xFF, sim->mem_size[F4_REGION_INFO]);
	sim_unique_id(sim, info + F4_UID_OFFSET);
	info[off] = (guint8)sim->flash_kb;
	info[off + 1] = (guint8)(sim->flash_kb >> 8);
}

static const SimMachineOps f4_ops = {
    .state_new = f4_state_new,
    .state_free = g_free,
    .map_key = f4_map_key,
    .map_windows = f4_map_windows,
    .power_on = f4_power_on,
    .system_reset = f4_system_reset,
    .boot_address = f4_boot_address,
    .hclk_hz = f4_rcc_hclk_hz,
    .bor_threshold_mv = f4_bor_threshold_mv,
    .fill_info = f4_fill_info,
    .mem_write = f4_flash_mem_write,
    .wait_busy = f4_flash_stall,
    .debug_blocked = f4_debug_blocked,
    .debug_read_refused = f4_debug_read_refused,
    .debug_port_locked = f4_debug_port_locked,
    .power_fail = f4_flash_power_fail,
    .flash_limit = f4_flash_limit,
    .factory = f4_scenario_factory,
    .protect_first_unit = f4_scenario_protect_first_unit,
    .set_rdp_level1 = f4_scenario_set_rdp_level1,
    .leave_stale_flags = f4_scenario_leave_stale_flags,
};

/* The external SysTick reference is HCLK / 8 (RM0090 6.2) */
#define F4_SYSTICK_EXT_DIV 8u

/* RM0033 32.6.3, RM0090 38.6.3: the SW-DP of the F2 and F4 answers
 * 0x2BA01477, the F2's Cortex-M3 included; the F7's is its core's */
#define F4_SW_DP_IDCODE 0x2BA01477u

/* The demo scenario's LED ports and the SWO pin */
static const SimGpioPorts f4_gpio_ports = {GPIO_BASE, RCC_BASE + RCC_AHB1ENR, 0,
					   SIM_GPIO_STYLE_MODER};
/* SWO on PB3 in AF0, its reset function (GPIOB_MODER reset 0x00000280:
 * RM0090 8.4.1, RM0410 6.4.1) */
static const SimSwoPin f4_swo_pin = {DBGMCU_BASE + DBGMCU_CR, DBGMCU_CR_TRACE_IOEN,
				     DBGMCU_CR_TRACE_MODE, SIM_LED('B', 3)};

#define F4_MACHINE(var, family_name, cpu, regions_table, periphs_table, vectors)                   \
	const SimMachine var = {                                                                   \
	    .name = "f4",                                                                          \
	    .family = family_name,                                                                 \
	    .core = cpu,                                                                           \
	    .regions = regions_table,                                                              \
	    .n_regions = G_N_ELEMENTS(regions_table),                                              \
	    .periphs = periphs_table,                                                              \
	    .n_periphs = G_N_ELEMENTS(periphs_table),                                              \
	    .systick_ext_div = F4_SYSTICK_EXT_DIV,                                                 \
	    .vector_count = vectors,                                                               \
	    .scenario_texts = f4_scenario_texts,                                                   \
	    .ops = &f4_ops,                                                                        \
	    .dp_idcode = (cpu) == SIM_CORE_CORTEX_M7 ? 0 : F4_SW_DP_IDCODE,                        \
	    .swo_pin = &f4_swo_pin,                                                                \
	    .gpio_ports = &f4_gpio_ports,                                                          \
	}

/* Vector tables: 16 system entries and the line's interrupts (RM0368
 * table 38: 85, RM0383: 86, RM0390: 97, RM0090 table 62: 91, RM0410: 110,
 * RM0033: 81) */
F4_MACHINE(sim_f401_machine, "STM32F4", SIM_CORE_CORTEX_M4, f401_regions, f401_periphs, 101);
F4_MACHINE(sim_f411_machine, "STM32F4", SIM_CORE_CORTEX_M4, f411_regions, f411_periphs, 102);
F4_MACHINE(sim_f446_machine, "STM32F4", SIM_CORE_CORTEX_M4, f446_regions, f446_periphs, 113);
F4_MACHINE(sim_f429_machine, "STM32F4", SIM_CORE_CORTEX_M4, f429_regions, f429_periphs, 107);
F4_MACHINE(sim_f767_machine, "STM32F7", SIM_CORE_CORTEX_M7, f767_regions, f767_periphs, 126);
F4_MACHINE(sim_f207_machine, "STM32F2", SIM_CORE_CORTEX_M3, f207_regions, f207_periphs, 97);
