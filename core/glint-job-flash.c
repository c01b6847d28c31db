/* glint-job-flash.c: the jobs that touch flash contents: erase, program
 * (through the on-target loader, or directly), verify and read. */
#define G_LOG_DOMAIN "glint-job"

#include "glint-i18n.h"
#include "glint-job-private.h"

#include <string.h>

#include "glint-loader.h"

/* Reads and verify in chunks this big: large enough to keep the probe busy,
 * small enough for smooth progress and prompt cancellation. */
#define READ_CHUNK (16 * 1024)
/* A read larger than this is certainly a typo (no STM32 has that much). */
#define READ_MAX (64 * 1024 * 1024)

/* Units ---------------------------------------------------------------------- */

/* Global indices of the erase units covered by [addr, addr+len), appended in
 * order without repeats; the range lies in flash (checked before). */
static void
add_units(GArray *units, const GlintFlashGeometry *g, guint32 addr, guint64 len)
{
	GlintFlashUnit first, last;

	if (len == 0 || !glint_geometry_unit_at(g, addr, &first) ||
	    !glint_geometry_unit_at(g, (guint32)(addr + len - 1), &last))
		return;
	for (guint u = first.index; u <= last.index; u++) {
		if (units->len > 0 && g_array_index(units, guint, units->len - 1) >= u)
			continue;
		g_array_append_val(units, u);
	}
}

static GlintFlashUnit
unit_of(const GlintFlashGeometry *g, guint index)
{
	GlintFlashUnit unit = {0};
	glint_geometry_get_unit(g, index, &unit);
	return unit;
}

static guint64
units_bytes(const GlintFlashGeometry *g, GArray *units)
{
	guint64 total = 0;
	for (guint i = 0; i < units->len; i++)
		total += unit_of(g, g_array_index(units, guint, i)).size;
	return total;
}

/* How many of @units from position @from on lie in the bank of the first. */
static guint
units_in_bank(const GlintFlashGeometry *g, GArray *units, guint from)
{
	guint bank = unit_of(g, g_array_index(units, guint, from)).bank, n = 1;
	while (from + n < units->len &&
	       unit_of(g, g_array_index(units, guint, from + n)).bank == bank)
		n++;
	return n;
}

static guint64
units_bytes_from(const GlintFlashGeometry *g, GArray *units, guint from, guint n)
{
	guint64 total = 0;
	for (guint i = from; i < from + n; i++)
		total += unit_of(g, g_array_index(units, guint, i)).size;
	return total;
}

static gboolean check_mass_erase(GlintTarget *t, GError **error);

gboolean
glint_job_check_protection(GlintTarget *t, GArray *units, const char *what, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		const GlintProtectionArea *area =
		    glint_option_bytes_protecting(&t->info.options, g, &unit, -1);
		g_autofree gchar *where = NULL;
		g_autofree gchar *covers = NULL;
		if (area == NULL)
			continue;
		where = glint_geometry_describe_unit(g, &unit);
		covers = glint_option_bytes_describe_area(&t->info.options, area, g);
		if (area->type == GLINT_PROTECT_WRP) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_WRITE_PROTECTED,
			    strchr(covers, ',') != NULL
				/* TRANSLATORS: "Cannot erase page 3 (0x...): pages 0-15 (...) are
				 * write-protected by WRP1A. ..."; the first %s is "erase" or
				 * "program" (see the "cannot ..." context) */
				? _("Cannot %s %s: %s are write-protected by %s. Clear it "
				    "in the option bytes (%s=off), then retry. Nothing was "
				    "changed on the chip")
				/* TRANSLATORS: "Cannot erase page 3 (0x...): pages 0-15 (...) are
				 * write-protected by WRP1A. ..."; the first %s is "erase" or
				 * "program" (see the "cannot ..." context) */
				: _("Cannot %s %s: %s is write-protected by %s. Clear it in "
				    "the option bytes (%s=off), then retry. Nothing was "
				    "changed on the chip"),
			    what, where, covers, area->name, area->name);
		} else if (area->flags & GLINT_AREA_FIXED) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    /* TRANSLATORS: the first %s is "erase" or "program", then
			     * the unit, the area's name, what it covers, and why */
			    _("Cannot %s %s: it lies in %s (%s). %s. Nothing was changed on "
			      "the chip"),
			    what, where, area->name, covers, glint_tr(area->consequence));
		} else if (area->type == GLINT_PROTECT_SECURE) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    /* TRANSLATORS: the last %s, a sentence, says how it goes away */
			    _("Cannot %s %s: it lies in %s (%s), a secure area: the "
			      "debugger works on the non-secure side and cannot read, erase "
			      "or program it. %s. Nothing was changed on the chip"),
			    what, where, area->name, covers,
			    area->way_out != NULL
				? glint_tr(area->way_out)
				: _("Only secure code, or a read-protection regression where "
				    "the chip allows it, changes that"));
		} else {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    _("Cannot %s %s: it lies in %s (%s), which the chip keeps "
			      "execute-only: no debugger can read, erase or program it. Only a "
			      "read-protection regression (RDP 1 -> 0) removes it, where the "
			      "chip allows that. Nothing was changed on the chip"),
			    what, where, area->name, covers);
		}
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_job_check_writable(GlintTarget *t, GError **error)
{
	if (t->info.rdp_level > 0) {
		glint_target_set_read_protected_error(t, error);
		return FALSE;
	}
	/* The firmware must not run while its flash changes: a core Glint let
	 * run (attached without halting, or resumed by a job) is halted. */
	if (t->core_running && !glint_target_halt(t, error))
		return FALSE;
	return TRUE;
}

/* Whether @units (sorted global indices) hold every unit of bank @bank. */
static gboolean
covers_bank(const GlintFlashGeometry *g, GArray *units, guint bank)
{
	const GlintFlashBank *b = &g->banks[bank];
	guint n = 0;
	for (guint i = 0; i < units->len; i++) {
		guint u = g_array_index(units, guint, i);
		if (u >= b->first_index && u < b->first_index + b->n_units)
			n++;
	}
	return n == b->n_units;
}

/* The erase plan --------------------------------------------------------------
 *
 * The program job erases the units its image covers in the fastest way that
 * loses nothing, by the datasheet's typical times (GlintEraseTimes, the
 * family's chip data): unit by unit, a bank at once, or the whole chip at
 * once. A bank or chip erase that clears units beyond the image (or, for
 * the L0/L1's RDP regression, the data EEPROM) is used only when all of
 * that is already blank, which the loader's CRCs check first, the check's
 * time counted in the estimate. */

/* Stopping the loader and starting it again around a chip erase that
 * resets the chip: its upload and start (estimate) */
#define LOADER_RESTART_NS G_GINT64_CONSTANT(5000000)

typedef enum {
	UNIT_UNKNOWN = 0,
	UNIT_BLANK,
	UNIT_HOLDS_DATA,
} UnitState;

typedef struct {
	GlintEraseTimes times;
	gboolean have_times;
	gboolean can_check;	  /* a loader runs to CRC what lies beyond the image */
	gint64 check_ns_per_byte; /* its CRC of flash, an estimate */
	gboolean chip_allowed;	  /* a whole-chip erase is possible now */
	gboolean *wanted;	  /* per global unit: the image needs it erased */
	guint8 *state;		  /* per global unit beyond the image: UnitState */
	UnitState regions;	  /* the data EEPROM, for a chip erase that clears it */
	guint64 region_bytes;	  /* its size */
	/* the choice */
	gboolean chip;
	gboolean bank[GLINT_GEOMETRY_MAX_BANKS];
	gint64 ns;	 /* the estimate of the choice */
	gint64 units_ns; /* unit by unit */
} ErasePlan;

static void
erase_plan_clear(ErasePlan *plan)
{
	g_clear_pointer(&plan->wanted, g_free);
	g_clear_pointer(&plan->state, g_free);
}

static gint64
unit_erase_ns(const GlintEraseTimes *times, guint32 size)
{
	for (guint i = 0; i < times->n_units; i++) {
		if (size <= times->units[i].size)
			return times->units[i].ns;
	}
	return times->n_units > 0 ? times->units[times->n_units - 1].ns : 0;
}

/* The cost of checking the units of bank @bank beyond the image, or -1
 * when something there holds data, is protected, or cannot be checked. */
static gint64
beyond_image_check_ns(GlintTarget *t, const ErasePlan *plan, guint bank)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	const GlintFlashBank *b = &g->banks[bank];
	guint64 unknown = 0;

	for (guint u = b->first_index; u < b->first_index + b->n_units; u++) {
		GlintFlashUnit unit = unit_of(g, u);
		if (plan->wanted[u])
			continue;
		if (plan->state[u] == UNIT_HOLDS_DATA ||
		    glint_option_bytes_protecting(&t->info.options, g, &unit, -1) != NULL)
			return -1;
		if (plan->state[u] == UNIT_UNKNOWN)
			unknown += unit.size;
	}
	if (unknown > 0 && !plan->can_check)
		return -1;
	return (gint64)unknown * plan->check_ns_per_byte;
}

/* Chooses, per bank, unit erases or a bank erase, and across banks one
 * chip erase, by the estimates. Without figures: a bank at once where the
 * image covers it whole, as the chip's bank erase is never slower there. */
static void
erase_plan_choose(GlintTarget *t, ErasePlan *plan)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gint64 per_bank = 0, chip_check = 0;
	gboolean chip = plan->chip_allowed && plan->have_times && plan->times.chip_ns > 0;
	guint n_wanted = 0;

	plan->units_ns = 0;
	plan->chip = FALSE;
	for (guint b = 0; b < g->n_banks; b++) {
		const GlintFlashBank *bank = &g->banks[b];
		gint64 units_ns = 0, check;
		guint n = 0;
		for (guint u = bank->first_index; u < bank->first_index + bank->n_units; u++) {
			if (!plan->wanted[u])
				continue;
			n++;
			if (plan->have_times)
				units_ns += unit_erase_ns(&plan->times, unit_of(g, u).size);
		}
		n_wanted += n;
		check = beyond_image_check_ns(t, plan, b);
		plan->bank[b] = FALSE;
		if (check < 0)
			chip = FALSE;
		else
			chip_check += check;
		plan->units_ns += units_ns;
		if (n == 0)
			continue;
		if (!plan->have_times) {
			plan->bank[b] = t->flash->erase_bank != NULL && n == bank->n_units;
			continue;
		}
		/* the check is paid even when it finds data and saves nothing:
		 * the gain must cover it twice */
		if (t->flash->erase_bank != NULL && check >= 0 && plan->times.bank_ns > 0 &&
		    plan->times.bank_ns + 2 * check < units_ns) {
			plan->bank[b] = TRUE;
			per_bank += plan->times.bank_ns + check;
		} else {
			per_bank += units_ns;
		}
	}
	plan->ns = plan->have_times ? per_bank : 0;
	if (!chip || n_wanted == 0)
		return;
	if (plan->times.chip_erase_clears_regions) {
		if (plan->regions == UNIT_HOLDS_DATA ||
		    (plan->regions == UNIT_UNKNOWN && !plan->can_check))
			return;
		if (plan->regions == UNIT_UNKNOWN)
			chip_check += (gint64)plan->region_bytes * plan->check_ns_per_byte;
	}
	chip_check += plan->times.chip_erase_resets ? LOADER_RESTART_NS : 0;
	if (plan->times.chip_ns + 2 * chip_check < per_bank) {
		plan->chip = TRUE;
		plan->ns = plan->times.chip_ns + chip_check;
		for (guint b = 0; b < g->n_banks; b++)
			plan->bank[b] = FALSE;
	}
}

/* Sets up @plan for erasing @units of @t's flash; @check_with: the
 * loader that checks what lies beyond the image (NULL: none runs);
 * @chip_erase_possible: the whole-chip erase this path would use
 * exists (a loader's erase-all, the driver's mass erase). */
static void
erase_plan_init(GlintTarget *t, ErasePlan *plan, GArray *units, GlintLoader *check_with,
		gboolean chip_erase_possible)
{
	const GlintFlashGeometry *g = &t->info.geometry;

	*plan = (ErasePlan){0};
	plan->wanted = g_new0(gboolean, g->n_units);
	plan->state = g_new0(guint8, g->n_units);
	for (guint i = 0; i < units->len; i++)
		plan->wanted[g_array_index(units, guint, i)] = TRUE;
	plan->have_times = t->flash->erase_times != NULL && t->flash->erase_times(t, &plan->times);
	plan->can_check = check_with != NULL;
	plan->check_ns_per_byte = check_with != NULL ? glint_loader_crc_ns_per_byte(check_with) : 0;
	for (guint i = 0; i < t->chip->n_regions; i++) {
		if (t->chip->regions[i].kind == GLINT_REGION_EEPROM)
			plan->region_bytes += t->chip->regions[i].size;
	}
	/* a whole-chip erase that protection would refuse, or make do more
	 * than erase (an L0/L1 regression with PCROP), or that the chip
	 * refuses to the debugger (WB CPU1): never */
	plan->chip_allowed =
	    chip_erase_possible && t->flash->mass_erase != NULL && check_mass_erase(t, NULL);
	erase_plan_choose(t, plan);
}

static gboolean
erase_plan_any_whole(const ErasePlan *plan)
{
	return plan->chip || plan->bank[0] || plan->bank[1];
}

static gboolean
erase_units(GlintTarget *t, GArray *units, const ErasePlan *plan, GlintProgress *progress,
	    GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	gboolean whole[GLINT_GEOMETRY_MAX_BANKS] = {FALSE, FALSE};
	guint64 done = 0;

	/* A bank erase takes as long as one page erase on most parts: use it
	 * whenever every unit of a bank goes, unless a plan says otherwise. */
	for (guint b = 0; b < g->n_banks && t->flash->erase_bank != NULL; b++)
		whole[b] = plan != NULL ? plan->bank[b] : covers_bank(g, units, b);
	if (plan != NULL && plan->chip) {
		glint_progress_begin_step(progress, units_bytes(g, units));
		if (!t->flash->mass_erase(t, error))
			return FALSE;
		if (result != NULL)
			result->pages_erased += units->len;
		glint_progress_update(progress, units_bytes(g, units));
		return TRUE;
	}

	glint_progress_begin_step(progress, units_bytes(g, units));
	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		if (glint_job_cancelled_after(
			cancellable, error, _("Cancelled after erasing %u of %u %s"), i, units->len,
			glint_geometry_unit_noun(g, units->len))) {
			return FALSE;
		}
		if (whole[unit.bank]) {
			guint n = units_in_bank(g, units, i);
			if (!t->flash->erase_bank(t, unit.physical, error))
				return FALSE;
			done += units_bytes_from(g, units, i, n);
			i += n - 1;
			if (result != NULL)
				result->pages_erased += n;
			glint_progress_log(progress, G_LOG_LEVEL_DEBUG, _("Erased bank %u at once"),
					   unit.physical + 1);
		} else {
			if (!t->flash->erase_unit(t, &unit, error))
				return FALSE;
			done += unit.size;
			if (result != NULL)
				result->pages_erased++;
		}
		glint_progress_update(progress, done);
	}
	return TRUE;
}

/* Erase --------------------------------------------------------------------- */

static gboolean
check_mass_erase(GlintTarget *t, GError **error)
{
	const GlintOptionLayout *layout = t->chip->options;

	if (t->flash->mass_erase == NULL && t->flash->no_mass_erase_reason != NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    /* TRANSLATORS: the chip's name ("STM32WB5x"), then why,
			     * starting in lower case ("its CPU1 may not mass erase: ...") */
			    _("The %s cannot mass erase from the debugger: %s. Nothing was "
			      "changed on the chip"),
			    t->chip->name, glint_tr(t->flash->no_mass_erase_reason));
		return FALSE;
	}
	if (t->flash->mass_erase == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("The %s has no mass erase; erase a range instead (glint-cli erase "
			      "0x%08X %u)"),
			    t->chip->name, t->info.geometry.base, t->info.geometry.size);
		return FALSE;
	}
	for (guint i = 0; i < layout->n_areas; i++) {
		const GlintProtectionArea *area = &layout->areas[i];
		g_autofree gchar *covers = NULL;
		if (!glint_option_bytes_area_active(&t->info.options, area) ||
		    glint_geometry_bank_of_physical(&t->info.geometry, area->bank) < 0)
			continue;
		covers =
		    glint_option_bytes_describe_area(&t->info.options, area, &t->info.geometry);
		/* an area to the end of its bank may start past it: no unit at all */
		if (glint_option_bytes_area_is_empty(&t->info.options, area, &t->info.geometry))
			continue;
		if (area->flags & GLINT_AREA_FIXED) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_CODE_PROTECTED,
			    _("Mass erase is refused by the chip while %s covers %s: %s. "
			      "Erase the pages below it instead. Nothing was changed on the "
			      "chip"),
			    area->name, covers, glint_tr(area->consequence));
			return FALSE;
		}
		g_set_error(
		    error, GLINT_ERROR,
		    area->type == GLINT_PROTECT_WRP ? GLINT_ERROR_WRITE_PROTECTED
						    : GLINT_ERROR_CODE_PROTECTED,
		    area->type == GLINT_PROTECT_WRP
			? _("Mass erase is refused by the chip while a protected area is "
			    "active: %s covers %s. Clear it in the option bytes, then retry. "
			    "Nothing was changed on the chip")
			: _("Mass erase is refused by the chip while a protected area is "
			    "active: %s covers %s. Only a read-protection regression (RDP 1 "
			    "-> 0) removes it. Nothing was changed on the chip"),
		    area->name, covers);
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_job_erase_mass(GlintSession *self, GlintConfirm confirm, GlintProgress *progress,
		     GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	GlintJobClock clock;
	GlintTarget *t;
	gboolean ok = FALSE;

	if ((confirm & GLINT_CONFIRM_RISKY) == 0) {
		g_set_error_literal(
		    error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
		    _("A mass erase deletes the whole flash (every bank); confirm it "
		      "explicitly (--confirm)"));
		return FALSE;
	}
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	t = self->target;
	glint_progress_add_step(progress, _("Mass erasing"), 1);
	glint_progress_begin_step(progress, 0);
	if (!glint_job_check_writable(t, error) || !check_mass_erase(t, error))
		goto out;
	if (glint_job_cancelled_after(
		cancellable, error,
		_("Cancelled before the mass erase; nothing on the chip was changed"))) {
		goto out;
	}
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		goto out;
	if (t->flash->mass_erase_how != NULL)
		glint_progress_log(progress, G_LOG_LEVEL_MESSAGE, "%s",
				   glint_tr(t->flash->mass_erase_how));
	ok = t->flash->mass_erase(t, error);
	t->flash->finish(t);
	if (ok && result != NULL)
		result->pages_erased = t->info.geometry.n_units;
	if (ok)
		glint_target_refresh(t, NULL);
out:
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, _("Mass erase"));
	glint_job_end(&clock);
	return ok;
}

static gboolean
check_flash_range(GlintTarget *t, guint32 addr, guint64 size, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	if (size == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("The size is zero; nothing to do"));
		return FALSE;
	}
	if (!glint_geometry_contains(g, addr, size)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("0x%08X-0x%08" PRIX64 " is outside the flash of the %s "
			      "(0x%08X-0x%08X)"),
			    addr, (guint64)addr + size - 1, t->chip->name, g->base,
			    glint_geometry_end(g) - 1);
		return FALSE;
	}
	return TRUE;
}

static gboolean
erase_units_locked(GlintTarget *t, GArray *units, GlintProgress *progress,
		   GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	gboolean ok;
	if (!glint_job_check_writable(t, error) ||
	    !glint_job_check_protection(t, units, C_("cannot ...", "erase"), error))
		return FALSE;
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	ok = erase_units(t, units, NULL, progress, cancellable, result, error);
	t->flash->finish(t);
	return ok;
}

/* Data EEPROM and the like: the driver erases what the range covers. */
static gboolean
erase_region_locked(GlintTarget *t, const GlintMemoryRegion *region, guint32 address, guint32 size,
		    GlintProgress *progress, GlintJobResult *result, GError **error)
{
	gboolean ok;

	if (!glint_job_check_writable(t, error))
		return FALSE;
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	glint_progress_begin_step(progress, size);
	ok = t->flash->region_erase(t, region, address, size, error);
	t->flash->finish(t);
	if (!ok)
		return FALSE;
	glint_progress_update(progress, size);
	glint_progress_log(progress, G_LOG_LEVEL_INFO, _("%s 0x%08X-0x%08X erased"),
			   glint_tr(region->name), address, address + size - 1);
	if (result != NULL)
		result->bytes = size;
	return TRUE;
}

/* What an erase job erases, with the job lock held. */
typedef gboolean (*EraseStep)(GlintTarget *t, gconstpointer what, GlintProgress *progress,
			      GCancellable *cancellable, GlintJobResult *result, GError **error);

/* The erase jobs but mass erase: lock, erase, summarize. */
static gboolean
run_erase_job(GlintSession *self, const char *summary, EraseStep erase, gconstpointer what,
	      GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
	      GError **error)
{
	GlintJobClock clock;
	gboolean ok;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	glint_progress_add_step(progress, _("Erasing"), 1);
	ok = erase(self->target, what, progress, cancellable, result, error);
	if (ok) {
		glint_progress_finish(progress);
		glint_job_summarize(&clock, result, summary);
	}
	glint_job_end(&clock);
	return ok;
}

/* Fills @units (global indices, increasing) with the flash units to erase,
 * or fails saying why before anything is touched. */
typedef gboolean (*UnitCollector)(GlintTarget *t, gconstpointer what, GArray *units,
				  GError **error);

static gboolean
erase_collected(GlintTarget *t, UnitCollector collect, gconstpointer what, GlintProgress *progress,
		GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	g_autoptr(GArray) units = g_array_new(FALSE, FALSE, sizeof(guint));
	return collect(t, what, units, error) &&
	       erase_units_locked(t, units, progress, cancellable, result, error);
}

typedef struct {
	guint32 address;
	guint32 size;
} EraseRange;

static gboolean
collect_range(GlintTarget *t, gconstpointer what, GArray *units, GError **error)
{
	const EraseRange *range = what;
	if (!check_flash_range(t, range->address, range->size, error))
		return FALSE;
	add_units(units, &t->info.geometry, range->address, range->size);
	return TRUE;
}

/* A range in data EEPROM goes to the driver whole; in main flash, its
 * units. */
static gboolean
erase_range(GlintTarget *t, gconstpointer what, GlintProgress *progress, GCancellable *cancellable,
	    GlintJobResult *result, GError **error)
{
	const EraseRange *range = what;
	const GlintMemoryRegion *region =
	    range->size > 0 ? glint_target_programmable_region(t, range->address, range->size)
			    : NULL;
	if (region != NULL)
		return erase_region_locked(t, region, range->address, range->size, progress, result,
					   error);
	return erase_collected(t, collect_range, what, progress, cancellable, result, error);
}

gboolean
glint_job_erase_range(GlintSession *self, guint32 address, guint32 size, GlintProgress *progress,
		      GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	const EraseRange range = {address, size};
	return run_erase_job(self, _("Erase"), erase_range, &range, progress, cancellable, result,
			     error);
}

typedef struct {
	const guint *indices;
	guint n;
} EraseList;

static gboolean
collect_list(GlintTarget *t, gconstpointer what, GArray *units, GError **error)
{
	const EraseList *list = what;
	for (guint i = 0; i < list->n; i++) {
		if (list->indices[i] >= t->info.geometry.n_units ||
		    (units->len > 0 &&
		     g_array_index(units, guint, units->len - 1) >= list->indices[i])) {
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Erase unit %u does not exist or is out of order (the %s has "
			      "%u %s, 0-%u, listed in increasing order)"),
			    list->indices[i], t->chip->name, t->info.geometry.n_units,
			    glint_geometry_unit_noun(&t->info.geometry, t->info.geometry.n_units),
			    t->info.geometry.n_units - 1);
			return FALSE;
		}
		g_array_append_val(units, list->indices[i]);
	}
	if (units->len == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("No erase unit chosen; nothing to do"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
erase_list(GlintTarget *t, gconstpointer what, GlintProgress *progress, GCancellable *cancellable,
	   GlintJobResult *result, GError **error)
{
	return erase_collected(t, collect_list, what, progress, cancellable, result, error);
}

gboolean
glint_job_erase_units(GlintSession *self, const guint *indices, guint n_indices,
		      GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		      GError **error)
{
	const EraseList list = {indices, n_indices};
	return run_erase_job(self, _("Erase"), erase_list, &list, progress, cancellable, result,
			     error);
}

static gboolean
collect_bank(GlintTarget *t, gconstpointer what, GArray *units, GError **error)
{
	guint physical = *(const guint *)what;
	gint bank = glint_geometry_bank_of_physical(&t->info.geometry, physical);
	if (bank < 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    g_dngettext(GETTEXT_PACKAGE,
					"The flash of this %s has %u bank; there is no bank %u",
					"The flash of this %s has %u banks; there is no bank %u",
					t->info.geometry.n_banks),
			    t->chip->name, t->info.geometry.n_banks, physical + 1);
		return FALSE;
	}
	add_units(units, &t->info.geometry, t->info.geometry.banks[bank].base,
		  t->info.geometry.banks[bank].size);
	return TRUE;
}

static gboolean
erase_bank(GlintTarget *t, gconstpointer what, GlintProgress *progress, GCancellable *cancellable,
	   GlintJobResult *result, GError **error)
{
	return erase_collected(t, collect_bank, what, progress, cancellable, result, error);
}

gboolean
glint_job_erase_bank(GlintSession *self, guint physical, GlintConfirm confirm,
		     GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		     GError **error)
{
	if ((confirm & GLINT_CONFIRM_RISKY) == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_NEEDS_CONFIRMATION,
				    _("A bank erase deletes a whole bank; confirm it explicitly "
				      "(--confirm)"));
		return FALSE;
	}
	return run_erase_job(self, _("Bank erase"), erase_bank, &physical, progress, cancellable,
			     result, error);
}

/* Program ------------------------------------------------------------------- */

/* "0x08080000-0x080807FF (data EEPROM)": where else than main flash the
 * chip takes an image, for messages; NULL when nowhere. */
static gchar *
describe_programmable_regions(GlintTarget *t)
{
	GString *s = NULL;
	if (t->flash->region_program == NULL)
		return NULL;
	for (guint i = 0; i < t->chip->n_regions; i++) {
		const GlintMemoryRegion *r = &t->chip->regions[i];
		if (r->kind != GLINT_REGION_EEPROM)
			continue;
		if (s == NULL)
			s = g_string_new(NULL);
		else
			g_string_append(s, ", ");
		g_string_append_printf(s, "%s 0x%08X-0x%08X", glint_tr(r->name), r->base,
				       r->base + r->size - 1);
	}
	return s != NULL ? g_string_free(s, FALSE) : NULL;
}

/* A segment that lies in no memory the chip programs. */
static void
set_misplaced_error(GlintTarget *t, GlintImage *image, const GlintImageSegment *seg,
		    const char *others, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 end = seg->address + (guint32)g_bytes_get_size(seg->data) - 1;

	if (seg->address >= g->base && end < glint_geometry_end(g)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: 0x%08X-0x%08X falls between the banks of the %s, where there is "
			      "no flash"),
			    seg->origin, seg->address, end, t->chip->name);
		return;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
		    glint_image_get_format(image) == GLINT_IMAGE_FORMAT_BIN
			? _("%s: 0x%08X-0x%08X is outside the flash of the %s (0x%08X-0x%08X) "
			    "and its %s; give the binary a base address inside one of them")
			: _("%s: 0x%08X-0x%08X is outside the flash of the %s (0x%08X-0x%08X) "
			    "and its %s; was the file linked for another chip?"),
		    seg->origin, seg->address, end, t->chip->name, g->base,
		    glint_geometry_end(g) - 1, others);
}

static gboolean
check_image(GlintTarget *t, GlintImage *image, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree gchar *what = g_strdup_printf(_("the flash of the %s"), t->chip->name);
	g_autofree gchar *others = describe_programmable_regions(t);

	if (glint_image_get_size(image) == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
				    _("The image is empty; nothing to program"));
		return FALSE;
	}
	/* a chip that programs nothing but main flash: one range to check */
	if (others == NULL &&
	    !glint_image_check_range(image, g->base, glint_geometry_end(g) - g->base, what, error))
		return FALSE;
	/* Banks with a hole between them (G4 trimmed parts): each segment must
	 * lie in a bank; segments elsewhere must lie in the data EEPROM. */
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		if (glint_geometry_contains(g, seg->address, len) ||
		    glint_target_programmable_region(t, seg->address, len) != NULL)
			continue;
		set_misplaced_error(t, image, seg, others != NULL ? others : _("nothing else"),
				    error);
		return FALSE;
	}
	return TRUE;
}

/* The part of @image of checked segments that goes to main flash
 * (*@flash_part) and to the other memories the driver programs
 * (*@region_part); either NULL when empty. */
static void
split_image(GlintTarget *t, GlintImage *image, GlintImage **flash_part, GlintImage **region_part)
{
	g_autoptr(GlintImage) flash = NULL;
	g_autoptr(GlintImage) other = NULL;

	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		GlintImage **to;
		if (glint_geometry_contains(&t->info.geometry, seg->address, len))
			to = &flash;
		else
			to = &other;
		if (*to == NULL)
			*to = glint_image_new();
		glint_image_add(*to, seg->address, g_bytes_get_data(seg->data, NULL), len,
				seg->origin, NULL);
	}
	if (other == NULL) {
		/* the common case: programmed as it is */
		g_clear_pointer(&flash, glint_image_unref);
		*flash_part = glint_image_ref(image);
		*region_part = NULL;
		return;
	}
	*flash_part = g_steal_pointer(&flash);
	*region_part = g_steal_pointer(&other);
}

static GArray *
image_units(GlintTarget *t, GlintImage *image)
{
	GArray *units = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		add_units(units, &t->info.geometry, seg->address, g_bytes_get_size(seg->data));
	}
	return units;
}

static gboolean
granule_is_erased(const guint8 *p, guint32 len, guint8 erased)
{
	for (guint32 i = 0; i < len; i++) {
		if (p[i] != erased)
			return FALSE;
	}
	return TRUE;
}

/* The unit as it reads after erasing and programming it from the image. */
static void
expected_unit(GlintTarget *t, GlintImage *image, const GlintFlashUnit *unit, guint8 *buf)
{
	memset(buf, t->info.geometry.erased_value, unit->size);
	glint_image_fill(image, unit->address, buf, unit->size);
}

/* Reads the bytes of @unit that the image leaves alone (@mask 0) into
 * @have and again into @again; the bytes the image defines read as erased.
 * They are written back with no copy to verify them against: read twice,
 * a flaky link cannot slip wrong bytes into flash. The bytes the image
 * replaces are not read at all: a word there may not be readable (an H7
 * flash word whose ECC a power cut broke faults) and is rewritten anyway. */
static gboolean
read_kept(GlintTarget *t, const GlintFlashUnit *unit, const guint8 *mask, guint8 *have,
	  guint8 *again, GError **error)
{
	memset(have, t->info.geometry.erased_value, unit->size);
	memset(again, t->info.geometry.erased_value, unit->size);
	for (guint32 k = 0; k < unit->size;) {
		guint32 end = k;
		if (mask[k]) {
			k++;
			continue;
		}
		while (end < unit->size && !mask[end])
			end++;
		if (!glint_target_read(t, unit->address + k, have + k, end - k, error) ||
		    !glint_target_read(t, unit->address + k, again + k, end - k, error))
			return FALSE;
		k = end;
	}
	return TRUE;
}

/* Bytes of the units an image only partly covers are kept (read before the
 * erase and written back with the image) unless the user asked for a plain
 * erase: programming a few bytes must not silently wipe their neighbours.
 * Returns the image to program (the same one, or a copy with those bytes). */
static GlintImage *
merge_kept_bytes(GlintTarget *t, GlintImage *image, GArray *units, GlintProgress *progress,
		 GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autoptr(GlintImage) merged = NULL;
	g_autofree guint8 *have = g_malloc(g->largest_unit);
	g_autofree guint8 *again = g_malloc(g->largest_unit);
	g_autofree guint8 *mask = g_malloc(g->largest_unit);
	guint64 kept = 0;
	guint n_units = 0;

	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		gboolean any = FALSE;
		/* mask: 1 where the image defines the byte */
		memset(mask, 0, unit.size);
		for (guint s = 0; s < glint_image_get_n_segments(image); s++) {
			const GlintImageSegment *seg = glint_image_get_segment(image, s);
			guint64 a = MAX(seg->address, unit.address);
			guint64 b = MIN((guint64)seg->address + g_bytes_get_size(seg->data),
					(guint64)unit.address + unit.size);
			if (a < b)
				memset(mask + (a - unit.address), 1, b - a);
		}
		if (memchr(mask, 0, unit.size) == NULL)
			continue;
		if (!read_kept(t, &unit, mask, have, again, error))
			return NULL;
		if (memcmp(have, again, unit.size) != 0) {
			g_autofree gchar *where = glint_geometry_describe_unit(g, &unit);
			g_set_error(
			    error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("Reading %s twice gave different bytes, so the bytes around the "
			      "image cannot be kept safely: the link to the probe is "
			      "unreliable. Check the cable, lower the SWD clock (--freq) and "
			      "retry. Nothing was changed on the chip"),
			    where);
			return NULL;
		}
		for (guint32 k = 0; k < unit.size;) {
			guint32 end = k;
			if (mask[k] || have[k] == g->erased_value) {
				k++;
				continue;
			}
			while (end < unit.size && !mask[end] && have[end] != g->erased_value)
				end++;
			if (merged == NULL) {
				merged = glint_image_new();
				for (guint s = 0; s < glint_image_get_n_segments(image); s++) {
					const GlintImageSegment *seg =
					    glint_image_get_segment(image, s);
					glint_image_add(
					    merged, seg->address, g_bytes_get_data(seg->data, NULL),
					    g_bytes_get_size(seg->data), seg->origin, NULL);
				}
			}
			if (!glint_image_add(merged, unit.address + k, have + k, end - k,
					     _("kept from flash"), error))
				return NULL;
			kept += end - k;
			any = TRUE;
			k = end;
		}
		n_units += any ? 1 : 0;
	}
	if (merged == NULL)
		return glint_image_ref(image);
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("The image covers %u %s only in part: %" PRIu64
			     " bytes already in flash outside the image were read and are written "
			     "back with it (program with --no-preserve to erase them instead)"),
			   n_units, glint_geometry_unit_noun(g, n_units), kept);
	return g_steal_pointer(&merged);
}

/* Says what --no-preserve does to the units the image covers in part. */
static void
log_plain_erase(GlintTarget *t, GlintImage *image, GArray *units, GlintProgress *progress)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree guint8 *probe = g_malloc(g->largest_unit);
	guint partial = 0;

	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		partial += glint_image_fill(image, unit.address, probe, unit.size) < unit.size;
	}
	if (partial > 0)
		glint_progress_log(
		    progress, G_LOG_LEVEL_MESSAGE,
		    g_dngettext(GETTEXT_PACKAGE,
				"--no-preserve: %u %s the image covers only in part "
				"is erased whole; bytes there outside the image are "
				"not kept",
				"--no-preserve: %u %s the image covers only in part "
				"are erased whole; bytes there outside the image are "
				"not kept",
				partial),
		    partial, glint_geometry_unit_noun(g, partial));
}

/* Programs one unit from the image; granules that stay erased are skipped
 * (writing them again would be wasted flash time). */
static gboolean
program_unit(GlintTarget *t, GlintImage *image, const GlintFlashUnit *unit, guint8 *buf,
	     GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	guint32 granule = g->program_unit;

	expected_unit(t, image, unit, buf);
	for (guint32 off = 0; off < unit->size;) {
		guint32 end;
		if (granule_is_erased(buf + off, granule, g->erased_value)) {
			off += granule;
			continue;
		}
		for (end = off;
		     end < unit->size && !granule_is_erased(buf + end, granule, g->erased_value);
		     end += granule)
			;
		if (!t->flash->program(t, unit->address + off, buf + off, end - off, error))
			return FALSE;
		off = end;
	}
	return TRUE;
}

static gboolean
program_units(GlintTarget *t, GlintImage *image, GArray *units, GlintProgress *progress,
	      GCancellable *cancellable, GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autofree guint8 *buf = g_malloc(g->largest_unit);
	guint64 done = 0;

	glint_progress_begin_step(progress, units_bytes(g, units));
	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		if (glint_job_cancelled_after(cancellable, error,
					      _("Cancelled after programming %u of %u %s; 0x%08X "
						"onwards is not written (erased %s stay erased)"),
					      i, units->len,
					      glint_geometry_unit_noun(g, units->len), unit.address,
					      glint_geometry_unit_noun(g, 2))) {
			return FALSE;
		}
		if (!program_unit(t, image, &unit, buf, error))
			return FALSE;
		done += unit.size;
		glint_progress_update(progress, done);
	}
	return TRUE;
}

/* Compares flash with the image; on mismatch names the first address. */
static gboolean
verify_image(GlintTarget *t, GlintImage *image, GlintProgress *progress, GCancellable *cancellable,
	     guint64 *verified, GError **error)
{
	g_autofree guint8 *buf = g_malloc(READ_CHUNK);
	guint64 total = glint_image_get_size(image), done = 0, differing = 0;
	guint32 first_addr = 0;
	guint8 first_expected = 0, first_actual = 0;

	glint_progress_begin_step(progress, total);
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		const guint8 *want = g_bytes_get_data(seg->data, NULL);
		for (gsize off = 0; off < len; off += READ_CHUNK) {
			gsize n = MIN(READ_CHUNK, len - off);
			if (glint_job_cancelled_after(cancellable, error,
						      _("Cancelled after verifying %" PRIu64
							" of %" PRIu64 " bytes; verifying "
							"changes nothing on the chip"),
						      done, total)) {
				return FALSE;
			}
			if (!glint_target_read(t, seg->address + off, buf, n, error))
				return FALSE;
			for (gsize k = 0; k < n; k++) {
				if (buf[k] == want[off + k])
					continue;
				if (differing++ == 0) {
					first_addr = seg->address + off + k;
					first_expected = want[off + k];
					first_actual = buf[k];
				}
			}
			done += n;
			glint_progress_update(progress, done);
		}
	}
	if (verified != NULL)
		*verified = done;
	if (differing > 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH,
			    g_dngettext(GETTEXT_PACKAGE,
					"Verify failed: %" PRIu64 " byte differs; the first at "
					"0x%08X: expected 0x%02X, read 0x%02X",
					"Verify failed: %" PRIu64 " bytes differ; the first at "
					"0x%08X: expected 0x%02X, read 0x%02X",
					(gulong)MIN(differing, G_MAXULONG)),
			    differing, first_addr, first_expected, first_actual);
		return FALSE;
	}
	return TRUE;
}

/* The on-target loader path ------------------------------------------------ */

typedef struct {
	GlintTarget *t;
	GlintLoader *loader;
	GlintImage *image;
	GlintProgress *progress;
	GCancellable *cancellable;
	GlintJobResult *result;
	/* physical banks mass-erased by this job: fast (row) programming is allowed */
	gboolean bank_erased[GLINT_GEOMETRY_MAX_BANKS];
} LoaderJob;

/* Smart re-flash: keeps the units whose on-target CRC-32 differs from the
 * image's (bytes outside the image counting as erased). */
static GArray *
changed_units(LoaderJob *lj, GArray *units, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autofree guint32 *crcs = g_new(guint32, MAX(units->len, 1));
	g_autofree GlintFlashUnit *list = g_new(GlintFlashUnit, MAX(units->len, 1));
	g_autofree guint8 *buf = g_malloc(g->largest_unit);

	for (guint i = 0; i < units->len; i++)
		list[i] = unit_of(g, g_array_index(units, guint, i));
	if (!glint_loader_unit_crc32s(lj->loader, list, units->len, crcs, error))
		return NULL;
	for (guint i = 0; i < units->len; i++) {
		expected_unit(lj->t, lj->image, &list[i], buf);
		if (glint_crc32(0, buf, list[i].size) != crcs[i])
			g_array_append_val(changed, list[i].index);
	}
	return g_steal_pointer(&changed);
}

/* "pages 64-511 (0x...) and the data EEPROM": @checked units (global
 * indices, increasing) as runs, and the data EEPROM with @regions. */
static gchar *
describe_checked(GlintTarget *t, GArray *checked, gboolean regions)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < checked->len;) {
		GlintFlashUnit first = unit_of(g, g_array_index(checked, guint, i)), last = first;
		guint n = 1;
		while (i + n < checked->len) {
			GlintFlashUnit next = unit_of(g, g_array_index(checked, guint, i + n));
			if (next.index != last.index + 1 || next.bank != first.bank)
				break;
			last = next;
			n++;
		}
		g_ptr_array_add(parts, glint_geometry_describe_units(g, first.physical,
								     first.number, last.number));
		i += n;
	}
	if (regions)
		g_ptr_array_add(parts, g_strdup(_("the data EEPROM")));
	for (guint i = 0; i < parts->len; i++) {
		if (i > 0)
			g_string_append(s, i + 1 == parts->len ? _(" and ") : ", ");
		g_string_append(s, g_ptr_array_index(parts, i));
	}
	return g_string_free(s, FALSE);
}

/* Reads, by the loader's CRCs, what @plan's bank or chip erases would
 * clear beyond the image (and the data EEPROM for a chip erase that clears
 * it), records it in @plan and appends the units checked to @checked. */
static gboolean
erase_plan_check(LoaderJob *lj, ErasePlan *plan, GArray *checked, gboolean *regions_checked,
		 GError **error)
{
	GlintTarget *t = lj->t;
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autoptr(GArray) list = g_array_new(FALSE, FALSE, sizeof(GlintFlashUnit));
	g_autofree guint8 *blank = g_malloc(MAX(g->largest_unit, 1));
	g_autofree guint32 *crcs = NULL;

	memset(blank, g->erased_value, g->largest_unit);
	for (guint b = 0; b < g->n_banks; b++) {
		const GlintFlashBank *bank = &g->banks[b];
		if (!plan->chip && !plan->bank[b])
			continue;
		for (guint u = bank->first_index; u < bank->first_index + bank->n_units; u++) {
			GlintFlashUnit unit = unit_of(g, u);
			if (plan->wanted[u] || plan->state[u] != UNIT_UNKNOWN)
				continue;
			g_array_append_val(list, unit);
			g_array_append_val(checked, u);
		}
	}
	crcs = g_new(guint32, MAX(list->len, 1));
	if (list->len > 0 &&
	    !glint_loader_unit_crc32s(lj->loader, &g_array_index(list, GlintFlashUnit, 0),
				      list->len, crcs, error))
		return FALSE;
	for (guint i = 0; i < list->len; i++) {
		const GlintFlashUnit *unit = &g_array_index(list, GlintFlashUnit, i);
		plan->state[unit->index] =
		    glint_crc32(0, blank, unit->size) == crcs[i] ? UNIT_BLANK : UNIT_HOLDS_DATA;
	}
	*regions_checked = FALSE;
	if (!plan->chip || !plan->times.chip_erase_clears_regions || plan->regions != UNIT_UNKNOWN)
		return TRUE;
	plan->regions = UNIT_BLANK;
	for (guint i = 0; i < t->chip->n_regions; i++) {
		const GlintMemoryRegion *r = &t->chip->regions[i];
		g_autofree guint8 *zeros = NULL;
		guint32 crc = 0;
		if (r->kind != GLINT_REGION_EEPROM)
			continue;
		zeros = g_malloc(r->size);
		/* data EEPROM erases to the flash's value (0x00 on L0/L1) */
		memset(zeros, g->erased_value, r->size);
		if (!glint_loader_crc32(lj->loader, r->base, r->size, &crc, error))
			return FALSE;
		if (crc != glint_crc32(0, zeros, r->size))
			plan->regions = UNIT_HOLDS_DATA;
	}
	*regions_checked = TRUE;
	return TRUE;
}

/* Makes @plan final: checks what its bank or chip erases would clear
 * beyond the image, chooses again with what it found, and says why. */
static gboolean
erase_plan_settle(LoaderJob *lj, ErasePlan *plan, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	g_autoptr(GArray) checked = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autofree gchar *what = NULL;
	gboolean regions = FALSE, whole;
	gint64 units_ns;

	if (!plan->have_times || !erase_plan_any_whole(plan))
		return TRUE;
	if (!erase_plan_check(lj, plan, checked, &regions, error))
		return FALSE;
	plan->can_check = FALSE;
	erase_plan_choose(lj->t, plan);
	units_ns = plan->units_ns;
	whole = erase_plan_any_whole(plan);
	if (checked->len == 0 && !regions) {
		if (plan->chip)
			glint_progress_log(lj->progress, G_LOG_LEVEL_INFO,
					   _("Erasing the whole chip at once (%.2f s instead of "
					     "%.2f s by %s, %s typical)"),
					   plan->ns / 1e9, units_ns / 1e9,
					   glint_geometry_unit_noun(g, 2), plan->times.source);
		return TRUE;
	}
	what = describe_checked(lj->t, checked, regions);
	if (whole) {
		g_autofree gchar *how =
		    plan->chip ? g_strdup(_("erasing the whole chip at once"))
			       : g_strdup_printf(_("erasing bank %u at once"),
						 g->banks[plan->bank[0] ? 0 : 1].physical + 1);
		glint_progress_log(lj->progress, G_LOG_LEVEL_MESSAGE,
				   /* TRANSLATORS: "Nothing beyond the image is in use (pages
				    * 64-511 (...) and the data EEPROM: blank): erasing the
				    * whole chip at once (0.03 s instead of 1.64 s by pages,
				    * DS10152 typical)" */
				   _("Nothing beyond the image is in use (%s: blank): %s (%.2f s "
				     "instead of %.2f s by %s, %s typical)"),
				   what, how, plan->ns / 1e9, units_ns / 1e9,
				   glint_geometry_unit_noun(g, 2), plan->times.source);
	} else {
		glint_progress_log(lj->progress, G_LOG_LEVEL_MESSAGE,
				   _("Something beyond the image is in use (in %s): erasing only "
				     "the %s of the image, one by one, which keeps it"),
				   what, glint_geometry_unit_noun(g, 2));
	}
	return TRUE;
}

/* The chip erase of a chip whose erase resets it (the L0/L1 regression):
 * the loader stops, the driver erases, and a new loader starts. */
static gboolean
loader_chip_erase_with_reset(LoaderJob *lj, GError **error)
{
	g_autoptr(GError) why = NULL;

	if (!glint_loader_stop(lj->loader, error))
		return FALSE;
	if (lj->t->flash->mass_erase_how != NULL)
		glint_progress_log(lj->progress, G_LOG_LEVEL_INFO, "%s",
				   glint_tr(lj->t->flash->mass_erase_how));
	if (!lj->t->flash->mass_erase(lj->t, error))
		return FALSE;
	glint_loader_free(lj->loader);
	lj->loader = glint_loader_start(lj->t, &why);
	if (lj->loader == NULL) {
		g_propagate_prefixed_error(error, g_steal_pointer(&why),
					   _("The flash loader did not start again after the chip "
					     "erase: "));
		return FALSE;
	}
	return TRUE;
}

static gboolean
loader_erase(LoaderJob *lj, GArray *units, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	gboolean whole[GLINT_GEOMETRY_MAX_BANKS] = {FALSE, FALSE};
	gboolean all = TRUE;
	guint64 done = 0, total = units_bytes(g, units);
	ErasePlan plan;
	gboolean ok;

	/* a chip erase is one loader operation (erase-all, with more than one
	 * bank), or the driver's between two loaders when it resets the chip;
	 * a bank erase only where the chip has one (the L0/L1 erase page by
	 * page: a "bank" descriptor would run for seconds without a word) */
	erase_plan_init(lj->t, &plan, units, lj->loader, TRUE);
	if (!plan.times.chip_erase_resets &&
	    !(g->n_banks > 1 && glint_loader_can_erase_all(lj->loader))) {
		plan.chip_allowed = FALSE;
		erase_plan_choose(lj->t, &plan);
	}
	ok = erase_plan_settle(lj, &plan, error);
	for (guint b = 0; b < g->n_banks; b++) {
		whole[b] = plan.bank[b];
		all = all && whole[b] && covers_bank(g, units, b);
	}
	if (ok && plan.chip && plan.times.chip_erase_resets)
		ok = loader_chip_erase_with_reset(lj, error);
	else if (ok && (plan.chip || (g->n_banks > 1 && all)) &&
		 glint_loader_can_erase_all(lj->loader))
		/* every bank in one operation, in the time of one */
		ok = glint_loader_erase_all(lj->loader, error);
	else {
		erase_plan_clear(&plan);
		goto by_banks_and_units;
	}
	erase_plan_clear(&plan);
	if (!ok)
		return FALSE;
	glint_progress_begin_step(lj->progress, total);
	for (guint b = 0; b < g->n_banks; b++)
		lj->bank_erased[g->banks[b].physical] = TRUE;
	if (lj->result != NULL)
		lj->result->pages_erased += units->len;
	glint_progress_update(lj->progress, total);
	return TRUE;

by_banks_and_units:
	if (!ok)
		return FALSE;
	glint_progress_begin_step(lj->progress, total);
	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		if (glint_job_cancelled_after(
			lj->cancellable, error, _("Cancelled after erasing %u of %u %s"), i,
			units->len, glint_geometry_unit_noun(g, units->len))) {
			glint_loader_flush(lj->loader, NULL);
			return FALSE;
		}
		if (whole[unit.bank]) {
			guint n = units_in_bank(g, units, i);
			if (!glint_loader_erase_bank(lj->loader, unit.physical, error))
				return FALSE;
			lj->bank_erased[unit.physical] = TRUE;
			done += units_bytes_from(g, units, i, n);
			i += n - 1;
			if (lj->result != NULL)
				lj->result->pages_erased += n;
		} else {
			if (!glint_loader_erase_unit(lj->loader, &unit, error))
				return FALSE;
			done += unit.size;
			if (lj->result != NULL)
				lj->result->pages_erased++;
		}
		glint_progress_update(lj->progress, done);
	}
	return TRUE;
}

/* One loader buffer's worth of image: never across a bank */
typedef struct {
	guint32 addr, len;
	guint physical;
} LoaderChunk;

/* The chunks of @units in address order: runs of adjacent units of one bank
 * cut into buffers of @chunk bytes. */
static GArray *
loader_chunks(const GlintFlashGeometry *g, GArray *units, guint32 chunk)
{
	GArray *chunks = g_array_new(FALSE, FALSE, sizeof(LoaderChunk));
	for (guint i = 0; i < units->len;) {
		GlintFlashUnit first = unit_of(g, g_array_index(units, guint, i));
		guint32 end = first.address + first.size;
		guint n = 1;
		for (; i + n < units->len; n++) {
			GlintFlashUnit next = unit_of(g, g_array_index(units, guint, i + n));
			if (next.address != end || next.bank != first.bank)
				break;
			end += next.size;
		}
		for (guint32 addr = first.address; addr < end; addr += chunk) {
			LoaderChunk c = {addr, MIN(chunk, end - addr), first.physical};
			g_array_append_val(chunks, c);
		}
		i += n;
	}
	return chunks;
}

/* The image's bytes of @c in @buf; whether there is anything to write. */
static gboolean
loader_chunk_fill(LoaderJob *lj, const LoaderChunk *c, guint8 *buf)
{
	guint8 erased = lj->t->info.geometry.erased_value;
	memset(buf, erased, c->len);
	glint_image_fill(lj->image, c->addr, buf, c->len);
	return !granule_is_erased(buf, c->len, erased);
}

/* The next chunk of @bank from *@i on that holds data, filled into @buf;
 * the chunks skipped (all erased) count as done. NULL: none left. */
static const LoaderChunk *
next_chunk_with_data(LoaderJob *lj, GArray *bank, guint *i, guint8 *buf, guint64 *done)
{
	while (*i < bank->len) {
		const LoaderChunk *c = &g_array_index(bank, LoaderChunk, (*i)++);
		if (loader_chunk_fill(lj, c, buf))
			return c;
		*done += c->len;
	}
	return NULL;
}

/* Both banks at once (GlintLoaderDesc.parallel_banks): the chunks of
 * physical bank 1 that hold data go out paired with those of bank 2, so
 * that each bank's write buffer always has its next word while the other
 * programs; what one bank has beyond the other goes alone. */
static gboolean
loader_program_pairs(LoaderJob *lj, GArray *chunks, guint64 total, GError **error)
{
	guint32 size = glint_loader_chunk_size(lj->loader);
	g_autofree guint8 *buf_a = g_malloc(size);
	g_autofree guint8 *buf_b = g_malloc(size);
	g_autoptr(GArray) bank_a = g_array_new(FALSE, FALSE, sizeof(LoaderChunk));
	g_autoptr(GArray) bank_b = g_array_new(FALSE, FALSE, sizeof(LoaderChunk));
	guint ia = 0, ib = 0;
	guint64 done = 0;

	for (guint i = 0; i < chunks->len; i++) {
		const LoaderChunk *c = &g_array_index(chunks, LoaderChunk, i);
		g_array_append_val(c->physical == 0 ? bank_a : bank_b, *c);
	}
	for (;;) {
		const LoaderChunk *a, *b;
		gboolean ok;
		if (glint_job_cancelled_after(lj->cancellable, error,
					      _("Cancelled after programming %" PRIu64
						" of %" PRIu64
						" bytes in both banks at once; what is not written "
						"yet in either bank stays erased"),
					      done, total)) {
			glint_loader_flush(lj->loader, NULL);
			return FALSE;
		}
		a = next_chunk_with_data(lj, bank_a, &ia, buf_a, &done);
		b = next_chunk_with_data(lj, bank_b, &ib, buf_b, &done);
		if (a != NULL && b != NULL)
			ok = glint_loader_program_pair(lj->loader, a->addr, buf_a, a->len, b->addr,
						       buf_b, b->len, error);
		else if (a != NULL)
			ok = glint_loader_program(lj->loader, a->addr, buf_a, a->len, FALSE, error);
		else if (b != NULL)
			ok = glint_loader_program(lj->loader, b->addr, buf_b, b->len, FALSE, error);
		else
			break;
		if (!ok)
			return FALSE;
		done += (a != NULL ? a->len : 0) + (b != NULL ? b->len : 0);
		glint_progress_update(lj->progress, done);
	}
	glint_progress_update(lj->progress, done);
	return TRUE;
}

/* Whether @chunks write more than one physical bank. */
static gboolean
chunks_span_banks(GArray *chunks)
{
	for (guint i = 1; i < chunks->len; i++) {
		if (g_array_index(chunks, LoaderChunk, i).physical !=
		    g_array_index(chunks, LoaderChunk, 0).physical)
			return TRUE;
	}
	return FALSE;
}

/* Streams @units through the loader's buffers in chunks: runs of adjacent
 * units of one bank travel together, so small pages still fill a buffer; a
 * chunk never crosses a bank (fast programming is decided per bank). */
static gboolean
loader_program(LoaderJob *lj, GArray *units, GError **error)
{
	const GlintFlashGeometry *g = &lj->t->info.geometry;
	guint32 chunk = glint_loader_chunk_size(lj->loader);
	g_autofree guint8 *buf = g_malloc(chunk);
	guint64 done = 0;

	glint_progress_begin_step(lj->progress, units_bytes(g, units));
	if (glint_loader_can_program_pairs(lj->loader) && glint_loader_fast_row(lj->loader) == 0) {
		g_autoptr(GArray) chunks = loader_chunks(g, units, chunk);
		if (chunks_span_banks(chunks)) {
			if (!loader_program_pairs(lj, chunks, units_bytes(g, units), error))
				return FALSE;
			if (lj->result != NULL)
				lj->result->pages_programmed = units->len;
			return glint_loader_flush(lj->loader, error);
		}
	}
	for (guint i = 0; i < units->len;) {
		GlintFlashUnit first = unit_of(g, g_array_index(units, guint, i));
		guint32 end = first.address + first.size;
		guint n = 1;
		gboolean fast = glint_loader_hclk_fast(lj->loader) &&
				lj->bank_erased[first.physical] &&
				glint_loader_fast_row(lj->loader) != 0;

		for (; i + n < units->len; n++) {
			GlintFlashUnit next = unit_of(g, g_array_index(units, guint, i + n));
			if (next.address != end || next.bank != first.bank)
				break;
			end += next.size;
		}
		for (guint32 addr = first.address; addr < end; addr += chunk) {
			guint32 len = MIN(chunk, end - addr);
			if (glint_job_cancelled_after(
				lj->cancellable, error,
				_("Cancelled after programming %u of %u %s; "
				  "0x%08X onwards is not written (erased %s stay "
				  "erased)"),
				(guint)(i + (addr - first.address) / first.size), units->len,
				glint_geometry_unit_noun(g, units->len), addr,
				glint_geometry_unit_noun(g, 2))) {
				glint_loader_flush(lj->loader, NULL);
				return FALSE;
			}
			memset(buf, g->erased_value, len);
			glint_image_fill(lj->image, addr, buf, len);
			if (!granule_is_erased(buf, len, g->erased_value) &&
			    !glint_loader_program(lj->loader, addr, buf, len, fast, error))
				return FALSE;
			if (fast && lj->result != NULL)
				lj->result->fast_programmed = TRUE;
			done += len;
			glint_progress_update(lj->progress, done);
		}
		i += n;
	}
	if (lj->result != NULL)
		lj->result->pages_programmed = units->len;
	return glint_loader_flush(lj->loader, error);
}

/* On-target CRC-32 of each segment against the image's. */
static gboolean
loader_verify(LoaderJob *lj, GError **error)
{
	guint64 total = glint_image_get_size(lj->image), done = 0;

	glint_progress_begin_step(lj->progress, total);
	for (guint i = 0; i < glint_image_get_n_segments(lj->image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(lj->image, i);
		guint32 len = (guint32)g_bytes_get_size(seg->data), want, got = 0;
		if (glint_job_cancelled_after(lj->cancellable, error,
					      _("Cancelled after verifying %" PRIu64 " of %" PRIu64
						" bytes by on-target CRC; "
						"verifying changes nothing on the chip"),
					      done, total)) {
			return FALSE;
		}
		if (!glint_loader_crc32(lj->loader, seg->address, len, &got, error))
			return FALSE;
		want = glint_image_segment_crc32(seg);
		if (got != want) {
			g_set_error(error, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH,
				    _("Verify failed: the CRC-32 of 0x%08X-0x%08X computed by the "
				      "target is 0x%08X, the image's is 0x%08X"),
				    seg->address, seg->address + len - 1, got, want);
			return FALSE;
		}
		done += len;
		glint_progress_update(lj->progress, done);
	}
	return TRUE;
}

/* Erase, program and (CRC-)verify through the loader. *@verified tells
 * whether the verify happened on the target. */
static gboolean
program_with_loader(LoaderJob *lj, GArray *pages, const GlintProgramOptions *options,
		    gboolean *verified, GError **error)
{
	g_autoptr(GArray) changed = NULL;
	g_autoptr(GError) error_local = NULL;
	GArray *todo = pages;

	if (options->smart) {
		const char *unit = glint_geometry_unit_noun(&lj->t->info.geometry, 2);
		changed = changed_units(lj, pages, error);
		if (changed == NULL)
			return FALSE;
		todo = changed;
		if (lj->result != NULL)
			lj->result->pages_skipped = pages->len - changed->len;
		glint_progress_log(lj->progress, G_LOG_LEVEL_INFO,
				   _("Smart re-flash: %u of %u %s already match the image and "
				     "are skipped; %u to erase and program"),
				   pages->len - changed->len, pages->len, unit, changed->len);
	}
	if (!options->no_erase && !loader_erase(lj, todo, error))
		return FALSE;
	if (!loader_program(lj, todo, error))
		return FALSE;
	if (!options->verify || options->readback_verify)
		return TRUE;
	if (!loader_verify(lj, &error_local)) {
		if (!g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		/* a read-back names the first differing byte */
		glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
				   _("%s; reading the flash back to find the difference"),
				   error_local->message);
		return TRUE;
	}
	*verified = TRUE;
	return TRUE;
}

/* Starts the loader unless told not to; *@loader stays NULL (with the
 * reason logged) for "program directly". Only a vanished probe fails. */
static gboolean
try_loader(GlintTarget *t, const GlintProgramOptions *options, GlintProgress *progress,
	   GlintLoader **loader, GError **error)
{
	g_autoptr(GError) why = NULL;

	*loader = NULL;
	if (options->no_loader)
		return TRUE;
	/* RDP level 1 with a debugger attached bars the core from the flash
	 * too (RM0351 3.5.1): a CRC there would fault, a read-back reports it */
	if (t->info.rdp_level > 0)
		return TRUE;
	*loader = glint_loader_start(t, &why);
	if (*loader != NULL)
		return TRUE;
	if (g_error_matches(why, GLINT_ERROR, GLINT_ERROR_DISCONNECTED)) {
		g_propagate_error(error, g_steal_pointer(&why));
		return FALSE;
	}
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("flash loader unavailable: %s; programming directly"), why->message);
	return TRUE;
}

/* Runs the loader path; on a loader malfunction (not a flash error, not a
 * cancel, not an unplugged probe) returns FALSE with *@fallback set. */
static gboolean
program_via_loader(LoaderJob *lj, GArray *pages, const GlintProgramOptions *options,
		   gboolean *verified, gboolean *fallback, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (program_with_loader(lj, pages, options, verified, &error_local) &&
	    glint_loader_stop(lj->loader, &error_local)) {
		if (lj->result != NULL)
			lj->result->loader_used = TRUE;
		return TRUE;
	}
	if (lj->loader == NULL) {
		/* it did not start again after a chip erase */
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (glint_loader_is_broken(lj->loader) &&
	    !g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_DISCONNECTED) &&
	    !glint_error_is_cancelled(error_local)) {
		glint_progress_log(lj->progress, G_LOG_LEVEL_WARNING,
				   _("flash loader failed: %s; programming directly"),
				   error_local->message);
		*fallback = TRUE;
		return FALSE;
	}
	/* a flash error or a cancel: let the loader put the clock back */
	if (!glint_loader_is_broken(lj->loader))
		glint_loader_stop(lj->loader, NULL);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static void
reset_counts(GlintJobResult *result)
{
	if (result == NULL)
		return;
	result->pages_erased = 0;
	result->pages_skipped = 0;
	result->pages_programmed = 0;
	result->fast_programmed = FALSE;
}

/* Smart re-flash without the loader: the same unit comparison by reading
 * the units back (slower than on-target CRCs, still far cheaper than
 * rewriting them). */
static GArray *
changed_units_read_back(GlintTarget *t, GlintImage *image, GArray *units, GCancellable *cancellable,
			GError **error)
{
	const GlintFlashGeometry *g = &t->info.geometry;
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autofree guint8 *want = g_malloc(g->largest_unit);
	g_autofree guint8 *have = g_malloc(g->largest_unit);

	for (guint i = 0; i < units->len; i++) {
		GlintFlashUnit unit = unit_of(g, g_array_index(units, guint, i));
		if (glint_job_cancelled_after(cancellable, error,
					      _("Cancelled while comparing the chip with the file; "
						"nothing on the chip was changed")))
			return NULL;
		if (!glint_target_read(t, unit.address, have, unit.size, error))
			return NULL;
		expected_unit(t, image, &unit, want);
		if (memcmp(have, want, unit.size) != 0)
			g_array_append_val(changed, unit.index);
	}
	return g_steal_pointer(&changed);
}

static gboolean
program_direct(GlintTarget *t, GlintImage *image, GArray *units, const GlintProgramOptions *options,
	       GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
	       GError **error)
{
	const char *unit = glint_geometry_unit_noun(&t->info.geometry, 2);
	g_autoptr(GArray) changed = NULL;

	if (options->smart) {
		g_autoptr(GError) error_local = NULL;
		changed = changed_units_read_back(t, image, units, cancellable, &error_local);
		if (changed == NULL) {
			if (glint_error_is_cancelled(error_local))
				glint_progress_log(progress, G_LOG_LEVEL_WARNING,
						   _("Cancelled while comparing %s; nothing on the "
						     "chip was changed"),
						   unit);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (result != NULL)
			result->pages_skipped = units->len - changed->len;
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("Smart re-flash (read back, no loader): %u of %u %s already "
				     "match the image and are skipped; %u to erase and program"),
				   units->len - changed->len, units->len, unit, changed->len);
		units = changed;
	}
	if (!options->no_erase) {
		ErasePlan plan;
		gboolean ok;
		/* no loader to check what lies beyond the image: a bank or chip
		 * erase only where the image covers it */
		erase_plan_init(t, &plan, units, NULL, TRUE);
		ok = erase_units(t, units, &plan, progress, cancellable, result, error);
		erase_plan_clear(&plan);
		if (!ok)
			return FALSE;
	}
	if (!program_units(t, image, units, progress, cancellable, error))
		return FALSE;
	if (result != NULL)
		result->pages_programmed = units->len;
	return TRUE;
}

static gboolean
still_halted(GlintTarget *t, GlintProgress *progress, GError **error)
{
	guint32 dhcsr = 0;
	if (!glint_target_read32(t, CM_DHCSR, &dhcsr, error))
		return FALSE;
	if ((dhcsr & CM_DHCSR_S_HALT) == 0)
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   _("The core runs again after the flash loader stopped (DHCSR = "
				     "0x%08X)"),
				   dhcsr);
	return TRUE;
}

/* Runs of 0xFF this long in an image are fill (a .bin's gaps, objcopy
 * --gap-fill), not data anyone meant. */
#define FF_FILL_RUN 64

/* On flash that erases to 0x00 (STM32L0/L1) an image's 0xFF fill is data
 * like any other: it is programmed, never skipped as "erased". Say so
 * once, so a slow job or a blank check that finds those pages "holding
 * data" is no mystery. */
static void
explain_ff_fill(GlintTarget *t, GlintImage *image, GlintProgress *progress)
{
	guint64 fill = 0;

	if (t->info.geometry.erased_value == 0xFF)
		return;
	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = 0, run = 0;
		const guint8 *p = g_bytes_get_data(seg->data, &len);
		for (gsize k = 0; k <= len; k++) {
			if (k < len && p[k] == 0xFF) {
				run++;
				continue;
			}
			if (run >= FF_FILL_RUN)
				fill += run;
			run = 0;
		}
	}
	if (fill == 0)
		return;
	glint_progress_log(
	    progress, G_LOG_LEVEL_MESSAGE,
	    _("The image holds %" PRIu64 " bytes of 0xFF fill (runs of %u or "
	      "more, as a .bin or objcopy --gap-fill leaves between sections). Erased "
	      "flash of the %s reads 0x%02X, not 0xFF, so that fill is not \"erased\" "
	      "here: Glint programs it like data, and a blank check counts those %s "
	      "as holding data. An .elf or .hex image, or --gap-fill 0x%02X, leaves it "
	      "out"),
	    fill, FF_FILL_RUN, t->chip->name, t->info.geometry.erased_value,
	    glint_geometry_unit_noun(&t->info.geometry, 2), t->info.geometry.erased_value);
}

static gboolean
program_flash_locked(GlintTarget *t, GlintImage *original, const GlintProgramOptions *options,
		     GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		     GError **error)
{
	g_autoptr(GArray) units = NULL;
	g_autoptr(GlintLoader) loader = NULL;
	g_autoptr(GlintImage) image = NULL;
	gboolean ok = FALSE, verified = FALSE, fallback = FALSE;

	explain_ff_fill(t, original, progress);
	units = image_units(t, original);
	if (!glint_job_check_protection(t, units, C_("cannot ...", "program"), error))
		return FALSE;
	if (glint_job_cancelled_after(
		cancellable, error,
		_("Cancelled before erasing or programming; nothing on the chip was "
		  "changed"))) {
		return FALSE;
	}
	if (!t->flash->prepare(t, progress, result != NULL ? &result->stale_flags : NULL, error))
		return FALSE;
	if (options->no_preserve && !options->no_erase)
		log_plain_erase(t, original, units, progress);
	image = options->no_erase || options->no_preserve
		    ? glint_image_ref(original)
		    : merge_kept_bytes(t, original, units, progress, error);
	if (image == NULL || !try_loader(t, options, progress, &loader, error)) {
		t->flash->finish(t);
		return FALSE;
	}
	if (loader != NULL) {
		/* the job owns the loader from here: a chip erase that resets
		 * the chip replaces it */
		LoaderJob lj = {t,
				g_steal_pointer(&loader),
				image,
				progress,
				cancellable,
				result,
				{FALSE, FALSE}};
		ok = program_via_loader(&lj, units, options, &verified, &fallback, error);
		loader = lj.loader;
		if (loader == NULL) {
			t->flash->finish(t);
			return FALSE;
		}
		if (fallback) {
			/* start over: the erase makes whatever the loader wrote harmless */
			g_clear_pointer(&loader, glint_loader_free);
			reset_counts(result);
			ok = t->flash->prepare(t, progress, NULL, error);
		}
	}
	if (loader == NULL && (!fallback || ok))
		ok = program_direct(t, image, units, options, progress, cancellable, result, error);
	t->flash->finish(t);
	if (!ok && image != original)
		glint_progress_log(
		    progress, G_LOG_LEVEL_WARNING,
		    _("The bytes around the image in the %s it covers only in part were "
		      "held to be written back; if their %s was erased before the job "
		      "stopped they are no longer on the chip (Glint keeps no copy after "
		      "this run)"),
		    glint_geometry_unit_noun(&t->info.geometry, 2),
		    glint_geometry_unit_noun(&t->info.geometry, 1));
	if (!ok)
		return FALSE;
	/* The loader path ends with the flash lock, which reports nothing:
	 * look at the core once more so a probe lost by then is an error. */
	if (loader != NULL && !still_halted(t, progress, error))
		return FALSE;
	glint_progress_log(progress, G_LOG_LEVEL_INFO,
			   /* TRANSLATORS: the last %s is nothing or " (fast programming)" */
			   _("Programmed %zu bytes in %u %s%s"), glint_image_get_size(original),
			   units->len, glint_geometry_unit_noun(&t->info.geometry, units->len),
			   result != NULL && result->fast_programmed ? _(" (fast programming)")
								     : "");
	if (options->verify && !verified &&
	    !verify_image(t, image, progress, cancellable, NULL, error))
		return FALSE;
	if (options->verify)
		glint_progress_log(
		    progress, G_LOG_LEVEL_INFO,
		    verified ? _("Verified by an on-target CRC-32: flash matches the image")
			     : _("Verified: flash matches the image"));
	return TRUE;
}

/* The segments of @image in memories besides main flash (data EEPROM):
 * programmed through the driver, which rewrites only what differs, then
 * read back when asked to verify. */
static gboolean
program_regions_locked(GlintTarget *t, GlintImage *image, const GlintProgramOptions *options,
		       GlintProgress *progress, GCancellable *cancellable, GError **error)
{
	guint64 done = 0, total = glint_image_get_size(image);
	gboolean ok = TRUE;

	if (glint_job_cancelled_after(cancellable, error,
				      _("Cancelled before programming the data EEPROM; it was not "
					"changed"))) {
		return FALSE;
	}
	if (!t->flash->prepare(t, progress, NULL, error))
		return FALSE;
	glint_progress_begin_step(progress, total);
	for (guint i = 0; ok && i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		const GlintMemoryRegion *region =
		    glint_target_programmable_region(t, seg->address, len);
		if (glint_job_cancelled_after(
			cancellable, error,
			_("Cancelled after %" PRIu64 " of %" PRIu64 " bytes of data EEPROM"), done,
			total)) {
			ok = FALSE;
			break;
		}
		ok = t->flash->region_program(t, region, seg->address,
					      g_bytes_get_data(seg->data, NULL), len, error);
		done += len;
		glint_progress_update(progress, done);
		if (ok)
			glint_progress_log(progress, G_LOG_LEVEL_INFO,
					   _("%s: %"
					     "zu"
					     " bytes at 0x%08X programmed (%s)"),
					   glint_tr(region->name), len, seg->address, seg->origin);
	}
	t->flash->finish(t);
	if (!ok)
		return FALSE;
	if (options->verify) {
		if (!verify_image(t, image, progress, cancellable, NULL, error))
			return FALSE;
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("Verified: the data EEPROM matches the image"));
	}
	return TRUE;
}

static gboolean
program_locked(GlintTarget *t, GlintImage *original, const GlintProgramOptions *options,
	       GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
	       GError **error)
{
	g_autoptr(GlintImage) flash_part = NULL;
	g_autoptr(GlintImage) region_part = NULL;

	if (!glint_job_check_writable(t, error) || !check_image(t, original, error))
		return FALSE;
	split_image(t, original, &flash_part, &region_part);
	if (flash_part != NULL &&
	    !program_flash_locked(t, flash_part, options, progress, cancellable, result, error))
		return FALSE;
	if (region_part != NULL &&
	    !program_regions_locked(t, region_part, options, progress, cancellable, error))
		return FALSE;
	if (result != NULL)
		result->bytes = glint_image_get_size(original);
	if (options->reset_run) {
		if (!glint_target_reset(t, t->connect_options.reset_mode, FALSE, error))
			return FALSE;
		glint_progress_log(progress, G_LOG_LEVEL_INFO, _("Target reset and running"));
	}
	return TRUE;
}

/* The steps of a program job: main flash, then the other memories the
 * image reaches (data EEPROM), as far as it has parts there. */
static void
add_program_steps(GlintTarget *t, GlintImage *image, const GlintProgramOptions *options,
		  GlintProgress *progress)
{
	const GlintMemoryRegion *region = NULL;
	gboolean flash = FALSE;

	for (guint i = 0; i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *seg = glint_image_get_segment(image, i);
		gsize len = g_bytes_get_size(seg->data);
		if (glint_geometry_contains(&t->info.geometry, seg->address, len))
			flash = TRUE;
		else if (region == NULL)
			region = glint_target_programmable_region(t, seg->address, len);
	}
	if (flash || region == NULL) {
		if (!options->no_erase)
			glint_progress_add_step(progress, _("Erasing"), 20);
		glint_progress_add_step(progress, _("Programming"), 70);
		if (options->verify)
			glint_progress_add_step(progress, _("Verifying"), 10);
	}
	if (region != NULL) {
		g_autofree gchar *programming =
		    g_strdup_printf(_("Programming %s"), glint_tr(region->name));
		g_autofree gchar *verifying =
		    g_strdup_printf(_("Verifying %s"), glint_tr(region->name));
		glint_progress_add_step(progress, programming, 20);
		if (options->verify)
			glint_progress_add_step(progress, verifying, 5);
	}
}

gboolean
glint_job_program(GlintSession *self, GlintImage *image, const GlintProgramOptions *options,
		  GlintProgress *progress, GCancellable *cancellable, GlintJobResult *result,
		  GError **error)
{
	GlintProgramOptions defaults = {0};
	GlintJobClock clock;
	gboolean ok;

	if (options == NULL)
		options = &defaults;
	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	add_program_steps(self->target, image, options, progress);
	ok = program_locked(self->target, image, options, progress, cancellable, result, error);
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result,
				    options->verify ? _("Program and verify") : _("Program"));
	glint_job_end(&clock);
	return ok;
}

/* Verify-only job: CRC-32 on the target when it can run the loader;
 * *@matched FALSE means "read back instead" (no loader, or a CRC differed
 * and the read-back names the bytes). */
static gboolean
verify_by_crc(GlintTarget *t, GlintImage *image, GlintProgress *progress, GCancellable *cancellable,
	      gboolean *matched, GError **error)
{
	const GlintProgramOptions options = {.verify = TRUE};
	g_autoptr(GlintLoader) loader = NULL;
	g_autoptr(GError) error_local = NULL;

	*matched = FALSE;
	if (!try_loader(t, &options, progress, &loader, error))
		return FALSE;
	if (loader == NULL)
		return TRUE;
	{
		LoaderJob lj = {t, loader, image, progress, cancellable, NULL, {FALSE, FALSE}};
		*matched = loader_verify(&lj, &error_local);
	}
	if (*matched && !glint_loader_stop(loader, &error_local))
		*matched = FALSE;
	if (*matched)
		return TRUE;
	if (glint_error_is_cancelled(error_local) ||
	    g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_DISCONNECTED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	glint_progress_log(progress, G_LOG_LEVEL_WARNING,
			   g_error_matches(error_local, GLINT_ERROR, GLINT_ERROR_VERIFY_MISMATCH)
			       ? _("%s; reading the flash back to find the difference")
			       : _("%s; reading the flash back"),
			   error_local->message);
	return TRUE;
}

gboolean
glint_job_verify(GlintSession *self, GlintImage *image, GlintProgress *progress,
		 GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	GlintJobClock clock;
	gboolean ok = FALSE;
	guint64 verified = 0;

	if (!glint_job_begin(self, &clock, TRUE, error))
		return FALSE;
	glint_progress_add_step(progress, _("Verifying"), 1);
	if (check_image(self->target, image, error)) {
		gboolean crc_matched = FALSE;
		ok = verify_by_crc(self->target, image, progress, cancellable, &crc_matched, error);
		if (ok && crc_matched)
			verified = glint_image_get_size(image);
		else if (ok)
			ok = verify_image(self->target, image, progress, cancellable, &verified,
					  error);
		if (result != NULL)
			result->bytes = verified;
		if (ok && result != NULL)
			result->loader_used = crc_matched;
	}
	if (ok)
		glint_progress_finish(progress);
	if (ok)
		glint_job_summarize(&clock, result, _("Verify"));
	glint_job_end(&clock);
	return ok;
}

/* Read ---------------------------------------------------------------------- */

GBytes *
glint_job_read(GlintSession *self, guint32 address, guint32 size, GlintProgress *progress,
	       GCancellable *cancellable, GlintJobResult *result, GError **error)
{
	g_autofree guint8 *buf = NULL;
	GlintJobClock clock;
	gboolean ok = TRUE;

	if (size == 0 || size > READ_MAX || (guint64)address + size > 0x100000000ull) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("Cannot read %u bytes at 0x%08X: the size must be 1 byte to 64 MiB "
			      "within the 32-bit address space"),
			    size, address);
		return NULL;
	}
	if (!glint_job_begin(self, &clock, TRUE, error))
		return NULL;
	glint_progress_add_step(progress, _("Reading"), 1);
	glint_progress_begin_step(progress, size);
	buf = g_malloc(size);
	for (guint32 off = 0; ok && off < size; off += READ_CHUNK) {
		guint32 n = MIN(READ_CHUNK, size - off);
		if (glint_job_cancelled_after(cancellable, error,
					      _("Cancelled after reading %u of %u bytes"), off,
					      size)) {
			ok = FALSE;
			break;
		}
		ok = glint_target_read(self->target, address + off, buf + off, n, error);
		if (ok)
			glint_progress_update(progress, off + n);
	}
	if (ok)
		glint_progress_finish(progress);
	if (ok && result != NULL) {
		result->bytes = size;
		glint_job_summarize(&clock, result, _("Read"));
	}
	glint_job_end(&clock);
	return ok ? g_bytes_new_take(g_steal_pointer(&buf), size) : NULL;
}
