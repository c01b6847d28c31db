/* debug-private.h: what the parts of the debug-info reader share: the
 * bounded byte reader, the ELF sections, and the loaded file's tables. */
#pragma once

#include "glint-debug-info.h"
#include "glint-error.h"

/* A cursor over one section's bytes. Reading past the end sets @bad and
 * yields zeros; callers check bad once per record. */
typedef struct {
	const guint8 *data;
	gsize len;
	gsize pos;
	gboolean bad;
} DebugReader;

void debug_reader_init(DebugReader *r, const guint8 *data, gsize len, gsize pos);
guint8 debug_read_u8(DebugReader *r);
guint16 debug_read_u16(DebugReader *r);
guint32 debug_read_u32(DebugReader *r);
guint64 debug_read_u64(DebugReader *r);
/* @size 1, 2, 4 or 8 bytes, little endian */
guint64 debug_read_sized(DebugReader *r, guint size);
guint64 debug_read_uleb(DebugReader *r);
gint64 debug_read_sleb(DebugReader *r);
/* A NUL-terminated string inside the section, or NULL (bad set) */
const char *debug_read_cstr(DebugReader *r);
void debug_skip(DebugReader *r, guint64 n);
gboolean debug_reader_at_end(const DebugReader *r);
/* The NUL-terminated string at @offset of @data/@len, or NULL */
const char *debug_string_at(const guint8 *data, gsize len, guint64 offset);

typedef struct {
	const char *name;
	const guint8 *data; /* NULL for SHT_NOBITS */
	gsize size;
	guint32 addr;
	guint32 type;
	guint32 flags;
	guint32 link;
	guint32 entsize;
} DebugSection;

/* One row of the line table */
typedef struct {
	guint32 address;
	guint32 line;
	const char *file; /* interned */
	gboolean end_sequence;
} DebugLineRow;

struct _GlintDebugInfo {
	gint ref_count;
	gchar *name;
	GBytes *bytes;
	GArray *sections; /* DebugSection */
	GPtrArray *warnings;
	GStringChunk *strings;
	/* symbols, sorted by address; by_name: name -> GlintSymbol* */
	GArray *symbols;
	GHashTable *symbols_by_name;
	/* the line table, sorted by address (end rows before rows at the same
	 * address); line_error: why there is none */
	GArray *lines;
	GError *line_error;
	guint line_version;
	/* types (owned GlintType*, members and enumerators in @strings'
	 * neighbours: allocated with the type) and variables */
	GPtrArray *types;
	GArray *variables; /* GlintVariable */
	GError *info_error;
	guint dwarf_version;
};

/* @name's section, or NULL */
const DebugSection *debug_info_section(GlintDebugInfo *self, const char *name);
const char *debug_info_intern(GlintDebugInfo *self, const char *text);
/* Records a warning about @section ("file: section: message") */
void debug_info_warn(GlintDebugInfo *self, const char *section, const char *format, ...)
    G_GNUC_PRINTF(3, 4);
/* A GLINT_ERROR_BAD_IMAGE naming the file and section */
GError *debug_info_section_error(GlintDebugInfo *self, const char *section, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* debug-elf.c */
gboolean debug_elf_parse(GlintDebugInfo *self, GError **error);
void debug_elf_read_symbols(GlintDebugInfo *self);

/* debug-line.c */
void debug_line_parse(GlintDebugInfo *self);

/* debug-dwarf.c */
void debug_dwarf_parse(GlintDebugInfo *self);
void debug_dwarf_free_types(GlintDebugInfo *self);
