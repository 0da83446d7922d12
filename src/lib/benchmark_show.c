/*
 * This file holds what reads benchmark runs back: finding a run by a prefix
 * of its id, listing runs, the report of one run (text for people, JSON for
 * programs), and deleting a run (its items go with it: ON DELETE CASCADE).
 * Comparing runs is in benchmark_compare.c.
 *
 * Reports are rebuilt from the stored counts with sra_metrics_compute(), so
 * every figure shown is the one the library computes for that table; the
 * per-reviewer tables, agreement and policy analysis come from
 * metrics_detail (a run without it -- made by the Python application --
 * shows its typed columns only).
 */
#include "benchmark_int.h"
#include "metrics_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

/* ---- finding a run ------------------------------------------------------- */

int sra_benchmark_find(char **out, sra_db *db, const char *id_or_prefix)
{
	sra_rows *rows = NULL;
	sra_value p[1];
	char pattern[40];
	size_t len, i;
	int pg, error;

	SRA_ASSERT_ARG(out && db && id_or_prefix);
	pg = sra_db__is_pg(db);
	len = strlen(id_or_prefix);
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)id_or_prefix[i]) && id_or_prefix[i] != '-')
			break;
	if (len < 4 || len > 36 || i < len)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
			"'%s' is not a run id (a UUID, or a prefix of at least 4 of its characters)",
			id_or_prefix);
	if (len == 36) {
		if (sra__uuid_norm(pattern, id_or_prefix) < 0)
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a run id",
					     id_or_prefix);
		p[0] = SRA_VAL_TEXT(pattern);
		error = sra_db__query(&rows, db, pg
			? "SELECT CAST(id AS text) FROM benchmark_runs WHERE id = CAST($1 AS uuid)"
			: "SELECT id FROM benchmark_runs WHERE id = $1", p, 1);
	} else {
		for (i = 0; i < len; i++)
			pattern[i] = (char)tolower((unsigned char)id_or_prefix[i]);
		pattern[len] = '%';
		pattern[len + 1] = '\0';
		p[0] = SRA_VAL_TEXT(pattern);
		error = sra_db__query(&rows, db,
			"SELECT CAST(id AS text) FROM benchmark_runs WHERE CAST(id AS text) LIKE $1"
			" ORDER BY 1 LIMIT 2", p, 1);
	}
	if (error < 0)
		goto done;
	if (rows->nrows == 0)
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ENOTFOUND, "no benchmark run %s", id_or_prefix);
	else if (rows->nrows > 1)
		error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
			"'%s' names several runs (%s, %s, ...): give more of the id",
			id_or_prefix, sra_rows_get(rows, 0, 0), sra_rows_get(rows, 1, 0));
	else
		*out = sra__strdup(sra_rows_get(rows, 0, 0));
done:
	sra_rows_free(rows);
	return error;
}

/* the run columns; timestamps in UTC ISO 8601 on both databases */
static void put_run_columns(sra_buf *sql, int pg)
{
	if (pg)
		sra_buf_puts(sql,
			"CAST(id AS text), CAST(review_id AS text), CAST(status AS text),"
			" to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
			" to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
			" uncertain_policy, n_items, n_unknown, n_uncertain, tp, fp, fn, tn, sensitivity,"
			" specificity, accuracy, ppv, npv, f1_score, mcc, cohen_kappa, pabak, lr_plus,"
			" lr_minus, CAST(config_details AS text), CAST(metrics_detail AS text), run_notes,"
			" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
	else
		sra_buf_puts(sql, SRA_BM_RUN_COLUMNS);
}

int sra_bm__load_run(sra_rows **out, sra_db *db, const char *run)
{
	sra_buf sql = SRA_BUF_INIT;
	char *id = NULL;
	sra_value p[1];
	int pg = sra_db__is_pg(db), error;

	if ((error = sra_benchmark_find(&id, db, run)) < 0)
		return error;
	sra_buf_puts(&sql, "SELECT ");
	put_run_columns(&sql, pg);
	sra_buf_puts(&sql, pg ? " FROM benchmark_runs WHERE id = CAST($1 AS uuid)"
			      : " FROM benchmark_runs WHERE id = $1");
	p[0] = SRA_VAL_TEXT(id);
	error = sra_db__query(out, db, sra_buf_cstr(&sql), p, 1);
	if (error == 0 && (*out)->nrows == 0) {
		sra_rows_free(*out);
		*out = NULL;
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ENOTFOUND, "no benchmark run %s", run);
	}
	sra_buf_dispose(&sql);
	free(id);
	return error;
}

/* ---- helpers for reports ------------------------------------------------ */

json_t *sra_bm__parse_json_cell(const char *cell)
{
	json_t *j;

	if (!cell)
		return json_null();
	j = json_loads(cell, JSON_DECODE_ANY, NULL);
	return j ? j : json_string(cell);
}

/* PostgreSQL's jsonb order of keys: shorter first, then bytewise */
static int jsonb_key_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

/*
 * The objects in j rebuilt with their keys in jsonb's order, so that a
 * jsonb column prints the same from SQLite (which keeps the text as
 * written) as from PostgreSQL (which stores jsonb sorted).  Takes j;
 * returns the new value (j itself when it holds no object).
 */
json_t *sra_bm__jsonb_order(json_t *j)
{
	if (json_is_array(j)) {
		size_t i;

		for (i = 0; i < json_array_size(j); i++)
			json_array_set_new(j, i, sra_bm__jsonb_order(json_incref(json_array_get(j, i))));
		return j;
	}
	if (json_is_object(j)) {
		size_t n = json_object_size(j), i = 0;
		const char **keys = sra__calloc(n ? n : 1, sizeof(*keys));
		json_t *o = json_object(), *v;
		const char *k;

		json_object_foreach(j, k, v)
			keys[i++] = k;
		qsort(keys, n, sizeof(*keys), jsonb_key_cmp);
		for (i = 0; i < n; i++)
			json_object_set_new(o, keys[i], sra_bm__jsonb_order(json_incref(json_object_get(j, keys[i]))));
		free(keys);
		json_decref(j);
		return o;
	}
	return j;
}

static int64_t cell_int(const char *cell)
{
	return cell ? (int64_t)strtoll(cell, NULL, 10) : 0;
}

/* the counts of {"counts": {"tp": …}} in a metrics object */
static int counts_of(sra_confusion *c, const json_t *metrics_obj)
{
	const json_t *counts = json_object_get(metrics_obj, "counts");

	if (!json_is_object(counts))
		return 0;
	c->tp = json_integer_value(json_object_get(counts, "tp"));
	c->fp = json_integer_value(json_object_get(counts, "fp"));
	c->fn = json_integer_value(json_object_get(counts, "fn"));
	c->tn = json_integer_value(json_object_get(counts, "tn"));
	return 1;
}

/* the final table of a run: metrics_detail, else the typed columns */
int sra_bm__final_counts(sra_confusion *c, const sra_rows *run, const json_t *detail)
{
	if (counts_of(c, json_object_get(detail, "final")))
		return 1;
	if (!sra_rows_get(run, 0, BM_RUN_TP))
		return 0;
	c->tp = cell_int(sra_rows_get(run, 0, BM_RUN_TP));
	c->fp = cell_int(sra_rows_get(run, 0, BM_RUN_FP));
	c->fn = cell_int(sra_rows_get(run, 0, BM_RUN_FN));
	c->tn = cell_int(sra_rows_get(run, 0, BM_RUN_TN));
	return 1;
}

int sra_benchmark_counts(sra_confusion *out, sra_db *db, const char *run)
{
	sra_rows *rows = NULL;
	int error;

	SRA_ASSERT_ARG(out && db && run);
	if ((error = sra_bm__load_run(&rows, db, run)) < 0)
		return error;
	if (!sra_bm__final_counts(out, rows, NULL))
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ENOTFOUND, "benchmark run %s has no results", run);
	sra_rows_free(rows);
	return error;
}

/* a JSON number, or n/a */
static const char *fmt_json_num(char *buf, size_t size, const json_t *j)
{
	return sra_metrics__fmt_num(buf, size, json_is_number(j) ? json_number_value(j) : NAN, json_is_number(j));
}

/* "0.800000 [0.669629, 0.887562]" from a metric object */
static void put_value_ci(sra_buf *b, const json_t *m)
{
	char v[32], lo[32], hi[32];

	sra_buf_puts(b, fmt_json_num(v, sizeof(v), json_object_get(m, "value")));
	if (json_object_get(m, "ci_low"))
		sra_buf_printf(b, " [%s, %s]", fmt_json_num(lo, sizeof(lo), json_object_get(m, "ci_low")),
			       fmt_json_num(hi, sizeof(hi), json_object_get(m, "ci_high")));
}

/* "YYYY-MM-DD HH:MM:SS" of an ISO timestamp cell */
static void put_time(sra_buf *b, const char *iso)
{
	char t[20];

	if (!iso) {
		sra_buf_puts(b, "-");
		return;
	}
	snprintf(t, sizeof(t), "%s", iso);
	if (t[10] == 'T')
		t[10] = ' ';
	sra_buf_puts(b, t);
}

/* seconds between two ISO timestamps (UTC, millisecond precision), or -1 */
static double iso_seconds(const char *a, const char *b)
{
	int y1, mo1, d1, h1, mi1, y2, mo2, d2, h2, mi2;
	double s1, s2;
	struct tm t1 = { 0 }, t2 = { 0 };

	if (!a || !b || sscanf(a, "%d-%d-%dT%d:%d:%lf", &y1, &mo1, &d1, &h1, &mi1, &s1) != 6 ||
	    sscanf(b, "%d-%d-%dT%d:%d:%lf", &y2, &mo2, &d2, &h2, &mi2, &s2) != 6)
		return -1;
	t1.tm_year = y1 - 1900; t1.tm_mon = mo1 - 1; t1.tm_mday = d1; t1.tm_hour = h1; t1.tm_min = mi1;
	t2.tm_year = y2 - 1900; t2.tm_mon = mo2 - 1; t2.tm_mday = d2; t2.tm_hour = h2; t2.tm_min = mi2;
	return difftime(timegm(&t2), timegm(&t1)) + (s2 - s1);
}

static void trim_trailing_blanks(sra_buf *b)
{
	while (b->size && b->ptr[b->size - 1] == ' ')
		sra_buf_truncate(b, b->size - 1);
}

/* ---- list ----------------------------------------------------------------- */

static json_t *run_json(const sra_rows *r, size_t row, int full)
{
	json_t *o = json_object(), *counts, *metrics;
	size_t i;

	json_object_set_new(o, "id", json_string(sra_rows_get(r, row, BM_RUN_ID)));
	json_object_set_new(o, "review_id", json_string(sra_rows_get(r, row, BM_RUN_REVIEW)));
	json_object_set_new(o, "status", sra_rows_get(r, row, BM_RUN_STATUS)
			    ? json_string(sra_rows_get(r, row, BM_RUN_STATUS)) : json_null());
#define STR_OR_NULL(col) (sra_rows_get(r, row, col) ? json_string(sra_rows_get(r, row, col)) : json_null())
	json_object_set_new(o, "created_at", STR_OR_NULL(BM_RUN_CREATED));
	json_object_set_new(o, "started_at", STR_OR_NULL(BM_RUN_STARTED));
	json_object_set_new(o, "finished_at", STR_OR_NULL(BM_RUN_FINISHED));
	json_object_set_new(o, "uncertain_policy", STR_OR_NULL(BM_RUN_POLICY));
	json_object_set_new(o, "run_notes", STR_OR_NULL(BM_RUN_NOTES));
#undef STR_OR_NULL
	json_object_set_new(o, "n_items", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_N_ITEMS)));
	json_object_set_new(o, "n_unknown", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_N_UNKNOWN)));
	json_object_set_new(o, "n_uncertain", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_N_UNCERTAIN)));
	counts = json_object();
	json_object_set_new(counts, "tp", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_TP)));
	json_object_set_new(counts, "fp", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_FP)));
	json_object_set_new(counts, "fn", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_FN)));
	json_object_set_new(counts, "tn", sra_bm__int_json(sra_rows_get(r, row, BM_RUN_TN)));
	json_object_set_new(o, "counts", counts);
	metrics = json_object();
	for (i = 0; i < SRA_ARRAY_SIZE(sra_bm__typed_metrics); i++)
		json_object_set_new(metrics, sra_bm__typed_metrics[i],
				    sra_bm__num_json(sra_rows_get(r, row, BM_RUN_SENSITIVITY + i)));
	json_object_set_new(o, "metrics", metrics);
	if (full) {
		json_object_set_new(o, "config_details",
				    sra_bm__jsonb_order(sra_bm__parse_json_cell(sra_rows_get(r, row, BM_RUN_CONFIG))));
		json_t *detail = sra_bm__jsonb_order(sra_bm__parse_json_cell(sra_rows_get(r, row, BM_RUN_DETAIL)));
		json_t *usage = json_object_get(detail, "usage");

		json_object_set_new(o, "metrics_detail", detail);
		json_object_set(o, "usage", json_is_object(usage) ? usage : json_null());
	}
	return o;
}

static int dump_json(char **out, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | SRA_BM_JSON_FLAGS);

	json_decref(j);
	if (!s)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot encode JSON");
	*out = s;
	return 0;
}

int sra_benchmark_list(char **out, sra_db *db, const char *review_id, sra_benchmark_format fmt)
{
	sra_buf sql = SRA_BUF_INIT, b = SRA_BUF_INIT;
	sra_rows *rows = NULL;
	sra_value p[1];
	char review[37], v[32];
	int pg = sra_db__is_pg(db), error;
	size_t r;

	SRA_ASSERT_ARG(out && db);
	if (review_id && sra__uuid_norm(review, review_id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a review id (a UUID)",
				     review_id);
	sra_buf_puts(&sql, "SELECT ");
	put_run_columns(&sql, pg);
	sra_buf_puts(&sql, " FROM benchmark_runs");
	if (review_id) {
		p[0] = SRA_VAL_TEXT(review);
		sra_buf_puts(&sql, pg ? " WHERE review_id = CAST($1 AS uuid)" : " WHERE review_id = $1");
	}
	sra_buf_puts(&sql, " ORDER BY coalesce(started_at, created_at) DESC, id");
	if ((error = sra_db__query(&rows, db, sra_buf_cstr(&sql), p, review_id ? 1 : 0)) < 0)
		goto done;
	if (fmt == SRA_BENCHMARK_IDS) {
		for (r = 0; r < rows->nrows; r++)
			sra_buf_printf(&b, "%s\n", sra_rows_get(rows, r, BM_RUN_ID));
		*out = sra_buf_detach(&b);
		goto done;
	}
	if (fmt == SRA_BENCHMARK_JSON) {
		json_t *a = json_array();

		for (r = 0; r < rows->nrows; r++)
			json_array_append_new(a, run_json(rows, r, 0));
		error = dump_json(out, a);
		goto done;
	}
	if (rows->nrows == 0) {
		sra_buf_puts(&b, review_id ? "No benchmark runs for this review.\n" : "No benchmark runs.\n");
		*out = sra_buf_detach(&b);
		goto done;
	}
	/* 8 + 2 + 19 + 2 + 9 + 2 + 8 + 2 + 8 + 2 + 8 + 2 + 7 = 79 columns */
	sra_buf_printf(&b, "%-8s  %-19s  %-9s  %8s  %8s  %8s  %s\n",
		       "RUN", "STARTED (UTC)", "STATUS", "ITEMS", "SENS", "SPEC", "POLICY");
	for (r = 0; r < rows->nrows; r++) {
		const char *sens = sra_rows_get(rows, r, BM_RUN_SENSITIVITY);
		const char *spec = sra_rows_get(rows, r, BM_RUN_SPECIFICITY);
		const char *notes = sra_rows_get(rows, r, BM_RUN_NOTES);
		const char *started = sra_rows_get(rows, r, BM_RUN_STARTED);
		size_t at;

		sra_buf_printf(&b, "%.8s  ", sra_rows_get(rows, r, BM_RUN_ID));
		at = b.size;
		put_time(&b, started ? started : sra_rows_get(rows, r, BM_RUN_CREATED));
		while (b.size - at < 19)
			sra_buf_putc(&b, ' ');
		sra_buf_printf(&b, "  %-9s  %8s  ", sra_rows_get(rows, r, BM_RUN_STATUS)
			       ? sra_rows_get(rows, r, BM_RUN_STATUS) : "-",
			       sra_rows_get(rows, r, BM_RUN_N_ITEMS) ? sra_rows_get(rows, r, BM_RUN_N_ITEMS) : "-");
		sra_buf_printf(&b, "%8s  ", sens ? sra_metrics__fmt_num(v, sizeof(v), strtod(sens, NULL), 1) : "n/a");
		sra_buf_printf(&b, "%8s  ", spec ? sra_metrics__fmt_num(v, sizeof(v), strtod(spec, NULL), 1) : "n/a");
		sra_buf_printf(&b, "%s", sra_rows_get(rows, r, BM_RUN_POLICY)
			       ? sra_rows_get(rows, r, BM_RUN_POLICY) : "-");
		trim_trailing_blanks(&b);
		sra_buf_putc(&b, '\n');
		if (notes && *notes) {
			sra_buf_puts(&b, "          ");
			sra_buf_put_clipped(&b, notes, 69);
			sra_buf_putc(&b, '\n');
		}
	}
	*out = sra_buf_detach(&b);
done:
	sra_rows_free(rows);
	sra_buf_dispose(&sql);
	sra_buf_dispose(&b);
	return error;
}

/* ---- show ---------------------------------------------------------------- */

/* one line of the per-reviewer table: a metric of three tables */
static void put_reviewer_line(sra_buf *b, const char *name, const sra_metrics *const *m, size_t idx)
{
	char v[32];
	size_t k;

	sra_buf_printf(b, "  %-14s", name);
	for (k = 0; k < 3; k++) {
		const sra_metric *mm = m[k] ? sra_metrics_get(m[k], idx, NULL) : NULL;

		sra_buf_printf(b, "  %14s", mm ? sra_metrics__fmt_num(v, sizeof(v), mm->value, mm->value_defined) : "-");
	}
	sra_buf_putc(b, '\n');
}

static void put_per_reviewer(sra_buf *b, const json_t *detail, const sra_metrics *fin)
{
	sra_confusion c;
	sra_metrics cons, comp;
	const sra_metrics *m[3] = { fin, NULL, NULL };
	const char *name;
	size_t i;

	if (counts_of(&c, json_object_get(detail, "conservative")) && sra_metrics_compute(&cons, &c) == 0)
		m[1] = &cons;
	if (counts_of(&c, json_object_get(detail, "comprehensive")) && sra_metrics_compute(&comp, &c) == 0)
		m[2] = &comp;
	if (!m[1] && !m[2])
		return;
	sra_buf_puts(b, "\nPer reviewer (each reviewer's own decision against the human one)\n");
	sra_buf_printf(b, "  %-14s  %14s  %14s  %14s\n", "", "final", "conservative", "comprehensive");
	{
		static const char *const lbl[4] = { "TP", "FP", "FN", "TN" };
		int k;

		for (k = 0; k < 4; k++) {
			size_t j;

			sra_buf_printf(b, "  %-14s", lbl[k]);
			for (j = 0; j < 3; j++) {
				const sra_confusion *cc = m[j] ? &m[j]->counts : NULL;
				int64_t v = !cc ? 0 : k == 0 ? cc->tp : k == 1 ? cc->fp : k == 2 ? cc->fn : cc->tn;

				if (cc)
					sra_buf_printf(b, "  %14lld", (long long)v);
				else
					sra_buf_printf(b, "  %14s", "-");
			}
			sra_buf_putc(b, '\n');
		}
	}
	for (i = 0; sra_metrics_get(fin, i, &name); i++)
		put_reviewer_line(b, name, m, i);
}

static void put_agreement(sra_buf *b, const json_t *agreement)
{
	static const char *const cats[3] = { "include", "exclude", "uncertain" };
	const json_t *table = json_object_get(agreement, "table");
	char v[32];
	size_t i, j;

	if (!json_is_array(table) || json_array_size(table) != 3)
		return;
	sra_buf_puts(b, "\nReviewer agreement (rows: conservative, columns: comprehensive)\n");
	sra_buf_printf(b, "  %-12s %12s %12s %12s\n", "", cats[0], cats[1], cats[2]);
	for (i = 0; i < 3; i++) {
		const json_t *row = json_array_get(table, i);

		sra_buf_printf(b, "  %-12s", cats[i]);
		for (j = 0; j < 3; j++)
			sra_buf_printf(b, " %12lld", (long long)json_integer_value(json_array_get(row, j)));
		sra_buf_putc(b, '\n');
	}
	sra_buf_printf(b, "  records both decided %lld, observed agreement %s\n",
		       (long long)json_integer_value(json_object_get(agreement, "n")),
		       fmt_json_num(v, sizeof(v), json_object_get(agreement, "observed_agreement")));
	sra_buf_puts(b, "  Cohen's kappa ");
	put_value_ci(b, json_object_get(agreement, "cohen_kappa"));
	sra_buf_puts(b, ", PABAK ");
	put_value_ci(b, json_object_get(agreement, "pabak"));
	sra_buf_putc(b, '\n');
}

static void put_policies(sra_buf *b, const json_t *policies, const char *chosen)
{
	static const char *const names[3] = { "include", "exclude", "error" };
	size_t i, at;

	if (!json_is_object(policies))
		return;
	sra_buf_puts(b, "\nUncertain final decisions counted as ... (sensitivity, specificity)\n");
	for (i = 0; i < 3; i++) {
		const json_t *p = json_object_get(policies, names[i]);

		if (!p)
			continue;
		sra_buf_printf(b, "%c %-8s ", chosen && strcmp(chosen, names[i]) == 0 ? '*' : ' ', names[i]);
		at = b->size;
		put_value_ci(b, json_object_get(p, "sensitivity"));
		while (b->size - at < 32)
			sra_buf_putc(b, ' ');
		sra_buf_puts(b, "  ");
		put_value_ci(b, json_object_get(p, "specificity"));
		sra_buf_putc(b, '\n');
	}
}

/* one usage number: an integer, a cost, or n/a */
static void put_usage_cell(sra_buf *b, const json_t *v, int width)
{
	char cell[40];

	if (json_is_integer(v))
		snprintf(cell, sizeof(cell), "%lld", (long long)json_integer_value(v));
	else if (json_is_number(v))
		snprintf(cell, sizeof(cell), "%.6g", json_number_value(v));
	else
		snprintf(cell, sizeof(cell), "n/a");
	sra_buf_printf(b, "%*s", width, cell);
}

/* the usage block: calls, tokens, latency and cost per reviewer and in total */
static void put_usage(sra_buf *b, const json_t *u)
{
	static const char *const who[4] = { "conservative", "comprehensive", "resolver", "total" };
	const json_t *t = json_object_get(u, "total");
	int w;

	if (!json_is_object(u))
		return;
	sra_buf_puts(b, "\nUsage (n/a: not recorded, or no price for a model)\n"
		     "                 calls  w/usage   in tokens  out tokens  p50 ms  p95 ms  max ms\n");
	for (w = 0; w < 4; w++) {
		const json_t *x = w < 3 ? json_object_get(json_object_get(u, "reviewers"), who[w]) : t;
		const json_t *lat = json_object_get(x, "latency_ms");

		sra_buf_printf(b, "  %-13s", who[w]);
		put_usage_cell(b, json_object_get(x, "calls"), 7);
		put_usage_cell(b, json_object_get(x, "calls_with_usage"), 9);
		put_usage_cell(b, json_object_get(x, "input_tokens"), 12);
		put_usage_cell(b, json_object_get(x, "output_tokens"), 12);
		put_usage_cell(b, json_object_get(lat, "p50"), 8);
		put_usage_cell(b, json_object_get(lat, "p95"), 8);
		put_usage_cell(b, json_object_get(lat, "max"), 8);
		sra_buf_putc(b, '\n');
	}
	sra_buf_puts(b, "  wall time ms ");
	put_usage_cell(b, json_object_get(t, "wall_ms"), 1);
	sra_buf_puts(b, "\n  cost USD ");
	put_usage_cell(b, json_object_get(t, "cost_usd"), 1);
	sra_buf_puts(b, ", per record ");
	put_usage_cell(b, json_object_get(t, "cost_per_record_usd"), 1);
	sra_buf_puts(b, ", per included ");
	put_usage_cell(b, json_object_get(t, "cost_per_included_usd"), 1);
	sra_buf_putc(b, '\n');
}

static int show_text(char **out, const sra_rows *run, unsigned int flags)
{
	sra_buf b = SRA_BUF_INIT;
	json_t *detail = sra_bm__parse_json_cell(sra_rows_get(run, 0, BM_RUN_DETAIL));
	json_t *config = sra_bm__parse_json_cell(sra_rows_get(run, 0, BM_RUN_CONFIG));
	const json_t *counts = json_object_get(detail, "counts"), *th = json_object_get(config, "threshold");
	const char *policy = sra_rows_get(run, 0, BM_RUN_POLICY), *notes = sra_rows_get(run, 0, BM_RUN_NOTES);
	sra_confusion c;
	sra_metrics fin;
	char *text = NULL;

	sra_buf_printf(&b, "Benchmark run %s\n", sra_rows_get(run, 0, BM_RUN_ID));
	sra_buf_printf(&b, "  review     %s\n", sra_rows_get(run, 0, BM_RUN_REVIEW));
	sra_buf_printf(&b, "  status     %s", sra_rows_get(run, 0, BM_RUN_STATUS)
		       ? sra_rows_get(run, 0, BM_RUN_STATUS) : "-");
	if (policy)
		sra_buf_printf(&b, "; uncertain counted as %s", policy);
	if (json_is_number(th)) {
		sra_buf_puts(&b, "; threshold ");
		sra_bm__put_double(&b, json_number_value(th));
	}
	sra_buf_putc(&b, '\n');
	if (!(flags & SRA_SHOW_NO_TIMES)) {
		const char *st = sra_rows_get(run, 0, BM_RUN_STARTED), *fi = sra_rows_get(run, 0, BM_RUN_FINISHED);
		double secs = iso_seconds(st, fi);

		sra_buf_puts(&b, "  started    ");
		put_time(&b, st ? st : sra_rows_get(run, 0, BM_RUN_CREATED));
		sra_buf_puts(&b, " UTC");
		if (secs >= 0)
			sra_buf_printf(&b, " (took %.2f s)", secs);
		sra_buf_putc(&b, '\n');
	}
	if (notes && *notes) {
		sra_buf_puts(&b, "  notes      ");
		sra_buf_put_clipped(&b, notes, 67);
		sra_buf_putc(&b, '\n');
	}
	if (json_is_object(counts))
		sra_buf_printf(&b, "  records    %lld: human decision unknown %lld, final uncertain %lld,\n"
			       "             unscreened %lld, sent to the resolver %lld\n",
			       (long long)json_integer_value(json_object_get(counts, "items")),
			       (long long)json_integer_value(json_object_get(counts, "unknown")),
			       (long long)json_integer_value(json_object_get(counts, "uncertain")),
			       (long long)json_integer_value(json_object_get(counts, "unscreened")),
			       (long long)json_integer_value(json_object_get(counts, "resolved")));
	else if (sra_rows_get(run, 0, BM_RUN_N_ITEMS))
		sra_buf_printf(&b, "  records    %s\n", sra_rows_get(run, 0, BM_RUN_N_ITEMS));

	if (sra_bm__final_counts(&c, run, detail) && sra_metrics_compute(&fin, &c) == 0) {
		sra_buf_puts(&b, "\nFinal decision against the human decision\n");
		sra_metrics_format_text(&text, &fin);
		sra_buf_puts(&b, text);
		free(text);
		put_per_reviewer(&b, detail, &fin);
	} else {
		sra_buf_puts(&b, "\nNo metrics stored for this run.\n");
	}
	put_agreement(&b, json_object_get(detail, "agreement"));
	put_policies(&b, json_object_get(detail, "policies"), policy);
	put_usage(&b, json_object_get(detail, "usage"));
	json_decref(detail);
	json_decref(config);
	*out = sra_buf_detach(&b);
	return 0;
}

int sra_benchmark_show(char **out, sra_db *db, const char *run, sra_benchmark_format fmt,
		       unsigned int flags)
{
	sra_rows *rows = NULL;
	int error;

	SRA_ASSERT_ARG(out && db && run);
	if ((error = sra_bm__load_run(&rows, db, run)) < 0)
		return error;
	if (fmt == SRA_BENCHMARK_JSON) {
		json_t *o = run_json(rows, 0, 1);

		if (flags & SRA_SHOW_NO_TIMES) {
			json_object_del(o, "created_at");
			json_object_del(o, "started_at");
			json_object_del(o, "finished_at");
		}
		error = dump_json(out, o);
	} else {
		error = show_text(out, rows, flags);
	}
	sra_rows_free(rows);
	return error;
}

/* ---- delete -------------------------------------------------------------- */

int sra_benchmark_delete(sra_db *db, const char *run)
{
	char *id = NULL;
	sra_value p[1];
	int error;

	SRA_ASSERT_ARG(db && run);
	if ((error = sra_benchmark_find(&id, db, run)) < 0)
		return error;
	p[0] = SRA_VAL_TEXT(id);
	sra_db__bulk_hint(db, 1);	/* as in sra_benchmark_run: the items' indexes */
	error = sra_db__query(NULL, db, sra_db__is_pg(db)
		? "DELETE FROM benchmark_runs WHERE id = CAST($1 AS uuid)"
		: "DELETE FROM benchmark_runs WHERE id = $1", p, 1);
	sra_db__bulk_hint(db, 0);
	free(id);
	return error;
}
