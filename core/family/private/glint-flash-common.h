/* glint-flash-common.h: what every family's flash driver does the same way
 * (core-internal): wait for a status bit with bounds, unlock a key register
 * without locking it for good, check the supply before erasing, name status
 * bits, and turn a protection error into the area that caused it. Only
 * mechanics live here; the registers and bits come from the family. */
#pragma once

#include "glint-target.h"

G_BEGIN_DECLS

/* Polls @addr until (value & @mask) == 0, at most @max_polls times and
 * @timeout_us of host time; *@value is the last value read. On timeout:
 * GLINT_ERROR_TIMEOUT saying that @what (a register and bit name, e.g.
 * "FLASH_SR.BSY") stayed set. */
gboolean glint_flash_wait_clear(GlintTarget *t, guint32 addr, guint32 mask, guint max_polls,
				gint64 timeout_us, const char *what, guint32 *value,
				GError **error);

/* One key-protected lock: @keyr takes @key1 then @key2 and clears the lock.
 * @locked_when_set: the lock bit reads 1 when locked (LOCK, OPTLOCK); FALSE
 * for enable bits that read 1 when unlocked (F1 OPTWRE). */
typedef struct {
	const char *name; /* "FLASH_KEYR" */
	guint32 keyr;
	guint32 key1, key2;
	guint32 lock_reg; /* the register holding the lock bit */
	guint32 lock_bit;
	gboolean locked_when_set;
} GlintUnlockKey;

/* Unlocks @keys in order, never writing a key to an unlocked register (a
 * second key sequence locks it until reset on every STM32). A register left
 * locked by an earlier sequence cut between its two keys (a bus error on the
 * key write) is released by one reset with the core halted, then tried
 * again; the reset is logged. */
gboolean glint_flash_unlock(GlintTarget *t, const GlintUnlockKey *keys, guint n_keys,
			    GlintProgress *progress, GError **error);

/* Measures the supply now and refuses below the chip's minimum for erase
 * and program (chip->min_program_mv), naming the voltage; nothing is
 * changed on the chip. */
gboolean glint_flash_check_supply(GlintTarget *t, GError **error);

typedef struct {
	guint32 bit;
	const char *name;
} GlintBitName;

/* "PGSERR, OPTVERR" for the bits of @value named in @names. */
gchar *glint_flash_describe_bits(const GlintBitName *names, guint n_names, guint32 value);

/* The error for a write-protection fault at @addr (after @what): names the
 * WRP or PCROP area covering it with its units and addresses and the way
 * out, or read protection when RDP is active. */
void glint_flash_protection_error(GlintTarget *t, guint32 addr, const char *what,
				  const char *flag_name, GError **error);

G_END_DECLS
