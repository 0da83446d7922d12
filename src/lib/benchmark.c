/*
 * This file holds benchmark runs (benchmark.md, "Final decision and
 * classification", "Runs and what comes out"): sra_benchmark_run() and the
 * helpers the other benchmark files share.
 *
 * A run is SQL where SQL pays: the items are written by INSERT … SELECT over
 * the review's records and their linked results, with the final-decision
 * rule and the classification as CASE expressions (one variant per
 * dialect, chosen by SRA_CAP_PG_DIALECT), so a million records never pass
 * through C.  The counts come back by one GROUP BY over the new items (a few
 * hundred groups at most), and everything else -- the 2x2 tables of the
 * final decision, of each reviewer and of each uncertain policy, the 3x3
 * agreement table -- is derived from those groups in C.  Run row, items and
 * metrics are written in one transaction.
 *
 * With a progress callback the records are taken in 16 slices of the id
 * range (each slice one INSERT … SELECT), so progress can be reported
 * between slices; the slices partition the ids whatever their case or
 * distribution.
 */
#include "benchmark_int.h"
#include "final_decision.h"
#include "metrics_int.h"
#include "util/uuid.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

/* ---- shared helpers ------------------------------------------------------ */

const char *const sra_bm__typed_metrics[11] = {
	"sensitivity", "specificity", "accuracy", "ppv", "npv", "f1_score",
	"mcc", "cohen_kappa", "pabak", "lr_plus", "lr_minus"
};

int sra_bm__bool_cell(const char *cell)
{
	if (!cell)
		return -1;
	return cell[0] == 't' || cell[0] == '1' || cell[0] == 'T';
}

void sra_bm__put_double(sra_buf *b, double v)
{
	char tmp[40];
	int p;

	if (!isfinite(v)) {
		sra_buf_puts(b, isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*g", p, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	sra_buf_puts(b, tmp);
}

json_t *sra_bm__num_json(const char *cell)
{
	char *end;
	double v;

	if (!cell || !*cell)
		return json_null();
	v = strtod(cell, &end);
	if (*end || !isfinite(v))
		return json_null();
	return json_real(v);
}

json_t *sra_bm__int_json(const char *cell)
{
	char *end;
	long long v;

	if (!cell || !*cell)
		return json_null();
	v = strtoll(cell, &end, 10);
	if (*end)
		return json_null();
	return json_integer(v);
}

const char *sra_uncertain_policy_name(sra_uncertain_policy p)
{
	switch (p) {
	case SRA_UNCERTAIN_EXCLUDE:
		return "exclude";
	case SRA_UNCERTAIN_ERROR:
		return "error";
	default:
		return "include";
	}
}

int sra_uncertain_policy_parse(sra_uncertain_policy *out, const char *name)
{
	SRA_ASSERT_ARG(out);
	if (name && strcmp(name, "include") == 0)
		*out = SRA_UNCERTAIN_INCLUDE;
	else if (name && strcmp(name, "exclude") == 0)
		*out = SRA_UNCERTAIN_EXCLUDE;
	else if (name && strcmp(name, "error") == 0)
		*out = SRA_UNCERTAIN_ERROR;
	else
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
			"unknown uncertain policy '%s' (include, exclude or error)", name ? name : "");
	return 0;
}

/* ---- the items, in SQL ----------------------------------------------------- */

/*
 * One INSERT … SELECT.  $1 run id, $2 review id, $3 threshold, then the
 * optional slice bounds ($4 lower, $5 upper, or $4 alone).  The innermost
 * query reads a record and its links; the middle one applies the rule; the
 * outer one classifies.  Decisions compare as text in both dialects.
 */
static void build_items_sql(sra_buf *sql, sra_db *db, sra_uncertain_policy policy,
			    int has_lo, int has_hi)
{
	/* what an uncertain final decision is, for a human include / exclude */
	const char *unc_pos = policy == SRA_UNCERTAIN_INCLUDE ? "TP" : "FN";
	const char *unc_neg = policy == SRA_UNCERTAIN_EXCLUDE ? "TN" : "FP";
	int pg = sra_db__is_pg(db), next = 4;
	const sra_final__cols final_cols = {
		"x.cd", "x.cc", "x.md", "x.mc", "x.rid", "x.rd", pg ? "CAST($3 AS double precision)" : "$3"
	};

	sra_buf_puts(sql,
		"INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id,"
		" human_decision, conservative_decision, conservative_confidence, conservative_rationale,"
		" comprehensive_decision, comprehensive_confidence, comprehensive_rationale,"
		" resolver_decision, resolver_confidence, resolver_reasoning, final_decision,"
		" classification, conservative_run_id, conservative_trace_id,"
		" comprehensive_run_id, comprehensive_trace_id)"
		" SELECT ");
	sra_buf_printf(sql, "%s, %s", sra_db__uuid_sql(db), pg ? "CAST($1 AS uuid)" : "$1");
	sra_buf_printf(sql,
		", y.id, y.h, y.cd, y.cc, y.cr, y.md, y.mc, y.mr, y.rd, y.rc, y.rr, y.f,"
		" CASE WHEN y.h IS NULL THEN 'UNKNOWN'"
		" WHEN y.f = 'include' THEN (CASE WHEN y.h THEN 'TP' ELSE 'FP' END)"
		" WHEN y.f = 'exclude' THEN (CASE WHEN y.h THEN 'FN' ELSE 'TN' END)"
		" ELSE (CASE WHEN y.h THEN '%s' ELSE '%s' END) END,"
		" y.cid, y.ctr, y.mid, y.mtr"
		" FROM (SELECT x.*, ",
		unc_pos, unc_neg);
	sra_final__sql(sql, pg, &final_cols);	/* the one rule, as import decisions uses it */
	sra_buf_puts(sql, " AS f FROM (SELECT sr.id AS id, ");
	if (pg)
		sra_buf_puts(sql,
			"CASE jsonb_typeof(sr.source_metadata -> 'benchmark_human_decision')"
			" WHEN 'boolean' THEN CAST(sr.source_metadata ->> 'benchmark_human_decision' AS boolean)"
			" END AS h,");
	else
		sra_buf_puts(sql,
			"CASE json_type(sr.source_metadata, '$.benchmark_human_decision')"
			" WHEN 'true' THEN 1 WHEN 'false' THEN 0 END AS h,");
	sra_buf_puts(sql,
		" c.decision AS cd, c.confidence_score AS cc, c.rationale AS cr, c.id AS cid,"
		" c.trace_id AS ctr, m.decision AS md, m.confidence_score AS mc, m.rationale AS mr,"
		" m.id AS mid, m.trace_id AS mtr, r.id AS rid, r.resolver_decision AS rd,"
		" r.resolver_confidence_score AS rc, r.resolver_reasoning AS rr"
		" FROM search_results sr"
		" LEFT JOIN screen_abstract_results c ON c.id = sr.conservative_result_id"
		" LEFT JOIN screen_abstract_results m ON m.id = sr.comprehensive_result_id"
		" LEFT JOIN screening_resolutions r ON r.id = sr.resolution_id");
	if (pg)
		sra_buf_puts(sql, " WHERE sr.review_id = CAST($2 AS uuid)");
	else if (has_lo || has_hi)	/* a slice: the id range, not the review's whole index */
		sra_buf_puts(sql, " WHERE +sr.review_id = $2");
	else
		sra_buf_puts(sql, " WHERE sr.review_id = $2");
	if (has_lo)
		sra_buf_printf(sql, pg ? " AND sr.id >= CAST($%d AS uuid)" : " AND sr.id >= $%d", next++);
	if (has_hi)
		sra_buf_printf(sql, pg ? " AND sr.id < CAST($%d AS uuid)" : " AND sr.id < $%d", next++);
	/*
	 * SQLite: the items in the order of the records' ids, so the unique
	 * (run, record) index and the record index take them at their ends
	 * rather than at random places (a 100,000-item run: about 0.3 s less
	 * for the sort's cost).  The order of the rows changes nothing else.
	 */
	sra_buf_puts(sql, pg ? ") x) y" : ") x) y ORDER BY y.id");
}

/* ---- counting ----------------------------------------------------------- */

enum { D_INCLUDE = 0, D_EXCLUDE = 1, D_UNCERTAIN = 2, D_NONE = 3 };

static int decision_index(const char *cell)
{
	if (!cell)
		return D_NONE;
	if (strcmp(cell, "include") == 0)
		return D_INCLUDE;
	if (strcmp(cell, "exclude") == 0)
		return D_EXCLUDE;
	return D_UNCERTAIN;
}

/* what the GROUP BY gives: counts by human x final x conservative x comprehensive x resolved */
typedef struct {
	int64_t n[3][4][4][4][2];	/* human (0 exclude, 1 include, 2 unknown), final, cd, md, resolved */
	int64_t items;
} tally;

/* add a decision d against human h (0/1) to a 2x2 table under a policy */
static void classify(sra_confusion *c, int d, int h, sra_uncertain_policy policy, int64_t n)
{
	int include;

	if (d == D_UNCERTAIN) {
		if (policy == SRA_UNCERTAIN_ERROR) {
			if (h)
				c->fn += n;
			else
				c->fp += n;
			return;
		}
		include = policy == SRA_UNCERTAIN_INCLUDE;
	} else {
		include = d == D_INCLUDE;
	}
	if (include && h)
		c->tp += n;
	else if (include)
		c->fp += n;
	else if (h)
		c->fn += n;
	else
		c->tn += n;
}

static int tally_cb(void *payload, size_t ncols, const char *const *cells)
{
	tally *t = payload;
	int h, f, cd, md, rs;
	long long n;

	if (ncols < 6)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EBACKEND, "unexpected count row");
	h = sra_bm__bool_cell(cells[0]);
	h = h < 0 ? 2 : h;
	f = decision_index(cells[1]);
	cd = decision_index(cells[2]);
	md = decision_index(cells[3]);
	rs = cells[4] && cells[4][0] == '1';
	n = cells[5] ? strtoll(cells[5], NULL, 10) : 0;
	if (f == D_NONE)
		f = D_UNCERTAIN;
	t->n[h][f][cd][md][rs] += n;
	t->items += n;
	return 0;
}

/* ---- the run row -------------------------------------------------------- */

/* "2025-05-20T13:20:38.123Z": read by PostgreSQL's timestamptz and kept as is by SQLite */
static void now_iso(char out[64])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* the fewest significant digits (<= 17) that print every real in j exactly */
static int json_digits(const json_t *j)
{
	int best = 1, d;

	if (json_is_real(j)) {
		double v = json_real_value(j);
		char tmp[40];

		for (d = 1; d < 17; d++) {
			snprintf(tmp, sizeof(tmp), "%.*g", d, v);
			if (strtod(tmp, NULL) == v)
				break;
		}
		return d;
	}
	if (json_is_object(j)) {
		const char *k;
		json_t *v;

		json_object_foreach((json_t *)j, k, v)
			if ((d = json_digits(v)) > best)
				best = d;
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;

		json_array_foreach(j, i, v)
			if ((d = json_digits(v)) > best)
				best = d;
	}
	return best;
}

/* config_details: the caller's object with the run's own settings set over it */
static int build_config(char **out, const sra_benchmark_options *o)
{
	json_t *cfg;
	json_error_t jerr;

	if (o->config_json && *o->config_json) {
		if (!(cfg = json_loads(o->config_json, JSON_REJECT_DUPLICATES, &jerr)))
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"--config is not valid JSON: %s (at character %d)", jerr.text, jerr.position);
		if (!json_is_object(cfg)) {
			json_decref(cfg);
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"--config must be a JSON object");
		}
	} else {
		cfg = json_object();
	}
	if (o->version >= 2 && o->prices_json) {
		json_t *prices = json_loads(o->prices_json, JSON_REJECT_DUPLICATES, &jerr), *p;
		const char *model;

		if (!prices || !json_is_object(prices)) {
			json_decref(prices);
			json_decref(cfg);
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"the prices are not a JSON object of models");
		}
		json_object_foreach(prices, model, p) {
			const json_t *in = json_object_get(p, "input_per_mtok"), *ou = json_object_get(p, "output_per_mtok");

			if (!json_is_number(in) || !json_is_number(ou) || json_number_value(in) < 0 ||
			    json_number_value(ou) < 0) {
				int e = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
					"the prices of model '%s' need input_per_mtok and output_per_mtok as "
					"numbers >= 0 (USD per million tokens)", model);
				json_decref(prices);
				json_decref(cfg);
				return e;
			}
		}
		json_object_set_new(cfg, "prices", prices);
	}
	json_object_set_new(cfg, "uncertain_policy", json_string(sra_uncertain_policy_name(o->uncertain)));
	json_object_set_new(cfg, "threshold", json_real(o->threshold));
	*out = json_dumps(cfg, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(json_digits(cfg)));
	json_decref(cfg);
	return *out ? 0 : sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot encode config_details");
}

/* the metrics of each uncertain policy: sensitivity and specificity */
static json_t *policies_json(const tally *t)
{
	json_t *all = json_object();
	int p, h, f, cd, md, rs;

	for (p = SRA_UNCERTAIN_INCLUDE; p <= SRA_UNCERTAIN_ERROR; p++) {
		sra_confusion c = { 0, 0, 0, 0 };
		sra_metrics m;
		json_t *one = json_object();

		for (h = 0; h < 2; h++)
			for (f = 0; f < 3; f++)
				for (cd = 0; cd < 4; cd++)
					for (md = 0; md < 4; md++)
						for (rs = 0; rs < 2; rs++)
							classify(&c, f, h, (sra_uncertain_policy)p,
								 t->n[h][f][cd][md][rs]);
		sra_metrics_compute(&m, &c);
		json_object_set_new(one, "sensitivity", sra_metrics__metric_json(&m.sensitivity));
		json_object_set_new(one, "specificity", sra_metrics__metric_json(&m.specificity));
		json_object_set_new(all, sra_uncertain_policy_name((sra_uncertain_policy)p), one);
	}
	return all;
}

/* ---- sra_benchmark_run ------------------------------------------------- */

typedef struct {
	sra_confusion fin, cons, comp;
	sra_agreement_table agree;
	int64_t unknown, uncertain, unscreened, resolved;
} summary;

static void summarise(summary *s, const tally *t, sra_uncertain_policy policy)
{
	int h, f, cd, md, rs;

	memset(s, 0, sizeof(*s));
	for (h = 0; h < 3; h++)
		for (f = 0; f < 3; f++)
			for (cd = 0; cd < 4; cd++)
				for (md = 0; md < 4; md++)
					for (rs = 0; rs < 2; rs++) {
						int64_t n = t->n[h][f][cd][md][rs];

						if (!n)
							continue;
						if (h == 2)
							s->unknown += n;
						if (f == D_UNCERTAIN)
							s->uncertain += n;
						if (rs)
							s->resolved += n;
						if (cd == D_NONE && md == D_NONE && !rs)
							s->unscreened += n;
						if (cd != D_NONE && md != D_NONE)
							s->agree.n[cd][md] += n;
						if (h == 2)
							continue;
						classify(&s->fin, f, h, policy, n);
						if (cd != D_NONE)
							classify(&s->cons, cd, h, policy, n);
						if (md != D_NONE)
							classify(&s->comp, md, h, policy, n);
					}
}

static sra_value metric_value(const sra_metric *m)
{
	return m->value_defined ? SRA_VAL_REAL(m->value) : SRA_VAL_NULL;
}

/* the slice bounds: 16 ranges of the first hex digit of the id */
static void slice_bound(char out[37], int k)
{
	snprintf(out, 37, "%x0000000-0000-0000-0000-000000000000", k);
}

/* One run in the making: what its steps share. */
typedef struct run_ctx {
	sra_db *db;
	const sra_benchmark_options *opts;
	int pg;
	char run_id[37], review_id[37], started[64], finished[64];
	char *config;		/* owned: config_details */
	int64_t total;		/* the review's records */
	tally *t;		/* owned: the items, grouped */
	summary s;
	sra_metrics fin, cons, comp;
	char *detail_text;	/* owned: metrics_detail */
	sra_bm_usage *usage;	/* owned: the calls behind the records */
} run_ctx;

/* step 1: the options and the ids (lowercase; a new run id when none is given) */
static int run_check_options(run_ctx *r)
{
	const sra_benchmark_options *opts = r->opts;

	if (sra__uuid_norm(r->review_id, opts->review_id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
			"'%s' is not a review id (a UUID)", opts->review_id ? opts->review_id : "");
	if (opts->uncertain < SRA_UNCERTAIN_INCLUDE || opts->uncertain > SRA_UNCERTAIN_ERROR)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "unknown uncertain policy");
	if (!(opts->threshold >= 0 && opts->threshold <= 1))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
			"the threshold must be between 0 and 1");
	if (opts->run_id && sra__uuid_norm(r->run_id, opts->run_id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a run id (a UUID)",
				     opts->run_id);
	if (!opts->run_id)
		sra__uuid_v4(r->run_id);
	return 0;
}

/* step 2: the review exists and has records */
static int run_count_records(run_ctx *r)
{
	sra_value p[1] = { SRA_VAL_TEXT(r->review_id) };
	sra_rows *rows = NULL;
	int error;

	if ((error = sra_db__query(&rows, r->db,
			r->pg ? "SELECT (SELECT count(*) FROM systematic_reviews WHERE id = CAST($1 AS uuid)),"
				" (SELECT count(*) FROM search_results WHERE review_id = CAST($1 AS uuid))"
			      : "SELECT (SELECT count(*) FROM systematic_reviews WHERE id = $1),"
				" (SELECT count(*) FROM search_results WHERE review_id = $1)",
			p, 1)) < 0)
		return error;
	if (strcmp(sra_rows_get(rows, 0, 0), "0") == 0)
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ENOTFOUND, "no review %s", r->review_id);
	else if ((r->total = strtoll(sra_rows_get(rows, 0, 1), NULL, 10)) == 0)
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_EINVALID,
			"review %s has no records: nothing to benchmark (import records first)", r->review_id);
	sra_rows_free(rows);
	return error;
}

/* step 3: the run row first: the items refer to it */
static int run_insert_row(run_ctx *r)
{
	sra_value p[6];

	p[0] = SRA_VAL_TEXT(r->run_id);
	p[1] = SRA_VAL_TEXT(r->review_id);
	p[2] = SRA_VAL_TEXT(r->config);
	p[3] = SRA_VAL_TEXT(r->opts->notes);
	p[4] = SRA_VAL_TEXT(r->started);
	p[5] = SRA_VAL_TEXT(sra_uncertain_policy_name(r->opts->uncertain));
	return sra_db__query(NULL, r->db, r->pg
			? "INSERT INTO benchmark_runs (id, review_id, config_details, run_notes, status,"
			  " started_at, uncertain_policy) VALUES (CAST($1 AS uuid), CAST($2 AS uuid),"
			  " CAST($3 AS jsonb), $4, 'running', CAST($5 AS timestamptz), $6)"
			: "INSERT INTO benchmark_runs (id, review_id, config_details, run_notes, status,"
			  " started_at, uncertain_policy) VALUES ($1, $2, $3, $4, 'running', $5, $6)",
			p, 6);
}

/* step 4: the items, in one statement, or in slices between which progress is told */
static int run_write_items(run_ctx *r)
{
	const sra_benchmark_options *opts = r->opts;
	sra_buf sql = SRA_BUF_INIT;
	char lo[37], hi[37];
	sra_value p[5];
	int k, nslices = opts->progress ? 16 : 1, error = 0;

	p[0] = SRA_VAL_TEXT(r->run_id);
	p[1] = SRA_VAL_TEXT(r->review_id);
	p[2] = SRA_VAL_REAL(opts->threshold);
	/*
	 * SQLite: the items' CHECK constraints are not evaluated for these
	 * statements (ignore_check_constraints, a flag of the connection read
	 * when a statement is prepared, set back below whatever happens).
	 * Every value they would check is already checked where it comes
	 * from: the ids, decisions and confidences are copies of columns with
	 * the same CHECKs (every table at head has them; the revision that
	 * added them rebuilt the tables through their CHECKs), the run id is
	 * normalised above, the new ids are made lower-case, and human
	 * decision, final decision and classification are CASE expressions
	 * over those.  The GLOB of each of six uuid columns was a sixth of a
	 * 100,000-item run.  NOT NULL, UNIQUE and the foreign keys stay.
	 */
	if (!r->pg && (error = sra_db__exec(r->db, "PRAGMA ignore_check_constraints = 1")) < 0)
		return error;
	for (k = 0; k < nslices; k++) {
		int has_lo = nslices > 1 && k > 0, has_hi = nslices > 1 && k < nslices - 1;
		size_t np = 3;

		if (has_lo) {
			slice_bound(lo, k);
			p[np++] = SRA_VAL_TEXT(lo);
		}
		if (has_hi) {
			slice_bound(hi, k + 1);
			p[np++] = SRA_VAL_TEXT(hi);
		}
		sra_buf_clear(&sql);
		build_items_sql(&sql, r->db, opts->uncertain, has_lo, has_hi);
		if ((error = sra_db__query(NULL, r->db, sra_buf_cstr(&sql), p, np)) < 0)
			break;
		if (opts->progress && opts->progress(opts->progress_payload,
				k == nslices - 1 ? r->total : r->total * (k + 1) / nslices, r->total)) {
			error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_EUSER, "the run was interrupted");
			break;
		}
	}
	sra_buf_dispose(&sql);
	if (!r->pg) {
		int e2 = sra_db__exec(r->db, "PRAGMA ignore_check_constraints = 0");

		if (error == 0 && e2 < 0)
			error = e2;
	}
	return error;
}

/* step 5: the items grouped back, every 2x2 table and its metrics */
static int run_tally(run_ctx *r)
{
	sra_value p[1] = { SRA_VAL_TEXT(r->run_id) };
	int error;

	r->t = sra__calloc(1, sizeof(*r->t));
	if ((error = sra_db__query_each(r->db,
			r->pg ? "SELECT human_decision, final_decision, conservative_decision, comprehensive_decision,"
				" CASE WHEN resolver_decision IS NULL THEN 0 ELSE 1 END, count(*)"
				" FROM benchmark_result_items WHERE benchmark_run_id = CAST($1 AS uuid)"
				" GROUP BY 1, 2, 3, 4, 5"
			      : "SELECT human_decision, final_decision, conservative_decision, comprehensive_decision,"
				" CASE WHEN resolver_decision IS NULL THEN 0 ELSE 1 END, count(*)"
				" FROM benchmark_result_items WHERE benchmark_run_id = $1"
				" GROUP BY 1, 2, 3, 4, 5",
			p, 1, tally_cb, r->t)) < 0)
		return error;
	if (r->t->items != r->total)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR,
			"%lld items for %lld records: the records changed during the run",
			(long long)r->t->items, (long long)r->total);
	summarise(&r->s, r->t, r->opts->uncertain);
	if ((error = sra_metrics_compute(&r->fin, &r->s.fin)) < 0 ||
	    (error = sra_metrics_compute(&r->cons, &r->s.cons)) < 0 ||
	    (error = sra_metrics_compute(&r->comp, &r->s.comp)) < 0)
		return error;
	return 0;
}

/* step 6: metrics_detail */
static int run_build_detail(run_ctx *r)
{
	json_t *detail = json_object(), *counts = json_object();

	json_object_set_new(detail, "final", sra_metrics__json(&r->fin));
	json_object_set_new(detail, "conservative", sra_metrics__json(&r->cons));
	json_object_set_new(detail, "comprehensive", sra_metrics__json(&r->comp));
	json_object_set_new(detail, "agreement", sra_metrics__agreement_json(&r->s.agree));
	json_object_set_new(detail, "policies", policies_json(r->t));
	json_object_set_new(counts, "items", json_integer(r->t->items));
	json_object_set_new(counts, "unknown", json_integer(r->s.unknown));
	json_object_set_new(counts, "uncertain", json_integer(r->s.uncertain));
	json_object_set_new(counts, "unscreened", json_integer(r->s.unscreened));
	json_object_set_new(counts, "resolved", json_integer(r->s.resolved));
	json_object_set_new(detail, "counts", counts);
	{
		json_t *cfg = json_loads(r->config, 0, NULL);
		const sra_benchmark_options *o = r->opts;

		json_object_set_new(detail, "usage",
			sra_bm__usage_json(r->usage, json_object_get(cfg, "prices"), r->t->items,
					   r->s.fin.tp + r->s.fin.fn, o->version >= 2 ? o->warn : NULL,
					   o->version >= 2 ? o->warn_payload : NULL));
		json_decref(cfg);
	}
	r->detail_text = json_dumps(detail, JSON_COMPACT | SRA_BM_JSON_FLAGS);
	json_decref(detail);
	if (!r->detail_text)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot encode metrics_detail");
	return 0;
}

/* step 7: the summary, and the run is complete */
static int run_complete(run_ctx *r)
{
	sra_buf sql = SRA_BUF_INIT;
	sra_value p[21];
	size_t i;
	int error;

	now_iso(r->finished);
	p[0] = SRA_VAL_TEXT(r->run_id);
	p[1] = SRA_VAL_INT(r->s.fin.tp);
	p[2] = SRA_VAL_INT(r->s.fin.fp);
	p[3] = SRA_VAL_INT(r->s.fin.fn);
	p[4] = SRA_VAL_INT(r->s.fin.tn);
	p[5] = metric_value(&r->fin.sensitivity);
	p[6] = metric_value(&r->fin.specificity);
	p[7] = metric_value(&r->fin.accuracy);
	p[8] = metric_value(&r->fin.ppv);
	p[9] = metric_value(&r->fin.npv);
	p[10] = metric_value(&r->fin.f1_score);
	p[11] = metric_value(&r->fin.mcc);
	p[12] = metric_value(&r->fin.cohen_kappa);
	p[13] = metric_value(&r->fin.pabak);
	p[14] = metric_value(&r->fin.lr_plus);
	p[15] = metric_value(&r->fin.lr_minus);
	p[16] = SRA_VAL_TEXT(r->finished);
	p[17] = SRA_VAL_INT(r->t->items);
	p[18] = SRA_VAL_INT(r->s.unknown);
	p[19] = SRA_VAL_INT(r->s.uncertain);
	p[20] = SRA_VAL_TEXT(r->detail_text);
	sra_buf_puts(&sql, "UPDATE benchmark_runs SET tp = $2, fp = $3, fn = $4, tn = $5");
	for (i = 0; i < SRA_ARRAY_SIZE(sra_bm__typed_metrics); i++)
		sra_buf_printf(&sql, r->pg ? ", %s = CAST($%zu AS double precision)" : ", %s = $%zu",
			       sra_bm__typed_metrics[i], i + 6);
	sra_buf_puts(&sql, r->pg
		? ", status = 'completed', finished_at = CAST($17 AS timestamptz), n_items = $18,"
		  " n_unknown = $19, n_uncertain = $20, metrics_detail = CAST($21 AS jsonb)"
		  " WHERE id = CAST($1 AS uuid)"
		: ", status = 'completed', finished_at = $17, n_items = $18,"
		  " n_unknown = $19, n_uncertain = $20, metrics_detail = $21 WHERE id = $1");
	error = sra_db__query(NULL, r->db, sra_buf_cstr(&sql), p, 21);
	sra_buf_dispose(&sql);
	return error;
}

/*
 * A run is its steps in one transaction: the records counted, the run row,
 * the calls behind the records (usage; read before the items are written,
 * so the items' SELECT finds the same pages in the cache), the items, their
 * tally and metrics, metrics_detail, the run completed.
 */
int sra_benchmark_run(char **out, sra_db *db, const sra_benchmark_options *opts)
{
	run_ctx r;
	int error, in_txn = 0;

	SRA_ASSERT_ARG(db && opts && opts->version >= 1 && opts->version <= SRA_BENCHMARK_OPTIONS_VERSION);
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.opts = opts;
	r.pg = sra_db__is_pg(db);
	if ((error = run_check_options(&r)) < 0)
		return error;
	if ((error = build_config(&r.config, opts)) < 0)
		goto done;

	/* a million items into twelve indexes (SQLite: a bigger page cache) */
	if ((error = sra_db__bulk_hint(db, 1)) < 0)
		goto done;
	if ((error = sra_db__begin(db)) < 0)
		goto done;
	in_txn = 1;
	now_iso(r.started);
	if ((error = run_count_records(&r)) < 0 ||
	    (error = run_insert_row(&r)) < 0 ||
	    (error = sra_bm__usage_gather(&r.usage, db, r.review_id)) < 0 ||
	    (error = run_write_items(&r)) < 0 ||
	    (error = run_tally(&r)) < 0 ||
	    (error = run_build_detail(&r)) < 0 ||
	    (error = run_complete(&r)) < 0 ||
	    (error = sra_db__commit(db)) < 0)
		goto done;
	in_txn = 0;
	if (out)
		*out = sra__strdup(r.run_id);
done:
	if (in_txn)
		sra_db__rollback(db);
	sra_db__bulk_hint(db, 0);
	free(r.detail_text);
	sra_bm__usage_free(r.usage);
	free(r.config);
	free(r.t);
	return error;
}
