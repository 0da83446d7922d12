/*
 * libsra: accuracy and agreement statistics of a 2x2 screening table
 * (benchmark.md, "Metrics").
 *
 * Positive = include; the reference is the human decision, the rater under
 * test the AI.  The types here are plain values: the caller owns them
 * (usually on the stack) and nothing needs freeing except the strings that
 * sra_metrics_to_json() and sra_metrics_format_text() return, which the
 * caller releases with free().
 *
 * A metric whose formula has a zero denominator is *undefined*: its
 * `*_defined` flag is 0 and the field holds NAN.  Undefined values are never
 * printed as NaN or infinity: JSON shows null, text shows "n/a".
 */
#ifndef SRA_METRICS_H
#define SRA_METRICS_H

#include "common.h"

/** A 2x2 table: AI decision (rows) against the human decision (columns). */
typedef struct sra_confusion {
	int64_t tp;	/* AI include, human include */
	int64_t fp;	/* AI include, human exclude */
	int64_t fn;	/* AI exclude, human include */
	int64_t tn;	/* AI exclude, human exclude */
} sra_confusion;

/** The largest table sra_metrics_compute() accepts: tp + fp + fn + tn <= 2^62. */
#define SRA_METRICS_MAX_N (INT64_C(1) << 62)

/** The normal quantile of every 95 % interval. */
#define SRA_METRICS_Z 1.959963984540054

/** One statistic: its value, its 95 % interval and standard error where it has them. */
typedef struct sra_metric {
	double value;		/* NAN unless value_defined */
	double ci_low;		/* NAN unless ci_low_defined; never clipped */
	double ci_high;		/* NAN unless ci_high_defined; never clipped */
	double se;		/* NAN unless se_defined (only cohen_kappa has one) */
	int value_defined;
	int ci_low_defined;
	int ci_high_defined;
	int se_defined;
	const char *ci_method;	/* "wilson", "log", "fleiss-cohen-everitt", or NULL
				 * for a metric without an interval; static */
} sra_metric;

/** Every statistic of one 2x2 table; fill with sra_metrics_compute(). */
typedef struct sra_metrics {
	sra_confusion counts;
	int64_t n;		/* tp + fp + fn + tn */
	sra_metric sensitivity;	/* TP/(TP+FN), Wilson CI */
	sra_metric specificity;	/* TN/(TN+FP), Wilson CI */
	sra_metric ppv;		/* TP/(TP+FP), Wilson CI */
	sra_metric npv;		/* TN/(TN+FN), Wilson CI */
	sra_metric accuracy;	/* (TP+TN)/N, Wilson CI */
	sra_metric f1_score;	/* 2TP/(2TP+FP+FN) */
	sra_metric mcc;		/* Matthews correlation coefficient */
	sra_metric cohen_kappa;	/* value, se, CI kappa +- z*se (Fleiss, Cohen & Everitt 1969) */
	sra_metric pabak;	/* 2po - 1 */
	sra_metric gwet_ac1;	/* Gwet's AC1 */
	sra_metric lr_plus;	/* sensitivity/(1 - specificity), log-method CI */
	sra_metric lr_minus;	/* (1 - sensitivity)/specificity, log-method CI */
	sra_metric work_saved;	/* (TN+FN)/N */
	sra_metric wss;		/* work saved over sampling at the achieved recall */
} sra_metrics;

/** How many metrics sra_metrics_get() walks through. */
#define SRA_METRICS_COUNT 14

/**
 * Compute every statistic of a 2x2 table.  Products of counts are exact
 * (128-bit integers); "undefined" is decided on integers, never by comparing
 * floats.  An empty table (N = 0) is valid: every metric is then undefined.
 *
 * @param out   filled on success only
 * @param c     the counts
 * @return 0, or SRA_EINVALID when a count is negative or N > SRA_METRICS_MAX_N
 */
SRA_EXTERN(int) sra_metrics_compute(sra_metrics *out, const sra_confusion *c);

/**
 * Walk the metrics in the spec's order (sensitivity, specificity, ppv, npv,
 * accuracy, f1_score, mcc, cohen_kappa, pabak, gwet_ac1, lr_plus, lr_minus,
 * work_saved, wss).
 *
 * @param m     the metrics
 * @param i     0 .. SRA_METRICS_COUNT - 1
 * @param name  if not NULL, set to the metric's JSON name (static)
 * @return the i-th metric, borrowed from `m`, or NULL when i is out of range
 */
SRA_EXTERN(const sra_metric *) sra_metrics_get(const sra_metrics *m, size_t i, const char **name);

/**
 * The metrics as a JSON document, laid out as benchmark.md shows:
 * {"counts": {"tp", "fp", "fn", "tn", "n"}, "metrics": {"sensitivity":
 * {"value", "ci_low", "ci_high", "ci_method"}, ...}}; undefined numbers are
 * null, defined ones printed with 17 significant digits.  Indented by two
 * spaces, no trailing newline.
 *
 * @param out   the document; the caller frees it with free()
 * @return 0, or -1 when the document cannot be built
 */
SRA_EXTERN(int) sra_metrics_to_json(char **out, const sra_metrics *m);

/**
 * The metrics as a table for people, at most 80 columns wide: the counts,
 * then one line per metric with its value, 95 % interval and method;
 * undefined figures read "n/a".  Ends with a newline.
 *
 * @param out   the text; the caller frees it with free()
 * @return 0
 */
SRA_EXTERN(int) sra_metrics_format_text(char **out, const sra_metrics *m);

/** Categories of the agreement table, in this order. */
typedef enum {
	SRA_AGREE_INCLUDE = 0,
	SRA_AGREE_EXCLUDE = 1,
	SRA_AGREE_UNCERTAIN = 2
} sra_agreement_category;

/**
 * Two raters over include / exclude / uncertain: n[a][b] counts the records
 * that rater A (rows, the conservative reviewer) put in category a and rater
 * B (columns, the comprehensive reviewer) in category b.
 */
typedef struct sra_agreement_table {
	int64_t n[3][3];
} sra_agreement_table;

/**
 * Agreement between two raters: Cohen's kappa for k = 3 categories and
 * PABAK = (3po - 1)/2.
 *
 * @param kappa          Cohen's kappa; NAN when undefined
 * @param kappa_defined  1, or 0 when N = 0 or pe = 1 (both raters constant
 *                       on the same category); may be NULL
 * @param pabak          PABAK; NAN when N = 0 (test with isnan()); may be NULL
 * @param t              the table
 * @return 0, or SRA_EINVALID when a count is negative or N > SRA_METRICS_MAX_N
 *         (the outputs are then untouched)
 */
SRA_EXTERN(int) sra_metrics_agreement(double *kappa, int *kappa_defined, double *pabak,
				      const sra_agreement_table *t);

#endif
