/* Unit tests: chip table, flash geometry, option-byte edits and diffs, progress. */
#include <check.h>
#include <glib.h>

#include "glint-chips.h"
#include "glint-error.h"
#include "glint-options.h"
#include "glint-progress.h"

static const GlintChip *
l47x(void)
{
	const GlintChip *chip = glint_chip_lookup(0x415);
	ck_assert_ptr_nonnull(chip);
	return chip;
}

START_TEST(test_chip_lookup)
{
	ck_assert_str_eq(l47x()->name, "STM32L47x/L48x");
	ck_assert_ptr_null(glint_chip_lookup(0x999));
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1007), "4");
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x4242), "unknown");
	ck_assert_ptr_nonnull(glint_chip_find_option_field(l47x(), "nRST_STOP"));
	ck_assert_ptr_nonnull(glint_chip_find_option_field(l47x(), "bfb2"));
	ck_assert_ptr_null(glint_chip_find_option_field(l47x(), "NOPE"));
}
END_TEST

START_TEST(test_geometry_1m_always_dual)
{
	GlintFlashGeometry g;
	/* DUALBANK cleared: the 1 MB part is dual bank all the same. */
	glint_chip_get_geometry(l47x(), 1024, 0xFFCFF8AA, &g);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.bank_size, 512 * 1024);
	ck_assert_uint_eq(g.pages_per_bank, 256);
	ck_assert(!g.dualbank_configurable);
	guint bank, page;
	ck_assert(glint_geometry_locate(&g, 0x08080000, &bank, &page));
	ck_assert_uint_eq(bank, 1);
	ck_assert_uint_eq(page, 0);
	ck_assert(glint_geometry_locate(&g, 0x080FFFFF, &bank, &page));
	ck_assert_uint_eq(bank, 1);
	ck_assert_uint_eq(page, 255);
	ck_assert(!glint_geometry_locate(&g, 0x08100000, NULL, NULL));
	ck_assert(!glint_geometry_locate(&g, 0x07FFFFFF, NULL, NULL));
	ck_assert_uint_eq(glint_geometry_page_address(&g, 1, 3), 0x08081800);
}
END_TEST

START_TEST(test_geometry_512k_follows_dualbank)
{
	GlintFlashGeometry g;
	guint bank, page;
	glint_chip_get_geometry(l47x(), 512, 0xFFEFF8AA, &g);
	ck_assert(g.dualbank_configurable);
	ck_assert_uint_eq(g.n_banks, 2);
	ck_assert_uint_eq(g.pages_per_bank, 128);
	ck_assert(glint_geometry_locate(&g, 0x08040000, &bank, &page));
	ck_assert_uint_eq(bank, 1);
	ck_assert_uint_eq(page, 0);
	glint_chip_get_geometry(l47x(), 512, 0xFFCFF8AA, &g);
	ck_assert_uint_eq(g.n_banks, 1);
	ck_assert_uint_eq(g.pages_per_bank, 256);
	ck_assert(glint_geometry_locate(&g, 0x08040000, &bank, &page));
	ck_assert_uint_eq(bank, 0);
	ck_assert_uint_eq(page, 128);
	glint_chip_get_geometry(l47x(), 256, 0xFFEFF8AA, &g);
	ck_assert_uint_eq(g.pages_per_bank, 64);
	ck_assert_uint_eq(g.n_banks, 2);
	/* A blank flash-size register means the family maximum. */
	glint_chip_get_geometry(l47x(), 0xFFFF, 0xFFEFF8AA, &g);
	ck_assert_uint_eq(g.size, 1024 * 1024);
}
END_TEST

static GlintFlashGeometry
geometry(guint kb)
{
	GlintFlashGeometry g;
	glint_chip_get_geometry(l47x(), kb, 0xFFEFF8AA, &g);
	return g;
}

START_TEST(test_rdp_edits)
{
	GlintOptionBytes ob;
	GlintFlashGeometry g = geometry(1024);
	g_autoptr(GError) error = NULL;

	glint_option_bytes_init_factory(&ob);
	ck_assert_uint_eq(ob.optr, 0xFFEFF8AA);
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 0);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "RDP=1", &error));
	ck_assert_uint_eq(ob.optr & 0xFF, 0xBB);
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 1);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "RDP=2", &error));
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 2);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "RDP=0x55", &error));
	ck_assert_uint_eq(glint_option_bytes_rdp_level(&ob), 1);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "rdp=0", &error));
	ck_assert_uint_eq(ob.optr, 0xFFEFF8AA);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "RDP=3", &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "RDP=0x100", &error));
	ck_assert_uint_eq(ob.optr, 0xFFEFF8AA);
}
END_TEST

START_TEST(test_wrp_edits)
{
	GlintOptionBytes ob;
	GlintFlashGeometry g = geometry(1024);
	g_autoptr(GError) error = NULL;
	guint first, last;

	glint_option_bytes_init_factory(&ob);
	ck_assert(!glint_option_bytes_get_wrp(&ob, GLINT_WRP_1A, NULL, NULL));
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP1A=0-15", &error));
	ck_assert_uint_eq(ob.wrp1ar, 0xFF0FFF00);
	ck_assert(glint_option_bytes_get_wrp(&ob, GLINT_WRP_1A, &first, &last));
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(last, 15);
	ck_assert_int_eq(glint_option_bytes_wrp_covering(&ob, 0, 15), GLINT_WRP_1A);
	ck_assert_int_eq(glint_option_bytes_wrp_covering(&ob, 0, 16), -1);
	ck_assert_int_eq(glint_option_bytes_wrp_covering(&ob, 1, 3), -1);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP2B=10-12", &error));
	ck_assert_int_eq(glint_option_bytes_wrp_covering(&ob, 1, 11), GLINT_WRP_2B);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP1A=off", &error));
	ck_assert_uint_eq(ob.wrp1ar, 0xFF00FFFF);

	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP1A=7-3", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "reversed"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP1B=0-256", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "beyond the bank"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP1A=250-255x", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "WRP1A=-1-3", &error));
	g_clear_error(&error);

	/* Bank 2 areas make no sense on a single-bank 512 KB configuration. */
	GlintFlashGeometry single;
	glint_chip_get_geometry(l47x(), 512, 0xFFCFF8AA, &single);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &single, "WRP2A=0-1", &error));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &single, "WRP1B=200-255", &error));
}
END_TEST

START_TEST(test_field_edits)
{
	GlintOptionBytes ob;
	GlintFlashGeometry g = geometry(1024);
	GlintFlashGeometry g512 = geometry(512);
	g_autoptr(GError) error = NULL;

	glint_option_bytes_init_factory(&ob);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "BFB2=1", &error));
	ck_assert_uint_eq(ob.optr, 0xFFFFF8AA);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "BOR_LEV=4", &error));
	ck_assert_uint_eq((ob.optr >> 8) & 7, 4);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "BOR_LEV=8", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "BFB2=2", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "DUALBANK=0", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "always dual bank"));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g512, "DUALBANK=0", &error));
	ck_assert_uint_eq(ob.optr & (1u << 21), 0);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "FOO=1", &error));
	ck_assert_ptr_nonnull(strstr(error->message, "unknown option"));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "BFB2", &error));
	g_clear_error(&error);
	ck_assert(!glint_option_bytes_apply_edit(&ob, l47x(), &g, "=1", &error));
	g_clear_error(&error);
	ck_assert(glint_option_bytes_apply_edit(&ob, l47x(), &g, "PCROP1SR=0x10", &error));
	ck_assert_uint_eq(ob.pcrop1sr, 0x10);
}
END_TEST

static GlintOptionChange *
find_change(GPtrArray *changes, const char *name)
{
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		if (g_strcmp0(c->name, name) == 0)
			return c;
	}
	return NULL;
}

START_TEST(test_diff_risks)
{
	GlintOptionBytes old, want;
	GlintFlashGeometry g = geometry(1024);
	g_autoptr(GPtrArray) none = NULL;
	g_autoptr(GPtrArray) bfb2_empty = NULL;
	g_autoptr(GPtrArray) bfb2_full = NULL;
	g_autoptr(GPtrArray) rdp2 = NULL;
	g_autoptr(GPtrArray) regress = NULL;
	g_autoptr(GPtrArray) wrp = NULL;

	glint_option_bytes_init_factory(&old);
	want = old;
	none = glint_option_bytes_diff(&old, &want, l47x(), &g, TRUE);
	ck_assert_uint_eq(none->len, 0);

	ck_assert(glint_option_bytes_apply_edit(&want, l47x(), &g, "BFB2=1", NULL));
	bfb2_empty = glint_option_bytes_diff(&old, &want, l47x(), &g, TRUE);
	ck_assert_uint_eq(bfb2_empty->len, 1);
	ck_assert(glint_option_changes_risk(bfb2_empty) & GLINT_OPTION_RISK_BOOT);
	ck_assert_ptr_nonnull(strstr(find_change(bfb2_empty, "BFB2")->consequence, "bank 2"));
	bfb2_full = glint_option_bytes_diff(&old, &want, l47x(), &g, FALSE);
	ck_assert_uint_eq(glint_option_changes_risk(bfb2_full), GLINT_OPTION_RISK_NONE);

	want = old;
	ck_assert(glint_option_bytes_apply_edit(&want, l47x(), &g, "RDP=2", NULL));
	rdp2 = glint_option_bytes_diff(&old, &want, l47x(), &g, FALSE);
	ck_assert(glint_option_changes_risk(rdp2) & GLINT_OPTION_RISK_PERMANENT);

	ck_assert(glint_option_bytes_apply_edit(&old, l47x(), &g, "RDP=1", NULL));
	want = old;
	ck_assert(glint_option_bytes_apply_edit(&want, l47x(), &g, "RDP=0", NULL));
	regress = glint_option_bytes_diff(&old, &want, l47x(), &g, FALSE);
	ck_assert(glint_option_changes_risk(regress) & GLINT_OPTION_RISK_MASS_ERASE);
	ck_assert_str_eq(find_change(regress, "RDP")->old_value, "level 1 (0xBB)");

	glint_option_bytes_init_factory(&old);
	want = old;
	ck_assert(glint_option_bytes_apply_edit(&want, l47x(), &g, "WRP1A=0-3", NULL));
	wrp = glint_option_bytes_diff(&old, &want, l47x(), &g, FALSE);
	ck_assert(glint_option_changes_risk(wrp) & GLINT_OPTION_RISK_BOOT);
	ck_assert_str_eq(find_change(wrp, "WRP1A")->new_value, "pages 0-3 (0x08000000-0x08001FFF)");
}
END_TEST

typedef struct {
	GArray *fractions;
	GPtrArray *lines;
} ProgressLog;

static void
on_progress(const GlintProgressUpdate *u, gpointer user_data)
{
	ProgressLog *log = user_data;
	g_array_append_val(log->fractions, u->fraction);
}

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	ProgressLog *log = user_data;
	g_ptr_array_add(log->lines, g_strdup(message));
}

START_TEST(test_progress_weights)
{
	ProgressLog log = {g_array_new(FALSE, FALSE, sizeof(gdouble)),
			   g_ptr_array_new_with_free_func(g_free)};
	g_autoptr(GlintProgress) p = glint_progress_new(on_progress, on_log, &log);

	glint_progress_add_step(p, "Erasing", 20);
	glint_progress_add_step(p, "Programming", 70);
	glint_progress_add_step(p, "Verifying", 10);
	glint_progress_begin_step(p, 100);
	glint_progress_update(p, 50);
	ck_assert_double_eq_tol(glint_progress_get_fraction(p), 0.10, 1e-9);
	glint_progress_begin_step(p, 1000);
	glint_progress_update(p, 1000);
	ck_assert_double_eq_tol(glint_progress_get_fraction(p), 0.90, 1e-9);
	glint_progress_begin_step(p, 10);
	glint_progress_update(p, 20); /* clamped to the step's total */
	ck_assert_double_eq_tol(glint_progress_get_fraction(p), 1.0, 1e-9);
	glint_progress_finish(p);
	glint_progress_log(p, G_LOG_LEVEL_MESSAGE, "done %d", 42);

	ck_assert_uint_ge(log.fractions->len, 4);
	for (guint i = 1; i < log.fractions->len; i++)
		ck_assert(g_array_index(log.fractions, gdouble, i) >=
			  g_array_index(log.fractions, gdouble, i - 1));
	ck_assert_double_eq_tol(g_array_index(log.fractions, gdouble, log.fractions->len - 1), 1.0,
				1e-9);
	ck_assert_uint_eq(log.lines->len, 1);
	ck_assert_str_eq(g_ptr_array_index(log.lines, 0), "done 42");
	/* A NULL progress is accepted everywhere. */
	glint_progress_add_step(NULL, "x", 1);
	glint_progress_update(NULL, 1);
	glint_progress_log(NULL, G_LOG_LEVEL_INFO, "ignored");
	g_array_unref(log.fractions);
	g_ptr_array_unref(log.lines);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("unit");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_chip_lookup);
	tcase_add_test(tc, test_geometry_1m_always_dual);
	tcase_add_test(tc, test_geometry_512k_follows_dualbank);
	tcase_add_test(tc, test_rdp_edits);
	tcase_add_test(tc, test_wrp_edits);
	tcase_add_test(tc, test_field_edits);
	tcase_add_test(tc, test_diff_risks);
	tcase_add_test(tc, test_progress_weights);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
