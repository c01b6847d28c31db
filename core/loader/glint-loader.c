/* glint-loader.c: runs Glint's flash loader on the target and talks to it
 * through its control block in SRAM (layout in loader/glint-loader-abi.h). */
#define G_LOG_DOMAIN "glint-loader"

#include "glint-i18n.h"
#include "glint-loader.h"

#include <string.h>

#include "glint-error.h"
#include "glint-loader-abi.h"

/* SRAM layout: code, control block, stack, page-CRC table, buffers. The
 * loaders use a few dozen bytes of stack (the H7's programming frame is the
 * largest: 40 bytes and three return addresses), far below the 384 bytes
 * between the descriptors and the stack top. */
#define LOADER_CODE_MAX 0x600u
#define LOADER_CB_OFFSET 0x600u
#define LOADER_STACK_TOP 0x800u
#define LOADER_CRC_TABLE 0x800u
#define LOADER_CRC_TABLE_PAGES 512u
#define LOADER_BUF_OFFSET 0x1000u
/* Two buffers are double buffering; two more slots let erases queue ahead
 * of programming without stalling the pipeline. */
#define LOADER_N_SLOTS 4u
/* 16 KiB: one raw WRITEMEM_32BIT (<= 0x8000) per chunk and 0.12-0.19 s of
 * flash work per chunk, far more than the ~1 ms of commands around it.
 * Chips with less SRAM get smaller buffers, never below one row. */
#define LOADER_BUF_MAX 0x4000u
#define LOADER_BUF_MIN 0x100u

/* Polls (each a USB round trip of >= 0.1 ms) before a freshly started
 * loader must have said it runs: it does so within microseconds. */
#define LOADER_START_POLLS 20
/* Polls without progress before the loader counts as stuck; the longest
 * descriptors (16 KiB of double words, DS10198 max 90.76 us each: 0.19 s;
 * 512 page CRCs at 4 MHz if the clock cannot be raised: ~0.5 s) stay
 * below 5000 polls even at V3 speed. */
#define LOADER_STUCK_POLLS 20000
/* Every this many polls without progress the host also looks for an error
 * report or a halted core. */
#define LOADER_CHECK_EVERY 8
/* Host-time bound on any wait, whatever the transport. */
#define LOADER_HOST_TIMEOUT_US (10 * G_USEC_PER_SEC)
/* A family with longer operations (GlintLoaderDesc.longest_op_ms) gets
 * twice its longest in host time, and polls at the fastest rate a probe
 * answers (a V3's 125 us USB microframe: 8 per ms), twice over. */
#define LOADER_POLLS_PER_MS 16u
/* After this many polls without progress (0.13 s on an STLINK-V3, 0.5 s
 * on a V2: longer than any programming descriptor) the wait is an erase of
 * seconds: the host lets LOADER_LONG_WAIT_IDLE_NS pass between polls
 * rather than keep the probe busy, as OpenOCD and st-flash do. Through a
 * real probe the thread sleeps; the emulator advances its clock. */
#define LOADER_LONG_WAIT_POLLS 1024u
#define LOADER_LONG_WAIT_IDLE_NS G_GINT64_CONSTANT(5000000)

/* Cortex-M debug registers not in glint-target.h (ARMv7-M C1.6). */
#define CM_DHCSR_C_MASKINTS_RUN (CM_DHCSR_DBGKEY | CM_DHCSR_C_DEBUGEN | CM_DHCSR_C_MASKINTS)
#define CM_XPSR_T (1u << 24)

typedef enum {
	LOADER_RUNNING,
	LOADER_STOPPED, /* halted at a BKPT or by us */
} LoaderState;

struct _GlintLoader {
	GlintTarget *target; /* borrowed */
	const GlintLoaderDesc *desc;
	guint32 base; /* start of the SRAM it runs in */
	guint32 cb;
	guint32 buf_size;
	guint32 page_size; /* the unit size PAGE_CRCS works in */
	/* how long the loader may seem stuck before it is declared so */
	guint stuck_polls;
	gint64 host_timeout_us;
	LoaderState state;
	gboolean hclk_fast;
	gboolean broken;
	guint32 submitted; /* descriptors handed over */
	guint32 done;	   /* descriptors the loader finished (last seen) */
	/* what each in-flight descriptor is, for error messages */
	guint32 slot_op[LOADER_N_SLOTS];
};

static guint32
slot_desc(GlintLoader *self, guint slot)
{
	return self->cb + LOADER_CB_DESC + slot * LOADER_DESC_SIZE;
}

static guint32
slot_buf(GlintLoader *self, guint slot)
{
	return self->base + LOADER_BUF_OFFSET + slot * self->buf_size;
}

gboolean
glint_loader_hclk_fast(GlintLoader *self)
{
	return self->hclk_fast;
}

gboolean
glint_loader_is_broken(GlintLoader *self)
{
	return self == NULL || self->broken;
}

guint32
glint_loader_chunk_size(GlintLoader *self)
{
	return self->buf_size;
}

guint32
glint_loader_fast_row(GlintLoader *self)
{
	return self->desc->fast_row;
}

static void
put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

static guint32
get32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static const char *
op_name(guint32 op)
{
	switch (op) {
	case LOADER_OP_PROGRAM:
	case LOADER_OP_PROGRAM_FAST:
	case LOADER_OP_PROGRAM_PAIR:
		return _("Programming");
	case LOADER_OP_ERASE:
		return _("Erase");
	case LOADER_OP_CRC:
	case LOADER_OP_PAGE_CRCS:
		return "CRC";
	default:
		return _("Flash loader");
	}
}

/* Error decoding ----------------------------------------------------------- */

void
glint_loader_decode_error(GlintTarget *t, guint32 flags, guint32 addr, const char *what,
			  GError **error)
{
	if (flags & LOADER_ERR_LOCKED) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_FLASH,
		    _("The flash loader found the flash controller locked at 0x%08X although "
		      "it was unlocked before; something on the target locked it again. "
		      "Reset the target and retry"),
		    addr);
	} else if (flags & LOADER_ERR_BAD_OP) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FLASH,
			    _("The flash loader received a descriptor it does not know; its SRAM "
			      "was overwritten. Reset the target and retry"));
	} else {
		/* the family's status flags, as its driver decodes them */
		t->flash->decode_error(t, flags & LOADER_ERR_FLAGS_MASK, addr, what, error);
	}
}

/* Whether a reported error could come from the loader: only the family's
 * error flags or one of the loader's own codes, at an address in flash
 * (its own codes may carry any address). A spoiled reply on the USB or SWD
 * link reads as anything, and must not be blamed on the flash. */
static gboolean
report_plausible(GlintTarget *t, guint32 flags, guint32 addr)
{
	const guint32 own = LOADER_ERR_LOCKED | LOADER_ERR_BAD_OP;
	if (flags & own)
		return (flags & ~own) == 0 && (flags & own) != own;
	if (flags & ~(t->flash->error_flags & LOADER_ERR_FLAGS_MASK))
		return FALSE;
	return glint_geometry_contains(&t->info.geometry, addr, 1);
}

/* A flash error the loader reported, as the family decodes it; an
 * implausible report is the link's fault and leaves the loader "broken",
 * so the job falls back to programming directly. */
static void
report_error(GlintLoader *self, guint32 flags, guint32 addr, const char *what, GError **error)
{
	self->state = LOADER_STOPPED;
	if (report_plausible(self->target, flags, addr)) {
		glint_loader_decode_error(self->target, flags, addr, what, error);
		return;
	}
	self->broken = TRUE;
	g_set_error(
	    error, GLINT_ERROR, GLINT_ERROR_PROBE,
	    _("The flash loader's report reads 0x%08X at 0x%08X, which neither the loader nor "
	      "the flash controller can say: the reply was garbled on its way through the "
	      "probe. If it happens again, unplug and replug the probe"),
	    flags, addr);
}

/* Start and stop ------------------------------------------------------------ */

static gboolean broken(GlintLoader *self, GError **error, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static gboolean
broken(GlintLoader *self, GError **error, const char *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	self->broken = TRUE;
	g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED, msg);
	return FALSE;
}

/* Describes why the loader is not making progress: halted somewhere, or
 * running without answering. */
static gboolean
diagnose_stall(GlintLoader *self, const char *when, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	guint32 dhcsr = 0, pc = 0;

	if (!glint_target_read32(self->target, CM_DHCSR, &dhcsr, &error_local))
		return broken(self, error, _("the loader stopped answering %s: %s"), when,
			      error_local->message);
	if (dhcsr & CM_DHCSR_S_HALT) {
		self->state = LOADER_STOPPED;
		glint_stlink_read_reg(self->target->stlink, STLINK_REG_PC, &pc, NULL);
		return broken(self, error,
			      _("the core stopped at 0x%08X %s (DHCSR = 0x%08X) instead of running "
				"the loader"),
			      pc, when, dhcsr);
	}
	return broken(self, error, _("the core did not make progress %s (DHCSR = 0x%08X)"), when,
		      dhcsr);
}

static gboolean
write_control_block(GlintLoader *self, GError **error)
{
	guint8 cb[LOADER_CB_DESC + LOADER_N_SLOTS * LOADER_DESC_SIZE] = {0};
	put32(cb + LOADER_CB_N_SLOTS, LOADER_N_SLOTS);
	put32(cb + LOADER_CB_PAGE_SIZE, self->page_size);
	return glint_target_write(self->target, self->cb, cb, sizeof(cb), error);
}

static gboolean
start_core(GlintLoader *self, GError **error)
{
	GlintStlink *s = self->target->stlink;
	/* C_MASKINTS may only change while halted (ARMv7-M C1.6.3). */
	return glint_target_write32(self->target, CM_DFSR, CM_DFSR_ALL, error) &&
	       glint_stlink_write_reg(s, STLINK_REG_R0, self->cb, error) &&
	       glint_stlink_write_reg(s, STLINK_REG_SP, self->base + LOADER_STACK_TOP, error) &&
	       glint_stlink_write_reg(s, STLINK_REG_MSP, self->base + LOADER_STACK_TOP, error) &&
	       glint_stlink_write_reg(s, STLINK_REG_PC, self->base, error) &&
	       glint_stlink_write_reg(s, STLINK_REG_XPSR, CM_XPSR_T, error) &&
	       glint_target_write32(self->target, CM_DHCSR,
				    CM_DHCSR_C_MASKINTS_RUN | CM_DHCSR_C_HALT, error) &&
	       glint_target_write32(self->target, CM_DHCSR, CM_DHCSR_C_MASKINTS_RUN, error);
}

static gboolean
read_status(GlintLoader *self, guint32 *status, GError **error)
{
	guint8 raw[16];
	if (!glint_target_read(self->target, self->cb, raw, sizeof(raw), error))
		return FALSE;
	for (guint i = 0; i < 4; i++)
		status[i] = get32(raw + 4 * i);
	return TRUE;
}

/* Polls until the loader says it runs; its first words, HCLK_FAST
 * included, come in the same read (one probe command fewer per job). */
static gboolean
wait_started(GlintLoader *self, GError **error)
{
	guint32 st[LOADER_CB_CLOCK_STATE / 4] = {0};
	guint8 raw[LOADER_CB_CLOCK_STATE];
	for (guint i = 0; i < LOADER_START_POLLS; i++) {
		if (!glint_target_read(self->target, self->cb, raw, sizeof(raw), error))
			return FALSE;
		for (guint k = 0; k < G_N_ELEMENTS(st); k++)
			st[k] = get32(raw + 4 * k);
		self->hclk_fast = st[LOADER_CB_HCLK_FAST / 4] != 0;
		if (st[LOADER_CB_ERROR / 4] != 0) {
			report_error(self, st[LOADER_CB_ERROR / 4], st[LOADER_CB_ERROR_ADDR / 4],
				     _("Starting the loader"), error);
			return FALSE;
		}
		if (st[LOADER_CB_MAGIC / 4] == LOADER_MAGIC)
			return TRUE;
	}
	return diagnose_stall(self, _("after being started"), error);
}

/* Buffer size for @sram bytes: four slots after the code area, a multiple
 * of the fast row (or of 256 bytes), at most LOADER_BUF_MAX. 0: too small. */
static guint32
buffer_size(guint32 sram, guint32 row)
{
	guint32 step = MAX(row, LOADER_BUF_MIN);
	guint32 size;
	if (sram <= LOADER_BUF_OFFSET)
		return 0;
	size = MIN((sram - LOADER_BUF_OFFSET) / LOADER_N_SLOTS, LOADER_BUF_MAX);
	size -= size % step;
	return size >= step ? size : 0;
}

GlintLoader *
glint_loader_start(GlintTarget *t, GError **error)
{
	const GlintLoaderDesc *desc =
	    t->ops->loader_for != NULL ? t->ops->loader_for(t) : t->ops->loader;
	g_autoptr(GlintLoader) self = NULL;
	guint32 buf_size;

	if (desc == NULL) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("there is no loader for the flash of the %s"), t->chip->name);
		return NULL;
	}
	buf_size = buffer_size(t->chip->sram_size, desc->fast_row);
	if (buf_size == 0 || desc->code_size > LOADER_CODE_MAX) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("the SRAM of the %s (%u KiB) is too small for the loader's buffers"),
			    t->chip->name, t->chip->sram_size / 1024);
		return NULL;
	}

	self = g_new0(GlintLoader, 1);
	self->target = t;
	self->desc = desc;
	self->base = t->chip->sram_base;
	self->cb = self->base + LOADER_CB_OFFSET;
	self->buf_size = buf_size;
	self->page_size = t->info.geometry.banks[0].runs[0].size;
	self->stuck_polls = MAX(LOADER_STUCK_POLLS, desc->longest_op_ms * LOADER_POLLS_PER_MS);
	self->host_timeout_us =
	    MAX(LOADER_HOST_TIMEOUT_US, 2 * (gint64)desc->longest_op_ms * G_TIME_SPAN_MILLISECOND);
	self->state = LOADER_STOPPED;
	if (!glint_target_halt(t, error) ||
	    !glint_target_write(t, self->base, desc->code, desc->code_size, error) ||
	    !write_control_block(self, error) || !start_core(self, error))
		return NULL;
	self->state = LOADER_RUNNING;
	if (!wait_started(self, error))
		return NULL;
	g_debug("flash loader running at 0x%08X (%u-byte buffers), HCLK %s", self->base,
		self->buf_size, self->hclk_fast ? "fast enough for row programming" : "slow");
	return g_steal_pointer(&self);
}

guint32
glint_loader_crc_ns_per_byte(GlintLoader *self)
{
	return self->desc->crc_ns_per_byte != 0 ? self->desc->crc_ns_per_byte : 250;
}

void
glint_loader_free(GlintLoader *self)
{
	if (self == NULL)
		return;
	if (self->state == LOADER_RUNNING) {
		/* Leave the core halted, as a job found it. */
		g_autoptr(GError) error_local = NULL;
		if (!glint_target_halt(self->target, &error_local))
			g_debug("could not halt the loader: %s", error_local->message);
	}
	g_free(self);
}

/* The ring -------------------------------------------------------------------- */

/* Polls until fewer than @max_pending descriptors are outstanding (0:
 * all done); errors the loader reported become GErrors. */
static gboolean
wait_pending(GlintLoader *self, guint32 max_pending, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + self->host_timeout_us;
	guint idle = 0;

	if (self->state != LOADER_RUNNING)
		return broken(self, error, _("the loader is not running"));
	while (self->submitted - self->done > max_pending) {
		guint32 done = 0;
		if (!glint_target_read32(self->target, self->cb + LOADER_CB_DONE, &done, error)) {
			self->broken = TRUE;
			return FALSE;
		}
		if (done != self->done) {
			self->done = done;
			idle = 0;
			deadline = g_get_monotonic_time() + self->host_timeout_us;
			continue;
		}
		if (++idle % LOADER_CHECK_EVERY == 0) {
			guint32 st[4];
			if (!read_status(self, st, error)) {
				self->broken = TRUE;
				return FALSE;
			}
			if (st[LOADER_CB_ERROR / 4] != 0) {
				guint slot = self->done % LOADER_N_SLOTS;
				report_error(self, st[LOADER_CB_ERROR / 4],
					     st[LOADER_CB_ERROR_ADDR / 4],
					     op_name(self->slot_op[slot]), error);
				return FALSE;
			}
		}
		if (idle >= self->stuck_polls || g_get_monotonic_time() > deadline)
			return diagnose_stall(self, _("while working"), error);
		if (idle >= LOADER_LONG_WAIT_POLLS)
			glint_transport_idle(glint_stlink_get_transport(self->target->stlink),
					     LOADER_LONG_WAIT_IDLE_NS, NULL);
		if (idle % (LOADER_CHECK_EVERY * 16) == 0) {
			guint32 dhcsr = 0;
			if (!glint_target_read32(self->target, CM_DHCSR, &dhcsr, error)) {
				self->broken = TRUE;
				return FALSE;
			}
			if (dhcsr & CM_DHCSR_S_HALT)
				return diagnose_stall(self, _("while working"), error);
		}
	}
	return TRUE;
}

/* Hands one descriptor over; returns the slot it used. */
static gboolean
submit(GlintLoader *self, guint32 op, guint32 addr, guint32 len, guint32 arg, guint *slot_out,
       GError **error)
{
	guint8 desc[LOADER_DESC_SIZE];
	guint slot = self->submitted % LOADER_N_SLOTS;

	put32(desc + LOADER_DESC_ADDR, addr);
	put32(desc + LOADER_DESC_LEN, len);
	put32(desc + LOADER_DESC_ARG, arg);
	put32(desc + LOADER_DESC_OP, op);
	/* one write, OP last: the loader never sees half a descriptor */
	if (!glint_target_write(self->target, slot_desc(self, slot), desc, sizeof(desc), error)) {
		self->broken = TRUE;
		return FALSE;
	}
	self->slot_op[slot] = op;
	self->submitted++;
	if (slot_out != NULL)
		*slot_out = slot;
	return TRUE;
}

/* Waits for a free slot and returns it. */
static gboolean
next_slot(GlintLoader *self, guint *slot, GError **error)
{
	if (!wait_pending(self, LOADER_N_SLOTS - 1, error))
		return FALSE;
	*slot = self->submitted % LOADER_N_SLOTS;
	return TRUE;
}

gboolean
glint_loader_flush(GlintLoader *self, GError **error)
{
	return wait_pending(self, 0, error);
}

static gboolean
erase_with(GlintLoader *self, guint32 arg, guint32 addr, GError **error)
{
	guint slot;
	return next_slot(self, &slot, error) &&
	       submit(self, LOADER_OP_ERASE, addr, arg, 0, NULL, error);
}

gboolean
glint_loader_erase_unit(GlintLoader *self, const GlintFlashUnit *unit, GError **error)
{
	return erase_with(self, self->desc->erase_unit_arg(self->target, unit), unit->address,
			  error);
}

gboolean
glint_loader_erase_bank(GlintLoader *self, guint physical, GError **error)
{
	const GlintFlashGeometry *g = &self->target->info.geometry;
	gint bank = glint_geometry_bank_of_physical(g, physical);
	return erase_with(self, self->desc->erase_bank_arg(self->target, physical),
			  bank >= 0 ? g->banks[bank].base : g->base, error);
}

gboolean
glint_loader_can_erase_all(GlintLoader *self)
{
	return self->desc->erase_all_arg != NULL;
}

gboolean
glint_loader_erase_all(GlintLoader *self, GError **error)
{
	g_return_val_if_fail(self->desc->erase_all_arg != NULL, FALSE);
	return erase_with(self, self->desc->erase_all_arg(self->target),
			  self->target->info.geometry.base, error);
}

gboolean
glint_loader_program(GlintLoader *self, guint32 addr, const guint8 *data, gsize len, gboolean fast,
		     GError **error)
{
	guint32 granule = fast ? self->desc->fast_row : self->target->info.geometry.program_unit;
	guint slot;

	g_return_val_if_fail(granule > 0 && addr % granule == 0 && len % granule == 0, FALSE);
	g_return_val_if_fail(len > 0 && len <= self->buf_size, FALSE);
	if (!next_slot(self, &slot, error))
		return FALSE;
	/* the buffer of this slot is free: its previous descriptor is done */
	if (!glint_stlink_write_mem32_raw(self->target->stlink, slot_buf(self, slot), data, len,
					  error)) {
		self->broken = TRUE;
		return FALSE;
	}
	return submit(self, fast ? LOADER_OP_PROGRAM_FAST : LOADER_OP_PROGRAM, addr, (guint32)len,
		      slot_buf(self, slot), NULL, error);
}

gboolean
glint_loader_can_program_pairs(GlintLoader *self)
{
	return self->desc->parallel_banks;
}

/* Copies @len bytes of image into the buffer of @slot. */
static gboolean
fill_slot(GlintLoader *self, guint slot, const guint8 *data, gsize len, GError **error)
{
	if (!glint_stlink_write_mem32_raw(self->target->stlink, slot_buf(self, slot), data, len,
					  error)) {
		self->broken = TRUE;
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_loader_program_pair(GlintLoader *self, guint32 addr_a, const guint8 *data_a, gsize len_a,
			  guint32 addr_b, const guint8 *data_b, gsize len_b, GError **error)
{
	guint32 granule = self->target->info.geometry.program_unit;
	guint slot_a = self->submitted % LOADER_N_SLOTS;
	guint slot_b = (self->submitted + 1) % LOADER_N_SLOTS;

	g_return_val_if_fail(self->desc->parallel_banks, FALSE);
	g_return_val_if_fail(addr_a % granule == 0 && len_a % granule == 0, FALSE);
	g_return_val_if_fail(addr_b % granule == 0 && len_b % granule == 0, FALSE);
	g_return_val_if_fail(len_a > 0 && len_a <= self->buf_size, FALSE);
	g_return_val_if_fail(len_b > 0 && len_b <= self->buf_size, FALSE);
	/* two slots free, both buffers filled, then A (which makes the loader
	 * wait for B) and B published: the loader never starts a half pair
	 * whose other half is not on its way */
	if (!wait_pending(self, LOADER_N_SLOTS - 2, error) ||
	    !fill_slot(self, slot_a, data_a, len_a, error) ||
	    !fill_slot(self, slot_b, data_b, len_b, error))
		return FALSE;
	return submit(self, LOADER_OP_PROGRAM_PAIR, addr_a, (guint32)len_a, slot_buf(self, slot_a),
		      NULL, error) &&
	       submit(self, LOADER_OP_PROGRAM, addr_b, (guint32)len_b, slot_buf(self, slot_b), NULL,
		      error);
}

gboolean
glint_loader_crc32(GlintLoader *self, guint32 addr, guint32 len, guint32 *crc, GError **error)
{
	guint slot;
	if (!next_slot(self, &slot, error) ||
	    !submit(self, LOADER_OP_CRC, addr, len, 0, &slot, error) ||
	    !glint_loader_flush(self, error))
		return FALSE;
	if (!glint_target_read32(self->target, slot_desc(self, slot) + LOADER_DESC_ARG, crc,
				 error)) {
		self->broken = TRUE;
		return FALSE;
	}
	return TRUE;
}

/* CRC-32 of each of @n units of page_size bytes from @addr, in one pass. */
static gboolean
page_crc32s(GlintLoader *self, guint32 addr, guint n_pages, guint32 *crcs, GError **error)
{
	g_autofree guint8 *raw = g_malloc(LOADER_CRC_TABLE_PAGES * 4);

	for (guint done = 0; done < n_pages;) {
		guint n = MIN(n_pages - done, LOADER_CRC_TABLE_PAGES);
		guint slot;
		if (!next_slot(self, &slot, error) ||
		    !submit(self, LOADER_OP_PAGE_CRCS, addr + done * self->page_size, n,
			    self->base + LOADER_CRC_TABLE, NULL, error) ||
		    !glint_loader_flush(self, error))
			return FALSE;
		if (!glint_target_read(self->target, self->base + LOADER_CRC_TABLE, raw, n * 4,
				       error)) {
			self->broken = TRUE;
			return FALSE;
		}
		for (guint i = 0; i < n; i++)
			crcs[done + i] = get32(raw + 4 * i);
		done += n;
	}
	return TRUE;
}

gboolean
glint_loader_unit_crc32s(GlintLoader *self, const GlintFlashUnit *units, guint n_units,
			 guint32 *crcs, GError **error)
{
	for (guint i = 0; i < n_units;) {
		guint n = 1;
		if (units[i].size != self->page_size) {
			if (!glint_loader_crc32(self, units[i].address, units[i].size, &crcs[i],
						error))
				return FALSE;
			i++;
			continue;
		}
		/* runs of adjacent page-size units go in one descriptor */
		while (i + n < n_units && units[i + n].size == self->page_size &&
		       units[i + n].address == units[i].address + n * self->page_size)
			n++;
		if (!page_crc32s(self, units[i].address, n, crcs + i, error))
			return FALSE;
		i += n;
	}
	return TRUE;
}

gboolean
glint_loader_stop(GlintLoader *self, GError **error)
{
	if (self->state == LOADER_RUNNING && (!wait_pending(self, LOADER_N_SLOTS - 1, error) ||
					      !submit(self, LOADER_OP_EXIT, 0, 0, 0, NULL, error) ||
					      !glint_loader_flush(self, error)))
		return FALSE;
	/* EXIT (or an error) ended at a BKPT; make the halt explicit, which
	 * also drops C_MASKINTS, and clear the debug fault status */
	self->state = LOADER_STOPPED;
	if (!glint_target_halt(self->target, error)) {
		self->broken = TRUE;
		return FALSE;
	}
	return glint_target_write32(self->target, CM_DFSR, CM_DFSR_ALL, error);
}
