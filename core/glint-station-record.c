/* glint-station-record.c: station records as CSV or JSON lines, appended
 * whole and synced. */
#define G_LOG_DOMAIN "glint-station"

#include "glint-i18n.h"
#include "glint-station-record.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glint-error.h"
#include "glint-file.h"

#define RECORD_CSV_HEADER                                                                          \
	"time,probe,chip,flash_kb,uid,serial,unique_row,image_crc,result,step,error,cause,"        \
	"error_code,duration_s,modelled_s"
/* Every JSON line starts so: how an existing .jsonl is recognised. */
#define RECORD_JSON_START "{\"time\":"

void
glint_station_record_init(GlintStationRecord *record)
{
	memset(record, 0, sizeof(*record));
	record->unique_row = -1;
	record->device_seconds = -1;
}

void
glint_station_record_clear(GlintStationRecord *record)
{
	g_free(record->time);
	g_free(record->probe);
	g_free(record->chip);
	g_free(record->uid);
	g_free(record->serial);
	g_free(record->step);
	g_free(record->error);
	g_free(record->cause);
	g_free(record->error_code);
	glint_station_record_init(record);
}

void
glint_station_record_copy(GlintStationRecord *dest, const GlintStationRecord *src)
{
	*dest = *src;
	dest->time = g_strdup(src->time);
	dest->probe = g_strdup(src->probe);
	dest->chip = g_strdup(src->chip);
	dest->uid = g_strdup(src->uid);
	dest->serial = g_strdup(src->serial);
	dest->step = g_strdup(src->step);
	dest->error = g_strdup(src->error);
	dest->cause = g_strdup(src->cause);
	dest->error_code = g_strdup(src->error_code);
}

const char *
glint_station_record_csv_header(void)
{
	return RECORD_CSV_HEADER;
}

/* RFC 4180: a field with a comma, quote or line end is quoted, its quotes
 * doubled. Line ends inside a message become spaces: one record, one line. */
static void
csv_field(GString *line, const char *text, gboolean last)
{
	g_autofree gchar *flat = g_strdup(text != NULL ? text : "");
	for (gchar *c = flat; *c != '\0'; c++) {
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	}
	if (strpbrk(flat, ",\"") != NULL) {
		g_string_append_c(line, '"');
		for (const char *c = flat; *c != '\0'; c++) {
			if (*c == '"')
				g_string_append_c(line, '"');
			g_string_append_c(line, *c);
		}
		g_string_append_c(line, '"');
	} else {
		g_string_append(line, flat);
	}
	g_string_append_c(line, last ? '\n' : ',');
}

static gchar *
seconds_text(gdouble seconds)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
	if (seconds < 0)
		return g_strdup("");
	return g_strdup(g_ascii_formatd(buf, sizeof(buf), "%.3f", seconds));
}

gchar *
glint_station_record_to_csv(const GlintStationRecord *r)
{
	GString *line = g_string_new(NULL);
	g_autofree gchar *flash = r->flash_kb > 0 ? g_strdup_printf("%u", r->flash_kb) : NULL;
	g_autofree gchar *row =
	    r->unique_row >= 0 ? g_strdup_printf("%" G_GINT64_FORMAT, r->unique_row) : NULL;
	g_autofree gchar *crc = g_strdup_printf("0x%08X", r->image_crc);
	g_autofree gchar *seconds = seconds_text(r->seconds);
	g_autofree gchar *device = seconds_text(r->device_seconds);

	csv_field(line, r->time, FALSE);
	csv_field(line, r->probe, FALSE);
	csv_field(line, r->chip, FALSE);
	csv_field(line, flash, FALSE);
	csv_field(line, r->uid, FALSE);
	csv_field(line, r->serial, FALSE);
	csv_field(line, row, FALSE);
	csv_field(line, crc, FALSE);
	csv_field(line, r->passed ? "PASS" : "FAIL", FALSE);
	csv_field(line, r->step, FALSE);
	csv_field(line, r->error, FALSE);
	csv_field(line, r->cause, FALSE);
	csv_field(line, r->error_code, FALSE);
	csv_field(line, seconds, FALSE);
	csv_field(line, device, TRUE);
	return g_string_free(line, FALSE);
}

static void
json_string(GString *out, const char *key, const char *value, gboolean last)
{
	g_string_append_printf(out, "\"%s\":", key);
	if (value == NULL) {
		g_string_append(out, "null");
	} else {
		g_string_append_c(out, '"');
		for (const guchar *c = (const guchar *)value; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				g_string_append_printf(out, "\\%c", *c);
			else if (*c < 0x20)
				g_string_append_printf(out, "\\u%04x", *c);
			else
				g_string_append_c(out, (gchar)*c);
		}
		g_string_append_c(out, '"');
	}
	g_string_append(out, last ? "}\n" : ",");
}

static void
json_raw(GString *out, const char *key, const char *value)
{
	g_string_append_printf(out, "\"%s\":%s,", key, value);
}

gchar *
glint_station_record_to_json(const GlintStationRecord *r)
{
	GString *out = g_string_new("{");
	g_autofree gchar *flash =
	    r->flash_kb > 0 ? g_strdup_printf("%u", r->flash_kb) : g_strdup("null");
	g_autofree gchar *row = r->unique_row >= 0
				    ? g_strdup_printf("%" G_GINT64_FORMAT, r->unique_row)
				    : g_strdup("null");
	g_autofree gchar *crc = g_strdup_printf("0x%08X", r->image_crc);
	g_autofree gchar *seconds = seconds_text(r->seconds);
	g_autofree gchar *device = seconds_text(r->device_seconds);

	json_string(out, "time", r->time, FALSE);
	json_string(out, "probe", r->probe, FALSE);
	json_string(out, "chip", r->chip, FALSE);
	json_raw(out, "flash_kb", flash);
	json_string(out, "uid", r->uid, FALSE);
	json_string(out, "serial", r->serial, FALSE);
	json_raw(out, "unique_row", row);
	json_string(out, "image_crc", crc, FALSE);
	json_string(out, "result", r->passed ? "PASS" : "FAIL", FALSE);
	json_string(out, "step", r->step, FALSE);
	json_string(out, "error", r->error, FALSE);
	json_string(out, "cause", r->cause, FALSE);
	json_string(out, "error_code", r->error_code, FALSE);
	json_raw(out, "duration_s", *seconds != '\0' ? seconds : "null");
	g_string_append_printf(out, "\"modelled_s\":%s}\n", *device != '\0' ? device : "null");
	return g_string_free(out, FALSE);
}

/* ---- files ----------------------------------------------------------------- */

struct _GlintRecordFile {
	gchar *path;
	gboolean json;
	int fd;
	GMutex mutex;
};

static void
set_io_error(GError **error, const char *what, const char *path, int err)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Could not %s the record file %s: %s"),
		    what, path, g_strerror(err));
}

static gboolean
write_all(int fd, const char *data, gsize len)
{
	gsize done = 0;
	while (done < len) {
		gssize n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		done += (gsize)n;
	}
	return TRUE;
}

static gboolean
read_at(int fd, gchar *buf, gsize len, off_t offset, gsize *got)
{
	gssize n;
	do
		n = pread(fd, buf, len, offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return FALSE;
	*got = (gsize)n;
	return TRUE;
}

/* Offset just past the last newline before @size (0 if there is none). */
static gboolean
last_line_end(int fd, off_t size, off_t *end)
{
	gchar buf[4096];
	off_t pos = size;

	while (pos > 0) {
		gsize chunk = (gsize)MIN((off_t)sizeof(buf), pos), got = 0;
		pos -= (off_t)chunk;
		if (!read_at(fd, buf, chunk, pos, &got) || got != chunk)
			return FALSE;
		for (gsize i = chunk; i > 0; i--) {
			if (buf[i - 1] == '\n') {
				*end = pos + (off_t)i;
				return TRUE;
			}
		}
	}
	*end = 0;
	return TRUE;
}

/* A line a power cut left unfinished goes to FILE.torn (kept for a person,
 * never lost), and the file ends on its last whole record again. */
static gboolean
repair_torn_tail(GlintRecordFile *self, off_t size, off_t *new_size, GError **error)
{
	g_autofree gchar *torn_path = g_strconcat(self->path, ".torn", NULL);
	g_autofree gchar *tail = NULL;
	off_t end = 0;
	gsize got = 0;
	int torn;

	if (!last_line_end(self->fd, size, &end)) {
		set_io_error(error, C_("file action", "read"), self->path, errno);
		return FALSE;
	}
	tail = g_malloc((gsize)(size - end) + 1);
	if (!read_at(self->fd, tail, (gsize)(size - end), end, &got)) {
		set_io_error(error, C_("file action", "read"), self->path, errno);
		return FALSE;
	}
	tail[got] = '\n';
	torn = g_open(torn_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (torn < 0 || !write_all(torn, tail, got + 1) || fsync(torn) < 0) {
		int err = errno;
		if (torn >= 0)
			close(torn);
		set_io_error(error, C_("file action", "save the unfinished last line of"),
			     self->path, err);
		return FALSE;
	}
	close(torn);
	if (ftruncate(self->fd, end) < 0 || fsync(self->fd) < 0) {
		set_io_error(error, C_("file action", "repair"), self->path, errno);
		return FALSE;
	}
	g_warning("%s ended with an unfinished line (a run was cut short by a power cut or a "
		  "full disk); it was moved to %s",
		  self->path, torn_path);
	*new_size = end;
	return TRUE;
}

/* The file holds records of this layout (or nothing yet). */
static gboolean
check_layout(GlintRecordFile *self, off_t size, GError **error)
{
	gsize want = self->json ? strlen(RECORD_JSON_START) : strlen(RECORD_CSV_HEADER "\n");
	g_autofree gchar *head = g_malloc0(want + 1);
	gsize got = 0;

	if (size == 0)
		return TRUE;
	if (!read_at(self->fd, head, want, 0, &got)) {
		set_io_error(error, C_("file action", "read"), self->path, errno);
		return FALSE;
	}
	if (got == want &&
	    memcmp(head, self->json ? RECORD_JSON_START : RECORD_CSV_HEADER "\n", want) == 0)
		return TRUE;
	for (gsize i = 0; i < got; i++) {
		if (head[i] == '\n' || head[i] == '\r' || (guchar)head[i] < 0x20)
			head[i] = i + 1 == got ? '\0' : ' ';
	}
	g_set_error(
	    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
	    _("%s is not a Glint %s record file (it starts \"%.40s\"): it is left as it is; "
	      "give a new file name or one a station wrote"),
	    self->path, self->json ? _("JSON-lines") : "CSV", head);
	return FALSE;
}

GlintRecordFile *
glint_record_file_open(const char *path, GError **error)
{
	g_autoptr(GlintRecordFile) self = g_new0(GlintRecordFile, 1);
	struct stat st;

	g_mutex_init(&self->mutex);
	self->fd = -1;
	self->path = g_strdup(path);
	self->json = g_str_has_suffix(path, ".jsonl");
	if (!glint_file_check_regular(path, _("record file"), NULL, error))
		return NULL;
	self->fd = g_open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (self->fd < 0 || fstat(self->fd, &st) < 0) {
		set_io_error(error, C_("file action", "open"), path, errno);
		return NULL;
	}
	if (!self->json && st.st_size > 0 && (gsize)st.st_size < strlen(RECORD_CSV_HEADER "\n")) {
		/* a header a power cut left unfinished: written again */
		gchar head[sizeof(RECORD_CSV_HEADER)] = {0};
		gsize got = 0;
		if (read_at(self->fd, head, (gsize)st.st_size, 0, &got) &&
		    got == (gsize)st.st_size && memcmp(head, RECORD_CSV_HEADER, got) == 0) {
			if (ftruncate(self->fd, 0) < 0) {
				set_io_error(error, C_("file action", "repair"), path, errno);
				return NULL;
			}
			st.st_size = 0;
		}
	}
	if (!check_layout(self, st.st_size, error))
		return NULL;
	if (st.st_size > 0) {
		gchar last = 0;
		gsize got = 0;
		off_t size = st.st_size;
		if (!read_at(self->fd, &last, 1, size - 1, &got)) {
			set_io_error(error, C_("file action", "read"), path, errno);
			return NULL;
		}
		if (last != '\n' && !repair_torn_tail(self, size, &size, error))
			return NULL;
		st.st_size = size;
	}
	if (st.st_size == 0 && !self->json) {
		if (!write_all(self->fd, RECORD_CSV_HEADER "\n", strlen(RECORD_CSV_HEADER "\n")) ||
		    fsync(self->fd) < 0) {
			set_io_error(error, C_("file action", "write"), path, errno);
			return NULL;
		}
	}
	return g_steal_pointer(&self);
}

void
glint_record_file_close(GlintRecordFile *self)
{
	if (self == NULL)
		return;
	if (self->fd >= 0)
		close(self->fd);
	g_mutex_clear(&self->mutex);
	g_free(self->path);
	g_free(self);
}

const char *
glint_record_file_get_path(GlintRecordFile *self)
{
	return self->path;
}

gboolean
glint_record_file_append(GlintRecordFile *self, const GlintStationRecord *record, GError **error)
{
	g_autofree gchar *line =
	    self->json ? glint_station_record_to_json(record) : glint_station_record_to_csv(record);
	gboolean ok;

	g_mutex_lock(&self->mutex);
	/* one write: a kill cannot leave half of it; then on disk */
	ok = write_all(self->fd, line, strlen(line)) && fdatasync(self->fd) == 0;
	if (!ok)
		set_io_error(error, C_("file action", "append to"), self->path, errno);
	g_mutex_unlock(&self->mutex);
	return ok;
}
