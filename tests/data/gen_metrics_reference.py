#!/usr/bin/env python3
"""Reference values for tests/unit/test_metrics.c, computed independently of libsra.

    tests/data/gen_metrics_reference.py > tests/data/metrics_reference.tsv
    tests/data/gen_metrics_reference.py --agreement     # the 3x3 cases of the test
    /usr/bin/python3 tests/data/gen_metrics_reference.py --check-libs
                                        # compare with scikit-learn and statsmodels

Every value is computed with exact rational arithmetic (fractions.Fraction)
from the textbook formula, and square roots, logarithms and exponentials with
decimal at 60 digits, then rounded once to the nearest double.  Nothing here
shares code or algebra with src/lib/metrics.c: the C code uses rearranged,
cancellation-free integer forms (kappa = 2(ad - bc)/D, the FCE variance as a
sum of squared influence terms, Wilson's lower bound as x^2/(n(A+B))); this
script uses the formulas as published, which exact arithmetic makes safe.

Only the standard library is needed.  --check-libs additionally needs
scikit-learn and statsmodels (Debian: python3-sklearn python3-statsmodels,
the versions the spec quotes: 1.2.1 and 0.13.5) and reports, per metric, the
largest relative difference between them and the exact values.

Output: one row per 2x2 table, tab-separated, `NA` for an undefined value;
the columns are tp fp fn tn, then for each metric <name>, and where it has
them <name>_ci_low, <name>_ci_high and (cohen_kappa) <name>_se.
"""

import random
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60
Z = Decimal("1.959963984540054")  # the spec's z for 95 %

# (tp, fp, fn, tn)
TABLES = [
    # the spec: benchmark.md and original-sra.md section 4
    (40, 60, 10, 890),
    (39, 122, 3, 6023),
    (8, 2, 3, 7),
    (20, 1, 200, 364),          # the workbook run
    (10, 0, 0, 0),              # kappa NULL (p_e = 1), MCC NULL
    (0, 0, 5, 5),               # TP = FP = 0: ppv NULL, MCC NULL
    # degenerate tables
    (0, 0, 0, 0),
    (1, 0, 0, 0),
    (0, 1, 0, 0),
    (0, 0, 1, 0),
    (0, 0, 0, 1),
    (0, 0, 0, 10),
    (5, 0, 0, 5),               # perfect agreement
    (0, 5, 5, 0),               # complete disagreement
    (5, 5, 0, 0),               # the AI includes everything
    (0, 0, 3, 7),               # the AI excludes everything: kappa 0, SE 0
    (6, 0, 4, 0),               # the humans include everything: spec NULL
    (0, 6, 0, 4),               # the humans exclude everything: sens NULL
    (0, 3, 4, 10),              # TP = 0: F1 = 0, LR+ = 0 without CI
    (7, 3, 0, 10),              # FN = 0: LR- = 0 without CI
    (7, 0, 3, 10),              # FP = 0: LR+ NULL
    (7, 3, 4, 0),               # TN = 0: LR- NULL, npv 0
    (1, 1, 1, 1),               # ad = bc: kappa, MCC, wss 0
    (2, 1, 1, 2),
    (50, 50, 50, 50),
    (1, 2, 3, 4),
    (0, 7, 3, 0),
    (2, 1, 0, 1),               # kappa's CI above 1 (never clipped)
    (1, 1, 1, 0),               # kappa's CI below -1
    # huge counts (products overflow 64 bits, float formulas cancel)
    (3000000000, 1, 2, 3000000000),
    (3000000000, 2000000000, 1000000000, 3500000000),
    (1, 1, 1, 3000000000),
    (2, 1, 1, 3000000000),
    (1000000000, 999999999, 1000000001, 1000000000),   # ad - bc = 1
    (3000000000, 0, 0, 3000000000),
    (0, 0, 3000000000, 3000000000),
    (3000000000, 0, 0, 0),
    (123456789012, 98765432109, 1234567890, 999999999999),  # N > 2^40
    (100000000000000000, 3, 7, 200000000000000000),        # N ~ 3e17
    (4000000000000000000, 300000000000000000, 5, 7),       # N near 2^62, the largest accepted
    (1, 2, 3, 4000000000000000000),
]


def _random_tables():
    rng = random.Random(20240229)
    out = []
    for hi in (10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000):
        out.append(tuple(rng.randint(0, hi) for _ in range(4)))
    # screening-shaped: few positives, many negatives
    for _ in range(4):
        pos = rng.randint(1, 500)
        neg = rng.randint(1000, 50000)
        tp = rng.randint(0, pos)
        fp = rng.randint(0, neg // 5)
        out.append((tp, fp, pos - tp, neg - fp))
    return out


TABLES += _random_tables()

# metric name -> which extra columns it has
METRICS = [
    ("sensitivity", "ci"), ("specificity", "ci"), ("ppv", "ci"), ("npv", "ci"),
    ("accuracy", "ci"), ("f1_score", ""), ("mcc", ""), ("cohen_kappa", "ci,se"),
    ("pabak", ""), ("gwet_ac1", ""), ("lr_plus", "ci"), ("lr_minus", "ci"),
    ("work_saved", ""), ("wss", ""),
]


def dec(fr):
    """Fraction -> Decimal at the working precision."""
    return Decimal(fr.numerator) / Decimal(fr.denominator)


def sqrt(fr):
    return dec(fr).sqrt()


def wilson(x, n):
    """Wilson score interval, as statsmodels.stats.proportion.proportion_confint(method='wilson')."""
    if n == 0:
        return None, None
    p = dec(Fraction(x, n))
    nn = Decimal(n)
    crit2 = Z * Z
    denom = 1 + crit2 / nn
    center = (p + crit2 / (2 * nn)) / denom
    dist = Z * (p * (1 - p) / nn + crit2 / (4 * nn * nn)).sqrt() / denom
    lo, hi = center - dist, center + dist
    # exactly 0 and 1 at the ends (decimal's last digit would say 1e-60)
    if x == 0:
        lo = Decimal(0)
    if x == n:
        hi = Decimal(1)
    return lo, hi


def kappa_fce(t):
    """Cohen's kappa and the large-sample variance of Fleiss, Cohen & Everitt (1969),
    Psychol Bull 72:323-327, for a k x k table t[i][j], in exact arithmetic:
    var = [sum_i p_ii((1-pe) - (p_i.+p_.i)(1-po))^2
           + (1-po)^2 sum_{i!=j} p_ij (p_.i+p_j.)^2 - (po pe - 2pe + po)^2] / (N (1-pe)^4)"""
    k = len(t)
    n = sum(sum(r) for r in t)
    if n == 0:
        return None, None
    p = [[Fraction(t[i][j], n) for j in range(k)] for i in range(k)]
    row = [sum(p[i]) for i in range(k)]                        # p_i.
    col = [sum(p[i][j] for i in range(k)) for j in range(k)]   # p_.j
    po = sum(p[i][i] for i in range(k))
    pe = sum(row[i] * col[i] for i in range(k))
    if pe == 1:
        return None, None
    kappa = (po - pe) / (1 - pe)
    a = sum(p[i][i] * ((1 - pe) - (row[i] + col[i]) * (1 - po)) ** 2 for i in range(k))
    b = (1 - po) ** 2 * sum(p[i][j] * (col[i] + row[j]) ** 2
                            for i in range(k) for j in range(k) if i != j)
    c = (po * pe - 2 * pe + po) ** 2
    var = (a + b - c) / (n * (1 - pe) ** 4)
    assert var >= 0
    return kappa, var


def metrics(tp, fp, fn, tn):
    a, b, c, d = tp, fp, fn, tn
    n = a + b + c + d
    F = Fraction
    r = {}

    def frac(num, den):
        return F(num, den) if den else None

    sens = frac(a, a + c)
    spec = frac(d, b + d)
    r["sensitivity"] = (sens, *wilson(a, a + c))
    r["specificity"] = (spec, *wilson(d, b + d))
    r["ppv"] = (frac(a, a + b), *wilson(a, a + b))
    r["npv"] = (frac(d, c + d), *wilson(d, c + d))
    r["accuracy"] = (frac(a + d, n), *wilson(a + d, n))
    r["f1_score"] = (frac(2 * a, 2 * a + b + c),)
    prod = (a + b) * (a + c) * (d + b) * (d + c)
    r["mcc"] = ((dec(F(a * d - b * c)) / sqrt(F(prod))) if prod else None,)

    kappa, var = kappa_fce([[a, b], [c, d]])
    if kappa is None:
        r["cohen_kappa"] = (None, None, None, None)
    else:
        se = sqrt(var)
        r["cohen_kappa"] = (kappa, dec(kappa) - Z * se, dec(kappa) + Z * se, se)

    po = frac(a + d, n)
    r["pabak"] = (2 * po - 1 if n else None,)
    if n:
        # Gwet (2008), Br J Math Stat Psychol 61:29-48: two raters, two categories
        pi = F((a + b) + (a + c), 2 * n)
        pe = 2 * pi * (1 - pi)
        r["gwet_ac1"] = ((po - pe) / (1 - pe),)
    else:
        r["gwet_ac1"] = (None,)

    # likelihood ratios, log method (Simel, Samsa & Matchar 1991, J Clin Epidemiol 44:763-770)
    lrp = lrp_lo = lrp_hi = None
    if sens is not None and spec is not None and b > 0:
        lrp = sens / (1 - spec)
        if a > 0:
            se = sqrt(F(1, a) - F(1, a + c) + F(1, b) - F(1, b + d))
            ln = dec(lrp).ln()
            lrp_lo, lrp_hi = (ln - Z * se).exp(), (ln + Z * se).exp()
    r["lr_plus"] = (lrp, lrp_lo, lrp_hi)
    lrm = lrm_lo = lrm_hi = None
    if sens is not None and spec is not None and d > 0:
        lrm = (1 - sens) / spec
        if c > 0:
            se = sqrt(F(1, c) - F(1, a + c) + F(1, d) - F(1, b + d))
            ln = dec(lrm).ln()
            lrm_lo, lrm_hi = (ln - Z * se).exp(), (ln + Z * se).exp()
    r["lr_minus"] = (lrm, lrm_lo, lrm_hi)

    ws = frac(d + c, n)
    r["work_saved"] = (ws,)
    r["wss"] = (ws - (1 - sens) if sens is not None else None,)
    return r


def fmt(v):
    if v is None:
        return "NA"
    if isinstance(v, Fraction):
        x = float(v)                    # correctly rounded
    else:
        x = float(v)                    # Decimal -> nearest double
    return repr(x)


def header():
    cols = ["tp", "fp", "fn", "tn"]
    for name, extra in METRICS:
        cols.append(name)
        if "ci" in extra:
            cols += [name + "_ci_low", name + "_ci_high"]
        if "se" in extra:
            cols.append(name + "_se")
    return cols


def row(t):
    r = metrics(*t)
    out = [str(x) for x in t]
    for name, extra in METRICS:
        vals = r[name]
        out.append(fmt(vals[0]))
        if "ci" in extra:
            out += [fmt(vals[1]), fmt(vals[2])]
        if "se" in extra:
            out.append(fmt(vals[3]))
    return out


# 3x3 agreement tables (rows: rater A, columns: rater B; include, exclude, uncertain)
AGREEMENT = [
    [[10, 2, 1], [3, 50, 4], [0, 5, 6]],
    [[5, 0, 0], [0, 5, 0], [0, 0, 5]],
    [[0, 0, 0], [0, 9, 0], [0, 0, 0]],     # both constant: kappa NULL
    [[0, 0, 0], [0, 0, 0], [0, 0, 0]],     # empty
    [[0, 4, 0], [0, 7, 0], [0, 3, 0]],     # rater B constant: kappa 0
    [[0, 5, 5], [5, 0, 5], [5, 5, 0]],
    [[3000000000, 1, 2], [3, 2000000000, 4], [5, 6, 1000000000]],
]


def agreement():
    for t in AGREEMENT:
        n = sum(map(sum, t))
        kappa, var = kappa_fce(t)
        po = Fraction(sum(t[i][i] for i in range(3)), n) if n else None
        pabak = (3 * po - 1) / 2 if n else None
        se = sqrt(var) if kappa is not None else None
        print("%s\tkappa=%s\tse=%s\tpabak=%s" % (t, fmt(kappa), fmt(se), fmt(pabak)))


def check_libs():
    import warnings
    import numpy as np
    from sklearn import metrics as skm
    from statsmodels.stats.inter_rater import cohens_kappa
    from statsmodels.stats.proportion import proportion_confint

    warnings.simplefilter("ignore")
    worst = {}

    def cmp(key, lib, exact, t):
        if exact is None or lib is None or not np.isfinite(lib):
            return
        e = float(exact)
        rel = abs(lib - e) / abs(e) if e else abs(lib)
        if rel > worst.get(key, (0, None))[0]:
            worst[key] = (rel, t)

    for t in TABLES:
        a, b, c, d = t
        if a + b + c + d == 0:
            continue
        r = metrics(*t)
        y_true = np.array([1, 0, 1, 0])
        y_pred = np.array([1, 1, 0, 0])
        w = np.array([a, b, c, d], dtype=float)
        keep = w > 0
        yt, yp, w = y_true[keep], y_pred[keep], w[keep]
        kw = dict(sample_weight=w, zero_division=0)
        cmp("sensitivity", skm.recall_score(yt, yp, **kw), r["sensitivity"][0], t)
        cmp("ppv", skm.precision_score(yt, yp, **kw), r["ppv"][0], t)
        cmp("f1_score", skm.f1_score(yt, yp, **kw), r["f1_score"][0], t)
        cmp("accuracy", skm.accuracy_score(yt, yp, sample_weight=w), r["accuracy"][0], t)
        cmp("mcc", skm.matthews_corrcoef(yt, yp, sample_weight=w), r["mcc"][0], t)
        cmp("cohen_kappa", skm.cohen_kappa_score(yt, yp, sample_weight=w), r["cohen_kappa"][0], t)
        for name, x, nn in (("sensitivity", a, a + c), ("specificity", d, b + d),
                            ("ppv", a, a + b), ("npv", d, c + d), ("accuracy", a + d, a + b + c + d)):
            if nn:
                lo, hi = proportion_confint(x, nn, alpha=0.05, method="wilson")
                cmp(name + "_ci_low", lo, r[name][1], t)
                cmp(name + "_ci_high", hi, r[name][2], t)
        if r["cohen_kappa"][0] is not None:
            res = cohens_kappa(np.array([[a, b], [c, d]], dtype=float))
            cmp("cohen_kappa(statsmodels)", res.kappa, r["cohen_kappa"][0], t)
            cmp("cohen_kappa_se", res.std_kappa, r["cohen_kappa"][3], t)
            cmp("cohen_kappa_ci_low", res.kappa_low, r["cohen_kappa"][1], t)
            cmp("cohen_kappa_ci_high", res.kappa_upp, r["cohen_kappa"][2], t)
    for t in AGREEMENT:
        n = sum(map(sum, t))
        kappa, var = kappa_fce(t)
        if kappa is None:
            continue
        res = cohens_kappa(np.array(t, dtype=float))
        cmp("agreement_kappa", res.kappa, kappa, t)
        cmp("agreement_kappa_se", res.std_kappa, sqrt(var), t)
    for key in sorted(worst):
        rel, t = worst[key]
        flag = "  <-- above 1e-6" if rel > 1e-6 else ""
        print("%-26s max rel diff %.3g at %s%s" % (key, rel, t, flag))


def main(argv):
    if "--check-libs" in argv:
        check_libs()
        return 0
    if "--agreement" in argv:
        agreement()
        return 0
    print("# generated by tests/data/gen_metrics_reference.py (exact arithmetic); do not edit")
    print("\t".join(header()))
    for t in TABLES:
        print("\t".join(row(t)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
