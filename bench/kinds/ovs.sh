# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Debian's Open vSwitch as a peer.
#
#   ovs-netdev        userspace (netdev) datapath, type=system (AF_PACKET)
#                     ports, one flow actions=NORMAL (host)
#   ovs-netdev-flows  same, explicit in_port=i -> output:j flows instead of
#                     NORMAL (host; two VMs only; only when named in
#                     BENCH_KINDS)
#   ovs-netdev-afxdp  same as ovs-netdev-flows with type=afxdp ports polled
#                     by one PMD thread on CPU 1 (host; OVS's fastest set-up
#                     on veth; the PMD spins CPU 1 while it is set up)
#   ovs-kernel        openvswitch.ko (datapath "system"), NORMAL (bench-vm)
#
# A private ovsdb-server + ovs-vswitchd per setup, under
# $BENCH_STATE/ovs (OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR), never the system's
# /run/openvswitch.  ovs-vswitchd runs inside the switch namespace: the
# userspace datapath always creates a tap called "ovs-netdev", which would
# collide with any other OVS in the same namespace.  The netdev datapath
# forwards partial checksums as they are, so its kinds turn TX checksum
# offload off at the senders (TCP never connects otherwise).

OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

ovs_env() {
    export OVS_RUNDIR=$BENCH_STATE/ovs/run OVS_LOGDIR=$BENCH_STATE/ovs/log
    export OVS_DBDIR=$BENCH_STATE/ovs/db
}
ovs_vsctl() { ovs_env; ovs-vsctl --timeout=30 "$@"; }
ovs_ofctl() { ovs_env; timeout 30 ovs-ofctl "$@"; }
ovs_appctl() { ovs_env; timeout 30 ovs-appctl "$@"; }
ovs_version() { ovs-vswitchd --version 2> /dev/null | awk 'NR == 1 {print $NF}'; }

ovs_available() {
    local c
    for c in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl; do
        command -v "$c" > /dev/null ||
            { echo "missing $c (openvswitch-switch)"; return 1; }
    done
    [ -f "$OVS_SCHEMA" ] || { echo "missing $OVS_SCHEMA"; return 1; }
}

# ovs_start [OTHER_CONFIG...]: database + switch daemon (in $SW_NS).
ovs_start() {
    local kv
    ovs_env
    mkdir -p "$OVS_RUNDIR" "$OVS_LOGDIR" "$OVS_DBDIR"
    ovsdb-tool create "$OVS_DBDIR/conf.db" "$OVS_SCHEMA" || return 1
    # ovs-vswitchd 3.1 sizes its per-CPU upcall handlers from a CPU count it
    # refreshes only once CLOCK_MONOTONIC passes 10 s: in a freshly booted
    # guest it would start with none and lose every upcall until then.
    while [ "$(cut -d. -f1 /proc/uptime)" -lt 12 ]; do sleep 1; done
    ovsdb-server "$OVS_DBDIR/conf.db" --remote="punix:$OVS_RUNDIR/db.sock" \
        --pidfile --log-file --detach --no-chdir -vconsole:off || return 1
    track_pid "$(cat "$OVS_RUNDIR/ovsdb-server.pid")"
    ovs_vsctl --no-wait init || return 1
    for kv in "$@"; do
        ovs_vsctl --no-wait set Open_vSwitch . "other_config:$kv" || return 1
    done
    in_sw ovs-vswitchd "unix:$OVS_RUNDIR/db.sock" --pidfile --log-file \
        --detach --no-chdir -vconsole:off || return 1
    track_pid "$(cat "$OVS_RUNDIR/ovs-vswitchd.pid")"
}

# ovs_stop_daemon NAME: ask it to exit, then stop it by its pid.
ovs_stop_daemon() {
    local pid
    pid=$(cat "$OVS_RUNDIR/$1.pid" 2> /dev/null) || return 0
    kill -0 "$pid" 2> /dev/null || return 0
    ovs_appctl -t "$OVS_RUNDIR/$1.$pid.ctl" exit > /dev/null 2>&1
    stop_pid "$pid"
}
ovs_stop() {
    ovs_env
    [ -d "$OVS_RUNDIR" ] || return 0
    ovs_stop_daemon ovs-vswitchd
    ovs_stop_daemon ovsdb-server
    return 0
}
ovs_pids() { ovs_env; cat "$OVS_RUNDIR/ovs-vswitchd.pid" 2> /dev/null; }

# ovs_bridge DATAPATH_TYPE PORT_TYPE [Interface settings...]: bridge br0
# with ports p1..pN as OpenFlow ports 1..N.  add-port exits 0 even when
# the port failed, so each port's ofport and error are checked.
ovs_bridge() {
    local dp=$1 type=$2 i p ofport
    shift 2
    ovs_vsctl add-br br0 -- set bridge br0 datapath_type="$dp" || return 1
    for i in $(seq "$BENCH_VMS"); do
        p=$(sw_port "$i")
        ovs_vsctl add-port br0 "$p" -- set interface "$p" type="$type" \
            ofport_request="$i" "$@" || return 1
        ofport=$(ovs_vsctl get interface "$p" ofport)
        if [ "$ofport" != "$i" ]; then
            log "OVS port $p: ofport $ofport, error" \
                "$(ovs_vsctl get interface "$p" error)"
            return 1
        fi
    done
}
ovs_flows_normal() {
    ovs_ofctl del-flows br0 &&
        ovs_ofctl add-flow br0 "priority=0,actions=NORMAL"
}
ovs_flows_cross() {   # two ports: 1 -> 2, 2 -> 1
    ovs_vsctl set-fail-mode br0 secure &&
        ovs_ofctl del-flows br0 &&
        ovs_ofctl add-flow br0 "in_port=1,actions=output:2" &&
        ovs_ofctl add-flow br0 "in_port=2,actions=output:1"
}
ovs_info() {
    ovs_vsctl show
    ovs_ofctl dump-flows br0
    ovs_ofctl dump-ports br0
    ovs_appctl dpctl/dump-flows -m
    ovs_appctl coverage/show
    tail -n 20 "$OVS_LOGDIR/ovs-vswitchd.log"
}

kind_ovs_netdev_where() { echo host; }
kind_ovs_netdev_available() { ovs_available; }
kind_ovs_netdev_describe() {
    echo "Open vSwitch $(ovs_version) netdev datapath, type=system (AF_PACKET) ports, actions=NORMAL, TX offload off"
}
kind_ovs_netdev_offload() { echo off; }
kind_ovs_netdev_setup() {
    ovs_start && ovs_bridge netdev system && ovs_flows_normal
}
kind_ovs_netdev_teardown() { ovs_stop; }
kind_ovs_netdev_pids() { ovs_pids; }
kind_ovs_netdev_info() { ovs_info; }

kind_ovs_netdev_flows_where() { echo host; }
kind_ovs_netdev_flows_available() {
    [ "$BENCH_VMS" = 2 ] || { echo "needs BENCH_VMS=2"; return 1; }
    ovs_available
}
kind_ovs_netdev_flows_describe() {
    echo "Open vSwitch $(ovs_version) netdev datapath, type=system ports, flows in_port=1->2, 2->1, TX offload off"
}
kind_ovs_netdev_flows_offload() { echo off; }
kind_ovs_netdev_flows_setup() {
    ovs_start && ovs_bridge netdev system && ovs_flows_cross
}
kind_ovs_netdev_flows_teardown() { ovs_stop; }
kind_ovs_netdev_flows_pids() { ovs_pids; }
kind_ovs_netdev_flows_info() { ovs_info; }

kind_ovs_netdev_afxdp_where() { echo host; }
kind_ovs_netdev_afxdp_available() {
    [ "$BENCH_VMS" = 2 ] || { echo "needs BENCH_VMS=2"; return 1; }
    ovs_available
}
kind_ovs_netdev_afxdp_describe() {
    echo "Open vSwitch $(ovs_version) netdev datapath, type=afxdp (native copy mode) ports, 1 PMD on CPU 1, flows 1->2, 2->1, TX offload off"
}
kind_ovs_netdev_afxdp_offload() { echo off; }
kind_ovs_netdev_afxdp_setup() {
    ovs_start pmd-cpu-mask=0x2 &&
        ovs_bridge netdev afxdp options:xdp-mode=native options:n_rxq=1 &&
        ovs_flows_cross
}
kind_ovs_netdev_afxdp_teardown() { ovs_stop; }
kind_ovs_netdev_afxdp_pids() { ovs_pids; }
kind_ovs_netdev_afxdp_info() {
    ovs_info
    ovs_appctl dpif-netdev/pmd-stats-show
}

kind_ovs_kernel_where() { echo vm; }
kind_ovs_kernel_available() {
    ovs_available || return 1
    modprobe openvswitch 2> /dev/null ||
        { echo "no openvswitch.ko on $(uname -r)"; return 1; }
}
kind_ovs_kernel_describe() {
    echo "Open vSwitch $(ovs_version) kernel datapath (openvswitch.ko, $(uname -r)), actions=NORMAL, TX offload on"
}
# openvswitch.ko and our vswitch_dp.ko (kind ours-kernel) register the same
# generic netlink families: one loaded at a time, swapped at each setup.
kind_ovs_kernel_setup() {
    kmod_unload vswitch_dp || return 1
    modprobe openvswitch || return 1
    ovs_start && ovs_bridge system system && ovs_flows_normal
}
kind_ovs_kernel_teardown() {
    ovs_vsctl --if-exists del-br br0 > /dev/null 2>&1
    ovs_stop
    in_sw ovs-dpctl del-dp system@ovs-system > /dev/null 2>&1
    kmod_unload openvswitch
    return 0
}
kind_ovs_kernel_pids() { ovs_pids; }
kind_ovs_kernel_info() { ovs_info; }
