/* glint-sim.h: an emulated ST-LINK probe with an STM32 board behind it.
 *
 * A GlintSim is one probe plus one target board: the ST-LINK firmware
 * (command parsing, status codes, version gates), the SWD debug port and
 * Cortex-M debug registers, the chip's memory map and its flash controller
 * as its reference manual describes them, option bytes, read and write
 * protection, and a virtual clock that charges every USB round trip, SWD
 * word and flash operation its documented cost. Boards are listed by
 * glint_sim_list_boards(); each has the scenarios "fresh", "wrp", "rdp1",
 * "stale-errors" and "no-target", then its own. It keeps no global state:
 * two sims are two boards.
 *
 * A sim is driven from one thread at a time (the thread that owns the probe).
 * The packet-level entry points (bulk_out/bulk_in) are what a USB device
 * sees; glint_sim_transport_new() wraps them as an in-process GlintTransport. */
#pragma once

#include <gio/gio.h>

#include "glint-image.h"
#include "glint-transport.h"

G_BEGIN_DECLS

typedef struct _GlintSim GlintSim;

/* Simulated boards ------------------------------------------------------ */

/* One board, as --sim list and the GUI show it */
typedef struct {
	gchar *name;	/* "nucleo-l476rg": what --sim takes */
	gchar *title;	/* "NUCLEO-L476RG": as printed on the board */
	gchar *chip;	/* "STM32L476RG" */
	gchar *family;	/* "STM32L4": the machine that emulates it */
	gchar *machine; /* "l4": its folder, core/sim/<machine>/ (one per family of models) */
	guint flash_kb;
	guint16 dev_id; /* DBGMCU_IDCODE */
	guint16 rev_id;
	gchar *description; /* one line */
	GStrv scenarios;    /* "fresh", "wrp", "rdp1", "stale-errors", "no-target", then its own */
	GStrv scenario_descriptions; /* one line each, in the same order */
} GlintSimBoardInfo;

void glint_sim_board_info_free(GlintSimBoardInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSimBoardInfo, glint_sim_board_info_free)

/* Every board, in registry order: a new array of GlintSimBoardInfo */
GPtrArray *glint_sim_list_boards(void);
/* One board by name (case does not matter), or NULL */
GlintSimBoardInfo *glint_sim_get_board_info(const char *board);
/* Every board with its chip, flash size and scenarios, as lines of text for
 * --sim list and --help (each line indented by two spaces) */
gchar *glint_sim_describe_boards(void);

/* A spec names a board in a scenario: "BOARD", "BOARD:SCENARIO" ("BOARD"
 * alone is its "fresh"), or a short name from before boards had names:
 * "fresh", "wrp", "rdp1", "stale-errors", "bfb2-empty", "no-target",
 * "swd-disabled" mean nucleo-l476rg:<name>, "l476re" and "l476rc" the 512
 * and 256 KB parts (boards stm32l476re and stm32l476rc). NULL means
 * "fresh". Resolves @spec; GLINT_ERROR_INVALID_ARGUMENT names the boards
 * (or the board's scenarios) to choose from. */
gboolean glint_sim_parse_spec(const char *spec, gchar **board, gchar **scenario, GError **error);
/* The shortest spec for @board in @scenario: its short name if it has one
 * ("fresh", "l476re"), else "BOARD:SCENARIO" */
gchar *glint_sim_short_spec(const char *board, const char *scenario);
/* The short names, NULL-terminated */
const char *const *glint_sim_scenario_names(void);
/* One line describing the scenario a spec names, or NULL if unknown */
const char *glint_sim_scenario_describe(const char *spec);

/* A new board as @spec names it (above); GLINT_ERROR_INVALID_ARGUMENT for
 * an unknown board or scenario, naming the choices. */
GlintSim *glint_sim_new(const char *spec, GError **error);
GlintSim *glint_sim_ref(GlintSim *sim);
void glint_sim_unref(GlintSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSim, glint_sim_unref)

/* The board ("nucleo-l476rg"), its scenario ("wrp") and the shortest spec
 * for both ("wrp"; "stm32l476re:rdp1") */
const char *glint_sim_get_board(GlintSim *sim);
const char *glint_sim_get_scenario(GlintSim *sim);
const char *glint_sim_get_spec(GlintSim *sim);

/* Board state (flash contents, option bytes, OTP, board, scenario, serial)
 * as a file, so a simulated board keeps its contents between runs like real
 * hardware.
 * Loading checks the whole file and fails with a message naming what is
 * wrong; the sim is unchanged on failure. Each call takes the file's lock
 * for its own duration (see GlintSimStateFile for a whole run). */
gboolean glint_sim_save_state(GlintSim *sim, const char *path, GError **error);
GlintSim *glint_sim_new_from_state(const char *path, GError **error);

/* What a file offered as a board state is, from its first bytes only, so a
 * caller can tell a file that must never be written over (not a state at
 * all) from a damaged state (which glint_sim_new_from_state() refuses). */
typedef enum {
	GLINT_SIM_STATE_FILE_ABSENT,	    /* no such file */
	GLINT_SIM_STATE_FILE_FOREIGN,	    /* not a board state: a firmware image, text, ... */
	GLINT_SIM_STATE_FILE_STATE,	    /* a state of this format (it may still be damaged);
					       also an empty file or one cut inside the magic */
	GLINT_SIM_STATE_FILE_OTHER_VERSION, /* a state in a format this build does not read */
} GlintSimStateFileKind;

/* FALSE with GLINT_ERROR_IO when @path exists but cannot be read. */
gboolean glint_sim_state_file_classify(const char *path, GlintSimStateFileKind *kind,
				       GError **error);

/* A state file held for a whole run (sim-state-file.c): two programs on one
 * board file take turns instead of both loading it and the second save
 * undoing the first. The path is followed through symbolic links to the
 * file they name; saving replaces that file atomically (write a temporary
 * file beside it, rename) and leaves the links, its mode and owner alone.
 * Only a regular file is used (a FIFO, a device or a directory is refused by
 * what it is), its size is checked before it is read, and a read-only file
 * is refused when it is opened rather than replaced at the end. */
typedef struct _GlintSimStateFile GlintSimStateFile;

/* How long the one-call functions above wait for another holder. */
#define GLINT_SIM_STATE_LOCK_WAIT_MS 10000u

/* Opens @path for a run that may change the board; a missing file is
 * created empty ("no board yet") and removed again at close if nothing was
 * saved into it. Nothing is read or locked yet. Errors: INVALID_ARGUMENT
 * (empty path, not a regular file, read-only file or directory),
 * BAD_IMAGE (too large to be a state), IO. */
GlintSimStateFile *glint_sim_state_file_open(const char *path, GError **error);
/* Takes the file's lock (flock, exclusive), waiting up to @wait_ms for
 * another process to let go (0: one try). GLINT_ERROR_BUSY "board in use"
 * names the file and, when the system can tell, the program holding it;
 * GLINT_ERROR_CANCELLED when @cancellable fires while waiting. */
gboolean glint_sim_state_file_lock(GlintSimStateFile *file, guint wait_ms,
				   GCancellable *cancellable, GError **error);
/* "glint-cli (pid 1234)" for the process holding the file's lock, when
 * /proc/locks tells; NULL otherwise. */
gchar *glint_sim_state_file_get_holder(GlintSimStateFile *file);
/* Whether the (locked) file holds a board; FALSE for a new, empty one. */
gboolean glint_sim_state_file_has_board(GlintSimStateFile *file);
/* The board the locked file holds (bounded, cancellable read). */
GlintSim *glint_sim_state_file_load(GlintSimStateFile *file, GCancellable *cancellable,
				    GError **error);
/* Replaces the locked file's contents with @sim's state, atomically; the
 * lock stays held. */
gboolean glint_sim_state_file_save(GlintSimStateFile *file, GlintSim *sim, GError **error);
/* The path as given to glint_sim_state_file_open(). */
const char *glint_sim_state_file_get_path(GlintSimStateFile *file);
/* Unlocks and closes (NULL is fine). */
void glint_sim_state_file_close(GlintSimStateFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSimStateFile, glint_sim_state_file_close)

/* Probe personality. Defaults: the ST-LINK the board carries (its user
 * manual: a V2-1 on a Nucleo-64, an STLINK-V3E on an MB1364 Nucleo-144), a
 * plain ST-LINK/V2 (0483:3748) for a board without one; firmware J37, a
 * fixed 24-hex-digit serial derived from the scenario. */
void glint_sim_set_probe_kind(GlintSim *sim, GlintProbeKind kind);
GlintProbeKind glint_sim_get_probe_kind(GlintSim *sim);
/* The fastest SWD clock the probe offers, in kHz (4000 on a V1/V2/V2-1,
 * 24000 on a V3). */
guint glint_sim_get_max_swd_khz(GlintSim *sim);
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
/* The trace (SWO) endpoint: up to @max of the bytes the last GET_TRACE_NB
 * announced, oldest first; 0 when none are due (a real probe NAKs). */
gsize glint_sim_trace_in(GlintSim *sim, guint8 *buf, gsize max);
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
	/* SWO (sim-trace.c): bytes sent on the pin, stored by the probe's
	 * receiver, lost because its buffer was full, unreadable to it (wrong
	 * rate, Manchester, formatter, pin not assigned), and stimulus stores
	 * the ITM lost because its FIFO was full */
	guint64 swo_line_bytes;
	guint64 swo_probe_bytes;
	guint64 swo_probe_dropped;
	guint64 swo_garbled;
	guint64 itm_overflows;
	/* Flash units (an H7 flash word) whose programming began while
	 * another bank of the chip was still programming one: the banks
	 * working at the same time (RM0433 4.3.2) */
	guint64 units_programmed_in_parallel;
} GlintSimStats;
void glint_sim_get_stats(GlintSim *sim, GlintSimStats *stats);

/* The bounds a benchmark measures tools against (docs/timing-model.md, "The
 * bounds"): what the board's own flash needs to take @image, from its
 * datasheet's typical times, whoever programs it. Each machine computes its
 * part from its timing header (core/sim/<machine>/<machine>-timing.h). */
typedef struct {
	/* the fastest erase of every flash unit the image touches (a mass
	 * erase when that is faster than the pages or sectors) */
	gint64 erase_ns;
	/* programming every unit that holds a byte other than the erased
	 * value, in the fastest unit the chip has (an L4's fast-programming
	 * row, an F4's word at the supply's parallelism, an H7's flash word) */
	gint64 program_ns;
	/* the limit: erase + programming as the chip can overlap them (an
	 * H7's two banks work in parallel), never less than either */
	gint64 limit_ns;
	/* the least that connecting and verifying add: the fewest probe
	 * commands for each (GLINT_SIM_CONNECT_MIN_COMMANDS,
	 * GLINT_SIM_VERIFY_MIN_COMMANDS) at the probe's round trip, and the
	 * CRC unit's time over the image at the chip's highest HCLK */
	gint64 connect_verify_ns;
	/* for comparison, not part of either bound: the image's bytes through
	 * the probe at its fastest SWD clock (USB data packets + SWD
	 * accesses), which a flash loader can hide behind programming only
	 * when programming takes longer */
	gint64 link_ns;
	guint32 max_hclk_hz; /* the chip's highest HCLK (its datasheet) */
	gchar *how;	     /* one line: the units, their number and times, the sources */
} GlintSimFlashLimit;

/* Connecting needs at least: read the probe's version, enter SWD, read
 * DBGMCU_IDCODE, read the flash size, halt the core. Verifying by CRC on
 * the target: start the code, read the result. */
#define GLINT_SIM_CONNECT_MIN_COMMANDS 5u
#define GLINT_SIM_VERIFY_MIN_COMMANDS 2u

void glint_sim_flash_limit_clear(GlintSimFlashLimit *limit);
/* Fills @limit for @image on @sim's board in its current configuration
 * (banks, supply voltage, probe) and the clock model in force
 * (glint_sim_set_clock_model()). GLINT_ERROR_INVALID_ARGUMENT when a byte
 * of @image lies outside main flash (the address named) or @image is
 * empty; GLINT_ERROR_UNSUPPORTED when the board's machine has no bound. */
gboolean glint_sim_get_flash_limit(GlintSim *sim, GlintImage *image, GlintSimFlashLimit *limit,
				   GError **error);
/* The bytes of main flash from its start a debugger may erase and program
 * on @sim's board in its current configuration: all of it, or up to
 * CPU2's secure part (STM32WB/WL: FLASH_SFR.SFSA, RM0434, RM0453); 0 when
 * the board has no main flash. An image for the bound ends there. */
guint32 glint_sim_get_writable_flash_size(GlintSim *sim);
/* The limit alone (erase + programming), or -1 with the error */
gint64 glint_sim_flash_limit_ns(GlintSim *sim, GlintImage *image, GError **error);

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

/* Station fixtures (sim-fixture.c) ---------------------------------------- */

/* A production fixture: one probe, and boards put into it one after another
 * as an operator does at a station, each board its own GlintSim with its
 * own unique ID. The socket starts empty (0 V); the host sees a board go in
 * or out only through the target voltage, as with hardware:
 *  - the first board goes in at the first voltage read; the next one once
 *    two reads have found the socket empty;
 *  - a board comes out once the host has released it (the probe left debug
 *    mode, DEBUG_EXIT) and then read the voltage twice with nothing else in
 *    between: a station waiting for the operator to take it away.
 * The probe (its serial, its mode) stays; only the board behind it changes.
 * A board in the "no-target" scenario sits badly in the socket: the probe
 * reads 0.4 V from it and SWD does not answer. */
typedef struct _GlintSimFixture GlintSimFixture;

/* The most boards one fixture feeds. */
#define GLINT_SIM_FIXTURE_MAX_BOARDS 256

/* Boards of @board (BOARD[:SCENARIO], as glint_sim_new() takes it): @boards
 * is "N" (N boards in @board's scenario) or a comma-separated list of its
 * scenarios, one per board ("fresh,rdp1,no-target"). With @state_path
 * (FILE), board k is kept in FILE-k (before the extension; see
 * glint_sim_fixture_state_path()): loaded from it when it holds a board,
 * saved into it when the board comes out and by glint_sim_fixture_save();
 * every file is locked from here on, another holder waited for up to
 * @wait_ms. Errors: INVALID_ARGUMENT (the spec, naming the choices), BUSY,
 * the state files' own. */
GlintSimFixture *glint_sim_fixture_new(const char *board, const char *boards,
				       const char *state_path, guint wait_ms, GError **error);
GlintSimFixture *glint_sim_fixture_ref(GlintSimFixture *fixture);
void glint_sim_fixture_unref(GlintSimFixture *fixture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintSimFixture, glint_sim_fixture_unref)

/* "b.state", 3 -> "b-3.state"; "b", 3 -> "b-3" */
gchar *glint_sim_fixture_state_path(const char *state_path, guint board);

/* The probe: its serial (the boards' unique IDs follow from it and their
 * number), generation, firmware, host idle time (glint_sim_set_*); set
 * before the host starts. The command hook is set on every board. */
void glint_sim_fixture_set_serial(GlintSimFixture *fixture, const char *serial);
void glint_sim_fixture_set_probe_kind(GlintSimFixture *fixture, GlintProbeKind kind);
void glint_sim_fixture_set_firmware_version(GlintSimFixture *fixture, guint jtag_version);
void glint_sim_fixture_set_count_host_idle(GlintSimFixture *fixture, gboolean on);
void glint_sim_fixture_set_command_hook(GlintSimFixture *fixture, GlintSimCommandHook hook,
					gpointer user_data);
GlintProbeInfo *glint_sim_fixture_get_probe_info(GlintSimFixture *fixture);

/* The probe as an in-process transport, and as a USB backend (bulk
 * endpoints as glint_sim_bulk_out/in, for glint-usbsim). */
GlintTransport *glint_sim_fixture_transport_new(GlintSimFixture *fixture);
void glint_sim_fixture_bulk_out(GlintSimFixture *fixture, const guint8 *data, gsize len);
gsize glint_sim_fixture_bulk_in(GlintSimFixture *fixture, guint8 *buf, gsize max);
gboolean glint_sim_fixture_is_unplugged(GlintSimFixture *fixture);

/* How many boards it holds, how many went in so far and how many came out,
 * and the one in the socket now (1-based; 0: empty). */
guint glint_sim_fixture_get_n_boards(GlintSimFixture *fixture);
guint glint_sim_fixture_get_inserted(GlintSimFixture *fixture);
guint glint_sim_fixture_get_removed(GlintSimFixture *fixture);
guint glint_sim_fixture_get_current(GlintSimFixture *fixture);
/* Board @board (1-based) as it is now, if it has been in the socket (a
 * new reference; loaded from its state file once saved there), else NULL. */
GlintSim *glint_sim_fixture_get_board(GlintSimFixture *fixture, guint board);
/* Modelled time: the clocks of the boards while they were in the socket,
 * and of the empty socket, one after another. */
gint64 glint_sim_fixture_get_time_ns(GlintSimFixture *fixture);
/* Saves every board that has been in the socket into its state file
 * (nothing without a state path). */
gboolean glint_sim_fixture_save(GlintSimFixture *fixture, GError **error);

G_END_DECLS
