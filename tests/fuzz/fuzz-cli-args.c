/* fuzz-cli-args.c: libFuzzer target for glint-cli's command line
 * (app/cli-args.c): numbers, addresses and sizes as users type them
 * (cli_parse_number) and whole argument vectors (cli_options_parse). The
 * input's NUL bytes separate arguments. Besides "no crash, no leak, no hang":
 * every refusal is a GLINT_ERROR with a message; an accepted number prints
 * back to itself; an accepted command line names a command. Built and run by
 * run-fuzz.sh. */
#define G_LOG_DOMAIN "fuzz-cli-args"

#include <stdint.h>
#include <stdio.h> /* cli.h uses FILE without including it */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 24

static void
check_refusal(const GError *error)
{
	if (error == NULL || error->domain != GLINT_ERROR || error->message[0] == '\0')
		abort();
}

static void
check_number(const char *text)
{
	for (guint suffix = 0; suffix < 2; suffix++) {
		g_autoptr(GError) error = NULL;
		guint32 value = 0, again = 0;
		g_autofree gchar *hex = NULL;
		if (!cli_parse_number(text, "size", suffix, &value, &error)) {
			check_refusal(error);
			continue;
		}
		if (error != NULL)
			abort();
		/* Whatever form was typed, the value means one number. */
		hex = g_strdup_printf("0x%X", value);
		if (!cli_parse_number(hex, "size", FALSE, &again, NULL) || again != value)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *buf = g_malloc(size + 1);
	char *argv[MAX_ARGS + 2];
	int argc = 1;
	g_autoptr(GError) error = NULL;
	g_autoptr(CliOptions) opts = NULL;

	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"glint-cli";
	for (gsize pos = 0; pos <= size && argc <= MAX_ARGS; pos += strlen(buf + pos) + 1)
		argv[argc++] = buf + pos;
	argv[argc] = NULL;
	for (int i = 1; i < argc; i++)
		check_number(argv[i]);
	opts = cli_options_parse(argc, argv, &error);
	if (opts == NULL) {
		check_refusal(error);
		return 0;
	}
	if (error != NULL)
		abort();
	if (!opts->help && !opts->version && (opts->command == NULL || opts->operands == NULL))
		abort();
	return 0;
}
