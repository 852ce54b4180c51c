#!/usr/bin/env bash
# Install speed, ferro vs npm, on the package set of crates/pm/tests/real_registry.rs:
#   cold:  empty cache, no lockfile, no node_modules
#   warm:  populated cache and lockfile, no node_modules
#   warm, no lockfile: populated cache, no lockfile, no node_modules
# One run of each. Needs the network (the npm registry) and a built ferro (FERRO=path, default
# target/release/ferro). Usage: bench/install/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
FERRO=${FERRO:-$PWD/target/release/ferro}
[ -x "$FERRO" ] || { echo "no ferro at $FERRO: run cargo build --release first" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is not installed" >&2; exit 1; }

work=$(mktemp -d /tmp/ferro-install-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
package_json='{"name":"bench","version":"1.0.0","dependencies":{"express":"^4","typescript":"*","react":"*","react-dom":"*","lodash":"*","chalk":"^5","ws":"*"}}'

now() { date +%s.%N; }
# time_it DIR COMMAND...: runs COMMAND in DIR, prints the seconds it took.
time_it() {
  local dir=$1; shift
  local start end
  start=$(now)
  (cd "$dir" && "$@" >"$work/last.out" 2>"$work/last.err") || { echo "failed: $*" >&2; cat "$work/last.err" >&2; exit 1; }
  end=$(now)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

npm_install() { npm install --cache "$work/npm-cache" --no-audit --no-fund --loglevel=error; }
ferro_install() { FERRO_CACHE_DIR="$work/ferro-cache" "$FERRO" install; }

for tool in npm ferro; do
  mkdir -p "$work/$tool"
  echo "$package_json" > "$work/$tool/package.json"
done

npm_cold=$(time_it "$work/npm" npm_install)
ferro_cold=$(time_it "$work/ferro" ferro_install)
summary=$(cat "$work/last.out")

rm -rf "$work/npm/node_modules" "$work/ferro/node_modules"
npm_warm=$(time_it "$work/npm" npm_install)
ferro_warm=$(time_it "$work/ferro" ferro_install)

rm -rf "$work/npm/node_modules" "$work/npm/package-lock.json" "$work/ferro/node_modules" "$work/ferro/ferro.lock"
npm_nolock=$(time_it "$work/npm" npm_install)
ferro_nolock=$(time_it "$work/ferro" ferro_install)

row() { awk -v name="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%-40s %9.2fs %9.2fs %8.1fx\n", name, a, b, a / b }'; }
echo "install of express@4 typescript react react-dom lodash chalk@5 ws (ferro: $summary)"
printf '%-40s %10s %10s %9s\n' "scenario" "npm" "ferro" "speedup"
row "cold cache, no lockfile" "$npm_cold" "$ferro_cold"
row "warm cache + lockfile, no node_modules" "$npm_warm" "$ferro_warm"
row "warm cache, no lockfile/node_modules" "$npm_nolock" "$ferro_nolock"
