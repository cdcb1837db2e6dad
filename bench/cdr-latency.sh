#!/usr/bin/env bash
# End-to-end CDR latency: StopTransaction → priced CDR durable and visible in the API, at a given rate of stops.
# Starts a fresh server (bench/server.sh), defines a 3-element tariff with restrictions as the default, runs the load
# tool's transactions profile open-loop (each cycle: Authorize, start, two meter values, stop = 5 CALLs, so
# --rate 5000 is 1,000 stops/s), then reads the server's evcloud.cdr.latency histogram from /metrics and writes
# perf-results/cdr-latency.md.
#   bench/cdr-latency.sh [stops-per-second] [duration]      default 1000 and 60s
set -euo pipefail
cd "$(dirname "$0")/.."
STOPS="${1:-1000}"
DURATION="${2:-60s}"
RATE=$((STOPS * 5))
OUT=perf-results
WORK=$(mktemp -d /tmp/evc-cdr-latency.XXXXXX)
KEY="evc_bench-admin-key-$(date +%s)"
HASH=$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)
export EVC_PID_FILE="$WORK/server.pid"
trap 'bench/server.sh stop || true' EXIT

dotnet build -c Release bench/EvCloud.Fast.Load -v q -nologo >/dev/null
bench/server.sh publish >/dev/null
Api__Keys__0__Name=bench Api__Keys__0__Role=Admin Api__Keys__0__Hash="sha256:$HASH" \
  bench/server.sh start "$WORK/data" "$WORK/server.log"

curl -fsS -X PUT -H "Authorization: Bearer $KEY" -H 'content-type: application/json' http://127.0.0.1:8080/api/v1/tariffs/BENCH-3 -d '{
  "country_code":"NL","party_id":"EVC","id":"BENCH-3","currency":"EUR","last_updated":"2026-11-01T00:00:00Z",
  "elements":[
    {"price_components":[{"type":"ENERGY","price":0.20,"vat":21.0,"step_size":1}],"restrictions":{"start_time":"23:00","end_time":"07:00"}},
    {"price_components":[{"type":"ENERGY","price":0.35,"vat":21.0,"step_size":1},{"type":"TIME","price":1.00,"vat":21.0,"step_size":60}],"restrictions":{"max_kwh":30.0}},
    {"price_components":[{"type":"ENERGY","price":0.30,"vat":21.0,"step_size":1},{"type":"PARKING_TIME","price":5.00,"vat":21.0,"step_size":300}],"restrictions":{"min_duration":1800}}]}' >/dev/null
curl -fsS -X PUT -H "Authorization: Bearer $KEY" -H 'content-type: application/json' http://127.0.0.1:8080/api/v1/tariff-assignments -d '{"tariffId":"BENCH-3"}' >/dev/null

LOAD=bench/EvCloud.Fast.Load/bin/Release/net10.0/EvCloud.Fast.Load
COMMAND="$LOAD transactions --chargers 1000 --rate $RATE --duration $DURATION --warmup 10s --metrics-url http://127.0.0.1:8080/metrics --server-pid $(cat "$EVC_PID_FILE") --out $WORK/transactions"
$COMMAND >"$WORK/load.log" 2>&1 || true

# Let the pipeline drain what the last seconds ended, then read the histogram.
sleep 2
curl -fsS http://127.0.0.1:8080/metrics > "$WORK/metrics.txt"
CDRS=$(curl -fsS -H "Authorization: Bearer $KEY" 'http://127.0.0.1:8080/api/v1/cdrs?limit=1' | head -c 300)

python3 - "$WORK/metrics.txt" "$OUT/cdr-latency.md" "$STOPS" "$DURATION" "$COMMAND" "$WORK/transactions.md" <<'PY'
import re, sys, subprocess, datetime
metrics, out, stops, duration, command, summary = sys.argv[1:7]
buckets = []
count = 0.0
total = 0.0
for line in open(metrics):
    m = re.match(r'evcloud_cdr_latency_milliseconds_bucket\{.*le="([^"]+)".*\} ([0-9.e+]+)', line)
    if m:
        buckets.append((float('inf') if m.group(1) == '+Inf' else float(m.group(1)), float(m.group(2))))
    m = re.match(r'evcloud_cdr_latency_milliseconds_count(\{.*\})? ([0-9.e+]+)', line)
    if m: count = float(m.group(2))
    m = re.match(r'evcloud_cdr_latency_milliseconds_sum(\{.*\})? ([0-9.e+]+)', line)
    if m: total = float(m.group(2))
def quantile(q):
    target = q * count
    for le, c in sorted(buckets):
        if c >= target: return le
    return float('inf')
commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
cpu = '; '.join(subprocess.run(['bash', '-c', "lscpu | grep -E 'Model name|^CPU\\(s\\)' | sed 's/  */ /g'"], capture_output=True, text=True).stdout.strip().splitlines())
p50, p99 = quantile(0.5), quantile(0.99)
verdict = 'met' if p99 <= 50 else '**missed**'
load = open(summary).read() if summary and __import__('os').path.exists(summary) else '(load tool summary missing)'
with open(out, 'w') as f:
    f.write(f"""# End-to-end CDR latency

StopTransaction (or TransactionEvent Ended) reaching the server → its priced CDR durable in the CDR store and visible
in `GET /api/v1/cdrs`, measured by the server's own `evcloud.cdr.latency` histogram (bucket bounds 0.01 … 1000 ms, so
the percentiles below are bucket upper bounds). Default tariff: 3 elements with time-of-day, max_kwh and min_duration
restrictions, ENERGY, TIME and PARKING_TIME components.

- Commit: `{commit}`, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- Machine: {cpu}; 24 GiB; load tool on the same machine
- Command: `bench/cdr-latency.sh {stops} {duration}` → `{command}`

| target | CDRs measured | mean | p50 ≤ | p99 ≤ | verdict |
|---|---|---|---|---|---|
| p99 ≤ 50 ms at {stops} stops/s | {int(count)} | {total / count if count else float('nan'):.1f} ms | {p50:g} ms | {p99:g} ms | {verdict} |

Histogram (cumulative count per upper bound, ms):

| ≤ ms | CDRs |
|---|---|
""" + ''.join(f"| {le:g} | {int(c)} |\n" for le, c in sorted(buckets)) + f"""
## Load tool summary of the same run

{load}
""")
print(f"{int(count)} CDRs, p50 <= {p50:g} ms, p99 <= {p99:g} ms ({verdict})")
PY
