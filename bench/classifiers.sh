#!/usr/bin/env bash
# Compares the nd4j-native builds (plain, -avx2, -onednn-avx2) on this machine: matmul GFLOP/s and
# a small conv net's training images/s, ROUNDS times each, interleaved (the machine is noisy).
# Usage: bench/classifiers.sh [ROUNDS]   -> JSON lines on stdout
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
for r in $(seq "$rounds"); do
  for c in linux-x86_64 linux-x86_64-avx2 linux-x86_64-onednn-avx2; do
    FASTDL4J_CLASSIFIER=$c "$ROOT/fastdl4j" common bench 2>/dev/null
  done
  FASTDL4J_CLASSIFIER=linux-x86_64-onednn-avx2 JAVA_OPTS="-Xmx8g -Dorg.eclipse.deeplearning4j.helpers.disable=false" \
    "$ROOT/fastdl4j" common bench 2>/dev/null | sed 's/"backend":"\([^"]*\)"/"backend":"\1+helpers"/'
done
