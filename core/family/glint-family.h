/* glint-family.h: the STM32 families Glint knows, and their chips.
 *
 * A family (core/family/<id>/) is everything Glint knows about one flash
 * controller design: its chips as data (device id, memories, flash sizes,
 * option-byte layout), its flash driver, its diagnosis rules, its debug
 * set-up and its on-target loader. This header is what jobs, the UI and the
 * CLI may see: names, chips, memory regions and option layouts. The driver
 * side is in glint-family-private.h. The registry lists every family; adding
 * one is a folder plus one word in core/family/meson.build. */
#pragma once

#include <glib.h>

#include "glint-geometry.h"
#include "glint-options.h"

G_BEGIN_DECLS

typedef struct _GlintFamily GlintFamily;
typedef struct _GlintFamilyOps GlintFamilyOps;
typedef struct _GlintChip GlintChip;

typedef enum {
	GLINT_REGION_FLASH,
	GLINT_REGION_SRAM,
	GLINT_REGION_SYSTEM,  /* system memory: ST's bootloader */
	GLINT_REGION_OTP,     /* one-time programmable area */
	GLINT_REGION_OPTIONS, /* option bytes as stored */
	GLINT_REGION_EEPROM,  /* data EEPROM (L0/L1) */
	GLINT_REGION_INFO,    /* unique id, flash size, package */
	GLINT_REGION_PERIPHERALS,
} GlintRegionKind;

typedef struct {
	const char *name; /* "SRAM1", "System memory", "OTP", "Option bytes (bank 1)" */
	GlintRegionKind kind;
	guint32 base;
	guint32 size;
} GlintMemoryRegion;

typedef struct {
	guint16 rev_id;
	const char *name;
} GlintChipRevision;

struct _GlintChip {
	guint16 dev_id;
	const char *name;  /* "STM32L47x/L48x" */
	const char *parts; /* "STM32L471, L475, L476, L486" */
	const GlintFamily *family;
	const char *core; /* "Cortex-M4" */
	guint32 flash_base;
	guint32 flash_kb_max;		  /* also assumed when the size register is blank */
	const guint32 *flash_kb_variants; /* 0-terminated */
	guint32 flash_size_reg;		  /* 16-bit flash size in KiB (family may decode) */
	guint32 uid_addr;		  /* 96-bit unique id */
	/* Offsets from uid_addr of its three 32-bit words, lowest first, where
	 * they are not contiguous (STM32L0/L1: 0, 4, 0x14); all 0: 0, 4, 8 */
	guint8 uid_word_offsets[3];
	guint32 package_addr;		  /* 0: none */
	const GlintMemoryRegion *regions; /* every memory but main flash */
	guint n_regions;
	guint32 sram_base; /* where code may run (the loader) */
	guint32 sram_size;
	guint min_program_mv; /* below this erase and program are refused */
	const GlintOptionLayout *options;
	const GlintChipRevision *revisions;
	guint n_revisions;
	gconstpointer data; /* facts only the family's code reads */
};

/* One register edit of a chip's set-up: @addr becomes (@addr & ~@clear) |
 * @set; @clear all ones makes it a plain write (a lock's key) */
typedef struct {
	const char *name; /* "DBGMCU_CR", for the log */
	guint32 addr;
	guint32 set;
	guint32 clear;
} GlintRegEdit;

/* How a family's SWO pin gets what the ITM sends (glint-swo.c) */
typedef struct {
	/* In order: what gives the pin to the trace output and clocks it
	 * (DBGMCU_CR.TRACE_IOEN with TRACE_MODE 00; a funnel's port) */
	const GlintRegEdit *route;
	guint n_route;
	/* The unit whose prescaler and protocol make the pin's UART; 0: the
	 * core's TPIU (0xE0040000, ARMv7-M C1.10). Another unit has the
	 * TPIU's ACPR, SPPR and FFCR offsets but no port size (CSPSR). */
	guint32 unit_base;
	/* The unit is a CoreSight component behind a software lock that the
	 * debugger's system-bus accesses must open (LAR) first */
	gboolean unit_locked;
} GlintSwoRoute;

struct _GlintFamily {
	const char *id;	  /* "l4", short, as the folder */
	const char *name; /* "STM32L4" */
	const GlintChip *chips;
	guint n_chips;
	const GlintFamilyOps *ops;
	/* How its chips with an ITM route SWO to their pin; NULL: none does */
	const GlintSwoRoute *swo;
};

/* Every family, NULL-terminated. */
const GlintFamily *const *glint_family_all(void);
const GlintFamily *glint_family_lookup(const char *id);

/* The chip answering with @dev_id on a core with @cpuid (0: any), across
 * families, or NULL. */
const GlintChip *glint_chip_identify(guint16 dev_id, guint32 cpuid);
/* The first chip with @dev_id, or NULL (for tests and the UI). */
const GlintChip *glint_chip_lookup(guint16 dev_id);
const char *glint_chip_revision_name(const GlintChip *chip, guint16 rev_id);
/* "STM32L47x/L48x (0x415), STM32F401xB/C (0x423), ..." for error messages. */
gchar *glint_chip_describe_supported(void);
/* The flash status register of @chip: its name ("FLASH_SR"), the bits that
 * mean an error, and their names ("PGSERR, OPTVERR"; "none" when empty). */
const char *glint_chip_status_name(const GlintChip *chip);
guint32 glint_chip_status_errors(const GlintChip *chip);
gchar *glint_chip_describe_status(const GlintChip *chip, guint32 status);
/* The flash layout of a part of @chip with @flash_kb (0: the largest) and
 * option bytes @ob (NULL: factory values), at a nominal 3.3 V supply: what
 * the UI shows before it connects. */
void glint_chip_default_geometry(const GlintChip *chip, guint32 flash_kb,
				 const GlintOptionBytes *ob, GlintFlashGeometry *geometry);

G_END_DECLS
