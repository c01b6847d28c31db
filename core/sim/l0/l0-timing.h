/* l0-timing.h: how long the STM32L0/L1 NVM operations take (BSY), from the
 * datasheets (docs/timing/l0.md). The benchmark's bound uses these. */
#pragma once

#include <glib.h>

/* DS10152 (STM32L053x6/x8), "Flash memory and data EEPROM
 * characteristics", typical tprog: a word, a half-page, a page erase or a
 * data EEPROM word (recalled: check the table). */
#define SIM_L0_TPROG_NS G_GINT64_CONSTANT(3200000)
/* DS8890 (STM32L151/152xE), same table: 3.28 ms typical (recalled). */
#define SIM_L1_TPROG_NS G_GINT64_CONSTANT(3280000)
/* An RDP 1 -> 0 regression erases program memory and data EEPROM, then
 * programs the RDP word: three tprog (estimate). */
#define SIM_LX_REGRESSION_TPROGS 3
