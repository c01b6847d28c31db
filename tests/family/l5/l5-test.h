/* l5-test.h: what the STM32L5/U5 tests share: the two boards, sessions on
 * the emulator, images, and the reference-manual addresses the tests read
 * back through the emulator's back door (RM0438 6.9, RM0456 7.9). */
#pragma once

#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define FLASH_S_BASE 0x0C000000u
#define FLASH_R 0x40022000u
#define FLASH_S_R 0x50022000u
#define FLASH_NSKEYR (FLASH_R + 0x08u)
#define FLASH_SECKEYR (FLASH_R + 0x0Cu)
#define FLASH_OPTKEYR (FLASH_R + 0x10u)
#define FLASH_NSSR (FLASH_R + 0x20u)
#define FLASH_SECSR (FLASH_R + 0x24u)
#define FLASH_NSCR (FLASH_R + 0x28u)
#define FLASH_SECCR (FLASH_R + 0x2Cu)
#define FLASH_OPTR (FLASH_R + 0x40u)
#define FLASH_SECBOOTADD0R (FLASH_R + 0x4Cu)
#define FLASH_SECWM1R1 (FLASH_R + 0x50u)
#define FLASH_SECWM1R2 (FLASH_R + 0x54u)
#define FLASH_WRP1AR (FLASH_R + 0x58u)
#define FLASH_SECWM2R1 (FLASH_R + 0x60u)
#define FLASH_WRP2AR (FLASH_R + 0x68u)
#define FLASH_SECBB1R1 (FLASH_R + 0x80u)
#define FLASH_SECHDPCR (FLASH_R + 0xC0u)
#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu
#define OPTKEY1 0x08192A3Bu
#define OPTKEY2 0x4C5D6E7Fu
#define SR_EOP (1u << 0)
#define SR_PROGERR (1u << 3)
#define SR_WRPERR (1u << 4)
#define SR_PGAERR (1u << 5)
#define SR_SIZERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_OPTWERR (1u << 13)
#define SR_OPTVERR (1u << 15)
#define SR_BSY (1u << 16)
#define SR_WDW (1u << 17)
#define CR_PG (1u << 0)
#define CR_PER (1u << 1)
#define CR_MER1 (1u << 2)
#define CR_PNB_SHIFT 3
#define CR_BKER (1u << 11)
#define CR_MER2 (1u << 15)
#define CR_STRT (1u << 16)
#define CR_OPTSTRT (1u << 17)
#define CR_EOPIE (1u << 24)
#define CR_OBL_LAUNCH (1u << 27)
#define CR_OPTLOCK (1u << 30)
#define CR_LOCK (1u << 31)
#define OPTR_TZEN (1u << 31)
#define OPTR_SWAP_BANK (1u << 20)
#define OPTR_DBANK (1u << 22)
#define WRPR_UNLOCK (1u << 31)

/* One board as the tests know it */
typedef struct {
	const char *name;
	const char *chip; /* GlintChip name */
	guint32 flash_kb;
	guint32 page;	/* bytes, as shipped (two banks) */
	guint32 unit;	/* programming unit: 8 or 16 */
	gint64 unit_ns; /* datasheet times the emulator uses */
	gint64 page_erase_ns;
	gboolean is_u5;
} L5Board;

#define N_BOARDS 2
extern const L5Board l5_boards[N_BOARDS];

typedef struct {
	const L5Board *info;
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
} Board;

Board *board_new(const L5Board *info, const char *scenario);
Board *board_new_for_sim(const L5Board *info, GlintSim *sim);
void board_free(Board *b);
void board_reconnect(Board *b);
gboolean log_contains(Board *b, const char *needle);
GlintProgress *board_progress(Board *b);
const GlintTargetInfo *board_info(Board *b);
guint32 bank2_base(const L5Board *info);

GBytes *random_bytes(gsize len, guint32 seed);
GlintImage *image_at(guint32 address, GBytes *bytes);
gboolean program_with(Board *b, GlintImage *image, const GlintProgramOptions *options,
		      GlintJobResult *result, GError **error);
gboolean flash_equals(Board *b, guint32 address, GBytes *bytes);
gboolean flash_erased(Board *b, guint32 address, gsize len);
void fill_flash(Board *b, guint32 address, gsize len, guint8 value);
gboolean write_edit(Board *b, const char *edit, GlintConfirm confirm, GError **error);
GlintFinding *find_finding(GPtrArray *findings, const char *id);

/* The emulator's AHB back door: the test acting as the chip's own code */
void ahb_write(GlintSim *sim, guint32 addr, guint32 value);
guint32 ahb_read(GlintSim *sim, guint32 addr);
