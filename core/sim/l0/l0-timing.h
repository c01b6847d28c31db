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

/* The highest HCLK, for the benchmark's verify bound (the CRC unit's clock,
 * glint_sim_get_flash_limit()): 32 MHz in DS10152 (L053), DS10685 (L073)
 * and DS8890 (L152xE) */
#define SIM_LX_MAX_HCLK_HZ 32000000u
/* The bound's other way to erase: raise read protection to level 1 (one
 * option word, 2 tprog, then OBL_LAUNCH) and regress to level 0 (2 tprog
 * + the regression's erase, then OBL_LAUNCH), as OpenOCD's stm32lx
 * mass_erase does; it also erases the data EEPROM. The datasheets give no
 * time for it: built from the model's estimates above. */
#define SIM_LX_MASS_ERASE_TPROGS (2 + 2 + SIM_LX_REGRESSION_TPROGS)
#define SIM_LX_MASS_ERASE_RESETS 2
