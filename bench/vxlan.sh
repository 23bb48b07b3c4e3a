#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vxlan.sh: the VXLAN overlay benchmark.  VM to VM across two
# simulated hypervisors over VXLAN (VNI $VX_VNI, UDP $VX_PORT), for several
# switch kinds in one run, interleaved (round r runs them in the order
# rotated by r-1), each round on a fresh topology and fresh switches.
#
#   bench/vxlan.sh [--rounds N] [--quick] [--kinds "linux ovs ours"]
#                  [--out DIR] [--report FILE.md]
#
#   netns vm1            netns hv1                 netns hv2             netns vm2
#   eth0 10.77.0.1 ==veth== p1 [switch] ul0 ==veth== ul0 [switch] p1 ==veth== eth0 10.77.0.2
#   MTU 1450              192.168.50.1/24 (underlay, MTU 1500) .2/24        MTU 1450
#
# Kinds (bench/kinds/vxlan.sh): linux (Linux bridge + vxlan device),
# linux-txoff (the same, senders' TX offload off), ovs (Debian's
# ovs-vswitchd, userspace datapath, tunnel IP on br-phy), ours (our
# ovsdb-lite + vswitchd, userspace datapath).  Per round and kind:
#
#  connectivity  vm1 pings vm2 (20 x 1 s at most).  A kind that fails is
#                reported "kind X: no connectivity, skipped" for that round
#                and measures nothing (no figure is ever made up).
#  tcp1          iperf3 vm1 -> vm2, 1 stream, $BENCH_SECS s after 1 s
#                omitted: Gbit/s (receiver), retransmits, the switch's CPU
#                (both hvs' daemons) in % of one CPU and s per GB, and
#                the IP fragments the hvs made meanwhile (must be 0).
#  pps64         trafgen in vm1 (pinned to CPU $BENCH_GEN_CPU), 60-byte
#                frames (64 with the FCS) to vm2's MAC, 1 s warm-up then
#                $BENCH_SECS s: offered (vm1 tx + tx_dropped) and delivered
#                (vm2 rx) pps, switch CPU s per million delivered frames
#                and the whole machine's.
#  ping          $BENCH_PING_COUNT pings every 2 ms: RTT p50/p99.
#
# --quick: 1 round, 2 s windows, 200 pings.  Raw rows "kind round test
# metric value" go to OUT/raw.tsv; bench/vxlan-report.sh writes the
# report (per-round figures, medians, ours / each peer).  Exit 0 when
# every kind was either measured or skipped for lack of connectivity;
# non-zero when a kind was unavailable or a measurement failed.
set -u
. "$(dirname "$0")/lib.sh"
. "$BENCH_DIR/vxlan-lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
QUICK=0
KINDS=${VXLAN_KINDS:-"linux ovs ours"}
OUT=""
REPORT=""
bench_option() { [ "$1" = --report ] && REPORT=$2; }
bench_options 36 "$@"
if [ "$QUICK" = 1 ]; then
    [ -n "${BENCH_ROUNDS:-}" ] || ROUNDS=1
    BENCH_SECS=${BENCH_SECS_QUICK:-2}
    BENCH_PING_COUNT=200
fi
for c in ip ethtool ping trafgen taskset iperf3 jq ss; do
    command -v "$c" > /dev/null || die "missing $c (make deps)"
done
# shellcheck disable=SC2034  # read by topo.sh's and measure.sh's helpers
BENCH_VMS=2
DATE=$(date -u +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH_DIR/results/raw/vxlan-$DATE-$BENCH_TAG}
REPORT=${REPORT:-$BENCH_DIR/results/vxlan-$DATE.md}
bench_out_dir
: > "$OUT/skipped.txt"

cleanup() {
    local k
    for k in $KINDS; do vxk_exists "$k" && vxk_call "$k" teardown > /dev/null 2>&1; done
    stop_tracked_pids
    vx_topo_destroy
    rm -rf "$BENCH_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- measurements -----------------------------------------------------------
# vx_counters: "offered delivered" frames so far (vm1's tx_packets +
# tx_dropped, vm2's rx_packets), both read by one process in one go, so
# that no exec (slow on a loaded machine) falls between the two reads.
vx_counters() {
    awk -v d="$VM_DEV" 'FNR == 1 { f++ }
        { sub(/^ */, ""); n = split($0, a, /[: ]+/)
          if (a[1] == d) { if (f == 1) tx = a[11] + a[13]; else rx = a[3] } }
        END { print tx + 0, rx + 0 }' \
        "/proc/$(cat "$BENCH_STATE/anchor.vm1")/net/dev" \
        "/proc/$(cat "$BENCH_STATE/anchor.vm2")/net/dev"
}

# vx_pps_once: one 64-byte attempt; non-zero if trafgen did not run
# through the whole window (nothing emitted then).
vx_pps_once() {
    local pids o0 d0 o1 d1 t0 t1 p0 p1 s0 s1
    pids=$(vx_pids)
    gen_trafgen_start 60 || return 1
    sleep "$BENCH_WARMUP"
    kill -0 "$GEN_PID" 2> /dev/null || { gen_trafgen_stop; return 1; }
    read -r o0 d0 < <(vx_counters)
    # shellcheck disable=SC2086
    t0=$(now) p0=$(proc_ticks $pids) s0=$(sys_busy_ticks)
    sleep "$BENCH_SECS"
    read -r o1 d1 < <(vx_counters)
    # shellcheck disable=SC2086
    t1=$(now) p1=$(proc_ticks $pids) s1=$(sys_busy_ticks)
    kill -0 "$GEN_PID" 2> /dev/null || { gen_trafgen_stop; return 1; }
    gen_trafgen_stop
    vx_pps_emit "$t0" "$t1" $((o1 - o0)) $((d1 - d0)) $((p1 - p0)) $((s1 - s0)) "${pids:+1}"
}
vx_pps() {
    local try
    for try in 1 2 3; do
        vx_pps_once && return 0
        log "pps64: attempt $try failed:" \
            "$(tail -n 3 "$BENCH_STATE/gen.log" 2> /dev/null | tr "\n" " ")"
    done
    return 1
}

run_kind() {
    local ok=0
    vx_kind_up 1
    case $? in
    0) ;;
    2) return 0 ;;     # skipped: no failure
    *) return 1 ;;
    esac
    log "$KIND r$ROUND: TCP"
    vx_tcp || ok=1
    log "$KIND r$ROUND: 64-byte frames"
    vx_pps || ok=1
    log "$KIND r$ROUND: ping"
    meas_ping || ok=1
    vxk_call "$KIND" info > "$OUT/logs/info-$KIND-r$ROUND.log" 2>&1
    return $ok
}

rc=0
read -ra kinds <<< "$KINDS"
for k in "${kinds[@]}"; do
    vxk_exists "$k" || die "unknown kind $k (kinds: $(vxk_list | tr '\n' ' '))"
done
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "kernel: $(uname -srm)"
    echo "cpus: $(nproc) ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo))"
    echo "ovs: $(ovs_version)"
    echo "iperf3: $(iperf3 --version 2> /dev/null | head -n 1)"
    echo "generator: trafgen $(trafgen --version 2> /dev/null | awk 'NR == 1 {print $2}'), pinned to CPU $BENCH_GEN_CPU"
    echo "vswitch: $(ours_version)"
    echo "overlay: VXLAN VNI $VX_VNI, UDP $VX_PORT, underlay $VX_UL_NET.0/24 MTU 1500 (veth), VM MTU $VX_INNER_MTU"
    echo "rounds: $ROUNDS  window: ${BENCH_SECS}s  ping probes: $BENCH_PING_COUNT"
    echo "kinds: $KINDS"
    echo "tag: $BENCH_TAG"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/env.txt"
vx_kinds_tsv "${kinds[@]}" || rc=1
round_kind() {     # one kind in one round (bench_rounds)
    grep -q "^$KIND	available" "$OUT/kinds.tsv" || return 0
    emit load loadavg1 "$(cut -d' ' -f1 /proc/loadavg)"
    emit order position $POS
    log "round $ROUND/$ROUNDS: $KIND"
    run_kind || { log "$KIND r$ROUND: a measurement failed"; rc=1; }
    vx_kind_down
}
bench_rounds round_kind
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
"$BENCH_DIR/vxlan-report.sh" "$OUT" "$REPORT" || rc=1
log "report: $REPORT"
exit $rc
