/* chaos-transport.h: a GlintTransport that wraps another one and spoils one
 * chosen command the way a flaky USB link or a confused probe would: a
 * transfer timeout before or after the probe saw the command, a short reply,
 * a stalled pipe, or a reply full of garbage. Nothing above the transport can
 * tell it from a real one. */
#pragma once

#include "glint-transport.h"

G_BEGIN_DECLS

typedef enum {
	CHAOS_NONE,
	CHAOS_TIMEOUT_BEFORE, /* the command never reached the probe */
	CHAOS_TIMEOUT_AFTER,  /* the probe ran it; its reply was lost */
	CHAOS_SHORT_REPLY,    /* fewer bytes came back than expected */
	CHAOS_STALL,	      /* the bulk pipe stalled */
	CHAOS_GARBAGE,	      /* the reply arrived, full of random bytes */
	CHAOS_N_KINDS,
	/* Not one command: from the armed one on, every FLASH_SR read says
	 * BSY, as a controller stuck busy (or a probe replaying stale data)
	 * would. Kept out of the sweeps: only direct programming polls it. */
	CHAOS_STUCK_BUSY,
	/* Not one command either: see chaos_transport_arm_all_ones(). */
	CHAOS_ALL_ONES,
} ChaosKind;

const char *chaos_kind_name(ChaosKind kind);

/* Takes a reference on @inner. */
GlintTransport *chaos_transport_new(GlintTransport *inner);
/* Spoil command number @index (0-based, counted from now) with @kind. */
void chaos_transport_arm(GlintTransport *self, ChaosKind kind, guint index, guint32 seed);
/* The armed command was reached (the fault was applied to it). */
gboolean chaos_transport_fired(GlintTransport *self);
/* ... and it changed what the host got: FALSE for a short reply or garbage
 * armed on a command that has no reply. */
gboolean chaos_transport_spoiled(GlintTransport *self);
/* "F2 36 10 20 02 40": the first bytes of the command the fault hit, for
 * messages ("" before it fired). */
gchar *chaos_transport_describe_fired(GlintTransport *self);
/* The next single-word read (READDEBUGREG) of @address comes back with an
 * OK status and all 32 bits set, as a reply garbled after the status byte
 * could; reached and applied when chaos_transport_fired() says so. */
void chaos_transport_arm_all_ones(GlintTransport *self, guint32 address);

/* Replies that came back with status byte @status, over the commands whose
 * reply starts with one (word and core register access, GETLASTRWSTATUS
 * after a memory transfer, SWD entry, IDCODE, reset, NRST): what a fault
 * injected in the emulator (glint_sim_inject_target_status) delivered. The
 * wrapper counts whatever it forwards, armed or not. */
guint chaos_transport_count_status(GlintTransport *self, guint8 status);
/* "F2 36 10 20 02 40": the first command answered @status ("" if none). */
gchar *chaos_transport_describe_first_status(GlintTransport *self, guint8 status);
/* Commands forwarded or spoiled so far. */
guint chaos_transport_get_count(GlintTransport *self);

G_END_DECLS
