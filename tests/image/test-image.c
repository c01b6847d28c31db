/* test-image.c: the memory image type, the four loaders on hand-made good
 * and bad files, the writers (round trips) and replay of fuzz regressions. */
#define G_LOG_DOMAIN "test-image"

#include <check.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "glint-error.h"
#include "glint-file.h"
#include "glint-image.h"
#include "test-tmp.h"

#define ck_assert_no_error(e)                                                                      \
	ck_assert_msg((e) == NULL, "unexpected error: %s", (e) ? (e)->message : "")
#define ck_assert_error(e, domain, code)                                                           \
	ck_assert_msg(g_error_matches((e), (domain), (code)), "expected error %d, got: %s",        \
		      (int)(code), (e) ? (e)->message : "none")

#define L476_FLASH_BASE 0x08000000u
#define L476_FLASH_SIZE 0x00100000u
#define L476_FLASH_WHAT "the flash of STM32L47x/L48x"

static gchar *
data_path(const char *name)
{
	const char *src = g_getenv("GLINT_SOURCE_DIR");
	ck_assert_msg(src != NULL, "GLINT_SOURCE_DIR is not set (run through meson test)");
	return g_build_filename(src, "tests", "image", "data", name, NULL);
}

static GlintImage *
load_data(const char *name, GError **error)
{
	g_autofree gchar *path = data_path(name);
	return glint_image_load(path, NULL, error);
}

/* Byte-for-byte equality of two images: segments, data and start address. */
static void
assert_same_image(GlintImage *a, GlintImage *b)
{
	guint32 sa = 0, sb = 0;
	ck_assert_uint_eq(glint_image_get_n_segments(a), glint_image_get_n_segments(b));
	for (guint i = 0; i < glint_image_get_n_segments(a); i++) {
		const GlintImageSegment *x = glint_image_get_segment(a, i);
		const GlintImageSegment *y = glint_image_get_segment(b, i);
		ck_assert_uint_eq(x->address, y->address);
		ck_assert_msg(g_bytes_equal(x->data, y->data), "segment %u at 0x%08X differs", i,
			      x->address);
	}
	ck_assert_int_eq(glint_image_get_start_address(a, &sa),
			 glint_image_get_start_address(b, &sb));
	ck_assert_uint_eq(sa, sb);
}

/* ---- the image type ---- */

START_TEST(test_add_merges_adjacent)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 a[16], b[16], c[16];
	memset(a, 0xA1, sizeof a);
	memset(b, 0xB2, sizeof b);
	memset(c, 0xC3, sizeof c);
	ck_assert(glint_image_add(image, 0x120, c, sizeof c, "c", &error));
	ck_assert(glint_image_add(image, 0x100, a, sizeof a, "a", &error));
	ck_assert_uint_eq(glint_image_get_n_segments(image), 2);
	/* b bridges the gap between a and c. */
	ck_assert(glint_image_add(image, 0x110, b, sizeof b, "b", &error));
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_n_segments(image), 1);
	const GlintImageSegment *seg = glint_image_get_segment(image, 0);
	ck_assert_uint_eq(seg->address, 0x100);
	ck_assert_uint_eq(g_bytes_get_size(seg->data), 48);
	const guint8 *d = g_bytes_get_data(seg->data, NULL);
	ck_assert_uint_eq(d[0], 0xA1);
	ck_assert_uint_eq(d[16], 0xB2);
	ck_assert_uint_eq(d[47], 0xC3);
	ck_assert_str_eq(seg->origin, "a, b, c");
	guint32 lo = 0, end = 0;
	glint_image_get_bounds(image, &lo, &end);
	ck_assert_uint_eq(lo, 0x100);
	ck_assert_uint_eq(end, 0x130);
	ck_assert_uint_eq(glint_image_get_size(image), 48);
}
END_TEST

START_TEST(test_add_prepend_and_sorted)
{
	g_autoptr(GlintImage) image = glint_image_new();
	guint8 buf[4] = {1, 2, 3, 4};
	ck_assert(glint_image_add(image, 0x3000, buf, 4, "x", NULL));
	ck_assert(glint_image_add(image, 0x1000, buf, 4, "x", NULL));
	ck_assert(glint_image_add(image, 0x2000, buf, 4, "x", NULL));
	ck_assert(glint_image_add(image, 0x0FFC, buf, 4, "y", NULL));
	ck_assert_uint_eq(glint_image_get_n_segments(image), 3);
	ck_assert_uint_eq(glint_image_get_segment(image, 0)->address, 0x0FFC);
	ck_assert_uint_eq(g_bytes_get_size(glint_image_get_segment(image, 0)->data), 8);
	ck_assert_uint_eq(glint_image_get_segment(image, 1)->address, 0x2000);
	ck_assert_uint_eq(glint_image_get_segment(image, 2)->address, 0x3000);
}
END_TEST

START_TEST(test_add_overlap_same_is_fine)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 buf[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	ck_assert(glint_image_add(image, 0x100, buf, 8, "one", &error));
	ck_assert(glint_image_add(image, 0x104, buf + 4, 4, "two", &error));
	ck_assert(glint_image_add(image, 0x0FE, buf, 0, "empty", &error));
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_size(image), 8);
}
END_TEST

START_TEST(test_add_overlap_differs)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 a[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	guint8 b[4] = {4, 5, 0x66, 7};
	ck_assert(glint_image_add(image, 0x100, a, 8, "first.hex:3", &error));
	ck_assert(!glint_image_add(image, 0x104, b, 4, "second.hex:9", &error));
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_str_eq(error->message,
			 "second.hex:9: byte at 0x00000106 is 0x66 here but 0x06 in first.hex:3; "
			 "overlapping data must agree");
	/* Nothing changed. */
	const guint8 *d = g_bytes_get_data(glint_image_get_segment(image, 0)->data, NULL);
	ck_assert_uint_eq(d[6], 6);
}
END_TEST

START_TEST(test_add_past_4g)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 buf[8] = {0};
	ck_assert(glint_image_add(image, 0xFFFFFFF8, buf, 8, "top", &error));
	ck_assert(!glint_image_add(image, 0xFFFFFFFC, buf, 8, "over", &error));
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_ptr_nonnull(strstr(error->message, "over:"));
	guint32 end = 0;
	glint_image_get_bounds(image, NULL, &end);
	ck_assert_uint_eq(end, 0xFFFFFFFF);
}
END_TEST

START_TEST(test_fill)
{
	g_autoptr(GlintImage) image = glint_image_new();
	guint8 a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
	guint8 buf[16];
	ck_assert(glint_image_add(image, 0x102, a, 4, "a", NULL));
	ck_assert(glint_image_add(image, 0x10C, b, 4, "b", NULL));
	memset(buf, 0xFF, sizeof buf);
	ck_assert_uint_eq(glint_image_fill(image, 0x100, buf, sizeof buf), 8);
	const guint8 want[16] = {0xFF, 0xFF, 1,	   2,	 3, 4, 0xFF, 0xFF,
				 0xFF, 0xFF, 0xFF, 0xFF, 5, 6, 7,    8};
	ck_assert_mem_eq(buf, want, 16);
	/* A window cutting both segments. */
	memset(buf, 0, sizeof buf);
	ck_assert_uint_eq(glint_image_fill(image, 0x104, buf, 9), 3);
	ck_assert_uint_eq(buf[0], 3);
	ck_assert_uint_eq(buf[1], 4);
	ck_assert_uint_eq(buf[8], 5);
	ck_assert_uint_eq(glint_image_fill(image, 0x200, buf, 4), 0);
}
END_TEST

START_TEST(test_check_range_bin)
{
	g_autoptr(GError) error = NULL;
	guint8 data[0x20];
	memset(data, 0x5A, sizeof data);
	g_autoptr(GBytes) bytes = g_bytes_new(data, sizeof data);
	GlintImageLoadOptions opts = {.format = GLINT_IMAGE_FORMAT_BIN, .bin_base = 0x080FFFF0};
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fw.bin", &opts, &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_format(image), GLINT_IMAGE_FORMAT_BIN);
	ck_assert(!glint_image_check_range(image, L476_FLASH_BASE, L476_FLASH_SIZE, L476_FLASH_WHAT,
					   &error));
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_str_eq(error->message,
			 "fw.bin offset 0x10: address 0x08100000 is outside the flash of "
			 "STM32L47x/L48x (0x08000000-0x080FFFFF); give the binary a base address "
			 "inside it");
	/* Exactly filling the flash is fine. */
	ck_assert(glint_image_check_range(image, 0x080FFFF0, 0x20, "x", NULL));
}
END_TEST

START_TEST(test_bin_default_base)
{
	g_autoptr(GError) error = NULL;
	guint8 data[3] = {1, 2, 3};
	g_autoptr(GBytes) bytes = g_bytes_new(data, sizeof data);
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fw.bin", NULL, &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_segment(image, 0)->address, GLINT_IMAGE_DEFAULT_BIN_BASE);
	ck_assert(!glint_image_get_start_address(image, NULL));

	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(GlintImage) none = glint_image_load_bytes(empty, "empty.bin", NULL, &error);
	ck_assert_ptr_null(none);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_str_eq(error->message, "empty.bin: nothing to program: the file is empty");
}
END_TEST

START_TEST(test_crc32)
{
	const guint8 check[] = "123456789";
	ck_assert_uint_eq(glint_crc32(0, check, 9), 0xCBF43926);
	/* Chaining gives the same as one pass. */
	ck_assert_uint_eq(glint_crc32(glint_crc32(0, check, 4), check + 4, 5), 0xCBF43926);
	ck_assert_uint_eq(glint_crc32(0, NULL, 0), 0);
}
END_TEST

START_TEST(test_detect)
{
	const guint8 elf[] = {0x7F, 'E', 'L', 'F', 1, 1};
	const guint8 hex[] = "\r\n:020000040800F2\n";
	const guint8 srec[] = "S00600006261";
	const guint8 bin[] = {0x00, 0x50, 0x00, 0x20, 0x31, 0x01, 0x00, 0x08};
	ck_assert_int_eq(glint_image_detect_format(elf, sizeof elf, "fw.bin"),
			 GLINT_IMAGE_FORMAT_ELF);
	ck_assert_int_eq(glint_image_detect_format(hex, sizeof hex - 1, "fw.bin"),
			 GLINT_IMAGE_FORMAT_IHEX);
	ck_assert_int_eq(glint_image_detect_format(srec, sizeof srec - 1, "x"),
			 GLINT_IMAGE_FORMAT_SREC);
	ck_assert_int_eq(glint_image_detect_format(bin, sizeof bin, "fw.bin"),
			 GLINT_IMAGE_FORMAT_BIN);
	/* Unrecognised content named .hex goes to the HEX parser, which then
	 * says what is wrong. */
	ck_assert_int_eq(glint_image_detect_format(bin, sizeof bin, "FW.HEX"),
			 GLINT_IMAGE_FORMAT_IHEX);
	ck_assert_int_eq(glint_image_format_from_extension("a.s19"), GLINT_IMAGE_FORMAT_SREC);
	ck_assert_int_eq(glint_image_format_from_extension("a.axf"), GLINT_IMAGE_FORMAT_ELF);
	ck_assert_int_eq(glint_image_format_from_extension("a.img"), GLINT_IMAGE_FORMAT_BIN);
}
END_TEST

START_TEST(test_load_missing_file)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) image = glint_image_load("/nonexistent/fw.hex", NULL, &error);
	ck_assert_ptr_null(image);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_IO);
	ck_assert_ptr_nonnull(strstr(error->message, "/nonexistent/fw.hex"));
}
END_TEST

START_TEST(test_load_huge_file_refused)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-image-XXXXXX", &error);
	g_autofree gchar *path = g_build_filename(dir, "disk.img", NULL);
	/* Sparse: takes no space, but stat() says 1 GiB. */
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 1024L * 1024L * 1024L, SEEK_SET), 0);
	ck_assert_int_eq(fputc(0, f), 0);
	fclose(f);
	g_autoptr(GlintImage) image = glint_image_load(path, NULL, &error);
	g_unlink(path);
	g_rmdir(dir);
	ck_assert_ptr_null(image);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_ptr_nonnull(strstr(error->message, "too large for a firmware image"));
}
END_TEST

/* ---- files that are not firmware files at all (issue 16) ---- */

/* Each is refused by what it is, at once: a FIFO would block the open
 * forever, /dev/zero would be read until memory runs out. */
static void
assert_refused_as(const char *path, const char *kind)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) image = glint_image_load(path, NULL, &error);
	ck_assert_ptr_null(image);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT);
	ck_assert_msg(strstr(error->message, path) != NULL && strstr(error->message, kind) != NULL,
		      "'%s' does not name %s and %s", error->message, path, kind);
}

START_TEST(test_load_fifo_refused)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "fw.hex", NULL);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	assert_refused_as(path, "a FIFO");
}
END_TEST

START_TEST(test_load_char_device_refused)
{
	assert_refused_as("/dev/zero", "a character device");
}
END_TEST

START_TEST(test_load_directory_refused)
{
	g_autofree gchar *dir = test_tmp_dir();
	assert_refused_as(dir, "a directory");
}
END_TEST

/* /proc files say 0 bytes to stat: the read itself must stop at the cap. */
START_TEST(test_read_stops_at_cap_when_stat_cannot_tell)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) small =
	    glint_file_read("/proc/self/maps", "firmware image", 64, NULL, &error);
	ck_assert_ptr_null(small);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_ptr_nonnull(strstr(error->message, "more than"));
	ck_assert_ptr_nonnull(strstr(error->message, "too large for a firmware image"));
	g_clear_error(&error);
	/* Below the cap the same file reads whole. */
	g_autoptr(GBytes) all =
	    glint_file_read("/proc/self/maps", "firmware image", 64 * 1024 * 1024, NULL, &error);
	ck_assert_no_error(error);
	ck_assert_uint_gt(g_bytes_get_size(all), 64);
}
END_TEST

START_TEST(test_load_cancelled)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree gchar *path = data_path("good.hex");
	g_cancellable_cancel(cancellable);
	g_autoptr(GlintImage) image = glint_image_load_file(path, NULL, cancellable, &error);
	ck_assert_ptr_null(image);
	ck_assert_msg(glint_error_is_cancelled(error), "%s", error ? error->message : "no error");
	ck_assert_ptr_nonnull(strstr(error->message, path));
}
END_TEST

/* ---- what editors and old tools do to text files (issue 16) ---- */

static GlintImage *
load_text(const void *data, gsize len, const char *name, GError **error)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, len);
	return glint_image_load_bytes(bytes, name, NULL, error);
}

static const char good_hex_lf[] = ":020000040800F2\n"
				  ":10000000000102030405060708090A0B0C0D0E0F78\n"
				  ":04001000DEADBEEFB4\n"
				  ":00000001FF\n";
static const char good_srec_lf[] = "S00600004844521B\n"
				   "S31508000000000102030405060708090A0B0C0D0E0F6A\n"
				   "S30908000010DEADBEEFA6\n"
				   "S70508000000F2\n";

/* Both files above hold 20 bytes at 0x08000000 ending in DEADBEEF. */
static void
assert_good_text(GlintImage *image, const GError *error, const char *what)
{
	ck_assert_msg(image != NULL, "%s: %s", what, error ? error->message : "");
	ck_assert_uint_eq(glint_image_get_n_segments(image), 1);
	const GlintImageSegment *seg = glint_image_get_segment(image, 0);
	ck_assert_uint_eq(seg->address, 0x08000000);
	ck_assert_uint_eq(g_bytes_get_size(seg->data), 20);
	ck_assert_uint_eq(((const guint8 *)g_bytes_get_data(seg->data, NULL))[19], 0xEF);
}

static gchar *
with_line_ends(const char *text, const char *eol)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	return g_strjoinv(eol, lines);
}

START_TEST(test_text_empty_file_named)
{
	static const struct {
		const char *content;
		gsize len;
		const char *says;
	} cases[] = {
	    {"", 0, "the file is empty"},
	    {"\n\r\n  \t\n", 7, "only blank lines"},
	    {"\0\0\0\0\0\0\0\0", 8, "only NUL bytes"},
	};
	const char *names[] = {"e.hex", "e.srec"};
	for (guint n = 0; n < G_N_ELEMENTS(names); n++) {
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autoptr(GError) error = NULL;
			g_autoptr(GlintImage) image =
			    load_text(cases[i].content, cases[i].len, names[n], &error);
			ck_assert_ptr_null(image);
			ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
			ck_assert_msg(g_str_has_prefix(error->message, names[n]) &&
					  strstr(error->message, cases[i].says) != NULL &&
					  strstr(error->message, "truncated") == NULL,
				      "%s case %u: '%s' does not say '%s'", names[n], i,
				      error->message, cases[i].says);
		}
	}
}
END_TEST

START_TEST(test_text_utf8_bom_accepted)
{
	const char *texts[] = {good_hex_lf, good_srec_lf};
	const char *names[] = {"bom.hex", "bom.srec"};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = g_strconcat("\xEF\xBB\xBF", texts[i], NULL);
		g_autoptr(GlintImage) image = load_text(text, strlen(text), names[i], &error);
		assert_good_text(image, error, names[i]);
		/* Found by content too, whatever the name says. */
		g_autoptr(GlintImage) again = load_text(text, strlen(text), "firmware", &error);
		assert_good_text(again, error, "no extension");
		ck_assert_int_ne(glint_image_get_format(again), GLINT_IMAGE_FORMAT_BIN);
	}
}
END_TEST

START_TEST(test_text_cr_only_line_ends_accepted)
{
	const char *texts[] = {good_hex_lf, good_srec_lf};
	const char *names[] = {"mac.hex", "mac.srec"};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = with_line_ends(texts[i], "\r");
		g_autoptr(GlintImage) image = load_text(text, strlen(text), names[i], &error);
		assert_good_text(image, error, names[i]);
		/* Lines are counted as the editor shows them. */
		g_autofree gchar *where = glint_image_get_origin_at(image, 0x08000010);
		ck_assert_str_eq(where, i == 0 ? "mac.hex:3" : "mac.srec:3");
	}
	/* A broken record in such a file is still named by its line. */
	g_autoptr(GError) error = NULL;
	const char *bad = ":020000040800F2\r:1000000G000102030405060708090A0B0C0D0E0F78\r";
	g_autoptr(GlintImage) image = load_text(bad, strlen(bad), "mac.hex", &error);
	ck_assert_ptr_null(image);
	ck_assert_str_eq(error->message, "mac.hex:2: column 9: 'G' is not a hex digit");
}
END_TEST

START_TEST(test_text_trailing_padding_accepted)
{
	const char *texts[] = {good_hex_lf, good_srec_lf};
	const char *names[] = {"pad.hex", "pad.srec"};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GError) error = NULL;
		gsize len = strlen(texts[i]);
		/* A flash-sector-sized buffer written out whole, then a DOS
		 * end-of-file mark and blanks. */
		g_autofree guint8 *buf = g_malloc0(len + 512 + 4);
		memcpy(buf, texts[i], len);
		memcpy(buf + len + 512, "\x1A \r\n", 4);
		g_autoptr(GlintImage) image = load_text(buf, len + 512 + 4, names[i], &error);
		assert_good_text(image, error, names[i]);
	}
}
END_TEST

START_TEST(test_text_nul_inside_named)
{
	g_autoptr(GError) error = NULL;
	gsize len = strlen(good_hex_lf);
	g_autofree guint8 *buf = g_memdup2(good_hex_lf, len);
	buf[20] = 0; /* line 2, column 5 */
	g_autoptr(GlintImage) image = load_text(buf, len, "nul.hex", &error);
	ck_assert_ptr_null(image);
	ck_assert_msg(g_str_has_prefix(error->message, "nul.hex:2: column 5: a NUL byte"), "%s",
		      error->message);
}
END_TEST

START_TEST(test_text_utf16_named)
{
	g_autoptr(GError) error = NULL;
	gsize len = strlen(good_hex_lf);
	g_autofree guint8 *buf = g_malloc0(2 + 2 * len);
	buf[0] = 0xFF;
	buf[1] = 0xFE;
	for (gsize i = 0; i < len; i++)
		buf[2 + 2 * i] = (guint8)good_hex_lf[i];
	g_autoptr(GlintImage) image = load_text(buf, 2 + 2 * len, "wide.hex", &error);
	ck_assert_ptr_null(image);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_msg(g_str_has_prefix(error->message, "wide.hex: ") &&
			  strstr(error->message, "UTF-16") != NULL,
		      "%s", error->message);
}
END_TEST

/* A raw binary keeps every byte, padding included. */
START_TEST(test_bin_keeps_trailing_zeros)
{
	g_autoptr(GError) error = NULL;
	const guint8 data[8] = {0xEF, 0xBB, 0xBF, 1, 2, 0, 0, 0};
	g_autoptr(GlintImage) image = load_text(data, sizeof data, "fw.bin", &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_size(image), sizeof data);
}
END_TEST

/* ---- hand-made good files ---- */

START_TEST(test_good_hex)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) image = load_data("good.hex", &error);
	guint32 start = 0;
	ck_assert_no_error(error);
	ck_assert_int_eq(glint_image_get_format(image), GLINT_IMAGE_FORMAT_IHEX);
	ck_assert_uint_eq(glint_image_get_n_segments(image), 2);
	const GlintImageSegment *s0 = glint_image_get_segment(image, 0);
	ck_assert_uint_eq(s0->address, 0x08000000);
	ck_assert_uint_eq(g_bytes_get_size(s0->data), 0x24);
	const guint8 *d = g_bytes_get_data(s0->data, NULL);
	for (guint i = 0; i < 0x20; i++)
		ck_assert_uint_eq(d[i], i);
	ck_assert_uint_eq(d[0x20], 0xDE);
	ck_assert_uint_eq(d[0x23], 0xEF);
	ck_assert(g_str_has_suffix(s0->origin, "good.hex:2-4"));
	const GlintImageSegment *s1 = glint_image_get_segment(image, 1);
	ck_assert_uint_eq(s1->address, 0x08080000);
	ck_assert_uint_eq(g_bytes_get_size(s1->data), 8);
	ck_assert(g_str_has_suffix(s1->origin, "good.hex:6"));
	ck_assert(glint_image_get_start_address(image, &start));
	ck_assert_uint_eq(start, 0x08000131);
	ck_assert(glint_image_check_range(image, L476_FLASH_BASE, L476_FLASH_SIZE, L476_FLASH_WHAT,
					  &error));
	g_autofree gchar *origin = glint_image_get_origin_at(image, 0x08000005);
	ck_assert(g_str_has_suffix(origin, "good.hex:3"));
	ck_assert_ptr_null(glint_image_get_origin_at(image, 0x08000024));
}
END_TEST

START_TEST(test_good_srec_same_as_hex)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) hex = load_data("good.hex", &error);
	ck_assert_no_error(error);
	g_autoptr(GlintImage) srec = load_data("good.s37", &error);
	ck_assert_no_error(error);
	ck_assert_int_eq(glint_image_get_format(srec), GLINT_IMAGE_FORMAT_SREC);
	assert_same_image(hex, srec);
	ck_assert(g_str_has_suffix(glint_image_get_segment(srec, 0)->origin, "good.s37:2-4"));
}
END_TEST

START_TEST(test_good_srec_16_24)
{
	g_autoptr(GError) error = NULL;
	guint32 start = 0;
	g_autoptr(GlintImage) s19 = load_data("good.s19", &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_n_segments(s19), 1);
	ck_assert_uint_eq(glint_image_get_segment(s19, 0)->address, 0x1000);
	ck_assert_uint_eq(glint_image_get_size(s19), 32);
	ck_assert(glint_image_get_start_address(s19, &start));
	ck_assert_uint_eq(start, 0x1001);
	g_autoptr(GlintImage) s28 = load_data("good.s28", &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_segment(s28, 0)->address, 0x081000);
	ck_assert(glint_image_get_start_address(s28, &start));
	ck_assert_uint_eq(start, 0x081001);
}
END_TEST

START_TEST(test_good_segment_hex)
{
	g_autoptr(GError) error = NULL;
	guint32 start = 0;
	g_autoptr(GlintImage) image = load_data("good-segment.hex", &error);
	ck_assert_no_error(error);
	/* Segment 0x1000 = base 0x10000; offset 0xFFF8 + 16 bytes wraps to the
	 * start of the same segment. */
	ck_assert_uint_eq(glint_image_get_n_segments(image), 2);
	const GlintImageSegment *lo = glint_image_get_segment(image, 0);
	const GlintImageSegment *hi = glint_image_get_segment(image, 1);
	ck_assert_uint_eq(lo->address, 0x10000);
	ck_assert_uint_eq(g_bytes_get_size(lo->data), 8);
	ck_assert_uint_eq(((const guint8 *)g_bytes_get_data(lo->data, NULL))[0], 8);
	ck_assert_uint_eq(hi->address, 0x1FFF8);
	ck_assert_uint_eq(g_bytes_get_size(hi->data), 8);
	ck_assert(glint_image_get_start_address(image, &start));
	ck_assert_uint_eq(start, 0x100);
}
END_TEST

START_TEST(test_good_overlap_hex)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) image = load_data("good-overlap.hex", &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_n_segments(image), 1);
	ck_assert_uint_eq(glint_image_get_size(image), 24);
}
END_TEST

START_TEST(test_good_tiny_elf)
{
	g_autoptr(GError) error = NULL;
	guint32 entry = 0;
	g_autoptr(GlintImage) image = load_data("tiny.elf", &error);
	ck_assert_no_error(error);
	ck_assert_int_eq(glint_image_get_format(image), GLINT_IMAGE_FORMAT_ELF);
	ck_assert_uint_eq(glint_image_get_n_segments(image), 1);
	ck_assert_uint_eq(glint_image_get_segment(image, 0)->address, 0x08000000);
	ck_assert_uint_eq(glint_image_get_size(image), 24);
	ck_assert(glint_image_get_start_address(image, &entry));
	ck_assert_uint_eq(entry, 0x08000009);
}
END_TEST

START_TEST(test_text_blanks)
{
	g_autoptr(GError) error = NULL;
	const char *good = "\r\n\t:020000040800F2 \r\n\r\n  :04000000DEADBEEFC4\r\n:00000001FF";
	g_autoptr(GBytes) bytes = g_bytes_new_static(good, strlen(good));
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "ws.hex", NULL, &error);
	ck_assert_no_error(error);
	ck_assert_uint_eq(glint_image_get_size(image), 4);
	ck_assert_str_eq(glint_image_get_segment(image, 0)->origin, "ws.hex:4");
	/* Columns count the blanks before the record. */
	const char *bad = "  :0400000GDEADBEEFC4\n:00000001FF\n";
	g_autoptr(GBytes) bad_bytes = g_bytes_new_static(bad, strlen(bad));
	g_autoptr(GlintImage) none = glint_image_load_bytes(bad_bytes, "ws.hex", NULL, &error);
	ck_assert_ptr_null(none);
	ck_assert_str_eq(error->message, "ws.hex:1: column 11: 'G' is not a hex digit");
}
END_TEST

START_TEST(test_overlap_out_of_order_names_later_line)
{
	g_autoptr(GError) error = NULL;
	/* Line 1 sets 0x10; line 2, lower in memory, overlaps it differently. */
	const char *text = ":0100100011DE\n:02000F000022CD\n:00000001FF\n";
	g_autoptr(GBytes) bytes = g_bytes_new_static(text, strlen(text));
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "x.hex", NULL, &error);
	ck_assert_ptr_null(image);
	ck_assert_str_eq(error->message, "x.hex:2: byte at 0x00000010 is 0x22 here but 0x11 at "
					 "line 1; overlapping data must agree");
}
END_TEST

/* ---- hand-made bad files: each names its file, line and the rule ---- */

typedef struct {
	const char *file;
	const char *message; /* what follows the file name */
	gboolean range;	     /* loads, then fails the L476 flash range check */
} BadCase;

static const BadCase bad_cases[] = {
    {"bad-checksum.hex", ":3: checksum is 0x68, the record says 0x3D"},
    {"bad-char.hex", ":3: column 14: 'G' is not a hex digit"},
    {"bad-count.hex", ":2: the record says 16 data bytes but holds 15"},
    {"bad-type.hex", ":3: unknown record type 06 (Intel HEX has types 00-05)"},
    {"bad-after-end.hex", ":4: data after the end-of-file record of line 3"},
    {"bad-overlap.hex",
     ":3: byte at 0x08000004 is 0xFF here but 0x04 at line 2; overlapping data must agree"},
    {"bad-truncated.hex", ":3: the file ends without an end-of-file record"},
    {"bad-empty.hex", ": nothing to program: it has no data records"},
    {"bad-colon.hex", ":2: column 1: a record starts with ':', not ';'"},
    {"bad-odd.hex", ":2: odd number of hex digits (43)"},
    {"bad-eof-data.hex", ":3: record type 01 needs 0 data bytes, the record has 1"},
    {"bad-start-twice.hex", ":4: start address 0x08000141 contradicts 0x08000131 given at line 3"},
    {"bad-wrap.hex", ":2: 16 bytes at 0xFFFFFFF8 run past the end of the 32-bit address"},
    {"bad-ext-len.hex", ":1: record type 04 needs 2 data bytes, the record has 1"},
    {"bad-range.hex",
     ":4: address 0x08100000 is outside the flash of STM32L47x/L48x (0x08000000-0x080FFFFF)", TRUE},
    {"bad-checksum.srec", ":3: checksum is 0x5A, the record says 0x00"},
    {"bad-char.srec", ":3: column 21: 'x' is not a hex digit"},
    {"bad-count.srec", ":2: the record says 22 bytes follow the count but 21 do"},
    {"bad-type.srec", ":2: unknown record type '4'"},
    {"bad-after-end.srec", ":4: data after the end record of line 3"},
    {"bad-overlap.srec", ":3: byte at 0x08000008 is 0xEE here but 0x08 at line 2"},
    {"bad-truncated.srec", ":2: the file ends without an S7, S8 or S9 end record"},
    {"bad-empty.srec", ": nothing to program: it has no S1/S2/S3 data records"},
    {"bad-s5.srec", ":4: the S5 record counts 3 data records, the file has 2 before it"},
    {"bad-short.srec", ":2: an S3 record needs at least 5 bytes after the count"},
    {"bad-letter.srec", ":2: column 1: a record starts with 'S', not 'X'"},
    {"bad-range.srec",
     ":3: address 0x07FFFFF0 is outside the flash of STM32L47x/L48x (0x08000000-0x080FFFFF)", TRUE},
};

START_TEST(test_bad_file)
{
	const BadCase *c = &bad_cases[_i];
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = data_path(c->file);
	g_autoptr(GlintImage) image = glint_image_load(path, NULL, &error);
	if (c->range) {
		ck_assert_msg(image != NULL, "%s: %s", c->file, error ? error->message : "");
		ck_assert(!glint_image_check_range(image, L476_FLASH_BASE, L476_FLASH_SIZE,
						   L476_FLASH_WHAT, &error));
	} else {
		ck_assert_msg(image == NULL, "%s loaded but should not", c->file);
	}
	ck_assert_msg(error != NULL, "%s: no error", c->file);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE), "%s: %s", c->file,
		      error->message);
	g_autofree gchar *want = g_strconcat(path, c->message, NULL);
	ck_assert_msg(g_str_has_prefix(error->message, want), "%s:\n  got  %s\n  want %s...",
		      c->file, error->message, want);
}
END_TEST

/* ---- ELF, built byte by byte ---- */

typedef struct {
	guint8 ident_class;
	guint8 ident_data;
	guint16 machine;
	guint16 type;
	gsize truncate; /* keep only this many bytes when non-zero */
	gboolean no_sections;
	guint32 data_filesz; /* p_filesz of the .data segment when non-zero */
} ElfShape;

static void
put16(guint8 *p, guint16 v)
{
	p[0] = v & 0xFF;
	p[1] = v >> 8;
}

static void
put32(guint8 *p, guint32 v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

/* A two-segment Cortex-M ELF: .text (16 bytes at 0x08000000) and .data
 * (8 bytes run at 0x20000000, loaded at 0x08000010) plus 32 bytes of .bss
 * in the same segment's p_memsz; entry 0x08000009. */
static GBytes *
make_elf(const ElfShape *shape)
{
	static const char shstrtab[] = "\0.text\0.data\0.bss\0.shstrtab";
	const gsize size = 0x208;
	guint8 *f = g_malloc0(size);
	memcpy(f,
	       "\x7f"
	       "ELF",
	       4);
	f[4] = shape->ident_class;
	f[5] = shape->ident_data;
	f[6] = 1;
	put16(f + 16, shape->type);
	put16(f + 18, shape->machine);
	put32(f + 20, 1);
	put32(f + 24, 0x08000009);
	put32(f + 28, 52);    /* e_phoff */
	put32(f + 32, 0x140); /* e_shoff */
	put16(f + 40, 52);
	put16(f + 42, 32);
	put16(f + 44, 2);
	put16(f + 46, 40);
	put16(f + 48, 5);
	put16(f + 50, 4);
	/* PT_LOAD .text */
	guint8 *ph = f + 52;
	put32(ph + 0, 1);
	put32(ph + 4, 0x100);
	put32(ph + 8, 0x08000000);
	put32(ph + 12, 0x08000000);
	put32(ph + 16, 16);
	put32(ph + 20, 16);
	/* PT_LOAD .data + .bss: VMA in RAM, LMA in flash */
	ph += 32;
	put32(ph + 0, 1);
	put32(ph + 4, 0x110);
	put32(ph + 8, 0x20000000);
	put32(ph + 12, 0x08000010);
	put32(ph + 16, 8);
	put32(ph + 20, 8 + 32);
	for (guint i = 0; i < 16; i++)
		f[0x100 + i] = 0x10 + i;
	for (guint i = 0; i < 8; i++)
		f[0x110 + i] = 0xD0 + i;
	memcpy(f + 0x120, shstrtab, sizeof shstrtab);
	/* Section headers: null, .text, .data, .bss, .shstrtab */
	struct {
		guint32 name, type, flags, addr, offset, size;
	} sh[5] = {
	    {0, 0, 0, 0, 0, 0},
	    {1, 1, 6, 0x08000000, 0x100, 16},
	    {7, 1, 3, 0x20000000, 0x110, 8},
	    {13, 8, 3, 0x20000008, 0x118, 32},
	    {18, 3, 0, 0, 0x120, sizeof shstrtab},
	};
	for (guint i = 0; i < 5; i++) {
		guint8 *s = f + 0x140 + i * 40;
		put32(s + 0, sh[i].name);
		put32(s + 4, sh[i].type);
		put32(s + 8, sh[i].flags);
		put32(s + 12, sh[i].addr);
		put32(s + 16, sh[i].offset);
		put32(s + 20, sh[i].size);
	}
	if (shape->data_filesz != 0)
		put32(f + 52 + 32 + 16, shape->data_filesz);
	if (shape->no_sections) {
		put32(f + 32, 0);
		put16(f + 48, 0);
	}
	return g_bytes_new_take(f, shape->truncate != 0 ? shape->truncate : size);
}

static const ElfShape elf_good = {1, 1, 40, 2, 0};

START_TEST(test_elf_load_address)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = make_elf(&elf_good);
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fw.elf", NULL, &error);
	guint32 entry = 0;
	ck_assert_no_error(error);
	ck_assert_int_eq(glint_image_get_format(image), GLINT_IMAGE_FORMAT_ELF);
	/* .data lands at its load address right after .text; nothing at its
	 * RAM address and no .bss zeros. */
	ck_assert_uint_eq(glint_image_get_n_segments(image), 1);
	const GlintImageSegment *seg = glint_image_get_segment(image, 0);
	ck_assert_uint_eq(seg->address, 0x08000000);
	ck_assert_uint_eq(g_bytes_get_size(seg->data), 24);
	const guint8 *d = g_bytes_get_data(seg->data, NULL);
	ck_assert_uint_eq(d[0], 0x10);
	ck_assert_uint_eq(d[16], 0xD0);
	ck_assert_uint_eq(d[23], 0xD7);
	ck_assert_str_eq(seg->origin, "fw.elf section .text, section .data");
	ck_assert(glint_image_get_start_address(image, &entry));
	ck_assert_uint_eq(entry, 0x08000009);
	/* A range check names the section. */
	ck_assert(!glint_image_check_range(image, 0x08000000, 0x10, "the test flash", &error));
	ck_assert_str_eq(error->message,
			 "fw.elf section .data: address 0x08000010 is outside the test flash "
			 "(0x08000000-0x0800000F); was the file linked for another chip?");
}
END_TEST

typedef struct {
	ElfShape shape;
	const char *message;
} ElfBadCase;

static const ElfBadCase elf_bad_cases[] = {
    {{2, 1, 40, 2, 0}, "fw.elf: a 64-bit ELF file (ELFCLASS64)"},
    {{1, 2, 40, 2, 0}, "fw.elf: a big-endian ELF file"},
    {{1, 1, 62, 2, 0}, "fw.elf: built for x86-64 (e_machine 62), not ARM"},
    {{1, 1, 40, 1, 0}, "fw.elf: a relocatable object file (ET_REL)"},
    {{1, 1, 40, 4, 0}, "fw.elf: ELF type 4 is not an executable (it is a core dump)"},
    {{1, 1, 40, 2, 30}, "fw.elf: truncated ELF header (30 of 52 bytes)"},
    {{1, 1, 40, 2, 100},
     "fw.elf: the program header table (2 entries at offset 0x34) runs "
     "past the end of the file (100 bytes)"},
    {{1, 1, 40, 2, 0x1F0}, "fw.elf: the section header table (5 entries at offset 0x140)"},
    {{1, 1, 40, 2, 0, FALSE, 0x10000},
     "fw.elf: the PT_LOAD segments hold 65552 bytes, more than 4 times the file's size"},
};

START_TEST(test_elf_refused)
{
	const ElfBadCase *c = &elf_bad_cases[_i];
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = make_elf(&c->shape);
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fw.elf", NULL, &error);
	ck_assert_ptr_null(image);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE);
	ck_assert_msg(g_str_has_prefix(error->message, c->message), "got %s\nwant %s",
		      error->message, c->message);
}
END_TEST

START_TEST(test_elf_segment_past_end)
{
	g_autoptr(GError) error = NULL;
	/* No section table, and the file cut inside .data. */
	const ElfShape shape = {1, 1, 40, 2, 0x114, TRUE};
	g_autoptr(GBytes) bytes = make_elf(&shape);
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fw.elf", NULL, &error);
	ck_assert_ptr_null(image);
	ck_assert_str_eq(error->message,
			 "fw.elf: segment 1: its 8 bytes at file offset 0x110 run past the end of "
			 "the file (276 bytes); the file is truncated");
}
END_TEST

START_TEST(test_elf_no_sections_names_segments)
{
	g_autoptr(GError) error = NULL;
	const ElfShape shape = {1, 1, 40, 2, 0, TRUE};
	g_autoptr(GBytes) bytes = make_elf(&shape);
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fw.elf", NULL, &error);
	ck_assert_no_error(error);
	ck_assert_str_eq(glint_image_get_segment(image, 0)->origin, "fw.elf segment 0, segment 1");
}
END_TEST

/* ---- writers ---- */

/* An image with a 64 KiB boundary inside a segment, a far segment and a
 * start address, to push the writers through their record splitting. */
static GlintImage *
make_sample(void)
{
	GlintImage *image = glint_image_new();
	guint8 *a = g_malloc(1000), b[37];
	for (guint i = 0; i < 1000; i++)
		a[i] = (guint8)(i * 7 + 3);
	for (guint i = 0; i < sizeof b; i++)
		b[i] = (guint8)(0xFF - i);
	ck_assert(glint_image_add(image, 0x0800FF00, a, 1000, "a", NULL));
	ck_assert(glint_image_add(image, 0x08080001, b, sizeof b, "b", NULL));
	glint_image_set_start_address(image, 0x08000131);
	g_free(a);
	return image;
}

START_TEST(test_roundtrip_text)
{
	static const GlintImageFormat formats[] = {GLINT_IMAGE_FORMAT_IHEX,
						   GLINT_IMAGE_FORMAT_SREC};
	g_autoptr(GlintImage) image = make_sample();
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) out = glint_image_to_bytes(image, formats[i], &error);
		ck_assert_no_error(error);
		g_autoptr(GlintImage) back = glint_image_load_bytes(out, "out", NULL, &error);
		ck_assert_no_error(error);
		ck_assert_int_eq(glint_image_get_format(back), formats[i]);
		assert_same_image(image, back);
	}
}
END_TEST

START_TEST(test_records_in_any_order)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 data[4096];
	for (guint i = 0; i < sizeof data; i++)
		data[i] = (guint8)(i * 13);
	ck_assert(glint_image_add(image, 0x2000, data, sizeof data, "x", NULL));
	g_autoptr(GBytes) hex = glint_image_to_bytes(image, GLINT_IMAGE_FORMAT_IHEX, &error);
	g_autofree gchar *text = g_strndup(g_bytes_get_data(hex, NULL), g_bytes_get_size(hex));
	g_auto(GStrv) lines = g_strsplit(g_strstrip(text), "\n", -1);
	guint n = g_strv_length(lines);
	/* Shuffle the data records (all but the end record), deterministically. */
	GRand *rand = g_rand_new_with_seed(4);
	for (guint i = n - 2; i > 0; i--) {
		guint j = g_rand_int_range(rand, 0, i + 1);
		gchar *t = lines[i];
		lines[i] = lines[j];
		lines[j] = t;
	}
	g_rand_free(rand);
	g_autofree gchar *shuffled = g_strjoinv("\r\n", lines);
	g_autoptr(GBytes) bytes = g_bytes_new(shuffled, strlen(shuffled));
	g_autoptr(GlintImage) back = glint_image_load_bytes(bytes, "shuffled.hex", NULL, &error);
	ck_assert_no_error(error);
	assert_same_image(image, back);
}
END_TEST

START_TEST(test_roundtrip_small_srec_uses_s1)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 b[4] = {1, 2, 3, 4};
	ck_assert(glint_image_add(image, 0x100, b, 4, "b", NULL));
	g_autoptr(GBytes) out = glint_image_to_bytes(image, GLINT_IMAGE_FORMAT_SREC, &error);
	ck_assert_no_error(error);
	g_autofree gchar *text = g_strndup(g_bytes_get_data(out, NULL), g_bytes_get_size(out));
	ck_assert_str_eq(text, "S0080000676C696E74D9\n"
			       "S107010001020304ED\n"
			       "S5030001FB\n"
			       "S9030000FC\n");
}
END_TEST

START_TEST(test_write_file_formats)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("glint-image-XXXXXX", &error);
	ck_assert_no_error(error);
	guint8 data[300];
	for (guint i = 0; i < sizeof data; i++)
		data[i] = (guint8)(i ^ 0x5A);
	static const char *const names[] = {"out.hex", "out.srec", "out.bin"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *path = g_build_filename(dir, names[i], NULL);
		ck_assert(glint_image_write_file(path, GLINT_IMAGE_FORMAT_AUTO, 0x08004000, data,
						 sizeof data, &error));
		ck_assert_no_error(error);
		GlintImageLoadOptions opts = {.format = GLINT_IMAGE_FORMAT_AUTO,
					      .bin_base = 0x08004000};
		g_autoptr(GlintImage) back = glint_image_load(path, &opts, &error);
		ck_assert_no_error(error);
		ck_assert_int_eq(glint_image_get_format(back),
				 glint_image_format_from_extension(names[i]));
		ck_assert_uint_eq(glint_image_get_n_segments(back), 1);
		const GlintImageSegment *seg = glint_image_get_segment(back, 0);
		ck_assert_uint_eq(seg->address, 0x08004000);
		ck_assert_uint_eq(g_bytes_get_size(seg->data), sizeof data);
		ck_assert_mem_eq(g_bytes_get_data(seg->data, NULL), data, sizeof data);
		g_unlink(path);
	}
	g_autofree gchar *bad = g_build_filename(dir, "no", "such", "dir.hex", NULL);
	ck_assert(!glint_image_write_file(bad, GLINT_IMAGE_FORMAT_AUTO, 0, data, 4, &error));
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_IO);
	ck_assert_ptr_nonnull(strstr(error->message, "dir.hex"));
	g_rmdir(dir);
}
END_TEST

START_TEST(test_bin_gap_fill)
{
	g_autoptr(GlintImage) image = glint_image_new();
	g_autoptr(GError) error = NULL;
	guint8 a[2] = {1, 2};
	ck_assert(glint_image_add(image, 0x10, a, 2, "a", NULL));
	ck_assert(glint_image_add(image, 0x14, a, 2, "b", NULL));
	g_autoptr(GBytes) out = glint_image_to_bytes(image, GLINT_IMAGE_FORMAT_BIN, &error);
	const guint8 want[6] = {1, 2, 0xFF, 0xFF, 1, 2};
	ck_assert_uint_eq(g_bytes_get_size(out), 6);
	ck_assert_mem_eq(g_bytes_get_data(out, NULL), want, 6);
	/* Flash and RAM in one .bin would be half a gigabyte of 0xFF. */
	ck_assert(glint_image_add(image, 0x20000000, a, 2, "ram", NULL));
	g_autoptr(GBytes) none = glint_image_to_bytes(image, GLINT_IMAGE_FORMAT_BIN, &error);
	ck_assert_ptr_null(none);
	ck_assert_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_describe)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) image = load_data("good.hex", &error);
	ck_assert_no_error(error);
	g_autofree gchar *text = glint_image_describe(image);
	guint8 block[0x24];
	glint_image_fill(image, 0x08000000, block, sizeof block);
	g_autofree gchar *crc = g_strdup_printf("CRC-32 0x%08X", glint_crc32(0, block, 0x24));
	ck_assert_ptr_nonnull(strstr(text, "Intel HEX, 2 segments, 44 bytes, start address "
					   "0x08000131\n"));
	ck_assert_ptr_nonnull(strstr(text, "  0x08000000-0x08000023        36 bytes  "));
	ck_assert_ptr_nonnull(strstr(text, crc));
	ck_assert_ptr_nonnull(strstr(text, "good.hex:2-4\n"));
	ck_assert_uint_eq(glint_image_segment_crc32(glint_image_get_segment(image, 0)),
			  glint_crc32(0, block, 0x24));
}
END_TEST

/* ---- fuzz regressions: every file must load or be refused, never crash ---- */

START_TEST(test_regressions)
{
	const char *src = g_getenv("GLINT_SOURCE_DIR");
	g_autofree gchar *dir_path = g_build_filename(src, "tests", "image", "regressions", NULL);
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	const char *name;
	guint n = 0;
	ck_assert_ptr_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (g_str_has_suffix(name, ".md"))
			continue;
		g_autofree gchar *path = g_build_filename(dir_path, name, NULL);
		for (GlintImageFormat f = GLINT_IMAGE_FORMAT_AUTO; f <= GLINT_IMAGE_FORMAT_ELF;
		     f++) {
			g_autoptr(GError) error = NULL;
			GlintImageLoadOptions opts = {.format = f, .bin_base = 0x08000000};
			g_autoptr(GlintImage) image = glint_image_load(path, &opts, &error);
			ck_assert_msg((image == NULL) != (error == NULL), "%s", name);
			if (image != NULL) {
				g_autoptr(GBytes) hex =
				    glint_image_to_bytes(image, GLINT_IMAGE_FORMAT_IHEX, NULL);
				g_autoptr(GlintImage) back =
				    glint_image_load_bytes(hex, name, NULL, &error);
				ck_assert_no_error(error);
				assert_same_image(image, back);
			}
		}
		n++;
	}
	g_debug("%u regression files", n);
}
END_TEST

static Suite *
image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("type");
	tcase_add_test(tc, test_add_merges_adjacent);
	tcase_add_test(tc, test_add_prepend_and_sorted);
	tcase_add_test(tc, test_add_overlap_same_is_fine);
	tcase_add_test(tc, test_add_overlap_differs);
	tcase_add_test(tc, test_add_past_4g);
	tcase_add_test(tc, test_fill);
	tcase_add_test(tc, test_check_range_bin);
	tcase_add_test(tc, test_bin_default_base);
	tcase_add_test(tc, test_crc32);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_load_missing_file);
	tcase_add_test(tc, test_load_huge_file_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("not-firmware-files");
	tcase_add_test(tc, test_load_fifo_refused);
	tcase_add_test(tc, test_load_char_device_refused);
	tcase_add_test(tc, test_load_directory_refused);
	tcase_add_test(tc, test_read_stops_at_cap_when_stat_cannot_tell);
	tcase_add_test(tc, test_load_cancelled);
	suite_add_tcase(s, tc);

	tc = tcase_create("text-quirks");
	tcase_add_test(tc, test_text_empty_file_named);
	tcase_add_test(tc, test_text_utf8_bom_accepted);
	tcase_add_test(tc, test_text_cr_only_line_ends_accepted);
	tcase_add_test(tc, test_text_trailing_padding_accepted);
	tcase_add_test(tc, test_text_nul_inside_named);
	tcase_add_test(tc, test_text_utf16_named);
	tcase_add_test(tc, test_bin_keeps_trailing_zeros);
	suite_add_tcase(s, tc);

	tc = tcase_create("good-files");
	tcase_add_test(tc, test_good_hex);
	tcase_add_test(tc, test_good_srec_same_as_hex);
	tcase_add_test(tc, test_good_srec_16_24);
	tcase_add_test(tc, test_good_segment_hex);
	tcase_add_test(tc, test_good_overlap_hex);
	tcase_add_test(tc, test_good_tiny_elf);
	tcase_add_test(tc, test_text_blanks);
	tcase_add_test(tc, test_overlap_out_of_order_names_later_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad-files");
	tcase_add_loop_test(tc, test_bad_file, 0, G_N_ELEMENTS(bad_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("elf");
	tcase_add_test(tc, test_elf_load_address);
	tcase_add_loop_test(tc, test_elf_refused, 0, G_N_ELEMENTS(elf_bad_cases));
	tcase_add_test(tc, test_elf_segment_past_end);
	tcase_add_test(tc, test_elf_no_sections_names_segments);
	suite_add_tcase(s, tc);

	tc = tcase_create("writers");
	tcase_add_test(tc, test_roundtrip_text);
	tcase_add_test(tc, test_records_in_any_order);
	tcase_add_test(tc, test_roundtrip_small_srec_uses_s1);
	tcase_add_test(tc, test_write_file_formats);
	tcase_add_test(tc, test_bin_gap_fill);
	tcase_add_test(tc, test_describe);
	suite_add_tcase(s, tc);

	tc = tcase_create("regressions");
	tcase_add_test(tc, test_regressions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	g_autoptr(GError) tmp_error = NULL;
	if (!test_tmp_init("glint-image-XXXXXX", &tmp_error)) {
		g_printerr("cannot make a temporary directory: %s\n", tmp_error->message);
		return 1;
	}
	SRunner *sr = srunner_create(image_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	test_tmp_cleanup();
	return failed ? 1 : 0;
}
