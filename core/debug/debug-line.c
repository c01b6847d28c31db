/* debug-line.c: the DWARF line table (.debug_line), versions 2 to 5
 * (DWARF 5 6.2: the line number program, its header, the state machine's
 * standard, extended and special opcodes). Every line program of the section
 * is run and its rows kept, sorted by address, so that an address finds the
 * row at or below it inside a sequence. arm-none-eabi-gcc 12 (binutils 2.40)
 * writes version 3 line programs under version 5 debug info; an assembler
 * run with --gdwarf-5 writes version 5 ones (directory and file tables
 * described by entry formats, names in .debug_line_str). */
#define G_LOG_DOMAIN "glint-debug"

#include "debug-private.h"
#include "glint-i18n.h"

#include <string.h>

/* Standard opcodes (DWARF 5 6.2.5.2) */
#define DW_LNS_copy 1
#define DW_LNS_advance_pc 2
#define DW_LNS_advance_line 3
#define DW_LNS_set_file 4
#define DW_LNS_set_column 5
#define DW_LNS_negate_stmt 6
#define DW_LNS_set_basic_block 7
#define DW_LNS_const_add_pc 8
#define DW_LNS_fixed_advance_pc 9
#define DW_LNS_set_prologue_end 10
#define DW_LNS_set_epilogue_begin 11
#define DW_LNS_set_isa 12
/* Extended opcodes (6.2.5.3) */
#define DW_LNE_end_sequence 1
#define DW_LNE_set_address 2
#define DW_LNE_define_file 3
#define DW_LNE_set_discriminator 4
/* Entry formats of version 5 headers (6.2.4.1) */
#define DW_LNCT_path 1
#define DW_LNCT_directory_index 2
/* Forms a version 5 header may use (7.5.6) */
#define DW_FORM_block 0x09
#define DW_FORM_block1 0x0a
#define DW_FORM_block2 0x03
#define DW_FORM_block4 0x04
#define DW_FORM_data1 0x0b
#define DW_FORM_data2 0x05
#define DW_FORM_data4 0x06
#define DW_FORM_data8 0x07
#define DW_FORM_data16 0x1e
#define DW_FORM_string 0x08
#define DW_FORM_strp 0x0e
#define DW_FORM_line_strp 0x1f
#define DW_FORM_udata 0x0f
#define DW_FORM_sdata 0x0d

#define DWARF64_ESCAPE 0xFFFFFFFFu
/* Entry formats a version 5 header may list (there are five content types) */
#define LINE_MAX_FORMATS 16

typedef struct {
	GlintDebugInfo *self;
	guint version;
	guint offset_size;
	guint8 min_insn_length;
	guint8 line_range;
	gint8 line_base;
	guint8 opcode_base;
	const guint8 *opcode_lengths;
	GPtrArray *dirs;  /* const char* */
	GPtrArray *files; /* interned paths */
	gsize unit_offset;
} LineUnit;

typedef struct {
	guint64 content;
	guint64 form;
} LineFormat;

/* A path as the table names it: with its directory, unless that is the
 * compilation's own (0) or the name is absolute */
static const char *
line_file_path(LineUnit *u, const char *name, guint64 dir)
{
	const char *d;
	g_autofree gchar *joined = NULL;
	if (name == NULL)
		return debug_info_intern(u->self, "?");
	if (name[0] == '/' || dir == 0 || dir >= u->dirs->len)
		return debug_info_intern(u->self, name);
	d = g_ptr_array_index(u->dirs, dir);
	joined = g_build_filename(d, name, NULL);
	return debug_info_intern(u->self, joined);
}

/* Versions 2-4: strings ending with an empty one */
static gboolean
line_read_v4_tables(LineUnit *u, DebugReader *r)
{
	g_ptr_array_add(u->dirs, (gpointer) "");
	for (;;) {
		const char *d = debug_read_cstr(r);
		if (d == NULL)
			return FALSE;
		if (d[0] == '\0')
			break;
		g_ptr_array_add(u->dirs, (gpointer)d);
	}
	/* file numbers start at 1 */
	g_ptr_array_add(u->files, (gpointer) "?");
	for (;;) {
		const char *name = debug_read_cstr(r);
		guint64 dir;
		if (name == NULL)
			return FALSE;
		if (name[0] == '\0')
			break;
		dir = debug_read_uleb(r);
		(void)debug_read_uleb(r); /* modification time */
		(void)debug_read_uleb(r); /* length */
		if (r->bad)
			return FALSE;
		g_ptr_array_add(u->files, (gpointer)line_file_path(u, name, dir));
	}
	return TRUE;
}

/* One version 5 attribute value: a string or a number */
static gboolean
line_read_form(LineUnit *u, DebugReader *r, guint64 form, const char **text, guint64 *number)
{
	const DebugSection *s;
	guint64 off;
	*text = NULL;
	*number = 0;
	switch (form) {
	case DW_FORM_string:
		*text = debug_read_cstr(r);
		break;
	case DW_FORM_line_strp:
	case DW_FORM_strp:
		off = debug_read_sized(r, u->offset_size);
		s = debug_info_section(u->self,
				       form == DW_FORM_strp ? ".debug_str" : ".debug_line_str");
		*text = s != NULL ? debug_string_at(s->data, s->size, off) : NULL;
		if (*text == NULL)
			*text = "?";
		break;
	case DW_FORM_udata:
		*number = debug_read_uleb(r);
		break;
	case DW_FORM_sdata:
		*number = (guint64)debug_read_sleb(r);
		break;
	case DW_FORM_data1:
		*number = debug_read_u8(r);
		break;
	case DW_FORM_data2:
		*number = debug_read_u16(r);
		break;
	case DW_FORM_data4:
		*number = debug_read_u32(r);
		break;
	case DW_FORM_data8:
		*number = debug_read_u64(r);
		break;
	case DW_FORM_data16:
		debug_skip(r, 16);
		break;
	case DW_FORM_block:
		debug_skip(r, debug_read_uleb(r));
		break;
	case DW_FORM_block1:
		debug_skip(r, debug_read_u8(r));
		break;
	case DW_FORM_block2:
		debug_skip(r, debug_read_u16(r));
		break;
	case DW_FORM_block4:
		debug_skip(r, debug_read_u32(r));
		break;
	default:
		return FALSE;
	}
	return !r->bad;
}

/* Version 5: a table described by its entry formats */
static gboolean
line_read_v5_table(LineUnit *u, DebugReader *r, gboolean files)
{
	LineFormat formats[LINE_MAX_FORMATS];
	guint n_formats = debug_read_u8(r);
	guint64 count;
	if (n_formats > LINE_MAX_FORMATS)
		return FALSE;
	for (guint i = 0; i < n_formats; i++) {
		formats[i].content = debug_read_uleb(r);
		formats[i].form = debug_read_uleb(r);
	}
	count = debug_read_uleb(r);
	/* every entry takes at least a byte: a larger count is damage */
	if (r->bad || (count > 0 && n_formats == 0) || count > r->len - r->pos)
		return FALSE;
	for (guint64 e = 0; e < count; e++) {
		const char *path = NULL;
		guint64 dir = 0;
		for (guint i = 0; i < n_formats; i++) {
			const char *text;
			guint64 number;
			if (!line_read_form(u, r, formats[i].form, &text, &number))
				return FALSE;
			if (formats[i].content == DW_LNCT_path)
				path = text;
			else if (formats[i].content == DW_LNCT_directory_index)
				dir = number;
		}
		if (files)
			g_ptr_array_add(u->files, (gpointer)line_file_path(u, path, dir));
		else
			g_ptr_array_add(u->dirs, (gpointer)(path != NULL ? path : ""));
	}
	return TRUE;
}

static void
line_emit(LineUnit *u, guint32 address, gint64 line, guint64 file, gboolean end)
{
	DebugLineRow row = {
	    .address = address,
	    .line = line > 0 && line <= G_MAXUINT32 ? (guint32)line : 0,
	    .file = file < u->files->len ? g_ptr_array_index(u->files, file) : "?",
	    .end_sequence = end,
	};
	g_array_append_val(u->self->lines, row);
}

/* Runs the state machine over [r->pos, end) */
static gboolean
line_run_program(LineUnit *u, DebugReader *r, gsize end)
{
	guint32 address = 0;
	gint64 line = 1;
	guint64 file = 1;
	/* a sequence's rows are kept only once it ends well */
	guint sequence_start = u->self->lines->len;

	while (r->pos < end && !r->bad) {
		guint8 op = debug_read_u8(r);
		if (op >= u->opcode_base) {
			guint adjusted = op - u->opcode_base;
			address += (adjusted / u->line_range) * u->min_insn_length;
			line += u->line_base + (gint)(adjusted % u->line_range);
			line_emit(u, address, line, file, FALSE);
			continue;
		}
		switch (op) {
		case 0: {
			guint64 len = debug_read_uleb(r);
			gsize next;
			guint8 sub;
			if (r->bad || len == 0 || len > end - r->pos)
				return FALSE;
			next = r->pos + (gsize)len;
			sub = debug_read_u8(r);
			if (sub == DW_LNE_end_sequence) {
				line_emit(u, address, line, file, TRUE);
				sequence_start = u->self->lines->len;
				address = 0;
				line = 1;
				file = 1;
			} else if (sub == DW_LNE_set_address) {
				address = (guint32)debug_read_sized(r, MIN(len - 1, 8));
			} else if (sub == DW_LNE_define_file) {
				const char *name = debug_read_cstr(r);
				guint64 dir = debug_read_uleb(r);
				if (name != NULL)
					g_ptr_array_add(u->files,
							(gpointer)line_file_path(u, name, dir));
			}
			/* set_discriminator and vendor opcodes: skipped */
			r->pos = next;
			break;
		}
		case DW_LNS_copy:
			line_emit(u, address, line, file, FALSE);
			break;
		case DW_LNS_advance_pc:
			address += (guint32)debug_read_uleb(r) * u->min_insn_length;
			break;
		case DW_LNS_advance_line:
			line += debug_read_sleb(r);
			break;
		case DW_LNS_set_file:
			file = debug_read_uleb(r);
			break;
		case DW_LNS_const_add_pc:
			address += ((255u - u->opcode_base) / u->line_range) * u->min_insn_length;
			break;
		case DW_LNS_fixed_advance_pc:
			address += debug_read_u16(r);
			break;
		case DW_LNS_set_column:
		case DW_LNS_set_isa:
			(void)debug_read_uleb(r);
			break;
		case DW_LNS_negate_stmt:
		case DW_LNS_set_basic_block:
		case DW_LNS_set_prologue_end:
		case DW_LNS_set_epilogue_begin:
			break;
		default:
			/* an opcode of a later version: skip its operands */
			for (guint i = 0; i < u->opcode_lengths[op - 1]; i++)
				(void)debug_read_uleb(r);
			break;
		}
	}
	/* rows after the last end_sequence have no end: dropped */
	g_array_set_size(u->self->lines, sequence_start);
	return !r->bad && r->pos == end;
}

/* One unit at @r->pos; FALSE with @why on damage */
static gboolean
line_parse_unit(GlintDebugInfo *self, DebugReader *r, const char **why)
{
	LineUnit u = {.self = self, .unit_offset = r->pos};
	guint64 unit_length, header_length;
	gsize unit_end, program;
	gboolean ok = FALSE;

	u.offset_size = 4;
	unit_length = debug_read_u32(r);
	if (unit_length == DWARF64_ESCAPE) {
		u.offset_size = 8;
		unit_length = debug_read_u64(r);
	}
	if (r->bad || unit_length > r->len - r->pos) {
		*why = _("its length runs past the end of the section");
		r->pos = r->len; /* nothing after it can be found */
		return FALSE;
	}
	unit_end = r->pos + (gsize)unit_length;
	u.version = debug_read_u16(r);
	if (u.version < 2 || u.version > 5) {
		*why = _("unknown line table version (Glint reads 2 to 5)");
		r->bad = FALSE;
		r->pos = unit_end;
		return FALSE;
	}
	if (self->line_version == 0)
		self->line_version = u.version;
	if (u.version >= 5) {
		(void)debug_read_u8(r); /* address size */
		(void)debug_read_u8(r); /* segment selector size */
	}
	header_length = debug_read_sized(r, u.offset_size);
	if (r->bad || header_length > unit_end - r->pos) {
		*why = _("its header runs past the unit");
		r->bad = FALSE;
		r->pos = unit_end;
		return FALSE;
	}
	program = r->pos + (gsize)header_length;
	u.min_insn_length = debug_read_u8(r);
	if (u.version >= 4)
		(void)debug_read_u8(r); /* maximum operations per instruction: VLIW only */
	(void)debug_read_u8(r);		/* default_is_stmt */
	u.line_base = (gint8)debug_read_u8(r);
	u.line_range = debug_read_u8(r);
	u.opcode_base = debug_read_u8(r);
	if (r->bad || u.line_range == 0 || u.opcode_base == 0 ||
	    u.opcode_base - 1u > program - r->pos) {
		*why = _("its header is inconsistent (line_range 0 or opcode table cut)");
		r->bad = FALSE;
		r->pos = unit_end;
		return FALSE;
	}
	u.opcode_lengths = r->data + r->pos;
	debug_skip(r, u.opcode_base - 1u);
	u.dirs = g_ptr_array_new();
	u.files = g_ptr_array_new();
	if (u.version >= 5)
		ok = line_read_v5_table(&u, r, FALSE) && line_read_v5_table(&u, r, TRUE);
	else
		ok = line_read_v4_tables(&u, r);
	if (!ok || r->pos > program) {
		*why = _("its directory or file table is damaged");
		ok = FALSE;
	} else {
		r->pos = program;
		ok = line_run_program(&u, r, unit_end);
		if (!ok)
			*why = _("its line program is damaged or cut short");
	}
	g_ptr_array_unref(u.dirs);
	g_ptr_array_unref(u.files);
	r->bad = FALSE;
	r->pos = unit_end;
	return ok;
}

static gint
line_row_compare(gconstpointer a, gconstpointer b)
{
	const DebugLineRow *x = a, *y = b;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	/* a sequence ending where the next starts: its end row first */
	return (gint)y->end_sequence - (gint)x->end_sequence;
}

void
debug_line_parse(GlintDebugInfo *self)
{
	const DebugSection *s = debug_info_section(self, ".debug_line");
	DebugReader r;

	if (s == NULL || s->data == NULL || s->size == 0) {
		self->line_error = debug_info_section_error(
		    self, ".debug_line",
		    _("missing: there are no source lines (build with -g, and do not strip the "
		      "ELF)"));
		return;
	}
	debug_reader_init(&r, s->data, s->size, 0);
	while (!debug_reader_at_end(&r)) {
		const char *why = NULL;
		gsize at = r.pos;
		if (!line_parse_unit(self, &r, &why)) {
			g_clear_error(&self->line_error);
			self->line_error = debug_info_section_error(
			    self, ".debug_line",
			    _("the line program at offset 0x%zx is unusable: %s"), at, why);
			g_ptr_array_add(self->warnings, g_strdup(self->line_error->message));
		}
		if (r.pos <= at)
			break;
	}
	/* g_array_sort is stable (merge sort): rows at one address keep their
	 * order, so the last one wins */
	g_array_sort(self->lines, line_row_compare);
}
