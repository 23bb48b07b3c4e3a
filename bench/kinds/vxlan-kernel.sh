# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# The kinds of the kernel-datapath VXLAN benchmark (bench/kernel-vxlan.sh,
# `make bench-kernel-vxlan`, inside QEMU): the same overlay as
# bench/vxlan.sh (hv1, hv2 joined by the underlay veth ul0, one "VM" on
# port p1 of each, VNI $VX_VNI) and the same vxk_<NAME>_<hook> contract
# (kinds/vxlan.sh), but every bridge on a kernel datapath:
#
#   ovs-kernel   Debian's ovsdb-server + ovs-vswitchd per hv on
#                openvswitch.ko: br0 datapath_type=system {p1, vx0
#                type=vxlan remote_ip=<peer> key=$VX_VNI}, NORMAL.  The
#                module makes the tunnel port vxlan_sys_4789 a Linux vxlan
#                device (collect-metadata), hence `modprobe vxlan`.
#   ours-kernel  ovsdb-lite + our vswitchd per hv (kinds/vxlan.sh's
#                vx_ours_start with VX_OURS_DP_TYPE=system) on
#                vswitch_dp.ko: the same bridge; the tunnel port
#                vxlan_sys_4789 is our module's own VXLAN vport (a UDP
#                tunnel socket: `modprobe udp_tunnel` before insmod).
#
# Both keep the underlay IP on ul0 (the kernel routes the encapsulated
# frames) and the senders' TX offload on.  The two modules register the
# same generic netlink families: each setup unloads the other module, each
# teardown deletes the bridges (kernel datapaths outlive their daemon) and
# unloads its module.  Datapaths are per network namespace, so the two
# daemons of a kind (one per hv namespace) each have their own.

# ---- ovs-kernel -------------------------------------------------------------
vx_ovs_kernel_start() {
    local i=$1 ns
    ns=$(vx_hv_ns "$i")
    vx_ovs_env "$i"
    mkdir -p "$OVS_RUNDIR" "$OVS_LOGDIR" "$OVS_DBDIR"
    in_ns "$ns" ip addr add "$(vx_ul_ip "$i")/24" dev ul0 || return 1
    vx_ovs_daemons "$i" || return 1
    vx_ovs_vsctl "$i" add-br br0 -- set bridge br0 datapath_type=system \
        -- add-port br0 p1 -- set interface p1 ofport_request=1 \
        -- add-port br0 vx0 -- set interface vx0 type=vxlan ofport_request=2 \
        options:remote_ip="$(vx_ul_ip "$(vx_peer "$i")")" \
        options:key="$VX_VNI" || return 1
    vx_ovs_check "$i" p1 || return 1
    vx_ovs_check "$i" vx0 || return 1
    vx_ovs_ofctl "$i" del-flows br0 &&
        vx_ovs_ofctl "$i" add-flow br0 "priority=0,actions=NORMAL"
}
vx_ovs_kernel_stop() {
    local i=$1
    vx_ovs_env "$i"
    [ -S "$OVS_RUNDIR/db.sock" ] &&
        vx_ovs_vsctl "$i" --if-exists del-br br0 > /dev/null 2>&1
    vx_ovs_stop "$i"
    vx_in_hv "$i" ovs-dpctl del-dp system@ovs-system > /dev/null 2>&1
    return 0
}
vxk_ovs_kernel_available() {
    ovs_available || return 1
    modprobe vxlan 2> /dev/null || { echo "no vxlan module on $(uname -r)"; return 1; }
    modinfo openvswitch > /dev/null 2>&1 ||
        { echo "no openvswitch.ko on $(uname -r)"; return 1; }
}
vxk_ovs_kernel_describe() {
    echo "Open vSwitch $(ovs_version) on openvswitch.ko ($(uname -r)) per hv: ovsdb-server + ovs-vswitchd, br0 datapath_type=system {p1, vx0 type=vxlan remote_ip key=$VX_VNI} (tunnel port vxlan_sys_$VX_PORT, a Linux vxlan device), underlay IP on ul0, NORMAL, TX offload on"
}
vxk_ovs_kernel_offload() { echo on; }
vxk_ovs_kernel_setup() {
    kmod_unload vswitch_dp || return 1
    modprobe vxlan || return 1
    modprobe openvswitch || return 1
    vx_ovs_kernel_start 1 && vx_ovs_kernel_start 2 || return 1
    vx_ul_ping 1 && vx_ul_ping 2
}
vxk_ovs_kernel_teardown() {
    vx_ovs_kernel_stop 1
    vx_ovs_kernel_stop 2
    kmod_unload openvswitch
    return 0
}
vxk_ovs_kernel_pids() { vxk_ovs_pids; }
vxk_ovs_kernel_info() {
    local i
    for i in 1 2; do
        echo "== hv$i"
        vx_ovs_vsctl "$i" show
        vx_ovs_ofctl "$i" dump-ports br0
        vx_ovs_appctl "$i" dpctl/show -s
        vx_ovs_appctl "$i" dpctl/dump-flows -m
        vx_ovs_appctl "$i" coverage/show
        vx_in_hv "$i" ip -d -s link show "vxlan_sys_$VX_PORT"
        tail -n 20 "$BENCH_STATE/ovs-hv$i/log/ovs-vswitchd.log"
    done
}

# ---- ours-kernel ---------------------------------------------------------------
vxk_ours_kernel_available() {
    vxk_ours_available || return 1
    [ -f "$OURS_KMOD" ] || { echo "not built: $OURS_KMOD (make kmod)"; return 1; }
}
vxk_ours_kernel_describe() {
    echo "vswitch $("$OURS_BIN" --version 2> /dev/null | head -n 1) on vswitch_dp.ko ($(uname -r)) per hv: ovsdb-lite + vswitchd, br0 datapath_type=system {p1 type=system, vx0 type=vxlan remote_ip key=$VX_VNI} (tunnel port vxlan_sys_$VX_PORT, the module's VXLAN vport), underlay IP on ul0, NORMAL through our slow path, TX offload on"
}
vxk_ours_kernel_offload() { echo on; }
vxk_ours_kernel_setup() {
    kmod_unload openvswitch || return 1
    if ! lsmod | grep -q '^vswitch_dp '; then
        # insmod loads no dependencies: the VXLAN vport needs udp_tunnel.
        modprobe -q udp_tunnel
        modprobe -q ip6_udp_tunnel
        insmod "$OURS_KMOD" || return 1
    fi
    VX_OURS_DP_TYPE=system vx_ours_start 1 || return 1
    VX_OURS_DP_TYPE=system vx_ours_start 2 || return 1
    vx_ul_ping 1 && vx_ul_ping 2
}
vxk_ours_kernel_teardown() {
    local i
    for i in 1 2; do
        vx_ours_env "$i"
        [ -S "$VSWITCH_RUNDIR/db.sock" ] &&
            vx_ours_vsctl "$i" --if-exists del-br br0 > /dev/null 2>&1
        vx_ours_stop "$i"
        vx_in_hv "$i" ovs-dpctl del-dp system@br0 > /dev/null 2>&1
    done
    kmod_unload vswitch_dp
    return 0
}
vxk_ours_kernel_pids() { vxk_ours_pids; }
vxk_ours_kernel_info() {
    local i
    for i in 1 2; do
        echo "== hv$i"
        vx_ours_vsctl "$i" show
        vx_ours_vsctl "$i" list interface vx0
        vx_ours_ofctl "$i" dump-ports br0
        vx_in_hv "$i" ovs-dpctl show -s
        vx_in_hv "$i" ovs-dpctl dump-flows | head -n 50
        vx_ours_appctl "$i" coverage/show
        vx_ours_appctl "$i" upcall/show
        vx_in_hv "$i" ip -d -s link show
        tail -n 20 "$BENCH_STATE/ours-hv$i/vswitchd.log"
    done
}
