"""Reference values for Keel's gate significance tests (tests/Keel.Compute.Tests/Gates).

Independent of the C# code paths it checks:
  * McNemar: exact p = min(1, 2 * binom.cdf(min(b, c), b + c, 0.5)) (what statsmodels'
    mcnemar(exact=True) computes; statsmodels is not installed here), cross-checked against
    scipy.stats.binomtest; chi-square = (|b - c| - 1)^2 / (b + c) with chi2.sf(stat, 1).
  * DeLong: the structural-components form of DeLong, DeLong & Clarke-Pearson (1988), O(m n),
    written from the paper (psi kernel, V10, V01, S10, S01), not Sun & Xu's fast midrank form that
    Keel implements; AUCs checked against sklearn.metrics.roc_auc_score.
  * Paired bootstrap: the same SplitMix64 generator and multiply-shift row draw as Keel (so the
    resamples are identical), with every metric computed by scikit-learn / numpy on the drawn rows.

Run with Debian's python (numpy/scipy/sklearn):  /usr/bin/python3 make_reference.py
"""
import json
import math
import os

import numpy as np
from scipy import stats
from sklearn import metrics as skm

MASK = (1 << 64) - 1


# ---------------------------------------------------------------- McNemar
def mcnemar_case(b, c):
    n = b + c
    k = min(b, c)
    exact = 1.0 if n == 0 else min(1.0, 2 * stats.binom.cdf(k, n, 0.5))
    if n > 0:
        bt = stats.binomtest(k, n, 0.5, alternative="two-sided").pvalue
        assert math.isclose(exact, bt, rel_tol=1e-9), (b, c, exact, bt)
    chi2 = 0.0 if n == 0 else (abs(b - c) - 1) ** 2 / n
    chi2_p = 1.0 if n == 0 else stats.chi2.sf(chi2, 1)
    return {"b": b, "c": c, "exact_p": float(exact), "exact_statistic": k,
            "chi2_statistic": float(chi2), "chi2_p": float(chi2_p),
            "auto_method": "exact" if n < 25 else "chi2"}


MCNEMAR = [(10, 2), (2, 10), (0, 0), (5, 5), (1, 0), (0, 7), (3, 17), (12, 12), (24, 0), (13, 12),
           (30, 12), (100, 80), (60, 40), (1000, 1100), (7, 1), (250, 180), (2000, 1500)]


# ---------------------------------------------------------------- DeLong (slow, from the paper)
def psi(x, y):
    return 1.0 if y < x else (0.5 if y == x else 0.0)


def delong_slow(labels, s0, s1):
    labels = np.asarray(labels, dtype=bool)
    out = []
    comps = []
    for s in (s0, s1):
        s = np.asarray(s, dtype=float)
        X = s[labels]
        Y = s[~labels]
        m, n = len(X), len(Y)
        P = np.array([[psi(x, y) for y in Y] for x in X])  # m x n
        theta = P.sum() / (m * n)
        v10 = P.mean(axis=1)  # V10(X_i) = 1/n sum_j psi
        v01 = P.mean(axis=0)  # V01(Y_j) = 1/m sum_i psi
        comps.append((theta, v10, v01))
        out.append(theta)
    m = int(labels.sum())
    n = len(labels) - m

    def cov(a, b, th_a, th_b, d):
        return float(np.sum((a - th_a) * (b - th_b)) / (d - 1))

    S10 = [[cov(comps[r][1], comps[q][1], comps[r][0], comps[q][0], m) for q in (0, 1)] for r in (0, 1)]
    S01 = [[cov(comps[r][2], comps[q][2], comps[r][0], comps[q][0], n) for q in (0, 1)] for r in (0, 1)]
    S = [[S10[r][q] / m + S01[r][q] / n for q in (0, 1)] for r in (0, 1)]
    diff = out[1] - out[0]
    var = S[0][0] + S[1][1] - 2 * S[0][1]
    se = math.sqrt(max(0.0, var))
    if se == 0:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0 else 0.0
    else:
        z = diff / se
        p = 2 * stats.norm.sf(abs(z))
    for th, s in zip(out, (s0, s1)):
        assert math.isclose(th, skm.roc_auc_score(labels, s), rel_tol=1e-12, abs_tol=1e-15)
    return {"champion_auc": out[0], "challenger_auc": out[1], "difference": diff,
            "champion_variance": S[0][0], "challenger_variance": S[1][1], "covariance": S[0][1],
            "standard_error": se, "z": None if math.isinf(z) else z, "p_value": float(p)}


def delong_cases(rng):
    cases = []

    def add(name, labels, s0, s1):
        labels = [bool(v) for v in labels]
        s0 = [float(v) for v in s0]
        s1 = [float(v) for v in s1]
        cases.append({"name": name, "labels": labels, "champion": s0, "challenger": s1,
                      **delong_slow(labels, s0, s1)})

    # Hand-checkable: 2 positives, 2 negatives.
    add("tiny", [1, 1, 0, 0], [0.9, 0.4, 0.5, 0.1], [0.8, 0.7, 0.3, 0.2])
    for name, n, shift0, shift1, rounding in [("continuous_200", 200, 0.6, 1.2, None),
                                               ("ties_300", 300, 0.8, 1.0, 1),
                                               ("heavy_ties_150", 150, 0.5, 0.7, 0),
                                               ("close_500", 500, 1.0, 1.05, None),
                                               ("unbalanced_400", 400, 0.9, 1.4, 2)]:
        y = rng.random(n) < (0.15 if name.startswith("unbalanced") else 0.45)
        base = rng.normal(size=n)
        s0 = base + shift0 * y + 0.8 * rng.normal(size=n)
        s1 = base + shift1 * y + 0.8 * rng.normal(size=n)
        if rounding is not None:
            s0, s1 = np.round(s0, rounding), np.round(s1, rounding)
        add(name, y, s0, s1)
    y = rng.random(60) < 0.5
    y[:2] = [True, False]
    s = rng.random(60)
    add("perfect_vs_random", y, s, y.astype(float) * 0.5 + 0.25)
    return cases


# ---------------------------------------------------------------- paired bootstrap
class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def index(self, n):
        return (self.next() * n) >> 64


def metric_fn(metric, y, pred):
    if metric == "rmse":
        return lambda r: math.sqrt(skm.mean_squared_error(y[r], pred[r]))
    if metric == "mae":
        return lambda r: skm.mean_absolute_error(y[r], pred[r])
    if metric == "accuracy":
        return lambda r: skm.accuracy_score(y[r], pred[r] >= 0.5)
    if metric == "log_loss":
        return lambda r: skm.log_loss(y[r], pred[r], eps=1e-15, labels=[False, True])
    if metric == "auc":
        return lambda r: skm.roc_auc_score(y[r], pred[r]) if 0 < y[r].sum() < len(r) else math.nan
    raise ValueError(metric)


def bootstrap(metric, direction, y, p0, p1, resamples, seed, confidence, margin):
    f0, f1 = metric_fn(metric, y, p0), metric_fn(metric, y, p1)
    n = len(y)
    allrows = np.arange(n)
    observed = f1(allrows) - f0(allrows)
    rng = SplitMix64(seed)
    sign = 1.0 if direction == "higher_is_better" else -1.0
    diffs, not_better, undefined = [], 0, 0
    for _ in range(resamples):
        rows = np.array([rng.index(n) for _ in range(n)])
        a_val, b_val = f0(rows), f1(rows)
        d = b_val - a_val
        if math.isnan(d):
            not_better += 1
            undefined += 1
            continue
        # Keel's rounding slack: within 1e-12 (relative) of the boundary counts as on it.
        if sign * d <= -margin + 1e-12 * max(1.0, abs(a_val), abs(b_val)):
            not_better += 1
        diffs.append(d)
    diffs = np.array(diffs)
    tail = (1 - confidence) / 2
    return {"observed_difference": observed, "mean_difference": float(diffs.mean()),
            "ci_lower": float(np.percentile(diffs, 100 * tail)),
            "ci_upper": float(np.percentile(diffs, 100 * (1 - tail))),
            "p_value": not_better / resamples, "undefined": undefined}


def bootstrap_cases(rng):
    cases = []
    n = 120
    y_reg = rng.normal(10, 3, size=n)
    r0 = y_reg + rng.normal(0, 1.2, size=n)
    r1 = y_reg + rng.normal(0, 1.0, size=n)
    y_bin = rng.random(n) < 0.4
    z = rng.normal(size=n)
    q0 = 1 / (1 + np.exp(-(z + 1.0 * (y_bin - 0.5) + 0.9 * rng.normal(size=n))))
    q1 = 1 / (1 + np.exp(-(z + 1.6 * (y_bin - 0.5) + 0.9 * rng.normal(size=n))))
    q0[3] = 0.0  # exercises the 1e-15 clip
    q1[7] = 1.0
    y_small = np.array([True, False, False, False, False, True, False, False, False, False])
    s0 = np.array([0.6, 0.2, 0.1, 0.4, 0.3, 0.5, 0.2, 0.7, 0.1, 0.3])
    s1 = np.array([0.8, 0.3, 0.1, 0.2, 0.3, 0.6, 0.2, 0.5, 0.1, 0.3])
    specs = [
        ("rmse", "lower_is_better", y_reg, r0, r1, 1000, 42, 0.95, 0.0),
        ("mae", "lower_is_better", y_reg, r0, r1, 500, 7, 0.9, 0.05),
        ("accuracy", "higher_is_better", y_bin, q0, q1, 1000, 2024, 0.95, 0.0),
        ("log_loss", "lower_is_better", y_bin, q0, q1, 400, 12345678901234567890, 0.95, 0.0),
        ("auc", "higher_is_better", y_bin, q0, q1, 1000, 1, 0.95, 0.0),
        ("auc", "higher_is_better", y_small, s0, s1, 300, 99, 0.8, 0.0),  # some draws hold one class
        ("auc", "higher_is_better", y_bin, q1, q0, 300, 5, 0.95, 0.02),
    ]
    for i, (metric, direction, y, a, b, resamples, seed, conf, margin) in enumerate(specs):
        cases.append({"name": f"{metric}_{i}", "metric": metric, "direction": direction,
                      "labels": [float(v) for v in y], "champion": [float(v) for v in a],
                      "challenger": [float(v) for v in b], "resamples": resamples, "seed": seed,
                      "confidence": conf, "margin": margin,
                      **bootstrap(metric, direction, np.asarray(y), np.asarray(a), np.asarray(b),
                                  resamples, seed, conf, margin)})
    return cases


def splitmix_head(seed, count):
    g = SplitMix64(seed)
    return [g.next() for _ in range(count)]


def main():
    rng = np.random.default_rng(20240612)
    out = {
        "mcnemar": [mcnemar_case(b, c) for b, c in MCNEMAR],
        "delong": delong_cases(rng),
        "bootstrap": bootstrap_cases(rng),
        "splitmix64": {"seed": 1234567, "values": splitmix_head(1234567, 5)},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gate_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
