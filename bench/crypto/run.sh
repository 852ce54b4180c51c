#!/usr/bin/env bash
# node:crypto hot paths (microseconds per operation), ferro vs node (see bench/compare.sh). Target: ferro >= 1.0x node's speed on each line.
# Usage: bench/crypto/run.sh [rounds]   (FERRO=target/release/ferro, NODE=<node 24> may be set)
exec "$(dirname "$0")/../compare.sh" bench/crypto/bench.js 'us/op' "$@"
