"""
Reference values for Keel's table profile of fixture.csv, computed with pandas (count, nulls,
distinct, min, max, mean, sample std, linear quantiles). Run with Debian's python3 and commit
profile_reference.json:  /usr/bin/python3 profile_reference.py
"""
import json

import numpy as np
import pandas as pd

df = pd.read_csv("fixture.csv")
out = {"row_count": len(df), "columns": []}
for name in df.columns:
    s = df[name]
    nn = s.dropna()
    col = {"name": name, "count": int(nn.size), "null_count": int(s.isnull().sum()), "distinct_count": int(nn.nunique())}
    if pd.api.types.is_numeric_dtype(s):
        col.update({
            "min": float(nn.min()), "max": float(nn.max()), "mean": float(nn.mean()), "std": float(nn.std()),
            "quantiles": [float(v) for v in nn.quantile([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]).tolist()],
        })
    else:
        counts = nn.value_counts()
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
        col.update({"min": min(nn), "max": max(nn), "top_values": [{"value": k, "count": int(v)} for k, v in top]})
    out["columns"].append(col)
json.dump(out, open("profile_reference.json", "w"), indent=1)
print("ok")
