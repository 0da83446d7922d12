/*
 * libsra: benchmark runs (benchmark.md, "Final decision and classification",
 * "Metrics", "Runs and what comes out") and the synthetic demo review.
 *
 * A run scores the AI screening of one review against its human decisions:
 * one `benchmark_result_items` row per record of the review, the summary in
 * one `benchmark_runs` row, all written in one transaction.
 *
 * Ownership: strings returned through `char **out` are heap strings the
 * caller releases with free(); they are set only on success.  Run ids may
 * be given as any unique prefix of the id.  Data that can be large (items,
 * exports) is not returned but streamed to a sra_benchmark_write_fn.
 *
 * The final decision of a record (the spec's rule):
 *   - the resolver's decision when a resolution is linked (even uncertain);
 *   - else the reviewers' shared decision when both decided, agree, the
 *     decision is not `uncertain` and both confidences are >= threshold;
 *   - else `uncertain`.  A record with no AI decision at all (no reviewer,
 *     no resolver) is `uncertain` and counted as unscreened.
 * Classification: human unknown -> UNKNOWN (kept, left out of the metrics);
 * include -> TP/FP, exclude -> FN/TN; uncertain by the run's policy:
 * include -> TP/FP, exclude -> FN/TN, error -> FN (human include) or FP
 * (human exclude).
 *
 * `metrics_detail` (jsonb) of a run:
 *   {
 *     "final":         {"counts": {...}, "metrics": {...}},  (sra_metrics_to_json layout)
 *     "conservative":  same, the conservative reviewer's own decision against
 *                      the human one, over the records it decided (its
 *                      `uncertain` follows the run's policy);
 *     "comprehensive": same, for the comprehensive reviewer;
 *     "agreement":     {"categories", "table" (rows conservative, columns
 *                      comprehensive), "n", "observed_agreement",
 *                      "cohen_kappa", "pabak"} over the records both decided;
 *     "policies":      {"include": {"sensitivity": {...}, "specificity": {...}},
 *                       "exclude": {...}, "error": {...}} for the final decision;
 *     "counts":        {"items", "unknown", "uncertain", "unscreened", "resolved"},
 *     "usage":         {"reviewers": {"conservative": U, "comprehensive": U, "resolver": U},
 *                       "total": U} (benchmark.md, "Usage accounting"): U = {"calls",
 *                      "calls_with_usage", "input_tokens", "output_tokens" (null without
 *                      usage: never zero), "latency_ms": {"p50", "p95", "max"} (nearest
 *                      rank), "wall_ms", "cost_usd", "cost_per_record_usd",
 *                      "cost_per_included_usd" (per record the human included); costs null
 *                      without prices or when a model has none}
 *   }
 * The typed columns of benchmark_runs hold the "final" values (NULL where
 * undefined).
 */
#ifndef SRA_BENCHMARK_H
#define SRA_BENCHMARK_H

#include "common.h"
#include "db.h"
#include "metrics.h"

/** What an uncertain final decision counts as. */
typedef enum {
	SRA_UNCERTAIN_INCLUDE = 0,	/* the default: an unsure record goes on to full text */
	SRA_UNCERTAIN_EXCLUDE = 1,
	SRA_UNCERTAIN_ERROR = 2		/* always wrong: FN or FP */
} sra_uncertain_policy;

/** "include", "exclude", "error" (static). */
SRA_EXTERN(const char *) sra_uncertain_policy_name(sra_uncertain_policy p);

/** Parse a policy name; SRA_EINVALID for anything else. */
SRA_EXTERN(int) sra_uncertain_policy_parse(sra_uncertain_policy *out, const char *name);

/**
 * Progress of a run: `done` of `total` records so far.  Called a few dozen
 * times at most; a non-zero return aborts the run (SRA_EUSER).
 */
typedef int (*sra_benchmark_progress_fn)(void *payload, int64_t done, int64_t total);

/** Options of sra_benchmark_run(); initialise with SRA_BENCHMARK_OPTIONS_INIT. */
typedef struct sra_benchmark_options {
	unsigned int version;
	const char *review_id;		/* required */
	const char *notes;		/* run_notes, or NULL */
	const char *config_json;	/* a JSON object merged into config_details, or NULL */
	sra_uncertain_policy uncertain;
	double threshold;		/* reviewer confidence below this needs the resolver (0.7) */
	const char *run_id;		/* the new run's id, or NULL for a random one */
	sra_benchmark_progress_fn progress;	/* may be NULL */
	void *progress_payload;
	/* version 2 */
	const char *prices_json;	/* {"model": {"input_per_mtok": X, "output_per_mtok": Y}} (USD), or NULL;
					   kept in config_details.prices and used for the usage's cost */
	void (*warn)(void *payload, const char *message);	/* warnings (a model without a price); may be NULL */
	void *warn_payload;
} sra_benchmark_options;

#define SRA_BENCHMARK_OPTIONS_VERSION 2
#define SRA_BENCHMARK_OPTIONS_INIT \
	{ SRA_BENCHMARK_OPTIONS_VERSION, NULL, NULL, NULL, SRA_UNCERTAIN_INCLUDE, 0.7, NULL, NULL, NULL, \
	  NULL, NULL, NULL }

/**
 * Run a benchmark: build the items, classify, compute and store everything
 * in one transaction (an interrupted or failed run leaves nothing).
 *
 * @param out   the new run's id; may be NULL
 * @return 0; SRA_ENOTFOUND (no such review); SRA_EINVALID (a review without
 *         records, a bad option or config); SRA_EBACKEND; SRA_EUSER (progress
 *         asked to stop)
 */
SRA_EXTERN(int) sra_benchmark_run(char **out, sra_db *db, const sra_benchmark_options *opts);

/**
 * The full id of the run that `id_or_prefix` names (a whole id, or a unique
 * prefix of at least 4 characters).
 * @param out   the id; the caller frees it
 * @return 0, SRA_ENOTFOUND, or SRA_EINVALID (ambiguous or malformed prefix)
 */
SRA_EXTERN(int) sra_benchmark_find(char **out, sra_db *db, const char *id_or_prefix);

/**
 * The final 2x2 table of a completed run (TP, FP, FN, TN as stored).
 * @return 0, SRA_ENOTFOUND (no such run, or a run without results),
 *         SRA_EINVALID (a malformed or ambiguous id) or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_benchmark_counts(sra_confusion *out, sra_db *db, const char *run);

/** Output formats. */
typedef enum {
	SRA_BENCHMARK_TEXT = 0,	/* a report or table for people, at most 80 columns */
	SRA_BENCHMARK_JSON = 1,
	SRA_BENCHMARK_CSV = 2,	/* RFC 4180: CRLF line ends, quotes where needed */
	SRA_BENCHMARK_IDS = 3,	/* sra_benchmark_list only: one full run id per line (shell completion) */
	SRA_BENCHMARK_RIS = 4,	/* exports of items: RIS records, the decisions in N1 */
	SRA_BENCHMARK_XLSX = 5	/* exports: an Excel workbook, one sheet (libxlsxwriter) */
} sra_benchmark_format;

/**
 * Where streamed output goes: `len` bytes of `data`.  A non-zero return
 * stops the output and is returned by the caller.
 */
typedef int (*sra_benchmark_write_fn)(void *payload, const char *data, size_t len);

/**
 * The runs, newest first, of one review or (review_id NULL) of all.
 * @param out   TEXT: a table; JSON: an array of run objects.  Caller frees.
 */
SRA_EXTERN(int) sra_benchmark_list(char **out, sra_db *db, const char *review_id, sra_benchmark_format fmt);

/** Flags of sra_benchmark_show(). */
#define SRA_SHOW_NO_TIMES (1u << 0)	/* leave out wall-clock times (reproducible output) */

/**
 * One run: TEXT is the report (run, confusion matrix, every metric with
 * its 95 % interval, per reviewer, agreement, the policy analysis, usage); JSON
 * the run row with config_details and metrics_detail as objects and "usage"
 * (metrics_detail.usage, or null for a run without it).
 * @return 0, SRA_ENOTFOUND, SRA_EINVALID (ambiguous prefix), SRA_EBACKEND
 */
SRA_EXTERN(int) sra_benchmark_show(char **out, sra_db *db, const char *run, sra_benchmark_format fmt,
				   unsigned int flags);

/** Classification filter bits for sra_benchmark_items(); 0 = all. */
#define SRA_CLASS_TP      (1u << 0)
#define SRA_CLASS_FP      (1u << 1)
#define SRA_CLASS_FN      (1u << 2)
#define SRA_CLASS_TN      (1u << 3)
#define SRA_CLASS_UNKNOWN (1u << 4)

/** Parse "FP,FN" (case-insensitive) into SRA_CLASS_* bits; SRA_EINVALID on a bad name. */
SRA_EXTERN(int) sra_benchmark_parse_classes(unsigned int *out, const char *list);

/**
 * The items of a run, streamed (ordered by source id): TEXT a table (titles
 * shortened to fit 80 columns), JSON an array of objects, CSV the export
 * columns.  Memory stays bounded whatever the number of items.
 * The same as sra_benchmark_items_opt() with only `classes` set.
 */
SRA_EXTERN(int) sra_benchmark_items(sra_db *db, const char *run, unsigned int classes,
				    sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload);

/**
 * What items and exports keep and add; initialise with SRA_ITEMS_OPTIONS_INIT.
 *
 * `disagreement`: only the items whose two reviewers both decided and
 * decided differently (conservative_decision <> comprehensive_decision,
 * `uncertain` being a decision of its own); an item one reviewer (or both)
 * did not decide is not a disagreement and is left out.  ANDed with
 * `classes`.
 *
 * `rationale`: after the export columns, conservative_rationale,
 * conservative_quotes, conservative_exclusion_reasons,
 * comprehensive_rationale, comprehensive_quotes,
 * comprehensive_exclusion_reasons, resolver_rationale -- the rationales as
 * the run stored them, the quotes (a JSON array of strings) and exclusion
 * reasons (a JSON object) of the decision the item links to, in full.  CSV
 * and XLSX hold the quotes and reasons as their JSON text, JSON as values.
 * The resolver has a reasoning and nothing else in the schema.
 *
 * `raw`: CSV cells exactly as stored.  Otherwise a text cell that starts
 * with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so a
 * spreadsheet shows it as text instead of running it as a formula.  Numbers
 * sra writes (confidences, metric values, counts) are never prefixed: a
 * spreadsheet reads `-0.12` as the number it is.  JSON and XLSX are never
 * changed (XLSX cells are typed strings, never formulas).
 */
typedef struct sra_items_options {
	unsigned int version;
	unsigned int classes;	/* SRA_CLASS_* bits; 0 = every class */
	int disagreement;
	int rationale;
	int raw;
} sra_items_options;

#define SRA_ITEMS_OPTIONS_VERSION 1
#define SRA_ITEMS_OPTIONS_INIT { SRA_ITEMS_OPTIONS_VERSION, 0, 0, 0, 0 }

/**
 * The items of a run as sra_benchmark_items(), with `opts` (NULL: the
 * defaults).  TEXT with `rationale` adds, under each item, each reviewer's
 * rationale in full (indented, control characters escaped).
 * @return 0, SRA_ENOTFOUND, SRA_EINVALID (a bad option, an ambiguous id,
 *         XLSX: items as a workbook are sra_benchmark_export_opt()'s),
 *         SRA_EBACKEND, or the write function's failure (SRA_EUSER)
 */
SRA_EXTERN(int) sra_benchmark_items_opt(sra_db *db, const char *run, const sra_items_options *opts,
					sra_benchmark_format fmt, sra_benchmark_write_fn write,
					void *payload);

/** What sra_benchmark_export() writes. */
typedef enum {
	SRA_EXPORT_ITEMS = 0,	/* one row per item, full text */
	SRA_EXPORT_SUMMARY = 1	/* one row per metric: metric, value, ci_low, ci_high */
} sra_export_what;

/**
 * Export a run as CSV or JSON.  Items CSV columns: search_result_source_id,
 * title, human_decision, conservative_decision, conservative_confidence,
 * comprehensive_decision, comprehensive_confidence, resolver_decision,
 * resolver_confidence, final_decision, classification.  Summary CSV:
 * metric, value, ci_low, ci_high (the counts first, then every metric).
 * Nothing is shortened.  Items also as RIS (SRA_BENCHMARK_RIS): each record
 * with its fields, the classification (N1 sra:TP), the human and AI
 * decisions in N1, read back by sra_import_records().
 */
SRA_EXTERN(int) sra_benchmark_export(sra_db *db, const char *run, sra_export_what what,
				     sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload);

/**
 * The same, into `path` atomically: written to a temporary file in the same
 * directory, then renamed over `path`; on failure `path` is untouched.
 * @return 0, SRA_ENOTFOUND, SRA_EBACKEND, or -1 with SRA_ERROR_OS
 */
SRA_EXTERN(int) sra_benchmark_export_file(sra_db *db, const char *run, sra_export_what what,
					  sra_benchmark_format fmt, const char *path);

/**
 * Export with options (sra_items_options; NULL: the defaults): the items
 * filtered and with rationales; CSV cells formula-safe unless `raw`.  XLSX
 * (SRA_BENCHMARK_XLSX) for items and summary: one sheet, a header row,
 * numbers as numbers, text as strings in full; libxlsxwriter is loaded on
 * first use.  The summary ignores `classes`, `disagreement` and `rationale`.
 */
SRA_EXTERN(int) sra_benchmark_export_opt(sra_db *db, const char *run, sra_export_what what,
					 sra_benchmark_format fmt, const sra_items_options *opts,
					 sra_benchmark_write_fn write, void *payload);

/** The same, into `path` as sra_benchmark_export_file(). */
SRA_EXTERN(int) sra_benchmark_export_file_opt(sra_db *db, const char *run, sra_export_what what,
					      sra_benchmark_format fmt, const sra_items_options *opts,
					      const char *path);

/**
 * The leaderboard of runs of one review (benchmark.md, "compare"): for each
 * run its settings (config_details; its top-level keys other than `prices`
 * are the columns), counts, every metric with its 95 % CI, its usage total,
 * and an exact McNemar test against the first run on the records both
 * decided with a known human decision (correct = TP or TN), the p-values
 * Holm-adjusted over the nruns - 1 comparisons.
 *
 * JSON (the report embeds it):
 *   {"review_id": ID, "reference_run": ID of runs[0],
 *    "config_keys": [sorted keys],
 *    "mcnemar_method": "exact binomial, two-sided", "p_adjust": "holm",
 *    "runs": [{"id", "status", "uncertain_policy", "run_notes",
 *              "config": {...} (config_details, keys in jsonb order),
 *              "counts": {"tp", "fp", "fn", "tn", "n"} | null,
 *              "metrics": {...} (sra_metrics_to_json's) | null,
 *              "usage": metrics_detail.usage.total | null,
 *              "mcnemar": null for the first run, else
 *                {"shared_records", "both_correct", "both_wrong",
 *                 "reference_correct_only", "run_correct_only",
 *                 "p_value", "p_holm"}}, ...]}
 * TEXT: the same as tables for people, at most 80 columns.
 *
 * @param out    the leaderboard; the caller frees it
 * @param runs   run ids or unique prefixes, the first the reference (nruns >= 1)
 * @return 0; SRA_ENOTFOUND (no such run); SRA_EINVALID (runs of different
 *         reviews -- the message names both --, an ambiguous prefix); SRA_EBACKEND
 */
SRA_EXTERN(int) sra_benchmark_compare(char **out, sra_db *db, const char *const *runs, size_t nruns,
				      sra_benchmark_format fmt);

/**
 * The exact two-sided McNemar p-value for `b` and `c` discordant pairs:
 * min(1, 2 P(X <= min(b, c))), X ~ Binomial(b + c, 1/2); 1 when b + c = 0.
 */
SRA_EXTERN(double) sra_benchmark_mcnemar_exact(int64_t b, int64_t c);

/**
 * Holm's step-down adjustment of n p-values (statsmodels'
 * multipletests(method='holm')): with p sorted ascending, the i-th (from 1)
 * becomes max over j <= i of min(1, (n - j + 1) p_j).  `adjusted` may be `p`.
 */
SRA_EXTERN(void) sra_benchmark_holm(double *adjusted, const double *p, size_t n);

/** Delete a run and its items.  @return 0, SRA_ENOTFOUND, SRA_EINVALID, SRA_EBACKEND */
SRA_EXTERN(int) sra_benchmark_delete(sra_db *db, const char *run);

/** Options of sra_benchmark_report(); initialise with SRA_REPORT_OPTIONS_INIT. */
typedef struct sra_report_options {
	unsigned int version;
	int timestamp;	/* say when the page was written (else no clock reading of its own is in it) */
} sra_report_options;

#define SRA_REPORT_OPTIONS_VERSION 1
#define SRA_REPORT_OPTIONS_INIT { SRA_REPORT_OPTIONS_VERSION, 0 }

/**
 * The report of one or more runs of one review as a self-contained HTML
 * page (benchmark.md, "The report"): the review's question and criteria,
 * each run's settings, the 2x2 tables, a forest plot of every metric with
 * its 95 % interval per run and reviewer, the reviewers' agreement, the
 * uncertain-policy analysis, calibration and confidence histograms, usage,
 * with several runs the leaderboard, and every false negative and false
 * positive with each reviewer's decision, confidence and rationale.
 * Figures are inline SVG; nothing is fetched.  The data behind the page is
 * embedded as <script type="application/json" id="sra-report-data">: an
 * array holding, for each run, what sra_benchmark_show() gives as JSON.
 * The same data gives the same bytes on either database.
 *
 * @param runs   run ids or unique prefixes, at least one, all of one review
 * @param opts   may be NULL (the defaults)
 * @return 0; SRA_ENOTFOUND (no such run); SRA_EINVALID (an ambiguous
 *         prefix, runs of different reviews); SRA_EBACKEND; or the write
 *         function's failure (SRA_EUSER)
 */
SRA_EXTERN(int) sra_benchmark_report(sra_db *db, const char *const *runs, size_t nruns,
				     const sra_report_options *opts, sra_benchmark_write_fn write,
				     void *payload);

/**
 * The same, into `path` atomically (as sra_benchmark_export_file()).
 * @return as sra_benchmark_report(), or -1 with SRA_ERROR_OS
 */
SRA_EXTERN(int) sra_benchmark_report_file(sra_db *db, const char *const *runs, size_t nruns,
					  const sra_report_options *opts, const char *path);

/** Options of sra_demo_create(); initialise with SRA_DEMO_OPTIONS_INIT. */
typedef struct sra_demo_options {
	unsigned int version;
	int64_t records;	/* records to make (500) */
	uint64_t seed;		/* everything, ids included, follows from it (1) */
} sra_demo_options;

#define SRA_DEMO_OPTIONS_VERSION 1
#define SRA_DEMO_OPTIONS_INIT { SRA_DEMO_OPTIONS_VERSION, 500, 1 }

/**
 * Make a synthetic review in `db`: records with human labels (prevalence
 * about 20 %), a conservative and a comprehensive simulated reviewer with
 * known error rates and confidences, and a resolver for the records the
 * rule sends to it.  The review's id follows from the seed; a review of the
 * same seed made earlier is replaced (with its runs).  One transaction.
 *
 * @param review_out  the review's id (caller frees); may be NULL
 * @param run_id_out  an id for the demo's run, from the same seed (caller
 *                    frees); may be NULL
 */
SRA_EXTERN(int) sra_demo_create(char **review_out, char **run_id_out, sra_db *db,
				const sra_demo_options *opts);

#endif
