/* fuzz-debug-info.c: libFuzzer target for the ELF/DWARF reader
 * (glint_debug_info_new_from_bytes). The input is a whole ELF file (seeded
 * with the test firmware of tests/data/firmware). Besides "no crash, no
 * leak, no hang": a refused file says why in GLINT_ERROR_BAD_IMAGE naming
 * it; a loaded one answers every question (symbols at addresses, lines,
 * variables by name, their types in words and their values from zeros and
 * from the input's own bytes) without reading outside what it was given.
 * Built and run by run-fuzz.sh. */
#define G_LOG_DOMAIN "fuzz-debug-info"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glint-debug-info.h"
#include "glint-error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Addresses worth asking about: code, data, nowhere */
static const guint32 probe_addresses[] = {0x08000000u, 0x08000040u, 0x080000A0u, 0x080000C6u,
					  0x20000008u, 0x40000000u, 0xFFFFFFFEu};

static void
exercise_variables(GlintDebugInfo *di, const uint8_t *data, size_t size)
{
	guint n = 0;
	const GlintVariable *vars = glint_debug_info_get_variables(di, &n, NULL);
	guint8 zeros[256] = {0};
	for (guint i = 0; vars != NULL && i < n && i < 256; i++) {
		const GlintVariable *v = &vars[i];
		g_autofree gchar *type = glint_type_describe(v->type);
		g_autofree gchar *a = glint_type_format_value(v->type, zeros, sizeof(zeros));
		g_autofree gchar *b = glint_type_format_value(v->type, data, MIN(size, 256u));
		gdouble d;
		if (v->name == NULL || type == NULL || a == NULL || b == NULL)
			abort();
		(void)glint_type_value_as_double(v->type, data, size, &d);
		(void)glint_type_find_member(v->type, "x", NULL);
		(void)glint_debug_info_find_variable(di, v->name, NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintDebugInfo) di = glint_debug_info_new_from_bytes(bytes, "fuzz.elf", &error);

	if (di == NULL) {
		if (!g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE) ||
		    strstr(error->message, "fuzz.elf") == NULL)
			abort();
		return 0;
	}
	for (guint i = 0; i < G_N_ELEMENTS(probe_addresses); i++) {
		g_autofree gchar *where =
		    glint_debug_info_describe_address(di, probe_addresses[i], TRUE);
		g_autoptr(GError) line_error = NULL;
		const char *file;
		guint line;
		if (where == NULL)
			abort();
		if (!glint_debug_info_line_at(di, probe_addresses[i], &file, &line, &line_error) &&
		    line_error != NULL && strstr(line_error->message, "fuzz.elf") == NULL)
			abort();
	}
	(void)glint_debug_info_find_symbol(di, "main");
	(void)glint_debug_info_find_variable(di, "counter", NULL);
	(void)glint_debug_info_find_variable(di, "main::calls", NULL);
	exercise_variables(di, data, size);
	return 0;
}
