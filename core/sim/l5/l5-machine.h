/* l5-machine.h: the STM32L5/U5 machines' pieces, shared by the files of
 * core/sim/l5/ and by nothing else. Two machines (L552/L562, U575/U585)
 * share one model and differ by their L5Config. */
#pragma once

#include "sim-faults.h"
#include "sim-private.h"

#include "l5-regs.h"
#include "l5-timing.h"

/* The regions every machine's table starts with, in this order */
enum {
	L5_REGION_FLASH,
	L5_REGION_SRAM, /* SRAM1 + SRAM2 (+ SRAM3 on the U5), one block */
	L5_REGION_SYSMEM,
	L5_REGION_OTP,
	L5_REGION_INFO,
	L5_REGION_OPTSTORE,
	L5_REGION_SRAM4, /* the U5 only */
	L5_REGION_COUNT,
};

#define L5_MEM(sim, region) ((sim)->mem[(region)])

/* What differs between the two lines (RM0438 / RM0456) */
typedef struct {
	const char *chip; /* "STM32L552" for messages */
	guint32 sram_size;
	guint32 sysmem_size;
	guint32 uid_addr, flashsize_addr;
	guint16 package;
	guint32 rcc_csr; /* the reset status register's address */
	guint32 unit;	 /* programming unit: 8 (double word) or 16 (quad word) */
	guint32 page_size, dual_page_size;
	guint32 max_kb;
	gboolean max_always_dual; /* U5: the largest part is two banks */
	guint32 dual_mask;	  /* the FLASH_OPTR bit of two banks, largest part */
	guint32 dual_mask_small;  /* ... smaller parts */
	gboolean has_optverr;	  /* L5: OPTVERR; the U5 has none */
	gboolean boot_lock_permanent;
	gboolean wrp_unlock;	      /* U5: WRPxyR.UNLOCK */
	gboolean half_regresses_to_0; /* L5: RDP 0.5 -> 0 exists */
	guint32 optr_factory;
	/* datasheet timings (typical), docs/timing/l5.md */
	gint64 unit_ns, page_erase_ns, mass_erase_ns, option_ns;
	guint32 max_hclk_hz; /* the benchmark's CRC bound */
} L5Config;

typedef struct {
	SimMachine machine;
	const L5Config *cfg;
} L5Machine;

static inline const L5Config *
l5_cfg(GlintSim *sim)
{
	/* every machine of this folder is an L5Machine (l5-machine.c) */
	return ((const L5Machine *)sim->machine)->cfg;
}

/* The flash layout the loaded option bytes give */
typedef struct {
	guint32 size;
	gboolean dual;
	guint32 page_size;
	guint pages_per_bank;
	guint32 bank_size; /* bytes of a bank (the whole flash when single) */
	gboolean swapped;  /* SWAP_BANK: bank 2 at 0x08000000 */
} L5Geometry;

/* The two security domains of the controller: the non-secure and the
 * secure key, control and status registers (RM0438 6.3.4) */
enum {
	L5_NS,
	L5_SEC,
};

typedef struct {
	guint32 sr; /* error flags and EOP (BSY is the controller's) */
	guint32 cr;
	guint key_stage;
	gboolean key_fault; /* wrong key: locked until reset */
	/* the programming unit being gathered (RM0438 6.3.7, RM0456 7.3.7):
	 * its bus address (main flash through this domain's alias, or OTP),
	 * the words received so far */
	gboolean unit_open;
	guint32 unit_addr;
	guint unit_words;
	guint32 unit_data[4];
} L5Domain;

/* What the operation in progress is (power cuts) */
typedef enum {
	L5_OP_NONE,
	L5_OP_ERASE,
	L5_OP_PROGRAM,
	L5_OP_OPTIONS,
} L5OpKind;

typedef struct {
	L5Domain dom[2];
	guint32 acr;
	guint32 eccr;
	guint optkey_stage;
	gboolean optkey_fault;
	/* the option registers as written (OPTSTRT stores them) */
	guint32 opt[L5_OPT_COUNT];
	/* volatile secure block-based attribution, one bit per page (SECBB) */
	guint32 secbb[2][4];
	guint32 sechdpcr; /* HDPx_ACCDIS, set by secure code, cleared by reset */
	guint32 privcfgr;
	/* the operation in progress (sim->flash_op): its domain gets EOP */
	gboolean op_eop;
	guint op_dom;
	L5OpKind op_kind;
	guint32 op_offset, op_len; /* erase: in the flash region */
	guint32 op_addr;	   /* program: the unit's bus address */
} L5Flash;

typedef struct {
	L5Flash fl;
	guint32 ob[L5_OPT_COUNT]; /* loaded at the last option load */
	gboolean invalid;	  /* a value/complement pair disagreed then */
	/* non-secure accesses to secure flash the controller turned away
	 * (silicon: a flash illegal access event in GTZC_TZIC, not modelled) */
	guint illegal_accesses;
} L5State;

static inline L5State *
l5_state(GlintSim *sim)
{
	return sim->machine_state;
}

extern const L5Machine sim_l552_machine;
extern const L5Machine sim_u575_machine;

/* l5-machine.c */
L5Geometry l5_geometry(GlintSim *sim);
gboolean l5_tzen(GlintSim *sim);
guint8 l5_rdp(GlintSim *sim);
/* 0, 1 (0.5), 2 (1), 3 (2): the read-protection level in force */
guint l5_rdp_rank(GlintSim *sim);
#define L5_RANK_0 0u
#define L5_RANK_HALF 1u
#define L5_RANK_1 2u
#define L5_RANK_2 3u
/* Whether the debugger acts as a secure master now: TrustZone on and
 * secure debug open (RDP level 0) */
gboolean l5_debug_secure(GlintSim *sim);
/* Whether an access by @who is a secure transfer (the core runs secure
 * code with TrustZone on; the debugger as above; the test back door is) */
gboolean l5_access_secure(GlintSim *sim, SimAccess who);
/* Read protection level 1 with a debugger since power-on, or a boot from
 * SRAM or the bootloader: no access to flash (RM0438 6.5.1) */
gboolean l5_flash_locked(GlintSim *sim);

/* l5-flash.c: the controller */
guint32 l5_flash_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l5_flash_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			guint size, guint32 value);
void l5_flash_reset(GlintSim *sim, const SimPeriph *p);
/* l5-rcc.c: RCC ready flags and SWS, HCLK, the U5's PWR_VOSR */
guint32 l5_rcc_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l5_rcc_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		      guint32 value);
guint32 l5_rcc_hclk_hz(GlintSim *sim);
guint32 l5_pwr_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
gboolean l5_flash_is_w1c(guint32 offset);
gboolean l5_flash_poke(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);
void l5_flash_mem_write(GlintSim *sim, guint32 addr, guint size, guint32 value);
void l5_flash_stall(GlintSim *sim);
void l5_flash_tick(GlintSim *sim);
void l5_flash_refused_write(GlintSim *sim, const SimHit *hit);
GlintSimCut l5_flash_power_fail(GlintSim *sim);
/* The benchmark's bound (SimMachineOps.flash_limit) */
void l5_flash_limit(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);
/* Physical bank and page of @offset in the flash region */
void l5_flash_locate(GlintSim *sim, guint32 offset, guint *bank, guint *page);
/* Whether @addr is in the secure alias of main flash (0x0C000000) */
gboolean l5_flash_secure_alias(guint32 addr);
/* The flash region offset of a main-flash bus address (either alias) */
guint32 l5_flash_offset(GlintSim *sim, guint32 addr);
/* Page attribution with TrustZone on: in a watermark area or marked by
 * SECBB */
gboolean l5_page_secure(GlintSim *sim, guint bank, guint page);
/* Hidden by HDP (HDPx_ACCDIS set by the secure firmware this boot) */
gboolean l5_page_hidden(GlintSim *sim, guint bank, guint page);
/* Erases the pages of @bank, all of them or (@non_secure_only) those the
 * non-secure side owns */
void l5_flash_erase_bank_pages(GlintSim *sim, guint bank, gboolean non_secure_only);

/* l5-options.c */
void l5_options_factory(GlintSim *sim, guint32 set[L5_OPT_COUNT]);
void l5_options_store(GlintSim *sim, const guint32 set[L5_OPT_COUNT]);
/* The set as stored (value words; a pair that disagrees gives its value) */
void l5_options_stored(GlintSim *sim, guint32 set[L5_OPT_COUNT]);
void l5_options_load(GlintSim *sim);
/* OPTSTRT: the chip's rules, regression erases, store. Returns the SR
 * flag that refused it (OPTWERR, WRPERR), or 0 with the time it takes in
 * *@ns */
guint32 l5_options_program(GlintSim *sim, gint64 *ns);
/* Whether page @page of @bank lies in an active WRP area (loaded) */
gboolean l5_options_page_wrp(GlintSim *sim, guint bank, guint page);
gboolean l5_options_bank_wrp(GlintSim *sim, guint bank);
/* Whether @page of @bank lies in the watermark area of its bank / the
 * hide-protected area (loaded; TZEN not considered) */
gboolean l5_options_page_secwm(GlintSim *sim, guint bank, guint page);
gboolean l5_options_page_hdp(GlintSim *sim, guint bank, guint page);

/* l5-boards.c */
void l5_scenario_factory(GlintSim *sim);
void l5_scenario_protect_first_unit(GlintSim *sim);
void l5_scenario_set_rdp_level1(GlintSim *sim);
void l5_scenario_leave_stale_flags(GlintSim *sim);
extern const SimScenario l5_scenario_texts[];
