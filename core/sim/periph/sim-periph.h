/* sim-periph.h: register offsets and bits of the peripheral models in periph/
 * (the CRC unit of RM0351 chapter 14, GPIO ports of RM0351 8.4), which several
 * STM32 families share. Where a machine places them is its own table. */
#pragma once

/* CRC calculation unit (RM0351 chapter 14) */
#define CRC_BASE 0x40023000u
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

/* General-purpose I/O (RM0351 8.4), ports A..H */
#define GPIO_BASE 0x48000000u
#define GPIO_PORT_STRIDE 0x400u
#define GPIO_PORT_COUNT 8u
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
#define GPIOA_MODER_RESET 0xABFFFFFFu
#define GPIOB_MODER_RESET 0xFFFFFEBFu
#define GPIO_MODER_RESET 0xFFFFFFFFu
#define GPIOA_PUPDR_RESET 0x64000000u
#define GPIOB_PUPDR_RESET 0x00000100u
