/* fuzz-image.c: libFuzzer target for one loader, chosen at compile time with
 * -DGLINT_FUZZ_FORMAT=GLINT_IMAGE_FORMAT_IHEX (SREC, ELF, or AUTO for
 * detection and raw binaries). Besides "no crash, no leak, no hang", every
 * image that loads must hold the image invariants and survive a HEX and an
 * S-record round trip unchanged; a violation aborts, which libFuzzer reports
 * as a crash. Built and run by run-fuzz.sh. */
#define G_LOG_DOMAIN "fuzz-image"

#include <stdint.h>
#include <stdlib.h>

#include "glint-error.h"
#include "glint-image.h"

#ifndef GLINT_FUZZ_FORMAT
#define GLINT_FUZZ_FORMAT GLINT_IMAGE_FORMAT_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_invariants(GlintImage *image)
{
	guint64 prev_end = 0;
	gsize total = 0;
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		/* Sorted, non-empty, and neither overlapping nor touching
		 * (touching segments must have been merged). */
		if (len == 0 || (i > 0 && seg->address <= prev_end) || seg->origin == NULL)
			abort();
		prev_end = (guint64)seg->address + len;
		total += len;
		g_autofree gchar *origin = glint_image_get_origin_at(image, seg->address);
		if (origin == NULL)
			abort();
	}
	if (total != glint_image_get_size(image) || total == 0)
		abort();
}

static void
check_roundtrip(GlintImage *image, GlintImageFormat format)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) text = glint_image_to_bytes(image, format, &error);
	if (text == NULL)
		abort();
	g_autoptr(GlintImage) back = glint_image_load_bytes(text, "roundtrip", NULL, &error);
	if (back == NULL || glint_image_get_n_segments(back) != glint_image_get_n_segments(image))
		abort();
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *a = glint_image_get_segment(image, i);
		const GlintImageSegment *b = glint_image_get_segment(back, i);
		if (a->address != b->address || !g_bytes_equal(a->data, b->data))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, size);
	GlintImageLoadOptions opts = {.format = GLINT_FUZZ_FORMAT, .bin_base = 0x08000000};
	g_autoptr(GlintImage) image = glint_image_load_bytes(bytes, "fuzz", &opts, &error);
	if (image == NULL) {
		/* A refusal must say why, in the project's domain. */
		if (error == NULL || error->domain != GLINT_ERROR || error->message[0] == '\0')
			abort();
		return 0;
	}
	if (error != NULL)
		abort();
	check_invariants(image);
	g_autofree gchar *text = glint_image_describe(image);
	g_autoptr(GError) range = NULL;
	glint_image_check_range(image, 0x08000000, 0x100000, "the flash", &range);
	check_roundtrip(image, GLINT_IMAGE_FORMAT_IHEX);
	check_roundtrip(image, GLINT_IMAGE_FORMAT_SREC);
	return 0;
}
