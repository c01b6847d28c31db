/* l4-rcc.c: the part of the STM32L4 reset and clock control (RM0351 6.4)
 * that decides HCLK: MSI ranges, HSI16, HSE, the main PLL, the system clock
 * switch and the AHB prescaler; the G4 starts on HSI16 (RM0440 7.4), the WB
 * takes its MSI range from RCC_CR alone and divides its PLL by PLLR + 1
 * (RM0434 6.4), and the G0's RCC is another design (RM0444 5.4: HSISYS =
 * HSI16 / HSIDIV, SW in three bits, RCC_CSR at 0x60).
 *
 * Oscillators and the PLL are ready as soon as they are switched on (the
 * microseconds they take on silicon are below what a host can observe), so
 * HAL-style "enable, wait for RDY, switch, wait for SWS" sequences complete.
 * The other RCC registers (enables, resets) are plain storage. */
#define G_LOG_DOMAIN "glint-sim"

#include "l4-machine.h"

/* MSI frequencies by MSIRANGE (RM0351 6.4.1, RCC_CR) */
static const guint32 sim_msi_hz[] = {
    100000u,  200000u,	400000u,   800000u,   1000000u,	 2000000u,
    4000000u, 8000000u, 16000000u, 24000000u, 32000000u, 48000000u,
};

/* AHB prescaler by HPRE[2:0] when HPRE[3] is set (RM0351 6.4.3) */
static const guint sim_hpre_div[] = {2, 4, 8, 16, 64, 128, 256, 512};

/* RCC_CR bits software writes; ready flags and MSIRGSEL are handled apart */
#define RCC_CR_WRITABLE 0x150D0BF5u

/* The G0's RCC (RM0444 5.4) */
#define G0_RCC_CR_HSION (1u << 8)
#define G0_RCC_CR_HSIRDY (1u << 10)
#define G0_RCC_CR_HSIDIV_SHIFT 11
#define G0_RCC_CR_RESET 0x00000500u /* HSI16 on and ready, HSIDIV 1 */
#define G0_RCC_CFGR_SW_MASK 0x7u
#define G0_RCC_CFGR_SWS_SHIFT 3
#define G0_RCC_CFGR_HPRE_SHIFT 8
#define G0_RCC_SW_HSISYS 0u
#define G0_RCC_SW_HSE 1u
#define G0_RCC_SW_PLLR 2u
#define G0_RCC_PLLCFGR_N_SHIFT 8
#define G0_RCC_PLLCFGR_R_SHIFT 29
#define G0_RCC_CSR 0x60u
#define G0_RCC_CSR_RESET 0x0C000000u /* PINRSTF + PWRRSTF */

static gboolean
sim_rcc_is_g0(GlintSim *sim)
{
	return l4_cfg(sim)->rcc == L4_RCC_G0;
}

static void
sim_rcc_reset(GlintSim *sim)
{
	L4Rcc *r = &l4_state(sim)->rcc;
	gboolean hsi16 = l4_cfg(sim)->rcc == L4_RCC_HSI16;
	if (sim_rcc_is_g0(sim)) {
		r->cr = G0_RCC_CR_RESET;
		r->icscr = 0;
		r->cfgr = 0;
		r->pllcfgr = RCC_PLLCFGR_RESET;
		r->csr = G0_RCC_CSR_RESET;
		return;
	}
	r->cr = hsi16 ? RCC_CR_RESET_HSI16 : RCC_CR_RESET;
	r->icscr = RCC_ICSCR_RESET;
	r->cfgr = hsi16 ? RCC_CFGR_RESET_HSI16 : 0;
	r->pllcfgr = RCC_PLLCFGR_RESET;
	/* MSISRANGE survives a system reset on silicon; 4 MHz is what it holds
	 * unless firmware changed it, which the model does not keep */
	r->csr = RCC_CSR_RESET;
}

/* The registers the model owns; the rest of RCC is plain storage */
static gboolean
l4_rcc_owns(GlintSim *sim, guint32 off)
{
	return off == RCC_CR || off == RCC_ICSCR || off == RCC_CFGR || off == RCC_PLLCFGR ||
	       off == (sim_rcc_is_g0(sim) ? G0_RCC_CSR : RCC_CSR);
}

void
l4_rcc_reset(GlintSim *sim, const SimPeriph *p)
{
	sim_rcc_reset(sim);
}

static guint32
sim_rcc_cr_value(L4Rcc *r)
{
	guint32 v = r->cr & ~(RCC_CR_MSIRDY | RCC_CR_HSIRDY | RCC_CR_HSERDY | RCC_CR_PLLRDY |
			      RCC_CR_PLLSAI1RDY | RCC_CR_PLLSAI2RDY);
	/* each RDY flag is its ON bit, shifted */
	if (r->cr & RCC_CR_MSION)
		v |= RCC_CR_MSIRDY;
	if (r->cr & RCC_CR_HSION)
		v |= RCC_CR_HSIRDY;
	if (r->cr & RCC_CR_HSEON)
		v |= RCC_CR_HSERDY;
	if (r->cr & RCC_CR_PLLON)
		v |= RCC_CR_PLLRDY;
	if (r->cr & RCC_CR_PLLSAI1ON)
		v |= RCC_CR_PLLSAI1RDY;
	if (r->cr & RCC_CR_PLLSAI2ON)
		v |= RCC_CR_PLLSAI2RDY;
	return v;
}

guint32
l4_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	L4Rcc *r = &l4_state(sim)->rcc;
	if (!l4_rcc_owns(sim, offset))
		return sim_plain_read(sim, p, who, offset);
	switch (offset) {
	case RCC_CR:
		/* HSIRDY follows HSION on the G0 too (bit 10, bit 8) */
		return sim_rcc_cr_value(r);
	case RCC_ICSCR:
		return r->icscr;
	case RCC_CFGR:
		return r->cfgr;
	case RCC_PLLCFGR:
		return r->pllcfgr;
	default:
		return r->csr;
	}
}

/* Whether the oscillator behind system clock choice @sw runs */
static gboolean
sim_rcc_source_on(L4Rcc *r, guint32 sw)
{
	static const guint32 on_bit[] = {RCC_CR_MSION, RCC_CR_HSION, RCC_CR_HSEON, RCC_CR_PLLON};
	return (r->cr & on_bit[sw & RCC_CFGR_SW_MASK]) != 0;
}

/* G0: the switch to a running source; SWS in [5:3] (RM0444 5.4.3) */
static void
sim_g0_rcc_cfgr_write(L4Rcc *r, guint32 value)
{
	static const guint32 on_bit[] = {G0_RCC_CR_HSION, RCC_CR_HSEON, RCC_CR_PLLON};
	guint32 sw = value & G0_RCC_CFGR_SW_MASK;
	guint32 sws = (r->cfgr >> G0_RCC_CFGR_SWS_SHIFT) & G0_RCC_CFGR_SW_MASK;
	if (sw < G_N_ELEMENTS(on_bit) && (r->cr & on_bit[sw]))
		sws = sw;
	r->cfgr = (value & ~(G0_RCC_CFGR_SW_MASK << G0_RCC_CFGR_SWS_SHIFT)) |
		  (sws << G0_RCC_CFGR_SWS_SHIFT);
}

static void
sim_rcc_cfgr_write(L4Rcc *r, guint32 value)
{
	guint32 sw = value & RCC_CFGR_SW_MASK;
	guint32 sws = (r->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
	/* the switch happens only to a running source; SWS shows the outcome */
	if (sim_rcc_source_on(r, sw))
		sws = sw;
	r->cfgr = (value & ~(RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT)) | (sws << RCC_CFGR_SWS_SHIFT);
}

gboolean
l4_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	L4Rcc *r = &l4_state(sim)->rcc;
	if (!l4_rcc_owns(sim, offset))
		return sim_plain_write(sim, p, who, offset, size, value);
	if (sim_rcc_is_g0(sim)) {
		switch (offset) {
		case RCC_CR:
			/* HSI16 feeds HSISYS after reset and cannot stop while it does */
			r->cr = (value & 0x010D3900u) | G0_RCC_CR_HSION;
			break;
		case RCC_CFGR:
			sim_g0_rcc_cfgr_write(r, value);
			break;
		case RCC_PLLCFGR:
			r->pllcfgr = value;
			break;
		case RCC_ICSCR:
			r->icscr = value;
			break;
		default:
			/* RMVF (bit 23) clears the reset flags */
			r->csr =
			    (value & 0x3u) | ((value & (1u << 23)) ? 0 : (r->csr & 0xFF000000u));
			break;
		}
		sim_cpu_clock_changed(sim);
		return TRUE;
	}
	switch (offset) {
	case RCC_CR:
		/* MSIRGSEL can only be set by software, never cleared */
		r->cr = (value & (RCC_CR_WRITABLE | RCC_CR_MSIRGSEL)) | (r->cr & RCC_CR_MSIRGSEL);
		/* the oscillator feeding SYSCLK cannot be stopped */
		if (!sim_rcc_source_on(r, (r->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK)) {
			static const guint32 on_bit[] = {RCC_CR_MSION, RCC_CR_HSION, RCC_CR_HSEON,
							 RCC_CR_PLLON};
			r->cr |= on_bit[(r->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK];
		}
		break;
	case RCC_ICSCR:
		r->icscr = value;
		break;
	case RCC_CFGR:
		sim_rcc_cfgr_write(r, value);
		break;
	case RCC_PLLCFGR:
		r->pllcfgr = value;
		break;
	default:
		/* RMVF (bit 23) clears the reset flags */
		r->csr =
		    (value & 0x00000F1Fu) | ((value & (1u << 23)) ? 0 : (r->csr & 0xFF000000u));
		break;
	}
	sim_cpu_clock_changed(sim);
	return TRUE;
}

static guint32
sim_rcc_msi_hz(GlintSim *sim, L4Rcc *r)
{
	/* the WB has no MSIRGSEL: RCC_CR's range always holds (RM0434 6.4.1) */
	gboolean from_cr = (r->cr & RCC_CR_MSIRGSEL) || l4_cfg(sim)->rcc == L4_RCC_MSI_WB;
	guint range = from_cr ? (r->cr >> RCC_CR_MSIRANGE_SHIFT) & 0xFu
			      : (r->csr >> RCC_CSR_MSISRANGE_SHIFT) & 0xFu;
	return range < G_N_ELEMENTS(sim_msi_hz) ? sim_msi_hz[range] : sim_msi_hz[6];
}

/* PLLCLK (the R output): source / M * N / R (RM0351 6.4.4); the WB's R
 * divides by PLLR + 1, from bits [31:29] (RM0434 6.4.4) */
static guint64
sim_rcc_pll_hz(GlintSim *sim, L4Rcc *r)
{
	guint64 src;
	guint m = ((r->pllcfgr >> RCC_PLLCFGR_M_SHIFT) & 0x7u) + 1;
	guint n = (r->pllcfgr >> RCC_PLLCFGR_N_SHIFT) & 0x7Fu;
	guint div = l4_cfg(sim)->rcc == L4_RCC_MSI_WB
			? MAX((r->pllcfgr >> 29) & 0x7u, 1u) + 1u
			: 2 * (((r->pllcfgr >> RCC_PLLCFGR_R_SHIFT) & 0x3u) + 1);
	switch (r->pllcfgr & RCC_PLLCFGR_SRC_MASK) {
	case RCC_PLLSRC_MSI:
		src = sim_rcc_msi_hz(sim, r);
		break;
	case RCC_PLLSRC_HSI16:
		src = RCC_HSI16_HZ;
		break;
	case RCC_PLLSRC_HSE:
		src = l4_cfg(sim)->hse_hz;
		break;
	default:
		return 0;
	}
	return src * n / m / div;
}

/* The G0's SYSCLK (RM0444 5.2.6): HSISYS, HSE or the PLL's R output
 * (source / (M + 1) * N / (R + 1)); LSI and LSE are not modelled */
static guint64
sim_g0_sysclk_hz(GlintSim *sim, L4Rcc *r)
{
	guint m = ((r->pllcfgr >> RCC_PLLCFGR_M_SHIFT) & 0x7u) + 1;
	guint n = (r->pllcfgr >> G0_RCC_PLLCFGR_N_SHIFT) & 0x7Fu;
	guint div = ((r->pllcfgr >> G0_RCC_PLLCFGR_R_SHIFT) & 0x7u) + 1;
	guint64 src = (r->pllcfgr & RCC_PLLCFGR_SRC_MASK) == RCC_PLLSRC_HSE ? l4_cfg(sim)->hse_hz
									    : RCC_HSI16_HZ;
	switch ((r->cfgr >> G0_RCC_CFGR_SWS_SHIFT) & G0_RCC_CFGR_SW_MASK) {
	case G0_RCC_SW_HSE:
		return l4_cfg(sim)->hse_hz;
	case G0_RCC_SW_PLLR:
		return src * n / m / div;
	default:
		return RCC_HSI16_HZ >> ((r->cr >> G0_RCC_CR_HSIDIV_SHIFT) & 0x7u);
	}
}

guint32
l4_rcc_hclk_hz(GlintSim *sim)
{
	L4Rcc *r = &l4_state(sim)->rcc;
	guint64 sysclk;
	guint hpre = (r->cfgr >> RCC_CFGR_HPRE_SHIFT) & 0xFu;
	if (sim_rcc_is_g0(sim)) {
		sysclk = sim_g0_sysclk_hz(sim, r);
		hpre = (r->cfgr >> G0_RCC_CFGR_HPRE_SHIFT) & 0xFu;
	} else {
		switch ((r->cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK) {
		case RCC_SW_HSI16:
			sysclk = RCC_HSI16_HZ;
			break;
		case RCC_SW_HSE:
			sysclk = l4_cfg(sim)->hse_hz;
			break;
		case RCC_SW_PLL:
			sysclk = sim_rcc_pll_hz(sim, r);
			break;
		default:
			sysclk = sim_rcc_msi_hz(sim, r);
			break;
		}
	}
	if (hpre & 0x8u)
		sysclk /= sim_hpre_div[hpre & 0x7u];
	/* a misconfigured PLL (no source, N = 0) would stop the core; keep a
	 * floor so virtual time still advances */
	return (guint32)CLAMP(sysclk, 1000u, 120000000u);
}
