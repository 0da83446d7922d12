/* Error reporting and command dispatch shared by the sra command. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the system's error of the first failed write to stdout, 0 while none */
static int stdout_errno;

int cli_write_stdout(void *payload, const char *data, size_t len)
{
	(void)payload;
	if (fwrite(data, 1, len, stdout) == len)
		return 0;
	if (!stdout_errno)
		stdout_errno = errno ? errno : EIO;
	return SRA_ERROR;
}

size_t cli_put_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
	size_t shown = 0;

	for (; p < end; p++) {
		unsigned code;

		if (*p < 0x20 && *p != '\n' && *p != '\t')
			code = *p;
		else if (*p == 0x7f)
			code = *p;
		else if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f)
			code = p[1];	/* a C1 control (CSI, OSC, …) as UTF-8 */
		else
			continue;
		if (cli_write_stdout(NULL, (const char *)run, (size_t)(p - run)) < 0)
			return shown;
		printf("\\x%02x", code);
		shown++;
		if (code >= 0x80)
			p++;
		run = p + 1;
	}
	cli_write_stdout(NULL, (const char *)run, (size_t)(end - run));
	return shown;
}

void cli_eput_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(stderr, "\\x%02x", *++p);
		else
			fputc(*p, stderr);
	}
}

int cli_write_text(void *payload, const char *data, size_t len)
{
	(void)payload;
	cli_put_text(data, len);
	return stdout_errno ? SRA_ERROR : 0;
}

int cli_finish_stdout(int rc)
{
	int failed = 0;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		failed = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !failed)
		failed = errno ? errno : EIO;
	if (!stdout_errno)
		stdout_errno = failed;
	if (stdout_errno && rc == CLI_OK)
		return cli_fail("cannot write the output: %s", strerror(stdout_errno));
	return rc;
}

int cli_error_lib(int error)
{
	const sra_error *e = sra_error_last();

	if (stdout_errno)	/* the library stopped because our write failed */
		return cli_fail("cannot write the output: %s", strerror(stdout_errno));

	/* a message may quote the database or the input: control characters escaped */
	fputs("sra: ", stderr);
	cli_eput_text(e && e->message ? e->message : "unknown error");
	fputc('\n', stderr);
	if (error == SRA_ECONFLICT)
		return CLI_CHAIN;
	if (!e)
		return CLI_FAIL;
	switch (e->klass) {
	case SRA_ERROR_CHAIN:
	case SRA_ERROR_SQL:
		return CLI_CHAIN;
	case SRA_ERROR_CONFIG:
	case SRA_ERROR_INVALID:
		return CLI_USAGE;
	default:
		return CLI_FAIL;
	}
}

/* "sra: <formatted>\n" on stderr; returns `code` */
static int report(int code, const char *fmt, va_list ap)
{
	fputs("sra: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return code;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	int code;

	va_start(ap, fmt);
	code = report(CLI_USAGE, fmt, ap);
	va_end(ap);
	return code;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	int code;

	va_start(ap, fmt);
	code = report(CLI_FAIL, fmt, ap);
	va_end(ap);
	return code;
}

void cli_print_commands(const char *group, const cli_command *cmds)
{
	size_t i;

	printf("Commands of %s:\n", group);
	for (i = 0; cmds[i].name; i++)
		printf("  %-10s %s\n", cmds[i].name, cmds[i].summary);
}

int cli_dispatch(const char *group, const cli_command *cmds, int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cli_usage_error("%s: a command is needed (see '%s --help')", group, group);
	for (i = 0; cmds[i].name; i++)
		if (strcmp(cmds[i].name, argv[1]) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	return cli_usage_error("%s: unknown command '%s' (see '%s --help')", group, argv[1], group);
}

int cli_parse_threshold(double *out, const char *command, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !(v >= 0 && v <= 1))
		return cli_usage_error("%s: --threshold must be a number from 0 to 1, not '%s'", command, arg);
	*out = v;
	return 0;
}

int cli_lock_timeout_ms = 60000;

int cli_parse_lock_timeout(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || v < 0 || v > 86400)
		return cli_usage_error("--lock-timeout: '%s' is not a number of seconds (0 to 86400)", arg);
	cli_lock_timeout_ms = (int)(v * 1000 + 0.5);
	return 0;
}

char cli_app_name[64] = "sra";

void cli_set_app_name(int argc, char **argv)
{
	int i;

	/* "sra import records", "sra db upgrade": the command words, never an argument's value */
	for (i = 1; i < argc && i < 3; i++) {
		const char *w = argv[i];
		size_t n = strlen(cli_app_name);

		if (!*w || strspn(w, "abcdefghijklmnopqrstuvwxyz-") != strlen(w) || w[0] == '-' ||
		    n + 1 + strlen(w) >= sizeof(cli_app_name))
			break;
		snprintf(cli_app_name + n, sizeof(cli_app_name) - n, " %s", w);
	}
}

void cli_lock_wait(void *payload, const char *holder)
{
	int timeout_ms = payload ? *(const int *)payload : cli_lock_timeout_ms;

	fputs("sra: waiting for a lock held by ", stderr);
	cli_eput_text(holder);
	fprintf(stderr, "; giving up after %g s (--lock-timeout)\n", timeout_ms / 1000.0);
}

static int open_db(sra_db **out, const char *url, int must_exist)
{
	sra_resolve_options ro = SRA_RESOLVE_OPTIONS_INIT;
	sra_open_options oo = SRA_OPEN_OPTIONS_INIT;
	char *resolved = NULL;
	int error;

	ro.url = url;
	if ((error = sra_db_resolve_url(&resolved, NULL, &ro)) < 0)
		return cli_error_lib(error);
	oo.must_exist = must_exist;
	oo.busy_timeout_ms = cli_lock_timeout_ms;
	oo.lock_timeout_ms = cli_lock_timeout_ms;
	oo.application_name = cli_app_name;
	oo.lock_wait = cli_lock_wait;
	error = sra_db_open(out, resolved, &oo);
	free(resolved);
	return error < 0 ? cli_error_lib(error) : CLI_OK;
}

int cli_open_db(sra_db **out, const char *url)
{
	return open_db(out, url, 0);
}

int cli_open_db_read(sra_db **out, const char *url)
{
	return open_db(out, url, 1);
}
