#!/usr/bin/env bash
# node:net over loopback TCP (milliseconds per workload), ferro vs node (see bench/compare.sh). Target: ferro >= 1.0x node's speed on each line.
# Usage: bench/net/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
exec "$(dirname "$0")/../compare.sh" bench/net/bench.js 'ms' "$@"
