#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 600
#
# tests/bench/slowpath.sh: the slow-path benchmark runs end to end.
#
# Runs `make bench-slowpath-quick` (one short round: 1,000 flows for the
# setup rate, the ACL pipeline, one throughput configuration) and checks
# only that each kind produced a number for every test and that a report
# was written, and that the run left no namespace or process behind.  It
# never judges a figure.
. "$(dirname "$0")/../lib.sh"

require_root
require ip ethtool ping trafgen taskset make ovs-vswitchd ovs-ofctl

out=$TMPD/sp
export BENCH_TAG=$T
log "make bench-slowpath-quick (tag $T)"
make -C "$SRCDIR" --no-print-directory BUILD="$BUILD" \
    BENCH_SP_QUICK_OUT="$out" bench-slowpath-quick
rc=$?
[ -s "$out/raw.tsv" ] || fail "bench-slowpath-quick wrote no raw.tsv (exit $rc)"
cat "$out/raw.tsv"
for kind in ovs-netdev ours; do
    for tm in setup/flows_per_s setup/megaflows acl/megaflows acl/masks \
              acl/hit_pct tput-100x10/delivered_pps tput-100x10/masks; do
        awk -F'\t' -v k="$kind" -v t="${tm%/*}" -v m="${tm#*/}" \
            '$1 == k && $3 == t && $4 == m && $5 ~ /^[0-9.]+$/ {f = 1} END {exit !f}' \
            "$out/raw.tsv" || fail "kind $kind: no figure for $tm"
    done
done
[ -s "$out/report.md" ] || fail "no report"
grep -q '| setup | flows_per_s |' "$out/report.md" || fail "report without the setup rate"
[ "$rc" = 0 ] || fail "bench-slowpath-quick exited with $rc"

check_bench_run_clean "$out/pids.log"
log "ok: both kinds measured, nothing left behind"
exit 0
