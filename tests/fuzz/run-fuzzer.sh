#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run-fuzzer.sh BINARY: replay the target's regression inputs, then fuzz it
# for a bounded time (FUZZ_SECONDS, default 30) from its seed corpus.
# tests/fuzz/<target>/ holds the committed seeds and every crash ever found;
# new corpus entries go to a scratch folder, never into the tree.
set -eu
bin=$1
name=$(basename "$bin")
seeds=${VSWITCH_SRCDIR:-.}/tests/fuzz/$name
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$seeds"
if compgen -G "$seeds/*" > /dev/null; then
    "$bin" -runs=0 "$seeds"/*
fi
"$bin" -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work" "$seeds" || {
    rc=$?
    echo "fuzzer found a crash; inputs:"; ls -l "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
    for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
        [ -f "$f" ] && od -An -tx1 "$f" | head -n 20
    done
    exit $rc
}
