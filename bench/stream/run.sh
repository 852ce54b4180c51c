#!/usr/bin/env bash
# node:stream pipelines (milliseconds per workload), ferro vs node (see bench/compare.sh). Target: ferro >= 1.0x node's speed on each line.
# Usage: bench/stream/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
exec "$(dirname "$0")/../compare.sh" bench/stream/bench.js 'ms' "$@"
