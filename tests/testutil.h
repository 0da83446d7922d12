/*
 * Helpers shared by the cmocka tests.
 *
 * PostgreSQL: tests that need a server call sra_test_pg_url().  It returns a
 * URL of a fresh, empty database (named sra_test_<pid>_<n>) on the server that
 * TEST_DATABASE_URL points to, or NULL when TEST_DATABASE_URL is unset -- then
 * the test calls skip().  With SRA_REQUIRE_PG=1 (set by `make test`) an unset
 * or unreachable server fails the test instead.
 */
#ifndef SRA_TESTUTIL_H
#define SRA_TESTUTIL_H

#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
# define _DEFAULT_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* a fresh temporary directory (removed with its contents by sra_test_rmtree) */
char *sra_test_tmpdir(void);
void sra_test_rmtree(const char *dir);

/* "sqlite:///<tmpdir>/<name>"; the caller frees */
char *sra_test_sqlite_url(const char *dir, const char *name);

/*
 * A fresh database on the test server; the caller frees the URL and calls
 * sra_test_pg_drop(url) when done.  NULL: no server configured (skip the test).
 */
char *sra_test_pg_url(void);
void sra_test_pg_drop(const char *url);
/* run one statement on the test server's own database (TEST_DATABASE_URL) */
int sra_test_pg_admin(const char *sql);

/*
 * A fresh, empty database for a group of cases: a file named `file` in a new
 * temporary directory (sqlite; *dir set), or a new database on the test
 * server (postgresql; *dir NULL).  Returns the URL, or NULL when no server
 * is configured (the cases skip).  sra_test_db_dispose drops or removes it
 * and frees both strings; NULLs are fine.
 */
char *sra_test_db_url(char **dir, const char *dialect, const char *file);
void sra_test_db_dispose(char *dir, char *url);

/* run a shell command, capture stdout (and the exit status); caller frees */
char *sra_test_run(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* read a whole file; NULL when it cannot; caller frees */
char *sra_test_read_file(const char *path);
int sra_test_write_file(const char *path, const char *text);

/* the source tree (SRA_SOURCE_DIR, set by ctest) */
const char *sra_test_source_dir(void);

/* assert that an sra call returned 0, printing sra_error_last() otherwise */
#define sra_assert_ok(expr) do { \
	int _e = (expr); \
	if (_e != 0) { \
		const sra_error *_le = sra_error_last(); \
		print_error("%s = %d: %s\n", #expr, _e, _le ? _le->message : "(no message)"); \
		fail(); \
	} } while (0)

#endif
