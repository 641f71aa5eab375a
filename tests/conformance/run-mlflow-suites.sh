#!/usr/bin/env bash
# Runs MLflow 2.12.2's own REST integration suites against this checkout's `keel server`, started the
# way a user starts it in place of `mlflow server` (see docs/conformance.md).
#
#   tests/conformance/run-mlflow-suites.sh                  # the three files, ~8 min
#   tests/conformance/run-mlflow-suites.sh -k test_artifacts tests/tracking/test_rest_tracking.py
#
# Needs the conformance kit (MLflow's sources at v2.12.2 and Debian's Python packages, set up by the
# kit's setup.sh): MLFLOW_CONFORMANCE_KIT (default ../shared/mlflow/conformance beside the checkout)
# and CONFORMANCE_DIR (its work dir). Logs: $CONFORMANCE_DIR/logs/{tracking,registry,artifacts}.log.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KIT=${MLFLOW_CONFORMANCE_KIT:-$ROOT/../shared/mlflow/conformance}
[ -f "$KIT/run.sh" ] || { echo "conformance kit not found at $KIT; set MLFLOW_CONFORMANCE_KIT" >&2; exit 2; }
export CONFORMANCE_DIR=${CONFORMANCE_DIR:-${TMPDIR:-/tmp}/mlflow-conformance}

# `keel` runs the build the kit makes; `mlflow` maps `mlflow server` options onto `keel server`
# (test_mlflow_artifacts.py starts `mlflow server` itself).
export PATH="$HERE/shims:$PATH"
# What the suites' fixtures ask of a server: a fresh state per test and new experiments under the
# artifact root the test gives (MLflow's tests pass a file: URI and read and write it directly).
export EXTERNAL_SERVER_CMD=${EXTERNAL_SERVER_CMD:-"keel server --port {port} --data-dir {tmpdir} --default-artifact-root {artifact_root}"}

cd "$ROOT" || exit 2
if [ $# -gt 0 ]; then
  exec bash "$KIT/run.sh" "$@"
fi

suite() {
  local name=$1 file=$2
  bash "$KIT/run.sh" "$file" | sed "s/^custom:/$name:/"
  cp "$CONFORMANCE_DIR/logs/custom.log" "$CONFORMANCE_DIR/logs/$name.log"
  cp "$CONFORMANCE_DIR/logs/custom.xml" "$CONFORMANCE_DIR/logs/$name.xml"
}
suite tracking tests/tracking/test_rest_tracking.py
suite registry tests/tracking/test_model_registry.py
suite artifacts tests/tracking/test_mlflow_artifacts.py
