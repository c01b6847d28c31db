/* glint-window-selection.c: which probe the window works with. Prefers a
 * real probe when one is present (at start, and on hot-plug while nothing
 * is connected; not when --sim named a scenario), keeps the simulated board
 * one click away, and with --sim-state shows the board the file holds and
 * asks before another scenario replaces it. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-i18n.h"
#include "glint-window-private.h"

gchar *
glint_window_selection_key(GlintWindow *self)
{
	if (glint_device_panel_is_sim_selected(self->device_panel))
		return g_strdup_printf("sim:%s",
				       glint_device_panel_get_scenario(self->device_panel));
	return g_strdup_printf("usb:%s", glint_device_panel_get_serial(self->device_panel));
}

static void
select_sim_quietly(GlintWindow *self, const char *scenario)
{
	self->syncing_selection = TRUE;
	glint_device_panel_select_sim(self->device_panel, scenario);
	self->syncing_selection = FALSE;
}

/* The --sim-state file holds a @scenario board (just loaded, or saved by
 * the connect that replaced it): the picker shows that. */
void
glint_window_follow_state_file(GlintWindow *self, const char *scenario)
{
	g_free(self->state_scenario);
	self->state_scenario = g_strdup(scenario);
	g_clear_pointer(&self->state_reset_to, g_free);
	if (g_strcmp0(scenario, glint_device_panel_get_scenario(self->device_panel)) != 0)
		select_sim_quietly(self, scenario);
}

/* With --sim-state, a scenario other than the board the file holds means
 * replacing that board: asked first. */
static gboolean
choice_resets_state_file(GlintWindow *self)
{
	const char *chosen = glint_device_panel_get_scenario(self->device_panel);
	return self->sim_state_override != NULL && self->state_scenario != NULL &&
	       glint_device_panel_is_sim_selected(self->device_panel) &&
	       g_strcmp0(chosen, self->state_scenario) != 0 &&
	       g_strcmp0(chosen, self->state_reset_to) != 0;
}

static void apply_selection(GlintWindow *self);

static void
do_state_reset(GlintWindow *self, gpointer data)
{
	const char *chosen = data;
	g_free(self->state_reset_to);
	self->state_reset_to = g_strdup(chosen);
	glint_window_log(self, G_LOG_LEVEL_INFO,
			 _("At the next Connect, %s will hold a new “%s” board in place of its "
			   "“%s” board."),
			 self->sim_state_override, chosen, self->state_scenario);
	apply_selection(self);
}

static void
keep_state_scenario(GlintWindow *self, gpointer data)
{
	select_sim_quietly(self, self->state_reset_to != NULL ? self->state_reset_to
							      : self->state_scenario);
	glint_window_log(self, G_LOG_LEVEL_INFO,
			 _("Scenario not changed: %s keeps its “%s” board."),
			 self->sim_state_override, self->state_scenario);
}

static void
ask_state_reset(GlintWindow *self)
{
	const char *chosen = glint_device_panel_get_scenario(self->device_panel);
	g_autofree gchar *body = g_strdup_printf(
	    _("%s holds a simulated “%s” board (its flash and option bytes).\n\nChoosing “%s” "
	      "resets the board: at the next Connect the file holds a new “%s” board, and what "
	      "the “%s” board held is gone."),
	    self->sim_state_override, self->state_scenario, chosen, chosen, self->state_scenario);
	glint_window_confirm_full(self, _("Reset the Simulated Board?"), body, _("_Reset Board"),
				  NULL, do_state_reset, keep_state_scenario, g_strdup(chosen),
				  g_free);
}

void
glint_window_on_selection_changed(GlintWindow *self)
{
	GlintDevicePanel *panel = self->device_panel;

	if (self->syncing_selection)
		return;
	/* Back to the board the file holds: no reset pending any more. */
	if (self->state_scenario != NULL &&
	    g_strcmp0(glint_device_panel_get_scenario(panel), self->state_scenario) == 0)
		g_clear_pointer(&self->state_reset_to, g_free);
	if (choice_resets_state_file(self)) {
		ask_state_reset(self);
		return;
	}
	apply_selection(self);
}

static void
apply_selection(GlintWindow *self)
{
	g_autofree gchar *key = glint_window_selection_key(self);
	if (self->session_key != NULL && g_strcmp0(key, self->session_key) != 0) {
		if (glint_window_is_connected(self) && !self->busy) {
			self->release_after_job = TRUE;
			glint_window_start_job(self,
					       glint_window_new_job(self, GLINT_UI_JOB_DISCONNECT));
		} else if (!self->busy) {
			glint_window_release_session(self);
			glint_window_show_target(self, TRUE);
		}
	}
	glint_window_update_actions(self);
}

/* Whether a real probe may be chosen for the user now: only while the
 * simulated board is selected, nothing is connected and no job runs, and
 * not when the simulation was asked for by name (--sim). */
static gboolean
may_choose_real_probe(GlintWindow *self)
{
	return !self->busy && !glint_window_is_connected(self) && !self->sim_requested &&
	       glint_device_panel_is_sim_selected(self->device_panel);
}

static void
choose_real_probe(GlintWindow *self, const char *serial)
{
	glint_device_panel_select_probe(self->device_panel, serial);
	glint_window_log(self, G_LOG_LEVEL_INFO,
			 _("Real probe %s selected (serial %s); the simulated board stays one "
			   "click away in the probe list."),
			 glint_device_panel_get_probe_title(self->device_panel, serial), serial);
}

void
glint_window_add_probes(GlintWindow *self, GPtrArray *probes)
{
	const GlintProbeInfo *usable = NULL;
	for (guint i = 0; i < probes->len; i++) {
		const GlintProbeInfo *info = g_ptr_array_index(probes, i);
		/* The monitor's first scan reports the probes listed at start again. */
		if (glint_device_panel_get_probe_title(self->device_panel, info->serial) != NULL)
			continue;
		glint_device_panel_add_probe(self->device_panel, info);
		if (usable == NULL && glint_probe_is_usable(info))
			usable = info;
	}
	if (usable == NULL)
		return;
	if (may_choose_real_probe(self))
		choose_real_probe(self, usable->serial);
	else if (glint_device_panel_is_sim_selected(self->device_panel))
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("The simulated board stays selected; %s (serial %s) is in the "
				   "probe list."),
				 glint_probe_kind_to_string(usable->kind), usable->serial);
}

void
glint_window_remove_probe(GlintWindow *self, const GlintProbeInfo *info)
{
	gboolean was_selected =
	    g_strcmp0(glint_device_panel_get_serial(self->device_panel), info->serial) == 0;
	const char *other;

	if (self->session != NULL && self->sim == NULL) {
		g_autofree gchar *key = g_strdup_printf("usb:%s", info->serial);
		if (g_strcmp0(key, self->session_key) == 0) {
			if (self->busy) {
				self->release_after_job = TRUE;
			} else {
				glint_window_release_session(self);
				glint_window_show_target(self, TRUE);
			}
		}
	}
	glint_device_panel_remove_probe(self->device_panel, info->serial);
	/* The selected probe left: another real one rather than the simulation. */
	other = glint_device_panel_find_usable_probe(self->device_panel);
	if (was_selected && other != NULL && may_choose_real_probe(self))
		choose_real_probe(self, other);
}

static void
on_usb_probe_changed(const GlintProbeInfo *info, gboolean arrived, gpointer user_data)
{
	GlintWindow *self = GLINT_WINDOW(user_data);
	if (arrived) {
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		if (glint_device_panel_get_probe_title(self->device_panel, info->serial) != NULL)
			return; /* listed at start */
		g_ptr_array_add(one, (gpointer)info);
		glint_window_log(self, G_LOG_LEVEL_INFO, _("Probe plugged in: %s (%s)"),
				 glint_probe_kind_to_string(info->kind), info->serial);
		glint_window_add_probes(self, one);
		return;
	}
	glint_window_log(self, G_LOG_LEVEL_WARNING, _("Probe unplugged: %s (%s)"),
			 glint_probe_kind_to_string(info->kind), info->serial);
	glint_window_remove_probe(self, info);
}

void
glint_window_watch_usb(GlintWindow *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) probes = glint_usb_list_probes(&error);
	if (probes == NULL) {
		glint_window_log(
		    self, G_LOG_LEVEL_WARNING,
		    _("USB probes cannot be listed (%s); the simulated board still works."),
		    error->message);
		return;
	}
	glint_window_add_probes(self, probes);
	self->usb_monitor = glint_usb_monitor_new(on_usb_probe_changed, self, &error);
	if (self->usb_monitor == NULL)
		glint_window_log(self, G_LOG_LEVEL_WARNING, _("Hot-plug is not available: %s"),
				 error->message);
}

/* With --sim-state, Connect loads the board the file holds, whatever --sim
 * said: the picker shows that board from the start. Only a Glint state is
 * read; anything else is for Connect to refuse. */
void
glint_window_show_state_file_board(GlintWindow *self)
{
	const char *path = self->sim_state_override;
	g_autoptr(GlintSim) held = NULL;
	GlintSimStateFileKind kind;

	glint_device_panel_set_state_file(self->device_panel, path);
	if (!glint_sim_state_file_classify(path, &kind, NULL) || kind != GLINT_SIM_STATE_FILE_STATE)
		return;
	held = glint_sim_new_from_state(path, NULL);
	if (held == NULL)
		return;
	if (g_strcmp0(glint_sim_get_spec(held),
		      glint_device_panel_get_scenario(self->device_panel)) != 0)
		glint_window_log(self, G_LOG_LEVEL_INFO,
				 _("%s holds a simulated “%s” board: Connect loads it, so that "
				   "scenario is selected."),
				 path, glint_sim_get_spec(held));
	glint_window_follow_state_file(self, glint_sim_get_spec(held));
}
