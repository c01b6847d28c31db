/* fuzz-sim-state.c: libFuzzer target for the emulator's board state files
 * (glint_sim_new_from_state). The file carries a CRC-32, which random
 * mutations almost never keep right; so when the input's first byte is odd,
 * the harness appends the correct CRC to the rest and the fuzzer reaches the
 * parser behind the check. Besides "no crash, no leak, no hang": a refused
 * file is a GLINT_ERROR naming the file; a loaded board saves to a file that
 * loads back and saves to the same bytes. Built and run by run-fuzz.sh. */
#define G_LOG_DOMAIN "fuzz-sim-state"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glint-error.h"
#include "glint-image.h"
#include "glint-sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gchar *dir;

static gchar *
path_in_dir(const char *name)
{
	/* run-fuzz.sh names a scratch directory it removes afterwards. */
	if (dir == NULL && g_getenv("GLINT_FUZZ_TMP") != NULL)
		dir = g_strdup(g_getenv("GLINT_FUZZ_TMP"));
	if (dir == NULL)
		dir = g_dir_make_tmp("glint-fuzz-state-XXXXXX", NULL);
	if (dir == NULL)
		abort();
	return g_build_filename(dir, name, NULL);
}

static void
write_input(const char *path, const uint8_t *data, size_t size)
{
	g_autoptr(GByteArray) file = g_byte_array_new();
	if (size > 0 && (data[0] & 1)) {
		guint32 crc;
		g_byte_array_append(file, data + 1, size - 1);
		crc = glint_crc32(0, file->data, file->len);
		for (guint i = 0; i < 4; i++) {
			guint8 b = (guint8)(crc >> (8 * i));
			g_byte_array_append(file, &b, 1);
		}
	} else if (size > 0) {
		g_byte_array_append(file, data + 1, size - 1);
	}
	{
		/* Plain stdio: no rename or sync per execution. */
		FILE *f = fopen(path, "wb");
		if (f == NULL || fwrite(file->data, 1, file->len, f) != file->len || fclose(f) != 0)
			abort();
	}
}

static void
check_round_trip(GlintSim *sim)
{
	g_autofree gchar *a = path_in_dir("a.state");
	g_autofree gchar *b = path_in_dir("b.state");
	g_autofree gchar *ca = NULL, *cb = NULL;
	gsize la = 0, lb = 0;
	g_autoptr(GlintSim) back = NULL;

	if (!glint_sim_save_state(sim, a, NULL))
		abort();
	back = glint_sim_new_from_state(a, NULL);
	if (back == NULL || !glint_sim_save_state(back, b, NULL))
		abort();
	if (!g_file_get_contents(a, &ca, &la, NULL) || !g_file_get_contents(b, &cb, &lb, NULL))
		abort();
	if (la != lb || memcmp(ca, cb, la) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *path = path_in_dir("input.state");
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = NULL;

	write_input(path, data, size);
	sim = glint_sim_new_from_state(path, &error);
	if (sim == NULL) {
		if (error == NULL || error->domain != GLINT_ERROR ||
		    strstr(error->message, path) == NULL)
			abort();
		return 0;
	}
	if (error != NULL)
		abort();
	check_round_trip(sim);
	return 0;
}
