/* sim-boards.c: the registry of simulated boards, and the names users give
 * them.
 *
 * Each family's machine folder exports a table of its boards; the registry
 * below lists those tables, one line per family. A board is named on the
 * command line as "BOARD", "BOARD:SCENARIO", or by one of the short names
 * that came before boards existed ("fresh", "wrp", ... on the NUCLEO-L476RG,
 * "l476re" and "l476rc" for the 512 and 256 KB parts). */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "glint-i18n.h"
#include "sim-private.h"

/* One line per family: its machine folder's board table */
extern const SimBoardTable sim_l4_boards; /* core/sim/l4/l4-boards.c */
extern const SimBoardTable sim_h7_boards; /* core/sim/h7/h7-boards.c */
extern const SimBoardTable sim_f1_boards; /* core/sim/f1/f1-boards.c */
extern const SimBoardTable sim_l0_boards; /* core/sim/l0/l0-boards.c */
extern const SimBoardTable sim_f4_boards; /* core/sim/f4/f4-boards.c */
extern const SimBoardTable sim_l5_boards; /* core/sim/l5/l5-boards.c */

static const SimBoardTable *const sim_board_tables[] = {
    &sim_l4_boards, &sim_h7_boards, &sim_f1_boards, &sim_l0_boards, &sim_f4_boards, &sim_l5_boards,
};

/* Short names: what --sim took before boards had names */
static const struct {
	const char *name;
	const char *board;
	const char *scenario;
} sim_short_names[] = {
    {"fresh", "nucleo-l476rg", "fresh"},
    {"wrp", "nucleo-l476rg", "wrp"},
    {"rdp1", "nucleo-l476rg", "rdp1"},
    {"stale-errors", "nucleo-l476rg", "stale-errors"},
    {"bfb2-empty", "nucleo-l476rg", "bfb2-empty"},
    {"no-target", "nucleo-l476rg", "no-target"},
    {"swd-disabled", "nucleo-l476rg", "swd-disabled"},
    {"l476re", "stm32l476re", "fresh"},
    {"l476rc", "stm32l476rc", "fresh"},
};

/* The board a spec without one means */
#define SIM_DEFAULT_SPEC "fresh"

guint
sim_board_count(void)
{
	guint n = 0;
	for (guint t = 0; t < G_N_ELEMENTS(sim_board_tables); t++)
		n += sim_board_tables[t]->n_boards;
	return n;
}

const SimBoard *
sim_board_nth(guint index)
{
	for (guint t = 0; t < G_N_ELEMENTS(sim_board_tables); t++) {
		if (index < sim_board_tables[t]->n_boards)
			return &sim_board_tables[t]->boards[index];
		index -= sim_board_tables[t]->n_boards;
	}
	return NULL;
}

/* Board names are lower case; a user may type the one printed on the board */
const SimBoard *
sim_board_find(const char *name)
{
	for (guint i = 0; i < sim_board_count(); i++) {
		const SimBoard *b = sim_board_nth(i);
		if (name != NULL && g_ascii_strcasecmp(b->name, name) == 0)
			return b;
	}
	return NULL;
}

/* "nucleo-l476rg, stm32l476re, ..." */
static gchar *
sim_board_names_joined(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < sim_board_count(); i++)
		g_string_append_printf(s, "%s%s", i > 0 ? ", " : "", sim_board_nth(i)->name);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gchar *
sim_short_names_joined(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(sim_short_names); i++)
		g_string_append_printf(s, "%s%s", i > 0 ? ", " : "", sim_short_names[i].name);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gchar *
sim_scenario_names_joined(const SimBoard *board)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < sim_scenario_count(board); i++)
		g_string_append_printf(s, "%s%s", i > 0 ? ", " : "",
				       sim_scenario_nth(board, i)->name);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

gboolean
sim_spec_resolve(const char *spec, const SimBoard **board, const SimScenario **scenario,
		 GError **error)
{
	g_autofree gchar *board_name = NULL;
	const char *scenario_name = "fresh";
	const char *colon;

	if (spec == NULL || *spec == '\0')
		spec = SIM_DEFAULT_SPEC;
	for (guint i = 0; i < G_N_ELEMENTS(sim_short_names); i++) {
		if (g_strcmp0(spec, sim_short_names[i].name) == 0) {
			*board = sim_board_find(sim_short_names[i].board);
			*scenario = sim_scenario_find(*board, sim_short_names[i].scenario);
			g_assert(*board != NULL && *scenario != NULL);
			return TRUE;
		}
	}
	colon = strchr(spec, ':');
	board_name = colon != NULL ? g_strndup(spec, (gsize)(colon - spec)) : g_strdup(spec);
	if (colon != NULL)
		scenario_name = colon + 1;
	*board = sim_board_find(board_name);
	if (*board == NULL) {
		g_autofree gchar *boards = sim_board_names_joined();
		g_autofree gchar *shorts = sim_short_names_joined();
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Unknown simulated board '%s'; choose one of the boards %s (as BOARD "
			      "or BOARD:SCENARIO), or a short name: %s"),
			    board_name, boards, shorts);
		return FALSE;
	}
	*scenario = sim_scenario_find(*board, scenario_name);
	if (*scenario == NULL) {
		g_autofree gchar *names = sim_scenario_names_joined(*board);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("The simulated board %s has no scenario '%s'; its scenarios are: %s"),
			    (*board)->name, scenario_name, names);
		return FALSE;
	}
	return TRUE;
}

gchar *
sim_spec_short(const SimBoard *board, const char *scenario)
{
	for (guint i = 0; i < G_N_ELEMENTS(sim_short_names); i++) {
		if (g_strcmp0(board->name, sim_short_names[i].board) == 0 &&
		    g_strcmp0(scenario, sim_short_names[i].scenario) == 0)
			return g_strdup(sim_short_names[i].name);
	}
	return g_strdup_printf("%s:%s", board->name, scenario);
}

/* Public API ------------------------------------------------------------ */

const char *const *
glint_sim_scenario_names(void)
{
	static const char *const names[] = {
	    "fresh",	 "wrp",		 "rdp1",   "stale-errors", "bfb2-empty",
	    "no-target", "swd-disabled", "l476re", "l476rc",	   NULL,
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(names) == G_N_ELEMENTS(sim_short_names) + 1);
	return names;
}

const char *
glint_sim_scenario_describe(const char *spec)
{
	const SimBoard *board;
	const SimScenario *scenario;
	if (spec == NULL || !sim_spec_resolve(spec, &board, &scenario, NULL))
		return NULL;
	return sim_scenario_describe(board, scenario);
}

gboolean
glint_sim_parse_spec(const char *spec, gchar **board, gchar **scenario, GError **error)
{
	const SimBoard *b;
	const SimScenario *s;
	if (!sim_spec_resolve(spec, &b, &s, error))
		return FALSE;
	if (board != NULL)
		*board = g_strdup(b->name);
	if (scenario != NULL)
		*scenario = g_strdup(s->name);
	return TRUE;
}

gchar *
glint_sim_short_spec(const char *board, const char *scenario)
{
	const SimBoard *b = sim_board_find(board);
	g_return_val_if_fail(b != NULL, NULL);
	return sim_spec_short(b, scenario != NULL ? scenario : "fresh");
}

void
glint_sim_board_info_free(GlintSimBoardInfo *info)
{
	if (info == NULL)
		return;
	g_free(info->name);
	g_free(info->title);
	g_free(info->chip);
	g_free(info->family);
	g_free(info->machine);
	g_free(info->description);
	g_strfreev(info->scenarios);
	g_strfreev(info->scenario_descriptions);
	g_free(info);
}

static GlintSimBoardInfo *
sim_board_info_new(const SimBoard *b)
{
	GlintSimBoardInfo *info = g_new0(GlintSimBoardInfo, 1);
	guint n = sim_scenario_count(b);
	info->name = g_strdup(b->name);
	info->title = g_strdup(b->title);
	info->chip = g_strdup(b->chip);
	info->family = g_strdup(b->machine->family);
	info->machine = g_strdup(b->machine->name);
	info->flash_kb = b->flash_kb;
	info->dev_id = (guint16)(b->idcode & 0xFFFu);
	info->rev_id = (guint16)(b->idcode >> 16);
	info->description = g_strdup(glint_tr(b->description));
	info->scenarios = g_new0(gchar *, n + 1);
	info->scenario_descriptions = g_new0(gchar *, n + 1);
	for (guint i = 0; i < n; i++) {
		const SimScenario *s = sim_scenario_nth(b, i);
		info->scenarios[i] = g_strdup(s->name);
		info->scenario_descriptions[i] = g_strdup(sim_scenario_describe(b, s));
	}
	return info;
}

GPtrArray *
glint_sim_list_boards(void)
{
	GPtrArray *boards =
	    g_ptr_array_new_with_free_func((GDestroyNotify)glint_sim_board_info_free);
	for (guint i = 0; i < sim_board_count(); i++)
		g_ptr_array_add(boards, sim_board_info_new(sim_board_nth(i)));
	return boards;
}

GlintSimBoardInfo *
glint_sim_get_board_info(const char *board)
{
	const SimBoard *b = sim_board_find(board);
	return b != NULL ? sim_board_info_new(b) : NULL;
}

gchar *
glint_sim_describe_boards(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	for (guint i = 0; i < sim_board_count(); i++) {
		const SimBoard *b = sim_board_nth(i);
		g_string_append_printf(text, "  %-15s %-12s %5u KB  %s\n", b->name, b->chip,
				       b->flash_kb, glint_tr(b->description));
		for (guint j = 0; j < sim_scenario_count(b); j++) {
			const SimScenario *s = sim_scenario_nth(b, j);
			g_string_append_printf(text, "      %-14s %s\n", s->name,
					       sim_scenario_describe(b, s));
		}
	}
	g_string_append(text, _("  Short names (from before boards had names):\n"));
	for (guint i = 0; i < G_N_ELEMENTS(sim_short_names); i++)
		g_string_append_printf(text, "      %-14s %s:%s\n", sim_short_names[i].name,
				       sim_short_names[i].board, sim_short_names[i].scenario);
	return g_string_free(g_steal_pointer(&text), FALSE);
}
