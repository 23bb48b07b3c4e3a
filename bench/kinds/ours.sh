# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Kinds "ours" (vswitch's daemon with its userspace datapath, bench
# `make bench`) and "ours-kernel" (vswitch's daemon on our kernel module,
# `make bench-vm`).  Slots: until the functions below exist, the kinds
# report "not yet available" and are left out of the tables.
#
# To wire our switch in, define here:
#
#   ours_start      Start the daemon(s) so that they forward between the
#                   switch-side ports p1..p$BENCH_VMS in namespace $SW_NS
#                   (wrap commands in in_sw; daemons there see the ports),
#                   L2 learning (like OVS NORMAL).  Keep state under
#                   $BENCH_STATE/ours; record every pid with track_pid
#                   (or write pidfiles and track their pids).  Return
#                   non-zero on failure.
#   ours_stop       Stop them by pid; safe after a partial start.
#   ours_pids       Print the pids of the switch's userspace processes
#                   (their CPU time per million packets is reported).
#   ours_offload    Optional: print "off" if our datapath cannot forward
#                   partial checksums (default "on").
#
#   ours_kernel_start / ours_kernel_stop / ours_kernel_pids: the same for
#                   the kernel-module datapath, run inside QEMU (the
#                   module is loaded by ours_kernel_start).
#
# OURS_BIN / OURS_KMOD say where the build puts them.

OURS_BIN=${OURS_BIN:-$BUILD/vswitchd/vswitchd}
OURS_KMOD=${OURS_KMOD:-$BENCH_SRCDIR/datapath-kmod/vswitch_dp.ko}

# ---- ours: vswitchd hosting the userspace (netdev) datapath ------------
# Ports p1..pN are AF_PACKET ("system") ports; explicit flows: for every
# VM i and every other VM j, IPv4 and ARP to j's MAC go to port j, and
# broadcast ARP goes to every other port (what NORMAL would learn).
# Senders keep TX checksum/TSO offload on: virtio-net headers cross the
# switch.  Knob: OURS_THREADS (I/O threads, default 1).
OURS_DPCTL=${OURS_DPCTL:-$BUILD/utilities/vswitch-dpctl}
ours_env() { export VSWITCH_RUNDIR=$BENCH_STATE/ours; }
ours_dpctl() { ours_env; timeout 30 "$OURS_DPCTL" "$@"; }

ours_start() {
    local i j ifs=() others mac
    ours_env
    mkdir -p "$VSWITCH_RUNDIR"
    for ((i = 1; i <= BENCH_VMS; i++)); do ifs+=("--add-if=$(sw_port "$i")"); done
    in_sw env VSWITCH_RUNDIR="$VSWITCH_RUNDIR" "$OURS_BIN" --detach \
        --pidfile --log-file="$VSWITCH_RUNDIR/vswitchd.log" \
        --datapath=bench --dp-threads="${OURS_THREADS:-1}" "${ifs[@]}" ||
        return 1
    track_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
    for ((i = 1; i <= BENCH_VMS; i++)); do
        others=
        for ((j = 1; j <= BENCH_VMS; j++)); do
            [ "$i" = "$j" ] && continue
            others+="$j,"
            mac=$(vm_mac "$j")
            ours_dpctl add-flow "in_port($i),eth(dst=$mac),eth_type(0x0800)" "$j" || return 1
            ours_dpctl add-flow "in_port($i),eth(dst=$mac),eth_type(0x0806)" "$j" || return 1
        done
        ours_dpctl add-flow "in_port($i),eth(dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806)" \
            "${others%,}" || return 1
    done
}
ours_stop() {
    ours_env
    [ -f "$VSWITCH_RUNDIR/vswitchd.pid" ] && stop_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
    return 0
}
ours_pids() {
    ours_env
    [ -f "$VSWITCH_RUNDIR/vswitchd.pid" ] && cat "$VSWITCH_RUNDIR/vswitchd.pid"
}
ours_info() {
    ours_dpctl show -s
    ours_dpctl dump-flows
}

kind_ours_info() { ours_info; }
kind_ours_where() { echo host; }
kind_ours_available() {
    if ! declare -F ours_start > /dev/null; then
        echo "not yet available (ours_start/ours_stop not written in bench/kinds/ours.sh)"
        return 1
    fi
    [ -x "$OURS_BIN" ] || { echo "not yet available ($OURS_BIN not built)"; return 1; }
}
kind_ours_describe() {
    echo "vswitch $("$OURS_BIN" --version 2> /dev/null | head -n 1), userspace datapath, type=system (AF_PACKET) ports, ${OURS_THREADS:-1} I/O thread(s), explicit flows by destination MAC, TX offload on"
}
kind_ours_offload() {
    if declare -F ours_offload > /dev/null; then ours_offload; else echo on; fi
}
kind_ours_setup() { mkdir -p "$BENCH_STATE/ours" && ours_start; }
kind_ours_teardown() {
    declare -F ours_stop > /dev/null && ours_stop
    return 0
}
kind_ours_pids() { declare -F ours_pids > /dev/null && ours_pids; }

kind_ours_kernel_where() { echo vm; }
kind_ours_kernel_available() {
    if ! declare -F ours_kernel_start > /dev/null; then
        echo "not yet available (ours_kernel_start/ours_kernel_stop not written in bench/kinds/ours.sh)"
        return 1
    fi
    [ -f "$OURS_KMOD" ] || { echo "not yet available ($OURS_KMOD not built)"; return 1; }
}
kind_ours_kernel_describe() { echo "vswitch kernel datapath ($OURS_KMOD)"; }
kind_ours_kernel_setup() { mkdir -p "$BENCH_STATE/ours" && ours_kernel_start; }
kind_ours_kernel_teardown() {
    declare -F ours_kernel_stop > /dev/null && ours_kernel_stop
    return 0
}
kind_ours_kernel_pids() {
    declare -F ours_kernel_pids > /dev/null && ours_kernel_pids
}
