/*
 * Statistics of a 2x2 table and of a 3x3 agreement table (src/lib/metrics.c),
 * and the `sra metrics` command (src/cli/cmd_metrics.c, compiled in here).
 *
 * Reference values: the spec's (benchmark.md "Metrics", original-sra.md
 * section 4; scikit-learn 1.2.1 / statsmodels 0.13.5, 6 decimals), and
 * tests/data/metrics_reference.tsv, made with exact rational arithmetic by
 * tests/data/gen_metrics_reference.py, which shares no code with libsra.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sra/sra.h>
#include <sra/metrics.h>

#include "metrics_int.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* the command, to check its exit codes and output without the CLI's main */
#include "../../src/cli/cli.c"
#include "../../src/cli/cmd_metrics.c"

/* ---- helpers ---- */

static sra_metrics compute(int64_t tp, int64_t fp, int64_t fn, int64_t tn)
{
	sra_confusion c = { tp, fp, fn, tn };
	sra_metrics m;

	sra_assert_ok(sra_metrics_compute(&m, &c));
	return m;
}

/* |got - want| <= tol, with a message naming the figure */
static void near_abs(const char *what, int defined, double got, double want, double tol)
{
	if (!defined)
		fail_msg("%s: undefined, expected %.9g", what, want);
	if (!(fabs(got - want) <= tol))
		fail_msg("%s: got %.17g, expected %.17g (+- %g)", what, got, want, tol);
}

/* relative: |got - want| <= tol |want|; an exact 0 must be 0 */
static void near_rel(const char *what, int defined, double got, double want, double tol)
{
	if (!defined)
		fail_msg("%s: undefined, expected %.17g", what, want);
	if (want == 0 ? got != 0 : !(fabs(got - want) <= tol * fabs(want)))
		fail_msg("%s: got %.17g, expected %.17g (relative %g)", what, got, want, tol);
}

/* spec values have 6 decimals */
#define SPEC(what, metric, field, want) \
	near_abs(what, (metric).field##_defined, (metric).field, (want), 5.1e-7)

static void assert_metric_undefined(const sra_metric *m, const char *what)
{
	if (m->value_defined || m->ci_low_defined || m->ci_high_defined || m->se_defined)
		fail_msg("%s: expected undefined, got %.17g", what, m->value);
	assert_true(isnan(m->value));
	assert_true(isnan(m->ci_low) && isnan(m->ci_high) && isnan(m->se));
}

static json_t *to_json(const sra_metrics *m)
{
	char *s = NULL;
	json_error_t err;
	json_t *j;

	sra_assert_ok(sra_metrics_to_json(&s, m));
	assert_non_null(s);
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "NaN"));
	assert_null(strstr(s, "inf"));
	j = json_loads(s, 0, &err);
	if (!j)
		fail_msg("invalid JSON (%s) in:\n%s", err.text, s);
	free(s);
	return j;
}

static json_t *jmetric(json_t *doc, const char *name)
{
	json_t *o = json_object_get(json_object_get(doc, "metrics"), name);

	if (!json_is_object(o))
		fail_msg("metrics.%s is not an object", name);
	return o;
}

/* the JSON field equals the struct's figure exactly (a %.17g round trip), or is null */
static void assert_json_field(json_t *o, const char *name, const char *key,
			      double v, int defined)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		fail_msg("%s.%s is missing", name, key);
	if (!defined) {
		if (!json_is_null(x))
			fail_msg("%s.%s should be null", name, key);
		return;
	}
	if (!json_is_number(x))
		fail_msg("%s.%s should be a number", name, key);
	if (json_number_value(x) != v)
		fail_msg("%s.%s: JSON %.17g, struct %.17g", name, key, json_number_value(x), v);
}

/* every figure of m is in the JSON with the same value, null where undefined */
static void assert_json_matches(const sra_metrics *m)
{
	json_t *doc = to_json(m), *counts = json_object_get(doc, "counts");
	const sra_metric *mm;
	const char *name;
	size_t i;

	assert_int_equal(json_integer_value(json_object_get(counts, "tp")), m->counts.tp);
	assert_int_equal(json_integer_value(json_object_get(counts, "fp")), m->counts.fp);
	assert_int_equal(json_integer_value(json_object_get(counts, "fn")), m->counts.fn);
	assert_int_equal(json_integer_value(json_object_get(counts, "tn")), m->counts.tn);
	assert_int_equal(json_integer_value(json_object_get(counts, "n")), m->n);
	for (i = 0; (mm = sra_metrics_get(m, i, &name)) != NULL; i++) {
		json_t *o = jmetric(doc, name);

		assert_json_field(o, name, "value", mm->value, mm->value_defined);
		if (mm->ci_method) {
			assert_json_field(o, name, "ci_low", mm->ci_low, mm->ci_low_defined);
			assert_json_field(o, name, "ci_high", mm->ci_high, mm->ci_high_defined);
			assert_string_equal(json_string_value(json_object_get(o, "ci_method")), mm->ci_method);
		}
		if (strcmp(name, "cohen_kappa") == 0)
			assert_json_field(o, name, "se", mm->se, mm->se_defined);
	}
	json_decref(doc);
}

static void assert_json_null(const sra_metrics *m, const char *name, const char *key)
{
	json_t *doc = to_json(m);
	json_t *x = json_object_get(jmetric(doc, name), key);

	if (!json_is_null(x))
		fail_msg("metrics.%s.%s should be null", name, key);
	json_decref(doc);
}

/* ---- the spec's reference values ---- */

/* benchmark.md: the JSON example and the table row 40 60 10 890 */
static void test_metrics__spec_40_60_10_890(void **state)
{
	sra_metrics m = compute(40, 60, 10, 890);

	(void)state;
	assert_int_equal(m.n, 1000);
	SPEC("sensitivity", m.sensitivity, value, 0.8);
	SPEC("sensitivity low", m.sensitivity, ci_low, 0.669629);
	SPEC("sensitivity high", m.sensitivity, ci_high, 0.887562);
	SPEC("specificity", m.specificity, value, 0.936842);
	SPEC("specificity low", m.specificity, ci_low, 0.919546);
	SPEC("specificity high", m.specificity, ci_high, 0.950620);
	SPEC("accuracy", m.accuracy, value, 0.93);
	SPEC("ppv", m.ppv, value, 0.4);
	SPEC("npv", m.npv, value, 0.988889);
	SPEC("f1", m.f1_score, value, 0.533333);
	SPEC("mcc", m.mcc, value, 0.535303);
	SPEC("kappa", m.cohen_kappa, value, 0.5);
	SPEC("kappa se", m.cohen_kappa, se, 0.050822);
	SPEC("kappa low", m.cohen_kappa, ci_low, 0.400390);
	SPEC("kappa high", m.cohen_kappa, ci_high, 0.599610);
	SPEC("pabak", m.pabak, value, 0.86);
	SPEC("ac1", m.gwet_ac1, value, 0.918723);
	SPEC("lr+", m.lr_plus, value, 12.666667);
	SPEC("lr+ low", m.lr_plus, ci_low, 9.559833);
	SPEC("lr+ high", m.lr_plus, ci_high, 16.783184);
	SPEC("lr-", m.lr_minus, value, 0.213483);
	SPEC("lr- low", m.lr_minus, ci_low, 0.122603);
	SPEC("lr- high", m.lr_minus, ci_high, 0.371729);
	SPEC("work saved", m.work_saved, value, 0.9);
	SPEC("wss", m.wss, value, 0.7);
	assert_string_equal(m.sensitivity.ci_method, "wilson");
	assert_string_equal(m.cohen_kappa.ci_method, "fleiss-cohen-everitt");
	assert_string_equal(m.lr_plus.ci_method, "log");
	assert_null(m.f1_score.ci_method);
	assert_json_matches(&m);
}

static void test_metrics__spec_39_122_3_6023(void **state)
{
	sra_metrics m = compute(39, 122, 3, 6023);

	(void)state;
	SPEC("sensitivity", m.sensitivity, value, 0.928571);
	SPEC("sensitivity low", m.sensitivity, ci_low, 0.809906);
	SPEC("sensitivity high", m.sensitivity, ci_high, 0.975410);
	SPEC("specificity", m.specificity, value, 0.980146);
	SPEC("specificity low", m.specificity, ci_low, 0.976347);
	SPEC("specificity high", m.specificity, ci_high, 0.983346);
	SPEC("mcc", m.mcc, value, 0.468692);
	SPEC("kappa", m.cohen_kappa, value, 0.377534);
	SPEC("kappa low", m.cohen_kappa, ci_low, 0.292883);
	SPEC("kappa high", m.cohen_kappa, ci_high, 0.462184);
	SPEC("lr+", m.lr_plus, value, 46.771077);
	SPEC("lr+ low", m.lr_plus, ci_low, 38.497421);
	SPEC("lr+ high", m.lr_plus, ci_high, 56.822863);
	SPEC("lr-", m.lr_minus, value, 0.072875);
	SPEC("lr- low", m.lr_minus, ci_low, 0.024491);
	SPEC("lr- high", m.lr_minus, ci_high, 0.216844);
	assert_json_matches(&m);
}

/* benchmark.md 8 2 3 7; original-sra.md section 4 (TP, TN, FP, FN) = (8, 7, 2, 3) */
static void test_metrics__spec_8_2_3_7(void **state)
{
	sra_metrics m = compute(8, 2, 3, 7);

	(void)state;
	SPEC("sensitivity", m.sensitivity, value, 0.727273);
	SPEC("specificity", m.specificity, value, 0.777778);
	SPEC("mcc", m.mcc, value, 0.502519);
	SPEC("kappa", m.cohen_kappa, value, 0.5);
	SPEC("pabak", m.pabak, value, 0.5);
	assert_json_matches(&m);
}

/* original-sra.md section 4: the workbook run TP 20, FP 1, FN 200, TN 364 */
static void test_metrics__spec_workbook_run(void **state)
{
	sra_metrics m = compute(20, 1, 200, 364);

	(void)state;
	SPEC("sensitivity", m.sensitivity, value, 0.090909);
	SPEC("specificity", m.specificity, value, 0.997260);
	SPEC("accuracy", m.accuracy, value, 0.656410);
	SPEC("ppv", m.ppv, value, 0.952381);
	SPEC("npv", m.npv, value, 0.645390);
	SPEC("f1", m.f1_score, value, 0.165975);
	SPEC("mcc", m.mcc, value, 0.229576);
	SPEC("kappa", m.cohen_kappa, value, 0.107480);
	SPEC("pabak", m.pabak, value, 0.312821);
	/* quoted with 4 decimals */
	near_abs("lr+", m.lr_plus.value_defined, m.lr_plus.value, 33.1818, 5.1e-5);
	SPEC("lr-", m.lr_minus, value, 0.911588);
	assert_json_matches(&m);
}

/* (10, 0, 0, 0): pe = 1, so kappa is NULL; MCC NULL */
static void test_metrics__spec_10_0_0_0_kappa_null(void **state)
{
	sra_metrics m = compute(10, 0, 0, 0);

	(void)state;
	assert_metric_undefined(&m.cohen_kappa, "kappa");
	assert_metric_undefined(&m.mcc, "mcc");
	assert_json_null(&m, "cohen_kappa", "value");
	assert_json_null(&m, "cohen_kappa", "se");
	assert_json_null(&m, "cohen_kappa", "ci_low");
	assert_json_null(&m, "mcc", "value");
	/* still defined */
	near_rel("accuracy", m.accuracy.value_defined, m.accuracy.value, 1, 0);
	near_rel("ac1", m.gwet_ac1.value_defined, m.gwet_ac1.value, 1, 0);
	assert_json_matches(&m);
}

/* (0, 0, 5, 5) in TP FP FN TN, section 4's (0, 5, 0, 5) in TP TN FP FN: ppv and MCC NULL */
static void test_metrics__spec_0_0_5_5_ppv_mcc_null(void **state)
{
	sra_metrics m = compute(0, 0, 5, 5);

	(void)state;
	assert_metric_undefined(&m.ppv, "ppv");
	assert_metric_undefined(&m.mcc, "mcc");
	assert_json_null(&m, "ppv", "value");
	assert_json_null(&m, "ppv", "ci_low");
	assert_json_null(&m, "mcc", "value");
	/* the AI is constant but pe < 1: kappa 0 with SE 0 */
	assert_true(m.cohen_kappa.value_defined && m.cohen_kappa.se_defined);
	assert_true(m.cohen_kappa.value == 0 && m.cohen_kappa.se == 0);
	/* sensitivity 0, F1 0 */
	near_rel("sensitivity", m.sensitivity.value_defined, m.sensitivity.value, 0, 0);
	near_rel("f1", m.f1_score.value_defined, m.f1_score.value, 0, 0);
	assert_json_matches(&m);
}

/* ---- edge rules ---- */

static void test_metrics__empty_table(void **state)
{
	sra_metrics m = compute(0, 0, 0, 0);
	const sra_metric *mm;
	const char *name;
	json_t *doc;
	size_t i;

	(void)state;
	assert_int_equal(m.n, 0);
	doc = to_json(&m);
	for (i = 0; (mm = sra_metrics_get(&m, i, &name)) != NULL; i++) {
		json_t *o = jmetric(doc, name);

		assert_metric_undefined(mm, name);
		assert_true(json_is_null(json_object_get(o, "value")));
		if (mm->ci_method) {
			assert_true(json_is_null(json_object_get(o, "ci_low")));
			assert_true(json_is_null(json_object_get(o, "ci_high")));
		}
	}
	json_decref(doc);
}

static void test_metrics__defined_zero_is_reported(void **state)
{
	sra_metrics m = compute(0, 3, 4, 10);	/* TP = 0, FP > 0 */

	(void)state;
	/* F1 = 0 when TP = 0 and FP + FN > 0 */
	near_rel("f1", m.f1_score.value_defined, m.f1_score.value, 0, 0);
	/* LR+ = 0 when TP = 0 and FP > 0, but its log CI needs TP > 0 */
	near_rel("lr+", m.lr_plus.value_defined, m.lr_plus.value, 0, 0);
	assert_false(m.lr_plus.ci_low_defined || m.lr_plus.ci_high_defined);
	assert_json_null(&m, "lr_plus", "ci_low");
	assert_json_null(&m, "lr_plus", "ci_high");
	/* Wilson's lower bound at x = 0 is exactly 0 */
	near_rel("sensitivity low", m.sensitivity.ci_low_defined, m.sensitivity.ci_low, 0, 0);
	assert_json_matches(&m);

	m = compute(7, 3, 0, 10);		/* FN = 0: LR- = 0 without CI */
	near_rel("lr-", m.lr_minus.value_defined, m.lr_minus.value, 0, 0);
	assert_false(m.lr_minus.ci_low_defined || m.lr_minus.ci_high_defined);
	assert_json_null(&m, "lr_minus", "ci_low");
	assert_true(m.lr_plus.ci_low_defined);
}

static void test_metrics__likelihood_ratio_nulls(void **state)
{
	sra_metrics m = compute(7, 0, 3, 10);	/* FP = 0 */

	(void)state;
	assert_metric_undefined(&m.lr_plus, "lr+ with FP = 0");
	assert_true(m.lr_minus.value_defined && m.lr_minus.ci_low_defined);
	m = compute(7, 3, 4, 0);		/* TN = 0 */
	assert_metric_undefined(&m.lr_minus, "lr- with TN = 0");
	assert_true(m.lr_plus.value_defined && m.lr_plus.ci_low_defined);
	m = compute(0, 6, 0, 4);		/* sensitivity NULL */
	assert_metric_undefined(&m.sensitivity, "sensitivity");
	assert_metric_undefined(&m.lr_plus, "lr+ without sensitivity");
	assert_metric_undefined(&m.lr_minus, "lr- without sensitivity");
	assert_metric_undefined(&m.wss, "wss without sensitivity");
	assert_json_null(&m, "wss", "value");
	m = compute(6, 0, 4, 0);		/* specificity NULL */
	assert_metric_undefined(&m.specificity, "specificity");
	assert_metric_undefined(&m.lr_plus, "lr+ without specificity");
	assert_metric_undefined(&m.lr_minus, "lr- without specificity");
	assert_true(m.wss.value_defined);
}

/* one rater constant but pe < 1: kappa 0, SE exactly 0, CI [0, 0] */
static void test_metrics__kappa_constant_rater(void **state)
{
	static const int64_t tables[][4] = {
		{ 0, 0, 3, 7 }, { 6, 4, 0, 0 }, { 6, 0, 4, 0 }, { 0, 6, 0, 4 },
		{ 0, 0, 3000000000, 3000000000 },
		{ 0, 0, INT64_C(1500000000000000000), INT64_C(2000000000000000000) },
		{ INT64_C(3000000000000000000), INT64_C(1000000000000000000), 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		sra_metrics m = compute(tables[i][0], tables[i][1], tables[i][2], tables[i][3]);

		assert_true(m.cohen_kappa.value_defined && m.cohen_kappa.se_defined);
		assert_true(m.cohen_kappa.value == 0);
		assert_true(m.cohen_kappa.se == 0);
		assert_true(m.cohen_kappa.ci_low == 0 && m.cohen_kappa.ci_high == 0);
		assert_json_matches(&m);
	}
}

/* AC1 and work_saved are NULL only when N = 0 */
static void test_metrics__ac1_work_saved_defined(void **state)
{
	static const int64_t tables[][4] = {
		{ 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 },
		{ 10, 0, 0, 0 }, { 0, 5, 5, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		sra_metrics m = compute(tables[i][0], tables[i][1], tables[i][2], tables[i][3]);

		assert_true(m.gwet_ac1.value_defined);
		assert_true(m.work_saved.value_defined);
		assert_true(m.pabak.value_defined);
		assert_true(m.accuracy.value_defined);
	}
}

/* kappa +- z SE is not clipped to [-1, 1] */
static void test_metrics__kappa_ci_not_clipped(void **state)
{
	sra_metrics m = compute(2, 1, 0, 1);

	(void)state;
	assert_true(m.cohen_kappa.ci_high > 1);
	near_rel("kappa high", 1, m.cohen_kappa.ci_high, 1.2349864942025202, 1e-12);
	m = compute(1, 1, 1, 0);
	assert_true(m.cohen_kappa.ci_low < -1);
	near_rel("kappa low", 1, m.cohen_kappa.ci_low, -1.1001139595444138, 1e-12);
	assert_json_matches(&m);
}

/* exact integers where floats would cancel or overflow */
static void test_metrics__huge_counts(void **state)
{
	sra_metrics m = compute(1000000000, 999999999, 1000000001, 1000000000);
	double d;

	(void)state;
	/* ad - bc = 1: kappa = 2 / ((a+b)(b+d) + (c+d)(a+c)) */
	d = 1999999999.0 * 1999999999.0 + 2000000001.0 * 2000000001.0;
	near_rel("kappa", m.cohen_kappa.value_defined, m.cohen_kappa.value, 2 / d, 1e-12);
	near_rel("wss", m.wss.value_defined, m.wss.value, 1 / (4e9 * 2000000001.0), 1e-12);
	assert_true(m.mcc.value > 0);

	/* near the limit: no overflow, all finite */
	m = compute(INT64_C(1) << 60, INT64_C(1) << 60, INT64_C(1) << 60, INT64_C(1) << 60);
	assert_int_equal(m.n, INT64_C(1) << 62);
	near_rel("kappa 0", 1, m.cohen_kappa.value, 0, 0);
	near_rel("pabak 0", 1, m.pabak.value, 0, 0);
	near_rel("ac1 0", 1, m.gwet_ac1.value, 0, 0);
	near_rel("sens", 1, m.sensitivity.value, 0.5, 1e-15);
	assert_true(isfinite(m.cohen_kappa.se) && m.cohen_kappa.se > 0);
	assert_json_matches(&m);
}

static void test_metrics__invalid_counts(void **state)
{
	sra_confusion neg = { 1, -1, 0, 0 };
	sra_confusion big = { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX };
	sra_confusion over = { (INT64_C(1) << 62), 1, 0, 0 };
	sra_metrics m;

	(void)state;
	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(sra_metrics_compute(&m, &neg), SRA_EINVALID);
	assert_non_null(sra_error_last());
	assert_int_equal(m.n, (int64_t)0x5a5a5a5a5a5a5a5a);	/* untouched */
	assert_int_equal(sra_metrics_compute(&m, &big), SRA_EINVALID);
	assert_int_equal(sra_metrics_compute(&m, &over), SRA_EINVALID);
	assert_int_equal(sra_metrics_compute(NULL, &neg), SRA_EINVALID);
	assert_int_equal(sra_metrics_compute(&m, NULL), SRA_EINVALID);
}

/* ---- the independent reference table ---- */

static int split_tabs(char **field, int max, char *line)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		field[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static const sra_metric *metric_by_name(const sra_metrics *m, const char *want)
{
	const sra_metric *mm;
	const char *name;
	size_t i;

	for (i = 0; (mm = sra_metrics_get(m, i, &name)) != NULL; i++)
		if (strcmp(name, want) == 0)
			return mm;
	return NULL;
}

static void check_reference_cell(const sra_metrics *m, const char *col, const char *cell,
				 const char *table)
{
	static const struct { const char *suffix; size_t vo, fo; } fields[] = {
		{ "_ci_low", offsetof(sra_metric, ci_low), offsetof(sra_metric, ci_low_defined) },
		{ "_ci_high", offsetof(sra_metric, ci_high), offsetof(sra_metric, ci_high_defined) },
		{ "_se", offsetof(sra_metric, se), offsetof(sra_metric, se_defined) },
	};
	char base[64], what[160];
	size_t vo = offsetof(sra_metric, value), fo = offsetof(sra_metric, value_defined), i;
	const sra_metric *mm;
	double got;
	int defined;

	snprintf(base, sizeof(base), "%s", col);
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		size_t bl = strlen(base), sl = strlen(fields[i].suffix);

		if (bl > sl && strcmp(base + bl - sl, fields[i].suffix) == 0) {
			base[bl - sl] = '\0';
			vo = fields[i].vo;
			fo = fields[i].fo;
			break;
		}
	}
	mm = metric_by_name(m, base);
	if (!mm)
		fail_msg("metrics_reference.tsv: unknown column %s", col);
	got = *(const double *)((const char *)mm + vo);
	defined = *(const int *)((const char *)mm + fo);
	snprintf(what, sizeof(what), "%s %s", table, col);
	if (strcmp(cell, "NA") == 0) {
		if (defined)
			fail_msg("%s: got %.17g, expected undefined", what, got);
		return;
	}
	/* the spec asks for 1e-6 relative; exact arithmetic lets us ask for 1e-9 */
	near_rel(what, defined, got, strtod(cell, NULL), 1e-9);
}

static void test_metrics__reference_tsv(void **state)
{
	char path[4096], *text, *line, *save = NULL, *header[64], *cell[64];
	int ncol = 0, rows = 0, i;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/metrics_reference.tsv", sra_test_source_dir());
	text = sra_test_read_file(path);
	if (!text)
		fail_msg("cannot read %s (is SRA_SOURCE_DIR set?)", path);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		sra_metrics m;
		char table[128];
		int n;

		if (line[0] == '#')
			continue;
		if (!ncol) {
			ncol = split_tabs(header, 64, line);
			assert_true(ncol > 4);
			assert_string_equal(header[0], "tp");
			assert_string_equal(header[3], "tn");
			continue;
		}
		n = split_tabs(cell, 64, line);
		assert_int_equal(n, ncol);
		m = compute(strtoll(cell[0], NULL, 10), strtoll(cell[1], NULL, 10),
			    strtoll(cell[2], NULL, 10), strtoll(cell[3], NULL, 10));
		snprintf(table, sizeof(table), "(%s, %s, %s, %s)", cell[0], cell[1], cell[2], cell[3]);
		for (i = 4; i < ncol; i++)
			check_reference_cell(&m, header[i], cell[i], table);
		assert_json_matches(&m);
		rows++;
	}
	/* every metric has a column: 14 values + 8 intervals * 2 + kappa's SE */
	assert_int_equal(ncol, 4 + SRA_METRICS_COUNT + 8 * 2 + 1);
	assert_true(rows >= 30);
	free(text);
}

/* ---- JSON layout and text ---- */

static void assert_keys(json_t *o, const char *what, const char *const *keys)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	if (!json_is_object(o))
		fail_msg("%s is not an object", what);
	json_object_foreach(o, key, v) {
		(void)v;
		if (!keys[i])
			fail_msg("%s: unexpected key %s", what, key);
		if (strcmp(key, keys[i]) != 0)
			fail_msg("%s: key %zu is %s, expected %s", what, i, key, keys[i]);
		i++;
	}
	if (keys[i])
		fail_msg("%s: missing key %s", what, keys[i]);
}

static void test_metrics__json_layout(void **state)
{
	static const char *const top[] = { "counts", "metrics", NULL };
	static const char *const counts[] = { "tp", "fp", "fn", "tn", "n", NULL };
	static const char *const names[] = {
		"sensitivity", "specificity", "ppv", "npv", "accuracy", "f1_score", "mcc",
		"cohen_kappa", "pabak", "gwet_ac1", "lr_plus", "lr_minus", "work_saved", "wss", NULL
	};
	static const char *const wilson_keys[] = { "value", "ci_low", "ci_high", "ci_method", NULL };
	static const char *const kappa_keys[] = { "value", "se", "ci_low", "ci_high", "ci_method", NULL };
	static const char *const value_keys[] = { "value", NULL };
	sra_metrics all[3];
	size_t i, k;

	(void)state;
	all[0] = compute(40, 60, 10, 890);
	all[1] = compute(0, 0, 0, 0);	/* the same keys when everything is null */
	all[2] = compute(0, 3, 4, 10);
	for (k = 0; k < 3; k++) {
		json_t *doc = to_json(&all[k]), *metrics = json_object_get(doc, "metrics");

		assert_keys(doc, "document", top);
		assert_keys(json_object_get(doc, "counts"), "counts", counts);
		assert_keys(metrics, "metrics", names);
		for (i = 0; names[i]; i++) {
			json_t *o = json_object_get(metrics, names[i]);
			const char *method = json_string_value(json_object_get(o, "ci_method"));

			if (i < 5) {
				assert_keys(o, names[i], wilson_keys);
				assert_string_equal(method, "wilson");
			} else if (strcmp(names[i], "cohen_kappa") == 0) {
				assert_keys(o, names[i], kappa_keys);
				assert_string_equal(method, "fleiss-cohen-everitt");
			} else if (strncmp(names[i], "lr_", 3) == 0) {
				assert_keys(o, names[i], wilson_keys);
				assert_string_equal(method, "log");
			} else {
				assert_keys(o, names[i], value_keys);
			}
		}
		json_decref(doc);
	}
}

static void test_metrics__json_full_precision(void **state)
{
	sra_metrics m = compute(39, 122, 3, 6023);
	json_t *doc;
	char *s;

	(void)state;
	sra_assert_ok(sra_metrics_to_json(&s, &m));
	/* 17 significant digits, not a rounded 6 */
	assert_non_null(strstr(s, "0.9285714285714286"));
	free(s);
	/* the jansson variant the benchmark engine embeds is the same object */
	doc = sra_metrics__json(&m);
	assert_non_null(doc);
	assert_true(json_real_value(json_object_get(jmetric(doc, "sensitivity"), "value")) == m.sensitivity.value);
	json_decref(doc);
}

static void assert_text_ok(const sra_metrics *m)
{
	char *s = NULL, *line, *save = NULL;

	sra_assert_ok(sra_metrics_format_text(&s, m));
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("line longer than 80 columns (%zu): %s", strlen(line), line);
	free(s);
}

static void test_metrics__text(void **state)
{
	sra_metrics m = compute(40, 60, 10, 890);
	char *s;

	(void)state;
	sra_assert_ok(sra_metrics_format_text(&s, &m));
	assert_non_null(strstr(s, "sensitivity     0.800000  [0.669629, 0.887562]"));
	assert_non_null(strstr(s, "cohen_kappa     0.500000  [0.400390, 0.599610]        FCE, SE 0.050822"));
	assert_non_null(strstr(s, "lr_plus        12.666667  [9.559833, 16.783184]"));
	assert_non_null(strstr(s, "TP 40"));
	free(s);

	m = compute(10, 0, 0, 0);
	sra_assert_ok(sra_metrics_format_text(&s, &m));
	assert_non_null(strstr(s, "cohen_kappa          n/a  n/a"));
	assert_non_null(strstr(s, "mcc                  n/a\n"));
	free(s);

	assert_text_ok(&m);
	m = compute(0, 0, 0, 0);
	assert_text_ok(&m);
	m = compute(INT64_C(1) << 60, INT64_C(1) << 60, INT64_C(1) << 60, INT64_C(1) << 60);
	assert_text_ok(&m);
	m = compute(123456789012, 1, 2, 999999999999);	/* LR+ ~ 5e11 */
	assert_text_ok(&m);
	m = compute(1, 1, 1, 0);
	assert_text_ok(&m);
}

static void test_metrics__get(void **state)
{
	sra_metrics m = compute(40, 60, 10, 890);
	const char *name = NULL;

	(void)state;
	assert_ptr_equal(sra_metrics_get(&m, 0, &name), &m.sensitivity);
	assert_string_equal(name, "sensitivity");
	assert_ptr_equal(sra_metrics_get(&m, 7, &name), &m.cohen_kappa);
	assert_string_equal(name, "cohen_kappa");
	assert_ptr_equal(sra_metrics_get(&m, SRA_METRICS_COUNT - 1, &name), &m.wss);
	assert_string_equal(name, "wss");
	assert_null(sra_metrics_get(&m, SRA_METRICS_COUNT, &name));
	assert_non_null(sra_metrics_get(&m, 3, NULL));
}

/* ---- agreement of the two reviewers, 3x3 ---- */

/* values from `tests/data/gen_metrics_reference.py --agreement` (exact arithmetic) */
static void test_metrics__agreement(void **state)
{
	static const struct {
		int64_t n[3][3];
		double kappa, se, pabak;	/* NAN: undefined */
	} cases[] = {
		{ { { 10, 2, 1 }, { 3, 50, 4 }, { 0, 5, 6 } }, 0.5979483785572468, 0.09148944913230711, 0.7222222222222222 },
		{ { { 5, 0, 0 }, { 0, 5, 0 }, { 0, 0, 5 } }, 1.0, 0.0, 1.0 },
		{ { { 0, 0, 0 }, { 0, 9, 0 }, { 0, 0, 0 } }, NAN, NAN, 1.0 },
		{ { { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 } }, NAN, NAN, NAN },
		{ { { 0, 4, 0 }, { 0, 7, 0 }, { 0, 3, 0 } }, 0.0, 0.0, 0.25 },
		{ { { 0, 5, 5 }, { 5, 0, 5 }, { 5, 5, 0 } }, -0.5, 0.0, -0.5 },
		{ { { 3000000000, 1, 2 }, { 3, 2000000000, 4 }, { 5, 6, 1000000000 } },
		  0.9999999942727273, 1.2497933628793365e-09, 0.99999999475 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		sra_agreement_table t;
		sra_metric km, pm;
		double kappa = 42, pabak = 42, po;
		int defined = 42;
		char what[64];
		json_t *j;

		memcpy(t.n, cases[i].n, sizeof(t.n));
		snprintf(what, sizeof(what), "agreement case %zu", i);
		sra_assert_ok(sra_metrics_agreement(&kappa, &defined, &pabak, &t));
		sra_assert_ok(sra_metrics__agreement(&km, &pm, &po, &t));
		j = sra_metrics__agreement_json(&t);
		assert_non_null(j);
		if (isnan(cases[i].kappa)) {
			assert_int_equal(defined, 0);
			assert_true(isnan(kappa));
			assert_true(json_is_null(json_object_get(json_object_get(j, "cohen_kappa"), "value")));
			assert_true(json_is_null(json_object_get(json_object_get(j, "cohen_kappa"), "se")));
		} else {
			assert_int_equal(defined, 1);
			near_rel(what, defined, kappa, cases[i].kappa, 1e-9);
			near_rel(what, km.se_defined, km.se, cases[i].se, 1e-9);
			assert_true(json_real_value(json_object_get(json_object_get(j, "cohen_kappa"), "value")) == kappa);
		}
		if (isnan(cases[i].pabak)) {
			assert_true(isnan(pabak));
			assert_true(isnan(po));
			assert_true(json_is_null(json_object_get(json_object_get(j, "pabak"), "value")));
			assert_true(json_is_null(json_object_get(j, "observed_agreement")));
		} else {
			near_rel(what, 1, pabak, cases[i].pabak, 1e-12);
			assert_true(json_real_value(json_object_get(json_object_get(j, "pabak"), "value")) == pabak);
		}
		assert_int_equal(json_integer_value(json_object_get(j, "n")),
				 cases[i].n[0][0] + cases[i].n[0][1] + cases[i].n[0][2]
				 + cases[i].n[1][0] + cases[i].n[1][1] + cases[i].n[1][2]
				 + cases[i].n[2][0] + cases[i].n[2][1] + cases[i].n[2][2]);
		assert_int_equal(json_integer_value(json_array_get(json_array_get(json_object_get(j, "table"), 1), 2)),
				 cases[i].n[1][2]);
		assert_string_equal(json_string_value(json_array_get(json_object_get(j, "categories"), 2)), "uncertain");
		json_decref(j);
	}
}

static void test_metrics__agreement_invalid(void **state)
{
	sra_agreement_table t = { { { 1, 2, 3 }, { 4, -5, 6 }, { 7, 8, 9 } } };
	double kappa = 42;

	(void)state;
	assert_int_equal(sra_metrics_agreement(&kappa, NULL, NULL, &t), SRA_EINVALID);
	assert_true(kappa == 42);
	assert_null(sra_metrics__agreement_json(&t));
	/* a 2x2 table inside the 3x3 one: the same kappa as the 2x2 code */
	{
		sra_agreement_table u = { { { 40, 60, 0 }, { 10, 890, 0 }, { 0, 0, 0 } } };
		sra_metric km;
		sra_metrics m = compute(40, 60, 10, 890);

		sra_assert_ok(sra_metrics__agreement(&km, NULL, NULL, &u));
		near_rel("kappa 2x2 in 3x3", km.value_defined, km.value, m.cohen_kappa.value, 1e-15);
		near_rel("se 2x2 in 3x3", km.se_defined, km.se, m.cohen_kappa.se, 1e-15);
	}
}

/* ---- the command ---- */

/* run cmd_metrics with stdout and stderr captured; caller frees both */
static int run_cmd(char **out, char **err, const char *const *args)
{
	char *dir = sra_test_tmpdir(), opath[4200], epath[4200], *argv[32];
	int argc = 0, rc, so, se, fo, fe;

	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	snprintf(opath, sizeof(opath), "%s/out", dir);
	snprintf(epath, sizeof(epath), "%s/err", dir);
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	fo = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(so >= 0 && se >= 0 && fo >= 0 && fe >= 0);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = cmd_metrics(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	close(fo);
	close(fe);
	*out = sra_test_read_file(opath);
	*err = sra_test_read_file(epath);
	sra_test_rmtree(dir);
	free(dir);
	return rc;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_usage(const char *const *args, const char *needle)
{
	char *out, *err;
	int rc = run_cmd(&out, &err, args);

	if (rc != 2)
		fail_msg("exit %d, expected 2 (stderr: %s)", rc, err);
	assert_string_equal(out, "");
	assert_int_equal(count_lines(err), 1);
	if (!strstr(err, needle))
		fail_msg("stderr does not mention %s: %s", needle, err);
	free(out);
	free(err);
}

static void test_metrics__cli_usage_errors(void **state)
{
	(void)state;
	expect_usage((const char *const[]){ "metrics", "--tp", "-1", "--fp", "1", "--fn", "1", "--tn", "1", NULL },
		     "--tp: '-1'");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2.5", "--fn", "1", "--tn", "1", NULL },
		     "--fp: '2.5'");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", "--fn", "x", "--tn", "1", NULL },
		     "--fn: 'x'");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", "--fn", "3", "--tn=", NULL },
		     "--tn: ''");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", "--fn", "3", "--tn",
					    "99999999999999999999", NULL }, "--tn: '99999999999999999999'");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", NULL }, "--fn, --tn");
	expect_usage((const char *const[]){ "metrics", NULL }, "--tp, --fp, --fn, --tn");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", "--fn", "3", "--tn", "4",
					    "--bogus", NULL }, "--bogus");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", "--fn", "3", "--tn", NULL },
		     "--tn");
	expect_usage((const char *const[]){ "metrics", "--tp", "1", "--fp", "2", "--fn", "3", "--tn", "4",
					    "extra", NULL }, "extra");
	expect_usage((const char *const[]){ "metrics", "--tp", "4611686018427387904", "--fp", "1", "--fn", "0",
					    "--tn", "0", NULL }, "2^62");
}

static void test_metrics__cli_output(void **state)
{
	char *out, *err;
	json_t *doc;
	int rc;

	(void)state;
	rc = run_cmd(&out, &err, (const char *const[]){ "metrics", "--tp", "40", "--fp=60", "--fn", "10",
							"--tn", "890", "--json", NULL });
	assert_int_equal(rc, 0);
	assert_string_equal(err, "");
	doc = json_loads(out, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "counts"), "n")), 1000);
	near_abs("cli kappa se", 1, json_number_value(json_object_get(jmetric(doc, "cohen_kappa"), "se")),
		 0.050822, 5.1e-7);
	json_decref(doc);
	free(out);
	free(err);

	rc = run_cmd(&out, &err, (const char *const[]){ "metrics", "--tp", "10", "--fp", "0", "--fn", "0",
							"--tn", "0", NULL });
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "cohen_kappa          n/a"));
	assert_non_null(strstr(out, "TP 10"));
	free(out);
	free(err);

	rc = run_cmd(&out, &err, (const char *const[]){ "metrics", "-q", "--tp", "1", "--fp", "2", "--fn", "3",
							"--tn", "4", NULL });
	assert_int_equal(rc, 0);
	assert_true(strncmp(out, "metric ", 7) == 0);
	assert_int_equal(count_lines(out), 1 + SRA_METRICS_COUNT);
	free(out);
	free(err);

	rc = run_cmd(&out, &err, (const char *const[]){ "metrics", "--help", NULL });
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "usage: sra metrics"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics__spec_40_60_10_890),
		cmocka_unit_test(test_metrics__spec_39_122_3_6023),
		cmocka_unit_test(test_metrics__spec_8_2_3_7),
		cmocka_unit_test(test_metrics__spec_workbook_run),
		cmocka_unit_test(test_metrics__spec_10_0_0_0_kappa_null),
		cmocka_unit_test(test_metrics__spec_0_0_5_5_ppv_mcc_null),
		cmocka_unit_test(test_metrics__empty_table),
		cmocka_unit_test(test_metrics__defined_zero_is_reported),
		cmocka_unit_test(test_metrics__likelihood_ratio_nulls),
		cmocka_unit_test(test_metrics__kappa_constant_rater),
		cmocka_unit_test(test_metrics__ac1_work_saved_defined),
		cmocka_unit_test(test_metrics__kappa_ci_not_clipped),
		cmocka_unit_test(test_metrics__huge_counts),
		cmocka_unit_test(test_metrics__invalid_counts),
		cmocka_unit_test(test_metrics__reference_tsv),
		cmocka_unit_test(test_metrics__json_layout),
		cmocka_unit_test(test_metrics__json_full_precision),
		cmocka_unit_test(test_metrics__text),
		cmocka_unit_test(test_metrics__get),
		cmocka_unit_test(test_metrics__agreement),
		cmocka_unit_test(test_metrics__agreement_invalid),
		cmocka_unit_test(test_metrics__cli_usage_errors),
		cmocka_unit_test(test_metrics__cli_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
