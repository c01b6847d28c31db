/* h7-test.h: what the STM32H7 tests share: the three boards, sessions on
 * the emulator, images, and the reference-manual addresses the tests read
 * back through the emulator's back door (RM0433 4.9). */
#pragma once

#include <check.h>
#include <glib.h>
#include <string.h>

#include "glint-error.h"
#include "glint-job.h"
#include "glint-sim.h"

#define FLASH_BASE 0x08000000u
#define BANK2_BASE 0x08100000u
#define FLASH_R 0x52002000u
#define FLASH_CR1 (FLASH_R + 0x0Cu)
#define FLASH_SR1 (FLASH_R + 0x10u)
#define FLASH_CCR1 (FLASH_R + 0x14u)
#define FLASH_OPTCR (FLASH_R + 0x18u)
#define FLASH_OPTSR_CUR (FLASH_R + 0x1Cu)
#define FLASH_WPSN_CUR1 (FLASH_R + 0x38u)
#define FLASH_ECC_FA1 (FLASH_R + 0x60u)
#define FLASH_SR2 (FLASH_R + 0x110u)
#define FLASH_WPSN_CUR2 (FLASH_R + 0x138u)
#define SR_PGSERR (1u << 18)
#define SR_STRBERR (1u << 19)
#define SR_INCERR (1u << 21)
#define SR_DBECCERR (1u << 26)
#define OPTCR_SWAP_BANK (1u << 31)
#define OPTSR_SWAP_BANK_OPT (1u << 31)

/* One H7 board as the tests know it */
typedef struct {
	const char *name;
	const char *chip; /* GlintChip name */
	guint32 flash_kb;
	guint n_banks;
	guint32 sector;	   /* bytes */
	guint32 word;	   /* flash word: program unit */
	const char *wpsn1; /* bank 1 WRP area name */
	const char *wpsn2; /* bank 2's (NULL: one bank) */
	guint sectors_per_wpsn_bit;
} H7Board;

extern const H7Board h7_boards[3];

typedef struct {
	const H7Board *info;
	GlintSim *sim;
	GlintSession *session;
	GPtrArray *log;
} Board;

Board *board_new(const H7Board *info, const char *scenario);
Board *board_new_for_sim(const H7Board *info, GlintSim *sim);
void board_free(Board *b);
void board_reconnect(Board *b);
gboolean log_contains(Board *b, const char *needle);
GlintProgress *board_progress(Board *b);
const GlintTargetInfo *board_info(Board *b);

GBytes *random_bytes(gsize len, guint32 seed);
GlintImage *image_at(guint32 address, GBytes *bytes);
gboolean program_with(Board *b, GlintImage *image, const GlintProgramOptions *options,
		      GlintJobResult *result, GError **error);
gboolean flash_equals(Board *b, guint32 address, GBytes *bytes);
gboolean flash_erased(Board *b, guint32 address, gsize len);
void fill_flash(Board *b, guint32 address, gsize len, guint8 value);
gboolean write_edit(Board *b, const char *edit, GlintConfirm confirm, GError **error);
GlintFinding *find_finding(GPtrArray *findings, const char *id);
