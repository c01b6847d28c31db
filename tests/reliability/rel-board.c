/* rel-board.c: simulated boards, images and consistency checks for the
 * reliability tests. */
#define G_LOG_DOMAIN "rel-board"

#include "rel-board.h"

#include "chaos-transport.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	RelBoard *b = user_data;
	pthread_mutex_lock(&b->log_lock);
	g_ptr_array_add(b->log, g_strdup(message));
	pthread_mutex_unlock(&b->log_lock);
}

/* Cancels at a chosen command: the hook runs on the job's thread just
 * before the probe processes the command, so the job sees the cancellation
 * at its next safe point, wherever that is. */
static gboolean
on_command(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	RelBoard *b = user_data;
	if (b->cancel_at_command != 0 && glint_sim_get_command_count(sim) >= b->cancel_at_command)
		g_cancellable_cancel(b->cancellable);
	return TRUE;
}

gboolean
rel_board_connect(RelBoard *b, GError **error)
{
	return glint_job_connect(b->session, NULL, b->progress, NULL, error);
}

RelBoard *
rel_board_new_for_sim(GlintSim *sim, gboolean connect)
{
	g_autoptr(GlintTransport) transport = glint_sim_transport_new(sim);
	g_autoptr(GError) error = NULL;
	RelBoard *b = g_new0(RelBoard, 1);

	b->sim = glint_sim_ref(sim);
	/* Not armed: it only counts what the probe answers. */
	b->link = chaos_transport_new(transport);
	b->session = glint_session_new(b->link);
	pthread_mutex_init(&b->log_lock, NULL);
	b->log = g_ptr_array_new_with_free_func(g_free);
	b->progress = glint_progress_new(NULL, on_log, b);
	b->cancellable = g_cancellable_new();
	glint_sim_set_command_hook(sim, on_command, b);
	if (connect)
		ck_assert_msg(rel_board_connect(b, &error), "connect: %s", error->message);
	return b;
}

RelBoard *
rel_board_new(const char *scenario, gboolean connect)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new(scenario, &error);
	ck_assert_msg(sim != NULL, "sim %s: %s", scenario, error ? error->message : "?");
	return rel_board_new_for_sim(sim, connect);
}

void
rel_board_free(RelBoard *b)
{
	if (b == NULL)
		return;
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	glint_session_unref(b->session);
	glint_transport_unref(b->link);
	glint_sim_unref(b->sim);
	glint_progress_free(b->progress);
	g_ptr_array_unref(b->log);
	pthread_mutex_destroy(&b->log_lock);
	g_object_unref(b->cancellable);
	g_free(b);
}

guint
rel_board_status_replies(RelBoard *b, guint8 status)
{
	return chaos_transport_count_status(b->link, status);
}

gchar *
rel_board_first_status_command(RelBoard *b, guint8 status)
{
	return chaos_transport_describe_first_status(b->link, status);
}

gboolean
rel_board_log_contains(RelBoard *b, const char *needle)
{
	gboolean found = FALSE;
	pthread_mutex_lock(&b->log_lock);
	for (guint i = 0; i < b->log->len && !found; i++)
		found = strstr(g_ptr_array_index(b->log, i), needle) != NULL;
	pthread_mutex_unlock(&b->log_lock);
	return found;
}

gchar *
rel_board_log_dump(RelBoard *b)
{
	GString *s = g_string_new(NULL);
	pthread_mutex_lock(&b->log_lock);
	for (guint i = 0; i < b->log->len; i++)
		g_string_append_printf(s, " | log: %s", (const char *)g_ptr_array_index(b->log, i));
	pthread_mutex_unlock(&b->log_lock);
	return g_string_free(s, FALSE);
}

GlintSim *
rel_sim_replug(GlintSim *sim)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-rel-XXXXXX", &error);
	g_autofree gchar *path = NULL;
	GlintSim *back;

	ck_assert_msg(dir != NULL, "tmp dir: %s", error ? error->message : "?");
	path = g_build_filename(dir, "board.state", NULL);
	ck_assert_msg(glint_sim_save_state(sim, path, &error), "save: %s", error->message);
	back = glint_sim_new_from_state(path, &error);
	ck_assert_msg(back != NULL, "reload: %s", error ? error->message : "?");
	g_unlink(path);
	g_rmdir(dir);
	return back;
}

GBytes *
rel_random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

GlintImage *
rel_image_at(guint32 address, GBytes *bytes)
{
	GlintImage *image = glint_image_new();
	ck_assert(glint_image_add(image, address, g_bytes_get_data(bytes, NULL),
				  g_bytes_get_size(bytes), "rel-test", NULL));
	return image;
}

GBytes *
rel_snapshot(GlintSim *sim)
{
	gsize len = REL_CHECK_SIZE + 2 * REL_OPT_AREA_SIZE;
	guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(sim, REL_FLASH_BASE, buf, REL_CHECK_SIZE));
	ck_assert(glint_sim_peek(sim, REL_OPT1_ADDR, buf + REL_CHECK_SIZE, REL_OPT_AREA_SIZE));
	ck_assert(glint_sim_peek(sim, REL_OPT2_ADDR, buf + REL_CHECK_SIZE + REL_OPT_AREA_SIZE,
				 REL_OPT_AREA_SIZE));
	return g_bytes_new_take(buf, len);
}

guint64
rel_sim_flash_ops(GlintSim *sim)
{
	GlintSimStats stats;
	glint_sim_get_stats(sim, &stats);
	return stats.pages_erased + stats.mass_erases + stats.double_words_programmed;
}

const char *
rel_page_state_name(RelPageState state)
{
	static const char *const names[] = {"old", "erased", "new", "partial", "corrupt"};
	return names[state];
}

static gboolean
all_erased(const guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (p[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

/* Whether @now is a prefix of @want (double word by double word) followed
 * by erased flash: programming goes up the page that way. */
static gboolean
is_partial(const guint8 *now, const guint8 *want)
{
	gsize split;
	for (split = 0; split < REL_PAGE_SIZE; split += 8) {
		if (memcmp(now + split, want + split, 8) != 0)
			break;
	}
	return all_erased(now + split, REL_PAGE_SIZE - split);
}

RelPageState
rel_page_state(GlintSim *sim, GBytes *old, GlintImage *image, guint32 addr)
{
	guint8 now[REL_PAGE_SIZE], plain[REL_PAGE_SIZE], merged[REL_PAGE_SIZE];
	const guint8 *before =
	    (const guint8 *)g_bytes_get_data(old, NULL) + (addr - REL_FLASH_BASE);

	ck_assert(glint_sim_peek(sim, addr, now, sizeof(now)));
	/* A page the image covers in part is new either with the old bytes
	 * around the image kept (the default) or with them erased (a plain
	 * erase, or a re-run after a cut that had erased the page already). */
	memset(plain, 0xFF, sizeof(plain));
	glint_image_fill(image, addr, plain, sizeof(plain));
	memcpy(merged, before, sizeof(merged));
	glint_image_fill(image, addr, merged, sizeof(merged));
	if (memcmp(now, plain, sizeof(now)) == 0 || memcmp(now, merged, sizeof(now)) == 0)
		return REL_PAGE_NEW;
	if (all_erased(now, sizeof(now)))
		return REL_PAGE_ERASED;
	if (memcmp(now, before, sizeof(now)) == 0)
		return REL_PAGE_OLD;
	if (is_partial(now, plain) || is_partial(now, merged))
		return REL_PAGE_PARTIAL;
	return REL_PAGE_OTHER;
}

static gboolean
page_in_image(GlintImage *image, guint32 addr)
{
	guint8 probe[REL_PAGE_SIZE];
	return glint_image_fill(image, addr, probe, sizeof(probe)) > 0;
}

gboolean
rel_flash_consistent(GlintSim *sim, GBytes *old, GlintImage *image, gchar **why)
{
	g_autoptr(GBytes) snap = rel_snapshot(sim);
	const guint8 *now = g_bytes_get_data(snap, NULL);
	const guint8 *before = g_bytes_get_data(old, NULL);
	guint partial = 0;

	for (guint32 off = 0; off < REL_CHECK_SIZE; off += REL_PAGE_SIZE) {
		guint32 addr = REL_FLASH_BASE + off;
		RelPageState state;
		if (!page_in_image(image, addr)) {
			if (memcmp(now + off, before + off, REL_PAGE_SIZE) == 0)
				continue;
			*why = g_strdup_printf("page at 0x%08X is outside the image but changed",
					       addr);
			return FALSE;
		}
		state = rel_page_state(sim, old, image, addr);
		if (state == REL_PAGE_PARTIAL)
			partial++;
		if (state == REL_PAGE_OTHER || partial > 1) {
			*why = g_strdup_printf("page at 0x%08X is %s%s", addr,
					       rel_page_state_name(state),
					       partial > 1 ? " (a second partial page)" : "");
			return FALSE;
		}
	}
	/* A program job never writes the option bytes. */
	if (memcmp(now + REL_CHECK_SIZE, before + REL_CHECK_SIZE, 2 * REL_OPT_AREA_SIZE) != 0) {
		*why = g_strdup("the option bytes changed");
		return FALSE;
	}
	return TRUE;
}
