/* test-f1-jobs.c: every job on every STM32F0/F1/F3 board, in each of its
 * scenarios, end to end against the emulator: what the user gets (errors,
 * findings, logs) and what the chip holds after. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "f1-test.h"
#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

typedef struct {
	const F1Board *info;
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
	gboolean cut_in_erase; /* power fails while a page erase runs */
	gboolean erase_started;
	gboolean cut_done;
} Board;

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
}

static void
on_progress(const GlintProgressUpdate *u, gpointer user_data)
{
}

static guint32
cmd32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* Power fails at the first poll of FLASH_SR after a page erase starts:
 * while BSY is set */
static gboolean
cut_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Board *b = user_data;
	if (!b->cut_in_erase || b->cut_done || cmd[0] != 0xF2)
		return TRUE;
	if (cmd[1] == 0x35 && cmd32(cmd + 2) == FPEC_CR &&
	    (cmd32(cmd + 6) & (F1_CR_PER | F1_CR_STRT)) == (F1_CR_PER | F1_CR_STRT))
		b->erase_started = TRUE;
	else if (cmd[1] == 0x36 && cmd32(cmd + 2) == FPEC_SR && b->erase_started) {
		b->cut_done = TRUE;
		ck_assert_int_eq(glint_sim_power_fail(sim), GLINT_SIM_CUT_ERASE);
	}
	return TRUE;
}

static GlintProgress *
progress(Board *b)
{
	return glint_progress_new(on_progress, on_log, b);
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
connect(Board *b, GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	GlintConnectOptions options = {0};
	return glint_job_connect(b->session, &options, p, NULL, error);
}

static Board *
board_open(const F1Board *info, const char *scenario, guint jtag_version)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	g_autofree gchar *spec = f1_spec(info, scenario);
	Board *b = g_new0(Board, 1);

	b->info = info;
	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "%s: %s", spec, error ? error->message : "?");
	if (jtag_version != 0)
		glint_sim_set_firmware_version(b->sim, jtag_version);
	glint_sim_set_command_hook(b->sim, cut_hook, b);
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	return b;
}

static Board *
board_new(const F1Board *info, const char *scenario)
{
	g_autoptr(GError) error = NULL;
	Board *b = board_open(info, scenario, 0);
	ck_assert_msg(connect(b, &error), "connect %s:%s: %s", info->board, scenario,
		      error ? error->message : "?");
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Board, board_free)

/* Power off and on, and attach again (option bytes load at power-on) */
static void
power_cycle(Board *b)
{
	g_autoptr(GError) error = NULL;
	glint_sim_power_cycle(b->sim);
	ck_assert_msg(connect(b, &error), "reconnect: %s", error ? error->message : "?");
}

static GBytes *
random_bytes(gsize len, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		data[i] = g_rand_int(rand) & 0xFF;
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
program_with(Board *b, GlintImage *image, GlintProgramOptions *options, GlintJobResult *result,
	     GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	return glint_job_program(b->session, image, options, p, NULL, result, error);
}

static gboolean
flash_holds(Board *b, guint32 address, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	return memcmp(buf, g_bytes_get_data(bytes, NULL), len) == 0;
}

static gboolean
flash_erased(Board *b, guint32 address, gsize len)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, address, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static GPtrArray *
diagnose(Board *b)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_msg(findings != NULL, "diagnose: %s", error ? error->message : "?");
	return findings;
}

static const GlintFinding *
finding(GPtrArray *findings, const char *id)
{
	for (guint i = 0; i < findings->len; i++) {
		const GlintFinding *f = g_ptr_array_index(findings, i);
		if (g_strcmp0(f->id, id) == 0)
			return f;
	}
	return NULL;
}

static gboolean
apply_fix(Board *b, GlintFixKind kind, GError **error)
{
	g_autoptr(GlintProgress) p = progress(b);
	return glint_job_apply_fix(b->session, kind, GLINT_CONFIRM_RISKY, p, NULL, NULL, error);
}

static gboolean
write_edits(Board *b, const char *const *edits, GlintConfirm confirm, GError **error)
{
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);
	GlintOptionBytes ob = info->options;
	g_autoptr(GlintProgress) p = progress(b);
	for (guint i = 0; edits[i] != NULL; i++) {
		if (!glint_target_info_apply_option_edit(info, &ob, edits[i], error))
			return FALSE;
	}
	return glint_job_write_options(b->session, &ob, confirm, p, NULL, NULL, error);
}

static guint32
field(Board *b, const char *name)
{
	guint32 v = 0;
	ck_assert(glint_option_bytes_get_named(&glint_session_get_target_info(b->session)->options,
					       name, &v));
	return v;
}

/* The first group of pages WRP bit 0 protects, as an edit value */
static gchar *
first_group(const F1Board *info)
{
	return g_strdup_printf("0-%u", info->pages_per_wrp_bit - 1);
}

/* ---- connect ---------------------------------------------------------------- */

START_TEST(test_connect)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	const GlintTargetInfo *ti = glint_session_get_target_info(b->session);
	g_autoptr(GPtrArray) findings = NULL;
	GlintFlashUnit unit;

	ck_assert_str_eq(ti->chip->name, info->chip);
	ck_assert_uint_eq(ti->dev_id, info->dev_id);
	ck_assert_uint_eq(ti->cpuid, info->cpuid);
	ck_assert_uint_eq(ti->flash_kb, info->flash_kb);
	ck_assert_uint_eq(ti->geometry.n_banks, 1);
	ck_assert_uint_eq(ti->geometry.n_units, info->flash_kb * 1024 / info->page);
	ck_assert_uint_eq(ti->geometry.program_unit, 2);
	ck_assert(glint_geometry_get_unit(&ti->geometry, 3, &unit));
	ck_assert_uint_eq(unit.size, info->page);
	ck_assert_uint_eq(unit.address, F1_FLASH + 3 * info->page);
	ck_assert_uint_eq(ti->rdp_level, 0);
	ck_assert_uint_eq(glint_option_bytes_rdp_raw(&ti->options), info->rdp_level0);
	findings = diagnose(b);
	/* healthy: only a clone is worth a word */
	ck_assert_uint_eq(findings->len, info->clone ? 1 : 0);
	if (info->clone) {
		const GlintFinding *f = finding(findings, "clone");
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(strstr(f->title, "not an STM32F103"));
		ck_assert_ptr_nonnull(strstr(f->title, "0x412FC231"));
	}
}
END_TEST

START_TEST(test_no_target)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_open(info, "no-target", 0);
	g_autoptr(GError) error = NULL;
	ck_assert(!connect(b, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NO_TARGET), "%s",
		      error->message);
}
END_TEST

/* ---- program, verify, read ------------------------------------------------------ */

START_TEST(test_program_verify_read)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	guint32 address = F1_FLASH + info->page;
	g_autoptr(GBytes) data = random_bytes(6 * info->page + 3, 11);
	g_autoptr(GlintImage) image = image_at(address, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	guint8 flipped;

	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s", error->message);
	ck_assert(result.loader_used);
	ck_assert_uint_eq(result.pages_erased, 7);
	ck_assert(flash_holds(b, address, data));
	/* the odd byte's half-word is padded with erased flash */
	ck_assert(flash_erased(b, address + g_bytes_get_size(data), 1));
	ck_assert(flash_erased(b, F1_FLASH, info->page));
	back =
	    glint_job_read(b->session, address, g_bytes_get_size(data), NULL, NULL, NULL, &error);
	ck_assert_ptr_nonnull(back);
	ck_assert(g_bytes_equal(back, data));
	ck_assert(glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	/* one bit off: verify names the address */
	ck_assert(glint_sim_peek(b->sim, address + 0x155, &flipped, 1));
	flipped ^= 0x10;
	ck_assert(glint_sim_poke(b->sim, address + 0x155, &flipped, 1));
	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH));
	ck_assert_ptr_nonnull(strstr(error->message, "0x"));
	glint_job_result_clear(&result);
}
END_TEST

/* The loader's clock (f1-loader.S): SYSCLK raised to 48 MHz from the PLL
 * while it works, one flash wait state set before, RCC and FLASH_ACR as
 * they were afterwards. Sampled at every probe command of the job. */
#define RCC_CR 0x40021000u
#define RCC_CFGR 0x40021004u
#define RCC_CR_PLLON (1u << 24)
#define FLASH_ACR 0x40022000u
#define HSI_HZ 8000000u

typedef struct {
	guint32 max_hclk;
	guint32 latency_at_max;
} ClockSeen;

static guint32
bus32(GlintSim *sim, guint32 addr)
{
	guint32 v = 0;
	ck_assert(glint_sim_bus_read(sim, addr, 4, &v));
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
		seen->latency_at_max = bus32(sim, FLASH_ACR) & 7u;
	}
	return TRUE;
}

START_TEST(test_loader_clock)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GBytes) data = random_bytes(6 * info->page, 23);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	ClockSeen seen = {0};
	guint32 cfgr = bus32(b->sim, RCC_CFGR), acr = bus32(b->sim, FLASH_ACR);

	ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), HSI_HZ);
	glint_sim_set_command_hook(b->sim, clock_hook, &seen);
	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s", error->message);
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert(result.loader_used);
	ck_assert(flash_holds(b, F1_FLASH, data));
	ck_assert_uint_eq(seen.max_hclk, 48000000u);
	ck_assert_uint_eq(seen.latency_at_max, 1);
	ck_assert_uint_eq(glint_sim_get_hclk_hz(b->sim), HSI_HZ);
	ck_assert_uint_eq(bus32(b->sim, RCC_CFGR), cfgr);
	ck_assert_uint_eq(bus32(b->sim, RCC_CR) & RCC_CR_PLLON, 0);
	ck_assert_uint_eq(bus32(b->sim, FLASH_ACR), acr);
	glint_job_result_clear(&result);
}
END_TEST

/* Without the loader: half-words through 16-bit probe writes (one at a
 * time on the clone), read back to verify */
START_TEST(test_program_direct)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GBytes) data = random_bytes(2 * info->page, 12);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE, .readback_verify = TRUE};
	GlintJobResult result = {0};

	ck_assert_msg(program_with(b, image, &options, &result, &error), "%s", error->message);
	ck_assert(!result.loader_used);
	ck_assert(flash_holds(b, F1_FLASH, data));
	glint_job_result_clear(&result);
}
END_TEST

/* Smart re-flash: the loader's page CRCs find the one page that changed */
START_TEST(test_smart_reflash)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GBytes) data = random_bytes(8 * info->page, 13);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(data, NULL), 8 * info->page);
	g_autoptr(GBytes) data2 = NULL;
	g_autoptr(GlintImage) changed = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .smart = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;

	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	copy[5 * info->page + 7] ^= 0xFF;
	data2 = g_bytes_new(copy, 8 * info->page);
	changed = image_at(F1_FLASH, data2);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program_with(b, changed, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	ck_assert(result.loader_used);
	ck_assert_uint_eq(result.pages_skipped, 7);
	ck_assert_uint_eq(after.pages_erased - before.pages_erased, 1);
	/* the page's half-words, less those that are all ones */
	ck_assert_uint_le(after.double_words_programmed - before.double_words_programmed,
			  info->page / 2);
	ck_assert_uint_gt(after.double_words_programmed - before.double_words_programmed,
			  info->page / 2 - 8);
	ck_assert(flash_holds(b, F1_FLASH, data2));
	glint_job_result_clear(&result);
}
END_TEST

/* ---- erase ------------------------------------------------------------------------ */

START_TEST(test_erase)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GBytes) data = random_bytes(6 * info->page, 14);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {0};
	GlintJobResult result = {0};
	const guint units[] = {2, 3};

	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(glint_job_erase_range(b->session, F1_FLASH + 10, 4, NULL, NULL, &result, &error));
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert(flash_erased(b, F1_FLASH, info->page));
	ck_assert(!flash_erased(b, F1_FLASH + info->page, info->page));
	ck_assert(glint_job_erase_units(b->session, units, 2, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, F1_FLASH + 2 * info->page, 2 * info->page));
	ck_assert(!flash_erased(b, F1_FLASH + 4 * info->page, info->page));
	/* the whole chip needs a confirmation */
	ck_assert(!glint_job_erase_mass(b->session, GLINT_CONFIRM_NONE, NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert(glint_job_erase_mass(b->session, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, F1_FLASH, 6 * info->page));
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(
	    glint_job_erase_bank(b->session, 0, GLINT_CONFIRM_RISKY, NULL, NULL, NULL, &error));
	ck_assert(flash_erased(b, F1_FLASH, 6 * info->page));
	glint_job_result_clear(&result);
}
END_TEST

/* ---- option bytes -------------------------------------------------------------------- */

/* USER bits, Data0 and a WRP group by name; ST's chips load them at once
 * (reset or OBL_LAUNCH), the clone at the next power-on; protection then
 * holds, and the fix removes it */
START_TEST(test_options)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *group = first_group(info);
	g_autofree gchar *wrp = g_strdup_printf("WRP=%s", group);
	const char *edits[] = {"nRST_STOP=0", "Data0=0x5A", wrp, NULL};
	g_autoptr(GBytes) data = random_bytes(64, 15);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	GlintProgramOptions options = {0};
	const GlintTargetInfo *ti;

	/* protecting the boot page is a risk: refused without confirmation */
	ck_assert(!write_edits(b, edits, GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	g_clear_error(&error);
	ck_assert_msg(write_edits(b, edits, GLINT_CONFIRM_RISKY, &error), "%s", error->message);
	if (info->clone) {
		ck_assert(log_contains(b, "power-cycle the board"));
		ck_assert_uint_eq(field(b, "nRST_STOP"), 1);
		power_cycle(b);
	} else {
		ck_assert(log_contains(b, "the chip now reports them"));
	}
	ck_assert_uint_eq(field(b, "nRST_STOP"), 0);
	ck_assert_uint_eq(field(b, "Data0"), 0x5A);
	ck_assert_uint_eq(field(b, "WDG_SW"), 1);
	ti = glint_session_get_target_info(b->session);
	ck_assert_uint_eq(ti->options.regs[3], 0xFFFFFFFEu);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_ptr_nonnull(strstr(error->message, "WRP"));
	ck_assert_ptr_nonnull(strstr(error->message, group));
	g_clear_error(&error);
	ck_assert_msg(apply_fix(b, GLINT_FIX_REMOVE_WRP, &error), "%s", error->message);
	if (info->clone)
		power_cycle(b);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_holds(b, F1_FLASH, data));
	/* the fix kept what it did not have to change */
	ck_assert_uint_eq(field(b, "Data0"), 0x5A);
}
END_TEST

/* RDP level 2: the F0/F3 have it and it needs the permanent-lock
 * confirmation; the F1 has none */
START_TEST(test_rdp2_confirmation)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GError) error = NULL;
	const char *edits[] = {"RDP=2", NULL};
	gboolean ok = write_edits(b, edits, GLINT_CONFIRM_RISKY, &error);
	ck_assert(!ok);
	if (info->line == LINE_F1)
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	else
		ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION));
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 0);
}
END_TEST

/* ---- scenarios and their fixes ---------------------------------------------------- */

START_TEST(test_scenario_wrp)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "wrp");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *pages = g_strdup_printf("pages 0-%u", info->pages_per_wrp_bit - 1);
	g_autoptr(GBytes) data = random_bytes(2 * info->page, 16);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	GlintProgramOptions options = {.verify = TRUE};
	const GlintFinding *f = finding(findings, "wrp-active");

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(strstr(f->title, pages) != NULL, "%s", f->title);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_REMOVE_WRP);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED));
	ck_assert_int_eq(glint_fix_for_error(error), GLINT_FIX_REMOVE_WRP);
	g_clear_error(&error);
	ck_assert_msg(apply_fix(b, f->fix_kind, &error), "%s", error->message);
	if (info->clone)
		power_cycle(b);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_holds(b, F1_FLASH, data));
}
END_TEST

START_TEST(test_scenario_rdp1)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "rdp1");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	const GlintFinding *f = finding(findings, "rdp-level1");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_REGRESS_RDP);
	ck_assert((finding(findings, "rdp-first-4k") != NULL) == (info->line == LINE_F1));
	back = glint_job_read(b->session, F1_FLASH, 16, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED));
	g_clear_error(&error);
	ck_assert(!flash_erased(b, F1_FLASH, 64));
	ck_assert_msg(apply_fix(b, GLINT_FIX_REGRESS_RDP, &error), "%s", error->message);
	/* the chip mass-erased its flash as it regressed */
	ck_assert(flash_erased(b, F1_FLASH, 24 * 1024));
	if (info->clone)
		power_cycle(b);
	else
		ck_assert(log_contains(b, "mass-erased its flash"));
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 0);
	back = glint_job_read(b->session, F1_FLASH, 16, NULL, NULL, NULL, &error);
	ck_assert_msg(back != NULL, "%s", error->message);
}
END_TEST

START_TEST(test_scenario_stale)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "stale-errors");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GPtrArray) after = NULL;
	g_autoptr(GError) error = NULL;
	const GlintFinding *f = finding(findings, "stale-flags");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "PGERR"));
	ck_assert_ptr_nonnull(strstr(f->title, "WRPRTERR"));
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_CLEAR_FLAGS);
	ck_assert_msg(apply_fix(b, f->fix_kind, &error), "%s", error->message);
	after = diagnose(b);
	ck_assert_ptr_null(finding(after, "stale-flags"));
}
END_TEST

/* The family's own trouble: RDP disagreeing with its complement. OPTERR is
 * named, read protection is in force, and restoring the factory option
 * bytes (which erases) gives a clean chip */
START_TEST(test_scenario_locked_options)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "locked-options");
	g_autoptr(GPtrArray) findings = diagnose(b);
	g_autoptr(GPtrArray) after = NULL;
	g_autoptr(GError) error = NULL;
	const GlintFinding *f = finding(findings, "optverr");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->title, "FLASH_OBR.OPTERR"));
	ck_assert_int_eq(f->severity, GLINT_SEVERITY_ERROR);
	ck_assert_int_eq(f->fix_kind, GLINT_FIX_RESTORE_OPTIONS);
	ck_assert_ptr_nonnull(finding(findings, "rdp-level1"));
	ck_assert_uint_eq(glint_session_get_target_info(b->session)->rdp_level, 1);
	ck_assert_msg(apply_fix(b, f->fix_kind, &error), "%s", error->message);
	if (info->clone)
		power_cycle(b);
	after = diagnose(b);
	ck_assert_ptr_null(finding(after, "optverr"));
	ck_assert_ptr_null(finding(after, "rdp-level1"));
	ck_assert(flash_erased(b, F1_FLASH, 24 * 1024));
}
END_TEST

/* ---- faults ---------------------------------------------------------------------- */

/* Power fails in the middle of programming (through the loader, on the
 * emulated core) and of an erase: a second run repairs the chip */
START_TEST(test_power_cuts)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "fresh");
	g_autoptr(GBytes) data = random_bytes(4 * info->page, 17);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	guint32 cut = 0;

	glint_sim_set_power_fail_after_double_words(b->sim, info->page / 2 + 17);
	ck_assert(!program_with(b, image, &options, NULL, &error));
	ck_assert(glint_sim_get_power_cut_address(b->sim, &cut));
	ck_assert_uint_ge(cut, F1_FLASH + info->page);
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	ck_assert_msg(connect(b, &error), "%s", error->message);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_holds(b, F1_FLASH, data));

	b->cut_in_erase = TRUE;
	{
		g_autoptr(GlintProgress) p = progress(b);
		ck_assert(!glint_job_erase_range(b->session, F1_FLASH, 2 * info->page, p, NULL,
						 NULL, &error));
	}
	ck_assert(b->cut_done);
	g_clear_error(&error);
	glint_sim_set_target_voltage_mv(b->sim, 3300);
	ck_assert_msg(connect(b, &error), "%s", error->message);
	b->cut_in_erase = FALSE;
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_holds(b, F1_FLASH, data));
}
END_TEST

/* ---- probe firmware ------------------------------------------------------------------ */

/* V2J25 has no 16-bit memory access: the loader programs (it gets its data
 * by 32-bit writes), direct programming and option bytes are refused
 * naming the firmware needed */
START_TEST(test_old_firmware)
{
	g_autoptr(Board) b = board_open(f1_board("bluepill-f103c8"), "fresh", 25);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = random_bytes(3000, 18);
	g_autoptr(GlintImage) image = image_at(F1_FLASH, data);
	GlintProgramOptions options = {.verify = TRUE};
	GlintProgramOptions direct = {.no_loader = TRUE};
	const char *edits[] = {"Data0=1", NULL};

	ck_assert_msg(connect(b, &error), "%s", error->message);
	ck_assert_msg(program_with(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_holds(b, F1_FLASH, data));
	ck_assert(!program_with(b, image, &direct, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD));
	ck_assert_ptr_nonnull(strstr(error->message, "V2J26"));
	ck_assert_ptr_nonnull(strstr(error->message, "--no-loader"));
	g_clear_error(&error);
	ck_assert(!write_edits(b, edits, GLINT_CONFIRM_NONE, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD));
	ck_assert_ptr_nonnull(strstr(error->message, "V2J26"));
}
END_TEST

/* The memory editor's jobs: bytes into flash through half-word
 * programming (an odd address and length padded with what is there), a
 * fill, SRAM, and no OTP on these chips */
START_TEST(test_memory_jobs)
{
	const F1Board *info = &f1_boards[_i];
	g_autoptr(Board) b = board_new(info, "wrp");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) three = g_bytes_new_static("\x11\x22\x33", 3);
	g_autoptr(GBytes) other = g_bytes_new_static("\x44\x55\x66", 3);
	g_autoptr(GBytes) word = g_bytes_new_static("\xEF\xBE\xAD\xDE", 4);
	g_autoptr(GBytes) before = NULL;
	g_autofree guint8 *page = g_malloc(info->page);
	guint32 at = F1_FLASH + 40 * 1024 + 0x101; /* past the scenario's firmware */
	guint8 got[4];
	guint32 otp_start = 0, otp_len = 0;

	ck_assert(glint_sim_peek(b->sim, F1_FLASH, page, info->page));
	before = g_bytes_new(page, info->page);
	/* on erased flash: programmed in place */
	ck_assert_msg(glint_job_write_memory(b->session, at, three,
					     GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					     &error),
		      "%s", error->message);
	ck_assert(glint_sim_peek(b->sim, at - 1, got, 4));
	ck_assert_uint_eq(got[0], 0xFF);
	ck_assert_uint_eq(got[1], 0x11);
	ck_assert_uint_eq(got[3], 0x33);
	/* over them again: refused, then by erasing the page (keeping the rest) */
	ck_assert(!glint_job_write_memory(b->session, at, other, GLINT_FLASH_WRITE_REFUSE_UNERASED,
					  NULL, NULL, NULL, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_NOT_ERASED));
	g_clear_error(&error);
	ck_assert(glint_job_fill_memory(b->session, at - 1, 4, 0xA55A, 2,
					GLINT_FLASH_WRITE_ERASE_UNIT, NULL, NULL, NULL, &error));
	ck_assert(glint_sim_peek(b->sim, at - 1, got, 4));
	ck_assert_uint_eq(got[0], 0x5A);
	ck_assert_uint_eq(got[1], 0xA5);
	ck_assert_uint_eq(got[3], 0xA5);
	/* the protected first page is refused and left as it was */
	ck_assert(!glint_job_write_memory(b->session, F1_FLASH + 2, three,
					  GLINT_FLASH_WRITE_ERASE_UNIT, NULL, NULL, NULL, &error));
	g_clear_error(&error);
	ck_assert(flash_holds(b, F1_FLASH, before));
	ck_assert(glint_job_write_memory(b->session, F1_SRAM + 0x100, word,
					 GLINT_FLASH_WRITE_REFUSE_UNERASED, NULL, NULL, NULL,
					 &error));
	ck_assert_uint_eq(glint_sim_peek32(b->sim, F1_SRAM + 0x100), 0xDEADBEEFu);
	ck_assert(!glint_target_info_otp_span(glint_session_get_target_info(b->session),
					      0x1FFF7000u, 8, &otp_start, &otp_len, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED));
}
END_TEST

/* A GD32F103 keeps its SRAM size in KB in the upper half of the flash-size
 * word, where ST's parts and the CKS32 read 0xFFFF: the clone is named
 * from it */
START_TEST(test_gd32_signature)
{
	g_autoptr(Board) b = board_open(f1_board("bluepill-cks32f103c8"), "fresh", 0);
	g_autoptr(GError) error = NULL;
	const guint8 sram_kb[2] = {20, 0};
	const GlintTargetInfo *ti;
	g_autoptr(GPtrArray) findings = NULL;

	ck_assert(glint_sim_poke(b->sim, 0x1FFFF7E2u, sram_kb, sizeof(sram_kb)));
	ck_assert_msg(connect(b, &error), "%s", error->message);
	ti = glint_session_get_target_info(b->session);
	ck_assert_str_eq(ti->chip->name, "GD32F103 (an STM32F103 clone)");
	ck_assert_str_eq(ti->rev_name, "Y");
	findings = diagnose(b);
	ck_assert_ptr_nonnull(strstr(finding(findings, "clone")->title, "a GD32F103, not"));
}
END_TEST

static Suite *
f1_jobs_suite(void)
{
	Suite *s = suite_create("f1-jobs");
	TCase *tc = tcase_create("boards");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_connect, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_no_target, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_program_verify_read, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_loader_clock, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_program_direct, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_smart_reflash, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_erase, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_options, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_rdp2_confirmation, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_scenario_wrp, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_scenario_rdp1, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_scenario_stale, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_scenario_locked_options, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_power_cuts, 0, N_F1_BOARDS);
	tcase_add_loop_test(tc, test_memory_jobs, 0, N_F1_BOARDS);
	tcase_add_test(tc, test_old_firmware);
	tcase_add_test(tc, test_gd32_signature);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(f1_jobs_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
