#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 600
#
# tests/bench/vxlan.sh: the VXLAN overlay benchmark runs end to end.
#
# Runs `make bench-vxlan-quick` (one round of 2-second tests, kinds linux,
# ovs and ours) and checks only the harness: linux and ovs each produced
# every figure (TCP, 64-byte pps, CPU, RTT), every kind is either measured
# or reported "no connectivity, skipped" (never a made-up figure), the
# report has its tables, and the run left no namespace, process or run
# directory behind.  It never judges a figure.  VXLAN_REQUIRE_OURS=1:
# ours must be measured too (once our VXLAN ports have landed).
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
for kind in linux ovs; do
    for tm in status/measured tcp1/gbps tcp1/retransmits pps64/delivered_pps \
              pps64/offered_pps pps64/sys_cpu_s_per_mpkt ping/rtt_p50_us; do
        has "$kind" "$tm" || fail "kind $kind: no figure for $tm"
    done
done
for tm in tcp1/sw_cpu_pct tcp1/sw_cpu_s_per_gbyte pps64/sw_cpu_s_per_mpkt; do
    has ovs "$tm" || fail "kind ovs: no figure for $tm"
done
# ours: measured, or skipped with the line, and then not a single figure.
if has ours status/measured; then
    has ours tcp1/gbps && has ours pps64/delivered_pps ||
        fail "kind ours measured but without figures"
    log "kind ours: measured"
else
    [ "${VXLAN_REQUIRE_OURS:-0}" = 1 ] && fail "kind ours was not measured (VXLAN_REQUIRE_OURS=1)"
    grep -q '^\* round 1: kind ours: .*skipped' "$report" ||
        fail "kind ours neither measured nor reported skipped"
    awk -F'\t' '$1 == "ours" && $3 != "status" && $3 != "load" && $3 != "order" {f = 1}
                END {exit f}' "$out/raw.tsv" || fail "kind ours skipped but has figures"
    log "kind ours: $(grep -m 1 'kind ours:' "$report")"
fi
grep -q '^| linux | 1 |' "$report" || fail "report without the linux row"
grep -q '^| ovs | 1 |' "$report" || fail "report without the ovs row"
grep -q '^| ours ÷ ovs |' "$report" || fail "report without the ratio ours ÷ ovs"
grep -qE '^\| ovs ÷ linux \| [0-9.]+× \| ' "$report" ||
    fail "report without the ratios ovs ÷ linux"
[ "$rc" = 0 ] || fail "bench-vxlan-quick exited with $rc"

check_bench_run_clean "$out/pids.log"
log "ok: linux and ovs measured, ours measured or skipped, nothing left behind"
exit 0
