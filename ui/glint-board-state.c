/* glint-board-state.c: refusing foreign files, setting damaged states aside. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-board-state.h"
#include "glint-i18n.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "glint-error.h"

/* Enough for anyone; a bound so a loop over names always ends. */
#define GLINT_BOARD_STATE_MAX_ASIDE 1000

static gboolean
refuse_kind(const char *path, GlintSimStateFileKind kind, GError **error)
{
	switch (kind) {
	case GLINT_SIM_STATE_FILE_FOREIGN:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s is not a Glint board state (a firmware image or another "
			      "file?): nothing was written to it. Give the simulated board "
			      "another state file (--sim-state), or move this one away."),
			    path);
		return FALSE;
	case GLINT_SIM_STATE_FILE_OTHER_VERSION:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("%s is a Glint board state in a format this version cannot "
			      "read: nothing was written to it. Use the Glint that saved it, "
			      "or another state file (--sim-state)."),
			    path);
		return FALSE;
	case GLINT_SIM_STATE_FILE_ABSENT:
	case GLINT_SIM_STATE_FILE_STATE:
		break;
	}
	return TRUE;
}

gboolean
glint_board_state_may_replace(const char *path, GError **error)
{
	GlintSimStateFileKind kind;
	if (!glint_sim_state_file_classify(path, &kind, error))
		return FALSE;
	return refuse_kind(path, kind, error);
}

/* link() fails with EEXIST instead of replacing: no earlier file is lost
 * even when two processes set aside at once. */
static gboolean
move_no_replace(const char *from, const char *to, gboolean *taken, GError **error)
{
	int saved;
	*taken = FALSE;
	if (link(from, to) == 0) {
		g_unlink(from); /* if this fails, both names hold the damaged state */
		return TRUE;
	}
	saved = errno;
	if (saved == EEXIST) {
		*taken = TRUE;
		return FALSE;
	}
	/* File systems without hard links (FAT, some network mounts). */
	if (saved == EPERM || saved == ENOTSUP || saved == EOPNOTSUPP || saved == EMLINK ||
	    saved == ENOSYS) {
		if (g_file_test(to, G_FILE_TEST_EXISTS) ||
		    g_file_test(to, G_FILE_TEST_IS_SYMLINK)) {
			*taken = TRUE;
			return FALSE;
		}
		if (g_rename(from, to) == 0)
			return TRUE;
		saved = errno;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO, _("Cannot move %s to %s: %s"), from, to,
		    g_strerror(saved));
	return FALSE;
}

gchar *
glint_board_state_set_aside(const char *path, GError **error)
{
	for (guint n = 0; n < GLINT_BOARD_STATE_MAX_ASIDE; n++) {
		g_autofree gchar *to = n == 0 ? g_strconcat(path, ".corrupt", NULL)
					      : g_strdup_printf("%s.corrupt.%u", path, n);
		gboolean taken = FALSE;
		if (move_no_replace(path, to, &taken, error))
			return g_steal_pointer(&to);
		if (!taken)
			return NULL;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_IO,
		    _("Cannot move %s aside: %s.corrupt up to .corrupt.%u are all taken; remove "
		      "old ones"),
		    path, path, GLINT_BOARD_STATE_MAX_ASIDE - 1);
	return NULL;
}

GlintSim *
glint_board_state_open(const char *path, const char *scenario, gboolean reset,
		       GlintProgress *progress, gchar **notice, GError **error)
{
	g_autoptr(GError) error_load = NULL;
	g_autofree gchar *aside = NULL;
	GlintSimStateFileKind kind;
	GlintSim *sim;

	if (!glint_sim_state_file_classify(path, &kind, error) || !refuse_kind(path, kind, error))
		return NULL;
	if (kind == GLINT_SIM_STATE_FILE_ABSENT)
		return glint_sim_new(scenario, error);
	if (reset) {
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("Starting a new “%s” board in %s, as chosen (the board it "
				     "held is replaced)"),
				   scenario, path);
		return glint_sim_new(scenario, error);
	}
	sim = glint_sim_new_from_state(path, &error_load);
	if (sim != NULL) {
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("Simulated board %s (%s) restored from %s"),
				   glint_sim_get_board(sim), glint_sim_get_scenario(sim), path);
		return sim;
	}
	if (!g_error_matches(error_load, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE)) {
		g_propagate_error(error, g_steal_pointer(&error_load));
		return NULL;
	}
	/* A damaged state: keep it for whoever wants to look, start afresh. */
	aside = glint_board_state_set_aside(path, error);
	if (aside == NULL)
		return NULL;
	glint_progress_log(progress, G_LOG_LEVEL_WARNING, _("%s; moved aside to %s"),
			   error_load->message, aside);
	sim = glint_sim_new(scenario, error);
	if (sim != NULL && notice != NULL)
		*notice =
		    g_strdup_printf(_("The simulated board's state %s was damaged; it has been "
				      "moved aside to %s and the board starts fresh."),
				    path, aside);
	return sim;
}
