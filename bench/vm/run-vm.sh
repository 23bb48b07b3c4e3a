#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm/run-vm.sh: `make bench-vm`, the host side.
#
#   bench/vm/run-vm.sh [bench/run.sh options...]
#
# Boots a QEMU guest with tests/kmod/vmrun.sh (override: $BENCH_VMRUN),
# runs bench/vm/guest-bench.sh in it, rebuilds the run's data from the
# guest's output under bench/results/raw/vm-<date>/ and writes
# bench/results/vm-<date>.md + .png (ratios to ovs-kernel and to
# xdp-limit), and the latest VM table in bench/README.md.
#
# Knobs: BENCH_VM_TIMEOUT (s, default 3600), BENCH_VM_MEM (MB, default
# 2048), BENCH_ROUNDS.  Under TCG only ratios within one boot mean
# anything.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
vmrun=${BENCH_VMRUN:-$src/tests/kmod/vmrun.sh}
if [ ! -x "$vmrun" ]; then
    echo "bench-vm: no VM runner $vmrun yet; the guest side is ready:" >&2
    echo "  $vmrun bench/vm/guest-bench.sh $src" >&2
    exit 77
fi
date=$(date -u +%Y%m%d-%H%M%S)
out=$src/bench/results/raw/vm-$date
report=$src/bench/results/vm-$date.md
mkdir -p "$out"
args=("$src")
[ -n "${BENCH_ROUNDS:-}" ] && args+=(--rounds "$BENCH_ROUNDS")
cd "$src" || exit 2
# The runner keeps its cache under $BUILD: make it ours, absolute.
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$src/$BUILD ;; esac
export BUILD
"$vmrun" --timeout "${BENCH_VM_TIMEOUT:-3600}" --mem "${BENCH_VM_MEM:-2048}" \
    --out "$out/vmrun" \
    bench/vm/guest-bench.sh "${args[@]}" "$@" 2>&1 | tee "$out/guest.log"
rc=${PIPESTATUS[0]}
for f in env.txt kinds.tsv raw.tsv; do
    awk -v b="===VSB-FILE $f===" -v e="===VSB-END $f===" '
        { sub(/\r$/, "") }
        $0 == e { on = 0 } on { print } $0 == b { on = 1 }' \
        "$out/guest.log" > "$out/$f"
done
if [ ! -s "$out/raw.tsv" ]; then
    echo "bench-vm: the guest produced no data (exit $rc); see $out/guest.log" >&2
    exit 1
fi
"$here/../report.sh" --reference ovs-kernel --limit xdp-limit \
    --readme "$src/bench/README.md" "$out" "$report" || rc=1
echo "bench-vm: report $report"
exit "$rc"
