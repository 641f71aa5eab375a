#!/usr/bin/env bash
# Builds what a user installs, into artifacts/ (or $KEEL_ARTIFACTS):
#   artifacts/packages/keel.<version>.nupkg   the `keel` .NET tool
#                                             (dotnet tool install --global keel --add-source artifacts/packages)
#   artifacts/bin/<rid>/keel[.exe]            self-contained single-file binaries, one per runtime
# Usage: build/publish.sh [rid ...]   (default: linux-x64 linux-arm64 osx-x64 osx-arm64 win-x64)
#        build/publish.sh --tool-only
# Binaries are not trimmed: System.CommandLine, ML.NET, the JSON serialisers and ASP.NET Core find
# types by reflection, which trimming would break.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${KEEL_ARTIFACTS:-$root/artifacts}"
project="$root/src/Keel.Cli/Keel.Cli.csproj"

tool_only=false
rids=()
for arg in "$@"; do
  case "$arg" in
    --tool-only) tool_only=true ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "publish.sh: unknown option '$arg' (use --tool-only or runtime identifiers such as linux-x64)" >&2; exit 2 ;;
    *) rids+=("$arg") ;;
  esac
done
if [ ${#rids[@]} -eq 0 ]; then rids=(linux-x64 linux-arm64 osx-x64 osx-arm64 win-x64); fi

step() { printf '==> %s\n' "$*"; }

step "packing the keel tool into $out/packages"
dotnet pack "$project" -c Release -o "$out/packages" -nologo -v q
ls -1 "$out/packages"/keel.*.nupkg

if $tool_only; then exit 0; fi

failed=()
for rid in "${rids[@]}"; do
  step "publishing the single-file binary for $rid into $out/bin/$rid"
  # IncludeAllContentForSelfExtract: the quickstart's data, the scorer runtime (scorer/) and native
  # libraries (DuckDB, ONNX Runtime, LightGBM) travel inside the one file and are extracted on first
  # run (to DOTNET_BUNDLE_EXTRACT_BASE_DIR, default ~/.net); code finds them via AppContext.BaseDirectory.
  if dotnet publish "$project" -c Release -r "$rid" --self-contained \
       -p:PublishSingleFile=true -p:IncludeAllContentForSelfExtract=true \
       -p:DebugType=none -o "$out/bin/$rid" -nologo -v q; then
    ls -l "$out/bin/$rid"
  else
    echo "publish.sh: publishing for $rid failed" >&2
    failed+=("$rid")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "publish.sh: failed for ${failed[*]}" >&2
  exit 1
fi
step "done: $out"
