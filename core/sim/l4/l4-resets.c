/* l4-resets.c: the rest of the STM32L476 as a debugger sees it, the data
 * of the framework's SimPeriphMap (sim-machine.h): every peripheral block
 * of the memory map (RM0351 2.2.2, table 1) with the RCC enable bit that
 * clocks it (RM0351 6.4, RCC_AHBxENR and RCC_APBxENRx), the reset value of
 * every register of RCC, PWR, SYSCFG, FLASH and DBGMCU ("Reset value" in
 * RM0351 6.4, 5.4, 9.2, 3.7 and 48.6), and the flags each reset source
 * leaves in RCC_CSR (RM0351 6.1.2 and 6.4, RCC_CSR). */
#define G_LOG_DOMAIN "glint-sim"

#include "l4-machine.h"

/* Bus addresses of the registers listed below (RM0351 register maps) */
#define RCC_REG(off) (RCC_BASE + (off))
#define PWR_REG(off) (PWR_BASE + (off))
#define SYSCFG_REG(off) (SYSCFG_BASE + (off))
#define FLASH_REG(off) (FLASH_R_BASE + (off))
#define DBGMCU_REG(off) (DBGMCU_BASE + (off))

/* RCC clock-enable registers (RM0351 6.4) */
#define RCC_AHB1ENR_ADDR RCC_REG(0x48u)
#define RCC_AHB2ENR_ADDR RCC_REG(0x4Cu)
#define RCC_AHB3ENR_ADDR RCC_REG(0x50u)
#define RCC_APB1ENR1_ADDR RCC_REG(0x58u)
#define RCC_APB1ENR2_ADDR RCC_REG(0x5Cu)
#define RCC_APB2ENR_ADDR RCC_REG(RCC_APB2ENR)
#define RCC_CSR_ADDR RCC_REG(RCC_CSR)

/* RCC_CSR reset flags and RMVF (RM0351 6.4) */
#define RCC_CSR_RMVF (1u << 23)
#define RCC_CSR_FWRSTF (1u << 24)
#define RCC_CSR_OBLRSTF (1u << 25)
#define RCC_CSR_PINRSTF (1u << 26)
#define RCC_CSR_BORRSTF (1u << 27)
#define RCC_CSR_SFTRSTF (1u << 28)
#define RCC_CSR_IWDGRSTF (1u << 29)
#define RCC_CSR_WWDGRSTF (1u << 30)
#define RCC_CSR_LPWRRSTF (1u << 31)
#define RCC_CSR_FLAGS 0xFF000000u

#define KB 1024u
/* a block clocked by enable bit @bit of @reg */
#define GATED(name, base, size, reg, bit)                                                          \
	{                                                                                          \
		name, base, size, reg, 1u << (bit)                                                 \
	}
/* a block no enable bit gates */
#define CLOCKED(name, base, size)                                                                  \
	{                                                                                          \
		name, base, size, 0, 0                                                             \
	}

/* RM0351 table 1 for the STM32L476: what is not listed is reserved (a bus
 * fault). FLASHEN is left out of the gates: RM0351 lets software clear it
 * only while the flash is powered down, which the model never is. */
static const SimBusBlock l4_blocks[] = {
    /* APB1 */
    GATED("TIM2", 0x40000000u, KB, RCC_APB1ENR1_ADDR, 0),
    GATED("TIM3", 0x40000400u, KB, RCC_APB1ENR1_ADDR, 1),
    GATED("TIM4", 0x40000800u, KB, RCC_APB1ENR1_ADDR, 2),
    GATED("TIM5", 0x40000C00u, KB, RCC_APB1ENR1_ADDR, 3),
    GATED("TIM6", 0x40001000u, KB, RCC_APB1ENR1_ADDR, 4),
    GATED("TIM7", 0x40001400u, KB, RCC_APB1ENR1_ADDR, 5),
    GATED("LCD", 0x40002400u, KB, RCC_APB1ENR1_ADDR, 9),
    CLOCKED("RTC", 0x40002800u, KB),
    GATED("WWDG", WWDG_BASE, KB, RCC_APB1ENR1_ADDR, 11),
    CLOCKED("IWDG", IWDG_BASE, KB),
    GATED("SPI2", 0x40003800u, KB, RCC_APB1ENR1_ADDR, 14),
    GATED("SPI3", 0x40003C00u, KB, RCC_APB1ENR1_ADDR, 15),
    GATED("USART2", USART2_BASE, KB, RCC_APB1ENR1_ADDR, 17),
    GATED("USART3", 0x40004800u, KB, RCC_APB1ENR1_ADDR, 18),
    GATED("UART4", 0x40004C00u, KB, RCC_APB1ENR1_ADDR, 19),
    GATED("UART5", 0x40005000u, KB, RCC_APB1ENR1_ADDR, 20),
    GATED("I2C1", 0x40005400u, KB, RCC_APB1ENR1_ADDR, 21),
    GATED("I2C2", 0x40005800u, KB, RCC_APB1ENR1_ADDR, 22),
    GATED("I2C3", 0x40005C00u, KB, RCC_APB1ENR1_ADDR, 23),
    GATED("CAN1", 0x40006400u, KB, RCC_APB1ENR1_ADDR, 25),
    GATED("PWR", PWR_BASE, KB, RCC_APB1ENR1_ADDR, 28),
    GATED("DAC1", 0x40007400u, KB, RCC_APB1ENR1_ADDR, 29),
    GATED("OPAMP", 0x40007800u, KB, RCC_APB1ENR1_ADDR, 30),
    GATED("LPTIM1", 0x40007C00u, KB, RCC_APB1ENR1_ADDR, 31),
    GATED("LPUART1", 0x40008000u, KB, RCC_APB1ENR2_ADDR, 0),
    GATED("SWPMI1", 0x40008800u, KB, RCC_APB1ENR2_ADDR, 2),
    GATED("LPTIM2", 0x40009400u, KB, RCC_APB1ENR2_ADDR, 5),
    /* APB2: SYSCFG, VREFBUF and COMP share SYSCFGEN */
    GATED("SYSCFG", SYSCFG_BASE, 0x30u, RCC_APB2ENR_ADDR, 0),
    GATED("VREFBUF", 0x40010030u, 0x1D0u, RCC_APB2ENR_ADDR, 0),
    GATED("COMP", 0x40010200u, 0x200u, RCC_APB2ENR_ADDR, 0),
    CLOCKED("EXTI", 0x40010400u, KB),
    GATED("FIREWALL", 0x40011C00u, KB, RCC_APB2ENR_ADDR, 7),
    GATED("SDMMC1", 0x40012800u, KB, RCC_APB2ENR_ADDR, 10),
    GATED("TIM1", 0x40012C00u, KB, RCC_APB2ENR_ADDR, 11),
    GATED("SPI1", 0x40013000u, KB, RCC_APB2ENR_ADDR, 12),
    GATED("TIM8", 0x40013400u, KB, RCC_APB2ENR_ADDR, 13),
    GATED("USART1", 0x40013800u, KB, RCC_APB2ENR_ADDR, 14),
    GATED("TIM15", 0x40014000u, KB, RCC_APB2ENR_ADDR, 16),
    GATED("TIM16", 0x40014400u, KB, RCC_APB2ENR_ADDR, 17),
    GATED("TIM17", 0x40014800u, KB, RCC_APB2ENR_ADDR, 18),
    GATED("SAI1", 0x40015400u, KB, RCC_APB2ENR_ADDR, 21),
    GATED("SAI2", 0x40015800u, KB, RCC_APB2ENR_ADDR, 22),
    GATED("DFSDM1", 0x40016000u, KB, RCC_APB2ENR_ADDR, 24),
    /* AHB1 */
    GATED("DMA1", DMA1_BASE, KB, RCC_AHB1ENR_ADDR, 0),
    GATED("DMA2", DMA2_BASE, KB, RCC_AHB1ENR_ADDR, 1),
    CLOCKED("RCC", RCC_BASE, KB),
    CLOCKED("FLASH", FLASH_R_BASE, KB),
    GATED("CRC", CRC_BASE, KB, RCC_AHB1ENR_ADDR, 12),
    GATED("TSC", 0x40024000u, KB, RCC_AHB1ENR_ADDR, 16),
    /* AHB2 */
    GATED("GPIOA", GPIO_BASE + 0 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 0),
    GATED("GPIOB", GPIO_BASE + 1 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 1),
    GATED("GPIOC", GPIO_BASE + 2 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 2),
    GATED("GPIOD", GPIO_BASE + 3 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 3),
    GATED("GPIOE", GPIO_BASE + 4 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 4),
    GATED("GPIOF", GPIO_BASE + 5 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 5),
    GATED("GPIOG", GPIO_BASE + 6 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 6),
    GATED("GPIOH", GPIO_BASE + 7 * GPIO_PORT_STRIDE, KB, RCC_AHB2ENR_ADDR, 7),
    GATED("OTG_FS", 0x50000000u, 256u * KB, RCC_AHB2ENR_ADDR, 12),
    GATED("ADC", 0x50040000u, KB, RCC_AHB2ENR_ADDR, 13),
    GATED("RNG", 0x50060800u, KB, RCC_AHB2ENR_ADDR, 18),
    /* AHB3 */
    GATED("FMC", 0xA0000000u, 4u * KB, RCC_AHB3ENR_ADDR, 0),
    GATED("QUADSPI", 0xA0001000u, KB, RCC_AHB3ENR_ADDR, 8),
};

#define RESET(addr, value)                                                                         \
	{                                                                                          \
		addr, value, 0, 0                                                                  \
	}
/* the value comes from elsewhere (flags, option bytes): software writes
 * change none of it here */
#define STATUS(addr, value)                                                                        \
	{                                                                                          \
		addr, value, 0xFFFFFFFFu, 0                                                        \
	}
#define WRITE_ONLY(addr)                                                                           \
	{                                                                                          \
		addr, 0, 0, SIM_REG_WRITE_ONLY                                                     \
	}
#define KEPT(addr, value)                                                                          \
	{                                                                                          \
		addr, value, 0, SIM_REG_KEPT_OVER_RESET                                            \
	}

static const SimRegReset l4_registers[] = {
    /* RCC (RM0351 6.4). ICSCR is 0x10XX00XX: the factory calibration
     * (MSICAL, HSICAL) reads 0 here. */
    RESET(RCC_REG(RCC_CR), 0x00000063u),
    RESET(RCC_REG(RCC_ICSCR), 0x10000000u),
    RESET(RCC_REG(RCC_CFGR), 0x00000000u),
    RESET(RCC_REG(RCC_PLLCFGR), 0x00001000u),
    RESET(RCC_REG(0x10u), 0x00001000u),	 /* PLLSAI1CFGR */
    RESET(RCC_REG(0x14u), 0x00001000u),	 /* PLLSAI2CFGR */
    RESET(RCC_REG(0x18u), 0x00000000u),	 /* CIER */
    STATUS(RCC_REG(0x1Cu), 0x00000000u), /* CIFR */
    WRITE_ONLY(RCC_REG(0x20u)),		 /* CICR */
    RESET(RCC_REG(0x28u), 0x00000000u),	 /* AHB1RSTR */
    RESET(RCC_REG(0x2Cu), 0x00000000u),	 /* AHB2RSTR */
    RESET(RCC_REG(0x30u), 0x00000000u),	 /* AHB3RSTR */
    RESET(RCC_REG(0x38u), 0x00000000u),	 /* APB1RSTR1 */
    RESET(RCC_REG(0x3Cu), 0x00000000u),	 /* APB1RSTR2 */
    RESET(RCC_REG(0x40u), 0x00000000u),	 /* APB2RSTR */
    RESET(RCC_AHB1ENR_ADDR, 0x00000100u),
    RESET(RCC_AHB2ENR_ADDR, 0x00000000u),
    RESET(RCC_AHB3ENR_ADDR, 0x00000000u),
    RESET(RCC_APB1ENR1_ADDR, 0x00000000u),
    RESET(RCC_APB1ENR2_ADDR, 0x00000000u),
    RESET(RCC_APB2ENR_ADDR, 0x00000000u),
    RESET(RCC_REG(0x68u), 0x00011303u), /* AHB1SMENR */
    RESET(RCC_REG(0x6Cu), 0x000532FFu), /* AHB2SMENR */
    RESET(RCC_REG(0x70u), 0x00000101u), /* AHB3SMENR */
    RESET(RCC_REG(0x78u), 0xF2FECA3Fu), /* APB1SMENR1 */
    RESET(RCC_REG(0x7Cu), 0x00000025u), /* APB1SMENR2 */
    RESET(RCC_REG(0x80u), 0x01677C01u), /* APB2SMENR */
    RESET(RCC_REG(0x88u), 0x00000000u), /* CCIPR */
    KEPT(RCC_REG(0x90u), 0x00000000u),	/* BDCR: backup domain */
    /* after a power-on: BORRSTF, PINRSTF, MSISRANGE 4 MHz */
    RESET(RCC_CSR_ADDR, 0x0C000600u),

    /* PWR (RM0351 5.4): range 1; internal wakeup line enabled */
    RESET(PWR_REG(0x00u), 0x00000200u),	 /* CR1 */
    RESET(PWR_REG(0x04u), 0x00000000u),	 /* CR2 */
    RESET(PWR_REG(0x08u), 0x00008000u),	 /* CR3 */
    RESET(PWR_REG(0x0Cu), 0x00000000u),	 /* CR4 */
    STATUS(PWR_REG(0x10u), 0x00000000u), /* SR1 */
    STATUS(PWR_REG(0x14u), 0x00000000u), /* SR2 */
    WRITE_ONLY(PWR_REG(0x18u)),		 /* SCR */
    RESET(PWR_REG(0x20u), 0x00000000u),	 /* PUCRA */
    RESET(PWR_REG(0x24u), 0x00000000u),	 /* PDCRA */
    RESET(PWR_REG(0x28u), 0x00000000u),	 /* PUCRB */
    RESET(PWR_REG(0x2Cu), 0x00000000u),	 /* PDCRB */
    RESET(PWR_REG(0x30u), 0x00000000u),	 /* PUCRC */
    RESET(PWR_REG(0x34u), 0x00000000u),	 /* PDCRC */
    RESET(PWR_REG(0x38u), 0x00000000u),	 /* PUCRD */
    RESET(PWR_REG(0x3Cu), 0x00000000u),	 /* PDCRD */
    RESET(PWR_REG(0x40u), 0x00000000u),	 /* PUCRE */
    RESET(PWR_REG(0x44u), 0x00000000u),	 /* PDCRE */
    RESET(PWR_REG(0x48u), 0x00000000u),	 /* PUCRF */
    RESET(PWR_REG(0x4Cu), 0x00000000u),	 /* PDCRF */
    RESET(PWR_REG(0x50u), 0x00000000u),	 /* PUCRG */
    RESET(PWR_REG(0x54u), 0x00000000u),	 /* PDCRG */
    RESET(PWR_REG(0x58u), 0x00000000u),	 /* PUCRH */
    RESET(PWR_REG(0x5Cu), 0x00000000u),	 /* PDCRH */

    /* SYSCFG (RM0351 9.2): MEMRMP as booted from main flash; the FPU
     * interrupts enabled, the firewall disabled */
    STATUS(SYSCFG_REG(SYSCFG_MEMRMP), 0x00000000u),
    RESET(SYSCFG_REG(0x04u), 0x7C000001u), /* CFGR1 */
    RESET(SYSCFG_REG(0x08u), 0x00000000u), /* EXTICR1 */
    RESET(SYSCFG_REG(0x0Cu), 0x00000000u), /* EXTICR2 */
    RESET(SYSCFG_REG(0x10u), 0x00000000u), /* EXTICR3 */
    RESET(SYSCFG_REG(0x14u), 0x00000000u), /* EXTICR4 */
    RESET(SYSCFG_REG(0x18u), 0x00000000u), /* SCSR */
    RESET(SYSCFG_REG(0x1Cu), 0x00000000u), /* CFGR2 */
    RESET(SYSCFG_REG(0x20u), 0x00000000u), /* SWPR */
    WRITE_ONLY(SYSCFG_REG(0x24u)),	   /* SKR */

    /* FLASH (RM0351 3.7); the option registers as a factory-fresh chip
     * loads them */
    RESET(FLASH_REG(FLASH_ACR), FLASH_ACR_RESET),
    WRITE_ONLY(FLASH_REG(FLASH_PDKEYR)),
    WRITE_ONLY(FLASH_REG(FLASH_KEYR)),
    WRITE_ONLY(FLASH_REG(FLASH_OPTKEYR)),
    STATUS(FLASH_REG(FLASH_SR), 0x00000000u),
    RESET(FLASH_REG(FLASH_CR), FLASH_CR_RESET),
    RESET(FLASH_REG(FLASH_ECCR), 0x00000000u),
    RESET(FLASH_REG(FLASH_OPTR), FLASH_OPTR_FACTORY),
    RESET(FLASH_REG(FLASH_WRP1AR), FLASH_WRP_NONE),
    RESET(FLASH_REG(FLASH_WRP1BR), FLASH_WRP_NONE),
    RESET(FLASH_REG(FLASH_WRP2AR), FLASH_WRP_NONE),
    RESET(FLASH_REG(FLASH_WRP2BR), FLASH_WRP_NONE),

    /* DBGMCU (RM0351 48.6): reset by power-on only; IDCODE is the board's */
    KEPT(DBGMCU_REG(DBGMCU_CR), 0x00000000u),
    KEPT(DBGMCU_REG(DBGMCU_APB1FZR1), 0x00000000u),
    KEPT(DBGMCU_REG(DBGMCU_APB1FZR2), 0x00000000u),
    KEPT(DBGMCU_REG(DBGMCU_APB2FZR), 0x00000000u),
};

/* Every system reset drives NRST low through the reset pulse generator
 * (RM0351 6.1.2, the reset circuit), so PINRSTF comes with each source's
 * own flag */
const SimPeriphMap l4_periph_map = {
    .blocks = l4_blocks,
    .n_blocks = G_N_ELEMENTS(l4_blocks),
    .registers = l4_registers,
    .n_registers = G_N_ELEMENTS(l4_registers),
    .reset_flags =
	{
	    .reg = RCC_CSR_ADDR,
	    .mask = RCC_CSR_FLAGS,
	    .remove = RCC_CSR_RMVF,
	    .set =
		{
		    [SIM_RESET_POWER_ON] = RCC_CSR_BORRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_PIN] = RCC_CSR_PINRSTF,
		    [SIM_RESET_SOFTWARE] = RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_IWDG] = RCC_CSR_IWDGRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_WWDG] = RCC_CSR_WWDGRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_OPTION_LOAD] = RCC_CSR_OBLRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_LOW_POWER] = RCC_CSR_LPWRRSTF | RCC_CSR_PINRSTF,
		},
	},
};

/* The STM32G0, WB and WL: their memory maps as blocks (RM0444 2.2.2 table
 * 6, RM0434 2.2.2 table 4, RM0453 2.2.2 table 5, by bus rather than by
 * peripheral, without clock gates: an address no model answers reads 0
 * rather than faulting), the FLASH registers as the model resets them, and
 * the reset flags of RCC_CSR (RM0444 5.4.25: PWRRSTF at power-on; RM0434
 * 6.4.38 and RM0453 6.4.41: BORRSTF, as on the L4). Per-peripheral gates
 * and reset values are not entered yet. */
static const SimBusBlock g0_blocks[] = {
    CLOCKED("APB", 0x40000000u, 0x16000u),
    CLOCKED("AHB (DMA, RCC, EXTI, FLASH, CRC, RNG, AES)", 0x40020000u, 0x6400u),
    CLOCKED("IOPORT", 0x50000000u, 0x1C00u),
};

#define G0_RCC_CSR_ADDR RCC_REG(0x60u)
#define G0_RCC_CSR_PWRRSTF (1u << 27)

static const SimRegReset g0_registers[] = {
    RESET(FLASH_REG(FLASH_ACR), FLASH_ACR_RESET),
    WRITE_ONLY(FLASH_REG(FLASH_KEYR)),
    WRITE_ONLY(FLASH_REG(FLASH_OPTKEYR)),
    STATUS(FLASH_REG(FLASH_SR), 0x00000000u),
    RESET(FLASH_REG(FLASH_CR), FLASH_CR_RESET),
    RESET(FLASH_REG(FLASH_ECCR), 0x00000000u),
    RESET(G0_RCC_CSR_ADDR, 0x0C000000u),
    /* PWR_CR1: range 1 (VOS = 01), flash powered down in stop (RM0444 4.4.1) */
    RESET(PWR_REG(0x00u), 0x00000208u),
};

const SimPeriphMap g0_periph_map = {
    .blocks = g0_blocks,
    .n_blocks = G_N_ELEMENTS(g0_blocks),
    .registers = g0_registers,
    .n_registers = G_N_ELEMENTS(g0_registers),
    .reset_flags =
	{
	    .reg = G0_RCC_CSR_ADDR,
	    .mask = RCC_CSR_FLAGS,
	    .remove = RCC_CSR_RMVF,
	    .set =
		{
		    [SIM_RESET_POWER_ON] = G0_RCC_CSR_PWRRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_PIN] = RCC_CSR_PINRSTF,
		    [SIM_RESET_SOFTWARE] = RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_IWDG] = RCC_CSR_IWDGRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_WWDG] = RCC_CSR_WWDGRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_OPTION_LOAD] = RCC_CSR_OBLRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_LOW_POWER] = RCC_CSR_LPWRRSTF | RCC_CSR_PINRSTF,
		},
	},
};

#define WX_RCC_CSR_ADDR 0x58000094u
#define WX_FLASH_REG(off) (0x58004000u + (off))

static const SimBusBlock wx_blocks[] = {
    CLOCKED("APB1", 0x40000000u, 0xA000u),
    CLOCKED("APB2", 0x40010000u, 0x6000u),
    CLOCKED("AHB1", 0x40020000u, 0x4400u),
    CLOCKED("AHB2 (GPIO)", 0x48000000u, 0x2000u),
    CLOCKED("AHB3 (RCC, PWR, EXTI, IPCC, HSEM, FLASH, ...)", 0x58000000u, 0x8000u),
};

static const SimRegReset wx_registers[] = {
    RESET(WX_FLASH_REG(FLASH_ACR), FLASH_ACR_RESET),
    WRITE_ONLY(WX_FLASH_REG(FLASH_KEYR)),
    WRITE_ONLY(WX_FLASH_REG(FLASH_OPTKEYR)),
    STATUS(WX_FLASH_REG(FLASH_SR), 0x00000000u),
    RESET(WX_FLASH_REG(FLASH_CR), FLASH_CR_RESET),
    RESET(WX_FLASH_REG(FLASH_ECCR), 0x00000000u),
    RESET(WX_RCC_CSR_ADDR, 0x0C000600u),
};

const SimPeriphMap wx_periph_map = {
    .blocks = wx_blocks,
    .n_blocks = G_N_ELEMENTS(wx_blocks),
    .registers = wx_registers,
    .n_registers = G_N_ELEMENTS(wx_registers),
    .reset_flags =
	{
	    .reg = WX_RCC_CSR_ADDR,
	    .mask = RCC_CSR_FLAGS,
	    .remove = RCC_CSR_RMVF,
	    .set =
		{
		    [SIM_RESET_POWER_ON] = RCC_CSR_BORRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_PIN] = RCC_CSR_PINRSTF,
		    [SIM_RESET_SOFTWARE] = RCC_CSR_SFTRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_IWDG] = RCC_CSR_IWDGRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_WWDG] = RCC_CSR_WWDGRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_OPTION_LOAD] = RCC_CSR_OBLRSTF | RCC_CSR_PINRSTF,
		    [SIM_RESET_LOW_POWER] = RCC_CSR_LPWRRSTF | RCC_CSR_PINRSTF,
		},
	},
};
