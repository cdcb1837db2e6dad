#!/usr/bin/env bash
# Runs the benchmark suite and the standard load runs, and regenerates perf-results/load/README.md (figures,
# verdicts against the targets, plots). Loopback only; every run is bounded (--max-duration); the server this
# script starts is stopped on exit, whatever happens.
#
#   bench/run-all.sh                  full: steady 10 min, stress 60 s, storm, 100k restart, BenchmarkDotNet suite
#   bench/run-all.sh --quick          same runs, shorter: steady 2 min, the rest 30 s, no BenchmarkDotNet
#   bench/run-all.sh --skip-benchmarks   the load runs only
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full; BENCH=1
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick; BENCH=0 ;;
    --skip-benchmarks) BENCH=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

if [ "$MODE" = full ]; then STEADY=600s; WINDOW=60s; else STEADY=120s; WINDOW=30s; fi
FLEET=${FLEET:-19000}          # chargers held by one server process (its limit: 20,000 open files)
STRESS_CHARGERS=${STRESS_CHARGERS:-200}
POPULATE=${POPULATE:-100000}
OUT=perf-results/load
DATA=$(mktemp -d /tmp/evcloud-load.XXXXXX)
LOG="$OUT/server.log"
LOAD=bench/EvCloud.Fast.Load/bin/Release/net10.0/EvCloud.Fast.Load
METRICS=http://127.0.0.1:8080/metrics
export EVC_PID_FILE="$DATA/server.pid"

cleanup() { bench/server.sh stop || true; rm -rf "$DATA"; }
trap cleanup EXIT

ulimit -n 20000
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.md "$OUT"/*.svg "$OUT"/*.txt "$LOG"

bench/server.sh publish
dotnet build -c Release bench/EvCloud.Fast.Load -v q -nologo

{
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+uncommitted')"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "mode=$MODE"
  echo "durations=steady $STEADY, rate/stress/transactions $WINDOW, fleet $FLEET, stress $STRESS_CHARGERS chargers, populate $POPULATE"
  echo "command=bench/run-all.sh $*"
} > "$OUT/run.txt"
lscpu | head -15 > "$OUT/machine.txt"
echo "Memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

fresh_server() { bench/server.sh stop; rm -rf "$DATA/data"; bench/server.sh start "$DATA/data" "$LOG"; }
pid() { bench/server.sh pid; }

# 1. Server memory per idle charger (the idle scenario: warm-up, then 19k booted chargers idling).
fresh_server
"$LOAD" idle --chargers "$FLEET" --ramp 2000 --hold 40s --settle 20s --prefix IDLE- --source-ips 127.0.0.2,127.0.0.3 \
  --warmup 2000 --induce-gc --server-pid "$(pid)" --health-url http://127.0.0.1:8080/health --quiet \
  --max-duration 5m --out "$OUT/idle.json" || true

# 2. Steady profile, the whole fleet, for $STEADY.
fresh_server
"$LOAD" steady --chargers "$FLEET" --ramp 2000 --duration "$STEADY" --warmup 10s --metrics-url "$METRICS" --server-pid "$(pid)" \
  --max-duration 20m --quiet --out "$OUT/steady" || true

# 3. The whole fleet connected, 5,000 CALLs/s (steady mix: heartbeats, meter values of the charging quarter).
fresh_server
"$LOAD" steady --chargers "$FLEET" --ramp 2000 --rate 5000 --duration "$WINDOW" --warmup 10s --metrics-url "$METRICS" --server-pid "$(pid)" \
  --max-duration 10m --quiet --prefix RATE- --out "$OUT/steady-rate" || true

# 4. Stress: closed loop, each charger's next CALL as soon as the last is answered.
fresh_server
"$LOAD" stress --chargers "$STRESS_CHARGERS" --duration "$WINDOW" --warmup 5s --metrics-url "$METRICS" --server-pid "$(pid)" \
  --max-duration 5m --quiet --prefix STRESS- --out "$OUT/stress" || true

# 5. Transactions: authorize, start, two meter values, stop, again (durable messages, group commit).
fresh_server
"$LOAD" transactions --chargers 1000 --duration "$WINDOW" --warmup 5s --metrics-url "$METRICS" --server-pid "$(pid)" \
  --max-duration 5m --quiet --prefix TX- --out "$OUT/transactions" || true

# 6. Storm: the fleet up, every connection dropped, the server restarted, every charger reconnecting at once.
fresh_server
"$LOAD" storm --chargers "$FLEET" --ramp 2000 --duration 10s --restart-cmd "bench/server.sh restart" \
  --max-duration 10m --quiet --prefix STORM- --out "$OUT/storm" || true

# 7. 100k chargers' state, then a restart: time from process start to listening with state recovered.
fresh_server
"$LOAD" populate --chargers "$POPULATE" --ramp 2500 --window 2000 --max-duration 15m --quiet --prefix POP- --out "$OUT/populate" || true
bench/server.sh stop
: > "$LOG.restart"
bench/server.sh start "$DATA/data" "$LOG.restart"
{
  echo "listening_ms=$(sed -n 's/.*Listening \([0-9]*\) ms after process start.*/\1/p' "$LOG.restart" | tail -1)"
  echo "recovery=$(grep -o 'Storage ready in [^:]*: .*' "$LOG.restart" | tail -1 | sed 's/.*Duration = \([0-9:.]*\).*/\1/')"
  echo "storage_line=$(grep -o 'RecoveryStats {.*}' "$LOG.restart" | tail -1)"
  echo "data_size=$(du -sh "$DATA/data" | cut -f1)"
} > "$OUT/restart.txt"
cat "$LOG.restart" >> "$LOG"; rm -f "$LOG.restart"
bench/server.sh stop

# 8. BenchmarkDotNet suite and the allocation budgets (full mode).
if [ "$BENCH" = 1 ]; then
  dotnet test tests/EvCloud.Fast.Benchmarks.Tests -c Release -nologo
  dotnet run -c Release --project bench/EvCloud.Fast.Benchmarks -- --filter '*' --job short --artifacts perf-results/benchmarkdotnet
fi

"$LOAD" results "$OUT"
rm -f "$LOG"
