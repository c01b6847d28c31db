/* Glint's flash loader on the emulator: fast and double-word programming,
 * every error-flag path (WRP inside a chunk, a page not erased, cancelled
 * mid-way), on-target CRC-32 verify catching one flipped bit, smart
 * re-flash touching exactly the changed pages (the sim's own counters), and
 * the fallback to direct programming when the target cannot run the loader
 * or it dies mid-way.
 *
 * Tests that need the emulated core to execute code first check that it
 * does (a BKPT stub halts where it should, with DFSR.BKPT). */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-loader.h"
#include "glint-sim.h"
#include "glint-target.h"
#include "../common/test-glib-fatal.h"

#define FLASH_BASE 0x08000000u
#define SRAM_BASE 0x20000000u
#define PAGE 2048u
#define BANK_L476RC (128u * 1024u) /* l476rc: 256 KB in two banks */
#define OPT_WRP1AR 0x1FFF7818u
#define CM_DFSR_BKPT (1u << 1)
#define THUMB_BKPT0 0xBE00u
#define THUMB_UDF 0xDEFEu
#define RCC_CR 0x40021000u
#define RCC_CR_MSIRGSEL (1u << 3)
#define RCC_CSR 0x40021094u
#define FLASH_ACR 0x40022000u
#define FLASH_ACR_LATENCY_MASK 0x7u

typedef struct {
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
	GCancellable *cancellable;
} Board;

static void
on_log(GLogLevelFlags level, const char *message, gpointer user_data)
{
	Board *b = user_data;
	g_ptr_array_add(b->log, g_strdup(message));
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

static gchar *
log_dump(Board *b)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < b->log->len; i++)
		g_string_append_printf(s, "\n  %s", (const char *)g_ptr_array_index(b->log, i));
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
board_connect(Board *b)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(glint_job_connect(b->session, NULL, NULL, NULL, &error), "connect: %s",
		      error ? error->message : "");
}

static Board *
board_new_for_sim(GlintSim *sim)
{
	g_autoptr(GlintTransport) transport = glint_sim_transport_new(sim);
	Board *b = g_new0(Board, 1);
	b->sim = glint_sim_ref(sim);
	b->session = glint_session_new(transport);
	b->log = g_ptr_array_new_with_free_func(g_free);
	b->cancellable = g_cancellable_new();
	board_connect(b);
	return b;
}

static Board *
board_new(const char *scenario)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintSim) sim = glint_sim_new(scenario, &error);
	ck_assert_msg(sim != NULL, "sim: %s", error ? error->message : "");
	return board_new_for_sim(sim);
}

static void
board_free(Board *b)
{
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_ptr_array_unref(b->log);
	g_object_unref(b->cancellable);
	g_free(b);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Board, board_free)

static GlintTarget *
target(Board *b)
{
	return glint_session_get_target(b->session);
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
image_at(guint32 addr, GBytes *data)
{
	GlintImage *image = glint_image_new();
	ck_assert(glint_image_add(image, addr, g_bytes_get_data(data, NULL), g_bytes_get_size(data),
				  "test", NULL));
	return image;
}

static gboolean
flash_holds(Board *b, guint32 addr, GBytes *data)
{
	gsize len = g_bytes_get_size(data);
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, addr, buf, len));
	return memcmp(buf, g_bytes_get_data(data, NULL), len) == 0;
}

static gboolean
flash_erased(Board *b, guint32 addr, gsize len)
{
	g_autofree guint8 *buf = g_malloc(len);
	ck_assert(glint_sim_peek(b->sim, addr, buf, len));
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static gboolean
program(Board *b, GlintImage *image, const GlintProgramOptions *options, GlintJobResult *result,
	GError **error)
{
	g_autoptr(GlintProgress) p = glint_progress_new(NULL, on_log, b);
	return glint_job_program(b->session, image, options, p, b->cancellable, result, error);
}

/* The runtime check of the issue: halt, a BKPT stub in SRAM, run, and see
 * the core halt on it. */
static gboolean
core_runs_code(Board *b)
{
	GlintTarget *t = target(b);
	guint8 stub[4] = {THUMB_BKPT0 & 0xFF, THUMB_BKPT0 >> 8, 0, 0};
	guint32 dhcsr = 0, dfsr = 0, pc = 0;

	ck_assert(glint_target_halt(t, NULL));
	ck_assert(glint_target_write(t, SRAM_BASE, stub, sizeof(stub), NULL));
	ck_assert(glint_target_write32(t, CM_DFSR, CM_DFSR_ALL, NULL));
	ck_assert(glint_stlink_write_reg(t->stlink, STLINK_REG_PC, SRAM_BASE, NULL));
	ck_assert(glint_stlink_write_reg(t->stlink, STLINK_REG_XPSR, 1u << 24, NULL));
	ck_assert(glint_target_run(t, NULL));
	for (guint i = 0; i < 20 && (dhcsr & CM_DHCSR_S_HALT) == 0; i++)
		ck_assert(glint_target_read32(t, CM_DHCSR, &dhcsr, NULL));
	if ((dhcsr & CM_DHCSR_S_HALT) == 0) {
		ck_assert(glint_target_halt(t, NULL));
		return FALSE;
	}
	ck_assert(glint_target_read32(t, CM_DFSR, &dfsr, NULL));
	ck_assert(glint_stlink_read_reg(t->stlink, STLINK_REG_PC, &pc, NULL));
	ck_assert_msg(dfsr & CM_DFSR_BKPT, "halted without DFSR.BKPT (0x%08X)", dfsr);
	ck_assert_uint_eq(pc, SRAM_BASE);
	return TRUE;
}

/* The emulator runs code since issue 6 part 1: a core that does not is a
 * regression, not a reason to skip. */
#define REQUIRE_CPU(b) ck_assert_msg(core_runs_code(b), "the emulated core does not run code")

/* The MSI range in force (RM0351 6.4.1: RCC_CR when MSIRGSEL, else RCC_CSR). */
static guint
msi_range(Board *b)
{
	guint32 cr = 0, csr = 0;
	ck_assert(glint_target_read32(target(b), RCC_CR, &cr, NULL));
	ck_assert(glint_target_read32(target(b), RCC_CSR, &csr, NULL));
	return (cr & RCC_CR_MSIRGSEL) ? (cr >> 4) & 0xF : (csr >> 8) & 0xF;
}

static guint
flash_latency(Board *b)
{
	guint32 acr = 0;
	ck_assert(glint_target_read32(target(b), FLASH_ACR, &acr, NULL));
	return acr & FLASH_ACR_LATENCY_MASK;
}

/* Programming through the loader --------------------------------------------- */

/* A whole bank (mass-erased by the job): fast rows, CRC verify on the target. */
START_TEST(test_program_bank_fast)
{
	g_autoptr(Board) b = board_new("l476rc");
	g_autoptr(GBytes) data = random_bytes(BANK_L476RC, 1);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *log = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;

	guint range, latency;

	REQUIRE_CPU(b);
	range = msi_range(b);
	latency = flash_latency(b);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program(b, image, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	log = log_dump(b);
	ck_assert_msg(result.loader_used, "loader not used:%s", log);
	ck_assert_msg(result.fast_programmed, "no fast programming:%s", log);
	/* the loader raised the clock for fast programming and put it back */
	ck_assert_uint_eq(msi_range(b), range);
	ck_assert_uint_eq(flash_latency(b), latency);
	ck_assert_msg(log_contains(b, "on-target CRC-32"), "not verified on target:%s", log);
	ck_assert(flash_holds(b, FLASH_BASE, data));
	ck_assert(flash_erased(b, FLASH_BASE + BANK_L476RC, BANK_L476RC));
	ck_assert_uint_eq(after.mass_erases - before.mass_erases, 1);
	ck_assert_uint_eq(after.double_words_programmed - before.double_words_programmed,
			  BANK_L476RC / 8);
	glint_job_result_clear(&result);
}
END_TEST

/* The whole 1 MiB: one MER1|MER2 for both banks, fast rows in both. */
START_TEST(test_program_whole_flash)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(1024 * 1024, 13);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;

	REQUIRE_CPU(b);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program(b, image, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	ck_assert(result.loader_used);
	ck_assert(result.fast_programmed);
	ck_assert_uint_eq(result.pages_erased, 512);
	ck_assert_uint_eq(after.mass_erases - before.mass_erases, 1);
	ck_assert_uint_eq(after.pages_erased, before.pages_erased);
	ck_assert(flash_holds(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
}
END_TEST

/* Part of a bank: page erases and double words; bytes around the image stay
 * erased, double words that are all ones are not programmed. */
START_TEST(test_program_pages_double_words)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(3 * PAGE + 300, 2);
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *log = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;
	guint8 *p = (guint8 *)g_bytes_get_data(data, NULL);

	REQUIRE_CPU(b);
	memset(p + PAGE, 0xFF, 64); /* 8 double words that need no programming */
	image = image_at(FLASH_BASE + 2 * PAGE, data);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program(b, image, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	log = log_dump(b);
	ck_assert_msg(result.loader_used, "loader not used:%s", log);
	ck_assert(!result.fast_programmed);
	ck_assert(flash_holds(b, FLASH_BASE + 2 * PAGE, data));
	ck_assert(flash_erased(b, FLASH_BASE + 5 * PAGE + 300, PAGE - 300));
	ck_assert_uint_eq(after.pages_erased - before.pages_erased, 4);
	ck_assert_uint_eq(after.double_words_programmed - before.double_words_programmed,
			  (3 * PAGE + 300 + 7) / 8 - 8);
	glint_job_result_clear(&result);
}
END_TEST

/* Error paths ----------------------------------------------------------------- */

/* WRP1A over pages 20-25: a chunk from page 16 programs 16-19, then the
 * loader stops on WRPERR at page 20 and the host names the area. */
START_TEST(test_wrp_inside_chunk)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(Board) b = NULL;
	g_autoptr(GlintLoader) loader = NULL;
	g_autoptr(GBytes) data = random_bytes(8 * PAGE, 3);
	g_autoptr(GError) error = NULL;
	guint8 wrp[8];
	guint32 area = 0xFF00FF00u | 20u | (25u << 16);

	for (guint i = 0; i < 4; i++) {
		wrp[i] = (guint8)(area >> (8 * i));
		wrp[4 + i] = (guint8)(~area >> (8 * i));
	}
	ck_assert(glint_sim_poke(sim, OPT_WRP1AR, wrp, sizeof(wrp)));
	glint_sim_power_cycle(sim);
	b = board_new_for_sim(sim);
	REQUIRE_CPU(b);
	ck_assert(target(b)->flash->prepare(target(b), NULL, NULL, NULL));
	loader = glint_loader_start(target(b), &error);
	ck_assert_msg(loader != NULL, "%s", error ? error->message : "");
	ck_assert(!glint_loader_program(loader, FLASH_BASE + 16 * PAGE,
					g_bytes_get_data(data, NULL), 8 * PAGE, FALSE, &error) ||
		  !glint_loader_flush(loader, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED), "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, "0x0800A000") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "WRP1A") != NULL, "%s", error->message);
	ck_assert(!glint_loader_is_broken(loader));
	{
		g_autoptr(GBytes) head = g_bytes_new_from_bytes(data, 0, 4 * PAGE);
		ck_assert(flash_holds(b, FLASH_BASE + 16 * PAGE, head));
	}
	ck_assert(flash_erased(b, FLASH_BASE + 20 * PAGE, 4 * PAGE));
	/* the loader cleaned up: no error flags left, PG clear */
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x40022010u) & 0x3FAu, 0);
	ck_assert_uint_eq(glint_sim_peek32(b->sim, 0x40022014u) & 0x40001u, 0);
	target(b)->flash->finish(target(b));
}
END_TEST

/* Fast programming of a bank that was only page-erased: the controller
 * refuses with PGSERR and the host says why. */
START_TEST(test_fast_without_mass_erase)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GlintLoader) loader = NULL;
	g_autoptr(GBytes) data = random_bytes(PAGE, 12);
	g_autoptr(GError) error = NULL;

	REQUIRE_CPU(b);
	ck_assert(target(b)->flash->prepare(target(b), NULL, NULL, NULL));
	loader = glint_loader_start(target(b), &error);
	ck_assert_msg(loader != NULL, "%s", error ? error->message : "");
	ck_assert(glint_loader_hclk_fast(loader));
	{
		GlintFlashUnit unit;
		ck_assert(glint_geometry_unit_by_number(&target(b)->info.geometry, 0, 4, &unit));
		ck_assert(glint_loader_erase_unit(loader, &unit, NULL));
	}
	ck_assert(!glint_loader_program(loader, FLASH_BASE + 4 * PAGE, g_bytes_get_data(data, NULL),
					PAGE, TRUE, &error) ||
		  !glint_loader_flush(loader, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH), "%s", error->message);
	ck_assert_msg(strstr(error->message, "PGSERR") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "0x08002000") != NULL, "%s", error->message);
	ck_assert(flash_erased(b, FLASH_BASE + 4 * PAGE, PAGE));
	ck_assert(!glint_loader_is_broken(loader));
	ck_assert(glint_loader_stop(loader, NULL));
	target(b)->flash->finish(target(b));
}
END_TEST

/* Programming over old data without erasing: PROGERR at the first double
 * word, named with its page. */
START_TEST(test_not_erased_page)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GBytes) old = random_bytes(4 * PAGE, 4);
	g_autoptr(GBytes) data = random_bytes(2 * PAGE, 5);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + PAGE, data);
	g_autoptr(Board) b = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_erase = TRUE};
	GlintJobResult result = {0};

	ck_assert(glint_sim_poke(sim, FLASH_BASE, g_bytes_get_data(old, NULL), 4 * PAGE));
	b = board_new_for_sim(sim);
	REQUIRE_CPU(b);
	ck_assert(!program(b, image, &options, &result, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH), "%s", error->message);
	ck_assert_msg(strstr(error->message, "PROGERR") != NULL, "%s", error->message);
	ck_assert_msg(strstr(error->message, "0x08000800") != NULL, "%s", error->message);
	ck_assert_msg(!log_contains(b, "programming directly"), "a flash error is no fallback");
	ck_assert(flash_holds(b, FLASH_BASE, old));
	glint_job_result_clear(&result);
}
END_TEST

typedef struct {
	GCancellable *cancellable;
	guint after; /* data buffers handed to the loader before cancelling */
	guint seen;
} CancelAfter;

/* Cancels (as a user would from another thread) once @after 16 KiB data
 * buffers have gone to the loader's SRAM. */
static gboolean
cancel_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	CancelAfter *c = user_data;
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	if (cmd[0] == STLINK_DEBUG_COMMAND && cmd[1] == STLINK_DEBUG_WRITEMEM_32BIT &&
	    addr >= SRAM_BASE + 0x1000 && ++c->seen == c->after)
		g_cancellable_cancel(c->cancellable);
	return TRUE;
}

/* Cancelled mid-way: the pages handed over are finished, the rest stay
 * erased, the core is halted and the same session programs again. */
START_TEST(test_cancel_mid_way)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(64 * PAGE, 6);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	CancelAfter cancel = {b->cancellable, 3, 0};
	guint32 dhcsr = 0;
	guint programmed = 0;

	REQUIRE_CPU(b);
	glint_sim_set_command_hook(b->sim, cancel_hook, &cancel);
	ck_assert(!program(b, image, &options, &result, &error));
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_CANCELLED), "%s",
		      error->message);
	ck_assert_msg(
	    g_str_has_prefix(error->message, "Cancelled after programming 24 of 64 pages"), "%s",
	    error->message);
	for (guint p = 0; p < 64; p++) {
		g_autoptr(GBytes) page = g_bytes_new_from_bytes(data, p * PAGE, PAGE);
		if (p < 24)
			ck_assert_msg(flash_holds(b, FLASH_BASE + p * PAGE, page),
				      "page %u not programmed", p);
		else
			ck_assert_msg(flash_erased(b, FLASH_BASE + p * PAGE, PAGE),
				      "page %u not left erased", p);
		programmed += p < 24;
	}
	ck_assert_uint_eq(programmed, 24);
	ck_assert(glint_target_read32(target(b), CM_DHCSR, &dhcsr, NULL));
	ck_assert(dhcsr & CM_DHCSR_S_HALT);
	g_clear_error(&error);
	g_cancellable_reset(b->cancellable);
	ck_assert_msg(program(b, image, &options, NULL, &error), "%s", error->message);
	ck_assert(flash_holds(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
}
END_TEST

/* Verify ------------------------------------------------------------------------ */

/* One bit flipped in flash after programming: the target's CRC-32 differs,
 * and the job names the byte. */
START_TEST(test_crc_catches_flipped_bit)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(5 * PAGE + 12, 7);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + PAGE + 4, data);
	g_autoptr(GlintLoader) loader = NULL;
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	guint32 where = FLASH_BASE + 3 * PAGE + 777, good = 0, bad = 0;
	guint8 byte;
	g_autofree gchar *addr = g_strdup_printf("0x%08X", where);

	REQUIRE_CPU(b);
	ck_assert_msg(program(b, image, &options, NULL, &error), "%s", error->message);
	{
		GlintJobResult vr = {0};
		ck_assert(glint_job_verify(b->session, image, NULL, NULL, &vr, &error));
		ck_assert_msg(vr.loader_used, "the verify job did not use the on-target CRC");
		ck_assert_uint_eq(vr.bytes, 5 * PAGE + 12);
		glint_job_result_clear(&vr);
	}
	loader = glint_loader_start(target(b), &error);
	ck_assert_msg(loader != NULL, "%s", error ? error->message : "");
	ck_assert(glint_loader_crc32(loader, FLASH_BASE + PAGE + 4, 5 * PAGE + 12, &good, NULL));
	ck_assert_uint_eq(good, glint_crc32(0, g_bytes_get_data(data, NULL), 5 * PAGE + 12));
	ck_assert(glint_sim_peek(b->sim, where, &byte, 1));
	byte ^= 0x10;
	ck_assert(glint_sim_poke(b->sim, where, &byte, 1));
	ck_assert(glint_loader_crc32(loader, FLASH_BASE + PAGE + 4, 5 * PAGE + 12, &bad, NULL));
	ck_assert_uint_ne(bad, good);
	ck_assert(glint_loader_stop(loader, NULL));
	g_clear_pointer(&loader, glint_loader_free);

	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH), "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, addr) != NULL, "%s", error->message);
}
END_TEST

/* RDP level 1: the core may not read the flash either while a debugger is
 * attached, so no CRC is attempted; the verify job reports the protection. */
START_TEST(test_verify_read_protected)
{
	g_autoptr(Board) b = board_new("rdp1");
	g_autoptr(GBytes) data = random_bytes(PAGE, 14);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;

	ck_assert(!glint_job_verify(b->session, image, NULL, NULL, NULL, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_READ_PROTECTED), "%s",
		      error->message);
}
END_TEST

/* Smart re-flash -------------------------------------------------------------- */

START_TEST(test_smart_reflash_one_page)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(32 * PAGE, 8);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GlintImage) changed = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *log = NULL;
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(data, NULL), 32 * PAGE);
	g_autoptr(GBytes) data2 = NULL;
	GlintProgramOptions options = {.verify = TRUE, .smart = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;

	REQUIRE_CPU(b);
	ck_assert_msg(program(b, image, &options, NULL, &error), "%s", error->message);
	copy[17 * PAGE + 5] ^= 0xFF;
	data2 = g_bytes_new(copy, 32 * PAGE);
	changed = image_at(FLASH_BASE, data2);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program(b, changed, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	log = log_dump(b);
	ck_assert_msg(result.loader_used, "%s", log);
	ck_assert_uint_eq(result.pages_skipped, 31);
	ck_assert_uint_eq(result.pages_erased, 1);
	ck_assert_uint_eq(after.pages_erased - before.pages_erased, 1);
	ck_assert_uint_eq(after.double_words_programmed - before.double_words_programmed, PAGE / 8);
	ck_assert_msg(log_contains(b, "31 of 32 pages already match"), "%s", log);
	ck_assert(flash_holds(b, FLASH_BASE, data2));

	/* the same image again: nothing to do at all */
	glint_job_result_clear(&result);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program(b, changed, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	ck_assert_uint_eq(result.pages_skipped, 32);
	ck_assert_uint_eq(after.pages_erased, before.pages_erased);
	ck_assert_uint_eq(after.double_words_programmed, before.double_words_programmed);
	glint_job_result_clear(&result);
}
END_TEST

/* Fallback ---------------------------------------------------------------------- */

typedef struct {
	guint32 when_addr; /* a WRITEMEM to this address triggers the sabotage */
	guint skip;	   /* ... after this many such writes */
	gboolean done;
} Sabotage;

/* Overwrites the loader's first instructions with UDF (the core faults),
 * as if the SRAM were unusable, when the matching write goes by. */
static gboolean
sabotage_hook(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Sabotage *s = user_data;
	guint32 addr =
	    cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	guint8 udf[2] = {THUMB_UDF & 0xFF, THUMB_UDF >> 8};

	if (s->done || cmd[0] != STLINK_DEBUG_COMMAND ||
	    (cmd[1] != STLINK_DEBUG_WRITEMEM_32BIT && cmd[1] != STLINK_DEBUG_APIV2_WRITEDEBUGREG))
		return TRUE;
	if (addr != s->when_addr || s->skip-- > 0)
		return TRUE;
	s->done = TRUE;
	/* every instruction of the loader becomes UDF */
	for (guint32 a = SRAM_BASE; a < SRAM_BASE + 0x600; a += 2)
		glint_sim_poke(sim, a, udf, sizeof(udf));
	return TRUE;
}

/* No working core: the loader never says it runs; the job programs
 * directly and says so. Works with or without an emulated CPU. */
START_TEST(test_fallback_when_loader_cannot_run)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(3 * PAGE, 9);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE + 8 * PAGE, data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *log = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	/* strike when the host starts the core (DHCSR write) */
	Sabotage s = {CM_DHCSR, 1, FALSE};

	glint_sim_set_command_hook(b->sim, sabotage_hook, &s);
	ck_assert_msg(program(b, image, &options, &result, &error), "%s", error->message);
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	log = log_dump(b);
	ck_assert_msg(log_contains(b, "flash loader unavailable"), "%s", log);
	ck_assert_msg(log_contains(b, "programming directly"), "%s", log);
	ck_assert(!result.loader_used);
	ck_assert(flash_holds(b, FLASH_BASE + 8 * PAGE, data));
	glint_job_result_clear(&result);
}
END_TEST

/* The loader dies after its second buffer: the job starts over directly
 * (erase included) and the flash ends up right. */
START_TEST(test_fallback_when_loader_dies)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(40 * PAGE, 10);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *log = NULL;
	GlintProgramOptions options = {.verify = TRUE};
	GlintJobResult result = {0};
	/* the second data buffer (slot 1 at SRAM + 0x5000) */
	Sabotage s = {SRAM_BASE + 0x5000, 0, FALSE};

	REQUIRE_CPU(b);
	glint_sim_set_command_hook(b->sim, sabotage_hook, &s);
	ck_assert_msg(program(b, image, &options, &result, &error), "%s", error->message);
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	log = log_dump(b);
	ck_assert(s.done);
	ck_assert_msg(log_contains(b, "flash loader failed"), "%s", log);
	ck_assert_msg(log_contains(b, "programming directly"), "%s", log);
	ck_assert(!result.loader_used);
	ck_assert(flash_holds(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
}
END_TEST

/* Smart re-flash without the loader compares by reading back: the same
 * pages are skipped, only the changed one is erased and programmed. */
START_TEST(test_smart_reflash_direct)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(16 * PAGE, 15);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GlintImage) changed = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(data, NULL), 16 * PAGE);
	g_autoptr(GBytes) data2 = NULL;
	GlintProgramOptions options = {.verify = TRUE, .smart = TRUE, .no_loader = TRUE};
	GlintJobResult result = {0};
	GlintSimStats before, after;

	ck_assert_msg(program(b, image, &options, NULL, &error), "%s", error->message);
	copy[9 * PAGE + 100] ^= 0x01;
	data2 = g_bytes_new(copy, 16 * PAGE);
	changed = image_at(FLASH_BASE, data2);
	glint_sim_get_stats(b->sim, &before);
	ck_assert_msg(program(b, changed, &options, &result, &error), "%s", error->message);
	glint_sim_get_stats(b->sim, &after);
	ck_assert(!result.loader_used);
	ck_assert_uint_eq(result.pages_skipped, 15);
	ck_assert_uint_eq(after.pages_erased - before.pages_erased, 1);
	ck_assert_uint_eq(after.double_words_programmed - before.double_words_programmed, PAGE / 8);
	ck_assert(log_contains(b, "read back, no loader"));
	ck_assert(flash_holds(b, FLASH_BASE, data2));
	glint_job_result_clear(&result);
}
END_TEST

/* Direct programming on request keeps working. */
START_TEST(test_no_loader_option)
{
	g_autoptr(Board) b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(2 * PAGE + 8, 11);
	g_autoptr(GlintImage) image = image_at(FLASH_BASE, data);
	g_autoptr(GError) error = NULL;
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE};
	GlintJobResult result = {0};

	ck_assert_msg(program(b, image, &options, &result, &error), "%s", error->message);
	ck_assert(!result.loader_used);
	ck_assert(!log_contains(b, "flash loader"));
	ck_assert(flash_holds(b, FLASH_BASE, data));
	glint_job_result_clear(&result);
}
END_TEST

/* Error decoding of each FLASH_SR flag names its cause. */
START_TEST(test_error_decoding)
{
	g_autoptr(Board) b = board_new("wrp");
	struct {
		guint32 flags;
		guint32 addr;
		GlintErrorCode code;
		const char *says;
	} cases[] = {
	    {1u << 4, FLASH_BASE + 3 * PAGE, GLINT_ERROR_WRITE_PROTECTED, "WRP1A"},
	    {1u << 4, FLASH_BASE + 40 * PAGE, GLINT_ERROR_WRITE_PROTECTED, "PCROP"},
	    {1u << 3, FLASH_BASE + 40 * PAGE, GLINT_ERROR_FLASH, "not erased"},
	    {(1u << 8) | (1u << 9), FLASH_BASE, GLINT_ERROR_FLASH, "in time"},
	    {1u << 7, FLASH_BASE, GLINT_ERROR_FLASH, "mass erase"},
	    {1u << 5, FLASH_BASE, GLINT_ERROR_FLASH, "PGAERR"},
	    {1u << 6, FLASH_BASE, GLINT_ERROR_FLASH, "SIZERR"},
	    {1u << 1, FLASH_BASE, GLINT_ERROR_FLASH, "OPERR"},
	    {0x01000000u, 0, GLINT_ERROR_FLASH, "locked"},
	    {0x02000000u, 0, GLINT_ERROR_FLASH, "does not know"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		glint_loader_decode_error(target(b), cases[i].flags, cases[i].addr, "Programming",
					  &error);
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, cases[i].code), "case %u: %s", i,
			      error->message);
		ck_assert_msg(strstr(error->message, cases[i].says) != NULL, "case %u: %s", i,
			      error->message);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("loader");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_error_decoding);
	tcase_add_test(tc, test_no_loader_option);
	tcase_add_test(tc, test_smart_reflash_direct);
	tcase_add_test(tc, test_fallback_when_loader_cannot_run);
	tcase_add_test(tc, test_program_bank_fast);
	tcase_add_test(tc, test_program_whole_flash);
	tcase_add_test(tc, test_program_pages_double_words);
	tcase_add_test(tc, test_wrp_inside_chunk);
	tcase_add_test(tc, test_not_erased_page);
	tcase_add_test(tc, test_fast_without_mass_erase);
	tcase_add_test(tc, test_cancel_mid_way);
	tcase_add_test(tc, test_crc_catches_flipped_bit);
	tcase_add_test(tc, test_verify_read_protected);
	tcase_add_test(tc, test_smart_reflash_one_page);
	tcase_add_test(tc, test_fallback_when_loader_dies);
	suite_add_tcase(s, tc);
	test_glib_warnings_fatal();
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
