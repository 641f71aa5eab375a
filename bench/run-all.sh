#!/usr/bin/env bash
# Runs every load driver in Release and prints the figures recorded in docs/benchmarks.md.
# Usage: bash bench/run-all.sh [seconds-per-load-phase]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
dotnet build -c Release src/Keel.Cli >/dev/null
dotnet build -c Release bench/Keel.Bench >/dev/null
echo "## machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --no-build --project bench/Keel.Bench -- load --seconds "$seconds"
dotnet run -c Release --no-build --project bench/Keel.Bench -- predict --rows 1000000
if [ -x /usr/bin/chromium ]; then
  dotnet run -c Release --no-build --project bench/Keel.Bench -- ui
else
  echo "## ui: skipped (no /usr/bin/chromium; apt-get install chromium)"
fi
echo "## load after: $(cut -d' ' -f1-3 /proc/loadavg)"
