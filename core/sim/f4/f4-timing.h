/* f4-timing.h: how long the F2/F4/F7 flash operations take (BSY), recalled from the
 * datasheets' "Flash memory programming" tables (typical values; see
 * docs/timing/f4.md for the table of each part). The benchmark's bound is
 * computed from these. */
#pragma once

#include <glib.h>

/* tprog, one write access at any parallelism (x8, x16, x32; x64 with VPP):
 * DS8626, DS10086, DS9405 "Flash memory programming": 16 us typical
 * (recalled; table numbers not re-read) */
#define SIM_F4_PROGRAM_NS G_GINT64_CONSTANT(16000)

/* Erase times by parallelism, index 0 x8, 1 x16, 2 x32 (x64 as x32):
 * tERASE16KB, tERASE64KB, tERASE128KB typical (same tables). The F7's 32,
 * 128 and 256 KB sectors take the times of the F4's 16, 64 and 128 KB
 * ones (DS10916, DS11532; recalled). */
static const gint64 sim_f4_erase_small_ms[3] = {400, 300, 250};
static const gint64 sim_f4_erase_medium_ms[3] = {1200, 700, 550};
static const gint64 sim_f4_erase_large_ms[3] = {2000, 1300, 1000};
/* tME for a 1 MB bank (DS8626, DS9405: 16 s, 11 s, 8 s); a smaller bank in
 * proportion (DS10086: 8/5.5/4 s for 512 KB); both banks of a dual-bank part
 * one after the other (estimate) */
static const gint64 sim_f4_erase_1mb_ms[3] = {16000, 11000, 8000};

/* Option programming: the user configuration sector is erased and written
 * again (RM0090 3.7.2): a 16 KB sector erase at the PSIZE in FLASH_CR
 * (estimate); RDP 1 -> 0 adds a mass erase. */

/* The highest HCLK of each line, for the benchmark's verify bound (the CRC
 * unit's clock, glint_sim_get_flash_limit()): DS10086 (F401xD/E) 84 MHz,
 * DS10314 (F411) 100 MHz, DS10693 (F446) and DS9405 (F429) 180 MHz,
 * DS6697 (F207) 120 MHz, DS11532 (F767) 216 MHz */
#define SIM_F401_MAX_HCLK_HZ 84000000u
#define SIM_F411_MAX_HCLK_HZ 100000000u
#define SIM_F446_MAX_HCLK_HZ 180000000u
#define SIM_F429_MAX_HCLK_HZ 180000000u
#define SIM_F207_MAX_HCLK_HZ 120000000u
#define SIM_F767_MAX_HCLK_HZ 216000000u
