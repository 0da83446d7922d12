/*
 * This file holds the leaderboard of runs (sra_benchmark_compare): any
 * number of runs of one review side by side -- settings, counts, every
 * metric with its interval, usage -- and an exact McNemar test of each run
 * against the first on the records both decided, the p-values adjusted by
 * Holm's method for the several comparisons.
 *
 * The leaderboard is built once as a JSON document (what `--json` prints and
 * the HTML report embeds); the text for people is drawn from that document,
 * so the two never disagree.
 */
#include "benchmark_int.h"
#include "metrics_int.h"

#include <math.h>
#include <stdio.h>

/* ---- statistics ----------------------------------------------------------- */

double sra_benchmark_mcnemar_exact(int64_t b, int64_t c)
{
	int64_t n = b + c, k = b < c ? b : c, i;
	double log_tk, ratio = 1, sum = 1, p;

	if (b < 0 || c < 0)
		return NAN;
	if (n == 0)
		return 1.0;
	/*
	 * P(X <= k) = sum_{i<=k} C(n,i) / 2^n.  The largest term is i = k
	 * (k <= n/2); sum the others as ratios to it, walking down until
	 * they no longer matter, so nothing underflows before the end.
	 */
	log_tk = lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1)
		 - (double)n * log(2.0);
	for (i = k; i > 0; i--) {
		ratio *= (double)i / (double)(n - i + 1);
		sum += ratio;
		if (ratio < sum * 1e-17)
			break;
	}
	p = exp(log(2.0) + log_tk + log(sum));
	return p > 1 ? 1 : p;
}

typedef struct {
	double p;
	size_t at;
} ranked_p;

static int ranked_cmp(const void *a, const void *b)
{
	const ranked_p *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;	/* stable: ties keep their order */
}

void sra_benchmark_holm(double *adjusted, const double *p, size_t n)
{
	ranked_p *r;
	double running = 0;
	size_t i;

	if (n == 0)
		return;
	r = sra__calloc(n, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].p = p[i];
		r[i].at = i;
	}
	qsort(r, n, sizeof(*r), ranked_cmp);
	for (i = 0; i < n; i++) {
		double v = (double)(n - i) * r[i].p;

		if (v > 1)
			v = 1;
		if (v > running)	/* step-down: never below an earlier one */
			running = v;
		adjusted[r[i].at] = running;
	}
	free(r);
}

/* ---- the runs ------------------------------------------------------------- */

typedef struct {
	int64_t ref_only, run_only, both, neither, shared;
} discordance;

static int64_t cell_int(const char *cell)
{
	return cell ? (int64_t)strtoll(cell, NULL, 10) : 0;
}

/* correct/wrong pairs of two runs over the records both classified against a known human decision */
static int load_discordance(discordance *d, sra_db *db, const char *a, const char *b)
{
	sra_rows *rows = NULL;
	sra_value p[2] = { SRA_VAL_TEXT(a), SRA_VAL_TEXT(b) };
	int pg = sra_db__is_pg(db), error;

	error = sra_db__query(&rows, db, pg
		? "SELECT"
		  " coalesce(sum(CASE WHEN x.classification IN ('TP', 'TN') AND y.classification IN ('FP', 'FN') THEN 1 ELSE 0 END), 0),"
		  " coalesce(sum(CASE WHEN x.classification IN ('FP', 'FN') AND y.classification IN ('TP', 'TN') THEN 1 ELSE 0 END), 0),"
		  " coalesce(sum(CASE WHEN x.classification IN ('TP', 'TN') AND y.classification IN ('TP', 'TN') THEN 1 ELSE 0 END), 0),"
		  " coalesce(sum(CASE WHEN x.classification IN ('FP', 'FN') AND y.classification IN ('FP', 'FN') THEN 1 ELSE 0 END), 0),"
		  " count(*)"
		  " FROM benchmark_result_items x JOIN benchmark_result_items y ON y.search_result_id = x.search_result_id"
		  " WHERE x.benchmark_run_id = CAST($1 AS uuid) AND y.benchmark_run_id = CAST($2 AS uuid)"
		  " AND x.classification <> 'UNKNOWN' AND y.classification <> 'UNKNOWN'"
		: "SELECT"
		  " coalesce(sum(x.classification IN ('TP', 'TN') AND y.classification IN ('FP', 'FN')), 0),"
		  " coalesce(sum(x.classification IN ('FP', 'FN') AND y.classification IN ('TP', 'TN')), 0),"
		  " coalesce(sum(x.classification IN ('TP', 'TN') AND y.classification IN ('TP', 'TN')), 0),"
		  " coalesce(sum(x.classification IN ('FP', 'FN') AND y.classification IN ('FP', 'FN')), 0),"
		  " count(*)"
		  " FROM benchmark_result_items x JOIN benchmark_result_items y ON y.search_result_id = x.search_result_id"
		  " WHERE x.benchmark_run_id = $1 AND y.benchmark_run_id = $2"
		  " AND x.classification <> 'UNKNOWN' AND y.classification <> 'UNKNOWN'",
		p, 2);
	if (error < 0)
		return error;
	d->ref_only = cell_int(sra_rows_get(rows, 0, 0));
	d->run_only = cell_int(sra_rows_get(rows, 0, 1));
	d->both = cell_int(sra_rows_get(rows, 0, 2));
	d->neither = cell_int(sra_rows_get(rows, 0, 3));
	d->shared = cell_int(sra_rows_get(rows, 0, 4));
	sra_rows_free(rows);
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* one run's entry, without its McNemar test */
static json_t *run_entry(const sra_rows *run)
{
	json_t *o = json_object();
	json_t *detail = sra_bm__parse_json_cell(sra_rows_get(run, 0, BM_RUN_DETAIL));
	json_t *config = sra_bm__jsonb_order(sra_bm__parse_json_cell(sra_rows_get(run, 0, BM_RUN_CONFIG)));
	json_t *usage = json_object_get(json_object_get(detail, "usage"), "total");
	sra_confusion c;
	sra_metrics m;

	json_object_set_new(o, "id", json_string(sra_rows_get(run, 0, BM_RUN_ID)));
	json_object_set_new(o, "status", str_or_null(sra_rows_get(run, 0, BM_RUN_STATUS)));
	json_object_set_new(o, "uncertain_policy", str_or_null(sra_rows_get(run, 0, BM_RUN_POLICY)));
	json_object_set_new(o, "run_notes", str_or_null(sra_rows_get(run, 0, BM_RUN_NOTES)));
	json_object_set_new(o, "config", json_is_object(config) ? config : (json_decref(config), json_object()));
	if (sra_bm__final_counts(&c, run, detail) && sra_metrics_compute(&m, &c) == 0) {
		json_t *mj = sra_metrics__json(&m);

		json_object_set(o, "counts", json_object_get(mj, "counts"));
		json_object_set(o, "metrics", json_object_get(mj, "metrics"));
		json_decref(mj);
	} else {
		json_object_set_new(o, "counts", json_null());
		json_object_set_new(o, "metrics", json_null());
	}
	json_object_set(o, "usage", usage ? usage : json_null());
	json_decref(detail);
	return o;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the config keys of every run, sorted, without `prices` (shown with usage) */
static json_t *config_keys(const json_t *runs)
{
	json_t *seen = json_object(), *run, *v, *out = json_array();
	const char *k, **keys;
	size_t i, n = 0;

	json_array_foreach(runs, i, run)
		json_object_foreach(json_object_get(run, "config"), k, v)
			if (strcmp(k, "prices") != 0)
				json_object_set_new(seen, k, json_true());
	keys = sra__calloc(json_object_size(seen) + 1, sizeof(*keys));
	json_object_foreach(seen, k, v)
		keys[n++] = k;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_string(keys[i]));
	free(keys);
	json_decref(seen);
	return out;
}

/* the leaderboard document of loaded runs; *out is a new reference */
static int build(json_t **out, sra_db *db, sra_rows *const *rows, size_t nruns)
{
	json_t *o = json_object(), *runs = json_array();
	double *p = sra__calloc(nruns, sizeof(*p));
	size_t i;
	int error = 0;

	json_object_set_new(o, "review_id", json_string(sra_rows_get(rows[0], 0, BM_RUN_REVIEW)));
	json_object_set_new(o, "reference_run", json_string(sra_rows_get(rows[0], 0, BM_RUN_ID)));
	for (i = 0; i < nruns; i++)
		json_array_append_new(runs, run_entry(rows[i]));
	json_object_set_new(o, "config_keys", config_keys(runs));
	json_object_set_new(o, "mcnemar_method", json_string("exact binomial, two-sided"));
	json_object_set_new(o, "p_adjust", json_string("holm"));
	json_object_set_new(o, "runs", runs);
	json_object_set_new(json_array_get(runs, 0), "mcnemar", json_null());
	for (i = 1; i < nruns; i++) {
		discordance d;
		json_t *mc;

		if ((error = load_discordance(&d, db, sra_rows_get(rows[0], 0, BM_RUN_ID),
					      sra_rows_get(rows[i], 0, BM_RUN_ID))) < 0)
			goto done;
		p[i] = sra_benchmark_mcnemar_exact(d.ref_only, d.run_only);
		mc = json_object();
		json_object_set_new(mc, "shared_records", json_integer(d.shared));
		json_object_set_new(mc, "both_correct", json_integer(d.both));
		json_object_set_new(mc, "both_wrong", json_integer(d.neither));
		json_object_set_new(mc, "reference_correct_only", json_integer(d.ref_only));
		json_object_set_new(mc, "run_correct_only", json_integer(d.run_only));
		json_object_set_new(mc, "p_value", json_real(p[i]));
		json_object_set_new(json_array_get(runs, i), "mcnemar", mc);
	}
	if (nruns > 1) {
		double *adj = sra__calloc(nruns - 1, sizeof(*adj));

		sra_benchmark_holm(adj, p + 1, nruns - 1);
		for (i = 1; i < nruns; i++)
			json_object_set_new(json_object_get(json_array_get(runs, i), "mcnemar"), "p_holm",
					    json_real(adj[i - 1]));
		free(adj);
	}
done:
	free(p);
	if (error)
		json_decref(o);
	else
		*out = o;
	return error;
}

/* ---- text ----------------------------------------------------------------- */

/* display columns of UTF-8 text */
static size_t text_cols(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* s in exactly w columns: clipped with "…" or padded */
static void put_cell(sra_buf *b, const char *s, size_t w)
{
	size_t at = b->size;

	sra_buf_put_clipped(b, s, w);
	for (at = text_cols(b->ptr + at, b->size - at); at < w; at++)
		sra_buf_putc(b, ' ');
}

/* a config value as text: strings as they are, anything else as compact JSON */
static char *config_text(const json_t *v)
{
	if (!v)
		return sra__strdup("-");
	if (json_is_string(v))
		return sra__strdup(json_string_value(v));
	if (json_is_real(v)) {
		sra_buf b = SRA_BUF_INIT;

		sra_bm__put_double(&b, json_real_value(v));
		return sra_buf_detach(&b);
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | SRA_BM_JSON_FLAGS);
}

/* a figure in 3 decimals (4 significant digits when large or tiny), or n/a */
static void put_fig(sra_buf *b, const json_t *v)
{
	double x = json_number_value(v);

	if (!json_is_number(v) || !isfinite(x))
		sra_buf_puts(b, "n/a");
	else if (x == 0 || (fabs(x) >= 1e-3 && fabs(x) < 1000))
		sra_buf_printf(b, "%.3f", x);
	else
		sra_buf_printf(b, "%.4g", x);
}

/* "0.800 [0.670, 0.888]" of metric `name` of a run entry, in w columns */
static void put_metric(sra_buf *b, const json_t *run, const char *name, int with_ci, size_t w)
{
	const json_t *m = json_object_get(json_object_get(run, "metrics"), name);
	sra_buf t = SRA_BUF_INIT;

	if (!m) {
		sra_buf_puts(&t, "-");
	} else {
		put_fig(&t, json_object_get(m, "value"));
		if (with_ci && json_object_get(m, "ci_low")) {
			sra_buf_puts(&t, " [");
			put_fig(&t, json_object_get(m, "ci_low"));
			sra_buf_puts(&t, ", ");
			put_fig(&t, json_object_get(m, "ci_high"));
			sra_buf_putc(&t, ']');
		}
	}
	put_cell(b, sra_buf_cstr(&t), w);
	sra_buf_dispose(&t);
}

static void trim_line(sra_buf *b)
{
	while (b->size && b->ptr[b->size - 1] == ' ')
		sra_buf_truncate(b, b->size - 1);
	sra_buf_putc(b, '\n');
}

/* the runs and their config keys as columns, shrunk to 80 columns */
static void put_settings(sra_buf *b, const json_t *lb)
{
	const json_t *runs = json_object_get(lb, "runs"), *keys = json_object_get(lb, "config_keys"), *run;
	size_t nk = json_array_size(keys), nr = json_array_size(runs), i, k, total;
	size_t *w = sra__calloc(nk + 1, sizeof(*w));
	char **cells = sra__calloc(nk * nr + 1, sizeof(*cells));

	for (k = 0; k < nk; k++) {
		const char *key = json_string_value(json_array_get(keys, k));

		w[k] = text_cols(key, strlen(key));
		json_array_foreach(runs, i, run) {
			char *t = config_text(json_object_get(json_object_get(run, "config"), key));
			size_t c = text_cols(t, strlen(t));

			cells[i * nk + k] = t;
			if (c > w[k])
				w[k] = c;
		}
		if (w[k] > 24)
			w[k] = 24;
	}
	/* "  #  run     " is 15 columns, each key 2 more than its width */
	for (;;) {
		size_t widest = 0;

		for (total = 15, k = 0; k < nk; k++) {
			total += 2 + w[k];
			if (w[k] > w[widest])
				widest = k;
		}
		if (total <= 80 || nk == 0 || w[widest] <= 6)
			break;
		w[widest]--;
	}
	sra_buf_puts(b, "   #  run     ");
	for (k = 0; k < nk; k++) {
		sra_buf_puts(b, "  ");
		put_cell(b, json_string_value(json_array_get(keys, k)), w[k]);
	}
	trim_line(b);
	json_array_foreach(runs, i, run) {
		sra_buf_printf(b, "  %2zu  %.8s", i + 1, json_string_value(json_object_get(run, "id")));
		for (k = 0; k < nk; k++) {
			sra_buf_puts(b, "  ");
			put_cell(b, cells[i * nk + k], w[k]);
		}
		trim_line(b);
	}
	for (i = 0; i < nk * nr; i++)
		free(cells[i]);
	free(cells);
	free(w);
}

/* one block: a row per run, the given metrics as columns */
static void put_block(sra_buf *b, const json_t *runs, const char *const *names, const char *const *heads,
		      size_t n, int with_ci, size_t w)
{
	const json_t *run;
	size_t i, k;

	sra_buf_puts(b, "\n   #");
	for (k = 0; k < n; k++) {
		sra_buf_puts(b, "  ");
		put_cell(b, heads[k], w);
	}
	trim_line(b);
	json_array_foreach(runs, i, run) {
		sra_buf_printf(b, "  %2zu", i + 1);
		for (k = 0; k < n; k++) {
			sra_buf_puts(b, "  ");
			put_metric(b, run, names[k], with_ci, w);
		}
		trim_line(b);
	}
}

static char *leaderboard_text(const json_t *lb)
{
	static const char *const ci1[] = { "sensitivity", "specificity", "accuracy" };
	static const char *const ci2[] = { "ppv", "npv", "cohen_kappa" };
	static const char *const ci2h[] = { "ppv", "npv", "Cohen's kappa" };
	static const char *const plain[] = { "f1_score", "mcc", "pabak", "gwet_ac1", "lr_plus", "lr_minus", "wss" };
	static const char *const plainh[] = { "F1", "MCC", "PABAK", "AC1", "LR+", "LR-", "WSS" };
	const json_t *runs = json_object_get(lb, "runs"), *run;
	size_t nr = json_array_size(runs), i;
	sra_buf b = SRA_BUF_INIT;

	sra_buf_printf(&b, "Leaderboard of %zu run%s of review %s\n", nr, nr == 1 ? "" : "s",
		       json_string_value(json_object_get(lb, "review_id")));
	sra_buf_puts(&b, "\nSettings (config_details)\n");
	put_settings(&b, lb);

	sra_buf_puts(&b, "\nTables and metrics with their 95% intervals\n");
	sra_buf_printf(&b, "   #  %12s  %12s  %12s  %12s\n", "TP", "FP", "FN", "TN");
	json_array_foreach(runs, i, run) {
		const json_t *c = json_object_get(run, "counts");

		if (json_is_object(c))
			sra_buf_printf(&b, "  %2zu  %12lld  %12lld  %12lld  %12lld\n", i + 1,
				       (long long)json_integer_value(json_object_get(c, "tp")),
				       (long long)json_integer_value(json_object_get(c, "fp")),
				       (long long)json_integer_value(json_object_get(c, "fn")),
				       (long long)json_integer_value(json_object_get(c, "tn")));
		else
			sra_buf_printf(&b, "  %2zu  no metrics stored\n", i + 1);
	}
	put_block(&b, runs, ci1, ci1, 3, 1, 23);
	put_block(&b, runs, ci2, ci2h, 3, 1, 23);
	put_block(&b, runs, plain, plainh, 7, 0, 8);

	if (nr > 1) {
		char p1[32], p2[32];

		sra_buf_puts(&b, "\nMcNemar's exact test of each run against run 1, on the records both decided\n"
				 "with a known human decision; p-values Holm-adjusted\n");
		sra_buf_printf(&b, "   #  %8s  %10s  %10s  %10s  %10s  %10s\n", "shared", "both right",
			       "only 1", "only this", "p", "p (Holm)");
		json_array_foreach(runs, i, run) {
			const json_t *mc = json_object_get(run, "mcnemar");

			if (!json_is_object(mc))
				continue;
			snprintf(p1, sizeof(p1), "%.3g", json_real_value(json_object_get(mc, "p_value")));
			snprintf(p2, sizeof(p2), "%.3g", json_real_value(json_object_get(mc, "p_holm")));
			sra_buf_printf(&b, "  %2zu  %8lld  %10lld  %10lld  %10lld  %10s  %10s\n", i + 1,
				       (long long)json_integer_value(json_object_get(mc, "shared_records")),
				       (long long)json_integer_value(json_object_get(mc, "both_correct")),
				       (long long)json_integer_value(json_object_get(mc, "reference_correct_only")),
				       (long long)json_integer_value(json_object_get(mc, "run_correct_only")),
				       p1, p2);
		}
	}
	return sra_buf_detach(&b);
}

/* ---- sra_benchmark_compare ------------------------------------------------ */

int sra_benchmark_compare(char **out, sra_db *db, const char *const *runs, size_t nruns,
			  sra_benchmark_format fmt)
{
	sra_rows **rows;
	json_t *lb = NULL;
	size_t i;
	int error = 0;

	SRA_ASSERT_ARG(out && db && runs && nruns >= 1);
	rows = sra__calloc(nruns, sizeof(*rows));
	for (i = 0; i < nruns; i++) {
		const char *r0, *ri;

		if ((error = sra_bm__load_run(&rows[i], db, runs[i])) < 0)
			goto done;
		r0 = sra_rows_get(rows[0], 0, BM_RUN_REVIEW);
		ri = sra_rows_get(rows[i], 0, BM_RUN_REVIEW);
		if (strcmp(r0 ? r0 : "", ri ? ri : "") != 0) {
			error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"run %.8s is of review %s and run %.8s of review %s: compare runs of one review",
				sra_rows_get(rows[0], 0, BM_RUN_ID), r0 ? r0 : "-",
				sra_rows_get(rows[i], 0, BM_RUN_ID), ri ? ri : "-");
			goto done;
		}
	}
	if ((error = build(&lb, db, rows, nruns)) < 0)
		goto done;
	if (fmt == SRA_BENCHMARK_JSON) {
		if (!(*out = json_dumps(lb, JSON_INDENT(2) | SRA_BM_JSON_FLAGS)))
			error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot encode JSON");
	} else {
		*out = leaderboard_text(lb);
	}
done:
	json_decref(lb);
	for (i = 0; i < nruns; i++)
		sra_rows_free(rows[i]);
	free(rows);
	return error;
}
