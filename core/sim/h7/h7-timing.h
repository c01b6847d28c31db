/* h7-timing.h: how long the STM32H7's flash operations take (BSY/QW), at
 * 64-bit parallelism (PSIZE x64, what every tool uses), typical values.
 * Sources and the values at other parallelisms: docs/timing/h7.md. */
#pragma once

#include <glib.h>

/* DS12110 (STM32H743/753) table "Flash memory programming", typical:
 * one 256-bit flash word at x64, a 128 KB sector erase, a bank erase.
 * DS13313 (STM32H723/733) gives the same figures. */
#define H74X_WORD_NS G_GINT64_CONSTANT(100000)
#define H74X_SECTOR_ERASE_NS G_GINT64_CONSTANT(1000000000)
#define H74X_BANK_ERASE_NS G_GINT64_CONSTANT(5000000000)
/* DS13195 (STM32H7A3/B3): one 128-bit word, an 8 KB sector, a bank */
#define H7AX_WORD_NS G_GINT64_CONSTANT(50000)
#define H7AX_SECTOR_ERASE_NS G_GINT64_CONSTANT(2000000)
#define H7AX_BANK_ERASE_NS G_GINT64_CONSTANT(260000000)
/* Option-byte change: a program of the option area (estimate, one word
 * program); an RDP 1 -> 0 regression adds a bank erase. */
#define H7_OPTION_CHANGE_NS G_GINT64_CONSTANT(200000)
/* The highest HCLK (the AXI/AHB clock, the CRC unit's), for the
 * benchmark's verify bound (glint_sim_get_flash_limit()): DS12110 240 MHz
 * (the core at 480), DS13195 280 MHz, DS13313 275 MHz (the core at 550) */
#define H74X_MAX_HCLK_HZ 240000000u
#define H7AX_MAX_HCLK_HZ 280000000u
#define H72X_MAX_HCLK_HZ 275000000u
/* The core after reset runs on HSI at 64 MHz (RM0433 8.5.2) */
#define H7_HSI_HZ 64000000u
