/* fuzz-options.c: libFuzzer target for option-byte edits
 * (glint_option_bytes_apply_edit), the parser behind `options set` and the
 * GUI's option editor. The input is a list of edits, one per line, applied
 * to the factory values of a chip of a family Glint knows, in one of its
 * sizes (the first byte picks both). Besides "no crash, no leak, no hang": a
 * refused edit leaves the values untouched and says why in GLINT_ERROR; an
 * accepted area edit yields ranges inside their bank, and the diff, the
 * family's checks and every description can be computed. Built and run by
 * run-fuzz.sh. */
#define G_LOG_DOMAIN "fuzz-options"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-family.h"
#include "glint-options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every chip of every family, in registry order. */
static const GlintChip *
pick_chip(guint8 which, guint *variant)
{
	const GlintFamily *const *families = glint_family_all();
	guint n = 0, k;
	for (guint f = 0; families[f] != NULL; f++)
		n += families[f]->n_chips;
	k = (which & 0x0F) % n;
	*variant = which >> 4;
	for (guint f = 0; families[f] != NULL; f++) {
		if (k < families[f]->n_chips)
			return &families[f]->chips[k];
		k -= families[f]->n_chips;
	}
	return NULL;
}

/* An accepted edit of a unit-numbered area protects units that exist. */
static void
check_area_inside_bank(const GlintOptionBytes *ob, const GlintProtectionArea *area,
		       const GlintFlashGeometry *g)
{
	g_autoptr(GArray) ranges = glint_option_bytes_get_area(ob, area, g);
	gint bank = glint_geometry_bank_of_physical(g, area->bank);
	if (area->granule != 0 || ranges->len == 0)
		return;
	if (bank < 0)
		abort();
	for (guint i = 0; i < ranges->len; i++) {
		const GlintRange *r = &g_array_index(ranges, GlintRange, i);
		if (r->first > r->last || r->first < g->banks[bank].first_number ||
		    r->last >= g->banks[bank].first_number + g->banks[bank].n_units)
			abort();
	}
}

static void
exercise(const GlintOptionContext *ctx, const GlintOptionBytes *before,
	 const GlintOptionBytes *after)
{
	g_autoptr(GPtrArray) changes = glint_option_bytes_diff(ctx, before, after);
	g_autofree gchar *rdp = glint_option_bytes_describe_rdp(after);
	g_autoptr(GError) error = NULL;
	const GlintOptionLayout *layout = after->layout;

	for (guint a = 0; a < layout->n_areas; a++) {
		g_autofree gchar *covers =
		    glint_option_bytes_describe_area(after, &layout->areas[a], ctx->geometry);
		g_autofree gchar *value =
		    glint_option_bytes_area_edit_value(after, &layout->areas[a], ctx->geometry);
		if (covers == NULL || value == NULL)
			abort();
	}
	for (guint f = 0; f < layout->n_fields; f++)
		g_free(glint_option_bytes_describe_field(after, &layout->fields[f]));
	if (!glint_option_bytes_check(ctx, before, after, &error) &&
	    (error == NULL || error->message[0] == '\0'))
		abort();
	(void)glint_option_changes_risk(changes);
	(void)glint_option_bytes_rdp_level(after);
	if (rdp == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const GlintChip *chip;
	GlintFlashGeometry geometry;
	GlintOptionBytes factory, ob;
	GlintOptionContext ctx;
	g_autofree gchar *text = NULL;
	g_auto(GStrv) edits = NULL;
	guint variant = 0;

	if (size == 0)
		return 0;
	chip = pick_chip(data[0], &variant);
	if (chip == NULL)
		return 0;
	glint_option_bytes_init_factory(&factory, chip->options);
	{
		guint n_sizes = 0;
		while (chip->flash_kb_variants[n_sizes] != 0)
			n_sizes++;
		glint_chip_default_geometry(chip, chip->flash_kb_variants[variant % n_sizes],
					    &factory, &geometry);
	}
	ctx = (GlintOptionContext){chip->options, &geometry, chip->name, variant != 0, chip};
	ob = factory;
	text = g_strndup((const gchar *)data + 1, size - 1);
	edits = g_strsplit(text, "\n", 16);
	for (guint i = 0; edits[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		GlintOptionBytes was = ob;
		const char *eq = strchr(edits[i], '=');
		g_autofree gchar *name = eq != NULL ? g_strndup(edits[i], eq - edits[i]) : NULL;
		const GlintProtectionArea *area =
		    name != NULL ? glint_option_layout_find_area(chip->options, name) : NULL;
		if (!glint_option_bytes_apply_edit(&ob, &ctx, edits[i], &error)) {
			if (error == NULL || error->domain != GLINT_ERROR ||
			    error->message[0] == '\0')
				abort();
			if (memcmp(&was, &ob, sizeof(ob)) != 0)
				abort();
			continue;
		}
		if (error != NULL)
			abort();
		if (area != NULL)
			check_area_inside_bank(&ob, area, &geometry);
	}
	exercise(&ctx, &factory, &ob);
	return 0;
}
