/* debug-type.c: what a GlintType is in C words, and a value of it in text. */
#define G_LOG_DOMAIN "glint-debug"

#include "debug-private.h"
#include "glint-i18n.h"

#include <string.h>

/* Typedef and qualifier chains longer than this are a loop */
#define TYPE_MAX_DEPTH 64
/* Array elements printed before "..." */
#define FORMAT_MAX_ELEMENTS 64
/* Nesting printed before "{...}" */
#define FORMAT_MAX_DEPTH 8

static const GlintType type_void = {.kind = GLINT_TYPE_VOID, .name = "void"};

const GlintType *
glint_type_strip(const GlintType *type)
{
	for (guint i = 0; type != NULL && i < TYPE_MAX_DEPTH; i++) {
		if (type->kind != GLINT_TYPE_TYPEDEF && type->kind != GLINT_TYPE_CONST &&
		    type->kind != GLINT_TYPE_VOLATILE)
			return type;
		type = type->target;
	}
	return &type_void;
}

gboolean
glint_type_is_scalar(const GlintType *type)
{
	switch (glint_type_strip(type)->kind) {
	case GLINT_TYPE_BOOL:
	case GLINT_TYPE_SIGNED:
	case GLINT_TYPE_UNSIGNED:
	case GLINT_TYPE_CHAR:
	case GLINT_TYPE_FLOAT:
	case GLINT_TYPE_ENUM:
	case GLINT_TYPE_POINTER:
		return TRUE;
	default:
		return FALSE;
	}
}

static void type_describe_to(GString *s, const GlintType *type, guint depth);

/* Whether the innermost element of @array is qualified by @qualifier */
static gboolean
type_element_has(const GlintType *array, GlintTypeKind qualifier)
{
	const GlintType *t = array;
	for (guint i = 0; t != NULL && t->kind == GLINT_TYPE_ARRAY && i < TYPE_MAX_DEPTH; i++)
		t = t->target;
	for (guint i = 0; t != NULL && i < TYPE_MAX_DEPTH; i++) {
		if (t->kind == qualifier)
			return TRUE;
		if (t->kind != GLINT_TYPE_CONST && t->kind != GLINT_TYPE_VOLATILE)
			return FALSE;
		t = t->target;
	}
	return FALSE;
}

/* "uint16_t" for the innermost element and "[2][3]" for the dimensions */
static void
type_describe_array(GString *s, const GlintType *type, guint depth)
{
	g_autoptr(GString) dims = g_string_new(NULL);
	const GlintType *t = type;
	for (guint i = 0; t != NULL && t->kind == GLINT_TYPE_ARRAY && i < TYPE_MAX_DEPTH; i++) {
		if (t->n_elements > 0)
			g_string_append_printf(dims, "[%u]", t->n_elements);
		else
			g_string_append(dims, "[]");
		t = t->target;
	}
	type_describe_to(s, t, depth + 1);
	g_string_append(s, dims->str);
}

static void
type_describe_to(GString *s, const GlintType *type, guint depth)
{
	if (type == NULL || depth > TYPE_MAX_DEPTH) {
		g_string_append(s, "void");
		return;
	}
	switch (type->kind) {
	case GLINT_TYPE_CONST:
	case GLINT_TYPE_VOLATILE: {
		const char *q = type->kind == GLINT_TYPE_CONST ? "const" : "volatile";
		/* a qualified array is an array of qualified elements, which
		 * GCC also says on the elements */
		if (type->target != NULL && type->target->kind == GLINT_TYPE_ARRAY &&
		    type_element_has(type->target, type->kind)) {
			type_describe_to(s, type->target, depth + 1);
			return;
		}
		/* a qualified pointer is spelled after the star */
		if (type->target != NULL && type->target->kind == GLINT_TYPE_POINTER) {
			type_describe_to(s, type->target, depth + 1);
			g_string_append_printf(s, " %s", q);
		} else {
			g_string_append_printf(s, "%s ", q);
			type_describe_to(s, type->target, depth + 1);
		}
		return;
	}
	case GLINT_TYPE_POINTER:
		type_describe_to(s, type->target, depth + 1);
		g_string_append(s, s->len > 0 && s->str[s->len - 1] == '*' ? "*" : " *");
		return;
	case GLINT_TYPE_ARRAY:
		type_describe_array(s, type, depth);
		return;
	case GLINT_TYPE_STRUCT:
	case GLINT_TYPE_UNION:
	case GLINT_TYPE_ENUM:
		g_string_append(s, type->kind == GLINT_TYPE_STRUCT  ? "struct "
				   : type->kind == GLINT_TYPE_UNION ? "union "
								    : "enum ");
		g_string_append(s, type->name != NULL ? type->name : "{...}");
		return;
	case GLINT_TYPE_FUNCTION:
		g_string_append(s, "function");
		return;
	case GLINT_TYPE_TYPEDEF:
		if (type->name == NULL) {
			type_describe_to(s, type->target, depth + 1);
			return;
		}
		break;
	default:
		break;
	}
	g_string_append(s, type->name != NULL ? type->name : "?");
}

gchar *
glint_type_describe(const GlintType *type)
{
	GString *s = g_string_new(NULL);
	type_describe_to(s, type, 0);
	return g_string_free(s, FALSE);
}

const GlintTypeMember *
glint_type_find_member(const GlintType *type, const char *name, guint32 *offset)
{
	const GlintType *t = glint_type_strip(type);
	if (t->kind != GLINT_TYPE_STRUCT && t->kind != GLINT_TYPE_UNION)
		return NULL;
	for (guint i = 0; i < t->n_members; i++) {
		const GlintTypeMember *m = &t->members[i];
		if (m->name != NULL && strcmp(m->name, name) == 0) {
			if (offset != NULL)
				*offset += m->offset;
			return m;
		}
	}
	/* members of anonymous structs and unions are the parent's */
	for (guint i = 0; i < t->n_members; i++) {
		const GlintTypeMember *m = &t->members[i];
		guint32 inner = 0;
		const GlintTypeMember *found;
		if (m->name != NULL || m->type == t)
			continue;
		found = glint_type_find_member(m->type, name, &inner);
		if (found != NULL) {
			if (offset != NULL)
				*offset += m->offset + inner;
			return found;
		}
	}
	return NULL;
}

guint64
glint_type_extract_bits(const guint8 *bytes, gsize len, guint bit_position, guint bit_size,
			gboolean is_signed)
{
	guint64 v = 0;
	if (bit_size == 0 || bit_size > 64)
		return 0;
	for (guint i = 0; i < bit_size; i++) {
		guint bit = bit_position + i;
		if (bit / 8 < len && (bytes[bit / 8] >> (bit % 8)) & 1)
			v |= G_GUINT64_CONSTANT(1) << i;
	}
	if (is_signed && bit_size < 64 && (v >> (bit_size - 1)) & 1)
		v |= ~G_GUINT64_CONSTANT(0) << bit_size;
	return v;
}

static guint64
type_read_le(const guint8 *bytes, guint size)
{
	guint64 v = 0;
	for (guint i = 0; i < size && i < 8; i++)
		v |= (guint64)bytes[i] << (8 * i);
	return v;
}

/* An integer of @size bytes, sign-extended when @is_signed */
static guint64
type_read_int(const guint8 *bytes, guint size, gboolean is_signed)
{
	guint64 v = type_read_le(bytes, size);
	if (is_signed && size > 0 && size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~G_GUINT64_CONSTANT(0) << (8 * size);
	return v;
}

/* The shortest text that reads back as the same value */
static void
format_double(GString *s, gdouble v, gboolean single)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
	for (guint digits = single ? 6 : 15; digits <= (single ? 9u : 17u); digits++) {
		gchar format[8];
		g_snprintf(format, sizeof(format), "%%.%ug", digits);
		g_ascii_formatd(buf, sizeof(buf), format, v);
		if (single ? (gfloat)g_ascii_strtod(buf, NULL) == (gfloat)v
			   : g_ascii_strtod(buf, NULL) == v)
			break;
	}
	g_string_append(s, buf);
}

static void
format_char(GString *s, guint64 v)
{
	guint8 c = (guint8)v;
	g_string_append_printf(s, "%u '", c);
	if (c == '\'' || c == '\\')
		g_string_append_printf(s, "\\%c", c);
	else if (c >= 0x20 && c < 0x7F)
		g_string_append_c(s, (gchar)c);
	else if (c == 0)
		g_string_append(s, "\\0");
	else if (c == '\n')
		g_string_append(s, "\\n");
	else
		g_string_append_printf(s, "\\x%02x", c);
	g_string_append_c(s, '\'');
}

static void
format_integer(GString *s, guint64 v, gboolean is_signed)
{
	if (is_signed)
		g_string_append_printf(s, "%" G_GINT64_FORMAT, (gint64)v);
	else
		g_string_append_printf(s, "%" G_GUINT64_FORMAT, v);
}

static void
format_enum(GString *s, const GlintType *t, guint64 v)
{
	for (guint i = 0; i < t->n_enumerators; i++) {
		if ((guint64)t->enumerators[i].value == v) {
			g_string_append(s, t->enumerators[i].name);
			return;
		}
	}
	format_integer(s, v, t->is_signed);
}

/* A char array holding text: shown as a string */
static gboolean
format_text(GString *s, const GlintType *element, const guint8 *bytes, gsize n)
{
	const GlintType *e = glint_type_strip(element);
	gsize len = 0;
	if (e->kind != GLINT_TYPE_CHAR || e->size != 1)
		return FALSE;
	while (len < n && bytes[len] != 0) {
		if (bytes[len] < 0x20 || bytes[len] >= 0x7F)
			return FALSE;
		len++;
	}
	g_string_append_c(s, '"');
	for (gsize i = 0; i < len; i++) {
		if (bytes[i] == '"' || bytes[i] == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, (gchar)bytes[i]);
	}
	g_string_append_c(s, '"');
	return TRUE;
}

static void format_value_to(GString *s, const GlintType *type, const guint8 *bytes, gsize len,
			    guint depth);

static void
format_scalar(GString *s, const GlintType *t, const guint8 *bytes)
{
	guint64 v = type_read_int(bytes, t->size, t->is_signed);
	switch (t->kind) {
	case GLINT_TYPE_BOOL:
		if (v <= 1)
			g_string_append(s, v ? "true" : "false");
		else
			format_integer(s, v, FALSE);
		break;
	case GLINT_TYPE_CHAR:
		format_char(s, v);
		break;
	case GLINT_TYPE_FLOAT:
		if (t->size == 4) {
			guint32 w = (guint32)v;
			gfloat f;
			memcpy(&f, &w, sizeof(f));
			format_double(s, f, TRUE);
		} else {
			gdouble d;
			memcpy(&d, &v, sizeof(d));
			format_double(s, d, FALSE);
		}
		break;
	case GLINT_TYPE_ENUM:
		format_enum(s, t, v);
		break;
	case GLINT_TYPE_POINTER:
		g_string_append_printf(s, "0x%08" G_GINT64_MODIFIER "x", v);
		break;
	default:
		format_integer(s, v, t->is_signed);
		break;
	}
}

static void
format_array(GString *s, const GlintType *t, const guint8 *bytes, gsize len, guint depth)
{
	guint32 esize = glint_type_strip(t->target)->size;
	if (format_text(s, t->target, bytes, MIN(len, t->n_elements)))
		return;
	g_string_append_c(s, '{');
	for (guint32 i = 0; i < t->n_elements; i++) {
		if (i > 0)
			g_string_append(s, ", ");
		if (i >= FORMAT_MAX_ELEMENTS) {
			g_string_append(s, "...");
			break;
		}
		if ((guint64)(i + 1) * esize > len) {
			g_string_append(s, _("<missing>"));
			break;
		}
		format_value_to(s, t->target, bytes + (gsize)i * esize, esize, depth + 1);
	}
	g_string_append_c(s, '}');
}

static void
format_member(GString *s, const GlintTypeMember *m, const guint8 *bytes, gsize len, guint depth)
{
	const GlintType *mt = glint_type_strip(m->type);
	if (m->bit_size > 0) {
		gsize avail = m->offset < len ? len - m->offset : 0;
		guint64 v = glint_type_extract_bits(bytes + MIN(m->offset, len), avail,
						    m->bit_position, m->bit_size, mt->is_signed);
		if (mt->kind == GLINT_TYPE_ENUM)
			format_enum(s, mt, v);
		else if (mt->kind == GLINT_TYPE_BOOL)
			g_string_append(s, v ? "true" : "false");
		else
			format_integer(s, v, mt->is_signed);
		return;
	}
	if (m->offset > len) {
		g_string_append(s, _("<missing>"));
		return;
	}
	format_value_to(s, m->type, bytes + m->offset, len - m->offset, depth + 1);
}

static void
format_value_to(GString *s, const GlintType *type, const guint8 *bytes, gsize len, guint depth)
{
	const GlintType *t = glint_type_strip(type);
	if (depth > FORMAT_MAX_DEPTH) {
		g_string_append(s, "{...}");
		return;
	}
	if (t->size > len && t->kind != GLINT_TYPE_STRUCT && t->kind != GLINT_TYPE_UNION &&
	    t->kind != GLINT_TYPE_ARRAY) {
		g_string_append_printf(s, _("<%zu bytes missing>"), t->size - len);
		return;
	}
	switch (t->kind) {
	case GLINT_TYPE_VOID:
		g_string_append(s, "<void>");
		break;
	case GLINT_TYPE_FUNCTION:
		g_string_append(s, "<function>");
		break;
	case GLINT_TYPE_ARRAY:
		format_array(s, t, bytes, len, depth);
		break;
	case GLINT_TYPE_STRUCT:
	case GLINT_TYPE_UNION:
		g_string_append_c(s, '{');
		for (guint i = 0; i < t->n_members; i++) {
			const GlintTypeMember *m = &t->members[i];
			if (i > 0)
				g_string_append(s, ", ");
			if (m->name != NULL)
				g_string_append_printf(s, "%s = ", m->name);
			format_member(s, m, bytes, len, depth);
		}
		g_string_append_c(s, '}');
		break;
	default:
		if (t->size == 0 || t->size > 8) {
			g_string_append_printf(s, _("<%u-byte value>"), t->size);
			break;
		}
		format_scalar(s, t, bytes);
		break;
	}
}

gchar *
glint_type_format_value(const GlintType *type, const guint8 *bytes, gsize len)
{
	GString *s = g_string_new(NULL);
	format_value_to(s, type, bytes, len, 0);
	return g_string_free(s, FALSE);
}

gboolean
glint_type_value_as_double(const GlintType *type, const guint8 *bytes, gsize len, gdouble *value)
{
	const GlintType *t = glint_type_strip(type);
	guint64 v;
	if (!glint_type_is_scalar(t) || t->size == 0 || t->size > 8 || t->size > len)
		return FALSE;
	v = type_read_int(bytes, t->size, t->is_signed && t->kind != GLINT_TYPE_FLOAT);
	if (t->kind == GLINT_TYPE_FLOAT) {
		if (t->size == 4) {
			guint32 w = (guint32)v;
			gfloat f;
			memcpy(&f, &w, sizeof(f));
			*value = f;
		} else {
			memcpy(value, &v, sizeof(*value));
		}
	} else if (t->is_signed) {
		*value = (gdouble)(gint64)v;
	} else {
		*value = (gdouble)v;
	}
	return TRUE;
}
