#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 900
#
# tests/bench/kernel-vxlan.sh: the kernel-datapath VXLAN benchmark runs
# end to end.  Runs `make bench-kernel-vxlan-quick` (one QEMU boot, one
# short round: our vswitchd on vswitch_dp.ko and Debian's ovs-vswitchd on
# openvswitch.ko, VM to VM over VXLAN VNI 42 between two hypervisor
# namespaces) and checks only that both kinds could ping and produced a
# number for every test, with no underlay fragments, and that a report
# was written.  It never judges a figure.  The guest is thrown away at
# power-off and vmrun.sh leaves no qemu behind.
. "$(dirname "$0")/../lib.sh"

require_root
require make python3 qemu-system-x86_64 ovs-vswitchd ovs-ofctl ovs-dpctl iperf3
[ -f "$SRCDIR/datapath-kmod/vswitch_dp.ko" ] ||
    skip "datapath-kmod/vswitch_dp.ko not built (no kernel headers?)"

out=$TMPD/kernel-vxlan
log "make bench-kernel-vxlan-quick"
make -C "$SRCDIR" --no-print-directory BUILD="$BUILD" \
    BENCH_KVX_QUICK_OUT="$out" bench-kernel-vxlan-quick
rc=$?
[ "$rc" = 77 ] && skip "no QEMU guest here (vmrun.sh)"
raw=$out/data/raw.tsv
[ -s "$raw" ] || fail "bench-kernel-vxlan-quick wrote no raw.tsv (exit $rc)"
cat "$raw"
[ -s "$out/data/skipped.txt" ] && { cat "$out/data/skipped.txt"; fail "a kind was skipped"; }
for kind in ovs-kernel ours-kernel; do
    for tm in status/measured tcp1/gbps tcp1/sw_cpu_s_per_gbyte \
              pps64/delivered_pps pps64/sw_cpu_s_per_mpkt ping/rtt_p50_us; do
        awk -F'\t' -v k="$kind" -v t="${tm%/*}" -v m="${tm#*/}" \
            '$1 == k && $3 == t && $4 == m && $5 ~ /^[0-9.]+$/ {f = 1} END {exit !f}' \
            "$raw" || fail "kind $kind: no figure for $tm"
    done
    awk -F'\t' -v k="$kind" '$1 == k && $3 == "tcp1" && $4 == "underlay_frags" && $5 == 0 {f = 1}
        END {exit !f}' "$raw" || fail "kind $kind: the underlay fragmented"
done
[ -s "$out/report.md" ] || fail "no report"
grep -q '| TCP vm1 → vm2, 1 stream, Gbit/s |' "$out/report.md" ||
    fail "report without the TCP row"
[ "$rc" = 0 ] || fail "bench-kernel-vxlan-quick exited with $rc"
log "ok: both kinds measured"
exit 0
