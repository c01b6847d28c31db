/* glint-debug-info.c: loading an ELF file's symbols, lines and variables,
 * and the questions asked of them. */
#define G_LOG_DOMAIN "glint-debug"

#include "debug-private.h"
#include "glint-i18n.h"

#include <string.h>

#include "glint-file.h"

/* Close names suggested when a variable is not found */
#define SUGGEST_MAX 4

GlintDebugInfo *
glint_debug_info_new_from_bytes(GBytes *bytes, const char *name, GError **error)
{
	g_autoptr(GlintDebugInfo) self = g_new0(GlintDebugInfo, 1);

	self->ref_count = 1;
	self->name = g_strdup(name != NULL ? name : _("ELF file"));
	self->bytes = g_bytes_ref(bytes);
	self->sections = g_array_new(FALSE, TRUE, sizeof(DebugSection));
	self->warnings = g_ptr_array_new_with_free_func(g_free);
	self->strings = g_string_chunk_new(4096);
	self->symbols = g_array_new(FALSE, TRUE, sizeof(GlintSymbol));
	self->symbols_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	self->lines = g_array_new(FALSE, TRUE, sizeof(DebugLineRow));
	self->types = g_ptr_array_new();
	self->variables = g_array_new(FALSE, TRUE, sizeof(GlintVariable));
	if (!debug_elf_parse(self, error))
		return NULL;
	debug_elf_read_symbols(self);
	debug_line_parse(self);
	debug_dwarf_parse(self);
	return g_steal_pointer(&self);
}

GlintDebugInfo *
glint_debug_info_load(const char *path, GError **error)
{
	g_autoptr(GBytes) bytes =
	    glint_file_read(path, _("ELF file"), GLINT_DEBUG_INFO_MAX_FILE, NULL, error);
	if (bytes == NULL)
		return NULL;
	return glint_debug_info_new_from_bytes(bytes, path, error);
}

GlintDebugInfo *
glint_debug_info_ref(GlintDebugInfo *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
glint_debug_info_unref(GlintDebugInfo *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test(&self->ref_count))
		return;
	debug_dwarf_free_types(self);
	g_ptr_array_unref(self->types);
	g_array_unref(self->variables);
	g_array_unref(self->lines);
	g_clear_error(&self->line_error);
	g_clear_error(&self->info_error);
	g_hash_table_unref(self->symbols_by_name);
	g_array_unref(self->symbols);
	g_string_chunk_free(self->strings);
	g_ptr_array_unref(self->warnings);
	g_array_unref(self->sections);
	g_bytes_unref(self->bytes);
	g_free(self->name);
	g_free(self);
}

const char *
glint_debug_info_get_name(GlintDebugInfo *self)
{
	return self->name;
}

const GPtrArray *
glint_debug_info_get_warnings(GlintDebugInfo *self)
{
	return self->warnings;
}

guint
glint_debug_info_get_dwarf_version(GlintDebugInfo *self)
{
	return self->dwarf_version;
}

guint
glint_debug_info_get_line_version(GlintDebugInfo *self)
{
	return self->line_version;
}

const char *
debug_info_intern(GlintDebugInfo *self, const char *text)
{
	return g_string_chunk_insert_const(self->strings, text);
}

void
debug_info_warn(GlintDebugInfo *self, const char *section, const char *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(self->warnings, g_strdup_printf("%s: %s: %s", self->name, section, msg));
}

GError *
debug_info_section_error(GlintDebugInfo *self, const char *section, const char *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	return g_error_new(GLINT_ERROR, GLINT_ERROR_BAD_IMAGE, _("%s: %s: %s"), self->name, section,
			   msg);
}

/* Symbols ------------------------------------------------------------------ */

const GlintSymbol *
glint_debug_info_find_symbol(GlintDebugInfo *self, const char *name)
{
	return g_hash_table_lookup(self->symbols_by_name, name);
}

gboolean
glint_debug_info_lookup_address(GlintDebugInfo *self, const char *name, guint32 *address,
				guint32 *size, GError **error)
{
	const GlintSymbol *sym = glint_debug_info_find_symbol(self, name);
	const GlintVariable *var = NULL;
	g_autoptr(GError) local = NULL;

	if (sym != NULL && sym->kind != GLINT_SYMBOL_OTHER) {
		*address = sym->address;
		if (size != NULL)
			*size = sym->size;
		return TRUE;
	}
	/* a static local ("main::calls") has no symbol of that name; a symbol
	 * table stripped of locals still leaves the DWARF */
	var = glint_debug_info_find_variable(self, name, &local);
	if (var != NULL) {
		*address = var->address;
		if (size != NULL)
			*size = var->type != NULL ? var->type->size : 0;
		return TRUE;
	}
	if (sym != NULL) { /* a label or linker symbol: its address is all there is */
		*address = sym->address;
		if (size != NULL)
			*size = sym->size;
		return TRUE;
	}
	if (strstr(name, "::") != NULL && local != NULL) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%s has no symbol or variable '%s' (is it linked in, and the ELF the one "
		      "built with it?)"),
		    self->name, name);
	return FALSE;
}

gboolean
glint_elf_lookup_address(const char *path, const char *name, guint32 *address, guint32 *size,
			 GError **error)
{
	g_autoptr(GlintDebugInfo) elf = glint_debug_info_load(path, error);
	return elf != NULL && glint_debug_info_lookup_address(elf, name, address, size, error);
}

/* Index of the last symbol starting at or below @address, or -1 */
static gint
symbol_floor(GlintDebugInfo *self, guint32 address)
{
	guint lo = 0, hi = self->symbols->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(self->symbols, GlintSymbol, mid).address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (gint)lo - 1;
}

const GlintSymbol *
glint_debug_info_symbol_at(GlintDebugInfo *self, guint32 address, guint32 *offset)
{
	/* walk down from the floor: the first sized symbol decides (symbols do
	 * not overlap, so one that ends below the address means nothing lower
	 * holds it); an unsized function on the way is the nearest start */
	for (gint i = symbol_floor(self, address); i >= 0; i--) {
		const GlintSymbol *s = &g_array_index(self->symbols, GlintSymbol, i);
		if (s->kind == GLINT_SYMBOL_OTHER)
			continue;
		if (s->size > 0 && address - s->address >= s->size)
			return NULL;
		if (s->size == 0 && s->kind != GLINT_SYMBOL_FUNCTION)
			continue;
		if (offset != NULL)
			*offset = address - s->address;
		return s;
	}
	return NULL;
}

/* Lines ---------------------------------------------------------------------- */

gboolean
glint_debug_info_line_at(GlintDebugInfo *self, guint32 address, const char **file, guint *line,
			 GError **error)
{
	guint lo = 0, hi = self->lines->len;
	const DebugLineRow *row;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(self->lines, DebugLineRow, mid).address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		goto none;
	row = &g_array_index(self->lines, DebugLineRow, lo - 1);
	if (row->end_sequence || row->line == 0)
		goto none;
	if (file != NULL)
		*file = row->file;
	if (line != NULL)
		*line = row->line;
	return TRUE;
none:
	if (self->line_error != NULL && error != NULL)
		*error = g_error_copy(self->line_error);
	return FALSE;
}

static gboolean
file_matches(const char *path, const char *want)
{
	gsize lp = strlen(path), lw = strlen(want);
	if (lw > lp)
		return FALSE;
	/* "faults.c" matches "./faults.c" and "src/faults.c" */
	return strcmp(path + lp - lw, want) == 0 && (lp == lw || path[lp - lw - 1] == '/');
}

gboolean
glint_debug_info_address_of_line(GlintDebugInfo *self, const char *file, guint line,
				 guint32 *address)
{
	for (guint i = 0; i < self->lines->len; i++) {
		const DebugLineRow *row = &g_array_index(self->lines, DebugLineRow, i);
		if (!row->end_sequence && row->line == line && file_matches(row->file, file)) {
			*address = row->address;
			return TRUE;
		}
	}
	return FALSE;
}

gchar *
glint_debug_info_describe_address(GlintDebugInfo *self, guint32 address, gboolean with_offset)
{
	guint32 offset = 0;
	const GlintSymbol *sym = glint_debug_info_symbol_at(self, address, &offset);
	const char *file = NULL;
	guint line = 0;
	GString *s = g_string_new(NULL);

	if (sym != NULL) {
		g_string_append(s, sym->name);
		if (sym->kind == GLINT_SYMBOL_FUNCTION)
			g_string_append(s, "()");
		if (with_offset && offset != 0)
			g_string_append_printf(s, "+0x%x", offset);
	} else {
		g_string_append_printf(s, "0x%08x", address);
	}
	if (glint_debug_info_line_at(self, address, &file, &line, NULL))
		g_string_append_printf(s, _(" at %s:%u"), file, line);
	return g_string_free(s, FALSE);
}

/* Variables ------------------------------------------------------------------ */

const GlintVariable *
glint_debug_info_get_variables(GlintDebugInfo *self, guint *n_variables, GError **error)
{
	*n_variables = self->variables->len;
	if (self->variables->len == 0 && self->info_error != NULL) {
		g_propagate_error(error, g_error_copy(self->info_error));
		return NULL;
	}
	return (const GlintVariable *)(gpointer)self->variables->data;
}

/* Whether @v is what @name asks for: "name", "scope::name" (function or
 * file) */
static gboolean
variable_matches(const GlintVariable *v, const char *name, const char *scope)
{
	if (strcmp(v->name, name) != 0)
		return FALSE;
	if (scope == NULL)
		return TRUE;
	if (v->scope != NULL && strcmp(v->scope, scope) == 0)
		return TRUE;
	return v->file != NULL && file_matches(v->file, scope);
}

static gchar *
variable_spelling(const GlintVariable *v)
{
	if (v->scope != NULL)
		return g_strdup_printf("%s::%s", v->scope, v->name);
	if (!v->external && v->file != NULL)
		return g_strdup_printf("%s::%s", v->file, v->name);
	return g_strdup(v->name);
}

static void
variable_suggest(GlintDebugInfo *self, const char *name, GString *out)
{
	guint n = 0;
	for (guint i = 0; i < self->variables->len && n < SUGGEST_MAX; i++) {
		const GlintVariable *v = &g_array_index(self->variables, GlintVariable, i);
		if (g_ascii_strncasecmp(v->name, name, MIN(strlen(name), 3)) != 0 &&
		    strstr(v->name, name) == NULL)
			continue;
		g_string_append_printf(out, "%s%s", n == 0 ? _("; similar: ") : ", ", v->name);
		n++;
	}
}

const GlintVariable *
glint_debug_info_find_variable(GlintDebugInfo *self, const char *name, GError **error)
{
	g_autofree gchar *scope = NULL;
	const char *bare = name;
	const char *sep = strstr(name, "::");
	g_autoptr(GPtrArray) found = g_ptr_array_new();

	if (sep != NULL) {
		scope = g_strndup(name, sep - name);
		bare = sep + 2;
	}
	for (guint i = 0; i < self->variables->len; i++) {
		const GlintVariable *v = &g_array_index(self->variables, GlintVariable, i);
		if (variable_matches(v, bare, scope))
			g_ptr_array_add(found, (gpointer)v);
	}
	/* a global hides file statics and static locals of the same name */
	if (found->len > 1 && scope == NULL) {
		for (guint i = 0; i < found->len; i++) {
			const GlintVariable *v = g_ptr_array_index(found, i);
			if (v->external && v->scope == NULL)
				return v;
		}
	}
	if (found->len == 1)
		return g_ptr_array_index(found, 0);
	if (found->len > 1) {
		g_autoptr(GString) list = g_string_new(NULL);
		for (guint i = 0; i < found->len; i++) {
			g_autofree gchar *sp = variable_spelling(g_ptr_array_index(found, i));
			g_string_append_printf(list, "%s%s", i ? ", " : "", sp);
		}
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("'%s' is ambiguous in %s: say which with %s"), name, self->name,
			    list->str);
		return NULL;
	}
	{
		g_autoptr(GString) msg = g_string_new(NULL);
		g_string_append_printf(msg, _("%s has no global or static variable '%s'"),
				       self->name, name);
		variable_suggest(self, bare, msg);
		if (self->info_error != NULL)
			g_string_append_printf(msg, _(" (%s)"), self->info_error->message);
		else if (self->variables->len == 0)
			g_string_append(msg, _(" (it has no variables with a fixed address)"));
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, msg->str);
	}
	return NULL;
}
