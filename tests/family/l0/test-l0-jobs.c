/* test-l0-jobs.c: every job on every STM32L0/L1 board, end to end against
 * the emulator: connect and info, erase by page, by "bank" and mass (the
 * RDP 1 -> 0 way), program with and without the loader, verify, read,
 * smart re-flash, option bytes by name, data EEPROM (image segments,
 * memory writes, erase), the 0xFF-fill message, every scenario's
 * diagnosis and fix, and power cuts mid-erase and mid-program repaired by
 * running the job again. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-loader.h"
#include "glint-sim.h"
#include "glint-target.h"

#define FLASH 0x08000000u
#define EEPROM 0x08080000u

typedef struct {
	const char *name;
	const char *chip;
	guint16 dev_id;
	guint32 flash_kb;
	guint32 page;
	guint n_banks;
	guint32 sr;	    /* FLASH_SR */
	guint32 uid;	    /* unique id base */
	guint32 eeprom_kb4; /* data EEPROM in units of 1 KB / 4: bytes / 256 */
	guint32 pages_per_sector;
	gboolean l1;
} BoardFacts;

static const BoardFacts boards[] = {
    {"nucleo-l053r8", "STM32L05x/L06x", 0x417, 64, 128, 1, 0x40022018u, 0x1FF80050u, 8, 32, FALSE},
    {"nucleo-l073rz", "STM32L07x/L08x", 0x447, 192, 128, 2, 0x40022018u, 0x1FF80050u, 24, 32,
     FALSE},
    {"nucleo-l152re", "STM32L1xx category 5/6", 0x437, 512, 256, 2, 0x40023C18u, 0x1FF800D0u, 64,
     16, TRUE},
};

typedef struct {
	const BoardFacts *f;
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
} Board;

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
}

static GlintProgress *
progress(Board *b)
{
	return glint_progress_new(NULL, on_log, b);
}

static gboolean
log_contains(Board *b, const char *needle)
{
	for (guint i = 0; i < b->log->len; i++) {
		if (strstr(g_ptr_array_index(b->log, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static gboolean
connect_board(Board *b, GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	GlintConnectOptions options = {0};
	return glint_job_connect(b->session, &options, p, NULL, error);
}

static Board *
board_open(guint index, const char *scenario, gboolean connect)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autofree gchar *spec = g_strdup_printf("%s:%s", boards[index].name, scenario);
	Board *b = g_new0(Board, 1);

	b->f = &boards[index];
	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "%s: %s", spec, error ? error->message : "");
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	if (connect)
		ck_assert_msg(connect_board(b, &error), "connect %s: %s", spec,
			      error ? error->message : "");
	return b;
}

static void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_ptr_array_unref(b->log);
	g_free(b);
}

static const GlintTargetInfo *
info(Board *b)
{
	return glint_session_get_target_info(b->session);
}

static GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = (guint8)(g_rand_int(rand) | 1u); /* no zero byte: no erased word */
	return g_bytes_new_take(data, len);
}

static GlintImage *
image_at(guint32 address, GBytes *bytes)
{
	GlintImage *image = glint_image_new();
	ck_assert(glint_image_add(image, address, g_bytes_get_data(bytes, NULL),
				  g_bytes_get_size(bytes), "test", NULL));
	return image;
}

static gboolean
program_with(Board *b, GlintImage *image, const GlintProgramOptions *options,
	     GlintJobResult *result, GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	return glint_job_program(b->session, image, options, p, NULL, result, error);
}

static void
program_ok(Board *b, GlintImage *image, const GlintProgramOptions *options, GlintJobResult *result)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(program_with(b, image, options, result, &error), "%s: program: %s",
		      b->f->name, error ? error->message : "");
}

static gboolean
sim_equals(Board *b, guint32 address, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	return memcmp(buf, g_bytes_get_data(bytes, NULL), len) == 0;
}

static gboolean
sim_zero(Board *b, guint32 address, gsize len)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
write_options(Board *b, const char *edits, GlintConfirm confirm, GError **error)
{
	GlintOptionBytes ob = info(b)->options;
	g_auto(GStrv) each = g_strsplit(edits, " ", -1);
	g_autoptr(GlintProgress) p = progress(b);
	for (guint i = 0; each[i] != NULL; i++)
		ck_assert_msg(glint_target_info_apply_option_edit(info(b), &ob, each[i], error),
			      "%s: %s", each[i], error && *error ? (*error)->message : "");
	return glint_job_write_options(b->session, &ob, confirm, p, NULL, NULL, error);
}

static GlintFinding *
finding(GPtrArray *findings, const char *id)
{
	for (guint i = 0; i < findings->len; i++) {
		GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, id) == 0)
			return f;
	}
	return NULL;
}

static GPtrArray *
diagnose(Board *b)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_msg(findings != NULL, "diagnose: %s", error ? error->message : "");
	return findings;
}

/* ---- connect ------------------------------------------------------------------ */

/* The chip, its geometry (pages numbered on across the banks, erased to
 * 0x00, words), its data EEPROM region, and the unique id from its three
 * scattered words */
START_TEST(test_connect)
{
	Board *b = board_open(_i, "fresh", TRUE);
	const GlintFlashGeometry *g = &info(b)->geometry;
	guint8 uid[12];
	gchar want[25];
	gboolean eeprom = FALSE;

	ck_assert_str_eq(info(b)->chip->name, b->f->chip);
	ck_assert_uint_eq(info(b)->dev_id, b->f->dev_id);
	ck_assert_uint_eq(info(b)->flash_kb, b->f->flash_kb);
	ck_assert_uint_eq(g->erased_value, 0x00);
	ck_assert_uint_eq(g->program_unit, 4);
	ck_assert_uint_eq(g->n_banks, b->f->n_banks);
	ck_assert_uint_eq(g->n_units, b->f->flash_kb * 1024 / b->f->page);
	ck_assert_uint_eq(g->largest_unit, b->f->page);
	if (g->n_banks == 2) {
		GlintFlashUnit u;
		ck_assert_uint_eq(g->banks[1].base, FLASH + b->f->flash_kb * 512);
		ck_assert_uint_eq(g->banks[1].first_number, g->banks[0].n_units);
		ck_assert(glint_geometry_unit_at(g, g->banks[1].base, &u));
		ck_assert_uint_eq(u.physical, 1);
		ck_assert_uint_eq(u.number, g->banks[0].n_units);
	}
	ck_assert_uint_eq(info(b)->rdp_level, 0);
	ck_assert(glint_sim_peek(b->sim, b->f->uid, uid, 8));
	ck_assert(glint_sim_peek(b->sim, b->f->uid + 0x14, uid + 8, 4));
	for (guint i = 0; i < 12; i++)
		g_snprintf(want + 2 * i, 3, "%02X", uid[11 - i]);
	ck_assert_str_eq(info(b)->uid, want);
	for (guint i = 0; i < info(b)->chip->n_regions; i++) {
		const GlintMemoryRegion *r = &info(b)->chip->regions[i];
		if (r->kind == GLINT_REGION_EEPROM) {
			eeprom = TRUE;
			ck_assert_uint_eq(r->base, EEPROM);
			ck_assert_uint_eq(r->size, b->f->eeprom_kb4 * 256);
		}
	}
	ck_assert(eeprom);
	board_free(b);
}
END_TEST

START_TEST(test_no_target)
{
	Board *b = board_open(_i, "no-target", FALSE);
	g_autoptr(GError) error = NULL;
	ck_assert(!connect_board(b, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET));
	board_free(b);
}
END_TEST

/* ---- program, verify, read -------------------------------------------------------- */

/* Through the loader (half-pages from SRAM, CRC verify on the target) and
 * without it (words from the debugger): the same bytes, padding erased to
 * 0x00 */
START_TEST(test_program_verify_read)
{
	Board *b = board_open(_i, "fresh", TRUE);
	guint32 address = FLASH + 5 * b->f->page - 8;
	g_autoptr(GBytes) data = random_bytes(3 * b->f->page + 2, 11);
	g_autoptr(GlintImage) image = image_at(address, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintProgramOptions with = {.verify = TRUE};
	GlintProgramOptions direct = {.verify = TRUE, .no_loader = TRUE};
	GlintJobResult result = {0};

	program_ok(b, image, &with, &result);
	ck_assert(result.loader_used);
	ck_assert(log_contains(b, "on-target CRC-32"));
	ck_assert(sim_equals(b, address, data));
	ck_assert(sim_zero(b, address + g_bytes_get_size(data), 2));
	ck_assert(sim_zero(b, address - 8, 8));
	glint_job_result_clear(&result);

	/* erase and reprogram without the loader: words from the debugger */
	ck_assert(
	    glint_job_erase_range(b->session, FLASH, 16 * b->f->page, NULL, NULL, NULL, &error));
	ck_assert(sim_zero(b, address, g_bytes_get_size(data)));
	program_ok(b, image, &direct, &result);
	ck_assert(!result.loader_used);
	ck_assert(sim_equals(b, address, data));
	glint_job_result_clear(&result);

	ck_assert(glint_job_verify(b->session, image, NULL, NULL, &result, &error));
	ck_assert(result.loader_used);
	glint_job_result_clear(&result);
	back =
	    glint_job_read(b->session, address, g_bytes_get_size(data), NULL, NULL, NULL, &error);
	ck_assert(g_bytes_equal(back, data));
	board_free(b);
}
END_TEST

START_TEST(test_verify_mismatch)
{
	Board *b = board_open(_i, "fresh", TRUE);
	g_autoptr(GBytes) data = random_bytes(1024, 12);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {0};
	guint8 flipped = 0x5A;

	program_ok(b, image, &options, NULL);
	ck_assert(glint_sim_poke(b->sim, FLASH + 0x1F3, &flipped, 1));
	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH));
	ck_assert_ptr_nonnull(strstr(error->message, "0x080001F3"));
	board_free(b);
}
END_TEST

/* A whole bank (the whole flash of the L053) through the loader: erased
 * page by page, as the chip has no bank erase (the loader used to be asked
 * for one) */
START_TEST(test_program_whole_bank)
{
	Board *b = board_open(_i, "fresh", TRUE);
	const GlintFlashBank *bank = &info(b)->geometry.banks[0];
	g_autoptr(GBytes) data = random_bytes(bank->size, 13);
	g_autoptr(GlintImage) image = image_at(bank->base, data);
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};

	if (b->f->flash_kb > 192) {
		/* 256 KB: enough shown by the others, and minutes of device time */
		board_free(b);
		return;
	}
	program_ok(b, image, &options, &result);
	ck_assert(result.loader_used);
	ck_assert_uint_eq(result.pages_erased, bank->n_units);
	ck_assert(sim_equals(b, bank->base, data));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* Smart re-flash: per-page CRCs on the target; only the changed page is
 * erased and programmed */
START_TEST(test_smart_reflash)
{
	Board *b = board_open(_i, "fresh", TRUE);
	gsize len = 8 * b->f->page;
	g_autoptr(GBytes) data = random_bytes(len, 14);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	g_autofree guint8 *changed = g_memdup2(g_bytes_get_data(data, NULL), len);
	g_autoptr(GBytes) changed_bytes = NULL;
	g_autoptr(GlintImage) image2 = NULL;
	GlintProgramOptions smart = {.smart = TRUE, .verify = TRUE};
	GlintJobResult result = {0};

	program_ok(b, image, &smart, &result);
	glint_job_result_clear(&result);
	changed[5 * b->f->page + 3] ^= 0x81;
	changed_bytes = g_bytes_new(changed, len);
	image2 = image_at(FLASH, changed_bytes);
	program_ok(b, image2, &smart, &result);
	ck_assert_uint_eq(result.pages_skipped, 7);
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(sim_equals(b, FLASH, changed_bytes));
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* ---- erase ----------------------------------------------------------------------- */

/* Units by number, and a bank: bank 2's pages are numbered on from bank
 * 1's, and erasing bank 2 leaves bank 1 alone (and the other way round) */
START_TEST(test_erase_units_and_banks)
{
	Board *b = board_open(_i, "stale-errors", TRUE);
	const GlintFlashGeometry *g = &info(b)->geometry;
	g_autoptr(GError) error = NULL;
	guint units[] = {1, 3};

	ck_assert_msg(glint_job_erase_units(b->session, units, 2, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_zero(b, FLASH + b->f->page, b->f->page));
	ck_assert(!sim_zero(b, FLASH + 2 * b->f->page, b->f->page));
	ck_assert(sim_zero(b, FLASH + 3 * b->f->page, b->f->page));
	if (g->n_banks < 2) {
		board_free(b);
		return;
	}
	/* firmware in both banks, then bank 2 erased */
	{
		g_autoptr(GBytes) data = random_bytes(2 * b->f->page, 15);
		g_autoptr(GlintImage) image = image_at(g->banks[1].base, data);
		GlintProgramOptions options = {0};
		program_ok(b, image, &options, NULL);
	}
	ck_assert(
	    glint_job_erase_bank(b->session, 1, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(sim_zero(b, info(b)->geometry.banks[1].base, 2 * b->f->page));
	ck_assert(!sim_zero(b, FLASH, 64));
	board_free(b);
}
END_TEST

/* No mass-erase command: Glint says so and goes through RDP 1 -> 0, which
 * erases flash and data EEPROM and leaves RDP at level 0 */
START_TEST(test_mass_erase)
{
	Board *b = board_open(_i, "eeprom-data", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintProgress) p = progress(b);
	GlintJobResult result = {0};

	ck_assert(!sim_zero(b, FLASH, 64));
	ck_assert(!sim_zero(b, EEPROM, 64));
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_NONE, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(
	    glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, p, NULL, &result, &error), "%s",
	    error ? error->message : "");
	ck_assert(log_contains(b, "no mass-erase command"));
	ck_assert(sim_zero(b, FLASH, b->f->flash_kb * 1024));
	ck_assert(sim_zero(b, EEPROM, b->f->eeprom_kb4 * 256));
	ck_assert_uint_eq(info(b)->rdp_level, 0);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x1FF80000u) & 0xFFu, 0xAA);
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* ---- data EEPROM -------------------------------------------------------------------- */

/* An image with a flash part and a data EEPROM part (ELF sections at
 * 0x08000000 and 0x08080000): both programmed and verified */
START_TEST(test_eeprom_image)
{
	Board *b = board_open(_i, "eeprom-data", TRUE);
	g_autoptr(GBytes) code = random_bytes(2 * b->f->page, 16);
	g_autoptr(GBytes) data = random_bytes(37, 17);
	g_autoptr(GlintImage) image = image_at(FLASH, code);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	guint8 before[4], after[4];

	ck_assert(glint_sim_peek(b->sim, EEPROM + 0x10, before, 4));
	ck_assert(glint_image_add(image, EEPROM + 0x11, g_bytes_get_data(data, NULL), 37, ".eeprom",
				  NULL));
	program_ok(b, image, &options, &result);
	ck_assert_uint_eq(result.bytes, g_bytes_get_size(code) + 37);
	ck_assert(sim_equals(b, FLASH, code));
	ck_assert(sim_equals(b, EEPROM + 0x11, data));
	/* the byte before it in its word is kept */
	ck_assert(glint_sim_peek(b->sim, EEPROM + 0x10, after, 4));
	ck_assert_uint_eq(after[0], before[0]);
	ck_assert_uint_ne(after[0], 0);
	ck_assert(log_contains(b, "Verified: the data EEPROM matches"));
	glint_job_result_clear(&result);
	ck_assert(glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	/* a segment in neither memory is refused, naming both */
	{
		g_autoptr(GlintImage) bad = image_at(EEPROM + b->f->eeprom_kb4 * 256 - 2, data);
		ck_assert(!program_with(b, bad, &options, NULL, &error));
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE));
		ck_assert_ptr_nonnull(strstr(error->message, "Data EEPROM"));
	}
	board_free(b);
}
END_TEST

/* The memory editor's writes (bytes, a half-word, a word, a fill) and the
 * erase of a range, through the driver */
START_TEST(test_eeprom_memory)
{
	Board *b = board_open(_i, "eeprom-data", TRUE);
	g_autoptr(GError) error = NULL;
	static const guint8 one[] = {0x42};
	static const guint8 half[] = {0x12, 0x34};
	g_autoptr(GBytes) b1 = g_bytes_new_static(one, 1);
	g_autoptr(GBytes) b2 = g_bytes_new_static(half, 2);
	guint8 got[8];

	ck_assert(glint_job_write_memory(b->session, EEPROM + 5, b1,
					 GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					 &error));
	ck_assert(glint_job_write_memory(b->session, EEPROM + 6, b2,
					 GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					 &error));
	ck_assert(glint_sim_peek(b->sim, EEPROM + 4, got, 4));
	ck_assert_uint_eq(got[1], 0x42);
	ck_assert_uint_eq(got[2], 0x12);
	ck_assert_uint_eq(got[3], 0x34);
	ck_assert_uint_eq(got[0], 0xC0u ^ (4u * 7u)); /* the scenario's byte, kept */
	ck_assert(glint_job_fill_memory(b->session, EEPROM + 0x80, 16, 0xA5A5A5A5u, 4,
					GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					&error));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, EEPROM + 0x8C), 0xA5A5A5A5u);
	ck_assert_msg(glint_job_erase_range(b->session, EEPROM, 8, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	ck_assert(sim_zero(b, EEPROM, 8));
	ck_assert(glint_sim_peek(b->sim, EEPROM + 8, got, 1));
	ck_assert_uint_ne(got[0], 0);
	ck_assert(!glint_job_erase_range(b->session, EEPROM + 2, 4, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	board_free(b);
}
END_TEST

/* A .bin's 0xFF fill is data here: programmed, and said so */
START_TEST(test_ff_fill_explained)
{
	Board *b = board_open(_i, "fresh", TRUE);
	g_autofree guint8 *bin = g_malloc(4 * b->f->page);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GlintImage) image = NULL;
	GlintProgramOptions options = {.verify = TRUE};

	memset(bin, 0xFF, 4 * b->f->page);
	memcpy(bin, "\x00\x10\x00\x20", 4);
	bytes = g_bytes_new_take(g_steal_pointer(&bin), 4 * b->f->page);
	image = image_at(FLASH, bytes);
	program_ok(b, image, &options, NULL);
	ck_assert(log_contains(b, "0xFF fill"));
	ck_assert(log_contains(b, "reads 0x00"));
	ck_assert(sim_equals(b, FLASH, bytes));
	board_free(b);
}
END_TEST

/* ---- option bytes ---------------------------------------------------------------- */

/* By reference-manual name; WRP of sector 0 blocks page 0 (and names the
 * area), the fix removes it */
START_TEST(test_options_wrp)
{
	Board *b = board_open(_i, "fresh", TRUE);
	const GlintOptionLayout *layout = info(b)->chip->options;
	g_autoptr(GError) error = NULL;
	const char *wrp = glint_option_layout_find_area(layout, "WRP") != NULL ? "WRP" : "WRP1";
	g_autofree gchar *edit = g_strdup_printf("%s=0-%u", wrp, b->f->pages_per_sector - 1);
	g_autoptr(GBytes) data = random_bytes(64, 18);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintProgramOptions options = {0};

	ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, "BOR_LEV"));
	ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, "nRST_STOP"));
	ck_assert_ptr_nonnull(
	    glint_option_layout_find_field(layout, b->f->l1 ? "IWDG_SW" : "WDG_SW"));
	if (!b->f->l1) {
		ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, "WPRMOD"));
		ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, "nBOOT1"));
	}
	if (b->f->n_banks > 1)
		ck_assert_ptr_nonnull(glint_option_layout_find_field(layout, "BFB2"));
	ck_assert(!write_options(b, edit, GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_options(b, edit, GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x1FF80008u), 0xFFFE0001u);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, wrp));
	g_clear_error(&error);
	ck_assert(glint_job_apply_fix(b->session, GLINT_FIX_REMOVE_WRP, GLINT_CONFIRM_NONE, NULL,
				      NULL, NULL, &error));
	program_ok(b, image, &options, NULL);
	board_free(b);
}
END_TEST

/* User bits round trip through the stored words and the reload */
START_TEST(test_options_fields)
{
	Board *b = board_open(_i, "fresh", TRUE);
	g_autoptr(GError) error = NULL;
	guint32 v = 0;

	ck_assert_msg(write_options(b, "BOR_LEV=9 nRST_STOP=0", GLINT_CONFIRM_NONE, &error), "%s",
		      error ? error->message : "");
	ck_assert(glint_option_bytes_get_named(&info(b)->options, "BOR_LEV", &v));
	ck_assert_uint_eq(v, 9);
	ck_assert(glint_option_bytes_get_named(&info(b)->options, "nRST_STOP", &v));
	ck_assert_uint_eq(v, 0);
	/* stored as value and complement */
	v = glint_sim_peek32(b->sim, 0x1FF80004u);
	ck_assert_uint_eq((v ^ (v >> 16)) & 0xFFFFu, 0xFFFFu);
	ck_assert_uint_eq(v & 0x0Fu, 9);
	board_free(b);
}
END_TEST

/* RDP level 2 needs the permanent-lock confirmation */
START_TEST(test_options_rdp2_refused)
{
	Board *b = board_open(_i, "fresh", TRUE);
	g_autoptr(GError) error = NULL;
	ck_assert(!write_options(b, "RDP=2", GLINT_CONFIRM_RISKY, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_ptr_nonnull(strstr(error->message, "--confirm-permanent-lock"));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x1FF80000u) & 0xFF, 0xAA);
	board_free(b);
}
END_TEST

/* ---- scenarios, diagnosis and fixes ---------------------------------------------------- */

/* Level 1: nothing but the regression, which erases flash and EEPROM */
START_TEST(test_rdp1)
{
	Board *b = board_open(_i, "rdp1", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GBytes) data = random_bytes(64, 19);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintProgramOptions options = {0};

	ck_assert_uint_eq(info(b)->rdp_level, 1);
	ck_assert_ptr_nonnull(finding(findings, "rdp-level1"));
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);
	ck_assert(glint_job_read(b->session, FLASH, 16, NULL, NULL, NULL, &error) == NULL);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);
	ck_assert(glint_job_apply_fix(b->session, GLINT_FIX_REGRESS_RDP, GLINT_CONFIRM_RISKY, NULL,
				      NULL, NULL, &error));
	ck_assert_uint_eq(info(b)->rdp_level, 0);
	ck_assert(sim_zero(b, FLASH, 4096));
	program_ok(b, image, &options, NULL);
	board_free(b);
}
END_TEST

/* Stale flags: found, named, explained, cleared before the next job */
START_TEST(test_stale_errors)
{
	Board *b = board_open(_i, "stale-errors", TRUE);
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GBytes) data = random_bytes(256, 20);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};

	ck_assert_ptr_nonnull(finding(findings, "stale-flags"));
	ck_assert_ptr_nonnull(finding(findings, "pgaerr"));
	ck_assert_ptr_nonnull(finding(findings, b->f->l1 ? "sizerr" : "notzeroerr"));
	program_ok(b, image, &options, &result);
	ck_assert_uint_ne(result.stale_flags & (1u << 9), 0);
	ck_assert(log_contains(b, "PGAERR"));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, b->f->sr) & 0x33F00u, 0);
	glint_job_result_clear(&result);
	board_free(b);
}
END_TEST

/* A wrong PEKEYR key earlier: diagnosis finds the stuck stage; a job
 * resets the chip once (core halted) and goes on */
START_TEST(test_unlock_stuck)
{
	Board *b = board_open(_i, "unlock-stuck", TRUE);
	g_autoptr(GPtrArray) findings = diagnose(b);
	GlintFinding *f = finding(findings, "unlock-stuck");
	g_autoptr(GBytes) data = random_bytes(256, 21);
	g_autoptr(GlintImage) image = image_at(FLASH + 0x8000, data);
	GlintProgramOptions options = {.verify = TRUE};

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_CONNECT_UNDER_RESET);
	program_ok(b, image, &options, NULL);
	ck_assert(log_contains(b, "resetting the target"));
	ck_assert(sim_equals(b, FLASH + 0x8000, data));
	board_free(b);
}
END_TEST

/* A torn option word: OPTVERR and level 1 as the safe default; restoring
 * the factory values regresses RDP (erasing) and clears it */
START_TEST(test_options_torn)
{
	Board *b = board_open(_i, "options-torn", TRUE);
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GPtrArray) after = NULL;
	GlintFinding *f = finding(findings, "optverr");
	g_autoptr(GError) error = NULL;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, GLINT_SEVERITY_ERROR);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_RESTORE_OPTIONS);
	ck_assert_uint_eq(info(b)->rdp_level, 1);
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_RESTORE_OPTIONS,
					  GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert_uint_eq(info(b)->rdp_level, 0);
	after = diagnose(b);
	ck_assert_ptr_null(finding(after, "optverr"));
	board_free(b);
}
END_TEST

/* A tool wrote 0xFF to "erase": the vector table reads 0xFFFFFFFF */
START_TEST(test_ff_filled)
{
	Board *b = board_open(_i, "ff-filled", TRUE);
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GArray) blank = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert_ptr_nonnull(finding(findings, "erased-zero"));
	ck_assert_ptr_nonnull(finding(findings, "ff-vector-table"));
	blank = glint_job_blank_check(b->session, NULL, NULL, &error);
	ck_assert_ptr_nonnull(blank);
	ck_assert_int_eq(g_array_index(blank, gint8, 0), 0);
	board_free(b);
}
END_TEST

/* Bank-2 boot with bank 2 empty (BFB2 = 1 on the L0, 0 on the L1): the
 * fix puts BFB2 back to its factory value */
START_TEST(test_bfb2_empty)
{
	Board *b;
	g_autoptr(GPtrArray) findings = NULL;
	g_autoptr(GPtrArray) after = NULL;
	g_autoptr(GError) error = NULL;
	guint32 bfb2 = 0;

	if (boards[_i].n_banks < 2)
		return;
	b = board_open(_i, "bfb2-empty", TRUE);
	findings = diagnose(b);
	ck_assert_ptr_nonnull(finding(findings, "bfb2-empty-bank2"));
	ck_assert_msg(glint_job_apply_fix(b->session, GLINT_FIX_CLEAR_BFB2, GLINT_CONFIRM_RISKY,
					  NULL, NULL, NULL, &error),
		      "%s", error ? error->message : "");
	ck_assert(glint_option_bytes_get_named(&info(b)->options, "BFB2", &bfb2));
	ck_assert_uint_eq(bfb2, b->f->l1 ? 1 : 0);
	after = diagnose(b);
	ck_assert_ptr_null(finding(after, "bfb2-empty-bank2"));
	board_free(b);
}
END_TEST

/* ---- power cuts -------------------------------------------------------------------- */

/* Power fails after a few programming units, in the middle of a page:
 * programming again from scratch repairs it */
START_TEST(test_power_cut_program)
{
	Board *b = board_open(_i, "fresh", TRUE);
	g_autoptr(GBytes) data = random_bytes(6 * b->f->page, 22);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};

	glint_sim_set_power_fail_after_double_words(b->sim, 40);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(glint_sim_get_power_cut_address(b->sim, NULL));
	ck_assert(!sim_equals(b, FLASH, data));
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	ck_assert(connect_board(b, &error));
	program_ok(b, image, &options, NULL);
	ck_assert(sim_equals(b, FLASH, data));
	board_free(b);
}
END_TEST

/* Power fails during a page erase (no loader: the erase is the debugger's) */
START_TEST(test_power_cut_erase)
{
	Board *b = board_open(_i, "stale-errors", TRUE);
	g_autoptr(GBytes) data = random_bytes(2 * b->f->page, 23);
	g_autoptr(GlintImage) image = image_at(FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	guint32 sr = b->f->sr;

	/* start a page erase by hand and cut it */
	ck_assert(glint_sim_bus_write(b->sim, sr - 0x18 + 0x0C, 4, 0x89ABCDEFu));
	ck_assert(glint_sim_bus_write(b->sim, sr - 0x18 + 0x0C, 4, 0x02030405u));
	ck_assert(glint_sim_bus_write(b->sim, sr - 0x18 + 0x10, 4, 0x8C9DAEBFu));
	ck_assert(glint_sim_bus_write(b->sim, sr - 0x18 + 0x10, 4, 0x13141516u));
	ck_assert(glint_sim_bus_write(b->sim, sr - 0x18 + 0x04, 4, (1u << 9) | (1u << 3)));
	ck_assert(glint_sim_bus_write(b->sim, FLASH, 4, 0));
	ck_assert_int_eq(glint_sim_power_fail(b->sim), GLINT_SIM_CUT_ERASE);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	ck_assert(connect_board(b, &error));
	program_ok(b, image, &options, NULL);
	ck_assert(sim_equals(b, FLASH, data));
	board_free(b);
}
END_TEST

/* ---- the loader's errors ------------------------------------------------------------ */

/* The flags the loader reports become the driver's messages */
/* The loader's clock (l0-loader.S): SYSCLK raised from MSI to HSI16 while
 * it works, with one wait state (and on the L1 64-bit access) already set,
 * and RCC and FLASH_ACR as they were afterwards, after an error too; with
 * the regulator in range 3 or a clock the firmware chose, nothing moves.
 * Sampled at every probe command of the job. */
#define PWR_CR 0x40007000u
#define PWR_CR_VOS_RANGE3 (3u << 11)
#define ACR_LATENCY (1u << 0)
#define ACR_ACC64 (1u << 2)
#define RCC_CR_HSION (1u << 0)
#define MSI_RESET_HZ 2097152u
#define HSI16_HZ 16000000u

typedef struct {
	Board *b;
	guint32 max_hclk;
	guint32 acr_at_max;
	gboolean lock_when_raised; /* an NVM error while the loader programs */
} ClockSeen;

static guint32
rcc_base(Board *b)
{
	return b->f->l1 ? 0x40023800u : 0x40021000u;
}

static guint32
rcc_cfgr(Board *b)
{
	return rcc_base(b) + (b->f->l1 ? 0x08u : 0x0Cu);
}

static guint32
flash_acr(Board *b)
{
	return b->f->sr - 0x18u;
}

static guint32
bus32(Board *b, guint32 addr)
{
	guint32 v = 0;
	ck_assert(glint_sim_bus_read(b->sim, addr, 4, &v));
	return v;
}

static gboolean
clock_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	ClockSeen *seen = user_data;
	guint32 hclk = glint_sim_get_hclk_hz(sim);
	(void)cmd;
	if (hclk > seen->max_hclk) {
		seen->max_hclk = hclk;
		seen->acr_at_max = bus32(seen->b, flash_acr(seen->b));
	}
	/* once programming has begun (the blank check runs raised too) */
	if (seen->lock_when_raised && hclk > MSI_RESET_HZ && glint_sim_peek32(sim, FLASH) != 0) {
		seen->lock_when_raised = FALSE;
		/* PELOCK: the next programming op finds the interface locked */
		ck_assert(glint_sim_bus_write(sim, flash_acr(seen->b) + 0x04u, 4, 1u));
	}
	return TRUE;
}

typedef enum {
	CLOCK_CASE_RAISED,
	CLOCK_CASE_ERROR,
	CLOCK_CASE_RANGE3,
	CLOCK_CASE_USER_CLOCK,
	CLOCK_CASE_COUNT,
} ClockCase;

START_TEST(test_loader_clock)
{
	for (ClockCase c = 0; c < CLOCK_CASE_COUNT; c++) {
		Board *b = board_open(_i, "fresh", TRUE);
		g_autoptr(GBytes) data = random_bytes(8 * b->f->page * 8, 24 + c);
		g_autoptr(GlintImage) image = image_at(FLASH, data);
		g_autoptr(GError) error = NULL;
		GlintProgramOptions options = {.verify = TRUE};
		GlintJobResult result = {0};
		ClockSeen seen = {.b = b, .lock_when_raised = c == CLOCK_CASE_ERROR};
		guint32 cr, cfgr, acr, hclk;
		gboolean ok;

		if (c == CLOCK_CASE_RANGE3 || c == CLOCK_CASE_USER_CLOCK) {
			/* data EEPROM in use: page erases, no RDP regression
			 * (whose option reload resets PWR and RCC) */
			const guint8 in_use = 0x5A;
			ck_assert(glint_sim_poke(b->sim, EEPROM, &in_use, 1));
		}
		if (c == CLOCK_CASE_RANGE3)
			ck_assert(glint_sim_bus_write(b->sim, PWR_CR, 4, PWR_CR_VOS_RANGE3));
		if (c == CLOCK_CASE_USER_CLOCK) {
			/* the firmware's own: HSI16 at 16 MHz with its wait state */
			if (b->f->l1)
				ck_assert(glint_sim_bus_write(b->sim, flash_acr(b), 4, ACR_ACC64));
			ck_assert(glint_sim_bus_write(b->sim, flash_acr(b), 4,
						      bus32(b, flash_acr(b)) | ACR_LATENCY));
			ck_assert(glint_sim_bus_write(b->sim, rcc_base(b), 4,
						      bus32(b, rcc_base(b)) | RCC_CR_HSION));
			ck_assert(glint_sim_bus_write(b->sim, rcc_cfgr(b), 4, 1u));
		}
		cr = bus32(b, rcc_base(b));
		cfgr = bus32(b, rcc_cfgr(b));
		acr = bus32(b, flash_acr(b));
		hclk = glint_sim_get_hclk_hz(b->sim);
		ck_assert_uint_eq(hclk, c == CLOCK_CASE_USER_CLOCK ? HSI16_HZ : MSI_RESET_HZ);

		glint_sim_set_command_hook(b->sim, clock_hook, &seen);
		ok = program_with(b, image, &options, &result, &error);
		glint_sim_set_command_hook(b->sim, NULL, NULL);
		if (c == CLOCK_CASE_ERROR) {
			ck_assert_msg(!ok, "the job went through a locked interface");
			ck_assert(!seen.lock_when_raised);
		} else {
			ck_assert_msg(ok, "%s", error ? error->message : "");
			ck_assert(result.loader_used);
			ck_assert(sim_equals(b, FLASH, data));
		}
		if (c == CLOCK_CASE_RAISED || c == CLOCK_CASE_ERROR) {
			ck_assert_uint_eq(seen.max_hclk, HSI16_HZ);
			ck_assert_uint_eq(seen.acr_at_max & ACR_LATENCY, ACR_LATENCY);
			if (b->f->l1)
				ck_assert_uint_eq(seen.acr_at_max & ACR_ACC64, ACR_ACC64);
		} else {
			ck_assert_uint_eq(seen.max_hclk, hclk);
		}
		ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), hclk);
		ck_assert_uint_eq(bus32(b, rcc_cfgr(b)), cfgr);
		ck_assert_uint_eq(bus32(b, rcc_base(b)) & RCC_CR_HSION, cr & RCC_CR_HSION);
		ck_assert_uint_eq(bus32(b, flash_acr(b)), acr);
		glint_job_result_clear(&result);
		board_free(b);
	}
}
END_TEST

START_TEST(test_loader_error_decoding)
{
	Board *b = board_open(_i, "fresh", TRUE);
	GlintTarget *t = glint_session_get_target(b->session);
	g_autoptr(GError) notzero = NULL;
	g_autoptr(GError) fww = NULL;
	g_autoptr(GError) pga = NULL;

	glint_loader_decode_error(t, 1u << 9, FLASH + 0x40, "Programming", &pga);
	ck_assert_ptr_nonnull(strstr(pga->message, "PGAERR"));
	if (!b->f->l1) {
		glint_loader_decode_error(t, 1u << 16, FLASH + 0x40, "Programming", &notzero);
		ck_assert_ptr_nonnull(strstr(notzero->message, "not erased"));
		ck_assert_ptr_nonnull(strstr(notzero->message, "0x00"));
		glint_loader_decode_error(t, 1u << 17, FLASH + 0x40, "Programming", &fww);
		ck_assert_ptr_nonnull(strstr(fww->message, "SRAM"));
	}
	board_free(b);
}
END_TEST

static Suite *
l0_jobs_suite(void)
{
	Suite *s = suite_create("l0-jobs");
	TCase *tc = tcase_create("jobs");
	guint n = G_N_ELEMENTS(boards);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_connect, 0, n);
	tcase_add_loop_test(tc, test_no_target, 0, n);
	tcase_add_loop_test(tc, test_program_verify_read, 0, n);
	tcase_add_loop_test(tc, test_verify_mismatch, 0, n);
	tcase_add_loop_test(tc, test_program_whole_bank, 0, n);
	tcase_add_loop_test(tc, test_smart_reflash, 0, n);
	tcase_add_loop_test(tc, test_erase_units_and_banks, 0, n);
	tcase_add_loop_test(tc, test_mass_erase, 0, n);
	tcase_add_loop_test(tc, test_eeprom_image, 0, n);
	tcase_add_loop_test(tc, test_eeprom_memory, 0, n);
	tcase_add_loop_test(tc, test_ff_fill_explained, 0, n);
	tcase_add_loop_test(tc, test_options_wrp, 0, n);
	tcase_add_loop_test(tc, test_options_fields, 0, n);
	tcase_add_loop_test(tc, test_options_rdp2_refused, 0, n);
	tcase_add_loop_test(tc, test_rdp1, 0, n);
	tcase_add_loop_test(tc, test_stale_errors, 0, n);
	tcase_add_loop_test(tc, test_unlock_stuck, 0, n);
	tcase_add_loop_test(tc, test_options_torn, 0, n);
	tcase_add_loop_test(tc, test_ff_filled, 0, n);
	tcase_add_loop_test(tc, test_bfb2_empty, 0, n);
	tcase_add_loop_test(tc, test_power_cut_program, 0, n);
	tcase_add_loop_test(tc, test_power_cut_erase, 0, n);
	tcase_add_loop_test(tc, test_loader_error_decoding, 0, n);
	tcase_add_loop_test(tc, test_loader_clock, 0, n);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(l0_jobs_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
