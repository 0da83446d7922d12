/*
 * The final-decision rule of benchmark.md ("Final decision and
 * classification"), in one place: the SQL expression that import decisions,
 * review recompute and benchmark run all use, and the same rule's "is the
 * resolver needed" half in C for the demo, which draws a resolver only where
 * the rule asks for one.  Nothing else in libsra decides a final decision.
 */
#ifndef SRA_FINAL_DECISION_H
#define SRA_FINAL_DECISION_H

#include "common.h"
#include "db_int.h"

/* the column expressions the rule reads (each an SQL expression of the caller's query) */
typedef struct sra_final__cols {
	const char *cons_decision, *cons_confidence;	/* conservative reviewer; NULL decision: missing */
	const char *comp_decision, *comp_confidence;	/* comprehensive reviewer */
	const char *res_id, *res_decision;		/* the resolution; NULL id: none */
	const char *threshold;				/* e.g. "$3" (a double parameter) */
} sra_final__cols;

/*
 * Append to sql the CASE expression giving the final decision of one record:
 * the resolver's decision when a resolution exists (even uncertain); else,
 * when no resolver is needed, the reviewers' shared decision; else
 * 'uncertain'.  The resolver is needed when a reviewer's decision is
 * missing, the two disagree, both are uncertain, or either confidence is
 * below the threshold.  pg: cast the literal to screeningdecisiontype.
 */
void sra_final__sql(sra_buf *sql, int pg, const sra_final__cols *cols);

/* The same "resolver needed" test in C (decisions as text, NULL: missing). */
int sra_final__resolver_needed(const char *cons, double cons_conf, const char *comp, double comp_conf,
			       double threshold);

/*
 * Recompute search_results.final_decision of every record of the review that
 * has an AI decision (a record with none keeps NULL: unscreened), inside the
 * caller's transaction.  *changed (may be NULL): how many rows changed.
 *
 * links (may be NULL): a query giving new links, columns rec (a record's
 * id), c, m, r (its new conservative_result_id, comprehensive_result_id,
 * resolution_id; NULL keeps the old), at most one row per record.  They are
 * written by the same UPDATE, so a record is rewritten once, not once for
 * its links and again for its decision: on PostgreSQL every rewrite is a new
 * row version with its index entries.  The query is SQL text, never values.
 */
int sra_final__recompute(int64_t *changed, sra_db *db, const char *review, double threshold,
			 const char *links);

#endif
