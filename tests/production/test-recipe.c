/* test-recipe.c: production recipes: what they mean, and every mistake one
 * can hold refused with the file, the line and the way out. */
#define G_LOG_DOMAIN "test-recipe"

#include <check.h>
#include <string.h>

#include "prod-test.h"
#include "test-tmp.h"

#define HEAD "[recipe]\nversion=1\nchip=STM32L476RG\n[image]\nfile=fw.bin\ncrc32=%CRC%\n"

static GlintRecipe *
load_text(const char *dir, const char *text, GError **error)
{
	g_autofree gchar *path = prod_write_recipe_text(dir, "r.glintrecipe", text);
	return glint_recipe_load(path, NULL, error);
}

START_TEST(test_recipe_reads_what_it_says)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *csv = g_build_filename(dir, "ids.csv", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecipe) recipe = NULL;
	const GlintRecipeSettings *s;
	g_autofree gchar *text = NULL;

	ck_assert(g_file_set_contents(csv, "\xEF\xBB\xBFn,name\r\n1,\"left, right\"\r\n2,x\r\n", -1,
				      NULL));
	recipe = load_text(dir,
			   HEAD "[erase]\nmode=all\n[options]\nset=nRST_STOP=0; BOR_LEV=2\n"
				"[serial]\naddress=0x080FF800\nfirst=42\nstep=10\nlast=1000\n"
				"format=text\npattern=SN-%%%-5x|\nsize=12\n"
				"[unique-data]\nfile=ids.csv\ncolumn=name\naddress=0x080FF900\n"
				"encoding=text\n[protection]\nrdp=1\n[finish]\nreset=false\n",
			   &error);
	ck_assert_msg(recipe != NULL, "%s", error != NULL ? error->message : "?");
	s = glint_recipe_get_settings(recipe);
	ck_assert_int_eq(s->erase, GLINT_RECIPE_ERASE_ALL);
	ck_assert_uint_eq(g_strv_length(s->options), 2);
	ck_assert_str_eq(s->options[1], "BOR_LEV=2");
	ck_assert_uint_eq(s->serial_first, 42);
	ck_assert_uint_eq(s->serial_step, 10);
	ck_assert_uint_eq(s->rdp_level, 1);
	ck_assert(!s->reset_run);
	ck_assert_uint_eq(glint_recipe_get_flash_kb(recipe), 1024);
	ck_assert_uint_eq(glint_recipe_get_chip(recipe)->dev_id, 0x415);
	/* "%%" is a percent sign; "-5x": hex, left-justified */
	text = glint_recipe_serial_text(recipe, 255);
	ck_assert_str_eq(text, "SN-%ff   |");
	{
		g_autoptr(GBytes) bytes = glint_recipe_serial_bytes(recipe, 255, &error);
		gsize len = 0;
		const guint8 *b = g_bytes_get_data(bytes, &len);
		ck_assert_uint_eq(len, 12);
		ck_assert_mem_eq(b, "SN-%ff   |\0\0", 12);
	}
	/* past last= */
	ck_assert_ptr_null(glint_recipe_serial_bytes(recipe, 1001, &error));
	ck_assert_msg(strstr(error->message, "last") != NULL, "%s", error->message);
	g_clear_error(&error);
	/* unique data: the quoted field with its comma, NUL-terminated */
	ck_assert_uint_eq(glint_recipe_get_unique_rows(recipe), 2);
	ck_assert_uint_eq(glint_recipe_unique_row_line(recipe, 0), 2);
	{
		g_autoptr(GBytes) row = glint_recipe_unique_bytes(recipe, 0, &error);
		ck_assert_uint_eq(g_bytes_get_size(row), strlen("left, right") + 1);
		ck_assert_mem_eq(g_bytes_get_data(row, NULL), "left, right", 12);
	}
	ck_assert_ptr_null(glint_recipe_unique_bytes(recipe, 2, &error));
}
END_TEST

START_TEST(test_serial_encodings)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecipe) u32 =
	    load_text(dir, HEAD "[serial]\naddress=0x080FF800\nfirst=0x12345678\n", &error);
	g_autoptr(GlintRecipe) u64 = NULL;
	g_autoptr(GBytes) a = NULL;
	g_autoptr(GBytes) b = NULL;
	static const guint8 le32[] = {0x78, 0x56, 0x34, 0x12};
	static const guint8 le64[] = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};

	ck_assert_msg(u32 != NULL, "%s", error != NULL ? error->message : "");
	a = glint_recipe_serial_bytes(u32, 0x12345678, &error);
	ck_assert_uint_eq(g_bytes_get_size(a), 4);
	ck_assert_mem_eq(g_bytes_get_data(a, NULL), le32, 4);
	/* a u32 that would wrap is refused, not truncated */
	ck_assert_ptr_null(glint_recipe_serial_bytes(u32, G_GUINT64_CONSTANT(0x100000000), &error));
	ck_assert_msg(strstr(error->message, "32 bits") != NULL, "%s", error->message);
	g_clear_error(&error);
	u64 = load_text(dir, HEAD "[serial]\naddress=0x080FF800\nfirst=1\nformat=u64le\n", &error);
	ck_assert(u64 != NULL);
	b = glint_recipe_serial_bytes(u64, G_GUINT64_CONSTANT(0x0102030405060708), &error);
	ck_assert_uint_eq(g_bytes_get_size(b), 8);
	ck_assert_mem_eq(g_bytes_get_data(b, NULL), le64, 8);
	ck_assert_uint_eq(glint_recipe_get_serial_span(u64), 8);
}
END_TEST

/* Each mistake, the line it names and what it says. */
static const struct {
	const char *what;
	const char *text;
	GlintErrorCode code;
	const char *says; /* "r.glintrecipe:LINE:" is checked apart */
	guint line;
} bad_recipes[] = {
    {"not a recipe", "hello\n", GLINT_ERROR_BAD_IMAGE, "not a Glint recipe", 0},
    {"no [recipe]", "[image]\nfile=fw.bin\n", GLINT_ERROR_BAD_IMAGE, "no [recipe] group", 0},
    {"future version", "[recipe]\nversion=2\nchip=STM32L476RG\n", GLINT_ERROR_INVALID_ARGUMENT,
     "version 2 is not one this Glint reads", 2},
    {"no chip", "[recipe]\nversion=1\n", GLINT_ERROR_INVALID_ARGUMENT,
     "has no chip= (it is required)", 1},
    {"unknown key", HEAD "[serial]\nadress=0x080FF800\n", GLINT_ERROR_INVALID_ARGUMENT,
     "adress: unknown key (keys here: address", 8},
    {"unknown group", HEAD "[seriall]\naddress=1\n", GLINT_ERROR_INVALID_ARGUMENT, "unknown group",
     7},
    {"unknown chip", "[recipe]\nversion=1\nchip=STM32X999\n[image]\nfile=fw.bin\ncrc32=1\n",
     GLINT_ERROR_INVALID_ARGUMENT, "'STM32X999' is not a chip Glint knows", 3},
    {"flash code", "[recipe]\nversion=1\nchip=STM32L476RQ\n[image]\nfile=fw.bin\ncrc32=1\n",
     GLINT_ERROR_INVALID_ARGUMENT, "flash size code", 3},
    {"flash size the part lacks",
     "[recipe]\nversion=1\nchip=STM32L476RI\n[image]\nfile=fw.bin\ncrc32=1\n",
     GLINT_ERROR_INVALID_ARGUMENT, "2048 KiB of flash, which no STM32L47x/L48x has", 3},
    {"image changed",
     "[recipe]\nversion=1\nchip=STM32L476RG\n[image]\nfile=fw.bin\ncrc32=0x12345678\n",
     GLINT_ERROR_INVALID_ARGUMENT, "has changed since the recipe was made", 6},
    {"image missing",
     "[recipe]\nversion=1\nchip=STM32L476RG\n[image]\nfile=gone.bin\ncrc32=0x12345678\n",
     GLINT_ERROR_IO, "gone.bin", 5},
    {"base for a raw image only",
     "[recipe]\nversion=1\nchip=STM32L476RG\n[image]\nfile=fw.bin\ncrc32=%CRC%\nbase=zz\n",
     GLINT_ERROR_INVALID_ARGUMENT, "'zz' is not a number", 7},
    {"image past the flash",
     "[recipe]\nversion=1\nchip=STM32L476RG\n[image]\nfile=fw.bin\ncrc32=%CRC%\n"
     "base=0x080FE000\n",
     GLINT_ERROR_BAD_IMAGE, "outside the flash", 0},
    {"serial in the image", HEAD "[serial]\naddress=0x08000100\nfirst=1\n",
     GLINT_ERROR_INVALID_ARGUMENT, "overlaps the image at 0x08000100", 8},
    {"serial outside flash", HEAD "[serial]\naddress=0x20000000\nfirst=1\n",
     GLINT_ERROR_INVALID_ARGUMENT, "is not inside the flash", 8},
    {"step 0", HEAD "[serial]\naddress=0x080FF800\nfirst=1\nstep=0\n", GLINT_ERROR_INVALID_ARGUMENT,
     "a step of 0", 10},
    {"last below first", HEAD "[serial]\naddress=0x080FF800\nfirst=10\nlast=9\n",
     GLINT_ERROR_INVALID_ARGUMENT, "is below first=10", 10},
    {"two numbers", HEAD "[serial]\naddress=0x080FF800\nfirst=1\nformat=text\npattern=%u-%u\n",
     GLINT_ERROR_INVALID_ARGUMENT, "more than one conversion", 11},
    {"no number", HEAD "[serial]\naddress=0x080FF800\nfirst=1\nformat=text\npattern=SN\n",
     GLINT_ERROR_INVALID_ARGUMENT, "has no number in it", 11},
    {"a string conversion", HEAD "[serial]\naddress=0x080FF800\nfirst=1\nformat=text\npattern=%s\n",
     GLINT_ERROR_INVALID_ARGUMENT, "%u, %d, %x or %X", 11},
    {"text too long",
     HEAD "[serial]\naddress=0x080FF800\nfirst=123456\nformat=text\npattern=%u\nsize=4\n",
     GLINT_ERROR_INVALID_ARGUMENT, "needs 7 bytes with its NUL; the recipe reserves 4", 9},
    {"pattern without text", HEAD "[serial]\naddress=0x080FF800\nfirst=1\npattern=%u\n",
     GLINT_ERROR_INVALID_ARGUMENT, "only format=text has a pattern", 10},
    {"bad format", HEAD "[serial]\naddress=0x080FF800\nfirst=1\nformat=u16le\n",
     GLINT_ERROR_INVALID_ARGUMENT, "'u16le': give u32le, u64le, text", 10},
    {"rdp in options", HEAD "[options]\nset=RDP=1\n", GLINT_ERROR_INVALID_ARGUMENT,
     "read protection is set last", 8},
    {"unknown option", HEAD "[options]\nset=NOPE=1\n", GLINT_ERROR_INVALID_ARGUMENT, "NOPE", 8},
    {"option without value", HEAD "[options]\nset=nRST_STOP\n", GLINT_ERROR_INVALID_ARGUMENT,
     "is not NAME=VALUE", 8},
    {"rdp 3", HEAD "[protection]\nrdp=3\n", GLINT_ERROR_INVALID_ARGUMENT,
     "not a number from 0 to 2", 8},
    {"reset maybe", HEAD "[finish]\nreset=maybe\n", GLINT_ERROR_INVALID_ARGUMENT, "give true", 8},
    {"erase some", HEAD "[erase]\nmode=some\n", GLINT_ERROR_INVALID_ARGUMENT,
     "'some': give image, all", 8},
    {"csv missing", HEAD "[unique-data]\nfile=none.csv\ncolumn=a\naddress=0x080FF900\n",
     GLINT_ERROR_IO, "none.csv", 0},
};

START_TEST(test_bad_recipe_is_refused_with_its_line)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecipe) recipe = load_text(dir, bad_recipes[_i].text, &error);

	ck_assert_msg(recipe == NULL, "%s: loaded", bad_recipes[_i].what);
	ck_assert_msg(g_error_matches(error, GLINT_ERROR, bad_recipes[_i].code), "%s: code %d: %s",
		      bad_recipes[_i].what, error->code, error->message);
	ck_assert_msg(strstr(error->message, bad_recipes[_i].says) != NULL, "%s: '%s'",
		      bad_recipes[_i].what, error->message);
	if (bad_recipes[_i].line > 0) {
		g_autofree gchar *where =
		    g_strdup_printf("r.glintrecipe:%u:", bad_recipes[_i].line);
		ck_assert_msg(strstr(error->message, where) != NULL, "%s: no %s in '%s'",
			      bad_recipes[_i].what, where, error->message);
	}
}
END_TEST

/* Each CSV mistake names the CSV file and its line. */
static const struct {
	const char *csv;
	const char *extra; /* more [unique-data] keys */
	const char *says;
} bad_csvs[] = {
    {"", "", "is empty"},
    {"a,mac\n", "", "a header but no rows"},
    {"a,b\n1,2\n", "column=c\n", "the header has no column c (it has: a, b)"},
    {"a,mac\n1,00:11\n2,zz:11\n", "", "ids.csv:3: column mac: 'zz:11' is not hex"},
    {"a,mac\n1,0011\n2,001122\n", "", "ids.csv:3: column mac holds 3 bytes, the rows before 2"},
    {"a,mac\n1,\"0011\n", "", "ids.csv:2: a quoted field is never closed"},
    {"a,mac\n1\n", "", "ids.csv:2: the row has 1 fields"},
    {"a,mac\n1,   \n", "", "ids.csv:2: column mac is empty"},
    {"a,mac\n1,0011\n", "size=4\n", "holds 2 bytes; the recipe writes exactly 4"},
};

START_TEST(test_bad_csv_is_refused_with_its_line)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *csv = g_build_filename(dir, "ids.csv", NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecipe) recipe = NULL;

	ck_assert(g_file_set_contents(csv, bad_csvs[_i].csv, -1, NULL));
	text = g_strconcat(HEAD "[unique-data]\nfile=ids.csv\naddress=0x080FF900\n",
			   strstr(bad_csvs[_i].extra, "column=") != NULL ? "" : "column=mac\n",
			   bad_csvs[_i].extra, NULL);
	recipe = load_text(dir, text, &error);
	ck_assert_msg(recipe == NULL, "csv %u loaded", _i);
	ck_assert_msg(strstr(error->message, bad_csvs[_i].says) != NULL, "csv %u: '%s'", _i,
		      error->message);
}
END_TEST

START_TEST(test_chip_names)
{
	g_autofree gchar *dir = test_tmp_dir();
	static const struct {
		const char *chip;
		guint32 flash_kb;
	} ok[] = {
	    {"STM32L476RG", 1024}, {"stm32l476rgt6", 1024}, {"STM32L476RE", 512},
	    {"STM32L476RC", 256},  {"STM32L476", 0},	    {"STM32L47x/L48x", 0},
	};
	for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text =
		    g_strdup_printf("[recipe]\nversion=1\nchip=%s\n[image]\nfile=fw.bin\n"
				    "crc32=%%CRC%%\n",
				    ok[i].chip);
		g_autoptr(GlintRecipe) recipe = load_text(dir, text, &error);
		ck_assert_msg(recipe != NULL, "%s: %s", ok[i].chip, error->message);
		ck_assert_uint_eq(glint_recipe_get_flash_kb(recipe), ok[i].flash_kb);
	}
}
END_TEST

START_TEST(test_confirmations_a_recipe_needs)
{
	g_autofree gchar *dir = test_tmp_dir();
	static const struct {
		const char *extra;
		GlintConfirm needs;
		const char *says;
	} cases[] = {
	    {"", GLINT_CONFIRM_NONE, NULL},
	    {"[options]\nset=nRST_STOP=0\n", GLINT_CONFIRM_NONE, NULL},
	    {"[erase]\nmode=all\n", GLINT_CONFIRM_RISKY, "mass-erased"},
	    {"[protection]\nrdp=1\n", GLINT_CONFIRM_RISKY, "RDP"},
	    {"[options]\nset=DUALBANK=0\n", GLINT_CONFIRM_RISKY, "DUALBANK"},
	    {"[protection]\nrdp=2\n", GLINT_CONFIRM_PERMANENT_LOCK, "RDP"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = g_strconcat(HEAD, cases[i].extra, NULL);
		g_autoptr(GlintRecipe) recipe = load_text(dir, text, &error);
		g_autofree gchar *why = NULL;
		g_autofree gchar *described = NULL;
		ck_assert_msg(recipe != NULL, "%s: %s", cases[i].extra, error->message);
		ck_assert_int_eq(glint_recipe_needs_confirm(recipe, &why), cases[i].needs);
		if (cases[i].says != NULL)
			ck_assert_msg(strstr(why, cases[i].says) != NULL, "%s", why);
		described = glint_recipe_describe(recipe);
		ck_assert_msg(strstr(described, cases[i].needs == GLINT_CONFIRM_NONE
						    ? "Needs no confirmation"
						: cases[i].needs == GLINT_CONFIRM_RISKY
						    ? "Needs --confirm"
						    : "--confirm-permanent-lock") != NULL,
			      "%s", described);
	}
}
END_TEST

START_TEST(test_settings_written_are_read_back)
{
	g_autofree gchar *dir = test_tmp_dir();
	g_autofree gchar *path = g_build_filename(dir, "saved.glintrecipe", NULL);
	g_autofree gchar *image = prod_write_image(dir, "fw.bin", PROD_IMAGE_LEN, 1, NULL);
	g_autofree gchar *csv = g_build_filename(dir, "k.csv", NULL);
	g_auto(GlintRecipeSettings) s = {0};
	g_auto(GlintRecipeSettings) back = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GlintRecipe) recipe = NULL;
	const char *const options[] = {"nRST_STOP=0", "BOR_LEV=2", NULL};

	ck_assert(g_file_set_contents(csv, "k\n0011\n", -1, NULL));
	glint_recipe_settings_init(&s);
	s.name = g_strdup("Line 3; \"main\" board\nrev B");
	s.chip = g_strdup("STM32L476RG");
	s.image = g_strdup("fw.bin");
	ck_assert(glint_recipe_file_crc32(image, &s.image_crc, &error));
	s.options = g_strdupv((gchar **)options);
	s.serial_format = GLINT_SERIAL_TEXT;
	s.serial_address = PROD_SERIAL_ADDR;
	s.serial_first = 5;
	s.serial_step = 2;
	s.serial_pattern = g_strdup("SN;%05u");
	s.serial_size = 16;
	s.unique_encoding = GLINT_UNIQUE_HEX;
	s.unique_file = g_strdup("k.csv");
	s.unique_column = g_strdup("k");
	s.unique_address = 0x080FFC00;
	s.rdp_level = 1;
	s.reset_run = FALSE;
	ck_assert_msg(glint_recipe_settings_write(&s, path, &error), "%s", error->message);
	ck_assert_msg(glint_recipe_settings_read(path, &back, &error), "%s", error->message);
	ck_assert_str_eq(back.name, s.name);
	ck_assert_str_eq(back.serial_pattern, "SN;%05u");
	ck_assert_str_eq(back.options[1], "BOR_LEV=2");
	ck_assert_uint_eq(back.serial_step, 2);
	ck_assert_uint_eq(back.serial_size, 16);
	ck_assert_uint_eq(back.unique_address, 0x080FFC00);
	ck_assert_uint_eq(back.image_crc, s.image_crc);
	ck_assert(!back.reset_run);
	ck_assert_uint_eq(back.rdp_level, 1);
	/* and it is a recipe the station loads */
	recipe = glint_recipe_load(path, NULL, &error);
	ck_assert_msg(recipe != NULL, "%s", error != NULL ? error->message : "");
	{
		g_autofree gchar *text = glint_recipe_serial_text(recipe, 7);
		ck_assert_str_eq(text, "SN;00007");
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("recipe");
	TCase *tc = tcase_create("recipe");
	SRunner *sr;
	int failed;

	if (!test_tmp_init("glint-recipe-XXXXXX", NULL))
		return 1;
	tcase_add_test(tc, test_recipe_reads_what_it_says);
	tcase_add_test(tc, test_serial_encodings);
	tcase_add_loop_test(tc, test_bad_recipe_is_refused_with_its_line, 0,
			    G_N_ELEMENTS(bad_recipes));
	tcase_add_loop_test(tc, test_bad_csv_is_refused_with_its_line, 0, G_N_ELEMENTS(bad_csvs));
	tcase_add_test(tc, test_chip_names);
	tcase_add_test(tc, test_confirmations_a_recipe_needs);
	tcase_add_test(tc, test_settings_written_are_read_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	test_tmp_cleanup();
	return failed ? 1 : 0;
}
