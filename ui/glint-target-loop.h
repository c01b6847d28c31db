/* glint-target-loop.h: the Target tab's worker. One thread owns the session
 * while the tab is live and does everything the tab asks of the target, as
 * short core jobs one after another: the core's state (DHCSR, and ICSR's
 * VECTACTIVE to notice a fault handler without halting), halt, run, step,
 * reset, registers, the fault report, live-watch samples at their rate, SWO
 * and RTT polls and RTT input. Between them it lets time pass: on the
 * emulator it advances the modelled clock at the pace of the wall clock (the
 * simulated firmware runs only while a host lets time pass), on hardware it
 * waits. Commands from the main thread are queued and wake it at once.
 *
 * What the target says comes back as signals on the main context of the
 * thread that called glint_target_loop_start(), in the order it happened,
 * and "stopped" comes last. Owns no GTK. */
#pragma once

#include <gio/gio.h>

#include "glint-core.h"
#include "glint-debug-info.h"
#include "glint-fault.h"
#include "glint-job.h"
#include "glint-rtt.h"
#include "glint-swo.h"
#include "glint-watch.h"

G_BEGIN_DECLS

/* The loop's pace: one round of polls every this many milliseconds */
#define GLINT_TARGET_LOOP_TICK_MS 20u
/* How often the core's state is read while nothing else asks for it */
#define GLINT_TARGET_LOOP_STATUS_MS 100u
/* The fastest live-watch rate: one sample a tick */
#define GLINT_TARGET_LOOP_MAX_WATCH_HZ (1000.0 / GLINT_TARGET_LOOP_TICK_MS)

#define GLINT_TYPE_TARGET_LOOP (glint_target_loop_get_type())
G_DECLARE_FINAL_TYPE(GlintTargetLoop, glint_target_loop, GLINT, TARGET_LOOP, GObject)

/* What "core-changed" carries: the state, and the registers when the core
 * is halted (regs.valid is 0 otherwise). */
typedef struct {
	GlintCoreStatus status;
	GlintCoreInfo info;
	gboolean vectactive_known; /* ICSR could be read */
	guint vectactive;	   /* the exception being handled (0: thread mode) */
	GlintCoreRegs regs;
} GlintTargetCore;

/* What "swo-started" and "rtt-started" say */
typedef struct {
	GlintSwoSetup swo;
	guint32 rtt_address;
	guint n_up;	   /* RTT up channels in use */
	gchar **up_names;  /* their names ("Terminal"), NULL-terminated, "" when unnamed */
	gboolean rtt_down; /* down channel 0 exists */
} GlintTargetTrace;

/* Commands that fail say which in "command-failed" */
typedef enum {
	GLINT_TARGET_CMD_HALT,
	GLINT_TARGET_CMD_RUN,
	GLINT_TARGET_CMD_STEP,
	GLINT_TARGET_CMD_RESET,
	GLINT_TARGET_CMD_RESET_HALT,
	GLINT_TARGET_CMD_WRITE_REGISTER,
	GLINT_TARGET_CMD_FAULT_REPORT,
	GLINT_TARGET_CMD_SET_ELF,
	GLINT_TARGET_CMD_SET_WATCH,
	GLINT_TARGET_CMD_SWO_START,
	GLINT_TARGET_CMD_SWO_STOP,
	GLINT_TARGET_CMD_RTT_START,
	GLINT_TARGET_CMD_RTT_STOP,
	GLINT_TARGET_CMD_RTT_SEND,
} GlintTargetCommand;

/* "Halt", "Step", "Write register", "Start RTT", ... (translated) */
const char *glint_target_command_title(GlintTargetCommand command);

/* Takes a reference on @session (connected). */
GlintTargetLoop *glint_target_loop_new(GlintSession *session);
GlintSession *glint_target_loop_get_session(GlintTargetLoop *self);
/* Starts the thread; signals go to the caller's thread-default context. */
void glint_target_loop_start(GlintTargetLoop *self);
/* Asks the thread to end (SWO stopped, RTT let go, a step cut short):
 * "stopped" follows once it has let go of the session. */
void glint_target_loop_stop(GlintTargetLoop *self);
/* From start until "stopped" has been emitted. */
gboolean glint_target_loop_is_running(GlintTargetLoop *self);
/* Loops whose thread has not ended yet, in the whole process (tests wait
 * for 0 before they tear the window down). */
guint glint_target_loop_count_alive(void);

/* Commands, done on the thread in the order given. */
void glint_target_loop_halt(GlintTargetLoop *self);
void glint_target_loop_run(GlintTargetLoop *self);
void glint_target_loop_step(GlintTargetLoop *self, guint count);
void glint_target_loop_reset(GlintTargetLoop *self, gboolean halt);
void glint_target_loop_write_register(GlintTargetLoop *self, GlintCoreReg reg, guint32 value);
/* The fault report again, whatever the core's state */
void glint_target_loop_refresh_fault(GlintTargetLoop *self);
/* The ELF for the fault report (NULL: none); referenced. */
void glint_target_loop_set_elf(GlintTargetLoop *self, GlintDebugInfo *elf);
/* Samples @watch (taken; NULL: no watch) at @rate_hz, at most
 * GLINT_TARGET_LOOP_MAX_WATCH_HZ; its samples carry @generation, so that
 * one taken before a newer watch arrived is told apart. */
void glint_target_loop_set_watch(GlintTargetLoop *self, GlintWatch *watch, gdouble rate_hz,
				 guint generation);
void glint_target_loop_swo_start(GlintTargetLoop *self, const GlintSwoConfig *config);
void glint_target_loop_swo_stop(GlintTargetLoop *self);
/* Attaches to the control block (at @options' address, else found by a
 * scan), trying again for a while when the firmware has not set it up yet
 * (after a reset). */
void glint_target_loop_rtt_start(GlintTargetLoop *self, const GlintRttOptions *options);
void glint_target_loop_rtt_stop(GlintTargetLoop *self);
/* Queues @len bytes for down channel 0; they go as the target makes room. */
void glint_target_loop_rtt_send(GlintTargetLoop *self, const guint8 *data, gsize len);

/* Signals (main context):
 *  "core-changed"   (const GlintTargetCore *): the state changed, or after a
 *                   command that changes it or the registers
 *  "fault"          (const GlintFaultReport *, NULL when the core left the
 *                   fault handler or was reset)
 *  "watch-sample"   (const GlintWatchSample *, guint generation): time_s from
 *                   the first sample of this loop, on the device's clock when
 *                   it is modelled
 *  "watch-failed"   (const GError *): sampling stopped
 *  "swo-started"    (const GlintTargetTrace *)
 *  "swo-packets"    (const GArray *of GlintItmPacket, source packets in order,
 *                   guint overflows since the last)
 *  "swo-stopped"    (const GError *, NULL when asked to)
 *  "rtt-started"    (const GlintTargetTrace *)
 *  "rtt-data"       (guint channel, GBytes *)
 *  "rtt-pending"    (guint64 bytes of input the target has not taken yet)
 *  "rtt-stopped"    (const GError *, NULL when asked to)
 *  "command-failed" (GlintTargetCommand, const GError *)
 *  "log"            (guint GLogLevelFlags, const char *): what the core jobs say
 *  "stopped"        (const GError *, NULL when asked to stop): the session
 *                   is free again; an error here (the probe is gone) ended it */

G_END_DECLS
