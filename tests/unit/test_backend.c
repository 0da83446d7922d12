/*
 * The backend contract (include/sra/sys/backend.h): the same cases on SQLite
 * (a temporary file) and on PostgreSQL (a fresh database on the server that
 * TEST_DATABASE_URL names; skipped when none is configured), plus what only
 * one of them has (libpq's connection options) and failures to open.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <inttypes.h>
#include <malloc.h>

#include <sra/sra.h>
#include <sra/sys/backend.h>

typedef struct {
	const char *dialect;	/* "sqlite" or "postgresql" */
	char *dir;		/* SQLite: the temporary directory */
	char *url;		/* NULL: no server configured, the cases skip */
	sra_db *db;		/* opened by setup for each case */
} fixture;

static fixture sqlite_fx = { "sqlite", NULL, NULL, NULL };
static fixture pg_fx = { "postgresql", NULL, NULL, NULL };

static int is_pg(const fixture *f)
{
	return strcmp(f->dialect, "postgresql") == 0;
}

static sra_db *open_url(const char *url, int busy_timeout_ms, const char *application_name)
{
	sra_open_options opts = SRA_OPEN_OPTIONS_INIT;
	sra_db *db = NULL;

	if (busy_timeout_ms >= 0)
		opts.busy_timeout_ms = busy_timeout_ms;
	if (application_name)
		opts.application_name = application_name;
	sra_assert_ok(sra_db_open(&db, url, &opts));
	return db;
}

/* the backend of this case's connection; skips when there is no server */
static sra_backend *need(fixture *f)
{
	if (!f->url)
		skip();
	return sra_db__backend(f->db);
}

/* the first cell of a query without parameters (NULL for SQL NULL); caller frees */
static char *scalar(sra_backend *be, const char *sql)
{
	sra_rows *rows = NULL;
	char *v;

	sra_assert_ok(be->ops->query(&rows, be, sql, NULL, 0));
	assert_non_null(rows);
	assert_true(rows->nrows >= 1 && rows->ncols >= 1);
	v = sra_rows_get(rows, 0, 0) ? strdup(sra_rows_get(rows, 0, 0)) : NULL;
	sra_rows_free(rows);
	return v;
}

static void assert_scalar(sra_backend *be, const char *sql, const char *expected)
{
	char *v = scalar(be, sql);

	assert_non_null(v);
	assert_string_equal(v, expected);
	free(v);
}

/* a failure with `code` whose one-line message contains `needle` */
static void assert_failed(int got, int code, const char *needle)
{
	const sra_error *e = sra_error_last();

	assert_int_equal(got, code);
	assert_non_null(e);
	assert_non_null(e->message);
	if (getenv("SRA_TEST_VERBOSE"))
		print_message("    %d: %s\n", got, e->message);
	if (needle && !strstr(e->message, needle))
		fail_msg("message '%s' lacks '%s'", e->message, needle);
	assert_null(strchr(e->message, '\n'));
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* ---- fixtures --------------------------------------------------------- */

/* each group's database, shared by its cases */
static int group_open(fixture *f)
{
	f->url = sra_test_db_url(&f->dir, f->dialect, "contract.db");
	return 0;
}

static int group_close(fixture *f)
{
	sra_test_db_dispose(f->dir, f->url);
	f->dir = f->url = NULL;
	return 0;
}

static int sqlite_group_setup(void **state) { (void)state; return group_open(&sqlite_fx); }
static int sqlite_group_teardown(void **state) { (void)state; return group_close(&sqlite_fx); }
static int pg_group_setup(void **state) { (void)state; return group_open(&pg_fx); }
static int pg_group_teardown(void **state) { (void)state; return group_close(&pg_fx); }

static int setup(void **state)
{
	fixture *f = *state;

	if (f->url)
		f->db = open_url(f->url, -1, NULL);
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	sra_db_free(f->db);
	f->db = NULL;
	return 0;
}

/* ---- the contract, on both ---------------------------------------------- */

static void check_typed_row(const fixture *f, const sra_rows *rows, size_t r,
			    const char *i, const char *s, double real, int b, const char *n)
{
	assert_string_equal(sra_rows_get(rows, r, 0), i);
	assert_string_equal(sra_rows_get(rows, r, 1), s);
	assert_true(strtod(sra_rows_get(rows, r, 2), NULL) == real);
	assert_string_equal(sra_rows_get(rows, r, 3), is_pg(f) ? (b ? "t" : "f") : (b ? "1" : "0"));
	if (n)
		assert_string_equal(sra_rows_get(rows, r, 4), n);
	else
		assert_null(sra_rows_get(rows, r, 4));
}

static void test_backend_contract__every_value_type(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value row1[] = {
		SRA_VAL_INT(INT64_MIN), SRA_VAL_TEXT("it's ünïcode"), SRA_VAL_REAL(0.1),
		SRA_VAL_BOOL(1), SRA_VAL_NULL
	};
	const sra_value row2[] = {
		SRA_VAL_INT(INT64_MAX), SRA_VAL_TEXT(""), SRA_VAL_REAL(-2.5e300),
		SRA_VAL_BOOL(0), SRA_VAL_TEXT("x")
	};
	sra_rows *rows = NULL;

	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS typed"));
	sra_assert_ok(be->ops->exec(be,
		"CREATE TABLE typed (i bigint, s text, r double precision, b boolean, n text)"));
	sra_assert_ok(be->ops->query(NULL, be, "INSERT INTO typed VALUES ($1, $2, $3, $4, $5)", row1, 5));
	sra_assert_ok(be->ops->query(NULL, be, "INSERT INTO typed VALUES ($1, $2, $3, $4, $5)", row2, 5));
	sra_assert_ok(be->ops->query(&rows, be, "SELECT i, s, r, b, n FROM typed ORDER BY i", NULL, 0));
	assert_int_equal(rows->nrows, 2);
	assert_int_equal(rows->ncols, 5);
	assert_string_equal(rows->names[0], "i");
	assert_string_equal(rows->names[4], "n");
	check_typed_row(f, rows, 0, "-9223372036854775808", "it's ünïcode", 0.1, 1, NULL);
	check_typed_row(f, rows, 1, "9223372036854775807", "", -2.5e300, 0, "x");	/* "" is not NULL */
	sra_rows_free(rows);
	rows = NULL;

	/* straight from the parameters, no column types to lean on */
	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT CAST($1 AS bigint) AS i, CAST($2 AS text) AS s, CAST($3 AS double precision) AS r,"
		" CAST($4 AS boolean) AS b, CAST($5 AS text) AS n", row1, 5));
	assert_int_equal(rows->nrows, 1);
	assert_string_equal(rows->names[2], "r");
	check_typed_row(f, rows, 0, "-9223372036854775808", "it's ünïcode", 0.1, 1, NULL);
	sra_rows_free(rows);
}

/*
 * A double reads back as the shortest text that parses to it, as PostgreSQL
 * prints float8 (SQLite's own text has 15 digits): the same stored value
 * gives the same text on both databases.  Expected texts are Python's
 * repr() of the same doubles.
 */
static void test_backend_contract__real_text_round_trips(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value p[] = { SRA_VAL_REAL(17.0 / 21.0), SRA_VAL_REAL(0.85), SRA_VAL_REAL(1e-300),
				SRA_VAL_REAL(241.0 / 12.0), SRA_VAL_REAL(0.1 + 0.2) };
	sra_rows *rows = NULL;

	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT CAST($1 AS double precision), CAST($2 AS double precision),"
		" CAST($3 AS double precision), CAST($4 AS double precision), CAST($5 AS double precision)",
		p, 5));
	assert_string_equal(sra_rows_get(rows, 0, 0), "0.8095238095238095");
	assert_string_equal(sra_rows_get(rows, 0, 1), "0.85");
	assert_string_equal(sra_rows_get(rows, 0, 2), "1e-300");
	assert_string_equal(sra_rows_get(rows, 0, 3), "20.083333333333332");
	assert_string_equal(sra_rows_get(rows, 0, 4), "0.30000000000000004");
	sra_rows_free(rows);
}

static void test_backend_contract__parameter_order(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value two[] = { SRA_VAL_TEXT("one"), SRA_VAL_TEXT("two") };
	const sra_value ten[] = {
		SRA_VAL_TEXT("p1"), SRA_VAL_TEXT("p2"), SRA_VAL_TEXT("p3"), SRA_VAL_TEXT("p4"),
		SRA_VAL_TEXT("p5"), SRA_VAL_TEXT("p6"), SRA_VAL_TEXT("p7"), SRA_VAL_TEXT("p8"),
		SRA_VAL_TEXT("p9"), SRA_VAL_TEXT("p10")
	};
	sra_rows *rows = NULL;
	size_t i;

	sra_assert_ok(be->ops->query(&rows, be, "SELECT CAST($2 AS text) AS a, CAST($1 AS text) AS b", two, 2));
	assert_int_equal(rows->nrows, 1);
	assert_string_equal(sra_rows_get(rows, 0, 0), "two");
	assert_string_equal(sra_rows_get(rows, 0, 1), "one");
	sra_rows_free(rows);
	rows = NULL;

	/* $10 is not $1 followed by 0; the same $2 twice is one value */
	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT CAST($10 AS text), CAST($1 AS text), CAST($2 AS text), CAST($3 AS text),"
		" CAST($4 AS text), CAST($5 AS text), CAST($6 AS text), CAST($7 AS text),"
		" CAST($8 AS text), CAST($9 AS text), CAST($2 AS text)", ten, 10));
	assert_string_equal(sra_rows_get(rows, 0, 0), "p10");
	for (i = 1; i < 10; i++)
		assert_string_equal(sra_rows_get(rows, 0, i), ten[i - 1].u.text);
	assert_string_equal(sra_rows_get(rows, 0, 10), "p2");
	sra_rows_free(rows);
}

static void test_backend_contract__dollar_inside_literals(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value one[] = { SRA_VAL_TEXT("v") };
	sra_rows *rows = NULL;

	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT 'costs $1 and ''$2''' AS lit, CAST($1 AS text) AS \"$1\"", one, 1));
	assert_int_equal(rows->nrows, 1);
	assert_string_equal(sra_rows_get(rows, 0, 0), "costs $1 and '$2'");
	assert_string_equal(sra_rows_get(rows, 0, 1), "v");
	assert_string_equal(rows->names[1], "$1");
	sra_rows_free(rows);

	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS lit"));
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE lit (s text)"));
	sra_assert_ok(be->ops->exec(be, "INSERT INTO lit VALUES ('price: $1')"));
	assert_scalar(be, "SELECT s FROM lit", "price: $1");
}

static void test_backend_contract__errors(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value one[] = { SRA_VAL_INT(1) };

	assert_failed(be->ops->exec(be, "SELECT * FROM no_such_table"), SRA_EBACKEND, "no_such_table");
	assert_string_equal(be->sqlstate, is_pg(f) ? "42P01" : "");

	assert_failed(be->ops->query(NULL, be, "SELEC 1", NULL, 0), SRA_EBACKEND, "syntax error");
	assert_string_equal(be->sqlstate, is_pg(f) ? "42601" : "");

	/* PostgreSQL's DETAIL joins the message, on one line */
	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS uniq"));
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE uniq (x integer PRIMARY KEY)"));
	sra_assert_ok(be->ops->query(NULL, be, "INSERT INTO uniq VALUES ($1)", one, 1));
	assert_failed(be->ops->query(NULL, be, "INSERT INTO uniq VALUES ($1)", one, 1), SRA_EBACKEND,
		      is_pg(f) ? "DETAIL: Key (x)=(1) already exists." : "UNIQUE constraint failed");
	assert_string_equal(be->sqlstate, is_pg(f) ? "23505" : "");

	/* a parameter without a value; two statements in one query */
	assert_failed(be->ops->query(NULL, be, "SELECT CAST($2 AS text)", one, 1), SRA_EBACKEND, NULL);
	assert_failed(be->ops->query(NULL, be, "SELECT 1; SELECT 2", NULL, 0), SRA_EBACKEND, NULL);

	/* a failure leaves the connection usable, and a success keeps the last SQLSTATE */
	assert_scalar(be, "SELECT 1", "1");
}

static void test_backend_contract__transactions(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);

	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS tx"));
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE tx (x integer)"));

	/* rollback discards, commit keeps */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->exec(be, "INSERT INTO tx VALUES (1)"));
	sra_assert_ok(be->ops->rollback(be));
	assert_scalar(be, "SELECT count(*) FROM tx", "0");
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->exec(be, "INSERT INTO tx VALUES (2)"));
	sra_assert_ok(be->ops->commit(be));
	assert_scalar(be, "SELECT count(*) FROM tx", "1");

	/* rollback when idle is harmless, commit when idle is not */
	sra_assert_ok(be->ops->rollback(be));
	sra_assert_ok(be->ops->rollback(be));
	assert_failed(be->ops->commit(be), SRA_EBACKEND, NULL);

	/* begin inside a transaction fails and leaves it open */
	sra_assert_ok(be->ops->begin(be));
	assert_failed(be->ops->begin(be), SRA_EBACKEND, NULL);
	sra_assert_ok(be->ops->rollback(be));

	/* rollback after a failed statement */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->exec(be, "INSERT INTO tx VALUES (3)"));
	assert_failed(be->ops->exec(be, "INSERT INTO no_such_table VALUES (1)"), SRA_EBACKEND, "no_such_table");
	sra_assert_ok(be->ops->rollback(be));
	assert_scalar(be, "SELECT count(*) FROM tx", "1");

	/* DDL is transactional (SRA_CAP_TXN_DDL on both) */
	assert_true(be->ops->caps & SRA_CAP_TXN_DDL);
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE ddl_gone (x integer)"));
	sra_assert_ok(be->ops->rollback(be));
	assert_failed(be->ops->exec(be, "SELECT * FROM ddl_gone"), SRA_EBACKEND, "ddl_gone");

	if (is_pg(f)) {
		/* PostgreSQL would answer this COMMIT with a silent ROLLBACK */
		sra_assert_ok(be->ops->begin(be));
		sra_assert_ok(be->ops->exec(be, "INSERT INTO tx VALUES (4)"));
		assert_failed(be->ops->exec(be, "SELECT 1/0"), SRA_EBACKEND, "division by zero");
		assert_failed(be->ops->commit(be), SRA_EBACKEND, "rolled back");
		assert_string_equal(be->sqlstate, "25P02");
		assert_scalar(be, "SELECT count(*) FROM tx", "1");
		sra_assert_ok(be->ops->begin(be));	/* idle again */
		sra_assert_ok(be->ops->rollback(be));
	}
}

static void test_backend_contract__result_shapes(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value seven[] = { SRA_VAL_INT(7) };
	sra_rows *rows = NULL;

	/* many rows */
	sra_assert_ok(be->ops->query(&rows, be,
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000)"
		" SELECT x, NULL AS empty FROM c", NULL, 0));
	assert_int_equal(rows->nrows, 1000);
	assert_int_equal(rows->ncols, 2);
	assert_string_equal(sra_rows_get(rows, 999, 0), "1000");
	assert_null(sra_rows_get(rows, 999, 1));
	sra_rows_free(rows);
	rows = NULL;

	/* no rows, but the columns */
	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS shapes"));
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE shapes (x integer, y text)"));
	sra_assert_ok(be->ops->query(&rows, be, "SELECT x, y FROM shapes", NULL, 0));
	assert_int_equal(rows->nrows, 0);
	assert_int_equal(rows->ncols, 2);
	assert_string_equal(rows->names[1], "y");
	sra_rows_free(rows);
	rows = NULL;

	/* a command: an empty result; RETURNING: rows */
	sra_assert_ok(be->ops->query(&rows, be, "DELETE FROM shapes", NULL, 0));
	assert_int_equal(rows->nrows, 0);
	assert_int_equal(rows->ncols, 0);
	sra_rows_free(rows);
	rows = NULL;
	sra_assert_ok(be->ops->query(&rows, be, "INSERT INTO shapes (x) VALUES ($1) RETURNING x, y", seven, 1));
	assert_int_equal(rows->nrows, 1);
	assert_string_equal(sra_rows_get(rows, 0, 0), "7");
	assert_null(sra_rows_get(rows, 0, 1));
	sra_rows_free(rows);
	rows = NULL;

	/* nothing to run */
	sra_assert_ok(be->ops->exec(be, ""));
	sra_assert_ok(be->ops->exec(be, "  -- only a comment\n"));
	sra_assert_ok(be->ops->query(&rows, be, "/* nothing */", NULL, 0));
	assert_int_equal(rows->nrows, 0);
	sra_rows_free(rows);
}

static void test_backend_contract__exec_runs_every_statement(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);

	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS many"));
	sra_assert_ok(be->ops->exec(be,
		"CREATE TABLE many (x integer);\n"
		"INSERT INTO many VALUES (1); -- one\n"
		"INSERT INTO many VALUES (2); /* two */\n"));
	assert_scalar(be, "SELECT sum(x) FROM many", "3");

	/* the statements before a failure ran; those after it did not */
	assert_failed(be->ops->exec(be,
		"INSERT INTO many VALUES (10); INSERT INTO nope VALUES (1); INSERT INTO many VALUES (100)"),
		SRA_EBACKEND, "nope");
	assert_scalar(be, "SELECT sum(x) FROM many", is_pg(f) ? "3" : "13");	/* PostgreSQL: one implicit transaction */
}

static void lock_pg(fixture *f, sra_backend *a)
{
	const int64_t keys[] = { INT64_C(0x123456789A), -2, 1 };
	sra_db *other = open_url(f->url, -1, "contract-b");
	sra_backend *b = sra_db__backend(other);
	size_t i;
	char *pid;

	sra_assert_ok(a->ops->begin(a));
	pid = scalar(a, "SELECT pg_backend_pid()");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const sra_value key = SRA_VAL_INT(keys[i]);
		struct timespec t0;
		char needle[64];
		long waited;

		sra_assert_ok(a->ops->query(NULL, a, "SELECT pg_advisory_xact_lock($1)", &key, 1));
		sra_assert_ok(b->ops->begin(b));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		snprintf(needle, sizeof(needle), "pid %s (", pid);
		assert_failed(b->ops->xact_lock(b, keys[i], 200), SRA_ELOCKED, needle);
		waited = ms_since(&t0);
		assert_true(waited >= 180 && waited < 5000);
		assert_non_null(strstr(sra_error_last()->message, "another migrator holds the migration lock"));
		assert_string_equal(b->sqlstate, "55P03");
		/* b's transaction was rolled back: it is idle again */
		sra_assert_ok(b->ops->rollback(b));
		sra_assert_ok(b->ops->begin(b));
		sra_assert_ok(b->ops->rollback(b));
	}
	sra_assert_ok(a->ops->commit(a));

	/* free now; lock_timeout is back to what it was afterwards */
	sra_assert_ok(b->ops->begin(b));
	assert_scalar(b, "SHOW lock_timeout", "0");
	sra_assert_ok(b->ops->xact_lock(b, keys[0], 200));
	assert_scalar(b, "SHOW lock_timeout", "0");
	sra_assert_ok(b->ops->set_ddl_lock_timeout(b, 1500));
	assert_scalar(b, "SHOW lock_timeout", "1500ms");
	/* a holds nothing, b holds keys[0]: a waits 0 ms, not forever */
	sra_assert_ok(a->ops->begin(a));
	assert_failed(a->ops->xact_lock(a, keys[0], 0), SRA_ELOCKED, "another migrator");
	sra_assert_ok(b->ops->commit(b));
	assert_scalar(b, "SHOW lock_timeout", "0");

	/* the lock belongs to a healthy transaction */
	assert_failed(b->ops->xact_lock(b, 1, 200), SRA_EINVALID, NULL);
	sra_assert_ok(b->ops->begin(b));
	assert_failed(b->ops->exec(b, "SELECT 1/0"), SRA_EBACKEND, NULL);
	assert_failed(b->ops->xact_lock(b, 1, 200), SRA_EBACKEND, "roll back first");
	assert_string_equal(b->sqlstate, "25P02");
	sra_assert_ok(b->ops->rollback(b));

	free(pid);
	sra_db_free(other);
}

static void lock_sqlite(fixture *f, sra_backend *a)
{
	sra_db *other = open_url(f->url, 200, NULL);
	sra_backend *b = sra_db__backend(other);
	struct timespec t0;
	long waited;

	sra_assert_ok(a->ops->begin(a));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_failed(b->ops->begin(b), SRA_ELOCKED, "is locked by another writer (waited 200 ms)");
	waited = ms_since(&t0);
	assert_true(waited >= 150 && waited < 5000);
	assert_string_equal(b->sqlstate, "");
	sra_assert_ok(b->ops->rollback(b));
	/* begin already serialises writers: these do nothing */
	sra_assert_ok(b->ops->xact_lock(b, 42, 200));
	sra_assert_ok(b->ops->set_ddl_lock_timeout(b, 200));
	sra_assert_ok(a->ops->commit(a));

	sra_assert_ok(b->ops->begin(b));
	sra_assert_ok(b->ops->xact_lock(b, 42, 200));
	sra_assert_ok(b->ops->commit(b));
	sra_db_free(other);
}

static void test_backend_contract__lock(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);

	if (is_pg(f))
		lock_pg(f, be);
	else
		lock_sqlite(f, be);
}

/* ---- PostgreSQL only ---------------------------------------------------- */

static void test_backend_pg__url_options_win(void **state)
{
	fixture *f = *state;
	sra_db *db;
	char *url;

	need(f);
	db = open_url(f->url, -1, "sra-contract");
	assert_scalar(sra_db__backend(db), "SHOW application_name", "sra-contract");
	assert_scalar(sra_db__backend(db), "SHOW client_encoding", "UTF8");
	sra_db_free(db);

	url = malloc(strlen(f->url) + 64);
	sprintf(url, "%s%capplication_name=from_url&client_encoding=LATIN1",
		f->url, strchr(f->url, '?') ? '&' : '?');
	db = open_url(url, -1, "sra-contract");
	assert_scalar(sra_db__backend(db), "SHOW application_name", "from_url");
	assert_scalar(sra_db__backend(db), "SHOW client_encoding", "LATIN1");
	sra_db_free(db);
	free(url);
}

/* ---- opening failures, no server needed --------------------------------- */

static void assert_open_fails(const char *url, const char *needle, const char *secret)
{
	sra_db *db = NULL;
	const sra_error *e;

	assert_failed(sra_db_open(&db, url, NULL), SRA_EBACKEND, needle);
	assert_null(db);
	e = sra_error_last();
	if (secret && strstr(e->message, secret))
		fail_msg("message '%s' shows the password", e->message);
}

static void test_backend_open__unreachable_server(void **state)
{
	(void)state;
	/* no such socket directory: fails at once, without a server */
	assert_open_fails("postgresql://alice:s3cr%65t@/x?host=/nonexistent&connect_timeout=2",
			  "cannot connect to postgresql://alice:****@/x?host=/nonexistent", "s3cr");
	assert_open_fails("postgres://alice@/x?host=/nonexistent&password=hunter22", "/nonexistent", "hunter22");
	assert_open_fails("host=/nonexistent dbname=x password='sw0rd fish'", "password=****", "sw0rd");
	/* libpq quotes a malformed token, here the password */
	assert_open_fails("postgresql://alice:se%zzcret@/x?host=/nonexistent", "invalid percent-encoded token", "zzcret");
	assert_open_fails("postgresql://alice:%z@/x?host=/nonexistent", "token: \"****\"", "\"%z\"");
	/* an unescaped '@': a one-letter "password" must not blank every p */
	assert_open_fails("postgresql://alice:p@ssw0rd@/x?host=/nonexistent", "accepting connections", "ssw0rd");
}

static void test_backend_open__sqlite(void **state)
{
	char *dir = sra_test_tmpdir(), path[4096], url[4200];
	sra_db *db = NULL;
	sra_backend *be;

	(void)state;
	assert_open_fails("sqlite:////nonexistent/dir/x.db", "/nonexistent/dir/x.db", NULL);

	snprintf(path, sizeof(path), "%s/garbage.db", dir);
	assert_int_equal(sra_test_write_file(path, "this is not a database, not at all, but long enough\n"), 0);
	snprintf(url, sizeof(url), "sqlite:///%s", path);
	assert_open_fails(url, "file is not a database", NULL);

	/* the file is created when missing, foreign keys are on */
	snprintf(url, sizeof(url), "sqlite:///%s/new.db", dir);
	db = open_url(url, -1, NULL);
	be = sra_db__backend(db);
	assert_string_equal(be->ops->name, "sqlite");
	assert_scalar(be, "PRAGMA foreign_keys", "1");
	sra_db_free(db);

	db = open_url("sqlite://:memory:", -1, NULL);
	be = sra_db__backend(db);
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE m (x integer); INSERT INTO m VALUES (5)"));
	assert_scalar(be, "SELECT x FROM m", "5");
	sra_db_free(db);
	sra_test_rmtree(dir);
	free(dir);
}


/* ---- version 2: query_each, prepare/execute, copy ----------------------- */

typedef struct {
	size_t rows;
	size_t nulls;
	size_t stop_at;		/* return 7 at this row (0: never) */
	size_t ncols;
	char first[64];
	size_t peak;		/* most heap in use above `base`, bytes */
	size_t base;
} each_state;

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static int each_cb(void *payload, size_t ncols, const char *const *cells)
{
	each_state *st = payload;
	size_t i, now;

	st->ncols = ncols;
	if (st->rows == 0 && cells[0])
		snprintf(st->first, sizeof(st->first), "%s", cells[0]);
	for (i = 0; i < ncols; i++)
		if (!cells[i])
			st->nulls++;
	st->rows++;
	if (st->base && (st->rows & 1023) == 0) {
		now = heap_in_use();
		if (now > st->base && now - st->base > st->peak)
			st->peak = now - st->base;
	}
	return st->stop_at && st->rows == st->stop_at ? 7 : 0;
}

static void test_backend_v2__query_each(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const sra_value params[] = { SRA_VAL_TEXT("a\tb"), SRA_VAL_INT(3) };
	each_state st = { 0 };

	assert_int_equal(be->ops->version, SRA_BACKEND_OPS_VERSION);
	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS each_t"));
	sra_assert_ok(be->ops->exec(be, "CREATE TABLE each_t (i integer, s text)"));
	sra_assert_ok(be->ops->exec(be,
		"INSERT INTO each_t VALUES (1, 'one'), (2, NULL), (3, 'three'), (4, 'four')"));

	sra_assert_ok(be->ops->query_each(be,
		"SELECT CAST($1 AS text), s FROM each_t WHERE i <= $2 ORDER BY i", params, 2, each_cb, &st));
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.ncols, 2);
	assert_int_equal(st.nulls, 1);
	assert_string_equal(st.first, "a\tb");

	/* no rows: no calls */
	memset(&st, 0, sizeof(st));
	sra_assert_ok(be->ops->query_each(be, "SELECT i FROM each_t WHERE i > 100", NULL, 0, each_cb, &st));
	assert_int_equal(st.rows, 0);

	/* the callback stops it: its value comes back, the connection stays usable, in a transaction too */
	sra_assert_ok(be->ops->begin(be));
	memset(&st, 0, sizeof(st));
	st.stop_at = 2;
	assert_int_equal(be->ops->query_each(be, "SELECT i FROM each_t ORDER BY i", NULL, 0, each_cb, &st), 7);
	assert_int_equal(st.rows, 2);
	sra_assert_ok(be->ops->exec(be, "INSERT INTO each_t VALUES (5, 'five')"));
	sra_assert_ok(be->ops->commit(be));
	assert_scalar(be, "SELECT count(*) FROM each_t", "5");

	/* a failing statement: an error, no rows */
	memset(&st, 0, sizeof(st));
	assert_failed(be->ops->query_each(be, "SELECT * FROM no_such_each", NULL, 0, each_cb, &st),
		      SRA_EBACKEND, "no_such_each");
	assert_int_equal(st.rows, 0);
	/* an error after some rows (division by zero at the third) */
	memset(&st, 0, sizeof(st));
	assert_int_equal(be->ops->query_each(be,
		"SELECT CAST(10 / (3 - i) AS text) FROM each_t ORDER BY i", NULL, 0, each_cb, &st) < 0,
		is_pg(f));	/* SQLite: x/0 is NULL, no error */
	assert_scalar(be, "SELECT 1", "1");
}

static void test_backend_v2__query_each_bounded_memory(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	each_state st = { 0 };
	const char *sql = (be->ops->caps & SRA_CAP_PG_DIALECT)
		? "SELECT g, repeat('x', 200) || g FROM generate_series(1, 100000) AS g"
		: "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
		  " SELECT n, printf('%.200c', 'x') || n FROM g";

	st.base = heap_in_use();
	sra_assert_ok(be->ops->query_each(be, sql, NULL, 0, each_cb, &st));
	assert_int_equal(st.rows, 100000);
	assert_string_equal(st.first, "1");
	/* all of it held would be over 20 MB */
	if (getenv("SRA_TEST_VERBOSE"))
		print_message("    peak heap growth while streaming: %zu bytes\n", st.peak);
	assert_true(st.peak < 4u * 1024 * 1024);
}

static void test_backend_v2__prepare_execute(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	sra_stmt *stmt = NULL;
	sra_value v[4];
	int64_t i;

	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS prep"));
	sra_assert_ok(be->ops->exec(be,
		"CREATE TABLE prep (i bigint PRIMARY KEY, s text, r double precision, b boolean)"));
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->prepare(&stmt, be, "INSERT INTO prep (i, s, r, b) VALUES ($1, $2, $3, $4)"));
	for (i = 1; i <= 1000; i++) {
		char text[32];

		snprintf(text, sizeof(text), "row %" PRId64, i);
		v[0] = SRA_VAL_INT(i);
		v[1] = i % 10 ? SRA_VAL_TEXT(text) : SRA_VAL_NULL;	/* bindings do not leak into the next row */
		v[2] = SRA_VAL_REAL((double)i / 8);
		v[3] = SRA_VAL_BOOL(i & 1);
		sra_assert_ok(be->ops->execute(stmt, v, 4));
	}
	sra_assert_ok(be->ops->commit(be));
	assert_scalar(be, "SELECT count(*) FROM prep", "1000");
	assert_scalar(be, "SELECT count(*) FROM prep WHERE s IS NULL", "100");
	assert_scalar(be, "SELECT s FROM prep WHERE i = 999", "row 999");
	assert_scalar(be, "SELECT count(*) FROM prep WHERE r * 8 = i", "1000");
	assert_scalar(be, "SELECT count(*) FROM prep WHERE b", "500");

	/* a failed execute (duplicate key) leaves the statement usable */
	v[0] = SRA_VAL_INT(5);
	v[1] = SRA_VAL_TEXT("dup");
	v[2] = SRA_VAL_REAL(0);
	v[3] = SRA_VAL_BOOL(0);
	assert_failed(be->ops->execute(stmt, v, 4), SRA_EBACKEND, NULL);
	v[0] = SRA_VAL_INT(5000);
	sra_assert_ok(be->ops->execute(stmt, v, 4));
	assert_scalar(be, "SELECT s FROM prep WHERE i = 5000", "dup");
	be->ops->finalize(stmt);
	be->ops->finalize(NULL);

	/* a statement that does not compile: SQLite says so at prepare, PostgreSQL at execute */
	stmt = NULL;
	if (be->ops->prepare(&stmt, be, "INSERT INTO no_such_prep VALUES ($1)") == 0) {
		assert_int_equal(be->ops->execute(stmt, v, 1), SRA_EBACKEND);
		be->ops->finalize(stmt);
	}
}

/* cells that need every escape of COPY's text format */
static const char *const copy_cells[][3] = {
	{ "1", "tab\there", "0.5" },
	{ "2", "line\nbreak\r\nand CR\r", "1" },
	{ "3", "back\\slash \\N \\t \\\\", "0" },
	{ "4", NULL, NULL },
	{ "5", "", "0.25" },
	{ "6", "\\N", "0.75" },
	{ "7", "ünïcode, 'quotes' \"and\" ;", "0.125" },
};
#define N_COPY_CELLS (sizeof(copy_cells) / sizeof(copy_cells[0]))
#define N_MANY 1001	/* rows of a long load: not a multiple of any group size */

/* end a bulk load whose rows gave `error` so far: the first error, from the rows or from copy_end */
static int copy_finish(sra_backend *be, int error)
{
	if (error == 0)
		return be->ops->copy_end(be, 1);
	be->ops->copy_end(be, 0);
	return error;
}

static void test_backend_v2__copy(void **state)
{
	fixture *f = *state;
	sra_backend *be = need(f);
	const char *cols[] = { "i", "s", "r" };
	const char *bad[] = { "8", "x", NULL };
	sra_rows *rows = NULL;
	size_t k;
	int error;

	sra_assert_ok(be->ops->exec(be, "DROP TABLE IF EXISTS copy_t"));
	sra_assert_ok(be->ops->exec(be,
		"CREATE TABLE copy_t (i integer PRIMARY KEY, s text, r double precision, keep text DEFAULT 'd')"));
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
	for (k = 0; k < N_COPY_CELLS; k++)
		sra_assert_ok(be->ops->copy_row(be, copy_cells[k], 3));
	/* a row of the wrong width is refused before it is sent */
	assert_failed(be->ops->copy_row(be, copy_cells[0], 2), SRA_EINVALID, NULL);
	sra_assert_ok(be->ops->copy_end(be, 1));
	sra_assert_ok(be->ops->commit(be));

	sra_assert_ok(be->ops->query(&rows, be, "SELECT i, s, r, keep FROM copy_t ORDER BY i", NULL, 0));
	assert_int_equal(rows->nrows, N_COPY_CELLS);
	for (k = 0; k < N_COPY_CELLS; k++) {
		const char *s = sra_rows_get(rows, k, 1), *r = sra_rows_get(rows, k, 2);

		assert_string_equal(sra_rows_get(rows, k, 0), copy_cells[k][0]);
		if (copy_cells[k][1])
			assert_string_equal(s, copy_cells[k][1]);
		else
			assert_null(s);
		if (copy_cells[k][2])
			assert_true(strtod(r, NULL) == strtod(copy_cells[k][2], NULL));
		else
			assert_null(r);
		assert_string_equal(sra_rows_get(rows, k, 3), "d");
	}
	sra_rows_free(rows);

	/* aborted: nothing stays once the transaction rolls back */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
	sra_assert_ok(be->ops->copy_row(be, bad, 3));
	sra_assert_ok(be->ops->copy_end(be, 0));
	sra_assert_ok(be->ops->rollback(be));
	assert_scalar(be, "SELECT count(*) FROM copy_t", "7");

	/* a duplicate key: PostgreSQL reports it at copy_end, SQLite at the row */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
	error = be->ops->copy_row(be, copy_cells[0], 3);
	assert_int_equal(copy_finish(be, error), SRA_EBACKEND);
	sra_assert_ok(be->ops->rollback(be));
	assert_scalar(be, "SELECT count(*) FROM copy_t", "7");

	/* a rollback in the middle of a COPY ends it */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
	sra_assert_ok(be->ops->copy_row(be, bad, 3));
	sra_assert_ok(be->ops->rollback(be));
	assert_scalar(be, "SELECT count(*) FROM copy_t", "7");

	/* many rows: SQLite sends them in groups; every row arrives, in full */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
	for (k = 100; k < 100 + N_MANY; k++) {
		char i[16], text[32];
		const char *row[3];

		snprintf(i, sizeof(i), "%zu", k);
		snprintf(text, sizeof(text), "row %zu", k);
		row[0] = i;
		row[1] = k % 7 ? text : NULL;
		row[2] = "2.5";
		sra_assert_ok(be->ops->copy_row(be, row, 3));
	}
	/* committing with rows still held would lose them: refused */
	assert_failed(be->ops->commit(be), SRA_EINVALID, "copy_end");
	sra_assert_ok(be->ops->copy_end(be, 1));
	sra_assert_ok(be->ops->commit(be));
	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT count(*), count(s), sum(i), min(s), max(s) FROM copy_t WHERE i >= 100", NULL, 0));
	assert_string_equal(sra_rows_get(rows, 0, 0), "1001");
	assert_string_equal(sra_rows_get(rows, 0, 1), "858");		/* 1001 less the 143 multiples of 7 */
	assert_string_equal(sra_rows_get(rows, 0, 2), "600600");	/* 100 + … + 1100 */
	assert_string_equal(sra_rows_get(rows, 0, 3), "row 100");
	assert_string_equal(sra_rows_get(rows, 0, 4), "row 999");
	sra_rows_free(rows);
	rows = NULL;

	/* large rows: SQLite sends a group early once it holds 8 MiB; all arrive */
	{
		size_t big = (size_t)1 << 20;
		char *text = malloc(big + 1);

		assert_non_null(text);
		memset(text, 'x', big);
		text[big] = '\0';
		sra_assert_ok(be->ops->begin(be));
		sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
		for (k = 0; k < 12; k++) {
			char i[16];
			const char *row[3] = { i, text, NULL };

			snprintf(i, sizeof(i), "%zu", 5000 + k);
			text[0] = (char)('a' + k);
			sra_assert_ok(be->ops->copy_row(be, row, 3));
		}
		sra_assert_ok(be->ops->copy_end(be, 1));
		sra_assert_ok(be->ops->commit(be));
		free(text);
	}
	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT count(*), sum(length(s)), min(substr(s, 1, 2)), max(substr(s, 1, 2))"
		" FROM copy_t WHERE i >= 5000", NULL, 0));
	assert_string_equal(sra_rows_get(rows, 0, 0), "12");
	assert_string_equal(sra_rows_get(rows, 0, 1), "12582912");
	assert_string_equal(sra_rows_get(rows, 0, 2), "ax");
	assert_string_equal(sra_rows_get(rows, 0, 3), "lx");
	sra_rows_free(rows);
	rows = NULL;
	sra_assert_ok(be->ops->exec(be, "DELETE FROM copy_t WHERE i >= 5000"));

	/* a duplicate deep in a long load: an error by copy_end, nothing stays */
	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->copy_begin(be, "copy_t", cols, 3));
	error = 0;
	for (k = 2000; k < 2000 + N_MANY && error == 0; k++) {
		char i[16];
		const char *row[3] = { i, "x", "1" };

		snprintf(i, sizeof(i), "%zu", k == 2500 ? (size_t)100 : k);
		error = be->ops->copy_row(be, row, 3);
	}
	assert_int_equal(copy_finish(be, error), SRA_EBACKEND);
	sra_assert_ok(be->ops->rollback(be));
	assert_scalar(be, "SELECT count(*) FROM copy_t", "1008");

	/* an unknown table: an error at copy_begin, nothing in progress after */
	assert_failed(be->ops->copy_begin(be, "no_such_copy", cols, 3), SRA_EBACKEND, "no_such_copy");
	assert_int_equal(be->ops->copy_row(be, bad, 3), SRA_EINVALID);
	assert_scalar(be, "SELECT 1", "1");
}

#define CONTRACT(fx) \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__every_value_type, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__real_text_round_trips, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__parameter_order, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__dollar_inside_literals, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__errors, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__transactions, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__result_shapes, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__exec_runs_every_statement, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_contract__lock, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_v2__query_each, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_v2__query_each_bounded_memory, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_v2__prepare_execute, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_backend_v2__copy, setup, teardown, &fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { CONTRACT(sqlite_fx) };
	const struct CMUnitTest pg_tests[] = {
		CONTRACT(pg_fx),
		cmocka_unit_test_prestate_setup_teardown(test_backend_pg__url_options_win, setup, teardown, &pg_fx),
	};
	const struct CMUnitTest open_tests[] = {
		cmocka_unit_test(test_backend_open__unreachable_server),
		cmocka_unit_test(test_backend_open__sqlite),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("backend_sqlite", sqlite_tests, sqlite_group_setup, sqlite_group_teardown);
	failed += cmocka_run_group_tests_name("backend_postgresql", pg_tests, pg_group_setup, pg_group_teardown);
	failed += cmocka_run_group_tests_name("backend_open", open_tests, NULL, NULL);
	return failed ? 1 : 0;
}
