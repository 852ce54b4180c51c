#!/usr/bin/env bash
# Differential fixture runner.
#
# Usage: tests/run-fixtures.sh [filter]
#   JS_RUNTIME  runtime under test (default: target/release/ferro, relative to repo root)
#   JOBS        parallelism (default 2)
#   TIMEOUT     per-fixture timeout in seconds (default 10)
#
# A fixture is tests/fixtures/<area>/<name>.js (run as `$JS_RUNTIME <name>.js`)
# or tests/fixtures/<area>/<name>.sh (run as `bash <name>.sh` with JS_RUNTIME exported),
# always with the fixture's directory as cwd and stdin from /dev/null.
# Expectations:
#   <name>.out     exact stdout (missing file = empty stdout)
#   <name>.code    exit code (missing file = 0)
#   <name>.stderr  lines that must each appear somewhere in stderr: as a substring of
#                  some stderr line, or, when the line starts with "=", as an entire
#                  stderr line (the "=" is not part of the text). Blank lines are ignored.
# tests/known-failures lists fixtures ferro does not pass yet, each with the reason; they
# are counted as skipped while they fail, and reported when they start passing.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIXTURES="$ROOT/tests/fixtures"
FILTER="${1:-}"
JOBS="${JOBS:-2}"
TIMEOUT="${TIMEOUT:-10}"

RT="${JS_RUNTIME:-target/release/ferro}"
case "$RT" in
  /*) ;;
  */*) RT="$ROOT/$RT" ;;
  *) RT=$(command -v "$RT" || echo "$RT") ;;
esac
if [ ! -x "$RT" ]; then
  echo "run-fixtures: runtime not found or not executable: $RT" >&2
  exit 2
fi
export JS_RUNTIME="$RT" TIMEOUT

RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/ferro-fixtures.XXXXXX")
trap 'rm -rf "$RESULTS"' EXIT
export RESULTS

run_one() {
  local f="$1"
  local dir base ext name id work rc expected_code status=pass
  dir=$(dirname "$f"); base=$(basename "$f"); ext="${base##*.}"; name="${base%.*}"
  id="${f#"$FIXTURES"/}"; id="${id%.*}"
  work="$RESULTS/$(printf '%s' "$id" | tr '/' '_')"
  mkdir -p "$work"
  (
    cd "$dir" || exit 125
    if [ "$ext" = sh ]; then
      timeout -k 2 "$TIMEOUT" bash "$base"
    else
      timeout -k 2 "$TIMEOUT" "$JS_RUNTIME" "$base"
    fi
  ) </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  : >"$work/report"
  expected_code=0
  [ -f "$dir/$name.code" ] && expected_code=$(tr -d ' \n\r' <"$dir/$name.code")
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    status=fail; echo "  timed out after ${TIMEOUT}s (exit $rc)" >>"$work/report"
  elif [ "$rc" != "$expected_code" ]; then
    status=fail; echo "  exit code: expected $expected_code, got $rc" >>"$work/report"
  fi
  local expected_out="$dir/$name.out"
  [ -f "$expected_out" ] || expected_out=/dev/null
  if ! cmp -s "$expected_out" "$work/stdout"; then
    status=fail
    echo "  stdout differs (--- expected, +++ actual):" >>"$work/report"
    diff -u "$expected_out" "$work/stdout" | tail -n +3 | head -n 20 | sed 's/^/    /' >>"$work/report"
  fi
  if [ -f "$dir/$name.stderr" ]; then
    local line missing=0
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "$line" ] && continue
      local ok=0
      case "$line" in
        =*) grep -qxF -- "${line#=}" "$work/stderr" && ok=1 ;;
        *) grep -qF -- "$line" "$work/stderr" && ok=1 ;;
      esac
      if [ "$ok" = 0 ]; then
        [ "$missing" = 0 ] && echo "  stderr is missing expected lines:" >>"$work/report"
        missing=1; status=fail
        echo "    $line" >>"$work/report"
      fi
    done <"$dir/$name.stderr"
  fi
  if [ "$status" = fail ] && [ -s "$work/stderr" ]; then
    echo "  stderr (first 10 lines):" >>"$work/report"
    head -n 10 "$work/stderr" | sed 's/^/    /' >>"$work/report"
  fi
  printf '%s %s\n' "$status" "$id" >"$work/status"
}
export -f run_one
export FIXTURES

# Helper modules that are not fixtures themselves live in directories named _lib.
LIST=$(find "$FIXTURES" -type f \( -name '*.js' -o -name '*.sh' \) -not -path '*/_lib/*' | LC_ALL=C sort)
DUPS=$(printf '%s\n' "$LIST" | sed 's/\.[a-z]*$//' | LC_ALL=C sort | uniq -d)
if [ -n "$DUPS" ]; then
  echo "run-fixtures: fixtures must have unique names (a .js and a .sh share a stem):" >&2
  printf '  %s\n' $DUPS >&2
  exit 2
fi
if [ -n "$FILTER" ]; then
  LIST=$(printf '%s\n' "$LIST" | while IFS= read -r f; do
    case "${f#"$FIXTURES"/}" in *"$FILTER"*) printf '%s\n' "$f" ;; esac
  done)
fi
if [ -z "$LIST" ]; then
  echo "0 passed, 0 failed"
  exit 1
fi

printf '%s\n' "$LIST" | tr '\n' '\0' | xargs -0 -n 1 -P "$JOBS" bash -c 'run_one "$1"' _

KNOWN="$ROOT/tests/known-failures"
is_known() { [ -f "$KNOWN" ] && grep -q "^$1 " "$KNOWN"; }

passed=0; failed=0; skipped=0
while IFS= read -r f; do
  id="${f#"$FIXTURES"/}"; id="${id%.*}"
  w="$RESULTS/$(printf "%s" "$id" | tr "/" "_")"
  s="$w/status"
  if [ ! -f "$s" ]; then failed=$((failed + 1)); echo "FAIL $id"; echo "  (runner produced no result)"; continue; fi
  read -r status id <"$s"
  if [ "$status" = pass ]; then
    passed=$((passed + 1))
    is_known "$id" && echo "NOW PASSES $id (remove it from tests/known-failures)"
  elif is_known "$id"; then
    skipped=$((skipped + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $id"
    cat "$w/report"
  fi
done <<<"$LIST"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
