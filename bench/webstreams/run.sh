#!/usr/bin/env bash
# Web streams hot paths (microseconds per chunk), ferro vs node (see bench/compare.sh). Target: ferro >= 1.0x node's speed on each line.
# Usage: bench/webstreams/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
exec "$(dirname "$0")/../compare.sh" bench/webstreams/bench.js 'us/chunk' "$@"
