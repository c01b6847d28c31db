/* glint-station-counter.h: a station's durable counters, kept beside its
 * recipe (RECIPE.counters): the next serial number and the next unused row
 * of the unique-data CSV.
 *
 * Taking a value writes the next one to disk first (a temporary file,
 * fsync, rename over the old file, fsync of the folder) and only then hands
 * the value out: after a crash, a kill or a power cut a value may be lost
 * (never given to a board that passed) but is never given twice. Several
 * threads and processes may take values from one file at once: each take
 * holds an exclusive lock on RECIPE.counters.lock, which is never renamed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GLINT_STATION_COUNTER_SERIAL "serial"
#define GLINT_STATION_COUNTER_UNIQUE_ROW "unique-row"

typedef struct _GlintStationCounter GlintStationCounter;

/* The counters of the recipe at @recipe_path (nothing is created yet);
 * GLINT_ERROR_IO when the folder cannot hold them. */
GlintStationCounter *glint_station_counter_open(const char *recipe_path, GError **error);
void glint_station_counter_free(GlintStationCounter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintStationCounter, glint_station_counter_free)

/* "RECIPE.counters" */
const char *glint_station_counter_get_path(GlintStationCounter *self);

/* Takes the next value of counter @name: the stored one, or @first when
 * there is none yet or it is below @first; stores value + @step, durably,
 * before returning. GLINT_ERROR_IO (nothing handed out) when it cannot be
 * stored; GLINT_ERROR_BAD_IMAGE when the file is damaged (it names the
 * file and the line, and is left as it is for a person to repair). */
gboolean glint_station_counter_take(GlintStationCounter *self, const char *name, guint64 first,
				    guint64 step, guint64 *value, GError **error);
/* The value the next take of @name would give, without taking it. */
gboolean glint_station_counter_peek(GlintStationCounter *self, const char *name, guint64 first,
				    guint64 *value, GError **error);

G_END_DECLS
