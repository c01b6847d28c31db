/* glint-station-record.h: what a production station writes about each
 * board, and the files it writes it to.
 *
 * A record says when (ISO 8601 with the zone), on which probe, which chip
 * and board (its 96-bit unique id), the serial number written (only for a
 * board that passed), the unique-data row, the image's CRC-32, the result,
 * and for a failure the step, the words for the operator ("bad contact:
 * target voltage 0.40 V"), the cause (the full message) and its code, and
 * how long it took (host seconds, modelled seconds under simulation).
 *
 * A record file is CSV (a header line, then one line per board) or, when
 * its name ends in .jsonl, JSON lines. Each record is appended with one
 * write() and synced: an aborted run never leaves half a line, and a line a
 * power cut did cut short is moved to FILE.torn when the file is opened
 * again. A file that is not a record file of this layout is refused, never
 * written over. Several threads may append at once. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	gchar *time;		/* "2024-05-02T14:03:11+02:00", when the board was done */
	gchar *probe;		/* the probe's serial */
	gchar *chip;		/* "STM32L47x/L48x", NULL when not connected */
	guint32 flash_kb;	/* 0: unknown */
	gchar *uid;		/* 24 hex digits, NULL when not read */
	gchar *serial;		/* as written ("1000", "SN-001000"); NULL unless it passed */
	gint64 unique_row;	/* line of the CSV row used; -1: none */
	guint32 image_crc;	/* the recipe's image */
	gboolean passed;	/* PASS or FAIL */
	gchar *step;		/* the step that failed ("connect"); NULL when it passed */
	gchar *error;		/* for the operator: what failed and what to do */
	gchar *cause;		/* the full error message */
	gchar *error_code;	/* glint_error_code_to_string() of the cause */
	gdouble seconds;	/* host time the board took */
	gdouble device_seconds; /* modelled device time, < 0 on real hardware */
} GlintStationRecord;

void glint_station_record_init(GlintStationRecord *record);
void glint_station_record_clear(GlintStationRecord *record);
void glint_station_record_copy(GlintStationRecord *dest, const GlintStationRecord *src);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(GlintStationRecord, glint_station_record_clear)

/* The CSV header line (without its newline) and a record as one CSV line
 * (with it), fields quoted as RFC 4180 says where needed. */
const char *glint_station_record_csv_header(void);
gchar *glint_station_record_to_csv(const GlintStationRecord *record);
/* A record as one JSON object on one line (with its newline). */
gchar *glint_station_record_to_json(const GlintStationRecord *record);

typedef struct _GlintRecordFile GlintRecordFile;

/* Opens (creates) @path for appending: CSV with its header, or JSON lines
 * for *.jsonl. Refuses a file holding something else (naming what it
 * found) and anything but a regular file. */
GlintRecordFile *glint_record_file_open(const char *path, GError **error);
void glint_record_file_close(GlintRecordFile *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintRecordFile, glint_record_file_close)
const char *glint_record_file_get_path(GlintRecordFile *self);
/* Appends @record with one write and syncs it to disk. */
gboolean glint_record_file_append(GlintRecordFile *self, const GlintStationRecord *record,
				  GError **error);

G_END_DECLS
