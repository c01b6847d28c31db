/* glint-watch.c: watch expressions, coalesced reads of a running target,
 * and the sampling loop. */
#define G_LOG_DOMAIN "glint-watch"

#include "glint-i18n.h"
#include "glint-watch.h"

#include <math.h>
#include <string.h>

#include "glint-job-private.h"

/* Where registers live (ARMv7-M B3.1: Peripheral and System regions): reads
 * there may have side effects, so they are never widened or merged */
#define PERIPHERAL_BASE 0x40000000u
#define PERIPHERAL_END 0x60000000u
#define SYSTEM_BASE 0xE0000000u
#define NS_PER_S 1e9

typedef struct {
	guint32 start;
	guint32 end; /* one past */
} WatchTransfer;

struct _GlintWatch {
	GlintDebugInfo *elf;
	GPtrArray *items;	/* GlintWatchItem* */
	GPtrArray *owned_types; /* GlintType* made for raw addresses */
	GArray *transfers;	/* WatchTransfer, by address; redone when items change */
};

/* Types of addresses given raw ("0x20000000:u32") */
static const struct {
	const char *names[4];
	GlintType type;
} raw_types[] = {
    {{"u8", "uint8", "uint8_t", NULL}, {.kind = GLINT_TYPE_UNSIGNED, .name = "uint8_t", .size = 1}},
    {{"u16", "uint16", "uint16_t", NULL},
     {.kind = GLINT_TYPE_UNSIGNED, .name = "uint16_t", .size = 2}},
    {{"u32", "uint32", "uint32_t", NULL},
     {.kind = GLINT_TYPE_UNSIGNED, .name = "uint32_t", .size = 4}},
    {{"u64", "uint64", "uint64_t", NULL},
     {.kind = GLINT_TYPE_UNSIGNED, .name = "uint64_t", .size = 8}},
    {{"s8", "i8", "int8", "int8_t"},
     {.kind = GLINT_TYPE_SIGNED, .name = "int8_t", .size = 1, .is_signed = TRUE}},
    {{"s16", "i16", "int16", "int16_t"},
     {.kind = GLINT_TYPE_SIGNED, .name = "int16_t", .size = 2, .is_signed = TRUE}},
    {{"s32", "i32", "int32", "int32_t"},
     {.kind = GLINT_TYPE_SIGNED, .name = "int32_t", .size = 4, .is_signed = TRUE}},
    {{"s64", "i64", "int64", "int64_t"},
     {.kind = GLINT_TYPE_SIGNED, .name = "int64_t", .size = 8, .is_signed = TRUE}},
    {{"f32", "float", NULL, NULL},
     {.kind = GLINT_TYPE_FLOAT, .name = "float", .size = 4, .is_signed = TRUE}},
    {{"f64", "double", NULL, NULL},
     {.kind = GLINT_TYPE_FLOAT, .name = "double", .size = 8, .is_signed = TRUE}},
    {{"char", NULL, NULL, NULL}, {.kind = GLINT_TYPE_CHAR, .name = "char", .size = 1}},
    {{"bool", NULL, NULL, NULL}, {.kind = GLINT_TYPE_BOOL, .name = "bool", .size = 1}},
};

static void
watch_item_free(GlintWatchItem *item)
{
	g_free(item->expression);
	g_free(item);
}

GlintWatch *
glint_watch_new(GlintDebugInfo *elf)
{
	GlintWatch *self = g_new0(GlintWatch, 1);
	self->elf = elf != NULL ? glint_debug_info_ref(elf) : NULL;
	self->items = g_ptr_array_new_with_free_func((GDestroyNotify)watch_item_free);
	self->owned_types = g_ptr_array_new_with_free_func(g_free);
	self->transfers = g_array_new(FALSE, FALSE, sizeof(WatchTransfer));
	return self;
}

void
glint_watch_free(GlintWatch *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->items);
	g_ptr_array_unref(self->owned_types);
	g_array_unref(self->transfers);
	if (self->elf != NULL)
		glint_debug_info_unref(self->elf);
	g_free(self);
}

guint
glint_watch_get_n_items(GlintWatch *self)
{
	return self->items->len;
}

const GlintWatchItem *
glint_watch_get_item(GlintWatch *self, guint index)
{
	return index < self->items->len ? g_ptr_array_index(self->items, index) : NULL;
}

guint
glint_watch_get_n_transfers(GlintWatch *self)
{
	return self->transfers->len;
}

/* Expressions -------------------------------------------------------------- */

static gboolean watch_bad(GError **error, const char *expression, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static gboolean
watch_bad(GError **error, const char *expression, const char *format, ...)
{
	va_list args;
	g_autofree gchar *why = NULL;
	va_start(args, format);
	why = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, _("watch '%s': %s"),
		    expression, why);
	return FALSE;
}

static gboolean
is_register_space(guint32 address)
{
	return (address >= PERIPHERAL_BASE && address < PERIPHERAL_END) || address >= SYSTEM_BASE;
}

static const GlintType *
raw_type(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(raw_types); i++) {
		for (guint k = 0; k < G_N_ELEMENTS(raw_types[i].names); k++) {
			if (raw_types[i].names[k] != NULL &&
			    g_ascii_strcasecmp(raw_types[i].names[k], name) == 0)
				return &raw_types[i].type;
		}
	}
	return NULL;
}

static gboolean
parse_number(const char *text, guint64 *value)
{
	gchar *end = NULL;
	guint base = 10;
	if (g_ascii_strncasecmp(text, "0x", 2) == 0) {
		text += 2;
		base = 16;
	}
	if (!g_ascii_isxdigit(*text))
		return FALSE;
	*value = g_ascii_strtoull(text, &end, base);
	return end != NULL && *end == '\0';
}

/* "0x20000000:u32", "0x20000020:u8[16]" */
static gboolean
parse_raw(GlintWatch *self, const char *expression, GlintWatchItem *item, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(expression, ":", 2);
	g_autofree gchar *type_name = NULL;
	const GlintType *type;
	guint64 address = 0, count = 0;
	char *bracket;

	if (parts[1] == NULL)
		return watch_bad(error, expression,
				 _("an address needs a type: 0x20000000:u32 (u8, u16, u32, u64, s8 "
				   "... s64, f32, f64, char, bool, and arrays as u8[16])"));
	if (!parse_number(g_strstrip(parts[0]), &address) || address > G_MAXUINT32)
		return watch_bad(error, expression, _("'%s' is not a 32-bit address"), parts[0]);
	type_name = g_strstrip(g_strdup(parts[1]));
	bracket = strchr(type_name, '[');
	if (bracket != NULL) {
		g_autofree gchar *n = NULL;
		char *close = strchr(bracket, ']');
		if (close == NULL || close[1] != '\0')
			return watch_bad(error, expression,
					 _("an array type is TYPE[N], as u8[16]"));
		n = g_strndup(bracket + 1, close - bracket - 1);
		if (!parse_number(n, &count) || count == 0 || count > GLINT_WATCH_MAX_ITEM_SIZE)
			return watch_bad(error, expression,
					 _("'%s' is no element count from 1 to %u"), n,
					 GLINT_WATCH_MAX_ITEM_SIZE);
		*bracket = '\0';
	}
	type = raw_type(type_name);
	if (type == NULL)
		return watch_bad(
		    error, expression,
		    _("unknown type '%s': u8, u16, u32, u64, s8, s16, s32, s64, f32, f64, "
		      "char, bool"),
		    type_name);
	if (count > 0) {
		GlintType *array = g_new0(GlintType, 1);
		array->kind = GLINT_TYPE_ARRAY;
		array->target = type;
		array->n_elements = (guint32)count;
		array->size = (guint32)(count * type->size);
		g_ptr_array_add(self->owned_types, array);
		type = array;
	}
	item->address = (guint32)address;
	item->type = type;
	return TRUE;
}

/* An identifier at *p (letters, digits, _), advancing past it */
static gchar *
take_identifier(const char **p)
{
	const char *start = *p;
	while (g_ascii_isalnum(**p) || **p == '_')
		(*p)++;
	return *p > start ? g_strndup(start, *p - start) : NULL;
}

static gboolean
apply_member(const char *expression, GlintWatchItem *item, const char *member, GError **error)
{
	const GlintType *t = glint_type_strip(item->type);
	const GlintTypeMember *m;
	guint32 offset = 0;
	if (item->bit_size > 0)
		return watch_bad(error, expression, _("a bit field has no members"));
	if (t->kind == GLINT_TYPE_POINTER)
		return watch_bad(error, expression,
				 _("pointers are not followed: watch what it points to by its own "
				   "name or address"));
	if (t->kind != GLINT_TYPE_STRUCT && t->kind != GLINT_TYPE_UNION) {
		g_autofree gchar *spelled = glint_type_describe(item->type);
		return watch_bad(error, expression,
				 _("'.%s': the value is %s, not a struct or union"), member,
				 spelled);
	}
	m = glint_type_find_member(item->type, member, &offset);
	if (m == NULL) {
		g_autoptr(GString) names = g_string_new(NULL);
		g_autofree gchar *spelled = glint_type_describe(item->type);
		for (guint i = 0; i < t->n_members; i++) {
			if (t->members[i].name != NULL)
				g_string_append_printf(names, "%s%s", names->len ? ", " : "",
						       t->members[i].name);
		}
		return watch_bad(error, expression, _("%s has no member '%s' (it has: %s)"),
				 spelled, member, names->str);
	}
	item->address += offset;
	item->type = m->type;
	item->bit_size = m->bit_size;
	item->bit_position = m->bit_position;
	return TRUE;
}

static gboolean
apply_index(const char *expression, GlintWatchItem *item, guint64 index, GError **error)
{
	const GlintType *t = glint_type_strip(item->type);
	guint32 element_size;
	if (t->kind != GLINT_TYPE_ARRAY || item->bit_size > 0) {
		g_autofree gchar *spelled = glint_type_describe(item->type);
		return watch_bad(error, expression, _("'[%" PRIu64 "]': %s is not an array"), index,
				 spelled);
	}
	if (t->n_elements > 0 && index >= t->n_elements) {
		g_autofree gchar *spelled = glint_type_describe(item->type);
		return watch_bad(error, expression,
				 _("index %" PRIu64 " is past the end of %s (0 to %u)"), index,
				 spelled, t->n_elements - 1);
	}
	element_size = glint_type_strip(t->target)->size;
	item->address += (guint32)(index * element_size);
	item->type = t->target;
	return TRUE;
}

/* "state.where.x", "buf[3]", "matrix[1][2]", "main::calls",
 * "watch.c::file_static" */
static gboolean
parse_named(GlintWatch *self, const char *expression, GlintWatchItem *item, GError **error)
{
	g_autofree gchar *name = NULL;
	const char *scope_end = g_strrstr(expression, "::");
	const char *p = scope_end != NULL ? scope_end + 2 : expression;
	const GlintVariable *var;
	g_autofree gchar *ident = take_identifier(&p);

	if (ident == NULL)
		return watch_bad(error, expression,
				 _("expected a variable name (counter, state.count, buf[3]) or an "
				   "address with a type (0x20000000:u32)"));
	name = scope_end != NULL
		   ? g_strdup_printf("%.*s::%s", (int)(scope_end - expression), expression, ident)
		   : g_strdup(ident);
	if (self->elf == NULL)
		return watch_bad(error, expression,
				 _("'%s' is a name: give the ELF file that holds it (--elf), or an "
				   "address with a type (0x20000000:u32)"),
				 name);
	var = glint_debug_info_find_variable(self->elf, name, error);
	if (var == NULL)
		return FALSE;
	item->address = var->address;
	item->type = var->type;
	while (*p != '\0') {
		if (*p == '.') {
			g_autofree gchar *member = NULL;
			p++;
			member = take_identifier(&p);
			if (member == NULL)
				return watch_bad(error, expression,
						 _("a member name must follow '.'"));
			if (!apply_member(expression, item, member, error))
				return FALSE;
		} else if (*p == '[') {
			const char *close = strchr(p, ']');
			g_autofree gchar *text = NULL;
			guint64 index = 0;
			if (close == NULL)
				return watch_bad(error, expression, _("'[' without ']'"));
			text = g_strndup(p + 1, close - p - 1);
			if (!parse_number(g_strstrip(text), &index))
				return watch_bad(error, expression,
						 _("'[%s]': an index is a number (a constant)"),
						 text);
			if (!apply_index(expression, item, index, error))
				return FALSE;
			p = close + 1;
		} else if (p[0] == '-' && p[1] == '>') {
			return watch_bad(
			    error, expression,
			    _("pointers are not followed: watch what it points to by its "
			      "own name or address"));
		} else {
			return watch_bad(error, expression, _("unexpected '%c' after '%.*s'"), *p,
					 (int)(p - expression), expression);
		}
	}
	return TRUE;
}

static gint
transfer_compare(gconstpointer a, gconstpointer b)
{
	const GlintWatchItem *x = *(GlintWatchItem *const *)a, *y = *(GlintWatchItem *const *)b;
	return x->address < y->address ? -1 : x->address > y->address;
}

/* Items by address, merged where the gap costs less than a command;
 * register space never merged (reading more there may have effects) */
static void
watch_plan_transfers(GlintWatch *self)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_copy(self->items, NULL, NULL);
	/* a copy keeps the items' free function: this one only borrows them */
	g_ptr_array_set_free_func(sorted, NULL);
	g_ptr_array_sort(sorted, transfer_compare);
	g_array_set_size(self->transfers, 0);
	for (guint i = 0; i < sorted->len; i++) {
		const GlintWatchItem *item = g_ptr_array_index(sorted, i);
		guint64 end = (guint64)item->address + item->size;
		WatchTransfer *last =
		    self->transfers->len > 0
			? &g_array_index(self->transfers, WatchTransfer, self->transfers->len - 1)
			: NULL;
		gboolean registers = is_register_space(item->address);
		if (last != NULL && !registers && !is_register_space(last->start) &&
		    item->address <= (guint64)last->end + GLINT_WATCH_COALESCE_GAP &&
		    end - last->start <= STLINK_MAX_RW32) {
			last->end = (guint32)MAX((guint64)last->end, end);
			continue;
		}
		if (last != NULL && registers && item->address >= last->start && end <= last->end)
			continue; /* the very same register */
		{
			WatchTransfer t = {item->address, (guint32)end};
			g_array_append_val(self->transfers, t);
		}
	}
}

gboolean
glint_watch_add(GlintWatch *self, const char *expression, GError **error)
{
	GlintWatchItem *item = g_new0(GlintWatchItem, 1);
	g_autofree gchar *trimmed = g_strstrip(g_strdup(expression));
	const GlintType *t;
	gboolean ok;

	if (trimmed[0] == '\0')
		ok = watch_bad(error, expression, _("empty: give a variable name or an address"));
	else if (g_ascii_isdigit(trimmed[0]))
		ok = parse_raw(self, trimmed, item, error);
	else
		ok = parse_named(self, trimmed, item, error);
	if (ok) {
		t = glint_type_strip(item->type);
		item->size =
		    item->bit_size > 0 ? (item->bit_position + item->bit_size + 7) / 8 : t->size;
		item->numeric = glint_type_is_scalar(item->type) || item->bit_size > 0;
		if (item->size == 0)
			ok = watch_bad(error, expression,
				       _("its type has no size (void or incomplete)"));
		else if (item->size > GLINT_WATCH_MAX_ITEM_SIZE)
			ok =
			    watch_bad(error, expression,
				      _("%u bytes, more than the %u a watch reads per value: watch "
					"a member or an element of it"),
				      item->size, GLINT_WATCH_MAX_ITEM_SIZE);
		else if ((guint64)item->address + item->size > G_GUINT64_CONSTANT(0x100000000))
			ok = watch_bad(error, expression,
				       _("runs past the end of the address space"));
	}
	if (!ok) {
		watch_item_free(item);
		return FALSE;
	}
	item->expression = g_steal_pointer(&trimmed);
	g_ptr_array_add(self->items, item);
	watch_plan_transfers(self);
	return TRUE;
}

/* Sampling ----------------------------------------------------------------- */

void
glint_watch_sample_clear(GlintWatchSample *sample)
{
	if (sample->text != NULL)
		g_ptr_array_unref(sample->text);
	g_free(sample->numbers);
	memset(sample, 0, sizeof(*sample));
}

static const WatchTransfer *
watch_transfer_of(GlintWatch *self, const GlintWatchItem *item)
{
	for (guint i = 0; i < self->transfers->len; i++) {
		const WatchTransfer *t = &g_array_index(self->transfers, WatchTransfer, i);
		if (item->address >= t->start && (guint64)item->address + item->size <= t->end)
			return t;
	}
	return NULL;
}

static void
watch_decode(GlintWatch *self, GPtrArray *buffers, GlintWatchSample *sample)
{
	sample->text = g_ptr_array_new_with_free_func(g_free);
	sample->numbers = g_new(gdouble, MAX(self->items->len, 1u));
	for (guint i = 0; i < self->items->len; i++) {
		const GlintWatchItem *item = g_ptr_array_index(self->items, i);
		const WatchTransfer *t = watch_transfer_of(self, item);
		guint index = (guint)(t - (const WatchTransfer *)(gpointer)self->transfers->data);
		const guint8 *bytes =
		    (const guint8 *)g_ptr_array_index(buffers, index) + (item->address - t->start);
		const GlintType *type = glint_type_strip(item->type);
		gdouble number = NAN;

		if (item->bit_size > 0) {
			guint64 v = glint_type_extract_bits(bytes, item->size, item->bit_position,
							    item->bit_size, type->is_signed);
			number = type->is_signed ? (gdouble)(gint64)v : (gdouble)v;
			g_ptr_array_add(sample->text,
					type->is_signed
					    ? g_strdup_printf("%" G_GINT64_FORMAT, (gint64)v)
					    : g_strdup_printf("%" G_GUINT64_FORMAT, v));
		} else {
			(void)glint_type_value_as_double(item->type, bytes, item->size, &number);
			g_ptr_array_add(sample->text,
					glint_type_format_value(item->type, bytes, item->size));
		}
		sample->numbers[i] = number;
	}
}

static gboolean
watch_read(GlintWatch *self, GlintTarget *t, GPtrArray *buffers, GError **error)
{
	for (guint i = 0; i < self->transfers->len; i++) {
		const WatchTransfer *tr = &g_array_index(self->transfers, WatchTransfer, i);
		guint8 *buf = g_malloc(tr->end - tr->start);
		g_autoptr(GError) local = NULL;
		g_ptr_array_add(buffers, buf);
		if (!glint_target_read(t, tr->start, buf, tr->end - tr->start, &local)) {
			g_set_error(error, GLINT_ERROR, local->code,
				    _("reading 0x%08X-0x%08X for the watch: %s"), tr->start,
				    tr->end - 1, local->message);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
glint_job_watch_sample(GlintSession *session, GlintWatch *watch, GlintWatchSample *sample,
		       GError **error)
{
	GlintJobClock clock;
	g_autoptr(GPtrArray) buffers = g_ptr_array_new_with_free_func(g_free);
	gboolean ok;

	memset(sample, 0, sizeof(*sample));
	if (watch->items->len == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("nothing to watch: add a variable or an address"));
		return FALSE;
	}
	if (!glint_job_begin(session, &clock, TRUE, error))
		return FALSE;
	sample->device_time_ns = glint_transport_get_device_time_ns(session->transport);
	sample->host_time_us = g_get_monotonic_time();
	ok = watch_read(watch, session->target, buffers, error);
	glint_job_end(&clock);
	if (ok)
		watch_decode(watch, buffers, sample);
	return ok;
}

/* The run's clock: modelled device time when there is one, else host */
static gint64
watch_now_ns(GlintTransport *transport)
{
	gint64 device = glint_transport_get_device_time_ns(transport);
	return device >= 0 ? device : g_get_monotonic_time() * 1000;
}

/* A person watching a simulated board: the wall clock too */
static void
watch_keep_pace(gint64 host_start_us, gint64 due_ns, GCancellable *cancellable)
{
	while (!g_cancellable_is_cancelled(cancellable)) {
		gint64 left = host_start_us + due_ns / 1000 - g_get_monotonic_time();
		if (left <= 0)
			return;
		g_usleep((gulong)MIN(left, 20000));
	}
}

gboolean
glint_job_watch_run(GlintSession *session, GlintWatch *watch, const GlintWatchRunOptions *options,
		    GlintWatchFunc func, gpointer user_data, GlintWatchStats *stats,
		    GCancellable *cancellable, GError **error)
{
	GlintTransport *transport = glint_session_get_transport(session);
	gint64 period_ns, start_ns, due_ns = 0, host_start_us;
	guint64 commands_before = 0;
	GlintWatchStats local = {0};
	gboolean ok = TRUE;

	if (options->rate_hz <= 0 || !isfinite(options->rate_hz)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("a watch rate must be above 0 samples per second"));
		return FALSE;
	}
	if (!glint_session_is_connected(session)) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Not connected to a target; connect first"));
		return FALSE;
	}
	period_ns = MAX((gint64)(NS_PER_S / options->rate_hz), 1);
	local.modelled = glint_transport_get_device_time_ns(transport) >= 0;
	start_ns = watch_now_ns(transport);
	host_start_us = g_get_monotonic_time();
	if (session->stlink != NULL)
		commands_before = glint_stlink_get_command_count(session->stlink);
	for (guint i = 0;; i++) {
		GlintWatchSample sample;
		gint64 now;
		g_autoptr(GError) local_error = NULL;

		if (g_cancellable_is_cancelled(cancellable))
			break;
		if (options->max_samples > 0 && i >= options->max_samples)
			break;
		if (options->duration_s > 0 &&
		    watch_now_ns(transport) - start_ns >= (gint64)(options->duration_s * NS_PER_S))
			break;
		now = watch_now_ns(transport);
		if (!glint_job_watch_sample(session, watch, &sample, &local_error)) {
			/* another job holds the probe: this tick is skipped */
			if (!g_error_matches(local_error, GLINT_ERROR, GLINT_ERROR_BUSY)) {
				g_propagate_error(error, g_steal_pointer(&local_error));
				ok = FALSE;
				break;
			}
		} else {
			sample.index = local.samples++;
			sample.time_s = (now - start_ns) / NS_PER_S;
			if (func != NULL && !func(&sample, user_data)) {
				glint_watch_sample_clear(&sample);
				break;
			}
			glint_watch_sample_clear(&sample);
		}
		/* the next tick; a late sample is followed at once, without a
		 * burst to catch up */
		due_ns += period_ns;
		now = watch_now_ns(transport) - start_ns;
		if (options->duration_s > 0)
			due_ns = MIN(due_ns, (gint64)(options->duration_s * NS_PER_S));
		if (due_ns > now)
			glint_transport_idle(transport, due_ns - now, cancellable);
		else
			due_ns = now;
		if (options->real_time && local.modelled)
			watch_keep_pace(host_start_us, due_ns, cancellable);
	}
	local.seconds = (watch_now_ns(transport) - start_ns) / NS_PER_S;
	local.rate_hz = local.seconds > 0 ? local.samples / local.seconds : 0;
	if (session->stlink != NULL)
		local.transfers = glint_stlink_get_command_count(session->stlink) - commands_before;
	if (stats != NULL)
		*stats = local;
	return ok;
}
