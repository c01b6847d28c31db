/* glint-debug-info.h: what a firmware's ELF file says about its code and
 * data, read by Glint's own parser (no libelf or libdwarf).
 *
 * Owns: the ELF32 symbol table (a name's address, an address's function and
 * offset), the DWARF line table (an address's file and line; DWARF 2 to 5
 * line programs, as arm-none-eabi-gcc 12 emits them: version 5 debug info
 * with a version 3 line table, or version 5 line tables from an assembler
 * that makes them), and the DWARF types and locations of global and static
 * variables (base types of every size, enums, pointers, arrays, structs and
 * unions with member offsets and bit fields, typedefs, const and volatile),
 * and the formatting of a value of such a type.
 *
 * The file is trusted for nothing: every offset and length is checked. A
 * file that is not a usable ELF fails to load with an error naming the file
 * and the part that is wrong. Damage inside one DWARF section costs only what
 * that section gives: the symbols still work, and a question the damaged
 * section should answer fails with an error naming the file, the section and
 * the offset. A loaded GlintDebugInfo never changes, so several threads may
 * query one (hold a reference each). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Beyond this an ELF file is refused before it is read. */
#define GLINT_DEBUG_INFO_MAX_FILE (512u * 1024u * 1024u)

typedef struct _GlintDebugInfo GlintDebugInfo;

/* Loads @path (a regular file, at most GLINT_DEBUG_INFO_MAX_FILE bytes).
 * Errors: GLINT_ERROR_IO (missing, unreadable), GLINT_ERROR_INVALID_ARGUMENT
 * (not a regular file), GLINT_ERROR_BAD_IMAGE (not an ELF32 little-endian
 * file, a broken section table). */
GlintDebugInfo *glint_debug_info_load(const char *path, GError **error);
/* The same from bytes already in memory; @name is the file's name for
 * messages. */
GlintDebugInfo *glint_debug_info_new_from_bytes(GBytes *bytes, const char *name, GError **error);
GlintDebugInfo *glint_debug_info_ref(GlintDebugInfo *self);
void glint_debug_info_unref(GlintDebugInfo *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintDebugInfo, glint_debug_info_unref)

/* The name it was loaded under. */
const char *glint_debug_info_get_name(GlintDebugInfo *self);
/* What was damaged or missing and therefore is not known (one line each,
 * naming the section): empty for a healthy file with debug info. */
const GPtrArray *glint_debug_info_get_warnings(GlintDebugInfo *self);
/* The DWARF version of the first unit of .debug_info and of the first line
 * program (0 when absent). */
guint glint_debug_info_get_dwarf_version(GlintDebugInfo *self);
guint glint_debug_info_get_line_version(GlintDebugInfo *self);

/* Symbols --------------------------------------------------------------- */

typedef enum {
	GLINT_SYMBOL_FUNCTION,
	GLINT_SYMBOL_OBJECT,
	GLINT_SYMBOL_OTHER, /* labels, linker symbols (STT_NOTYPE) */
} GlintSymbolKind;

typedef struct {
	const char *name;
	guint32 address; /* a function's first instruction (the Thumb bit cleared) */
	guint32 size;	 /* 0 when the symbol table does not say */
	GlintSymbolKind kind;
	gboolean global;
} GlintSymbol;

/* The symbol called @name (a global one wins over a local one), or NULL. */
const GlintSymbol *glint_debug_info_find_symbol(GlintDebugInfo *self, const char *name);
/* The function or object holding @address (within its size; else the
 * nearest function starting below it, when it has no size), or NULL;
 * @offset (may be NULL) gets @address minus its start. */
const GlintSymbol *glint_debug_info_symbol_at(GlintDebugInfo *self, guint32 address,
					      guint32 *offset);

/* The address and size (may be NULL; 0 when unknown) of the function or
 * object called @name, for a module that needs one place in the firmware
 * (RTT's control block "_SEGGER_RTT", a buffer to watch): the symbol table
 * first (a function's address without the Thumb bit), then the DWARF
 * variables (a static local as "main::calls"). GLINT_ERROR_INVALID_ARGUMENT
 * naming the file and @name when neither has it. */
gboolean glint_debug_info_lookup_address(GlintDebugInfo *self, const char *name, guint32 *address,
					 guint32 *size, GError **error);
/* The same from the ELF file @path, loaded for this one question (errors of
 * glint_debug_info_load() too). */
gboolean glint_elf_lookup_address(const char *path, const char *name, guint32 *address,
				  guint32 *size, GError **error);

/* Lines ----------------------------------------------------------------- */

/* The source line that @address belongs to: its file (as the line table
 * names it, with its directory when that is not the compilation's own) and
 * line. FALSE when the line table does not cover @address; GLINT_ERROR_BAD_IMAGE
 * in @error (may be NULL) when .debug_line was damaged or is missing. */
gboolean glint_debug_info_line_at(GlintDebugInfo *self, guint32 address, const char **file,
				  guint *line, GError **error);
/* The lowest address whose line-table row is @file:@line (@file compared by
 * its last path components), for tests and "break at"; FALSE if none. */
gboolean glint_debug_info_address_of_line(GlintDebugInfo *self, const char *file, guint line,
					  guint32 *address);

/* "main() at faults.c:42", "take_fault()+0x6 at faults.c:40" when not at
 * the function's start is wanted (@with_offset), "0x40000000" when nothing
 * is known. */
gchar *glint_debug_info_describe_address(GlintDebugInfo *self, guint32 address,
					 gboolean with_offset);

/* Types ----------------------------------------------------------------- */

typedef enum {
	GLINT_TYPE_VOID,
	GLINT_TYPE_BOOL,
	GLINT_TYPE_SIGNED,   /* integers, including signed char */
	GLINT_TYPE_UNSIGNED, /* including unsigned char */
	GLINT_TYPE_CHAR,     /* plain char (its signedness in is_signed) */
	GLINT_TYPE_FLOAT,    /* 4 or 8 bytes (IEEE 754) */
	GLINT_TYPE_ENUM,
	GLINT_TYPE_POINTER,
	GLINT_TYPE_ARRAY,
	GLINT_TYPE_STRUCT,
	GLINT_TYPE_UNION,
	GLINT_TYPE_FUNCTION,
	GLINT_TYPE_TYPEDEF,  /* name, target */
	GLINT_TYPE_CONST,    /* target */
	GLINT_TYPE_VOLATILE, /* target */
} GlintTypeKind;

typedef struct _GlintType GlintType;

typedef struct {
	const char *name; /* NULL for an anonymous member */
	const GlintType *type;
	guint32 offset;	    /* bytes from the start of the struct */
	guint bit_size;	    /* 0: not a bit field */
	guint bit_position; /* bit fields: the first bit, counted from bit 0 of the
			       little-endian storage unit at offset */
} GlintTypeMember;

typedef struct {
	const char *name;
	gint64 value;
} GlintEnumerator;

struct _GlintType {
	GlintTypeKind kind;
	const char *name; /* "uint32_t", "state" (of struct state); NULL if unnamed */
	guint32 size;	  /* bytes; arrays: the whole array */
	gboolean is_signed;
	const GlintType *target; /* pointer target, array element, typedef, qualifier, enum base */
	guint32 n_elements;	 /* arrays: elements of the first dimension (0: unknown) */
	GlintTypeMember *members;
	guint n_members;
	GlintEnumerator *enumerators;
	guint n_enumerators;
};

/* @type without typedefs, const and volatile (never NULL for a non-NULL
 * @type: a loop of typedefs in a damaged file ends at void). */
const GlintType *glint_type_strip(const GlintType *type);
/* C spelling: "volatile struct state", "const uint16_t[4]",
 * "int16_t[2][3]", "const volatile struct point *". */
gchar *glint_type_describe(const GlintType *type);
/* The member called @name of a struct or union (typedefs and qualifiers
 * stripped), or NULL; an anonymous member's own members are searched too,
 * with @offset (may be NULL) adding the offsets on the way. */
const GlintTypeMember *glint_type_find_member(const GlintType *type, const char *name,
					      guint32 *offset);
/* Whether a value of @type is one number (integers, bool, char, enums,
 * floats, pointers): what a plot can show. */
gboolean glint_type_is_scalar(const GlintType *type);

/* The value of @type held in @bytes (@len >= type size), little endian:
 * numbers in decimal ("-8", "200", "1.5", "true", "71 'G'"), enums by
 * name ("MODE_RUN", or the number when none matches), pointers in hex,
 * arrays and structs in braces: "{count = 4, where = {x = -3, y = 4}}".
 * char arrays also as text: "\"watch\"". Never fails; bytes that do not
 * fit say so ("<3 bytes missing>"). */
gchar *glint_type_format_value(const GlintType *type, const guint8 *bytes, gsize len);
/* A bit field's value (@bit_size 1-64 bits from @bit_position of the bytes),
 * sign-extended when @is_signed. */
guint64 glint_type_extract_bits(const guint8 *bytes, gsize len, guint bit_position, guint bit_size,
				gboolean is_signed);
/* A scalar's value as a double (for plots); FALSE for non-scalars. */
gboolean glint_type_value_as_double(const GlintType *type, const guint8 *bytes, gsize len,
				    gdouble *value);

/* Variables ------------------------------------------------------------- */

typedef struct {
	const char *name;
	const char *scope; /* the function of a static local ("main"), or NULL */
	const char *file;  /* the compilation unit's source ("watch.c") */
	guint32 address;
	const GlintType *type;
	gboolean external; /* visible to other units (not static) */
} GlintVariable;

/* Every global and static variable with a fixed address, in the order of
 * .debug_info; GLINT_ERROR_BAD_IMAGE when .debug_info is damaged or absent
 * (the message says which and how to get it: build with -g). */
const GlintVariable *glint_debug_info_get_variables(GlintDebugInfo *self, guint *n_variables,
						    GError **error);
/* A variable by name: "counter", a static local as "main::calls", a
 * file's static as "watch.c::file_static" (needed only when the bare name is
 * ambiguous). Errors name the choices when ambiguous and suggest close names
 * when there is none (GLINT_ERROR_INVALID_ARGUMENT). */
const GlintVariable *glint_debug_info_find_variable(GlintDebugInfo *self, const char *name,
						    GError **error);

G_END_DECLS
