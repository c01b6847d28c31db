/* prod-test.c: helpers for the production tests (see prod-test.h). */
#define G_LOG_DOMAIN "prod-test"

#include "prod-test.h"

#include <check.h>
#include <string.h>

GBytes *
prod_image_bytes(gsize len, guint seed)
{
	guint8 *data = g_malloc(len);
	guint32 x = 0x9E3779B9u ^ seed;
	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = (guint8)x;
	}
	return g_bytes_new_take(data, len);
}

gchar *
prod_write_image(const char *dir, const char *name, gsize len, guint seed, guint32 *crc)
{
	g_autoptr(GBytes) bytes = prod_image_bytes(len, seed);
	gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(bytes, &size);

	ck_assert_msg(g_file_set_contents(path, (const gchar *)data, (gssize)size, &error), "%s",
		      error != NULL ? error->message : "?");
	if (crc != NULL)
		*crc = glint_crc32(0, data, size);
	return path;
}

gchar *
prod_write_recipe_text(const char *dir, const char *name, const char *text)
{
	guint32 crc = 0;
	g_autofree gchar *image = prod_write_image(dir, "fw.bin", PROD_IMAGE_LEN, 1, &crc);
	g_autofree gchar *crc_text = g_strdup_printf("0x%08X", crc);
	g_autoptr(GString) body = g_string_new(text);
	gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_string_replace(body, "%CRC%", crc_text, 0);
	ck_assert_msg(g_file_set_contents(path, body->str, -1, &error), "%s",
		      error != NULL ? error->message : "?");
	return path;
}

gchar *
prod_write_recipe(const char *dir, const char *name, const char *chip, const char *extra)
{
	g_autofree gchar *text =
	    g_strdup_printf("[recipe]\nversion=1\nchip=%s\n\n"
			    "[image]\nfile=fw.bin\ncrc32=%%CRC%%\n\n"
			    "[serial]\naddress=0x%08X\nfirst=1000\n"
			    "format=u32le\n\n%s",
			    chip, PROD_SERIAL_ADDR, extra != NULL ? extra : "");
	return prod_write_recipe_text(dir, name, text);
}

static void
prod_event_free(ProdEvent *e)
{
	g_free(e->message);
	glint_station_record_clear(&e->record);
	g_free(e);
}

static void
prod_on_event(const GlintStationEvent *event, gpointer user_data)
{
	ProdRun *run = user_data;
	ProdEvent *e = g_new0(ProdEvent, 1);

	e->kind = event->kind;
	e->probe = event->probe;
	e->board = event->board;
	e->step = event->step;
	e->serial = event->serial;
	e->message = g_strdup(event->message);
	glint_station_record_init(&e->record);
	if (event->record != NULL)
		glint_station_record_copy(&e->record, event->record);
	if (event->kind != GLINT_STATION_EVENT_PROGRESS && event->kind != GLINT_STATION_EVENT_LOG) {
		g_mutex_lock(&run->lock);
		g_ptr_array_add(run->events, e);
		g_mutex_unlock(&run->lock);
	}
	if (run->hook != NULL)
		run->hook(run, e);
	if (event->kind == GLINT_STATION_EVENT_PROGRESS || event->kind == GLINT_STATION_EVENT_LOG)
		prod_event_free(e);
}

ProdRun *
prod_run_new(const char *recipe_path, const GlintStationOptions *options,
	     GlintSimFixture *const *fixtures, guint n_fixtures, const char *record_path)
{
	ProdRun *run = g_new0(ProdRun, 1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecipe) recipe = glint_recipe_load(recipe_path, NULL, &error);

	ck_assert_msg(recipe != NULL, "recipe: %s", error != NULL ? error->message : "?");
	g_mutex_init(&run->lock);
	run->events = g_ptr_array_new_with_free_func((GDestroyNotify)prod_event_free);
	run->cancellable = g_cancellable_new();
	run->station = glint_station_new(recipe, options, &error);
	ck_assert_msg(run->station != NULL, "station: %s", error != NULL ? error->message : "?");
	for (guint i = 0; i < n_fixtures; i++) {
		g_autoptr(GlintTransport) t = glint_sim_fixture_transport_new(fixtures[i]);
		glint_station_add_probe(run->station, t);
	}
	if (record_path != NULL) {
		GlintRecordFile *file = glint_record_file_open(record_path, &error);
		ck_assert_msg(file != NULL, "records: %s", error != NULL ? error->message : "?");
		glint_station_add_record_file(run->station, file);
	}
	glint_station_set_event_func(run->station, prod_on_event, run);
	return run;
}

gboolean
prod_run(ProdRun *run)
{
	g_clear_error(&run->error);
	run->ok = glint_station_run(run->station, run->cancellable, &run->error);
	return run->ok;
}

void
prod_run_free(ProdRun *run)
{
	if (run == NULL)
		return;
	g_clear_pointer(&run->station, glint_station_free);
	g_clear_object(&run->cancellable);
	g_clear_pointer(&run->events, g_ptr_array_unref);
	g_clear_error(&run->error);
	g_mutex_clear(&run->lock);
	g_free(run);
}

GPtrArray *
prod_run_records(ProdRun *run)
{
	GPtrArray *done = g_ptr_array_new();
	for (guint i = 0; i < run->events->len; i++) {
		ProdEvent *e = g_ptr_array_index(run->events, i);
		if (e->kind == GLINT_STATION_EVENT_DONE)
			g_ptr_array_add(done, e);
	}
	return done;
}

guint
prod_run_count(ProdRun *run, GlintStationEventKind kind)
{
	guint n = 0;
	for (guint i = 0; i < run->events->len; i++) {
		ProdEvent *e = g_ptr_array_index(run->events, i);
		if (e->kind == kind)
			n++;
	}
	return n;
}

GlintSimFixture *
prod_fixture(const char *boards, const char *serial)
{
	g_autoptr(GError) error = NULL;
	GlintSimFixture *f = glint_sim_fixture_new("nucleo-l476rg", boards, NULL, 0, &error);
	ck_assert_msg(f != NULL, "fixture: %s", error != NULL ? error->message : "?");
	if (serial != NULL)
		glint_sim_fixture_set_serial(f, serial);
	return f;
}

guint32
prod_board_u32(GlintSimFixture *fixture, guint k, guint32 addr)
{
	g_autoptr(GlintSim) board = glint_sim_fixture_get_board(fixture, k);
	ck_assert_msg(board != NULL, "fixture board %u never went in", k);
	return glint_sim_peek32(board, addr);
}

gboolean
prod_board_has_image(GlintSimFixture *fixture, guint k)
{
	g_autoptr(GlintSim) board = glint_sim_fixture_get_board(fixture, k);
	g_autoptr(GBytes) want = prod_image_bytes(PROD_IMAGE_LEN, 1);
	g_autofree guint8 *got = g_malloc(PROD_IMAGE_LEN);

	ck_assert(board != NULL);
	ck_assert(glint_sim_peek(board, PROD_FLASH_BASE, got, PROD_IMAGE_LEN));
	return memcmp(got, g_bytes_get_data(want, NULL), PROD_IMAGE_LEN) == 0;
}

/* One CSV line (no newline inside fields: the station flattens them). */
static GStrv
csv_split(const char *line)
{
	g_autoptr(GPtrArray) fields = g_ptr_array_new();
	g_autoptr(GString) field = g_string_new(NULL);
	gboolean quoted = FALSE;

	for (const char *c = line;; c++) {
		if (quoted) {
			if (*c == '\0')
				break;
			if (*c == '"' && c[1] == '"') {
				g_string_append_c(field, '"');
				c++;
			} else if (*c == '"') {
				quoted = FALSE;
			} else {
				g_string_append_c(field, *c);
			}
			continue;
		}
		if (*c == '"') {
			quoted = TRUE;
		} else if (*c == ',' || *c == '\0') {
			g_ptr_array_add(fields, g_strdup(field->str));
			g_string_truncate(field, 0);
			if (*c == '\0')
				break;
		} else {
			g_string_append_c(field, *c);
		}
	}
	g_ptr_array_add(fields, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&fields), FALSE);
}

GPtrArray *
prod_read_csv(const char *path)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_auto(GStrv) lines = NULL;

	ck_assert_msg(g_file_get_contents(path, &text, NULL, &error), "%s",
		      error != NULL ? error->message : "?");
	ck_assert_msg(*text == '\0' || g_str_has_suffix(text, "\n"),
		      "%s does not end with a whole line", path);
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0')
			g_ptr_array_add(rows, csv_split(lines[i]));
	}
	return rows;
}

guint64
prod_counter_next(const char *recipe_path, const char *name)
{
	g_autofree gchar *path = g_strconcat(recipe_path, ".counters", NULL);
	g_autoptr(GKeyFile) keys = g_key_file_new();
	g_autofree gchar *value = NULL;

	if (!g_key_file_load_from_file(keys, path, G_KEY_FILE_NONE, NULL))
		return 0;
	value = g_key_file_get_string(keys, "counters", name, NULL);
	return value != NULL ? g_ascii_strtoull(value, NULL, 10) : 0;
}
