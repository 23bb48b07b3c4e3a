#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm/kernel-bench.sh: `make bench-kernel`, the host side of the
# kernel-datapath benchmark (issue 11): our vswitchd + ovsdb-lite on
# vswitch_dp.ko against Debian's ovs-vswitchd + ovsdb-server on
# openvswitch.ko, in ONE QEMU boot (bench/kernel.sh runs in the guest).
#
#   bench/vm/kernel-bench.sh [--quick] [--rounds N] [--flows N]
#                            [--setup-secs S] [--ours-handlers N]
#                            [--out DIR]
#                            [--report FILE.md] [--readme]
#
# Default: 3 rounds (~15 min under TCG on an idle host, twice that
# under a load of 10), raw data under
# bench/results/raw/kernel-<date>/ (not committed), report
# bench/results/kernel-<date>.md; --readme also replaces the kernel
# table of bench/README.md.  --quick: 1 round, 300 flows, 2 s windows
# (~5 min, the check-bench smoke test).  The module must be built (make
# kmod) and so must the daemons (make).  The host's load averages are
# sampled every 30 s during the run into the report: other engineers'
# QEMU guests share this machine.  Exit status: the guest's (0 when
# every kind was measured; figures are never judged), 1 without data.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
vmrun=${BENCH_VMRUN:-$src/tests/kmod/vmrun.sh}
quick=0
rounds=${BENCH_ROUNDS:-}
out=""
report=""
readme=0
extra=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --rounds) rounds=$2; shift ;;
    --flows|--setup-secs|--ours-handlers) extra+=("$1" "$2"); shift ;;
    --out) out=$2; shift ;;
    --report) report=$2; shift ;;
    --readme) readme=1 ;;
    -h|--help) sed -n "4,23p" "$0"; exit 0 ;;
    *) sed -n "4,23p" "$0" >&2; exit 2 ;;
    esac
    shift
done
[ -f "$src/datapath-kmod/vswitch_dp.ko" ] ||
    { echo "bench-kernel: run make kmod first" >&2; exit 1; }
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$src/$BUILD ;; esac
export BUILD
[ -x "$BUILD/vswitchd/vswitchd" ] ||
    { echo "bench-kernel: run make first ($BUILD/vswitchd/vswitchd)" >&2; exit 1; }
date=$(date -u +%Y%m%d-%H%M%S)
out=${out:-$src/bench/results/raw/kernel-$date}
report=${report:-$src/bench/results/kernel-$date.md}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
args=(--out "$out/data")
[ "$quick" = 1 ] && args+=(--quick)
[ -n "$rounds" ] && args+=(--rounds "$rounds")
args+=("${extra[@]}")
timeout=3000
[ "$quick" = 1 ] && timeout=1200

# Host load averages, every 30 s while the guest runs (bounded by the
# guest's timeout).
sample_load() {
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
# The guest sees the host's files read-only, except --out (vmrun's
# shared dir, mounted at the same path), where bench/kernel.sh writes.
"$vmrun" --timeout "$timeout" --mem "${BENCH_VM_MEM:-2048}" --out "$out" \
    bench/kernel.sh "${args[@]}" 2>&1 | tr -d '\r' | tee "$out/guest.log"
rc=${PIPESTATUS[0]}
kill "$sampler" 2> /dev/null
wait "$sampler" 2> /dev/null
echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) (end)" >> "$out/host-load.txt"
echo "$rc" > "$out/data/rc" 2> /dev/null
if [ ! -s "$out/data/raw.tsv" ]; then
    echo "bench-kernel: the guest produced no data (exit $rc); see $out/guest.log" >&2
    exit 1
fi
cp "$out/host-load.txt" "$out/data/"
ra=()
[ "$readme" = 1 ] && ra=(--readme "$src/bench/README.md")
python3 "$src/bench/kernel-report.py" "$out/data" "$report" "${ra[@]}" || rc=1
echo "bench-kernel: report $report, raw data $out"
exit "$rc"
