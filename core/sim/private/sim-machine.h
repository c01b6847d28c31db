/* sim-machine.h: what a machine is: one STM32 family's chip as the emulator
 * models it, as data plus a small table of operations.
 *
 * The framework (the rest of core/sim) owns the probe, the Cortex-M core,
 * the bus, the virtual clock, scenarios and the state file; it knows no
 * register, bit or address of any family. A machine (core/sim/<family>/)
 * says what memory the chip has and where (SimRegion), which peripherals
 * answer on the bus (SimPeriph), and how its flash, option bytes, boot
 * mapping and clock behave (SimMachineOps). The bus, the core (Unicorn) and
 * the state file all work from the same tables. */
#pragma once

#include <glib.h>

#include "glint-sim.h"

/* The Cortex-M core of a family; the Unicorn CPU model, CPUID and debug
 * port identification follow it (sim-debug.c) */
typedef enum {
	SIM_CORE_CORTEX_M0,
	SIM_CORE_CORTEX_M0PLUS,
	SIM_CORE_CORTEX_M3,
	SIM_CORE_CORTEX_M4,
	SIM_CORE_CORTEX_M7,
	SIM_CORE_CORTEX_M33,
	/* a Cortex-M3 of a later revision (r2p1): what the STM32F103's clones
	 * (CKS32F103, APM32F103, GD32F103) carry */
	SIM_CORE_CORTEX_M3_R2P1,
} SimCoreType;

/* Where a bus access comes from: the debugger (through the probe: read
 * protection and the SWD state apply), the core executing code, or the
 * emulator's own AHB back door (tests of registers). */
typedef enum {
	SIM_ACCESS_DEBUG,
	SIM_ACCESS_AHB,
	SIM_ACCESS_CORE,
} SimAccess;

/* What a memory region is; the flags below say how the bus treats it. */
typedef enum {
	SIM_REGION_SRAM,    /* read/write, cleared at power-on */
	SIM_REGION_SYSMEM,  /* system memory: the ST bootloader ROM */
	SIM_REGION_OTP,	    /* one-time programmable area */
	SIM_REGION_INFO,    /* engineering bytes: unique ID, flash size, package */
	SIM_REGION_OPTIONS, /* option bytes as stored (value and complement) */
	SIM_REGION_FLASH,   /* main flash */
	SIM_REGION_EEPROM,  /* data EEPROM (L0/L1) */
} SimRegionKind;

typedef enum {
	/* plain stores land (SRAM); without it and PROGRAMMED a store faults */
	SIM_REGION_WRITABLE = 1u << 0,
	/* stores go to the machine's flash model (SimMachineOps.mem_write) */
	SIM_REGION_PROGRAMMED = 1u << 1,
	/* accesses wait while the flash model is busy (SimMachineOps.wait_busy) */
	SIM_REGION_WAITS_BUSY = 1u << 2,
	/* survives power-off: kept in the state file */
	SIM_REGION_NONVOLATILE = 1u << 3,
	/* the core may fetch instructions from it */
	SIM_REGION_EXEC = 1u << 4,
	/* no window at its base: the machine places it (SimMachineOps.map_windows,
	 * e.g. flash banks swapped) */
	SIM_REGION_MACHINE_MAPPED = 1u << 5,
} SimRegionFlags;

/* One memory of the chip: the framework allocates its bytes. */
typedef struct {
	const char *name; /* "flash", "sram1", "otp": state files and messages */
	SimRegionKind kind;
	guint32 base;  /* bus address */
	guint32 size;  /* bytes; 0 for main flash: the board's flash size */
	guint32 flags; /* SimRegionFlags */
	guint8 erased; /* an erased byte: 0xFF, or 0x00 (L0/L1 flash and EEPROM) */
} SimRegion;

/* A fixed second address of bus addresses (SRAM2 also at 0x20018000). */
typedef struct {
	guint32 base;
	guint32 size;
	guint32 target; /* the bus address @base shows */
} SimAlias;

/* The bus map: windows onto regions, or forwards to other bus addresses
 * (aliases). Built from the region table, the aliases and the machine's
 * dynamic windows (boot alias at 0, bank swap); the bus and the core both
 * use it. */
#define SIM_WINDOW_FORWARD (-1)

typedef struct {
	guint32 base;
	guint32 size;
	gint region;	/* index into the machine's regions, or SIM_WINDOW_FORWARD */
	guint32 offset; /* into the region, or the bus address a forward shows */
} SimWindow;

typedef struct {
	SimWindow *windows;
	guint n_windows;
	guint capacity;
	gboolean valid;
	guint32 key;	  /* SimMachineOps.map_key when it was built */
	guint generation; /* counts rebuilds: the core remaps when it changes */
	guint last;	  /* the window the previous lookup found */
} SimMap;

/* For SimMachineOps.map_windows: @size bytes at @base show region @region
 * from @offset; or show the bus addresses at @target. */
void sim_map_add(SimMap *map, guint32 base, guint32 size, guint region, guint32 offset);
void sim_map_forward(SimMap *map, guint32 base, guint32 size, guint32 target);

/* Where an access lands */
typedef struct {
	guint region;	       /* index into the machine's regions */
	const SimRegion *info; /* its row */
	guint8 *mem;	       /* the bytes at the address */
	guint32 addr;	       /* the address in the region's own window (after forwards) */
	guint32 avail;	       /* bytes from @mem to the end of that window */
	gboolean forwarded;    /* reached through an alias */
} SimHit;

/* One peripheral on the bus: a block of registers with its model.
 * Registers are 32 bits wide: a read returns the word at a word offset and
 * the bus hands narrower reads its bytes; a narrower write reaches the model
 * as a whole word, the other lanes read back from the register first (or
 * zero in write-1-to-clear registers), unless SIM_PERIPH_RAW_WRITES. */
typedef struct _SimPeriph SimPeriph;

typedef enum {
	/* writes arrive as the code made them: byte offset, 1/2/4 bytes, the
	 * value unshifted (the CRC unit's DR consumes 8, 16 or 32 bits) */
	SIM_PERIPH_RAW_WRITES = 1u << 0,
} SimPeriphFlags;

struct _SimPeriph {
	const char *name; /* "FLASH", "RCC": as in the reference manual */
	guint32 base;
	guint32 size;
	guint32 flags; /* SimPeriphFlags */
	guint32 (*read)(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset);
	/* FALSE: a bus error (a wrong key) */
	gboolean (*write)(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset,
			  guint size, guint32 value);
	/* a system reset (also part of a power-on); may be NULL */
	void (*reset)(GlintSim *sim, const SimPeriph *p);
	/* power-on only (debug registers survive a system reset); may be NULL */
	void (*power_on)(GlintSim *sim, const SimPeriph *p);
	/* registers whose bits clear by writing 1; may be NULL */
	gboolean (*is_w1c)(guint32 offset);
	/* the test back door: set the raw byte at @offset (flags left over by
	 * an earlier tool); NULL: a plain bus write */
	gboolean (*poke)(GlintSim *sim, const SimPeriph *p, guint32 offset, guint8 value);
	gconstpointer config; /* the model's data (GPIO reset values, ...) */
};

/* The rest of the chip as a debugger sees it (sim-periph-map.c): every
 * peripheral of the reference manual's memory map, whether the emulator
 * models it or not, the documented reset value of each register, which
 * clock-enable bit gates which peripheral, and the reset flags each reset
 * source leaves. All of it is data a machine fills. */

/* One peripheral's register block in the memory map (the reference
 * manual's "peripheral register boundary addresses"). An address inside
 * it that no SimPeriph models reads as its reset value (0 unless listed)
 * and ignores writes, for the debugger and the code alike: IDEs read every
 * register of their peripheral views. Addresses outside every block, every
 * region and the core's PPB are reserved: a bus fault. */
typedef struct {
	const char *name;    /* "TIM2", as in the reference manual */
	guint32 base;	     /* first address */
	guint32 size;	     /* bytes */
	guint32 enable_reg;  /* the clock-enable register gating it; 0: always clocked */
	guint32 enable_mask; /* its enable bit */
} SimBusBlock;

typedef enum {
	/* reads as the reset value whatever was written: the write acts
	 * elsewhere (a clear register, a key register) */
	SIM_REG_WRITE_ONLY = 1u << 0,
	/* keeps its value over a system reset, cleared at power-on only
	 * (backup domain, debug configuration) */
	SIM_REG_KEPT_OVER_RESET = 1u << 1,
} SimRegFlags;

/* A register's documented reset value ("Reset value:" in the manual).
 * Registers a SimPeriph models report their own value (a test holds them
 * to this table); plain storage and unmodelled blocks read it until
 * written. */
typedef struct {
	guint32 addr;
	guint32 reset;
	guint32 read_only; /* bits writes do not change (status, reserved) */
	guint32 flags;	   /* SimRegFlags */
} SimRegReset;

/* What starts a system reset. Each leaves its flag in the chip's reset
 * status register (RCC_CSR on the L4) until software removes them or the
 * power goes. */
typedef enum {
	SIM_RESET_POWER_ON,	/* power-on or brown-out reset */
	SIM_RESET_PIN,		/* NRST driven low from outside (the probe) */
	SIM_RESET_SOFTWARE,	/* AIRCR.SYSRESETREQ (also the probe's RESETSYS) */
	SIM_RESET_IWDG,		/* independent watchdog */
	SIM_RESET_WWDG,		/* window watchdog */
	SIM_RESET_OPTION_LOAD,	/* option-byte loader (OBL_LAUNCH) */
	SIM_RESET_LOW_POWER,	/* entering Stop/Standby/Shutdown when the options forbid it */
	SIM_RESET_SOURCE_COUNT, /* (the number of sources) */
} SimResetSource;

/* The reset status register: the flag bits the framework owns in it, the
 * bit that removes them, and what each source sets. */
typedef struct {
	guint32 reg;			     /* bus address; 0: the chip has none */
	guint32 mask;			     /* the flag bits */
	guint32 remove;			     /* writing 1 here clears them (RMVF) */
	guint32 set[SIM_RESET_SOURCE_COUNT]; /* flags each source sets */
} SimResetFlags;

typedef struct {
	const SimBusBlock *blocks;
	guint n_blocks;
	const SimRegReset *registers;
	guint n_registers;
	SimResetFlags reset_flags;
} SimPeriphMap;

/* What routes the trace output to the SWO pin (sim-trace.c): on most STM32
 * the DBGMCU's TRACE_IOEN with TRACE_MODE asynchronous (00); on some the
 * trace clock enables too, and the pin's alternate function. */
typedef struct {
	guint32 enable_reg;  /* bus address; 0: the pin always carries SWO */
	guint32 enable_mask; /* must all be set (TRACE_IOEN, clock enables) */
	guint32 mode_mask;   /* must all be clear (TRACE_MODE) */
	/* The pin, SIM_LED('B', 3): it must be in alternate function mode
	 * (MODER 10) with AF0 (the machine's gpio_ports); 0: not checked */
	guint16 gpio_pin;
} SimSwoPin;

/* A trace output unit of the chip's own between the ITM and the pin, in
 * place of the core's TPIU (sim-trace.c): a CoreSight SWO (CODR, SPPR,
 * FFCR at the TPIU's offsets, a software lock) behind a trace funnel whose
 * CTRL enables the ITM's port. Both sit on the system bus: the core and
 * the debugger's AP0 alike must unlock them (LAR = 0xC5ACCE55). */
typedef struct {
	guint32 swo_base;
	guint32 funnel_base;
	guint32 funnel_itm_port; /* CTRL bit of the ITM's port (ENS0) */
} SimSwoUnit;

/* How the chip's GPIO ports are laid out, for the demo firmware's LED */
typedef enum {
	SIM_GPIO_STYLE_MODER,	/* MODER, ODR at 0x14, BSRR at 0x18 (all but F1) */
	SIM_GPIO_STYLE_CRL_CRH, /* CRL/CRH, ODR at 0x0C, BSRR at 0x10 (F1) */
} SimGpioStyle;

/* Where the GPIO ports are and what clocks them: port N (A = 0) at @base +
 * N * GPIO_PORT_STRIDE (0x400), clocked by bit @enable_bit_a + N of @enable_reg */
typedef struct {
	guint32 base;
	guint32 enable_reg; /* bus address; 0: always clocked */
	guint enable_bit_a;
	SimGpioStyle style;
} SimGpioPorts;

/* An image as the benchmark's bound sees it (sim-limit.c): its bytes in
 * main flash as spans of the flash region's own bytes (physical: after any
 * bank swap), sorted by offset. */
typedef struct {
	guint32 offset; /* into the main flash region */
	guint32 len;
	const guint8 *data;
} SimSpan;

typedef struct {
	const SimSpan *spans;
	guint n_spans;
	guint8 erased; /* main flash's erased value */
} SimImageSpans;

/* A machine's part of the bound (SimMachineOps.flash_limit): what its
 * flash needs at the datasheet's typical times, and where they come from */
typedef struct {
	gint64 erase_ns;
	gint64 program_ns;
	/* both together as the chip can overlap them; 0: their sum */
	gint64 limit_ns;
	guint32 max_hclk_hz; /* the datasheet's highest HCLK, for the CRC unit */
	GString *how;	     /* one line: units, counts, times, sources */
} SimFlashLimit;

/* A machine: the chip's data and its operations. */
typedef struct _SimMachine SimMachine;

/* What the framework asks of a machine. Required: hclk_hz, and the three
 * scenario hooks protect_first_unit, set_rdp_level1, leave_stale_flags
 * (every board has the generic scenarios); mem_write when a region is
 * SIM_REGION_PROGRAMMED. Every other operation may be NULL. */
typedef struct {
	/* The machine's own state (its flash controller registers, option-byte
	 * model, clock tree): made for each board, freed with it. */
	gpointer (*state_new)(GlintSim *sim);
	void (*state_free)(gpointer state);

	/* A number that changes whenever the dynamic windows would (loaded
	 * option bytes, boot mode): the map is rebuilt when it does. */
	guint32 (*map_key)(GlintSim *sim);
	/* Adds the windows that depend on the chip's state: the boot alias at 0,
	 * regions flagged SIM_REGION_MACHINE_MAPPED. */
	void (*map_windows)(GlintSim *sim, SimMap *map);

	/* Power-on, before the system reset that follows it: the option bytes
	 * load, status flags clear. */
	void (*power_on)(GlintSim *sim);
	/* A system reset, before the peripherals reset: what the boot decides
	 * (bank swap). */
	void (*system_reset)(GlintSim *sim);
	/* Where the core fetches its initial SP and reset vector; NULL: 0 */
	guint32 (*boot_address)(GlintSim *sim);
	/* The core's clock as the clock tree makes it now */
	guint32 (*hclk_hz)(GlintSim *sim);
	/* Below this supply the chip is held in reset; NULL: 1700 mV */
	guint (*bor_threshold_mv)(GlintSim *sim);
	/* The engineering bytes: unique ID (sim_unique_id: from the serial,
	 * so two boards differ), flash size register, package */
	void (*fill_info)(GlintSim *sim);

	/* The flash model. A store into a SIM_REGION_PROGRAMMED region: @addr
	 * is its address in the region's own window. */
	void (*mem_write)(GlintSim *sim, guint32 addr, guint size, guint32 value);
	/* Whether that store is a bus error instead (checked first; the F1's
	 * FPEC takes half-words only); may be NULL */
	gboolean (*mem_write_faults)(GlintSim *sim, guint32 addr, guint size);
	/* A bus access to a SIM_REGION_WAITS_BUSY region waits for the
	 * operation in progress (sim_flash_op_wait) */
	void (*wait_busy)(GlintSim *sim);
	/* Read protection: whether the debugger's access to @hit is refused
	 * (a bus fault), checked before any wait; the flash model refuses
	 * program/erase under read protection itself */
	gboolean (*debug_blocked)(GlintSim *sim, const SimHit *hit);
	/* TrustZone: whether the debugger's access to @hit is a non-secure
	 * access to secure memory, which silicon turns away without a bus
	 * error: reads give zeros, writes are ignored (RAZ/WI; the chip flags
	 * an illegal access elsewhere). Checked after debug_blocked; may be
	 * NULL */
	gboolean (*debug_access_ignored)(GlintSim *sim, const SimHit *hit);
	/* Execute-only areas: whether a debugger data read of @hit is refused
	 * (after the wait; the model may flag it, e.g. RDERR); may be NULL */
	gboolean (*debug_read_refused)(GlintSim *sim, const SimHit *hit);
	/* The debug port is gone for good (RDP level 2) */
	gboolean (*debug_port_locked)(GlintSim *sim);
	/* Read protection for the code: whether the core's accesses to @hit
	 * are refused now (a bus fault; such windows are left out of the
	 * core's direct mapping, so fetches fault too). Checked as often as
	 * the map key changes, so a machine whose answer changes must change
	 * its map_key with it. NULL: never */
	gboolean (*core_blocked)(GlintSim *sim, const SimHit *hit);
	/* A store into a programmed region that read protection refused (from
	 * the debugger or the core): the flash model may flag it (WRPERR with
	 * a programming mode set). NULL: nothing but the bus fault */
	void (*refused_write)(GlintSim *sim, const SimHit *hit);
	/* Power fails now: what the operation in progress leaves (with
	 * sim_faults_cut_erase/program), and it ends; the model also calls
	 * sim_faults_unit_started as each programming unit starts */
	GlintSimCut (*power_fail)(GlintSim *sim);
	/* The core is about to execute the code at @addr (called as each run of
	 * straight-line code, a Unicorn block, starts): a flash model that must
	 * see instruction fetches watches here (an STM32L0/L1 half-page write is
	 * aborted by a fetch from flash); may be NULL */
	void (*core_fetch)(GlintSim *sim, guint32 addr);

	/* The benchmark's bound (glint_sim_get_flash_limit()): the least time
	 * main flash needs to take @image in the configuration in force (banks,
	 * supply), at the datasheet's typical times from the machine's timing
	 * header: every unit the image touches erased the fastest way the
	 * controller offers, every unit holding a byte other than the erased
	 * value programmed in its fastest unit. NULL: the board has no bound */
	void (*flash_limit)(GlintSim *sim, const SimImageSpans *image, SimFlashLimit *limit);

	/* Scenarios (sim-scenario.c) ask the machine for what only it knows.
	 * The state as shipped: option bytes at their factory values, the
	 * bootloader in system memory (every region is erased before). */
	void (*factory)(GlintSim *sim);
	/* A firmware in main flash; NULL: the framework's generated one at
	 * the start of main flash (sim_scenario_write_firmware) */
	void (*write_firmware)(GlintSim *sim);
	/* Write-protect the first erase unit of main flash (at least) */
	void (*protect_first_unit)(GlintSim *sim);
	/* Read protection level 1 */
	void (*set_rdp_level1)(GlintSim *sim);
	/* The flash controller's error flags an earlier tool left set; called
	 * after the first power-on */
	void (*leave_stale_flags)(GlintSim *sim);
} SimMachineOps;

/* A scenario: what a board holds when it starts */
typedef struct {
	const char *name;	 /* "bfb2-empty" */
	const char *description; /* one line for --sim list and the GUI */
	/* before the first power-on: memory contents, option bytes, traits */
	void (*setup)(GlintSim *sim);
	/* after it: volatile state an earlier session left; may be NULL */
	void (*first_boot)(GlintSim *sim);
} SimScenario;

struct _SimMachine {
	const char *name;   /* "l4": the folder core/sim/<name>/ */
	const char *family; /* "STM32L4": for messages */
	SimCoreType core;
	/* What this chip's debug port and core answer when they differ from
	 * the core table's (the H7's SW-DP is 0x6BA02477 where an F7's M7 has
	 * 0x5BA02477; cores come in revisions); 0: the core table's */
	guint32 dp_idcode;
	guint32 cpuid;
	const SimRegion *regions;
	guint n_regions;
	const SimAlias *aliases;
	guint n_aliases;
	const SimPeriph *periphs;
	guint n_periphs;
	/* SysTick's external reference clock is HCLK divided by this */
	guint systick_ext_div;
	/* Vector table entries of the family's firmware (16 + interrupts) */
	guint vector_count;
	/* How this family does the generic scenarios, in its own words
	 * ("WRP1A over pages 0-15"): name and description (the setup is
	 * unused), up to a row with a NULL name; may be NULL */
	const SimScenario *scenario_texts;
	/* Version 1 of the state file (before machines, an STM32L476 only)
	 * stored these regions whole, in this order (NULL-terminated), then
	 * main flash in pages of @legacy_state_page bytes; NULL: a machine
	 * that never had version-1 files */
	const char *const *legacy_state_regions;
	guint legacy_state_page;
	const SimMachineOps *ops;
	/* The rest of the chip: peripheral blocks, reset values, clock gates,
	 * reset flags; NULL: only the peripheral table answers, the debugger's
	 * other accesses fault */
	const SimPeriphMap *periph_map;
	/* The SWO pin's routing; NULL: no SWO pin (ARMv6-M) */
	const SimSwoPin *swo_pin;
	/* The trace unit that drives the pin when it is not the core's TPIU
	 * (its registers answer through sim_swo_unit_read/write and
	 * sim_swo_funnel_read/write in the peripheral table); NULL: the TPIU */
	const SimSwoUnit *swo_unit;
	/* The GPIO ports, for the demo scenario's LED; NULL: it has none */
	const SimGpioPorts *gpio_ports;
	/* A Cortex-M0/M0+ machine: the 32-bit instructions ARMv6-M does not
	 * have fault (UNDEFINSTR, HardFault) as on silicon, where Unicorn's
	 * Cortex-M0 would run them. Meant for every ARMv6-M machine; off by
	 * default until each family's tests expect it (stlink 1.7's STM32L0
	 * loader uses ADD.W, so its st-flash fails on an L0, stlink #1203) */
	gboolean armv6m_strict;
};

/* A board: a real board (or a chip on a board of one's own) that --sim
 * names. Its scenarios are the five generic ones, then its own. */
typedef struct {
	const char *name;  /* "nucleo-l476rg": the board's name in lower case */
	const char *title; /* "NUCLEO-L476RG": as printed on it */
	const char *chip;  /* "STM32L476RG" */
	const SimMachine *machine;
	guint32 flash_kb;
	/* DBGMCU_IDCODE as the chip reads it: REV_ID [31:16], DEV_ID [11:0]
	 * (and whatever the reserved bits [15:12] read on silicon) */
	guint32 idcode;
	const char *description;
	const SimScenario *scenarios;
	guint n_scenarios;
	/* The user LED the demo scenario blinks, SIM_LED('A', 5); 0: PA5, the
	 * LD2 of a Nucleo-64 */
	guint16 led;
	/* The ST-LINK the board carries (its user manual), what the emulator
	 * presents when nobody names another; GLINT_PROBE_KIND_UNKNOWN (0): a
	 * board without one, used with a plain ST-LINK/V2 */
	GlintProbeKind probe;
} SimBoard;

#define SIM_LED(port, pin) ((guint16)(0x8000u | (guint)((port) - 'A') << 4 | (guint)(pin)))
#define SIM_LED_DEFAULT SIM_LED('A', 5)

/* The boards of one machine folder, listed in sim-boards.c */
typedef struct {
	const SimBoard *boards;
	guint n_boards;
} SimBoardTable;

/* sim-scenario.c, for machines: the generated firmware (a vector table
 * into plausible Thumb code that idles) of @size bytes linked at
 * @link_base; and the "firmware turns SWD off" scenario setup any board
 * may list. */
void sim_firmware_generate(GlintSim *sim, guint8 *dst, guint32 link_base, gsize size, guint32 seed);
void sim_scenario_write_firmware(GlintSim *sim);
void sim_scenario_swd_disabled(GlintSim *sim);

/* sim-limit.c, for machines' flash_limit: of the @unit-byte units of main
 * flash in [@from, @to) (region offsets, units counted from @from), how
 * many the image touches, and how many hold a byte of it other than the
 * erased value (the units a programmer must write) */
guint64 sim_limit_units_touched(const SimImageSpans *image, guint32 from, guint32 to, guint32 unit);
guint64 sim_limit_units_written(const SimImageSpans *image, guint32 from, guint32 to, guint32 unit);
/* "1.91 ms", "52.5 us", "5 s": a duration for the how line */
gchar *sim_limit_format_ns(gint64 ns);

/* sim-map.c, for machines: the bytes of region i are sim->mem[i]
 * (sim->mem_size[i] of them). */
/* The region of @kind (the first one in the table), or -1 */
gint sim_region_find(GlintSim *sim, SimRegionKind kind);
gint sim_region_find_in(const SimMachine *machine, SimRegionKind kind);
/* The window holding @len bytes at @addr, following forwards unless
 * @direct; FALSE when no single window holds them. */
gboolean sim_map_resolve(GlintSim *sim, guint32 addr, guint32 len, gboolean direct, SimHit *hit);
