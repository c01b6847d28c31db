/* glint-window-production.c: the programmer window's way into the
 * Production mode (win.production, in the main menu). The Production
 * window itself is glint-production-window.c. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-production-window.h"
#include "glint-window-private.h"

static void
action_production(GSimpleAction *action, GVariant *param, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);

	/* the station takes the probes: not from under a running job */
	if (glint_window_is_busy(self)) {
		glint_window_log(self, G_LOG_LEVEL_WARNING,
				 _("Production mode: wait until the job has finished (or cancel "
				   "it), then open it."));
		return;
	}
	glint_production_window_open(self, NULL);
}

void
glint_window_add_production_action(GlintWindow *self)
{
	static const GActionEntry entries[] = {
	    {"production", action_production, NULL, NULL, NULL, {0}},
	};
	g_action_map_add_action_entries(G_ACTION_MAP(self), entries, G_N_ELEMENTS(entries), self);
}
