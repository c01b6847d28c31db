/* glint-sim.h: an emulated ST-LINK probe with an STM32 board behind it.
 *
 * A GlintSim is one probe plus one target board: the ST-LINK firmware
 * (command parsing, status codes, version gates), the SWD debug port and
 * Cortex-M debug registers, the STM32L476 memory map and its flash controller
 * as RM0351 describes them, option bytes, RDP and WRP, and a virtual clock
 * that charges every USB round trip, SWD word and flash operation its
 * documented cost. It keeps no global state: two sims are two boards.
 *
 * A sim is driven from one thread at a time (the thread that owns the probe).
 * The packet-level entry points (bulk_out/bulk_in) are what a USB device
 * sees; glint_sim_transport_new() wraps them as an in-process GlintTransport. */
#pragma once

#include <glib.h>

#include "glint-transport.h"

G_BEGIN_DECLS

typedef struct _GlintSim GlintSim;

/* Scenario names: "fresh", "wrp", "rdp1", "stale-errors", "bfb2-empty",
 * "no-target", "swd-disabled", "l476re" (512 KB part), "l476rc" (256 KB). */
const char *const *glint_sim_scenario_names(void);
/* One line describing a scenario, for --help and the GUI, or NULL if unknown. */
const char *glint_sim_scenario_describe(const char *scenario);

/* A new board in @scenario (NULL means "fresh"); GLINT_ERROR_INVALID_ARGUMENT
 * for an unknown name. */
GlintSim *glint_sim_new(const char *scenario, GError **error);
GlintSim *glint_sim_ref(GlintSim *sim);
void glint_sim_unref(GlintSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSim, glint_sim_unref)

const char *glint_sim_get_scenario(GlintSim *sim);

/* Board state (flash contents, option bytes, scenario, serial) as a file, so
 * a simulated board keeps its contents between runs like real hardware.
 * Loading checks the whole file and fails with a message naming what is
 * wrong; the sim is unchanged on failure. */
gboolean glint_sim_save_state(GlintSim *sim, const char *path, GError **error);
GlintSim *glint_sim_new_from_state(const char *path, GError **error);

/* Probe personality. Defaults: ST-LINK/V2 (0483:3748), firmware V2J37S7,
 * a fixed 24-hex-digit serial derived from the scenario. */
void glint_sim_set_probe_kind(GlintSim *sim, GlintProbeKind kind);
void glint_sim_set_firmware_version(GlintSim *sim, guint jtag_version);
void glint_sim_set_serial(GlintSim *sim, const char *serial);
/* The V2 quirk: the USB serial descriptor holds 12 raw bytes, not hex. */
void glint_sim_set_binary_serial(GlintSim *sim, gboolean binary);
/* Whether the binary-serial quirk is on (the USB layer builds the descriptor). */
gboolean glint_sim_get_binary_serial(GlintSim *sim);
const char *glint_sim_get_serial(GlintSim *sim);
GlintProbeInfo *glint_sim_get_probe_info(GlintSim *sim);

/* USB bulk endpoints as the probe firmware sees them. bulk_out takes a
 * command block (16 bytes) or a data-out phase (possibly in pieces);
 * bulk_in returns up to @max bytes of the pending reply (0 when nothing is
 * pending). Malformed traffic is answered as the firmware would (error
 * status), never with a crash. */
void glint_sim_bulk_out(GlintSim *sim, const guint8 *data, gsize len);
gsize glint_sim_bulk_in(GlintSim *sim, guint8 *buf, gsize max);
/* Number of complete ST-LINK commands processed so far. */
guint64 glint_sim_get_command_count(GlintSim *sim);

/* The in-process link: a transport that calls bulk_out/bulk_in directly. */
GlintTransport *glint_sim_transport_new(GlintSim *sim);

/* Virtual clock: modelled device time since the board was created. */
gint64 glint_sim_get_time_ns(GlintSim *sim);
void glint_sim_reset_time(GlintSim *sim);

/* Called before each ST-LINK command is processed, on the driving thread.
 * Returning FALSE makes the probe vanish from the bus from then on (every
 * later transfer fails as when a cable is pulled). Tests use it for gates
 * (block until the test opens them) and fault injection. */
typedef gboolean (*GlintSimCommandHook)(GlintSim *sim, const guint8 *cmd, gpointer user_data);
void glint_sim_set_command_hook(GlintSim *sim, GlintSimCommandHook hook, gpointer user_data);
/* Unplug the probe now / after @count more commands (0 = never). */
void glint_sim_unplug(GlintSim *sim);
void glint_sim_set_unplug_after(GlintSim *sim, guint64 count);
gboolean glint_sim_is_unplugged(GlintSim *sim);

/* Fault injection: the next @count commands that access the target answer
 * @status (e.g. 0x10 SWD_AP_WAIT, 0x14 SWD_DP_WAIT) without touching it, so
 * host retry paths can be tested. */
void glint_sim_inject_target_status(GlintSim *sim, guint8 status, guint count);
/* Whether the probe's NRST line reaches the target (default TRUE); when not,
 * DRIVE_NRST answers OK but nothing resets, as with a missing wire. */
void glint_sim_set_nrst_wired(GlintSim *sim, gboolean wired);

/* Target power, in millivolts (3300 normally, 0 for "no-target"). */
void glint_sim_set_target_voltage_mv(GlintSim *sim, guint mv);

/* Back-door access for tests, bypassing debug and protection: what the
 * silicon holds. Addresses are bus addresses (flash at 0x08000000, option
 * bytes at 0x1FFF7800, ...). Peripheral registers read with side effects
 * avoided. Return FALSE if unmapped. */
gboolean glint_sim_peek(GlintSim *sim, guint32 addr, guint8 *buf, gsize len);
gboolean glint_sim_poke(GlintSim *sim, guint32 addr, const guint8 *buf, gsize len);
guint32 glint_sim_peek32(GlintSim *sim, guint32 addr);

/* Bus access as the target's AHB sees it (with flash controller semantics,
 * used by the emulator's own register tests). Sizes 1, 2, 4. Returns FALSE
 * on a bus fault. */
gboolean glint_sim_bus_read(GlintSim *sim, guint32 addr, guint size, guint32 *value);
gboolean glint_sim_bus_write(GlintSim *sim, guint32 addr, guint size, guint32 value);

/* Power cycle / reset the board (option bytes reload as at POR). */
void glint_sim_power_cycle(GlintSim *sim);

/* Statistics for reports: flash operations performed since creation. */
typedef struct {
	guint64 double_words_programmed;
	guint64 pages_erased;
	guint64 mass_erases;
	guint64 option_writes;
	guint64 usb_commands;
	guint64 usb_bytes;
	guint64 instructions; /* executed by the target's core */
} GlintSimStats;
void glint_sim_get_stats(GlintSim *sim, GlintSimStats *stats);

/* The target's core runs in virtual time: this advances the clock by @ns
 * with no probe traffic and lets the core execute what fits (as the probe
 * does before each command). Returns the new device time. */
gint64 glint_sim_advance_time(GlintSim *sim, gint64 ns);
/* For a probe behind real USB driven by another process (glint-usbsim):
 * when on, time the host spends idle between two transfers beyond
 * SIM_HOST_IDLE_MIN_NS (a tool sleeping while its flash loader runs) also
 * passes on the device, as it does on silicon. Whether the host idled is
 * judged net of the machine's load: time this process or its child
 * processes (the tool) spent runnable but waiting for a CPU (Linux schedstat
 * run_delay) is not idling, so a loaded machine does not make a tool look
 * slower; a gap that is idling counts whole. Off by default: in-process
 * hosts never sleep and the modelled clock stays deterministic. */
void glint_sim_set_count_host_idle(GlintSim *sim, gboolean on);

/* Benchmark only (docs/timing-model.md, "Sensitivity"): factors on the timing
 * model's estimates, for every sim of this process. @spec is a comma list of
 *   usb-command=F  x the USB command round trip (full and high speed)
 *   swd-access=F   x the SWD cycles per 32-bit access
 *   cpu-cycles=F   x the core's cycles per executed instruction
 *   host-idle=net|wall  idle gaps net of the machine's load (default) or as
 *                  measured
 * with F > 0 (e.g. 0.5 or 2); NULL or "" restores the model as documented.
 * GLINT_ERROR_INVALID_ARGUMENT names a bad item, and the model stays as it
 * was. Call it while no sim is running (it is not locked against concurrent
 * charges). A process that cannot call this (glint-usbsim running a tool)
 * reads the same spec from the environment variable GLINT_SIM_CLOCK, once,
 * before its first charge; a bad value there is reported with a warning and
 * ignored. Only the hook's own tests set either: every figure the other
 * tests check uses the model as documented. */
gboolean glint_sim_set_clock_model(const char *spec, GError **error);
/* HCLK as the target's RCC settings make it (4 MHz MSI after reset). */
guint32 glint_sim_get_hclk_hz(GlintSim *sim);
/* GPIO port @port (0 = A ... 7 = H): how many times output pin @pin
 * changed level since power-on, and the output data register. */
guint64 glint_sim_get_gpio_toggles(GlintSim *sim, guint port, guint pin);
guint32 glint_sim_get_gpio_odr(GlintSim *sim, guint port);

/* Supply faults (sim-faults.c) ------------------------------------------- */

typedef enum {
	GLINT_SIM_CUT_NONE,    /* no flash operation was running */
	GLINT_SIM_CUT_ERASE,   /* a page, bank or mass erase */
	GLINT_SIM_CUT_PROGRAM, /* a double-word program */
	GLINT_SIM_CUT_OPTIONS, /* an option-byte program (OPTSTRT) */
} GlintSimCut;

/* Target power fails now. A flash operation still running (BSY) is cut
 * short and leaves what silicon would: erased pages with 0 bits scattered
 * through them, a double word with some of its 0 bits still 1, or option
 * bytes whose OPTR disagrees with its complement (OPTVERR and the safe
 * defaults, RDP level 1, at the next load). Returns what was cut. Power
 * returns with glint_sim_set_target_voltage_mv(): a power-on reset. */
GlintSimCut glint_sim_power_fail(GlintSim *sim);
const char *glint_sim_cut_to_string(GlintSimCut cut);
/* Power fails while a double word is being programmed: @count double words
 * from now complete, and the next one (the probe's memory write streaming
 * it, or code on the core storing it) is cut in flight. It is left with
 * some of its 0 bits still 1 (ECC errors are not modelled: it reads back as
 * those bits), the rest of the write or of the code's run does not happen,
 * the supply is at 0 V. Power returns with glint_sim_set_target_voltage_mv().
 * glint_sim_get_power_cut_address() then gives the damaged double word. */
void glint_sim_set_power_fail_after_double_words(GlintSim *sim, guint64 count);
gboolean glint_sim_get_power_cut_address(GlintSim *sim, guint32 *addr);
/* Below this supply (set by FLASH_OPTR.BOR_LEV, 1700 mV by default) the chip
 * is held in brown-out reset: SWD does not answer; rising above it again is
 * a power-on reset. */
guint glint_sim_get_bor_threshold_mv(GlintSim *sim);

G_END_DECLS
