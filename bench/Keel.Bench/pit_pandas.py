"""The pandas peer of `Keel.Bench pit`: the same point-in-time retrieval with merge_asof (what
Feast's local offline store does), on the CSV files PitBench writes. Prints the join time alone.
Usage: pit_pandas.py DATA_DIR OUTPUT.csv"""
import sys
import time

import pandas as pd

data, output = sys.argv[1], sys.argv[2]
TTLS = [pd.Timedelta(hours=2), pd.Timedelta(days=1), pd.Timedelta(days=7), pd.Timedelta(days=30), None]

start = time.time()
entities = pd.read_csv(f"{data}/entities.csv", parse_dates=["event_timestamp"])
entities["__row"] = range(len(entities))
left = entities.sort_values("event_timestamp", kind="stable")
views = [pd.read_csv(f"{data}/v{v}.csv", parse_dates=["event_ts", "created"]) for v in range(5)]
read = time.time() - start

start = time.time()
out = entities[["driver_id", "event_timestamp"]].copy()
for v, frame in enumerate(views):
    right = frame.sort_values(["event_ts", "created"], kind="stable")[["driver_id", "event_ts", "a", "b", "c"]]
    joined = pd.merge_asof(left, right, left_on="event_timestamp", right_on="event_ts", by="driver_id",
                           direction="backward", allow_exact_matches=True, tolerance=TTLS[v])
    joined = joined.sort_values("__row")
    for f in ("a", "b", "c"):
        out[f"v{v}__{f}"] = joined[f].values
join = time.time() - start

start = time.time()
out.to_csv(output, index=False)
write = time.time() - start
print(f"read {read:.2f} s, join {join:.2f} s, write {write:.2f} s")
