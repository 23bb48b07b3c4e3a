#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/vm/kmod-bench.sh: vswitch_dp.ko against openvswitch.ko, in one
# QEMU boot (host side of bench/vm/guest-kmod.sh).
#
#   bench/vm/kmod-bench.sh [ROUNDS [SECS]]      (defaults 3 and 4)
#
# Boots a guest with tests/kmod/vmrun.sh, runs guest-kmod.sh in it (the
# module must be built: make kmod), and writes
# bench/results/kmod-<date>.md: for each test the median over the rounds
# of ours / stock, with the min-max of the per-round ratios.  Absolute
# figures under TCG mean nothing; they stay in the raw log next to it
# (bench/results/raw/kmod-<date>.log).  Bounded: about 2 minutes a round.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
rounds=${1:-3}
secs=${2:-4}
date=$(date -u +%Y%m%d-%H%M%S)
raw=$src/bench/results/raw/kmod-$date.log
report=$src/bench/results/kmod-$date.md
[ -f "$src/datapath-kmod/vswitch_dp.ko" ] || { echo "kmod-bench: run make kmod first" >&2; exit 1; }
mkdir -p "$(dirname "$raw")"
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$src/$BUILD ;; esac
export BUILD
cd "$src" || exit 2
rc=0
"$src/tests/kmod/vmrun.sh" --timeout $((rounds * 240 + 120)) --mem 1024 \
	bench/vm/guest-kmod.sh "$src" "$rounds" "$secs" 2>&1 | tr -d '\r' | tee "$raw"
rc=${PIPESTATUS[0]}
python3 - "$raw" "$report" "$rounds" "$secs" "$rc" <<'PY'
import statistics, sys, time
raw, report, rounds, secs, rc = sys.argv[1:]
vals = {}
for line in open(raw):
    f = line.split()
    if len(f) == 5 and f[0] == "RESULT":
        vals[(int(f[1]), f[2], f[3])] = float(f[4])
tests = [("flow1", "64 B pps, 1 flow"),
         ("m1", "64 B pps, 1,000 flows, 1 mask"),
         ("m10", "64 B pps, 1,000 flows, 10 masks"),
         ("m30", "64 B pps, 1,000 flows, 30 masks"),
         ("upcall", "upcalls/s delivered to ovs-vswitchd (new megaflows)"),
         ("upcall_offered", "misses/s the datapath processed (delivered + lost)")]
out = ["## vswitch_dp.ko ÷ openvswitch.ko (%s)" % time.strftime("%Y-%m-%d", time.gmtime()), "",
       "One QEMU TCG boot, %s rounds interleaved (ours, stock / stock, ours), %s s windows; "
       "ratio = ours ÷ stock per round, median (min–max). Guest exit status %s." % (rounds, secs, rc), "",
       "| test | ours ÷ openvswitch.ko | rounds |", "|---|---|---|"]
for t, name in tests:
    rs = []
    for r in range(1, int(rounds) + 1):
        a, b = vals.get((r, "ours", t)), vals.get((r, "stock", t))
        if a is not None and b:
            rs.append(a / b)
    if rs:
        out.append("| %s | %.2f× (%.2f–%.2f) | %d |" % (name, statistics.median(rs), min(rs), max(rs), len(rs)))
    else:
        out.append("| %s | not measured | 0 |" % name)
open(report, "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
echo "kmod-bench: report $report, raw $raw"
exit "$rc"
