/* glint-watch.h: variables of the running target, read at a chosen rate
 * without halting it.
 *
 * A GlintWatch is a list of items, each a global or static variable from
 * the ELF's DWARF (by name, with members and elements: "state.where.x",
 * "buf[3]", "matrix[1][2]", "main::calls") or an address with a type
 * ("0x20000000:u32", "0x20000010:f32", "0x20000020:u8[16]"). Items close
 * to each other in memory are read in one probe transfer; the reads go
 * through the AHB-AP while the core runs (ARM ADIv5: the debugger's memory
 * accesses do not stop the core), so the firmware runs as it would without
 * the watch. Each sample carries its time (modelled device time when the
 * probe is the emulator, host time otherwise) and, per item, the value in
 * words and, for numbers, as a double for a plot.
 *
 * Sampling is a job (glint-job.h) per sample, so a GUI can interleave other
 * jobs between samples; glint_job_watch_run() samples at a rate until a
 * duration, a count or a cancellation ends it, waiting between samples with
 * glint_transport_idle(). */
#pragma once

#include <gio/gio.h>

#include "glint-debug-info.h"
#include "glint-job.h"

G_BEGIN_DECLS

/* One item's value and its bytes may be at most this large */
#define GLINT_WATCH_MAX_ITEM_SIZE 4096u
/* Items nearer than this share one transfer: a probe command costs about
 * as much as reading this many more bytes (reference 2.11: 0.5 ms a USB
 * round trip at full speed) */
#define GLINT_WATCH_COALESCE_GAP 256u

typedef struct _GlintWatch GlintWatch;

typedef struct {
	gchar *expression; /* as given */
	guint32 address;
	guint32 size;
	const GlintType *type;
	guint bit_size;	    /* a bit field: its width, else 0 */
	guint bit_position; /* its first bit from address */
	gboolean numeric;   /* a scalar a plot can show */
} GlintWatchItem;

/* @elf (may be NULL: only addresses with a type then) is referenced. */
GlintWatch *glint_watch_new(GlintDebugInfo *elf);
void glint_watch_free(GlintWatch *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintWatch, glint_watch_free)

/* Adds an item; GLINT_ERROR_INVALID_ARGUMENT names what is wrong in
 * @expression (an unknown name, member or type, an index past the end, a
 * name without an ELF) and how to say it. */
gboolean glint_watch_add(GlintWatch *self, const char *expression, GError **error);
guint glint_watch_get_n_items(GlintWatch *self);
const GlintWatchItem *glint_watch_get_item(GlintWatch *self, guint index);
/* Probe transfers one sample takes (items coalesced). */
guint glint_watch_get_n_transfers(GlintWatch *self);

typedef struct {
	guint index;	       /* 0, 1, ... in a run */
	gint64 device_time_ns; /* modelled device time, -1 on real hardware */
	gint64 host_time_us;   /* g_get_monotonic_time() */
	gdouble time_s;	       /* since the run began, on the device's clock if modelled */
	GPtrArray *text;       /* gchar*, one per item: the value in words */
	gdouble *numbers;      /* one per item: the value (NAN when not numeric) */
} GlintWatchSample;

void glint_watch_sample_clear(GlintWatchSample *sample);

/* One sample (the core is not halted); time_s is 0 (a run sets it). */
gboolean glint_job_watch_sample(GlintSession *session, GlintWatch *watch, GlintWatchSample *sample,
				GError **error);

typedef struct {
	gdouble rate_hz;    /* samples per second asked for (> 0) */
	gdouble duration_s; /* stop after this long (0: no limit) */
	guint max_samples;  /* stop after this many (0: no limit) */
	gboolean real_time; /* with a modelled device, also keep pace with the wall
			       clock (for a person watching a simulated board) */
} GlintWatchRunOptions;

typedef struct {
	guint samples;
	gdouble seconds;   /* from the first sample to the end, the run's clock */
	gdouble rate_hz;   /* samples / seconds reached */
	guint64 transfers; /* probe transfers made for the samples */
	gboolean modelled; /* the clock was the emulator's */
} GlintWatchStats;

/* Called for each sample, on the job's thread; return FALSE to stop. */
typedef gboolean (*GlintWatchFunc)(const GlintWatchSample *sample, gpointer user_data);

/* Samples at @options->rate_hz until the duration or count is reached,
 * @func returns FALSE or @cancellable fires (then TRUE: stopping is not a
 * failure). When a sample takes longer than the period the next follows at
 * once: @stats tells the rate reached. */
gboolean glint_job_watch_run(GlintSession *session, GlintWatch *watch,
			     const GlintWatchRunOptions *options, GlintWatchFunc func,
			     gpointer user_data, GlintWatchStats *stats, GCancellable *cancellable,
			     GError **error);

G_END_DECLS
