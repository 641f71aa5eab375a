"""The scipy peer of `keel-bench drift`: the same statistics Evidently's automatic choice gives for
this data (normed Wasserstein for the 80 numeric columns, Jensen-Shannon on category shares for
the 20 categorical ones), column by column, on the files DriftBench wrote. Prints the time and a
checksum (sum of scores) to compare with Keel's. Run with Debian's python: /usr/bin/python3."""
import sys
import time
import numpy as np
from scipy import stats
from scipy.spatial import distance

d = sys.argv[1]
NUM, CAT, NR, NC = 80, 20, 1_000_000, 100_000
ref_num = np.fromfile(f"{d}/ref_num.f32", dtype=np.float32).astype(np.float64).reshape(NUM, NR)
cur_num = np.fromfile(f"{d}/cur_num.f32", dtype=np.float32).astype(np.float64).reshape(NUM, NC)
ref_cat = np.fromfile(f"{d}/ref_cat.u8", dtype=np.uint8).reshape(CAT, NR)
cur_cat = np.fromfile(f"{d}/cur_cat.u8", dtype=np.uint8).reshape(CAT, NC)

start = time.perf_counter()
scores = []
for k in range(NUM):
    r, c = ref_num[k], cur_num[k]
    scores.append(stats.wasserstein_distance(r, c) / max(float(np.std(r)), 0.001))
for k in range(CAT):
    r, c = ref_cat[k], cur_cat[k]
    keys = np.union1d(np.unique(r), np.unique(c))
    rc = np.array([np.count_nonzero(r == key) for key in keys]) / len(r)
    cc = np.array([np.count_nonzero(c == key) for key in keys]) / len(c)
    scores.append(float(distance.jensenshannon(rc, cc)))
elapsed = time.perf_counter() - start
drifted = sum(1 for s in scores if s >= 0.1)
print(f"scipy  {elapsed:.3f} s  drifted {drifted}/{NUM + CAT}  checksum {sum(scores):.10f}")
