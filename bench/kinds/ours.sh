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

# ours-kernel: until vswitch's daemon drives a kernel datapath, Debian's
# ovs-vswitchd (the same daemon, bridge and NORMAL flow as ovs-kernel)
# runs on our module, so the module is what differs.  openvswitch.ko
# registers the same families: it is unloaded first (ovs-kernel's setup
# swaps back).
ours_kernel_start() {
    rmmod openvswitch 2> /dev/null
    if ! lsmod | grep -q '^vswitch_dp '; then
        insmod "$OURS_KMOD" || return 1
    fi
    ovs_start && ovs_bridge system system && ovs_flows_normal
}
ours_kernel_stop() {
    ovs_vsctl --if-exists del-br br0 > /dev/null 2>&1
    ovs_stop
    in_sw ovs-dpctl del-dp system@ovs-system > /dev/null 2>&1
    rmmod vswitch_dp 2> /dev/null
    return 0
}
ours_kernel_pids() { ovs_pids; }

kind_ours_where() { echo host; }
kind_ours_available() {
    if ! declare -F ours_start > /dev/null; then
        echo "not yet available (ours_start/ours_stop not written in bench/kinds/ours.sh)"
        return 1
    fi
    [ -x "$OURS_BIN" ] || { echo "not yet available ($OURS_BIN not built)"; return 1; }
}
kind_ours_describe() {
    echo "vswitch $("$OURS_BIN" --version 2> /dev/null | head -n 1), userspace datapath"
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
kind_ours_kernel_describe() {
    echo "vswitch kernel datapath (vswitch_dp.ko, $(uname -r)) driven by Open vSwitch $(ovs_version) ovs-vswitchd, actions=NORMAL, TX offload on"
}
kind_ours_kernel_setup() { mkdir -p "$BENCH_STATE/ours" && ours_kernel_start; }
kind_ours_kernel_info() { ovs_info; }
kind_ours_kernel_teardown() {
    declare -F ours_kernel_stop > /dev/null && ours_kernel_stop
    return 0
}
kind_ours_kernel_pids() {
    declare -F ours_kernel_pids > /dev/null && ours_kernel_pids
}
