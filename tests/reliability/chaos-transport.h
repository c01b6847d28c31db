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
} ChaosKind;

const char *chaos_kind_name(ChaosKind kind);

/* Takes a reference on @inner. */
GlintTransport *chaos_transport_new(GlintTransport *inner);
/* Spoil command number @index (0-based, counted from now) with @kind. */
void chaos_transport_arm(GlintTransport *self, ChaosKind kind, guint index, guint32 seed);
gboolean chaos_transport_fired(GlintTransport *self);
/* Commands forwarded or spoiled so far. */
guint chaos_transport_get_count(GlintTransport *self);

G_END_DECLS
