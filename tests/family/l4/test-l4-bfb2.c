/* Glint on an STM32L476 whose system bootloader swapped the banks (BFB2 with
 * a valid bank 2: FB_MODE = 1, bank 2 at 0x08000000): it must program and
 * erase the physical bank the address is in, tell bank 2 is not empty, and
 * say which bank answers where (Glint issue 17, items 4 and 9). */
#include "l4-board.h"

#define FLASH_BASE 0x08000000u
#define UPPER_HALF 0x08080000u
#define SYSCFG_MEMRMP 0x40010000u
#define MEMRMP_FB_MODE (1u << 8)

/* What physical bank @physical (0, 1) holds at @offset, whatever the map */
static guint32
physical_word(GlintSim *sim, guint physical, guint32 offset)
{
	guint32 memrmp = glint_sim_peek32(sim, SYSCFG_MEMRMP);
	guint32 v;
	ck_assert(glint_sim_bus_write(sim, SYSCFG_MEMRMP, 4, 0));
	v = glint_sim_peek32(sim, (physical ? UPPER_HALF : FLASH_BASE) + offset);
	ck_assert(glint_sim_bus_write(sim, SYSCFG_MEMRMP, 4, memrmp));
	return v;
}

START_TEST(test_swapped_geometry)
{
	Board *b = board_new("nucleo-l476rg:bfb2-bank2");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	ck_assert_uint_eq(glint_sim_peek32(b->sim, SYSCFG_MEMRMP), MEMRMP_FB_MODE);
	ck_assert(g->banks_swapped);
	ck_assert_uint_eq(g->banks[0].base, FLASH_BASE);
	ck_assert_uint_eq(g->banks[0].physical, 1);
	ck_assert_uint_eq(g->banks[1].physical, 0);
	/* bank 2 holds the firmware the bootloader started */
	ck_assert(!board_info(b)->bank2_empty);
	board_free(b);
}
END_TEST

static void
program_at_first_address(gboolean no_loader)
{
	Board *b = board_new("nucleo-l476rg:bfb2-bank2");
	g_autoptr(GBytes) data = random_bytes(6 * 1024, no_loader ? 11 : 12);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	guint32 bank1_first = physical_word(b->sim, 0, 0);
	ck_assert_uint_ne(bank1_first, 0xFFFFFFFFu);
	/* the pages at 0x08000000 are bank 2's: erased with BKER, written */
	ck_assert_msg(board_program(b, image, &options, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
	ck_assert_uint_eq(physical_word(b->sim, 1, 0),
			  ((const guint32 *)g_bytes_get_data(data, NULL))[0]);
	/* bank 1's firmware untouched */
	ck_assert_uint_eq(physical_word(b->sim, 0, 0), bank1_first);
	board_free(b);
}

START_TEST(test_program_swapped_direct)
{
	program_at_first_address(TRUE);
}
END_TEST

START_TEST(test_program_swapped_loader)
{
	program_at_first_address(FALSE);
}
END_TEST

/* Erasing the page at 0x08000000 erases bank 2's page 0, not bank 1's */
START_TEST(test_erase_unit_swapped)
{
	Board *b = board_new("nucleo-l476rg:bfb2-bank2");
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = board_progress(b);
	guint32 bank1_first = physical_word(b->sim, 0, 0);
	ck_assert_msg(glint_job_erase_range(b->session, FLASH_BASE, 2048, p, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(physical_word(b->sim, 1, 0), 0xFFFFFFFFu);
	ck_assert_uint_eq(physical_word(b->sim, 0, 0), bank1_first);
	board_free(b);
}
END_TEST

/* Erasing "bank 1" erases physical bank 1, which answers at 0x08080000 */
START_TEST(test_erase_bank_swapped)
{
	Board *b = board_new("nucleo-l476rg:bfb2-bank2");
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = board_progress(b);
	guint32 bank2_first = physical_word(b->sim, 1, 0);
	ck_assert_msg(
	    glint_job_erase_bank(b->session, 0, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error), "%s",
	    error ? error->message : "");
	ck_assert(sim_flash_erased(b->sim, UPPER_HALF, 0x8000, 0xFF));
	ck_assert_uint_eq(physical_word(b->sim, 1, 0), bank2_first);
	board_free(b);
}
END_TEST

/* What diagnosis and the option editor say (issue 17.9) */
START_TEST(test_swapped_diagnosis)
{
	Board *b = board_new("nucleo-l476rg:bfb2-bank2");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = glint_job_diagnose(b->session, NULL, &error);
	GlintFinding *f;
	ck_assert_ptr_nonnull(findings);
	ck_assert_ptr_null(find_finding(findings, "bfb2-empty-bank2"));
	f = find_finding(findings, "banks-swapped");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "Bank 2 answers at 0x08000000"));
	board_free(b);
}
END_TEST

/* The consequence of setting BFB2, as the option editor shows it, is what
 * the bootloader will do */
START_TEST(test_bfb2_consequences)
{
	Board *b = board_new("fresh");
	const GlintTargetInfo *info = board_info(b);
	GlintOptionContext ctx;
	GlintOptionBytes ob = info->options;
	g_autoptr(GPtrArray) changes = NULL;
	gboolean seen = FALSE;
	ck_assert(glint_target_info_apply_option_edit(info, &ob, "BFB2=1", NULL));
	glint_target_info_option_context(info, &ctx);
	/* bank 2 empty on a fresh board */
	changes = glint_option_bytes_diff(&ctx, &info->options, &ob);
	for (guint i = 0; i < changes->len; i++) {
		GlintOptionChange *c = g_ptr_array_index(changes, i);
		if (c->field != NULL && g_strcmp0(c->field->name, "BFB2") == 0) {
			seen = TRUE;
			ck_assert_ptr_nonnull(strstr(c->consequence, "jumps to bank 1"));
		}
	}
	ck_assert(seen);
	board_free(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l4-bfb2");
	TCase *tc = tcase_create("swapped");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_swapped_geometry);
	tcase_add_test(tc, test_program_swapped_direct);
	tcase_add_test(tc, test_program_swapped_loader);
	tcase_add_test(tc, test_erase_unit_swapped);
	tcase_add_test(tc, test_erase_bank_swapped);
	tcase_add_test(tc, test_swapped_diagnosis);
	tcase_add_test(tc, test_bfb2_consequences);
	suite_add_tcase(s, tc);
	return l4_run_suite(s);
}
