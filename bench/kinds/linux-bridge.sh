# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Kinds "linux-bridge" (VM-side TX offloads left on, the kernel default)
# and "linux-bridge-txoff" (offloads off, the same sender configuration the
# userspace and XDP kinds need: the fair comparison for TCP).  STP off,
# forwarding delay 0; br_netfilter is off in the switch namespace
# (topo.sh).

kind_linux_bridge_where() { echo "host vm"; }
kind_linux_bridge_describe() {
    echo "Linux bridge $(uname -r), no STP, br_netfilter off, TX offload on"
}
kind_linux_bridge_setup() {
    local i
    in_sw ip link add name br0 type bridge stp_state 0 forward_delay 0 ||
        return 1
    for i in $(seq "$BENCH_VMS"); do
        in_sw ip link set "$(sw_port "$i")" master br0 || return 1
    done
    in_sw ip link set br0 up
}
kind_linux_bridge_teardown() {
    in_sw ip link delete br0 2> /dev/null
    return 0
}
kind_linux_bridge_info() {
    in_sw bridge fdb show br br0 dynamic
    in_sw ip -s link show br0
}

kind_linux_bridge_txoff_where() { echo "host"; }
kind_linux_bridge_txoff_describe() {
    echo "Linux bridge $(uname -r), as linux-bridge but TX offload off"
}
kind_linux_bridge_txoff_offload() { echo off; }
kind_linux_bridge_txoff_setup() { kind_linux_bridge_setup; }
kind_linux_bridge_txoff_teardown() { kind_linux_bridge_teardown; }
kind_linux_bridge_txoff_info() { kind_linux_bridge_info; }
