/* fuzz-options.c: libFuzzer target for option-byte edits
 * (glint_option_bytes_apply_edit), the parser behind `options set` and the
 * GUI's option editor. The input is a list of edits, one per line, applied
 * to the factory values of an STM32L476 in one of its geometries (the first
 * byte picks it). Besides "no crash, no leak, no hang": a refused edit leaves
 * the values untouched and says why in GLINT_ERROR; an accepted one yields
 * values whose WRP areas lie inside their bank (when given as FIRST-LAST)
 * and whose diff and descriptions can be computed. Built and run by
 * run-fuzz.sh. */
#define G_LOG_DOMAIN "fuzz-options"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glint-chips.h"
#include "glint-error.h"
#include "glint-options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* RM0351: 1 MB parts are always dual bank; 512 KB and 256 KB ones follow
 * DUALBANK (OPTR bit 21). */
static const struct {
	guint32 flash_kb;
	gboolean dualbank;
} geometries[] = {{1024, TRUE}, {512, TRUE}, {512, FALSE}, {256, TRUE}, {256, FALSE}};
#define OPTR_DUALBANK (1u << 21)

/* The WRP area a "WRPxy=FIRST-LAST" edit names, or -1 for any other edit
 * (raw registers such as WRP1AR=... may hold anything by design). */
static gint
wrp_range_edit_area(const char *edit)
{
	gchar bank, half;
	if (g_ascii_strncasecmp(edit, "WRP", 3) != 0 || strlen(edit) < 6 || edit[5] != '=' ||
	    strchr(edit + 6, '-') == NULL)
		return -1;
	bank = edit[3];
	half = g_ascii_toupper(edit[4]);
	if ((bank != '1' && bank != '2') || (half != 'A' && half != 'B'))
		return -1;
	return (bank - '1') * 2 + (half - 'A');
}

/* An accepted FIRST-LAST edit protects pages that exist in its bank. */
static void
check_wrp_inside_bank(const GlintOptionBytes *ob, GlintWrpArea area, const GlintFlashGeometry *g)
{
	guint first, last;
	if (!glint_option_bytes_get_wrp(ob, area, &first, &last))
		abort();
	if (first > last || last >= g->pages_per_bank || glint_wrp_area_bank(area) >= g->n_banks)
		abort();
}

static void
exercise(const GlintOptionBytes *before, const GlintOptionBytes *after, const GlintChip *chip,
	 const GlintFlashGeometry *g)
{
	g_autoptr(GPtrArray) changes = glint_option_bytes_diff(before, after, chip, g, TRUE);
	g_autofree gchar *rdp = glint_option_bytes_describe_rdp(after);
	for (guint a = 0; a < GLINT_WRP_N_AREAS; a++) {
		g_autofree gchar *wrp = glint_option_bytes_describe_wrp(after, a, g);
		if (wrp == NULL)
			abort();
	}
	(void)glint_option_changes_risk(changes);
	(void)glint_option_bytes_rdp_level(after);
	if (rdp == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const GlintChip *chip = glint_chip_lookup(0x415);
	GlintFlashGeometry geometry;
	GlintOptionBytes factory, ob;
	g_autofree gchar *text = NULL;
	g_auto(GStrv) edits = NULL;
	guint which;

	if (size == 0 || chip == NULL)
		return 0;
	which = data[0] % G_N_ELEMENTS(geometries);
	glint_option_bytes_init_factory(&factory);
	if (!geometries[which].dualbank)
		factory.optr &= ~OPTR_DUALBANK;
	glint_chip_get_geometry(chip, geometries[which].flash_kb, factory.optr, &geometry);
	ob = factory;
	text = g_strndup((const gchar *)data + 1, size - 1);
	edits = g_strsplit(text, "\n", 16);
	for (guint i = 0; edits[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		GlintOptionBytes was = ob;
		if (!glint_option_bytes_apply_edit(&ob, chip, &geometry, edits[i], &error)) {
			if (error == NULL || error->domain != GLINT_ERROR ||
			    error->message[0] == '\0')
				abort();
			if (memcmp(&was, &ob, sizeof(ob)) != 0)
				abort();
			continue;
		}
		if (error != NULL)
			abort();
		if (wrp_range_edit_area(edits[i]) >= 0)
			check_wrp_inside_bank(&ob, wrp_range_edit_area(edits[i]), &geometry);
	}
	exercise(&factory, &ob, chip, &geometry);
	return 0;
}
