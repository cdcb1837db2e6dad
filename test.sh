#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, tests, and prints
# "N passed, M failed" as its last line. Exit code 0 only when nothing failed.
set -euo pipefail
cd "$(dirname "$0")"

# Node.js + npm run the independent OCPP client (ocpp-rpc) used by the integration tests.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js and npm (Debian packages)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
# tzdata: the tariff engine reads the location's IANA time zone (Europe/Amsterdam in its tests) from /usr/share/zoneinfo.
if [ ! -d /usr/share/zoneinfo ]; then
  echo "Installing tzdata (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tzdata >/dev/null
fi
# systemd-analyze checks the shipped unit (deploy/evcloud.service) in the deployment test.
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "Installing systemd (Debian package, for systemd-analyze)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
fi
npm ci --prefix tests/ocpp-rpc --no-audit --no-fund --loglevel=error

# Restore exactly what the lock files (packages.lock.json) record: a changed package or a pin that no longer resolves
# to the locked version fails here instead of building something else.
if ! dotnet restore EvCloud.Fast.sln --locked-mode; then
  echo "0 passed, 1 failed"
  exit 1
fi

results="TestResults"
rm -rf "$results"
set +e
dotnet test EvCloud.Fast.sln -c Release --no-restore \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 5m \
  -- RunConfiguration.TreatNoTestsAsError=true
status=$?
set -e

passed=0; failed=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
not_run=$((total - passed - failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed without reporting a failed test: count it as one.
  failed=1
fi
if [ "$not_run" -gt 0 ]; then
  echo "$not_run test(s) did not run (skipped or aborted)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
