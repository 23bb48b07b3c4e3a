# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Kind "xdp-limit": bench/xdp/fwd.bpf.c attached (native XDP) to every
# switch-side veth end by bench/xdp/fwd-loader.c: destination MAC lookup,
# redirect to the port, flood the rest.  The fastest a switch can forward
# between veths on this machine.  XDP redirect into a veth needs NAPI on
# the receiving end, so GRO is switched on at the VM-side ends; TX offload
# is off (the checksum state of a frame does not survive XDP redirect).

XDP_FWD_LOADER=$BUILD/bench/xdp/vsb-xdp-fwd
XDP_FWD_OBJ=$BUILD/bench/xdp/fwd.bpf.o

kind_xdp_limit_where() { echo "host vm"; }
kind_xdp_limit_describe() {
    echo "XDP redirect by destination MAC (bench/xdp), native mode on veth, TX offload off"
}
kind_xdp_limit_offload() { echo off; }
kind_xdp_limit_available() {
    if [ ! -x "$XDP_FWD_LOADER" ] || [ ! -f "$XDP_FWD_OBJ" ]; then
        echo "not built ($XDP_FWD_LOADER; run make bench-build)"
        return 1
    fi
}
kind_xdp_limit_setup() {
    local i args=() out=$BENCH_STATE/xdp-fwd.out pid n
    for i in $(seq "$BENCH_VMS"); do
        in_vm "$i" ethtool -K "$VM_DEV" gro on > /dev/null || return 1
        args+=("$(sw_port "$i")=$(vm_mac "$i")")
    done
    ip netns exec "$SW_NS" "$XDP_FWD_LOADER" "$XDP_FWD_OBJ" "${args[@]}" > "$out" 2>&1 &
    pid=$!
    track_pid "$pid"
    echo "$pid" > "$BENCH_STATE/xdp-fwd.pid"
    for n in $(seq 100); do
        grep -q '^ready' "$out" && return 0
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    log "xdp-limit: loader did not start: $(cat "$out")"
    return 1
}
kind_xdp_limit_teardown() {
    stop_pid "$(cat "$BENCH_STATE/xdp-fwd.pid" 2> /dev/null)"
    rm -f "$BENCH_STATE/xdp-fwd.pid"
    return 0
}
kind_xdp_limit_info() {
    in_sw ip -d link show
}
