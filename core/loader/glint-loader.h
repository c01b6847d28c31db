/* glint-loader.h: Glint's on-target flash loader, host side (core-internal).
 *
 * Owns running a family's loader (GlintLoaderDesc, code in
 * core/family/<id>/loader) on a halted target: upload to its SRAM, the
 * control block and its ring of descriptors (double buffering:
 * the next chunk travels over USB/SWD while the current one is programmed),
 * polling, handing the flash errors it reports to the family's decoder,
 * fast (row) programming where its preconditions hold, and on-target CRC-32
 * (whole ranges for verify, one per erase unit for smart re-flash). A loader that cannot
 * start, stops unexpectedly or stops answering is reported as "broken" so
 * the caller can fall back to direct programming. */
#pragma once

#include <gio/gio.h>

#include "glint-target.h"

G_BEGIN_DECLS

typedef struct _GlintLoader GlintLoader;

/* Halts the core, uploads and starts the loader, and waits until it says it
 * runs. Fails with GLINT_ERROR_UNSUPPORTED (message: the reason) when the
 * target cannot run it: no loader for this family, too little SRAM, or the
 * core does not execute it. Erasing and programming need the flash
 * unlocked (flash->prepare); CRCs do not. */
GlintLoader *glint_loader_start(GlintTarget *target, GError **error);
/* Halts the core if the loader still runs (without EXIT). */
void glint_loader_free(GlintLoader *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintLoader, glint_loader_free)

/* Whether HCLK is high enough for fast programming (the loader raises the
 * clock itself when it can). */
gboolean glint_loader_hclk_fast(GlintLoader *self);
/* Bytes of a fast-programming row, 0 when the family has none. */
guint32 glint_loader_fast_row(GlintLoader *self);
/* Whether the last failure was the loader's own (it stopped, faulted or
 * stopped answering) rather than a flash error it reported. */
gboolean glint_loader_is_broken(GlintLoader *self);
/* About how long the loader's CRC of flash takes per byte (an estimate). */
guint32 glint_loader_crc_ns_per_byte(GlintLoader *self);
/* Biggest chunk glint_loader_program() sends as one descriptor. */
guint32 glint_loader_chunk_size(GlintLoader *self);

/* Queue work; each call returns once its descriptor is handed over (not
 * when it is done), so transfers overlap the flash operations. Errors of
 * earlier descriptors surface in a later call or in glint_loader_flush(). */
gboolean glint_loader_erase_unit(GlintLoader *self, const GlintFlashUnit *unit, GError **error);
gboolean glint_loader_erase_bank(GlintLoader *self, guint physical, GError **error);
/* Whether the family erases every bank in one operation. */
gboolean glint_loader_can_erase_all(GlintLoader *self);
gboolean glint_loader_erase_all(GlintLoader *self, GError **error);
/* @addr and @len multiples of the programming unit (of the fast row with
 * @fast, which needs the bank mass-erased since); @len at most
 * glint_loader_chunk_size(). */
gboolean glint_loader_program(GlintLoader *self, guint32 addr, const guint8 *data, gsize len,
			      gboolean fast, GError **error);
/* Whether the family's loader programs two banks at once
 * (glint_loader_program_pair()). */
gboolean glint_loader_can_program_pairs(GlintLoader *self);
/* Two chunks of different banks, programmed at the same time: each as for
 * glint_loader_program() without @fast. */
gboolean glint_loader_program_pair(GlintLoader *self, guint32 addr_a, const guint8 *data_a,
				   gsize len_a, guint32 addr_b, const guint8 *data_b, gsize len_b,
				   GError **error);
/* Waits until everything queued is done. */
gboolean glint_loader_flush(GlintLoader *self, GError **error);

/* CRC-32 (IEEE 802.3, as glint_crc32) of flash computed by the target. */
gboolean glint_loader_crc32(GlintLoader *self, guint32 addr, guint32 len, guint32 *crc,
			    GError **error);
/* CRC-32 of each of @n_units erase units (in address order). */
gboolean glint_loader_unit_crc32s(GlintLoader *self, const GlintFlashUnit *units, guint n_units,
				  guint32 *crcs, GError **error);

/* Ends the loader (it restores the clock it changed) and leaves the core
 * halted. */
gboolean glint_loader_stop(GlintLoader *self, GError **error);

/* Test hook: the loader's raw ERROR word decoded as the host reports it. */
void glint_loader_decode_error(GlintTarget *target, guint32 flags, guint32 addr, const char *what,
			       GError **error);

G_END_DECLS
