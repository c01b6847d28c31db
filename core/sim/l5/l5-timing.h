/* l5-timing.h: how long the STM32L5/U5 flash operations take (BSY),
 * typical values. Sources and what is recalled rather than read:
 * docs/timing/l5.md. The benchmark's bound is computed from these. */
#pragma once

#include <glib.h>

/* DS12736 (STM32L552xx) "Flash memory characteristics", typical (recalled:
 * the L4's 90 nm cell, docs/timing/l5.md): one double word, a page erase
 * (2 or 4 KB), a bank or mass erase */
#define L552_DOUBLE_WORD_NS G_GINT64_CONSTANT(81690)
#define L552_PAGE_ERASE_NS G_GINT64_CONSTANT(22020000)
#define L552_MASS_ERASE_NS G_GINT64_CONSTANT(22130000)
/* DS13737 (STM32U575xx), typical (recalled): one quad word, an 8 KB page
 * erase, a bank erase */
#define U575_QUAD_WORD_NS G_GINT64_CONSTANT(118000)
#define U575_PAGE_ERASE_NS G_GINT64_CONSTANT(1500000)
#define U575_MASS_ERASE_NS G_GINT64_CONSTANT(1500000)
/* Option programming: an erase and write of the option area (estimate:
 * one page erase); an RDP regression adds a mass erase */
#define L552_OPTION_NS L552_PAGE_ERASE_NS
#define U575_OPTION_NS U575_PAGE_ERASE_NS
/* The highest HCLK, for the benchmark's verify bound (the CRC unit's clock,
 * glint_sim_get_flash_limit()): 110 MHz in DS12736 (STM32L552xx), 160 MHz
 * in DS13737 (STM32U575xx) */
#define L552_MAX_HCLK_HZ 110000000u
#define U575_MAX_HCLK_HZ 160000000u
/* The core after reset runs on MSI at 4 MHz (RM0438 9.2, RM0456 11.4.3) */
#define L5_MSI_RESET_HZ 4000000u
