/* l4-timing.h: how long the STM32L4's flash operations take (BSY), from
 * the datasheet. The benchmark's bound is computed from these. */
#pragma once

#include <glib.h>

/* DS10198 flash memory characteristics, typical values (reference 4.9). */
#define SIM_FLASH_DOUBLE_WORD_NS G_GINT64_CONSTANT(81690)
#define SIM_FLASH_FAST_ROW_NS G_GINT64_CONSTANT(1910000)
/* Fast programming streams a row's double words through one high-voltage
 * pulse: each takes its 1/32 share of the row time, and the next one must
 * have arrived when it ends (RM0351 3.3.7, MISERR) */
#define SIM_FLASH_PAGE_ERASE_NS G_GINT64_CONSTANT(22020000)
#define SIM_FLASH_MASS_ERASE_NS G_GINT64_CONSTANT(22130000)
/* Option programming: an option page erase + write; RDP 1->0 adds a mass
 * erase (RM0351 3.4.2 describes the sequence, times from DS10198). */
#define SIM_FLASH_OPTION_NS SIM_FLASH_PAGE_ERASE_NS

/* The highest HCLK of each line, for the benchmark's verify bound (the CRC
 * unit's clock, glint_sim_get_flash_limit()): DS10198 (STM32L47x), DS11585
 * (L49x), DS11451 (L43x) and DS11912 (L45x) give 80 MHz, DS12288 (G47x)
 * and DS12589 (G43x) 170 MHz, DS12023 (L4R/L4S) 120 MHz. */
#define SIM_L4_MAX_HCLK_HZ 80000000u
#define SIM_G4_MAX_HCLK_HZ 170000000u
#define SIM_L4P_MAX_HCLK_HZ 120000000u
/* DS12232 (G071), DS12992 (G031) and DS13560 (G0B1) give 64 MHz, DS11929
 * (WB55) 64 MHz, DS13293 (WL55) 48 MHz */
#define G0_MAX_HCLK_HZ 64000000u
#define WB_MAX_HCLK_HZ 64000000u
#define WL_MAX_HCLK_HZ 48000000u

/* STM32G0 (DS12232 for the G071, DS12992 G031, DS13560 G0B1, "Flash memory
 * characteristics", typical; recalled, check the tables): 85 us per double
 * word, 1.7 ms per fast 32-double-word row, 22 ms per 2 KB page erase or
 * mass erase (docs/timing/l4.md) */
#define G0_FLASH_DOUBLE_WORD_NS G_GINT64_CONSTANT(85000)
#define G0_FLASH_FAST_ROW_NS G_GINT64_CONSTANT(1700000)
#define G0_FLASH_PAGE_ERASE_NS G_GINT64_CONSTANT(22000000)
#define G0_FLASH_MASS_ERASE_NS G_GINT64_CONSTANT(22100000)
/* STM32WB55 (DS11929) and STM32WL55 (DS13293): the L4's cells, the same
 * typical figures (recalled); the WB's 4 KB page takes one page erase time
 * (zephyr's flash_stm32wbx.c gives 24.5 ms as its maximum) */
