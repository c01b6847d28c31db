/* bench-sim.c: how fast the emulator runs, and what device time it models,
 * for a whole-flash job driven through raw ST-LINK commands: mass erase,
 * 1 MB programmed double word by double word (the way a host without a RAM
 * loader does it: write 8 bytes, check status, poll SR), read back in
 * 6144-byte chunks. Prints host and modelled times. */
#include <stdio.h>
#include <string.h>

#include "glint-sim.h"

static void
put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

static guint8
cmd(GlintSim *sim, guint8 sub, guint32 a, guint32 b, const guint8 *out, gsize out_len, guint8 *in,
    gsize in_len)
{
	guint8 block[16] = {0xF2, sub};
	guint8 r[12] = {0};
	put32(block + 2, a);
	put32(block + 6, b);
	glint_sim_bulk_out(sim, block, 16);
	if (out != NULL)
		glint_sim_bulk_out(sim, out, out_len);
	if (in == NULL) {
		in = r;
		in_len = sizeof(r);
	}
	glint_sim_bulk_in(sim, in, in_len);
	return in[0];
}

static guint32
read_reg(GlintSim *sim, guint32 addr)
{
	guint8 r[8] = {0};
	cmd(sim, 0x36, addr, 0, NULL, 0, r, sizeof(r));
	return r[4] | (guint32)r[5] << 8 | (guint32)r[6] << 16 | (guint32)r[7] << 24;
}

static void
wait_bsy(GlintSim *sim)
{
	while (read_reg(sim, 0x40022010u) & (1u << 16))
		;
}

int
main(void)
{
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	const guint32 size = 1024 * 1024;
	g_autofree guint8 *img = g_malloc(size);
	g_autofree guint8 *back = g_malloc(6144);
	GlintSimStats st;
	gint64 h0, h1, h2, h3;
	gint64 d1, d2, d3;
	gint64 h4, h5, d4, d5;
	guint8 enter[16] = {0xF2, 0x30, 0xA3};
	guint8 r[2];
	for (guint32 i = 0; i < size; i++)
		img[i] = (guint8)(i * 31 + (i >> 11));
	glint_sim_bulk_out(sim, enter, 16);
	glint_sim_bulk_in(sim, r, 2);
	glint_sim_reset_time(sim);
	h0 = g_get_monotonic_time();
	cmd(sim, 0x35, 0x40022008u, 0x45670123u, NULL, 0, NULL, 0);
	cmd(sim, 0x35, 0x40022008u, 0xCDEF89ABu, NULL, 0, NULL, 0);
	cmd(sim, 0x35, 0x40022014u, (1u << 2) | (1u << 15) | (1u << 16), NULL, 0, NULL, 0);
	wait_bsy(sim);
	cmd(sim, 0x35, 0x40022014u, 1u, NULL, 0, NULL, 0);
	h1 = g_get_monotonic_time();
	d1 = glint_sim_get_time_ns(sim);
	for (guint32 off = 0; off < size; off += 8) {
		cmd(sim, 0x08, 0x08000000u + off, 8, img + off, 8, r, 0);
		cmd(sim, 0x3E, 0, 0, NULL, 0, NULL, 0);
		wait_bsy(sim);
	}
	cmd(sim, 0x35, 0x40022014u, 1u << 31, NULL, 0, NULL, 0);
	h2 = g_get_monotonic_time();
	d2 = glint_sim_get_time_ns(sim);
	for (guint32 off = 0; off < size; off += 6144) {
		guint32 n = MIN(6144u, size - off);
		cmd(sim, 0x07, 0x08000000u + off, n, NULL, 0, back, n);
		if (memcmp(back, img + off, n) != 0) {
			fprintf(stderr, "verify mismatch at 0x%08x\n", 0x08000000u + off);
			return 1;
		}
	}
	h3 = g_get_monotonic_time();
	d3 = glint_sim_get_time_ns(sim);
	/* again, but in 6144-byte WRITEMEM_32BIT blocks: the AHB stalls on BSY
	 * between double words, so the flash itself sets the pace */
	cmd(sim, 0x35, 0x40022008u, 0x45670123u, NULL, 0, NULL, 0);
	cmd(sim, 0x35, 0x40022008u, 0xCDEF89ABu, NULL, 0, NULL, 0);
	cmd(sim, 0x35, 0x40022014u, (1u << 2) | (1u << 15) | (1u << 16), NULL, 0, NULL, 0);
	wait_bsy(sim);
	cmd(sim, 0x35, 0x40022014u, 1u, NULL, 0, NULL, 0);
	h4 = g_get_monotonic_time();
	d4 = glint_sim_get_time_ns(sim);
	for (guint32 off = 0; off < size; off += 6144) {
		guint32 n = MIN(6144u, size - off);
		cmd(sim, 0x08, 0x08000000u + off, n, img + off, n, r, 0);
		cmd(sim, 0x3E, 0, 0, NULL, 0, NULL, 0);
	}
	wait_bsy(sim);
	h5 = g_get_monotonic_time();
	d5 = glint_sim_get_time_ns(sim);
	if (read_reg(sim, 0x40022010u) != 0) {
		fprintf(stderr, "flash error after block programming\n");
		return 1;
	}
	glint_sim_get_stats(sim, &st);
	printf("mass erase:  host %8.3f ms  device %9.3f ms\n", (h1 - h0) / 1e3, d1 / 1e6);
	printf("program 1MB: host %8.3f ms  device %9.3f ms  (3 commands per double word)\n",
	       (h2 - h1) / 1e3, (d2 - d1) / 1e6);
	printf("verify 1MB:  host %8.3f ms  device %9.3f ms\n", (h3 - h2) / 1e3, (d3 - d2) / 1e6);
	printf("program 1MB in 6 KB blocks: host %8.3f ms  device %9.3f ms\n", (h5 - h4) / 1e3,
	       (d5 - d4) / 1e6);
	printf("total: %" G_GUINT64_FORMAT " double words, %" G_GUINT64_FORMAT " USB commands\n",
	       st.double_words_programmed, st.usb_commands);
	return 0;
}
