/* sim-periph.h: peripheral models several STM32 families share: plain
 * register storage, the DBGMCU, the CRC unit with a programmable polynomial
 * (RM0351 chapter 14) and GPIO ports (RM0351 8.4). A machine places them in
 * its peripheral table (SimPeriph) with its own base addresses and, where a
 * model needs them, its own reset values (the config). */
#pragma once

#include "sim-machine.h"

/* Plain storage: registers that keep what is written (RCC enables, PWR,
 * DMA, ...), back to their reset value (SimPeriphMap, else 0) at a system
 * reset; read-only bits and write-only registers as the map says. The
 * machine lists the blocks a programmer or firmware touches in passing. */
guint32 sim_plain_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean sim_plain_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			 guint size, guint32 value);

/* DBGMCU: IDCODE at offset 0 (the board's DEV_ID and REV_ID), read-only;
 * the configuration and freeze registers the config lists keep what is
 * written until power-on; the rest reads 0 and ignores writes. */
#define SIM_DBGMCU_WORDS 32u
typedef struct {
	const guint32 *registers; /* offsets of the read/write registers */
	guint n_registers;
} SimDbgmcuConfig;
guint32 sim_dbgmcu_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean sim_dbgmcu_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			  guint size, guint32 value);
void sim_dbgmcu_power_on(GlintSim *sim, const SimPeriph *p);

/* CRC calculation unit (RM0351 chapter 14); SIM_PERIPH_RAW_WRITES */
#define CRC_DR 0x00u
#define CRC_IDR 0x04u
#define CRC_CR 0x08u
#define CRC_INIT 0x10u
#define CRC_POL 0x14u
#define CRC_CR_RESET (1u << 0)
#define CRC_CR_POLYSIZE_SHIFT 3
#define CRC_CR_REV_IN_SHIFT 5
#define CRC_CR_REV_OUT (1u << 7)
#define CRC_CR_MASK 0xF8u
#define CRC_INIT_RESET 0xFFFFFFFFu
#define CRC_POL_RESET 0x04C11DB7u
/* HCLK cycles the unit takes per byte written to CRC_DR: it handles 8 bits
 * per cycle (RM0351 14.3); the CRC chapters of RM0008, RM0091, RM0090,
 * RM0367 and RM0433 give the same 4 AHB cycles per 32-bit word (recalled) */
#define SIM_CRC_CYCLES_PER_BYTE 1u
guint32 sim_crc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean sim_crc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		       guint32 value);
void sim_crc_reset(GlintSim *sim, const SimPeriph *p);

/* General-purpose I/O ports (RM0351 8.4): one block of @n_ports ports
 * GPIO_PORT_STRIDE apart, with the reset values of the chip's pins */
#define SIM_GPIO_MAX_PORTS 11u
#define GPIO_PORT_STRIDE 0x400u
#define GPIO_MODER 0x00u
#define GPIO_OTYPER 0x04u
#define GPIO_OSPEEDR 0x08u
#define GPIO_PUPDR 0x0Cu
#define GPIO_IDR 0x10u
#define GPIO_ODR 0x14u
#define GPIO_BSRR 0x18u
#define GPIO_LCKR 0x1Cu
#define GPIO_AFRL 0x20u
#define GPIO_AFRH 0x24u
#define GPIO_BRR 0x28u
#define GPIO_MODE_OUTPUT 1u
#define GPIO_MODER_AF 2u
typedef struct {
	guint n_ports;
	guint32 moder_reset[SIM_GPIO_MAX_PORTS];
	guint32 pupdr_reset[SIM_GPIO_MAX_PORTS];
} SimGpioConfig;
guint32 sim_gpio_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean sim_gpio_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void sim_gpio_reset(GlintSim *sim, const SimPeriph *p);
