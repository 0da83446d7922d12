/*
 * The PostgreSQL → SQLite translator (src/lib/sqlite_translate*.c), checked
 * by behaviour: every translation runs on a real SQLite database opened with
 * PRAGMA foreign_keys=ON, and the tests look at what the database then
 * accepts, refuses, keeps and reports, rarely at the text.
 *
 * A migration runs here the way SQLite's ALTER TABLE procedure says a table
 * rebuild must run (lang_altertable.html §7), which is also how the engine
 * must run a SQLite revision: foreign_keys OFF for the transaction, PRAGMA
 * foreign_key_check before COMMIT, foreign_keys ON again afterwards.
 * test_sqlite_translate__rebuild_needs_foreign_keys_off shows why.
 */
#include "testutil.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common.h"
#include "sql_split.h"
#include "sqlite_translate.h"

typedef struct fixture {
	sqlite3 *db;
	sra_xlate *x;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (sqlite3_open(":memory:", &f->db) != SQLITE_OK)
		return -1;
	sqlite3_exec(f->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (sra_xlate_new(&f->x) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	sra_xlate_free(f->x);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

static int exec_rc(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		print_error("%s\n  -> %s\n", sql, err);
		sqlite3_free(err);
		fail();
	}
}

/* first column of the first row as text (NULL for none or NULL); caller frees */
static char *query_str(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *res = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		print_error("%s\n  -> %s\n", sql, sqlite3_errmsg(db));
		fail();
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		res = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return res;
}

static long long query_int(sqlite3 *db, const char *sql)
{
	char *s = query_str(db, sql);
	long long v = s ? atoll(s) : -1;

	free(s);
	return v;
}

static void assert_query(sqlite3 *db, const char *sql, const char *want)
{
	char *got = query_str(db, sql);

	if (!want) {
		if (got)
			print_error("%s: got '%s', want NULL\n", sql, got);
		assert_null(got);
		return;
	}
	if (!got || strcmp(got, want) != 0)
		print_error("%s: got '%s', want '%s'\n", sql, got ? got : "NULL", want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* translate one statement, which must succeed */
static void xlate(sra_xlate *x, sra_strv *out, const char *pg)
{
	sra_assert_ok(sra_xlate_statement(out, x, pg));
}

/*
 * Run SQLite statements as one revision: foreign keys off for the
 * transaction, foreign_key_check before COMMIT.  SQLITE_OK, or the failing
 * statement's result code (rolled back).
 */
static int run_revision(sqlite3 *db, const sra_strv *sqls, bool fk_off)
{
	size_t i;
	int rc = SQLITE_OK;

	if (fk_off)
		exec_ok(db, "PRAGMA foreign_keys=OFF");
	exec_ok(db, "BEGIN IMMEDIATE");
	for (i = 0; i < sqls->n && rc == SQLITE_OK; i++) {
		char *err = NULL;

		rc = sqlite3_exec(db, sqls->v[i], NULL, NULL, &err);
		if (rc != SQLITE_OK)
			print_message("(expected or not) %s\n  -> %s\n", sqls->v[i], err);
		sqlite3_free(err);
	}
	if (rc == SQLITE_OK) {
		char *bad = query_str(db, "SELECT \"table\" || ' row ' || rowid || ' -> ' || parent "
					  "FROM pragma_foreign_key_check");

		if (bad) {
			print_message("foreign_key_check: %s\n", bad);
			free(bad);
			rc = SQLITE_CONSTRAINT;
		}
	}
	if (rc == SQLITE_OK)
		rc = exec_rc(db, "COMMIT");
	if (rc != SQLITE_OK)
		exec_rc(db, "ROLLBACK");
	if (fk_off)
		exec_ok(db, "PRAGMA foreign_keys=ON");
	return rc;
}

/* translate the statements (NULL-terminated) and run them as one revision */
static int migrate_v(fixture *f, const char *const *pg)
{
	sra_strv out = SRA_STRV_INIT;
	int rc;

	for (; *pg; pg++)
		xlate(f->x, &out, *pg);
	rc = run_revision(f->db, &out, true);
	sra_strv_dispose(&out);
	return rc;
}

#define MIGRATE(f, ...) migrate_v((f), (const char *const[]){ __VA_ARGS__, NULL })
#define MIGRATE_OK(f, ...) assert_int_equal(MIGRATE((f), __VA_ARGS__), SQLITE_OK)

static bool has_object(sqlite3 *db, const char *type, const char *name)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM sqlite_master WHERE type = %Q AND name = %Q",
				    type, name);
	long long n = query_int(db, sql);

	sqlite3_free(sql);
	return n == 1;
}

static const char *last_error(void)
{
	const sra_error *e = sra_error_last();

	return e && e->message ? e->message : "";
}

/* ---------------------------------------------------------------------
 * Types
 */

static void test_sqlite_translate__enum_check_rejects_bad_label(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TYPE decision AS ENUM ('include', 'exclude', 'uncertain')",
		   "CREATE TABLE t (id integer PRIMARY KEY, d decision NOT NULL, e decision)");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (1, 'include', NULL)"), SQLITE_OK);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (2, 'maybe', NULL)"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (3, 'exclude', 'Include')"), SQLITE_CONSTRAINT);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 1);
	/* the generated CHECK has a predictable name */
	assert_int_equal(query_int(f->db, "SELECT instr(sql, 'CONSTRAINT ck_t_d_type CHECK (d IN "
				    "(''include'', ''exclude'', ''uncertain''))') > 0 FROM sqlite_master "
				    "WHERE name = 't'"), 1);
}

static void test_sqlite_translate__uuid_check_rejects_bad_text(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TABLE t (id uuid PRIMARY KEY, other uuid NULL)");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES ('0b5b8c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d', NULL)"),
			 SQLITE_OK);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES ('x', NULL)"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES ('0B5B8C3E-1D2F-4A6B-9C8D-7E6F5A4B3C2D', NULL)"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES ('0b5b8c3e1d2f4a6b9c8d7e6f5a4b3c2d', NULL)"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES ('0b5b8c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2dd', NULL)"),
			 SQLITE_CONSTRAINT);
	/* the primary key is NOT NULL, as in PostgreSQL (SQLite alone would take NULL) */
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (NULL, NULL)"), SQLITE_CONSTRAINT);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 1);
}

static void test_sqlite_translate__json_and_array_checks(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TABLE t (a jsonb NOT NULL DEFAULT '{}'::jsonb, b json NULL, "
		      "c text[] NULL, d integer[] NOT NULL DEFAULT '{1,2}')");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t (a) VALUES ('{')"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t (a, b) VALUES ('[1]', '{')"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t (c) VALUES ('{}')"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t (c) VALUES ('oops')"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t (b, c) VALUES (NULL, '[\"x\"]')"), SQLITE_OK);
	assert_query(f->db, "SELECT a || ' ' || d FROM t", "{} [1,2]");
}

static void test_sqlite_translate__defaults(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
		      "n integer DEFAULT -1, z integer DEFAULT 0, ok boolean NOT NULL DEFAULT true, "
		      "off boolean DEFAULT false, "
		      "c timestamptz NOT NULL DEFAULT now(), "
		      "u timestamptz DEFAULT timezone('utc', now()), "
		      "v timestamp DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP), "
		      "w timestamptz DEFAULT CURRENT_TIMESTAMP, "
		      "s varchar(10) DEFAULT 'it''s', "
		      "j jsonb NOT NULL DEFAULT '{}'::jsonb)");
	exec_ok(f->db, "INSERT INTO t DEFAULT VALUES");
	exec_ok(f->db, "INSERT INTO t DEFAULT VALUES");
	assert_query(f->db, "SELECT n || ',' || z || ',' || ok || ',' || off || ',' || s || ',' || j "
		     "FROM t LIMIT 1", "-1,0,1,0,it's,{}");
	/* gen_random_uuid(): version 4, distinct per row, passes the uuid CHECK */
	assert_int_equal(query_int(f->db, "SELECT count(DISTINCT id) FROM t"), 2);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM t WHERE substr(id, 15, 1) = '4' AND "
				    "substr(id, 20, 1) IN ('8', '9', 'a', 'b')"), 2);
	/* now() and friends: ISO-8601 UTC with milliseconds */
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM t WHERE c GLOB "
				    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z' "
				    "AND u GLOB '*T*Z' AND v GLOB '*T*Z' AND w GLOB '*T*Z'"), 2);
	assert_int_equal(exec_rc(f->db, "UPDATE t SET ok = 2"), SQLITE_CONSTRAINT);
}

/* ---------------------------------------------------------------------
 * ALTER TABLE
 */

static void test_sqlite_translate__add_foreign_key_cascades(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TABLE parent (id uuid PRIMARY KEY)",
		   "CREATE TABLE child (id integer PRIMARY KEY, parent_id uuid NOT NULL)");
	exec_ok(f->db, "INSERT INTO parent VALUES ('11111111-1111-4111-8111-111111111111'), "
		       "('22222222-2222-4222-8222-222222222222')");
	exec_ok(f->db, "INSERT INTO child VALUES (1, '11111111-1111-4111-8111-111111111111'), "
		       "(2, '22222222-2222-4222-8222-222222222222')");
	MIGRATE_OK(f, "ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) "
		      "REFERENCES parent (id) ON DELETE CASCADE");
	assert_query(f->db, "SELECT on_delete FROM pragma_foreign_key_list('child')", "CASCADE");
	exec_ok(f->db, "DELETE FROM parent WHERE id = '11111111-1111-4111-8111-111111111111'");
	assert_query(f->db, "SELECT group_concat(id) FROM child", "2");
	assert_int_equal(exec_rc(f->db, "INSERT INTO child VALUES (3, '33333333-3333-4333-8333-333333333333')"),
			 SQLITE_CONSTRAINT);
	/* a new reference that existing rows break makes the revision fail */
	MIGRATE_OK(f, "CREATE TABLE other (id integer PRIMARY KEY, ref integer)");
	exec_ok(f->db, "INSERT INTO other VALUES (1, 42)");
	assert_int_not_equal(MIGRATE(f, "CREATE TABLE target (id integer PRIMARY KEY)",
				     "ALTER TABLE other ADD FOREIGN KEY (ref) REFERENCES target"), SQLITE_OK);
}

static void test_sqlite_translate__set_not_null(void **state)
{
	fixture *f = *state;
	sra_xlate *copy;

	MIGRATE_OK(f, "CREATE TABLE t (id integer PRIMARY KEY, a text NULL, b text NULL)");
	exec_ok(f->db, "INSERT INTO t VALUES (1, NULL, 'x'), (2, 'y', 'z')");
	/* a NULL row makes the copy fail, as PostgreSQL refuses it; nothing changes */
	assert_int_equal(MIGRATE(f, "ALTER TABLE t ALTER COLUMN a SET NOT NULL"), SQLITE_CONSTRAINT);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 2);
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (3, NULL, NULL)"), SQLITE_OK);
	exec_ok(f->db, "DELETE FROM t WHERE id = 3");

	/*
	 * A clean column: rows kept, NOT NULL enforced.  The translator's model
	 * went on with the failed revision (as the engine's would): start again.
	 */
	sra_xlate_free(f->x);
	sra_assert_ok(sra_xlate_new(&copy));
	f->x = copy;
	{
		sra_strv out = SRA_STRV_INIT;

		xlate(f->x, &out, "CREATE TABLE t (id integer PRIMARY KEY, a text NULL, b text NULL)");
		sra_strv_dispose(&out);
	}
	MIGRATE_OK(f, "ALTER TABLE t ALTER COLUMN b SET NOT NULL");
	assert_query(f->db, "SELECT group_concat(id || ':' || coalesce(a, '-') || b) FROM t", "1:-x,2:yz");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (3, 'a', NULL)"), SQLITE_CONSTRAINT);
	MIGRATE_OK(f, "ALTER TABLE t ALTER COLUMN b DROP NOT NULL");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (3, 'a', NULL)"), SQLITE_OK);
}

static void test_sqlite_translate__drop_column_keeps_other_index(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TABLE t (id integer PRIMARY KEY, a text, b text, c text)",
		   "CREATE INDEX ix_t_a ON t (a)",
		   "CREATE UNIQUE INDEX ix_t_b ON t (b) WHERE b IS NOT NULL",
		   "CREATE INDEX ix_t_c ON t (c)",
		   "CREATE INDEX ix_t_ac ON t (a, c)");
	exec_ok(f->db, "INSERT INTO t VALUES (1, 'a1', 'b1', 'c1'), (2, 'a2', NULL, 'c2')");
	MIGRATE_OK(f, "ALTER TABLE t DROP COLUMN c");
	assert_true(has_object(f->db, "index", "ix_t_a"));
	assert_true(has_object(f->db, "index", "ix_t_b"));
	assert_false(has_object(f->db, "index", "ix_t_c"));
	assert_false(has_object(f->db, "index", "ix_t_ac"));
	assert_query(f->db, "SELECT group_concat(id || a || coalesce(b, '-')) FROM t", "1a1b1,2a2-");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (3, 'a3', 'b1')"), SQLITE_CONSTRAINT);
	/* the dropped column's index name is free again */
	MIGRATE_OK(f, "ALTER TABLE t ADD COLUMN c integer", "CREATE INDEX ix_t_c ON t (c)");
}

static void test_sqlite_translate__add_column_native_or_rebuild(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TYPE st AS ENUM ('running', 'completed')",
		   "CREATE TABLE runs (id integer PRIMARY KEY)");
	exec_ok(f->db, "INSERT INTO runs VALUES (1), (2)");

	/* a literal default: SQLite's own ADD COLUMN */
	xlate(f->x, &out, "ALTER TABLE runs ADD COLUMN status st NOT NULL DEFAULT 'completed'");
	assert_int_equal(out.n, 1);
	assert_true(strncmp(out.v[0], "ALTER TABLE runs ADD COLUMN status TEXT NOT NULL", 48) == 0);
	xlate(f->x, &out, "ALTER TABLE runs ADD COLUMN policy text NULL "
		      "CONSTRAINT ck_policy CHECK (policy IN ('include', 'exclude'))");
	assert_int_equal(out.n, 2);
	/* an expression default (now()): a rebuild, which fills existing rows */
	xlate(f->x, &out, "ALTER TABLE runs ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()");
	assert_true(out.n > 3);
	assert_string_equal(out.v[2], "PRAGMA defer_foreign_keys=ON");
	assert_string_equal(out.v[3], "PRAGMA legacy_alter_table=ON");
	assert_string_equal(out.v[4], "ALTER TABLE runs RENAME TO _sra_old_runs");
	assert_string_equal(out.v[5], "PRAGMA legacy_alter_table=OFF");
	assert_true(strncmp(out.v[6], "CREATE TABLE runs (", 19) == 0);
	assert_int_equal(run_revision(f->db, &out, true), SQLITE_OK);
	sra_strv_dispose(&out);

	assert_query(f->db, "SELECT group_concat(status) FROM runs", "completed,completed");
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM runs WHERE created_at GLOB '*T*Z'"), 2);
	assert_int_equal(exec_rc(f->db, "INSERT INTO runs (id, status) VALUES (3, 'done')"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO runs (id, policy) VALUES (3, 'error')"), SQLITE_CONSTRAINT);
	assert_int_equal(exec_rc(f->db, "INSERT INTO runs (id, policy) VALUES (3, 'include')"), SQLITE_OK);
	/* NOT NULL without a default on a table with rows fails, as in PostgreSQL */
	assert_int_not_equal(MIGRATE(f, "ALTER TABLE runs ADD COLUMN n integer NOT NULL"), SQLITE_OK);
}

static void test_sqlite_translate__alter_column_type_and_default(void **state)
{
	fixture *f = *state;

	/* what revision 4 does to search_results.source_db, on rows */
	MIGRATE_OK(f, "CREATE TYPE src AS ENUM ('PUBMED', 'SCOPUS', 'Other')",
		   "CREATE TABLE r (id integer PRIMARY KEY, source_db src NOT NULL, n text DEFAULT 'x')");
	exec_ok(f->db, "INSERT INTO r VALUES (1, 'PUBMED', '5'), (2, 'Other', '6')");
	MIGRATE_OK(f, "CREATE TYPE src_new AS ENUM ('PubMed', 'Scopus', 'Other')",
		   "ALTER TABLE r ALTER COLUMN source_db TYPE src_new USING (CASE source_db::text "
		   "WHEN 'PUBMED' THEN 'PubMed' WHEN 'SCOPUS' THEN 'Scopus' ELSE source_db::text END)::src_new",
		   "DROP TYPE src",
		   "ALTER TYPE src_new RENAME TO src",
		   "ALTER TABLE r ALTER COLUMN n TYPE integer USING n::integer, ALTER COLUMN n SET DEFAULT 7");
	assert_query(f->db, "SELECT group_concat(source_db || n || typeof(n)) FROM r",
		     "PubMed5integer,Other6integer");
	assert_int_equal(exec_rc(f->db, "INSERT INTO r (id, source_db) VALUES (3, 'PUBMED')"), SQLITE_CONSTRAINT);
	exec_ok(f->db, "INSERT INTO r (id, source_db) VALUES (3, 'Scopus')");
	assert_query(f->db, "SELECT n FROM r WHERE id = 3", "7");
	MIGRATE_OK(f, "ALTER TABLE r ALTER COLUMN n DROP DEFAULT");
	exec_ok(f->db, "INSERT INTO r (id, source_db) VALUES (4, 'Other')");
	assert_query(f->db, "SELECT n FROM r WHERE id = 4", NULL);
	/* the old type is gone from the model: using it is an error */
	assert_int_equal(sra_xlate_statement(&(sra_strv)SRA_STRV_INIT, f->x,
					     "CREATE TABLE z (a src_new)"), SRA_EINVALID);
}

static void test_sqlite_translate__constraint_names(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TABLE p (id integer PRIMARY KEY, a integer, b integer, UNIQUE (a, b))",
		   "CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p, "
		   "x integer CHECK (x > 0), y integer, CHECK (x < y))");
	xlate(f->x, &out, "CREATE TABLE dump (z integer)");
	sra_strv_dispose(&out);
	/* PostgreSQL's names: a later DROP CONSTRAINT finds them */
	MIGRATE_OK(f, "ALTER TABLE c DROP CONSTRAINT c_p_id_fkey",
		   "ALTER TABLE c DROP CONSTRAINT c_x_check",
		   "ALTER TABLE c DROP CONSTRAINT c_check",
		   "ALTER TABLE p DROP CONSTRAINT p_a_b_key",
		   "ALTER TABLE c DROP CONSTRAINT c_pkey");
	exec_ok(f->db, "INSERT INTO c VALUES (1, 99, -1, -5)");
	exec_ok(f->db, "INSERT INTO p VALUES (1, 1, 1), (2, 1, 1)");
	/* unknown names are errors, IF EXISTS is not */
	assert_int_equal(sra_xlate_statement(&out, f->x, "ALTER TABLE c DROP CONSTRAINT nope"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "constraint \"nope\" of relation \"c\" does not exist"));
	xlate(f->x, &out, "ALTER TABLE c DROP CONSTRAINT IF EXISTS nope");
	assert_int_equal(out.n, 0);
	/* a referenced key cannot go without CASCADE */
	MIGRATE_OK(f, "CREATE TABLE k (id integer PRIMARY KEY, p_id integer REFERENCES p (id))");
	assert_int_equal(sra_xlate_statement(&out, f->x, "ALTER TABLE p DROP CONSTRAINT p_pkey"), SRA_EINVALID);
	MIGRATE_OK(f, "ALTER TABLE p DROP CONSTRAINT p_pkey CASCADE");
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('k')"), 0);
	sra_strv_dispose(&out);
}

/* ---------------------------------------------------------------------
 * Enum changes
 */

static void test_sqlite_translate__rename_value_rewrites_rows(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f, "CREATE TYPE src AS ENUM ('PUBMED', 'SCOPUS', 'Other')",
		   "CREATE TABLE r (id integer PRIMARY KEY, s src NOT NULL DEFAULT 'PUBMED', "
		   "many src[] NULL)",
		   "CREATE INDEX ix_r_s ON r (s)");
	exec_ok(f->db, "INSERT INTO r VALUES (1, 'PUBMED', '[\"PUBMED\",\"Other\"]'), "
		       "(2, 'Other', NULL), (3, 'SCOPUS', '[]')");
	MIGRATE_OK(f, "ALTER TYPE src RENAME VALUE 'PUBMED' TO 'PubMed'");
	assert_query(f->db, "SELECT group_concat(s || ':' || coalesce(many, '-'), ' ') FROM r",
		     "PubMed:[\"PubMed\",\"Other\"] Other:- SCOPUS:[]");
	assert_int_equal(exec_rc(f->db, "INSERT INTO r (id, s) VALUES (4, 'PUBMED')"), SQLITE_CONSTRAINT);
	exec_ok(f->db, "INSERT INTO r (id) VALUES (4)");
	assert_query(f->db, "SELECT s FROM r WHERE id = 4", "PubMed");
	assert_true(has_object(f->db, "index", "ix_r_s"));
	/* an unknown label is PostgreSQL's error */
	assert_int_equal(sra_xlate_statement(&(sra_strv)SRA_STRV_INIT, f->x,
					     "ALTER TYPE src RENAME VALUE 'PUBMED' TO 'x'"), SRA_EINVALID);
}

static void test_sqlite_translate__add_value(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TYPE lvl AS ENUM ('a', 'c')",
		   "CREATE TABLE t (id integer PRIMARY KEY, l lvl)");
	exec_ok(f->db, "INSERT INTO t VALUES (1, 'a')");
	assert_int_equal(exec_rc(f->db, "INSERT INTO t VALUES (2, 'b')"), SQLITE_CONSTRAINT);
	MIGRATE_OK(f, "ALTER TYPE lvl ADD VALUE 'b' BEFORE 'c'", "ALTER TYPE lvl ADD VALUE IF NOT EXISTS 'a'",
		   "ALTER TYPE lvl ADD VALUE 'z'");
	exec_ok(f->db, "INSERT INTO t VALUES (2, 'b'), (3, 'z')");
	assert_int_equal(query_int(f->db, "SELECT instr(sql, 'l IN (''a'', ''b'', ''c'', ''z'')') > 0 "
				    "FROM sqlite_master WHERE name = 't'"), 1);
	xlate(f->x, &out, "ALTER TYPE lvl ADD VALUE IF NOT EXISTS 'b'");
	assert_int_equal(out.n, 0);
	assert_int_equal(sra_xlate_statement(&out, f->x, "ALTER TYPE lvl ADD VALUE 'b'"), SRA_EINVALID);
	sra_strv_dispose(&out);
}

/* ---------------------------------------------------------------------
 * Indexes, unsupported statements, errors
 */

static void test_sqlite_translate__gin_index_emits_nothing(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TABLE t (id integer PRIMARY KEY, j jsonb, k text[])");
	xlate(f->x, &out, "CREATE INDEX ix_t_on_j_gin ON t USING gin (j)");
	xlate(f->x, &out, "CREATE INDEX ix_t_on_k_gin ON t USING gin (k)");
	assert_int_equal(out.n, 0);
	/* known, so its name is taken and its DROP emits nothing either */
	assert_int_equal(sra_xlate_statement(&out, f->x, "CREATE INDEX ix_t_on_j_gin ON t (j)"), SRA_EINVALID);
	xlate(f->x, &out, "DROP INDEX ix_t_on_j_gin");
	xlate(f->x, &out, "DROP INDEX IF EXISTS ix_t_on_k_gin");
	assert_int_equal(out.n, 0);
	/* a b-tree index is emitted and dropped */
	xlate(f->x, &out, "CREATE INDEX ix_t_on_j_gin ON t (j)");
	assert_int_equal(out.n, 1);
	assert_int_equal(run_revision(f->db, &out, true), SQLITE_OK);
	assert_true(has_object(f->db, "index", "ix_t_on_j_gin"));
	sra_strv_dispose(&out);
	xlate(f->x, &out, "DROP INDEX ix_t_on_j_gin");
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0], "DROP INDEX ix_t_on_j_gin");
	sra_strv_dispose(&out);
}

static void test_sqlite_translate__unsupported_leaves_model_unchanged(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TABLE t (id integer PRIMARY KEY)");
	sra_strv_push(&out, "sentinel");

	assert_int_equal(sra_xlate_statement(&out, f->x,
		"CREATE OR REPLACE FUNCTION sra_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
		"BEGIN NEW.updated_at := now(); RETURN NEW; END; $$"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "CREATE FUNCTION sra_set_updated_at … LANGUAGE plpgsql "
					     "has no SQLite translation"));
	assert_non_null(strstr(last_error(), "'-- +upgrade sqlite'"));
	assert_int_equal(sra_xlate_statement(&out, f->x,
		"CREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at()"),
		SRA_EINVALID);
	assert_non_null(strstr(last_error(), "CREATE TRIGGER trg … EXECUTE FUNCTION"));
	assert_int_equal(sra_xlate_statement(&out, f->x, "GRANT SELECT ON t TO public"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "GrantStmt has no SQLite translation"));
	assert_int_equal(sra_xlate_statement(&out, f->x, "DO $$ BEGIN END $$"), SRA_EINVALID);
	assert_int_equal(sra_xlate_statement(&out, f->x, "UPDATE t SET id = id WHERE now() - interval '1 day' < now()"),
			 SRA_EINVALID);
	/* a failure half-way through an ALTER keeps nothing of its first part */
	assert_int_equal(sra_xlate_statement(&out, f->x,
		"ALTER TABLE t ADD COLUMN a text, ALTER COLUMN nope SET NOT NULL"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "column \"nope\" of relation \"t\" does not exist"));
	assert_int_equal(sra_xlate_statement(&out, f->x,
		"CREATE TABLE u (id integer PRIMARY KEY, r integer REFERENCES missing)"), SRA_EINVALID);
	assert_int_equal(out.n, 1);	/* nothing appended by any failure */
	sra_strv_dispose(&out);

	/* the model still has t without a, and no u */
	MIGRATE_OK(f, "ALTER TABLE t ADD COLUMN a text", "CREATE TABLE u (id integer PRIMARY KEY)");
	exec_ok(f->db, "INSERT INTO t (id, a) VALUES (1, 'x')");
	/* COMMENT ON and CREATE EXTENSION have nothing to do on SQLite */
	xlate(f->x, &out, "COMMENT ON TABLE t IS 'x'");
	xlate(f->x, &out, "CREATE EXTENSION IF NOT EXISTS pgcrypto");
	xlate(f->x, &out, "DROP FUNCTION IF EXISTS sra_set_updated_at()");
	assert_int_equal(out.n, 0);
	xlate(f->x, &out, "   -- only a comment\n");
	assert_int_equal(out.n, 0);
}

static void test_sqlite_translate__parse_error_has_position(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	assert_int_equal(sra_xlate_statement(&out, f->x, "SELEC 1"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "syntax error at or near \"SELEC\""));
	assert_non_null(strstr(last_error(), "position 1 (line 1, column 1"));
	assert_int_equal(sra_xlate_statement(&out, f->x,
		"CREATE TABLE t (\n    id integer,\n    name text text\n)"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "line 3, column 15"));
	assert_int_equal(sra_xlate_statement(&out, f->x, "SELECT 1; SELECT 2"), SRA_EINVALID);
	assert_int_equal(out.n, 0);
	/* the model did not move: t is still free */
	MIGRATE_OK(f, "CREATE TABLE t (id integer)");
}

/* ---------------------------------------------------------------------
 * DML
 */

static void test_sqlite_translate__dml(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TYPE d AS ENUM ('include', 'exclude')",
		   "CREATE TABLE t (id uuid PRIMARY KEY, title text, flag boolean NOT NULL DEFAULT false, "
		   "at timestamptz, meta jsonb NOT NULL DEFAULT '{}', tags text[], dec d, n integer, "
		   "CONSTRAINT t_title_key UNIQUE (title))");
	MIGRATE_OK(f,
		"INSERT INTO t (id, title, flag, at, meta, tags, dec) VALUES "
		"('0b5b8c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d'::uuid, 'A_b', true, '2025-05-20 13:20:38.5+02', "
		"'{\"k\": 1}'::jsonb, '{x,\"y z\"}', 'include'::d), "
		"(gen_random_uuid(), 'a%b', DEFAULT, now(), DEFAULT, ARRAY['p', 'q'], NULL)",
		"INSERT INTO t (id, title) VALUES ('1b5b8c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d', 'A_b') "
		"ON CONFLICT ON CONSTRAINT t_title_key DO UPDATE SET n = 5",
		"INSERT INTO t (id, title) SELECT '2b5b8c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d', 'A_b' "
		"ON CONFLICT (title) DO NOTHING",
		"UPDATE t SET at = now(), flag = 'yes' WHERE title LIKE 'A\\_%' AND meta ->> 'k' = '1'",
		"UPDATE t SET n = 1 WHERE title ILIKE 'a!%%' ESCAPE '!'",
		"UPDATE t SET n = coalesce(n, 0) + 10 WHERE 'p' = ANY(tags) AND at > '2000-01-01'",
		"DELETE FROM t WHERE dec IS DISTINCT FROM 'include'::d AND n IS NULL");
	assert_query(f->db, "SELECT title || flag || n || dec || meta || tags FROM t ORDER BY title",
		     "A_b15include{\"k\": 1}[\"x\",\"y z\"]");
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM t WHERE at GLOB '*T*Z' AND at > "
				    "'2025-05-20T11:20:38.500Z'"), 1);
	/* a timestamp literal takes the stored form, in UTC */
	MIGRATE_OK(f, "UPDATE t SET at = '2025-05-20 13:20:38.5+02'");
	assert_query(f->db, "SELECT at FROM t", "2025-05-20T11:20:38.500Z");
	xlate(f->x, &out, "SELECT count(*) FROM t WHERE at <= '2025-05-20T11:20:38.5Z' GROUP BY flag "
		      "HAVING count(*) > 0 ORDER BY 1 DESC LIMIT 1");
	assert_int_equal(out.n, 1);
	assert_query(f->db, out.v[0], "1");
	sra_strv_dispose(&out);
	/* what has no SQLite meaning is refused, naming it */
	assert_int_equal(sra_xlate_statement(&out, f->x, "UPDATE t SET meta = meta || '{\"a\": 2}'::jsonb"),
			 SRA_EINVALID);
	assert_non_null(strstr(last_error(), "operator || on jsonb"));
	assert_int_equal(sra_xlate_statement(&out, f->x, "DELETE FROM t WHERE title ~ '^a'"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "the operator ~ has no SQLite translation"));
	assert_int_equal(sra_xlate_statement(&out, f->x, "SELECT md5(title) FROM t"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "the function md5()"));
	assert_int_equal(out.n, 0);
}

/* ---------------------------------------------------------------------
 * Rebuilds, triggers, renames
 */

static void setup_parent_and_children(fixture *f)
{
	MIGRATE_OK(f, "CREATE TABLE parent (id integer PRIMARY KEY, name text)",
		   "CREATE TABLE kid_cascade (id integer PRIMARY KEY, "
		   "parent_id integer REFERENCES parent ON DELETE CASCADE)",
		   "CREATE TABLE kid_setnull (id integer PRIMARY KEY, "
		   "parent_id integer REFERENCES parent ON DELETE SET NULL)",
		   "CREATE TABLE kid_plain (id integer PRIMARY KEY, parent_id integer REFERENCES parent)",
		   "CREATE INDEX ix_parent_name ON parent (name)");
	exec_ok(f->db, "INSERT INTO parent VALUES (1, 'a'), (2, 'b');"
		       "INSERT INTO kid_cascade VALUES (10, 1), (11, 2);"
		       "INSERT INTO kid_setnull VALUES (20, 1);"
		       "INSERT INTO kid_plain VALUES (30, 2);");
}

static void test_sqlite_translate__parent_rebuild_keeps_children(void **state)
{
	fixture *f = *state;

	setup_parent_and_children(f);
	/* a sqlite block's trigger on another table and a view, both naming parent */
	exec_ok(f->db, "CREATE VIEW v_parent AS SELECT name FROM parent");
	exec_ok(f->db, "CREATE TRIGGER trg_kid AFTER INSERT ON kid_plain BEGIN "
		       "UPDATE parent SET name = name || '+' WHERE id = NEW.parent_id; END");
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, "CREATE TRIGGER trg_kid AFTER INSERT ON kid_plain BEGIN "
						     "UPDATE parent SET name = name || '+' WHERE id = NEW.parent_id; END"));
	MIGRATE_OK(f, "ALTER TABLE parent ALTER COLUMN name SET NOT NULL, "
		      "ADD COLUMN code text UNIQUE");
	exec_ok(f->db, "INSERT INTO kid_plain VALUES (31, 2)");
	assert_query(f->db, "SELECT group_concat(name) FROM v_parent", "a,b+");
	exec_ok(f->db, "DELETE FROM kid_plain WHERE id = 31");
	assert_query(f->db, "SELECT (SELECT group_concat(id || ':' || parent_id) FROM kid_cascade) || ' ' || "
		     "(SELECT group_concat(id || ':' || parent_id) FROM kid_setnull) || ' ' || "
		     "(SELECT group_concat(id || ':' || parent_id) FROM kid_plain)", "10:1,11:2 20:1 30:2");
	assert_query(f->db, "SELECT count(*) FROM pragma_foreign_key_check", "0");
	assert_true(has_object(f->db, "index", "ix_parent_name"));
	assert_false(has_object(f->db, "table", "_sra_old_parent"));
	/* and the references still work against the new table */
	exec_ok(f->db, "DELETE FROM parent WHERE id = 1");
	assert_query(f->db, "SELECT group_concat(id) FROM kid_cascade", "11");
	assert_query(f->db, "SELECT parent_id FROM kid_setnull", NULL);
	assert_int_equal(exec_rc(f->db, "DELETE FROM parent WHERE id = 2"), SQLITE_CONSTRAINT);
}

/*
 * Why a revision must run with foreign_keys OFF: inside a transaction with
 * foreign_keys ON (where it cannot be switched off), DROP TABLE of the old
 * parent runs an implicit DELETE that fires ON DELETE CASCADE and SET NULL in
 * the children, even with defer_foreign_keys, and a NO ACTION child leaves a
 * violation that makes COMMIT fail although foreign_key_check is clean.
 */
static void test_sqlite_translate__rebuild_needs_foreign_keys_off(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	setup_parent_and_children(f);
	xlate(f->x, &out, "ALTER TABLE parent ALTER COLUMN name SET DEFAULT 'n'");
	assert_string_equal(out.v[0], "PRAGMA defer_foreign_keys=ON");
	assert_int_equal(run_revision(f->db, &out, false), SQLITE_CONSTRAINT);	/* COMMIT fails */
	exec_ok(f->db, "DELETE FROM kid_plain");
	assert_int_equal(run_revision(f->db, &out, false), SQLITE_OK);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM kid_cascade"), 0);	/* rows lost */
	assert_query(f->db, "SELECT parent_id FROM kid_setnull", NULL);
	sra_strv_dispose(&out);
}

static void test_sqlite_translate__observed_trigger_survives_rebuild(void **state)
{
	fixture *f = *state;
	static const char trigger[] =
		"CREATE TRIGGER trg_t_updated_at AFTER UPDATE ON t\n"
		"FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at\n"
		"BEGIN\n"
		"    UPDATE t SET updated_at = 'touched' WHERE id = NEW.id;\n"
		"END;";

	MIGRATE_OK(f, "CREATE TABLE t (id integer PRIMARY KEY, v text, updated_at text)");
	exec_ok(f->db, trigger);
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, trigger));
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, "CREATE TEMP TRIGGER tmp AFTER INSERT ON t BEGIN SELECT 1; END"));
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, "PRAGMA user_version = 3"));
	exec_ok(f->db, "INSERT INTO t VALUES (1, 'a', 'then')");
	MIGRATE_OK(f, "ALTER TABLE t ALTER COLUMN v SET DEFAULT 'd'");
	assert_true(has_object(f->db, "trigger", "trg_t_updated_at"));
	exec_ok(f->db, "UPDATE t SET v = 'b'");
	assert_query(f->db, "SELECT updated_at FROM t", "touched");

	/* renames carry the trigger along, here and in SQLite */
	MIGRATE_OK(f, "ALTER TABLE t RENAME TO t2", "ALTER TABLE t2 RENAME COLUMN v TO w");
	MIGRATE_OK(f, "ALTER TABLE t2 ADD COLUMN z integer UNIQUE");
	assert_true(has_object(f->db, "trigger", "trg_t_updated_at"));
	exec_ok(f->db, "UPDATE t2 SET updated_at = 'x'; UPDATE t2 SET w = 'c'");
	assert_query(f->db, "SELECT updated_at FROM t2", "touched");

	/* dropped in a sqlite block: not re-created by the next rebuild */
	exec_ok(f->db, "DROP TRIGGER trg_t_updated_at");
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, "DROP TRIGGER IF EXISTS trg_t_updated_at;"));
	MIGRATE_OK(f, "ALTER TABLE t2 DROP COLUMN z");
	assert_false(has_object(f->db, "trigger", "trg_t_updated_at"));
	/* PostgreSQL's DROP TRIGGER … ON: only for a trigger the model knows */
	assert_int_equal(sra_xlate_statement(&(sra_strv)SRA_STRV_INIT, f->x,
					     "DROP TRIGGER trg_t_updated_at ON t2"), SRA_EINVALID);
	/* a table from a sqlite block joins the model */
	exec_ok(f->db, "CREATE TABLE side (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, "CREATE TABLE side (id INTEGER PRIMARY KEY, note TEXT NOT NULL)"));
	exec_ok(f->db, "INSERT INTO side VALUES (1, 'n')");
	/* as is an index of a sqlite block, in SQLite's words (unicode() is not PostgreSQL's) */
	exec_ok(f->db, "CREATE INDEX ix_side_note ON side (unicode(note))");
	sra_assert_ok(sra_xlate_observe_sqlite(f->x, "CREATE INDEX ix_side_note ON side (unicode(note));"));
	MIGRATE_OK(f, "ALTER TABLE side ADD COLUMN extra text UNIQUE");
	assert_query(f->db, "SELECT note FROM side", "n");
	assert_true(has_object(f->db, "index", "ix_side_note"));
	MIGRATE_OK(f, "ALTER TABLE side RENAME COLUMN note TO body", "ALTER TABLE side DROP COLUMN extra");
	assert_true(has_object(f->db, "index", "ix_side_note"));
	MIGRATE_OK(f, "DROP INDEX ix_side_note");
	assert_false(has_object(f->db, "index", "ix_side_note"));
}

static void test_sqlite_translate__drop_table(void **state)
{
	fixture *f = *state;
	sra_strv out = SRA_STRV_INIT;

	MIGRATE_OK(f, "CREATE TABLE a (id integer PRIMARY KEY)",
		   "CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a)",
		   "CREATE INDEX ix_b_a ON b (a_id)");
	exec_ok(f->db, "INSERT INTO a VALUES (1); INSERT INTO b VALUES (1, 1)");
	assert_int_equal(sra_xlate_statement(&out, f->x, "DROP TABLE a"), SRA_EINVALID);
	assert_non_null(strstr(last_error(), "cannot drop table a because constraint b_a_id_fkey on table b"));
	assert_int_equal(sra_xlate_statement(&out, f->x, "DROP TABLE nope"), SRA_EINVALID);
	MIGRATE_OK(f, "DROP TABLE a CASCADE");
	assert_false(has_object(f->db, "table", "a"));
	assert_query(f->db, "SELECT count(*) FROM pragma_foreign_key_list('b')", "0");
	assert_query(f->db, "SELECT a_id FROM b", "1");
	assert_true(has_object(f->db, "index", "ix_b_a"));
	MIGRATE_OK(f, "DROP TABLE IF EXISTS b, nope");
	assert_false(has_object(f->db, "table", "b"));
	/* the index went with the table: its name is free */
	MIGRATE_OK(f, "CREATE TABLE b (id integer PRIMARY KEY, a_id integer)", "CREATE INDEX ix_b_a ON b (a_id)");
	sra_strv_dispose(&out);
}

/* ---------------------------------------------------------------------
 * End to end
 */

static void test_sqlite_translate__foreign_key_cycle(void **state)
{
	fixture *f = *state;

	MIGRATE_OK(f,
		"CREATE TYPE decision AS ENUM ('include', 'exclude', 'uncertain')",
		"CREATE TABLE reviews (id uuid PRIMARY KEY, question text NOT NULL, "
		"meta jsonb NOT NULL DEFAULT '{}'::jsonb, created_at timestamptz NOT NULL DEFAULT now())",
		"CREATE TABLE records (id uuid PRIMARY KEY, review_id uuid NOT NULL REFERENCES reviews (id) "
		"ON DELETE CASCADE, title varchar NOT NULL, keywords text[], resolution_id uuid, "
		"CONSTRAINT uq_records_title UNIQUE (review_id, title))",
		"CREATE INDEX ix_records_review_id ON records (review_id)",
		"CREATE INDEX ix_records_on_keywords_gin ON records USING gin (keywords)",
		"CREATE TABLE resolutions (id uuid PRIMARY KEY, "
		"record_id uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE, "
		"decision decision NOT NULL, confidence float8 NOT NULL CHECK (confidence BETWEEN 0 AND 1))",
		"ALTER TABLE records ADD CONSTRAINT records_resolution_id_fkey FOREIGN KEY (resolution_id) "
		"REFERENCES resolutions (id) ON DELETE SET NULL");
	assert_query(f->db, "SELECT \"table\" || '.' || \"to\" || ' ' || on_delete FROM "
		     "pragma_foreign_key_list('records') ORDER BY \"from\" LIMIT 1",
		     "resolutions.id SET NULL");
	assert_query(f->db, "SELECT group_concat(\"from\" || '>' || \"table\" || ':' || on_delete) FROM "
		     "(SELECT * FROM pragma_foreign_key_list('records') ORDER BY \"from\")",
		     "resolution_id>resolutions:SET NULL,review_id>reviews:CASCADE");
	assert_query(f->db, "SELECT \"table\" || ':' || on_delete FROM pragma_foreign_key_list('resolutions')",
		     "records:CASCADE");
	assert_true(has_object(f->db, "index", "ix_records_review_id"));
	assert_false(has_object(f->db, "index", "ix_records_on_keywords_gin"));
	/* rows through the cycle, and the cascades */
	exec_ok(f->db, "INSERT INTO reviews (id, question) VALUES ('00000000-1111-2222-3333-444444444444', 'q')");
	exec_ok(f->db, "INSERT INTO records (id, review_id, title) VALUES "
		       "('10000000-0000-4000-8000-000000000001', '00000000-1111-2222-3333-444444444444', 't')");
	exec_ok(f->db, "INSERT INTO resolutions VALUES ('20000000-0000-4000-8000-000000000001', "
		       "'10000000-0000-4000-8000-000000000001', 'include', 0.9)");
	exec_ok(f->db, "UPDATE records SET resolution_id = '20000000-0000-4000-8000-000000000001'");
	assert_int_equal(exec_rc(f->db, "INSERT INTO resolutions VALUES ('20000000-0000-4000-8000-000000000002', "
					"'10000000-0000-4000-8000-000000000001', 'include', 1.5)"),
			 SQLITE_CONSTRAINT);
	exec_ok(f->db, "DELETE FROM resolutions");
	assert_query(f->db, "SELECT resolution_id FROM records", NULL);
	exec_ok(f->db, "DELETE FROM reviews");
	assert_query(f->db, "SELECT count(*) FROM records", "0");
	/* and the cycle comes apart again in the downgrade's order */
	MIGRATE_OK(f, "ALTER TABLE records DROP CONSTRAINT records_resolution_id_fkey",
		   "DROP TABLE resolutions", "DROP TABLE records", "DROP TABLE reviews", "DROP TYPE decision");
	assert_query(f->db, "SELECT count(*) FROM sqlite_master", "0");
}

/* one section of a migration file */
typedef struct section {
	char kind[32];		/* "upgrade", "upgrade sqlite", "downgrade postgresql" … */
	sra_stmtv stmts;
} section;

typedef struct revision {
	section sec[8];
	size_t nsec;
} revision;

static void read_revision(revision *rev, const char *path)
{
	char *text = sra_test_read_file(path);
	const char *p = text;
	sra_buf body = SRA_BUF_INIT;
	int line = 0, body_line = 0;
	section *cur = NULL;

	assert_non_null(text);
	memset(rev, 0, sizeof(*rev));
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		bool marker = len > 4 && strncmp(p, "-- +", 4) == 0;

		line++;
		if (marker || !*p) {
			if (cur) {
				if (strstr(cur->kind, "sqlite"))
					sra_assert_ok(sra_sql__split_sqlite(&cur->stmts, sra_buf_cstr(&body), path, body_line));
				else
					sra_assert_ok(sra_sql__split_pg(&cur->stmts, sra_buf_cstr(&body), path, body_line));
			}
			sra_buf_clear(&body);
			if (!*p)
				break;
			assert_true(rev->nsec < 8);
			cur = &rev->sec[rev->nsec++];
			snprintf(cur->kind, sizeof(cur->kind), "%.*s", (int)len - 4, p + 4);
			body_line = line + 1;
		} else if (cur) {
			sra_buf_put(&body, p, len);
			sra_buf_putc(&body, '\n');
		}
		p += len + (nl ? 1 : 0);
		if (!nl && !*p) {
			if (cur) {
				if (strstr(cur->kind, "sqlite"))
					sra_assert_ok(sra_sql__split_sqlite(&cur->stmts, sra_buf_cstr(&body), path, body_line));
				else
					sra_assert_ok(sra_sql__split_pg(&cur->stmts, sra_buf_cstr(&body), path, body_line));
			}
			break;
		}
	}
	sra_buf_dispose(&body);
	free(text);
}

static void revision_dispose(revision *rev)
{
	size_t i;

	for (i = 0; i < rev->nsec; i++)
		sra_stmtv_dispose(&rev->sec[i].stmts);
}

/* the SQLite statements of one direction: portable sections translated, sqlite blocks as written */
static int run_direction(fixture *f, const revision *rev, const char *dir, const char *path)
{
	sra_strv out = SRA_STRV_INIT;
	size_t i, j;
	size_t dlen = strlen(dir);
	int rc;

	for (i = 0; i < rev->nsec; i++) {
		const section *s = &rev->sec[i];

		if (strncmp(s->kind, dir, dlen) != 0 || strstr(s->kind, "postgresql"))
			continue;
		for (j = 0; j < s->stmts.n; j++) {
			if (strstr(s->kind, "sqlite")) {
				sra_assert_ok(sra_xlate_observe_sqlite(f->x, s->stmts.v[j].sql));
				sra_strv_push(&out, s->stmts.v[j].sql);
			} else if (sra_xlate_statement(&out, f->x, s->stmts.v[j].sql) < 0) {
				print_error("%s:%d: %s\n", path, s->stmts.v[j].line, last_error());
				fail();
			}
		}
	}
	rc = run_revision(f->db, &out, true);
	sra_strv_dispose(&out);
	return rc;
}

static void test_sqlite_translate__shipped_migrations(void **state)
{
	fixture *f = *state;
	char pattern[4096];
	glob_t g;
	revision revs[16];
	size_t i, n;

	snprintf(pattern, sizeof(pattern), "%s/migrations/*.sql", sra_test_source_dir());
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	n = g.gl_pathc < 16 ? g.gl_pathc : 16;
	for (i = 0; i < n; i++)
		read_revision(&revs[i], g.gl_pathv[i]);

	for (i = 0; i < n; i++) {
		assert_int_equal(run_direction(f, &revs[i], "upgrade", g.gl_pathv[i]), SQLITE_OK);
		if (i == 2) {
			/* rows before the integrity revision: they must survive it */
			exec_ok(f->db,
				"INSERT INTO systematic_reviews (id, research_question, exclusion_criteria, "
				"criteria_framework_answers, review_metadata, created_at, updated_at) VALUES "
				"('00000000-1111-2222-3333-444444444444', 'q', 'x', '{}', '{}', NULL, NULL);"
				"INSERT INTO search_results (id, review_id, source_db, source_id, title, raw_data, "
				"source_metadata, keywords) VALUES ('10000000-0000-4000-8000-000000000001', "
				"'00000000-1111-2222-3333-444444444444', 'PUBMED', '1', 't', '{}', '{}', '[\"k\"]');"
				"INSERT INTO benchmark_runs (id, review_id, tp) VALUES "
				"('30000000-0000-4000-8000-000000000001', '00000000-1111-2222-3333-444444444444', 3);"
				"INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id, "
				"final_decision, classification) VALUES ('40000000-0000-4000-8000-000000000001', "
				"'30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', "
				"'include', 'TP')");
		}
	}
	if (n >= 5) {
		/* head: the rows, the new labels, the cascades, the triggers */
		assert_query(f->db, "SELECT source_db FROM search_results", "PubMed");
		assert_query(f->db, "SELECT status FROM benchmark_runs", "completed");
		assert_int_equal(query_int(f->db, "SELECT count(*) FROM benchmark_result_items"), 1);
		assert_int_equal(query_int(f->db, "SELECT count(*) FROM systematic_reviews WHERE "
					    "created_at GLOB '*T*Z' AND updated_at = created_at"), 1);
		assert_query(f->db, "SELECT on_delete FROM pragma_foreign_key_list('search_results') "
			     "WHERE \"from\" = 'review_id'", "CASCADE");
		assert_int_equal(exec_rc(f->db, "UPDATE search_results SET source_db = 'PUBMED'"), SQLITE_CONSTRAINT);
		exec_ok(f->db, "UPDATE systematic_reviews SET updated_at = '2000-01-01T00:00:00.000Z'");
		exec_ok(f->db, "UPDATE systematic_reviews SET background = 'b'");
		assert_int_equal(query_int(f->db, "SELECT updated_at > '2001' FROM systematic_reviews"), 1);
		assert_int_equal(exec_rc(f->db, "INSERT INTO benchmark_result_items (id, benchmark_run_id, "
						"search_result_id, final_decision, classification) VALUES "
						"('40000000-0000-4000-8000-000000000002', "
						"'30000000-0000-4000-8000-000000000001', "
						"'10000000-0000-4000-8000-000000000001', 'include', 'TP')"),
				 SQLITE_CONSTRAINT);
		exec_ok(f->db, "DELETE FROM systematic_reviews");
		assert_int_equal(query_int(f->db, "SELECT count(*) FROM benchmark_result_items"), 0);
	}
	/* and all the way down */
	for (i = n; i-- > 0;)
		assert_int_equal(run_direction(f, &revs[i], "downgrade", g.gl_pathv[i]), SQLITE_OK);
	assert_query(f->db, "SELECT group_concat(name) FROM sqlite_master", NULL);

	for (i = 0; i < n; i++)
		revision_dispose(&revs[i]);
	globfree(&g);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(test_sqlite_translate__##name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(enum_check_rejects_bad_label),
		T(uuid_check_rejects_bad_text),
		T(json_and_array_checks),
		T(defaults),
		T(add_foreign_key_cascades),
		T(set_not_null),
		T(drop_column_keeps_other_index),
		T(add_column_native_or_rebuild),
		T(alter_column_type_and_default),
		T(constraint_names),
		T(rename_value_rewrites_rows),
		T(add_value),
		T(gin_index_emits_nothing),
		T(unsupported_leaves_model_unchanged),
		T(parse_error_has_position),
		T(dml),
		T(parent_rebuild_keeps_children),
		T(rebuild_needs_foreign_keys_off),
		T(observed_trigger_survives_rebuild),
		T(drop_table),
		T(foreign_key_cycle),
		T(shipped_migrations),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
