/* The bounds the benchmark measures tools against
 * (glint_sim_get_flash_limit(), core/sim/sim-limit.c and each machine's
 * flash_limit): the datasheet figures of each family's timing header added
 * up the way its flash controller allows, for whole-flash images (the
 * figures docs/timing/<family>.md gives) and for the cases that choose
 * between two ways (pages or a mass erase, standard or fast programming,
 * banks in parallel), what is not programmed (erased units), and what is
 * refused. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-image.h"
#include "glint-sim.h"
#include "sim-test.h"

#define FLASH_BASE 0x08000000u
#define MS(x) ((gint64)((x)*1000000.0 + 0.5))
#define US(x) ((gint64)((x)*1000.0 + 0.5))

/* Random bytes with no erased unit in them (neither 0xFF nor 0x00 bytes):
 * every unit of every size holds data */
static guint8 *
data_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *d = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		d[i] = (guint8)g_rand_int_range(rand, 1, 255);
	return d;
}

static void
image_add(GlintImage *image, guint32 addr, const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_image_add(image, addr, data, len, "test", &error), "%s",
		      error != NULL ? error->message : "?");
}

/* The limit of @len data bytes at @addr on @spec */
static GlintSimFlashLimit
limit_of(const char *spec, guint32 addr, gsize len)
{
	g_autoptr(GlintSim) sim = sim_new_ok(spec);
	g_autoptr(GlintImage) image = glint_image_new();
	g_autofree guint8 *d = data_bytes(len, 7);
	g_autoptr(GError) error = NULL;
	GlintSimFlashLimit l;
	image_add(image, addr, d, len);
	ck_assert_msg(glint_sim_get_flash_limit(sim, image, &l, &error), "%s: %s", spec,
		      error != NULL ? error->message : "?");
	ck_assert_msg(l.how != NULL && strstr(l.how, "docs/timing/") != NULL, "%s", l.how);
	return l;
}

static void
assert_limit(const char *spec, guint32 addr, gsize len, gint64 erase, gint64 program, gint64 total)
{
	GlintSimFlashLimit l = limit_of(spec, addr, len);
	ck_assert_msg(l.erase_ns == erase && l.program_ns == program && l.limit_ns == total,
		      "%s, %zu bytes at 0x%08x: erase %" G_GINT64_FORMAT
		      " program %" G_GINT64_FORMAT " limit %" G_GINT64_FORMAT
		      " (%s); expected %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
		      spec, len, addr, l.erase_ns, l.program_ns, l.limit_ns, l.how, erase, program,
		      total);
	glint_sim_flash_limit_clear(&l);
}

/* Whole flash, the figures of docs/timing-model.md and docs/timing/ */
START_TEST(test_whole_flash_per_family)
{
	/* L476: one mass erase + 4096 fast rows (DS10198) */
	assert_limit("nucleo-l476rg", FLASH_BASE, 1024 * 1024, MS(22.13), 4096 * MS(1.91),
		     MS(22.13) + 4096 * MS(1.91));
	/* G474 in single-bank mode: rows of 64 double words take two row times */
	assert_limit("nucleo-g474re:g474-single-bank", FLASH_BASE, 512 * 1024, MS(22.13),
		     1024 * 2 * MS(1.91), MS(22.13) + 2048 * MS(1.91));
	/* F103C8: one mass erase (20 ms, the minimum) + 32768 half-words */
	assert_limit("bluepill-f103c8", FLASH_BASE, 64 * 1024, MS(20), 32768 * US(52.5),
		     MS(20) + 32768 * US(52.5));
	/* F401 at 3.3 V: x32, one 512 KB bank erase (4 s) + 131072 words */
	assert_limit("nucleo-f401re", FLASH_BASE, 512 * 1024, MS(4000), 131072 * US(16),
		     MS(4000) + 131072 * US(16));
	/* F767, one bank of 32/128/256 KB sectors: the 12 sector erases (8.55
	 * s) beat a 2 MB mass erase (16 s) */
	assert_limit("nucleo-f767zi", FLASH_BASE, 2048 * 1024, 4 * MS(250) + MS(550) + 7 * MS(1000),
		     524288 * US(16), 4 * MS(250) + MS(550) + 7 * MS(1000) + 524288 * US(16));
	/* H743: two banks in parallel, each erased (5 s) and programmed */
	assert_limit("nucleo-h743zi", FLASH_BASE, 2048 * 1024, 2 * MS(5000), 65536 * US(100),
		     MS(5000) + 32768 * US(100));
	/* L053: the regression (7 tprog + 2 option loads, estimate) beats 512
	 * page erases; 1024 half-pages */
	assert_limit("nucleo-l053r8", FLASH_BASE, 64 * 1024, 7 * MS(3.2) + 2 * MS(2),
		     1024 * MS(3.2), 7 * MS(3.2) + 2 * MS(2) + 1024 * MS(3.2));
	/* L552: one mass erase (both banks) + 65536 double words */
	assert_limit("nucleo-l552ze-q", FLASH_BASE, 512 * 1024, MS(22.13), 65536 * US(81.69),
		     MS(22.13) + 65536 * US(81.69));
	/* U575: one mass erase + 131072 quad words (no burst modelled) */
	assert_limit("nucleo-u575zi-q", FLASH_BASE, 2048 * 1024, MS(1.5), 131072 * US(118),
		     MS(1.5) + 131072 * US(118));
}
END_TEST

/* The way that is shorter for the image at hand */
START_TEST(test_shorter_way_chosen)
{
	/* 16 bytes on an L4: a page erase and two double words beat a mass
	 * erase and a fast row */
	assert_limit("nucleo-l476rg", FLASH_BASE + 4096, 16, MS(22.02), 2 * US(81.69),
		     MS(22.02) + 2 * US(81.69));
	/* 2 KB: the mass erase and 8 fast rows win */
	assert_limit("nucleo-l476rg", FLASH_BASE + 4096, 2048, MS(22.13), 8 * MS(1.91),
		     MS(22.13) + 8 * MS(1.91));
	/* 4 KB on an F1: 4 page erases (80 ms) lose to one mass erase */
	assert_limit("bluepill-f103c8", FLASH_BASE, 4096, MS(20), 2048 * US(52.5),
		     MS(20) + 2048 * US(52.5));
	/* 16 KB in the F401's sector 1: that sector (250 ms at x32) */
	assert_limit("nucleo-f401re", FLASH_BASE + 16384, 16384, MS(250), 4096 * US(16),
		     MS(250) + 4096 * US(16));
	/* at 2.4 V the F401 programs x16 and erases at x16 times */
	assert_limit("nucleo-f401re:low-voltage", FLASH_BASE + 16384, 16384, MS(300), 8192 * US(16),
		     MS(300) + 8192 * US(16));
	/* 16 bytes on an L552: one 2 KB page (22.02 ms) beats a mass erase
	 * (22.13 ms); 4 KB, two pages, do not */
	assert_limit("nucleo-l552ze-q", FLASH_BASE + 2048, 16, MS(22.02), 2 * US(81.69),
		     MS(22.02) + 2 * US(81.69));
	assert_limit("nucleo-l552ze-q", FLASH_BASE, 4096, MS(22.13), 512 * US(81.69),
		     MS(22.13) + 512 * US(81.69));
	/* 8 KB on a U575: one page, as long as a mass erase (the page is kept) */
	assert_limit("nucleo-u575zi-q", FLASH_BASE, 8192, MS(1.5), 512 * US(118),
		     MS(1.5) + 512 * US(118));
	/* 1 KB on an L053: 8 page erases (25.6 ms) beat the regression */
	assert_limit("nucleo-l053r8", FLASH_BASE, 1024, 8 * MS(3.2), 16 * MS(3.2), 24 * MS(3.2));
	/* H743, 128 KB in each bank: one sector each, in parallel */
	{
		g_autoptr(GlintSim) sim = sim_new_ok("nucleo-h743zi");
		g_autoptr(GlintImage) image = glint_image_new();
		g_autofree guint8 *d = data_bytes(128 * 1024, 3);
		GlintSimFlashLimit l;
		image_add(image, FLASH_BASE, d, 128 * 1024);
		image_add(image, FLASH_BASE + 1024 * 1024, d, 128 * 1024);
		ck_assert(glint_sim_get_flash_limit(sim, image, &l, NULL));
		ck_assert_int_eq(l.erase_ns, 2 * MS(1000));
		ck_assert_int_eq(l.program_ns, 2 * 4096 * US(100));
		ck_assert_int_eq(l.limit_ns, MS(1000) + 4096 * US(100));
		ck_assert_msg(strstr(l.how, "bank 2") != NULL, "%s", l.how);
		glint_sim_flash_limit_clear(&l);
	}
}
END_TEST

/* Units holding only the erased value need no programming; a unit two
 * segments share is counted once */
START_TEST(test_erased_units_and_shared_units)
{
	g_autoptr(GlintSim) l4 = sim_new_ok("nucleo-l476rg");
	g_autoptr(GlintSim) l0 = sim_new_ok("nucleo-l053r8");
	g_autoptr(GlintImage) blank = glint_image_new();
	g_autoptr(GlintImage) halves = glint_image_new();
	g_autoptr(GlintImage) zeros = glint_image_new();
	guint8 ff[4096], zero[128], d[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	GlintSimFlashLimit l;

	memset(ff, 0xFF, sizeof(ff));
	memset(zero, 0x00, sizeof(zero));
	image_add(blank, FLASH_BASE, ff, sizeof(ff));
	ck_assert(glint_sim_get_flash_limit(l4, blank, &l, NULL));
	ck_assert_int_eq(l.program_ns, 0);
	/* both pages still erased: one mass erase is the shorter way */
	ck_assert_int_eq(l.erase_ns, MS(22.13));
	glint_sim_flash_limit_clear(&l);

	/* two 4-byte segments, one double word */
	image_add(halves, FLASH_BASE + 64, d, 4);
	image_add(halves, FLASH_BASE + 68, d + 4, 4);
	ck_assert(glint_sim_get_flash_limit(l4, halves, &l, NULL));
	ck_assert_int_eq(l.program_ns, US(81.69));
	ck_assert_int_eq(l.erase_ns, MS(22.02));
	glint_sim_flash_limit_clear(&l);

	/* L0 flash erases to 0x00: zero half-pages are left alone */
	image_add(zeros, FLASH_BASE, zero, sizeof(zero));
	image_add(zeros, FLASH_BASE + 256, d, sizeof(d));
	ck_assert(glint_sim_get_flash_limit(l0, zeros, &l, NULL));
	ck_assert_int_eq(l.program_ns, MS(3.2));
	ck_assert_int_eq(l.erase_ns, 2 * MS(3.2));
	glint_sim_flash_limit_clear(&l);
}
END_TEST

/* Connecting and verifying: 7 round trips and the CRC unit at the highest
 * HCLK; the link: USB packets and SWD accesses at the probe's top clock */
START_TEST(test_connect_verify_and_link)
{
	GlintSimFlashLimit l = limit_of("nucleo-l476rg", FLASH_BASE, 1024 * 1024);
	gint64 crc = G_GINT64_CONSTANT(1048576) * 1000000000 / 80000000;
	ck_assert_uint_eq(l.max_hclk_hz, 80000000u);
	ck_assert_int_eq(l.connect_verify_ns, 7 * US(500) + crc);
	/* 16384 packets of 64 B, 19 per 1 ms frame; 262144 accesses of 46
	 * SWCLK at 4 MHz */
	ck_assert_int_eq(l.link_ns, 16384 * G_GINT64_CONSTANT(1000000) / 19 +
					262144 * G_GINT64_CONSTANT(46) * 1000000 / 4000);
	glint_sim_flash_limit_clear(&l);

	/* the round trip follows the clock model, the flash does not */
	ck_assert(glint_sim_set_clock_model("usb-command=2", NULL));
	l = limit_of("nucleo-l476rg", FLASH_BASE, 1024 * 1024);
	ck_assert_int_eq(l.connect_verify_ns, 7 * US(1000) + crc);
	ck_assert_int_eq(l.limit_ns, MS(22.13) + 4096 * MS(1.91));
	glint_sim_flash_limit_clear(&l);
	ck_assert(glint_sim_set_clock_model("", NULL));
}
END_TEST

START_TEST(test_refused_images)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg");
	g_autoptr(GlintImage) sram = glint_image_new();
	g_autoptr(GlintImage) empty = glint_image_new();
	g_autoptr(GlintImage) over = glint_image_new();
	g_autofree guint8 *d = data_bytes(4096, 1);
	g_autoptr(GError) error = NULL;
	GlintSimFlashLimit l;

	image_add(sram, 0x20000000u, d, 64);
	ck_assert(!glint_sim_get_flash_limit(sim, sram, &l, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	ck_assert_msg(strstr(error->message, "0x20000000") != NULL, "%s", error->message);
	g_clear_error(&error);

	/* one byte past the end of the 1 MB flash */
	image_add(over, FLASH_BASE + 1024 * 1024 - 2048, d, 4096);
	ck_assert(!glint_sim_get_flash_limit(sim, over, &l, &error));
	ck_assert_msg(strstr(error->message, "0x08100000") != NULL, "%s", error->message);
	g_clear_error(&error);

	ck_assert_int_eq(glint_sim_flash_limit_ns(sim, empty, &error), -1);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
}
END_TEST

/* The G0, WB and WL (issue 20 after they joined the l4 machine): a G0
 * fast-programs 256-byte rows after a mass erase at its own times
 * (DS12232); a WB55's CPU1 may not mass erase (RM0434 3.3.7), so pages and
 * double words, and its image ends below the FUS (SFSA = 0xF4 as shipped);
 * the WL55 fast-programs like the L4; each has its datasheet's HCLK. */
START_TEST(test_g0_wb_wl_bounds)
{
	g_autoptr(GlintSim) wb = sim_new_ok("p-nucleo-wb55");
	g_autoptr(GlintSim) wl = sim_new_ok("nucleo-wl55jc");
	g_autoptr(GlintImage) fus = glint_image_new();
	g_autofree guint8 *d = data_bytes(64, 3);
	g_autoptr(GError) error = NULL;
	GlintSimFlashLimit l;

	assert_limit("nucleo-g071rb", FLASH_BASE, 128 * 1024, MS(22.1), 512 * MS(1.7),
		     MS(22.1) + 512 * MS(1.7));
	assert_limit("nucleo-wl55jc", FLASH_BASE, 256 * 1024, MS(22.13), 1024 * MS(1.91),
		     MS(22.13) + 1024 * MS(1.91));
	assert_limit("p-nucleo-wb55", FLASH_BASE, 0xF4 * 4096, 0xF4 * MS(22.02),
		     0xF4 * 512 * US(81.69), 0xF4 * MS(22.02) + 0xF4 * 512 * US(81.69));

	ck_assert_uint_eq(glint_sim_get_writable_flash_size(wb), 0xF4 * 4096);
	ck_assert_uint_eq(glint_sim_get_writable_flash_size(wl), 256 * 1024);
	image_add(fus, FLASH_BASE + 0xF4 * 4096, d, 64);
	ck_assert(!glint_sim_get_flash_limit(wb, fus, &l, &error));
	ck_assert_msg(strstr(error->message, "0x080f4000") != NULL, "%s", error->message);

	l = limit_of("nucleo-g0b1re", FLASH_BASE, 4096);
	ck_assert_uint_eq(l.max_hclk_hz, 64000000u);
	glint_sim_flash_limit_clear(&l);
	l = limit_of("p-nucleo-wb55", FLASH_BASE, 4096);
	ck_assert_uint_eq(l.max_hclk_hz, 64000000u);
	ck_assert_msg(strstr(l.how, "may not mass erase") != NULL, "%s", l.how);
	glint_sim_flash_limit_clear(&l);
	l = limit_of("nucleo-wl55jc", FLASH_BASE, 4096);
	ck_assert_uint_eq(l.max_hclk_hz, 48000000u);
	glint_sim_flash_limit_clear(&l);
}
END_TEST

/* Every board of the registry has a bound, and it is made of both parts */
START_TEST(test_every_board_has_a_bound)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	for (guint i = 0; i < boards->len; i++) {
		GlintSimBoardInfo *b = g_ptr_array_index(boards, i);
		GlintSimFlashLimit l = limit_of(b->name, FLASH_BASE, 8192);
		ck_assert_msg(l.erase_ns > 0 && l.program_ns > 0 && l.limit_ns > 0 &&
				  l.limit_ns <= l.erase_ns + l.program_ns &&
				  l.limit_ns >= MAX(l.erase_ns, l.program_ns) / 2 &&
				  l.max_hclk_hz >= 16000000u && l.connect_verify_ns > 0,
			      "%s: %s", b->name, l.how);
		ck_assert_str_ne(b->machine, "");
		glint_sim_flash_limit_clear(&l);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-limit");
	TCase *tc = tcase_create("limit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_whole_flash_per_family);
	tcase_add_test(tc, test_shorter_way_chosen);
	tcase_add_test(tc, test_erased_units_and_shared_units);
	tcase_add_test(tc, test_connect_verify_and_link);
	tcase_add_test(tc, test_refused_images);
	tcase_add_test(tc, test_g0_wb_wl_bounds);
	tcase_add_test(tc, test_every_board_has_a_bound);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
