/*
 * What the rest of libsra (the benchmark engine) sees of metrics.c beyond
 * the public include/sra/metrics.h: jansson objects to embed in
 * `metrics_detail`, and the agreement statistics with their intervals.
 *
 * Every json_t * returned here is a new reference the caller owns
 * (json_decref() it, or hand it to json_object_set_new()).
 */
#ifndef SRA_LIB_METRICS_INT_H
#define SRA_LIB_METRICS_INT_H

#include <jansson.h>

#include "sra/metrics.h"

/*
 * {"counts": {...}, "metrics": {...}}: the object sra_metrics_to_json()
 * prints, for `metrics_detail` under "final", "conservative", "comprehensive".
 * NULL only when out of memory.
 */
json_t *sra_metrics__json(const sra_metrics *m);

/*
 * One metric: {"value": …} plus "se", "ci_low", "ci_high", "ci_method" when
 * the metric has them (null where undefined).  For instance the sensitivity
 * and specificity under each uncertain policy.  NULL only when out of memory.
 */
json_t *sra_metrics__metric_json(const sra_metric *m);

/*
 * Agreement of two raters over include/exclude/uncertain, with intervals:
 * `kappa` gets Cohen's kappa with the Fleiss-Cohen-Everitt SE and CI (the
 * same rules as the 2x2 kappa), `pabak` gets (3po - 1)/2, `po` the observed
 * agreement (NAN when N = 0).  Any output may be NULL.
 * Returns 0, or SRA_EINVALID for a negative count or N > SRA_METRICS_MAX_N.
 */
int sra_metrics__agreement(sra_metric *kappa, sra_metric *pabak, double *po,
			   const sra_agreement_table *t);

/*
 * {"categories": ["include", "exclude", "uncertain"],
 *  "table": [[…], […], […]] (rows: rater A, columns: rater B), "n": N,
 *  "observed_agreement": po, "cohen_kappa": {value, se, ci_low, ci_high,
 *  ci_method}, "pabak": {"value": …}}.
 * NULL with the error set for an invalid table (SRA_EINVALID above).
 */
json_t *sra_metrics__agreement_json(const sra_agreement_table *t);

/*
 * A figure for people, into buf: 6 decimals, or 6 significant digits when
 * that would hide it (below 1e-4) or be long (1000 and up); "n/a" when not
 * defined.  Returns buf.
 */
const char *sra_metrics__fmt_num(char *buf, size_t size, double v, int defined);

#endif
