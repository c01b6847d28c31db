/* glint-geometry.h: the layout of one connected part's main flash.
 *
 * Flash is one or two banks; a bank is a run of erase units (pages of one
 * size on the L4, sectors of 16, 64 and 128 KiB on the F4) numbered as the
 * reference manual numbers them (F42x bank 2 sectors start at 12). Units
 * are addressed by a global index in address order. The geometry also says
 * what erased flash reads (0xFF, or 0x00 on L0/L1) and the programming unit
 * (2 bytes on F1, 4 on F4 at x32, 8 on L4, 32 on H7). Pure data: no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GLINT_GEOMETRY_MAX_BANKS 2
#define GLINT_GEOMETRY_MAX_RUNS 4

/* @count units of @size bytes each. */
typedef struct {
	guint32 size;
	guint count;
} GlintUnitRun;

typedef struct {
	guint32 base;	    /* bus address of its first unit */
	guint32 size;	    /* bytes */
	guint physical;	    /* 0 or 1: the bank as the controller names it */
	guint first_number; /* reference-manual number of its first unit */
	guint first_index;  /* global index of its first unit */
	guint n_units;
	guint n_runs;
	GlintUnitRun runs[GLINT_GEOMETRY_MAX_RUNS];
} GlintFlashBank;

typedef struct {
	guint32 base; /* lowest flash address */
	guint32 size; /* bytes of flash (the banks; a hole between them is not counted) */
	guint n_banks;
	GlintFlashBank banks[GLINT_GEOMETRY_MAX_BANKS]; /* in address order */
	guint n_units;
	guint8 erased_value;		 /* what an erased byte reads */
	guint32 program_unit;		 /* bytes written at once; images are padded to it */
	guint32 largest_unit;		 /* bytes of the largest erase unit */
	const char *unit_name;		 /* "page" or "sector" */
	gboolean bank_mode_configurable; /* an option bit switches single/dual bank */
	gboolean banks_swapped;		 /* physical bank 2 is mapped at the first address */
} GlintFlashGeometry;

/* One erase unit. */
typedef struct {
	guint index;	 /* global, in address order */
	guint bank;	 /* index into GlintFlashGeometry.banks */
	guint physical;	 /* the bank as the controller names it (BKER, SNB, per-bank registers) */
	guint number;	 /* as the reference manual numbers it */
	guint in_bank;	 /* position inside its bank, from 0 */
	guint32 address; /* bus address */
	guint32 size;
} GlintFlashUnit;

/* Builders, for families: start empty, then add banks of runs. */
void glint_geometry_init(GlintFlashGeometry *g, guint32 base, guint8 erased_value,
			 guint32 program_unit, const char *unit_name);
/* Adds a bank at @base made of @n_runs runs; its units are numbered from
 * @first_number. Banks must be added in address order. */
void glint_geometry_add_bank(GlintFlashGeometry *g, guint32 base, guint physical,
			     guint first_number, const GlintUnitRun *runs, guint n_runs);
/* Convenience: @n_banks equal banks of @units_per_bank units of @unit_size,
 * back to back from @g->base, numbered from 0 in each bank. */
void glint_geometry_add_uniform_banks(GlintFlashGeometry *g, guint n_banks, guint units_per_bank,
				      guint32 unit_size);

/* Lookups. */
gboolean glint_geometry_get_unit(const GlintFlashGeometry *g, guint index, GlintFlashUnit *unit);
/* The unit holding @addr; FALSE outside the flash (also in a hole between banks). */
gboolean glint_geometry_unit_at(const GlintFlashGeometry *g, guint32 addr, GlintFlashUnit *unit);
/* The unit of physical bank @physical numbered @number. */
gboolean glint_geometry_unit_by_number(const GlintFlashGeometry *g, guint physical, guint number,
				       GlintFlashUnit *unit);
/* The bank (index into banks[]) whose controller name is @physical, or -1. */
gint glint_geometry_bank_of_physical(const GlintFlashGeometry *g, guint physical);
/* Whether [@addr, @addr + @len) lies entirely in flash (no hole crossed). */
gboolean glint_geometry_contains(const GlintFlashGeometry *g, guint32 addr, guint64 len);
/* Whether every unit is the same size (then that size in *@size). */
gboolean glint_geometry_is_uniform(const GlintFlashGeometry *g, guint32 *size);
/* The end of the flash address span (one past the last byte of the last bank). */
guint32 glint_geometry_end(const GlintFlashGeometry *g);

/* "2 banks of 256 pages x 2 KiB", "1 bank of 12 sectors (4 x 16 KiB, 1 x 64 KiB,
 * 7 x 128 KiB)": the shape, for `info` and the device panel. */
gchar *glint_geometry_describe(const GlintFlashGeometry *g);
/* The erase unit's name for @n of them, translated ("page", "sectors"):
 * unit_name itself stays the English identifier. */
const char *glint_geometry_unit_noun(const GlintFlashGeometry *g, gulong n);

/* "page 5 of bank 2 (0x08082800-0x08082FFF)", "sector 12 (0x08100000-0x08103FFF)" */
gchar *glint_geometry_describe_unit(const GlintFlashGeometry *g, const GlintFlashUnit *unit);
/* "pages 0-15 of bank 1 (0x08000000-0x08007FFF)" for units @first..@last
 * (numbers) of physical bank @physical. */
gchar *glint_geometry_describe_units(const GlintFlashGeometry *g, guint physical, guint first,
				     guint last);

G_END_DECLS
