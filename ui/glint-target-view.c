/* glint-target-view.c: the Target tab (see the header). The worker is a
 * GlintTargetLoop; this file renders what it says and turns clicks into its
 * commands. */
#define G_LOG_DOMAIN "glint-ui"

#include "glint-target-view.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "glint-console.h"
#include "glint-i18n.h"
#include "glint-programmed.h"
#include "glint-target-loop.h"
#include "glint-watch-plot.h"

/* The symbol SEGGER's RTT code gives its control block */
#define RTT_SYMBOL "_SEGGER_RTT"
/* xPSR.IPSR (ARMv7-M B1.4.2): the exception being handled */
#define XPSR_IPSR_MASK 0x1FFu
/* EXC_RETURN values start here (ARMv7-M B1.5.8): not a code address */
#define EXC_RETURN_BASE 0xFFFFFFE0u

enum { REG_COL_REG, REG_COL_NAME, REG_COL_VALUE, REG_COL_MEANING, REG_COL_EDITABLE };
enum { WATCH_COL_EXPRESSION, WATCH_COL_TYPE, WATCH_COL_VALUE, WATCH_COL_COLOR };

struct _GlintTargetView {
	GtkBox parent_instance;
	/* the template */
	GtkLabel *state_label;
	GtkWidget *halt_button;
	GtkWidget *run_button;
	GtkWidget *step_button;
	GtkWidget *reset_button;
	GtkWidget *reset_halt_button;
	GtkLabel *elf_label;
	GtkWidget *elf_button;
	GtkInfoBar *fault_bar;
	GtkLabel *fault_summary;
	GtkInfoBar *message_bar;
	GtkLabel *message_label;
	GtkLabel *regs_note;
	GtkTreeView *regs_view;
	GtkListStore *regs_store;
	GtkNotebook *notebook;
	GtkWidget *fault_page;
	GtkEntry *watch_entry;
	GtkWidget *watch_add;
	GtkWidget *watch_remove;
	GtkComboBoxText *watch_rate;
	GtkTreeView *watch_view;
	GtkListStore *watch_store;
	GtkWidget *watch_plot;
	GtkLabel *watch_status;
	GtkToggleButton *swo_toggle;
	GtkEntry *swo_baud;
	GtkEntry *swo_clock;
	GtkTextView *swo_text;
	GtkLabel *swo_status;
	GtkToggleButton *rtt_toggle;
	GtkLabel *rtt_where;
	GtkTextView *rtt_text;
	GtkEntry *rtt_input;
	GtkWidget *rtt_send;
	GtkLabel *rtt_status;
	GtkLabel *fault_note;
	GtkTextView *fault_text;
	GtkWidget *fault_refresh;

	/* the target */
	GlintSession *session;
	gboolean active;
	gboolean failed; /* the last loop ended with an error: not restarted until asked */
	GlintTargetLoop *loop;
	gboolean have_core;
	GlintTargetCore core;
	gchar *state_text;
	gboolean in_fault;
	gchar *fault_summary_text;

	/* the ELF */
	GlintDebugInfo *elf;
	gchar *elf_path;
	gboolean elf_remembered; /* programmed last, not chosen */
	guint64 elf_stamp;	 /* the file's size and time when read */
	gchar *elf_chosen;	 /* the user's choice; NULL: the remembered one */
	GCancellable *elf_cancellable;

	/* the live watch */
	GPtrArray *watch_exprs; /* gchar*, one per row */
	GArray *watch_map;	/* guint: the row of each item of the watch sent */
	guint watch_generation;
	GlintWatchPlot *plot;
	gboolean have_time0;
	gdouble time0;

	/* the consoles */
	GlintConsole *swo_console;
	GlintConsole *rtt_console;
	gboolean rtt_can_send; /* attached, and the block has a down channel 0 */
	gchar **rtt_names;
	guint swo_overflows;
	gboolean syncing; /* the view moves a toggle itself */
};

G_DEFINE_TYPE(GlintTargetView, glint_target_view, GTK_TYPE_BOX)

enum { SIGNAL_STOPPED, SIGNAL_LOG, SIGNAL_LAST };
static guint signals[SIGNAL_LAST];

static void update_loop(GlintTargetView *self);
static void send_watch(GlintTargetView *self);

static void view_log(GlintTargetView *self, GLogLevelFlags level, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static void
view_log(GlintTargetView *self, GLogLevelFlags level, const char *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_signal_emit(self, signals[SIGNAL_LOG], 0, (guint)level, message);
}

static void
show_message(GlintTargetView *self, GtkMessageType type, const char *text)
{
	gtk_label_set_text(self->message_label, text);
	gtk_info_bar_set_message_type(self->message_bar, type);
	gtk_widget_show(GTK_WIDGET(self->message_bar));
}

static void
hide_message(GlintTargetView *self)
{
	gtk_widget_hide(GTK_WIDGET(self->message_bar));
}

static gboolean
loop_running(GlintTargetView *self)
{
	return self->loop != NULL && glint_target_loop_is_running(self->loop);
}

/* ---- the core panel --------------------------------------------------------- */

static const char *
exception_name(guint number)
{
	static const char *const names[] = {
	    [1] = "Reset",	   [2] = "NMI",	       [3] = "HardFault",   [4] = "MemManage",
	    [5] = "BusFault",	   [6] = "UsageFault", [7] = "SecureFault", [11] = "SVCall",
	    [12] = "DebugMonitor", [14] = "PendSV",    [15] = "SysTick",
	};
	if (number < G_N_ELEMENTS(names) && names[number] != NULL)
		return names[number];
	return NULL;
}

/* "HardFault handler", "handler of exception 7", "handler of interrupt 12";
 * the exception names are ARM's (ARMv7-M B1.5.2) in every language */
static gchar *
exception_describe(guint number)
{
	const char *name = exception_name(number);
	if (name != NULL)
		/* TRANSLATORS: %s is an ARM exception name (HardFault, SysTick):
		 * keep it; the phrase follows "Running in the" (see there) */
		return g_strdup_printf(_("%s handler"), name);
	if (number >= 16)
		return g_strdup_printf(_("handler of interrupt %u"), number - 16);
	return g_strdup_printf(_("handler of exception %u"), number);
}

/* "main() at demo.c:300" with the ELF, else the address */
static gchar *
place_of(GlintTargetView *self, guint32 address)
{
	if (self->elf == NULL)
		return g_strdup_printf("0x%08X", address);
	return glint_debug_info_describe_address(self->elf, address, TRUE);
}

static gchar *
state_describe(GlintTargetView *self)
{
	const GlintTargetCore *core = &self->core;
	if (self->session == NULL)
		return g_strdup(_("Not connected"));
	if (self->loop == NULL)
		return g_strdup(self->failed ? _("Target lost (see the message above)")
					     : _("Paused (shown while the tab is open and no other "
						 "job runs)"));
	if (!self->have_core)
		return g_strdup(_("Reading the core…"));
	switch (core->status.state) {
	case GLINT_CORE_HALTED: {
		g_autofree gchar *reason = glint_core_halt_reason_describe(core->status.dfsr);
		g_autofree gchar *where = NULL;
		if (!glint_core_regs_has(&core->regs, GLINT_REG_PC))
			/* TRANSLATORS: %s is why the core halted (halt request,
			 * breakpoint, step) */
			return g_strdup_printf(_("Halted (%s)"), reason);
		where = place_of(self, core->regs.value[GLINT_REG_PC]);
		/* TRANSLATORS: why the core halted, then where: "main() at
		 * demo.c:300" or an address */
		return g_strdup_printf(_("Halted (%s) at %s"), reason, where);
	}
	case GLINT_CORE_RUNNING:
	case GLINT_CORE_SLEEPING: {
		gboolean running = core->status.state == GLINT_CORE_RUNNING;
		g_autofree gchar *handler = NULL;
		if (!core->vectactive_known || core->vectactive == 0)
			return g_strdup(running ? _("Running") : _("Sleeping (WFI/WFE)"));
		handler = exception_describe(core->vectactive);
		if (running)
			/* TRANSLATORS: %s is "HardFault handler", "handler of
			 * interrupt 12" or "handler of exception 7" */
			return g_strdup_printf(_("Running in the %s"), handler);
		/* TRANSLATORS: as "Running in the %s" */
		return g_strdup_printf(_("Sleeping (WFI/WFE) in the %s"), handler);
	}
	case GLINT_CORE_LOCKED_UP:
		return g_strdup(_("Locked up: a fault it could not take (only a reset ends it)"));
	case GLINT_CORE_IN_RESET:
		return g_strdup(_("Held in reset"));
	}
	return g_strdup(_("Unknown"));
}

static void
update_state_label(GlintTargetView *self)
{
	g_free(self->state_text);
	self->state_text = state_describe(self);
	gtk_label_set_text(self->state_label, self->state_text);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->state_label), self->state_text);
}

static void
update_sensitivity(GlintTargetView *self)
{
	gboolean live = loop_running(self) && self->have_core;
	GlintCoreState state = self->core.status.state;
	gboolean halted = live && state == GLINT_CORE_HALTED;

	gtk_widget_set_sensitive(self->halt_button, live && state != GLINT_CORE_HALTED &&
							state != GLINT_CORE_IN_RESET);
	gtk_widget_set_sensitive(self->run_button, halted);
	gtk_widget_set_tooltip_text(self->run_button,
				    live && state == GLINT_CORE_LOCKED_UP
					? _("A locked-up core does not run again: reset it")
					: _("Let the halted core go on"));
	gtk_widget_set_sensitive(self->step_button, halted);
	gtk_widget_set_sensitive(self->reset_button, live);
	gtk_widget_set_sensitive(self->reset_halt_button, live);
	gtk_widget_set_sensitive(self->fault_refresh, live);
	gtk_widget_set_sensitive(GTK_WIDGET(self->swo_toggle), loop_running(self));
	gtk_widget_set_sensitive(GTK_WIDGET(self->rtt_toggle), loop_running(self));
	gtk_widget_set_sensitive(self->rtt_send, loop_running(self) && self->rtt_can_send);
}

static void
update_all(GlintTargetView *self)
{
	update_state_label(self);
	update_sensitivity(self);
}

/* -- registers -- */

static gchar *
register_value_text(GlintCoreReg reg, guint32 value)
{
	if (reg >= GLINT_REG_CONTROL && reg <= GLINT_REG_FAULTMASK)
		return g_strdup_printf("0x%02X", value);
	return g_strdup_printf("0x%08X", value);
}

static gchar *
register_meaning(GlintTargetView *self, GlintCoreReg reg, guint32 value)
{
	if (reg >= GLINT_REG_S0 && reg <= GLINT_REG_S31) {
		gfloat f;
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
		memcpy(&f, &value, sizeof(f));
		return g_strdup(g_ascii_formatd(buf, sizeof(buf), "%g", f));
	}
	if (reg == GLINT_REG_XPSR) {
		guint ipsr = value & XPSR_IPSR_MASK;
		g_autofree gchar *handler = NULL;
		if (ipsr == 0)
			return g_strdup(_("thread mode"));
		handler = exception_describe(ipsr);
		/* TRANSLATORS: %s is "HardFault handler", "handler of interrupt 12" */
		return g_strdup_printf(_("handler mode: %s"), handler);
	}
	if (reg == GLINT_REG_LR && value >= EXC_RETURN_BASE)
		return g_strdup(_("EXC_RETURN: back from an exception"));
	if ((reg == GLINT_REG_PC || reg == GLINT_REG_LR) && self->elf != NULL) {
		g_autofree gchar *place = glint_debug_info_describe_address(
		    self->elf, reg == GLINT_REG_LR ? (value & ~1u) : value, TRUE);
		return g_str_has_prefix(place, "0x") ? g_strdup("") : g_steal_pointer(&place);
	}
	return g_strdup("");
}

/* The registers as last read; editable while the core is halted */
static void
show_registers(GlintTargetView *self)
{
	const GlintCoreRegs *regs = &self->core.regs;
	gboolean halted =
	    loop_running(self) && self->have_core && self->core.status.state == GLINT_CORE_HALTED;
	gboolean any = regs->valid != 0;

	if (!any) {
		gtk_list_store_clear(self->regs_store);
	} else {
		GtkTreeIter iter;
		gboolean have_row =
		    gtk_tree_model_get_iter_first(GTK_TREE_MODEL(self->regs_store), &iter);
		for (guint r = 0; r < GLINT_REG_COUNT; r++) {
			g_autofree gchar *value = NULL;
			g_autofree gchar *meaning = NULL;
			if (!glint_core_regs_has(regs, (GlintCoreReg)r))
				continue;
			value = register_value_text((GlintCoreReg)r, regs->value[r]);
			meaning = register_meaning(self, (GlintCoreReg)r, regs->value[r]);
			/* rows are kept, so that the list does not jump while read again */
			if (!have_row)
				gtk_list_store_append(self->regs_store, &iter);
			gtk_list_store_set(self->regs_store, &iter, REG_COL_REG, (gint)r,
					   REG_COL_NAME, glint_core_reg_name((GlintCoreReg)r),
					   REG_COL_VALUE, value, REG_COL_MEANING, meaning,
					   REG_COL_EDITABLE, halted, -1);
			if (have_row)
				have_row = gtk_tree_model_iter_next(
				    GTK_TREE_MODEL(self->regs_store), &iter);
		}
		while (have_row)
			have_row = gtk_list_store_remove(self->regs_store, &iter);
	}
	if (halted)
		gtk_label_set_text(self->regs_note,
				   _("Double-click a value to change it (hexadecimal 0x…, decimal, "
				     "or a number with a point for s0-s31)."));
	else if (any)
		gtk_label_set_text(self->regs_note,
				   _("As read when the core was last halted: halt it to read and "
				     "change them."));
	else
		gtk_label_set_text(self->regs_note, _("Halt the core to read its registers."));
}

/* "0x1234", "4660", and for s0-s31 "1.5" or "-2e3" */
static gboolean
parse_register_value(GlintCoreReg reg, const char *text, guint32 *value, GError **error)
{
	g_autofree gchar *t = g_strstrip(g_strdup(text));
	guint64 v = 0;
	gboolean is_float = reg >= GLINT_REG_S0 && reg <= GLINT_REG_S31;

	if (g_str_has_prefix(t, "0x") || g_str_has_prefix(t, "0X")) {
		if (g_ascii_string_to_unsigned(t + 2, 16, 0, G_MAXUINT32, &v, NULL)) {
			*value = (guint32)v;
			return TRUE;
		}
	} else if (g_ascii_string_to_unsigned(t, 10, 0, G_MAXUINT32, &v, NULL)) {
		*value = (guint32)v;
		return TRUE;
	} else if (is_float) {
		gchar *end = NULL;
		gdouble d = g_ascii_strtod(t, &end);
		if (end != NULL && end != t && *end == '\0' && isfinite(d)) {
			gfloat f = (gfloat)d;
			memcpy(value, &f, sizeof(*value));
			return TRUE;
		}
	}
	if (is_float)
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    /* TRANSLATORS: a register name (s3), then what the user typed */
			    _("%s: “%s” is not a value for it: give 0x1234ABCD or a decimal "
			      "number, or a float such as 1.5"),
			    glint_core_reg_name(reg), t);
	else
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    /* TRANSLATORS: a register name (r0, pc), then what the user typed */
			    _("%s: “%s” is not a value for it: give 0x1234ABCD or a decimal "
			      "number"),
			    glint_core_reg_name(reg), t);
	return FALSE;
}

static void
on_register_edited(GtkCellRendererText *renderer, const char *path, const char *text,
		   GlintTargetView *self)
{
	GtkTreeIter iter;
	gint reg = 0;
	guint32 value = 0;
	g_autoptr(GError) error = NULL;

	if (!gtk_tree_model_get_iter_from_string(GTK_TREE_MODEL(self->regs_store), &iter, path))
		return;
	gtk_tree_model_get(GTK_TREE_MODEL(self->regs_store), &iter, REG_COL_REG, &reg, -1);
	if (!loop_running(self) || self->core.status.state != GLINT_CORE_HALTED) {
		show_message(self, GTK_MESSAGE_WARNING,
			     _("Registers can be changed only while the core is halted."));
		return;
	}
	if (!parse_register_value((GlintCoreReg)reg, text, &value, &error)) {
		show_message(self, GTK_MESSAGE_WARNING, error->message);
		return;
	}
	hide_message(self);
	view_log(self, G_LOG_LEVEL_INFO, _("Target: writing %s = 0x%08X"),
		 glint_core_reg_name((GlintCoreReg)reg), value);
	glint_target_loop_write_register(self->loop, (GlintCoreReg)reg, value);
}

/* -- what the loop says about the core -- */

static void
on_loop_core_changed(GlintTargetLoop *loop, const GlintTargetCore *core, GlintTargetView *self)
{
	gboolean was_halted = self->have_core && self->core.status.state == GLINT_CORE_HALTED;
	GlintCoreRegs last = self->core.regs;
	self->core = *core;
	self->have_core = TRUE;
	/* the registers of a running core are those it had when last halted */
	if (core->regs.valid == 0)
		self->core.regs = last;
	update_all(self);
	if (core->regs.valid != 0 || was_halted != (core->status.state == GLINT_CORE_HALTED))
		show_registers(self);
}

static void
show_fault_text(GlintTargetView *self, const char *text)
{
	gtk_text_buffer_set_text(gtk_text_view_get_buffer(self->fault_text), text, -1);
}

static void
on_loop_fault(GlintTargetLoop *loop, const GlintFaultReport *report, GlintTargetView *self)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *note = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *when = g_date_time_format(now, "%H:%M:%S");

	if (report == NULL) {
		/* left the fault handler (a reset): the report stays for reading */
		self->in_fault = FALSE;
		g_clear_pointer(&self->fault_summary_text, g_free);
		gtk_widget_hide(GTK_WIDGET(self->fault_bar));
		gtk_label_set_text(self->fault_note,
				   _("The core has left the fault handler (reset). The last report "
				     "stays below."));
		return;
	}
	text = glint_fault_report_format(report);
	show_fault_text(self, text);
	if (report->kind == GLINT_FAULT_NONE) {
		/* TRANSLATORS: %s is the time of day (14:05:32) */
		note = g_strdup_printf(_("Read at %s: no fault."), when);
		gtk_label_set_text(self->fault_note, note);
		return;
	}
	self->in_fault = TRUE;
	g_free(self->fault_summary_text);
	self->fault_summary_text = g_strdup(report->summary);
	{
		g_autofree gchar *banner = g_strdup_printf(_("Fault: %s"), report->summary);
		gtk_label_set_text(self->fault_summary, banner);
	}
	gtk_widget_show(GTK_WIDGET(self->fault_bar));
	note = self->elf != NULL
		   /* TRANSLATORS: the time of day (14:05:32), then the ELF file */
		   ? g_strdup_printf(_("Read at %s, names from %s."), when, self->elf_path)
		   /* TRANSLATORS: %s is the time of day; "ELF…" is the button */
		   : g_strdup_printf(_("Read at %s. Without an ELF only addresses: choose it "
				       "with ELF… for functions and lines."),
				     when);
	gtk_label_set_text(self->fault_note, note);
	view_log(self, G_LOG_LEVEL_WARNING, _("Target fault: %s"), report->summary);
}

static void
on_fault_bar_response(GtkInfoBar *bar, gint response, GlintTargetView *self)
{
	if (response == 1)
		gtk_notebook_set_current_page(
		    self->notebook, gtk_notebook_page_num(self->notebook, self->fault_page));
}

static void
on_message_bar_response(GtkInfoBar *bar, gint response, GlintTargetView *self)
{
	hide_message(self);
}

static void
on_loop_command_failed(GlintTargetLoop *loop, guint command, const GError *error,
		       GlintTargetView *self)
{
	g_autofree gchar *text = g_strdup_printf(
	    /* TRANSLATORS: a command of the Target tab (Halt, Step, Write
	     * register), then the cause */
	    _("%s failed: %s"), glint_target_command_title((GlintTargetCommand)command),
	    error->message);
	show_message(self, GTK_MESSAGE_ERROR, text);
	/* TRANSLATORS: a line of the log: what went wrong on the Target tab */
	view_log(self, G_LOG_LEVEL_WARNING, _("Target: %s"), text);
}

static void
on_loop_log(GlintTargetLoop *loop, guint level, const char *message, GlintTargetView *self)
{
	g_signal_emit(self, signals[SIGNAL_LOG], 0, level, message);
}

static void
on_halt_clicked(GtkButton *button, GlintTargetView *self)
{
	if (loop_running(self))
		glint_target_loop_halt(self->loop);
}

static void
on_run_clicked(GtkButton *button, GlintTargetView *self)
{
	if (loop_running(self))
		glint_target_loop_run(self->loop);
}

static void
on_step_clicked(GtkButton *button, GlintTargetView *self)
{
	if (loop_running(self))
		glint_target_loop_step(self->loop, 1);
}

static void
on_reset_clicked(GtkButton *button, GlintTargetView *self)
{
	if (loop_running(self))
		glint_target_loop_reset(self->loop, FALSE);
}

static void
on_reset_halt_clicked(GtkButton *button, GlintTargetView *self)
{
	if (loop_running(self))
		glint_target_loop_reset(self->loop, TRUE);
}

static void
on_fault_refresh_clicked(GtkButton *button, GlintTargetView *self)
{
	if (loop_running(self))
		glint_target_loop_refresh_fault(self->loop);
}

/* ---- the ELF ------------------------------------------------------------------ */

typedef struct {
	gchar *chosen;
	gchar *serial;
	gchar *current_path;
	guint64 current_stamp;
	/* out */
	GlintDebugInfo *elf;
	gchar *path;
	guint64 stamp;
	gboolean remembered;
	gboolean changed; /* the remembered file changed since it was programmed */
	gboolean unchanged;
	gchar *warning;
} ElfLoad;

static void
elf_load_free(ElfLoad *load)
{
	g_free(load->chosen);
	g_free(load->serial);
	g_free(load->current_path);
	g_clear_pointer(&load->elf, glint_debug_info_unref);
	g_free(load->path);
	g_free(load->warning);
	g_free(load);
}

static guint64
file_stamp(const char *path)
{
	GStatBuf st;
	if (g_stat(path, &st) != 0)
		return 0;
	return ((guint64)st.st_size << 32) ^ (guint64)st.st_mtime;
}

/* Worker: the ELF chosen, or the one remembered for the probe */
static void
elf_load_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	ElfLoad *load = task_data;
	g_autoptr(GError) error = NULL;

	if (load->chosen != NULL) {
		load->path = g_strdup(load->chosen);
	} else {
		load->path = glint_programmed_lookup(load->serial, &load->changed, &error);
		load->remembered = load->path != NULL;
		if (load->path == NULL) {
			if (error != NULL)
				load->warning = g_strdup(error->message);
			g_task_return_boolean(task, TRUE);
			return;
		}
	}
	load->stamp = file_stamp(load->path);
	if (g_strcmp0(load->path, load->current_path) == 0 && load->stamp == load->current_stamp) {
		load->unchanged = TRUE;
		g_task_return_boolean(task, TRUE);
		return;
	}
	load->elf = glint_debug_info_load(load->path, &error);
	if (load->elf == NULL) {
		if (load->chosen != NULL) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		/* TRANSLATORS: %s is why; "ELF…" is the button */
		load->warning = g_strdup_printf(_("The ELF programmed last through this probe "
						  "cannot be used (%s): choose one with ELF…"),
						error->message);
		g_clear_pointer(&load->path, g_free);
		load->remembered = FALSE;
	}
	g_task_return_boolean(task, TRUE);
}

static void
update_elf_label(GlintTargetView *self)
{
	g_autofree gchar *base = NULL;
	g_autofree gchar *text = NULL;
	if (self->elf == NULL) {
		gtk_label_set_text(self->elf_label, _("No ELF"));
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->elf_label),
					    _("Without the firmware's ELF the fault report, the "
					      "registers and the watch know addresses only"));
		return;
	}
	base = g_path_get_basename(self->elf_path);
	text =
	    /* TRANSLATORS: %s is the ELF's file name */
	    self->elf_remembered ? g_strdup_printf(_("%s (programmed last)"), base)
				 : g_strdup(base);
	gtk_label_set_text(self->elf_label, text);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->elf_label), self->elf_path);
}

static void
log_elf_adopted(GlintTargetView *self, const ElfLoad *load)
{
	if (!load->remembered)
		/* TRANSLATORS: %s is the ELF file's path */
		view_log(self, G_LOG_LEVEL_INFO, _("Target: names from %s"), self->elf_path);
	else if (!load->changed)
		view_log(self, G_LOG_LEVEL_INFO,
			 _("Target: names from %s, the ELF programmed last through this probe"),
			 self->elf_path);
	else
		view_log(self, G_LOG_LEVEL_INFO,
			 _("Target: names from %s, the ELF programmed last through this probe "
			   "(it changed since: its symbols may not match the chip)"),
			 self->elf_path);
}

/* The ELF in use changed: everything that names things follows */
static void
adopt_elf(GlintTargetView *self, ElfLoad *load)
{
	g_clear_pointer(&self->elf, glint_debug_info_unref);
	self->elf = g_steal_pointer(&load->elf);
	g_free(self->elf_path);
	self->elf_path = self->elf != NULL ? g_strdup(load->path) : NULL;
	self->elf_remembered = load->remembered;
	self->elf_stamp = load->stamp;
	update_elf_label(self);
	if (self->elf != NULL)
		log_elf_adopted(self, load);
	if (loop_running(self))
		glint_target_loop_set_elf(self->loop, self->elf);
	send_watch(self);
	show_registers(self);
	update_state_label(self);
}

static void
on_elf_loaded(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GlintTargetView *self = GLINT_TARGET_VIEW(source);
	ElfLoad *load = g_task_get_task_data(G_TASK(res));
	g_autoptr(GError) error = NULL;

	/* a newer request replaced this one (or the view is going) */
	if (g_task_get_cancellable(G_TASK(res)) != self->elf_cancellable)
		return;
	g_clear_object(&self->elf_cancellable);
	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_autofree gchar *text =
		    g_strdup_printf(_("Cannot use that ELF: %s"), error->message);
		/* the choice that failed is not kept: the one before stays */
		g_clear_pointer(&self->elf_chosen, g_free);
		show_message(self, GTK_MESSAGE_ERROR, text);
		view_log(self, G_LOG_LEVEL_WARNING, _("Target: %s"), text);
		return;
	}
	if (load->warning != NULL) {
		show_message(self, GTK_MESSAGE_WARNING, load->warning);
		view_log(self, G_LOG_LEVEL_WARNING, _("Target: %s"), load->warning);
	}
	if (!load->unchanged)
		adopt_elf(self, load);
}

static void
request_elf(GlintTargetView *self)
{
	g_autoptr(GTask) task = NULL;
	ElfLoad *load;
	GlintTransport *transport;

	if (self->elf_chosen == NULL && self->session == NULL)
		return;
	if (self->elf_cancellable != NULL)
		g_cancellable_cancel(self->elf_cancellable);
	g_clear_object(&self->elf_cancellable);
	self->elf_cancellable = g_cancellable_new();
	load = g_new0(ElfLoad, 1);
	load->chosen = g_strdup(self->elf_chosen);
	if (self->session != NULL) {
		transport = glint_session_get_transport(self->session);
		load->serial = g_strdup(glint_transport_get_info(transport)->serial);
	}
	load->current_path = g_strdup(self->elf_path);
	load->current_stamp = self->elf_stamp;
	task = g_task_new(self, self->elf_cancellable, on_elf_loaded, NULL);
	g_task_set_task_data(task, load, (GDestroyNotify)elf_load_free);
	g_task_set_check_cancellable(task, FALSE);
	g_task_run_in_thread(task, elf_load_thread);
}

void
glint_target_view_set_elf(GlintTargetView *self, const char *path)
{
	g_free(self->elf_chosen);
	self->elf_chosen = g_strdup(path);
	request_elf(self);
}

gboolean
glint_target_view_is_loading_elf(GlintTargetView *self)
{
	return self->elf_cancellable != NULL;
}

const char *
glint_target_view_get_elf_path(GlintTargetView *self)
{
	return self->elf_path;
}

static void
on_elf_dialog_response(GtkNativeDialog *dialog, gint response, GlintTargetView *self)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
		if (path != NULL)
			glint_target_view_set_elf(self, path);
	}
	g_object_unref(dialog);
}

static void
on_elf_clicked(GtkButton *button, GlintTargetView *self)
{
	GtkWidget *toplevel = gtk_widget_get_toplevel(GTK_WIDGET(self));
	GtkFileChooserNative *dialog =
	    gtk_file_chooser_native_new(_("Choose the Firmware's ELF File"),
					GTK_IS_WINDOW(toplevel) ? GTK_WINDOW(toplevel) : NULL,
					GTK_FILE_CHOOSER_ACTION_OPEN, _("_Use"), _("_Cancel"));
	GtkFileFilter *elf = gtk_file_filter_new();
	GtkFileFilter *all = gtk_file_filter_new();
	gtk_file_filter_set_name(elf, _("ELF files (*.elf, *.axf, *.out)"));
	gtk_file_filter_add_pattern(elf, "*.elf");
	gtk_file_filter_add_pattern(elf, "*.axf");
	gtk_file_filter_add_pattern(elf, "*.out");
	gtk_file_filter_set_name(all, _("All files"));
	gtk_file_filter_add_pattern(all, "*");
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(dialog), elf);
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(dialog), all);
	if (self->elf_path != NULL)
		gtk_file_chooser_set_filename(GTK_FILE_CHOOSER(dialog), self->elf_path);
	g_signal_connect(dialog, "response", G_CALLBACK(on_elf_dialog_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

/* ---- the live watch ----------------------------------------------------------- */

static gdouble
watch_rate(GlintTargetView *self)
{
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->watch_rate));
	gdouble rate = id != NULL ? g_ascii_strtod(id, NULL) : 10.0;
	return rate > 0 ? rate : 10.0;
}

static gboolean
watch_row_iter(GlintTargetView *self, guint row, GtkTreeIter *iter)
{
	return gtk_tree_model_iter_nth_child(GTK_TREE_MODEL(self->watch_store), iter, NULL,
					     (gint)row);
}

/* The watch the loop samples, from the rows that the ELF in use knows;
 * the others say why they are not read */
static GlintWatch *
build_watch(GlintTargetView *self)
{
	GlintWatch *watch = glint_watch_new(self->elf);
	g_array_set_size(self->watch_map, 0);
	for (guint i = 0; i < self->watch_exprs->len; i++) {
		g_autoptr(GError) error = NULL;
		GtkTreeIter iter;
		if (!watch_row_iter(self, i, &iter))
			continue;
		if (glint_watch_add(watch, g_ptr_array_index(self->watch_exprs, i), &error)) {
			const GlintWatchItem *item =
			    glint_watch_get_item(watch, glint_watch_get_n_items(watch) - 1);
			g_autofree gchar *type = glint_type_describe(item->type);
			g_array_append_val(self->watch_map, i);
			gtk_list_store_set(self->watch_store, &iter, WATCH_COL_TYPE, type, -1);
		} else {
			gtk_list_store_set(self->watch_store, &iter, WATCH_COL_TYPE, "",
					   WATCH_COL_VALUE, error->message, -1);
		}
	}
	return watch;
}

static void
send_watch(GlintTargetView *self)
{
	GlintWatch *watch;
	if (!loop_running(self))
		return;
	self->watch_generation++;
	watch = self->watch_exprs->len > 0 ? build_watch(self) : NULL;
	glint_target_loop_set_watch(self->loop, watch, watch_rate(self), self->watch_generation);
}

/* A name needs the ELF; the core's own words for everything else */
static gboolean
check_watch_expression(GlintTargetView *self, const char *expression, GError **error)
{
	g_autoptr(GlintWatch) probe = glint_watch_new(self->elf);
	if (self->elf == NULL && strchr(expression, ':') == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    /* TRANSLATORS: %s is what the user typed; "ELF…" is the button */
			    _("%s: a name needs the firmware's ELF: choose it with ELF… (or "
			      "program an ELF), or give an address with a type (0x20000000:u32)"),
			    expression);
		return FALSE;
	}
	return glint_watch_add(probe, expression, error);
}

gboolean
glint_target_view_add_watch(GlintTargetView *self, const char *expression, GError **error)
{
	g_autofree gchar *expr = g_strstrip(g_strdup(expression));
	GtkTreeIter iter;
	guint series;

	if (expr[0] == '\0') {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("Type a variable's name (counter, state.x) or an address with "
		      "a type (0x20000000:u32)"));
		return FALSE;
	}
	for (guint i = 0; i < self->watch_exprs->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->watch_exprs, i), expr) == 0) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("%s is watched already"), expr);
			return FALSE;
		}
	}
	if (!check_watch_expression(self, expr, error))
		return FALSE;
	series = glint_watch_plot_add_series(self->plot, expr);
	g_ptr_array_add(self->watch_exprs, g_strdup(expr));
	gtk_list_store_append(self->watch_store, &iter);
	gtk_list_store_set(self->watch_store, &iter, WATCH_COL_EXPRESSION, expr, WATCH_COL_VALUE,
			   loop_running(self) ? "…" : _("(read while the tab is open)"),
			   WATCH_COL_COLOR, glint_watch_plot_get_color(self->plot, series), -1);
	send_watch(self);
	if (!loop_running(self))
		g_array_set_size(self->watch_map, 0);
	return TRUE;
}

static void
on_watch_add_clicked(GtkWidget *widget, GlintTargetView *self)
{
	g_autoptr(GError) error = NULL;
	if (!glint_target_view_add_watch(self, gtk_entry_get_text(self->watch_entry), &error)) {
		gtk_label_set_text(self->watch_status, error->message);
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->watch_status), error->message);
		return;
	}
	gtk_entry_set_text(self->watch_entry, "");
	gtk_label_set_text(self->watch_status, _("Read while the core runs, without halting it."));
}

static void
on_watch_remove_clicked(GtkButton *button, GlintTargetView *self)
{
	GtkTreeSelection *selection = gtk_tree_view_get_selection(self->watch_view);
	GtkTreeModel *model = NULL;
	GtkTreeIter iter;
	g_autoptr(GtkTreePath) path = NULL;
	gint row;

	if (!gtk_tree_selection_get_selected(selection, &model, &iter)) {
		gtk_label_set_text(self->watch_status, _("Select the item to remove first."));
		return;
	}
	path = gtk_tree_model_get_path(model, &iter);
	row = gtk_tree_path_get_indices(path)[0];
	gtk_list_store_remove(self->watch_store, &iter);
	g_ptr_array_remove_index(self->watch_exprs, (guint)row);
	glint_watch_plot_remove_series(self->plot, (guint)row);
	gtk_widget_queue_draw(self->watch_plot);
	send_watch(self);
}

static void
on_watch_rate_changed(GtkComboBox *combo, GlintTargetView *self)
{
	send_watch(self);
}

static void
on_loop_watch_sample(GlintTargetLoop *loop, const GlintWatchSample *sample, guint generation,
		     GlintTargetView *self)
{
	gdouble t;
	if (generation != self->watch_generation || sample->text->len != self->watch_map->len)
		return;
	/* the device's own clock when it is modelled: the plot shows the
	 * firmware's time, whatever the host was doing */
	t = sample->device_time_ns >= 0 ? sample->device_time_ns / 1e9 : sample->host_time_us / 1e6;
	if (!self->have_time0) {
		self->time0 = t;
		self->have_time0 = TRUE;
	}
	for (guint k = 0; k < sample->text->len; k++) {
		guint row = g_array_index(self->watch_map, guint, k);
		GtkTreeIter iter;
		if (!watch_row_iter(self, row, &iter))
			continue;
		gtk_list_store_set(self->watch_store, &iter, WATCH_COL_VALUE,
				   (const char *)g_ptr_array_index(sample->text, k), -1);
		if (!isnan(sample->numbers[k]))
			glint_watch_plot_add_point(self->plot, row, t - self->time0,
						   sample->numbers[k]);
	}
	gtk_widget_queue_draw(self->watch_plot);
}

static void
on_loop_watch_failed(GlintTargetLoop *loop, const GError *error, GlintTargetView *self)
{
	g_autofree gchar *text =
	    g_strdup_printf(_("Watch stopped: %s (change the list to try again)"), error->message);
	gtk_label_set_text(self->watch_status, text);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->watch_status), text);
}

static gboolean
on_watch_plot_draw(GtkWidget *widget, cairo_t *cr, GlintTargetView *self)
{
	GtkStyleContext *style = gtk_widget_get_style_context(widget);
	gint width = gtk_widget_get_allocated_width(widget);
	gint height = gtk_widget_get_allocated_height(widget);
	gtk_render_background(style, cr, 0, 0, width, height);
	glint_watch_plot_draw(self->plot, style, cr, width, height);
	return FALSE;
}

gchar *
glint_target_view_dup_watch_value(GlintTargetView *self, guint index)
{
	gchar *value = NULL;
	GtkTreeIter iter;
	if (!watch_row_iter(self, index, &iter))
		return NULL;
	gtk_tree_model_get(GTK_TREE_MODEL(self->watch_store), &iter, WATCH_COL_VALUE, &value, -1);
	return value;
}

guint
glint_target_view_get_plot_points(GlintTargetView *self, guint index)
{
	return glint_watch_plot_get_n_points(self->plot, index);
}

/* ---- SWO -------------------------------------------------------------------- */

static void
set_toggle(GlintTargetView *self, GtkToggleButton *toggle, gboolean on)
{
	self->syncing = TRUE;
	gtk_toggle_button_set_active(toggle, on);
	gtk_button_set_label(GTK_BUTTON(toggle), on ? _("Stop") : _("Start"));
	self->syncing = FALSE;
}

/* An entry's number, 0 when empty; its error names the entry */
typedef enum { SWO_ENTRY_BAUD, SWO_ENTRY_CLOCK } SwoEntry;

static gboolean
entry_number(GtkEntry *entry, SwoEntry which, guint32 *value, GError **error)
{
	g_autofree gchar *t = g_strstrip(g_strdup(gtk_entry_get_text(entry)));
	guint64 v = 0;
	*value = 0;
	if (t[0] == '\0')
		return TRUE;
	if (!g_ascii_string_to_unsigned(t, 10, 1, G_MAXUINT32, &v, NULL)) {
		if (which == SWO_ENTRY_BAUD)
			/* TRANSLATORS: %s is what the user typed */
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Baud “%s” is not a number of Hz: give e.g. 2000000, or "
				      "leave it empty"),
				    t);
		else
			/* TRANSLATORS: %s is what the user typed */
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("Clock “%s” is not a number of Hz: give e.g. 2000000, or "
				      "leave it empty"),
				    t);
		return FALSE;
	}
	*value = (guint32)v;
	return TRUE;
}

static void
on_swo_toggled(GtkToggleButton *toggle, GlintTargetView *self)
{
	GlintSwoConfig config = {0};
	g_autoptr(GError) error = NULL;

	if (self->syncing)
		return;
	if (!gtk_toggle_button_get_active(toggle)) {
		if (loop_running(self))
			glint_target_loop_swo_stop(self->loop);
		set_toggle(self, toggle, FALSE);
		return;
	}
	if (!loop_running(self) ||
	    !entry_number(self->swo_baud, SWO_ENTRY_BAUD, &config.baud, &error) ||
	    !entry_number(self->swo_clock, SWO_ENTRY_CLOCK, &config.core_clock_hz, &error)) {
		if (error != NULL)
			show_message(self, GTK_MESSAGE_WARNING, error->message);
		set_toggle(self, toggle, FALSE);
		return;
	}
	self->swo_overflows = 0;
	set_toggle(self, toggle, TRUE);
	gtk_label_set_text(self->swo_status,
			   config.core_clock_hz == 0
			       ? _("Starting: measuring the core clock (the core runs)…")
			       : _("Starting…"));
	glint_target_loop_swo_start(self->loop, &config);
}

static void
on_loop_swo_started(GlintTargetLoop *loop, const GlintTargetTrace *trace, GlintTargetView *self)
{
	/* the core's own log line says how it chose them */
	g_autofree gchar *text =
	    trace->swo.clock_measured
		? g_strdup_printf(_("Capturing at %u baud, core clock %.3f MHz (measured)"),
				  trace->swo.baud, trace->swo.core_clock_hz / 1e6)
		: g_strdup_printf(_("Capturing at %u baud, core clock %.3f MHz (as given)"),
				  trace->swo.baud, trace->swo.core_clock_hz / 1e6);
	gtk_label_set_text(self->swo_status, text);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->swo_status), text);
}

static void
on_loop_swo_packets(GlintTargetLoop *loop, const GArray *packets, guint overflows,
		    GlintTargetView *self)
{
	for (guint i = 0; i < packets->len; i++) {
		const GlintItmPacket *p = &g_array_index(packets, GlintItmPacket, i);
		g_autofree gchar *line = NULL;
		if (p->port == 0) {
			glint_console_append_text(self->swo_console, p->payload, p->size);
			continue;
		}
		/* as glint-cli swo prints it, in every language: a saved console
		 * reads like the CLI's output */
		line = g_strdup_printf("[port %u] 0x%0*X", p->port, (int)(2 * p->size), p->value);
		glint_console_append_tagged(self->swo_console, line);
	}
	if (overflows > 0) {
		g_autofree gchar *text = NULL;
		self->swo_overflows += overflows;
		text =
		    g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
						"The ITM lost data %u time (its FIFO was full): "
						"a faster baud rate helps.",
						"The ITM lost data %u times (its FIFO was full): "
						"a faster baud rate helps.",
						self->swo_overflows),
				    self->swo_overflows);
		gtk_label_set_text(self->swo_status, text);
	}
}

static void
on_loop_swo_stopped(GlintTargetLoop *loop, const GError *error, GlintTargetView *self)
{
	set_toggle(self, self->swo_toggle, FALSE);
	if (error != NULL) {
		g_autofree gchar *text = g_strdup_printf(_("SWO stopped: %s"), error->message);
		gtk_label_set_text(self->swo_status, text);
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->swo_status), text);
		show_message(self, GTK_MESSAGE_WARNING, text);
		view_log(self, G_LOG_LEVEL_WARNING, _("Target: %s"), text);
		return;
	}
	gtk_label_set_text(self->swo_status, _("Stopped."));
}

static void
on_swo_clear_clicked(GtkButton *button, GlintTargetView *self)
{
	glint_console_clear(self->swo_console);
}

/* ---- RTT -------------------------------------------------------------------- */

/* Where the control block is: at the ELF's _SEGGER_RTT, else searched for */
static void
rtt_options(GlintTargetView *self, GlintRttOptions *options)
{
	guint32 address = 0;
	memset(options, 0, sizeof(*options));
	if (self->elf != NULL &&
	    glint_debug_info_lookup_address(self->elf, RTT_SYMBOL, &address, NULL, NULL) &&
	    address % 4 == 0) {
		options->has_address = TRUE;
		options->address = address;
	}
}

static void
on_rtt_toggled(GtkToggleButton *toggle, GlintTargetView *self)
{
	GlintRttOptions options;
	g_autofree gchar *where = NULL;

	if (self->syncing)
		return;
	if (!gtk_toggle_button_get_active(toggle)) {
		if (loop_running(self))
			glint_target_loop_rtt_stop(self->loop);
		set_toggle(self, toggle, FALSE);
		return;
	}
	if (!loop_running(self)) {
		set_toggle(self, toggle, FALSE);
		return;
	}
	rtt_options(self, &options);
	where = options.has_address
		    /* TRANSLATORS: the symbol, its address, then the ELF file */
		    ? g_strdup_printf(_("Control block at %s (0x%08X, from %s)…"), RTT_SYMBOL,
				      options.address, self->elf_path)
		    : g_strdup(_("Looking for the control block in the SRAM…"));
	gtk_label_set_text(self->rtt_where, where);
	set_toggle(self, toggle, TRUE);
	glint_target_loop_rtt_start(self->loop, &options);
}

static void
on_loop_rtt_started(GlintTargetLoop *loop, const GlintTargetTrace *trace, GlintTargetView *self)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_strfreev(self->rtt_names);
	self->rtt_names = g_strdupv(trace->up_names);
	self->rtt_can_send = trace->rtt_down;
	g_autoptr(GString) channels = g_string_new(NULL);
	for (guint i = 0; i < trace->n_up; i++) {
		if (i > 0)
			g_string_append(channels, ", ");
		if (trace->up_names[i][0] != '\0')
			/* TRANSLATORS: an RTT channel's number and the name the
			 * firmware gave it: 0 “Terminal” */
			g_string_append_printf(channels, _("%u “%s”"), i, trace->up_names[i]);
		else
			g_string_append_printf(channels, "%u", i);
	}
	g_string_append_printf(text,
			       g_dngettext(GETTEXT_PACKAGE,
					   /* TRANSLATORS: the address, then the up
					    * channels' numbers and names: 0 “Terminal”, 1 */
					   "Control block at 0x%08X; up channel %s",
					   "Control block at 0x%08X; up channels %s", trace->n_up),
			       trace->rtt_address, channels->str);
	if (!trace->rtt_down)
		g_string_append(text, _("; no down channel: nothing can be sent"));
	gtk_label_set_text(self->rtt_where, text->str);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->rtt_where), text->str);
	gtk_label_set_text(self->rtt_status,
			   _("Channel 0 as text, the other channels as tagged lines."));
	update_sensitivity(self);
}

static void
on_loop_rtt_data(GlintTargetLoop *loop, guint channel, GBytes *bytes, GlintTargetView *self)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	g_autofree gchar *tag = NULL;
	if (channel == 0) {
		glint_console_append_text(self->rtt_console, data, len);
		return;
	}
	/* the tags read as glint-cli rtt prints them, in every language */
	tag = self->rtt_names != NULL && channel < g_strv_length(self->rtt_names) &&
		      self->rtt_names[channel][0] != '\0'
		  ? g_strdup_printf("channel %u %s", channel, self->rtt_names[channel])
		  : g_strdup_printf("channel %u", channel);
	glint_console_append_stream(self->rtt_console, channel, tag, data, len);
}

static void
on_loop_rtt_pending(GlintTargetLoop *loop, guint64 pending, GlintTargetView *self)
{
	g_autofree gchar *text =
	    pending == 0
		? g_strdup(_("Sent: the target has read all of it."))
		: g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
					      "%" PRIu64 " byte waits for the target to read its "
					      "down channel 0.",
					      "%" PRIu64 " bytes wait for the target to read its "
					      "down channel 0.",
					      (gulong)MIN(pending, G_MAXULONG)),
				  pending);
	gtk_label_set_text(self->rtt_status, text);
}

static void
on_loop_rtt_stopped(GlintTargetLoop *loop, const GError *error, GlintTargetView *self)
{
	self->rtt_can_send = FALSE;
	glint_console_flush(self->rtt_console);
	set_toggle(self, self->rtt_toggle, FALSE);
	update_sensitivity(self);
	if (error != NULL) {
		g_autofree gchar *text = g_strdup_printf(_("RTT stopped: %s"), error->message);
		gtk_label_set_text(self->rtt_status, text);
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->rtt_status), text);
		show_message(self, GTK_MESSAGE_WARNING, text);
		view_log(self, G_LOG_LEVEL_WARNING, _("Target: %s"), text);
		return;
	}
	gtk_label_set_text(self->rtt_status, _("Stopped."));
}

static void
on_rtt_send_clicked(GtkWidget *widget, GlintTargetView *self)
{
	g_autofree gchar *line = NULL;
	if (!loop_running(self) || !self->rtt_can_send) {
		gtk_label_set_text(
		    self->rtt_status,
		    _("Nothing was sent: start RTT first (the firmware needs a down channel 0)."));
		return;
	}
	/* a line, as a terminal sends it */
	line = g_strconcat(gtk_entry_get_text(self->rtt_input), "\n", NULL);
	glint_target_loop_rtt_send(self->loop, (const guint8 *)line, strlen(line));
	gtk_entry_set_text(self->rtt_input, "");
}

static void
on_rtt_clear_clicked(GtkButton *button, GlintTargetView *self)
{
	glint_console_clear(self->rtt_console);
}

/* ---- saving the consoles --------------------------------------------------------- */

static GlintConsole *
console_of(GlintTargetView *self, GlintTargetConsole console)
{
	return console == GLINT_TARGET_CONSOLE_SWO ? self->swo_console : self->rtt_console;
}

gchar *
glint_target_view_get_console_text(GlintTargetView *self, GlintTargetConsole console)
{
	return glint_console_get_text(console_of(self, console));
}

gboolean
glint_target_view_save_console(GlintTargetView *self, GlintTargetConsole console, const char *path,
			       gboolean replace, GError **error)
{
	GlintConsole *c = console_of(self, console);
	if (!glint_console_save(c, path, replace, error))
		return FALSE;
	if (glint_console_get_dropped(c) > 0)
		view_log(self, G_LOG_LEVEL_INFO,
			 /* TRANSLATORS: the file, the number of characters dropped,
			  * the console's limit */
			 _("Saved to %s; the console had dropped %" PRIu64
			   " older characters to stay within %u"),
			 path, glint_console_get_dropped(c), GLINT_TARGET_CONSOLE_MAX_CHARS);
	else
		view_log(self, G_LOG_LEVEL_INFO, _("Saved to %s"), path);
	return TRUE;
}

static void
on_save_dialog_response(GtkNativeDialog *dialog, gint response, GlintTargetView *self)
{
	GlintTargetConsole console =
	    (GlintTargetConsole)GPOINTER_TO_INT(g_object_get_data(G_OBJECT(dialog), "console"));
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autofree gchar *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
		g_autoptr(GError) error = NULL;
		/* the chooser asked before replacing a file */
		if (path != NULL &&
		    !glint_target_view_save_console(self, console, path, TRUE, &error))
			show_message(self, GTK_MESSAGE_ERROR, error->message);
	}
	g_object_unref(dialog);
}

static void
save_console_dialog(GlintTargetView *self, GlintTargetConsole console)
{
	GtkWidget *toplevel = gtk_widget_get_toplevel(GTK_WIDGET(self));
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
	g_autofree gchar *name = g_strdup_printf(
	    "%s-%s.txt", console == GLINT_TARGET_CONSOLE_SWO ? "swo" : "rtt", stamp);
	GtkFileChooserNative *dialog = gtk_file_chooser_native_new(
	    console == GLINT_TARGET_CONSOLE_SWO ? _("Save the SWO Output")
						: _("Save the RTT Output"),
	    GTK_IS_WINDOW(toplevel) ? GTK_WINDOW(toplevel) : NULL, GTK_FILE_CHOOSER_ACTION_SAVE,
	    _("_Save"), _("_Cancel"));
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(dialog), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dialog), name);
	g_object_set_data(G_OBJECT(dialog), "console", GINT_TO_POINTER(console));
	g_signal_connect(dialog, "response", G_CALLBACK(on_save_dialog_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

static void
on_swo_save_clicked(GtkButton *button, GlintTargetView *self)
{
	save_console_dialog(self, GLINT_TARGET_CONSOLE_SWO);
}

static void
on_rtt_save_clicked(GtkButton *button, GlintTargetView *self)
{
	save_console_dialog(self, GLINT_TARGET_CONSOLE_RTT);
}

/* ---- the worker's life ------------------------------------------------------ */

static void
on_loop_stopped(GlintTargetLoop *loop, const GError *error, GlintTargetView *self)
{
	g_autoptr(GlintTargetLoop) ended = g_steal_pointer(&self->loop);
	g_autoptr(GError) copy = error != NULL ? g_error_copy(error) : NULL;

	g_signal_handlers_disconnect_by_data(ended, self);
	self->have_core = FALSE;
	self->rtt_can_send = FALSE;
	set_toggle(self, self->swo_toggle, FALSE);
	set_toggle(self, self->rtt_toggle, FALSE);
	glint_console_flush(self->rtt_console);
	if (error != NULL) {
		g_autofree gchar *text = g_strdup_printf(
		    _("Lost the target: %s. Open the tab again (or reconnect) to retry."),
		    error->message);
		self->failed = TRUE;
		show_message(self, GTK_MESSAGE_ERROR, text);
		view_log(self, G_LOG_LEVEL_CRITICAL, _("Target: %s"), text);
	}
	show_registers(self);
	update_all(self);
	g_signal_emit(self, signals[SIGNAL_STOPPED], 0, copy);
	/* wanted again meanwhile (another session, the tab shown again) */
	update_loop(self);
}

static void
start_loop(GlintTargetView *self)
{
	self->loop = glint_target_loop_new(self->session);
	g_signal_connect(self->loop, "core-changed", G_CALLBACK(on_loop_core_changed), self);
	g_signal_connect(self->loop, "fault", G_CALLBACK(on_loop_fault), self);
	g_signal_connect(self->loop, "watch-sample", G_CALLBACK(on_loop_watch_sample), self);
	g_signal_connect(self->loop, "watch-failed", G_CALLBACK(on_loop_watch_failed), self);
	g_signal_connect(self->loop, "swo-started", G_CALLBACK(on_loop_swo_started), self);
	g_signal_connect(self->loop, "swo-packets", G_CALLBACK(on_loop_swo_packets), self);
	g_signal_connect(self->loop, "swo-stopped", G_CALLBACK(on_loop_swo_stopped), self);
	g_signal_connect(self->loop, "rtt-started", G_CALLBACK(on_loop_rtt_started), self);
	g_signal_connect(self->loop, "rtt-data", G_CALLBACK(on_loop_rtt_data), self);
	g_signal_connect(self->loop, "rtt-pending", G_CALLBACK(on_loop_rtt_pending), self);
	g_signal_connect(self->loop, "rtt-stopped", G_CALLBACK(on_loop_rtt_stopped), self);
	g_signal_connect(self->loop, "command-failed", G_CALLBACK(on_loop_command_failed), self);
	g_signal_connect(self->loop, "log", G_CALLBACK(on_loop_log), self);
	g_signal_connect(self->loop, "stopped", G_CALLBACK(on_loop_stopped), self);
	self->have_core = FALSE;
	memset(&self->core, 0, sizeof(self->core));
	glint_target_loop_start(self->loop);
	glint_target_loop_set_elf(self->loop, self->elf);
	send_watch(self);
	update_all(self);
}

/* Runs the worker while the view may use a connected target; a worker
 * asked to stop is waited for ("stopped") before another starts */
static void
update_loop(GlintTargetView *self)
{
	gboolean wanted = self->active && !self->failed && self->session != NULL &&
			  glint_session_is_connected(self->session);
	if (self->loop != NULL) {
		if (!wanted || glint_target_loop_get_session(self->loop) != self->session)
			glint_target_loop_stop(self->loop);
		return;
	}
	if (wanted)
		start_loop(self);
	update_all(self);
}

void
glint_target_view_set_session(GlintTargetView *self, GlintSession *session)
{
	if (session == self->session)
		return;
	g_clear_pointer(&self->session, glint_session_unref);
	self->session = session != NULL ? glint_session_ref(session) : NULL;
	self->failed = FALSE;
	/* another target: another clock, and its own ELF */
	glint_watch_plot_clear_points(self->plot);
	self->have_time0 = FALSE;
	gtk_widget_queue_draw(self->watch_plot);
	if (session != NULL)
		request_elf(self);
	update_loop(self);
	update_all(self);
}

void
glint_target_view_set_active(GlintTargetView *self, gboolean active)
{
	if (active == self->active)
		return;
	self->active = active;
	if (active) {
		self->failed = FALSE;
		/* something may have been programmed since */
		if (self->elf_chosen == NULL)
			request_elf(self);
	}
	update_loop(self);
}

gboolean
glint_target_view_is_running(GlintTargetView *self)
{
	return self->loop != NULL;
}

/* ---- what tests and the window read ------------------------------------------ */

const char *
glint_target_view_get_state_text(GlintTargetView *self)
{
	return self->state_text;
}

gboolean
glint_target_view_get_core_state(GlintTargetView *self, GlintCoreState *state)
{
	if (!loop_running(self) || !self->have_core)
		return FALSE;
	*state = self->core.status.state;
	return TRUE;
}

gboolean
glint_target_view_get_register(GlintTargetView *self, GlintCoreReg reg, guint32 *value)
{
	if (reg >= GLINT_REG_COUNT || !glint_core_regs_has(&self->core.regs, reg))
		return FALSE;
	*value = self->core.regs.value[reg];
	return TRUE;
}

const char *
glint_target_view_get_fault_summary(GlintTargetView *self)
{
	return self->fault_summary_text;
}

gchar *
glint_target_view_get_fault_text(GlintTargetView *self)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->fault_text);
	GtkTextIter start, end;
	gtk_text_buffer_get_bounds(buffer, &start, &end);
	return gtk_text_buffer_get_text(buffer, &start, &end, FALSE);
}

/* ---- the widget ------------------------------------------------------------------ */

GtkWidget *
glint_target_view_new(void)
{
	return g_object_new(GLINT_TYPE_TARGET_VIEW, NULL);
}

static void
glint_target_view_dispose(GObject *object)
{
	GlintTargetView *self = GLINT_TARGET_VIEW(object);
	/* the worker ends on its own; nothing it says reaches this view again */
	if (self->loop != NULL) {
		g_signal_handlers_disconnect_by_data(self->loop, self);
		glint_target_loop_stop(self->loop);
		g_clear_object(&self->loop);
	}
	if (self->elf_cancellable != NULL) {
		g_cancellable_cancel(self->elf_cancellable);
		g_clear_object(&self->elf_cancellable);
	}
	g_clear_pointer(&self->swo_console, glint_console_free);
	g_clear_pointer(&self->rtt_console, glint_console_free);
	G_OBJECT_CLASS(glint_target_view_parent_class)->dispose(object);
}

static void
glint_target_view_finalize(GObject *object)
{
	GlintTargetView *self = GLINT_TARGET_VIEW(object);
	g_clear_pointer(&self->session, glint_session_unref);
	g_clear_pointer(&self->elf, glint_debug_info_unref);
	g_free(self->elf_path);
	g_free(self->elf_chosen);
	g_free(self->state_text);
	g_free(self->fault_summary_text);
	g_strfreev(self->rtt_names);
	g_ptr_array_unref(self->watch_exprs);
	g_array_unref(self->watch_map);
	glint_watch_plot_free(self->plot);
	G_OBJECT_CLASS(glint_target_view_parent_class)->finalize(object);
}

/* The info bar's own close button comes without a name */
static void
name_close_buttons(GtkWidget *widget, gpointer name)
{
	if (GTK_IS_BUTTON(widget)) {
		AtkObject *a11y = gtk_widget_get_accessible(widget);
		const char *current = atk_object_get_name(a11y);
		if (current == NULL || current[0] == '\0')
			atk_object_set_name(a11y, name);
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), name_close_buttons, name);
}

static void
glint_target_view_init(GlintTargetView *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->watch_exprs = g_ptr_array_new_with_free_func(g_free);
	self->watch_map = g_array_new(FALSE, FALSE, sizeof(guint));
	self->plot = glint_watch_plot_new();
	self->swo_console = glint_console_new(self->swo_text, GLINT_TARGET_CONSOLE_MAX_CHARS);
	self->rtt_console = glint_console_new(self->rtt_text, GLINT_TARGET_CONSOLE_MAX_CHARS);
	name_close_buttons(GTK_WIDGET(self->message_bar), _("Close the target message"));
	update_elf_label(self);
	show_registers(self);
	update_all(self);
}

#define BIND(name) gtk_widget_class_bind_template_child(widget_class, GlintTargetView, name)
#define CALLBACK(name) gtk_widget_class_bind_template_callback(widget_class, name)

static void
glint_target_view_class_init(GlintTargetViewClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = glint_target_view_dispose;
	object_class->finalize = glint_target_view_finalize;
	signals[SIGNAL_STOPPED] = g_signal_new("stopped", GLINT_TYPE_TARGET_VIEW, G_SIGNAL_RUN_LAST,
					       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
	signals[SIGNAL_LOG] =
	    g_signal_new("log", GLINT_TYPE_TARGET_VIEW, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			 G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/glint/Glint/ui/glint-target-view.ui");
	BIND(state_label);
	BIND(halt_button);
	BIND(run_button);
	BIND(step_button);
	BIND(reset_button);
	BIND(reset_halt_button);
	BIND(elf_label);
	BIND(elf_button);
	BIND(fault_bar);
	BIND(fault_summary);
	BIND(message_bar);
	BIND(message_label);
	BIND(regs_note);
	BIND(regs_view);
	BIND(regs_store);
	BIND(notebook);
	BIND(fault_page);
	BIND(watch_entry);
	BIND(watch_add);
	BIND(watch_remove);
	BIND(watch_rate);
	BIND(watch_view);
	BIND(watch_store);
	BIND(watch_plot);
	BIND(watch_status);
	BIND(swo_toggle);
	BIND(swo_baud);
	BIND(swo_clock);
	BIND(swo_text);
	BIND(swo_status);
	BIND(rtt_toggle);
	BIND(rtt_where);
	BIND(rtt_text);
	BIND(rtt_input);
	BIND(rtt_send);
	BIND(rtt_status);
	BIND(fault_note);
	BIND(fault_text);
	BIND(fault_refresh);
	CALLBACK(on_halt_clicked);
	CALLBACK(on_run_clicked);
	CALLBACK(on_step_clicked);
	CALLBACK(on_reset_clicked);
	CALLBACK(on_reset_halt_clicked);
	CALLBACK(on_elf_clicked);
	CALLBACK(on_fault_bar_response);
	CALLBACK(on_message_bar_response);
	CALLBACK(on_register_edited);
	CALLBACK(on_watch_add_clicked);
	CALLBACK(on_watch_remove_clicked);
	CALLBACK(on_watch_rate_changed);
	CALLBACK(on_watch_plot_draw);
	CALLBACK(on_swo_toggled);
	CALLBACK(on_swo_clear_clicked);
	CALLBACK(on_swo_save_clicked);
	CALLBACK(on_rtt_toggled);
	CALLBACK(on_rtt_clear_clicked);
	CALLBACK(on_rtt_save_clicked);
	CALLBACK(on_rtt_send_clicked);
	CALLBACK(on_fault_refresh_clicked);
}
