/* rel-board.h: what the reliability tests share: a simulated board (probe +
 * session + captured log), deterministic random images, snapshots of what the
 * silicon holds, and the page-by-page consistency check that fault and cancel
 * tests assert after every interrupted job. */
#pragma once

#include <glib.h>
#include <pthread.h>

#include "glint-job.h"
#include "glint-sim.h"

G_BEGIN_DECLS

#define REL_FLASH_BASE 0x08000000u
#define REL_PAGE_SIZE 2048u
/* RM0351: 1 MiB of flash on the STM32L476RG ("fresh" scenario). */
#define REL_FLASH_SIZE (1024u * 1024u)
/* The flash window snapshots cover: the tests' images live in the first
 * 64 KiB. (glint_sim_peek goes byte by byte; a whole 1 MiB per fault point
 * would make the sweep slow under the sanitizers.) */
#define REL_CHECK_SIZE (64u * 1024u)
/* Option bytes as the silicon holds them (bank 1 and bank 2 areas). */
#define REL_OPT1_ADDR 0x1FFF7800u
#define REL_OPT2_ADDR 0x1FFFF800u
#define REL_OPT_AREA_SIZE 40u

typedef struct {
	GlintSim *sim;
	GlintTransport *link; /* the sim's transport, observed (chaos-transport.h) */
	GlintSession *session;
	GlintProgress *progress;
	pthread_mutex_t log_lock; /* pthread: visible to ThreadSanitizer */
	GPtrArray *log;		  /* gchar*: every job log line, in order */
	GCancellable *cancellable;
	/* Cancel when the sim has seen this many more commands (0: never). */
	guint64 cancel_at_command;
} RelBoard;

/* A board in @scenario with its session; connected unless @connect is FALSE.
 * Fails the current test on any error. */
RelBoard *rel_board_new(const char *scenario, gboolean connect);
/* A board around an existing sim (takes a reference). */
RelBoard *rel_board_new_for_sim(GlintSim *sim, gboolean connect);
void rel_board_free(RelBoard *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RelBoard, rel_board_free)

gboolean rel_board_connect(RelBoard *b, GError **error);
/* Replies with ST-LINK status @status the board's probe has sent so far
 * (word, register and memory-status commands): counts what a fault
 * injected with glint_sim_inject_target_status() delivered. */
guint rel_board_status_replies(RelBoard *b, guint8 status);
/* The first command answered @status, for messages. */
gchar *rel_board_first_status_command(RelBoard *b, guint8 status);
gboolean rel_board_log_contains(RelBoard *b, const char *needle);
/* The log as one string, for failure messages. */
gchar *rel_board_log_dump(RelBoard *b);

/* "Unplug and plug back in": on a NUCLEO the probe powers the board, so the
 * board's non-volatile state (flash, option bytes) goes through a power
 * cycle into a new sim with a new transport. */
GlintSim *rel_sim_replug(GlintSim *sim);

GBytes *rel_random_bytes(gsize len, guint32 seed);
GlintImage *rel_image_at(guint32 address, GBytes *bytes);

/* Everything a job could change: the flash window and both option areas.
 * rel_sim_flash_ops() counts the flash operations anywhere. */
GBytes *rel_snapshot(GlintSim *sim);

/* Page erases + mass erases + double words programmed so far, anywhere. */
guint64 rel_sim_flash_ops(GlintSim *sim);

typedef enum {
	REL_PAGE_OLD,	  /* as before the job */
	REL_PAGE_ERASED,  /* all 0xFF */
	REL_PAGE_NEW,	  /* as the image wants it (0xFF where the image has no byte) */
	REL_PAGE_PARTIAL, /* new double words up to some point, erased after it */
	REL_PAGE_OTHER,	  /* none of the above: corruption */
} RelPageState;

const char *rel_page_state_name(RelPageState state);
/* Classifies page @addr of @sim against @old (a rel_snapshot taken before
 * the job) and @image. */
RelPageState rel_page_state(GlintSim *sim, GBytes *old, GlintImage *image, guint32 addr);
/* Checks the flash window after an interrupted program job: pages outside
 * the image unchanged; pages inside old, erased, new or (at most one) partial.
 * Returns FALSE with @why set otherwise. */
gboolean rel_flash_consistent(GlintSim *sim, GBytes *old, GlintImage *image, gchar **why);

G_END_DECLS
