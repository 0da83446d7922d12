/*
 * Tests of the imports (include/sra/import.h): records from CSV, TSV and
 * XLSX, AI decisions from JSON Lines and CSV, on SQLite always and on
 * PostgreSQL when TEST_DATABASE_URL is set.
 *
 * Real data (../shared/screening-data) is checked against the same file read
 * by an independent parser, Python's csv module.  Workbooks are written by
 * libxlsxwriter in the review team's layout.  Every bad input must leave the
 * database exactly as it was: row counts and a hash of every row of the
 * screening tables are compared before and after.
 */
#include "testutil.h"
#include "import_int.h"

#include <sra/sra.h>
#include <sra/import.h>
#include <sra/review.h>
#include <sra/benchmark.h>
#include <sra/sys/backend.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ---- fixtures ---------------------------------------------------------------- */

typedef struct fx {
	char *dir;
	char *url;
	int pg;
	sra_db *db;
	char *review;
} fx;

static int fx_open(fx *f, int pg)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_review_fields rf = SRA_REVIEW_FIELDS_INIT;
	sra_chain *chain = NULL;

	memset(f, 0, sizeof(*f));
	f->dir = sra_test_tmpdir();
	f->pg = pg;
	if (pg) {
		if (!(f->url = sra_test_pg_url()))
			return -1;
	} else {
		f->url = sra_test_sqlite_url(f->dir, "import.db");
	}
	sra_assert_ok(sra_db_open(&f->db, f->url, NULL));
	sra_assert_ok(sra_chain_load(&chain, NULL));
	mo.progress = NULL;
	sra_assert_ok(sra_migrate_upgrade(f->db, chain, "head", &mo));
	sra_chain_free(chain);
	rf.research_question = "Does it work?";
	rf.exclusion_criteria = "Anything else";
	sra_assert_ok(sra_review_create(&f->review, f->db, &rf));
	return 0;
}

static void fx_close(fx *f)
{
	sra_db_free(f->db);
	if (f->pg)
		sra_test_pg_drop(f->url);
	sra_test_rmtree(f->dir);
	free(f->dir);
	free(f->url);
	free(f->review);
}

static char *path_in(const fx *f, const char *name)
{
	size_t n = strlen(f->dir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", f->dir, name);
	return p;
}

static sra_rows *q(fx *f, const char *sql)
{
	sra_backend *be = sra_db__backend(f->db);
	sra_rows *rows = NULL;

	sra_assert_ok(be->ops->query(&rows, be, sql, NULL, 0));
	return rows;
}

static long long q_int(fx *f, const char *sql)
{
	sra_rows *rows = q(f, sql);
	const char *v = sra_rows_get(rows, 0, 0);
	long long n = v ? strtoll(v, NULL, 10) : -1;

	sra_rows_free(rows);
	return n;
}

/* FNV-1a over every cell of every row of the screening tables */
static unsigned long long db_hash(fx *f)
{
	static const char *const sql[] = {
		"SELECT * FROM systematic_reviews ORDER BY id",
		"SELECT * FROM search_results ORDER BY id",
		"SELECT * FROM screen_abstract_results ORDER BY id",
		"SELECT * FROM screening_resolutions ORDER BY id",
	};
	unsigned long long h = 1469598103934665603ULL;
	size_t i, r, c;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sra_rows *rows = q(f, sql[i]);
		for (r = 0; r < rows->nrows; r++) {
			for (c = 0; c < rows->ncols; c++) {
				const char *v = sra_rows_get(rows, r, c);
				const char *s = v ? v : "\001NULL";
				for (; *s; s++) {
					h ^= (unsigned char)*s;
					h *= 1099511628211ULL;
				}
				h ^= 0xff;
				h *= 1099511628211ULL;
			}
		}
		h ^= rows->nrows;
		sra_rows_free(rows);
	}
	return h;
}

static int import_records(fx *f, sra_import_summary *s, const char *path, const char *human)
{
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;

	memset(s, 0, sizeof(*s));
	o.human_column = human;
	return sra_import_records(s, f->db, f->review, path, &o);
}

static const char *shared_data(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/../shared/screening-data/%s", sra_test_source_dir(), name);
	return access(path, R_OK) == 0 ? path : NULL;
}

/* assert that a bad import fails with a message containing every needle and changes nothing */
static void expect_untouched(fx *f, int error, const char *const *needles)
{
	const sra_error *e = sra_error_last();
	size_t i;

	(void)f;
	if (error == 0)
		fail_msg("the import succeeded, but it should have failed");
	assert_non_null(e);
	for (i = 0; needles[i]; i++)
		if (!strstr(e->message, needles[i]))
			fail_msg("message '%s' does not contain '%s'", e->message, needles[i]);
}

/* ---- real data, compared with Python's csv module --------------------------- */

/* {record_id: [title, abstract, label]} as Python's csv module reads the file */
static json_t *python_reading(const char *path, const char *label)
{
	json_error_t jerr;
	json_t *j;
	char *out;
	int st;

	out = sra_test_run(&st,
		"python3 -c 'import csv, json, sys\n"
		"with open(sys.argv[1], newline=\"\", encoding=\"utf-8\") as f:\n"
		"    d = {r[\"record_id\"]: [r[\"title\"], r[\"abstract\"], r[sys.argv[2]]] for r in csv.DictReader(f)}\n"
		"json.dump(d, sys.stdout)' '%s' '%s'", path, label);
	assert_int_equal(st, 0);
	j = json_loads(out, 0, &jerr);
	free(out);
	assert_non_null(j);
	return j;
}

static void check_real_file(fx *f, const char *name, const char *label, const char *human)
{
	const char *path = shared_data(name);
	sra_import_summary s;
	json_t *want;
	sra_rows *rows;
	unsigned long long h;
	size_t r, n;
	char sql[512];

	if (!path) {
		print_message("skipped: %s not found\n", name);
		return;
	}
	want = python_reading(path, label);
	n = json_object_size(want);
	sra_assert_ok(import_records(f, &s, path, human));
	assert_int_equal(s.inserted, n);
	assert_int_equal(s.updated + s.unchanged + s.invalid + s.ignored, 0);
	assert_string_equal(s.human_column, label);
	sra_import_summary_dispose(&s);

	/* every record, every title, abstract and label */
	snprintf(sql, sizeof(sql), "SELECT source_id, title, abstract, %s, source_db, raw_data FROM search_results WHERE review_id = '%s'",
		 f->pg ? "source_metadata->>'benchmark_human_decision'"
		       : "CASE json_extract(source_metadata, '$.benchmark_human_decision') WHEN 1 THEN 'true' WHEN 0 THEN 'false' END",
		 f->review);
	rows = q(f, sql);
	assert_int_equal(rows->nrows, n);
	for (r = 0; r < rows->nrows; r++) {
		json_t *rec = json_object_get(want, sra_rows_get(rows, r, 0));
		const char *abs = json_string_value(json_array_get(rec, 1));
		const char *lab = json_string_value(json_array_get(rec, 2));
		const char *got_abs = sra_rows_get(rows, r, 2);
		json_t *raw;

		if (!rec)
			fail_msg("record %s is not in the file", sra_rows_get(rows, r, 0));
		assert_string_equal(sra_rows_get(rows, r, 1), json_string_value(json_array_get(rec, 0)));
		if (*abs)
			assert_string_equal(got_abs, abs);
		else
			assert_null(got_abs);
		assert_string_equal(sra_rows_get(rows, r, 3), strcmp(lab, "1") == 0 ? "true" : "false");
		assert_string_equal(sra_rows_get(rows, r, 4), "PubMed");	/* all-digit ids */
		/* raw_data holds the row, header → cell */
		raw = json_loads(sra_rows_get(rows, r, 5), 0, NULL);
		assert_non_null(raw);
		assert_string_equal(json_string_value(json_object_get(raw, "title")),
				    json_string_value(json_array_get(rec, 0)));
		assert_string_equal(json_string_value(json_object_get(raw, label)), lab);
		json_decref(raw);
	}
	sra_rows_free(rows);
	json_decref(want);

	/* the same file again changes nothing, not even updated_at */
	h = db_hash(f);
	sra_assert_ok(import_records(f, &s, path, human));
	assert_int_equal(s.unchanged, n);
	assert_int_equal(s.inserted + s.updated, 0);
	sra_import_summary_dispose(&s);
	assert_true(h == db_hash(f));
}

static void real_data(int pg)
{
	fx f;
	sra_review_fields rf = SRA_REVIEW_FIELDS_INIT;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	check_real_file(&f, "Nagtegaal_2019.csv", "label_abstract_screening", "label_abstract_screening");
	/* Kitchenham in its own review: its record ids overlap Nagtegaal's */
	free(f.review);
	rf.research_question = "SE tertiary";
	rf.exclusion_criteria = "not SE";
	sra_assert_ok(sra_review_create(&f.review, f.db, &rf));
	check_real_file(&f, "Kitchenham_2010.csv", "label_included", NULL);
	fx_close(&f);
}

static void test_import_records__real_data_sqlite(void **state) { (void)state; real_data(0); }
static void test_import_records__real_data_pg(void **state) { (void)state; real_data(1); }

/* ---- small CSV / TSV cases ------------------------------------------------------ */

static void small_csv(int pg)
{
	fx f;
	sra_import_summary s;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	char *p, *t;
	sra_rows *rows;
	char sql[512];
	unsigned long long h;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	p = path_in(&f, "small.csv");
	/* a BOM, CRLF, case-insensitive headers, decisions in every spelling, a quoted newline */
	sra_test_write_file(p,
		"\xef\xbb\xbfKey,Title,Abstract,YEAR,Authors,keywords,DOI,Journal,Included after T&A screen,notes\r\n"
		"rayyan-1,\"First, with comma\",\"line one\r\nline two\",2019.0,Smith J and Doe A,a; b ;c,10.1/x,J1,Y,\r\n"
		"pmid_77,Second,,2020,\"Roe, R; Poe, P\",,,,no,\"say \"\"hi\"\"\"\r\n"
		"31234567.0,Third,abs,,,,,,INCLUDED,\r\n"
		"\r\n"
		"4,Fourth,abs,,,,,,NA,\r\n"
		",Totals,,,,,,,3,\r\n"
		",,,,,,,,5,\r\n");
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.format, SRA_IMPORT_CSV);
	assert_int_equal(s.inserted, 4);
	assert_int_equal(s.ignored, 2);
	assert_int_equal(s.end_line, 8);
	assert_string_equal(s.source_id_column, "Key");
	sra_import_summary_dispose(&s);

	snprintf(sql, sizeof(sql), "SELECT source_id, source_db, title, abstract, year, authors, keywords, doi, journal, "
		 "%s FROM search_results ORDER BY source_id",
		 pg ? "source_metadata->>'benchmark_human_decision'"
		    : "json_extract(source_metadata, '$.benchmark_human_decision')");
	rows = q(&f, sql);
	assert_int_equal(rows->nrows, 4);
	/* 31234567 (the .0 gone, PubMed), 4 (PubMed), pmid_77 (PubMed), rayyan-1 (Other) */
	assert_string_equal(sra_rows_get(rows, 0, 0), "31234567");
	assert_string_equal(sra_rows_get(rows, 0, 1), "PubMed");
	assert_string_equal(sra_rows_get(rows, 0, 9), pg ? "true" : "1");
	assert_string_equal(sra_rows_get(rows, 1, 0), "4");
	assert_null(sra_rows_get(rows, 1, 9));
	assert_string_equal(sra_rows_get(rows, 2, 0), "pmid_77");
	assert_string_equal(sra_rows_get(rows, 2, 1), "PubMed");
	assert_null(sra_rows_get(rows, 2, 3));
	assert_string_equal(sra_rows_get(rows, 2, 5), pg ? "{\"Roe, R\",\"Poe, P\"}" : "[\"Roe, R\",\"Poe, P\"]");
	assert_string_equal(sra_rows_get(rows, 2, 9), pg ? "false" : "0");
	assert_string_equal(sra_rows_get(rows, 3, 0), "rayyan-1");
	assert_string_equal(sra_rows_get(rows, 3, 1), "Other");
	assert_string_equal(sra_rows_get(rows, 3, 2), "First, with comma");
	assert_string_equal(sra_rows_get(rows, 3, 3), "line one\r\nline two");
	assert_string_equal(sra_rows_get(rows, 3, 4), "2019");
	assert_string_equal(sra_rows_get(rows, 3, 5), pg ? "{\"Smith J\",\"Doe A\"}" : "[\"Smith J\",\"Doe A\"]");
	assert_string_equal(sra_rows_get(rows, 3, 6), pg ? "{a,b,c}" : "[\"a\",\"b\",\"c\"]");
	assert_string_equal(sra_rows_get(rows, 3, 7), "10.1/x");
	sra_rows_free(rows);

	/* one import, one creation time, in the format the columns' default writes */
	rows = q(&f, pg ? "SELECT count(DISTINCT created_at), bool_and(updated_at = created_at),"
			  " bool_and(created_at BETWEEN now() - interval '1 hour' AND now()) FROM search_results"
			: "SELECT count(DISTINCT created_at), min(updated_at = created_at),"
			  " min(created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'"
			  " AND julianday(created_at) BETWEEN julianday('now', '-1 hour') AND julianday('now'))"
			  " FROM search_results");
	assert_string_equal(sra_rows_get(rows, 0, 0), "1");
	assert_string_equal(sra_rows_get(rows, 0, 1), pg ? "t" : "1");
	assert_string_equal(sra_rows_get(rows, 0, 2), pg ? "t" : "1");
	sra_rows_free(rows);

	/* a changed row is updated, the others left alone */
	t = sra_test_read_file(p);
	*strstr(t, "Second") = 'Z';
	sra_test_write_file(p, t);
	free(t);
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.unchanged, 3);
	assert_int_equal(s.inserted, 0);
	sra_import_summary_dispose(&s);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE title = 'Zecond'"), 1);

	/* TSV, found from the content; --map and --source-db */
	free(p);
	p = path_in(&f, "small.txt");
	sra_test_write_file(p, "ref\tname\tlabel\n"
			       "a1\tTSV one\t1\n"
			       "a2\t\"TSV, two\"\t0\n");
	{
		const char *map[] = { "source_id=REF", "title=name", NULL };
		o.map = map;
		o.human_column = "label";
		o.source_db = "scopus";
		sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
		o.map = NULL;
		o.human_column = NULL;
		o.source_db = NULL;
	}
	assert_int_equal(s.format, SRA_IMPORT_TSV);
	assert_int_equal(s.inserted, 2);
	sra_import_summary_dispose(&s);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE source_db = 'Scopus' AND title = 'TSV, two'"), 1);

	/* --skip-invalid: the valid rows go in, the bad one is listed */
	free(p);
	p = path_in(&f, "skip.csv");
	sra_test_write_file(p, "id,title,human_decision\nk1,One,Y\nk2,Two,perhaps\nk3,Three,N\n");
	h = db_hash(&f);
	{
		const char *const needles[] = { "skip.csv:3", "human_decision", "'perhaps'", NULL };
		expect_untouched(&f, sra_import_records(&s, f.db, f.review, p, &o), needles);
		assert_true(h == db_hash(&f));
	}
	o.skip_invalid = 1;
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.inserted, 2);
	assert_int_equal(s.invalid, 1);
	assert_int_equal(s.problems[0].line, 3);
	assert_non_null(strstr(s.problems[0].message, "'perhaps'"));
	sra_import_summary_dispose(&s);
	free(p);
	fx_close(&f);
}

/*
 * One file with a new, a changed and an unchanged row, into a review that has
 * records (SQLite: INSERT for the new key, UPDATE for the others; PostgreSQL:
 * the staging table and the upsert), then into a second, empty review
 * (PostgreSQL: COPY straight into search_results) beside the first.
 */
static void mixed_rows(int pg)
{
	fx f;
	sra_import_summary s;
	sra_review_fields rf = SRA_REVIEW_FIELDS_INIT;
	char *p, *bad, *id2, *stamp1, *other = NULL, sql[256];
	sra_rows *rows;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	p = path_in(&f, "mixed.csv");
	sra_test_write_file(p, "id,title,abstract,human_decision\nm1,One,a1,Y\nm2,Two,a2,N\nm3,Three,,\n");
	sra_assert_ok(import_records(&f, &s, p, NULL));
	assert_int_equal(s.inserted, 3);
	sra_import_summary_dispose(&s);
	rows = q(&f, "SELECT id, updated_at FROM search_results WHERE source_id = 'm1'");
	stamp1 = strdup(sra_rows_get(rows, 0, 1));
	sra_rows_free(rows);
	rows = q(&f, "SELECT id FROM search_results WHERE source_id = 'm2'");
	id2 = strdup(sra_rows_get(rows, 0, 0));
	sra_rows_free(rows);

	/* m1 as it was, m2 with a new abstract, m3 gone from the file, m4 new */
	sra_test_write_file(p, "id,title,abstract,human_decision\nm1,One,a1,Y\nm2,Two,a2 changed,N\nm4,Four,a4,Y\n");
	sra_assert_ok(import_records(&f, &s, p, NULL));
	assert_int_equal(s.inserted, 1);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.unchanged, 1);
	sra_import_summary_dispose(&s);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results"), 4);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM search_results WHERE source_id = 'm2' AND id = '%s' "
		 "AND abstract = 'a2 changed'", id2);
	assert_int_equal(q_int(&f, sql), 1);
	rows = q(&f, "SELECT updated_at FROM search_results WHERE source_id = 'm1'");
	assert_string_equal(sra_rows_get(rows, 0, 0), stamp1);	/* unchanged: not rewritten */
	sra_rows_free(rows);

	/* the same file into a second review: its own rows, the first review's untouched */
	rf.research_question = "Another question";
	rf.exclusion_criteria = "Anything else";
	sra_assert_ok(sra_review_create(&other, f.db, &rf));
	/* a bad row part-way into the empty review: the COPY is abandoned, nothing stays */
	bad = path_in(&f, "bad.csv");
	sra_test_write_file(bad, "id,title,human_decision\nb1,One,Y\nb2,Two,N\nb3,Three,Maybe\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(sra_import_records(&s, f.db, other, bad, NULL), SRA_EINVALID);
	assert_non_null(strstr(sra_error_last()->message, "bad.csv:4:"));
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results"), 4);
	memset(&s, 0, sizeof(s));
	sra_assert_ok(sra_import_records(&s, f.db, other, p, NULL));
	assert_int_equal(s.inserted, 3);
	assert_int_equal(s.updated + s.unchanged, 0);
	sra_import_summary_dispose(&s);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results"), 7);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM search_results WHERE review_id = '%s'", f.review);
	assert_int_equal(q_int(&f, sql), 4);

	free(other);
	free(bad);
	free(id2);
	free(stamp1);
	free(p);
	fx_close(&f);
}

static void test_import_records__mixed_rows_sqlite(void **state) { (void)state; mixed_rows(0); }
static void test_import_records__mixed_rows_pg(void **state) { (void)state; mixed_rows(1); }

static void test_import_records__small_csv_sqlite(void **state) { (void)state; small_csv(0); }
static void test_import_records__small_csv_pg(void **state) { (void)state; small_csv(1); }

/* ---- XLSX in the review team's layout ---------------------------------------------- */

static const char *const team_cols[] = {
	"key", "title", "year", "month", "day", "journal", "issn", "volume", "issue", "pages", "authors", "url",
	"language", "publisher", "location", "abstract", "notes", "doi", "keywords", "pubmed_id", "pmc_id",
	"Included after T&A screen", "included_round1", "included_round2", "exclusion_stage_round1"
};

/* write the team's workbook; inline strings when `constant_memory` */
static void write_team_xlsx(const char *path, int constant_memory)
{
	lxw_workbook_options wo = { .constant_memory = (uint8_t)constant_memory, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(path, &wo);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Human results");
	lxw_worksheet *ai = workbook_add_worksheet(wb, "AI results");
	lxw_format *bold = workbook_add_format(wb);
	static const char *const keys[] = { "rayyan-388371190", "rayyan-388371191", "rayyan-388371192", "rayyan-388371193" };
	static const char *const dec[] = { "Y", "N", "y", "N" };
	lxw_row_t r;
	lxw_col_t c;

	format_set_bold(bold);
	for (c = 0; c < 25; c++)
		worksheet_write_string(ws, 0, c, team_cols[c], NULL);
	for (r = 1; r <= 4; r++) {
		char title[64];
		worksheet_write_string(ws, r, 0, keys[r - 1], NULL);
		if (r == 2 && !constant_memory) {
			/* rich text: two runs */
			lxw_rich_string_tuple a = { .format = bold, .string = "Bold " };
			lxw_rich_string_tuple b = { .format = NULL, .string = "and plain" };
			lxw_rich_string_tuple *rich[] = { &a, &b, NULL };
			worksheet_write_rich_string(ws, r, 1, rich, NULL);
		} else {
			snprintf(title, sizeof(title), "Title %u <&> \"quoted\"", (unsigned)r);
			worksheet_write_string(ws, r, 1, title, NULL);
		}
		worksheet_write_number(ws, r, 2, 2018.0 + r, NULL);
		worksheet_write_string(ws, r, 5, "Journal of Tests", NULL);
		if (r != 3)	/* a gap: no authors cell at all */
			worksheet_write_string(ws, r, 10, "Smith, John and Doe, Ann and Roe, R", NULL);
		worksheet_write_string(ws, r, 12, "English", NULL);
		worksheet_write_string(ws, r, 15, r == 4 ? "" : "An abstract\nwith two lines", NULL);
		worksheet_write_string(ws, r, 18, "nudge; health ;policy", NULL);
		if (r == 1)
			worksheet_write_number(ws, r, 19, 31234567.0, NULL);
		worksheet_write_string(ws, r, 21, dec[r - 1], NULL);
		worksheet_write_boolean(ws, r, 22, r == 1, NULL);
		worksheet_write_number(ws, r, 23, 0.5, NULL);
	}
	/* totals below an empty key */
	worksheet_write_string(ws, 6, 21, "Y", NULL);
	worksheet_write_number(ws, 6, 22, 2, NULL);
	worksheet_write_string(ws, 7, 21, "N", NULL);
	worksheet_write_number(ws, 7, 22, 2, NULL);
	worksheet_write_string(ai, 0, 0, "Source ID", NULL);
	worksheet_write_string(ai, 0, 1, "title", NULL);
	worksheet_write_string(ai, 1, 0, "x1", NULL);
	worksheet_write_string(ai, 1, 1, "From the other sheet", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void xlsx_case(int pg, int constant_memory)
{
	fx f;
	sra_import_summary s;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	char *p = NULL, sql[512];
	sra_rows *rows;
	json_t *raw;
	unsigned long long h;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	p = path_in(&f, "team.dat");	/* found from the content, not the name */
	write_team_xlsx(p, constant_memory);
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.format, SRA_IMPORT_XLSX);
	assert_int_equal(s.inserted, 4);
	assert_int_equal(s.ignored, 2);
	assert_int_equal(s.end_line, 7);
	assert_string_equal(s.human_column, "Included after T&A screen");
	sra_import_summary_dispose(&s);

	snprintf(sql, sizeof(sql), "SELECT source_id, source_db, title, year, authors, keywords, abstract, raw_data, %s "
		 "FROM search_results ORDER BY source_id",
		 pg ? "source_metadata->>'benchmark_human_decision'"
		    : "CASE json_extract(source_metadata, '$.benchmark_human_decision') WHEN 1 THEN 'true' WHEN 0 THEN 'false' END");
	rows = q(&f, sql);
	assert_int_equal(rows->nrows, 4);
	assert_string_equal(sra_rows_get(rows, 0, 0), "rayyan-388371190");
	assert_string_equal(sra_rows_get(rows, 0, 1), "Other");
	assert_string_equal(sra_rows_get(rows, 0, 2), "Title 1 <&> \"quoted\"");
	assert_string_equal(sra_rows_get(rows, 0, 3), "2019");
	assert_string_equal(sra_rows_get(rows, 0, 4), pg ? "{\"Smith, John\",\"Doe, Ann\",\"Roe, R\"}"
						     : "[\"Smith, John\",\"Doe, Ann\",\"Roe, R\"]");
	assert_string_equal(sra_rows_get(rows, 0, 5), pg ? "{nudge,health,policy}" : "[\"nudge\",\"health\",\"policy\"]");
	assert_string_equal(sra_rows_get(rows, 0, 6), "An abstract\nwith two lines");
	assert_string_equal(sra_rows_get(rows, 0, 8), "true");
	raw = json_loads(sra_rows_get(rows, 0, 7), 0, NULL);
	assert_non_null(raw);
	assert_int_equal(json_object_size(raw), 25);
	assert_string_equal(json_string_value(json_object_get(raw, "pubmed_id")), "31234567");
	assert_string_equal(json_string_value(json_object_get(raw, "year")), "2019");
	assert_string_equal(json_string_value(json_object_get(raw, "included_round1")), "TRUE");
	assert_string_equal(json_string_value(json_object_get(raw, "included_round2")), "0.5");
	assert_string_equal(json_string_value(json_object_get(raw, "pmc_id")), "");
	json_decref(raw);
	assert_string_equal(sra_rows_get(rows, 1, 2), constant_memory ? "Title 2 <&> \"quoted\"" : "Bold and plain");
	assert_string_equal(sra_rows_get(rows, 1, 8), "false");
	assert_null(sra_rows_get(rows, 2, 4));	/* no authors cell */
	assert_string_equal(sra_rows_get(rows, 2, 8), "true");	/* "y" */
	assert_null(sra_rows_get(rows, 3, 6));	/* empty abstract */
	sra_rows_free(rows);

	/* twice: nothing changes */
	h = db_hash(&f);
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.unchanged, 4);
	sra_import_summary_dispose(&s);
	assert_true(h == db_hash(&f));

	/* --sheet */
	o.sheet = "AI results";
	{
		const char *map[] = { "source_id=Source ID", NULL };
		o.map = map;
		sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
		o.map = NULL;
	}
	assert_int_equal(s.inserted, 1);
	sra_import_summary_dispose(&s);
	o.sheet = "No such";
	{
		const char *const needles[] = { "no sheet named 'No such'", "'Human results'", NULL };
		h = db_hash(&f);
		expect_untouched(&f, sra_import_records(&s, f.db, f.review, p, &o), needles);
		assert_true(h == db_hash(&f));
	}
	free(p);
	fx_close(&f);
}

static void test_import_xlsx__shared_strings_sqlite(void **state) { (void)state; xlsx_case(0, 0); }
static void test_import_xlsx__inline_strings_sqlite(void **state) { (void)state; xlsx_case(0, 1); }
static void test_import_xlsx__shared_strings_pg(void **state) { (void)state; xlsx_case(1, 0); }
static void test_import_xlsx__inline_strings_pg(void **state) { (void)state; xlsx_case(1, 1); }

/* ---- bad input leaves the database untouched ----------------------------------------- */

static void bad_records(fx *f, const char *name, const char *content, size_t len, const char *const *needles)
{
	sra_import_summary s;
	unsigned long long h = db_hash(f);
	long long n = q_int(f, "SELECT count(*) FROM search_results");
	char *p = path_in(f, name);
	FILE *fp = fopen(p, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(content, 1, len, fp), len);
	fclose(fp);
	expect_untouched(f, import_records(f, &s, p, NULL), needles);
	assert_int_equal(q_int(f, "SELECT count(*) FROM search_results"), n);
	assert_true(h == db_hash(f));
	free(p);
}

static void bad_input(int pg)
{
	fx f;
	sra_import_summary s;
	char *x, *content;
	size_t len;
	FILE *fp;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	/* something in the database, so "untouched" means something */
	x = path_in(&f, "good.csv");
	sra_test_write_file(x, "id,title,human_decision\ng1,Good one,Y\ng2,Good two,N\n");
	sra_assert_ok(import_records(&f, &s, x, NULL));
	sra_import_summary_dispose(&s);
	free(x);

	{
		static const char csv[] = "id,title,human_decision\nb1,One,Y\nb2,Two,N\nb3,Three,Maybe\n";
		const char *const needles[] = { "unknown.csv:4:", "column 'human_decision'", "'Maybe'", NULL };
		bad_records(&f, "unknown.csv", csv, sizeof(csv) - 1, needles);
	}
	{
		static const char csv[] = "id,title\nd1,One\nd2,Two\nd1,Again\n";
		const char *const needles[] = { "dup.csv:4:", "'d1'", "line 2", NULL };
		bad_records(&f, "dup.csv", csv, sizeof(csv) - 1, needles);
	}
	{
		static const char csv[] = "id,title\nq1,One\nq2,\"never closed\nq3,Three\n";
		const char *const needles[] = { "quote.csv:3:", "unterminated", NULL };
		bad_records(&f, "quote.csv", csv, sizeof(csv) - 1, needles);
	}
	/* a workbook cut in half, and one with garbage in the middle */
	x = path_in(&f, "team.xlsx");
	write_team_xlsx(x, 0);
	content = sra_test_read_file(x);
	fp = fopen(x, "rb");
	fseek(fp, 0, SEEK_END);
	len = (size_t)ftell(fp);
	fclose(fp);
	{
		const char *const needles[] = { "truncated.xlsx", "truncated or corrupt", NULL };
		bad_records(&f, "truncated.xlsx", content, len / 2, needles);
	}
	{
		size_t i;
		const char *const needles[] = { "corrupt.xlsx", "corrupt", NULL };
		for (i = len / 4; i < len / 4 + 400 && i < len; i++)
			content[i] = (char)(i * 7);
		bad_records(&f, "corrupt.xlsx", content, len, needles);
	}
	free(content);
	free(x);
	fx_close(&f);
}

static void test_import_records__bad_input_sqlite(void **state) { (void)state; bad_input(0); }
static void test_import_records__bad_input_pg(void **state) { (void)state; bad_input(1); }

/* ---- spreadsheets as people leave them ------------------------------------------------ */

/*
 * The team's layout with what people do to it: a formula with a cached
 * value in a record, a record with an abstract and no title, a column gap,
 * a totals block below an empty key that reaches one column past the header
 * (with a formula), a second sheet.  `after`: a record row after the totals
 * (a gap in the data); `total_id`: the totals row has "Total" in the key
 * column.
 */
static void write_left_xlsx(const char *path, int after, int total_id)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Human results");
	lxw_worksheet *ai = workbook_add_worksheet(wb, "AI results");
	lxw_col_t c;

	for (c = 0; c < 25; c++)
		worksheet_write_string(ws, 0, c, team_cols[c], NULL);
	worksheet_write_string(ws, 1, 0, "rayyan-1", NULL);
	worksheet_write_formula_str(ws, 1, 1, "=\"Formula \" & \"title\"", NULL, "Formula title");
	worksheet_write_formula_num(ws, 1, 2, "=2018+1", NULL, 2019);
	worksheet_write_string(ws, 1, 21, "Y", NULL);
	worksheet_write_string(ws, 2, 0, "rayyan-2", NULL);
	/* no title: only an abstract; columns 1-14 are a gap */
	worksheet_write_string(ws, 2, 15, "Only an abstract", NULL);
	worksheet_write_string(ws, 2, 21, "N", NULL);
	worksheet_write_string(ws, 3, 0, "rayyan-3", NULL);
	worksheet_write_string(ws, 3, 1, "Third", NULL);
	worksheet_write_formula_str(ws, 3, 21, "=IF(1>0,\"Y\",\"N\")", NULL, "Y");
	/* the totals block: an empty key (or "Total"), counts in V..Z, Z past the header */
	if (total_id)
		worksheet_write_string(ws, 5, 0, "Total", NULL);
	worksheet_write_string(ws, 5, 21, "Y", NULL);
	worksheet_write_formula_num(ws, 5, 22, "=COUNTIF(V2:V4,\"Y\")", NULL, 2);
	worksheet_write_string(ws, 5, 25, "included", NULL);
	worksheet_write_string(ws, 6, 21, "N", NULL);
	worksheet_write_number(ws, 6, 25, 1, NULL);
	if (after) {
		worksheet_write_string(ws, 8, 0, "rayyan-9", NULL);
		worksheet_write_string(ws, 8, 1, "After the totals", NULL);
	}
	worksheet_write_string(ai, 0, 0, "key", NULL);
	worksheet_write_string(ai, 0, 1, "title", NULL);
	worksheet_write_string(ai, 1, 0, "ai-1", NULL);
	worksheet_write_string(ai, 1, 1, "On the second sheet", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* the same workbook with the cached value of the formula in C2 taken out (as openpyxl writes it) */
static void drop_cached_value(const char *path)
{
	int st;
	char *out = sra_test_run(&st,
		"python3 -c 'import sys, zipfile\n"
		"p = sys.argv[1]\n"
		"z = zipfile.ZipFile(p)\n"
		"items = [(i, z.read(i.filename)) for i in z.infolist()]\n"
		"z.close()\n"
		"with zipfile.ZipFile(p, \"w\", zipfile.ZIP_DEFLATED) as w:\n"
		"    for i, d in items:\n"
		"        if i.filename == \"xl/worksheets/sheet1.xml\":\n"
		"            n = d.count(b\"<f>2018+1</f><v>2019</v>\")\n"
		"            assert n == 1, n\n"
		"            d = d.replace(b\"<f>2018+1</f><v>2019</v>\", b\"<f>2018+1</f><v></v>\")\n"
		"        w.writestr(i, d)\n' '%s'", path);
	assert_int_equal(st, 0);
	free(out);
}

static void spreadsheet_rules(int pg)
{
	fx f;
	sra_import_summary s;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	char *p, *content;
	sra_rows *rows;
	unsigned long long h;
	size_t len;
	FILE *fp;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	p = path_in(&f, "left.xlsx");
	write_left_xlsx(p, 0, 0);
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.inserted, 3);
	assert_int_equal(s.untitled, 1);
	assert_int_equal(s.end_line, 6);
	assert_int_equal(s.ignored, 2);
	sra_import_summary_dispose(&s);
	rows = q(&f, "SELECT source_id, title, coalesce(abstract, '-'), coalesce(year, '-'), coalesce(journal, '-') "
		 "FROM search_results ORDER BY source_id");
	assert_int_equal(rows->nrows, 3);
	assert_string_equal(sra_rows_get(rows, 0, 1), "Formula title");
	assert_string_equal(sra_rows_get(rows, 0, 3), "2019");
	assert_string_equal(sra_rows_get(rows, 1, 1), "");
	assert_string_equal(sra_rows_get(rows, 1, 2), "Only an abstract");
	assert_string_equal(sra_rows_get(rows, 1, 4), "-");
	assert_string_equal(sra_rows_get(rows, 2, 1), "Third");
	sra_rows_free(rows);
	assert_int_equal(q_int(&f, pg ? "SELECT count(*) FROM search_results WHERE source_metadata->>'benchmark_human_decision' = 'true'"
				      : "SELECT count(*) FROM search_results WHERE json_extract(source_metadata, '$.benchmark_human_decision') = 1"), 2);
	/* again: nothing changes; the second sheet by name */
	h = db_hash(&f);
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.unchanged, 3);
	sra_import_summary_dispose(&s);
	assert_true(h == db_hash(&f));
	o.sheet = "AI results";
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.inserted, 1);
	sra_import_summary_dispose(&s);
	free(p);

	/* the bad ones: each names its lines or cell and changes nothing */
	{
		const char *const needles[] = { "gap.xlsx:9:", "'rayyan-9'", "line 6", NULL };
		p = path_in(&f, "gap-src.xlsx");
		write_left_xlsx(p, 1, 0);
		content = sra_test_read_file(p);
		fp = fopen(p, "rb");
		fseek(fp, 0, SEEK_END);
		len = (size_t)ftell(fp);
		fclose(fp);
		bad_records(&f, "gap.xlsx", content, len, needles);
		free(content);
		free(p);
	}
	{
		const char *const needles[] = { "total.xlsx:6:", "'Total'", "neither a title nor an abstract", NULL };
		p = path_in(&f, "total-src.xlsx");
		write_left_xlsx(p, 0, 1);
		content = sra_test_read_file(p);
		fp = fopen(p, "rb");
		fseek(fp, 0, SEEK_END);
		len = (size_t)ftell(fp);
		fclose(fp);
		bad_records(&f, "total.xlsx", content, len, needles);
		free(content);
		free(p);
	}
	{
		const char *const needles[] = { "nocache.xlsx: sheet row 2, cell C2: a formula without a cached value", NULL };
		p = path_in(&f, "nocache-src.xlsx");
		write_left_xlsx(p, 0, 0);
		drop_cached_value(p);
		content = sra_test_read_file(p);
		fp = fopen(p, "rb");
		fseek(fp, 0, SEEK_END);
		len = (size_t)ftell(fp);
		fclose(fp);
		bad_records(&f, "nocache.xlsx", content, len, needles);
		free(content);
		free(p);
	}
	{
		static const char csv[] = "id,title,abstract,human_decision\nt1,One,,Y\nTotal,,,1\n";
		const char *const needles[] = { "totalrow.csv:3:", "'Total'", "neither a title nor an abstract", NULL };
		bad_records(&f, "totalrow.csv", csv, sizeof(csv) - 1, needles);
	}
	{
		static const char csv[] = "id,title\ng1,One\n,,,,7\ng2,Two\n";
		const char *const needles[] = { "gap.csv:4:", "'g2'", "line 3", NULL };
		bad_records(&f, "gap.csv", csv, sizeof(csv) - 1, needles);
	}
	fx_close(&f);
}

static void test_import_records__spreadsheet_rules_sqlite(void **state) { (void)state; spreadsheet_rules(0); }
static void test_import_records__spreadsheet_rules_pg(void **state) { (void)state; spreadsheet_rules(1); }

/* ---- AI decisions --------------------------------------------------------------------- */

static void decisions(int pg)
{
	fx f;
	sra_import_summary s;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	char *p;
	sra_rows *rows;
	unsigned long long h;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	p = path_in(&f, "recs.csv");
	sra_test_write_file(p, "id,title,human_decision\nr1,One,Y\nr2,Two,N\nr3,Three,Y\nr4,Four,N\nr5,Five,N\n");
	sra_assert_ok(import_records(&f, &s, p, NULL));
	sra_import_summary_dispose(&s);
	free(p);

	p = path_in(&f, "ai.jsonl");
	sra_test_write_file(p,
		/* r1: agree include, confident → include */
		"{\"source_id\": \"r1\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.9, \"rationale\": \"fits\", \"model\": \"gpt-4o\", \"quotes\": [\"a \\\"q\\\"\", \"b\"], \"exclusion_reasons\": {\"population\": []}, \"trace_id\": \"7A1C3E5B-0000-4000-8000-000000000001\", \"start_time\": \"2025-05-20T05:37:52.123+02:00\", \"end_time\": \"2025-05-20T03:37:53Z\"}\n"
		"{\"source_id\": \"r1\", \"reviewer\": \"comprehensive\", \"decision\": \"include\", \"confidence\": 1}\n"
		"\n"
		/* r2: disagree, resolver says exclude → exclude */
		"{\"source_id\": \"r2\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.8}\n"
		"{\"source_id\": \"r2\", \"reviewer\": \"comprehensive\", \"decision\": \"exclude\", \"confidence\": 0.8}\n"
		"{\"source_id\": \"r2\", \"reviewer\": \"resolver\", \"decision\": \"exclude\", \"confidence\": 0.75, \"rationale\": \"on balance\", \"run_id\": \"11111111-2222-4333-8444-555555555555\"}\n"
		/* r3: disagree, no resolver → uncertain */
		"{\"source_id\": \"r3\", \"reviewer\": \"conservative\", \"decision\": \"exclude\", \"confidence\": 0.9}\n"
		"{\"source_id\": \"r3\", \"reviewer\": \"comprehensive\", \"decision\": \"include\", \"confidence\": 0.9}\n"
		/* r4: one reviewer only → uncertain */
		"{\"source_id\": \"r4\", \"reviewer\": \"conservative\", \"decision\": \"exclude\", \"confidence\": 0.2}\n");
	sra_assert_ok(sra_import_decisions(&s, f.db, f.review, p, &o));
	assert_int_equal(s.format, SRA_IMPORT_JSONL);
	assert_int_equal(s.inserted, 8);
	assert_int_equal(s.unchanged + s.updated + s.invalid, 0);
	sra_import_summary_dispose(&s);

	rows = q(&f, "SELECT s.source_id, s.final_decision, c.decision, c.rationale, c.model_name, m.model_name, r.resolver_decision, r.id "
		     "FROM search_results s LEFT JOIN screen_abstract_results c ON c.id = s.conservative_result_id "
		     "LEFT JOIN screen_abstract_results m ON m.id = s.comprehensive_result_id "
		     "LEFT JOIN screening_resolutions r ON r.id = s.resolution_id ORDER BY s.source_id");
	assert_int_equal(rows->nrows, 5);
	assert_string_equal(sra_rows_get(rows, 0, 1), "include");
	assert_string_equal(sra_rows_get(rows, 0, 3), "fits");
	assert_string_equal(sra_rows_get(rows, 0, 4), "gpt-4o");
	assert_string_equal(sra_rows_get(rows, 0, 5), "unknown");
	assert_string_equal(sra_rows_get(rows, 1, 1), "exclude");
	assert_string_equal(sra_rows_get(rows, 1, 6), "exclude");
	assert_string_equal(sra_rows_get(rows, 1, 7), "11111111-2222-4333-8444-555555555555");
	assert_string_equal(sra_rows_get(rows, 2, 1), "uncertain");
	assert_string_equal(sra_rows_get(rows, 3, 1), "uncertain");
	assert_null(sra_rows_get(rows, 4, 1));	/* unscreened */
	sra_rows_free(rows);
	assert_int_equal(q_int(&f, pg ? "SELECT count(*) FROM screen_abstract_results WHERE rationale = '' AND extracted_quotes IS NULL"
				       : "SELECT count(*) FROM screen_abstract_results WHERE rationale = '' AND extracted_quotes IS NULL"), 6);
	rows = q(&f, pg ? "SELECT extracted_quotes, trace_id, start_time = '2025-05-20T03:37:52.123Z'::timestamptz FROM screen_abstract_results WHERE rationale = 'fits'"
			: "SELECT extracted_quotes, trace_id, start_time = '2025-05-20T03:37:52.123Z' FROM screen_abstract_results WHERE rationale = 'fits'");
	assert_string_equal(sra_rows_get(rows, 0, 0), pg ? "{\"a \\\"q\\\"\",b}" : "[\"a \\\"q\\\"\",\"b\"]");
	assert_string_equal(sra_rows_get(rows, 0, 1), "7a1c3e5b-0000-4000-8000-000000000001");
	assert_string_equal(sra_rows_get(rows, 0, 2), pg ? "t" : "1");
	sra_rows_free(rows);

	/* the same file again: nothing changes */
	h = db_hash(&f);
	sra_assert_ok(sra_import_decisions(&s, f.db, f.review, p, &o));
	assert_int_equal(s.unchanged, 8);
	assert_int_equal(s.inserted + s.updated, 0);
	sra_import_summary_dispose(&s);
	assert_true(h == db_hash(&f));
	free(p);

	/* CSV with the same columns: r3 gets a resolver (include), r4 a second reviewer */
	p = path_in(&f, "ai.csv");
	sra_test_write_file(p, "source_id,reviewer,decision,confidence,rationale,quotes\n"
			       "r3,resolver,include,0.6,\"both, maybe\",\n"
			       "r4,comprehensive,exclude,0.95,,x;y\n");
	sra_assert_ok(sra_import_decisions(&s, f.db, f.review, p, &o));
	assert_int_equal(s.format, SRA_IMPORT_CSV);
	assert_int_equal(s.inserted, 2);
	sra_import_summary_dispose(&s);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE source_id = 'r3' AND final_decision = 'include'"), 1);
	/* r4: both exclude, but one confidence (0.2) is below 0.7: the resolver was needed and never ran */
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE source_id = 'r4' AND final_decision = 'uncertain'"), 1);
	free(p);

	/* bad decision files: each leaves everything as it was */
	{
		static const struct { const char *name, *text, *needles[4]; } bad[] = {
			{ "conf15.jsonl", "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.5}\n"
					  "{\"source_id\": \"r1\", \"reviewer\": \"resolver\", \"decision\": \"include\", \"confidence\": 1.5}\n",
			  { "conf15.jsonl:2:", "confidence", "1.5", NULL } },
			{ "nan.jsonl", "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": NaN}\n",
			  { "nan.jsonl:1:", "invalid JSON", NULL, NULL } },
			{ "nan.csv", "source_id,reviewer,decision,confidence\nr5,conservative,include,0.5\nr5,comprehensive,include,NaN\n",
			  { "nan.csv:3:", "confidence", "'NaN'", NULL } },
			{ "missing.jsonl", "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.5}\n"
					   "{\"source_id\": \"nope-42\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.5}\n",
			  { "missing.jsonl:2:", "'nope-42'", "not a record", NULL } },
			{ "twice.jsonl", "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.5}\n"
					 "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"exclude\", \"confidence\": 0.5}\n",
			  { "twice.jsonl:2:", "line 1", NULL, NULL } },
			{ "badrev.jsonl", "{\"source_id\": \"r5\", \"reviewer\": \"human\", \"decision\": \"include\", \"confidence\": 0.5}\n",
			  { "badrev.jsonl:1:", "reviewer", NULL, NULL } },
		};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			long long n = q_int(&f, "SELECT count(*) FROM screen_abstract_results");
			h = db_hash(&f);
			p = path_in(&f, bad[i].name);
			sra_test_write_file(p, bad[i].text);
			expect_untouched(&f, sra_import_decisions(&s, f.db, f.review, p, &o), bad[i].needles);
			assert_int_equal(q_int(&f, "SELECT count(*) FROM screen_abstract_results"), n);
			assert_true(h == db_hash(&f));
			free(p);
		}
	}
	/* --skip-invalid keeps the good line */
	p = path_in(&f, "mixed.jsonl");
	sra_test_write_file(p, "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.5}\n"
			       "{\"source_id\": \"r5\", \"reviewer\": \"comprehensive\", \"decision\": \"include\", \"confidence\": 1.5}\n");
	o.skip_invalid = 1;
	sra_assert_ok(sra_import_decisions(&s, f.db, f.review, p, &o));
	assert_int_equal(s.inserted, 1);
	assert_int_equal(s.invalid, 1);
	assert_int_equal(s.problems[0].line, 2);
	sra_import_summary_dispose(&s);
	free(p);
	fx_close(&f);
}

static void test_import_decisions__jsonl_and_csv_sqlite(void **state) { (void)state; decisions(0); }
static void test_import_decisions__jsonl_and_csv_pg(void **state) { (void)state; decisions(1); }

/* ---- helpers without a database --------------------------------------------------------- */

/*
 * The final-decision rule of benchmark.md on every branch: each reviewer
 * include / exclude / uncertain at the threshold (0.7, which is not below it)
 * or below it (0.69), or missing; the resolver include / exclude / uncertain
 * or missing.  7 x 7 x 4 = 196 records.  The expected finals are written out
 * here by hand, not computed: I include, E exclude, U uncertain, - none
 * stored (no AI decision at all: NULL, unscreened; a run's item says
 * uncertain).  Rows: the conservative reviewer's state, columns the
 * comprehensive reviewer's, in the order of `state` below.
 */
static const char *const rule_table[4][7] = {
	{ /* resolver include: the resolver's decision, whatever the reviewers said */
	  "IIIIIII", "IIIIIII", "IIIIIII", "IIIIIII", "IIIIIII", "IIIIIII", "IIIIIII" },
	{ /* resolver exclude */
	  "EEEEEEE", "EEEEEEE", "EEEEEEE", "EEEEEEE", "EEEEEEE", "EEEEEEE", "EEEEEEE" },
	{ /* resolver uncertain: still the resolver's */
	  "UUUUUUU", "UUUUUUU", "UUUUUUU", "UUUUUUU", "UUUUUUU", "UUUUUUU", "UUUUUUU" },
	{ /* no resolution: only agreement on include/exclude, both confident, stands */
	  /*  I.7 I.69 E.7 E.69 U.7 U.69 none */
	  "IUUUUUU",	/* conservative include 0.7 */
	  "UUUUUUU",	/* include 0.69 */
	  "UUEUUUU",	/* exclude 0.7 */
	  "UUUUUUU",	/* exclude 0.69 */
	  "UUUUUUU",	/* uncertain 0.7 */
	  "UUUUUUU",	/* uncertain 0.69 */
	  "UUUUUU-" },	/* missing */
};

static const char *rule_word(char c)
{
	return c == 'I' ? "include" : c == 'E' ? "exclude" : c == 'U' ? "uncertain" : NULL;
}

static void check_rule_table(fx *f, const char *run)
{
	char sql[600];
	sra_rows *rows;
	size_t r;

	snprintf(sql, sizeof(sql),
		 "SELECT s.source_id, s.final_decision, i.final_decision FROM search_results s "
		 "JOIN benchmark_result_items i ON i.search_result_id = s.id AND i.benchmark_run_id = '%s' "
		 "ORDER BY s.source_id", run);
	rows = q(f, sql);
	assert_int_equal(rows->nrows, 196);
	for (r = 0; r < rows->nrows; r++) {
		const char *id = sra_rows_get(rows, r, 0), *stored = sra_rows_get(rows, r, 1);
		const char *item = sra_rows_get(rows, r, 2), *want;
		int cs = id[1] - '0', ms = id[3] - '0', rs = id[5] - '0';
		want = rule_word(rule_table[rs][cs][ms]);
		if (want ? !stored || strcmp(stored, want) != 0 : stored != NULL)
			fail_msg("%s: stored final_decision %s, the table says %s", id, stored ? stored : "NULL",
				 want ? want : "NULL");
		if (strcmp(item, want ? want : "uncertain") != 0)
			fail_msg("%s: the run's item says %s, the table %s", id, item, want ? want : "uncertain");
	}
	sra_rows_free(rows);
}

static void rule_branches(int pg)
{
	static const struct { const char *decision, *confidence; } state[7] = {
		{ "include", "0.7" }, { "include", "0.69" }, { "exclude", "0.7" }, { "exclude", "0.69" },
		{ "uncertain", "0.7" }, { "uncertain", "0.69" }, { NULL, NULL }
	};
	static const char *const resolver[4] = { "include", "exclude", "uncertain", NULL };
	fx f;
	sra_import_summary s;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	sra_buf recs = SRA_BUF_INIT, ai = SRA_BUF_INIT;
	char *p, *run = NULL, *run2 = NULL;
	int64_t changed = -1;
	int c, m, r;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	sra_buf_puts(&recs, "id,title,human_decision\n");
	for (c = 0; c < 7; c++)
		for (m = 0; m < 7; m++)
			for (r = 0; r < 4; r++) {
				char id[16];
				snprintf(id, sizeof(id), "c%dm%dr%d", c, m, r);
				sra_buf_printf(&recs, "%s,Record %s,Y\n", id, id);
				if (state[c].decision)
					sra_buf_printf(&ai, "{\"source_id\": \"%s\", \"reviewer\": \"conservative\", "
						       "\"decision\": \"%s\", \"confidence\": %s}\n",
						       id, state[c].decision, state[c].confidence);
				if (state[m].decision)
					sra_buf_printf(&ai, "{\"source_id\": \"%s\", \"reviewer\": \"comprehensive\", "
						       "\"decision\": \"%s\", \"confidence\": %s}\n",
						       id, state[m].decision, state[m].confidence);
				if (resolver[r])
					sra_buf_printf(&ai, "{\"source_id\": \"%s\", \"reviewer\": \"resolver\", "
						       "\"decision\": \"%s\", \"confidence\": 0.5}\n", id, resolver[r]);
			}
	p = path_in(&f, "recs.csv");
	sra_test_write_file(p, sra_buf_cstr(&recs));
	sra_assert_ok(import_records(&f, &s, p, NULL));
	sra_import_summary_dispose(&s);
	free(p);
	p = path_in(&f, "ai.jsonl");
	sra_test_write_file(p, sra_buf_cstr(&ai));
	sra_assert_ok(sra_import_decisions(&s, f.db, f.review, p, &o));	/* default threshold 0.7 */
	sra_import_summary_dispose(&s);
	free(p);

	bo.review_id = f.review;
	sra_assert_ok(sra_benchmark_run(&run, f.db, &bo));
	check_rule_table(&f, run);

	/* recompute changes nothing at the same threshold; puts back what was tampered with */
	sra_assert_ok(sra_review_recompute(&changed, f.db, f.review, 0.7));
	assert_int_equal(changed, 0);
	sra_rows_free(q(&f, "UPDATE search_results SET final_decision = 'exclude' "
			"WHERE source_id IN ('c0m0r3', 'c6m5r2', 'c4m4r3')"));
	sra_assert_ok(sra_review_recompute(&changed, f.db, f.review, 0.7));
	assert_int_equal(changed, 3);
	check_rule_table(&f, run);
	/* at 0.6 every 0.69 is confident: without a resolver, c0m1 c1m0 c1m1 agree on include and
	 * c2m3 c3m2 c3m3 on exclude -- six changes; a run at 0.6 agrees with every stored one */
	sra_assert_ok(sra_review_recompute(&changed, f.db, f.review, 0.6));
	assert_int_equal(changed, 6);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE final_decision = 'include' "
			       "AND source_id IN ('c0m1r3', 'c1m0r3', 'c1m1r3')"), 3);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE final_decision = 'exclude' "
			       "AND source_id IN ('c2m3r3', 'c3m2r3', 'c3m3r3')"), 3);
	bo.threshold = 0.6;
	sra_assert_ok(sra_benchmark_run(&run2, f.db, &bo));
	{
		char sql[400];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM search_results s JOIN benchmark_result_items i "
			 "ON i.search_result_id = s.id AND i.benchmark_run_id = '%s' "
			 "WHERE COALESCE(CAST(s.final_decision AS text), 'uncertain') = CAST(i.final_decision AS text)", run2);
		assert_int_equal(q_int(&f, sql), 196);
	}
	free(run);
	free(run2);
	sra_buf_dispose(&recs);
	sra_buf_dispose(&ai);
	fx_close(&f);
}

static void test_final_decision__every_branch_sqlite(void **state) { (void)state; rule_branches(0); }
static void test_final_decision__every_branch_pg(void **state) { (void)state; rule_branches(1); }

/*
 * raw_data's JSON strings, read back by jansson (an independent parser):
 * random text of every escape class -- control bytes, quotes, backslashes,
 * UTF-8 of 2 to 4 bytes -- at every offset of the 8-byte steps.
 */
static void test_import_json_string__round_trip(void **state)
{
	static const char *const pieces[] = {
		"a", "b", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\x01", "\x1f", "\x7f",
		"/", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "abcdefgh", "12345678901234567",
	};
	char text[256];
	sra_buf b = SRA_BUF_INIT;
	unsigned seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t n = 0, want = (seed = seed * 1103515245u + 12345u) % 40;
		json_error_t jerr;
		json_t *v;

		while (want--) {
			const char *p = pieces[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			if (n + strlen(p) >= sizeof(text))
				break;
			memcpy(text + n, p, strlen(p));
			n += strlen(p);
		}
		sra_buf_clear(&b);
		sra_import__json_string(&b, text, n);
		v = json_loadb(b.ptr, b.size, JSON_DECODE_ANY, &jerr);
		if (!v)
			fail_msg("jansson rejects %s: %s", b.ptr, jerr.text);
		assert_true(json_is_string(v));
		assert_int_equal(json_string_length(v), n);
		assert_memory_equal(json_string_value(v), text, n);
		json_decref(v);
	}
	sra_buf_dispose(&b);
}

/*
 * sra_import_options by version: a caller built against version 1 has no
 * `decision` field, so whatever lies there is never read; a version the
 * library does not know is refused before anything is opened.
 */
static void test_import_options__versions(void **state)
{
	fx f;
	sra_import_summary s;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	const char *const bogus[] = { "--decision 'sideways'", NULL };
	const char *const unknown[] = { "sra_import_options version 99", NULL };
	char *p;

	(void)state;
	assert_int_equal(SRA_IMPORT_OPTIONS_VERSION, 3);
	if (fx_open(&f, 0) < 0)
		fail_msg("no SQLite fixture");
	p = path_in(&f, "v.csv");
	sra_test_write_file(p, "record_id,title,abstract,label\nv1,A title,An abstract,1\n");
	o.human_column = "label";
	o.decision = "sideways";	/* a version-2 field: refused as a value */
	memset(&s, 0, sizeof(s));
	expect_untouched(&f, sra_import_records(&s, f.db, f.review, p, &o), bogus);
	o.version = 1;			/* the same bytes from a version-1 caller: not read */
	memset(&s, 0, sizeof(s));
	sra_assert_ok(sra_import_records(&s, f.db, f.review, p, &o));
	assert_int_equal(s.inserted, 1);
	sra_import_summary_dispose(&s);
	assert_int_equal(q_int(&f, "SELECT count(*) FROM search_results WHERE source_id = 'v1' AND json_extract(source_metadata, '$.benchmark_human_decision') = 1"), 1);
	o.version = 99;
	memset(&s, 0, sizeof(s));
	expect_untouched(&f, sra_import_records(&s, f.db, f.review, p, &o), unknown);
	o.version = 0;
	assert_int_equal(sra_import_decisions(&s, f.db, f.review, p, &o), SRA_EINVALID);
	free(p);
	fx_close(&f);
}

static void test_import_detect__formats(void **state)
{
	char *dir = sra_test_tmpdir(), path[4096];
	sra_import_format fmt;

	(void)state;
	snprintf(path, sizeof(path), "%s/a", dir);
	sra_test_write_file(path, "\xef\xbb\xbf" "a\tb\tc\n1\t2\t3\n");
	sra_assert_ok(sra_import_detect_format(&fmt, path, 0));
	assert_int_equal(fmt, SRA_IMPORT_TSV);
	sra_test_write_file(path, "\"a\tb\",c\n");
	sra_assert_ok(sra_import_detect_format(&fmt, path, 0));
	assert_int_equal(fmt, SRA_IMPORT_CSV);
	sra_test_write_file(path, "  {\"a\": 1}\n");
	sra_assert_ok(sra_import_detect_format(&fmt, path, 1));
	assert_int_equal(fmt, SRA_IMPORT_JSONL);
	sra_test_write_file(path, "PK\x03\x04rest");
	sra_assert_ok(sra_import_detect_format(&fmt, path, 0));
	assert_int_equal(fmt, SRA_IMPORT_XLSX);
	sra_test_write_file(path, "\xd0\xcf\x11\xe0 old excel");
	assert_int_equal(sra_import_detect_format(&fmt, path, 0), SRA_EINVALID);
	sra_test_write_file(path, "");
	assert_int_equal(sra_import_detect_format(&fmt, path, 0), SRA_EINVALID);
	sra_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_final_decision__every_branch_sqlite),
		cmocka_unit_test(test_final_decision__every_branch_pg),
		cmocka_unit_test(test_import_detect__formats),
		cmocka_unit_test(test_import_json_string__round_trip),
		cmocka_unit_test(test_import_records__small_csv_sqlite),
		cmocka_unit_test(test_import_records__small_csv_pg),
		cmocka_unit_test(test_import_records__mixed_rows_sqlite),
		cmocka_unit_test(test_import_records__mixed_rows_pg),
		cmocka_unit_test(test_import_records__real_data_sqlite),
		cmocka_unit_test(test_import_records__real_data_pg),
		cmocka_unit_test(test_import_xlsx__shared_strings_sqlite),
		cmocka_unit_test(test_import_xlsx__inline_strings_sqlite),
		cmocka_unit_test(test_import_xlsx__shared_strings_pg),
		cmocka_unit_test(test_import_xlsx__inline_strings_pg),
		cmocka_unit_test(test_import_records__bad_input_sqlite),
		cmocka_unit_test(test_import_records__bad_input_pg),
		cmocka_unit_test(test_import_records__spreadsheet_rules_sqlite),
		cmocka_unit_test(test_import_records__spreadsheet_rules_pg),
		cmocka_unit_test(test_import_decisions__jsonl_and_csv_sqlite),
		cmocka_unit_test(test_import_decisions__jsonl_and_csv_pg),
		cmocka_unit_test(test_import_options__versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
