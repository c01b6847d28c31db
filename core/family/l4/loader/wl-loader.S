/* wl-loader.S: the STM32L4 loader (l4-loader.S) for the STM32WL (RM0453):
 * the same flash controller, CRC unit and IWDG, the flash interface at
 * 0x58004000 and RCC at 0x58000000; MSI as on the L4 (MSIRGSEL, MSISRANGE),
 * raised to 16 MHz (range 8) after two wait states, the most voltage
 * range 2 allows (RM0453 4.3.4), for fast rows and long CRCs. */
#define LOADER_FLASH_BASE 0x58004000
#define LOADER_RCC_BASE 0x58000000
#define LOADER_FAST_MSI_RANGE 8
#define LOADER_FAST_LATENCY 2
#include "l4-loader.S"
