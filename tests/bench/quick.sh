#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 600
#
# tests/bench/quick.sh: the benchmark harness runs end to end.
#
# Runs `make bench-quick` (one round of short tests) and checks only that
# every kind the harness found available produced a figure for every test,
# and that the run left no namespace, device or process behind.  It never
# judges a figure.
. "$(dirname "$0")/../lib.sh"

require_root
require ip ethtool ping iperf3 jq trafgen taskset clang make

out=$TMPD/quick
export BENCH_TAG=$T
log "make bench-quick (tag $T)"
make -C "$SRCDIR" --no-print-directory BUILD="$BUILD" BENCH_ROUNDS=1 \
    BENCH_QUICK_OUT="$out" bench-quick
rc=$?
[ -f "$out/kinds.tsv" ] || fail "bench-quick wrote no kinds.tsv (exit $rc)"
cat "$out/kinds.tsv"

# Every available kind has a figure for every test.
n_kinds=0
while IFS=$'\t' read -r kind status _; do
    [ "$status" = available ] || continue
    n_kinds=$((n_kinds + 1))
    for tm in ping/rtt_p50_us ping/rtt_p99_us pps64/offered_pps \
              pps64/delivered_pps pps1500/delivered_pps tcp1/gbps tcp4/gbps; do
        awk -F'\t' -v k="$kind" -v t="${tm%/*}" -v m="${tm#*/}" \
            '$1 == k && $3 == t && $4 == m && $5 != "" {f = 1} END {exit !f}' \
            "$out/raw.tsv" || fail "kind $kind: no figure for $tm"
    done
done < "$out/kinds.tsv"
[ "$n_kinds" -gt 0 ] || fail "no kind was available"
[ -s "$out/report.md" ] || fail "no report"
[ "$rc" = 0 ] || fail "bench-quick exited with $rc"

# Nothing left behind: namespaces (and with them every device: the
# harness makes devices only inside its namespaces), processes, run dir.
check_bench_run_clean "$out/pids.log"
log "ok: $n_kinds kinds measured, nothing left behind"
exit 0
