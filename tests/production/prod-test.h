/* prod-test.h: what the production tests share: recipes and images written
 * into a test directory, stations on simulated fixtures run in-process with
 * every event kept, and the records read back. */
#pragma once

#include <glib.h>

#include "glint-recipe.h"
#include "glint-sim.h"
#include "glint-station.h"

G_BEGIN_DECLS

#define PROD_FLASH_BASE 0x08000000u
#define PROD_IMAGE_LEN (16u * 1024u + 24u)
/* Where the tests' recipes put the serial number and the unique data: the
 * last page of bank 2 on the 1 MiB STM32L476RG, far from the image. */
#define PROD_SERIAL_ADDR 0x080FF800u
#define PROD_UNIQUE_ADDR 0x080FF810u
/* RM0351 3.4.1: the option bytes of bank 1 as the silicon holds them; the
 * RDP byte is the first. */
#define PROD_OPTR_ADDR 0x1FFF7800u

/* A raw image of @len bytes (a pattern seeded by @seed) at @dir/@name;
 * returns its path, and its CRC-32 in @crc. */
gchar *prod_write_image(const char *dir, const char *name, gsize len, guint seed, guint32 *crc);
/* The image bytes prod_write_image() wrote. */
GBytes *prod_image_bytes(gsize len, guint seed);
/* A recipe at @dir/@name: [recipe] for @chip, [image] fw.bin (written too),
 * a u32 serial from 1000 at PROD_SERIAL_ADDR, then @extra (more groups,
 * may be NULL). Returns its path. */
gchar *prod_write_recipe(const char *dir, const char *name, const char *chip, const char *extra);
/* The same with the whole text given (%CRC% stands for fw.bin's CRC-32). */
gchar *prod_write_recipe_text(const char *dir, const char *name, const char *text);

/* One event as a station reported it, copied. */
typedef struct {
	GlintStationEventKind kind;
	guint probe;
	guint board;
	GlintStationStep step;
	guint64 serial;
	gchar *message;
	GlintStationRecord record; /* DONE */
} ProdEvent;

typedef struct _ProdRun ProdRun;
/* Called on the probe's thread for every event, after it is kept. */
typedef void (*ProdEventHook)(ProdRun *run, const ProdEvent *event);

struct _ProdRun {
	GlintStation *station;
	GCancellable *cancellable;
	GMutex lock;
	GPtrArray *events; /* ProdEvent* */
	ProdEventHook hook;
	gpointer hook_data;
	GError *error; /* glint_station_run()'s */
	gboolean ok;
};

/* A station for @recipe_path with @options (NULL: defaults), a probe per
 * fixture, and records to @record_path (may be NULL). Fails the test when
 * it cannot be set up. */
ProdRun *prod_run_new(const char *recipe_path, const GlintStationOptions *options,
		      GlintSimFixture *const *fixtures, guint n_fixtures, const char *record_path);
/* Runs it to the end (blocks). */
gboolean prod_run(ProdRun *run);
void prod_run_free(ProdRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProdRun, prod_run_free)

/* The DONE records, in the order they were written (ProdEvent*). */
GPtrArray *prod_run_records(ProdRun *run);
guint prod_run_count(ProdRun *run, GlintStationEventKind kind);

/* A fixture of @boards (as glint_sim_fixture_new takes it) of nucleo-l476rg
 * with probe serial @serial (NULL: the default). */
GlintSimFixture *prod_fixture(const char *boards, const char *serial);
/* The u32 at @addr of fixture board @k (as the silicon holds it). */
guint32 prod_board_u32(GlintSimFixture *fixture, guint k, guint32 addr);
/* Whether board @k holds the test image (seed 1) at the flash base. */
gboolean prod_board_has_image(GlintSimFixture *fixture, guint k);

/* A CSV file as rows of fields (GStrv), the header first. */
GPtrArray *prod_read_csv(const char *path);
/* The counters' next serial ("serial=" in RECIPE.counters; 0 if none). */
guint64 prod_counter_next(const char *recipe_path, const char *name);

G_END_DECLS
