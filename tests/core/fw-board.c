/* fw-board.c: see fw-board.h */
#include "fw-board.h"

#include "glint-image.h"

gchar *
fw_board_path(const char *name)
{
	const char *src = g_getenv("GLINT_SOURCE_DIR");
	ck_assert_msg(src != NULL, "GLINT_SOURCE_DIR is not set (run through meson test)");
	return g_build_filename(src, "tests", "data", "firmware", name, NULL);
}

FwBoard *
fw_board_new(const char *elf_name, gint64 run_ns, gboolean no_halt)
{
	return fw_board_new_full("fresh", elf_name, run_ns, no_halt, GLINT_PROBE_KIND_V2, 0);
}

FwBoard *
fw_board_new_full(const char *spec, const char *elf_name, gint64 run_ns, gboolean no_halt,
		  GlintProbeKind kind, guint jtag_version)
{
	g_autofree gchar *path = elf_name != NULL ? fw_board_path(elf_name) : NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintImage) image = NULL;
	g_autoptr(GlintTransport) transport = NULL;
	GlintConnectOptions options = {.no_halt = no_halt};
	FwBoard *b = g_new0(FwBoard, 1);

	if (path != NULL) {
		image = glint_image_load(path, NULL, &error);
		ck_assert_msg(image != NULL, "%s: %s", path, error ? error->message : "");
		b->elf = glint_debug_info_load(path, &error);
		ck_assert_msg(b->elf != NULL, "%s: %s", path, error ? error->message : "");
	}
	b->sim = glint_sim_new(spec, &error);
	ck_assert_msg(b->sim != NULL, "%s", error ? error->message : "");
	glint_sim_set_probe_kind(b->sim, kind);
	if (jtag_version != 0)
		glint_sim_set_firmware_version(b->sim, jtag_version);
	for (guint i = 0; image != NULL && i < glint_image_get_n_segments(image); i++) {
		const GlintImageSegment *s = glint_image_get_segment(image, i);
		gsize n = 0;
		const guint8 *d = g_bytes_get_data(s->data, &n);
		ck_assert(glint_sim_poke(b->sim, s->address, d, n));
	}
	glint_sim_power_cycle(b->sim);
	if (run_ns > 0)
		glint_sim_advance_time(b->sim, run_ns);
	transport = glint_sim_transport_new(b->sim);
	b->session = glint_session_new(transport);
	ck_assert_msg(glint_job_connect(b->session, &options, NULL, NULL, &error), "connect: %s",
		      error ? error->message : "");
	return b;
}

void
fw_board_free(FwBoard *b)
{
	if (b == NULL)
		return;
	glint_session_unref(b->session);
	glint_sim_unref(b->sim);
	g_clear_pointer(&b->elf, glint_debug_info_unref);
	g_free(b);
}

guint32
fw_board_symbol(FwBoard *b, const char *name)
{
	const GlintSymbol *s = glint_debug_info_find_symbol(b->elf, name);
	ck_assert_msg(s != NULL, "no symbol %s", name);
	return s->address;
}

guint32
fw_board_peek32(FwBoard *b, guint32 addr)
{
	return glint_sim_peek32(b->sim, addr);
}
