/* test-image-oracle.c: a real Cortex-M4 ELF (built by build-oracle.sh with
 * arm-none-eabi-gcc) and objcopy's ihex, srec, forced-S3 srec and gap-filled
 * binary of it must load into byte-identical images. */
#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "test-image-oracle"

#include <check.h>
#include <string.h>

#include "glint-error.h"
#include "glint-image.h"

#define ORACLE_DATA_FIRST_WORD 0xC0DEDA7Au /* oracle_data[0] in firmware.c */
#define ORACLE_RAM_BASE 0x20000000u
#define ORACLE_BANK2 0x08080000u
#define ORACLE_CALIB 0x08004000u

static GlintImage *
load_oracle(const char *name, GlintImageFormat format)
{
	const char *dir = g_getenv("GLINT_ORACLE_DIR");
	const char *missing = g_getenv("GLINT_ORACLE_MISSING");
	g_autoptr(GError) error = NULL;
	ck_assert_msg(dir != NULL, "oracle not built: %s",
		      missing ? missing : "GLINT_ORACLE_DIR is not set (run through meson test)");
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	GlintImageLoadOptions opts = {.format = format, .bin_base = 0x08000000};
	GlintImage *image = glint_image_load(path, &opts, &error);
	ck_assert_msg(image != NULL, "%s: %s", name, error ? error->message : "");
	return image;
}

static void
assert_same_image(GlintImage *a, GlintImage *b, const char *what)
{
	guint32 sa = 0, sb = 0;
	ck_assert_msg(glint_image_get_n_segments(a) == glint_image_get_n_segments(b),
		      "%s: %u segments, ELF has %u", what, glint_image_get_n_segments(b),
		      glint_image_get_n_segments(a));
	for (guint i = 0; i < glint_image_get_n_segments(a); i++) {
		const GlintImageSegment *x = glint_image_get_segment(a, i);
		const GlintImageSegment *y = glint_image_get_segment(b, i);
		ck_assert_msg(x->address == y->address, "%s: segment %u at 0x%08X, ELF 0x%08X",
			      what, i, y->address, x->address);
		ck_assert_msg(g_bytes_equal(x->data, y->data), "%s: segment %u differs", what, i);
	}
	ck_assert(glint_image_get_start_address(a, &sa));
	ck_assert_msg(glint_image_get_start_address(b, &sb), "%s: no start address", what);
	ck_assert_uint_eq(sa, sb);
}

START_TEST(test_elf_shape)
{
	g_autoptr(GlintImage) elf = load_oracle("oracle.elf", GLINT_IMAGE_FORMAT_AUTO);
	guint32 entry = 0, lo = 0, end = 0;
	ck_assert_int_eq(glint_image_get_format(elf), GLINT_IMAGE_FORMAT_ELF);
	/* Code + .data image, the block after the gap, bank 2. */
	ck_assert_uint_eq(glint_image_get_n_segments(elf), 3);
	ck_assert_uint_eq(glint_image_get_segment(elf, 0)->address, 0x08000000);
	ck_assert_uint_eq(glint_image_get_segment(elf, 1)->address, ORACLE_CALIB);
	ck_assert_uint_eq(glint_image_get_segment(elf, 2)->address, ORACLE_BANK2);
	/* Nothing at the run address of .data, and no .bss anywhere. */
	glint_image_get_bounds(elf, &lo, &end);
	ck_assert_uint_lt(end, ORACLE_RAM_BASE);
	ck_assert(glint_image_check_range(elf, 0x08000000, 0x100000, "L476 flash", NULL));
	/* .data's first word sits in flash right after the code. */
	const GlintImageSegment *code = glint_image_get_segment(elf, 0);
	gsize len = 0;
	const guint8 *d = g_bytes_get_data(code->data, &len);
	const guint8 word[4] = {ORACLE_DATA_FIRST_WORD & 0xFF, (ORACLE_DATA_FIRST_WORD >> 8) & 0xFF,
				(ORACLE_DATA_FIRST_WORD >> 16) & 0xFF,
				ORACLE_DATA_FIRST_WORD >> 24};
	const guint8 *hit = memmem(d, len, word, 4);
	ck_assert_msg(hit != NULL, ".data's initial values are not in the flash image");
	g_autofree gchar *origin = glint_image_get_origin_at(elf, code->address + (hit - d));
	ck_assert_msg(g_str_has_suffix(origin, "section .data"), "origin %s", origin);
	/* Thumb entry point, odd. */
	ck_assert(glint_image_get_start_address(elf, &entry));
	ck_assert_uint_eq(entry & 1, 1);
	g_autofree gchar *bank2 = glint_image_get_origin_at(elf, ORACLE_BANK2);
	ck_assert(g_str_has_suffix(bank2, "section .bank2"));
}
END_TEST

START_TEST(test_text_forms_match_elf)
{
	static const char *const files[] = {"oracle.hex", "oracle.srec", "oracle-s3.srec"};
	g_autoptr(GlintImage) elf = load_oracle("oracle.elf", GLINT_IMAGE_FORMAT_AUTO);
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GlintImage) other = load_oracle(files[i], GLINT_IMAGE_FORMAT_AUTO);
		assert_same_image(elf, other, files[i]);
	}
}
END_TEST

START_TEST(test_bin_matches_elf)
{
	g_autoptr(GlintImage) elf = load_oracle("oracle.elf", GLINT_IMAGE_FORMAT_AUTO);
	g_autoptr(GlintImage) bin = load_oracle("oracle.bin", GLINT_IMAGE_FORMAT_AUTO);
	guint32 lo = 0, end = 0;
	ck_assert_int_eq(glint_image_get_format(bin), GLINT_IMAGE_FORMAT_BIN);
	glint_image_get_bounds(elf, &lo, &end);
	ck_assert_uint_eq(glint_image_get_n_segments(bin), 1);
	const GlintImageSegment *seg = glint_image_get_segment(bin, 0);
	ck_assert_uint_eq(seg->address, lo);
	ck_assert_uint_eq(g_bytes_get_size(seg->data), end - lo);
	/* objcopy's gap fill is our .bin writer's too. */
	g_autoptr(GBytes) ours = glint_image_to_bytes(elf, GLINT_IMAGE_FORMAT_BIN, NULL);
	ck_assert(g_bytes_equal(ours, seg->data));
}
END_TEST

START_TEST(test_our_writers_match_elf)
{
	static const GlintImageFormat formats[] = {GLINT_IMAGE_FORMAT_IHEX,
						   GLINT_IMAGE_FORMAT_SREC};
	g_autoptr(GlintImage) elf = load_oracle("oracle.elf", GLINT_IMAGE_FORMAT_AUTO);
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) text = glint_image_to_bytes(elf, formats[i], &error);
		ck_assert(text != NULL);
		g_autoptr(GlintImage) back = glint_image_load_bytes(text, "ours", NULL, &error);
		ck_assert_msg(back != NULL, "%s", error ? error->message : "");
		assert_same_image(elf, back, glint_image_format_to_string(formats[i]));
	}
}
END_TEST

static Suite *
oracle_suite(void)
{
	Suite *s = suite_create("image-oracle");
	TCase *tc = tcase_create("objcopy");
	tcase_add_test(tc, test_elf_shape);
	tcase_add_test(tc, test_text_forms_match_elf);
	tcase_add_test(tc, test_bin_matches_elf);
	tcase_add_test(tc, test_our_writers_match_elf);
	suite_add_tcase(s, tc);
	return s;
}

/* meson passes the oracle directory, or "missing:<why>" when the Arm
 * toolchain was not found at configure time. */
int
main(int argc, char **argv)
{
	if (argc > 1 && g_str_has_prefix(argv[1], "missing:"))
		g_setenv("GLINT_ORACLE_MISSING", argv[1] + strlen("missing:"), TRUE);
	else if (argc > 1)
		g_setenv("GLINT_ORACLE_DIR", argv[1], TRUE);
	SRunner *sr = srunner_create(oracle_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
