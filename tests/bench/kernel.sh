#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 1500
#
# tests/bench/kernel.sh: the kernel-datapath benchmark runs end to end.
# Runs `make bench-kernel-quick` (one QEMU boot, one short round: our
# vswitchd on vswitch_dp.ko and Debian's ovs-vswitchd on openvswitch.ko)
# and checks only that both kinds produced a number for every test and
# that a report was written.  It never judges a figure.  The guest is
# thrown away at power-off (nothing of the run outlives it) and vmrun.sh
# leaves no qemu behind.
. "$(dirname "$0")/../lib.sh"

require_root
require make python3 qemu-system-x86_64 ovs-vswitchd ovs-ofctl ovs-dpctl
[ -f "$SRCDIR/datapath-kmod/vswitch_dp.ko" ] ||
    skip "datapath-kmod/vswitch_dp.ko not built (no kernel headers?)"

out=$TMPD/kernel
log "make bench-kernel-quick"
make -C "$SRCDIR" --no-print-directory BUILD="$BUILD" \
    BENCH_KERNEL_QUICK_OUT="$out" bench-kernel-quick
rc=$?
[ "$rc" = 77 ] && skip "no QEMU guest here (vmrun.sh)"
raw=$out/data/raw.tsv
[ -s "$raw" ] || fail "bench-kernel-quick wrote no raw.tsv (exit $rc)"
cat "$raw"
for kind in ovs-kernel ours-kernel; do
    for tm in setup/flows_per_s setup/megaflows setup/cpu_ms_per_kflow \
              setup/flow_mods_per_s pps/delivered_pps pps/cpu_pct; do
        awk -F'\t' -v k="$kind" -v t="${tm%/*}" -v m="${tm#*/}" \
            '$1 == k && $3 == t && $4 == m && $5 ~ /^[0-9.]+$/ {f = 1} END {exit !f}' \
            "$raw" || fail "kind $kind: no figure for $tm"
    done
done
[ -s "$out/report.md" ] || fail "no report"
grep -q '| flow setup rate, megaflows/s |' "$out/report.md" ||
    fail "report without the setup rate"
[ "$rc" = 0 ] || fail "bench-kernel-quick exited with $rc"
log "ok: both kinds measured"
exit 0
