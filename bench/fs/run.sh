#!/usr/bin/env bash
# fs workloads (milliseconds), ferro vs node (see bench/compare.sh): 10,000 small files read
# with fs.promises.readFile, a big file copied with stream pipeline (BIG_MB, default 1024),
# readFileSync of 100 MB, readdir of 50,000 entries, readline over LINES_MB (default 200) of
# text. Target: ferro >= 1.0x node's speed on each line.
# Usage: bench/fs/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_FS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ferro-bench-fs.XXXXXX")
export BENCH_FS_DIR
trap 'rm -rf "$BENCH_FS_DIR"' EXIT
mkdir -p "$BENCH_FS_DIR/small" "$BENCH_FS_DIR/many"
for i in $(seq 10000); do printf 'small file %d\n' "$i" >"$BENCH_FS_DIR/small/$i.txt"; done
(cd "$BENCH_FS_DIR/many" && seq 50000 | xargs touch)
head -c "$(( ${BIG_MB:-1024} * 1048576 ))" /dev/zero >"$BENCH_FS_DIR/big.bin"
head -c 104857600 /dev/zero >"$BENCH_FS_DIR/hundred.bin"
{ yes 'a line of text for readline to split, about sixty bytes long' || true; } | head -c "$(( ${LINES_MB:-200} * 1048576 ))" >"$BENCH_FS_DIR/lines.txt"
bench/compare.sh bench/fs/bench.js ms "${1:-3}"
