#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/kernel-report.py: the report of a kernel-datapath run.

    bench/kernel-report.py OUT REPORT.md [--readme README.md]

OUT holds what bench/kernel.sh wrote in the guest (raw.tsv, env.txt) and
what bench/vm/kernel-bench.sh added on the host (host-load.txt, guest
exit status in rc).  Per test and metric: the median over the rounds
with min-max for each kind, ours-kernel / ovs-kernel as the ratio of the
medians and as the median (min-max) of the per-round ratios (both kinds
of a round ran back to back in the same boot).  With --readme, the
headline table also replaces the part of README.md between the markers
<!-- bench:kernel:begin --> and <!-- bench:kernel:end -->.  Figures are
not judged: exit 0 when a report was written.
"""
import os
import statistics
import sys

REF, OURS = "ovs-kernel", "ours-kernel"

# (test, metric, what, better): the headline rows, in order.
HEADLINE = [
    ("setup", "flows_per_s", "flow setup rate, megaflows/s", "higher"),
    ("pps", "delivered_pps", "steady-state 64 B pps delivered (NORMAL, 1 flow)", "higher"),
    ("setup", "cpu_ms_per_kflow", "daemon CPU ms per 1,000 megaflows set up", "lower"),
    ("pps", "cpu_s_per_mpkt", "daemon CPU s per million packets, steady state", "lower"),
]


def load(out):
    vals = {}   # (kind, test, metric) -> {round: value}
    with open(os.path.join(out, "raw.tsv")) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) != 5:
                continue
            kind, rnd, test, metric, value = p
            try:
                vals.setdefault((kind, test, metric), {})[int(rnd)] = float(value)
            except ValueError:
                pass
    return vals


def fmt(x):
    if x is None:
        return "-"
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    if abs(x) >= 10:
        return "{:.1f}".format(x)
    return "{:.3g}".format(x)


def cell(d):
    if not d:
        return "-"
    v = list(d.values())
    m = statistics.median(v)
    if len(v) == 1:
        return fmt(m)
    return "{} ({}–{})".format(fmt(m), fmt(min(v)), fmt(max(v)))


def ratios(vals, test, metric):
    """Ratio of medians, and the per-round ratios."""
    a = vals.get((REF, test, metric), {})
    b = vals.get((OURS, test, metric), {})
    rm = None
    if a and b and statistics.median(a.values()) != 0:
        rm = statistics.median(b.values()) / statistics.median(a.values())
    per = [b[r] / a[r] for r in sorted(set(a) & set(b)) if a[r] != 0]
    return rm, per


def ratio_cell(rm, per):
    if rm is None:
        return "-", "-"
    s = "{:.2f}×".format(rm)
    if not per:
        return s, "-"
    if len(per) == 1:
        return s, "{:.2f}×".format(per[0])
    return s, "{:.2f}× ({:.2f}–{:.2f}), {} rounds".format(
        statistics.median(per), min(per), max(per), len(per))


def headline(vals):
    rows = ["| measure | ovs-vswitchd + openvswitch.ko | vswitchd + vswitch_dp.ko | ours ÷ theirs (medians) | per-round ratios | better |",
            "|---|---|---|---|---|---|"]
    for test, metric, what, better in HEADLINE:
        rm, per = ratios(vals, test, metric)
        r1, r2 = ratio_cell(rm, per)
        rows.append("| {} | {} | {} | {} | {} | {} |".format(
            what, cell(vals.get((REF, test, metric))),
            cell(vals.get((OURS, test, metric))), r1, r2, better))
    return rows


def main():
    args = sys.argv[1:]
    readme = None
    if "--readme" in args:
        i = args.index("--readme")
        readme = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    out, report = args
    vals = load(out)
    if not vals:
        sys.stderr.write("no data in %s/raw.tsv\n" % out)
        return 1
    env = open(os.path.join(out, "env.txt")).read().rstrip("\n").split("\n") \
        if os.path.exists(os.path.join(out, "env.txt")) else []
    date = next((l[6:] for l in env if l.startswith("date: ")), "?")
    rc = open(os.path.join(out, "rc")).read().strip() \
        if os.path.exists(os.path.join(out, "rc")) else "?"
    hl = os.path.join(out, "host-load.txt")
    host_load = open(hl).read().rstrip("\n").split("\n") if os.path.exists(hl) else []

    title = "## Kernel datapath: our daemon on our module vs ovs-vswitchd on openvswitch.ko, {}".format(date)
    lines = [title, ""]
    lines += ["    " + l for l in env]
    lines += ["    guest exit status: " + rc, ""]
    lines += headline(vals)
    lines += ["", "All metrics (median over rounds, min–max in brackets):", "",
              "| test | metric | ovs-kernel | ours-kernel | ours ÷ ovs-kernel (medians) | per-round ratios |",
              "|---|---|---|---|---|---|"]
    keys = sorted({(t, m) for (k, t, m) in vals if t != "load"})
    for t, m in keys:
        r1, r2 = ratio_cell(*ratios(vals, t, m))
        lines.append("| {} | {} | {} | {} | {} | {} |".format(
            t, m, cell(vals.get((REF, t, m))), cell(vals.get((OURS, t, m))), r1, r2))
    lines += ["", "Guest load average (1 min) when each kind started measuring, by round:", ""]
    for k in (REF, OURS):
        for r, v in sorted(vals.get((k, "load", "loadavg1"), {}).items()):
            lines.append("* round {}, {}: {}".format(r, k, fmt(v)))
    if host_load:
        lines += ["", "Host load averages (1, 5, 15 min) during the run (other engineers' builds and QEMU guests share this 2-vCPU machine):", ""]
        lines += ["    " + l for l in host_load]
    lines += ["", """How to read: one QEMU TCG boot (2 vCPUs), both stacks measured in it,
interleaved and order-rotated by round, one module loaded at a time,
the same topology (vm1 - p1 [switch] p2 - vm2 namespaces), the same
OpenFlow rules (installed with Debian's ovs-ofctl) and the same pktgen
traffic.  Under TCG absolute figures mean little; the ratios do.
`setup`: N rules `udp,tp_src=S,actions=output:2`, pktgen cycling the
UDP source port over the N values: every frame of a new port misses
the kernel's megaflow table, goes up to the daemon, which translates
it and installs a megaflow; the flow count is polled every 0.1 s
(bench/dp-poll.py, logs/setup-poll-*.txt); `flows_per_s` = new
megaflows ÷ time over the ramp (first poll with new megaflows → first
at 99 % of N, or the most by the time limit), `flows_per_s_from_start`
the same from pktgen's start (which takes seconds under TCG),
`cpu_ms_per_kflow` = the daemon's CPU time (utime + stime, all threads,
/proc/PID/stat) from pktgen's start to the most megaflows, per 1,000
megaflows, `lost_upcalls` = misses the kernel could not queue to the
daemon.  `pps`: one 64 B UDP flow through
`priority=0,actions=NORMAL` after a warm-up, delivered frames/s at vm2;
`cpu_s_per_mpkt` = the daemon's CPU per million delivered frames (its
periodic work while the kernel forwards: revalidation, statistics).
Only the daemons are counted (not ovsdb-server / ovsdb-lite, not the
kernel's softirq work)."""]
    os.makedirs(os.path.dirname(os.path.abspath(report)), exist_ok=True)
    with open(report, "w") as f:
        f.write("\n".join(lines) + "\n")
    if readme:
        begin, end = "<!-- bench:kernel:begin -->", "<!-- bench:kernel:end -->"
        text = open(readme).read()
        if begin in text and end in text:
            i, j = text.index(begin), text.index(end)
            block = [begin, "### {} (`results/{}`)".format(date, os.path.basename(report)), ""]
            block += headline(vals)
            text = text[:i] + "\n".join(block) + "\n" + text[j:]
            with open(readme, "w") as f:
                f.write(text)
        else:
            sys.stderr.write("%s: no bench:kernel markers, not updated\n" % readme)
    print("\n".join(lines[:len(env) + 10 + len(HEADLINE)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
