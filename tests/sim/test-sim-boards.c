/* test-sim-boards.c: the board registry and the names users give boards.
 * Every board lists its chip, flash size and the five generic scenarios;
 * "BOARD:SCENARIO", "BOARD" and the short names from before boards had
 * names build the same boards; unknown names fail naming the choices; the
 * board's identity reaches the debugger (DBGMCU_IDCODE, the ROM table) and
 * the probe's description. */
#include "glint-family.h"
#include "sim-test.h"

#include "glint-family.h"

static const char *const generic_scenarios[] = {"fresh", "wrp", "rdp1", "stale-errors",
						"no-target"};

static gboolean
strv_has(GStrv v, const char *s)
{
	return v != NULL && g_strv_contains((const gchar *const *)v, s);
}

START_TEST(test_board_list)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	const GlintSimBoardInfo *l476 = NULL;
	ck_assert_uint_ge(boards->len, 3);
	for (guint i = 0; i < boards->len; i++) {
		const GlintSimBoardInfo *b = g_ptr_array_index(boards, i);
		ck_assert_msg(b->name[0] != '\0', "board %u has no name", i);
		for (const char *c = b->name; *c; c++)
			ck_assert_msg(!g_ascii_isupper(*c), "%s: board names are lower case",
				      b->name);
		/* an STM32, or a clone of one that says so */
		ck_assert_msg(g_str_has_prefix(b->chip, "STM32") ||
				  strstr(b->family, "clone") != NULL,
			      "%s: chip '%s'", b->name, b->chip);
		ck_assert_uint_gt(b->flash_kb, 0);
		ck_assert_ptr_nonnull(b->description);
		ck_assert_uint_eq(g_strv_length(b->scenarios),
				  g_strv_length(b->scenario_descriptions));
		/* the five generic scenarios first, in order */
		for (guint j = 0; j < G_N_ELEMENTS(generic_scenarios); j++)
			ck_assert_msg(g_strcmp0(b->scenarios[j], generic_scenarios[j]) == 0,
				      "%s: scenario %u is '%s', not '%s'", b->name, j,
				      b->scenarios[j], generic_scenarios[j]);
		for (guint j = 0; b->scenarios[j] != NULL; j++)
			ck_assert_msg(b->scenario_descriptions[j][0] != '\0', "%s:%s undescribed",
				      b->name, b->scenarios[j]);
		if (g_strcmp0(b->name, "nucleo-l476rg") == 0)
			l476 = b;
	}
	ck_assert_ptr_nonnull(l476);
	ck_assert_str_eq(l476->title, "NUCLEO-L476RG");
	ck_assert_str_eq(l476->chip, "STM32L476RG");
	ck_assert_str_eq(l476->family, "STM32L4");
	ck_assert_uint_eq(l476->flash_kb, 1024);
	ck_assert_uint_eq(l476->dev_id, 0x415);
	ck_assert_uint_eq(l476->rev_id, 0x1007);
	ck_assert(strv_has(l476->scenarios, "bfb2-empty"));
	ck_assert(strv_has(l476->scenarios, "swd-disabled"));
}
END_TEST

/* The 16-bit flash-size register at @addr (which may be the upper half of
 * a word) */
static guint
flash_size_reg(GlintSim *sim, guint32 addr)
{
	return (glint_sim_peek32(sim, addr & ~3u) >> ((addr & 2u) * 8)) & 0xFFFFu;
}

/* Every scenario of every board builds a board that says what it is */
START_TEST(test_every_board_every_scenario)
{
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	for (guint i = 0; i < boards->len; i++) {
		const GlintSimBoardInfo *b = g_ptr_array_index(boards, i);
		const GlintChip *chip = glint_chip_lookup(b->dev_id);
		for (guint j = 0; b->scenarios[j] != NULL; j++) {
			g_autofree gchar *spec = g_strdup_printf("%s:%s", b->name, b->scenarios[j]);
			g_autoptr(GlintSim) sim = sim_new_ok(spec);
			ck_assert_str_eq(glint_sim_get_board(sim), b->name);
			ck_assert_str_eq(glint_sim_get_scenario(sim), b->scenarios[j]);
			ck_assert_str_eq(glint_sim_scenario_describe(spec),
					 b->scenario_descriptions[j]);
			/* the flash-size register (where the chip's family keeps
			 * it) tells the board's size */
			ck_assert_msg(chip != NULL, "%s: device id 0x%03X is no chip Glint knows",
				      b->name, b->dev_id);
			ck_assert_uint_eq(flash_size_reg(sim, chip->flash_size_reg), b->flash_kb);
		}
	}
}
END_TEST

/* Same bytes in flash, option bytes and OTP, same serial: the same board */
static void
assert_same_board(GlintSim *a, GlintSim *b)
{
	static const struct {
		guint32 addr;
		gsize len;
	} areas[] = {
	    {0x08000000u, 64 * 1024}, /* the firmware and past it */
	    {0x1FFF7800u, 0x28},      /* option bytes, bank 1 */
	    {0x1FFFF800u, 0x28},      /* option bytes, bank 2 */
	    {0x1FFF7000u, 1024},      /* OTP */
	    {0x1FFF7590u, 12},	      /* unique ID */
	};
	ck_assert_str_eq(glint_sim_get_serial(a), glint_sim_get_serial(b));
	ck_assert_str_eq(glint_sim_get_spec(a), glint_sim_get_spec(b));
	for (guint i = 0; i < G_N_ELEMENTS(areas); i++) {
		g_autofree guint8 *x = g_malloc(areas[i].len);
		g_autofree guint8 *y = g_malloc(areas[i].len);
		ck_assert(glint_sim_peek(a, areas[i].addr, x, areas[i].len));
		ck_assert(glint_sim_peek(b, areas[i].addr, y, areas[i].len));
		ck_assert_msg(memcmp(x, y, areas[i].len) == 0, "boards differ at 0x%08x",
			      areas[i].addr);
	}
	ck_assert_uint_eq(bus_r32(a, FLASH_SR), bus_r32(b, FLASH_SR));
	ck_assert_uint_eq(bus_r32(a, FLASH_OPTR), bus_r32(b, FLASH_OPTR));
	ck_assert_uint_eq(bus_r32(a, FLASH_WRP1AR), bus_r32(b, FLASH_WRP1AR));
}

START_TEST(test_short_names_are_boards)
{
	static const struct {
		const char *short_name;
		const char *spec;
	} same[] = {
	    {"wrp", "nucleo-l476rg:wrp"},
	    {"fresh", "nucleo-l476rg"},
	    {"rdp1", "NUCLEO-L476RG:rdp1"},
	    {"stale-errors", "nucleo-l476rg:stale-errors"},
	    {"bfb2-empty", "nucleo-l476rg:bfb2-empty"},
	    {"l476re", "stm32l476re"},
	    {"l476rc", "stm32l476rc:fresh"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(same); i++) {
		g_autoptr(GlintSim) a = sim_new_ok(same[i].short_name);
		g_autoptr(GlintSim) b = sim_new_ok(same[i].spec);
		ck_assert_str_eq(glint_sim_get_spec(b), same[i].short_name);
		assert_same_board(a, b);
	}
	{
		/* the wrp board really is write-protected, the fresh one not */
		g_autoptr(GlintSim) wrp = sim_new_ok("nucleo-l476rg:wrp");
		g_autoptr(GlintSim) fresh = sim_new_ok("nucleo-l476rg");
		ck_assert_uint_eq(bus_r32(wrp, FLASH_WRP1AR), 0x000F0000u);
		ck_assert_uint_eq(bus_r32(fresh, FLASH_WRP1AR) & 0xFF, 0xFF);
		ck_assert_str_ne(glint_sim_get_serial(wrp), glint_sim_get_serial(fresh));
	}
}
END_TEST

START_TEST(test_spec_parsing)
{
	g_autofree gchar *board = NULL;
	g_autofree gchar *scenario = NULL;
	g_autofree gchar *s1 = NULL;
	g_autofree gchar *s2 = NULL;
	ck_assert(glint_sim_parse_spec("l476rc", &board, &scenario, NULL));
	ck_assert_str_eq(board, "stm32l476rc");
	ck_assert_str_eq(scenario, "fresh");
	g_clear_pointer(&board, g_free);
	g_clear_pointer(&scenario, g_free);
	ck_assert(glint_sim_parse_spec(NULL, &board, &scenario, NULL));
	ck_assert_str_eq(board, "nucleo-l476rg");
	ck_assert_str_eq(scenario, "fresh");
	s1 = glint_sim_short_spec("stm32l476re", "wrp");
	ck_assert_str_eq(s1, "stm32l476re:wrp");
	s2 = glint_sim_short_spec("nucleo-l476rg", "swd-disabled");
	ck_assert_str_eq(s2, "swd-disabled");
	{
		/* a board that is not the default one, in another scenario */
		g_autoptr(GlintSim) sim = sim_new_ok("stm32l476re:wrp");
		ck_assert_str_eq(glint_sim_get_spec(sim), "stm32l476re:wrp");
		ck_assert_uint_eq(glint_sim_peek32(sim, 0x1FFF75E0u) & 0xFFFF, 512);
		ck_assert_uint_eq(bus_r32(sim, FLASH_WRP1AR), 0x000F0000u);
	}
}
END_TEST

static void
expect_refused(const char *spec, const char *const *needles)
{
	g_autoptr(GError) error = NULL;
	GlintSim *sim = glint_sim_new(spec, &error);
	ck_assert_ptr_null(sim);
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT));
	for (guint i = 0; needles[i] != NULL; i++)
		ck_assert_msg(strstr(error->message, needles[i]) != NULL,
			      "'%s' refused without naming '%s': %s", spec, needles[i],
			      error->message);
	ck_assert_ptr_null(glint_sim_scenario_describe(spec));
	ck_assert(!glint_sim_parse_spec(spec, NULL, NULL, NULL));
}

START_TEST(test_unknown_names)
{
	const char *unknown_board[] = {
	    "unknown-board", "nucleo-l476rg", "stm32l476re", "stm32l476rc",
	    "fresh",	     "l476re",	      NULL};
	const char *unknown_scenario[] = {
	    "nucleo-l476rg", "'frozen'",  "fresh",	"wrp",		"rdp1",
	    "stale-errors",  "no-target", "bfb2-empty", "swd-disabled", NULL};
	const char *empty_board[] = {"''", "nucleo-l476rg", NULL};
	expect_refused("unknown-board", unknown_board);
	expect_refused("unknown-board:fresh", unknown_board);
	expect_refused("nucleo-l476rg:frozen", unknown_scenario);
	expect_refused(":fresh", empty_board);
}
END_TEST

START_TEST(test_describe_boards)
{
	g_autofree gchar *text = glint_sim_describe_boards();
	g_autoptr(GPtrArray) boards = glint_sim_list_boards();
	for (guint i = 0; i < boards->len; i++) {
		const GlintSimBoardInfo *b = g_ptr_array_index(boards, i);
		ck_assert_msg(strstr(text, b->name) != NULL, "%s missing", b->name);
		ck_assert_msg(strstr(text, b->chip) != NULL, "%s missing", b->chip);
		for (guint j = 0; b->scenarios[j] != NULL; j++)
			ck_assert_msg(strstr(text, b->scenario_descriptions[j]) != NULL,
				      "%s:%s missing", b->name, b->scenarios[j]);
	}
	ck_assert_ptr_nonnull(strstr(text, "      l476re         stm32l476re:fresh\n"));
	ck_assert_ptr_nonnull(strstr(text, "      wrp            nucleo-l476rg:wrp\n"));
}
END_TEST

/* The board's identity, as the debugger and the host see it */
START_TEST(test_identity_follows_board)
{
	g_autoptr(GlintSim) sim = sim_new_ok("nucleo-l476rg:rdp1");
	g_autoptr(GlintSim) re = sim_new_ok("l476re");
	g_autoptr(GlintProbeInfo) info = glint_sim_get_probe_info(sim);
	g_autoptr(GlintProbeInfo) re_info = glint_sim_get_probe_info(re);
	guint32 v = 0;
	/* the Nucleo-64's own ST-LINK/V2-1 (UM1724); a bare chip's plain V2 */
	ck_assert_str_eq(info->description, "ST-LINK/V2-1 (simulated NUCLEO-L476RG, rdp1)");
	ck_assert_str_eq(re_info->description, "ST-LINK/V2 (simulated STM32L476RE, fresh)");
	st_enter_swd(sim);
	ck_assert_uint_eq(st_read32(sim, 0xE0042000u, &v), 0x80);
	ck_assert_uint_eq(v, 0x10076415u);
	/* the ROM table's part number is the DEV_ID */
	ck_assert_uint_eq(st_read32(sim, 0xE00FFFE0u, &v), 0x80);
	ck_assert_uint_eq(v, 0x15);
	ck_assert_uint_eq(st_read32(sim, 0xE00FFFE4u, &v), 0x80);
	ck_assert_uint_eq(v & 0xF, 0x4);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-boards");
	TCase *tc = tcase_create("boards");
	tcase_add_test(tc, test_board_list);
	tcase_add_test(tc, test_every_board_every_scenario);
	tcase_add_test(tc, test_short_names_are_boards);
	tcase_add_test(tc, test_spec_parsing);
	tcase_add_test(tc, test_unknown_names);
	tcase_add_test(tc, test_describe_boards);
	tcase_add_test(tc, test_identity_follows_board);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
