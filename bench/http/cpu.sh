#!/usr/bin/env bash
# CPU time per request of one bench server under wrk, after a warm-up: user and system µs
# per request for the whole process and for its main (JS) thread. Less sensitive to a
# shared machine's load than requests/second.
#
# Usage: bench/http/cpu.sh RUNTIME KIND [connections] [seconds]
#   e.g. bench/http/cpu.sh target/release/ferro hello 50 4
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1 KIND=$2 CONNS=${3:-50} SECONDS_EACH=${4:-4}
PORT=$((39400 + RANDOM % 500))
command -v wrk >/dev/null || { echo "bench/http needs wrk (apt-get install wrk)" >&2; exit 2; }
"$BIN" bench/http/servers.js "$KIND" "$PORT" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
script=()
[ "$KIND" = echo ] && script=(-s bench/http/echo.lua)
# The warm-up lets the JIT settle, so the measured run counts the steady state.
wrk -t1 -c"$CONNS" -d3s "${script[@]}" "http://127.0.0.1:$PORT/" >/dev/null
ticks() { awk '{ print $14, $15 }' "$1"; }
read -r u0 s0 < <(ticks /proc/$pid/stat)
read -r mu0 ms0 < <(ticks /proc/$pid/task/$pid/stat)
report=$(wrk -t1 -c"$CONNS" -d"${SECONDS_EACH}s" "${script[@]}" "http://127.0.0.1:$PORT/")
read -r u1 s1 < <(ticks /proc/$pid/stat)
read -r mu1 ms1 < <(ticks /proc/$pid/task/$pid/stat)
requests=$(awk '/requests in/ { print $1 }' <<<"$report")
rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$report")
awk -v n="$requests" -v r="$rps" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v mu=$((mu1 - mu0)) -v ms=$((ms1 - ms0)) \
  -v t="$(getconf CLK_TCK)" -v name="$(basename "$BIN")" -v kind="$KIND" \
  'BEGIN { printf "%s %s: %d req/s; user %.1f, sys %.1f us/request (main thread: user %.1f, sys %.1f)\n",
    name, kind, r, u / t * 1e6 / n, s / t * 1e6 / n, mu / t * 1e6 / n, ms / t * 1e6 / n }'
