"""
Reference values for Keel's Great Expectations-compatible validator, computed with pandas the way
Great Expectations 1.x's pandas backend computes them (its metric providers: isin, str.contains,
duplicated(keep=False), diff, quantile(interpolation=...), strptime, json.loads, dateutil).
Great Expectations itself is not installable here, so this script follows its code paths by hand;
run it with Debian's python3 (pandas 1.5, numpy 1.24) and commit reference_results.json.

    /usr/bin/python3 reference_values.py
"""
import datetime
import json
import re
from collections import Counter

import numpy as np
import pandas as pd
from dateutil.parser import parse as dateutil_parse

df = pd.read_csv("fixture.csv")
suite = json.load(open("reference_suite.json"))
N = len(df)


def py(v):
    if v is None:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, tuple):
        return [py(x) for x in v]
    if isinstance(v, dict):
        return {k: py(x) for k, x in v.items()}
    return v


def map_result(unexpected_mask, domain_mask, values, mostly, counts_every_row=False):
    """_format_map_output at COMPLETE level, with GE's success rule."""
    unexpected_mask = unexpected_mask & domain_mask
    unexpected_count = int(unexpected_mask.sum())
    nonnull = None if counts_every_row else int(domain_mask.sum())
    if counts_every_row:
        success = N == 0 or (N - unexpected_count) / N >= mostly
    else:
        success = N == 0 or nonnull == 0 or (nonnull - unexpected_count) / nonnull >= mostly
    idx = [int(i) for i in df.index[unexpected_mask]]
    vals = [py(values(i)) for i in idx]
    r = {"element_count": N, "unexpected_count": unexpected_count}
    if nonnull is None:
        r["unexpected_percent"] = unexpected_count / N * 100
    else:
        r["missing_count"] = N - nonnull
        r["missing_percent"] = (N - nonnull) / N * 100
        r["unexpected_percent_total"] = unexpected_count / N * 100
        r["unexpected_percent"] = unexpected_count / nonnull * 100 if nonnull else None
        r["unexpected_percent_nonmissing"] = r["unexpected_percent"]
    partial = vals[:20]
    hashable = [tuple(v.values()) if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v for v in partial]
    r["partial_unexpected_list"] = partial
    r["partial_unexpected_counts"] = [
        {"value": list(k) if isinstance(k, tuple) else k, "count": c}
        for k, c in sorted(Counter(hashable).most_common(20), key=lambda x: (-x[1], order_key(x[0])))
    ]
    r["partial_unexpected_index_list"] = idx[:20]
    r["unexpected_list"] = vals
    r["unexpected_index_list"] = idx
    return success, r


def order_key(v):
    # Python cannot order None against numbers; Keel (and this reference) puts null first.
    if isinstance(v, tuple):
        return tuple(order_key(x) for x in v)
    return (0, 0) if v is None else (1, v)


def between(v, lo, hi, smin, smax):
    above = lo is None or (v > lo if smin else v >= lo)
    below = hi is None or (v < hi if smax else v <= hi)
    return bool(above and below)


def numpy_type(name):
    try:
        return np.dtype(name).type
    except TypeError:
        return getattr(pd, name, None) if isinstance(getattr(pd, name, None), type) else None


NATIVE = {"none": (type(None),), "bool": (bool,), "int": (int,), "long": (int,), "float": (float,), "str": (str,), "list": (list,), "dict": (dict,)}


def evaluate(t, kw):
    col = kw.get("column")
    if col is not None and col not in df.columns and t != "expect_column_to_exist":
        return {"success": False, "exception": True}
    mostly = kw.get("mostly", 1.0)
    s = df[col] if col in df.columns else None
    notnull = s.notnull() if s is not None else None
    every = pd.Series(True, index=df.index)
    single = lambda i: s[i]

    if t == "expect_table_row_count_to_be_between":
        return {"success": between(N, kw.get("min_value"), kw.get("max_value"), False, False), "observed_value": N}
    if t == "expect_table_row_count_to_equal":
        return {"success": N == kw["value"], "observed_value": N}
    if t == "expect_table_column_count_to_equal":
        return {"success": len(df.columns) == kw["value"], "observed_value": len(df.columns)}
    if t == "expect_table_column_count_to_be_between":
        return {"success": between(len(df.columns), kw.get("min_value"), kw.get("max_value"), False, False), "observed_value": len(df.columns)}
    if t == "expect_table_columns_to_match_ordered_list":
        return {"success": list(df.columns) == kw["column_list"], "observed_value": list(df.columns)}
    if t == "expect_table_columns_to_match_set":
        missing = set(kw["column_set"]) - set(df.columns)
        ok = set(df.columns) == set(kw["column_set"]) or (not kw.get("exact_match") and not missing)
        return {"success": ok, "observed_value": list(df.columns) if set(df.columns) == set(kw["column_set"]) else sorted(df.columns)}
    if t == "expect_column_to_exist":
        i = kw.get("column_index")
        ok = (list(df.columns)[i] == col) if i else col in df.columns
        return {"success": ok}
    if t == "expect_column_values_to_not_be_null":
        ok, r = map_result(s.isnull(), every, single, mostly, counts_every_row=True)
    elif t == "expect_column_values_to_be_null":
        ok, r = map_result(s.notnull(), every, single, mostly, counts_every_row=True)
    elif t == "expect_column_values_to_be_in_set":
        ok, r = map_result(~s.isin(kw["value_set"]), notnull, single, mostly)
    elif t == "expect_column_values_to_not_be_in_set":
        ok, r = map_result(s.isin(kw["value_set"]), notnull, single, mostly)
    elif t == "expect_column_values_to_be_between":
        lo, hi = kw.get("min_value"), kw.get("max_value")
        cond = s.map(lambda v: between(v, lo, hi, kw.get("strict_min", False), kw.get("strict_max", False)))
        ok, r = map_result(~cond.astype(bool), notnull, single, mostly)
    elif t == "expect_column_values_to_be_unique":
        nn = s[notnull]
        dup = pd.Series(False, index=df.index)
        dup[nn.index] = nn.duplicated(keep=False)
        ok, r = map_result(dup, notnull, single, mostly)
    elif t in ("expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex"):
        m = s.astype(str).str.contains(kw["regex"])
        ok, r = map_result(~m if "not" not in t else m, notnull, single, mostly)
    elif t == "expect_column_values_to_match_regex_list":
        ms = [s.astype(str).str.contains(x) for x in kw["regex_list"]]
        m = np.logical_and.reduce(ms) if kw.get("match_on", "any") == "all" else np.logical_or.reduce(ms)
        ok, r = map_result(~pd.Series(m, index=df.index), notnull, single, mostly)
    elif t == "expect_column_values_to_not_match_regex_list":
        m = np.logical_or.reduce([s.astype(str).str.contains(x) for x in kw["regex_list"]])
        ok, r = map_result(pd.Series(m, index=df.index), notnull, single, mostly)
    elif t in ("expect_column_values_to_be_of_type", "expect_column_values_to_be_in_type_list"):
        names = [kw["type_"]] if "type_" in kw else kw["type_list"]
        comp = []
        for n in names:
            ty = numpy_type(n)
            if ty is not None:
                comp.append(ty)
            comp.extend(NATIVE.get(n.lower(), ()))
        if s.dtype.type.__name__ == "object_" and not (t.endswith("of_type") and names[0] in ("object", "object_", "O")):
            cond = s.map(lambda v: isinstance(v, tuple(comp)))
            ok, r = map_result(~cond.astype(bool), notnull, single, mostly)
        else:
            return {"success": s.dtype.type in comp, "observed_value": s.dtype.type.__name__}
    elif t in ("expect_column_values_to_be_increasing", "expect_column_values_to_be_decreasing"):
        nn = s[notnull]
        d = nn.diff()
        d[d.isnull()] = 1 if "increasing" in t else -1
        strictly = kw.get("strictly") or False
        good = (d > 0 if strictly else d >= 0) if "increasing" in t else (d < 0 if strictly else d <= 0)
        bad = pd.Series(False, index=df.index)
        bad[nn.index] = ~good
        ok, r = map_result(bad, notnull, single, mostly)
    elif t == "expect_column_value_lengths_to_be_between":
        lengths = s.astype(str).str.len()
        cond = lengths.map(lambda v: between(v, kw.get("min_value"), kw.get("max_value"), kw.get("strict_min", False), kw.get("strict_max", False)))
        ok, r = map_result(~cond.astype(bool), notnull, single, mostly)
    elif t == "expect_column_value_lengths_to_equal":
        ok, r = map_result(s.astype(str).str.len() != kw["value"], notnull, single, mostly)
    elif t == "expect_column_values_to_match_strftime_format":
        def parses(v):
            try:
                datetime.datetime.strptime(v, kw["strftime_format"])
                return True
            except ValueError:
                return False
        ok, r = map_result(~s[notnull].map(parses).reindex(df.index, fill_value=True).astype(bool), notnull, single, mostly)
    elif t == "expect_column_values_to_be_dateutil_parseable":
        def parses(v):
            try:
                dateutil_parse(v)
                return True
            except (ValueError, OverflowError):
                return False
        ok, r = map_result(~s[notnull].map(parses).reindex(df.index, fill_value=True).astype(bool), notnull, single, mostly)
    elif t == "expect_column_values_to_be_json_parseable":
        def parses(v):
            try:
                json.loads(v)
                return True
            except Exception:
                return False
        ok, r = map_result(~s[notnull].map(parses).reindex(df.index, fill_value=True).astype(bool), notnull, single, mostly)
    elif t.endswith("_to_be_between") and t.startswith("expect_column_") and not t.startswith("expect_column_values"):
        stat = t[len("expect_column_"):-len("_to_be_between")]
        nn = s.dropna()
        value = {
            "mean": lambda: nn.mean(), "median": lambda: nn.median(), "stdev": lambda: nn.std(), "min": lambda: nn.min(),
            "max": lambda: nn.max(), "sum": lambda: nn.sum(), "unique_value_count": lambda: nn.nunique(),
            "proportion_of_unique_values": lambda: nn.nunique() / len(nn),
        }.get(stat)
        if stat == "quantile_values":
            qr = kw["quantile_ranges"]
            interp = kw.get("allow_relative_error") or "nearest"
            vals = [py(v) for v in nn.quantile(qr["quantiles"], interpolation=interp).tolist()]
            details = []
            for v, (lo, hi) in zip(vals, qr["value_ranges"]):
                lo = -np.inf if lo is None else lo
                hi = np.inf if hi is None else hi
                details.append(bool(np.isclose(v, lo, rtol=1e-4) or np.isclose(v, hi, rtol=1e-4) or lo <= v <= hi))
            return {"success": all(details), "observed_value": {"quantiles": qr["quantiles"], "values": vals}, "details": {"success_details": details}}
        v = py(value())
        return {"success": between(v, kw.get("min_value"), kw.get("max_value"), kw.get("strict_min", False), kw.get("strict_max", False)), "observed_value": v}
    elif t.startswith("expect_column_distinct_values_"):
        observed = set(s.dropna())
        expected = set(kw["value_set"])
        ok = {"in": lambda: not expected or observed <= expected, "contain": lambda: observed >= expected, "equal": lambda: observed == expected}[t.split("_to_")[1].split("_")[1] if "be_in" in t else t.split("_to_")[1].split("_")[0]]()
        counts = s.value_counts().sort_index()
        return {"success": ok, "observed_value": [py(v) for v in sorted(observed)], "details": {"value_counts": [{"value": py(k), "count": int(c)} for k, c in counts.items()]}}
    elif t == "expect_column_most_common_value_to_be_in_set":
        modes = [py(v) for v in s.mode().tolist()]
        inter = len(set(kw["value_set"]) & set(modes))
        ok = inter > 0 if kw.get("ties_okay") else (len(modes) == 1 and inter == 1)
        return {"success": ok, "observed_value": modes}
    elif t.startswith("expect_column_pair_values"):
        a, b = df[kw["column_A"]], df[kw["column_B"]]
        ignore = kw.get("ignore_row_if", "both_values_are_missing")
        domain = {"both_values_are_missing": a.notnull() | b.notnull(), "either_value_is_missing": a.notnull() & b.notnull(), "neither": every}[ignore]
        if t.endswith("equal"):
            good = a == b
        else:
            good = (a >= b) if kw.get("or_equal") else (a > b)
        pair = lambda i: (a[i], b[i])
        ok, r = map_result(~good, domain, pair, mostly)
    else:
        cols = kw["column_list"]
        sub = df[cols]
        ignore = kw.get("ignore_row_if", "all_values_are_missing")
        domain = {"all_values_are_missing": sub.notnull().any(axis=1), "any_value_is_missing": sub.notnull().all(axis=1), "never": every}[ignore]
        if t == "expect_compound_columns_to_be_unique":
            good = pd.Series(True, index=df.index)
            good[domain] = ~sub[domain].duplicated(keep=False)
        elif t == "expect_multicolumn_sum_to_equal":
            good = sub.sum(axis=1, skipna=False) == kw["sum_total"]
        else:
            good = sub.nunique(dropna=False, axis=1) >= len(cols)
        rec = lambda i: {c: sub.loc[i, c] for c in cols}
        ok, r = map_result(~good, domain, rec, mostly)
    r["success"] = bool(ok)
    return r


out = []
for e in suite["expectations"]:
    res = evaluate(e["type"], e["kwargs"])
    res["success"] = bool(res["success"])
    out.append({"type": e["type"], "kwargs": e["kwargs"], **res})

json.dump(out, open("reference_results.json", "w"), indent=1)
print(f"{len(out)} reference results, {sum(1 for o in out if o['success'])} succeed")
