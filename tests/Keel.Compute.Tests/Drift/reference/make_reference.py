"""Reference values for Keel's drift statistics (tests/Keel.Compute.Tests/Drift).

Evidently is not installable here, so this script re-states Evidently 0.7.21's drift formulas
(src/evidently/legacy/calculations/stattests/*.py, registry._get_default_stattest) with the same
scipy/numpy calls Evidently makes, and writes drift_reference.json. Run with Debian's python:
    /usr/bin/python3 make_reference.py
"""
import json
import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance


def unique_keys(ref, cur):
    return list(set(ref.dropna().unique()) | set(cur.dropna().unique()))


def binned(ref, cur, kind, fill):
    if kind == "num" and ref.nunique() > 20:
        bins = np.histogram_bin_edges(np.asarray(pd.concat([ref, cur]).values), bins="sturges")
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = unique_keys(ref, cur)
        rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
        r = np.array([rd[k] / len(ref) for k in keys])
        c = np.array([cd[k] / len(cur) for k in keys])
    if fill:
        for a in (r, c):
            m = min(a[a != 0])
            np.place(a, a == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return r, c


def score(method, ref, cur, kind):
    if method == "ks":
        return stats.ks_2samp(ref, cur)[1]
    if method == "wasserstein":
        return stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001)
    if method == "chisquare":
        keys = unique_keys(ref, cur)
        rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
        k = cur.shape[0] / ref.shape[0]
        return stats.chisquare([cd[x] for x in keys], [rd[x] * k for x in keys])[1]
    if method == "z":
        if ref.nunique() == 1 and cur.nunique() == 1 and ref.unique()[0] == cur.unique()[0]:
            return 1.0
        key = sorted(unique_keys(ref, cur))[0]
        a = ref.apply(lambda x: 0 if x == key else 1)
        b = cur.apply(lambda x: 0 if x == key else 1)
        n1, n2 = len(a), len(b)
        p1, p2 = float(sum(a)) / n1, float(sum(b)) / n2
        P = float(p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
        return 2 * (1 - stats.norm.cdf(np.abs(z)))
    if method == "psi":
        r, c = binned(ref, cur, kind, True)
        return float(np.sum((r - c) * np.log(r / c)))
    if method == "kl_div":
        r, c = binned(ref, cur, kind, True)
        return float(stats.entropy(r, c))
    if method == "jensenshannon":
        r, c = binned(ref, cur, kind, False)
        return float(distance.jensenshannon(r, c))
    if method == "hellinger":
        keys = list(set(ref.unique()) | set(cur.unique()))
        if kind == "cat":
            rs = ref.value_counts() / len(ref)
            cs = cur.value_counts() / len(cur)
            h = sum(np.sqrt(float(rs.get(k, 0)) * float(cs.get(k, 0))) for k in keys)
        else:
            bins = np.histogram_bin_edges(keys, bins="sturges")
            h1 = np.histogram(ref.to_numpy(), bins=bins, density=True)[0]
            h2 = np.histogram(cur.to_numpy(), bins=bins, density=True)[0]
            w = (max(bins) - min(bins)) / (len(bins) - 1)
            h = sum(np.sqrt(float(p) * float(q)) * w for p, q in zip(h1, h2))
        return float(np.sqrt(1 - np.clip(h, 0, 1)))
    raise ValueError(method)


def automatic(ref, cur, kind):
    n = pd.concat([ref, cur]).nunique()
    if ref.shape[0] <= 1000:
        if kind == "num":
            return "ks" if n > 5 else ("chisquare" if n > 2 else "z")
        return "chisquare" if n > 2 else "z"
    if kind == "num":
        return "wasserstein" if n > 5 else "jensenshannon"
    return "jensenshannon"


rng = np.random.default_rng(20261202)
cases = []


def add(name, ref, cur, kind, methods=None, integer=False):
    ref = pd.Series(ref)
    cur = pd.Series(cur)
    # get_one_column_drift drops missing values (and ±inf) before choosing and running a test.
    clean_ref, clean_cur = ref.dropna(), cur.dropna()
    auto = automatic(clean_ref, clean_cur, kind)
    for m in methods or [None]:
        method = m or auto
        cases.append({
            "name": name + ("" if m is None else ":" + m),
            "kind": kind,
            "integer": integer,
            "method": m,
            "expected_method": method,
            "score": score(method, clean_ref, clean_cur, kind),
            "reference": [None if (isinstance(v, float) and np.isnan(v)) else (v.item() if hasattr(v, "item") else v) for v in ref],
            "current": [None if (isinstance(v, float) and np.isnan(v)) else (v.item() if hasattr(v, "item") else v) for v in cur],
        })


def normal(loc, scale, n):
    return np.round(rng.normal(loc, scale, n), 4)


ALL = ["ks", "wasserstein", "psi", "kl_div", "jensenshannon", "hellinger"]
add("num small shifted (ks exact, unequal sizes)", normal(0, 1, 200), normal(0.3, 1, 150), "num")
add("num small same (ks exact, equal sizes)", normal(0, 1, 300), normal(0, 1, 300), "num")
add("num ks asymptotic", normal(0, 1, 12000), normal(0.05, 1, 3000), "num", ["ks"])
add("num ks asymptotic no drift", normal(0, 1, 12000), normal(0, 1, 3000), "num", ["ks"])
add("num ks asymptotic unbalanced (n<=140)", normal(0, 1, 11000), normal(0.2, 1, 100), "num", ["ks"])
add("num ks asymptotic strong drift (2 x smirnov)", normal(0, 1, 10500), normal(0.12, 1, 2000), "num", ["ks"])
add("num ks asymptotic large n", normal(0, 1, 15000), normal(0.02, 1, 12000), "num", ["ks"])
add("num large", normal(5, 2, 3000), normal(5.3, 2.2, 1000), "num", [None] + ALL)
add("num with missing", np.append(normal(1, 1, 1500), [np.nan] * 20), np.append(normal(1.1, 1, 800), [np.nan] * 5), "num", [None, "psi", "jensenshannon"])
add("num few values small ref (chisquare)", rng.integers(0, 4, 500).astype(float), rng.integers(0, 4, 400).astype(float), "num")
add("num few values large ref (jensenshannon per value)", rng.integers(0, 4, 2000).astype(float), rng.integers(1, 5, 900).astype(float), "num", [None, "psi", "kl_div", "hellinger"])
add("num binary (z)", rng.integers(0, 2, 400).astype(float), (rng.random(300) < 0.6).astype(float), "num")
add("num integer hellinger", rng.integers(0, 3, 500), rng.integers(0, 3, 300), "num", ["hellinger"], integer=True)
add("num constant same", [2.0] * 50, [2.0] * 40, "num", ["ks", "wasserstein", "psi", "jensenshannon", "hellinger"])
cats = ["a", "b", "c", "d", "e"]
add("cat small (chisquare)", rng.choice(cats[:3], 300).tolist(), rng.choice(cats[:3], 200, p=[0.5, 0.3, 0.2]).tolist(), "cat")
add("cat new category in current (chisquare p=0)", rng.choice(cats[:3], 300).tolist(), rng.choice(cats[:4], 200).tolist(), "cat")
add("cat binary (z)", rng.choice(["no", "yes"], 300).tolist(), rng.choice(["no", "yes"], 250, p=[0.6, 0.4]).tolist(), "cat")
add("cat large", rng.choice(cats, 2000).tolist(), rng.choice(cats[:4], 1000, p=[0.4, 0.3, 0.2, 0.1]).tolist(), "cat",
    [None, "psi", "kl_div", "jensenshannon", "hellinger", "chisquare", "z"])
add("cat with missing", ["x", "y", None, "y"] * 400, ["x", None, "x", "y"] * 300, "cat", [None, "psi"])

with open("drift_reference.json", "w") as f:
    json.dump({"source": "make_reference.py (Evidently 0.7.21 formulas, scipy %s, numpy %s)" % (__import__("scipy").__version__, np.__version__),
               "cases": cases}, f)
print(len(cases), "cases")
