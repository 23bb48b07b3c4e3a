#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# VXLAN interfaces with an IPv6 underlay in vswitchd (docs/vswitchd.md,
# "IPv6 underlay"), configuration only: ovsdb-lite + vswitchd with a
# netdev bridge, in wait mode:
#   - remote_ip and local_ip of different families: Interface.error, ofport
#     -1; a multicast IPv6 remote_ip: a precise error;
#   - vx6 remote_ip=fd77:51::2 local_ip=fd77:51::100: no error, shares
#     vxlan_sys_4789 with an IPv4 tunnel; tunnel_egress_iface is the device
#     of the IPv6 route to fd77:51::2 and mtu is its MTU minus 70 (the
#     IPv4 tunnel's: minus 50);
#   - the tunnel list names the IPv6 addresses.
# The remotes are routed through a veth of the test's own.
# timeout: 120
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vswitchd-lib.sh"
require_root
require ip

BR=vx6$$
start_vswitchd
at_cleanup ip link delete "$BR"
vsctl add-br "$BR" || fail "add-br"
UL=vx6u$$
add_veth "$UL" "vx6v$$"
ip link set "$UL" mtu 1400
ip addr add 198.51.100.100/24 dev "$UL"
ip addr add fd77:51::100/64 dev "$UL" nodad
ip link set "vx6v$$" up
ip link set "$UL" up

get() { vsctl get Interface "$1" "$2" | tr -d '"'; }

log "bad IPv6 options"
vsctl add-port "$BR" vxbad -- set Interface vxbad type=vxlan \
    options:remote_ip=fd77:51::2 options:local_ip=198.51.100.100 2> /dev/null
expect "mixed families: error" \
    "vxbad: vxlan: remote_ip and local_ip are of different address families" \
    get vxbad error
expect "mixed families: ofport -1" "-1" get vxbad ofport
vsctl remove Interface vxbad options local_ip -- \
    set Interface vxbad options:remote_ip=ff02::1 2> /dev/null
expect "multicast remote: error" \
    'vxbad: vxlan: bad remote_ip \ff02::1\ (a unicast IPv4 or IPv6 address or \flow\)' \
    get vxbad error
vsctl del-port "$BR" vxbad

log "an IPv6 tunnel beside an IPv4 one"
vsctl add-port "$BR" vx6 -- set Interface vx6 type=vxlan \
    options:remote_ip=fd77:51::2 options:local_ip=fd77:51::100 \
    options:key=600 || fail "add vx6"
vsctl add-port "$BR" vx4 -- set Interface vx4 type=vxlan \
    options:remote_ip=198.51.100.2 options:key=400 || fail "add vx4"
expect "vx6 has no error" "[]" get vx6 error
check "vx6 has an ofport" test "$(get vx6 ofport)" -gt 0
expect "they share the datapath port" "$(get vx4 status:datapath_port)" \
    get vx6 status:datapath_port

# The status is refreshed with the statistics (every 5 s).
egress_is() { [ "$(get "$1" status:tunnel_egress_iface)" = "$2" ]; }
check "vx6 tunnel_egress_iface is the IPv6 route's device" \
    wait_for 12 egress_is vx6 "$UL"
mtu_is() { [ "$(get "$1" mtu)" = "$2" ]; }
check "vx6 mtu is 1400 - 70" wait_for 12 mtu_is vx6 1330
check "vx4 mtu is 1400 - 50" wait_for 12 mtu_is vx4 1350
if command -v ovs-appctl > /dev/null; then
    appctl ofproto/list-tunnels "$BR" > "$TMPD/tunnels" 2>&1
    check "the tunnel list names the IPv6 addresses" grep -q \
        'remote_ip=fd77:51::2, local_ip=fd77:51::100' "$TMPD/tunnels"
fi

vsctl del-port "$BR" vx6
vsctl del-port "$BR" vx4
vsctl del-br "$BR"
echo "1..$n"
