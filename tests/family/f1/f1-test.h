/* f1-test.h: what the STM32F0/F1/F3 tests share: the boards of the family
 * with the facts each test checks against (from the reference manuals, not
 * from the code under test), and the FPEC's addresses and bits (PM0075 3). */
#pragma once

#include <glib.h>

#define F1_FLASH 0x08000000u
#define F1_SRAM 0x20000000u
#define F1_OB 0x1FFFF800u
#define FPEC 0x40022000u
#define FPEC_KEYR (FPEC + 0x04u)
#define FPEC_OPTKEYR (FPEC + 0x08u)
#define FPEC_SR (FPEC + 0x0Cu)
#define FPEC_CR (FPEC + 0x10u)
#define FPEC_AR (FPEC + 0x14u)
#define FPEC_OBR (FPEC + 0x1Cu)
#define FPEC_WRPR (FPEC + 0x20u)
#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu

#define F1_SR_BSY (1u << 0)
#define F1_SR_PGERR (1u << 2)
#define F1_SR_WRPRTERR (1u << 4)
#define F1_SR_EOP (1u << 5)
#define F1_CR_PG (1u << 0)
#define F1_CR_PER (1u << 1)
#define F1_CR_MER (1u << 2)
#define F1_CR_OPTPG (1u << 4)
#define F1_CR_OPTER (1u << 5)
#define F1_CR_STRT (1u << 6)
#define F1_CR_LOCK (1u << 7)
#define F1_CR_OPTWRE (1u << 9)
#define F1_CR_OBL_LAUNCH (1u << 13)
#define F1_OBR_OPTERR (1u << 0)

typedef enum { LINE_F1, LINE_F0, LINE_F3 } Line;

typedef struct {
	const char *board;
	Line line;
	guint16 dev_id;
	guint32 flash_kb;
	guint32 page;
	guint pages_per_wrp_bit;
	guint32 cpuid;	     /* ARM core: RM0008 31.2, RM0091 32.4, RM0316 33.4 */
	guint32 dp_idcode;   /* SW-DP: as OpenOCD's target/stm32f[013]x.cfg expects */
	guint32 dbgmcu;	     /* DBGMCU_IDCODE address */
	guint32 size_reg;    /* flash size in KB */
	guint32 uid;	     /* 96-bit unique id */
	guint8 rdp_level0;   /* 0xA5 on F1, 0xAA on F0/F3 */
	gint64 halfword_ns;  /* datasheet typical */
	gint64 erase_ns;     /* datasheet minimum (no typical given) */
	gboolean clone;	     /* a CKS32F103: r2p1 core, options at power-on only */
	const char *chip;    /* Glint's name for it */
	const char *ocd_cfg; /* OpenOCD 0.12 target script */
} F1Board;

static const F1Board f1_boards[] = {
    {"bluepill-f103c8", LINE_F1, 0x410, 64, 1024, 4, 0x411FC231u, 0x1BA01477u, 0xE0042000u,
     0x1FFFF7E0u, 0x1FFFF7E8u, 0xA5, 52500, 20000000, FALSE, "STM32F10x medium density",
     "target/stm32f1x.cfg"},
    {"nucleo-f103rb", LINE_F1, 0x410, 128, 1024, 4, 0x411FC231u, 0x1BA01477u, 0xE0042000u,
     0x1FFFF7E0u, 0x1FFFF7E8u, 0xA5, 52500, 20000000, FALSE, "STM32F10x medium density",
     "target/stm32f1x.cfg"},
    {"stm32f103ze", LINE_F1, 0x414, 512, 2048, 2, 0x411FC231u, 0x1BA01477u, 0xE0042000u,
     0x1FFFF7E0u, 0x1FFFF7E8u, 0xA5, 52500, 20000000, FALSE, "STM32F10x high density",
     "target/stm32f1x.cfg"},
    {"nucleo-f072rb", LINE_F0, 0x448, 128, 2048, 2, 0x410CC200u, 0x0BB11477u, 0x40015800u,
     0x1FFFF7CCu, 0x1FFFF7ACu, 0xAA, 53500, 20000000, FALSE, "STM32F07x", "target/stm32f0x.cfg"},
    {"nucleo-f303re", LINE_F3, 0x446, 512, 2048, 2, 0x410FC241u, 0x2BA01477u, 0xE0042000u,
     0x1FFFF7CCu, 0x1FFFF7ACu, 0xAA, 53500, 20000000, FALSE, "STM32F302xD/E, F303xD/E, F398",
     "target/stm32f3x.cfg"},
    {"bluepill-cks32f103c8", LINE_F1, 0x410, 64, 1024, 4, 0x412FC231u, 0x2BA01477u, 0xE0042000u,
     0x1FFFF7E0u, 0x1FFFF7E8u, 0xA5, 40000, 30000000, TRUE,
     "CKS32F103 or APM32F103 (an STM32F103 clone)", "target/stm32f1x.cfg"},
};

#define N_F1_BOARDS G_N_ELEMENTS(f1_boards)

static inline const F1Board *
f1_board(const char *name)
{
	for (guint i = 0; i < N_F1_BOARDS; i++) {
		if (g_strcmp0(f1_boards[i].board, name) == 0)
			return &f1_boards[i];
	}
	g_assert_not_reached();
	return NULL;
}

/* The spec of board @b in @scenario: "bluepill-f103c8:wrp" */
static inline gchar *
f1_spec(const F1Board *b, const char *scenario)
{
	return g_strdup_printf("%s:%s", b->board, scenario);
}
