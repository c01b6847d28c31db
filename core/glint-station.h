/* glint-station.h: a production station: board after board, the same recipe.
 *
 * One station per probe, each on its own thread: it waits for a board (the
 * probe measures the target's supply, and it holds steady), runs the recipe
 * (connect, check the chip and diagnose it, erase, program and verify, the
 * serial number and unique data, option bytes, read protection, reset),
 * writes one record, releases the target (the probe leaves debug mode) and
 * waits until the board is removed (the supply gone, or the probe
 * unplugged), then starts again. A board that fails is recorded with the
 * step, the words the operator needs ("bad contact: target voltage 0.40 V",
 * "read protected (RDP level 1): remove from line") and the cause, and the
 * station goes on with the next one.
 *
 * Serial numbers come from the recipe's durable counters
 * (glint-station-counter.h): a number is on disk as taken before it is
 * written to a board, and only a board that passed is recorded with its
 * number, so no two passing boards ever share one, across restarts and
 * crashes too. Stopping (glint_station_stop) lets every board in progress
 * finish first; cancelling the GCancellable stops the jobs at their next
 * safe point (the board is recorded as stopped by the operator). */
#pragma once

#include <gio/gio.h>

#include "glint-job.h"
#include "glint-recipe.h"
#include "glint-station-record.h"
#include "glint-transport.h"

G_BEGIN_DECLS

/* Below this the socket is empty; from here to GLINT_STATION_POWERED_VOLTS
 * a board is in it but barely touches (bad contact, a dead supply). */
#define GLINT_STATION_PRESENT_VOLTS 0.3
/* A board at or above this is powered (glint-target.c refuses below). */
#define GLINT_STATION_POWERED_VOLTS 1.0
/* Readings in a row that must agree before a board counts as in, or out:
 * contacts bounce while a board is seated or pulled. A barely-touching
 * board must hold still longer before it is tried. */
#define GLINT_STATION_SETTLE_READS 2
#define GLINT_STATION_SETTLE_READS_LOW 4
/* How often the probe's voltage is read while waiting (a real probe), and
 * for a simulated one, whose fixture answers at once. */
#define GLINT_STATION_POLL_MS 200
#define GLINT_STATION_POLL_MS_SIMULATED 2

typedef enum {
	GLINT_STATION_STEP_WAIT,    /* no board yet */
	GLINT_STATION_STEP_CONNECT, /* connect and identify */
	GLINT_STATION_STEP_CHECK,   /* the chip the recipe wants; diagnosis */
	GLINT_STATION_STEP_ERASE,
	GLINT_STATION_STEP_PROGRAM, /* program and verify */
	GLINT_STATION_STEP_SERIAL,  /* serial number and unique data, verified */
	GLINT_STATION_STEP_OPTIONS,
	GLINT_STATION_STEP_PROTECT, /* read protection */
	GLINT_STATION_STEP_RESET,
	GLINT_STATION_STEP_RECORD,
	GLINT_STATION_STEP_REMOVE, /* done: the operator removes the board */
} GlintStationStep;

/* "connect", "program", ... (records, logs) */
const char *glint_station_step_to_string(GlintStationStep step);
/* "Connecting", "Programming", ... (for people) */
const char *glint_station_step_title(GlintStationStep step);

typedef enum {
	GLINT_STATION_EVENT_WAITING,	  /* no board: @volts, @message for the operator */
	GLINT_STATION_EVENT_BOARD,	  /* a board is in and its job starts (@board) */
	GLINT_STATION_EVENT_STEP,	  /* the job is at @step */
	GLINT_STATION_EVENT_PROGRESS,	  /* @fraction (0..1) of the board's job is done */
	GLINT_STATION_EVENT_LOG,	  /* a job's log line: @level, @message */
	GLINT_STATION_EVENT_SERIAL_TAKEN, /* @serial is taken, on disk, not yet written */
	GLINT_STATION_EVENT_DONE,	  /* the board's @record is written */
	GLINT_STATION_EVENT_REMOVE,	  /* waiting for the board to be removed */
	GLINT_STATION_EVENT_PROBE_LOST,	  /* the probe stopped answering: @message */
	GLINT_STATION_EVENT_STOPPED,	  /* this probe's station has ended: @message why */
} GlintStationEventKind;

typedef struct {
	GlintStationEventKind kind;
	guint probe;		  /* index, in the order the probes were added */
	const char *probe_serial; /* the probe's serial number */
	guint board;		  /* the station's board count (1: its first board) */
	GlintStationStep step;
	gdouble fraction;
	gdouble volts;
	GLogLevelFlags level;
	const char *message;
	guint64 serial;
	const GlintStationRecord *record;
} GlintStationEvent;

/* Called on the probes' threads, several at once when there are several
 * probes: a GUI hands the event to its main loop (copying what it keeps). */
typedef void (*GlintStationEventFunc)(const GlintStationEvent *event, gpointer user_data);

/* Opens the probe with @serial again after it was unplugged; NULL (with
 * @error) while it is still away. */
typedef GlintTransport *(*GlintStationReopenFunc)(const char *serial, gpointer user_data,
						  GError **error);

typedef struct {
	guint boards;	      /* stop once this many boards are done (0: until stopped) */
	GlintConfirm confirm; /* what the operator confirmed (--confirm, ...) */
	GlintConnectOptions connect;
	guint poll_ms; /* 0: GLINT_STATION_POLL_MS, or ..._SIMULATED for a simulated probe */
} GlintStationOptions;

typedef struct _GlintStation GlintStation;

/* A station for @recipe. Refuses (GLINT_ERROR_NEEDS_CONFIRMATION, naming
 * why) a recipe that needs a confirmation @options lacks, and a folder
 * where the counters cannot be kept. */
GlintStation *glint_station_new(GlintRecipe *recipe, const GlintStationOptions *options,
				GError **error);
void glint_station_free(GlintStation *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintStation, glint_station_free)

/* Before running: the probes (a reference is taken), the record files
 * (ownership taken), who hears the events, how a lost probe comes back. */
void glint_station_add_probe(GlintStation *self, GlintTransport *transport);
void glint_station_add_record_file(GlintStation *self, GlintRecordFile *file);
void glint_station_set_event_func(GlintStation *self, GlintStationEventFunc func,
				  gpointer user_data);
void glint_station_set_reopen_func(GlintStation *self, GlintStationReopenFunc func,
				   gpointer user_data);

/* Runs a station per probe until glint_station_stop(), the board count,
 * @cancellable, or a fault that makes going on unsafe (a record or the
 * counters cannot be written: FALSE with the error). Blocks: call it from
 * a worker thread. FALSE with GLINT_ERROR_CANCELLED when @cancellable
 * stopped it, GLINT_ERROR_DISCONNECTED when every probe was lost. */
gboolean glint_station_run(GlintStation *self, GCancellable *cancellable, GError **error);
/* Stops once the boards in progress are done (any thread). */
void glint_station_stop(GlintStation *self);
gboolean glint_station_is_stopping(GlintStation *self);

/* Boards done so far, passed and failed (any thread). */
void glint_station_get_counts(GlintStation *self, guint *done, guint *passed, guint *failed);
/* Where the serial counter lives (RECIPE.counters) and the number the next
 * passing board would get (none when the recipe has no serial). */
const char *glint_station_get_counter_path(GlintStation *self);
gboolean glint_station_peek_serial(GlintStation *self, guint64 *next, GError **error);

G_END_DECLS
