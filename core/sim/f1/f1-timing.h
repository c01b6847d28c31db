/* f1-timing.h: how long the STM32F0/F1/F3 flash operations take (BSY), from
 * the datasheets (docs/timing/f1.md). The benchmark's bound is computed
 * from these. The datasheets give no typical erase time, only 20 ms minimum
 * and 40 ms maximum: the model takes the minimum, so that a bound built on
 * it is never lenient. */
#pragma once

#include <glib.h>

/* DS5319 (STM32F103x8/B) table 28, and DS5792 (F103xC/D/E) "Flash memory
 * characteristics": 16-bit programming 52.5 us typical; page and mass
 * erase 20-40 ms */
#define F1_HALFWORD_NS G_GINT64_CONSTANT(52500)
#define F1_PAGE_ERASE_NS G_GINT64_CONSTANT(20000000)
#define F1_MASS_ERASE_NS G_GINT64_CONSTANT(20000000)

/* DS9826 (STM32F072) and DS9118 (STM32F303xD/E), "Flash memory
 * characteristics": 16-bit programming 53.5 us typical; page and mass
 * erase 20-40 ms */
#define F0_HALFWORD_NS G_GINT64_CONSTANT(53500)
#define F0_PAGE_ERASE_NS G_GINT64_CONSTANT(20000000)
#define F0_MASS_ERASE_NS G_GINT64_CONSTANT(20000000)

/* The F103 clone: no datasheet at hand, so an estimate that differs from
 * ST's on purpose (faster programming, slower erase), so that nothing in
 * Glint can silently depend on ST's numbers */
#define CLONE_HALFWORD_NS G_GINT64_CONSTANT(40000)
#define CLONE_PAGE_ERASE_NS G_GINT64_CONSTANT(30000000)
#define CLONE_MASS_ERASE_NS G_GINT64_CONSTANT(30000000)

/* The highest HCLK, for the benchmark's verify bound (the CRC unit's clock,
 * glint_sim_get_flash_limit()): 72 MHz in DS5319 and DS5792 (F103) and
 * DS9118 (F303xD/E), 48 MHz in DS9826 (F072); the clone's as the F103's
 * (estimate) */
#define F1_MAX_HCLK_HZ 72000000u
#define F0_MAX_HCLK_HZ 48000000u
#define F3_MAX_HCLK_HZ 72000000u
#define CLONE_MAX_HCLK_HZ 72000000u
