#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/kernel-vxlan-report.py: the report of a kernel-datapath VXLAN run.

    bench/kernel-vxlan-report.py OUT REPORT.md

OUT holds what bench/kernel-vxlan.sh wrote in the guest (raw.tsv,
env.txt, kinds.tsv, skipped.txt) and what bench/vm/kernel-vxlan-bench.sh
added on the host (host-load.txt, the guest's exit status in rc).  Per
test and metric: the median over the rounds that measured the kind, with
min-max; ours-kernel / ovs-kernel as the ratio of the medians and as the
median (min-max) of the per-round ratios (both kinds of a round ran back
to back in the same boot).  A kind skipped in a round (no connectivity,
failed setup) has no figure for it, and the report says so.  Figures are
not judged: exit 0 when a report was written.
"""
import importlib.util
import os
import statistics
import sys

# load, fmt, cell, ratios and ratio_cell are bench/kernel-report.py's: one
# definition for both kernel-datapath reports.
sys.dont_write_bytecode = True     # no bench/__pycache__
_spec = importlib.util.spec_from_file_location(
    "kernel_report", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "kernel-report.py"))
_kr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_kr)
fmt, cell, ratios, ratio_cell = _kr.fmt, _kr.cell, _kr.ratios, _kr.ratio_cell

REF, OURS = "ovs-kernel", "ours-kernel"

# (test, metric, what, better): the headline rows, in order.
HEADLINE = [
    ("tcp1", "gbps", "TCP vm1 → vm2, 1 stream, Gbit/s", "higher"),
    ("pps64", "delivered_pps", "64 B frames delivered, pps (pktgen)", "higher"),
    ("pps64", "offered_pps", "64 B frames offered by pktgen, pps", "-"),
    ("tcp1", "sw_cpu_s_per_gbyte", "daemons' CPU s per GB, TCP (both hvs)", "lower"),
    ("pps64", "sw_cpu_s_per_mpkt", "daemons' CPU s per million frames, 64 B (both hvs)", "lower"),
    ("pps64", "sys_cpu_s_per_mpkt", "whole guest's CPU s per million frames, 64 B", "lower"),
    ("ping", "rtt_p50_us", "ping RTT p50, µs", "lower"),
]


def read_lines(out, name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [l for l in f.read().split("\n") if l]


def load(out):
    """kernel-report.py's load(), or nothing when there is no raw.tsv."""
    if not os.path.exists(os.path.join(out, "raw.tsv")):
        return {}
    return _kr.load(out)


def headline(vals):
    rows = ["| measure | ovs-vswitchd + openvswitch.ko | vswitchd + vswitch_dp.ko | ours ÷ theirs (medians) | per-round ratios | better |",
            "|---|---|---|---|---|---|"]
    for test, metric, what, better in HEADLINE:
        r1, r2 = ratio_cell(*ratios(vals, test, metric))
        rows.append("| {} | {} | {} | {} | {} | {} |".format(
            what, cell(vals.get((REF, test, metric))),
            cell(vals.get((OURS, test, metric))), r1, r2, better))
    return rows


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    out, report = sys.argv[1:]
    vals = load(out)
    if not vals:
        sys.stderr.write("no data in %s/raw.tsv\n" % out)
        return 1
    env = read_lines(out, "env.txt")
    date = next((l[6:] for l in env if l.startswith("date: ")), "?")
    rc = (read_lines(out, "rc") or ["?"])[0]
    kinds = [l.split("\t") for l in read_lines(out, "kinds.tsv")]
    skipped = [l.split("\t") for l in read_lines(out, "skipped.txt")]
    host_load = read_lines(out, "host-load.txt")

    lines = ["## VXLAN on the kernel datapath: vswitchd on vswitch_dp.ko vs ovs-vswitchd on openvswitch.ko, {}".format(date), ""]
    lines += ["    " + l for l in env]
    lines += ["    guest exit status: " + rc, ""]
    lines += headline(vals)
    lines += ["", "Rounds measured per kind: " + ", ".join(
        "{} {}".format(k, len(vals.get((k, "status", "measured"), {})))
        for k in (REF, OURS)) + "."]
    if skipped:
        lines += ["", "Not measured (no figure is made up for these):", ""]
        lines += ["* round {}, {}: {}".format(s[1], s[0], s[2] if len(s) > 2 else "")
                  for s in skipped]
    lines += ["", "All metrics (median over rounds, min–max in brackets):", "",
              "| test | metric | ovs-kernel | ours-kernel | ours ÷ ovs-kernel (medians) | per-round ratios |",
              "|---|---|---|---|---|---|"]
    keys = sorted({(t, m) for (k, t, m) in vals
                   if t not in ("load", "status", "order")})
    for t, m in keys:
        r1, r2 = ratio_cell(*ratios(vals, t, m))
        lines.append("| {} | {} | {} | {} | {} | {} |".format(
            t, m, cell(vals.get((REF, t, m))), cell(vals.get((OURS, t, m))), r1, r2))
    lines += ["", "Kinds:", ""]
    for k in kinds:
        lines.append("* `{}` ({}): {}".format(k[0], k[1], k[2] if len(k) > 2 else ""))
    lines += ["", "Order and guest load average (1 min) when each kind started measuring:", ""]
    for k in (REF, OURS):
        pos = vals.get((k, "order", "position"), {})
        for r, v in sorted(vals.get((k, "load", "loadavg1"), {}).items()):
            lines.append("* round {}, {} (position {}): {}".format(
                r, k, int(pos.get(r, 0)), fmt(v)))
    if host_load:
        lines += ["", "Host load averages (1, 5, 15 min) during the run (other engineers' builds and QEMU guests share this 2-vCPU machine):", ""]
        lines += ["    " + l for l in host_load]
    lines += ["", """How to read: one QEMU TCG boot (2 vCPUs, qemu64), both stacks
measured in it, interleaved and order-rotated by round, one module
loaded at a time (rmmod/insmod between kinds), each round on a fresh
topology and fresh daemons.  Topology: vm1 - p1 [br0 hv1] vx0 ~ ul0
(veth underlay, MTU 1500) ~ vx0 [br0 hv2] p1 - vm2, VM MTU 1450, VXLAN
VNI 42 on UDP 4789; one daemon and one database per hv namespace, each
with its own kernel datapath; NORMAL on both; senders' TX offload on.
Under TCG absolute figures mean little; the ratios within the boot do.
`tcp1`: iperf3, the first second omitted; `sw_cpu_*` counts both hvs'
switch daemons (ovs-vswitchd / vswitchd, all threads, utime + stime
from /proc/PID/stat; not ovsdb-server / ovsdb-lite, not the kernel's
softirq work, where the forwarding and the encapsulation happen);
`underlay_frags` must be 0 (no VTEP fragments).  `pps64`: pktgen in
vm1 (clone_skb 0, burst 1), 60-byte UDP frames to vm2's MAC and an IP
vm2 does not own (dropped after the route lookup), offered = vm1's
tx_packets + tx_dropped, delivered = vm2's rx_packets, over the window
after the warm-up; `sys_cpu_s_per_mpkt` = the whole guest's busy CPU
(generator and receiver included).  `ping`: RTT over the overlay at one
probe every 2 ms."""]
    os.makedirs(os.path.dirname(os.path.abspath(report)), exist_ok=True)
    with open(report, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:len(env) + 4 + len(HEADLINE)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
