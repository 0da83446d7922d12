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

int sra_final__recompute(int64_t *changed, sra_db *db, const char *review, double threshold)
{
	static const sra_final__cols pg_cols = {
		"c.decision", "c.confidence_score", "m.decision", "m.confidence_score",
		"r.id", "r.resolver_decision", "CAST($2 AS double precision)"
	};
	static const sra_final__cols lite_cols = {
		"c.decision", "c.confidence_score", "m.decision", "m.confidence_score",
		"r.id", "r.resolver_decision", "$2"
	};
	int pg = sra_db__is_pg(db), error;
	int64_t n = 0;
	sra_buf sql = SRA_BUF_INIT;
	sra_value p[2];

	sra_buf_puts(&sql, pg ? "UPDATE search_results AS t SET final_decision = v.fd FROM (SELECT s.id AS id, "
			      : "UPDATE search_results AS t SET final_decision = v.fd FROM (SELECT s.id AS id, ");
	sra_final__sql(&sql, pg, pg ? &pg_cols : &lite_cols);
	sra_buf_printf(&sql,
		" AS fd FROM search_results s"
		" LEFT JOIN screen_abstract_results c ON c.id = s.conservative_result_id"
		" LEFT JOIN screen_abstract_results m ON m.id = s.comprehensive_result_id"
		" LEFT JOIN screening_resolutions r ON r.id = s.resolution_id"
		" WHERE s.review_id = %s AND (s.conservative_result_id IS NOT NULL"
		" OR s.comprehensive_result_id IS NOT NULL OR s.resolution_id IS NOT NULL)) AS v"
		" WHERE t.id = v.id AND t.final_decision %s v.fd RETURNING 1",
		pg ? "CAST($1 AS uuid)" : "$1", pg ? "IS DISTINCT FROM" : "IS NOT");
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
	if ((error = sra_final__recompute(&n, db, review, threshold)) < 0)
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
