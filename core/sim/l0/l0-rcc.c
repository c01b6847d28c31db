/* l0-rcc.c: what of the STM32L0/L1 RCC decides HCLK (RM0367 and RM0038,
 * "Reset and clock control"): MSI at its range after reset (2.097 MHz),
 * HSI16 when software selects it (OpenOCD's reset-init does), HSE 8 MHz
 * (a NUCLEO's ST-LINK MCO), the PLL at 32 MHz; oscillators are ready as
 * soon as they are on. SWS follows SW once the chosen oscillator is ready
 * and the system clock is what SWS says; the oscillator SWS names cannot
 * be switched off (RM0367 and RM0038, "System clock (SYSCLK) selection").
 * The rest is plain storage. */
#define G_LOG_DOMAIN "glint-sim"

#include "l0-machine.h"

#define MSI_RANGE0_HZ 65536u
#define HSI16_HZ 16000000u
#define HSE_HZ 8000000u
#define PLL_HZ 32000000u

guint32
l0_rcc_hclk_hz(GlintSim *sim)
{
	const L0Rcc *rcc = &l0_state(sim)->rcc;
	guint32 sysclk, hpre;

	switch ((rcc->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK) {
	case 1:
		sysclk = HSI16_HZ;
		break;
	case 2:
		sysclk = HSE_HZ;
		break;
	case 3:
		sysclk = PLL_HZ;
		break;
	default:
		sysclk = MSI_RANGE0_HZ
			 << ((rcc->icscr & RCC_ICSCR_MSIRANGE_MASK) >> RCC_ICSCR_MSIRANGE_SHIFT);
		break;
	}
	/* HPRE 0xxx: /1, 1000: /2 ... 1111: /512 */
	hpre = (rcc->cfgr & RCC_CFGR_HPRE_MASK) >> RCC_CFGR_HPRE_SHIFT;
	if (hpre & 8u)
		sysclk >>= (hpre & 7u) < 4 ? (hpre & 7u) + 1 : (hpre & 7u) + 2;
	return MAX(sysclk, 1u);
}

/* RCC_CR's enable of each SW/SWS value: MSI, HSI16, HSE, PLL */
static const guint32 source_on[] = {RCC_CR_MSION, RCC_CR_HSION, RCC_CR_HSEON, RCC_CR_PLLON};

static guint32
ready_bits(GlintSim *sim, guint32 cr)
{
	guint32 v = cr & ~(l0_cfg(sim)->rcc_hsirdy | RCC_CR_MSIRDY | RCC_CR_HSERDY | RCC_CR_PLLRDY);
	if (cr & RCC_CR_HSION)
		v |= l0_cfg(sim)->rcc_hsirdy;
	if (cr & RCC_CR_MSION)
		v |= RCC_CR_MSIRDY;
	if (cr & RCC_CR_HSEON)
		v |= RCC_CR_HSERDY;
	if (cr & RCC_CR_PLLON)
		v |= RCC_CR_PLLRDY;
	return v;
}

/* SWS takes SW's value once that oscillator runs (ready as soon as it is
 * on, here) */
static void
follow_switch(GlintSim *sim)
{
	L0Rcc *rcc = &l0_state(sim)->rcc;
	guint32 sw = rcc->cfgr & RCC_CFGR_SW_MASK;
	if (rcc->cr & source_on[sw])
		rcc->cfgr = (rcc->cfgr & ~(RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT)) |
			    (sw << RCC_CFGR_SWS_SHIFT);
}

guint32
l0_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	const L0Rcc *rcc = &l0_state(sim)->rcc;
	if (offset == RCC_CR)
		return rcc->cr;
	if (offset == RCC_ICSCR)
		return rcc->icscr;
	if (offset == l0_cfg(sim)->rcc_cfgr)
		return rcc->cfgr;
	return sim_plain_read(sim, p, who, offset);
}

gboolean
l0_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	L0Rcc *rcc = &l0_state(sim)->rcc;
	guint32 sws = (rcc->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
	if (offset == RCC_CR) {
		/* the system clock's oscillator stays on */
		rcc->cr = ready_bits(sim, value | source_on[sws]);
	} else if (offset == RCC_ICSCR) {
		rcc->icscr = value;
	} else if (offset == l0_cfg(sim)->rcc_cfgr) {
		rcc->cfgr = (value & ~(RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT)) |
			    (sws << RCC_CFGR_SWS_SHIFT);
	} else {
		return sim_plain_write(sim, p, who, offset, size, value);
	}
	follow_switch(sim);
	sim_cpu_clock_changed(sim);
	return TRUE;
}

void
l0_rcc_reset(GlintSim *sim, const SimPeriph *p)
{
	L0Rcc *rcc = &l0_state(sim)->rcc;
	rcc->cr = RCC_CR_RESET;
	rcc->icscr = RCC_ICSCR_RESET;
	rcc->cfgr = 0;
	sim_cpu_clock_changed(sim);
}
