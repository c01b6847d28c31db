/* glint-demo-config.h: the board description the demo firmware reads from
 * flash, right after its vector table. The ELF carries the values for a
 * NUCLEO-L476RG (LD2 on PA5, 4 MHz MSI at reset); the emulator's demo
 * scenario (core/sim/sim-scenario.c) rewrites them for the board it runs
 * on, so one image serves every family. Shared by the firmware and the
 * emulator: fixed-width fields only. */
#pragma once

#include <stdint.h>

/* Byte offset of the block in the image: after the 16 system vectors */
#define GLINT_DEMO_CONFIG_OFFSET 0x40u
#define GLINT_DEMO_CONFIG_MAGIC 0x4D444C47u /* "GLDM" */
#define GLINT_DEMO_CONFIG_VERSION 1u

/* GPIO register layouts (the F1 has CRL/CRH instead of MODER) */
#define GLINT_DEMO_GPIO_MODER 0u
#define GLINT_DEMO_GPIO_CRL_CRH 1u

/* Where the demo's crash command writes: reserved on every STM32 (between
 * SRAM and the peripherals), so the store is a bus fault */
#define GLINT_DEMO_CRASH_ADDRESS 0x3FFFFFF0u

typedef struct {
	uint32_t magic;
	uint32_t version;
	/* SysTick reload for a 10 ms tick at the reset clock (HCLK / 100 - 1) */
	uint32_t systick_reload;
	/* the LED: its GPIO port's base (0: no LED), pin, register layout */
	uint32_t led_gpio;
	uint32_t led_pin;
	uint32_t led_style;
	/* the RCC register and bit that clock the port (0: always clocked) */
	uint32_t led_rcc_reg;
	uint32_t led_rcc_mask;
} GlintDemoConfig;

#define GLINT_DEMO_CONFIG_WORDS (sizeof(GlintDemoConfig) / 4u)
