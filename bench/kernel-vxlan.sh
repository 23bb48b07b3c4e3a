#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/kernel-vxlan.sh: the VXLAN overlay on the kernel datapath, our
# vswitchd on vswitch_dp.ko against Debian's ovs-vswitchd on
# openvswitch.ko.  It runs INSIDE a QEMU guest (bench/vm/kernel-vxlan-bench.sh
# boots it: `make bench-kernel-vxlan`), as root:
#
#   bench/kernel-vxlan.sh [--rounds N] [--quick]
#                         [--kinds "ovs-kernel ours-kernel"] --out DIR
#
#   netns vm1            netns hv1                 netns hv2             netns vm2
#   eth0 10.77.0.1 ==veth== p1 [br0] vx0 ~ ul0 ==veth== ul0 ~ vx0 [br0] p1 ==veth== eth0 10.77.0.2
#   MTU 1450              192.168.50.1/24 (underlay, MTU 1500) .2/24        MTU 1450
#
# Kinds (bench/kinds/vxlan-kernel.sh): ovs-kernel, ours-kernel; one
# daemon (and database) per hv namespace, bridge br0 datapath_type=system
# {p1, vx0 type=vxlan remote_ip=<peer> key=$VX_VNI}, NORMAL.  One module
# loaded at a time (rmmod/insmod between kinds).  Interleaved, the order
# rotated each round, each round on a fresh topology and fresh daemons.
# Per round and kind:
#
#  connectivity  vm1 pings vm2 (20 x 1 s at most).  A kind that fails is
#                "skipped" for that round and measures nothing.
#  tcp1          iperf3 vm1 -> vm2, 1 stream, $BENCH_SECS s after 1 s
#                omitted: Gbit/s (receiver), retransmits, the daemons'
#                CPU (both hvs, all threads) in % of one CPU and s per GB,
#                IP fragments the hvs made (must be 0).
#  pps64         pktgen in vm1 (the kernel bench's generator: clone_skb 0,
#                burst 1), 60-byte UDP frames (64 with the FCS) to vm2's
#                MAC and an IP vm2 does not own, $KV_WARMUP s of warm-up
#                then $BENCH_SECS s: offered (vm1 tx + tx_dropped) and
#                delivered (vm2 rx) pps, the daemons' CPU s per million
#                delivered frames and the whole guest's.
#  ping          $BENCH_PING_COUNT pings every 2 ms: RTT p50/p99.
#
# --quick: 1 round, 2 s windows, 50 pings, no statistics dump after a
# round that measured everything.  Rows "kind round test metric
# value" go to OUT/raw.tsv, skipped rounds to OUT/skipped.txt, the
# environment to OUT/env.txt, switch statistics to OUT/logs/;
# bench/kernel-vxlan-report.py (on the host) writes the report.  Figures
# are never judged: exit 0 when every kind was measured in every round.
# Every wait is bounded in count and time.
set -u
# vmrun.sh runs a copy of this script: VMRUN_SCRIPT_DIR is bench/.
. "${VMRUN_SCRIPT_DIR:-$(dirname "$0")}/lib.sh"
# The topology and measurements of bench/vxlan.sh; no br_netfilter
# switch-off in the guest, CPU figures to 4 decimals.
# shellcheck disable=SC2034  # read by vxlan-lib.sh
VX_BRNF_OFF=0 VX_CPU_DIGITS=4
. "$BENCH_DIR/vxlan-lib.sh"
. "$BENCH_DIR/guest-lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
QUICK=0
KINDS="ovs-kernel ours-kernel"
OUT=""
bench_options 43 "$@"
[ -n "$OUT" ] || die "--out DIR is required"
: "${KV_WARMUP:=2}"
if [ "$QUICK" = 1 ]; then
    [ -n "${BENCH_ROUNDS:-}" ] || ROUNDS=1
    BENCH_SECS=2
    KV_WARMUP=1
    BENCH_PING_COUNT=50
else
    BENCH_PING_COUNT=${KV_PING_COUNT:-200}
fi
for c in ip ethtool ping iperf3 jq ss ovs-vsctl ovs-ofctl ovs-dpctl; do
    command -v "$c" > /dev/null || die "missing $c"
done
# shellcheck disable=SC2034  # read by measure.sh's helpers
BENCH_VMS=2
bench_out_dir
: > "$OUT/skipped.txt"

KIND=""
cleanup() {
    [ -n "$KIND" ] && vxk_call "$KIND" teardown > /dev/null 2>&1
    pktgen_stop
    stop_tracked_pids
    vx_topo_destroy
    rm -rf "$BENCH_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- measurements -------------------------------------------------------------
# kv_pktgen_start: pktgen in vm1 (bench/guest-lib.sh), one UDP flow
# (source port 1024), endless until pktgen_stop (bounded by a timeout
# anyway).
kv_pktgen_start() {
    pktgen_config "" 1024 1024 || return 1
    pktgen_go $((KV_WARMUP + BENCH_SECS + 60))
}

# kv_pps_once: one attempt; non-zero (nothing emitted) if pktgen did not
# run through the whole window.
kv_pps_once() {
    local pids o0 d0 o1 d1 t0 t1 p0 p1 s0 s1 alive=1
    pids=$(vx_pids)
    kv_pktgen_start || { log "$KIND: pktgen failed"; return 1; }
    sleep "$KV_WARMUP"
    read -r o0 d0 < <(pps_counters)
    # shellcheck disable=SC2086
    t0=$(now) p0=$(proc_ticks $pids) s0=$(sys_busy_ticks)
    sleep "$BENCH_SECS"
    read -r o1 d1 < <(pps_counters)
    # shellcheck disable=SC2086
    t1=$(now) p1=$(proc_ticks $pids) s1=$(sys_busy_ticks)
    kill -0 "$GEN_PID" 2> /dev/null || alive=0
    pktgen_stop
    [ "$alive" = 1 ] || { log "$KIND: pktgen stopped early"; return 1; }
    vx_pps_emit "$t0" "$t1" $((o1 - o0)) $((d1 - d0)) $((p1 - p0)) $((s1 - s0)) 1
}
kv_pps() {
    local try
    for try in 1 2 3; do
        kv_pps_once && return 0
        log "$KIND: pps64 attempt $try failed"
    done
    return 1
}

run_kind() {
    local ok=0
    vx_kind_up 0 || return 1
    emit load loadavg1 "$(cut -d' ' -f1 /proc/loadavg)"
    log "$KIND r$ROUND: TCP"
    vx_tcp || ok=1
    log "$KIND r$ROUND: 64-byte frames"
    kv_pps || ok=1
    log "$KIND r$ROUND: ping"
    meas_ping || ok=1
    # The statistics dump takes tens of seconds under TCG: --quick keeps
    # it for a round that failed.
    if [ "$QUICK" = 0 ] || [ "$ok" != 0 ]; then
        vxk_call "$KIND" info > "$OUT/logs/info-$KIND-r$ROUND.log" 2>&1
    fi
    return $ok
}

rc=0
read -ra kinds <<< "$KINDS"
{
    guest_env_head
    echo "iperf3: $(iperf3 --version 2> /dev/null | head -n 1)"
    echo "generator: pktgen (clone_skb 0, burst 1), 60-byte frames"
    echo "overlay: VXLAN VNI $VX_VNI, UDP $VX_PORT, underlay $VX_UL_NET.0/24 MTU 1500 (veth), VM MTU $VX_INNER_MTU"
    echo "rounds: $ROUNDS  windows: ${BENCH_SECS}s (pps +${KV_WARMUP}s warm-up, TCP +1s omitted)  ping probes: $BENCH_PING_COUNT"
    echo "kinds: $KINDS"
    echo "guest load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/env.txt"
for k in "${kinds[@]}"; do
    vxk_exists "$k" || die "unknown kind $k"
done
vx_kinds_tsv "${kinds[@]}" || rc=1
round_kind() {     # one kind in one round (bench_rounds)
    grep -q "^$KIND	available" "$OUT/kinds.tsv" || { KIND=""; return 0; }
    emit order position $POS
    log "round $ROUND/$ROUNDS: $KIND"
    run_kind || { log "$KIND r$ROUND: not every figure was measured"; rc=1; }
    pktgen_stop
    vx_kind_down
    KIND=""
}
bench_rounds round_kind
guest_exit $rc
