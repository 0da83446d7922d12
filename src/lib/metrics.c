/*
 * This file holds the statistics of a 2x2 screening table (sensitivity ...
 * WSS, with their intervals) and the agreement of two raters over k
 * categories, and their JSON and text forms (include/sra/metrics.h,
 * benchmark.md "Metrics").
 *
 * Numerics.  Counts can reach billions, so every product of counts is an
 * exact 128-bit integer (192-bit inside kappa's SE), and each statistic is rearranged so that the only
 * floating-point steps are a division, a square root or a sum of
 * non-negative terms -- never the difference of two nearly equal floats:
 *
 *   kappa  = 2(ad - bc) / D,  D = N^2 (1 - pe) = (a+b)(b+d) + (c+d)(a+c)
 *            (k x k: (N*O - E) / (N^2 - E), O = sum n_ii, E = sum R_i C_i)
 *   MCC    = (ad - bc) / sqrt((a+b)(c+d)) / sqrt((a+c)(b+d))
 *   AC1    = (2N(a+d) - s t) / (2N^2 - s t),  s = 2a + b + c, t = 2N - s
 *   WSS    = (c+d)/N - c/(a+c) = (ad - bc) / (N (a+c))
 *   Wilson = lower x^2 / (n (A + B)), upper (A + B)/(n + z^2),
 *            A = x + z^2/2, B = z sqrt(x(n-x)/n + z^2/4)
 *            (the textbook (A - B)/(n + z^2) times (A + B)/(A + B))
 *   LR log = var(ln LR+) = c/(a(a+c)) + d/(b(b+d))   (= 1/a - 1/(a+c) + 1/b - 1/(b+d))
 *            var(ln LR-) = a/(c(a+c)) + b/(d(b+d))
 *
 * "Undefined" is decided on the integers (D == 0 is pe = 1), never by
 * comparing floats.  (a, b, c, d) = (TP, FP, FN, TN); rows are the AI,
 * columns the humans.
 */
#include "common.h"
#include "metrics_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define Z ((long double)SRA_METRICS_Z)

/*
 * A signed 192-bit integer (two's complement, w[0] least significant): kappa's
 * influence terms H reach 3 N^3 < 2^188 for N <= 2^62.  Only what H needs:
 * a product i128 * i64, a difference, a conversion.
 */
typedef struct { uint64_t w[3]; } i192;

static i192 i192_neg(i192 a)
{
	i192 r;
	u128 t = (u128)(uint64_t)~a.w[0] + 1;

	r.w[0] = (uint64_t)t;
	t = (u128)(uint64_t)~a.w[1] + (uint64_t)(t >> 64);
	r.w[1] = (uint64_t)t;
	r.w[2] = ~a.w[2] + (uint64_t)(t >> 64);
	return r;
}

static i192 i192_mul(i128 a, int64_t b)
{
	int neg = (a < 0) != (b < 0);
	u128 ua = a < 0 ? -(u128)a : (u128)a;
	uint64_t ub = b < 0 ? -(uint64_t)b : (uint64_t)b;
	u128 lo = (u128)(uint64_t)ua * ub;
	u128 hi = (u128)(uint64_t)(ua >> 64) * ub + (uint64_t)(lo >> 64);
	i192 r = { { (uint64_t)lo, (uint64_t)hi, (uint64_t)(hi >> 64) } };

	return neg ? i192_neg(r) : r;
}

static i192 i192_sub(i192 a, i192 b)
{
	i192 r;
	u128 t;

	b = i192_neg(b);
	t = (u128)a.w[0] + b.w[0];
	r.w[0] = (uint64_t)t;
	t = (u128)a.w[1] + b.w[1] + (uint64_t)(t >> 64);
	r.w[1] = (uint64_t)t;
	r.w[2] = a.w[2] + b.w[2] + (uint64_t)(t >> 64);
	return r;
}

static long double i192_to_ld(i192 a)
{
	int neg = (a.w[2] >> 63) != 0;
	long double v;

	if (neg)
		a = i192_neg(a);
	v = ldexpl((long double)a.w[2], 128) + ldexpl((long double)a.w[1], 64) + (long double)a.w[0];
	return neg ? -v : v;
}

static const char *const metric_names[SRA_METRICS_COUNT] = {
	"sensitivity", "specificity", "ppv", "npv", "accuracy", "f1_score", "mcc",
	"cohen_kappa", "pabak", "gwet_ac1", "lr_plus", "lr_minus", "work_saved", "wss",
};

static const size_t metric_offsets[SRA_METRICS_COUNT] = {
	offsetof(sra_metrics, sensitivity), offsetof(sra_metrics, specificity),
	offsetof(sra_metrics, ppv), offsetof(sra_metrics, npv),
	offsetof(sra_metrics, accuracy), offsetof(sra_metrics, f1_score),
	offsetof(sra_metrics, mcc), offsetof(sra_metrics, cohen_kappa),
	offsetof(sra_metrics, pabak), offsetof(sra_metrics, gwet_ac1),
	offsetof(sra_metrics, lr_plus), offsetof(sra_metrics, lr_minus),
	offsetof(sra_metrics, work_saved), offsetof(sra_metrics, wss),
};

static void metric_init(sra_metric *m, const char *ci_method)
{
	m->value = m->ci_low = m->ci_high = m->se = NAN;
	m->value_defined = m->ci_low_defined = m->ci_high_defined = m->se_defined = 0;
	m->ci_method = ci_method;
}

static void set_value(sra_metric *m, long double v)
{
	m->value = (double)v;
	m->value_defined = 1;
}

static void set_ci(sra_metric *m, long double lo, long double hi)
{
	m->ci_low = (double)lo;
	m->ci_high = (double)hi;
	m->ci_low_defined = m->ci_high_defined = 1;
}

/* x / n, undefined when n = 0 */
static void ratio(sra_metric *m, i128 x, i128 n)
{
	if (n != 0)
		set_value(m, (long double)x / (long double)n);
}

/*
 * Proportion x/n with the Wilson score interval (Wilson 1927; the same
 * bounds as statsmodels' proportion_confint(method="wilson")), rearranged
 * so that neither bound subtracts: see the file header.
 */
static void wilson(sra_metric *m, int64_t x, int64_t n)
{
	long double X = (long double)x, N = (long double)n, z2 = Z * Z, a, b;

	metric_init(m, "wilson");
	if (n == 0)
		return;
	set_value(m, X / N);
	a = X + z2 / 2;
	b = Z * sqrtl(X * (long double)(n - x) / N + z2 / 4);
	set_ci(m, X * X / (N * (a + b)), (a + b) / (N + z2));
}

/*
 * Cohen's kappa of a k x k table (row-major `cell`, n = N; undefined when
 * N = 0 or pe = 1) with the large-sample standard error of
 *
 *   J. L. Fleiss, J. Cohen, B. S. Everitt (1969), "Large sample standard
 *   errors of kappa and weighted kappa", Psychological Bulletin 72(5),
 *   323-327 (the variance when kappa is not 0):
 *
 *   var(kappa) = [ sum_i p_ii ((1-pe) - (p_i. + p_.i)(1-po))^2
 *                + (1-po)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2
 *                - (po pe - 2pe + po)^2 ] / (N (1-pe)^4)
 *
 * (also in Fleiss, Levin & Paik 2003, Statistical Methods for Rates and
 * Proportions, 3rd ed., ch. 18, and statsmodels 0.13.5's
 * cohens_kappa().std_kappa, which gives the spec's 0.050822 for 40/60/10/890
 * as this code does).  Evaluated as written, the three terms cancel: at
 * N = 3e9 the variance is ~1e-10 of terms ~1, and when one rater is
 * constant it is exactly 0 yet can come out as a small negative number (a
 * NaN SE).  It is the delta-method variance of
 * kappa, sum_ij p_ij (g_ij - gbar)^2 / (N (1-pe)^4), whose influence terms
 * are g_ij = delta_ij (1-pe) - (p_.i + p_j.)(1-po) and gbar = sum p_ij g_ij
 * = po pe - 2pe + po (expanding the square gives the formula above).  With
 * everything over N^3, g_ij - gbar = H_ij / N^3 where
 *
 *   H_ij = (delta_ij N - O) D - (N - O) ((C_i + R_j) N - 2E),
 *
 * O = sum n_ii, E = sum R_k C_k, D = N^2 - E, R_i row and C_j column totals,
 * and the variance becomes
 *
 *   var(kappa) = sum_ij n_ij H_ij^2 / D^4:
 *
 * an exact integer H (|H| < 3N^3 < 2^188: 192-bit), then a sum of
 * non-negative terms.  It is exactly 0 when every observed H is 0 (a
 * constant rater with pe < 1, perfect agreement).
 */
static void kappa_fce(sra_metric *m, size_t k, const int64_t *cell, int64_t n)
{
	int64_t rows[3] = { 0 }, cols[3] = { 0 }, o = 0;
	i128 e = 0, d, nn = n;
	long double s = 0, se, kappa, den;
	size_t i, j;

	metric_init(m, "fleiss-cohen-everitt");
	if (n == 0)
		return;
	for (i = 0; i < k; i++) {
		for (j = 0; j < k; j++) {
			rows[i] += cell[i * k + j];
			cols[j] += cell[i * k + j];
		}
		o += cell[i * k + i];
	}
	for (i = 0; i < k; i++)
		e += (i128)rows[i] * cols[i];
	d = nn * nn - e;	/* N^2 (1 - pe) >= 0 */
	if (d == 0)		/* pe = 1: both raters put everything in one category */
		return;
	kappa = (long double)(nn * o - e) / (long double)d;

	for (i = 0; i < k; i++) {
		for (j = 0; j < k; j++) {
			int64_t nij = cell[i * k + j];
			long double h;

			if (nij == 0)
				continue;
			/* (delta_ij N - O) D - (N - O)((C_i + R_j) N - 2E) */
			h = i192_to_ld(i192_sub(
				i192_mul(d, (i == j ? n : 0) - o),
				i192_mul(((i128)cols[i] + rows[j]) * nn - 2 * e, n - o)));
			s += (long double)nij * h * h;
		}
	}
	den = (long double)d * (long double)d;
	se = sqrtl(s) / den;
	set_value(m, kappa);
	m->se = (double)se;
	m->se_defined = 1;
	/* never clipped to [-1, 1] */
	set_ci(m, kappa - Z * se, kappa + Z * se);
}

/* a count table is valid when no cell is negative and N <= SRA_METRICS_MAX_N */
static int check_counts(int64_t *n_out, const int64_t *cell, size_t ncell)
{
	i128 n = 0;
	size_t i;

	for (i = 0; i < ncell; i++) {
		if (cell[i] < 0)
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
					     "negative count %" PRId64, cell[i]);
		n += cell[i];
	}
	if (n > SRA_METRICS_MAX_N)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				     "the counts add up to more than 2^62");
	*n_out = (int64_t)n;
	return 0;
}

int sra_metrics_compute(sra_metrics *out, const sra_confusion *c)
{
	sra_metrics m;
	int64_t a, b, cc, d, n = 0, cell[4];
	i128 x;
	int error;

	SRA_ASSERT_ARG(out && c);
	a = c->tp, b = c->fp, cc = c->fn, d = c->tn;
	cell[0] = a, cell[1] = b, cell[2] = cc, cell[3] = d;
	if ((error = check_counts(&n, cell, 4)) < 0)
		return error;

	memset(&m, 0, sizeof(m));
	m.counts = *c;
	m.n = n;
	x = (i128)a * d - (i128)b * cc;	/* ad - bc */

	wilson(&m.sensitivity, a, a + cc);
	wilson(&m.specificity, d, b + d);
	wilson(&m.ppv, a, a + b);
	wilson(&m.npv, d, cc + d);
	wilson(&m.accuracy, a + d, n);

	/* F1 = 0 when TP = 0 and FP + FN > 0: the formula is defined */
	metric_init(&m.f1_score, NULL);
	ratio(&m.f1_score, 2 * (i128)a, 2 * (i128)a + b + cc);

	metric_init(&m.mcc, NULL);
	if (a + b > 0 && cc + d > 0 && a + cc > 0 && b + d > 0)
		set_value(&m.mcc, (long double)x
			  / sqrtl((long double)((i128)(a + b) * (cc + d)))
			  / sqrtl((long double)((i128)(a + cc) * (b + d))));

	kappa_fce(&m.cohen_kappa, 2, cell, n);

	metric_init(&m.pabak, NULL);
	ratio(&m.pabak, (i128)(a + d) - (b + cc), n);

	/*
	 * Gwet's AC1 (K. L. Gwet 2008, Br J Math Stat Psychol 61, 29-48), two
	 * raters, two categories: pe = 2 pi (1 - pi) with pi = s / 2N the mean
	 * share of includes; 1 - pe >= 1/2, so it is defined whenever N > 0.
	 */
	metric_init(&m.gwet_ac1, NULL);
	if (n > 0) {
		i128 s = (i128)2 * a + b + cc, t = 2 * (i128)n - s;
		i128 nn = n;

		ratio(&m.gwet_ac1, 2 * nn * (a + d) - s * t, 2 * nn * nn - s * t);
	}

	/*
	 * Likelihood ratios with the log-method interval (D. L. Simel, G. P.
	 * Samsa, D. B. Matchar 1991, J Clin Epidemiol 44, 763-770):
	 * exp(ln LR +- z se), written LR * exp(+-z se).
	 */
	metric_init(&m.lr_plus, "log");
	if (a + cc > 0 && b + d > 0 && b > 0) {
		long double lr = ((long double)a / (long double)(a + cc))
			* ((long double)(b + d) / (long double)b);

		set_value(&m.lr_plus, lr);
		if (a > 0) {
			long double se = sqrtl((long double)cc / ((long double)a * (a + cc))
					       + (long double)d / ((long double)b * (b + d)));

			set_ci(&m.lr_plus, lr * expl(-Z * se), lr * expl(Z * se));
		}
	}
	metric_init(&m.lr_minus, "log");
	if (a + cc > 0 && b + d > 0 && d > 0) {
		long double lr = ((long double)cc / (long double)(a + cc))
			* ((long double)(b + d) / (long double)d);

		set_value(&m.lr_minus, lr);
		if (cc > 0) {
			long double se = sqrtl((long double)a / ((long double)cc * (a + cc))
					       + (long double)b / ((long double)d * (b + d)));

			set_ci(&m.lr_minus, lr * expl(-Z * se), lr * expl(Z * se));
		}
	}

	metric_init(&m.work_saved, NULL);
	ratio(&m.work_saved, (i128)cc + d, n);
	/* WSS at the achieved recall: (TN+FN)/N - (1 - sensitivity) */
	metric_init(&m.wss, NULL);
	if (a + cc > 0)
		set_value(&m.wss, (long double)x / ((long double)n * (long double)(a + cc)));

	*out = m;
	return 0;
}

const sra_metric *sra_metrics_get(const sra_metrics *m, size_t i, const char **name)
{
	if (!m || i >= SRA_METRICS_COUNT)
		return NULL;
	if (name)
		*name = metric_names[i];
	return (const sra_metric *)((const char *)m + metric_offsets[i]);
}

int sra_metrics__agreement(sra_metric *kappa, sra_metric *pabak, double *po,
			   const sra_agreement_table *t)
{
	const int64_t *cell;
	int64_t n = 0, o;
	sra_metric k, p;
	int error;

	SRA_ASSERT_ARG(t);
	cell = &t->n[0][0];
	if ((error = check_counts(&n, cell, 9)) < 0)
		return error;
	o = t->n[0][0] + t->n[1][1] + t->n[2][2];
	kappa_fce(&k, 3, cell, n);
	metric_init(&p, NULL);
	ratio(&p, 3 * (i128)o - n, 2 * (i128)n);	/* (3po - 1)/2 */
	if (kappa)
		*kappa = k;
	if (pabak)
		*pabak = p;
	if (po)
		*po = n ? (double)((long double)o / (long double)n) : NAN;
	return 0;
}

int sra_metrics_agreement(double *kappa, int *kappa_defined, double *pabak,
			  const sra_agreement_table *t)
{
	sra_metric k, p;
	int error;

	if ((error = sra_metrics__agreement(&k, &p, NULL, t)) < 0)
		return error;
	if (kappa)
		*kappa = k.value;
	if (kappa_defined)
		*kappa_defined = k.value_defined;
	if (pabak)
		*pabak = p.value;
	return 0;
}

/* ---- JSON ---- */

static json_t *num(double v, int defined)
{
	return defined && isfinite(v) ? json_real(v) : json_null();
}

json_t *sra_metrics__metric_json(const sra_metric *m)
{
	json_t *o = json_object();
	int ok;

	if (!o)
		return NULL;
	ok = json_object_set_new(o, "value", num(m->value, m->value_defined)) == 0;
	if (m->ci_method) {
		if (m->se_defined || strcmp(m->ci_method, "fleiss-cohen-everitt") == 0)
			ok = ok && json_object_set_new(o, "se", num(m->se, m->se_defined)) == 0;
		ok = ok && json_object_set_new(o, "ci_low", num(m->ci_low, m->ci_low_defined)) == 0
			&& json_object_set_new(o, "ci_high", num(m->ci_high, m->ci_high_defined)) == 0
			&& json_object_set_new(o, "ci_method", json_string(m->ci_method)) == 0;
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *sra_metrics__json(const sra_metrics *m)
{
	json_t *root, *counts, *metrics;
	const sra_metric *mm;
	const char *name;
	size_t i;
	int ok;

	if (!(root = json_object()))
		return NULL;
	/* attach the containers first: a failure then only needs root freed */
	ok = json_object_set_new(root, "counts", counts = json_object()) == 0
		&& json_object_set_new(root, "metrics", metrics = json_object()) == 0
		&& json_object_set_new(counts, "tp", json_integer(m->counts.tp)) == 0
		&& json_object_set_new(counts, "fp", json_integer(m->counts.fp)) == 0
		&& json_object_set_new(counts, "fn", json_integer(m->counts.fn)) == 0
		&& json_object_set_new(counts, "tn", json_integer(m->counts.tn)) == 0
		&& json_object_set_new(counts, "n", json_integer(m->n)) == 0;
	for (i = 0; ok && (mm = sra_metrics_get(m, i, &name)) != NULL; i++)
		ok = json_object_set_new(metrics, name, sra_metrics__metric_json(mm)) == 0;
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int sra_metrics_to_json(char **out, const sra_metrics *m)
{
	json_t *j;
	char *s;

	SRA_ASSERT_ARG(out && m);
	if (!(j = sra_metrics__json(m)))
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "out of memory building the metrics JSON");
	/* jansson keeps insertion order and prints reals with %.17g */
	s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	json_decref(j);
	if (!s)
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "out of memory printing the metrics JSON");
	*out = s;
	return 0;
}

json_t *sra_metrics__agreement_json(const sra_agreement_table *t)
{
	static const char *const cats[3] = { "include", "exclude", "uncertain" };
	sra_metric kappa, pabak;
	json_t *o, *categories, *table;
	int64_t n = 0;
	double po;
	int i, j, ok;

	if (sra_metrics__agreement(&kappa, &pabak, &po, t) < 0)
		return NULL;
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			n += t->n[i][j];
	if (!(o = json_object()))
		goto oom;
	/* containers are attached first: a failure then only needs o freed */
	ok = json_object_set_new(o, "categories", categories = json_array()) == 0
		&& json_object_set_new(o, "table", table = json_array()) == 0;
	for (i = 0; ok && i < 3; i++) {
		json_t *r;

		ok = json_array_append_new(categories, json_string(cats[i])) == 0
			&& json_array_append_new(table, r = json_array()) == 0;
		for (j = 0; ok && j < 3; j++)
			ok = json_array_append_new(r, json_integer(t->n[i][j])) == 0;
	}
	ok = ok && json_object_set_new(o, "n", json_integer(n)) == 0
		&& json_object_set_new(o, "observed_agreement", num(po, n > 0)) == 0
		&& json_object_set_new(o, "cohen_kappa", sra_metrics__metric_json(&kappa)) == 0
		&& json_object_set_new(o, "pabak", sra_metrics__metric_json(&pabak)) == 0;
	if (ok)
		return o;
	json_decref(o);
oom:
	sra_error_set(SRA_ERROR_OS, SRA_ERROR, "out of memory building the agreement JSON");
	return NULL;
}

/* ---- text ---- */

/* a figure for people: 6 decimals, or 6 significant digits when that would
 * hide it (below 1e-4, as a tiny LR- or SE) or be long (1000 and up) */
const char *sra_metrics__fmt_num(char *buf, size_t size, double v, int defined)
{
	if (!defined || !isfinite(v))
		snprintf(buf, size, "n/a");
	else if (v == 0 || (fabs(v) >= 1e-4 && fabs(v) < 1000))
		snprintf(buf, size, "%.6f", v);
	else
		snprintf(buf, size, "%.6g", v);
	return buf;
}

int sra_metrics_format_text(char **out, const sra_metrics *m)
{
	sra_buf b = SRA_BUF_INIT;
	const sra_metric *mm;
	const char *name;
	char v[32], lo[32], hi[32], ci[80], method[64], se[32];
	size_t i;

	SRA_ASSERT_ARG(out && m);
	sra_buf_printf(&b, "2x2 table (positive = include, reference = human decision)\n");
	sra_buf_printf(&b, "               %-24s %s\n", "human include", "human exclude");
	sra_buf_printf(&b, "  AI include   TP %-21" PRId64 " FP %" PRId64 "\n", m->counts.tp, m->counts.fp);
	sra_buf_printf(&b, "  AI exclude   FN %-21" PRId64 " TN %" PRId64 "\n", m->counts.fn, m->counts.tn);
	sra_buf_printf(&b, "  N %" PRId64 "\n\n", m->n);
	sra_buf_printf(&b, "%-12s %11s  %-26s  %s\n", "metric", "value", "95% CI", "method");
	for (i = 0; (mm = sra_metrics_get(m, i, &name)) != NULL; i++) {
		sra_metrics__fmt_num(v, sizeof(v), mm->value, mm->value_defined);
		ci[0] = method[0] = '\0';
		if (mm->ci_method) {
			if (mm->ci_low_defined && mm->ci_high_defined)
				snprintf(ci, sizeof(ci), "[%s, %s]",
					 sra_metrics__fmt_num(lo, sizeof(lo), mm->ci_low, 1),
					 sra_metrics__fmt_num(hi, sizeof(hi), mm->ci_high, 1));
			else
				snprintf(ci, sizeof(ci), "n/a");
			if (strcmp(mm->ci_method, "wilson") == 0)
				snprintf(method, sizeof(method), "Wilson");
			else if (strcmp(mm->ci_method, "log") == 0)
				snprintf(method, sizeof(method), "log");
			else
				snprintf(method, sizeof(method), "FCE, SE %s",
					 sra_metrics__fmt_num(se, sizeof(se), mm->se, mm->se_defined));
		}
		sra_buf_printf(&b, "%-12s %11s  %-26s  %s", name, v, ci, method);
		/* no trailing blanks on lines without an interval */
		while (b.size && b.ptr[b.size - 1] == ' ')
			sra_buf_truncate(&b, b.size - 1);
		sra_buf_putc(&b, '\n');
	}
	sra_buf_printf(&b, "\nWilson: Wilson score interval.  FCE: kappa +- z*SE, SE of Fleiss, Cohen &\n"
		       "Everitt (1969).  log: likelihood ratio, log method.  z = %.15g.\n",
		       SRA_METRICS_Z);
	*out = sra_buf_detach(&b);
	return 0;
}
