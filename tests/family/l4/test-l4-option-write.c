/* Writing option bytes when the chip does not do what it was told: a
 * register it did not keep after the reload, option bytes that fail their
 * complement check at the reload, a flag that failed the programming. The emulator is told to
 * misbehave at the exact ST-LINK command (a command hook), and each test checks the fault struck.
 * Issue 16's mutation pass found these checks untested (docs/mutation/README.md). */
#include "l4-board.h"

/* RM0351 3.7: FLASH_CR and FLASH_SR; 3.4.1: the option bytes of bank 1 at
 * 0x1FFF7800 and of bank 2 at 0x1FFFF800, each register a double word of
 * its value then its complement. */
#define FLASH_SR 0x40022010u
#define FLASH_CR 0x40022014u
#define FLASH_CR_OPTSTRT (1u << 17)
#define FLASH_CR_OBL_LAUNCH (1u << 27)
#define FLASH_SR_PGSERR (1u << 7)
/* every error flag but OPTVERR, which is about the last option load */
#define FLASH_SR_ERRORS 0x43FAu
#define OPT_BANK1 0x1FFF7800u
#define OPT_BANK2 0x1FFFF800u

/* Whether @cmd is WRITEDEBUGREG (F2 35) of FLASH_CR with one of @bits. */
static gboolean
is_cr_write(const guint8 *cmd, guint32 bits)
{
	guint32 addr, value;
	if (cmd[0] != 0xF2 || cmd[1] != 0x35)
		return FALSE;
	addr = cmd[2] | (guint32)cmd[3] << 8 | (guint32)cmd[4] << 16 | (guint32)cmd[5] << 24;
	value = cmd[6] | (guint32)cmd[7] << 8 | (guint32)cmd[8] << 16 | (guint32)cmd[9] << 24;
	return addr == FLASH_CR && (value & bits) != 0;
}

static void
store_pair(GlintSim *sim, guint32 addr, guint32 value)
{
	guint32 pair[2] = {GUINT32_TO_LE(value), GUINT32_TO_LE(~value)};
	ck_assert(glint_sim_poke(sim, addr, (const guint8 *)pair, sizeof(pair)));
}

/* Just before the reload, the stored option word at @addr is replaced by a
 * coherent @value: the chip loads it as if it had never taken the new one. */
typedef struct {
	guint32 addr;
	guint32 value;
	gboolean struck;
} Forget;

static gboolean
forget_before_reload(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Forget *f = user_data;
	if (!f->struck && is_cr_write(cmd, FLASH_CR_OBL_LAUNCH)) {
		store_pair(sim, f->addr, f->value);
		f->struck = TRUE;
	}
	return TRUE;
}

/* RM0351 3.4.2: the reload makes the stored values effective; Glint reads
 * them back and refuses to call a write done that the chip did not keep,
 * whatever the register and whichever bits differ. */
START_TEST(test_register_not_kept_is_an_error)
{
	static const struct {
		const char *edit, *name;
		guint32 addr, old;
	} cases[] = {
	    {"nRST_STOP=0", "FLASH_OPTR", OPT_BANK1 + 0x00, 0xFFEFF8AA},
	    {"PCROP1=0x08000100-0x080007FF", "FLASH_PCROP1SR", OPT_BANK1 + 0x08, 0xFFFFFFFF},
	    {"WRP1A=1-2", "FLASH_WRP1AR", OPT_BANK1 + 0x18, 0xFF00FFFF},
	    {"WRP1B=3-4", "FLASH_WRP1BR", OPT_BANK1 + 0x20, 0xFF00FFFF},
	    {"PCROP2=0x08080800-0x08080FFF", "FLASH_PCROP2SR", OPT_BANK2 + 0x08, 0xFFFFFFFF},
	    {"WRP2A=5-6", "FLASH_WRP2AR", OPT_BANK2 + 0x18, 0xFF00FFFF},
	    {"WRP2B=7-8", "FLASH_WRP2BR", OPT_BANK2 + 0x20, 0xFF00FFFF},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		Board *b;
		Forget f = {cases[i].addr, cases[i].old, FALSE};
		g_autoptr(GError) error = NULL;

		b = board_new("fresh");
		glint_sim_set_command_hook(b->sim, forget_before_reload, &f);
		ck_assert_msg(!board_write_options(b, cases[i].edit, GLINT_CONFIRM_RISKY, &error),
			      "%s: accepted", cases[i].edit);
		ck_assert(f.struck);
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT),
			      "%s: %s", cases[i].edit, error->message);
		ck_assert_msg(strstr(error->message, cases[i].name) != NULL &&
				  strstr(error->message, "did not keep") != NULL,
			      "%s: %s", cases[i].edit, error->message);
		board_free(b);
	}
}
END_TEST

/* PCROP1ER and PCROP2ER: the end of an area the chip did not keep. */
START_TEST(test_pcrop_end_not_kept_is_an_error)
{
	static const struct {
		const char *edit, *name;
		guint32 addr;
	} cases[] = {
	    {"PCROP1=0x08000100-0x080007FF", "FLASH_PCROP1ER", OPT_BANK1 + 0x10},
	    {"PCROP2=0x08080800-0x08080FFF", "FLASH_PCROP2ER", OPT_BANK2 + 0x10},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		Board *b = board_new("fresh");
		/* the end one double word short of what was asked */
		Forget f = {cases[i].addr, 0, FALSE};
		g_autoptr(GError) error = NULL;
		const GlintTargetInfo *info = glint_session_get_target_info(b->session);
		GlintOptionBytes ob = info->options;
		gint r;

		ck_assert(glint_target_info_apply_option_edit(info, &ob, cases[i].edit, NULL));
		r = glint_option_layout_find_register(ob.layout, cases[i].name);
		ck_assert_int_ge(r, 0);
		f.value = ob.regs[r] - 1;
		glint_sim_set_command_hook(b->sim, forget_before_reload, &f);
		ck_assert(!glint_job_write_options(b->session, &ob, GLINT_CONFIRM_RISKY, NULL, NULL,
						   NULL, &error));
		ck_assert(f.struck);
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT),
			      "%s", error->message);
		ck_assert_msg(strstr(error->message, cases[i].name) != NULL, "%s", error->message);
		board_free(b);
	}
}
END_TEST

/* Just before the reload, the stored FLASH_OPTR loses its complement (as
 * when power fails in the middle of the programming): the chip loads its
 * safe defaults and sets OPTVERR (RM0351 3.4.2, 3.7.4). The write must not
 * be called done, and the error must say the option bytes are invalid. */
static gboolean
break_complement_before_reload(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	gboolean *struck = user_data;
	if (!*struck && is_cr_write(cmd, FLASH_CR_OBL_LAUNCH)) {
		guint32 pair[2] = {GUINT32_TO_LE(0xFFEFF8AAu), GUINT32_TO_LE(0x00000000u)};
		ck_assert(glint_sim_poke(sim, OPT_BANK1, (const guint8 *)pair, sizeof(pair)));
		*struck = TRUE;
	}
	return TRUE;
}

START_TEST(test_optverr_after_reload_is_an_error)
{
	Board *b = board_new("fresh");
	gboolean struck = FALSE;
	g_autoptr(GError) error = NULL;

	glint_sim_set_command_hook(b->sim, break_complement_before_reload, &struck);
	ck_assert(!board_write_options(b, "nRST_STOP=0", GLINT_CONFIRM_RISKY, &error));
	ck_assert(struck);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_OPTIONS_INCOHERENT), "%s",
		      error->message);
	ck_assert_msg(strstr(error->message, "FLASH_SR.OPTVERR") != NULL &&
			  strstr(error->message, "do not match their complements") != NULL,
		      "%s", error->message);
	board_free(b);
}
END_TEST

/* Just before OPTSTRT, a write to flash outside a programming sequence
 * leaves PGSERR: the chip then refuses the option programming (RM0351
 * 3.3.7). The error names the flag; nothing is reloaded. */
typedef struct {
	gboolean struck;
	guint reloads;
} Refuse;

static gboolean
pgserr_before_optstrt(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	Refuse *r = user_data;
	if (!r->struck && is_cr_write(cmd, FLASH_CR_OPTSTRT)) {
		ck_assert(glint_sim_bus_write(sim, 0x08000000, 4, 0));
		ck_assert(glint_sim_peek32(sim, FLASH_SR) & FLASH_SR_PGSERR);
		r->struck = TRUE;
	}
	if (is_cr_write(cmd, FLASH_CR_OBL_LAUNCH))
		r->reloads++;
	return TRUE;
}

START_TEST(test_refused_option_programming_names_the_flag)
{
	Board *b = board_new("fresh");
	Refuse r = {FALSE, 0};
	g_autoptr(GError) error = NULL;

	glint_sim_set_command_hook(b->sim, pgserr_before_optstrt, &r);
	ck_assert(!board_write_options(b, "WRP1A=1-2", GLINT_CONFIRM_RISKY, &error));
	ck_assert(r.struck);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_FLASH), "%s", error->message);
	ck_assert_msg(strstr(error->message, "PGSERR") != NULL, "%s", error->message);
	ck_assert_uint_eq(r.reloads, 0);
	/* The driver leaves the controller clean for the next attempt. */
	ck_assert_uint_eq(glint_sim_peek32(b->sim, FLASH_SR) & FLASH_SR_ERRORS, 0);
	glint_sim_set_command_hook(b->sim, NULL, NULL);
	ck_assert_msg(board_write_options(b, "WRP1A=1-2", GLINT_CONFIRM_RISKY, &error), "%s",
		      error ? error->message : "");
	board_free(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("option-write");
	TCase *tc = tcase_create("sim");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_register_not_kept_is_an_error);
	tcase_add_test(tc, test_pcrop_end_not_kept_is_an_error);
	tcase_add_test(tc, test_optverr_after_reload_is_an_error);
	tcase_add_test(tc, test_refused_option_programming_names_the_flag);
	suite_add_tcase(s, tc);
	return l4_run_suite(s);
}
