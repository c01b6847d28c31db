/* glint-recipe.c: production recipes: the key file, its checks, the chip it
 * names, the image and CSV it reads, and how serial numbers and unique data
 * become bytes. */
#define G_LOG_DOMAIN "glint-recipe"

#include "glint-i18n.h"
#include "glint-recipe.h"

#include <errno.h>
#include <string.h>

#include "glint-file.h"

#define GROUP_RECIPE "recipe"
#define GROUP_IMAGE "image"
#define GROUP_ERASE "erase"
#define GROUP_OPTIONS "options"
#define GROUP_SERIAL "serial"
#define GROUP_UNIQUE "unique-data"
#define GROUP_PROTECTION "protection"
#define GROUP_FINISH "finish"

/* Images as glint-image.h reads them. */
#define RECIPE_IMAGE_MAX_BYTES (256u * 1024 * 1024)

/* ---- settings ---------------------------------------------------------- */

void
glint_recipe_settings_init(GlintRecipeSettings *settings)
{
	memset(settings, 0, sizeof(*settings));
	settings->erase = GLINT_RECIPE_ERASE_IMAGE;
	settings->serial_format = GLINT_SERIAL_NONE;
	settings->serial_first = 1;
	settings->serial_step = 1;
	settings->unique_encoding = GLINT_UNIQUE_NONE;
	settings->reset_run = TRUE;
}

void
glint_recipe_settings_clear(GlintRecipeSettings *settings)
{
	g_free(settings->name);
	g_free(settings->chip);
	g_free(settings->image);
	g_strfreev(settings->options);
	g_free(settings->serial_pattern);
	g_free(settings->unique_file);
	g_free(settings->unique_column);
	glint_recipe_settings_init(settings);
}

void
glint_recipe_settings_copy(GlintRecipeSettings *dest, const GlintRecipeSettings *src)
{
	*dest = *src;
	dest->name = g_strdup(src->name);
	dest->chip = g_strdup(src->chip);
	dest->image = g_strdup(src->image);
	dest->options = g_strdupv(src->options);
	dest->serial_pattern = g_strdup(src->serial_pattern);
	dest->unique_file = g_strdup(src->unique_file);
	dest->unique_column = g_strdup(src->unique_column);
}

/* ---- reading the key file, with line numbers ---------------------------- */

typedef struct {
	const char *path;
	gchar *name; /* the file's name in messages */
	gchar *text;
	GKeyFile *keys;
} RecipeReader;

static void
reader_clear(RecipeReader *r)
{
	g_free(r->name);
	g_free(r->text);
	g_clear_pointer(&r->keys, g_key_file_unref);
}

/* The line of "[group]" (@key NULL) or of "key=" inside it; 0 if absent. */
static guint
reader_line(const RecipeReader *r, const char *group, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(r->text, "\n", -1);
	gboolean in_group = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree gchar *line = g_strstrip(g_strdup(lines[i]));
		if (line[0] == '[') {
			gsize len = strlen(line);
			in_group = len >= 2 && line[len - 1] == ']' &&
				   strncmp(line + 1, group, len - 2) == 0 &&
				   strlen(group) == len - 2;
			if (in_group && key == NULL)
				return i + 1;
			continue;
		}
		if (in_group && key != NULL && g_str_has_prefix(line, key)) {
			const char *rest = line + strlen(key);
			while (*rest == ' ' || *rest == '\t')
				rest++;
			if (*rest == '=')
				return i + 1;
		}
	}
	return 0;
}

/* "r.glintrecipe:14: [serial] format: ..." */
static void G_GNUC_PRINTF(5, 6)
    reader_error(const RecipeReader *r, GError **error, const char *group, const char *key,
		 const char *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	guint line = reader_line(r, group, key);
	g_autofree gchar *where =
	    line > 0 ? g_strdup_printf("%s:%u", r->name, line) : g_strdup(r->name);

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	if (key != NULL)
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, "%s: [%s] %s: %s",
			    where, group, key, message);
	else
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT, "%s: [%s]: %s", where,
			    group, message);
}

/* Every group and key the format has: a typo is refused, never ignored. */
static const struct {
	const char *group;
	const char *keys[9];
} recipe_schema[] = {
    {GROUP_RECIPE, {"version", "name", "chip", NULL}},
    {GROUP_IMAGE, {"file", "crc32", "base", NULL}},
    {GROUP_ERASE, {"mode", NULL}},
    {GROUP_OPTIONS, {"set", NULL}},
    {GROUP_SERIAL, {"address", "first", "step", "last", "format", "pattern", "size", NULL}},
    {GROUP_UNIQUE, {"file", "column", "address", "encoding", "size", NULL}},
    {GROUP_PROTECTION, {"rdp", NULL}},
    {GROUP_FINISH, {"reset", NULL}},
};

static gboolean
reader_check_schema(const RecipeReader *r, GError **error)
{
	g_auto(GStrv) groups = g_key_file_get_groups(r->keys, NULL);

	for (guint g = 0; groups[g] != NULL; g++) {
		g_auto(GStrv) keys = NULL;
		gint found = -1;
		for (guint s = 0; s < G_N_ELEMENTS(recipe_schema); s++) {
			if (g_strcmp0(groups[g], recipe_schema[s].group) == 0)
				found = (gint)s;
		}
		if (found < 0) {
			reader_error(r, error, groups[g], NULL,
				     _("unknown group (a recipe has [recipe], [image], [erase], "
				       "[options], [serial], [unique-data], [protection] and "
				       "[finish])"));
			return FALSE;
		}
		keys = g_key_file_get_keys(r->keys, groups[g], NULL, NULL);
		for (guint k = 0; keys != NULL && keys[k] != NULL; k++) {
			const char *const *known = recipe_schema[found].keys;
			g_autofree gchar *list = g_strjoinv(", ", (gchar **)known);
			if (g_strv_contains(known, keys[k]))
				continue;
			reader_error(r, error, groups[g], keys[k], _("unknown key (keys here: %s)"),
				     list);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
reader_has(const RecipeReader *r, const char *group, const char *key)
{
	return g_key_file_has_key(r->keys, group, key, NULL);
}

static gchar *
reader_string(const RecipeReader *r, const char *group, const char *key, gboolean required,
	      GError **error)
{
	g_autofree gchar *value = NULL;
	if (!reader_has(r, group, key)) {
		if (required) {
			guint line = reader_line(r, group, NULL);
			g_autofree gchar *where =
			    line > 0 ? g_strdup_printf("%s:%u", r->name, line) : g_strdup(r->name);
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s: [%s] has no %s= (it is required)"), where, group, key);
		}
		return NULL;
	}
	value = g_key_file_get_string(r->keys, group, key, NULL);
	if (value == NULL || *g_strstrip(value) == '\0') {
		reader_error(r, error, group, key, _("empty value"));
		return NULL;
	}
	return g_steal_pointer(&value);
}

/* A number as people write it: decimal, or hex with 0x. */
static gboolean
parse_u64(const char *text, guint64 *value)
{
	const char *digits = text;
	guint base = 10;
	gchar *end = NULL;

	if (g_ascii_strncasecmp(text, "0x", 2) == 0) {
		digits = text + 2;
		base = 16;
	}
	if (*digits == '\0' || !(base == 16 ? g_ascii_isxdigit(*digits) : g_ascii_isdigit(*digits)))
		return FALSE;
	errno = 0;
	*value = g_ascii_strtoull(digits, &end, base);
	return errno == 0 && end != NULL && *end == '\0';
}

/* FALSE with @error set when the key is present and wrong; @present says
 * whether it was there. */
static gboolean
reader_u64(const RecipeReader *r, const char *group, const char *key, guint64 max, guint64 *value,
	   gboolean *present, GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GError) local = NULL;

	*present = FALSE;
	text = reader_string(r, group, key, FALSE, &local);
	if (text == NULL) {
		if (local != NULL) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		return TRUE;
	}
	if (!parse_u64(text, value) || *value > max) {
		reader_error(
		    r, error, group, key,
		    _("'%s' is not a number from 0 to %" PRIu64 " (decimal, or hex with 0x)"), text,
		    max);
		return FALSE;
	}
	*present = TRUE;
	return TRUE;
}

static gboolean
reader_u32(const RecipeReader *r, const char *group, const char *key, guint32 *value,
	   gboolean *present, GError **error)
{
	guint64 v = 0;
	if (!reader_u64(r, group, key, G_MAXUINT32, &v, present, error))
		return FALSE;
	if (*present)
		*value = (guint32)v;
	return TRUE;
}

static gboolean
reader_required_u32(const RecipeReader *r, const char *group, const char *key, guint32 *value,
		    GError **error)
{
	gboolean present = FALSE;
	if (!reader_u32(r, group, key, value, &present, error))
		return FALSE;
	if (!present) {
		g_autoptr(GError) missing = NULL;
		g_free(reader_string(r, group, key, TRUE, &missing));
		g_propagate_error(error, g_steal_pointer(&missing));
		return FALSE;
	}
	return TRUE;
}

/* One of @names (index into it), or the default when absent. */
static gboolean
reader_choice(const RecipeReader *r, const char *group, const char *key, const char *const *names,
	      guint *value, GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GError) local = NULL;

	text = reader_string(r, group, key, FALSE, &local);
	if (text == NULL) {
		if (local == NULL)
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	for (guint i = 0; names[i] != NULL; i++) {
		if (g_ascii_strcasecmp(text, names[i]) == 0) {
			*value = i;
			return TRUE;
		}
	}
	{
		g_autofree gchar *list = g_strjoinv(", ", (gchar **)names);
		reader_error(r, error, group, key, _("'%s': give %s"), text, list);
	}
	return FALSE;
}

static const char *const erase_names[] = {"image", "all", NULL};
/* Index = GlintSerialFormat - 1 */
static const char *const serial_format_names[] = {"u32le", "u64le", "text", NULL};
/* Index = GlintUniqueEncoding - 1 */
static const char *const unique_encoding_names[] = {"hex", "text", NULL};

static gboolean
read_recipe_group(const RecipeReader *r, GlintRecipeSettings *s, GError **error)
{
	guint64 version = 0;
	gboolean present = FALSE;
	g_autoptr(GError) local = NULL;

	if (!g_key_file_has_group(r->keys, GROUP_RECIPE)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s is not a Glint recipe: it has no [recipe] group (a recipe starts "
			      "with [recipe], version=%u and chip=)"),
			    r->name, GLINT_RECIPE_VERSION);
		return FALSE;
	}
	if (!reader_u64(r, GROUP_RECIPE, "version", G_MAXUINT32, &version, &present, error))
		return FALSE;
	if (!present) {
		g_free(reader_string(r, GROUP_RECIPE, "version", TRUE, error));
		return FALSE;
	}
	if (version != GLINT_RECIPE_VERSION) {
		reader_error(r, error, GROUP_RECIPE, "version",
			     _("version %" PRIu64
			       " is not one this Glint reads (it reads version %u): use the Glint "
			       "that wrote it, or a newer one"),
			     version, GLINT_RECIPE_VERSION);
		return FALSE;
	}
	s->name = reader_string(r, GROUP_RECIPE, "name", FALSE, &local);
	if (local != NULL) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	s->chip = reader_string(r, GROUP_RECIPE, "chip", TRUE, error);
	return s->chip != NULL;
}

static gboolean
read_image_group(const RecipeReader *r, GlintRecipeSettings *s, GError **error)
{
	if (!g_key_file_has_group(r->keys, GROUP_IMAGE)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s: the recipe has no [image] group with file= and crc32= (the "
			      "firmware every board gets)"),
			    r->name);
		return FALSE;
	}
	s->image = reader_string(r, GROUP_IMAGE, "file", TRUE, error);
	if (s->image == NULL)
		return FALSE;
	if (!reader_required_u32(r, GROUP_IMAGE, "crc32", &s->image_crc, error))
		return FALSE;
	return reader_u32(r, GROUP_IMAGE, "base", &s->image_base, &s->image_base_set, error);
}

static gboolean
read_serial_group(const RecipeReader *r, GlintRecipeSettings *s, GError **error)
{
	guint format = 0;
	gboolean present = FALSE;
	guint32 size = 0;
	g_autoptr(GError) local = NULL;

	if (!g_key_file_has_group(r->keys, GROUP_SERIAL))
		return TRUE;
	s->serial_format = GLINT_SERIAL_U32LE;
	if (!reader_choice(r, GROUP_SERIAL, "format", serial_format_names, &format, error))
		return FALSE;
	if (reader_has(r, GROUP_SERIAL, "format"))
		s->serial_format = (GlintSerialFormat)(format + 1);
	if (!reader_required_u32(r, GROUP_SERIAL, "address", &s->serial_address, error))
		return FALSE;
	if (!reader_u64(r, GROUP_SERIAL, "first", G_MAXUINT64, &s->serial_first, &present, error))
		return FALSE;
	if (!present) {
		g_free(reader_string(r, GROUP_SERIAL, "first", TRUE, error));
		return FALSE;
	}
	if (!reader_u64(r, GROUP_SERIAL, "step", G_MAXUINT32, &s->serial_step, &present, error))
		return FALSE;
	if (!present)
		s->serial_step = 1;
	if (s->serial_step == 0) {
		reader_error(
		    r, error, GROUP_SERIAL, "step",
		    _("a step of 0 would give every board the same number: give 1 or more"));
		return FALSE;
	}
	if (!reader_u64(r, GROUP_SERIAL, "last", G_MAXUINT64, &s->serial_last, &s->serial_last_set,
			error))
		return FALSE;
	if (s->serial_last_set && s->serial_last < s->serial_first) {
		reader_error(r, error, GROUP_SERIAL, "last",
			     _("%" PRIu64 " is below first=%" PRIu64), s->serial_last,
			     s->serial_first);
		return FALSE;
	}
	s->serial_pattern = reader_string(r, GROUP_SERIAL, "pattern", FALSE, &local);
	if (local != NULL) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	if (!reader_u32(r, GROUP_SERIAL, "size", &size, &present, error))
		return FALSE;
	if (s->serial_format == GLINT_SERIAL_TEXT) {
		if (s->serial_pattern == NULL) {
			reader_error(r, error, GROUP_SERIAL, "format",
				     _("text needs pattern= too, e.g. pattern=SN-%%06u"));
			return FALSE;
		}
		if (present && (size == 0 || size > GLINT_RECIPE_FIELD_MAX)) {
			reader_error(r, error, GROUP_SERIAL, "size", _("give 1 to %u bytes"),
				     GLINT_RECIPE_FIELD_MAX);
			return FALSE;
		}
		s->serial_size = present ? size : 0;
	} else if (s->serial_pattern != NULL || present) {
		reader_error(r, error, GROUP_SERIAL, s->serial_pattern != NULL ? "pattern" : "size",
			     _("only format=text has a pattern and a size (%s is %s)"),
			     serial_format_names[s->serial_format - 1],
			     s->serial_format == GLINT_SERIAL_U32LE ? _("4 bytes") : _("8 bytes"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
read_unique_group(const RecipeReader *r, GlintRecipeSettings *s, GError **error)
{
	guint encoding = 0;
	gboolean present = FALSE;
	guint32 size = 0;

	if (!g_key_file_has_group(r->keys, GROUP_UNIQUE))
		return TRUE;
	s->unique_encoding = GLINT_UNIQUE_HEX;
	if (!reader_choice(r, GROUP_UNIQUE, "encoding", unique_encoding_names, &encoding, error))
		return FALSE;
	if (reader_has(r, GROUP_UNIQUE, "encoding"))
		s->unique_encoding = (GlintUniqueEncoding)(encoding + 1);
	s->unique_file = reader_string(r, GROUP_UNIQUE, "file", TRUE, error);
	if (s->unique_file == NULL)
		return FALSE;
	s->unique_column = reader_string(r, GROUP_UNIQUE, "column", TRUE, error);
	if (s->unique_column == NULL)
		return FALSE;
	if (!reader_required_u32(r, GROUP_UNIQUE, "address", &s->unique_address, error))
		return FALSE;
	if (!reader_u32(r, GROUP_UNIQUE, "size", &size, &present, error))
		return FALSE;
	if (present && (size == 0 || size > GLINT_RECIPE_FIELD_MAX)) {
		reader_error(r, error, GROUP_UNIQUE, "size", _("give 1 to %u bytes"),
			     GLINT_RECIPE_FIELD_MAX);
		return FALSE;
	}
	s->unique_size = present ? size : 0;
	return TRUE;
}

static gboolean
read_other_groups(const RecipeReader *r, GlintRecipeSettings *s, GError **error)
{
	guint erase = 0;
	guint64 rdp = 0;
	gboolean present = FALSE;
	g_autoptr(GError) local = NULL;

	if (!reader_choice(r, GROUP_ERASE, "mode", erase_names, &erase, error))
		return FALSE;
	s->erase =
	    reader_has(r, GROUP_ERASE, "mode") ? (GlintRecipeErase)erase : GLINT_RECIPE_ERASE_IMAGE;
	if (reader_has(r, GROUP_OPTIONS, "set")) {
		g_auto(GStrv) edits =
		    g_key_file_get_string_list(r->keys, GROUP_OPTIONS, "set", NULL, NULL);
		g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; edits != NULL && edits[i] != NULL; i++) {
			gchar *edit = g_strstrip(edits[i]);
			if (*edit == '\0')
				continue;
			if (strchr(edit, '=') == NULL) {
				reader_error(
				    r, error, GROUP_OPTIONS, "set",
				    _("'%s' is not NAME=VALUE (edits are separated by ';', "
				      "e.g. set=nRST_STOP=0;BOR_LEV=2)"),
				    edit);
				return FALSE;
			}
			g_ptr_array_add(kept, g_strdup(edit));
		}
		g_ptr_array_add(kept, NULL);
		s->options = (GStrv)g_ptr_array_free(g_steal_pointer(&kept), FALSE);
	}
	if (!reader_u64(r, GROUP_PROTECTION, "rdp", 2, &rdp, &present, error))
		return FALSE;
	s->rdp_level = present ? (guint)rdp : 0;
	if (reader_has(r, GROUP_FINISH, "reset")) {
		s->reset_run = g_key_file_get_boolean(r->keys, GROUP_FINISH, "reset", &local);
		if (local != NULL) {
			reader_error(r, error, GROUP_FINISH, "reset",
				     _("give true (reset and run the new firmware) or false"));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
reader_open(RecipeReader *r, const char *path, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;
	const char *data;

	r->path = path;
	r->name = g_strdup(path);
	bytes = glint_file_read(path, _("recipe"), GLINT_RECIPE_MAX_BYTES, NULL, error);
	if (bytes == NULL)
		return FALSE;
	data = g_bytes_get_data(bytes, &len);
	if (memchr(data, '\0', len) != NULL || !g_utf8_validate(data, (gssize)len, NULL)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s is not a Glint recipe: it is not text (a recipe is a key file, "
			      "see glint-cli recipe check)"),
			    path);
		return FALSE;
	}
	r->text = g_strndup(data, len);
	r->keys = g_key_file_new();
	if (!g_key_file_load_from_data(r->keys, r->text, len, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s is not a Glint recipe: %s"), path, local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
read_settings(RecipeReader *r, GlintRecipeSettings *s, GError **error)
{
	return read_recipe_group(r, s, error) && reader_check_schema(r, error) &&
	       read_image_group(r, s, error) && read_serial_group(r, s, error) &&
	       read_unique_group(r, s, error) && read_other_groups(r, s, error);
}

gboolean
glint_recipe_settings_read(const char *path, GlintRecipeSettings *settings, GError **error)
{
	RecipeReader reader = {0};
	g_auto(GlintRecipeSettings) s = {0};
	gboolean ok;

	glint_recipe_settings_init(&s);
	ok = reader_open(&reader, path, error) && read_settings(&reader, &s, error);
	reader_clear(&reader);
	if (!ok)
		return FALSE;
	glint_recipe_settings_clear(settings);
	*settings = s;
	glint_recipe_settings_init(&s);
	return TRUE;
}

/* ---- writing ----------------------------------------------------------- */

static gchar *
hex32(guint32 value)
{
	return g_strdup_printf("0x%08X", value);
}

static void
set_hex(GKeyFile *keys, const char *group, const char *key, guint32 value)
{
	g_autofree gchar *text = hex32(value);
	g_key_file_set_string(keys, group, key, text);
}

static void
set_u64(GKeyFile *keys, const char *group, const char *key, guint64 value)
{
	g_autofree gchar *text = g_strdup_printf("%" G_GUINT64_FORMAT, value);
	g_key_file_set_string(keys, group, key, text);
}

static void
write_serial_group(GKeyFile *keys, const GlintRecipeSettings *s)
{
	if (s->serial_format == GLINT_SERIAL_NONE)
		return;
	set_hex(keys, GROUP_SERIAL, "address", s->serial_address);
	set_u64(keys, GROUP_SERIAL, "first", s->serial_first);
	set_u64(keys, GROUP_SERIAL, "step", s->serial_step);
	if (s->serial_last_set)
		set_u64(keys, GROUP_SERIAL, "last", s->serial_last);
	g_key_file_set_string(keys, GROUP_SERIAL, "format",
			      serial_format_names[s->serial_format - 1]);
	if (s->serial_format == GLINT_SERIAL_TEXT) {
		g_key_file_set_string(keys, GROUP_SERIAL, "pattern",
				      s->serial_pattern != NULL ? s->serial_pattern : "%u");
		if (s->serial_size > 0)
			set_u64(keys, GROUP_SERIAL, "size", s->serial_size);
	}
	g_key_file_set_comment(keys, GROUP_SERIAL, NULL,
			       " Only a board that passes is given a number; the next one is kept "
			       "beside the recipe\n (RECIPE.counters) and is never given twice. "
			       "format: u32le, u64le or text.",
			       NULL);
}

static void
write_unique_group(GKeyFile *keys, const GlintRecipeSettings *s)
{
	if (s->unique_encoding == GLINT_UNIQUE_NONE)
		return;
	g_key_file_set_string(keys, GROUP_UNIQUE, "file",
			      s->unique_file != NULL ? s->unique_file : "");
	g_key_file_set_string(keys, GROUP_UNIQUE, "column",
			      s->unique_column != NULL ? s->unique_column : "");
	set_hex(keys, GROUP_UNIQUE, "address", s->unique_address);
	g_key_file_set_string(keys, GROUP_UNIQUE, "encoding",
			      unique_encoding_names[s->unique_encoding - 1]);
	if (s->unique_size > 0)
		set_u64(keys, GROUP_UNIQUE, "size", s->unique_size);
	g_key_file_set_comment(keys, GROUP_UNIQUE, NULL,
			       " One CSV row per board (after the header), never used twice. "
			       "encoding: hex or text.",
			       NULL);
}

gboolean
glint_recipe_settings_write(const GlintRecipeSettings *s, const char *path, GError **error)
{
	g_autoptr(GKeyFile) keys = g_key_file_new();
	g_autofree gchar *text = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	g_key_file_set_integer(keys, GROUP_RECIPE, "version", GLINT_RECIPE_VERSION);
	if (s->name != NULL && *s->name != '\0')
		g_key_file_set_string(keys, GROUP_RECIPE, "name", s->name);
	g_key_file_set_string(keys, GROUP_RECIPE, "chip", s->chip != NULL ? s->chip : "");
	g_key_file_set_comment(keys, GROUP_RECIPE, NULL,
			       " Glint production recipe: glint-cli auto and the Production mode "
			       "run it.\n chip: the part every board must carry (another is "
			       "refused).",
			       NULL);
	g_key_file_set_string(keys, GROUP_IMAGE, "file", s->image != NULL ? s->image : "");
	set_hex(keys, GROUP_IMAGE, "crc32", s->image_crc);
	if (s->image_base_set)
		set_hex(keys, GROUP_IMAGE, "base", s->image_base);
	g_key_file_set_comment(keys, GROUP_IMAGE, NULL,
			       " crc32: of the file's bytes (crc32 FILE): a changed image is "
			       "refused.",
			       NULL);
	g_key_file_set_string(keys, GROUP_ERASE, "mode", erase_names[s->erase]);
	if (s->options != NULL && s->options[0] != NULL)
		g_key_file_set_string_list(keys, GROUP_OPTIONS, "set",
					   (const gchar *const *)s->options,
					   g_strv_length(s->options));
	write_serial_group(keys, s);
	write_unique_group(keys, s);
	g_key_file_set_integer(keys, GROUP_PROTECTION, "rdp", (gint)s->rdp_level);
	g_key_file_set_boolean(keys, GROUP_FINISH, "reset", s->reset_run);
	text = g_key_file_to_data(keys, &len, NULL);
	if (!g_file_set_contents_full(path, text, (gssize)len,
				      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
				      0644, &local)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Could not save the recipe: %s"),
			    local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_recipe_file_crc32(const char *path, guint32 *crc, GError **error)
{
	g_autoptr(GBytes) bytes =
	    glint_file_read(path, _("firmware image"), RECIPE_IMAGE_MAX_BYTES, NULL, error);
	gsize len = 0;
	const guint8 *data;

	if (bytes == NULL)
		return FALSE;
	data = g_bytes_get_data(bytes, &len);
	*crc = glint_crc32(0, data, len);
	return TRUE;
}

/* ---- the loaded recipe -------------------------------------------------- */

/* A printf-style serial pattern, checked once: literal text around one
 * integer conversion. Formatted here, never handed to printf. */
typedef struct {
	gchar *prefix;
	gchar *suffix;
	gboolean zero_pad;
	gboolean left;
	guint width;
	gchar conversion; /* 'u', 'x' or 'X' ('d' and 'i' mean 'u') */
} SerialPattern;

typedef struct {
	guint line;    /* where the row starts in the CSV file */
	GBytes *bytes; /* as written to the board */
} UniqueRow;

struct _GlintRecipe {
	gint ref_count;
	gchar *path;
	gchar *display_name;
	GlintRecipeSettings settings;
	gchar *image_path;
	GlintImage *image;
	const GlintChip *chip;
	guint32 flash_kb;
	GlintFlashGeometry geometry; /* of the part, factory option bytes */
	SerialPattern pattern;
	gchar *unique_path;
	GArray *unique_rows; /* UniqueRow */
};

static void
unique_row_clear(UniqueRow *row)
{
	g_clear_pointer(&row->bytes, g_bytes_unref);
}

GlintRecipe *
glint_recipe_ref(GlintRecipe *self)
{
	g_atomic_int_inc(&self->ref_count);
	return self;
}

void
glint_recipe_unref(GlintRecipe *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test(&self->ref_count))
		return;
	g_free(self->path);
	g_free(self->display_name);
	glint_recipe_settings_clear(&self->settings);
	g_free(self->image_path);
	g_clear_pointer(&self->image, glint_image_unref);
	g_free(self->pattern.prefix);
	g_free(self->pattern.suffix);
	g_free(self->unique_path);
	g_clear_pointer(&self->unique_rows, g_array_unref);
	g_free(self);
}

const char *
glint_recipe_get_path(GlintRecipe *self)
{
	return self->path;
}

const char *
glint_recipe_get_name(GlintRecipe *self)
{
	return self->display_name;
}

const GlintRecipeSettings *
glint_recipe_get_settings(GlintRecipe *self)
{
	return &self->settings;
}

GlintImage *
glint_recipe_get_image(GlintRecipe *self)
{
	return self->image;
}

const char *
glint_recipe_get_image_path(GlintRecipe *self)
{
	return self->image_path;
}

const GlintChip *
glint_recipe_get_chip(GlintRecipe *self)
{
	return self->chip;
}

guint32
glint_recipe_get_flash_kb(GlintRecipe *self)
{
	return self->flash_kb;
}

/* A path in the recipe is relative to the recipe's folder. */
static gchar *
resolve_path(const char *recipe_path, const char *path)
{
	g_autofree gchar *dir = NULL;
	if (g_path_is_absolute(path))
		return g_strdup(path);
	dir = g_path_get_dirname(recipe_path);
	if (g_strcmp0(dir, ".") == 0)
		return g_strdup(path);
	return g_build_filename(dir, path, NULL);
}

/* ---- the chip ---------------------------------------------------------- */

/* The flash-size letter of an STM32 part number (the character after the
 * pin count: STM32L476RG is G, 1 MiB), as each datasheet's "Ordering
 * information" gives it (DS10198 for the STM32L476xx). */
static const struct {
	gchar code;
	guint32 kb;
} flash_size_codes[] = {
    {'4', 16},	{'6', 32},  {'8', 64},	{'B', 128},  {'Z', 192},  {'C', 256},
    {'D', 384}, {'E', 512}, {'F', 768}, {'G', 1024}, {'H', 1536}, {'I', 2048},
};

static guint32
flash_kb_from_code(gchar code)
{
	for (guint i = 0; i < G_N_ELEMENTS(flash_size_codes); i++) {
		if (flash_size_codes[i].code == g_ascii_toupper(code))
			return flash_size_codes[i].kb;
	}
	return 0;
}

static gboolean
chip_has_variant(const GlintChip *chip, guint32 kb)
{
	if (chip->flash_kb_variants == NULL)
		return kb <= chip->flash_kb_max;
	for (guint i = 0; chip->flash_kb_variants[i] != 0; i++) {
		if (chip->flash_kb_variants[i] == kb)
			return TRUE;
	}
	return FALSE;
}

/* The longest part of @chip's list ("STM32L471, L475, L476") that @spec
 * starts with, as "STM32L476"; 0 if none. */
static gsize
chip_part_match(const GlintChip *chip, const char *spec)
{
	g_auto(GStrv) parts = g_strsplit(chip->parts != NULL ? chip->parts : "", ",", -1);
	gsize best = 0;

	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree gchar *part = g_ascii_strup(g_strstrip(parts[i]), -1);
		g_autofree gchar *full = NULL;
		if (*part == '\0')
			continue;
		full = g_str_has_prefix(part, "STM32") ? g_strdup(part)
						       : g_strconcat("STM32", part, NULL);
		if (g_str_has_prefix(spec, full) && strlen(full) > best)
			best = strlen(full);
	}
	return best;
}

static gboolean
resolve_chip(GlintRecipe *self, const RecipeReader *r, GError **error)
{
	g_autofree gchar *spec = g_ascii_strup(self->settings.chip, -1);
	const GlintFamily *const *families = glint_family_all();
	const GlintChip *best = NULL;
	gsize best_len = 0;
	const char *rest;

	for (guint f = 0; families[f] != NULL; f++) {
		for (guint c = 0; c < families[f]->n_chips; c++) {
			const GlintChip *chip = &families[f]->chips[c];
			gsize len;
			if (g_ascii_strcasecmp(chip->name, self->settings.chip) == 0) {
				self->chip = chip;
				self->flash_kb = 0;
				return TRUE;
			}
			len = chip_part_match(chip, spec);
			if (len > best_len) {
				best = chip;
				best_len = len;
			}
		}
	}
	if (best == NULL) {
		g_autofree gchar *supported = glint_chip_describe_supported();
		reader_error(r, error, GROUP_RECIPE, "chip",
			     _("'%s' is not a chip Glint knows: give a part number such as "
			       "STM32L476RG, or one of %s"),
			     self->settings.chip, supported);
		return FALSE;
	}
	self->chip = best;
	rest = spec + best_len;
	if (*rest == '\0')
		return TRUE;
	/* the pin count letter, then the flash size code */
	if (!g_ascii_isalpha(rest[0]) || rest[1] == '\0' ||
	    (self->flash_kb = flash_kb_from_code(rest[1])) == 0) {
		reader_error(r, error, GROUP_RECIPE, "chip",
			     _("'%s': after %.*s comes the pin count letter, then the flash size "
			       "code (C 256 KiB, E 512 KiB, G 1 MiB, ...), as in STM32L476RG"),
			     self->settings.chip, (int)best_len, spec);
		return FALSE;
	}
	if (!chip_has_variant(best, self->flash_kb)) {
		reader_error(r, error, GROUP_RECIPE, "chip",
			     _("'%s' would have %u KiB of flash, which no %s has"),
			     self->settings.chip, self->flash_kb, best->name);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_recipe_chip_matches(GlintRecipe *self, const GlintTargetInfo *info, gchar **why)
{
	g_autofree gchar *wanted = NULL;

	if (info->chip == self->chip && (self->flash_kb == 0 || info->flash_kb == self->flash_kb))
		return TRUE;
	wanted = self->flash_kb != 0
		     ? g_strdup_printf("%s (%u KiB)", self->settings.chip, self->flash_kb)
		     : g_strdup(self->settings.chip);
	if (why != NULL)
		*why =
		    g_strdup_printf(_("the board has an %s with %u KiB of flash (device 0x%03X); "
				      "the recipe is for the %s"),
				    info->chip != NULL ? info->chip->name : _("unknown chip"),
				    info->flash_kb, info->dev_id, wanted);
	return FALSE;
}

/* ---- serial numbers ----------------------------------------------------- */

static gboolean
parse_pattern(const char *text, SerialPattern *p, GError **error)
{
	g_autoptr(GString) prefix = g_string_new(NULL);
	g_autoptr(GString) suffix = g_string_new(NULL);
	gboolean seen = FALSE;

	for (const char *c = text; *c != '\0'; c++) {
		GString *out = seen ? suffix : prefix;
		if (*c != '%') {
			g_string_append_c(out, *c);
			continue;
		}
		c++;
		if (*c == '%') {
			g_string_append_c(out, '%');
			continue;
		}
		if (seen) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("'%s' has more than one conversion: a pattern holds one number "
			      "(write %%%% for a percent sign)"),
			    text);
			return FALSE;
		}
		for (; *c == '0' || *c == '-'; c++) {
			if (*c == '0')
				p->zero_pad = TRUE;
			else
				p->left = TRUE;
		}
		for (; g_ascii_isdigit(*c); c++) {
			p->width = p->width * 10 + (guint)(*c - '0');
			if (p->width > 32) {
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
					    _("'%s': a width above 32 is not a serial number"),
					    text);
				return FALSE;
			}
		}
		while (*c == 'l' || *c == 'j' || *c == 'z')
			c++;
		if (*c != 'u' && *c != 'd' && *c != 'i' && *c != 'x' && *c != 'X') {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("'%s': the number is written %%u, %%d, %%x or %%X, with an "
				      "optional 0 and width (%%06u)"),
				    text);
			return FALSE;
		}
		p->conversion = (*c == 'd' || *c == 'i') ? 'u' : *c;
		seen = TRUE;
	}
	if (!seen) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("'%s' has no number in it: add %%u (e.g. SN-%%06u)"), text);
		return FALSE;
	}
	p->prefix = g_string_free(g_steal_pointer(&prefix), FALSE);
	p->suffix = g_string_free(g_steal_pointer(&suffix), FALSE);
	return TRUE;
}

static gchar *
pattern_format(const SerialPattern *p, guint64 value)
{
	g_autofree gchar *digits =
	    p->conversion == 'u'   ? g_strdup_printf("%" G_GUINT64_FORMAT, value)
	    : p->conversion == 'x' ? g_strdup_printf("%" G_GINT64_MODIFIER "x", value)
				   : g_strdup_printf("%" G_GINT64_MODIFIER "X", value);
	GString *s = g_string_new(p->prefix);
	gsize len = strlen(digits);
	gsize pad = p->width > len ? p->width - len : 0;

	if (!p->left) {
		for (gsize i = 0; i < pad; i++)
			g_string_append_c(s, p->zero_pad ? '0' : ' ');
	}
	g_string_append(s, digits);
	if (p->left) {
		for (gsize i = 0; i < pad; i++)
			g_string_append_c(s, ' ');
	}
	g_string_append(s, p->suffix);
	return g_string_free(s, FALSE);
}

gchar *
glint_recipe_serial_text(GlintRecipe *self, guint64 serial)
{
	if (self->settings.serial_format == GLINT_SERIAL_TEXT)
		return pattern_format(&self->pattern, serial);
	return g_strdup_printf("%" G_GUINT64_FORMAT, serial);
}

/* Bytes a serial occupies in flash: fixed for the integers, the reserved
 * size (or the text of @serial and its NUL) for text. */
static guint
serial_span(GlintRecipe *self, guint64 serial)
{
	const GlintRecipeSettings *s = &self->settings;
	g_autofree gchar *text = NULL;

	switch (s->serial_format) {
	case GLINT_SERIAL_U32LE:
		return 4;
	case GLINT_SERIAL_U64LE:
		return 8;
	case GLINT_SERIAL_TEXT:
		if (s->serial_size > 0)
			return s->serial_size;
		text = pattern_format(&self->pattern, serial);
		return (guint)strlen(text) + 1;
	default:
		return 0;
	}
}

GBytes *
glint_recipe_serial_bytes(GlintRecipe *self, guint64 serial, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	g_autofree guint8 *buf = NULL;
	guint span;

	if (s->serial_format == GLINT_SERIAL_NONE) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("The recipe has no serial number"));
		return NULL;
	}
	if (s->serial_last_set && serial > s->serial_last) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Serial number %" PRIu64 " is past the recipe's last (%" PRIu64
			      "): the range is used up; give the recipe a new range"),
			    serial, s->serial_last);
		return NULL;
	}
	if (s->serial_format == GLINT_SERIAL_U32LE && serial > G_MAXUINT32) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Serial number %" PRIu64
			      " does not fit the recipe's 32 bits (u32le): use u64le"),
			    serial);
		return NULL;
	}
	span = serial_span(self, serial);
	buf = g_malloc0(span);
	if (s->serial_format == GLINT_SERIAL_TEXT) {
		g_autofree gchar *text = pattern_format(&self->pattern, serial);
		gsize len = strlen(text);
		if (len + 1 > span) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Serial number '%s' needs %zu bytes with its NUL; the recipe "
				      "reserves %u (size=)"),
				    text, len + 1, span);
			return NULL;
		}
		memcpy(buf, text, len);
	} else {
		for (guint i = 0; i < span; i++)
			buf[i] = (guint8)(serial >> (8 * i));
	}
	return g_bytes_new_take(g_steal_pointer(&buf), span);
}

/* ---- unique data ---------------------------------------------------------- */

/* RFC 4180 CSV: fields separated by commas, quoted with "..." ("" inside
 * is a quote), records ending with LF, CR LF or CR. Blank lines are
 * skipped. Each record: a GStrv; @lines: the line it starts on. */
static gboolean
csv_parse(const char *name, const char *data, gsize len, GPtrArray *records, GArray *lines,
	  GError **error)
{
	g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) field = g_string_new(NULL);
	gsize i = 0;
	guint line = 1, record_line = 1;
	gboolean in_quotes = FALSE, field_started = FALSE;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i <= len; i++) {
		gchar c = i < len ? data[i] : '\n';
		if (in_quotes) {
			if (i == len) {
				g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
					    _("%s:%u: a quoted field is never closed (a \" is "
					      "missing)"),
					    name, record_line);
				return FALSE;
			}
			if (c == '"' && i + 1 < len && data[i + 1] == '"') {
				g_string_append_c(field, '"');
				i++;
			} else if (c == '"') {
				in_quotes = FALSE;
			} else {
				if (c == '\n')
					line++;
				g_string_append_c(field, c);
			}
			continue;
		}
		if (c == '"' && field->len == 0) {
			in_quotes = TRUE;
			field_started = TRUE;
		} else if (c == ',') {
			g_ptr_array_add(fields, g_string_free(g_steal_pointer(&field), FALSE));
			field = g_string_new(NULL);
			field_started = TRUE;
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
				i++;
			if (field_started || field->len > 0 || fields->len > 0) {
				g_ptr_array_add(fields,
						g_string_free(g_steal_pointer(&field), FALSE));
				g_ptr_array_add(fields, NULL);
				g_ptr_array_add(records,
						g_ptr_array_free(g_steal_pointer(&fields), FALSE));
				g_array_append_val(lines, record_line);
				fields = g_ptr_array_new_with_free_func(g_free);
				field = g_string_new(NULL);
			}
			field_started = FALSE;
			line++;
			record_line = line;
		} else {
			g_string_append_c(field, c);
		}
	}
	return TRUE;
}

static gboolean
hex_value(gchar c, guint8 *value)
{
	if (!g_ascii_isxdigit(c))
		return FALSE;
	*value = (guint8)g_ascii_xdigit_value(c);
	return TRUE;
}

/* "00:80:E1:2A" or "0080E12A": the bytes; FALSE if anything else is there. */
static GByteArray *
decode_hex(const char *text)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	const char *c = text;

	while (*c != '\0') {
		guint8 hi, lo, byte;
		if (*c == ':' || *c == '-' || *c == ' ' || *c == '\t') {
			c++;
			continue;
		}
		if (!hex_value(c[0], &hi) || !hex_value(c[1], &lo))
			return NULL;
		byte = (guint8)(hi << 4 | lo);
		g_byte_array_append(out, &byte, 1);
		c += 2;
	}
	return g_steal_pointer(&out);
}

static gboolean
unique_encode(GlintRecipe *self, const char *text, guint line, UniqueRow *row, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	g_autoptr(GByteArray) bytes = NULL;
	g_autofree gchar *stripped = g_strstrip(g_strdup(text));

	if (*stripped == '\0') {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s:%u: column %s is empty: every row must give its board's data"),
			    self->unique_path, line, s->unique_column);
		return FALSE;
	}
	if (s->unique_encoding == GLINT_UNIQUE_HEX) {
		bytes = decode_hex(stripped);
		if (bytes == NULL) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s:%u: column %s: '%s' is not hex bytes (pairs of hex digits, "
			      "':' or '-' between them allowed)"),
			    self->unique_path, line, s->unique_column, stripped);
			return FALSE;
		}
	} else {
		bytes = g_byte_array_new();
		g_byte_array_append(bytes, (const guint8 *)stripped, (guint)strlen(stripped));
		g_byte_array_append(bytes, (const guint8 *)"", 1); /* its NUL */
	}
	if (bytes->len > GLINT_RECIPE_FIELD_MAX ||
	    (s->unique_size > 0 && bytes->len > s->unique_size)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s:%u: column %s holds %u bytes; the recipe reserves %u (size=)"),
			    self->unique_path, line, s->unique_column, bytes->len,
			    s->unique_size > 0 ? s->unique_size : GLINT_RECIPE_FIELD_MAX);
		return FALSE;
	}
	/* a text shorter than the reserved size is padded with NULs */
	if (s->unique_encoding == GLINT_UNIQUE_TEXT && s->unique_size > bytes->len)
		g_byte_array_set_size(bytes, s->unique_size);
	if (s->unique_encoding == GLINT_UNIQUE_HEX && s->unique_size > 0 &&
	    bytes->len != s->unique_size) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s:%u: column %s holds %u bytes; the recipe writes exactly %u "
			      "(size=)"),
			    self->unique_path, line, s->unique_column, bytes->len, s->unique_size);
		return FALSE;
	}
	row->line = line;
	row->bytes = g_byte_array_free_to_bytes(g_steal_pointer(&bytes));
	return TRUE;
}

static gboolean
load_unique_rows(GlintRecipe *self, GCancellable *cancellable, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(GArray) lines = g_array_new(FALSE, FALSE, sizeof(guint));
	gsize len = 0;
	const char *data;
	gint column = -1;
	gsize span = 0;

	self->unique_path = resolve_path(self->path, s->unique_file);
	bytes = glint_file_read(self->unique_path, _("unique-data CSV"), GLINT_RECIPE_CSV_MAX_BYTES,
				cancellable, error);
	if (bytes == NULL)
		return FALSE;
	data = g_bytes_get_data(bytes, &len);
	if (memchr(data, '\0', len) != NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s is not a CSV file (it holds NUL bytes)"), self->unique_path);
		return FALSE;
	}
	if (!csv_parse(self->unique_path, data, len, records, lines, error))
		return FALSE;
	if (records->len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s is empty: it needs a header row naming column %s, then one row "
			      "per board"),
			    self->unique_path, s->unique_column);
		return FALSE;
	}
	{
		GStrv header = g_ptr_array_index(records, 0);
		for (guint i = 0; header[i] != NULL; i++) {
			g_autofree gchar *name = g_strstrip(g_strdup(header[i]));
			if (g_strcmp0(name, s->unique_column) == 0)
				column = (gint)i;
		}
		if (column < 0) {
			g_autofree gchar *names = g_strjoinv(", ", header);
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("%s:%u: the header has no column %s (it has: %s)"),
				    self->unique_path, g_array_index(lines, guint, 0),
				    s->unique_column, names);
			return FALSE;
		}
	}
	self->unique_rows = g_array_new(FALSE, TRUE, sizeof(UniqueRow));
	g_array_set_clear_func(self->unique_rows, (GDestroyNotify)unique_row_clear);
	for (guint r = 1; r < records->len; r++) {
		GStrv fields = g_ptr_array_index(records, r);
		guint line = g_array_index(lines, guint, r);
		UniqueRow row = {0};
		if (g_strv_length(fields) <= (guint)column) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("%s:%u: the row has %u fields; column %s is field %d"),
				    self->unique_path, line, g_strv_length(fields),
				    s->unique_column, column + 1);
			return FALSE;
		}
		if (!unique_encode(self, fields[column], line, &row, error))
			return FALSE;
		/* hex rows without a size= must all be as long as the first:
		 * a short one would leave another board's bytes in place */
		if (s->unique_encoding == GLINT_UNIQUE_HEX && s->unique_size == 0 && span != 0 &&
		    g_bytes_get_size(row.bytes) != span) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("%s:%u: column %s holds %zu bytes, the rows before %zu: give "
				      "every row the same length (or size= in the recipe)"),
				    self->unique_path, line, s->unique_column,
				    g_bytes_get_size(row.bytes), span);
			unique_row_clear(&row);
			return FALSE;
		}
		span = MAX(span, g_bytes_get_size(row.bytes));
		g_array_append_val(self->unique_rows, row);
	}
	if (self->unique_rows->len == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s has a header but no rows: it needs one row per board"),
			    self->unique_path);
		return FALSE;
	}
	return TRUE;
}

guint
glint_recipe_get_unique_rows(GlintRecipe *self)
{
	return self->unique_rows != NULL ? self->unique_rows->len : 0;
}

GBytes *
glint_recipe_unique_bytes(GlintRecipe *self, guint row, GError **error)
{
	if (self->unique_rows == NULL || row >= self->unique_rows->len) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s has %u rows of unique data, all used: add rows for more boards"),
			    self->unique_path != NULL ? self->unique_path : _("The recipe"),
			    glint_recipe_get_unique_rows(self));
		return NULL;
	}
	return g_bytes_ref(g_array_index(self->unique_rows, UniqueRow, row).bytes);
}

guint
glint_recipe_unique_row_line(GlintRecipe *self, guint row)
{
	if (self->unique_rows == NULL || row >= self->unique_rows->len)
		return 0;
	return g_array_index(self->unique_rows, UniqueRow, row).line;
}

/* The most bytes any unique-data row takes. */
static guint
unique_span(GlintRecipe *self)
{
	guint span = 0;
	for (guint i = 0; self->unique_rows != NULL && i < self->unique_rows->len; i++)
		span = MAX(span, (guint)g_bytes_get_size(
				     g_array_index(self->unique_rows, UniqueRow, i).bytes));
	return span;
}

guint
glint_recipe_get_serial_span(GlintRecipe *self)
{
	const GlintRecipeSettings *s = &self->settings;
	if (s->serial_format != GLINT_SERIAL_TEXT || s->serial_size > 0)
		return serial_span(self, s->serial_first);
	/* the text grows with the number: as long as the largest can make it */
	return serial_span(self, s->serial_last_set ? s->serial_last : G_MAXUINT64);
}

guint
glint_recipe_get_unique_span(GlintRecipe *self)
{
	if (self->settings.unique_encoding == GLINT_UNIQUE_NONE)
		return 0;
	return self->settings.unique_size > 0 ? self->settings.unique_size : unique_span(self);
}

/* ---- checks of the whole ------------------------------------------------ */

static gboolean
load_image(GlintRecipe *self, const RecipeReader *r, GCancellable *cancellable, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *name = NULL;
	GlintImageLoadOptions options = {.format = GLINT_IMAGE_FORMAT_AUTO};
	guint32 crc;
	gsize len = 0;
	const guint8 *data;

	self->image_path = resolve_path(self->path, s->image);
	bytes = glint_file_read(self->image_path, _("firmware image"), RECIPE_IMAGE_MAX_BYTES,
				cancellable, error);
	if (bytes == NULL) {
		g_prefix_error(error, _("%s:%u: [image] file: "), r->name,
			       reader_line(r, GROUP_IMAGE, "file"));
		return FALSE;
	}
	data = g_bytes_get_data(bytes, &len);
	crc = glint_crc32(0, data, len);
	if (crc != s->image_crc) {
		reader_error(
		    r, error, GROUP_IMAGE, "crc32",
		    _("%s has changed since the recipe was made: its CRC-32 is now 0x%08X, "
		      "the recipe says 0x%08X. Use the image the recipe was made for, or "
		      "check the new one and update crc32 (the recipe editor does)"),
		    self->image_path, crc, s->image_crc);
		return FALSE;
	}
	name = g_path_get_basename(self->image_path);
	options.bin_base = s->image_base_set ? s->image_base : self->chip->flash_base;
	self->image = glint_image_load_bytes(bytes, name, &options, error);
	if (self->image == NULL)
		return FALSE;
	if (s->image_base_set && glint_image_get_format(self->image) != GLINT_IMAGE_FORMAT_BIN) {
		reader_error(r, error, GROUP_IMAGE, "base",
			     _("%s is %s, which carries its own addresses: base= places a raw .bin "
			       "only (remove it)"),
			     name,
			     glint_image_format_to_string(glint_image_get_format(self->image)));
		return FALSE;
	}
	if (!glint_image_check_range(self->image, self->geometry.base, self->geometry.size,
				     _("the flash"), error))
		return FALSE;
	return TRUE;
}

/* Whether [a, a+alen) and [b, b+blen) share a byte. */
static gboolean
spans_overlap(guint32 a, guint64 alen, guint32 b, guint64 blen)
{
	return alen > 0 && blen > 0 && a < b + blen && b < a + alen;
}

static gboolean
image_overlaps(GlintImage *image, guint32 address, guint32 len, guint32 *where)
{
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		if (spans_overlap(seg->address, g_bytes_get_size(seg->data), address, len)) {
			*where = MAX(seg->address, address);
			return TRUE;
		}
	}
	return FALSE;
}

/* @what ("serial number") at @address, @len bytes: in flash, outside the image. */
static gboolean
check_area(GlintRecipe *self, const RecipeReader *r, const char *group, const char *what,
	   guint32 address, guint32 len, GError **error)
{
	guint32 where = 0;

	if (!glint_geometry_contains(&self->geometry, address, len)) {
		reader_error(r, error, group, "address",
			     _("the %s (%u bytes at 0x%08X) is not inside the flash of the %s "
			       "(0x%08X-0x%08X)"),
			     what, len, address, self->settings.chip, self->geometry.base,
			     glint_geometry_end(&self->geometry) - 1);
		return FALSE;
	}
	if (image_overlaps(self->image, address, len, &where)) {
		g_autofree gchar *origin = glint_image_get_origin_at(self->image, where);
		reader_error(r, error, group, "address",
			     _("the %s (%u bytes at 0x%08X) overlaps the image at 0x%08X (%s): put "
			       "it where the image has nothing"),
			     what, len, address, where, origin != NULL ? origin : "?");
		return FALSE;
	}
	return TRUE;
}

static gboolean
check_serial(GlintRecipe *self, const RecipeReader *r, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) first = NULL;
	g_autoptr(GBytes) last = NULL;
	guint span;

	if (s->serial_format == GLINT_SERIAL_NONE)
		return TRUE;
	if (s->serial_format == GLINT_SERIAL_TEXT &&
	    !parse_pattern(s->serial_pattern, &self->pattern, &local)) {
		reader_error(r, error, GROUP_SERIAL, "pattern", "%s", local->message);
		return FALSE;
	}
	first = glint_recipe_serial_bytes(self, s->serial_first, &local);
	if (first == NULL) {
		reader_error(r, error, GROUP_SERIAL, "first", "%s", local->message);
		return FALSE;
	}
	if (s->serial_last_set) {
		last = glint_recipe_serial_bytes(self, s->serial_last, &local);
		if (last == NULL) {
			reader_error(r, error, GROUP_SERIAL, "last", "%s", local->message);
			return FALSE;
		}
	}
	span = glint_recipe_get_serial_span(self);
	return check_area(self, r, GROUP_SERIAL, _("serial number"), s->serial_address, span,
			  error);
}

static gboolean
check_unique(GlintRecipe *self, const RecipeReader *r, GCancellable *cancellable, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	guint span;

	if (s->unique_encoding == GLINT_UNIQUE_NONE)
		return TRUE;
	if (!load_unique_rows(self, cancellable, error))
		return FALSE;
	span = glint_recipe_get_unique_span(self);
	if (!check_area(self, r, GROUP_UNIQUE, _("unique data"), s->unique_address, span, error))
		return FALSE;
	if (s->serial_format != GLINT_SERIAL_NONE &&
	    spans_overlap(s->unique_address, span, s->serial_address,
			  glint_recipe_get_serial_span(self))) {
		reader_error(r, error, GROUP_UNIQUE, "address",
			     _("the unique data (%u bytes at 0x%08X) overlaps the serial number at "
			       "0x%08X"),
			     span, s->unique_address, s->serial_address);
		return FALSE;
	}
	return TRUE;
}

/* The option edits on factory option bytes: names and values checked
 * against the chip's layout. */
static gboolean
check_options(GlintRecipe *self, const RecipeReader *r, GlintOptionBytes *edited, GError **error)
{
	const GlintRecipeSettings *s = &self->settings;
	GlintOptionContext ctx = {
	    .layout = self->chip->options,
	    .geometry = &self->geometry,
	    .chip_name = self->chip->name,
	    .chip = self->chip,
	};
	GlintOptionBytes factory;

	glint_option_bytes_init_factory(&factory, self->chip->options);
	*edited = factory;
	for (guint i = 0; s->options != NULL && s->options[i] != NULL; i++) {
		g_autoptr(GError) local = NULL;
		if (g_ascii_strncasecmp(s->options[i], "RDP=", 4) == 0) {
			reader_error(
			    r, error, GROUP_OPTIONS, "set",
			    _("%s: read protection is set last, by [protection] rdp=, once "
			      "the board is programmed and checked"),
			    s->options[i]);
			return FALSE;
		}
		if (!glint_option_bytes_apply_edit(edited, &ctx, s->options[i], &local)) {
			reader_error(r, error, GROUP_OPTIONS, "set", "%s", local->message);
			return FALSE;
		}
	}
	return TRUE;
}

GlintRecipe *
glint_recipe_load(const char *path, GCancellable *cancellable, GError **error)
{
	RecipeReader reader = {0};
	g_autoptr(GlintRecipe) self = g_new0(GlintRecipe, 1);
	GlintOptionBytes edited;
	gboolean ok;

	self->ref_count = 1;
	self->path = g_strdup(path);
	glint_recipe_settings_init(&self->settings);
	ok = reader_open(&reader, path, error) && read_settings(&reader, &self->settings, error) &&
	     resolve_chip(self, &reader, error);
	if (ok) {
		glint_chip_default_geometry(self->chip, self->flash_kb, NULL, &self->geometry);
		ok = load_image(self, &reader, cancellable, error) &&
		     check_serial(self, &reader, error) &&
		     check_unique(self, &reader, cancellable, error) &&
		     check_options(self, &reader, &edited, error);
	}
	reader_clear(&reader);
	if (!ok)
		return NULL;
	if (self->settings.name != NULL) {
		self->display_name = g_strdup(self->settings.name);
	} else {
		g_autofree gchar *base = g_path_get_basename(path);
		if (g_str_has_suffix(base, GLINT_RECIPE_EXTENSION))
			base[strlen(base) - strlen(GLINT_RECIPE_EXTENSION)] = '\0';
		self->display_name = g_steal_pointer(&base);
	}
	return g_steal_pointer(&self);
}

/* ---- what it needs and what it does ----------------------------------------- */

static GPtrArray *
factory_option_changes(GlintRecipe *self)
{
	GlintOptionContext ctx = {
	    .layout = self->chip->options,
	    .geometry = &self->geometry,
	    .chip_name = self->chip->name,
	    .chip = self->chip,
	};
	GlintOptionBytes factory, edited;

	glint_option_bytes_init_factory(&factory, self->chip->options);
	edited = factory;
	for (guint i = 0; self->settings.options != NULL && self->settings.options[i] != NULL; i++)
		glint_option_bytes_apply_edit(&edited, &ctx, self->settings.options[i], NULL);
	/* the protection comes last, but it is an option-byte change too */
	if (self->settings.rdp_level > 0) {
		g_autofree gchar *rdp = g_strdup_printf("RDP=%u", self->settings.rdp_level);
		glint_option_bytes_apply_edit(&edited, &ctx, rdp, NULL);
	}
	return glint_option_bytes_diff(&ctx, &factory, &edited);
}

GlintConfirm
glint_recipe_needs_confirm(GlintRecipe *self, gchar **why)
{
	g_autoptr(GPtrArray) changes = factory_option_changes(self);
	g_autoptr(GString) reasons = g_string_new(NULL);
	GlintConfirm needs = GLINT_CONFIRM_NONE;

	if (self->settings.erase == GLINT_RECIPE_ERASE_ALL) {
		needs |= GLINT_CONFIRM_RISKY;
		g_string_append(reasons, _("erase mode=all: every board is mass-erased first\n"));
	}
	for (guint i = 0; i < changes->len; i++) {
		const GlintOptionChange *c = g_ptr_array_index(changes, i);
		if (c->risk & GLINT_OPTION_RISK_PERMANENT)
			needs |= GLINT_CONFIRM_PERMANENT_LOCK;
		else if (c->risk != GLINT_OPTION_RISK_NONE)
			needs |= GLINT_CONFIRM_RISKY;
		if (c->risk != GLINT_OPTION_RISK_NONE)
			g_string_append_printf(
			    /* TRANSLATORS: "protection RDP=2: ..." or "options nBOOT0=0: ...";
			     * the first word is the recipe's group */
			    reasons, _("%s %s=%s: %s\n"),
			    g_strcmp0(c->name, "RDP") == 0 ? "protection" : "options", c->name,
			    c->new_value,
			    c->consequence != NULL ? c->consequence : _("a risky change"));
	}
	if (why != NULL)
		*why = g_string_free(g_steal_pointer(&reasons), FALSE);
	return needs;
}

static void describe_step(GString *s, guint *n, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
describe_step(GString *s, guint *n, const char *format, ...)
{
	va_list args;
	g_string_append_printf(s, "  %u. ", ++*n);
	va_start(args, format);
	g_string_append_vprintf(s, format, args);
	va_end(args);
	g_string_append_c(s, '\n');
}

static void
describe_serial(GlintRecipe *self, GString *s, guint *n)
{
	const GlintRecipeSettings *st = &self->settings;
	g_autofree gchar *first = glint_recipe_serial_text(self, st->serial_first);
	g_autofree gchar *last =
	    st->serial_last_set ? glint_recipe_serial_text(self, st->serial_last) : NULL;
	const char *encoding = st->serial_format == GLINT_SERIAL_U32LE	 ? _("u32, little-endian")
			       : st->serial_format == GLINT_SERIAL_U64LE ? _("u64, little-endian")
									 : _("text");

	if (last != NULL)
		describe_step(s, n,
			      _("Serial number: %s at 0x%08X (%s), from %s to %s, step %" PRIu64
				"; only a board that passes gets one"),
			      first, st->serial_address, encoding, first, last, st->serial_step);
	else
		describe_step(s, n,
			      _("Serial number: %s at 0x%08X (%s), from %s, step %" PRIu64
				"; only a board that passes gets one"),
			      first, st->serial_address, encoding, first, st->serial_step);
}

/* "Erase the pages under the image, the serial number and the unique data" */
static const char *
describe_erase(GlintRecipe *self)
{
	const GlintRecipeSettings *st = &self->settings;
	gboolean sectors = g_strcmp0(self->geometry.unit_name, "sector") == 0;
	gboolean serial = st->serial_format != GLINT_SERIAL_NONE;
	gboolean unique = st->unique_encoding != GLINT_UNIQUE_NONE;

	if (serial && unique)
		return sectors ? _("Erase the sectors under the image, the serial number and the "
				   "unique data")
			       : _("Erase the pages under the image, the serial number and the "
				   "unique data");
	if (serial)
		return sectors ? _("Erase the sectors under the image and the serial number")
			       : _("Erase the pages under the image and the serial number");
	if (unique)
		return sectors ? _("Erase the sectors under the image and the unique data")
			       : _("Erase the pages under the image and the unique data");
	return sectors ? _("Erase the sectors under the image")
		       : _("Erase the pages under the image");
}

gchar *
glint_recipe_describe(GlintRecipe *self)
{
	const GlintRecipeSettings *st = &self->settings;
	g_autoptr(GString) s = g_string_new(NULL);
	g_autofree gchar *segments = glint_image_describe(self->image);
	g_autofree gchar *why = NULL;
	GlintConfirm confirm = glint_recipe_needs_confirm(self, &why);
	guint n = 0;

	g_string_append_printf(s, _("Recipe %s (%s)\n"), self->display_name, self->path);
	g_string_append_printf(s, _("Chip: %s (%s, device 0x%03X"), st->chip, self->chip->name,
			       self->chip->dev_id);
	if (self->flash_kb != 0)
		g_string_append_printf(s, _(", %u KiB of flash"), self->flash_kb);
	g_string_append(s, _("); a board with another chip is refused\n"));
	g_string_append_printf(s, _("Image: %s, CRC-32 0x%08X (checked), %zu bytes\n"),
			       self->image_path, st->image_crc, glint_image_get_size(self->image));
	g_string_append(s, segments);
	if (s->len > 0 && s->str[s->len - 1] != '\n')
		g_string_append_c(s, '\n');
	g_string_append(s, _("For each board:\n"));
	describe_step(s, &n, _("Wait for a board (the probe sees the target's supply)"));
	describe_step(s, &n,
		      _("Connect; check the chip and diagnose it (read protection, "
			"incoherent option bytes: the board is refused)"));
	if (st->erase == GLINT_RECIPE_ERASE_ALL)
		describe_step(s, &n, _("Mass erase"));
	else
		describe_step(s, &n, "%s", describe_erase(self));
	describe_step(s, &n, _("Program the image and verify it"));
	if (st->serial_format != GLINT_SERIAL_NONE)
		describe_serial(self, s, &n);
	if (st->unique_encoding != GLINT_UNIQUE_NONE)
		describe_step(s, &n,
			      _("Unique data: column %s of %s (%u rows, one per board, never used "
				"twice) at 0x%08X as %s"),
			      st->unique_column, self->unique_path,
			      glint_recipe_get_unique_rows(self), st->unique_address,
			      st->unique_encoding == GLINT_UNIQUE_HEX ? _("bytes") : _("text"));
	if (st->options != NULL && st->options[0] != NULL) {
		g_autofree gchar *edits = g_strjoinv(" ", st->options);
		describe_step(s, &n, _("Option bytes: %s"), edits);
	}
	if (st->rdp_level > 0)
		describe_step(
		    s, &n,
		    st->rdp_level == 2
			? _("Read protection: RDP level %u (permanent: can never be undone)")
			: _("Read protection: RDP level %u"),
		    st->rdp_level);
	if (st->reset_run)
		describe_step(s, &n, _("Reset and run the new firmware"));
	describe_step(s, &n, _("Write the record; wait until the board is removed"));
	if (confirm == GLINT_CONFIRM_NONE) {
		g_string_append(s, _("Needs no confirmation.\n"));
	} else {
		g_string_append_printf(
		    /* TRANSLATORS: %s is --confirm, --confirm-permanent-lock or both, then
		     * the reasons, one a line */
		    s, _("Needs %s:\n%s"),
		    (confirm & GLINT_CONFIRM_RISKY) && (confirm & GLINT_CONFIRM_PERMANENT_LOCK)
			? _("--confirm and --confirm-permanent-lock")
		    : (confirm & GLINT_CONFIRM_RISKY) ? "--confirm"
						      : "--confirm-permanent-lock",
		    why);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}
