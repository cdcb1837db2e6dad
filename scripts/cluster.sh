#!/usr/bin/env bash
# Starts a local cluster on loopback: one nats-server with JetStream and N gateways (default 2), each with its own
# data directory under ./cluster-data (CLUSTER_DATA to change). Gateway i listens for OCPP on 8180+i and HTTP on
# 8080+i; its log is cluster-data/gw-i.log (its API key is printed there on the first start). Ctrl-C stops everything.
#   scripts/cluster.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-2}"
root="${CLUSTER_DATA:-./cluster-data}"
nats_port="${NATS_PORT:-4222}"
nats="$(command -v nats-server || true)"
[ -n "$nats" ] || nats=/usr/sbin/nats-server
if [ ! -x "$nats" ]; then
  echo "nats-server is not installed (Debian: apt-get install nats-server)" >&2
  exit 1
fi

dotnet build src/EvCloud.Fast.Host -c Release -nologo -v quiet
host_dll="src/EvCloud.Fast.Host/bin/Release/net10.0/EvCloud.Fast.Host.dll"
mkdir -p "$root/nats"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$nats" -a 127.0.0.1 -p "$nats_port" -js -sd "$root/nats" >"$root/nats.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break
  sleep 0.1
done

for i in $(seq 1 "$count"); do
  dotnet "$host_dll" \
    --Cluster:Role=gateway --Cluster:NodeId="gw-$i" --Cluster:Nats:Url="nats://127.0.0.1:$nats_port" \
    --Kestrel:Endpoints:Ocpp:Url="http://127.0.0.1:$((8180 + i))" \
    --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$((8080 + i))" \
    --Storage:DataDirectory="$root/gw-$i" >"$root/gw-$i.log" 2>&1 &
  pids+=("$!")
done

for i in $(seq 1 "$count"); do
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$((8080 + i))/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if curl -fs "http://127.0.0.1:$((8080 + i))/health/ready" >/dev/null 2>&1; then
    echo "gw-$i ready: ws://127.0.0.1:$((8180 + i))/ocpp/<id>, http://127.0.0.1:$((8080 + i)) (log $root/gw-$i.log)"
  else
    echo "gw-$i did not become ready; see $root/gw-$i.log" >&2
    exit 1
  fi
done
echo "nats-server on nats://127.0.0.1:$nats_port (store $root/nats). Ctrl-C stops the cluster."
wait
