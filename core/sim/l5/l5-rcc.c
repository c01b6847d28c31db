/* l5-rcc.c: the part of the STM32L5's and U5's reset and clock control
 * (RM0438 6.4, RM0456 11.8) and of the U5's power control (RM0456 10.10)
 * that decides HCLK and that clock set-up code waits for: the oscillators'
 * and PLLs' ready flags, the system clock switch (SWS), the AHB prescaler,
 * the U5's voltage-scaling and EPOD-booster ready flags. OpenOCD's
 * stm32l5x.cfg and stm32u5x.cfg switch to the PLL in their reset-init
 * handlers and wait for each of these flags without a timeout.
 *
 * Oscillators, PLLs and voltage scaling are ready as soon as they are
 * switched on (the microseconds they take on silicon are below what a host
 * can observe). The L5's PWR_SR2.VOSF reads 0 (the change is done) as the
 * PWR block's plain storage gives it. The registers are the RCC's and
 * PWR's plain storage (saved with the board); the reset values are the
 * machine's register table (l5-machine.c). */
#define G_LOG_DOMAIN "glint-sim"

#include "l5-machine.h"

/* MSI (L5) and MSIS (U5) frequencies by range */
static const guint32 l5_msi_hz[16] = {
    /* RM0438 6.4.1 RCC_CR.MSIRANGE; 12-15 are reserved */
    100000u,   200000u,	  400000u,   800000u,	1000000u, 2000000u, 4000000u, 8000000u,
    16000000u, 24000000u, 32000000u, 48000000u, 4000000u, 4000000u, 4000000u, 4000000u,
};
static const guint32 u5_msis_hz[16] = {
    /* RM0456 11.4.4 table: MSIRC0 (0-3), MSIRC1 (4-7), MSIRC2 (8-11), MSIRC3 */
    48000000u, 24000000u, 16000000u, 12000000u, 4000000u, 2000000u, 1330000u, 1000000u,
    3072000u,  1536000u,  1024000u,  768000u,	400000u,  200000u,  133000u,  100000u,
};

/* AHB prescaler by HPRE[2:0] when HPRE[3] is set (RM0438 6.4.3, RM0456 11.8.9) */
static const guint l5_hpre_div[] = {2, 4, 8, 16, 64, 128, 256, 512};

/* An oscillator's (or PLL's) ON bit in RCC_CR and its ready flag */
typedef struct {
	guint32 on;
	guint32 rdy;
} L5RccReady;

/* Where each chip keeps what HCLK depends on (offsets from its RCC base) */
typedef struct {
	guint32 base;
	guint32 cfgr;	  /* SW [1:0], SWS [3:2] */
	guint32 hpre_reg; /* HPRE [3:0] at hpre_shift */
	guint hpre_shift;
	guint32 msi_reg; /* MSI(S)RANGE when MSIRGSEL is set */
	guint32 msi_rgsel;
	guint msi_shift;
	guint32 csr; /* MSI(S)SRANGE, the range after a reset */
	guint csr_msi_shift;
	const guint32 *msi_hz;
	guint32 pllcfgr; /* source [1:0], M [11:8] (U5) or [7:4] (L5) */
	guint pll_m_shift;
	guint32 plldivr;   /* U5: N, R in their own register; L5: in PLLCFGR */
	guint32 sw_on[4];  /* RCC_CR ON bit of each SW choice */
	guint32 pllsrc[4]; /* 0 = none, 1 = MSI, 2 = HSI16, 3 = HSE per PLLSRC value */
	L5RccReady ready[9];
	guint32 max_hclk_hz;
} L5RccLayout;

#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SWS_SHIFT 2
#define L5_HSI16_HZ 16000000u
/* The boards' HSE is the ST-LINK's 8 MHz MCO, as on the other Nucleo
 * boards (UM2581, UM2861; not checked against the board manuals) */
#define L5_HSE_HZ 8000000u

enum { L5_SRC_NONE, L5_SRC_MSI, L5_SRC_HSI16, L5_SRC_HSE };

/* RM0438 6.4: RCC_CR (MSIRGSEL bit 3, MSIRANGE [7:4]), RCC_CFGR 0x08 (HPRE
 * [7:4]), RCC_PLLCFGR 0x0C (PLLSRC [1:0]: none, MSI, HSI16, HSE; PLLM
 * [7:4], PLLN [14:8], PLLR [26:25]), RCC_CSR 0x94 (MSISRANGE [11:8]) */
static const L5RccLayout l552_rcc = {
    .base = L5_RCC_BASE,
    .cfgr = 0x08u,
    .hpre_reg = 0x08u,
    .hpre_shift = 4,
    .msi_reg = 0x00u,
    .msi_rgsel = 1u << 3,
    .msi_shift = 4,
    .csr = 0x94u,
    .csr_msi_shift = 8,
    .msi_hz = l5_msi_hz,
    .pllcfgr = 0x0Cu,
    .pll_m_shift = 4,
    .plldivr = 0,
    .sw_on = {1u << 0, 1u << 8, 1u << 16, 1u << 24},
    .pllsrc = {L5_SRC_NONE, L5_SRC_MSI, L5_SRC_HSI16, L5_SRC_HSE},
    .ready = {{1u << 0, 1u << 1},
	      {1u << 8, 1u << 10},
	      {1u << 16, 1u << 17},
	      {1u << 24, 1u << 25},
	      {1u << 26, 1u << 27},
	      {1u << 28, 1u << 29}},
    .max_hclk_hz = L552_MAX_HCLK_HZ,
};

/* RM0456 11.8: RCC_CR (MSISON/MSISRDY 0/2, MSIKON/MSIKRDY 4/5, HSI48 12/13,
 * SHSI 14/15, PLL1-3 24-29), RCC_ICSCR1 0x08 (MSIRGSEL bit 23, MSISRANGE
 * [31:28]), RCC_CFGR1 0x1C, RCC_CFGR2 0x20 (HPRE [3:0]), RCC_PLL1CFGR 0x28
 * (PLL1SRC [1:0]: none, MSIS, HSI16, HSE; PLL1M [11:8]), RCC_PLL1DIVR 0x34
 * (PLL1N [8:0], PLL1R [30:24], each the factor minus one), RCC_CSR 0xF4
 * (MSISSRANGE [15:12]) */
static const L5RccLayout u575_rcc = {
    .base = U5_RCC_BASE,
    .cfgr = 0x1Cu,
    .hpre_reg = 0x20u,
    .hpre_shift = 0,
    .msi_reg = 0x08u,
    .msi_rgsel = 1u << 23,
    .msi_shift = 28,
    .csr = 0xF4u,
    .csr_msi_shift = 12,
    .msi_hz = u5_msis_hz,
    .pllcfgr = 0x28u,
    .pll_m_shift = 8,
    .plldivr = 0x34u,
    .sw_on = {1u << 0, 1u << 8, 1u << 16, 1u << 24},
    .pllsrc = {L5_SRC_NONE, L5_SRC_MSI, L5_SRC_HSI16, L5_SRC_HSE},
    .ready = {{1u << 0, 1u << 2},
	      {1u << 4, 1u << 5},
	      {1u << 8, 1u << 10},
	      {1u << 12, 1u << 13},
	      {1u << 14, 1u << 15},
	      {1u << 16, 1u << 17},
	      {1u << 24, 1u << 25},
	      {1u << 26, 1u << 27},
	      {1u << 28, 1u << 29}},
    .max_hclk_hz = U575_MAX_HCLK_HZ,
};

static const L5RccLayout *
l5_rcc_layout(GlintSim *sim)
{
	return l5_cfg(sim)->rcc_csr == U5_RCC_CSR ? &u575_rcc : &l552_rcc;
}

static guint32
l5_rcc_reg(GlintSim *sim, const L5RccLayout *l, guint32 offset)
{
	return sim_plain_value(sim, l->base + offset);
}

/* RCC_CR as read: each ready flag is its ON bit */
static guint32
l5_rcc_cr_value(const L5RccLayout *l, guint32 cr)
{
	for (guint i = 0; i < G_N_ELEMENTS(l->ready) && l->ready[i].on != 0; i++) {
		cr &= ~l->ready[i].rdy;
		if (cr & l->ready[i].on)
			cr |= l->ready[i].rdy;
	}
	return cr;
}

guint32
l5_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	const L5RccLayout *l = l5_rcc_layout(sim);
	guint32 v = sim_plain_read(sim, p, who, offset);
	return offset == 0 ? l5_rcc_cr_value(l, v) : v;
}

gboolean
l5_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
	     guint32 value)
{
	const L5RccLayout *l = l5_rcc_layout(sim);
	guint32 cfgr = l5_rcc_reg(sim, l, l->cfgr);
	guint32 sws = (cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK;
	guint32 cr = l5_rcc_reg(sim, l, 0);

	if (offset == 0) {
		/* the oscillator feeding SYSCLK cannot be stopped */
		value |= l->sw_on[sws];
	} else if (offset == l->cfgr) {
		/* the switch happens only to a running source; SWS shows it */
		guint32 sw = value & RCC_CFGR_SW_MASK;
		if (cr & l->sw_on[sw])
			sws = sw;
		value = (value & ~(RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT)) |
			(sws << RCC_CFGR_SWS_SHIFT);
	}
	sim_plain_write(sim, p, who, offset, size, value);
	sim_cpu_clock_changed(sim);
	return TRUE;
}

static guint64
l5_rcc_msi_hz(GlintSim *sim, const L5RccLayout *l)
{
	guint32 reg = l5_rcc_reg(sim, l, l->msi_reg);
	guint range = (reg & l->msi_rgsel)
			  ? (reg >> l->msi_shift) & 0xFu
			  : (l5_rcc_reg(sim, l, l->csr) >> l->csr_msi_shift) & 0xFu;
	return l->msi_hz[range];
}

/* The PLL's R output: source / M * N / R (RM0438 6.4.4; RM0456 11.8.30 and
 * 11.8.34, where each field holds the factor minus one) */
static guint64
l5_rcc_pll_hz(GlintSim *sim, const L5RccLayout *l)
{
	guint32 cfg = l5_rcc_reg(sim, l, l->pllcfgr);
	guint m = ((cfg >> l->pll_m_shift) & 0xFu) + 1;
	guint n, r;
	guint64 src;

	if (l->plldivr != 0) {
		guint32 div = l5_rcc_reg(sim, l, l->plldivr);
		n = (div & 0x1FFu) + 1;
		r = ((div >> 24) & 0x7Fu) + 1;
	} else {
		n = (cfg >> 8) & 0x7Fu;
		r = 2 * (((cfg >> 25) & 0x3u) + 1);
	}
	switch (l->pllsrc[cfg & 0x3u]) {
	case L5_SRC_MSI:
		src = l5_rcc_msi_hz(sim, l);
		break;
	case L5_SRC_HSI16:
		src = L5_HSI16_HZ;
		break;
	case L5_SRC_HSE:
		src = L5_HSE_HZ;
		break;
	default:
		return 0;
	}
	return src * n / m / r;
}

guint32
l5_rcc_hclk_hz(GlintSim *sim)
{
	const L5RccLayout *l = l5_rcc_layout(sim);
	guint32 cfgr = l5_rcc_reg(sim, l, l->cfgr);
	guint hpre = (l5_rcc_reg(sim, l, l->hpre_reg) >> l->hpre_shift) & 0xFu;
	guint64 sysclk;

	switch ((cfgr >> RCC_CFGR_SWS_SHIFT) & RCC_CFGR_SW_MASK) {
	case 1:
		sysclk = L5_HSI16_HZ;
		break;
	case 2:
		sysclk = L5_HSE_HZ;
		break;
	case 3:
		sysclk = l5_rcc_pll_hz(sim, l);
		break;
	default:
		sysclk = l5_rcc_msi_hz(sim, l);
		break;
	}
	if (hpre & 0x8u)
		sysclk /= l5_hpre_div[hpre & 0x7u];
	/* a misconfigured PLL (no source, N = 0) would stop the core; keep a
	 * floor so virtual time still advances, and the datasheet's ceiling */
	return (guint32)CLAMP(sysclk, 1000u, l->max_hclk_hz);
}

/* U5 PWR_VOSR (RM0456 10.10.4): VOSRDY is set (the range is reached at
 * once), BOOSTRDY follows BOOSTEN */
#define U5_PWR_VOSR_OFFSET 0x0Cu
#define PWR_VOSR_BOOSTRDY (1u << 14)
#define PWR_VOSR_VOSRDY (1u << 15)
#define PWR_VOSR_BOOSTEN (1u << 18)

guint32
l5_pwr_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	guint32 v = sim_plain_read(sim, p, who, offset);
	if (p->base != U5_PWR_BASE || offset != U5_PWR_VOSR_OFFSET)
		return v;
	v = (v & ~PWR_VOSR_BOOSTRDY) | PWR_VOSR_VOSRDY;
	return (v & PWR_VOSR_BOOSTEN) ? v | PWR_VOSR_BOOSTRDY : v;
}
