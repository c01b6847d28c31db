/* wx-loader.S: the STM32L4 loader (l4-loader.S) for the STM32WB and STM32WL
 * (RM0434, RM0453): the same flash controller, CRC unit (0x40023000,
 * RCC_AHB1ENR.CRCEN bit 12) and IWDG, but the flash interface at 0x58004000
 * and RCC at 0x58000000. Their MSI has no MSISRANGE in RCC_CSR (WB) and
 * their voltage range 2 allows only 16 MHz, so the loader leaves the clock
 * alone: from MSI it programs double words; from HSI16 it may program rows. */
#define LOADER_FLASH_BASE 0x58004000
#define LOADER_RCC_BASE 0x58000000
#define LOADER_KEEP_CLOCK 1
#include "l4-loader.S"
