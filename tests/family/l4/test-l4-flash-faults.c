/* The flash driver when the chip does not cooperate: keys that do not
 * unlock, an operation that never ends, a program over data that was not
 * erased, a supply that sagged since connect. Each fault is made at an exact ST-LINK command (a
 * command hook) or in the emulated silicon, and each test checks it struck. Issue 16's mutation
 * pass found these paths untested (docs/mutation/README.md). */
#include "l4-board.h"

#define FLASH_BASE 0x08000000u
#define PAGE 2048u
/* RM0351 3.7.3 FLASH_KEYR, 3.7.5 FLASH_CR (LOCK bit 31) */
#define FLASH_KEYR 0x40022008u
#define FLASH_SR 0x40022010u
#define FLASH_CR 0x40022014u
#define FLASH_CR_LOCK (1u << 31)
#define FLASH_KEY2 0xCDEF89ABu
/* RM0351 3.7.4 FLASH_SR.BSY, 3.7.5 FLASH_CR.MER1/MER2/STRT */
#define FLASH_SR_BSY (1u << 16)
#define FLASH_SR_RDERR (1u << 14)
#define FLASH_CR_MER1 (1u << 2)
#define FLASH_CR_MER2 (1u << 15)
#define FLASH_CR_STRT (1u << 16)

static gboolean
program_page(Board *b, guint32 address, GBytes *data, gboolean no_erase, GError **error)
{
	g_autoptr(GlintImage) image = glint_image_new();
	GlintProgramOptions options = {.verify = TRUE, .no_loader = TRUE, .no_erase = no_erase};
	ck_assert(glint_image_add(image, address, g_bytes_get_data(data, NULL),
				  g_bytes_get_size(data), "test", NULL));
	return glint_job_program(b->session, image, &options, NULL, NULL, NULL, error);
}

static guint32
le32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* After the second key, FLASH_CR is locked again before the driver looks
 * (as after a key sequence some other master spoiled): the job must stop
 * with the cause, not program a locked controller. */
typedef struct {
	gboolean key2_seen;
	gboolean struck;
} Relock;

static gboolean
relock_after_keys(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Relock *r = user_data;
	/* WRITEDEBUGREG (F2 35) and READDEBUGREG (F2 36): address, value LE */
	if (cmd[0] == 0xF2 && cmd[1] == 0x35 && le32(cmd + 2) == FLASH_KEYR &&
	    le32(cmd + 6) == FLASH_KEY2) {
		r->key2_seen = TRUE;
	} else if (r->key2_seen && !r->struck && cmd[0] == 0xF2 && cmd[1] == 0x36 &&
		   le32(cmd + 2) == FLASH_CR) {
		ck_assert(glint_sim_bus_write(sim, FLASH_CR, 4, FLASH_CR_LOCK));
		r->struck = TRUE;
	}
	return TRUE;
}

START_TEST(test_keys_that_do_not_unlock)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(PAGE, 41);
	g_autoptr(GError) error = NULL;
	Relock r = {FALSE, FALSE};

	glint_sim_set_command_hook(b->sim, relock_after_keys, &r);
	ck_assert(!program_page(b, FLASH_BASE, data, FALSE, &error));
	ck_assert(r.struck);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH), "%s", error->message);
	ck_assert_msg(strstr(error->message, "stayed locked after the FLASH_KEYR keys") != NULL,
		      "%s", error->message);
	board_free(b);
}
END_TEST

/* From the job's first STRT on, the controller never stops being busy: each
 * time the driver looks at FLASH_SR, another mass erase has begun. The
 * wait must give up with the cause (a bounded wait, not a hang), and must
 * not take "still busy" for "done". */
typedef struct {
	gboolean started;
	guint restarts;
} Busy;

static gboolean
busy_forever(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Busy *busy = user_data;
	if (cmd[0] == 0xF2 && cmd[1] == 0x35 && le32(cmd + 2) == FLASH_CR &&
	    (le32(cmd + 6) & FLASH_CR_STRT) != 0) {
		busy->started = TRUE;
	} else if (busy->started && cmd[0] == 0xF2 && cmd[1] == 0x36 && le32(cmd + 2) == FLASH_SR &&
		   !(glint_sim_peek32(sim, FLASH_SR) & FLASH_SR_BSY)) {
		ck_assert(glint_sim_bus_write(sim, FLASH_CR, 4, FLASH_CR_MER1 | FLASH_CR_MER2));
		ck_assert(glint_sim_bus_write(sim, FLASH_CR, 4,
					      FLASH_CR_MER1 | FLASH_CR_MER2 | FLASH_CR_STRT));
		busy->restarts++;
	}
	return TRUE;
}

START_TEST(test_busy_forever_is_a_timeout)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(PAGE, 40);
	g_autoptr(GError) error = NULL;
	Busy busy = {FALSE, 0};

	glint_sim_set_command_hook(b->sim, busy_forever, &busy);
	ck_assert(!program_page(b, FLASH_BASE, data, FALSE, &error));
	ck_assert_uint_gt(busy.restarts, 1);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_TIMEOUT), "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, "stayed busy (FLASH_SR.BSY)") != NULL, "%s",
		      error->message);
	board_free(b);
}
END_TEST

/* RM0351 3.3.7: PROGERR when the double word was not erased. The message
 * names the page to erase, in its bank. */
START_TEST(test_progerr_names_the_page)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) old = random_bytes(PAGE, 42);
	g_autoptr(GBytes) data = random_bytes(PAGE, 43);
	g_autoptr(GError) error = NULL;

	ck_assert(glint_sim_poke(b->sim, FLASH_BASE + 3 * PAGE, g_bytes_get_data(old, NULL), PAGE));
	ck_assert(!program_page(b, FLASH_BASE + 3 * PAGE, data, TRUE, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH), "%s", error->message);
	ck_assert_msg(
	    strstr(error->message, "PROGERR") != NULL &&
		strstr(error->message, "erase page 3 of bank 1 (0x08001800-0x08001FFF)") != NULL,
	    "%s", error->message);
	board_free(b);
}
END_TEST

/* Every program or erase measures the supply again (DS10198 6.3.10) and
 * the session shows what it measured, not the value at connect. */
START_TEST(test_supply_measured_again)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(PAGE, 44);
	g_autoptr(GError) error = NULL;
	const GlintTargetInfo *info = glint_session_get_target_info(b->session);

	ck_assert(info->voltage > 3.2);
	glint_sim_set_target_voltage_mv(b->sim, 2500);
	ck_assert_msg(program_page(b, FLASH_BASE, data, FALSE, &error), "%s",
		      error ? error->message : "");
	ck_assert_msg(info->voltage > 2.45 && info->voltage < 2.55, "%.2f V", info->voltage);
	/* ... and below the flash's minimum, nothing is touched */
	glint_sim_set_target_voltage_mv(b->sim, 1600);
	ck_assert(!program_page(b, FLASH_BASE + PAGE, data, FALSE, &error));
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH), "%s", error->message);
	ck_assert_msg(strstr(error->message, "1.60 V") != NULL, "%s", error->message);
	board_free(b);
}
END_TEST

/* A read the controller refuses while Glint reads the option registers
 * (here a bus fault on the read that covers FLASH_PCROP1SR): the job fails
 * with the cause, it does not carry on with what it had not read. */
static gboolean
fault_on_pcrop1sr_read(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	gboolean *struck = user_data;
	/* READDEBUGREG (F2 36) of FLASH_PCROP1SR (0x40022024), or the
	 * READMEM_32BIT (F2 07) of the registers around it that Glint sends
	 * instead; 0x11 SWD_AP_FAULT */
	guint32 addr = le32(cmd + 2), len = cmd[6] | (guint32)cmd[7] << 8;
	gboolean covers = (cmd[1] == 0x36 && addr == 0x40022024u) ||
			  (cmd[1] == 0x07 && addr <= 0x40022024u && addr + len > 0x40022024u);
	if (!*struck && cmd[0] == 0xF2 && covers) {
		glint_sim_inject_target_status(sim, 0x11, 1);
		*struck = TRUE;
	}
	return TRUE;
}

START_TEST(test_option_read_fault_fails_the_read)
{
	Board *b = board_new("fresh");
	gboolean struck = FALSE;
	GlintOptionBytes ob;
	g_autoptr(GError) error = NULL;

	glint_sim_set_command_hook(b->sim, fault_on_pcrop1sr_read, &struck);
	ck_assert(!glint_job_read_options(b->session, &ob, &error));
	ck_assert(struck);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT), "%s",
		      error->message);
	/* the option registers are read as one block from FLASH_OPTR: the
	 * message names the block that holds FLASH_PCROP1SR */
	ck_assert_msg(strstr(error->message, "0x40022020") != NULL, "%s", error->message);
	board_free(b);
}
END_TEST

/* RM0351 3.7.4: a data read of a PCROP area sets FLASH_SR.RDERR. The
 * diagnosis names the flag, and the next job clears it and says so. */
START_TEST(test_rderr_after_a_pcrop_read)
{
	Board *b = board_new("fresh");
	g_autoptr(GBytes) data = random_bytes(PAGE, 45);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;
	g_autoptr(GPtrArray) findings = NULL;
	GlintFinding *f;

	ck_assert_msg(
	    board_write_options(b, "PCROP1=0x08000100-0x080007FF", GLINT_CONFIRM_RISKY, &error),
	    "%s", error ? error->message : "");
	back = glint_job_read(b->session, FLASH_BASE + 0x100, 16, NULL, NULL, NULL, &error);
	ck_assert_ptr_null(back);
	g_clear_error(&error);
	ck_assert(glint_sim_peek32(b->sim, FLASH_SR) & FLASH_SR_RDERR);
	findings = glint_job_diagnose(b->session, NULL, &error);
	ck_assert_ptr_nonnull(findings);
	f = find_finding(findings, "stale-flags");
	ck_assert_msg(f != NULL && strstr(f->title, "RDERR") != NULL, "%s",
		      f != NULL ? f->title : "no stale-flags finding");
	ck_assert_msg(program_page(b, FLASH_BASE + 4 * PAGE, data, FALSE, &error), "%s",
		      error ? error->message : "");
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_SR) & FLASH_SR_RDERR, 0);
	board_free(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("flash-faults");
	TCase *tc = tcase_create("sim");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_keys_that_do_not_unlock);
	tcase_add_test(tc, test_busy_forever_is_a_timeout);
	tcase_add_test(tc, test_progerr_names_the_page);
	tcase_add_test(tc, test_supply_measured_again);
	tcase_add_test(tc, test_option_read_fault_fails_the_read);
	tcase_add_test(tc, test_rderr_after_a_pcrop_read);
	suite_add_tcase(s, tc);
	return l4_run_suite(s);
}
