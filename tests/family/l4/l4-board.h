/* l4-board.h: a simulated board with a Glint session on it, for the job
 * tests of the L4-style family: connect, run jobs, watch the log, read what
 * the chip holds through the emulator's back door. */
#pragma once

#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

#include "../../common/test-glib-fatal.h"

typedef struct {
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
} Board;

static void
board_on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
}

static inline GlintProgress *
board_progress(Board *b)
{
	return glint_progress_new(NULL, board_on_log, b);
}

static inline gboolean
board_log_contains(Board *b, const char *needle)
{
	for (guint i = 0; i < b->log->len; i++) {
		if (strstr(g_ptr_array_index(b->log, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static inline Board *
board_new_unconnected(const char *spec)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	Board *b = g_new0(Board, 1);
	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "sim %s: %s", spec, error ? error->message : "?");
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	return b;
}

static inline gboolean
board_connect(Board *b, gboolean under_reset, GError **error)
{
	g_autoptr(GlintProgress) p = board_progress(b);
	GlintConnectOptions options = {.under_reset = under_reset};
	return glint_job_connect(b->session, &options, p, NULL, error);
}

static inline Board *
board_new(const char *spec)
{
	g_autoptr(GError) error = NULL;
	Board *b = board_new_unconnected(spec);
	ck_assert_msg(board_connect(b, FALSE, &error), "connect %s: %s", spec,
		      error ? error->message : "?");
	return b;
}

static inline void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_ptr_array_unref(b->log);
	g_free(b);
}

static inline const GlintTargetInfo *
board_info(Board *b)
{
	return glint_session_get_target_info(b->session);
}

static inline GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

static inline GlintImage *
image_at(guint32 address, GBytes *bytes)
{
	GlintImage *image = glint_image_new();
	ck_assert(glint_image_add(image, address, g_bytes_get_data(bytes, NULL),
				  g_bytes_get_size(bytes), "test", NULL));
	return image;
}

static inline gboolean
board_program(Board *b, GlintImage *image, const GlintProgramOptions *options,
	      GlintJobResult *result, GError **error)
{
	g_autoptr(GlintProgress) p = board_progress(b);
	GlintProgramOptions defaults = {.verify = TRUE};
	return glint_job_program(b->session, image, options != NULL ? options : &defaults, p, NULL,
				 result, error);
}

static inline gboolean
sim_flash_equals(GlintSim *sim, guint32 address, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(sim, address, buf, len));
	return memcmp(buf, g_bytes_get_data(bytes, NULL), len) == 0;
}

static inline gboolean
sim_flash_erased(GlintSim *sim, guint32 address, gsize len, guint8 erased)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != erased)
			return FALSE;
	}
	return TRUE;
}

static inline GlintFinding *
find_finding(GPtrArray *findings, const char *id)
{
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, id) == 0)
			return f;
	}
	return NULL;
}

static inline gboolean
board_write_options(Board *b, const char *edit, GlintConfirm confirm, GError **error)
{
	const GlintTargetInfo *info = board_info(b);
	GlintOptionBytes ob = info->options;
	g_autoptr(GlintProgress) p = board_progress(b);
	if (!glint_target_info_apply_option_edit(info, &ob, edit, error))
		return FALSE;
	return glint_job_write_options(b->session, &ob, confirm, p, NULL, NULL, error);
}

static inline int
l4_run_suite(Suite *s)
{
	SRunner *sr;
	int failed;

	test_glib_warnings_fatal();
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
