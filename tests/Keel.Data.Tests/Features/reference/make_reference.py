"""Reference values for Keel's point-in-time retrieval (tests/Keel.Data.Tests/Features/PointInTimeReferenceTests.cs).

pandas.merge_asof is the independent reference: Feast itself cannot be installed here (no PyPI),
and Feast's own local offline store is built on merge_asof with the same arguments:
direction='backward' (latest row at or before the entity time, exact times included), by=the join
keys, tolerance=ttl (inclusive: entity_ts - ttl <= event_ts), right side sorted by
(event_ts, created) so that of equal event times the last created wins; each view joined on its
own, then the entity rows put back in input order.

Run with Debian's pandas:  /usr/bin/python3 make_reference.py   (writes the CSV files beside it)

The definitions the C# test declares for these files:
  entities: driver (driver_id), customer (customer_id)
  driver_hourly: [driver], source drivers.csv, timestamp event_ts, created created, ttl 2h: conv_rate Float64, trips Int64
  driver_daily:  [driver], source drivers.csv, same columns, ttl 1d: conv_rate Float64
  customer:      [customer], source customers.csv (no created column), field_mapping cust->customer_id,
                 cust_age->age, ttl 0 (unbounded): age Int64, segment String
  global_stats:  [] (no entities), source global.csv, ttl 1d: total Float64
  pair:          [driver, customer] (compound key), source pairs.csv, created created, ttl 1h: affinity Float64
"""
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = pd.Timestamp("2021-04-12 10:00:00", tz="UTC")
MS = pd.Timedelta(milliseconds=1)
H = pd.Timedelta(hours=1)
D = pd.Timedelta(days=1)
M = pd.Timedelta(minutes=1)


def ts(offset):
    return BASE + offset


def text(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}+00:00"


drivers = pd.DataFrame(
    [
        # driver 1001: a tie at 1h broken by created (0.25 wins); a row at 0.5h created much later
        # must not win for entity times after 1h (created only breaks ties).
        (1001, ts(0 * H), ts(1 * M), 0.10, 1),
        (1001, ts(1 * H), ts(1 * H), 0.20, 2),
        (1001, ts(1 * H), ts(1 * H + 5 * M), 0.25, 3),
        (1001, ts(0.5 * H), ts(10 * H), 0.99, 9),
        (1001, ts(2 * H), ts(1 * H + 1 * M), 0.30, 4),
        # driver 1002: one row; entity rows exactly 2h later (inclusive bound) and 2h + 1 ms later
        (1002, ts(0 * H), ts(0 * H), 0.50, 10),
        # driver 1003: one row at 3h; entity rows at exactly 3h and just before
        (1003, ts(3 * H), ts(3 * H), 0.70, 20),
    ],
    columns=["driver_id", "event_ts", "created", "conv_rate", "trips"],
)

customers = pd.DataFrame(
    [
        ("c1", ts(-1000 * D), 30, "gold"),
        ("c1", ts(1 * H), 31, "silver"),
        ("c2", ts(5 * H), 40, "bronze"),
    ],
    columns=["cust", "event_ts", "cust_age", "segment"],
)

global_stats = pd.DataFrame(
    [(ts(-2 * D), 1.0), (ts(0 * H), 2.0), (ts(3 * H), 3.0)],
    columns=["event_ts", "total"],
)

pairs = pd.DataFrame(
    [
        (1001, "c1", ts(0 * H), ts(0 * H), 0.9),
        (1001, "c2", ts(0 * H), ts(0 * H), 0.1),
        (1002, "c1", ts(1 * H), ts(1 * H), 0.5),
    ],
    columns=["driver_id", "customer_id", "event_ts", "created", "affinity"],
)

entities = pd.DataFrame(
    [
        (1001, "c1", ts(1.5 * H), 1),
        (1002, "c1", ts(2 * H), 2),
        (1002, "c1", ts(2 * H) + MS, 3),
        (1003, "c2", ts(3 * H), 4),
        (1003, "c2", ts(3 * H) - M, 5),
        (1004, "c1", ts(0 * H), 6),
        (1001, "c1", ts(1.5 * H), 1),  # a duplicate of the first row
        (1001, "c1", ts(0.5 * H), 8),
        (1001, "c2", ts(1.5 * H), 9),
        (1001, "c1", ts(-1.5 * D), 10),
        (1001, "c1", ts(-0.5 * D), 11),
        (1002, "c1", ts(2 * H), 2),  # a duplicate of the second row, at the end
        (1001, "c2", ts(2.5 * H), 13),
    ],
    columns=["driver_id", "customer_id", "event_timestamp", "label"],
)

# name: (frame, keys (after field_mapping), created column or None, ttl or None, features, mapping)
VIEWS = {
    "driver_hourly": (drivers, ["driver_id"], "created", 2 * H, ["conv_rate", "trips"], {}),
    "driver_daily": (drivers, ["driver_id"], "created", 1 * D, ["conv_rate"], {}),
    "customer": (customers, ["customer_id"], None, None, ["age", "segment"], {"cust": "customer_id", "cust_age": "age"}),
    "global_stats": (global_stats, [], None, 1 * D, ["total"], {}),
    "pair": (pairs, ["driver_id", "customer_id"], "created", 1 * H, ["affinity"], {}),
}


def join_view(name):
    frame, keys, created, ttl, features, mapping = VIEWS[name]
    right = frame.rename(columns=mapping)
    right = right.sort_values(["event_ts"] + ([created] if created else []), kind="stable")
    right = right[keys + ["event_ts"] + features].rename(columns={"event_ts": "__event_ts"})
    left = entities.assign(__row=range(len(entities)))
    left = left.sort_values("event_timestamp", kind="stable")
    joined = pd.merge_asof(
        left,
        right,
        left_on="event_timestamp",
        right_on="__event_ts",
        by=keys or None,
        direction="backward",
        allow_exact_matches=True,
        tolerance=ttl,
    )
    return joined.sort_values("__row")[features].reset_index(drop=True)


def expected(requests, full_names):
    out = entities.copy()
    out["event_timestamp"] = out["event_timestamp"].map(text)
    for view, feature in requests:
        column = f"{view}__{feature}" if full_names else feature
        out[column] = join_view(view)[feature].values
    return out


def write(frame, name, time_columns=()):
    frame = frame.copy()
    for c in time_columns:
        frame[c] = frame[c].map(text)
    frame.to_csv(os.path.join(HERE, name), index=False)


write(drivers, "drivers.csv", ["event_ts", "created"])
write(customers, "customers.csv", ["event_ts"])
write(global_stats, "global.csv", ["event_ts"])
write(pairs, "pairs.csv", ["event_ts", "created"])
write(entities, "entities.csv", ["event_timestamp"])

REQUEST_A = [
    ("customer", "age"),
    ("driver_hourly", "conv_rate"),
    ("global_stats", "total"),
    ("driver_hourly", "trips"),
    ("pair", "affinity"),
    ("customer", "segment"),
]
REQUEST_B = REQUEST_A + [("driver_daily", "conv_rate")]
# Integer features with missing values come out of pandas as floats (3.0); the test compares numbers.
expected(REQUEST_A, False).to_csv(os.path.join(HERE, "expected_plain.csv"), index=False)
expected(REQUEST_B, True).to_csv(os.path.join(HERE, "expected_full.csv"), index=False)
print("wrote reference files to", HERE)
