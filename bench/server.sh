#!/usr/bin/env bash
# Starts, stops and restarts the gateway for load runs: the host published as a production deployment would be
# (Release, ReadyToRun: precompiled, so start-up and recovery are not spent in the JIT), loopback listeners (OCPP :8180,
# HTTP :8080), settings that keep a long idle run quiet (pings every 5 min) and accept the load tool's tokens.
#   bench/server.sh publish                  dotnet publish of the host into bench/out/host (run it after a change)
#   bench/server.sh start <data-dir> <log>   prints nothing; the pid goes to $EVC_PID_FILE
#   bench/server.sh stop                     SIGTERM (graceful: final checkpoint), waits up to 60 s, then SIGKILL
#   bench/server.sh restart                  stop, then start on the same data directory and log (appended)
set -euo pipefail
cd "$(dirname "$0")/.."
PID_FILE="${EVC_PID_FILE:-/tmp/evcloud-load-server.pid}"
STATE_FILE="$PID_FILE.args"
HOST_DIR=bench/out/host
HOST_BIN=$HOST_DIR/EvCloud.Fast.Host

wait_listening() {
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null http://127.0.0.1:8080/health; then return 0; fi
    sleep 0.1
  done
  echo "server did not answer /health within 60 s" >&2
  return 1
}

publish() {
  local rid; rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)"
  dotnet publish src/EvCloud.Fast.Host -c Release -r "${rid:-linux-x64}" --self-contained false -p:PublishReadyToRun=true \
    -o "$HOST_DIR" -v q -nologo
}

start() {
  local data="$1" log="$2"
  [ -x "$HOST_BIN" ] || { echo "no published host at $HOST_BIN: run bench/server.sh publish" >&2; return 1; }
  echo "$data $log" > "$STATE_FILE"
  # One fd per charger: 19,000 chargers need the 20,000 this machine allows.
  ulimit -n 20000
  "$HOST_BIN" --Storage:DataDirectory="$data" \
    --Kestrel:Endpoints:Http:Url=http://127.0.0.1:8080 --Kestrel:Endpoints:Ocpp:Url=http://127.0.0.1:8180 \
    --Ocpp:PingInterval=00:05:00 --Ocpp:IdleTimeout=00:10:00 \
    --Ocpp:Authorization:UnknownTokens=Accepted --Ocpp:Authorization:AllowConcurrentTransactions=true \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:EvCloud.Fast.Host=Information \
    >> "$log" 2>&1 &
  echo $! > "$PID_FILE"
  wait_listening
}

stop() {
  [ -f "$PID_FILE" ] || return 0
  local pid; pid=$(cat "$PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  publish) publish ;;
  start) start "$2" "$3" ;;
  stop) stop ;;
  restart) read -r data log < "$STATE_FILE"; stop; start "$data" "$log" ;;
  pid) cat "$PID_FILE" ;;
  *) echo "usage: $0 publish | start <data-dir> <log> | stop | restart | pid" >&2; exit 2 ;;
esac
