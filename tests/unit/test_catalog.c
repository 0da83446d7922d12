/*
 * The catalog (sra_catalog_read, _diff, _format, _to_json) and the drift
 * check (sra_migrate_check), on SQLite and PostgreSQL.
 *
 * The expected values below are written from ../shared/spec/schema.md, not
 * from the catalog's own output: tables, columns, foreign keys with their
 * ON DELETE, unique constraints, indexes, enum labels, triggers.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sra/sra.h>
#include <sra/catalog.h>
#include <sra/sys/backend.h>

/* ---- helpers -------------------------------------------------------------- */

typedef struct fixture {
	char *dir;	/* SQLite: the temporary directory */
	char *url;
	int pg;
	sra_db *db;
	sra_chain *chain;
} fixture;

/* a fresh database of a kind; false when PostgreSQL is not configured */
static int fixture_open(fixture *f, int pg)
{
	memset(f, 0, sizeof(*f));
	f->pg = pg;
	if (pg) {
		if (!(f->url = sra_test_pg_url()))
			return 0;
	} else {
		f->dir = sra_test_tmpdir();
		f->url = sra_test_sqlite_url(f->dir, "t.db");
	}
	sra_assert_ok(sra_db_open(&f->db, f->url, NULL));
	sra_assert_ok(sra_chain_load(&f->chain, NULL));
	return 1;
}

static void fixture_close(fixture *f)
{
	sra_db_free(f->db);
	sra_chain_free(f->chain);
	if (f->pg)
		sra_test_pg_drop(f->url);
	if (f->dir) {
		sra_test_rmtree(f->dir);
		free(f->dir);
	}
	free(f->url);
}

static void upgrade(fixture *f, const char *target)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;

	mo.applied_by = "tester";
	sra_assert_ok(sra_migrate_upgrade(f->db, f->chain, target, &mo));
}

static void exec_sql(fixture *f, const char *sql)
{
	sra_backend *be = sra_db__backend(f->db);
	sra_assert_ok(be->ops->exec(be, sql));
}

static json_t *catalog_json(fixture *f)
{
	sra_catalog *cat = NULL;
	json_error_t jerr;
	char *text = NULL;
	json_t *j;

	sra_assert_ok(sra_catalog_read(&cat, f->db, NULL));
	sra_assert_ok(sra_catalog_to_json(&text, cat, NULL));
	j = json_loads(text, 0, &jerr);
	assert_non_null(j);
	free(text);
	sra_catalog_free(cat);
	return j;
}

/* the element of array `a` whose "name" (or `key`) is `name` */
static json_t *named(json_t *a, const char *key, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		json_t *n = json_object_get(v, key);
		if (n && json_is_string(n) && strcmp(json_string_value(n), name) == 0)
			return v;
	}
	print_error("no element with %s = %s\n", key, name);
	fail();
	return NULL;
}

static json_t *table(json_t *cat, const char *name)
{
	return named(json_object_get(cat, "tables"), "name", name);
}

static json_t *column(json_t *cat, const char *tab, const char *col)
{
	return named(json_object_get(table(cat, tab), "columns"), "name", col);
}

/* "a,b,c" from a JSON array of strings */
static char *joined(json_t *a)
{
	static char buf[1024];
	size_t i;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(a, i, v) {
		if (i)
			strcat(buf, ",");
		strcat(buf, json_string_value(v));
	}
	return buf;
}

/* a column of a table object */
static json_t *column_of(json_t *tab, const char *col)
{
	return named(json_object_get(tab, "columns"), "name", col);
}

/* the foreign key of `tab` on column `col` */
static json_t *fk(json_t *cat, const char *tab, const char *col)
{
	json_t *a = json_object_get(table(cat, tab), "foreign_keys"), *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (strcmp(joined(json_object_get(v, "columns")), col) == 0)
			return v;
	print_error("no foreign key on %s.%s\n", tab, col);
	fail();
	return NULL;
}

static void assert_fk(json_t *cat, const char *tab, const char *col, const char *ref, const char *on_delete)
{
	json_t *k = fk(cat, tab, col);

	assert_string_equal(json_string_value(json_object_get(json_object_get(k, "references"), "table")), ref);
	assert_string_equal(joined(json_object_get(json_object_get(k, "references"), "columns")), "id");
	assert_string_equal(json_string_value(json_object_get(k, "on_delete")), on_delete);
}

static void assert_column(json_t *cat, const char *tab, const char *col, const char *type, int nullable)
{
	json_t *c = column(cat, tab, col);

	if (type)
		assert_string_equal(json_string_value(json_object_get(c, "type")), type);
	assert_true(json_is_boolean(json_object_get(c, "nullable")));
	assert_int_equal(json_boolean_value(json_object_get(c, "nullable")), nullable);
}

static void assert_index(json_t *cat, const char *tab, const char *name, const char *method, const char *cols)
{
	json_t *ix = named(json_object_get(table(cat, tab), "indexes"), "name", name);

	assert_string_equal(json_string_value(json_object_get(ix, "method")), method);
	assert_string_equal(joined(json_object_get(ix, "columns")), cols);
	assert_true(json_is_false(json_object_get(ix, "unique")));
}

/* "name method (cols)[ WHERE pred]; " for each index of `tab`, in the catalog's (name) order */
static const char *index_list(json_t *cat, const char *tab)
{
	static char buf[4096];
	json_t *a = json_object_get(table(cat, tab), "indexes"), *v;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(a, i, v) {
		json_t *pred = json_object_get(v, "predicate");
		size_t len = strlen(buf);

		snprintf(buf + len, sizeof(buf) - len, "%s %s (%s)%s%s; ", json_string_value(json_object_get(v, "name")),
			 json_string_value(json_object_get(v, "method")), joined(json_object_get(v, "columns")),
			 json_is_string(pred) ? " WHERE " : "", json_is_string(pred) ? json_string_value(pred) : "");
	}
	return buf;
}

static void assert_no_index(json_t *cat, const char *tab, const char *name)
{
	json_t *a = json_object_get(table(cat, tab), "indexes"), *v;
	size_t i;

	json_array_foreach(a, i, v)
		assert_string_not_equal(json_string_value(json_object_get(v, "name")), name);
}

static void check_lines(fixture *f, sra_strarray *out)
{
	sra_assert_ok(sra_migrate_check(out, f->db, f->chain));
}

static void assert_clean(fixture *f)
{
	sra_strarray d = { NULL, 0 };
	size_t i;

	check_lines(f, &d);
	for (i = 0; i < d.count; i++)
		print_error("unexpected difference: %s\n", d.strings[i]);
	assert_int_equal(d.count, 0);
	sra_strarray_dispose(&d);
}

/* exactly one difference line, equal to `want` */
static void assert_one_line(fixture *f, const char *want)
{
	sra_strarray d = { NULL, 0 };
	size_t i;

	check_lines(f, &d);
	for (i = 0; i < d.count; i++)
		if (d.count != 1 || strcmp(d.strings[i], want) != 0)
			print_error("difference: %s\n", d.strings[i]);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.strings[0], want);
	sra_strarray_dispose(&d);
}

/* ---- the catalog at head against schema.md --------------------------------- */

static void catalog_at_head(int pg)
{
	static const char *tables[] = {
		"benchmark_result_items", "benchmark_runs", "log_records", "screen_abstract_results",
		"screening_resolutions", "search_results", "systematic_reviews"
	};
	fixture f;
	json_t *cat, *a, *v;
	size_t i;

	if (!fixture_open(&f, pg))
		skip();
	upgrade(&f, "head");
	cat = catalog_json(&f);

	/* every table of schema.md, and nothing else (no version tables) */
	a = json_object_get(cat, "tables");
	assert_int_equal(json_array_size(a), 7);
	for (i = 0; i < 7; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(a, i), "name")), tables[i]);
	json_array_foreach(a, i, v) {
		json_t *pk = json_object_get(v, "primary_key");
		assert_string_equal(joined(json_object_get(pk, "columns")), "id");
	}

	/* columns: type (PostgreSQL's spelling), nullability, defaults */
	assert_column(cat, "search_results", "review_id", pg ? "uuid" : "TEXT", 0);
	assert_column(cat, "search_results", "doi", pg ? "character varying" : "TEXT", 1);
	assert_column(cat, "search_results", "authors", pg ? "text[]" : "TEXT", 1);
	assert_column(cat, "search_results", "source_db", pg ? "searchdatabasesource_enum" : "TEXT", 0);
	assert_column(cat, "log_records", "module", pg ? "character varying(100)" : "TEXT", 1);
	assert_column(cat, "log_records", "timestamp", pg ? "timestamp with time zone" : "TEXT", 0);
	assert_column(cat, "screen_abstract_results", "confidence_score", pg ? "double precision" : "REAL", 0);
	assert_column(cat, "benchmark_result_items", "human_decision", pg ? "boolean" : "INTEGER", 1);
	assert_column(cat, "benchmark_result_items", "conservative_trace_id", pg ? "uuid" : "TEXT", 1);
	assert_column(cat, "benchmark_runs", "status", pg ? "benchmarkrunstatus" : "TEXT", 0);
	assert_column(cat, "benchmark_runs", "n_items", pg ? "integer" : "INTEGER", 1);
	assert_column(cat, "systematic_reviews", "created_at", NULL, 0);
	assert_column(cat, "systematic_reviews", "updated_at", NULL, 0);
	assert_column(cat, "systematic_reviews", "criteria_framework", NULL, 1);
	assert_string_equal(json_string_value(json_object_get(column(cat, "benchmark_runs", "status"), "default")),
			    pg ? "'completed'::benchmarkrunstatus" : "'completed'");
	assert_string_equal(json_string_value(json_object_get(column(cat, "search_results", "raw_data"), "default")),
			    pg ? "'{}'::jsonb" : "'{}'");
	assert_true(json_is_null(json_object_get(column(cat, "benchmark_runs", "started_at"), "default")));
	if (pg)
		assert_string_equal(json_string_value(json_object_get(column(cat, "systematic_reviews", "created_at"),
								      "default")), "now()");

	/* foreign keys and their ON DELETE */
	assert_fk(cat, "search_results", "review_id", "systematic_reviews", "CASCADE");
	assert_fk(cat, "search_results", "resolution_id", "screening_resolutions", "SET NULL");
	assert_fk(cat, "search_results", "conservative_result_id", "screen_abstract_results", "SET NULL");
	assert_fk(cat, "search_results", "comprehensive_result_id", "screen_abstract_results", "SET NULL");
	assert_fk(cat, "screen_abstract_results", "review_id", "systematic_reviews", "CASCADE");
	assert_fk(cat, "screening_resolutions", "search_result_id", "search_results", "CASCADE");
	assert_fk(cat, "benchmark_runs", "review_id", "systematic_reviews", "CASCADE");
	assert_fk(cat, "benchmark_result_items", "benchmark_run_id", "benchmark_runs", "CASCADE");
	assert_fk(cat, "benchmark_result_items", "search_result_id", "search_results", "CASCADE");
	assert_fk(cat, "log_records", "review_id", "systematic_reviews", "SET NULL");

	/* unique constraints are listed; the indexes that back them are not */
	v = json_object_get(table(cat, "search_results"), "unique_constraints");
	assert_int_equal(json_array_size(v), 1);
	assert_string_equal(joined(json_object_get(json_array_get(v, 0), "columns")), "review_id,source_db,source_id");
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "name")), "uq_review_source_id");
	v = json_object_get(table(cat, "benchmark_result_items"), "unique_constraints");
	assert_int_equal(json_array_size(v), 1);
	assert_string_equal(joined(json_object_get(json_array_get(v, 0), "columns")), "benchmark_run_id,search_result_id");
	assert_no_index(cat, "search_results", "uq_review_source_id");
	assert_no_index(cat, "search_results", "search_results_pkey");

	/* indexes at head (revision 6, docs/schema-indexes.md): those that enforce
	 * a constraint or serve a query; GIN only on PostgreSQL */
	assert_index(cat, "benchmark_runs", "ix_benchmark_runs_review_id", "btree", "review_id");
	assert_index(cat, "search_results", "ix_search_results_doi", "btree", "doi");
	assert_index(cat, "log_records", "ix_log_records_review_id_level", "btree", "review_id,level");
	assert_no_index(cat, "log_records", "ix_log_records_timestamp");
	assert_no_index(cat, "benchmark_result_items", "ix_benchmark_result_items_conservative_run_id");
	assert_no_index(cat, "benchmark_runs", "ix_benchmark_runs_on_config_details_gin");
	assert_string_equal(index_list(cat, "search_results"),
			    "ix_search_results_comprehensive_result_id btree (comprehensive_result_id) "
			    "WHERE comprehensive_result_id IS NOT NULL; "
			    "ix_search_results_conservative_result_id btree (conservative_result_id) "
			    "WHERE conservative_result_id IS NOT NULL; "
			    "ix_search_results_doi btree (doi); "
			    "ix_search_results_resolution_id btree (resolution_id) WHERE resolution_id IS NOT NULL; "
			    "ix_search_results_source_id btree (source_id); "
			    "ix_search_results_year btree (year); ");
	assert_string_equal(index_list(cat, "benchmark_result_items"),
			    "ix_benchmark_result_items_search_result_id btree (search_result_id); ");
	assert_string_equal(index_list(cat, "screening_resolutions"),
			    "ix_screening_resolutions_review_id btree (review_id); "
			    "ix_screening_resolutions_search_result_id btree (search_result_id); ");
	assert_string_equal(index_list(cat, "log_records"),
			    "ix_log_records_level btree (level); ix_log_records_review_id_level btree (review_id,level); ");
	assert_string_equal(index_list(cat, "systematic_reviews"), "");
	assert_string_equal(index_list(cat, "screen_abstract_results"),
			    pg ? "ix_screen_abstract_results_on_exclusion_reason_categories_gin gin (exclusion_reason_categories); "
				 "ix_screen_abstract_results_review_id_screening_strategy btree (review_id,screening_strategy); "
			       : "ix_screen_abstract_results_review_id_screening_strategy btree (review_id,screening_strategy); ");

	/* CHECK constraints of revisions 4 and 5 */
	named(json_object_get(table(cat, "benchmark_runs"), "checks"), "name", "ck_benchmark_runs_uncertain_policy");
	named(json_object_get(table(cat, "benchmark_result_items"), "checks"), "name",
	      "ck_benchmark_result_items_classification");
	named(json_object_get(table(cat, "screen_abstract_results"), "checks"), "name",
	      "ck_screen_abstract_results_confidence_score");

	/* the updated_at triggers */
	v = named(json_object_get(table(cat, "benchmark_runs"), "triggers"), "name", "trg_benchmark_runs_updated_at");
	assert_string_equal(json_string_value(json_object_get(v, "timing")), pg ? "BEFORE" : "AFTER");
	assert_string_equal(json_string_value(json_object_get(v, "events")), "UPDATE");
	assert_int_equal(json_array_size(json_object_get(table(cat, "log_records"), "triggers")), 0);

	/* enum types, labels in order (SQLite has none) */
	a = json_object_get(cat, "enums");
	if (pg) {
		assert_int_equal(json_array_size(a), 6);
		assert_string_equal(joined(json_object_get(named(a, "name", "searchdatabasesource_enum"), "labels")),
				    "PubMed,Scopus,Embase,Other,benchmark_csv");
		assert_string_equal(joined(json_object_get(named(a, "name", "benchmarkrunstatus"), "labels")),
				    "running,completed,failed");
		assert_string_equal(joined(json_object_get(named(a, "name", "criteriaframework_enum"), "labels")),
				    "ECLIPSE,PEO,PICO,PICOS,PICOT,PICOS/T,SPIDER,SPICE");
		assert_string_equal(joined(json_object_get(named(a, "name", "loglevel_enum"), "labels")),
				    "TRACE,DEBUG,INFO,SUCCESS,WARNING,ERROR,CRITICAL");
	} else {
		assert_int_equal(json_array_size(a), 0);
	}
	json_decref(cat);
	fixture_close(&f);
}

static void test_catalog__head_sqlite(void **state)
{
	(void)state;
	catalog_at_head(0);
}

static void test_catalog__head_pg(void **state)
{
	(void)state;
	catalog_at_head(1);
}

/* the human form names what \d names */
static void format_table(int pg)
{
	sra_catalog *cat = NULL;
	char *text = NULL;
	fixture f;

	if (!fixture_open(&f, pg))
		skip();
	upgrade(&f, "head");
	sra_assert_ok(sra_catalog_read(&cat, f.db, NULL));
	sra_assert_ok(sra_catalog_format(&text, cat, "benchmark_runs"));
	assert_non_null(strstr(text, "Table \"benchmark_runs\""));
	assert_non_null(strstr(text, "Indexes:\n"));
	assert_non_null(strstr(text, "\"ix_benchmark_runs_review_id\" btree (review_id)"));
	assert_non_null(strstr(text, "REFERENCES systematic_reviews(id) ON DELETE CASCADE"));
	assert_non_null(strstr(text, "Triggers:\n    trg_benchmark_runs_updated_at"));
	assert_null(strstr(text, "ix_benchmark_runs_on_config_details_gin"));	/* revision 6 */
	free(text);
	sra_assert_ok(sra_catalog_format(&text, cat, "search_results"));
	assert_non_null(strstr(text, "\"ix_search_results_resolution_id\" btree (resolution_id) "
				     "WHERE resolution_id IS NOT NULL\n"));
	free(text);
	if (pg) {
		sra_assert_ok(sra_catalog_format(&text, cat, "screen_abstract_results"));
		assert_non_null(strstr(text, "\"ix_screen_abstract_results_on_exclusion_reason_categories_gin\" "
					     "gin (exclusion_reason_categories)"));
		free(text);
	}
	assert_int_equal(sra_catalog_format(&text, cat, "no_such_table"), SRA_ENOTFOUND);
	assert_int_equal(sra_catalog_to_json(&text, cat, "no_such_table"), SRA_ENOTFOUND);
	sra_assert_ok(sra_catalog_format(&text, cat, NULL));
	assert_non_null(strstr(text, "(7 tables)"));
	if (pg)
		assert_non_null(strstr(text, "searchdatabasesource_enum: PubMed, Scopus, Embase, Other, benchmark_csv"));
	free(text);
	sra_catalog_free(cat);
	fixture_close(&f);
}

static void test_catalog__format_sqlite(void **state)
{
	(void)state;
	format_table(0);
}

static void test_catalog__format_pg(void **state)
{
	(void)state;
	format_table(1);
}

/* ---- revision 6 (indexes) up and down ------------------------------------------ */

/*
 * Revision 6 only drops and creates indexes: after upgrade head and
 * downgrade 19db02264d93 the catalog equals the catalog that revision 5 had,
 * exactly (sra_catalog_diff: names, methods, columns, predicates, and
 * everything else), and `check` is clean at each step.
 */
static void indexes_revision_round_trip(int pg)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_catalog *at5 = NULL, *again = NULL, *head = NULL;
	sra_strarray d = { NULL, 0 };
	fixture f;
	size_t i;

	if (!fixture_open(&f, pg))
		skip();
	mo.applied_by = "tester";
	upgrade(&f, "19db02264d93");
	assert_clean(&f);
	sra_assert_ok(sra_catalog_read(&at5, f.db, NULL));
	upgrade(&f, "head");
	assert_clean(&f);
	sra_assert_ok(sra_catalog_read(&head, f.db, NULL));
	/* the head differs from revision 5 (else the comparison below proves nothing) */
	sra_assert_ok(sra_catalog_diff(&d, at5, head));
	assert_true(d.count >= (size_t)(pg ? 30 : 22));
	sra_strarray_dispose(&d);

	sra_assert_ok(sra_migrate_downgrade(f.db, f.chain, "19db02264d93", &mo));
	assert_clean(&f);
	sra_assert_ok(sra_catalog_read(&again, f.db, NULL));
	sra_assert_ok(sra_catalog_diff(&d, at5, again));
	for (i = 0; i < d.count; i++)
		print_error("after downgrade: %s\n", d.strings[i]);
	assert_int_equal(d.count, 0);
	sra_strarray_dispose(&d);
	sra_catalog_free(at5);
	sra_catalog_free(again);
	sra_catalog_free(head);
	fixture_close(&f);
}

static void test_catalog__indexes_round_trip_sqlite(void **state)
{
	(void)state;
	indexes_revision_round_trip(0);
}

static void test_catalog__indexes_round_trip_pg(void **state)
{
	(void)state;
	indexes_revision_round_trip(1);
}

/* ---- sra_migrate_check -------------------------------------------------------- */

static void check_clean_and_drift(int pg)
{
	sra_strarray d = { NULL, 0 };
	fixture f;

	if (!fixture_open(&f, pg))
		skip();
	/* base, with nothing in it: clean */
	assert_clean(&f);
	/* every revision on the way: clean */
	upgrade(&f, "ad42aea13565");
	assert_clean(&f);
	upgrade(&f, "head");
	assert_clean(&f);

	exec_sql(&f, "DROP INDEX ix_benchmark_runs_review_id");
	assert_one_line(&f, "missing index ix_benchmark_runs_review_id on benchmark_runs");
	exec_sql(&f, "CREATE INDEX ix_benchmark_runs_review_id ON benchmark_runs (review_id)");
	assert_clean(&f);

	exec_sql(&f, "ALTER TABLE benchmark_runs ADD COLUMN foo text");
	/* SQLite's table_info spells declared types in capitals */
	assert_one_line(&f, pg ? "extra column benchmark_runs.foo (text)" : "extra column benchmark_runs.foo (TEXT)");
	exec_sql(&f, "ALTER TABLE benchmark_runs DROP COLUMN foo");
	assert_clean(&f);

	if (pg) {
		exec_sql(&f, "ALTER TABLE benchmark_runs ALTER COLUMN status SET DEFAULT 'running'");
		assert_one_line(&f, "column benchmark_runs.status: default 'running'::benchmarkrunstatus, "
				    "expected 'completed'::benchmarkrunstatus");
		exec_sql(&f, "ALTER TABLE benchmark_runs ALTER COLUMN status SET DEFAULT 'completed'");
		exec_sql(&f, "ALTER TABLE log_records ALTER COLUMN module SET NOT NULL");
		assert_one_line(&f, "column log_records.module: NOT NULL, expected nullable");
		exec_sql(&f, "ALTER TABLE log_records ALTER COLUMN module DROP NOT NULL");
		exec_sql(&f, "ALTER TABLE benchmark_runs DROP CONSTRAINT benchmark_runs_review_id_fkey, "
			     "ADD CONSTRAINT benchmark_runs_review_id_fkey FOREIGN KEY (review_id) "
			     "REFERENCES systematic_reviews (id)");
		assert_one_line(&f, "foreign key benchmark_runs.review_id -> systematic_reviews: "
				    "ON DELETE NO ACTION, expected CASCADE");
		exec_sql(&f, "ALTER TABLE benchmark_runs DROP CONSTRAINT benchmark_runs_review_id_fkey, "
			     "ADD CONSTRAINT benchmark_runs_review_id_fkey FOREIGN KEY (review_id) "
			     "REFERENCES systematic_reviews (id) ON DELETE CASCADE");
		exec_sql(&f, "ALTER TYPE searchdatabasesource_enum ADD VALUE 'Foo'");
		assert_one_line(&f, "enum searchdatabasesource_enum: extra label 'Foo'");
	} else {
		exec_sql(&f, "DROP TRIGGER trg_benchmark_runs_updated_at");
		assert_one_line(&f, "missing trigger trg_benchmark_runs_updated_at on benchmark_runs (AFTER UPDATE)");
	}

	/* PostgreSQL: the scratch schemas were all rolled back */
	if (pg) {
		sra_rows *rows = NULL;
		sra_backend *be = sra_db__backend(f.db);
		sra_assert_ok(be->ops->query(&rows, be,
			"SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sra\\_check\\_%'", NULL, 0));
		assert_string_equal(sra_rows_get(rows, 0, 0), "0");
		sra_rows_free(rows);
	}
	sra_strarray_dispose(&d);
	fixture_close(&f);
}

static void test_catalog__check_sqlite(void **state)
{
	(void)state;
	check_clean_and_drift(0);
}

static void test_catalog__check_pg(void **state)
{
	(void)state;
	check_clean_and_drift(1);
}

/* tables but no version table: one line suggesting stamp */
static void no_version_table(int pg)
{
	sra_strarray d = { NULL, 0 };
	fixture f;

	if (!fixture_open(&f, pg))
		skip();
	exec_sql(&f, "CREATE TABLE systematic_reviews (id text PRIMARY KEY)");
	check_lines(&f, &d);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.strings[0], "no version table"));
	assert_non_null(strstr(d.strings[0], "sra db stamp"));
	sra_strarray_dispose(&d);
	fixture_close(&f);
}

static void test_catalog__no_version_table_sqlite(void **state)
{
	(void)state;
	no_version_table(0);
}

static void test_catalog__no_version_table_pg(void **state)
{
	(void)state;
	no_version_table(1);
}

/* the SQLite scanner: quotes, nested parentheses, named constraints */
static void test_catalog__sqlite_scanner(void **state)
{
	sra_catalog *cat = NULL;
	json_t *j, *t, *v;
	json_error_t jerr;
	char *text = NULL;
	fixture f;

	(void)state;
	fixture_open(&f, 0);
	exec_sql(&f, "CREATE TABLE \"we\"\"ird\" (\n"
		     "  a TEXT CONSTRAINT \"c 1\" CHECK (a <> 'CHECK (x' AND length(a) > (1)),\n"
		     "  b INTEGER DEFAULT (1 + 2) CHECK (b > 0), -- a CHECK (in a comment)\n"
		     "  c TEXT,\n"
		     "  CONSTRAINT u1 UNIQUE (a, \"b\"),\n"
		     "  CONSTRAINT pk PRIMARY KEY (c)\n"
		     ")");
	exec_sql(&f, "CREATE INDEX ix_part ON \"we\"\"ird\" (lower(a), b DESC) WHERE b IS NOT NULL");
	sra_assert_ok(sra_catalog_read(&cat, f.db, NULL));
	sra_assert_ok(sra_catalog_to_json(&text, cat, "we\"ird"));
	j = json_loads(text, 0, &jerr);
	assert_non_null(j);
	t = json_object_get(j, "checks");
	assert_int_equal(json_array_size(t), 2);
	v = named(t, "name", "c 1");
	assert_string_equal(json_string_value(json_object_get(v, "expression")),
			    "a <> 'CHECK (x' AND length(a) > (1)");
	v = json_array_get(t, 0);	/* the unnamed one sorts first */
	assert_true(json_is_null(json_object_get(v, "name")));
	assert_string_equal(json_string_value(json_object_get(v, "expression")), "b > 0");
	v = json_array_get(json_object_get(j, "unique_constraints"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "name")), "u1");
	assert_string_equal(joined(json_object_get(v, "columns")), "a,b");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "primary_key"), "name")), "pk");
	v = named(json_object_get(j, "indexes"), "name", "ix_part");
	assert_string_equal(joined(json_object_get(v, "columns")), "lower(a),b DESC");
	assert_string_equal(json_string_value(json_object_get(v, "predicate")), "b IS NOT NULL");
	assert_string_equal(json_string_value(json_object_get(column_of(j, "b"), "default")), "1 + 2");
	json_decref(j);
	free(text);
	sra_catalog_free(cat);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog__head_sqlite),
		cmocka_unit_test(test_catalog__head_pg),
		cmocka_unit_test(test_catalog__format_sqlite),
		cmocka_unit_test(test_catalog__format_pg),
		cmocka_unit_test(test_catalog__indexes_round_trip_sqlite),
		cmocka_unit_test(test_catalog__indexes_round_trip_pg),
		cmocka_unit_test(test_catalog__check_sqlite),
		cmocka_unit_test(test_catalog__check_pg),
		cmocka_unit_test(test_catalog__no_version_table_sqlite),
		cmocka_unit_test(test_catalog__no_version_table_pg),
		cmocka_unit_test(test_catalog__sqlite_scanner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
