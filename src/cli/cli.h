/*
 * What the sra command's files share: exit codes, the options every
 * command takes, and turning a libsra error into a line on stderr and an
 * exit code.  The CLI includes only the public sra headers and util.
 */
#ifndef SRA_CLI_H
#define SRA_CLI_H

#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif

#include <sra/sra.h>

#include <stddef.h>

/* exit codes (migrations.md) */
enum {
	CLI_OK = 0,		/* success */
	CLI_FAIL = 1,		/* failure, or drift found */
	CLI_USAGE = 2,		/* bad options, target syntax, URL or ENVIRONMENT */
	CLI_CHAIN = 3		/* the migration files or chain: malformed, conflicting, unknown revision */
};

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cli_command;

/*
 * stdout for the library's streamed output (sra_benchmark_write_fn): a
 * failed write is remembered, and cli_error_lib then reports the system's
 * message rather than the library's.
 */
int cli_write_stdout(void *payload, const char *data, size_t len);
/*
 * Text from the database for people, onto stdout: control characters (C0
 * but newline and tab, DEL, and C1 such as CSI and OSC) shown escaped as
 * \x1b, so a record cannot drive the terminal.  Returns how many were.
 * cli_write_text is the same as a sra_benchmark_write_fn.
 */
size_t cli_put_text(const char *s, size_t len);
/* the same for a NUL-terminated s onto stderr (a warning naming a database value) */
void cli_eput_text(const char *s);
int cli_write_text(void *payload, const char *data, size_t len);
/*
 * At exit: flush and close stdout; when that (or any earlier write) failed
 * and the command had succeeded, print "cannot write the output: <strerror>"
 * and return CLI_FAIL, else return rc.
 */
int cli_finish_stdout(int rc);

/* print "sra: <message>" for the last libsra error; return its exit code */
int cli_error_lib(int error);
/* print "sra: <formatted>" and return CLI_USAGE */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* print "sra: <formatted>" and return CLI_FAIL */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Resolve the database URL (--url or the environment, migrations.md) and
 * open it; on failure prints the error and returns its exit code, else 0.
 * The caller frees *out with sra_db_free().
 */
int cli_open_db(sra_db **out, const char *url);
/*
 * --lock-timeout SECONDS of every writing command (default 60): how long
 * cli_open_db's handle waits for a lock (SQLite's busy timeout, PostgreSQL's
 * lock_timeout).  cli_parse_lock_timeout sets it, or prints a usage error
 * and returns CLI_USAGE.
 */
extern int cli_lock_timeout_ms;
/* "sra import records": the command words, for PostgreSQL's application_name */
extern char cli_app_name[64];
void cli_set_app_name(int argc, char **argv);
/*
 * sra_open_options.lock_wait: "sra: waiting for a lock held by HOLDER; giving
 * up after N s (--lock-timeout)" on stderr; payload: an int of milliseconds,
 * or NULL for cli_lock_timeout_ms.
 */
void cli_lock_wait(void *payload, const char *holder);
int cli_parse_lock_timeout(const char *arg);

/* --threshold ARG of COMMAND into *out (a number from 0 to 1); 0, or a usage error's exit code */
int cli_parse_threshold(double *out, const char *command, const char *arg);
/* the same for a command that only reads: a missing SQLite file is an error, never created */
int cli_open_db_read(sra_db **out, const char *url);

/* the table of a command group, printed by --help */
void cli_print_commands(const char *group, const cli_command *cmds);
int cli_dispatch(const char *group, const cli_command *cmds, int argc, char **argv);

int cmd_db(int argc, char **argv);
int cmd_metrics(int argc, char **argv);

#endif
