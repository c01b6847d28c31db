/* Every job of Glint on one emulated board of the L4-style family (the
 * board is argv[1]; meson runs one test per board): connect and identify,
 * erase by page, bank and mass, program with and without the loader,
 * verify, read, smart re-flash, option edits by reference-manual name,
 * each generic scenario's diagnosis and fix, and the faults a re-run
 * repairs: a power cut in the middle of programming or of an erase, the
 * probe pulled mid-program. What differs per board (device id, sizes,
 * banks, page size, field names) is in the table below. */
#include <glib/gstdio.h>
#include <stdio.h>

#include "l4-board.h"

#define FLASH_BASE 0x08000000u

typedef struct {
	const char *board; /* the test's name; the spec of its fresh board */
	guint16 dev_id;
	const char *chip;
	guint32 flash_kb;
	guint n_banks;	   /* as the board ships (fresh) */
	guint32 page_size; /* in that mode */
	/* option fields only this board's layout has, and one it must not */
	const char *own_field;
	const char *absent_field;
	/* a scenario of its board rather than a board: the scenario tests
	 * (wrp, rdp1, ...) are the board's own run */
	gboolean variant;
	/* protection areas Glint does not edit in this bank mode (G47x with
	 * DBANK = 0: 16-byte PCROP granules, WRP areas over the whole flash) */
	gboolean areas_not_editable;
	/* the flash interface (0: 0x40022000; 0x58004000 on the WB and WL) */
	guint32 flash_regs;
	/* the brown-out field to edit (NULL: BOR_LEV; the G0's BORF_LEV) */
	const char *bor_field;
	/* KB at the end that CPU2's secure flash takes as shipped (WB: the
	 * FUS in pages 0xF4-0xFF) */
	guint32 secure_kb;
	/* the debugger may not mass erase (WB: RM0434 3.3.7) */
	gboolean no_mass_erase;
} BoardFacts;

static const BoardFacts boards[] = {
    {"nucleo-l476rg", 0x415, "STM32L47x/L48x", 1024, 2, 2048, "BFB2", "nBOOT_SEL"},
    {"nucleo-l496zg", 0x461, "STM32L49x/L4Ax", 1024, 2, 2048, "DUALBANK", "nBOOT_SEL"},
    {"nucleo-l432kc", 0x435, "STM32L43x/L44x", 256, 1, 2048, "nSWBOOT0", "BFB2"},
    {"nucleo-l452re", 0x462, "STM32L45x/L46x", 512, 1, 2048, "SRAM2_RST", "DUALBANK"},
    {"nucleo-g474re", 0x469, "STM32G47x/G48x", 512, 2, 2048, "DBANK", "DUALBANK"},
    {"nucleo-g474re:g474-single-bank", 0x469, "STM32G47x/G48x", 512, 1, 4096, "NRST_MODE",
     "PB4_PUPEN", TRUE, TRUE},
    {"nucleo-g431rb", 0x468, "STM32G43x/G44x", 128, 1, 2048, "PB4_PUPEN", "DBANK"},
    {"nucleo-l4r5zi", 0x470, "STM32L4R/L4S", 2048, 2, 4096, "DB1M", "DUALBANK"},
    {"nucleo-g031k8", 0x466, "STM32G03x/G04x", 64, 1, 2048, "nBOOT_SEL", "DUAL_BANK",
     .bor_field = "BORF_LEV"},
    {"nucleo-g071rb", 0x460, "STM32G07x/G08x", 128, 1, 2048, "NRST_MODE", "nSWAP_BANK",
     .bor_field = "BORF_LEV"},
    {"nucleo-g0b1re", 0x467, "STM32G0Bx/G0Cx", 512, 2, 2048, "DUAL_BANK", "BFB2",
     .bor_field = "BORF_LEV"},
    {"nucleo-g0b1re:g0b1-swap-bank", 0x467, "STM32G0Bx/G0Cx", 512, 2, 2048, "nSWAP_BANK", "DBANK",
     TRUE, .bor_field = "BORF_LEV"},
    {"p-nucleo-wb55", 0x495, "STM32WB5x", 1024, 1, 4096, "ESE", "BOOT_LOCK",
     .flash_regs = 0x58004000, .secure_kb = 48, .no_mass_erase = TRUE},
    {"nucleo-wl55jc", 0x497, "STM32WL5x/WLEx", 256, 1, 2048, "C2BOOT_LOCK", "AGC_TRIM",
     .flash_regs = 0x58004000},
};

static const BoardFacts *facts;

/* The end of the flash CPU1 may program (below CPU2's secure flash) */
static guint32
flash_end(void)
{
	return FLASH_BASE + (facts->flash_kb - facts->secure_kb) * 1024u;
}

static const char *
bor_field(void)
{
	return facts->bor_field != NULL ? facts->bor_field : "BOR_LEV";
}

START_TEST(test_connect_and_identify)
{
	Board *b = board_new(facts->board);
	const GlintTargetInfo *info = board_info(b);
	ck_assert_uint_eq(info->dev_id, facts->dev_id);
	ck_assert_str_eq(info->chip->name, facts->chip);
	ck_assert_uint_eq(info->flash_kb, facts->flash_kb);
	ck_assert_uint_eq(info->geometry.n_banks, facts->n_banks);
	ck_assert_uint_eq(info->geometry.banks[0].runs[0].size, facts->page_size);
	ck_assert_uint_eq(info->geometry.size, facts->flash_kb * 1024u);
	ck_assert_uint_eq(info->rdp_level, 0);
	ck_assert(board_log_contains(b, "Connected to"));
	board_free(b);
}
END_TEST

static void
program_read_verify(gboolean no_loader)
{
	Board *b = board_new(facts->board);
	/* the start of flash, and the last pages (bank 2 on dual-bank boards) */
	g_autoptr(GBytes) head = random_bytes(3 * facts->page_size + 24, 1);
	g_autoptr(GBytes) tail = random_bytes(2 * facts->page_size, 2);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, head);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	GlintJobResult result = {0};

	ck_assert(glint_image_add(image, flash_end() - g_bytes_get_size(tail),
				  g_bytes_get_data(tail, NULL), g_bytes_get_size(tail), "tail",
				  NULL));
	ck_assert_msg(board_program(b, image, &options, &result, &error), "%s",
		      error ? error->message : "");
	ck_assert_int_eq(result.loader_used, !no_loader);
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, head));
	ck_assert(sim_flash_equals(b->sim, flash_end() - g_bytes_get_size(tail), tail));
	back = glint_job_read(b->session, FLASH_BASE, g_bytes_get_size(head), NULL, NULL, NULL,
			      &error);
	ck_assert_ptr_nonnull(back);
	ck_assert(g_bytes_equal(back, head));
	ck_assert(glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	glint_job_result_clear(&result);
	board_free(b);
}

START_TEST(test_program_with_loader)
{
	program_read_verify(FALSE);
}
END_TEST

START_TEST(test_program_without_loader)
{
	program_read_verify(TRUE);
}
END_TEST

/* Smart re-flash: only the page that changed is erased and written again */
START_TEST(test_smart_reflash)
{
	Board *b = board_new(facts->board);
	gsize len = 8 * facts->page_size;
	g_autoptr(GBytes) first = random_bytes(len, 3);
	g_autofree guint8 *changed = g_memdup2(g_bytes_get_data(first, NULL), len);
	g_autoptr(GBytes) second = NULL;
	g_autoptr(GlintImage) image1 = image_at(FLASH_BASE, first);
	g_autoptr(GlintImage) image2 = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .smart = TRUE};
	GlintJobResult result = {0};

	ck_assert_msg(board_program(b, image1, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	changed[5 * facts->page_size + 7] ^= 0x5A;
	second = g_bytes_new(changed, len);
	image2 = image_at(FLASH_BASE, second);
	ck_assert_msg(board_program(b, image2, &options, &result, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert_uint_eq(result.pages_skipped, 7);
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, second));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* Erase by page, by bank (each physical bank, the other one kept), mass */
START_TEST(test_erase_page_bank_mass)
{
	Board *b = board_new(facts->board);
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = board_progress(b);
	guint8 zero[8] = {0};
	GlintFlashUnit last;

	/* marks in the first page, the second page and the last page */
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE, zero, 8));
	ck_assert(glint_sim_poke(b->sim, FLASH_BASE + facts->page_size, zero, 8));
	ck_assert(glint_sim_poke(b->sim, flash_end() - 8, zero, 8));
	ck_assert_msg(glint_job_erase_range(b->session, FLASH_BASE + facts->page_size, 1, p, NULL,
					    NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert(sim_flash_erased(b->sim, FLASH_BASE + facts->page_size, 8, 0xFF));
	ck_assert(!sim_flash_erased(b->sim, FLASH_BASE, 8, 0xFF));
	ck_assert(glint_geometry_get_unit(g, g->n_units - 1, &last));
	if (facts->no_mass_erase) {
		/* the WB: its last page is CPU2's, and CPU1 has no mass erase */
		ck_assert(!glint_job_erase_bank(b->session, last.physical, GLINT_CONFIRM_RISKY, p,
						NULL, NULL, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED));
		ck_assert_ptr_nonnull(strstr(error->message, "CPU2"));
		g_clear_error(&error);
		ck_assert(
		    !glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED));
		ck_assert_ptr_nonnull(strstr(error->message, "RM0434 3.3.7"));
		ck_assert(!sim_flash_erased(b->sim, flash_end() - 8, 8, 0xFF));
		board_free(b);
		return;
	}
	/* the bank holding the last page */
	ck_assert_msg(glint_job_erase_bank(b->session, last.physical, GLINT_CONFIRM_RISKY, p, NULL,
					   NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert(sim_flash_erased(b->sim, flash_end() - 8, 8, 0xFF));
	/* bank 1 survives a bank-2 erase on a dual-bank board */
	ck_assert(g->n_banks == 1 || !sim_flash_erased(b->sim, FLASH_BASE, 8, 0xFF));
	ck_assert(glint_sim_poke(b->sim, flash_end() - 8, zero, 8));
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_NONE, p, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, p, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert(sim_flash_erased(b->sim, FLASH_BASE, 8, 0xFF));
	ck_assert(sim_flash_erased(b->sim, flash_end() - 8, 8, 0xFF));
	board_free(b);
}
END_TEST

/* Option bytes by reference-manual name: the layout has this board's own
 * fields and not another line's; an edit round-trips through the chip */
START_TEST(test_options_by_name)
{
	Board *b = board_new(facts->board);
	const GlintOptionLayout *layout = board_info(b)->chip->options;
	g_autoptr(GError) error = NULL;
	GlintOptionBytes ob;
	guint32 v = 0;
	ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, facts->own_field));
	ck_assert_ptr_null(glint_option_layout_find_field(layout, facts->absent_field));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, bor_field()));
	ck_assert_ptr_nonnull(glint_option_layout_find_area(layout, "WRP1A"));
	g_autofree gchar *bor_edit = g_strdup_printf("%s=2", bor_field());
	ck_assert_msg(board_write_options(b, bor_edit, GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_job_read_options(b->session, &ob, &error));
	ck_assert(glint_option_bytes_get_named(&ob, bor_field(), &v));
	ck_assert_uint_eq(v, 2);
	/* a protected range, then off again */
	if (facts->areas_not_editable) {
		ck_assert(!board_write_options(b, "WRP1A=2-3", GLINT_CONFIRM_NONE, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED));
		ck_assert_ptr_nonnull(strstr(error->message, "DBANK"));
		board_free(b);
		return;
	}
	ck_assert_msg(board_write_options(b, "WRP1A=2-3", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_option_bytes_area_active(&board_info(b)->options,
						 glint_option_layout_find_area(layout, "WRP1A")));
	ck_assert_msg(board_write_options(b, "WRP1A=off", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(!glint_option_bytes_area_active(&board_info(b)->options,
						  glint_option_layout_find_area(layout, "WRP1A")));
	board_free(b);
}
END_TEST

/* A write protection of one page (start = end) is on, as the chip reads
 * it: that page refuses programming with WRPERR, its neighbours take it */
START_TEST(test_one_page_wrp)
{
	Board *b = board_new(facts->board);
	const GlintOptionLayout *layout = board_info(b)->chip->options;
	const GlintProtectionArea *area = glint_option_layout_find_area(layout, "WRP1A");
	g_autoptr(GBytes) data = random_bytes(facts->page_size, 9);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *covers = NULL;
	const guint32 page5 = FLASH_BASE + 5 * facts->page_size;

	ck_assert_msg(board_write_options(b, "WRP1A=5-5", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_option_bytes_area_active(&board_info(b)->options, area));
	covers = glint_option_bytes_describe_area(&board_info(b)->options, area,
						  &board_info(b)->geometry);
	ck_assert_str_ne(covers, "off");
	for (guint page = 4; page <= 6; page++) {
		g_autoptr(GlintImage) image = image_at(FLASH_BASE + page * facts->page_size, data);
		gboolean ok = board_program(b, image, NULL, NULL, &error);
		if (FLASH_BASE + page * facts->page_size == page5) {
			ck_assert_msg(!ok, "page 5 programmed under WRP1A=5-5 (%s)", covers);
			ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
			g_clear_error(&error);
		} else {
			ck_assert_msg(ok, "page %u: %s", page, error ? error->message : "");
			ck_assert(
			    sim_flash_equals(b->sim, FLASH_BASE + page * facts->page_size, data));
		}
	}
	board_free(b);
}
END_TEST

static GlintFinding *
diagnose_find(Board *b, const char *id, GPtrArray **keep)
{
	g_autoptr(GError) error = NULL;
	*keep = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_msg(*keep != NULL, "%s", error ? error->message : "");
	return find_finding(*keep, id);
}

START_TEST(test_wrp_diagnosed_and_fixed)
{
	g_autofree gchar *spec = g_strdup_printf("%s:wrp", facts->board);
	Board *b = board_new(spec);
	g_autoptr(GBytes) data = random_bytes(facts->page_size, 4);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintFinding *f;

	ck_assert(!board_program(b, image, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP1A"));
	g_clear_error(&error);
	f = diagnose_find(b, "wrp-active", &findings);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_REMOVE_WRP);
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_REMOVE_WRP, GLINT_CONFIRM_NONE,
					  NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_msg(board_program(b, image, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
	board_free(b);
}
END_TEST

START_TEST(test_rdp1_diagnosed_and_regressed)
{
	g_autofree gchar *spec = g_strdup_printf("%s:rdp1", facts->board);
	Board *b = board_new(spec);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintFinding *f;

	ck_assert_uint_eq(board_info(b)->rdp_level, 1);
	back = glint_job_read(b->session, FLASH_BASE, 64, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);
	f = diagnose_find(b, "rdp-level1", &findings);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_REGRESS_RDP);
	ck_assert(!glint_job_apply_fix(b->session, GLINT_FIX_REGRESS_RDP, GLINT_CONFIRM_NONE, NULL,
				       NULL, NULL, &error));
	g_clear_error(&error);
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_REGRESS_RDP, GLINT_CONFIRM_RISKY,
					  NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(board_info(b)->rdp_level, 0);
	ck_assert(sim_flash_erased(b->sim, FLASH_BASE, 4096, 0xFF));
	board_free(b);
}
END_TEST

START_TEST(test_stale_errors_cleared)
{
	g_autofree gchar *spec = g_strdup_printf("%s:stale-errors", facts->board);
	Board *b = board_new(spec);
	g_autoptr(GBytes) data = random_bytes(facts->page_size, 5);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintJobResult result = {0};

	ck_assert_ptr_nonnull(diagnose_find(b, "stale-flags", &findings));
	ck_assert_msg(board_program(b, image, NULL, &result, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_ne(result.stale_flags, 0);
	ck_assert(board_log_contains(b, "PGSERR"));
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

START_TEST(test_no_target)
{
	g_autofree gchar *spec = g_strdup_printf("%s:no-target", facts->board);
	Board *b = board_new_unconnected(spec);
	g_autoptr(GError) error = NULL;
	ck_assert(!board_connect(b, FALSE, &error));
	ck_assert_msg(strstr(error->message, "V") != NULL, "%s", error->message);
	board_free(b);
}
END_TEST

/* Power fails in the middle of programming: the job fails, and the same
 * job run again after power returns leaves the image in flash */
START_TEST(test_power_cut_mid_program_repaired)
{
	Board *b = board_new(facts->board);
	g_autoptr(GBytes) data = random_bytes(4 * facts->page_size, 6);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	guint32 cut = 0;

	glint_sim_set_power_fail_after_double_words(b->sim, 100);
	ck_assert(!board_program(b, image, &options, NULL, &error));
	ck_assert(glint_sim_get_power_cut_address(b->sim, &cut));
	ck_assert_uint_ge(cut, FLASH_BASE);
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	ck_assert_msg(board_connect(b, FALSE, &error), "%s", error ? error->message : "");
	ck_assert_msg(board_program(b, image, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
	board_free(b);
}
END_TEST

/* A session on a board brought back from a state file, as when the probe
 * is plugged in again */
static Board *
board_replugged(Board *b, const char *dir)
{
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	Board *again = g_new0(Board, 1);

	ck_assert_msg(glint_sim_save_state(b->sim, path, &error), "%s",
		      error ? error->message : "");
	again->sim = glint_sim_new_from_state(path, &error);
	ck_assert_msg(again->sim != NULL, "%s", error ? error->message : "");
	g_unlink(path);
	transport = glint_sim_transport_new(again->sim);
	again->session = glint_session_new(transport);
	again->log = g_ptr_array_new_with_free_func(g_free);
	ck_assert_msg(board_connect(again, FALSE, &error), "%s", error ? error->message : "");
	return again;
}

/* The probe is pulled half way through programming (with the loader and
 * without): the job fails saying so, and the same job on the board as it
 * was left, the probe plugged in again, leaves the image in flash */
static void
unplug_mid_program(gboolean no_loader)
{
	g_autoptr(GBytes) data = random_bytes(6 * facts->page_size, 8);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("l4-unplug-XXXXXX", NULL);
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	guint64 start, total;
	Board *b, *again;

	/* how many commands the whole job takes on a board of its own */
	b = board_new(facts->board);
	start = glint_sim_get_command_count(b->sim);
	ck_assert_msg(board_program(b, image, &options, NULL, &error), "%s",
		      error ? error->message : "");
	total = glint_sim_get_command_count(b->sim) - start;
	board_free(b);

	b = board_new(facts->board);
	glint_sim_set_unplug_after(b->sim, glint_sim_get_command_count(b->sim) + total / 2);
	ck_assert(!board_program(b, image, &options, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      error->message);
	ck_assert(glint_sim_is_unplugged(b->sim));
	/* it did stop half way: the image is not all there */
	ck_assert(!sim_flash_equals(b->sim, FLASH_BASE, data));
	g_clear_error(&error);
	again = board_replugged(b, dir);
	ck_assert_msg(board_program(again, image, &options, NULL, &error), "re-run: %s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(again->sim, FLASH_BASE, data));
	board_free(again);
	board_free(b);
	g_rmdir(dir);
}

START_TEST(test_unplug_mid_program_repaired)
{
	unplug_mid_program(FALSE);
	unplug_mid_program(TRUE);
}
END_TEST

/* Cuts power once, in the middle of an erase the host is polling */
typedef struct {
	gboolean struck;
	GlintSimCut cut;
} EraseCut;

#define FLASH_SR_OFF 0x10u
#define FLASH_CR_OFF 0x14u
/* BSY, and BSY2 for the G0B1's bank 2 */
#define FLASH_SR_BSY (3u << 16)
#define FLASH_CR_ERASES 0x00008006u /* PER, MER1, MER2 */

static gboolean
cut_during_erase(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	EraseCut *c = user_data;
	guint32 regs = facts->flash_regs != 0 ? facts->flash_regs : 0x40022000u;
	if (c->struck || !(glint_sim_peek32(sim, regs + FLASH_SR_OFF) & FLASH_SR_BSY) ||
	    !(glint_sim_peek32(sim, regs + FLASH_CR_OFF) & FLASH_CR_ERASES))
		return TRUE;
	c->struck = TRUE;
	c->cut = glint_sim_power_fail(sim);
	return TRUE;
}

/* Power fails while a page is being erased (the host programs directly
 * and polls BSY): the job fails, and a re-run leaves the image in flash */
START_TEST(test_power_cut_mid_erase_repaired)
{
	Board *b = board_new(facts->board);
	g_autoptr(GBytes) data = random_bytes(3 * facts->page_size, 7);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	EraseCut cut = {FALSE, GLINT_SIM_CUT_NONE};

	glint_sim_set_command_hook(b->sim, cut_during_erase, &cut);
	ck_assert(!board_program(b, image, &options, NULL, &error));
	ck_assert_msg(cut.struck && cut.cut == GLINT_SIM_CUT_ERASE, "no erase was cut (%s)",
		      glint_sim_cut_to_string(cut.cut));
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	ck_assert_msg(board_connect(b, FALSE, &error), "%s", error ? error->message : "");
	ck_assert_msg(board_program(b, image, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_flash_equals(b->sim, FLASH_BASE, data));
	board_free(b);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;
	for (guint i = 0; argc == 2 && i < G_N_ELEMENTS(boards); i++) {
		if (g_strcmp0(boards[i].board, argv[1]) == 0)
			facts = &boards[i];
	}
	if (facts == NULL) {
		fprintf(stderr, "usage: %s BOARD (a board of the table)\n", argv[0]);
		return 2;
	}
	s = suite_create(facts->board);
	tc = tcase_create("jobs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_connect_and_identify);
	tcase_add_test(tc, test_program_with_loader);
	tcase_add_test(tc, test_program_without_loader);
	tcase_add_test(tc, test_smart_reflash);
	tcase_add_test(tc, test_erase_page_bank_mass);
	tcase_add_test(tc, test_options_by_name);
	if (!facts->variant) {
		tcase_add_test(tc, test_one_page_wrp);
		tcase_add_test(tc, test_wrp_diagnosed_and_fixed);
		tcase_add_test(tc, test_rdp1_diagnosed_and_regressed);
		tcase_add_test(tc, test_stale_errors_cleared);
		tcase_add_test(tc, test_no_target);
	}
	tcase_add_test(tc, test_power_cut_mid_program_repaired);
	tcase_add_test(tc, test_power_cut_mid_erase_repaired);
	tcase_add_test(tc, test_unplug_mid_program_repaired);
	suite_add_tcase(s, tc);
	return l4_run_suite(s);
}
