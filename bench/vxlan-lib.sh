# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# bench/vxlan-lib.sh: what the two VXLAN overlay benchmarks share, the
# host one (bench/vxlan.sh) and the kernel-datapath one in QEMU
# (bench/kernel-vxlan.sh): the topology, the connectivity check, the
# TCP measurement and the figures of a 64-byte window, skipped kinds,
# the kinds' availability and the daemons' logs of a round.  Sourced
# after bench/lib.sh, by a script that sets OUT, RAW, KIND and ROUND.
#
#   netns vm1            netns hv1                 netns hv2             netns vm2
#   eth0 10.77.0.1 ==veth== p1 [switch] ul0 ==veth== ul0 [switch] p1 ==veth== eth0 10.77.0.2
#   MTU 1450              192.168.50.1/24 (underlay, MTU 1500) .2/24        MTU 1450
#
# Knobs, set by the sourcing script:
#   VX_BRNF_OFF    1 (default): turn br_netfilter's hooks off in the hv
#                  namespaces when the module is loaded.
#   VX_CPU_DIGITS  decimals of the CPU-seconds-per-GB and per-Mpkt
#                  figures (default 3).

: "${VX_BRNF_OFF:=1}"
: "${VX_CPU_DIGITS:=3}"

# ---- topology ---------------------------------------------------------------
vx_namespaces() {
    ip netns list | awk '{print $1}' | grep -E "^vsb-$BENCH_TAG-(hv[12]|vm[12]|vxprobe)\$"
}
vx_topo_destroy() {
    local ns
    for ns in $(vx_namespaces); do ip netns delete "$ns" 2> /dev/null; done
    return 0
}
vx_topo_create() {
    local i hv vm
    mkdir -p "$BENCH_STATE"
    for i in 1 2; do
        hv=$(vx_hv_ns "$i") vm=$(vm_ns "$i")
        ip netns add "$hv" || return 1
        ip netns add "$vm" || return 1
        in_ns "$hv" ip link set lo up
        in_ns "$vm" ip link set lo up
        topo_no_ipv6 "$hv"
        topo_no_ipv6 "$vm"
        if [ "$VX_BRNF_OFF" = 1 ] &&
            in_ns "$hv" test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
            in_ns "$hv" sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
                net.bridge.bridge-nf-call-ip6tables=0 \
                net.bridge.bridge-nf-call-arptables=0 || return 1
        fi
        in_ns "$hv" ip link add name p1 numtxqueues 1 numrxqueues 1 mtu "$VX_INNER_MTU" \
            type veth peer name "$VM_DEV" netns "$vm" \
            numtxqueues 1 numrxqueues 1 mtu "$VX_INNER_MTU" || return 1
        in_ns "$vm" ip addr add "$(vm_ip "$i")/24" dev "$VM_DEV" || return 1
        in_ns "$vm" ip link set "$VM_DEV" up || return 1
        in_ns "$hv" ip link set p1 up || return 1
        # The namespace's counters through an idle process (topo_counters).
        ip netns exec "$vm" sleep 100000 > /dev/null 2>&1 &
        track_pid $!
        echo $! > "$BENCH_STATE/anchor.vm$i"
    done
    in_ns "$(vx_hv_ns 1)" ip link add name ul0 numtxqueues 1 numrxqueues 1 mtu 1500 \
        type veth peer name ul0 netns "$(vx_hv_ns 2)" \
        numtxqueues 1 numrxqueues 1 mtu 1500 || return 1
    vx_in_hv 1 ip link set ul0 up && vx_in_hv 2 ip link set ul0 up
}

vx_ping_check() {     # vm1 reaches vm2 (20 x <= 1 s), and back once
    local n
    for n in $(seq 20); do
        if in_vm 1 ping -c 1 -W 1 -q "$(vm_ip 2)" > /dev/null 2>&1; then
            in_vm 2 ping -c 1 -W 1 -q "$(vm_ip 1)" > /dev/null 2>&1
            return 0
        fi
    done
    return 1
}

# ---- measurements -----------------------------------------------------------
# vx_pids: the switch's processes now (both hvs); empty for kernel kinds.
vx_pids() { vxk_call "$KIND" pids | tr "\n" " "; }

# vx_frags: IP fragments the hv namespaces made so far (FragCreates of
# both): a VTEP must not fragment the encapsulated frames, so this stays 0
# when the overlay respects the inner MTU.
vx_frags() {
    local i n=0 f
    for i in 1 2; do
        f=$(vx_in_hv "$i" awk '/^Ip:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
                                        else print $c["FragCreates"] }' /proc/net/snmp)
        n=$((n + ${f:-0}))
    done
    echo "$n"
}

# vx_tcp: test tcp1 (iperf3, 1 stream), the fragments the hvs made
# meanwhile and the switch's CPU when it has processes.
vx_tcp() {
    local pids t0 t1 p0 p1 json=$BENCH_STATE/iperf.json bytes f0 f1
    pids=$(vx_pids)
    f0=$(vx_frags)
    # shellcheck disable=SC2086
    t0=$(now) p0=$(proc_ticks $pids)
    meas_tcp 1 || return 1
    # shellcheck disable=SC2086
    t1=$(now) p1=$(proc_ticks $pids)
    f1=$(vx_frags)
    emit tcp1 underlay_frags $((f1 - f0))
    cp "$json" "$OUT/logs/iperf-$KIND-r$ROUND.json"
    [ -n "$pids" ] || return 0
    # Every byte sent over the whole run, the omitted second included,
    # as the CPU time covers the whole run.
    bytes=$(jq '[.intervals[].sum.bytes] | add // 0' "$json")
    awk -v p=$((p1 - p0)) -v hz="$HZ" -v a="$t0" -v b="$t1" -v by="$bytes" \
        -v fmt="sw_cpu_s_per_gbyte %.${VX_CPU_DIGITS}f\n" 'BEGIN {
        printf "sw_cpu_pct %.1f\n", 100 * p / hz / (b - a)
        if (by > 0) printf fmt, p / hz / (by / 1e9) }' |
        while read -r m v; do emit tcp1 "$m" "$v"; done
}

# vx_pps_emit T0 T1 OFFERED DELIVERED SW_TICKS SYS_TICKS HASPIDS: the
# figures of test pps64 over the window T0..T1 (seconds) from the frame
# and CPU-tick counts in it; the switch's CPU only when HASPIDS is 1.
vx_pps_emit() {
    awk -v dt="$(awk -v a="$1" -v b="$2" 'BEGIN {print b - a}')" \
        -v off="$3" -v del="$4" -v p="$5" -v s="$6" -v hz="$HZ" -v haspids="$7" \
        -v fmt="sw_cpu_s_per_mpkt %.${VX_CPU_DIGITS}f\n" '
        BEGIN {
            printf "offered_pps %.0f\ndelivered_pps %.0f\n", off / dt, del / dt
            if (off > 0) { l = 100 * (off - del) / off
                           printf "lost_pct %.1f\n", (l > -0.05 && l < 0.05) ? 0 : l }
            if (haspids) printf "sw_cpu_pct %.1f\n", 100 * p / hz / dt
            if (del > 0) {
                if (haspids) printf fmt, p / hz / (del / 1e6)
                printf "sys_cpu_s_per_mpkt %.3f\n", s / hz / (del / 1e6)
            }
        }' | while read -r m v; do emit pps64 "$m" "$v"; done
}

# vx_kind_up HINT: round $ROUND's topology and $KIND's switches (set-up
# log OUT/logs/setup-KIND-rROUND.log), then the connectivity check; 0
# (and status measured) when vm1 reaches vm2.  Otherwise 1 when the
# topology failed, 2 when $KIND was skipped (skip_kind; its info in
# OUT/logs/) because its setup failed or vm1 did not reach vm2.  HINT 1:
# the no-connectivity reason names the set-up log's first failure.
vx_kind_up() {
    local slog=$OUT/logs/setup-$KIND-r$ROUND.log hint=""
    vx_topo_create > "$slog" 2>&1 || { log "$KIND: topology failed ($slog)"; return 1; }
    topo_tx_offload "$(vxk_call "$KIND" offload || echo on)"
    if ! vxk_call "$KIND" setup >> "$slog" 2>&1; then
        skip_kind "setup failed, skipped ($(grep -v '^ *$' "$slog" | tail -n 1))"
        vxk_call "$KIND" info > "$OUT/logs/info-$KIND-r$ROUND.log" 2>&1
        return 2
    fi
    if ! vx_ping_check; then
        [ "$1" = 1 ] && hint=$(grep -m 1 -E 'failed|refused' "$slog" | sed 's/^\[[^]]*\] */ (/; s/$/)/')
        skip_kind "no connectivity, skipped$hint"
        vxk_call "$KIND" info > "$OUT/logs/info-$KIND-r$ROUND.log" 2>&1
        return 2
    fi
    emit status measured 1
}

# skip_kind REASON: record that $KIND was not measured in round $ROUND.
skip_kind() {
    emit status skipped 1
    printf '%s\t%s\t%s\n' "$KIND" "$ROUND" "$1" >> "$OUT/skipped.txt"
    log "kind $KIND: $1"
}

# vx_kinds_tsv KIND...: OUT/kinds.tsv, "kind available|unavailable
# description|reason" per kind; non-zero when one is unavailable.
vx_kinds_tsv() {
    local k why rc=0
    : > "$OUT/kinds.tsv"
    for k in "$@"; do
        if why=$(vxk_available "$k"); then
            printf '%s\tavailable\t%s\n' "$k" "$(vxk_call "$k" describe)" >> "$OUT/kinds.tsv"
        else
            printf '%s\tunavailable\t%s\n' "$k" "$why" >> "$OUT/kinds.tsv"
            log "kind $k: not available: $why"
            rc=1
        fi
    done
    return $rc
}

# vx_kind_down: $KIND's switches, the processes of the round and the
# topology go; the daemons' logs are kept (vx_save_logs).
vx_kind_down() {
    vxk_call "$KIND" teardown > /dev/null 2>&1
    stop_tracked_pids
    vx_topo_destroy
    vx_save_logs
}

# vx_save_logs: the daemons' logs of $KIND's round $ROUND to OUT/logs/,
# then their state directories go.
vx_save_logs() {
    local lf hv
    for lf in "$BENCH_STATE"/ovs-hv?/log/ovs-vswitchd.log "$BENCH_STATE"/ours-hv?/vswitchd.log; do
        [ -f "$lf" ] || continue
        hv=$(echo "$lf" | grep -o 'hv[12]')
        cp "$lf" "$OUT/logs/$KIND-r$ROUND-$hv.$(basename "$lf")"
    done
    rm -rf "$BENCH_STATE"/ovs-hv? "$BENCH_STATE"/ours-hv?
}
