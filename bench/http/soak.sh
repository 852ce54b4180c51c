#!/usr/bin/env bash
# Soak: the hello-world server under wrk (-c50, one thread) for a long run, sampling the
# server's RSS every 10 s. Prints the samples, the request rate and the growth of RSS
# between the end of the first minute (after warm-up) and the end.
#
# Usage: bench/http/soak.sh [seconds] [runtime]   (default 300 s, FERRO=target/release/ferro)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TOTAL="${1:-300}"
BIN="${2:-${FERRO:-target/release/ferro}}"
command -v wrk >/dev/null || { echo "bench/http needs wrk (apt-get install wrk)" >&2; exit 2; }
PORT=39124
"$BIN" bench/http/servers.js hello "$PORT" >/dev/null &
SERVER=$!
trap 'kill $SERVER $WRK 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
REPORT=$(mktemp)
wrk -t1 -c50 -d"${SECONDS_TOTAL}s" "http://127.0.0.1:$PORT/" >"$REPORT" &
WRK=$!
SAMPLES=()
for ((t = 10; t <= SECONDS_TOTAL; t += 10)); do
  sleep 10
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVER/status")
  SAMPLES+=("$rss")
  echo "t=${t}s rss=$((rss / 1024)) MB"
done
wait $WRK
echo "requests/s: $(awk '/Requests\/sec/ { print $2 }' "$REPORT")   errors: $(grep -c 'Non-2xx\|Socket errors' "$REPORT" || true)"
first=${SAMPLES[5]:-${SAMPLES[0]}}
last=${SAMPLES[-1]}
echo "rss after 1 min: $((first / 1024)) MB   at the end: $((last / 1024)) MB   growth: $(((last - first) / 1024)) MB"
# The server still answers a normal request after the soak.
curl -s "http://127.0.0.1:$PORT/" | head -c 40; echo
rm -f "$REPORT"
