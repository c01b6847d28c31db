/* wb-loader.S: the STM32L4 loader (l4-loader.S) for the STM32WB (RM0434):
 * the same flash controller, CRC unit (0x40023000, RCC_AHB1ENR.CRCEN bit
 * 12) and IWDG, but the flash interface at 0x58004000 and RCC at
 * 0x58000000. Its MSI range is always RCC_CR's (no MSIRGSEL, no MSISRANGE
 * in RCC_CSR: RM0434 6.4.1); for long CRCs it raises MSI to 16 MHz (range
 * 8) after two wait states, enough in either voltage range (RM0434 3.3.4).
 * The host never asks it for fast rows: they need a mass erase CPU1 may
 * not do (RM0434 3.3.7). */
#define LOADER_FLASH_BASE 0x58004000
#define LOADER_RCC_BASE 0x58000000
#define LOADER_FAST_MSI_RANGE 8
#define LOADER_FAST_LATENCY 2
#define LOADER_MSI_CR_ONLY 1
#include "l4-loader.S"
