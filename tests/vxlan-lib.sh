# SPDX-License-Identifier: Apache-2.0
#
# tests/vxlan-lib.sh: simulated hypervisors for the VXLAN overlay tests.
# Source after lib.sh.
#
#   underlay          one namespace U$T holding a Linux bridge; every
#                     hypervisor hangs off it by a veth, 192.168.77.N/24.
#   underlay_v6       the same, and every hypervisor added after it also
#                     has fd77::N/64 (uaddr6 N) on that veth.
#   add_hv N          namespace h$T-N on the underlay with its own
#                     ovsdb-lite and vswitchd (run in that namespace, so the
#                     userspace datapath's tunnel sockets and the kernel
#                     datapath's vports live there), rundir $TMPD/hvN.
#   add_linux_hv N    namespace h$T-N on the underlay, no switch: the test
#                     builds Linux bridges and vxlan devices there.
#   add_vm N X ADDR MAC   a "VM": namespace v$T-NX behind a veth whose
#                     hypervisor end is tNX (in h$T-N), the VM end eth0.
#   hv_ctl N ARGS     vswitch-ctl (wait mode) against hypervisor N.
#   hv_appctl N ARGS  unixctl against hypervisor N's vswitchd.
#   hv_ofctl N ARGS   Debian's ovs-ofctl against hypervisor N's bridge
#                     socket (OpenFlow 1.3).
#   hv_overlay[_v6] N PEER...  bridge br0 with the tenant VMs and tunnels
#                     to each PEER's IPv4 (IPv6) underlay address.
#   vm N X CMD        CMD inside VM NX's namespace.
#
# VSWITCH_TEST_DP picks the datapath type of the bridges (netdev, the
# default, or system: the kernel's, inside QEMU).  All daemons are
# stopped by pid and every namespace deleted at cleanup.

TEST_DP=${VSWITCH_TEST_DP:-netdev}
LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
VSWITCHD=$BUILD/vswitchd/vswitchd
CTL=$BUILD/utilities/vswitch-ctl
for _x in "$LITE" "$TOOL" "$VSWITCHD" "$CTL"; do
    [ -x "$_x" ] || fail "missing $_x (make first)"
done
UNS=U$T

hvns() { echo "h$T-$1"; }
vmns() { echo "v$T-$1$2"; }
uaddr() { echo "192.168.77.$1"; }
uaddr6() { echo "fd77::$1"; }
UNDERLAY_V6=

# underlay: the underlay namespace and its bridge.
underlay() {
    add_netns "$UNS"
    ip -n "$UNS" link add ubr type bridge || fail "underlay bridge"
    ip -n "$UNS" link set ubr up
}

# underlay_v6: the underlay, with IPv6 addresses for the hypervisors.
underlay_v6() {
    underlay
    UNDERLAY_V6=1
}

# _hv_netns N: hypervisor N's namespace, its underlay veth "u" (the other
# end in the underlay bridge), 192.168.77.N/24 (and after underlay_v6
# fd77::N/64, without duplicate address detection: usable at once).
_hv_netns() {
    local ns
    ns=$(hvns "$1")
    add_netns "$ns"
    ip -n "$ns" link add u type veth peer name "u$1" netns "$UNS" ||
        fail "underlay veth of $ns"
    ip -n "$UNS" link set "u$1" master ubr up
    ip -n "$ns" addr add "$(uaddr "$1")/24" dev u
    if [ -n "$UNDERLAY_V6" ]; then
        ip -n "$ns" addr add "$(uaddr6 "$1")/64" dev u nodad
    fi
    ip -n "$ns" link set u up
}

add_linux_hv() { _hv_netns "$1"; }

add_hv() {
    local n=$1 ns dir
    ns=$(hvns "$n")
    dir=$TMPD/hv$n
    _hv_netns "$n"
    mkdir -p "$dir/run"
    "$TOOL" create "$dir/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" ||
        fail "hv$n: cannot create database"
    ip netns exec "$ns" "$LITE" --remote="punix:$dir/run/db.sock" \
        --unixctl="$dir/lite.ctl" --log-file="$dir/lite.log" \
        --pidfile="$dir/lite.pid" --detach "$dir/conf.db" 2> /dev/null ||
        fail "hv$n: ovsdb-lite did not start"
    track_pidfile "$dir/lite.pid"
    track_pidfile "$dir/run/vswitchd.pid"
    ip netns exec "$ns" env VSWITCH_RUNDIR="$dir/run" OVS_RUNDIR="$dir/run" \
        "$VSWITCHD" --detach --pidfile --log-file="$dir/vswitchd.log" \
        --default-datapath="$TEST_DP" || fail "hv$n: vswitchd did not start"
    if [ "$TEST_DP" = system ]; then
        at_cleanup "_hv_del_bridges $n"
    fi
    hv_ctl "$n" --no-wait init || fail "hv$n: init"
}

# Kernel datapaths outlive the daemon: delete the bridges while it runs.
_hv_del_bridges() {
    local br
    for br in $(hv_ctl "$1" list-br); do
        hv_ctl "$1" del-br "$br"
    done
}

hv_ctl() {
    local n=$1
    shift
    timeout 20 "$CTL" --db="unix:$TMPD/hv$n/run/db.sock" --timeout=10 "$@"
}

hv_appctl() {
    local n=$1 sock
    shift
    sock=$TMPD/hv$n/run/vswitchd.$(cat "$TMPD/hv$n/run/vswitchd.pid").ctl
    timeout 10 ovs-appctl -t "$sock" "$@"
}

hv_ofctl() {
    local n=$1
    shift
    OVS_RUNDIR=$TMPD/hv$n/run timeout 10 ovs-ofctl -O OpenFlow13 "$@"
}

# add_vm N X ADDR MAC: VM NX (IPv6 off, so that only the test's traffic
# crosses the overlay) behind veth tNX in hypervisor N.
add_vm() {
    local hv vns
    hv=$(hvns "$1")
    vns=$(vmns "$1" "$2")
    add_netns "$vns"
    ip netns exec "$vns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    ip -n "$vns" link add eth0 type veth peer name "t$1$2" netns "$hv" ||
        fail "veth of VM $1$2"
    ip -n "$vns" link set eth0 address "$4"
    ip -n "$vns" addr add "$3/24" dev eth0
    ip -n "$vns" link set eth0 up
    ip -n "$hv" link set "t$1$2" up
}

vm() {
    local ns
    ns=$(vmns "$1" "$2")
    shift 2
    ip netns exec "$ns" "$@"
}

# vm_iperf_server H X ADDR: a one-shot iperf3 server (30 s at most) in VM
# X of hypervisor H on ADDR, listening when this returns, killed at
# cleanup if still there.
vm_iperf_server() {
    spawn vm "$1" "$2" timeout 30 iperf3 -s -1 -B "$3" > /dev/null 2>&1
    wait_listen "$(vmns "$1" "$2")" 5201
}

# vm_ping N X ADDR: 3 pings from VM NX to ADDR, at least one answered,
# retried for up to 20 s (the first packets of a path are upcalls).
vm_ping() {
    local i
    for i in $(seq 10); do
        vm "$1" "$2" ping -c 3 -i 0.2 -W 2 "$3" > /dev/null 2>&1 && return 0
        sleep 1
    done
    return 1
}

# vm_neigh_mac N X ADDR: the MAC VM NX resolved ADDR to.
vm_neigh_mac() {
    vm "$1" "$2" ip neigh show "$3" dev eth0 | awk '{print $3}'
}

# mac TENANT N: the MAC of tenant TENANT's VM on hypervisor N.
mac() { printf '02:%s:00:00:00:%02x' "$1" "$2"; }
ofport() { hv_ctl "$1" get Interface "$2" ofport; }

# hv_overlay N PEER...: bridge br0 on hypervisor N with VMs Na, Nb and a
# tunnel per PEER hypervisor and tenant (vaM: VNI 100 in VLAN 10; vbM: VNI
# 200 in VLAN 20).
hv_overlay() { _hv_overlay uaddr "$@"; }

# hv_overlay_v6 N PEER...: the same with tunnels to the peers' IPv6
# underlay addresses.
hv_overlay_v6() { _hv_overlay uaddr6 "$@"; }

# _hv_overlay ADDR-FUNCTION N PEER...
_hv_overlay() {
    local addr=$1 n=$2 m args=()
    shift 2
    args=(-- add-br br0
        -- add-port br0 "t${n}a" -- set Port "t${n}a" tag=10
        -- add-port br0 "t${n}b" -- set Port "t${n}b" tag=20)
    for m in "$@"; do
        args+=(-- add-port br0 "va$m" -- set Port "va$m" tag=10
            -- set Interface "va$m" type=vxlan
            "options:remote_ip=$("$addr" "$m")" options:key=100
            -- add-port br0 "vb$m" -- set Port "vb$m" tag=20
            -- set Interface "vb$m" type=vxlan
            "options:remote_ip=$("$addr" "$m")" options:key=200)
    done
    hv_ctl "$n" "${args[@]}"
}

# linux_vtep VNI TENANT / linux_vtep6 VNI TENANT: on hypervisor 3 (plain
# Linux), a vxlan device for VNI over the IPv4 / IPv6 underlay in a Linux
# bridge with the tenant's VM port, flooding (head-end replication through
# all-zero FDB entries) to hypervisors 1 and 2; its MTU is the underlay's
# inner MTU (1500 - 50 / 1500 - 70).
linux_vtep() { _linux_vtep uaddr 1450 "$@"; }
linux_vtep6() { _linux_vtep uaddr6 1430 "$@"; }
_linux_vtep() {
    local addr=$1 mtu=$2 vni=$3 tenant=$4 ns
    ns=$(hvns 3)
    ip -n "$ns" link add "vx$vni" type vxlan id "$vni" dstport 4789 \
        local "$($addr 3)" dev u || return 1
    ip -n "$ns" link add "br$tenant" type bridge || return 1
    ip -n "$ns" link set "vx$vni" master "br$tenant" mtu "$mtu" up
    ip -n "$ns" link set "t3$tenant" master "br$tenant" up
    ip -n "$ns" link set "br$tenant" up
    bridge -n "$ns" fdb append 00:00:00:00:00:00 dev "vx$vni" dst "$($addr 1)" &&
        bridge -n "$ns" fdb append 00:00:00:00:00:00 dev "vx$vni" dst "$($addr 2)"
}

# tunnels_ok N PEER...: hypervisor N's tunnel interfaces to each PEER
# without error, with an OpenFlow port and the underlay as their egress.
tunnels_ok() {
    local n=$1 m t
    shift
    for m in "$@"; do
        for t in "va$m" "vb$m"; do
            [ "$(hv_ctl "$n" get Interface "$t" error)" = '[]' ] || return 1
            [ "$(ofport "$n" "$t")" -gt 0 ] || return 1
            [ "$(hv_ctl "$n" get Interface "$t" status:tunnel_egress_iface |
                tr -d '"')" = u ] || return 1
        done
    done
}

# fdb_port N MAC: the OpenFlow port hypervisor N's bridge learned MAC on.
fdb_port() {
    hv_appctl "$1" fdb/show br0 | awk -v m="$2" 'tolower($3) == m { print $1 }'
}

# hv_dump_logs N...: the switches' logs, for a failed test's diagnosis.
hv_dump_logs() {
    local n
    for n in "$@"; do
        echo "# --- hv$n vswitchd.log"
        tail -n 25 "$TMPD/hv$n/vswitchd.log" 2> /dev/null | sed 's/^/#   /'
    done
}
