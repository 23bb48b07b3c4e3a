#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm/kernel-vxlan-bench.sh: `make bench-kernel-vxlan`, the host side
# of the kernel-datapath VXLAN benchmark: our vswitchd + ovsdb-lite on
# vswitch_dp.ko against Debian's ovs-vswitchd + ovsdb-server on
# openvswitch.ko, VM to VM over VXLAN VNI 42 between two hypervisor
# namespaces, in ONE QEMU boot (bench/kernel-vxlan.sh runs in the guest).
#
#   bench/vm/kernel-vxlan-bench.sh [--quick] [--rounds N] [--out DIR]
#                                  [--report FILE.md]
#
# Default: 3 rounds (BENCH_ROUNDS), raw data under
# bench/results/raw/kernel-vxlan-<date>/ (not committed), report
# bench/results/kernel-vxlan-<date>.md (bench/kernel-vxlan-report.py).
# --quick: 1 round of 2 s windows (the check-bench smoke test).  The
# module must be built (make kmod) and so must the daemons (make).  The
# host's load averages are sampled every 30 s into the report.  Exit
# status: the guest's (0 when every kind was measured in every round;
# figures are never judged), 1 without data.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
vmrun=${BENCH_VMRUN:-$src/tests/kmod/vmrun.sh}
quick=0
rounds=${BENCH_ROUNDS:-}
out=""
report=""
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --rounds) rounds=$2; shift ;;
    --out) out=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n "4,20p" "$0"; exit 0 ;;
    *) sed -n "4,20p" "$0" >&2; exit 2 ;;
    esac
    shift
done
[ -f "$src/datapath-kmod/vswitch_dp.ko" ] ||
    { echo "bench-kernel-vxlan: run make kmod first" >&2; exit 1; }
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$src/$BUILD ;; esac
export BUILD
[ -x "$BUILD/vswitchd/vswitchd" ] ||
    { echo "bench-kernel-vxlan: run make first ($BUILD/vswitchd/vswitchd)" >&2; exit 1; }
date=$(date -u +%Y%m%d-%H%M%S)
out=${out:-$src/bench/results/raw/kernel-vxlan-$date}
report=${report:-$src/bench/results/kernel-vxlan-$date.md}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
args=(--out "$out/data")
[ "$quick" = 1 ] && args+=(--quick)
[ -n "$rounds" ] && args+=(--rounds "$rounds")
timeout=2400
[ "$quick" = 1 ] && timeout=900

sample_load() {     # host load averages every 30 s, bounded
    local i
    for ((i = 0; i <= timeout / 30; i++)); do
        echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"
        sleep 30
    done
}
sample_load > "$out/host-load.txt" &
sampler=$!
trap 'kill "$sampler" 2> /dev/null' EXIT

cd "$src" || exit 2
"$vmrun" --timeout "$timeout" --mem "${BENCH_VM_MEM:-2048}" --out "$out" \
    bench/kernel-vxlan.sh "${args[@]}" 2>&1 | tr -d '\r' | tee "$out/guest.log"
rc=${PIPESTATUS[0]}
kill "$sampler" 2> /dev/null
wait "$sampler" 2> /dev/null
echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) (end)" >> "$out/host-load.txt"
echo "$rc" > "$out/data/rc" 2> /dev/null
if [ ! -s "$out/data/raw.tsv" ]; then
    echo "bench-kernel-vxlan: the guest produced no data (exit $rc); see $out/guest.log" >&2
    exit 1
fi
cp "$out/host-load.txt" "$out/data/"
python3 "$src/bench/kernel-vxlan-report.py" "$out/data" "$report" || rc=1
echo "bench-kernel-vxlan: report $report, raw data $out"
exit "$rc"
