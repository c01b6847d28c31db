/* test-debug-info.c: the ELF/DWARF reader on the test firmware of
 * tests/data/firmware (built by arm-none-eabi-gcc 12 as DWARF 5, 4, 3 and 2,
 * and with a version 5 line table): symbols, lines, every kind of type,
 * variables and their places, values in text; and damaged files, which must
 * fail or degrade with the file and section named, never crash. */
#define G_LOG_DOMAIN "test-debug-info"

#include <check.h>
#include <string.h>

#include "glint-debug-info.h"
#include "glint-error.h"

#define ck_assert_no_error(e)                                                                      \
	ck_assert_msg((e) == NULL, "unexpected error: %s", (e) ? (e)->message : "")

/* Where watch.c's variables live (the linker's choice for this source:
 * tests that fail here after a regen mean the fixture changed, not the
 * reader; re-read them with arm-none-eabi-nm) */
#define WATCH_COUNTER 0x20000088u
#define WATCH_STATE 0x20000008u
#define WATCH_TABLE 0x080000F8u

static gchar *
firmware_path(const char *name)
{
	const char *src = g_getenv("GLINT_SOURCE_DIR");
	ck_assert_msg(src != NULL, "GLINT_SOURCE_DIR is not set (run through meson test)");
	return g_build_filename(src, "tests", "data", "firmware", name, NULL);
}

static GlintDebugInfo *
load_firmware(const char *name)
{
	g_autofree gchar *path = firmware_path(name);
	g_autoptr(GError) error = NULL;
	GlintDebugInfo *di = glint_debug_info_load(path, &error);
	ck_assert_msg(di != NULL, "%s: %s", name, error ? error->message : "");
	return di;
}

static GBytes *
firmware_bytes(const char *name)
{
	g_autofree gchar *path = firmware_path(name);
	gchar *data = NULL;
	gsize len = 0;
	ck_assert(g_file_get_contents(path, &data, &len, NULL));
	return g_bytes_new_take(data, len);
}

static const GlintVariable *
variable(GlintDebugInfo *di, const char *name)
{
	g_autoptr(GError) error = NULL;
	const GlintVariable *v = glint_debug_info_find_variable(di, name, &error);
	ck_assert_msg(v != NULL, "%s: %s", name, error ? error->message : "");
	return v;
}

static void
assert_type(GlintDebugInfo *di, const char *name, const char *spelling, guint size)
{
	const GlintVariable *v = variable(di, name);
	g_autofree gchar *text = glint_type_describe(v->type);
	ck_assert_msg(g_strcmp0(text, spelling) == 0, "%s: type '%s', expected '%s'", name, text,
		      spelling);
	ck_assert_uint_eq(glint_type_strip(v->type)->size, size);
}

/* The same answers whatever DWARF version the compiler wrote */
static const struct {
	const char *file;
	guint dwarf;
	guint line;
} versions[] = {
    {"watch.elf", 5, 3},	{"watch-dwarf4.elf", 4, 3}, {"watch-dwarf3.elf", 3, 3},
    {"watch-dwarf2.elf", 2, 3}, {"watch-line5.elf", 5, 5},
};

START_TEST(test_versions)
{
	g_autoptr(GlintDebugInfo) di = load_firmware(versions[_i].file);
	ck_assert_uint_eq(glint_debug_info_get_dwarf_version(di), versions[_i].dwarf);
	ck_assert_uint_eq(glint_debug_info_get_line_version(di), versions[_i].line);
	ck_assert_uint_eq(glint_debug_info_get_warnings(di)->len, 0);
}
END_TEST

START_TEST(test_types_every_version)
{
	g_autoptr(GlintDebugInfo) di = load_firmware(versions[_i].file);
	assert_type(di, "counter", "volatile uint32_t", 4);
	assert_type(di, "s8", "int8_t", 1);
	assert_type(di, "u8", "uint8_t", 1);
	assert_type(di, "s16", "int16_t", 2);
	assert_type(di, "u16", "uint16_t", 2);
	assert_type(di, "s32", "int32_t", 4);
	assert_type(di, "u32", "uint32_t", 4);
	assert_type(di, "s64", "int64_t", 8);
	assert_type(di, "u64", "uint64_t", 8);
	assert_type(di, "f32", "float", 4);
	assert_type(di, "f64", "double", 8);
	assert_type(di, "flag", "_Bool", 1);
	assert_type(di, "letter", "char", 1);
	assert_type(di, "along", "long int", 4);
	assert_type(di, "ull", "long long unsigned int", 8);
	assert_type(di, "table", "const uint16_t[4]", 8);
	assert_type(di, "state", "volatile struct state", 32);
	assert_type(di, "matrix", "int16_t[2][3]", 12);
	assert_type(di, "buf", "uint8_t[8]", 8);
	assert_type(di, "points", "struct point[2]", 8);
	assert_type(di, "where_ptr", "const volatile struct point *", 4);
	assert_type(di, "ticks", "tick_t", 4);
	/* arm-none-eabi enums are as small as their values (-fshort-enums) */
	assert_type(di, "mode", "run_mode_t", 1);
	assert_type(di, "vectors", "const void * const[16]", 64);
	ck_assert_uint_eq(variable(di, "counter")->address, WATCH_COUNTER);
	ck_assert_uint_eq(variable(di, "state")->address, WATCH_STATE);
	ck_assert_uint_eq(variable(di, "table")->address, WATCH_TABLE);
}
END_TEST

/* Kinds, signedness and the layout of struct state */
START_TEST(test_type_details)
{
	g_autoptr(GlintDebugInfo) di = load_firmware(versions[_i].file);
	const GlintType *state = glint_type_strip(variable(di, "state")->type);
	const GlintType *mode = glint_type_strip(variable(di, "mode")->type);
	const GlintType *matrix = glint_type_strip(variable(di, "matrix")->type);
	static const struct {
		const char *name;
		guint offset, bit_size, bit_position;
	} members[] = {
	    {"count", 0, 0, 0},	 {"ratio", 4, 0, 0},  {"flags", 8, 0, 0}, {"where", 12, 0, 0},
	    {"mode", 16, 0, 0},	 {"name", 20, 0, 0},  {"raw", 24, 0, 0},  {"ready", 28, 1, 0},
	    {"level", 28, 3, 1}, {"delta", 28, 5, 4},
	};

	ck_assert_int_eq(state->kind, GLINT_TYPE_STRUCT);
	ck_assert_str_eq(state->name, "state");
	ck_assert_uint_eq(state->n_members, G_N_ELEMENTS(members));
	for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
		const GlintTypeMember *m = &state->members[i];
		ck_assert_str_eq(m->name, members[i].name);
		ck_assert_msg(m->offset + m->bit_position / 8 == members[i].offset &&
				  m->bit_size == members[i].bit_size &&
				  (m->offset * 8 + m->bit_position) % 32 == members[i].bit_position,
			      "%s: offset %u, bits %u at %u", m->name, m->offset, m->bit_size,
			      m->bit_position);
	}
	ck_assert_int_eq(glint_type_strip(state->members[6].type)->kind, GLINT_TYPE_UNION);
	ck_assert_int_eq(mode->kind, GLINT_TYPE_ENUM);
	ck_assert_uint_eq(mode->n_enumerators, 3);
	ck_assert(mode->is_signed);
	ck_assert_str_eq(mode->enumerators[2].name, "MODE_FAULT");
	ck_assert_int_eq(mode->enumerators[2].value, -1);
	ck_assert_int_eq(mode->enumerators[1].value, 5);
	ck_assert_uint_eq(matrix->n_elements, 2);
	ck_assert_uint_eq(glint_type_strip(matrix->target)->n_elements, 3);
	ck_assert_uint_eq(glint_type_strip(matrix->target)->size, 6);
	ck_assert(glint_type_strip(variable(di, "s8")->type)->is_signed);
	ck_assert(!glint_type_strip(variable(di, "u64")->type)->is_signed);
	ck_assert_int_eq(glint_type_strip(variable(di, "letter")->type)->kind, GLINT_TYPE_CHAR);
	ck_assert_int_eq(glint_type_strip(variable(di, "flag")->type)->kind, GLINT_TYPE_BOOL);
	ck_assert_int_eq(glint_type_strip(variable(di, "f64")->type)->kind, GLINT_TYPE_FLOAT);
	ck_assert(glint_type_is_scalar(variable(di, "where_ptr")->type));
	ck_assert(!glint_type_is_scalar(variable(di, "points")->type));
}
END_TEST

START_TEST(test_statics_and_scopes)
{
	g_autoptr(GlintDebugInfo) di = load_firmware("watch.elf");
	g_autoptr(GError) error = NULL;
	const GlintVariable *calls = variable(di, "watch_step::calls");
	const GlintVariable *file_static = variable(di, "file_static");

	ck_assert_str_eq(calls->scope, "watch_step");
	ck_assert(!calls->external);
	ck_assert_str_eq(calls->file, "watch.c");
	ck_assert(variable(di, "calls") == calls);
	ck_assert(!file_static->external);
	ck_assert(file_static->scope == NULL);
	ck_assert(variable(di, "watch.c::file_static") == file_static);
	ck_assert(variable(di, "counter")->external);
	/* a name that is not there: said, with close ones */
	ck_assert(glint_debug_info_find_variable(di, "countr", &error) == NULL);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "watch.elf") != NULL &&
			  strstr(error->message, "'countr'") != NULL &&
			  strstr(error->message, "counter") != NULL,
		      "%s", error->message);
	g_clear_error(&error);
	ck_assert(glint_debug_info_find_variable(di, "main::counter", &error) == NULL);
}
END_TEST

START_TEST(test_symbols)
{
	g_autoptr(GlintDebugInfo) di = load_firmware(versions[_i].file);
	const GlintSymbol *main_sym = glint_debug_info_find_symbol(di, "main");
	const GlintSymbol *step = glint_debug_info_find_symbol(di, "watch_step");
	const GlintSymbol *at;
	guint32 offset = 99;

	ck_assert_ptr_nonnull(main_sym);
	ck_assert_ptr_nonnull(step);
	ck_assert_int_eq(main_sym->kind, GLINT_SYMBOL_FUNCTION);
	/* Thumb bit cleared */
	ck_assert_uint_eq(main_sym->address & 1u, 0);
	ck_assert_uint_gt(main_sym->size, 4);
	at = glint_debug_info_symbol_at(di, main_sym->address + 4, &offset);
	ck_assert_ptr_eq(at, main_sym);
	ck_assert_uint_eq(offset, 4);
	at = glint_debug_info_symbol_at(di, main_sym->address, &offset);
	ck_assert_ptr_eq(at, main_sym);
	ck_assert_uint_eq(offset, 0);
	at = glint_debug_info_symbol_at(di, step->address + step->size - 2, NULL);
	ck_assert_ptr_eq(at, step);
	/* data symbols too */
	at = glint_debug_info_symbol_at(di, WATCH_STATE + 6, &offset);
	ck_assert_ptr_nonnull(at);
	ck_assert_str_eq(at->name, "state");
	ck_assert_uint_eq(offset, 6);
	/* nothing in the peripherals, nothing between the vectors' end and code */
	ck_assert_ptr_null(glint_debug_info_symbol_at(di, 0x40000000u, NULL));
	ck_assert_ptr_null(glint_debug_info_find_symbol(di, "$t"));
	ck_assert_ptr_null(glint_debug_info_find_symbol(di, "no_such_function"));
}
END_TEST

/* The one-call lookup other modules use (RTT's _SEGGER_RTT) */
START_TEST(test_lookup_address)
{
	g_autoptr(GlintDebugInfo) di = load_firmware("watch.elf");
	g_autofree gchar *path = firmware_path("watch.elf");
	g_autofree gchar *missing = firmware_path("no-such.elf");
	g_autoptr(GError) error = NULL;
	guint32 address = 0, size = 0;

	ck_assert(glint_debug_info_lookup_address(di, "counter", &address, &size, &error));
	ck_assert_uint_eq(address, WATCH_COUNTER);
	ck_assert_uint_eq(size, 4);
	ck_assert(glint_debug_info_lookup_address(di, "main", &address, NULL, &error));
	ck_assert_uint_eq(address, glint_debug_info_find_symbol(di, "main")->address);
	ck_assert_uint_eq(address & 1u, 0);
	/* a static local: only DWARF names it so */
	ck_assert(
	    glint_debug_info_lookup_address(di, "watch_step::calls", &address, &size, &error));
	ck_assert_uint_eq(address, variable(di, "watch_step::calls")->address);
	ck_assert_uint_eq(size, 4);
	ck_assert_no_error(error);

	ck_assert(!glint_debug_info_lookup_address(di, "_SEGGER_RTT", &address, &size, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "'_SEGGER_RTT'") != NULL &&
			  strstr(error->message, "watch.elf") != NULL,
		      "%s", error->message);
	g_clear_error(&error);

	ck_assert(glint_elf_lookup_address(path, "state", &address, &size, &error));
	ck_assert_uint_eq(address, WATCH_STATE);
	ck_assert_uint_eq(size, variable(di, "state")->type->size);
	ck_assert(!glint_elf_lookup_address(missing, "state", &address, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_IO));
}
END_TEST

START_TEST(test_lines)
{
	g_autoptr(GlintDebugInfo) di = load_firmware(versions[_i].file);
	const GlintSymbol *step = glint_debug_info_find_symbol(di, "watch_step");
	const char *file = NULL;
	guint line = 0;
	guint32 address = 0;
	g_autofree gchar *where = NULL;

	/* watch_step's first instruction has rows for lines 77, 78 and 79 (its
	 * brace, the static's declaration, calls++): the last is its line, as
	 * addr2line says */
	ck_assert(glint_debug_info_line_at(di, step->address, &file, &line, NULL));
	ck_assert_str_eq(file, "watch.c");
	ck_assert_uint_eq(line, 79);
	ck_assert(glint_debug_info_address_of_line(di, "watch.c", 77, &address));
	ck_assert_uint_eq(address, step->address);
	/* file_static += 3 (line 80) */
	ck_assert(glint_debug_info_address_of_line(di, "watch.c", 80, &address));
	ck_assert_uint_eq(address, step->address + 8);
	ck_assert(glint_debug_info_line_at(di, address + 2, &file, &line, NULL));
	ck_assert_uint_eq(line, 80);
	ck_assert(!glint_debug_info_address_of_line(di, "atch.c", 80, &address));
	/* startup.c is its own unit */
	ck_assert(glint_debug_info_line_at(
	    di, glint_debug_info_find_symbol(di, "NMI_Handler")->address, &file, &line, NULL));
	ck_assert_str_eq(file, "startup.c");
	/* no line outside code */
	ck_assert(!glint_debug_info_line_at(di, 0x40000000u, &file, &line, NULL));
	ck_assert(!glint_debug_info_line_at(di, 0x07000000u, &file, &line, NULL));
	where = glint_debug_info_describe_address(di, step->address, TRUE);
	ck_assert_str_eq(where, "watch_step() at watch.c:79");
}
END_TEST

START_TEST(test_describe_address)
{
	g_autoptr(GlintDebugInfo) di = load_firmware("watch.elf");
	guint32 address = 0;
	g_autofree gchar *a = NULL, *b = NULL, *c = NULL;
	ck_assert(glint_debug_info_address_of_line(di, "watch.c", 80, &address));
	a = glint_debug_info_describe_address(di, address, TRUE);
	b = glint_debug_info_describe_address(di, address, FALSE);
	c = glint_debug_info_describe_address(di, 0x40000000u, TRUE);
	ck_assert_str_eq(a, "watch_step()+0x8 at watch.c:80");
	ck_assert_str_eq(b, "watch_step() at watch.c:80");
	ck_assert_str_eq(c, "0x40000000");
}
END_TEST

/* Values in words, from bytes laid out as the firmware's initialisers */
START_TEST(test_format_values)
{
	g_autoptr(GlintDebugInfo) di = load_firmware("watch.elf");
	const guint8 state_bytes[32] = {
	    4,	  0,	0,    0,    /* count */
	    0,	  0,	0x80, 0x3E, /* ratio 0.25 */
	    1,	  2,	3,    0,    /* flags, padding */
	    0xFD, 0xFF, 4,    0,    /* where {-3, 4} */
	    5,	  0,	0,    0,    /* mode MODE_RUN */
	    0x20, 0x01, 0,    0x08, /* name */
	    1,	  2,	3,    4,    /* raw */
	    0x9B, 0x01, 0,    0,    /* ready 1, level 5, delta -7 */
	};
	const guint8 matrix_bytes[12] = {1, 0, 0xFE, 0xFF, 3, 0, 0xFC, 0xFF, 5, 0, 0xFA, 0xFF};
	const guint8 f64_bytes[8] = {0, 0, 0, 0, 0, 0, 0x02, 0xC0};
	const guint8 s64_bytes[8] = {0x00, 0xC0, 0x87, 0x82, 0xFE, 0xFF, 0xFF, 0xFF};
	const guint8 letter = 'G', flag = 1, mode = 0xFF, u8 = 200;
	const guint8 text[8] = {'w', 'a', 't', 'c', 'h', 0, 0, 0};
	g_autofree gchar *s = NULL, *m = NULL, *f = NULL, *l = NULL, *b = NULL, *e = NULL;
	g_autofree gchar *i64 = NULL, *u = NULL, *cut = NULL, *t = NULL;
	GlintType char_array = {.kind = GLINT_TYPE_ARRAY, .size = 8, .n_elements = 8};
	gdouble d = 0;

	s = glint_type_format_value(variable(di, "state")->type, state_bytes, sizeof(state_bytes));
	ck_assert_str_eq(s, "{count = 4, ratio = 0.25, flags = {1, 2, 3}, where = {x = -3, y = 4}, "
			    "mode = MODE_RUN, name = 0x08000120, raw = {word = 67305985, bytes = "
			    "{1, 2, 3, 4}}, ready = 1, level = 5, delta = -7}");
	m = glint_type_format_value(variable(di, "matrix")->type, matrix_bytes,
				    sizeof(matrix_bytes));
	ck_assert_str_eq(m, "{{1, -2, 3}, {-4, 5, -6}}");
	f = glint_type_format_value(variable(di, "f64")->type, f64_bytes, 8);
	ck_assert_str_eq(f, "-2.25");
	l = glint_type_format_value(variable(di, "letter")->type, &letter, 1);
	ck_assert_str_eq(l, "71 'G'");
	b = glint_type_format_value(variable(di, "flag")->type, &flag, 1);
	ck_assert_str_eq(b, "true");
	e = glint_type_format_value(variable(di, "mode")->type, &mode, 1);
	ck_assert_str_eq(e, "MODE_FAULT");
	i64 = glint_type_format_value(variable(di, "s64")->type, s64_bytes, 8);
	ck_assert_str_eq(i64, "-6400000000");
	u = glint_type_format_value(variable(di, "u8")->type, &u8, 1);
	ck_assert_str_eq(u, "200");
	cut = glint_type_format_value(variable(di, "f64")->type, f64_bytes, 3);
	ck_assert_str_eq(cut, "<5 bytes missing>");
	char_array.target = variable(di, "letter")->type;
	t = glint_type_format_value(&char_array, text, sizeof(text));
	ck_assert_str_eq(t, "\"watch\"");
	ck_assert(glint_type_value_as_double(variable(di, "s64")->type, s64_bytes, 8, &d));
	ck_assert(d == -6400000000.0);
	ck_assert(!glint_type_value_as_double(variable(di, "state")->type, state_bytes, 32, &d));
	ck_assert_uint_eq(glint_type_extract_bits(state_bytes + 28, 4, 4, 5, TRUE),
			  (guint64)(gint64)-7);
}
END_TEST

START_TEST(test_member_lookup)
{
	g_autoptr(GlintDebugInfo) di = load_firmware("watch.elf");
	const GlintType *state = variable(di, "state")->type;
	guint32 offset = 0;
	const GlintTypeMember *where = glint_type_find_member(state, "where", &offset);
	ck_assert_ptr_nonnull(where);
	ck_assert_uint_eq(offset, 12);
	ck_assert_ptr_nonnull(glint_type_find_member(where->type, "y", &offset));
	ck_assert_uint_eq(offset, 14);
	ck_assert_ptr_null(glint_type_find_member(state, "nope", NULL));
	ck_assert_ptr_null(glint_type_find_member(variable(di, "counter")->type, "x", NULL));
}
END_TEST

/* Damaged files ------------------------------------------------------------- */

/* The file offset and size of section @name, read from the section headers */
static gboolean
section_of(GBytes *bytes, const char *name, guint32 *offset, guint32 *size)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
#define U32(p)                                                                                     \
	((guint32)(p)[0] | (guint32)(p)[1] << 8 | (guint32)(p)[2] << 16 | (guint32)(p)[3] << 24)
	guint32 shoff = U32(d + 32);
	guint shnum = d[48] | d[49] << 8, shstrndx = d[50] | d[51] << 8;
	const guint8 *names = d + U32(d + shoff + shstrndx * 40 + 16);
	for (guint i = 0; i < shnum; i++) {
		const guint8 *sh = d + shoff + i * 40;
		if (strcmp((const char *)names + U32(sh), name) == 0) {
			*offset = U32(sh + 16);
			*size = U32(sh + 20);
			return TRUE;
		}
	}
#undef U32
	return FALSE;
}

static GlintDebugInfo *
load_modified(GBytes *bytes, guint32 at, const guint8 *patch, gsize n, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	guint8 *copy = g_memdup2(data, len);
	g_autoptr(GBytes) modified = NULL;
	memcpy(copy + at, patch, n);
	modified = g_bytes_new_take(copy, len);
	return glint_debug_info_new_from_bytes(modified, "damaged.elf", error);
}

START_TEST(test_not_elf)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) text = g_bytes_new_static("hello, this is no ELF at all", 28);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) elf = firmware_bytes("watch.elf");
	const guint8 class64 = 2, big = 2;
	ck_assert_ptr_null(glint_debug_info_new_from_bytes(text, "notes.txt", &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
	ck_assert_msg(strstr(error->message, "notes.txt") && strstr(error->message, "not an ELF"),
		      "%s", error->message);
	g_clear_error(&error);
	ck_assert_ptr_null(glint_debug_info_new_from_bytes(empty, "empty.elf", &error));
	g_clear_error(&error);
	ck_assert_ptr_null(load_modified(elf, 4, &class64, 1, &error));
	ck_assert_msg(strstr(error->message, "64-bit"), "%s", error->message);
	g_clear_error(&error);
	ck_assert_ptr_null(load_modified(elf, 5, &big, 1, &error));
	ck_assert_msg(strstr(error->message, "big-endian"), "%s", error->message);
	g_clear_error(&error);
	{
		g_autofree gchar *missing = firmware_path("no-such.elf");
		ck_assert_ptr_null(glint_debug_info_load(missing, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_IO));
	}
}
END_TEST

/* A file cut anywhere: refused or read in part, never a crash; cut before
 * its section table (at the end) it names the truncation */
START_TEST(test_truncated_everywhere)
{
	g_autoptr(GBytes) elf = firmware_bytes("watch.elf");
	gsize len = g_bytes_get_size(elf);
	guint refused = 0;
	for (gsize cut = 0; cut < len; cut += 7) {
		g_autoptr(GBytes) part = g_bytes_new_from_bytes(elf, 0, cut);
		g_autoptr(GError) error = NULL;
		g_autoptr(GlintDebugInfo) di =
		    glint_debug_info_new_from_bytes(part, "cut.elf", &error);
		if (di == NULL) {
			ck_assert_msg(strstr(error->message, "cut.elf") != NULL, "%s",
				      error->message);
			refused++;
		}
	}
	/* the section table is the file's last part: every cut loses it */
	ck_assert_uint_eq(refused, (len + 6) / 7);
	{
		g_autoptr(GBytes) part = g_bytes_new_from_bytes(elf, 0, len - 100);
		g_autoptr(GError) error = NULL;
		ck_assert_ptr_null(glint_debug_info_new_from_bytes(part, "cut.elf", &error));
		ck_assert_msg(strstr(error->message, "truncated"), "%s", error->message);
	}
}
END_TEST

/* Damage in .debug_info costs the variables, not the symbols or lines */
START_TEST(test_damaged_debug_info)
{
	g_autoptr(GBytes) elf = firmware_bytes("watch.elf");
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintDebugInfo) di = NULL;
	const guint8 huge[4] = {0xF0, 0xFF, 0xFF, 0x7F};
	guint32 off = 0, size = 0, n = 0;
	const char *file;
	guint line;

	ck_assert(section_of(elf, ".debug_info", &off, &size));
	di = load_modified(elf, off, huge, sizeof(huge), &error);
	ck_assert_no_error(error);
	ck_assert_uint_ge(glint_debug_info_get_warnings(di)->len, 1);
	ck_assert_msg(strstr(g_ptr_array_index(glint_debug_info_get_warnings(di), 0),
			     "damaged.elf: .debug_info: the unit at offset 0x0") != NULL,
		      "%s", (char *)g_ptr_array_index(glint_debug_info_get_warnings(di), 0));
	ck_assert_ptr_null(glint_debug_info_get_variables(di, &n, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
	ck_assert_msg(strstr(error->message, ".debug_info") != NULL, "%s", error->message);
	g_clear_error(&error);
	ck_assert_ptr_null(glint_debug_info_find_variable(di, "counter", &error));
	ck_assert_msg(strstr(error->message, ".debug_info") != NULL, "%s", error->message);
	ck_assert_ptr_nonnull(glint_debug_info_find_symbol(di, "main"));
	ck_assert(glint_debug_info_line_at(di, glint_debug_info_find_symbol(di, "main")->address,
					   &file, &line, NULL));
}
END_TEST

START_TEST(test_damaged_debug_line)
{
	g_autoptr(GBytes) elf = firmware_bytes("watch.elf");
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintDebugInfo) di = NULL;
	const guint8 version[2] = {9, 0};
	guint32 off = 0, size = 0;
	const char *file;
	guint line;

	ck_assert(section_of(elf, ".debug_line", &off, &size));
	/* the first unit's version: 9 */
	di = load_modified(elf, off + 4, version, sizeof(version), &error);
	ck_assert_no_error(error);
	ck_assert(!glint_debug_info_line_at(
	    di, glint_debug_info_find_symbol(di, "NMI_Handler")->address, &file, &line, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
	ck_assert_msg(strstr(error->message, "damaged.elf: .debug_line: the line program at offset "
					     "0x0 is unusable: unknown line table version") != NULL,
		      "%s", error->message);
	/* the second unit (watch.c) still answers, and so do the variables */
	ck_assert(glint_debug_info_line_at(di, glint_debug_info_find_symbol(di, "main")->address,
					   &file, &line, NULL));
	ck_assert_str_eq(file, "watch.c");
	ck_assert_ptr_nonnull(variable(di, "counter"));
}
END_TEST

/* Garbage over each debug section in turn, at several places */
START_TEST(test_garbled_sections)
{
	static const char *const sections[] = {".debug_info", ".debug_abbrev", ".debug_line",
					       ".debug_str",  ".symtab",       ".strtab"};
	g_autoptr(GBytes) elf = firmware_bytes(versions[_i].file);
	GRand *rand = g_rand_new_with_seed(19 + _i);
	guint loaded = 0;
	for (guint s = 0; s < G_N_ELEMENTS(sections); s++) {
		guint32 off = 0, size = 0;
		if (!section_of(elf, sections[s], &off, &size))
			continue;
		for (guint round = 0; round < 40; round++) {
			guint8 junk[16];
			guint32 at = off + g_rand_int_range(rand, 0, (gint32)MAX(size, 17u) - 16);
			g_autoptr(GError) error = NULL;
			g_autoptr(GlintDebugInfo) di = NULL;
			guint n = 0;
			for (guint k = 0; k < sizeof(junk); k++)
				junk[k] = (guint8)g_rand_int(rand);
			di = load_modified(elf, at, junk, sizeof(junk), &error);
			if (di == NULL)
				continue;
			loaded++;
			/* every question still gets an answer or an error */
			(void)glint_debug_info_get_variables(di, &n, NULL);
			(void)glint_debug_info_find_variable(di, "state", NULL);
			g_free(glint_debug_info_describe_address(di, 0x080000A0u, TRUE));
			for (guint v = 0; v < n; v++) {
				const GlintVariable *var =
				    &glint_debug_info_get_variables(di, &n, NULL)[v];
				guint8 zeros[64] = {0};
				g_free(glint_type_describe(var->type));
				g_free(glint_type_format_value(var->type, zeros, sizeof(zeros)));
			}
		}
	}
	g_rand_free(rand);
	ck_assert_uint_gt(loaded, 100);
}
END_TEST

static Suite *
debug_suite(void)
{
	Suite *s = suite_create("debug-info");
	TCase *tc = tcase_create("read");
	tcase_add_loop_test(tc, test_versions, 0, G_N_ELEMENTS(versions));
	tcase_add_loop_test(tc, test_types_every_version, 0, G_N_ELEMENTS(versions));
	tcase_add_loop_test(tc, test_type_details, 0, G_N_ELEMENTS(versions));
	tcase_add_test(tc, test_statics_and_scopes);
	tcase_add_loop_test(tc, test_symbols, 0, G_N_ELEMENTS(versions));
	tcase_add_loop_test(tc, test_lines, 0, G_N_ELEMENTS(versions));
	tcase_add_test(tc, test_lookup_address);
	tcase_add_test(tc, test_describe_address);
	tcase_add_test(tc, test_format_values);
	tcase_add_test(tc, test_member_lookup);
	suite_add_tcase(s, tc);
	tc = tcase_create("damage");
	tcase_add_test(tc, test_not_elf);
	tcase_add_test(tc, test_truncated_everywhere);
	tcase_add_test(tc, test_damaged_debug_info);
	tcase_add_test(tc, test_damaged_debug_line);
	tcase_add_loop_test(tc, test_garbled_sections, 0, G_N_ELEMENTS(versions));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(debug_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
