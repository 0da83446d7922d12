/*
 * The db layer owns the backend: a backend's ops table is checked once
 * where it is registered (sra_db_open_backend) and its optional ops get the
 * library's defaults.  A version 1 backend (the SQLite backend's functions
 * behind a version 1 table) must still stream, prepare and bulk-load.
 */
#include "testutil.h"
#include "common.h"
#include "db_int.h"

#include <stdio.h>

static sra_backend_ops v1_ops;

/* SQLite's backend in memory, its table swapped for `ops` */
static sra_backend *open_as(const sra_backend_ops *ops)
{
	sra_backend *be = NULL;

	sra_assert_ok(sra_backend_open_url(&be, "sqlite://:memory:", NULL));
	be->ops = ops;
	return be;
}

static int sum_cb(void *payload, size_t ncols, const char *const *cells)
{
	long *sum = payload;

	assert_int_equal(ncols, 2);
	*sum += strtol(cells[0], NULL, 10);
	if (cells[1])
		*sum += 1000;
	return *sum > 100000 ? 7 : 0;	/* a callback's stop comes back */
}

static void test_version1_gets_defaults(void **state)
{
	const char *cols[2] = { "i", "s" };
	const char *row1[2] = { "1", "one" }, *row2[2] = { "2", NULL };
	sra_value v[2];
	sra_stmt *stmt = NULL;
	sra_rows *rows = NULL;
	sra_db *db = NULL;
	long sum = 0;

	(void)state;
	v1_ops = sra_backend_sqlite;
	v1_ops.version = 1;
	/* a version 1 table ends before these: whatever is there is not read */
	v1_ops.query_each = NULL;
	v1_ops.prepare = (void *)1;
	v1_ops.copy_begin = (void *)1;
	v1_ops.bulk_hint = (void *)1;
	v1_ops.uuid_sql = "not read";
	sra_assert_ok(sra_db_open_backend(&db, open_as(&v1_ops), "sqlite://:memory:"));
	assert_string_equal(sra_db_dialect(db), "sqlite");

	sra_assert_ok(sra_db__exec(db, "CREATE TABLE t (i integer, s text)"));
	sra_assert_ok(sra_db__begin(db));
	sra_assert_ok(sra_db__copy_begin(db, "t", cols, 2));
	sra_assert_ok(sra_db__copy_row(db, row1, 2));
	sra_assert_ok(sra_db__copy_row(db, row2, 2));
	assert_int_equal(sra_db__copy_row(db, row2, 1), SRA_EINVALID);
	sra_assert_ok(sra_db__copy_end(db, 1));
	sra_assert_ok(sra_db__prepare(&stmt, db, "INSERT INTO t VALUES ($1, $2)"));
	v[0] = SRA_VAL_INT(40);
	v[1] = SRA_VAL_TEXT(NULL);
	sra_assert_ok(sra_db__execute(db, stmt, v, 2));
	sra_db__finalize(db, stmt);
	sra_assert_ok(sra_db__commit(db));
	sra_assert_ok(sra_db__xact_lock(db, 1, 0));		/* default: nothing to do */
	sra_assert_ok(sra_db__set_ddl_lock_timeout(db, 10));
	sra_assert_ok(sra_db__bulk_hint(db, 1));

	/* 1 + 2 + 40, and one non-NULL s */
	sra_assert_ok(sra_db__query_each(db, "SELECT i, s FROM t ORDER BY i", NULL, 0, sum_cb, &sum));
	assert_int_equal(sum, 1043);
	sum = 200000;
	assert_int_equal(sra_db__query_each(db, "SELECT i, s FROM t", NULL, 0, sum_cb, &sum), 7);

	/* the SQLite uuid expression, as the built-in backend gives it */
	{
		char *sql = sra__sprintf("SELECT %s", sra_db__uuid_sql(db));
		sra_assert_ok(sra_db__query(&rows, db, sql, NULL, 0));
		free(sql);
		assert_int_equal(strlen(sra_rows_get(rows, 0, 0)), 36);
		assert_int_equal(sra_rows_get(rows, 0, 0)[14], '4');
		sra_rows_free(rows);
	}
	sra_db_free(db);
}

static void assert_refused(const sra_backend_ops *ops, const char *needle)
{
	sra_db *db = NULL;
	const sra_error *e;

	/* the backend is closed by the refusal (ASan sees any leak) */
	assert_int_equal(sra_db_open_backend(&db, open_as(ops), "sqlite://:memory:"), SRA_EINVALID);
	assert_null(db);
	e = sra_error_last();
	assert_non_null(e);
	if (!strstr(e->message, needle))
		fail_msg("'%s' lacks '%s'", e->message, needle);
}

static void test_bad_tables_refused(void **state)
{
	static sra_backend_ops bad;

	(void)state;
	bad = sra_backend_sqlite;
	bad.version = 0;
	assert_refused(&bad, "version 0");
	bad.version = SRA_BACKEND_OPS_VERSION + 1;
	assert_refused(&bad, "is not one this libsra knows");
	bad = sra_backend_sqlite;
	bad.copy_row = NULL;
	assert_refused(&bad, "copy_begin/copy_row/copy_end");
	bad = sra_backend_sqlite;
	bad.finalize = NULL;
	assert_refused(&bad, "prepare/execute/finalize");
	bad = sra_backend_sqlite;
	bad.commit = NULL;
	assert_refused(&bad, "lacks a required op");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version1_gets_defaults),
		cmocka_unit_test(test_bad_tables_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
