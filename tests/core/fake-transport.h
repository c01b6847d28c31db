/* fake-transport.h: a scripted GlintTransport for protocol tests.
 *
 * Owns a script of expected exchanges: each step names the exact 16-byte
 * command (a shorter prefix means the rest must be zero), the exact data-out
 * bytes, and either the reply for an IN phase of exactly that length or a
 * transport error to return. Any difference (bytes, lengths, order, a command
 * after the script ran out) is recorded as the script's failure and answered
 * with GLINT_ERROR_FAILED, so the code under test fails and the test can say
 * precisely which step went wrong. */
#pragma once

#include <glib.h>

#include "glint-error.h"
#include "glint-transport.h"

G_BEGIN_DECLS

/* A byte list and its length as two arguments: FT_BYTES(0xF2, 0x36). */
#define FT_BYTES(...) ((const guint8[]){__VA_ARGS__}), sizeof((const guint8[]){__VA_ARGS__})

/* A V2 probe transport; unref with glint_transport_unref(). */
GlintTransport *fake_transport_new(void);

/* Expects @cmd (+ @out) and answers with @reply (@reply_len may be 0 for a
 * command without IN phase). */
void fake_transport_expect(GlintTransport *transport, const guint8 *cmd, gsize cmd_len,
			   const guint8 *out, gsize out_len, const guint8 *reply, gsize reply_len);
/* Expects @cmd (any data phases) and fails it with @code and @message. */
void fake_transport_expect_error(GlintTransport *transport, const guint8 *cmd, gsize cmd_len,
				 GlintErrorCode code, const char *message);

/* First mismatch, or NULL while everything matched the script. */
const char *fake_transport_get_failure(GlintTransport *transport);
/* Steps not yet consumed. */
guint fake_transport_get_remaining(GlintTransport *transport);
/* Commands received, matched or not. */
guint fake_transport_get_received(GlintTransport *transport);

G_END_DECLS
