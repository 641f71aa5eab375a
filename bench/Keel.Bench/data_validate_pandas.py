"""
The pandas peer of `keel-bench data-validate`: the same expectation suite evaluated with plain,
vectorized pandas (the operations Great Expectations' pandas backend runs: isin, str.contains,
duplicated(keep=False), comparisons, aggregates), without Great Expectations' own overhead.
Prints JSON: load time (read_csv, reported apart) and the time of the checks, with each result.

    /usr/bin/python3 data_validate_pandas.py TABLE.csv SUITE.json
"""
import json
import sys
import time

import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
load = time.perf_counter() - t0
suite = json.load(open(sys.argv[2]))


def mostly_ok(domain, unexpected, mostly):
    return domain == 0 or (domain - unexpected) / domain >= mostly


def between(v, lo, hi, smin=False, smax=False):
    return (lo is None or (v > lo if smin else v >= lo)) and (hi is None or (v < hi if smax else v <= hi))


def run(e):
    t, k = e["type"], e["kwargs"]
    n = len(df)
    if t == "expect_table_row_count_to_be_between":
        return {"success": between(n, k.get("min_value"), k.get("max_value"))}
    if t == "expect_table_columns_to_match_set":
        return {"success": set(df.columns) == set(k["column_set"])}
    if t.startswith("expect_column_pair"):
        a, b = df[k["column_A"]], df[k["column_B"]]
        keep = a.notnull() | b.notnull()
        good = (a >= b) if k.get("or_equal") else (a > b)
        bad = int((~good & keep).sum())
        return {"success": mostly_ok(int(keep.sum()), bad, k.get("mostly", 1)), "unexpected_count": bad}
    s = df[k["column"]]
    mostly = k.get("mostly", 1.0)
    if t == "expect_column_values_to_not_be_null":
        bad = int(s.isnull().sum())
        return {"success": (n - bad) / n >= mostly, "unexpected_count": bad}
    nn = s.dropna()
    if t.endswith("_to_be_between") and not t.startswith("expect_column_values") and not t.startswith("expect_column_value_lengths"):
        stat = t[len("expect_column_"):-len("_to_be_between")]
        v = {"mean": nn.mean, "stdev": nn.std, "min": nn.min, "max": nn.max, "sum": nn.sum, "median": nn.median,
             "proportion_of_unique_values": lambda: nn.nunique() / len(nn)}[stat]()
        return {"success": bool(between(v, k.get("min_value"), k.get("max_value"), k.get("strict_min", False), k.get("strict_max", False)))}
    if t == "expect_column_values_to_be_unique":
        bad = nn.duplicated(keep=False)
    elif t == "expect_column_values_to_be_between":
        lo, hi = k.get("min_value"), k.get("max_value")
        good = pd.Series(True, index=nn.index)
        if lo is not None:
            good &= (nn > lo) if k.get("strict_min") else (nn >= lo)
        if hi is not None:
            good &= (nn < hi) if k.get("strict_max") else (nn <= hi)
        bad = ~good
    elif t == "expect_column_values_to_be_in_set":
        bad = ~nn.isin(k["value_set"])
    elif t == "expect_column_values_to_not_be_in_set":
        bad = nn.isin(k["value_set"])
    elif t == "expect_column_values_to_match_regex":
        bad = ~nn.astype(str).str.contains(k["regex"])
    elif t == "expect_column_values_to_not_match_regex":
        bad = nn.astype(str).str.contains(k["regex"])
    elif t == "expect_column_values_to_match_regex_list":
        text = nn.astype(str)
        hits = [text.str.contains(r) for r in k["regex_list"]]
        combined = hits[0]
        for h in hits[1:]:
            combined = (combined & h) if k.get("match_on") == "all" else (combined | h)
        bad = ~combined
    elif t == "expect_column_value_lengths_to_be_between":
        lengths = nn.astype(str).str.len()
        bad = ~((lengths >= k["min_value"]) & (lengths <= k["max_value"]))
    else:
        raise ValueError(t)
    count = int(bad.sum())
    # GE also lists the first 20 unexpected values of a failing expectation.
    partial = nn[bad].head(20).tolist()
    return {"success": mostly_ok(len(nn), count, mostly), "unexpected_count": count, "partial": len(partial)}


t1 = time.perf_counter()
c1 = time.process_time()
results = [run(e) for e in suite["expectations"]]
checks = time.perf_counter() - t1
checks_cpu = time.process_time() - c1
for r in results:
    r["success"] = bool(r["success"])
print(json.dumps({"pandas": pd.__version__, "load_seconds": load, "checks_seconds": checks, "checks_cpu_seconds": checks_cpu, "results": results}))
