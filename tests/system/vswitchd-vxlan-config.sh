#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# VXLAN interfaces in vswitchd (docs/vswitchd.md, "Tunnels"): ovsdb-lite +
# vswitchd with a netdev bridge, configured in wait mode:
#   - bad options (no remote_ip, a VNI out of range, an unknown option, a
#     bad dst_port) put a precise message in Interface.error, ofport -1,
#     and the other interfaces are unaffected;
#   - the three ports of CONTRACTS §6 (vx1 remote_ip=198.51.100.2 key=5000,
#     vx2 remote_ip=flow key=flow, vx3 dst_port=8472): no error, distinct
#     ofports, none of them a datapath port number; vx1 and vx2 share the
#     datapath port vxlan_sys_4789, vx3 has vxlan_sys_8472
#     (vswitch-dpctl show); status tunnel_egress_iface is the device of
#     the route to remote_ip; a port added later gets none of the tunnel
#     numbers; a restart keeps every ofport;
#   - deleting the last tunnel of a dst_port removes its datapath port.
# The remotes 198.51.100.0/24 are routed through a veth of the test's own,
# so the egress checks never depend on the host's routes.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vswitchd-lib.sh"
require_root
require ip

DPCTL=$BUILD/utilities/vswitch-dpctl
BR=vx$$
start_vswitchd
at_cleanup ip link delete "$BR"
vsctl add-br "$BR" || fail "add-br"
UL=vxu$$
add_veth "$UL" "vxv$$"
ip addr add 198.51.100.100/24 dev "$UL"
ip link set "vxv$$" up
ip link set "$UL" up

get() { vsctl get Interface "$1" "$2" | tr -d '"'; }
dp_show() { "$DPCTL" show "$(dp_name "$BR")"; }
# dp_port_of NAME: the datapath number of port NAME.
dp_port_of() { dp_show | sed -n "s/^  port \([0-9]*\): $1\b.*/\1/p"; }

log "bad options"
# (vsctl prints "Error detected while setting up" for each: expected.)
vsctl add-port "$BR" vxbad -- set Interface vxbad type=vxlan options:key=5 \
    2> /dev/null
expect "no remote_ip: error" "vxbad: vxlan: options:remote_ip is required" \
    get vxbad error
expect "no remote_ip: ofport -1" "-1" get vxbad ofport
vsctl set Interface vxbad options:remote_ip=198.51.100.2 options:key=16777216
expect "VNI too big: error" \
    'vxbad: vxlan: bad key \16777216\ (a VNI, 0-16777215, or \flow\)' \
    get vxbad error
vsctl set Interface vxbad options:key=5 options:colour=blue
expect "unknown option: error" 'vxbad: vxlan: unknown option \colour\' \
    get vxbad error
vsctl remove Interface vxbad options colour -- \
    set Interface vxbad options:dst_port=0
expect "dst_port 0: error" 'vxbad: vxlan: bad dst_port \0\ (1-65535)' \
    get vxbad error
vsctl del-port "$BR" vxbad
vsctl add-port "$BR" d1 -- set Interface d1 type=dummy
expect "a dummy port beside them works" "[]" get d1 error

log "the ports of CONTRACTS §6"
vsctl add-port "$BR" vx1 -- set Interface vx1 type=vxlan \
    options:remote_ip=198.51.100.2 options:key=5000 || fail "add vx1"
# vx2 through Debian's ovs-vsctl when there is one (CONTRACTS §6 says it so).
if command -v ovs-vsctl > /dev/null; then
    timeout 20 ovs-vsctl --db="$DB" --timeout=10 add-port "$BR" vx2 -- \
        set Interface vx2 type=vxlan options:remote_ip=flow \
        options:key=flow 2> "$TMPD/ovs-vsctl.err" || fail "add vx2"
else
    vsctl add-port "$BR" vx2 -- set Interface vx2 type=vxlan \
        options:remote_ip=flow options:key=flow || fail "add vx2"
fi
vsctl add-port "$BR" vx3 -- set Interface vx3 type=vxlan \
    options:remote_ip=198.51.100.3 options:local_ip=198.51.100.1 \
    options:dst_port=8472 options:key=77 || fail "add vx3"
vsctl list-ifaces "$BR" | grep -q '^vx1$' || fail "vx1 not in the bridge"
for i in 1 2 3; do
    expect "vx$i: no error" "[]" vsctl get Interface "vx$i" error
done
of1=$(get vx1 ofport) of2=$(get vx2 ofport) of3=$(get vx3 ofport)
dp1=$(get vx1 status:datapath_port) dp2=$(get vx2 status:datapath_port)
dp3=$(get vx3 status:datapath_port)
echo "# dpif: vx1 $of1/$dp1, vx2 $of2/$dp2, vx3 $of3/$dp3"
check "ofports are distinct numbers" test "$of1" -gt 0 -a "$of2" -gt 0 \
    -a "$of3" -gt 0 -a "$of1" != "$of2" -a "$of2" != "$of3" \
    -a "$of1" != "$of3"
expect "vx1 and vx2 share vxlan_sys_4789" "$dp1 $dp1" \
    echo "$(dp_port_of vxlan_sys_4789) $dp2"
expect "vx3 is on vxlan_sys_8472" "$dp3" dp_port_of vxlan_sys_8472
check "vx3's datapath port is another" test "$dp3" != "$dp1"
ports=$(dp_show | sed -n 's/^  port \([0-9]*\):.*/\1/p' | tr '\n' ' ')
for of in $of1 $of2 $of3; do
    check "ofport $of is no datapath port ($ports)" \
        sh -c "! echo ' $ports' | grep -q ' $of '"
done
check "ofproto/list-tunnels: vx1 $of1/$dp1" \
    sh -c "$(declare -f appctl); VSWITCH_RUNDIR=$VSWITCH_RUNDIR \
        appctl ofproto/list-tunnels $BR | grep -q '^  vx1 $of1/$dp1: '"
log "translation sees the tunnels (NORMAL)"
trace() {
    sh -c "$(declare -f appctl); VSWITCH_RUNDIR=$VSWITCH_RUNDIR \
        appctl ofproto/trace $BR '$1'"
}
of_d1=$(get d1 ofport)
trace "in_port=$of_d1,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp" \
    > "$TMPD/trace1"
check "a flood from d1 goes into vx1 (VNI 5000, to 198.51.100.2)" \
    grep -q "set(tunnel(tun_id=0x1388,dst=198.51.100.2,ttl=64,tp_dst=4789,flags(df|key))),$dp1" \
    "$TMPD/trace1"
check "and into vx3 (VNI 77, 198.51.100.1 to 198.51.100.3, port 8472)" \
    grep -q "set(tunnel(tun_id=0x4d,src=198.51.100.1,dst=198.51.100.3,ttl=64,tp_dst=8472,flags(df|key))),$dp3" \
    "$TMPD/trace1"
trace "in_port=$of1,tun_id=5000,tun_src=198.51.100.2,tun_dst=198.51.100.1,tun_flags=+key,dl_src=02:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff,arp" \
    > "$TMPD/trace2"
check "a packet from 198.51.100.2 with VNI 5000 is vx1's" \
    grep -q "tunnel: received on vx1 (ofport $of1)" "$TMPD/trace2"
d1_dp=$(get d1 status:datapath_port)
expect "its flood reaches d1 and LOCAL, no tunnel (split horizon)" \
    "Datapath actions: $d1_dp,0" grep "^Datapath actions" "$TMPD/trace2"
vsctl add-port "$BR" d2 -- set Interface d2 type=dummy
d2=$(get d2 ofport)
check "a later port ($d2) takes no tunnel number" \
    test "$d2" != "$of1" -a "$d2" != "$of2" -a "$d2" != "$of3"

# The status is refreshed with the statistics (every 5 s).
egress_is() { [ "$(get vx1 status:tunnel_egress_iface)" = "$1" ]; }
check "vx1 tunnel_egress_iface is the route's device" wait_for 12 egress_is "$UL"

expect "vx1 tunnel_egress_iface_carrier" up \
    get vx1 status:tunnel_egress_iface_carrier
check "vx2 (remote_ip=flow) has no egress" \
    sh -c "! $CTL --db=$DB get Interface vx2 status | grep -q egress"

log "restart keeps the numbers"
kill_pid "$(cat "$VSWITCH_RUNDIR/vswitchd.pid")"
"$VSWITCHD" --detach --pidfile --log-file="$TMPD/vswitchd.log" \
    --default-datapath="$TEST_DP" || fail "vswitchd did not restart"
vsctl set Open_vSwitch . other_config:vxlan-test=1 || fail "no pass"
expect "ofports after restart" "$of1 $of2 $of3 $d2" \
    echo "$(get vx1 ofport) $(get vx2 ofport) $(get vx3 ofport) $(get d2 ofport)"

log "a dst_port change moves the tunnel, not its number"
vsctl set Interface vx3 options:dst_port=4789
# (The restart made the netdev datapath again: its port numbers may
# differ; a kernel datapath's are adopted.)
expect "vx3 keeps ofport $of3, now on vxlan_sys_4789" \
    "$of3 $(dp_port_of vxlan_sys_4789)" \
    echo "$(get vx3 ofport) $(get vx3 status:datapath_port)"
expect "vxlan_sys_8472 went with it" "" dp_port_of vxlan_sys_8472
vsctl set Interface vx3 options:dst_port=8472
expect "and back" "$of3 $(dp_port_of vxlan_sys_8472)" \
    echo "$(get vx3 ofport) $(get vx3 status:datapath_port)"

log "the last tunnel of a dst_port takes its datapath port away"
vsctl del-port "$BR" vx3
expect "vxlan_sys_8472 gone" "" dp_port_of vxlan_sys_8472
vsctl del-port "$BR" vx1
check "vxlan_sys_4789 stays for vx2" test -n "$(dp_port_of vxlan_sys_4789)"
vsctl del-port "$BR" vx2
expect "vxlan_sys_4789 gone" "" dp_port_of vxlan_sys_4789
vsctl del-br "$BR"
echo "1..$n"
