#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ and SharpFuzz, for a bounded time.
#   fuzz/run.sh <handshake|frame|ocppj|ocpp16|ocpp201|ocpp21> [seconds, default 300]
# Installs what it needs (the afl++ Debian package, the SharpFuzz.CommandLine dotnet tool), publishes the fuzz
# project, instruments EvCloud.Fast.Ocpp.dll, and runs afl-fuzz from fuzz/corpus/<target>. Findings go to
# fuzz/findings/<target> (not committed); the summary line and AFL++'s fuzzer_stats are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: fuzz/run.sh <handshake|frame|ocppj|ocpp16|ocpp201|ocpp21> [seconds]}"
seconds="${2:-300}"
if [ ! -d "fuzz/corpus/$target" ]; then
  echo "No corpus for target '$target' (fuzz/corpus/$target)" >&2
  exit 2
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "Installing AFL++ (Debian package afl++)"
  $SUDO apt-get update -qq
  $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi

tools="$HOME/.dotnet/tools"
export PATH="$PATH:$tools"
if ! command -v sharpfuzz >/dev/null 2>&1; then
  echo "Installing the SharpFuzz.CommandLine dotnet tool"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

out="fuzz/bin/$target"
rm -rf "$out"
dotnet publish fuzz/EvCloud.Fast.Fuzz -c Release -o "$out" --nologo -v quiet
# Only the gateway's code is instrumented: the BCL and FASTER would add paths that say nothing about our parsers.
sharpfuzz "$out/EvCloud.Fast.Ocpp.dll"

findings="fuzz/findings/$target"
rm -rf "$findings"
mkdir -p "$findings"

# dotnet is not an AFL-instrumented binary (SharpFuzz reports the coverage itself); 10 s per input covers the first
# one, which also composes the gateway and opens its storage (ocpp* targets); -V stops after the given seconds.
# The ocpp* targets open storage in a temporary directory; afl-fuzz ends the target with SIGKILL, so keep it here.
export TMPDIR="$PWD/$findings/tmp"
mkdir -p "$TMPDIR"
export AFL_SKIP_BIN_CHECK=1
export AFL_NO_UI=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_SKIP_CPUFREQ=1
export AFL_NO_AFFINITY=1
export AFL_AUTORESUME=0
export DOTNET_TieredPGO=0
set +e
afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 10000 -m none -V "$seconds" \
  dotnet "$out/EvCloud.Fast.Fuzz.dll" "$target" > "$findings/afl.log" 2>&1
status=$?
set -e

stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  echo "afl-fuzz did not start (exit $status); its log:" >&2
  tail -n 40 "$findings/afl.log" >&2
  exit 1
fi

grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|bitmap_cvg|stability|saved_crashes|saved_hangs)' "$stats"
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "$target: $(sed -n 's/^execs_done *: //p' "$stats") execs, $(sed -n 's/^corpus_count *: //p' "$stats") paths in the corpus, $crashes crash(es) in $findings/default/crashes"
if [ "$crashes" -gt 0 ]; then
  echo "Replay them (uninstrumented) with: dotnet run --project fuzz/EvCloud.Fast.Fuzz -c Release -- $target $findings/default/crashes/id:*"
fi
