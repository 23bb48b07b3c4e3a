# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# The kinds of the VXLAN overlay benchmark (bench/vxlan.sh).  They are not
# switch kinds of bench/run.sh (no kind_*_setup functions, so `make bench`
# never lists them): each one makes a VXLAN overlay between the two
# "hypervisor" namespaces of bench/vxlan.sh, hv1 and hv2, joined by the
# underlay veth ul0 (MTU 1500), each with one "VM" on its port p1.
#
# A kind NAME is the functions vxk_<NAME with - as _>_<hook>:
#
#   setup       build the overlay in both hv namespaces ($(vx_hv_ns I));
#               the underlay veth is up without an address; p1 is up.
#               Return non-zero only when the switch itself could not be
#               started; a port that failed is logged (the harness's ping
#               then decides whether the kind is measured).
#   teardown    stop what setup started, by pid; safe after a failure.
#   available   0, or print the reason and return non-zero.
#   describe    one line for the report.
#   offload     on|off: TX checksum offload (TSO/GSO) of the VM ends.
#   pids        the switch's userspace processes (both hvs), if any.
#   info        statistics for the logs after a round.
#
# Kinds: linux, linux-txoff (Linux bridge + Linux vxlan device), ovs
# (Debian's ovs-vswitchd, netdev datapath, tunnel IP on br-phy), ours
# (our ovsdb-lite + vswitchd, netdev datapath, VXLAN through a kernel UDP
# socket, the underlay IP on ul0 itself).

: "${VX_VNI:=42}"                 # VXLAN network identifier
: "${VX_PORT:=4789}"              # its UDP destination port
: "${VX_UL_NET:=192.168.50}"      # underlay: hv I has $VX_UL_NET.I/24
: "${VX_INNER_MTU:=1450}"         # 1500 - 50 bytes of encapsulation

vx_hv_ns() { echo "vsb-$BENCH_TAG-hv$1"; }
vx_in_hv() { local i=$1; shift; in_ns "$(vx_hv_ns "$i")" "$@"; }
vx_ul_ip() { echo "$VX_UL_NET.$1"; }
vx_peer() { echo $((3 - $1)); }   # the other hv

vxk_fn() { echo "vxk_${1//-/_}_$2"; }
vxk_exists() { declare -F "$(vxk_fn "$1" setup)" > /dev/null; }
vxk_call() {    # vxk_call KIND HOOK ARGS...: optional hooks succeed
    local fn
    fn=$(vxk_fn "$1" "$2")
    shift 2
    if declare -F "$fn" > /dev/null; then "$fn" "$@"; fi
}
vxk_list() {
    declare -F | awk '{print $3}' | sed -n 's/^vxk_\(.*\)_setup$/\1/p' | tr _ -
}
vxk_available() {
    local fn
    fn=$(vxk_fn "$1" available)
    if declare -F "$fn" > /dev/null; then "$fn"; else return 0; fi
}

# vx_ul_ping I: hv I reaches the other hv's underlay address (<= 10 s).
vx_ul_ping() {
    local _
    for _ in $(seq 10); do
        vx_in_hv "$1" ping -c 1 -W 1 -q "$(vx_ul_ip "$(vx_peer "$1")")" \
            > /dev/null 2>&1 && return 0
    done
    log "hv$1 cannot reach $(vx_ul_ip "$(vx_peer "$1")") on the underlay"
    return 1
}

# ---- linux: Linux bridge br0 {p1, vx0} per hv, vx0 a Linux vxlan device -
vx_linux_available() {
    local ns=vsb-$BENCH_TAG-vxprobe rc=0
    ip netns add "$ns" 2> /dev/null || { echo "cannot create a namespace"; return 1; }
    ip -n "$ns" link add vxprobe type vxlan id 1 dstport 4789 local 192.0.2.1 \
        2> /dev/null || rc=1
    ip netns delete "$ns"
    [ "$rc" = 0 ] || echo "the kernel cannot create a vxlan device"
    return $rc
}
vx_linux_setup() {
    local i
    for i in 1 2; do
        vx_in_hv "$i" ip addr add "$(vx_ul_ip "$i")/24" dev ul0 || return 1
        vx_in_hv "$i" ip link add vx0 type vxlan id "$VX_VNI" \
            dstport "$VX_PORT" local "$(vx_ul_ip "$i")" \
            remote "$(vx_ul_ip "$(vx_peer "$i")")" dev ul0 || return 1
        vx_in_hv "$i" ip link set vx0 mtu "$VX_INNER_MTU" || return 1
        vx_in_hv "$i" ip link add br0 type bridge stp_state 0 || return 1
        vx_in_hv "$i" ip link set p1 master br0 || return 1
        vx_in_hv "$i" ip link set vx0 master br0 || return 1
        vx_in_hv "$i" ip link set vx0 up || return 1
        vx_in_hv "$i" ip link set br0 up || return 1
    done
    vx_ul_ping 1 && vx_ul_ping 2
}
vx_linux_info() {
    local i
    for i in 1 2; do
        echo "== hv$i"
        vx_in_hv "$i" ip -d -s link show vx0
        vx_in_hv "$i" bridge fdb show br br0
        vx_in_hv "$i" bridge fdb show dev vx0
    done
}
vxk_linux_available() { vx_linux_available; }
vxk_linux_describe() {
    echo "Linux $(uname -r) bridge + vxlan device (id $VX_VNI, dstport $VX_PORT, local/remote unicast, MTU $VX_INNER_MTU) per hv, no STP, br_netfilter off, TX offload on (kernel default)"
}
vxk_linux_offload() { echo on; }
vxk_linux_setup() { vx_linux_setup; }
vxk_linux_teardown() { return 0; }     # the namespaces take it all
vxk_linux_info() { vx_linux_info; }

vxk_linux_txoff_available() { vx_linux_available; }
vxk_linux_txoff_describe() { vxk_linux_describe | sed 's/TX offload on (kernel default)/TX offload off (as the userspace kinds)/'; }
vxk_linux_txoff_offload() { echo off; }
vxk_linux_txoff_setup() { vx_linux_setup; }
vxk_linux_txoff_teardown() { return 0; }
vxk_linux_txoff_info() { vx_linux_info; }

# ---- ovs: Debian's ovs-vswitchd, userspace datapath, one per hv ---------
# OVS's userspace tunnelling sends and receives the VXLAN frames itself:
# the underlay veth ul0 is a port of a second netdev bridge br-phy, and the
# tunnel's source address sits on br-phy's LOCAL port (the tap "br-phy"),
# from which ovs-vswitchd learns the route (ovs-appctl ovs/route/show) and,
# snooping ARP through br-phy, the next hop's MAC (tnl/arp/show).  br0
# holds p1 and vx0 (type=vxlan, remote_ip = the other hv, key 42); both
# bridges forward by NORMAL.  Each hv has its own ovsdb-server, database,
# run and log directory ($BENCH_STATE/ovs-hvI), its ovs-vswitchd runs in
# the hv namespace.
vx_ovs_env() {
    export OVS_RUNDIR=$BENCH_STATE/ovs-hv$1/run OVS_LOGDIR=$BENCH_STATE/ovs-hv$1/log
    export OVS_DBDIR=$BENCH_STATE/ovs-hv$1/db
}
vx_ovs_vsctl() { local i=$1; shift; vx_ovs_env "$i"; ovs-vsctl --timeout=30 "$@"; }
vx_ovs_appctl() { local i=$1; shift; vx_ovs_env "$i"; timeout 30 ovs-appctl "$@"; }
vx_ovs_ofctl() { local i=$1; shift; vx_ovs_env "$i"; timeout 30 ovs-ofctl "$@"; }

# vx_ovs_check I IFACE: the interface got an OpenFlow port and no error.
vx_ovs_check() {
    local ofport err
    ofport=$(vx_ovs_vsctl "$1" get interface "$2" ofport 2> /dev/null)
    err=$(vx_ovs_vsctl "$1" get interface "$2" error 2> /dev/null)
    case $ofport in
    '' | -1 | '[]') log "ovs hv$1: port $2 failed: ofport '$ofport', error $err"; return 1 ;;
    esac
    return 0
}
# vx_ovs_daemons I: a fresh database, ovsdb-server and ovs-vswitchd (in
# hv I's namespace) for hv I, both tracked; vx_ovs_env I set beforehand.
# ovs-vswitchd 3.1 sizes its upcall handlers from a CPU count it
# refreshes only after 10 s of uptime (kinds/ovs.sh).
vx_ovs_daemons() {
    local i=$1
    ovsdb-tool create "$OVS_DBDIR/conf.db" "$OVS_SCHEMA" || return 1
    while [ "$(cut -d. -f1 /proc/uptime)" -lt 12 ]; do sleep 1; done
    ovsdb-server "$OVS_DBDIR/conf.db" --remote="punix:$OVS_RUNDIR/db.sock" \
        --pidfile --log-file --detach --no-chdir -vconsole:off || return 1
    track_pid "$(cat "$OVS_RUNDIR/ovsdb-server.pid")"
    vx_ovs_vsctl "$i" --no-wait init || return 1
    in_ns "$(vx_hv_ns "$i")" ovs-vswitchd "unix:$OVS_RUNDIR/db.sock" --pidfile --log-file \
        --detach --no-chdir -vconsole:off || return 1
    track_pid "$(cat "$OVS_RUNDIR/ovs-vswitchd.pid")"
}
vx_ovs_start() {
    local i=$1 ns _
    ns=$(vx_hv_ns "$i")
    vx_ovs_env "$i"
    mkdir -p "$OVS_RUNDIR" "$OVS_LOGDIR" "$OVS_DBDIR"
    vx_ovs_daemons "$i" || return 1
    vx_ovs_vsctl "$i" add-br br-phy -- set bridge br-phy datapath_type=netdev \
        -- add-port br-phy ul0 -- set interface ul0 type=system || return 1
    vx_ovs_check "$i" ul0 || return 1
    for _ in $(seq 50); do
        in_ns "$ns" test -e /sys/class/net/br-phy && break
        sleep 0.1
    done
    in_ns "$ns" ip addr add "$(vx_ul_ip "$i")/24" dev br-phy || return 1
    in_ns "$ns" ip link set br-phy up || return 1
    vx_ovs_vsctl "$i" add-br br0 -- set bridge br0 datapath_type=netdev \
        -- add-port br0 p1 -- set interface p1 type=system ofport_request=1 \
        -- add-port br0 vx0 -- set interface vx0 type=vxlan ofport_request=2 \
        options:remote_ip="$(vx_ul_ip "$(vx_peer "$i")")" \
        options:key="$VX_VNI" options:dst_port="$VX_PORT" || return 1
    vx_ovs_check "$i" p1 && vx_ovs_check "$i" vx0
}
vx_ovs_stop() {
    local i=$1 pid p
    vx_ovs_env "$i"
    for p in ovs-vswitchd ovsdb-server; do
        pid=$(cat "$OVS_RUNDIR/$p.pid" 2> /dev/null) || continue
        kill -0 "$pid" 2> /dev/null || continue
        timeout 10 ovs-appctl -t "$OVS_RUNDIR/$p.$pid.ctl" exit > /dev/null 2>&1
        stop_pid "$pid"
    done
    return 0
}
vxk_ovs_available() { ovs_available; }
vxk_ovs_describe() {
    echo "Open vSwitch $(ovs_version) userspace (netdev) datapath per hv: br0 {p1 type=system, vx0 type=vxlan remote_ip key=$VX_VNI}, br-phy {ul0 type=system} with the underlay IP on br-phy (OVS tunnel routing/ARP), NORMAL, TX offload off"
}
vxk_ovs_offload() { echo off; }
vxk_ovs_setup() {
    vx_ovs_start 1 && vx_ovs_start 2 || return 1
    # Both ways, so that each ovs-vswitchd has snooped its next hop's MAC.
    vx_ul_ping 1 && vx_ul_ping 2
}
vxk_ovs_teardown() { vx_ovs_stop 1; vx_ovs_stop 2; }
vxk_ovs_pids() {
    local i
    for i in 1 2; do
        cat "$BENCH_STATE/ovs-hv$i/run/ovs-vswitchd.pid" 2> /dev/null
    done
}
vxk_ovs_info() {
    local i
    for i in 1 2; do
        echo "== hv$i"
        vx_ovs_vsctl "$i" show
        vx_ovs_appctl "$i" ovs/route/show
        vx_ovs_appctl "$i" tnl/arp/show
        vx_ovs_appctl "$i" tnl/ports/show
        vx_ovs_appctl "$i" dpctl/show -s
        vx_ovs_appctl "$i" dpctl/dump-flows
        vx_ovs_appctl "$i" coverage/show
        tail -n 20 "$BENCH_STATE/ovs-hv$i/log/ovs-vswitchd.log"
    done
}

# ---- ours: ovsdb-lite + vswitchd, userspace datapath, one per hv --------
# The contract this is written to (docs/contracts §6, the vxlan branch):
# bridge br0 (datapath_type=netdev) with p1 (type=system) and vx0
# (type=vxlan, options:remote_ip = the other hv's underlay IP,
# options:key=42); the daemon sends and receives the VXLAN frames through
# a kernel UDP socket in its own namespace, so the underlay IP sits on
# ul0 itself (no br-phy).  Forwarding: OpenFlow priority=0,actions=NORMAL
# (Debian's ovs-ofctl on RUNDIR/br0.mgmt), as in kinds/ours.sh.  State
# under $BENCH_STATE/ours-hvI.  VX_OURS_OFFLOAD=on|off (default: what
# kind ours uses) sets the senders' TX offload.
# VX_OURS_DP_TYPE=system puts br0 on the kernel datapath instead (kind
# ours-kernel of bench/kernel-vxlan.sh, kinds/vxlan-kernel.sh).
vx_ours_env() { export VSWITCH_RUNDIR=$BENCH_STATE/ours-hv$1; }
vx_ours_vsctl() {
    local i=$1
    shift
    vx_ours_env "$i"
    timeout 30 "$OURS_CTL" --db="unix:$VSWITCH_RUNDIR/db.sock" --timeout=20 "$@"
}
vx_ours_ofctl() {
    local i=$1
    shift
    vx_ours_env "$i"
    OVS_RUNDIR=$VSWITCH_RUNDIR timeout 60 ovs-ofctl "$@"
}
vx_ours_dpctl() { local i=$1; shift; vx_ours_env "$i"; timeout 30 "$OURS_DPCTL" "$@"; }
vx_ours_appctl() { local i=$1; shift; vx_ours_env "$i"; timeout 30 "$OURS_APPCTL" -t vswitchd "$@"; }

vx_ours_port() {    # vx_ours_port I IFACE: got an OpenFlow port, no error
    local ofport err
    ofport=$(vx_ours_vsctl "$1" get interface "$2" ofport 2> /dev/null)
    err=$(vx_ours_vsctl "$1" get interface "$2" error 2> /dev/null)
    case $ofport in
    '' | -1 | '[]') log "ours hv$1: port $2 failed: ofport '$ofport', error $err"; return 1 ;;
    esac
    return 0
}
vx_ours_start() {
    local i=$1 ns _
    ns=$(vx_hv_ns "$i")
    vx_ours_env "$i"
    mkdir -p "$VSWITCH_RUNDIR"
    in_ns "$ns" ip addr add "$(vx_ul_ip "$i")/24" dev ul0 || return 1
    "$OURS_LITE_TOOL" create "$VSWITCH_RUNDIR/conf.db" "$OURS_SCHEMA" || return 1
    "$OURS_LITE" --remote="punix:$VSWITCH_RUNDIR/db.sock" \
        --unixctl="$VSWITCH_RUNDIR/lite.ctl" \
        --log-file="$VSWITCH_RUNDIR/lite.log" \
        --pidfile="$VSWITCH_RUNDIR/lite.pid" --detach \
        "$VSWITCH_RUNDIR/conf.db" 2> /dev/null || return 1
    track_pid "$(cat "$VSWITCH_RUNDIR/lite.pid")"
    in_ns "$ns" env VSWITCH_RUNDIR="$VSWITCH_RUNDIR" \
        VSWITCH_AFPACKET_RING="${OURS_RING:-1}" "$OURS_BIN" --detach \
        --pidfile --log-file="$VSWITCH_RUNDIR/vswitchd.log" \
        --db="unix:$VSWITCH_RUNDIR/db.sock" || return 1
    track_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
    vx_ours_vsctl "$i" --no-wait init || return 1
    vx_ours_vsctl "$i" add-br br0 -- set bridge br0 \
        datapath_type="${VX_OURS_DP_TYPE:-netdev}" || return 1
    vx_ours_vsctl "$i" add-port br0 p1 -- set interface p1 type=system \
        ofport_request=1 || return 1
    vx_ours_port "$i" p1 || return 1
    # A VXLAN port this build refuses is logged, not fatal: the
    # harness's ping then reports the kind as having no connectivity.
    vx_ours_vsctl "$i" add-port br0 vx0 -- set Interface vx0 type=vxlan \
        options:remote_ip="$(vx_ul_ip "$(vx_peer "$i")")" \
        options:key="$VX_VNI" ||
        log "ours hv$i: add-port vx0 type=vxlan refused"
    vx_ours_port "$i" vx0
    for _ in $(seq 50); do
        [ -S "$VSWITCH_RUNDIR/br0.mgmt" ] && break
        sleep 0.1
    done
    vx_ours_ofctl "$i" del-flows br0 &&
        vx_ours_ofctl "$i" add-flow br0 "priority=0,actions=NORMAL"
}
vx_ours_stop() {
    local i=$1 f
    vx_ours_env "$i"
    for f in vswitchd lite; do
        [ -f "$VSWITCH_RUNDIR/$f.pid" ] && stop_pid "$(cat "$VSWITCH_RUNDIR/$f.pid")"
    done
    return 0
}
vxk_ours_available() {
    local b
    for b in "$OURS_BIN" "$OURS_CTL" "$OURS_LITE" "$OURS_LITE_TOOL"; do
        [ -x "$b" ] || { echo "not built: $b"; return 1; }
    done
    command -v ovs-ofctl > /dev/null || { echo "missing ovs-ofctl"; return 1; }
}
vxk_ours_describe() {
    echo "vswitch $("$OURS_BIN" --version 2> /dev/null | head -n 1) userspace (netdev) datapath per hv, ovsdb-lite: br0 {p1 type=system, vx0 type=vxlan remote_ip key=$VX_VNI}, VXLAN through a kernel UDP socket, underlay IP on ul0, NORMAL, TX offload $(vxk_ours_offload)"
}
vxk_ours_offload() {
    if [ -n "${VX_OURS_OFFLOAD:-}" ]; then echo "$VX_OURS_OFFLOAD"; else kind_ours_offload; fi
}
vxk_ours_setup() {
    vx_ours_start 1 || return 1
    vx_ours_start 2 || return 1
    vx_ul_ping 1 && vx_ul_ping 2
}
vxk_ours_teardown() { vx_ours_stop 1; vx_ours_stop 2; }
vxk_ours_pids() {
    local i
    for i in 1 2; do cat "$BENCH_STATE/ours-hv$i/vswitchd.pid" 2> /dev/null; done
}
vxk_ours_info() {
    local i
    for i in 1 2; do
        echo "== hv$i"
        vx_ours_vsctl "$i" show
        vx_ours_vsctl "$i" list interface vx0
        vx_ours_dpctl "$i" show -s netdev@br0
        vx_ours_dpctl "$i" dump-flows netdev@br0 | head -n 50
        vx_ours_ofctl "$i" dump-flows br0 | head -n 20
        vx_ours_appctl "$i" coverage/show
        tail -n 20 "$BENCH_STATE/ours-hv$i/vswitchd.log"
    done
}
