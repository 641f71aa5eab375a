"""
Ports the facts of Great Expectations' own test cases (tests/test_definitions/*/*.json in its
repository, v1.2.0) into Keel's case format: for each pandas-applicable case, the table, the
kwargs and the expected outcome (success, the unexpected values, the observed value, or that it
raises). Usage: /usr/bin/python3 port_ge_cases.py GE_REPO_ROOT > ge_cases.json
"""
import glob
import json
import os
import sys

root = sys.argv[1]
keel_types = set(json.load(open(os.path.join(os.path.dirname(__file__), "implemented_types.json"))))
cases = []
for path in sorted(glob.glob(os.path.join(root, "tests/test_definitions/*/*.json"))):
    spec = json.load(open(path))
    etype = spec.get("expectation_type")
    if etype not in keel_types:
        continue
    for dataset in spec.get("datasets", []):
        if "pandas" in dataset.get("suppress_test_for", []) or ("only_for" in dataset and "pandas" not in dataset["only_for"]):
            continue
        for test in dataset["tests"]:
            if "pandas" in test.get("suppress_test_for", []):
                continue
            only = test.get("only_for")
            if only and "pandas" not in only and not any(o.startswith("pandas") for o in only):
                continue
            out = test["out"]
            expect = {"success": out.get("success")}
            if "traceback_substring" in out or test.get("error"):
                expect = {"raises": True}
            for key in ("unexpected_list", "observed_value"):
                if key in out:
                    expect[key] = out[key]
            cases.append({
                "type": etype,
                "title": test["title"],
                "columns": dataset["data"],
                "kwargs": test["in"],
                "tolerance": test.get("tolerance"),
                "expect": expect,
            })
# One case per line: small diffs, readable greps.
sys.stdout.write("[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n")
