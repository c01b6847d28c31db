/* l5-test.c: helpers the STM32L5/U5 tests share (see l5-test.h). */
#include "l5-test.h"

/* DS12736 / DS13737 typical times, as the emulator's timing header has
 * them (docs/timing/l5.md) */
const L5Board l5_boards[N_BOARDS] = {
    {"nucleo-l552ze-q", "STM32L552/L562", 512, 2048, 8, 81690, 22020000, FALSE},
    {"nucleo-u575zi-q", "STM32U575/U585", 2048, 8192, 16, 118000, 1500000, TRUE},
};

guint32
bank2_base(const L5Board *info)
{
	return FLASH_BASE + info->flash_kb * 1024u / 2;
}

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
}

GlintProgress *
board_progress(Board *b)
{
	return glint_progress_new(NULL, on_log, b);
}

gboolean
log_contains(Board *b, const char *needle)
{
	for (guint i = 0; i < b->log->len; i++) {
		if (strstr(g_ptr_array_index(b->log, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

void
board_reconnect(Board *b)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = board_progress(b);
	g_autoptr(GlintTransport) transport = glint_sim_transport_new(b->sim);
	GlintConnectOptions options = {0};
	if (b->session != NULL)
		glint_session_unref(b->session);
	b->session = glint_session_new(transport);
	ck_assert_msg(glint_job_connect(b->session, &options, p, NULL, &error), "connect %s: %s",
		      b->info->name, error ? error->message : "?");
}

Board *
board_new_for_sim(const L5Board *info, GlintSim *sim)
{
	Board *b = g_new0(Board, 1);
	b->info = info;
	b->sim = glint_sim_ref(sim);
	b->log = g_ptr_array_new_with_free_func(g_free);
	board_reconnect(b);
	return b;
}

Board *
board_new(const L5Board *info, const char *scenario)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *spec = g_strdup_printf("%s:%s", info->name, scenario);
	g_autoptr(GlintSim) sim = glint_sim_new(spec, &error);
	ck_assert_msg(sim != NULL, "%s: %s", spec, error ? error->message : "?");
	return board_new_for_sim(info, sim);
}

void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_ptr_array_unref(b->log);
	g_free(b);
}

const GlintTargetInfo *
board_info(Board *b)
{
	return glint_session_get_target_info(b->session);
}

GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
	return g_bytes_new_take(data, len);
}

GlintImage *
image_at(guint32 address, GBytes *bytes)
{
	GlintImage *image = glint_image_new();
	ck_assert(glint_image_add(image, address, g_bytes_get_data(bytes, NULL),
				  g_bytes_get_size(bytes), "test", NULL));
	return image;
}

gboolean
program_with(Board *b, GlintImage *image, const GlintProgramOptions *options,
	     GlintJobResult *result, GError **error)
{
	g_autoptr(GlintProgress) p = board_progress(b);
	return glint_job_program(b->session, image, options, p, NULL, result, error);
}

gboolean
flash_equals(Board *b, guint32 address, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	return memcmp(buf, g_bytes_get_data(bytes, NULL), len) == 0;
}

gboolean
flash_erased(Board *b, guint32 address, gsize len)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

void
fill_flash(Board *b, guint32 address, gsize len, guint8 value)
{
	g_autofree guint8 *buf = g_malloc(len);
	memset(buf, value, len);
	ck_assert(glint_sim_poke(b->sim, address, buf, len));
}

gboolean
write_edit(Board *b, const char *edit, GlintConfirm confirm, GError **error)
{
	const GlintTargetInfo *info = board_info(b);
	GlintOptionBytes ob = info->options;
	g_autoptr(GlintProgress) p = board_progress(b);
	g_auto(GStrv) edits = g_strsplit(edit, " ", -1);
	/* several NAME=VALUE edits in one write, in order, as the CLI takes them */
	for (guint i = 0; edits[i] != NULL; i++) {
		if (!glint_target_info_apply_option_edit(info, &ob, edits[i], error))
			return FALSE;
	}
	return glint_job_write_options(b->session, &ob, confirm, p, NULL, NULL, error);
}

GlintFinding *
find_finding(GPtrArray *findings, const char *id)
{
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, id) == 0)
			return f;
	}
	return NULL;
}

void
ahb_write(GlintSim *sim, guint32 addr, guint32 value)
{
	ck_assert_msg(glint_sim_bus_write(sim, addr, 4, value), "AHB write 0x%08X", addr);
}

guint32
ahb_read(GlintSim *sim, guint32 addr)
{
	guint32 v = 0;
	ck_assert_msg(glint_sim_bus_read(sim, addr, 4, &v), "AHB read 0x%08X", addr);
	return v;
}
