/* f4-rcc.c: the part of the F2/F4/F7 reset and clock control (RM0090 6.3,
 * RM0410 5.3) that decides HCLK: HSI (16 MHz), HSE (the board's 8 MHz), the
 * main PLL (source / M * N / P), the system clock switch and the AHB
 * prescaler. Oscillators and the PLL are ready as soon as they are on (the
 * microseconds they take are below what a host observes). The other RCC
 * registers (enables, resets) are plain storage. */
#define G_LOG_DOMAIN "glint-sim"

#include "f4-machine.h"

/* AHB prescaler by HPRE[2:0] when HPRE[3] is set (RM0090 7.3.3) */
static const guint f4_hpre_div[] = {2, 4, 8, 16, 64, 128, 256, 512};

/* RCC_CR bits software writes: HSION, HSITRIM, HSEON, HSEBYP, CSSON, the
 * PLL enables; ready flags follow their ON bits */
#define RCC_CR_WRITABLE 0x150D00F9u
#define RCC_CR_READY_MASK 0x2A020002u

void
f4_rcc_reset(GlintSim *sim, const SimPeriph *p)
{
	F4Rcc *r = &f4_state(sim)->rcc;
	r->cr = RCC_CR_RESET;
	r->pllcfgr = RCC_PLLCFGR_RESET;
	r->cfgr = 0;
}

static gboolean
f4_rcc_owns(guint32 offset)
{
	return offset == RCC_CR || offset == RCC_PLLCFGR || offset == RCC_CFGR;
}

/* each RDY flag is its ON bit, shifted by one */
static guint32
f4_rcc_cr_value(F4Rcc *r)
{
	return (r->cr & ~RCC_CR_READY_MASK) | ((r->cr << 1) & RCC_CR_READY_MASK);
}

guint32
f4_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	F4Rcc *r = &f4_state(sim)->rcc;
	switch (offset) {
	case RCC_CR:
		return f4_rcc_cr_value(r);
	case RCC_PLLCFGR:
		return r->pllcfgr;
	case RCC_CFGR:
		return r->cfgr;
	default:
		return sim_plain_read(sim, p, who, offset);
	}
}

static gboolean
f4_rcc_source_on(F4Rcc *r, guint32 sw)
{
	static const guint32 on_bit[] = {RCC_CR_HSION, RCC_CR_HSEON, RCC_CR_PLLON, 0};
	return on_bit[sw & RCC_CFGR_SW_MASK] != 0 && (r->cr & on_bit[sw & RCC_CFGR_SW_MASK]) != 0;
}

gboolean
f4_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	F4Rcc *r = &f4_state(sim)->rcc;
	guint32 sws = (r->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
	if (!f4_rcc_owns(offset))
		return sim_plain_write(sim, p, who, offset, size, value);
	switch (offset) {
	case RCC_CR: {
		static const guint32 on_bit[] = {RCC_CR_HSION, RCC_CR_HSEON, RCC_CR_PLLON, 0};
		r->cr = value & RCC_CR_WRITABLE;
		/* the oscillator feeding SYSCLK cannot be stopped */
		r->cr |= on_bit[sws];
		break;
	}
	case RCC_PLLCFGR:
		/* the PLL is configured while it is off (RM0090 7.3.2) */
		if (!(r->cr & RCC_CR_PLLON))
			r->pllcfgr = value;
		break;
	default:
		/* the switch happens only to a running source; SWS shows it */
		if (f4_rcc_source_on(r, value & RCC_CFGR_SW_MASK))
			sws = value & RCC_CFGR_SW_MASK;
		r->cfgr = (value & ~(RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT)) |
			  (sws << RCC_CFGR_SWS_SHIFT);
		break;
	}
	sim_cpu_clock_changed(sim);
	return TRUE;
}

/* PLLCLK: source / M * N / P (RM0090 7.3.2) */
static guint64
f4_rcc_pll_hz(F4Rcc *r)
{
	guint64 src = (r->pllcfgr & RCC_PLLCFGR_SRC_HSE) ? RCC_HSE_HZ : RCC_HSI_HZ;
	guint m = r->pllcfgr & 0x3Fu;
	guint n = (r->pllcfgr >> 6) & 0x1FFu;
	guint p = 2 * (((r->pllcfgr >> 16) & 0x3u) + 1);
	if (m == 0)
		return 0;
	return src * n / m / p;
}

guint32
f4_rcc_hclk_hz(GlintSim *sim)
{
	F4Rcc *r = &f4_state(sim)->rcc;
	guint64 sysclk;
	guint hpre = (r->cfgr >> RCC_CFGR_HPRE_SHIFT) & 0xFu;
	switch ((r->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK) {
	case RCC_SW_HSE:
		sysclk = RCC_HSE_HZ;
		break;
	case RCC_SW_PLL:
		sysclk = f4_rcc_pll_hz(r);
		break;
	default:
		sysclk = RCC_HSI_HZ;
		break;
	}
	if (hpre & 0x8u)
		sysclk /= f4_hpre_div[hpre & 0x7u];
	/* a misconfigured PLL would stop the core; keep virtual time going */
	return (guint32)CLAMP(sysclk, 1000u, 216000000u);
}
