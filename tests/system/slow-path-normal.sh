#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 150
#
# The slow path's NORMAL action on a real bridge (vswitchd, userspace
# datapath, namespaces behind veths), proven with traffic and port
# counters read by Debian's ovs-ofctl:
#   - a MAC learning switch: once learned, unicast reaches only its port;
#     broadcast floods; fdb/show lists the MACs (through Debian's
#     ovs-appctl), fdb/flush empties it;
#   - VLANs: access ports tag=10 and tag=20 are isolated from each other,
#     broadcast floods only within the VLAN, a trunk port carries the
#     VLAN's frames with their 802.1Q tag (tcpdump -e on the trunk side);
#   - Open_vSwitch other_config:max-idle=1000: idle megaflows leave the
#     datapath within seconds (dpif/dump-flows); flow-limit in upcall/show.
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
. "$SRCDIR/tests/vswitchd-lib.sh"
require_root
require ip ping tcpdump ovs-ofctl ovs-appctl timeout python3
start_vswitchd

BR=sn${T}b
mac() { printf '02:5a:00:00:00:%02x' "$1"; }
# Hosts 1-3 untagged (learning test), later 1,2 on VLAN 10, 3 on VLAN 20,
# 4 a trunk (trunks=10,20; its tagged frames sent from a raw socket).
add_host_set sn${T} 10.78.0 02:5a:00:00:00 4
check "add-br with three ports (NORMAL)" add_bridge "$BR" sn${T} 3
ping_ok() { ip netns exec "sn${T}n$1" ping -c "${3:-2}" -i 0.1 -W 1 "$2" > /dev/null; }
check "h1 pings h2 (learning)" ping_ok 1 10.78.0.2
check "h1 pings h3" ping_ok 1 10.78.0.3

# Unicast goes only to the learned port: h1 -> h2, 100 pings; port 3
# (h3) sees (almost) none of them, port 2 all.
check "h1 pings h2 a hundred times" tx_during "$BR" "2 3" ping_ok 1 10.78.0.2 100
[ "$d2" -ge 100 ] && pass "port 2 sent the 100 requests ($d2)" ||
    flunk "port 2 sent the 100 requests ($d2)"
[ "$d3" -le 10 ] && pass "port 3 got none of the unicast ($d3)" ||
    flunk "port 3 got none of the unicast ($d3)"

# Broadcast floods to every other port.
bcast() { ip netns exec "sn${T}n1" ping -b -c 20 -i 0.05 -W 1 10.78.0.255 > /dev/null 2>&1; }
tx_during "$BR" "2 3" bcast
[ "$d2" -ge 20 ] && [ "$d3" -ge 20 ] && pass "broadcast floods to ports 2 and 3 ($d2, $d3)" ||
    flunk "broadcast floods to ports 2 and 3 ($d2, $d3)"

appctl fdb/show "$BR" > "$TMPD/fdb"
check "fdb/show (ovs-appctl) has the column header" grep -q '^ port  VLAN  MAC                Age$' "$TMPD/fdb"
for i in 1 2 3; do
    check "fdb/show lists h$i on port $i" grep -qE "^ +$i +0  $(mac "$i") " "$TMPD/fdb"
done
check "fdb/flush" appctl fdb/flush "$BR"
expect "fdb/show empty after fdb/flush" 0 bash -c "$(declare -f appctl); VSWITCH_RUNDIR='$VSWITCH_RUNDIR' appctl fdb/show '$BR' | grep -c '$(mac 1)'"
fdb_has() { appctl fdb/show "$BR" | grep -q "$1"; }
appctl ofproto/trace "$BR" "in_port=3,dl_src=02:5a:00:00:00:99,dl_dst=ff:ff:ff:ff:ff:ff" > /dev/null
! fdb_has 02:5a:00:00:00:99 && pass "ofproto/trace learns nothing" ||
    flunk "ofproto/trace learns nothing"
appctl ofproto/trace "$BR" "in_port=3,dl_src=02:5a:00:00:00:99,dl_dst=ff:ff:ff:ff:ff:ff" -generate > "$TMPD/gen"
check "ofproto/trace -generate floods" grep -q "^Datapath actions: 1,2" "$TMPD/gen"
check "ofproto/trace -generate learns the source" fdb_has "02:5a:00:00:00:99"
# Traffic just before: on a slow machine the earlier megaflows may have
# idled out (10 s) by now; and the ping's flood megaflow may be taken out
# by the revalidation that learning h2 causes just after its last packet
# (the next packet would make it again): ping until one is there.
h1_flow() {
    ping_ok 1 10.78.0.2 || return 1
    appctl dpif/dump-flows "$BR" > "$TMPD/flows" 2>&1
    grep -q "eth(src=$(mac 1)" "$TMPD/flows"
}
check "megaflows exist" wait_for 3 h1_flow
grep -q "eth(src=$(mac 1)" "$TMPD/flows" || sed 's/^/#   flows: /' "$TMPD/flows"

# max-idle: megaflows unhit for 1 s go within a few sweeps.
check "other_config:max-idle=1000, flow-limit=5000" vsctl set Open_vSwitch . \
    other_config:max-idle=1000 other_config:flow-limit=5000
appctl upcall/show > "$TMPD/upcall"
check "upcall/show reports max-idle 1000ms" grep -q 'max-idle 1000ms' "$TMPD/upcall"
check "upcall/show reports the flow limit" grep -q 'flow limit    : 5000$' "$TMPD/upcall"
check "h1 pings h2 again" ping_ok 1 10.78.0.2
no_host_flows() {
    ! appctl dpif/dump-flows "$BR" | grep -q 'eth(src=02:5a:'
}
check "idle megaflows are gone within 4 s" wait_for 4 no_host_flows
appctl dpif/dump-flows "$BR" | sed 's/^/#   left: /'

# VLANs: ports 1, 2 access VLAN 10, port 3 access VLAN 20, port 4 trunk.
check "tag=10, tag=20, trunk" vsctl set Port "sn${T}p1" tag=10 \
    -- set Port "sn${T}p2" tag=10 -- set Port "sn${T}p3" tag=20 \
    -- add-port "$BR" "sn${T}p4" -- set Interface "sn${T}p4" ofport_request=4 \
    -- set Port "sn${T}p4" trunks=10,20
check "fdb/flush (all bridges)" appctl fdb/flush
N4=sn${T}n4
for i in 1 2 3; do ip -n "sn${T}n$i" neigh flush all; done
check "VLAN 10: h1 pings h2" ping_ok 1 10.78.0.2
! ping_ok 1 10.78.0.3 && pass "VLAN 10 cannot reach VLAN 20 (h1 -/-> h3)" ||
    flunk "VLAN 10 cannot reach VLAN 20 (h1 -/-> h3)"
! ping_ok 3 10.78.0.2 && pass "VLAN 20 cannot reach VLAN 10 (h3 -/-> h2)" ||
    flunk "VLAN 20 cannot reach VLAN 10 (h3 -/-> h2)"

# VLAN 10 broadcast: port 2 and the trunk (tagged), not port 3.
spawn ip netns exec "$N4" timeout 8 tcpdump -l -e -n -i "sn${T}x4" -c 4 icmp > "$TMPD/tcpdump" 2> /dev/null
TCPD=$SPAWNED
sleep 1
tx_during "$BR" "2 3 4" bcast
[ "$d2" -ge 20 ] && [ "$d4" -ge 20 ] && pass "VLAN 10 broadcast reaches port 2 and the trunk ($d2, $d4)" ||
    flunk "VLAN 10 broadcast reaches port 2 and the trunk ($d2, $d4)"
[ "$d3" -le 2 ] && pass "and not VLAN 20's port 3 ($d3)" ||
    flunk "and not VLAN 20's port 3 ($d3)"
wait "$TCPD"
check "tcpdump -e on the trunk shows the 802.1Q tag (vlan 10)" grep -q 'vlan 10' "$TMPD/tcpdump"
sed 's/^/#   /' "$TMPD/tcpdump" | head -2

# Tagged frames from the trunk go to their VLAN's access port, untagged.
# (No VLAN devices in every kernel: a raw socket sends them.)
send_tagged() {
    ip netns exec "$N4" python3 - "sn${T}x4" "$1" "$(mac 4)" <<'PY'
import socket, struct, sys
dev, vid, src = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3].replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
frame = b"\xff" * 6 + src + struct.pack("!HHH", 0x8100, vid, 0x88b5) + b"x" * 46
for _ in range(20):
    s.send(frame)
PY
}
for v in 10 20; do
    tx_during "$BR" "2 3" send_tagged "$v"
    if [ "$v" = 10 ]; then
        [ "$d2" -ge 20 ] && [ "$d3" -le 2 ] && pass "trunk VLAN 10 frames reach port 2 only ($d2, $d3)" ||
            flunk "trunk VLAN 10 frames reach port 2 only ($d2, $d3)"
    else
        [ "$d3" -ge 20 ] && [ "$d2" -le 2 ] && pass "trunk VLAN 20 frames reach port 3 only ($d2, $d3)" ||
            flunk "trunk VLAN 20 frames reach port 3 only ($d2, $d3)"
    fi
done
appctl fdb/show "$BR" > "$TMPD/fdb"
check "fdb/show: h1 learned on VLAN 10" grep -qE "^ +1 +10  $(mac 1) " "$TMPD/fdb"
check "fdb/show: h4 learned on VLANs 10 and 20 via the trunk" bash -c "grep -qE '^ +4 +10  $(mac 4) ' $TMPD/fdb && grep -qE '^ +4 +20  $(mac 4) ' $TMPD/fdb"
check "del-br" vsctl del-br "$BR"
echo "1..$n"
