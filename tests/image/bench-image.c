/* bench-image.c: parse time of a 2 MiB firmware as Intel HEX and as
 * S-record (the inputs are generated here, not stored). Target: < 50 ms per
 * parse. Prints the best and the median of several runs. */
#define G_LOG_DOMAIN "bench-image"

#include <stdio.h>
#include <stdlib.h>

#include "glint-error.h"
#include "glint-image.h"

#define BENCH_BYTES (2u * 1024u * 1024u)
#define BENCH_BASE 0x08000000u
#define BENCH_RUNS 15
#define BENCH_GOAL_MS 50.0

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

/* Returns the median parse time in ms, or a negative value on failure. */
static double
bench_one(GlintImage *source, GlintImageFormat format)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) text = glint_image_to_bytes(source, format, &error);
	double ms[BENCH_RUNS];
	if (text == NULL) {
		g_printerr("cannot generate input: %s\n", error->message);
		return -1;
	}
	for (guint i = 0; i < BENCH_RUNS; i++) {
		gint64 t0 = g_get_monotonic_time();
		g_autoptr(GlintImage) image = glint_image_load_bytes(text, "bench", NULL, &error);
		gint64 t1 = g_get_monotonic_time();
		if (image == NULL || glint_image_get_size(image) != BENCH_BYTES) {
			g_printerr("parse failed: %s\n", error ? error->message : "wrong size");
			return -1;
		}
		ms[i] = (double)(t1 - t0) / 1000.0;
	}
	qsort(ms, BENCH_RUNS, sizeof ms[0], cmp_double);
	double median = ms[BENCH_RUNS / 2];
	printf("%-18s %.1f MiB file, 2 MiB of data: best %.2f ms, median %.2f ms (%s %.0f ms)\n",
	       glint_image_format_to_string(format),
	       (double)g_bytes_get_size(text) / (1024.0 * 1024.0), ms[0], median,
	       median < BENCH_GOAL_MS ? "under the goal of" : "OVER the goal of", BENCH_GOAL_MS);
	return median;
}

int
main(void)
{
	g_autoptr(GlintImage) source = glint_image_new();
	g_autofree guint8 *data = g_malloc(BENCH_BYTES);
	guint32 x = 0x2545F491u;
	/* xorshift32: incompressible-looking firmware bytes. */
	for (gsize i = 0; i < BENCH_BYTES; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = (guint8)x;
	}
	if (!glint_image_add(source, BENCH_BASE, data, BENCH_BYTES, "bench", NULL))
		return 1;
	glint_image_set_start_address(source, BENCH_BASE + 0x1C1);
	double hex = bench_one(source, GLINT_IMAGE_FORMAT_IHEX);
	double srec = bench_one(source, GLINT_IMAGE_FORMAT_SREC);
	return hex < 0 || srec < 0 ? 1 : 0;
}
