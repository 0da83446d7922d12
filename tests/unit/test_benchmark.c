/*
 * Benchmark runs (include/sra/benchmark.h) on SQLite and PostgreSQL:
 * reviews built by SQL inserts whose final decisions give the reference
 * tables of benchmark.md, the stored typed columns compared with the spec's
 * values to 1e-6 (NULL where undefined), the uncertain policies and the
 * threshold, metrics_detail's layout, empty reviews, run ids by prefix,
 * items and exports, compare and delete, and the exact McNemar test.
 */
#include "testutil.h"
#include "benchmark_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sra/sra.h>
#include <sra/benchmark.h>
#include <sra/migrate.h>
#include <sra/sys/backend.h>

typedef struct {
	const char *dialect;
	char *dir;
	char *url;
	sra_db *db;
	int counter;	/* makes ids unique within a database */
} fixture;

static fixture sqlite_fx = { "sqlite", NULL, NULL, NULL, 0 };
static fixture pg_fx = { "postgresql", NULL, NULL, NULL, 0 };

/* each group's database, shared by its cases */
static int group_open(fixture *f)
{
	f->url = sra_test_db_url(&f->dir, f->dialect, "bench.db");
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

/* open, and bring to head the first time */
static int setup(void **state)
{
	fixture *f = *state;
	sra_open_options oo = SRA_OPEN_OPTIONS_INIT;
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_chain *chain = NULL;

	if (!f->url)
		return 0;
	sra_assert_ok(sra_db_open(&f->db, f->url, &oo));
	sra_assert_ok(sra_chain_load(&chain, NULL));
	sra_assert_ok(sra_migrate_upgrade(f->db, chain, "head", &mo));
	sra_chain_free(chain);
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	sra_db_free(f->db);
	f->db = NULL;
	return 0;
}

static sra_db *need(fixture *f)
{
	if (!f->url)
		skip();
	return f->db;
}

static void make_id(fixture *f, char out[37])
{
	snprintf(out, 37, "00000000-0000-4000-8000-%012x", ++f->counter);
}

/* ---- building reviews by SQL --------------------------------------------- */

/* `count` records alike: human 1/0/-1 (unknown), each reviewer's decision (NULL: none) */
typedef struct {
	int count;
	int human;
	const char *cd;
	double cc;
	const char *md;
	double mc;
	const char *rd;		/* the resolver's decision, or NULL for no resolution */
} pattern;

static void make_review(fixture *f, char review[37])
{
	sra_backend *be = sra_db__backend(f->db);
	sra_value p[1];

	make_id(f, review);
	p[0] = SRA_VAL_TEXT(review);
	sra_assert_ok(be->ops->query(NULL, be,
		"INSERT INTO systematic_reviews (id, research_question, exclusion_criteria)"
		" VALUES ($1, 'Q?', 'none')", p, 1));
}

static void add_records(fixture *f, const char *review, const pattern *pats, size_t npats)
{
	sra_backend *be = sra_db__backend(f->db);
	sra_stmt *res = NULL, *rec = NULL, *rsl = NULL, *link = NULL;
	size_t k;
	int i;

	sra_assert_ok(be->ops->begin(be));
	sra_assert_ok(be->ops->prepare(&res, be,
		"INSERT INTO screen_abstract_results (id, decision, confidence_score, rationale,"
		" screening_strategy, model_name, review_id) VALUES ($1, $2, $3, $4, $5, 'test-model', $6)"));
	sra_assert_ok(be->ops->prepare(&rec, be,
		"INSERT INTO search_results (id, review_id, source_db, source_id, title, source_metadata,"
		" conservative_result_id, comprehensive_result_id) VALUES ($1, $2, 'Other', $3, $4, $5, $6, $7)"));
	sra_assert_ok(be->ops->prepare(&rsl, be,
		"INSERT INTO screening_resolutions (id, search_result_id, review_id, resolver_decision,"
		" resolver_reasoning, resolver_confidence_score) VALUES ($1, $2, $3, $4, 'resolved', 0.8)"));
	sra_assert_ok(be->ops->prepare(&link, be, "UPDATE search_results SET resolution_id = $1 WHERE id = $2"));
	for (k = 0; k < npats; k++) {
		const pattern *pt = &pats[k];

		for (i = 0; i < pt->count; i++) {
			char rid[37], cid[37], mid[37], sid[37], source[32], title[80];
			const char *meta = pt->human < 0 ? "{\"benchmark_human_decision\": null}"
				: pt->human ? "{\"benchmark_human_decision\": true}"
				: "{\"benchmark_human_decision\": false}";
			sra_value v[7];

			make_id(f, rid);
			if (pt->cd) {
				make_id(f, cid);
				v[0] = SRA_VAL_TEXT(cid); v[1] = SRA_VAL_TEXT(pt->cd); v[2] = SRA_VAL_REAL(pt->cc);
				v[3] = SRA_VAL_TEXT("c"); v[4] = SRA_VAL_TEXT("conservative"); v[5] = SRA_VAL_TEXT(review);
				sra_assert_ok(be->ops->execute(res, v, 6));
			}
			if (pt->md) {
				make_id(f, mid);
				v[0] = SRA_VAL_TEXT(mid); v[1] = SRA_VAL_TEXT(pt->md); v[2] = SRA_VAL_REAL(pt->mc);
				v[3] = SRA_VAL_TEXT("m"); v[4] = SRA_VAL_TEXT("comprehensive"); v[5] = SRA_VAL_TEXT(review);
				sra_assert_ok(be->ops->execute(res, v, 6));
			}
			snprintf(source, sizeof(source), "rec-%06d", f->counter);
			snprintf(title, sizeof(title), "Title, \"quoted\"\nof %s", source);
			v[0] = SRA_VAL_TEXT(rid); v[1] = SRA_VAL_TEXT(review); v[2] = SRA_VAL_TEXT(source);
			v[3] = SRA_VAL_TEXT(title); v[4] = SRA_VAL_TEXT(meta);
			v[5] = SRA_VAL_TEXT(pt->cd ? cid : NULL); v[6] = SRA_VAL_TEXT(pt->md ? mid : NULL);
			sra_assert_ok(be->ops->execute(rec, v, 7));
			if (pt->rd) {
				make_id(f, sid);
				v[0] = SRA_VAL_TEXT(sid); v[1] = SRA_VAL_TEXT(rid); v[2] = SRA_VAL_TEXT(review);
				v[3] = SRA_VAL_TEXT(pt->rd);
				sra_assert_ok(be->ops->execute(rsl, v, 4));
				v[0] = SRA_VAL_TEXT(sid); v[1] = SRA_VAL_TEXT(rid);
				sra_assert_ok(be->ops->execute(link, v, 2));
			}
		}
	}
	be->ops->finalize(res);
	be->ops->finalize(rec);
	be->ops->finalize(rsl);
	be->ops->finalize(link);
	sra_assert_ok(be->ops->commit(be));
}

/* a simple table: every record by agreement with high confidence */
static void add_table(fixture *f, const char *review, int tp, int fp, int fn, int tn)
{
	const pattern pats[] = {
		{ tp, 1, "include", 0.9, "include", 0.9, NULL },
		{ fp, 0, "include", 0.9, "include", 0.9, NULL },
		{ fn, 1, "exclude", 0.9, "exclude", 0.9, NULL },
		{ tn, 0, "exclude", 0.9, "exclude", 0.9, NULL },
	};

	add_records(f, review, pats, 4);
}

static char *run(fixture *f, const char *review, sra_uncertain_policy policy, double threshold)
{
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	char *id = NULL;

	bo.review_id = review;
	bo.uncertain = policy;
	bo.threshold = threshold;
	bo.config_json = "{\"model\": \"gpt-test\", \"batch\": 10}";
	bo.notes = "unit test";
	sra_assert_ok(sra_benchmark_run(&id, f->db, &bo));
	assert_non_null(id);
	return id;
}

/* the typed columns of a run */
typedef struct {
	long long tp, fp, fn, tn, n_items, n_unknown, n_uncertain;
	double m[11];	/* sensitivity … lr_minus in the table's column order; NAN for NULL */
	char status[16], policy[16];
	json_t *detail, *config;
} run_row;

enum { M_SENS, M_SPEC, M_ACC, M_PPV, M_NPV, M_F1, M_MCC, M_KAPPA, M_PABAK, M_LRP, M_LRM };

static void load_run(fixture *f, const char *id, run_row *r)
{
	sra_backend *be = sra_db__backend(f->db);
	sra_rows *rows = NULL;
	sra_value p[1] = { SRA_VAL_TEXT(id) };
	size_t i;

	sra_assert_ok(be->ops->query(&rows, be,
		"SELECT tp, fp, fn, tn, n_items, n_unknown, n_uncertain, sensitivity, specificity,"
		" accuracy, ppv, npv, f1_score, mcc, cohen_kappa, pabak, lr_plus, lr_minus,"
		" CAST(status AS text), uncertain_policy, CAST(metrics_detail AS text),"
		" CAST(config_details AS text), started_at IS NOT NULL AND finished_at IS NOT NULL"
		" FROM benchmark_runs WHERE id = $1", p, 1));
	assert_int_equal(rows->nrows, 1);
	r->tp = atoll(sra_rows_get(rows, 0, 0));
	r->fp = atoll(sra_rows_get(rows, 0, 1));
	r->fn = atoll(sra_rows_get(rows, 0, 2));
	r->tn = atoll(sra_rows_get(rows, 0, 3));
	r->n_items = atoll(sra_rows_get(rows, 0, 4));
	r->n_unknown = atoll(sra_rows_get(rows, 0, 5));
	r->n_uncertain = atoll(sra_rows_get(rows, 0, 6));
	for (i = 0; i < 11; i++)
		r->m[i] = sra_rows_get(rows, 0, 7 + i) ? strtod(sra_rows_get(rows, 0, 7 + i), NULL) : NAN;
	snprintf(r->status, sizeof(r->status), "%s", sra_rows_get(rows, 0, 18));
	snprintf(r->policy, sizeof(r->policy), "%s", sra_rows_get(rows, 0, 19));
	r->detail = json_loads(sra_rows_get(rows, 0, 20), 0, NULL);
	r->config = json_loads(sra_rows_get(rows, 0, 21), 0, NULL);
	assert_non_null(r->detail);
	assert_non_null(r->config);
	assert_true(strchr("t1", sra_rows_get(rows, 0, 22)[0]) != NULL);	/* both times set */
	sra_rows_free(rows);
	{	/* the library's typed counts are the stored ones, found by a prefix too */
		sra_confusion c;
		char prefix[9];

		snprintf(prefix, sizeof(prefix), "%s", id);
		sra_assert_ok(sra_benchmark_counts(&c, f->db, prefix));
		assert_true(c.tp == r->tp && c.fp == r->fp && c.fn == r->fn && c.tn == r->tn);
	}
}

static void run_row_dispose(run_row *r)
{
	json_decref(r->detail);
	json_decref(r->config);
}

static void assert_near(double got, double want, const char *what)
{
	if (isnan(got) || fabs(got - want) > 1e-6)
		fail_msg("%s: got %.9g, expected %.9g", what, got, want);
}

static void assert_counts(const run_row *r, long long tp, long long fp, long long fn, long long tn)
{
	if (r->tp != tp || r->fp != fp || r->fn != fn || r->tn != tn)
		fail_msg("counts %lld/%lld/%lld/%lld, expected %lld/%lld/%lld/%lld",
			 r->tp, r->fp, r->fn, r->tn, tp, fp, fn, tn);
}

/* detail["final"]["metrics"][name][key] */
static double detail_num(const run_row *r, const char *section, const char *name, const char *key)
{
	json_t *v = json_object_get(json_object_get(json_object_get(json_object_get(r->detail, section),
		"metrics"), name), key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- the cases ------------------------------------------------------------ */

static long long count_rows(fixture *f, const char *sql);


/*
 * 1007 records reaching their final decision every way the rule has: agreed,
 * resolved, both uncertain, a confidence under the threshold, unscreened,
 * a resolver saying uncertain, unknown human decisions.  Under the include
 * policy the table is the spec's 40/60/10/890.
 */
static const pattern spec_review[] = {
	{ 28, 1, "include", 0.90, "include", 0.95, NULL },	/* TP, agreed */
	{ 10, 1, "include", 0.90, "exclude", 0.80, "include" },	/* TP, resolved */
	{ 2, 1, "uncertain", 0.90, "uncertain", 0.90, NULL },	/* uncertain, human include */
	{ 40, 0, "include", 0.80, "include", 0.75, NULL },	/* FP, agreed */
	{ 10, 0, "uncertain", 0.90, "uncertain", 0.90, NULL },	/* uncertain: both unsure, no resolver */
	{ 10, 0, "include", 0.60, "include", 0.90, NULL },	/* uncertain: confidence 0.6 < 0.7 */
	{ 5, 1, "exclude", 0.90, "exclude", 0.90, NULL },	/* FN, agreed */
	{ 5, 1, "exclude", 0.90, "include", 0.90, "exclude" },	/* FN, resolved */
	{ 880, 0, "exclude", 0.99, "exclude", 0.70, NULL },	/* TN (0.70 is not below 0.7) */
	{ 10, 0, "exclude", 0.50, "exclude", 0.90, "exclude" },	/* TN, resolved after low confidence */
	{ 3, -1, NULL, 0, NULL, 0, NULL },			/* unknown, unscreened */
	{ 1, -1, "include", 0.9, "exclude", 0.9, "uncertain" },	/* unknown, resolver uncertain */
	{ 3, -1, "include", 0.9, "include", 0.9, NULL },	/* unknown, agreed */
};

static void test_benchmark_run__reference_40_60_10_890(void **state)
{
	fixture *f = *state;
	char review[37], *id;
	run_row r;

	need(f);
	make_review(f, review);
	add_records(f, review, spec_review, sizeof(spec_review) / sizeof(spec_review[0]));

	id = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);
	load_run(f, id, &r);
	assert_string_equal(r.status, "completed");
	assert_string_equal(r.policy, "include");
	assert_counts(&r, 40, 60, 10, 890);
	assert_int_equal(r.n_items, 1007);
	assert_int_equal(r.n_unknown, 7);
	assert_int_equal(r.n_uncertain, 2 + 10 + 10 + 3 + 1);
	assert_near(r.m[M_SENS], 0.800000, "sensitivity");
	assert_near(r.m[M_SPEC], 0.936842, "specificity");
	assert_near(r.m[M_ACC], 0.930000, "accuracy");
	assert_near(r.m[M_PPV], 0.400000, "ppv");
	assert_near(r.m[M_NPV], 0.988889, "npv");
	assert_near(r.m[M_F1], 0.533333, "f1");
	assert_near(r.m[M_MCC], 0.535303, "mcc");
	assert_near(r.m[M_KAPPA], 0.500000, "kappa");
	assert_near(r.m[M_PABAK], 0.860000, "pabak");
	assert_near(r.m[M_LRP], 12.666667, "lr+");
	assert_near(r.m[M_LRM], 0.213483, "lr-");
	/* the intervals, in metrics_detail */
	assert_near(detail_num(&r, "final", "sensitivity", "ci_low"), 0.669629, "sens ci_low");
	assert_near(detail_num(&r, "final", "sensitivity", "ci_high"), 0.887562, "sens ci_high");
	assert_near(detail_num(&r, "final", "specificity", "ci_low"), 0.919546, "spec ci_low");
	assert_near(detail_num(&r, "final", "specificity", "ci_high"), 0.950620, "spec ci_high");
	assert_near(detail_num(&r, "final", "cohen_kappa", "ci_low"), 0.400390, "kappa ci_low");
	assert_near(detail_num(&r, "final", "cohen_kappa", "ci_high"), 0.599610, "kappa ci_high");
	assert_near(detail_num(&r, "final", "lr_plus", "ci_low"), 9.559833, "lr+ ci_low");
	assert_near(detail_num(&r, "final", "lr_plus", "ci_high"), 16.783184, "lr+ ci_high");
	assert_near(detail_num(&r, "final", "lr_minus", "ci_low"), 0.122603, "lr- ci_low");
	assert_near(detail_num(&r, "final", "lr_minus", "ci_high"), 0.371729, "lr- ci_high");
	assert_near(detail_num(&r, "final", "gwet_ac1", "value"), 0.918723, "ac1");
	/* counts, the reviewers, the policies, config */
	{
		json_t *c = json_object_get(r.detail, "counts");
		json_t *ag = json_object_get(r.detail, "agreement");
		json_t *pol = json_object_get(r.detail, "policies");

		assert_int_equal(json_integer_value(json_object_get(c, "items")), 1007);
		assert_int_equal(json_integer_value(json_object_get(c, "unknown")), 7);
		assert_int_equal(json_integer_value(json_object_get(c, "uncertain")), 26);
		assert_int_equal(json_integer_value(json_object_get(c, "unscreened")), 3);
		assert_int_equal(json_integer_value(json_object_get(c, "resolved")), 10 + 5 + 10 + 1);
		/* the conservative reviewer alone: its uncertain counts as include */
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
			r.detail, "conservative"), "counts"), "tp")), 28 + 10 + 2);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
			r.detail, "conservative"), "counts"), "fp")), 40 + 10 + 10);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
			r.detail, "comprehensive"), "counts"), "fn")), 5 + 10);
		/* agreement over the 1004 records both decided */
		assert_int_equal(json_integer_value(json_object_get(ag, "n")), 1004);
		assert_int_equal(json_integer_value(json_array_get(json_array_get(json_object_get(ag, "table"),
			2), 2)), 12);
		assert_true(json_is_object(json_object_get(ag, "cohen_kappa")));
		/* include: 40/60/10/890; exclude: 38/40/12/910; error: 38/60/12/890 */
		assert_near(json_number_value(json_object_get(json_object_get(json_object_get(pol, "include"),
			"sensitivity"), "value")), 0.8, "include sens");
		assert_near(json_number_value(json_object_get(json_object_get(json_object_get(pol, "exclude"),
			"specificity"), "value")), 910.0 / 950, "exclude spec");
		assert_near(json_number_value(json_object_get(json_object_get(json_object_get(pol, "error"),
			"sensitivity"), "value")), 38.0 / 50, "error sens");
		assert_string_equal(json_string_value(json_object_get(r.config, "model")), "gpt-test");
		assert_string_equal(json_string_value(json_object_get(r.config, "uncertain_policy")), "include");
		assert_near(json_number_value(json_object_get(r.config, "threshold")), 0.7, "threshold");
	}
	run_row_dispose(&r);
	free(id);

	/* the other policies change the table as specified */
	id = run(f, review, SRA_UNCERTAIN_EXCLUDE, 0.7);
	load_run(f, id, &r);
	assert_string_equal(r.policy, "exclude");
	assert_counts(&r, 38, 40, 12, 910);
	run_row_dispose(&r);
	free(id);
	id = run(f, review, SRA_UNCERTAIN_ERROR, 0.7);
	load_run(f, id, &r);
	assert_counts(&r, 38, 60, 12, 890);
	run_row_dispose(&r);
	free(id);

	/* a lower threshold: the ten with confidence 0.6 are agreed includes now */
	id = run(f, review, SRA_UNCERTAIN_EXCLUDE, 0.55);
	load_run(f, id, &r);
	assert_counts(&r, 38, 50, 12, 900);
	assert_int_equal(r.n_uncertain, 16);
	run_row_dispose(&r);
	free(id);
}

typedef struct {
	int calls;
	int64_t last_done, last_total;
	int stop_at;	/* return non-zero at this call (0: never) */
} progress_log;

static int on_progress(void *payload, int64_t done, int64_t total)
{
	progress_log *p = payload;

	assert_true(done >= p->last_done && done <= total);
	p->calls++;
	p->last_done = done;
	p->last_total = total;
	return p->stop_at && p->calls == p->stop_at;
}

/* with progress the records go in slices of the id range: the same run, told as it goes */
/*
 * After a run, ended or failed, the connection checks the items' CHECK
 * constraints again (a run writes its items without them on SQLite): an
 * item classified 'XX' under `run_id`, for a record of `review` that the run
 * has no item for (so no other constraint refuses it), is refused.
 */
static void assert_item_checks(fixture *f, const char *run_id, const char *review)
{
	sra_backend *be = sra_db__backend(f->db);
	sra_value p[3];
	char item[37];

	make_id(f, item);
	p[0] = SRA_VAL_TEXT(item);
	p[1] = SRA_VAL_TEXT(run_id);
	p[2] = SRA_VAL_TEXT(review);
	assert_true(be->ops->query(NULL, be, sra_db__is_pg(f->db)
		? "INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id, final_decision,"
		  " classification) SELECT CAST($1 AS uuid), CAST($2 AS uuid), id, 'include', 'XX'"
		  " FROM search_results WHERE review_id = CAST($3 AS uuid) LIMIT 1"
		: "INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id, final_decision,"
		  " classification) SELECT $1, $2, id, 'include', 'XX'"
		  " FROM search_results WHERE review_id = $3 LIMIT 1", p, 3) < 0);
	sra_error_clear();
}

static void test_benchmark_run__progress_slices(void **state)
{
	fixture *f = *state;
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	progress_log log = { 0, 0, 0, 0 };
	char review[37], other[37], *id = NULL;
	long long runs;
	run_row r;

	need(f);
	make_review(f, review);
	add_records(f, review, spec_review, sizeof(spec_review) / sizeof(spec_review[0]));
	make_review(f, other);	/* another review's records are not taken */
	add_table(f, other, 5, 5, 5, 5);
	bo.review_id = review;
	bo.progress = on_progress;
	bo.progress_payload = &log;
	sra_assert_ok(sra_benchmark_run(&id, f->db, &bo));
	assert_int_equal(log.calls, 16);
	assert_int_equal(log.last_done, 1007);
	assert_int_equal(log.last_total, 1007);
	load_run(f, id, &r);
	assert_counts(&r, 40, 60, 10, 890);
	assert_int_equal(r.n_items, 1007);
	run_row_dispose(&r);
	assert_item_checks(f, id, other);

	/* a progress callback that says stop: SRA_EUSER, and nothing stays */
	runs = count_rows(f, "SELECT count(*) FROM benchmark_runs");
	memset(&log, 0, sizeof(log));
	log.stop_at = 5;
	{
		char *none = NULL;

		assert_int_equal(sra_benchmark_run(&none, f->db, &bo), SRA_EUSER);
		assert_null(none);
	}
	assert_int_equal(count_rows(f, "SELECT count(*) FROM benchmark_runs"), runs);
	assert_item_checks(f, id, other);
	free(id);
}

static void test_benchmark_run__reference_tables(void **state)
{
	fixture *f = *state;
	char review[37], *id;
	run_row r;

	need(f);
	make_review(f, review);
	add_table(f, review, 39, 122, 3, 6023);
	id = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);
	load_run(f, id, &r);
	assert_counts(&r, 39, 122, 3, 6023);
	assert_near(r.m[M_SENS], 0.928571, "sensitivity");
	assert_near(r.m[M_SPEC], 0.980146, "specificity");
	assert_near(r.m[M_MCC], 0.468692, "mcc");
	assert_near(r.m[M_KAPPA], 0.377534, "kappa");
	assert_near(r.m[M_LRP], 46.771077, "lr+");
	assert_near(r.m[M_LRM], 0.072875, "lr-");
	assert_near(detail_num(&r, "final", "sensitivity", "ci_low"), 0.809906, "sens lo");
	assert_near(detail_num(&r, "final", "sensitivity", "ci_high"), 0.975410, "sens hi");
	assert_near(detail_num(&r, "final", "specificity", "ci_low"), 0.976347, "spec lo");
	assert_near(detail_num(&r, "final", "specificity", "ci_high"), 0.983346, "spec hi");
	assert_near(detail_num(&r, "final", "cohen_kappa", "ci_low"), 0.292883, "kappa lo");
	assert_near(detail_num(&r, "final", "cohen_kappa", "ci_high"), 0.462184, "kappa hi");
	assert_near(detail_num(&r, "final", "lr_plus", "ci_low"), 38.497421, "lr+ lo");
	assert_near(detail_num(&r, "final", "lr_plus", "ci_high"), 56.822863, "lr+ hi");
	assert_near(detail_num(&r, "final", "lr_minus", "ci_low"), 0.024491, "lr- lo");
	assert_near(detail_num(&r, "final", "lr_minus", "ci_high"), 0.216844, "lr- hi");
	run_row_dispose(&r);
	free(id);

	make_review(f, review);
	add_table(f, review, 8, 2, 3, 7);
	id = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);
	load_run(f, id, &r);
	assert_counts(&r, 8, 2, 3, 7);
	assert_near(r.m[M_SENS], 0.727273, "sensitivity");
	assert_near(r.m[M_SPEC], 0.777778, "specificity");
	assert_near(r.m[M_MCC], 0.502519, "mcc");
	assert_near(r.m[M_KAPPA], 0.5, "kappa");
	assert_near(r.m[M_PABAK], 0.5, "pabak");
	run_row_dispose(&r);
	free(id);
}

static void test_benchmark_run__undefined_is_null(void **state)
{
	fixture *f = *state;
	char review[37], *id;
	run_row r;

	need(f);
	make_review(f, review);
	add_table(f, review, 10, 0, 0, 0);
	id = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);
	load_run(f, id, &r);
	assert_counts(&r, 10, 0, 0, 0);
	assert_true(isnan(r.m[M_KAPPA]));
	assert_true(isnan(r.m[M_MCC]));
	assert_true(isnan(r.m[M_SPEC]));
	assert_near(r.m[M_SENS], 1.0, "sensitivity");
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(json_object_get(
		r.detail, "final"), "metrics"), "cohen_kappa"), "value")));
	run_row_dispose(&r);
	free(id);

	make_review(f, review);
	add_table(f, review, 0, 0, 5, 5);
	id = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);
	load_run(f, id, &r);
	assert_counts(&r, 0, 0, 5, 5);
	assert_true(isnan(r.m[M_PPV]));
	assert_true(isnan(r.m[M_MCC]));
	assert_near(r.m[M_SENS], 0.0, "sensitivity 0 is defined");
	run_row_dispose(&r);
	free(id);
}

static long long count_rows(fixture *f, const char *sql)
{
	sra_backend *be = sra_db__backend(f->db);
	sra_rows *rows = NULL;
	long long n;

	sra_assert_ok(be->ops->query(&rows, be, sql, NULL, 0));
	n = atoll(sra_rows_get(rows, 0, 0));
	sra_rows_free(rows);
	return n;
}

static void test_benchmark_run__empty_review_leaves_nothing(void **state)
{
	fixture *f = *state;
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	char review[37], *id = NULL;
	long long runs, items;

	need(f);
	runs = count_rows(f, "SELECT count(*) FROM benchmark_runs");
	items = count_rows(f, "SELECT count(*) FROM benchmark_result_items");
	make_review(f, review);
	bo.review_id = review;
	assert_int_equal(sra_benchmark_run(&id, f->db, &bo), SRA_EINVALID);
	assert_non_null(strstr(sra_error_last()->message, "no records"));
	assert_null(id);
	bo.review_id = "00000000-0000-4000-8000-ffffffffffff";
	assert_int_equal(sra_benchmark_run(&id, f->db, &bo), SRA_ENOTFOUND);
	bo.review_id = "not-a-uuid";
	assert_int_equal(sra_benchmark_run(&id, f->db, &bo), SRA_EINVALID);
	bo.review_id = review;
	bo.config_json = "[1, 2]";
	assert_int_equal(sra_benchmark_run(&id, f->db, &bo), SRA_EINVALID);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM benchmark_runs"), runs);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM benchmark_result_items"), items);
}

typedef struct {
	char *data;
	size_t len;
} sink;

static int to_sink(void *payload, const char *data, size_t len)
{
	sink *s = payload;

	s->data = realloc(s->data, s->len + len + 1);
	memcpy(s->data + s->len, data, len);
	s->len += len;
	s->data[s->len] = '\0';
	return 0;
}

static void test_benchmark_find_items_export_delete(void **state)
{
	fixture *f = *state;
	char review[37], *id, *found = NULL, prefix[9], *text = NULL;
	sink s = { NULL, 0 };
	unsigned int classes = 0;

	need(f);
	make_review(f, review);
	add_table(f, review, 3, 2, 1, 4);
	id = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);

	/* a unique prefix, in either case */
	snprintf(prefix, sizeof(prefix), "%.8s", id);
	prefix[0] = (char)toupper((unsigned char)prefix[0]);
	sra_assert_ok(sra_benchmark_find(&found, f->db, prefix));
	assert_string_equal(found, id);
	free(found);
	found = NULL;
	assert_int_equal(sra_benchmark_find(&found, f->db, "abc"), SRA_EINVALID);
	assert_int_equal(sra_benchmark_find(&found, f->db, "ffffffff-ffff-4fff-8fff-ffffffffffff"), SRA_ENOTFOUND);

	/* items: the filter, and CSV with the full, quoted titles */
	sra_assert_ok(sra_benchmark_parse_classes(&classes, "fp,FN"));
	assert_int_equal(classes, SRA_CLASS_FP | SRA_CLASS_FN);
	assert_int_equal(sra_benchmark_parse_classes(&classes, "FP,XX"), SRA_EINVALID);
	sra_assert_ok(sra_benchmark_items(f->db, prefix, SRA_CLASS_FP | SRA_CLASS_FN, SRA_BENCHMARK_JSON,
					  to_sink, &s));
	{
		json_t *a = json_loads(s.data, 0, NULL);

		assert_non_null(a);
		assert_int_equal(json_array_size(a), 3);
		json_decref(a);
	}
	free(s.data);
	s.data = NULL;
	s.len = 0;
	sra_assert_ok(sra_benchmark_export(f->db, id, SRA_EXPORT_ITEMS, SRA_BENCHMARK_CSV, to_sink, &s));
	assert_true(strncmp(s.data, "search_result_source_id,title,human_decision,conservative_decision,"
		"conservative_confidence,comprehensive_decision,comprehensive_confidence,resolver_decision,"
		"resolver_confidence,final_decision,classification\r\n", 196) == 0);
	assert_non_null(strstr(s.data, ",\"Title, \"\"quoted\"\"\nof rec-"));
	assert_non_null(strstr(s.data, ",include,include,0.9,include,0.9,,,include,TP\r\n"));
	free(s.data);
	s.data = NULL;
	s.len = 0;
	sra_assert_ok(sra_benchmark_export(f->db, id, SRA_EXPORT_SUMMARY, SRA_BENCHMARK_CSV, to_sink, &s));
	assert_non_null(strstr(s.data, "metric,value,ci_low,ci_high\r\ntp,3,,\r\n"));
	assert_non_null(strstr(s.data, "\r\nsensitivity,0.75,"));
	assert_non_null(strstr(s.data, "\r\nmcc,"));
	free(s.data);
	s.data = NULL;

	/* show, list */
	sra_assert_ok(sra_benchmark_show(&text, f->db, prefix, SRA_BENCHMARK_TEXT, 0));
	assert_non_null(strstr(text, "sensitivity     0.750000"));
	{
		const char *line = text;

		while (line && *line) {	/* fits 80 columns (bytes; ASCII here) */
			const char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line) : strlen(line);

			if (n > 80)
				fail_msg("line longer than 80: %.*s", (int)n, line);
			line = nl ? nl + 1 : NULL;
		}
	}
	free(text);
	sra_assert_ok(sra_benchmark_list(&text, f->db, review, SRA_BENCHMARK_JSON));
	assert_non_null(strstr(text, id));
	free(text);

	/* delete takes the items with it */
	sra_assert_ok(sra_benchmark_delete(f->db, prefix));
	assert_int_equal(sra_benchmark_find(&found, f->db, id), SRA_ENOTFOUND);
	{
		char sql[200];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM benchmark_result_items WHERE benchmark_run_id = '%s'", id);
		assert_int_equal(count_rows(f, sql), 0);
	}
	free(id);
}

/* every line of text within 80 columns (bytes; ASCII here) */
static void assert_fits_80(const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (n > 80)
			fail_msg("line longer than 80: %.*s", (int)n, line);
		line = nl ? nl + 1 : NULL;
	}
}

/*
 * Three runs of the spec's review under the three uncertain policies.  They
 * differ only on the 22 uncertain records with a human decision (2 human
 * include, 20 human exclude): include is right on the 2, exclude on the 20,
 * error on none.  Against run 1 (include):
 *   exclude: 2 only-1-right, 20 only-this-right: p = 2 (1 + 22 + 231) / 2^22
 *   error:   2 only-1-right, 0:                  p = 2 C(2,0) / 2^2 = 0.5
 * Holm over two tests: 2 * 508/2^22 = 1016/2^22; max(that, 1 * 0.5) = 0.5.
 */
static void test_benchmark_compare__leaderboard(void **state)
{
	fixture *f = *state;
	char review[37], other[37], *ids[4], *text = NULL;
	const char *args[3];
	json_t *j, *runs, *mc, *keys;
	const sra_error *e;

	need(f);
	make_review(f, review);
	add_records(f, review, spec_review, sizeof(spec_review) / sizeof(spec_review[0]));
	ids[0] = run(f, review, SRA_UNCERTAIN_INCLUDE, 0.7);
	ids[1] = run(f, review, SRA_UNCERTAIN_EXCLUDE, 0.7);
	ids[2] = run(f, review, SRA_UNCERTAIN_ERROR, 0.7);
	args[0] = ids[0];
	args[1] = ids[1];
	args[2] = ids[2];
	sra_assert_ok(sra_benchmark_compare(&text, f->db, args, 3, SRA_BENCHMARK_JSON));
	j = json_loads(text, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "review_id")), review);
	assert_string_equal(json_string_value(json_object_get(j, "reference_run")), ids[0]);
	keys = json_object_get(j, "config_keys");
	assert_int_equal(json_array_size(keys), 4);
	assert_string_equal(json_string_value(json_array_get(keys, 0)), "batch");
	assert_string_equal(json_string_value(json_array_get(keys, 1)), "model");
	assert_string_equal(json_string_value(json_array_get(keys, 2)), "threshold");
	assert_string_equal(json_string_value(json_array_get(keys, 3)), "uncertain_policy");
	runs = json_object_get(j, "runs");
	assert_int_equal(json_array_size(runs), 3);
	assert_true(json_is_null(json_object_get(json_array_get(runs, 0), "mcnemar")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(runs, 1), "config"),
			    "uncertain_policy")), "exclude");
	/* run 1's metrics with their CIs: the spec's 40/60/10/890 */
	assert_near(json_real_value(json_object_get(json_object_get(json_object_get(
		json_array_get(runs, 0), "metrics"), "sensitivity"), "ci_low")), 0.669629, "ci_low");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(runs, 0), "counts"), "fp")), 60);
	mc = json_object_get(json_array_get(runs, 1), "mcnemar");
	assert_int_equal(json_integer_value(json_object_get(mc, "shared_records")), 1000);
	assert_int_equal(json_integer_value(json_object_get(mc, "reference_correct_only")), 2);
	assert_int_equal(json_integer_value(json_object_get(mc, "run_correct_only")), 20);
	assert_int_equal(json_integer_value(json_object_get(mc, "both_correct")), 930 - 2);
	assert_true(fabs(json_real_value(json_object_get(mc, "p_value")) / (508.0 / 4194304) - 1) < 1e-12);
	assert_true(fabs(json_real_value(json_object_get(mc, "p_holm")) / (1016.0 / 4194304) - 1) < 1e-12);
	mc = json_object_get(json_array_get(runs, 2), "mcnemar");
	assert_int_equal(json_integer_value(json_object_get(mc, "reference_correct_only")), 2);
	assert_int_equal(json_integer_value(json_object_get(mc, "run_correct_only")), 0);
	assert_near(json_real_value(json_object_get(mc, "p_value")), 0.5, "p error");
	assert_near(json_real_value(json_object_get(mc, "p_holm")), 0.5, "p_holm error");
	json_decref(j);
	free(text);

	/* text: prefixes work, 80 columns */
	{
		char p0[9], p1[9];
		const char *pre[2] = { p0, p1 };

		snprintf(p0, sizeof(p0), "%.8s", ids[0]);
		snprintf(p1, sizeof(p1), "%.8s", ids[1]);
		sra_assert_ok(sra_benchmark_compare(&text, f->db, pre, 2, SRA_BENCHMARK_TEXT));
	}
	assert_non_null(strstr(text, "McNemar"));
	assert_non_null(strstr(text, "gpt-test"));
	assert_non_null(strstr(text, "0.800 [0.670, 0.888]"));
	assert_fits_80(text);
	free(text);

	/* a run of another review is refused, naming both reviews */
	make_review(f, other);
	add_table(f, other, 1, 1, 1, 1);
	ids[3] = run(f, other, SRA_UNCERTAIN_INCLUDE, 0.7);
	args[1] = ids[3];
	text = NULL;
	assert_int_equal(sra_benchmark_compare(&text, f->db, args, 2, SRA_BENCHMARK_JSON), SRA_EINVALID);
	assert_null(text);
	e = sra_error_last();
	assert_non_null(e);
	assert_int_equal(e->klass, SRA_ERROR_INVALID);
	assert_non_null(strstr(e->message, review));
	assert_non_null(strstr(e->message, other));
	free(ids[0]);
	free(ids[1]);
	free(ids[2]);
	free(ids[3]);
}

/* Holm's adjustment, checked against values worked out by hand from the definition
 * (statsmodels' multipletests(method='holm') computes the same: sort, multiply the
 * i-th smallest by n - i + 1, running maximum, clip at 1) */
static void test_benchmark_holm(void **state)
{
	static const double p1[4] = { 0.01, 0.04, 0.03, 0.005 };
	/* sorted 0.005 0.01 0.03 0.04 -> 0.02 0.03 0.06 0.04 -> cummax 0.02 0.03 0.06 0.06 */
	static const double want1[4] = { 0.03, 0.06, 0.06, 0.02 };
	static const double p2[3] = { 0.5, 0.6, 0.01 };
	/* 0.01*3 = 0.03, 0.5*2 = 1.0, 0.6*1 = 0.6 -> cummax 0.03 1 1 */
	static const double want2[3] = { 1.0, 1.0, 0.03 };
	static const double p3[2] = { 0.02, 0.02 };	/* ties: 0.04, 0.02 -> 0.04, 0.04 */
	static const double p4[5] = { 0.2, 0.001, 0.04, 0.0125, 0.9 };
	/* sorted 0.001 0.0125 0.04 0.2 0.9 -> 0.005 0.05 0.12 0.4 0.9 (no step-down needed) */
	static const double want4[5] = { 0.4, 0.005, 0.12, 0.05, 0.9 };
	double got[5];
	size_t i;

	(void)state;
	sra_benchmark_holm(got, p1, 4);
	for (i = 0; i < 4; i++)
		assert_near(got[i], want1[i], "holm p1");
	sra_benchmark_holm(got, p2, 3);
	for (i = 0; i < 3; i++)
		assert_near(got[i], want2[i], "holm p2");
	sra_benchmark_holm(got, p3, 2);
	assert_near(got[0], 0.04, "holm tie 0");
	assert_near(got[1], 0.04, "holm tie 1");
	sra_benchmark_holm(got, p4, 5);
	for (i = 0; i < 5; i++)
		assert_near(got[i], want4[i], "holm p4");
	got[0] = 0.3;
	sra_benchmark_holm(got, got, 1);	/* in place, one test: unchanged */
	assert_true(got[0] == 0.3);
}

static void test_benchmark_mcnemar__exact(void **state)
{
	(void)state;
	assert_true(sra_benchmark_mcnemar_exact(0, 0) == 1.0);
	assert_true(sra_benchmark_mcnemar_exact(2, 0) == 0.5);
	assert_true(sra_benchmark_mcnemar_exact(5, 5) == 1.0);
	/* 2 (1 + 13 + 78 + 286) / 8192 */
	assert_near(sra_benchmark_mcnemar_exact(10, 3), 756.0 / 8192, "10/3");
	assert_near(sra_benchmark_mcnemar_exact(3, 10), 756.0 / 8192, "3/10");
	/* tiny values keep their relative accuracy */
	assert_true(fabs(sra_benchmark_mcnemar_exact(0, 23) / (2.0 / 8388608) - 1) < 1e-12);
	/* large tables neither overflow nor underflow to nonsense */
	assert_true(sra_benchmark_mcnemar_exact(900, 1100) > 0 && sra_benchmark_mcnemar_exact(900, 1100) < 1e-4);
	assert_true(sra_benchmark_mcnemar_exact(0, 5000) >= 0);
}

static void test_benchmark_demo__deterministic(void **state)
{
	fixture *f = *state;
	sra_demo_options d = SRA_DEMO_OPTIONS_INIT;
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	char *review = NULL, *run_id = NULL, *r1 = NULL, *r2 = NULL, *again = NULL, *first = NULL;

	need(f);
	d.records = 300;
	d.seed = 42;
	sra_assert_ok(sra_demo_create(&review, &run_id, f->db, &d));
	bo.review_id = review;
	bo.run_id = run_id;
	sra_assert_ok(sra_benchmark_run(NULL, f->db, &bo));
	sra_assert_ok(sra_benchmark_show(&r1, f->db, run_id, SRA_BENCHMARK_TEXT, SRA_SHOW_NO_TIMES));
	free(review);
	first = run_id;
	/* again: the review is replaced, ids and report the same */
	sra_assert_ok(sra_demo_create(&review, &again, f->db, &d));
	assert_string_equal(again, first);
	free(first);
	bo.review_id = review;
	bo.run_id = again;
	sra_assert_ok(sra_benchmark_run(NULL, f->db, &bo));
	sra_assert_ok(sra_benchmark_show(&r2, f->db, again, SRA_BENCHMARK_TEXT, SRA_SHOW_NO_TIMES));
	assert_string_equal(r1, r2);
	assert_non_null(strstr(r1, "records    300:"));
	free(r1);
	free(r2);
	free(review);
	free(again);
}

/* ---- usage accounting ------------------------------------------------------ */

static void test_benchmark_usage__nearest_rank(void **state)
{
	/* the nearest-rank example: 15 20 35 40 50 -> p30 20, p40 20, p50 35, p100 50 */
	static const int64_t v[5] = { 15, 20, 35, 40, 50 };
	static const int64_t ten[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const int64_t one[1] = { 7 };

	(void)state;
	assert_int_equal(sra_bm__nearest_rank(v, 5, 30), 20);
	assert_int_equal(sra_bm__nearest_rank(v, 5, 40), 20);
	assert_int_equal(sra_bm__nearest_rank(v, 5, 50), 35);
	assert_int_equal(sra_bm__nearest_rank(v, 5, 95), 50);	/* ceil(4.75) = 5 */
	assert_int_equal(sra_bm__nearest_rank(v, 5, 100), 50);
	assert_int_equal(sra_bm__nearest_rank(ten, 10, 50), 5);	/* rank 5, not the mean 5.5 */
	assert_int_equal(sra_bm__nearest_rank(ten, 10, 95), 10);	/* ceil(9.5) = 10 */
	assert_int_equal(sra_bm__nearest_rank(ten, 10, 90), 9);
	assert_int_equal(sra_bm__nearest_rank(one, 1, 50), 7);
	assert_int_equal(sra_bm__nearest_rank(one, 0, 50), -1);
}

static void test_benchmark_usage__shapes(void **state)
{
	static const struct {
		const char *meta;
		int ok;
		long long in, out;
	} cases[] = {
		{ "{\"token_usage\": {\"prompt_tokens\": 11, \"completion_tokens\": 2}}", 1, 11, 2 },
		{ "{\"usage_metadata\": {\"input_tokens\": 13, \"output_tokens\": 3, \"total_tokens\": 16}}", 1, 13, 3 },
		{ "{\"usage\": {\"input_tokens\": 17, \"output_tokens\": 5}}", 1, 17, 5 },
		{ "{\"usage\": {\"prompt_tokens\": 19, \"completion_tokens\": 7}}", 1, 19, 7 },
		{ "{}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 17}}", 0, 0, 0 },		/* half a pair is no usage */
		{ "{\"usage\": {\"input_tokens\": \"17\", \"output_tokens\": 5}}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": -1, \"output_tokens\": 5}}", 0, 0, 0 },
		{ "{\"token_usage\": null, \"usage\": {\"prompt_tokens\": 0, \"completion_tokens\": 0}}", 1, 0, 0 },
		{ "[1, 2]", 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < SRA_ARRAY_SIZE(cases); i++) {
		json_t *j = json_loads(cases[i].meta, 0, NULL);
		int64_t in = -5, out = -5;

		assert_non_null(j);
		assert_int_equal(sra_bm__usage_tokens(&in, &out, j), cases[i].ok);
		if (cases[i].ok) {
			assert_int_equal(in, cases[i].in);
			assert_int_equal(out, cases[i].out);
		}
		json_decref(j);
	}
}

/* the token pair of `text` through json_loads, as before the scanner */
static int tokens_by_jansson(int64_t *in, int64_t *out, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	int found = sra_bm__usage_tokens(in, out, j);

	json_decref(j);
	return found;
}

/* usage tokens from the text: hand-computed answers, by the scanner or by its fallback */
static void test_benchmark_usage__tokens_text(void **state)
{
	static const struct {
		const char *meta;
		int ok;
		long long in, out;
	} cases[] = {
		{ "{\"token_usage\": {\"prompt_tokens\": 11, \"completion_tokens\": 2}}", 1, 11, 2 },
		{ " \t\r\n{\"usage_metadata\":{\"input_tokens\":13,\"output_tokens\":3}} \n", 1, 13, 3 },
		{ "{\"usage\": {\"prompt_tokens\": 19, \"completion_tokens\": 7}}", 1, 19, 7 },
		{ "{\"a\": [1, -2, {\"b\": null}, [], {}], \"t\": true, \"f\": false, \"s\": \"x y\","
		  " \"usage\": {\"input_tokens\": 0, \"output_tokens\": -0}}", 1, 0, 0 },
		/* duplicate names: the last one counts, at both levels */
		{ "{\"usage\": {\"input_tokens\": 1, \"output_tokens\": 2, \"input_tokens\": 5}}", 1, 5, 2 },
		{ "{\"usage\": {\"input_tokens\": 1, \"output_tokens\": 2}, \"usage\": 7}", 0, 0, 0 },
		{ "{\"usage\": 7, \"usage\": {\"input_tokens\": 1, \"output_tokens\": 2}}", 1, 1, 2 },
		{ "{\"usage\": {\"input_tokens\": 1, \"output_tokens\": 2}, \"usage\": {\"output_tokens\": 2}}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 1, \"output_tokens\": 2, \"input_tokens\": \"1\"}}", 0, 0, 0 },
		/* only the metadata's own members */
		{ "{\"x\": {\"usage\": {\"input_tokens\": 1, \"output_tokens\": 2}}}", 0, 0, 0 },
		{ "{\"usage\": {\"x\": {\"input_tokens\": 1, \"output_tokens\": 2}}}", 0, 0, 0 },
		/* what the scanner leaves to jansson */
		{ "{\"usage\": {\"input\\u005ftokens\": 3, \"output_tokens\": 4}}", 1, 3, 4 },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}, \"n\": \"caf\xc3\xa9\"}", 1, 3, 4 },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}, \"r\": 1.5e3}", 1, 3, 4 },
		{ "{\"usage\": {\"input_tokens\": 3.0, \"output_tokens\": 4}}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 03, \"output_tokens\": 4}}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 9223372036854775807, \"output_tokens\": 4}}", 1, 9223372036854775807LL, 4 },
		{ "{\"usage\": {\"input_tokens\": 9223372036854775808, \"output_tokens\": 4}}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}} x", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}, \"t\": truex}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4},}", 0, 0, 0 },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}, \"c\": \"a\x01\"}", 0, 0, 0 },
		{ "{\"d\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"
		  " \"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}", 1, 3, 4 },
		{ "[{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}]", 0, 0, 0 },
		{ "", 0, 0, 0 },
		{ "{", 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < SRA_ARRAY_SIZE(cases); i++) {
		int64_t in = -5, out = -5;

		if (sra_bm__usage_tokens_text(&in, &out, cases[i].meta) != cases[i].ok)
			fail_msg("case %zu (%s): not %d", i, cases[i].meta, cases[i].ok);
		if (cases[i].ok) {
			assert_int_equal(in, cases[i].in);
			assert_int_equal(out, cases[i].out);
		}
	}
}

/*
 * Every answer of the scanner is jansson's: documents mutated at random
 * (characters deleted, doubled or replaced by JSON's own), each read both
 * ways.  Counts how many the mutations left with usage, so the test cannot
 * pass by mutating everything into nothing.
 */
static void test_benchmark_usage__tokens_text_as_jansson(void **state)
{
	static const char *const seeds[] = {
		"{\"token_usage\": {\"prompt_tokens\": 11, \"completion_tokens\": 2}}",
		"{\"usage_metadata\": {\"input_tokens\": 13, \"output_tokens\": 3, \"total_tokens\": 16}}",
		"{\"usage\": {\"input_tokens\": 17, \"output_tokens\": 5}, \"usage\": {\"prompt_tokens\": 1, \"completion_tokens\": 0}}",
		"{\"model\": \"m\", \"a\": [true, false, null, -1, {\"usage\": {}}], \"usage\": {\"prompt_tokens\": 19, \"completion_tokens\": 7}}",
	};
	static const char alphabet[] = "{}[]:,\"-0123456789.eE tfnrulsa\\";
	uint32_t seed = 12345;
	size_t i, with_usage = 0, rounds = 200000;
	char buf[256];

	(void)state;
	for (i = 0; i < rounds; i++) {
		const char *src = seeds[i % SRA_ARRAY_SIZE(seeds)];
		size_t n = strlen(src), k, edits;
		int64_t in1 = -5, out1 = -5, in2 = -5, out2 = -5;
		int a, b;

		memcpy(buf, src, n + 1);
		seed = seed * 1103515245u + 12345u;
		edits = 1 + (seed >> 16) % 3;
		for (k = 0; k < edits && n > 0 && n < sizeof(buf) - 2; k++) {
			size_t at;
			char c;

			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			c = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			switch ((seed >> 4) % 3) {
			case 0:		/* delete */
				memmove(buf + at, buf + at + 1, n - at);
				n--;
				break;
			case 1:		/* insert */
				memmove(buf + at + 1, buf + at, n - at + 1);
				buf[at] = c;
				n++;
				break;
			default:	/* replace */
				buf[at] = c;
			}
		}
		a = sra_bm__usage_tokens_text(&in1, &out1, buf);
		b = tokens_by_jansson(&in2, &out2, buf);
		if (a != b || (a && (in1 != in2 || out1 != out2)))
			fail_msg("'%s': scanner %d (%lld, %lld), jansson %d (%lld, %lld)", buf, a, (long long)in1,
				 (long long)out1, b, (long long)in2, (long long)out2);
		with_usage += (size_t)a;
	}
	assert_true(with_usage > rounds / 20 && with_usage < rounds);
}

static void collect_warning(void *payload, const char *message)
{
	sra_buf *b = payload;

	sra_buf_puts(b, message);
	sra_buf_putc(b, '\n');
}

static const json_t *upath(const json_t *u, const char *who, const char *key)
{
	const json_t *x = strcmp(who, "total") == 0 ? json_object_get(u, "total")
		: json_object_get(json_object_get(u, "reviewers"), who);

	return json_object_get(x, key);
}

/*
 * Five records both reviewers include.  Conservative calls (model
 * test-model, priced) in id order: latencies 1200, 100, 900, 400, 250 ms
 * starting 10 s apart, usage in the four shapes and one call without.
 * Comprehensive calls (other-model, no price): no times, one with usage.
 * Hand-computed: conservative p50 = 400 (rank 3 of 100 250 400 900 1200),
 * p95 = 1200 (rank 5), wall 40 000 + 250 ms, tokens 1000 / 100, cost
 * (1000 * 2 + 100 * 10) / 1e6 = 0.003 USD, 0.0006 per record and per
 * included; comprehensive and total cost null with a warning naming
 * other-model.
 */
static void test_benchmark_usage__run(void **state)
{
	static const pattern pats[] = { { 5, 1, "include", 0.9, "include", 0.9, NULL } };
	static const char *const meta[5] = {
		"{\"token_usage\": {\"prompt_tokens\": 100, \"completion_tokens\": 10}}",
		"{\"usage_metadata\": {\"input_tokens\": 200, \"output_tokens\": 20}}",
		"{\"usage\": {\"input_tokens\": 300, \"output_tokens\": 30}}",
		"{\"usage\": {\"prompt_tokens\": 400, \"completion_tokens\": 40}}",
		"{}",
	};
	static const char *const start[5] = {
		"2025-01-01T00:00:00.000Z", "2025-01-01T00:00:10.000Z", "2025-01-01T00:00:20.000Z",
		"2025-01-01T00:00:30.000Z", "2025-01-01T00:00:40.000Z"
	};
	static const char *const end[5] = {
		"2025-01-01T00:00:01.200Z", "2025-01-01T00:00:10.100Z", "2025-01-01T00:00:20.900Z",
		"2025-01-01T00:00:30.400Z", "2025-01-01T00:00:40.250Z"
	};
	fixture *f = *state;
	sra_db *db = need(f);
	sra_backend *be;
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	sra_buf warnings = SRA_BUF_INIT;
	sra_rows *ids = NULL;
	sra_value rp[1];
	char review[37], run[37];
	char *shown = NULL;
	run_row r;
	const json_t *u;
	size_t i;

	be = sra_db__backend(db);
	make_review(f, review);
	add_records(f, review, pats, 1);
	rp[0] = SRA_VAL_TEXT(review);
	sra_assert_ok(be->ops->query(&ids, be, sra_db__is_pg(db)
		? "SELECT CAST(id AS text) FROM screen_abstract_results"
		  " WHERE screening_strategy = 'conservative' AND review_id = CAST($1 AS uuid) ORDER BY id"
		: "SELECT id FROM screen_abstract_results"
		  " WHERE screening_strategy = 'conservative' AND review_id = $1 ORDER BY id", rp, 1));
	assert_int_equal(ids->nrows, 5);
	for (i = 0; i < 5; i++) {
		sra_value p[4] = { SRA_VAL_TEXT(sra_rows_get(ids, i, 0)), SRA_VAL_TEXT(start[i]),
				   SRA_VAL_TEXT(end[i]), SRA_VAL_TEXT(meta[i]) };

		sra_assert_ok(be->ops->query(NULL, be, sra_db__is_pg(db)
			? "UPDATE screen_abstract_results SET start_time = CAST($2 AS timestamptz),"
			  " end_time = CAST($3 AS timestamptz), response_metadata = CAST($4 AS jsonb)"
			  " WHERE id = CAST($1 AS uuid)"
			: "UPDATE screen_abstract_results SET start_time = $2, end_time = $3,"
			  " response_metadata = $4 WHERE id = $1", p, 4));
	}
	sra_rows_free(ids);
	sra_assert_ok(be->ops->query(NULL, be, sra_db__is_pg(db)
		? "UPDATE screen_abstract_results SET model_name = 'other-model'"
		  " WHERE screening_strategy = 'comprehensive' AND review_id = CAST($1 AS uuid)"
		: "UPDATE screen_abstract_results SET model_name = 'other-model'"
		  " WHERE screening_strategy = 'comprehensive' AND review_id = $1", rp, 1));
	sra_assert_ok(be->ops->query(NULL, be, sra_db__is_pg(db)
		? "UPDATE screen_abstract_results SET response_metadata = CAST('{\"usage\": {\"input_tokens\": 1000,"
		  " \"output_tokens\": 100}}' AS jsonb) WHERE id = CAST((SELECT min(CAST(id AS text)) FROM"
		  " screen_abstract_results WHERE screening_strategy = 'comprehensive'"
		  " AND review_id = CAST($1 AS uuid)) AS uuid)"
		: "UPDATE screen_abstract_results SET response_metadata = '{\"usage\": {\"input_tokens\": 1000,"
		  " \"output_tokens\": 100}}' WHERE id = (SELECT min(id) FROM"
		  " screen_abstract_results WHERE screening_strategy = 'comprehensive' AND review_id = $1)", rp, 1));

	make_id(f, run);
	bo.review_id = review;
	bo.run_id = run;
	bo.prices_json = "{\"test-model\": {\"input_per_mtok\": 2, \"output_per_mtok\": 10}}";
	bo.warn = collect_warning;
	bo.warn_payload = &warnings;
	sra_assert_ok(sra_benchmark_run(NULL, db, &bo));
	assert_non_null(strstr(sra_buf_cstr(&warnings), "'other-model'"));
	assert_null(strstr(sra_buf_cstr(&warnings), "'test-model'"));
	load_run(f, run, &r);
	u = json_object_get(r.detail, "usage");
	assert_non_null(u);
	assert_int_equal(json_integer_value(upath(u, "conservative", "calls")), 5);
	assert_int_equal(json_integer_value(upath(u, "conservative", "calls_with_usage")), 4);
	assert_int_equal(json_integer_value(upath(u, "conservative", "input_tokens")), 1000);
	assert_int_equal(json_integer_value(upath(u, "conservative", "output_tokens")), 100);
	assert_int_equal(json_integer_value(json_object_get(upath(u, "conservative", "latency_ms"), "p50")), 400);
	assert_int_equal(json_integer_value(json_object_get(upath(u, "conservative", "latency_ms"), "p95")), 1200);
	assert_int_equal(json_integer_value(json_object_get(upath(u, "conservative", "latency_ms"), "max")), 1200);
	assert_int_equal(json_integer_value(upath(u, "conservative", "wall_ms")), 40250);
	assert_near(json_number_value(upath(u, "conservative", "cost_usd")), 0.003, "cost");
	assert_near(json_number_value(upath(u, "conservative", "cost_per_record_usd")), 0.0006, "per record");
	assert_near(json_number_value(upath(u, "conservative", "cost_per_included_usd")), 0.0006, "per included");
	/* comprehensive: one call of five with usage, no times, no price */
	assert_int_equal(json_integer_value(upath(u, "comprehensive", "calls")), 5);
	assert_int_equal(json_integer_value(upath(u, "comprehensive", "calls_with_usage")), 1);
	assert_int_equal(json_integer_value(upath(u, "comprehensive", "input_tokens")), 1000);
	assert_true(json_is_null(json_object_get(upath(u, "comprehensive", "latency_ms"), "p50")));
	assert_true(json_is_null(upath(u, "comprehensive", "wall_ms")));
	assert_true(json_is_null(upath(u, "comprehensive", "cost_usd")));
	/* the resolver made no call: no tokens, never zero tokens */
	assert_int_equal(json_integer_value(upath(u, "resolver", "calls")), 0);
	assert_true(json_is_null(upath(u, "resolver", "input_tokens")));
	assert_true(json_is_null(upath(u, "resolver", "output_tokens")));
	/* total */
	assert_int_equal(json_integer_value(upath(u, "total", "calls")), 10);
	assert_int_equal(json_integer_value(upath(u, "total", "calls_with_usage")), 5);
	assert_int_equal(json_integer_value(upath(u, "total", "input_tokens")), 2000);
	assert_int_equal(json_integer_value(upath(u, "total", "output_tokens")), 200);
	assert_int_equal(json_integer_value(json_object_get(upath(u, "total", "latency_ms"), "p50")), 400);
	assert_true(json_is_null(upath(u, "total", "cost_usd")));
	assert_true(json_is_null(upath(u, "total", "cost_per_record_usd")));
	assert_near(json_number_value(json_object_get(json_object_get(json_object_get(r.config, "prices"),
		"test-model"), "output_per_mtok")), 10, "prices kept");
	run_row_dispose(&r);
	/* show: the usage block, and "usage" in the JSON */
	sra_assert_ok(sra_benchmark_show(&shown, db, run, SRA_BENCHMARK_TEXT, SRA_SHOW_NO_TIMES));
	assert_non_null(strstr(shown, "  conservative       5        4        1000         100     400    1200    1200\n"));
	assert_fits_80(shown);
	free(shown);
	sra_assert_ok(sra_benchmark_show(&shown, db, run, SRA_BENCHMARK_JSON, 0));
	assert_non_null(strstr(shown, "\"usage\": {"));
	free(shown);
	sra_buf_dispose(&warnings);
}

/* a prices file that is not prices is refused, and nothing is left */
static void test_benchmark_usage__bad_prices(void **state)
{
	static const pattern pats[] = { { 2, 1, "include", 0.9, "include", 0.9, NULL } };
	fixture *f = *state;
	sra_db *db = need(f);
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	char review[37];

	make_review(f, review);
	add_records(f, review, pats, 1);
	bo.review_id = review;
	bo.prices_json = "{\"m\": {\"input_per_mtok\": \"2\", \"output_per_mtok\": 1}}";
	assert_int_equal(sra_benchmark_run(NULL, db, &bo), SRA_EINVALID);
	bo.prices_json = "[1]";
	assert_int_equal(sra_benchmark_run(NULL, db, &bo), SRA_EINVALID);
}

#define CASES(fx) \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_run__reference_40_60_10_890, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_run__progress_slices, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_run__reference_tables, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_run__undefined_is_null, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_run__empty_review_leaves_nothing, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_find_items_export_delete, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_compare__leaderboard, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_demo__deterministic, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_usage__run, setup, teardown, &fx), \
	cmocka_unit_test_prestate_setup_teardown(test_benchmark_usage__bad_prices, setup, teardown, &fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { CASES(sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { CASES(pg_fx) };
	const struct CMUnitTest pure_tests[] = {
		cmocka_unit_test(test_benchmark_mcnemar__exact), cmocka_unit_test(test_benchmark_holm),
		cmocka_unit_test(test_benchmark_usage__nearest_rank), cmocka_unit_test(test_benchmark_usage__shapes),
		cmocka_unit_test(test_benchmark_usage__tokens_text),
		cmocka_unit_test(test_benchmark_usage__tokens_text_as_jansson)
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("benchmark_pure", pure_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("benchmark_sqlite", sqlite_tests, sqlite_group_setup, sqlite_group_teardown);
	failed += cmocka_run_group_tests_name("benchmark_postgresql", pg_tests, pg_group_setup, pg_group_teardown);
	return failed ? 1 : 0;
}
