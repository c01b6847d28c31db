/* The L4-style registers as the reference manuals place them: every option
 * edit lands in its RM0351 (STM32L47x) or RM0440 (STM32G4) bits, the
 * driver writes every option register at its offset, and a page erase in
 * bank 2 erases bank 2. The emulator and the driver share no code, but a
 * wrong offset used for both reading and writing still reads back what it
 * wrote: these tests look at the registers and the flash directly. Issue
 * 16's mutation pass found each case surviving the other suites
 * (docs/mutation/README.md). */
#include "glint-family.h"
#include "glint-options.h"
#include "l4-board.h"

#define FLASH_BASE 0x08000000u
#define BANK2_BASE 0x08080000u
#define PAGE 2048u
/* RM0351 3.7, RM0440 3.7: the flash interface registers. */
#define FLASH_REGS 0x40022000u
#define DBGMCU_APB1FZR1 0xE0042008u
/* RM0351 3.4.1, RM0440 3.4.1: the production values */
#define L4_OPTR_FACTORY 0xFFEFF8AAu
#define G4_OPTR_FACTORY 0xFFEFF8AAu
#define G4_SECR_FACTORY 0xFF00FF00u

static const GlintChip *
chip(guint16 dev_id)
{
	const GlintChip *c = glint_chip_lookup(dev_id);
	ck_assert_ptr_nonnull(c);
	return c;
}

static const GlintChip *
l47x(void)
{
	return chip(0x415);
}

static guint32
reg(const GlintOptionBytes *ob, const char *name)
{
	gint i = glint_option_layout_find_register(ob->layout, name);
	ck_assert_msg(i >= 0, "no register %s", name);
	return ob->regs[i];
}

/* One edit from the factory values, and the registers it must leave:
 * @reg (and @reg2) hold @value (@value2), every other register is as
 * shipped. */
typedef struct {
	const char *edit;
	const char *reg;
	guint32 value;
	const char *reg2;
	guint32 value2;
} RegisterCase;

/* A part of @c with @flash_kb as shipped, and its option bytes after @edit */
typedef struct {
	GlintOptionBytes factory;
	GlintOptionBytes ob;
	GlintFlashGeometry g;
	GlintOptionContext ctx;
} Edited;

static gboolean
edit_factory(Edited *e, const GlintChip *c, guint32 flash_kb, const char *edit, GError **error)
{
	glint_option_bytes_init_factory(&e->factory, c->options);
	e->ob = e->factory;
	glint_chip_default_geometry(c, flash_kb, &e->ob, &e->g);
	e->ctx = (GlintOptionContext){c->options, &e->g, c->name, FALSE, c};
	return glint_option_bytes_apply_edit(&e->ob, &e->ctx, edit, error);
}

static void
check_edits(guint16 dev_id, guint32 flash_kb, const RegisterCase *cases, guint n_cases)
{
	const GlintChip *c = chip(dev_id);

	for (guint i = 0; i < n_cases; i++) {
		const RegisterCase *k = &cases[i];
		Edited e;
		const GlintOptionBytes *ob = &e.ob;
		g_autoptr(GError) error = NULL;

		ck_assert_msg(edit_factory(&e, c, flash_kb, k->edit, &error), "%s %s: %s", c->name,
			      k->edit, error ? error->message : "");
		ck_assert_msg(reg(ob, k->reg) == k->value, "%s %s: %s 0x%08X, want 0x%08X", c->name,
			      k->edit, k->reg, reg(ob, k->reg), k->value);
		if (k->reg2 != NULL)
			ck_assert_msg(reg(ob, k->reg2) == k->value2,
				      "%s %s: %s 0x%08X, want 0x%08X", c->name, k->edit, k->reg2,
				      reg(ob, k->reg2), k->value2);
		for (guint r = 0; r < c->options->n_regs; r++) {
			const char *name = c->options->regs[r].edit_name;
			if (g_strcmp0(name, k->reg) == 0 || g_strcmp0(name, k->reg2) == 0)
				continue;
			ck_assert_msg(ob->regs[r] == e.factory.regs[r], "%s %s changed %s", c->name,
				      k->edit, name);
		}
	}
}

/* Values the reference manual has no room for are refused (a field one
 * bit wider than its register space would take them). */
static void
check_refused(guint16 dev_id, guint32 flash_kb, const char *const *edits, guint n_edits)
{
	const GlintChip *c = chip(dev_id);

	for (guint i = 0; i < n_edits; i++) {
		Edited e;
		g_autoptr(GError) error = NULL;
		ck_assert_msg(!edit_factory(&e, c, flash_kb, edits[i], &error), "%s %s accepted",
			      c->name, edits[i]);
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT),
			      "%s %s: %s", c->name, edits[i], error->message);
	}
}

/* A range that does not fit its bank is refused with the bank's own
 * numbers or addresses: the way to a value that works. */
START_TEST(test_out_of_bank_ranges_name_the_bank)
{
	static const struct {
		const char *edit, *says;
	} cases[] = {
	    {"WRP2A=0-300",
	     "WRP2A=0-300: the range reaches beyond the bank: bank 2 has pages 0-255"},
	    {"WRP1B=250-256", "bank 1 has pages 0-255"},
	    {"PCROP1=0x08000100-0x080800FF",
	     "give addresses inside bank 1 (0x08000000-0x0807FFFF) on 8-byte boundaries"},
	    {"PCROP2=0x08000100-0x080001FF", "inside bank 2 (0x08080000-0x080FFFFF)"},
	};
	const GlintChip *c = l47x();

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		Edited e;
		g_autoptr(GError) error = NULL;
		ck_assert_msg(!edit_factory(&e, c, 1024, cases[i].edit, &error), "%s accepted",
			      cases[i].edit);
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT) &&
				  strstr(error->message, cases[i].says) != NULL,
			      "%s: %s", cases[i].edit, error->message);
	}
}
END_TEST

/* What a change risks decides which confirmation it needs: the user
 * options that only set a reset or watchdog behaviour need none, the ones
 * that change the boot, the banks or lock code out name their risk. */
typedef struct {
	const char *edit;
	GlintOptionRisk risk; /* NONE: exactly none; else at least these */
	/* in what the change is said to do; NULL: nothing said of a harmless one */
	const char *says;
} RiskCase;

static void
check_risks(guint16 dev_id, guint32 flash_kb, const RiskCase *cases, guint n_cases)
{
	const GlintChip *c = chip(dev_id);

	for (guint i = 0; i < n_cases; i++) {
		Edited e;
		g_autoptr(GPtrArray) changes = NULL;
		GlintOptionRisk risk;

		ck_assert(edit_factory(&e, c, flash_kb, cases[i].edit, NULL));
		changes = glint_option_bytes_diff(&e.ctx, &e.factory, &e.ob);
		ck_assert_uint_gt(changes->len, 0);
		risk = glint_option_changes_risk(changes);
		GlintOptionChange *change;
		if (cases[i].risk == GLINT_OPTION_RISK_NONE)
			ck_assert_msg(risk == GLINT_OPTION_RISK_NONE, "%s %s: risk 0x%X, want none",
				      c->name, cases[i].edit, risk);
		else
			ck_assert_msg((risk & cases[i].risk) == cases[i].risk,
				      "%s %s: risk 0x%X, want 0x%X", c->name, cases[i].edit, risk,
				      cases[i].risk);
		ck_assert_uint_eq(changes->len, 1);
		change = g_ptr_array_index(changes, 0);
		if (cases[i].says == NULL && cases[i].risk == GLINT_OPTION_RISK_NONE)
			ck_assert_msg(change->consequence == NULL, "%s %s: says %s", c->name,
				      cases[i].edit, change->consequence);
		else if (cases[i].says != NULL)
			ck_assert_msg(change->consequence != NULL &&
					  strstr(change->consequence, cases[i].says) != NULL,
				      "%s %s: says %s, want ...%s...", c->name, cases[i].edit,
				      change->consequence, cases[i].says);
	}
}

#define OPTR_CLEAR(factory, bit) (factory & ~(1u << (bit)))

/* RM0351 3.7.8 FLASH_OPTR: each user option at its bit; the edit changes
 * that bit only (a field moved or widened by one would touch another). */
START_TEST(test_l4_optr_fields_at_their_bits)
{
	static const RegisterCase cases[] = {
	    {"BOR_LEV=3", "OPTR", (L4_OPTR_FACTORY & ~(7u << 8)) | (3u << 8)},
	    {"nRST_STOP=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 12)},
	    {"nRST_STDBY=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 13)},
	    {"nRST_SHDW=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 14)},
	    {"IWDG_SW=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 16)},
	    {"IWDG_STOP=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 17)},
	    {"IWDG_STDBY=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 18)},
	    {"WWDG_SW=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 19)},
	    {"BFB2=1", "OPTR", L4_OPTR_FACTORY | (1u << 20)},
	    {"DUALBANK=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 21)},
	    {"nBOOT1=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 23)},
	    {"SRAM2_PE=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 24)},
	    {"SRAM2_RST=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 25)},
	    {"nSWBOOT0=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 26)},
	    {"nBOOT0=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 27)},
	};
	check_edits(0x415, 1024, cases, G_N_ELEMENTS(cases));
}
END_TEST

/* RM0351 3.7.10-3.7.15: each area in its own registers; WRPxyR STRT [7:0]
 * and END [23:16] in pages of the bank; PCROPxSR/ER [15:0] in double words
 * from the bank's start; PCROP_RDP bit 31 of PCROP1ER. */
START_TEST(test_l4_areas_in_their_registers)
{
	static const RegisterCase cases[] = {
	    {"WRP1A=1-2", "WRP1AR", 0xFF02FF01},
	    {"WRP1B=3-4", "WRP1BR", 0xFF04FF03},
	    {"WRP2A=5-6", "WRP2AR", 0xFF06FF05},
	    {"WRP2B=7-8", "WRP2BR", 0xFF08FF07},
	    {"PCROP1=0x08000100-0x080007FF", "PCROP1SR", 0xFFFF0020, "PCROP1ER", 0xFFFF00FF},
	    {"PCROP2=0x08080800-0x08080FFF", "PCROP2SR", 0xFFFF0100, "PCROP2ER", 0xFFFF01FF},
	    {"PCROP_RDP=0", "PCROP1ER", 0x7FFF0000},
	    /* raw values up to the largest the register or byte holds */
	    {"RDP=0xFF", "OPTR", L4_OPTR_FACTORY | 0xFFu},
	    {"WRP1AR=0xFFFFFFFF", "WRP1AR", 0xFFFFFFFF},
	};
	GlintOptionBytes ob;
	guint32 v = 1;

	check_edits(0x415, 1024, cases, G_N_ELEMENTS(cases));
	/* The field reads where it writes. */
	glint_option_bytes_init_factory(&ob, l47x()->options);
	ob.regs[glint_option_layout_find_register(ob.layout, "PCROP1ER")] = 0x7FFF0000;
	ck_assert(glint_option_bytes_get_named(&ob, "PCROP_RDP", &v));
	ck_assert_uint_eq(v, 0);
}
END_TEST

/* RM0394 3.7 (STM32L43x, one bank): the first five registers only; the
 * areas of bank 1 in bank 1's registers. */
START_TEST(test_l43x_areas_in_their_registers)
{
	static const RegisterCase cases[] = {
	    {"WRP1A=1-2", "WRP1AR", 0xFF02FF01},
	    {"WRP1B=3-4", "WRP1BR", 0xFF04FF03},
	    {"PCROP1=0x08000100-0x080007FF", "PCROP1SR", 0xFFFF0020, "PCROP1ER", 0xFFFF00FF},
	    {"nSWBOOT0=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 26)},
	};
	static const char *const refused[] = {"WRP2A=1-2", "PCROP2=0x08000100-0x080007FF",
					      "PCROP2SR=0"};
	check_edits(0x435, 256, cases, G_N_ELEMENTS(cases));
	check_refused(0x435, 256, refused, G_N_ELEMENTS(refused));
}
END_TEST

/* RM0432 3.7 (STM32L4R/L4S, two banks of 4 KB pages as shipped): the L47x
 * registers, PCROPx_STRT/END widened to [16:0], bank 2 at 0x08100000;
 * DB1M bit 21, DBANK bit 22. */
START_TEST(test_l4r_areas_in_their_registers)
{
	static const RegisterCase cases[] = {
	    {"WRP1A=1-2", "WRP1AR", 0xFF02FF01},
	    {"WRP2A=5-6", "WRP2AR", 0xFF06FF05},
	    {"WRP2B=7-8", "WRP2BR", 0xFF08FF07},
	    {"PCROP1=0x08000100-0x080007FF", "PCROP1SR", 0xFFFE0020, "PCROP1ER", 0xFFFE00FF},
	    {"PCROP2=0x08100800-0x08100FFF", "PCROP2SR", 0xFFFE0100, "PCROP2ER", 0xFFFE01FF},
	    {"DB1M=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 21)},
	    {"DBANK=0", "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 22)},
	};
	check_edits(0x470, 2048, cases, G_N_ELEMENTS(cases));
}
END_TEST

/* RM0432 3.5: with DBANK = 0 the L4R is one bank of 8 KB pages, its WRP
 * areas cover the whole flash and PCROP counts 16-byte granules: Glint
 * refuses to edit the areas by range there rather than misplace one,
 * whichever of an area's registers would change. */
START_TEST(test_l4r_single_bank_areas_refused)
{
	static const char *const edits[] = {
	    "WRP1A=1-2",
	    /* only the end of an active PCROP area moves */
	    "PCROP1=0x08000080-0x080003FF",
	};
	const GlintChip *c = chip(0x470);

	for (guint i = 0; i < G_N_ELEMENTS(edits); i++) {
		Edited e;
		GlintOptionBytes old;
		g_autoptr(GError) error = NULL;

		ck_assert(edit_factory(&e, c, 2048, "DBANK=0", NULL));
		/* the part as it is now: one bank, PCROP1 over 0x08000080-0x080001FF */
		old = e.ob;
		old.regs[glint_option_layout_find_register(old.layout, "PCROP1SR")] = 0xFFFE0010;
		old.regs[glint_option_layout_find_register(old.layout, "PCROP1ER")] = 0xFFFE003F;
		glint_chip_default_geometry(c, 2048, &old, &e.g);
		ck_assert_uint_eq(e.g.n_banks, 1);
		e.ob = old;
		ck_assert_msg(glint_option_bytes_apply_edit(&e.ob, &e.ctx, edits[i], &error),
			      "%s: %s", edits[i], error ? error->message : "");
		ck_assert_msg(!glint_option_bytes_check(&e.ctx, &old, &e.ob, &error), "%s accepted",
			      edits[i]);
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED),
			      "%s: %s", edits[i], error->message);
	}
}
END_TEST

/* The refusal's way out must work: a raw register edit of an area register
 * is refused in single-bank mode as well (the check sees registers, not how
 * they were edited), so the message offers only DBANK=1 (issue 16: a
 * message named a way out that did not exist). */
START_TEST(test_single_bank_refusal_offers_what_works)
{
	static const struct {
		guint16 dev_id;
		guint32 flash_kb;
		const char *edit;
	} cases[] = {
	    {0x470, 2048, "WRP1AR=0xFF02FF01"},
	    {0x469, 512, "WRP1AR=0xFF02FF81"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const GlintChip *c = chip(cases[i].dev_id);
		Edited e;
		GlintOptionBytes old;
		g_autoptr(GError) error = NULL;

		ck_assert(edit_factory(&e, c, cases[i].flash_kb, "DBANK=0", NULL));
		old = e.ob;
		glint_chip_default_geometry(c, cases[i].flash_kb, &old, &e.g);
		ck_assert_uint_eq(e.g.n_banks, 1);
		ck_assert(glint_option_bytes_apply_edit(&e.ob, &e.ctx, cases[i].edit, NULL));
		ck_assert(!glint_option_bytes_check(&e.ctx, &old, &e.ob, &error));
		ck_assert_msg(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED), "%s",
			      error->message);
		ck_assert_msg(strstr(error->message, "DBANK=1") != NULL &&
				  strstr(error->message, "raw") == NULL,
			      "%s %s: %s", c->name, cases[i].edit, error->message);
	}
}
END_TEST

/* Each area names the bank it protects, with its addresses: what the
 * diagnosis and a WRPERR say. */
START_TEST(test_areas_described_in_their_bank)
{
	static const struct {
		guint16 dev_id;
		guint32 flash_kb;
		const char *edit, *area, *want;
	} cases[] = {
	    {0x415, 1024, "WRP1B=3-4", "WRP1B", "pages 3-4 of bank 1 (0x08001800-0x080027FF)"},
	    {0x415, 1024, "WRP2A=5-6", "WRP2A", "pages 5-6 of bank 2 (0x08082800-0x080837FF)"},
	    {0x415, 1024, "WRP2B=7-7", "WRP2B", "page 7 of bank 2 (0x08083800-0x08083FFF)"},
	    {0x470, 2048, "WRP2A=5-6", "WRP2A", "pages 5-6 of bank 2 (0x08105000-0x08106FFF)"},
	    {0x470, 2048, "WRP2B=1-1", "WRP2B", "page 1 of bank 2 (0x08101000-0x08101FFF)"},
	    {0x469, 512, "WRP2A=2-3", "WRP2A", "pages 2-3 of bank 2 (0x08041000-0x08041FFF)"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const GlintChip *c = chip(cases[i].dev_id);
		Edited e;
		g_autofree gchar *covers = NULL;
		g_autoptr(GError) error = NULL;

		ck_assert_msg(edit_factory(&e, c, cases[i].flash_kb, cases[i].edit, &error), "%s",
			      error ? error->message : "");
		covers = glint_option_bytes_describe_area(
		    &e.ob, glint_option_layout_find_area(c->options, cases[i].area), &e.g);
		ck_assert_msg(g_strcmp0(covers, cases[i].want) == 0, "%s %s: %s, want %s", c->name,
			      cases[i].edit, covers, cases[i].want);
	}
}
END_TEST

/* RM0440 3.7.8 FLASH_OPTR of the G47x (dual-bank layout) and 3.7.19
 * FLASH_SEC1R/SEC2R: BOOT_LOCK bit 16, SEC_SIZE1/2 [7:0] in pages. */
START_TEST(test_g4_dual_fields_at_their_bits)
{
	static const RegisterCase cases[] = {
	    {"BOR_LEV=4", "OPTR", (G4_OPTR_FACTORY & ~(7u << 8)) | (4u << 8)},
	    {"nRST_STOP=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 12)},
	    {"nRST_STDBY=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 13)},
	    {"nRST_SHDW=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 14)},
	    {"IWDG_SW=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 16)},
	    {"IWDG_STOP=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 17)},
	    {"IWDG_STDBY=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 18)},
	    {"WWDG_SW=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 19)},
	    {"BFB2=1", "OPTR", G4_OPTR_FACTORY | (1u << 20)},
	    {"DBANK=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 22)},
	    {"nBOOT1=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 23)},
	    {"SRAM_PE=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 24)},
	    {"CCMSRAM_RST=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 25)},
	    {"nSWBOOT0=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 26)},
	    {"nBOOT0=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 27)},
	    {"NRST_MODE=1", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 29)},
	    {"IRHEN=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 30)},
	    {"BOOT_LOCK=1", "SEC1R", G4_SECR_FACTORY | (1u << 16)},
	    {"SEC_SIZE1=255", "SEC1R", G4_SECR_FACTORY | 0xFFu},
	    {"SEC_SIZE2=255", "SEC2R", G4_SECR_FACTORY | 0xFFu},
	};
	static const char *const refused[] = {
	    "BOR_LEV=5", "BOOT_LOCK=2", "IRHEN=2", "NRST_MODE=4", "SEC_SIZE1=256", "DBANK=2",
	};
	check_edits(0x469, 512, cases, G_N_ELEMENTS(cases));
	check_refused(0x469, 512, refused, G_N_ELEMENTS(refused));
}
END_TEST

/* RM0440 3.7.11-3.7.16 (dual-bank mode): WRPxyR STRT [6:0] and END [22:16]
 * in pages of the bank; PCROPxSR/ER [14:0] in double words from the bank's
 * start (bank 2 at 0x08040000); PCROP_RDP bit 31 of PCROP1ER. */
START_TEST(test_g4_dual_areas_in_their_registers)
{
	static const RegisterCase cases[] = {
	    {"WRP1A=1-2", "WRP1AR", 0xFF02FF81},
	    {"WRP1B=3-4", "WRP1BR", 0xFF04FF83},
	    {"WRP2A=5-6", "WRP2AR", 0xFF06FF85},
	    {"WRP2B=7-8", "WRP2BR", 0xFF08FF87},
	    {"PCROP1=0x08000100-0x080007FF", "PCROP1SR", 0xFFFF8020, "PCROP1ER", 0x00FF00FF},
	    {"PCROP2=0x08040800-0x08040FFF", "PCROP2SR", 0xFFFF8100, "PCROP2ER", 0x00FF01FF},
	    {"PCROP_RDP=1", "PCROP1ER", 0x80FF0000},
	};
	check_edits(0x469, 512, cases, G_N_ELEMENTS(cases));
}
END_TEST

/* RM0440 4.7.8 (G43x, single-bank layout): PB4_PUPEN where the G47x has
 * DBANK; one WRP pair, one PCROP area and SEC1R. */
START_TEST(test_g4_single_fields_at_their_bits)
{
	static const RegisterCase cases[] = {
	    {"PB4_PUPEN=0", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 22)},
	    {"NRST_MODE=2", "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 28)},
	    {"BOOT_LOCK=1", "SEC1R", G4_SECR_FACTORY | (1u << 16)},
	    {"SEC_SIZE1=3", "SEC1R", G4_SECR_FACTORY | 3u},
	    {"WRP1A=1-2", "WRP1AR", 0xFF02FF81},
	    {"WRP1B=3-4", "WRP1BR", 0xFF04FF83},
	    {"PCROP1=0x08000100-0x080007FF", "PCROP1SR", 0xFFFF8020, "PCROP1ER", 0x00FF00FF},
	};
	static const char *const refused[] = {"PB4_PUPEN=2", "BOOT_LOCK=2", "SEC_SIZE1=256"};
	check_edits(0x468, 128, cases, G_N_ELEMENTS(cases));
	check_refused(0x468, 128, refused, G_N_ELEMENTS(refused));
}
END_TEST

/* BOR_LEV by its rising threshold (DS10198 table 25 for the L476, DS12288
 * for the G474): what `options show` and the editor say for each level. */
START_TEST(test_bor_levels_named)
{
	static const char *const want[] = {"0 (1.7 V)", "1 (2.0 V)", "2 (2.2 V)", "3 (2.5 V)",
					   "4 (2.8 V)"};
	static const guint16 chips[] = {0x415, 0x469};

	for (guint c = 0; c < G_N_ELEMENTS(chips); c++) {
		for (guint level = 0; level < G_N_ELEMENTS(want); level++) {
			g_autofree gchar *edit = g_strdup_printf("BOR_LEV=%u", level);
			g_autofree gchar *shown = NULL;
			Edited e;
			ck_assert(edit_factory(&e, chip(chips[c]), 0, edit, NULL));
			shown = glint_option_bytes_describe_field(
			    &e.ob, glint_option_layout_find_field(e.ob.layout, "BOR_LEV"));
			ck_assert_str_eq(shown, want[level]);
		}
	}
}
END_TEST

START_TEST(test_risks_by_name)
{
	static const RiskCase l4[] = {
	    {"BOR_LEV=2", GLINT_OPTION_RISK_NONE},
	    {"nRST_STOP=0", GLINT_OPTION_RISK_NONE},
	    {"nRST_SHDW=0", GLINT_OPTION_RISK_NONE},
	    {"IWDG_SW=0", GLINT_OPTION_RISK_NONE},
	    {"IWDG_STOP=0", GLINT_OPTION_RISK_NONE},
	    {"WWDG_SW=0", GLINT_OPTION_RISK_NONE},
	    {"SRAM2_PE=0", GLINT_OPTION_RISK_NONE},
	    {"SRAM2_RST=0", GLINT_OPTION_RISK_NONE},
	    {"nBOOT0=0", GLINT_OPTION_RISK_BOOT},
	    {"nSWBOOT0=0", GLINT_OPTION_RISK_BOOT},
	    {"DUALBANK=0", GLINT_OPTION_RISK_GEOMETRY, "one bank: bank 2 disappears"},
	};
	static const RiskCase g4[] = {
	    {"BOR_LEV=1", GLINT_OPTION_RISK_NONE},
	    {"nRST_STDBY=0", GLINT_OPTION_RISK_NONE},
	    {"IWDG_SW=0", GLINT_OPTION_RISK_NONE},
	    {"IWDG_STDBY=0", GLINT_OPTION_RISK_NONE},
	    {"WWDG_SW=0", GLINT_OPTION_RISK_NONE},
	    {"SRAM_PE=0", GLINT_OPTION_RISK_NONE},
	    {"CCMSRAM_RST=0", GLINT_OPTION_RISK_NONE},
	    {"IRHEN=0", GLINT_OPTION_RISK_NONE},
	    {"nBOOT1=0", GLINT_OPTION_RISK_BOOT},
	    {"BOOT_LOCK=1", GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_LOCKOUT,
	     "always boots its main flash"},
	    {"NRST_MODE=2", GLINT_OPTION_RISK_LOCKOUT, "PG10 becomes a GPIO"},
	    {"SEC_SIZE1=1", GLINT_OPTION_RISK_LOCKOUT},
	    {"SEC_SIZE2=1", GLINT_OPTION_RISK_LOCKOUT},
	    {"DBANK=0", GLINT_OPTION_RISK_GEOMETRY | GLINT_OPTION_RISK_MASS_ERASE,
	     "one bank of 4 KB pages"},
	};
	static const RiskCase g4_single[] = {
	    {"PB4_PUPEN=0", GLINT_OPTION_RISK_NONE},
	    {"IWDG_SW=0", GLINT_OPTION_RISK_NONE},
	    {"BOOT_LOCK=1", GLINT_OPTION_RISK_BOOT | GLINT_OPTION_RISK_LOCKOUT},
	};
	check_risks(0x415, 1024, l4, G_N_ELEMENTS(l4));
	check_risks(0x469, 512, g4, G_N_ELEMENTS(g4));
	check_risks(0x468, 128, g4_single, G_N_ELEMENTS(g4_single));
}
END_TEST

/* The revision names DEV_ID 0x415 reports (REV_ID of DBGMCU_IDCODE), the
 * first of the list included. */
START_TEST(test_revision_names)
{
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1000), "1");
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1001), "2");
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1003), "3");
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1007), "4");
	ck_assert_str_eq(glint_chip_revision_name(l47x(), 0x1002), "unknown");
}
END_TEST

/* What a register holds after the write, at its offset from FLASH_REGS. */
typedef struct {
	guint32 offset;
	const char *name;
	guint32 value;
} RegisterAt;

/* The driver writes each option register at its reference-manual offset:
 * read on the emulated chip's registers, not through the driver; then a
 * chip that loads them at power-on reports them under their names. */
static void
check_written_at_offsets(const char *board, const char *const *edits, guint n_edits,
			 GlintConfirm confirm, const RegisterAt *want, guint n_want)
{
	Board *b = board_new(board);
	const GlintTargetInfo *info = board_info(b);
	GlintOptionBytes ob = info->options;
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < n_edits; i++)
		ck_assert_msg(glint_target_info_apply_option_edit(info, &ob, edits[i], &error),
			      "%s: %s", edits[i], error ? error->message : "");
	ck_assert_msg(glint_job_write_options(b->session, &ob, confirm, NULL, NULL, NULL, &error),
		      "%s: %s", board, error ? error->message : "");
	for (guint i = 0; i < n_want; i++) {
		guint32 v = glint_sim_peek32(b->sim, FLASH_REGS + want[i].offset);
		ck_assert_msg(v == want[i].value, "%s: FLASH_%s (0x%02X) = 0x%08X, want 0x%08X",
			      board, want[i].name, want[i].offset, v, want[i].value);
	}
	glint_sim_power_cycle(b->sim);
	ck_assert_msg(board_connect(b, FALSE, &error), "%s", error ? error->message : "");
	info = board_info(b);
	for (guint i = 0; i < n_want; i++)
		ck_assert_msg(reg(&info->options, want[i].name) == want[i].value,
			      "%s: %s read as 0x%08X, want 0x%08X", board, want[i].name,
			      reg(&info->options, want[i].name), want[i].value);
	board_free(b);
}

/* RM0351 3.7: the L47x's option registers */
START_TEST(test_l4_option_registers_at_their_offsets)
{
	static const char *const edits[] = {
	    "nRST_STOP=0",
	    "WRP1A=1-2",
	    "WRP1B=3-4",
	    "WRP2A=5-6",
	    "WRP2B=7-8",
	    "PCROP1=0x08000100-0x080007FF",
	    "PCROP2=0x08080800-0x08080FFF",
	};
	static const RegisterAt want[] = {
	    {0x20, "OPTR", OPTR_CLEAR(L4_OPTR_FACTORY, 12)},
	    {0x2C, "WRP1AR", 0xFF02FF01},
	    {0x30, "WRP1BR", 0xFF04FF03},
	    {0x4C, "WRP2AR", 0xFF06FF05},
	    {0x50, "WRP2BR", 0xFF08FF07},
	    {0x24, "PCROP1SR", 0xFFFF0020},
	    {0x28, "PCROP1ER", 0xFFFF00FF},
	    {0x44, "PCROP2SR", 0xFFFF0100},
	    {0x48, "PCROP2ER", 0xFFFF01FF},
	};
	check_written_at_offsets("nucleo-l476rg", edits, G_N_ELEMENTS(edits), GLINT_CONFIRM_RISKY,
				 want, G_N_ELEMENTS(want));
}
END_TEST

/* RM0440 3.7: the G47x's, with SEC1R and SEC2R at 0x70 and 0x74. PCROP_RDP
 * is 0 as shipped: the PCROP areas are permanent. */
START_TEST(test_g4_option_registers_at_their_offsets)
{
	static const char *const edits[] = {
	    "nRST_STOP=0",
	    "WRP1A=1-2",
	    "WRP1B=3-4",
	    "WRP2A=5-6",
	    "WRP2B=7-8",
	    "PCROP1=0x08000100-0x080007FF",
	    "PCROP2=0x08040800-0x08040FFF",
	    "SEC_SIZE1=1",
	    "SEC_SIZE2=2",
	};
	static const RegisterAt want[] = {
	    {0x20, "OPTR", OPTR_CLEAR(G4_OPTR_FACTORY, 12)},
	    {0x2C, "WRP1AR", 0xFF02FF81},
	    {0x30, "WRP1BR", 0xFF04FF83},
	    {0x4C, "WRP2AR", 0xFF06FF85},
	    {0x50, "WRP2BR", 0xFF08FF87},
	    {0x24, "PCROP1SR", 0xFFFF8020},
	    {0x28, "PCROP1ER", 0x00FF00FF},
	    {0x44, "PCROP2SR", 0xFFFF8100},
	    {0x48, "PCROP2ER", 0x00FF01FF},
	    {0x70, "SEC1R", G4_SECR_FACTORY | 1u},
	    {0x74, "SEC2R", G4_SECR_FACTORY | 2u},
	};
	check_written_at_offsets("nucleo-g474re", edits, G_N_ELEMENTS(edits),
				 GLINT_CONFIRM_PERMANENT_LOCK, want, G_N_ELEMENTS(want));
}
END_TEST

/* The diagnosis says what the bank bit does on each part: nothing on the
 * largest L47x (always two banks, RM0351 3.2), the bank count and page size
 * where DBANK chooses them (RM0440 3.3.1). */
START_TEST(test_bank_mode_diagnosis)
{
	static const struct {
		const char *board, *title;
	} cases[] = {
	    {"nucleo-l476rg", "The 1024 KB part is always dual bank: 2 x 512 KB, 256 pages of "
			      "2048 bytes each; the DUALBANK bit has no effect"},
	    {"nucleo-g474re", "DBANK = 1: 2 banks of 256 KB (128 pages of 2048 bytes each)"},
	    {"nucleo-g474re:g474-single-bank",
	     "DBANK = 0: 1 bank of 512 KB (128 pages of 4096 bytes each)"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		Board *b = board_new(cases[i].board);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) findings = glint_job_diagnose(b->session, NULL, &error);
		GlintFinding *f;

		ck_assert_msg(findings != NULL, "%s", error->message);
		f = find_finding(findings, "dualbank");
		ck_assert_msg(f != NULL, "%s: no dualbank finding", cases[i].board);
		ck_assert_msg(g_strcmp0(f->title, cases[i].title) == 0, "%s: %s", cases[i].board,
			      f->title);
		board_free(b);
	}
}
END_TEST

/* A chip as shipped reads as the layout's factory values, register by
 * register (the emulator keeps its own production values: RM0351, RM0394,
 * RM0432 and RM0440 3.4.1), and the L47x's are the manual's. */
START_TEST(test_fresh_chips_read_as_factory)
{
	static const char *const boards[] = {
	    "nucleo-l476rg", "nucleo-l496zg", "nucleo-l432kc", "nucleo-l452re",
	    "nucleo-g474re", "nucleo-g431rb", "nucleo-l4r5zi",
	};
	GlintOptionBytes l47x_factory;

	for (guint i = 0; i < G_N_ELEMENTS(boards); i++) {
		Board *b = board_new(boards[i]);
		const GlintTargetInfo *info = board_info(b);
		const GlintOptionLayout *layout = info->chip->options;
		for (guint r = 0; r < layout->n_regs; r++)
			ck_assert_msg(info->options.regs[r] == layout->regs[r].factory,
				      "%s: %s reads 0x%08X, factory 0x%08X", boards[i],
				      layout->regs[r].name, info->options.regs[r],
				      layout->regs[r].factory);
		board_free(b);
	}
	glint_option_bytes_init_factory(&l47x_factory, l47x()->options);
	ck_assert_uint_eq(reg(&l47x_factory, "OPTR"), L4_OPTR_FACTORY);
	ck_assert_uint_eq(reg(&l47x_factory, "WRP1AR"), 0xFF00FFFF);
	ck_assert_uint_eq(reg(&l47x_factory, "WRP2BR"), 0xFF00FFFF);
}
END_TEST

/* RM0351 48.4.4: the connect freezes both watchdogs while the core is
 * halted (DBG_WWDG_STOP bit 11, DBG_IWDG_STOP bit 12 of DBGMCU_APB1FZR1),
 * keeping what the firmware froze itself. */
START_TEST(test_connect_freezes_the_watchdogs)
{
	const guint32 wwdg_stop = 1u << 11, iwdg_stop = 1u << 12, tim2_stop = 1u << 0;
	g_autoptr(GlintSim) sim = glint_sim_new("fresh", NULL);
	g_autoptr(GlintTransport) transport = glint_sim_transport_new(sim);
	g_autoptr(GlintSession) session = glint_session_new(transport);
	g_autoptr(GError) error = NULL;
	guint32 fz;

	ck_assert(glint_sim_bus_write(sim, DBGMCU_APB1FZR1, 4, tim2_stop));
	ck_assert_msg(glint_job_connect(session, NULL, NULL, NULL, &error), "%s",
		      error ? error->message : "");
	fz = glint_sim_peek32(sim, DBGMCU_APB1FZR1);
	ck_assert_msg(fz == (tim2_stop | wwdg_stop | iwdg_stop), "DBGMCU_APB1FZR1 = 0x%08X", fz);
}
END_TEST

/* RM0351 3.3.6: a page erase in bank 2 needs BKER, or page N of bank 1
 * goes instead. Both banks hold data at page 3; programming bank 2's page
 * 3, directly and through the loader, must leave bank 1's alone. */
START_TEST(test_page_erase_in_bank2_spares_bank1)
{
	for (guint loader = 0; loader < 2; loader++) {
		Board *b = board_new("fresh");
		g_autoptr(GBytes) one = random_bytes(PAGE, 31);
		g_autoptr(GBytes) two = random_bytes(PAGE, 32);
		g_autoptr(GBytes) data = random_bytes(PAGE, 33);
		g_autoptr(GlintImage) image = glint_image_new();
		GlintProgramOptions options = {.verify = TRUE, .no_loader = !loader};
		GlintJobResult result = {0};
		g_autoptr(GError) error = NULL;

		ck_assert(glint_sim_poke(b->sim, FLASH_BASE + 3 * PAGE, g_bytes_get_data(one, NULL),
					 PAGE));
		ck_assert(glint_sim_poke(b->sim, BANK2_BASE + 3 * PAGE, g_bytes_get_data(two, NULL),
					 PAGE));
		ck_assert(glint_image_add(image, BANK2_BASE + 3 * PAGE,
					  g_bytes_get_data(data, NULL), PAGE, "test", NULL));
		ck_assert_msg(
		    glint_job_program(b->session, image, &options, NULL, NULL, &result, &error),
		    "loader %u: %s", loader, error ? error->message : "");
		ck_assert_uint_eq(result.loader_used, loader);
		ck_assert_uint_eq(result.pages_erased, 1);
		ck_assert_msg(sim_flash_equals(b->sim, FLASH_BASE + 3 * PAGE, one),
			      "loader %u: page 3 of bank 1 changed", loader);
		ck_assert(sim_flash_equals(b->sim, BANK2_BASE + 3 * PAGE, data));
		glint_job_result_clear(&result);
		board_free(b);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("l4-registers");
	TCase *tc = tcase_create("l4");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_l4_optr_fields_at_their_bits);
	tcase_add_test(tc, test_l4_areas_in_their_registers);
	tcase_add_test(tc, test_l43x_areas_in_their_registers);
	tcase_add_test(tc, test_l4r_areas_in_their_registers);
	tcase_add_test(tc, test_l4r_single_bank_areas_refused);
	tcase_add_test(tc, test_single_bank_refusal_offers_what_works);
	tcase_add_test(tc, test_areas_described_in_their_bank);
	tcase_add_test(tc, test_g4_dual_fields_at_their_bits);
	tcase_add_test(tc, test_g4_dual_areas_in_their_registers);
	tcase_add_test(tc, test_g4_single_fields_at_their_bits);
	tcase_add_test(tc, test_risks_by_name);
	tcase_add_test(tc, test_out_of_bank_ranges_name_the_bank);
	tcase_add_test(tc, test_bor_levels_named);
	tcase_add_test(tc, test_revision_names);
	tcase_add_test(tc, test_l4_option_registers_at_their_offsets);
	tcase_add_test(tc, test_g4_option_registers_at_their_offsets);
	tcase_add_test(tc, test_page_erase_in_bank2_spares_bank1);
	tcase_add_test(tc, test_connect_freezes_the_watchdogs);
	tcase_add_test(tc, test_bank_mode_diagnosis);
	tcase_add_test(tc, test_fresh_chips_read_as_factory);
	suite_add_tcase(s, tc);
	return l4_run_suite(s);
}
