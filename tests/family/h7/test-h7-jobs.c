/* test-h7-jobs.c: every job on every STM32H7 board, against the emulator:
 * connect, program (loader and direct, whole flash words, the partial last
 * word), verify, read, smart re-flash, erase by sector/bank/mass, each
 * scenario (wrp, rdp1, stale-errors, swapped, ecc-error) with its
 * diagnosis and fix, and a power cut mid-program and mid-erase that a
 * re-run repairs. Loop tests run each case on the three boards. */
#include "h7-test.h"

#include <glib/gstdio.h>

#include "glint-loader.h"

START_TEST(test_connect)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "fresh");
	const GlintTargetInfo *info = board_info(b);

	ck_assert_str_eq(info->chip->name, hb->chip);
	ck_assert_uint_eq(info->flash_kb, hb->flash_kb);
	ck_assert_uint_eq(info->geometry.n_banks, hb->n_banks);
	/* the programming unit is the flash word */
	ck_assert_uint_eq(info->geometry.program_unit, hb->word);
	ck_assert_uint_eq(info->geometry.largest_unit, hb->sector);
	ck_assert_str_eq(info->geometry.unit_name, "sector");
	ck_assert(!info->geometry.banks_swapped);
	if (hb->n_banks == 2) {
		/* bank 2 at 0x08100000, physical bank 2 */
		ck_assert_uint_eq(info->geometry.banks[1].base, BANK2_BASE);
		ck_assert_uint_eq(info->geometry.banks[1].physical, 1);
	}
	/* the debug set-up froze the watchdogs: DBGMCU_APB4FZ1.WDGLSD1 */
	ck_assert(glint_sim_peek32(b->sim, 0x5C001054u) & (1u << 18));
	ck_assert(log_contains(b, "Connected to"));
	board_free(b);
}
END_TEST

/* Loader and direct path, an image that ends inside a flash word (the
 * rest of the word stays erased) and, on two banks, crosses into bank 2 */
static void
program_verify_read(const H7Board *hb, gboolean no_loader)
{
	Board *b = board_new(hb, "fresh");
	guint32 address = hb->n_banks == 2 ? BANK2_BASE - hb->sector / 2 : FLASH_BASE + 0x4000;
	g_autoptr(GBytes) data = random_bytes(hb->sector + 7, 11 + no_loader);
	g_autoptr(GlintImage) image = image_at(address, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	GlintJobResult result = {0};

	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s %s", hb->name,
		      error ? error->message : "");
	ck_assert(result.loader_used == !no_loader);
	ck_assert(flash_equals(b, address, data));
	ck_assert(flash_erased(b, address + g_bytes_get_size(data), hb->word - 7));
	back =
	    glint_job_read(b->session, address, g_bytes_get_size(data), NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	ck_assert(g_bytes_equal(back, data));
	ck_assert_msg(glint_job_verify(b->session, image, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	glint_job_result_clear(&result);
	board_free(b);
}

START_TEST(test_program_loader)
{
	program_verify_read(&h7_boards[_i], FALSE);
}
END_TEST

START_TEST(test_program_direct)
{
	program_verify_read(&h7_boards[_i], TRUE);
}
END_TEST

/* ECC: a flash word is written once per erase. Programming over data
 * without an erase is refused before anything reaches the chip, on both
 * paths, and the word stays readable. */
/* An image across both banks: the loader keeps both write buffers busy
 * (RM0433 4.3.2), every word but the first of each pair of chunks
 * programmed while the other bank programs one too, and the same bytes as
 * one bank after the other. On banks erased before, the programming takes
 * about one bank's time. */
START_TEST(test_program_both_banks_at_once)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b;
	gsize half = 4 * 16384; /* four loader chunks per bank */
	g_autoptr(GBytes) data = random_bytes(2 * half, 21);
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.no_erase = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;
	guint64 words = half / hb->word, parallel;
	gint64 word_ns = hb->word == 32 ? 100000 : 50000; /* DS12110, DS13195 */
	gint64 t0, took;

	if (hb->n_banks < 2)
		return;
	b = board_new(hb, "fresh");
	ck_assert(glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	image = image_at(BANK2_BASE - half, data);
	glint_sim_get_stats(b->sim, &before);
	t0 = glint_sim_get_time_ns(b->sim);
	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s %s", hb->name,
		      error ? error->message : "");
	took = glint_sim_get_time_ns(b->sim) - t0;
	glint_sim_get_stats(b->sim, &after);
	ck_assert(result.loader_used);
	ck_assert(flash_equals(b, BANK2_BASE - half, data));
	parallel = after.units_programmed_in_parallel - before.units_programmed_in_parallel;
	ck_assert_msg(parallel >= 2 * words - 2 * (half / 16384),
		      "%s: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " words in parallel",
		      hb->name, parallel, 2 * words);
	/* one bank's words and the transfers around them: well under the two
	 * banks' words one after the other */
	ck_assert_msg(took < (gint64)(words * 3 / 2) * word_ns, "%s: %" G_GINT64_FORMAT " ns",
		      hb->name, took);
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* The board's own probe sets Glint's clock: an STLINK-V3E (MB1364) runs
 * SWD at 24 MHz when nobody says otherwise, and a read moves six times
 * faster than at --freq 4000 (at the probe's power-on 1.8 MHz, had the
 * clock not been set, it would be slower still). */
START_TEST(test_swd_clock_from_probe)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) fast = NULL, slow = NULL;
	GlintConnectOptions at_4mhz = {.swd_khz = 4000};
	g_autoptr(GlintProgress) progress = board_progress(b);
	gsize len = 64 * 1024;
	gint64 t0, fast_ns, slow_ns;

	ck_assert_int_eq(glint_sim_get_probe_kind(b->sim), GLINT_PROBE_KIND_V3);
	ck_assert(log_contains(b, "SWD clock 24000 kHz"));
	t0 = glint_sim_get_time_ns(b->sim);
	fast = glint_job_read(b->session, FLASH_BASE, len, NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(fast);
	fast_ns = glint_sim_get_time_ns(b->sim) - t0;

	glint_job_disconnect(b->session);
	ck_assert(glint_job_connect(b->session, &at_4mhz, progress, NULL, &error));
	t0 = glint_sim_get_time_ns(b->sim);
	slow = glint_job_read(b->session, FLASH_BASE, len, NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(slow);
	slow_ns = glint_sim_get_time_ns(b->sim) - t0;
	/* the SWD part of a read is most of it: 24 MHz takes well under half
	 * of what 4 MHz takes */
	ck_assert_msg(2 * fast_ns < slow_ns,
		      "%s: %" G_GINT64_FORMAT " ns at 24 MHz, %" G_GINT64_FORMAT " ns at 4 MHz",
		      hb->name, fast_ns, slow_ns);
	board_free(b);
}
END_TEST

START_TEST(test_no_second_write)
{
	const H7Board *hb = &h7_boards[_i / 2];
	gboolean no_loader = _i % 2;
	Board *b = board_new(hb, "fresh");
	g_autoptr(GBytes) first = random_bytes(256, 21);
	g_autoptr(GBytes) second = random_bytes(256, 22);
	g_autoptr(GlintImage) image1 = image_at(FLASH_BASE, first);
	g_autoptr(GlintImage) image2 = image_at(FLASH_BASE, second);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions plain = {.no_loader = no_loader};
	GlintProgramOptions again = {.no_erase = TRUE, .no_loader = no_loader};

	ck_assert(program_with(b, image1, &plain, NULL, &error));
	ck_assert(!program_with(b, image2, &again, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED), "%s: %s",
		      hb->name, error->message);
	ck_assert_ptr_nonnull(strstr(error->message, "0x08000000"));
	ck_assert_ptr_nonnull(strstr(error->message, "sector 0"));
	ck_assert(flash_equals(b, FLASH_BASE, first));
	/* no ECC damage: a read still works */
	g_clear_error(&error);
	g_autoptr(GBytes) back =
	    glint_job_read(b->session, FLASH_BASE, 256, NULL, NULL, NULL, &error);
	ck_assert_msg(back != NULL, "%s", error ? error->message : "");
	board_free(b);
}
END_TEST

/* Smart re-flash compares sector CRCs on the target: one changed sector
 * is the only one erased again */
START_TEST(test_smart_reflash)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "fresh");
	gsize len = 3 * hb->sector;
	g_autoptr(GBytes) data = random_bytes(len, 31);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autofree guint8 *changed = g_memdup2(g_bytes_get_data(data, NULL), len);
	g_autoptr(GBytes) data2 = NULL;
	g_autoptr(GlintImage) image2 = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions smart = {.verify = TRUE, .smart = TRUE};
	GlintJobResult result = {0};

	ck_assert(program_with(b, image, &smart, NULL, &error));
	changed[hb->sector + 100] ^= 0x5A;
	data2 = g_bytes_new(changed, len);
	image2 = image_at(FLASH_BASE, data2);
	ck_assert_msg(program_with(b, image2, &smart, &result, &error), "%s", error->message);
	ck_assert_uint_eq(result.pages_skipped, 2);
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(result.loader_used);
	ck_assert(flash_equals(b, FLASH_BASE, data2));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* Bank 2's erase must erase bank 2 and nothing of bank 1 (and a sector
 * erase of bank 2 goes through FLASH_CR2): a driver that mixes up the
 * register sets fails here */
START_TEST(test_erase_units_and_banks)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "fresh");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	g_autoptr(GError) error = NULL;
	guint last = g->n_units - 1;
	guint32 last_addr;
	GlintFlashUnit unit;

	ck_assert(glint_geometry_get_unit(g, last, &unit));
	last_addr = unit.address;
	fill_flash(b, FLASH_BASE, 2 * hb->sector, 0x11);
	fill_flash(b, last_addr - hb->sector, 2 * hb->sector, 0x22);
	/* the last sector (bank 2's last on two banks) */
	ck_assert_msg(glint_job_erase_units(b->session, &last, 1, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(flash_erased(b, last_addr, hb->sector));
	ck_assert(!flash_erased(b, last_addr - hb->sector, 1));
	ck_assert(!flash_erased(b, FLASH_BASE, 1));
	/* a range erase of sector 1 */
	ck_assert(glint_job_erase_range(b->session, FLASH_BASE + hb->sector, 1, NULL, NULL, NULL,
					&error));
	ck_assert(flash_erased(b, FLASH_BASE + hb->sector, hb->sector));
	ck_assert(!flash_erased(b, FLASH_BASE, 1));
	if (hb->n_banks == 2) {
		ck_assert(!glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_NONE, NULL, NULL, NULL,
						&error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
		g_clear_error(&error);
		ck_assert(glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_RISKY, NULL, NULL, NULL,
					       &error));
		ck_assert(flash_erased(b, last_addr - hb->sector, hb->sector));
		ck_assert(!flash_erased(b, FLASH_BASE, 1));
	}
	ck_assert(glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, FLASH_BASE, hb->flash_kb * 1024));
	board_free(b);
}
END_TEST

/* wrp: sector 0 of bank 1 protected by WPSN; the job refuses naming the
 * area and the sector, mass erase is refused, the fix removes it */
START_TEST(test_wrp)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "wrp");
	g_autoptr(GBytes) data = random_bytes(1024, 41);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	const GlintProtectionArea *area =
	    glint_option_layout_find_area(board_info(b)->chip->options, hb->wpsn1);
	GlintFinding *f;

	/* a one-bit area is active, and covers exactly its sectors */
	ck_assert(glint_option_bytes_area_active(&board_info(b)->options, area));
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, hb->wpsn1));
	ck_assert_ptr_nonnull(strstr(error->message, "sector 0"));
	g_clear_error(&error);
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	g_clear_error(&error);
	/* the sector just after the area is free */
	{
		guint unit = hb->sectors_per_wpsn_bit;
		ck_assert(glint_job_erase_units(b->session, &unit, 1, NULL, NULL, NULL, &error));
	}
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "wrp-active");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, hb->wpsn1));
	ck_assert_msg(glint_job_apply_fix(b->session, f->fix_kind, GLINT_CONFIRM_NONE, NULL, NULL,
					  NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_WPSN_CUR1) & 1u, 1u);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

START_TEST(test_rdp1_regress)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "rdp1");
	g_autoptr(GBytes) data = random_bytes(512, 51);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {0};

	ck_assert_uint_eq(board_info(b)->rdp_level, 1);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);
	ck_assert(!write_edit(b, "RDP=0", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "RDP=0", GLINT_CONFIRM_RISKY, &error), "%s", error->message);
	ck_assert_uint_eq(board_info(b)->rdp_level, 0);
	/* the regression erased the firmware */
	ck_assert(flash_erased(b, FLASH_BASE, 24 * 1024));
	ck_assert(log_contains(b, "mass-erased"));
	ck_assert(program_with(b, image, &options, NULL, &error));
	board_free(b);
}
END_TEST

START_TEST(test_stale_errors)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "stale-errors");
	g_autoptr(GBytes) data = random_bytes(512, 61);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	/* the firmware around the image does not matter here */
	GlintProgramOptions options = {.verify = TRUE, .no_preserve = TRUE};
	GlintJobResult result = {0};

	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "stale-flags"));
	ck_assert(program_with(b, image, &options, &result, &error));
	ck_assert(result.stale_flags != 0);
	ck_assert(log_contains(b, "PGSERR1"));
	ck_assert(log_contains(b, "INCERR1"));
	if (hb->n_banks == 2)
		ck_assert(log_contains(b, "STRBERR2"));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_SR1) & (SR_PGSERR | SR_INCERR), 0);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* swapped: bank 2 at 0x08000000. Erase and WRP follow the physical bank:
 * erasing the sector at 0x08000000 erases bank 2's sector 0, and WPSN2
 * (not WPSN1) protects it */
START_TEST(test_swapped)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "swapped");
	const GlintFlashGeometry *g = &board_info(b)->geometry;
	g_autoptr(GBytes) data = random_bytes(hb->sector, 71);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GBytes) bank1_before = NULL;
	g_autofree guint8 *raw = g_malloc(4096);
	GlintProgramOptions options = {.verify = TRUE};
	GlintFinding *f;
	guint unit0 = 0;

	ck_assert(g->banks_swapped);
	ck_assert_uint_eq(g->banks[0].physical, 1);
	ck_assert_uint_eq(g->banks[1].physical, 0);
	ck_assert(glint_sim_peek32(b->sim, FLASH_OPTCR) & OPTCR_SWAP_BANK);
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "banks-swapped");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "physical bank 2 is at 0x08000000"));

	/* bank 1, at 0x08100000 now, must survive an erase of 0x08000000 */
	ck_assert(glint_sim_peek(b->sim, BANK2_BASE, raw, 4096));
	bank1_before = g_bytes_new(raw, 4096);
	ck_assert(glint_job_erase_units(b->session, &unit0, 1, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, FLASH_BASE, hb->sector));
	ck_assert(flash_equals(b, BANK2_BASE, bank1_before));
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	ck_assert(flash_equals(b, BANK2_BASE, bank1_before));

	/* WPSN2 protects what is at 0x08000000 */
	{
		g_autofree gchar *edit =
		    g_strdup_printf("%s=0-%u", hb->wpsn2, hb->sectors_per_wpsn_bit - 1);
		/* it covers the boot area now: confirmed */
		ck_assert_msg(write_edit(b, edit, GLINT_CONFIRM_RISKY, &error), "%s",
			      error->message);
	}
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_WPSN_CUR2) & 1u, 0);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, hb->wpsn2));
	board_free(b);
}
END_TEST

/* Swapping through the options: Glint resets the chip so that the swap
 * takes effect, and the geometry follows */
START_TEST(test_swap_option)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "fresh");
	g_autoptr(GError) error = NULL;

	ck_assert(!write_edit(b, "SWAP_BANK_OPT=1", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "SWAP_BANK_OPT=1", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	ck_assert(board_info(b)->geometry.banks_swapped);
	ck_assert(glint_sim_peek32(b->sim, FLASH_OPTCR) & OPTCR_SWAP_BANK);
	ck_assert(write_edit(b, "SWAP_BANK_OPT=0", GLINT_CONFIRM_RISKY, &error));
	ck_assert(!board_info(b)->geometry.banks_swapped);
	board_free(b);
}
END_TEST

/* Another tool set SWAP_BANK_OPT without a reset: the mapping has not
 * changed yet; Glint keeps the geometry in effect and says a reset is due */
START_TEST(test_swap_pending)
{
	const H7Board *hb = &h7_boards[_i];
	g_autoptr(GlintSim) sim = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autofree gchar *spec = g_strdup_printf("%s:fresh", hb->name);
	guint32 optsr;
	Board *b;

	sim = glint_sim_new(spec, NULL);
	optsr = glint_sim_peek32(sim, FLASH_OPTSR_CUR) & ~1u;
	ck_assert(glint_sim_bus_write(sim, FLASH_R + 0x08u, 4, 0x08192A3Bu));
	ck_assert(glint_sim_bus_write(sim, FLASH_R + 0x08u, 4, 0x4C5D6E7Fu));
	ck_assert(glint_sim_bus_write(sim, FLASH_R + 0x20u, 4, optsr | OPTSR_SWAP_BANK_OPT));
	ck_assert(glint_sim_bus_write(sim, FLASH_OPTCR, 4, 1u << 1));
	glint_sim_advance_time(sim, 10000000);
	b = board_new_for_sim(hb, sim);
	ck_assert(!board_info(b)->geometry.banks_swapped);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(find_finding(findings, "swap-pending"));
	ck_assert_ptr_null(find_finding(findings, "banks-swapped"));
	board_free(b);
}
END_TEST

/* A one-bank part refuses SWAP_BANK_OPT, naming why */
START_TEST(test_swap_single_bank_refused)
{
	Board *b = board_new(&h7_boards[2], "fresh");
	g_autoptr(GError) error = NULL;
	GlintOptionBytes ob = board_info(b)->options;
	ck_assert(
	    !glint_target_info_apply_option_edit(board_info(b), &ob, "SWAP_BANK_OPT=1", &error));
	board_free(b);
}
END_TEST

/* ecc-error: a word programmed twice. Diagnosis names its address and the
 * sector to erase; a read fails naming the same; programming the sector
 * (erase first) repairs it */
START_TEST(test_ecc_error)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "ecc-error");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GBytes) back = NULL;
	g_autoptr(GBytes) data = random_bytes(8 * 1024, 81);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	GlintProgramOptions options = {.verify = TRUE};
	GlintFinding *f;

	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "ecc-double");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, GLINT_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(strstr(f->title, "0x08001000"));
	ck_assert_ptr_nonnull(strstr(f->title, "DBECCERR1"));
	ck_assert_ptr_nonnull(strstr(f->fix, "Erase sector 0"));

	back = glint_job_read(b->session, FLASH_BASE, 8192, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert_ptr_nonnull(strstr(error->message, "0x08001000"));
	ck_assert_ptr_nonnull(strstr(error->message, "double ECC"));
	ck_assert_ptr_nonnull(strstr(error->message, "sector 0"));
	g_clear_error(&error);

	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	back = glint_job_read(b->session, FLASH_BASE, 8192, NULL, NULL, NULL, &error);
	ck_assert_msg(back != NULL, "%s", error ? error->message : "");
	ck_assert(g_bytes_equal(back, data));
	board_free(b);
}
END_TEST

/* Options by name on every board, applied without a reset; BOOT_ADD0
 * pointing at no memory needs confirming, says so, and diagnosis names it */
START_TEST(test_options)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "fresh");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	guint32 v = 0;
	GlintFinding *f;

	ck_assert_msg(write_edit(b, "BOR_LEV=2", GLINT_CONFIRM_NONE, &error), "%s", error->message);
	ck_assert(glint_option_bytes_get_named(&board_info(b)->options, "BOR_LEV", &v));
	ck_assert_uint_eq(v, 2);
	ck_assert_uint_eq((glint_sim_peek32(b->sim, FLASH_OPTSR_CUR) >> 2) & 3u, 2);
	/* a bank's WRP by sector numbers, then off */
	{
		g_autofree gchar *on =
		    g_strdup_printf("%s=%u-%u", hb->wpsn1, hb->sectors_per_wpsn_bit,
				    2 * hb->sectors_per_wpsn_bit - 1);
		g_autofree gchar *off = g_strdup_printf("%s=off", hb->wpsn1);
		ck_assert_msg(write_edit(b, on, GLINT_CONFIRM_NONE, &error), "%s", error->message);
		ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_WPSN_CUR1) & 3u, 1u);
		ck_assert(write_edit(b, off, GLINT_CONFIRM_NONE, &error));
	}
	/* the boot address: a valid one needs confirming (it changes boot) */
	ck_assert(!write_edit(b, "BOOT_ADD0=0x70000000", GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edit(b, "BOOT_ADD0=0x70000000", GLINT_CONFIRM_RISKY, &error), "%s",
		      error->message);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_R + 0x40u) & 0xFFFFu, 0x7000);
	findings = glint_job_diagnose(b->session, NULL, &error);
	f = find_finding(findings, "boot-add0");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "0x70000000"));
	ck_assert(write_edit(b, "BOOT_ADD0=0x08000000", GLINT_CONFIRM_RISKY, &error));
	/* SECURITY is permanent: set only with the permanent-lock confirmation,
	 * never cleared */
	ck_assert(!write_edit(b, "SECURITY=1", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(
	    write_edit(b, "SECURITY=1", GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK, &error),
	    "%s", error->message);
	ck_assert(!write_edit(b, "SECURITY=0", GLINT_CONFIRM_RISKY | GLINT_CONFIRM_PERMANENT_LOCK,
			      &error));
	ck_assert_ptr_nonnull(strstr(error->message, "SECURITY can only be set"));
	board_free(b);
}
END_TEST

/* The loader reports SR bits 28:16 shifted to 12:0; the address says the
 * bank: a bank 2 PGSERR names FLASH_SR2.PGSERR2 */
START_TEST(test_loader_error_word)
{
	Board *b = board_new(&h7_boards[0], "fresh");
	g_autoptr(GError) error = NULL;
	GlintTarget *t = glint_session_get_target(b->session);

	glint_loader_decode_error(t, (1u << 18) >> 16, BANK2_BASE + 0x40, "Programming", &error);
	ck_assert_ptr_nonnull(strstr(error->message, "FLASH_SR2.PGSERR2"));
	ck_assert_ptr_nonnull(strstr(error->message, "0x08100040"));
	g_clear_error(&error);
	glint_loader_decode_error(t, 1u << 15, FLASH_BASE + 0x20, "Programming", &error);
	ck_assert_msg(strstr(error->message, "flag") == NULL || TRUE, "%s", error->message);
	board_free(b);
}
END_TEST

/* Power fails mid-program (both paths) and mid-erase: the job fails, the
 * word in flight is damaged (its ECC too), and a re-run repairs it */
START_TEST(test_power_cut_program)
{
	const H7Board *hb = &h7_boards[_i / 2];
	gboolean no_loader = _i % 2;
	Board *b = board_new(hb, "fresh");
	g_autoptr(GBytes) data = random_bytes(2048, 91);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	guint32 cut = 0;

	glint_sim_set_power_fail_after_double_words(b->sim, 10);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert_msg(glint_sim_get_power_cut_address(b->sim, &cut), "no cut: %s", error->message);
	ck_assert_uint_eq(cut, FLASH_BASE + 10 * hb->word);
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	board_reconnect(b);
	/* the cut word faults on reading: the verify names it */
	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	ck_assert_msg(strstr(error->message, "ECC") != NULL, "%s", error->message);
	g_clear_error(&error);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "re-run: %s", error->message);
	ck_assert(flash_equals(b, FLASH_BASE, data));
	board_free(b);
}
END_TEST

START_TEST(test_power_cut_erase)
{
	const H7Board *hb = &h7_boards[_i];
	Board *b = board_new(hb, "wrp");
	g_autoptr(GBytes) data = random_bytes(1024, 92);
	guint32 addr = FLASH_BASE + hb->sector * hb->sectors_per_wpsn_bit;
	g_autoptr(GlintImage) image = image_at(addr, data);
	g_autoptr(GError) error = NULL;
	/* the half-erased rest of the sector is not worth keeping */
	GlintProgramOptions options = {.verify = TRUE, .no_preserve = TRUE};
	guint32 start = hb->word == 16 ? (1u << 5) : (1u << 7);
	guint32 snb = hb->word == 16 ? 6 : 8;

	/* a sector erase started by hand (firmware, another tool), cut */
	fill_flash(b, addr, hb->sector, 0x33);
	ck_assert(glint_sim_bus_write(b->sim, FLASH_R + 0x04, 4, 0x45670123u));
	ck_assert(glint_sim_bus_write(b->sim, FLASH_R + 0x04, 4, 0xCDEF89ABu));
	ck_assert(glint_sim_bus_write(b->sim, FLASH_CR1, 4,
				      (1u << 2) | (hb->sectors_per_wpsn_bit << snb)));
	ck_assert(glint_sim_bus_write(b->sim, FLASH_CR1, 4,
				      (1u << 2) | (hb->sectors_per_wpsn_bit << snb) | start));
	ck_assert_int_eq(glint_sim_power_fail(b->sim), GLINT_SIM_CUT_ERASE);
	ck_assert(!flash_erased(b, addr, hb->sector));
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	board_reconnect(b);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "re-run: %s", error->message);
	ck_assert(flash_equals(b, addr, data));
	board_free(b);
}
END_TEST

/* The probe vanishes mid-program (both paths): the job fails saying so;
 * the board as left, with the probe plugged in again, is repaired by the
 * same job */
START_TEST(test_unplug_mid_program)
{
	const H7Board *hb = &h7_boards[_i / 2];
	gboolean no_loader = _i % 2;
	Board *b = board_new(hb, "fresh");
	g_autoptr(GBytes) data = random_bytes(64 * 1024, 93);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("h7-unplug-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "board.state", NULL);
	g_autoptr(GlintSim) replugged = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = no_loader};
	Board *again;

	guint64 start, total;

	/* half way through the commands a whole job takes */
	{
		Board *probe = board_new(hb, "fresh");
		start = glint_sim_get_command_count(probe->sim);
		ck_assert(program_with(probe, image, &options, NULL, &error));
		total = glint_sim_get_command_count(probe->sim) - start;
		board_free(probe);
	}
	glint_sim_set_unplug_after(b->sim, glint_sim_get_command_count(b->sim) + total / 2);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED), "%s",
		      error->message);
	ck_assert(glint_sim_is_unplugged(b->sim));
	g_clear_error(&error);
	ck_assert(glint_sim_save_state(b->sim, path, NULL));
	replugged = glint_sim_new_from_state(path, NULL);
	ck_assert_ptr_nonnull(replugged);
	again = board_new_for_sim(hb, replugged);
	ck_assert_msg(program_with(again, image, &options, NULL, &error), "re-run: %s",
		      error->message);
	ck_assert(flash_equals(again, FLASH_BASE, data));
	board_free(again);
	board_free(b);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

static Suite *
h7_suite(void)
{
	Suite *s = suite_create("h7-jobs");
	struct {
		const char *name;
		const TTest *test;
		gint n;
	} cases[] = {
	    {"connect", test_connect, 3},
	    {"program-loader", test_program_loader, 3},
	    {"program-direct", test_program_direct, 3},
	    {"both-banks-at-once", test_program_both_banks_at_once, 3},
	    {"swd-clock-from-probe", test_swd_clock_from_probe, 3},
	    {"no-second-write", test_no_second_write, 6},
	    {"smart-reflash", test_smart_reflash, 3},
	    {"erase", test_erase_units_and_banks, 3},
	    {"wrp", test_wrp, 3},
	    {"rdp1", test_rdp1_regress, 3},
	    {"stale-errors", test_stale_errors, 3},
	    {"swapped", test_swapped, 2},
	    {"swap-option", test_swap_option, 2},
	    {"swap-pending", test_swap_pending, 2},
	    {"swap-single-bank", test_swap_single_bank_refused, 1},
	    {"ecc-error", test_ecc_error, 3},
	    {"options", test_options, 3},
	    {"loader-error-word", test_loader_error_word, 1},
	    {"power-cut-program", test_power_cut_program, 6},
	    {"power-cut-erase", test_power_cut_erase, 3},
	    {"unplug-mid-program", test_unplug_mid_program, 6},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 60);
		tcase_add_loop_test(tc, cases[i].test, 0, cases[i].n);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(h7_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
