/* debug-dwarf.c: DWARF 2 to 5 debug information (.debug_info with
 * .debug_abbrev, .debug_str, .debug_line_str, .debug_str_offsets,
 * .debug_addr) read into the types and fixed addresses of global and static
 * variables.
 *
 * Each unit's header (DWARF 5 7.5.1: 32 or 64-bit, versions 2-4 and 5's
 * unit types), its abbreviation table (7.5.3) and its DIEs with every form
 * of 7.5.6 are decoded; the tree is kept as a flat array with parent, first
 * child and next sibling links, then the DIEs that matter become GlintType
 * and GlintVariable records. Locations are understood when they are one
 * DW_OP_addr or DW_OP_addrx (a static address); anything else (registers,
 * location lists) is a variable without a fixed place, left out. */
#define G_LOG_DOMAIN "glint-debug"

#include "debug-private.h"
#include "glint-i18n.h"

#include <string.h>

/* Tags (7.5.4) */
#define DW_TAG_array_type 0x01
#define DW_TAG_class_type 0x02
#define DW_TAG_enumeration_type 0x04
#define DW_TAG_lexical_block 0x0b
#define DW_TAG_member 0x0d
#define DW_TAG_pointer_type 0x0f
#define DW_TAG_reference_type 0x10
#define DW_TAG_compile_unit 0x11
#define DW_TAG_structure_type 0x13
#define DW_TAG_subroutine_type 0x15
#define DW_TAG_typedef 0x16
#define DW_TAG_union_type 0x17
#define DW_TAG_inlined_subroutine 0x1d
#define DW_TAG_subrange_type 0x21
#define DW_TAG_base_type 0x24
#define DW_TAG_const_type 0x26
#define DW_TAG_enumerator 0x28
#define DW_TAG_subprogram 0x2e
#define DW_TAG_variable 0x34
#define DW_TAG_volatile_type 0x35
#define DW_TAG_restrict_type 0x37
#define DW_TAG_unspecified_type 0x3b
#define DW_TAG_atomic_type 0x47

/* Attributes (7.5.4) */
#define DW_AT_location 0x02
#define DW_AT_name 0x03
#define DW_AT_byte_size 0x0b
#define DW_AT_bit_offset 0x0c
#define DW_AT_bit_size 0x0d
#define DW_AT_const_value 0x1c
#define DW_AT_lower_bound 0x22
#define DW_AT_upper_bound 0x2f
#define DW_AT_abstract_origin 0x31
#define DW_AT_count 0x37
#define DW_AT_data_member_location 0x38
#define DW_AT_declaration 0x3c
#define DW_AT_encoding 0x3e
#define DW_AT_external 0x3f
#define DW_AT_specification 0x47
#define DW_AT_type 0x49
#define DW_AT_data_bit_offset 0x6b
#define DW_AT_str_offsets_base 0x72
#define DW_AT_addr_base 0x73

/* Forms (7.5.6) */
#define DW_FORM_addr 0x01
#define DW_FORM_block2 0x03
#define DW_FORM_block4 0x04
#define DW_FORM_data2 0x05
#define DW_FORM_data4 0x06
#define DW_FORM_data8 0x07
#define DW_FORM_string 0x08
#define DW_FORM_block 0x09
#define DW_FORM_block1 0x0a
#define DW_FORM_data1 0x0b
#define DW_FORM_flag 0x0c
#define DW_FORM_sdata 0x0d
#define DW_FORM_strp 0x0e
#define DW_FORM_udata 0x0f
#define DW_FORM_ref_addr 0x10
#define DW_FORM_ref1 0x11
#define DW_FORM_ref2 0x12
#define DW_FORM_ref4 0x13
#define DW_FORM_ref8 0x14
#define DW_FORM_ref_udata 0x15
#define DW_FORM_indirect 0x16
#define DW_FORM_sec_offset 0x17
#define DW_FORM_exprloc 0x18
#define DW_FORM_flag_present 0x19
#define DW_FORM_strx 0x1a
#define DW_FORM_addrx 0x1b
#define DW_FORM_ref_sup4 0x1c
#define DW_FORM_strp_sup 0x1d
#define DW_FORM_data16 0x1e
#define DW_FORM_line_strp 0x1f
#define DW_FORM_ref_sig8 0x20
#define DW_FORM_implicit_const 0x21
#define DW_FORM_loclistx 0x22
#define DW_FORM_rnglistx 0x23
#define DW_FORM_ref_sup8 0x24
#define DW_FORM_strx1 0x25
#define DW_FORM_strx2 0x26
#define DW_FORM_strx3 0x27
#define DW_FORM_strx4 0x28
#define DW_FORM_addrx1 0x29
#define DW_FORM_addrx2 0x2a
#define DW_FORM_addrx3 0x2b
#define DW_FORM_addrx4 0x2c
#define DW_FORM_GNU_addr_index 0x1f01
#define DW_FORM_GNU_str_index 0x1f02
#define DW_FORM_GNU_ref_alt 0x1f20
#define DW_FORM_GNU_strp_alt 0x1f21

/* Base type encodings (7.8) */
#define DW_ATE_boolean 0x02
#define DW_ATE_float 0x04
#define DW_ATE_signed 0x05
#define DW_ATE_signed_char 0x06
#define DW_ATE_unsigned 0x07
#define DW_ATE_unsigned_char 0x08
#define DW_ATE_UTF 0x10

/* Location operations (7.7.1) */
#define DW_OP_addr 0x03
#define DW_OP_plus_uconst 0x23
#define DW_OP_addrx 0xa1
#define DW_OP_GNU_addr_index 0xfb

/* Unit types of DWARF 5 (7.5.1) */
#define DW_UT_compile 0x01
#define DW_UT_type 0x02
#define DW_UT_partial 0x03
#define DW_UT_skeleton 0x04
#define DW_UT_split_compile 0x05
#define DW_UT_split_type 0x06

#define DWARF64_ESCAPE 0xFFFFFFFFu
/* Chains of typedefs, qualifiers, pointers and arrays deeper than this are
 * a loop in a damaged file */
#define DWARF_MAX_TYPE_DEPTH 64
/* Nested DIEs deeper than this are damage too */
#define DWARF_MAX_DIE_DEPTH 512
/* Array dimensions kept per array type */
#define DWARF_MAX_DIMENSIONS 8

typedef struct {
	guint64 attr;
	guint64 form;
	gint64 implicit;
} AbbrevSpec;

typedef struct {
	guint64 tag;
	gboolean children;
	guint first_spec; /* index into DwarfCtx.specs */
	guint n_specs;
} Abbrev;

/* A DIE as far as types and variables need it */
typedef struct {
	guint64 offset;
	guint32 tag;
	gint parent; /* indices into the DIE array, -1: none */
	gint first_child;
	gint next_sibling;
	guint unit; /* index into DwarfCtx.units */
	const char *name;
	guint64 type;	       /* absolute .debug_info offset, 0: none */
	guint64 specification; /* also abstract_origin */
	guint64 byte_size;
	guint64 encoding;
	gint64 upper_bound;
	gint64 lower_bound; /* 0 in C */
	guint64 count;
	guint64 member_location;
	guint64 bit_size;
	guint64 bit_offset;	 /* DWARF 2/3, from the storage unit's MSB */
	guint64 data_bit_offset; /* DWARF 4+, from the start of the struct */
	gint64 const_value;
	guint64 location;
	guint has_byte_size : 1;
	guint has_upper_bound : 1;
	guint has_count : 1;
	guint has_member_location : 1;
	guint has_bit_offset : 1;
	guint has_data_bit_offset : 1;
	guint has_const_value : 1;
	guint has_location : 1;
	guint declaration : 1;
	guint external : 1;
} Die;

typedef struct {
	guint64 offset; /* of the unit header */
	guint version;
	guint address_size;
	guint offset_size;
	guint64 str_offsets_base;
	guint64 addr_base;
	const char *name; /* the compilation unit's DW_AT_name */
} DwarfUnit;

typedef struct {
	GlintDebugInfo *self;
	const DebugSection *info;
	const DebugSection *abbrev;
	const DebugSection *str;
	const DebugSection *line_str;
	const DebugSection *str_offsets;
	const DebugSection *addr;
	GArray *specs;	       /* AbbrevSpec */
	GHashTable *abbrevs;   /* abbrev table offset -> GHashTable(code -> Abbrev*) */
	GPtrArray *abbrev_mem; /* owned Abbrev* */
	GArray *dies;	       /* Die */
	GArray *units;	       /* DwarfUnit */
	GHashTable *by_offset; /* DIE offset -> index + 1 */
	GHashTable *types;     /* DIE offset -> GlintType* */
} DwarfCtx;

/* One attribute value, by class */
typedef struct {
	guint64 u;
	gint64 s;
	gboolean is_signed;
	gboolean is_ref;	/* u is an absolute offset in .debug_info */
	gboolean is_block;	/* block/exprloc: data/len */
	gboolean is_const;	/* a constant (data, sdata, udata, implicit) */
	gboolean is_str_index;	/* u is an index into .debug_str_offsets */
	gboolean is_addr_index; /* u is an index into .debug_addr */
	const guint8 *data;
	gsize len;
	const char *str;
} AttrValue;

/* Abbreviations --------------------------------------------------------- */

static GHashTable *
dwarf_abbrev_table(DwarfCtx *ctx, guint64 offset, const char **why)
{
	GHashTable *table = g_hash_table_lookup(ctx->abbrevs, GSIZE_TO_POINTER((gsize)offset));
	DebugReader r;

	if (table != NULL)
		return table;
	if (ctx->abbrev == NULL || ctx->abbrev->data == NULL) {
		*why = _("the .debug_abbrev section is missing");
		return NULL;
	}
	if (offset >= ctx->abbrev->size) {
		*why = _("its abbreviation table offset lies past the end of .debug_abbrev");
		return NULL;
	}
	table = g_hash_table_new(g_direct_hash, g_direct_equal);
	debug_reader_init(&r, ctx->abbrev->data, ctx->abbrev->size, (gsize)offset);
	for (;;) {
		Abbrev *a;
		guint64 code = debug_read_uleb(&r);
		if (r.bad || code == 0)
			break;
		a = g_new0(Abbrev, 1);
		g_ptr_array_add(ctx->abbrev_mem, a);
		a->tag = debug_read_uleb(&r);
		a->children = debug_read_u8(&r) != 0;
		a->first_spec = ctx->specs->len;
		for (;;) {
			AbbrevSpec spec = {0};
			spec.attr = debug_read_uleb(&r);
			spec.form = debug_read_uleb(&r);
			if (r.bad || (spec.attr == 0 && spec.form == 0))
				break;
			if (spec.form == DW_FORM_implicit_const)
				spec.implicit = debug_read_sleb(&r);
			g_array_append_val(ctx->specs, spec);
			a->n_specs++;
		}
		if (code <= G_MAXUINT32)
			g_hash_table_insert(table, GSIZE_TO_POINTER((gsize)code), a);
	}
	if (r.bad) {
		g_hash_table_unref(table);
		*why = _("its abbreviation table runs past the end of .debug_abbrev");
		return NULL;
	}
	g_hash_table_insert(ctx->abbrevs, GSIZE_TO_POINTER((gsize)offset), table);
	return table;
}

/* Attribute values ------------------------------------------------------ */

static const char *
dwarf_str_at(const DebugSection *s, guint64 offset)
{
	return s != NULL ? debug_string_at(s->data, s->size, offset) : NULL;
}

static void
dwarf_block(DebugReader *r, guint64 len, AttrValue *v)
{
	v->is_block = TRUE;
	if (r->bad || len > r->len - r->pos) {
		r->bad = TRUE;
		return;
	}
	v->data = r->data + r->pos;
	v->len = (gsize)len;
	r->pos += (gsize)len;
}

static void
dwarf_const(AttrValue *v, guint64 u)
{
	v->is_const = TRUE;
	v->u = u;
	v->s = (gint64)u;
}

/* Reads one value of @form; FALSE for a form nobody defined */
static gboolean
dwarf_read_form(DwarfCtx *ctx, const DwarfUnit *unit, DebugReader *r, guint64 form, gint64 implicit,
		AttrValue *v, guint indirections)
{
	guint64 off;
	memset(v, 0, sizeof(*v));
	switch (form) {
	case DW_FORM_addr:
		dwarf_const(v, debug_read_sized(r, unit->address_size));
		return TRUE;
	case DW_FORM_block2:
		dwarf_block(r, debug_read_u16(r), v);
		return TRUE;
	case DW_FORM_block4:
		dwarf_block(r, debug_read_u32(r), v);
		return TRUE;
	case DW_FORM_block:
	case DW_FORM_exprloc:
		dwarf_block(r, debug_read_uleb(r), v);
		return TRUE;
	case DW_FORM_block1:
		dwarf_block(r, debug_read_u8(r), v);
		return TRUE;
	case DW_FORM_data1:
	case DW_FORM_flag:
		dwarf_const(v, debug_read_u8(r));
		return TRUE;
	case DW_FORM_data2:
		dwarf_const(v, debug_read_u16(r));
		return TRUE;
	case DW_FORM_data4:
		dwarf_const(v, debug_read_u32(r));
		return TRUE;
	case DW_FORM_data8:
	case DW_FORM_ref_sig8:
		dwarf_const(v, debug_read_u64(r));
		return TRUE;
	case DW_FORM_data16:
		debug_skip(r, 16);
		return TRUE;
	case DW_FORM_sdata:
		v->is_const = TRUE;
		v->is_signed = TRUE;
		v->s = debug_read_sleb(r);
		v->u = (guint64)v->s;
		return TRUE;
	case DW_FORM_udata:
		dwarf_const(v, debug_read_uleb(r));
		return TRUE;
	case DW_FORM_implicit_const:
		v->is_const = TRUE;
		v->is_signed = TRUE;
		v->s = implicit;
		v->u = (guint64)implicit;
		return TRUE;
	case DW_FORM_flag_present:
		dwarf_const(v, 1);
		return TRUE;
	case DW_FORM_string:
		v->str = debug_read_cstr(r);
		return TRUE;
	case DW_FORM_strp:
		v->str = dwarf_str_at(ctx->str, debug_read_sized(r, unit->offset_size));
		return TRUE;
	case DW_FORM_line_strp:
		v->str = dwarf_str_at(ctx->line_str, debug_read_sized(r, unit->offset_size));
		return TRUE;
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_strp_alt:
	case DW_FORM_sec_offset:
	case DW_FORM_ref_sup4:
		/* strings and references into supplementary files are not read */
		(void)debug_read_sized(r, form == DW_FORM_ref_sup4 ? 4 : unit->offset_size);
		return TRUE;
	case DW_FORM_ref_sup8:
		(void)debug_read_u64(r);
		return TRUE;
	case DW_FORM_GNU_ref_alt:
		(void)debug_read_sized(r, unit->offset_size);
		return TRUE;
	case DW_FORM_strx:
	case DW_FORM_GNU_str_index:
		v->is_str_index = TRUE;
		v->u = debug_read_uleb(r);
		return TRUE;
	case DW_FORM_strx1:
	case DW_FORM_strx2:
	case DW_FORM_strx3:
	case DW_FORM_strx4:
		v->is_str_index = TRUE;
		v->u = debug_read_sized(r, (guint)(form - DW_FORM_strx1 + 1));
		return TRUE;
	case DW_FORM_addrx:
	case DW_FORM_GNU_addr_index:
		v->is_addr_index = TRUE;
		v->u = debug_read_uleb(r);
		return TRUE;
	case DW_FORM_addrx1:
	case DW_FORM_addrx2:
	case DW_FORM_addrx3:
	case DW_FORM_addrx4:
		v->is_addr_index = TRUE;
		v->u = debug_read_sized(r, (guint)(form - DW_FORM_addrx1 + 1));
		return TRUE;
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
		(void)debug_read_uleb(r);
		return TRUE;
	case DW_FORM_ref1:
	case DW_FORM_ref2:
	case DW_FORM_ref4:
	case DW_FORM_ref8:
		off = debug_read_sized(r, form == DW_FORM_ref1	 ? 1
					  : form == DW_FORM_ref2 ? 2
					  : form == DW_FORM_ref4 ? 4
								 : 8);
		v->is_ref = TRUE;
		v->u = unit->offset + off;
		return TRUE;
	case DW_FORM_ref_udata:
		v->is_ref = TRUE;
		v->u = unit->offset + debug_read_uleb(r);
		return TRUE;
	case DW_FORM_ref_addr:
		/* DWARF 2 sized it as an address, later versions as an offset */
		v->is_ref = TRUE;
		v->u = debug_read_sized(r, unit->version <= 2 ? unit->address_size
							      : unit->offset_size);
		return TRUE;
	case DW_FORM_indirect:
		if (indirections > 0)
			return FALSE;
		return dwarf_read_form(ctx, unit, r, debug_read_uleb(r), implicit, v, 1);
	default:
		return FALSE;
	}
}

static guint64
dwarf_index_entry(const DebugSection *s, guint64 base, guint64 index, guint size, gboolean *ok)
{
	DebugReader r;
	*ok = FALSE;
	if (s == NULL || s->data == NULL || index > (G_MAXUINT64 - base) / size)
		return 0;
	debug_reader_init(&r, s->data, s->size, 0);
	debug_skip(&r, base + index * size);
	{
		guint64 v = debug_read_sized(&r, size);
		*ok = !r.bad;
		return v;
	}
}

static const char *
dwarf_attr_string(DwarfCtx *ctx, const DwarfUnit *unit, const AttrValue *v)
{
	gboolean ok;
	guint64 off;
	if (!v->is_str_index)
		return v->str;
	off = dwarf_index_entry(ctx->str_offsets, unit->str_offsets_base, v->u, unit->offset_size,
				&ok);
	return ok ? dwarf_str_at(ctx->str, off) : NULL;
}

/* A location that is one static address (7.7.1) */
static gboolean
dwarf_static_location(DwarfCtx *ctx, const DwarfUnit *unit, const AttrValue *v, guint64 *addr)
{
	DebugReader r;
	guint8 op;
	gboolean ok = TRUE;
	if (!v->is_block || v->data == NULL || v->len == 0)
		return FALSE;
	debug_reader_init(&r, v->data, v->len, 0);
	op = debug_read_u8(&r);
	if (op == DW_OP_addr) {
		*addr = debug_read_sized(&r, unit->address_size);
	} else if (op == DW_OP_addrx || op == DW_OP_GNU_addr_index) {
		*addr = dwarf_index_entry(ctx->addr, unit->addr_base, debug_read_uleb(&r),
					  unit->address_size, &ok);
	} else {
		return FALSE;
	}
	/* "address + constant" (a member of a static struct) */
	if (!r.bad && r.pos < r.len && r.data[r.pos] == DW_OP_plus_uconst) {
		r.pos++;
		*addr += debug_read_uleb(&r);
	}
	return ok && !r.bad && r.pos == r.len;
}

static void
dwarf_apply_attr(DwarfCtx *ctx, const DwarfUnit *unit, Die *die, guint64 attr, const AttrValue *v)
{
	switch (attr) {
	case DW_AT_name: {
		const char *s = dwarf_attr_string(ctx, unit, v);
		if (s != NULL)
			die->name = debug_info_intern(ctx->self, s);
		break;
	}
	case DW_AT_type:
		if (v->is_ref)
			die->type = v->u;
		break;
	case DW_AT_specification:
	case DW_AT_abstract_origin:
		if (v->is_ref)
			die->specification = v->u;
		break;
	case DW_AT_byte_size:
		if (v->is_const) {
			die->byte_size = v->u;
			die->has_byte_size = TRUE;
		}
		break;
	case DW_AT_encoding:
		die->encoding = v->u;
		break;
	case DW_AT_upper_bound:
		if (v->is_const) {
			die->upper_bound = v->s;
			die->has_upper_bound = TRUE;
		}
		break;
	case DW_AT_lower_bound:
		if (v->is_const)
			die->lower_bound = v->s;
		break;
	case DW_AT_count:
		if (v->is_const) {
			die->count = v->u;
			die->has_count = TRUE;
		}
		break;
	case DW_AT_data_member_location:
		if (v->is_const) {
			die->member_location = v->u;
			die->has_member_location = TRUE;
		} else if (v->is_block && v->len >= 1 && v->data[0] == DW_OP_plus_uconst) {
			/* DWARF 2/3: an expression adding the offset */
			DebugReader r;
			debug_reader_init(&r, v->data, v->len, 1);
			die->member_location = debug_read_uleb(&r);
			die->has_member_location = !r.bad;
		}
		break;
	case DW_AT_bit_size:
		if (v->is_const)
			die->bit_size = v->u;
		break;
	case DW_AT_bit_offset:
		if (v->is_const) {
			die->bit_offset = v->u;
			die->has_bit_offset = TRUE;
		}
		break;
	case DW_AT_data_bit_offset:
		if (v->is_const) {
			die->data_bit_offset = v->u;
			die->has_data_bit_offset = TRUE;
		}
		break;
	case DW_AT_const_value:
		if (v->is_const) {
			die->const_value = v->s;
			die->has_const_value = TRUE;
		}
		break;
	case DW_AT_location:
		die->has_location = dwarf_static_location(ctx, unit, v, &die->location);
		break;
	case DW_AT_declaration:
		die->declaration = v->u != 0;
		break;
	case DW_AT_external:
		die->external = v->u != 0;
		break;
	default:
		break;
	}
}

/* The tree ----------------------------------------------------------------- */

/* The bases a unit's own DIE gives (DWARF 5 strx/addrx), read before the
 * DIE's other attributes are interpreted */
static gboolean
dwarf_unit_bases(DwarfCtx *ctx, DwarfUnit *unit, DebugReader r, const Abbrev *a)
{
	for (guint i = 0; i < a->n_specs; i++) {
		const AbbrevSpec *spec = &g_array_index(ctx->specs, AbbrevSpec, a->first_spec + i);
		AttrValue v;
		if (!dwarf_read_form(ctx, unit, &r, spec->form, spec->implicit, &v, 0) || r.bad)
			return FALSE;
		if (spec->attr == DW_AT_str_offsets_base)
			unit->str_offsets_base = v.u;
		else if (spec->attr == DW_AT_addr_base)
			unit->addr_base = v.u;
	}
	return TRUE;
}

/* Reads the DIEs of one unit from @r (up to @end); FALSE with @why */
static gboolean
dwarf_read_dies(DwarfCtx *ctx, guint unit_index, GHashTable *abbrevs, DebugReader *r, gsize end,
		const char **why)
{
	DwarfUnit *unit = &g_array_index(ctx->units, DwarfUnit, unit_index);
	gint stack[DWARF_MAX_DIE_DEPTH];
	gint last_child[DWARF_MAX_DIE_DEPTH];
	guint depth = 0;
	gboolean first = TRUE;

	while (r->pos < end) {
		Die die = {0};
		gint index;
		gsize at = r->pos;
		guint64 code = debug_read_uleb(r);
		const Abbrev *a;

		if (r->bad)
			break;
		if (code == 0) {
			/* end of a list of children */
			if (depth > 0)
				depth--;
			continue;
		}
		a = code <= G_MAXUINT32
			? g_hash_table_lookup(abbrevs, GSIZE_TO_POINTER((gsize)code))
			: NULL;
		if (a == NULL) {
			*why = _("a DIE uses an abbreviation code its table does not define");
			return FALSE;
		}
		if (first) {
			/* the unit's own DIE: its string and address bases first */
			if (!dwarf_unit_bases(ctx, unit, *r, a)) {
				*why = _("the unit's DIE is damaged");
				return FALSE;
			}
			first = FALSE;
		}
		die.offset = at;
		die.tag = (guint32)MIN(a->tag, G_MAXUINT32);
		die.unit = unit_index;
		die.parent = depth > 0 ? stack[depth - 1] : -1;
		die.first_child = -1;
		die.next_sibling = -1;
		for (guint i = 0; i < a->n_specs; i++) {
			const AbbrevSpec *spec =
			    &g_array_index(ctx->specs, AbbrevSpec, a->first_spec + i);
			AttrValue v;
			if (!dwarf_read_form(ctx, unit, r, spec->form, spec->implicit, &v, 0)) {
				*why = _("a DIE uses an attribute form DWARF does not define");
				return FALSE;
			}
			if (r->bad)
				break;
			dwarf_apply_attr(ctx, unit, &die, spec->attr, &v);
		}
		if (r->bad || r->pos > end)
			break;
		index = (gint)ctx->dies->len;
		g_array_append_val(ctx->dies, die);
		g_hash_table_insert(ctx->by_offset, GSIZE_TO_POINTER((gsize)at),
				    GINT_TO_POINTER(index + 1));
		if (depth > 0) {
			Die *parent = &g_array_index(ctx->dies, Die, stack[depth - 1]);
			if (last_child[depth - 1] < 0)
				parent->first_child = index;
			else
				g_array_index(ctx->dies, Die, last_child[depth - 1]).next_sibling =
				    index;
			last_child[depth - 1] = index;
		}
		if (die.tag == DW_TAG_compile_unit && die.parent < 0 && die.name != NULL)
			unit->name = die.name;
		if (a->children) {
			if (depth >= DWARF_MAX_DIE_DEPTH) {
				*why = _("its DIEs nest deeper than any program's");
				return FALSE;
			}
			stack[depth] = index;
			last_child[depth] = -1;
			depth++;
		}
	}
	if (r->bad || r->pos > end) {
		*why = _("a DIE runs past the end of its unit");
		return FALSE;
	}
	return TRUE;
}

/* One unit at @r->pos. FALSE with @why on damage; r->pos is then the next
 * unit's start, or the end when the length itself is damaged. */
static gboolean
dwarf_read_unit(DwarfCtx *ctx, DebugReader *r, const char **why)
{
	DwarfUnit unit = {.offset = r->pos, .offset_size = 4};
	guint64 length, abbrev_offset;
	guint unit_type = DW_UT_compile;
	gsize end;
	GHashTable *abbrevs;
	gboolean ok;

	length = debug_read_u32(r);
	if (length == DWARF64_ESCAPE) {
		unit.offset_size = 8;
		length = debug_read_u64(r);
	}
	if (r->bad || length > r->len - r->pos) {
		*why = _("its length runs past the end of the section (truncated?)");
		r->pos = r->len;
		return FALSE;
	}
	end = r->pos + (gsize)length;
	unit.version = debug_read_u16(r);
	if (unit.version < 2 || unit.version > 5) {
		*why = _("unknown DWARF version (Glint reads 2 to 5)");
		r->bad = FALSE;
		r->pos = end;
		return FALSE;
	}
	if (unit.version >= 5) {
		unit_type = debug_read_u8(r);
		unit.address_size = debug_read_u8(r);
		abbrev_offset = debug_read_sized(r, unit.offset_size);
		if (unit_type == DW_UT_skeleton || unit_type == DW_UT_split_compile)
			(void)debug_read_u64(r); /* dwo_id */
		else if (unit_type == DW_UT_type || unit_type == DW_UT_split_type)
			debug_skip(r, 8 + unit.offset_size); /* signature, type offset */
	} else {
		abbrev_offset = debug_read_sized(r, unit.offset_size);
		unit.address_size = debug_read_u8(r);
	}
	if (ctx->self->dwarf_version == 0)
		ctx->self->dwarf_version = unit.version;
	if (r->bad || r->pos > end ||
	    (unit.address_size != 2 && unit.address_size != 4 && unit.address_size != 8)) {
		*why = _("its header is damaged (address size or length)");
		r->bad = FALSE;
		r->pos = end;
		return FALSE;
	}
	abbrevs = dwarf_abbrev_table(ctx, abbrev_offset, why);
	if (abbrevs == NULL) {
		r->pos = end;
		return FALSE;
	}
	g_array_append_val(ctx->units, unit);
	ok = dwarf_read_dies(ctx, ctx->units->len - 1, abbrevs, r, end, why);
	r->bad = FALSE;
	r->pos = end;
	return ok;
}

/* Types --------------------------------------------------------------------- */

static Die *
dwarf_die(DwarfCtx *ctx, guint64 offset)
{
	gint index =
	    GPOINTER_TO_INT(g_hash_table_lookup(ctx->by_offset, GSIZE_TO_POINTER((gsize)offset)));
	return index > 0 ? &g_array_index(ctx->dies, Die, index - 1) : NULL;
}

static GlintType *
dwarf_new_type(DwarfCtx *ctx, GlintTypeKind kind)
{
	GlintType *t = g_new0(GlintType, 1);
	t->kind = kind;
	g_ptr_array_add(ctx->self->types, t);
	return t;
}

static const GlintType *
dwarf_void(DwarfCtx *ctx)
{
	static const char *const void_key = "void";
	GlintType *t = g_hash_table_lookup(ctx->types, void_key);
	if (t == NULL) {
		t = dwarf_new_type(ctx, GLINT_TYPE_VOID);
		t->name = "void";
		g_hash_table_insert(ctx->types, (gpointer)void_key, t);
	}
	return t;
}

static const GlintType *dwarf_type_at(DwarfCtx *ctx, guint64 offset, guint depth);

static void
dwarf_fill_base(GlintType *t, const Die *die)
{
	switch (die->encoding) {
	case DW_ATE_boolean:
		t->kind = GLINT_TYPE_BOOL;
		break;
	case DW_ATE_float:
		t->kind = GLINT_TYPE_FLOAT;
		t->is_signed = TRUE;
		break;
	case DW_ATE_signed:
	case DW_ATE_signed_char:
		t->kind = GLINT_TYPE_SIGNED;
		t->is_signed = TRUE;
		break;
	default:
		/* unsigned, unsigned_char, UTF, address */
		t->kind = GLINT_TYPE_UNSIGNED;
		break;
	}
	/* plain char is its own type in C, signed or not by the ABI (unsigned
	 * on ARM: AAPCS 8.1) */
	if (die->name != NULL && strcmp(die->name, "char") == 0 &&
	    (die->encoding == DW_ATE_signed_char || die->encoding == DW_ATE_unsigned_char))
		t->kind = GLINT_TYPE_CHAR;
	if (t->kind == GLINT_TYPE_FLOAT && t->size != 4 && t->size != 8)
		t->kind = GLINT_TYPE_UNSIGNED; /* half and long double: shown as bits */
}

static guint
dwarf_count_children(DwarfCtx *ctx, const Die *die, guint32 tag)
{
	guint n = 0;
	for (gint c = die->first_child; c >= 0; c = g_array_index(ctx->dies, Die, c).next_sibling) {
		if (g_array_index(ctx->dies, Die, c).tag == tag)
			n++;
	}
	return n;
}

static void
dwarf_fill_members(DwarfCtx *ctx, GlintType *t, const Die *die, guint depth)
{
	guint n = dwarf_count_children(ctx, die, DW_TAG_member);
	guint i = 0;
	t->members = n > 0 ? g_new0(GlintTypeMember, n) : NULL;
	for (gint c = die->first_child; c >= 0 && i < n;
	     c = g_array_index(ctx->dies, Die, c).next_sibling) {
		const Die *m = &g_array_index(ctx->dies, Die, c);
		GlintTypeMember *member;
		if (m->tag != DW_TAG_member)
			continue;
		member = &t->members[i++];
		member->name = m->name;
		member->type = dwarf_type_at(ctx, m->type, depth + 1);
		member->offset = (guint32)MIN(m->member_location, G_MAXUINT32);
		if (m->bit_size > 0 && m->bit_size <= 64) {
			member->bit_size = (guint)m->bit_size;
			if (m->has_data_bit_offset) {
				/* DWARF 4+: bits from the start of the struct */
				member->offset = (guint32)MIN(m->data_bit_offset / 8, G_MAXUINT32);
				member->bit_position = (guint)(m->data_bit_offset % 8);
			} else if (m->has_bit_offset) {
				/* DWARF 2/3: from the most significant bit of a
				 * storage unit of byte_size (little endian here) */
				guint64 unit_bits =
				    8 * (m->has_byte_size ? m->byte_size
							  : glint_type_strip(member->type)->size);
				if (m->bit_offset + m->bit_size <= unit_bits)
					member->bit_position =
					    (guint)(unit_bits - m->bit_offset - m->bit_size);
			}
		}
	}
	t->n_members = i;
}

static void
dwarf_fill_enum(DwarfCtx *ctx, GlintType *t, const Die *die, guint depth)
{
	guint n = dwarf_count_children(ctx, die, DW_TAG_enumerator);
	guint i = 0;
	t->enumerators = n > 0 ? g_new0(GlintEnumerator, n) : NULL;
	if (die->type != 0)
		t->target = dwarf_type_at(ctx, die->type, depth + 1);
	t->is_signed = t->target != NULL && glint_type_strip(t->target)->is_signed;
	for (gint c = die->first_child; c >= 0 && i < n;
	     c = g_array_index(ctx->dies, Die, c).next_sibling) {
		const Die *e = &g_array_index(ctx->dies, Die, c);
		if (e->tag != DW_TAG_enumerator)
			continue;
		t->enumerators[i].name = e->name != NULL ? e->name : "?";
		t->enumerators[i].value = e->const_value;
		if (e->const_value < 0)
			t->is_signed = TRUE;
		i++;
	}
	t->n_enumerators = i;
}

/* An array: one node per dimension, the outer one for @die */
static void
dwarf_fill_array(DwarfCtx *ctx, GlintType *t, const Die *die, guint depth)
{
	guint32 counts[DWARF_MAX_DIMENSIONS];
	guint n_dims = 0;
	const GlintType *element = dwarf_type_at(ctx, die->type, depth + 1);
	GlintType *node = t;

	for (gint c = die->first_child; c >= 0 && n_dims < DWARF_MAX_DIMENSIONS;
	     c = g_array_index(ctx->dies, Die, c).next_sibling) {
		const Die *s = &g_array_index(ctx->dies, Die, c);
		guint64 count = 0;
		if (s->tag != DW_TAG_subrange_type)
			continue;
		if (s->has_count)
			count = s->count;
		else if (s->has_upper_bound && s->upper_bound >= s->lower_bound)
			count = (guint64)(s->upper_bound - s->lower_bound) + 1;
		counts[n_dims++] = (guint32)MIN(count, G_MAXUINT32);
	}
	if (n_dims == 0)
		counts[n_dims++] = 0; /* int x[] */
	/* outermost first: int16_t[2][3] is 2 arrays of int16_t[3] */
	for (guint d = 0; d < n_dims; d++) {
		node->kind = GLINT_TYPE_ARRAY;
		node->n_elements = counts[d];
		if (d + 1 < n_dims) {
			GlintType *inner = dwarf_new_type(ctx, GLINT_TYPE_ARRAY);
			node->target = inner;
			node = inner;
		} else {
			node->target = element;
		}
	}
	/* sizes from the inside out */
	for (guint d = n_dims; d-- > 0;) {
		GlintType *at = t;
		for (guint k = 0; k < d; k++)
			at = (GlintType *)at->target;
		at->size = (guint32)MIN(
		    (guint64)at->n_elements * glint_type_strip(at->target)->size, G_MAXUINT32);
	}
}

static const GlintType *
dwarf_type_at(DwarfCtx *ctx, guint64 offset, guint depth)
{
	GlintType *t;
	Die *die;

	if (offset == 0 || depth > DWARF_MAX_TYPE_DEPTH)
		return dwarf_void(ctx);
	t = g_hash_table_lookup(ctx->types, GSIZE_TO_POINTER((gsize)offset));
	if (t != NULL)
		return t;
	die = dwarf_die(ctx, offset);
	if (die == NULL)
		return dwarf_void(ctx);
	t = dwarf_new_type(ctx, GLINT_TYPE_VOID);
	/* in the cache before its parts: a struct may point to itself */
	g_hash_table_insert(ctx->types, GSIZE_TO_POINTER((gsize)offset), t);
	t->name = die->name;
	t->size = (guint32)MIN(die->byte_size, G_MAXUINT32);
	switch (die->tag) {
	case DW_TAG_base_type:
		dwarf_fill_base(t, die);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
		t->kind = GLINT_TYPE_POINTER;
		if (!die->has_byte_size)
			t->size = g_array_index(ctx->units, DwarfUnit, die->unit).address_size;
		t->target = dwarf_type_at(ctx, die->type, depth + 1);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
		t->kind = die->tag == DW_TAG_union_type ? GLINT_TYPE_UNION : GLINT_TYPE_STRUCT;
		dwarf_fill_members(ctx, t, die, depth);
		break;
	case DW_TAG_enumeration_type:
		t->kind = GLINT_TYPE_ENUM;
		dwarf_fill_enum(ctx, t, die, depth);
		break;
	case DW_TAG_array_type:
		dwarf_fill_array(ctx, t, die, depth);
		break;
	case DW_TAG_typedef:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		t->kind = die->tag == DW_TAG_typedef	     ? GLINT_TYPE_TYPEDEF
			  : die->tag == DW_TAG_const_type    ? GLINT_TYPE_CONST
			  : die->tag == DW_TAG_volatile_type ? GLINT_TYPE_VOLATILE
							     : GLINT_TYPE_TYPEDEF;
		if (die->tag == DW_TAG_restrict_type || die->tag == DW_TAG_atomic_type)
			t->name = NULL; /* shown as what they qualify */
		t->target = dwarf_type_at(ctx, die->type, depth + 1);
		t->size = glint_type_strip(t->target)->size;
		break;
	case DW_TAG_subroutine_type:
		t->kind = GLINT_TYPE_FUNCTION;
		break;
	default:
		/* unspecified_type and anything else: void */
		t->kind = GLINT_TYPE_VOID;
		if (t->name == NULL)
			t->name = "void";
		break;
	}
	return t;
}

/* Variables ----------------------------------------------------------------- */

/* The DIE's own attribute, else the one it completes (specification,
 * abstract origin), a few links deep */
static const Die *
dwarf_origin(DwarfCtx *ctx, const Die *die)
{
	for (guint i = 0; i < 8 && die->specification != 0; i++) {
		const Die *next = dwarf_die(ctx, die->specification);
		if (next == NULL || next == die)
			break;
		die = next;
	}
	return die;
}

static const char *
dwarf_die_name(DwarfCtx *ctx, const Die *die)
{
	for (guint i = 0; i < 8 && die != NULL; i++) {
		if (die->name != NULL)
			return die->name;
		die = die->specification != 0 ? dwarf_die(ctx, die->specification) : NULL;
	}
	return NULL;
}

static guint64
dwarf_die_type(DwarfCtx *ctx, const Die *die)
{
	for (guint i = 0; i < 8 && die != NULL; i++) {
		if (die->type != 0)
			return die->type;
		die = die->specification != 0 ? dwarf_die(ctx, die->specification) : NULL;
	}
	return 0;
}

/* The function a static local belongs to, or NULL at file scope */
static const char *
dwarf_scope(DwarfCtx *ctx, const Die *die)
{
	for (gint p = die->parent; p >= 0; p = g_array_index(ctx->dies, Die, p).parent) {
		const Die *parent = &g_array_index(ctx->dies, Die, p);
		if (parent->tag == DW_TAG_subprogram)
			return dwarf_die_name(ctx, parent);
		if (parent->tag == DW_TAG_compile_unit)
			return NULL;
	}
	return NULL;
}

static void
dwarf_collect_variables(DwarfCtx *ctx)
{
	for (guint i = 0; i < ctx->dies->len; i++) {
		const Die *die = &g_array_index(ctx->dies, Die, i);
		const DwarfUnit *unit;
		GlintVariable v = {0};
		if (die->tag != DW_TAG_variable || !die->has_location || die->declaration)
			continue;
		/* locals in registers or on the stack have no DW_OP_addr */
		v.name = dwarf_die_name(ctx, die);
		if (v.name == NULL)
			continue;
		unit = &g_array_index(ctx->units, DwarfUnit, die->unit);
		v.address = (guint32)die->location;
		v.type = dwarf_type_at(ctx, dwarf_die_type(ctx, die), 0);
		v.scope = dwarf_scope(ctx, die);
		v.file = unit->name;
		v.external = die->external || dwarf_origin(ctx, die)->external;
		g_array_append_val(ctx->self->variables, v);
	}
}

void
debug_dwarf_parse(GlintDebugInfo *self)
{
	DwarfCtx ctx = {.self = self};
	DebugReader r;
	gchar *first_damage = NULL;

	ctx.info = debug_info_section(self, ".debug_info");
	if (ctx.info == NULL || ctx.info->data == NULL || ctx.info->size == 0) {
		self->info_error = debug_info_section_error(
		    self, ".debug_info",
		    _("missing: variables and their types are unknown (build with -g, and do "
		      "not strip the ELF)"));
		return;
	}
	ctx.abbrev = debug_info_section(self, ".debug_abbrev");
	ctx.str = debug_info_section(self, ".debug_str");
	ctx.line_str = debug_info_section(self, ".debug_line_str");
	ctx.str_offsets = debug_info_section(self, ".debug_str_offsets");
	ctx.addr = debug_info_section(self, ".debug_addr");
	ctx.specs = g_array_new(FALSE, FALSE, sizeof(AbbrevSpec));
	ctx.abbrevs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					    (GDestroyNotify)g_hash_table_unref);
	ctx.abbrev_mem = g_ptr_array_new_with_free_func(g_free);
	ctx.dies = g_array_new(FALSE, FALSE, sizeof(Die));
	ctx.units = g_array_new(FALSE, FALSE, sizeof(DwarfUnit));
	ctx.by_offset = g_hash_table_new(g_direct_hash, g_direct_equal);
	ctx.types = g_hash_table_new(g_direct_hash, g_direct_equal);

	debug_reader_init(&r, ctx.info->data, ctx.info->size, 0);
	while (!debug_reader_at_end(&r)) {
		const char *why = NULL;
		gsize at = r.pos;
		if (!dwarf_read_unit(&ctx, &r, &why)) {
			g_autofree gchar *msg =
			    g_strdup_printf(_("the unit at offset 0x%zx is unusable: %s"), at, why);
			debug_info_warn(self, ".debug_info", "%s", msg);
			if (first_damage == NULL)
				first_damage = g_steal_pointer(&msg);
		}
		if (r.pos <= at)
			break;
	}
	dwarf_collect_variables(&ctx);
	if (first_damage != NULL)
		self->info_error =
		    debug_info_section_error(self, ".debug_info", "%s", first_damage);
	g_free(first_damage);

	g_array_unref(ctx.specs);
	g_hash_table_unref(ctx.abbrevs);
	g_ptr_array_unref(ctx.abbrev_mem);
	g_array_unref(ctx.dies);
	g_array_unref(ctx.units);
	g_hash_table_unref(ctx.by_offset);
	g_hash_table_unref(ctx.types);
}

void
debug_dwarf_free_types(GlintDebugInfo *self)
{
	for (guint i = 0; i < self->types->len; i++) {
		GlintType *t = g_ptr_array_index(self->types, i);
		g_free(t->members);
		g_free(t->enumerators);
		g_free(t);
	}
	g_ptr_array_set_size(self->types, 0);
}
