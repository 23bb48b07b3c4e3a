#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 600
#
# tests/bench/openflow.sh: the OpenFlow flow-table benchmark runs end to
# end.  Runs `make bench-openflow-quick` (2,000 flows, one round) and
# checks only that every available switch got a figure for every test
# (add, dump, del, bytes per flow), that a report was written, and that
# the run left no namespace, process or run directory behind.  It never
# judges a figure.
. "$(dirname "$0")/../lib.sh"

require_root
require ip make awk

out=$TMPD/of
export BENCH_TAG=$T
log "make bench-openflow-quick (tag $T)"
make -C "$SRCDIR" --no-print-directory BUILD="$BUILD" \
    OF_BENCH_QUICK_OUT="$out" bench-openflow-quick
rc=$?
[ -f "$out/kinds.tsv" ] || fail "bench-openflow-quick wrote no kinds.tsv (exit $rc)"
cat "$out/kinds.tsv"

n_kinds=0
while IFS=$'\t' read -r kind status _; do
    [ "$status" = available ] || continue
    n_kinds=$((n_kinds + 1))
    for m in add_s add_cpu_s dump_s del_s rss_bytes_per_flow pss_bytes_per_flow; do
        awk -F'\t' -v k="$kind" -v m="$m" \
            '$1 == k && $4 == m && $5 ~ /^[0-9.]+$/ {f = 1} END {exit !f}' \
            "$out/raw.tsv" || fail "switch $kind: no figure for $m"
    done
done < "$out/kinds.tsv"
[ "$n_kinds" -gt 0 ] || fail "no switch was available"
grep -q '^| ours' "$out/report.md" || fail "no report with our figures"
[ "$rc" = 0 ] || fail "bench-openflow-quick exited with $rc"

check_bench_run_clean "$out/pids.log"
log "ok: $n_kinds switches measured, nothing left behind"
exit 0
