#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 600
#
# tests/bench/vxlan.sh: the VXLAN overlay benchmark runs end to end.
#
# Runs `make bench-vxlan-quick` (one round of 2-second tests, kinds linux,
# ovs and ours) and checks only the harness: every kind produced every
# figure (TCP, 64-byte pps, CPU, RTT: a kind that cannot ping would be
# reported skipped, and that fails here), the report has its tables and
# ratios, and the run left no namespace, process or run directory behind.
# It never judges a figure.
. "$(dirname "$0")/../lib.sh"

require_root
require ip ethtool ping trafgen taskset iperf3 jq ss make \
    ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl ovs-ofctl
# The linux kind needs the kernel's vxlan driver.
probe=vsb-$T-vxtest
ip netns add "$probe" || fail "cannot create a namespace"
at_cleanup ip netns delete "$probe"
ip -n "$probe" link add vxt type vxlan id 42 dstport 4789 local 192.0.2.1 \
    2> /dev/null || skip "the kernel cannot create a vxlan device"
ip netns delete "$probe"

out=$TMPD/vx
export BENCH_TAG=$T
log "make bench-vxlan-quick (tag $T)"
make -C "$SRCDIR" --no-print-directory BUILD="$BUILD" \
    BENCH_VX_QUICK_OUT="$out" bench-vxlan-quick
rc=$?
[ -s "$out/raw.tsv" ] || fail "bench-vxlan-quick wrote no raw.tsv (exit $rc)"
cat "$out/raw.tsv"
report=$out/report.md
[ -s "$report" ] || fail "no report"
cat "$report"

has() {     # has KIND TEST/METRIC: a numeric figure in raw.tsv
    awk -F'\t' -v k="$1" -v t="${2%/*}" -v m="${2#*/}" \
        '$1 == k && $3 == t && $4 == m && $5 ~ /^-?[0-9.]+$/ {f = 1} END {exit !f}' \
        "$out/raw.tsv"
}
for kind in linux ovs ours; do
    for tm in status/measured tcp1/gbps tcp1/retransmits pps64/delivered_pps \
              pps64/offered_pps pps64/sys_cpu_s_per_mpkt ping/rtt_p50_us; do
        has "$kind" "$tm" || fail "kind $kind: no figure for $tm"
    done
done
for kind in ovs ours; do
    for tm in tcp1/sw_cpu_pct tcp1/sw_cpu_s_per_gbyte pps64/sw_cpu_s_per_mpkt; do
        has "$kind" "$tm" || fail "kind $kind: no figure for $tm"
    done
done
grep -q '^| linux | 1 |' "$report" || fail "report without the linux row"
grep -q '^| ovs | 1 |' "$report" || fail "report without the ovs row"
grep -q '^| ours | 1 |' "$report" || fail "report without the ours row"
grep -q '^| ours ÷ ovs |' "$report" || fail "report without the ratio ours ÷ ovs"
grep -qE '^\| ovs ÷ linux \| [0-9.]+× \| ' "$report" ||
    fail "report without the ratios ovs ÷ linux"
[ "$rc" = 0 ] || fail "bench-vxlan-quick exited with $rc"

check_bench_run_clean "$out/pids.log"
log "ok: linux, ovs and ours measured, nothing left behind"
exit 0
