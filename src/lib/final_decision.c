/*
 * The one home of the final-decision rule (benchmark.md, "Final decision and
 * classification"); see final_decision.h.  import decisions and review
 * recompute write search_results.final_decision with sra_final__recompute(),
 * benchmark run builds its items' final_decision with sra_final__sql(), and
 * the demo asks sra_final__resolver_needed() where to draw a resolver and
 * then recomputes like an import.
 */
#include "final_decision.h"
#include "util/uuid.h"

#include <sra/review.h>

void sra_final__sql(sra_buf *sql, int pg, const sra_final__cols *k)
{
	/* a NULL decision or confidence makes the WHEN unknown: the resolver is needed */
	sra_buf_printf(sql,
		"(CASE WHEN %s IS NOT NULL THEN %s"
		" WHEN %s = %s AND %s <> 'uncertain' AND %s >= %s AND %s >= %s THEN %s"
		" ELSE %s END)",
		k->res_id, k->res_decision,
		k->cons_decision, k->comp_decision, k->cons_decision,
		k->cons_confidence, k->threshold, k->comp_confidence, k->threshold, k->cons_decision,
		pg ? "CAST('uncertain' AS screeningdecisiontype)" : "'uncertain'");
}

int sra_final__resolver_needed(const char *cons, double cons_conf, const char *comp, double comp_conf,
			       double threshold)
{
	return !cons || !comp || strcmp(cons, comp) != 0 || strcmp(cons, "uncertain") == 0 ||
		!(cons_conf >= threshold) || !(comp_conf >= threshold);
}

static int count_row(void *payload, size_t ncols, const char *const *cells)
{
	(void)ncols;
	(void)cells;
	(*(int64_t *)payload)++;
	return 0;
}

int sra_final__recompute(int64_t *changed, sra_db *db, const char *review, double threshold,
			 const char *links)
{
	static const sra_final__cols pg_cols = {
		"c.decision", "c.confidence_score", "m.decision", "m.confidence_score",
		"r.id", "r.resolver_decision", "CAST($2 AS double precision)"
	};
	static const sra_final__cols lite_cols = {
		"c.decision", "c.confidence_score", "m.decision", "m.confidence_score",
		"r.id", "r.resolver_decision", "$2"
	};
	static const char *const link_cols[3] = { "conservative_result_id", "comprehensive_result_id", "resolution_id" };
	static const char *const alias[3] = { "c", "m", "r" };
	int pg = sra_db__is_pg(db), error, i;
	const char *distinct = pg ? "IS DISTINCT FROM" : "IS NOT";
	int64_t n = 0;
	sra_buf sql = SRA_BUF_INIT;
	sra_value p[2];

	/* v: each record's links after this statement (the new where links gives one), and its rule */
	sra_buf_puts(&sql, "UPDATE search_results AS t SET ");
	for (i = 0; i < 3; i++)
		sra_buf_printf(&sql, "%s = v.%s, ", link_cols[i], alias[i]);
	sra_buf_puts(&sql, "final_decision = v.fd FROM (SELECT v.id, v.c, v.m, v.r, ");
	sra_final__sql(&sql, pg, pg ? &pg_cols : &lite_cols);
	sra_buf_puts(&sql, " AS fd FROM (SELECT s.id");
	for (i = 0; i < 3; i++) {
		if (links)
			sra_buf_printf(&sql, ", COALESCE(p.%s, s.%s) AS %s", alias[i], link_cols[i], alias[i]);
		else
			sra_buf_printf(&sql, ", s.%s AS %s", link_cols[i], alias[i]);
	}
	sra_buf_puts(&sql, " FROM search_results s");
	if (links)
		sra_buf_printf(&sql, " LEFT JOIN (%s) AS p ON p.rec = s.id", links);
	sra_buf_printf(&sql,
		" WHERE s.review_id = %s) AS v"
		" LEFT JOIN screen_abstract_results c ON c.id = v.c"
		" LEFT JOIN screen_abstract_results m ON m.id = v.m"
		" LEFT JOIN screening_resolutions r ON r.id = v.r"
		" WHERE v.c IS NOT NULL OR v.m IS NOT NULL OR v.r IS NOT NULL) AS v"
		" WHERE t.id = v.id AND (t.final_decision %s v.fd",
		pg ? "CAST($1 AS uuid)" : "$1", distinct);
	for (i = 0; links && i < 3; i++)
		sra_buf_printf(&sql, " OR t.%s %s v.%s", link_cols[i], distinct, alias[i]);
	sra_buf_puts(&sql, ") RETURNING 1");
	p[0] = SRA_VAL_TEXT(review);
	p[1] = SRA_VAL_REAL(threshold);
	error = sra_db__query_each(db, sra_buf_cstr(&sql), p, 2, count_row, &n);
	sra_buf_dispose(&sql);
	if (error == 0 && changed)
		*changed = n;
	return error;
}

int sra_review_recompute(int64_t *changed, sra_db *db, const char *review_id, double threshold)
{
	char review[37];
	sra_rows *rows = NULL;
	sra_value p;
	int64_t n = 0;
	int error;

	SRA_ASSERT_ARG(db && review_id);
	if (!(threshold >= 0 && threshold <= 1))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "the threshold must be between 0 and 1");
	if (sra__uuid_norm(review, review_id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a review id (a UUID)", review_id);
	if ((error = sra_db__begin(db)) < 0)
		return error;
	p = SRA_VAL_TEXT(review);
	if ((error = sra_db__query(&rows, db, sra_db__is_pg(db)
			? "SELECT 1 FROM systematic_reviews WHERE id = CAST($1 AS uuid)"
			: "SELECT 1 FROM systematic_reviews WHERE id = $1", &p, 1)) < 0)
		goto done;
	if (rows->nrows == 0) {
		error = sra_error_set(SRA_ERROR_INVALID, SRA_ENOTFOUND, "no review with id %s", review);
		goto done;
	}
	if ((error = sra_final__recompute(&n, db, review, threshold, NULL)) < 0)
		goto done;
	error = sra_db__commit(db);
done:
	sra_rows_free(rows);
	if (error < 0)
		sra_db__rollback(db);
	else if (changed)
		*changed = n;
	return error;
}
