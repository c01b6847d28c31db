/* glint-family-private.h: what a family implements (core-internal).
 *
 * GlintFamilyOps is a family's code: identification quirks, geometry rules,
 * debug set-up, diagnosis rules and what must happen before option bytes
 * are written. GlintFlashOps is its flash driver, and GlintLoaderDesc its
 * on-target loader (the host side of every loader is core/loader). Jobs call
 * these; nothing outside the family folder names the family's registers. */
#pragma once

#include <gio/gio.h>

#include "glint-family.h"
#include "glint-progress.h"

G_BEGIN_DECLS

typedef struct _GlintTarget GlintTarget;

/* How new option bytes reached the chip. */
typedef enum {
	GLINT_OPTIONS_RELOADED,		/* the chip reloaded them (and reset): reconnect */
	GLINT_OPTIONS_APPLIED,		/* in effect at once, no reset */
	GLINT_OPTIONS_NEED_POWER_CYCLE, /* stored; loaded at the next power-on reset */
} GlintOptionsApplied;

/* How long one size of erase unit takes to erase. */
typedef struct {
	guint32 size; /* bytes */
	gint64 ns;
} GlintUnitEraseTime;

#define GLINT_ERASE_TIME_SIZES 4

/* The datasheet's typical erase times of the connected part (its "Flash
 * memory characteristics" table): what the program job's erase plan
 * weighs. A family keeps them as chip data; the emulator's timing headers
 * (core/sim/<family>/<family>-timing.h) hold the same figures, and a test
 * holds the two together. 0: the chip has no such erase. */
typedef struct {
	GlintUnitEraseTime units[GLINT_ERASE_TIME_SIZES]; /* by unit size, smallest first */
	guint n_units;
	gint64 bank_ns; /* one bank by erase_bank */
	gint64 chip_ns; /* every bank by mass_erase */
	/* mass_erase resets the chip (the L0/L1 regression): whatever runs in
	 * SRAM (the loader) is gone after it */
	gboolean chip_erase_resets;
	/* mass_erase also erases the chip's GLINT_REGION_EEPROM regions */
	gboolean chip_erase_clears_regions;
	const char *source; /* "DS11532", cited in the log */
} GlintEraseTimes;

typedef struct {
	const char *status_name; /* "FLASH_SR" */
	guint32 error_flags;	 /* status bits that mean "an operation failed" */
	guint32 optverr_flag;	 /* option bytes failed to load (0: the chip has none) */

	/* Checks the supply, waits for a running operation, clears stale error
	 * flags (returning which were set, and logging them) and unlocks. */
	gboolean (*prepare)(GlintTarget *t, GlintProgress *progress, guint32 *stale,
			    GError **error);
	/* Clears operation bits and locks again; never fails loudly. */
	void (*finish)(GlintTarget *t);
	gboolean (*erase_unit)(GlintTarget *t, const GlintFlashUnit *unit, GError **error);
	/* A whole physical bank (the whole flash when single bank); NULL: erase
	 * unit by unit. */
	gboolean (*erase_bank)(GlintTarget *t, guint physical, GError **error);
	/* Every bank; NULL when the chip has no mass erase. */
	gboolean (*mass_erase)(GlintTarget *t, GError **error);
	/* How mass_erase does it where the chip has no command for it (an
	 * RDP regression on the STM32L0/L1): logged before it starts. NULL:
	 * a mass-erase command. */
	const char *mass_erase_how;
	/* Why the chip takes no mass erase from the debugger where it has the
	 * command for another master (the STM32WB's CPU2), and what to do
	 * instead: said instead of "no mass erase", marked with N_(). NULL:
	 * the generic words. */
	const char *no_mass_erase_reason;
	/* Fills @times for @t's part from its chip data (the parallelism and
	 * bank mode in force); FALSE or NULL: no figures, and the program job
	 * erases as it always did (a bank at once where it covers it). */
	gboolean (*erase_times)(GlintTarget *t, GlintEraseTimes *times);
	/* @addr and @len multiples of geometry.program_unit; the units erased. */
	gboolean (*program)(GlintTarget *t, guint32 addr, const guint8 *data, gsize len,
			    GError **error);
	/* The option registers as the layout orders them. */
	gboolean (*read_options)(GlintTarget *t, GlintOptionBytes *ob, GError **error);
	gboolean (*read_status)(GlintTarget *t, guint32 *status, GError **error);
	/* Programs @ob (a complete set), making it take effect where the chip
	 * can; says how in *@applied. */
	gboolean (*write_options)(GlintTarget *t, const GlintOptionBytes *ob,
				  GlintProgress *progress, GlintOptionsApplied *applied,
				  GError **error);
	/* Clears status error flags without starting anything. */
	gboolean (*clear_flags)(GlintTarget *t, guint32 *cleared, GError **error);
	/* Names of the status bits in @status, comma-separated ("PGSERR, OPTVERR"). */
	gchar *(*describe_status)(guint32 status);
	/* Turns error flags left by an operation at @addr into the error users
	 * read: cause and the way out (shared by direct programming and the
	 * loader's reports). */
	void (*decode_error)(GlintTarget *t, guint32 flags, guint32 addr, const char *what,
			     GError **error);
	/* A debugger read of [@addr, @addr + @len) touching main flash faulted
	 * on a chip without read protection: sets the family's cause (an ECC
	 * error at a named word, an execute-only area) and returns TRUE, or
	 * FALSE to keep the generic bus-fault error. NULL: none. */
	gboolean (*explain_read_fault)(GlintTarget *t, guint32 addr, gsize len, GError **error);

	/* Memories besides main flash that this controller programs: the
	 * chip's regions of kind GLINT_REGION_EEPROM (the STM32L0/L1 data
	 * EEPROM, written by byte, half-word or word). Makes [@addr, @addr +
	 * @len) of @region hold @data, erasing first where the chip needs it
	 * and leaving what already holds its value alone. Called between
	 * prepare() and finish(). NULL: the chip has no such memory. */
	gboolean (*region_program)(GlintTarget *t, const GlintMemoryRegion *region, guint32 addr,
				   const guint8 *data, gsize len, GError **error);
	/* Erases [@addr, @addr + @len) of @region to its erased value. */
	gboolean (*region_erase)(GlintTarget *t, const GlintMemoryRegion *region, guint32 addr,
				 gsize len, GError **error);
} GlintFlashOps;

/* A family's on-target loader: position-independent Thumb code speaking the
 * protocol of core/loader/glint-loader-abi.h. */
typedef struct {
	const guint8 *code;
	gsize code_size;
	/* The LEN word of an ERASE descriptor: the family's own erase command. */
	guint32 (*erase_unit_arg)(GlintTarget *t, const GlintFlashUnit *unit);
	/* A whole bank at once; used only where the driver has erase_bank
	 * (NULL otherwise: the host erases such a chip unit by unit). */
	guint32 (*erase_bank_arg)(GlintTarget *t, guint physical);
	/* Every bank at once; NULL: erase bank by bank. */
	guint32 (*erase_all_arg)(GlintTarget *t);
	/* Bytes of a fast-programming row (0: the chip has none). Fast
	 * programming needs the bank mass-erased by the same job. */
	guint32 fast_row;
	/* The longest a single descriptor may take on this family (datasheet
	 * maximum, e.g. an F4 bank erase at x8: 32 s), so that the host does
	 * not take a long erase for a stuck loader. 0: well under a second. */
	guint32 longest_op_ms;
	/* The banks program independently (a write buffer, QW and BSY each:
	 * the STM32H7, RM0433 4.3.2) and the loader speaks
	 * LOADER_OP_PROGRAM_PAIR: the host interleaves the banks' chunks. */
	gboolean parallel_banks;
	/* About how long its CRC of flash takes per byte, at the clock it
	 * runs (measured on the emulator): what the program job's blank check
	 * of the units beyond an image costs. 0: 250 ns. */
	guint32 crc_ns_per_byte;
} GlintLoaderDesc;

struct _GlintFamilyOps {
	/* The chip of this family behind @dev_id on a core with @cpuid, or NULL.
	 * NULL hook: the chip with that dev_id. */
	const GlintChip *(*identify)(const GlintFamily *family, guint16 dev_id, guint32 cpuid);
	/* Flash size in KiB from the raw 16-bit register (NULL: the value). */
	guint32 (*decode_flash_kb)(const GlintChip *chip, guint32 raw);
	/* The geometry of a part from its flash size, its option bytes and the
	 * supply voltage (< 0: unknown), which may set the programming unit. */
	void (*geometry)(const GlintChip *chip, guint32 flash_kb, const GlintOptionBytes *ob,
			 gdouble volts, GlintFlashGeometry *geometry);
	/* After attaching: freeze watchdogs while halted, and the like. */
	gboolean (*debug_setup)(GlintTarget *t, GError **error);
	/* After the geometry: what the running chip maps now, which the option
	 * bytes alone do not say (a bootloader that swapped the banks: mark the
	 * geometry banks_swapped and give each bank its physical number).
	 * NULL: the geometry as computed. */
	gboolean (*read_bank_mapping)(GlintTarget *t, GlintFlashGeometry *geometry, GError **error);
	const GlintFlashOps *flash;
	/* The flash driver of @chip where it differs within the family (a chip
	 * whose debugger may not mass erase); NULL: @flash. */
	const GlintFlashOps *(*flash_for)(const GlintChip *chip);
	/* Family diagnosis rules, appended after the generic ones
	 * (element-type GlintFinding*). NULL: none. */
	void (*diagnose)(GlintTarget *t, GPtrArray *findings);
	/* What must happen before @new_ob is written (a mass erase when the bank
	 * layout changes). NULL: nothing. */
	gboolean (*before_option_write)(GlintTarget *t, const GlintOptionBytes *new_ob,
					GlintProgress *progress, GError **error);
	/* Whether the option bytes as read are the chip's safe defaults after a
	 * failed load (to tell a real OPTVERR from a power-on leftover). */
	gboolean (*options_failed_to_load)(GlintTarget *t);
	const GlintLoaderDesc *loader; /* NULL: none */
	/* The loader for @t when it differs per chip or bank mode (a fast row
	 * of another size, none at all); NULL: @loader. */
	const GlintLoaderDesc *(*loader_for)(GlintTarget *t);
};

/* The flash driver of @chip (its family's, or its own) */
const GlintFlashOps *glint_chip_flash_ops(const GlintChip *chip);

G_END_DECLS
