/* sim-clock.h: the emulator's virtual clock and the cost of everything it models.
 *
 * Device time advances only when the emulated probe or target does work: a
 * USB round trip, SWD accesses at the configured clock, flash operations
 * (BSY lasts the datasheet time) and resets. Every constant cites its source
 * or says "estimate". */
#pragma once

#include <glib.h>

typedef struct _GlintSim GlintSim;

/* USB full speed (V1/V2/V2-1): one command round trip, estimate from
 * measured ST-LINK/V2 command rates (~2000 commands/s). */
#define SIM_USB_FS_COMMAND_NS G_GINT64_CONSTANT(500000)
/* USB 2.0 full speed: 64-byte bulk packets, at most 19 per 1 ms frame. */
#define SIM_USB_FS_PACKET_SIZE 64
#define SIM_USB_FS_PACKETS_PER_FRAME 19
#define SIM_USB_FRAME_NS G_GINT64_CONSTANT(1000000)
/* USB high speed (V3): command round trip per 125 us microframe (estimate),
 * 512-byte packets at about 40 MB/s of sustained bulk throughput (estimate). */
#define SIM_USB_HS_COMMAND_NS G_GINT64_CONSTANT(125000)
#define SIM_USB_HS_BYTES_PER_S G_GINT64_CONSTANT(40000000)

/* SWD: a 32-bit MEM-AP access is about 46 SWCLK cycles (8 request, turnaround,
 * 3 ACK, 33 data+parity, idle); estimate from ADIv5 framing. 8-bit transfers
 * cost one access per byte. */
#define SIM_SWD_CYCLES_PER_ACCESS 46
/* ST-LINK/V2 default SWD clock (reference 2.8, divisor 1). */
#define SIM_SWD_DEFAULT_KHZ 1800

/* Option-byte load reset (OBL_LAUNCH) and power-on: estimate. */
#define SIM_OBL_RESET_NS G_GINT64_CONSTANT(2000000)
/* NRST pulse driven by the probe (stlink-org waits >= 100 us): estimate. */
#define SIM_NRST_PULSE_NS G_GINT64_CONSTANT(100000)

/* A gap between two USB transfers longer than this is the host idling on
 * purpose (sleeping between polls), not its turnaround, which the command
 * cost above already covers: estimate. Whether a gap is that long is judged
 * net of the machine's load (time the emulator or the tool waited for a
 * CPU); an idle gap then counts whole, see glint_sim_set_count_host_idle(). */
#define SIM_HOST_IDLE_MIN_NS G_GINT64_CONSTANT(2000000)
/* The same behind a high-speed probe (STLINK-V3), whose own round trip is
 * a quarter of a full-speed one: a tool's 1 ms sleeps between polls
 * (OpenOCD's alive_sleep(1) in its option and erase waits) are idling
 * there, and uncounted they would leave a seconds-long erase unfinished
 * after the tool's poll budget; estimate. */
#define SIM_HOST_IDLE_MIN_HS_NS G_GINT64_CONSTANT(900000)

/* The environment variable with factors on the estimates above (benchmark
 * only; glint_sim_set_clock_model() in glint-sim.h says the syntax). */
#define SIM_CLOCK_ENV "GLINT_SIM_CLOCK"

/* What the three below charge, scaled by the clock model in force: one
 * command round trip on @sim's probe, its data phases' packets, and @n
 * 32-bit SWD accesses at @khz. */
gint64 sim_clock_usb_round_trip_ns(GlintSim *sim);
gint64 sim_clock_usb_data_ns(GlintSim *sim, gsize data_bytes);
gint64 sim_clock_swd_ns(guint64 n, guint khz);
/* Charge one ST-LINK command round trip moving @data_bytes in data phases. */
void sim_clock_usb_command(GlintSim *sim, gsize data_bytes);
/* Charge @n 32-bit SWD accesses at the current SWD clock. */
void sim_clock_swd_accesses(GlintSim *sim, guint64 n);
/* With host idle counting on: charge the wall-clock time since the end of
 * the last transfer if the host idled (call when a transfer starts), and
 * note when one ends, so the emulator's own work never counts as idling. */
void sim_clock_host_activity(GlintSim *sim);
void sim_clock_host_done(GlintSim *sim);
/* Core cycles to charge for @cycles of executed instructions: @cycles
 * unless a benchmark scaled the cycles per instruction (cpu-cycles). */
guint64 sim_clock_cpu_cycles(guint64 cycles);
/* Advance the clock by @ns. */
void sim_clock_advance(GlintSim *sim, gint64 ns);
/* Advance the clock to @t if it is in the future (a stalled bus access). */
void sim_clock_advance_to(GlintSim *sim, gint64 t);

/* The flash model's operation in progress (BSY): it starts now and lasts
 * @ns; ended() is TRUE once, when the clock has reached its end; a bus
 * access to busy flash waits (the clock moves to its end). */
void sim_flash_op_begin(GlintSim *sim, gint64 ns);
gboolean sim_flash_op_ended(GlintSim *sim);
void sim_flash_op_wait(GlintSim *sim);
