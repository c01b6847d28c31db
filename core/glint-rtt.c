/* glint-rtt.c: SEGGER RTT control blocks and channels (see glint-rtt.h).
 *
 * The control block, as SEGGER's RTT, J-Link, OpenOCD and probe-rs lay it
 * out (all fields 32-bit, little endian):
 *   +0  char ID[16]          "SEGGER RTT", NUL padded, written last
 *   +16 MaxNumUpBuffers      then MaxNumDownBuffers at +20
 *   +24 up descriptors, then down descriptors, 24 bytes each:
 *       +0 sName, +4 pBuffer, +8 SizeOfBuffer, +12 WrOff, +16 RdOff,
 *       +20 Flags (mode in bits 1:0)
 * The writer of a channel owns WrOff, the reader RdOff; the buffer is
 * empty when they are equal and full when WrOff is one behind RdOff. */
#define G_LOG_DOMAIN "glint-rtt"

#include "glint-i18n.h"
#include "glint-rtt.h"

#include <string.h>

#include "glint-job-private.h"

#define RTT_ID "SEGGER RTT"
#define RTT_ID_LEN 11u /* with its NUL */
#define RTT_HEADER_SIZE 24u
#define RTT_DESC_SIZE 24u
#define RTT_DESC_NAME 0u
#define RTT_DESC_BUFFER 4u
#define RTT_DESC_SIZE_OF 8u
#define RTT_DESC_WR_OFF 12u
#define RTT_DESC_RD_OFF 16u
#define RTT_DESC_FLAGS 20u
#define RTT_MODE_MASK 3u
/* A channel name is short text */
#define RTT_NAME_MAX 32u
/* SRAM is scanned in pieces this big; the next one starts a little earlier
 * so that an ID across the border is seen */
#define RTT_SCAN_CHUNK 4096u
/* Not found at first: the firmware may still be starting; one more scan
 * after this long */
#define RTT_RESCAN_NS G_GINT64_CONSTANT(100000000)
/* Nothing to read or write: wait this long before the next poll */
#define RTT_POLL_IDLE_NS G_GINT64_CONSTANT(10000000)
/* Input held for the target at most (reading stdin pauses beyond it) */
#define RTT_INPUT_MAX (64u * 1024u)

struct _GlintRtt {
	GlintSession *session;
	guint32 address;
	GPtrArray *up;	 /* GlintRttChannel */
	GPtrArray *down; /* GlintRttChannel */
};

static guint32
rtt_get32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static void
rtt_channel_free(GlintRttChannel *ch)
{
	g_free(ch->name);
	g_free(ch);
}

/* The chip's SRAM holding all of [@addr, @addr + @len), or NULL */
static const GlintMemoryRegion *
rtt_sram_holding(const GlintChip *chip, guint32 addr, guint64 len)
{
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (r->kind == GLINT_REGION_SRAM && addr >= r->base &&
		    (guint64)addr + len <= (guint64)r->base + r->size)
			return r;
	}
	return NULL;
}

/* Where a name may be: SRAM, main flash, another memory of the chip
 * (not peripherals); the bytes readable from @addr */
static guint32
rtt_readable_from(GlintTarget *t, guint32 addr)
{
	const GlintChip *chip = t->chip;
	guint64 flash_end = (guint64)chip->flash_base + (guint64)t->info.flash_kb * 1024u;
	if (addr >= chip->flash_base && addr < flash_end)
		return (guint32)(flash_end - addr);
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (r->kind != GLINT_REGION_PERIPHERALS && addr >= r->base &&
		    addr - r->base < r->size)
			return r->base + r->size - addr;
	}
	return 0;
}

static gchar *
rtt_sram_list(const GlintChip *chip)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; i < chip->n_regions; i++) {
		const GlintMemoryRegion *r = &chip->regions[i];
		if (r->kind != GLINT_REGION_SRAM)
			continue;
		g_string_append_printf(s, "%s%s 0x%08X-0x%08X", s->len > 0 ? ", " : "",
				       glint_tr(r->name), r->base, r->base + r->size - 1);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The way out every complaint about a block ends with */
#define RTT_CORRUPT_HINT                                                                           \
	N_("the control block is damaged or not yet set up: reset the target and let it run "      \
	   "past SEGGER_RTT_Init(), or give the block's address (the ELF's _SEGGER_RTT)")

static void
rtt_corrupt(GError **error, guint32 cb, const char *what)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_CORRUPT,
		    _("SEGGER RTT control block at 0x%08X: %s; %s"), cb, what, _(RTT_CORRUPT_HINT));
}

static gboolean
rtt_read_name(GlintTarget *t, guint32 cb, const char *which, guint32 addr, gchar **name,
	      GError **error)
{
	guint8 buf[RTT_NAME_MAX];
	guint32 n;
	gsize len;
	*name = NULL;
	if (addr == 0)
		return TRUE;
	n = MIN(rtt_readable_from(t, addr), RTT_NAME_MAX);
	if (n == 0) {
		g_autofree gchar *what =
		    g_strdup_printf(_("%s's name pointer 0x%08X is in no memory of the %s"), which,
				    addr, t->chip->name);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	if (!glint_target_read(t, addr, buf, n, error))
		return FALSE;
	for (len = 0; len < n && buf[len] != 0; len++) {
		if (buf[len] < 0x20 || buf[len] > 0x7E) {
			g_autofree gchar *what = g_strdup_printf(
			    _("%s's name at 0x%08X is not text (byte 0x%02X at +%zu)"), which, addr,
			    buf[len], len);
			rtt_corrupt(error, cb, what);
			return FALSE;
		}
	}
	if (len == n) {
		g_autofree gchar *what = g_strdup_printf(
		    _("%s's name at 0x%08X does not end within %u bytes"), which, addr, n);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	*name = g_strndup((const gchar *)buf, len);
	return TRUE;
}

/* One descriptor: its buffer inside SRAM, its offsets inside the buffer */
static gboolean
rtt_check_descriptor(GlintTarget *t, guint32 cb, GlintRttChannel *ch, const guint8 *desc,
		     GError **error)
{
	g_autofree gchar *which = g_strdup_printf(
	    _("%s channel %u"), ch->up ? C_("RTT channel", "up") : C_("RTT channel", "down"),
	    ch->index);
	guint32 wr = rtt_get32(desc + RTT_DESC_WR_OFF);
	guint32 rd = rtt_get32(desc + RTT_DESC_RD_OFF);

	ch->buffer = rtt_get32(desc + RTT_DESC_BUFFER);
	ch->size = rtt_get32(desc + RTT_DESC_SIZE_OF);
	ch->mode = (GlintRttMode)(rtt_get32(desc + RTT_DESC_FLAGS) & RTT_MODE_MASK);
	/* a channel the firmware does not use: no buffer at all */
	if (ch->buffer == 0 && ch->size == 0)
		return TRUE;
	if (ch->size < 2) {
		g_autofree gchar *what =
		    g_strdup_printf(_("%s has a buffer of %u bytes"), which, ch->size);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	if (rtt_sram_holding(t->chip, ch->buffer, ch->size) == NULL) {
		g_autofree gchar *sram = rtt_sram_list(t->chip);
		g_autofree gchar *what = g_strdup_printf(
		    _("%s's buffer 0x%08X (%u bytes) is not inside the %s's SRAM (%s)"), which,
		    ch->buffer, ch->size, t->chip->name, sram);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	if (wr >= ch->size || rd >= ch->size) {
		g_autofree gchar *what =
		    g_strdup_printf(_("%s's offsets (WrOff %u, RdOff %u) are beyond its %u bytes"),
				    which, wr, rd, ch->size);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	if (ch->mode > GLINT_RTT_MODE_BLOCK) {
		g_autofree gchar *what = g_strdup_printf(
		    _("%s's mode %u is none of skip, trim, block"), which, ch->mode);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	return rtt_read_name(t, cb, which, rtt_get32(desc + RTT_DESC_NAME), &ch->name, error);
}

/* The block at @cb, whose ID was seen: counts, descriptors, names */
static gboolean
rtt_load(GlintRtt *rtt, GlintTarget *t, guint32 cb, GError **error)
{
	guint8 header[RTT_HEADER_SIZE];
	g_autofree guint8 *descs = NULL;
	gint32 n_up, n_down;
	guint32 len;

	if (!glint_target_read(t, cb, header, sizeof(header), error))
		return FALSE;
	if (memcmp(header, RTT_ID, RTT_ID_LEN) != 0) {
		g_autofree gchar *seen = g_strndup((const gchar *)header, 16);
		for (gchar *p = seen; *p != '\0'; p++)
			*p = g_ascii_isprint(*p) ? *p : '.';
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_NOT_FOUND,
			    _("No SEGGER RTT control block at 0x%08X: it starts with \"%s\", not "
			      "\"%s\" (the firmware has not set it up yet, or the address "
			      "is not _SEGGER_RTT's)"),
			    cb, seen, RTT_ID);
		return FALSE;
	}
	n_up = (gint32)rtt_get32(header + 16);
	n_down = (gint32)rtt_get32(header + 20);
	if (n_up < 1 || n_up > (gint32)GLINT_RTT_MAX_CHANNELS || n_down < 0 ||
	    n_down > (gint32)GLINT_RTT_MAX_CHANNELS) {
		g_autofree gchar *what =
		    g_strdup_printf(_("it declares %d up and %d down channels (1 to %u up, 0 to %u "
				      "down make sense)"),
				    n_up, n_down, GLINT_RTT_MAX_CHANNELS, GLINT_RTT_MAX_CHANNELS);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	len = RTT_HEADER_SIZE + (guint32)(n_up + n_down) * RTT_DESC_SIZE;
	if (rtt_sram_holding(t->chip, cb, len) == NULL) {
		g_autofree gchar *what = g_strdup_printf(
		    _("its %u bytes (for %d up and %d down channels) run out of SRAM"), len, n_up,
		    n_down);
		rtt_corrupt(error, cb, what);
		return FALSE;
	}
	descs = g_malloc(len - RTT_HEADER_SIZE);
	if (!glint_target_read(t, cb + RTT_HEADER_SIZE, descs, len - RTT_HEADER_SIZE, error))
		return FALSE;
	g_ptr_array_set_size(rtt->up, 0);
	g_ptr_array_set_size(rtt->down, 0);
	for (gint32 i = 0; i < n_up + n_down; i++) {
		GlintRttChannel *ch = g_new0(GlintRttChannel, 1);
		ch->up = i < n_up;
		ch->index = (guint)(ch->up ? i : i - n_up);
		ch->desc = cb + RTT_HEADER_SIZE + (guint32)i * RTT_DESC_SIZE;
		g_ptr_array_add(ch->up ? rtt->up : rtt->down, ch);
		if (!rtt_check_descriptor(t, cb, ch, descs + i * RTT_DESC_SIZE, error))
			return FALSE;
	}
	rtt->address = cb;
	return TRUE;
}

/* Scans every SRAM of the chip for the ID at word-aligned addresses; the
 * first block that holds together wins. A block that does not is reported
 * when no other does. */
static gboolean
rtt_scan(GlintRtt *rtt, GlintTarget *t, GCancellable *cancellable, GError **error)
{
	g_autofree guint8 *buf = g_malloc(RTT_SCAN_CHUNK);
	g_autoptr(GError) first_bad = NULL;

	for (guint i = 0; i < t->chip->n_regions; i++) {
		const GlintMemoryRegion *r = &t->chip->regions[i];
		if (r->kind != GLINT_REGION_SRAM)
			continue;
		for (guint32 off = 0; off + RTT_ID_LEN <= r->size;) {
			guint32 n = MIN(RTT_SCAN_CHUNK, r->size - off);
			if (glint_job_cancelled_after(
				cancellable, error,
				_("Cancelled while looking for the RTT control block at 0x%08X; "
				  "nothing was written to the chip"),
				r->base + off) ||
			    !glint_target_read(t, r->base + off, buf, n, error))
				return FALSE;
			for (guint32 k = 0; k + RTT_ID_LEN <= n; k += 4) {
				g_autoptr(GError) bad = NULL;
				if (memcmp(buf + k, RTT_ID, RTT_ID_LEN) != 0)
					continue;
				if (rtt_load(rtt, t, r->base + off + k, &bad))
					return TRUE;
				if (!g_error_matches(bad, GLINT_ERROR, GLINT_ERROR_CORRUPT)) {
					g_propagate_error(error, g_steal_pointer(&bad));
					return FALSE;
				}
				if (first_bad == NULL)
					first_bad = g_steal_pointer(&bad);
			}
			if (off + n >= r->size)
				break;
			/* the next piece repeats the last few words */
			off += n - (RTT_ID_LEN + 1) / 4 * 4 - 4;
		}
	}
	if (first_bad != NULL) {
		g_propagate_error(error, g_steal_pointer(&first_bad));
		return FALSE;
	}
	{
		g_autofree gchar *sram = rtt_sram_list(t->chip);
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_NOT_FOUND,
		    _("No SEGGER RTT control block in the %s's SRAM (%s): the firmware does "
		      "not use RTT or has not set it up yet (it writes the ID \"%s\" "
		      "last); if the block is elsewhere, give its address"),
		    t->chip->name, sram, RTT_ID);
	}
	return FALSE;
}

static gboolean
rtt_attach_locked(GlintRtt *rtt, const GlintRttOptions *options, GlintProgress *progress,
		  GCancellable *cancellable, GError **error)
{
	GlintTarget *t = glint_session_get_target(rtt->session);
	g_autoptr(GError) local = NULL;
	GlintTransport *transport = glint_session_get_transport(rtt->session);

	/* RTT is read while the firmware runs */
	if (!glint_target_run(t, error))
		return FALSE;
	if (options->has_address) {
		if (!rtt_load(rtt, t, options->address, error))
			return FALSE;
	} else if (!rtt_scan(rtt, t, cancellable, &local)) {
		if (!g_error_matches(local, GLINT_ERROR, GLINT_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		/* it may still be starting: once more, a little later */
		g_clear_error(&local);
		glint_transport_idle(transport, RTT_RESCAN_NS, cancellable);
		if (!rtt_scan(rtt, t, cancellable, error))
			return FALSE;
	}
	glint_progress_log(progress, G_LOG_LEVEL_MESSAGE,
			   _("SEGGER RTT control block at 0x%08X: %u up and %u down channels"),
			   rtt->address, rtt->up->len, rtt->down->len);
	for (guint i = 0; i < rtt->up->len + rtt->down->len; i++) {
		const GlintRttChannel *ch = i < rtt->up->len
						? g_ptr_array_index(rtt->up, i)
						: g_ptr_array_index(rtt->down, i - rtt->up->len);
		if (ch->size == 0)
			continue;
		glint_progress_log(progress, G_LOG_LEVEL_INFO,
				   _("RTT %s channel %u \"%s\": %u bytes"),
				   ch->up ? C_("RTT channel", "up") : C_("RTT channel", "down"),
				   ch->index, ch->name ? ch->name : "", ch->size);
	}
	return TRUE;
}

GlintRtt *
glint_rtt_attach(GlintSession *session, const GlintRttOptions *options, GlintProgress *progress,
		 GCancellable *cancellable, GError **error)
{
	g_autoptr(GlintRtt) rtt = NULL;
	GlintRttOptions defaults = {0};
	GlintJobClock clock;
	gboolean ok;

	g_return_val_if_fail(session != NULL, NULL);
	if (glint_job_cancelled_after(
		cancellable, error,
		_("Cancelled before RTT was attached; the chip is unchanged")) ||
	    !glint_job_begin(session, &clock, TRUE, error))
		return NULL;
	rtt = g_new0(GlintRtt, 1);
	rtt->session = glint_session_ref(session);
	rtt->up = g_ptr_array_new_with_free_func((GDestroyNotify)rtt_channel_free);
	rtt->down = g_ptr_array_new_with_free_func((GDestroyNotify)rtt_channel_free);
	ok = rtt_attach_locked(rtt, options != NULL ? options : &defaults, progress, cancellable,
			       error);
	glint_job_end(&clock);
	return ok ? g_steal_pointer(&rtt) : NULL;
}

void
glint_rtt_free(GlintRtt *rtt)
{
	if (rtt == NULL)
		return;
	g_clear_pointer(&rtt->up, g_ptr_array_unref);
	g_clear_pointer(&rtt->down, g_ptr_array_unref);
	g_clear_pointer(&rtt->session, glint_session_unref);
	g_free(rtt);
}

guint32
glint_rtt_get_address(GlintRtt *rtt)
{
	return rtt->address;
}

guint
glint_rtt_get_n_channels(GlintRtt *rtt, gboolean up)
{
	return (up ? rtt->up : rtt->down)->len;
}

const GlintRttChannel *
glint_rtt_get_channel(GlintRtt *rtt, gboolean up, guint index)
{
	GPtrArray *a = up ? rtt->up : rtt->down;
	return index < a->len ? g_ptr_array_index(a, index) : NULL;
}

/* The descriptor as it is now: its buffer and size must not have moved
 * (a firmware that set the block up again), its offsets must fit */
static gboolean
rtt_offsets(GlintRtt *rtt, const GlintRttChannel *ch, const guint8 *desc, guint32 *wr, guint32 *rd,
	    GError **error)
{
	*wr = rtt_get32(desc + RTT_DESC_WR_OFF);
	*rd = rtt_get32(desc + RTT_DESC_RD_OFF);
	if (rtt_get32(desc + RTT_DESC_BUFFER) != ch->buffer ||
	    rtt_get32(desc + RTT_DESC_SIZE_OF) != ch->size) {
		g_autofree gchar *what = g_strdup_printf(
		    _("%s channel %u moved to buffer 0x%08X (%u bytes) since it was found"),
		    ch->up ? C_("RTT channel", "up") : C_("RTT channel", "down"), ch->index,
		    rtt_get32(desc + RTT_DESC_BUFFER), rtt_get32(desc + RTT_DESC_SIZE_OF));
		rtt_corrupt(error, rtt->address, what);
		return FALSE;
	}
	if (*wr >= ch->size || *rd >= ch->size) {
		g_autofree gchar *what = g_strdup_printf(
		    _("%s channel %u's offsets (WrOff %u, RdOff %u) are beyond its %u bytes"),
		    ch->up ? C_("RTT channel", "up") : C_("RTT channel", "down"), ch->index, *wr,
		    *rd, ch->size);
		rtt_corrupt(error, rtt->address, what);
		return FALSE;
	}
	return TRUE;
}

/* One up channel: what lies between RdOff and WrOff (in two pieces when it
 * wraps), then RdOff moves to where WrOff was */
static gboolean
rtt_read_channel(GlintRtt *rtt, GlintTarget *t, const GlintRttChannel *ch, const guint8 *desc,
		 GByteArray *out, GError **error)
{
	guint32 wr, rd, first;
	if (!rtt_offsets(rtt, ch, desc, &wr, &rd, error))
		return FALSE;
	g_byte_array_set_size(out, 0);
	if (wr == rd)
		return TRUE;
	first = wr > rd ? wr - rd : ch->size - rd;
	g_byte_array_set_size(out, wr > rd ? first : first + wr);
	if (!glint_target_read(t, ch->buffer + rd, out->data, first, error))
		return FALSE;
	if (wr < rd && wr > 0 && !glint_target_read(t, ch->buffer, out->data + first, wr, error))
		return FALSE;
	return glint_target_write32(t, ch->desc + RTT_DESC_RD_OFF, wr, error);
}

static gboolean
rtt_poll_locked(GlintRtt *rtt, GlintRttDataFunc func, gpointer user_data, gsize *bytes,
		GError **error)
{
	GlintTarget *t = glint_session_get_target(rtt->session);
	g_autofree guint8 *descs = g_malloc(rtt->up->len * RTT_DESC_SIZE);
	g_autoptr(GByteArray) data = g_byte_array_new();

	if (!glint_target_read(t, rtt->address + RTT_HEADER_SIZE, descs,
			       rtt->up->len * RTT_DESC_SIZE, error))
		return FALSE;
	for (guint i = 0; i < rtt->up->len; i++) {
		const GlintRttChannel *ch = g_ptr_array_index(rtt->up, i);
		if (ch->size == 0)
			continue;
		if (!rtt_read_channel(rtt, t, ch, descs + i * RTT_DESC_SIZE, data, error))
			return FALSE;
		if (data->len == 0)
			continue;
		*bytes += data->len;
		if (func != NULL)
			func(ch->index, data->data, data->len, user_data);
	}
	return TRUE;
}

gboolean
glint_rtt_poll(GlintRtt *rtt, GlintRttDataFunc func, gpointer user_data, gsize *bytes,
	       GError **error)
{
	GlintJobClock clock;
	gsize n = 0;
	gboolean ok;

	g_return_val_if_fail(rtt != NULL, FALSE);
	if (!glint_job_begin(rtt->session, &clock, TRUE, error))
		return FALSE;
	ok = rtt_poll_locked(rtt, func, user_data, &n, error);
	glint_job_end(&clock);
	if (bytes != NULL)
		*bytes = n;
	return ok;
}

static gboolean
rtt_write_locked(GlintRtt *rtt, const GlintRttChannel *ch, const guint8 *data, gsize len,
		 gsize *written, GError **error)
{
	GlintTarget *t = glint_session_get_target(rtt->session);
	guint8 desc[RTT_DESC_SIZE];
	guint32 wr, rd, room, n, first;

	if (!glint_target_read(t, ch->desc, desc, sizeof(desc), error) ||
	    !rtt_offsets(rtt, ch, desc, &wr, &rd, error))
		return FALSE;
	/* one byte stays free: WrOff == RdOff means empty */
	room = rd > wr ? rd - wr - 1 : ch->size - (wr - rd) - 1;
	if (ch->mode == GLINT_RTT_MODE_SKIP && len > room)
		n = 0;
	else
		n = (guint32)MIN(len, (gsize)room);
	if (n == 0)
		return TRUE;
	first = MIN(n, ch->size - wr);
	if (!glint_target_write(t, ch->buffer + wr, data, first, error))
		return FALSE;
	if (n > first && !glint_target_write(t, ch->buffer, data + first, n - first, error))
		return FALSE;
	/* the data is in place before the target can see it */
	if (!glint_target_write32(t, ch->desc + RTT_DESC_WR_OFF, (wr + n) % ch->size, error))
		return FALSE;
	*written = n;
	return TRUE;
}

gboolean
glint_rtt_write(GlintRtt *rtt, guint channel, const guint8 *data, gsize len, gsize *written,
		GError **error)
{
	const GlintRttChannel *ch;
	GlintJobClock clock;
	gboolean ok;

	g_return_val_if_fail(rtt != NULL, FALSE);
	g_return_val_if_fail(written != NULL, FALSE);
	*written = 0;
	ch = glint_rtt_get_channel(rtt, FALSE, channel);
	if (ch == NULL || ch->size == 0) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("The firmware has no RTT down channel %u (it declares %u, the used ones "
		      "with a buffer)"),
		    channel, rtt->down->len);
		return FALSE;
	}
	if (len == 0)
		return TRUE;
	if (!glint_job_begin(rtt->session, &clock, TRUE, error))
		return FALSE;
	ok = rtt_write_locked(rtt, ch, data, len, written, error);
	glint_job_end(&clock);
	return ok;
}

static gint64
rtt_now_ns(GlintTransport *transport)
{
	gint64 device = glint_transport_get_device_time_ns(transport);
	return device >= 0 ? device : g_get_monotonic_time() * 1000;
}

/* Takes what @input has now, as long as not too much is held back */
static void
rtt_take_input(GByteArray *pending, GlintRttInputFunc input, gpointer user_data, gboolean *eof)
{
	guint8 buf[1024];
	while (!*eof && pending->len < RTT_INPUT_MAX) {
		gsize n =
		    input(buf, MIN(sizeof(buf), RTT_INPUT_MAX - pending->len), eof, user_data);
		if (n == 0)
			return;
		g_byte_array_append(pending, buf, (guint)n);
	}
}

gboolean
glint_job_rtt_run(GlintSession *session, const GlintRttOptions *options, gint64 duration_ns,
		  GlintRttDataFunc out, GlintRttInputFunc input, gpointer user_data,
		  GlintProgress *progress, GCancellable *cancellable, GlintRttStats *stats,
		  GError **error)
{
	g_autoptr(GlintRtt) rtt = NULL;
	g_autoptr(GByteArray) pending = g_byte_array_new();
	GlintTransport *transport = glint_session_get_transport(session);
	GlintRttStats local = {0};
	gboolean eof = input == NULL;
	gboolean can_write;
	gint64 start, end;

	rtt = glint_rtt_attach(session, options, progress, cancellable, error);
	if (rtt == NULL)
		return FALSE;
	local.address = rtt->address;
	can_write = rtt->down->len > 0 &&
		    ((const GlintRttChannel *)g_ptr_array_index(rtt->down, 0))->size > 0;
	if (!can_write && input != NULL)
		glint_progress_log(progress, G_LOG_LEVEL_WARNING,
				   _("The firmware has no RTT down channel 0: input is not sent"));
	start = rtt_now_ns(transport);
	end = start + duration_ns;
	for (;;) {
		gboolean last = g_cancellable_is_cancelled(cancellable) ||
				(duration_ns != 0 && rtt_now_ns(transport) >= end);
		gsize got = 0, written = 0;
		if (can_write && !last) {
			if (input != NULL)
				rtt_take_input(pending, input, user_data, &eof);
			if (pending->len > 0 &&
			    !glint_rtt_write(rtt, 0, pending->data, pending->len, &written, error))
				return FALSE;
			g_byte_array_remove_range(pending, 0, (guint)written);
			local.down_bytes += written;
		}
		if (!glint_rtt_poll(rtt, out, user_data, &got, error))
			return FALSE;
		local.polls++;
		local.up_bytes += got;
		if (last)
			break;
		if (got == 0 && written == 0)
			glint_transport_idle(transport, RTT_POLL_IDLE_NS, cancellable);
	}
	local.input_left = pending->len;
	local.device_ns = rtt_now_ns(transport) - start;
	if (stats != NULL)
		*stats = local;
	return TRUE;
}
